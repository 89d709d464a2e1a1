// vlib_vre_test.cpp -- vre.c over PCRE2: compile errors, match, capture, substitution
// (first and all, with \0..\9), quoting, limits and exported patterns.

#include <gtest/gtest.h>

#include <string>

#include "vdef.h"
#include "vsb.h"
#include "vre.h"
#include "vre_pcre2.h"
#include "vdisim_alloc.h"

namespace {

vre_t *Compile(const char *re, unsigned opt = 0) {
	int err = 0, off = 0;
	vre_t *v = VRE_compile(re, opt, &err, &off, 0);
	EXPECT_NE(v, nullptr) << re;
	return v;
}

std::string Sub(const char *re, const char *subject, const char *rep, int all) {
	vre_t *v = Compile(re);
	struct vsb *vsb = VSB_new_auto();
	int r = VRE_sub(v, subject, rep, vsb, nullptr, all);
	EXPECT_EQ(VSB_finish(vsb), 0);
	std::string out = r == 1 ? std::string(VSB_data(vsb)) : "<" + std::to_string(r) + ">";
	VSB_destroy(&vsb);
	VRE_free(&v);
	return out;
}

TEST(VlibVre, compile_error_has_offset_and_message) {
	int err = 0, off = 0;
	EXPECT_EQ(VRE_compile("a(b", 0, &err, &off, 0), nullptr);
	EXPECT_NE(err, 0);
	EXPECT_EQ(off, 3);
	struct vsb *vsb = VSB_new_auto();
	EXPECT_EQ(VRE_error(vsb, err), 0);
	EXPECT_EQ(VRE_error(vsb, 123456), -1);
	ASSERT_EQ(VSB_finish(vsb), 0);
	std::string msg = VSB_data(vsb);
	EXPECT_NE(msg.find("missing closing parenthesis"), std::string::npos) << msg;
	EXPECT_NE(msg.find("unknown pcre2 error code (123456)"), std::string::npos) << msg;
	VSB_destroy(&vsb);
}

TEST(VlibVre, match_and_caseless) {
	vre_t *v = Compile("^www\\.");
	EXPECT_GE(VRE_match(v, "www.example.com", 0, 0, nullptr), 1);
	EXPECT_EQ(VRE_match(v, "WWW.example.com", 0, 0, nullptr), VRE_ERROR_NOMATCH);
	EXPECT_EQ(VRE_match(v, "www.", 3, 0, nullptr), VRE_ERROR_NOMATCH);	// length counts
	VRE_free(&v);
	EXPECT_EQ(v, nullptr);
	v = Compile("^www\\.", VRE_CASELESS);
	EXPECT_GE(VRE_match(v, "WWW.example.com", 0, 0, nullptr), 1);
	VRE_free(&v);
}

TEST(VlibVre, capture_fills_groups_and_unset_ones_empty) {
	vre_t *v = Compile("(a+)(x)?(b+)");
	txt g[5];
	const char *s = "zzaabbb";
	EXPECT_EQ(VRE_capture(v, s, 0, 0, g, 5, nullptr), 4);	// whole + 3 groups
	EXPECT_EQ(std::string(g[0].b, g[0].e), "aabbb");
	EXPECT_EQ(std::string(g[1].b, g[1].e), "aa");
	EXPECT_EQ(std::string(g[2].b, g[2].e), "");
	EXPECT_EQ(std::string(g[3].b, g[3].e), "bbb");
	EXPECT_EQ(VRE_capture(v, s, 0, 0, g, 2, nullptr), 2);	// only what fits
	EXPECT_EQ(VRE_capture(v, "nothing", 0, 0, g, 5, nullptr), VRE_ERROR_NOMATCH);
	VRE_free(&v);
}

TEST(VlibVre, sub_replaces_first_or_all_with_backreferences) {
	EXPECT_EQ(Sub("o", "foo boo", "0", 0), "f0o boo");
	EXPECT_EQ(Sub("o", "foo boo", "0", 1), "f00 b00");
	EXPECT_EQ(Sub("(\\w+)@(\\w+)", "me@host x", "\\2 at \\1 (\\0)", 0),
	    "host at me (me@host) x");
	EXPECT_EQ(Sub("a", "xax", "\\9|\\n|\\\\|end\\", 0), "x|n|\\|end\\x");
	EXPECT_EQ(Sub("x*", "abc", "-", 1), "-abc");	// no empty match after the first
	EXPECT_EQ(Sub("q", "abc", "-", 1), "<-1>");
}

TEST(VlibVre, limits_stop_catastrophic_backtracking) {
	vre_t *v = Compile("(a+)+$");
	volatile struct vre_limits lim = {100, 10};
	std::string s(30, 'a');
	s += "b";
	int r = VRE_match(v, s.c_str(), 0, 0, &lim);
	EXPECT_LT(r, VRE_ERROR_NOMATCH);	// a limit error, not "no match"
	VRE_free(&v);
}

TEST(VlibVre, quote_makes_a_literal_pattern) {
	struct vsb *vsb = VSB_new_auto();
	VRE_quote(vsb, "a.b\\Ec*");
	ASSERT_EQ(VSB_finish(vsb), 0);
	EXPECT_STREQ(VSB_data(vsb), "\\Qa.b\\\\EE\\Qc*\\E");
	vre_t *v = Compile(VSB_data(vsb));
	EXPECT_GE(VRE_match(v, "xa.b\\Ec*", 0, 0, nullptr), 1);
	EXPECT_EQ(VRE_match(v, "aXb\\Ec", 0, 0, nullptr), VRE_ERROR_NOMATCH);
	VRE_free(&v);
	VSB_destroy(&vsb);
}

TEST(VlibVre, exported_pattern_matches_like_the_original) {
	vre_t *v = Compile("^/api/(v[0-9]+)/");
	size_t sz = 0;
	vre_t *x = VRE_export(v, &sz);
	ASSERT_NE(x, nullptr);
	EXPECT_GT(sz, sizeof(void *) * 3);
	VRE_free(&v);	// the export stands alone
	EXPECT_NE(VRE_unpack(x), nullptr);
	txt g[2];
	EXPECT_EQ(VRE_capture(x, "/api/v2/users", 0, 0, g, 2, nullptr), 2);
	EXPECT_EQ(std::string(g[1].b, g[1].e), "v2");
	VRE_free(&x);
}

}  // namespace
