/* assemble.c - see assemble.h.
 *
 * Two kinds of state:
 *  - per input (struct stream): is a JDK 11+ record body open (a header
 *    ending in "(" opens one, a lone ")" closes it), is a classic JDK 8
 *    "*** Certificate chain" block open, which thread the classic lines
 *    without a prefix belong to, and where certificate fields go;
 *  - per thread: the handshake under way on that thread (an index into
 *    report.handshakes: the array may move). */
#include "config.h"
#include "assemble.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "compact.h"
#include "util.h"

/* A peer's Certificate message holds a handful of certificates; past this
 * the rest are counted, not kept. */
#define MAX_CERTS 32
/* Text kept from one log field (a subject, a thread name, an exception
 * message): a hostile log cannot make one field cost more. */
#define FIELD_MAX 2048
/* Thread slots per input; past this the least recently used half is
 * forgotten (their handshakes are over: a handshake takes milliseconds).
 * The fuzz build shrinks it. */
#ifndef MAX_THREADS
#define MAX_THREADS 1024
#endif

enum capture {
	CAPTURE_NONE,      /* fields are ignored */
	CAPTURE_PEER,      /* the peer's chain: fields fill peer_certs */
	CAPTURE_OTHER,     /* our own chain, a trusted certificate: ignored */
};

struct thread_slot {
	char *name;        /* "" for lines that name no thread */
	size_t name_len;
	uint64_t last_use; /* assembler.clock when last looked up */
	long hs;           /* open handshake, -1 if none */
	bool seen_server_hello_done; /* classic: ServerHelloDone passed */
	bool last_read;    /* classic: the last record line was READ */
	int classic_finished;        /* classic "*** Finished" count */
};

struct stream {
	uint32_t file;
	bool in_record;            /* a JDK 11+ record body is open */
	size_t record_thread;      /* its thread slot */
	bool classic_block;        /* a classic cert chain block is open */
	size_t classic_thread;     /* slot of the last classic thread */
	bool have_classic_thread;
	bool alert_record;         /* the open record is a received alert */
	enum capture capture;
	long capture_hs;
	long last_symptom;         /* for "Caused by:" continuations */
	uint64_t last_symptom_line;
};

struct assembler {
	struct report *r;
	struct stream s;
	struct thread_slot *threads;
	size_t n_threads, cap_threads;
	uint64_t clock;
};

struct assembler *assembler_new(struct report *r)
{
	struct assembler *a = xcalloc(1, sizeof *a);
	a->r = r;
	return a;
}

static void reset_threads(struct assembler *a)
{
	for (size_t i = 0; i < a->n_threads; i++)
		free(a->threads[i].name);
	a->n_threads = 0;
}

void assembler_free(struct assembler **ap)
{
	struct assembler *a = *ap;
	if (!a)
		return;
	reset_threads(a);
	free(a->threads);
	free(a);
	*ap = NULL;
}

void assembler_begin_input(struct assembler *a, uint32_t file)
{
	reset_threads(a);
	memset(&a->s, 0, sizeof a->s);
	a->s.file = file;
	a->s.capture_hs = -1;
	a->s.last_symptom = -1;
}

bool assembler_in_block(const struct assembler *a)
{
	return a->s.in_record || a->s.classic_block;
}

/* A copy of a log field, cut at FIELD_MAX bytes. */
static char *field_dup(struct slice v)
{
	return slice_dup(slice_make(v.p, v.n > FIELD_MAX ? FIELD_MAX : v.n));
}

/* Threads per input are few (tens to hundreds): a linear scan from the
 * most recent is cheaper than hashing for the common case. */
static size_t thread_slot(struct assembler *a, struct slice name)
{
	if (name.n > FIELD_MAX)
		name.n = FIELD_MAX;
	a->clock++;
	for (size_t i = a->n_threads; i-- > 0;) {
		struct thread_slot *t = &a->threads[i];
		if (t->name_len == name.n &&
		    (name.n == 0 || memcmp(t->name, name.p, name.n) == 0)) {
			t->last_use = a->clock;
			return i;
		}
	}
	xgrow(&a->threads, &a->cap_threads, a->n_threads + 1,
	      sizeof *a->threads);
	struct thread_slot *t = &a->threads[a->n_threads];
	memset(t, 0, sizeof *t);
	t->name = slice_dup(name);
	t->name_len = name.n;
	t->last_use = a->clock;
	t->hs = -1;
	return a->n_threads++;
}

static int u64_cmp(const void *pa, const void *pb)
{
	uint64_t a = *(const uint64_t *)pa, b = *(const uint64_t *)pb;
	return (a > b) - (a < b);
}

/* Forgets the least recently used half of the thread slots, but never the
 * ones the stream points at. */
static void evict_threads(struct assembler *a)
{
	struct stream *s = &a->s;
	uint64_t *use = xmalloc(a->n_threads * sizeof *use);
	for (size_t i = 0; i < a->n_threads; i++)
		use[i] = a->threads[i].last_use;
	qsort(use, a->n_threads, sizeof *use, u64_cmp);
	uint64_t keep_from = use[a->n_threads / 2];
	free(use);
	size_t j = 0;
	for (size_t i = 0; i < a->n_threads; i++) {
		bool pinned = (s->in_record && i == s->record_thread) ||
			      (s->have_classic_thread && i == s->classic_thread);
		if (!pinned && a->threads[i].last_use < keep_from) {
			free(a->threads[i].name);
			continue;
		}
		if (i == s->record_thread)
			s->record_thread = j;
		if (i == s->classic_thread)
			s->classic_thread = j;
		a->threads[j++] = a->threads[i];
	}
	a->n_threads = j;
}

/* Judges the handshakes no thread is adding to any more (compact.h). */
static void compact(struct assembler *a)
{
	if (!report_needs_compact(a->r))
		return;
	long **open = xmalloc((a->n_threads + 1) * sizeof *open);
	size_t n = 0;
	for (size_t i = 0; i < a->n_threads; i++)
		open[n++] = &a->threads[i].hs;
	open[n++] = &a->s.capture_hs;
	report_compact(a->r, open, n);
	free(open);
}

static struct handshake *hs_at(struct assembler *a, long i)
{
	return i >= 0 ? &a->r->handshakes[i] : NULL;
}

static int64_t line_ts(const struct envline *env)
{
	return env->ts != TS_NONE ? env->ts : env->jsse_ts;
}

/* Starts a handshake on thread slot t. */
static long hs_open(struct assembler *a, size_t t, uint64_t lineno,
		    const struct envline *env)
{
	struct handshake *h = report_add_handshake(a->r);
	h->file = a->s.file;
	h->line = h->last_line = lineno;
	h->ts_start = h->ts_end = line_ts(env);
	if (a->threads[t].name_len)
		h->thread = xstrdup(a->threads[t].name);
	long idx = (long)(a->r->n_handshakes - 1);
	struct thread_slot *ts = &a->threads[t];
	ts->hs = idx;
	ts->seen_server_hello_done = false;
	ts->classic_finished = 0;
	return idx;
}

/* The handshake under way on thread t, opened if there is none (the log
 * may start in the middle of one). */
static long hs_current(struct assembler *a, size_t t, uint64_t lineno,
		       const struct envline *env)
{
	long i = a->threads[t].hs;
	return i >= 0 ? i : hs_open(a, t, lineno, env);
}

static void hs_touch(struct handshake *h, uint64_t lineno,
		     const struct envline *env)
{
	h->last_line = lineno;
	int64_t ts = line_ts(env);
	if (ts != TS_NONE)
		h->ts_end = ts;
	if (h->ts_start == TS_NONE)
		h->ts_start = ts;
}

static void set_str(char **dst, struct slice v)
{
	if (!v.n)
		return;
	free(*dst);
	*dst = field_dup(v);
}

static char *lower_dup(struct slice v)
{
	char *s = field_dup(v);
	for (char *p = s; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return s;
}

static void evidence(struct assembler *a, struct handshake *h, uint64_t lineno,
		     const struct envline *env)
{
	struct slice m = slice_trim(env->msg);
	/* "Consuming ... message (" opens a record body: not worth showing */
	if (slice_ends(m, " ("))
		m.n -= 2;
	handshake_add_evidence(h, a->s.file, lineno, m.p, m.n);
}

/* ---- certificate fields ------------------------------------------------ */

static void capture_begin(struct assembler *a, long hs, enum capture c)
{
	struct stream *s = &a->s;
	s->capture = c;
	s->capture_hs = hs;
	if (c != CAPTURE_PEER || hs < 0)
		return;
	struct handshake *h = hs_at(a, hs);
	/* A second Certificate message from the peer replaces the first. */
	for (size_t i = 0; i < h->n_peer_certs; i++) {
		struct cert *c0 = &h->peer_certs[i];
		free(c0->subject);
		free(c0->issuer);
		free(c0->not_before);
		free(c0->not_after);
		free(c0->serial);
	}
	h->n_peer_certs = 0;
	h->peer_certs_omitted = 0;
	h->peer_certs_state = CERTS_CUT; /* until the block closes */
}

static void capture_end(struct assembler *a)
{
	struct stream *s = &a->s;
	if (s->capture == CAPTURE_PEER && s->capture_hs >= 0)
		hs_at(a, s->capture_hs)->peer_certs_state = CERTS_CAPTURED;
	s->capture = CAPTURE_NONE;
	s->capture_hs = -1;
}

static struct cert *capture_cert(struct assembler *a, bool new_entry)
{
	struct stream *s = &a->s;
	if (s->capture != CAPTURE_PEER || s->capture_hs < 0)
		return NULL;
	struct handshake *h = hs_at(a, s->capture_hs);
	if (new_entry || h->n_peer_certs == 0) {
		if (h->n_peer_certs >= MAX_CERTS) {
			h->peer_certs_omitted++;
			return NULL;
		}
		return handshake_add_cert(h);
	}
	if (h->peer_certs_omitted)
		return NULL;
	return &h->peer_certs[h->n_peer_certs - 1];
}

static void cert_field(struct assembler *a, enum ss_event ev,
		       const struct pattern_hit *hit)
{
	struct cert *c = capture_cert(a, ev == EV_CERT_ENTRY);
	if (!c)
		return;
	struct slice v = hit->cap[CAP_value];
	switch (ev) {
	case EV_CERT_SUBJECT: set_str(&c->subject, v); break;
	case EV_CERT_ISSUER: set_str(&c->issuer, v); break;
	case EV_CERT_NOT_BEFORE: set_str(&c->not_before, slice_trim(v)); break;
	case EV_CERT_NOT_AFTER: set_str(&c->not_after, slice_trim(v)); break;
	case EV_CERT_SERIAL: set_str(&c->serial, v); break;
	default: break;
	}
}

/* ---- event handlers --------------------------------------------------- */

/* What one line is, for the handlers. */
struct ctx {
	uint64_t lineno;
	const struct envline *env;
	size_t thread;          /* thread slot of a debug line */
	bool debug;             /* JSSE debug output (not an application line) */
	/* an application line's symptom, built up over its hits */
	bool sym;
	enum symptom_kind kind;
	bool pkix;
	uint64_t events;
	struct slice host, port;
};

typedef void (*handler_fn)(struct assembler *a, struct ctx *c,
			   const struct pattern_hit *hit);

static struct handshake *cur(struct assembler *a, struct ctx *c)
{
	long i = hs_current(a, c->thread, c->lineno, c->env);
	struct handshake *h = hs_at(a, i);
	hs_touch(h, c->lineno, c->env);
	return h;
}

static void hs_fail(struct handshake *h)
{
	if (h->outcome != OUTCOME_OK)
		h->outcome = OUTCOME_FAILED;
}

static void hs_check_finished(struct handshake *h)
{
	if (h->finished_sent && h->finished_received &&
	    h->outcome == OUTCOME_UNKNOWN)
		h->outcome = OUTCOME_OK;
}

/* A ClientHello starts a handshake, unless it is the second ClientHello
 * after a HelloRetryRequest, which continues the same one. */
static void start_hello(struct assembler *a, struct ctx *c, enum role role)
{
	struct thread_slot *t = &a->threads[c->thread];
	struct handshake *h = hs_at(a, t->hs);
	if (!h || !h->hello_retry || h->outcome != OUTCOME_UNKNOWN)
		hs_open(a, c->thread, c->lineno, c->env);
	h = cur(a, c);
	if (h->role == ROLE_UNKNOWN)
		h->role = role;
}

static void on_client_hello_produced(struct assembler *a, struct ctx *c,
				     const struct pattern_hit *hit)
{
	start_hello(a, c, ROLE_CLIENT);
}

static void on_client_hello_consumed(struct assembler *a, struct ctx *c,
				     const struct pattern_hit *hit)
{
	start_hello(a, c, ROLE_SERVER);
}

static void on_classic_client_hello(struct assembler *a, struct ctx *c,
				    const struct pattern_hit *hit)
{
	/* The server prints the ClientHello it read; the client the one it
	 * is about to write. */
	bool read = a->threads[c->thread].last_read;
	hs_open(a, c->thread, c->lineno, c->env);
	struct handshake *h = cur(a, c);
	h->role = read ? ROLE_SERVER : ROLE_CLIENT;
	set_str(&h->tls_version, hit->cap[CAP_version]);
}

static void on_server_hello(struct assembler *a, struct ctx *c,
			    const struct pattern_hit *hit)
{
	struct handshake *h = cur(a, c);
	if (h->role == ROLE_UNKNOWN)
		h->role = hit->event == EV_SERVER_HELLO_PRODUCED ? ROLE_SERVER
								 : ROLE_CLIENT;
	if (hit->event == EV_CLASSIC_SERVER_HELLO)
		set_str(&h->tls_version, hit->cap[CAP_version]);
}

static void on_hello_retry(struct assembler *a, struct ctx *c,
			   const struct pattern_hit *hit)
{
	cur(a, c)->hello_retry = true;
}

static void on_sni(struct assembler *a, struct ctx *c,
		   const struct pattern_hit *hit)
{
	struct handshake *h = cur(a, c);
	set_str(&h->sni, hit->cap[CAP_host]);
	if (h->role != ROLE_SERVER && !h->peer_host)
		set_str(&h->peer_host, hit->cap[CAP_host]);
}

static void on_tls_version(struct assembler *a, struct ctx *c,
			   const struct pattern_hit *hit)
{
	set_str(&cur(a, c)->tls_version, hit->cap[CAP_version]);
}

static void on_cipher(struct assembler *a, struct ctx *c,
		      const struct pattern_hit *hit)
{
	set_str(&cur(a, c)->cipher, hit->cap[CAP_value]);
}

static void on_cert_msg_consumed(struct assembler *a, struct ctx *c,
				 const struct pattern_hit *hit)
{
	struct handshake *h = cur(a, c);
	if (h->role == ROLE_UNKNOWN)
		h->role = slice_eq(hit->cap[CAP_value], "client") ? ROLE_SERVER
								  : ROLE_CLIENT;
	evidence(a, h, c->lineno, c->env);
	capture_begin(a, a->threads[c->thread].hs, CAPTURE_PEER);
}

static void on_other_certs(struct assembler *a, struct ctx *c,
			   const struct pattern_hit *hit)
{
	capture_begin(a, -1, CAPTURE_OTHER);
}

static void on_classic_cert_chain(struct assembler *a, struct ctx *c,
				  const struct pattern_hit *hit)
{
	struct thread_slot *t = &a->threads[c->thread];
	struct handshake *h = cur(a, c);
	/* The peer's chain comes before ServerHelloDone on a client and after
	 * it on a server; the other one is our own. */
	bool shd = t->seen_server_hello_done;
	bool peer = h->role == ROLE_SERVER ? shd : !shd;
	if (peer)
		evidence(a, h, c->lineno, c->env);
	a->s.classic_block = true;
	capture_begin(a, peer ? t->hs : -1, peer ? CAPTURE_PEER : CAPTURE_OTHER);
}

static void close_classic_block(struct assembler *a)
{
	if (!a->s.classic_block)
		return;
	a->s.classic_block = false;
	capture_end(a);
}

static void on_classic_block_end(struct assembler *a, struct ctx *c,
				 const struct pattern_hit *hit)
{
	close_classic_block(a);
}

static void on_classic_server_hello_done(struct assembler *a, struct ctx *c,
					 const struct pattern_hit *hit)
{
	close_classic_block(a);
	a->threads[c->thread].seen_server_hello_done = true;
	cur(a, c);
}

static void on_classic_marker(struct assembler *a, struct ctx *c,
			      const struct pattern_hit *hit)
{
	close_classic_block(a);
	cur(a, c);
}

static void on_classic_finished(struct assembler *a, struct ctx *c,
				const struct pattern_hit *hit)
{
	close_classic_block(a);
	struct handshake *h = cur(a, c);
	/* One Finished each way: the first is ours on a client that sends
	 * first, but either way two of them mean both were exchanged. */
	if (++a->threads[c->thread].classic_finished >= 2) {
		h->finished_sent = h->finished_received = true;
		hs_check_finished(h);
	}
}

static void on_classic_trusted(struct assembler *a, struct ctx *c,
			       const struct pattern_hit *hit)
{
	close_classic_block(a);
	capture_begin(a, -1, CAPTURE_OTHER);
}

static void on_classic_rw(struct assembler *a, struct ctx *c,
			  const struct pattern_hit *hit)
{
	a->threads[c->thread].last_read = hit->event == EV_CLASSIC_READ;
}

static void on_cert_field(struct assembler *a, struct ctx *c,
			  const struct pattern_hit *hit)
{
	cert_field(a, hit->event, hit);
}

static void on_finished(struct assembler *a, struct ctx *c,
			const struct pattern_hit *hit)
{
	struct handshake *h = cur(a, c);
	if (hit->event == EV_FINISHED_PRODUCED)
		h->finished_sent = true;
	else
		h->finished_received = true;
	hs_check_finished(h);
}

static void on_fatal_alert_sent(struct assembler *a, struct ctx *c,
				const struct pattern_hit *hit)
{
	struct handshake *h = cur(a, c);
	if (h->outcome == OUTCOME_OK)
		return;
	hs_fail(h);
	if (!h->alert_sent)
		h->alert_sent = lower_dup(hit->cap[CAP_alert]);
	if (!h->failure_text && hit->cap[CAP_detail].n)
		h->failure_text = field_dup(slice_trim(hit->cap[CAP_detail]));
	evidence(a, h, c->lineno, c->env);
}

static void alert_received(struct assembler *a, struct ctx *c,
			   struct slice alert)
{
	struct handshake *h = cur(a, c);
	if (h->outcome == OUTCOME_OK || !alert.n ||
	    slice_eq(alert, "close_notify") || slice_eq(alert, "user_canceled"))
		return;
	hs_fail(h);
	if (!h->alert_received)
		h->alert_received = lower_dup(alert);
	evidence(a, h, c->lineno, c->env);
}

static void on_alert_received(struct assembler *a, struct ctx *c,
			      const struct pattern_hit *hit)
{
	/* The JDK 11+ record names the alert in its body (below). */
	if (hit->cap[CAP_alert].n) {
		alert_received(a, c, hit->cap[CAP_alert]);
	} else {
		cur(a, c);
		a->s.alert_record = a->s.in_record;
	}
}

static void on_alert_description(struct assembler *a, struct ctx *c,
				 const struct pattern_hit *hit)
{
	if (a->s.in_record && a->s.alert_record)
		alert_received(a, c, hit->cap[CAP_alert]);
}

static void on_handshake_exception(struct assembler *a, struct ctx *c,
				   const struct pattern_hit *hit)
{
	struct handshake *h = cur(a, c);
	if (h->outcome == OUTCOME_OK)
		return;
	hs_fail(h);
	if (!h->failure_text && hit->cap[CAP_detail].n)
		h->failure_text = field_dup(slice_trim(hit->cap[CAP_detail]));
	evidence(a, h, c->lineno, c->env);
}

static void on_pkix(struct assembler *a, struct ctx *c,
		    const struct pattern_hit *hit)
{
	struct handshake *h = cur(a, c);
	if (h->outcome == OUTCOME_OK)
		return;
	hs_fail(h);
	h->pkix_failed = true;
}

/* Any other failure text: remembered in h->events for the diagnosis. */
static void on_cause(struct assembler *a, struct ctx *c,
		     const struct pattern_hit *hit)
{
	struct handshake *h = cur(a, c);
	if (h->outcome != OUTCOME_OK && hit->event != EV_PEER_CLOSED_TEXT)
		hs_fail(h);
	if (hit->event == EV_PEER_CLOSED_TEXT && h->outcome != OUTCOME_OK)
		h->outcome = OUTCOME_FAILED;
}

static const handler_fn debug_handlers[EV__COUNT] = {
	[EV_SSL_HANDSHAKE_EXCEPTION] = on_handshake_exception,
	[EV_PKIX_PATH_BUILDING_FAILED] = on_pkix,
	[EV_PKIX_VALIDATION_FAILED] = on_pkix,
	[EV_FATAL_ALERT_SENT] = on_fatal_alert_sent,
	[EV_ALERT_RECEIVED] = on_alert_received,
	[EV_ALERT_DESCRIPTION] = on_alert_description,
	[EV_CERT_EXPIRED_TEXT] = on_cause,
	[EV_HOSTNAME_MISMATCH_TEXT] = on_cause,
	[EV_PEER_CLOSED_TEXT] = on_cause,
	[EV_PROTOCOL_MISMATCH_TEXT] = on_cause,
	[EV_CIPHER_MISMATCH_TEXT] = on_cause,
	[EV_REVOKED_TEXT] = on_cause,
	[EV_CHAINING_FAILED_TEXT] = on_cause,
	[EV_CLIENT_CERT_MISSING_TEXT] = on_cause,
	[EV_EKU_REJECTED_TEXT] = on_cause,
	[EV_CLIENT_HELLO_PRODUCED] = on_client_hello_produced,
	[EV_CLIENT_HELLO_CONSUMED] = on_client_hello_consumed,
	[EV_SERVER_HELLO_PRODUCED] = on_server_hello,
	[EV_SERVER_HELLO_CONSUMED] = on_server_hello,
	[EV_HELLO_RETRY_REQUEST] = on_hello_retry,
	[EV_SNI] = on_sni,
	[EV_TLS_VERSION] = on_tls_version,
	[EV_CIPHER_SUITE] = on_cipher,
	[EV_CERT_MSG_CONSUMED] = on_cert_msg_consumed,
	[EV_CERT_MSG_PRODUCED] = on_other_certs,
	[EV_TRUSTED_CERT] = on_other_certs,
	[EV_CERT_ENTRY] = on_cert_field,
	[EV_CERT_SUBJECT] = on_cert_field,
	[EV_CERT_ISSUER] = on_cert_field,
	[EV_CERT_NOT_BEFORE] = on_cert_field,
	[EV_CERT_NOT_AFTER] = on_cert_field,
	[EV_CERT_SERIAL] = on_cert_field,
	[EV_FINISHED_CONSUMED] = on_finished,
	[EV_FINISHED_PRODUCED] = on_finished,
	[EV_CLASSIC_READ] = on_classic_rw,
	[EV_CLASSIC_WRITE] = on_classic_rw,
	[EV_CLASSIC_CLIENT_HELLO] = on_classic_client_hello,
	[EV_CLASSIC_SERVER_HELLO] = on_server_hello,
	[EV_CLASSIC_CERT_CHAIN] = on_classic_cert_chain,
	[EV_CLASSIC_CERT_REQUEST] = on_classic_marker,
	[EV_CLASSIC_SERVER_HELLO_DONE] = on_classic_server_hello_done,
	[EV_CLASSIC_FINISHED] = on_classic_finished,
	[EV_CLASSIC_BLOCK_END] = on_classic_block_end,
	[EV_CLASSIC_TRUSTED_CERT] = on_classic_trusted,
};

/* Events that do not need a handshake to be under way to mean something:
 * structure events only count where a record or block gives them one. */
static bool event_needs_context(enum ss_event ev)
{
	switch (ev) {
	case EV_CERT_ENTRY: case EV_CERT_SUBJECT: case EV_CERT_ISSUER:
	case EV_CERT_NOT_BEFORE: case EV_CERT_NOT_AFTER: case EV_CERT_SERIAL:
	case EV_CERT_EMPTY: case EV_ALERT_LEVEL: case EV_ALERT_DESCRIPTION:
	case EV_CIPHER_SUITE: case EV_CLASSIC_BLOCK_END:
		return true;
	default:
		return false;
	}
}

/* ---- application lines ------------------------------------------------ */

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

static void app_hit(struct ctx *c, const struct pattern_hit *hit)
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
	case EV_ALERT_RECEIVED:
	case EV_CERT_EXPIRED_TEXT: case EV_HOSTNAME_MISMATCH_TEXT:
	case EV_PEER_CLOSED_TEXT: case EV_PROTOCOL_MISMATCH_TEXT:
	case EV_CIPHER_MISMATCH_TEXT: case EV_REVOKED_TEXT:
	case EV_CHAINING_FAILED_TEXT: case EV_CLIENT_CERT_MISSING_TEXT:
	case EV_EKU_REJECTED_TEXT:
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

static void app_symptom(struct assembler *a, struct ctx *c)
{
	struct stream *s = &a->s;
	const struct envline *env = c->env;
	if (is_continuation(env->msg) && s->last_symptom >= 0 &&
	    c->lineno - s->last_symptom_line <= 100) {
		/* "Caused by: ... PKIX path building failed" deepens the
		 * symptom above it rather than being another one. */
		struct symptom *prev = &a->r->symptoms[s->last_symptom];
		prev->pkix |= c->pkix;
		prev->events |= c->events;
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
	if (c->host.n)
		sy->host = field_dup(c->host);
	sy->port = parse_port(c->port);
	sy->pkix = c->pkix;
	sy->events = c->events;
	struct slice m = slice_trim(env->msg);
	sy->text = xmemdup0(m.p, m.n > 400 ? 400 : m.n);
	s->last_symptom = (long)(a->r->n_symptoms - 1);
	s->last_symptom_line = c->lineno;
}

/* ---- one line --------------------------------------------------------- */

static bool hits_have_debug_event(const struct pattern_hit *hits, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (hits[i].event >= EV_CLIENT_HELLO_PRODUCED)
			return true;
	return false;
}

static void record_close(struct assembler *a)
{
	capture_end(a);
	a->s.in_record = false;
	a->s.alert_record = false;
}

/* Classic JDK 8 prints its first lines ("*** ClientHello") before any
 * "thread, verb" line names the thread: the handshake they opened on the
 * unnamed thread is handed to the first thread named. */
static void adopt_unnamed(struct assembler *a, size_t named)
{
	size_t anon = thread_slot(a, SLICE_NULL);
	struct thread_slot *from = &a->threads[anon], *to = &a->threads[named];
	if (anon == named || from->hs < 0 || to->hs >= 0)
		return;
	struct handshake *h = hs_at(a, from->hs);
	free(h->thread);
	h->thread = xstrdup(to->name);
	to->hs = from->hs;
	to->seen_server_hello_done = from->seen_server_hello_done;
	to->last_read = from->last_read;
	to->classic_finished = from->classic_finished;
	from->hs = -1;
}

/* Decides whether the line is debug output and on which thread. */
static void classify_line(struct assembler *a, struct ctx *c,
			  const struct pattern_hit *hits, size_t n_hits)
{
	struct stream *s = &a->s;
	const struct envline *env = c->env;
	if (env->inner == INNER_JSSE) {
		if (s->in_record)
			record_close(a);
		close_classic_block(a);
		c->thread = thread_slot(a, env->jsse_thread);
		s->record_thread = c->thread;
		/* "message (" opens a body that ")" closes; newer JDKs end the
		 * header with "message:" and the body runs to the next header. */
		struct slice m = slice_trim(env->msg);
		s->in_record = slice_ends(m, "(") || slice_ends(m, ":");
		c->debug = true;
	} else if (s->in_record) {
		c->thread = s->record_thread;
		c->debug = true;
	} else if (env->inner == INNER_CLASSIC) {
		c->thread = thread_slot(a, env->jsse_thread);
		if (!s->have_classic_thread)
			adopt_unnamed(a, c->thread);
		s->classic_thread = c->thread;
		s->have_classic_thread = true;
		c->debug = true;
	} else if (s->classic_block || hits_have_debug_event(hits, n_hits)) {
		c->thread = s->have_classic_thread ? s->classic_thread
						   : thread_slot(a, SLICE_NULL);
		c->debug = true;
	}
}

void assembler_line(struct assembler *a, uint64_t lineno,
		    const struct envline *env, const struct pattern_hit *hits,
		    size_t n_hits)
{
	struct ctx c = {.lineno = lineno, .env = env};
	if (a->n_threads >= MAX_THREADS)
		evict_threads(a);
	classify_line(a, &c, hits, n_hits);
	bool closing = a->s.in_record && env->inner != INNER_JSSE &&
		       slice_eq(slice_trim(env->msg), ")");
	bool in_block = a->s.in_record || a->s.classic_block;
	for (size_t i = 0; i < n_hits; i++) {
		enum ss_event ev = hits[i].event;
		if (!c.debug) {
			app_hit(&c, &hits[i]);
			continue;
		}
		if (event_needs_context(ev) && !in_block)
			continue;
		if (debug_handlers[ev])
			debug_handlers[ev](a, &c, &hits[i]);
		long hs = a->threads[c.thread].hs;
		if (hs >= 0)
			a->r->handshakes[hs].events |= EVBIT(ev);
	}
	if (c.sym)
		app_symptom(a, &c);
	if (closing)
		record_close(a);
	compact(a);
}

void assembler_end_input(struct assembler *a)
{
	/* A certificate block still open was cut off by the end of the log:
	 * its handshake keeps CERTS_CUT.  Nothing else needs closing. */
	a->s.in_record = false;
	a->s.classic_block = false;
	a->s.capture = CAPTURE_NONE;
	a->s.capture_hs = -1;
	reset_threads(a);
	compact(a);
}
