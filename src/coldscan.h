/* coldscan.h - the pipeline's whole-buffer prefilters: find, in a buffer
 * of whole lines, the next line that could hold what is looked for.
 *
 * Two kinds:
 * - COLD_OUTSIDE, for lines outside any debug block: such a line can
 *   matter only if it holds the literal of a rule whose event means
 *   something there (assembler_event_needs_block() says which do not), or
 *   an inner header mark (envelope_inner_marks()).
 * - COLD_RULES, for lines inside a block, each of which is taken: a line
 *   it skips holds the literal of no rule, so no rule can match it and
 *   the per-line prefilter (patterns_match()) need not run on it.
 *
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

#include "litscan.h"
#include "patterns.h"

struct coldscan;

enum coldscan_kind { COLD_OUTSIDE, COLD_RULES };

struct textstat;

/* NULL if no such scan is possible: a rule it must not miss (one that
 * matters outside blocks; for COLD_RULES, any rule) has no literal, so
 * every line must be looked at.  sample may be NULL; ts is what
 * textstat_init() says of it, or NULL to have it worked out here (a
 * caller building both kinds from one sample counts it once). */
struct coldscan *coldscan_new(const struct patterns *p,
			      enum coldscan_kind kind, const char *sample,
			      size_t sample_len, const struct textstat *ts);
void coldscan_free(struct coldscan **cs);
/* As litscan_find(): where a string of the set starts whose first byte
 * lies in [from, to) of s[0..n), or LITSCAN_NONE.  Every line of
 * s[from..) that could matter and lies wholly before the line of the
 * place returned would have been found instead. */
size_t coldscan_find(const struct coldscan *cs, const char *s, size_t n,
		     size_t from, size_t to);
/* coldscan_find(), also counting the newlines it passes (litscan.h). */
size_t coldscan_find_lines(const struct coldscan *cs, const char *s, size_t n,
			   size_t from, size_t to, struct litscan_lines *nl);
/* How many strings the scanner looks for (tests, --debug output). */
size_t coldscan_count(const struct coldscan *cs);

#endif
