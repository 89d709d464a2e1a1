// vlib_vnum_test.cpp -- vnum.c's parsers against Varnish 8.0.0's documented results:
// value, how far the pointer moved and which error, for sf-integers, sf-decimals,
// durations and byte sizes.

#include <gtest/gtest.h>

#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string>

#include "vnum.h"

namespace {

const char kInvalid[] = "Invalid number";
const char kTooLong[] = "Too many digits";
const char kUnit[] = "Unknown BYTES unit of measurement ([KMGTP][B])";
const char kFraction[] = "Fractional BYTES not allowed";

struct NumCase {
	const char	*in;
	int		strict;
	double		value;
	int		consumed;
	const char	*err;	// nullptr: success
};

TEST(VlibVnum, sf_parse_number_value_stop_and_error_match_varnish) {
	const NumCase cases[] = {
		{"1234", 1, 1234.0, 4, nullptr},
		{" 1234", 1, 1234.0, 5, nullptr},
		{" 1234 ", 1, 1234.0, 6, nullptr},
		{" 1234. ", 1, 1234.0, 6, kInvalid},
		{" 123456789012.0 ", 1, 123456789012.0, 16, nullptr},
		{" 1234567890123.0 ", 1, 1234567890123.0, 14, kTooLong},
		{" 123456789012.123 ", 1, 123456789012.123, 18, nullptr},
		{" 123456789012.1234 ", 1, 123456789012.123, 17, kTooLong},
		{" -0.123456 ", 1, .123, 7, kTooLong},
		{" -.123456 ", 1, 0., 2, kInvalid},
		{" .123456 ", 1, 0., 1, kInvalid},
		{" 0. ", 1, 0., 3, kInvalid},
		{" .0 ", 1, 0., 1, kInvalid},
		{" 123456789012.1234 ", 0, 123456789012.123, 19, nullptr},
		{" -0.123456 ", 0, -.123, 11, nullptr},
		{" -.123456 ", 0, -.123, 10, nullptr},
		{" .123456 ", 0, .123, 9, nullptr},
		{" 0. ", 0, 0., 4, nullptr},
		{" .0 ", 0, 0., 4, nullptr},
		{" -0. ", 0, -0., 5, nullptr},
		{" -.0 ", 0, -0., 5, nullptr},
		{" - ", 0, -0., 2, kInvalid},
		{" -. ", 0, 0., 2, kInvalid},
		{" . ", 0, 0., 1, kInvalid},
	};
	for (const NumCase &c : cases) {
		const char *p = c.in, *err = "(unset)";
		double v = SF_Parse_Number(&p, c.strict, &err);
		char got[32], want[32];
		std::snprintf(got, sizeof got, "%.4f", v);
		std::snprintf(want, sizeof want, "%.4f", c.value);
		EXPECT_STREQ(got, want) << "'" << c.in << "' strict " << c.strict;
		EXPECT_EQ(p - c.in, c.consumed) << "'" << c.in << "' strict " << c.strict;
		if (c.err == nullptr) {
			EXPECT_EQ(err, nullptr) << "'" << c.in << "'";
			EXPECT_EQ(errno, 0) << "'" << c.in << "'";
		} else {
			ASSERT_NE(err, nullptr) << "'" << c.in << "'";
			EXPECT_STREQ(err, c.err) << "'" << c.in << "'";
			EXPECT_EQ(errno, EINVAL) << "'" << c.in << "'";
		}
	}
}

TEST(VlibVnum, sf_parse_integer_takes_fifteen_digits_and_a_sign) {
	const char *p = " -1234 x", *err = nullptr;
	EXPECT_EQ(SF_Parse_Integer(&p, &err), -1234);
	EXPECT_STREQ(p, "x");
	p = "999999999999999";
	EXPECT_EQ(SF_Parse_Integer(&p, &err), 999999999999999LL);
	EXPECT_EQ(errno, 0);
	p = "1234567890123456";
	SF_Parse_Integer(&p, &err);
	EXPECT_EQ(errno, EINVAL);
	EXPECT_STREQ(err, kTooLong);
	const char *start = " - 12";
	p = start;
	SF_Parse_Integer(&p, &err);
	EXPECT_STREQ(err, kInvalid);
	EXPECT_EQ(p - start, 2);	// stops right after the sign
}

TEST(VlibVnum, sf_parse_decimal_bounds_the_magnitude) {
	const char *p = "549755813887.999", *err = nullptr;
	EXPECT_NEAR(SF_Parse_Decimal(&p, 1, &err), 549755813887.999, 1e-3);
	EXPECT_EQ(errno, 0);
	p = "1000000000000";	/* 1e12: an sf-integer, too big for a decimal */
	SF_Parse_Decimal(&p, 1, &err);
	EXPECT_EQ(errno, EINVAL);
	EXPECT_STREQ(err, kTooLong);
}

TEST(VlibVnum, vnum_is_nan_unless_the_whole_string_is_a_number) {
	for (const char *ok : {"1", " 12", " 12.", " 12.3", " 12.34", "-7 "})
		EXPECT_DOUBLE_EQ(VNUM(ok), std::atof(ok)) << ok;
	for (const char *bad : {"12.34e-3", "12.34e3", "+12.34e-3", ".", ".12.",
	    "12..", "12.,", "12e,", "1..2", "A", "1A", "e-3", ""})
		EXPECT_TRUE(std::isnan(VNUM(bad))) << "'" << bad << "'";
}

TEST(VlibVnum, durations_take_one_unit) {
	EXPECT_TRUE(std::isnan(VNUM_duration(nullptr)));
	EXPECT_NEAR(VNUM_duration(" 365.24219d "), 31556908.8, VNUM_EPSILON);
	EXPECT_DOUBLE_EQ(VNUM_duration("1.5s"), 1.5);
	EXPECT_DOUBLE_EQ(VNUM_duration("250ms"), 0.25);
	EXPECT_DOUBLE_EQ(VNUM_duration("2m"), 120.0);
	EXPECT_DOUBLE_EQ(VNUM_duration("1h"), 3600.0);
	EXPECT_DOUBLE_EQ(VNUM_duration("1w"), 604800.0);
	EXPECT_DOUBLE_EQ(VNUM_duration("1y"), 31536000.0);
	EXPECT_DOUBLE_EQ(VNUM_duration("-3 s"), -3.0);
	for (const char *bad : {"10", "10x", "10 s s", "s", "1.2.3s", "10mss"})
		EXPECT_TRUE(std::isnan(VNUM_duration(bad))) << bad;
	const char *u = "m garbage";
	EXPECT_DOUBLE_EQ(VNUM_duration_unit(2.0, u, u + 1), 120.0);
}

struct ByteCase {
	const char	*in;
	uintmax_t	rel;
	uintmax_t	value;
	const char	*err;
};

TEST(VlibVnum, vnum_2bytes_matches_varnish_table) {
	const ByteCase cases[] = {
		{"1", 0, 1, nullptr},
		{"1B", 0, 1, nullptr},
		{"1 B", 0, 1, nullptr},
		{"1.3B", 0, 0, kFraction},
		{"1.7B", 0, 0, kFraction},
		{"1024", 0, 1024, nullptr},
		{"1k", 0, 1 << 10, nullptr},
		{"1kB", 0, 1 << 10, nullptr},
		{"0.75kB", 0, 768, nullptr},
		{"1.3kB", 0, 1331, nullptr},
		{"1.70kB", 0, 1740, nullptr},
		{"1048576", 0, 1048576, nullptr},
		{"1M", 0, 1 << 20, nullptr},
		{"1.3MB", 0, 1363148, nullptr},
		{"1.700MB", 0, 1782579, nullptr},
		{"1G", 0, 1 << 30, nullptr},
		{"1.3GB", 0, 1395864371, nullptr},
		{"1.7GB", 0, 1825361100, nullptr},
		{"1099511627776", 0, 1099511627776ULL, nullptr},
		{"1TB", 0, 1ULL << 40, nullptr},
		{"1.3TB", 0, 1429365116108ULL, nullptr},
		{"1.7\tTB", 0, 1869169767219ULL, nullptr},
		{"999999999999999", 0, 999999999999999ULL, nullptr},
		{"1125899906842624", 0, 0, kTooLong},
		{"1P\t", 0, 1125899906842624ULL, nullptr},
		{"1PB ", 0, 1125899906842624ULL, nullptr},
		{"1.3 PB", 0, 1463669878895411ULL, nullptr},
		{"1.5%", 1024, 15, nullptr},
		{"1.501%", 1024, 15, nullptr},
		{"2%", 1024, 20, nullptr},
		{"3%", 1024, 30, nullptr},
		{"4294967295b", 0, 4294967295ULL, nullptr},
		{"", 0, 0, kInvalid},
		{"-1", 0, 0, kInvalid},
		{"1.3", 0, 0, kFraction},
		{"1.5011%", 0, 0, kTooLong},
		{"-", 0, 0, kInvalid},
		{"m", 0, 0, kInvalid},
		{"4%", 0, 0, kUnit},
		{"3*", 0, 0, kUnit},
	};
	for (const ByteCase &c : cases) {
		uintmax_t v = 0;
		const char *err = VNUM_2bytes(c.in, &v, c.rel);
		if (c.err == nullptr) {
			EXPECT_EQ(err, nullptr) << "'" << c.in << "': " << err;
			EXPECT_EQ(v, c.value) << "'" << c.in << "'";
		} else {
			ASSERT_NE(err, nullptr) << "'" << c.in << "'";
			EXPECT_STREQ(err, c.err) << "'" << c.in << "'";
		}
	}
	uintmax_t v = 0;
	EXPECT_STREQ(VNUM_2bytes(nullptr, &v, 0), kInvalid);
}

TEST(VlibVnum, uint_and_hex_stop_at_the_first_non_digit) {
	const char *s = "12345x", *p = nullptr;
	EXPECT_EQ(VNUM_uint(s, nullptr, &p), 12345);
	EXPECT_EQ(p, s + 5);
	EXPECT_EQ(VNUM_uint(s, s + 2, &p), 12);
	EXPECT_EQ(p, s + 2);
	EXPECT_EQ(VNUM_uint("x1", nullptr, &p), -1);
	EXPECT_EQ(VNUM_uint("a", nullptr, &p), -1);
	const char *h = "fF10g";
	EXPECT_EQ(VNUM_hex(h, nullptr, &p), 0xff10);
	EXPECT_EQ(p, h + 4);
	EXPECT_EQ(VNUM_uint("99999999999999999999999", nullptr, &p), -2);
	EXPECT_EQ(VNUM_hex("7fffffffffffffff", nullptr, &p), INT64_MAX);
	EXPECT_EQ(VNUM_hex("8000000000000000", nullptr, &p), -2);
}

TEST(VlibVnum, bytes_unit_reports_unknown_units_and_fractions) {
	const char *err = nullptr;
	EXPECT_EQ(VNUM_bytes_unit(2.0, "k", nullptr, 0, &err), 2048);
	EXPECT_EQ(errno, 0);
	EXPECT_EQ(VNUM_bytes_unit(2.0, "x", nullptr, 0, &err), 0);
	EXPECT_EQ(errno, EINVAL);
	EXPECT_STREQ(err, kUnit);
	EXPECT_EQ(VNUM_bytes_unit(2.5, "", nullptr, 0, &err), 2);
	EXPECT_STREQ(err, kFraction);
	EXPECT_EQ(VNUM_bytes_unit(50.0, "%", nullptr, 300, &err), 150);
	EXPECT_STREQ(VNUM_LEGAL_DURATION,
	    "Legal duration units are 'ms', 's', 'm', 'h', 'd', 'w' and 'y'");
}

}  // namespace
