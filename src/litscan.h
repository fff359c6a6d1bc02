/* litscan.h - finds any of a set of literals in a buffer, fast: the
 * prefilter that keeps the regex engine away from lines that cannot match.
 * One pass finds every literal (scalar, SSSE3 or AVX2, whichever the CPU
 * has; all find the same ones).  Used per line by patterns.c (which
 * literals does this line hold?) and over whole buffers by pipeline.c
 * (where is the next line that can matter?).
 *
 * Literals are byte strings of at least LITSCAN_MIN bytes, without '\n'.
 * The caller gives each literal once; literal k sets bit k of a presence
 * set (uint64_t words, litscan_words() of them).
 *
 * Ownership: litscan_new() copies the literals; the scanner is read-only
 * afterwards (one may serve many threads) except for
 * litscan_set_scanner().  litscan_free() releases it and sets the pointer
 * to NULL. */
#ifndef SSLSIFT_LITSCAN_H
#define SSLSIFT_LITSCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util.h"

#define LITSCAN_MIN 2
#define LITSCAN_NONE ((size_t)-1)

struct litscan;

struct textstat;

/* NULL if a literal is shorter than LITSCAN_MIN or holds a '\n'.  What
 * the text to be scanned looks like (textstat.h; NULL: English log text)
 * decides which bytes of each literal are looked for, away from what is
 * common: only the speed depends on it, never what is found. */
struct litscan *litscan_new(const struct slice *lits, size_t n,
			    const struct textstat *ts);
void litscan_free(struct litscan **ls);
size_t litscan_count(const struct litscan *ls);
size_t litscan_words(const struct litscan *ls);

/* Does s[0..n) hold any of the literals? */
bool litscan_any(const struct litscan *ls, const char *s, size_t n);
/* Sets the bit of every literal s[0..n) holds (present is not cleared
 * first); true if it holds any. */
bool litscan_collect(const struct litscan *ls, const char *s, size_t n,
		     uint64_t *present);
/* Over a whole buffer s[0..n): looks for literals whose scanned bytes
 * (the fingerprint) start in [from, to) and returns the offset where the
 * first one found starts, or LITSCAN_NONE.  Positions are tried in
 * increasing order, so every literal that lies wholly before the line of
 * the one returned would have been returned instead. */
size_t litscan_find(const struct litscan *ls, const char *s, size_t n,
		    size_t from, size_t to);

/* What a find counted on its way: s[from, upto) holds `lines` newlines.
 * upto lies between from and the place returned (to, when none is): the
 * caller counts the rest, so the bytes are read once, not twice. */
struct litscan_lines {
	size_t upto, lines;
};

/* litscan_find(), also counting newlines (the AVX-512 scanner counts the
 * blocks it passes; the others leave all to the caller). */
size_t litscan_find_lines(const struct litscan *ls, const char *s, size_t n,
			  size_t from, size_t to, struct litscan_lines *nl);

/* What scanning s[0..n) for every literal costs, in positions the
 * scanner had to look at, plus hit_cost for each literal found: to
 * compare scanners built for the same text. */
double litscan_probe(const struct litscan *ls, const char *s, size_t n,
		     double hit_cost);

/* The scanner chosen for this CPU: "avx512", "avx2", "ssse3", "neon" or
 * "scalar".
 * litscan_set_scanner() picks another one the CPU supports (tests and
 * benchmarks); -1 if it cannot. */
const char *litscan_scanner(const struct litscan *ls);
int litscan_set_scanner(struct litscan *ls, const char *name);

#endif
