// Printing of cases: one line per op, the way a failure report shows the minimal case.
#include "property_tests/case.hpp"

#include <algorithm>
#include <sstream>

namespace prop {

std::string host_name(int h) { return "h" + std::to_string(h) + ":80"; }
std::string vcl_name(int n) { return "v" + std::to_string(n); }
std::string label_name(int l) { return "l" + std::to_string(l); }

std::string backend_list_pattern(const Op &op) {
  return op.arg == 1 ? "*.*" : op.arg == 2 ? vcl_name(op.vcl) + ".*" : "";
}

std::string backend_list_command(const Op &op) {
  std::string pat = backend_list_pattern(op);
  // varnishd takes at most two arguments here: the flags go in one word
  std::string flags = std::string(op.flag ? "p" : "") + (op.id2 == 1 ? "j" : "");
  return std::string("backend.list") + (flags.empty() ? "" : " -" + flags) + (pat.empty() ? "" : " " + pat);
}

std::string vcl_list_command(const Op &op) {
  if (op.arg < 2) return op.arg == 1 ? "vcl.list -j" : "vcl.list";
  return std::string("vcl.show") + (op.flag ? " -v " : " ") + (op.arg == 3 ? label_name(op.id) : vcl_name(op.vcl));
}

const char *load_state(const Op &op) { return op.arg == 1 ? "cold" : op.arg == 2 ? "warm" : "auto"; }

const char *to_string(OpKind k) {
  switch (k) {
    case OpKind::Barrier: return "barrier";
    case OpKind::Endpoint: return "endpoint";
    case OpKind::VclLoad: return "vcl.load";
    case OpKind::VclUse: return "vcl.use";
    case OpKind::VclCold: return "vcl.state cold";
    case OpKind::VclWarm: return "vcl.state warm";
    case OpKind::VclDiscard: return "vcl.discard";
    case OpKind::SetHealth: return "backend.set_health";
    case OpKind::DirNew: return "director.new";
    case OpKind::DirFini: return "director.__fini";
    case OpKind::AddBackend: return "add_backend";
    case OpKind::RemoveBackend: return "remove_backend";
    case OpKind::BeNew: return "VRT_new_backend";
    case OpKind::BeDelete: return "VRT_delete_backend";
    case OpKind::Request: return "request";
    case OpKind::Resolver: return "resolver.answer";
    case OpKind::VclLabel: return "vcl.label";
    case OpKind::LabelDiscard: return "vcl.discard (label)";
    case OpKind::BackendList: return "backend.list";
    case OpKind::VclList: return "vcl.list";
  }
  return "?";
}

namespace {
std::string answer_text(int mask) {
  std::string s = "[";
  for (int h = 0; h < kHosts; h++)
    if ((mask >> h) & 1) s += (s.size() > 1 ? "," : "") + host_name(h);
  return s + "]";
}
const char *health_text(int a) { return a < 0 ? "auto" : a ? "healthy" : "sick"; }
}  // namespace

std::vector<int> flaps(const Op &op) {
  int n = std::max(1, op.id2);
  std::vector<int> out;
  for (int i = n - 1; i >= 0; i--) out.push_back(i % 2 == 0 ? op.arg : op.arg ^ ((1 << kHosts) - 1));
  return out;
}

void show(const Op &op, std::ostream &os) {
  if (op.kind == OpKind::Barrier) {
    os << "-- barrier (quiescent check) --";
    return;
  }
  if (op.kind == OpKind::Endpoint) {
    os << "@phase-start endpoint " << host_name(op.arg) << (op.flag ? " up" : " down");
    return;
  }
  if (op.kind == OpKind::BackendList || op.kind == OpKind::VclList) {
    os << "a" << op.actor << ": " << (op.kind == OpKind::VclList ? vcl_list_command(op) : backend_list_command(op));
    return;
  }
  os << "a" << op.actor << ": " << to_string(op.kind);
  switch (op.kind) {
    case OpKind::VclLoad:
      os << " " << vcl_name(op.vcl) << (op.arg ? std::string(" ") + load_state(op) : "") << " (instance " << op.inst
         << ", ids " << op.id << "..)";
      break;
    case OpKind::VclLabel:
    case OpKind::LabelDiscard: os << " " << label_name(op.id) << " -> " << vcl_name(op.vcl) << " (instance " << op.inst << ")"; break;
    case OpKind::VclUse:
      if (op.id >= 0) os << " " << label_name(op.id) << " -> " << vcl_name(op.vcl) << " (instance " << op.inst << ")";
      else os << " " << vcl_name(op.vcl) << " (instance " << op.inst << ")";
      break;
    case OpKind::VclCold:
    case OpKind::VclWarm:
    case OpKind::VclDiscard:
      os << " " << vcl_name(op.vcl) << " (instance " << op.inst << ")";
      if (op.kind == OpKind::VclDiscard && op.id2 >= 0) os << " " << vcl_name(op.id2) << " (instance " << op.arg << ")";
      break;
    case OpKind::SetHealth:
      os << " " << (op.id >= 0 ? "#" + std::to_string(op.id) : vcl_name(op.vcl) + ".s*") << " " << health_text(op.arg);
      break;
    case OpKind::DirNew:
      os << " " << op.type << " #" << op.id << " in instance " << op.inst << (op.flag ? " (flag)" : "");
      break;
    case OpKind::BeNew:
      os << " #" << op.id << " -> " << host_name(op.arg) << " in instance " << op.inst << (op.flag ? " with probe" : "");
      break;
    case OpKind::AddBackend: os << " #" << op.id << " <- #" << op.id2 << " weight " << op.arg; break;
    case OpKind::RemoveBackend: os << " #" << op.id << " -/- #" << op.id2; break;
    case OpKind::Request:
      os << " #" << op.id << " key " << op.arg << (op.id2 > 1 ? " x" + std::to_string(op.id2) : "")
         << (op.flag ? " (re-assigns its hold)" : "");
      break;
    case OpKind::Resolver:
      os << " #" << op.id << " " << answer_text(op.arg) << (op.id2 > 1 ? " x" + std::to_string(op.id2) + " (flapping)" : "");
      break;
    default: os << " #" << op.id; break;
  }
}

std::string to_string(const Op &op) {
  std::ostringstream os;
  show(op, os);
  return os.str();
}

void show(const Template &t, std::ostream &os) {
  os << "template: ";
  for (int s = 0; s < kStatic; s++) os << "s" << s << "->" << host_name(s) << (t.probe[s] ? "+probe " : " ");
  for (std::size_t j = 0; j < t.dirs.size(); j++) {
    const TemplateDir &d = t.dirs[j];
    os << "| t" << j << "=" << d.type << "(";
    for (std::size_t m = 0; m < d.members.size(); m++) {
      int x = d.members[m];
      os << (m ? "," : "") << (x < kStatic ? "s" + std::to_string(x) : "t" + std::to_string(x - kStatic));
    }
    if (d.type == "dynamic" || d.type.find("dyn") != std::string::npos) os << answer_text(d.answer);
    os << (d.flag ? ",flag" : "") << ") ";
  }
}

int Case::phases() const {
  int n = 1;
  for (const Op &op : ops)
    if (op.kind == OpKind::Barrier) n++;
  return n;
}

void show(const Case &c, std::ostream &os) {
  os << "seed " << c.seed << ", strategy " << c.strategy.text() << ", " << c.ops.size() << " ops, "
     << c.phases() << " phases\n  ";
  if (c.tmpl) show(*c.tmpl, os);
  os << "\n  phase 0:\n";
  int phase = 0;
  for (const Op &op : c.ops) {
    if (op.kind == OpKind::Barrier) {
      os << "  phase " << ++phase << ":\n";
      continue;
    }
    os << "    ";
    show(op, os);
    os << "\n";
  }
}

}  // namespace prop
