/* timewin.c - see timewin.h. */
#include "config.h"
#include "timewin.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#define DAY_MS INT64_C(86400000)

/* ---- parsing ------------------------------------------------------------ */

static bool is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

/* Exactly n digits at *p. */
static int fixed_digits(const char **p, const char *end, int n)
{
	const char *start = *p;
	int v = parse_digits(p, end, n);
	return *p - start == n ? v : -1;
}

/* How long the unit is that the date-time was given to, minus one ms. */
struct civil {
	int y, mo, d, h, mi, s, ms;
	int64_t unit_ms;
};

static bool parse_date(const char **p, const char *end, struct civil *c)
{
	c->y = fixed_digits(p, end, 4);
	if (c->y < 0 || *p >= end || (**p != '-' && **p != '/'))
		return false;
	char sep = *(*p)++;
	c->mo = fixed_digits(p, end, 2);
	if (c->mo < 1 || c->mo > 12 || *p >= end || **p != sep)
		return false;
	(*p)++;
	c->d = fixed_digits(p, end, 2);
	return c->d >= 1 && c->d <= days_in_month(c->y, c->mo);
}

/* "HH:MM[:SS[.fff]]" after the date; fills the unit it was given to. */
static bool parse_clock(const char **p, const char *end, struct civil *c)
{
	c->h = fixed_digits(p, end, 2);
	if (c->h < 0 || c->h > 23 || *p >= end || **p != ':')
		return false;
	(*p)++;
	c->mi = fixed_digits(p, end, 2);
	if (c->mi < 0 || c->mi > 59)
		return false;
	c->unit_ms = 60000;
	if (*p >= end || **p != ':')
		return true;
	(*p)++;
	c->s = fixed_digits(p, end, 2);
	if (c->s < 0 || c->s > 59)
		return false;
	c->unit_ms = 1000;
	if (*p >= end || (**p != '.' && **p != ','))
		return true;
	(*p)++;
	const char *start = *p;
	int frac = parse_digits(p, end, 3);
	if (frac < 0)
		return false;
	for (ptrdiff_t i = *p - start; i < 3; i++)
		frac *= 10;
	while (*p < end && **p >= '0' && **p <= '9')
		(*p)++; /* finer than a millisecond: cut */
	c->ms = frac;
	c->unit_ms = 1;
	return true;
}

int timewin_parse_datetime(const char *s, enum timewin_edge edge,
			   int64_t *out)
{
	const char *p = s, *end = s + strlen(s);
	struct civil c = {.unit_ms = DAY_MS};
	if (!parse_date(&p, end, &c))
		return -1;
	if (end - p > 1 && (*p == 'T' || *p == ' ') && p[1] >= '0' &&
	    p[1] <= '9') {
		p++;
		if (!parse_clock(&p, end, &c))
			return -1;
	}
	while (p < end && *p == ' ')
		p++;
	if (p != end)
		return -1;
	int64_t ms = civil_to_ms(c.y, c.mo, c.d, c.h, c.mi, c.s, c.ms);
	if (ms == TS_NONE)
		return -1;
	*out = edge == TW_END ? ms + c.unit_ms - 1 : ms;
	return 0;
}

static int64_t unit_of(char u)
{
	switch (u) {
	case 's': return 1000;
	case 'm': return 60000;
	case 'h': return 3600000;
	case 'd': return DAY_MS;
	case 'w': return 7 * DAY_MS;
	default: return 0;
	}
}

/* "2h", "30m", "1h30m", "3d": the span in ms, or -1. */
static int64_t parse_span(const char *s)
{
	const char *p = s, *end = s + strlen(s);
	int64_t total = 0;
	if (p == end)
		return -1;
	while (p < end) {
		const char *start = p;
		int v = parse_digits(&p, end, 6);
		if (v < 0 || p == start || p >= end || !unit_of(*p))
			return -1;
		total += (int64_t)v * unit_of(*p++);
	}
	return total;
}

static bool has_zone(const char *s)
{
	size_t n = strlen(s);
	const char *t = strpbrk(s, "T ");
	return (n && (s[n - 1] == 'Z' || s[n - 1] == 'z')) ||
	       (t && strpbrk(t, "+"));
}

int timewin_parse(const char *s, int64_t now, enum timewin_edge edge,
		  int64_t *out, struct ss_err *err)
{
	if (timewin_parse_datetime(s, edge, out) == 0)
		return 0;
	int64_t span = parse_span(s);
	if (span >= 0) {
		*out = now - span;
		return 0;
	}
	if (has_zone(s))
		ss_err_set(err, "'%s': no time zones, please: log times are "
			   "compared as the local wall-clock times they are",
			   s);
	else
		ss_err_set(err, "'%s' is neither a date-time (2026-11-21, "
			   "'2026-11-21 10:00', 2026-11-21T10:00:00) nor a span "
			   "back from now (30m, 2h, 3d, 1h30m)", s);
	return -1;
}

int64_t timewin_local_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	struct tm tm;
	time_t t = ts.tv_sec;
	localtime_r(&t, &tm);
	return civil_to_ms(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
			   tm.tm_hour, tm.tm_min, tm.tm_sec,
			   (int)(ts.tv_nsec / 1000000));
}

bool timewin_active(const struct timewin *w)
{
	return w && (w->since != TS_NONE || w->until != TS_NONE);
}

bool timewin_contains(const struct timewin *w, int64_t ts)
{
	if (!timewin_active(w))
		return true;
	if (ts == TS_NONE)
		return false;
	return (w->since == TS_NONE || ts >= w->since) &&
	       (w->until == TS_NONE || ts <= w->until);
}

/* ---- the filter ---------------------------------------------------------- */

#define REMEMBER_BYTES 160  /* enough for any envelope's timestamp */

struct timewin_filter {
	const struct timewin *w;
	int64_t last_ts;            /* in the current input, or TS_NONE */
	char held[REMEMBER_BYTES];  /* the start of the last line skipped */
	size_t n_held;
	bool pending;               /* held[] is newer than last_ts */
	size_t n_hs, n_sym;         /* of the report, already noted */
};

struct timewin_filter *timewin_filter_new(const struct timewin *w)
{
	struct timewin_filter *f = xcalloc(1, sizeof *f);
	f->w = w;
	f->last_ts = TS_NONE;
	return f;
}

void timewin_filter_free(struct timewin_filter **fp)
{
	struct timewin_filter *f = *fp;
	if (!f)
		return;
	free(f);
	*fp = NULL;
}

void timewin_begin_input(struct timewin_filter *f)
{
	f->last_ts = TS_NONE;
	f->pending = false;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Whether the start of a line holds something like "10:11:12": stack
 * frames and other continuation lines do not, so they never hide the
 * timestamp of the line they continue. */
static bool looks_timed(const char *p, size_t n)
{
	for (size_t i = 2; i + 5 < n; i++)
		if (p[i] == ':' && p[i + 3] == ':' && is_digit(p[i - 1]) &&
		    is_digit(p[i - 2]) && is_digit(p[i + 1]) &&
		    is_digit(p[i + 2]) && is_digit(p[i + 4]))
			return true;
	return false;
}

void timewin_remember(struct timewin_filter *f, const char *p, size_t n)
{
	if (n > REMEMBER_BYTES)
		n = REMEMBER_BYTES;
	if (!looks_timed(p, n))
		return;
	f->n_held = n;
	memcpy(f->held, p, f->n_held);
	f->pending = true;
}

const char *timewin_pending(const struct timewin_filter *f, size_t *n)
{
	if (!f->pending)
		return NULL;
	*n = f->n_held;
	return f->held;
}

bool timewin_line(struct timewin_filter *f, int64_t own_ts)
{
	f->pending = false;
	if (own_ts != TS_NONE)
		f->last_ts = own_ts;
	int64_t ts = f->last_ts;
	/* No time known yet in this file (classic JDK 8 output, or expanded
	 * records whose time is in their body): the line cannot be judged
	 * here; the handshakes it builds are kept or cut by their start. */
	if (ts == TS_NONE)
		return true;
	const struct timewin *w = f->w;
	if (w->since != TS_NONE && ts < w->since - TIMEWIN_SLACK_MS)
		return false;
	return w->until == TS_NONE || ts <= w->until + TIMEWIN_SLACK_MS;
}

void timewin_new_report(struct timewin_filter *f)
{
	f->n_hs = f->n_sym = 0;
}

/* The time goes into the report itself, so that it travels with the
 * handshake when reports are merged (-j). */
void timewin_note(struct timewin_filter *f, struct report *r)
{
	while (f->n_hs < r->n_handshakes)
		r->handshakes[f->n_hs++].ts_line = f->last_ts;
	while (f->n_sym < r->n_symptoms)
		r->symptoms[f->n_sym++].ts_line = f->last_ts;
}

/* A handshake's start: its own, else the time of the line that began it,
 * else (one made from symptoms by correlate.c) that of its first symptom. */
static int64_t start_of(const struct timewin_filter *f, const struct report *r,
			size_t i)
{
	const struct handshake *h = &r->handshakes[i];
	if (h->ts_start != TS_NONE || !f)
		return h->ts_start;
	if (h->ts_line != TS_NONE)
		return h->ts_line;
	if (h->n_symptoms && h->symptoms[0] < r->n_symptoms)
		return r->symptoms[h->symptoms[0]].ts_line;
	return TS_NONE;
}

static void apply(const struct timewin_filter *f, const struct timewin *w,
		  struct report *r)
{
	r->since = w->since;
	r->until = w->until;
	if (!timewin_active(w))
		return;
	bool *keep = xcalloc(r->n_handshakes ? r->n_handshakes : 1,
			     sizeof *keep);
	for (size_t i = 0; i < r->n_handshakes; i++)
		keep[i] = timewin_contains(w, start_of(f, r, i));
	report_keep_handshakes(r, keep);
	free(keep);
	/* Handshakes the detail caps counted only: a tally all of whose
	 * times are outside the window goes (one that straddles an edge is
	 * kept whole: it is not known which of them were inside). */
	for (size_t i = 0; i < r->n_tallies; i++) {
		struct tally *t = &r->tallies[i];
		bool before = w->since != TS_NONE && t->ts_last != TS_NONE &&
			      t->ts_last < w->since;
		bool after = w->until != TS_NONE && t->ts_first != TS_NONE &&
			     t->ts_first > w->until;
		if (t->omitted && (before || after)) {
			r->handshakes_omitted -= t->omitted;
			t->omitted = 0;
		}
	}
}

void timewin_apply(struct timewin_filter *f, struct report *r)
{
	apply(f, f->w, r);
	f->n_hs = f->n_sym = 0;
}

void timewin_apply_report(const struct timewin *w, struct report *r)
{
	apply(NULL, w, r);
}
