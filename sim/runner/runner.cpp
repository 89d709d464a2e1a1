// Scenario runner: builds endpoints from behaviours, loads VCLs (backends, director
// objects), plays the timeline on a CLI actor, drives traffic and resolvers, then judges
// the expectations.
#include "sim/runner/runner.hpp"

#include <fmt/compile.h>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <optional>

#include "sim/fake_vrt/backend.hpp"
#include "sim/fake_vrt/request.hpp"
#include "sim/fake_vrt/vpi.hpp"
#include "vcl.h"
#include "sim/fake_vrt/runtime.hpp"
#include "sim/fake_vrt/vmod_os.hpp"
#include "sim/runner/short_types.hpp"
#include "sim/runner/vmod_registry.hpp"
#include "sim/runner/keys.hpp"
#include "sim/runner/routes.hpp"
#include "sim/runner/judge.hpp"
#include "sim/runner/loaded_vcl.hpp"
#include "sim/runner/resolvers.hpp"
#include "sim/runner/teardown.hpp"
#include "sim/runner/runtime_objects.hpp"
#include "sim/runner/scenario_convert.hpp"
#include "sim/sync.hpp"

namespace vdisim::runner {

namespace sc = vdisim::scenario;
using vrt::Runtime;

namespace {

class ScenarioRun {
 public:
  ScenarioRun(const sc::Scenario &s, const RunRequest &req)
      : sc_(s), sim_(options(s, req)), rt_(sim_, regressions(s)), request_log_(req.request_log),
        on_event_(req.on_event), on_request_(req.on_request),
        quiescent_at_(req.quiescent_at.empty() ? s.run.quiescent_ns : req.quiescent_at),
        on_quiescent_(req.on_quiescent) {}

  RunResult run() {
    res_.vcl_log.reserve(16);  // a short run's lifecycle lines without a reallocation
    sim_.trace().set_hook([this](const sim::EventView &e) { observe(e); });
    setup_endpoints();
    install_dns();
    sim_.spawn("cli", [this] { cli(); }, false, vrt::kThreadStackBytes);  // varnishd's main thread
    sim_.spawn("vcl_poll", [this] { poller(); }, /*daemon=*/true);
    if (!quiescent_at_.empty()) sim_.spawn("quiescent", [this] { quiescent(); }, false, vrt::kThreadStackBytes);
    res_.report = sim_.run();
    rt_.check_end();
    check_finished(sim_, sc_, progress_);
    res_.report.failure = sim_.failure();
    collect();
    judge();
    return std::move(res_);
  }

 private:
  static sim::RunOptions options(const sc::Scenario &s, const RunRequest &req) {
    sim::RunOptions o;
    o.seed = req.seed;
    o.strategy = req.strategy;
    if (o.strategy.pct_steps == 0) o.strategy.pct_steps = s.run.pct_steps;
    o.end_ns = s.run.duration_ns + (s.run.teardown ? kTeardownLimitNs : 0);
    o.step_budget = s.run.step_budget;
    o.keep_trace = req.keep_trace;
    o.max_trace_events = s.run.max_trace_events;
    o.keep_choices = req.keep_choices;
    o.keep_decisions = req.keep_decisions;
    o.coverage = req.coverage;
    return o;
  }

  static vrt::Regressions regressions(const sc::Scenario &s) {
    vrt::Regressions r;
    for (const auto &sw : s.runtime.regressions) r.set(sw.name);
    return r;
  }

  void observe(const sim::EventView &e) {
    if (on_event_) on_event_(e);
    if (e.topic == "vcl") res_.vcl_log.emplace_back(e.time_ns, e.text);
    if (e.topic == "vcl" && e.text.size() > 10 && e.text.ends_with(" discarded"))
      observed_.discarded_at[std::string(e.text.substr(0, e.text.size() - 10))] = e.time_ns;
  }

  void setup_endpoints() {
    std::vector<std::string> hosts;
    for (const auto &v : sc_.vcls)
      for (const auto &b : v.backends)
        if (!b.none) hosts.push_back(b.host);
    for (const auto &r : sc_.resolvers)
      for (const auto &a : r.answers) hosts.insert(hosts.end(), a.hosts.begin(), a.hosts.end());
    for (const auto &op : sc_.timeline) {
      if (op.kind == sc::OpKind::backend_add) hosts.push_back(op.backend);
      if (op.kind == sc::OpKind::resolver_answer) hosts.insert(hosts.end(), op.answer.begin(), op.answer.end());
    }
    for (const auto &b : sc_.behaviors) hosts.push_back(b.host);
    for (const auto &n : sc_.dns)  // dns answers with a port name a server
      for (const auto &st : n.steps)
        for (const auto &a : st.addresses)
          if (a.front() == '[' || std::count(a.begin(), a.end(), ':') == 1) hosts.push_back(a);
    std::sort(hosts.begin(), hosts.end());
    hosts.erase(std::unique(hosts.begin(), hosts.end()), hosts.end());
    for (const auto &h : hosts) {
      vrt::EndpointSpec e = endpoint_of(sc_.find_behavior(h));
      rt_.backends().add_endpoint(h, e, sim_.prng().stream("endpoint " + h).next());
    }
  }

  // The dns: section answers getaddrinfo in vmod code (sim/fake_vrt/dns.hpp).
  void install_dns() {
    static_assert(static_cast<int>(sc::DnsAnswerKind::timeout) == static_cast<int>(vrt::DnsStep::Kind::Timeout));
    for (const auto &n : sc_.dns) {
      std::vector<vrt::DnsStep> steps;
      for (const auto &st : n.steps)
        steps.push_back({st.at_ns, static_cast<vrt::DnsStep::Kind>(st.kind), st.addresses, st.ttl_ns, st.latency_ns});
      os_.dns().set(n.name, std::move(steps));
    }
  }

  LoadedVcl &load(const sc::Vcl &model, sc::VclState state = sc::VclState::auto_) {
    auto lv = std::make_unique<LoadedVcl>();
    lv->model = &model;
    if (!model.routes.empty() || !model.default_target.label.empty()) lv->routes = std::make_unique<VclRoutes>(model);
    LoadedVcl *raw = lv.get();
    raw->v = rt_.vcl_load(model.name, imports(*raw), [this, raw, &model](VRT_CTX) { vcl_init(ctx, *raw, model); },
                          sc::to_string(state));
    raw->v->source = model.source;  // vcl.show
    raw->v->source_name = model.file;
    loaded_.push_back(std::move(lv));
    // Dynamic directors, the real one and its mutants: whatever follows a resolver.
    for (std::size_t i = 0; i < raw->directors.size(); i++)
      if (raw->directors[i] && DynamicResolvers::follows(model.directors[i])) resolvers_.start(*raw, i);
    return *raw;
  }

  // `import <vmod>;` for each vmod the VCL uses, as VCC requires one: whose objects it
  // declares (declaration order), that its file imports, whose functions its vcl_init or
  // the traffic's VCL calls. The runtime sends their $Event functions the VCL's events.
  std::vector<vrt::VmodHook> imports(LoadedVcl &lv) {
    std::vector<std::string> used;
    for (const auto &d : lv.model->directors) {
      used.push_back(director_type_name(d));
      for (const auto &c : d.vmod_init) used.push_back(c.object);
    }
    for (const auto &i : lv.model->imports) used.push_back(i.name);
    for (const auto &t : sc_.traffic) {
      for (const auto &c : t.vcl_recv) used.push_back(c.object);
      for (const auto &c : t.vcl_backend_response) used.push_back(c.object);
    }
    return vmod_imports(used, lv.vmod_privs);
  }

  void vcl_init(VRT_CTX, LoadedVcl &lv, const sc::Vcl &model) {
    for (const auto &b : model.backends) {
      if (b.none || b.made_at_runtime) lv.backends.push_back(nullptr);
      if (b.made_at_runtime) continue;  // a timeline backend_new: makes it
      if (b.none) {  // `backend NAME none;`: a NULL backend, as VCC makes it
        vmod::declare_none_backend(ctx, b.name);
        continue;
      }
      const struct vrt_backend_probe *probe = nullptr;
      if (b.probe) {
        lv.probes.push_back(probe_of(*b.probe));
        probe = &lv.probes.back();
      }
      lv.backends.push_back(
          vrt::vcl_backend(ctx, b.name, b.host, probe, static_cast<unsigned>(b.max_connections.value_or(0))));
      vmod::declare_probe(ctx, b.name, probe);  // a vmod's PROBE argument may name it
    }
    // As VCC's code: after each statement of vcl_init, a failure (VRT_fail) ends it.
    auto failed = [ctx] { return ctx->vpi != nullptr && ctx->vpi->handling == VCL_RET_FAIL; };
    lv.fini_done.assign(model.directors.size(), 0);
    for (const auto &d : model.directors) {
      if (d.made_at_runtime) {  // a timeline new: makes it
        lv.directors.push_back(nullptr);
        continue;
      }
      const std::size_t i = lv.directors.size();
      std::shared_ptr<DirectorObject> obj = objects_.make(ctx, lv, i);
      if (failed()) return;
      for (const auto &m : d.members) {
        obj->add_backend(ctx, lv.target(ctx, m.kind, m.index, request_for_key(0)), m.weight);
        if (failed()) return;
      }
      resolvers_.made(ctx, lv, i);
      obj->init_done(ctx);
      if (failed()) return;
    }
  }

  LoadedVcl *find(const std::string &name) {
    for (auto it = loaded_.rbegin(); it != loaded_.rend(); ++it)
      if ((*it)->model->name == name && (*it)->alive()) return it->get();
    return nullptr;
  }
  LoadedVcl *find(const struct vcl *v) {
    for (auto &lv : loaded_)
      if (lv->v == v) return lv.get();
    return nullptr;
  }

  void cli() {
    {
      std::lock_guard<sim::Mutex> cli_thread(cli_mtx_);
      load(sc_.vcls.front());
      rt_.vcl_use(sc_.vcls.front().name);
    }
    // Clients start once varnishd serves: after the boot VCL is loaded and active.
    for (std::size_t i = 0; i < sc_.traffic.size(); i++)
      sim_.spawn("traffic " + sc_.traffic[i].name, [this, i] { traffic(sc_.traffic[i]); }, true);
    for (std::size_t i = 0; i < sc_.cli_polls.size(); i++)
      sim_.spawn(fmt::format("cli_poll {}", i), [this, i] { cli_poll(sc_.cli_polls[i]); }, true);
    std::map<std::string, sim::Actor *> last_of;  // `actor:` -> its latest entry's fiber
    for (const auto &op : sc_.timeline) {
      if (op.at_ns >= sc_.run.duration_ns) break;  // the run is over by then
      sim_.sleep_until(op.at_ns);
      if (op.actor.empty()) {
        if (op.kind == sc::OpKind::resolver_answer) answer(op);
        else run_cli(op);
        continue;
      }
      sim::Actor *before = last_of[op.actor];
      last_of[op.actor] = spawn_entry(op.actor + ": " + op.text, op, [this, &op, before] {
        if (before) sim_.join(before);
        if (op.kind == sc::OpKind::vmod_call) timeline_call(op);
        else if (VclObjects::is_object_op(op.kind)) objects_.apply(find(op.vcl), op);
        else if (op.kind == sc::OpKind::request) send(op);
        else if (op.kind == sc::OpKind::resolver_answer) answer(op);
        else run_cli(op);
      });
    }
    if (sc_.run.teardown) {
      teardown(sim_, rt_, sc_, cli_mtx_, in_flight_, progress_);
      sim_.end_at(sim_.now_ns() + kAfterTeardownNs);
    }
    progress_.cli_done = true;
  }

  // A timeline resolver.answer is the resolver's thread, not a CLI command: it does not
  // wait for the CLI thread (a vcl.state cold may race it, A3).
  void answer(const sc::TimelineOp &op) {
    rt_.trace("resolver", op.text);
    resolvers_.answer(op.resolver, op.answer);
  }

  // A timeline entry on an actor of its own, counted unfinished until its body returns.
  template <typename F>
  sim::Actor *spawn_entry(std::string name, const sc::TimelineOp &op, F &&body) {
    progress_.unfinished.insert(&op);
    return sim_.spawn(std::move(name), [this, &op, body = std::forward<F>(body)]() mutable {
      body();
      progress_.unfinished.erase(&op);
    });
  }

  // One command on varnishd's single CLI thread; a refusal is kept, as varnishadm shows it.
  void run_cli(const sc::TimelineOp &op) {
    std::lock_guard<sim::Mutex> cli_thread(cli_mtx_);
    try {
      apply(op);
      resolvers_.rewarm();
    } catch (const std::invalid_argument &e) {
      res_.cli_errors.push_back({sim_.now_ns(), op.text, e.what()});
      rt_.trace("cli", std::string("refused: ") + e.what());
    }
  }

  void cli_poll(const sc::CliPoll &p) {
    for (std::int64_t t = p.start_ns; t < sc_.run.duration_ns; t += p.every_ns) {
      sim_.sleep_until(t);
      run_cli(p.op);
    }
  }

  void apply(const sc::TimelineOp &op) {
    rt_.trace("cli", op.text);
    switch (op.kind) {
      case sc::OpKind::vcl_load: load(*sc_.find_vcl(op.vcl), op.vcl_state); break;
      case sc::OpKind::vcl_use: rt_.vcl_use(op.vcl); break;
      case sc::OpKind::vcl_state: rt_.vcl_state(op.vcl, sc::to_string(op.vcl_state)); break;
      case sc::OpKind::vcl_discard:
        for (const auto &name : op.discard) rt_.vcl_discard(name);
        break;
      case sc::OpKind::vcl_label: rt_.vcl_label(op.label, op.vcl); break;
      case sc::OpKind::backend_set_health: rt_.set_health(op.backend, sc::to_string(op.health)); break;
      case sc::OpKind::backend_add:
      case sc::OpKind::backend_remove: resolvers_.change(op); break;
      case sc::OpKind::vmod_call: spawn_entry("call " + op.call.text, op, [this, &op] { timeline_call(op); }); break;
      case sc::OpKind::request: spawn_entry(op.text, op, [this, &op] { send(op); }); break;
      case sc::OpKind::object_new: case sc::OpKind::object_fini:
      case sc::OpKind::backend_new: case sc::OpKind::backend_delete:
        spawn_entry(op.text, op, [this, &op] { objects_.apply(find(op.vcl), op); });
        break;
      case sc::OpKind::backend_list:
        res_.cli_output.push_back({sim_.now_ns(), op.text, rt_.backend_list(vrt::cli_words(op.text))});
        break;
      case sc::OpKind::vcl_list: res_.cli_output.push_back({sim_.now_ns(), op.text, rt_.vcl_list(op.list_json)}); break;
      case sc::OpKind::vcl_show:
        res_.cli_output.push_back({sim_.now_ns(), op.text, rt_.vcl_show(op.vcl, op.show_verbose)});
        break;
      case sc::OpKind::resolver_answer: answer(op); break;  // cli() runs it without the CLI lock
    }
  }

  // A timeline `call:` runs in a client task of its own, racing the requests and the CLI
  // as a request's vcl_recv would; a VCL without the object skips it (counted).
  void timeline_call(const sc::TimelineOp &op) {
    struct vcl *v = op.vcl.empty() ? rt_.active_vcl() : rt_.find_vcl(op.vcl);
    const ClientRequest req = request_for_key(0);
    bool ran = v && vrt::run_client_task(rt_, v, [&](VRT_CTX) {
      if (!run_call(ctx, op.call, req)) res_.requests["call_skipped"]++;
    }, req.http);
    if (!ran) res_.requests["call_vcl_not_warm"]++;
  }

  // At the quiescent times (RunRequest's, else run.quiescent) the CLI thread polls the
  // VCLs, and RunRequest::on_quiescent checks what it sees.
  void quiescent() {
    for (std::size_t i = 0; i < quiescent_at_.size() && quiescent_at_[i] < sc_.run.duration_ns; i++) {
      sim_.sleep_until(quiescent_at_[i]);
      std::lock_guard<sim::Mutex> cli_thread(cli_mtx_);
      rt_.poll();
      if (!on_quiescent_) continue;
      QuiescentView view{rt_, {}};
      for (const auto &lv : loaded_) view.loads.push_back(lv->v);
      on_quiescent_(i, view);
    }
  }

  void poller() {
    while (sim_.sleep_or_stop(1'000'000'000)) {
      std::lock_guard<sim::Mutex> cli_thread(cli_mtx_);
      rt_.poll();
    }
  }

  void traffic(const sc::Traffic &t) {
    std::int64_t end = std::min(t.start_ns + t.duration_ns, sc_.run.duration_ns);
    if (t.start_ns >= end) return;
    sim_.sleep_until(t.start_ns);
    sim::Prng prng = sim_.prng().stream("traffic " + t.name);
    RequestPicker picker(t);
    std::uint64_t n = 0;
    // `requests: N`: a request takes a ticket; the generator stops when none is left.
    auto left = std::make_shared<std::int64_t>(t.requests.value_or(INT64_MAX));
    if (t.concurrency) {
      for (int c = 0; c < *t.concurrency; c++) {
        sim::Prng p = prng.stream(fmt::format("client {}", c));
        sim_.spawn(fmt::format("client {}.{}", t.name, c), [this, &t, end, p, picker, left]() mutable {
          while (sim_.now_ns() < end && (*left)-- > 0) {
            std::int64_t began = sim_.now_ns();
            request(t, picker.pick(p));
            // A request that took no virtual time (refused, no backend) would let a
            // closed-loop client spin at one instant forever: a real one takes >= 1 ms.
            std::int64_t pause = std::max<std::int64_t>(t.think_time_ns, sim_.now_ns() == began ? 1'000'000 : 0);
            if (pause > 0) sim_.sleep_for(pause);
          }
        }, true);
      }
      sim_.sleep_until(end);
      return;
    }
    double mean_ns = 1e9 / *t.rate;
    while (sim_.now_ns() < end && (*left)-- > 0) {
      sim_.spawn(fmt::format(FMT_COMPILE("req {}.{}"), t.name, ++n), [this, &t, req = picker.pick(prng)] { request(t, req); });
      double gap = t.arrival == sc::Traffic::Arrival::poisson ? -std::log1p(-prng.unit()) * mean_ns : mean_ns;
      sim_.sleep_for(std::max<std::int64_t>(1, static_cast<std::int64_t>(gap)));
    }
  }

  // A timeline request: entry, its requests one after another on the calling actor.
  void send(const sc::TimelineOp &op) {
    for (std::int64_t i = 0; i < op.count; i++) request(*op.requests, request_for_key(static_cast<std::uint64_t>(op.key)));
  }

  // Where a request starts: its VCL (the traffic's, else the active one) and the director
  // or backend it resolves through.
  struct Aim {
    LoadedVcl *lv = nullptr;
    sc::TargetKind kind = sc::TargetKind::backend;
    std::size_t index = 0;
    bool synth = false;  // the VCL answered without a fetch (return (synth(N)), ...)
    const std::string &via() const {
      static const std::string kSynth = "(synth)";
      if (synth) return kSynth;
      return kind == sc::TargetKind::director ? lv->model->directors[index].name : lv->model->backends[index].name;
    }
  };
  // Counts why not (vcl_gone, no_such_director) and returns nullopt when there is none.
  std::optional<Aim> aim_of(const sc::Traffic &t) {
    Aim a;
    if (!t.vcl.empty()) {
      a.lv = find(t.vcl);
    } else if (struct vcl *active = rt_.active_vcl()) {
      a.lv = find(active->name);
    }
    if (!a.lv) {
      res_.requests["vcl_gone"]++;
      return std::nullopt;
    }
    a.kind = a.lv->model->default_target.kind;
    a.index = a.lv->model->default_target.index;
    if (t.director.empty()) return a;
    if (const sc::Director *d = a.lv->model->find_director(t.director)) {
      a.kind = sc::TargetKind::director;
      a.index = static_cast<std::size_t>(d - a.lv->model->directors.data());
    } else if (const sc::BackendDecl *b = a.lv->model->find_backend(t.director)) {
      a.kind = sc::TargetKind::backend;
      a.index = static_cast<std::size_t>(b - a.lv->model->backends.data());
    } else {
      res_.requests["no_such_director"]++;
      return std::nullopt;
    }
    return a;
  }

  // One request of generator t: req's URL and headers are what every reader of the
  // request sees (picks, routes, vcl_recv calls, req.digest and shard's by=HASH/URL).
  void request(const sc::Traffic &t, const ClientRequest &req) {
    std::optional<Aim> aim = aim_of(t);
    if (!aim) return;
    std::optional<std::int64_t> latency;
    if (t.request_duration) {
      vrt::LatencySpec spec = latency_of(*t.request_duration);
      latency = spec.draw(request_prng_);
    }
    std::int64_t started = sim_.now_ns();
    in_flight_++;
    struct Done {
      int &n;
      ~Done() { n--; }
    } done{in_flight_};
    // vcl_recv: the traffic's vmod calls, for its share of requests, then the pick.
    bool recv = runs_sub(t.vcl_recv, t.vcl_recv_share);
    bool beresp = runs_sub(t.vcl_backend_response, t.vcl_backend_response_share);
    Aim &a = *aim;
    vrt::RequestResult r = vrt::run_request(
        rt_, a.lv->v,
        [&](VRT_CTX) -> VCL_BACKEND {
          if (ctx->vcl != a.lv->v) {  // return (vcl(LABEL)) moved the request (L6)
            a.lv = find(ctx->vcl);
            a.kind = a.lv->model->default_target.kind;
            a.index = a.lv->model->default_target.index;
          }
          if (recv) run_sub(ctx, t.vcl_recv, req, "vcl_recv_skipped");
          if (a.lv->routes && t.director.empty()) {  // the VCL's selections and returns under `if`s
            RoutePick p = a.lv->routes->pick(ctx, req, [&](const sc::Target &to, const ClientRequest &now) {
              return objects_.target(ctx, *a.lv, to.kind, to.index, now);
            });
            if (p.action == sc::Route::Action::synth) {
              a.synth = true;
              vrt::select_synth(ctx, p.status);
              return nullptr;
            }
            if (p.action == sc::Route::Action::fail) {
              if (p.status != 0) VRT_fail(ctx, "illegal return(synth()) status code (%d) (..0##)", p.status);
              else VRT_fail(ctx, "return (fail)");
              return nullptr;
            }
            if (!p.target->label.empty()) {
              vrt::select_vcl(ctx, p.target->label);
              return nullptr;
            }
            a.kind = p.target->kind;
            a.index = p.target->index;
            if (p.made) return p.made;  // its pick call ran for std.healthy(req.backend_hint)
            if (p.request) return hint_again(ctx, t, objects_.target(ctx, *a.lv, a.kind, a.index, *p.request));
          }
          return hint_again(ctx, t, objects_.target(ctx, *a.lv, a.kind, a.index, req));
        },
        latency, req.http,
        beresp ? [&](VRT_CTX) { run_sub(ctx, t.vcl_backend_response, req, "vcl_backend_response_skipped"); }
               : std::function<void(VRT_CTX)>{});
    record(t, req, a, r, started);
  }

  // `hint_again:` `set req.backend_hint = PICK;`, then that much later (a slow vcl_recv)
  // `set req.backend_hint = req.backend_hint;`: VRT_Assign_Backend of the held director
  // onto itself (A5). Where the pick's task holds what it got (VclObjects::target), that
  // hold is the request's reference meanwhile, and the one assigned onto itself.
  VCL_BACKEND hint_again(VRT_CTX, const sc::Traffic &t, VCL_BACKEND picked) {
    if (!t.hint_again_ns || ctx->req == nullptr) return picked;
    if (TaskHold *h = held_in_task(ctx); h && h->be == picked && picked) {
      sim_.sleep_for(*t.hint_again_ns);
      VRT_Assign_Backend(&h->be, h->be);
      return h->be;
    }
    VRT_Assign_Backend(&ctx->req->director_hint, picked);
    sim_.sleep_for(*t.hint_again_ns);
    VRT_Assign_Backend(&ctx->req->director_hint, ctx->req->director_hint);
    return ctx->req->director_hint;
  }

  // A request's outcome in the counts, the picks, the trace's "request" event and, when
  // asked, one record per request: what it asked for, the VCL and director it went
  // through, the backend that served it, the outcome and status.
  void record(const sc::Traffic &t, const ClientRequest &req, const Aim &a, vrt::RequestResult &r, std::int64_t started) {
    res_.requests[vrt::to_string(r.kind)]++;
    const std::string &via = a.via();
    static const std::string none("(none)");
    const std::string &picked = r.backend.empty() ? none : r.backend;
    pick_key_.assign(a.lv->model->name).append(".").append(via);  // reused: map[] copies it only when new
    res_.picks[pick_key_][picked]++;
    rt_.tracef("request", FMT_COMPILE("{} {}.{} -> {} {} {}"), req.http.url, a.lv->model->name, via, picked,
               vrt::to_string(r.kind), r.status);
    if (!request_log_ && !on_request_) return;
    RequestRecord rec{started, sim_.now_ns(), t.name, req.http.url, a.lv->model->name, via, picked, vrt::to_string(r.kind),
                      std::move(r.chain), r.status};
    if (on_request_) on_request_(rec);
    if (request_log_) res_.request_log.push_back(std::move(rec));
  }

  // Whether a request runs a traffic entry's calls in one sub (vcl_recv, ...): its share
  // is drawn from the run's PRNG only when there are calls, so runs without stay as they were.
  bool runs_sub(const std::vector<sc::VmodCall> &calls, double share) {
    return !calls.empty() && (share >= 1.0 || recv_prng_.unit() < share);
  }

  // The calls of one sub for the request; a VCL without the object or function skips
  // the call, counted as `skipped`.
  void run_sub(VRT_CTX, const std::vector<sc::VmodCall> &calls, const ClientRequest &req, const char *skipped) {
    for (const auto &c : calls)
      if (!run_call(ctx, c, req)) res_.requests[skipped]++;
  }

  // A method call VCL makes at run time (vcl_recv, a timeline `call:`) is one step on what
  // it touches, named by the method (the model's string lives as long as the run).
  std::optional<vmod::Value> run_call(VRT_CTX, const sc::VmodCall &c, const ClientRequest &req) {
    if (const void *touched = vmod::call_touches(ctx, c)) rt_.sched({touched, true, c.method.c_str()});
    return vmod::call_in_request(ctx, c, req);
  }

  void collect() {
    for (const auto &[name, st] : rt_.backends().all_stats()) {
      BackendSummary b;
      b.name = name;
      b.host = st.host;
      b.fetches = st.fetches;
      b.fetches_while_sick = st.fetches_while_sick;
      b.errors = st.errors;
      b.refused = st.refused;
      b.went_sick = st.went_sick;
      b.went_healthy = st.went_healthy;
      b.probes = st.probes;
      b.health = st.health;
      res_.backends.push_back(std::move(b));
    }
    res_.directors_added = rt_.counters().directors_added;
    res_.directors_destroyed = rt_.counters().directors_destroyed;
    if (sim_.options().keep_trace) {
      res_.trace = sim_.trace().all();
      res_.trace_dropped = sim_.trace().dropped();
    }
  }

  void judge() {
    for (const auto &v : sc_.vcls)
      if (!v.expect_events.empty())
        for (auto e : rt_.vmod_events_of(v.name)) observed_.vmod_events[v.name].push_back(static_cast<sc::VclEvent>(e));
    runner::judge(sc_, observed_, res_);
  }

  const sc::Scenario &sc_;
  sim::Sim sim_;
  Runtime rt_;
  vrt::VmodOs os_{sim_};  // vmod threads, sleeps, clocks and dns: (vdisim_os.h)
  sim::Mutex cli_mtx_{"cli"};  // varnishd has one CLI thread: commands and VCL polls serialize
  sim::Prng request_prng_{sim_.prng().stream("request_duration")};  // traffic.request_duration
  sim::Prng recv_prng_{sim_.prng().stream("vcl_recv")};              // traffic.vcl_recv_share
  RunResult res_;
  std::string pick_key_;  // record()'s "<vcl>.<director>" key into res_.picks
  std::vector<std::unique_ptr<LoadedVcl>> loaded_;
  DynamicResolvers resolvers_{sim_, rt_, sc_};
  VclObjects objects_{rt_, resolvers_, sc_, res_.requests};  // directors and backends of the loaded VCLs
  Observed observed_;  // what judge() reads beside res_: discards as they happen, vmod events at the end
  int in_flight_ = 0;  // requests between resolve and the end of their fetch
  TimelineProgress progress_;  // how far the timeline got (teardown.hpp)
  bool request_log_;   // RunRequest::request_log
  std::function<void(const sim::EventView &)> on_event_;        // RunRequest::on_event
  std::function<void(const RequestRecord &)> on_request_;  // RunRequest::on_request
  std::vector<std::int64_t> quiescent_at_;                 // RunRequest::quiescent_at
  std::function<void(std::size_t, const QuiescentView &)> on_quiescent_;
};

}  // namespace

RunResult run_scenario(const sc::Scenario &s, const RunRequest &req) {
  register_builtin_directors();
  register_scenario_mutants(s);  // one that cannot be loaded is an unknown type below
  ScenarioRun run(s, req);
  RunResult r = run.run();
  r.coverage = req.coverage;
  return r;
}

}  // namespace vdisim::runner
