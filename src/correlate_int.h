/* correlate_int.h - what the correlate*.c files share, and nothing else
 * includes: the handshake index and its search, and the comparisons both
 * sides sort with.
 *
 *   correlate.c       the stage: symptoms in report order, each tied to
 *                     the handshake the search finds; the rest absorbed by
 *                     a counted failure (compact.h) or grouped into
 *                     failures of their own
 *   correlate_find.c  the search: sorted indexes over the handshakes and
 *                     the three rules that pick one for a symptom
 *   correlate_node.c  which inputs are one node's logs (their directory)
 *
 * The split follows the one question the search answers ("which handshake
 * is this line about?"): it reads the report and changes nothing, so the
 * rules of nearness can be read and changed without the bookkeeping of
 * ties and groups around them.
 *
 * Ownership: correlate_index_new() borrows the report's handshakes (their
 * strings too) until correlate_index_free(); the report must not gain or
 * lose handshakes in between. */
#ifndef SSLSIFT_CORRELATE_INT_H
#define SSLSIFT_CORRELATE_INT_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "correlate.h"

/* How far back in its file an untimed symptom looks for its handshake. */
#define FALLBACK_LINES 500

/* ---- correlate_node.c ------------------------------------------------------ */

/* Which inputs are one node's logs: a batch of several nodes repeats
 * thread names, and a symptom is about its own node's handshakes. */
struct correlate_nodes;

struct correlate_nodes *correlate_nodes_new(const struct report *r);
void correlate_nodes_free(struct correlate_nodes **ns);
/* Whether a symptom of sym_file may be about a handshake of hs_file. */
bool correlate_nodes_related(const struct correlate_nodes *ns,
			     uint32_t sym_file, uint32_t hs_file);
/* The node of an input, UINT32_MAX for standard input: failures that
 * nothing explains are grouped within one node. */
uint32_t correlate_nodes_of(const struct correlate_nodes *ns, uint32_t file);

/* ---- correlate_find.c ----------------------------------------------------- */

struct correlate_index;

/* The index borrows ns until it is freed. */
struct correlate_index *correlate_index_new(const struct report *r,
					    const struct correlate_nodes *ns);
void correlate_index_free(struct correlate_index **ix);
/* The handshake s is about by the first rule that finds one, -1 if none.
 * The rules read the handshakes as they are now: what an earlier tie
 * filled in counts. */
long correlate_find(const struct correlate_index *ix, const struct report *r,
		    const struct symptom *s);

/* ---- comparisons ----------------------------------------------------------- */

/* NULL sorts first. */
static inline int str_cmp_null(const char *a, const char *b)
{
	if (!a || !b)
		return (a != NULL) - (b != NULL);
	return strcmp(a, b);
}

/* Host names: NULL first, case ignored. */
static inline int host_cmp_null(const char *a, const char *b)
{
	if (!a || !b)
		return (a != NULL) - (b != NULL);
	return strcasecmp(a, b);
}

static inline int cmp_u64(uint64_t a, uint64_t b)
{
	return (a > b) - (a < b);
}

static inline int cmp_i64(int64_t a, int64_t b)
{
	return (a > b) - (a < b);
}

/* |a - b| without overflow. */
static inline uint64_t gap(int64_t a, int64_t b)
{
	return a >= b ? (uint64_t)a - (uint64_t)b : (uint64_t)b - (uint64_t)a;
}

#endif
