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
 * The required-literal extractor is litextract.c, the literal scanner
 * (the prefilter) litscan.c; this file loads, compiles and matches. */
#include "config.h"
#include "patterns.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "litextract.h"
#include "litscan.h"

enum {
	MAX_DUP_NAMES = 4,      /* groups of one name a rule may use, (?J) */
	MATCH_LIMIT = 1000000,  /* backtracking steps per line and rule */
	DEPTH_LIMIT = 100000,
	HEAP_LIMIT_KIB = 64 * 1024,
	JIT_STACK_MIN = 32 * 1024,
	JIT_STACK_MAX = 1024 * 1024,
};

#define COMPILE_OPTIONS PCRE2_NEVER_UTF

struct rule {
	enum ss_event event;
	pcre2_code *code;
	char *source;                /* "FILE:LINE" */
	char *literal;               /* required literal, or NULL */
	size_t literal_len;
	long lit;                    /* its index in the scanner, or -1 */
	uint8_t ngroups[CAP__COUNT];
	uint16_t groups[CAP__COUNT][MAX_DUP_NAMES];
};

struct patterns {
	struct rule *rules;
	size_t n, cap;
	bool finished;
	size_t literalless;
	uint32_t max_capture;
	bool any_jit;
	struct litscan *scan;        /* the rules' distinct literals */
	/* Bit sets over the rules, rule_words words each: for each distinct
	 * literal, the rules that need it; and the rules without one. */
	size_t rule_words;
	uint64_t *lit_rules;         /* [lit * rule_words + w] */
	uint64_t *bare_rules;
};

struct pattern_matcher {
	const struct patterns *p;
	pcre2_match_data *md;
	pcre2_match_context *mctx;
	pcre2_jit_stack *jit_stack;
	uint64_t *present;           /* bit per distinct literal */
	size_t present_words;
	uint64_t *todo;              /* bit per rule to run on this line */
	unsigned long limit_hits;
	bool *limited;               /* per rule: has hit a match limit */
	size_t *fresh;               /* rules limited first in the last call */
	size_t n_fresh;
};

static bool is_blank(int c)
{
	return c == ' ' || c == '\t';
}

/* ---- loading ---------------------------------------------------------- */

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
	r->literal = litextract_required(re, n, &r->literal_len);
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
		struct slice line = slice_make(s, (size_t)(e - s));
		if (add_line(p, label, ++lineno, line, err) < 0)
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

enum ss_event patterns_event(const struct patterns *p, size_t i)
{
	return p->rules[i].event;
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
	litscan_free(&p->scan);
	free(p->lit_rules);
	free(p->bare_rules);
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
/* ---- the prefilter ------------------------------------------------------ */

/* Gives each rule with a literal the index of a distinct literal and
 * builds the scanner over them. */
static void build_scanner(struct patterns *p)
{
	struct slice *lits = xcalloc(p->n ? p->n : 1, sizeof *lits);
	size_t nlits = 0;
	for (size_t i = 0; i < p->n; i++) {
		struct rule *r = &p->rules[i];
		if (!r->literal) {
			p->literalless++;
			continue;
		}
		size_t k = 0;
		while (k < nlits && !(lits[k].n == r->literal_len &&
			memcmp(lits[k].p, r->literal, r->literal_len) == 0))
			k++;
		if (k == nlits)
			lits[nlits++] = slice_make(r->literal, r->literal_len);
		r->lit = (long)k;
	}
	p->scan = litscan_new(lits, nlits, NULL);
	free(lits);
	p->rule_words = (p->n + 63) / 64;
	p->lit_rules = xcalloc(nlits * p->rule_words + 1, sizeof *p->lit_rules);
	p->bare_rules = xcalloc(p->rule_words + 1, sizeof *p->bare_rules);
	for (size_t i = 0; i < p->n; i++) {
		uint64_t bit = (uint64_t)1 << (i % 64);
		long k = p->rules[i].lit;
		if (k < 0)
			p->bare_rules[i / 64] |= bit;
		else
			p->lit_rules[(size_t)k * p->rule_words + i / 64] |= bit;
	}
}

int patterns_finish(struct patterns *p, struct ss_err *err)
{
	if (p->finished) {
		ss_err_set(err, "patterns_finish called twice");
		return -1;
	}
	build_scanner(p);
	p->finished = true;
	return 0;
}

const char *patterns_scanner(const struct patterns *p)
{
	return litscan_scanner(p->scan);
}

int patterns_set_scanner(struct patterns *p, const char *name)
{
	return litscan_set_scanner(p->scan, name);
}

bool patterns_candidate(const struct patterns *p, const char *s, size_t n)
{
	if (p->literalless)
		return true;
	return litscan_any(p->scan, s, n);
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
		m->jit_stack = pcre2_jit_stack_create(JIT_STACK_MIN,
						      JIT_STACK_MAX, NULL);
		if (m->jit_stack)
			pcre2_jit_stack_assign(m->mctx, NULL, m->jit_stack);
	}
	m->present_words = litscan_words(p->scan);
	m->present = xcalloc(m->present_words, sizeof *m->present);
	m->todo = xcalloc(p->rule_words + 1, sizeof *m->todo);
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
	free(m->todo);
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
			if (g >= rc)
				continue;
			PCRE2_SIZE from = ov[2 * g], to = ov[2 * g + 1];
			if (from == PCRE2_UNSET || to < from)
				continue;
			hit->cap[c] = slice_make(s + from, to - from);
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
	if (m->present_words) {
		memset(m->present, 0, m->present_words * sizeof *m->present);
		any = litscan_collect(p->scan, s, n, m->present);
	}
	if (!any && !p->literalless)
		return 0;
	/* the rules to run: those without a literal, and those whose
	 * literal the line holds */
	size_t words = p->rule_words;
	memcpy(m->todo, p->bare_rules, words * sizeof *m->todo);
	for (size_t w = 0; any && w < m->present_words; w++) {
		for (uint64_t b = m->present[w]; b; b &= b - 1) {
			size_t lit = w * 64 + (size_t)__builtin_ctzll(b);
			const uint64_t *r = &p->lit_rules[lit * words];
			for (size_t j = 0; j < words; j++)
				m->todo[j] |= r[j];
		}
	}
	size_t k = 0;
	for (size_t w = 0; w < words && k < max; w++) {
		for (uint64_t b = m->todo[w]; b && k < max; b &= b - 1) {
			size_t i = w * 64 + (size_t)__builtin_ctzll(b);
			if (run_rule(m, i, s, n, &hits[k])) {
				hits[k].rule = (int)i;
				k++;
			}
		}
	}
	return k;
}
