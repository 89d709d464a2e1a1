/* vsha256.c -- SHA-256 (FIPS 180-4) for vsha256.h, written for vdisim. The shard
 * director's ring depends on these digests, so VSHA256_Test pins known vectors.
 * A block is compressed by the x86 SHA extensions where the CPU has them (every
 * request's vcl_hash hashes its URL and host: the portable rounds were 9% of a
 * default-scenario seed), else by the portable rounds; both give the same state. */

#include <stdint.h>
#include <string.h>

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define VSHA_HAVE_NI 1
#endif

#include "vdef.h"
#include "vas.h"
#include "vend.h"
#include "vsha256.h"

/* First 32 bits of the fractional parts of the cube roots of the first 64 primes. */
static const uint32_t vsha_k[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
	0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
	0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
	0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
	0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
	0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
	0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
	0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
	0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
};

static inline uint32_t
vsha_ror(uint32_t x, unsigned n)
{

	return ((x >> n) | (x << (32 - n)));
}

/* One 64-byte block into the state. */
static void
vsha_block(uint32_t st[8], const unsigned char *blk)
{
	uint32_t w[64], a, b, c, d, e, f, g, h, t1, t2, s0, s1;
	int i;

	for (i = 0; i < 16; i++)
		w[i] = vbe32dec(blk + 4 * i);
	for (i = 16; i < 64; i++) {
		s0 = vsha_ror(w[i - 15], 7) ^ vsha_ror(w[i - 15], 18) ^
		    (w[i - 15] >> 3);
		s1 = vsha_ror(w[i - 2], 17) ^ vsha_ror(w[i - 2], 19) ^
		    (w[i - 2] >> 10);
		w[i] = w[i - 16] + s0 + w[i - 7] + s1;
	}
	a = st[0]; b = st[1]; c = st[2]; d = st[3];
	e = st[4]; f = st[5]; g = st[6]; h = st[7];
	for (i = 0; i < 64; i++) {
		t1 = h + (vsha_ror(e, 6) ^ vsha_ror(e, 11) ^ vsha_ror(e, 25)) +
		    ((e & f) ^ (~e & g)) + vsha_k[i] + w[i];
		t2 = (vsha_ror(a, 2) ^ vsha_ror(a, 13) ^ vsha_ror(a, 22)) +
		    ((a & b) ^ (a & c) ^ (b & c));
		h = g; g = f; f = e; e = d + t1;
		d = c; c = b; b = a; a = t1 + t2;
	}
	st[0] += a; st[1] += b; st[2] += c; st[3] += d;
	st[4] += e; st[5] += f; st[6] += g; st[7] += h;
}

#ifdef VSHA_HAVE_NI
/*
 * The same block with SHA-NI. The instructions keep the state as two vectors,
 * (a, b, e, f) and (c, d, g, h), and take the message schedule four words at a
 * time: w[g % 4] holds words 4g..4g+3 of the schedule as it is made.
 */
__attribute__((target("sha,sse4.1,ssse3")))
static void
vsha_block_ni(uint32_t st[8], const unsigned char *blk)
{
	const __m128i be = _mm_set_epi64x(0x0c0d0e0f08090a0bULL,
	    0x0405060700010203ULL);
	__m128i abef, cdgh, abef0, cdgh0, t, m, w[4];
	int g;

	t = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)st), 0xb1);
	cdgh = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)(st + 4)),
	    0x1b);
	abef = _mm_alignr_epi8(t, cdgh, 8);
	cdgh = _mm_blend_epi16(cdgh, t, 0xf0);
	abef0 = abef;
	cdgh0 = cdgh;
	for (g = 0; g < 16; g++) {
		if (g < 4) {
			w[g] = _mm_shuffle_epi8(_mm_loadu_si128(
			    (const __m128i *)(blk + 16 * g)), be);
		} else {
			t = _mm_sha256msg1_epu32(w[g & 3], w[(g + 1) & 3]);
			t = _mm_add_epi32(t,
			    _mm_alignr_epi8(w[(g + 3) & 3], w[(g + 2) & 3], 4));
			w[g & 3] = _mm_sha256msg2_epu32(t, w[(g + 3) & 3]);
		}
		m = _mm_add_epi32(w[g & 3],
		    _mm_loadu_si128((const __m128i *)(vsha_k + 4 * g)));
		cdgh = _mm_sha256rnds2_epu32(cdgh, abef, m);
		abef = _mm_sha256rnds2_epu32(abef, cdgh,
		    _mm_shuffle_epi32(m, 0x0e));
	}
	abef = _mm_add_epi32(abef, abef0);
	cdgh = _mm_add_epi32(cdgh, cdgh0);
	t = _mm_shuffle_epi32(abef, 0x1b);
	cdgh = _mm_shuffle_epi32(cdgh, 0xb1);
	_mm_storeu_si128((__m128i *)st, _mm_blend_epi16(t, cdgh, 0xf0));
	_mm_storeu_si128((__m128i *)(st + 4), _mm_alignr_epi8(cdgh, t, 8));
}
#endif

int VDISIM_vsha256_ni(int on);

/* -1: not decided yet; 0: the portable rounds; 1: SHA-NI. */
static int vsha_ni = -1;

/*
 * Which rounds compress a block (tests compare the two): on = 0 asks for the
 * portable ones, on = 1 for SHA-NI where the CPU has it, on < 0 asks nothing.
 * Returns 1 when SHA-NI is in use after the call.
 */
int
VDISIM_vsha256_ni(int on)
{

#ifdef VSHA_HAVE_NI
	if (vsha_ni < 0 || on > 0) {
		__builtin_cpu_init();
		vsha_ni = __builtin_cpu_supports("sha") &&
		    __builtin_cpu_supports("sse4.1");
	}
	if (on == 0)
		vsha_ni = 0;
	return (vsha_ni);
#else
	(void)on;
	return (0);
#endif
}

static void
vsha_compress(uint32_t st[8], const unsigned char *blk)
{

#ifdef VSHA_HAVE_NI
	if (vsha_ni < 0)
		(void)VDISIM_vsha256_ni(-1);
	if (vsha_ni) {
		vsha_block_ni(st, blk);
		return;
	}
#endif
	vsha_block(st, blk);
}

void
VSHA256_Init(VSHA256_CTX *ctx)
{
	static const uint32_t iv[8] = {
		0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
		0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19
	};

	AN(ctx);
	memcpy(ctx->state, iv, sizeof iv);
	ctx->count = 0;
	memset(ctx->buf, 0, sizeof ctx->buf);
}

void
VSHA256_Update(VSHA256_CTX *ctx, const void *in, size_t len)
{
	const unsigned char *p = in;
	size_t have, take;

	AN(ctx);
	assert(len == 0 || in != NULL);
	while (len > 0) {
		have = (size_t)((ctx->count >> 3) & 63);
		take = 64 - have;
		if (take > len)
			take = len;
		memcpy(ctx->buf + have, p, take);
		ctx->count += (uint64_t)take << 3;
		p += take;
		len -= take;
		if (have + take == 64)
			vsha_compress(ctx->state, ctx->buf);
	}
}

void
VSHA256_Final(unsigned char digest[VSHA256_LEN], VSHA256_CTX *ctx)
{
	static const unsigned char pad[64] = { 0x80 };
	unsigned char lenbe[8];
	size_t have, padlen;
	int i;

	AN(ctx);
	AN(digest);
	vbe64enc(lenbe, ctx->count);
	/* 0x80, zeros up to 56 mod 64, then the 64-bit bit length */
	have = (size_t)((ctx->count >> 3) & 63);
	padlen = have < 56 ? 56 - have : 120 - have;
	VSHA256_Update(ctx, pad, padlen);
	VSHA256_Update(ctx, lenbe, sizeof lenbe);
	assert(((ctx->count >> 3) & 63) == 0);
	for (i = 0; i < 8; i++)
		vbe32enc(digest + 4 * i, ctx->state[i]);
	memset(ctx, 0, sizeof *ctx);
}

void
VSHA256_Test(void)
{
	static const struct {
		const char	*in;
		unsigned	repeat;
		const char	*hex;
	} vec[] = {
		{ "", 1, "e3b0c44298fc1c149afbf4c8996fb924"
		    "27ae41e4649b934ca495991b7852b855" },
		{ "abc", 1, "ba7816bf8f01cfea414140de5dae2223"
		    "b00361a396177a9cb410ff61f20015ad" },
		{ "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 1,
		    "248d6a61d20638b8e5c026930c3e6039"
		    "a33ce45964ff2167f6ecedd419db06c1" },
		{ "a", 1000000, "cdc76e5c9914fb9281a1c7e284d73e67"
		    "f1809a48a497200e046d39ccc7112cd0" },
	};
	unsigned char d[VSHA256_LEN];
	char hex[2 * VSHA256_LEN + 1];
	VSHA256_CTX c;
	unsigned i, j;

	for (i = 0; i < sizeof vec / sizeof vec[0]; i++) {
		VSHA256_Init(&c);
		for (j = 0; j < vec[i].repeat; j++)
			VSHA256_Update(&c, vec[i].in, strlen(vec[i].in));
		VSHA256_Final(d, &c);
		for (j = 0; j < VSHA256_LEN; j++) {
			hex[2 * j] = "0123456789abcdef"[d[j] >> 4];
			hex[2 * j + 1] = "0123456789abcdef"[d[j] & 15];
		}
		hex[2 * VSHA256_LEN] = '\0';
		assert(!strcmp(hex, vec[i].hex));
	}
}
