// Scenario model: the validated, plain-data form of a simrun YAML scenario
// (docs/scenario-format.md). The loader (loader.hpp) builds it; the runner maps it to
// actors. Never built by hand from untrusted input: every invariant noted here holds
// because the loader checked it. Durations are int64 nanoseconds (`_ns`).
#pragma once
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace vdisim::scenario {

// 1-based position of the YAML node a struct came from; {0, 0} = not from the file
// (a default filled in by the loader).
struct Mark {
  int line = 0;
  int col = 0;
  int file = 0;  // in a VCL file: 0 the file itself (Vcl::file), k its k-th included file
};

// ---------------------------------------------------------------- vcls
struct ProbeSpec {  // Varnish probe (VRT_SPEC E1); values are effective, defaults filled
  Mark mark;
  std::string url = "/";
  std::int64_t interval_ns = 5'000'000'000;
  std::int64_t timeout_ns = 2'000'000'000;
  int window = 8;           // 1..64
  int threshold = 3;        // 1..window
  int initial = 2;          // unset: threshold-1; set: min(initial, threshold) (E1)
  int expected_status = 200;
};

struct BackendDecl {  // a VCL `backend NAME { .host; .port; .probe }`
  Mark mark;
  std::string name;
  std::string host;  // "host:port" as written; the simulated server's identity
  std::optional<ProbeSpec> probe;
  std::optional<int> max_connections;  // >= 1
  bool none = false;  // `backend NAME none;` (a VCL file): NULL, no server (host "")
  bool made_at_runtime = false;  // by a timeline `backend_new:` (VRT_new_backend), not in vcl_init
};

enum class DirectorType { round_robin, fallback, random, hash, shard, dynamic, mutant, vmod };

// A vmod call written in VCL syntax (`mydir.resolver(ttl = 1s)`, `d.add_backend(web1)`),
// parsed but not type-checked: the runner checks it against the vmod's .vcc signature
// (sim/runner/vmod_registry.hpp). Marks point into the YAML file, or into the VCL file
// of the Vcl that holds the call (Vcl::file).
struct VmodCall;

struct VmodArg {
  enum class Kind { string, number, duration, boolean, ident, call, concat };
  Mark mark;
  std::string name;  // `name = value`; "" when positional
  Kind kind = Kind::ident;
  std::string text;  // string contents, identifier, or the literal as written
  double number = 0;              // number
  std::int64_t duration_ns = 0;   // duration
  bool boolean = false;           // boolean
  // call: a method call whose value is the argument, as VCL nests them
  // (`fb.add_backend(d.backend("api.example"))`); text is the call as written.
  std::shared_ptr<const VmodCall> call;
  // concat: strings and names joined with `+` (`req.http.host + req.url`), a STRING or
  // STRANDS made when the call runs; text is the whole as written.
  std::vector<VmodArg> parts;
};

struct VmodCall {
  Mark mark;
  std::string object;  // `new`: the vmod name; else the object the method is called on
  std::string method;  // `new`: the object type; else the method name
  std::vector<VmodArg> args;
  std::string text;    // as written
};

struct DirectorOptions {  // every field defaulted; only those of the type were accepted
  bool sticky = false;                     // fallback
  std::string hash_key = "url";            // hash: url | host | client_identity
  int replicas = 67;                       // shard: 1..1000
  std::string shard_by = "hash";           // shard: hash | url | key
  double warmup = 0.0;                     // shard: 0..1
  std::int64_t rampup_ns = 0;              // shard
  std::string resolver;                    // dynamic: name in Scenario::resolvers
  std::int64_t ttl_ns = 10'000'000'000;    // dynamic: re-resolve period
  std::optional<ProbeSpec> probe;          // dynamic: probe for created backends
  std::map<std::string, Mark> given;       // options present in the file -> value position
};

enum class TargetKind { backend, director };

struct Member {  // a director member: a backend or an earlier director of the same VCL
  Mark mark;
  std::string name;
  TargetKind kind = TargetKind::backend;
  std::size_t index = 0;  // into Vcl::backends or Vcl::directors (always < own index)
  double weight = 1.0;    // >= 0; only random/hash/shard/mutant accept non-default
};

struct Director {
  Mark mark;
  std::string name;
  DirectorType type = DirectorType::round_robin;
  std::string type_text;    // as written: "fallback", "mutant:rr_stale_cursor"
  std::string mutant_name;  // for mutant: the part after "mutant:"
  DirectorOptions options;
  std::vector<Member> members;  // empty for dynamic
  // vmod: `new` (type_text is "vmod.object"), calls run after the members in vcl_init,
  // the pick (`.backend()` for requests) and the call fed with resolver answers.
  std::optional<VmodCall> vmod_new;
  std::vector<VmodCall> vmod_init;
  std::optional<VmodCall> vmod_backend;
  std::optional<VmodCall> vmod_update;
  bool made_at_runtime = false;  // by a timeline `new:` (its constructor in a task), not in vcl_init
};

enum class VclEvent { load, warm, cold, discard };

// `import NAME;` / `import NAME from "PATH";` of a VCL file. A path becomes a
// Scenario::vmods entry; a bare import names a vmod simrun must have (built in, --vmod
// or `vmods:`), which simrun checks before any run.
struct VclImport {
  Mark mark;
  std::string name;
  std::string path;  // resolved against the .vcl's directory; "" for a bare import
};

// Something a VCL file says that vdisim does not model (a sub, a statement, a backend
// attribute): skipped, listed once (first position) so simrun can say so.
struct VclIgnored {
  Mark mark;
  std::string what;  // "sub vcl_deliver", "backend attribute .connect_timeout"
  int count = 1;     // occurrences in the file
};

struct Target {  // what requests resolve: a backend or director of the VCL
  Mark mark;
  std::string name;
  TargetKind kind = TargetKind::backend;
  std::size_t index = 0;
  // A VCL file's `return (vcl(LABEL))` in vcl_recv: the request goes on in the VCL the
  // label points at then (docs/cli-rules.md L6); name/kind/index are unused.
  std::string label;
};

// A condition of an `if` in a VCL file's vcl_recv / vcl_backend_fetch, on what every
// request carries (docs/scenario-format.md "traffic"): its URL (`/obj/K`), method (GET),
// protocol (HTTP/1.1) and headers (Host `hK.example`, and what its traffic's `headers:`
// set); in vcl_backend_fetch the same through bereq.*. A comparison, a header's presence
// (`if (req.http.X)`), `std.healthy(...)` of the hint so far, a backend or an object's
// pick (VRT_Healthy when the request gets there), or `&&` / `||` over conditions.
struct RouteCond {
  enum class Kind { compare, present, healthy, all, any };  // all: `&&` of kids; any: `||` of kids
  enum class Field { url, method, proto, header };
  enum class Op { match, equal };  // `~` (a PCRE2 regex, as in VCL) or `==`
  Mark mark;
  Kind kind = Kind::compare;
  Field field = Field::url;  // compare
  std::string header;        // Field::header, present: the name as written (any case matches)
  Op op = Op::match;         // compare
  bool negate = false;  // `!~`, `!=`, `!(...)`, or the way into an `else`
  std::string value;    // compare: the regex or the string
  std::vector<RouteCond> kids;  // all, any: two or more
  Target target;  // healthy: a backend or director (its pick call); name "" = the hint so far
};

// A piece of a header value vcl_recv sets (`"mobile-" + req.http.User-Agent`): a string,
// or a part of the request as it is when the statement runs.
struct RequestPart {
  Mark mark;
  bool literal = true;
  std::string text;                                // literal: the string
  RouteCond::Field field = RouteCond::Field::url;  // else: what it reads
  std::string header;                              // Field::header: the name as written
};

// A statement of vcl_recv / vcl_backend_fetch that decides where a request goes, under
// the `if`s around it: a selection (`set req.backend_hint` / `set bereq.backend`, or
// `return (vcl(LABEL))`: Target::label), or a `return` that ends the sub.
struct Route {
  enum class Action {
    select,  // target
    end,     // return (pass), (hash), vcl_backend_fetch's (fetch): the sub ends with the hint so far
    pipe,    // return (pipe): the fetch with the hint so far, without vcl_backend_fetch
    synth,   // return (synth(N)), (purge); vcl_backend_fetch's (error(N)), (abandon): no fetch
    fail,    // return (fail): the task fails (503)
    set_header,    // set req.http.NAME = VALUE (bereq.http in vcl_backend_fetch)
    unset_header,  // unset req.http.NAME
  };
  Mark mark;
  std::vector<RouteCond> when;  // all must hold; empty: unconditional
  Action action = Action::select;
  Target target;               // select
  int status = 0;              // synth: what the client gets
  bool backend_fetch = false;  // a statement of vcl_backend_fetch (runs after vcl_recv's)
  std::string header;          // set_header, unset_header: NAME as written
  std::vector<RequestPart> value;  // set_header: joined in order
};

struct Vcl {
  Mark mark;
  std::string name;
  // `file:`: the .vcl it was read from (resolved path). The marks of its backends,
  // directors, calls and default target point into that file; "" = the scenario file.
  std::string file;
  std::string source;               // that file's text (vcl.show); "" for a YAML VCL
  std::vector<std::string> includes;  // files it `include`s (resolved paths; Mark::file k is includes[k-1])
  std::vector<VclImport> imports;   // file order
  std::vector<VclIgnored> ignored;  // file order of first occurrence
  std::vector<BackendDecl> backends;
  std::vector<Director> directors;  // creation (vcl_init) order; members point backwards
  Target default_target;  // `default:`; else last director, else first backend. A VCL file:
                          // the last `set req.backend_hint` / `set bereq.backend`, else
                          // its first backend (varnishd's default backend)
  // VCL files only (empty for YAML, and for a file whose selections are all unconditional,
  // which default_target says): every selection and `return` of vcl_recv, then of
  // vcl_backend_fetch, in the order they run. A request starts at the first backend
  // (varnishd's default hint) and goes through them; the last selection that applies
  // picks, a `return` that applies ends the sub.
  std::vector<Route> routes;
  std::vector<VclEvent> expect_events;  // vmod events the VCL must see, in order; empty = no check

  // The file a mark of this VCL points into: its own, one it includes, or "" (the scenario's).
  const std::string& file_of(Mark m) const { return m.file > 0 ? includes.at(m.file - 1) : file; }

  const BackendDecl* find_backend(const std::string& n) const {
    for (const auto& b : backends) if (b.name == n) return &b;
    return nullptr;
  }
  const Director* find_director(const std::string& n) const {
    for (const auto& d : directors) if (d.name == n) return &d;
    return nullptr;
  }
};

// ---------------------------------------------------------------- server behaviour
struct Distribution {  // of a latency; a plain duration in YAML means fixed
  enum class Kind { fixed, uniform, exponential };
  Mark mark;
  Kind kind = Kind::fixed;
  std::int64_t value_ns = 5'000'000;  // fixed
  std::int64_t min_ns = 0;            // uniform: [min, max]
  std::int64_t max_ns = 0;            // uniform upper bound; exponential cap (0 = none)
  std::int64_t mean_ns = 0;           // exponential
};

enum class ServerState { up, down, refuse, timeout };  // down: no answer; refuse: RST;
                                                        // timeout: connects, never answers
enum class BehaviorMode { up, down, refuse, slow, errors, timeout, flap, script };

struct ScriptStep {
  Mark mark;
  std::int64_t at_ns = 0;  // strictly increasing within a script
  ServerState state = ServerState::up;
  std::optional<Distribution> latency;  // from this step on, instead of the server's
};

// How a server answers one connection, a probe poll (`probes:`) or a request's fetch
// (`requests:`): a status line, a connection closed without a byte (`empty`), no answer
// (`timeout`), or a refused connection.
struct ServerAnswer {
  enum class Kind { status, empty, timeout, refuse };
  Mark mark;
  Kind kind = Kind::status;
  int status = 200;
  std::optional<std::int64_t> after_ns;  // `{status: 200, after: 300ms}`; else `latency`
};

struct Behavior {  // how one simulated server (host:port) behaves over virtual time
  Mark mark;
  std::string key;   // as written: a backend name or "host:port"
  std::string host;  // resolved "host:port"; unique among behaviours
  BehaviorMode mode = BehaviorMode::up;
  Distribution latency;               // response time when answering (all modes)
  int error_status = 503;             // errors
  double error_rate = 0.0;            // errors: 0..1
  std::int64_t period_ns = 0;         // flap: > 0
  double duty = 0.5;                  // flap: fraction of the period spent up, 0..1
  std::int64_t jitter_ns = 0;         // flap: each edge moves by up to +-jitter (< period/2)
  ServerState down_as = ServerState::down;  // flap: state of the off phase
  std::vector<ScriptStep> script;     // script: up before the first step
  std::vector<ServerAnswer> probes;   // all modes: the first polls' answers, in poll order
  std::vector<ServerAnswer> requests; // all modes: the first fetches' answers, in fetch order
};

struct ResolverAnswer {
  Mark mark;
  std::int64_t at_ns = 0;          // strictly increasing; empty answer before the first
  std::vector<std::string> hosts;  // "host:port", may be empty
};

struct Resolver {  // a fake DNS name for dynamic directors
  Mark mark;
  std::string name;
  std::vector<ResolverAnswer> answers;
};

// ---------------------------------------------------------------- dns
// What getaddrinfo in vmod code answers for a name (sim/fake_vrt/dns.hpp), over time.
enum class DnsAnswerKind { addresses, nxdomain, servfail, refused, timeout };

struct DnsStep {  // from at_ns until the next step
  Mark mark;
  std::int64_t at_ns = 0;  // 0 <= at < run.duration; strictly increasing within a name
  DnsAnswerKind kind = DnsAnswerKind::addresses;
  // addresses: canonical "10.0.0.1", "10.0.0.1:80", "2001:db8::1", "[2001:db8::1]:80";
  // may be empty (the name exists without records: EAI_NODATA)
  std::vector<std::string> addresses;
  std::int64_t ttl_ns = 0;      // addresses, nxdomain only: a cache on the host serves it
  std::int64_t latency_ns = 0;  // per lookup; timeout: 0 = the resolver's 5 s
};

struct DnsName {
  Mark mark;
  std::string name;  // lower case, no trailing dot; unique; never a numeric address
  std::vector<DnsStep> steps;  // NXDOMAIN before the first
};

// ---------------------------------------------------------------- traffic
struct KeySpec {
  enum class Dist { uniform, zipf, sequence };  // sequence: 0, 1, ..., count-1, 0, ...
  Mark mark;
  Dist dist = Dist::uniform;
  std::int64_t count = 1000;  // keys 0..count-1
  double s = 1.0;             // zipf exponent (> 0)
};

// A value each request of a generator takes (`urls:`, each header of `headers:`): the
// values in turn, again and again (a list), or drawn by weight from the generator's PRNG
// stream (`{weights: {VALUE: W, ...}}`).
struct ValueChoice {
  Mark mark;
  std::vector<std::string> values;  // at least one
  std::vector<double> weights;      // empty: in turn; else one per value, >= 0, sum > 0
};

struct HeaderChoice {  // `headers: {X-Key: [a, b]}`: req.http.X-Key of each request
  Mark mark;
  std::string name;    // as written; unique ignoring case
  ValueChoice values;
};

struct Traffic {
  enum class Arrival { poisson, uniform };
  Mark mark;
  std::string name;      // default "traffic<i>"
  std::string vcl;       // empty: the active VCL when each request starts
  std::string director;  // empty: the VCL's default target; else a backend/director name
  std::optional<double> rate;       // open loop, req/s (> 0); exactly one of rate/concurrency
  std::optional<int> concurrency;   // closed loop, clients
  Arrival arrival = Arrival::poisson;  // rate only
  std::int64_t think_time_ns = 0;      // concurrency only
  std::int64_t start_ns = 0;
  std::int64_t duration_ns = 0;        // filled: default run.duration - start
  std::optional<std::int64_t> requests;  // at most this many requests in all, then the generator stops
  // vcl_recv sets req.backend_hint to the pick, then this much later `set req.backend_hint =
  // req.backend_hint;` (a self-assignment while the request holds it: A5)
  std::optional<std::int64_t> hint_again_ns;
  KeySpec keys;
  std::optional<ValueChoice> urls;   // replaces /obj/K
  std::vector<HeaderChoice> headers; // Host replaces hK.example; others are added
  std::optional<Distribution> request_duration;  // overrides the server's latency
  // VCL run in vcl_recv before the request resolves: vmod method calls on the objects of
  // the request's VCL (`rr.remove_backend(web3)`), for a share of the requests.
  std::vector<VmodCall> vcl_recv;
  double vcl_recv_share = 1.0;  // 0..1
  // VCL run in vcl_backend_response, once the backend answered (ctx->bo, director_resp
  // set; `saintmode.denylist(10s)`), for a share of the fetches.
  std::vector<VmodCall> vcl_backend_response;
  double vcl_backend_response_share = 1.0;  // 0..1
};

// ---------------------------------------------------------------- timeline
enum class OpKind {
  vcl_load, vcl_use, vcl_state, vcl_discard, vcl_label,
  backend_set_health, backend_add, backend_remove, resolver_answer, vmod_call, backend_list,
  vcl_list, vcl_show,
  object_new, object_fini, backend_new, backend_delete,  // objects of `vcl` made and ended at run time
  request  // requests sent from the timeline's actor, one after another
};
enum class VclState { cold, warm, auto_ };
enum class AdminHealth { auto_, sick, healthy };

struct TimelineOp {  // entries are in non-decreasing `at` order; equal times run in order
  Mark mark;
  std::int64_t at_ns = 0;
  OpKind kind = OpKind::vcl_load;
  std::string vcl;                   // vcl.*; backend.add/remove: VCL of `director` or "";
                                     // vcl.discard: its names and globs as written;
                                     // vcl.use/state/discard may name a label (L1)
  std::string label;                 // vcl.label LABEL VCL: the label (`vcl` is the VCL)
  std::vector<std::string> discard;  // vcl.discard: the VCLs and labels they match, each
                                     // label before the VCL it points at (L4)
  VclState vcl_state = VclState::auto_;       // vcl.state; vcl.load's optional state
  std::string backend;               // set_health, backend.list: pattern "[vcl.]name" (globs * ?;
                                     // backend.list: "" is every director of the active VCL);
                                     // backend.add/remove: "host:port"
  AdminHealth health = AdminHealth::auto_;    // backend.set_health
  std::string director;              // backend.add/remove: dynamic director name
  std::string resolver;              // resolver.answer
  std::vector<std::string> answer;   // resolver.answer: "host:port"...
  bool list_details = false;         // backend.list -p
  bool list_json = false;            // backend.list -j, vcl.list -j
  bool show_verbose = false;         // vcl.show -v
  std::string source;                // vcl.inline: the VCL text (the op is a vcl_load of the
                                     // Vcl it added to Scenario::vcls)
  VmodCall call;                     // call: a method call, run in a client task of `vcl`
                                     // (or of the active VCL when `vcl` is "")
  std::string actor;                 // "" : the CLI thread (a call or object op: an actor of its
                                     // own); else the named actor, which runs its entries in
                                     // file order, each after the one before has ended
  std::shared_ptr<const Traffic> requests;  // request: what they ask for (director, vcl, hint_again)
  std::int64_t key = 0;              // request: each asks for request key K (/obj/K)
  std::int64_t count = 1;            // request: how many, one after another
  std::string object;                // new, fini, backend_new, backend_delete: the director or
                                     // backend of `vcl` (made_at_runtime for new and backend_new)
  std::string text;                  // canonical CLI-like form, e.g. "vcl.state boot cold"
};

// A command a monitoring tool runs over and over (`cli_poll:`): `op` at start, start +
// every, ... until the run ends, serialized with the timeline on the CLI thread.
struct CliPoll {
  Mark mark;
  TimelineOp op;  // backend.list
  std::int64_t every_ns = 0;
  std::int64_t start_ns = 0;
};

// ---------------------------------------------------------------- run, expect, runtime

struct RunSpec {
  enum class Strategy { random, pct, pos, portfolio, replay };
  Mark mark;
  std::int64_t duration_ns = 0;  // required, > 0
  std::uint64_t seed_first = 1;
  std::uint64_t seed_last = 1;   // >= seed_first, at most sim::SeedRange::kMaxSeeds seeds
  Strategy strategy = Strategy::random;
  std::string strategy_text = "random";  // canonical: "random", "pct:3", "pos", "replay:FILE"
  int pct_depth = 3;                     // pct, 1..64 (sim::StrategySpec)
  std::int64_t pct_steps = 0;            // pct: racing steps its change points spread over (0: the core's default)
  std::string replay_file;               // replay, as written (relative to the scenario dir)
  std::uint64_t step_budget = 50'000'000;
  std::uint64_t max_trace_events = 1'000'000;
  bool teardown = true;  // after `duration`: drain requests, discard every VCL, check leaks
  std::vector<std::int64_t> quiescent_ns;  // ascending: the CLI thread polls the VCLs (a model's checks)
};

struct ShareRange {
  Mark mark;
  std::string key;   // as written
  std::string host;  // resolved server "host:port"
  double min = 0.0, max = 1.0;  // fraction of backend-bound requests, 0 <= min <= max <= 1
};

struct DiscardDeadline {
  Mark mark;
  std::string vcl;
  std::int64_t by_ns = 0;  // a vcl.discard of it is in the timeline at or before this
};

struct Expect {
  Mark mark;
  bool invariants = true;
  std::vector<ShareRange> share;
  std::optional<std::int64_t> max_sick_requests;
  std::vector<DiscardDeadline> discarded_by;
  bool all_directors_destroyed = false;
  bool no_deadlock = true;
  std::optional<std::string> failure;  // rule id; when set, no other expectation is set
  Mark failure_mark;
};

enum class Regression {
  assign_deref_first, delete_asserts_sole_ref,
  vmod_cold_before_directors, add_director_blocks_when_cooling
};

struct RegressionSwitch {
  Mark mark;
  Regression which = Regression::assign_deref_first;
  std::string name;
};

struct Runtime {
  Mark mark;
  std::vector<RegressionSwitch> regressions;  // no duplicates; print loudly when non-empty
};

// A vmod loaded from its shared library, as varnishd loads one (`vmods:`).
struct VmodFile {
  Mark mark;
  std::string text;  // as written
  std::string path;  // resolved against the directory of the file it is written in
  std::string file;  // `import NAME from "PATH"`: the .vcl (mark points there); "" = `vmods:`
};

// ---------------------------------------------------------------- the scenario
struct Scenario {
  Mark mark;
  std::string file;  // as given to the loader
  int version = 1;
  std::string name;  // default: file stem
  std::string description;
  std::vector<Vcl> vcls;  // non-empty; vcls[0] is loaded and active at t=0 ("boot")
  std::vector<Behavior> behaviors;  // servers without one are `up` with default latency
  std::vector<Resolver> resolvers;
  std::vector<DnsName> dns;  // file order
  std::vector<Traffic> traffic;
  std::vector<TimelineOp> timeline;
  std::vector<CliPoll> cli_polls;
  RunSpec run;
  Expect expect;
  Runtime runtime;
  std::vector<VmodFile> vmods;  // file order, each path once

  const Vcl* find_vcl(const std::string& n) const {
    for (const auto& v : vcls) if (v.name == n) return &v;
    return nullptr;
  }
  const Resolver* find_resolver(const std::string& n) const {
    for (const auto& r : resolvers) if (r.name == n) return &r;
    return nullptr;
  }
  const DnsName* find_dns(const std::string& n) const {
    for (const auto& d : dns) if (d.name == n) return &d;
    return nullptr;
  }
  const Behavior* find_behavior(const std::string& host) const {
    for (const auto& b : behaviors) if (b.host == host) return &b;
    return nullptr;
  }
};

const char* to_string(DirectorType t);
const char* to_string(ServerState s);
const char* to_string(BehaviorMode m);
const char* to_string(OpKind k);
const char* to_string(VclState s);
const char* to_string(AdminHealth h);
const char* to_string(VclEvent e);
const char* to_string(Regression r);
const char* to_string(DnsAnswerKind k);

}  // namespace vdisim::scenario
