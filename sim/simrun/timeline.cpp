// Timeline of one run for the HTML report: bucketed as it goes, so a long run costs no
// more memory than a short one.
#include "sim/simrun/timeline.hpp"

#include <algorithm>
#include <charconv>
#include <string_view>

namespace vdisim::simrun {

namespace {
double seconds(std::int64_t ns) { return static_cast<double>(ns) * 1e-9; }
}  // namespace

bool parse_ref(std::string_view text, std::string &name, int &count) {
  std::size_t sp = text.find(' ');
  if (sp == std::string_view::npos || sp == 0) return false;
  std::string_view rest = text.substr(sp);
  if (!rest.starts_with(" +1 -> ") && !rest.starts_with(" -1 -> ")) return false;
  rest.remove_prefix(7);
  auto [end, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), count);
  if (ec != std::errc() || end != rest.data() + rest.size()) return false;
  name = text.substr(0, sp);
  return true;
}

Timeline::Timeline(std::int64_t duration_ns)
    : width_ns_(std::max<std::int64_t>(1, duration_ns / static_cast<std::int64_t>(kBuckets))) {}

std::size_t Timeline::bucket(std::int64_t t_ns) const {
  return std::min(static_cast<std::size_t>(std::max<std::int64_t>(0, t_ns) / width_ns_), kMaxBuckets - 1);
}

void Timeline::ref(const std::string &name, std::int64_t t_ns, int count) {
  auto &refs = directors_[name].refs;
  std::size_t i = bucket(t_ns);
  if (refs.empty() || refs.back().index != i) refs.push_back({i, t_ns, t_ns, count, count});
  RefBucket &b = refs.back();
  b.max = std::max(b.max, count);
  b.last = count;
  b.last_ns = t_ns;
}

// "NAME added (TYPE), refcnt 1" and "NAME destroy" (vrt_director.cpp): a director's life.
void Timeline::director_event(const sim::EventView &e) {
  std::size_t sp = e.text.find(' ');
  if (sp == std::string_view::npos) return;
  std::string name(e.text.substr(0, sp));
  std::string_view what = e.text.substr(sp + 1);
  if (what.starts_with("added (")) {
    Director &d = directors_[name];
    d.added_ns = e.time_ns;
    d.type = std::string(what.substr(7, what.find(')') - 7));
    ref(name, e.time_ns, 1);
  } else if (what == "destroy") {
    directors_[name].destroyed_ns = e.time_ns;
  }
}

void Timeline::event(const sim::EventView &e) {
  end_ns_ = std::max(end_ns_, e.time_ns);
  if (e.topic == "ref") {
    std::string name;
    int count = 0;
    if (parse_ref(e.text, name, count)) ref(name, e.time_ns, count);
  } else if (e.topic == "dir") {
    director_event(e);
  } else if (e.topic == "cli" && steps_.size() < kMaxSteps) {
    steps_.emplace_back(e.time_ns, e.text);
  }
}

// Samples: the first request to end in each of kSampleSlices slices of the run, and the
// first kSampleFailed that did not end "ok", so a short page still shows every phase.
void Timeline::request(const runner::RequestRecord &r) {
  end_ns_ = std::max(end_ns_, r.end_ns);
  std::size_t i = bucket(r.end_ns);
  auto &per = fetches_[r.backend];
  if (per.size() <= i) per.resize(i + 1, 0);
  per[i]++;
  std::size_t slice = std::min(kSampleSlices - 1, i * kSampleSlices / kBuckets);
  bool failed = r.outcome != "ok";
  if (!slice_sampled_[slice] || (failed && failed_sampled_ < kSampleFailed)) {
    if (failed && slice_sampled_[slice]) failed_sampled_++;
    slice_sampled_[slice] = true;
    samples_.push_back(r);
  }
}

nlohmann::json Timeline::to_json() const {
  nlohmann::json j;
  j["bucket_s"] = seconds(width_ns_);
  j["end_s"] = seconds(end_ns_);
  j["fetches"] = nlohmann::json::object();
  for (const auto &[backend, per] : fetches_) j["fetches"][backend] = per;
  j["directors"] = nlohmann::json::object();
  for (const auto &[name, d] : directors_) {
    nlohmann::json refs = nlohmann::json::array();
    for (const auto &b : d.refs) refs.push_back({seconds(b.first_ns), b.max, seconds(b.last_ns), b.last});
    nlohmann::json one = {{"type", d.type}, {"refs", refs}};
    if (d.added_ns >= 0) one["added_s"] = seconds(d.added_ns);
    if (d.destroyed_ns >= 0) one["destroyed_s"] = seconds(d.destroyed_ns);
    j["directors"][name] = one;
  }
  j["steps"] = nlohmann::json::array();
  for (const auto &[t, text] : steps_) j["steps"].push_back({seconds(t), text});
  j["samples"] = nlohmann::json::array();
  for (const auto &q : samples_)
    j["samples"].push_back({{"start_s", seconds(q.start_ns)}, {"end_s", seconds(q.end_ns)}, {"url", q.url},
                            {"vcl", q.vcl}, {"director", q.director}, {"chain", q.chain}, {"outcome", q.outcome}});
  return j;
}

}  // namespace vdisim::simrun
