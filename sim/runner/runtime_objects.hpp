// The objects of the VCLs a scenario run loaded, made in vcl_init or at run time (timeline
// new:, backend_new:) and ended by the VCL's discard or at run time (fini:,
// backend_delete:): each director's __fini runs once, and no request is inside an object
// while its __fini runs (docs/scenario-format.md).
#pragma once
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "sim/fake_vrt/runtime.hpp"
#include "sim/runner/loaded_vcl.hpp"
#include "sim/runner/resolvers.hpp"
#include "sim/scenario/model.hpp"
#include "sim/sync.hpp"

namespace vdisim::runner {

// A reference a task holds on a backend until the task ends (a priv_task), as a vmod that
// hands out its own backends keeps one while VCL uses them.
struct TaskHold {
  VCL_BACKEND be = nullptr;
};
TaskHold *hold_in_task(VRT_CTX, VCL_BACKEND d);
TaskHold *held_in_task(VRT_CTX);  // the task's hold, if hold_in_task() made one

class VclObjects {
 public:
  // counts: the run's request counts, where skipped ops are counted.
  VclObjects(vrt::Runtime &rt, DynamicResolvers &resolvers, const scenario::Scenario &sc,
             std::map<std::string, std::uint64_t> &counts);
  // Director i of lv's VCL, by its constructor in ctx's task; its __fini goes on the VCL's
  // fini list (fini() below, which a timeline fini: may run first).
  std::shared_ptr<DirectorObject> make(VRT_CTX, LoadedVcl &lv, std::size_t i);
  void fini(LoadedVcl &lv, std::size_t i);
  // What a request resolves through (lv.target), unless that object's __fini ran. With a
  // timeline fini: or backend_delete:, the pick holds the lock and the task a reference on
  // what it got (hold_in_task), as a vmod that deletes its own backends hands them out:
  // else a fini: or backend_delete: between the pick and VCL's assignment of it would
  // leave the request reviving a director retired meanwhile (A5).
  VCL_BACKEND target(VRT_CTX, LoadedVcl &lv, scenario::TargetKind kind, std::size_t index, const ClientRequest &req);
  // A timeline new:, fini:, backend_new: or backend_delete: on lv (null: its VCL is gone).
  void apply(LoadedVcl *lv, const scenario::TimelineOp &op);
  static bool is_object_op(scenario::OpKind k);

 private:
  template <typename F>
  bool in_task(LoadedVcl &lv, bool enter, F &&f);
  void make_backend(VRT_CTX, LoadedVcl &lv, std::size_t i);
  std::unique_lock<sim::Mutex> turn() const;  // mtx_ held, or nothing without one

  vrt::Runtime &rt_;
  DynamicResolvers &resolvers_;
  std::map<std::string, std::uint64_t> &counts_;
  std::unique_ptr<sim::Mutex> mtx_;  // only with a timeline fini: or backend_delete: (see fini())
};

}  // namespace vdisim::runner
