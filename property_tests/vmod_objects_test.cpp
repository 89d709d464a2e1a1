// How the registry makes a vmod object and how the model reads it from its .vcc
// (sim/runner/vmod_registry.cpp, property_tests/types.cpp). Each case is one that a real
// 8.0.0 vmod (vmod_directors' shard) ran into: the test stands for that vmod here.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "property_tests/types.hpp"
#include "sim/fake_vrt/testing/harness.hpp"
#include "sim/runner/director_object.hpp"
#include "sim/runner/vmod_registry.hpp"

namespace vm = vdisim::runner::vmod;
using vdisim::vrt::harness::World;

namespace {

// A constructor that keeps the name it was given, as 8.0.0's sharddir_new() does.
const char *g_kept_name = nullptr;
int g_keeper;
void keeper_init(VRT_CTX, void **objp, const char *vcl_name, vm::Args &) {
  (void)ctx;
  g_kept_name = vcl_name;
  *objp = &g_keeper;
}
void keeper_fini(void **objp) { *objp = nullptr; }

vm::Param param(const std::string &name, const std::string &type, bool optional = false) {
  vm::Param p;
  p.name = name;
  p.type = type;
  p.optional = optional;
  return p;
}

vm::ObjectType members_object(std::vector<vm::Param> add, std::vector<vm::Param> remove) {
  vm::ObjectType t;
  t.object = "pool";
  t.methods.push_back(vm::Method{"add_backend", "VOID", std::move(add), nullptr});
  t.methods.push_back(vm::Method{"remove_backend", "VOID", std::move(remove), nullptr});
  return t;
}

}  // namespace

// VCC passes `new o = m.obj()`'s name as a string constant of the compiled VCL; a vmod may
// keep the pointer for the VCL's life. The property suite named objects with temporaries,
// so 8.0.0's shard logged "shard 0\xef\xbf\xbd..." from freed memory.
TEST(VmodObjects, object_name_given_to_the_constructor_lives_as_long_as_its_vcl) {
  vm::Module m;
  m.name = "vnamekeep";
  vm::ObjectType t;
  t.object = "keeper";
  t.init = keeper_init;
  t.fini = keeper_fini;
  m.objects.push_back(t);
  vm::register_module(m);
  World w;
  w.sim.spawn("cli", [&] {
    w.rt.vcl_load("boot", {}, [&](VRT_CTX) {
      auto name = std::make_unique<std::string>("k0_a_name_longer_than_any_short_string_buffer");
      std::shared_ptr<vdisim::runner::DirectorObject> obj =
          vdisim::runner::director_types().at("vnamekeep.keeper")(ctx, *name, vdisim::scenario::Director{});
      name->assign(name->size(), 'x');  // the caller's string changes, then goes
      name.reset();
      ASSERT_NE(g_kept_name, nullptr);
      EXPECT_STREQ(g_kept_name, "k0_a_name_longer_than_any_short_string_buffer");
      ctx->vcl->fini.push_back([obj](VRT_CTX) {
        (void)ctx;
        obj->fini();
      });
    });
  });
  ASSERT_TRUE(w.run().ok());
}

// F8: 8.0.0's shard keys members by identity (`ident`, else the backend's name): a second
// add of a present backend is skipped, remove_backend(b) drops every instance. Its .vcc
// says so by a STRING beside the BACKEND; round_robin's (F1, a multiset) has none.
TEST(VmodObjects, F8_members_keyed_by_a_string_identity_are_a_set) {
  vm::ObjectType shard = members_object(
      {param("backend", "BACKEND"), param("ident", "STRING", true), param("rampup", "DURATION", true),
       param("weight", "REAL", true)},
      {param("backend", "BACKEND", true), param("ident", "STRING", true)});
  vm::ObjectType rr = members_object({param("", "BACKEND")}, {param("", "BACKEND")});
  vm::ObjectType hash = members_object({param("", "BACKEND"), param("weight", "REAL")}, {param("", "BACKEND")});
  EXPECT_TRUE(prop::identity_members(shard));
  EXPECT_FALSE(prop::identity_members(rr));
  EXPECT_FALSE(prop::identity_members(hash));

  EXPECT_TRUE(prop::traits_of("vsettest.shard", "", shard).set_members);
  EXPECT_FALSE(prop::traits_of("vsettest.hash", "", hash).set_members);
}

// The model's traits of vmod_directors' objects come from their .vcc as registered, not
// from a table by name: members (F1), weights, set membership (F8), nesting, resolvers.
TEST(VmodObjects, F1_F8_traits_of_the_directors_are_read_from_their_vcc) {
  struct Want {
    const char *type;
    bool members, nestable, set_members, dynamic, weighted;
  };
  const Want want[] = {
      {"round_robin", true, true, false, false, false}, {"fallback", true, true, false, false, false},
      {"random", true, true, false, false, true},       {"hash", true, false, false, false, true},
      {"shard", true, true, true, false, true},         {"dynamic", false, true, false, true, false},
  };
  for (const Want &w : want) {
    const prop::TypeTraits &t = prop::traits(w.type);
    EXPECT_EQ(t.base, w.type);
    EXPECT_EQ(t.members, w.members) << w.type;
    EXPECT_EQ(t.nestable, w.nestable) << w.type;
    EXPECT_EQ(t.set_members, w.set_members) << w.type;
    EXPECT_EQ(t.dynamic, w.dynamic) << w.type;
    EXPECT_EQ(t.weighted, w.weighted) << w.type;
  }
  EXPECT_FALSE(prop::known_type("no_such_director"));
  EXPECT_EQ(prop::traits("mutant:rr_release_frees").base, "round_robin");
}
