// The dns: section: host names -> what getaddrinfo in vmod code answers over virtual time
// (addresses, nxdomain, servfail, refused, timeout; ttl; latency). Checks name and address
// syntax, time order and which keys go with which answer; addresses come out canonical.
#include <arpa/inet.h>
#include <fmt/format.h>
#include <sys/socket.h>

#include <algorithm>
#include <charconv>

#include "sim/scenario/durations.hpp"
#include "sim/scenario/loader_internal.hpp"

namespace vdisim::scenario::detail {

namespace {

const std::vector<std::string> kAnswerWords = {"nxdomain", "servfail", "refused", "timeout"};

bool numeric_host(const std::string& s) {
  unsigned char buf[16];
  return inet_pton(AF_INET, s.c_str(), buf) == 1 || inet_pton(AF_INET6, s.c_str(), buf) == 1;
}

// "" if s is a host name a resolver would look up: dot-separated labels of letters,
// digits, '-' and '_', at most 63 characters each and 253 in all, one trailing dot allowed.
std::string name_problem(std::string_view s) {
  if (!s.empty() && s.back() == '.') s.remove_suffix(1);
  if (s.empty() || s.size() > 253) return "expected a host name such as api.example";
  std::size_t label = 0;
  for (char c : s) {
    if (c == '.') {
      if (label == 0) return "empty label (two dots in a row, or a leading dot)";
      label = 0;
      continue;
    }
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    if (!ok) return fmt::format("'{}' cannot be part of a host name", c);
    if (++label > 63) return "a label is longer than 63 characters";
  }
  return label == 0 ? "empty label at the end" : "";
}

std::string lower_no_dot(std::string s) {
  if (s.size() > 1 && s.back() == '.') s.pop_back();
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

// "10.0.0.1", "10.0.0.1:80", "2001:db8::1", "[2001:db8::1]:80" in canonical form, or "".
std::string canonical_address(const std::string& text) {
  std::string host = text, port;
  if (!host.empty() && host.front() == '[') {
    auto close = host.find(']');
    if (close == std::string::npos) return "";
    std::string rest = host.substr(close + 1);
    host = host.substr(1, close - 1);
    if (!rest.empty() && (rest[0] != ':' || rest.size() < 2)) return "";
    if (!rest.empty()) port = rest.substr(1);
  } else if (std::count(host.begin(), host.end(), ':') == 1) {
    port = host.substr(host.find(':') + 1);
    host = host.substr(0, host.find(':'));
  }
  unsigned char buf[16];
  char out[INET6_ADDRSTRLEN];
  int family = inet_pton(AF_INET, host.c_str(), buf) == 1 ? AF_INET
               : inet_pton(AF_INET6, host.c_str(), buf) == 1 ? AF_INET6 : 0;
  if (!family || !inet_ntop(family, buf, out, sizeof out)) return "";
  if (port.empty()) return out;
  int p = 0;
  auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), p);
  if (ec != std::errc() || end != port.data() + port.size() || p < 1 || p > 65535) return "";
  return family == AF_INET6 ? fmt::format("[{}]:{}", out, p) : fmt::format("{}:{}", out, p);
}

std::vector<std::string> read_addresses(const Ctx& ctx, const Field& f) {
  std::vector<std::string> out;
  for (const auto& item : read_list(ctx, f)) {
    Field named{"answer", item.key_mark, item.node};
    std::string text = read_string(ctx, named);
    std::string canon = canonical_address(text);
    if (canon.empty())
      fail(ctx, named, fmt::format("answer: bad address '{}': expected an IPv4 or IPv6 address, "
                                   "optionally with a port (10.0.0.1, 10.0.0.1:80, [2001:db8::1]:80)",
                                   text));
    out.push_back(canon);
  }
  return out;
}

DnsStep parse_step(const Ctx& ctx, const Field& item, const RunSpec& run, const DnsStep* prev) {
  MapReader m(ctx, item, "dns answer", {"at", "answer", "ttl", "latency"});
  DnsStep st;
  st.mark = m.mark();
  Field at = m.require("at");
  st.at_ns = read_time_in_run(ctx, at, run);
  if (prev && st.at_ns <= prev->at_ns)
    fail(ctx, at, fmt::format("at: {} is not after the previous answer ({})", format_duration(st.at_ns),
                              format_duration(prev->at_ns)));
  Field answer = m.require("answer");
  if (answer.node.IsSequence()) {
    st.addresses = read_addresses(ctx, answer);
  } else {
    if (answer.node.IsScalar() && !canonical_address(answer.node.Scalar()).empty())
      fail(ctx, answer, fmt::format("answer: '{}' must be a list of addresses: [{}]", answer.node.Scalar(),
                                    answer.node.Scalar()));
    st.kind = static_cast<DnsAnswerKind>(1 + read_choice(ctx, answer, kAnswerWords));
  }
  if (auto v = m.get("ttl")) {
    if (st.kind != DnsAnswerKind::addresses && st.kind != DnsAnswerKind::nxdomain)
      fail(ctx, v->key_mark, fmt::format("ttl: a {} answer is not cached (ttl goes with addresses or "
                                         "nxdomain)", to_string(st.kind)));
    st.ttl_ns = read_duration(ctx, *v, false);
  }
  if (auto v = m.get("latency")) st.latency_ns = read_duration(ctx, *v, false);
  return st;
}

}  // namespace

std::vector<DnsName> parse_dns(const Ctx& ctx, const Field& f, const RunSpec& run) {
  MapReader m(ctx, f, "dns", {}, true);
  std::vector<DnsName> out;
  for (const auto& kv : m.fields()) {
    Field key{"dns", kv.key_mark, YNode(kv.key)};
    if (numeric_host(kv.key))
      fail(ctx, key, fmt::format("dns: '{}' is a numeric address; numeric hosts resolve without the "
                                 "dns table", kv.key));
    if (std::string why = name_problem(kv.key); !why.empty())
      fail(ctx, key, fmt::format("dns: bad name '{}': {}", kv.key, why));
    DnsName d{kv.key_mark, lower_no_dot(kv.key), {}};
    for (const auto& seen : out)
      if (seen.name == d.name)
        fail(ctx, key, fmt::format("dns: duplicate name '{}' (first at line {}; names ignore case)", d.name,
                                   seen.mark.line));
    auto items = read_list(ctx, kv);
    if (kv.node.IsSequence() && (items.empty() || !items.front().node.IsMap())) {
      // Shorthand: a plain list of addresses holds for the whole run.
      DnsStep st;
      st.mark = kv.mark();
      st.addresses = read_addresses(ctx, kv);
      d.steps.push_back(std::move(st));
    } else {
      for (const auto& item : items)
        d.steps.push_back(parse_step(ctx, item, run, d.steps.empty() ? nullptr : &d.steps.back()));
    }
    out.push_back(std::move(d));
  }
  return out;
}

}  // namespace vdisim::scenario::detail
