// libFuzzer targets for the scenario loader (scripts/fuzz; docs/limits.md). Built only with
// -DVDISIM_FUZZ=ON and clang. Every input must end in a Scenario or a LoadError at a
// position; anything else (another exception, a sanitizer report, a timeout, running out
// of memory) is a finding. VDISIM_FUZZ_VCL selects the VCL file reader as the entry point
// (what `vcls: [{file: X.vcl}]` runs on the file's text) instead of the YAML loader.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "sim/scenario/loader.hpp"
#include "sim/scenario/loader_internal.hpp"

namespace vs = vdisim::scenario;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char *>(data), size);
  try {
#ifdef VDISIM_FUZZ_VCL
    vs::Vcl v;
    vs::detail::parse_vcl_text(vs::detail::Ctx{"fuzz.vcl"}, text, v);
#else
    (void)vs::load_string(text, "fuzz.yaml");
#endif
  } catch (const vs::LoadError &e) {
    // A string has no file-level errors: every error names a position.
    if (e.line <= 0 || e.col <= 0) {
      std::fprintf(stderr, "error without a position: %s\n", e.what());
      std::abort();
    }
  }
  // Any other exception escapes and libFuzzer reports it as a crash.
  return 0;
}
