/* patterns.c - see patterns.h.
 *
 * Reading a pattern file (choices the header leaves open):
 * - A line is split on '\n'; one trailing '\r' is dropped (CRLF files).
 *   Nothing else is trimmed from the end: trailing spaces or tabs are part
 *   of the regex, as the user wrote them.
 * - Spaces and tabs before NAME are allowed; a line whose first non-blank
 *   byte is '#' is a comment.  The blanks between NAME and the regex are a
 *   separator, so a regex cannot begin with a blank: write \x20 or [ ].
 * - Regexes are compiled with PCRE2_NEVER_UTF: logs are bytes, and a
 *   subject that is not valid UTF-8 must never make a match fail.  Inline
 *   flags such as (?i) are allowed.
 *
 * The file has four parts: loading, the required-literal extractor, the
 * literal scanner (the prefilter, in scalar and x86 SIMD flavours), and
 * matching. */
#include "config.h"
#include "patterns.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <dirent.h>
#include <errno.h>
#include <float.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define SS_X86_SIMD 1
#include <immintrin.h>
#define SS_TARGET(t) __attribute__((target(t)))
#endif

enum {
	MIN_LITERAL = 3,        /* shorter required literals are not used */
	FP_LEN = 4,             /* bytes of a literal the scanner looks for */
	MAX_WINDOWS = 64,       /* fingerprint windows tried per literal */
	NBUCKETS = 8,           /* literal groups of the SIMD scanner */
	MAX_DUP_NAMES = 4,      /* groups of one name a rule may use, (?J) */
	MATCH_LIMIT = 1000000,  /* backtracking steps per line and rule */
	DEPTH_LIMIT = 100000,
	HEAP_LIMIT_KIB = 64 * 1024,
	JIT_STACK_MIN = 32 * 1024,
	JIT_STACK_MAX = 1024 * 1024,
};

#define COMPILE_OPTIONS PCRE2_NEVER_UTF

enum scanner { SCAN_SCALAR, SCAN_SSSE3, SCAN_AVX2 };
static const char *const scanner_names[] = {"scalar", "ssse3", "avx2"};

struct rule {
	enum ss_event event;
	pcre2_code *code;
	char *source;                /* "FILE:LINE" */
	char *literal;               /* required literal, or NULL */
	size_t literal_len;
	long lit;                    /* its index in prefilter.lits, or -1 */
	uint8_t ngroups[CAP__COUNT];
	uint16_t groups[CAP__COUNT][MAX_DUP_NAMES];
};

/* One distinct literal; the scanner finds its fingerprint, FP_LEN bytes
 * at offset fp (or all of it if shorter), then compares it whole. */
struct plit {
	const char *s;               /* borrowed from a rule */
	size_t n;
	size_t fp;
};

struct prefilter {
	struct plit *lits;
	size_t nlits;
	/* scalar: the first two fingerprint bytes as a 65536-bit set, and
	 * the literals sorted by them */
	uint64_t pairs[65536 / 64];
	uint16_t *pair_keys;
	uint32_t *pair_lits;
	/* SIMD (Teddy): per fingerprint byte, which buckets accept a low
	 * and a high nibble; the literals of each bucket */
	uint8_t lo[FP_LEN][16];
	uint8_t hi[FP_LEN][16];
	uint32_t bucket_start[NBUCKETS + 1];
	uint32_t *bucket_lits;
	uint32_t *short_lits;        /* shorter than FP_LEN */
	size_t nshort;
};

struct patterns {
	struct rule *rules;
	size_t n, cap;
	bool finished;
	size_t literalless;
	uint32_t max_capture;
	bool any_jit;
	enum scanner scanner;
	struct prefilter pf;
};

struct pattern_matcher {
	const struct patterns *p;
	pcre2_match_data *md;
	pcre2_match_context *mctx;
	pcre2_jit_stack *jit_stack;
	uint64_t *present;           /* bit per distinct literal */
	size_t present_words;
	unsigned long limit_hits;
	bool *limited;               /* per rule: has hit a match limit */
	size_t *fresh;               /* rules limited first in the last call */
	size_t n_fresh;
};

static bool is_blank(int c)
{
	return c == ' ' || c == '\t';
}

static bool is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static bool is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_xdigit(int c)
{
	return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* ---- loading ---------------------------------------------------------- */

static char *extract_literal(const char *re, size_t n, size_t *len);

struct patterns *patterns_new(void)
{
	return xcalloc(1, sizeof(struct patterns));
}

/* Records the group numbers of the names in SS_CAPTURES; names a rule
 * does not use stay without groups, unknown names are ignored. */
static void map_captures(struct rule *r)
{
	for (int c = 0; c < CAP__COUNT; c++) {
		PCRE2_SPTR name = (PCRE2_SPTR)capture_name((enum ss_capture)c);
		int num = pcre2_substring_number_from_name(r->code, name);
		if (num > 0) {
			r->groups[c][0] = (uint16_t)num;
			r->ngroups[c] = 1;
			continue;
		}
		if (num != PCRE2_ERROR_NOUNIQUESUBSTRING)
			continue;
		PCRE2_SPTR first, last;
		int size = pcre2_substring_nametable_scan(r->code, name, &first, &last);
		for (PCRE2_SPTR e = first; size > 0 && e <= last &&
		     r->ngroups[c] < MAX_DUP_NAMES; e += size)
			r->groups[c][r->ngroups[c]++] = (uint16_t)(e[0] << 8 | e[1]);
	}
}

static void jit_compile(struct patterns *p, pcre2_code *code)
{
#ifdef HAVE_PCRE2_JIT
	if (patterns_have_jit() && pcre2_jit_compile(code, PCRE2_JIT_COMPLETE) == 0)
		p->any_jit = true;
#else
	(void)p;
	(void)code;
#endif
}

static int add_rule(struct patterns *p, const char *label, size_t lineno,
		    int ev, struct slice line, size_t col0, struct ss_err *err)
{
	const char *re = line.p + col0;
	size_t n = line.n - col0;
	int code_err;
	PCRE2_SIZE off;
	pcre2_code *code = pcre2_compile((PCRE2_SPTR)re, n, COMPILE_OPTIONS,
					 &code_err, &off, NULL);
	if (!code) {
		PCRE2_UCHAR msg[256];
		if (pcre2_get_error_message(code_err, msg, sizeof msg) < 0)
			snprintf((char *)msg, sizeof msg, "error %d", code_err);
		ss_err_set(err, "%s:%zu:%zu: %s", label, lineno,
			   col0 + (size_t)off + 1, (const char *)msg);
		return -1;
	}
	xgrow(&p->rules, &p->cap, p->n + 1, sizeof *p->rules);
	struct rule *r = &p->rules[p->n++];
	memset(r, 0, sizeof *r);
	r->event = (enum ss_event)ev;
	r->code = code;
	r->lit = -1;
	struct strbuf src = {0};
	sb_printf(&src, "%s:%zu", label, lineno);
	r->source = sb_take(&src);
	r->literal = extract_literal(re, n, &r->literal_len);
	map_captures(r);
	uint32_t ncap = 0;
	pcre2_pattern_info(code, PCRE2_INFO_CAPTURECOUNT, &ncap);
	if (ncap > p->max_capture)
		p->max_capture = ncap;
	jit_compile(p, code);
	return 0;
}

static size_t skip_blanks(struct slice s, size_t i)
{
	while (i < s.n && is_blank((unsigned char)s.p[i]))
		i++;
	return i;
}

static int add_line(struct patterns *p, const char *label, size_t lineno,
		    struct slice line, struct ss_err *err)
{
	if (line.n && line.p[line.n - 1] == '\r')
		line.n--;
	size_t i = skip_blanks(line, 0);
	if (i == line.n || line.p[i] == '#')
		return 0;
	size_t name_at = i;
	while (i < line.n && !is_blank((unsigned char)line.p[i]))
		i++;
	int ev = event_from_name(line.p + name_at, i - name_at);
	if (ev < 0) {
		int shown = i - name_at > 64 ? 64 : (int)(i - name_at);
		ss_err_set(err, "%s:%zu: unknown rule name '%.*s' (see events.h / "
			   "the man page for the list)", label, lineno, shown,
			   line.p + name_at);
		return -1;
	}
	i = skip_blanks(line, i);
	if (i == line.n) {
		ss_err_set(err, "%s:%zu: missing regex after rule name", label, lineno);
		return -1;
	}
	return add_rule(p, label, lineno, ev, line, i, err);
}

int patterns_add_text(struct patterns *p, const char *label, const char *text,
		      size_t len, struct ss_err *err)
{
	if (p->finished) {
		ss_err_set(err, "%s: rules added after patterns_finish", label);
		return -1;
	}
	size_t lineno = 0;
	const char *end = text + len;
	for (const char *s = text; s && s < end;) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		const char *e = nl ? nl : end;
		if (add_line(p, label, ++lineno, slice_make(s, (size_t)(e - s)), err) < 0)
			return -1;
		s = nl ? nl + 1 : end;
	}
	return 0;
}

static int read_all(const char *path, struct strbuf *b)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return -1;
	char buf[8192];
	size_t k;
	while ((k = fread(buf, 1, sizeof buf, f)) > 0)
		sb_append(b, buf, k);
	int bad = ferror(f), e = errno;
	fclose(f);
	if (bad) {
		errno = e ? e : EIO;
		return -1;
	}
	return 0;
}

int patterns_add_file(struct patterns *p, const char *path, struct ss_err *err)
{
	struct strbuf b = {0};
	if (read_all(path, &b) < 0) {
		ss_err_set(err, "%s: %s", path, strerror(errno));
		sb_free(&b);
		return -1;
	}
	int rc = patterns_add_text(p, path, b.p ? b.p : "", b.n, err);
	sb_free(&b);
	return rc;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The *.pat names in dir (hidden files skipped), sorted bytewise. */
static int list_pat_files(const char *dir, char ***names, size_t *n,
			  struct ss_err *err)
{
	DIR *d = opendir(dir);
	if (!d) {
		ss_err_set(err, "%s: %s", dir, strerror(errno));
		return -1;
	}
	size_t cap = 0;
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		size_t len = strlen(de->d_name);
		if (de->d_name[0] == '.' || len < 5 ||
		    strcmp(de->d_name + len - 4, ".pat") != 0)
			continue;
		xgrow(names, &cap, *n + 1, sizeof **names);
		(*names)[(*n)++] = xstrdup(de->d_name);
	}
	closedir(d);
	if (*n)
		qsort(*names, *n, sizeof **names, cmp_names);
	return 0;
}

static int add_dir_files(struct patterns *p, const char *dir, char **names,
			 size_t n, struct ss_err *err)
{
	size_t len = strlen(dir);
	const char *sep = len && dir[len - 1] == '/' ? "" : "/";
	for (size_t i = 0; i < n; i++) {
		struct strbuf path = {0};
		sb_printf(&path, "%s%s%s", dir, sep, names[i]);
		int rc = patterns_add_file(p, path.p, err);
		sb_free(&path);
		if (rc < 0)
			return -1;
	}
	if (p->n == 0) {
		ss_err_set(err, "%s: the pattern files hold no rules", dir);
		return -1;
	}
	return patterns_finish(p, err);
}

struct patterns *patterns_load_dir(const char *dir, struct ss_err *err)
{
	char **names = NULL;
	size_t n = 0;
	if (list_pat_files(dir, &names, &n, err) < 0)
		return NULL;
	struct patterns *p = NULL;
	if (n == 0) {
		ss_err_set(err, "%s: no pattern files (*.pat)", dir);
	} else {
		p = patterns_new();
		if (add_dir_files(p, dir, names, n, err) < 0)
			patterns_free(&p);
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return p;
}

size_t patterns_count(const struct patterns *p)
{
	return p ? p->n : 0;
}

const char *patterns_literal(const struct patterns *p, size_t i, size_t *len)
{
	if (len)
		*len = i < p->n ? p->rules[i].literal_len : 0;
	return i < p->n ? p->rules[i].literal : NULL;
}

const char *patterns_source(const struct patterns *p, size_t i)
{
	return i < p->n ? p->rules[i].source : NULL;
}

size_t patterns_literalless(const struct patterns *p)
{
	return p->literalless;
}

void patterns_free(struct patterns **pp)
{
	struct patterns *p = *pp;
	if (!p)
		return;
	for (size_t i = 0; i < p->n; i++) {
		pcre2_code_free(p->rules[i].code);
		free(p->rules[i].source);
		free(p->rules[i].literal);
	}
	free(p->rules);
	free(p->pf.lits);
	free(p->pf.pair_keys);
	free(p->pf.pair_lits);
	free(p->pf.bucket_lits);
	free(p->pf.short_lits);
	free(p);
	*pp = NULL;
}

bool patterns_have_jit(void)
{
#ifdef HAVE_PCRE2_JIT
	uint32_t jit = 0;
	return pcre2_config(PCRE2_CONFIG_JIT, &jit) >= 0 && jit;
#else
	return false;
#endif
}

/* ---- the required literal ------------------------------------------------
 *
 * A conservative reading of the regex at nesting depth 0: whatever it
 * returns, every match contains.  It gives up (no literal) on a top-level
 * '|', on a top-level flag setting such as (?i) (whose effect on the rest
 * it does not model), and on (*ACCEPT) anywhere (which ends a match
 * early).  Groups, classes, escapes other than an escaped punctuation
 * character, '.', '^', '$' and anything it does not know end the current
 * run of literal characters; a character quantified by ?, *, {0,...} is
 * dropped; one quantified by +, {n...} (n >= 1) is kept and ends the run.
 * The regex has already compiled, so its syntax is valid. */

struct lx {
	const unsigned char *re;
	size_t n, i;
	bool quoted;                 /* inside \Q...\E */
	struct strbuf run, best;
};

enum lx_quant { Q_NONE, Q_OPTIONAL, Q_REQUIRED };

static bool starts(const unsigned char *re, size_t n, size_t i, const char *s)
{
	size_t len = strlen(s);
	return i <= n && n - i >= len && memcmp(re + i, s, len) == 0;
}

/* Past the first `close` at or after i. */
static size_t skip_to(const unsigned char *re, size_t n, size_t i,
		      unsigned char close)
{
	while (i < n && re[i] != close)
		i++;
	return i < n ? i + 1 : n;
}

static unsigned char closer(unsigned char open)
{
	return open == '{' ? '}' : open == '<' ? '>' : open;
}

/* Past the escape sequence whose backslash is at i, with its argument:
 * \x{..} \xhh \o{..} \ddd \cX \p{..} \g{..} \g<..> \g-1 \k<..> \N{..} */
static size_t skip_escape(const unsigned char *re, size_t n, size_t i)
{
	i += 2;
	if (i > n)
		return n;
	unsigned char c = re[i - 1];
	bool brace = i < n && re[i] == '{';
	switch (c) {
	case 'x':
		if (brace)
			return skip_to(re, n, i + 1, '}');
		for (int k = 0; k < 2 && i < n && is_xdigit(re[i]); k++)
			i++;
		return i;
	case 'o':
	case 'N':
		return brace ? skip_to(re, n, i + 1, '}') : i;
	case 'p':
	case 'P':
		if (brace)
			return skip_to(re, n, i + 1, '}');
		return i < n ? i + 1 : n;
	case 'c':
		return i < n ? i + 1 : n;
	case 'g':
	case 'k':
		if (i < n && (re[i] == '{' || re[i] == '<' || re[i] == '\''))
			return skip_to(re, n, i + 1, closer(re[i]));
		if (i < n && (re[i] == '+' || re[i] == '-'))
			i++;
		break;
	default:
		if (!is_digit(c))
			return i;
	}
	while (i < n && is_digit(re[i]))
		i++;
	return i;
}

/* PCRE2's check_posix_syntax(): t is at the ':', '.' or '=' after '['
 * inside a class; returns the index past the closing ":]", or 0. */
static size_t posix_end(const unsigned char *re, size_t n, size_t t)
{
	unsigned char term = re[t];
	for (size_t k = t + 1; k + 2 <= n; k++) {
		if (re[k] == '\\' && (re[k + 1] == ']' || re[k + 1] == '\\'))
			k++;
		else if ((re[k] == '[' && re[k + 1] == term) || re[k] == ']')
			return 0;
		else if (re[k] == term && re[k + 1] == ']')
			return k + 2;
	}
	return 0;
}

/* Past what PCRE2 skips at the start of a class: \E, \Q\E, one '^'. */
static size_t class_prefix_end(const unsigned char *re, size_t n, size_t i)
{
	bool negated = false;
	for (;;) {
		if (starts(re, n, i, "\\E")) {
			i += 2;
		} else if (starts(re, n, i, "\\Q\\E")) {
			i += 4;
		} else if (!negated && i < n && re[i] == '^') {
			negated = true;
			i++;
		} else {
			return i;
		}
	}
}

/* Past the class whose '[' is at i, as PCRE2 reads it: after the prefix
 * a ']' is a member; \Q...\E, escapes and [:posix:] names are members. */
static size_t skip_class(const unsigned char *re, size_t n, size_t i)
{
	bool first = true, quoted = false;
	i = class_prefix_end(re, n, i + 1);
	while (i < n) {
		unsigned char c = re[i];
		if (quoted) {
			quoted = !starts(re, n, i, "\\E");
			i += quoted ? 1 : 2;
		} else if (c == ']' && !first) {
			return i + 1;
		} else if (c == '\\') {
			quoted = starts(re, n, i, "\\Q");
			i = quoted ? i + 2 : skip_escape(re, n, i);
		} else if (c == '[' && i + 1 < n && (re[i + 1] == ':' ||
			   re[i + 1] == '.' || re[i + 1] == '=') &&
			   posix_end(re, n, i + 1)) {
			i = posix_end(re, n, i + 1);
		} else {
			i++;
		}
		first = false;
	}
	return n;
}

static bool is_comment(const unsigned char *re, size_t n, size_t i)
{
	return starts(re, n, i, "(?#");
}

/* Past the group whose '(' is at i, nested groups, classes, escapes,
 * quotes and (?#comments) included. */
static size_t skip_group(const unsigned char *re, size_t n, size_t i)
{
	int depth = 0;
	bool quoted = false;
	while (i < n) {
		unsigned char c = re[i];
		if (quoted) {
			quoted = !starts(re, n, i, "\\E");
			i += quoted ? 1 : 2;
		} else if (c == '\\') {
			quoted = starts(re, n, i, "\\Q");
			i = quoted ? i + 2 : skip_escape(re, n, i);
		} else if (c == '[') {
			i = skip_class(re, n, i);
		} else if (is_comment(re, n, i)) {
			i = skip_to(re, n, i + 3, ')');
			if (depth == 0)
				return i;
		} else {
			i++;
			if (c == '(')
				depth++;
			else if (c == ')' && --depth == 0)
				return i;
		}
	}
	return n;
}

/* (?i), (?-x), (?^) ...: a top-level flag setting changes how the rest
 * of the regex reads. */
static bool is_flag_setting(const unsigned char *re, size_t n, size_t i)
{
	if (!starts(re, n, i, "(?"))
		return false;
	size_t k = i + 2;
	while (k < n && (is_alpha(re[k]) || re[k] == '^' || re[k] == '-'))
		k++;
	return k < n && re[k] == ')';
}

/* {n} {n,} {n,m}, and leniently {,m} and blanks inside, which newer
 * PCRE2 reads as quantifiers too; returns the index past '}' with the
 * minimum in *min, or 0 if this is not a quantifier. */
static size_t parse_braces(const unsigned char *re, size_t n, size_t i,
			   unsigned long *min)
{
	bool digits = false;
	unsigned long v = 0;
	size_t k = i + 1;
	while (k < n && is_blank(re[k]))
		k++;
	for (; k < n && is_digit(re[k]); k++, digits = true)
		v = v > 100000 ? v : v * 10 + (unsigned long)(re[k] - '0');
	while (k < n && is_blank(re[k]))
		k++;
	if (k < n && re[k] == ',') {
		for (k++; k < n && (is_blank(re[k]) || is_digit(re[k])); k++)
			digits = digits || is_digit(re[k]);
	}
	if (!digits || k >= n || re[k] != '}')
		return 0;
	*min = v;
	return k + 1;
}

/* The quantifier, if any, of the item that ends at x->i, looking past
 * \E, \Q\E and (?#...) as PCRE2 does; *next is where reading resumes. */
static enum lx_quant peek_quant(const struct lx *x, size_t *next)
{
	const unsigned char *re = x->re;
	size_t n = x->n, i = x->i;
	bool quoted = x->quoted;
	for (;;) {
		if (starts(re, n, i, "\\E")) {
			quoted = false;
			i += 2;
		} else if (quoted) {
			return Q_NONE;
		} else if (starts(re, n, i, "\\Q\\E")) {
			i += 4;
		} else if (is_comment(re, n, i)) {
			i = skip_to(re, n, i + 3, ')');
		} else {
			break;
		}
	}
	if (i >= n)
		return Q_NONE;
	unsigned long min = 0;
	if (re[i] == '?' || re[i] == '*') {
		i++;
	} else if (re[i] == '+') {
		min = 1;
		i++;
	} else if (re[i] == '{') {
		i = parse_braces(re, n, i, &min);
		if (i == 0)
			return Q_NONE;
	} else {
		return Q_NONE;
	}
	if (i < n && (re[i] == '?' || re[i] == '+'))
		i++;                 /* lazy or possessive */
	*next = i;
	return min ? Q_REQUIRED : Q_OPTIONAL;
}

static void lx_flush(struct lx *x)
{
	if (x->run.n > x->best.n) {
		sb_reset(&x->best);
		sb_append(&x->best, x->run.p, x->run.n);
	}
	sb_reset(&x->run);
}

/* A literal character was read: it is required unless a quantifier
 * that allows zero follows. */
static void lx_char(struct lx *x, unsigned char c)
{
	size_t next;
	enum lx_quant q = peek_quant(x, &next);
	if (q != Q_OPTIONAL)
		sb_putc(&x->run, (char)c);
	if (q != Q_NONE) {
		lx_flush(x);
		x->i = next;
		x->quoted = false;
	}
}

/* Anything else ends the run and takes its quantifier with it. */
static void lx_other(struct lx *x)
{
	size_t next;
	lx_flush(x);
	if (peek_quant(x, &next) != Q_NONE) {
		x->i = next;
		x->quoted = false;
	}
}

/* Is \c the character c itself?  (ASCII punctuation and space.) */
static bool escapes_to_itself(unsigned char c)
{
	return c >= 0x20 && c < 0x7f && !is_alpha(c) && !is_digit(c);
}

/* Reads one item at depth 0; false if the regex can have no literal. */
static bool lx_step(struct lx *x)
{
	const unsigned char *re = x->re;
	size_t i = x->i, n = x->n;
	unsigned char c = re[i];
	if (x->quoted) {
		x->quoted = !starts(re, n, i, "\\E");
		x->i = x->quoted ? i + 1 : i + 2;
		if (x->quoted)
			lx_char(x, c);
		return true;
	}
	switch (c) {
	case '\\':
		if (starts(re, n, i, "\\Q")) {
			x->quoted = true;
			x->i = i + 2;
		} else if (i + 1 < n && escapes_to_itself(re[i + 1])) {
			x->i = i + 2;
			lx_char(x, re[i + 1]);
		} else {
			x->i = skip_escape(re, n, i);
			lx_other(x);
		}
		return true;
	case '|':
	case ')':
		return false;
	case '(':
		if (is_flag_setting(re, n, i))
			return false;
		x->i = skip_group(re, n, i);
		break;
	case '[':
		x->i = skip_class(re, n, i);
		break;
	case '.': case '^': case '$': case '?': case '*': case '+':
	case '{': case '}': case ']':
		x->i = i + 1;
		break;
	default:
		x->i = i + 1;
		lx_char(x, c);
		return true;
	}
	lx_other(x);
	return true;
}

static bool contains(const char *re, size_t n, const char *s)
{
	return memmem(re, n, s, strlen(s)) != NULL;
}

/* The longest literal every match of re must contain (at least
 * MIN_LITERAL bytes, NUL-terminated, owned by the caller), or NULL. */
static char *extract_literal(const char *re, size_t n, size_t *len)
{
	struct lx x = {.re = (const unsigned char *)re, .n = n};
	bool ok = !contains(re, n, "(*ACCEPT");
	while (ok && x.i < x.n)
		ok = lx_step(&x);
	lx_flush(&x);
	char *lit = NULL;
	*len = 0;
	if (ok && x.best.n >= MIN_LITERAL) {
		*len = x.best.n;
		lit = sb_take(&x.best);
	}
	sb_free(&x.run);
	sb_free(&x.best);
	return lit;
}

/* ---- the literal scanner ---------------------------------------------
 *
 * Each distinct literal is looked for through FP_LEN of its bytes (all
 * of them if it is shorter), its fingerprint; a position where one may
 * start is then verified with memcmp.  One pass over the line finds every
 * literal:
 * - scalar: each position's byte pair is looked up in a 65536-bit set of
 *   the fingerprints' first pairs;
 * - SSSE3/AVX2 ("Teddy", after Hyperscan and ripgrep): 16 or 32 positions
 *   at a time, PSHUFB looks up each fingerprint byte's two nibbles in
 *   tables of 8 literal buckets; a position survives if all FP_LEN bytes
 *   agree on a bucket.
 * A bucket of several fingerprints also accepts their nibble cross-
 * products, so windows and buckets are chosen together: each literal,
 * shortest first, takes the window and the bucket that add the least
 * expected traffic by a byte ranking of log text (literals sharing a word
 * such as "certificate" come to share a fingerprint).  On application
 * logs with 30 JSSE literals, picking each literal's rarest 3 bytes on
 * its own let 1.4 positions per line through to memcmp; this lets about
 * one in a hundred lines through. */

/* Bytes of English log text, most common first; absent ones are rarer. */
static const char common_bytes[] =
	" etaoinsrlcdhu.pm0gf12:y-b/w53469v78k_=,|ETSACRINODLPM\"x)(FHUB"
	"GW[]'jVq;KJz*YXQZ+>#<@!?&$%~^`{}\\\t";

static double byte_weight(unsigned char c)
{
	const char *at = memchr(common_bytes, c, sizeof common_bytes - 1);
	size_t rank = at ? (size_t)(at - common_bytes) : 2 * sizeof common_bytes;
	return 1.0 / (double)(rank + 2);
}

static size_t fp_len(const struct plit *l)
{
	return l->n < FP_LEN ? l->n : FP_LEN;
}

static const unsigned char *fp_bytes(const struct plit *l)
{
	return (const unsigned char *)l->s + l->fp;
}

/* Gives each rule with a literal the index of a distinct literal. */
static void collect_literals(struct patterns *p)
{
	struct prefilter *pf = &p->pf;
	pf->lits = xcalloc(p->n, sizeof *pf->lits);
	for (size_t i = 0; i < p->n; i++) {
		struct rule *r = &p->rules[i];
		if (!r->literal) {
			p->literalless++;
			continue;
		}
		size_t k = 0;
		while (k < pf->nlits && !(pf->lits[k].n == r->literal_len &&
			memcmp(pf->lits[k].s, r->literal, r->literal_len) == 0))
			k++;
		if (k == pf->nlits) {
			pf->lits[k].s = r->literal;
			pf->lits[k].n = r->literal_len;
			pf->nlits++;
		}
		r->lit = (long)k;
	}
}

/* A literal's index with a sort key. */
struct lit_key {
	size_t key;
	uint32_t lit;
};

static int cmp_lit_keys(const void *a, const void *b)
{
	const struct lit_key *x = a, *y = b;
	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return (x->lit > y->lit) - (x->lit < y->lit);
}

/* Big-endian, so that keys sort as the bytes do. */
static uint16_t pair_key(const unsigned char *b)
{
	return (uint16_t)(b[0] << 8 | b[1]);
}

/* The literals sorted by the first pair of their fingerprints. */
static void build_pairs(struct prefilter *pf)
{
	struct lit_key *keys = xcalloc(pf->nlits, sizeof *keys);
	for (size_t k = 0; k < pf->nlits; k++) {
		keys[k].key = pair_key(fp_bytes(&pf->lits[k]));
		keys[k].lit = (uint32_t)k;
	}
	qsort(keys, pf->nlits, sizeof *keys, cmp_lit_keys);
	pf->pair_lits = xcalloc(pf->nlits, sizeof *pf->pair_lits);
	pf->pair_keys = xcalloc(pf->nlits, sizeof *pf->pair_keys);
	for (size_t k = 0; k < pf->nlits; k++) {
		uint16_t v = (uint16_t)keys[k].key;
		pf->pair_lits[k] = keys[k].lit;
		pf->pair_keys[k] = v;
		pf->pairs[v >> 6] |= (uint64_t)1 << (v & 63);
	}
	free(keys);
}

/* The nibbles a bucket accepts at each fingerprint byte. */
struct bucket_sets {
	uint16_t lo[FP_LEN], hi[FP_LEN];
};

/* The expected share of positions the bucket lets through (w: the share
 * of each byte in text). */
static double bucket_cost(const struct bucket_sets *b, const double *w)
{
	double cost = 1.0;
	for (int j = 0; j < FP_LEN; j++) {
		double sum = 0.0;
		for (int c = 0; c < 256; c++)
			if ((b->lo[j] >> (c & 15) & 1) && (b->hi[j] >> (c >> 4) & 1))
				sum += w[c];
		cost *= sum;
	}
	return cost;
}

/* b plus a fingerprint of len bytes; past its end, any byte. */
static struct bucket_sets bucket_with(struct bucket_sets b,
				      const unsigned char *fp, size_t len)
{
	for (size_t j = 0; j < FP_LEN; j++) {
		b.lo[j] |= j < len ? (uint16_t)(1u << (fp[j] & 15)) : 0xffff;
		b.hi[j] |= j < len ? (uint16_t)(1u << (fp[j] >> 4)) : 0xffff;
	}
	return b;
}

struct teddy_build {
	struct bucket_sets sets[NBUCKETS];
	double cost[NBUCKETS];
	double w[256];
	uint8_t *bucket_of;
};

/* Gives literal k the window and the bucket that add least traffic. */
static void place_literal(struct teddy_build *tb, struct plit *l, size_t k)
{
	size_t len = fp_len(l), windows = l->n - len + 1;
	double best = DBL_MAX;
	int best_b = 0;
	if (windows > MAX_WINDOWS)
		windows = MAX_WINDOWS;
	for (size_t o = 0; o < windows; o++) {
		const unsigned char *fp = (const unsigned char *)l->s + o;
		for (int b = 0; b < NBUCKETS; b++) {
			struct bucket_sets with = bucket_with(tb->sets[b], fp, len);
			double add = bucket_cost(&with, tb->w) - tb->cost[b];
			if (add < best) {
				best = add;
				best_b = b;
				l->fp = o;
			}
		}
	}
	tb->sets[best_b] = bucket_with(tb->sets[best_b], fp_bytes(l), len);
	tb->cost[best_b] = bucket_cost(&tb->sets[best_b], tb->w);
	tb->bucket_of[k] = (uint8_t)best_b;
}

static void fill_teddy_tables(struct prefilter *pf, const uint8_t *bucket_of)
{
	uint32_t count[NBUCKETS] = {0};
	for (size_t k = 0; k < pf->nlits; k++) {
		const unsigned char *fp = fp_bytes(&pf->lits[k]);
		uint8_t bit = (uint8_t)(1u << bucket_of[k]);
		for (size_t j = 0; j < FP_LEN; j++) {
			for (int x = 0; x < 16; x++) {
				bool any = j >= fp_len(&pf->lits[k]);
				pf->lo[j][x] |= any || x == (fp[j] & 15) ? bit : 0;
				pf->hi[j][x] |= any || x == (fp[j] >> 4) ? bit : 0;
			}
		}
		count[bucket_of[k]]++;
	}
	for (int b = 0; b < NBUCKETS; b++)
		pf->bucket_start[b + 1] = pf->bucket_start[b] + count[b];
	pf->bucket_lits = xcalloc(pf->nlits, sizeof *pf->bucket_lits);
	uint32_t fill[NBUCKETS];
	memcpy(fill, pf->bucket_start, sizeof fill);
	for (size_t k = 0; k < pf->nlits; k++)
		pf->bucket_lits[fill[bucket_of[k]]++] = (uint32_t)k;
}

static void build_teddy(struct prefilter *pf)
{
	struct teddy_build tb;
	memset(&tb, 0, sizeof tb);
	double total = 0.0;
	for (int c = 0; c < 256; c++)
		total += tb.w[c] = byte_weight((unsigned char)c);
	for (int c = 0; c < 256; c++)
		tb.w[c] /= total;
	struct lit_key *order = xcalloc(pf->nlits, sizeof *order);
	for (size_t k = 0; k < pf->nlits; k++) {
		order[k].key = pf->lits[k].n;
		order[k].lit = (uint32_t)k;
	}
	qsort(order, pf->nlits, sizeof *order, cmp_lit_keys);
	tb.bucket_of = xcalloc(pf->nlits, 1);
	for (size_t k = 0; k < pf->nlits; k++)
		place_literal(&tb, &pf->lits[order[k].lit], order[k].lit);
	fill_teddy_tables(pf, tb.bucket_of);
	free(tb.bucket_of);
	free(order);
}

/* Literals shorter than a fingerprint, which the SIMD loop cannot see
 * in the last FP_LEN - 1 positions of a line. */
static void collect_short(struct prefilter *pf)
{
	pf->short_lits = xcalloc(pf->nlits, sizeof *pf->short_lits);
	for (size_t k = 0; k < pf->nlits; k++)
		if (pf->lits[k].n < FP_LEN)
			pf->short_lits[pf->nshort++] = (uint32_t)k;
}

static enum scanner best_scanner(void)
{
#ifdef SS_X86_SIMD
	__builtin_cpu_init();
	if (__builtin_cpu_supports("avx2"))
		return SCAN_AVX2;
	if (__builtin_cpu_supports("ssse3"))
		return SCAN_SSSE3;
#endif
	return SCAN_SCALAR;
}

int patterns_finish(struct patterns *p, struct ss_err *err)
{
	if (p->finished) {
		ss_err_set(err, "patterns_finish called twice");
		return -1;
	}
	collect_literals(p);
	if (p->pf.nlits) {
		build_teddy(&p->pf);
		build_pairs(&p->pf);
		collect_short(&p->pf);
	}
	p->scanner = best_scanner();
	p->finished = true;
	return 0;
}

const char *patterns_scanner(const struct patterns *p)
{
	return scanner_names[p->scanner];
}

int patterns_set_scanner(struct patterns *p, const char *name)
{
	enum scanner best = best_scanner();
	for (int s = SCAN_SCALAR; s <= (int)best; s++) {
		if (strcmp(name, scanner_names[s]) == 0) {
			p->scanner = (enum scanner)s;
			return 0;
		}
	}
	return -1;
}

static bool is_present(const uint64_t *present, uint32_t lit)
{
	return present[lit / 64] >> (lit % 64) & 1;
}

/* Is literal l in s[0..n) with its fingerprint at q? */
static bool lit_at(const struct plit *l, const unsigned char *s, size_t n,
		   size_t q)
{
	if (q < l->fp)
		return false;
	size_t start = q - l->fp;
	return start <= n && l->n <= n - start &&
	       memcmp(s + start, l->s, l->n) == 0;
}

/* Verifies literal lit at q.  True if found; when collecting (present
 * not NULL) it records it. */
static bool verify(const struct prefilter *pf, uint32_t lit,
		   const unsigned char *s, size_t n, size_t q, uint64_t *present)
{
	if (present && is_present(present, lit))
		return false;
	if (!lit_at(&pf->lits[lit], s, n, q))
		return false;
	if (present)
		present[lit / 64] |= (uint64_t)1 << (lit % 64);
	return true;
}

/* The literals whose first fingerprint bytes are the pair v, at q. */
static bool check_pair(const struct prefilter *pf, const unsigned char *s,
		       size_t n, size_t q, uint16_t v, uint64_t *present)
{
	size_t lo = 0, hi = pf->nlits;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (pf->pair_keys[mid] < v)
			lo = mid + 1;
		else
			hi = mid;
	}
	bool any = false;
	for (; lo < pf->nlits && pf->pair_keys[lo] == v; lo++) {
		if (verify(pf, pf->pair_lits[lo], s, n, q, present)) {
			if (!present)
				return true;
			any = true;
		}
	}
	return any;
}

/* Every scanner: finds the literals in s[0..n) (n >= MIN_LITERAL).  Without
 * present, stops at the first and says whether there was one; with it,
 * records all of them and says whether there was any. */
static bool scan_scalar(const struct prefilter *pf, const unsigned char *s,
			size_t n, uint64_t *present)
{
	bool any = false;
	for (size_t q = 0; q + MIN_LITERAL <= n; q++) {
		uint16_t v = pair_key(s + q);
		if (!(pf->pairs[v >> 6] >> (v & 63) & 1))
			continue;
		if (check_pair(pf, s, n, q, v, present)) {
			if (!present)
				return true;
			any = true;
		}
	}
	return any;
}

#ifdef SS_X86_SIMD
/* Candidate positions base+i for each bit i of mask, with the buckets
 * that accept them in res[i]. */
static bool check_block(const struct prefilter *pf, const unsigned char *s,
			size_t n, size_t base, const uint8_t *res,
			uint32_t mask, uint64_t *present)
{
	bool any = false;
	for (; mask; mask &= mask - 1) {
		unsigned at = (unsigned)__builtin_ctz(mask);
		for (unsigned bits = res[at]; bits; bits &= bits - 1) {
			unsigned b = (unsigned)__builtin_ctz(bits);
			for (uint32_t k = pf->bucket_start[b];
			     k < pf->bucket_start[b + 1]; k++) {
				if (!verify(pf, pf->bucket_lits[k], s, n, base + at, present))
					continue;
				if (!present)
					return true;
				any = true;
			}
		}
	}
	return any;
}

/* The blocks see a position only if FP_LEN bytes start there: a literal
 * shorter than that may still end the line. */
static bool check_short_tail(const struct prefilter *pf, const unsigned char *s,
			     size_t n, uint64_t *present)
{
	bool any = false;
	for (size_t k = 0; k < pf->nshort; k++) {
		uint32_t lit = pf->short_lits[k];
		const struct plit *l = &pf->lits[lit];
		if (l->n > n || !verify(pf, lit, s, n, n - l->n + l->fp, present))
			continue;
		if (!present)
			return true;
		any = true;
	}
	return any;
}

SS_TARGET("ssse3")
static inline __m128i shufti16(__m128i c, const uint8_t *lo, const uint8_t *hi)
{
	const __m128i low4 = _mm_set1_epi8(0x0f);
	__m128i l = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)lo),
				     _mm_and_si128(c, low4));
	__m128i h = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)hi),
				     _mm_and_si128(_mm_srli_epi16(c, 4), low4));
	return _mm_and_si128(l, h);
}

/* Bucket bits of the 16 positions at s (reads s[0..16 + FP_LEN - 1)). */
SS_TARGET("ssse3")
static inline __m128i teddy16(const struct prefilter *pf, const unsigned char *s)
{
	__m128i r = shufti16(_mm_loadu_si128((const __m128i *)s), pf->lo[0], pf->hi[0]);
	for (int j = 1; j < FP_LEN; j++)
		r = _mm_and_si128(r, shufti16(_mm_loadu_si128((const __m128i *)(s + j)),
					      pf->lo[j], pf->hi[j]));
	return r;
}

SS_TARGET("ssse3")
static uint32_t nonzero16(__m128i r)
{
	return ~(uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(r, _mm_setzero_si128())) & 0xffff;
}

SS_TARGET("ssse3")
static bool scan_ssse3(const struct prefilter *pf, const unsigned char *s,
		       size_t n, uint64_t *present)
{
	enum { W = 16, SPAN = W + FP_LEN - 1 };
	uint8_t res[W];
	if (n < SPAN) {          /* short line: scan a padded copy */
		unsigned char pad[SPAN] = {0};
		memcpy(pad, s, n);
		__m128i r = teddy16(pf, pad);
		_mm_storeu_si128((__m128i *)res, r);
		return check_block(pf, s, n, 0, res, nonzero16(r), present);
	}
	bool any = false;
	size_t last = n - SPAN;
	for (size_t i = 0;; i += W) {
		if (i > last)
			i = last;    /* the last block overlaps the one before */
		__m128i r = teddy16(pf, s + i);
		uint32_t mask = nonzero16(r);
		if (mask) {
			_mm_storeu_si128((__m128i *)res, r);
			if (check_block(pf, s, n, i, res, mask, present)) {
				if (!present)
					return true;
				any = true;
			}
		}
		if (i == last)
			break;
	}
	bool tail = pf->nshort && check_short_tail(pf, s, n, present);
	return any || tail;
}

SS_TARGET("avx2")
static inline __m256i shufti32(__m256i c, const uint8_t *lo, const uint8_t *hi)
{
	const __m256i low4 = _mm256_set1_epi8(0x0f);
	__m256i tl = _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)lo));
	__m256i th = _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)hi));
	__m256i l = _mm256_shuffle_epi8(tl, _mm256_and_si256(c, low4));
	__m256i h = _mm256_shuffle_epi8(th, _mm256_and_si256(_mm256_srli_epi16(c, 4), low4));
	return _mm256_and_si256(l, h);
}

SS_TARGET("avx2")
static inline __m256i teddy32(const struct prefilter *pf, const unsigned char *s)
{
	__m256i r = shufti32(_mm256_loadu_si256((const __m256i *)s), pf->lo[0], pf->hi[0]);
	for (int j = 1; j < FP_LEN; j++)
		r = _mm256_and_si256(r, shufti32(_mm256_loadu_si256((const __m256i *)(s + j)),
						 pf->lo[j], pf->hi[j]));
	return r;
}

SS_TARGET("avx2")
static bool scan_avx2(const struct prefilter *pf, const unsigned char *s,
		      size_t n, uint64_t *present)
{
	enum { W = 32, SPAN = W + FP_LEN - 1 };
	if (n < SPAN)
		return scan_ssse3(pf, s, n, present);
	uint8_t res[W];
	bool any = false;
	size_t last = n - SPAN;
	for (size_t i = 0;; i += W) {
		if (i > last)
			i = last;
		__m256i r = teddy32(pf, s + i);
		if (!_mm256_testz_si256(r, r)) {
			uint32_t mask = ~(uint32_t)_mm256_movemask_epi8(
				_mm256_cmpeq_epi8(r, _mm256_setzero_si256()));
			_mm256_storeu_si256((__m256i *)res, r);
			if (check_block(pf, s, n, i, res, mask, present)) {
				if (!present)
					return true;
				any = true;
			}
		}
		if (i == last)
			break;
	}
	bool tail = pf->nshort && check_short_tail(pf, s, n, present);
	return any || tail;
}
#endif

static bool scan(const struct patterns *p, const char *s, size_t n,
		 uint64_t *present)
{
	const unsigned char *u = (const unsigned char *)s;
	if (n < MIN_LITERAL)
		return false;
	switch (p->scanner) {
#ifdef SS_X86_SIMD
	case SCAN_AVX2:
		return scan_avx2(&p->pf, u, n, present);
	case SCAN_SSSE3:
		return scan_ssse3(&p->pf, u, n, present);
#endif
	default:
		return scan_scalar(&p->pf, u, n, present);
	}
}

bool patterns_candidate(const struct patterns *p, const char *s, size_t n)
{
	if (p->literalless)
		return true;
	return p->pf.nlits && scan(p, s, n, NULL);
}

/* ---- matching ------------------------------------------------------------ */

struct pattern_matcher *pattern_matcher_new(const struct patterns *p)
{
	if (!p || !p->finished)
		return NULL;
	struct pattern_matcher *m = xcalloc(1, sizeof *m);
	m->p = p;
	m->md = pcre2_match_data_create(p->max_capture + 1, NULL);
	m->mctx = pcre2_match_context_create(NULL);
	if (!m->md || !m->mctx) {
		pattern_matcher_free(&m);
		return NULL;
	}
	pcre2_set_match_limit(m->mctx, MATCH_LIMIT);
	pcre2_set_depth_limit(m->mctx, DEPTH_LIMIT);
	pcre2_set_heap_limit(m->mctx, HEAP_LIMIT_KIB);
	if (p->any_jit) {
		m->jit_stack = pcre2_jit_stack_create(JIT_STACK_MIN, JIT_STACK_MAX, NULL);
		if (m->jit_stack)
			pcre2_jit_stack_assign(m->mctx, NULL, m->jit_stack);
	}
	m->present_words = (p->pf.nlits + 63) / 64;
	m->present = xcalloc(m->present_words, sizeof *m->present);
	m->limited = xcalloc(p->n, sizeof *m->limited);
	m->fresh = xcalloc(p->n, sizeof *m->fresh);
	return m;
}

void pattern_matcher_free(struct pattern_matcher **mp)
{
	struct pattern_matcher *m = *mp;
	if (!m)
		return;
	pcre2_match_data_free(m->md);
	pcre2_match_context_free(m->mctx);
	pcre2_jit_stack_free(m->jit_stack);
	free(m->present);
	free(m->limited);
	free(m->fresh);
	free(m);
	*mp = NULL;
}

unsigned long patterns_limit_hits(const struct pattern_matcher *m)
{
	return m->limit_hits;
}

const size_t *patterns_new_limit_rules(const struct pattern_matcher *m,
				       size_t *n)
{
	*n = m->n_fresh;
	return m->fresh;
}

static bool is_limit_error(int rc)
{
	return rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT ||
	       rc == PCRE2_ERROR_HEAPLIMIT || rc == PCRE2_ERROR_JIT_STACKLIMIT ||
	       rc == PCRE2_ERROR_NOMEMORY;
}

/* The first set group of each capture name; rc is pcre2_match()'s. */
static void fill_captures(const struct rule *r, const char *s,
			  const PCRE2_SIZE *ov, int rc, struct pattern_hit *hit)
{
	for (int c = 0; c < CAP__COUNT; c++) {
		hit->cap[c] = SLICE_NULL;
		for (int k = 0; k < r->ngroups[c]; k++) {
			uint16_t g = r->groups[c][k];
			if (g >= rc || ov[2 * g] == PCRE2_UNSET || ov[2 * g + 1] < ov[2 * g])
				continue;
			hit->cap[c] = slice_make(s + ov[2 * g], ov[2 * g + 1] - ov[2 * g]);
			break;
		}
	}
}

static bool run_rule(struct pattern_matcher *m, size_t ri,
		     const char *s, size_t n, struct pattern_hit *hit)
{
	const struct rule *r = &m->p->rules[ri];
	int rc = pcre2_match(r->code, (PCRE2_SPTR)s, n, 0, 0, m->md, m->mctx);
	if (rc <= 0) {
		if (is_limit_error(rc)) {
			m->limit_hits++;
			if (!m->limited[ri]) {
				m->limited[ri] = true;
				m->fresh[m->n_fresh++] = ri;
			}
		}
		return false;
	}
	hit->event = r->event;
	fill_captures(r, s, pcre2_get_ovector_pointer(m->md), rc, hit);
	return true;
}

size_t patterns_match(struct pattern_matcher *m, const char *s, size_t n,
		      struct pattern_hit *hits, size_t max)
{
	const struct patterns *p = m->p;
	m->n_fresh = 0;
	if (max == 0)
		return 0;
	if (!s) {
		s = "";
		n = 0;
	}
	bool any = false;
	if (p->pf.nlits) {
		memset(m->present, 0, m->present_words * sizeof *m->present);
		any = scan(p, s, n, m->present);
	}
	if (!any && !p->literalless)
		return 0;
	size_t k = 0;
	for (size_t i = 0; i < p->n && k < max; i++) {
		const struct rule *r = &p->rules[i];
		if (r->lit >= 0 && !(any && is_present(m->present, (uint32_t)r->lit)))
			continue;
		if (run_rule(m, i, s, n, &hits[k])) {
			hits[k].rule = (int)i;
			k++;
		}
	}
	return k;
}
