/* correlate_find.c - which handshake a symptom is about: the indexes over
 * the report's handshakes and the three rules that search them (see
 * correlate_int.h for how correlate.c uses it).
 *
 * Each symptom is tied to at most one handshake, by the first rule that
 * finds one:
 *
 *   1. same thread, close in time: a failed (or unknown) handshake first,
 *      an ok one only if no other is there, then the nearest;
 *   2. any failed or unknown handshake, nearest in time -- one whose
 *      thread is the symptom's as the application log wrote it (cut at
 *      the left, or with a task appended: thread_related()) before any
 *      other;
 *   3. when a timestamp is missing on either side: in the same file, the
 *      nearest preceding failed or unknown handshake (of the same thread
 *      when the symptom names one) within FALLBACK_LINES lines of its
 *      last line, or inside it.
 *
 * "Close in time" means the symptom lies in [from - W, at + W], where at is
 * the handshake's end (or start) and from its start, W the window, and no
 * earlier than at - 2W; the nearest is the one whose at is nearest, one
 * that ends before the symptom on a draw, then the first in the report.
 * Every rule refuses a handshake to another host (or port) than the one
 * the symptom names (or, if it names one, to a handshake this JVM answered
 * as the server), a handshake another node logged (correlate_node.c),
 * and a PKIX symptom never goes to a handshake that finished: its path
 * validation succeeded.  The rules read the handshakes
 * as they are now, so a host that an earlier symptom filled in keeps a
 * symptom naming another host away.
 *
 * A handshake whose debug records' own times (the JVM's clock) are more
 * than the window away from its envelope's (a Tanuki wrapper writes the
 * host's local time; the JVM, and its application log, may run in UTC)
 * is in the time indexes twice, once at each: a line of its own file is
 * on the envelope's clock, a line of another file (the application log
 * the JVM wrote) on the JVM's.
 *
 * The handshakes are looked up through sorted indexes, by (thread, time),
 * by time, by (peer host, time) and by (file, line), and a time search
 * walks outwards from the symptom only until nothing nearer can come, so
 * the cost is O((H + S) log(H + S)) plus the handshakes each symptom has
 * to pass over (at most SCAN_LIMIT each way). */
#include "config.h"
#include "correlate_int.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util.h"

/* A backstop for logs with thousands of handshakes a second that the
 * symptom cannot be about (another host, another port): each way, a time
 * search looks at no more handshakes than this. */
#define SCAN_LIMIT 10000

/* Rule 2: the shortest name a left-truncated thread name is matched by
 * (Spring Boot's default layout keeps the last 15 characters). */
#define TRUNCATED_MIN 10

/* A timed handshake as the time indexes see it. */
enum clock {
	CLOCK_ONLY,           /* the handshake has one time */
	CLOCK_ENVELOPE,       /* of two: its lines' envelope's (the wrapper's) */
	CLOCK_JVM,            /* of two: its debug records' own (the JVM's) */
};

struct hs_ref {
	const char *key;      /* thread, peer host or NULL; borrowed */
	int64_t at;           /* ts_end, else ts_start */
	int64_t from;         /* ts_start, else at */
	size_t idx;
	enum clock clock;
};

/* A handshake as the by-line index sees it. */
struct line_ref {
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

struct correlate_index {
	const struct correlate_nodes *nodes;  /* borrowed */
	struct time_index thread_failed;  /* failed or unknown, by thread */
	struct time_index thread_ok;      /* ok, by thread */
	struct time_index failed;         /* failed or unknown, key NULL */
	struct time_index host_failed;    /* failed or unknown, by peer host */
	struct line_ref *by_line;         /* all, by (file, line, idx) */
	size_t n_by_line;
	uint64_t max_span;                /* the most lines one spans */
};

/* The best candidate so far of a time search. */
struct pick {
	long idx;        /* -1: none yet */
	int rank;        /* 0: the symptom's thread (or one side names none);
			  * 1: another thread */
	uint64_t dist;   /* |symptom ts - at| */
	bool before;     /* the symptom precedes at */
	uint32_t file;   /* where the handshake is: the last tie-break, */
	uint64_t line;   /* so that the array order does not matter */
};

struct search {
	const struct report *r;
	const struct correlate_index *ix;
	const struct symptom *s;
	const struct time_index *t;
	const char *key;      /* the part of the index walked */
	struct pick best;
};

/* ---- small helpers ------------------------------------------------- */

static int64_t hs_time(const struct handshake *h)
{
	return h->ts_end != TS_NONE ? h->ts_end : h->ts_start;
}

static int64_t hs_from(const struct handshake *h, int64_t at)
{
	return h->ts_start == TS_NONE || h->ts_start > at ? at : h->ts_start;
}

/* Whether the symptom may be about this handshake at all.  A handshake
 * that finished passed path validation: a PKIX line is not about it. */
static bool compatible(const struct correlate_index *ix,
		       const struct symptom *s, const struct handshake *h)
{
	if (h->outcome == OUTCOME_OK && s->pkix)
		return false;
	if (!correlate_nodes_related(ix->nodes, s->file, h->file))
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

/* One place of a handshake in the time indexes. */
static void index_at(struct correlate_index *ix, const struct handshake *h,
		     size_t i, int64_t at, int64_t from, enum clock clock)
{
	struct hs_ref ref = {h->thread, at, from, i, clock};
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

static void index_handshake(struct correlate_index *ix,
			    const struct handshake *h, size_t i)
{
	ix->by_line[ix->n_by_line++] =
		(struct line_ref){h->file, h->line, i};
	if (h->last_line > h->line && h->last_line - h->line > ix->max_span)
		ix->max_span = h->last_line - h->line;
	int64_t at = hs_time(h);
	if (at == TS_NONE)
		return;
	int64_t jat = h->jvm_end != TS_NONE ? h->jvm_end : h->jvm_start;
	if (jat == TS_NONE || gap(jat, at) <= CORRELATE_WINDOW_MS) {
		index_at(ix, h, i, at, hs_from(h, at), CLOCK_ONLY);
		return;
	}
	index_at(ix, h, i, at, hs_from(h, at), CLOCK_ENVELOPE);
	int64_t jfrom = h->jvm_start == TS_NONE || h->jvm_start > jat
		? jat : h->jvm_start;
	index_at(ix, h, i, jat, jfrom, CLOCK_JVM);
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

struct correlate_index *correlate_index_new(const struct report *r,
					    const struct correlate_nodes *ns)
{
	struct correlate_index *ix = xcalloc(1, sizeof *ix);
	ix->nodes = ns;
	size_t n = r->n_handshakes;
	/* each handshake at two times at most */
	time_index_alloc(&ix->thread_failed, 2 * n, false);
	time_index_alloc(&ix->thread_ok, 2 * n, false);
	time_index_alloc(&ix->failed, 2 * n, false);
	time_index_alloc(&ix->host_failed, 2 * n, true);
	ix->by_line = xcalloc(n, sizeof *ix->by_line);
	ix->n_by_line = 0;
	for (size_t i = 0; i < n; i++)
		index_handshake(ix, &r->handshakes[i], i);
	time_index_sort(&ix->thread_failed);
	time_index_sort(&ix->thread_ok);
	time_index_sort(&ix->failed);
	time_index_sort(&ix->host_failed);
	qsort(ix->by_line, ix->n_by_line, sizeof *ix->by_line, line_ref_cmp);
	return ix;
}

void correlate_index_free(struct correlate_index **ixp)
{
	struct correlate_index *ix = *ixp;
	if (!ix)
		return;
	free(ix->thread_failed.v);
	free(ix->thread_ok.v);
	free(ix->failed.v);
	free(ix->host_failed.v);
	free(ix->by_line);
	free(ix);
	*ixp = NULL;
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
	if (a->rank != b->rank)
		return a->rank < b->rank;
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

/* Nothing at this distance or beyond can beat the best any more (one of
 * another thread can still lose to a farther one of the symptom's). */
static bool search_done(const struct search *q, uint64_t dist)
{
	return q->best.idx >= 0 && q->best.rank == 0 && dist > q->best.dist;
}

static bool is_name_char(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	       (c >= 'A' && c <= 'Z');
}

/* Whether an application log's thread name a and the debug output's b
 * name one thread: the same, one cut at the left to a fixed width
 * ("nio-8080-exec-1" for "http-nio-8080-exec-1"), or one with a task
 * appended after a separator ("Worker-Expedited:RESTProbe-5f0c..." for
 * "Worker-Expedited"). */
static bool thread_related(const char *a, const char *b)
{
	size_t na = strlen(a), nb = strlen(b);
	if (na > nb) {
		const char *t = a; a = b; b = t;
		size_t n = na; na = nb; nb = n;
	}
	if (na == nb)
		return strcmp(a, b) == 0;
	if (na >= TRUNCATED_MIN && strcmp(b + nb - na, a) == 0)
		return true;
	return na > 0 && strncmp(a, b, na) == 0 && !is_name_char(b[na]) &&
	       is_name_char(a[na - 1]);
}

static void consider(struct search *q, const struct hs_ref *ref,
		     uint64_t dist, bool before)
{
	const struct handshake *h = &q->r->handshakes[ref->idx];
	if (!compatible(q->ix, q->s, h))
		return;
	if (ref->clock != CLOCK_ONLY &&
	    (ref->clock == CLOCK_JVM) == (q->s->file == h->file))
		return;         /* the other clock's place of it */
	int rank = q->s->thread && h->thread &&
		   !thread_related(q->s->thread, h->thread);
	struct pick p = {(long)ref->idx, rank, dist, before, h->file, h->line};
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
			       const struct correlate_index *ix,
			       const struct time_index *t,
			       const struct symptom *s, const char *key)
{
	struct search q = {r, ix, s, t, key, {.idx = -1}};
	size_t pos = hs_lower_bound(t, key, s->ts);
	walk_back(&q, pos);
	walk_forward(&q, pos);
	return q.best;
}

/* Rule 2.  A symptom that names a host need only look at the handshakes
 * to that host and those to no known host. */
static long search_failed(const struct report *r,
			  const struct correlate_index *ix,
			  const struct symptom *s)
{
	if (!s->host)
		return search_time(r, ix, &ix->failed, s, NULL).idx;
	struct pick same = search_time(r, ix, &ix->host_failed, s, s->host);
	struct pick none = search_time(r, ix, &ix->host_failed, s, NULL);
	return pick_better(&same, &none) ? same.idx : none.idx;
}

/* ---- rule 3: the nearest preceding in the same file ---------------- */

static bool line_candidate(const struct correlate_index *ix,
			   const struct symptom *s, const struct handshake *h)
{
	if (s->ts != TS_NONE && hs_time(h) != TS_NONE)
		return false;      /* rules 1 and 2 judged it by time */
	if (s->thread && str_cmp_null(s->thread, h->thread) != 0)
		return false;
	return h->outcome != OUTCOME_OK && compatible(ix, s, h);
}

/* The nearest preceding is the one that began last.  A symptom inside a
 * handshake's lines is near it however far from its first record: how
 * many lines a handshake takes depends on its envelope (a JULI
 * SimpleFormatter record is two lines a message), so FALLBACK_LINES
 * counts from the handshake's last line. */
static long search_lines(const struct report *r,
			 const struct correlate_index *ix,
			 const struct symptom *s)
{
	const struct line_ref *v = ix->by_line;
	size_t pos = line_lower_bound(v, ix->n_by_line, s->file, s->line);
	for (size_t i = pos; i-- > 0;) {
		if (v[i].file != s->file ||
		    s->line - v[i].line > FALLBACK_LINES + ix->max_span)
			break;
		const struct handshake *h = &r->handshakes[v[i].idx];
		if (s->line > h->last_line &&
		    s->line - h->last_line > FALLBACK_LINES)
			continue;
		if (line_candidate(ix, s, h))
			return (long)v[i].idx;
	}
	return -1;
}

long correlate_find(const struct correlate_index *ix, const struct report *r,
		    const struct symptom *s)
{
	long hi = -1;
	if (s->ts != TS_NONE && s->thread) {
		hi = search_time(r, ix, &ix->thread_failed, s, s->thread).idx;
		if (hi < 0)
			hi = search_time(r, ix, &ix->thread_ok, s, s->thread).idx;
	}
	if (hi < 0 && s->ts != TS_NONE)
		hi = search_failed(r, ix, s);
	if (hi < 0)
		hi = search_lines(r, ix, s);
	return hi;
}
