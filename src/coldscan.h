/* coldscan.h - the pipeline's prefilter for lines outside any debug block:
 * finds, in a buffer of whole lines, the next place a line could matter.
 *
 * A line outside a block can matter only if it holds the literal of a
 * rule whose event means something there (assembler_event_needs_block()
 * says which do not), or an inner header mark (envelope_inner_marks()).
 * Rather than look for those literals, the scanner looks for a small set
 * of 4-byte strings, at least one inside each of them, chosen to be rare
 * in a sample of the text (textstat.h): fewer, rarer strings make a
 * faster scan, and a line found this way is then checked exactly by the
 * caller.  What is found never depends on the sample, only the speed.
 *
 * Ownership: coldscan_new() returns a scanner the caller frees with
 * coldscan_free(); it copies what it needs from the patterns.  Read-only
 * afterwards. */
#ifndef SSLSIFT_COLDSCAN_H
#define SSLSIFT_COLDSCAN_H

#include <stddef.h>

#include "patterns.h"

struct coldscan;

/* NULL if no such scan is possible: a rule that matters outside blocks
 * has no literal, so every line must be looked at.  sample may be NULL. */
struct coldscan *coldscan_new(const struct patterns *p, const char *sample,
			      size_t sample_len);
void coldscan_free(struct coldscan **cs);
/* As litscan_find(): where a string of the set starts whose first byte
 * lies in [from, to) of s[0..n), or LITSCAN_NONE.  Every line of
 * s[from..) that could matter and lies wholly before the line of the
 * place returned would have been found instead. */
size_t coldscan_find(const struct coldscan *cs, const char *s, size_t n,
		     size_t from, size_t to);
/* How many strings the scanner looks for (tests, --debug output). */
size_t coldscan_count(const struct coldscan *cs);

#endif
