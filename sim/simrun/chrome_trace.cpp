// Chrome trace export. Virtual nanoseconds become trace microseconds.
#include "sim/simrun/chrome_trace.hpp"

#include <map>
#include <regex>

#include "sim/simrun/timeline.hpp"

namespace vdisim::simrun {

nlohmann::json chrome_trace(const std::vector<sim::Event> &events, std::uint64_t dropped) {
  nlohmann::json out = nlohmann::json::array();
  static const std::regex health_re(R"(^(\S+) (Went|Still) (sick|healthy))");
  out.push_back({{"ph", "M"}, {"pid", 1}, {"tid", 0}, {"name", "thread_name"}, {"args", {{"name", "run loop"}}}});
  for (const auto &e : events) {
    double ts = static_cast<double>(e.time_ns) / 1000.0;
    switch (e.kind) {
      case sim::EventKind::ActorStart:
        out.push_back({{"ph", "M"}, {"pid", 1}, {"tid", e.actor}, {"name", "thread_name"}, {"args", {{"name", e.text}}}});
        out.push_back({{"ph", "B"}, {"pid", 1}, {"tid", e.actor}, {"ts", ts}, {"name", e.text}});
        break;
      case sim::EventKind::ActorEnd:
        out.push_back({{"ph", "E"}, {"pid", 1}, {"tid", e.actor}, {"ts", ts},
                       {"args", {{"outcome", e.a == 0 ? "done" : e.a == 1 ? "failed" : "cancelled"}}}});
        break;
      case sim::EventKind::Decision:
      case sim::EventKind::Timer:
      case sim::EventKind::Lock:
        break;  // too many to draw; they are in the digest
      case sim::EventKind::Failure:
      case sim::EventKind::User: {
        std::smatch m;
        std::string ref_name;
        int refcnt = 0;
        if (e.topic == "ref" && parse_ref(e.text, ref_name, refcnt)) {
          out.push_back({{"ph", "C"}, {"pid", 1}, {"ts", ts}, {"name", "refcnt " + ref_name},
                         {"args", {{"refcnt", refcnt}}}});
          break;
        }
        if (e.topic == "health" && std::regex_search(e.text, m, health_re)) {
          out.push_back({{"ph", "C"}, {"pid", 1}, {"ts", ts}, {"name", "healthy " + m[1].str()},
                         {"args", {{"healthy", m[3].str() == "healthy" ? 1 : 0}}}});
        }
        std::string name = e.kind == sim::EventKind::Failure ? "FAILURE" : e.topic;
        out.push_back({{"ph", "i"}, {"s", "t"}, {"pid", 1}, {"tid", e.actor}, {"ts", ts}, {"name", name},
                       {"args", {{"text", e.text}}}});
        break;
      }
    }
  }
  nlohmann::json other = {{"events_kept", events.size()}, {"events_dropped", dropped}};
  return {{"traceEvents", out}, {"displayTimeUnit", "ms"}, {"otherData", other}};
}

}  // namespace vdisim::simrun
