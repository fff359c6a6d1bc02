/* litscan.c - see litscan.h.
 *
 * Each literal is looked for through FP_LEN of its bytes (all of them if
 * it is shorter), its fingerprint; a position where one may start is then
 * verified with memcmp.  One pass finds every literal:
 * - scalar: each position's byte pair is looked up in a 65536-bit set of
 *   the literals' rarest pairs;
 * - SSSE3/AVX2/NEON/AVX-512BW ("Teddy", after Hyperscan and ripgrep):
 *   16, 32 or 64 positions at a time, PSHUFB (TBL on ARM) looks up each fingerprint
 *   byte's two nibbles in tables of 8 literal buckets; a position
 *   survives if all FP_LEN bytes agree on a bucket;
 * - AVX-512 VBMI: the same buckets, 64 positions at a time, each byte
 *   looked up whole (VPERMI2B), so without the nibble cross-products.
 * A bucket of several fingerprints also accepts their nibble cross-
 * products, so windows and buckets are chosen together: each literal,
 * shortest first, takes the window and the bucket that add the least
 * expected traffic by a byte ranking of log text (literals sharing a word
 * such as "certificate" come to share a fingerprint).  On application
 * logs with 30 JSSE literals, picking each literal's rarest 3 bytes on
 * its own let 1.4 positions per line through to memcmp; this lets about
 * one in a hundred lines through.  (With a sample of the text, the costs
 * follow it instead: textstat.h.)  The costs are those of the scanner
 * the CPU will run: where it is the AVX-512 one, a bucket accepts only
 * its own bytes at each place, not their nibble mixes; costing buckets
 * that way took the share of 64-byte blocks of the benchmark's
 * application log with a candidate from 5.3% to 1.4%, and made tuning
 * cheaper.  The scanners are in litscan_scan.c. */
#include "config.h"
#include "litscan.h"

#include <float.h>
#include <stdlib.h>
#include <string.h>

#include "litscan_impl.h"
#include "textstat.h"

static const char *const scanner_names[] = {
	[SCAN_SCALAR] = "scalar", [SCAN_SSSE3] = "ssse3", [SCAN_AVX2] = "avx2",
	[SCAN_AVX512] = "avx512", [SCAN_NEON] = "neon",
	[SCAN_AVX512BW] = "avx512bw",
};

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define SS_X86_SIMD 1
#endif
#if defined(__aarch64__) && defined(__ARM_NEON)
#define SS_NEON 1
#endif

/* ---- building -------------------------------------------------------- */

static size_t fp_len(const struct plit *l)
{
	return l->n < FP_LEN ? l->n : FP_LEN;
}

static const unsigned char *fp_bytes(const struct plit *l)
{
	return (const unsigned char *)l->s + l->fp;
}

/* A literal's index with a sort key. */
struct lit_key {
	size_t key;
	uint32_t lit;
};

static int cmp_lit_keys(const void *a, const void *b)
{
	const struct lit_key *x = a, *y = b;
	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return (x->lit > y->lit) - (x->lit < y->lit);
}

static size_t rarest_pair(const struct plit *l, const struct textstat *ts)
{
	const unsigned char *u = (const unsigned char *)l->s;
	size_t best = 0;
	double best_w = DBL_MAX;
	for (size_t k = 0; k + 2 <= l->n; k++) {
		double w = textstat_bytes_share(ts, u + k, 2);
		if (w < best_w) {
			best_w = w;
			best = k;
		}
	}
	return best;
}

/* The literals sorted by their rarest pairs. */
static void build_pairs(struct litscan *ls, const struct textstat *ts)
{
	struct lit_key *keys = xcalloc(ls->nlits, sizeof *keys);
	for (size_t k = 0; k < ls->nlits; k++) {
		struct plit *l = &ls->lits[k];
		l->pair = rarest_pair(l, ts);
		keys[k].key = pair_key((const unsigned char *)l->s + l->pair);
		keys[k].lit = (uint32_t)k;
	}
	qsort(keys, ls->nlits, sizeof *keys, cmp_lit_keys);
	ls->pair_lits = xcalloc(ls->nlits, sizeof *ls->pair_lits);
	ls->pair_keys = xcalloc(ls->nlits, sizeof *ls->pair_keys);
	for (size_t k = 0; k < ls->nlits; k++) {
		uint16_t v = (uint16_t)keys[k].key;
		ls->pair_lits[k] = keys[k].lit;
		ls->pair_keys[k] = v;
		ls->pairs[v >> 6] |= (uint64_t)1 << (v & 63);
	}
	free(keys);
}

/* What a bucket accepts at each fingerprint byte: for the nibble
 * scanners, any mix of the nibbles its fingerprints have there; for the
 * AVX-512 one (`bytes`), the bytes themselves, by their low 7 bits. */
struct bucket_sets {
	uint16_t lo[FP_LEN], hi[FP_LEN];
	uint64_t low7[FP_LEN][2];
	bool bytes;
};

/* The bytes a bucket accepts at one fingerprint byte (at most 256). */
static int accepted(const struct bucket_sets *b, int j, uint8_t *out)
{
	int n = 0;
	if (b->bytes) {
		for (int w = 0; w < 2; w++) {
			for (uint64_t m = b->low7[j][w]; m; m &= m - 1) {
				int v = w * 64 + __builtin_ctzll(m);
				out[n++] = (uint8_t)v;
				out[n++] = (uint8_t)(v | 0x80);
			}
		}
		return n;
	}
	for (unsigned hs = b->hi[j]; hs; hs &= hs - 1) {
		int h = __builtin_ctz(hs);
		for (unsigned los = b->lo[j]; los; los &= los - 1)
			out[n++] = (uint8_t)(h << 4 | __builtin_ctz(los));
	}
	return n;
}

/* The share of positions the bucket lets through, by a model: as a
 * chain where each byte depends on the one before (so that ", " or "**"
 * count as common as they are); without a sample, as independent bytes,
 * summing the accepted bytes in increasing order. */
static double model_cost(uint8_t set[FP_LEN][256], const int *n,
			 const struct textstat *ts)
{
	if (!ts->next) {
		double cost = 1.0;
		for (int j = 0; j < FP_LEN; j++) {
			double sum = 0.0;
			for (int k = 0; k < n[j]; k++)
				sum += ts->share[set[j][k]];
			cost *= sum;
		}
		return cost;
	}
	/* Places that accept every byte (past a short fingerprint's end)
	 * add nothing to the chain: each row of ts->next sums to 1. */
	int len = FP_LEN;
	while (len > 1 && n[len - 1] == 256)
		len--;
	double f[256], g[256];     /* f: what follows each byte of set[j] */
	for (int k = 0; k < n[len - 1]; k++)
		f[k] = 1.0;
	for (int j = len - 1; j > 0; j--) {
		for (int a = 0; a < n[j - 1]; a++) {
			const float *row = ts->next + set[j - 1][a] * 256;
			double sum = 0.0;
			for (int k = 0; k < n[j]; k++)
				sum += row[set[j][k]] * f[k];
			g[a] = sum;
		}
		memcpy(f, g, sizeof(double) * (size_t)n[j - 1]);
	}
	double cost = 0.0;
	for (int a = 0; a < n[0]; a++)
		cost += ts->share[set[0][a]] * f[a];
	return cost;
}

/* The share of positions the bucket lets through.  With a sample, mostly
 * what it lets through of the sample, counted exactly: a chain model
 * misses how English ties its words together ("or a", "st n" and "ng a"
 * are common strings its bytes make rare), and grouping fingerprints by
 * it let 40 times more positions of the benchmark's application log
 * through than grouping them by the sample's counts.  The model keeps a
 * quarter, so that what the sample happens to lack is not free. */
static double bucket_cost(const struct bucket_sets *b, const struct textstat *ts)
{
	uint8_t set[FP_LEN][256];
	int n[FP_LEN];
	for (int j = 0; j < FP_LEN; j++)
		n[j] = accepted(b, j, set[j]);
	double model = model_cost(set, n, ts);
	if (!ts->grams)
		return model;
	struct byteset bs[FP_LEN];
	memset(bs, 0, sizeof bs);
	for (int j = 0; j < FP_LEN; j++)
		for (int k = 0; k < n[j]; k++)
			byteset_add(&bs[j], set[j][k]);
	return 0.75 * textstat_sets_share(ts, bs) + 0.25 * model;
}

/* b plus a fingerprint of len bytes; past its end, any byte. */
static struct bucket_sets bucket_with(struct bucket_sets b,
				      const unsigned char *fp, size_t len)
{
	for (size_t j = 0; j < FP_LEN; j++) {
		b.lo[j] |= j < len ? (uint16_t)(1u << (fp[j] & 15)) : 0xffff;
		b.hi[j] |= j < len ? (uint16_t)(1u << (fp[j] >> 4)) : 0xffff;
		if (j >= len)
			b.low7[j][0] = b.low7[j][1] = UINT64_MAX;
		else
			b.low7[j][(fp[j] & 127) / 64] |=
				(uint64_t)1 << (fp[j] & 63);
	}
	return b;
}

struct teddy_build {
	struct bucket_sets sets[NBUCKETS];
	double cost[NBUCKETS];
	const struct textstat *ts;
	uint8_t *bucket_of;
};

/* Gives literal k the window and the bucket that add least traffic. */
static void place_literal(struct teddy_build *tb, struct plit *l, size_t k)
{
	size_t len = fp_len(l), windows = l->n - len + 1;
	double best = DBL_MAX;
	int best_b = 0;
	if (windows > MAX_WINDOWS)
		windows = MAX_WINDOWS;
	for (size_t o = 0; o < windows; o++) {
		const unsigned char *fp = (const unsigned char *)l->s + o;
		/* the model misses strings such as "*** "; the counts
		 * have them already */
		double seen = len == 4 && !tb->ts->grams
				      ? textstat_gram_share(tb->ts, fp) : 0.0;
		for (int b = 0; b < NBUCKETS; b++) {
			struct bucket_sets with = bucket_with(tb->sets[b], fp, len);
			double add = bucket_cost(&with, tb->ts) - tb->cost[b] + seen;
			if (add < best) {
				best = add;
				best_b = b;
				l->fp = o;
			}
		}
	}
	tb->sets[best_b] = bucket_with(tb->sets[best_b], fp_bytes(l), len);
	tb->cost[best_b] = bucket_cost(&tb->sets[best_b], tb->ts);
	tb->bucket_of[k] = (uint8_t)best_b;
}

static void fill_teddy_tables(struct litscan *ls, const uint8_t *bucket_of)
{
	uint32_t count[NBUCKETS] = {0};
	for (size_t k = 0; k < ls->nlits; k++) {
		const unsigned char *fp = fp_bytes(&ls->lits[k]);
		uint8_t bit = (uint8_t)(1u << bucket_of[k]);
		for (size_t j = 0; j < FP_LEN; j++) {
			bool any = j >= fp_len(&ls->lits[k]);
			for (int x = 0; x < 16; x++) {
				ls->lo[j][x] |= any || x == (fp[j] & 15) ? bit : 0;
				ls->hi[j][x] |= any || x == (fp[j] >> 4) ? bit : 0;
			}
			for (int x = 0; x < 128; x++)
				ls->low7[j][x] |= any || x == (fp[j] & 127) ? bit : 0;
		}
		count[bucket_of[k]]++;
	}
	for (int b = 0; b < NBUCKETS; b++)
		ls->bucket_start[b + 1] = ls->bucket_start[b] + count[b];
	ls->bucket_lits = xcalloc(ls->nlits, sizeof *ls->bucket_lits);
	uint32_t fill[NBUCKETS];
	memcpy(fill, ls->bucket_start, sizeof fill);
	for (size_t k = 0; k < ls->nlits; k++)
		ls->bucket_lits[fill[bucket_of[k]]++] = (uint32_t)k;
	ls->bucket_fp = xcalloc(ls->nlits, sizeof *ls->bucket_fp);
	ls->bucket_fpmask = xcalloc(ls->nlits, sizeof *ls->bucket_fpmask);
	for (size_t j = 0; j < ls->nlits; j++) {
		const struct plit *l = &ls->lits[ls->bucket_lits[j]];
		unsigned char fp[FP_LEN] = {0}, mask[FP_LEN] = {0};
		memcpy(fp, fp_bytes(l), fp_len(l));
		memset(mask, 0xff, fp_len(l));
		memcpy(&ls->bucket_fp[j], fp, FP_LEN);
		memcpy(&ls->bucket_fpmask[j], mask, FP_LEN);
	}
}

static void build_teddy(struct litscan *ls, const struct textstat *ts)
{
	struct teddy_build tb;
	memset(&tb, 0, sizeof tb);
	tb.ts = ts;
	for (int b = 0; b < NBUCKETS; b++)
		tb.sets[b].bytes = ls->scanner == SCAN_AVX512;
	struct lit_key *order = xcalloc(ls->nlits, sizeof *order);
	for (size_t k = 0; k < ls->nlits; k++) {
		order[k].key = ls->lits[k].n;
		order[k].lit = (uint32_t)k;
	}
	qsort(order, ls->nlits, sizeof *order, cmp_lit_keys);
	tb.bucket_of = xcalloc(ls->nlits, 1);
	for (size_t k = 0; k < ls->nlits; k++)
		place_literal(&tb, &ls->lits[order[k].lit], order[k].lit);
	fill_teddy_tables(ls, tb.bucket_of);
	free(tb.bucket_of);
	free(order);
}

/* Literals shorter than a fingerprint, which the SIMD loop cannot see
 * in the last FP_LEN - 1 positions of a buffer. */
static void collect_short(struct litscan *ls)
{
	ls->short_lits = xcalloc(ls->nlits, sizeof *ls->short_lits);
	for (size_t k = 0; k < ls->nlits; k++)
		if (ls->lits[k].n < FP_LEN)
			ls->short_lits[ls->nshort++] = (uint32_t)k;
}

/* Whether this build and CPU can run scanner sc, and SSLSIFT_SIMD lets
 * it. */
static bool runs_here(enum scanner sc)
{
	if (!ss_simd_allows(scanner_names[sc]))
		return false;
	switch (sc) {
	case SCAN_SCALAR:
		return true;
#ifdef SS_X86_SIMD
	case SCAN_AVX512:
		__builtin_cpu_init();
		return __builtin_cpu_supports("avx512vbmi") &&
		       __builtin_cpu_supports("avx512bw");
	case SCAN_AVX512BW:
		__builtin_cpu_init();
		return __builtin_cpu_supports("avx512bw");
	case SCAN_AVX2:
		__builtin_cpu_init();
		return __builtin_cpu_supports("avx2");
	case SCAN_SSSE3:
		__builtin_cpu_init();
		return __builtin_cpu_supports("ssse3");
#endif
#ifdef SS_NEON
	case SCAN_NEON:
		return true;
#endif
	default:
		return false;
	}
}

/* The fastest first. */
static const enum scanner preference[] = {
	SCAN_AVX512, SCAN_AVX512BW, SCAN_AVX2, SCAN_NEON, SCAN_SSSE3,
	SCAN_SCALAR,
};

static enum scanner best_scanner(void)
{
	for (size_t i = 0; i < SS_ARRAY_LEN(preference); i++)
		if (runs_here(preference[i]))
			return preference[i];
	return SCAN_SCALAR;
}

static bool usable(struct slice l)
{
	return l.n >= LITSCAN_MIN && !memchr(l.p, '\n', l.n);
}

struct litscan *litscan_new(const struct slice *lits, size_t n,
			    const struct textstat *ts)
{
	size_t bytes = 0;
	for (size_t k = 0; k < n; k++) {
		if (!usable(lits[k]))
			return NULL;
		bytes += lits[k].n;
	}
	struct litscan *ls = xcalloc(1, sizeof *ls);
	ls->lits = xcalloc(n ? n : 1, sizeof *ls->lits);
	ls->store = xmalloc(bytes ? bytes : 1);
	ls->nlits = n;
	char *at = ls->store;
	for (size_t k = 0; k < n; k++) {
		memcpy(at, lits[k].p, lits[k].n);
		ls->lits[k].s = at;
		ls->lits[k].n = lits[k].n;
		at += lits[k].n;
	}
	ls->scanner = best_scanner();
	if (n) {
		struct textstat plain;
		if (!ts) {
			textstat_init(&plain, NULL, 0);
			ts = &plain;
		}
		build_teddy(ls, ts);
		build_pairs(ls, ts);
		collect_short(ls);
	}
	return ls;
}

void litscan_free(struct litscan **lsp)
{
	struct litscan *ls = *lsp;
	if (!ls)
		return;
	free(ls->lits);
	free(ls->store);
	free(ls->pair_keys);
	free(ls->pair_lits);
	free(ls->bucket_lits);
	free(ls->bucket_fp);
	free(ls->bucket_fpmask);
	free(ls->short_lits);
	free(ls);
	*lsp = NULL;
}

size_t litscan_count(const struct litscan *ls)
{
	return ls->nlits;
}

size_t litscan_words(const struct litscan *ls)
{
	return (ls->nlits + 63) / 64;
}

const char *litscan_scanner(const struct litscan *ls)
{
	return scanner_names[ls->scanner];
}

int litscan_set_scanner(struct litscan *ls, const char *name)
{
	for (size_t s = 0; s < SS_ARRAY_LEN(scanner_names); s++) {
		if (strcmp(name, scanner_names[s]) == 0 &&
		    runs_here((enum scanner)s)) {
			ls->scanner = (enum scanner)s;
			return 0;
		}
	}
	return -1;
}


bool litscan_any(const struct litscan *ls, const char *s, size_t n)
{
	struct scan sc = {(const unsigned char *)s, n, NULL, false, 0, {0, 0}};
	return litscan_run(ls, &sc, 0, n) != LITSCAN_NONE;
}

bool litscan_collect(const struct litscan *ls, const char *s, size_t n,
		     uint64_t *present)
{
	struct scan sc = {(const unsigned char *)s, n, present, false, 0, {0, 0}};
	litscan_run(ls, &sc, 0, n);
	return sc.any;
}

size_t litscan_find(const struct litscan *ls, const char *s, size_t n,
		    size_t from, size_t to)
{
	struct litscan_lines nl;
	return litscan_find_lines(ls, s, n, from, to, &nl);
}

size_t litscan_find_lines(const struct litscan *ls, const char *s, size_t n,
			  size_t from, size_t to, struct litscan_lines *nl)
{
	struct scan sc = {(const unsigned char *)s, n, NULL, false, 0,
			  {from, 0}};
	size_t at = litscan_run(ls, &sc, from, to);
	*nl = sc.nl;
	/* A literal holds no newline, so none lies between where it
	 * starts (or from, if it straddles from) and the block its
	 * fingerprint is in. */
	if (at != LITSCAN_NONE && nl->upto > at)
		nl->upto = at > from ? at : from;
	return at;
}

double litscan_probe(const struct litscan *ls, const char *s, size_t n,
		     double hit_cost)
{
	struct scan sc = {(const unsigned char *)s, n, NULL, false, 0, {0, 0}};
	size_t hits = 0;
	/* As the pipeline goes: a line found is taken whole, and the scan
	 * goes on at the next one.  (Going on just past where the literal
	 * starts would find it again when the bytes scanned for lie further
	 * in: a literal holds no newline, so they lie before the next line.) */
	for (size_t at = 0; at < n;) {
		at = litscan_run(ls, &sc, at, n);
		if (at == LITSCAN_NONE)
			break;
		hits++;
		const char *nl = memchr(s + at, '\n', n - at);
		if (!nl)
			break;
		at = (size_t)(nl + 1 - s);
	}
	return (double)sc.checks + hit_cost * (double)hits;
}

