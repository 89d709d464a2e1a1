// $Restrict of a vmod's .vcc as VCC applies it: the scope words vmodtool writes into the
// JSON ($RESTRICT) mapped onto VCL_MET_* bits, so that a scenario or a generated case
// calls a method or function only in a subroutine VCC would let it be called in.
#include <fmt/format.h>

#include <stdexcept>
#include <string_view>

#include "sim/runner/vmod_registry.hpp"

namespace vdisim::runner::vmod {

namespace {

struct ScopeWord {
  std::string_view word;
  unsigned bits;
};

// The subroutines first (subroutine_names() lists them), then the task groups.
constexpr ScopeWord kScopes[] = {
    {"vcl_recv", VCL_MET_RECV},
    {"vcl_pipe", VCL_MET_PIPE},
    {"vcl_pass", VCL_MET_PASS},
    {"vcl_hash", VCL_MET_HASH},
    {"vcl_purge", VCL_MET_PURGE},
    {"vcl_miss", VCL_MET_MISS},
    {"vcl_hit", VCL_MET_HIT},
    {"vcl_deliver", VCL_MET_DELIVER},
    {"vcl_synth", VCL_MET_SYNTH},
    {"vcl_backend_fetch", VCL_MET_BACKEND_FETCH},
    {"vcl_backend_refresh", VCL_MET_BACKEND_REFRESH},
    {"vcl_backend_response", VCL_MET_BACKEND_RESPONSE},
    {"vcl_backend_error", VCL_MET_BACKEND_ERROR},
    {"vcl_init", VCL_MET_INIT},
    {"vcl_fini", VCL_MET_FINI},
    {"client", VCL_MET_TASK_C},
    {"backend", VCL_MET_TASK_B},
    {"housekeeping", VCL_MET_TASK_H},
};
constexpr std::size_t kSubroutines = 15;

}  // namespace

unsigned restrict_mask(const std::vector<std::string> &scopes) {
  unsigned mask = 0;
  for (const auto &w : scopes) {
    unsigned bits = 0;
    for (const auto &s : kScopes)
      if (s.word == w) bits = s.bits;
    if (bits == 0) throw std::invalid_argument(fmt::format("unknown $Restrict scope '{}'", w));
    mask |= bits;
  }
  return scopes.empty() ? VCL_MET_TASK_ALL : mask;
}

std::string subroutine_names(unsigned mask) {
  std::string out;
  for (std::size_t i = 0; i < kSubroutines; i++)
    if (mask & kScopes[i].bits) out += (out.empty() ? "" : ", ") + std::string(kScopes[i].word);
  return out.empty() ? "no subroutine" : out;
}

}  // namespace vdisim::runner::vmod
