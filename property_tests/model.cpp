// The lifecycle model: preconditions and effects of each operation (its footprints, what
// may race what within a phase, are in model_footprints.cpp).
#include "property_tests/model.hpp"

#include <algorithm>
#include <bit>
#include <set>
#include <stdexcept>

#include "property_tests/types.hpp"

namespace prop {

Model::Model(std::shared_ptr<const Template> t) : tmpl_(std::move(t)) {
  Op boot;  // v0 is loaded and active before the first phase (like varnishd -f)
  boot.kind = OpKind::VclLoad;
  boot.vcl = 0;
  boot.inst = 0;
  boot.id = 0;
  load(boot);
  active_ = 0;
}

const MVcl *Model::current(int name) const {
  for (const auto &v : vcls_)
    if (v.name == name && v.state != VclState::Gone) return &v;
  return nullptr;
}

MObj &Model::add_obj(int id, int inst, ObjKind k, std::string name) {
  MObj o;
  o.id = id;
  o.inst = inst;
  o.kind = k;
  o.name = std::move(name);
  return objs_[id] = o;
}

void Model::load(const Op &op) {
  MVcl v;
  v.inst = op.inst;
  v.name = op.vcl;
  v.first_id = op.id;
  vcls_.push_back(v);
  for (int s = 0; s < kStatic; s++) {
    MObj &o = add_obj(op.id + s, op.inst, ObjKind::Static, "s" + std::to_string(s));
    o.host = s;
    o.probe = tmpl_->probe[s];
  }
  for (std::size_t j = 0; j < tmpl_->dirs.size(); j++) {
    const TemplateDir &td = tmpl_->dirs[j];
    MObj &o = add_obj(op.id + kStatic + static_cast<int>(j), op.inst, ObjKind::Vmod, "t" + std::to_string(j));
    o.type = td.type;
    const TypeTraits &tr = traits(td.type);
    for (int m : td.members) {
      int mid = op.id + m;
      if (tr.set_members && std::count(o.members.begin(), o.members.end(), mid)) continue;
      o.members.push_back(mid);
    }
    if (tr.dynamic) {
      o.hosts = o.answer = static_cast<unsigned>(td.answer);
      o.probe = td.flag;
    }
  }
  next_id_ = op.id + tmpl_->objects();
}

int Model::refcnt(int id) const {
  const MObj &o = objs_.at(id);
  if (o.destroyed) return 0;
  if (o.kind == ObjKind::Static) return 1;  // VRT_StaticDirector: NOREFCNT (A4)
  int n = o.owned ? 1 : 0;
  for (const auto &[pid, p] : objs_)
    if (p.kind == ObjKind::Vmod && !p.destroyed && !p.released)
      n += static_cast<int>(std::count(p.members.begin(), p.members.end(), id));
  return n;
}

void Model::settle() {
  for (bool changed = true; changed;) {
    changed = false;
    for (auto &[id, o] : objs_) {
      if (o.destroyed || o.kind == ObjKind::Static || refcnt(id) > 0) continue;
      o.destroyed = true;  // A6/A8: the last reference retires it
      changed = true;
    }
  }
}

void Model::discard(MVcl &v) {
  // C5: __fini of every object still owned (release drops members), B4 reaps the rest.
  v.state = VclState::Gone;
  v.discarded_phase = phase_;
  for (auto &[id, o] : objs_) {
    if (o.inst != v.inst || o.destroyed) continue;
    if (o.kind == ObjKind::Vmod && !o.released) {
      o.released = true;
      o.members.clear();
      o.hosts = 0;
      o.uncertain = false;
    }
    o.owned = false;
    if (o.kind == ObjKind::Static) o.destroyed = true;
  }
  settle();
}

bool Model::contains(int root, int id) const {
  std::set<int> seen;
  std::vector<int> todo = {root};
  while (!todo.empty()) {
    int x = todo.back();
    todo.pop_back();
    if (x == id) return true;
    if (!seen.insert(x).second) continue;
    for (int m : objs_.at(x).members) todo.push_back(m);
  }
  return false;
}

bool Model::cyclic(int root) const {
  std::set<int> seen;
  std::vector<int> todo = {root};
  while (!todo.empty()) {
    int x = todo.back();
    todo.pop_back();
    if (!seen.insert(x).second) continue;
    for (int m : objs_.at(x).members)
      if (contains(m, x)) return true;
      else todo.push_back(m);
  }
  return false;
}

std::optional<bool> Model::healthy(int id, const std::function<bool(int)> &without_callback) const {
  const MObj &o = objs_.at(id);
  if (o.admin >= 0) return o.admin == 1;  // D3: admin healthy/sick/deleted
  if (o.kind != ObjKind::Vmod) return !o.probe || host_up(o.host);
  if (without_callback && without_callback(id)) return true;  // VRT_Healthy: no callback, healthy
  const TypeTraits &tr = traits(o.type);
  if (tr.dynamic) {
    if (o.uncertain) return std::nullopt;
    for (int h = 0; h < kHosts; h++)
      if (((o.hosts >> h) & 1u) && (!o.probe || host_up(h))) return true;
    return false;
  }
  bool unknown = false;  // F1/F2: any member healthy
  for (int m : o.members) {
    std::optional<bool> mh = healthy(m, without_callback);
    if (mh && *mh) return true;
    if (!mh) unknown = true;
  }
  if (unknown) return std::nullopt;
  return false;
}

int Model::linked(int inst) const {
  int n = 0;
  for (const auto &[id, o] : objs_)
    if (o.inst == inst && !o.destroyed) n += 1 + std::popcount(o.hosts);
  return n;
}

int Model::live_total() const {
  int n = 0;
  for (const auto &[id, o] : objs_)
    if (!o.destroyed) n += 1 + std::popcount(o.hosts);
  return n;
}

bool Model::uncertain_vcl(int inst) const {
  for (const auto &[id, o] : objs_)
    if (o.inst == inst && o.uncertain) return true;
  return false;
}

bool Model::any_uncertain() const {
  for (const auto &[id, o] : objs_)
    if (o.uncertain) return true;
  return false;
}

bool Model::check_vcl_op(const Op &op, std::string *why) const {
  auto no = [&](const char *w) {
    if (why) *why = w;
    return false;
  };
  const MVcl *cur = op.vcl >= 0 && op.vcl < kVclNames ? current(op.vcl) : nullptr;
  switch (op.kind) {
    case OpKind::Barrier: return phase_ops_ > 0 || no("empty phase");
    case OpKind::Endpoint: return (op.arg >= 0 && op.arg < kHosts && op.flag != host_up(op.arg)) || no("no flip");
    case OpKind::VclLoad:
      if (cur || op.inst != next_inst() || op.id != next_id_) return no("name loaded or ids off");
      for (const auto &v : vcls_)
        if (v.name == op.vcl && v.discarded_phase == phase_) return no("discarded this phase");
      return (op.arg >= 0 && op.arg <= 2) || no("bad state");
    case OpKind::VclUse:
      if (op.id >= 0) return (op.id < kLabels && label(op.id) >= 0 && label(op.id) == op.inst) || no("no such label");
      return (cur && cur->inst == op.inst) || no("not loaded");
    case OpKind::VclWarm: return (cur && cur->inst == op.inst) || no("not loaded");
    case OpKind::VclDiscard:
      if (op.id2 >= 0) {  // the second name: all or nothing, as varnishd marks every name first
        const MVcl *two = op.id2 < kVclNames && op.id2 != op.vcl ? current(op.id2) : nullptr;
        if (!two || two->inst != op.arg || op.arg == active_ || labelled(op.arg)) return no("second VCL not discardable");
      }
      [[fallthrough]];
    case OpKind::VclCold:
      if (cur && labelled(op.inst)) return no("labelled (L4)");
      return (cur && cur->inst == op.inst && op.inst != active_) || no("not loaded or active");
    case OpKind::VclLabel:  // L3: a VCL set cold is refused until warm or auto
      if (op.id < 0 || op.id >= kLabels) return no("bad label");
      return (cur && cur->inst == op.inst && cur->state == VclState::Warm) || no("not loaded or cold (L3)");
    case OpKind::LabelDiscard:  // L6: not the active label
      return (op.id >= 0 && op.id < kLabels && label(op.id) >= 0 && label(op.id) == op.inst && op.id != active_label_) ||
             no("no such label, or active");
    case OpKind::VclList:  // vcl.show names a loaded VCL, or a label pointing at that instance
      if (op.arg < 0 || op.arg > 3) return no("bad form");
      if (op.arg == 2) return (cur && cur->inst == op.inst) || no("not loaded");
      if (op.arg == 3) return (op.id >= 0 && op.id < kLabels && label(op.id) == op.inst) || no("no such label");
      return true;
    case OpKind::BackendList: {
      if (op.arg < 0 || op.arg > 2) return no("bad pattern");
      // The health of a loop of directors never ends (D1), in backend.list as in a request.
      for (const auto &[id, o] : objs_)
        if (!o.destroyed && vcl(o.inst).state != VclState::Gone && cyclic(id)) return no("a director loop");
      return op.arg != 2 || (cur && cur->inst == op.inst) || no("not loaded");
    }
    default: break;
  }
  return no("unknown op");
}

bool Model::check_object_op(const Op &op, std::string *why) const {
  auto no = [&](const char *w) {
    if (why) *why = w;
    return false;
  };
  auto live = [&](int id) { return objs_.count(id) && !objs_.at(id).destroyed; };
  auto vcl_ok = [&](int id, bool warm) {
    const MVcl &v = vcl(objs_.at(id).inst);
    return warm ? v.state == VclState::Warm : v.state != VclState::Gone;
  };
  const MVcl *cur = op.vcl >= 0 && op.vcl < kVclNames ? current(op.vcl) : nullptr;
  switch (op.kind) {
    case OpKind::SetHealth:
      if (op.arg < -1 || op.arg > 1) return no("bad state");
      if (op.id < 0) return (cur && cur->inst == op.inst) || no("not loaded");
      return (live(op.id) && !objs_.at(op.id).deleted && vcl_ok(op.id, false) && objs_.at(op.id).inst == op.inst) ||
             no("target gone");
    case OpKind::DirNew:
    case OpKind::BeNew:
      if (op.id != next_id_ || op.inst < 0 || op.inst >= next_inst()) return no("ids off");
      if (vcl(op.inst).state != VclState::Warm) return no("vcl not warm");
      return op.kind == OpKind::BeNew ? (op.arg >= 0 && op.arg < kHosts) : known_type(op.type);
    case OpKind::DirFini:
      return (live(op.id) && objs_.at(op.id).kind == ObjKind::Vmod && !objs_.at(op.id).released &&
              vcl_ok(op.id, false)) || no("not an owned object");
    case OpKind::BeDelete:
      return (live(op.id) && objs_.at(op.id).kind == ObjKind::Native && objs_.at(op.id).owned &&
              vcl_ok(op.id, false)) || no("not an owned backend");
    case OpKind::AddBackend:
    case OpKind::RemoveBackend: {
      if (!live(op.id) || !live(op.id2)) return no("gone");
      const MObj &p = objs_.at(op.id), &m = objs_.at(op.id2);
      if (p.kind != ObjKind::Vmod || p.released || !traits(p.type).members) return no("parent");
      // VCL code (add/remove_backend) runs in tasks of a warm VCL (or vcl_init).
      if (m.inst != p.inst || !vcl_ok(op.id, true)) return no("vcl");
      // VCL names only objects it still owns: a released one may be destroyed meanwhile
      // by another actor (its last holder's release), and its pointer is then stale.
      if (!m.owned || m.released || m.deleted) return no("member not owned");
      if (op.kind == OpKind::RemoveBackend) return true;
      if (m.kind == ObjKind::Vmod && !traits(m.type).nestable) return no("member not nestable");
      if (op.id2 == op.id || p.members.size() >= 6) return no("self or full");
      return true;
    }
    case OpKind::Request:  // resolving or asking the health of a loop never ends (D1)
      return (live(op.id) && vcl_ok(op.id, false) && objs_.at(op.id).inst == op.inst && !cyclic(op.id)) ||
             no("target gone or in a loop");
    case OpKind::Resolver:
      return (live(op.id) && objs_.at(op.id).kind == ObjKind::Vmod && traits(objs_.at(op.id).type).dynamic &&
              !objs_.at(op.id).released && vcl_ok(op.id, false) && op.arg >= 0 && op.arg < (1 << kHosts)) ||
             no("not a live dynamic");
    default: break;
  }
  return no("unknown op");
}

bool Model::check(const Op &op, std::string *why) const {
  switch (op.kind) {
    case OpKind::SetHealth:
    case OpKind::DirNew:
    case OpKind::BeNew:
    case OpKind::DirFini:
    case OpKind::BeDelete:
    case OpKind::AddBackend:
    case OpKind::RemoveBackend:
    case OpKind::Request:
    case OpKind::Resolver: return check_object_op(op, why);
    default: return check_vcl_op(op, why);
  }
}

bool Model::valid(const Op &op, std::string *why) const {
  if (op.actor < 0 || op.actor >= kActors) {
    if (why) *why = "actor";
    return false;
  }
  if (!check(op, why)) return false;
  if (conflict(keys(op), op.actor) || strands_a_resolve(op, op.actor)) {
    if (why) *why = "conflicts with another actor in this phase";
    return false;
  }
  return true;
}

// A resolver update racing a temperature change of its VCL on another actor creates
// backends or not depending on the schedule: the model stops predicting that VCL's count.
void Model::racy_resolvers(const Op &op) {
  bool temp_op = op.kind == OpKind::VclCold || op.kind == OpKind::VclWarm || op.kind == OpKind::VclUse;
  for (const Op &o : this_phase_) {
    bool o_temp = o.kind == OpKind::VclCold || o.kind == OpKind::VclWarm || o.kind == OpKind::VclUse;
    // A cold request earlier in the phase may have left the VCL BUSY (C3): still warm.
    bool busy_maybe = o.kind == OpKind::VclCold && o.actor == op.actor;
    if (op.kind == OpKind::Resolver && o.inst == objs_.at(op.id).inst && ((o_temp && o.actor != op.actor) || busy_maybe))
      objs_.at(op.id).uncertain = true;
    if (o.actor == op.actor) continue;
    if (temp_op && o.kind == OpKind::Resolver && objs_.at(o.id).inst == op.inst) objs_.at(o.id).uncertain = true;
  }
}

void Model::apply(const Op &op) {
  total_ops_++;
  if (op.kind == OpKind::Barrier) {
    phase_++;
    phase_ops_ = 0;
    touched_.clear();
    this_phase_.clear();
    phase_members_.clear();
    return;
  }
  phase_ops_++;
  touch(keys(op), op.actor);
  racy_resolvers(op);
  this_phase_.push_back(op);
  static MObj none;
  MObj &o = op.id >= 0 && objs_.count(op.id) ? objs_.at(op.id) : none;
  // What an op takes out of a member list: a member added this phase is in the list until then.
  if (op.kind == OpKind::RemoveBackend || op.kind == OpKind::DirFini)
    phase_members_[op.id].insert(o.members.begin(), o.members.end());
  apply_vcl_op(op);
  apply_object_op(op, o);
  settle();
}

// A VCL warm again: its dynamic directors get their resolvers' latest answers.
void Model::answers_reach(int inst) {
  for (auto &[id, o] : objs_)
    if (o.inst == inst && !o.destroyed && !o.released && o.kind == ObjKind::Vmod && traits(o.type).dynamic)
      o.hosts = o.answer;
}

void Model::apply_vcl_op(const Op &op) {
  switch (op.kind) {
    case OpKind::Barrier: break;
    case OpKind::Endpoint: hosts_up_ = op.flag ? hosts_up_ | (1u << op.arg) : hosts_up_ & ~(1u << op.arg); break;
    case OpKind::VclLoad:
      load(op);
      if (op.arg == 1) vcls_.back().state = VclState::Cold;  // INIT -> COLD, no event after LOAD
      break;
    case OpKind::VclUse:
      active_ = op.inst;
      active_label_ = op.id;  // -1: a VCL, not a label
      vcls_[static_cast<std::size_t>(op.inst)].state = VclState::Warm;
      answers_reach(op.inst);
      break;
    case OpKind::VclLabel:  // L4: a repoint of the active label moves new requests (L6)
      labels_[static_cast<std::size_t>(op.id)] = op.inst;
      if (active_label_ == op.id) active_ = op.inst;
      break;
    case OpKind::LabelDiscard: labels_[static_cast<std::size_t>(op.id)] = -1; break;
    case OpKind::BackendList:
    case OpKind::VclList: break;
    case OpKind::VclWarm:
      vcls_[static_cast<std::size_t>(op.inst)].state = VclState::Warm;
      answers_reach(op.inst);
      break;
    case OpKind::VclCold: vcls_[static_cast<std::size_t>(op.inst)].state = VclState::Cold; break;
    case OpKind::VclDiscard:
      discard(vcls_[static_cast<std::size_t>(op.inst)]);
      if (op.id2 >= 0) discard(vcls_[static_cast<std::size_t>(op.arg)]);
      break;
    default: break;
  }
}

void Model::apply_object_op(const Op &op, MObj &o) {
  switch (op.kind) {
    case OpKind::SetHealth:
      if (op.id >= 0) o.admin = op.arg;
      else
        for (int s = 0; s < kStatic; s++) objs_.at(vcl(op.inst).first_id + s).admin = op.arg;
      break;
    case OpKind::DirNew: {
      MObj &n = add_obj(op.id, op.inst, ObjKind::Vmod, "o" + std::to_string(op.id));
      n.type = op.type;
      n.probe = op.flag && traits(op.type).dynamic;
      next_id_++;
      break;
    }
    case OpKind::BeNew: {
      MObj &n = add_obj(op.id, op.inst, ObjKind::Native, "n" + std::to_string(op.id));
      n.host = op.arg;
      n.probe = op.flag;
      next_id_++;
      break;
    }
    case OpKind::DirFini:
      o.owned = false;
      o.released = true;  // B1/B2: release drops every member reference
      o.members.clear();
      o.hosts = 0;
      o.uncertain = false;
      break;
    case OpKind::BeDelete:
      o.owned = false;  // B3: disabled (admin deleted = sick) and our reference dropped
      o.deleted = true;
      o.admin = 0;
      break;
    case OpKind::AddBackend:
      if (!traits(o.type).set_members || !std::count(o.members.begin(), o.members.end(), op.id2))
        o.members.push_back(op.id2);
      break;
    case OpKind::RemoveBackend:
      if (traits(o.type).set_members) {
        o.members.erase(std::remove(o.members.begin(), o.members.end(), op.id2), o.members.end());
      } else if (auto it = std::find(o.members.begin(), o.members.end(), op.id2); it != o.members.end()) {
        o.members.erase(it);
      }
      break;
    case OpKind::Request: break;
    case OpKind::Resolver:
      // The resolver reaches a warm VCL only; a cold one's director gets the latest answer
      // when it is warm again (answers_reach).
      for (int mask : flaps(op)) o.answer = static_cast<unsigned>(mask);
      if (vcl(o.inst).state == VclState::Warm) o.hosts = o.answer;
      break;
    default: break;
  }
}

}  // namespace prop
