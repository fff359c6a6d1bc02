/* model.c - see model.h. */
#include "config.h"
#include "model.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* Evidence text is kept short: it is for humans to find the line. */
#define EVIDENCE_MAX 400

struct report *report_new(void)
{
	struct report *r = xcalloc(1, sizeof(struct report));
	r->since = r->until = TS_NONE;
	return r;
}

void cert_clear(struct cert *c)
{
	free(c->subject);
	free(c->issuer);
	free(c->not_before);
	free(c->not_after);
	free(c->serial);
	for (size_t i = 0; i < c->n_names; i++)
		free(c->names[i]);
	free(c->names);
	memset(c, 0, sizeof *c);
}

void strlist_add(struct strlist *l, const char *p, size_t n, size_t max)
{
	if (l->n >= max)
		return;
	xgrow(&l->v, &l->cap, l->n + 1, sizeof *l->v);
	l->v[l->n++] = xmemdup0(p, n);
}

void strlist_free(struct strlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	memset(l, 0, sizeof *l);
}

/* A certificate lists a handful of names; a wildcard-heavy one more. */
#define CERT_MAX_NAMES 64

void cert_add_name(struct cert *c, const char *p, size_t n)
{
	if (c->n_names >= CERT_MAX_NAMES)
		return;
	xgrow(&c->names, &c->cap_names, c->n_names + 1, sizeof *c->names);
	c->names[c->n_names++] = xmemdup0(p, n);
}

static void hs_detail_free(struct hs_detail *d)
{
	strlist_free(&d->authorities);
	strlist_free(&d->key_store);
	free(d->own_subject);
	free(d->own_issuer);
	free(d->name_checked);
	free(d->versions_local);
	free(d->versions_peer);
	free(d->expiry_text);
	free(d->alert);
}

void handshake_free(struct handshake *h)
{
	free(h->thread);
	free(h->peer_host);
	free(h->tls_version);
	free(h->cipher);
	free(h->sni);
	for (size_t i = 0; i < h->n_peer_certs; i++)
		cert_clear(&h->peer_certs[i]);
	free(h->peer_certs);
	free(h->alert_sent);
	free(h->alert_received);
	free(h->failure_text);
	free(h->missing_issuer);
	for (size_t i = 0; i < h->n_evidence; i++)
		free(h->evidence[i].text);
	free(h->symptoms);
	free(h->node);
	hs_detail_free(&h->d);
	free(h->merged_json);
}

static void symptom_free(struct symptom *s)
{
	free(s->thread);
	free(s->host);
	free(s->text);
	free(s->detail);
}

static void findings_free(struct report *r)
{
	for (size_t i = 0; i < r->n_findings; i++) {
		for (size_t j = 0; j < r->findings[i].n_peers; j++)
			free(r->findings[i].peers[j]);
		free(r->findings[i].peers);
		free(r->findings[i].peer_counts);
	}
	free(r->findings);
	r->findings = NULL;
	r->n_findings = 0;
}

void report_free(struct report **rp)
{
	struct report *r = *rp;
	if (!r)
		return;
	for (size_t i = 0; i < r->n_inputs; i++) {
		free(r->inputs[i].path);
		free(r->inputs[i].error);
		free(r->inputs[i].node);
	}
	free(r->inputs);
	for (size_t i = 0; i < r->n_handshakes; i++)
		handshake_free(&r->handshakes[i]);
	free(r->handshakes);
	for (size_t i = 0; i < r->n_symptoms; i++)
		symptom_free(&r->symptoms[i]);
	free(r->symptoms);
	findings_free(r);
	free(r->node);
	for (size_t i = 0; i < r->n_tallies; i++)
		free(r->tallies[i].peer);
	free(r->tallies);
	free(r->tally_index);
	for (size_t i = 0; i < r->n_errors; i++)
		free(r->errors[i]);
	free(r->errors);
	free(r);
	*rp = NULL;
}

void report_add_error(struct report *r, const char *msg)
{
	if (r->n_errors >= REPORT_MAX_ERRORS) {
		r->errors_omitted++;
		return;
	}
	xgrow(&r->errors, &r->cap_errors, r->n_errors + 1, sizeof *r->errors);
	r->errors[r->n_errors++] = xstrdup(msg);
}

struct input *report_add_input(struct report *r, const char *path)
{
	xgrow(&r->inputs, &r->cap_inputs, r->n_inputs + 1, sizeof *r->inputs);
	struct input *in = &r->inputs[r->n_inputs++];
	memset(in, 0, sizeof *in);
	in->path = xstrdup(path);
	return in;
}

struct handshake *report_add_handshake(struct report *r)
{
	xgrow(&r->handshakes, &r->cap_handshakes, r->n_handshakes + 1,
	      sizeof *r->handshakes);
	struct handshake *h = &r->handshakes[r->n_handshakes++];
	memset(h, 0, sizeof *h);
	h->ts_start = h->ts_end = h->ts_line = TS_NONE;
	h->jvm_start = h->jvm_end = TS_NONE;
	h->d.expired_cert = -1;
	h->rep_of = -1;
	return h;
}

struct symptom *report_add_symptom(struct report *r)
{
	xgrow(&r->symptoms, &r->cap_symptoms, r->n_symptoms + 1,
	      sizeof *r->symptoms);
	struct symptom *s = &r->symptoms[r->n_symptoms++];
	memset(s, 0, sizeof *s);
	s->ts = s->ts_line = TS_NONE;
	s->handshake = -1;
	return s;
}

struct cert *handshake_add_cert(struct handshake *h)
{
	xgrow(&h->peer_certs, &h->cap_peer_certs, h->n_peer_certs + 1,
	      sizeof *h->peer_certs);
	struct cert *c = &h->peer_certs[h->n_peer_certs++];
	memset(c, 0, sizeof *c);
	return c;
}

void handshake_add_evidence(struct handshake *h, uint32_t file, uint64_t line,
			    const char *text, size_t len)
{
	if (h->n_evidence >= HS_MAX_EVIDENCE)
		return;
	struct evidence *e = &h->evidence[h->n_evidence++];
	e->file = file;
	e->line = line;
	e->text = xmemdup0(text, len > EVIDENCE_MAX ? EVIDENCE_MAX : len);
}

void handshake_add_symptom(struct handshake *h, size_t symptom_index)
{
	xgrow(&h->symptoms, &h->cap_symptoms, h->n_symptoms + 1,
	      sizeof *h->symptoms);
	h->symptoms[h->n_symptoms++] = symptom_index;
}

char *handshake_peer_string(const struct handshake *h)
{
	if (!h->peer_host)
		return NULL;
	if (h->peer_port <= 0)
		return xstrdup(h->peer_host);
	struct strbuf b = {0};
	sb_printf(&b, "%s:%d", h->peer_host, h->peer_port);
	return sb_take(&b);
}

const char *role_name(enum role r)
{
	static const char *const names[] = {
		[ROLE_UNKNOWN] = NULL, [ROLE_CLIENT] = "client",
		[ROLE_SERVER] = "server"};
	return (unsigned)r < SS_ARRAY_LEN(names) ? names[r] : NULL;
}

const char *outcome_name(enum outcome o)
{
	static const char *const names[] = {[OUTCOME_UNKNOWN] = "unknown",
					    [OUTCOME_OK] = "ok",
					    [OUTCOME_FAILED] = "failed"};
	return (unsigned)o < SS_ARRAY_LEN(names) ? names[o] : "unknown";
}

const char *symptom_kind_name(enum symptom_kind k)
{
	static const char *const names[] = {
		[SYM_SSL_HANDSHAKE_EXCEPTION] = "SSL_HANDSHAKE_EXCEPTION",
		[SYM_SOCKET_CLOSED] = "SOCKET_CLOSED",
		[SYM_PEER_NOT_AUTHENTICATED] = "PEER_NOT_AUTHENTICATED",
		[SYM_OTHER] = "OTHER"};
	return (unsigned)k < SS_ARRAY_LEN(names) ? names[k] : "OTHER";
}

const char *handshake_node(const struct report *r, const struct handshake *h)
{
	return h->node ? h->node : r->node;
}

const char *input_node(const struct report *r, const struct input *in)
{
	return in->node ? in->node : r->node;
}

/* Marks the symptoms of kept handshakes and gives each its new index
 * (SIZE_MAX for a symptom that goes). */
static size_t *symptom_new_indexes(const struct report *r, const bool *keep)
{
	size_t *map = xcalloc(r->n_symptoms ? r->n_symptoms : 1, sizeof *map);
	for (size_t i = 0; i < r->n_symptoms; i++)
		map[i] = SIZE_MAX;
	for (size_t i = 0; i < r->n_handshakes; i++) {
		const struct handshake *h = &r->handshakes[i];
		for (size_t j = 0; keep[i] && j < h->n_symptoms; j++)
			if (h->symptoms[j] < r->n_symptoms)
				map[h->symptoms[j]] = 0;
	}
	size_t n = 0;
	for (size_t i = 0; i < r->n_symptoms; i++)
		if (map[i] != SIZE_MAX)
			map[i] = n++;
	return map;
}

static void compact_symptoms(struct report *r, const size_t *map)
{
	size_t n = 0;
	for (size_t i = 0; i < r->n_symptoms; i++) {
		if (map[i] == SIZE_MAX)
			symptom_free(&r->symptoms[i]);
		else
			r->symptoms[n++] = r->symptoms[i];
	}
	r->n_symptoms = n;
}

void report_keep_handshakes(struct report *r, const bool *keep)
{
	size_t *map = symptom_new_indexes(r, keep);
	long *hmap = xmalloc((r->n_handshakes ? r->n_handshakes : 1) * sizeof *hmap);
	size_t n = 0;
	for (size_t i = 0; i < r->n_handshakes; i++) {
		struct handshake *h = &r->handshakes[i];
		hmap[i] = keep[i] ? (long)n : -1;
		if (!keep[i]) {
			handshake_free(h);
			continue;
		}
		size_t k = 0;
		for (size_t j = 0; j < h->n_symptoms; j++)
			if (h->symptoms[j] < r->n_symptoms &&
			    map[h->symptoms[j]] != SIZE_MAX)
				h->symptoms[k++] = map[h->symptoms[j]];
		h->n_symptoms = k;
		r->handshakes[n++] = *h;
	}
	size_t n_old = r->n_handshakes;
	r->n_handshakes = n;
	/* Tallies and the handshakes standing for them point by index. */
	for (size_t i = 0; i < r->n_tallies; i++) {
		long rep = r->tallies[i].rep;
		r->tallies[i].rep = rep >= 0 && (size_t)rep < n_old ? hmap[rep] : -1;
	}
	for (size_t i = 0; i < n; i++) {
		long t = r->handshakes[i].rep_of;
		if (t >= 0 && (size_t)t < r->n_tallies && r->tallies[t].rep < 0)
			r->tallies[t].rep = (long)i;
	}
	free(hmap);
	/* Symptoms point back at their handshake by index. */
	compact_symptoms(r, map);
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < r->handshakes[i].n_symptoms; j++)
			r->symptoms[r->handshakes[i].symptoms[j]].handshake =
				(long)i;
	free(map);
	findings_free(r);
}

bool dn_equal(const char *a, const char *b)
{
	if (!a || !b)
		return false;
	for (;;) {
		while (*a == ' ')
			a++;
		while (*b == ' ')
			b++;
		if (!*a || !*b)
			return !*a && !*b;
		if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
			return false;
		a++;
		b++;
	}
}

bool cert_self_signed(const struct cert *c)
{
	return dn_equal(c->subject, c->issuer);
}
