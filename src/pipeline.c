/* pipeline.c - see pipeline.h. */
#include "config.h"
#include "pipeline.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "assemble.h"
#include "correlate.h"
#include "diagnose.h"
#include "envelope.h"
#include "reader.h"
#include "timewin.h"

#define MAX_HITS 32
/* Lines between two calls of the progress callback (a power of two). */
#define PROGRESS_LINES 256

/* Every JDK 11+ record header matters (it closes the record before it),
 * whether or not a rule matches its message. */
static const char record_mark[] = "javax.net.ssl|";

struct pipeline {
	const struct patterns *patterns;
	struct pattern_matcher *matcher;
	struct envelopes *envelopes;
	struct assembler *assembler;
	struct report *report;
	struct pipeline_opts opts;
	struct timewin_filter *window;  /* NULL: no time window */
	uint64_t progress_bytes;        /* of this input, already reported */
};

struct pipeline *pipeline_new(const struct patterns *p,
			      const struct pipeline_opts *o, struct ss_err *err)
{
	struct envelopes *env = envelopes_new(err);
	if (!env)
		return NULL;
	struct pipeline *pl = xcalloc(1, sizeof *pl);
	pl->patterns = p;
	pl->matcher = pattern_matcher_new(p);
	pl->envelopes = env;
	pl->report = report_new();
	pl->assembler = assembler_new(pl->report);
	if (o)
		pl->opts = *o;
	if (!pl->opts.max_line)
		pl->opts.max_line = READER_DEFAULT_MAX_LINE;
	if (timewin_active(pl->opts.window))
		pl->window = timewin_filter_new(pl->opts.window);
	return pl;
}

void pipeline_free(struct pipeline **plp)
{
	struct pipeline *pl = *plp;
	if (!pl)
		return;
	pattern_matcher_free(&pl->matcher);
	envelopes_free(&pl->envelopes);
	assembler_free(&pl->assembler);
	report_free(&pl->report);
	timewin_filter_free(&pl->window);
	free(pl);
	*plp = NULL;
}

static void warn(struct pipeline *pl, const char *path, const char *msg)
{
	if (!pl->opts.warn)
		return;
	struct strbuf b = {0};
	sb_printf(&b, "%s: %s", path, msg);
	pl->opts.warn(pl->opts.warn_ctx, b.p);
	sb_free(&b);
}

static bool is_candidate(struct pipeline *pl, const struct line *ln)
{
	if (assembler_in_block(pl->assembler))
		return true;
	if (patterns_candidate(pl->patterns, ln->p, ln->n))
		return true;
	return ln->n >= sizeof record_mark - 1 &&
	       memmem(ln->p, ln->n, record_mark, sizeof record_mark - 1);
}

static void progress(struct pipeline *pl, struct reader *rd, bool done)
{
	if (!pl->opts.progress)
		return;
	uint64_t bytes = rd ? reader_bytes(rd) : 0;
	uint64_t delta = bytes > pl->progress_bytes ? bytes - pl->progress_bytes : 0;
	pl->progress_bytes = done ? 0 : bytes;
	pl->opts.progress(pl->opts.progress_ctx, delta, done);
}

/* Whether a line may matter to the time window: its own timestamp, else
 * that of the last line skipped before it (see timewin.h). */
static bool in_window(struct pipeline *pl, const struct envline *env)
{
	int64_t ts = env->ts != TS_NONE ? env->ts : env->jsse_ts;
	size_t n;
	const char *held;
	if (ts == TS_NONE && (held = timewin_pending(pl->window, &n))) {
		struct env_cache cache;
		struct envline prev;
		env_cache_init(&cache);
		envelope_strip(pl->envelopes, &cache, held, n, &prev);
		ts = prev.ts != TS_NONE ? prev.ts : prev.jsse_ts;
	}
	return timewin_line(pl->window, ts);
}

/* The hot loop: most lines of an application log are rejected by the
 * literal prefilter before any envelope or regex work. */
static int run_reader(struct pipeline *pl, struct reader *rd, uint32_t file,
		      struct ss_err *err)
{
	struct env_cache cache;
	struct envline env;
	struct line ln;
	struct pattern_hit hits[MAX_HITS];
	int rc;
	env_cache_init(&cache);
	assembler_begin_input(pl->assembler, file);
	if (pl->window)
		timewin_begin_input(pl->window);
	while ((rc = reader_next(rd, &ln, err)) > 0) {
		if ((ln.no & (PROGRESS_LINES - 1)) == 0)
			progress(pl, rd, false);
		if (!is_candidate(pl, &ln)) {
			if (pl->window)
				timewin_remember(pl->window, ln.p, ln.n);
			continue;
		}
		envelope_strip(pl->envelopes, &cache, ln.p, ln.n, &env);
		if (pl->window && !in_window(pl, &env))
			continue;
		size_t n = patterns_match(pl->matcher, env.msg.p, env.msg.n, hits,
					  MAX_HITS);
		assembler_line(pl->assembler, ln.no, &env, hits, n);
		if (pl->window)
			timewin_note(pl->window, pl->report);
	}
	assembler_end_input(pl->assembler);
	if (pl->window)
		timewin_note(pl->window, pl->report);
	return rc;
}

static int feed_reader(struct pipeline *pl, struct reader *rd, const char *path)
{
	struct ss_err err = {{0}};
	uint32_t file = (uint32_t)pl->report->n_inputs;
	report_add_input(pl->report, path);
	int rc = run_reader(pl, rd, file, &err);
	struct input *in = &pl->report->inputs[file];
	in->compressed = reader_compressed(rd);
	in->bytes = reader_bytes(rd);
	in->lines = reader_lines(rd);
	in->long_lines = reader_cut_lines(rd);
	progress(pl, rd, true);
	if (rc < 0) {
		in->error = xstrdup(err.msg);
		warn(pl, path, err.msg);
		return -1;
	}
	return 0;
}

int pipeline_feed_path(struct pipeline *pl, const char *path)
{
	struct ss_err err = {{0}};
	struct reader *rd;
	if (!strcmp(path, "-"))
		rd = reader_open_fd(STDIN_FILENO, "-", pl->opts.max_line);
	else
		rd = reader_open_path(path, pl->opts.max_line, &err);
	if (!rd) {
		pipeline_feed_error(pl, path, err.msg);
		warn(pl, path, err.msg);
		return -1;
	}
	int rc = feed_reader(pl, rd, path);
	reader_free(&rd);
	return rc;
}

int pipeline_feed_mem(struct pipeline *pl, const char *label, const void *buf,
		      size_t len)
{
	struct reader *rd = reader_open_mem(buf, len, label, pl->opts.max_line);
	int rc = feed_reader(pl, rd, label);
	reader_free(&rd);
	return rc;
}

void pipeline_feed_error(struct pipeline *pl, const char *path,
			 const char *msg)
{
	struct input *in = report_add_input(pl->report, path);
	in->error = xstrdup(msg);
	progress(pl, NULL, true);
}

struct report *pipeline_finish(struct pipeline *pl)
{
	correlate_report(pl->report);
	if (pl->window)
		timewin_apply(pl->window, pl->report);
	diagnose_report(pl->report);
	struct report *r = pl->report;
	pl->report = report_new();
	assembler_free(&pl->assembler);
	pl->assembler = assembler_new(pl->report);
	return r;
}
