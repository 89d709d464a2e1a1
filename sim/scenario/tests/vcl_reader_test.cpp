// VCL files as a scenario's VCL (vcl_reader.hpp): what a .vcl fills in the model (the same
// scenario::Vcl the YAML form fills), what it lists as ignored, and that no input (truncated,
// mutated) makes the reader do anything but fill a Vcl or throw LoadError.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include "sim/scenario/loader_internal.hpp"
#include "sim/scenario/tests/loader_test_util.hpp"

namespace vs = vdisim::scenario;
using vs::testing::error_of;
using vs::testing::kRun;
using vs::testing::read_text;
using vs::testing::mutate;

namespace {

const std::string kDir = VDISIM_VCL_TEST_DIR;

vs::Vcl parse(const std::string& text) {
  vs::Vcl v;
  vs::detail::parse_vcl_text(vs::detail::Ctx{"t.vcl"}, text, v);
  return v;
}

std::string vcl_error(const std::string& text) {
  try {
    parse(text);
  } catch (const vs::LoadError& e) {
    return std::to_string(e.line) + ":" + std::to_string(e.col) + ": " + e.message;
  }
  return "loaded";
}

bool ignored(const vs::Vcl& v, const std::string& what) {
  for (const auto& i : v.ignored)
    if (i.what == what) return true;
  return false;
}

}  // namespace

TEST(VclFile, file_fills_backends_probes_objects_and_the_selection) {
  vs::Scenario s = vs::load_file(kDir + "/rr_probes.yaml");
  const vs::Vcl& v = s.vcls.at(0);
  EXPECT_EQ(v.file, kDir + "/rr_probes.vcl");
  ASSERT_EQ(v.backends.size(), 2u);
  EXPECT_EQ(v.backends[0].host, "10.0.0.1:80");
  EXPECT_EQ(v.backends[0].max_connections, 200);
  ASSERT_TRUE(v.backends[1].probe);
  EXPECT_EQ(v.backends[1].probe->url, "/health");
  EXPECT_EQ(v.backends[1].probe->interval_ns, 1'000'000'000);
  EXPECT_EQ(v.backends[1].probe->timeout_ns, 500'000'000);
  EXPECT_EQ(v.backends[1].probe->window, 5);
  EXPECT_EQ(v.backends[1].probe->threshold, 3);
  EXPECT_EQ(v.backends[1].probe->initial, 2);
  ASSERT_EQ(v.directors.size(), 1u);
  EXPECT_EQ(v.directors[0].type, vs::DirectorType::vmod);
  EXPECT_EQ(v.directors[0].type_text, "directors.round_robin");
  ASSERT_EQ(v.directors[0].vmod_init.size(), 2u);
  EXPECT_EQ(v.directors[0].vmod_init[1].text, "rr.add_backend(web2)");
  EXPECT_EQ(v.directors[0].vmod_init[1].mark.line, 34);
  EXPECT_EQ(v.default_target.name, "rr");
  EXPECT_EQ(v.default_target.kind, vs::TargetKind::director);
  ASSERT_TRUE(v.directors[0].vmod_backend);
  EXPECT_EQ(v.directors[0].vmod_backend->text, "rr.backend()");
  EXPECT_TRUE(ignored(v, "backend .connect_timeout"));
  EXPECT_TRUE(ignored(v, "backend .first_byte_timeout"));
  EXPECT_TRUE(ignored(v, "sub vcl_deliver"));
  // `unset req.http.Cookie` changes the request the routes (and picks, and the fetch) see
  ASSERT_EQ(v.routes.size(), 2u);  // after the selection
  EXPECT_EQ(v.routes[1].action, vs::Route::Action::unset_header);
  EXPECT_EQ(v.routes[1].header, "Cookie");
  // `import std;`: varnishd's own vmod, used by nothing vdisim models: listed, not refused
  EXPECT_TRUE(ignored(v, "import std (a vmod of varnishd that vdisim does not provide; nothing it models uses it)"));
  ASSERT_EQ(v.imports.size(), 1u);
  EXPECT_EQ(v.imports[0].name, "directors");
  for (std::size_t i = 1; i < v.ignored.size(); i++)  // in file order
    EXPECT_LT(v.ignored[i - 1].mark.line, v.ignored[i].mark.line);
}

TEST(VclFile, without_a_selection_requests_go_to_the_first_backend_as_in_varnishd) {
  // b is used only where vdisim does not look (varnishd refuses an unused backend)
  vs::Vcl v = parse("vcl 4.0;\nimport std;\nbackend a { .host = \"10.0.0.1:8080\"; }\nbackend b { .host = \"::1\"; }\n"
                    "sub vcl_deliver { set resp.http.b = std.healthy(b); }\n");
  EXPECT_EQ(v.default_target.name, "a");
  EXPECT_EQ(v.default_target.kind, vs::TargetKind::backend);
  EXPECT_EQ(v.backends[0].host, "10.0.0.1:8080");  // .host may carry the port
  EXPECT_EQ(v.backends[1].host, "[::1]:80");       // varnishd's default port
}

TEST(VclFile, bereq_backend_in_vcl_backend_fetch_wins_over_the_hint) {
  vs::Vcl v = parse(
      "vcl 4.1;\nbackend a { .host = \"10.0.0.1\"; }\nbackend b { .host = \"10.0.0.2\"; }\n"
      "sub vcl_backend_fetch { set bereq.backend = b; }\nsub vcl_recv { set req.backend_hint = a; }\n");
  EXPECT_EQ(v.default_target.name, "b");
  EXPECT_EQ(v.default_target.mark.line, 4);
}

TEST(VclFile, if_branches_become_routes_in_the_order_they_run) {
  vs::Vcl v = parse(
      "vcl 4.1;\nbackend a { .host = \"10.0.0.1\"; }\nbackend b { .host = \"10.0.0.2\"; }\n"
      "backend c { .host = \"10.0.0.3\"; }\n"
      "sub vcl_recv {\n  if (req.url ~ \"^/x\") { set req.backend_hint = c; }\n  set req.backend_hint = a;\n"
      "  if (req.url ~ \"^/a\") { set req.backend_hint = b; }\n"
      "  elsif (!(req.http.Host != \"h1.example\")) { if (req.url ~ \"z\") { set req.backend_hint = c; } }\n"
      "  else { set req.backend_hint = c; }\n}\n");
  EXPECT_EQ(v.default_target.name, "a");  // the last unconditional selection
  // Every selection in the order it runs: the first conditional one, the unconditional
  // one, then the chain.
  ASSERT_EQ(v.routes.size(), 5u);
  EXPECT_EQ(v.routes[0].target.name, "c");
  EXPECT_TRUE(v.routes[1].when.empty());
  EXPECT_EQ(v.routes[1].target.name, "a");
  EXPECT_EQ(v.routes[2].target.name, "b");
  ASSERT_EQ(v.routes[2].when.size(), 1u);
  EXPECT_FALSE(v.routes[2].when[0].negate);
  EXPECT_EQ(v.routes[2].when[0].value, "^/a");
  // elsif: not the first condition, its own (host == after two negations), the nested one
  ASSERT_EQ(v.routes[3].when.size(), 3u);
  EXPECT_TRUE(v.routes[3].when[0].negate);
  EXPECT_EQ(v.routes[3].when[1].field, vs::RouteCond::Field::header);
  EXPECT_EQ(v.routes[3].when[1].header, "Host");
  EXPECT_EQ(v.routes[3].when[1].op, vs::RouteCond::Op::equal);
  EXPECT_FALSE(v.routes[3].when[1].negate);
  EXPECT_EQ(v.routes[3].when[2].value, "z");
  // else: neither condition
  ASSERT_EQ(v.routes[4].when.size(), 2u);
  EXPECT_TRUE(v.routes[4].when[0].negate && v.routes[4].when[1].negate);
  EXPECT_EQ(v.routes[4].mark.line, 10);
}

TEST(VclFile, only_unconditional_selections_leave_the_default_target_alone) {
  vs::Vcl v = parse("vcl 4.1;\nbackend a { .host = \"10.0.0.1\"; }\nbackend b { .host = \"10.0.0.2\"; }\n"
                    "sub vcl_recv { set req.backend_hint = a; set req.backend_hint = b; }\n");
  EXPECT_EQ(v.default_target.name, "b");
  EXPECT_TRUE(v.routes.empty());
}

// VCL's precedence: || below && below ! below a comparison.
TEST(VclFile, conditions_combine_with_and_or_not_and_parentheses) {
  vs::Vcl v = parse("vcl 4.1;\nbackend a { .host = \"10.0.0.1\"; }\nbackend b { .host = \"10.0.0.2\"; }\n"
                    "sub vcl_recv {\n  if (req.url ~ \"^/a\" || !req.http.X-Beta && (req.method == \"GET\" || "
                    "req.proto != \"HTTP/1.0\")) { set req.backend_hint = b; }\n}\n");
  ASSERT_EQ(v.routes.size(), 1u);
  ASSERT_EQ(v.routes[0].when.size(), 1u);
  const vs::RouteCond& any = v.routes[0].when[0];
  ASSERT_EQ(any.kind, vs::RouteCond::Kind::any);
  ASSERT_EQ(any.kids.size(), 2u);
  EXPECT_EQ(any.kids[0].field, vs::RouteCond::Field::url);
  const vs::RouteCond& all = any.kids[1];
  ASSERT_EQ(all.kind, vs::RouteCond::Kind::all);
  ASSERT_EQ(all.kids.size(), 2u);
  EXPECT_EQ(all.kids[0].kind, vs::RouteCond::Kind::present);
  EXPECT_EQ(all.kids[0].header, "X-Beta");
  EXPECT_TRUE(all.kids[0].negate);
  const vs::RouteCond& inner = all.kids[1];
  ASSERT_EQ(inner.kind, vs::RouteCond::Kind::any);
  EXPECT_EQ(inner.kids[0].field, vs::RouteCond::Field::method);
  EXPECT_EQ(inner.kids[1].field, vs::RouteCond::Field::proto);
  EXPECT_TRUE(inner.kids[1].negate);
  EXPECT_EQ(inner.kids[1].value, "HTTP/1.0");
}

// A read of req.backend_hint (std.healthy(req.backend_hint)) selects nothing: the if
// here only sets a header.
TEST(VclFile, reading_the_hint_is_not_a_selection) {
  vs::Vcl v = parse("vcl 4.1;\nimport std;\nbackend a { .host = \"10.0.0.1\"; }\n"
                    "sub vcl_recv { set req.backend_hint = a;\n"
                    "  if (!std.healthy(req.backend_hint)) { set req.http.X-Degraded = \"1\" + req.url; }\n}\n");
  EXPECT_EQ(v.default_target.name, "a");
  ASSERT_EQ(v.routes.size(), 2u);
  EXPECT_EQ(v.routes[1].action, vs::Route::Action::set_header);
  EXPECT_EQ(v.routes[1].header, "X-Degraded");
  ASSERT_EQ(v.routes[1].value.size(), 2u);
  EXPECT_FALSE(v.routes[1].value[1].literal);
  EXPECT_EQ(v.routes[1].value[1].field, vs::RouteCond::Field::url);
  EXPECT_EQ(v.routes[1].when.at(0).kind, vs::RouteCond::Kind::healthy);
  // A value vdisim does not evaluate leaves the statement ignored, as before.
  vs::Vcl r = parse("vcl 4.1;\nbackend a { .host = \"10.0.0.1\"; }\n"
                    "sub vcl_recv { set req.http.host = regsub(req.http.host, \":[0-9]+\", \"\"); }\n");
  EXPECT_TRUE(r.routes.empty());
  EXPECT_TRUE(ignored(r, "'set req.http.host' in vcl_recv"));
}

TEST(VclFile, returns_end_the_sub_as_routes) {
  vs::Vcl v = parse(
      "vcl 4.1;\nbackend a { .host = \"10.0.0.1\"; }\nbackend b { .host = \"10.0.0.2\"; }\n"
      "sub vcl_recv {\n"
      "  if (req.method != \"GET\" && req.method != \"HEAD\") { return (pass); }\n"
      "  if (req.url ~ \"^/admin\") { return (synth(403, \"Forbidden\")); }\n"
      "  if (req.http.X-Purge) { return (purge); }\n"
      "  if (req.url == \"/boom\") { return (fail); }\n"
      "  if (req.http.Upgrade ~ \"(?i)websocket\") { return (pipe); }\n"
      "  set req.backend_hint = a;\n  return (hash);\n}\n"
      "sub vcl_backend_fetch {\n  if (bereq.url ~ \"^/gone\") { return (error(410)); }\n"
      "  if (bereq.http.X-Drop) { return (abandon); }\n  set bereq.backend = b;\n  return (fetch);\n}\n");
  using A = vs::Route::Action;
  std::vector<std::pair<A, int>> got;
  for (const auto& r : v.routes) got.emplace_back(r.action, r.status);
  std::vector<std::pair<A, int>> want = {{A::end, 0},     {A::synth, 403}, {A::synth, 200}, {A::fail, 0},
                                         {A::pipe, 0},    {A::select, 0},  {A::end, 0},     {A::synth, 410},
                                         {A::synth, 503}, {A::select, 0},  {A::end, 0}};
  EXPECT_EQ(got, want);
  EXPECT_FALSE(v.routes[6].backend_fetch);
  EXPECT_TRUE(v.routes[7].backend_fetch);
  EXPECT_TRUE(v.routes[6].when.empty());
  EXPECT_EQ(v.default_target.name, "b");  // vcl_backend_fetch runs later
  // VCC takes any INT (varnishd fails a status it cannot send when the request gets there);
  // a status that is not a number is not read: the return is ignored (listed).
  vs::Vcl odd = parse("vcl 4.1;\nbackend a { .host = \"10.0.0.1\"; }\n"
                      "sub vcl_recv { if (req.url ~ \"x\") { return (synth(42)); } return (synth(req.http.code)); }\n");
  ASSERT_EQ(odd.routes.size(), 1u);
  EXPECT_EQ(odd.routes[0].status, 42);
  EXPECT_TRUE(ignored(odd, "'return (synth)' in vcl_recv (its status is not a number vdisim reads)"));
}

// std.healthy() of the hint so far, of a backend, of an object's pick (its one pick call).
TEST(VclFile, std_healthy_conditions_name_what_they_ask_about) {
  vs::Vcl v = parse("vcl 4.1;\nimport std;\nimport directors;\nbackend a { .host = \"10.0.0.1\"; }\n"
                    "backend b { .host = \"10.0.0.2\"; }\n"
                    "sub vcl_init { new rr = directors.round_robin(); rr.add_backend(a); }\n"
                    "sub vcl_recv {\n  set req.backend_hint = rr.backend();\n"
                    "  if (!std.healthy(req.backend_hint) && std.healthy(b)) { set req.backend_hint = b; }\n"
                    "  if (!std.healthy(rr.backend())) { return (synth(503)); }\n}\n");
  ASSERT_EQ(v.routes.size(), 3u);
  const vs::RouteCond& both = v.routes[1].when.at(0);
  ASSERT_EQ(both.kind, vs::RouteCond::Kind::all);
  EXPECT_EQ(both.kids[0].kind, vs::RouteCond::Kind::healthy);
  EXPECT_TRUE(both.kids[0].negate);
  EXPECT_EQ(both.kids[0].target.name, "");  // the hint so far
  EXPECT_EQ(both.kids[1].target.name, "b");
  EXPECT_EQ(both.kids[1].target.kind, vs::TargetKind::backend);
  const vs::RouteCond& obj = v.routes[2].when.at(0);
  EXPECT_EQ(obj.target.name, "rr");
  EXPECT_EQ(obj.target.kind, vs::TargetKind::director);
  ASSERT_TRUE(v.directors[0].vmod_backend);
  EXPECT_EQ(v.directors[0].vmod_backend->text, "rr.backend()");
  // Another pick call of the same object is refused as a second selection's would be.
  std::string err = vcl_error("vcl 4.1;\nimport directors;\nbackend a { .host = \"10.0.0.1\"; }\n"
                              "sub vcl_init { new h = directors.hash(); h.add_backend(a, 1); }\n"
                              "sub vcl_recv { set req.backend_hint = h.backend(req.url);\n"
                              "  if (std.healthy(h.backend(req.http.host))) { return (pass); } }\n");
  EXPECT_NE(err.find("vdisim models one pick call per object"), std::string::npos) << err;
}

// A return under a condition on what requests do not carry is ignored (listed), as an if
// without a selection is; around a selection such a condition is an error.
TEST(VclFile, unmodelled_conditions_ignore_returns_and_refuse_selections) {
  vs::Vcl v = parse("vcl 4.1;\nbackend a { .host = \"10.0.0.1\"; }\nacl purgers { \"127.0.0.1\"; }\n"
                    "sub vcl_recv {\n  if (req.method == \"PURGE\") {\n"
                    "    if (client.ip !~ purgers) { return (synth(405)); }\n    return (purge);\n  }\n}\n");
  ASSERT_EQ(v.routes.size(), 1u);
  EXPECT_EQ(v.routes[0].status, 200);
  EXPECT_TRUE(ignored(v, "'if' in vcl_recv on 'client.ip' (not modelled; the returns and header changes under it "
                         "are taken as not applying)"));
  EXPECT_EQ(vcl_error("vcl 4.1;\nbackend a { .host = \"10.0.0.1\"; }\n"
                      "sub vcl_recv { if (req.url ~ \"x\" && req.restarts > 0) { set req.backend_hint = a; } }\n"),
            "3:37: a condition on 'req.restarts' is not modelled around a backend selection (requests carry "
            "req.url, req.method, req.proto and req.http.*: comparisons with ~ !~ == != and a string, a header "
            "alone, std.healthy(...), ! && || and parentheses)");
}

TEST(VclFile, a_called_sub_is_read_where_it_is_called) {
  vs::Vcl v = parse("vcl 4.1;\nbackend a { .host = \"10.0.0.1\"; }\nbackend b { .host = \"10.0.0.2\"; }\n"
                    "sub pick_b { set req.backend_hint = b; }\n"
                    "sub vcl_recv { set req.backend_hint = a; if (req.url ~ \"^/b\") { call pick_b; } }\n");
  EXPECT_EQ(v.default_target.name, "a");
  ASSERT_EQ(v.routes.size(), 2u);
  EXPECT_EQ(v.routes[1].target.name, "b");
  EXPECT_EQ(v.routes[1].when.at(0).value, "^/b");
  EXPECT_TRUE(v.ignored.empty());  // pick_b was read, not skipped
  EXPECT_EQ(vcl_error("vcl 4.1;\nbackend a { .host = \"10.0.0.1\"; }\nsub r { call r; }\nsub vcl_recv { call r; }\n"),
            "3:14: subs called more than 16 deep");
}

// Sixteen subs, each calling the next four times: 4^15 paths from s1 to s16.
std::string fan_out_subs(const std::string& last_body) {
  std::string text = "sub s16 { " + last_body + " }\n";
  for (int i = 15; i >= 1; i--) {
    std::string next = "call s" + std::to_string(i + 1) + "; ";
    text += "sub s" + std::to_string(i) + " { " + next + next + next + next + "}\n";
  }
  return text;
}

// Found by the VCL fuzzer (an `if` around calls of subs calling each other): whether an if
// selects a backend is answered once per sub, not once per path through the calls.
TEST(VclFile, an_if_around_calls_that_fan_out_is_answered_without_walking_every_path) {
  vs::Vcl v = parse("vcl 4.1;\nbackend a { .host = \"10.0.0.1\"; }\n" + fan_out_subs("set req.url = \"/1\";") +
                    "sub vcl_recv { if (req.url ~ \"^/a\") { call s1; } set req.backend_hint = a; }\n");
  EXPECT_TRUE(v.routes.empty());
  EXPECT_TRUE(ignored(v, "'if' in vcl_recv"));
}

// Reading a sub where it is called is bounded in all: 4^15 calls are refused at the call
// that passes the bound, not read for hours.
TEST(VclFile, subs_read_where_they_are_called_are_bounded_in_all) {
  std::string err = vcl_error("vcl 4.1;\nbackend a { .host = \"10.0.0.1\"; }\n" +
                              fan_out_subs("set req.backend_hint = a;") + "sub vcl_recv { call s1; }\n");
  EXPECT_NE(err.find(": subs read where they are called add up to more than 1048576 tokens"), std::string::npos)
      << err;
}

TEST(VclFile, an_if_without_a_selection_or_return_is_only_ignored) {
  vs::Vcl v = parse("vcl 4.1;\nbackend a { .host = \"10.0.0.1\"; }\n"
                    "sub vcl_recv { if (req.restarts > 0 && req.url ~ \"x\") { set req.url = \"/a\"; } }\n");
  EXPECT_TRUE(v.routes.empty());
  EXPECT_TRUE(ignored(v, "'if' in vcl_recv"));
}

TEST(VclFile, probe_rules_follow_varnishd) {
  const std::string be = "backend a { .host = \"10.0.0.1\"; .probe = p; }\n";
  vs::Vcl v = parse("vcl 4.1;\nprobe p { .threshold = 4; .initial = 9; }\n" + be);
  EXPECT_EQ(v.backends[0].probe->window, 5);  // .threshold alone: window threshold + 1
  EXPECT_EQ(v.backends[0].probe->initial, 4);  // clamped to the threshold (E1)
  EXPECT_EQ(vcl_error("vcl 4.1;\nprobe p { .threshold = 6; .window = 5; }\n" + be),
            "2:12: Threshold cannot be greater than window.");  // VCC's words (8.0.0)
  // VCC accepts zeros (the runtime uses its defaults: window 8, threshold 3, initial 2).
  vs::Vcl z = parse("vcl 4.1;\nprobe p { .window = 0; .threshold = 0; }\n" + be);
  EXPECT_EQ(z.backends[0].probe->window, 8);
  EXPECT_EQ(z.backends[0].probe->threshold, 3);
  EXPECT_EQ(z.backends[0].probe->initial, 2);
  vs::Vcl d = parse("vcl 4.1;\nprobe default { .url = \"/ok\"; }\nbackend a { .host = \"10.0.0.1\"; }\n");
  ASSERT_TRUE(d.backends[0].probe);  // `probe default` goes to backends without .probe
  EXPECT_EQ(d.backends[0].probe->url, "/ok");
}

TEST(VclFile, a_none_backend_is_a_null_one_without_a_server) {
  vs::Vcl v = parse("vcl 4.1;\nbackend default none;\nbackend a { .host = \"10.0.0.1\"; }\n"
                    "sub vcl_recv { if (req.url ~ \"^/a\") { set req.backend_hint = a; } }\n");
  ASSERT_EQ(v.backends.size(), 2u);
  EXPECT_TRUE(v.backends[0].none);
  EXPECT_EQ(v.backends[0].host, "");
  EXPECT_EQ(v.default_target.name, "default");  // varnishd's default hint: the first backend
  EXPECT_EQ(vcl_error("vcl 4.1;\nbackend default none\n"), "3:1: expected ';' after 'none', got the end of the file");
}

// `h.backend(req.http.host + "|" + req.url)`: strings and names joined, one argument.
TEST(VclFile, an_argument_may_join_strings_and_names_with_plus) {
  vs::Vcl v = parse("vcl 4.1;\nimport directors;\nbackend a { .host = \"10.0.0.1\"; }\n"
                    "sub vcl_init { new h = directors.hash(); h.add_backend(a, 1); }\n"
                    "sub vcl_recv { set req.backend_hint = h.backend(req.http.host + \"|\" + req.url); }\n");
  ASSERT_TRUE(v.directors[0].vmod_backend);
  const vs::VmodArg& arg = v.directors[0].vmod_backend->args.at(0);
  EXPECT_EQ(arg.kind, vs::VmodArg::Kind::concat);
  EXPECT_EQ(arg.text, "req.http.host + \"|\" + req.url");
  ASSERT_EQ(arg.parts.size(), 3u);
  EXPECT_EQ(arg.parts[0].kind, vs::VmodArg::Kind::ident);
  EXPECT_EQ(arg.parts[1].kind, vs::VmodArg::Kind::string);
  EXPECT_EQ(arg.parts[1].text, "|");
  EXPECT_EQ(arg.parts[2].text, "req.url");
  EXPECT_EQ(vcl_error("vcl 4.1;\nimport directors;\nbackend a { .host = \"10.0.0.1\"; }\n"
                      "sub vcl_init { new h = directors.hash(); h.add_backend(a, 1); }\n"
                      "sub vcl_recv { set req.backend_hint = h.backend(req.url + 5); }\n"),
            "5:59: only strings and names (req.url, req.http.X) join with '+' in an argument");
}

TEST(VclFile, comments_and_long_strings) {
  vs::Vcl v = parse("// c++\n/* c\n */ vcl 4.1; # shell\nbackend a { .host = {\"10.0.0.1\"}; .port = \"\"\"81\"\"\"; }\n");
  EXPECT_EQ(v.backends[0].host, "10.0.0.1:81");
}

TEST(VclFile, each_ignored_thing_is_listed_once) {
  vs::Vcl v = parse("vcl 4.1;\nbackend a { .host = \"10.0.0.1\"; }\n"
                    "sub vcl_recv { if (req.restarts > 0) { return (restart); } set req.url = \"/a\"; set req.url = \"/a\"; }\n"
                    "sub vcl_deliver { }\nsub vcl_deliver { }\n");
  ASSERT_EQ(v.ignored.size(), 3u);
  EXPECT_EQ(v.ignored[1].what, "'set req.url' in vcl_recv");
  EXPECT_EQ(v.ignored[1].count, 2);
  EXPECT_EQ(v.ignored[2].what, "sub vcl_deliver");
  EXPECT_EQ(v.ignored[2].mark.line, 4);
}

TEST(VclFile, import_from_a_path_is_a_vmods_entry_named_by_the_vcl) {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("vdisim_vcl_import_" + std::to_string(::getpid()));
  fs::create_directories(dir / "lib");
  std::ofstream(dir / "lib" / "libvmod_foo.so") << "not loaded by the loader";
  std::ofstream(dir / "a.vcl") << "vcl 4.1;\nimport foo from \"lib/libvmod_foo.so\";\nimport bar;\n"
                                  "backend a { .host = \"10.0.0.1\"; }\n";
  std::ofstream(dir / "s.yaml") << kRun << "vcls: [{name: boot, file: a.vcl}]\n";
  vs::Scenario s = vs::load_file((dir / "s.yaml").string());
  fs::remove_all(dir);
  ASSERT_EQ(s.vcls[0].imports.size(), 2u);
  EXPECT_EQ(s.vcls[0].imports[1].name, "bar");
  EXPECT_EQ(s.vcls[0].imports[1].path, "");  // bare: simrun must know the vmod
  ASSERT_EQ(s.vmods.size(), 1u);
  EXPECT_EQ(s.vmods[0].path, (dir / "lib" / "libvmod_foo.so").string());
  EXPECT_EQ(s.vmods[0].file, (dir / "a.vcl").string());  // its errors point at the import
  EXPECT_EQ(s.vmods[0].mark.line, 2);
}

// `include "FILE";` anywhere (here at the top and inside vcl_recv): a plain name from the
// VCL file's directory (vdisim's vcl_path), "./NAME" relative to the including file,
// +glob; nested; each included file's marks name it.
TEST(VclFile, include_splices_the_files_text_where_it_stands) {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("vdisim_vcl_include_" + std::to_string(::getpid()));
  fs::create_directories(dir / "inc");
  std::ofstream(dir / "main.vcl") << "vcl 4.1;\ninclude \"inc/backends.vcl\";\n"
                                     "sub vcl_recv {\n  include +glob \"./inc/rec*.vcl\";\n}\n";
  std::ofstream(dir / "inc" / "backends.vcl") << "include \"./probes.vcl\";\n"
                                                 "backend a { .host = \"10.0.0.1\"; .probe = p; }\n"
                                                 "backend b { .host = \"10.0.0.2\"; .connect_timeout = 1s; }\n";
  std::ofstream(dir / "inc" / "probes.vcl") << "probe p { .url = \"/hc\"; }\n";
  std::ofstream(dir / "inc" / "recv.vcl") << "if (req.url ~ \"^/b\") { set req.backend_hint = b; }\n";
  std::ofstream(dir / "s.yaml") << kRun << "vcls: [{name: boot, file: main.vcl}]\n";
  vs::Scenario sc = vs::load_file((dir / "s.yaml").string());
  const vs::Vcl& v = sc.vcls[0];
  ASSERT_EQ(v.includes.size(), 3u);
  EXPECT_EQ(v.includes[0], (dir / "inc" / "backends.vcl").string());
  EXPECT_EQ(v.includes[1], (dir / "inc" / "probes.vcl").string());  // "./": relative to backends.vcl
  ASSERT_EQ(v.backends.size(), 2u);
  EXPECT_EQ(v.backends[0].probe->url, "/hc");
  EXPECT_EQ(v.file_of(v.backends[1].mark), v.includes[0]);
  EXPECT_EQ(v.backends[1].mark.line, 3);
  ASSERT_EQ(v.routes.size(), 1u);
  EXPECT_EQ(v.file_of(v.routes[0].mark), v.includes[2]);
  ASSERT_EQ(v.ignored.size(), 1u);
  EXPECT_EQ(v.file_of(v.ignored[0].mark), v.includes[0]);  // backend .connect_timeout
  // An error in an included file names that file, at its own line and column.
  std::ofstream(dir / "inc" / "recv.vcl") << "set req.backend_hint = nope;\n";
  try {
    vs::load_file((dir / "s.yaml").string());
    ADD_FAILURE() << "loaded";
  } catch (const vs::LoadError& e) {
    EXPECT_EQ(e.file, (dir / "inc" / "recv.vcl").string());
    EXPECT_EQ(e.line, 1);
    EXPECT_EQ(e.col, 24);
    EXPECT_EQ(e.message, "'nope' is not a backend of this VCL");
  }
  std::ofstream(dir / "inc" / "recv.vcl") << "include \"./../main.vcl\";\n";  // a loop
  try {
    vs::load_file((dir / "s.yaml").string());
    ADD_FAILURE() << "loaded";
  } catch (const vs::LoadError& e) {
    EXPECT_NE(e.message.find("includes nested more than 10 deep"), std::string::npos) << e.message;
  }
  EXPECT_EQ(vcl_error("vcl 4.1;\ninclude +glob \"inc/*.vcl\";\n"),
            "2:15: +glob takes an absolute path or one starting with './'");
  fs::remove_all(dir);
}

TEST(VclFile, yaml_keys_that_the_file_declares_are_refused) {
  EXPECT_EQ(error_of(kRun + "vcls:\n  - {name: boot, file: x.vcl, backends: []}\n"),
            "3:31: 'backends' does not go with 'file' (the VCL file declares it)");
  EXPECT_EQ(error_of(kRun + "vcls:\n  - {name: boot, file: nope.vcl}\n"),
            "3:24: file: cannot read 'dir/nope.vcl' (relative to the scenario file)");
}

// ------------------------------------------------------------------ what VCC accepts
// Each verdict below was checked with varnishd -C (sim/peer/vcc2.yaml, docs/peer-suite.md).

TEST(VclFileVcc, a_backend_probe_acl_or_sub_nothing_refers_to_is_refused) {
  const std::string be = "backend a { .host = \"10.0.0.1\"; }\n";
  EXPECT_EQ(vcl_error("vcl 4.1;\n" + be + "backend b { .host = \"10.0.0.2\"; }\n").substr(0, 24),
            "3:9: unused backend 'b':");
  EXPECT_EQ(vcl_error("vcl 4.1;\nprobe p { .url = \"/\"; }\n" + be).substr(0, 22), "2:7: unused probe 'p':");
  EXPECT_EQ(vcl_error("vcl 4.1;\nacl local { \"127.0.0.1\"; }\n" + be).substr(0, 24), "2:5: unused acl 'local':");
  EXPECT_EQ(vcl_error("vcl 4.1;\n" + be + "sub pick { set req.backend_hint = a; }\n").substr(0, 23),
            "3:5: unused sub 'pick':");
  // the first backend is the default one; a later `backend default` takes that from it
  EXPECT_EQ(vcl_error("vcl 4.1;\n" + be + "backend default { .host = \"10.0.0.2\"; }\n").substr(0, 24),
            "2:9: unused backend 'a':");
  // references: a selection, a call, an object's method, an acl match, the default probe
  EXPECT_EQ(vcl_error("vcl 4.1;\nimport directors;\nprobe default { .url = \"/\"; }\nprobe p { .url = \"/\"; }\n" + be +
                      "backend b { .host = \"10.0.0.2\"; .probe = p; }\nacl local { \"127.0.0.1\"; }\n"
                      "sub vcl_init { new rr = directors.round_robin(); rr.add_backend(b); }\n"
                      "sub pick { set req.backend_hint = rr.backend(); }\n"
                      "sub vcl_deliver { if (client.ip ~ local) { set resp.http.local = \"1\"; } }\n"
                      "sub vcl_recv { call pick; }\n"),
            "loaded");
}

TEST(VclFileVcc, names_vcl_reserves_are_refused) {
  EXPECT_EQ(vcl_error("vcl 4.1;\nbackend vcl_foo { .host = \"10.0.0.1\"; }\n"),
            "2:9: 'vcl_foo': names vcl_* are reserved for VCL's subs");
  EXPECT_EQ(vcl_error("vcl 4.1;\nbackend req { .host = \"10.0.0.1\"; }\n"),
            "2:9: 'req' is a name VCL reserves (a keyword, action, function or variable)");
  EXPECT_EQ(vcl_error("vcl 4.1;\nimport std;\nbackend std { .host = \"10.0.0.1\"; }\n"),
            "3:9: 'std' is already the name of an imported vmod (line 2)");
  EXPECT_EQ(vcl_error("vcl 4.1;\nbackend client { .host = \"10.0.0.1\"; }\n"), "loaded");  // a prefix, not a name
}

TEST(VclFileVcc, a_probe_is_named_after_it_is_declared_and_an_inline_one_takes_no_semicolon) {
  EXPECT_EQ(vcl_error("vcl 4.1;\nbackend a { .host = \"10.0.0.1\"; .probe = p; }\nprobe p { .url = \"/\"; }\n"),
            "2:42: probe 'p' is declared after this backend (line 3); varnishd wants it before");
  EXPECT_EQ(vcl_error("vcl 4.1;\nbackend a { .host = \"10.0.0.1\"; .probe = { .url = \"/\"; }; }\n"),
            "2:57: no ';' after an inline probe's '}' (varnishd refuses it: .probe = { ... } )");
}

TEST(VclFileVcc, E1_whole_numbers_keep_their_low_32_bits_as_in_vcc) {
  vs::Vcl v = parse("vcl 4.1;\nprobe p { .initial = 4294967297; .window = 4294967300; .threshold = 4; }\n"
                    "backend a { .host = \"10.0.0.1\"; .probe = p; .max_connections = 4294967296; }\n");
  ASSERT_TRUE(v.backends[0].probe);
  EXPECT_EQ(v.backends[0].probe->window, 4);
  EXPECT_EQ(v.backends[0].probe->initial, 1);
  EXPECT_FALSE(v.backends[0].max_connections);  // 0: no limit
  v = parse("vcl 4.1;\nbackend a { .host = \"10.0.0.1\"; .max_connections = 2000000; }\n");
  EXPECT_EQ(v.backends[0].max_connections, 2000000);
  EXPECT_EQ(vcl_error("vcl 4.1;\nprobe p { .window = 4294967296; .threshold = 1; }\n"
                      "backend a { .host = \"10.0.0.1\"; .probe = p; }\n"),
            "2:34: Threshold cannot be greater than window.");
}

TEST(VclFileVcc, attributes_vdisim_ignores_are_still_checked) {
  const std::string pre = "vcl 4.1;\nbackend a { .host = \"10.0.0.1\"; ";
  EXPECT_EQ(vcl_error(pre + ".proxy_header = 3; }\n"), "2:49: .proxy_header must be 1 or 2");
  EXPECT_EQ(vcl_error(pre + ".proxy_header = 2; .host_header = \"h\"; .connect_timeout = 1.5d; }\n"), "loaded");
  EXPECT_EQ(vcl_error(pre + ".connect_timeout = 1; }\n"),
            "2:52: .connect_timeout: '1' has no unit (VCL durations need one: ms, s, m, h, d, w, y)");
  EXPECT_EQ(vcl_error(pre + ".first_byte_timeout = 10us; }\n"),
            "2:55: .first_byte_timeout: unknown duration unit 'us' (VCL's are ms, s, m, h, d, w, y)");
  EXPECT_EQ(vcl_error(pre + ".host_header = 7; }\n"), "2:48: expected a string after .host_header =, got '7'");
  EXPECT_EQ(vcl_error(pre + ".via = b; }\n"), "2:40: .via: no backend named 'b' is declared before this one");
}

TEST(VclFileVcc, addresses_are_split_and_ports_read_as_varnishd_resolves_them) {
  auto host = [](const std::string& attrs) {
    return parse("vcl 4.1;\nbackend a { " + attrs + " }\n").backends.at(0).host;
  };
  EXPECT_EQ(host(".host = \"10.0.0.1\";"), "10.0.0.1:80");
  EXPECT_EQ(host(".host = \"10.0.0.1:8080\";"), "10.0.0.1:8080");
  EXPECT_EQ(host(".host = \"::1\"; .port = \"8080\";"), "[::1]:8080");
  EXPECT_EQ(host(".host = \"[::1]:8080\";"), "[::1]:8080");
  EXPECT_EQ(host(".host = \"10.0.0.1\"; .port = \"\";"), "10.0.0.1:0");         // getaddrinfo: "" is 0
  EXPECT_EQ(host(".host = \"10.0.0.1\"; .port = \"70000\";"), "10.0.0.1:4464");  // modulo 65536
  EXPECT_EQ(vcl_error("vcl 4.1;\nbackend a { .host = \"10.0.0.1:8080\"; .port = \"81\"; }\n"),
            "2:21: backend a: bad address: '10.0.0.1:8080' is not an address (.host carries a port and .port is given too)");
  EXPECT_EQ(vcl_error("vcl 4.1;\nbackend a { .host = \"10.0.0.1\"; .port = \"4294967295\"; }\n"),
            "2:21: backend a: bad address: port '4294967295' is out of range (getaddrinfo looks it up as a service name)");
}

// ------------------------------------------------------------------ robustness
void parse_or_error(const std::string& text) {
  try {
    parse(text);
  } catch (const vs::LoadError& e) {
    EXPECT_GT(e.line, 0) << e.what();
  }
}

// Every example VCL file (the good ones of the simrun tests).
std::vector<std::string> examples() {
  std::vector<std::string> out;
  for (const char* f : {"rr_probes.vcl", "routes.vcl", "nested_hash.vcl"}) out.push_back(read_text(kDir + "/" + f));
  return out;
}

TEST(VclFileRobustness, every_truncation_of_the_examples) {
  for (const std::string& text : examples()) {
    ASSERT_FALSE(text.empty());
    for (std::size_t n = 0; n <= text.size(); ++n) parse_or_error(text.substr(0, n));
  }
}

TEST(VclFileRobustness, random_mutations_of_the_examples) {
  const char chars[] = "{}();=.\"#/*~!-+ \n\t0a_,:C\x00\xff";
  const std::string alphabet(chars, sizeof chars - 1);
  std::mt19937_64 rng(20261206);  // fixed: the test is deterministic
  std::vector<std::string> texts = examples();
  for (int i = 0; i < 6000; ++i) {
    parse_or_error(mutate(texts[i % texts.size()], rng, alphabet));
  }
}

TEST(VclFileRobustness, hostile_inputs) {
  parse_or_error(std::string(100000, '{'));
  parse_or_error("vcl 4.1;\nsub vcl_recv " + std::string(50000, '{'));
  parse_or_error("vcl 4.1;\nbackend a { .host = \"10.0.0.1\"; }\nsub vcl_init { if (" + std::string(50000, '(') + "}\n");
  parse_or_error(std::string("vcl 4.1;\0", 9));
  std::string nested;
  for (int i = 0; i < 20000; i++) nested += "x.backend(";
  EXPECT_EQ(vcl_error("vcl 4.1;\nimport directors;\nbackend a { .host = \"10.0.0.1\"; }\n"
                      "sub vcl_init { new x = directors.round_robin(); x.add_backend(" + nested + "); }\n"),
            "4:143: calls nested more than 8 deep");
}
