/* pipeline.c - see pipeline.h.
 *
 * The hot loop does not look at lines one by one.  Outside a debug block
 * it asks coldscan where, in the chunk of whole lines the reader handed
 * out, the next line that could matter is, and only counts the newlines
 * before it (a piece of PIECE bytes at a time, so that the bytes are
 * still in cache when they are counted).  That line is then checked as
 * before (is_candidate), stripped, matched and assembled.  Inside a
 * block, every line is.  So a line that cannot matter costs a SIMD scan
 * and a newline count, nothing more, and the result is the same as
 * looking at every line: a line outside a block that coldscan skips holds
 * no literal that could change anything there (coldscan.h).
 *
 * A second whole-buffer scan (COLD_RULES) says which of the lines taken
 * (every line of a block, the lines coldscan finds outside) may hold the
 * literal of some rule: only those are given to patterns_match(), which
 * would find no rule to run on the others anyway.  Most lines of a debug
 * block (hex dumps, certificate fields, record headers of messages no
 * rule is about) hold none. */
#include "config.h"
#include "pipeline.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "assemble.h"
#include "coldscan.h"
#include "correlate.h"
#include "diagnose.h"
#include "envelope.h"
#include "linecount.h"
#include "litscan.h"
#include "reader.h"
#include "textstat.h"
#include "timewin.h"

#define MAX_HITS 32
/* Bytes scanned and counted at a time; no line shorter than this can be
 * over the maximum line length, so only a piece without a newline needs
 * a closer look. */
#define PIECE (64 * 1024)
/* How much of an input's first chunk tunes the prefilter.  (The fuzz
 * build makes both smaller, so that tuning does not cost most of each
 * run and the rules scan is built for inputs of a few KiB.) */
#ifndef TUNE_SAMPLE
#define TUNE_SAMPLE (512 * 1024)
#endif
/* The rules scan is built only over this much text: below it, matching
 * every line taken costs less than building the scanner. */
#ifndef RULES_MIN_SAMPLE
#define RULES_MIN_SAMPLE (64 * 1024)
#endif

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
	struct coldscan *cold;      /* NULL: not built yet, or impossible */
	struct coldscan *rules;     /* which taken lines may hold a rule's
				     * literal; NULL: input too small, or
				     * impossible */
	size_t cold_sample;         /* bytes of text they were tuned on */
	bool every_line;            /* no prefilter possible: look at all */
	size_t piece;
	struct timewin_filter *window;  /* NULL: no time window */
	uint64_t progress_bytes;        /* of this input, already reported */
};

/* One input being read. */
struct scan {
	struct pipeline *pl;
	uint32_t file;
	struct env_cache cache;
	uint64_t lines, cut;
	uint64_t first_cut;         /* line number of the first cut line */
	/* What the rules scan found in the chunk being read: the first of
	 * its strings to start in [rules_from, rules_to) starts at
	 * rules_next (LITSCAN_NONE: none does).  rules_from is
	 * LITSCAN_NONE when nothing is known. */
	size_t rules_from, rules_to, rules_next;
	const char *chunk;          /* the chunk being read: lines above */
	struct env_cache above_cache;
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
	pl->piece = pl->opts.max_line < PIECE ? pl->opts.max_line : PIECE;
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
	coldscan_free(&pl->cold);
	coldscan_free(&pl->rules);
	timewin_filter_free(&pl->window);
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

/* may_match: the line may hold a rule's literal (see take_line()). */
static bool is_candidate(struct pipeline *pl, const struct line *ln,
			 bool may_match)
{
	if (assembler_in_block(pl->assembler))
		return true;
	size_t k = sizeof record_mark - 1;
	if (ln->n >= k && (memcmp(ln->p, record_mark, k) == 0 ||  /* usual */
			   memmem(ln->p, ln->n, record_mark, k)))
		return true;
	if (may_match && patterns_candidate(pl->patterns, ln->p, ln->n))
		return true;
	/* where a prefix is learned from must not depend on the prefilter */
	return envelope_may_learn(ln->p, ln->n);
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

/* The events that make an application line a symptom (assemble_app.c). */
static bool is_app_event(enum ss_event ev)
{
	switch (ev) {
	case EV_SSL_HANDSHAKE_EXCEPTION: case EV_PKIX_PATH_BUILDING_FAILED:
	case EV_PKIX_VALIDATION_FAILED: case EV_SOCKET_CLOSED:
	case EV_PEER_NOT_AUTHENTICATED:
		return true;
	default:
		return false;
	}
}

/* How far up, over blank lines, a logger's line is looked for. */
#define ABOVE_LINES 3

/* A raw line holding an exception: the first non-blank line above it (in
 * the chunk, at most ABOVE_LINES up), if a logger wrote it with a thread
 * and a time, lends them (envelope.h: above).  Tomcat, log4j and logback
 * print the exception under their own line, without an envelope. */
static void logger_above(struct scan *sc, const struct line *ln,
			 struct envline *env, const struct pattern_hit *hits,
			 size_t n)
{
	if (env->inner != INNER_NONE || env->ts != TS_NONE || env->thread.n ||
	    !sc->chunk || ln->p <= sc->chunk)
		return;
	bool app = false;
	for (size_t i = 0; i < n && !app; i++)
		app = is_app_event(hits[i].event);
	if (!app)
		return;
	const char *end = ln->p - 1;           /* the '\n' above the line */
	for (int k = 0; k < ABOVE_LINES && end >= sc->chunk; k++) {
		const char *nl = end > sc->chunk
			? memrchr(sc->chunk, '\n', (size_t)(end - sc->chunk))
			: NULL;
		const char *start = nl ? nl + 1 : sc->chunk;
		size_t len = (size_t)(end - start);
		if (len && start[len - 1] == '\r')
			len--;
		if (len) {
			struct envline up;
			envelope_strip(sc->pl->envelopes, &sc->above_cache,
				       start, len, &up);
			if (up.inner == INNER_NONE && up.thread.n &&
			    up.ts != TS_NONE) {
				env->above = true;
				env->above_up = (unsigned)k + 1;
				env->above_thread = up.thread;
				env->above_ts = up.ts;
			}
			return;
		}
		if (!nl)
			return;
		end = nl;
	}
}

/* A line: counted, and stripped, matched and assembled if it can
 * matter (and, with a time window, if its time may be in it).  Not
 * matched if the caller knows it holds no rule's literal (!may_match). */
static void take_line(struct scan *sc, struct line *ln, bool may_match)
{
	struct pipeline *pl = sc->pl;
	ln->no = ++sc->lines;
	if (ln->cut && sc->cut++ == 0)
		sc->first_cut = ln->no;
	if (!is_candidate(pl, ln, may_match)) {
		if (pl->window)
			timewin_remember(pl->window, ln->p, ln->n);
		return;
	}
	struct envline env;
	struct pattern_hit hits[MAX_HITS];
	envelope_strip(pl->envelopes, &sc->cache, ln->p, ln->n, &env);
	if (pl->window && !in_window(pl, &env))
		return;
	size_t n = 0;
	if (may_match) {
		unsigned long limits = patterns_limit_hits(pl->matcher);
		n = patterns_match(pl->matcher, env.msg.p, env.msg.n, hits,
				   MAX_HITS);
		if (patterns_limit_hits(pl->matcher) != limits)
			report_limits(pl, sc->file, ln->no);
		logger_above(sc, ln, &env, hits, n);
	}
	assembler_line(pl->assembler, ln->no, &env, hits, n);
	if (pl->window)
		timewin_note(pl->window, pl->report);
}

/* Whether the line p[pos..pos+len) may hold a rule's literal: with the
 * rules scan, only if a string of its starts in the line.  Inside a block,
 * where every line is taken, the scan looks a piece ahead and is asked
 * again once passed; outside, only the line is looked at (coldscan has
 * already skipped the lines between). */
static bool may_match(struct scan *sc, const char *p, size_t pos, size_t len,
		      size_t n)
{
	const struct coldscan *rules = sc->pl->rules;
	if (!rules)
		return true;
	size_t end = pos + len, hit = sc->rules_next;
	bool known = sc->rules_from != LITSCAN_NONE && sc->rules_from <= pos &&
		     (hit != LITSCAN_NONE ? hit >= pos : end <= sc->rules_to);
	if (!known) {
		size_t to = end;
		if (assembler_in_block(sc->pl->assembler))
			to = n - end > sc->pl->piece ? end + sc->pl->piece : n;
		hit = coldscan_find(rules, p, n, pos, to);
		sc->rules_from = pos;
		sc->rules_to = to;
		sc->rules_next = hit;
	}
	/* a string found lies in one line: this one, or a later one */
	return hit != LITSCAN_NONE && hit < end;
}

/* The line at p[pos..n): handed on; returns where the next one starts. */
static size_t line_at(struct scan *sc, const char *p, size_t pos, size_t n)
{
	const char *nl = memchr(p + pos, '\n', n - pos);
	size_t len = nl ? (size_t)(nl - (p + pos)) : n - pos;
	struct line ln;
	reader_line_make(p + pos, len, sc->pl->opts.max_line, &ln);
	take_line(sc, &ln, may_match(sc, p, pos, len, n));
	return pos + len + (nl != NULL);
}

/* Lines p[pos..end) that cannot matter: counted only (with a time
 * window, the last of them is remembered for the time it may hold).
 * The scan found c->lines newlines in p[pos..c->upto); none lies
 * between end and c->upto if that is further. */
static void skip_lines(struct scan *sc, const char *p, size_t pos, size_t end,
		       const struct litscan_lines *c)
{
	size_t upto = c->upto < end ? c->upto : end;
	sc->lines += c->lines + linecount(p + upto, end - upto);
	if (!sc->pl->window || end <= pos)
		return;
	size_t last_end = p[end - 1] == '\n' ? end - 1 : end;
	const char *nl = last_end > pos ? memrchr(p + pos, '\n', last_end - pos)
					: NULL;
	size_t start = nl ? (size_t)(nl + 1 - p) : pos;
	timewin_remember(sc->pl->window, p + start, last_end - start);
}

/* The prefilters, tuned on the first big chunk they see (and once more
 * on a bigger one if the first was small, as from a pipe). */
static void tune(struct pipeline *pl, const struct chunk *c)
{
	size_t k = c->n < TUNE_SAMPLE ? c->n : TUNE_SAMPLE;
	if (pl->every_line || (pl->cold && k <= 2 * pl->cold_sample))
		return;
	coldscan_free(&pl->cold);
	coldscan_free(&pl->rules);
	struct textstat ts;
	textstat_init(&ts, c->p, k);
	pl->cold = coldscan_new(pl->patterns, COLD_OUTSIDE, c->p, k, &ts);
	if (k >= RULES_MIN_SAMPLE)
		pl->rules = coldscan_new(pl->patterns, COLD_RULES, c->p, k,
					 &ts);
	textstat_free(&ts);
	pl->cold_sample = k;
	pl->every_line = !pl->cold;
}

/* From pos, outside any block: skips to the next line that could matter
 * and hands it on.  Returns where to go on. */
static size_t cold_step(struct scan *sc, const char *p, size_t pos, size_t n)
{
	size_t end = n - pos > sc->pl->piece ? pos + sc->pl->piece : n;
	struct litscan_lines counted;
	size_t hit = coldscan_find_lines(sc->pl->cold, p, n, pos, end, &counted);
	if (hit != LITSCAN_NONE) {
		const char *nl = memrchr(p + pos, '\n', hit - pos);
		size_t start = nl ? (size_t)(nl + 1 - p) : pos;
		skip_lines(sc, p, pos, start, &counted);
		return line_at(sc, p, start, n);
	}
	if (end == n) {            /* the rest, maybe with a last line */
		skip_lines(sc, p, pos, n, &counted);
		sc->lines += p[n - 1] != '\n';
		return n;
	}
	const char *nl = memrchr(p + pos, '\n', end - pos);
	if (!nl)                   /* a line of a whole piece or more */
		return line_at(sc, p, pos, n);
	skip_lines(sc, p, pos, (size_t)(nl + 1 - p), &counted);
	return (size_t)(nl + 1 - p);
}

/* The hot loop, over one chunk of whole lines. */
static void scan_chunk(struct scan *sc, const struct chunk *c)
{
	struct pipeline *pl = sc->pl;
	if (c->cut) {              /* a line too long for the reader */
		sc->chunk = NULL;
		struct line ln = {.p = c->p, .n = c->n, .cut = true};
		take_line(sc, &ln, true);
		return;
	}
	tune(pl, c);
	sc->chunk = c->p;
	size_t pos = 0;
	sc->rules_from = LITSCAN_NONE;
	while (pos < c->n) {
		if (pl->every_line)
			pos = line_at(sc, c->p, pos, c->n);
		else if (assembler_in_block(pl->assembler))
			pos = line_at(sc, c->p, pos, c->n);
		else
			pos = cold_step(sc, c->p, pos, c->n);
	}
}

static int run_reader(struct pipeline *pl, struct reader *rd, uint32_t file,
		      struct input *in, uint64_t *first_cut,
		      struct ss_err *err)
{
	struct scan sc = {.pl = pl, .file = file};
	struct chunk c;
	int rc;
	env_cache_init(&sc.cache);
	env_cache_init(&sc.above_cache);
	assembler_begin_input(pl->assembler, file);
	if (pl->window)
		timewin_begin_input(pl->window);
	while ((rc = reader_next_chunk(rd, &c, err)) > 0) {
		scan_chunk(&sc, &c);
		progress(pl, rd, false);
	}
	assembler_end_input(pl->assembler);
	if (pl->window)
		timewin_note(pl->window, pl->report);
	in->lines = sc.lines;
	in->long_lines = sc.cut;
	*first_cut = sc.first_cut;
	return rc;
}

/* Lines cut at the maximum length were matched in part only. */
static void warn_cut_lines(struct pipeline *pl, const char *path,
			   uint64_t n, uint64_t first)
{
	struct strbuf b = {0};
	sb_printf(&b, "%s:%llu: line longer than %zu bytes, cut for matching "
		  "(%llu such line%s; --max-line raises the limit)", path,
		  (unsigned long long)first, pl->opts.max_line,
		  (unsigned long long)n, n == 1 ? "" : "s");
	warn_line(pl, b.p);
	sb_free(&b);
}

static int feed_reader(struct pipeline *pl, struct reader *rd, const char *path)
{
	struct ss_err err = {{0}};
	uint32_t file = (uint32_t)pl->report->n_inputs;
	report_add_input(pl->report, path);
	struct input counts = {0};
	uint64_t first_cut = 0;
	int rc = run_reader(pl, rd, file, &counts, &first_cut, &err);
	struct input *in = &pl->report->inputs[file];
	in->compressed = reader_compressed(rd);
	in->bytes = reader_bytes(rd);
	in->lines = counts.lines;
	in->long_lines = counts.long_lines;
	if (in->long_lines)
		warn_cut_lines(pl, path, in->long_lines, first_cut);
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
	progress(pl, NULL, true);
}

struct report *pipeline_take_part(struct pipeline *pl)
{
	struct report *r = pl->report;
	pl->report = report_new();
	assembler_free(&pl->assembler);
	pl->assembler = assembler_new(pl->report);
	if (pl->window)
		timewin_new_report(pl->window);
	return r;
}

void pipeline_add_part(struct pipeline *pl, struct report **part)
{
	struct report *r = *part;
	/* A worker's problems are told, in input order, as its part is
	 * merged: the same lines as one thread reading the inputs in turn. */
	for (size_t i = 0; r && i < r->n_errors; i++)
		if (pl->opts.warn)
			pl->opts.warn(pl->opts.warn_ctx, r->errors[i]);
	for (size_t i = 0; r && i < r->n_inputs; i++) {
		/* workers do not report progress (one thread draws it) */
		if (pl->opts.progress)
			pl->opts.progress(pl->opts.progress_ctx,
					  r->inputs[i].bytes, true);
	}
	report_merge(pl->report, part);
}

void pipeline_warn(struct pipeline *pl, const char *msg)
{
	if (pl->opts.warn)
		pl->opts.warn(pl->opts.warn_ctx, msg);
}

const struct patterns *pipeline_patterns(const struct pipeline *pl)
{
	return pl->patterns;
}

const struct pipeline_opts *pipeline_opts(const struct pipeline *pl)
{
	return &pl->opts;
}

struct report *pipeline_finish(struct pipeline *pl)
{
	struct report *r = pipeline_take_part(pl);
	correlate_report(r);
	if (pl->window)
		timewin_apply(pl->window, r);
	diagnose_report(r);
	return r;
}
