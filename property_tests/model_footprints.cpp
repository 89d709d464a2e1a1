// The lifecycle model's footprints: what each op touches, which ops of a phase may run on
// different actors (they commute in the model), and the races only a harness could cause
// that are kept off a request's phase (see model.hpp).
#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "property_tests/model.hpp"
#include "property_tests/types.hpp"

namespace prop {

std::vector<Model::Key> Model::keys(const Op &op) const {
  std::vector<Key> k;
  auto obj = [&](int id, bool excl) { k.push_back({"obj:" + std::to_string(id), excl}); };
  auto inst_of = [&](int id) { return std::to_string(objs_.at(id).inst); };
  // An edge of op.id that is (or closes) a loop of directors: adding or dropping it makes a
  // request valid or not (D1), so it must not race one on another actor.
  auto loop_edge = [&](int member) { return objs_.count(member) && contains(member, op.id); };
  if (op.is_cli()) k.push_back({"cli", true});
  switch (op.kind) {
    case OpKind::Barrier:
    case OpKind::Request:  // no lasting effect; only a loop made meanwhile would hurt it
      k.push_back({"loops", false});
      break;
    case OpKind::VclLoad: k.push_back({"life:" + std::to_string(op.inst), true}); break;
    case OpKind::VclLabel:
    case OpKind::LabelDiscard: k.push_back({"temp:" + std::to_string(op.inst), true}); break;
    case OpKind::BackendList:  // reads (the model predicts nothing it prints); a loop made meanwhile hurts
      k.push_back({"loops", false});
      // varnishd runs a VCL object's __fini only at discard, on the CLI thread, so it never
      // overlaps backend.list: not on two actors of one phase.
      k.push_back({"fini", true});
      break;
    case OpKind::Endpoint: k.push_back({"ep:" + std::to_string(op.arg), true}); break;
    case OpKind::VclList: break;  // reads only what CLI ops change, and "cli" keeps those out of its phase
    case OpKind::VclUse:
    case OpKind::VclWarm:
      // A resolver's update holds a vclref (VRT_VCL_Prevent_Discard): a COOLING VCL it
      // holds refuses to be warmed, so no resolver op races a warming on another actor.
      k.push_back({"warm:" + std::to_string(op.inst), true});
      [[fallthrough]];
    case OpKind::VclCold: k.push_back({"temp:" + std::to_string(op.inst), true}); break;
    case OpKind::VclDiscard:
      for (int inst : {op.inst, op.id2 >= 0 ? op.arg : op.inst}) {
        k.push_back({"temp:" + std::to_string(inst), true});
        k.push_back({"life:" + std::to_string(inst), true});
      }
      break;
    case OpKind::SetHealth:
      if (op.id >= 0) {
        k.push_back({"admin:" + std::to_string(op.id), true});
        obj(op.id, false);
      } else {
        for (int s = 0; s < kStatic; s++) k.push_back({"admin:" + std::to_string(vcl(op.inst).first_id + s), true});
      }
      break;
    case OpKind::DirNew:
    case OpKind::BeNew:
      obj(op.id, true);
      k.push_back({"life:" + std::to_string(op.inst), false});
      k.push_back({"temp:" + std::to_string(op.inst), false});
      break;
    case OpKind::DirFini:
    case OpKind::Resolver:
      obj(op.id, true);
      k.push_back({"life:" + inst_of(op.id), false});
      if (op.kind == OpKind::Resolver) k.push_back({"warm:" + inst_of(op.id), false});
      if (op.kind != OpKind::DirFini) break;
      k.push_back({"fini", false});
      if (const auto &ms = objs_.at(op.id).members; std::any_of(ms.begin(), ms.end(), loop_edge))
        k.push_back({"loops", true});  // release drops every member
      break;
    case OpKind::BeDelete:
      obj(op.id, true);
      k.push_back({"admin:" + std::to_string(op.id), true});
      k.push_back({"life:" + inst_of(op.id), false});
      break;
    case OpKind::AddBackend:
    case OpKind::RemoveBackend:
      if (loop_edge(op.id2)) k.push_back({"loops", true});
      k.push_back({"temp:" + inst_of(op.id), false});
      obj(op.id, true);
      obj(op.id2, false);
      k.push_back({"life:" + inst_of(op.id), false});
      break;
  }
  return k;
}

bool Model::conflict(const std::vector<Key> &ks, int actor) const {
  for (const auto &key : ks) {
    auto it = touched_.find(key.name);
    if (it == touched_.end()) continue;
    for (auto [a, excl] : it->second)
      if (a != actor && (excl || key.excl)) return true;
  }
  return false;
}

void Model::touch(const std::vector<Key> &ks, int actor) {
  for (const auto &key : ks) touched_[key.name].emplace_back(actor, key.excl);
}

bool Model::in_phase(int id, int actor) const {
  return std::any_of(this_phase_.begin(), this_phase_.end(), [id, actor](const Op &o) {
    return (actor < 0 || o.actor == actor) && !o.is_cli() &&
           (o.id == id || (o.id2 == id && o.kind != OpKind::Request && o.kind != OpKind::Resolver));
  });
}

std::vector<int> Model::free_actors(const Op &op) const {
  std::vector<int> out;
  auto ks = keys(op);
  for (int a = 0; a < kActors; a++)
    if (!conflict(ks, a) && !strands_a_resolve(op, a)) out.push_back(a);
  return out;
}

std::set<int> Model::members_in_phase(int id) const {
  std::set<int> out(objs_.at(id).members.begin(), objs_.at(id).members.end());
  if (auto it = phase_members_.find(id); it != phase_members_.end()) out.insert(it->second.begin(), it->second.end());
  return out;
}

std::set<int> Model::reach(int root) const {
  std::set<int> seen;
  std::vector<int> todo(1, root);
  while (!todo.empty()) {
    int x = todo.back();
    todo.pop_back();
    for (int m : members_in_phase(x))
      if (m != root && seen.insert(m).second) todo.push_back(m);
  }
  return seen;
}

std::set<int> Model::drops(const Op &op) const {
  switch (op.kind) {
    case OpKind::DirFini: {  // the owner's reference, and release drops every member's
      std::set<int> out = members_in_phase(op.id);
      out.insert(op.id);
      return out;
    }
    case OpKind::BeDelete: return {op.id};
    case OpKind::RemoveBackend: return {op.id2};
    default: return {};
  }
}

int Model::holders(int id, const Op *op) const {
  int n = 0;
  for (const auto &[pid, p] : objs_) {
    if (p.released || p.destroyed || (op && op->kind == OpKind::DirFini && op->id == pid)) continue;
    int k = static_cast<int>(std::count(p.members.begin(), p.members.end(), id));
    if (op && op->kind == OpKind::RemoveBackend && op->id == pid && op->id2 == id)
      k = traits(p.type).set_members ? 0 : std::max(0, k - 1);  // as apply() removes
    n += k;
  }
  return n;
}

// The last reference: no owner and no member slot left (a slot still holding it keeps a
// request's pick alive, B3; only dropping the last one strands the request).
bool Model::strands_a_resolve(const Op &op, int actor) const {
  auto strands = [&](const Op &dropper, const Op &request, bool dropper_pending) {
    std::set<int> r = reach(request.id);
    for (int o : drops(dropper)) {
      bool owner_gone = !objs_.at(o).owned || ((dropper.kind == OpKind::DirFini || dropper.kind == OpKind::BeDelete) &&
                                               dropper.id == o);
      if (owner_gone && r.count(o) && holders(o, dropper_pending ? &dropper : nullptr) == 0) return true;
    }
    return false;
  };
  for (const Op &other : this_phase_) {
    if (other.actor == actor) continue;
    if (op.kind == OpKind::Request && strands(other, op, false)) return true;
    if (other.kind == OpKind::Request && strands(op, other, true)) return true;
  }
  return false;
}

}  // namespace prop
