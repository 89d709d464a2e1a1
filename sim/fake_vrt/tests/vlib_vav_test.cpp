// vlib_vav_test.cpp -- vav.c's word splitting and backslash decoding against
// Varnish 8.0.0's documented cases (flags K = comment, C = comma, N = no escapes).

#include <gtest/gtest.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

#include "vav.h"
#include "vdisim_alloc.h"

namespace {

constexpr int K = ARGV_COMMENT, C = ARGV_COMMA, N = ARGV_NOESC;

struct Parsed {
	std::string err;	// "" on success
	std::vector<std::string> words;
	int argc = -1;
};

// Parses [s, s + strlen(s)) from a copy without a terminating NUL, so reading
// past the end would be caught by a sanitizer.
Parsed Parse(const std::string &s, int flag) {
	std::vector<char> copy(s.begin(), s.end());
	int argc = -1;
	char **av = copy.empty() ? VAV_Parse("", &argc, flag) :
	    VAV_ParseTxt(copy.data(), copy.data() + copy.size(), &argc, flag);
	Parsed p;
	EXPECT_NE(av, nullptr);
	if (av[0] != nullptr)
		p.err = av[0];
	for (int i = 1; av[i] != nullptr; i++)
		p.words.push_back(av[i]);
	p.argc = argc;
	VAV_Free(av);
	return p;
}

using W = std::vector<std::string>;

TEST(VlibVav, splits_like_varnish) {
	struct { int flag; const char *in; W want; } cases[] = {
		{K | C | N, "", {}},
		{0, "foo", {"foo"}},
		{0, "foo bar", {"foo", "bar"}},
		{C, "foo bar", {"foo", "bar"}},
		{C, "foo,bar", {"foo", "bar"}},
		{0, "  foo  bar  ", {"foo", "bar"}},
		{C, "  foo  ,  bar  ", {"foo", "bar"}},
		{C, "foo bar ", {"foo", "bar"}},
		{C, "foo,bar,", {"foo", "bar", ""}},
		{0, "foo \"bar baz\"", {"foo", "bar baz"}},
		{0, "foo #bar", {"foo", "#bar"}},
		{K, "foo #bar", {"foo"}},
		{0, "foo#bar", {"foo#bar"}},
		{K, "foo#bar", {"foo#bar"}},
		{N, "\\", {"\\"}},
		{0, "\\x20", {" "}},
		{N, "foo\"bar", {"foo\"bar"}},
		{0, "\"foo\" \"bar\"", {"foo", "bar"}},
		{C, "\"foo\",\"bar\"", {"foo", "bar"}},
		{N, "\"foo\"\"bar\"", {"\"foo\"\"bar\""}},
		{C, "a,,b", {"a", "", "b"}},
		// "\\0" decodes to a NUL, which ends the C string
		{0, "tab\\there \\101\\0", {"tab\there", "A"}},
	};
	for (auto &c : cases) {
		Parsed p = Parse(c.in, c.flag);
		EXPECT_EQ(p.err, "") << "<" << c.in << "> flags " << c.flag;
		EXPECT_EQ(p.words, c.want) << "<" << c.in << "> flags " << c.flag;
		EXPECT_EQ(p.argc, static_cast<int>(c.want.size()) + 1) << "<" << c.in << ">";
	}
}

TEST(VlibVav, reports_varnish_error_texts) {
	struct { int flag; const char *in; const char *err; } cases[] = {
		{0, "\\", "Invalid backslash sequence"},
		{0, "\\x", "Invalid backslash sequence"},
		{0, "\\x2", "Invalid backslash sequence"},
		{0, "\\x2O", "Invalid backslash sequence"},
		{0, "\\q", "Invalid backslash sequence"},
		{0, "\"foo", "Missing '\"'"},
		{0, "foo\"bar", "Invalid '\"'"},
		{0, "\"foo\"\"bar\"", "Missing separator between arguments"},
	};
	for (auto &c : cases)
		EXPECT_EQ(Parse(c.in, c.flag).err, c.err) << "<" << c.in << ">";
	// words parsed before the error are kept and freed by VAV_Free
	Parsed p = Parse("ok \"open", 0);
	EXPECT_EQ(p.err, "Missing '\"'");
	EXPECT_EQ(p.words, W{"ok"});
}

TEST(VlibVav, backslash_lengths_and_values) {
	char c = 0;
	EXPECT_EQ(VAV_BackSlash("\\n", &c), 2);
	EXPECT_EQ(c, '\n');
	EXPECT_EQ(VAV_BackSlash("\\\"", &c), 2);
	EXPECT_EQ(c, '"');
	EXPECT_EQ(VAV_BackSlash("\\\\", &c), 2);
	EXPECT_EQ(c, '\\');
	EXPECT_EQ(VAV_BackSlash("\\101x", &c), 4);
	EXPECT_EQ(c, 'A');
	EXPECT_EQ(VAV_BackSlash("\\18", &c), 2);	// 8 is no octal digit
	EXPECT_EQ(c, 1);
	EXPECT_EQ(VAV_BackSlash("\\x41", &c), 4);
	EXPECT_EQ(c, 'A');
	EXPECT_EQ(VAV_BackSlash("\\xg1", &c), 0);
	EXPECT_EQ(VAV_BackSlash("\\z", nullptr), 0);
}

TEST(VlibVav, backslash_decode_copies_or_refuses) {
	const char *s = "a\\tb\\x41c";
	char *d = VAV_BackSlashDecode(s, nullptr);
	ASSERT_NE(d, nullptr);
	EXPECT_STREQ(d, "a\tbAc");
	vdisim_free(d);	// what free() is in director code
	d = VAV_BackSlashDecode(s, s + 3);	// "a\t" cut inside nothing
	EXPECT_STREQ(d, "a\t");
	vdisim_free(d);
	errno = 0;
	EXPECT_EQ(VAV_BackSlashDecode("x\\", nullptr), nullptr);
	EXPECT_EQ(errno, EINVAL);
}

TEST(VlibVav, many_words_grow_the_vector) {
	std::string in;
	for (int i = 0; i < 100; i++)
		in += "w" + std::to_string(i) + " ";
	Parsed p = Parse(in, 0);
	ASSERT_EQ(p.words.size(), 100u);
	EXPECT_EQ(p.words[99], "w99");
}

}  // namespace
