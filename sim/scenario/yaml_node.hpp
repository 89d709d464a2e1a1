// Internal to the scenario loader: a scenario file's YAML as a tree of nodes with their
// positions, read with libyaml (the reference C parser; yaml-cpp scanned about ten times
// slower, and a property case's scenario is read for every case).
//
// A node is a scalar (with whether it was quoted), a list, a map (its pairs in file order,
// duplicates kept for the reader to reject), null (an empty plain value, ~ or null) or
// undefined (no node at all). An alias is the anchored node itself, shared, not a copy;
// but the readers read it again at every alias (a list of N aliases to a list of M aliases
// is N x M values), so the nodes aliases stand for are counted, and bounded
// (kMaxYamlAliasNodes). An anchor is known once its node is complete, so an alias cannot
// reach into its own node (no cycles).
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/scenario/model.hpp"

namespace vdisim::scenario::detail {

struct Ctx;

class YNode {
 public:
  enum class Kind { Undefined, Null, Scalar, Sequence, Map };
  YNode() = default;                 // undefined
  explicit YNode(std::string text);  // a plain scalar the loader made (no position)

  bool IsDefined() const { return d_ != nullptr; }
  bool IsNull() const { return d_ && d_->kind == Kind::Null; }
  bool IsScalar() const { return d_ && d_->kind == Kind::Scalar; }
  bool IsSequence() const { return d_ && d_->kind == Kind::Sequence; }
  bool IsMap() const { return d_ && d_->kind == Kind::Map; }
  const std::string &Scalar() const;        // "" unless a scalar
  bool quoted() const { return d_ && d_->quoted; }  // a scalar written in quotes (or a block)
  Mark mark() const { return d_ ? d_->mark : Mark{}; }  // line 0: no position (made by the loader)
  const std::vector<YNode> &items() const;                   // a list's items
  const std::vector<std::pair<YNode, YNode>> &pairs() const;  // a map's pairs

 private:
  friend class YamlBuilder;
  struct Data {
    Kind kind = Kind::Null;
    bool quoted = false;
    std::uint64_t size = 1;  // nodes it stands for, its subtree's, aliases expanded
    Mark mark;
    std::string text;
    std::vector<YNode> items;
    std::vector<std::pair<YNode, YNode>> pairs;
  };
  std::shared_ptr<Data> d_;
};

// Nesting deeper than this is refused (a YAML file is at most kMaxScenarioFileBytes).
inline constexpr int kMaxYamlDepth = 256;
// The nodes all of a file's aliases stand for, together, at most (what the readers would
// read again): far above what repeating a few backend lists needs.
inline constexpr std::uint64_t kMaxYamlAliasNodes = 100000;

// The one document of `text`: undefined when the text holds none (empty, or only comments),
// LoadError "YAML syntax error: ..." at the position libyaml names, or "a scenario file
// holds one YAML document; found a second one" at the second's start.
YNode parse_yaml(const Ctx &ctx, std::string_view text);

}  // namespace vdisim::scenario::detail
