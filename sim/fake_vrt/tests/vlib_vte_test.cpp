// vlib_vte_test.cpp -- vte.c's column alignment (Varnish 8.0.0's reference table:
// left cells padded, \v cells right-aligned, last cells unpadded) and vcs.c's
// version strings.

#include <gtest/gtest.h>

#include <cerrno>
#include <cstdarg>
#include <cstdio>
#include <string>

#include "vte.h"
#include "vcs.h"
#include "vmod_abi.h"

namespace {

int Append(void *priv, const char *fmt, ...) {
	auto *out = static_cast<std::string *>(priv);
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	int n = std::vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (n > 0)
		out->append(buf, static_cast<size_t>(n));
	return n;
}

int Refuse(void *, const char *, ...) { return -1; }

TEST(VlibVte, aligns_columns_like_varnish) {
	struct vte *vte = VTE_new(3, 20);
	ASSERT_NE(vte, nullptr);
	EXPECT_EQ(VTE_cat(vte, "name\tref\tcomment\n"), 0);
	EXPECT_EQ(VTE_printf(vte, "%s\t\v%d\t%s\n", "foo", 1, "the foo"), 0);
	EXPECT_EQ(VTE_cat(vte, "bar\t\v10\tthe bars\n"), 0);
	EXPECT_EQ(VTE_cat(vte, "baz\t\v0\t\n"), 0);
	EXPECT_EQ(VTE_cat(vte, "\v0\t\v0\t\n"), 0);
	EXPECT_EQ(VTE_cat(vte, "qux\t\v-1\tno eo"), 0);
	EXPECT_EQ(VTE_putc(vte, 'l'), 0);
	std::string out;
	EXPECT_EQ(VTE_format(vte, Append, &out), -1);	// not finished yet
	EXPECT_EQ(VTE_finish(vte), 0);
	EXPECT_EQ(VTE_cat(vte, "late"), -1);
	EXPECT_EQ(VTE_format(vte, Append, &out), 0);
	EXPECT_EQ(out,
	    "name  ref  comment\n"
	    "foo     1  the foo\n"
	    "bar    10  the bars\n"
	    "baz     0  \n"
	    "   0    0  \n"
	    "qux    -1  no eol");
	EXPECT_EQ(VTE_format(vte, Refuse, nullptr), -1);
	std::string raw;
	EXPECT_EQ(VTE_dump(vte, Append, &raw), 0);
	EXPECT_EQ(raw.substr(0, 17), "name\tref\tcomment\n");
	VTE_destroy(&vte);
	EXPECT_EQ(vte, nullptr);
}

TEST(VlibVte, verbatim_lines_and_too_many_fields) {
	struct vte *vte = VTE_new(2, 80);
	EXPECT_EQ(VTE_cat(vte, "a\tb\n as\tis\tkept\nlong\tx\n"), 0);
	EXPECT_EQ(VTE_finish(vte), 0);
	std::string out;
	EXPECT_EQ(VTE_format(vte, Append, &out), 0);
	// column 0 is 4 wide ("long"), the gap 3 (wide target)
	EXPECT_EQ(out, "a      b\n as\tis\tkept\nlong   x\n");
	VTE_destroy(&vte);

	vte = VTE_new(2, 80);
	errno = 0;
	EXPECT_EQ(VTE_cat(vte, "a\tb\tc\n"), -1);
	EXPECT_EQ(errno, EOVERFLOW);
	EXPECT_EQ(VTE_finish(vte), -1);	// failures stick
	VTE_destroy(&vte);
}

TEST(VlibVcs, version_strings_name_varnish_8_0_0_and_vdisim) {
	EXPECT_STREQ(VCS_String("T"), "varnish");
	EXPECT_STREQ(VCS_String("P"), "8.0.0");
	EXPECT_STREQ(VCS_String("B"), "8.0");
	EXPECT_STREQ(VCS_String("R"), "vdisim");
	EXPECT_STREQ(VCS_String("V"), "varnish-8.0.0 revision vdisim");
	EXPECT_EQ(std::string(VCS_String("M")).rfind("(varnish-8.0.0 revision vdisim)\n", 0), 0u);
	EXPECT_STREQ(VMOD_ABI_Version, "Varnish 8.0.0 vdisim");
	EXPECT_DEATH(VCS_String("X"), "assert outside a run");
}

}  // namespace
