/* redact.c - see redact.h.
 *
 * The walk over the report: first every name its fields hold is learnt
 * (so that text anywhere finds them), in the order redact.h promises;
 * then each field is replaced, whole values by their placeholder and
 * text by redactor_text().  What is a name, and the placeholders, are
 * redact_names.c's business: this file knows only the report. */
#include "config.h"
#include "redact.h"

#include <jansson.h>

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util.h"

/* ---- the report ------------------------------------------------------------ */

/* The CN= values of a distinguished name that look like host names. */
static void learn_dn(struct redactor *rd, const char *dn)
{
	for (const char *p = dn; p && *p;) {
		while (*p == ' ' || *p == ',')
			p++;
		const char *end = strchr(p, ',');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		if (n > 3 && !strncasecmp(p, "CN=", 3)) {
			char *v = xmemdup0(p + 3, n - 3);
			char *t = v + strlen(v);
			while (t > v && t[-1] == ' ')
				*--t = '\0';
			if (!strchr(v, ' ') && (strchr(v, '.') || strchr(v, ':')))
				redactor_learn_host(rd, v);
			free(v);
		}
		p = end;
	}
}

static void learn_report(struct redactor *rd, const struct report *r)
{
	redactor_learn_host(rd, r->node);
	for (size_t i = 0; i < r->n_inputs; i++)
		redactor_learn_host(rd, r->inputs[i].node);
	for (size_t i = 0; i < r->n_handshakes; i++) {
		const struct handshake *h = &r->handshakes[i];
		redactor_learn_host(rd, h->node);
		redactor_learn_host(rd, h->peer_host);
		redactor_learn_host(rd, h->sni);
		for (size_t j = 0; j < h->n_peer_certs; j++) {
			learn_dn(rd, h->peer_certs[j].subject);
			learn_dn(rd, h->peer_certs[j].issuer);
			redactor_learn_serial(rd, h->peer_certs[j].serial);
		}
		learn_dn(rd, h->missing_issuer);
		for (size_t j = 0; j < h->n_peer_certs; j++)
			for (size_t k = 0; k < h->peer_certs[j].n_names; k++)
				redactor_learn_host(rd, h->peer_certs[j].names[k]);
		redactor_learn_host(rd, h->d.name_checked);
		for (size_t j = 0; j < h->n_symptoms; j++)
			if (h->symptoms[j] < r->n_symptoms)
				redactor_learn_host(
					rd, r->symptoms[h->symptoms[j]].host);
	}
	for (size_t i = 0; i < r->n_symptoms; i++)
		redactor_learn_host(rd, r->symptoms[i].host);
}

static void scrub(struct redactor *rd, char **field)
{
	char *v = redactor_text(rd, *field);
	free(*field);
	*field = v;
}

static void as_name(struct redactor *rd, char **field)
{
	char *v = redactor_name(rd, *field);
	free(*field);
	*field = v;
}

static void scrub_list(struct redactor *rd, char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		scrub(rd, &v[i]);
}

static void redact_cert(struct redactor *rd, struct cert *c)
{
	scrub(rd, &c->subject);
	scrub(rd, &c->issuer);
	for (size_t i = 0; i < c->n_names; i++)
		as_name(rd, &c->names[i]);
	char *v = redactor_serial(rd, c->serial);
	free(c->serial);
	c->serial = v;
}

/* Every string value of a merged handshake's JSON (keys are ours). */
static void redact_json_strings(struct redactor *rd, json_t *v)
{
	const char *key;
	json_t *x;
	size_t i;
	if (json_is_object(v)) {
		json_object_foreach(v, key, x) {
			if (json_is_string(x)) {
				char *t = redactor_text(rd, json_string_value(x));
				json_object_set_new(v, key, json_string(t));
				free(t);
			} else {
				redact_json_strings(rd, x);
			}
		}
	} else if (json_is_array(v)) {
		json_array_foreach(v, i, x) {
			if (json_is_string(x)) {
				char *t = redactor_text(rd, json_string_value(x));
				json_array_set_new(v, i, json_string(t));
				free(t);
			} else {
				redact_json_strings(rd, x);
			}
		}
	}
}

static void redact_merged_json(struct redactor *rd, char **text)
{
	if (!*text)
		return;
	json_t *o = json_loads(*text, 0, NULL);
	free(*text);
	*text = NULL;
	if (!o)
		return;
	redact_json_strings(rd, o);
	*text = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
}

static void redact_handshake(struct redactor *rd, struct handshake *h)
{
	as_name(rd, &h->node);
	as_name(rd, &h->peer_host);
	as_name(rd, &h->sni);
	scrub(rd, &h->thread);
	for (size_t j = 0; j < h->n_peer_certs; j++)
		redact_cert(rd, &h->peer_certs[j]);
	scrub(rd, &h->missing_issuer);
	scrub(rd, &h->alert_sent);
	scrub(rd, &h->alert_received);
	scrub(rd, &h->failure_text);
	for (size_t j = 0; j < h->n_evidence; j++)
		scrub(rd, &h->evidence[j].text);
	scrub_list(rd, h->d.authorities.v, h->d.authorities.n);
	scrub_list(rd, h->d.key_store.v, h->d.key_store.n);
	scrub(rd, &h->d.own_subject);
	scrub(rd, &h->d.own_issuer);
	scrub(rd, &h->d.name_checked);
	scrub(rd, &h->d.expiry_text);
	scrub(rd, &h->d.alert);
	redact_merged_json(rd, &h->merged_json);
}

static void redact_symptom(struct redactor *rd, struct symptom *s)
{
	as_name(rd, &s->host);
	scrub(rd, &s->thread);
	scrub(rd, &s->text);
}

/* Each symptom once (a placeholder redacted again would be a new name),
 * in the order the handshakes show them, then those no handshake holds
 * (not shown, but they go all the same). */
static void redact_symptoms(struct redactor *rd, struct report *r)
{
	bool *done = xcalloc(r->n_symptoms ? r->n_symptoms : 1, sizeof *done);
	for (size_t i = 0; i < r->n_handshakes; i++) {
		const struct handshake *h = &r->handshakes[i];
		for (size_t j = 0; j < h->n_symptoms; j++) {
			size_t k = h->symptoms[j];
			if (k < r->n_symptoms && !done[k]) {
				redact_symptom(rd, &r->symptoms[k]);
				done[k] = true;
			}
		}
	}
	for (size_t k = 0; k < r->n_symptoms; k++)
		if (!done[k])
			redact_symptom(rd, &r->symptoms[k]);
	free(done);
}

void redact_report(struct report *r)
{
	struct redactor *rd = redactor_new();
	learn_report(rd, r);
	as_name(rd, &r->node);
	for (size_t i = 0; i < r->n_inputs; i++) {
		as_name(rd, &r->inputs[i].node);
		scrub(rd, &r->inputs[i].path);
		scrub(rd, &r->inputs[i].error);
	}
	for (size_t i = 0; i < r->n_handshakes; i++)
		redact_handshake(rd, &r->handshakes[i]);
	redact_symptoms(rd, r);
	for (size_t i = 0; i < r->n_findings; i++)
		for (size_t j = 0; j < r->findings[i].n_peers; j++)
			scrub(rd, &r->findings[i].peers[j]);
	r->redacted = true;
	redactor_free(&rd);
}
