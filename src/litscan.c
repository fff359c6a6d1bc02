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

enum scanner { SCAN_SCALAR, SCAN_SSSE3, SCAN_AVX2 };
static const char *const scanner_names[] = {"scalar", "ssse3", "avx2"};

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
	uint32_t bucket_start[NBUCKETS + 1];
	uint32_t *bucket_lits;
	uint32_t *short_lits;        /* shorter than FP_LEN */
	size_t nshort;
};

/* ---- building -------------------------------------------------------- */

/* Bytes of English log text, most common first; absent ones are rarer. */
static const char common_bytes[] =
	" etaoinsrlcdhu.pm0gf12:y-b/w53469v78k_=,|ETSACRINODLPM\"x)(FHUB"
	"GW[]'jVq;KJz*YXQZ+>#<@!?&$%~^`{}\\\t";

static double byte_weight(unsigned char c)
{
	const char *at = memchr(common_bytes, c, sizeof common_bytes - 1);
	size_t rank = at ? (size_t)(at - common_bytes) : 2 * sizeof common_bytes;
	return 1.0 / (double)(rank + 2);
}

/* What a sample of the text to scan says: the share of each byte, and
 * (hashed, so approximately) of each 4-byte string. */
struct text_model {
	double w[256];
	uint16_t *grams;             /* 1 << GRAM_BITS counters, or NULL */
	double positions;
};

enum { GRAM_BITS = 16 };

static uint32_t gram_hash(const unsigned char *p)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return (v * 2654435761u) >> (32 - GRAM_BITS);
}

/* Byte shares: the ranking above, blended with the sample's counts. */
static void model_build(struct text_model *tm, const unsigned char *s, size_t n)
{
	double total = 0.0;
	for (int c = 0; c < 256; c++)
		total += tm->w[c] = byte_weight((unsigned char)c);
	for (int c = 0; c < 256; c++)
		tm->w[c] /= total;
	if (n < 4096)
		return;
	double count[256] = {0};
	tm->grams = xcalloc((size_t)1 << GRAM_BITS, sizeof *tm->grams);
	for (size_t i = 0; i < n; i++) {
		count[s[i]] += 1.0;
		if (i + 4 <= n) {
			uint16_t *g = &tm->grams[gram_hash(s + i)];
			*g += *g < UINT16_MAX;
		}
	}
	tm->positions = (double)(n - 3);
	for (int c = 0; c < 256; c++)
		tm->w[c] = 0.25 * tm->w[c] + 0.75 * count[c] / (double)n;
}

/* The share of positions where the 4 bytes at p (all of a window of
 * FP_LEN) occur in the sample: positions any bucket holding them must let
 * through, whatever the byte shares say. */
static double gram_share(const struct text_model *tm, const unsigned char *p,
			 size_t len)
{
	if (!tm->grams || len < 4)
		return 0.0;
	return (double)tm->grams[gram_hash(p)] / tm->positions;
}

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

static size_t rarest_pair(const struct plit *l)
{
	const unsigned char *u = (const unsigned char *)l->s;
	size_t best = 0;
	double best_w = DBL_MAX;
	for (size_t k = 0; k + 2 <= l->n; k++) {
		double w = byte_weight(u[k]) * byte_weight(u[k + 1]);
		if (w < best_w) {
			best_w = w;
			best = k;
		}
	}
	return best;
}

/* The literals sorted by their rarest pairs. */
static void build_pairs(struct litscan *ls)
{
	struct lit_key *keys = xcalloc(ls->nlits, sizeof *keys);
	for (size_t k = 0; k < ls->nlits; k++) {
		struct plit *l = &ls->lits[k];
		l->pair = rarest_pair(l);
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

/* The expected share of positions the bucket lets through (w: the share
 * of each byte in text).  Sums the accepted bytes in increasing order, as
 * a loop over all 256 would, but visits only the accepted ones. */
static double bucket_cost(const struct bucket_sets *b, const double *w)
{
	double cost = 1.0;
	for (int j = 0; j < FP_LEN; j++) {
		double sum = 0.0;
		for (unsigned hs = b->hi[j]; hs; hs &= hs - 1) {
			int h = __builtin_ctz(hs);
			for (unsigned los = b->lo[j]; los; los &= los - 1)
				sum += w[h << 4 | __builtin_ctz(los)];
		}
		cost *= sum;
	}
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
	const struct text_model *tm;
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
		double seen = gram_share(tb->tm, fp, len);
		for (int b = 0; b < NBUCKETS; b++) {
			struct bucket_sets with = bucket_with(tb->sets[b], fp, len);
			double add = bucket_cost(&with, tb->tm->w) - tb->cost[b] + seen;
			if (add < best) {
				best = add;
				best_b = b;
				l->fp = o;
			}
		}
	}
	tb->sets[best_b] = bucket_with(tb->sets[best_b], fp_bytes(l), len);
	tb->cost[best_b] = bucket_cost(&tb->sets[best_b], tb->tm->w);
	tb->bucket_of[k] = (uint8_t)best_b;
}

static void fill_teddy_tables(struct litscan *ls, const uint8_t *bucket_of)
{
	uint32_t count[NBUCKETS] = {0};
	for (size_t k = 0; k < ls->nlits; k++) {
		const unsigned char *fp = fp_bytes(&ls->lits[k]);
		uint8_t bit = (uint8_t)(1u << bucket_of[k]);
		for (size_t j = 0; j < FP_LEN; j++) {
			for (int x = 0; x < 16; x++) {
				bool any = j >= fp_len(&ls->lits[k]);
				ls->lo[j][x] |= any || x == (fp[j] & 15) ? bit : 0;
				ls->hi[j][x] |= any || x == (fp[j] >> 4) ? bit : 0;
			}
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
}

static void build_teddy(struct litscan *ls, const struct text_model *tm)
{
	struct teddy_build tb;
	memset(&tb, 0, sizeof tb);
	tb.tm = tm;
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
			    const char *sample, size_t sample_len)
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
		struct text_model tm = {0};
		model_build(&tm, (const unsigned char *)sample,
			    sample ? sample_len : 0);
		build_teddy(ls, &tm);
		free(tm.grams);
		build_pairs(ls);
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
static size_t check_block(const struct litscan *ls, struct scan *sc,
			  size_t base, const uint8_t *res, uint32_t mask)
{
	for (; mask; mask &= mask - 1) {
		unsigned i = (unsigned)__builtin_ctz(mask);
		for (unsigned bits = res[i]; bits; bits &= bits - 1) {
			unsigned b = (unsigned)__builtin_ctz(bits);
			for (uint32_t k = ls->bucket_start[b];
			     k < ls->bucket_start[b + 1]; k++) {
				uint32_t lit = ls->bucket_lits[k];
				size_t at = verify(ls, sc, lit, ls->lits[lit].fp,
						   base + i);
				if (at != LITSCAN_NONE)
					return at;
			}
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

SS_TARGET("avx2")
static size_t scan_avx2(const struct litscan *ls, struct scan *sc,
			size_t from, size_t to)
{
	enum { W = 32, SPAN = W + FP_LEN - 1 };
	if (sc->n - from < SPAN)
		return scan_ssse3(ls, sc, from, to);
	__m256i tl[FP_LEN], th[FP_LEN];
	for (int j = 0; j < FP_LEN; j++) {
		tl[j] = _mm256_broadcastsi128_si256(
			_mm_loadu_si128((const __m128i *)ls->lo[j]));
		th[j] = _mm256_broadcastsi128_si256(
			_mm_loadu_si128((const __m128i *)ls->hi[j]));
	}
	uint8_t res[W];
	const unsigned char *s = sc->s;
	size_t last = sc->n - SPAN, at;
	for (size_t i = from;; i += W) {
		if (i > last)
			i = last;
		__m256i r = shufti32(_mm256_loadu_si256((const __m256i *)(s + i)),
				     tl[0], th[0]);
		for (int j = 1; j < FP_LEN; j++)
			r = _mm256_and_si256(r, shufti32(_mm256_loadu_si256(
				(const __m256i *)(s + i + j)), tl[j], th[j]));
		if (!_mm256_testz_si256(r, r)) {
			uint32_t mask = ~(uint32_t)_mm256_movemask_epi8(
				_mm256_cmpeq_epi8(r, _mm256_setzero_si256()));
			mask = below(mask, i, to);
			_mm256_storeu_si256((__m256i *)res, r);
			at = mask ? check_block(ls, sc, i, res, mask) : LITSCAN_NONE;
			if (at != LITSCAN_NONE)
				return at;
		}
		if (i == last || i + W >= to)
			break;
	}
	return ls->nshort ? check_short_tail(ls, sc, from, to) : LITSCAN_NONE;
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
	struct scan sc = {(const unsigned char *)s, n, NULL, false};
	return scan(ls, &sc, 0, n) != LITSCAN_NONE;
}

bool litscan_collect(const struct litscan *ls, const char *s, size_t n,
		     uint64_t *present)
{
	struct scan sc = {(const unsigned char *)s, n, present, false};
	scan(ls, &sc, 0, n);
	return sc.any;
}

size_t litscan_find(const struct litscan *ls, const char *s, size_t n,
		    size_t from, size_t to)
{
	struct scan sc = {(const unsigned char *)s, n, NULL, false};
	return scan(ls, &sc, from, to);
}
