/* test_render.c - unit tests for the renderers: reports built by hand,
 * rendered to memory, and checked against the JSON contract, the text an
 * operator reads and the Markdown pasted into a ticket; hostile log bytes
 * (invalid UTF-8, NUL, U+2028, escape sequences, pipes and backticks) must
 * never break any of them. */
#include "config.h"

#include <jansson.h>
#include <stdbool.h>
#include <unistd.h>

#include "model.h"
#include "render.h"
#include "render_util.h"
#include "testutil.h"
#include "util.h"

#define LEAF_HOST "leafonly.partner.test"
#define ISSUING_CA "CN=Sift Test Issuing CA 1, O=Sift Test"
#define WRAPPER "samples/node1/wrapper.log"
#define LOCALHOST "samples/node1/localhost_log.2026-11-21.txt"
#define PKIX_LINE                                                          \
	"Fatal (CERTIFICATE_UNKNOWN): PKIX path building failed: "         \
	"sun.security.provider.certpath.SunCertPathBuilderException: "     \
	"unable to find valid certification path to requested target"

/* ---- building reports --------------------------------------------------- */

static void add_cert(struct handshake *h, const char *subject,
		     const char *issuer, const char *serial)
{
	struct cert *c = handshake_add_cert(h);
	c->subject = xstrdup(subject);
	c->issuer = xstrdup(issuer);
	c->not_before = xstrdup("2026-11-21 09:19:44.000 UTC");
	c->not_after = xstrdup("2027-11-21 09:19:44.000 UTC");
	c->serial = serial ? xstrdup(serial) : NULL;
}

static size_t add_symptom(struct report *r, enum symptom_kind kind,
			  uint32_t file, uint64_t line, const char *text)
{
	struct symptom *s = report_add_symptom(r);
	s->kind = kind;
	s->file = file;
	s->line = line;
	s->text = xstrdup(text);
	s->thread = xstrdup("glide.scheduler.worker.3");
	return r->n_symptoms - 1;
}

static void add_finding(struct report *r, enum diag_code code, size_t count,
			const char *peer)
{
	r->findings = xrealloc(r->findings,
			       (r->n_findings + 1) * sizeof *r->findings);
	struct finding *f = &r->findings[r->n_findings++];
	memset(f, 0, sizeof *f);
	f->code = code;
	f->count = count;
	if (peer) {
		xgrow(&f->peers, &f->cap_peers, 1, sizeof *f->peers);
		f->peers[f->n_peers++] = xstrdup(peer);
	}
}

/* A failed handshake against the leaf-only endpoint, line `line` of the
 * wrapper log, with a symptom in each log. */
static void add_leaf_only(struct report *r, uint64_t line, int64_t ts)
{
	size_t s1 = add_symptom(r, SYM_SSL_HANDSHAKE_EXCEPTION, 1, line / 10,
				"javax.net.ssl.SSLHandshakeException: PKIX "
				"path building failed");
	size_t s2 = add_symptom(r, SYM_SOCKET_CLOSED, 1, line / 10 + 2,
				"Request not sent to uri=https://" LEAF_HOST
				":18443/api : java.net.SocketException: "
				"Socket is closed");
	struct handshake *h = report_add_handshake(r);
	h->file = 0;
	h->line = line;
	h->last_line = line + 90;
	h->ts_start = h->ts_end = ts;
	h->thread = xstrdup("glide.scheduler.worker.3");
	h->role = ROLE_CLIENT;
	h->peer_host = xstrdup(LEAF_HOST);
	h->peer_port = 18443;
	h->sni = xstrdup(LEAF_HOST);
	h->tls_version = xstrdup("TLSv1.3");
	h->outcome = OUTCOME_FAILED;
	h->peer_certs_state = CERTS_CAPTURED;
	add_cert(h, "CN=" LEAF_HOST ", O=Partner Test, C=US", ISSUING_CA,
		 "00:d2:00:6b");
	h->pkix_failed = true;
	h->alert_sent = xstrdup("CERTIFICATE_UNKNOWN");
	h->chain = CHAIN_LEAF_ONLY;
	h->diagnosis = DIAG_LEAF_ONLY_CHAIN;
	h->missing_issuer = xstrdup(ISSUING_CA);
	handshake_add_evidence(h, 0, line + 68, PKIX_LINE, strlen(PKIX_LINE));
	handshake_add_symptom(h, s1);
	handshake_add_symptom(h, s2);
}

static void add_ok(struct report *r)
{
	struct handshake *h = report_add_handshake(r);
	h->file = 0;
	h->line = 900;
	h->role = ROLE_CLIENT;
	h->peer_host = xstrdup("fullchain.partner.test");
	h->peer_port = 18459;
	h->tls_version = xstrdup("TLSv1.2");
	h->outcome = OUTCOME_OK;
	h->peer_certs_state = CERTS_CAPTURED;
	add_cert(h, "CN=fullchain.partner.test", ISSUING_CA, NULL);
	add_cert(h, ISSUING_CA, "CN=Sift Test Root CA", NULL);
	h->chain = CHAIN_COMPLETE;
	h->diagnosis = DIAG_OK;
}

static void add_inputs(struct report *r)
{
	struct input *in = report_add_input(r, WRAPPER);
	in->bytes = 40960;
	in->lines = 1200;
	in = report_add_input(r, LOCALHOST);
	in->bytes = 2048;
	in->lines = 30;
}

/* Three leaf-only failures against one endpoint and one success. */
static struct report *leaf_report(void)
{
	struct report *r = report_new();
	add_inputs(r);
	add_leaf_only(r, 123, civil_to_ms(2026, 11, 21, 9, 20, 0, 243));
	add_leaf_only(r, 400, civil_to_ms(2026, 11, 21, 9, 20, 2, 512));
	add_leaf_only(r, 700, civil_to_ms(2026, 11, 21, 9, 21, 5, 0));
	add_ok(r);
	add_finding(r, DIAG_LEAF_ONLY_CHAIN, 3, LEAF_HOST ":18443");
	add_finding(r, DIAG_OK, 1, "fullchain.partner.test:18459");
	return r;
}

#define EVIL_THREAD "worker\x1b[31mRED\x1b]0;pwned\x07-\xc2\x9b" "2J-end"
#define EVIL_SUBJECT "CN=a|b```c````d\xff\xfe<script>&*_x_*\xE2\x80\xA8"
#define EVIL_ISSUER "CN=bad\xc3(\xE2\x80\xA9 \xE2\x80\xAE" "fdp.exe"
#define EVIL_HOST "evil|host`x"
#define EVIL_PATH "logs/evil`|<b>.log"

/* Synthetic and hostile handshakes: a not-captured TRUST_PATH_FAILED, an
 * empty Certificate message, a cut Certificate message holding hostile
 * names, and an input that could not be read. */
static struct report *hostile_report(void)
{
	struct report *r = report_new();
	struct input *in = report_add_input(r, EVIL_PATH);
	in->lines = 10;
	in->long_lines = 2;
	in = report_add_input(r, "logs/wrapper.log.3.gz");
	in->compressed = true;
	in->error = xstrdup("truncated gzip stream at byte 40960\x1b[2J");

	size_t s = add_symptom(r, SYM_PEER_NOT_AUTHENTICATED, 0, 4,
			       "peer not authenticated");
	struct handshake *h = report_add_handshake(r);
	h->line = 4;
	h->peer_host = xstrdup("api.example.com");
	h->outcome = OUTCOME_FAILED;
	h->peer_certs_state = CERTS_NOT_CAPTURED;
	h->chain = CHAIN_NOT_CAPTURED;
	h->diagnosis = DIAG_TRUST_PATH_FAILED;
	handshake_add_symptom(h, s);

	h = report_add_handshake(r);
	h->line = 6;
	h->role = ROLE_SERVER;
	h->outcome = OUTCOME_UNKNOWN;
	h->peer_certs_state = CERTS_CAPTURED;
	h->chain = CHAIN_EMPTY;
	h->diagnosis = DIAG_HANDSHAKE_FAILED;

	h = report_add_handshake(r);
	h->line = 8;
	h->thread = xstrdup(EVIL_THREAD);
	h->role = ROLE_CLIENT;
	h->peer_host = xstrdup(EVIL_HOST);
	h->peer_port = 443;
	h->outcome = OUTCOME_FAILED;
	h->peer_certs_state = CERTS_CUT;
	add_cert(h, EVIL_SUBJECT, EVIL_ISSUER, NULL);
	struct cert *c = handshake_add_cert(h);
	c->subject = xmemdup0("CN=nul\0tail", 11);
	c->issuer = xstrdup("CN=\x01\x7f");
	h->chain = CHAIN_COMPLETE;
	h->diagnosis = DIAG_UNTRUSTED_ROOT;
	h->missing_issuer = xstrdup(EVIL_ISSUER);
	char longline[400];
	memset(longline, 'x', sizeof longline);
	memcpy(longline + 300, "TAILMARK", 8);
	handshake_add_evidence(h, 0, 9, longline, sizeof longline);
	handshake_add_evidence(h, 0, 10, EVIL_THREAD, strlen(EVIL_THREAD));

	add_finding(r, DIAG_TRUST_PATH_FAILED, 1, "api.example.com");
	add_finding(r, DIAG_HANDSHAKE_FAILED, 1, NULL);
	add_finding(r, DIAG_UNTRUSTED_ROOT, 1, EVIL_HOST ":443");
	return r;
}

/* ---- rendering ---------------------------------------------------------- */

static char *render_with(render_fn fn, const struct report *r, bool color)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	assert_non_null(f);
	struct render_opts o = {.color = color};
	assert_int_equal(fn(r, &o, f), 0);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(strlen(buf), len); /* no NUL byte in the output */
	return buf;
}

static char *render_str(render_fn fn, const struct report *r)
{
	return render_with(fn, r, false);
}

/* Valid UTF-8 is exactly what utf8_sanitize() leaves alone. */
static void assert_valid_utf8(const char *s)
{
	char *clean = utf8_sanitize(s, strlen(s));
	assert_string_equal(clean, s);
	free(clean);
}

static void assert_contains(const char *hay, const char *needle)
{
	if (!strstr(hay, needle))
		fail_msg("missing \"%s\" in:\n%s", needle, hay);
}

static void assert_lacks(const char *hay, const char *needle)
{
	if (strstr(hay, needle))
		fail_msg("unexpected \"%s\" in:\n%s", needle, hay);
}

static size_t count_of(const char *hay, const char *needle)
{
	size_t n = 0;
	for (const char *p = strstr(hay, needle); p;
	     p = strstr(p + strlen(needle), needle))
		n++;
	return n;
}

/* Offset of needle in hay; fails if absent. */
static size_t pos_of(const char *hay, const char *needle)
{
	const char *p = strstr(hay, needle);
	if (!p)
		fail_msg("missing \"%s\"", needle);
	return (size_t)(p - hay);
}

/* ---- the renderer table ------------------------------------------------ */

static void test_renderer_table(void **state)
{
	(void)state;
	assert_ptr_equal(renderer_find("text")->render, render_text);
	assert_ptr_equal(renderer_find("markdown")->render, render_markdown);
	assert_ptr_equal(renderer_find("json")->render, render_json);
	assert_null(renderer_find("xml"));
	assert_null(renderer_find("JSON"));
	assert_null(renderer_find(NULL));
	size_t n = 0;
	for (const struct renderer *t = renderer_table(); t->name; t++)
		n++;
	assert_int_equal(n, 3);
}

/* ---- helpers ------------------------------------------------------------ */

static void expect_clean(const char *in, size_t max, const char *want)
{
	char *got = clean_text(in, max);
	assert_string_equal(got, want);
	free(got);
}

static void test_clean_text(void **state)
{
	(void)state;
	expect_clean("plain", 0, "plain");
	expect_clean("a\x1b[1;31mb", 0, "a?b");
	expect_clean("a\x1b]0;title\x07z", 0, "a?z");
	expect_clean("a\x1b]0;title\x1b\\z", 0, "a?z");
	expect_clean("a\x1b" "7z", 0, "a?z");
	expect_clean("tab\there\r\n", 0, "tab here  ");
	expect_clean("bell\x07\x7f", 0, "bell??");
	expect_clean("c1\xc2\x9b" "2J", 0, "c1?2J");
	expect_clean("bidi\xE2\x80\xAE" "x\xE2\x81\xA6", 0, "bidi?x?");
	expect_clean("ls\xE2\x80\xA8ps\xE2\x80\xA9", 0, "ls ps ");
	expect_clean("bad\xff\xfe", 0, "bad\xEF\xBF\xBD\xEF\xBF\xBD");
	expect_clean("caf\xC3\xA9 ok", 0, "caf\xC3\xA9 ok");
	expect_clean("abcdefgh", 5, "abcd\xE2\x80\xA6");
	expect_clean("abcde", 5, "abcde");
	expect_clean("\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9", 3,
		     "\xC3\xA9\xC3\xA9\xE2\x80\xA6");
	assert_null(clean_text(NULL, 0));
}

static void expect_fill(const char *tmpl, const struct handshake *h,
			const char *want)
{
	char *got = fill_template(tmpl, h);
	assert_string_equal(got, want);
	free(got);
}

static void test_fill_template(void **state)
{
	(void)state;
	struct report *r = leaf_report();
	const struct handshake *h = &r->handshakes[0];
	expect_fill("{host}:{port} {hostport}", h,
		    LEAF_HOST ":18443 " LEAF_HOST ":18443");
	expect_fill("by {issuer}; {subject}", h,
		    "by " ISSUING_CA "; CN=" LEAF_HOST ", O=Partner Test, C=US");
	expect_fill("{unknown} {", h, "{unknown} {");
	expect_fill("{host}:{port}", NULL, "<host>:<port>");
	report_free(&r);
}

static void test_date_prefix(void **state)
{
	(void)state;
	assert_int_equal(date_prefix_len("2026-11-22 09:19:44.000 UTC"), 10);
	assert_int_equal(date_prefix_len("Sun Nov 22 2026"), 15);
	assert_int_equal(date_prefix_len("2026-1"), 6);
}

static void test_groups(void **state)
{
	(void)state;
	struct report *r = leaf_report();
	struct hs_groups g;
	groups_build(r, &g);
	assert_int_equal(g.n, 2);
	assert_int_equal(g.v[0].code, DIAG_LEAF_ONLY_CHAIN);
	assert_int_equal(g.v[0].count, 3);
	assert_int_equal(g.v[0].first, 0);
	assert_string_equal(g.v[0].peer, LEAF_HOST ":18443");
	assert_true(g.v[0].ts_first < g.v[0].ts_last);
	assert_int_equal(g.v[1].code, DIAG_OK);
	assert_int_equal(g.v[1].first, 3);
	struct report_counts c;
	report_counts(r, &g, &c);
	assert_int_equal(c.failed, 3);
	assert_int_equal(c.ok, 1);
	assert_int_equal(c.failed_peers, 1);
	assert_int_equal(c.lines, 1230);
	assert_int_equal(c.main_cause, DIAG_LEAF_ONLY_CHAIN);
	groups_free(&g);
	assert_null(g.v);
	report_free(&r);
}

/* ---- JSON --------------------------------------------------------------- */

static json_t *parse(const char *text)
{
	json_error_t err;
	json_t *doc = json_loads(text, 0, &err);
	if (!doc)
		fail_msg("invalid JSON (%s at line %d):\n%s", err.text, err.line,
			 text);
	return doc;
}

static json_t *get(const json_t *o, const char *key)
{
	assert_true(json_is_object(o));
	json_t *v = json_object_get(o, key);
	if (!v)
		fail_msg("missing key \"%s\"", key);
	return v;
}

static void assert_str_or_null(const json_t *o, const char *key)
{
	json_t *v = get(o, key);
	assert_true(json_is_string(v) || json_is_null(v));
}

static void assert_one_of(const char *s, const char *const *set)
{
	for (; *set; set++)
		if (strcmp(s, *set) == 0)
			return;
	fail_msg("\"%s\" is not an allowed value", s);
}

static const char *const CHAINS[] = {
	"leaf_only", "complete", "complete_with_root", "self_signed",
	"out_of_order", "empty", "not_captured", NULL};
static const char *const CODES[] = {
	"OK", "LEAF_ONLY_CHAIN", "LEAF_ONLY_CHAIN_TOLERATED", "UNTRUSTED_ROOT",
	"SELF_SIGNED_UNTRUSTED", "CHAIN_OUT_OF_ORDER", "CERT_EXPIRED",
	"HOSTNAME_MISMATCH", "CLIENT_CERT_NOT_SENT", "CLIENT_CERT_REJECTED",
	"CLIENT_CHAIN_INCOMPLETE", "PROTOCOL_MISMATCH", "CIPHER_MISMATCH",
	"REVOKED", "PEER_CLOSED", "TRUST_PATH_FAILED", "HANDSHAKE_FAILED", NULL};
static const char *const KINDS[] = {"SSL_HANDSHAKE_EXCEPTION", "SOCKET_CLOSED",
				    "PEER_NOT_AUTHENTICATED", "OTHER", NULL};
static const char *const OUTCOMES[] = {"ok", "failed", "unknown", NULL};
static const char *const ROLES[] = {"client", "server", NULL};
static const char *const SEVERITIES[] = {"info", "warning", "error", NULL};

static void check_value_in(const json_t *o, const char *key,
			   const char *const *set)
{
	json_t *v = get(o, key);
	assert_true(json_is_string(v));
	assert_one_of(json_string_value(v), set);
}

static void check_input(const json_t *in)
{
	assert_true(json_is_string(get(in, "path")));
	assert_true(json_is_boolean(get(in, "compressed")));
	assert_true(json_is_integer(get(in, "bytes")));
	assert_true(json_is_integer(get(in, "lines")));
	assert_str_or_null(in, "error");
}

static void check_cert(const json_t *c)
{
	assert_str_or_null(c, "subject");
	assert_str_or_null(c, "issuer");
	assert_str_or_null(c, "not_before");
	assert_str_or_null(c, "not_after");
}

static void check_symptom(const json_t *s)
{
	check_value_in(s, "kind", KINDS);
	assert_true(json_is_string(get(s, "file")));
	assert_true(json_is_integer(get(s, "line")));
}

/* Every contract field of a handshake, with its type and value set. */
static void check_handshake(const json_t *h)
{
	assert_true(json_is_string(get(h, "file")));
	assert_true(json_is_integer(get(h, "line")));
	assert_str_or_null(h, "thread");
	json_t *role = get(h, "role");
	if (!json_is_null(role))
		check_value_in(h, "role", ROLES);
	assert_str_or_null(h, "peer");
	assert_str_or_null(h, "tls_version");
	check_value_in(h, "outcome", OUTCOMES);
	json_t *certs = get(h, "peer_certificates");
	assert_true(json_is_array(certs) || json_is_null(certs));
	for (size_t i = 0; i < json_array_size(certs); i++)
		check_cert(json_array_get(certs, i));
	check_value_in(h, "chain", CHAINS);
	check_value_in(h, "diagnosis", CODES);
	json_t *sym = get(h, "symptoms");
	assert_true(json_is_array(sym));
	for (size_t i = 0; i < json_array_size(sym); i++)
		check_symptom(json_array_get(sym, i));
}

static void check_finding(const json_t *f)
{
	check_value_in(f, "code", CODES);
	check_value_in(f, "severity", SEVERITIES);
	assert_true(json_is_integer(get(f, "count")));
	json_t *peers = get(f, "peers");
	assert_true(json_is_array(peers));
	for (size_t i = 0; i < json_array_size(peers); i++)
		assert_true(json_is_string(json_array_get(peers, i)));
	assert_true(json_is_string(get(f, "advice")));
}

/* The whole document against the contract. */
static void check_document(const json_t *doc)
{
	assert_true(json_is_object(doc));
	assert_string_equal(json_string_value(get(doc, "version")),
			    PACKAGE_VERSION);
	json_t *a = get(doc, "inputs");
	assert_true(json_is_array(a));
	for (size_t i = 0; i < json_array_size(a); i++)
		check_input(json_array_get(a, i));
	a = get(doc, "handshakes");
	assert_true(json_is_array(a));
	for (size_t i = 0; i < json_array_size(a); i++)
		check_handshake(json_array_get(a, i));
	a = get(doc, "findings");
	assert_true(json_is_array(a));
	for (size_t i = 0; i < json_array_size(a); i++)
		check_finding(json_array_get(a, i));
}

static const char *sval(const json_t *o, const char *key)
{
	json_t *v = get(o, key);
	assert_true(json_is_string(v));
	return json_string_value(v);
}

static json_int_t ival(const json_t *o, const char *key)
{
	json_t *v = get(o, key);
	assert_true(json_is_integer(v));
	return json_integer_value(v);
}

static void test_json_leaf_only(void **state)
{
	(void)state;
	struct report *r = leaf_report();
	char *out = render_str(render_json, r);
	json_t *doc = parse(out);
	check_document(doc);

	json_t *in = json_array_get(get(doc, "inputs"), 0);
	assert_string_equal(sval(in, "path"), WRAPPER);
	assert_true(json_is_false(get(in, "compressed")));
	assert_int_equal(ival(in, "bytes"), 40960);
	assert_int_equal(ival(in, "lines"), 1200);
	assert_true(json_is_null(get(in, "error")));

	json_t *hs = get(doc, "handshakes");
	assert_int_equal(json_array_size(hs), 4);
	json_t *h = json_array_get(hs, 0);
	assert_string_equal(sval(h, "file"), WRAPPER);
	assert_int_equal(ival(h, "line"), 123);
	assert_string_equal(sval(h, "thread"), "glide.scheduler.worker.3");
	assert_string_equal(sval(h, "role"), "client");
	assert_string_equal(sval(h, "peer"), LEAF_HOST ":18443");
	assert_string_equal(sval(h, "tls_version"), "TLSv1.3");
	assert_string_equal(sval(h, "outcome"), "failed");
	assert_string_equal(sval(h, "chain"), "leaf_only");
	assert_string_equal(sval(h, "diagnosis"), "LEAF_ONLY_CHAIN");
	assert_string_equal(sval(h, "missing_issuer"), ISSUING_CA);
	assert_string_equal(sval(h, "start"), "2026-11-21 09:20:00.243");

	json_t *certs = get(h, "peer_certificates");
	assert_int_equal(json_array_size(certs), 1);
	json_t *c = json_array_get(certs, 0);
	assert_string_equal(sval(c, "subject"),
			    "CN=" LEAF_HOST ", O=Partner Test, C=US");
	assert_string_equal(sval(c, "issuer"), ISSUING_CA);
	assert_string_equal(sval(c, "not_after"), "2027-11-21 09:19:44.000 UTC");
	assert_string_equal(sval(c, "serial"), "00:d2:00:6b");

	json_t *sym = get(h, "symptoms");
	assert_int_equal(json_array_size(sym), 2);
	assert_string_equal(sval(json_array_get(sym, 0), "kind"),
			    "SSL_HANDSHAKE_EXCEPTION");
	assert_string_equal(sval(json_array_get(sym, 1), "kind"),
			    "SOCKET_CLOSED");
	assert_string_equal(sval(json_array_get(sym, 1), "file"), LOCALHOST);
	assert_int_equal(ival(json_array_get(sym, 1), "line"), 14);

	/* The OK handshake: complete chain, no serial key when unknown. */
	json_t *ok = json_array_get(hs, 3);
	assert_string_equal(sval(ok, "outcome"), "ok");
	assert_string_equal(sval(ok, "chain"), "complete");
	json_t *okc = json_array_get(get(ok, "peer_certificates"), 0);
	assert_null(json_object_get(okc, "serial"));

	json_t *f = json_array_get(get(doc, "findings"), 0);
	assert_string_equal(sval(f, "code"), "LEAF_ONLY_CHAIN");
	assert_string_equal(sval(f, "severity"), "error");
	assert_int_equal(ival(f, "count"), 3);
	assert_string_equal(json_string_value(json_array_get(get(f, "peers"), 0)),
			    LEAF_HOST ":18443");
	assert_contains(sval(f, "advice"),
			"-connect " LEAF_HOST ":18443 -servername " LEAF_HOST);
	assert_true(json_array_size(get(f, "steps")) >= 2);
	json_t *fok = json_array_get(get(doc, "findings"), 1);
	assert_string_equal(sval(fok, "severity"), "info");

	json_decref(doc);
	free(out);
	report_free(&r);
}

/* The streamed document is laid out exactly as jansson lays out the
 * whole: the indentation of the pieces is right. */
static void test_json_layout(void **state)
{
	(void)state;
	struct report *r = leaf_report();
	char *out = render_str(render_json, r);
	json_t *doc = parse(out);
	char *again = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	size_t n = strlen(out);
	assert_true(n > 0 && out[n - 1] == '\n');
	out[n - 1] = '\0';
	assert_string_equal(out, again);
	free(again);
	json_decref(doc);
	free(out);
	report_free(&r);
}

static void test_json_null_vs_empty(void **state)
{
	(void)state;
	struct report *r = hostile_report();
	char *out = render_str(render_json, r);
	json_t *doc = parse(out);
	check_document(doc);
	json_t *hs = get(doc, "handshakes");

	json_t *nc = json_array_get(hs, 0);
	assert_true(json_is_null(get(nc, "peer_certificates")));
	assert_string_equal(sval(nc, "chain"), "not_captured");
	assert_string_equal(sval(nc, "diagnosis"), "TRUST_PATH_FAILED");
	assert_string_equal(sval(nc, "peer"), "api.example.com");
	assert_true(json_is_null(get(nc, "thread")));
	assert_true(json_is_null(get(nc, "role")));
	assert_true(json_is_null(get(nc, "tls_version")));
	assert_true(json_is_false(get(nc, "peer_certificates_cut")));

	json_t *empty = json_array_get(hs, 1);
	json_t *certs = get(empty, "peer_certificates");
	assert_true(json_is_array(certs));
	assert_int_equal(json_array_size(certs), 0);
	assert_true(json_is_null(get(empty, "peer")));
	assert_string_equal(sval(empty, "role"), "server");
	assert_string_equal(sval(empty, "outcome"), "unknown");

	/* cut off by the end of the log: not captured, partial kept aside */
	json_t *cut = json_array_get(hs, 2);
	assert_true(json_is_null(get(cut, "peer_certificates")));
	assert_int_equal(json_array_size(get(cut, "peer_certificates_partial")), 2);
	assert_true(json_is_true(get(cut, "peer_certificates_cut")));
	assert_true(json_is_null(get(json_array_get(hs, 0),
				     "peer_certificates_partial")));

	json_t *bad = json_array_get(get(doc, "inputs"), 1);
	assert_contains(sval(bad, "error"), "truncated gzip stream");
	assert_true(json_is_true(get(bad, "compressed")));
	assert_int_equal(ival(json_array_get(get(doc, "inputs"), 0), "long_lines"),
			 2);
	json_t *f = json_array_get(get(doc, "findings"), 1);
	assert_int_equal(json_array_size(get(f, "peers")), 0);

	json_decref(doc);
	free(out);
	report_free(&r);
}

static void test_json_hostile_bytes(void **state)
{
	(void)state;
	struct report *r = hostile_report();
	char *out = render_str(render_json, r);
	assert_valid_utf8(out);
	/* U+2028/2029 escaped, never raw; ESC escaped by JSON. */
	assert_contains(out, "\\u2028");
	assert_contains(out, "\\u2029");
	assert_lacks(out, "\xE2\x80\xA8");
	assert_lacks(out, "\xE2\x80\xA9");
	assert_lacks(out, "\x1b");
	assert_contains(out, "\\u001B[31mRED");

	json_t *doc = parse(out);
	json_t *cut = json_array_get(get(doc, "handshakes"), 2);
	json_t *c0 = json_array_get(get(cut, "peer_certificates_partial"), 0);
	assert_string_equal(sval(c0, "subject"),
			    "CN=a|b```c````d\xEF\xBF\xBD\xEF\xBF\xBD<script>&*_x_*"
			    "\xE2\x80\xA8");
	assert_string_equal(sval(c0, "issuer"),
			    "CN=bad\xEF\xBF\xBD(\xE2\x80\xA9 \xE2\x80\xAE"
			    "fdp.exe");
	json_t *c1 = json_array_get(get(cut, "peer_certificates_partial"), 1);
	assert_string_equal(sval(c1, "subject"), "CN=nul");
	assert_string_equal(sval(cut, "thread"), EVIL_THREAD);
	assert_string_equal(sval(cut, "peer"), EVIL_HOST ":443");
	json_decref(doc);
	free(out);
	report_free(&r);
}

static void test_json_empty_report(void **state)
{
	(void)state;
	struct report *r = report_new();
	char *out = render_str(render_json, r);
	json_t *doc = parse(out);
	check_document(doc);
	assert_int_equal(json_array_size(get(doc, "inputs")), 0);
	assert_int_equal(json_array_size(get(doc, "handshakes")), 0);
	assert_int_equal(json_array_size(get(doc, "findings")), 0);
	json_decref(doc);
	free(out);
	report_free(&r);
}

/* python3's own parser agrees the document is JSON. */
static void test_json_python(void **state)
{
	(void)state;
	if (system("python3 -c '' >/dev/null 2>&1") != 0)
		skip();
	struct report *r = hostile_report();
	char *out = render_str(render_json, r);
	const char *path = write_temp(out, strlen(out));
	char cmd[256];
	snprintf(cmd, sizeof cmd,
		 "python3 -m json.tool %s >/dev/null 2>&1", path);
	int rc = system(cmd);
	unlink(path);
	assert_int_equal(rc, 0);
	free(out);
	report_free(&r);
}

/* A stream that cannot be written: every renderer says so. */
static void test_write_errors(void **state)
{
	(void)state;
	struct report *r = leaf_report();
	render_fn fns[] = {render_json, render_text, render_markdown};
	for (size_t i = 0; i < SS_ARRAY_LEN(fns); i++) {
		FILE *f = fopen("/dev/null", "r");
		assert_non_null(f);
		assert_int_equal(fns[i](r, NULL, f), -1);
		fclose(f);
	}
	FILE *full = fopen("/dev/full", "w");
	if (full) {
		assert_int_equal(render_json(r, NULL, full), -1);
		fclose(full);
	}
	report_free(&r);
}

/* ---- text --------------------------------------------------------------- */

static void test_text_leaf_only(void **state)
{
	(void)state;
	struct report *r = leaf_report();
	char *out = render_str(render_text, r);
	assert_true(strncmp(out, "inputs read: 2 files, 1230 lines, 4 handshakes",
			    46) == 0);
	assert_contains(out, "LEAF_ONLY_CHAIN (error) " LEAF_HOST
			     ":18443 \xE2\x80\x94 3 handshakes\n");
	assert_int_equal(count_of(out, "LEAF_ONLY_CHAIN (error)"), 1);
	assert_contains(out, "[0] CN=" LEAF_HOST ", O=Partner Test, C=US\n");
	assert_contains(out, "issued by " ISSUING_CA
			     ", valid 2026-11-21 .. 2027-11-21\n");
	assert_contains(out, "missing: " ISSUING_CA
			     "  (the intermediate the server should send)");
	assert_contains(out, "openssl s_client -showcerts -connect " LEAF_HOST
			     ":18443 -servername " LEAF_HOST);
	assert_contains(out, WRAPPER ":191  Fatal (CERTIFICATE_UNKNOWN)");
	assert_contains(out, LOCALHOST ":14  Request not sent to uri=");
	assert_contains(out, "First seen: " WRAPPER
			     ":123, 2026-11-21 09:20:00, thread "
			     "glide.scheduler.worker.3, TLSv1.3\n");
	assert_contains(out, "Last seen: 2026-11-21 09:21:05\n");
	assert_contains(out, "    1. Check what the endpoint sends");
	assert_contains(out, "fullchain.partner.test:18459 \xE2\x80\x94 1 "
			     "handshake (TLSv1.2, chain complete)");
	assert_true(pos_of(out, "LEAF_ONLY_CHAIN (error)") <
		    pos_of(out, "fullchain.partner.test"));
	assert_lacks(out, "\x1b");
	assert_valid_utf8(out);
	free(out);
	report_free(&r);
}

static void test_text_hostile(void **state)
{
	(void)state;
	struct report *r = hostile_report();
	char *out = render_str(render_text, r);
	assert_valid_utf8(out);
	assert_lacks(out, "\x1b");
	assert_lacks(out, "\x07");
	assert_lacks(out, "\x7f");
	assert_lacks(out, "\xc2\x9b");
	assert_lacks(out, "\xE2\x80\xAE");
	assert_lacks(out, "\xE2\x80\xA8");
	for (const unsigned char *p = (const unsigned char *)out; *p; p++)
		assert_true(*p >= 0x20 || *p == '\n');
	assert_contains(out, "worker?RED?-?2J-end");
	assert_contains(out, "could not read: logs/wrapper.log.3.gz: truncated "
			     "gzip stream at byte 40960?\n");
	assert_contains(out, "note: " EVIL_PATH ": 2 overlong lines were cut");
	assert_contains(out, "Certificates: none logged");
	assert_contains(out, "Sent by the client: an empty Certificate message");
	assert_contains(out, "Sent by the server (2 certificates before the log "
			     "ends inside the message):");
	assert_contains(out, "(peer not named in the log)");
	assert_contains(out, "    not trusted: CN=bad\xEF\xBF\xBD(  ?fdp.exe  (no "
			     "trust anchor for it in the local trust store)\n");
	/* The 400-byte evidence line is cut at 160 characters. */
	assert_contains(out, "xxxxxxxxxx\xE2\x80\xA6\n");
	assert_lacks(out, "TAILMARK");
	free(out);
	report_free(&r);
}

static void test_text_color(void **state)
{
	(void)state;
	struct report *r = hostile_report();
	char *plain = render_with(render_text, r, false);
	char *color = render_with(render_text, r, true);
	assert_lacks(plain, "\x1b");
	assert_contains(color, "(\x1b[1;31merror\x1b[0m)");
	assert_contains(color, "\x1b[1mUNTRUSTED_ROOT\x1b[0m (");
	assert_contains(color, "    \x1b[31mnot trusted\x1b[0m: CN=bad");
	/* The only escapes are ours, colour and reset: three error sections
	 * with a bold code and a coloured severity, one untrusted root. */
	assert_int_equal(count_of(color, "\x1b"), 3 * 4 + 2);
	assert_contains(color, "worker?RED?-?2J-end");
	free(plain);
	free(color);
	report_free(&r);
}

/* Worst first: errors before warnings, the code with most handshakes
 * first, and 500 identical failures are one section. */
static void test_text_order_and_grouping(void **state)
{
	(void)state;
	struct report *r = report_new();
	add_inputs(r);
	struct handshake *h = report_add_handshake(r);
	h->peer_host = xstrdup("tolerated.partner.test");
	h->outcome = OUTCOME_OK;
	h->diagnosis = DIAG_LEAF_ONLY_CHAIN_TOLERATED;
	h = report_add_handshake(r);
	h->peer_host = xstrdup("closer.partner.test");
	h->outcome = OUTCOME_FAILED;
	h->diagnosis = DIAG_PEER_CLOSED;
	for (int i = 0; i < 500; i++)
		add_leaf_only(r, 1000 + (uint64_t)i * 100,
			      civil_to_ms(2026, 11, 21, 10, 0, 0, 0) + i);
	char *out = render_str(render_text, r);
	assert_int_equal(count_of(out, "LEAF_ONLY_CHAIN (error)"), 1);
	assert_contains(out, "\xE2\x80\x94 500 handshakes\n");
	assert_contains(out, "(501 failed, 1 at risk, 0 ok)");
	/* All 500 within one second: no separate "last seen". */
	assert_lacks(out, "Last seen");
	char *md = render_str(render_markdown, r);
	assert_contains(md, "**501 handshakes failed against 2 endpoints; main "
			    "cause: `LEAF_ONLY_CHAIN`**");
	assert_contains(md, " 1 handshake succeeded but is at risk "
			    "(`LEAF_ONLY_CHAIN_TOLERATED`).");
	assert_true(pos_of(md, "| error | `LEAF_ONLY_CHAIN` |") <
		    pos_of(md, "| error | `PEER_CLOSED` |"));
	free(md);
	size_t leaf = pos_of(out, "LEAF_ONLY_CHAIN (error)");
	size_t closed = pos_of(out, "PEER_CLOSED (error)");
	size_t tol = pos_of(out, "LEAF_ONLY_CHAIN_TOLERATED (warning)");
	assert_true(leaf < closed);
	assert_true(closed < tol);
	free(out);
	report_free(&r);
}

static void test_text_nothing_found(void **state)
{
	(void)state;
	struct report *r = report_new();
	add_inputs(r);
	char *out = render_str(render_text, r);
	assert_contains(out, "No TLS handshake and no handshake failure found");
	free(out);
	add_ok(r);
	out = render_str(render_text, r);
	assert_contains(out, "No failed or at-risk handshake.");
	assert_lacks(out, "(error)");
	free(out);
	report_free(&r);
}

/* More certificates than the assembler keeps, and more than are shown:
 * the counts stay true. */
static void test_many_certs(void **state)
{
	(void)state;
	struct report *r = report_new();
	add_inputs(r);
	struct handshake *h = report_add_handshake(r);
	h->peer_host = xstrdup("many.partner.test");
	h->outcome = OUTCOME_FAILED;
	h->role = ROLE_CLIENT;
	h->peer_certs_state = CERTS_CAPTURED;
	for (int i = 0; i < 12; i++)
		add_cert(h, "CN=chain", "CN=chain", NULL);
	h->peer_certs_omitted = 5;
	h->chain = CHAIN_OUT_OF_ORDER;
	h->diagnosis = DIAG_CHAIN_OUT_OF_ORDER;

	char *out = render_str(render_text, r);
	assert_contains(out, "Sent by the server (17 certificates):");
	assert_contains(out, "    [9] CN=chain\n");
	assert_lacks(out, "[10]");
	assert_contains(out, "    ... 7 more\n");
	free(out);
	out = render_str(render_markdown, r);
	assert_contains(out, "Chain as sent by the server (17 certificates):");
	assert_contains(out, "\n[0] CN=chain  (self-signed)\n");
	assert_contains(out, "\nalso sent, not on the path:\n[1] CN=chain\n");
	assert_contains(out, "\n[9] CN=chain\n");
	assert_contains(out, "\n... 7 more not shown\n");
	free(out);
	out = render_str(render_json, r);
	json_t *doc = parse(out);
	json_t *jh = json_array_get(get(doc, "handshakes"), 0);
	assert_int_equal(json_array_size(get(jh, "peer_certificates")), 12);
	assert_int_equal(ival(jh, "peer_certificates_omitted"), 5);
	json_decref(doc);
	free(out);
	report_free(&r);
}

/* ---- Markdown ----------------------------------------------------------- */

/* The lines of the findings table: those starting with '|'. */
static size_t table_rows(const char *md)
{
	size_t n = 0;
	for (const char *p = md; p; p = strchr(p, '\n')) {
		if (*p == '\n')
			p++;
		if (*p == '|')
			n++;
	}
	return n;
}

/* Pipes that end a cell, i.e. not escaped with a backslash. */
static size_t cell_pipes(const char *line, size_t len)
{
	size_t n = 0;
	for (size_t i = 0; i < len; i++)
		if (line[i] == '|' && (i == 0 || line[i - 1] != '\\'))
			n++;
	return n;
}

static void test_md_leaf_only(void **state)
{
	(void)state;
	struct report *r = leaf_report();
	char *out = render_str(render_markdown, r);
	assert_true(strncmp(out, "## sslsift report\n\n", 19) == 0);
	assert_contains(out, "**3 handshakes failed against 1 endpoint; main "
			     "cause: `LEAF_ONLY_CHAIN`**");
	assert_contains(out, "| Severity | Diagnosis | Peer | Handshakes | First "
			     "seen | Last seen |\n");
	assert_int_equal(table_rows(out), 2 + 2);
	assert_contains(out, "| error | `LEAF_ONLY_CHAIN` | " LEAF_HOST
			     ":18443 | 3 | 2026-11-21 09:20:00 | "
			     "2026-11-21 09:21:05 |\n");
	assert_contains(out, "| info | `OK` | fullchain.partner.test:18459 | 1 |");
	assert_contains(out, "### `LEAF_ONLY_CHAIN` \xE2\x80\x94 " LEAF_HOST
			     ":18443\n");
	assert_lacks(out, "### `OK`");
	assert_contains(out, "```\n[0] CN=" LEAF_HOST ", O=Partner Test, C=US\n");
	assert_contains(out, "\n \xE2\x94\x94\xE2\x94\x80\xE2\x96\xB6 "
			     "\xE2\x9C\x97 " ISSUING_CA "\n"
			     "       missing: the intermediate the server should "
			     "send\n```\n");
	assert_contains(out, "- `" WRAPPER ":191` Fatal (CERTIFICATE\\_UNKNOWN)");
	assert_contains(out, "- `" LOCALHOST ":14` Request not sent");
	assert_contains(out, "1. Check what the endpoint sends: openssl "
			     "s\\_client -showcerts -connect " LEAF_HOST
			     ":18443");
	assert_valid_utf8(out);
	free(out);
	report_free(&r);
}

/* The fence of the chain block: the line after "Chain as sent...\n\n". */
static void check_fence(const char *out)
{
	const char *p = strstr(out, "Chain as sent by the server (2");
	assert_non_null(p);
	p = strstr(p, "\n\n");
	assert_non_null(p);
	p += 2;
	size_t ticks = strspn(p, "`");
	assert_true(ticks >= 3);
	assert_int_equal(p[ticks], '\n');
	char fence[32];
	assert_true(ticks < sizeof fence - 2);
	fence[0] = '\n';
	memset(fence + 1, '`', ticks);
	fence[ticks + 1] = '\0';
	const char *body = p + ticks + 1;
	const char *end = strstr(body, fence);
	assert_non_null(end);
	assert_int_equal(end[ticks + 1], '\n');
	/* No run of backticks inside is as long as the fence. */
	for (const char *q = body; q < end; q++)
		assert_true(strspn(q, "`") < ticks);
	assert_true(memmem(body, (size_t)(end - body), "````", 4) != NULL);
}

static void test_md_hostile(void **state)
{
	(void)state;
	struct report *r = hostile_report();
	char *out = render_str(render_markdown, r);
	assert_valid_utf8(out);
	assert_lacks(out, "\x1b");
	assert_lacks(out, "\xc2\x9b");
	assert_int_equal(table_rows(out), 3 + 2);
	const char *row = strstr(out, "| error | `UNTRUSTED_ROOT` | ");
	assert_non_null(row);
	size_t len = strcspn(row, "\n");
	assert_int_equal(cell_pipes(row, len), 7);
	assert_contains(out, "evil\\|host\\`x:443 | 1 | \xE2\x80\x94 | "
			     "\xE2\x80\x94 |\n");
	assert_contains(out, "| `HANDSHAKE_FAILED` | *not named in the log* |");
	check_fence(out);
	/* Cut off: what the log did not show is not called missing. */
	assert_contains(out, "\xE2\x96\xB6 CN=bad\xEF\xBF\xBD(  ?fdp.exe\n"
			     "     not seen: the log ends inside the Certificate "
			     "message\nalso sent, not on the path:\n[1] CN=nul\n");
	assert_contains(out, "- ``logs/evil`|<b>.log:9`` ");
	assert_contains(out, "worker?RED?-?2J-end");
	assert_contains(out, "### Input problems\n");
	assert_contains(out, "- `logs/wrapper.log.3.gz`: could not be read: "
			     "truncated gzip stream at byte 40960?\n");
	assert_contains(out, "- ``logs/evil`|<b>.log``: 2 overlong lines "
			     "were cut\n");
	assert_contains(out, "The peer's certificates are not in the log");
	assert_contains(out, "The client sent an empty Certificate message.");
	free(out);
	report_free(&r);
}

/* Prose and cells escape Markdown and HTML. */
static void test_md_escaping(void **state)
{
	(void)state;
	struct report *r = report_new();
	add_inputs(r);
	struct handshake *h = report_add_handshake(r);
	h->peer_host = xstrdup("<img src=x>*b*_i_[l](u)&amp;~s~\\");
	h->outcome = OUTCOME_FAILED;
	h->diagnosis = DIAG_HOSTNAME_MISMATCH;
	char *out = render_str(render_markdown, r);
	const char *want = "&lt;img src=x&gt;\\*b\\*\\_i\\_\\[l\\](u)&amp;amp;"
			   "\\~s\\~\\\\";
	assert_contains(out, want);
	assert_lacks(out, "<img");
	/* In the heading, the table row and the title. */
	assert_true(count_of(out, want) >= 3);
	free(out);
	report_free(&r);
}

/* A handshake the log ends in the middle of is not counted as ok in the
 * text header nor in the Markdown summary. */
static void test_cut_off_counts(void **state)
{
	(void)state;
	struct report *r = leaf_report();
	add_ok(r);
	struct handshake *h = &r->handshakes[r->n_handshakes - 1];
	h->outcome = OUTCOME_UNKNOWN;
	h->line = 1100;
	r->findings[r->n_findings - 1].count = 2;
	char *out = render_str(render_text, r);
	assert_contains(out, "(3 failed, 0 at risk, 1 ok, 1 cut off)");
	assert_contains(out, "1 cut off by the end of the log before it finished");
	free(out);
	out = render_str(render_markdown, r);
	assert_contains(out, " 1 handshake succeeded with nothing at risk.");
	assert_contains(out, " 1 handshake was cut off by the end of the log "
			"before it finished.");
	free(out);
	/* nothing cut off: the header as before */
	h->outcome = OUTCOME_OK;
	out = render_str(render_text, r);
	assert_contains(out, "(3 failed, 0 at risk, 2 ok)\n");
	free(out);
	report_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_renderer_table),
		cmocka_unit_test(test_clean_text),
		cmocka_unit_test(test_fill_template),
		cmocka_unit_test(test_date_prefix),
		cmocka_unit_test(test_groups),
		cmocka_unit_test(test_json_leaf_only),
		cmocka_unit_test(test_json_layout),
		cmocka_unit_test(test_json_null_vs_empty),
		cmocka_unit_test(test_json_hostile_bytes),
		cmocka_unit_test(test_json_empty_report),
		cmocka_unit_test(test_json_python),
		cmocka_unit_test(test_write_errors),
		cmocka_unit_test(test_text_leaf_only),
		cmocka_unit_test(test_text_hostile),
		cmocka_unit_test(test_text_color),
		cmocka_unit_test(test_text_order_and_grouping),
		cmocka_unit_test(test_text_nothing_found),
		cmocka_unit_test(test_many_certs),
		cmocka_unit_test(test_md_leaf_only),
		cmocka_unit_test(test_md_hostile),
		cmocka_unit_test(test_md_escaping),
		cmocka_unit_test(test_cut_off_counts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
