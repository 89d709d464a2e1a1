// Loading vmods from their .so (vmod_load.hpp) and calling C through libffi (vmod_ffi.hpp):
// the argument struct's layout is the C compiler's, exceptions from C (VAS_Fail) unwind
// through libffi, and a vmod varnishd would refuse is refused with the file named.
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "sim/runner/vmod_ffi.hpp"
#include "sim/runner/vmod_load.hpp"

#include "sim/runner/tests/ffi_target.h"

extern "C" void ffi_test_throw(void) { throw std::runtime_error("from C"); }

namespace vm = vdisim::runner::vmod;

namespace {

vm::Param param(const char *name, const char *type, bool optional = false) {
  vm::Param p;
  p.name = name;
  p.type = type;
  p.optional = optional;
  return p;
}

const char kHash[] = "HASH";

TEST(VmodFfi, PlainArgumentsReachCWithTheirCTypes) {
  vm::CProto p;
  p.fn = reinterpret_cast<void *>(&ffi_plain);
  p.ret = "INT";
  p.params = {param("i", "INT"), param("b", "BOOL"), param("r", "REAL"), param("s", "STRING"), param("e", "ENUM")};
  vm::CCall call(vm::Lead::method, p, [](const std::string &v) -> VCL_ENUM { return v == "HASH" ? kHash : nullptr; });
  vm::Args a(5);
  a.slot(0).given = true;
  a.slot(0).i = 21;
  a.slot(1).given = true;
  a.slot(1).i = 1;
  a.slot(2).given = true;
  a.slot(2).real = 2.5;
  a.slot(3).given = true;
  a.slot(3).text = "text";
  a.slot(4).given = true;
  a.slot(4).text = "HASH";
  vm::Value v;
  int obj = 0;
  call({nullptr, &obj}, &a, &v);
  EXPECT_EQ(ffi_seen.obj, &obj);
  EXPECT_EQ(ffi_seen.i, 21);
  EXPECT_EQ(ffi_seen.b, 1U);
  EXPECT_EQ(ffi_seen.r, 2.5);
  EXPECT_STREQ(ffi_seen.s, "text");
  EXPECT_EQ(ffi_seen.e, kHash) << "an ENUM is the vmod's own constant (compared by pointer)";
  EXPECT_EQ(v.integer, 42);
}

TEST(VmodFfi, OptionalArgumentsTravelInTheArgStructWithValidFlags) {
  vm::CProto p;
  p.fn = reinterpret_cast<void *>(&ffi_opt);
  p.ret = "BOOL";
  p.argstruct = true;
  p.params = {param("i", "INT", true), param("b", "BOOL"), param("s", "STRING", true), param("r", "REAL")};
  vm::CCall call(vm::Lead::method, p, nullptr);
  vm::Args a(4);
  a.slot(0).given = true;
  a.slot(0).i = -5;
  a.slot(1).given = true;
  a.slot(1).i = 1;
  a.slot(3).given = true;
  a.slot(3).real = 0.25;
  vm::Value v;
  call({nullptr, nullptr}, &a, &v);
  EXPECT_EQ(ffi_seen.valid_i, 1);
  EXPECT_EQ(ffi_seen.valid_s, 0) << "an optional argument not given is not valid";
  EXPECT_EQ(ffi_seen.i, -5);
  EXPECT_EQ(ffi_seen.b, 1U);
  EXPECT_EQ(ffi_seen.s, nullptr);
  EXPECT_EQ(ffi_seen.r, 0.25);
  EXPECT_EQ(v.integer, 7);
}

TEST(VmodFfi, DurationResultComesBackAsReal) {
  vm::CProto p;
  p.fn = reinterpret_cast<void *>(&ffi_half);
  p.ret = "REAL";
  p.params = {param("d", "DURATION")};
  vm::CCall call(vm::Lead::method, p, nullptr);
  vm::Args a(1);
  a.slot(0).given = true;
  a.slot(0).real = 3.0;
  vm::Value v;
  call({nullptr, nullptr}, &a, &v);
  EXPECT_EQ(v.real, 1.5);
}

TEST(VmodFfi, ExceptionFromCUnwindsThroughLibffi) {
  vm::CProto p;
  p.fn = reinterpret_cast<void *>(&ffi_init_throws);
  p.ret = "VOID";
  vm::CCall call(vm::Lead::init, p, nullptr);
  void *obj = nullptr;
  vm::Args a(0);
  EXPECT_THROW(call({nullptr, &obj, "x"}, &a, nullptr), std::runtime_error)
      << "VAS_Fail and fiber cancellation throw through a vmod's C frames";
  EXPECT_EQ(obj, &ffi_seen);
}

std::string load_error(const std::string &path) {
  try {
    vm::read_vmod(path);
  } catch (const vm::VmodLoadError &e) {
    return e.what();
  }
  return "(loaded)";
}

std::string fixture(const char *name) { return std::string(VDISIM_TEST_VMOD_DIR) + "/" + name; }

TEST(VmodLoad, NameComesFromTheFileName) {
  EXPECT_EQ(vm::vmod_name_of("/x/libvmod_dynamic.so"), "dynamic");
  EXPECT_EQ(vm::vmod_name_of("libvmod_a_b2.so"), "a_b2");
  EXPECT_EQ(vm::vmod_name_of("/x/vmod_dynamic.so"), "");
  EXPECT_EQ(vm::vmod_name_of("/x/libvmod_.so"), "");
}

TEST(VmodLoad, FileNotNamedLikeAVmodIsRefused) {
  EXPECT_EQ(load_error("/nonexistent/foo.so"), "/nonexistent/foo.so: not a vmod file name (expected libvmod_NAME.so)");
}

TEST(VmodLoad, DlopenFailureSaysWhy) {
  std::string e = load_error("/nonexistent/libvmod_gone.so");
  EXPECT_NE(e.find("/nonexistent/libvmod_gone.so: dlopen() failed: "), std::string::npos) << e;
}

TEST(VmodLoad, MissingDescriptorNamesTheFileAndSymbol) {
  std::string path = fixture("libvmod_nodesc.so");
  std::string e = load_error(path);
  EXPECT_EQ(e.rfind(path + ": no Vmod_nodesc_Data in it", 0), 0U) << e;
}

TEST(VmodLoad, NewerVrtMinorIsRefusedAsVarnishdDoes) {
  std::string path = fixture("libvmod_newminor.so");
  EXPECT_EQ(load_error(path), "Incompatible VMOD newminor\n\tFile name: " + path +
                                  "\n\tVMOD wants ABI version 22.1\n\tvdisim provides ABI version 22.0");
}

TEST(VmodLoad, OtherVrtMajorIsRefused) {
  std::string path = fixture("libvmod_oldmajor.so");
  std::string e = load_error(path);
  EXPECT_NE(e.find("VMOD wants ABI version 21.0"), std::string::npos) << e;
}

TEST(VmodLoad, StrictAbiOfAnotherVarnishBuildIsRefused) {
  std::string path = fixture("libvmod_otherabi.so");
  EXPECT_EQ(load_error(path), "Incompatible VMOD otherabi\n\tFile name: " + path +
                                  "\n\tABI mismatch, expected <Varnish 8.0.0 vdisim>, got <Varnish 8.0.0 0123abcd>");
}

TEST(VmodLoad, DescriptorOfAnotherNameIsMangled) {
  std::string path = fixture("libvmod_misnamed.so");
  std::string e = load_error(path);
  EXPECT_EQ(e, path + ": VMOD data is mangled (Vmod_misnamed_Data)");
}

}  // namespace
