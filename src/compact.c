/* compact.c - see compact.h.
 *
 * The handshakes not yet judged are those from detail_scan_from on that
 * lack detail_kept: everything before detail_scan_from is judged and kept.
 * A judgement run walks that tail once, keeps the still-open handshakes
 * and the kept ones (moving them down over the gaps the folded ones
 * leave), and updates every index that points into the tail: the
 * assembler's open handshakes (through `open`) and the tallies' rep.
 *
 * Tallies are found through an open-addressing hash on (diagnosis, peer).
 * Once COMPACT_MAX_TALLIES keys exist, a new key goes to its diagnosis'
 * "various" tally (peer NULL, various true), appended after the table. */
#include "config.h"
#include "compact.h"

#include <stdlib.h>
#include <string.h>

#include "diagnose.h"
#include "util.h"

/* A power of two, at least twice the most tallies the hash holds. */
#define INDEX_SIZE 16384
_Static_assert(INDEX_SIZE >= 2 * COMPACT_MAX_TALLIES, "tally index too small");

bool report_needs_compact(const struct report *r)
{
	return r->n_handshakes >= (size_t)COMPACT_FIRST + COMPACT_BATCH &&
	       r->n_handshakes - r->detail_kept >= COMPACT_BATCH;
}

bool report_symptom_fits(struct report *r)
{
	if (r->n_symptoms < COMPACT_MAX_SYMPTOMS)
		return true;
	r->symptoms_omitted++;
	return false;
}

/* ---- tallies ----------------------------------------------------------- */

static uint64_t key_hash(enum diag_code code, const char *peer)
{
	uint64_t h = 1469598103934665603ULL ^ (uint64_t)code;
	for (const unsigned char *p = (const unsigned char *)(peer ? peer : "");
	     *p; p++)
		h = (h ^ *p) * 1099511628211ULL;
	return h ^ (peer ? 0 : 0x9e3779b97f4a7c15ULL);
}

static bool key_eq(const struct tally *t, enum diag_code code, const char *peer)
{
	if (t->code != code || t->various)
		return false;
	if (!t->peer || !peer)
		return t->peer == peer;
	return strcmp(t->peer, peer) == 0;
}

static long tally_add(struct report *r, enum diag_code code, char *peer,
		      bool various)
{
	xgrow(&r->tallies, &r->cap_tallies, r->n_tallies + 1,
	      sizeof *r->tallies);
	struct tally *t = &r->tallies[r->n_tallies];
	memset(t, 0, sizeof *t);
	t->code = code;
	t->peer = peer;
	t->various = various;
	t->rep = -1;
	t->ts_first = t->ts_last = TS_NONE;
	return (long)r->n_tallies++;
}

/* The "various" tally of a diagnosis, for keys past the table. */
static long tally_various(struct report *r, enum diag_code code)
{
	for (size_t i = COMPACT_MAX_TALLIES; i < r->n_tallies; i++)
		if (r->tallies[i].code == code)
			return (long)i;
	return tally_add(r, code, NULL, true);
}

/* The tally of (code, peer); takes peer. */
static long tally_for(struct report *r, enum diag_code code, char *peer)
{
	if (!r->tally_index) {
		r->tally_index = xcalloc(INDEX_SIZE, sizeof *r->tally_index);
		r->tally_index_size = INDEX_SIZE;
	}
	size_t mask = r->tally_index_size - 1;
	size_t i = (size_t)key_hash(code, peer) & mask;
	for (; r->tally_index[i]; i = (i + 1) & mask) {
		long t = (long)r->tally_index[i] - 1;
		if (key_eq(&r->tallies[t], code, peer)) {
			free(peer);
			return t;
		}
	}
	if (r->n_tallies >= COMPACT_MAX_TALLIES) {
		free(peer);
		return tally_various(r, code);
	}
	long t = tally_add(r, code, peer, false);
	r->tally_index[i] = (uint32_t)t + 1;
	return t;
}

/* ---- judging ----------------------------------------------------------- */

static size_t str_size(const char *s)
{
	return s ? strlen(s) + 1 : 0;
}

/* Roughly what a kept handshake costs: the struct and what it owns. */
static size_t handshake_size(const struct handshake *h)
{
	size_t n = sizeof *h + str_size(h->thread) + str_size(h->peer_host) +
		   str_size(h->sni) + str_size(h->tls_version) +
		   str_size(h->cipher) + str_size(h->alert_sent) +
		   str_size(h->alert_received) + str_size(h->failure_text) +
		   str_size(h->missing_issuer);
	n += h->cap_peer_certs * sizeof *h->peer_certs;
	for (size_t i = 0; i < h->n_peer_certs; i++) {
		const struct cert *c = &h->peer_certs[i];
		n += str_size(c->subject) + str_size(c->issuer) +
		     str_size(c->not_before) + str_size(c->not_after) +
		     str_size(c->serial);
	}
	for (size_t i = 0; i < h->n_evidence; i++)
		n += str_size(h->evidence[i].text);
	return n + h->cap_symptoms * sizeof *h->symptoms;
}

static void tally_fold(struct report *r, struct tally *t,
		       const struct handshake *h)
{
	if (t->omitted == 0) {
		t->file = h->file;
		t->line_first = h->line;
	}
	if (h->file == t->file)
		t->line_last = h->last_line;
	t->omitted++;
	int64_t ts = h->ts_start != TS_NONE ? h->ts_start : h->ts_end;
	if (ts != TS_NONE) {
		if (t->ts_first == TS_NONE || ts < t->ts_first)
			t->ts_first = ts;
		int64_t end = h->ts_end != TS_NONE ? h->ts_end : ts;
		if (t->ts_last == TS_NONE || end > t->ts_last)
			t->ts_last = end;
	}
	r->handshakes_omitted++;
}

/* Keeps h (true) or folds it into its tally and frees it (false). */
static bool judge(struct report *r, struct handshake *h)
{
	diagnose_handshake(h);
	long ti = tally_for(r, h->diagnosis, handshake_peer_string(h));
	struct tally *t = &r->tallies[ti];
	t->seen++;
	size_t size = handshake_size(h);
	bool room = r->detail_kept < COMPACT_MAX_KEPT &&
		    r->detail_bytes + size <= COMPACT_MAX_BYTES;
	bool keep = t->rep < 0 ||
		    (room && (r->detail_kept < COMPACT_FIRST ||
			      t->seen <= COMPACT_PER_KEY));
	if (!keep) {
		tally_fold(r, t, h);
		handshake_free(h);
		return false;
	}
	if (t->rep < 0) {
		h->rep_of = ti;
		t->rep = 0;   /* set to h's final index when it is moved */
	}
	h->detail_kept = true;
	r->detail_kept++;
	r->detail_bytes += size;
	return true;
}

/* An open handshake's index and where it is named. */
struct open_ref {
	long idx;
	size_t k;
};

static int open_ref_cmp(const void *pa, const void *pb)
{
	const struct open_ref *a = pa, *b = pb;
	return (a->idx > b->idx) - (a->idx < b->idx);
}

void report_compact(struct report *r, long *const *open, size_t n_open)
{
	struct open_ref *refs = xcalloc(n_open ? n_open : 1, sizeof *refs);
	size_t nr = 0;
	for (size_t k = 0; k < n_open; k++)
		if (*open[k] >= 0)
			refs[nr++] = (struct open_ref){*open[k], k};
	qsort(refs, nr, sizeof *refs, open_ref_cmp);

	size_t n = r->n_handshakes, j = r->detail_scan_from, p = 0;
	size_t first_open = SIZE_MAX;
	while (p < nr && refs[p].idx < (long)j)
		p++;   /* cannot happen: open ones are never before scan_from */
	for (size_t i = j; i < n; i++) {
		struct handshake *h = &r->handshakes[i];
		bool is_open = p < nr && refs[p].idx == (long)i;
		for (; p < nr && refs[p].idx == (long)i; p++)
			*open[refs[p].k] = (long)j;
		if (is_open) {
			if (first_open == SIZE_MAX)
				first_open = j;
		} else if (!h->detail_kept && !judge(r, h)) {
			continue;
		}
		if (j != i)
			r->handshakes[j] = *h;
		if (r->handshakes[j].rep_of >= 0)
			r->tallies[r->handshakes[j].rep_of].rep = (long)j;
		j++;
	}
	free(refs);
	r->n_handshakes = j;
	r->detail_scan_from = first_open != SIZE_MAX ? first_open : j;
}

/* ---- -j: a worker's part into the whole -------------------------------- */

static int64_t ts_min(int64_t a, int64_t b)
{
	return a == TS_NONE ? b : b == TS_NONE ? a : a < b ? a : b;
}

static int64_t ts_max(int64_t a, int64_t b)
{
	return a == TS_NONE ? b : b == TS_NONE ? a : a > b ? a : b;
}

void compact_merge_tallies(struct report *dst, struct report *src, size_t hs0)
{
	long *map = xmalloc((src->n_tallies ? src->n_tallies : 1) * sizeof *map);
	for (size_t i = 0; i < src->n_tallies; i++) {
		struct tally *s = &src->tallies[i];
		long t = s->various ? tally_various(dst, s->code)
				    : tally_for(dst, s->code,
						s->peer ? xstrdup(s->peer) : NULL);
		struct tally *d = &dst->tallies[t];
		d->seen += s->seen;
		d->omitted += s->omitted;
		d->symptoms += s->symptoms;
		if (d->omitted == s->omitted) {
			/* new here: the part's place, as it had it */
			d->file = s->file;
			d->line_first = s->line_first;
			d->line_last = s->line_last;
		} else if (d->file == s->file && s->omitted) {
			if (s->line_first < d->line_first)
				d->line_first = s->line_first;
			if (s->line_last > d->line_last)
				d->line_last = s->line_last;
		}
		d->ts_first = ts_min(d->ts_first, s->ts_first);
		d->ts_last = ts_max(d->ts_last, s->ts_last);
		if (d->rep < 0 && s->rep >= 0)
			d->rep = s->rep + (long)hs0;
		map[i] = t;
	}
	/* The moved handshakes name their tally by its new index. */
	for (size_t j = hs0; j < dst->n_handshakes; j++) {
		long t = dst->handshakes[j].rep_of;
		if (t >= 0 && (size_t)t < src->n_tallies)
			dst->handshakes[j].rep_of = map[t];
	}
	free(map);
	dst->handshakes_omitted += src->handshakes_omitted;
	dst->symptoms_omitted += src->symptoms_omitted;
	dst->detail_kept += src->detail_kept;
	dst->detail_bytes += src->detail_bytes;
}
