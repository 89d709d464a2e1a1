// VCL values as Varnish 8.0's VCC reads them (vcc_values.hpp).
#include "sim/scenario/vcc_values.hpp"

#include <arpa/inet.h>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace vdisim::scenario::detail {
namespace {

bool all_digits(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// The seconds one unit stands for (VNUM_duration_unit's set), or 0.
double unit_seconds(std::string_view unit) {
  if (unit == "ms") return 1e-3;
  if (unit == "s") return 1.0;
  if (unit == "m") return 60.0;
  if (unit == "h") return 3600.0;
  if (unit == "d") return 86400.0;
  if (unit == "w") return 7 * 86400.0;
  if (unit == "y") return 365 * 86400.0;
  return 0.0;
}

// getaddrinfo's reading of a numeric service (glibc): strtoul into an int, negative
// meaning "not a number, look the name up".
std::optional<int> numeric_port(std::string_view port, std::string* why) {
  if (!all_digits(port)) {
    *why = fmt::format("port '{}' is not a number (vdisim does not resolve service names)", port);
    return std::nullopt;
  }
  std::uint64_t v = 0;
  for (char c : port) {
    unsigned d = static_cast<unsigned>(c - '0');
    if (v > (~0ULL - d) / 10) {  // strtoul saturates at ULONG_MAX: its low 32 bits are all ones
      v = ~0ULL;
      break;
    }
    v = v * 10 + d;
  }
  if (static_cast<std::int32_t>(static_cast<std::uint32_t>(v)) < 0) {
    *why = fmt::format("port '{}' is out of range (getaddrinfo looks it up as a service name)", port);
    return std::nullopt;
  }
  return static_cast<int>(v & 0xffff);
}

}  // namespace

std::optional<std::uint32_t> vcc_unsigned(std::string_view digits) {
  if (digits.empty() || digits.size() > 18 || !all_digits(digits)) return std::nullopt;
  std::uint64_t v = 0;
  for (char c : digits) v = v * 10 + static_cast<unsigned>(c - '0');
  return static_cast<std::uint32_t>(v);
}

std::optional<std::int64_t> vcc_duration(std::string_view number, std::string_view unit, std::string* why) {
  auto dot = number.find('.');
  bool shape = !number.empty() && all_digits(number.substr(0, dot)) && dot != 0 &&
               (dot == std::string_view::npos || (dot + 1 < number.size() && all_digits(number.substr(dot + 1))));
  if (!shape) {
    *why = fmt::format("'{}' is not a number", number);
    return std::nullopt;
  }
  if (unit.empty()) {
    *why = fmt::format("'{}' has no unit (VCL durations need one: ms, s, m, h, d, w, y)", number);
    return std::nullopt;
  }
  double sc = unit_seconds(unit);
  if (sc == 0.0) {
    *why = fmt::format("unknown duration unit '{}' (VCL's are ms, s, m, h, d, w, y)", unit);
    return std::nullopt;
  }
  double ns = std::stod(std::string(number)) * sc * 1e9;
  if (!(ns < 9e18)) {
    *why = fmt::format("'{}{}' is too long a duration for vdisim", number, unit);
    return std::nullopt;
  }
  return std::llround(ns);
}

std::optional<std::string> vcc_address(const std::string& host, const std::optional<std::string>& port,
                                       std::string* why) {
  // varnishd resolves "HOST PORT" (or HOST): split as its vss_parse does.
  std::string s = port ? host + " " + *port : host;
  std::string addr = s, svc = "80";
  bool bracketed = !s.empty() && s[0] == '[';
  if (bracketed) {
    auto close = s.find(']');
    if (close == std::string::npos) {
      *why = "IPv6 address lacks ']'";
      return std::nullopt;
    }
    addr = s.substr(1, close - 1);
    if (close + 1 < s.size()) {
      if (s[close + 1] != ' ' && s[close + 1] != ':') {
        *why = "IPv6 address has wrong port separator";
        return std::nullopt;
      }
      svc = s.substr(close + 2);
    }
  } else if (auto p = s.find(' ') != std::string::npos ? s.find(' ') : s.find(':'); p != std::string::npos) {
    bool bare_v6 = s[p] == ':' && s.find(':', p + 1) != std::string::npos;
    if (!bare_v6) addr = s.substr(0, p), svc = s.substr(p + 1);
  }
  if (addr.empty()) {
    *why = "no host";
    return std::nullopt;
  }
  if (addr.find_first_of(" \t/,") != std::string::npos) {
    *why = fmt::format("host '{}' contains a bad character", addr);
    return std::nullopt;
  }
  bool v6 = addr.find(':') != std::string::npos;
  unsigned char buf[16];
  if ((v6 || bracketed) && inet_pton(AF_INET6, addr.c_str(), buf) != 1) {
    bool host_port = std::count(addr.begin(), addr.end(), ':') == 1;
    *why = host_port ? fmt::format("'{}' is not an address (.host carries a port and .port is given too)", addr)
                     : fmt::format("'{}' is not an IPv6 address", addr);
    return std::nullopt;
  }
  auto num = numeric_port(svc, why);
  if (!num) return std::nullopt;
  return fmt::format("{}{}{}:{}", v6 ? "[" : "", addr, v6 ? "]" : "", *num);
}

}  // namespace vdisim::scenario::detail
