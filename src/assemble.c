/* assemble.c - see assemble.h and assemble_int.h.
 *
 * Two kinds of state:
 *  - per input (struct stream): is a JDK 11+ record body open (a header
 *    ending in "(" opens one, a lone ")" closes it; an expanded record runs
 *    from its "logger" line to a "}" in column 0), is a classic JDK 8
 *    "*** Certificate chain" block open, which thread the classic lines
 *    without a prefix belong to, and where certificate fields go;
 *  - per thread: the handshake under way on that thread (an index into
 *    report.handshakes: the array may move).
 *
 * Classic JDK 8 prints its handshake messages without a thread name: a
 * message a thread read follows its "READ: ... Handshake" line, one it
 * writes comes before its "WRITE:" line.  So the lines without a prefix
 * belong to the thread of the READ (or Change Cipher Spec WRITE) before
 * them, but a ClientHello printed elsewhere is one a client is about to
 * write: it waits in a reserved slot, as a handshake without a thread,
 * until a WRITE names its thread (assemble_classic.c).  Only handshake
 * indices wait, never lines, so memory stays bounded (PENDING_MAX).
 *
 * The handlers of debug events are tables in assemble_events.c (and
 * _auth.c, _expand.c); the application's own lines, the symptoms, are
 * assemble_app.c's.
 *
 * A handshake's outcome: ok once Finished went both ways, failed on a
 * fatal alert either way or an exception.  A TLS 1.3 client has sent its
 * Finished before the server has looked at its certificate, so there an
 * ok is only settled by a NewSessionTicket: a fatal alert before it still
 * fails the handshake. */
#include "config.h"
#include "assemble.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "assemble_int.h"
#include "compact.h"
#include "util.h"

/* A peer's Certificate message holds a handful of certificates; past this
 * the rest are counted, not kept. */
#define MAX_CERTS 32

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

static void stream_reset(struct assembler *a, uint32_t file)
{
	auth_reset(&a->s);
	expand_reset(&a->s.x);
	memset(&a->s, 0, sizeof a->s);
	a->s.file = file;
	a->s.capture_hs = -1;
	a->s.ca_hs = -1;
	a->s.last_symptom = -1;
	a->s.x.ts = TS_NONE;
}

void assembler_free(struct assembler **ap)
{
	struct assembler *a = *ap;
	if (!a)
		return;
	reset_threads(a);
	stream_reset(a, 0);
	free(a->threads);
	free(a);
	*ap = NULL;
}

void assembler_begin_input(struct assembler *a, uint32_t file)
{
	reset_threads(a);
	stream_reset(a, file);
}

bool assembler_in_block(const struct assembler *a)
{
	return a->s.in_record || a->s.classic_block ||
	       a->s.ca_list != CA_LIST_NONE || a->s.cause_next;
}

/* Threads per input are few (tens to hundreds): a linear scan from the
 * most recent is cheaper than hashing for the common case. */
size_t thread_slot(struct assembler *a, struct slice name)
{
	if (name.n > FIELD_MAX)
		name.n = FIELD_MAX;
	a->clock++;
	for (size_t i = a->n_threads; i-- > 0;) {
		struct thread_slot *t = &a->threads[i];
		if (!t->reserved && t->name_len == name.n &&
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

char *field_dup(struct slice v)
{
	return slice_dup(slice_make(v.p, v.n > FIELD_MAX ? FIELD_MAX : v.n));
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
			      (s->have_classic_thread && i == s->classic_thread) ||
			      a->threads[i].reserved;
		if (!pinned && a->threads[i].last_use < keep_from) {
			free(a->threads[i].name);
			continue;
		}
		if (i == s->record_thread)
			s->record_thread = j;
		if (i == s->classic_thread)
			s->classic_thread = j;
		if (i == s->pending_thread)
			s->pending_thread = j;
		a->threads[j++] = a->threads[i];
	}
	a->n_threads = j;
}

/* Judges the handshakes no thread is adding to any more (compact.h). */
static void compact(struct assembler *a)
{
	if (!report_needs_compact(a->r))
		return;
	long **open = xmalloc((a->n_threads + 2 + PENDING_MAX) * sizeof *open);
	size_t n = 0;
	for (size_t i = 0; i < a->n_threads; i++)
		open[n++] = &a->threads[i].hs;
	for (size_t i = 0; i < a->s.n_pending; i++)
		open[n++] = &a->s.pending[i];
	open[n++] = &a->s.capture_hs;
	open[n++] = &a->s.ca_hs;
	report_compact(a->r, open, n);
	free(open);
}

struct handshake *hs_at(struct assembler *a, long i)
{
	return i >= 0 ? &a->r->handshakes[i] : NULL;
}

int64_t line_ts(const struct envline *env)
{
	return env->ts != TS_NONE ? env->ts : env->jsse_ts;
}

/* Starts a handshake on thread slot t. */
long hs_open(struct assembler *a, size_t t, uint64_t lineno,
		    const struct envline *env)
{
	struct handshake *h = report_add_handshake(a->r);
	h->file = a->s.file;
	h->line = h->last_line = lineno;
	h->ts_start = h->ts_end = line_ts(env);
	h->jvm_start = h->jvm_end = env->jsse_ts;
	if (a->threads[t].name[0])
		h->thread = xstrdup(a->threads[t].name);
	long idx = (long)(a->r->n_handshakes - 1);
	struct thread_slot *ts = &a->threads[t];
	ts->hs = idx;
	ts->seen_server_hello_done = false;
	ts->classic_finished = 0;
	ts->ccs_written = false;
	if (ts->reserved) {
		struct stream *s = &a->s;
		if (s->n_pending == PENDING_MAX) {
			/* the oldest is given up: it keeps no thread */
			s->n_pending--;
			memmove(s->pending, s->pending + 1,
				s->n_pending * sizeof *s->pending);
		}
		s->pending[s->n_pending++] = idx;
	}
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
	if (env->jsse_ts != TS_NONE) {
		h->jvm_end = env->jsse_ts;
		if (h->jvm_start == TS_NONE)
			h->jvm_start = env->jsse_ts;
	}
}

void set_str(char **dst, struct slice v)
{
	if (!v.n)
		return;
	free(*dst);
	*dst = field_dup(v);
}

char *lower_dup(struct slice v)
{
	char *s = field_dup(v);
	for (char *p = s; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return s;
}

struct slice cap_text(const struct ctx *c, struct slice v)
{
	v = slice_trim(v);
	if (c->quoted && slice_ends(v, "\","))
		v.n -= 2;
	else if (c->quoted && slice_ends(v, "\""))
		v.n -= 1;
	else if (c->header && slice_ends(v, " ("))
		v.n -= 2;   /* the "(" that opens the record's body */
	else if (c->header && slice_ends(v, ":"))
		v.n -= 1;   /* newer JDKs open the body with "message:" */
	return v;
}

void evidence(struct assembler *a, struct handshake *h, struct ctx *c)
{
	struct slice m = slice_trim(c->env->msg);
	/* "Consuming ... message (" opens a record body: not worth showing */
	if (slice_ends(m, " ("))
		m.n -= 2;
	handshake_add_evidence(h, a->s.file, c->lineno, m.p, m.n);
}

/* ---- certificate fields ------------------------------------------------ */

void capture_begin(struct assembler *a, long hs, enum capture cap)
{
	struct stream *s = &a->s;
	capture_end(a);
	s->capture = cap;
	s->capture_hs = hs;
	if (cap != CAPTURE_PEER || hs < 0)
		return;
	struct handshake *h = hs_at(a, hs);
	/* A second Certificate message from the peer replaces the first. */
	for (size_t i = 0; i < h->n_peer_certs; i++)
		cert_clear(&h->peer_certs[i]);
	h->n_peer_certs = 0;
	h->peer_certs_omitted = 0;
	h->peer_certs_state = CERTS_CUT; /* until the block closes */
}

void capture_end(struct assembler *a)
{
	struct stream *s = &a->s;
	if (s->capture == CAPTURE_PEER && s->capture_hs >= 0)
		hs_at(a, s->capture_hs)->peer_certs_state = CERTS_CAPTURED;
	auth_capture_end(a);
	s->capture = CAPTURE_NONE;
	s->capture_hs = -1;
	s->in_san = false;
}

/* The chain being read has no certificate yet. */
static bool capture_is_empty(struct assembler *a)
{
	const struct handshake *h = hs_at(a, a->s.capture_hs);
	switch (a->s.capture) {
	case CAPTURE_PEER:
		return h && h->n_peer_certs == 0 && !h->peer_certs_omitted;
	case CAPTURE_OWN:
		return h && h->d.n_own_certs == 0;
	default:
		return false;
	}
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

void cert_field(struct assembler *a, enum ss_event ev,
		       const struct pattern_hit *hit)
{
	if (ev == EV_CERT_ENTRY)
		a->s.in_san = false;
	if (auth_cert_field(a, ev, hit))
		return;
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

/* ---- the handshake a line is about -------------------------------------- */

struct handshake *cur(struct assembler *a, struct ctx *c)
{
	long i = hs_current(a, c->thread, c->lineno, c->env);
	struct handshake *h = hs_at(a, i);
	hs_touch(h, c->lineno, c->env);
	h->d.debug_seen = true;
	return h;
}

void close_classic_block(struct assembler *a)
{
	a->s.classic_cert_request = false;
	if (!a->s.classic_block)
		return;
	a->s.classic_block = false;
	capture_end(a);
}

/* ---- one line --------------------------------------------------------- */

/* Debug output's own events; also a fatal alert record ("Fatal (X):
 * ...", "SEND ... ALERT: fatal"), which only the JSSE debug logger
 * writes, wherever its line comes from (JDK 11+ through JUL, where no
 * record header says so). */
static bool hits_have_debug_event(const struct pattern_hit *hits, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (hits[i].event >= EV_CLIENT_HELLO_PRODUCED ||
		    hits[i].event == EV_FATAL_ALERT_SENT)
			return true;
	return false;
}

bool hits_have(const struct pattern_hit *hits, size_t n, enum ss_event ev)
{
	for (size_t i = 0; i < n; i++)
		if (hits[i].event == ev)
			return true;
	return false;
}

void record_close(struct assembler *a)
{
	capture_end(a);
	a->s.in_record = false;
	a->s.alert_record = false;
	a->s.alert_warning = false;
	a->s.hello = HELLO_NONE;
	a->s.ca_list = CA_LIST_NONE;
	a->s.cert_request_rec = false;
	if (a->s.x.open)
		expand_reset(&a->s.x);
}

/* Decides whether the line is debug output and on which thread. */
static void classify_line(struct assembler *a, struct ctx *c,
			  const struct pattern_hit *hits, size_t n_hits)
{
	struct stream *s = &a->s;
	const struct envline *env = c->env;
	if (s->x.open) {
		/* inside an expanded record: its thread, set by its header */
		if (c->header)
			s->record_thread = thread_slot(a, env->jsse_thread);
		c->thread = s->record_thread;
		c->debug = true;
	} else if (env->inner == INNER_JSSE) {
		if (s->in_record)
			record_close(a);
		close_classic_block(a);
		c->thread = thread_slot(a, env->jsse_thread);
		c->header = true;
		s->record_thread = c->thread;
		/* "message (" opens a body that ")" closes; newer JDKs end the
		 * header with "message:" and the body runs to the next header. */
		struct slice m = slice_trim(env->msg);
		s->in_record = slice_ends(m, "(") || slice_ends(m, ":");
		c->debug = true;
	} else if (s->in_record) {
		c->thread = s->record_thread;
		c->debug = true;
	} else if (s->cause_next && env->inner == INNER_NONE) {
		c->thread = s->cause_thread;
		c->debug = true;
	} else if (env->inner == INNER_CLASSIC) {
		c->thread = thread_slot(a, env->jsse_thread);
		classic_named_line(a, c, hits, n_hits);
		/* Older 8u print an empty chain as "*** Certificate chain" with
		 * no "<Empty>" / "***" after it: a thread's next line ends it.
		 * A chain with certificates in it stays open (another thread's
		 * line may come between two of its certificates). */
		if (s->classic_block && c->thread == s->classic_thread &&
		    capture_is_empty(a))
			close_classic_block(a);
		s->classic_thread = c->thread;
		s->have_classic_thread = true;
		c->debug = true;
	} else if (s->classic_block || s->ca_list != CA_LIST_NONE ||
		   s->classic_cert_request ||
		   hits_have_debug_event(hits, n_hits)) {
		c->thread = classic_unnamed_thread(a, hits, n_hits);
		c->debug = true;
	}
}

/* An expanded header's "message" line ends in the quote (and comma) that
 * close its value: captures that run to the end of the line lose them. */
static struct pattern_hit unquote(const struct ctx *c,
				  const struct pattern_hit *hit)
{
	struct pattern_hit h = *hit;
	for (int i = 0; c->quoted && i < CAP__COUNT; i++) {
		struct slice *v = &h.cap[i];
		if (v->n && v->p + v->n == c->line_end)
			*v = cap_text(c, *v);
	}
	return h;
}

/* A JDK 11+ record about a handshake, from a thread that has had none,
 * that does not start one (only a ClientHello, or a server's ServerHello
 * after one, does): an SSLEngine user (the JDK's HttpClient, netty,
 * Tomcat's NIO connector) runs a connection's tasks on whichever pool
 * thread is free, so one handshake's records may come from several. */
static bool continues_elsewhere(enum ss_event ev)
{
	switch (ev) {
	case EV_CLIENT_HELLO_PRODUCED: case EV_CLIENT_HELLO_CONSUMED:
	case EV_SERVER_HELLO_PRODUCED:
		return false;
	default:
		return !is_classic_event(ev);
	}
}

/* Could h, in flight, be the handshake whose record ev is? */
static bool may_continue(const struct handshake *h, enum ss_event ev)
{
	if (h->outcome != OUTCOME_UNKNOWN || h->d.classic)
		return false;
	/* a ServerHello is what a client waits for after its ClientHello */
	return ev != EV_SERVER_HELLO_CONSUMED ||
	       (h->role == ROLE_CLIENT &&
		(h->d.server_hellos == 0 || h->d.hrr_pending));
}

/* Thread slot t joins the handshake in flight on another thread of
 * this input that its record ev may continue, if there is exactly one
 * (with two or more, which one it continues is not knowable, and t
 * starts its own as before). */
static void join_hopped(struct assembler *a, size_t t, enum ss_event ev)
{
	long found = -1;
	for (size_t i = 0; i < a->n_threads; i++) {
		long k = a->threads[i].hs;
		const struct handshake *h = hs_at(a, k);
		if (i == t || a->threads[i].reserved || !h || k == found ||
		    h->file != a->s.file || !may_continue(h, ev))
			continue;
		if (found >= 0)
			return;
		found = k;
	}
	if (found >= 0)
		a->threads[t].hs = found;
}

static void dispatch(struct assembler *a, struct ctx *c,
		     const struct pattern_hit *hits, size_t n_hits,
		     bool in_block)
{
	for (size_t i = 0; i < n_hits; i++) {
		enum ss_event ev = hits[i].event;
		struct pattern_hit hit = unquote(c, &hits[i]);
		if (!c->debug) {
			app_hit(c, &hit);
			continue;
		}
		if (event_needs_context(ev) && !in_block)
			continue;
		if (a->threads[c->thread].hs < 0 && c->header &&
		    continues_elsewhere(ev))
			join_hopped(a, c->thread, ev);
		if (debug_handlers[ev])
			debug_handlers[ev](a, c, &hit);
		long hs = a->threads[c->thread].hs;
		if (hs < 0)
			continue;
		struct handshake *h = &a->r->handshakes[hs];
		h->events |= EVBIT(ev);
		if (c->env->inner == INNER_CLASSIC || is_classic_event(ev))
			h->d.classic = true;
		if (is_message_event(ev))
			h->d.messages_seen = true;
	}
}

static void line(struct assembler *a, uint64_t lineno,
		 const struct envline *env, const struct pattern_hit *hits,
		 size_t n_hits)
{
	struct ctx c = {.lineno = lineno, .env = env,
			.line_end = env->msg.p + env->msg.n};
	struct envline header;
	if (hits_have(hits, n_hits, EV_EXPANDED_RECORD)) {
		/* { "logger" : "javax.net.ssl", ...: an expanded record */
		close_classic_block(a);
		on_expanded_record(a, &c, NULL);
		return;
	}
	if (a->s.x.open && env->inner == INNER_JSSE)
		record_close(a);    /* a compact header ends it too */
	if (a->s.x.open) {
		if (expand_closes(a, env)) {
			record_close(a);
			return;
		}
		if (expand_line(a, &c, &header))
			return;
	}
	bool cause = a->s.cause_next;
	classify_line(a, &c, hits, n_hits);
	a->s.cause_next = false;
	if (cause && c.debug && env->inner == INNER_NONE)
		classic_cause_line(a, &c);
	if (c.debug && auth_raw_line(a, &c))
		return;
	bool closing = a->s.in_record && !a->s.x.open &&
		       env->inner != INNER_JSSE &&
		       slice_eq(slice_trim(env->msg), ")");
	bool in_block = a->s.in_record || a->s.classic_block ||
			a->s.classic_cert_request;
	dispatch(a, &c, hits, n_hits, in_block);
	if (c.sym)
		app_symptom(a, &c);
	if (closing)
		record_close(a);
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
	stream_reset(a, a->s.file);
	compact(a);
}

void assembler_line(struct assembler *a, uint64_t lineno,
		    const struct envline *env, const struct pattern_hit *hits,
		    size_t n_hits)
{
	if (a->n_threads >= MAX_THREADS)
		evict_threads(a);
	line(a, lineno, env, hits, n_hits);
	compact(a);
}
