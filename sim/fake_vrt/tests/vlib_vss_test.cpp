// vlib_vss_test.cpp -- the address resolver (vss.c) and the file helpers (vfil.c) of
// 8.0.0's libvarnish: std.ip() resolves through VSS_ResolveFirst, std.fileread()
// reads through VFIL_readfile. Numeric addresses only here (no run, so no dns: table;
// names from the table are vmod_os_test's getaddrinfo tests).

#include <gtest/gtest.h>

#include <fcntl.h>
#include <netdb.h>
#include <sys/stat.h>
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

// 8.0.0's VSS_resolver_range: each port of "LO-HI" in order, the rest of the address as
// written; anything that is not a range resolves as VSS_resolver would.
TEST(VlibVss, resolver_range_calls_back_for_each_port_in_order) {
	std::vector<std::string> got;
	const char *err = "untouched";
	EXPECT_EQ(VSS_resolver_range("192.0.2.7:8080-8082", "80", Collect, &got, &err), 0);
	EXPECT_EQ(err, nullptr);
	EXPECT_EQ(got, (std::vector<std::string>{"192.0.2.7 8080", "192.0.2.7 8081", "192.0.2.7 8082"}));
	got.clear();
	EXPECT_EQ(VSS_resolver_range("[2001:db8::1]:443-444", nullptr, Collect, &got, &err), 0);
	EXPECT_EQ(got, (std::vector<std::string>{"2001:db8::1 443", "2001:db8::1 444"}));
	got.clear();
	EXPECT_EQ(VSS_resolver_range("192.0.2.7 90-90", nullptr, Collect, &got, &err), 0);
	EXPECT_EQ(got, std::vector<std::string>{"192.0.2.7 90"}) << "a range of one port";
	got.clear();
	EXPECT_EQ(VSS_resolver_range("192.0.2.7:8080-8082", nullptr, StopAtFirst, &got, &err), 7);
	EXPECT_EQ(got, std::vector<std::string>{"192.0.2.7 8080"}) << "a non-zero answer ends the range";
}

TEST(VlibVss, resolver_range_without_a_range_is_the_plain_resolver) {
	std::vector<std::string> got;
	const char *err = nullptr;
	EXPECT_EQ(VSS_resolver_range("192.0.2.7:81", "80", Collect, &got, &err), 0);
	EXPECT_EQ(VSS_resolver_range("192.0.2.7", "82", Collect, &got, &err), 0);
	EXPECT_EQ(got, (std::vector<std::string>{"192.0.2.7 81", "192.0.2.7 82"}));
	got.clear();
	// Two dashes, a trailing dash, junk after the end: no range, and no such port either.
	for (const char *a : {"192.0.2.7:80-81-82", "192.0.2.7:80-", "192.0.2.7:80-81x"}) {
		err = nullptr;
		EXPECT_EQ(VSS_resolver_range(a, nullptr, Collect, &got, &err), -1) << a;
		EXPECT_NE(err, nullptr) << a;
	}
	EXPECT_TRUE(got.empty());
}

TEST(VlibVss, resolver_range_refuses_bad_ranges_with_8_0_0s_texts) {
	const struct {
		const char *addr, *err;
	} cases[] = {
		{"192.0.2.7:0-5", "Range start cannot be 0"},
		{"192.0.2.7:90-80", "Range start higher than range end"},
		{"192.0.2.7:80-65536", "Range end higher than 65535"},
		{"[::1", "IPv6 address lacks ']'"},
	};
	for (const auto &c : cases) {
		std::vector<std::string> got;
		const char *err = nullptr;
		EXPECT_EQ(VSS_resolver_range(c.addr, nullptr, Collect, &got, &err), -1) << c.addr;
		ASSERT_NE(err, nullptr) << c.addr;
		EXPECT_STREQ(err, c.err);
		EXPECT_TRUE(got.empty()) << c.addr;
	}
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
	std::string at(const char *name) const { return path + "/" + name; }
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

// 8.0.0 joins a prefix as "/pfx/fn": a prefix without its leading slash still names
// the absolute directory.
TEST(VlibVfil, a_relative_name_goes_under_slash_prefix) {
	TempDir d;
	d.write("f", "x");
	char *p = VFIL_readfile(d.path.c_str() + 1, "f", nullptr);
	ASSERT_NE(p, nullptr) << "pfx " << d.path.c_str() + 1;
	EXPECT_STREQ(p, "x");
	vdisim_free(p);
}

TEST(VlibVfil, writefile_creates_or_truncates_with_mode_0660) {
	TempDir d;
	const mode_t old = umask(0);
	EXPECT_EQ(VFIL_writefile(d.path.c_str(), "w", "hello", 5), 0);
	umask(old);
	struct stat st;
	ASSERT_EQ(stat(d.at("w").c_str(), &st), 0);
	EXPECT_EQ(st.st_mode & 0777, 0660u);
	EXPECT_EQ(VFIL_writefile(nullptr, d.at("w").c_str(), "hi", 2), 0);
	char *p = VFIL_readfile(nullptr, d.at("w").c_str(), nullptr);
	ASSERT_NE(p, nullptr);
	EXPECT_STREQ(p, "hi") << "truncated, not overwritten in place";
	vdisim_free(p);
	errno = 0;
	EXPECT_EQ(VFIL_writefile(d.path.c_str(), "no/such/dir", "x", 1), -1);
	EXPECT_EQ(errno, ENOENT);
}

TEST(VlibVfil, null_fd_points_the_descriptor_at_dev_null) {
	int fds[2];
	ASSERT_EQ(pipe(fds), 0);
	VFIL_null_fd(fds[0]);
	char c;
	EXPECT_EQ(read(fds[0], &c, 1), 0) << "/dev/null reads as end of file, a pipe would block";
	struct stat st;
	ASSERT_EQ(fstat(fds[0], &st), 0);
	EXPECT_TRUE(S_ISCHR(st.st_mode));
	close(fds[0]);
	close(fds[1]);
}

TEST(VlibVfil, nonblocking_sets_o_nonblock) {
	int fds[2];
	ASSERT_EQ(pipe(fds), 0);
	EXPECT_EQ(fcntl(fds[0], F_GETFL) & O_NONBLOCK, 0);
	EXPECT_NE(VFIL_nonblocking(fds[0]), -1);
	EXPECT_NE(fcntl(fds[0], F_GETFL) & O_NONBLOCK, 0);
	char c;
	errno = 0;
	EXPECT_EQ(read(fds[0], &c, 1), -1);
	EXPECT_EQ(errno, EAGAIN);
	close(fds[0]);
	close(fds[1]);
}

TEST(VlibVfil, fsinfo_and_allocate_size_a_file) {
	TempDir d;
	int fd = open(d.at("a").c_str(), O_RDWR | O_CREAT, 0600);
	ASSERT_GE(fd, 0);
	unsigned bs = 0;
	uintmax_t size = 0, space = 0;
	ASSERT_EQ(VFIL_fsinfo(fd, &bs, &size, &space), 0);
	EXPECT_GT(bs, 0u);
	EXPECT_GE(size, space);
	EXPECT_EQ(VFIL_fsinfo(fd, nullptr, nullptr, nullptr), 0);
	ASSERT_EQ(write(fd, "junk", 4), 4);
	EXPECT_EQ(VFIL_allocate(fd, 70000, 1), 0);
	struct stat st;
	ASSERT_EQ(fstat(fd, &st), 0);
	EXPECT_EQ(st.st_size, 70000);
	EXPECT_EQ(lseek(fd, 0, SEEK_CUR), 0) << "left at the start";
	std::string all(70000, 'x');
	ASSERT_EQ(read(fd, all.data(), all.size()), 70000);
	EXPECT_EQ(all, std::string(70000, '\0')) << "insist writes the whole file";
	EXPECT_EQ(VFIL_allocate(fd, 10, 0), 0);
	ASSERT_EQ(fstat(fd, &st), 0);
	EXPECT_EQ(st.st_size, 10);
	errno = 0;
	EXPECT_EQ(VFIL_allocate(fd, size + (uintmax_t{1} << 40), 0), -1) << "more than the file system holds";
	EXPECT_NE(errno, 0);
	close(fd);
	EXPECT_EQ(VFIL_fsinfo(fd, &bs, nullptr, nullptr), -1) << "a closed descriptor";
}

// A search callback: records each candidate, answers 1 (go on) until the named file.
struct Search {
	std::vector<std::string> seen;
	std::string stop_at;
};
int Visit(void *priv, const char *fn) {
	auto *s = static_cast<Search *>(priv);
	s->seen.push_back(fn);
	return std::string(fn).ends_with(s->stop_at) ? 0 : 1;
}

TEST(VlibVfil, searchpath_tries_each_directory_that_has_the_file_in_order) {
	TempDir d;
	std::filesystem::create_directories(d.at("a"));
	std::filesystem::create_directories(d.at("b"));
	std::filesystem::create_directories(d.at("c"));
	d.write("b/x.vcl", "in b");
	d.write("c/x.vcl", "in c");
	struct vfil_path *vp = nullptr;
	VFIL_setpath(&vp, (d.at("a") + ":" + d.at("b") + ":" + d.at("c")).c_str());
	ASSERT_NE(vp, nullptr);
	Search s{{}, "c/x.vcl"};
	char *fno = nullptr;
	EXPECT_EQ(VFIL_searchpath(vp, Visit, &s, "x.vcl", &fno), 0);
	EXPECT_EQ(s.seen, (std::vector<std::string>{d.at("b/x.vcl"), d.at("c/x.vcl")})) << "a/ has none";
	ASSERT_NE(fno, nullptr);
	EXPECT_EQ(std::string(fno), d.at("c/x.vcl"));
	vdisim_free(fno);
	// No callback: the first readable one is read into priv.
	char *content = nullptr;
	EXPECT_EQ(VFIL_searchpath(vp, nullptr, &content, "x.vcl", &fno), 0);
	ASSERT_NE(content, nullptr);
	EXPECT_STREQ(content, "in b");
	EXPECT_EQ(std::string(fno), d.at("b/x.vcl"));
	vdisim_free(content);
	vdisim_free(fno);
	EXPECT_EQ(VFIL_searchpath(vp, nullptr, &content, "absent.vcl", &fno), -1);
	EXPECT_EQ(fno, nullptr);
	// Setting the path again replaces it.
	VFIL_setpath(&vp, d.at("c").c_str());
	EXPECT_EQ(VFIL_searchpath(vp, nullptr, &content, "x.vcl", &fno), 0);
	EXPECT_STREQ(content, "in c");
	vdisim_free(content);
	vdisim_free(fno);
}

TEST(VlibVfil, searchpath_takes_an_absolute_name_as_it_is) {
	TempDir d;
	d.write("abs.vcl", "abs");
	struct vfil_path *vp = nullptr;
	VFIL_setpath(&vp, "/nonexistent");
	Search s{{}, "nothing"};
	char *fno = nullptr;
	EXPECT_EQ(VFIL_searchpath(vp, Visit, &s, d.at("abs.vcl").c_str(), &fno), 1);
	EXPECT_EQ(s.seen, std::vector<std::string>{d.at("abs.vcl")});
	EXPECT_EQ(fno, nullptr) << "an answer above 0 names no file";
	s.stop_at = "abs.vcl";
	EXPECT_EQ(VFIL_searchpath(vp, Visit, &s, d.at("abs.vcl").c_str(), &fno), 0);
	ASSERT_NE(fno, nullptr);
	EXPECT_EQ(std::string(fno), d.at("abs.vcl"));
	vdisim_free(fno);
	char *content = nullptr;
	EXPECT_EQ(VFIL_searchpath(vp, nullptr, &content, "/nonexistent/x", &fno), 1) << "unreadable: go on";
	EXPECT_EQ(content, nullptr);
}

}  // namespace
