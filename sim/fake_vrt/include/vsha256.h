/* vsha256.h -- SHA-256 with Varnish's VSHA256_* names and context layout (and the
 * SHA256_* aliases). vmod_directors' shard director hashes keys and ring points with
 * it. Implemented in vlib/vsha256.c (FIPS 180-4); no state outside the context. */

#ifndef _VSHA256_H_
#define _VSHA256_H_

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define VSHA256_LEN		32
#define VSHA256_DIGEST_LENGTH	32

typedef struct VSHA256Context {
	uint32_t state[8];
	uint64_t count;		/* message length so far, in bits */
	unsigned char buf[64];	/* the partial block */
} VSHA256_CTX;

void	VSHA256_Init(VSHA256_CTX *);
void	VSHA256_Update(VSHA256_CTX *, const void *, size_t);
void	VSHA256_Final(unsigned char [VSHA256_LEN], VSHA256_CTX *);
/* Checks known digests; fails through vas.h on a mismatch. */
void	VSHA256_Test(void);

#define SHA256_LEN		VSHA256_LEN
#define SHA256_DIGEST_LENGTH	VSHA256_DIGEST_LENGTH
#define SHA256Context		VSHA256Context
#define SHA256_CTX		VSHA256_CTX
#define SHA256_Init		VSHA256_Init
#define SHA256_Update		VSHA256_Update
#define SHA256_Final		VSHA256_Final
#define SHA256_Test		VSHA256_Test

#ifdef __cplusplus
}
#endif

#endif /* !_VSHA256_H_ */
