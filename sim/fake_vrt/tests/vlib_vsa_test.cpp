// vlib_vsa_test.cpp -- struct suckaddr (vsa.c), address formatting and the refusing
// socket calls (vtcp.c), and the byte-order helpers (vend.h), as vmods use them:
// libvmod-dynamic builds addresses from resolver answers, clones, compares and
// prints them; the shard director decodes hash words with vbe32dec.

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "vdef.h"
#include "vsa.h"
#include "vtcp.h"
#include "vend.h"
#include "vdisim_alloc.h"

namespace {

const struct suckaddr *V4(void *buf, const char *ip, unsigned port) {
	struct sockaddr_in s {};
	s.sin_family = AF_INET;
	s.sin_port = htons(static_cast<uint16_t>(port));
	EXPECT_EQ(inet_pton(AF_INET, ip, &s.sin_addr), 1);
	return VSA_Build(buf, &s, sizeof s);
}

const struct suckaddr *V6(void *buf, const char *ip, unsigned port) {
	struct sockaddr_in6 s {};
	s.sin6_family = AF_INET6;
	s.sin6_port = htons(static_cast<uint16_t>(port));
	EXPECT_EQ(inet_pton(AF_INET6, ip, &s.sin6_addr), 1);
	return VSA_Build(buf, &s, sizeof s);
}

std::string Name(const struct suckaddr *sa) {
	char a[VTCP_ADDRBUFSIZE], p[VTCP_PORTBUFSIZE];
	VTCP_name(sa, a, sizeof a, p, sizeof p);
	return std::string(a) + " " + p;
}

// Storage like libvmod-dynamic's: vsa_suckaddr_len bytes on the stack.
struct Buf {
	alignas(16) unsigned char b[256];
};

TEST(VlibVsa, build_into_caller_storage_and_read_back) {
	Buf b4, b6;
	ASSERT_LE(vsa_suckaddr_len, sizeof b4.b);
	const struct suckaddr *a = V4(b4.b, "192.0.2.7", 8080);
	const struct suckaddr *c = V6(b6.b, "2001:db8::1", 443);
	ASSERT_EQ(static_cast<const void *>(a), b4.b);
	EXPECT_TRUE(VSA_Sane(a));
	EXPECT_EQ(VSA_Get_Proto(a), AF_INET);
	EXPECT_EQ(VSA_Get_Proto(c), AF_INET6);
	EXPECT_EQ(VSA_Port(a), 8080u);
	EXPECT_EQ(VSA_Port(c), 443u);
	socklen_t sl = 0;
	const auto *sin = static_cast<const struct sockaddr_in *>(VSA_Get_Sockaddr(a, &sl));
	EXPECT_EQ(sl, sizeof(struct sockaddr_in));
	EXPECT_EQ(ntohs(sin->sin_port), 8080);
	const unsigned char *raw = nullptr;
	EXPECT_EQ(VSA_GetPtr(c, &raw), AF_INET6);
	EXPECT_EQ(raw[0], 0x20);
	EXPECT_EQ(VSA_GetPtr(nullptr, &raw), -1);
	EXPECT_EQ(Name(a), "192.0.2.7 8080");
	EXPECT_EQ(Name(c), "2001:db8::1 443");
}

TEST(VlibVsa, build_refuses_unknown_family_and_wrong_length) {
	Buf b;
	struct sockaddr_in s {};
	s.sin_family = AF_INET;
	EXPECT_EQ(VSA_Build(b.b, &s, sizeof s - 1), nullptr);
	struct sockaddr_storage u {};
	u.ss_family = AF_UNIX;
	EXPECT_EQ(VSA_Build(b.b, &u, sizeof u), nullptr);
	uint8_t ip[4] = {10, 0, 0, 1};
	uint16_t port = htons(80);
	errno = 0;
	EXPECT_EQ(VSA_BuildFAP(b.b, AF_INET, ip, 3, nullptr, 0), nullptr);
	EXPECT_EQ(errno, EINVAL);
	EXPECT_EQ(VSA_BuildFAP(b.b, AF_UNIX, ip, 4, nullptr, 0), nullptr);
	EXPECT_EQ(errno, EAFNOSUPPORT);
	const struct suckaddr *a = VSA_BuildFAP(b.b, AF_INET, ip, 4, &port, 2);
	ASSERT_NE(a, nullptr);
	EXPECT_EQ(Name(a), "10.0.0.1 80");
}

TEST(VlibVsa, compare_equal_by_value_ip_compare_ignores_port) {
	Buf x, y, z, w;
	const struct suckaddr *a = V4(x.b, "192.0.2.1", 80);
	const struct suckaddr *b = V4(y.b, "192.0.2.1", 80);
	const struct suckaddr *c = V4(z.b, "192.0.2.1", 81);
	const struct suckaddr *d = V6(w.b, "::1", 80);
	EXPECT_EQ(VSA_Compare(a, b), 0);
	EXPECT_NE(VSA_Compare(a, c), 0);
	EXPECT_EQ(VSA_Compare(a, c), -VSA_Compare(c, a));
	EXPECT_NE(VSA_Compare(a, d), 0);
	EXPECT_EQ(VSA_Compare_IP(a, c), 0);
	EXPECT_EQ(VSA_Compare_IP(a, d), -1);
}

TEST(VlibVsa, clone_and_malloc_are_heap_copies_released_by_vsa_free) {
	Buf x;
	const struct suckaddr *a = V6(x.b, "2001:db8::5", 53);
	const struct suckaddr *c = VSA_Clone(a);
	ASSERT_NE(c, a);
	EXPECT_EQ(VSA_Compare(a, c), 0);
	VSA_free(&c);
	EXPECT_EQ(c, nullptr);
	struct sockaddr_in s {};
	s.sin_family = AF_INET;
	s.sin_port = htons(1);
	const struct suckaddr *m = VSA_Malloc(&s, sizeof s);
	ASSERT_NE(m, nullptr);
	EXPECT_EQ(Name(m), "0.0.0.0 1");
	VSA_free(&m);
}

TEST(VlibVsa, bogo_ips_are_any_address_port_zero_with_or_without_init) {
	EXPECT_TRUE(VSA_Sane(bogo_ip));
	EXPECT_EQ(Name(bogo_ip6), ":: 0");
	VSA_Init();
	EXPECT_TRUE(VSA_Sane(bogo_ip));
	EXPECT_TRUE(VSA_Sane(bogo_ip6));
	EXPECT_EQ(Name(bogo_ip), "0.0.0.0 0");
	EXPECT_EQ(Name(bogo_ip6), ":: 0");
}

TEST(VlibVsa, insane_address_fails_its_magic_check) {
	Buf junk{};
	EXPECT_FALSE(VSA_Sane(reinterpret_cast<const struct suckaddr *>(junk.b)));
	EXPECT_DEATH(VSA_Port(reinterpret_cast<const struct suckaddr *>(junk.b)),
	    "assert outside a run");
}

TEST(VlibVsa, getsockname_without_a_socket_gives_null) {
	Buf b;
	EXPECT_EQ(VSA_getsockname(-1, b.b, vsa_suckaddr_len), nullptr);
	EXPECT_EQ(VSA_getpeername(-1, b.b, vsa_suckaddr_len), nullptr);
	errno = 0;
	EXPECT_EQ(VSA_getsockname(-1, b.b, 3), nullptr);
	EXPECT_EQ(errno, EINVAL);
}

TEST(VlibVtcp, name_prints_v4_mapped_v6_as_v4) {
	Buf b;
	EXPECT_EQ(Name(V6(b.b, "::ffff:192.0.2.9", 8)), "192.0.2.9 8");
	char a[4], p[2];
	VTCP_name(V4(b.b, "192.0.2.9", 65535), a, sizeof a, p, sizeof p);
	EXPECT_STREQ(a, "192");	// truncated, still terminated
	EXPECT_STREQ(p, "6");
}

TEST(VlibVtcp, hisname_and_myname_without_socket_say_none) {
	char a[VTCP_ADDRBUFSIZE], p[VTCP_PORTBUFSIZE];
	VTCP_hisname(-1, a, sizeof a, p, sizeof p);
	EXPECT_STREQ(a, "<none>");
	EXPECT_STREQ(p, "<none>");
	VTCP_myname(-1, a, sizeof a, p, sizeof p);
	EXPECT_STREQ(a, "<none>");
	EXPECT_EQ(VTCP_my_suckaddr(-1), nullptr);
}

TEST(VlibVtcp, socket_calls_refuse_with_eopnotsupp_without_blocking) {
	Buf b;
	const struct suckaddr *a = V4(b.b, "127.0.0.1", 80);
	const char *err = nullptr;
	auto refused = [](int r) { return r == -1 && errno == EOPNOTSUPP; };
	errno = 0;
	EXPECT_TRUE(refused(VTCP_connect(a, 100)));
	EXPECT_TRUE(refused(VTCP_open("127.0.0.1", "80", 1.0, &err)));
	EXPECT_NE(err, nullptr);
	err = nullptr;
	EXPECT_TRUE(refused(VTCP_bind(a, &err)));
	EXPECT_NE(err, nullptr);
	EXPECT_TRUE(refused(VTCP_listen(a, 10, &err)));
	EXPECT_TRUE(refused(VTCP_listen_on("127.0.0.1", "80", 10, &err)));
	char buf[4];
	EXPECT_TRUE(refused(VTCP_read(0, buf, sizeof buf, 1.0)));
	EXPECT_TRUE(refused(VTCP_connected(3)));
	EXPECT_TRUE(refused(VTCP_filter_http(3)));
	EXPECT_TRUE(refused(VTCP_fastopen(3, 1)));
	EXPECT_TRUE(refused(VTCP_linger(3, 1)));
	EXPECT_TRUE(refused(VTCP_check_hup(3)));
	VTCP_blocking(3);
	VTCP_nonblocking(3);
	VTCP_set_read_timeout(3, 1.0);
	int fd = 42;
	VTCP_close(&fd);
	EXPECT_EQ(fd, -1);
}

TEST(VlibVtcp, check_accepts_successes_and_peer_caused_errors) {
	EXPECT_TRUE(VTCP_Check(0));
	EXPECT_TRUE(VTCP_Check(12));
	for (int e : {ECONNRESET, ENOTCONN, EPIPE, EAGAIN, ETIMEDOUT, ENETDOWN,
	    ENETUNREACH, ENETRESET, ECONNABORTED, EHOSTUNREACH, EHOSTDOWN}) {
		errno = e;
		EXPECT_TRUE(VTCP_Check(-1)) << "errno " << e;
	}
	errno = EBADF;
	EXPECT_FALSE(VTCP_Check(-1));
}

TEST(VlibVend, big_and_little_endian_round_trips_at_any_alignment) {
	unsigned char b[16] = {};
	vbe32enc(b + 1, 0x01020304U);
	EXPECT_EQ(b[1], 1);
	EXPECT_EQ(b[4], 4);
	EXPECT_EQ(vbe32dec(b + 1), 0x01020304U);
	EXPECT_EQ(vle32dec(b + 1), 0x04030201U);
	vle32enc(b + 3, 0xa1b2c3d4U);
	EXPECT_EQ(b[3], 0xd4);
	EXPECT_EQ(vle32dec(b + 3), 0xa1b2c3d4U);
	vbe64enc(b + 5, 0x0102030405060708ULL);
	EXPECT_EQ(vbe64dec(b + 5), 0x0102030405060708ULL);
	EXPECT_EQ(b[12], 8);
	vbe16enc(b, 0xbeef);
	EXPECT_EQ(vbe16dec(b), 0xbeef);
	EXPECT_EQ(b[0], 0xbe);
	vle16enc(b, 0xbeef);
	EXPECT_EQ(b[0], 0xef);
	EXPECT_EQ(b[1], 0xbe);
}

}  // namespace
