// yaml_node_test.cpp -- the scenario loader's YAML layer (yaml_node.cpp over libyaml):
// node kinds, positions, aliases, the one-document rule and the nesting limit.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <string>

#include "sim/scenario/loader.hpp"
#include "sim/scenario/yaml_node.hpp"
#include "sim/scenario/yaml_reader.hpp"

namespace vs = vdisim::scenario;
using vs::detail::YNode;

namespace {

YNode parse(const std::string &text) { return vs::detail::parse_yaml(vs::detail::Ctx{"t.yaml"}, text); }

std::string error_of(const std::string &text) {
  try {
    parse(text);
  } catch (const vs::LoadError &e) {
    return std::to_string(e.line) + ":" + std::to_string(e.col) + ": " + e.message;
  }
  return "no error";
}

TEST(YamlNode, kinds_positions_and_quotes) {
  YNode root = parse("a: 1\nb: 'two'\nc:\nd: ~\ne: [x, {y: z}]\nf: \"\"\n");
  ASSERT_TRUE(root.IsMap());
  const auto &p = root.pairs();
  ASSERT_EQ(p.size(), 6u);
  EXPECT_EQ(p[0].first.Scalar(), "a");
  EXPECT_EQ(p[0].second.Scalar(), "1");
  EXPECT_FALSE(p[0].second.quoted());
  EXPECT_EQ(p[1].second.Scalar(), "two");
  EXPECT_TRUE(p[1].second.quoted());
  EXPECT_EQ(p[1].second.mark().line, 2);
  EXPECT_EQ(p[1].second.mark().col, 4);  // at the quote
  EXPECT_TRUE(p[2].second.IsNull());     // an empty value
  EXPECT_TRUE(p[3].second.IsNull());     // ~
  ASSERT_TRUE(p[4].second.IsSequence());
  ASSERT_EQ(p[4].second.items().size(), 2u);
  EXPECT_TRUE(p[4].second.items()[1].IsMap());
  EXPECT_EQ(p[4].second.items()[1].mark().col, 8);
  EXPECT_TRUE(p[5].second.IsScalar());  // a quoted empty string is a string, not null
  EXPECT_EQ(p[5].second.Scalar(), "");
}

TEST(YamlNode, duplicate_keys_are_kept_for_the_reader_to_refuse) {
  YNode root = parse("k: 1\nk: 2\n");
  ASSERT_EQ(root.pairs().size(), 2u);
  EXPECT_EQ(root.pairs()[1].second.Scalar(), "2");
}

TEST(YamlNode, an_alias_is_its_anchored_node_shared_not_copied) {
  YNode root = parse("a: &x {k: v}\nb: *x\n");
  const auto &p = root.pairs();
  ASSERT_TRUE(p[1].second.IsMap());
  EXPECT_EQ(&p[0].second.pairs(), &p[1].second.pairs());  // the same node
}

TEST(YamlNode, an_alias_must_follow_its_complete_anchor) {
  EXPECT_EQ(error_of("a: *x\nb: &x 1\n"), "1:4: YAML error: alias *x names no anchor before it");
  // Inside its own anchor the node is not complete: no cycle can be built.
  EXPECT_EQ(error_of("a: &x [1, *x]\n"), "1:11: YAML error: alias *x names no anchor before it");
}

// A list of N aliases to a list of M aliases is N x M values for the readers: the nodes
// aliases stand for are bounded, nested aliases counted in full.
TEST(YamlNode, what_aliases_stand_for_is_bounded) {
  auto lists = [](int m, int n) {
    std::string s = "a: &l [&h x";
    for (int i = 1; i < m; i++) s += ", *h";
    s += "]\nb: [*l";
    for (int i = 1; i < n; i++) s += ", *l";
    return s + "]\n";
  };
  EXPECT_TRUE(parse(lists(300, 300)).IsMap());  // 300 + 300 x 301 nodes through aliases
  EXPECT_EQ(error_of(lists(400, 400)),
            "2:997: YAML aliases stand for more than 100000 nodes in all (each alias is read again)");
  std::string laughs = "a: &a0 [x, x, x, x, x, x, x, x, x, x]\n";  // each level ten of the last
  for (int i = 1; i < 9; i++) {
    laughs += fmt::format("a{}: &a{} [*a{}", i, i, i - 1);
    for (int j = 1; j < 10; j++) laughs += fmt::format(", *a{}", i - 1);
    laughs += "]\n";
  }
  EXPECT_NE(error_of(laughs).find("YAML aliases stand for more than 100000 nodes"), std::string::npos);
}

TEST(YamlNode, one_document_and_empty_texts) {
  EXPECT_FALSE(parse("").IsDefined());
  EXPECT_FALSE(parse("# only a comment\n").IsDefined());
  EXPECT_TRUE(parse("---\n").IsNull());
  EXPECT_EQ(error_of("a: 1\n---\nb: 2\n"), "2:1: a scenario file holds one YAML document; found a second one");
  EXPECT_EQ(error_of("a: 1\n...\nb: 2\n"), "3:1: YAML syntax error: did not find expected <document start>, found 'b'");
  EXPECT_EQ(error_of("a: 1\n...\n---\nb: 2\n"), "3:1: a scenario file holds one YAML document; found a second one");
}

TEST(YamlNode, nesting_is_limited_and_deep_text_fails_fast) {
  std::string ok(vs::detail::kMaxYamlDepth, '['), too_deep(vs::detail::kMaxYamlDepth + 1, '[');
  ok += std::string(vs::detail::kMaxYamlDepth, ']');
  EXPECT_TRUE(parse(ok).IsSequence());
  std::string deep(4 * 1024 * 1024 - 1, '[');  // the largest scenario file, all opening brackets
  EXPECT_EQ(error_of(deep), "1:257: YAML nesting deeper than 256 levels");
  EXPECT_EQ(error_of(too_deep), "1:257: YAML nesting deeper than 256 levels");
}

TEST(YamlNode, bad_bytes_name_their_position) {
  EXPECT_EQ(error_of("a: 1\nb: \xff\n"), "2:4: YAML syntax error: invalid leading UTF-8 octet (byte 0xff)");
}

}  // namespace
