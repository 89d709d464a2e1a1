// vlib_vss_test.cpp -- the address resolver (vss.c) and the file reader (vfil.c) that
// 8.0.0's vmod_std calls: std.ip() resolves through VSS_ResolveFirst, std.fileread()
// reads through VFIL_readfile. Numeric addresses only here (no run, so no dns: table;
// names from the table are vmod_os_test's getaddrinfo tests).

#include <gtest/gtest.h>

#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <system_error>
#include <string>
#include <vector>

#include "vdef.h"
#include "vfil.h"
#include "vsa.h"
#include "vss.h"
#include "vtcp.h"
#include "vdisim_alloc.h"

namespace {

struct Buf {
	alignas(16) unsigned char b[256];
};

std::string Name(const struct suckaddr *sa) {
	if (sa == nullptr) return "(null)";
	char a[VTCP_ADDRBUFSIZE], p[VTCP_PORTBUFSIZE];
	VTCP_name(sa, a, sizeof a, p, sizeof p);
	return std::string(a) + " " + p;
}

std::string First(const char *addr, const char *port, int flags = 0) {
	Buf b;
	EXPECT_LE(vsa_suckaddr_len, sizeof b.b);
	const struct suckaddr *sa = VSS_ResolveFirst(b.b, addr, port, AF_UNSPEC, SOCK_STREAM, flags);
	if (sa != nullptr) {
		EXPECT_EQ(static_cast<const void *>(sa), b.b) << "not built in the caller's storage";
	}
	return Name(sa);
}

int Collect(void *priv, const struct suckaddr *sa) {
	static_cast<std::vector<std::string> *>(priv)->push_back(Name(sa));
	return 0;
}

int StopAtFirst(void *priv, const struct suckaddr *sa) {
	static_cast<std::vector<std::string> *>(priv)->push_back(Name(sa));
	return 7;
}

TEST(VlibVss, address_forms_split_host_and_port_as_std_ip_passes_them) {
	const int numeric = AI_NUMERICHOST | AI_NUMERICSERV;
	EXPECT_EQ(First("192.0.2.7", "80", numeric), "192.0.2.7 80");
	EXPECT_EQ(First("192.0.2.7:8080", "80", numeric), "192.0.2.7 8080");
	EXPECT_EQ(First("192.0.2.7 8081", "80", numeric), "192.0.2.7 8081");
	EXPECT_EQ(First("2001:db8::1", "443", numeric), "2001:db8::1 443");
	EXPECT_EQ(First("[2001:db8::1]:444", "443", numeric), "2001:db8::1 444");
	EXPECT_EQ(First("[2001:db8::1]", "443", numeric), "2001:db8::1 443");
}

TEST(VlibVss, bad_addresses_give_null_and_the_resolver_says_why) {
	EXPECT_EQ(First("[2001:db8::1", "80"), "(null)");
	EXPECT_EQ(First("[2001:db8::1]x80", "80"), "(null)");
	EXPECT_EQ(First("not-an-ip", "80", AI_NUMERICHOST), "(null)");
	EXPECT_EQ(First("192.0.2.7", "http", AI_NUMERICHOST | AI_NUMERICSERV), "(null)");
	std::vector<std::string> got;
	const char *err = nullptr;
	EXPECT_EQ(VSS_resolver("[::1", "80", Collect, &got, &err), -1);
	ASSERT_NE(err, nullptr);
	EXPECT_STREQ(err, "IPv6 address lacks ']'");
	EXPECT_TRUE(got.empty());
}

TEST(VlibVss, resolve_one_wants_exactly_one_answer_first_takes_the_first) {
	Buf b;
	// No host: the passive wildcard answers, IPv4 and IPv6 (two answers).
	EXPECT_EQ(Name(VSS_ResolveOne(b.b, ":80", nullptr, AF_UNSPEC, SOCK_STREAM, AI_PASSIVE)), "(null)");
	EXPECT_EQ(Name(VSS_ResolveFirst(b.b, ":80", nullptr, AF_UNSPEC, SOCK_STREAM, AI_PASSIVE)), "0.0.0.0 80");
	EXPECT_EQ(Name(VSS_ResolveOne(b.b, "198.51.100.1", "82", AF_UNSPEC, SOCK_STREAM, 0)), "198.51.100.1 82");
	// dst NULL: a heap copy the caller releases.
	const struct suckaddr *h = VSS_ResolveOne(nullptr, "198.51.100.2:83", nullptr, AF_INET, SOCK_STREAM, 0);
	EXPECT_EQ(Name(h), "198.51.100.2 83");
	VSA_free(&h);
	EXPECT_EQ(h, nullptr);
}

TEST(VlibVss, resolver_calls_back_per_answer_until_the_callback_says_stop) {
	std::vector<std::string> got;
	const char *err = "untouched";
	EXPECT_EQ(VSS_resolver(":8080", nullptr, Collect, &got, &err), 0);
	EXPECT_EQ(err, nullptr);
	EXPECT_EQ(got, (std::vector<std::string>{"0.0.0.0 8080", ":: 8080"}));
	got.clear();
	EXPECT_EQ(VSS_resolver(":8080", nullptr, StopAtFirst, &got, &err), 7);
	EXPECT_EQ(got, std::vector<std::string>{"0.0.0.0 8080"});
}

struct TempDir {
	std::string path;
	TempDir() {
		char t[] = "/tmp/vdisim-vfil-XXXXXX";
		EXPECT_NE(mkdtemp(t), nullptr);
		path = t;
	}
	~TempDir() {
		std::error_code ec;
		std::filesystem::remove_all(path, ec);
	}
	void write(const char *name, const std::string &data) const {
		FILE *f = std::fopen((path + "/" + name).c_str(), "wb");
		ASSERT_NE(f, nullptr);
		std::fwrite(data.data(), 1, data.size(), f);
		std::fclose(f);
	}
};

TEST(VlibVfil, readfile_reads_all_bytes_nul_terminated_relative_to_the_prefix) {
	TempDir d;
	const std::string data("line1\nwith\0nul\n", 15);
	d.write("f.txt", data);
	ssize_t sz = -1;
	char *abs = VFIL_readfile(nullptr, (d.path + "/f.txt").c_str(), &sz);
	ASSERT_NE(abs, nullptr);
	EXPECT_EQ(sz, 15);
	EXPECT_EQ(std::string(abs, static_cast<size_t>(sz)), data);
	EXPECT_EQ(abs[sz], '\0');
	char *rel = VFIL_readfile(d.path.c_str(), "f.txt", nullptr);
	ASSERT_NE(rel, nullptr);
	EXPECT_EQ(std::string(rel, 15), data);
	vdisim_free(abs);
	vdisim_free(rel);
	d.write("empty", "");
	char *e = VFIL_readfile(d.path.c_str(), "empty", &sz);
	ASSERT_NE(e, nullptr);
	EXPECT_EQ(sz, 0);
	EXPECT_EQ(e[0], '\0');
	vdisim_free(e);
}

TEST(VlibVfil, missing_file_is_null_with_errno) {
	TempDir d;
	errno = 0;
	EXPECT_EQ(VFIL_readfile(d.path.c_str(), "absent", nullptr), nullptr);
	EXPECT_EQ(errno, ENOENT);
	errno = 0;
	EXPECT_EQ(VFIL_readfile(nullptr, d.path.c_str(), nullptr), nullptr) << "a directory is no file";
	EXPECT_NE(errno, 0);
}

}  // namespace
