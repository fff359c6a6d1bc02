/* main.c - sslsift's command line: parses the options, wires the pipeline,
 * renders the report and picks the exit status.  Nothing else. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diagnose.h"
#include "merge.h"
#include "patterns.h"
#include "pipeline.h"
#include "progress.h"
#include "reader.h"
#include "redact.h"
#include "render.h"
#include "source.h"
#include "timewin.h"

/* Exit statuses of the contract, like grep's. */
enum exit_status {
	EXIT_CLEAN = 0,     /* read everything, nothing failed or at risk */
	EXIT_FINDINGS = 1,  /* at least one error or warning finding */
	EXIT_TROUBLE = 2,   /* bad usage, unreadable input, bad pattern file */
};

enum when { WHEN_AUTO, WHEN_ALWAYS, WHEN_NEVER };

struct options {
	const char *format;
	const char *patterns_dir;
	size_t max_line;
	unsigned jobs;            /* 0: one per core */
	struct timewin window;   /* --since / --until */
	bool redact;
	bool merge;              /* operands are JSON reports */
	const char *node;
	enum when color;
	enum when progress;
	char **operands;
	size_t n_operands;
};

/* One table drives both getopt_long and --help (and the man page must
 * name every row: tests/man.sh checks). */
enum {
	OPT_MAX_LINE = 256, OPT_SINCE, OPT_UNTIL, OPT_REDACT, OPT_NODE,
	OPT_MERGE, OPT_COLOR, OPT_PROGRESS, OPT_NO_PROGRESS,
};
static const struct option_row {
	const char *name;
	int has_arg;
	int val;
	const char *arg;
	const char *help;
} option_table[] = {
	{"format", required_argument, 'f', "FORMAT",
	 "output format: text (default), markdown or json"},
	{"patterns", required_argument, 'p', "DIR",
	 "read the pattern files (*.pat) from DIR"},
	{"since", required_argument, OPT_SINCE, "TIME",
	 "only handshakes that start at TIME or later: 2026-11-21, "
	 "'2026-11-21 10:00', 2026-11-21T10:00:00, or a span back from "
	 "now: 30m, 2h, 3d"},
	{"until", required_argument, OPT_UNTIL, "TIME",
	 "only handshakes that start at TIME or earlier (a day or a minute "
	 "counts whole)"},
	{"redact", no_argument, OPT_REDACT, NULL,
	 "replace host names, IP addresses and certificate serials with "
	 "host-1, ip-1, serial-1 (for a ticket that leaves the house)"},
	{"node", required_argument, OPT_NODE, "NAME",
	 "the machine the logs come from, for the report (default: this "
	 "host's name)"},
	{"merge", no_argument, OPT_MERGE, NULL,
	 "read JSON reports (made with -f json on other nodes) instead of "
	 "logs, and merge them into one report"},
	{"color", optional_argument, OPT_COLOR, "WHEN",
	 "colour the text output: auto (default: on a terminal, unless "
	 "NO_COLOR is set), always or never"},
	{"progress", optional_argument, OPT_PROGRESS, "WHEN",
	 "a progress line on standard error for scans over a second: auto "
	 "(default: when it is a terminal), always or never"},
	{"no-progress", no_argument, OPT_NO_PROGRESS, NULL,
	 "the same as --progress=never"},
	{"max-line", required_argument, OPT_MAX_LINE, "BYTES",
	 "cut longer lines at BYTES for matching (default 1048576)"},
	{"jobs", required_argument, 'j', "N",
	 "read N inputs at a time (default: one per core)"},
	{"help", no_argument, 'h', NULL, "show this help and exit"},
	{"version", no_argument, 'V', NULL,
	 "show the version and the built-in features and exit"},
};
#define N_OPTIONS (sizeof option_table / sizeof option_table[0])

static void features(char *buf, size_t len)
{
	snprintf(buf, len, "%s%s jansson",
		 patterns_have_jit() ? "pcre2-jit" : "pcre2",
		 reader_has_zlib() ? " zlib" : "");
}

#define HELP_COL 28
#define HELP_WIDTH 79

/* The help text of one row, wrapped, from column HELP_COL on. */
static void put_help(FILE *out, const char *s)
{
	size_t col = HELP_COL;
	while (*s) {
		size_t n = strcspn(s, " ");
		if (col > HELP_COL && col + 1 + n > HELP_WIDTH) {
			fprintf(out, "\n%*s", HELP_COL, "");
			col = HELP_COL;
		} else if (col > HELP_COL) {
			fputc(' ', out);
			col++;
		}
		fwrite(s, 1, n, out);
		col += n;
		s += n;
		s += strspn(s, " ");
	}
	fputc('\n', out);
}

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: sslsift [OPTION]... [FILE|DIR|-]...\n"
		"  or:  sslsift --merge [OPTION]... REPORT.json...\n"
		"Explain why a Java application's TLS handshakes fail, from its logs\n"
		"(wrapper.log, localhost logs, catalina.out, raw JVM output; plain or\n"
		"gzipped; directories are scanned recursively; no FILE or - reads\n"
		"standard input).\n\nOptions:\n");
	for (size_t i = 0; i < N_OPTIONS; i++) {
		const struct option_row *o = &option_table[i];
		bool opt = o->has_arg == optional_argument;
		char left[64];
		int n = snprintf(left, sizeof left, "  %c%c%s--%s%s%s%s%s",
				 o->val < 256 ? '-' : ' ',
				 o->val < 256 ? o->val : ' ',
				 o->val < 256 ? ", " : "  ", o->name,
				 opt ? "[" : "", o->arg ? "=" : "",
				 o->arg ? o->arg : "", opt ? "]" : "");
		if (n >= HELP_COL - 1)
			fprintf(out, "%s\n%*s", left, HELP_COL, "");
		else
			fprintf(out, "%s%*s", left, HELP_COL - n, "");
		put_help(out, o->help);
	}
	char feat[64];
	features(feat, sizeof feat);
	fprintf(out,
		"\nExit status: 0 nothing failed or at risk, 1 a failed or at-risk\n"
		"handshake was found, 2 trouble (bad option, unreadable input, bad\n"
		"pattern file); what could be read is still reported.\n"
		"Patterns: --patterns, else $SSLSIFT_PATTERNS, else %s.\n"
		"Built with: %s.\nSee sslsift(1) for more.\n",
		PKGDATADIR, feat);
}

static int parse_size(const char *s, size_t *out)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || end == s || *end || v < 64 || v > (1ULL << 31))
		return -1;
	*out = (size_t)v;
	return 0;
}

/* auto, always or never; no argument means always (like ls and grep). */
static int parse_when(const char *opt, const char *arg, enum when *out)
{
	static const char *const names[] = {"auto", "always", "never"};
	if (!arg) {
		*out = WHEN_ALWAYS;
		return 0;
	}
	for (size_t i = 0; i < SS_ARRAY_LEN(names); i++) {
		if (!strcmp(arg, names[i])) {
			*out = (enum when)i;
			return 0;
		}
	}
	fprintf(stderr, "sslsift: --%s: '%s' is not auto, always or never\n",
		opt, arg);
	return -1;
}

/* Now, as local wall-clock time: $SSLSIFT_NOW if set (reproducible runs
 * and tests), else the clock.  -1 if $SSLSIFT_NOW is not a date-time. */
static int local_now(int64_t *now)
{
	const char *env = getenv("SSLSIFT_NOW");
	if (!env || !*env) {
		*now = timewin_local_now();
		return 0;
	}
	if (timewin_parse_datetime(env, TW_START, now) == 0)
		return 0;
	fprintf(stderr, "sslsift: SSLSIFT_NOW: not a date-time: '%s'\n", env);
	return -1;
}

static int parse_bound(const char *opt, const char *arg,
		       enum timewin_edge edge, int64_t *out)
{
	struct ss_err err = {{0}};
	int64_t now;
	if (local_now(&now) < 0)
		return -1;
	if (timewin_parse(arg, now, edge, out, &err) == 0)
		return 0;
	fprintf(stderr, "sslsift: --%s: %s\n", opt, err.msg);
	return -1;
}

static int parse_jobs(const char *s, unsigned *out)
{
	char *end;
	errno = 0;
	unsigned long v = strtoul(s, &end, 10);
	if (errno || end == s || *end || v < 1 || v > 1024)
		return -1;
	*out = (unsigned)v;
	return 0;
}

/* PROCEED to go on, or the exit status to stop with. */
#define PROCEED (-1)

/* One option; PROCEED, or the exit status to stop with. */
static int take_option(int c, struct options *o)
{
	int rc = 0;
	switch (c) {
	case 'f': o->format = optarg; break;
	case 'p': o->patterns_dir = optarg; break;
	case OPT_SINCE:
		rc = parse_bound("since", optarg, TW_START, &o->window.since);
		break;
	case OPT_UNTIL:
		rc = parse_bound("until", optarg, TW_END, &o->window.until);
		break;
	case OPT_REDACT: o->redact = true; break;
	case OPT_NODE: o->node = optarg; break;
	case OPT_MERGE: o->merge = true; break;
	case OPT_COLOR: rc = parse_when("color", optarg, &o->color); break;
	case OPT_PROGRESS:
		rc = parse_when("progress", optarg, &o->progress);
		break;
	case OPT_NO_PROGRESS: o->progress = WHEN_NEVER; break;
	case OPT_MAX_LINE:
		rc = parse_size(optarg, &o->max_line);
		if (rc < 0)
			fprintf(stderr, "sslsift: --max-line: not a size "
				"from 64 to 2147483648: '%s'\n", optarg);
		break;
	case 'j':
		rc = parse_jobs(optarg, &o->jobs);
		if (rc < 0)
			fprintf(stderr, "sslsift: --jobs: not a number "
				"from 1 to 1024: '%s'\n", optarg);
		break;
	case 'h': usage(stdout); return EXIT_CLEAN;
	case 'V': {
		char feat[64];
		features(feat, sizeof feat);
		printf("sslsift %s (%s)\n", PACKAGE_VERSION, feat);
		return EXIT_CLEAN;
	}
	default:
		fprintf(stderr, "Try 'sslsift --help' for more information.\n");
		return EXIT_TROUBLE;
	}
	return rc < 0 ? EXIT_TROUBLE : PROCEED;
}

static int parse_args(int argc, char **argv, struct options *o)
{
	struct option longopts[N_OPTIONS + 1];
	char shortopts[3 * N_OPTIONS + 1], *sp = shortopts;
	for (size_t i = 0; i < N_OPTIONS; i++) {
		const struct option_row *r = &option_table[i];
		longopts[i] = (struct option){r->name, r->has_arg, NULL, r->val};
		if (r->val < 256) {
			*sp++ = (char)r->val;
			if (r->has_arg != no_argument)
				*sp++ = ':';
			if (r->has_arg == optional_argument)
				*sp++ = ':';
		}
	}
	*sp = '\0';
	memset(&longopts[N_OPTIONS], 0, sizeof longopts[0]);
	int c;
	while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		int rc = take_option(c, o);
		if (rc != PROCEED)
			return rc;
	}
	if (o->window.since != TS_NONE && o->window.until != TS_NONE &&
	    o->window.since > o->window.until) {
		fprintf(stderr, "sslsift: --since is later than --until\n");
		return EXIT_TROUBLE;
	}
	o->operands = argv + optind;
	o->n_operands = (size_t)(argc - optind);
	return PROCEED;
}

static bool is_dir(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Where the pattern files are when --patterns does not say: the
 * environment, else a patterns/ folder beside the binary (an uninstalled
 * build in its source tree), else the installed data directory. */
static const char *patterns_dir(const char *given, char *buf, size_t len)
{
	if (given)
		return given;
	const char *env = getenv("SSLSIFT_PATTERNS");
	if (env && *env)
		return env;
	ssize_t n = readlink("/proc/self/exe", buf, len - 16);
	if (n > 0) {
		buf[n] = '\0';
		char *slash = strrchr(buf, '/');
		if (slash) {
			strcpy(slash + 1, "patterns");
			if (is_dir(buf))
				return buf;
		}
	}
	return PKGDATADIR;
}

/* What a run learns on the way: whether anything went wrong, and the
 * progress line to clear before a message goes to standard error. */
struct run_state {
	bool trouble;
	struct progress *progress;
};

static void print_warning(void *ctx, const char *msg)
{
	struct run_state *st = ctx;
	st->trouble = true;
	progress_hide(st->progress);
	fprintf(stderr, "sslsift: %s\n", msg);
}

/* auto: a terminal that knows escape sequences. */
static bool want(enum when w, int fd)
{
	const char *term = getenv("TERM");
	if (w != WHEN_AUTO)
		return w == WHEN_ALWAYS;
	return isatty(fd) && !(term && !strcmp(term, "dumb"));
}

static bool want_color(enum when w)
{
	const char *no_color = getenv("NO_COLOR");
	if (w == WHEN_AUTO && no_color && *no_color)
		return false;
	return want(w, STDOUT_FILENO);
}

/* The progress line, if wanted: its totals are the sizes of the inputs
 * (unknown if one of them is a pipe). */
static struct progress *progress_for(const struct options *o,
				     const struct source_list *sources)
{
	if (!want(o->progress, STDERR_FILENO))
		return NULL;
	struct progress_opts po = {.out = stderr, .total_files = sources->n};
	bool known = true;
	for (size_t i = 0; i < sources->n; i++) {
		struct stat st;
		const struct source_item *it = &sources->items[i];
		if (it->error)
			continue;
		if (!strcmp(it->path, "-") || stat(it->path, &st) != 0 ||
		    !S_ISREG(st.st_mode))
			known = false;
		else
			po.total_bytes += (uint64_t)st.st_size;
	}
	if (!known)
		po.total_bytes = 0;
	struct winsize ws;
	if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		po.width = ws.ws_col;
	return progress_new(&po);
}

/* The node, the redaction, the rendering and the exit status: the same
 * for a scan and for a merge. */
static int emit(const struct options *o, const struct renderer *rn,
		struct report *r, bool trouble)
{
	char host[256];
	if (o->node) {
		free(r->node);
		r->node = xstrdup(o->node);
	} else if (!o->merge && gethostname(host, sizeof host) == 0) {
		host[sizeof host - 1] = '\0';
		free(r->node);
		r->node = xstrdup(host);
	}
	if (o->redact)
		redact_report(r);
	struct render_opts ro = {.color = want_color(o->color)};
	int wrc = rn->render(r, &ro, stdout);
	enum severity worst = report_worst_severity(r);
	report_free(&r);
	if (wrc < 0 || fflush(stdout) == EOF || ferror(stdout)) {
		if (errno != EPIPE)
			fprintf(stderr, "sslsift: write error: %s\n", strerror(errno));
		return EXIT_TROUBLE;
	}
	if (trouble)
		return EXIT_TROUBLE;
	return worst >= SEV_WARNING ? EXIT_FINDINGS : EXIT_CLEAN;
}

static int run(const struct options *o, const struct patterns *pat,
	       const struct renderer *rn)
{
	struct run_state st = {0};
	struct source_list sources = {0};
	source_expand(o->operands, o->n_operands, &sources);
	st.progress = progress_for(o, &sources);
	struct pipeline_opts po = {.max_line = o->max_line,
				   .jobs = o->jobs,
				   .warn = print_warning,
				   .warn_ctx = &st,
				   .progress = st.progress ? progress_feed : NULL,
				   .progress_ctx = st.progress,
				   .window = &o->window};
	struct ss_err err = {{0}};
	struct pipeline *pl = pipeline_new(pat, &po, &err);
	if (!pl) {
		fprintf(stderr, "sslsift: %s\n", err.msg);
		source_list_free(&sources);
		progress_free(&st.progress);
		return EXIT_TROUBLE;
	}
	pipeline_feed_sources(pl, &sources);
	source_list_free(&sources);
	progress_finish(st.progress);
	progress_free(&st.progress);
	struct report *r = pipeline_finish(pl);
	pipeline_free(&pl);
	return emit(o, rn, r, st.trouble);
}

/* --merge: the operands are JSON reports. */
static int run_merge(const struct options *o, const struct renderer *rn)
{
	static char *const stdin_only[] = {"-"};
	char *const *files = o->n_operands ? o->operands : stdin_only;
	size_t n = o->n_operands ? o->n_operands : 1;
	bool trouble = false;
	struct merger *m = merger_new();
	for (size_t i = 0; i < n; i++) {
		struct ss_err err = {{0}};
		if (merger_add_path(m, files[i], &err) < 0) {
			fprintf(stderr, "sslsift: %s\n", err.msg);
			merger_add_error(m, files[i], err.msg);
			trouble = true;
		}
	}
	struct report *r = merger_finish(m);
	merger_free(&m);
	if (timewin_active(&o->window)) {
		timewin_apply_report(&o->window, r);
		diagnose_findings(r);
	}
	return emit(o, rn, r, trouble);
}

int main(int argc, char **argv)
{
	struct options o = {.format = "text",
			    .window = {TS_NONE, TS_NONE}};
	int rc = parse_args(argc, argv, &o);
	if (rc != PROCEED)
		return rc;
	const struct renderer *rn = renderer_find(o.format);
	if (!rn) {
		fprintf(stderr, "sslsift: unknown format '%s' (text, markdown, json)\n",
			o.format);
		return EXIT_TROUBLE;
	}
	if (o.merge)
		return run_merge(&o, rn);
	char buf[PATH_MAX];
	const char *dir = patterns_dir(o.patterns_dir, buf, sizeof buf);
	struct ss_err err = {{0}};
	struct patterns *pat = patterns_load_dir(dir, &err);
	if (!pat) {
		fprintf(stderr, "sslsift: %s\n", err.msg);
		return EXIT_TROUBLE;
	}
	rc = run(&o, pat, rn);
	patterns_free(&pat);
	return rc;
}
