// Internal to the scenario loader: the VCL file reader behind `vcls: [{file: X.vcl}]`.
// It fills the same scenario::Vcl as the YAML form (backends with probes, vcl_init
// objects as vmod directors, the default target) so the runner has one model. Declarations
// are read in one pass (vcl_reader_decl.cpp), then the subs that matter in order
// vcl_init, vcl_recv, vcl_backend_fetch (vcl_reader_subs.cpp). Never included outside
// sim/scenario.
#pragma once
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "sim/scenario/loader_internal.hpp"
#include "sim/scenario/vcl_lexer.hpp"

namespace vdisim::scenario::detail {

class VclReader {
 public:
  VclReader(const Ctx& ctx, std::string_view src, Vcl& v);
  void read();

 private:
  using Kind = VclToken::Kind;
  struct Sub {
    Mark mark;  // of `sub`
    std::string name;
    std::size_t begin, end;  // token indices of the body, between the braces
  };
  struct ProbeRef {
    std::size_t backend;
    std::string probe;
    Mark mark;
    std::size_t at;  // token index of the name
  };

  // ---- tokens (vcl_reader_decl.cpp)
  const VclToken& peek(std::size_t k = 0) const;
  const VclToken& next();
  bool at_op(std::string_view op) const { return peek().is_op(op); }
  void expect_op(std::string_view op, const std::string& what);
  const VclToken& expect(Kind k, const std::string& what);
  [[noreturn]] void error(const VclToken& t, const std::string& msg) const;
  void splice_includes(const std::vector<VclToken>& in, int depth);  // into toks_
  std::vector<std::string> include_files(const VclToken& name, bool glob) const;
  Ctx file_ctx(Mark m) const;                        // errors at m name the file m is in
  std::string_view source_of(const VclToken& t) const;  // the text of the file t is in
  std::string line_of(Mark m) const;                 // "line 3", or "inc.vcl:3" in an included file
  std::string describe(const VclToken& t) const;
  std::size_t skip_block();  // at '{': past its '}'; returns the index of that '}'
  void skip_statement();     // one statement, `if` chains included
  void ignore(Mark at, const std::string& what);

  // ---- declarations (vcl_reader_decl.cpp)
  void version();
  void top_level();
  void import();
  void backend();
  void probe_decl();
  ProbeSpec probe_body();
  void backend_attr(BackendDecl& b, std::map<std::string, Mark>& seen, std::string& host,
                    std::string& port, Mark& host_mark);
  std::int64_t uint_value(std::int64_t lo, std::int64_t hi, const std::string& what);
  std::int64_t duration_value(const std::string& what);
  void skip_value();  // an attribute value not modelled, up to its ';'
  void resolve_probes();
  void declare(const std::string& name, Mark at);

  // ---- subs (vcl_reader_subs.cpp)
  void run_subs();
  void init_statement();
  // `guards`: the conditions of the ifs around the statement (empty: unconditional).
  void select_statement(const std::string& sub, const std::string& var, const std::vector<RouteCond>& guards,
                        int depth);
  bool sets(std::size_t i, const std::string& var) const;     // `set VAR =` at token i
  bool sets_header(std::size_t i, const std::string& var) const;  // `(un)set req.http.X` at i
  bool decides(std::size_t i, const std::string& var) const;  // a selection, return or header at i
  bool header_statement(const std::string& sub, const std::vector<RouteCond>& guards);
  bool if_selects(const std::string& var);  // at `if`: does its chain decide?
  bool selects(std::size_t begin, std::size_t end, const std::string& var);
  bool selects_here(std::size_t i, const std::string& var) const;  // `set VAR` or return (vcl(..)) at i
  // The subs in which `at` holds for a token, themselves or in a sub they call (cached by key).
  const std::set<std::string>& subs_where(const std::string& key, const std::function<bool(std::size_t)>& at);
  // `PREFIX.url`, `.method`, `.proto`, `.http.NAME` (any case): the part of the request t names.
  bool request_field(const VclToken& t, const std::string& prefix, RouteCond::Field* field,
                     std::string* header) const;
  void select_if(const std::string& sub, const std::string& var, const std::vector<RouteCond>& guards,
                 int depth);
  void unmodelled_if(const std::string& sub, const std::string& var, std::size_t start);
  void select_block(const std::string& sub, const std::string& var, const std::vector<RouteCond>& guards,
                    int depth);
  std::optional<RouteCond> if_condition(const std::string& sub);
  std::optional<RouteCond> cond_chain(const std::string& prefix, int depth, int level);  // 0: ||, 1: &&
  std::optional<RouteCond> cond_not(const std::string& prefix, int depth);
  std::optional<RouteCond> comparison(const std::string& prefix);
  std::optional<RouteCond> healthy(const std::string& prefix);
  bool returns_vcl(std::size_t i) const;
  void select_label(const std::vector<RouteCond>& guards);
  void select_return(const std::string& sub, const std::vector<RouteCond>& guards);
  void set_target(const Target& t, const std::vector<RouteCond>& guards, const std::string& sub);
  void pick_call(std::size_t director, VmodCall c);
  void new_object();
  VmodCall call(const VclToken& id);
  VmodArg arg();
  void arg_value(VmodArg& a);
  bool is_import(const std::string& vmod) const;
  static bool varnishd_only(const std::string& vmod);
  void drop_unused_imports();
  void default_target();
  // At `call NAME;` of a sub of the file: reads its body here with `statement` (as varnishd
  // runs it here); false (nothing read) when NAME is not a sub of the file.
  template <typename F>
  bool inline_call(F statement);

  const Ctx& ctx_;
  std::string_view src_;
  std::vector<std::string> sources_;  // the included files' texts (Vcl::includes' order)
  std::vector<VclToken> toks_;
  std::size_t pos_ = 0;
  Vcl& v_;
  std::map<std::string, std::pair<ProbeSpec, Mark>> probes_;
  std::map<std::string, std::size_t> probe_at_;  // token index of each probe's name
  std::vector<ProbeRef> probe_refs_;
  std::map<std::string, Mark> names_;  // backends, probes and objects share one namespace
  std::vector<Sub> subs_;
  bool target_set_ = false;
  bool healthy_used_ = false;  // a std.healthy() condition was read
  int depth_ = 0;  // calls nested as arguments
  int call_depth_ = 0;  // `call SUB;` inside subs read through `call`
  std::size_t inlined_tokens_ = 0;  // read through `call` so far (bounded: kMaxInlinedTokens)
  std::map<std::string, std::set<std::string>> subs_where_;  // subs_where's answers by key
  std::vector<std::string> called_;  // subs read through `call`: not ignored
  std::map<std::size_t, Mark> picked_;  // objects a selection calls -> where
};

}  // namespace vdisim::scenario::detail
