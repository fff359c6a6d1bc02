/* fuzz_patterns.c - libFuzzer harness over pattern-file loading and
 * matching.
 *
 * The input is a pattern file, optionally followed by the separator
 * "\n\f\f\n" and subject lines.  A file that does not load must fail with
 * one line that names "fuzz.pat:LINE"; one that loads is matched against
 * a few JSSE lines, the subject lines and its own lines, with every
 * literal scanner this CPU has (scalar, SSSE3, AVX2), and each result is
 * checked against PCRE2 itself: whenever a rule's regex matches a line,
 * patterns_match() must report that rule (the literal prefilter may only
 * ever skip rules that cannot match), unless a match limit was hit. */
#include "config.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_check.h"
#include "patterns.h"

#define MAX_RULES 48
#define MAX_SUBJECTS 24
#define MAX_SUBJECT_LEN 512

static const char separator[] = "\n\f\f\n";

static const char *const fixed_subjects[] = {
	"javax.net.ssl|DEBUG|0C|main|2026-11-22 09:19:49.123 UTC|"
	"ClientHello.java:639|Produced ClientHello handshake message (",
	"      type=host_name (0), value=leafonly.partner.test",
	"    \"subject\"  : \"CN=leafonly.partner.test, O=Partner\",",
	"javax.net.ssl.SSLHandshakeException: PKIX path building failed: "
	"unable to find valid certification path to requested target",
	"Request not sent to uri=https://api.partner.test:443/x : "
	"java.net.SocketException: Socket is closed",
	"Fatal (CERTIFICATE_UNKNOWN): PKIX path building failed",
	"",
	"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!",
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The regex of each rule, read the way patterns.c reads a line. */
struct ref_rule {
	pcre2_code *code;
};

static bool blank(char c)
{
	return c == ' ' || c == '\t';
}

static size_t ref_parse(const char *text, size_t len, struct ref_rule *out,
			size_t max)
{
	size_t n = 0;
	const char *s = text, *end = text + len;
	while (s < end && n < max) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		const char *e = nl ? nl : end;
		const char *next = nl ? nl + 1 : end;
		if (e > s && e[-1] == '\r')
			e--;
		while (s < e && blank(*s))
			s++;
		if (s == e || *s == '#') {
			s = next;
			continue;
		}
		while (s < e && !blank(*s))
			s++;
		while (s < e && blank(*s))
			s++;
		int ec;
		PCRE2_SIZE off;
		out[n++].code = pcre2_compile((PCRE2_SPTR)s, (size_t)(e - s),
					      PCRE2_NEVER_UTF, &ec, &off, NULL);
		s = next;
	}
	return n;
}

struct subjects {
	const char *p[MAX_SUBJECTS];
	size_t n[MAX_SUBJECTS];
	size_t count;
};

static void add_lines(struct subjects *sj, const char *s, size_t len)
{
	const char *end = s + len;
	while (s < end && sj->count < MAX_SUBJECTS) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		size_t n = nl ? (size_t)(nl - s) : (size_t)(end - s);
		sj->p[sj->count] = s;
		sj->n[sj->count++] = n > MAX_SUBJECT_LEN ? MAX_SUBJECT_LEN : n;
		s += n + 1;
	}
}

static bool hit_has_rule(const struct pattern_hit *hits, size_t n, size_t rule)
{
	for (size_t i = 0; i < n; i++)
		if (hits[i].rule == (int)rule)
			return true;
	return false;
}

/* Hits must be in rule order, each a real match of its rule, and no rule
 * that matches may be missing. */
static void check_subject(const struct patterns *p, struct pattern_matcher *m,
			  pcre2_match_data *md, pcre2_match_context *mctx,
			  const struct ref_rule *ref, size_t nrules,
			  const char *s, size_t n)
{
	struct pattern_hit hits[MAX_RULES];
	unsigned long limits = patterns_limit_hits(m);
	size_t k = patterns_match(m, s, n, hits, MAX_RULES);
	bool limited = patterns_limit_hits(m) != limits;
	for (size_t i = 1; i < k; i++)
		FUZZ_ASSERT(hits[i - 1].rule < hits[i].rule, "hits out of order");
	for (size_t r = 0; r < nrules; r++) {
		if (!ref[r].code)
			continue;
		int rc = pcre2_match(ref[r].code, (PCRE2_SPTR)s, n, 0, 0, md, mctx);
		bool got = hit_has_rule(hits, k, r);
		if (rc > 0 && !got && !limited) {
			fprintf(stderr, "rule %zu matches '%.*s' but was skipped\n",
				r, (int)n, s);
			FUZZ_ASSERT(0, "prefilter skipped a matching rule");
		}
		if (got && rc == PCRE2_ERROR_NOMATCH)
			FUZZ_ASSERT(0, "hit for a rule that does not match");
	}
	for (size_t i = 0; i < k; i++)
		for (int c = 0; c < CAP__COUNT; c++)
			FUZZ_ASSERT(!hits[i].cap[c].n ||
				    (hits[i].cap[c].p >= s &&
				     hits[i].cap[c].p + hits[i].cap[c].n <= s + n),
				    "capture outside the subject");
	if (k)
		FUZZ_ASSERT(patterns_candidate(p, s, n),
			    "a line with hits is not a candidate");
}

static void check_matching(struct patterns *p, const char *text, size_t len,
			   const struct subjects *sj)
{
	struct ref_rule ref[MAX_RULES] = {{0}};
	size_t nrules = ref_parse(text, len, ref, MAX_RULES);
	FUZZ_ASSERT(nrules == patterns_count(p), "rule count differs");
	pcre2_match_data *md = pcre2_match_data_create(64, NULL);
	pcre2_match_context *mctx = pcre2_match_context_create(NULL);
	pcre2_set_match_limit(mctx, 1000000);
	pcre2_set_depth_limit(mctx, 100000);
	static const char *const scanners[] = {"scalar", "ssse3", "avx2"};
	for (size_t sc = 0; sc < 3; sc++) {
		if (patterns_set_scanner(p, scanners[sc]) < 0)
			continue;
		struct pattern_matcher *m = pattern_matcher_new(p);
		FUZZ_ASSERT(m, "pattern_matcher_new");
		for (size_t i = 0; i < sj->count; i++)
			check_subject(p, m, md, mctx, ref, nrules, sj->p[i],
				      sj->n[i]);
		pattern_matcher_free(&m);
	}
	for (size_t i = 0; i < nrules; i++)
		pcre2_code_free(ref[i].code);
	pcre2_match_data_free(md);
	pcre2_match_context_free(mctx);
}

/* A load error is one line naming the pattern file. */
static void check_error(const struct ss_err *err)
{
	FUZZ_ASSERT(strncmp(err->msg, "fuzz.pat", 8) == 0,
		    "pattern error does not name the file");
	FUZZ_ASSERT(!strchr(err->msg, '\n'), "pattern error spans lines");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	const char *sep = memmem(text, size, separator, sizeof separator - 1);
	size_t len = sep ? (size_t)(sep - text) : size;

	struct patterns *p = patterns_new();
	struct ss_err err = {{0}};
	if (patterns_add_text(p, "fuzz.pat", text, len, &err) < 0 ||
	    patterns_finish(p, &err) < 0) {
		check_error(&err);
		patterns_free(&p);
		return 0;
	}
	if (patterns_count(p) <= MAX_RULES) {
		struct subjects sj = {.count = 0};
		for (size_t i = 0; i < sizeof fixed_subjects / sizeof *fixed_subjects; i++)
			add_lines(&sj, fixed_subjects[i], strlen(fixed_subjects[i]));
		if (sep)
			add_lines(&sj, sep + 4, size - len - 4);
		add_lines(&sj, text, len);
		check_matching(p, text, len, &sj);
	}
	patterns_free(&p);
	return 0;
}
