// Health-probe window of a native Varnish backend (VRT_SPEC.md section E),
// as a pure, deterministic value type: no clock, no I/O, no randomness.
//
// Model (facts checked against varnish-cache bin/varnishd/cache/
// cache_backend_probe.c, lib/libvcc/vcc_backend.c, include/vrt.h and the
// Debian varnishd 7.1.1 binary):
//  - every poll shifts all history bitmaps left by one; the outcome of the
//    poll sets bit 0 of the maps it earned (`happy` = status == exp_status);
//  - good = number of set `happy` bits among the low `window` bits;
//  - sick = good < threshold; a "flip" is a change of that verdict against
//    the previous verdict (not against the previous good count);
//  - reset (probe insert, every WARM and COLD) clears all maps and replays
//    `initial` synthetic happy polls, then re-evaluates health; with initial 0
//    there is no poll to count, so good (and health) keep their old value until
//    the next real poll (vbp_reset; recorded on varnishd 7.1.1, same in 8.0.0).
#pragma once

#include <fmt/format.h>

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace vdisim::vrt {

// VCC writes this for an unset `.initial` ("~0U").
inline constexpr unsigned kInitialUnset = ~0U;
// Width of Varnish's history bitmaps (uintmax_t / uint64_t).
inline constexpr unsigned kBitmapBits = 64;

// Mirrors the numeric part of struct vrt_backend_probe. Zero means "unset"
// for every field except `initial`, whose unset value is kInitialUnset (so a
// value-initialised ProbeParams{} is what VCC emits for `.probe = {}`; a
// zeroed C struct from a vmod has initial 0 instead).
struct ProbeParams {
  double timeout_s = 0.0;
  double interval_s = 0.0;
  unsigned window = 0;
  unsigned threshold = 0;
  unsigned initial = kInitialUnset;
  unsigned exp_status = 0;

  // Runtime defaults applied when the probe is inserted (rule E1):
  // timeout 0->2 s, interval 0->5 s, window 0->8, threshold 0->3,
  // exp_status 0->200, initial ~0U->threshold-1, then
  // initial = min(initial, threshold). No other sanitising happens.
  static ProbeParams with_defaults(ProbeParams raw);

  friend bool operator==(const ProbeParams&, const ProbeParams&) = default;
};

// A probe block as written in VCL; nullopt = field absent.
struct VclProbeFields {
  std::optional<unsigned> window;
  std::optional<unsigned> threshold;
  std::optional<unsigned> initial;
  std::optional<unsigned> expected_response;
  double timeout_s = 0.0;
  double interval_s = 0.0;
};

// VCC's verdict on a probe block: "" if accepted, else VCC's first error
// message verbatim (e.g. "Window must be 64 or less.").
std::string vcc_check(const VclProbeFields& f);
// What VCC writes into struct vrt_backend_probe for an accepted block
// (window = threshold + 1 when only .threshold is given, window/threshold
// left 0 when neither is, initial ~0U when absent). Precondition:
// vcc_check(f) is "".
ProbeParams vcc_lower(const VclProbeFields& f);
// VCC's rules applied to the values the runtime will use (after
// with_defaults). Stricter than VCC in two corners VCC accepts: a lone
// `.threshold = 64` (VCC derives window 65) and an explicit `.threshold = 0`
// with `.window` < 3 (runtime threshold 3 > window: never healthy).
std::string validate(const ProbeParams& raw);

// How far one poll got (vbp_poke's exit points), i.e. which maps it sets.
enum class PokeResult : std::uint8_t {
  kConnectFailed,   // no connection: no bit at all
  kConnectTimeout,  // connected (family bit) but no time left / short write
  kXmitError,       // family + err_xmit
  kRecvError,       // family + good_xmit + err_recv (poll/read error, timeout)
  kEmptyResponse,   // family + good_xmit
  kBadStatus,       // family + good_xmit + good_recv
  kHappy,           // family + good_xmit + good_recv + happy
};
enum class AddrFamily : std::uint8_t { kIpv4, kIpv6, kUnix };

struct PokeOutcome {
  PokeResult result = PokeResult::kConnectFailed;
  AddrFamily family = AddrFamily::kIpv4;
  double last_s = 0.0;  // response time; Varnish keeps it only on good_recv
};

// The eight maps, in the order Varnish prints them ('4','6','U','x','X',
// 'r','R','H'). Bit 0 is the newest poll.
struct ProbeBitmaps {
  std::uint64_t good_ipv4 = 0, good_ipv6 = 0, good_unix = 0;
  std::uint64_t err_xmit = 0, good_xmit = 0;
  std::uint64_t err_recv = 0, good_recv = 0;
  std::uint64_t happy = 0;
};

struct HealthStep {
  unsigned good = 0;
  bool healthy = false;
  bool flipped = false;
  friend bool operator==(const HealthStep&, const HealthStep&) = default;
};

class ProbeWindow {
 public:
  // Applies ProbeParams::with_defaults, then behaves like VBP_Insert
  // followed by the first VBP_Update_Backend: the backend starts out
  // "not sick" (zeroed struct) and reset() decides, so the default probe
  // (initial = threshold-1) reports a flip to sick right away.
  explicit ProbeWindow(const ProbeParams& raw);

  // Clear all maps and replay `initial` synthetic happy polls; re-evaluate.
  HealthStep reset();
  // One poll. record(true) = kHappy over IPv4, record(false) = kConnectFailed
  // (a refused connection), which is what a stopped backend produces.
  HealthStep record(bool good);
  HealthStep record(const PokeOutcome& poke);

  unsigned good_count() const { return good_; }
  bool healthy() const { return healthy_; }
  bool last_flipped() const { return flipped_; }
  HealthStep last_step() const { return {good_, healthy_, flipped_}; }
  const ProbeBitmaps& bitmaps() const { return maps_; }
  const ProbeParams& params() const { return params_; }
  double last_s() const { return last_s_; }
  double avg_s() const { return avg_s_; }

 private:
  void shift();
  HealthStep evaluate();             // counts good in the happy map, then judge()
  HealthStep judge(unsigned good);   // health from this good count
  void update_average();

  ProbeParams params_;
  ProbeBitmaps maps_;
  unsigned good_ = 0;
  bool healthy_ = true;
  bool flipped_ = false;
  double last_s_ = 0.0, avg_s_ = 0.0, rate_ = 0.0;
};

// Set bits of `happy` among its low `window` bits (window >= 64: all bits).
unsigned count_good(std::uint64_t happy, unsigned window);
// Bit 0 of each map, as in a Backend_health record: "4---X-RH".
std::string render_bits(const ProbeBitmaps& maps);
// The full 64-poll history of one map, oldest first, as backend.list -p
// prints it ('-' for clear bits, `mark` for set ones).
std::string render_history(std::uint64_t map, char mark);
// "Went sick", "Went healthy", "Still sick" or "Still healthy".
std::string_view health_words(bool healthy, bool flipped);
// A whole Backend_health payload:
// "<name> <Went|Still> <sick|healthy> <bits> <good> <threshold> <window>
//  <last> <avg> \"<resp>\"" with %.6f for the two times.
std::string backend_health_line(std::string_view name, const ProbeWindow& w,
                                std::string_view resp);
// v as "{:.6f}" writes it (the health line's times), at the end of `out`; exact, without
// fmt's general floating-point path for the values probes log.
void append_fixed6(fmt::memory_buffer& out, double v);
// The same payload written at the end of `out` (every probe poll logs one: no heap
// string, no format string parsed at run time).
void append_health_line(fmt::memory_buffer& out, std::string_view name, const ProbeWindow& w,
                        std::string_view resp);

// Per-poll evolution from a fresh reset; result i is the state after
// results[i] (the reset itself is not included).
std::vector<HealthStep> simulate(const ProbeParams& raw,
                                 std::span<const bool> results);

// A backend that is up for duty*period, then down for the rest of each
// period, the cycle starting `phase_s` seconds into an up phase at t=0.
struct FlapPattern {
  double period_s = 0.0;
  double duty = 0.0;  // fraction of each period the backend is up, [0,1]
  double duration_s = 0.0;
  double phase_s = 0.0;
};
struct FlapPrediction {
  unsigned polls = 0;
  unsigned transitions = 0;  // went_sick + went_healthy
  unsigned went_sick = 0;
  unsigned went_healthy = 0;
  bool healthy_at_end = false;
};
// Poll k happens at t = k*interval for t < duration (zero poll duration,
// so no drift); each returns whether the backend was up at that instant.
// Times are rounded to whole microseconds so the pattern is exact.
std::vector<bool> flap_samples(const FlapPattern& f, double interval_s);
// Health transitions caused by those polls (params.interval_s after
// defaults), counted from the post-reset state; the reset is not counted.
FlapPrediction predict_flaps(const ProbeParams& raw, const FlapPattern& f);

}  // namespace vdisim::vrt
