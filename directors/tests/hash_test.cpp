// hash (spec F7): SHA-256 bytes 28..31 little-endian / 2^32, cumulative weights over
// the backends healthy at call time. Expected picks come from an independent model.
#include <gmock/gmock.h>

#include <cmath>

#include "directors/tests/fixture.hpp"

using namespace dtest;

namespace {

struct HashVcl {
  struct vcl *v = nullptr;
  struct vmod_directors_hash *h = nullptr;
  std::vector<VCL_BACKEND> be;
};

const std::vector<std::string> kNames = {"s1", "s2", "s3"};
const std::vector<double> kWeights = {1.0, 2.0, 1.5};

HashVcl load_hash(World &w) {
  HashVcl x;
  x.v = w.rt.vcl_load("vcl1", {}, [&](VRT_CTX) {
    x.be = vcl_backends(ctx, kNames);
    vmod_hash__init(ctx, &x.h, "h");
    on_fini(ctx, x.h, vmod_hash__fini);
    for (std::size_t i = 0; i < x.be.size(); i++) vmod_hash_add_backend(ctx, x.h, x.be[i], kWeights[i]);
  });
  return x;
}

// The model: which of kNames serves `key` when only `healthy` ones count.
std::string model_pick(const std::string &key, const std::vector<bool> &healthy) {
  double total = 0;
  for (std::size_t i = 0; i < kNames.size(); i++)
    if (healthy[i]) total += kWeights[i];
  if (total <= 0) return "";
  double point = std::ldexp(static_cast<double>(model_hash32({key})), -32) * total, sum = 0;
  for (std::size_t i = 0; i < kNames.size(); i++) {
    if (!healthy[i]) continue;
    sum += kWeights[i];
    if (point < sum) return "vcl1." + kNames[i];
  }
  return "?";
}

std::string served(World &w, const HashVcl &x, const std::string &key) {
  Strands s({key});
  return w.request(x.v, [&](VRT_CTX) { return vmod_hash_backend(ctx, x.h, s.get()); }).backend;
}

std::vector<std::string> keys() {
  std::vector<std::string> k = {"", "abc", "/index.html", "192.0.2.1"};
  for (int i = 0; i < 120; i++) k.push_back("client-" + std::to_string(i));
  return k;
}

}  // namespace

TEST(Hash, F7_hash_strands32_matches_published_sha256_vectors) {
  // FIPS 180-2: SHA-256("abc") = ba7816bf ... b410ff61 f20015ad; bytes 28..31 = f2 00 15 ad.
  EXPECT_EQ(model_hash32({"abc"}), 0xad1500f2u);
  // SHA-256("") = e3b0c442 ... a495991b 7852b855; bytes 28..31 = 78 52 b8 55.
  EXPECT_EQ(model_hash32({""}), 0x55b85278u);
  Strands abc({"abc"}), split({"a", "", "bc"}), empty({});
  EXPECT_EQ(VRT_HashStrands32(abc.get()), 0xad1500f2u);
  EXPECT_EQ(VRT_HashStrands32(split.get()), 0xad1500f2u);  // parts concatenate
  EXPECT_EQ(VRT_HashStrands32(empty.get()), 0x55b85278u);
  const char *with_null[] = {"ab", nullptr, "c"};
  struct strands sn {STRANDS_MAGIC, 3, with_null};
  EXPECT_EQ(VRT_HashStrands32(&sn), 0xad1500f2u);  // NULL parts are skipped
}

TEST(Hash, F7_pinned_keys_follow_the_cumulative_weight_model) {
  World w;
  w.endpoints(kNames);
  RunReport r = w.run([&] {
    HashVcl x = load_hash(w);
    // Derived from the vectors above, weights 1 / 2 / 1.5 (total 4.5):
    // "abc": 0xad1500f2 / 2^32 * 4.5 = 3.04 -> past 1 + 2 -> s3.
    EXPECT_EQ(served(w, x, "abc"), "vcl1.s3");
    // "": 0x55b85278 / 2^32 * 4.5 = 1.51 -> past 1, below 3 -> s2.
    EXPECT_EQ(served(w, x, ""), "vcl1.s2");
    for (const auto &k : keys()) EXPECT_EQ(served(w, x, k), model_pick(k, {true, true, true})) << k;
    w.retire_vcl("vcl1");
  });
  EXPECT_TRUE(r.ok()) << why(r);
  EXPECT_TRUE(w.all_destroyed());
}

TEST(Hash, F7_picks_among_backends_healthy_at_call_time) {
  World w;
  w.endpoints(kNames);
  RunReport r = w.run([&] {
    HashVcl x = load_hash(w);
    w.health("vcl1.s2", "sick");
    for (const auto &k : keys()) EXPECT_EQ(served(w, x, k), model_pick(k, {true, false, true})) << k;
    // "": 0x55b85278 / 2^32 * 2.5 = 0.84 -> s1 (it was s2 while s2 was healthy).
    EXPECT_EQ(served(w, x, ""), "vcl1.s1");
    w.health("vcl1.s2", "auto");
    w.health("vcl1.s1", "sick");
    for (const auto &k : keys()) EXPECT_EQ(served(w, x, k), model_pick(k, {false, true, true})) << k;
    w.health("vcl1.s*", "sick");
    Strands s({"abc"});
    EXPECT_EQ(w.request(x.v, [&](VRT_CTX) { return vmod_hash_backend(ctx, x.h, s.get()); }).kind,
              RequestResult::Kind::NoBackend);
    w.retire_vcl("vcl1");
  });
  EXPECT_TRUE(r.ok()) << why(r);
}

TEST(Hash, F1_removed_backend_is_no_longer_picked) {
  World w;
  w.endpoints(kNames);
  RunReport r = w.run([&] {
    HashVcl x = load_hash(w);
    w.in_task(x.v, [&](VRT_CTX) { vmod_hash_remove_backend(ctx, x.h, x.be[1]); });
    // same as s2 being sick: the model over {s1, s3}
    for (const auto &k : keys()) EXPECT_EQ(served(w, x, k), model_pick(k, {true, false, true})) << k;
    w.retire_vcl("vcl1");
  });
  EXPECT_TRUE(r.ok()) << why(r);
  EXPECT_TRUE(w.all_destroyed());
}
