/* textstat.h - what a sample of the text to be scanned looks like: the
 * share of each byte, and (hashed, so approximately) how often each
 * 4-byte string occurs, and which byte tends to follow which.  Prefilters use it to look for the bytes of their
 * literals that the text rarely holds.  Without a sample, byte shares
 * come from a ranking of English log text and no 4-byte string is known.
 *
 * Ownership: textstat_init() fills a caller-owned struct and allocates
 * its counters; textstat_free() releases them.  The sample is borrowed
 * only for the call. */
#ifndef SSLSIFT_TEXTSTAT_H
#define SSLSIFT_TEXTSTAT_H

#include <stddef.h>
#include <stdint.h>

/* Samples shorter than this are not counted (the ranking is used). */
#define TEXTSTAT_MIN_SAMPLE 4096

struct textstat {
	double share[256];          /* of each byte; sums to 1 */
	float *next;                /* [a * 256 + b]: how often b follows a
				     * (smoothed), or NULL without a sample */
	uint16_t *grams;            /* hashed 4-byte string counts, or NULL */
	double positions;           /* 4-byte strings in the sample */
};

void textstat_init(struct textstat *ts, const char *sample, size_t n);
void textstat_free(struct textstat *ts);
/* The share of the sample's positions that start with the 4 bytes at p
 * (an overestimate where hashes collide); 0 without a sample. */
double textstat_gram_share(const struct textstat *ts, const unsigned char *p);
/* The share expected for the n bytes at p: byte shares, and how often
 * each byte follows the one before where the sample says. */
double textstat_bytes_share(const struct textstat *ts, const unsigned char *p,
			    size_t n);

#endif
