/* correlate.c - see correlate.h.
 *
 * Symptoms are taken in report order (file, line) and each is tied to at
 * most one handshake, by the first rule that finds one:
 *
 *   1. same thread, close in time: a failed (or unknown) handshake first,
 *      an ok one only if no other is there, then the nearest;
 *   2. any failed or unknown handshake, nearest in time;
 *   3. when a timestamp is missing on either side: in the same file, the
 *      nearest preceding failed or unknown handshake (of the same thread
 *      when the symptom names one) within FALLBACK_LINES lines.
 *
 * "Close in time" means the symptom lies in [from - W, at + W], where at is
 * the handshake's end (or start) and from its start, W the window, and no
 * earlier than at - 2W; the nearest is the one whose at is nearest, one
 * that ends before the symptom on a draw, then the first in the report.
 * Every rule refuses a handshake to another host (or port) than the one
 * the symptom names (or, if it names one, to a handshake this JVM answered
 * as the server), and a PKIX symptom never goes to a handshake that
 * finished: its path validation succeeded.
 *
 * Later symptoms see what earlier ones changed: a host filled in by one
 * keeps a symptom naming another host away.
 *
 * The handshakes are looked up through sorted indexes, by (thread, time),
 * by time, by (peer host, time) and by (file, line), and a time search
 * walks outwards from the symptom only until nothing nearer can come, so
 * the cost is O((H + S) log(H + S)) plus the handshakes each symptom has
 * to pass over (at most SCAN_LIMIT each way).  The symptoms nothing
 * explains are then grouped per failure and become handshakes of their
 * own, with the peer's certificates not captured -- unless a failure the
 * detail caps counted without keeping it (compact.h) explains them: same
 * host, within the window of its times; then they are counted with it. */
#include "config.h"
#include "correlate.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util.h"

/* How far back in its file an untimed symptom looks for its handshake. */
#define FALLBACK_LINES 500
/* Untimed symptoms of one failure are no further apart than this. */
#define GROUP_LINES 20
/* A backstop for logs with thousands of handshakes a second that the
 * symptom cannot be about (another host, another port): each way, a time
 * search looks at no more handshakes than this. */
#define SCAN_LIMIT 10000

/* A timed handshake as the time indexes see it. */
struct hs_ref {
	const char *key;      /* thread, peer host or NULL; borrowed */
	int64_t at;           /* ts_end, else ts_start */
	int64_t from;         /* ts_start, else at */
	size_t idx;
};

/* A handshake as the by-line index sees it. */
struct line_ref {
	uint32_t file;
	uint64_t line;
	size_t idx;
};

/* A symptom as sorting and grouping see it (all borrowed). */
struct sym_ref {
	const char *thread;
	const char *host;
	int64_t ts;
	uint32_t file;
	uint64_t line;
	size_t idx;
};

/* Timed handshakes sorted by (key, at, idx). */
struct time_index {
	struct hs_ref *v;
	size_t n;
	bool fold;            /* keys are host names: compare ignoring case */
};

struct indexes {
	struct time_index thread_failed;  /* failed or unknown, by thread */
	struct time_index thread_ok;      /* ok, by thread */
	struct time_index failed;         /* failed or unknown, key NULL */
	struct time_index host_failed;    /* failed or unknown, by peer host */
	struct line_ref *by_line;         /* all, by (file, line, idx) */
	size_t n_by_line;
};

/* The best candidate so far of a time search. */
struct pick {
	long idx;        /* -1: none yet */
	uint64_t dist;   /* |symptom ts - at| */
	bool before;     /* the symptom precedes at */
	uint32_t file;   /* where the handshake is: the last tie-break, */
	uint64_t line;   /* so that the array order does not matter */
};

struct search {
	const struct report *r;
	const struct symptom *s;
	const struct time_index *t;
	const char *key;      /* the part of the index walked */
	struct pick best;
};

/* A group of unexplained symptoms, members m[start .. start + n), and
 * where its first member is in the report. */
struct group {
	size_t start, n;
	uint32_t file;
	uint64_t line;
	size_t idx;
};

/* ---- small helpers ------------------------------------------------- */

static int str_cmp_null(const char *a, const char *b)
{
	if (!a || !b)
		return (a != NULL) - (b != NULL);
	return strcmp(a, b);
}

static int host_cmp_null(const char *a, const char *b)
{
	if (!a || !b)
		return (a != NULL) - (b != NULL);
	return strcasecmp(a, b);
}

static int cmp_u64(uint64_t a, uint64_t b)
{
	return (a > b) - (a < b);
}

static int cmp_i64(int64_t a, int64_t b)
{
	return (a > b) - (a < b);
}

/* |a - b| without overflow. */
static uint64_t gap(int64_t a, int64_t b)
{
	return a >= b ? (uint64_t)a - (uint64_t)b : (uint64_t)b - (uint64_t)a;
}

static int64_t hs_time(const struct handshake *h)
{
	return h->ts_end != TS_NONE ? h->ts_end : h->ts_start;
}

static int64_t hs_from(const struct handshake *h, int64_t at)
{
	return h->ts_start == TS_NONE || h->ts_start > at ? at : h->ts_start;
}

static bool is_failure_kind(enum symptom_kind k)
{
	return k == SYM_SSL_HANDSHAKE_EXCEPTION || k == SYM_SOCKET_CLOSED ||
	       k == SYM_PEER_NOT_AUTHENTICATED;
}

/* Whether the symptom may be about this handshake at all.  A handshake
 * that finished passed path validation: a PKIX line is not about it. */
static bool compatible(const struct symptom *s, const struct handshake *h)
{
	if (h->outcome == OUTCOME_OK && s->pkix)
		return false;
	if (s->host && h->peer_host && strcasecmp(s->host, h->peer_host) != 0)
		return false;
	/* a line naming the endpoint called is about an outbound call: not
	 * about a handshake this JVM answered as the server */
	if (s->host && h->role == ROLE_SERVER)
		return false;
	if (s->port > 0 && h->peer_port > 0 && s->port != h->peer_port)
		return false;
	return true;
}

/* ---- indexes ------------------------------------------------------- */

static int key_cmp(bool fold, const char *a, const char *b)
{
	return fold ? host_cmp_null(a, b) : str_cmp_null(a, b);
}

static int hs_ref_order(bool fold, const struct hs_ref *a,
			const struct hs_ref *b)
{
	int c = key_cmp(fold, a->key, b->key);
	if (!c)
		c = cmp_i64(a->at, b->at);
	return c ? c : cmp_u64(a->idx, b->idx);
}

static int hs_ref_cmp(const void *a, const void *b)
{
	return hs_ref_order(false, a, b);
}

static int hs_ref_cmp_fold(const void *a, const void *b)
{
	return hs_ref_order(true, a, b);
}

static int line_ref_cmp(const void *pa, const void *pb)
{
	const struct line_ref *a = pa, *b = pb;
	int c = cmp_u64(a->file, b->file);
	if (!c)
		c = cmp_u64(a->line, b->line);
	return c ? c : cmp_u64(a->idx, b->idx);
}

static void index_add(struct time_index *t, struct hs_ref ref)
{
	t->v[t->n++] = ref;
}

static void index_handshake(struct indexes *ix, const struct handshake *h,
			    size_t i)
{
	ix->by_line[ix->n_by_line++] =
		(struct line_ref){h->file, h->line, i};
	int64_t at = hs_time(h);
	if (at == TS_NONE)
		return;
	struct hs_ref ref = {h->thread, at, hs_from(h, at), i};
	bool ok = h->outcome == OUTCOME_OK;
	if (h->thread)
		index_add(ok ? &ix->thread_ok : &ix->thread_failed, ref);
	if (ok)
		return;
	ref.key = NULL;
	index_add(&ix->failed, ref);
	ref.key = h->peer_host;
	index_add(&ix->host_failed, ref);
}

static void time_index_alloc(struct time_index *t, size_t n, bool fold)
{
	t->v = xcalloc(n, sizeof *t->v);
	t->n = 0;
	t->fold = fold;
}

static void time_index_sort(struct time_index *t)
{
	qsort(t->v, t->n, sizeof *t->v,
	      t->fold ? hs_ref_cmp_fold : hs_ref_cmp);
}

static void indexes_build(struct indexes *ix, const struct report *r)
{
	size_t n = r->n_handshakes;
	time_index_alloc(&ix->thread_failed, n, false);
	time_index_alloc(&ix->thread_ok, n, false);
	time_index_alloc(&ix->failed, n, false);
	time_index_alloc(&ix->host_failed, n, true);
	ix->by_line = xcalloc(n, sizeof *ix->by_line);
	ix->n_by_line = 0;
	for (size_t i = 0; i < n; i++)
		index_handshake(ix, &r->handshakes[i], i);
	time_index_sort(&ix->thread_failed);
	time_index_sort(&ix->thread_ok);
	time_index_sort(&ix->failed);
	time_index_sort(&ix->host_failed);
	qsort(ix->by_line, ix->n_by_line, sizeof *ix->by_line, line_ref_cmp);
}

static void indexes_free(struct indexes *ix)
{
	free(ix->thread_failed.v);
	free(ix->thread_ok.v);
	free(ix->failed.v);
	free(ix->host_failed.v);
	free(ix->by_line);
}

/* The first entry not below (key, at). */
static size_t hs_lower_bound(const struct time_index *t, const char *key,
			     int64_t at)
{
	const struct hs_ref *v = t->v;
	size_t lo = 0, hi = t->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = key_cmp(t->fold, v[mid].key, key);
		if (!c)
			c = cmp_i64(v[mid].at, at);
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The first entry not below (file, line). */
static size_t line_lower_bound(const struct line_ref *v, size_t n,
			       uint32_t file, uint64_t line)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = cmp_u64(v[mid].file, file);
		if (!c)
			c = cmp_u64(v[mid].line, line);
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* ---- rules 1 and 2: the nearest in time ---------------------------- */

static bool pick_better(const struct pick *a, const struct pick *b)
{
	if (a->idx < 0 || b->idx < 0)
		return a->idx >= 0;
	if (a->dist != b->dist)
		return a->dist < b->dist;
	if (a->before != b->before)
		return !a->before;      /* symptoms usually follow */
	if (a->file != b->file)
		return a->file < b->file;
	if (a->line != b->line)
		return a->line < b->line;
	return a->idx < b->idx;
}

/* Nothing at this distance or beyond can beat the best any more. */
static bool search_done(const struct search *q, uint64_t dist)
{
	return q->best.idx >= 0 && dist > q->best.dist;
}

static void consider(struct search *q, const struct hs_ref *ref,
		     uint64_t dist, bool before)
{
	const struct handshake *h = &q->r->handshakes[ref->idx];
	if (!compatible(q->s, h))
		return;
	struct pick p = {(long)ref->idx, dist, before, h->file, h->line};
	if (pick_better(&p, &q->best))
		q->best = p;
}

static bool in_part(const struct search *q, const struct hs_ref *ref)
{
	return key_cmp(q->t->fold, ref->key, q->key) == 0;
}

/* Handshakes whose time is before the symptom's, nearest first. */
static void walk_back(struct search *q, size_t pos)
{
	const struct hs_ref *v = q->t->v;
	size_t stop = pos > SCAN_LIMIT ? pos - SCAN_LIMIT : 0;
	for (size_t i = pos; i-- > stop && in_part(q, &v[i]);) {
		uint64_t dist = gap(q->s->ts, v[i].at);
		if (dist > CORRELATE_WINDOW_MS || search_done(q, dist))
			break;
		consider(q, &v[i], dist, false);
	}
}

/* Handshakes whose time is at or after the symptom's, nearest first.  A
 * handshake that stalled longer than the window counts by its last window
 * only: a symptom earlier than that is about something else. */
static void walk_forward(struct search *q, size_t pos)
{
	const struct hs_ref *v = q->t->v;
	int64_t t = q->s->ts;
	size_t stop = q->t->n - pos > SCAN_LIMIT ? pos + SCAN_LIMIT : q->t->n;
	for (size_t i = pos; i < stop && in_part(q, &v[i]); i++) {
		uint64_t dist = gap(v[i].at, t);
		if (dist > 2 * (uint64_t)CORRELATE_WINDOW_MS ||
		    search_done(q, dist))
			break;
		if (v[i].from > t && gap(v[i].from, t) > CORRELATE_WINDOW_MS)
			continue;
		consider(q, &v[i], dist, dist > 0);
	}
}

/* Walks outwards from the symptom's time, through the part of the index
 * under key, while something better can still come: all entries of one
 * index rank the same but for the distance. */
static struct pick search_time(const struct report *r,
			       const struct time_index *t,
			       const struct symptom *s, const char *key)
{
	struct search q = {r, s, t, key, {.idx = -1}};
	size_t pos = hs_lower_bound(t, key, s->ts);
	walk_back(&q, pos);
	walk_forward(&q, pos);
	return q.best;
}

/* Rule 2.  A symptom that names a host need only look at the handshakes
 * to that host and those to no known host. */
static long search_failed(const struct report *r, const struct indexes *ix,
			  const struct symptom *s)
{
	if (!s->host)
		return search_time(r, &ix->failed, s, NULL).idx;
	struct pick same = search_time(r, &ix->host_failed, s, s->host);
	struct pick none = search_time(r, &ix->host_failed, s, NULL);
	return pick_better(&same, &none) ? same.idx : none.idx;
}

/* ---- rule 3: the nearest preceding in the same file ---------------- */

static bool line_candidate(const struct symptom *s, const struct handshake *h)
{
	if (s->ts != TS_NONE && hs_time(h) != TS_NONE)
		return false;      /* rules 1 and 2 judged it by time */
	if (s->thread && str_cmp_null(s->thread, h->thread) != 0)
		return false;
	return h->outcome != OUTCOME_OK && compatible(s, h);
}

static long search_lines(const struct report *r, const struct indexes *ix,
			 const struct symptom *s)
{
	const struct line_ref *v = ix->by_line;
	size_t pos = line_lower_bound(v, ix->n_by_line, s->file, s->line);
	for (size_t i = pos; i-- > 0;) {
		if (v[i].file != s->file ||
		    s->line - v[i].line > FALLBACK_LINES)
			break;
		if (line_candidate(s, &r->handshakes[v[i].idx]))
			return (long)v[i].idx;
	}
	return -1;
}

static long find_handshake(const struct report *r, const struct indexes *ix,
			   const struct symptom *s)
{
	long hi = -1;
	if (s->ts != TS_NONE && s->thread) {
		hi = search_time(r, &ix->thread_failed, s, s->thread).idx;
		if (hi < 0)
			hi = search_time(r, &ix->thread_ok, s, s->thread).idx;
	}
	if (hi < 0 && s->ts != TS_NONE)
		hi = search_failed(r, ix, s);
	if (hi < 0)
		hi = search_lines(r, ix, s);
	return hi;
}

/* ---- tying ----------------------------------------------------------- */

/* The symptom names the peer the debug log did not (JDK 11+ logs the SNI
 * but not the port). */
static void fill_peer(struct handshake *h, const struct symptom *s)
{
	if (!s->host)
		return;
	if (!h->peer_host) {
		h->peer_host = xstrdup(s->host);
		h->peer_port = s->port;
	} else if (h->peer_port <= 0 && s->port > 0 &&
		   strcasecmp(h->peer_host, s->host) == 0) {
		h->peer_port = s->port;
	}
}

static void tie(struct report *r, size_t si, size_t hi)
{
	struct symptom *s = &r->symptoms[si];
	struct handshake *h = &r->handshakes[hi];
	s->handshake = (long)hi;
	handshake_add_symptom(h, si);
	fill_peer(h, s);
	bool failure = is_failure_kind(s->kind) || s->pkix;
	if (h->outcome == OUTCOME_UNKNOWN && failure)
		h->outcome = OUTCOME_FAILED;
	if (s->pkix)
		h->pkix_failed = true;
}

static struct sym_ref sym_ref_of(const struct report *r, size_t i)
{
	const struct symptom *s = &r->symptoms[i];
	return (struct sym_ref){s->thread, s->host, s->ts, s->file, s->line, i};
}

static int report_order_cmp(const void *pa, const void *pb)
{
	const struct sym_ref *a = pa, *b = pb;
	int c = cmp_u64(a->file, b->file);
	if (!c)
		c = cmp_u64(a->line, b->line);
	return c ? c : cmp_u64(a->idx, b->idx);
}

/* ---- symptoms of handshakes the detail caps left out ---------------- */

/* Tallies looked at per symptom, at most: the biggest failed ones. */
#define MAX_TALLY_CANDIDATES 256

/* Does peer ("host" or "host:port") name the symptom's host and port? */
static bool peer_matches(const char *peer, const struct symptom *s)
{
	size_t n = strlen(s->host);
	if (strncasecmp(peer, s->host, n) != 0 ||
	    (peer[n] != '\0' && peer[n] != ':'))
		return false;
	return s->port <= 0 || peer[n] != ':' || atoi(peer + n + 1) == s->port;
}

/* Whether the failed handshakes counted in t (compact.h) may explain s:
 * the same host where both name one, and s within the window around
 * their times (untimed: within FALLBACK_LINES of their lines). */
static bool tally_explains(const struct tally *t, const struct symptom *s)
{
	if (s->host && t->peer && !peer_matches(t->peer, s))
		return false;
	if (s->ts != TS_NONE && t->ts_first != TS_NONE)
		return s->ts >= t->ts_first - CORRELATE_WINDOW_MS &&
		       s->ts <= t->ts_last + CORRELATE_WINDOW_MS;
	return s->file == t->file && s->line + FALLBACK_LINES >= t->line_first &&
	       s->line <= t->line_last + FALLBACK_LINES;
}

struct tally_ref {
	size_t omitted;
	size_t idx;
};

static int tally_ref_cmp(const void *pa, const void *pb)
{
	const struct tally_ref *a = pa, *b = pb;
	if (a->omitted != b->omitted)
		return a->omitted > b->omitted ? -1 : 1;
	return cmp_u64(a->idx, b->idx);
}

/* Indices of the failed tallies with omitted handshakes, biggest first,
 * at most MAX_TALLY_CANDIDATES of them. */
static size_t failed_tallies(const struct report *r, size_t *out)
{
	struct tally_ref *v = xcalloc(r->n_tallies + 1, sizeof *v);
	size_t n = 0;
	for (size_t i = 0; i < r->n_tallies; i++) {
		const struct tally *t = &r->tallies[i];
		if (t->omitted && diag_info(t->code)->severity == SEV_ERROR)
			v[n++] = (struct tally_ref){t->omitted, i};
	}
	qsort(v, n, sizeof *v, tally_ref_cmp);
	if (n > MAX_TALLY_CANDIDATES)
		n = MAX_TALLY_CANDIDATES;
	for (size_t i = 0; i < n; i++)
		out[i] = v[i].idx;
	free(v);
	return n;
}

/* A symptom no kept handshake explains, but a failure that was counted
 * and not kept does: it is counted with it rather than made a failure of
 * its own. */
static bool absorb(struct report *r, const size_t *cand, size_t n,
		   const struct symptom *s)
{
	for (size_t i = 0; i < n; i++) {
		struct tally *t = &r->tallies[cand[i]];
		if (tally_explains(t, s)) {
			t->symptoms++;
			r->symptoms_omitted++;
			return true;
		}
	}
	return false;
}

/* Ties what it can; returns the symptoms left over, in report order, and
 * their number in *n_loose. */
static struct sym_ref *tie_symptoms(struct report *r, size_t *n_loose)
{
	size_t n = r->n_symptoms;
	struct sym_ref *order = xcalloc(n, sizeof *order);
	for (size_t i = 0; i < n; i++)
		order[i] = sym_ref_of(r, i);
	qsort(order, n, sizeof *order, report_order_cmp);

	struct indexes ix;
	indexes_build(&ix, r);
	size_t *cand = xcalloc(r->n_tallies + 1, sizeof *cand);
	size_t n_cand = failed_tallies(r, cand);
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		const struct symptom *s = &r->symptoms[order[i].idx];
		if (s->handshake >= 0)
			continue;       /* tied by an earlier stage */
		long hi = find_handshake(r, &ix, s);
		if (hi >= 0)
			tie(r, order[i].idx, (size_t)hi);
		else if (!absorb(r, cand, n_cand, s))
			order[k++] = order[i];
	}
	free(cand);
	indexes_free(&ix);
	*n_loose = k;
	return order;
}

/* ---- grouping what nothing explains -------------------------------- */

/* Timed symptoms group by thread, else by host, else with the other
 * symptoms that name neither. */
static int group_class(const struct sym_ref *s)
{
	return s->thread ? 0 : s->host ? 1 : 2;
}

static int timed_cmp(const void *pa, const void *pb)
{
	const struct sym_ref *a = pa, *b = pb;
	int c = group_class(a) - group_class(b);
	if (!c)
		c = str_cmp_null(a->thread, b->thread);
	if (!c && !a->thread)
		c = host_cmp_null(a->host, b->host);
	if (!c)
		c = cmp_i64(a->ts, b->ts);
	return c ? c : report_order_cmp(a, b);
}

static int untimed_cmp(const void *pa, const void *pb)
{
	const struct sym_ref *a = pa, *b = pb;
	int c = cmp_u64(a->file, b->file);
	if (!c)
		c = str_cmp_null(a->thread, b->thread);
	if (!c)
		c = cmp_u64(a->line, b->line);
	return c ? c : cmp_u64(a->idx, b->idx);
}

/* Whether cur continues the failure prev belongs to (sorted neighbours). */
static bool same_failure(const struct sym_ref *prev, const struct sym_ref *cur)
{
	if (str_cmp_null(prev->thread, cur->thread) != 0)
		return false;
	if (cur->ts == TS_NONE)
		return prev->file == cur->file &&
		       cur->line - prev->line <= GROUP_LINES;
	if (!cur->thread && host_cmp_null(prev->host, cur->host) != 0)
		return false;
	return gap(cur->ts, prev->ts) <= CORRELATE_GROUP_MS;
}

/* Splits the sorted members m[from .. to) into groups, appended to g; a
 * thread's lines that name two different hosts are two failures.  Returns
 * the number of groups added. */
static size_t split_groups(const struct sym_ref *m, size_t from, size_t to,
			   struct group *g)
{
	size_t ng = 0;
	const char *host = NULL;
	for (size_t i = from; i < to; i++) {
		bool join = ng > 0 && same_failure(&m[i - 1], &m[i]) &&
			    !(host && m[i].host &&
			      strcasecmp(host, m[i].host) != 0);
		if (!join) {
			g[ng++] = (struct group){i, 0, m[i].file, m[i].line,
						 m[i].idx};
			host = NULL;
		}
		g[ng - 1].n++;
		if (!host)
			host = m[i].host;
	}
	return ng;
}

static int group_cmp(const void *pa, const void *pb)
{
	const struct group *a = pa, *b = pb;
	int c = cmp_u64(a->file, b->file);
	if (!c)
		c = cmp_u64(a->line, b->line);
	return c ? c : cmp_u64(a->idx, b->idx);
}

static void add_failure(struct report *r, const struct sym_ref *m, size_t n)
{
	size_t hi = r->n_handshakes;
	const struct symptom *first = &r->symptoms[m[0].idx];
	struct handshake *h = report_add_handshake(r);
	h->file = first->file;
	h->line = h->last_line = first->line;
	h->ts_start = h->ts_end = first->ts;
	h->thread = first->thread ? xstrdup(first->thread) : NULL;
	h->outcome = OUTCOME_FAILED;
	h->peer_certs_state = CERTS_NOT_CAPTURED;
	h->chain = CHAIN_NOT_CAPTURED;
	if (first->text)
		handshake_add_evidence(h, first->file, first->line, first->text,
				       strlen(first->text));
	for (size_t i = 0; i < n; i++)
		tie(r, m[i].idx, hi);
}

/* Moves the timed symptoms to the front; returns their number. */
static size_t partition_timed(struct sym_ref *m, size_t n)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (m[i].ts == TS_NONE)
			continue;
		struct sym_ref t = m[k];
		m[k++] = m[i];
		m[i] = t;
	}
	return k;
}

/* One handshake per failure, in report order of their first lines. */
static void add_failures(struct report *r, struct sym_ref *m, size_t n)
{
	size_t n_timed = partition_timed(m, n);
	qsort(m, n_timed, sizeof *m, timed_cmp);
	qsort(m + n_timed, n - n_timed, sizeof *m, untimed_cmp);
	struct group *g = xcalloc(n, sizeof *g);
	size_t ng = split_groups(m, 0, n_timed, g);
	ng += split_groups(m, n_timed, n, g + ng);
	qsort(g, ng, sizeof *g, group_cmp);
	for (size_t i = 0; i < ng; i++)
		add_failure(r, &m[g[i].start], g[i].n);
	free(g);
}

void correlate_report(struct report *r)
{
	size_t n_loose = 0;
	struct sym_ref *loose = tie_symptoms(r, &n_loose);
	add_failures(r, loose, n_loose);
	free(loose);
}
