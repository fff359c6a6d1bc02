/* assemble_app.c - the application's own lines (see assemble_int.h):
 * which symptom a line is (an exception, "Socket is closed", "peer not
 * authenticated", ...), the endpoint it names, and which lines after it
 * are still part of it (its stack trace, the exception a logger printed
 * under its line) rather than symptoms of their own. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "assemble_int.h"
#include "compact.h"
#include "util.h"

/* Which symptom kind wins when a line holds several signatures. */
static int kind_rank(enum symptom_kind k)
{
	static const int rank[] = {[SYM_SSL_HANDSHAKE_EXCEPTION] = 3,
				   [SYM_PEER_NOT_AUTHENTICATED] = 2,
				   [SYM_SOCKET_CLOSED] = 1, [SYM_OTHER] = 0};
	return rank[k];
}

static void sym_kind(struct ctx *c, enum symptom_kind k)
{
	if (!c->sym || kind_rank(k) > kind_rank(c->kind))
		c->kind = k;
	c->sym = true;
}

void app_hit(struct ctx *c, const struct pattern_hit *hit)
{
	c->events |= EVBIT(hit->event);
	switch (hit->event) {
	case EV_SSL_HANDSHAKE_EXCEPTION:
		sym_kind(c, SYM_SSL_HANDSHAKE_EXCEPTION);
		break;
	case EV_PEER_NOT_AUTHENTICATED:
		sym_kind(c, SYM_PEER_NOT_AUTHENTICATED);
		break;
	case EV_SOCKET_CLOSED:
		sym_kind(c, SYM_SOCKET_CLOSED);
		break;
	case EV_PKIX_PATH_BUILDING_FAILED:
	case EV_PKIX_VALIDATION_FAILED:
		c->pkix = true;
		sym_kind(c, SYM_OTHER);
		break;
	case EV_REQUEST_NOT_SENT:
		/* names the endpoint, but is not by itself a TLS failure */
		c->host = hit->cap[CAP_host];
		c->port = hit->cap[CAP_port];
		break;
	case EV_CERT_EXPIRED_TEXT:
		if (hit->cap[CAP_detail].n)
			c->detail = slice_trim(hit->cap[CAP_detail]);
		sym_kind(c, SYM_OTHER);
		break;
	case EV_HOSTNAME_MISMATCH_TEXT:
		/* the name that was called: the endpoint the line is about */
		if (!c->host.n)
			c->host = hit->cap[CAP_host];
		sym_kind(c, SYM_OTHER);
		break;
	case EV_ALERT_RECEIVED:
	case EV_PEER_CLOSED_TEXT: case EV_PROTOCOL_MISMATCH_TEXT:
	case EV_CIPHER_MISMATCH_TEXT: case EV_REVOKED_TEXT:
	case EV_CHAINING_FAILED_TEXT: case EV_CLIENT_CERT_MISSING_TEXT:
	case EV_EKU_REJECTED_TEXT: case EV_EMPTY_CHAIN_TEXT:
	case EV_CERT_UNUSABLE_TEXT: case EV_OTHER_FAILURE_TEXT:
		sym_kind(c, SYM_OTHER);
		break;
	default:
		break;
	}
}

static bool is_continuation(struct slice m)
{
	m = slice_trim(m);
	return slice_starts(m, "Caused by:") || slice_starts(m, "at ") ||
	       slice_starts(m, "... ");
}

static int parse_port(struct slice p)
{
	int v = 0;
	for (size_t i = 0; i < p.n && i < 6; i++)
		v = v * 10 + (p.p[i] - '0');
	return v > 0 && v < 65536 ? v : 0;
}

/* Lines after a symptom that are still part of it: "Caused by:" and
 * frames of its stack trace (within CAUSE_GAP lines of its last line),
 * and, right under a logger's line that named a thread (within
 * TRACE_GAP lines: the exception, maybe after a blank line), a line that
 * names none: the exception the logger printed with it. */
enum { CAUSE_GAP = 100, TRACE_GAP = 3 };

static bool continues_symptom(const struct stream *s, const struct ctx *c)
{
	if (s->last_symptom < 0)
		return false;
	uint64_t gap = c->lineno - s->last_symptom_line;
	if (is_continuation(c->env->msg))
		return gap <= CAUSE_GAP;
	/* another logger line between: the exception printed under it */
	if (c->env->above &&
	    c->lineno - c->env->above_up != s->last_symptom_line)
		return false;
	return gap <= TRACE_GAP && s->last_symptom_thread &&
	       !c->env->thread.n && !c->env->jsse_thread.n;
}

void app_symptom(struct assembler *a, struct ctx *c)
{
	struct stream *s = &a->s;
	const struct envline *env = c->env;
	if (continues_symptom(s, c)) {
		/* "Caused by: ... PKIX path building failed" deepens the
		 * symptom above it rather than being another one. */
		struct symptom *prev = &a->r->symptoms[s->last_symptom];
		prev->pkix |= c->pkix;
		prev->events |= c->events;
		if (!prev->detail && c->detail.n)
			prev->detail = field_dup(c->detail);
		s->last_symptom_line = c->lineno;
		return;
	}
	if (!report_symptom_fits(a->r))
		return;
	struct symptom *sy = report_add_symptom(a->r);
	sy->kind = c->kind;
	sy->file = s->file;
	sy->line = c->lineno;
	sy->ts = line_ts(env);
	if (env->thread.n)
		sy->thread = field_dup(env->thread);
	else if (env->above && !env->jsse_thread.n && sy->ts == TS_NONE) {
		/* the exception a logger printed under its line */
		sy->thread = field_dup(env->above_thread);
		sy->ts = env->above_ts;
	}
	if (c->host.n)
		sy->host = field_dup(c->host);
	sy->port = parse_port(c->port);
	sy->pkix = c->pkix;
	sy->events = c->events;
	if (c->detail.n)
		sy->detail = field_dup(c->detail);
	struct slice m = slice_trim(env->msg);
	sy->text = xmemdup0(m.p, m.n > 400 ? 400 : m.n);
	s->last_symptom = (long)(a->r->n_symptoms - 1);
	s->last_symptom_line = c->lineno;
	s->last_symptom_thread = env->thread.n || env->jsse_thread.n;
}
