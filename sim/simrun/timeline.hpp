// The timeline of one run for `simrun --html`: requests per backend over virtual time,
// refcount per director, the CLI steps, and sampled requests with their director chain.
// Fed while the run goes (RunRequest::on_event / on_request) in bounded memory; it only
// watches, so the run and its digest are the same with or without it.
#pragma once
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "sim/runner/runner.hpp"
#include "sim/trace.hpp"

namespace vdisim::simrun {

// A runtime "ref" event's text, "NAME +1 -> N" or "NAME -1 -> N": the name and the count.
bool parse_ref(std::string_view text, std::string &name, int &count);

class Timeline {
 public:
  // Buckets of duration_ns / kBuckets; events after the duration (teardown) go on in the
  // same width up to kMaxBuckets, the rest share the last bucket.
  explicit Timeline(std::int64_t duration_ns);
  void event(const sim::EventView &e);
  void request(const runner::RequestRecord &r);
  nlohmann::json to_json() const;  // the record's "timeline" (docs/report-format.md)

  static constexpr std::size_t kBuckets = 200, kMaxBuckets = 400;
  static constexpr std::size_t kSampleSlices = 24, kSampleFailed = 12, kMaxSteps = 400;

 private:
  struct RefBucket {  // one bucket of a director's refcount: the highest and the last
    std::size_t index = 0;
    std::int64_t first_ns = 0, last_ns = 0;
    int max = 0, last = 0;
  };
  struct Director {
    std::string type;
    std::int64_t added_ns = -1, destroyed_ns = -1;
    std::vector<RefBucket> refs;  // buckets that saw a change, in time order
  };
  std::size_t bucket(std::int64_t t_ns) const;
  void ref(const std::string &name, std::int64_t t_ns, int count);
  void director_event(const sim::EventView &e);

  std::int64_t width_ns_;
  std::int64_t end_ns_ = 0;
  std::map<std::string, std::vector<std::uint32_t>> fetches_;  // backend -> requests per bucket
  std::map<std::string, Director> directors_;
  std::vector<std::pair<std::int64_t, std::string>> steps_;  // CLI commands as they ran
  std::vector<runner::RequestRecord> samples_;
  std::vector<bool> slice_sampled_ = std::vector<bool>(kSampleSlices, false);
  std::size_t failed_sampled_ = 0;
};

}  // namespace vdisim::simrun
