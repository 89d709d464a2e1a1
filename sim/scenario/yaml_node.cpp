// A scenario file's YAML as nodes, built from libyaml's events; see yaml_node.hpp.
#include "sim/scenario/yaml_node.hpp"

#include <fmt/format.h>
#include <yaml.h>

#include <map>

#include "sim/scenario/yaml_reader.hpp"

namespace vdisim::scenario::detail {

YNode::YNode(std::string text) : d_(std::make_shared<Data>()) {
  d_->kind = Kind::Scalar;
  d_->text = std::move(text);
}

const std::string &YNode::Scalar() const {
  static const std::string none;
  return d_ && d_->kind == Kind::Scalar ? d_->text : none;
}

const std::vector<YNode> &YNode::items() const {
  static const std::vector<YNode> none;
  return d_ && d_->kind == Kind::Sequence ? d_->items : none;
}

const std::vector<std::pair<YNode, YNode>> &YNode::pairs() const {
  static const std::vector<std::pair<YNode, YNode>> none;
  return d_ && d_->kind == Kind::Map ? d_->pairs : none;
}

namespace {

Mark mark_at(const yaml_mark_t &m) { return {static_cast<int>(m.line) + 1, static_cast<int>(m.column) + 1}; }

// Where byte `offset` of the text is (a reader error names only its offset).
Mark mark_of_offset(std::string_view text, std::size_t offset) {
  Mark m{1, 1};
  for (std::size_t i = 0; i < offset && i < text.size(); i++) {
    if (text[i] == '\n') {
      m.line++;
      m.col = 1;
    } else if ((static_cast<unsigned char>(text[i]) & 0xc0) != 0x80) {
      m.col++;
    }
  }
  return m;
}

// The parser and its current event, released however the parse ends.
struct Parser {
  yaml_parser_t p;
  yaml_event_t e;
  bool have_event = false;
  explicit Parser(std::string_view text) {
    if (!yaml_parser_initialize(&p)) throw std::bad_alloc();
    yaml_parser_set_input_string(&p, reinterpret_cast<const unsigned char *>(text.data()), text.size());
  }
  ~Parser() {
    drop();
    yaml_parser_delete(&p);
  }
  Parser(const Parser &) = delete;
  Parser &operator=(const Parser &) = delete;
  void drop() {
    if (have_event) yaml_event_delete(&e);
    have_event = false;
  }
};

[[noreturn]] void syntax_error(const Ctx &ctx, const yaml_parser_t &p, std::string_view text) {
  const Mark at = p.error == YAML_READER_ERROR ? mark_of_offset(text, p.problem_offset) : mark_at(p.problem_mark);
  std::string msg = fmt::format("YAML syntax error: {}", p.problem ? p.problem : "cannot parse");
  if (p.error == YAML_READER_ERROR && p.problem_value != -1) {
    msg += fmt::format(" (byte 0x{:02x})", p.problem_value);
  } else if (p.error != YAML_READER_ERROR) {  // what stands where it stopped
    const std::size_t at_byte = p.problem_mark.index;
    const unsigned char c = at_byte < text.size() ? static_cast<unsigned char>(text[at_byte]) : 0;
    if (at_byte >= text.size()) msg += ", found the end of the file";
    else if (c > ' ' && c < 0x7f) msg += fmt::format(", found '{}'", static_cast<char>(c));
  }
  if (p.context)
    msg += fmt::format(" ({} that starts at {}:{})", p.context, p.context_mark.line + 1, p.context_mark.column + 1);
  fail(ctx, at, msg);
}

bool is_null(const yaml_event_t &e) {
  if (e.data.scalar.style != YAML_PLAIN_SCALAR_STYLE || e.data.scalar.tag) return false;
  std::string_view v(reinterpret_cast<const char *>(e.data.scalar.value), e.data.scalar.length);
  return v.empty() || v == "~" || v == "null" || v == "Null" || v == "NULL";
}

std::string anchor_of(const yaml_char_t *a) { return a ? reinterpret_cast<const char *>(a) : ""; }

}  // namespace

// Folds libyaml's events into nodes: collections open on a stack, a finished node goes
// into its parent (a list's next item, a map's key or value) or becomes the root.
class YamlBuilder {
 public:
  YamlBuilder(const Ctx &ctx, std::string_view text) : ctx_(ctx), text_(text) {}

  YNode build() {
    Parser parser(text_);
    int documents = 0;
    for (;;) {
      if (!yaml_parser_parse(&parser.p, &parser.e)) syntax_error(ctx_, parser.p, text_);
      parser.have_event = true;
      const yaml_event_t &e = parser.e;
      switch (e.type) {
        case YAML_STREAM_END_EVENT: return root_;
        case YAML_DOCUMENT_START_EVENT:
          if (++documents > 1)
            fail(ctx_, mark_at(e.start_mark), "a scenario file holds one YAML document; found a second one");
          break;
        case YAML_SCALAR_EVENT: scalar(e); break;
        case YAML_ALIAS_EVENT: alias(e); break;
        case YAML_SEQUENCE_START_EVENT: open(e, YNode::Kind::Sequence, anchor_of(e.data.sequence_start.anchor)); break;
        case YAML_MAPPING_START_EVENT: open(e, YNode::Kind::Map, anchor_of(e.data.mapping_start.anchor)); break;
        case YAML_SEQUENCE_END_EVENT:
        case YAML_MAPPING_END_EVENT: close(); break;
        default: break;
      }
      parser.drop();
    }
  }

 private:
  struct Open {
    YNode node;
    std::string anchor;
    YNode key;
    bool have_key = false;
  };

  static YNode made(YNode::Kind kind, Mark at) {
    YNode n;
    n.d_ = std::make_shared<YNode::Data>();
    n.d_->kind = kind;
    n.d_->mark = at;
    return n;
  }

  void scalar(const yaml_event_t &e) {
    YNode n = made(is_null(e) ? YNode::Kind::Null : YNode::Kind::Scalar, mark_at(e.start_mark));
    if (n.d_->kind == YNode::Kind::Scalar) {
      n.d_->text.assign(reinterpret_cast<const char *>(e.data.scalar.value), e.data.scalar.length);
      n.d_->quoted = e.data.scalar.style != YAML_PLAIN_SCALAR_STYLE;
    }
    done(std::move(n), anchor_of(e.data.scalar.anchor));
  }

  void alias(const yaml_event_t &e) {
    const std::string name = anchor_of(e.data.alias.anchor);
    auto it = anchors_.find(name);
    if (it == anchors_.end())
      fail(ctx_, mark_at(e.start_mark), fmt::format("YAML error: alias *{} names no anchor before it", name));
    alias_nodes_ += it->second.d_->size;
    if (alias_nodes_ > kMaxYamlAliasNodes)
      fail(ctx_, mark_at(e.start_mark),
           fmt::format("YAML aliases stand for more than {} nodes in all (each alias is read again)", kMaxYamlAliasNodes));
    done(it->second, "");
  }

  void open(const yaml_event_t &e, YNode::Kind kind, std::string anchor) {
    if (static_cast<int>(stack_.size()) >= kMaxYamlDepth)
      fail(ctx_, mark_at(e.start_mark), fmt::format("YAML nesting deeper than {} levels", kMaxYamlDepth));
    stack_.push_back(Open{made(kind, mark_at(e.start_mark)), std::move(anchor), {}, false});
  }

  void close() {
    Open top = std::move(stack_.back());
    stack_.pop_back();
    done(std::move(top.node), top.anchor);
  }

  void done(YNode n, const std::string &anchor) {
    if (!anchor.empty()) anchors_[anchor] = n;
    if (stack_.empty()) {
      root_ = std::move(n);
      return;
    }
    Open &parent = stack_.back();
    parent.node.d_->size += n.d_->size;
    if (parent.node.d_->kind == YNode::Kind::Sequence) {
      parent.node.d_->items.push_back(std::move(n));
    } else if (!parent.have_key) {
      parent.key = std::move(n);
      parent.have_key = true;
    } else {
      parent.node.d_->pairs.emplace_back(std::move(parent.key), std::move(n));
      parent.have_key = false;
    }
  }

  const Ctx &ctx_;
  std::string_view text_;
  std::vector<Open> stack_;
  std::map<std::string, YNode> anchors_;
  std::uint64_t alias_nodes_ = 0;
  YNode root_;
};

YNode parse_yaml(const Ctx &ctx, std::string_view text) { return YamlBuilder(ctx, text).build(); }

}  // namespace vdisim::scenario::detail
