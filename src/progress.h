/* progress.h - the progress line of a long scan, on standard error:
 *
 *     sslsift: 45.2 MiB of 120.0 MiB (37%), 3 of 12 files, 30.1 MiB/s, ETA 3s
 *
 * It appears only once a scan has run for PROGRESS_DELAY_MS (short scans
 * stay quiet), is redrawn in place with a carriage return at most every
 * PROGRESS_REDRAW_MS, and is cleared at the end.  Whether it is wanted at
 * all (a terminal, --progress, --no-progress) is the caller's choice.  The
 * pipeline feeds it through its progress callback: progress_feed() has
 * that callback's shape.  The clock is a parameter, so tests drive it.
 *
 * Ownership: progress_new() returns an object the caller frees with
 * progress_free(); the stream is borrowed. */
#ifndef SSLSIFT_PROGRESS_H
#define SSLSIFT_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define PROGRESS_DELAY_MS 1000
#define PROGRESS_REDRAW_MS 200

/* Monotonic milliseconds. */
typedef int64_t (*progress_clock_fn)(void *ctx);

struct progress_opts {
	FILE *out;                 /* standard error, usually */
	uint64_t total_bytes;      /* sum of the input sizes; 0: unknown */
	size_t total_files;        /* 0: unknown */
	int width;                 /* columns; the line is cut to fit; 0: 80 */
	progress_clock_fn clock;   /* NULL: CLOCK_MONOTONIC */
	void *clock_ctx;
};

struct progress;

struct progress *progress_new(const struct progress_opts *o);
/* The pipeline's progress callback (ctx is the struct progress). */
void progress_feed(void *ctx, uint64_t bytes, bool input_done);
/* Clears the line so that another message can go to the stream; the
 * next progress_feed() draws it again. */
void progress_hide(struct progress *p);
/* Clears the line for good: nothing is drawn after this. */
void progress_finish(struct progress *p);
void progress_free(struct progress **p);

/* The text of the line (without \r), for the state given; exposed for
 * the tests.  elapsed_ms > 0. */
void progress_format(char *buf, size_t len, uint64_t bytes,
		     uint64_t total_bytes, size_t files, size_t total_files,
		     int64_t elapsed_ms);

#endif
