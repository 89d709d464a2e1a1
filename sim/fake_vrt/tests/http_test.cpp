// struct http and the VRT calls on it, as Varnish 8.0.0 behaves: http_* over hd[],
// VRT_*Hdr through a ctx, the pure VRT type functions, and what a request's tasks
// carry (req.http with the URL, the builtin vcl_hash digest, bereq, bo->digest).
#include <gtest/gtest.h>

#include <cstring>
#include <string>

#include "sim/fake_vrt/testing/harness.hpp"
#include "sim/fake_vrt/vpi.hpp"
#include "cache/cache_varnishd.h"
#include "proxy/cache_proxy.h"
#include "vapi/vsm.h"
#include "vre.h"
#include "vsa.h"
#include "vsha256.h"

using namespace vdisim;
using namespace vdisim::vrt;
using harness::vcl_backend;
using harness::World;

namespace {

// A header name as HDR("name") makes it in C (length with colon, then "name:").
struct Hdr {
  unsigned char len;
  char str[40];
  explicit Hdr(const char *name) {
    std::snprintf(str, sizeof str, "%s:", name);
    len = static_cast<unsigned char>(std::strlen(str));
  }
  hdr_t h() const { return reinterpret_cast<hdr_t>(this); }
};

// A request message on its own workspace, as a client task has it.
struct Msg {
  alignas(16) char space[16384];
  struct ws ws[1];
  struct http *hp;
  explicit Msg(uint16_t slots = 32) {
    WS_Init(ws, "tst", space, sizeof space);
    unsigned sz = HTTP_estimate(slots);
    hp = HTTP_create(WS_Alloc(ws, sz), slots, sz);
    HTTP_Setup(hp, ws, nullptr, SLT_ReqMethod);
  }
  void line(const char *m, const char *u, const char *p) {
    http_SetH(hp, HTTP_HDR_METHOD, m);
    http_SetH(hp, HTTP_HDR_URL, u);
    http_SetH(hp, HTTP_HDR_PROTO, p);
  }
  std::string get(const char *name) const {
    const char *v = nullptr;
    return http_GetHdr(hp, Hdr(name).h(), &v) ? std::string(v) : std::string("<none>");
  }
};

// A ctx with a workspace and a req.http, without a run (pure VRT calls only).
struct BareCtx {
  Msg m;
  struct wrk_vpi vpi {};
  struct vrt_ctx ctx {};
  BareCtx() {
    vpi.magic = WRK_VPI_MAGIC;
    ctx.magic = VRT_CTX_MAGIC;
    ctx.vpi = &vpi;
    ctx.ws = m.ws;
    ctx.http_req = m.hp;
  }
};

}  // namespace

TEST(Http, estimate_create_setup_lay_out_slots_in_the_given_memory) {
  alignas(16) char buf[4096];
  unsigned sz = HTTP_estimate(10);
  EXPECT_EQ(sz % sizeof(void *), 0u);
  EXPECT_GE(sz, sizeof(struct http) + 10 * sizeof(txt) + 10);
  struct http *hp = HTTP_create(buf, 10, sz);
  EXPECT_EQ(hp->magic, HTTP_MAGIC);
  EXPECT_EQ(hp->shd, 10);
  EXPECT_EQ(static_cast<void *>(hp->hd), static_cast<void *>(hp + 1));
  EXPECT_LE(reinterpret_cast<char *>(hp->hdf + 10), buf + sz);
  HTTP_Setup(hp, nullptr, nullptr, SLT_ReqMethod);
  EXPECT_EQ(hp->nhd, HTTP_HDR_FIRST);
  EXPECT_EQ(hp->logtag, SLT_ReqMethod);
}

TEST(Http, request_line_and_protover) {
  Msg m;
  m.line("GET", "/a?b", "HTTP/1.1");
  EXPECT_STREQ(http_GetMethod(m.hp), "GET");
  EXPECT_STREQ(m.hp->hd[HTTP_HDR_URL].b, "/a?b");
  EXPECT_EQ(m.hp->protover, 11);
  http_ForceField(m.hp, HTTP_HDR_PROTO, "HTTP/1.0");
  EXPECT_EQ(m.hp->protover, 10);
  http_SetH(m.hp, HTTP_HDR_PROTO, "HTTP/2");
  EXPECT_EQ(m.hp->protover, 0) << "only HTTP/x.y counts";
}

TEST(Http, get_finds_first_header_ignoring_case_and_leading_blanks) {
  Msg m;
  http_SetHeader(m.hp, "Host:   example.com");
  http_PrintfHeader(m.hp, "X-Num: %d", 42);
  http_SetHeader(m.hp, "x-num: 43");
  http_SetHeader(m.hp, "X-Numbers: 7");
  EXPECT_EQ(m.get("host"), "example.com");
  EXPECT_EQ(m.get("X-NUM"), "42");
  EXPECT_EQ(m.get("X-Nu"), "<none>") << "a prefix of a name is not the name";
  EXPECT_EQ(http_CountHdr(m.hp, Hdr("X-Num").h()), 2u);
  EXPECT_TRUE(http_HdrIs(m.hp, Hdr("Host").h(), "EXAMPLE.com"));
  EXPECT_FALSE(http_HdrIs(m.hp, Hdr("Host").h(), "example"));
}

TEST(Http, unset_removes_every_line_of_the_name_and_keeps_order) {
  Msg m;
  http_SetHeader(m.hp, "A: 1");
  http_SetHeader(m.hp, "B: 2");
  http_SetHeader(m.hp, "a: 3");
  http_SetHeader(m.hp, "C: 4");
  http_Unset(m.hp, Hdr("A").h());
  ASSERT_EQ(m.hp->nhd, HTTP_HDR_FIRST + 2);
  EXPECT_STREQ(m.hp->hd[HTTP_HDR_FIRST].b, "B: 2");
  EXPECT_STREQ(m.hp->hd[HTTP_HDR_FIRST + 1].b, "C: 4");
}

TEST(Http, collect_folds_lines_into_the_first_with_separator) {
  Msg m;
  http_SetHeader(m.hp, "Cookie: a=1");
  http_SetHeader(m.hp, "X: y");
  http_SetHeader(m.hp, "cookie:  b=2");
  http_SetHeader(m.hp, "Cookie: c=3");
  http_CollectHdrSep(m.hp, Hdr("Cookie").h(), "; ");
  EXPECT_EQ(m.get("Cookie"), "a=1; b=2; c=3");
  EXPECT_EQ(http_CountHdr(m.hp, Hdr("Cookie").h()), 1u);
  EXPECT_EQ(m.get("X"), "y");
  http_SetHeader(m.hp, "V: 1");
  http_SetHeader(m.hp, "V: 2");
  http_CollectHdr(m.hp, Hdr("V").h());
  EXPECT_EQ(m.get("V"), "1, 2");
}

TEST(Http, force_and_append_header) {
  Msg m;
  http_SetHeader(m.hp, "Accept-Encoding: br");
  http_SetHeader(m.hp, "Accept-Encoding: deflate");
  http_ForceHeader(m.hp, H_Accept_Encoding, "gzip");
  EXPECT_EQ(m.get("Accept-Encoding"), "gzip");
  EXPECT_EQ(http_CountHdr(m.hp, H_Accept_Encoding), 1u);
  http_AppendHeader(m.hp, Hdr("Via").h(), "1.1 x");
  http_AppendHeader(m.hp, Hdr("Via").h(), "1.1 y");
  EXPECT_EQ(m.get("Via"), "1.1 x, 1.1 y");
}

TEST(Http, set_status_fills_status_and_reason_lines) {
  Msg m;
  http_PutResponse(m.hp, "HTTP/1.1", 404, nullptr);
  EXPECT_EQ(http_GetStatus(m.hp), 404);
  EXPECT_TRUE(http_IsStatus(m.hp, 404));
  EXPECT_STREQ(m.hp->hd[HTTP_HDR_STATUS].b, "404");
  EXPECT_STREQ(m.hp->hd[HTTP_HDR_REASON].b, "Not Found");
  http_SetStatus(m.hp, 1299, "Mine");
  EXPECT_EQ(http_GetStatus(m.hp), 1299) << "VCL may keep digits above 999";
  EXPECT_STREQ(m.hp->hd[HTTP_HDR_STATUS].b, "299");
  EXPECT_STREQ(m.hp->hd[HTTP_HDR_REASON].b, "Mine");
  const char *s = nullptr;
  EXPECT_STREQ(http_Status2Reason(503, &s), "Service Unavailable");
  EXPECT_STREQ(s, "503");
  EXPECT_STREQ(http_Status2Reason(299, nullptr), "Unknown HTTP Status");
}

TEST(Http, tokens_fields_and_q_values) {
  Msg m;
  http_SetHeader(m.hp, "Cache-Control: no-cache, max-age = 60, \"Quoted\"");
  http_SetHeader(m.hp, "Accept-Encoding: br;q=1.0, gzip;q=0.5, identity; q=0");
  const char *b = nullptr, *e = nullptr, *v = nullptr;
  EXPECT_TRUE(http_GetHdrToken(m.hp, H_Cache_Control, "NO-CACHE", &b, &e));
  EXPECT_EQ(b, nullptr) << "nothing follows the token";
  EXPECT_FALSE(http_GetHdrToken(m.hp, H_Cache_Control, "no", nullptr, nullptr));
  EXPECT_TRUE(http_GetHdrToken(m.hp, H_Cache_Control, "Quoted", nullptr, nullptr));
  EXPECT_FALSE(http_GetHdrToken(m.hp, H_Cache_Control, "quoted", nullptr, nullptr)) << "quoted: exact case";
  EXPECT_TRUE(http_GetHdrField(m.hp, H_Cache_Control, "max-age", &v));
  EXPECT_STREQ(v, "60, \"Quoted\"") << "a pointer into the line, not a copy of the value";
  EXPECT_DOUBLE_EQ(http_GetHdrQ(m.hp, H_Accept_Encoding, "gzip"), 0.5);
  EXPECT_DOUBLE_EQ(http_GetHdrQ(m.hp, H_Accept_Encoding, "br"), 1.0);
  EXPECT_DOUBLE_EQ(http_GetHdrQ(m.hp, H_Accept_Encoding, "identity"), 0.0);
  EXPECT_DOUBLE_EQ(http_GetHdrQ(m.hp, H_Accept_Encoding, "zstd"), 0.0);
  EXPECT_EQ(RFC2616_Req_Gzip(m.hp), 1u);
}

TEST(Http, content_length_and_ranges) {
  Msg m;
  EXPECT_EQ(http_GetContentLength(m.hp), -1);
  http_SetHeader(m.hp, "Content-Length: 123 ");
  EXPECT_EQ(http_GetContentLength(m.hp), 123);
  http_ForceHeader(m.hp, H_Content_Length, "12x");
  EXPECT_EQ(http_GetContentLength(m.hp), -2);
  ssize_t lo, hi;
  http_SetHeader(m.hp, "Range: bytes=-10");
  EXPECT_EQ(http_GetRange(m.hp, &lo, &hi, 100), nullptr);
  EXPECT_EQ(lo, 90);
  EXPECT_EQ(hi, 99);
  http_ForceHeader(m.hp, H_Range, "bytes=5-2");
  EXPECT_STREQ(http_GetRange(m.hp, &lo, &hi, 100), "high smaller than low");
  http_SetHeader(m.hp, "Content-Range: bytes 0-9/100");
  EXPECT_EQ(http_GetContentRange(m.hp, &lo, &hi), 100);
  EXPECT_EQ(lo, 0);
  EXPECT_EQ(hi, 9);
}

TEST(Http, copy_home_moves_foreign_strings_onto_the_workspace) {
  Msg m;
  static const char foreign[] = "X-Foreign: yes";
  http_SetHeader(m.hp, foreign);
  ASSERT_EQ(m.hp->hd[HTTP_HDR_FIRST].b, foreign);
  http_CopyHome(m.hp);
  EXPECT_NE(m.hp->hd[HTTP_HDR_FIRST].b, foreign);
  EXPECT_TRUE(WS_Allocated(m.ws, m.hp->hd[HTTP_HDR_FIRST].b, -1));
  EXPECT_EQ(m.get("X-Foreign"), "yes");
}

TEST(Http, filter_drops_hop_by_hop_and_connection_named_headers) {
  Msg req, be;
  req.line("POST", "/x", "HTTP/1.1");
  http_SetHeader(req.hp, "Connection: close, X-Hop");
  http_SetHeader(req.hp, "X-Hop: 1");
  http_SetHeader(req.hp, "Cache-Control: max-age=1");
  http_SetHeader(req.hp, "X-Keep: 2");
  EXPECT_EQ(http_DoConnection(req.hp, SC_REQ_CLOSE), SC_REQ_CLOSE);
  http_FilterReq(be.hp, req.hp, HTTPH_R_FETCH);
  EXPECT_STREQ(http_GetMethod(be.hp), "POST");
  EXPECT_EQ(be.get("Connection"), "<none>");
  EXPECT_EQ(be.get("X-Hop"), "<none>") << "named by Connection";
  EXPECT_EQ(be.get("Cache-Control"), "<none>") << "HTTPH_R_FETCH";
  EXPECT_EQ(be.get("X-Keep"), "2");
}

TEST(Http, encode_decode_round_trip_keeps_status_and_headers) {
  Msg m, out;
  http_PutResponse(m.hp, "HTTP/1.1", 200, "OK");
  http_SetHeader(m.hp, "ETag: \"abc\"");
  http_SetHeader(m.hp, "Vary: Cookie");
  unsigned need = http_EstimateWS(m.hp, 0);
  std::string buf(need, '\0');
  HTTP_Encode(m.hp, reinterpret_cast<uint8_t *>(buf.data()), need, 0);
  struct vsl_log vsl {};
  out.hp->vsl = &vsl;
  ASSERT_EQ(HTTP_Decode(out.hp, reinterpret_cast<const uint8_t *>(buf.data())), 0);
  EXPECT_EQ(out.hp->status, 200);
  EXPECT_STREQ(out.hp->hd[HTTP_HDR_REASON].b, "OK");
  EXPECT_EQ(out.get("Vary"), "Cookie");
  RFC2616_Weaken_Etag(out.hp);
  EXPECT_EQ(out.get("ETag"), "W/\"abc\"");
  RFC2616_Vary_AE(out.hp);
  EXPECT_EQ(out.get("Vary"), "Cookie, Accept-Encoding");
}

TEST(Http, dup_and_clone_share_strings_not_slots) {
  Msg a, b;
  a.line("GET", "/", "HTTP/1.1");
  http_SetHeader(a.hp, "H: 1");
  HTTP_Dup(b.hp, a.hp);
  EXPECT_EQ(b.hp->ws, b.ws) << "Dup keeps the target's workspace";
  http_Unset(b.hp, Hdr("H").h());
  EXPECT_EQ(a.get("H"), "1");
  HTTP_Clone(b.hp, a.hp);
  EXPECT_EQ(b.hp->ws, a.ws);
  EXPECT_EQ(b.get("H"), "1");
}

TEST(Http, slots_full_marks_workspace_overflow) {
  Msg m(HTTP_HDR_FIRST + 1);
  http_SetHeader(m.hp, "A: 1");
  EXPECT_FALSE(WS_Overflowed(m.ws));
  http_SetHeader(m.hp, "B: 2");
  EXPECT_TRUE(WS_Overflowed(m.ws));
  EXPECT_EQ(m.get("B"), "<none>");
}

TEST(VrtHdr, set_get_unset_through_ctx_and_valid_hdr) {
  BareCtx c;
  Hdr name("X-Set");
  struct gethdr_s hs = {HDR_REQ, name.h()};
  const char *pieces[2] = {"a", "b"};
  struct strands s = {STRANDS_MAGIC, 2, pieces};
  http_SetHeader(c.m.hp, "x-set: old");
  VRT_SetHdr(&c.ctx, &hs, "pre-", &s);
  EXPECT_STREQ(VRT_GetHdr(&c.ctx, &hs), "pre-ab");
  EXPECT_EQ(http_CountHdr(c.m.hp, name.h()), 1u);
  VRT_UnsetHdr(&c.ctx, &hs);
  EXPECT_EQ(VRT_GetHdr(&c.ctx, &hs), nullptr);
  EXPECT_EQ(VRT_selecthttp(&c.ctx, HDR_REQ), c.m.hp);
  EXPECT_EQ(VRT_selecthttp(&c.ctx, HDR_BEREQ), nullptr);
  const char *bad[1] = {"a\nb"};
  struct strands sb = {STRANDS_MAGIC, 1, bad};
  EXPECT_TRUE(VRT_ValidHdr(&c.ctx, &s));
  EXPECT_FALSE(VRT_ValidHdr(&c.ctx, &sb));
}

TEST(VrtTypes, strands_compare_collapse_and_case) {
  BareCtx c;
  const char *p1[3] = {"ab", nullptr, "c"};
  const char *p2[2] = {"a", "bc"};
  const char *p3[1] = {"abd"};
  struct strands a = {STRANDS_MAGIC, 3, p1}, b = {STRANDS_MAGIC, 2, p2}, d = {STRANDS_MAGIC, 1, p3};
  EXPECT_EQ(VRT_CompareStrands(&a, &b), 0);
  EXPECT_LT(VRT_CompareStrands(&a, &d), 0);
  EXPECT_GT(VRT_CompareStrands(&d, vrt_null_strands), 0);
  EXPECT_TRUE(VRT_Strands2Bool(&a));
  EXPECT_FALSE(VRT_Strands2Bool(vrt_null_strands));
  char buf[4];
  char *end = VRT_Strands(buf, sizeof buf, &a);
  ASSERT_NE(end, nullptr);
  EXPECT_STREQ(buf, "abc");
  EXPECT_EQ(end, buf + 4);
  EXPECT_EQ(VRT_Strands(buf, 3, &a), nullptr) << "no room for the NUL";
  EXPECT_STREQ(VRT_StrandsWS(c.ctx.ws, "x-", &a), "x-abc");
  EXPECT_STREQ(VRT_UpperLowerStrands(&c.ctx, &a, 1), "ABC");
  const char *lower[1] = {"abc"};
  struct strands l = {STRANDS_MAGIC, 1, lower};
  EXPECT_EQ(VRT_UpperLowerStrands(&c.ctx, &l, 0), lower[0]) << "unchanged single piece is not copied";
}

TEST(VrtTypes, canonical_strings_of_vcl_values) {
  BareCtx c;
  EXPECT_STREQ(VRT_INT_string(&c.ctx, -42), "-42");
  EXPECT_STREQ(VRT_REAL_string(&c.ctx, 1.5), "1.500");
  EXPECT_STREQ(VRT_BOOL_string(1), "true");
  EXPECT_STREQ(VRT_TIME_string(&c.ctx, 1767225600.0), "Thu, 01 Jan 2026 00:00:00 GMT");
  struct vrt_blob blob = {VRT_BLOB_MAGIC, 0, 4, "abcd"};
  EXPECT_STREQ(VRT_BLOB_string(&c.ctx, &blob), ":YWJjZA==:");
  EXPECT_EQ(VRT_blob(&c.ctx, "t", nullptr, 0, 1), vrt_null_blob);
  EXPECT_EQ(VRT_strcmp(nullptr, nullptr), 1);
  EXPECT_TRUE(VRT_INT_is_valid(VRT_INTEGER_MAX));
  EXPECT_FALSE(VRT_INT_is_valid(VRT_INTEGER_MAX + 1));
  EXPECT_FALSE(VRT_REAL_is_valid(NAN));
}

TEST(VrtTypes, ws_dump_copies_and_pads_with_the_guard_byte) {
  alignas(16) char space[64];
  struct ws ws[1];
  WS_Init(ws, "d", space, sizeof space);
  std::memcpy(WS_Alloc(ws, 8), "abcdefgh", 8);
  char out[8];
  EXPECT_EQ(WS_Dump(ws, 's', 2, out, 4), 4u);
  EXPECT_EQ(std::string(out, 4), "cdef");
  EXPECT_EQ(WS_Dump(ws, 'r', 0, out, 4), 0u) << "no reservation";
  EXPECT_EQ(WS_Dump(ws, 'x', 0, out, 4), 0u);
}

TEST(VrtTypes, regex_match_and_substitution) {
  BareCtx c;
  int err = 0, off = 0;
  vre_t *re = VRE_compile("a(b+)", 0, &err, &off, 0);
  ASSERT_NE(re, nullptr);
  EXPECT_TRUE(VRT_re_match(&c.ctx, "xabbb", re));
  EXPECT_FALSE(VRT_re_match(&c.ctx, nullptr, re));
  EXPECT_STREQ(VRT_regsub(&c.ctx, 0, "xabb-ab", re, "[\\1]"), "x[bb]-ab");
  EXPECT_STREQ(VRT_regsub(&c.ctx, 1, "xabb-ab", re, "[\\1]"), "x[bb]-[b]");
  const char *none = "zzz";
  EXPECT_EQ(VRT_regsub(&c.ctx, 1, none, re, "y"), none) << "no match: the input itself";
  VRE_free(&re);
}

TEST(VrtIp, proxy_header_v1_and_v2_and_ip_compare) {
  BareCtx c;
  alignas(16) char b1[128], b2[128];
  const unsigned char a1[4] = {192, 0, 2, 1}, a2[4] = {198, 51, 100, 7};
  const unsigned char p1[2] = {0x1f, 0x90}, p2[2] = {0, 80};  // 8080, 80
  const struct suckaddr *cli = VSA_BuildFAP(b1, AF_INET, a1, 4, p1, 2);
  const struct suckaddr *srv = VSA_BuildFAP(b2, AF_INET, a2, 4, p2, 2);
  ASSERT_NE(cli, nullptr);
  ASSERT_NE(srv, nullptr);
  struct vsb *vsb = VSB_new_auto();
  VRT_Format_Proxy(vsb, 1, cli, srv, nullptr);
  EXPECT_STREQ(VSB_data(vsb), "PROXY TCP4 192.0.2.1 198.51.100.7 8080 80\r\n");
  VSB_destroy(&vsb);
  vsb = VSB_new_auto();
  VRT_Format_Proxy(vsb, 2, cli, srv, "h");
  ASSERT_EQ(VSB_len(vsb), 16 + 12 + 4);
  const auto *d = reinterpret_cast<const unsigned char *>(VSB_data(vsb));
  EXPECT_EQ(d[12], 0x21);
  EXPECT_EQ(d[13], 0x11);
  EXPECT_EQ(d[15], 12 + 4) << "addresses, ports and the authority TLV";
  EXPECT_EQ(d[28], 0x02);
  VSB_destroy(&vsb);
  EXPECT_FALSE(VRT_ipcmp(&c.ctx, cli, cli));
  EXPECT_TRUE(VRT_ipcmp(&c.ctx, cli, srv));
  EXPECT_STREQ(VRT_IP_string(&c.ctx, srv), "198.51.100.7");
  const unsigned char *raw = nullptr;
  EXPECT_EQ(VRT_VSA_GetPtr(&c.ctx, cli, &raw), AF_INET);
  EXPECT_EQ(raw[0], 192);
}

// 8.0.0's vmod_proxy asks for the session's PROXY TLVs: a simulated client sends no PROXY
// header, so there are none (-1, as varnishd answers for such a session), and
// VPX_Format_Proxy writes what VRT_Format_Proxy writes.
TEST(VrtIp, proxy_tlvs_of_a_session_without_proxy_header_are_none) {
  struct sess sp {};
  sp.magic = SESS_MAGIC;
  struct req req {};
  req.magic = REQ_MAGIC;
  req.sp = &sp;
  int junk = 0;
  const void *dst = &junk;
  int len = 99;
  for (int tlv : {PP2_TYPE_ALPN, PP2_TYPE_AUTHORITY, PP2_TYPE_SSL, PP2_SUBTYPE_SSL_CN}) {
    EXPECT_EQ(VPX_tlv(&req, tlv, &dst, &len), -1) << "tlv " << tlv;
    EXPECT_EQ(dst, nullptr);
    EXPECT_EQ(len, 0);
  }
  alignas(16) char b1[128], b2[128];
  const unsigned char a1[4] = {192, 0, 2, 1}, a2[4] = {198, 51, 100, 7};
  const unsigned char p1[2] = {0x1f, 0x90}, p2[2] = {0, 80};
  const struct suckaddr *cli = VSA_BuildFAP(b1, AF_INET, a1, 4, p1, 2);
  const struct suckaddr *srv = VSA_BuildFAP(b2, AF_INET, a2, 4, p2, 2);
  struct vsb *vsb = VSB_new_auto();
  VPX_Format_Proxy(vsb, 1, cli, srv, nullptr);
  EXPECT_STREQ(VSB_data(vsb), "PROXY TCP4 192.0.2.1 198.51.100.7 8080 80\r\n");
  VSB_destroy(&vsb);
}

namespace {

// What the tasks of one request showed a director.
struct Seen {
  std::string client_url, client_host, bereq_url, bereq_method, bereq_ae;
  uint8_t req_digest_at_recv[DIGEST_LEN] = {};
  uint8_t bo_digest[DIGEST_LEN] = {};
  bool client_top_is_req = false, bo_ws_is_ctx_ws = false, req_ws_is_ctx_ws = false;
  unsigned bo_method = 0;
};
Seen g_seen;
VCL_BACKEND g_leaf = nullptr;

VCL_BACKEND spy_resolve(VRT_CTX, VCL_BACKEND) {
  CHECK_OBJ_NOTNULL(ctx->bo, BUSYOBJ_MAGIC);
  CHECK_OBJ_NOTNULL(ctx->http_bereq, HTTP_MAGIC);
  std::memcpy(g_seen.bo_digest, ctx->bo->digest, DIGEST_LEN);
  g_seen.bereq_url = ctx->http_bereq->hd[HTTP_HDR_URL].b;
  g_seen.bereq_method = http_GetMethod(ctx->http_bereq);
  const char *ae = nullptr;
  g_seen.bereq_ae = http_GetHdr(ctx->http_bereq, H_Accept_Encoding, &ae) ? ae : "<none>";
  g_seen.bo_ws_is_ctx_ws = ctx->ws == ctx->bo->ws;
  return g_leaf;
}

const struct vdi_methods spy_methods = {VDI_METHODS_MAGIC, "spy", nullptr, nullptr, spy_resolve};

}  // namespace

TEST(Request, ctx_carries_http_req_with_url_and_bo_gets_the_builtin_hash_digest) {
  World w;
  w.up("a:80");
  g_seen = {};
  VCL_BACKEND spy = nullptr;
  w.sim.spawn("cli", [&] {
    struct vcl *v = w.rt.vcl_load("boot", {}, [&](VRT_CTX) {
      g_leaf = vcl_backend(ctx, "a", "a:80");
      spy = VRT_AddDirector(ctx, &spy_methods, nullptr, "spy");
      ctx->vcl->fini.push_back([&spy](VRT_CTX) {
        (void)ctx;
        VRT_DelDirector(&spy);
      });
    });
    w.rt.vcl_use("boot");
    RequestHttp rh;
    rh.method = "HEAD";
    rh.url = "/path?q=1";
    rh.headers = {{"Host", "example.com"}, {"Cache-Control", "no-cache"}};
    auto r = run_request(w.rt, v, [&](VRT_CTX) {
      CHECK_OBJ_NOTNULL(ctx->req, REQ_MAGIC);
      g_seen.client_url = ctx->http_req->hd[HTTP_HDR_URL].b;
      struct gethdr_s hs = {HDR_REQ, H_Host};
      g_seen.client_host = VRT_GetHdr(ctx, &hs);
      g_seen.client_top_is_req = ctx->http_req_top == ctx->http_req && ctx->req->http == ctx->http_req;
      g_seen.req_ws_is_ctx_ws = ctx->ws == ctx->req->ws;  // the task has no workspace of its own
      std::memcpy(g_seen.req_digest_at_recv, ctx->req->digest, DIGEST_LEN);
      return spy;
    }, std::nullopt, rh);
    EXPECT_EQ(r.kind, RequestResult::Kind::Ok);
    EXPECT_EQ(r.backend, "boot.a");
  });
  ASSERT_TRUE(w.run().ok());
  EXPECT_EQ(g_seen.client_url, "/path?q=1");
  EXPECT_EQ(g_seen.client_host, "example.com");
  EXPECT_TRUE(g_seen.client_top_is_req);
  EXPECT_TRUE(g_seen.req_ws_is_ctx_ws);
  uint8_t zero[DIGEST_LEN] = {};
  EXPECT_EQ(std::memcmp(g_seen.req_digest_at_recv, zero, DIGEST_LEN), 0) << "vcl_hash runs after vcl_recv";
  // hash_data(req.url); hash_data(req.http.host): each piece then a zero byte.
  VSHA256_CTX sha;
  uint8_t want[DIGEST_LEN];
  VSHA256_Init(&sha);
  VSHA256_Update(&sha, "/path?q=1", 9);
  VSHA256_Update(&sha, "", 1);
  VSHA256_Update(&sha, "example.com", 11);
  VSHA256_Update(&sha, "", 1);
  VSHA256_Final(want, &sha);
  EXPECT_EQ(std::memcmp(g_seen.bo_digest, want, DIGEST_LEN), 0);
  EXPECT_EQ(g_seen.bereq_url, "/path?q=1");
  EXPECT_EQ(g_seen.bereq_method, "GET") << "a cacheable fetch is a GET";
  EXPECT_EQ(g_seen.bereq_ae, "gzip");
  EXPECT_TRUE(g_seen.bo_ws_is_ctx_ws);
}

TEST(Unsimulated, object_calls_fail_the_run_and_vcl_actions_fail_the_task) {
  World w;
  bool task_failed = false;
  w.sim.spawn("cli", [&] {
    struct vcl *v = w.rt.vcl_load("boot", {}, nullptr);
    Task t(w.rt, v, 0);
    EXPECT_EQ(VRT_ban_string(t.ctx(), "obj.status == 200"), nullptr);
    task_failed = t.failed();
    EXPECT_EQ(t.fail_message(), "vdisim: VRT_ban_string is not simulated");
    (void)ObjGetLen(nullptr, nullptr);
  });
  auto r = w.run();
  EXPECT_TRUE(task_failed);
  ASSERT_TRUE(r.failure.has_value());
  EXPECT_EQ(r.failure->rule, "UNSIMULATED");
  EXPECT_NE(r.failure->message.find("ObjGetLen is not simulated"), std::string::npos);
}

// What 8.0.0's cache_varnishd.h and libvarnishapi headers declare beyond the model is
// defined (a vmod naming it loads) and refused by name when called.
TEST(Unsimulated, varnishd_internals_and_log_readers_are_refused_by_name) {
  World w;
  bool task_failed = false;
  w.sim.spawn("cli", [&] {
    struct vcl *v = w.rt.vcl_load("boot", {}, nullptr);
    Task t(w.rt, v, 0);
    VCL_TaskLeave(t.ctx(), cli_task_privs);
    task_failed = t.failed();
    EXPECT_EQ(t.fail_message(), "vdisim: VCL_TaskLeave is not simulated");
    EXPECT_STREQ(R_STP_RECV->name, "Req Step recv");
    EXPECT_STREQ(VFP_gunzip.name, "gunzip");
    (void)VSM_New();
  });
  auto r = w.run();
  EXPECT_TRUE(task_failed);
  ASSERT_TRUE(r.failure.has_value());
  EXPECT_EQ(r.failure->rule, "UNSIMULATED");
  EXPECT_NE(r.failure->message.find("vdisim: VSM_New is not simulated"), std::string::npos)
      << r.failure->message;
}

TEST(Unsimulated, a_compiled_vcl_method_is_refused_by_its_name) {
  World w;
  w.sim.spawn("cli", [&] { VCL_recv_method(nullptr, nullptr, nullptr, nullptr, nullptr); });
  auto r = w.run();
  ASSERT_TRUE(r.failure.has_value());
  EXPECT_EQ(r.failure->rule, "UNSIMULATED");
  EXPECT_NE(r.failure->message.find("vdisim: VCL_recv_method is not simulated"), std::string::npos)
      << r.failure->message;
}

TEST(Cli, mark_cli_thread_makes_the_running_actor_varnish_cli_thread) {
  World w;
  pthread_t cli_id = 0, other_id = 0, cli_at_other = 0;
  w.sim.spawn("cli", [&] {
    mark_cli_thread();
    cli_id = vdisim_pthread_self();
    EXPECT_TRUE(vdisim_pthread_equal(vdisim_pthread_self(), cli_thread)) << "IS_CLI() in the CLI actor";
  });
  w.sim.spawn("req", [&] {
    other_id = vdisim_pthread_self();
    cli_at_other = cli_thread;
  });
  ASSERT_TRUE(w.run().ok());
  EXPECT_NE(cli_id, other_id);
  EXPECT_FALSE(vdisim_pthread_equal(other_id, cli_thread)) << "IS_CLI() is false elsewhere";
  (void)cli_at_other;
}

// A request with as many headers as http_max_hdr holds: the bereq made from it gets
// Accept-Encoding and X-Varnish too, which no longer fit (LostHeader overflows the
// backend workspace). varnishd fails that fetch; it is no assert of the harness.
TEST(Request, a_bereq_that_overflows_its_workspace_fails_the_fetch) {
  World w;
  w.up("a:80");
  std::optional<RequestResult> r;
  w.sim.spawn("cli", [&] {
    VCL_BACKEND leaf = nullptr;
    struct vcl *v = w.rt.vcl_load("boot", {}, [&](VRT_CTX) { leaf = vcl_backend(ctx, "a", "a:80"); });
    w.rt.vcl_use("boot");
    RequestHttp rh;
    rh.headers.clear();
    for (int i = 0; i < 58; i++) rh.headers.emplace_back("Host", "vdisim");
    r = run_request(w.rt, v, [&](VRT_CTX) { (void)ctx; return leaf; }, std::nullopt, rh);
  });
  ASSERT_TRUE(w.run().ok());
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->kind, RequestResult::Kind::Failed);
  EXPECT_EQ(w.rt.backends().stats("boot.a").fetches, 0u) << "the leaf was never reached";
}
