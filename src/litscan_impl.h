/* litscan_impl.h - the inside of struct litscan, shared by litscan.c
 * (choosing fingerprints and buckets, the API) and litscan_scan.c (the
 * scanners).  Not for other stages: they use litscan.h. */
#ifndef SSLSIFT_LITSCAN_IMPL_H
#define SSLSIFT_LITSCAN_IMPL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "litscan.h"

enum {
	FP_LEN = 4,             /* bytes of a literal the SIMD scanners look for */
	MAX_WINDOWS = 64,       /* fingerprint windows tried per literal */
	NBUCKETS = 8,           /* literal groups of the SIMD scanners */
};

/* Each build has scalar and the ones of its architecture; SSSE3 and
 * NEON are of the same rank (16-byte vectors) for SSLSIFT_SIMD. */
enum scanner {
	SCAN_SCALAR, SCAN_SSSE3, SCAN_AVX2, SCAN_AVX512, SCAN_NEON,
	SCAN_AVX512BW,
};

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
	 * the 128 values of its low 7 bits (so a byte >= 0x80 counts as the
	 * byte 0x80 below it: a superset) */
	uint8_t low7[FP_LEN][128];
	uint32_t bucket_start[NBUCKETS + 1];
	uint32_t *bucket_lits;
	uint32_t *bucket_fp;         /* each one's fingerprint bytes ... */
	uint32_t *bucket_fpmask;     /* ... and which of the 4 there are */
	uint32_t *short_lits;        /* shorter than FP_LEN */
	size_t nshort;
};


/* One scan: the buffer, and either a presence set to fill (every literal
 * found is recorded) or not (stop at the first and say where it starts);
 * `checks` counts the positions that had to be looked at. */
struct scan {
	const unsigned char *s;
	size_t n;
	uint64_t *present;          /* NULL: stop at the first literal */
	bool any;
	size_t checks;
	struct litscan_lines nl;    /* newlines in s[from, nl.upto) */
};

/* Big-endian, so that keys sort as the bytes do. */
static inline uint16_t pair_key(const unsigned char *b)
{
	return (uint16_t)(b[0] << 8 | b[1]);
}

/* litscan_scan.c: tries the positions q in [from, to) of the buffer in
 * increasing order, with the scanner ls->scanner names, counting the
 * newlines it passes in sc->nl (set it to {from, 0} first).  Without a
 * presence set, where the first literal found starts, or LITSCAN_NONE;
 * with one, LITSCAN_NONE, having recorded every literal. */
size_t litscan_run(const struct litscan *ls, struct scan *sc, size_t from,
		   size_t to);

#endif
