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

#define MAX_HITS 32

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
	free(pl);
	*plp = NULL;
}

/* Every problem goes to the report and to the caller's warn. */
static void warn_line(struct pipeline *pl, const char *line)
{
	report_add_error(pl->report, line);
	if (pl->opts.warn)
		pl->opts.warn(pl->opts.warn_ctx, line);
}

static void warn(struct pipeline *pl, const char *path, const char *msg)
{
	struct strbuf b = {0};
	sb_printf(&b, "%s: %s", path, msg);
	warn_line(pl, b.p);
	sb_free(&b);
}

/* A rule that hit a PCRE2 match limit is named once, with the first line
 * it could not judge: a line it may have missed is never silent. */
static void report_limits(struct pipeline *pl, uint32_t file, uint64_t lineno)
{
	size_t n;
	const size_t *rules = patterns_new_limit_rules(pl->matcher, &n);
	for (size_t i = 0; i < n; i++) {
		struct strbuf b = {0};
		sb_printf(&b, "%s: rule hit the match limit on %s:%llu",
			  patterns_source(pl->patterns, rules[i]),
			  pl->report->inputs[file].path,
			  (unsigned long long)lineno);
		warn_line(pl, b.p);
		sb_free(&b);
	}
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
	while ((rc = reader_next(rd, &ln, err)) > 0) {
		if (!is_candidate(pl, &ln))
			continue;
		envelope_strip(pl->envelopes, &cache, ln.p, ln.n, &env);
		unsigned long limits = patterns_limit_hits(pl->matcher);
		size_t n = patterns_match(pl->matcher, env.msg.p, env.msg.n, hits,
					  MAX_HITS);
		if (patterns_limit_hits(pl->matcher) != limits)
			report_limits(pl, file, ln.no);
		assembler_line(pl->assembler, ln.no, &env, hits, n);
	}
	assembler_end_input(pl->assembler);
	return rc;
}

/* Lines cut at the maximum length were matched in part only. */
static void warn_cut_lines(struct pipeline *pl, const char *path,
			   const struct reader *rd)
{
	struct strbuf b = {0};
	uint64_t n = reader_cut_lines(rd);
	sb_printf(&b, "%s:%llu: line longer than %zu bytes, cut for matching "
		  "(%llu such line%s; --max-line raises the limit)", path,
		  (unsigned long long)reader_first_cut_line(rd),
		  pl->opts.max_line, (unsigned long long)n, n == 1 ? "" : "s");
	warn_line(pl, b.p);
	sb_free(&b);
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
	if (in->long_lines)
		warn_cut_lines(pl, path, rd);
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
		struct input *in = report_add_input(pl->report, path);
		in->error = xstrdup(err.msg);
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
	report_add_error(pl->report, msg);
}

struct report *pipeline_finish(struct pipeline *pl)
{
	correlate_report(pl->report);
	diagnose_report(pl->report);
	struct report *r = pl->report;
	pl->report = report_new();
	assembler_free(&pl->assembler);
	pl->assembler = assembler_new(pl->report);
	return r;
}
