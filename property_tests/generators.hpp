// RapidCheck generators for lifecycle cases: the VCL template, the rc::state command
// sequence over the Model (each command one Op; its precondition is Model::valid), the
// sim seed and the strategy. Shrinking removes commands, moves ops to fewer actors and
// smaller ids, drops template directors, lowers the seed and the PCT depth.
#pragma once
#include <rapidcheck.h>
#include <rapidcheck/state.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "property_tests/case.hpp"
#include "property_tests/model.hpp"

namespace prop {

struct NoSut {};  // the case runs as a whole in one Sim, not command by command

using CmdBase = rc::state::Command<Model, NoSut>;

struct Cmd : CmdBase {
  Op op;
  explicit Cmd(Op o) : op(std::move(o)) {}
  void checkPreconditions(const Model &m) const override;
  void apply(Model &m) const override { m.apply(op); }
  void show(std::ostream &os) const override { prop::show(op, os); }
};
using Cmds = rc::state::Commands<CmdBase>;

struct GenConfig {
  std::vector<std::string> types;  // director types for the template and director.new
  int max_template_dirs = 3;
  int max_phase_ops = 6;
  int max_objects = 36;      // model ids
  int max_instances = 6;     // VCL loads per case
  bool vcl_ops = true;       // vcl.load/use/state/discard
  bool runtime_objects = true;  // director.new, VRT_new_backend
  bool probes = true;           // health probes on some backends (E1-E5)
  std::map<OpKind, int> weights;  // overrides of the default op weights (a profile)
};

rc::Gen<std::shared_ptr<const Template>> gen_template(const GenConfig &cfg);
rc::Gen<std::shared_ptr<const CmdBase>> gen_command(const Model &m, const GenConfig &cfg);
rc::Gen<StrategyChoice> gen_strategy(int max_depth = 3);
Case make_case(std::shared_ptr<const Template> tmpl, const Cmds &cmds, std::uint64_t seed, StrategyChoice s);

}  // namespace prop
