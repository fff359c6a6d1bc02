/* model.c - see model.h. */
#include "config.h"
#include "model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* Evidence text is kept short: it is for humans to find the line. */
#define EVIDENCE_MAX 400

struct report *report_new(void)
{
	return xcalloc(1, sizeof(struct report));
}

static void cert_free(struct cert *c)
{
	free(c->subject);
	free(c->issuer);
	free(c->not_before);
	free(c->not_after);
	free(c->serial);
}

void handshake_free(struct handshake *h)
{
	free(h->thread);
	free(h->peer_host);
	free(h->tls_version);
	free(h->cipher);
	free(h->sni);
	for (size_t i = 0; i < h->n_peer_certs; i++)
		cert_free(&h->peer_certs[i]);
	free(h->peer_certs);
	free(h->alert_sent);
	free(h->alert_received);
	free(h->failure_text);
	free(h->missing_issuer);
	for (size_t i = 0; i < h->n_evidence; i++)
		free(h->evidence[i].text);
	free(h->symptoms);
}

void report_free(struct report **rp)
{
	struct report *r = *rp;
	if (!r)
		return;
	for (size_t i = 0; i < r->n_inputs; i++) {
		free(r->inputs[i].path);
		free(r->inputs[i].error);
	}
	free(r->inputs);
	for (size_t i = 0; i < r->n_handshakes; i++)
		handshake_free(&r->handshakes[i]);
	free(r->handshakes);
	for (size_t i = 0; i < r->n_symptoms; i++) {
		free(r->symptoms[i].thread);
		free(r->symptoms[i].host);
		free(r->symptoms[i].text);
	}
	free(r->symptoms);
	for (size_t i = 0; i < r->n_findings; i++) {
		for (size_t j = 0; j < r->findings[i].n_peers; j++)
			free(r->findings[i].peers[j]);
		free(r->findings[i].peers);
	}
	free(r->findings);
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
	h->ts_start = h->ts_end = TS_NONE;
	h->rep_of = -1;
	return h;
}

struct symptom *report_add_symptom(struct report *r)
{
	xgrow(&r->symptoms, &r->cap_symptoms, r->n_symptoms + 1,
	      sizeof *r->symptoms);
	struct symptom *s = &r->symptoms[r->n_symptoms++];
	memset(s, 0, sizeof *s);
	s->ts = TS_NONE;
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
