// Values in a VCL file's backend and probe declarations, read as Varnish 8.0's VCL
// compiler reads them: whole numbers, durations and backend addresses. Used by the VCL
// reader (vcl_reader_decl.cpp) only; pure functions, no exceptions, no I/O.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace vdisim::scenario::detail {

// A VCL whole number (digits only, as the lexer gave it) as VCC stores it in an unsigned
// field: its value modulo 2^32 (`.initial = 4294967297` is 1). nullopt for more than 18
// digits (VCC's int64 would overflow) or anything not a digit.
std::optional<std::uint32_t> vcc_unsigned(std::string_view digits);

// A VCL duration, a number and a unit as VCC writes them ("1.5s", "250ms", "2d"): the
// units are ms, s, m, h, d, w and y (365 days); no ns, us or compound "1m30s". `unit` is
// the text after the number ("" when the number stands alone). -> ns, or nullopt with
// *why set.
std::optional<std::int64_t> vcc_duration(std::string_view number, std::string_view unit, std::string* why);

// A backend's address from .host and .port ("host:port", IPv6 bracketed), as varnishd
// resolves "HOST PORT" (or HOST alone, port 80): HOST may carry the port ("10.0.0.1:8080",
// "[::1]:8080"), but not when .port is given too; a numeric port is taken as getaddrinfo
// takes it (modulo 65536, "" is 0; one whose 32 low bits are negative as an int is looked
// up as a service name and fails). Names are not resolved (vdisim's hosts are the names of
// its servers) and a service name as port is refused. nullopt with *why set.
std::optional<std::string> vcc_address(const std::string& host, const std::optional<std::string>& port,
                                       std::string* why);

}  // namespace vdisim::scenario::detail
