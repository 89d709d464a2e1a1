/* vcli.c -- vdisim's VCLI_AuthResponse (vcli.h), the answer to a CLI authentication
 * challenge, as libvarnish computes it. The other VCLI_* talk to a socket and are
 * refused (unsimulated_varnishd.cpp). */

#include <stdint.h>
#include <stdio.h>
#include <unistd.h>

#include "vdef.h"
#include "vas.h"
#include "vcli.h"
#include "vsha256.h"

/* The challenge's length in the protocol: the rest of a longer string is not hashed. */
#define VCLI_CHALLENGE_LEN	32

void
VCLI_AuthResponse(int S_fd, const char *challenge,
    char response[CLI_AUTH_RESPONSE_LEN + 1])
{
	static const char hex[] = "0123456789abcdef";
	VSHA256_CTX ctx;
	uint8_t digest[VSHA256_LEN];
	unsigned char c;
	int i;

	assert(CLI_AUTH_RESPONSE_LEN == 2 * VSHA256_LEN);
	AN(challenge);
	VSHA256_Init(&ctx);
	VSHA256_Update(&ctx, challenge, VCLI_CHALLENGE_LEN);
	VSHA256_Update(&ctx, "\n", 1);
	/* The secret file from where S_fd stands, to its end, a byte at a time. */
	while (read(S_fd, &c, 1) == 1)
		VSHA256_Update(&ctx, &c, 1);
	VSHA256_Update(&ctx, challenge, VCLI_CHALLENGE_LEN);
	VSHA256_Update(&ctx, "\n", 1);
	VSHA256_Final(digest, &ctx);
	for (i = 0; i < VSHA256_LEN; i++) {
		response[2 * i] = hex[digest[i] >> 4];
		response[2 * i + 1] = hex[digest[i] & 0xf];
	}
	response[CLI_AUTH_RESPONSE_LEN] = '\0';
}
