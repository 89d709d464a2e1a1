// Trace: the append-only record of one run, with a running 64-bit digest (a word-wise
// multiply-xorshift mix) over every event. Two runs are the same run iff their digests
// are equal. Holds the last events in a ring (for failure reports) and, when asked, all
// of them up to a bound (for --trace export; run.max_trace_events).
// Must never contain pointers, thread ids or wall-clock values.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace vdisim::sim {

enum class EventKind : std::uint8_t {
  Decision,     // a: chosen actor, b: number of candidates
  ActorStart,   // text: actor name
  ActorEnd,     // a: 0 normal, 1 failed, 2 cancelled
  Timer,        // a: actors woken at this time
  Lock,         // text: lock name; a: 0 acquire, 1 release, 2 wait
  User,         // text: free form (VSL lines, runtime events, refcounts)
  Failure,      // text: rule and message
};
const char *to_string(EventKind k);

struct Event {
  std::uint64_t seq = 0;
  std::int64_t time_ns = 0;
  std::uint32_t actor = 0;  // 0 = the run loop (main)
  EventKind kind = EventKind::User;
  std::uint32_t a = 0, b = 0;
  std::string topic;  // short category, e.g. "vcl", "ref", "health"
  std::string text;
};
std::string format_event(const Event &e);

// What Trace::add reads, and what hooks and each_tail are given: an event whose strings
// are borrowed (for the call; each_tail's, until the next add). The hot path (every
// decision and lock operation) copies only into the tail ring, into buffers it reuses.
struct EventView {
  std::uint64_t seq = 0;  // set by Trace::add in the views it hands on
  std::int64_t time_ns = 0;
  std::uint32_t actor = 0;
  EventKind kind = EventKind::User;
  std::uint32_t a = 0, b = 0;
  std::string_view topic;
  std::string_view text;
  Event owned() const { return {seq, time_ns, actor, kind, a, b, std::string(topic), std::string(text)}; }
};

class Trace {
 public:
  explicit Trace(std::size_t tail_capacity = 64);
  ~Trace();
  Trace(const Trace &) = delete;
  Trace &operator=(const Trace &) = delete;
  void add(const EventView &e);
  std::uint64_t digest() const { return digest_; }
  std::uint64_t size() const { return seq_; }
  // Last events in order (at most tail_capacity).
  std::vector<Event> tail(std::size_t n) const;
  // The same events, oldest first, without copying them (a crash handler reads them).
  template <class F>
  void each_tail(F f) const {
    std::size_t have = ring_used_, start = have < tail_cap_ ? 0 : ring_next_;  // full: ring_next_ is the oldest
    for (std::size_t i = 0; i < have; i++) f(static_cast<const EventView &>(ring_[(start + i) % have].view));
  }
  // Keep every event for export, at most `limit` of them: the first ones, so every kept
  // actor has its start; the rest are only counted (dropped()). The digest and the tail
  // see every event either way.
  void keep_all(bool on, std::uint64_t limit = UINT64_MAX) {
    keep_all_ = on;
    keep_limit_ = limit;
  }
  const std::vector<Event> &all() const { return all_; }
  std::uint64_t dropped() const { return dropped_; }
  // Called for every event as it is added (e.g. streaming export, tests), with the view
  // add() was given (its seq set).
  void set_hook(std::function<void(const EventView &)> hook) { hook_ = std::move(hook); }
  // While muted, add() drops events (Sim::Quiet: an observer's check is not the run).
  void mute(bool on) { muted_ = on; }
  bool muted() const { return muted_; }

 private:
  bool muted_ = false;
  std::uint64_t digest_ = 0xcbf29ce484222325ULL;
  std::uint64_t seq_ = 0;
  std::size_t tail_cap_;
  // A tail event: its view's topic and text point into bytes (topic, then text), a buffer
  // that grows to the longest pair it held and is reused after that.
  struct Slot {
    EventView view;
    std::unique_ptr<char[]> bytes;
    std::size_t cap = 0;
    void keep(std::uint64_t seq, const EventView &e);
  };
  static std::vector<Slot> &spare_ring();  // the thread's last finished Trace's slots
  // tail_cap_ slots, taken from the thread's last finished Trace when it had as many: their
  // buffers are warm, so a run's first events allocate nothing either (a sweep makes a
  // Trace per seed). Only the first ring_used_ slots hold this run's events.
  std::vector<Slot> ring_;
  std::size_t ring_used_ = 0;
  std::size_t ring_next_ = 0;
  bool keep_all_ = false;
  std::uint64_t keep_limit_ = UINT64_MAX;
  std::uint64_t dropped_ = 0;  // events past keep_limit_ while keeping all
  std::vector<Event> all_;
  std::function<void(const EventView &)> hook_;
};

}  // namespace vdisim::sim
