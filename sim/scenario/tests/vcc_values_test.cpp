// VCL values as VCC reads them (sim/scenario/vcc_values.hpp): table tests of whole
// numbers, durations and backend addresses, each row a verdict of Varnish's VCC (checked
// with varnishd -C where the row says so, sim/peer/vcc2.yaml).
#include "sim/scenario/vcc_values.hpp"

#include <gtest/gtest.h>

namespace d = vdisim::scenario::detail;

TEST(VccValues, E1_unsigned_keeps_the_low_32_bits) {
  EXPECT_EQ(d::vcc_unsigned("0"), 0u);
  EXPECT_EQ(d::vcc_unsigned("4294967295"), 4294967295u);
  EXPECT_EQ(d::vcc_unsigned("4294967296"), 0u);           // window_huge: then threshold > window
  EXPECT_EQ(d::vcc_unsigned("99999999999"), 1215752191u);  // initial_huge: accepted
  EXPECT_FALSE(d::vcc_unsigned("1234567890123456789"));   // 19 digits
  EXPECT_FALSE(d::vcc_unsigned("4.5"));                    // window_fraction
  EXPECT_FALSE(d::vcc_unsigned(""));
}

TEST(VccValues, durations_take_vccs_units_only) {
  std::string why;
  struct Row {
    const char *number, *unit;
    long long ns;  // -1: refused
  } rows[] = {{"1.5", "ms", 1'500'000},         {"0.5", "m", 30'000'000'000},
              {"2", "h", 7'200'000'000'000},     {"1", "d", 86'400'000'000'000},
              {"1", "w", 604'800'000'000'000},   {"1", "y", 31'536'000'000'000'000},
              {"0", "s", 0},                     {"10", "us", -1},
              {"10", "ns", -1},                  {"1", "", -1},
              {"1", "h30m", -1},                 {"1.", "s", -1},
              {"1000", "y", -1}};
  for (const Row& r : rows) {
    auto ns = d::vcc_duration(r.number, r.unit, &why);
    if (r.ns < 0) {
      EXPECT_FALSE(ns) << r.number << r.unit;
    } else {
      ASSERT_TRUE(ns) << r.number << r.unit << ": " << why;
      EXPECT_EQ(*ns, r.ns) << r.number << r.unit;
    }
  }
}

TEST(VccValues, addresses_as_varnishd_splits_and_resolves_them) {
  std::string why;
  struct Row {
    const char* host;
    const char* port;  // nullptr: no .port
    const char* want;  // nullptr: refused
  } rows[] = {
      {"127.0.0.1", nullptr, "127.0.0.1:80"},
      {"127.0.0.1:8080", nullptr, "127.0.0.1:8080"},    // host_with_port
      {"127.0.0.1:8080", "81", nullptr},                // host_with_port_and_port
      {"::1", nullptr, "[::1]:80"},                     // host_ipv6
      {"[::1]:8080", nullptr, "[::1]:8080"},            // host_ipv6_brackets_port
      {"[::1]", nullptr, "[::1]:80"},                   // host_ipv6_brackets_no_port
      {"::1", "8080", "[::1]:8080"},                    // host_ipv6_with_port_field
      {"[::1", nullptr, nullptr},
      {"[::1]x", nullptr, nullptr},
      {"127.0.0.1", "0", "127.0.0.1:0"},                // port_zero
      {"127.0.0.1", "65536", "127.0.0.1:0"},            // port_65536
      {"127.0.0.1", "99999999999", "127.0.0.1:59391"},  // port_huge
      {"127.0.0.1", "", "127.0.0.1:0"},                 // port_empty
      {"127.0.0.1", "-1", nullptr},                     // port_negative
      {"127.0.0.1", "http", nullptr},                   // vdisim resolves no service names
      {"", nullptr, nullptr},                           // host_empty
      {"backend.example", nullptr, "backend.example:80"},
  };
  for (const Row& r : rows) {
    auto port = r.port ? std::optional<std::string>(r.port) : std::nullopt;
    auto got = d::vcc_address(r.host, port, &why);
    if (!r.want) {
      EXPECT_FALSE(got) << r.host << " / " << (r.port ? r.port : "-") << " gave " << got.value_or("");
    } else {
      ASSERT_TRUE(got) << r.host << " / " << (r.port ? r.port : "-") << ": " << why;
      EXPECT_EQ(*got, r.want);
    }
  }
}
