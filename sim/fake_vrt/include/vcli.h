/* vcli.h -- the CLI protocol's status codes and line lengths, and libvarnishapi's three
 * helpers for it, as Varnish 8.0.0 publishes them. In vdisim VCLI_AuthResponse computes
 * the answer to a challenge as Varnish's does; VCLI_WriteResult and VCLI_ReadResult, which
 * talk to a CLI socket, fail the task ("... is not simulated"): vdisim has no sockets. */

#ifndef VCLI_H_INCLUDED
#define VCLI_H_INCLUDED

#ifdef __cplusplus
extern "C" {
#endif

enum VCLI_status_e {
	CLIS_SYNTAX	= 100,
	CLIS_UNKNOWN	= 101,
	CLIS_UNIMPL	= 102,
	CLIS_TOOFEW	= 104,
	CLIS_TOOMANY	= 105,
	CLIS_PARAM	= 106,
	CLIS_AUTH	= 107,
	CLIS_OK		= 200,
	CLIS_TRUNCATED	= 201,
	CLIS_CANT	= 300,
	CLIS_COMMS	= 400,
	CLIS_CLOSE	= 500
};

/* A response's first line: "SSS LLLLLLLL\n" (status, body length). */
#define CLI_LINE0_LEN		13
/* The hex SHA-256 of an authentication answer, without its NUL. */
#define CLI_AUTH_RESPONSE_LEN	64

#if !defined(VCLI_PROTOCOL_ONLY)
int VCLI_WriteResult(int fd, unsigned status, const char *result);
int VCLI_ReadResult(int fd, unsigned *status, char **ptr, double tmo);
/* The answer to a challenge (its first 32 bytes) for the secret file open at S_fd: the
 * lower-case hex SHA-256 of challenge, '\n', the file from its offset to its end,
 * challenge, '\n'. */
void VCLI_AuthResponse(int S_fd, const char *challenge,
    char response[CLI_AUTH_RESPONSE_LEN + 1]);
#endif

#ifdef __cplusplus
}
#endif

#endif /* VCLI_H_INCLUDED */
