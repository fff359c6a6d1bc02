/* test_timewin.c - the time window: parsing --since/--until, the line
 * filter (inherited timestamps, slack), and handshakes kept by start. */
#include "config.h"

#include "testutil.h"

#include "model.h"
#include "patterns.h"
#include "pipeline.h"
#include "timewin.h"
#include "util.h"

#define MIN_MS INT64_C(60000)
#define DAY_MS INT64_C(86400000)

static int64_t at(int y, int mo, int d, int h, int mi, int s, int ms)
{
	return civil_to_ms(y, mo, d, h, mi, s, ms);
}

static int64_t parse_ok(const char *s, int64_t now, enum timewin_edge edge)
{
	struct ss_err err = {{0}};
	int64_t out = 0;
	if (timewin_parse(s, now, edge, &out, &err) != 0)
		fail_msg("'%s' did not parse: %s", s, err.msg);
	return out;
}

static const char *parse_bad(const char *s)
{
	static struct ss_err err;
	int64_t out = 0;
	memset(&err, 0, sizeof err);
	assert_int_equal(timewin_parse(s, 0, TW_START, &out, &err), -1);
	assert_true(strstr(err.msg, s) != NULL); /* the message quotes it */
	return err.msg;
}

/* ---- parsing ------------------------------------------------------------ */

static void test_parse_dates(void **state)
{
	(void)state;
	int64_t day = at(2026, 11, 21, 0, 0, 0, 0);
	assert_true(parse_ok("2026-11-21", 0, TW_START) == day);
	assert_true(parse_ok("2026-11-21", 0, TW_END) == day + DAY_MS - 1);
	assert_true(parse_ok("2026/11/21", 0, TW_START) == day);
	int64_t ten = at(2026, 11, 21, 10, 0, 0, 0);
	assert_true(parse_ok("2026-11-21 10:00", 0, TW_START) == ten);
	assert_true(parse_ok("2026-11-21T10:00", 0, TW_END) == ten + MIN_MS - 1);
	assert_true(parse_ok("2026-11-21T10:00:00", 0, TW_START) == ten);
	assert_true(parse_ok("2026-11-21T10:00:00", 0, TW_END) == ten + 999);
	assert_true(parse_ok("2026-11-21 10:00:00.250", 0, TW_END) == ten + 250);
	assert_true(parse_ok("2026-11-21 10:00:00,5", 0, TW_START) == ten + 500);
	assert_true(parse_ok("2026-11-21 10:00:00.123456", 0, TW_START) ==
		    ten + 123);
	assert_true(parse_ok("2024-02-29", 0, TW_START) ==
		    at(2024, 2, 29, 0, 0, 0, 0));
	assert_true(parse_ok("2026-11-21 ", 0, TW_START) == day);
}

static void test_parse_spans(void **state)
{
	(void)state;
	int64_t now = at(2026, 11, 22, 9, 30, 0, 0);
	assert_true(parse_ok("2h", now, TW_START) == now - 120 * MIN_MS);
	assert_true(parse_ok("30m", now, TW_END) == now - 30 * MIN_MS);
	assert_true(parse_ok("3d", now, TW_START) == now - 3 * DAY_MS);
	assert_true(parse_ok("1w", now, TW_START) == now - 7 * DAY_MS);
	assert_true(parse_ok("45s", now, TW_START) == now - 45000);
	assert_true(parse_ok("1h30m", now, TW_START) == now - 90 * MIN_MS);
	assert_true(parse_ok("0m", now, TW_START) == now);
}

static void test_parse_errors(void **state)
{
	(void)state;
	parse_bad("");
	parse_bad("yesterday");
	parse_bad("2026-13-01");
	parse_bad("2026-02-29");          /* not a leap year */
	parse_bad("2026-11-31");
	parse_bad("2026-11-21T25:00");
	parse_bad("2026-11-21 10:60");
	parse_bad("2026-11-21 10");
	parse_bad("2026-11-21x");
	parse_bad("10:00");
	parse_bad("2h5");
	parse_bad("-2h");
	parse_bad("5y");
	parse_bad("26-11-21");
	const char *m = parse_bad("2026-11-21T10:00:00Z");
	assert_non_null(strstr(m, "time zone"));
	m = parse_bad("2026-11-21T10:00:00+01:00");
	assert_non_null(strstr(m, "time zone"));
	m = parse_bad("soon");
	assert_non_null(strstr(m, "2h"));   /* says what would do */
	int64_t out;
	assert_int_equal(timewin_parse_datetime("2h", TW_START, &out), -1);
}

static void test_contains(void **state)
{
	(void)state;
	struct timewin open = {TS_NONE, TS_NONE};
	assert_false(timewin_active(&open));
	assert_true(timewin_contains(&open, TS_NONE));
	assert_true(timewin_contains(&open, 5));
	struct timewin w = {100, 200};
	assert_true(timewin_active(&w));
	assert_false(timewin_contains(&w, 99));
	assert_true(timewin_contains(&w, 100));
	assert_true(timewin_contains(&w, 200));
	assert_false(timewin_contains(&w, 201));
	assert_false(timewin_contains(&w, TS_NONE));
	struct timewin since = {100, TS_NONE};
	assert_true(timewin_contains(&since, INT64_MAX));
	assert_false(timewin_contains(&since, 0));
}

static void test_local_now(void **state)
{
	(void)state;
	/* Some time after this code was written, and before the year 3000. */
	int64_t now = timewin_local_now();
	assert_true(now > at(2024, 1, 1, 0, 0, 0, 0));
	assert_true(now < at(3000, 1, 1, 0, 0, 0, 0));
}

/* ---- the line filter ------------------------------------------------------ */

static void test_filter_lines(void **state)
{
	(void)state;
	int64_t t0 = at(2026, 11, 22, 9, 0, 0, 0);
	struct timewin w = {t0, t0 + 10 * MIN_MS};
	struct timewin_filter *f = timewin_filter_new(&w);
	timewin_begin_input(f);
	/* Before the first timestamp of an input nothing can be judged: the
	 * line is read on, and its handshake is kept or cut by its start. */
	assert_true(timewin_line(f, TS_NONE));
	/* Well before the window, and within the slack before it. */
	assert_false(timewin_line(f, t0 - TIMEWIN_SLACK_MS - 1));
	assert_false(timewin_line(f, TS_NONE));   /* inherits the same */
	assert_true(timewin_line(f, t0 - TIMEWIN_SLACK_MS));
	assert_true(timewin_line(f, t0 + MIN_MS));
	assert_true(timewin_line(f, TS_NONE));    /* inherits t0 + 1m */
	assert_true(timewin_line(f, w.until + TIMEWIN_SLACK_MS));
	assert_false(timewin_line(f, w.until + TIMEWIN_SLACK_MS + 1));
	assert_false(timewin_line(f, TS_NONE));
	/* A new input inherits nothing: its untimed lines are read on. */
	timewin_begin_input(f);
	assert_true(timewin_line(f, TS_NONE));
	timewin_filter_free(&f);
	assert_null(f);
}

static void test_filter_remember(void **state)
{
	(void)state;
	struct timewin w = {0, 1};
	struct timewin_filter *f = timewin_filter_new(&w);
	size_t n;
	timewin_begin_input(f);
	assert_null(timewin_pending(f, &n));
	static const char timed[] = "2026-11-22 09:22:04 (323) worker INFO x";
	timewin_remember(f, timed, strlen(timed));
	const char *held = timewin_pending(f, &n);
	assert_non_null(held);
	assert_int_equal(n, strlen(timed));
	assert_memory_equal(held, timed, n);
	/* A stack frame holds no time: it does not hide the line above. */
	static const char frame[] = "\tat com.example.Foo.bar(Foo.java:123)";
	timewin_remember(f, frame, strlen(frame));
	assert_ptr_equal(timewin_pending(f, &n), held);
	assert_int_equal(n, strlen(timed));
	/* A line given to timewin_line() is newer than what was kept. */
	timewin_line(f, TS_NONE);
	assert_null(timewin_pending(f, &n));
	/* Only the start of a long line is kept. */
	char longline[1000];
	memset(longline, 'x', sizeof longline);
	memcpy(longline, timed, strlen(timed));
	timewin_remember(f, longline, sizeof longline);
	assert_non_null(timewin_pending(f, &n));
	assert_true(n < sizeof longline);
	timewin_begin_input(f);
	assert_null(timewin_pending(f, &n));
	timewin_filter_free(&f);
}

/* ---- handshakes by start ---------------------------------------------------- */

static size_t add_hs(struct report *r, int64_t start, const char *host)
{
	struct handshake *h = report_add_handshake(r);
	h->ts_start = h->ts_end = start;
	h->peer_host = xstrdup(host);
	h->outcome = OUTCOME_FAILED;
	return r->n_handshakes - 1;
}

static void add_sym(struct report *r, size_t hi, const char *text)
{
	size_t si = r->n_symptoms;
	struct symptom *s = report_add_symptom(r);
	s->text = xstrdup(text);
	s->handshake = (long)hi;
	handshake_add_symptom(&r->handshakes[hi], si);
}

static void test_apply_report(void **state)
{
	(void)state;
	struct report *r = report_new();
	add_hs(r, 100, "early");
	add_sym(r, 0, "early-1");
	add_hs(r, 150, "inside");
	add_sym(r, 1, "inside-1");
	add_sym(r, 1, "inside-2");
	add_hs(r, TS_NONE, "untimed");
	add_sym(r, 2, "untimed-1");
	add_hs(r, 200, "edge");
	add_sym(r, 3, "edge-1");
	struct timewin w = {150, 200};
	timewin_apply_report(&w, r);
	assert_true(r->since == 150 && r->until == 200);
	assert_int_equal(r->n_handshakes, 2);
	assert_string_equal(r->handshakes[0].peer_host, "inside");
	assert_string_equal(r->handshakes[1].peer_host, "edge");
	/* The symptoms went with their handshakes, indices made anew. */
	assert_int_equal(r->n_symptoms, 3);
	assert_int_equal(r->handshakes[0].n_symptoms, 2);
	assert_string_equal(r->symptoms[r->handshakes[0].symptoms[0]].text,
			    "inside-1");
	assert_string_equal(r->symptoms[r->handshakes[0].symptoms[1]].text,
			    "inside-2");
	assert_string_equal(r->symptoms[r->handshakes[1].symptoms[0]].text,
			    "edge-1");
	for (size_t i = 0; i < r->n_symptoms; i++) {
		long hi = r->symptoms[i].handshake;
		assert_true(hi >= 0 && (size_t)hi < r->n_handshakes);
	}
	/* An open window keeps everything, and says so. */
	struct timewin open = {TS_NONE, TS_NONE};
	timewin_apply_report(&open, r);
	assert_int_equal(r->n_handshakes, 2);
	assert_true(r->since == TS_NONE && r->until == TS_NONE);
	report_free(&r);
}

/* ---- through the pipeline ----------------------------------------------------- */

/* Handshakes in the report of one in-memory log, for a window. */
static struct report *scan(const char *log, const struct timewin *w)
{
	struct ss_err err = {{0}};
	struct pipeline_opts o = {.window = w};
	struct pipeline *pl = pipeline_new(pat, &o, &err);
	assert_non_null(pl);
	pipeline_feed_mem(pl, "localhost.log", log, strlen(log));
	struct report *r = pipeline_finish(pl);
	pipeline_free(&pl);
	return r;
}

/* A ServiceNow localhost log: the exception's own line carries no time
 * (a "Caused by:" line of a stack trace); it inherits the time of the
 * line above it, which is not itself a symptom. */
static const char stack_log[] =
	"2026-11-22 09:00:00 (001) worker.1 ABC txid=1 INFO starting up\n"
	"2026-11-22 10:15:00 (100) worker.3 ABC txid=2 SEVERE *** ERROR *** "
	"Outbound call failed\n"
	"\tat com.example.Rest.call(Rest.java:42)\n"
	"Caused by: javax.net.ssl.SSLHandshakeException: PKIX path building "
	"failed: unable to find valid certification path to requested target\n"
	"\tat sun.security.ssl.Alert.createSSLException(Alert.java:131)\n";

static void test_pipeline_inherits(void **state)
{
	(void)state;
	struct timewin all = {TS_NONE, TS_NONE};
	struct report *r = scan(stack_log, &all);
	assert_int_equal(r->n_handshakes, 1);
	report_free(&r);
	/* 10:15 is inside, by the time of the line above the exception. */
	struct timewin w = {at(2026, 11, 22, 10, 0, 0, 0),
			    at(2026, 11, 22, 10, 30, 0, 0)};
	r = scan(stack_log, &w);
	assert_int_equal(r->n_handshakes, 1);
	assert_int_equal(r->handshakes[0].diagnosis, DIAG_TRUST_PATH_FAILED);
	assert_true(r->since == w.since && r->until == w.until);
	report_free(&r);
	/* Outside by that time, though the log starts at 09:00. */
	struct timewin before = {at(2026, 11, 22, 8, 0, 0, 0),
				 at(2026, 11, 22, 9, 30, 0, 0)};
	r = scan(stack_log, &before);
	assert_int_equal(r->n_handshakes, 0);
	assert_int_equal(r->n_findings, 0);
	assert_int_equal(r->inputs[0].lines, 5); /* every line was read */
	report_free(&r);
}

/* A log with no timestamp at all is outside every window. */
static void test_pipeline_untimed(void **state)
{
	(void)state;
	static const char log[] =
		"javax.net.ssl.SSLHandshakeException: PKIX path building failed\n";
	struct timewin all = {TS_NONE, TS_NONE};
	struct report *r = scan(log, &all);
	assert_int_equal(r->n_handshakes, 1);
	report_free(&r);
	struct timewin w = {0, TS_NONE};
	r = scan(log, &w);
	assert_int_equal(r->n_handshakes, 0);
	report_free(&r);
}

/* The real node1 capture: handshakes at 09:22:04 (two) and 09:22:06 (two),
 * the symptoms in the localhost log tied to them. */
static struct report *scan_node1(int64_t since, int64_t until)
{
	static const char *const files[] = {
		"samples/node1/localhost_log.2026-11-22.txt",
		"samples/node1/wrapper.log", "samples/node1/wrapper.log.1.gz"};
	struct timewin w = {since, until};
	struct pipeline_opts o = {.window = &w};
	return scan_files(pat, &o, files, SS_ARRAY_LEN(files));
}

static size_t count_code(const struct report *r, enum diag_code code)
{
	size_t n = 0;
	for (size_t i = 0; i < r->n_handshakes; i++)
		n += r->handshakes[i].diagnosis == code;
	return n;
}

/* The second the newer of node1's two wrapper runs starts in (the older
 * one, wrapper.log.1.gz, ends before it): read from the sample, so that a
 * recapture keeps the test meaningful. */
static int64_t newer_run_start(void)
{
	FILE *f = fopen(srcpath("samples/node1/wrapper.log"), "r");
	assert_non_null(f);
	char line[512];
	int y, mo, d, h, mi, sec;
	int64_t t = TS_NONE;
	while (t == TS_NONE && fgets(line, sizeof line, f))
		if (sscanf(line, "INFO | jvm %*d | %d/%d/%d %d:%d:%d", &y, &mo, &d,
			   &h, &mi, &sec) == 6 ||
		    sscanf(line, "INFO   | jvm %*d    | %d/%d/%d %d:%d:%d", &y, &mo,
			   &d, &h, &mi, &sec) == 6)
			t = at(y, mo, d, h, mi, sec, 0);
	fclose(f);
	assert_true(t != TS_NONE);
	return t;
}

static void test_pipeline_samples(void **state)
{
	(void)state;
	int64_t t5 = newer_run_start();
	struct report *r = scan_node1(TS_NONE, TS_NONE);
	assert_int_equal(r->n_handshakes, 4);
	report_free(&r);
	r = scan_node1(t5, TS_NONE);
	assert_int_equal(r->n_handshakes, 2);
	assert_int_equal(count_code(r, DIAG_LEAF_ONLY_CHAIN), 1);
	assert_int_equal(count_code(r, DIAG_OK), 1);
	/* The leaf-only handshake keeps its localhost symptoms. */
	for (size_t i = 0; i < r->n_handshakes; i++)
		if (r->handshakes[i].diagnosis == DIAG_LEAF_ONLY_CHAIN)
			assert_int_equal(r->handshakes[i].n_symptoms, 3);
	report_free(&r);
	r = scan_node1(TS_NONE, t5 - 1);
	assert_int_equal(r->n_handshakes, 2);
	assert_int_equal(count_code(r, DIAG_UNTRUSTED_ROOT), 1);
	assert_int_equal(count_code(r, DIAG_LEAF_ONLY_CHAIN_TOLERATED), 1);
	report_free(&r);
	r = scan_node1(t5 + 3600 * 1000, TS_NONE);
	assert_int_equal(r->n_handshakes, 0);
	assert_int_equal(r->n_symptoms, 0);
	report_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_dates),
		cmocka_unit_test(test_parse_spans),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_contains),
		cmocka_unit_test(test_local_now),
		cmocka_unit_test(test_filter_lines),
		cmocka_unit_test(test_filter_remember),
		cmocka_unit_test(test_apply_report),
		cmocka_unit_test(test_pipeline_inherits),
		cmocka_unit_test(test_pipeline_untimed),
		cmocka_unit_test(test_pipeline_samples),
	};
	return cmocka_run_group_tests(tests, patterns_setup, patterns_teardown);
}
