// The reference model of the lifecycle property: what VRT_SPEC says the runtime's
// counts must be after a sequence of operations (refcounts A5/A6/B1/B2, destroy at 0 A8,
// reaping at discard C5, temperatures C2/C3, admin health D5, VRT_Healthy D3/F2) and
// which operations are valid next. It is the rc::state model; ops on different actors in
// one phase must commute in it, which valid() enforces through footprints.
#pragma once
#include <algorithm>
#include <array>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "property_tests/case.hpp"

namespace prop {

enum class ObjKind { Static, Native, Vmod };

struct MObj {
  int id = 0;
  int inst = 0;
  ObjKind kind = ObjKind::Static;
  std::string type;  // Vmod: director type
  std::string name;  // within the VCL: s0, t1, o7, n9
  int host = -1;     // Static/Native
  bool probe = false;
  bool owned = true;      // the owner's reference (VCL object, VRT_new_backend) is held
  bool released = false;  // Vmod: __fini ran (release dropped every member)
  bool deleted = false;   // Native: VRT_delete_backend ran (admin sick, B3)
  bool destroyed = false;
  int admin = -1;         // -1 auto, 0 sick, 1 healthy
  std::vector<int> members;  // Vmod: ids in order (set for set_members types)
  unsigned hosts = 0;        // dynamic: hosts that have a backend now
  unsigned answer = 0;       // dynamic: its resolver's latest answer (reaches it while warm)
  bool uncertain = false;    // dynamic: a resolver update raced a temperature change
};

enum class VclState { Warm, Cold, Gone };

struct MVcl {
  int inst = 0;
  int name = 0;
  VclState state = VclState::Warm;
  int first_id = 0;
  int discarded_phase = -1;
};

class Model {
 public:
  explicit Model(std::shared_ptr<const Template> t);

  // Valid next op (preconditions and no conflict with other actors in this phase).
  bool valid(const Op &op, std::string *why = nullptr) const;
  void apply(const Op &op);

  // ---- predictions at a quiescent point ----
  int refcnt(int id) const;  // what vcldir.refcnt must be (static backends: 1)
  int linked(int inst) const;  // directors on the VCL's list
  int live_total() const;      // directors added and not yet destroyed
  bool any_uncertain() const;
  bool uncertain_vcl(int inst) const;
  // VRT_Healthy of a live object in a warm VCL; nullopt when the model cannot know.
  // `without_callback(id)`: the object's director has no healthy callback, so (admin health
  // auto) VRT_Healthy says true whatever its members (Varnish 8.0.0's hash): what the
  // object does, told by run_case; the model cannot know it from the .vcc.
  std::optional<bool> healthy(int id, const std::function<bool(int)> &without_callback = {}) const;

  // ---- what the generator looks at ----
  const std::shared_ptr<const Template> &tmpl() const { return tmpl_; }
  const std::vector<MVcl> &vcls() const { return vcls_; }
  const std::map<int, MObj> &objs() const { return objs_; }
  const MVcl *current(int name) const;  // the loaded, not gone instance of a name
  const MVcl &vcl(int inst) const { return vcls_.at(static_cast<std::size_t>(inst)); }
  int active() const { return active_; }  // the active VCL's instance (an active label's VCL)
  int label(int l) const { return labels_.at(static_cast<std::size_t>(l)); }  // its instance, -1: none
  int active_label() const { return active_label_; }
  bool labelled(int inst) const { return std::count(labels_.begin(), labels_.end(), inst) > 0; }
  int next_id() const { return next_id_; }
  int next_inst() const { return static_cast<int>(vcls_.size()); }
  int phase() const { return phase_; }
  int phase_ops() const { return phase_ops_; }
  int total_ops() const { return total_ops_; }
  bool host_up(int h) const { return (hosts_up_ >> h) & 1u; }
  bool contains(int root, int id) const;  // id is in root's subtree (cycle check)
  bool cyclic(int root) const;            // root's subtree has a loop of directors (#3899)
  // Actors that may run op (op.actor ignored) without conflicting in this phase.
  std::vector<int> free_actors(const Op &op) const;
  // An object op of this phase (of actor, when >= 0) names id as its target or member:
  // ops on it from other actors may race.
  bool in_phase(int id, int actor = -1) const;

 private:
  struct Key {
    std::string name;
    bool excl;
  };
  std::vector<Key> keys(const Op &op) const;
  bool conflict(const std::vector<Key> &ks, int actor) const;
  // A request resolves through its target's members without holding them (D1, Varnish's
  // open race #3949): an op on another actor of the phase must not drop the last reference
  // of one (a __fini, VRT_delete_backend or remove_backend of an object no VCL owns),
  // which only the harness, not a VCL, could do (__fini runs at discard).
  bool strands_a_resolve(const Op &op, int actor) const;
  std::set<int> members_in_phase(int id) const;  // now, or at any time in this phase
  std::set<int> reach(int root) const;            // what a request on root resolves through
  std::set<int> drops(const Op &op) const;        // the objects op drops a reference of
  int holders(int id, const Op *op) const;        // member slots holding id (after op, if given)
  void touch(const std::vector<Key> &ks, int actor);
  bool check(const Op &op, std::string *why) const;
  // check() of the VCL, label and CLI ops, and of the ops on objects (false: why says).
  bool check_vcl_op(const Op &op, std::string *why) const;
  bool check_object_op(const Op &op, std::string *why) const;
  void apply_vcl_op(const Op &op);
  void answers_reach(int inst);
  void apply_object_op(const Op &op, MObj &o);
  void load(const Op &op);
  void discard(MVcl &v);
  void settle();
  void racy_resolvers(const Op &op);
  MObj &add_obj(int id, int inst, ObjKind k, std::string name);

  std::shared_ptr<const Template> tmpl_;
  std::vector<MVcl> vcls_;
  std::map<int, MObj> objs_;
  int next_id_ = 0;
  int active_ = 0;
  std::array<int, kLabels> labels_ = make_labels();
  int active_label_ = -1;
  static std::array<int, kLabels> make_labels() {
    std::array<int, kLabels> a;
    a.fill(-1);
    return a;
  }
  unsigned hosts_up_ = (1u << kHosts) - 1;
  int phase_ = 0;
  int phase_ops_ = 0;
  int total_ops_ = 0;
  std::map<std::string, std::vector<std::pair<int, bool>>> touched_;  // key -> (actor, excl)
  std::vector<Op> this_phase_;
  std::map<int, std::set<int>> phase_members_;  // members taken out of a list in this phase
};

}  // namespace prop
