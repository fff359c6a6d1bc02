/* litscan_scan.c - the scanners behind litscan.h: scalar (byte pairs),
 * SSSE3, AVX2 and AArch64 NEON (Teddy: nibble lookups in 8 buckets, 16,
 * 32 or 64 positions a step) and AVX-512 VBMI (whole-byte lookups, 64
 * positions a step).
 * All try positions in increasing order and verify candidates the same
 * way, so they find the same literals (tests/unit/test_litscan.c checks
 * them against each other and a naive search). */
#include "config.h"

#include <string.h>

#include "litscan_impl.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define SS_X86_SIMD 1
#include <immintrin.h>
#define SS_TARGET(t) __attribute__((target(t)))
#endif

/* NEON is part of every AArch64 CPU: no check at run time. */
#if defined(__aarch64__) && defined(__ARM_NEON)
#define SS_NEON 1
#include <arm_neon.h>
#endif

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

#if defined(SS_X86_SIMD) || defined(SS_NEON)
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

#endif /* SS_X86_SIMD || SS_NEON */

#ifdef SS_NEON
/* Bucket bits of the 16 positions at s (reads s[0..16 + FP_LEN - 1)). */
static inline uint8x16_t teddy16_neon(const struct litscan *ls,
				      const unsigned char *s)
{
	const uint8x16_t low4 = vdupq_n_u8(0x0f);
	uint8x16_t r = vdupq_n_u8(0xff);
	for (int j = 0; j < FP_LEN; j++) {
		uint8x16_t c = vld1q_u8(s + j);
		uint8x16_t l = vqtbl1q_u8(vld1q_u8(ls->lo[j]), vandq_u8(c, low4));
		uint8x16_t h = vqtbl1q_u8(vld1q_u8(ls->hi[j]), vshrq_n_u8(c, 4));
		r = vandq_u8(r, vandq_u8(l, h));
	}
	return r;
}

/* The candidates of the 16 positions at base whose bucket bits are r,
 * up to `to`. */
static size_t check16_neon(const struct litscan *ls, struct scan *sc,
			   size_t base, uint8x16_t r, size_t to)
{
	uint8_t res[16];
	vst1q_u8(res, r);
	uint64_t mask = 0;
	for (unsigned i = 0; i < 16 && base + i < to; i++)
		mask |= (uint64_t)(res[i] != 0) << i;
	return mask ? check_block(ls, sc, base, res, mask) : LITSCAN_NONE;
}

/* 64 positions a step, one branch for all of them: the four blocks'
 * bucket bits are ORed and their largest byte tested (no movemask on
 * NEON); a step that holds a candidate is looked at block by block. */
static size_t scan_neon(const struct litscan *ls, struct scan *sc,
			size_t from, size_t to)
{
	enum { W = 16, STEP = 4 * W, SPAN = W + FP_LEN - 1 };
	const unsigned char *s = sc->s;
	size_t i = from, at;
	if (sc->n - from >= STEP + FP_LEN - 1) {
		size_t room = sc->n - (FP_LEN - 1);
		size_t steps_to = to < room ? to : room;
		for (; i + STEP <= steps_to; i += STEP) {
			uint8x16_t r0 = teddy16_neon(ls, s + i);
			uint8x16_t r1 = teddy16_neon(ls, s + i + W);
			uint8x16_t r2 = teddy16_neon(ls, s + i + 2 * W);
			uint8x16_t r3 = teddy16_neon(ls, s + i + 3 * W);
			if (!vmaxvq_u8(vorrq_u8(vorrq_u8(r0, r1), vorrq_u8(r2, r3))))
				continue;
			const uint8x16_t r[4] = {r0, r1, r2, r3};
			for (int b = 0; b < 4; b++)
				if ((at = check16_neon(ls, sc, i + (size_t)b * W, r[b],
						       to)) != LITSCAN_NONE)
					return at;
		}
	}
	/* the rest: 16 positions at a time, the last block overlapping the
	 * one before, or a padded copy when less than a block is left */
	if (i < to && sc->n - i < SPAN) {
		unsigned char pad[SPAN] = {0};
		memcpy(pad, s + i, sc->n - i);
		if ((at = check16_neon(ls, sc, i, teddy16_neon(ls, pad), to))
		    != LITSCAN_NONE)
			return at;
	} else if (i < to) {
		size_t last = sc->n - SPAN;
		for (;; i += W) {
			if (i > last)
				i = last;
			if ((at = check16_neon(ls, sc, i, teddy16_neon(ls, s + i),
					       to)) != LITSCAN_NONE)
				return at;
			if (i == last || i + W >= to)
				break;
		}
	}
	return ls->nshort ? check_short_tail(ls, sc, from, to) : LITSCAN_NONE;
}
#endif /* SS_NEON */

#ifdef SS_X86_SIMD
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

/* The SIMD scanners go over whole blocks in batches: the first pass over
 * a batch only notes which blocks hold candidates, without a branch, so
 * that the loads of the next blocks are not thrown away each time a
 * candidate turns up (the text comes from memory, not the cache, and
 * waiting for it is what costs); the second pass looks at those blocks
 * again, now in the cache.  A batch starts at two blocks (a find that
 * soon succeeds looks no further than before) and doubles while nothing
 * is found, up to BATCH_MAX blocks of 64 bytes (4 KiB).  The first pass
 * also counts each block's newlines, from the register it already holds,
 * for litscan_find_lines(): the pipeline's line count then costs no
 * second pass over the text (it was a tenth of the plain-log time). */
enum { BATCH_MAX = 64 };

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

/* Bucket bits of the 32 positions at p (reads p[0..32 + FP_LEN - 1)),
 * whose first 32 bytes are x0. */
SS_TARGET("avx2")
static inline __m256i teddy32x(const struct teddy_regs *t,
			       const unsigned char *p, __m256i x0)
{
	__m256i r = shufti32(x0, t->lo0, t->hi0);
	r = _mm256_and_si256(r, shufti32(_mm256_loadu_si256(
		(const __m256i *)(p + 1)), t->lo1, t->hi1));
	r = _mm256_and_si256(r, shufti32(_mm256_loadu_si256(
		(const __m256i *)(p + 2)), t->lo2, t->hi2));
	return _mm256_and_si256(r, shufti32(_mm256_loadu_si256(
		(const __m256i *)(p + 3)), t->lo3, t->hi3));
}

SS_TARGET("avx2")
static inline __m256i teddy32(const struct teddy_regs *t, const unsigned char *p)
{
	return teddy32x(t, p, _mm256_loadu_si256((const __m256i *)p));
}

/* The first pass's cheaper way to the same bucket bits: each byte's
 * nibbles are taken out once, looked up for all FP_LEN fingerprint
 * bytes, and the lookups shifted into place, the bytes before the block
 * coming from the previous block's lookups (one load and 23 vector
 * operations a block instead of four loads and 27; the scan is bound by
 * them, not by memory, once the text is in the page cache). */
struct teddy_prev {
	__m256i r0, r1, r2;
};

/* Each byte of cur shifted k places up, the k bytes below it coming
 * from the top of prev. */
#define TEDDY_SHIFT(cur, prev, k) \
	_mm256_alignr_epi8((cur), _mm256_permute2x128_si256((prev), (cur), 0x21), \
			   16 - (k))

/* The bucket bits of the 32 start positions whose last fingerprint
 * bytes are x (that is, starting 3 bytes before x), given the lookups
 * of the block before it; keeps this block's for the next. */
SS_TARGET("avx2")
static inline __m256i teddy32_shifted(const struct teddy_regs *t,
				      struct teddy_prev *prev, __m256i x)
{
	const __m256i low4 = _mm256_set1_epi8(0x0f);
	__m256i lo = _mm256_and_si256(x, low4);
	__m256i hi = _mm256_and_si256(_mm256_srli_epi16(x, 4), low4);
	__m256i r0 = _mm256_and_si256(_mm256_shuffle_epi8(t->lo0, lo),
				      _mm256_shuffle_epi8(t->hi0, hi));
	__m256i r1 = _mm256_and_si256(_mm256_shuffle_epi8(t->lo1, lo),
				      _mm256_shuffle_epi8(t->hi1, hi));
	__m256i r2 = _mm256_and_si256(_mm256_shuffle_epi8(t->lo2, lo),
				      _mm256_shuffle_epi8(t->hi2, hi));
	__m256i r3 = _mm256_and_si256(_mm256_shuffle_epi8(t->lo3, lo),
				      _mm256_shuffle_epi8(t->hi3, hi));
	__m256i r = _mm256_and_si256(r3, TEDDY_SHIFT(r2, prev->r2, 1));
	r = _mm256_and_si256(r, TEDDY_SHIFT(r1, prev->r1, 2));
	r = _mm256_and_si256(r, TEDDY_SHIFT(r0, prev->r0, 3));
	prev->r0 = r0;
	prev->r1 = r1;
	prev->r2 = r2;
	return r;
}

/* The lookups a block ending just before s[i + FP_LEN - 1] would leave:
 * only its last FP_LEN - 1 bytes, s[i..i + FP_LEN - 1), are ever
 * shifted in. */
SS_TARGET("avx2")
static struct teddy_prev teddy_prev_at(const struct teddy_regs *t,
				       const unsigned char *s, size_t i)
{
	unsigned char block[32] = {0};
	memcpy(block + 32 - (FP_LEN - 1), s + i, FP_LEN - 1);
	struct teddy_prev prev = {_mm256_setzero_si256(), _mm256_setzero_si256(),
				  _mm256_setzero_si256()};
	teddy32_shifted(t, &prev, _mm256_loadu_si256((const __m256i *)block));
	return prev;
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

SS_TARGET("avx2,popcnt")
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
	const __m256i newline = _mm256_set1_epi8('\n');
	const unsigned char *s = sc->s;
	size_t i = from, at, batch = 2, total = 0;
	uint32_t masks[2 * BATCH_MAX];
	size_t lines[2 * BATCH_MAX];   /* newlines before each block */
	/* whole blocks, in batches */
	size_t room = sc->n >= FP_LEN - 1 ? sc->n - (FP_LEN - 1) : 0;
	size_t blocks_to = to < room ? to : room;
	/* a block of start positions [q, q + W) ends with the bytes
	 * s[q + 3, q + W + 3); it counts the newlines of s[q, q + W) */
	struct teddy_prev prev;
	if (i + W <= blocks_to)
		prev = teddy_prev_at(&t, s, i);
	while (i + W <= blocks_to) {
		size_t nb = (blocks_to - i) / W;
		if (nb > batch)
			nb = batch;
		uint32_t any = 0;
		for (size_t b = 0; b < nb; b++) {
			const unsigned char *p = s + i + b * W;
			__m256i r = teddy32_shifted(&t, &prev, _mm256_loadu_si256(
				(const __m256i *)(p + FP_LEN - 1)));
			masks[b] = ~(uint32_t)_mm256_movemask_epi8(
				_mm256_cmpeq_epi8(r, _mm256_setzero_si256()));
			any |= masks[b];
			lines[b] = total;
			total += (size_t)__builtin_popcount((unsigned)
				_mm256_movemask_epi8(_mm256_cmpeq_epi8(
					_mm256_loadu_si256((const __m256i *)p),
					newline)));
		}
		for (size_t b = 0; any && b < nb; b++)
			if (masks[b] &&
			    (at = check32(ls, sc, i + b * W,
					  teddy32(&t, s + i + b * W), to))
			    != LITSCAN_NONE) {
				sc->nl.upto = i + b * W;
				sc->nl.lines += lines[b];
				return at;
			}
		i += nb * W;
		if (batch < 2 * BATCH_MAX)
			batch *= 2;
	}
	sc->nl.upto = i;
	sc->nl.lines += total;
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
 * have, not mixes of their nibbles.  A byte >= 0x80 reads the entry of
 * its low 7 bits, where the fingerprint bytes >= 0x80 put their buckets
 * too (litscan.c), so it is let through wherever it could be one. */
#define SS_AVX512 "avx512f,avx512bw,avx512vbmi,popcnt"

struct tables512 {
	__m512i a0, b0, a1, b1, a2, b2, a3, b3;
};

/* The bucket bits of the 64 positions at p, whose first 64 bytes are
 * x0. */
SS_TARGET(SS_AVX512)
static inline __m512i lookup64x(const struct tables512 *t,
				const unsigned char *p, __m512i x0)
{
	__m512i r = _mm512_and_si512(
		_mm512_permutex2var_epi8(t->a0, x0, t->b0),
		_mm512_permutex2var_epi8(t->a1, _mm512_loadu_si512(p + 1), t->b1));
	r = _mm512_and_si512(r, _mm512_permutex2var_epi8(
		t->a2, _mm512_loadu_si512(p + 2), t->b2));
	return _mm512_and_si512(r, _mm512_permutex2var_epi8(
		t->a3, _mm512_loadu_si512(p + 3), t->b3));
}

SS_TARGET(SS_AVX512)
static inline __m512i lookup64(const struct tables512 *t, const unsigned char *p)
{
	return lookup64x(t, p, _mm512_loadu_si512(p));
}

SS_TARGET(SS_AVX512)
static inline struct tables512 tables512_of(const struct litscan *ls)
{
	return (struct tables512){
		_mm512_loadu_si512(ls->low7[0]), _mm512_loadu_si512(ls->low7[0] + 64),
		_mm512_loadu_si512(ls->low7[1]), _mm512_loadu_si512(ls->low7[1] + 64),
		_mm512_loadu_si512(ls->low7[2]), _mm512_loadu_si512(ls->low7[2] + 64),
		_mm512_loadu_si512(ls->low7[3]), _mm512_loadu_si512(ls->low7[3] + 64),
	};
}

#define SCAN512_NAME scan_avx512
#define SCAN512_CHECK check64
#define SCAN512_TARGET SS_AVX512
#define SCAN512_TABLES struct tables512
#define SCAN512_TABLES_OF tables512_of
#define SCAN512_LOOKUPX lookup64x
#define SCAN512_LOOKUP lookup64
#include "litscan_scan512.inc"

/* CPUs with AVX-512BW but not VBMI (Skylake-SP, Cascade Lake): the
 * nibble lookups of the AVX2 scanner, 64 positions at a time (VPSHUFB
 * looks up within each 16-byte lane, so the tables are repeated in all
 * four). */
#define SS_AVX512BW "avx512f,avx512bw,popcnt"

struct nibbles512 {
	__m512i lo0, lo1, lo2, lo3, hi0, hi1, hi2, hi3;
};

SS_TARGET(SS_AVX512BW)
static inline __m512i shufti64(__m512i c, __m512i tl, __m512i th)
{
	const __m512i low4 = _mm512_set1_epi8(0x0f);
	__m512i l = _mm512_shuffle_epi8(tl, _mm512_and_si512(c, low4));
	__m512i h = _mm512_shuffle_epi8(
		th, _mm512_and_si512(_mm512_srli_epi16(c, 4), low4));
	return _mm512_and_si512(l, h);
}

SS_TARGET(SS_AVX512BW)
static inline __m512i nibbles64x(const struct nibbles512 *t,
				 const unsigned char *p, __m512i x0)
{
	__m512i r = _mm512_and_si512(
		shufti64(x0, t->lo0, t->hi0),
		shufti64(_mm512_loadu_si512(p + 1), t->lo1, t->hi1));
	r = _mm512_and_si512(r, shufti64(_mm512_loadu_si512(p + 2), t->lo2,
					 t->hi2));
	return _mm512_and_si512(r, shufti64(_mm512_loadu_si512(p + 3), t->lo3,
					    t->hi3));
}

SS_TARGET(SS_AVX512BW)
static inline __m512i nibbles64(const struct nibbles512 *t,
				const unsigned char *p)
{
	return nibbles64x(t, p, _mm512_loadu_si512(p));
}

SS_TARGET(SS_AVX512BW)
static inline __m512i bcast16x4(const uint8_t *t)
{
	return _mm512_broadcast_i32x4(_mm_loadu_si128((const __m128i *)t));
}

SS_TARGET(SS_AVX512BW)
static inline struct nibbles512 nibbles512_of(const struct litscan *ls)
{
	return (struct nibbles512){
		bcast16x4(ls->lo[0]), bcast16x4(ls->lo[1]), bcast16x4(ls->lo[2]),
		bcast16x4(ls->lo[3]), bcast16x4(ls->hi[0]), bcast16x4(ls->hi[1]),
		bcast16x4(ls->hi[2]), bcast16x4(ls->hi[3]),
	};
}

#define SCAN512_NAME scan_avx512bw
#define SCAN512_CHECK check64bw
#define SCAN512_TARGET SS_AVX512BW
#define SCAN512_TABLES struct nibbles512
#define SCAN512_TABLES_OF nibbles512_of
#define SCAN512_LOOKUPX nibbles64x
#define SCAN512_LOOKUP nibbles64
#include "litscan_scan512.inc"
#endif


size_t litscan_run(const struct litscan *ls, struct scan *sc, size_t from,
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
	case SCAN_AVX512BW:
		return scan_avx512bw(ls, sc, from, to);
	case SCAN_AVX2:
		return scan_avx2(ls, sc, from, to);
	case SCAN_SSSE3:
		return scan_ssse3(ls, sc, from, to);
#endif
#ifdef SS_NEON
	case SCAN_NEON:
		return scan_neon(ls, sc, from, to);
#endif
	default:
		return scan_scalar(ls, sc, from, to);
	}
}
