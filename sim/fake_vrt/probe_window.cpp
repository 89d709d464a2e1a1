// Health-probe window; see probe_window.hpp for the model and its sources.
#include "sim/fake_vrt/probe_window.hpp"

#include <fmt/compile.h>
#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>

namespace vdisim::vrt {
namespace {

// Invariant checks stay on in every build type (RelWithDebInfo sets NDEBUG).
void check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "probe_window invariant failed: %s\n", what);
    std::abort();
  }
}

std::uint64_t window_mask(unsigned window) {
  return window >= kBitmapBits ? ~std::uint64_t{0}
                               : (std::uint64_t{1} << window) - 1;
}

// Maps set by a poll that got as far as `r`, in addition to the family bit.
struct PokeBits {
  bool family, err_xmit, good_xmit, err_recv, good_recv, happy;
};

PokeBits bits_for(PokeResult r) {
  switch (r) {
    case PokeResult::kConnectFailed: return {false, false, false, false, false, false};
    case PokeResult::kConnectTimeout: return {true, false, false, false, false, false};
    case PokeResult::kXmitError: return {true, true, false, false, false, false};
    case PokeResult::kRecvError: return {true, false, true, true, false, false};
    case PokeResult::kEmptyResponse: return {true, false, true, false, false, false};
    case PokeResult::kBadStatus: return {true, false, true, false, true, false};
    case PokeResult::kHappy: return {true, false, true, false, true, true};
  }
  check(false, "unknown PokeResult");
  return {};
}

std::uint64_t& family_map(ProbeBitmaps& m, AddrFamily f) {
  switch (f) {
    case AddrFamily::kIpv4: return m.good_ipv4;
    case AddrFamily::kIpv6: return m.good_ipv6;
    case AddrFamily::kUnix: return m.good_unix;
  }
  check(false, "unknown AddrFamily");
  return m.good_ipv4;
}

std::int64_t to_us(double s) { return std::llround(s * 1e6); }

}  // namespace

// ---- parameters ---------------------------------------------------------

ProbeParams ProbeParams::with_defaults(ProbeParams p) {
  if (p.timeout_s == 0.0) p.timeout_s = 2.0;
  if (p.interval_s == 0.0) p.interval_s = 5.0;
  if (p.window == 0) p.window = 8;
  if (p.threshold == 0) p.threshold = 3;
  if (p.exp_status == 0) p.exp_status = 200;
  if (p.initial == kInitialUnset) p.initial = p.threshold - 1;
  p.initial = std::min(p.initial, p.threshold);
  return p;
}

std::string vcc_check(const VclProbeFields& f) {
  // Same order as vcc_ParseProbeSpec: expected_response is rejected while
  // parsing, the window/threshold rules after the closing brace.
  if (f.expected_response &&
      (*f.expected_response < 100 || *f.expected_response > 999))
    return "Must specify .expected_response with exactly three digits "
           "(100 <= x <= 999)";
  if (!f.window && !f.threshold) return "";
  if (!f.threshold) return "Must specify .threshold with .window";
  if (!f.window && *f.threshold > kBitmapBits)
    return "Threshold must be 64 or less.";
  if (f.window && *f.window > kBitmapBits) return "Window must be 64 or less.";
  unsigned window = f.window ? *f.window : *f.threshold + 1;
  if (*f.threshold > window) return "Threshold cannot be greater than window.";
  return "";
}

ProbeParams vcc_lower(const VclProbeFields& f) {
  check(vcc_check(f).empty(), "vcc_lower on a block VCC rejects");
  ProbeParams p;
  p.timeout_s = f.timeout_s;
  p.interval_s = f.interval_s;
  if (f.threshold) {
    p.threshold = *f.threshold;
    p.window = f.window ? *f.window : *f.threshold + 1;
  }
  p.initial = f.initial.value_or(kInitialUnset);
  p.exp_status = f.expected_response.value_or(0);
  return p;
}

std::string validate(const ProbeParams& raw) {
  const ProbeParams p = ProbeParams::with_defaults(raw);
  VclProbeFields f;
  f.window = p.window;
  f.threshold = p.threshold;
  f.expected_response = p.exp_status;
  return vcc_check(f);
}

// ---- the window ---------------------------------------------------------

unsigned count_good(std::uint64_t happy, unsigned window) {
  return static_cast<unsigned>(std::popcount(happy & window_mask(window)));
}

ProbeWindow::ProbeWindow(const ProbeParams& raw)
    : params_(ProbeParams::with_defaults(raw)) {
  check(params_.window > 0 && params_.threshold > 0, "defaults applied");
  check(params_.initial <= params_.threshold, "initial clamped");
  reset();
}

void ProbeWindow::shift() {
  for (std::uint64_t* m : {&maps_.good_ipv4, &maps_.good_ipv6, &maps_.good_unix,
                           &maps_.err_xmit, &maps_.good_xmit, &maps_.err_recv,
                           &maps_.good_recv, &maps_.happy})
    *m <<= 1;
  last_s_ = 0.0;
}

// Exponential average of good response times: the divisor grows by one per
// happy poll up to 4 (synthetic reset polls count, with a time of 0).
void ProbeWindow::update_average() {
  if ((maps_.happy & 1) == 0) return;
  if (rate_ < 4.0) rate_ += 1.0;
  avg_s_ += (last_s_ - avg_s_) / rate_;
}

HealthStep ProbeWindow::evaluate() { return judge(count_good(maps_.happy, params_.window)); }

HealthStep ProbeWindow::judge(unsigned good) {
  good_ = good;
  check(good_ <= std::min(params_.window, kBitmapBits), "good within window");
  const bool now_healthy = good_ >= params_.threshold;
  flipped_ = now_healthy != healthy_;
  healthy_ = now_healthy;
  return last_step();
}

HealthStep ProbeWindow::reset() {
  maps_ = ProbeBitmaps{};
  avg_s_ = 0.0;
  rate_ = 0.0;
  // vbp_reset counts good only in the synthetic polls it makes: with .initial = 0 the
  // count (and so the health) stays what it was until the next real poll.
  const unsigned kept = good_;
  for (unsigned i = 0; i < params_.initial; ++i) {
    shift();
    maps_.happy |= 1;
    update_average();
  }
  const HealthStep s = params_.initial == 0 ? judge(kept) : evaluate();
  check(good_ == (params_.initial == 0 ? kept : std::min({params_.initial, params_.window, kBitmapBits})),
        "reset good");
  return s;
}

HealthStep ProbeWindow::record(bool good) {
  return record(PokeOutcome{good ? PokeResult::kHappy : PokeResult::kConnectFailed,
                            AddrFamily::kIpv4, 0.0});
}

HealthStep ProbeWindow::record(const PokeOutcome& poke) {
  const unsigned before = count_good(maps_.happy, params_.window);  // good_ may be stale (reset)
  shift();
  const PokeBits b = bits_for(poke.result);
  if (b.family) family_map(maps_, poke.family) |= 1;
  if (b.err_xmit) maps_.err_xmit |= 1;
  if (b.good_xmit) maps_.good_xmit |= 1;
  if (b.err_recv) maps_.err_recv |= 1;
  last_s_ = 0.0;  // vbp_start_poke clears it; only a good receive measures one
  if (b.good_recv) {
    maps_.good_recv |= 1;
    last_s_ = poke.last_s;
  }
  if (b.happy) maps_.happy |= 1;
  update_average();
  const HealthStep s = evaluate();
  // One shift moves at most one bit into and one bit out of the window.
  check(good_ + 1 >= before && good_ <= before + 1, "good moves by <= 1");
  return s;
}

// ---- rendering ----------------------------------------------------------

namespace {
std::array<char, 8> bits_of(const ProbeBitmaps& m) {
  const struct { std::uint64_t map; char mark; } order[] = {
      {m.good_ipv4, '4'}, {m.good_ipv6, '6'}, {m.good_unix, 'U'},
      {m.err_xmit, 'x'},  {m.good_xmit, 'X'}, {m.err_recv, 'r'},
      {m.good_recv, 'R'}, {m.happy, 'H'}};
  std::array<char, 8> out{};
  for (std::size_t i = 0; i < out.size(); i++) out[i] = (order[i].map & 1) ? order[i].mark : '-';
  return out;
}
}  // namespace

std::string render_bits(const ProbeBitmaps& m) {
  std::array<char, 8> b = bits_of(m);
  return std::string(b.data(), b.size());
}

std::string render_history(std::uint64_t map, char mark) {
  std::string out(kBitmapBits, '-');
  for (unsigned i = 0; i < kBitmapBits; ++i)
    if (map & (std::uint64_t{1} << (kBitmapBits - 1 - i))) out[i] = mark;
  return out;
}

std::string_view health_words(bool healthy, bool flipped) {
  if (flipped) return healthy ? "Went healthy" : "Went sick";
  return healthy ? "Still healthy" : "Still sick";
}

namespace {
// v rounded to a multiple of 1e-6 from its exact binary value, ties to even (what fmt's
// "{:.6f}" and printf's "%.6f" do): m * 2^e * 10^6 in 128-bit integers. nullopt for what
// this does not cover (negative, -0, NaN, 1e12 and more).
std::optional<std::uint64_t> micros_of(double v) {
  if (!(v >= 0.0) || std::signbit(v) || v >= 1e12) return std::nullopt;
  const auto bits = std::bit_cast<std::uint64_t>(v);
  const int biased = static_cast<int>(bits >> 52) & 0x7ff;
  std::uint64_t m = bits & ((std::uint64_t{1} << 52) - 1);
  int e = -1074;  // subnormal
  if (biased != 0) {
    m |= std::uint64_t{1} << 52;
    e = biased - 1075;
  }
  check(e < 0, "below 1e12 a double has a binary fraction");
  const auto s = static_cast<unsigned>(-e);
  if (s >= 128) return 0;  // m * 10^6 < 2^73: far below half a millionth
  const unsigned __int128 p = static_cast<unsigned __int128>(m) * 1'000'000u;
  unsigned __int128 q = p >> s;
  const unsigned __int128 rem = p - (q << s), half = static_cast<unsigned __int128>(1) << (s - 1);
  if (rem > half || (rem == half && (q & 1) != 0)) q++;
  return static_cast<std::uint64_t>(q);
}
}  // namespace

void append_fixed6(fmt::memory_buffer& out, double v) {
  const std::optional<std::uint64_t> us = micros_of(v);
  if (!us) {
    fmt::format_to(std::back_inserter(out), FMT_COMPILE("{:.6f}"), v);
    return;
  }
  const fmt::format_int whole(*us / 1'000'000);
  out.append(whole.data(), whole.data() + whole.size());
  char frac[7] = {'.'};
  std::uint64_t f = *us % 1'000'000;
  for (int i = 6; i >= 1; i--, f /= 10) frac[i] = static_cast<char>('0' + f % 10);
  out.append(frac, frac + sizeof frac);
}

void append_health_line(fmt::memory_buffer& out, std::string_view name, const ProbeWindow& w,
                        std::string_view resp) {
  std::array<char, 8> bits = bits_of(w.bitmaps());
  fmt::format_to(std::back_inserter(out), FMT_COMPILE("{} {} {} {} {} {} "), name,
                 health_words(w.healthy(), w.last_flipped()), std::string_view(bits.data(), bits.size()),
                 w.good_count(), w.params().threshold, w.params().window);
  append_fixed6(out, w.last_s());
  out.push_back(' ');
  append_fixed6(out, w.avg_s());
  out.push_back(' ');
  out.push_back('"');
  out.append(resp.data(), resp.data() + resp.size());
  out.push_back('"');
}

std::string backend_health_line(std::string_view name, const ProbeWindow& w,
                                std::string_view resp) {
  fmt::memory_buffer out;
  append_health_line(out, name, w, resp);
  return fmt::to_string(out);
}

// ---- pure helpers -------------------------------------------------------

std::vector<HealthStep> simulate(const ProbeParams& raw,
                                 std::span<const bool> results) {
  ProbeWindow w(raw);
  std::vector<HealthStep> steps;
  steps.reserve(results.size());
  for (bool r : results) steps.push_back(w.record(r));
  return steps;
}

std::vector<bool> flap_samples(const FlapPattern& f, double interval_s) {
  check(f.period_s > 0.0 && interval_s > 0.0, "positive period and interval");
  check(f.duty >= 0.0 && f.duty <= 1.0, "duty in [0,1]");
  const std::int64_t period = to_us(f.period_s), step = to_us(interval_s);
  const std::int64_t up = to_us(f.duty * f.period_s), end = to_us(f.duration_s);
  const std::int64_t phase = ((to_us(f.phase_s) % period) + period) % period;
  check(period > 0 && step > 0, "period and interval >= 1 us");
  std::vector<bool> out;
  for (std::int64_t t = 0; t < end; t += step) out.push_back((t + phase) % period < up);
  return out;
}

FlapPrediction predict_flaps(const ProbeParams& raw, const FlapPattern& f) {
  ProbeWindow w(raw);
  FlapPrediction p;
  for (bool up : flap_samples(f, w.params().interval_s)) {
    const HealthStep s = w.record(up);
    ++p.polls;
    if (!s.flipped) continue;
    ++p.transitions;
    ++(s.healthy ? p.went_healthy : p.went_sick);
  }
  p.healthy_at_end = w.healthy();
  return p;
}

}  // namespace vdisim::vrt
