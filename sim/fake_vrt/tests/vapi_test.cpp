// vapi_test.cpp -- what the headers Varnish 8.0.0 installs for vmods declare besides the
// VRT, against 8.0.0's answers: libvarnishapi's tag and grouping names (vapi/vsl.h),
// signal counters (vapi/vsig.h), the CLI's authentication answer (vcli.h), libvarnish's
// VAS_errtxt and VTIM_poll_tmo/VTIM_timeval_sock, and cache_param's defaults.

#include <gtest/gtest.h>

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "cache/cache_varnishd.h"
#include "vapi/vsig.h"
#include "vapi/vsl.h"
#include "vapi/vsm.h"
#include "vcli.h"
#include "vtim.h"

namespace {

void Collect(int tag, void *priv) { static_cast<std::vector<int> *>(priv)->push_back(tag); }

std::vector<std::string> Names(const std::vector<int> &tags) {
	std::vector<std::string> out;
	for (int t : tags) out.emplace_back(VSL_tags[t]);
	return out;
}

TEST(VapiVsl, tag_table_names_each_tag_by_its_number) {
	EXPECT_STREQ(VSL_tags[SLT_Debug], "Debug");
	EXPECT_STREQ(VSL_tags[SLT_ReqURL], "ReqURL");
	EXPECT_STREQ(VSL_tags[SLT_Backend_health], "Backend_health");
	EXPECT_EQ(VSL_tags[0], nullptr) << "0 is no tag";
	int n = 0;
	for (int i = 0; i < SLT__MAX; i++) n += VSL_tags[i] != nullptr;
	EXPECT_EQ(n, 93) << "8.0.0's tags";
	EXPECT_NE(VSL_tagflags[SLT_Debug] & SLT_F_UNSAFE, 0u);
	EXPECT_EQ(VSL_tagflags[SLT_ReqURL], 0u);
	EXPECT_NE(VSL_tagflags[SLT_ReqLost] & SLT_F_UNUSED, 0u);
}

TEST(VapiVsl, name2tag_matches_exactly_or_a_unique_prefix_caselessly) {
	EXPECT_EQ(VSL_Name2Tag("ReqURL", -1), SLT_ReqURL);
	EXPECT_EQ(VSL_Name2Tag("requrl", -1), SLT_ReqURL);
	EXPECT_EQ(VSL_Name2Tag("ReqURLxyz", 6), SLT_ReqURL) << "only l bytes";
	EXPECT_EQ(VSL_Name2Tag("Backend_h", -1), SLT_Backend_health);
	EXPECT_EQ(VSL_Name2Tag("Req", -1), -2) << "ambiguous prefix";
	EXPECT_EQ(VSL_Name2Tag("Nope", -1), -1);
}

TEST(VapiVsl, glob2tags_takes_one_star_at_either_end_or_inside) {
	std::vector<int> got;
	EXPECT_EQ(VSL_Glob2Tags("Req*", -1, Collect, &got), 10);
	EXPECT_EQ(Names(got), (std::vector<std::string>{"ReqMethod", "ReqURL", "ReqProtocol",
	    "ReqStatus", "ReqReason", "ReqHeader", "ReqUnset", "ReqLost", "ReqStart", "ReqAcct"}));
	got.clear();
	EXPECT_EQ(VSL_Glob2Tags("*header", -1, Collect, &got), 7);
	got.clear();
	EXPECT_EQ(VSL_Glob2Tags("req*url", -1, Collect, &got), 1);
	EXPECT_EQ(Names(got), std::vector<std::string>{"ReqURL"});
	EXPECT_EQ(VSL_Glob2Tags("*", -1, nullptr, nullptr), 93);
	EXPECT_EQ(VSL_Glob2Tags("Debug", -1, nullptr, nullptr), 1) << "no star: one tag";
	EXPECT_EQ(VSL_Glob2Tags("Req", -1, nullptr, nullptr), -2);
	EXPECT_EQ(VSL_Glob2Tags("R*q*", -1, nullptr, nullptr), -3) << "two stars";
	EXPECT_EQ(VSL_Glob2Tags("Nope*", -1, nullptr, nullptr), -1);
	EXPECT_EQ(VSL_Glob2Tags("", -1, nullptr, nullptr), -1);
	EXPECT_EQ(VSL_Glob2Tags("Req*,Debug", 4, nullptr, nullptr), 10) << "only l bytes";
}

TEST(VapiVsl, list2tags_adds_up_globs_and_stops_at_the_first_error) {
	std::vector<int> got;
	EXPECT_EQ(VSL_List2Tags("ReqURL,,Debug,", -1, Collect, &got), 2);
	EXPECT_EQ(Names(got), (std::vector<std::string>{"ReqURL", "Debug"}));
	EXPECT_EQ(VSL_List2Tags("Req*,Debug", -1, nullptr, nullptr), 11);
	EXPECT_EQ(VSL_List2Tags("ReqURL,Nope", -1, nullptr, nullptr), -1);
	EXPECT_EQ(VSL_List2Tags("Req,ReqURL", -1, nullptr, nullptr), -2);
	EXPECT_EQ(VSL_List2Tags(",,", -1, nullptr, nullptr), -1) << "no tag at all";
}

TEST(VapiVsl, grouping_names_match_like_tags) {
	EXPECT_STREQ(VSLQ_grouping[VSL_g_request], "request");
	EXPECT_EQ(VSLQ_Name2Grouping("vxid", -1), VSL_g_vxid);
	EXPECT_EQ(VSLQ_Name2Grouping("SESSION", -1), VSL_g_session);
	EXPECT_EQ(VSLQ_Name2Grouping("req", -1), VSL_g_request);
	EXPECT_EQ(VSLQ_Name2Grouping("r", -1), -2) << "raw or request";
	EXPECT_EQ(VSLQ_Name2Grouping("x", -1), -1);
	EXPECT_STREQ(VSM_valid->name, "valid");
	EXPECT_STREQ(VSM_invalid->name, "invalid");
}

TEST(VapiVsig, got_counts_each_signal_apart) {
	const sig_atomic_t hup = VSIG_hup, term = VSIG_term;
	VSIG_Got_hup(SIGHUP);
	VSIG_Got_hup(SIGHUP);
	VSIG_Got_term(SIGTERM);
	EXPECT_EQ(VSIG_hup, hup + 2);
	EXPECT_EQ(VSIG_term, term + 1);
}

// The answer for challenge c and secret s is sha256(c "\n" s c "\n") in hex; the
// expected digests are Python's hashlib.sha256 of those bytes.
TEST(Vcli, auth_response_hashes_challenge_secret_challenge) {
	const char challenge[] = "abcdefghijklmnopqrstuvwxyz012345-not-hashed";
	char path[] = "/tmp/vdisim-secret-XXXXXX";
	int fd = mkstemp(path);
	ASSERT_GE(fd, 0);
	ASSERT_EQ(write(fd, "secret\n", 7), 7);
	ASSERT_EQ(lseek(fd, 0, SEEK_SET), 0);
	char resp[CLI_AUTH_RESPONSE_LEN + 1];
	std::memset(resp, 'x', sizeof resp);
	VCLI_AuthResponse(fd, challenge, resp);
	EXPECT_STREQ(resp, "02c289d008cf89b10dfd058f295bab0fa2b313e7a564b25d6e99ecd05eed13fe");
	// The secret is read from where the descriptor stands.
	ASSERT_EQ(lseek(fd, 2, SEEK_SET), 2);
	VCLI_AuthResponse(fd, challenge, resp);
	EXPECT_STREQ(resp, "7820866dcd3eb5e02cc7106b431242e8a336d1005b9e998282df22e698b46d46");
	close(fd);
	unlink(path);
}

TEST(Vas, errtxt_is_strerror) {
	EXPECT_STREQ(VAS_errtxt(ENOENT), std::strerror(ENOENT));
	EXPECT_STREQ(VAS_errtxt(EINVAL), "Invalid argument");
	EXPECT_NE(VAS_errtxt(99999), nullptr);
	EXPECT_EQ(VAS_Fail_Func, nullptr) << "vdisim's VAS_Fail needs no hook";
}

TEST(Vtim, poll_tmo_is_whole_milliseconds_never_negative_infinite_is_minus_one) {
	EXPECT_EQ(VTIM_poll_tmo(INFINITY), -1);
	EXPECT_EQ(VTIM_poll_tmo(-INFINITY), -1);
	EXPECT_EQ(VTIM_poll_tmo(2.5), 2500);
	EXPECT_EQ(VTIM_poll_tmo(0.0019), 1) << "truncated";
	EXPECT_EQ(VTIM_poll_tmo(0.0), 0);
	EXPECT_EQ(VTIM_poll_tmo(-3.0), 0);
	EXPECT_DEATH(VTIM_poll_tmo(NAN), "assert outside a run");
}

TEST(Vtim, timeval_sock_is_at_least_a_millisecond_and_infinite_is_none) {
	struct timeval tv = VTIM_timeval_sock(INFINITY);
	EXPECT_EQ(tv.tv_sec, 0);
	EXPECT_EQ(tv.tv_usec, 0);
	tv = VTIM_timeval_sock(0.0);
	EXPECT_EQ(tv.tv_sec, 0);
	EXPECT_EQ(tv.tv_usec, 1000);
	tv = VTIM_timeval_sock(1.25);
	EXPECT_EQ(tv.tv_sec, 1);
	EXPECT_EQ(tv.tv_usec, 250000);
}

// cache_param holds 8.0.0's defaults (varnishd -x parameter, 64-bit Linux).
TEST(CacheParam, holds_varnish_8_0_0_defaults) {
	ASSERT_NE(cache_param, nullptr);
	EXPECT_EQ(cache_param->workspace_client, 96u * 1024);
	EXPECT_EQ(cache_param->workspace_backend, 96u * 1024);
	EXPECT_EQ(cache_param->http_max_hdr, 64u);
	EXPECT_EQ(cache_param->first_byte_timeout, 60.0);
	EXPECT_EQ(cache_param->connect_timeout, 3.5);
	EXPECT_EQ(cache_param->default_grace, 10.0);
	EXPECT_EQ(cache_param->default_ttl, 120.0);
	EXPECT_EQ(cache_param->acceptor_sleep_decay, 0.9);
	EXPECT_EQ(cache_param->fetch_maxchunksize, 256 * 1024 * 1024);
	EXPECT_EQ(cache_param->vsl_reclen, 255u);
	EXPECT_EQ(cache_param->wthread_stacksize, 80 * 1024);
	EXPECT_EQ(cache_param->tcp_keepalive_time, 7200.0) << "Linux's, not the host's";
	EXPECT_EQ(cache_param->tcp_keepalive_probes, 9u);
	EXPECT_EQ(cache_param->wthread_max, 5000u);
	EXPECT_EQ(cache_param->max_restarts, 4u);
	EXPECT_EQ(cache_param->http_gzip_support, 1u);
	EXPECT_EQ(cache_param->prefer_ipv6, 0u);
	EXPECT_EQ(cache_param->pool_req.min_pool, 10u);
	EXPECT_EQ(cache_param->pool_req.max_pool, 100u);
	EXPECT_EQ(cache_param->pool_req.max_age, 10.0);
	EXPECT_EQ(cache_param->vre_limits.match, 10000u);
	EXPECT_EQ(cache_param->vre_limits.depth, 20u);
}

TEST(CacheParam, bit_parameters_as_8_0_0_sets_them) {
	EXPECT_TRUE(FEATURE(FEATURE_VALIDATE_HEADERS));
	EXPECT_TRUE(FEATURE(FEATURE_VCL_REQ_RESET));
	EXPECT_FALSE(FEATURE(FEATURE_HTTP2));
	EXPECT_FALSE(EXPERIMENT(EXPERIMENT_DROP_POOLS));
	for (int b = 0; b < DBG_Reserved; b++)
		EXPECT_FALSE(DO_DEBUG(static_cast<enum debug_bits>(b))) << "debug bit " << b;
	EXPECT_TRUE(COM_VCC_FEATURE(cache_param->vcc_feature_bits, VCC_FEATURE_ERR_UNREF));
	EXPECT_TRUE(COM_VCC_FEATURE(cache_param->vcc_feature_bits, VCC_FEATURE_UNSAFE_PATH));
	EXPECT_FALSE(COM_VCC_FEATURE(cache_param->vcc_feature_bits, VCC_FEATURE_ALLOW_INLINE_C));
	// vsl_mask: a set bit masks the tag; "all" unmasks every tag, "-Tag" masks one.
	auto masked = [](int tag) {
		return (cache_param->vsl_mask[tag >> 3] & (0x80 >> (tag & 7))) != 0;
	};
	EXPECT_TRUE(masked(SLT_Debug));
	EXPECT_TRUE(masked(SLT_WorkThread));
	EXPECT_TRUE(masked(SLT_ObjHeader));
	EXPECT_FALSE(masked(SLT_ReqURL));
	EXPECT_FALSE(masked(SLT_Backend_health));
}

}  // namespace
