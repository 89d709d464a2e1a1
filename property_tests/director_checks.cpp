// The spec's picks for a director case and the properties checked on its request log
// (see director_checks.hpp).
#include "property_tests/director_checks.hpp"

#include <fmt/format.h>

#include <openssl/evp.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "property_tests/types.hpp"
#include "sim/runner/keys.hpp"

namespace prop {

namespace vr = vdisim::runner;

namespace {

std::uint32_t hash32(const std::string &all) {  // VRT_HashStrands32 of one part (memoized)
  thread_local std::map<std::string, std::uint32_t> memo;
  if (auto it = memo.find(all); it != memo.end()) return it->second;
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(all.data(), all.size(), md, &len, EVP_sha256(), nullptr);
  return memo[all] =
             std::uint32_t(md[28]) | std::uint32_t(md[29]) << 8 | std::uint32_t(md[30]) << 16 | std::uint32_t(md[31]) << 24;
}

std::string shown(const std::string &pick) { return pick.empty() ? "<no backend>" : pick; }

// What a request got: the backend that served it, "" for none.
std::string got(const vr::RequestRecord &q) { return q.backend == "(none)" ? "" : q.backend; }

}  // namespace

std::string kid_name(int k) { return k < 0 ? fmt::format("s{}", -k - 1) : fmt::format("t{}", k); }

std::vector<RoundState> round_states(const DirCase &c) {
  const TreeNode &rn = c.nodes.back();
  const TypeTraits &rt = traits(rn.type);
  RoundState s;
  for (std::size_t i = 0; i < rn.kids.size(); i++) {
    int k = rn.kids[i];
    if (rt.set_members && std::count(s.members.begin(), s.members.end(), k)) continue;
    s.members.push_back(k);
    s.weights.push_back(rn.weights[i]);
  }
  std::vector<RoundState> out;
  for (const Round &x : c.rounds) {
    s.sick = x.sick;
    s.changed = x.change >= 0 && !rt.dynamic;
    if (s.changed) {
      int k = rn.kids[static_cast<std::size_t>(x.change)];
      s.change = k;
      s.change_weight = rn.weights[static_cast<std::size_t>(x.change)];
      s.added = std::find(s.members.begin(), s.members.end(), k) == s.members.end();
      if (s.added) {
        s.members.push_back(k);
        s.weights.push_back(s.change_weight);
      }
      for (std::size_t i = 0; !s.added && i < s.members.size(); i++) {
        if (s.members[i] != k) continue;
        s.members.erase(s.members.begin() + static_cast<long>(i));
        s.weights.erase(s.weights.begin() + static_cast<long>(i));
        if (!rt.set_members) break;  // F1: the first equal one; shard: all
        i--;
      }
    }
    out.push_back(s);
  }
  return out;
}

const std::vector<int> &TreeSpec::members(int k) const {
  return k == root() ? s_.members : c_.nodes[static_cast<std::size_t>(k)].kids;
}

bool TreeSpec::healthy(int k) const {
  if (k < 0) return !sick(-k - 1);
  const TreeNode &n = c_.nodes[static_cast<std::size_t>(k)];
  if (traits(n.type).dynamic) {
    for (int h = 0; h < c_.backends; h++)
      if (((n.answer >> h) & 1) && !sick(h)) return true;
    return false;
  }
  return std::any_of(members(k).begin(), members(k).end(), [&](int m) { return healthy(m); });
}

std::set<std::string> TreeSpec::outcomes(int k) const {
  if (k < 0) return {fmt::format("v0.s{}", -k - 1)};
  const TreeNode &n = c_.nodes[static_cast<std::size_t>(k)];
  std::set<std::string> out;
  if (traits(n.type).dynamic) {
    for (int h = 0; h < c_.backends; h++)
      if (((n.answer >> h) & 1) && !sick(h)) out.insert(fmt::format("v0.t{}({})", k, host_name(h)));
  } else {
    for (int m : members(k)) {
      if (!healthy(m)) continue;
      auto sub = outcomes(m);
      out.insert(sub.begin(), sub.end());
      if (traits(n.type).base == "fallback" && !n.sticky) break;  // F5: the first healthy one
    }
  }
  if (out.empty()) out.insert("");  // "no backend"
  return out;
}

bool TreeSpec::flat() const {
  return std::all_of(s_.members.begin(), s_.members.end(), [](int k) { return k < 0; });
}

std::set<std::string> TreeSpec::usable() const {
  std::set<std::string> out;
  for (int k : s_.members)
    if (healthy(k)) out.insert("v0." + kid_name(k));
  return out;
}

// The spec's pick for a flat hash (F7: weighted by the URL hash) or shard (F8: ring walk).
std::string TreeSpec::model_pick(int key) const {
  std::uint32_t h = hash32(vr::request_url(static_cast<std::uint64_t>(key)));
  const std::vector<int> &m = s_.members;
  if (traits(c_.nodes.back().type).base == "hash") {
    double total = 0, w = std::ldexp(static_cast<double>(h), -32), sum = 0;
    for (std::size_t i = 0; i < m.size(); i++)
      if (healthy(m[i])) total += s_.weights[i];
    for (std::size_t i = 0; total > 0 && i < m.size(); i++) {
      if (!healthy(m[i])) continue;
      sum += s_.weights[i];
      if (w * total < sum) return "v0." + kid_name(m[i]);
    }
    return "";
  }
  const auto &ring = this->ring();
  if (ring.empty()) return "";
  auto it = std::lower_bound(ring.begin(), ring.end(), std::make_pair(h, std::size_t{0}));
  std::size_t idx = it == ring.end() ? ring.size() - 1 : static_cast<std::size_t>(it - ring.begin());
  for (std::size_t step = 0; step < ring.size(); step++, idx = (idx + 1) % ring.size())
    if (healthy(m[ring[idx].second])) return "v0." + kid_name(m[ring[idx].second]);
  return "";
}

std::uint32_t TreeSpec::ring_max() const { return ring().empty() ? 0 : ring().back().first; }

// F8: replicas (67) x weight points per member at hash(name, j), sorted.
const std::vector<std::pair<std::uint32_t, std::size_t>> &TreeSpec::ring() const {
  if (!ring_.empty()) return ring_;
  for (std::size_t i = 0; i < s_.members.size(); i++)
    for (int j = 0; j < 67 * s_.weights[i]; j++) ring_.emplace_back(hash32(kid_name(s_.members[i]) + std::to_string(j)), i);
  std::sort(ring_.begin(), ring_.end());
  return ring_;
}

bool asks_probe_keys(const DirCase &c, const TreeSpec &spec) {
  const std::string &base = traits(c.nodes.back().type).base;
  return spec.flat() && (base == "hash" || base == "shard");
}

namespace {

// The checks of one case, round after round; hash and shard remember earlier rounds.
class Checker {
 public:
  explicit Checker(const DirCase &c) : c_(c) {}

  std::string round(int r, const RoundState &s, const std::vector<const vr::RequestRecord *> &seq,
                    const std::vector<const vr::RequestRecord *> &conc) {
    const Round &x = c_.rounds[static_cast<std::size_t>(r)];
    TreeSpec spec(c_, s);
    std::size_t want = x.keys.size() + (asks_probe_keys(c_, spec) ? kProbeKeys : 0);
    if (seq.size() != want || conc.size() != static_cast<std::size_t>(x.concurrent * kActors))
      return fmt::format("round {}: {} of {} sequential and {} of {} concurrent requests ran (stuck?)", r, seq.size(),
                         want, conc.size(), x.concurrent * kActors);
    for (const auto *q : seq)
      if (q->end_ns > (r + 1) * kRoundNs) return fmt::format("round {} ran late", r);
    std::set<std::string> allowed = spec.outcomes(spec.root());
    auto check = [&](const std::string &pick, const char *how) -> std::string {
      if (allowed.count(pick)) return "";
      std::string a;
      for (const auto &p : allowed) a += " " + shown(p);
      return fmt::format("round {}: {} request got {}, the healthy set allows:{} (F3-F8, D3)", r, how, shown(pick), a);
    };
    std::vector<std::string> picks;
    for (const auto *q : seq) picks.push_back(got(*q));
    for (std::size_t i = 0; i < x.keys.size(); i++)
      if (std::string why = check(picks[i], "a sequential"); !why.empty()) return why;
    std::vector<std::string> own(picks.begin(), picks.begin() + static_cast<long>(x.keys.size()));
    if (std::string why = type_properties(spec, own, r); !why.empty()) return why;
    if (asks_probe_keys(c_, spec))
      if (std::string why = hash_shard(spec, own, {picks.begin() + static_cast<long>(x.keys.size()), picks.end()}, r);
          !why.empty())
        return why;
    for (const auto *q : conc)
      if (!x.flip)
        if (std::string why = check(got(*q), "a concurrent"); !why.empty()) return why;
    return "";
  }

 private:
  std::string type_properties(const TreeSpec &spec, const std::vector<std::string> &seq, int r) const {
    const TreeNode &rn = c_.nodes.back();
    const std::string &base = traits(rn.type).base;
    if (!spec.flat()) return "";
    std::vector<std::string> healthy_slots;
    for (int k : spec.state().members)
      if (spec.healthy(k)) healthy_slots.push_back("v0." + kid_name(k));
    if (base == "round_robin" && !healthy_slots.empty()) {
      // F4: sequential picks cycle over the healthy slots: each full cycle takes each once.
      std::size_t h = healthy_slots.size();
      std::sort(healthy_slots.begin(), healthy_slots.end());
      for (std::size_t start = 0; start + h <= seq.size(); start += h) {
        std::vector<std::string> cycle(seq.begin() + static_cast<long>(start), seq.begin() + static_cast<long>(start + h));
        std::sort(cycle.begin(), cycle.end());
        if (cycle != healthy_slots) return fmt::format("round {}: round_robin is not fair over the healthy set (F4)", r);
      }
    }
    if (base == "fallback" && rn.sticky && std::any_of(seq.begin(), seq.end(), [&](const auto &p) { return p != seq.front(); }))
      return fmt::format("round {}: sticky fallback changed backend with health unchanged (F5)", r);
    return "";
  }

  std::string hash_shard(const TreeSpec &spec, const std::vector<std::string> &seq, const std::vector<std::string> &probe,
                         int r) {
    const Round &x = c_.rounds[static_cast<std::size_t>(r)];
    bool shard = traits(c_.nodes.back().type).base == "shard";
    const char *rule = shard ? "F8" : "F7";
    for (std::size_t i = 0; i < x.keys.size(); i++) {
      std::size_t k = static_cast<std::size_t>(x.keys[i]);
      if (k < probe.size() && probe[k] != seq[i])
        return fmt::format("round {}: key {} went to {} and then to {} with the healthy set unchanged ({})", r, k, seq[i],
                           probe[k], rule);
    }
    const RoundState &s = spec.state();
    std::string sig = fmt::format("{:#x}|", s.sick);
    for (std::size_t i = 0; i < s.members.size(); i++) sig += fmt::format("{}*{},", kid_name(s.members[i]), s.weights[i]);
    if (memo_.count(sig) && memo_[sig] != probe)
      return fmt::format("round {}: {} picks differ from an earlier round with the same members and health ({})", r,
                         shard ? "shard" : "hash", rule);
    memo_[sig] = probe;
    for (int k = 0; k < kProbeKeys; k++)
      if (probe[static_cast<std::size_t>(k)] != spec.model_pick(k))
        return fmt::format("round {}: key {} went to {}, the spec says {} ({})", r, k, probe[static_cast<std::size_t>(k)],
                           spec.model_pick(k), shard ? "F8 ring walk" : "F7 weighted hash");
    if (!shard) return "";
    // F8 consistency: a key moves only if its backend went away (removed or sick), or to a
    // backend that came (back); keys past the last ring point follow the last point (F8).
    std::set<std::string> usable = spec.usable();
    if (!last_probe_.empty()) {
      bool shrank = std::includes(last_usable_.begin(), last_usable_.end(), usable.begin(), usable.end());
      bool grew = std::includes(usable.begin(), usable.end(), last_usable_.begin(), last_usable_.end());
      for (std::size_t k = 0; k < probe.size(); k++) {
        const std::string &prev = last_probe_[k], &cur = probe[k];
        std::uint32_t h = hash32(vr::request_url(k));
        if (prev == cur || h > spec.ring_max() || h > last_ring_max_) continue;
        if ((shrank && usable.count(prev)) || (grew && !(usable.count(cur) && !last_usable_.count(cur))))
          return fmt::format("round {}: shard moved key {} from {} to {} though only other backends changed (F8)", r, k,
                             prev, cur);
      }
    }
    last_probe_ = probe;
    last_usable_ = usable;
    last_ring_max_ = spec.ring_max();
    return "";
  }

  const DirCase &c_;
  std::map<std::string, std::vector<std::string>> memo_;  // probe picks per (members, sick)
  std::vector<std::string> last_probe_;
  std::set<std::string> last_usable_;
  std::uint32_t last_ring_max_ = 0;
};

}  // namespace

std::string check_dir_run(const DirCase &c, const std::vector<vr::RequestRecord> &log) {
  std::map<std::string, std::vector<const vr::RequestRecord *>> by;
  for (const auto &q : log) {
    if (q.backend != "(none)" && q.backend.rfind(q.vcl + ".", 0) != 0)
      return fmt::format("a request on VCL {} was served by '{}' of another VCL", q.vcl, q.backend);
    by[q.traffic].push_back(&q);
  }
  std::vector<RoundState> states = round_states(c);
  Checker check(c);
  for (std::size_t r = 0; r < states.size(); r++) {
    if (std::string why = check.round(static_cast<int>(r), states[r], by[fmt::format("seq{}", r)],
                                      by[fmt::format("conc{}", r)]);
        !why.empty())
      return why;
  }
  if (c.reload && by["reload"].size() != static_cast<std::size_t>(kReloadRequests))
    return fmt::format("{} of {} requests during the reload ran (stuck?)", by["reload"].size(), kReloadRequests);
  return "";
}

}  // namespace prop
