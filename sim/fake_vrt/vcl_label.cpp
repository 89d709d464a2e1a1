// VCL labels (docs/cli-rules.md L1..L6): a label is a name in the VCL name space that
// points at one VCL. It holds a reference on it (the child's `nlabels`), which keeps the
// VCL warm and undiscardable; vcl.use LABEL sends new requests to whatever VCL the label
// points at. Runs on the CLI actor, like the rest of the VCL lifecycle (vcl_temp.cpp).
#include <fmt/format.h>

#include <algorithm>
#include <cassert>

#include "sim/fake_vrt/runtime.hpp"
#include "sim/fake_vrt/vpi.hpp"

namespace vdisim::vrt {

struct vcl *Runtime::label_target(const std::string &name) const {
  for (const auto &l : labels_)
    if (l.name == name) return l.to;
  return nullptr;
}

std::vector<std::string> Runtime::labels() const {
  std::vector<std::string> out;
  for (const auto &l : labels_) out.push_back(l.name);
  return out;
}

void Runtime::vcl_label(const std::string &label, const std::string &vcl) {
  mark_cli_thread();  // varnishd runs these on its CLI thread (ASSERT_CLI() in vmods)
  poll();
  if (find_vcl(label)) throw std::invalid_argument(fmt::format("vcl.label: '{}' is a VCL, not a label", label));  // L1
  if (label_target(vcl)) throw std::invalid_argument("vcl.label: a label cannot point at a label");  // L2
  struct vcl *to = find_vcl(vcl);
  if (!to || to->discarded) throw std::invalid_argument(fmt::format("vcl.label: no VCL named '{}'", vcl));
  set_warm(to);  // L3: the manager warms the VCL first (refused while it is cooling)
  auto it = std::find_if(labels_.begin(), labels_.end(), [&](const Label &l) { return l.name == label; });
  if (it == labels_.end()) {
    labels_.push_back({label, nullptr, vcl_seq_++});
    it = labels_.end() - 1;
  }
  if (it->to) {  // L4: a relabel moves the reference
    it->to->nlabels--;
    tracef("vcl", FMT_COMPILE("{} label '{}' released"), it->to->name, label);
  }
  it->to = to;
  to->nlabels++;
  tracef("vcl", FMT_COMPILE("{} label '{}'"), to->name, label);
  if (active_label_ == label) {  // L6: new requests of the active label go there now
    active_ = to;
    tracef("vcl", FMT_COMPILE("{} active (label -> {})"), label, to->name);
  }
}

struct vcl *Runtime::vcl_enter_label(const std::string &label) {
  // As Varnish's vcl_get: the label's VCL is read and made busy in one vcl_mtx hold, so a
  // repoint or a cold transition sees the request either before or after.
  vcl_mtx_.lock();
  struct vcl *to = label_target(label);
  bool warm = to && is_warm(to->temp);
  if (warm) to->busy++;
  vcl_mtx_.unlock();
  return warm ? to : nullptr;
}

void Runtime::use_label(const std::string &name) {
  struct vcl *to = label_target(name);
  assert(to && to->nlabels > 0);
  set_warm(to);  // labels are always warm (L5): their VCL is, by L3/L4
  active_ = to;
  active_label_ = name;
  tracef("vcl", FMT_COMPILE("{} active (label -> {})"), name, to->name);
}

void Runtime::discard_label(const std::string &name) {
  if (name == active_label_)
    throw std::invalid_argument(fmt::format("vcl.discard: '{}' is the active VCL", name));
  auto it = std::find_if(labels_.begin(), labels_.end(), [&](const Label &l) { return l.name == name; });
  assert(it != labels_.end() && it->to->nlabels > 0);
  it->to->nlabels--;  // L4: the reference goes with the label
  tracef("vcl", FMT_COMPILE("{} label '{}' released"), it->to->name, name);
  tracef("vcl", FMT_COMPILE("label '{}' gone"), name);
  labels_.erase(it);
}

}  // namespace vdisim::vrt
