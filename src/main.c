/* main.c - sslsift's command line: parses the options, wires the pipeline,
 * renders the report and picks the exit status.  Nothing else. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diagnose.h"
#include "patterns.h"
#include "pipeline.h"
#include "reader.h"
#include "render.h"
#include "source.h"

/* Exit statuses of the contract, like grep's. */
enum exit_status {
	EXIT_CLEAN = 0,     /* read everything, nothing failed or at risk */
	EXIT_FINDINGS = 1,  /* at least one error or warning finding */
	EXIT_TROUBLE = 2,   /* bad usage, unreadable input, bad pattern file */
};

struct options {
	const char *format;
	const char *patterns_dir;
	size_t max_line;
	unsigned jobs;
	char **operands;
	size_t n_operands;
};

/* One table drives both getopt_long and --help. */
enum { OPT_MAX_LINE = 256 };
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

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: sslsift [OPTION]... [FILE|DIR|-]...\n"
		"Explain why a Java application's TLS handshakes fail, from its logs\n"
		"(wrapper.log, localhost logs, catalina.out, raw JVM output; plain or\n"
		"gzipped; directories are scanned recursively; no FILE or - reads\n"
		"standard input).\n\nOptions:\n");
	for (size_t i = 0; i < N_OPTIONS; i++) {
		const struct option_row *o = &option_table[i];
		char left[64];
		int n = snprintf(left, sizeof left, "  %c%c%s--%s%s%s",
				 o->val < 256 ? '-' : ' ',
				 o->val < 256 ? o->val : ' ',
				 o->val < 256 ? ", " : "  ", o->name,
				 o->arg ? "=" : "", o->arg ? o->arg : "");
		fprintf(out, "%s%*s%s\n", left, n < 28 ? 28 - n : 1, "", o->help);
	}
	char feat[64];
	features(feat, sizeof feat);
	fprintf(out,
		"\nExit status: 0 nothing failed or at risk, 1 a failed or at-risk\n"
		"handshake was found, 2 trouble (bad option, unreadable input, bad\n"
		"pattern file); what could be read is still reported.\n"
		"Patterns: --patterns, else $SSLSIFT_PATTERNS, else %s.\n"
		"Built with: %s.\n",
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
static int parse_args(int argc, char **argv, struct options *o)
{
	struct option longopts[N_OPTIONS + 1];
	char shortopts[2 * N_OPTIONS + 1], *sp = shortopts;
	for (size_t i = 0; i < N_OPTIONS; i++) {
		const struct option_row *r = &option_table[i];
		longopts[i] = (struct option){r->name, r->has_arg, NULL, r->val};
		if (r->val < 256) {
			*sp++ = (char)r->val;
			if (r->has_arg == required_argument)
				*sp++ = ':';
		}
	}
	*sp = '\0';
	memset(&longopts[N_OPTIONS], 0, sizeof longopts[0]);
	int c;
	while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		switch (c) {
		case 'f': o->format = optarg; break;
		case 'p': o->patterns_dir = optarg; break;
		case OPT_MAX_LINE:
			if (parse_size(optarg, &o->max_line) < 0) {
				fprintf(stderr, "sslsift: --max-line: not a size "
					"from 64 to 2147483648: '%s'\n", optarg);
				return EXIT_TROUBLE;
			}
			break;
		case 'j':
			if (parse_jobs(optarg, &o->jobs) < 0) {
				fprintf(stderr, "sslsift: --jobs: not a number "
					"from 1 to 1024: '%s'\n", optarg);
				return EXIT_TROUBLE;
			}
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

static void print_warning(void *ctx, const char *msg)
{
	bool *trouble = ctx;
	*trouble = true;
	fprintf(stderr, "sslsift: %s\n", msg);
}

static int run(const struct options *o, const struct patterns *pat,
	       const struct renderer *rn)
{
	bool trouble = false;
	struct pipeline_opts po = {.max_line = o->max_line,
				   .jobs = o->jobs,
				   .warn = print_warning,
				   .warn_ctx = &trouble};
	struct ss_err err = {{0}};
	struct pipeline *pl = pipeline_new(pat, &po, &err);
	if (!pl) {
		fprintf(stderr, "sslsift: %s\n", err.msg);
		return EXIT_TROUBLE;
	}
	struct source_list sources = {0};
	source_expand(o->operands, o->n_operands, &sources);
	pipeline_feed_sources(pl, &sources);
	source_list_free(&sources);
	struct report *r = pipeline_finish(pl);
	pipeline_free(&pl);
	struct render_opts ro = {.color = false};
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

int main(int argc, char **argv)
{
	struct options o = {.format = "text"};
	int rc = parse_args(argc, argv, &o);
	if (rc != PROCEED)
		return rc;
	const struct renderer *rn = renderer_find(o.format);
	if (!rn) {
		fprintf(stderr, "sslsift: unknown format '%s' (text, markdown, json)\n",
			o.format);
		return EXIT_TROUBLE;
	}
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
