/* textstat.c - see textstat.h.  The byte shares blend the built-in
 * ranking (a quarter) with the sample's counts (three quarters), so that
 * a byte the sample lacks is still not taken for impossible. */
#include "config.h"
#include "textstat.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

/* Bytes of English log text, most common first; absent ones are rarer. */
static const char common_bytes[] =
	" etaoinsrlcdhu.pm0gf12:y-b/w53469v78k_=,|ETSACRINODLPM\"x)(FHUB"
	"GW[]'jVq;KJz*YXQZ+>#<@!?&$%~^`{}\\\t";

static double rank_weight(unsigned char c)
{
	const char *at = memchr(common_bytes, c, sizeof common_bytes - 1);
	size_t rank = at ? (size_t)(at - common_bytes) : 2 * sizeof common_bytes;
	return 1.0 / (double)(rank + 2);
}

/* The sample's distinct 4-byte strings, grouped by their first two
 * bytes (the pair): those starting with pair p have their last two bytes
 * in rest[at[p] .. at[p + 1]) and their counts in count[] alike.  The
 * pairs present are listed in pairs[], so that a walk over every string
 * skips the empty groups. */
struct textstat_grams {
	uint32_t at[65536 + 1];
	uint16_t *pairs;
	size_t npairs;
	uint16_t *rest;
	uint32_t *count;
	size_t n;
};

static uint16_t be16(const unsigned char *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* Counts the 4-byte strings of s[0..n) (n >= 4) without sorting them,
 * and its byte pairs into pair_count[a * 256 + b]:
 * a counting sort by pair puts each string's last two bytes in its
 * group, then one pass over each group with a counter per value (reset
 * as it is read back) finds the distinct ones. */
static struct textstat_grams *count_grams(const unsigned char *s, size_t n,
					  float *pair_count)
{
	struct textstat_grams *g = xcalloc(1, sizeof *g);
	size_t positions = n - 3;
	for (size_t i = 0; i < positions; i++)
		g->at[be16(s + i) + 1]++;
	/* every pair of the sample, for the chain: those of the last two
	 * positions start no 4-byte string */
	for (size_t p = 0; p < 65536; p++)
		pair_count[p] = (float)g->at[p + 1];
	pair_count[be16(s + n - 3)] += 1.0f;
	pair_count[be16(s + n - 2)] += 1.0f;
	for (size_t p = 0; p < 65536; p++) {
		if (g->at[p + 1])
			g->npairs++;
		g->at[p + 1] += g->at[p];
	}
	uint16_t *by_pair = xmalloc(positions * sizeof *by_pair);
	uint32_t *fill = xmalloc(65536 * sizeof *fill);
	memcpy(fill, g->at, 65536 * sizeof *fill);
	for (size_t i = 0; i < positions; i++)
		by_pair[fill[be16(s + i)]++] = be16(s + i + 2);
	free(fill);
	g->pairs = xmalloc((g->npairs ? g->npairs : 1) * sizeof *g->pairs);
	g->rest = xmalloc(positions * sizeof *g->rest);
	g->count = xmalloc(positions * sizeof *g->count);
	uint32_t *seen = xcalloc(65536, sizeof *seen);
	size_t out = 0, np = 0;
	for (size_t p = 0; p < 65536; p++) {
		/* at[p] becomes where the group starts in rest[]; at[p + 1]
		 * still holds where it ended in by_pair[] */
		uint32_t from = g->at[p], to = g->at[p + 1];
		g->at[p] = (uint32_t)out;
		if (from == to)
			continue;
		g->pairs[np++] = (uint16_t)p;
		for (uint32_t k = from; k < to; k++)
			seen[by_pair[k]]++;
		for (uint32_t k = from; k < to; k++) {
			uint16_t r = by_pair[k];
			if (!seen[r])
				continue;
			g->rest[out] = r;
			g->count[out++] = seen[r];
			seen[r] = 0;
		}
	}
	g->at[65536] = (uint32_t)out;
	free(seen);
	free(by_pair);
	g->n = out;
	g->rest = xrealloc(g->rest, (out ? out : 1) * sizeof *g->rest);
	g->count = xrealloc(g->count, (out ? out : 1) * sizeof *g->count);
	return g;
}

void textstat_init(struct textstat *ts, const char *sample, size_t n)
{
	const unsigned char *s = (const unsigned char *)sample;
	double total = 0.0;
	memset(ts, 0, sizeof *ts);
	for (int c = 0; c < 256; c++)
		total += ts->share[c] = rank_weight((unsigned char)c);
	for (int c = 0; c < 256; c++)
		ts->share[c] /= total;
	if (!s || n < TEXTSTAT_MIN_SAMPLE)
		return;
	if (n > TEXTSTAT_MAX_SAMPLE)
		n = TEXTSTAT_MAX_SAMPLE;
	double count[256] = {0};
	ts->next = xcalloc(256 * 256, sizeof *ts->next);
	ts->grams = count_grams(s, n, ts->next);
	/* each byte but the last starts one pair */
	for (int a = 0; a < 256; a++)
		for (int b = 0; b < 256; b++)
			count[a] += ts->next[a * 256 + b];
	count[s[n - 1]] += 1.0;
	ts->positions = (double)(n - 3);
	for (int c = 0; c < 256; c++)
		ts->share[c] = 0.25 * ts->share[c] + 0.75 * count[c] / (double)n;
	/* P(b | a), pulled towards P(b) where a was seldom seen */
	for (int a = 0; a < 256; a++)
		for (int b = 0; b < 256; b++)
			ts->next[a * 256 + b] = (float)(
				(ts->next[a * 256 + b] + 4.0 * ts->share[b]) /
				(count[a] + 4.0));
}

void textstat_free(struct textstat *ts)
{
	if (ts->grams) {
		free(ts->grams->pairs);
		free(ts->grams->rest);
		free(ts->grams->count);
	}
	free(ts->grams);
	free(ts->next);
	ts->grams = NULL;
	ts->next = NULL;
}

double textstat_gram_share(const struct textstat *ts, const unsigned char *p)
{
	const struct textstat_grams *g = ts->grams;
	if (!g)
		return 0.0;
	uint16_t pair = be16(p), rest = be16(p + 2);
	for (uint32_t k = g->at[pair]; k < g->at[pair + 1]; k++)
		if (g->rest[k] == rest)
			return (double)g->count[k] / ts->positions;
	return 0.0;
}

static uint64_t group_sum(const struct textstat_grams *g, uint16_t pair,
			  const struct byteset set[4])
{
	uint64_t sum = 0;
	for (uint32_t k = g->at[pair]; k < g->at[pair + 1]; k++) {
		uint16_t r = g->rest[k];
		if (byteset_has(&set[2], (unsigned char)(r >> 8)) &&
		    byteset_has(&set[3], (unsigned char)r))
			sum += g->count[k];
	}
	return sum;
}

static size_t byteset_count(const struct byteset *s)
{
	size_t n = 0;
	for (int i = 0; i < 4; i++)
		n += ss_popcount64(s->w[i]);
	return n;
}

/* Over the pairs the first two sets allow, or over the pairs present
 * if those are fewer. */
double textstat_sets_share(const struct textstat *ts,
			   const struct byteset set[4])
{
	const struct textstat_grams *g = ts->grams;
	if (!g)
		return -1.0;
	uint64_t sum = 0;
	if (byteset_count(&set[0]) * byteset_count(&set[1]) < g->npairs) {
		for (int w0 = 0; w0 < 4; w0++)
			for (uint64_t m0 = set[0].w[w0]; m0; m0 &= m0 - 1) {
				unsigned a = (unsigned)(w0 * 64 + __builtin_ctzll(m0));
				for (int w1 = 0; w1 < 4; w1++)
					for (uint64_t m1 = set[1].w[w1]; m1; m1 &= m1 - 1)
						sum += group_sum(g, (uint16_t)(a << 8 |
							(unsigned)(w1 * 64 + __builtin_ctzll(m1))), set);
			}
	} else {
		for (size_t i = 0; i < g->npairs; i++) {
			uint16_t pair = g->pairs[i];
			if (byteset_has(&set[0], (unsigned char)(pair >> 8)) &&
			    byteset_has(&set[1], (unsigned char)pair))
				sum += group_sum(g, pair, set);
		}
	}
	return (double)sum / ts->positions;
}

double textstat_bytes_share(const struct textstat *ts, const unsigned char *p,
			    size_t n)
{
	double share = n ? ts->share[p[0]] : 1.0;
	for (size_t i = 1; i < n; i++)
		share *= ts->next ? ts->next[p[i - 1] * 256 + p[i]]
				  : ts->share[p[i]];
	return share;
}
