/* pipeline.h - the whole analysis as one object: inputs in, report out.
 * bytes -> lines (reader) -> envelopes stripped (envelope) -> classified
 * (patterns) -> handshakes assembled (assemble) -> symptoms correlated
 * (correlate) -> cut to the time window, if any (timewin) -> diagnosed
 * (diagnose).  main.c, the tests and the fuzzer
 * all drive this same code.
 *
 * Ownership: pipeline_new() returns a pipeline the caller frees with
 * pipeline_free().  pipeline_finish() hands over the report: the caller
 * frees it with report_free().  The patterns passed in are borrowed. */
#ifndef SSLSIFT_PIPELINE_H
#define SSLSIFT_PIPELINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model.h"
#include "patterns.h"
#include "source.h"
#include "util.h"

/* Called once per problem with an input, with a one-line message that names
 * the input: "logs/wrapper.log.3.gz: truncated gzip stream at byte 40960",
 * "big.log:7: line longer than ..." or, for a rule that hit a PCRE2 match
 * limit, "patterns/x.pat:3: rule hit the match limit on input.log:1234".
 * Every message is also kept in the report (report.errors). */
typedef void (*pipeline_warn_fn)(void *ctx, const char *msg);
/* Called now and then while an input is read, with the bytes read since
 * the last call, and once when an input is done (input_done true; an
 * input that could not be opened counts as done). */
typedef void (*pipeline_progress_fn)(void *ctx, uint64_t bytes,
				     bool input_done);

struct timewin;

struct pipeline_opts {
	size_t max_line;            /* 0: READER_DEFAULT_MAX_LINE */
	unsigned jobs;              /* inputs read at a time by
				     * pipeline_feed_sources(); 0: one per
				     * core */
	pipeline_warn_fn warn;      /* may be NULL */
	void *warn_ctx;
	pipeline_progress_fn progress;  /* may be NULL */
	void *progress_ctx;
	const struct timewin *window;   /* borrowed; NULL: no window */
};

struct pipeline;

struct pipeline *pipeline_new(const struct patterns *p,
			      const struct pipeline_opts *o, struct ss_err *err);
/* Reads one input ("-" is standard input).  Returns 0, or -1 if the input
 * could not be read whole (the problem was reported through warn and is
 * recorded in the report; what could be read was analysed). */
int pipeline_feed_path(struct pipeline *pl, const char *path);
int pipeline_feed_mem(struct pipeline *pl, const char *label, const void *buf,
		      size_t len);
/* Records an input that could not be opened at all (from source.c); msg
 * names it.  Unlike the other problems, it is not passed to warn: the
 * caller reports it. */
void pipeline_feed_error(struct pipeline *pl, const char *path,
			 const char *msg);
/* Reads a run's inputs (source.h) in order: an item that could not be
 * used is warned of and recorded, the others fed.  With jobs > 1, whole
 * inputs are read on several cores at once (batch.c); the report and the
 * warnings are the same, byte for byte.  Returns 0, or -1 if any input
 * had a problem. */
int pipeline_feed_sources(struct pipeline *pl, const struct source_list *l);
/* Correlates and diagnoses; the report is the caller's. */
struct report *pipeline_finish(struct pipeline *pl);
void pipeline_free(struct pipeline **pl);

/* For batch.c.  pipeline_take_part(): the report of what was fed since
 * the last call, not correlated; the pipeline goes on with an empty one.
 * pipeline_add_part(): merges such a report in, warning of its inputs'
 * errors as feeding them here would have; frees *part.
 * pipeline_warn(): passes a message to the warn callback as it is. */
struct report *pipeline_take_part(struct pipeline *pl);
void pipeline_add_part(struct pipeline *pl, struct report **part);
void pipeline_warn(struct pipeline *pl, const char *msg);
const struct patterns *pipeline_patterns(const struct pipeline *pl);
const struct pipeline_opts *pipeline_opts(const struct pipeline *pl);

#endif
