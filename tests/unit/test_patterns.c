/* test_patterns.c - unit tests for patterns.c and events.c: the pattern
 * file format and its errors, the required-literal extractor, the
 * literal scanners (each one the CPU has, checked against memmem) and
 * matching with captures and match limits. */
#include "config.h"

#include <dirent.h>
#include <stdbool.h>
#include <sys/stat.h>
#include <unistd.h>

#include "events.h"
#include "patterns.h"
#include "testutil.h"

static const char *const SCANNERS[] = {"scalar", "ssse3", "avx2", "avx512"};

/* ---- helpers -------------------------------------------------------- */

/* Rules from text, finished; fails the test on any error. */
static struct patterns *load(const char *text)
{
	struct patterns *p = patterns_new();
	struct ss_err err = {{0}};
	int rc = patterns_add_text(p, "t.pat", text, strlen(text), &err);
	if (rc < 0)
		fail_msg("unexpected error: %s", err.msg);
	assert_int_equal(patterns_finish(p, &err), 0);
	return p;
}

/* Asserts that text fails to load with exactly msg. */
static void expect_load_error(const char *text, size_t len, const char *msg)
{
	struct patterns *p = patterns_new();
	struct ss_err err = {{0}};
	assert_int_equal(patterns_add_text(p, "label", text, len, &err), -1);
	assert_string_equal(err.msg, msg);
	patterns_free(&p);
	assert_null(p);
}

static bool use_scanner(struct patterns *p, const char *name)
{
	return patterns_set_scanner(p, name) == 0;
}

static size_t match_str(struct pattern_matcher *m, const char *s,
			struct pattern_hit *hits, size_t max)
{
	return patterns_match(m, s, strlen(s), hits, max);
}

static void assert_slice(struct slice s, const char *want)
{
	assert_int_equal(s.n, strlen(want));
	assert_memory_equal(s.p, want, s.n);
}

/* ---- events.c ------------------------------------------------------- */

static void test_event_names(void **state)
{
	(void)state;
	assert_string_equal(event_name(EV_SSL_HANDSHAKE_EXCEPTION),
			    "SSL_HANDSHAKE_EXCEPTION");
	assert_string_equal(event_name(EV_CLASSIC_TRUSTED_CERT), "CLASSIC_TRUSTED_CERT");
	assert_string_equal(event_name(EV__COUNT), "?");
	assert_int_equal(event_from_name("SNI", 3), EV_SNI);
	assert_int_equal(event_from_name("SNIX", 3), EV_SNI);
	assert_int_equal(event_from_name("SN", 2), -1);
	assert_int_equal(event_from_name("sni", 3), -1);
	assert_int_equal(event_from_name("", 0), -1);
	for (int i = 0; i < EV__COUNT; i++) {
		const char *name = event_name((enum ss_event)i);
		assert_int_equal(event_from_name(name, strlen(name)), i);
	}
	assert_string_equal(capture_name(CAP_value), "value");
	assert_string_equal(capture_name(CAP_detail), "detail");
	assert_string_equal(capture_name(CAP__COUNT), "?");
}

/* ---- loading -------------------------------------------------------- */

static void test_load_text(void **state)
{
	(void)state;
	struct patterns *p = load(
		"SOCKET_CLOSED\tSocket is closed\n"
		"SNI  server_name.*\"(?<host>[^\"]+)\"\n"
		"ALERT_RECEIVED Received fatal alert: (?<alert>\\w+)");
	assert_int_equal(patterns_count(p), 3);
	assert_string_equal(patterns_source(p, 0), "t.pat:1");
	assert_string_equal(patterns_source(p, 2), "t.pat:3");
	assert_null(patterns_source(p, 3));
	assert_int_equal(patterns_literalless(p), 0);
	struct pattern_matcher *m = pattern_matcher_new(p);
	assert_non_null(m);
	struct pattern_hit h[4];
	assert_int_equal(match_str(m, "x: Received fatal alert: bad_certificate", h, 4), 1);
	assert_int_equal(h[0].event, EV_ALERT_RECEIVED);
	assert_int_equal(h[0].rule, 2);
	assert_slice(h[0].cap[CAP_alert], "bad_certificate");
	pattern_matcher_free(&m);
	assert_null(m);
	patterns_free(&p);
	assert_null(p);
}

static void test_comments_blank_crlf(void **state)
{
	(void)state;
	struct patterns *p = load(
		"# a comment\r\n"
		"\r\n"
		"   \t\r\n"
		"  # an indented comment\n"
		"SNI  abc$\r\n"
		"  TLS_VERSION\tver  \n"
		"\n");
	assert_int_equal(patterns_count(p), 2);
	assert_string_equal(patterns_source(p, 0), "t.pat:5");
	assert_string_equal(patterns_source(p, 1), "t.pat:6");
	size_t len;
	assert_string_equal(patterns_literal(p, 0, &len), "abc");
	assert_int_equal(len, 3);
	/* the '\r' is not part of the regex; trailing blanks are */
	assert_string_equal(patterns_literal(p, 1, &len), "ver  ");
	struct pattern_matcher *m = pattern_matcher_new(p);
	struct pattern_hit h[2];
	assert_int_equal(match_str(m, "xx abc", h, 2), 1);
	assert_int_equal(h[0].event, EV_SNI);
	assert_int_equal(match_str(m, "xx abc\r", h, 2), 0);
	assert_int_equal(match_str(m, "ver", h, 2), 0);
	assert_int_equal(match_str(m, "ver  x", h, 2), 1);
	assert_int_equal(h[0].event, EV_TLS_VERSION);
	pattern_matcher_free(&m);
	patterns_free(&p);
}

static void test_unknown_name(void **state)
{
	(void)state;
	const char *t = "SNI x\nFOO  bar\n";
	expect_load_error(t, strlen(t), "label:2: unknown rule name 'FOO' (see "
			  "events.h / the man page for the list)");
	t = "# c\r\nsni\tabc\r\n";
	expect_load_error(t, strlen(t), "label:2: unknown rule name 'sni' (see "
			  "events.h / the man page for the list)");
}

static void test_bad_regex_column(void **state)
{
	(void)state;
	/* line 3, regex starts at column 7; PCRE2 reports the end (7) */
	const char *t = "SNI a\n# comment\nSNI   foo(bar\nSNI b\n";
	expect_load_error(t, strlen(t), "label:3:14: missing closing parenthesis");
	/* an error inside the regex: the ')' at column 8 of line 3 */
	t = "\n\nSNI\t\tab)cd\n";
	expect_load_error(t, strlen(t),
			  "label:3:8: unmatched closing parenthesis");
	/* UTF cannot be switched on from inside a pattern */
	t = "SNI (*UTF)abc";
	struct patterns *p = patterns_new();
	struct ss_err err = {{0}};
	assert_int_equal(patterns_add_text(p, "label", t, strlen(t), &err), -1);
	assert_true(strncmp(err.msg, "label:1:", 8) == 0);
	patterns_free(&p);
}

static void test_missing_regex(void **state)
{
	(void)state;
	expect_load_error("SNI", 3, "label:1: missing regex after rule name");
	expect_load_error("# x\nSNI \t \r\n", 12,
			  "label:2: missing regex after rule name");
}

static void test_nul_in_file(void **state)
{
	(void)state;
	static const char t[] = "SNI a\0bc\nSNI\0x y\n";
	struct patterns *p = patterns_new();
	struct ss_err err = {{0}};
	assert_int_equal(patterns_add_text(p, "l", t, 8, &err), 0);
	assert_int_equal(patterns_add_text(p, "l", t, sizeof t - 1, &err), -1);
	assert_string_equal(err.msg, "l:2: unknown rule name 'SNI' (see events.h / "
			    "the man page for the list)");
	assert_int_equal(patterns_finish(p, &err), 0);
	assert_int_equal(patterns_count(p), 2);
	size_t len;
	const char *lit = patterns_literal(p, 0, &len);
	assert_int_equal(len, 4);
	assert_memory_equal(lit, "a\0bc", 4);
	struct pattern_matcher *m = pattern_matcher_new(p);
	struct pattern_hit h[2];
	assert_int_equal(patterns_match(m, "xa\0bc", 5, h, 2), 2);
	assert_int_equal(patterns_match(m, "xa\0bc", 4, h, 2), 0);
	pattern_matcher_free(&m);
	patterns_free(&p);
}

static void test_add_file_errors(void **state)
{
	(void)state;
	struct patterns *p = patterns_new();
	struct ss_err err = {{0}};
	assert_int_equal(patterns_add_file(p, "/nonexistent/x.pat", &err), -1);
	assert_string_equal(err.msg, "/nonexistent/x.pat: No such file or directory");
	assert_int_equal(patterns_add_file(p, "/tmp", &err), -1);
	assert_string_equal(err.msg, "/tmp: Is a directory");
	const char *path = write_temp("SNI ok\nSNI a(\n", 14);
	int rc = patterns_add_file(p, path, &err);
	unlink(path);
	assert_int_equal(rc, -1);
	char want[128];
	snprintf(want, sizeof want, "%s:2:7: missing closing parenthesis", path);
	assert_string_equal(err.msg, want);
	assert_int_equal(patterns_finish(p, &err), 0);
	assert_int_equal(patterns_finish(p, &err), -1);
	assert_string_equal(err.msg, "patterns_finish called twice");
	assert_int_equal(patterns_add_text(p, "late", "SNI x", 5, &err), -1);
	assert_string_equal(err.msg, "late: rules added after patterns_finish");
	patterns_free(&p);
}


static void put_file(const char *dir, const char *name, const char *text)
{
	char path[256];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}

/* Fixture: a fresh empty directory under /tmp, removed with whatever
 * the test left in it, even when the test failed. */
static int make_dir(void **state)
{
	static char dir[64];
	snprintf(dir, sizeof dir, "/tmp/sslsift-pat-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	*state = dir;
	return 0;
}

static int remove_dir(void **state)
{
	const char *dir = *state;
	DIR *d = opendir(dir);
	if (!d)
		return -1;
	struct dirent *de;
	char path[512];
	int rc = 0;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
		rc |= unlink(path);
	}
	closedir(d);
	return rc | rmdir(dir);
}

static void test_load_dir_sorted(void **state)
{
	const char *dir = *state;
	/* neither the order of creation nor its reverse is sorted */
	put_file(dir, "b.pat", "SOCKET_CLOSED Socket is closed\n");
	put_file(dir, "d.pat", "CERT_EMPTY empty\n");
	put_file(dir, "a.pat", "# first\nSNI server_name\nTLS_VERSION TLSv1\n");
	put_file(dir, "c.pat", "CERT_SERIAL serial\n");
	put_file(dir, "c.txt", "NOT A PATTERN FILE\n");
	put_file(dir, ".hidden.pat", "BOGUS x\n");
	struct ss_err err = {{0}};
	struct patterns *p = patterns_load_dir(dir, &err);
	if (!p)
		fail_msg("%s", err.msg);
	static const char *const where[] = {
		"a.pat:2", "a.pat:3", "b.pat:1", "c.pat:1", "d.pat:1",
	};
	assert_int_equal(patterns_count(p), SS_ARRAY_LEN(where));
	char want[128];
	for (size_t i = 0; i < SS_ARRAY_LEN(where); i++) {
		snprintf(want, sizeof want, "%s/%s", dir, where[i]);
		assert_string_equal(patterns_source(p, i), want);
	}
	patterns_free(&p);

	/* a bad regex names the file in the directory */
	put_file(dir, "b.pat", "SOCKET_CLOSED Socket is closed\n\nSNI x[\n");
	assert_null(patterns_load_dir(dir, &err));
	snprintf(want, sizeof want, "%s/b.pat:3:7: missing terminating ] for "
		 "character class", dir);
	assert_string_equal(err.msg, want);
}

static void test_load_dir_errors(void **state)
{
	const char *dir = *state;
	struct ss_err err = {{0}};
	char want[128];
	assert_null(patterns_load_dir(dir, &err));
	snprintf(want, sizeof want, "%s: no pattern files (*.pat)", dir);
	assert_string_equal(err.msg, want);

	put_file(dir, "x.txt", "SNI abc\n");
	assert_null(patterns_load_dir(dir, &err));
	assert_string_equal(err.msg, want);

	put_file(dir, "only-comments.pat", "# nothing yet\n");
	assert_null(patterns_load_dir(dir, &err));
	snprintf(want, sizeof want, "%s: the pattern files hold no rules", dir);
	assert_string_equal(err.msg, want);

	assert_null(patterns_load_dir("/nonexistent-dir", &err));
	assert_string_equal(err.msg, "/nonexistent-dir: No such file or directory");
}

/* ---- the required literal ------------------------------------------ */

struct lit_case {
	const char *re;
	const char *lit;             /* NULL: none */
};

static const struct lit_case LIT_CASES[] = {
	{"PKIX path building failed", "PKIX path building failed"},
	{"Socket is closed", "Socket is closed"},
	{"peer not authenticated|SSLPeerUnverifiedException", NULL},
	{"Received fatal alert: (?<alert>\\w+)", "Received fatal alert: "},
	{"\"issuer\"\\s*:\\s*\"(?<value>[^\"]*)\"", "\"issuer\""},
	{"colou?r", "colo"},
	{"ab*c", NULL},
	{"abc*d", NULL},
	{"abcd*e", "abc"},
	{"\\Qa.b\\E", "a.b"},
	{"\\Qa*b+c\\E", "a*b+c"},
	{"abc\\Qdef\\E?", "abcde"},
	{"(?i)ssl handshake", NULL},
	{"abc(?i)defgh", NULL},
	{"x{0,3}yz", NULL},
	{"wx{0,3}yz", NULL},
	{"xyz{0}uvw", "uvw"},
	{"a+bcd", "bcd"},
	{"ab+cd", NULL},
	{"abc+de", "abc"},
	{"abcd{2}ef", "abcd"},
	{"abc{,3}de", NULL},
	{"^\\*\\*\\* Certificate chain$", "*** Certificate chain"},
	{"chain \\[(?<value>\\d+)\\]", "chain ["},
	{"ab\\x41cde", "cde"},
	{"ab\\x{41}cdef", "cdef"},
	{"a\\c[bcd", "bcd"},
	{"\\d+ fooo", " fooo"},
	{"[[:alpha:]]xyzw", "xyzw"},
	{"[]abc]defg", "defg"},
	{"[]abcde]fg", NULL},
	{"[^]abcde]fg", NULL},
	{"[\\E]abcde]fg", NULL},
	{"[[:alpha:]abcde]fg", NULL},
	{"[[:abc]defgh", "defgh"},
	{"[\\Q]abcde\\E]fg", NULL},
	{"[^]x(]hij|", NULL},
	{"[\\]]klm", "klm"},
	{"(abc|def)ghi", "ghi"},
	{"(a(b)c)?defg(h)", "defg"},
	{"\\(lit\\)eral", "(lit)eral"},
	{"(?:x|y)+zzz", "zzz"},
	{"abc(*ACCEPT)def", NULL},
	{"(a(*ACCEPT))bcdef", NULL},
	{"foo(?#x)?barx", "barx"},
	{"(?#(unbalanced)quux", "quux"},
	{"a.bc.def", "def"},
	{"[a-z]+ [0-9]{2,} qq", " qq"},
	{"\\bword\\b", "word"},
	{"\\QSSL\\E(?i:x)handshake", "handshake"},
	{"(?<v>a|b)|c", NULL},
	{"(?=look)ahead", "ahead"},
	{"ab", NULL},
	{"a\\.b", "a.b"},
	{"x\\\\y", "x\\y"},
	{"tab\\tsep", "tab"},
	{"(?s)dotall", NULL},
};

static void test_literal_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < SS_ARRAY_LEN(LIT_CASES); i++) {
		const struct lit_case *c = &LIT_CASES[i];
		char text[256];
		snprintf(text, sizeof text, "SNI %s\n", c->re);
		struct patterns *p = load(text);
		size_t len = 99;
		const char *lit = patterns_literal(p, 0, &len);
		if (c->lit == NULL && lit != NULL)
			fail_msg("%s: got '%s', want none", c->re, lit);
		if (c->lit != NULL && (lit == NULL || strcmp(lit, c->lit) != 0))
			fail_msg("%s: got '%s', want '%s'", c->re, lit ? lit : "(none)",
				 c->lit);
		assert_int_equal(len, c->lit ? strlen(c->lit) : 0);
		assert_int_equal(patterns_literalless(p), c->lit ? 0 : 1);
		patterns_free(&p);
	}
}

/* Every literal the extractor claims must be in every line the regex
 * matches: checked over subjects built from the regexes' own pieces. */
static void test_literal_is_required(void **state)
{
	(void)state;
	static const char *const subjects[] = {
		"colour", "color", "colr", "ac", "abbbc", "abcde", "abce",
		"abcdef", "a.bc.def", "xyzuvw", "xyuvw", "abcdef ghi",
		"defgh", "defg", "abcdddef", "abef", "a.b", "aaabcd",
	};
	for (size_t i = 0; i < SS_ARRAY_LEN(LIT_CASES); i++) {
		char text[256];
		snprintf(text, sizeof text, "SNI %s\n", LIT_CASES[i].re);
		struct patterns *p = load(text);
		struct pattern_matcher *m = pattern_matcher_new(p);
		size_t len;
		const char *lit = patterns_literal(p, 0, &len);
		assert_int_equal(patterns_set_scanner(p, "scalar"), 0);
		for (size_t k = 0; lit && k < SS_ARRAY_LEN(subjects); k++) {
			struct pattern_hit h;
			bool has = strstr(subjects[k], lit) != NULL;
			size_t hits = match_str(m, subjects[k], &h, 1);
			assert_int_equal(patterns_candidate(p, subjects[k],
							    strlen(subjects[k])), has);
			if (hits && !has)
				fail_msg("%s matches '%s' without '%s'", LIT_CASES[i].re,
					 subjects[k], lit);
		}
		pattern_matcher_free(&m);
		patterns_free(&p);
	}
}

/* ---- the scanners --------------------------------------------------- */

static const char RULES_SSL[] =
	"SSL_HANDSHAKE_EXCEPTION javax\\.net\\.ssl\\.SSLHandshakeException\n"
	"SOCKET_CLOSED Socket is closed\n"
	"PEER_NOT_AUTHENTICATED peer not authenticated\n"
	"CERT_ISSUER \"issuer\"\\s*:\\s*\"(?<value>[^\"]*)\"\n"
	"CERT_SUBJECT \"subject\"\\s*:\\s*\"(?<value>[^\"]*)\"\n"
	"PKIX_PATH_BUILDING_FAILED PKIX path building failed\n"
	"ALERT_RECEIVED Received fatal alert: (?<alert>\\w+)\n"
	"CLASSIC_CERT_CHAIN ^\\*\\*\\* Certificate chain\n"
	"CERT_ENTRY chain \\[(?<value>\\d+)\\]\n";

static void test_candidate(void **state)
{
	(void)state;
	struct patterns *p = load(RULES_SSL);
	static const char *const yes[] = {
		"Socket is closed",
		"x Socket is closed",
		"java.net.SocketException: Socket is closed",
		"  \"issuer\" : \"CN=x\"",
		"chain [0] = [",
		"*** Certificate chain",
		"2026-11-22 09:20:00 javax.net.ssl.SSLHandshakeException: "
		"PKIX path building failed",
		"pad pad pad pad pad pad pad pad pad pad pad pad pad pad pad pad "
		"peer not authenticated",
	};
	static const char *const no[] = {
		"", "S", "So", "Socket is close", "ocket is closed",
		"socket is closed", "\"issuer", "chain[0]",
		"2026-11-22 09:20:00 (243) glide.scheduler.worker.1 INFO Response "
		"from uri=https://x/ : HTTP/1.0 200 ok",
		"pad pad pad pad pad pad pad pad pad pad pad pad pad pad pad pad "
		"peer not authenticate",
	};
	for (size_t s = 0; s < SS_ARRAY_LEN(SCANNERS); s++) {
		if (!use_scanner(p, SCANNERS[s]))
			continue;
		assert_string_equal(patterns_scanner(p), SCANNERS[s]);
		for (size_t i = 0; i < SS_ARRAY_LEN(yes); i++)
			if (!patterns_candidate(p, yes[i], strlen(yes[i])))
				fail_msg("%s: '%s' should be a candidate",
					 SCANNERS[s], yes[i]);
		for (size_t i = 0; i < SS_ARRAY_LEN(no); i++)
			if (patterns_candidate(p, no[i], strlen(no[i])))
				fail_msg("%s: '%s' should not be a candidate",
					 SCANNERS[s], no[i]);
		/* the literal is cut by the end of the slice */
		assert_false(patterns_candidate(p, "Socket is closed", 15));
		assert_true(patterns_candidate(p, "Socket is closed", 16));
	}
	assert_int_equal(patterns_set_scanner(p, "nonsense"), -1);
	patterns_free(&p);
}

static void test_candidate_literalless(void **state)
{
	(void)state;
	struct patterns *p = load("SOCKET_CLOSED Socket is closed\n"
				  "PEER_NOT_AUTHENTICATED peer not authenticated|"
				  "SSLPeerUnverified\n");
	assert_int_equal(patterns_literalless(p), 1);
	assert_true(patterns_candidate(p, "", 0));
	assert_true(patterns_candidate(p, "anything", 8));
	struct pattern_matcher *m = pattern_matcher_new(p);
	struct pattern_hit h[2];
	assert_int_equal(match_str(m, "x SSLPeerUnverified", h, 2), 1);
	assert_int_equal(h[0].event, EV_PEER_NOT_AUTHENTICATED);
	assert_int_equal(match_str(m, "nothing here", h, 2), 0);
	pattern_matcher_free(&m);
	patterns_free(&p);

	p = load("# no rules\n");
	assert_false(patterns_candidate(p, "Socket is closed", 16));
	m = pattern_matcher_new(p);
	assert_int_equal(match_str(m, "Socket is closed", h, 2), 0);
	pattern_matcher_free(&m);
	patterns_free(&p);
}

/* A small deterministic generator (xorshift32). */
static uint32_t rnd(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

/* 40 literals (more than the 8 SIMD buckets), with shared prefixes and
 * fingerprints, checked against memmem on random lines for every scanner,
 * both through patterns_candidate() and through patterns_match(). */
static void test_scanners_agree_with_memmem(void **state)
{
	(void)state;
	static const char *const words[] = {
		"javax.net.ssl", "SSLHandshakeException", "Socket is closed",
		"peer not authenticated", "Certificate chain", "\"issuer\"",
		"\"subject\"", "PKIX path", "Received fatal alert", "*** ",
		"chain [", "Produced ClientHello", "Consumed ServerHello",
		"certificate_unknown", "handshake_failure", "bad_certificate",
		"NotAfter", "NotBefore", "Subject: CN=", "Issuer: CN=",
		"%% Cached", "Finished", "abc", "abd", "abe", "xyz\x01", "\xff\xfe\xfd",
		"zz\0zz", "TLSv1.3", "TLSv1.2", "TLSv1.1", "SSLv3", "ECDHE",
		"unable to find", "No subject alternative", "expired",
		"Connection reset", "Broken pipe", "close_notify", "[Raw read]",
	};
	static const size_t wlen[] = {
		13, 21, 16, 22, 17, 8, 9, 9, 20, 4, 7, 20, 20, 19, 17, 15, 8, 9,
		12, 11, 9, 8, 3, 3, 3, 4, 3, 5, 7, 7, 7, 5, 5, 14, 22, 7, 16, 11,
		12, 10,
	};
	assert_int_equal(SS_ARRAY_LEN(words), SS_ARRAY_LEN(wlen));
	struct strbuf text = {0};
	for (size_t i = 0; i < SS_ARRAY_LEN(words); i++) {
		sb_puts(&text, "SNI \\Q");
		sb_append(&text, words[i], wlen[i]);
		sb_puts(&text, "\\E\n");
	}
	struct patterns *p = patterns_new();
	struct ss_err err = {{0}};
	assert_int_equal(patterns_add_text(p, "w", text.p, text.n, &err), 0);
	assert_int_equal(patterns_finish(p, &err), 0);
	sb_free(&text);
	for (size_t i = 0; i < SS_ARRAY_LEN(words); i++) {
		size_t len;
		const char *lit = patterns_literal(p, i, &len);
		assert_non_null(lit);
		assert_int_equal(len, wlen[i]);
		assert_memory_equal(lit, words[i], len);
	}
	struct pattern_matcher *m = pattern_matcher_new(p);
	struct pattern_hit hits[64];
	static const char alphabet[] = "abcdefxyz .:[]*\"sSlLCcTtnNpPeE\0\x01\xff\xfe\xfd";
	char line[300];
	uint32_t seed = 12345;
	size_t found = 0;
	for (int iter = 0; iter < 6000; iter++) {
		size_t n = rnd(&seed) % sizeof line;
		for (size_t i = 0; i < n; i++)
			line[i] = alphabet[rnd(&seed) % (sizeof alphabet - 1)];
		if (n && rnd(&seed) % 2) {   /* plant a (maybe cut) literal */
			size_t w = rnd(&seed) % SS_ARRAY_LEN(words);
			size_t at = rnd(&seed) % n;
			size_t k = wlen[w] < n - at ? wlen[w] : n - at;
			memcpy(line + at, words[w], k);
		}
		bool want = false;
		size_t want_hits = 0;
		for (size_t w = 0; w < SS_ARRAY_LEN(words); w++) {
			bool in = n >= wlen[w] && memmem(line, n, words[w], wlen[w]);
			want = want || in;
			want_hits += in;
		}
		found += want;
		for (size_t s = 0; s < SS_ARRAY_LEN(SCANNERS); s++) {
			if (!use_scanner(p, SCANNERS[s]))
				continue;
			if (patterns_candidate(p, line, n) != want)
				fail_msg("%s: iteration %d: candidate != %d", SCANNERS[s],
					 iter, want);
			assert_int_equal(patterns_match(m, line, n, hits, 64), want_hits);
		}
	}
	assert_true(found > 1000);
	pattern_matcher_free(&m);
	patterns_free(&p);
}

/* Literals at the very start and end of lines of every length around
 * the SIMD block sizes. */
static void test_scanner_edges(void **state)
{
	(void)state;
	struct patterns *p = load("SNI Xq7\nTLS_VERSION QQQQQ\n");
	char line[80];
	for (size_t s = 0; s < SS_ARRAY_LEN(SCANNERS); s++) {
		if (!use_scanner(p, SCANNERS[s]))
			continue;
		for (size_t n = 0; n < sizeof line; n++) {
			memset(line, 'q', n);
			assert_false(patterns_candidate(p, line, n));
			if (n < 3)
				continue;
			memcpy(line, "Xq7", 3);
			assert_true(patterns_candidate(p, line, n));
			memset(line, 'q', 3);
			memcpy(line + n - 3, "Xq7", 3);
			assert_true(patterns_candidate(p, line, n));
			assert_false(patterns_candidate(p, line, n - 1));
		}
	}
	patterns_free(&p);
}

/* ---- matching ------------------------------------------------------- */

static void test_match_captures(void **state)
{
	(void)state;
	struct patterns *p = load(
		"SNI \"server_name\"\\s*:\\s*\\{\\s*\"type=host_name \\(0\\)\", "
		"value=(?<host>[^\"]+)\"\n"
		"REQUEST_NOT_SENT Request not sent to uri=https://(?<host>[^:/]+)"
		"(?::(?<port>\\d+))?(?<other>/\\S*)?\n"
		"CERT_ISSUER \"issuer\"\\s*:\\s*\"(?<value>[^\"]*)\"\n");
	struct pattern_matcher *m = pattern_matcher_new(p);
	struct pattern_hit h[4];
	assert_int_equal(match_str(m, "WARNING Request not sent to uri=https://"
				   "leafonly.partner.test:18458/api/now : x", h, 4), 1);
	assert_int_equal(h[0].event, EV_REQUEST_NOT_SENT);
	assert_int_equal(h[0].rule, 1);
	assert_slice(h[0].cap[CAP_host], "leafonly.partner.test");
	assert_slice(h[0].cap[CAP_port], "18458");
	assert_null(h[0].cap[CAP_value].p);
	assert_int_equal(h[0].cap[CAP_value].n, 0);
	assert_null(h[0].cap[CAP_alert].p);

	/* an optional group that did not take part: empty */
	assert_int_equal(match_str(m, "Request not sent to uri=https://h.example",
				   h, 4), 1);
	assert_slice(h[0].cap[CAP_host], "h.example");
	assert_null(h[0].cap[CAP_port].p);
	assert_int_equal(h[0].cap[CAP_port].n, 0);

	assert_int_equal(match_str(m, "  \"issuer\" : \"CN=Example CA, O=Ex\",", h, 4), 1);
	assert_int_equal(h[0].event, EV_CERT_ISSUER);
	assert_slice(h[0].cap[CAP_value], "CN=Example CA, O=Ex");
	/* an empty capture that did take part */
	assert_int_equal(match_str(m, "\"issuer\":\"\"", h, 4), 1);
	assert_non_null(h[0].cap[CAP_value].p);
	assert_int_equal(h[0].cap[CAP_value].n, 0);
	pattern_matcher_free(&m);
	patterns_free(&p);
}

static void test_duplicate_names(void **state)
{
	(void)state;
	struct patterns *p = load("ALERT_DESCRIPTION (?J)alert: (?:desc=(?<alert>\\w+)|"
				  "description=(?<alert>\\w+))\n");
	struct pattern_matcher *m = pattern_matcher_new(p);
	struct pattern_hit h[1];
	assert_int_equal(match_str(m, "alert: description=bad_record_mac", h, 1), 1);
	assert_slice(h[0].cap[CAP_alert], "bad_record_mac");
	assert_int_equal(match_str(m, "alert: desc=decode_error", h, 1), 1);
	assert_slice(h[0].cap[CAP_alert], "decode_error");
	pattern_matcher_free(&m);
	patterns_free(&p);
}

static void test_literal_present_regex_fails(void **state)
{
	(void)state;
	struct patterns *p = load("ALERT_RECEIVED Received fatal alert: "
				  "(?<alert>[a-z_]+)$\n");
	struct pattern_matcher *m = pattern_matcher_new(p);
	struct pattern_hit h[1];
	const char *s = "Received fatal alert: BAD";
	assert_true(patterns_candidate(p, s, strlen(s)));
	assert_int_equal(match_str(m, s, h, 1), 0);
	assert_int_equal(match_str(m, "Received fatal alert: bad_certificate", h, 1), 1);
	assert_int_equal(patterns_limit_hits(m), 0);
	pattern_matcher_free(&m);
	patterns_free(&p);
}

static void test_rule_order_and_max(void **state)
{
	(void)state;
	struct patterns *p = load(
		"CERT_ENTRY zzz ccc\n"                 /* 0 */
		"SOCKET_CLOSED Socket is closed\n"     /* 1 */
		"SNI aaa\n"                            /* 2 */
		"TLS_VERSION (?<version>TLSv1\\.[0-3])\n" /* 3 */
		"CERT_EMPTY bbb\n"                     /* 4 */
		"CIPHER_SUITE Socket\n");              /* 5 */
	struct pattern_matcher *m = pattern_matcher_new(p);
	struct pattern_hit h[8];
	const char *s = "bbb aaa TLSv1.3 Socket is closed";
	assert_int_equal(match_str(m, s, h, 8), 5);
	static const int rules[] = {1, 2, 3, 4, 5};
	static const enum ss_event evs[] = {EV_SOCKET_CLOSED, EV_SNI,
		EV_TLS_VERSION, EV_CERT_EMPTY, EV_CIPHER_SUITE};
	for (int i = 0; i < 5; i++) {
		assert_int_equal(h[i].rule, rules[i]);
		assert_int_equal(h[i].event, evs[i]);
	}
	assert_slice(h[2].cap[CAP_version], "TLSv1.3");
	memset(h, 0xAB, sizeof h);
	assert_int_equal(match_str(m, s, h, 2), 2);
	assert_int_equal(h[0].rule, 1);
	assert_int_equal(h[1].rule, 2);
	unsigned char untouched[sizeof h[2]];
	memset(untouched, 0xAB, sizeof untouched);
	assert_memory_equal(&h[2], untouched, sizeof untouched);
	assert_int_equal(match_str(m, s, h, 0), 0);
	pattern_matcher_free(&m);
	patterns_free(&p);
}

/* More rules than one 64-bit word holds, literals shared between rules
 * far apart, and a rule without a literal among them: the hits still
 * come in rule order, each rule once. */
static void test_rule_order_many(void **state)
{
	(void)state;
	enum { N = 150 };
	struct strbuf b = {0};
	for (int i = 0; i < N; i++) {
		if (i == 70)
			sb_puts(&b, "SNI (?i)SHARED\n");
		else if (i % 3 == 0)
			sb_puts(&b, "SNI shared\n");
		else
			sb_printf(&b, "SNI k%03d\n", i);
	}
	struct patterns *p = load(b.p);
	sb_free(&b);
	assert_int_equal(patterns_count(p), N);
	assert_int_equal(patterns_literalless(p), 1);
	struct pattern_matcher *m = pattern_matcher_new(p);
	struct pattern_hit h[N];
	const char *s = "k128 shared k005 k100 k999";
	size_t n = match_str(m, s, h, N);
	int want[N], k = 0;
	for (int i = 0; i < N; i++)
		if (i % 3 == 0 || i == 70 || i == 5 || i == 100 || i == 128)
			want[k++] = i;
	assert_int_equal(n, k);
	for (int i = 0; i < k; i++)
		assert_int_equal(h[i].rule, want[i]);
	/* cut at max, in order */
	assert_int_equal(match_str(m, s, h, 3), 3);
	assert_int_equal(h[2].rule, 5);
	/* only the literal-less rule */
	assert_int_equal(match_str(m, "xx Shared xx", h, N), 1);
	assert_int_equal(h[0].rule, 70);
	pattern_matcher_free(&m);
	patterns_free(&p);
}

static void test_catastrophic_backtracking(void **state)
{
	(void)state;
	/* (a+)+$ on 40 a's and a b has 2^40 ways to fail: only the match
	 * limit ends it, so the test cannot pass by being fast. */
	struct patterns *p = load("SNI xx(a+)+$\nTLS_VERSION xxa\n");
	struct pattern_matcher *m = pattern_matcher_new(p);
	char s[64];
	memcpy(s, "xx", 2);
	memset(s + 2, 'a', 40);
	s[42] = 'b';
	struct pattern_hit h[2];
	size_t n_new;
	const size_t *rules;
	assert_int_equal(patterns_limit_hits(m), 0);
	assert_int_equal(patterns_match(m, s, 43, h, 2), 1);
	assert_int_equal(h[0].event, EV_TLS_VERSION);
	assert_int_equal(patterns_limit_hits(m), 1);
	/* the rule is named the first time it hits the limit, not again */
	rules = patterns_new_limit_rules(m, &n_new);
	assert_int_equal(n_new, 1);
	assert_int_equal(rules[0], 0);
	assert_string_equal(patterns_source(p, rules[0]), "t.pat:1");
	assert_int_equal(patterns_match(m, s, 43, h, 2), 1);
	assert_int_equal(patterns_limit_hits(m), 2);
	patterns_new_limit_rules(m, &n_new);
	assert_int_equal(n_new, 0);
	/* the same rule still matches where it can */
	assert_int_equal(patterns_match(m, s, 42, h, 2), 2);
	assert_int_equal(h[0].event, EV_SNI);
	assert_int_equal(patterns_limit_hits(m), 2);
	pattern_matcher_free(&m);
	patterns_free(&p);
}

static void test_binary_subjects(void **state)
{
	(void)state;
	struct patterns *p = load("PEER_CLOSED_TEXT (?<detail>Remote host.*closed)\n"
				  "CERT_SUBJECT Subject: (?<value>.+)$\n"
				  "SNI \\x00\\xff(?<host>[a-z]+)\n");
	struct pattern_matcher *m = pattern_matcher_new(p);
	struct pattern_hit h[4];
	static const char bad_utf8[] = "\xc3(\xff\xfe Remote host \xe2\x82 terminated"
				       "\x00 closed\x80";
	static const char detail[] = "Remote host \xe2\x82 terminated\x00 closed";
	size_t n = sizeof bad_utf8 - 1;
	assert_true(patterns_candidate(p, bad_utf8, n));
	assert_int_equal(patterns_match(m, bad_utf8, n, h, 4), 1);
	assert_int_equal(h[0].event, EV_PEER_CLOSED_TEXT);
	assert_int_equal(h[0].cap[CAP_detail].n, sizeof detail - 1);
	assert_memory_equal(h[0].cap[CAP_detail].p, detail, sizeof detail - 1);

	static const char subj[] = "Subject: CN=caf\xe9\x00x\xff";
	static const char value[] = "CN=caf\xe9\x00x\xff";
	assert_int_equal(patterns_match(m, subj, sizeof subj - 1, h, 4), 1);
	assert_int_equal(h[0].event, EV_CERT_SUBJECT);
	assert_int_equal(h[0].cap[CAP_value].n, sizeof value - 1);
	assert_memory_equal(h[0].cap[CAP_value].p, value, sizeof value - 1);

	static const char nul[] = "pre\x00\xffhost\x00post";
	assert_int_equal(patterns_match(m, nul, sizeof nul - 1, h, 4), 1);
	assert_int_equal(h[0].event, EV_SNI);
	assert_slice(h[0].cap[CAP_host], "host");
	assert_int_equal(patterns_match(m, NULL, 0, h, 4), 0);
	assert_int_equal(patterns_limit_hits(m), 0);
	pattern_matcher_free(&m);
	patterns_free(&p);
}

static void test_all_literals_on_one_line(void **state)
{
	(void)state;
	struct patterns *p = load(RULES_SSL);
	struct pattern_matcher *m = pattern_matcher_new(p);
	const char *s = "*** Certificate chain [1] \"issuer\" : \"CN=I\", "
			"\"subject\" : \"CN=S\", javax.net.ssl.SSLHandshakeException: "
			"PKIX path building failed Received fatal alert: "
			"certificate_unknown Socket is closed peer not authenticated";
	struct pattern_hit h[16];
	for (size_t sc = 0; sc < SS_ARRAY_LEN(SCANNERS); sc++) {
		if (!use_scanner(p, SCANNERS[sc]))
			continue;
		assert_true(patterns_candidate(p, s, strlen(s)));
		assert_int_equal(match_str(m, s, h, 16), 9);
		for (int i = 0; i < 9; i++)
			assert_int_equal(h[i].rule, i);
		assert_slice(h[3].cap[CAP_value], "CN=I");
		assert_slice(h[4].cap[CAP_value], "CN=S");
		assert_slice(h[6].cap[CAP_alert], "certificate_unknown");
		assert_slice(h[8].cap[CAP_value], "1");
	}
	pattern_matcher_free(&m);
	patterns_free(&p);
}

static void test_matcher_needs_finish(void **state)
{
	(void)state;
	struct patterns *p = patterns_new();
	assert_null(pattern_matcher_new(p));
	assert_null(pattern_matcher_new(NULL));
	patterns_free(&p);
	patterns_free(&p);
	assert_int_equal(patterns_count(NULL), 0);
	struct pattern_matcher *m = NULL;
	pattern_matcher_free(&m);
	(void)patterns_have_jit();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_event_names),
		cmocka_unit_test(test_load_text),
		cmocka_unit_test(test_comments_blank_crlf),
		cmocka_unit_test(test_unknown_name),
		cmocka_unit_test(test_bad_regex_column),
		cmocka_unit_test(test_missing_regex),
		cmocka_unit_test(test_nul_in_file),
		cmocka_unit_test(test_add_file_errors),
		cmocka_unit_test_setup_teardown(test_load_dir_sorted, make_dir,
						remove_dir),
		cmocka_unit_test_setup_teardown(test_load_dir_errors, make_dir,
						remove_dir),
		cmocka_unit_test(test_literal_table),
		cmocka_unit_test(test_literal_is_required),
		cmocka_unit_test(test_candidate),
		cmocka_unit_test(test_candidate_literalless),
		cmocka_unit_test(test_scanners_agree_with_memmem),
		cmocka_unit_test(test_scanner_edges),
		cmocka_unit_test(test_match_captures),
		cmocka_unit_test(test_duplicate_names),
		cmocka_unit_test(test_literal_present_regex_fails),
		cmocka_unit_test(test_rule_order_and_max),
		cmocka_unit_test(test_rule_order_many),
		cmocka_unit_test(test_catastrophic_backtracking),
		cmocka_unit_test(test_binary_subjects),
		cmocka_unit_test(test_all_literals_on_one_line),
		cmocka_unit_test(test_matcher_needs_finish),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
