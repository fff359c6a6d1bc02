/* coldscan.c - see coldscan.h.
 *
 * The cover is chosen greedily, as weighted set cover goes: each round
 * takes the 4-byte string (from inside the literals still uncovered) with
 * the lowest expected share of text positions per literal it covers.  The
 * share is what the byte shares expect (which also says how much a SIMD
 * scanner's buckets, matching nibbles, let through around the string) plus
 * what the sample saw of the string itself (which the byte shares miss
 * for strings such as "*** ").  A literal shorter than 4 bytes covers
 * itself. */
#include "config.h"
#include "coldscan.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "assemble.h"
#include "envelope.h"
#include "litscan.h"
#include "textstat.h"

enum { GRAM = 4 };

struct coldscan {
	struct litscan *scan;
};

/* The literals no line holding one may be skipped for. */
struct litset {
	struct slice *v;
	size_t n, cap;
};

static void litset_add(struct litset *s, const char *p, size_t n)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->v[i].n == n && memcmp(s->v[i].p, p, n) == 0)
			return;
	xgrow(&s->v, &s->cap, s->n + 1, sizeof *s->v);
	s->v[s->n++] = slice_make(p, n);
}

/* false if some rule that must not be missed has no literal. */
static bool collect(const struct patterns *p, enum coldscan_kind kind,
		    struct litset *out)
{
	for (size_t i = 0; i < patterns_count(p); i++) {
		if (kind == COLD_OUTSIDE &&
		    assembler_event_needs_block(patterns_event(p, i)))
			continue;
		size_t n;
		const char *lit = patterns_literal(p, i, &n);
		if (!lit)
			return false;
		litset_add(out, lit, n);
	}
	if (kind != COLD_OUTSIDE)
		return true;
	for (const char *const *m = envelope_inner_marks(); *m; m++)
		litset_add(out, *m, strlen(*m));
	return true;
}

/* A candidate string of the cover and the literals it lies in. */
struct cand {
	const char *p;               /* GRAM bytes inside some literal */
	double share;                /* of text positions holding it */
	uint64_t *in;                /* bit per literal */
};

static size_t words_for(size_t n)
{
	return (n + 63) / 64;
}

static bool has(const uint64_t *bits, size_t i)
{
	return bits[i / 64] >> (i % 64) & 1;
}

static void set(uint64_t *bits, size_t i)
{
	bits[i / 64] |= (uint64_t)1 << (i % 64);
}

struct cands {
	struct cand *v;
	size_t n, cap;
	uint32_t *slot;              /* open addressing: index + 1, or 0 */
	size_t nslots;
};

static uint32_t gram_value(const char *p)
{
	uint32_t v;
	memcpy(&v, p, GRAM);
	return v;
}

/* The candidate for the GRAM bytes at g, added if new. */
static struct cand *cand_of(struct cands *c, const char *g, size_t words,
			    const struct textstat *ts)
{
	uint32_t v = gram_value(g);
	size_t h = (v * 2654435761u) & (c->nslots - 1);
	while (c->slot[h] && gram_value(c->v[c->slot[h] - 1].p) != v)
		h = (h + 1) & (c->nslots - 1);
	if (c->slot[h])
		return &c->v[c->slot[h] - 1];
	xgrow(&c->v, &c->cap, c->n + 1, sizeof *c->v);
	struct cand *x = &c->v[c->n++];
	const unsigned char *u = (const unsigned char *)g;
	x->p = g;
	x->share = textstat_gram_share(ts, u) + textstat_bytes_share(ts, u, GRAM);
	x->in = xcalloc(words, sizeof *x->in);
	c->slot[h] = (uint32_t)c->n;
	return x;
}

/* Every distinct GRAM-byte string of the literals, with where it lies. */
static void candidates(const struct litset *ls, const struct textstat *ts,
		       struct cands *c)
{
	size_t total = 0, words = words_for(ls->n);
	for (size_t k = 0; k < ls->n; k++)
		total += ls->v[k].n;
	memset(c, 0, sizeof *c);
	c->nslots = 64;
	while (c->nslots < 2 * total)
		c->nslots *= 2;
	c->slot = xcalloc(c->nslots, sizeof *c->slot);
	for (size_t k = 0; k < ls->n; k++)
		for (size_t o = 0; o + GRAM <= ls->v[k].n; o++)
			set(cand_of(c, ls->v[k].p + o, words, ts)->in, k);
}

static void cands_free(struct cands *c)
{
	for (size_t k = 0; k < c->n; k++)
		free(c->v[k].in);
	free(c->v);
	free(c->slot);
}

static size_t newly_covered(const struct cand *c, const uint64_t *covered,
			    size_t words)
{
	size_t k = 0;
	for (size_t i = 0; i < words; i++)
		k += ss_popcount64(c->in[i] & ~covered[i]);
	return k;
}

static double cost_of(const struct cand *c, const uint64_t *covered,
		      size_t words, double floor)
{
	size_t k = newly_covered(c, covered, words);
	return k ? (c->share + floor) / (double)k : INFINITY;
}

/* The candidate with the least share per literal it would cover, or -1
 * when nothing is left to cover.  bound[j] is at most candidate j's cost
 * (a cost only grows as literals get covered), so a candidate whose
 * bound is no better than the best so far is not worked out again: the
 * same choice as working all out each round (ties going to the lowest
 * index), with a fraction of the work. */
static long best_candidate(const struct cand *c, size_t nc,
			   const uint64_t *covered, size_t words, double floor,
			   double *bound)
{
	long best = -1;
	double best_cost = INFINITY;
	for (size_t j = 0; j < nc; j++) {
		if (bound[j] >= best_cost)
			continue;
		bound[j] = cost_of(&c[j], covered, words, floor);
		if (bound[j] < best_cost) {
			best = (long)j;
			best_cost = bound[j];
		}
	}
	return best;
}

/* The strings to look for: short literals whole, GRAM-byte strings
 * covering the others. */
static size_t cover(const struct litset *ls, const struct cands *cs,
		    double floor, struct slice *out)
{
	size_t words = words_for(ls->n), n = 0;
	uint64_t *covered = xcalloc(words, sizeof *covered);
	for (size_t i = 0; i < ls->n; i++) {
		if (ls->v[i].n < GRAM) {
			out[n++] = ls->v[i];
			set(covered, i);
		}
	}
	const struct cand *c = cs->v;
	size_t nc = cs->n;
	double *bound = xcalloc(nc ? nc : 1, sizeof *bound);
	for (size_t i = 0; i < nc; i++)
		bound[i] = cost_of(&c[i], covered, words, floor);
	long j;
	while ((j = best_candidate(c, nc, covered, words, floor, bound)) >= 0) {
		out[n++] = slice_make(c[j].p, GRAM);
		for (size_t i = 0; i < words; i++)
			covered[i] |= c[j].in[i];
	}
	free(bound);
	for (size_t i = 0; i < ls->n; i++)   /* every literal, one way or another */
		if (!has(covered, i))
			out[n++] = ls->v[i];
	free(covered);
	return n;
}

/* The scanner for the cover chosen with this floor. */
static struct litscan *build(const struct litset *ls, const struct cands *c,
			     const struct textstat *ts, double floor)
{
	struct slice *strings = xcalloc(ls->n ? ls->n : 1, sizeof *strings);
	size_t n = cover(ls, c, floor, strings);
	struct litscan *scan = litscan_new(strings, n, ts);
	free(strings);
	return scan;
}

/* A cover of many strings lets more positions through the SIMD buckets;
 * one of few, common strings finds more lines that then prove not to
 * matter.  Which is cheaper depends on the text: with a sample, try a
 * few floors (a cost each string adds, in shares of positions) and keep
 * the scanner cheapest on the sample. */
static const double floors[] = {1e-6, 1e-5, 1e-4, 1e-3};
#define DEFAULT_FLOOR 1e-5
/* a line found costs about as much as this many positions looked at */
#define HIT_COST 50.0

static struct litscan *best_build(const struct litset *ls,
				  const struct textstat *ts,
				  const char *sample, size_t n)
{
	struct cands c;
	candidates(ls, ts, &c);
	struct litscan *best = NULL;
	double best_cost = 0.0;
	for (size_t i = 0; i < SS_ARRAY_LEN(floors); i++) {
		if (!ts->grams && floors[i] != DEFAULT_FLOOR)
			continue;
		struct litscan *scan = build(ls, &c, ts, floors[i]);
		double cost = scan ? litscan_probe(scan, sample, n, HIT_COST) : 0.0;
		if (scan && (!best || cost < best_cost)) {
			litscan_free(&best);
			best = scan;
			best_cost = cost;
		} else {
			litscan_free(&scan);
		}
	}
	cands_free(&c);
	return best;
}

struct coldscan *coldscan_new(const struct patterns *p,
			      enum coldscan_kind kind, const char *sample,
			      size_t sample_len, const struct textstat *ts)
{
	struct litset ls = {0};
	if (!collect(p, kind, &ls) || ls.n == 0) {
		free(ls.v);
		return NULL;
	}
	struct textstat own;
	if (!ts) {
		textstat_init(&own, sample, sample_len);
		ts = &own;
	}
	struct coldscan *cs = xcalloc(1, sizeof *cs);
	cs->scan = best_build(&ls, ts, sample, sample_len);
	if (ts == &own)
		textstat_free(&own);
	free(ls.v);
	if (!cs->scan)
		coldscan_free(&cs);
	return cs;
}

void coldscan_free(struct coldscan **csp)
{
	struct coldscan *cs = *csp;
	if (!cs)
		return;
	litscan_free(&cs->scan);
	free(cs);
	*csp = NULL;
}

size_t coldscan_find(const struct coldscan *cs, const char *s, size_t n,
		     size_t from, size_t to)
{
	return litscan_find(cs->scan, s, n, from, to);
}

size_t coldscan_find_lines(const struct coldscan *cs, const char *s, size_t n,
			   size_t from, size_t to, struct litscan_lines *nl)
{
	return litscan_find_lines(cs->scan, s, n, from, to, nl);
}

size_t coldscan_count(const struct coldscan *cs)
{
	return litscan_count(cs->scan);
}
