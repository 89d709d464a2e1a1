// Interleaving coverage over a sweep (see coverage_out.hpp; docs/coverage.md).
#include "sim/simrun/coverage_out.hpp"

#include <fmt/format.h>

#include <map>

namespace vdisim::simrun {

const std::vector<CarePair> &care_pairs() {
  // Op names as the runtime's scheduling points say them (sim/fake_vrt: vrt_director.cpp,
  // vcl_temp.cpp, cli_backend.cpp) and, for run-time method calls, the method's name.
  static const std::vector<CarePair> pairs = {
      {"assign", "release", "a reference taken on a director being released (B1, A5)"},
      {"assign", "destroy", "a reference on a destroyed director (A8)"},
      {"resolve", "release", "a resolve through a director being released (A8)"},
      {"resolve", "destroy", "a resolve through a destroyed director (A8)"},
      {"resolve", "add_backend", "members added under a resolve (VCL add_backend at run time)"},
      {"resolve", "remove_backend", "members removed under a resolve (VCL remove_backend at run time)"},
      {"resolve", "update", "a dynamic director's update under a resolve"},
      {"assign", "COLD", "a reference taken on a director whose COLD goes out: it is retiring (A5) or its VCL cools"},
      {"release", "COLD", "a director resigning while the VCL's COLD goes round (A6, A7)"},
      {"WARM", "COLD", "a backend's probe started and stopped (E3, E5)"},
      {"add_director", "vmod COLD", "a director added while the VCL cools (A2, A3)"},
      {"add_director", "vmod WARM", "a director added while the VCL warms (A2, C2)"},
      {"backend.list", "release", "a CLI walk over a director that resigns (A7)"},
  };
  return pairs;
}

bool CoverageStop::stop_after(const nlohmann::json &record) {
  bool fresh = false;
  const nlohmann::json orders = record.value("orders", nlohmann::json::object());  // outlives items()
  for (const auto &[order, n] : orders.items())
    if (n.get<std::uint64_t>() > 0 && seen_.insert(order).second) fresh = true;
  if (fresh) {
    last_new_seed_ = record.value("seed", std::uint64_t{0});
    quiet_ = 0;
  } else {
    quiet_++;
  }
  return quiet_ >= quiet_seeds_;
}

namespace {

struct Seen {
  std::uint64_t runs = 0, first_seed = 0;
};

nlohmann::json order_json(const std::map<std::string, Seen> &seen, const std::string &order) {
  auto it = seen.find(order);
  if (it == seen.end()) return {{"runs", 0}};
  return {{"runs", it->second.runs}, {"first_seed", it->second.first_seed}};
}

}  // namespace

nlohmann::json coverage_block(const nlohmann::json &runs, std::uint64_t until, std::size_t seeds_asked) {
  std::map<std::string, Seen> seen;
  std::set<std::string> ops;
  std::uint64_t covered = 0;
  for (const auto &r : runs) {
    if (!r.contains("orders")) continue;  // a crash record, or a run without coverage
    covered++;
    std::uint64_t seed = r.value("seed", std::uint64_t{0});
    for (const auto &op : r.value("ops", nlohmann::json::array())) ops.insert(op.get<std::string>());
    for (const auto &[order, n] : r["orders"].items()) {
      if (n.get<std::uint64_t>() == 0) continue;
      Seen &s = seen[order];
      if (s.runs++ == 0) s.first_seed = seed;
    }
  }
  nlohmann::json pairs = nlohmann::json::array(), never = nlohmann::json::array();
  nlohmann::json idle = nlohmann::json::array();
  std::set<std::string> cared;
  for (const auto &p : care_pairs()) {
    std::string ab = fmt::format("{}<{}", p.a, p.b), ba = fmt::format("{}<{}", p.b, p.a);
    cared.insert(ab);
    cared.insert(ba);
    bool exercised = ops.count(p.a) && ops.count(p.b);
    pairs.push_back({{"ops", {p.a, p.b}}, {"why", p.why}, {"exercised", exercised},
                     {"orders", {{ab, order_json(seen, ab)}, {ba, order_json(seen, ba)}}}});
    if (!exercised) {
      idle.push_back(fmt::format("{} / {}", p.a, p.b));
      continue;
    }
    for (const auto &o : {ab, ba})
      if (!seen.count(o)) never.push_back(o);
  }
  nlohmann::json other = nlohmann::json::object();
  for (const auto &[order, s] : seen)
    if (!cared.count(order)) other[order] = s.runs;
  nlohmann::json b = {{"runs", covered}, {"orders_seen", seen.size()}, {"pairs", pairs},
                      {"never_seen", never}, {"not_exercised", idle}, {"other_orders", other}};
  if (until > 0) {  // replays the decision the sweep made, from the same records
    CoverageStop stop(until);
    std::uint64_t at = 0;
    bool stopped = false;
    for (const auto &r : runs)
      if (stop.stop_after(r)) {
        at = r.value("seed", std::uint64_t{0});
        stopped = true;
        break;
      }
    b["until_coverage"] = {{"quiet_seeds", until}, {"stopped", stopped}, {"at_seed", at},
                           {"last_new_seed", stop.last_new_seed()},
                           {"seeds_not_run", seeds_asked > runs.size() ? seeds_asked - runs.size() : 0}};
  }
  return b;
}

void print_coverage(const nlohmann::json &b) {
  std::printf("coverage: %llu order(s) seen over %llu run(s)\n",
              static_cast<unsigned long long>(b["orders_seen"].get<std::uint64_t>()),
              static_cast<unsigned long long>(b["runs"].get<std::uint64_t>()));
  for (const auto &p : b["pairs"]) {
    if (!p["exercised"].get<bool>()) continue;
    std::string line, a = p["ops"][0].get<std::string>(), b = p["ops"][1].get<std::string>();
    for (const std::string &order : {a + "<" + b, b + "<" + a}) {  // as the pair is written
      const auto &s = p["orders"][order];
      line += fmt::format("  {} {}", order, s["runs"].get<std::uint64_t>() > 0
                                                ? fmt::format("in {} run(s), first seed {}", s["runs"].get<std::uint64_t>(),
                                                              s["first_seed"].get<std::uint64_t>())
                                                : std::string("NEVER"));
    }
    std::printf("  %s / %s:%s\n", a.c_str(), b.c_str(), line.c_str());
  }
  if (!b["never_seen"].empty()) {
    std::printf("  never seen:");
    for (const auto &o : b["never_seen"]) std::printf(" %s", o.get<std::string>().c_str());
    std::printf("\n");
  }
  if (!b["not_exercised"].empty()) {
    std::printf("  not exercised (an op never ran):");
    for (const auto &o : b["not_exercised"]) std::printf(" [%s]", o.get<std::string>().c_str());
    std::printf("\n");
  }
  if (b.contains("until_coverage")) {
    const auto &u = b["until_coverage"];
    if (u["stopped"].get<bool>())
      std::printf("  --until-coverage %llu: stopped after seed %llu (%llu seed(s) not run): no new order "
                  "in %llu seeds, the last new one at seed %llu\n",
                  static_cast<unsigned long long>(u["quiet_seeds"].get<std::uint64_t>()),
                  static_cast<unsigned long long>(u["at_seed"].get<std::uint64_t>()),
                  static_cast<unsigned long long>(u["seeds_not_run"].get<std::uint64_t>()),
                  static_cast<unsigned long long>(u["quiet_seeds"].get<std::uint64_t>()),
                  static_cast<unsigned long long>(u["last_new_seed"].get<std::uint64_t>()));
    else
      std::printf("  --until-coverage %llu: every seed ran before %llu in a row brought nothing new (the last "
                  "new order at seed %llu)\n",
                  static_cast<unsigned long long>(u["quiet_seeds"].get<std::uint64_t>()),
                  static_cast<unsigned long long>(u["quiet_seeds"].get<std::uint64_t>()),
                  static_cast<unsigned long long>(u["last_new_seed"].get<std::uint64_t>()));
  }
}

}  // namespace vdisim::simrun
