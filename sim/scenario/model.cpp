// Names of the scenario model's enums, exactly as they are spelled in scenario files.
#include "sim/scenario/model.hpp"

namespace vdisim::scenario {

const char* to_string(DirectorType t) {
  switch (t) {
    case DirectorType::round_robin: return "round_robin";
    case DirectorType::fallback: return "fallback";
    case DirectorType::random: return "random";
    case DirectorType::hash: return "hash";
    case DirectorType::shard: return "shard";
    case DirectorType::dynamic: return "dynamic";
    case DirectorType::mutant: return "mutant";
    case DirectorType::vmod: return "vmod";
  }
  return "?";
}

const char* to_string(ServerState s) {
  switch (s) {
    case ServerState::up: return "up";
    case ServerState::down: return "down";
    case ServerState::refuse: return "refuse";
    case ServerState::timeout: return "timeout";
  }
  return "?";
}

const char* to_string(BehaviorMode m) {
  switch (m) {
    case BehaviorMode::up: return "up";
    case BehaviorMode::down: return "down";
    case BehaviorMode::refuse: return "refuse";
    case BehaviorMode::slow: return "slow";
    case BehaviorMode::errors: return "errors";
    case BehaviorMode::timeout: return "timeout";
    case BehaviorMode::flap: return "flap";
    case BehaviorMode::script: return "script";
  }
  return "?";
}

const char* to_string(OpKind k) {
  switch (k) {
    case OpKind::vcl_load: return "vcl.load";
    case OpKind::vcl_use: return "vcl.use";
    case OpKind::vcl_state: return "vcl.state";
    case OpKind::vcl_discard: return "vcl.discard";
    case OpKind::vcl_label: return "vcl.label";
    case OpKind::backend_set_health: return "backend.set_health";
    case OpKind::backend_add: return "backend.add";
    case OpKind::backend_remove: return "backend.remove";
    case OpKind::resolver_answer: return "resolver.answer";
    case OpKind::vmod_call: return "call";
    case OpKind::backend_list: return "backend.list";
    case OpKind::vcl_list: return "vcl.list";
    case OpKind::vcl_show: return "vcl.show";
    case OpKind::object_new: return "new";
    case OpKind::object_fini: return "fini";
    case OpKind::backend_new: return "backend_new";
    case OpKind::backend_delete: return "backend_delete";
    case OpKind::request: return "request";
  }
  return "?";
}

const char* to_string(VclState s) {
  switch (s) {
    case VclState::cold: return "cold";
    case VclState::warm: return "warm";
    case VclState::auto_: return "auto";
  }
  return "?";
}

const char* to_string(AdminHealth h) {
  switch (h) {
    case AdminHealth::auto_: return "auto";
    case AdminHealth::sick: return "sick";
    case AdminHealth::healthy: return "healthy";
  }
  return "?";
}

const char* to_string(VclEvent e) {
  switch (e) {
    case VclEvent::load: return "load";
    case VclEvent::warm: return "warm";
    case VclEvent::cold: return "cold";
    case VclEvent::discard: return "discard";
  }
  return "?";
}

const char* to_string(Regression r) {
  switch (r) {
    case Regression::assign_deref_first: return "assign_deref_first";
    case Regression::delete_asserts_sole_ref: return "delete_asserts_sole_ref";
    case Regression::vmod_cold_before_directors: return "vmod_cold_before_directors";
    case Regression::add_director_blocks_when_cooling: return "add_director_blocks_when_cooling";
  }
  return "?";
}

const char* to_string(DnsAnswerKind k) {
  switch (k) {
    case DnsAnswerKind::addresses: return "addresses";
    case DnsAnswerKind::nxdomain: return "nxdomain";
    case DnsAnswerKind::servfail: return "servfail";
    case DnsAnswerKind::refused: return "refused";
    case DnsAnswerKind::timeout: return "timeout";
  }
  return "?";
}

}  // namespace vdisim::scenario
