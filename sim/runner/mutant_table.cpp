// Mutant director types ("mutant:<name>"): copies of real directors with one lifecycle
// bug each, from directors/mutants (see docs/mutants.md). Each is registered exactly like
// the real type it copies (same options, members and calls), so a scenario can swap
// `type: round_robin` for `type: "mutant:rr_release_frees"` and nothing else changes.
// Registered only when the vdisim_mutants library is built in.
#include "sim/runner/director_table.hpp"

#ifdef VDISIM_HAVE_MUTANTS

#include "cache/cache.h"

// Every mutant's vcc2if header defines VPFX/VARGS/VENUM for its own $Prefix.
extern "C" {
#include "rr_release_frees/vcc_directors_if.h"
#undef VPFX
#undef VARGS
#undef VENUM
#include "rr_del_members/vcc_directors_if.h"
#undef VPFX
#undef VARGS
#undef VENUM
#include "rr_cursor_race/vcc_directors_if.h"
#undef VPFX
#undef VARGS
#undef VENUM
#include "rr_no_release/vcc_directors_if.h"
#undef VPFX
#undef VARGS
#undef VENUM
#include "fb_raw_store/vcc_directors_if.h"
#undef VPFX
#undef VARGS
#undef VENUM
#include "fb_healthy_under_lock/vcc_directors_if.h"
#undef VPFX
#undef VARGS
#undef VENUM
#include "fb_fini_frees/vcc_directors_if.h"
#undef VPFX
#undef VARGS
#undef VENUM
#include "rnd_fini_assign_null/vcc_directors_if.h"
#undef VPFX
#undef VARGS
#undef VENUM
#include "rnd_rdlock_pick/vcc_directors_if.h"
#undef VPFX
#undef VARGS
#undef VENUM
#include "hash_self_assign/vcc_directors_if.h"
#undef VPFX
#undef VARGS
#undef VENUM
#include "shard_move_no_clear/vcc_directors_if.h"
#undef VPFX
#undef VARGS
#undef VENUM
#include "dyn_delete_before_swap/vcc_directors_if.h"
#undef VPFX
#undef VARGS
#undef VENUM
#include "dyn_no_task_ref/vcc_directors_if.h"
#undef VPFX
#undef VARGS
#undef VENUM
#include "dyn_hold_after_unlock/vcc_directors_if.h"
#undef VPFX
#undef VARGS
#undef VENUM
#include "dyn_task_ref_leak/vcc_directors_if.h"
#undef VPFX
#undef VARGS
#undef VENUM
#include "dyn_ignore_null/vcc_directors_if.h"
#undef VPFX
#undef VARGS
#undef VENUM
}

namespace vdisim::runner {

namespace {

// round_robin / fallback / random copies: the same calls as register_round_robin() etc.
// in director_table.cpp. W is `, w` for types whose add_backend takes a weight.
#define VDISIM_VDIR_MUTANT(NAME, OBJ, INIT_ARGS, W)                                                          \
  director_types()["mutant:" #NAME] = [](VRT_CTX, const std::string &name, const scenario::Director &spec) { \
    (void)spec;                                                                                              \
    auto d = std::make_unique<FnDirector>();                                                                 \
    auto obj = std::make_shared<struct mut_##NAME##_directors_##OBJ *>(nullptr);                             \
    mut_##NAME##_##OBJ##__init(ctx, obj.get(), name.c_str() INIT_ARGS);                                      \
    d->add = [obj](VRT_CTX, VCL_BACKEND be, double w) {                                                      \
      (void)w;                                                                                               \
      mut_##NAME##_##OBJ##_add_backend(ctx, *obj, be W);                                                     \
    };                                                                                                       \
    d->remove = [obj](VRT_CTX, VCL_BACKEND be) { mut_##NAME##_##OBJ##_remove_backend(ctx, *obj, be); };      \
    d->pick = [obj](VRT_CTX, std::uint64_t) { return mut_##NAME##_##OBJ##_backend(ctx, *obj); };             \
    d->fin = [obj] { mut_##NAME##_##OBJ##__fini(obj.get()); };                                               \
    return std::unique_ptr<DirectorObject>(std::move(d));                                                    \
  }

#define VDISIM_NOARGS
#define VDISIM_STICKY , spec.options.sticky
#define VDISIM_WEIGHT , w

// hash copies: register_hash() in director_table.cpp (.backend(STRANDS) picks a leaf).
#define VDISIM_HASH_MUTANT(NAME)                                                                            \
  director_types()["mutant:" #NAME] = [](VRT_CTX, const std::string &name, const scenario::Director &) {    \
    auto d = std::make_unique<FnDirector>();                                                                \
    auto obj = std::make_shared<struct mut_##NAME##_directors_hash *>(nullptr);                             \
    mut_##NAME##_hash__init(ctx, obj.get(), name.c_str());                                                  \
    d->add = [obj](VRT_CTX, VCL_BACKEND be, double w) { mut_##NAME##_hash_add_backend(ctx, *obj, be, w); }; \
    d->remove = [obj](VRT_CTX, VCL_BACKEND be) { mut_##NAME##_hash_remove_backend(ctx, *obj, be); };        \
    d->pick = [obj](VRT_CTX, std::uint64_t key) {                                                           \
      std::string url = request_url(key);                                                                   \
      const char *part[1] = {url.c_str()};                                                                  \
      struct strands st {STRANDS_MAGIC, 1, part};                                                           \
      return mut_##NAME##_hash_backend(ctx, *obj, &st);                                                     \
    };                                                                                                      \
    d->fin = [obj] { mut_##NAME##_hash__fini(obj.get()); };                                                 \
    return std::unique_ptr<DirectorObject>(std::move(d));                                                   \
  }

// shard copies: register_shard() in director_table.cpp.
#define VDISIM_SHARD_MUTANT(NAME)                                                                            \
  director_types()["mutant:" #NAME] = [](VRT_CTX, const std::string &name, const scenario::Director &spec) { \
    auto d = std::make_unique<FnDirector>();                                                                 \
    auto obj = std::make_shared<struct mut_##NAME##_directors_shard *>(nullptr);                             \
    mut_##NAME##_shard__init(ctx, obj.get(), name.c_str());                                                  \
    d->add = [obj](VRT_CTX, VCL_BACKEND be, double w) {                                                      \
      struct arg_mut_##NAME##_directors_shard_add_backend a {};                                              \
      a.backend = be;                                                                                        \
      a.valid_weight = 1;                                                                                    \
      a.weight = w;                                                                                          \
      mut_##NAME##_shard_add_backend(ctx, *obj, &a);                                                         \
    };                                                                                                       \
    d->remove = [obj](VRT_CTX, VCL_BACKEND be) {                                                             \
      struct arg_mut_##NAME##_directors_shard_remove_backend a {};                                           \
      a.valid_backend = 1;                                                                                   \
      a.backend = be;                                                                                        \
      mut_##NAME##_shard_remove_backend(ctx, *obj, &a);                                                      \
      mut_##NAME##_shard_reconfigure(ctx, *obj, 67);                                                         \
    };                                                                                                       \
    int replicas = spec.options.replicas;                                                                    \
    d->done = [obj, replicas](VRT_CTX) { mut_##NAME##_shard_reconfigure(ctx, *obj, replicas); };             \
    d->pick = [obj](VRT_CTX, std::uint64_t key) {                                                            \
      std::string url = request_url(key);                                                                    \
      struct arg_mut_##NAME##_directors_shard_backend a {};                                                  \
      a.valid_by = 1;                                                                                        \
      a.by = enum_mut_##NAME##_directors_KEY;                                                                \
      a.valid_key = 1;                                                                                       \
      const char *part[1] = {url.c_str()};                                                                   \
      struct strands st {STRANDS_MAGIC, 1, part};                                                            \
      a.key = mut_##NAME##_shard_key(ctx, *obj, &st);                                                        \
      return mut_##NAME##_shard_backend(ctx, *obj, &a);                                                      \
    };                                                                                                       \
    d->fin = [obj] { mut_##NAME##_shard__fini(obj.get()); };                                                 \
    return std::unique_ptr<DirectorObject>(std::move(d));                                                    \
  }

// dynamic copies: register_dynamic() in director_table.cpp (probe option, no members).
#define VDISIM_DYNAMIC_MUTANT(NAME)                                                                          \
  director_types()["mutant:" #NAME] = [](VRT_CTX, const std::string &name, const scenario::Director &spec) { \
    auto d = std::make_unique<FnDirector>();                                                                 \
    auto obj = std::make_shared<struct mut_##NAME##_directors_dynamic *>(nullptr);                           \
    mut_##NAME##_dynamic__init(ctx, obj.get(), name.c_str(), dynamic_probe(*d, spec));                       \
    d->add = [](VRT_CTX, VCL_BACKEND, double) { VRT_fail(ctx, "dynamic directors take no members"); };       \
    d->pick = [obj](VRT_CTX, std::uint64_t) { return mut_##NAME##_dynamic_backend(ctx, *obj); };             \
    d->upd = [obj](VRT_CTX, const std::string &answers) {                                                    \
      mut_##NAME##_dynamic_update(ctx, *obj, answers.c_str());                                               \
    };                                                                                                       \
    d->fin = [obj] { mut_##NAME##_dynamic__fini(obj.get()); };                                               \
    return std::unique_ptr<DirectorObject>(std::move(d));                                                    \
  };                                                                                                         \
  director_vmods()["mutant:" #NAME] = VmodImport{"mut_" #NAME, mut_##NAME##_directors_event}

void register_all() {
  VDISIM_VDIR_MUTANT(rr_release_frees, round_robin, VDISIM_NOARGS, VDISIM_NOARGS);
  VDISIM_VDIR_MUTANT(rr_del_members, round_robin, VDISIM_NOARGS, VDISIM_NOARGS);
  VDISIM_VDIR_MUTANT(rr_cursor_race, round_robin, VDISIM_NOARGS, VDISIM_NOARGS);
  VDISIM_VDIR_MUTANT(rr_no_release, round_robin, VDISIM_NOARGS, VDISIM_NOARGS);
  VDISIM_VDIR_MUTANT(fb_raw_store, fallback, VDISIM_STICKY, VDISIM_NOARGS);
  VDISIM_VDIR_MUTANT(fb_healthy_under_lock, fallback, VDISIM_STICKY, VDISIM_NOARGS);
  VDISIM_VDIR_MUTANT(fb_fini_frees, fallback, VDISIM_STICKY, VDISIM_NOARGS);
  VDISIM_VDIR_MUTANT(rnd_fini_assign_null, random, VDISIM_NOARGS, VDISIM_WEIGHT);
  VDISIM_VDIR_MUTANT(rnd_rdlock_pick, random, VDISIM_NOARGS, VDISIM_WEIGHT);
  VDISIM_HASH_MUTANT(hash_self_assign);
  VDISIM_SHARD_MUTANT(shard_move_no_clear);
  VDISIM_DYNAMIC_MUTANT(dyn_delete_before_swap);
  VDISIM_DYNAMIC_MUTANT(dyn_no_task_ref);
  VDISIM_DYNAMIC_MUTANT(dyn_hold_after_unlock);
  VDISIM_DYNAMIC_MUTANT(dyn_task_ref_leak);
  VDISIM_DYNAMIC_MUTANT(dyn_ignore_null);
  // The other mutants' .vcc files declare no $Event: an import with nothing to call.
  for (const auto &[type, factory] : director_types())
    if (type.starts_with("mutant:") && !director_vmods().count(type))
      director_vmods()[type] = VmodImport{"mut_" + type.substr(7), nullptr};
}

}  // namespace

void register_mutants() {
  if (director_types().count("mutant:rr_release_frees")) return;
  register_all();
}

}  // namespace vdisim::runner

#else  // !VDISIM_HAVE_MUTANTS

namespace vdisim::runner {

void register_mutants() {}

}  // namespace vdisim::runner

#endif
