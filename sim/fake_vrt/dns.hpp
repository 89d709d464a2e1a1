// Dns: the name table behind vdisim_getaddrinfo. For each name, answers over virtual time
// (addresses, NXDOMAIN, SERVFAIL, REFUSED, a timeout), each with a latency and a TTL; the
// TTL models a caching resolver on the host. Pure data: lookups take the time as an
// argument; the scenario's dns: section fills it (runner), tests fill it by hand.
#pragma once
#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vdisim::vrt {

// A numeric address as a dns answer holds it: IPv4 or IPv6, maybe with a port.
struct DnsAddr {
  int family = 0;  // AF_INET or AF_INET6
  std::array<unsigned char, 16> bytes{};
  int port = 0;  // 0: the answer named none
  // "10.0.0.1", "10.0.0.1:8080", "2001:db8::1", "[2001:db8::1]:80"; nullopt otherwise.
  static std::optional<DnsAddr> parse(std::string_view text);
  std::string host() const;  // "10.0.0.1", "2001:db8::1"
  std::string text() const;  // canonical form, with the port if any ("[::1]:80")
  bool same_host(const DnsAddr &o) const { return family == o.family && bytes == o.bytes; }
};

struct DnsStep {
  enum class Kind { Addresses, NxDomain, ServFail, Refused, Timeout };
  std::int64_t at_ns = 0;  // from this virtual time on (steps strictly increasing)
  Kind kind = Kind::Addresses;
  std::vector<std::string> addresses;  // Addresses; empty = the name has no records
  std::int64_t ttl_ns = 0;      // Addresses, NxDomain: a cache serves it this long
  std::int64_t latency_ns = 0;  // how long a lookup that reaches the server takes
};

const char *to_string(DnsStep::Kind k);

class Dns {
 public:
  // A timeout answer without a latency makes the caller wait this long (resolv.conf's).
  static constexpr std::int64_t kDefaultTimeoutNs = 5'000'000'000;

  // Replaces the answers of `name`; throws std::invalid_argument on a bad address or
  // steps out of time order (the loader has already said where).
  void set(std::string_view name, std::vector<DnsStep> steps);
  bool knows(std::string_view name) const;
  std::size_t size() const { return names_.size(); }

  struct Answer {
    DnsStep::Kind kind = DnsStep::Kind::NxDomain;
    std::vector<DnsAddr> addrs;
    std::int64_t wait_ns = 0;  // the lookup takes this long (0 for a cache hit)
    bool cached = false;
    bool known = false;  // the name is in the table (else: NXDOMAIN, at once)
  };
  // The answer a lookup started at now_ns gets: the step in effect then (NXDOMAIN before
  // the first), or a cached earlier answer still within its TTL. Fills the cache.
  Answer lookup(std::string_view name, std::int64_t now_ns);
  // The first name (in name order) whose current answer holds the address; "" if none.
  std::string reverse(const DnsAddr &addr, std::int64_t now_ns) const;

  // Lower case, no trailing dot: DNS names compare case-insensitively.
  static std::string normalize(std::string_view name);

 private:
  struct Name {
    std::vector<DnsStep> steps;
    std::vector<std::vector<DnsAddr>> addrs;  // parsed, per step
    int cached_step = -1;
    std::int64_t cached_from_ns = 0, cached_until_ns = 0;
  };
  static int step_at(const Name &n, std::int64_t now_ns);
  std::map<std::string, Name> names_;
};

}  // namespace vdisim::vrt
