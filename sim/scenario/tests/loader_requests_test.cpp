// Scenario loader tests for what requests meet and carry: a server's scripted answers to
// fetches (`requests:`, the same answers as `probes:`), latency per script step, and a
// traffic generator's chosen URLs and headers (`urls:`, `headers:`). Good inputs load
// into the model; bad ones fail with file:line:col and a message naming the rule.
#include <gtest/gtest.h>

#include <string>

#include "sim/scenario/loader.hpp"
#include "sim/scenario/tests/loader_test_util.hpp"

namespace vs = vdisim::scenario;
using vs::testing::error_of;
using vs::testing::kRun;
using vs::testing::kVcl;
using vs::testing::load;

namespace {
constexpr std::int64_t kMs = 1'000'000, kS = 1'000'000'000;
using Kind = vs::ServerAnswer::Kind;
}  // namespace

// ------------------------------------------------------------------ server answers
TEST(LoadRequests, request_answers_take_the_forms_of_probe_answers) {
  vs::Scenario s = load(kRun + kVcl + R"(backends:
  web1:
    probes: [200, refuse]
    requests: [500, empty, timeout, refuse, {status: 404, after: 300ms}, {status: timeout, after: 1s}]
)");
  const vs::Behavior& b = s.behaviors.at(0);
  ASSERT_EQ(b.probes.size(), 2u);
  ASSERT_EQ(b.requests.size(), 6u);
  EXPECT_EQ(b.requests[0].kind, Kind::status);
  EXPECT_EQ(b.requests[0].status, 500);
  EXPECT_EQ(b.requests[1].kind, Kind::empty);
  EXPECT_EQ(b.requests[2].kind, Kind::timeout);
  EXPECT_EQ(b.requests[3].kind, Kind::refuse);
  EXPECT_EQ(b.requests[4].status, 404);
  EXPECT_EQ(b.requests[4].after_ns, 300 * kMs);
  EXPECT_EQ(b.requests[5].kind, Kind::timeout);
  EXPECT_FALSE(b.requests[0].after_ns.has_value());  // the server's latency
  EXPECT_EQ(b.requests[0].mark.line, 10);
}

TEST(LoadRequests, bad_request_answers_point_at_the_answer) {
  EXPECT_EQ(error_of(kRun + kVcl + "backends: {web1: {requests: [200, 600]}}\n"),
            "7:35: requests[1]: must be between 100 and 599, got 600");
  EXPECT_EQ(error_of(kRun + kVcl + "backends: {web1: {requests: [closed]}}\n"),
            "7:30: requests[0]: unknown value 'closed' (expected empty, timeout or refuse)");
  EXPECT_EQ(error_of(kRun + kVcl + "backends: {web1: {requests: [{status: 200, afterr: 1s}]}}\n"),
            "7:44: unknown key 'afterr' in request answer; did you mean 'after'?");
  EXPECT_EQ(error_of(kRun + kVcl + "backends: {web1: {requests: [{after: 1s}]}}\n"),
            "7:30: missing required key 'status' in request answer");
  EXPECT_EQ(error_of(kRun + kVcl + "backends: {web1: {requests: 500}}\n"),
            "7:29: requests: expected a list, got '500'");
}

// ------------------------------------------------------------------ step latency
TEST(LoadRequests, a_script_step_may_carry_its_own_latency) {
  vs::Scenario s = load(kRun + kVcl + R"(backends:
  web1:
    mode: script
    latency: 20ms
    script:
      - {at: 10s, state: up, latency: 2s}
      - {at: 20s, state: refuse}
      - {at: 30s, state: up, latency: {dist: uniform, min: 1ms, max: 3ms}}
)");
  const vs::Behavior& b = s.behaviors.at(0);
  ASSERT_EQ(b.script.size(), 3u);
  ASSERT_TRUE(b.script[0].latency.has_value());
  EXPECT_EQ(b.script[0].latency->value_ns, 2 * kS);
  EXPECT_FALSE(b.script[1].latency.has_value());  // the latency set before goes on
  EXPECT_EQ(b.script[2].latency->kind, vs::Distribution::Kind::uniform);
  EXPECT_EQ(b.script[2].latency->max_ns, 3 * kMs);
}

TEST(LoadRequests, bad_step_latency_names_the_step) {
  EXPECT_EQ(error_of(kRun + kVcl + "backends:\n  web1:\n    mode: script\n    script:\n"
                                   "      - {at: 1s, state: up, latency: 5}\n"),
            "11:38: latency: bad duration '5': missing unit (use ns, us, ms, s, m or h, e.g. '5s')");
  EXPECT_EQ(error_of(kRun + kVcl + "backends:\n  web1:\n    mode: script\n    script:\n"
                                   "      - {at: 1s, state: up, latncy: 5ms}\n"),
            "11:29: unknown key 'latncy' in script step; did you mean 'latency'?");
}

// ------------------------------------------------------------------ urls and headers
TEST(LoadRequests, urls_and_headers_as_lists_and_weights) {
  vs::Scenario s = load(kRun + kVcl + R"(traffic:
  - rate: 10
    urls: [/a, "/b?x=1", /c]
    headers:
      Host: {weights: {a.example: 3, b.example: 1}}
      X-Key: [k1, "k 2"]
  - rate: 10
    urls: {weights: {/only: 1, /never: 0}}
  - rate: 10
)");
  const vs::Traffic& a = s.traffic.at(0);
  ASSERT_TRUE(a.urls.has_value());
  EXPECT_EQ(a.urls->values, (std::vector<std::string>{"/a", "/b?x=1", "/c"}));
  EXPECT_TRUE(a.urls->weights.empty());  // in turn
  ASSERT_EQ(a.headers.size(), 2u);
  EXPECT_EQ(a.headers[0].name, "Host");
  EXPECT_EQ(a.headers[0].values.values, (std::vector<std::string>{"a.example", "b.example"}));
  EXPECT_EQ(a.headers[0].values.weights, (std::vector<double>{3, 1}));
  EXPECT_EQ(a.headers[1].name, "X-Key");
  EXPECT_EQ(a.headers[1].values.values[1], "k 2");
  const vs::Traffic& b = s.traffic.at(1);
  EXPECT_EQ(b.urls->weights, (std::vector<double>{1, 0}));
  EXPECT_FALSE(s.traffic.at(2).urls.has_value());  // keys give /obj/K
  EXPECT_TRUE(s.traffic.at(2).headers.empty());
}

TEST(LoadRequests, bad_urls_and_headers_fail_at_the_value) {
  const std::string t = kRun + kVcl + "traffic:\n  - rate: 1\n";
  EXPECT_EQ(error_of(t + "    urls: [/a, b]\n"), "9:16: urls: bad value 'b': it must start with '/'");
  EXPECT_EQ(error_of(t + "    urls: [\"/a b\"]\n"),
            "9:12: urls: bad value '/a b': spaces and control characters are not allowed");
  EXPECT_EQ(error_of(t + "    urls: []\n"), "9:11: urls: needs at least one value");
  EXPECT_EQ(error_of(t + "    urls: /a\n"),
            "9:11: urls: expected a list of values (in turn) or {weights: {VALUE: WEIGHT, ...}}, got '/a'");
  EXPECT_EQ(error_of(t + "    urls: {weight: {/a: 1}}\n"), "9:12: unknown key 'weight' in urls; did you mean 'weights'?");
  EXPECT_EQ(error_of(t + "    urls: {weights: {/a: 0, /b: 0}}\n"),
            "9:21: weights: all weights are 0; at least one must be more");
  EXPECT_EQ(error_of(t + "    urls: {weights: {/a: -1}}\n"), "9:26: /a: must be between 0 and 1000000000, got -1");
  EXPECT_EQ(error_of(t + "    headers: {\"X Key\": [a]}\n"),
            "9:15: headers: 'X Key' is not a header name (up to 64 letters, digits and !#$%&'*+-.^_`|~)");
  EXPECT_EQ(error_of(t + "    headers:\n      Host: [a]\n      host: [b]\n"),
            "11:7: headers: 'host' and 'Host' (line 10) are one header (names ignore case)");
  EXPECT_EQ(error_of(t + "    headers: {X-Key: [\"a\\tb\"]}\n"),
            "9:23: X-Key: bad value 'a\tb': control characters are not allowed");
  EXPECT_EQ(error_of(t + "    headers: [Host]\n"), "9:14: headers: expected a map, got a list");
}

TEST(LoadRequests, errors_name_the_file_line_and_column) {
  try {
    vs::load_string(kRun + kVcl + "traffic: [{rate: 1, urls: [nope]}]\n", "dir/s.yaml");
    FAIL() << "loaded";
  } catch (const vs::LoadError& e) {
    EXPECT_STREQ(e.what(), "dir/s.yaml:7:28: urls: bad value 'nope': it must start with '/'");
  }
}
