// The one parser of seed texts (run.seeds and simrun --seeds) and its limit.
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "sim/seed_range.hpp"

using vdisim::sim::SeedRange;

namespace {
std::string error_of(const char *text) {
  try {
    SeedRange::parse(text);
  } catch (const std::invalid_argument &e) {
    return e.what();
  }
  return "(parsed)";
}
}  // namespace

TEST(SeedRange, one_seed_and_ranges) {
  SeedRange one = SeedRange::parse("7");
  EXPECT_EQ(one.first, 7u);
  EXPECT_EQ(one.last, 7u);
  SeedRange r = SeedRange::parse("+3..+12");
  EXPECT_EQ(r.first, 3u);
  EXPECT_EQ(r.last, 12u);
  SeedRange widest = SeedRange::parse("5..100000004");  // exactly kMaxSeeds seeds
  EXPECT_EQ(widest.last - widest.first + 1, SeedRange::kMaxSeeds);
}

TEST(SeedRange, bad_texts_say_what_is_wrong) {
  EXPECT_EQ(error_of("many"), "expected a non-negative integer, got 'many'");
  EXPECT_EQ(error_of("1.."), "expected a non-negative integer, got ''");
  EXPECT_EQ(error_of("-1"), "expected a non-negative integer, got '-1'");
  EXPECT_EQ(error_of("9..3"), "range start 9 is greater than its end 3");
  EXPECT_EQ(error_of("1..99999999999999999999999"), "number '99999999999999999999999' is out of range");
  EXPECT_EQ(error_of("5..100000005"), "5..100000005 is more than 100000000 seeds");
}
