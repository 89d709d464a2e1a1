// VCL tokenizer (vcl_lexer.hpp). One pass over the bytes; every loop advances, the file
// and token count are bounded, so no input can make it run away.
#include "sim/scenario/vcl_lexer.hpp"

#include <fmt/format.h>

#include <array>
#include <cctype>

#include "sim/scenario/loader_internal.hpp"

namespace vdisim::scenario::detail {
namespace {

constexpr std::size_t kMaxTokens = 1u << 20;

bool alpha(char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; }
bool digit(char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }
// VCL identifiers: a letter, then letters, digits, '_', '-' and '.'.
bool vcl_word_char(char c) { return alpha(c) || digit(c) || c == '_' || c == '-' || c == '.'; }

// Longest first, so "==" is never read as "=" "=".
constexpr std::array<std::string_view, 13> kTwoCharOps = {
    "==", "!=", "!~", "&&", "||", "<=", ">=", "+=", "-=", "*=", "/=", "++", "--"};
constexpr std::string_view kOneCharOps = "{}();,=!~<>+-*/.%&|:";

class Lexer {
 public:
  Lexer(const Ctx& ctx, std::string_view src) : ctx_(ctx), s_(src) {}

  std::vector<VclToken> run() {
    if (s_.size() > kMaxVclFileBytes)
      fail(ctx_, Mark{1, 1}, fmt::format("VCL file larger than {} bytes", kMaxVclFileBytes));
    while (skip_space_and_comments()) {
      if (out_.size() >= kMaxTokens) error(fmt::format("more than {} tokens", kMaxTokens));
      token();
    }
    VclToken eof;
    eof.mark = here();
    eof.begin = eof.end = i_;
    out_.push_back(eof);
    return std::move(out_);
  }

 private:
  Mark here() const { return Mark{line_, static_cast<int>(i_ - line_start_) + 1}; }
  [[noreturn]] void error(const std::string& msg) { fail(ctx_, here(), msg); }
  [[noreturn]] void error_at(Mark m, const std::string& msg) { fail(ctx_, m, msg); }
  bool starts(std::string_view t) const { return s_.substr(i_, t.size()) == t; }

  void advance(std::size_t n) {
    for (std::size_t k = 0; k < n && i_ < s_.size(); k++) {
      if (s_[i_] == '\n') {
        line_++;
        line_start_ = i_ + 1;
      }
      i_++;
    }
  }

  // false at the end of the text.
  bool skip_space_and_comments() {
    while (i_ < s_.size()) {
      char c = s_[i_];
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
        advance(1);
      } else if (c == '#' || starts("//")) {
        while (i_ < s_.size() && s_[i_] != '\n') advance(1);
      } else if (starts("/*")) {
        Mark open = here();
        std::size_t close = s_.find("*/", i_ + 2);
        std::size_t nested = s_.find("/*", i_ + 2);
        if (nested != std::string_view::npos && nested < close) {
          advance(nested - i_);
          error("/* ... */ comment contains /* (VCL comments do not nest)");
        }
        if (close == std::string_view::npos) error_at(open, "unterminated /* ... */ comment");
        advance(close + 2 - i_);
      } else {
        return true;
      }
    }
    return false;
  }

  void push(VclToken::Kind k, std::string text, Mark m, std::size_t b) {
    out_.push_back(VclToken{k, std::move(text), m, b, i_});
  }

  // A string delimited by `open` ... `close`; `multiline`: may span lines.
  void delimited(VclToken::Kind k, std::string_view open, std::string_view close, bool multiline,
                 const char* what) {
    Mark m = here();
    std::size_t b = i_;
    std::size_t end = s_.find(close, i_ + open.size());
    std::size_t nl = s_.find('\n', i_ + open.size());
    if (end == std::string_view::npos || (!multiline && nl != std::string_view::npos && nl < end))
      error_at(m, fmt::format("unterminated {} (it starts here)", what));
    std::string body(s_.substr(i_ + open.size(), end - i_ - open.size()));
    advance(end + close.size() - i_);
    push(k, std::move(body), m, b);
  }

  void token() {
    char c = s_[i_];
    if (starts("\"\"\"")) return delimited(VclToken::Kind::str, "\"\"\"", "\"\"\"", true, "long string \"\"\"...\"\"\"");
    if (starts("{\"")) return delimited(VclToken::Kind::str, "{\"", "\"}", true, "long string {\"...\"}");
    if (c == '"') return delimited(VclToken::Kind::str, "\"", "\"", false, "string (a \"...\" string ends on its line)");
    if (starts("C{")) return delimited(VclToken::Kind::csrc, "C{", "}C", true, "inline C C{...}C");
    Mark m = here();
    std::size_t b = i_;
    if (alpha(c) || digit(c)) {  // an identifier, or a number with its unit ("1.5s")
      bool number = digit(c);
      while (i_ < s_.size() && (number ? alpha(s_[i_]) || digit(s_[i_]) || s_[i_] == '.' : vcl_word_char(s_[i_])))
        advance(1);
      return push(number ? VclToken::Kind::num : VclToken::Kind::id, std::string(s_.substr(b, i_ - b)), m, b);
    }
    for (auto op : kTwoCharOps)
      if (starts(op)) {
        advance(2);
        return push(VclToken::Kind::op, std::string(op), m, b);
      }
    if (kOneCharOps.find(c) != std::string_view::npos) {
      advance(1);
      return push(VclToken::Kind::op, std::string(1, c), m, b);
    }
    if (std::isprint(static_cast<unsigned char>(c)))
      error(fmt::format("syntax error: unexpected '{}'", c));
    error(fmt::format("syntax error: unexpected byte 0x{:02x} outside a string or comment",
                      static_cast<unsigned char>(c)));
  }

  const Ctx& ctx_;
  std::string_view s_;
  std::size_t i_ = 0;
  int line_ = 1;
  std::size_t line_start_ = 0;
  std::vector<VclToken> out_;
};

}  // namespace

std::vector<VclToken> lex_vcl(const Ctx& ctx, std::string_view src) { return Lexer(ctx, src).run(); }

}  // namespace vdisim::scenario::detail
