// One C function of a vmod loaded from its .so, called through libffi with the C types
// its JSON prototype names (vmodtool's: VCL types, and `struct VARGS(...)` for optional
// arguments). Used by vmod_load.cpp to make a Module's thunks; knows nothing of scenarios.
#pragma once
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "sim/runner/vmod_registry.hpp"

namespace vdisim::runner::vmod {

// A vmod's own ENUM constant for a value ("HASH" -> its VENUM(HASH)), nullptr if none:
// vmods compare ENUM arguments by pointer.
using EnumOf = std::function<VCL_ENUM(const std::string &)>;

// The leading C arguments VCC passes before the .vcc's: a constructor gets (ctx, objp,
// vcl_name), a destructor (objp), a method (ctx, obj), a function (ctx).
enum class Lead { init, fini, method, function };

struct CProto {
  void *fn = nullptr;     // from the vmod's function table
  std::string ret;        // VCL return type ("VOID", "BACKEND", ...)
  std::vector<Param> params;
  bool argstruct = false;           // the .vcc arguments travel in one struct VARGS(...)
};

// A prepared call (ffi_cif and argument-struct layout made once); copies share it.
class CCall {
 public:
  CCall(Lead lead, CProto proto, EnumOf enums);
  // lead: the values of the leading arguments, in order (pointers); a may be null for
  // a destructor. Sets the member of ret that the return type uses (glue's convention).
  void operator()(const std::vector<const void *> &lead, Args *a, Value *ret) const;

 private:
  struct Prepared;
  std::shared_ptr<const Prepared> p_;
};

// The C type of a VCL type as vmodtool declares it: "INT" -> int64, "BOOL" -> unsigned,
// "REAL" -> double ...; every other type is a pointer. For tests: its size in bytes.
std::size_t c_size_of(const std::string &vcl_type);

}  // namespace vdisim::runner::vmod
