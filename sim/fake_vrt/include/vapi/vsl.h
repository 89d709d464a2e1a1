/* vapi/vsl.h -- libvarnishapi's reading of the shared log (VSL cursors, queries,
 * printing), as Varnish 8.0.0 declares it for log tools. vdisim's log is the run's trace,
 * not a shared-memory ring: the tag tables (VSL_tags, VSL_tagflags), VSL_Name2Tag,
 * VSL_Glob2Tags, VSL_List2Tags and VSLQ_Name2Grouping answer as Varnish's; every
 * function that reads or writes a log fails the task ("... is not simulated"). */

#ifndef VAPI_VSL_H_INCLUDED
#define VAPI_VSL_H_INCLUDED

#include <stdint.h>
#include <stdio.h>

#include "vapi/vsl_int.h"

#ifdef __cplusplus
extern "C" {
#endif

struct vsm;
struct VSL_data;
struct VSLQ;

struct VSLC_ptr {
	const uint32_t		*ptr;
	unsigned		priv;
};

struct VSL_cursor {
	struct VSLC_ptr		rec;
	const void		*priv_tbl;
	void			*priv_data;
};

enum VSL_transaction_e {
	VSL_t_unknown,
	VSL_t_sess,
	VSL_t_req,
	VSL_t_bereq,
	VSL_t_raw,
	VSL_t__MAX,
};

enum VSL_reason_e {
	VSL_r_unknown,
	VSL_r_http_1,
	VSL_r_rxreq,
	VSL_r_esi,
	VSL_r_restart,
	VSL_r_pass,
	VSL_r_fetch,
	VSL_r_bgfetch,
	VSL_r_pipe,
	VSL_r__MAX,
};

struct VSL_transaction {
	int			level;
	int64_t			vxid;
	int64_t			vxid_parent;
	enum VSL_transaction_e	type;
	enum VSL_reason_e	reason;
	struct VSL_cursor	*c;
};

enum VSL_grouping_e {
	VSL_g_raw,
	VSL_g_vxid,
	VSL_g_request,
	VSL_g_session,
	VSL_g__MAX,
};

typedef int VSLQ_dispatch_f(struct VSL_data *vsl,
    struct VSL_transaction * const trans[], void *priv);
typedef void VSL_tagfind_f(int tag, void *priv);

/* Tag names by number (NULL where no tag has the number) and their SLT_F_* flags. */
extern const char * const VSL_tags[SLT__MAX];
extern const unsigned VSL_tagflags[SLT__MAX];

/* The tag called name (its first l bytes, all of it when l < 0), case-insensitive, or
 * its unique prefix: -1 none, -2 more than one. */
int VSL_Name2Tag(const char *name, int l);
/* Calls func for every tag the glob (one '*': at the start, the end or inside) matches;
 * the count, or -1 none, -2 ambiguous (no '*'), -3 bad glob. */
int VSL_Glob2Tags(const char *glob, int l, VSL_tagfind_f *func, void *priv);
/* VSL_Glob2Tags for each comma-separated glob; the total, or the first error. */
int VSL_List2Tags(const char *list, int l, VSL_tagfind_f *func, void *priv);

extern const char *const VSLQ_grouping[VSL_g__MAX];
/* The grouping called name (or its unique prefix): its number, -1 none, -2 ambiguous. */
int VSLQ_Name2Grouping(const char *name, int l);

struct VSL_data *VSL_New(void);
int VSL_Arg(struct VSL_data *vsl, int opt, const char *arg);
void VSL_Delete(struct VSL_data *vsl);
const char *VSL_Error(const struct VSL_data *vsl);
void VSL_ResetError(struct VSL_data *vsl);

#define VSL_COPT_TAIL		(1 << 0)
#define VSL_COPT_BATCH		(1 << 1)
#define VSL_COPT_TAILSTOP	(1 << 2)

struct VSL_cursor *VSL_CursorVSM(struct VSL_data *vsl, struct vsm *vsm, unsigned options);
struct VSL_cursor *VSL_CursorFile(struct VSL_data *vsl, const char *name, unsigned options);
void VSL_DeleteCursor(const struct VSL_cursor *c);

/* Declared before its first use, so that C++ accepts the header too. */
enum vsl_status {
	vsl_e_write	= -5,
	vsl_e_io	= -4,
	vsl_e_overrun	= -3,
	vsl_e_abandon	= -2,
	vsl_e_eof	= -1,
	vsl_end		=  0,
	vsl_more	=  1
};

enum vsl_status VSL_ResetCursor(const struct VSL_cursor *c);

enum vsl_check {
	vsl_check_e_notsupp	= -1,
	vsl_check_e_inval	=  0,
	vsl_check_warn		=  1,
	vsl_check_valid		=  2
};

enum vsl_check VSL_Check(const struct VSL_cursor *c, const struct VSLC_ptr *ptr);

enum vsl_status VSL_Next(const struct VSL_cursor *c);
int VSL_Match(struct VSL_data *vsl, const struct VSL_cursor *c);
int VSL_Print(const struct VSL_data *vsl, const struct VSL_cursor *c, void *fo);
int VSL_PrintTerse(const struct VSL_data *vsl, const struct VSL_cursor *c, void *fo);
int VSL_PrintAll(struct VSL_data *vsl, const struct VSL_cursor *c, void *fo);
VSLQ_dispatch_f VSL_PrintTransactions;
FILE *VSL_WriteOpen(struct VSL_data *vsl, const char *name, int append, int unbuffered);
int VSL_Write(const struct VSL_data *vsl, const struct VSL_cursor *c, void *fo);
int VSL_WriteAll(struct VSL_data *vsl, const struct VSL_cursor *c, void *fo);
VSLQ_dispatch_f VSL_WriteTransactions;

struct VSLQ *VSLQ_New(struct VSL_data *vsl, struct VSL_cursor **cp,
    enum VSL_grouping_e grouping, const char *query);
void VSLQ_Delete(struct VSLQ **pvslq);
void VSLQ_SetCursor(struct VSLQ *vslq, struct VSL_cursor **cp);
int VSLQ_Dispatch(struct VSLQ *vslq, VSLQ_dispatch_f *func, void *priv);
int VSLQ_Flush(struct VSLQ *vslq, VSLQ_dispatch_f *func, void *priv);

#ifdef __cplusplus
}
#endif

#endif /* VAPI_VSL_H_INCLUDED */
