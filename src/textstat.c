/* textstat.c - see textstat.h.  The byte shares blend the built-in
 * ranking (a quarter) with the sample's counts (three quarters), so that
 * a byte the sample lacks is still not taken for impossible. */
#include "config.h"
#include "textstat.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

enum { GRAM_BITS = 16 };

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

static uint32_t gram_hash(const unsigned char *p)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return (v * 2654435761u) >> (32 - GRAM_BITS);
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
	double count[256] = {0};
	ts->grams = xcalloc((size_t)1 << GRAM_BITS, sizeof *ts->grams);
	ts->next = xcalloc(256 * 256, sizeof *ts->next);
	for (size_t i = 0; i < n; i++) {
		count[s[i]] += 1.0;
		if (i + 1 < n)
			ts->next[s[i] * 256 + s[i + 1]] += 1.0f;
		if (i + 4 <= n) {
			uint16_t *g = &ts->grams[gram_hash(s + i)];
			*g += *g < UINT16_MAX;
		}
	}
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
	free(ts->grams);
	free(ts->next);
	ts->grams = NULL;
	ts->next = NULL;
}

double textstat_gram_share(const struct textstat *ts, const unsigned char *p)
{
	if (!ts->grams)
		return 0.0;
	return (double)ts->grams[gram_hash(p)] / ts->positions;
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
