// One generated property-test case: a VCL template (backends + director tree made in
// vcl_init), a sequence of lifecycle operations cut into phases by barriers (each op runs
// on one of kActors concurrent actors), the sim seed and the scheduling strategy.
// Plain data: the model (model.hpp) validates it, run_case (executor.hpp) runs it.
#pragma once
#include <cstdint>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

namespace prop {

inline constexpr int kActors = 3;   // concurrent actors per phase (plus the coordinator)
inline constexpr int kHosts = 4;    // endpoints h0..h3 ("hN:80")
inline constexpr int kStatic = 3;   // static VCL backends s0..s2 -> h0..h2
inline constexpr int kVclNames = 3; // VCL names v0..v2 (v0 is loaded and active at start)
inline constexpr int kLabels = 2;   // label names l0..l1 (vcl.label, docs/cli-rules.md)
inline constexpr std::int64_t kPhaseNs = 1'000'000'000;  // a phase starts every second
inline constexpr std::int64_t kSettleNs = 900'000'000;   // quiescent check in the phase

std::string host_name(int h);  // "h2:80"
std::string vcl_name(int n);   // "v1"
std::string label_name(int l); // "l0"

enum class OpKind : std::uint8_t {
  Barrier,     // end of phase: join actors, VCL_Poll, compare the model (quiescent point)
  Endpoint,    // arg=host, flag=up: the endpoint script flips at the phase start
  VclLoad,     // vcl=name, inst=new instance, id=first object id, arg: 0 auto 1 cold 2 warm
  VclUse,      // vcl=name (id=label >= 0: vcl.use of the label, vcl/inst = its VCL)
  VclCold,     // vcl=name
  VclWarm,     // vcl=name
  VclDiscard,  // vcl=name; id2 >= 0: a second name in the same command (`vcl.discard vA vB`), arg its instance
  SetHealth,   // id=object (-1: every static backend of inst, "vN.s*"), arg: 0 sick 1 healthy -1 auto
  DirNew,      // id=new object, inst, type, flag=sticky/probe
  DirFini,     // id (the object's __fini: VRT_DelDirector)
  AddBackend,  // id=parent, id2=member, arg=weight
  RemoveBackend,  // id=parent, id2=member
  BeNew,       // id=new native backend, inst, arg=host, flag=probe (VRT_new_backend)
  BeDelete,    // id (VRT_delete_backend)
  Request,     // id=target, arg=key, flag=re-assign the held director to itself mid-task
  Resolver,    // id=dynamic director, arg=answer (bitmask of hosts); id2 > 1: id2 updates in a row, see flaps()
  VclLabel,    // id=label, vcl=name, inst: vcl.label lN vM (creates or repoints)
  LabelDiscard,  // id=label, vcl/inst = the VCL it points at: vcl.discard lN
  BackendList,   // arg: 0 active VCL, 1 "*.*", 2 "vM.*" (vcl, inst); flag -p, id2=1 -j
  VclList,       // arg: 0 vcl.list, 1 vcl.list -j, 2 vcl.show vM (vcl, inst), 3 vcl.show lN (id, inst); flag -v
};
const char *to_string(OpKind k);

struct Op {
  OpKind kind = OpKind::Barrier;
  int actor = 0;
  int vcl = 0;    // VCL name index
  int inst = 0;   // VCL instance (load order; 0 = the boot VCL)
  int id = -1;
  int id2 = -1;
  int arg = 0;
  bool flag = false;
  std::string type;  // DirNew: director type name as in the runner's table
  bool is_cli() const {
    return kind == OpKind::VclLoad || kind == OpKind::VclUse || kind == OpKind::VclCold ||
           kind == OpKind::VclWarm || kind == OpKind::VclDiscard || kind == OpKind::SetHealth ||
           kind == OpKind::VclLabel || kind == OpKind::LabelDiscard || kind == OpKind::BackendList ||
           kind == OpKind::VclList;
  }
};
void show(const Op &op, std::ostream &os);
// BackendList: the pattern ("" = the active VCL) and the whole varnishadm command line.
std::string backend_list_pattern(const Op &op);
std::string backend_list_command(const Op &op);
std::string vcl_list_command(const Op &op);  // VclList: "vcl.list -j", "vcl.show -v l0", ...
const char *load_state(const Op &op);  // VclLoad: "auto", "cold" or "warm"
// Resolver: the answers the update plays, in order. The answer flaps: id2 updates
// alternate between arg and its complement and end on arg (one update when id2 <= 1).
std::vector<int> flaps(const Op &op);
std::string to_string(const Op &op);

// What every VCL's vcl_init makes: static backends s0..s2, then directors t0..tn.
struct TemplateDir {
  std::string type;
  std::vector<int> members;  // < kStatic: static backend s<m>; else template director t<m-kStatic>
  std::vector<int> weights;  // per member (1..3), used by weighted types
  bool flag = false;         // fallback: sticky; dynamic: probe
  int answer = 0;            // dynamic: initial resolver answer (host bitmask)
};
struct Template {
  bool probe[kStatic] = {false, false, false};
  std::vector<TemplateDir> dirs;
  int objects() const { return kStatic + static_cast<int>(dirs.size()); }
};
void show(const Template &t, std::ostream &os);

struct StrategyChoice {
  int depth = 0;  // 0: random; > 0: pct:depth; -1: pos
  std::string text() const {
    return depth == 0 ? "random" : depth < 0 ? "pos" : "pct:" + std::to_string(depth);
  }
};

// A whole case as run_case needs it (the rc::state commands flattened to ops).
struct Case {
  std::shared_ptr<const Template> tmpl;
  std::vector<Op> ops;
  std::uint64_t seed = 0;
  StrategyChoice strategy;
  int phases() const;
};
void show(const Case &c, std::ostream &os);

}  // namespace prop
