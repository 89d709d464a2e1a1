// Internal to the scenario loader: one parser per top-level section. Each checks types,
// units and ranges, and names against the sections parsed before it, so every error
// points at the exact node. Never included outside sim/scenario.
#pragma once
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <utility>

#include "sim/scenario/model.hpp"
#include "sim/scenario/yaml_reader.hpp"

namespace vdisim::scenario::detail {

// Input sizes the loader accepts (docs/limits.md): a bigger file is an error at 1:1 and is
// never read whole (a device or a huge file costs at most this much memory).
constexpr std::size_t kMaxScenarioFileBytes = 4u << 20;
constexpr std::size_t kMaxVclFileBytes = 4u << 20;

// At most max_bytes + 1 bytes of the file at path (one more says it is bigger), or nullopt
// when it cannot be read (missing, unreadable, a directory).
std::optional<std::string> read_file_prefix(const std::string& path, std::size_t max_bytes);

// Sections are parsed in this order; each may look at the sections before it in `s`.
RunSpec parse_run(const Ctx& ctx, const Field& f);
std::vector<Resolver> parse_resolvers(const Ctx& ctx, const Field& f, const RunSpec& run);
std::vector<DnsName> parse_dns(const Ctx& ctx, const Field& f, const RunSpec& run);  // loader_dns.cpp
std::vector<Vcl> parse_vcls(const Ctx& ctx, const Field& f);
std::vector<TimelineOp> parse_timeline(const Ctx& ctx, const Field& f, Scenario& s);  // vcl.inline adds VCLs
std::vector<CliPoll> parse_cli_polls(const Ctx& ctx, const Field& f, const Scenario& s);
std::vector<Behavior> parse_behaviors(const Ctx& ctx, const Field& f, const Scenario& s);
std::vector<Traffic> parse_traffic(const Ctx& ctx, const Field& f, const Scenario& s);
Expect parse_expect(const Ctx& ctx, const Field& f, const Scenario& s);
Runtime parse_runtime(const Ctx& ctx, const Field& f);

ProbeSpec parse_probe(const Ctx& ctx, const Field& f);
// The director (or backend) requests send to exists in vcl, or without one in every VCL
// that becomes active (loader_servers.cpp).
void check_target(const Ctx& ctx, const Scenario& s, const Field& f, const std::string& vcl);
// A timeline `new:` (a director entry, as in `directors:`) or `backend_new:` (a backend
// entry): parsed by the same readers and added to v, made_at_runtime; returns its name.
std::string add_runtime_object(const Ctx& ctx, const Field& f, Vcl& v, bool backend);

// ---- directors made by vmod objects (loader_vmod.cpp): `new: VMOD.OBJECT(...)` etc.
bool is_vmod_director(const MapReader& m);
// `type: VMOD.OBJECT`: the object made with its constructor's defaults (`new: VMOD.OBJECT()`).
bool vmod_type_shorthand(const Field& f, Director& d);
void parse_vmod_director(const Ctx& ctx, const MapReader& m, Director& d);
// One `OBJ.METHOD(ARGS)` call (a traffic generator's vcl_recv).
VmodCall parse_method_call(const Ctx& ctx, const Field& f);
// A number or duration argument from its text (a.text): sets kind and value; "" or why not.
std::string read_vmod_number(VmodArg& a);
void reject_vmod_keys(const Ctx& ctx, const MapReader& m);  // init/backend/... without new
void check_vmod_objects(const Ctx& ctx, const Vcl& v);      // init calls name earlier objects
// `file: X.vcl` of a vcls entry (vcl_reader.hpp): reads the VCL file into v (backends,
// probes, vcl_init objects, the backend selection, imports, what it ignores); errors name
// the .vcl file. parse_vcl_text is the same on text already read (the tests use it).
void read_vcl_file(const Ctx& ctx, const Field& f, Vcl& v);
void parse_vcl_text(const Ctx& vcl_ctx, std::string_view text, Vcl& v);
Distribution parse_distribution(const Ctx& ctx, const Field& f);

// An `at`/time field that must fall inside the run: 0 <= t < run.duration.
std::int64_t read_time_in_run(const Ctx& ctx, const Field& f, const RunSpec& run);

// ---- cross-references (references.cpp)
// Dynamic directors name defined resolvers.
void check_director_resolvers(const Ctx& ctx, const Scenario& s);
// A VCL by name; "unknown vcl 'x'; did you mean 'y'?".
const Vcl& ref_vcl(const Ctx& ctx, const Scenario& s, const Field& f);
Vcl& ref_vcl(const Ctx& ctx, Scenario& s, const Field& f);  // the same, to add to it
// A server key (backend name or "host:port") -> "host:port"; needs vcls and timeline.
std::string ref_server(const Ctx& ctx, const Scenario& s, const Field& f);
// Names of the VCLs that are ever active, with the time each becomes active.
std::vector<std::pair<std::string, std::int64_t>> active_vcls(const Scenario& s);

// VCL lifecycle as the timeline drives it, checked op by op in time order
// (vcl_lifecycle.cpp).
struct VclStates {
  std::vector<std::string> loaded;  // VCLs, in load order
  std::string active;               // a VCL or a label
  std::vector<std::string> cold;    // loaded VCLs whose state is cold (L3)
  std::vector<std::string> labels;  // in creation order (L1)
  // (from, to): a label and the VCL it points at; a VCL and a label it switches to (L2, L4)
  std::vector<std::pair<std::string, std::string>> deps;
};
using ArgMarks = std::map<std::string, Mark>;
void check_vcl_op(const Ctx& ctx, const Scenario& s, VclStates& st, TimelineOp& op, const ArgMarks& marks);
// The first VCL is loaded before any label exists: it cannot return (vcl(LABEL)) (L6).
void check_first_vcl(const Ctx& ctx, const Scenario& s);
void check_timeline_op(const Ctx& ctx, const Scenario& s, VclStates& st, TimelineOp& op,
                       const ArgMarks& marks);

}  // namespace vdisim::scenario::detail
