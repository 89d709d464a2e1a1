// Trace implementation: digest over a canonical word form of each event.
#include "sim/trace.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <cstring>

namespace vdisim::sim {

const char *to_string(EventKind k) {
  switch (k) {
    case EventKind::Decision: return "decision";
    case EventKind::ActorStart: return "start";
    case EventKind::ActorEnd: return "end";
    case EventKind::Timer: return "timer";
    case EventKind::Lock: return "lock";
    case EventKind::User: return "event";
    case EventKind::Failure: return "failure";
  }
  return "?";
}

std::string format_event(const Event &e) {
  std::string s = fmt::format("#{} t={:.9f} a{} {}", e.seq, e.time_ns / 1e9, e.actor,
                              to_string(e.kind));
  if (e.kind == EventKind::Decision) s += fmt::format(" pick a{} of {}", e.a, e.b);
  if (e.kind == EventKind::Timer) s += fmt::format(" woke {}", e.a);
  if (!e.topic.empty()) s += " [" + e.topic + "]";
  if (!e.text.empty()) s += " " + e.text;
  return s;
}

namespace {
// One 64-bit word into the digest: multiply-xorshift (a word per multiply, not a byte as
// FNV-1a does; five byte-wise FNV rounds were a third of a scheduling point's cost).
std::uint64_t mix(std::uint64_t h, std::uint64_t v) {
  h = (h ^ v) * 0x9e3779b97f4a7c15ULL;
  return h ^ (h >> 29);
}

static_assert(std::endian::native == std::endian::little, "the digest reads words little-endian");

// The last r (1..7) bytes of p[0..n) as a little-endian word, zero-padded: what a memcpy
// of them into a zeroed word gives, by fixed-size loads (a memcpy of a variable length is
// a call, at every event).
std::uint64_t tail_word(const char *p, std::size_t n, std::size_t r) {
  if (n >= 8) {  // one load that ends with the string, its extra bytes shifted out
    std::uint64_t w;
    std::memcpy(&w, p + n - 8, 8);
    return w >> (8 * (8 - r));
  }
  const auto *b = reinterpret_cast<const unsigned char *>(p + n - r);
  if (r >= 4) {  // two loads that overlap in the middle: equal bytes at equal places
    std::uint32_t lo, hi;
    std::memcpy(&lo, b, 4);
    std::memcpy(&hi, b + r - 4, 4);
    return lo | (static_cast<std::uint64_t>(hi) << (8 * (r - 4)));
  }
  return b[0] | (static_cast<std::uint64_t>(b[r / 2]) << (8 * (r / 2))) |
         (static_cast<std::uint64_t>(b[r - 1]) << (8 * (r - 1)));
}

// Bytes eight at a time (the tail zero-padded), then the length: "ab" and "ab\0" differ.
std::uint64_t mix_bytes(std::uint64_t h, std::string_view s) {
  std::size_t n = s.size(), i = 0;
  for (; i + 8 <= n; i += 8) {
    std::uint64_t w;
    std::memcpy(&w, s.data() + i, 8);
    h = mix(h, w);
  }
  if (i < n) h = mix(h, tail_word(s.data(), n, n - i));
  return mix(h, n);
}

}  // namespace

void Trace::Slot::keep(std::uint64_t seq, const EventView &e) {
  const std::size_t nt = e.topic.size(), n = nt + e.text.size();
  if (n > cap) {
    cap = std::max<std::size_t>({n, 2 * cap, 64});
    bytes = std::make_unique_for_overwrite<char[]>(cap);
  }
  char *p = bytes.get();
  if (nt) std::memcpy(p, e.topic.data(), nt);
  if (n > nt) std::memcpy(p + nt, e.text.data(), n - nt);
  view = e;
  view.seq = seq;
  view.topic = {p, nt};
  view.text = {p + nt, n - nt};
}

std::vector<Trace::Slot> &Trace::spare_ring() {
  thread_local std::vector<Slot> spare;
  return spare;
}

Trace::Trace(std::size_t tail_capacity) : tail_cap_(tail_capacity) {
  if (spare_ring().size() == tail_cap_) ring_.swap(spare_ring());
  else ring_.resize(tail_cap_);
}

Trace::~Trace() {
  if (!ring_.empty()) spare_ring().swap(ring_);
}

void Trace::add(const EventView &e) {
  if (muted_) return;
  const std::uint64_t seq = seq_++;
  std::uint64_t h = digest_;
  h = mix(h, static_cast<std::uint64_t>(e.time_ns));
  h = mix(h, (static_cast<std::uint64_t>(e.actor) << 8) | static_cast<std::uint8_t>(e.kind));
  h = mix(h, (static_cast<std::uint64_t>(e.a) << 32) | e.b);
  // mix_bytes of "" is mix(h, 0), done here: most events have no topic, decisions no text.
  h = e.topic.empty() ? mix(h, 0) : mix_bytes(h, e.topic);
  digest_ = e.text.empty() ? mix(h, 0) : mix_bytes(h, e.text);
  if (tail_cap_ > 0) {
    if (ring_used_ < tail_cap_) ring_used_++;
    ring_[ring_next_].keep(seq, e);
    if (++ring_next_ == tail_cap_) ring_next_ = 0;
  }
  if (!hook_ && !keep_all_) return;
  EventView v = e;  // the caller's strings, alive for this call (a hook may add events)
  v.seq = seq;
  if (hook_) hook_(v);
  if (keep_all_) {
    if (all_.size() < keep_limit_) {
      all_.push_back(v.owned());
    } else {
      dropped_++;
    }
  }
}

std::vector<Event> Trace::tail(std::size_t n) const {
  std::vector<Event> out;
  each_tail([&out](const EventView &e) { out.push_back(e.owned()); });
  if (out.size() > n) out.erase(out.begin(), out.end() - static_cast<std::ptrdiff_t>(n));
  return out;
}

}  // namespace vdisim::sim
