/* test_litscan.c - unit tests for the hot loop's helpers: litscan_find()
 * over whole buffers and position ranges (every scanner the CPU has,
 * against a naive search), coldscan (never misses a line that could
 * matter, tuned or not), linecount, and textstat. */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <unistd.h>

#include "coldscan.h"
#include "envelope.h"
#include "linecount.h"
#include "litscan.h"
#include "patterns.h"
#include "textstat.h"
#include "testutil.h"

static const char *const SCANNERS[] = {"scalar", "ssse3", "avx2", "avx512bw",
				       "avx512", "neon"};

static uint64_t rng = 88172645463325252u;

static unsigned rnd(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

static bool literal_at(const struct slice *lits, size_t nl, const char *s,
		       size_t n, size_t at)
{
	for (size_t k = 0; k < nl; k++)
		if (lits[k].n <= n - at && memcmp(s + at, lits[k].p, lits[k].n) == 0)
			return true;
	return false;
}

/* Text made of the literals' own bytes, so that fingerprints half-match
 * everywhere, with whole literals dropped in now and then. */
static void random_text(char *buf, size_t n, const struct slice *lits,
			size_t nl)
{
	static const char alphabet[] = "Certifcahn *SLP.|\n ,:eols\xc3\xa9\xe9\x80" "C";
	for (size_t i = 0; i < n; i++)
		buf[i] = alphabet[rnd(sizeof alphabet - 1)];
	for (size_t k = 0; k < n / 200; k++) {
		const struct slice *l = &lits[rnd((unsigned)nl)];
		size_t at = rnd((unsigned)n);
		if (at + l->n <= n)
			memcpy(buf + at, l->p, l->n);
	}
}

static const struct slice LITS[] = {
	{"Certificate chain", 17}, {"SSLHandshakeException", 21},
	{"javax.net.ssl|", 14}, {"***", 3}, {"PKIX", 4}, {"a|", 2},
	{"Socket is closed", 16}, {"chain [", 7}, {"\"issuer\"", 8},
	{"caf\xc3\xa9", 5}, {"\xe9t\xc3", 3},
};

/* Is some literal wholly inside s[from..to)?  Its start, or NONE. */
static size_t literal_within(const struct slice *lits, size_t nl, const char *s,
			     size_t from, size_t to)
{
	for (size_t q = from; q < to; q++)
		for (size_t k = 0; k < nl; k++)
			if (lits[k].n <= to - q && memcmp(s + q, lits[k].p, lits[k].n) == 0)
				return q;
	return LITSCAN_NONE;
}

#define MAX_LIT 21

/* What litscan_find promises, whatever the range: the place found
 * starts a literal near the range; a literal wholly inside the range is
 * not missed; none lies wholly between `from` and the place found. */
static void test_find_matches_naive(void **state)
{
	(void)state;
	size_t nl = SS_ARRAY_LEN(LITS);
	struct litscan *ls = litscan_new(LITS, nl, NULL);
	assert_non_null(ls);
	char buf[3000];
	for (size_t s = 0; s < SS_ARRAY_LEN(SCANNERS); s++) {
		if (litscan_set_scanner(ls, SCANNERS[s]) < 0)
			continue;
		for (int round = 0; round < 400; round++) {
			size_t n = 1 + rnd(sizeof buf);
			random_text(buf, n, LITS, nl);
			size_t from = rnd((unsigned)n);
			size_t to = from + 1 + rnd((unsigned)(n - from));
			size_t got = litscan_find(ls, buf, n, from, to);
			size_t inside = literal_within(LITS, nl, buf, from, to);
			if (got == LITSCAN_NONE) {
				assert_int_equal(inside, LITSCAN_NONE);
				continue;
			}
			assert_true(literal_at(LITS, nl, buf, n, got));
			assert_true(got < to && got + MAX_LIT > from);
			if (got > from)
				assert_int_equal(literal_within(LITS, nl, buf, from, got),
						 LITSCAN_NONE);
		}
	}
	litscan_free(&ls);
}

/* Long stretches without a literal, one or two literals far apart: the
 * SIMD scanners go over such text in growing batches of blocks (up to
 * 4 KiB), and must still return the first literal, at any offset in a
 * batch, and nothing past `to`. */
static void test_find_sparse(void **state)
{
	(void)state;
	size_t nl = SS_ARRAY_LEN(LITS);
	struct litscan *ls = litscan_new(LITS, nl, NULL);
	assert_non_null(ls);
	static char buf[70000];
	for (size_t s = 0; s < SS_ARRAY_LEN(SCANNERS); s++) {
		if (litscan_set_scanner(ls, SCANNERS[s]) < 0)
			continue;
		for (int round = 0; round < 60; round++) {
			size_t n = 1000 + rnd(sizeof buf - 1000);
			for (size_t i = 0; i < n; i++)   /* near-misses only */
				buf[i] = "0123456789 xyzCertSSLjav"[rnd(24)];
			for (int k = 0; k < 2; k++) {
				const struct slice *l = &LITS[rnd((unsigned)nl)];
				memcpy(buf + rnd((unsigned)(n - l->n)), l->p, l->n);
			}
			size_t from = rnd(3) ? 0 : rnd((unsigned)n);
			size_t to = rnd(3) ? n : from + 1 + rnd((unsigned)(n - from));
			size_t got = litscan_find(ls, buf, n, from, to);
			size_t want = literal_within(LITS, nl, buf, from, to);
			/* what is found is a literal near the range (it may
			 * straddle from or to), never past the first one
			 * wholly inside it */
			if (got != LITSCAN_NONE) {
				assert_true(literal_at(LITS, nl, buf, n, got));
				assert_true(got < to && got + MAX_LIT > from);
			}
			if (want != LITSCAN_NONE) {
				assert_true(got != LITSCAN_NONE);
				assert_true(got <= want);
			}
		}
	}
	litscan_free(&ls);
}

static size_t newlines(const char *s, size_t from, size_t to)
{
	size_t k = 0;
	for (size_t i = from; i < to; i++)
		k += s[i] == '\n';
	return k;
}

/* litscan_find_lines() finds what litscan_find() does, and the newlines
 * it says it counted are there: in [from, upto), with upto between from
 * and the place found (to, if none).  Buffers of up to 70,000 bytes, so
 * that the AVX-512 scanner counts across many batches. */
static void test_find_counts_lines(void **state)
{
	(void)state;
	size_t nl = SS_ARRAY_LEN(LITS);
	struct litscan *ls = litscan_new(LITS, nl, NULL);
	assert_non_null(ls);
	static char buf[70000];
	size_t counted = 0;
	for (size_t s = 0; s < SS_ARRAY_LEN(SCANNERS); s++) {
		if (litscan_set_scanner(ls, SCANNERS[s]) < 0)
			continue;
		for (int round = 0; round < 200; round++) {
			size_t n = 1 + rnd(sizeof buf - 1);
			for (size_t i = 0; i < n; i++)   /* near-misses, lines */
				buf[i] = "0123456789 xyzCertSSLjav\n\n"[rnd(26)];
			if (rnd(2)) {
				const struct slice *l = &LITS[rnd((unsigned)nl)];
				if (l->n <= n)
					memcpy(buf + rnd((unsigned)(n - l->n + 1)),
					       l->p, l->n);
			}
			size_t from = rnd(3) ? 0 : rnd((unsigned)n);
			size_t to = rnd(3) ? n : from + 1 + rnd((unsigned)(n - from));
			struct litscan_lines c;
			size_t got = litscan_find_lines(ls, buf, n, from, to, &c);
			assert_int_equal(got, litscan_find(ls, buf, n, from, to));
			size_t bound = got == LITSCAN_NONE ? to
				       : got > from ? got : from;
			assert_true(c.upto >= from && c.upto <= bound);
			assert_int_equal(c.lines, newlines(buf, from, c.upto));
			counted += c.upto - from;
		}
	}
	/* the AVX2 and AVX-512 scanners count as they go */
	if (litscan_set_scanner(ls, "avx2") >= 0)
		assert_true(counted > 0);
	litscan_free(&ls);
}

/* Scanning a whole buffer line by line with find (as the pipeline does)
 * finds exactly the lines that hold a literal. */
static void test_find_lines(void **state)
{
	(void)state;
	size_t nl = SS_ARRAY_LEN(LITS);
	char buf[20000];
	random_text(buf, sizeof buf, LITS, nl);
	struct textstat ts;
	textstat_init(&ts, buf, sizeof buf);   /* tuned on the text itself */
	struct litscan *tuned = litscan_new(LITS, nl, &ts);
	struct litscan *plain = litscan_new(LITS, nl, NULL);
	textstat_free(&ts);
	struct litscan *both[] = {tuned, plain};
	for (size_t b = 0; b < 2; b++) {
		for (size_t s = 0; s < SS_ARRAY_LEN(SCANNERS); s++) {
			if (litscan_set_scanner(both[b], SCANNERS[s]) < 0)
				continue;
			size_t pos = 0, found = 0, want = 0;
			for (size_t i = 0; i < sizeof buf;) {
				const char *nlp = memchr(buf + i, '\n', sizeof buf - i);
				size_t e = nlp ? (size_t)(nlp - buf) : sizeof buf;
				for (size_t q = i; q < e; q++)
					if (literal_at(LITS, nl, buf, e, q)) {
						want++;
						break;
					}
				i = e + 1;
			}
			while (pos < sizeof buf) {
				size_t h = litscan_find(both[b], buf, sizeof buf, pos,
							sizeof buf);
				if (h == LITSCAN_NONE)
					break;
				const char *nlp = memchr(buf + h, '\n', sizeof buf - h);
				size_t e = nlp ? (size_t)(nlp - buf) : sizeof buf;
				/* a literal may not cross a newline */
				const char *ls0 = memrchr(buf + pos, '\n', h - pos);
				size_t start = ls0 ? (size_t)(ls0 + 1 - buf) : pos;
				bool real = false;
				for (size_t q = start; q < e && !real; q++)
					real = literal_at(LITS, nl, buf, e, q);
				found += real;
				pos = e + 1;
			}
			assert_int_equal(found, want);
		}
	}
	litscan_free(&tuned);
	litscan_free(&plain);
}

static void test_any_collect_edges(void **state)
{
	(void)state;
	struct slice lits[] = {{"abc", 3}, {"abcdef", 6}, {"zz", 2}};
	struct litscan *ls = litscan_new(lits, 3, NULL);
	for (size_t s = 0; s < SS_ARRAY_LEN(SCANNERS); s++) {
		if (litscan_set_scanner(ls, SCANNERS[s]) < 0)
			continue;
		assert_string_equal(litscan_scanner(ls), SCANNERS[s]);
		assert_false(litscan_any(ls, "", 0));
		assert_false(litscan_any(ls, "ab", 2));
		assert_true(litscan_any(ls, "zz", 2));
		assert_true(litscan_any(ls, "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxzz", 72));
		assert_false(litscan_any(ls, "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxz\x80", 72));
		uint64_t present[1] = {0};
		assert_true(litscan_collect(ls, "__abcdef__zz", 12, present));
		assert_int_equal(present[0], 7);
		assert_int_equal(litscan_find(ls, "xxabcxx", 7, 0, 7), 2);
		/* "abc" starts before `from`; a scanner may look at bytes of it
		 * at or after `from` (the contract is about those) */
		size_t x = litscan_find(ls, "xxabcxx", 7, 3, 7);
		assert_true(x == LITSCAN_NONE || x == 2);
		assert_int_equal(litscan_find(ls, "xxabcxx", 7, 5, 7), LITSCAN_NONE);
		assert_int_equal(litscan_find(ls, "xxabcxx", 7, 0, 2), LITSCAN_NONE);
	}
	struct slice bad[] = {{"a\nb", 3}};
	assert_null(litscan_new(bad, 1, NULL));
	struct slice shortl[] = {{"a", 1}};
	assert_null(litscan_new(shortl, 1, NULL));
	assert_true(litscan_probe(ls, "abc\nabc\nzz", 10, 10.0) >= 30.0);
	litscan_free(&ls);
	assert_null(ls);
}

/* The probe goes on at the line after each literal found, as the
 * pipeline does, with every scanner: where the bytes a scanner looks for
 * lie after the literal's start (common bytes first, rare ones later),
 * going on just past the start found the same literal again forever
 * (alarm() turns that into a failure). */
static void test_probe_counts_each_line_once(void **state)
{
	(void)state;
	char text[64 * 20 + 1];
	size_t n = 0;
	for (int i = 0; i < 64; i++)
		n += (size_t)snprintf(text + n, sizeof text - n,
				      "eeee eeeeqzj %04d\n", i);
	struct textstat ts;
	textstat_init(&ts, text, n);
	struct slice lits[] = {{"eeeeqzj", 7}};
	struct litscan *ls = litscan_new(lits, 1, &ts);
	assert_non_null(ls);
	for (size_t s = 0; s < SS_ARRAY_LEN(SCANNERS); s++) {
		if (litscan_set_scanner(ls, SCANNERS[s]) < 0)
			continue;
		alarm(10);
		double cost = litscan_probe(ls, text, n, 1e6);
		alarm(0);
		/* 64 lines found, and fewer positions looked at than a
		 * found line costs */
		assert_true(cost >= 64e6 && cost < 65e6);
	}
	litscan_free(&ls);
	textstat_free(&ts);
}

static void test_linecount(void **state)
{
	(void)state;
	char buf[1000];
	for (int round = 0; round < 200; round++) {
		size_t n = rnd(sizeof buf), want = 0;
		for (size_t i = 0; i < n; i++) {
			buf[i] = rnd(5) ? (char)('a' + rnd(26)) : (rnd(2) ? '\n' : '\x8a');
			want += buf[i] == '\n';
		}
		size_t off = rnd(8);
		if (off > n)
			off = 0;
		size_t w = 0;
		for (size_t i = off; i < n; i++)
			w += buf[i] == '\n';
		assert_int_equal(linecount(buf + off, n - off), w);
		assert_int_equal(linecount(buf, n), want);
	}
	/* long runs of newlines: counters kept per byte lane must not wrap */
	static char many[70001];
	memset(many, '\n', sizeof many);
	assert_int_equal(linecount(many, sizeof many), sizeof many);
	for (size_t i = 0; i < sizeof many; i += 3)
		many[i] = 'x';
	assert_int_equal(linecount(many + 1, sizeof many - 1),
			 sizeof many - 1 - (sizeof many - 1) / 3);
}

/* coldscan over a real pattern set: every line of the samples that holds
 * a literal of a rule that matters outside blocks, or an inner header
 * mark, is found, tuned on the text or not. */
static bool matters(const struct patterns *p, const char *s, size_t n)
{
	for (size_t i = 0; i < patterns_count(p); i++) {
		size_t k;
		const char *lit = patterns_literal(p, i, &k);
		if (lit && memmem(s, n, lit, k))
			return true;   /* (a superset: block-only rules too) */
	}
	for (const char *const *m = envelope_inner_marks(); *m; m++)
		if (memmem(s, n, *m, strlen(*m)))
			return true;
	return false;
}

static void check_cover(const struct patterns *p, const char *text, size_t n,
			const char *sample, size_t sample_len)
{
	struct coldscan *cs = coldscan_new(p, COLD_OUTSIDE, sample, sample_len, NULL);
	assert_non_null(cs);
	assert_true(coldscan_count(cs) > 0);
	size_t pos = 0;
	while (pos < n) {
		size_t h = coldscan_find(cs, text, n, pos, n);
		size_t stop = h == LITSCAN_NONE ? n : h;
		/* every line wholly skipped must not hold what matters outside
		 * blocks: here, checked against the literals of every rule
		 * minus those of block-only events is not possible from the
		 * public API, so check the marks and app.pat literals */
		for (size_t i = pos; i < stop;) {
			const char *nl = memchr(text + i, '\n', n - i);
			size_t e = nl ? (size_t)(nl - text) : n;
			if (e >= stop)
				break;
			for (const char *const *m = envelope_inner_marks(); *m; m++)
				assert_null(memmem(text + i, e - i, *m, strlen(*m)));
			assert_null(memmem(text + i, e - i, "Socket is closed", 16));
			assert_null(memmem(text + i, e - i, "SSLHandshakeException", 21));
			i = e + 1;
		}
		if (h == LITSCAN_NONE)
			break;
		const char *nl = memchr(text + h, '\n', n - h);
		pos = nl ? (size_t)(nl + 1 - text) : n;
	}
	coldscan_free(&cs);
}

static void test_coldscan_never_misses(void **state)
{
	(void)state;
	struct ss_err err = {{0}};
	struct patterns *p = patterns_load_dir(srcpath("patterns"), &err);
	assert_non_null(p);
	FILE *f = fopen(srcpath("samples/node1/wrapper.log"), "rb");
	assert_non_null(f);
	static char text[1 << 17];
	size_t n = fread(text, 1, sizeof text, f);
	fclose(f);
	assert_true(n > 10000);
	assert_true(matters(p, text, n));
	check_cover(p, text, n, NULL, 0);
	check_cover(p, text, n, text, n);
	check_cover(p, text, n, text, 5000);
	/* tuned on text without any of it */
	static char other[1 << 16];
	for (size_t i = 0; i < sizeof other; i++)
		other[i] = i % 97 == 96 ? '\n' : (char)('a' + rnd(26));
	check_cover(p, text, n, other, sizeof other);
	patterns_free(&p);
}

/* The outside scan must skip the everyday lines of an application log,
 * or the hot path does per-line work on all of them: a mark or rule
 * literal that such lines hold (ServiceNow's "*** Start" / "*** End"
 * transaction lines are half of an app node's log) would make sslsift
 * tens of times slower without changing one report, which no other test
 * would notice.  A count, not a time. */
static void test_coldscan_skips_app_lines(void **state)
{
	(void)state;
	struct ss_err err = {{0}};
	struct patterns *p = patterns_load_dir(srcpath("patterns"), &err);
	assert_non_null(p);
	static const char *const messages[] = {
		"INFO *** Start  #42, path: /api/now/table/incident, user: admin",
		"INFO *** End  #751311, path: /api/now/table/incident, user: admin, "
		"time: 0:00:00.412, render: 0:00:00.031, rows:",
		"DEBUG [GlideRecord] query from sys_user where active=true, rows:",
		"WARNING *** WARNING *** Slow business rule 'x' took (ms):",
		"INFO Compiling script: sys_script_include, session closed, id:",
	};
	static char text[1 << 18];
	size_t n = 0, lines = 0;
	while (n + 400 < sizeof text) {
		unsigned k = rnd(1000000);
		n += (size_t)snprintf(text + n, sizeof text - n,
				      "2026-11-22 10:00:%02u (%03u) "
				      "glide.scheduler.worker.%u txid=8a5a5cd5f9d6 %s %u",
				      k % 60, k % 1000, k % 32,
				      messages[rnd(SS_ARRAY_LEN(messages))], k);
		text[n++] = '\n';
		lines++;
	}
	struct coldscan *cs = coldscan_new(p, COLD_OUTSIDE, text, n, NULL);
	assert_non_null(cs);
	size_t found = 0;
	for (size_t pos = 0; pos < n;) {
		size_t h = coldscan_find(cs, text, n, pos, n);
		if (h == LITSCAN_NONE)
			break;
		found++;
		const char *nl = memchr(text + h, '\n', n - h);
		pos = nl ? (size_t)(nl + 1 - text) : n;
	}
	coldscan_free(&cs);
	patterns_free(&p);
	assert_true(found * 100 < lines);   /* under 1% */
}

/* COLD_RULES: no line it skips holds the literal of any rule, checked
 * exactly against every rule's literal; and it skips most lines of a
 * debug capture (else it would be no use). */
static bool holds_rule_literal(const struct patterns *p, const char *s,
			       size_t n)
{
	for (size_t i = 0; i < patterns_count(p); i++) {
		size_t k;
		const char *lit = patterns_literal(p, i, &k);
		assert_non_null(lit);
		if (memmem(s, n, lit, k))
			return true;
	}
	return false;
}

/* Returns how many lines the scan found (of *lines, *holding of which
 * hold a literal). */
static size_t check_rules_scan(const struct patterns *p, const char *text,
			       size_t n, const char *sample, size_t sample_len,
			       size_t *lines_out, size_t *holding_out)
{
	struct coldscan *cs = coldscan_new(p, COLD_RULES, sample, sample_len,
					   NULL);
	assert_non_null(cs);
	size_t lines = 0, found = 0, holding = 0, pos = 0;
	while (pos < n) {
		size_t h = coldscan_find(cs, text, n, pos, n);
		size_t stop = h == LITSCAN_NONE ? n : h;
		size_t i = pos;
		for (;;) {
			const char *nl = memchr(text + i, '\n', n - i);
			size_t e = nl ? (size_t)(nl - text) : n;
			lines++;
			bool holds = holds_rule_literal(p, text + i, e - i);
			holding += holds;
			if (e < stop) {
				assert_false(holds);   /* skipped */
			} else {
				found++;               /* the line of the hit */
			}
			i = e + 1;
			if (e >= stop || i >= n)
				break;
		}
		pos = i;
	}
	assert_true(found >= holding);
	assert_true(holding > 0);
	coldscan_free(&cs);
	*lines_out = lines;
	*holding_out = holding;
	return found;
}

static void test_rules_scan_never_misses(void **state)
{
	(void)state;
	struct ss_err err = {{0}};
	struct patterns *p = patterns_load_dir(srcpath("patterns"), &err);
	assert_non_null(p);
	static const char *const files[] = {
		"samples/jdk17/leaf_only-tls13-debug-all.log",
		"samples/jdk17/leaf_only-tls12.log",
		"samples/node1/wrapper.log",
	};
	static char text[1 << 18];
	for (size_t f = 0; f < SS_ARRAY_LEN(files); f++) {
		FILE *fp = fopen(srcpath(files[f]), "rb");
		assert_non_null(fp);
		size_t n = fread(text, 1, sizeof text, fp);
		fclose(fp);
		assert_true(n > 10000);
		size_t lines, holding;
		check_rules_scan(p, text, n, NULL, 0, &lines, &holding);
		check_rules_scan(p, text, n, text, 4096, &lines, &holding);
		/* tuned on the text itself, it finds little else */
		size_t found = check_rules_scan(p, text, n, text, n, &lines,
						&holding);
		assert_true(found < 2 * holding);
		assert_true(2 * found < lines);
	}
	/* a rule without a literal: every line must be matched */
	struct patterns *q = patterns_new();
	static const char rules[] =
		"SOCKET_CLOSED Socket is closed\n"
		"CERT_SUBJECT (?i)subject\n";
	assert_int_equal(patterns_add_text(q, "t.pat", rules, sizeof rules - 1, &err), 0);
	assert_int_equal(patterns_finish(q, &err), 0);
	assert_null(coldscan_new(q, COLD_RULES, NULL, 0, NULL));
	patterns_free(&q);
	patterns_free(&p);
}

/* A rule that matters outside blocks without a literal: no prefilter. */
static void test_coldscan_impossible(void **state)
{
	(void)state;
	struct ss_err err = {{0}};
	struct patterns *p = patterns_new();
	static const char rules[] =
		"SOCKET_CLOSED (?i)socket is closed\n"
		"CERT_SUBJECT (?i)subject\n";
	assert_int_equal(patterns_add_text(p, "t.pat", rules, sizeof rules - 1, &err), 0);
	assert_int_equal(patterns_finish(p, &err), 0);
	assert_null(coldscan_new(p, COLD_OUTSIDE, NULL, 0, NULL));
	patterns_free(&p);
	/* a literal-less rule that needs a block does not get in the way */
	p = patterns_new();
	static const char rules2[] =
		"SOCKET_CLOSED Socket is closed\n"
		"CERT_SUBJECT (?i)subject\n";
	assert_int_equal(patterns_add_text(p, "t.pat", rules2, sizeof rules2 - 1, &err), 0);
	assert_int_equal(patterns_finish(p, &err), 0);
	struct coldscan *cs = coldscan_new(p, COLD_OUTSIDE, NULL, 0, NULL);
	assert_non_null(cs);
	static const char t[] = "x subject\ny Socket is closed\n";
	assert_int_equal(coldscan_find(cs, t, sizeof t - 1, 0, sizeof t - 1) >= 10, true);
	coldscan_free(&cs);
	patterns_free(&p);
}

static void test_textstat(void **state)
{
	(void)state;
	struct textstat ts;
	textstat_init(&ts, NULL, 0);
	assert_null(ts.grams);
	assert_true(ts.share[' '] > ts.share['Q']);
	struct byteset all[4];
	memset(all, 0xff, sizeof all);
	assert_true(textstat_sets_share(&ts, all) < 0);
	textstat_free(&ts);
	static char s[8192];
	for (size_t i = 0; i < sizeof s; i++)
		s[i] = "** abcdefghijklmno"[i % 18];
	textstat_init(&ts, s, sizeof s);
	assert_non_null(ts.grams);
	/* 1 position in 18 starts "** a" */
	double share = textstat_gram_share(&ts, (const unsigned char *)"** a");
	assert_true(share > 0.055 && share < 0.056);
	assert_true(textstat_gram_share(&ts, (const unsigned char *)"* ab") > 0.055);
	assert_true(textstat_gram_share(&ts, (const unsigned char *)"**ab") == 0.0);
	assert_true(textstat_sets_share(&ts, all) == 1.0);
	/* '*' follows '*' in this text far more than its share says */
	assert_true(textstat_bytes_share(&ts, (const unsigned char *)"**", 2) >
		    ts.share['*'] * ts.share['*'] * 2);
	textstat_free(&ts);
	assert_null(ts.grams);
}

/* Byte sets of a few values each, from a seed. */
static void random_sets(struct byteset set[4], unsigned *seed, const char *alphabet)
{
	memset(set, 0, 4 * sizeof *set);
	size_t na = strlen(alphabet);
	for (int j = 0; j < 4; j++) {
		int k = 1 + (int)(rand_r(seed) % 6);
		while (k--)
			byteset_add(&set[j], (unsigned char)alphabet[rand_r(seed) % na]);
	}
}

/* The exact counts against counting by hand, on text with few and with
 * many distinct pairs (textstat_sets_share() walks either the pairs the
 * sets allow or those present, whichever are fewer), over the part of a
 * long sample that is counted. */
static void test_textstat_counts_exactly(void **state)
{
	(void)state;
	static const char *const alphabets[] = {"ab c\n", "abcdefghijklmnopqrstuvwxyz ABC.:,\n0123456789"};
	size_t n = TEXTSTAT_MAX_SAMPLE + 5000;
	unsigned char *s = malloc(n);
	assert_non_null(s);
	for (size_t a = 0; a < SS_ARRAY_LEN(alphabets); a++) {
		unsigned seed = 7 + (unsigned)a;
		size_t na = strlen(alphabets[a]);
		for (size_t i = 0; i < n; i++)
			s[i] = (unsigned char)alphabets[a][rand_r(&seed) % na];
		memset(s + TEXTSTAT_MAX_SAMPLE, 'Z', n - TEXTSTAT_MAX_SAMPLE);
		struct textstat ts;
		textstat_init(&ts, (const char *)s, n);
		/* what lies past the counted part is not counted */
		assert_true(textstat_gram_share(&ts, s + n - 4) == 0.0);
		size_t counted = TEXTSTAT_MAX_SAMPLE, positions = counted - 3;
		for (int round = 0; round < 200; round++) {
			struct byteset set[4];
			random_sets(set, &seed, alphabets[a]);
			size_t want = 0;
			for (size_t i = 0; i < positions; i++)
				want += byteset_has(&set[0], s[i]) &&
					byteset_has(&set[1], s[i + 1]) &&
					byteset_has(&set[2], s[i + 2]) &&
					byteset_has(&set[3], s[i + 3]);
			assert_int_equal((size_t)(textstat_sets_share(&ts, set) *
						  (double)positions + 0.5), want);
		}
		for (int round = 0; round < 50; round++) {
			size_t at = rand_r(&seed) % positions, want = 0;
			for (size_t i = 0; i < positions; i++)
				want += memcmp(s + i, s + at, 4) == 0;
			assert_int_equal((size_t)(textstat_gram_share(&ts, s + at) *
						  (double)positions + 0.5), want);
		}
		textstat_free(&ts);
	}
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_find_matches_naive),
		cmocka_unit_test(test_find_sparse),
		cmocka_unit_test(test_find_lines),
		cmocka_unit_test(test_find_counts_lines),
		cmocka_unit_test(test_any_collect_edges),
		cmocka_unit_test(test_probe_counts_each_line_once),
		cmocka_unit_test(test_linecount),
		cmocka_unit_test(test_coldscan_never_misses),
		cmocka_unit_test(test_coldscan_impossible),
		cmocka_unit_test(test_coldscan_skips_app_lines),
		cmocka_unit_test(test_rules_scan_never_misses),
		cmocka_unit_test(test_textstat),
		cmocka_unit_test(test_textstat_counts_exactly),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
