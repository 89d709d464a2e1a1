// Scenario loader tests, bad inputs: every file in bad/ fails with exactly the message
// and line:col in the table below, and no input (truncated, mutated, hostile) makes the
// loader do anything but return a Scenario or throw LoadError.
#include <gtest/gtest.h>

#include <filesystem>
#include <random>
#include <set>
#include <string>

#include "sim/scenario/loader.hpp"
#include "sim/scenario/tests/loader_test_util.hpp"

namespace vs = vdisim::scenario;
namespace fs = std::filesystem;
using vs::testing::error_of;
using vs::testing::kRun;
using vs::testing::kVcl;
using vs::testing::mutate;
using vs::testing::load;
using vs::testing::read_text;

// ------------------------------------------------------------------ bad files
struct BadCase {
  const char* file;  // bad/<file>.yaml
  int line, col;
  const char* message;
};

// The expected error of every file in tests/bad, kept here (not in the YAML files) so a
// changed message or position is a visible diff in this table.
const BadCase kBad[] = {
    {"alias_amplification", 255, 5,
     "YAML aliases stand for more than 100000 nodes in all (each alias is read again)"},
    {"cli_poll_changes_varnishd", 10, 12,
     "cmd: backend.set_health changes varnishd; only backend.list, vcl.list and vcl.show can be polled (put changes in the timeline)"},
    // docs/cli-rules.md: labels
    {"L1_label_names_a_vcl", 13, 28, "vcl.label: 'v2' is a vcl, not a label"},
    {"L1_load_label_name", 13, 27,
     "vcl.load: 'v2' is already a label (labels and vcls share one name space)"},
    {"L2_label_to_label", 13, 34,
     "vcl.label: 'prod' is a label; a label points at a vcl, never at a label"},
    {"L2_label_loop", 15, 33,
     "vcl.label: pointing label 'prod' at 'router' would make a loop ('router' switches to it)"},
    {"L3_label_cold_vcl", 13, 33,
     "vcl.label: vcl 'v2' is cold; set it auto or warm first (vcl.state v2 auto)"},
    {"L3_use_cold_vcl", 13, 26,
     "vcl.use: vcl 'v2' is cold; set it auto or warm first (vcl.state v2 auto)"},
    {"L4_cold_labelled_vcl", 14, 28,
     "vcl.state: cannot set vcl 'v2' cold: label 'prod' points at it"},
    {"L4_discard_labelled_vcl", 14, 30,
     "vcl.discard: cannot discard vcl 'v2': label 'prod' points at it; discard or repoint the "
     "label first"},
    {"L4_discard_label_in_use", 15, 30,
     "vcl.discard: cannot discard label 'prod': vcl 'router' switches to it; discard that vcl too"},
    {"L5_state_of_label", 13, 28, "vcl.state: 'prod' is a label; labels are always warm"},
    {"L6_discard_active_label", 15, 31,
     "vcl.discard: cannot discard the active vcl 'prod'; vcl.use another one first"},
    {"L6_switch_to_missing_label", 13, 27,
     "vcl.load: vcl 'router' switches to label 'prod' (switch_router.vcl:6:17), which does not exist at 1s; "
     "vcl.label it first"},
    {"vcl_inline_string_form", 9, 18, "op: vcl.inline takes its VCL as a here-document (\"vcl.inline NAME << "
     "END\", the VCL's lines, \"END\") or as `source:` in the map form: {at: ..., op: vcl.inline, vcl: NAME, "
     "source: |, state: auto}"},
    {"vcl_inline_heredoc_unclosed", 10, 9, "op: vcl.inline: no line \"END\" ends the here-document"},
    {"backend_list_too_many_parameters", 9, 38,
     "op: too many parameters: varnishd takes at most 2 after backend.list (flags go in one word: -pj)"},
    {"vcl_inline_taken_name", 11, 10, "vcl.inline: vcl 'boot' exists already (in vcls: or an earlier vcl.inline); "
     "load it with vcl.load or pick a new name"},
    {"vcl_show_unknown", 9, 31, "vcl: no VCL or label named 'nope' at 1s"},
    {"vcl_show_no_name", 9, 5, "missing required key 'vcl' in timeline entry"},
    {"vcl_list_bad_flag", 9, 28, "flags: invalid flag p (vcl.list takes -j)"},
    {"backend_list_bad_flag", 9, 32,
     "flags: invalid flag x (backend.list takes -p and -j)"},
    {"backend_add_not_dynamic", 13, 30,
     "director: 'pool' is a round_robin director; backend.add needs a dynamic one"},
    {"bad_duration_unit", 8, 27,
     "interval: bad duration '5x': unknown unit 'x' (use ns, us, ms, s, m or h)"},
    {"bad_host", 7, 15,
     "host: bad address '10.0.0.1': expected 'host:port'"},
    {"bad_vcl_state", 15, 32,
     "state: unknown value 'frozen' (expected cold, warm or auto)"},
    {"behaviour_unknown_backend", 11, 3,
     "backends: unknown backend 'web3'; did you mean 'web1'?"},
    {"bool_expected", 13, 27,
     "sticky: expected true or false, got 'yes'"},
    {"cold_active_vcl", 13, 10,
     "vcl.state: cannot set the active vcl 'boot' cold"},
    {"director_own_member", 13, 25,
     "member 'pool': a director cannot be its own member"},
    {"discard_active_vcl", 11, 31,
     "vcl.discard: cannot discard the active vcl 'boot'; vcl.use another one first"},
    {"discarded_by_never", 12, 5,
     "discarded_by: the timeline never discards vcl 'boot'"},
    {"dns_address_not_a_list", 5, 24,
     "answer: '10.0.0.1' must be a list of addresses: [10.0.0.1]"},
    {"dns_bad_address", 5, 35,
     "answer: bad address '10.0.0.300': expected an IPv4 or IPv6 address, optionally with a port (10.0.0.1, 10.0.0.1:80, [2001:db8::1]:80)"},
    {"dns_duplicate_name", 5, 3,
     "dns: duplicate name 'api.example' (first at line 4; names ignore case)"},
    {"dns_numeric_name", 4, 3,
     "dns: '10.0.0.1' is a numeric address; numeric hosts resolve without the dns table"},
    {"dns_out_of_order", 6, 12,
     "at: 10s is not after the previous answer (20s)"},
    {"dns_ttl_on_servfail", 5, 34,
     "ttl: a servfail answer is not cached (ttl goes with addresses or nxdomain)"},
    {"dns_unknown_answer", 6, 25,
     "answer: unknown value 'nxdomian'; did you mean 'nxdomain'?"},
    {"duplicate_backend_name", 8, 9,
     "duplicate name 'web1' in vcl 'boot' (first at line 6)"},
    {"duplicate_key", 10, 1,
     "duplicate key 'run' in the scenario (first at line 1)"},
    {"duplicate_vcl", 10, 5,
     "duplicate vcl name 'boot' (first at line 4)"},
    {"duty_out_of_range", 14, 11,
     "duty: must be between 0 and 1, got 1.5"},
    {"dynamic_unknown_resolver", 11, 29,
     "resolver: unknown resolver 'dns2'; did you mean 'dns1'?"},
    {"empty", 1, 1,
     "empty scenario: expected a map with at least 'vcls' and 'run'"},
    {"expect_bad_rule_id", 11, 12,
     "failure: bad rule id 'a5 please' (expected an id such as A5 or DEADLOCK)"},
    {"expect_failure_combined", 12, 3,
     "expect: 'no_deadlock' cannot be combined with 'failure' (a scenario that must fail checks nothing else)"},
    {"expect_unknown_backend", 12, 5,
     "share: unknown backend 'web9'; did you mean 'web1'?"},
    {"flap_missing_period", 11, 3,
     "missing required key 'period' in backend behaviour 'web2' (mode flap)"},
    {"fractional_nanoseconds", 12, 14,
     "latency: bad duration '0.5ns': not a whole number of nanoseconds"},
    {"health_pattern_matches_nothing", 11, 39,
     "backend: pattern 'boot.web9' matches no backend or director"},
    {"runtime_new_with_members", 8, 70,
     "members: 'o1' is made at run time; it gets members by `call: o1.add_backend(...)`"},
    {"runtime_delete_static", 8, 41,
     "backend_delete: 'web1' is no backend made by backend_new: of vcl 'boot'"},
    {"runtime_new_twice_other_type", 9, 30,
     "new: 'o1' was made as a round_robin before; an object keeps its type"},
    {"member_declared_later", 13, 19,
     "member 'pool': director 'pool' is declared after 'main' (line 14); directors are created in order, so declare it first"},
    {"missing_host", 6, 9,
     "missing required key 'host' in backend"},
    {"missing_run", 1, 1,
     "missing required key 'run' in the scenario"},
    {"missing_unit", 2, 13,
     "duration: bad duration '60': missing unit (use ns, us, ms, s, m or h, e.g. '60s')"},
    {"mode_key_mismatch", 13, 5,
     "period: only valid with mode flap (mode is 'down')"},
    {"negative_duration", 2, 13,
     "duration: bad duration '-5s': must not be negative"},
    {"op_after_end_of_run", 11, 10,
     "at: 1m30s is not before the end of the run (run.duration 1m)"},
    {"op_map_missing_key", 11, 5,
     "missing required key 'state' in timeline entry (vcl.state needs vcl and state)"},
    {"op_missing_argument", 12, 9,
     "op: vcl.state takes 2 arguments (vcl and state), got 1"},
    {"option_for_other_type", 13, 19,
     "option 'sticky' does not apply to round_robin directors (it is a fallback option)"},
    {"quiescent_after_run", 3, 22,
     "quiescent: 3s is not before the end of the run (run.duration 3s)"},
    {"quiescent_not_ascending", 3, 30,
     "quiescent: 1.5s is not after 1.9s (the times go up)"},
    {"regression_outside_runtime", 10, 1,
     "unknown key 'regressions' in the scenario; regression switches are only accepted under runtime.regressions"},
    {"regression_unknown", 11, 17,
     "regressions: unknown value 'assign_deref_frist'; did you mean 'assign_deref_first'?"},
    {"seed_range_reversed", 3, 10,
     "seeds: range start 9 is greater than its end 3"},
    {"seeds_not_a_number", 3, 10,
     "seeds: expected a non-negative integer, got 'many'"},
    {"seeds_too_many", 3, 10,
     "seeds: 0..18446744073709551615 is more than 100000000 seeds"},
    {"share_min_above_max", 12, 11,
     "web1: min 0.6 is greater than max 0.4"},
    {"shard_warmup_unsupported", 8, 64,
     "warmup: vdisim's shard director implements no warmup (only 0 is accepted)"},
    {"stray_comma", 2, 1,
     "YAML syntax error: did not find expected node content, found ',' (while parsing a block node that starts "
     "at 2:1)"},
    {"threshold_above_window", 10, 22,
     "threshold: 5 is greater than window 4"},
    {"timeline_out_of_order", 12, 5,
     "at: 10s is before the previous entry (20s); keep the timeline in time order"},
    {"timeline_unknown_resolver", 11, 36,
     "resolver: unknown resolver 'dsn1'; did you mean 'dns1'?"},
    {"timeline_unknown_vcl", 15, 27,
     "vcl: unknown vcl 'v3'; did you mean 'v2'?"},
    {"traffic_ends_after_run", 14, 15,
     "duration: traffic would end at 1m10s, after the end of the run (1m)"},
    {"traffic_rate_and_concurrency", 13, 5,
     "concurrency: 'rate' and 'concurrency' are exclusive (open or closed loop)"},
    {"traffic_unknown_director", 15, 15,
     "director: 'pol' is not a backend or director of vcl 'boot'; did you mean 'pool'?"},
    {"two_documents", 10, 1,
     "a scenario file holds one YAML document; found a second one"},
    {"undefined_member", 13, 25,
     "member 'web3' is not a backend or director of vcl 'boot'; did you mean 'web1'?"},
    {"uniform_min_above_max", 13, 55,
     "max: 10ms is less than min 50ms"},
    {"unknown_director_type", 12, 15,
     "type: unknown director type 'roundrobin'; did you mean 'round_robin'?"},
    {"unknown_op", 11, 19,
     "op: unknown operation 'vcl.used'; did you mean 'vcl.use'?"},
    {"unknown_probe_key", 10, 11,
     "unknown key 'intervl' in probe; did you mean 'interval'?"},
    {"unknown_strategy", 3, 13,
     "strategy: unknown strategy 'rnadom'; did you mean 'random'?"},
    {"unknown_top_key", 1, 1,
     "unknown key 'runn' in the scenario; did you mean 'run'?"},
    {"use_unloaded_vcl", 15, 18,
     "vcl.use: vcl 'v2' is not loaded at 10s"},
    {"vcl_discard_glob_active", 13, 31,
     "vcl.discard: cannot discard the active vcl 'boot'; vcl.use another one first"},
    {"vcl_discard_glob_none", 13, 31,
     "vcl.discard: no loaded vcl matches 'canary*' at 2s"},
    {"vcl_load_bad_state", 12, 31,
     "state: unknown value 'frozen' (expected cold, warm or auto)"},
    {"vcls_not_a_list", 3, 7,
     "vcls: expected a list, got 'boot'"},
    {"vmod_bad_duration_arg", 9, 46,
     "new: bad duration '5x': unknown unit 'x' (use ns, us, ms, s, m or h) in 'mydir.resolver(ttl = 5x)'"},
    {"vmod_call_syntax", 10, 44,
     "new: expected ',' or ')' after an argument in 'mydir.resolver(service = \"api\"'"},
    {"vmod_init_unknown_object", 11, 16,
     "init: 'b' is not an object created so far in vcl 'boot'"},
    {"vmod_name_mismatch", 9, 24,
     "new: the object is called 'b' here but the entry's name is 'a'"},
    {"vmod_new_with_type", 9, 19,
     "'type' does not go with 'new' (a vmod object takes its arguments in the constructor call)"},
    {"vmod_update_without_resolver", 7, 9,
     "missing required key 'resolver' in director (update is called with the answers of a resolver)"},
    {"weight_on_fallback", 15, 34,
     "weight: fallback directors do not use weights"},
    {"window_too_big", 8, 25,
     "window: must be between 1 and 64, got 65"},
    {"yaml_syntax_error", 6, 1,
     "YAML syntax error: did not find expected ',' or ']', found the end of the file (while parsing a flow "
     "sequence that starts at 5:15)"},
};

void PrintTo(const BadCase& c, std::ostream* os) { *os << "bad/" << c.file << ".yaml"; }

class BadFile : public ::testing::TestWithParam<BadCase> {};

TEST_P(BadFile, fails_with_message_at_position) {
  const BadCase& c = GetParam();
  std::string path = std::string(VDISIM_SCENARIO_BAD_DIR) + "/" + c.file + ".yaml";
  try {
    vs::load_file(path);
    FAIL() << path << " loaded; expected: " << c.message;
  } catch (const vs::LoadError& e) {
    EXPECT_EQ(e.message, c.message);
    EXPECT_EQ(e.line, c.line) << e.what();
    EXPECT_EQ(e.col, c.col) << e.what();
    EXPECT_EQ(e.file, path);
    EXPECT_EQ(std::string(e.what()), path + ":" + std::to_string(c.line) + ":" +
                                         std::to_string(c.col) + ": " + c.message);
  }
}

INSTANTIATE_TEST_SUITE_P(Loader, BadFile, ::testing::ValuesIn(kBad),
                         [](const auto& info) { return std::string(info.param.file); });

TEST(BadFiles, table_and_directory_agree) {
  std::set<std::string> in_table, on_disk;
  for (const auto& c : kBad) in_table.insert(c.file);
  for (const auto& e : fs::directory_iterator(VDISIM_SCENARIO_BAD_DIR))
    if (e.path().extension() == ".yaml") on_disk.insert(e.path().stem().string());
  EXPECT_EQ(in_table, on_disk);
  EXPECT_GE(on_disk.size(), 25u);
}

TEST(BadFiles, inline_errors) {
  EXPECT_EQ(error_of(kRun + kVcl + "expect: {share: {web1: [0.7, 1], web2: [0.5, 1]}}\n"),
            "7:17: share: the minimums add up to 1.2, more than 1");
  EXPECT_EQ(error_of(kRun + "vcls:\n  - name: boot\n    backends:\n"
                            "      - {name: web1, host: 10.0.0.1:80, probe: {zzz: 1}}\n"),
            "5:49: unknown key 'zzz' in probe; known keys: url, interval, timeout, window, "
            "threshold, initial, expected_status");
  EXPECT_EQ(error_of(kRun + kVcl + "    directors: [{name: d, type: dynamic}]\n"),
            "7:17: dynamic director 'd' needs option 'resolver'");
  EXPECT_EQ(error_of(kRun + kVcl + "  - name: v2\n    backends: [{name: web1, host: 10.0.0.9:80}]\n"
                                   "backends: {web1: down}\n"),
            "9:12: backends: backend 'web1' is 10.0.0.1:80 in vcl 'boot' but 10.0.0.9:80 in "
            "vcl 'v2'; use host:port as the key");
  EXPECT_EQ(error_of(kRun + kVcl + "backends: {web1: down, \"10.0.0.1:80\": up}\n"),
            "7:24: backends: '10.0.0.1:80' and 'web1' (line 7) are the same server 10.0.0.1:80");
  EXPECT_EQ(error_of(kRun + kVcl + "timeline:\n  - {at: 1s, op: vcl.load v2, vcl: v2}\n"),
            "8:31: vcl: the op string already has the arguments; use either "
            "'op: \"vcl.load ...\"' or keys");
  EXPECT_EQ(error_of(kRun + kVcl + "timeline:\n  - {at: 1s, op: vcl.use, state: cold}\n"),
            "8:27: state: not an argument of vcl.use (it takes vcl)");
  EXPECT_EQ(error_of("[1, 2]\n"), "1:1: the scenario: expected a map, got a list");
  EXPECT_EQ(error_of(kRun + kVcl + "traffic: [{}]\n"),
            "7:11: traffic 'traffic0' needs 'rate' (requests/s) or 'concurrency' (clients)");
  EXPECT_EQ(error_of(kRun + kVcl + "dns: {\"bad name\": [10.0.0.1]}\n"),
            "7:7: dns: bad name 'bad name': ' ' cannot be part of a host name");
  EXPECT_EQ(error_of(kRun + kVcl + "dns: {a..example: [10.0.0.1]}\n"),
            "7:7: dns: bad name 'a..example': empty label (two dots in a row, or a leading dot)");
  EXPECT_EQ(error_of(kRun + kVcl + "dns: {a.example: [{at: 0s, answer: [], zzz: 1}]}\n"),
            "7:40: unknown key 'zzz' in dns answer; known keys: at, answer, ttl, latency");
  EXPECT_EQ(error_of(kRun + kVcl + "dns: {a.example: [{at: 90s, answer: []}]}\n"),
            "7:24: at: 1m30s is not before the end of the run (run.duration 1m)");
  EXPECT_EQ(error_of(kRun + kVcl + "dns: {a.example: [{at: 0s}]}\n"),
            "7:19: missing required key 'answer' in dns answer");
  EXPECT_EQ(error_of(kRun + kVcl + "dns: {a.example: [{at: 0s, answer: [], latency: -1s}]}\n"),
            "7:49: latency: bad duration '-1s': must not be negative");
}

TEST(BadFiles, unreadable_file_names_only_the_file) {
  try {
    vs::load_file("/nonexistent/scenario.yaml");
    FAIL();
  } catch (const vs::LoadError& e) {
    EXPECT_EQ(e.line, 0);
    EXPECT_STREQ(e.what(), "/nonexistent/scenario.yaml: cannot open scenario file");
  }
}

// A file past the size limit is refused at 1:1 and never read whole: /dev/zero ends too.
TEST(BadFiles, size_limit_scenario_and_vcl_files_past_4_MiB_are_refused) {
  EXPECT_EQ(error_of(std::string((4u << 20) + 1, '#')),
            "1:1: scenario file larger than 4194304 bytes");
  EXPECT_EQ(error_of(std::string(4u << 20, '#')),
            "1:1: empty scenario: expected a map with at least 'vcls' and 'run'");
  try {
    vs::load_file("/dev/zero");
    FAIL() << "/dev/zero loaded";
  } catch (const vs::LoadError& e) {
    EXPECT_STREQ(e.what(), "/dev/zero:1:1: scenario file larger than 4194304 bytes");
  }
  EXPECT_EQ(error_of(kRun + "vcls: [{name: boot, file: /dev/zero}]\n"),
            "1:1: VCL file larger than 4194304 bytes");
}

// ------------------------------------------------------------------ robustness
// Loading must end in a Scenario or a LoadError; anything else (another exception, a
// crash, a hang) fails the test binary.
void load_or_error(const std::string& text) {
  try {
    load(text);
  } catch (const vs::LoadError& e) {
    EXPECT_GT(e.line, 0) << e.what();
  }
}

TEST(Robustness, every_truncation_of_the_default_scenario) {
  std::string text = read_text(std::string(VDISIM_SCENARIOS_DIR) + "/default.yaml");
  ASSERT_FALSE(text.empty());
  for (std::size_t n = 0; n <= text.size(); ++n) load_or_error(text.substr(0, n));
}

TEST(Robustness, random_mutations_of_the_default_scenario) {
  std::string text = read_text(std::string(VDISIM_SCENARIOS_DIR) + "/default.yaml");
  const char chars[] = ":-[]{}&*!|>'\"#%@` \n\t0a.,?~\x00\xff";
  const std::string alphabet(chars, sizeof chars - 1);
  std::mt19937_64 rng(20240601);  // fixed: the test is deterministic
  for (int i = 0; i < 3000; ++i) load_or_error(mutate(text, rng, alphabet));
}

TEST(Robustness, hostile_inputs) {
  load_or_error(std::string(100000, '['));
  load_or_error("a: " + std::string(50000, '{'));
  load_or_error("vcls: &v [*v]\nrun: {duration: 1s}\n");  // a cyclic alias
  load_or_error(kRun + "vcls: &v\n  - name: boot\n    backends: *v\n");
  load_or_error(std::string("run: {duration: \"1\0s\"}\n", 24) + kVcl);
  load_or_error("\xef\xbb\xbf" + kRun + kVcl);  // BOM
  load_or_error(kRun + kVcl + "traffic: [{rate: 1e400}]\n");
  load_or_error(kRun + kVcl + "traffic: [{rate: nan}]\n");
  load_or_error("run: {duration: 99999999999999999999999h}\n" + kVcl);
  load_or_error("run: {duration: 1s, seeds: \"1..99999999999999999999999\"}\n" + kVcl);
  load_or_error("? [a, b]\n: c\n");
  load_or_error("!!binary x: y\n");
  load_or_error(kRun + "vcls:\n  - name: boot\n    backends:\n      - {name: b, host: \"[::1:80\"}\n");
  load_or_error(kRun + "vcls:\n  - name: boot\n    backends:\n      - {name: b, host: \"[::1]:80\"}\n");
  load_or_error(kRun + kVcl + "timeline:\n  - at: 1s\n    op: |\n      vcl.use\n      nope\n");
}
