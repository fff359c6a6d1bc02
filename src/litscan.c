/* litscan.c - see litscan.h.
 *
 * Each literal is looked for through FP_LEN of its bytes (all of them if
 * it is shorter), its fingerprint; a position where one may start is then
 * verified with memcmp.  One pass finds every literal:
 * - scalar: each position's byte pair is looked up in a 65536-bit set of
 *   the literals' rarest pairs;
 * - SSSE3/AVX2 ("Teddy", after Hyperscan and ripgrep): 16 or 32 positions
 *   at a time, PSHUFB looks up each fingerprint byte's two nibbles in
 *   tables of 8 literal buckets; a position survives if all FP_LEN bytes
 *   agree on a bucket.
 * A bucket of several fingerprints also accepts their nibble cross-
 * products, so windows and buckets are chosen together: each literal,
 * shortest first, takes the window and the bucket that add the least
 * expected traffic by a byte ranking of log text (literals sharing a word
 * such as "certificate" come to share a fingerprint).  On application
 * logs with 30 JSSE literals, picking each literal's rarest 3 bytes on
 * its own let 1.4 positions per line through to memcmp; this lets about
 * one in a hundred lines through. */
#include "config.h"
#include "litscan.h"

#include <float.h>
#include <stdlib.h>
#include <string.h>

#include "textstat.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define SS_X86_SIMD 1
#include <immintrin.h>
#define SS_TARGET(t) __attribute__((target(t)))
#endif

enum {
	FP_LEN = 4,             /* bytes of a literal the SIMD scanners look for */
	MAX_WINDOWS = 64,       /* fingerprint windows tried per literal */
	NBUCKETS = 8,           /* literal groups of the SIMD scanners */
};

enum scanner { SCAN_SCALAR, SCAN_SSSE3, SCAN_AVX2, SCAN_AVX512 };
static const char *const scanner_names[] = {"scalar", "ssse3", "avx2",
					    "avx512"};

/* One literal: the SIMD scanners find its fingerprint, FP_LEN bytes at
 * offset fp (or all of it if shorter), the scalar one its rarest byte
 * pair, at offset pair; then it is compared whole. */
struct plit {
	const char *s;               /* in litscan.store */
	size_t n;
	size_t fp;
	size_t pair;
};

struct litscan {
	struct plit *lits;
	size_t nlits;
	char *store;
	enum scanner scanner;
	/* scalar: the literals' rarest pairs as a 65536-bit set, and the
	 * literals sorted by them */
	uint64_t pairs[65536 / 64];
	uint16_t *pair_keys;
	uint32_t *pair_lits;
	/* SIMD (Teddy): per fingerprint byte, which buckets accept a low
	 * and a high nibble; the literals of each bucket */
	uint8_t lo[FP_LEN][16];
	uint8_t hi[FP_LEN][16];
	/* AVX-512 VBMI: per fingerprint byte, which buckets accept each of
	 * the 128 values of its low 7 bits (a byte >= 0x80 is let through
	 * by every bucket) */
	uint8_t low7[FP_LEN][128];
	uint32_t bucket_start[NBUCKETS + 1];
	uint32_t *bucket_lits;
	uint32_t *bucket_fp;         /* each one's fingerprint bytes ... */
	uint32_t *bucket_fpmask;     /* ... and which of the 4 there are */
	uint32_t *short_lits;        /* shorter than FP_LEN */
	size_t nshort;
};

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

/* Big-endian, so that keys sort as the bytes do. */
static uint16_t pair_key(const unsigned char *b)
{
	return (uint16_t)(b[0] << 8 | b[1]);
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

/* The nibbles a bucket accepts at each fingerprint byte. */
struct bucket_sets {
	uint16_t lo[FP_LEN], hi[FP_LEN];
};

/* The bytes a bucket accepts at one fingerprint byte. */
static int accepted(const struct bucket_sets *b, int j, uint8_t *out)
{
	int n = 0;
	for (unsigned hs = b->hi[j]; hs; hs &= hs - 1) {
		int h = __builtin_ctz(hs);
		for (unsigned los = b->lo[j]; los; los &= los - 1)
			out[n++] = (uint8_t)(h << 4 | __builtin_ctz(los));
	}
	return n;
}

/* The expected share of positions the bucket lets through.  With a
 * sample, as a chain where each byte depends on the one before (so that
 * ", " or "**" count as common as they are); otherwise as independent
 * bytes, summing the accepted bytes in increasing order. */
static double bucket_cost(const struct bucket_sets *b, const struct textstat *ts)
{
	uint8_t set[FP_LEN][256];
	int n[FP_LEN];
	for (int j = 0; j < FP_LEN; j++)
		n[j] = accepted(b, j, set[j]);
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
	double f[256], g[256];     /* f: what follows each byte of set[j] */
	for (int k = 0; k < n[FP_LEN - 1]; k++)
		f[k] = 1.0;
	for (int j = FP_LEN - 1; j > 0; j--) {
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

/* b plus a fingerprint of len bytes; past its end, any byte. */
static struct bucket_sets bucket_with(struct bucket_sets b,
				      const unsigned char *fp, size_t len)
{
	for (size_t j = 0; j < FP_LEN; j++) {
		b.lo[j] |= j < len ? (uint16_t)(1u << (fp[j] & 15)) : 0xffff;
		b.hi[j] |= j < len ? (uint16_t)(1u << (fp[j] >> 4)) : 0xffff;
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
		double seen = len == 4 ? textstat_gram_share(tb->ts, fp) : 0.0;
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

static enum scanner best_scanner(void)
{
#ifdef SS_X86_SIMD
	__builtin_cpu_init();
	if (__builtin_cpu_supports("avx512vbmi") &&
	    __builtin_cpu_supports("avx512bw"))
		return SCAN_AVX512;
	if (__builtin_cpu_supports("avx2"))
		return SCAN_AVX2;
	if (__builtin_cpu_supports("ssse3"))
		return SCAN_SSSE3;
#endif
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
	ls->scanner = best_scanner();
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
	enum scanner best = best_scanner();
	for (int s = SCAN_SCALAR; s <= (int)best; s++) {
		if (strcmp(name, scanner_names[s]) == 0) {
			ls->scanner = (enum scanner)s;
			return 0;
		}
	}
	return -1;
}

/* ---- scanning -----------------------------------------------------------
 *
 * Every scanner tries the positions q in [from, to) of s[0..n) in
 * increasing order and verifies the literals that may have their
 * fingerprint (or pair) there.  Without a presence set it stops at the
 * first literal and returns where it starts; with one it records every
 * literal and returns LITSCAN_NONE, setting `any`. */

struct scan {
	const unsigned char *s;
	size_t n;
	uint64_t *present;          /* NULL: stop at the first literal */
	bool any;
	size_t checks;              /* positions that had to be looked at */
};

static bool is_present(const uint64_t *present, uint32_t lit)
{
	return present[lit / 64] >> (lit % 64) & 1;
}

/* Literal lit with its byte at offset `at` at q: its start, or NONE
 * (also when it is recorded and scanning goes on). */
static size_t verify(const struct litscan *ls, struct scan *sc, uint32_t lit,
		     size_t at, size_t q)
{
	const struct plit *l = &ls->lits[lit];
	if (sc->present && is_present(sc->present, lit))
		return LITSCAN_NONE;
	if (q < at)
		return LITSCAN_NONE;
	size_t start = q - at;
	if (start > sc->n || l->n > sc->n - start ||
	    memcmp(sc->s + start, l->s, l->n) != 0)
		return LITSCAN_NONE;
	sc->any = true;
	if (!sc->present)
		return start;
	sc->present[lit / 64] |= (uint64_t)1 << (lit % 64);
	return LITSCAN_NONE;
}

/* The literals whose rarest pair is v, at q. */
static size_t check_pair(const struct litscan *ls, struct scan *sc, size_t q,
			 uint16_t v)
{
	size_t lo = 0, hi = ls->nlits;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (ls->pair_keys[mid] < v)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < ls->nlits && ls->pair_keys[lo] == v; lo++) {
		uint32_t lit = ls->pair_lits[lo];
		size_t at = verify(ls, sc, lit, ls->lits[lit].pair, q);
		if (at != LITSCAN_NONE)
			return at;
	}
	return LITSCAN_NONE;
}

static unsigned pair_bit(const struct litscan *ls, const unsigned char *s)
{
	uint16_t v = pair_key(s);
	return (unsigned)(ls->pairs[v >> 6] >> (v & 63) & 1);
}

static size_t check_position(const struct litscan *ls, struct scan *sc,
			     size_t q)
{
	if (!pair_bit(ls, sc->s + q))
		return LITSCAN_NONE;
	sc->checks++;
	return check_pair(ls, sc, q, pair_key(sc->s + q));
}

/* Tests four positions per branch. */
static size_t scan_scalar(const struct litscan *ls, struct scan *sc,
			  size_t from, size_t to)
{
	const unsigned char *s = sc->s;
	if (to > sc->n - 1)
		to = sc->n - 1;      /* a pair needs two bytes */
	size_t q = from;
	for (; q + 4 <= to; q += 4) {
		if (!(pair_bit(ls, s + q) | pair_bit(ls, s + q + 1) |
		      pair_bit(ls, s + q + 2) | pair_bit(ls, s + q + 3)))
			continue;
		for (size_t k = q; k < q + 4; k++) {
			size_t at = check_position(ls, sc, k);
			if (at != LITSCAN_NONE)
				return at;
		}
	}
	for (; q < to; q++) {
		size_t at = check_position(ls, sc, q);
		if (at != LITSCAN_NONE)
			return at;
	}
	return LITSCAN_NONE;
}

#ifdef SS_X86_SIMD
/* Candidate positions base+i for each bit i of mask, with the buckets
 * that accept them in res[i]. */
/* The FP_LEN bytes at q, zeros past the end. */
static uint32_t bytes_at(const struct scan *sc, size_t q)
{
	uint32_t v = 0;
	memcpy(&v, sc->s + q, sc->n - q < FP_LEN ? sc->n - q : FP_LEN);
	return v;
}

/* A bucket's literals whose fingerprint is exactly the bytes v at q:
 * most positions a bucket lets through hold none (they only share
 * nibbles with one), and a compare rejects them. */
static size_t check_bucket(const struct litscan *ls, struct scan *sc,
			   unsigned b, uint32_t v, size_t q)
{
	for (uint32_t k = ls->bucket_start[b]; k < ls->bucket_start[b + 1]; k++) {
		if ((v & ls->bucket_fpmask[k]) != ls->bucket_fp[k])
			continue;
		uint32_t lit = ls->bucket_lits[k];
		size_t at = verify(ls, sc, lit, ls->lits[lit].fp, q);
		if (at != LITSCAN_NONE)
			return at;
	}
	return LITSCAN_NONE;
}

static size_t check_block(const struct litscan *ls, struct scan *sc,
			  size_t base, const uint8_t *res, uint64_t mask)
{
	sc->checks += 4;   /* a block costs about as much as 4 positions */
	for (; mask; mask &= mask - 1) {
		unsigned i = (unsigned)__builtin_ctzll(mask);
		uint32_t v = bytes_at(sc, base + i);
		sc->checks++;
		for (unsigned bits = res[i]; bits; bits &= bits - 1) {
			size_t at = check_bucket(ls, sc, (unsigned)__builtin_ctz(bits),
						 v, base + i);
			if (at != LITSCAN_NONE)
				return at;
		}
	}
	return LITSCAN_NONE;
}

/* The blocks see a position only if FP_LEN bytes start there: a literal
 * shorter than that may still start in the last FP_LEN - 1 positions. */
static size_t check_short_tail(const struct litscan *ls, struct scan *sc,
			       size_t from, size_t to)
{
	size_t n = sc->n;
	size_t q = n >= FP_LEN ? n - FP_LEN + 1 : 0;
	if (q < from)
		q = from;
	for (; q < to; q++) {
		for (size_t k = 0; k < ls->nshort; k++) {
			uint32_t lit = ls->short_lits[k];
			size_t at = verify(ls, sc, lit, 0, q);
			if (at != LITSCAN_NONE)
				return at;
		}
	}
	return LITSCAN_NONE;
}

/* Keeps the bits of mask for positions base+i below `to`. */
static uint32_t below(uint32_t mask, size_t base, size_t to)
{
	size_t k = to - base;
	return k >= 32 ? mask : mask & (((uint32_t)1 << k) - 1);
}

SS_TARGET("ssse3")
static inline __m128i shufti16(__m128i c, const uint8_t *lo, const uint8_t *hi)
{
	const __m128i low4 = _mm_set1_epi8(0x0f);
	__m128i l = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)lo),
				     _mm_and_si128(c, low4));
	__m128i h = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)hi),
				     _mm_and_si128(_mm_srli_epi16(c, 4), low4));
	return _mm_and_si128(l, h);
}

/* Bucket bits of the 16 positions at s (reads s[0..16 + FP_LEN - 1)). */
SS_TARGET("ssse3")
static inline __m128i teddy16(const struct litscan *ls, const unsigned char *s)
{
	__m128i r = _mm_set1_epi8(-1);
	for (int j = 0; j < FP_LEN; j++) {
		__m128i c = _mm_loadu_si128((const __m128i *)(s + j));
		r = _mm_and_si128(r, shufti16(c, ls->lo[j], ls->hi[j]));
	}
	return r;
}

SS_TARGET("ssse3")
static uint32_t nonzero16(__m128i r)
{
	__m128i zero = _mm_cmpeq_epi8(r, _mm_setzero_si128());
	return ~(uint32_t)_mm_movemask_epi8(zero) & 0xffff;
}

/* Fewer than 16 + FP_LEN - 1 bytes from `from`: a padded copy. */
SS_TARGET("ssse3")
static size_t scan_padded(const struct litscan *ls, struct scan *sc,
			  size_t from, size_t to)
{
	enum { W = 16, SPAN = W + FP_LEN - 1 };
	unsigned char pad[SPAN] = {0};
	uint8_t res[W];
	memcpy(pad, sc->s + from, sc->n - from);
	__m128i r = teddy16(ls, pad);
	_mm_storeu_si128((__m128i *)res, r);
	size_t at = check_block(ls, sc, from, res, below(nonzero16(r), from, to));
	if (at != LITSCAN_NONE || !ls->nshort)
		return at;
	return check_short_tail(ls, sc, from, to);
}

SS_TARGET("ssse3")
static size_t scan_ssse3(const struct litscan *ls, struct scan *sc,
			 size_t from, size_t to)
{
	enum { W = 16, SPAN = W + FP_LEN - 1 };
	if (sc->n - from < SPAN)
		return scan_padded(ls, sc, from, to);
	uint8_t res[W];
	size_t last = sc->n - SPAN, at;
	for (size_t i = from;; i += W) {
		if (i > last)
			i = last;    /* the last block overlaps the one before */
		__m128i r = teddy16(ls, sc->s + i);
		uint32_t mask = below(nonzero16(r), i, to);
		if (mask) {
			_mm_storeu_si128((__m128i *)res, r);
			at = check_block(ls, sc, i, res, mask);
			if (at != LITSCAN_NONE)
				return at;
		}
		if (i == last || i + W >= to)
			break;
	}
	return ls->nshort ? check_short_tail(ls, sc, from, to) : LITSCAN_NONE;
}

SS_TARGET("avx2")
static inline __m256i shufti32(__m256i c, __m256i tl, __m256i th)
{
	const __m256i low4 = _mm256_set1_epi8(0x0f);
	__m256i l = _mm256_shuffle_epi8(tl, _mm256_and_si256(c, low4));
	__m256i hc = _mm256_and_si256(_mm256_srli_epi16(c, 4), low4);
	__m256i h = _mm256_shuffle_epi8(th, hc);
	return _mm256_and_si256(l, h);
}

/* The tables of the 4 fingerprint bytes, in registers. */
struct teddy_regs {
	__m256i lo0, lo1, lo2, lo3, hi0, hi1, hi2, hi3;
};

SS_TARGET("avx2")
static inline __m256i bcast16(const uint8_t *t)
{
	return _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)t));
}

/* Bucket bits of the 32 positions at p (reads p[0..32 + FP_LEN - 1)). */
SS_TARGET("avx2")
static inline __m256i teddy32(const struct teddy_regs *t, const unsigned char *p)
{
	__m256i r = shufti32(_mm256_loadu_si256((const __m256i *)p), t->lo0, t->hi0);
	r = _mm256_and_si256(r, shufti32(_mm256_loadu_si256(
		(const __m256i *)(p + 1)), t->lo1, t->hi1));
	r = _mm256_and_si256(r, shufti32(_mm256_loadu_si256(
		(const __m256i *)(p + 2)), t->lo2, t->hi2));
	return _mm256_and_si256(r, shufti32(_mm256_loadu_si256(
		(const __m256i *)(p + 3)), t->lo3, t->hi3));
}

/* The positions of one 32-position block that survived, at base. */
SS_TARGET("avx2")
static size_t check32(const struct litscan *ls, struct scan *sc, size_t base,
		      __m256i r, size_t to)
{
	uint8_t res[32];
	uint32_t mask = ~(uint32_t)_mm256_movemask_epi8(
		_mm256_cmpeq_epi8(r, _mm256_setzero_si256()));
	mask = below(mask, base, to);
	if (!mask)
		return LITSCAN_NONE;
	_mm256_storeu_si256((__m256i *)res, r);
	return check_block(ls, sc, base, res, mask);
}

SS_TARGET("avx2")
static size_t scan_avx2(const struct litscan *ls, struct scan *sc,
			size_t from, size_t to)
{
	_Static_assert(FP_LEN == 4, "teddy32 reads 4 fingerprint bytes");
	enum { W = 32, SPAN = W + FP_LEN - 1 };
	if (sc->n - from < SPAN)
		return scan_ssse3(ls, sc, from, to);
	const struct teddy_regs t = {
		bcast16(ls->lo[0]), bcast16(ls->lo[1]), bcast16(ls->lo[2]),
		bcast16(ls->lo[3]), bcast16(ls->hi[0]), bcast16(ls->hi[1]),
		bcast16(ls->hi[2]), bcast16(ls->hi[3]),
	};
	const unsigned char *s = sc->s;
	size_t i = from, at;
	/* two blocks per test while whole ones fit */
	for (; i + 2 * W <= to && i + 2 * W + FP_LEN - 1 <= sc->n; i += 2 * W) {
		__m256i r0 = teddy32(&t, s + i), r1 = teddy32(&t, s + i + W);
		if (_mm256_testz_si256(_mm256_or_si256(r0, r1),
				       _mm256_or_si256(r0, r1)))
			continue;
		if ((at = check32(ls, sc, i, r0, to)) != LITSCAN_NONE ||
		    (at = check32(ls, sc, i + W, r1, to)) != LITSCAN_NONE)
			return at;
	}
	if (i >= to)
		return LITSCAN_NONE;
	if (sc->n - i < SPAN)
		return scan_ssse3(ls, sc, i, to);
	size_t last = sc->n - SPAN;
	for (;; i += W) {
		if (i > last)
			i = last;   /* the last block overlaps the one before */
		__m256i r = teddy32(&t, s + i);
		if (!_mm256_testz_si256(r, r) &&
		    (at = check32(ls, sc, i, r, to)) != LITSCAN_NONE)
			return at;
		if (i == last || i + W >= to)
			break;
	}
	return ls->nshort ? check_short_tail(ls, sc, from, to) : LITSCAN_NONE;
}

/* 64 positions at a time with a whole-byte lookup (VPERMI2B over the
 * low 7 bits): a bucket lets through only byte values its fingerprints
 * have, not mixes of their nibbles.  A byte >= 0x80 in the 4 a position
 * reads lets it through every bucket. */
#define SS_AVX512 "avx512f,avx512bw,avx512vbmi"

SS_TARGET(SS_AVX512)
static size_t scan_avx512(const struct litscan *ls, struct scan *sc,
			  size_t from, size_t to)
{
	_Static_assert(FP_LEN == 4, "scan_avx512 reads 4 fingerprint bytes");
	enum { W = 64, SPAN = W + FP_LEN - 1 };
	const __m512i a0 = _mm512_loadu_si512(ls->low7[0]);
	const __m512i b0 = _mm512_loadu_si512(ls->low7[0] + 64);
	const __m512i a1 = _mm512_loadu_si512(ls->low7[1]);
	const __m512i b1 = _mm512_loadu_si512(ls->low7[1] + 64);
	const __m512i a2 = _mm512_loadu_si512(ls->low7[2]);
	const __m512i b2 = _mm512_loadu_si512(ls->low7[2] + 64);
	const __m512i a3 = _mm512_loadu_si512(ls->low7[3]);
	const __m512i b3 = _mm512_loadu_si512(ls->low7[3] + 64);
	const unsigned char *s = sc->s;
	uint8_t res[W];
	size_t i = from, at;
	for (; i + W <= to && i + SPAN <= sc->n; i += W) {
		__m512i c0 = _mm512_loadu_si512(s + i);
		__m512i c1 = _mm512_loadu_si512(s + i + 1);
		__m512i c2 = _mm512_loadu_si512(s + i + 2);
		__m512i c3 = _mm512_loadu_si512(s + i + 3);
		__m512i r = _mm512_and_si512(_mm512_permutex2var_epi8(a0, c0, b0),
					     _mm512_permutex2var_epi8(a1, c1, b1));
		r = _mm512_and_si512(r, _mm512_permutex2var_epi8(a2, c2, b2));
		r = _mm512_and_si512(r, _mm512_permutex2var_epi8(a3, c3, b3));
		__m512i any = _mm512_ternarylogic_epi32(c0, c1, c2, 0xfe); /* | */
		__mmask64 high = _mm512_movepi8_mask(_mm512_or_si512(any, c3));
		__mmask64 m = _mm512_test_epi8_mask(r, r) | high;
		if (!m)
			continue;
		_mm512_storeu_si512(res, _mm512_mask_mov_epi8(
			r, high, _mm512_set1_epi8(-1)));
		if ((at = check_block(ls, sc, i, res, m)) != LITSCAN_NONE)
			return at;
	}
	return i < to ? scan_avx2(ls, sc, i, to) : LITSCAN_NONE;
}
#endif

static size_t scan(const struct litscan *ls, struct scan *sc, size_t from,
		   size_t to)
{
	if (to > sc->n)
		to = sc->n;
	if (!ls->nlits || from >= to || sc->n - from < LITSCAN_MIN)
		return LITSCAN_NONE;
	switch (ls->scanner) {
#ifdef SS_X86_SIMD
	case SCAN_AVX512:
		return scan_avx512(ls, sc, from, to);
	case SCAN_AVX2:
		return scan_avx2(ls, sc, from, to);
	case SCAN_SSSE3:
		return scan_ssse3(ls, sc, from, to);
#endif
	default:
		return scan_scalar(ls, sc, from, to);
	}
}

bool litscan_any(const struct litscan *ls, const char *s, size_t n)
{
	struct scan sc = {(const unsigned char *)s, n, NULL, false, 0};
	return scan(ls, &sc, 0, n) != LITSCAN_NONE;
}

bool litscan_collect(const struct litscan *ls, const char *s, size_t n,
		     uint64_t *present)
{
	struct scan sc = {(const unsigned char *)s, n, present, false, 0};
	scan(ls, &sc, 0, n);
	return sc.any;
}

size_t litscan_find(const struct litscan *ls, const char *s, size_t n,
		    size_t from, size_t to)
{
	struct scan sc = {(const unsigned char *)s, n, NULL, false, 0};
	return scan(ls, &sc, from, to);
}

double litscan_probe(const struct litscan *ls, const char *s, size_t n,
		     double hit_cost)
{
	struct scan sc = {(const unsigned char *)s, n, NULL, false, 0};
	size_t hits = 0;
	for (size_t at = 0; at < n; at++) {
		at = scan(ls, &sc, at, n);
		if (at == LITSCAN_NONE)
			break;
		hits++;
	}
	return (double)sc.checks + hit_cost * (double)hits;
}
