/* correlate.c - see correlate.h.
 *
 * Symptoms are taken in report order (file, line) and each is tied to the
 * handshake correlate_find() picks (correlate_find.c: the indexes and the
 * rules of nearness).  Later symptoms see what earlier ones changed: the
 * tie fills in the peer and the outcome.  This file is what happens
 * around that search: the tie itself, and what becomes of the symptoms
 * nothing kept explains.  Those are grouped per failure and become
 * handshakes of their own, with the peer's certificates not captured --
 * unless a failure the detail caps counted without keeping it (compact.h)
 * explains them: same host, within the window of its times; then they are
 * counted with it. */
#include "config.h"
#include "correlate_int.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util.h"

/* Untimed symptoms of one failure are no further apart than this. */
#define GROUP_LINES 20

/* A symptom as sorting and grouping see it (all borrowed). */
struct sym_ref {
	const char *thread;
	const char *host;
	int64_t ts;
	uint32_t node;        /* correlate_nodes_of(file) */
	uint32_t file;
	uint64_t line;
	size_t idx;
};

/* A group of unexplained symptoms, members m[start .. start + n), and
 * where its first member is in the report. */
struct group {
	size_t start, n;
	uint32_t file;
	uint64_t line;
	size_t idx;
};

/* ---- tying ----------------------------------------------------------- */

static bool is_failure_kind(enum symptom_kind k)
{
	return k == SYM_SSL_HANDSHAKE_EXCEPTION || k == SYM_SOCKET_CLOSED ||
	       k == SYM_PEER_NOT_AUTHENTICATED;
}

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

static struct sym_ref sym_ref_of(const struct report *r,
				 const struct correlate_nodes *ns, size_t i)
{
	const struct symptom *s = &r->symptoms[i];
	return (struct sym_ref){s->thread, s->host, s->ts,
				correlate_nodes_of(ns, s->file), s->file,
				s->line, i};
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
 * the same node and the same host where both name one, and s within the
 * window around their times (untimed: within FALLBACK_LINES of their
 * lines). */
static bool tally_explains(const struct correlate_nodes *ns,
			   const struct tally *t, const struct symptom *s)
{
	if (s->host && t->peer && !peer_matches(t->peer, s))
		return false;
	if (!correlate_nodes_related(ns, s->file, t->file))
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
static bool absorb(struct report *r, const struct correlate_nodes *ns,
		   const size_t *cand, size_t n, const struct symptom *s)
{
	for (size_t i = 0; i < n; i++) {
		struct tally *t = &r->tallies[cand[i]];
		if (tally_explains(ns, t, s)) {
			t->symptoms++;
			r->symptoms_omitted++;
			return true;
		}
	}
	return false;
}

/* Ties what it can; returns the symptoms left over, in report order, and
 * their number in *n_loose. */
static struct sym_ref *tie_symptoms(struct report *r,
				    const struct correlate_nodes *ns,
				    size_t *n_loose)
{
	size_t n = r->n_symptoms;
	struct sym_ref *order = xcalloc(n, sizeof *order);
	for (size_t i = 0; i < n; i++)
		order[i] = sym_ref_of(r, ns, i);
	qsort(order, n, sizeof *order, report_order_cmp);

	struct correlate_index *ix = correlate_index_new(r, ns);
	size_t *cand = xcalloc(r->n_tallies + 1, sizeof *cand);
	size_t n_cand = failed_tallies(r, cand);
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		const struct symptom *s = &r->symptoms[order[i].idx];
		if (s->handshake >= 0)
			continue;       /* tied by an earlier stage */
		long hi = correlate_find(ix, r, s);
		if (hi >= 0)
			tie(r, order[i].idx, (size_t)hi);
		else if (!absorb(r, ns, cand, n_cand, s))
			order[k++] = order[i];
	}
	free(cand);
	correlate_index_free(&ix);
	*n_loose = k;
	return order;
}

/* ---- grouping what nothing explains -------------------------------- */

/* Timed symptoms group by node, then by thread, else by host, else with
 * the other symptoms of the node that name neither. */
static int group_class(const struct sym_ref *s)
{
	return s->thread ? 0 : s->host ? 1 : 2;
}

static int timed_cmp(const void *pa, const void *pb)
{
	const struct sym_ref *a = pa, *b = pb;
	int c = cmp_u64(a->node, b->node);
	if (!c)
		c = group_class(a) - group_class(b);
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

/* Whether cur continues the failure prev belongs to (sorted neighbours):
 * two nodes' workers of the same name are two failures. */
static bool same_failure(const struct sym_ref *prev, const struct sym_ref *cur)
{
	if (prev->node != cur->node ||
	    str_cmp_null(prev->thread, cur->thread) != 0)
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

/* ---- one failure logged twice -------------------------------------- */

/* How far apart a thread's group and a threadless one may start for the
 * search to look (the groups themselves are short). */
#define JOIN_LOOKBACK_MS 60000
/* Candidates looked at per threadless group, at most. */
#define JOIN_SCAN_LIMIT 1000

/* A timed group's members are sorted by time: its first and last. */
static int64_t group_lo(const struct sym_ref *m, const struct group *g)
{
	return m[g->start].ts;
}

static int64_t group_hi(const struct sym_ref *m, const struct group *g)
{
	return m[g->start + g->n - 1].ts;
}

static const char *group_host(const struct sym_ref *m, const struct group *g)
{
	for (size_t i = 0; i < g->n; i++)
		if (m[g->start + i].host)
			return m[g->start + i].host;
	return NULL;
}

static bool is_threaded_timed(const struct sym_ref *m, const struct group *g)
{
	return m[g->start].ts != TS_NONE && m[g->start].thread;
}

/* Threaded timed groups, by (node, first time). */
struct join_index {
	const struct sym_ref *m;
	const struct group *g;
	size_t *v, n;
};

static const struct join_index *join_sort_ctx;

static int join_cmp(const void *pa, const void *pb)
{
	const struct join_index *x = join_sort_ctx;
	const struct group *a = &x->g[*(const size_t *)pa];
	const struct group *b = &x->g[*(const size_t *)pb];
	int c = cmp_u64(x->m[a->start].node, x->m[b->start].node);
	if (!c)
		c = cmp_i64(group_lo(x->m, a), group_lo(x->m, b));
	return c ? c : cmp_u64(*(const size_t *)pa, *(const size_t *)pb);
}

/* The threaded group a timed group that names no thread is part of: the
 * same node but another file, its lines within CORRELATE_GROUP_MS of
 * them, no other host named; the nearest, the first on a draw.  The JVM
 * printed the exception to wrapper.log (no thread there) while the
 * application logged it with its thread in its own log.  (Within one file
 * lines without a thread are failures of their own.)  -1 if none. */
static long join_target(const struct join_index *x, const struct group *a)
{
	const struct sym_ref *m = x->m;
	uint32_t node = m[a->start].node;
	int64_t lo = group_lo(m, a), hi = group_hi(m, a);
	const char *host = group_host(m, a);
	size_t l = 0, h = x->n;
	while (l < h) {       /* the first of the node not before lo - look */
		size_t mid = l + (h - l) / 2;
		const struct group *b = &x->g[x->v[mid]];
		int c = cmp_u64(m[b->start].node, node);
		if (!c)
			c = cmp_i64(group_lo(m, b), lo - JOIN_LOOKBACK_MS);
		if (c < 0)
			l = mid + 1;
		else
			h = mid;
	}
	long best = -1;
	uint64_t best_gap = 0;
	for (size_t k = l; k < x->n && k < l + JOIN_SCAN_LIMIT; k++) {
		const struct group *b = &x->g[x->v[k]];
		if (m[b->start].node != node ||
		    group_lo(m, b) > hi + CORRELATE_GROUP_MS)
			break;
		int64_t blo = group_lo(m, b), bhi = group_hi(m, b);
		if (bhi + CORRELATE_GROUP_MS < lo)
			continue;
		const char *bh = group_host(m, b);
		if ((host && bh && strcasecmp(host, bh) != 0) ||
		    m[b->start].file == m[a->start].file)
			continue;
		uint64_t d = blo > hi ? (uint64_t)(blo - hi)
			   : bhi < lo ? (uint64_t)(lo - bhi) : 0;
		if (best < 0 || d < best_gap) {
			best = (long)x->v[k];
			best_gap = d;
		}
	}
	return best;
}

/* For each group, the group it is part of (join_target()) or -1. */
static long *join_groups(const struct sym_ref *m, const struct group *g,
			 size_t ng)
{
	long *into = xcalloc(ng + 1, sizeof *into);
	struct join_index x = {m, g, xcalloc(ng + 1, sizeof(size_t)), 0};
	for (size_t i = 0; i < ng; i++) {
		into[i] = -1;
		if (is_threaded_timed(m, &g[i]))
			x.v[x.n++] = i;
	}
	join_sort_ctx = &x;
	qsort(x.v, x.n, sizeof *x.v, join_cmp);
	join_sort_ctx = NULL;
	for (size_t i = 0; i < ng; i++)
		if (m[g[i].start].ts != TS_NONE && !m[g[i].start].thread)
			into[i] = join_target(&x, &g[i]);
	free(x.v);
	return into;
}

/* One handshake per failure, in report order of their first lines; a
 * group that is part of another is tied to that one's. */
static void add_failures(struct report *r, struct sym_ref *m, size_t n)
{
	size_t n_timed = partition_timed(m, n);
	qsort(m, n_timed, sizeof *m, timed_cmp);
	qsort(m + n_timed, n - n_timed, sizeof *m, untimed_cmp);
	struct group *g = xcalloc(n + 1, sizeof *g);
	size_t ng = split_groups(m, 0, n_timed, g);
	ng += split_groups(m, n_timed, n, g + ng);
	qsort(g, ng, sizeof *g, group_cmp);
	long *into = join_groups(m, g, ng);
	size_t *hs = xcalloc(ng + 1, sizeof *hs);
	for (size_t i = 0; i < ng; i++) {
		if (into[i] >= 0)
			continue;
		hs[i] = r->n_handshakes;
		add_failure(r, &m[g[i].start], g[i].n);
	}
	for (size_t i = 0; i < ng; i++)
		for (size_t k = 0; into[i] >= 0 && k < g[i].n; k++)
			tie(r, m[g[i].start + k].idx, hs[into[i]]);
	free(hs);
	free(into);
	free(g);
}

void correlate_report(struct report *r)
{
	size_t n_loose = 0;
	struct correlate_nodes *ns = correlate_nodes_new(r);
	struct sym_ref *loose = tie_symptoms(r, ns, &n_loose);
	add_failures(r, loose, n_loose);
	free(loose);
	correlate_nodes_free(&ns);
}
