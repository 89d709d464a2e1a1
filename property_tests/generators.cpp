// Generators for lifecycle cases (see generators.hpp). Every choice is a `*gen::inRange`
// inside gen::exec so that it shrinks toward the first candidate.
#include "property_tests/generators.hpp"

#include <algorithm>
#include <iterator>

#include "property_tests/types.hpp"

namespace prop {

namespace gen = rc::gen;

void Cmd::checkPreconditions(const Model &m) const {
  std::string why;
  RC_PRE(m.valid(op, &why));
}

namespace {

// Uniform in [0, n) whatever the current size (gen::inRange scales with size), and
// shrinking toward 0.
int choose(int n) { return *gen::resize(100, gen::inRange(0, n)); }

template <typename T>
const T &pick(const std::vector<T> &v) {
  if (v.empty()) RC_DISCARD("no candidate");
  return v[static_cast<std::size_t>(choose(static_cast<int>(v.size())))];
}

struct Candidates {
  std::vector<int> live, requestable, parents, removers, finis, natives, dynamics, warm_insts, current_names, coolable;
  std::vector<int> warm_names, set_labels, free_labels;  // labels: set, and set but not active
};

Candidates candidates(const Model &m) {
  Candidates c;
  for (const auto &[id, o] : m.objs()) {
    if (o.destroyed || m.vcl(o.inst).state == VclState::Gone) continue;
    c.live.push_back(id);
    if (!m.cyclic(id)) c.requestable.push_back(id);
    bool warm = m.vcl(o.inst).state == VclState::Warm;
    if (o.kind == ObjKind::Vmod && !o.released) {
      c.finis.push_back(id);
      const TypeTraits &tr = traits(o.type);
      if (tr.members && warm) c.removers.push_back(id);
      if (tr.members && warm && o.members.size() < 6) c.parents.push_back(id);
      if (tr.dynamic) c.dynamics.push_back(id);
    }
    if (o.kind == ObjKind::Native && o.owned) c.natives.push_back(id);
  }
  for (const auto &v : m.vcls())
    if (v.state == VclState::Warm) c.warm_insts.push_back(v.inst);
  for (int n = 0; n < kVclNames; n++)
    if (const MVcl *v = m.current(n)) {
      c.current_names.push_back(n);
      if (v->inst != m.active() && !m.labelled(v->inst)) c.coolable.push_back(n);
      if (v->state == VclState::Warm) c.warm_names.push_back(n);
    }
  for (int l = 0; l < kLabels; l++)
    if (m.label(l) >= 0) {
      c.set_labels.push_back(l);
      if (l != m.active_label()) c.free_labels.push_back(l);
    }
  return c;
}

// Races are between ops of one phase on one object: half of the time an op aims at an
// object an op of this phase already names, when one is a candidate.
int pick_target(const Model &m, const std::vector<int> &candidates) {
  if (choose(2) == 0) {
    std::vector<int> named;
    std::copy_if(candidates.begin(), candidates.end(), std::back_inserter(named), [&](int id) { return m.in_phase(id); });
    if (!named.empty()) return pick(named);
  }
  return pick(candidates);
}

// Members for parent; a loop of directors (#3899) only now and then.
std::vector<int> members_for(const Model &m, int parent) {
  std::vector<int> out;
  bool loops = choose(4) == 0;
  const MObj &p = m.objs().at(parent);
  for (const auto &[id, o] : m.objs()) {
    if (o.inst != p.inst || o.destroyed || !o.owned || o.released || o.deleted) continue;
    if (o.kind == ObjKind::Vmod && !traits(o.type).nestable) continue;
    if (id != parent && (loops || !m.contains(id, parent))) out.push_back(id);
  }
  return out;
}

// The kinds in shrink order (earlier = simpler) with their weights.
const std::vector<std::pair<OpKind, int>> &kinds() {
  static const std::vector<std::pair<OpKind, int>> k = {
      {OpKind::Barrier, 3},    {OpKind::Request, 7},       {OpKind::SetHealth, 2},    {OpKind::Endpoint, 1},
      {OpKind::DirFini, 2},    {OpKind::AddBackend, 4},    {OpKind::RemoveBackend, 2}, {OpKind::Resolver, 3},
      {OpKind::BeNew, 2},      {OpKind::BeDelete, 2},      {OpKind::DirNew, 2},       {OpKind::VclCold, 2},
      {OpKind::VclWarm, 2},    {OpKind::VclLoad, 2},       {OpKind::VclUse, 2},       {OpKind::VclDiscard, 2},
      {OpKind::BackendList, 2}, {OpKind::VclLabel, 1},     {OpKind::LabelDiscard, 1}, {OpKind::VclList, 1}};
  return k;
}

// Only kinds that have a candidate now, so that generation never has to discard.
bool available(OpKind k, const Model &m, const Candidates &c, const GenConfig &cfg) {
  bool room = m.next_id() < cfg.max_objects;
  switch (k) {
    case OpKind::Barrier: return m.phase_ops() > 0;
    case OpKind::Request: return !c.requestable.empty();
    case OpKind::SetHealth: return !c.live.empty();
    case OpKind::Endpoint: return true;
    case OpKind::DirFini: return !c.finis.empty();
    case OpKind::AddBackend: return !c.parents.empty();
    case OpKind::RemoveBackend: return !c.removers.empty();
    case OpKind::Resolver: return !c.dynamics.empty();
    case OpKind::BeNew:
    case OpKind::DirNew: return cfg.runtime_objects && room && !c.warm_insts.empty();
    case OpKind::BeDelete: return !c.natives.empty();
    case OpKind::VclCold:
    case OpKind::VclDiscard: return cfg.vcl_ops && !c.coolable.empty();
    case OpKind::VclWarm:
    case OpKind::VclUse: return cfg.vcl_ops;
    case OpKind::VclLabel: return cfg.vcl_ops && !c.warm_names.empty();
    case OpKind::LabelDiscard: return cfg.vcl_ops && !c.free_labels.empty();
    case OpKind::BackendList: return c.requestable.size() == c.live.size();  // no loop (D1)
    case OpKind::VclList: return cfg.vcl_ops;
    case OpKind::VclLoad:
      return cfg.vcl_ops && static_cast<int>(c.current_names.size()) < kVclNames && m.next_inst() < cfg.max_instances &&
             m.next_id() + m.tmpl()->objects() <= cfg.max_objects;
  }
  return false;
}

OpKind pick_kind(const Model &m, const Candidates &c, const GenConfig &cfg) {
  std::vector<std::pair<OpKind, int>> avail;
  int total = 0;
  for (auto [k, w] : kinds()) {
    if (auto it = cfg.weights.find(k); it != cfg.weights.end()) w = it->second;
    if (w > 0 && available(k, m, c, cfg)) {
      avail.emplace_back(k, w);
      total += w;
    }
  }
  if (total == 0) return OpKind::Barrier;
  int r = choose(total);
  for (auto [k, w] : avail) {
    if (r < w) return k;
    r -= w;
  }
  return OpKind::Barrier;
}

// The fields of a VCL, label or CLI op (the kind is set).
void fill_vcl_op(Op &op, const Model &m, const Candidates &c) {
  switch (op.kind) {
    case OpKind::VclLoad: {
      std::vector<int> names;
      for (int n = 0; n < kVclNames; n++)
        if (!m.current(n)) names.push_back(n);
      op.vcl = pick(names);
      op.inst = m.next_inst();
      op.id = m.next_id();
      op.arg = std::max(0, choose(4) - 1);  // auto (half), cold, warm; shrinks to auto
      break;
    }
    case OpKind::VclLabel:
      op.id = choose(kLabels);
      op.vcl = pick(c.warm_names);
      op.inst = m.current(op.vcl)->inst;
      break;
    case OpKind::LabelDiscard:
      op.id = pick(c.free_labels);
      op.vcl = m.vcl(m.label(op.id)).name;
      op.inst = m.label(op.id);
      break;
    case OpKind::BackendList:
      op.arg = choose(3);
      op.vcl = op.arg == 2 ? pick(c.current_names) : 0;
      op.inst = op.arg == 2 ? m.current(op.vcl)->inst : 0;
      op.flag = choose(2) == 1;
      op.id2 = choose(2);
      break;
    case OpKind::VclList:  // vcl.list [-j], vcl.show [-v] of a VCL or a label
      op.arg = choose(4);
      if (op.arg == 3 && c.set_labels.empty()) op.arg = 2;
      if (op.arg == 2 && c.current_names.empty()) op.arg = 1;
      if (op.arg == 2) op.vcl = pick(c.current_names);
      if (op.arg == 3) op.id = pick(c.set_labels);
      if (op.arg == 3) op.vcl = m.vcl(m.label(op.id)).name;
      if (op.arg >= 2) op.inst = op.arg == 3 ? m.label(op.id) : m.current(op.vcl)->inst;
      op.flag = choose(2) == 1;
      break;
    case OpKind::VclUse:
      if (!c.set_labels.empty() && choose(3) == 2) {  // vcl.use LABEL (L6)
        op.id = pick(c.set_labels);
        op.inst = m.label(op.id);
        op.vcl = m.vcl(op.inst).name;
        break;
      }
      [[fallthrough]];
    case OpKind::VclWarm:
    case OpKind::VclCold:
    case OpKind::VclDiscard:
      op.vcl = pick(op.kind == OpKind::VclUse || op.kind == OpKind::VclWarm ? c.current_names : c.coolable);
      op.inst = m.current(op.vcl)->inst;
      if (op.kind == OpKind::VclDiscard && c.coolable.size() > 1 && choose(3) == 0) {  // vcl.discard vA vB
        std::vector<int> others;
        for (int n : c.coolable)
          if (n != op.vcl) others.push_back(n);
        op.id2 = pick(others);
        op.arg = m.current(op.id2)->inst;
      }
      break;
    default: break;
  }
}

// The members remove_backend may name: the parent's owned members, now and then any owned
// object of its VCL (not a member: a no-op the runtime must survive).
std::vector<int> removable(const Model &m, const Candidates &c, int parent) {
  const MObj &p = m.objs().at(parent);
  auto owned = [&](int id) {
    const MObj &o = m.objs().at(id);
    return o.owned && !o.released && !o.deleted && !o.destroyed;
  };
  std::vector<int> cand;
  for (int id : p.members)
    if (owned(id)) cand.push_back(id);
  if (cand.empty() || choose(4) == 3)
    for (int id : c.live)
      if (m.objs().at(id).inst == p.inst && owned(id)) cand.push_back(id);
  return cand;
}

// The fields of an op on objects, backends, requests or resolvers (the kind is set).
void fill_object_op(Op &op, const Model &m, const Candidates &c, const GenConfig &cfg) {
  switch (op.kind) {
    case OpKind::SetHealth: {
      op.arg = choose(3) - 1;
      if (choose(4) == 0) {
        op.vcl = pick(c.current_names);
        op.inst = m.current(op.vcl)->inst;
        break;
      }
      op.id = pick(c.live);
      const MObj &o = m.objs().at(op.id);
      op.inst = o.inst;
      op.vcl = m.vcl(o.inst).name;
      break;
    }
    case OpKind::DirNew:
      op.inst = pick(c.warm_insts);
      op.id = m.next_id();
      op.type = pick(cfg.types);
      op.flag = choose(2) == 1 && (cfg.probes || !traits(op.type).dynamic);
      break;
    case OpKind::BeNew:
      op.inst = pick(c.warm_insts);
      op.id = m.next_id();
      op.arg = choose(kHosts);
      op.flag = cfg.probes && choose(2) == 1;
      break;
    case OpKind::DirFini: op.id = pick_target(m, c.finis); break;
    case OpKind::BeDelete: op.id = pick(c.natives); break;
    case OpKind::AddBackend:
      op.id = pick_target(m, c.parents);
      op.id2 = pick(members_for(m, op.id));
      op.arg = traits(m.objs().at(op.id).type).weighted ? 1 + choose(3) : 1;
      break;
    case OpKind::RemoveBackend:
      op.id = pick_target(m, c.removers);
      op.id2 = pick(removable(m, c, op.id));
      break;
    case OpKind::Request:
      op.id = pick_target(m, c.requestable);
      op.inst = m.objs().at(op.id).inst;
      op.arg = choose(8);
      op.flag = choose(4) == 3;  // shrinks toward no re-assignment
      op.id2 = 1 + choose(3);    // requests in a row
      break;
    case OpKind::Resolver:
      op.id = pick_target(m, c.dynamics);
      op.arg = choose(1 << kHosts);
      op.id2 = 1 + choose(3);  // updates in a row (the answer flaps, flaps())
      break;
    default: break;
  }
}

Op make_op(const Model &m, const GenConfig &cfg) {
  Op op;
  if (m.phase_ops() >= cfg.max_phase_ops) return op;  // a barrier
  Candidates c = candidates(m);
  op.kind = pick_kind(m, c, cfg);
  if (op.kind == OpKind::Barrier) return op;
  if (op.kind == OpKind::Endpoint) {
    op.arg = choose(kHosts);
    op.flag = !m.host_up(op.arg);
    return op;
  }
  fill_vcl_op(op, m, c);
  fill_object_op(op, m, c, cfg);
  std::vector<int> free = m.free_actors(op), others;
  // An op on an object this phase names races it from another actor, not after it on one.
  if (!op.is_cli() && op.id >= 0 && m.in_phase(op.id))
    std::copy_if(free.begin(), free.end(), std::back_inserter(others), [&](int a) { return !m.in_phase(op.id, a); });
  op.actor = pick(others.empty() ? free : others);
  return op;
}

}  // namespace

rc::Gen<std::shared_ptr<const CmdBase>> gen_command(const Model &m, const GenConfig &cfg) {
  auto shared = std::make_shared<const Model>(m);
  return gen::exec([shared, cfg] { return std::shared_ptr<const CmdBase>(std::make_shared<const Cmd>(make_op(*shared, cfg))); });
}

rc::Gen<std::shared_ptr<const Template>> gen_template(const GenConfig &cfg) {
  return gen::exec([cfg] {
    auto t = std::make_shared<Template>();
    for (int s = 0; s < kStatic; s++) t->probe[s] = cfg.probes && choose(3) == 2;  // shrinks to none
    int n = choose(cfg.max_template_dirs + 1);
    for (int j = 0; j < n; j++) {
      TemplateDir d;
      d.type = pick(cfg.types);
      const TypeTraits &tr = traits(d.type);
      d.flag = choose(2) == 1 && (cfg.probes || !tr.dynamic);
      if (tr.dynamic) d.answer = choose(1 << kHosts);
      if (tr.members) {
        std::vector<int> cand = {0, 1, 2};
        for (int k = 0; k < j; k++)
          if (traits(t->dirs[static_cast<std::size_t>(k)].type).nestable) cand.push_back(kStatic + k);
        int count = 1 + choose(3);
        for (int k = 0; k < count; k++) {
          d.members.push_back(pick(cand));
          d.weights.push_back(tr.weighted ? 1 + choose(3) : 1);
        }
      }
      t->dirs.push_back(d);
    }
    return std::shared_ptr<const Template>(t);
  });
}

rc::Gen<StrategyChoice> gen_strategy(int max_depth) {
  return gen::exec([max_depth] {
    StrategyChoice s;
    s.depth = static_cast<int>(choose(max_depth + 2)) - 1;  // pos, random, pct:1..max_depth
    return s;
  });
}

Case make_case(std::shared_ptr<const Template> tmpl, const Cmds &cmds, std::uint64_t seed, StrategyChoice s) {
  Case c;
  c.tmpl = std::move(tmpl);
  for (const auto &cmd : cmds) c.ops.push_back(static_cast<const Cmd &>(*cmd).op);
  c.seed = seed;
  c.strategy = s;
  return c;
}

}  // namespace prop
