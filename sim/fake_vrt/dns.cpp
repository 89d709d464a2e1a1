// The DNS table and the resolver functions vmod C code calls through vdisim_os.h:
// getaddrinfo answers from VmodOs::dns() at the current virtual time (a lookup is a
// virtual-time wait, so a scheduling point), numeric hosts need no table, error codes
// follow glibc's mapping, and every answer is a trace event.
#include "sim/fake_vrt/dns.hpp"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstring>
#include <stdexcept>

#include "sim/fake_vrt/vmod_os.hpp"
#include "vdisim_alloc.h"
#include "vdisim_os.h"

namespace vdisim::vrt {

std::optional<DnsAddr> DnsAddr::parse(std::string_view text) {
  std::string host(text);
  std::string port;
  if (!host.empty() && host.front() == '[') {
    auto close = host.find(']');
    if (close == std::string::npos) return std::nullopt;
    std::string rest = host.substr(close + 1);
    host = host.substr(1, close - 1);
    if (!rest.empty()) {
      if (rest[0] != ':' || rest.size() < 2) return std::nullopt;
      port = rest.substr(1);
    }
  } else if (std::count(host.begin(), host.end(), ':') == 1) {
    port = host.substr(host.find(':') + 1);
    host = host.substr(0, host.find(':'));
  }
  DnsAddr a;
  if (inet_pton(AF_INET, host.c_str(), a.bytes.data()) == 1) {
    a.family = AF_INET;
  } else if (inet_pton(AF_INET6, host.c_str(), a.bytes.data()) == 1) {
    a.family = AF_INET6;
  } else {
    return std::nullopt;
  }
  if (!port.empty()) {
    if (port.size() > 5 || !std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; }))
      return std::nullopt;
    a.port = std::stoi(port);
    if (a.port < 1 || a.port > 65535) return std::nullopt;
  }
  return a;
}

std::string DnsAddr::host() const {
  char buf[INET6_ADDRSTRLEN] = "";
  inet_ntop(family, bytes.data(), buf, sizeof buf);
  return buf;
}

std::string DnsAddr::text() const {
  if (!port) return host();
  return family == AF_INET6 ? fmt::format("[{}]:{}", host(), port) : fmt::format("{}:{}", host(), port);
}

const char *to_string(DnsStep::Kind k) {
  switch (k) {
    case DnsStep::Kind::Addresses: return "addresses";
    case DnsStep::Kind::NxDomain: return "nxdomain";
    case DnsStep::Kind::ServFail: return "servfail";
    case DnsStep::Kind::Refused: return "refused";
    case DnsStep::Kind::Timeout: return "timeout";
  }
  return "?";
}

std::string Dns::normalize(std::string_view name) {
  std::string s(name);
  if (s.size() > 1 && s.back() == '.') s.pop_back();
  for (char &c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

void Dns::set(std::string_view name, std::vector<DnsStep> steps) {
  Name n;
  for (std::size_t i = 0; i < steps.size(); i++) {
    if (i > 0 && steps[i].at_ns <= steps[i - 1].at_ns)
      throw std::invalid_argument(fmt::format("dns '{}': answers out of time order", name));
    std::vector<DnsAddr> parsed;
    for (const auto &t : steps[i].addresses) {
      auto a = DnsAddr::parse(t);
      if (!a) throw std::invalid_argument(fmt::format("dns '{}': bad address '{}'", name, t));
      parsed.push_back(*a);
    }
    n.addrs.push_back(std::move(parsed));
  }
  n.steps = std::move(steps);
  names_[normalize(name)] = std::move(n);
}

bool Dns::knows(std::string_view name) const { return names_.count(normalize(name)) > 0; }

int Dns::step_at(const Name &n, std::int64_t now_ns) {
  int at = -1;
  for (std::size_t i = 0; i < n.steps.size() && n.steps[i].at_ns <= now_ns; i++) at = static_cast<int>(i);
  return at;
}

Dns::Answer Dns::lookup(std::string_view name, std::int64_t now_ns) {
  Answer a;
  auto it = names_.find(normalize(name));
  if (it == names_.end()) return a;
  Name &n = it->second;
  a.known = true;
  if (n.cached_step >= 0 && now_ns >= n.cached_from_ns && now_ns < n.cached_until_ns) {
    a.kind = n.steps[n.cached_step].kind;
    a.addrs = n.addrs[n.cached_step];
    a.cached = true;
    return a;
  }
  int i = step_at(n, now_ns);
  if (i < 0) return a;  // not created yet: NXDOMAIN
  const DnsStep &s = n.steps[i];
  a.kind = s.kind;
  a.addrs = n.addrs[i];
  a.wait_ns = s.latency_ns;
  if (s.kind == DnsStep::Kind::Timeout && a.wait_ns == 0) a.wait_ns = kDefaultTimeoutNs;
  bool cacheable = s.kind == DnsStep::Kind::Addresses || s.kind == DnsStep::Kind::NxDomain;
  if (cacheable && s.ttl_ns > 0) {
    // Cached from the moment the answer arrives, for its TTL.
    n.cached_step = i;
    n.cached_from_ns = now_ns + a.wait_ns;
    n.cached_until_ns = n.cached_from_ns + s.ttl_ns;
  }
  return a;
}

std::string Dns::reverse(const DnsAddr &addr, std::int64_t now_ns) const {
  for (const auto &[name, n] : names_) {
    int i = step_at(n, now_ns);
    if (i < 0 || n.steps[i].kind != DnsStep::Kind::Addresses) continue;
    for (const auto &a : n.addrs[i])
      if (a.same_host(addr)) return name;
  }
  return "";
}

}  // namespace vdisim::vrt

using vdisim::sim::Sim;
using vdisim::vrt::Dns;
using vdisim::vrt::DnsAddr;
using vdisim::vrt::DnsStep;
using vdisim::vrt::VmodOs;

namespace {

// One node of a list getaddrinfo hands out: the addrinfo, its sockaddr and the
// canonical name in one block, so freeaddrinfo can check that it made the list.
struct AiNode {
  std::uint64_t magic;
  struct addrinfo ai;
  struct sockaddr_storage sa;
  char canon[256];
};
constexpr std::uint64_t kAiMagic = 0x7664697369416931ULL;  // "vdisiAi1"

constexpr int kKnownFlags = AI_PASSIVE | AI_CANONNAME | AI_NUMERICHOST | AI_V4MAPPED | AI_ALL |
                            AI_ADDRCONFIG | AI_NUMERICSERV;

void trace(const std::string &text) {
  if (Sim *s = Sim::current()) s->event("dns", text);
}

// Service -> port: a number, or the two names vmods use; -1 unknown, -2 not numeric but
// AI_NUMERICSERV asked for a number.
int service_port(const char *service, int flags) {
  std::string s(service);
  if (!s.empty() && s.size() <= 5 && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    int p = std::stoi(s);
    return p <= 65535 ? p : -1;
  }
  if (flags & AI_NUMERICSERV) return -2;
  if (s == "http") return 80;
  if (s == "https") return 443;
  return -1;
}

int error_of(DnsStep::Kind k) {
  switch (k) {
    case DnsStep::Kind::NxDomain: return EAI_NONAME;
    case DnsStep::Kind::ServFail:
    case DnsStep::Kind::Timeout: return EAI_AGAIN;  // glibc: TRY_AGAIN
    case DnsStep::Kind::Refused: return EAI_FAIL;   // glibc: NO_RECOVERY
    case DnsStep::Kind::Addresses: return 0;
  }
  return EAI_FAIL;
}

DnsAddr v4_mapped(const DnsAddr &a) {
  DnsAddr m;
  m.family = AF_INET6;
  m.port = a.port;
  m.bytes[10] = m.bytes[11] = 0xff;
  std::memcpy(&m.bytes[12], a.bytes.data(), 4);
  return m;
}

// Keeps the addresses of the asked family; AF_INET6 with AI_V4MAPPED maps IPv4 answers
// when there is no IPv6 one (or always, with AI_ALL).
std::vector<DnsAddr> of_family(const std::vector<DnsAddr> &in, int family, int flags) {
  std::vector<DnsAddr> out;
  for (const auto &a : in)
    if (family == AF_UNSPEC || a.family == family) out.push_back(a);
  if (family == AF_INET6 && (flags & AI_V4MAPPED) && (out.empty() || (flags & AI_ALL)))
    for (const auto &a : in)
      if (a.family == AF_INET) out.push_back(v4_mapped(a));
  return out;
}

struct addrinfo *make_node(const DnsAddr &a, int port, int socktype, int protocol) {
  auto *n = static_cast<AiNode *>(vdisim_calloc(1, sizeof(AiNode)));
  if (!n) return nullptr;
  n->magic = kAiMagic;
  n->ai.ai_family = a.family;
  n->ai.ai_socktype = socktype;
  n->ai.ai_protocol = protocol;
  n->ai.ai_addr = reinterpret_cast<struct sockaddr *>(&n->sa);
  if (a.family == AF_INET) {
    auto *sin = reinterpret_cast<struct sockaddr_in *>(&n->sa);
    sin->sin_family = AF_INET;
    sin->sin_port = htons(static_cast<std::uint16_t>(port));
    std::memcpy(&sin->sin_addr, a.bytes.data(), 4);
    n->ai.ai_addrlen = sizeof(struct sockaddr_in);
  } else {
    auto *sin6 = reinterpret_cast<struct sockaddr_in6 *>(&n->sa);
    sin6->sin6_family = AF_INET6;
    sin6->sin6_port = htons(static_cast<std::uint16_t>(port));
    std::memcpy(&sin6->sin6_addr, a.bytes.data(), 16);
    n->ai.ai_addrlen = sizeof(struct sockaddr_in6);
  }
  return &n->ai;
}

AiNode *node_of(struct addrinfo *ai) {
  return reinterpret_cast<AiNode *>(reinterpret_cast<char *>(ai) - offsetof(AiNode, ai));
}

// The list glibc would build: per address, one entry per socket type asked for (with no
// type: stream, datagram, and raw when no service was named).
int build_list(const std::vector<DnsAddr> &addrs, int service_port_or_0, bool have_service,
               const struct addrinfo *hints, const char *canon, struct addrinfo **res) {
  int want_type = hints ? hints->ai_socktype : 0, want_proto = hints ? hints->ai_protocol : 0;
  struct Type { int socktype, protocol; };
  std::vector<Type> types;
  for (Type t : {Type{SOCK_STREAM, IPPROTO_TCP}, Type{SOCK_DGRAM, IPPROTO_UDP}, Type{SOCK_RAW, 0}}) {
    if (want_type && t.socktype != want_type) continue;
    if (!want_type && t.socktype == SOCK_RAW && have_service) continue;
    if (want_proto && t.protocol && t.protocol != want_proto) continue;
    types.push_back({t.socktype, want_proto ? want_proto : t.protocol});
  }
  if (types.empty()) return EAI_SOCKTYPE;
  struct addrinfo *head = nullptr, **tail = &head;
  for (const auto &a : addrs) {
    int port = have_service ? service_port_or_0 : a.port;
    for (const Type &t : types) {
      struct addrinfo *ai = make_node(a, port, t.socktype, t.protocol);
      if (!ai) {
        vdisim_freeaddrinfo(head);
        return EAI_MEMORY;
      }
      *tail = ai;
      tail = &ai->ai_next;
    }
  }
  if (head && canon) {
    AiNode *n = node_of(head);
    std::snprintf(n->canon, sizeof n->canon, "%s", canon);
    head->ai_canonname = n->canon;
  }
  *res = head;
  return 0;
}

std::string list_text(const std::vector<DnsAddr> &addrs) {
  std::string s;
  for (const auto &a : addrs) s += (s.empty() ? "" : " ") + a.text();
  return s.empty() ? "(no records)" : s;
}

// The table's answer for a name, after waiting its latency in virtual time.
Dns::Answer resolve_name(const char *node) {
  Sim *s = Sim::current();
  VmodOs *os = VmodOs::current();
  Dns empty;
  Dns &dns = os ? os->dns() : empty;
  std::int64_t now = s ? s->now_ns() : 0;
  Dns::Answer a = dns.lookup(node, now);
  if (s && s->running()) {
    if (a.wait_ns > 0) s->sleep_for(a.wait_ns);
    else s->sched_point();
  }
  std::string what = a.kind == DnsStep::Kind::Addresses ? list_text(a.addrs) : vdisim::vrt::to_string(a.kind);
  trace(fmt::format("getaddrinfo {} -> {}{}{}", node, what, a.cached ? " (cached)" : "",
                    a.known ? "" : " (not in dns:)"));
  return a;
}

}  // namespace

extern "C" {

int vdisim_getaddrinfo(const char *node, const char *service, const struct addrinfo *hints,
                       struct addrinfo **res) {
  if (!res) return EAI_FAIL;
  int flags = hints ? hints->ai_flags : (AI_V4MAPPED | AI_ADDRCONFIG);
  int family = hints ? hints->ai_family : AF_UNSPEC;
  if (flags & ~kKnownFlags) return EAI_BADFLAGS;
  if (!node && !service) return EAI_NONAME;
  if ((flags & AI_CANONNAME) && !node) return EAI_BADFLAGS;
  if (family != AF_UNSPEC && family != AF_INET && family != AF_INET6) return EAI_FAMILY;
  int port = 0;
  if (service) {
    port = service_port(service, flags);
    if (port == -2) return EAI_NONAME;
    if (port < 0) return EAI_SERVICE;
  }
  std::vector<DnsAddr> addrs;
  const char *canon = nullptr;
  if (!node) {
    const char *v4 = (flags & AI_PASSIVE) ? "0.0.0.0" : "127.0.0.1";
    const char *v6 = (flags & AI_PASSIVE) ? "::" : "::1";
    addrs = {*DnsAddr::parse(v4), *DnsAddr::parse(v6)};
    addrs = of_family(addrs, family, 0);
  } else if (auto numeric = DnsAddr::parse(node); numeric && numeric->port == 0) {
    addrs = of_family({*numeric}, family, flags);
    if (addrs.empty()) return EAI_ADDRFAMILY;
    canon = (flags & AI_CANONNAME) ? node : nullptr;
  } else if (flags & AI_NUMERICHOST) {
    return EAI_NONAME;
  } else {
    Dns::Answer a = resolve_name(node);
    if (int e = error_of(a.kind)) return e;
    addrs = of_family(a.addrs, family, flags);
    if (addrs.empty()) return EAI_NODATA;  // the name exists, without such records
    canon = (flags & AI_CANONNAME) ? node : nullptr;
  }
  return build_list(addrs, port, service != nullptr, hints, canon, res);
}

void vdisim_freeaddrinfo(struct addrinfo *res) {
  while (res) {
    AiNode *n = node_of(res);
    if (n->magic != kAiMagic) {
      Sim *s = Sim::current();
      if (s && s->running()) s->fail("API", "freeaddrinfo: not a list from getaddrinfo, or freed twice");
      return;
    }
    struct addrinfo *next = res->ai_next;
    n->magic = 0;
    vdisim_free(n);
    res = next;
  }
}

int vdisim_getnameinfo(const struct sockaddr *sa, socklen_t salen, char *host, socklen_t hostlen,
                       char *serv, socklen_t servlen, int flags) {
  if (!sa) return EAI_FAIL;
  DnsAddr a;
  int port;
  if (sa->sa_family == AF_INET && salen >= static_cast<socklen_t>(sizeof(struct sockaddr_in))) {
    auto *sin = reinterpret_cast<const struct sockaddr_in *>(sa);
    a.family = AF_INET;
    std::memcpy(a.bytes.data(), &sin->sin_addr, 4);
    port = ntohs(sin->sin_port);
  } else if (sa->sa_family == AF_INET6 && salen >= static_cast<socklen_t>(sizeof(struct sockaddr_in6))) {
    auto *sin6 = reinterpret_cast<const struct sockaddr_in6 *>(sa);
    a.family = AF_INET6;
    std::memcpy(a.bytes.data(), &sin6->sin6_addr, 16);
    port = ntohs(sin6->sin6_port);
  } else {
    return EAI_FAMILY;
  }
  if (host && hostlen) {
    std::string name;
    if (!(flags & NI_NUMERICHOST)) {
      Sim *s = Sim::current();
      VmodOs *os = VmodOs::current();
      if (os) name = os->dns().reverse(a, s ? s->now_ns() : 0);
      if (s && s->running()) s->sched_point();
      trace(fmt::format("getnameinfo {} -> {}", a.host(), name.empty() ? "(no name)" : name));
      if (name.empty() && (flags & NI_NAMEREQD)) return EAI_NONAME;
    }
    if (name.empty()) name = a.host();
    if (name.size() >= hostlen) return EAI_OVERFLOW;
    std::memcpy(host, name.c_str(), name.size() + 1);
  }
  if (serv && servlen) {
    std::string s = std::to_string(port);
    if (!(flags & NI_NUMERICSERV) && port == 80) s = "http";
    if (!(flags & NI_NUMERICSERV) && port == 443) s = "https";
    if (s.size() >= servlen) return EAI_OVERFLOW;
    std::memcpy(serv, s.c_str(), s.size() + 1);
  }
  return 0;
}

const char *vdisim_gai_strerror(int code) {
  switch (code) {
    case 0: return "success";
    case EAI_BADFLAGS: return "invalid ai_flags (EAI_BADFLAGS)";
    case EAI_NONAME: return "no such name or service (EAI_NONAME)";
    case EAI_AGAIN: return "temporary resolver failure, try again (EAI_AGAIN)";
    case EAI_FAIL: return "permanent resolver failure (EAI_FAIL)";
    case EAI_NODATA: return "the name has no address (EAI_NODATA)";
    case EAI_FAMILY: return "address family not supported (EAI_FAMILY)";
    case EAI_SOCKTYPE: return "socket type not supported (EAI_SOCKTYPE)";
    case EAI_SERVICE: return "service not known for this socket type (EAI_SERVICE)";
    case EAI_ADDRFAMILY: return "the address is of another family (EAI_ADDRFAMILY)";
    case EAI_MEMORY: return "out of memory (EAI_MEMORY)";
    case EAI_SYSTEM: return "system error (EAI_SYSTEM)";
    case EAI_OVERFLOW: return "buffer too small (EAI_OVERFLOW)";
    default: return "unknown getaddrinfo error";
  }
}

}  // extern "C"
