// Calls into a loaded vmod through libffi (see vmod_ffi.hpp). The C types follow
// vmodtool's declarations; the argument struct of a function with [optional] arguments
// is laid out by libffi itself (ffi_get_struct_offsets), so its padding is the C
// compiler's: one `char valid_<name>` per optional argument, then every argument.
#include "sim/runner/vmod_ffi.hpp"

#include <ffi.h>
#include <fmt/format.h>

#include <cstdint>
#include <cstring>
#include <stdexcept>

namespace vdisim::runner::vmod {

namespace {

// How a C argument or result travels: integer or pointer register, double, or nothing.
enum class CKind { i64, uns, dbl, ptr, none };

CKind kind_of(const std::string &vt) {
  if (vt == "INT" || vt == "BYTES") return CKind::i64;
  if (vt == "BOOL") return CKind::uns;
  if (vt == "REAL" || vt == "DURATION" || vt == "TIME") return CKind::dbl;
  if (vt == "VOID") return CKind::none;
  return CKind::ptr;  // STRING, STRANDS, BACKEND, ENUM, PRIV_*, BLOB, IP, HEADER, PROBE, ...
}

ffi_type *ffi_of(CKind k) {
  switch (k) {
    case CKind::i64: return &ffi_type_sint64;
    case CKind::uns: return &ffi_type_uint;
    case CKind::dbl: return &ffi_type_double;
    case CKind::ptr: return &ffi_type_pointer;
    case CKind::none: break;
  }
  return &ffi_type_void;
}

// One C value of any kind a vmod takes; ffi reads the member its type names.
union Cell {
  std::int64_t i64;
  unsigned uns;
  double dbl;
  const void *ptr;
};

}  // namespace

std::size_t c_size_of(const std::string &vcl_type) { return ffi_of(kind_of(vcl_type))->size; }

struct CCall::Prepared {
  Lead lead;
  CProto proto;
  EnumOf enums;
  std::vector<CKind> kinds;          // one per parameter
  std::vector<ffi_type *> elems;    // the argument struct's members, null-terminated
  ffi_type st{};                    // the argument struct
  std::vector<std::size_t> offsets; // of elems
  std::vector<ffi_type *> atypes;   // the call's arguments
  ffi_cif cif{};

  Cell value(Args &a, std::size_t i) const {
    const std::string &vt = proto.params[i].type;
    Cell c{};
    switch (kinds[i]) {
      case CKind::i64: c.i64 = a.integer(i); break;
      case CKind::uns: c.uns = a.boolean(i) ? 1U : 0U; break;
      case CKind::dbl: c.dbl = a.real(i); break;
      case CKind::none: break;
      case CKind::ptr:
        if (vt == "STRING") c.ptr = a.string(i);
        else if (vt == "STRANDS") c.ptr = a.strands(i);
        else if (vt == "BACKEND") c.ptr = a.backend(i);
        else if (vt == "PROBE") c.ptr = a.probe(i);
        else if (vt == "BLOB") c.ptr = a.blob(i);
        else if (vt == "IP") c.ptr = a.ip(i);
        else if (vt == "HEADER") c.ptr = a.header(i);
        else if (is_priv(vt)) c.ptr = a.priv(i);
        else if (vt == "ENUM") c.ptr = a.given(i) ? enums(a.text(i)) : nullptr;
        else c.ptr = nullptr;  // ACL, SUB, HTTP ...: nothing a scenario can write
        break;
    }
    return c;
  }
};

CCall::CCall(Lead lead, CProto proto, EnumOf enums) {
  auto p = std::make_shared<Prepared>();
  p->lead = lead;
  p->proto = std::move(proto);
  p->enums = std::move(enums);
  const auto &params = p->proto.params;
  if (p->proto.fn == nullptr) throw std::invalid_argument("no C function");
  for (const auto &par : params) {
    CKind k = kind_of(par.type);
    if (k == CKind::none) throw std::invalid_argument(fmt::format("argument of type {}", par.type));
    p->kinds.push_back(k);
  }
  std::size_t nlead = lead == Lead::fini || lead == Lead::function ? 1 : lead == Lead::init ? 3 : 2;
  p->atypes.assign(nlead, &ffi_type_pointer);
  if (p->proto.argstruct) {
    for (const auto &par : params)
      if (par.optional) p->elems.push_back(&ffi_type_schar);
    for (CKind k : p->kinds) p->elems.push_back(ffi_of(k));
    p->elems.push_back(nullptr);
    p->st.type = FFI_TYPE_STRUCT;
    p->st.elements = p->elems.data();
    p->offsets.resize(p->elems.size());
    if (ffi_get_struct_offsets(FFI_DEFAULT_ABI, &p->st, p->offsets.data()) != FFI_OK)
      throw std::invalid_argument("libffi cannot lay out the argument struct");
    p->atypes.push_back(&ffi_type_pointer);
  } else {
    for (CKind k : p->kinds) p->atypes.push_back(ffi_of(k));
  }
  ffi_type *rt = ffi_of(kind_of(p->proto.ret));
  if (ffi_prep_cif(&p->cif, FFI_DEFAULT_ABI, static_cast<unsigned>(p->atypes.size()), rt, p->atypes.data()) != FFI_OK)
    throw std::invalid_argument("libffi cannot prepare the call");
  p_ = std::move(p);
}

void CCall::operator()(const std::vector<const void *> &lead, Args *a, Value *ret) const {
  const Prepared &p = *p_;
  const std::size_t n = p.proto.params.size();
  if (lead.size() + (p.proto.argstruct ? 1 : n) != p.atypes.size()) throw std::logic_error("CCall: wrong argument count");
  if (n > 0 && a == nullptr) throw std::logic_error("CCall: arguments missing");
  std::vector<Cell> cells(p.atypes.size());
  std::vector<void *> avalues(p.atypes.size());
  for (std::size_t i = 0; i < lead.size(); i++) {
    cells[i].ptr = lead[i];
    avalues[i] = &cells[i];
  }
  // The argument struct lives on this frame for the call, as VCC's compound literal does.
  std::vector<std::max_align_t> buf;
  if (p.proto.argstruct) {
    buf.assign(p.st.size / sizeof(std::max_align_t) + 1, std::max_align_t{});
    auto *base = reinterpret_cast<unsigned char *>(buf.data());
    std::size_t e = 0;
    for (std::size_t i = 0; i < n; i++)
      if (p.proto.params[i].optional) base[p.offsets[e++]] = a->given(i) ? 1 : 0;
    for (std::size_t i = 0; i < n; i++, e++) {
      Cell c = p.value(*a, i);
      std::memcpy(base + p.offsets[e], &c, p.elems[e]->size);
    }
    cells[lead.size()].ptr = base;
    avalues[lead.size()] = &cells[lead.size()];
  } else {
    for (std::size_t i = 0; i < n; i++) {
      cells[lead.size() + i] = p.value(*a, i);
      avalues[lead.size() + i] = &cells[lead.size() + i];
    }
  }
  // Integral results come back widened to ffi_arg.
  union {
    ffi_arg word;
    std::int64_t i64;
    double dbl;
    void *ptr;
  } r{};
  ffi_call(const_cast<ffi_cif *>(&p.cif), FFI_FN(p.proto.fn), &r, avalues.data());
  if (ret == nullptr) return;
  switch (kind_of(p.proto.ret)) {
    case CKind::i64: ret->integer = r.i64; break;
    case CKind::uns: ret->integer = static_cast<unsigned>(r.word); break;
    case CKind::dbl: ret->real = r.dbl; break;
    case CKind::ptr:
      if (p.proto.ret == "BACKEND") ret->backend = static_cast<VCL_BACKEND>(r.ptr);
      break;
    case CKind::none: break;
  }
}

}  // namespace vdisim::runner::vmod
