// DynamicResolvers (see resolvers.hpp).
#include "sim/runner/resolvers.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

namespace vdisim::runner {

namespace sc = vdisim::scenario;

void DynamicResolvers::resolved(State &d, const std::vector<std::string> &answer) {
  d.dns = answer;
  d.dns_at = sim_.now_ns();
  if (d.polls) return;
  d.hosts = answer;
  push(d);
}

// As a vmod's resolver thread does: only into a warm VCL, holding a reference that
// keeps it from being discarded while update() runs (it may go cold meanwhile): the
// VCL's __fini cannot run under an update that has started but not yet locked.
void DynamicResolvers::push(State &d) {
  if (!d.lv->alive()) return;
  d.stale = !vrt::is_warm(d.lv->v->temp);
  if (d.stale) return;
  vrt::Task task(rt_, d.lv->v, 0);
  struct vclref *ref = VRT_VCL_Prevent_Discard(task.ctx(), "vdisim resolver");
  d.lv->directors[d.index]->update(task.ctx(), fmt::format("{}", fmt::join(d.hosts, ",")));
  task.finish();
  VRT_VCL_Allow_Discard(&ref);
}

void DynamicResolvers::change(const sc::TimelineOp &op) {
  for (std::size_t i = 0; i < states_.size(); i++) {  // by index, as rewarm()
    State *d = states_[i].get();
    if (d->lv->model->directors[d->index].name != op.director) continue;
    if (!op.vcl.empty() && d->lv->model->name != op.vcl) continue;
    auto &h = d->hosts;
    if (op.kind == sc::OpKind::backend_add && std::find(h.begin(), h.end(), op.backend) == h.end())
      h.push_back(op.backend);
    if (op.kind == sc::OpKind::backend_remove) h.erase(std::remove(h.begin(), h.end(), op.backend), h.end());
    d->dns = h;
    push(*d);
  }
}

// By index: an update() has scheduling points, where a director made meanwhile (another
// actor's vcl.load or new:) appends to states_.
void DynamicResolvers::rewarm() {
  for (std::size_t i = 0; i < states_.size(); i++) {
    State &d = *states_[i];
    if (d.stale && d.lv->alive() && vrt::is_warm(d.lv->v->temp)) push(d);
  }
}

void DynamicResolvers::answer(const std::string &resolver, const std::vector<std::string> &hosts) {
  for (std::size_t i = 0; i < states_.size(); i++)  // by index, as rewarm()
    if (State &d = *states_[i]; d.lv->model->directors[d.index].options.resolver == resolver) resolved(d, hosts);
}

void DynamicResolvers::made(VRT_CTX, LoadedVcl &lv, std::size_t index) const {
  const sc::Director &spec = lv.model->directors[index];
  if (!follows(spec)) return;
  const sc::Resolver *r = sc_.find_resolver(spec.options.resolver);
  if (!r || spec.options.given.count("ttl")) return;
  const sc::ResolverAnswer *due = nullptr;
  for (const auto &a : r->answers)
    if (a.at_ns <= sim_.now_ns()) due = &a;
  if (due) lv.directors[index]->update(ctx, fmt::format("{}", fmt::join(due->hosts, ",")));
}

void DynamicResolvers::start(LoadedVcl &lv, std::size_t index) {
  const sc::Director &spec = lv.model->directors[index];
  states_.push_back(std::make_unique<State>(State{&lv, index, {}, {}, spec.options.given.count("ttl") > 0}));
  State *d = states_.back().get();
  const sc::Resolver *r = sc_.find_resolver(spec.options.resolver);
  if (!r) return;
  if (!d->polls) {
    const std::int64_t given = sim_.now_ns();  // made() gave what was due by then
    for (const auto &a : r->answers)
      if (a.at_ns <= given) d->hosts = d->dns = a.hosts;
    sim_.spawn("resolver " + spec.name, [this, d, r, given] {
      for (const auto &a : r->answers) {
        if (a.at_ns <= given) continue;
        if (a.at_ns >= sc_.run.duration_ns) return;
        sim_.sleep_until(a.at_ns);
        if (!d->lv->alive()) return;
        resolved(*d, a.hosts);
      }
    }, true);
    return;
  }
  std::int64_t ttl = spec.options.ttl_ns;
  sim_.spawn("re-resolve " + spec.name, [this, d, r, ttl] {
    // At load, then every ttl while the VCL lives: the answer due by then, else the
    // last one seen (a timeline `resolver.answer` included), applied as it is.
    std::size_t next = 0;
    for (std::int64_t at = sim_.now_ns(); at < sc_.run.duration_ns && d->lv->alive(); at += ttl) {
      sim_.sleep_until(at);
      for (; next < r->answers.size() && r->answers[next].at_ns <= at; next++)
        if (r->answers[next].at_ns > d->dns_at) d->dns = r->answers[next].hosts;
      d->hosts = d->dns;
      push(*d);
    }
  }, true);
}

}  // namespace vdisim::runner
