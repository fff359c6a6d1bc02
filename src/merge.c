/* merge.c - see merge.h.  Each report is read with jansson into a report
 * of its own, checked on the way, and only then moved into the merged
 * one. */
#include "config.h"
#include "merge.h"

#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diagnose.h"
#include "timewin.h"

struct merger {
	struct report *r;
	size_t n_reports;
};

struct merger *merger_new(void)
{
	struct merger *m = xcalloc(1, sizeof *m);
	m->r = report_new();
	return m;
}

void merger_free(struct merger **mp)
{
	struct merger *m = *mp;
	if (!m)
		return;
	report_free(&m->r);
	free(m);
	*mp = NULL;
}

size_t merger_count(const struct merger *m)
{
	return m->n_reports;
}

/* ---- reading, with the place of a problem ------------------------------ */

struct ctx {
	const char *label;     /* the file */
	struct ss_err *err;
	char where[96];        /* "handshakes[3].symptoms[0]" */
	struct report *r;      /* the report being read */
};

static int bad(struct ctx *c, const char *fmt, ...) SS_PRINTF(2, 3);
static int bad(struct ctx *c, const char *fmt, ...)
{
	char msg[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	ss_err_set(c->err, "%s: not an sslsift report: %s%s%s", c->label,
		   c->where, *c->where ? ": " : "", msg);
	return -1;
}

static void at(struct ctx *c, const char *what, size_t i)
{
	snprintf(c->where, sizeof c->where, "%s[%zu]", what, i);
}

static void at_sub(struct ctx *c, const char *outer, size_t i,
		   const char *what, size_t j)
{
	snprintf(c->where, sizeof c->where, "%s[%zu].%s[%zu]", outer, i, what,
		 j);
}

/* A string or null; absent is null unless required. */
static int get_str(struct ctx *c, const json_t *o, const char *key,
		   bool required, char **out)
{
	const json_t *v = json_object_get(o, key);
	*out = NULL;
	if (!v && required)
		return bad(c, "no '%s'", key);
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_string(v))
		return bad(c, "'%s' is not a string", key);
	*out = xmemdup0(json_string_value(v), json_string_length(v));
	return 0;
}

static int get_uint(struct ctx *c, const json_t *o, const char *key,
		    bool required, uint64_t *out)
{
	const json_t *v = json_object_get(o, key);
	*out = 0;
	if ((!v || json_is_null(v)) && !required)
		return 0;
	if (!v)
		return bad(c, "no '%s'", key);
	if (!json_is_integer(v) || json_integer_value(v) < 0)
		return bad(c, "'%s' is not a count", key);
	*out = (uint64_t)json_integer_value(v);
	return 0;
}

static int get_bool(struct ctx *c, const json_t *o, const char *key,
		    bool required, bool *out)
{
	const json_t *v = json_object_get(o, key);
	*out = false;
	if ((!v || json_is_null(v)) && !required)
		return 0;
	if (!v)
		return bad(c, "no '%s'", key);
	if (!json_is_boolean(v))
		return bad(c, "'%s' is not true or false", key);
	*out = json_is_true(v);
	return 0;
}

static int get_time(struct ctx *c, const json_t *o, const char *key,
		    int64_t *out)
{
	char *s;
	*out = TS_NONE;
	if (get_str(c, o, key, false, &s) < 0)
		return -1;
	int rc = s && timewin_parse_datetime(s, TW_START, out) < 0
			 ? bad(c, "'%s' is not a time: \"%s\"", key, s)
			 : 0;
	free(s);
	return rc;
}

static int get_array(struct ctx *c, const json_t *o, const char *key,
		     bool required, const json_t **out)
{
	const json_t *v = json_object_get(o, key);
	*out = v;
	if (!v && !required)
		return 0;
	if (!v)
		return bad(c, "no '%s'", key);
	if (!json_is_array(v))
		return bad(c, "'%s' is not an array", key);
	return 0;
}

/* The index of a name in a table of them; -1 if none. */
typedef const char *(*name_of_fn)(int i);

static const char *diag_name_of(int i)
{
	return diag_info((enum diag_code)i)->code;
}
static const char *chain_name_of(int i)
{
	return chain_name((enum chain_kind)i);
}
static const char *outcome_name_of(int i)
{
	return outcome_name((enum outcome)i);
}
static const char *role_name_of(int i)
{
	return role_name((enum role)i);
}
static const char *kind_name_of(int i)
{
	return symptom_kind_name((enum symptom_kind)i);
}

static int get_enum(struct ctx *c, const json_t *o, const char *key,
		    name_of_fn name_of, int count, bool null_ok, int *out)
{
	char *s;
	if (get_str(c, o, key, true, &s) < 0)
		return -1;
	*out = 0;
	if (!s)
		return null_ok ? 0 : bad(c, "'%s' is null", key);
	for (int i = 0; i < count; i++) {
		const char *name = name_of(i);
		if (name && !strcmp(name, s)) {
			*out = i;
			free(s);
			return 0;
		}
	}
	int rc = bad(c, "'%s' is not one of sslsift's: \"%s\"", key, s);
	free(s);
	return rc;
}

/* A file named by a handshake, symptom or evidence: one of the inputs. */
static int get_file(struct ctx *c, const json_t *o, uint32_t *out)
{
	char *path;
	if (get_str(c, o, "file", true, &path) < 0)
		return -1;
	for (size_t i = 0; path && i < c->r->n_inputs; i++) {
		if (!strcmp(c->r->inputs[i].path, path)) {
			*out = (uint32_t)i;
			free(path);
			return 0;
		}
	}
	int rc = bad(c, "'file' is not one of the inputs: \"%s\"",
		     path ? path : "null");
	free(path);
	return rc;
}

/* ---- the parts of a report ---------------------------------------------- */

static int read_input(struct ctx *c, const json_t *o)
{
	char *path;
	if (!json_is_object(o))
		return bad(c, "not an object");
	if (get_str(c, o, "path", true, &path) < 0)
		return -1;
	if (!path)
		return bad(c, "'path' is null");
	struct input *in = report_add_input(c->r, path);
	free(path);
	if (get_bool(c, o, "compressed", true, &in->compressed) < 0 ||
	    get_uint(c, o, "bytes", true, &in->bytes) < 0 ||
	    get_uint(c, o, "lines", true, &in->lines) < 0 ||
	    get_uint(c, o, "long_lines", false, &in->long_lines) < 0 ||
	    get_str(c, o, "error", true, &in->error) < 0 ||
	    get_str(c, o, "node", false, &in->node) < 0)
		return -1;
	return 0;
}

static int read_cert(struct ctx *c, const json_t *o, struct cert *ct)
{
	if (!json_is_object(o))
		return bad(c, "not an object");
	if (get_str(c, o, "subject", true, &ct->subject) < 0 ||
	    get_str(c, o, "issuer", true, &ct->issuer) < 0 ||
	    get_str(c, o, "not_before", true, &ct->not_before) < 0 ||
	    get_str(c, o, "not_after", true, &ct->not_after) < 0 ||
	    get_str(c, o, "serial", false, &ct->serial) < 0)
		return -1;
	return 0;
}

/* peer_certificates (whole), else peer_certificates_partial (cut). */
static int read_certs(struct ctx *c, const json_t *o, struct handshake *h,
		      size_t hi)
{
	const json_t *a = json_object_get(o, "peer_certificates");
	if (!a)
		return bad(c, "no 'peer_certificates'");
	h->peer_certs_state = CERTS_CAPTURED;
	if (json_is_null(a)) {
		h->peer_certs_state = CERTS_NOT_CAPTURED;
		a = json_object_get(o, "peer_certificates_partial");
		if (!json_is_array(a))
			return 0;
		h->peer_certs_state = CERTS_CUT;
	}
	if (!json_is_array(a))
		return bad(c, "'peer_certificates' is not an array or null");
	for (size_t j = 0; j < json_array_size(a); j++) {
		at_sub(c, "handshakes", hi, "peer_certificates", j);
		if (read_cert(c, json_array_get(a, j), handshake_add_cert(h)) < 0)
			return -1;
	}
	at(c, "handshakes", hi);
	uint64_t omitted;
	if (get_uint(c, o, "peer_certificates_omitted", false, &omitted) < 0)
		return -1;
	h->peer_certs_omitted = (size_t)omitted;
	return 0;
}

static int read_symptom(struct ctx *c, const json_t *o, size_t hi)
{
	if (!json_is_object(o))
		return bad(c, "not an object");
	size_t si = c->r->n_symptoms;
	struct symptom *s = report_add_symptom(c->r);
	int kind;
	s->handshake = (long)hi;
	if (get_enum(c, o, "kind", kind_name_of, SYM_OTHER + 1, false, &kind) < 0 ||
	    get_file(c, o, &s->file) < 0 ||
	    get_uint(c, o, "line", true, &s->line) < 0 ||
	    get_time(c, o, "time", &s->ts) < 0 ||
	    get_str(c, o, "thread", false, &s->thread) < 0 ||
	    get_str(c, o, "text", false, &s->text) < 0)
		return -1;
	s->kind = (enum symptom_kind)kind;
	handshake_add_symptom(&c->r->handshakes[hi], si);
	return 0;
}

static int read_evidence(struct ctx *c, const json_t *o, struct handshake *h)
{
	uint32_t file;
	uint64_t line;
	char *text;
	if (!json_is_object(o))
		return bad(c, "not an object");
	if (get_file(c, o, &file) < 0 || get_uint(c, o, "line", true, &line) < 0 ||
	    get_str(c, o, "text", false, &text) < 0)
		return -1;
	handshake_add_evidence(h, file, line, text ? text : "",
			       text ? strlen(text) : 0);
	free(text);
	return 0;
}

/* "host:port" as the contract writes a peer, when peer_host is absent. */
static void split_peer(struct handshake *h, const char *peer)
{
	const char *colon = strrchr(peer, ':');
	char *end = NULL;
	long port = colon ? strtol(colon + 1, &end, 10) : 0;
	if (colon && colon[1] && end && !*end && port > 0 && port < 65536 &&
	    strchr(peer, ':') == colon) {
		h->peer_host = xmemdup0(peer, (size_t)(colon - peer));
		h->peer_port = (int)port;
	} else {
		h->peer_host = xstrdup(peer);
	}
}

static int read_peer(struct ctx *c, const json_t *o, struct handshake *h)
{
	char *peer;
	uint64_t port;
	if (get_str(c, o, "peer", true, &peer) < 0)
		return -1;
	if (json_object_get(o, "peer_host")) {
		free(peer);
		if (get_str(c, o, "peer_host", false, &h->peer_host) < 0 ||
		    get_uint(c, o, "peer_port", false, &port) < 0)
			return -1;
		h->peer_port = port < 65536 ? (int)port : 0;
		return 0;
	}
	if (peer)
		split_peer(h, peer);
	free(peer);
	return 0;
}

static int read_handshake_extra(struct ctx *c, const json_t *o,
				struct handshake *h)
{
	const json_t *ev;
	if (get_uint(c, o, "last_line", false, &h->last_line) < 0 ||
	    get_time(c, o, "start", &h->ts_start) < 0 ||
	    get_time(c, o, "end", &h->ts_end) < 0 ||
	    get_str(c, o, "sni", false, &h->sni) < 0 ||
	    get_str(c, o, "cipher", false, &h->cipher) < 0 ||
	    get_str(c, o, "missing_issuer", false, &h->missing_issuer) < 0 ||
	    get_bool(c, o, "pkix_failed", false, &h->pkix_failed) < 0 ||
	    get_bool(c, o, "hello_retry", false, &h->hello_retry) < 0 ||
	    get_str(c, o, "alert_sent", false, &h->alert_sent) < 0 ||
	    get_str(c, o, "alert_received", false, &h->alert_received) < 0 ||
	    get_str(c, o, "failure", false, &h->failure_text) < 0 ||
	    get_str(c, o, "node", false, &h->node) < 0 ||
	    get_array(c, o, "evidence", false, &ev) < 0)
		return -1;
	for (size_t j = 0; ev && j < json_array_size(ev); j++)
		if (read_evidence(c, json_array_get(ev, j), h) < 0)
			return -1;
	if (h->last_line < h->line)
		h->last_line = h->line;
	return 0;
}

static int read_handshake(struct ctx *c, const json_t *o, size_t hi)
{
	if (!json_is_object(o))
		return bad(c, "not an object");
	struct handshake *h = report_add_handshake(c->r);
	int role, outcome, chain, diag;
	if (get_file(c, o, &h->file) < 0 ||
	    get_uint(c, o, "line", true, &h->line) < 0 ||
	    get_str(c, o, "thread", true, &h->thread) < 0 ||
	    get_enum(c, o, "role", role_name_of, ROLE_SERVER + 1, true, &role) < 0 ||
	    read_peer(c, o, h) < 0 ||
	    get_str(c, o, "tls_version", true, &h->tls_version) < 0 ||
	    get_enum(c, o, "outcome", outcome_name_of, OUTCOME_FAILED + 1, false,
		     &outcome) < 0 ||
	    read_certs(c, o, h, hi) < 0 ||
	    get_enum(c, o, "chain", chain_name_of, CHAIN__COUNT, false, &chain) < 0 ||
	    get_enum(c, o, "diagnosis", diag_name_of, DIAG__COUNT, false, &diag) < 0 ||
	    read_handshake_extra(c, o, h) < 0)
		return -1;
	h->merged_json = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	h->role = (enum role)role;
	h->outcome = (enum outcome)outcome;
	h->chain = (enum chain_kind)chain;
	h->diagnosis = (enum diag_code)diag;
	const json_t *sy;
	if (get_array(c, o, "symptoms", true, &sy) < 0)
		return -1;
	for (size_t j = 0; j < json_array_size(sy); j++) {
		at_sub(c, "handshakes", hi, "symptoms", j);
		if (read_symptom(c, json_array_get(sy, j), hi) < 0)
			return -1;
	}
	return 0;
}

static int read_report(struct ctx *c, const json_t *doc)
{
	const json_t *inputs, *hs, *findings;
	bool redacted;
	if (!json_is_object(doc))
		return bad(c, "not a JSON object");
	char *version;
	if (get_str(c, doc, "version", true, &version) < 0)
		return -1;
	if (!version)
		return bad(c, "'version' is null");
	bool v1 = !strncmp(version, "1.", 2);
	free(version);
	if (!v1)
		return bad(c, "not a version 1 report");
	if (get_array(c, doc, "inputs", true, &inputs) < 0 ||
	    get_array(c, doc, "handshakes", true, &hs) < 0 ||
	    get_array(c, doc, "findings", true, &findings) < 0 ||
	    get_str(c, doc, "node", false, &c->r->node) < 0 ||
	    get_bool(c, doc, "redacted", false, &redacted) < 0)
		return -1;
	c->r->redacted = redacted;
	for (size_t i = 0; i < json_array_size(inputs); i++) {
		at(c, "inputs", i);
		if (read_input(c, json_array_get(inputs, i)) < 0)
			return -1;
	}
	for (size_t i = 0; i < json_array_size(hs); i++) {
		at(c, "handshakes", i);
		if (read_handshake(c, json_array_get(hs, i), i) < 0)
			return -1;
	}
	return 0;
}

/* ---- into the merged report ----------------------------------------------- */

static char *node_or(char *own, const char *dflt)
{
	return own ? own : dflt ? xstrdup(dflt) : NULL;
}

/* Moves everything of src to the end of dst; src is freed. */
static void absorb(struct report *dst, struct report *src)
{
	uint32_t fbase = (uint32_t)dst->n_inputs;
	size_t sbase = dst->n_symptoms, hbase = dst->n_handshakes;
	xgrow(&dst->inputs, &dst->cap_inputs, fbase + src->n_inputs,
	      sizeof *dst->inputs);
	for (size_t i = 0; i < src->n_inputs; i++) {
		struct input *in = &dst->inputs[dst->n_inputs++];
		*in = src->inputs[i];
		in->node = node_or(in->node, src->node);
	}
	xgrow(&dst->handshakes, &dst->cap_handshakes, hbase + src->n_handshakes,
	      sizeof *dst->handshakes);
	for (size_t i = 0; i < src->n_handshakes; i++) {
		struct handshake *h = &dst->handshakes[dst->n_handshakes++];
		*h = src->handshakes[i];
		h->file += fbase;
		h->node = node_or(h->node, src->node);
		for (size_t j = 0; j < h->n_evidence; j++)
			h->evidence[j].file += fbase;
		for (size_t j = 0; j < h->n_symptoms; j++)
			h->symptoms[j] += sbase;
	}
	xgrow(&dst->symptoms, &dst->cap_symptoms, sbase + src->n_symptoms,
	      sizeof *dst->symptoms);
	for (size_t i = 0; i < src->n_symptoms; i++) {
		struct symptom *s = &dst->symptoms[dst->n_symptoms++];
		*s = src->symptoms[i];
		s->file += fbase;
		if (s->handshake >= 0)
			s->handshake += (long)hbase;
	}
	dst->redacted |= src->redacted;
	src->n_inputs = src->n_handshakes = src->n_symptoms = 0;
	report_free(&src);
}

static int add_doc(struct merger *m, const char *label, const json_t *doc,
		   struct ss_err *err)
{
	struct ctx c = {.label = label, .err = err, .r = report_new()};
	if (read_report(&c, doc) < 0) {
		report_free(&c.r);
		return -1;
	}
	absorb(m->r, c.r);
	m->n_reports++;
	return 0;
}

static int json_failed(const char *label, const json_error_t *je,
		       struct ss_err *err)
{
	ss_err_set(err, "%s:%d:%d: %s", label, je->line, je->column, je->text);
	return -1;
}

int merger_add_text(struct merger *m, const char *label, const char *text,
		    size_t len, struct ss_err *err)
{
	json_error_t je;
	json_t *doc = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
	if (!doc)
		return json_failed(label, &je, err);
	int rc = add_doc(m, label, doc, err);
	json_decref(doc);
	return rc;
}

int merger_add_path(struct merger *m, const char *path, struct ss_err *err)
{
	bool is_stdin = !strcmp(path, "-");
	FILE *f = is_stdin ? stdin : fopen(path, "rb");
	if (!f) {
		ss_err_set(err, "%s: %s", path, strerror(errno));
		return -1;
	}
	json_error_t je;
	json_t *doc = json_loadf(f, JSON_REJECT_DUPLICATES, &je);
	if (!is_stdin)
		fclose(f);
	if (!doc)
		return json_failed(path, &je, err);
	int rc = add_doc(m, path, doc, err);
	json_decref(doc);
	return rc;
}

void merger_add_error(struct merger *m, const char *path, const char *msg)
{
	struct input *in = report_add_input(m->r, path);
	in->error = xstrdup(msg);
}

struct report *merger_finish(struct merger *m)
{
	struct report *r = m->r;
	diagnose_findings(r);
	m->r = report_new();
	m->n_reports = 0;
	return r;
}
