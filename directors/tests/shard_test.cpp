// shard (spec F8, reduced): consistent hashing ring checked against an independent model,
// key stability under remove/add, staging per task, references of staged changes.
#include <gmock/gmock.h>

#include "directors/tests/fixture.hpp"

using namespace dtest;

namespace {

struct ShardVcl {
  struct vcl *v = nullptr;
  struct vmod_directors_shard *sh = nullptr;
  std::vector<VCL_BACKEND> be;
};

VCL_BOOL add(VRT_CTX, struct vmod_directors_shard *sh, VCL_BACKEND be, const char *ident = nullptr,
             double weight = 0) {
  struct arg_vmod_directors_shard_add_backend a {};
  a.backend = be;
  a.valid_ident = ident != nullptr;
  a.ident = ident;
  a.valid_weight = weight > 0;
  a.weight = weight;
  return vmod_shard_add_backend(ctx, sh, &a);
}

VCL_BOOL remove(VRT_CTX, struct vmod_directors_shard *sh, VCL_BACKEND be, const char *ident = nullptr) {
  struct arg_vmod_directors_shard_remove_backend a {};
  a.valid_backend = be != nullptr;
  a.backend = be;
  a.valid_ident = ident != nullptr;
  a.ident = ident;
  return vmod_shard_remove_backend(ctx, sh, &a);
}

struct arg_vmod_directors_shard_backend by_key(std::uint32_t key, VCL_ENUM resolve = nullptr) {
  struct arg_vmod_directors_shard_backend a {};
  a.valid_by = 1;
  a.by = enum_vmod_directors_KEY;
  a.valid_key = 1;
  a.key = key;
  a.valid_resolve = resolve != nullptr;
  a.resolve = resolve;
  return a;
}

ShardVcl load_shard(World &w, const std::vector<std::string> &names) {
  ShardVcl x;
  x.v = w.rt.vcl_load("vcl1", {}, [&](VRT_CTX) {
    x.be = vcl_backends(ctx, names);
    vmod_shard__init(ctx, &x.sh, "sh");
    on_fini(ctx, x.sh, vmod_shard__fini);
    for (VCL_BACKEND b : x.be) EXPECT_TRUE(add(ctx, x.sh, b));
    // no reconfigure(): the staged changes apply at the end of vcl_init (replicas 67)
  });
  return x;
}

std::vector<std::uint32_t> test_keys(int n) {
  std::vector<std::uint32_t> k = {0u, 1u, 0x7fffffffu, 0xfffffffeu, 0xffffffffu};
  std::uint32_t x = 12345;
  for (int i = 0; i < n; i++) k.push_back(x = x * 1664525u + 1013904223u);
  return k;
}

// Name of the leaf the shard picks for each key (resolve=NOW in a client-side task).
std::vector<std::string> map_keys(World &w, const ShardVcl &x, const std::vector<std::uint32_t> &keys) {
  std::vector<std::string> out;
  w.in_task(x.v, [&](VRT_CTX) {
    for (std::uint32_t k : keys) {
      auto a = by_key(k);
      VCL_BACKEND b = vmod_shard_backend(ctx, x.sh, &a);
      out.push_back(b ? b->vcl_name : "");
    }
  }, VCL_MET_RECV);
  return out;
}

std::string name_of(int h, const std::vector<std::string> &names) { return h < 0 ? "" : names[h]; }

}  // namespace

TEST(Shard, F8_picks_match_the_ring_model_including_the_last_point_rule) {
  const std::vector<std::string> names = {"s1", "s2", "s3", "s4"};
  World w;
  w.endpoints(names);
  RunReport r = w.run([&] {
    ShardVcl x = load_shard(w, names);
    RingModel m(names, {67, 67, 67, 67});
    auto keys = test_keys(500);
    keys.push_back(m.ring.back().point);       // exactly the last point
    keys.push_back(m.ring.front().point);      // exactly the first point
    auto got = map_keys(w, x, keys);
    for (std::size_t i = 0; i < keys.size(); i++)
      EXPECT_EQ(got[i], name_of(m.pick(keys[i], {true, true, true, true}), names)) << "key " << keys[i];
    // the spec's quirk: a key past the last point maps to the last point's host, not the first
    EXPECT_EQ(got[4], names[m.ring.back().host]);
    // and through a real request (KEY given on the client side)
    auto a = by_key(keys[7]);
    EXPECT_EQ(w.request(x.v, [&](VRT_CTX) { return vmod_shard_backend(ctx, x.sh, &a); }).backend,
              "vcl1." + got[7]);
    w.retire_vcl("vcl1");
  });
  EXPECT_TRUE(r.ok()) << why(r);
  EXPECT_TRUE(w.all_destroyed());
}

TEST(Shard, F8_only_the_keys_of_a_removed_backend_move) {
  const std::vector<std::string> names = {"s1", "s2", "s3", "s4", "s5"};
  World w;
  w.endpoints(names);
  RunReport r = w.run([&] {
    ShardVcl x = load_shard(w, names);
    auto keys = test_keys(3000);
    auto before = map_keys(w, x, keys);
    w.in_task(x.v, [&](VRT_CTX) {
      EXPECT_TRUE(remove(ctx, x.sh, x.be[2]));
      EXPECT_TRUE(vmod_shard_reconfigure(ctx, x.sh, 67));
    });
    auto after = map_keys(w, x, keys);
    int moved = 0;
    for (std::size_t i = 0; i < keys.size(); i++) {
      if (before[i] == "s3") {
        moved++;
        EXPECT_NE(after[i], "s3") << "key " << keys[i];
      } else {
        EXPECT_EQ(after[i], before[i]) << "key " << keys[i] << " moved off a remaining backend";
      }
    }
    EXPECT_GT(moved, 300);  // about a fifth of the keys lived on s3
    RingModel m({"s1", "s2", "s4", "s5"}, {67, 67, 67, 67});
    for (std::size_t i = 0; i < keys.size(); i += 37)
      EXPECT_EQ(after[i], name_of(m.pick(keys[i], {true, true, true, true}), {"s1", "s2", "s4", "s5"}));
    w.retire_vcl("vcl1");
  });
  EXPECT_TRUE(r.ok()) << why(r);
  EXPECT_TRUE(w.all_destroyed());
}

TEST(Shard, F8_an_added_backend_takes_keys_only_for_itself) {
  const std::vector<std::string> names = {"s1", "s2", "s3", "s4"};
  World w;
  w.endpoints(names);
  RunReport r = w.run([&] {
    ShardVcl x = load_shard(w, {"s1", "s2", "s3"});
    VCL_BACKEND s4 = nullptr;
    auto keys = test_keys(2000);
    auto before = map_keys(w, x, keys);
    // a non-static backend made after load, held by the shard only
    w.in_task(x.v, [&](VRT_CTX) {
      struct vrt_backend be;
      VRT_BACKEND_INIT(&be);
      be.vcl_name = "s4";
      be.hosthdr = "s4:80";
      s4 = VRT_new_backend(ctx, &be, nullptr);
      ASSERT_NE(s4, nullptr);
      EXPECT_TRUE(add(ctx, x.sh, s4));
      EXPECT_TRUE(vmod_shard_reconfigure(ctx, x.sh, 67));
      VRT_Assign_Backend(&s4, nullptr);  // hand over: the shard's reference keeps it alive
    });
    auto after = map_keys(w, x, keys);
    int gained = 0;
    for (std::size_t i = 0; i < keys.size(); i++) {
      if (after[i] == "s4") gained++;
      else EXPECT_EQ(after[i], before[i]) << "key " << keys[i];
    }
    EXPECT_GT(gained, 200);
    w.retire_vcl("vcl1");
  });
  EXPECT_TRUE(r.ok()) << why(r);
  EXPECT_TRUE(w.all_destroyed());
}

TEST(Shard, F8_keys_of_a_sick_backend_walk_to_the_next_host_on_the_ring) {
  const std::vector<std::string> names = {"s1", "s2", "s3"};
  World w;
  w.endpoints(names);
  RunReport r = w.run([&] {
    ShardVcl x = load_shard(w, names);
    RingModel m(names, {67, 67, 67});
    auto keys = test_keys(600);
    w.health("vcl1.s2", "sick");
    auto got = map_keys(w, x, keys);
    for (std::size_t i = 0; i < keys.size(); i++)
      EXPECT_EQ(got[i], name_of(m.pick(keys[i], {true, false, true}), names)) << "key " << keys[i];
    w.health("vcl1.s*", "sick");
    auto none = map_keys(w, x, {1, 2, 3});
    EXPECT_THAT(none, ::testing::Each(""));
    w.retire_vcl("vcl1");
  });
  EXPECT_TRUE(r.ok()) << why(r);
}

TEST(Shard, F8_staged_changes_apply_at_task_end_or_on_reconfigure) {
  const std::vector<std::string> names = {"s1", "s2"};
  World w;
  w.endpoints(names);
  RunReport r = w.run([&] {
    ShardVcl x = load_shard(w, names);
    auto keys = test_keys(200);
    auto before = map_keys(w, x, keys);
    w.in_task(x.v, [&](VRT_CTX) {
      EXPECT_TRUE(remove(ctx, x.sh, x.be[0]));
      auto a = by_key(keys[0]);
      VCL_BACKEND same = vmod_shard_backend(ctx, x.sh, &a);  // not applied yet
      EXPECT_STREQ(same->vcl_name, before[0].c_str());
    });
    auto after = map_keys(w, x, keys);  // applied when that task ended
    EXPECT_THAT(after, ::testing::Each("s2"));
    w.in_task(x.v, [&](VRT_CTX) {
      EXPECT_TRUE(vmod_shard_clear(ctx, x.sh));
      EXPECT_FALSE(vmod_shard_reconfigure(ctx, x.sh, 67));  // no backends left
      auto a = by_key(5);
      EXPECT_EQ(vmod_shard_backend(ctx, x.sh, &a), nullptr);
      EXPECT_FALSE(vmod_shard_reconfigure(ctx, x.sh, 0));  // invalid replicas
    });
    w.retire_vcl("vcl1");
  });
  EXPECT_TRUE(r.ok()) << why(r);
  EXPECT_TRUE(w.all_destroyed());
}

TEST(Shard, F8_idents_weights_and_duplicate_adds) {
  World w;
  w.endpoints({"s1", "s2"});
  RunReport r = w.run([&] {
    ShardVcl x;
    VCL_BACKEND dyn = nullptr, dyn_seen = nullptr;
    x.v = w.rt.vcl_load("vcl1", {}, [&](VRT_CTX) {
      x.be = vcl_backends(ctx, {"s1"});
      struct vrt_backend be;
      VRT_BACKEND_INIT(&be);
      be.vcl_name = "s2";
      be.hosthdr = "s2:80";
      dyn = VRT_new_backend(ctx, &be, nullptr);  // refcounted: a leaked reference would show
      vmod_shard__init(ctx, &x.sh, "sh");
      on_fini(ctx, x.sh, vmod_shard__fini);
      EXPECT_TRUE(add(ctx, x.sh, x.be[0], "a"));
      EXPECT_TRUE(add(ctx, x.sh, x.be[0], "b", 3.0));
      EXPECT_TRUE(add(ctx, x.sh, dyn));
      EXPECT_TRUE(add(ctx, x.sh, dyn));  // duplicate: skipped, its staged reference dropped
      EXPECT_TRUE(vmod_shard_reconfigure(ctx, x.sh, 10));
      dyn_seen = dyn;
      VRT_Assign_Backend(&dyn, nullptr);  // the shard holds the only reference now
    });
    EXPECT_EQ(dyn_seen->vdir->refcnt, 1) << "a staged reference leaked (or was dropped twice)";
    RingModel m({"a", "b", "s2"}, {10, 30, 10});
    auto keys = test_keys(300);
    auto got = map_keys(w, x, keys);
    for (std::size_t i = 0; i < keys.size(); i++)
      EXPECT_EQ(got[i], name_of(m.pick(keys[i], {true, true, true}), {"s1", "s1", "s2"})) << keys[i];
    w.in_task(x.v, [&](VRT_CTX) {
      EXPECT_TRUE(remove(ctx, x.sh, nullptr, "b"));  // one instance, by ident
      EXPECT_TRUE(vmod_shard_reconfigure(ctx, x.sh, 10));
    });
    RingModel m2({"a", "s2"}, {10, 10});
    got = map_keys(w, x, keys);
    for (std::size_t i = 0; i < keys.size(); i++)
      EXPECT_EQ(got[i], name_of(m2.pick(keys[i], {true, true}), {"s1", "s2"})) << keys[i];
    w.retire_vcl("vcl1");  // the dynamic s2 must be destroyed here, else C5 fails the run
  });
  EXPECT_TRUE(r.ok()) << why(r);
  EXPECT_TRUE(w.all_destroyed());
}

TEST(Shard, F8_lazy_resolution_uses_the_key_given_with_resolve_LAZY) {
  const std::vector<std::string> names = {"s1", "s2", "s3"};
  World w;
  w.endpoints(names);
  RunReport r = w.run([&] {
    ShardVcl x = load_shard(w, names);
    RingModel m(names, {67, 67, 67});
    for (std::uint32_t k : test_keys(20)) {
      auto a = by_key(k, enum_vmod_directors_LAZY);
      VCL_BACKEND d = nullptr;
      w.in_task(x.v, [&](VRT_CTX) { d = vmod_shard_backend(ctx, x.sh, &a); }, VCL_MET_BACKEND_FETCH);
      ASSERT_NE(d, nullptr);
      EXPECT_STREQ(d->vcl_name, "sh");  // the director itself, resolved at fetch
      RequestResult res = w.request(x.v, [&](VRT_CTX) { (void)ctx; return d; });
      EXPECT_EQ(res.backend, "vcl1." + name_of(m.pick(k, {true, true, true}), names));
    }
    // by=HASH (default): vdisim requests have no URL, the key is the hash of ""
    struct arg_vmod_directors_shard_backend a {};
    std::string want = "vcl1." + name_of(m.pick(model_hash32({""}), {true, true, true}), names);
    EXPECT_EQ(w.request(x.v, [&](VRT_CTX) { return vmod_shard_backend(ctx, x.sh, &a); }).backend, want);
    w.retire_vcl("vcl1");
  });
  EXPECT_TRUE(r.ok()) << why(r);
}

// Varnish 8.0: .backend(resolve=LAZY) with by/key/key_blob only in a backend or pipe
// task; in vcl_init (LAZY by default there, `fb.add_backend(sh.backend(by = URL))`) and in
// vcl_recv it fails the VCL (peer case left out: varnishd 7.1.1 fails the load too, which
// the recorder cannot capture).
TEST(Shard, F8_lazy_with_a_key_outside_a_backend_task_fails) {
  World w;
  w.endpoints({"s1"});
  RunReport r = w.run([&] {
    ShardVcl x = load_shard(w, {"s1"});
    for (unsigned method : {unsigned{VCL_MET_INIT}, unsigned{VCL_MET_RECV}}) {
      w.in_task(x.v, [&](VRT_CTX) {
        struct arg_vmod_directors_shard_backend a {};
        a.valid_by = 1;
        a.by = enum_vmod_directors_URL;
        if (method == VCL_MET_RECV) a.valid_resolve = 1, a.resolve = enum_vmod_directors_LAZY;
        EXPECT_EQ(vmod_shard_backend(ctx, x.sh, &a), nullptr);
        EXPECT_TRUE(vdisim::vrt::Task::from(ctx)->failed()) << method;
      }, method);
    }
    w.in_task(x.v, [&](VRT_CTX) {
      struct arg_vmod_directors_shard_backend a {};
      a.valid_resolve = 1;
      a.resolve = enum_vmod_directors_LAZY;  // alone: the director, anywhere
      EXPECT_NE(vmod_shard_backend(ctx, x.sh, &a), nullptr);
      EXPECT_FALSE(vdisim::vrt::Task::from(ctx)->failed());
    }, VCL_MET_RECV);
    w.retire_vcl("vcl1");
  });
  EXPECT_TRUE(r.ok()) << why(r);
}

TEST(Shard, F8_vcl_init_returns_the_director_and_refuses_resolve_NOW) {
  World w;
  w.endpoints({"s1"});
  RunReport r = w.run([&] {
    ShardVcl x = load_shard(w, {"s1"});
    w.in_task(x.v, [&](VRT_CTX) {
      struct arg_vmod_directors_shard_backend a {};
      VCL_BACKEND d = vmod_shard_backend(ctx, x.sh, &a);  // LAZY by default here
      ASSERT_NE(d, nullptr);
      EXPECT_STREQ(d->vcl_name, "sh");
      a.valid_resolve = 1;
      a.resolve = enum_vmod_directors_NOW;
      EXPECT_EQ(vmod_shard_backend(ctx, x.sh, &a), nullptr);
      EXPECT_NE(vdisim::vrt::Task::from(ctx), nullptr);
      EXPECT_TRUE(vdisim::vrt::Task::from(ctx)->failed());
    }, VCL_MET_INIT);
    w.retire_vcl("vcl1");
  });
  EXPECT_TRUE(r.ok()) << why(r);
}

TEST(Shard, F8_staged_changes_before_a_clear_drop_their_references) {
  World w;
  w.endpoints({"s1", "s2"});
  RunReport r = w.run([&] {
    ShardVcl x = load_shard(w, {"s1"});
    VCL_BACKEND dyn = nullptr;
    w.in_task(x.v, [&](VRT_CTX) {
      struct vrt_backend be;
      VRT_BACKEND_INIT(&be);
      be.vcl_name = "s2";
      be.hosthdr = "s2:80";
      dyn = VRT_new_backend(ctx, &be, nullptr);
      ASSERT_NE(dyn, nullptr);
      EXPECT_TRUE(add(ctx, x.sh, dyn));            // staged: +1
      EXPECT_TRUE(remove(ctx, x.sh, dyn));         // staged: +1
      EXPECT_TRUE(vmod_shard_clear(ctx, x.sh));    // everything before is void
      EXPECT_TRUE(add(ctx, x.sh, x.be[0]));
      EXPECT_EQ(dyn->vdir->refcnt, 3);
      EXPECT_TRUE(vmod_shard_reconfigure(ctx, x.sh, 67));
      EXPECT_EQ(dyn->vdir->refcnt, 1) << "staged references before clear() leaked";
      VRT_delete_backend(ctx, &dyn);
    });
    EXPECT_THAT(map_keys(w, x, {1, 2, 3}), ::testing::Each("s1"));
    w.retire_vcl("vcl1");
  });
  EXPECT_TRUE(r.ok()) << why(r);
  EXPECT_TRUE(w.all_destroyed());
}
