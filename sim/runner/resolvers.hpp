// The resolvers of a scenario's dynamic directors (the real one and its mutants: whatever
// names a resolver): each follows its resolver's answers, or re-resolves every `ttl`, and
// pushes the current hosts into the director's update() as a vmod's resolver thread would.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "sim/fake_vrt/runtime.hpp"
#include "sim/runner/loaded_vcl.hpp"
#include "sim/scenario/model.hpp"
#include "sim/sim.hpp"

namespace vdisim::runner {

class DynamicResolvers {
 public:
  DynamicResolvers(sim::Sim &sim, vrt::Runtime &rt, const scenario::Scenario &sc) : sim_(sim), rt_(rt), sc_(sc) {}
  // Whether a director follows a resolver: the dynamic one, its mutants, any that names one.
  static bool follows(const scenario::Director &d) {
    return d.type == scenario::DirectorType::dynamic || !d.options.resolver.empty();
  }
  // Director `index` of lv, just made (vcl_init, a timeline new:): if it follows a
  // resolver, its update() gets the resolver's latest answer due by then, as a constructor
  // given its backends (a ttl director resolves at load instead, on its own actor).
  void made(VRT_CTX, LoadedVcl &lv, std::size_t index) const;
  // Director `index` of a VCL, just made: starts its resolver actor (if it names one),
  // which follows the answers due after those made() gave.
  void start(LoadedVcl &lv, std::size_t index);
  // A timeline `resolver.answer`: every director following that resolver gets it.
  void answer(const std::string &resolver, const std::vector<std::string> &hosts);
  // A timeline backend.add / backend.remove on a dynamic director: its hosts change now.
  void change(const scenario::TimelineOp &op);
  // After a CLI command: a director whose answer could not reach it while its VCL was
  // cold gets it now if the VCL is warm again (a vmod's resolver starts over at WARM).
  void rewarm();

 private:
  // A dynamic director's current answer (hosts), changed by timeline ops or its
  // resolver. With `ttl` the director polls: resolver answers wait in `dns` until its
  // next re-resolve, which applies them whether they changed or not.
  struct State {
    LoadedVcl *lv;
    std::size_t index;
    std::vector<std::string> hosts;
    std::vector<std::string> dns;
    bool polls = false;
    std::int64_t dns_at = -1;  // when a timeline op last set dns
    bool stale = false;        // `hosts` changed while the VCL was not warm
  };
  void resolved(State &d, const std::vector<std::string> &answer);
  void push(State &d);

  sim::Sim &sim_;
  vrt::Runtime &rt_;
  const scenario::Scenario &sc_;
  std::vector<std::unique_ptr<State>> states_;
};

}  // namespace vdisim::runner
