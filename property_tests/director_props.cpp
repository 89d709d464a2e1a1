// Director properties (see director_props.hpp): generation, execution, checks.
#include "property_tests/director_props.hpp"

#include <fmt/format.h>

#include <openssl/evp.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <sstream>

#include "property_tests/types.hpp"
#include "sim/fake_vrt/request.hpp"
#include "sim/fake_vrt/testing/harness.hpp"
#include "sim/runner/short_types.hpp"
#include "sim/sync.hpp"
#include "vcl.h"

namespace prop {

namespace vs = vdisim::sim;
namespace vv = vdisim::vrt;
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
int choose(int n) { return *rc::gen::resize(100, rc::gen::inRange(0, n)); }
std::string kid_name(int k) { return k < 0 ? fmt::format("s{}", -k - 1) : fmt::format("t{}", k); }
constexpr int kProbeKeys = 12;  // keys every hash/shard round asks for
constexpr std::int64_t kRoundNs = 200'000'000;  // a round starts every 200 ms
constexpr std::int64_t kSettleNs = 70'000'000;  // probes have seen the round's endpoints
}  // namespace

void show(const DirCase &c, std::ostream &os) {
  os << fmt::format("seed {}, strategy {}, {} backends\n", c.seed, c.strategy.text(), c.backends);
  for (std::size_t i = 0; i < c.nodes.size(); i++) {
    const TreeNode &n = c.nodes[i];
    os << fmt::format("  t{} = {}{}(", i, n.type, n.sticky ? "[sticky]" : "");
    for (std::size_t k = 0; k < n.kids.size(); k++) os << (k ? ", " : "") << kid_name(n.kids[k]) << "*" << n.weights[k];
    if (traits(n.type).dynamic) os << fmt::format("answer {:#x}", n.answer);
    os << ")" << (i + 1 == c.nodes.size() ? "  <- root" : "") << "\n";
  }
  for (std::size_t r = 0; r < c.rounds.size(); r++) {
    const Round &x = c.rounds[r];
    os << fmt::format("  round {}: sick {:#x}{}{} sequential keys [", r, x.sick,
                      x.change >= 0 ? fmt::format(", change root member {}", x.change) : "",
                      x.flip ? ", health flips under load" : "");
    for (std::size_t k = 0; k < x.keys.size(); k++) os << (k ? "," : "") << x.keys[k];
    os << fmt::format("], {} concurrent x{}\n", x.concurrent, kActors);
  }
  if (c.reload) os << "  then: vcl.load v1, vcl.use v1, vcl.discard v0 under traffic\n";
}

rc::Gen<DirCase> gen_dir_case(const DirGenConfig &cfg) {
  return rc::gen::exec([cfg] {
    DirCase c;
    c.backends = 2 + choose(3);
    c.seed = static_cast<std::uint64_t>(choose(1 << 30));
    c.strategy.depth = cfg.strategy >= 0 ? cfg.strategy : choose(4);
    auto make = [&](const std::string &type, int depth, auto &self) -> int {
      TreeNode n;
      n.type = type;
      const TypeTraits &tr = traits(type);
      if (tr.dynamic) n.answer = 1 + choose((1 << c.backends) - 1);
      n.sticky = tr.base == "fallback" && choose(3) == 0;
      int kids = tr.members ? 1 + choose(4) : 0;
      for (int k = 0; k < kids; k++) {
        int kid = -1 - choose(c.backends);
        if (depth > 0 && !cfg.inner_types.empty() && choose(3) == 0)
          kid = self(cfg.inner_types[static_cast<std::size_t>(choose(static_cast<int>(cfg.inner_types.size())))],
                     depth - 1, self);
        n.kids.push_back(kid);
        n.weights.push_back(tr.weighted ? 1 + choose(3) : 1);
      }
      c.nodes.push_back(n);
      return static_cast<int>(c.nodes.size()) - 1;
    };
    make(cfg.root_types[static_cast<std::size_t>(choose(static_cast<int>(cfg.root_types.size())))], cfg.max_depth, make);
    int rounds = 1 + choose(cfg.max_rounds);
    for (int r = 0; r < rounds; r++) {
      Round x;
      x.sick = static_cast<unsigned>(choose(1 << c.backends));
      if (choose(3) == 0 && !c.nodes.back().kids.empty()) x.change = choose(static_cast<int>(c.nodes.back().kids.size()));
      x.flip = choose(5) == 0;
      int n = 2 + choose(7);
      for (int k = 0; k < n; k++) x.keys.push_back(choose(16));
      x.concurrent = choose(5);
      c.rounds.push_back(x);
    }
    c.reload = choose(2) == 1;
    return c;
  });
}

namespace {

class DirRun {
 public:
  DirRun(const DirCase &c, const ExecOptions &o) : c_(c), w_(options(c, o), o.regressions) {
    for (std::size_t i = 0; i < c.nodes.back().kids.size(); i++) {
      int k = c.nodes.back().kids[i];
      if (traits(c.nodes.back().type).set_members && std::count(root_members_.begin(), root_members_.end(), k)) continue;
      root_members_.push_back(k);
      root_weights_.push_back(c.nodes.back().weights[i]);
    }
  }

  std::string run() {
    vr::register_builtin_directors();
    for (const auto &n : c_.nodes) traits(n.type);  // learns each type: a mutant loads its module
    // Round r's sick backends refuse from r * kRoundNs: their probes (20 ms) see it.
    for (int h = 0; h < c_.backends; h++) {
      vv::EndpointSpec e;
      for (std::size_t r = 0; r < c_.rounds.size(); r++)
        e.script.emplace_back(static_cast<std::int64_t>(r) * kRoundNs,
                              ((c_.rounds[r].sick >> h) & 1) ? vv::EndpointState::Refuse : vv::EndpointState::Up);
      w_.endpoint(host_name(h), e);
    }
    w_.sim.spawn("cli", [this] { main(); }, false, vv::kThreadStackBytes);  // varnishd's main thread
    vs::RunReport r = w_.run();
    if (r.failure) return r.failure->summary();
    if (!finished_ && why_.empty()) return "the case did not finish (stuck)";
    return why_;
  }

 private:
  struct Loaded {
    struct vcl *v = nullptr;
    std::vector<VCL_BACKEND> statics;
    std::vector<std::shared_ptr<vr::DirectorObject>> objs;
    std::vector<VCL_BACKEND> dirs;  // director of nestable nodes
  };

  static vs::RunOptions options(const DirCase &c, const ExecOptions &o) {
    vs::RunOptions r;
    r.seed = c.seed;
    r.strategy = vs::StrategySpec::parse(c.strategy.text());
    r.strategy.pct_steps = o.pct_steps;
    r.step_budget = o.step_budget;
    return r;
  }

  void fail(const std::string &why) {
    if (why_.empty()) why_ = why;
    w_.sim.fail("PROPERTY", why);
  }

  std::unique_ptr<Loaded> load(const std::string &name) {
    auto l = std::make_unique<Loaded>();
    Loaded *raw = l.get();
    raw->v = w_.rt.vcl_load(name, {}, [this, raw](VRT_CTX) {
      // Probed (always-up servers): "auto" health goes through the probe's healthy
      // callback, a scheduling point, so concurrent picks interleave inside their scans.
      for (int b = 0; b < c_.backends; b++)
        raw->statics.push_back(vv::vcl_backend(ctx, fmt::format("s{}", b), host_name(b), &probe_));
      for (std::size_t i = 0; i < c_.nodes.size(); i++) {
        const TreeNode &n = c_.nodes[i];
        vdisim::scenario::Director spec;
        spec.options.sticky = n.sticky;
        vdisim::scenario::ProbeSpec ps;
        ps.interval_ns = 20'000'000;
        ps.timeout_ns = 5'000'000;
        ps.window = ps.threshold = ps.initial = 1;
        spec.options.probe = ps;
        auto obj = std::shared_ptr<vr::DirectorObject>(vr::director_types().at(n.type)(ctx, fmt::format("t{}", i), spec));
        for (std::size_t k = 0; k < n.kids.size(); k++) obj->add_backend(ctx, member(*raw, n.kids[k]), n.weights[k]);
        if (traits(n.type).dynamic) {
          std::string a;
          for (int h = 0; h < c_.backends; h++)
            if ((n.answer >> h) & 1) a += (a.empty() ? "" : ",") + host_name(h);
          obj->update(ctx, a);
        }
        obj->init_done(ctx);
        raw->objs.push_back(obj);
        raw->dirs.push_back(traits(n.type).nestable ? obj->backend(ctx, 0) : nullptr);
        ctx->vcl->fini.push_back([obj](VRT_CTX) {
          (void)ctx;
          obj->fini();
        });
      }
    });
    return l;
  }

  static VCL_BACKEND member(const Loaded &l, int k) { return k < 0 ? l.statics[static_cast<std::size_t>(-k - 1)] : l.dirs[static_cast<std::size_t>(k)]; }

  // ---- the model: health and the picks the spec allows ----
  bool sick(int b) const { return (sick_ >> b) & 1u; }
  bool healthy(int k) const {
    if (k < 0) return !sick(-k - 1);
    const TreeNode &n = c_.nodes[static_cast<std::size_t>(k)];
    if (traits(n.type).dynamic) {
      for (int h = 0; h < c_.backends; h++)
        if (((n.answer >> h) & 1) && !sick(h)) return true;
      return false;
    }
    for (int m : members(k))
      if (healthy(m)) return true;
    return false;
  }
  const std::vector<int> &members(int k) const {
    return k + 1 == static_cast<int>(c_.nodes.size()) ? root_members_ : c_.nodes[static_cast<std::size_t>(k)].kids;
  }
  std::set<std::string> outcomes(int k) const {
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
  int root() const { return static_cast<int>(c_.nodes.size()) - 1; }
  bool flat() const {
    return std::all_of(root_members_.begin(), root_members_.end(), [](int k) { return k < 0; });
  }

  std::string pick(Loaded &l, int key) {
    vv::RequestResult r = vv::run_request(w_.rt, l.v, [&](VRT_CTX) {
      return l.objs.back()->backend(ctx, static_cast<std::uint64_t>(key));
    });
    if (!r.backend.empty() && r.backend.rfind(std::string(l.v->name) + ".", 0) != 0)
      fail(fmt::format("a request on VCL {} was served by '{}' of another VCL", l.v->name, r.backend));
    return r.kind == vv::RequestResult::Kind::NoBackend ? "" : r.backend;
  }

  // Admin health on top of the probes (flip rounds): mask bits sick, the others auto.
  void set_health(unsigned mask) {
    std::lock_guard<vs::Mutex> lk(cli_);
    for (int b = 0; b < c_.backends; b++) {
      const char *st = ((mask >> b) & 1) ? "sick" : "auto";
      w_.rt.set_health(fmt::format("v0.s{}", b), st);
      w_.rt.set_health(fmt::format("v0.*({})", host_name(b)), st);
    }
  }

  void change(Loaded &l, int idx) {
    const TreeNode &rn = c_.nodes.back();
    if (traits(rn.type).dynamic) return;
    int k = rn.kids[static_cast<std::size_t>(idx)];
    bool present = std::find(root_members_.begin(), root_members_.end(), k) != root_members_.end();
    if (!w_.rt.vcl_enter(l.v)) return fail("v0 not warm");
    {
      vv::Task t(w_.rt, l.v, VCL_MET_RECV);
      if (present) l.objs.back()->remove_backend(t.ctx(), member(l, k));
      else l.objs.back()->add_backend(t.ctx(), member(l, k), rn.weights[static_cast<std::size_t>(idx)]);
      t.finish();
    }
    w_.rt.vcl_leave(l.v);
    if (!present) {
      root_members_.push_back(k);
      root_weights_.push_back(rn.weights[static_cast<std::size_t>(idx)]);
      return;
    }
    for (std::size_t i = 0; i < root_members_.size(); i++) {
      if (root_members_[i] != k) continue;
      root_members_.erase(root_members_.begin() + static_cast<long>(i));
      root_weights_.erase(root_weights_.begin() + static_cast<long>(i));
      if (!traits(rn.type).set_members) break;  // F1: the first equal one; shard: all
      i--;
    }
  }

  void round(Loaded &l, const Round &x, int r);
  void check_type_properties(Loaded &l, const std::vector<std::string> &seq, const std::vector<int> &keys, int r);
  void check_hash_shard(Loaded &l, const std::vector<std::string> &seq, const std::vector<int> &keys, int r);
  std::string model_pick(int key) const;
  std::uint32_t ring_max() const;
  const std::vector<std::pair<std::uint32_t, std::size_t>> &ring() const;
  void reload(std::unique_ptr<Loaded> v0);

  void main() {
    std::unique_ptr<Loaded> l;
    {
      std::lock_guard<vs::Mutex> lk(cli_);
      l = load("v0");
      w_.rt.vcl_use("v0");
    }
    for (std::size_t r = 0; r < c_.rounds.size() && why_.empty(); r++) round(*l, c_.rounds[r], static_cast<int>(r));
    if (c_.reload) reload(std::move(l));
    finished_ = true;
  }

  const DirCase &c_;
  vv::harness::World w_;
  vs::Mutex cli_{"cli"};
  struct vrt_backend_probe probe_ = vv::harness::make_probe(0.02, 1, 1, 1, 0.005);
  std::vector<int> root_members_;
  std::vector<int> root_weights_;
  unsigned sick_ = 0;
  std::string why_;
  bool finished_ = false;
  // hash/shard: picks of the probe keys per (membership, sick) state, and the last round
  std::map<std::string, std::vector<std::string>> memo_;
  std::vector<std::string> last_probe_;
  std::set<std::string> last_usable_;
  std::uint32_t last_ring_max_ = 0;
  mutable std::vector<std::pair<std::uint32_t, std::size_t>> ring_;  // (point, member index)
  mutable std::string ring_sig_;
};

void DirRun::round(Loaded &l, const Round &x, int r) {
  w_.sim.sleep_until(std::max(w_.sim.now_ns(), r * kRoundNs + kSettleNs));
  if (w_.sim.now_ns() >= (r + 1) * kRoundNs) return fail(fmt::format("round {} ran late", r));
  if (x.change >= 0) change(l, x.change);
  sick_ = x.sick;
  std::set<std::string> allowed = outcomes(root());
  auto check = [&](const std::string &got, const char *how) {
    if (!allowed.count(got)) {
      std::string a;
      for (const auto &s : allowed) a += " " + (s.empty() ? "<no backend>" : s);
      fail(fmt::format("round {}: {} request got {}, the healthy set allows:{} (F3-F8, D3)", r, how,
                       got.empty() ? "<no backend>" : got, a));
    }
  };
  std::vector<std::string> seq;
  for (int key : x.keys) {
    seq.push_back(pick(l, key));
    check(seq.back(), "a sequential");
  }
  check_type_properties(l, seq, x.keys, r);
  std::vector<vs::Actor *> actors;
  for (int a = 0; a < kActors && x.concurrent > 0; a++)
    actors.push_back(w_.sim.spawn(fmt::format("client{}", a), [&, a] {
      for (int i = 0; i < x.concurrent; i++) {
        std::string got = pick(l, (a * 7 + i * 3) % 16);
        if (!x.flip) check(got, "a concurrent");
      }
    }));
  if (x.flip && x.concurrent > 0)
    actors.push_back(w_.sim.spawn("flipper", [&] {
      for (int i = 0; i < 2 * x.concurrent; i++) set_health(1u << (i % c_.backends));
      set_health(0);
    }));
  for (vs::Actor *a : actors) w_.sim.join(a);
}

void DirRun::check_type_properties(Loaded &l, const std::vector<std::string> &seq, const std::vector<int> &keys,
                                   int r) {
  const TreeNode &rn = c_.nodes.back();
  const std::string &base = traits(rn.type).base;
  if (!flat()) return;
  std::vector<std::string> healthy_slots;
  for (int k : root_members_)
    if (healthy(k)) healthy_slots.push_back("v0." + kid_name(k));
  if (base == "round_robin" && !healthy_slots.empty()) {
    // F4: sequential picks cycle over the healthy slots: each full cycle takes each once.
    std::size_t h = healthy_slots.size();
    for (std::size_t start = 0; start + h <= seq.size(); start += h) {
      std::vector<std::string> cycle(seq.begin() + static_cast<long>(start), seq.begin() + static_cast<long>(start + h));
      std::vector<std::string> want = healthy_slots;
      std::sort(cycle.begin(), cycle.end());
      std::sort(want.begin(), want.end());
      if (cycle != want) return fail(fmt::format("round {}: round_robin is not fair over the healthy set (F4)", r));
    }
  }
  if (base == "fallback" && rn.sticky && !seq.empty() &&
      std::any_of(seq.begin(), seq.end(), [&](const std::string &s) { return s != seq.front(); }))
    return fail(fmt::format("round {}: sticky fallback changed backend with health unchanged (F5)", r));
  if (base == "hash" || base == "shard") check_hash_shard(l, seq, keys, r);
}


// The spec's pick for a flat hash (F7: weighted by the URL hash) or shard (F8: ring walk).
std::string DirRun::model_pick(int key) const {
  std::uint32_t h = hash32(vr::request_url(static_cast<std::uint64_t>(key)));
  if (traits(c_.nodes.back().type).base == "hash") {
    double total = 0, w = std::ldexp(static_cast<double>(h), -32), sum = 0;
    for (std::size_t i = 0; i < root_members_.size(); i++)
      if (healthy(root_members_[i])) total += root_weights_[i];
    for (std::size_t i = 0; total > 0 && i < root_members_.size(); i++) {
      if (!healthy(root_members_[i])) continue;
      sum += root_weights_[i];
      if (w * total < sum) return "v0." + kid_name(root_members_[i]);
    }
    return "";
  }
  const auto &ring = this->ring();
  if (ring.empty()) return "";
  auto it = std::lower_bound(ring.begin(), ring.end(), std::make_pair(h, std::size_t{0}));
  std::size_t idx = it == ring.end() ? ring.size() - 1 : static_cast<std::size_t>(it - ring.begin());
  for (std::size_t step = 0; step < ring.size(); step++, idx = (idx + 1) % ring.size())
    if (healthy(root_members_[ring[idx].second])) return "v0." + kid_name(root_members_[ring[idx].second]);
  return "";
}

void DirRun::check_hash_shard(Loaded &l, const std::vector<std::string> &seq, const std::vector<int> &keys, int r) {
  bool shard = traits(c_.nodes.back().type).base == "shard";
  std::vector<std::string> probe;
  for (int k = 0; k < kProbeKeys; k++) probe.push_back(pick(l, k));
  for (std::size_t i = 0; i < keys.size(); i++) {
    std::size_t k = static_cast<std::size_t>(keys[i]);
    if (k < probe.size() && probe[k] != seq[i])
      return fail(fmt::format("round {}: key {} went to {} and then to {} with the healthy set unchanged ({})", r, k,
                              seq[i], probe[k], shard ? "F8" : "F7"));
  }
  std::string sig = fmt::format("{:#x}|", sick_);
  for (std::size_t i = 0; i < root_members_.size(); i++) sig += fmt::format("{}*{},", kid_name(root_members_[i]), root_weights_[i]);
  if (memo_.count(sig) && memo_[sig] != probe)
    return fail(fmt::format("round {}: {} picks differ from an earlier round with the same members and health ({})", r,
                            shard ? "shard" : "hash", shard ? "F8" : "F7"));
  memo_[sig] = probe;
  for (int k = 0; k < kProbeKeys; k++)
    if (probe[static_cast<std::size_t>(k)] != model_pick(k))
      return fail(fmt::format("round {}: key {} went to {}, the spec says {} ({})", r, k, probe[static_cast<std::size_t>(k)],
                              model_pick(k), shard ? "F8 ring walk" : "F7 weighted hash"));
  if (!shard) return;
  // F8 consistency: a key moves only if its backend went away (removed or sick), or to a
  // backend that came (back); keys past the last ring point follow the last point (F8).
  std::set<std::string> usable;
  for (int k : root_members_)
    if (healthy(k)) usable.insert("v0." + kid_name(k));
  if (!last_probe_.empty()) {
    bool shrank = std::includes(last_usable_.begin(), last_usable_.end(), usable.begin(), usable.end());
    bool grew = std::includes(usable.begin(), usable.end(), last_usable_.begin(), last_usable_.end());
    for (std::size_t k = 0; k < probe.size(); k++) {
      const std::string &prev = last_probe_[k], &cur = probe[k];
      std::uint32_t h = hash32(vr::request_url(k));
      if (prev == cur || h > ring_max() || h > last_ring_max_) continue;
      if ((shrank && usable.count(prev)) || (grew && !(usable.count(cur) && !last_usable_.count(cur))))
        return fail(fmt::format("round {}: shard moved key {} from {} to {} though only other backends changed (F8)", r,
                                k, prev, cur));
    }
  }
  last_probe_ = probe;
  last_usable_ = usable;
  last_ring_max_ = ring_max();
}

std::uint32_t DirRun::ring_max() const { return ring().empty() ? 0 : ring().back().first; }

// F8: replicas (67) x weight points per member at hash(name, j), sorted; cached per membership.
const std::vector<std::pair<std::uint32_t, std::size_t>> &DirRun::ring() const {
  std::string sig;
  for (std::size_t i = 0; i < root_members_.size(); i++) sig += fmt::format("{}*{},", root_members_[i], root_weights_[i]);
  if (sig == ring_sig_ && !ring_.empty()) return ring_;
  ring_.clear();
  for (std::size_t i = 0; i < root_members_.size(); i++)
    for (int j = 0; j < 67 * root_weights_[i]; j++) ring_.emplace_back(hash32(kid_name(root_members_[i]) + std::to_string(j)), i);
  std::sort(ring_.begin(), ring_.end());
  ring_sig_ = sig;
  return ring_;
}

void DirRun::reload(std::unique_ptr<Loaded> v0) {
  std::unique_ptr<Loaded> v1;
  std::map<const struct vcl *, Loaded *> by_vcl = {{v0->v, v0.get()}};
  std::vector<vs::Actor *> clients;
  for (int a = 0; a < kActors; a++)
    clients.push_back(w_.sim.spawn(fmt::format("reload-client{}", a), [&, a] {
      for (int i = 0; i < 4; i++) {
        struct vcl *active = w_.rt.active_vcl();
        Loaded *l = by_vcl.count(active) ? by_vcl[active] : nullptr;
        if (l) pick(*l, a + i);  // the prefix check is in pick(): only this VCL's backends
        w_.sim.sleep_for(300'000);
      }
    }));
  {
    std::lock_guard<vs::Mutex> lk(cli_);
    v1 = load("v1");
    by_vcl[v1->v] = v1.get();
    w_.rt.vcl_use("v1");
    w_.rt.vcl_discard("v0");
  }
  for (vs::Actor *a : clients) w_.sim.join(a);
  std::lock_guard<vs::Mutex> lk(cli_);
  w_.rt.poll();
  if (!v0->v->gone) return fail("v0 was not reaped after its discard (C5)");
  for (const auto &vd : w_.rt.quarantine())
    if (vd->vcl == v0->v && !vd->destroyed) return fail(fmt::format("'{}' outlived its discarded VCL (A8/C5)", vd->cli_name));
}

}  // namespace

std::string run_dir_case(const DirCase &c, const ExecOptions &opts) {
  DirRun r(c, opts);
  return r.run();
}

}  // namespace prop
