// Tokens of a VCL file, with 1-based line:col, for the scenario loader's VCL reader
// (vcl_reader.hpp). Follows VCL's lexical rules: identifiers carry their dots
// (`req.backend_hint`, `directors.round_robin` are one token), strings are "..." or the
// long forms {"..."} and """...""", comments are #, // and /* */. Never used on anything
// but a VCL file's text; errors are LoadErrors at the offending character.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "sim/scenario/yaml_reader.hpp"

namespace vdisim::scenario::detail {

struct VclToken {
  enum class Kind { id, str, num, op, csrc, eof };
  Kind kind = Kind::eof;
  std::string text;  // str: the contents; op: the operator; id, num: as written
  Mark mark;
  std::size_t begin = 0, end = 0;  // byte offsets of the whole token in the source

  bool is(Kind k, std::string_view t) const { return kind == k && text == t; }
  bool is_op(std::string_view t) const { return is(Kind::op, t); }
  bool is_id(std::string_view t) const { return is(Kind::id, t); }
};

// The tokens of `src`, ending with one eof token. Throws LoadError (ctx.file) on a
// character VCL has no token for, an unterminated string or comment, or a file beyond
// the size limits.
std::vector<VclToken> lex_vcl(const Ctx& ctx, std::string_view src);

}  // namespace vdisim::scenario::detail
