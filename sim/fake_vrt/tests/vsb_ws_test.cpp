// vsb_ws_test.cpp -- behaviour of the pure-C VSB (vsb.c) and workspace (ws.c)
// against what Varnish's versions do. VAS_Fail is defined here as a throwing stub
// until the runtime provides the real one, so failed asserts become exceptions.

#include <gtest/gtest.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>

#include <unistd.h>

#include "cache/cache.h"
#include "cache/cache_varnishd.h"
#include "vsb.h"

struct VasFailure : std::runtime_error {
	using std::runtime_error::runtime_error;
};

extern "C" void VAS_Fail(const char *func, const char *file, int line,
    const char *cond, enum vas_e kind)
{
	throw VasFailure(std::string(file) + ":" + std::to_string(line) + " " +
	    func + "(): " + cond + " [kind " + std::to_string(int(kind)) + "]");
}

/* A failed magic check (miniobj.h); without a runtime it is a plain assertion. */
extern "C" void vdisim_obj_fail(const void *, const char *func, const char *file, int line,
    const char *cond)
{
	VAS_Fail(func, file, line, cond, VAS_ASSERT);
}

namespace {

std::string Quote(const std::string &in, int how, const char *pfx = "")
{
	struct vsb *v = VSB_new_auto();
	VSB_quote_pfx(v, pfx, in.data(), static_cast<int>(in.size()), how);
	EXPECT_EQ(VSB_finish(v), 0);
	std::string out(VSB_data(v));
	VSB_destroy(&v);
	return out;
}

// ------------------------------------------------------------------ VSB

TEST(Vsb, auto_buffer_grows_and_keeps_all_writes)
{
	struct vsb *v = VSB_new_auto();
	ASSERT_NE(v, nullptr);
	std::string want;
	for (int i = 0; i < 500; i++) {
		EXPECT_EQ(VSB_printf(v, "%d,", i), 0);
		want += std::to_string(i) + ",";
	}
	EXPECT_EQ(VSB_cat(v, "end"), 0);
	EXPECT_EQ(VSB_putc(v, '!'), 0);
	EXPECT_EQ(VSB_bcat(v, "xy", 1), 0);
	want += "end!x";
	EXPECT_EQ(VSB_finish(v), 0);
	EXPECT_EQ(std::string(VSB_data(v)), want);
	EXPECT_EQ(VSB_len(v), static_cast<ssize_t>(want.size()));
	VSB_destroy(&v);
	EXPECT_EQ(v, nullptr);
}

TEST(Vsb, fixed_buffer_overflow_is_sticky_error)
{
	char buf[8];
	struct vsb vsb[1];
	ASSERT_EQ(VSB_init(vsb, buf, sizeof buf), vsb);
	EXPECT_EQ(VSB_cat(vsb, "1234"), 0);
	EXPECT_EQ(VSB_cat(vsb, "56789"), -1);	// 4 + 5 > 7 characters
	EXPECT_EQ(VSB_error(vsb), ENOMEM);
	EXPECT_EQ(VSB_cat(vsb, "a"), -1);	// sticky
	EXPECT_EQ(VSB_len(vsb), -1);
	EXPECT_EQ(VSB_finish(vsb), -1);
	EXPECT_EQ(errno, ENOMEM);
	VSB_fini(vsb);
}

TEST(Vsb, fixed_buffer_printf_that_fills_it_exactly_is_an_error)
{
	// Varnish counts a completely filled fixed VSB as overflowed.
	char buf[4];
	struct vsb vsb[1];
	VSB_init(vsb, buf, sizeof buf);
	EXPECT_EQ(VSB_printf(vsb, "%s", "abc"), -1);
	EXPECT_EQ(VSB_error(vsb), ENOMEM);
	VSB_fini(vsb);
}

TEST(Vsb, fixed_buffer_printf_keeps_the_prefix_that_fits)
{
	char buf[6];
	struct vsb vsb[1];
	VSB_init(vsb, buf, sizeof buf);
	EXPECT_EQ(VSB_printf(vsb, "%s", "abcdefgh"), -1);
	EXPECT_EQ(VSB_finish(vsb), -1);
	EXPECT_STREQ(buf, "abcde");
	VSB_fini(vsb);
}


// VSB_printf writes a format of text, %s and %% itself (no vsnprintf): the same bytes,
// return value and error as snprintf's text would give, in every buffer size, with a
// NULL string as glibc prints it; other formats still go to vsnprintf.
TEST(Vsb, string_formats_write_what_snprintf_writes_in_every_buffer_size)
{
	struct Case {
		const char *fmt, *a, *b;
	};
	const Case cases[] = {
	    {"%s: %s", "Host", "h1.example"}, {"plain text", nullptr, nullptr},
	    {"%s", "", nullptr}, {"100%% %s%s", "x", "yz"}, {"%s-%s", nullptr, "b"},
	    {"%s %u", "n", nullptr}, {"%5s|%s", "ab", "c"}};
	for (const Case &c : cases) {
		const bool ints = std::strstr(c.fmt, "%u") != nullptr;
		char want[64];
		int wn = ints ? snprintf(want, sizeof want, c.fmt, c.a, 7u)
		              : snprintf(want, sizeof want, c.fmt, c.a, c.b);
		for (std::size_t size = 2; size < 24; size++) {
			char buf[24];
			std::memset(buf, '#', sizeof buf);
			struct vsb vsb[1];
			VSB_init(vsb, buf, size);
			int r = ints ? VSB_printf(vsb, c.fmt, c.a, 7u) : VSB_printf(vsb, c.fmt, c.a, c.b);
			const bool fits = wn >= 0 && static_cast<std::size_t>(wn) < size - 1;
			EXPECT_EQ(r, fits ? 0 : -1) << c.fmt << " size " << size;
			EXPECT_EQ(VSB_error(vsb), fits ? 0 : ENOMEM) << c.fmt << " size " << size;
			std::string kept(want, std::min<std::size_t>(static_cast<std::size_t>(wn), size - 1));
			EXPECT_EQ(std::string(buf), kept) << c.fmt << " size " << size;  // NUL-terminated
			EXPECT_EQ(buf[size], '#') << c.fmt << " wrote past size " << size;
			VSB_fini(vsb);
		}
	}
}
TEST(Vsb, indent_applies_at_each_line_start)
{
	struct vsb *v = VSB_new_auto();
	VSB_cat(v, "{\n");
	VSB_indent(v, 2);
	VSB_cat(v, "\"a\": 1,\n\"b\": 2\n");
	VSB_printf(v, "\"c\": %d\n", 3);
	VSB_indent(v, -2);
	VSB_cat(v, "}");
	ASSERT_EQ(VSB_finish(v), 0);
	EXPECT_STREQ(VSB_data(v), "{\n  \"a\": 1,\n  \"b\": 2\n  \"c\": 3\n}");
	VSB_destroy(&v);
}

TEST(Vsb, negative_indent_is_einval)
{
	struct vsb *v = VSB_new_auto();
	VSB_indent(v, -1);
	EXPECT_EQ(VSB_error(v), EINVAL);
	EXPECT_EQ(VSB_finish(v), -1);
	VSB_destroy(&v);
}

TEST(Vsb, clear_resets_text_error_and_finish)
{
	char buf[4];
	struct vsb vsb[1];
	VSB_init(vsb, buf, sizeof buf);
	VSB_cat(vsb, "toolong");
	VSB_finish(vsb);
	VSB_clear(vsb);
	EXPECT_EQ(VSB_error(vsb), 0);
	EXPECT_EQ(VSB_cat(vsb, "ok"), 0);
	EXPECT_EQ(VSB_finish(vsb), 0);
	EXPECT_STREQ(VSB_data(vsb), "ok");
	VSB_fini(vsb);
}

TEST(Vsb, misuse_fails_through_vas)
{
	struct vsb *v = VSB_new_auto();
	EXPECT_THROW(VSB_data(v), VasFailure);		// not finished
	VSB_finish(v);
	EXPECT_THROW(VSB_cat(v, "x"), VasFailure);	// finished
	EXPECT_THROW(VSB_fini(v), VasFailure);		// heap VSB
	VSB_destroy(&v);
	struct vsb bogus;
	std::memset(&bogus, 0, sizeof bogus);
	EXPECT_THROW(VSB_cat(&bogus, "x"), VasFailure);	// no magic
}

TEST(VsbQuote, plain_escapes_controls_quotes_and_high_bytes)
{
	EXPECT_EQ(Quote("abc", VSB_QUOTE_PLAIN), "abc");
	EXPECT_EQ(Quote("a\"b\\c", VSB_QUOTE_PLAIN), "a\\\"b\\\\c");
	EXPECT_EQ(Quote("a\nb\tc\r", VSB_QUOTE_PLAIN), "a\\nb\\tc\\r");
	EXPECT_EQ(Quote("\x01\xff", VSB_QUOTE_PLAIN), "\\001\\377");
	EXPECT_EQ(Quote("\x01\xff", VSB_QUOTE_ESCHEX), "\\x01\\xff");
}

TEST(VsbQuote, json_uses_u_escapes_and_keeps_utf8)
{
	EXPECT_EQ(Quote("a\"b", VSB_QUOTE_JSON), "a\\\"b");
	EXPECT_EQ(Quote("a\nb", VSB_QUOTE_JSON), "a\\nb");
	EXPECT_EQ(Quote("\x01", VSB_QUOTE_JSON), "\\u0001");
	EXPECT_EQ(Quote("caf\xc3\xa9", VSB_QUOTE_JSON), "caf\xc3\xa9");
}

TEST(VsbQuote, hex_compresses_long_zero_runs)
{
	EXPECT_EQ(Quote(std::string("\x01\x02", 2), VSB_QUOTE_HEX), "0x0102");
	EXPECT_EQ(Quote(std::string(4, '\0'), VSB_QUOTE_HEX), "0x00000000");
	EXPECT_EQ(Quote(std::string(5, '\0'), VSB_QUOTE_HEX), "0x0...0");
}

TEST(VsbQuote, cstr_splits_lines_and_guards_trigraphs)
{
	EXPECT_EQ(Quote("ab", VSB_QUOTE_CSTR), "\"ab\"");
	EXPECT_EQ(Quote("a\nb", VSB_QUOTE_CSTR, "  "), "  \"a\\n\"\n  \"b\"");
	EXPECT_EQ(Quote("?\?=", VSB_QUOTE_CSTR), "\"\\?\\?=\"");
	EXPECT_EQ(Quote("", VSB_QUOTE_CSTR), "\"\"");
}

TEST(VsbQuote, nonl_and_unsafe_end_with_newline)
{
	EXPECT_EQ(Quote("ab", VSB_QUOTE_NONL), "ab\n");
	EXPECT_EQ(Quote("ab\n", VSB_QUOTE_NONL), "ab\n");
	EXPECT_EQ(Quote("a\"b\nc", VSB_QUOTE_UNSAFE, "> "), "> a\"b\n> c\n");
	EXPECT_EQ(Quote("", VSB_QUOTE_NONL), "");
}

TEST(VsbQuote, cli_adds_quotes_only_when_needed)
{
	EXPECT_EQ(Quote("abc", VSB_QUOTE_CLI), "abc");
	EXPECT_EQ(Quote("a b", VSB_QUOTE_CLI), "\"a b\"");
}

TEST(VsbQuote, two_modes_at_once_is_a_bug)
{
	struct vsb *v = VSB_new_auto();
	EXPECT_THROW(VSB_quote(v, "x", 1, VSB_QUOTE_JSON | VSB_QUOTE_HEX),
	    VasFailure);
	VSB_destroy(&v);
}

TEST(Vsb, tofile_writes_the_finished_text_to_the_descriptor)
{
	struct vsb *v = VSB_new_auto();
	VSB_printf(v, "%s=%d\n", "answer", 42);
	EXPECT_THROW(VSB_tofile(v, 1), VasFailure) << "an unfinished buffer";
	ASSERT_EQ(VSB_finish(v), 0);
	int fds[2];
	ASSERT_EQ(pipe(fds), 0);
	EXPECT_EQ(VSB_tofile(v, fds[1]), 0);
	close(fds[1]);
	char got[64] = {0};
	EXPECT_EQ(read(fds[0], got, sizeof got), 10);
	EXPECT_STREQ(got, "answer=42\n");
	errno = 0;
	EXPECT_EQ(VSB_tofile(v, fds[1]), -1) << "a closed descriptor";
	EXPECT_EQ(errno, EBADF);
	close(fds[0]);
	VSB_destroy(&v);
}

// ------------------------------------------------------------------- WS

struct WsFixture : ::testing::Test {
	alignas(void *) char space[256];
	struct ws ws[1];
	void SetUp() override { WS_Init(ws, "tst", space, sizeof space); }
	size_t Free() const { return static_cast<size_t>(ws->e - ws->f); }
};

TEST_F(WsFixture, init_keeps_a_guard_byte_past_the_end)
{
	EXPECT_EQ(ws->s, space);
	EXPECT_LT(ws->e, space + sizeof space);
	EXPECT_TRUE(PAOK(ws->e));
	EXPECT_EQ(ws->r, nullptr);
	EXPECT_FALSE(WS_Overflowed(ws));
	*ws->e = 0;	// clobber the guard
	EXPECT_THROW(WS_Assert(ws), VasFailure);
}

TEST_F(WsFixture, init_rejects_upper_case_id)
{
	struct ws other[1];
	EXPECT_THROW(WS_Init(other, "Bad", space, sizeof space), VasFailure);
}

TEST_F(WsFixture, alloc_rounds_up_to_pointer_alignment)
{
	char *a = static_cast<char *>(WS_Alloc(ws, 1));
	char *b = static_cast<char *>(WS_Alloc(ws, 3));
	ASSERT_NE(a, nullptr);
	ASSERT_NE(b, nullptr);
	EXPECT_EQ(static_cast<size_t>(b - a), sizeof(void *));
	EXPECT_TRUE(WS_Allocated(ws, a, 1));
	EXPECT_FALSE(WS_Allocated(ws, ws->f, 1));
}

TEST_F(WsFixture, alloc_past_the_end_returns_null_and_marks_overflow)
{
	size_t room = Free();
	EXPECT_EQ(WS_Alloc(ws, static_cast<unsigned>(room) + 1), nullptr);
	EXPECT_TRUE(WS_Overflowed(ws));
	EXPECT_EQ(Free(), room);	// nothing taken
	EXPECT_NE(WS_Alloc(ws, 8), nullptr);	// still usable
	char id[WS_ID_SIZE];
	WS_Id(ws, id);
	EXPECT_STREQ(id, "tst");
}

TEST_F(WsFixture, copy_minus_one_includes_the_nul)
{
	const char *p = static_cast<const char *>(WS_Copy(ws, "hello", -1));
	ASSERT_NE(p, nullptr);
	EXPECT_STREQ(p, "hello");
	EXPECT_TRUE(WS_Allocated(ws, p, -1));
}

TEST_F(WsFixture, reserve_all_then_release_keeps_aligned_part)
{
	char *f0 = ws->f;
	unsigned u = WS_ReserveAll(ws);
	EXPECT_EQ(u, Free());
	EXPECT_EQ(WS_Reservation(ws), f0);
	EXPECT_EQ(WS_ReservationSize(ws), u);
	EXPECT_THROW(WS_Alloc(ws, 8), VasFailure);	// reservation held
	WS_Release(ws, 5);
	EXPECT_EQ(ws->r, nullptr);
	EXPECT_EQ(ws->f, f0 + PRNDUP(5));
}

TEST_F(WsFixture, release_more_than_reserved_fails)
{
	WS_ReserveSize(ws, 16);
	EXPECT_THROW(WS_Release(ws, 17), VasFailure);
}

TEST_F(WsFixture, reserve_size_too_big_marks_overflow_without_reserving)
{
	EXPECT_EQ(WS_ReserveSize(ws, static_cast<unsigned>(Free()) + 1), 0u);
	EXPECT_EQ(ws->r, nullptr);
	EXPECT_TRUE(WS_Overflowed(ws));
	EXPECT_EQ(WS_ReserveSize(ws, 16), 16u);
	char *f0 = ws->f;
	WS_ReleaseP(ws, f0 + 9);
	EXPECT_EQ(ws->f, f0 + PRNDUP(9));
}

TEST_F(WsFixture, reserve_lumps_counts_whole_items)
{
	unsigned room = static_cast<unsigned>(Free());
	EXPECT_EQ(WS_ReserveLumps(ws, 10), room / 10);
	WS_Release(ws, 0);
}

TEST_F(WsFixture, snapshot_and_reset_roll_back_allocations)
{
	uintptr_t snap = WS_Snapshot(ws);
	char *f0 = ws->f;
	WS_Alloc(ws, 64);
	WS_Reset(ws, snap);
	EXPECT_EQ(ws->f, f0);
}

TEST_F(WsFixture, reset_to_an_overflowed_snapshot_keeps_the_mark)
{
	WS_MarkOverflow(ws);
	uintptr_t snap = WS_Snapshot(ws);
	WS_Alloc(ws, 8);
	char *f1 = ws->f;
	WS_Reset(ws, snap);
	EXPECT_TRUE(WS_Overflowed(ws));
	EXPECT_EQ(ws->f, f1);	// Varnish leaves the workspace alone here
	WS_Rollback(ws, 0);
	EXPECT_FALSE(WS_Overflowed(ws));
	EXPECT_EQ(ws->f, ws->s);
}

TEST_F(WsFixture, printf_fits_or_returns_null_with_overflow)
{
	const char *p = WS_Printf(ws, "%s-%d", "abc", 42);
	ASSERT_NE(p, nullptr);
	EXPECT_STREQ(p, "abc-42");
	EXPECT_EQ(ws->r, nullptr);
	std::string big(400, 'x');
	EXPECT_EQ(WS_Printf(ws, "%s", big.c_str()), nullptr);
	EXPECT_TRUE(WS_Overflowed(ws));
	EXPECT_EQ(ws->r, nullptr);
}

TEST_F(WsFixture, vsb_on_workspace_keeps_text)
{
	struct vsb vsb[1];
	size_t sz = 0;
	WS_VSB_new(vsb, ws);
	VSB_printf(vsb, "n=%d", 7);
	char *p = WS_VSB_finish(vsb, ws, &sz);
	ASSERT_NE(p, nullptr);
	EXPECT_STREQ(p, "n=7");
	EXPECT_EQ(sz, 3u);
	EXPECT_EQ(ws->r, nullptr);
	EXPECT_TRUE(WS_Allocated(ws, p, -1));
}

TEST_F(WsFixture, vsb_on_workspace_overflow_returns_null)
{
	struct vsb vsb[1];
	size_t sz = 99;
	WS_VSB_new(vsb, ws);
	VSB_cat(vsb, std::string(400, 'y').c_str());
	EXPECT_EQ(WS_VSB_finish(vsb, ws, &sz), nullptr);
	EXPECT_EQ(sz, 0u);
	EXPECT_TRUE(WS_Overflowed(ws));
	EXPECT_EQ(ws->r, nullptr);
}

TEST_F(WsFixture, at_offset_gives_allocated_bytes_only)
{
	char *a = static_cast<char *>(WS_Copy(ws, "abcdef", 6));
	ASSERT_NE(a, nullptr);
	unsigned off = static_cast<unsigned>(a - ws->s);
	EXPECT_EQ(WS_AtOffset(ws, off + 2, 4), a + 2);
	EXPECT_THROW(WS_AtOffset(ws, off + 2, 200), VasFailure) << "past what is allocated";
}

TEST_F(WsFixture, reservation_offset_is_where_the_reservation_starts)
{
	EXPECT_THROW(WS_ReservationOffset(ws), VasFailure) << "no reservation";
	(void)WS_Alloc(ws, 24);
	(void)WS_ReserveAll(ws);
	EXPECT_EQ(WS_ReservationOffset(ws), 24u);
	WS_Release(ws, 0);
}

TEST_F(WsFixture, pipeline_moves_bytes_to_a_fresh_reservation)
{
	char *old = static_cast<char *>(WS_Copy(ws, "GET / HTTP/1.1", 14));
	ASSERT_NE(old, nullptr);
	// With rollback the workspace starts over: the bytes land at its start.
	EXPECT_EQ(WS_Pipeline(ws, old, old + 14, 1), 14);
	EXPECT_EQ(ws->f, ws->s);
	EXPECT_NE(ws->r, nullptr);
	EXPECT_EQ(std::string(ws->f, 14), "GET / HTTP/1.1");
	WS_Release(ws, 14);
	// Without: after what is allocated; nothing to move is 0, too much is -1.
	EXPECT_EQ(WS_Pipeline(ws, nullptr, nullptr, 0), 0);
	WS_Release(ws, 0);
	std::string big(Free() + 1, 'x');
	EXPECT_EQ(WS_Pipeline(ws, big.data(), big.data() + big.size(), 0), -1);
	WS_Release(ws, 0);
}

TEST_F(WsFixture, task_alloc_obj_initialises_magic)
{
	struct vrt_ctx ctx[1];
	INIT_OBJ(ctx, VRT_CTX_MAGIC);
	ctx->ws = ws;
	struct vsb *v = nullptr;
	v = static_cast<struct vsb *>(WS_Alloc(ctx->ws, sizeof *v));
	ASSERT_NE(v, nullptr);
	INIT_OBJ(v, VSB_MAGIC);
	EXPECT_EQ(v->magic, VSB_MAGIC);
	FINI_OBJ(v);
	EXPECT_EQ(v, nullptr);
}

}  // namespace
