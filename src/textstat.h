/* textstat.h - what a sample of the text to be scanned looks like: the
 * share of each byte, which byte tends to follow which, and exactly how
 * often each 4-byte string occurs.  Prefilters use it to look for the
 * bytes of their literals that the text rarely holds, and to group their
 * literals so that the mixes a group lets through are rare too.  Without
 * a sample, byte shares come from a ranking of English log text and no
 * 4-byte string is known.
 *
 * Ownership: textstat_init() fills a caller-owned struct and allocates
 * its counters; textstat_free() releases them.  The sample is borrowed
 * only for the call. */
#ifndef SSLSIFT_TEXTSTAT_H
#define SSLSIFT_TEXTSTAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Samples shorter than this are not counted (the ranking is used); of
 * a longer one, the first TEXTSTAT_MAX_SAMPLE bytes are (counting the
 * 4-byte strings costs about 8 ns a byte, and on the benchmark's logs a
 * quarter of the pipeline's 512 KiB sample led to as good a scanner as
 * all of it). */
#define TEXTSTAT_MIN_SAMPLE 4096
#define TEXTSTAT_MAX_SAMPLE (128 * 1024)

struct textstat_grams;

struct textstat {
	double share[256];          /* of each byte; sums to 1 */
	float *next;                /* [a * 256 + b]: how often b follows a
				     * (smoothed), or NULL without a sample */
	struct textstat_grams *grams;  /* the sample's 4-byte strings, or NULL */
	double positions;           /* 4-byte strings in the sample */
};

/* A set of byte values, one bit each. */
struct byteset {
	uint64_t w[4];
};

static inline bool byteset_has(const struct byteset *s, unsigned char c)
{
	return s->w[c >> 6] >> (c & 63) & 1;
}

static inline void byteset_add(struct byteset *s, unsigned char c)
{
	s->w[c >> 6] |= (uint64_t)1 << (c & 63);
}

void textstat_init(struct textstat *ts, const char *sample, size_t n);
void textstat_free(struct textstat *ts);
/* The share of the sample's positions that start with the 4 bytes at p;
 * 0 without a sample. */
double textstat_gram_share(const struct textstat *ts, const unsigned char *p);
/* The share of the sample's positions whose 4 bytes lie in set[0] ..
 * set[3], one set per byte; -1 without a sample. */
double textstat_sets_share(const struct textstat *ts,
			   const struct byteset set[4]);
/* The share expected for the n bytes at p: byte shares, and how often
 * each byte follows the one before where the sample says. */
double textstat_bytes_share(const struct textstat *ts, const unsigned char *p,
			    size_t n);

#endif
