// Trace implementation: digest over a canonical byte form of each event.
#include "sim/trace.hpp"

#include <fmt/format.h>

#include "sim/prng.hpp"

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

static std::uint64_t mix_u64(std::uint64_t h, std::uint64_t v) {
  for (int i = 0; i < 8; i++) {
    h ^= (v >> (8 * i)) & 0xff;
    h *= 0x100000001b3ULL;
  }
  return h;
}

void Trace::add(Event e) {
  e.seq = seq_++;
  std::uint64_t h = digest_;
  h = mix_u64(h, static_cast<std::uint64_t>(e.time_ns));
  h = mix_u64(h, (static_cast<std::uint64_t>(e.actor) << 8) | static_cast<std::uint8_t>(e.kind));
  h = mix_u64(h, (static_cast<std::uint64_t>(e.a) << 32) | e.b);
  h = fnv1a64(e.topic, h);
  h = mix_u64(h, e.topic.size());
  h = fnv1a64(e.text, h);
  digest_ = mix_u64(h, e.text.size());
  if (hook_) hook_(e);
  if (keep_all_) {
    if (all_.size() < keep_limit_) {
      all_.push_back(e);
    } else {
      dropped_++;
    }
  }
  if (tail_cap_ == 0) return;
  if (ring_.size() < tail_cap_) {
    ring_.push_back(std::move(e));
  } else {
    ring_[ring_next_] = std::move(e);
    ring_next_ = (ring_next_ + 1) % tail_cap_;
  }
}

std::vector<Event> Trace::tail(std::size_t n) const {
  std::vector<Event> out;
  std::size_t have = ring_.size();
  std::size_t start = have < tail_cap_ ? 0 : ring_next_;
  for (std::size_t i = 0; i < have; i++) out.push_back(ring_[(start + i) % have]);
  if (out.size() > n) out.erase(out.begin(), out.end() - static_cast<std::ptrdiff_t>(n));
  return out;
}

}  // namespace vdisim::sim
