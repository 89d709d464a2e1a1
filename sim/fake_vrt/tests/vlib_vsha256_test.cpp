// vlib_vsha256_test.cpp -- vsha256.c against FIPS 180-4 vectors and OpenSSL's
// SHA-256 for seeded inputs fed in ragged pieces; the shard director's ring
// positions depend on these digests.

#include <gtest/gtest.h>

#include <openssl/evp.h>

#include <algorithm>
#include <iostream>
#include <cstdint>
#include <string>
#include <vector>

#include "vsha256.h"

// vsha256.c's choice of rounds: 0 the portable ones, 1 SHA-NI where the CPU has it;
// returns 1 when SHA-NI is in use.
extern "C" int VDISIM_vsha256_ni(int on);

namespace {

std::string Hex(const unsigned char *d, size_t n) {
	static const char x[] = "0123456789abcdef";
	std::string s;
	for (size_t i = 0; i < n; i++) {
		s += x[d[i] >> 4];
		s += x[d[i] & 15];
	}
	return s;
}

std::string Digest(const std::string &in) {
	VSHA256_CTX c;
	unsigned char d[VSHA256_LEN];
	VSHA256_Init(&c);
	VSHA256_Update(&c, in.data(), in.size());
	VSHA256_Final(d, &c);
	return Hex(d, sizeof d);
}

TEST(VlibVsha256, fips_vectors) {
	EXPECT_EQ(Digest(""),
	    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	EXPECT_EQ(Digest("abc"),
	    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	EXPECT_EQ(Digest("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
	    "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	VSHA256_Test();	// aborts on a mismatch
}

void RaggedUpdatesMatchOpenssl();

TEST(VlibVsha256, ragged_updates_match_openssl) { RaggedUpdatesMatchOpenssl(); }

// Both ways of compressing a block give OpenSSL's digests: the portable rounds always,
// SHA-NI when this CPU has it (and valgrind's CPU does not).
TEST(VlibVsha256, portable_and_sha_ni_rounds_agree) {
	ASSERT_EQ(VDISIM_vsha256_ni(0), 0);
	RaggedUpdatesMatchOpenssl();
	EXPECT_EQ(Digest("abc"),
	    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	const int ni = VDISIM_vsha256_ni(1);
	std::cout << "SHA-NI " << (ni ? "in use" : "not on this CPU") << "\n";
	RaggedUpdatesMatchOpenssl();
	VSHA256_Test();
}

void RaggedUpdatesMatchOpenssl() {
	uint64_t s = 99;
	for (size_t len : {0u, 1u, 55u, 56u, 63u, 64u, 65u, 119u, 120u, 1000u, 4097u}) {
		std::string in(len, '\0');
		for (char &ch : in) {
			s = s * 6364136223846793005ULL + 1;
			ch = static_cast<char>(s >> 56);
		}
		unsigned char want[32];
		unsigned wl = 0;
		ASSERT_EQ(EVP_Digest(in.data(), in.size(), want, &wl, EVP_sha256(), nullptr), 1);
		// feed in pieces of 1, 2, 3, ... bytes
		SHA256_CTX c;
		SHA256_Init(&c);
		size_t off = 0;
		for (size_t piece = 1; off < len; piece++) {
			size_t n = std::min(piece, len - off);
			SHA256_Update(&c, in.data() + off, n);
			off += n;
		}
		unsigned char got[SHA256_LEN];
		SHA256_Final(got, &c);
		EXPECT_EQ(Hex(got, 32), Hex(want, 32)) << "length " << len;
	}
}

}  // namespace
