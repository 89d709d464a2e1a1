// Table tests for the probe window, named by VRT_SPEC.md rule (E1, E2, E3).
#include "sim/fake_vrt/probe_window.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <memory>
#include <ostream>
#include <span>
#include <string>
#include <vector>

namespace vdisim::vrt {
namespace {

// ---- E1: defaults and VCC checks ---------------------------------------

TEST(E1, E1_defaults_all_zero) {
  const ProbeParams p = ProbeParams::with_defaults(ProbeParams{});
  EXPECT_EQ(p, (ProbeParams{2.0, 5.0, 8, 3, 2, 200}));
}

TEST(E1, E1_defaults_table) {
  struct Row { ProbeParams raw, want; };
  const Row rows[] = {
      // explicit values survive
      {{1.5, 0.25, 10, 4, 1, 204}, {1.5, 0.25, 10, 4, 1, 204}},
      // unset initial -> threshold - 1, computed from the defaulted threshold
      {{0, 0, 10, 6, kInitialUnset, 0}, {2, 5, 10, 6, 5, 200}},
      // a zeroed vmod struct has initial 0, which is kept
      {{0, 0, 0, 0, 0, 0}, {2, 5, 8, 3, 0, 200}},
      // initial above threshold is clamped to threshold
      {{0, 0, 8, 3, 7, 0}, {2, 5, 8, 3, 3, 200}},
      {{0, 0, 0, 0, 100, 0}, {2, 5, 8, 3, 3, 200}},
  };
  for (const Row& r : rows) EXPECT_EQ(ProbeParams::with_defaults(r.raw), r.want);
}

TEST(E1, E1_vcc_check_messages) {
  struct Row { VclProbeFields f; const char* want; };
  using O = std::optional<unsigned>;
  const Row rows[] = {
      {{}, ""},
      {{O{}, O{5}, O{}, O{}, 0, 0}, ""},                 // window -> 6
      {{O{64}, O{64}, O{}, O{}, 0, 0}, ""},              // threshold == window
      {{O{}, O{64}, O{}, O{}, 0, 0}, ""},                // window -> 65 (!)
      {{O{2}, O{0}, O{}, O{}, 0, 0}, ""},                // accepted by VCC
      {{O{8}, O{}, O{}, O{}, 0, 0}, "Must specify .threshold with .window"},
      {{O{}, O{65}, O{}, O{}, 0, 0}, "Threshold must be 64 or less."},
      {{O{65}, O{3}, O{}, O{}, 0, 0}, "Window must be 64 or less."},
      {{O{4}, O{5}, O{}, O{}, 0, 0}, "Threshold cannot be greater than window."},
      {{O{}, O{}, O{99}, O{}, 0, 0}, ""},                // initial is unchecked
      {{O{}, O{}, O{}, O{99}, 0, 0},
       "Must specify .expected_response with exactly three digits "
       "(100 <= x <= 999)"},
      {{O{}, O{}, O{}, O{1000}, 0, 0},
       "Must specify .expected_response with exactly three digits "
       "(100 <= x <= 999)"},
  };
  for (const Row& r : rows) EXPECT_EQ(vcc_check(r.f), r.want);
}

TEST(E1, E1_vcc_lower_what_vcc_emits) {
  using O = std::optional<unsigned>;
  EXPECT_EQ(vcc_lower({}), (ProbeParams{0, 0, 0, 0, kInitialUnset, 0}));
  EXPECT_EQ(vcc_lower({O{}, O{5}, O{}, O{}, 0, 0}),
            (ProbeParams{0, 0, 6, 5, kInitialUnset, 0}));
  EXPECT_EQ(vcc_lower({O{}, O{64}, O{}, O{}, 0, 0}).window, 65u);
  EXPECT_EQ(vcc_lower({O{10}, O{7}, O{9}, O{204}, 1, 2}),
            (ProbeParams{1, 2, 10, 7, 9, 204}));
}

TEST(E1, E1_validate_effective_values) {
  EXPECT_EQ(validate(ProbeParams{}), "");
  EXPECT_EQ(validate({0, 0, 64, 64, 0, 0}), "");
  EXPECT_EQ(validate({0, 0, 65, 64, 0, 0}), "Window must be 64 or less.");
  EXPECT_EQ(validate({0, 0, 4, 5, 0, 0}),
            "Threshold cannot be greater than window.");
  // threshold 0 defaults to 3 > window 2: VCC accepts it, validate does not
  EXPECT_EQ(validate({0, 0, 2, 0, 0, 0}),
            "Threshold cannot be greater than window.");
  EXPECT_NE(validate({0, 0, 0, 0, 0, 42}), "");
}

// ---- E2/E3: per-poll table ----------------------------------------------
// polls: '+' good poll, '-' failed poll. health per poll: 'h' still healthy,
// 's' still sick, 'H' went healthy, 'S' went sick.

struct WindowCase {
  std::string id;
  ProbeParams params;
  unsigned reset_good;
  char reset_health;  // same letters, relative to the "not sick" start
  std::string polls;
  std::vector<unsigned> goods;
  std::string health;
};

// Keeps gtest from dumping the struct's bytes into the discovered names.
void PrintTo(const WindowCase& c, std::ostream* os) { *os << c.id; }

std::string rep(char c, unsigned n) { return std::string(n, c); }
std::vector<unsigned> same(unsigned v, unsigned n) { return std::vector<unsigned>(n, v); }
std::vector<unsigned> cat(std::vector<std::vector<unsigned>> parts) {
  std::vector<unsigned> out;
  for (auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

char letter(const HealthStep& s) {
  if (s.flipped) return s.healthy ? 'H' : 'S';
  return s.healthy ? 'h' : 's';
}

std::vector<WindowCase> window_cases() {
  return {
      // Seen on varnishd 7.1 (window 8, threshold 3, initial 3), and
      // reproduced poll for poll on Debian's varnishd 7.1.1 with a local
      // backend stopped (refused connects, bits "--------") and restarted.
      // Reset leaves happy = 0b111 (good 3, "Still healthy"); three real
      // good polls give 0b111111: good 6, with the two top window slots
      // still empty from the reset -- they are not failed polls. Those two
      // zeros keep the count at 6 for the first two failures: each failure
      // shifts one empty slot out as it shifts a zero in. Then 5,4,3 and
      // 2 < 3 at the 6th failure ("Went sick"). The window is now 11000000;
      // the first two successes push the two old goods out while adding new
      // ones (2,2), the third makes 3 ("Went healthy").
      {"E2_varnishd71_refuse_then_recover", {0, 0, 8, 3, 3, 0}, 3, 'h',
       "+++------+++++", {4, 5, 6, 6, 6, 5, 4, 3, 2, 2, 2, 3, 4, 5},
       "hhhhhhhhSssHhh"},
      // Sickness from scattered failures, never two in a row.
      {"E2_sick_from_scattered_failures", {0, 0, 8, 6, 6, 0}, 6, 'h',
       "-+-+-", {6, 7, 6, 6, 5}, "hhhhS"},
      // Recovery depends on which old bits are still inside the window: the
      // same "one success after failures" heals A but not B.
      {"E2_recovery_uses_old_bits_in_window", {0, 0, 5, 3, 0, 0}, 0, 'S',
       "++--+", {1, 2, 2, 2, 3}, "ssssH"},
      {"E2_recovery_old_bits_already_expired", {0, 0, 5, 3, 0, 0}, 0, 'S',
       "++---+", {1, 2, 2, 2, 2, 2}, "ssssss"},
      // threshold == window: one failure costs a whole window of successes.
      {"E2_threshold_equals_window", {0, 0, 4, 4, kInitialUnset, 0}, 3, 'S',
       "+-++++", {4, 3, 3, 3, 3, 4}, "HSsssH"},
      // window 64 (largest VCC allows), threshold 64: the one bad bit must
      // travel through all 64 slots before the backend is healthy again.
      {"E2_window64_edge", {0, 0, 64, 64, kInitialUnset, 0}, 63, 'S',
       "+-" + rep('+', 64), cat({{64, 63}, same(63, 63), {64}}),
       "HS" + rep('s', 63) + "H"},
      // A lone `.threshold = 64` makes VCC emit window 65; the runtime can
      // still only count the 64 bits it keeps.
      {"E2_window65_from_lone_threshold64", {0, 0, 65, 64, kInitialUnset, 0},
       63, 'S', rep('+', 3), {64, 64, 64}, "Hhh"},
      // Explicit `.threshold = 0` with `.window = 2`: runtime threshold 3 can
      // never be reached.
      {"E2_threshold_above_window_never_healthy", {0, 0, 2, 0, kInitialUnset, 0},
       2, 'S', "++++", {2, 2, 2, 2}, "ssss"},
      // initial 7 is clamped to threshold 3: good 3 after reset, not 7, and
      // the backend survives exactly 5 failures.
      {"E3_initial_above_threshold_clamped", {0, 0, 8, 3, 7, 0}, 3, 'h',
       "------", {3, 3, 3, 3, 3, 2}, "hhhhhS"},
      // Default VCL probe: initial = threshold-1 = 2, so it starts sick
      // (a flip from the zeroed "not sick" backend) and one good poke heals.
      {"E3_default_vcl_probe_one_poke_healthy", ProbeParams{}, 2, 'S', "+",
       {3}, "H"},
      // A zeroed vmod probe (initial 0) needs `threshold` good pokes.
      {"E3_zeroed_vmod_probe_needs_threshold_pokes", {0, 0, 0, 0, 0, 0}, 0, 'S',
       "+++", {1, 2, 3}, "ssH"},
  };
}

class WindowTable : public ::testing::TestWithParam<WindowCase> {};

TEST_P(WindowTable, Sequence) {
  const WindowCase& c = GetParam();
  ASSERT_EQ(c.polls.size(), c.goods.size());
  ASSERT_EQ(c.polls.size(), c.health.size());
  ProbeWindow w(c.params);
  EXPECT_EQ(w.good_count(), c.reset_good);
  EXPECT_EQ(letter(w.last_step()), c.reset_health);
  std::vector<unsigned> goods;
  std::string health;
  for (char p : c.polls) {
    const HealthStep s = w.record(p == '+');
    EXPECT_EQ(s, w.last_step());
    EXPECT_EQ(s.healthy, s.good >= w.params().threshold);
    goods.push_back(s.good);
    health.push_back(letter(s));
  }
  EXPECT_EQ(goods, c.goods);
  EXPECT_EQ(health, c.health);

  // simulate() is the same thing as a pure function.
  const auto results = std::make_unique<bool[]>(c.polls.size());
  for (std::size_t i = 0; i < c.polls.size(); ++i) results[i] = c.polls[i] == '+';
  const std::vector<HealthStep> steps =
      simulate(c.params, std::span<const bool>(results.get(), c.polls.size()));
  ASSERT_EQ(steps.size(), c.polls.size());
  for (std::size_t i = 0; i < steps.size(); ++i) {
    EXPECT_EQ(steps[i].good, c.goods[i]) << "poll " << i;
    EXPECT_EQ(letter(steps[i]), c.health[i]) << "poll " << i;
  }
}

INSTANTIATE_TEST_SUITE_P(
    E, WindowTable, ::testing::ValuesIn(window_cases()),
    [](const ::testing::TestParamInfo<WindowCase>& info) { return info.param.id; });


// ---- E3: reset ------------------------------------------------------------

TEST(E3, E3_reset_clears_history_and_reports_flip) {
  ProbeWindow w(ProbeParams{});  // default VCL probe
  EXPECT_EQ(health_words(w.healthy(), w.last_flipped()), "Went sick");
  for (int i = 0; i < 10; ++i) w.record(true);
  ASSERT_TRUE(w.healthy());
  ASSERT_EQ(w.good_count(), 8u);
  // WARM/COLD reset: back to `initial` synthetic goods, health re-evaluated.
  EXPECT_EQ(w.reset(), (HealthStep{2, false, true}));
  EXPECT_EQ(w.bitmaps().happy, 0b11u);
  EXPECT_EQ(w.bitmaps().good_recv, 0u);
  EXPECT_EQ(w.reset(), (HealthStep{2, false, false}));  // "Still sick"
}

// With .initial = 0 a reset makes no synthetic poll, so nothing recounts good: the VCL
// goes cold "Still healthy" with cleared bits, and the first real poll after WARM counts
// from the empty maps (varnishd 7.1.1: sim/peer/temperature.yaml, cold_then_warm).
TEST(E3, E3_reset_with_initial_zero_keeps_good_until_the_next_poll) {
  ProbeParams p;
  p.window = 3;
  p.threshold = 2;
  p.initial = 0;
  ProbeWindow w(p);
  for (int i = 0; i < 3; ++i) w.record(true);
  ASSERT_EQ(w.last_step(), (HealthStep{3, true, false}));
  EXPECT_EQ(w.reset(), (HealthStep{3, true, false}));  // "Still healthy -------- 3"
  EXPECT_EQ(render_bits(w.bitmaps()), "--------");
  EXPECT_EQ(w.record(true), (HealthStep{1, false, true}));  // "Went sick 4---X-RH 1"
  EXPECT_EQ(w.record(true), (HealthStep{2, true, true}));   // "Went healthy"
}

// ---- E2: what Backend_health prints ---------------------------------------

TEST(E2, E2_bits_per_poke_result) {
  struct Row { PokeOutcome poke; const char* bits; };
  const Row rows[] = {
      {{PokeResult::kHappy, AddrFamily::kIpv4, 0}, "4---X-RH"},
      {{PokeResult::kConnectFailed, AddrFamily::kIpv4, 0}, "--------"},
      {{PokeResult::kConnectTimeout, AddrFamily::kIpv6, 0}, "-6------"},
      {{PokeResult::kXmitError, AddrFamily::kIpv4, 0}, "4--x----"},
      {{PokeResult::kRecvError, AddrFamily::kUnix, 0}, "--U-Xr--"},
      {{PokeResult::kEmptyResponse, AddrFamily::kIpv4, 0}, "4---X---"},
      {{PokeResult::kBadStatus, AddrFamily::kIpv6, 0}, "-6--X-R-"},
  };
  for (const Row& r : rows) {
    ProbeWindow w(ProbeParams{});
    w.record(r.poke);
    EXPECT_EQ(render_bits(w.bitmaps()), r.bits);
  }
  // Right after a reset only the synthetic happy bit shows.
  EXPECT_EQ(render_bits(ProbeWindow(ProbeParams{}).bitmaps()), "-------H");
  EXPECT_EQ(render_bits(ProbeWindow({0, 0, 0, 0, 0, 0}).bitmaps()), "--------");
}

TEST(E2, E2_health_words) {
  EXPECT_EQ(health_words(false, true), "Went sick");
  EXPECT_EQ(health_words(true, true), "Went healthy");
  EXPECT_EQ(health_words(false, false), "Still sick");
  EXPECT_EQ(health_words(true, false), "Still healthy");
}

TEST(E2, E2_backend_health_line_and_average) {
  ProbeWindow w(ProbeParams{});
  EXPECT_EQ(backend_health_line("b1", w, ""),
            "b1 Went sick -------H 2 3 8 0.000000 0.000000 \"\"");
  // Reset left the averaging divisor at 2 (one per synthetic poll), so the
  // first real response time of 0.5 s weighs 1/3.
  w.record(PokeOutcome{PokeResult::kHappy, AddrFamily::kIpv4, 0.5});
  EXPECT_EQ(backend_health_line("b1", w, "HTTP/1.1 200 OK"),
            "b1 Went healthy 4---X-RH 3 3 8 0.500000 0.166667 "
            "\"HTTP/1.1 200 OK\"");
  // A bad status keeps its response time but does not feed the average.
  w.record(PokeOutcome{PokeResult::kBadStatus, AddrFamily::kIpv4, 0.25});
  EXPECT_EQ(backend_health_line("b1", w, "HTTP/1.1 503 Service Unavailable"),
            "b1 Still healthy 4---X-R- 3 3 8 0.250000 0.166667 "
            "\"HTTP/1.1 503 Service Unavailable\"");
  EXPECT_EQ(render_history(w.bitmaps().happy, 'H'),
            std::string(60, '-') + "HHH-");
}

// The health line's times are written without fmt's float path (every poll logs two);
// they must be the bytes "{:.6f}" gives (the trace digest reads them): halfway cases
// (k/128 is exact in binary: ties go to even), their neighbours, and random values.
TEST(E2, E2_health_line_times_are_fmt_fixed6) {
  auto mine = [](double v) {
    fmt::memory_buffer b;
    append_fixed6(b, v);
    return fmt::to_string(b);
  };
  std::vector<double> vs = {0.0, -0.0, 5e-324, 0.0000005, 0.0000015, 0.0078125, 0.5, 2.0, 1e11, 1e12, -1.5,
                            std::nan(""), INFINITY, 1e300};
  for (int k = 0; k < 20000; k++) {
    double tie = (k + 0.5) / 1e6;
    for (double v : {k / 128.0, k / 1024.0, tie, std::nextafter(tie, 0.0), std::nextafter(tie, 1e9)}) vs.push_back(v);
  }
  std::uint64_t x = 42;
  for (int i = 0; i < 200000; i++) {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    double u = static_cast<double>(x >> 11) * 0x1p-53;
    for (double v : {u, u * 10, u * 1e-3, u * 1e9}) vs.push_back(v);
  }
  std::size_t bad = 0;
  for (double v : vs) {
    std::string want = fmt::format("{:.6f}", v);
    if (mine(v) != want && bad++ < 5) ADD_FAILURE() << fmt::format("{:a}: want {}, got {}", v, want, mine(v));
  }
  EXPECT_EQ(bad, 0u);
}

// ---- E2: flapping predictions ---------------------------------------------

TEST(E2, E2_flap_samples_exact) {
  const std::vector<bool> s = flap_samples({10, 0.3, 10, 0}, 1);
  EXPECT_EQ(s, (std::vector<bool>{1, 1, 1, 0, 0, 0, 0, 0, 0, 0}));
  // phase moves the sampling point into the cycle (7 s in: down until 10)
  EXPECT_EQ(flap_samples({10, 0.3, 4, 7}, 1), (std::vector<bool>{0, 0, 0, 1}));
}

TEST(E2, E2_flap_predictions_table) {
  struct Row { const char* what; ProbeParams p; FlapPattern f; FlapPrediction want; };
  const ProbeParams w8t3i3{0, 5, 8, 3, 3, 0};
  const Row rows[] = {
      {"always up", w8t3i3, {80, 1.0, 400, 0}, {80, 0, 0, 0, true}},
      {"always down: sick at the 6th poll", w8t3i3, {80, 0.0, 400, 0},
       {80, 1, 1, 0, false}},
      {"default probe, always up: heals at the 1st poll", {0, 5, 0, 0, kInitialUnset, 0},
       {80, 1.0, 400, 0}, {80, 1, 0, 1, true}},
      // 8 polls up, 8 down per period, 5 periods: sick 6 polls into each
      // down phase, healthy 3 polls into each following up phase.
      {"slow flap", w8t3i3, {80, 0.5, 400, 0}, {80, 9, 5, 4, false}},
      // up/down on alternate polls keeps 4 of 8 good: never below 3.
      {"fast flap is invisible", w8t3i3, {10, 0.5, 400, 0}, {80, 0, 0, 0, true}},
      // period == interval: every poll samples the same phase.
      {"aliased, up phase", w8t3i3, {5, 0.5, 400, 0}, {80, 0, 0, 0, true}},
      {"aliased, down phase", w8t3i3, {5, 0.5, 400, 3}, {80, 1, 1, 0, false}},
  };
  for (const Row& r : rows) {
    const FlapPrediction got = predict_flaps(r.p, r.f);
    EXPECT_EQ(got.polls, r.want.polls) << r.what;
    EXPECT_EQ(got.transitions, r.want.transitions) << r.what;
    EXPECT_EQ(got.went_sick, r.want.went_sick) << r.what;
    EXPECT_EQ(got.went_healthy, r.want.went_healthy) << r.what;
    EXPECT_EQ(got.healthy_at_end, r.want.healthy_at_end) << r.what;
  }
}

}  // namespace
}  // namespace vdisim::vrt
