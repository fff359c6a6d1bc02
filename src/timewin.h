/* timewin.h - the time window (--since / --until) as a filter stage.
 *
 * Times are naive wall-clock milliseconds, like every envelope timestamp
 * (see util.h): the civil time as the log wrote it.  A window bound is
 * either a date-time ("2026-11-21", "2026-11-21 10:00",
 * "2026-11-21T10:00:00.250") or a span back from now ("2h", "30m", "3d",
 * "1h30m"; units s m h d w).  A bound given to the day or the minute
 * covers that whole unit: --since starts at its first millisecond,
 * --until ends at its last, so --since 2026-11-21 --until 2026-11-21 is
 * the whole of that day.
 *
 * Which lines count: a line's time is its envelope's timestamp (the outer
 * one, else the JSSE record's); a line without one inherits the last
 * timestamp seen before it in the same input; lines before the first
 * timestamp of an input (and inputs with none at all) are outside every
 * window.  A handshake belongs to the window by its start, symptoms go
 * with the handshake they are tied to.  So that a handshake that starts
 * just inside the window is assembled whole, lines up to TIMEWIN_SLACK_MS
 * either side of the window are still read; timewin_apply() then drops
 * the handshakes that started outside it.
 *
 * Ownership: a struct timewin is plain data.  A struct timewin_filter is
 * made by timewin_filter_new(), borrows its window, and is freed by
 * timewin_filter_free(). */
#ifndef SSLSIFT_TIMEWIN_H
#define SSLSIFT_TIMEWIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model.h"
#include "util.h"

#define TIMEWIN_SLACK_MS (5 * 60 * 1000)

struct timewin {
	int64_t since;   /* first millisecond inside, or TS_NONE */
	int64_t until;   /* last millisecond inside, or TS_NONE */
};

/* Which end of the unit a date-time given to the day, minute or second
 * stands for. */
enum timewin_edge { TW_START, TW_END };

/* Parses a window bound; relative spans count back from now.  Returns 0,
 * or -1 with err saying what is wrong. */
int timewin_parse(const char *s, int64_t now, enum timewin_edge edge,
		  int64_t *out, struct ss_err *err);
/* Only the date-time forms; -1 (without a message) for anything else. */
int timewin_parse_datetime(const char *s, enum timewin_edge edge,
			   int64_t *out);
/* The local wall clock, now, as naive milliseconds. */
int64_t timewin_local_now(void);
/* True if the window has a bound. */
bool timewin_active(const struct timewin *w);
/* True if ts is inside (an open window holds everything, TS_NONE is
 * inside only an open window). */
bool timewin_contains(const struct timewin *w, int64_t ts);

/* ---- the filter stage the pipeline consults -------------------------- */

struct timewin_filter;

struct timewin_filter *timewin_filter_new(const struct timewin *w);
void timewin_filter_free(struct timewin_filter **f);
/* A new input starts: nothing is inherited across inputs. */
void timewin_begin_input(struct timewin_filter *f);
/* A line the pipeline does not otherwise look at: if its first bytes
 * look like they hold a timestamp, they are kept, in case a later line
 * without one needs it. */
void timewin_remember(struct timewin_filter *f, const char *p, size_t n);
/* The bytes timewin_remember() kept, if they are newer than the last
 * line given to timewin_line(); NULL otherwise. */
const char *timewin_pending(const struct timewin_filter *f, size_t *n);
/* A line's own timestamp (TS_NONE if it has none): true if the line may
 * matter to the window and must be read on. */
bool timewin_line(struct timewin_filter *f, int64_t own_ts);
/* Records the time of the handshakes and symptoms added to r since the
 * last call (the line's time, inherited if need be). */
void timewin_note(struct timewin_filter *f, struct report *r);
/* The pipeline handed its report over (-j) and notes into a new one. */
void timewin_new_report(struct timewin_filter *f);
/* Drops the handshakes of r that started outside the window (and their
 * symptoms), records the window in r, and forgets the notes. */
void timewin_apply(struct timewin_filter *f, struct report *r);
/* The same for a report made elsewhere (merged reports): by start time
 * alone; a handshake without one is outside a bounded window. */
void timewin_apply_report(const struct timewin *w, struct report *r);

#endif
