/* render_json.c - the report as the contract's JSON document.
 *
 * The document is streamed: the outer object is written here, and each
 * input, handshake and finding is built with jansson and dumped on its
 * own, so memory stays flat however many handshakes the logs held.  The
 * output filter indents what jansson dumps to its depth in the document
 * and escapes U+2028 and U+2029, which jansson leaves raw and which break
 * JavaScript consumers.  Every string from a log goes through
 * utf8_sanitize() first, so the output is always valid UTF-8. */
#include "config.h"
#include "render.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "render_util.h"
#include "util.h"

#define DUMP_FLAGS \
	(JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY)

/* The output filter: see the top of the file. */
struct jout {
	FILE *out;
	const char *indent;  /* written after every newline jansson writes */
	int held;            /* bytes of "\xE2\x80" held back, 0..2 */
	bool failed;
};

static void j_write(struct jout *j, const char *p, size_t n)
{
	if (!j->failed && n && fwrite(p, 1, n, j->out) != n)
		j->failed = true;
}

static void j_release_held(struct jout *j)
{
	j_write(j, "\xE2\x80", (size_t)j->held);
	j->held = 0;
}

/* Consumes one byte that may continue "\xE2\x80"; true if it did. */
static bool j_continue_held(struct jout *j, unsigned char c)
{
	if (j->held == 1 && c == 0x80) {
		j->held = 2;
		return true;
	}
	if (j->held == 2 && (c == 0xA8 || c == 0xA9)) {
		j->held = 0;
		j_write(j, c == 0xA8 ? "\\u2028" : "\\u2029", 6);
		return true;
	}
	j_release_held(j);
	return false;
}

static int j_filter(const char *buf, size_t size, void *data)
{
	struct jout *j = data;
	const unsigned char *s = (const unsigned char *)buf;
	size_t run = 0; /* start of the bytes not written yet */
	for (size_t i = 0; i < size; i++) {
		if (j->held && j_continue_held(j, s[i])) {
			run = i + 1;
			continue;
		}
		if (s[i] == 0xE2) {
			j_write(j, buf + run, i - run);
			j->held = 1;
			run = i + 1;
		} else if (s[i] == '\n') {
			j_write(j, buf + run, i - run);
			j_write(j, "\n", 1);
			j_write(j, j->indent, strlen(j->indent));
			run = i + 1;
		}
	}
	j_write(j, buf + run, size - run);
	return j->failed ? -1 : 0;
}

/* Dumps v (and drops the reference) indented to the given depth. */
static void j_dump(struct jout *j, json_t *v, const char *indent)
{
	j->indent = indent;
	if (!j->failed && json_dump_callback(v, j_filter, j, DUMP_FLAGS) != 0)
		j->failed = true;
	j_release_held(j);
	json_decref(v);
}

static void j_raw(struct jout *j, const char *s)
{
	j_write(j, s, strlen(s));
}

/* ---- values ------------------------------------------------------------ */

/* A string from a log: valid UTF-8 whatever it held; NULL gives null. */
static json_t *j_str(const char *s)
{
	if (!s)
		return json_null();
	char *clean = utf8_sanitize(s, strlen(s));
	json_t *v = json_stringn(clean, strlen(clean));
	free(clean);
	return v ? v : json_null();
}

/* Takes ownership of a heap string. */
static json_t *j_str_take(char *s)
{
	json_t *v = j_str(s);
	free(s);
	return v;
}

static json_t *j_uint(uint64_t n)
{
	return json_integer(n > (uint64_t)INT64_MAX ? INT64_MAX : (json_int_t)n);
}

static json_t *j_time(int64_t ms)
{
	if (ms == TS_NONE)
		return json_null();
	char buf[40];
	ms_to_civil(ms, buf, sizeof buf);
	return json_string(buf);
}

static json_t *j_file(const struct report *r, uint32_t file)
{
	return file < r->n_inputs ? j_str(r->inputs[file].path) : json_null();
}

static void set(json_t *o, const char *key, json_t *v)
{
	json_object_set_new(o, key, v ? v : json_null());
}

/* ---- inputs ------------------------------------------------------------ */

static json_t *input_json(const struct report *r, const struct input *in)
{
	json_t *o = json_object();
	set(o, "path", j_str(in->path));
	set(o, "compressed", json_boolean(in->compressed));
	set(o, "bytes", j_uint(in->bytes));
	set(o, "lines", j_uint(in->lines));
	set(o, "error", j_str(in->error));
	set(o, "long_lines", j_uint(in->long_lines));
	set(o, "node", j_str(input_node(r, in)));
	return o;
}

/* ---- handshakes -------------------------------------------------------- */

static json_t *strs_json(char *const *v, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, j_str(v[i]));
	return a;
}

static json_t *cert_json(const struct cert *c)
{
	json_t *o = json_object();
	set(o, "subject", j_str(c->subject));
	set(o, "issuer", j_str(c->issuer));
	set(o, "not_before", j_str(c->not_before));
	set(o, "not_after", j_str(c->not_after));
	if (c->serial)
		set(o, "serial", j_str(c->serial));
	set(o, "names", strs_json(c->names, c->n_names));
	return o;
}

/* The peer's Certificate message as the contract has it: null unless it
 * was seen whole (a block cut off by the end of the log was not captured;
 * what was seen of it goes to "peer_certificates_partial"). */
static json_t *certs_json(const struct handshake *h, enum certs_state want)
{
	if (h->peer_certs_state != want)
		return json_null();
	json_t *a = json_array();
	for (size_t i = 0; i < h->n_peer_certs; i++)
		json_array_append_new(a, cert_json(&h->peer_certs[i]));
	return a;
}

static json_t *symptom_json(const struct report *r, const struct symptom *s)
{
	json_t *o = json_object();
	set(o, "kind", json_string(symptom_kind_name(s->kind)));
	set(o, "file", j_file(r, s->file));
	set(o, "line", j_uint(s->line));
	set(o, "time", j_time(s->ts));
	set(o, "thread", j_str(s->thread));
	set(o, "text", j_str(s->text));
	return o;
}

static json_t *symptoms_json(const struct report *r, const struct handshake *h)
{
	json_t *a = json_array();
	for (size_t i = 0; i < h->n_symptoms; i++)
		if (h->symptoms[i] < r->n_symptoms)
			json_array_append_new(
				a, symptom_json(r, &r->symptoms[h->symptoms[i]]));
	return a;
}

static json_t *evidence_json(const struct report *r, const struct handshake *h)
{
	json_t *a = json_array();
	for (size_t i = 0; i < h->n_evidence && i < HS_MAX_EVIDENCE; i++) {
		const struct evidence *e = &h->evidence[i];
		json_t *o = json_object();
		set(o, "file", j_file(r, e->file));
		set(o, "line", j_uint(e->line));
		set(o, "text", j_str(e->text));
		json_array_append_new(a, o);
	}
	return a;
}

/* The fields the contract names, in its order. */
static void handshake_contract(json_t *o, const struct report *r,
			       const struct handshake *h)
{
	const char *role = role_name(h->role);
	set(o, "file", j_file(r, h->file));
	set(o, "line", j_uint(h->line));
	set(o, "thread", j_str(h->thread));
	set(o, "role", role ? json_string(role) : json_null());
	set(o, "peer", j_str_take(handshake_peer_string(h)));
	set(o, "tls_version", j_str(h->tls_version));
	set(o, "outcome", json_string(outcome_name(h->outcome)));
	set(o, "peer_certificates", certs_json(h, CERTS_CAPTURED));
	set(o, "chain", json_string(chain_name(h->chain)));
	set(o, "diagnosis", json_string(diag_info(h->diagnosis)->code));
	set(o, "symptoms", symptoms_json(r, h));
}

/* {"by": "peer"|"local", "description": ...} or null */
static json_t *alert_json(const struct handshake *h)
{
	const char *by = handshake_alert_by(h);
	if (!by)
		return json_null();
	json_t *o = json_object();
	set(o, "by", json_string(by));
	set(o, "description", j_str(h->d.alert));
	return o;
}

static json_t *cert_request_json(const struct handshake *h)
{
	if (!h->d.cert_requested)
		return json_null();
	json_t *o = json_object();
	set(o, "authorities",
	    strs_json(h->d.authorities.v, h->d.authorities.n));
	return o;
}

static json_t *expired_json(const struct handshake *h)
{
	long i = h->d.expired_cert;
	if (i < 0 && !h->d.expiry_text)
		return json_null();
	json_t *o = json_object();
	set(o, "index", i >= 0 ? json_integer(i) : json_null());
	set(o, "subject", i >= 0 ? j_str(h->peer_certs[i].subject) : json_null());
	set(o, "text", j_str(h->d.expiry_text));
	return o;
}

/* What a careful reader adds: how the handshake went and who did what. */
static void handshake_detail(json_t *o, const struct handshake *h)
{
	int64_t ms = handshake_duration_ms(h);
	const char *dir = h->role == ROLE_CLIENT   ? "outbound"
			  : h->role == ROLE_SERVER ? "inbound"
						   : NULL;
	set(o, "direction", dir ? json_string(dir) : json_null());
	set(o, "duration_ms", ms >= 0 ? json_integer(ms) : json_null());
	set(o, "alert", alert_json(h));
	set(o, "certificate_request", cert_request_json(h));
	set(o, "client_certificate", j_str(client_cert_subject(h)));
	set(o, "client_certificate_status", j_str(client_cert_status(h)));
	set(o, "local_key_store",
	    strs_json(h->d.key_store.v, h->d.key_store.n));
	set(o, "name_called", j_str(handshake_name_called(h)));
	set(o, "expired_certificate", expired_json(h));
	set(o, "versions_local", j_str(h->d.versions_local));
	set(o, "versions_peer", j_str(h->d.versions_peer));
	set(o, "ambiguous", json_boolean(h->d.ambiguous));
	set(o, "debug_level", json_string(debug_level_name(h->d.debug_level)));
	set(o, "debug_level_hint", j_str(diag_debug_hint(h)));
}

static void handshake_extra(json_t *o, const struct report *r,
			    const struct handshake *h)
{
	set(o, "severity", json_string(severity_name(handshake_severity(h))));
	set(o, "last_line", j_uint(h->last_line));
	set(o, "start", j_time(h->ts_start));
	set(o, "end", j_time(h->ts_end));
	set(o, "sni", j_str(h->sni));
	set(o, "cipher", j_str(h->cipher));
	set(o, "peer_certificates_cut",
	    json_boolean(h->peer_certs_state == CERTS_CUT));
	set(o, "peer_certificates_partial", certs_json(h, CERTS_CUT));
	set(o, "peer_certificates_omitted", j_uint(h->peer_certs_omitted));
	set(o, "missing_issuer", j_str(h->missing_issuer));
	set(o, "pkix_failed", json_boolean(h->pkix_failed));
	set(o, "hello_retry", json_boolean(h->hello_retry));
	set(o, "alert_sent", j_str(h->alert_sent));
	set(o, "alert_received", j_str(h->alert_received));
	set(o, "failure", j_str(h->failure_text));
	handshake_detail(o, h);
	set(o, "evidence", evidence_json(r, h));
	set(o, "node", j_str(handshake_node(r, h)));
	set(o, "peer_host", j_str(h->peer_host));
	set(o, "peer_port", h->peer_port > 0 ? json_integer(h->peer_port)
					     : json_null());
}

/* A handshake read by --merge goes out as it came in, but for the node
 * (a merged report names its nodes per handshake). */
static json_t *merged_handshake_json(const struct report *r,
				     const struct handshake *h)
{
	json_t *o = json_loads(h->merged_json, 0, NULL);
	if (!json_is_object(o)) {
		json_decref(o);
		return NULL;
	}
	set(o, "node", j_str(handshake_node(r, h)));
	return o;
}

static json_t *handshake_json(const struct report *r, const struct handshake *h)
{
	json_t *o = h->merged_json ? merged_handshake_json(r, h) : NULL;
	if (o)
		return o;
	o = json_object();
	handshake_contract(o, r, h);
	handshake_extra(o, r, h);
	return o;
}

/* ---- findings ---------------------------------------------------------- */

/* The first handshake of each code: the one advice is written for. */
struct first_by_code {
	const struct handshake *h[DIAG__COUNT];
};

static void first_by_code_fill(const struct report *r, struct first_by_code *f)
{
	memset(f, 0, sizeof *f);
	for (size_t i = 0; i < r->n_handshakes; i++) {
		enum diag_code c = r->handshakes[i].diagnosis;
		if ((unsigned)c < DIAG__COUNT && !f->h[c])
			f->h[c] = &r->handshakes[i];
	}
}

static int step_append(void *ctx, size_t index, const char *line, size_t len)
{
	(void)index;
	char *s = xmemdup0(line, len);
	json_array_append_new(ctx, j_str(s));
	free(s);
	return 0;
}

static void finding_advice(json_t *o, enum diag_code code,
			   const struct handshake *h)
{
	struct handshake none;
	if (!h) {
		memset(&none, 0, sizeof none);
		none.diagnosis = code;
		h = &none;
	}
	char *advice = diag_advice(code, h);
	json_t *steps = json_array();
	for_each_line(advice, step_append, steps);
	set(o, "advice", j_str(advice));
	set(o, "title", j_str_take(fill_template(diag_info(code)->title, h)));
	set(o, "who", json_string(diag_info(code)->who));
	set(o, "steps", steps);
	set(o, "advice_peer", j_str_take(handshake_peer_string(h)));
	free(advice);
}

static json_t *finding_json(const struct finding *f,
			    const struct first_by_code *first)
{
	const struct diag_info *d = diag_info(f->code);
	json_t *o = json_object();
	json_t *peers = json_array();
	for (size_t i = 0; i < f->n_peers; i++)
		json_array_append_new(peers, j_str(f->peers[i]));
	set(o, "code", json_string(d->code));
	set(o, "severity", json_string(severity_name(d->severity)));
	set(o, "count", j_uint(f->count));
	set(o, "peers", peers);
	json_t *counts = json_object();
	for (size_t i = 0; i < f->n_peers; i++) {
		char *peer = utf8_sanitize(f->peers[i], strlen(f->peers[i]));
		json_object_set_new(counts, peer,
				    j_uint(f->peer_counts ? f->peer_counts[i] : 0));
		free(peer);
	}
	set(o, "peer_counts", counts);
	set(o, "first_seen", j_time(f->first_seen));
	set(o, "last_seen", j_time(f->last_seen));
	set(o, "handshakes_omitted", j_uint(f->omitted));
	set(o, "peers_truncated", json_boolean(f->peers_truncated));
	enum diag_code c = (unsigned)f->code < DIAG__COUNT
				   ? f->code
				   : DIAG_HANDSHAKE_FAILED;
	finding_advice(o, c, first->h[c]);
	return o;
}

/* ---- the document ------------------------------------------------------ */

#define ITEM_INDENT "    "

static void j_key(struct jout *j, const char *key)
{
	j_raw(j, ",\n  \"");
	j_raw(j, key);
	j_raw(j, "\": ");
}

/* "[", each item on its own lines, "]"; or "[]" when there is none. */
static void j_item(struct jout *j, size_t i, json_t *v)
{
	j_raw(j, i ? ",\n" ITEM_INDENT : "[\n" ITEM_INDENT);
	j_dump(j, v, ITEM_INDENT);
}

static void j_close(struct jout *j, size_t n)
{
	j_raw(j, n ? "\n  ]" : "[]");
}

/* The nodes the report covers: its own, then those of its inputs and
 * handshakes (a merged report), each once. */
static json_t *nodes_json(const struct report *r)
{
	json_t *a = json_array();
	const char *node;
	for (size_t i = 0; i <= r->n_inputs + r->n_handshakes; i++) {
		if (i == 0)
			node = r->node;
		else if (i <= r->n_inputs)
			node = input_node(r, &r->inputs[i - 1]);
		else
			node = handshake_node(r, &r->handshakes[i - 1 - r->n_inputs]);
		if (!node)
			continue;
		json_t *v = j_str(node);
		bool seen = false;
		for (size_t k = 0; k < json_array_size(a) && !seen; k++)
			seen = json_equal(json_array_get(a, k), v);
		if (seen)
			json_decref(v);
		else
			json_array_append_new(a, v);
	}
	return a;
}

static json_t *window_json(const struct report *r)
{
	if (r->since == TS_NONE && r->until == TS_NONE)
		return json_null();
	json_t *o = json_object();
	set(o, "since", j_time(r->since));
	set(o, "until", j_time(r->until));
	return o;
}

static void json_about(struct jout *j, const struct report *r)
{
	j_key(j, "node");
	j_dump(j, j_str(r->node), "");
	j_key(j, "nodes");
	j_dump(j, nodes_json(r), "  ");
	j_key(j, "window");
	j_dump(j, window_json(r), "  ");
	j_key(j, "redacted");
	j_dump(j, json_boolean(r->redacted), "");
}

static void json_inputs(struct jout *j, const struct report *r)
{
	j_key(j, "inputs");
	for (size_t i = 0; i < r->n_inputs && !j->failed; i++)
		j_item(j, i, input_json(r, &r->inputs[i]));
	j_close(j, r->n_inputs);
}

static void json_handshakes(struct jout *j, const struct report *r)
{
	j_key(j, "handshakes");
	for (size_t i = 0; i < r->n_handshakes && !j->failed; i++)
		j_item(j, i, handshake_json(r, &r->handshakes[i]));
	j_close(j, r->n_handshakes);
}

static void json_findings(struct jout *j, const struct report *r)
{
	struct first_by_code first;
	first_by_code_fill(r, &first);
	j_key(j, "findings");
	for (size_t i = 0; i < r->n_findings && !j->failed; i++)
		j_item(j, i, finding_json(&r->findings[i], &first));
	j_close(j, r->n_findings);
}

/* What the detail caps left out, and every problem met while reading. */
static void json_omitted(struct jout *j, const struct report *r)
{
	j_key(j, "handshakes_omitted");
	j_dump(j, j_uint(r->handshakes_omitted), "");
	j_key(j, "symptoms_omitted");
	j_dump(j, j_uint(r->symptoms_omitted), "");
	j_key(j, "errors");
	for (size_t i = 0; i < r->n_errors && !j->failed; i++)
		j_item(j, i, j_str(r->errors[i]));
	j_close(j, r->n_errors);
	j_key(j, "errors_omitted");
	j_dump(j, j_uint(r->errors_omitted), "");
}

int render_json(const struct report *r, const struct render_opts *o, FILE *out)
{
	(void)o; /* JSON has no options */
	struct jout j = {.out = out, .indent = ""};
	j_raw(&j, "{\n  \"version\": ");
	j_dump(&j, json_string(PACKAGE_VERSION), "");
	json_about(&j, r);
	json_inputs(&j, r);
	json_handshakes(&j, r);
	json_findings(&j, r);
	json_omitted(&j, r);
	j_raw(&j, "\n}\n");
	if (j.failed) {
		fflush(out);
		return -1;
	}
	return render_finish(out);
}
