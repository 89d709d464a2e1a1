// Scenario loader tests around the files: durations as text, vmod paths relative to the
// scenario, every shipped scenario loads, the JSON Schema accepts the same keys as the
// loader. Good scenarios are in loader_test.cpp, bad ones in loader_bad_test.cpp.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "sim/scenario/durations.hpp"
#include "sim/scenario/loader.hpp"
#include "sim/scenario/tests/loader_test_util.hpp"

namespace vs = vdisim::scenario;
namespace fs = std::filesystem;
using vs::testing::error_of;
using vs::testing::kRun;
using vs::testing::kVcl;
using vs::testing::load;
using vs::testing::kUs;
using vs::testing::kMs;
using vs::testing::kS;
using vs::testing::kMin;

// ------------------------------------------------------------------ durations
TEST(Durations, units_decimals_and_compound_forms) {
  struct Case {
    const char* text;
    std::int64_t ns;
  } cases[] = {{"0", 0},          {"0s", 0},          {"1ns", 1},
               {"250us", 250 * kUs}, {"250\xC2\xB5s", 250 * kUs}, {"5ms", 5 * kMs},
               {"1.5s", 1'500 * kMs}, {"0.1s", 100 * kMs}, {"2m", 2 * kMin},
               {"1h", 60 * kMin},  {"1m30s", 90 * kS},  {"1h2m3.5s", 3723'500 * kMs},
               {".5s", 500 * kMs}, {"9223372036854775807ns", INT64_MAX}};
  for (const auto& c : cases) {
    std::string err;
    auto v = vs::parse_duration(c.text, &err);
    ASSERT_TRUE(v.has_value()) << c.text << ": " << err;
    EXPECT_EQ(*v, c.ns) << c.text;
  }
}

TEST(Durations, rejects_bad_text_with_a_reason) {
  struct Case {
    const char* text;
    const char* error;
  } cases[] = {
      {"", "bad duration '': empty"},
      {"5x", "bad duration '5x': unknown unit 'x' (use ns, us, ms, s, m or h)"},
      {"30", "bad duration '30': missing unit (use ns, us, ms, s, m or h, e.g. '30s')"},
      {"-5s", "bad duration '-5s': must not be negative"},
      {"0.5ns", "bad duration '0.5ns': not a whole number of nanoseconds"},
      {"1m30", "bad duration '1m30': missing unit after '30'"},
      {"5 s", "bad duration '5 s': missing unit after '5'"},
      {"s", "bad duration 's': expected a number at 's'"},
      {"1.s", "bad duration '1.s': expected digits after '.'"},
      {"9223372036854775808ns", "bad duration '9223372036854775808ns': too large"},
      {"99999999999999999999h", "bad duration '99999999999999999999h': too large or too precise"},
  };
  for (const auto& c : cases) {
    std::string err;
    EXPECT_FALSE(vs::parse_duration(c.text, &err).has_value()) << c.text;
    EXPECT_EQ(err, c.error);
  }
}

TEST(Durations, format_is_exact_and_round_trips) {
  EXPECT_EQ(vs::format_duration(0), "0s");
  EXPECT_EQ(vs::format_duration(1), "1ns");
  EXPECT_EQ(vs::format_duration(250 * kUs), "250us");
  EXPECT_EQ(vs::format_duration(5 * kMs), "5ms");
  EXPECT_EQ(vs::format_duration(1'500 * kMs), "1.5s");
  EXPECT_EQ(vs::format_duration(90 * kS), "1m30s");
  EXPECT_EQ(vs::format_duration(3723'500 * kMs), "1h2m3.5s");
  EXPECT_EQ(vs::format_duration(-2 * kS), "-2s");
  for (std::int64_t ns : std::vector<std::int64_t>{7, 1'234'567'891, 86'400 * kS + 1, INT64_MAX}) {
    std::string err;
    EXPECT_EQ(vs::parse_duration(vs::format_duration(ns), &err), ns) << err;
  }
}

// ------------------------------------------------------------------ vmods
// `vmods:` paths are relative to the scenario file (as `import x from "path"`) and must
// exist when the scenario is loaded; simrun loads them (runner/vmod_load.hpp).
TEST(LoadVmods, paths_resolve_against_the_scenario_directory) {
  fs::path dir = fs::temp_directory_path() / "vdisim_loader_vmods";
  fs::create_directories(dir / "lib");
  std::ofstream(dir / "lib" / "libvmod_a.so") << "x";
  std::string file = (dir / "s.yaml").string();
  vs::Scenario s = vs::load_string(kRun + "vmods: [lib/libvmod_a.so]\n" + kVcl, file);
  ASSERT_EQ(s.vmods.size(), 1u);
  EXPECT_EQ(s.vmods[0].path, (dir / "lib" / "libvmod_a.so").string());
  EXPECT_EQ(s.vmods[0].text, "lib/libvmod_a.so");
  EXPECT_EQ(s.vmods[0].mark.line, 2);
  EXPECT_EQ(s.vmods[0].mark.col, 9);
  try {
    vs::load_string(kRun + "vmods: [lib/libvmod_a.so, lib/../lib/libvmod_a.so]\n" + kVcl, file);
    ADD_FAILURE() << "a vmod listed twice loaded";
  } catch (const vs::LoadError& e) {
    EXPECT_EQ(e.col, 27);
    EXPECT_EQ(e.message, "vmods: 'lib/../lib/libvmod_a.so' is listed twice (line 2)");
  }
  fs::remove_all(dir);
}

TEST(LoadVmods, a_missing_file_is_an_error_at_its_entry) {
  EXPECT_EQ(error_of(kRun + "vmods:\n  - /nonexistent/libvmod_x.so\n" + kVcl),
            "3:5: vmods: no such file '/nonexistent/libvmod_x.so'");
  EXPECT_EQ(error_of(kRun + "vmods: [libvmod_x.so]\n" + kVcl),
            "2:9: vmods: no such file 'dir/libvmod_x.so' (relative to the scenario file)");
}

// ------------------------------------------------------------------ shipped scenarios
TEST(ShippedScenarios, every_yaml_in_sim_scenarios_loads) {
  int n = 0;
  for (const auto& e : fs::directory_iterator(VDISIM_SCENARIOS_DIR)) {
    if (e.path().extension() != ".yaml") continue;
    ++n;
    try {
      vs::load_file(e.path().string());
    } catch (const vs::LoadError& err) {
      ADD_FAILURE() << err.what();
    }
  }
  EXPECT_GE(n, 1);
}

// ------------------------------------------------------------------ JSON Schema
// The schema (docs/scenario.schema.json) and the loader must accept the same keys. The
// loader lists its known keys when it meets an unknown one, so each case plants `zzzz`
// in one kind of map and compares that list with the schema's properties there.
std::set<std::string> known_keys_in_error(const std::string& text) {
  std::string err = error_of(text);
  auto at = err.find("known ");
  if (at == std::string::npos) return {"<no key list in: " + err + ">"};
  std::string list = err.substr(err.find(": ", at) + 2);
  std::set<std::string> out;
  for (std::size_t b = 0; b < list.size();) {
    std::size_t e = std::min(list.find(", ", b), list.find(" or ", b));
    out.insert(list.substr(b, e - b));
    if (e == std::string::npos) break;
    b = e + (list.compare(e, 2, ", ") == 0 ? 2 : 4);
  }
  return out;
}

TEST(Schema, accepts_the_same_keys_as_the_loader) {
  std::ifstream in(VDISIM_SCHEMA_FILE);
  ASSERT_TRUE(in) << VDISIM_SCHEMA_FILE;
  nlohmann::json schema = nlohmann::json::parse(in);
  EXPECT_EQ(schema["$schema"], "https://json-schema.org/draft/2020-12/schema");
  const std::string be = "    backends:\n      - {name: web1, host: 10.0.0.1:80";
  const std::string vcl = "vcls:\n  - name: boot\n";
  struct Case {
    const char* pointer;  // JSON pointer to a "properties" object
    std::string yaml;
  } cases[] = {
      {"/properties", "zzzz: 1\n" + kRun + kVcl},
      {"/$defs/run/properties", "run: {duration: 1s, zzzz: 1}\n" + kVcl},
      {"/$defs/vcl/properties", kRun + vcl + "    zzzz: 1\n" + be + "}\n"},
      {"/$defs/backendDecl/properties", kRun + vcl + be + ", zzzz: 1}\n"},
      {"/$defs/probe/properties", kRun + vcl + be + ", probe: {zzzz: 1}}\n"},
      {"/$defs/director/properties", kRun + kVcl + "    directors: [{name: d, zzzz: 1}]\n"},
      {"/$defs/directorOptions/properties",
       kRun + kVcl + "    directors: [{name: d, type: random, options: {zzzz: 1}}]\n"},
      {"/$defs/member/anyOf/1/properties",
       kRun + kVcl + "    directors: [{name: d, type: random, members: [{name: web1, zzzz: 1}]}]\n"},
      {"/$defs/behavior/anyOf/1/properties", kRun + kVcl + "backends: {web1: {zzzz: 1}}\n"},
      {"/$defs/distribution/anyOf/1/properties",
       kRun + kVcl + "backends: {web1: {latency: {dist: fixed, zzzz: 1}}}\n"},
      {"/$defs/behavior/anyOf/1/properties/script/items/properties",
       kRun + kVcl + "backends: {web1: {mode: script, script: [{zzzz: 1}]}}\n"},
      {"/$defs/serverAnswers/items/oneOf/2/properties",
       kRun + kVcl + "backends: {web1: {requests: [{status: 200, zzzz: 1}]}}\n"},
      {"/$defs/valueChoice/anyOf/1/properties", kRun + kVcl + "traffic: [{rate: 1, urls: {zzzz: 1}}]\n"},
      {"/$defs/resolverAnswer/properties", kRun + "resolvers: {r: [{zzzz: 1}]}\n" + kVcl},
      {"/$defs/dnsAnswer/properties", kRun + "dns: {a.example: [{zzzz: 1}]}\n" + kVcl},
      {"/$defs/traffic/properties", kRun + kVcl + "traffic: [{zzzz: 1}]\n"},
      {"/$defs/traffic/properties/keys/properties", kRun + kVcl + "traffic: [{rate: 1, keys: {zzzz: 1}}]\n"},
      {"/$defs/timelineEntry/properties", kRun + kVcl + "timeline: [{zzzz: 1}]\n"},
      {"/$defs/expect/properties", kRun + kVcl + "expect: {zzzz: 1}\n"},
      {"/$defs/runtime/properties", kRun + kVcl + "runtime: {zzzz: 1}\n"},
  };
  for (const auto& c : cases) {
    std::set<std::string> in_schema;
    for (const auto& [k, v] : schema.at(nlohmann::json::json_pointer(c.pointer)).items())
      in_schema.insert(k);
    EXPECT_EQ(known_keys_in_error(c.yaml), in_schema) << c.pointer;
  }
}
