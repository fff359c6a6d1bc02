/* test_correlate.c - symptoms to handshakes. */
#include "config.h"

#include "testutil.h"

#include "correlate.h"
#include "model.h"
#include "util.h"

#define WRAPPER 0   /* file index of wrapper.log: the JSSE debug output */
#define LOCALHOST 1 /* file index of localhost.log: the application */
#define T0 1700000000000LL
#define WORKER "glide.scheduler.worker.3"

/* ---- building reports ---------------------------------------------- */

struct hs_spec {
	uint32_t file;
	uint64_t line;
	int64_t ts_start, ts_end;
	const char *thread;
	const char *host;
	int port;
	enum outcome outcome;
};

struct sym_spec {
	enum symptom_kind kind;
	uint32_t file;
	uint64_t line;
	int64_t ts;
	const char *thread;
	const char *host;
	int port;
	bool pkix;
};

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

static size_t add_hs(struct report *r, struct hs_spec sp)
{
	size_t i = r->n_handshakes;
	struct handshake *h = report_add_handshake(r);
	h->file = sp.file;
	h->line = h->last_line = sp.line;
	h->ts_start = sp.ts_start;
	h->ts_end = sp.ts_end;
	h->thread = dup_or_null(sp.thread);
	h->peer_host = dup_or_null(sp.host);
	h->peer_port = sp.port;
	h->outcome = sp.outcome;
	return i;
}

static size_t add_sym(struct report *r, struct sym_spec sp)
{
	size_t i = r->n_symptoms;
	struct symptom *s = report_add_symptom(r);
	char text[128];
	snprintf(text, sizeof text, "symptom at line %llu",
		 (unsigned long long)sp.line);
	s->kind = sp.kind;
	s->file = sp.file;
	s->line = sp.line;
	s->ts = sp.ts;
	s->thread = dup_or_null(sp.thread);
	s->host = dup_or_null(sp.host);
	s->port = sp.port;
	s->pkix = sp.pkix;
	s->text = xstrdup(text);
	s->handshake = -1;
	return i;
}

/* A failed handshake of one instant on a thread, in wrapper.log. */
static size_t add_failed(struct report *r, uint64_t line, int64_t ts,
			 const char *thread)
{
	return add_hs(r, (struct hs_spec){WRAPPER, line, ts, ts, thread, NULL,
					  0, OUTCOME_FAILED});
}

/* An SSLHandshakeException line in localhost.log. */
static size_t add_exc(struct report *r, uint64_t line, int64_t ts,
		      const char *thread)
{
	return add_sym(r, (struct sym_spec){SYM_SSL_HANDSHAKE_EXCEPTION,
					    LOCALHOST, line, ts, thread, NULL,
					    0, false});
}

static bool has_symptom(const struct handshake *h, size_t si)
{
	for (size_t i = 0; i < h->n_symptoms; i++)
		if (h->symptoms[i] == si)
			return true;
	return false;
}

static void assert_tied(const struct report *r, size_t si, size_t hi)
{
	assert_int_equal(r->symptoms[si].handshake, (long)hi);
	assert_true(has_symptom(&r->handshakes[hi], si));
}

/* ---- rule 1: the same thread --------------------------------------- */

static void test_same_thread_across_files(void **state)
{
	(void)state;
	struct report *r = report_new();
	size_t mine = add_hs(r, (struct hs_spec){WRAPPER, 100, T0, T0 + 200,
						 WORKER, NULL, 0,
						 OUTCOME_FAILED});
	/* nearer in time, but another thread */
	size_t other = add_failed(r, 300, T0 + 290, "http-nio-8080-exec-1");
	size_t s = add_exc(r, 7, T0 + 300, WORKER);
	correlate_report(r);
	assert_int_equal(r->n_handshakes, 2);
	assert_tied(r, s, mine);
	assert_int_equal(r->handshakes[other].n_symptoms, 0);
	report_free(&r);
	assert_null(r);
}

static void test_window_edges(void **state)
{
	(void)state;
	struct report *r = report_new();
	size_t h = add_hs(r, (struct hs_spec){WRAPPER, 10, T0, T0 + 500,
					      WORKER, NULL, 0,
					      OUTCOME_FAILED});
	size_t late_in = add_exc(r, 1, T0 + 500 + CORRELATE_WINDOW_MS,
				 WORKER);
	size_t early_in = add_exc(r, 2, T0 - CORRELATE_WINDOW_MS, WORKER);
	size_t late_out = add_exc(r, 3, T0 + 501 + CORRELATE_WINDOW_MS,
				  "app-thread-a");
	size_t early_out = add_exc(r, 4, T0 - CORRELATE_WINDOW_MS - 1,
				   "app-thread-b");
	correlate_report(r);
	assert_tied(r, late_in, h);
	assert_tied(r, early_in, h);
	assert_int_equal(r->handshakes[h].n_symptoms, 2);
	assert_int_not_equal(r->symptoms[late_out].handshake, (long)h);
	assert_int_not_equal(r->symptoms[early_out].handshake, (long)h);
	/* both became failures of their own */
	assert_int_equal(r->n_handshakes, 3);
	report_free(&r);
}

static void test_outside_window_same_thread(void **state)
{
	(void)state;
	struct report *r = report_new();
	size_t h = add_failed(r, 10, T0, WORKER);
	size_t s = add_exc(r, 1, T0 + CORRELATE_WINDOW_MS + 1, WORKER);
	/* near it in the same file, an hour later: lines do not count when
	 * both sides have a time */
	size_t hour = add_sym(r, (struct sym_spec){SYM_SOCKET_CLOSED, WRAPPER,
						   20, T0 + 3600000, WORKER,
						   NULL, 0, false});
	correlate_report(r);
	assert_int_equal(r->handshakes[h].n_symptoms, 0);
	assert_int_equal(r->n_handshakes, 3);
	assert_tied(r, hour, 1);
	assert_tied(r, s, 2);
	report_free(&r);
}

static void test_stalled_handshake(void **state)
{
	(void)state;
	struct report *r = report_new();
	/* started at T0, failed 20 s later (a read timeout) */
	size_t h = add_hs(r, (struct hs_spec){WRAPPER, 10, T0, T0 + 20000,
					      WORKER, NULL, 0,
					      OUTCOME_FAILED});
	size_t during = add_exc(r, 1, T0 + 1000, WORKER);
	size_t end = add_exc(r, 2, T0 + 20100, WORKER);
	correlate_report(r);
	assert_tied(r, end, h);
	assert_int_equal(r->handshakes[h].n_symptoms, 1);
	assert_int_not_equal(r->symptoms[during].handshake, (long)h);
	report_free(&r);
}

static void test_prefers_failed_over_ok(void **state)
{
	(void)state;
	struct report *r = report_new();
	size_t failed = add_failed(r, 10, T0, WORKER);
	size_t ok = add_hs(r, (struct hs_spec){WRAPPER, 50, T0 + 2900,
					       T0 + 2950, WORKER, NULL, 0,
					       OUTCOME_OK});
	size_t s = add_exc(r, 1, T0 + 3000, WORKER);
	correlate_report(r);
	assert_tied(r, s, failed);
	assert_int_equal(r->handshakes[ok].n_symptoms, 0);
	assert_int_equal(r->handshakes[ok].outcome, OUTCOME_OK);
	report_free(&r);
}

static void test_ok_only_same_thread(void **state)
{
	(void)state;
	struct report *r = report_new();
	size_t ok = add_hs(r, (struct hs_spec){WRAPPER, 10, T0, T0 + 10,
					       WORKER, NULL, 0, OUTCOME_OK});
	size_t same = add_sym(r, (struct sym_spec){SYM_SOCKET_CLOSED,
						   LOCALHOST, 1, T0 + 100,
						   WORKER, NULL, 0, false});
	/* another thread: never an ok handshake */
	size_t other = add_sym(r, (struct sym_spec){SYM_SOCKET_CLOSED,
						    LOCALHOST, 2, T0 + 100,
						    "other", NULL, 0, false});
	/* PKIX failed: not the handshake that finished, even on its thread */
	size_t pkix = add_sym(r, (struct sym_spec){SYM_SSL_HANDSHAKE_EXCEPTION,
						   LOCALHOST, 40, T0 + 100,
						   WORKER, NULL, 0, true});
	correlate_report(r);
	assert_tied(r, same, ok);
	assert_int_equal(r->handshakes[ok].n_symptoms, 1);
	assert_int_equal(r->handshakes[ok].outcome, OUTCOME_OK);
	assert_false(r->handshakes[ok].pkix_failed);
	assert_int_not_equal(r->symptoms[other].handshake, (long)ok);
	assert_int_not_equal(r->symptoms[pkix].handshake, (long)ok);
	assert_int_equal(r->n_handshakes, 3);
	report_free(&r);
}

/* ---- rule 2: nearest failed in time -------------------------------- */

static void test_nearest_with_host_match(void **state)
{
	(void)state;
	struct report *r = report_new();
	size_t near_other = add_hs(r, (struct hs_spec){
		WRAPPER, 10, T0 + 990, T0 + 990, "pool-1", "other.example.com",
		0, OUTCOME_FAILED});
	size_t far_match = add_hs(r, (struct hs_spec){
		WRAPPER, 20, T0, T0, "pool-2", "API.example.com", 0,
		OUTCOME_FAILED});
	size_t far_none = add_hs(r, (struct hs_spec){
		WRAPPER, 30, T0 - 2000, T0 - 2000, "pool-3", NULL, 0,
		OUTCOME_FAILED});
	size_t s = add_sym(r, (struct sym_spec){SYM_SSL_HANDSHAKE_EXCEPTION,
						LOCALHOST, 5, T0 + 1000,
						WORKER, "api.example.com", 443,
						false});
	correlate_report(r);
	assert_tied(r, s, far_match);
	assert_int_equal(r->handshakes[near_other].n_symptoms, 0);
	assert_int_equal(r->handshakes[far_none].n_symptoms, 0);
	assert_int_equal(r->handshakes[far_match].peer_port, 443);
	assert_int_equal(r->n_handshakes, 3);
	report_free(&r);
}

static void test_nearest_unnamed_peer(void **state)
{
	(void)state;
	struct report *r = report_new();
	size_t named = add_hs(r, (struct hs_spec){
		WRAPPER, 10, T0 - 2000, T0 - 2000, "pool-1", "api.example.com",
		0, OUTCOME_FAILED});
	size_t unnamed = add_failed(r, 20, T0 - 500, "pool-2");
	size_t s = add_sym(r, (struct sym_spec){SYM_SSL_HANDSHAKE_EXCEPTION,
						LOCALHOST, 5, T0, WORKER,
						"api.example.com", 443,
						false});
	correlate_report(r);
	assert_tied(r, s, unnamed);
	assert_int_equal(r->handshakes[named].n_symptoms, 0);
	assert_string_equal(r->handshakes[unnamed].peer_host,
			    "api.example.com");
	report_free(&r);
}

/* A busy node: 20000 failed handshakes to another host in the second
 * before the symptom; its own handshake is 3 s back, behind them all. */
static void test_dense_other_hosts(void **state)
{
	(void)state;
	struct report *r = report_new();
	size_t mine = add_hs(r, (struct hs_spec){WRAPPER, 1, T0 - 3000,
						 T0 - 3000, "pool-0",
						 "api.example.com", 0,
						 OUTCOME_FAILED});
	for (size_t i = 0; i < 20000; i++) {
		int64_t ts = T0 - 1000 + (int64_t)(i / 20);
		add_hs(r, (struct hs_spec){WRAPPER, 2 + i, ts, ts, "pool-1",
					   "other.example.com", 443,
					   OUTCOME_FAILED});
	}
	size_t s = add_sym(r, (struct sym_spec){SYM_SSL_HANDSHAKE_EXCEPTION,
						LOCALHOST, 5, T0, WORKER,
						"API.example.com", 443,
						false});
	correlate_report(r);
	assert_tied(r, s, mine);
	assert_int_equal(r->handshakes[mine].peer_port, 443);
	report_free(&r);
}

static void test_nearest_without_host(void **state)
{
	(void)state;
	struct report *r = report_new();
	size_t far = add_failed(r, 10, T0 - 3000, "pool-1");
	size_t near = add_failed(r, 20, T0 - 1000, "pool-2");
	size_t later = add_failed(r, 30, T0 + 1500, "pool-3");
	size_t s = add_exc(r, 5, T0, WORKER);
	correlate_report(r);
	assert_tied(r, s, near);
	assert_int_equal(r->handshakes[far].n_symptoms, 0);
	assert_int_equal(r->handshakes[later].n_symptoms, 0);
	report_free(&r);
}

static void test_equidistant_prefers_earlier(void **state)
{
	(void)state;
	struct report *r = report_new();
	size_t after = add_failed(r, 10, T0 + 100, "pool-1");
	size_t before = add_failed(r, 20, T0 - 100, "pool-2");
	size_t s = add_exc(r, 5, T0, NULL);
	correlate_report(r);
	assert_tied(r, s, before);
	assert_int_equal(r->handshakes[after].n_symptoms, 0);
	report_free(&r);
}

static void test_host_mismatch_not_tied(void **state)
{
	(void)state;
	struct report *r = report_new();
	size_t h = add_hs(r, (struct hs_spec){WRAPPER, 10, T0, T0, WORKER,
					      "other.example.com", 443,
					      OUTCOME_FAILED});
	size_t s = add_sym(r, (struct sym_spec){SYM_SSL_HANDSHAKE_EXCEPTION,
						LOCALHOST, 5, T0 + 100, WORKER,
						"api.example.com", 443,
						false});
	correlate_report(r);
	assert_int_equal(r->handshakes[h].n_symptoms, 0);
	assert_string_equal(r->handshakes[h].peer_host, "other.example.com");
	assert_int_equal(r->n_handshakes, 2);
	assert_tied(r, s, 1);
	assert_string_equal(r->handshakes[1].peer_host, "api.example.com");
	assert_int_equal(r->handshakes[1].peer_port, 443);
	report_free(&r);
}

static void test_port_mismatch_not_tied(void **state)
{
	(void)state;
	struct report *r = report_new();
	size_t h = add_hs(r, (struct hs_spec){WRAPPER, 10, T0, T0, WORKER,
					      "api.example.com", 443,
					      OUTCOME_FAILED});
	size_t s = add_sym(r, (struct sym_spec){SYM_SSL_HANDSHAKE_EXCEPTION,
						LOCALHOST, 5, T0 + 100, WORKER,
						"api.example.com", 8443,
						false});
	correlate_report(r);
	assert_int_equal(r->handshakes[h].n_symptoms, 0);
	assert_int_not_equal(r->symptoms[s].handshake, (long)h);
	report_free(&r);
}

static void test_first_host_claims_handshake(void **state)
{
	(void)state;
	struct report *r = report_new();
	size_t h = add_failed(r, 10, T0, "pool-1");
	/* b is nearer in time and first in the array, but a comes first in
	 * the log: a claims the handshake for its host */
	size_t b = add_sym(r, (struct sym_spec){SYM_SSL_HANDSHAKE_EXCEPTION,
						LOCALHOST, 6, T0 + 50, "w-2",
						"b.example.com", 443, false});
	size_t a = add_sym(r, (struct sym_spec){SYM_SSL_HANDSHAKE_EXCEPTION,
						LOCALHOST, 5, T0 + 100, "w-1",
						"a.example.com", 443, false});
	correlate_report(r);
	assert_tied(r, a, h);
	assert_string_equal(r->handshakes[h].peer_host, "a.example.com");
	assert_int_not_equal(r->symptoms[b].handshake, (long)h);
	assert_int_equal(r->n_handshakes, 2);
	report_free(&r);
}

static void test_ok_never_nearest(void **state)
{
	(void)state;
	struct report *r = report_new();
	size_t ok = add_hs(r, (struct hs_spec){WRAPPER, 10, T0, T0, "pool-1",
					       NULL, 0, OUTCOME_OK});
	size_t unknown = add_hs(r, (struct hs_spec){WRAPPER, 20, T0 - 4000,
						    T0 - 4000, "pool-2", NULL,
						    0, OUTCOME_UNKNOWN});
	size_t s = add_exc(r, 5, T0 + 10, WORKER);
	correlate_report(r);
	assert_tied(r, s, unknown);
	assert_int_equal(r->handshakes[ok].n_symptoms, 0);
	report_free(&r);
}

/* ---- rule 3: no timestamps ------------------------------------------ */

static void test_untimed_same_file(void **state)
{
	(void)state;
	struct report *r = report_new();
	size_t main10 = add_failed(r, 10, TS_NONE, "main");
	size_t ok50 = add_hs(r, (struct hs_spec){WRAPPER, 50, TS_NONE, TS_NONE,
						 "main", NULL, 0, OUTCOME_OK});
	size_t other60 = add_failed(r, 60, TS_NONE, "other");
	size_t far = add_failed(r, 1000, TS_NONE, "main");
	size_t s80 = add_sym(r, (struct sym_spec){SYM_SOCKET_CLOSED, WRAPPER,
						  80, TS_NONE, "main", NULL, 0,
						  false});
	size_t anon = add_sym(r, (struct sym_spec){SYM_SOCKET_CLOSED, WRAPPER,
						   90, TS_NONE, NULL, NULL, 0,
						   false});
	/* another file: no line order to go by */
	size_t elsewhere = add_sym(r, (struct sym_spec){SYM_SOCKET_CLOSED,
							LOCALHOST, 95, TS_NONE,
							"main", NULL, 0,
							false});
	/* 501 lines after the last failed handshake of main */
	size_t too_far = add_sym(r, (struct sym_spec){SYM_SOCKET_CLOSED,
						      WRAPPER, 1501, TS_NONE,
						      "main", NULL, 0, false});
	size_t near_far = add_sym(r, (struct sym_spec){SYM_SOCKET_CLOSED,
						       WRAPPER, 1500, TS_NONE,
						       "main", NULL, 0,
						       false});
	correlate_report(r);
	assert_tied(r, s80, main10);
	assert_tied(r, anon, other60);
	assert_tied(r, near_far, far);
	assert_int_equal(r->handshakes[ok50].n_symptoms, 0);
	/* failures of their own, in report order: wrapper.log first */
	assert_tied(r, too_far, 4);
	assert_tied(r, elsewhere, 5);
	assert_int_equal(r->n_handshakes, 6);
	report_free(&r);
}

/* A symptom inside a long handshake (a two-line envelope doubles every
 * distance) is near it, however far from its first record; the window
 * counts from its last line. */
static void test_untimed_inside_long_handshake(void **state)
{
	(void)state;
	struct report *r = report_new();
	size_t hs = add_failed(r, 60, TS_NONE, "main");
	r->handshakes[hs].last_line = 1400;
	size_t inside = add_sym(r, (struct sym_spec){SYM_SOCKET_CLOSED, WRAPPER,
						     594, TS_NONE, "main", NULL,
						     0, false});
	size_t after = add_sym(r, (struct sym_spec){SYM_SOCKET_CLOSED, WRAPPER,
						    1900, TS_NONE, "main", NULL,
						    0, false});
	size_t too_far = add_sym(r, (struct sym_spec){SYM_SOCKET_CLOSED,
						      WRAPPER, 1901, TS_NONE,
						      "main", NULL, 0, false});
	correlate_report(r);
	assert_tied(r, inside, hs);
	assert_tied(r, after, hs);
	assert_int_not_equal(r->symptoms[too_far].handshake, (long)hs);
	report_free(&r);
}

static void test_timed_symptom_untimed_handshake(void **state)
{
	(void)state;
	struct report *r = report_new();
	size_t h = add_failed(r, 10, TS_NONE, "main");
	size_t s = add_sym(r, (struct sym_spec){SYM_SSL_HANDSHAKE_EXCEPTION,
						WRAPPER, 40, T0, "main", NULL,
						0, false});
	correlate_report(r);
	assert_tied(r, s, h);
	report_free(&r);
}

/* ---- unexplained symptoms ------------------------------------------- */

static void test_one_failure_three_lines(void **state)
{
	(void)state;
	struct report *r = report_new();
	size_t a = add_exc(r, 100, T0, WORKER);
	size_t b = add_sym(r, (struct sym_spec){SYM_OTHER, LOCALHOST, 101,
						T0 + 5, WORKER, NULL, 0,
						true});
	size_t c = add_sym(r, (struct sym_spec){SYM_OTHER, LOCALHOST, 140,
						T0 + 1500, WORKER,
						"api.example.com", 8443,
						false});
	correlate_report(r);
	assert_int_equal(r->n_handshakes, 1);
	const struct handshake *h = &r->handshakes[0];
	assert_int_equal(h->n_symptoms, 3);
	assert_tied(r, a, 0);
	assert_tied(r, b, 0);
	assert_tied(r, c, 0);
	assert_int_equal(h->file, LOCALHOST);
	assert_int_equal(h->line, 100);
	assert_int_equal(h->ts_start, T0);
	assert_string_equal(h->thread, WORKER);
	assert_string_equal(h->peer_host, "api.example.com");
	assert_int_equal(h->peer_port, 8443);
	assert_int_equal(h->outcome, OUTCOME_FAILED);
	assert_true(h->pkix_failed);
	assert_int_equal(h->peer_certs_state, CERTS_NOT_CAPTURED);
	assert_int_equal(h->chain, CHAIN_NOT_CAPTURED);
	assert_int_equal(h->n_evidence, 1);
	assert_int_equal(h->evidence[0].line, 100);
	assert_string_equal(h->evidence[0].text, "symptom at line 100");
	report_free(&r);
}

static void test_two_failures_ten_seconds_apart(void **state)
{
	(void)state;
	struct report *r = report_new();
	size_t a1 = add_exc(r, 100, T0, WORKER);
	size_t a2 = add_exc(r, 101, T0 + 10, WORKER);
	size_t b1 = add_exc(r, 200, T0 + 10000, WORKER);
	size_t b2 = add_sym(r, (struct sym_spec){SYM_OTHER, LOCALHOST, 201,
						 T0 + 10010, WORKER, NULL, 0,
						 true});
	correlate_report(r);
	assert_int_equal(r->n_handshakes, 2);
	assert_tied(r, a1, 0);
	assert_tied(r, a2, 0);
	assert_tied(r, b1, 1);
	assert_tied(r, b2, 1);
	assert_false(r->handshakes[0].pkix_failed);
	assert_true(r->handshakes[1].pkix_failed);
	assert_int_equal(r->handshakes[1].line, 200);
	report_free(&r);
}

static void test_groups_split_by_thread_and_host(void **state)
{
	(void)state;
	struct report *r = report_new();
	/* two threads failing at the same moment */
	size_t a = add_exc(r, 1, T0, "w-1");
	size_t b = add_exc(r, 2, T0, "w-2");
	/* no thread: grouped by host */
	size_t c = add_sym(r, (struct sym_spec){SYM_OTHER, LOCALHOST, 3, T0,
						NULL, "x.example.com", 0,
						false});
	size_t d = add_sym(r, (struct sym_spec){SYM_OTHER, LOCALHOST, 4,
						T0 + 10, NULL, "X.example.com",
						443, false});
	size_t e = add_sym(r, (struct sym_spec){SYM_OTHER, LOCALHOST, 5,
						T0 + 20, NULL, "y.example.com",
						0, false});
	/* one thread, two hosts at once: two connections */
	size_t f = add_sym(r, (struct sym_spec){SYM_OTHER, LOCALHOST, 6, T0,
						"w-3", "x.example.com", 0,
						false});
	size_t g = add_sym(r, (struct sym_spec){SYM_OTHER, LOCALHOST, 7, T0,
						"w-3", "y.example.com", 0,
						false});
	correlate_report(r);
	assert_int_equal(r->n_handshakes, 6);
	assert_int_not_equal(r->symptoms[a].handshake,
			     r->symptoms[b].handshake);
	assert_int_equal(r->symptoms[c].handshake, r->symptoms[d].handshake);
	assert_int_not_equal(r->symptoms[c].handshake,
			     r->symptoms[e].handshake);
	assert_int_not_equal(r->symptoms[f].handshake,
			     r->symptoms[g].handshake);
	const struct handshake *cd = &r->handshakes[r->symptoms[c].handshake];
	assert_int_equal(cd->peer_port, 443);
	assert_null(cd->thread);
	/* synthetic handshakes come in report order of their first lines */
	for (size_t i = 0; i + 1 < r->n_handshakes; i++)
		assert_true(r->handshakes[i].line < r->handshakes[i + 1].line);
	report_free(&r);
}

static void test_untimed_grouping(void **state)
{
	(void)state;
	struct report *r = report_new();
	size_t a = add_sym(r, (struct sym_spec){SYM_SSL_HANDSHAKE_EXCEPTION,
						WRAPPER, 5, TS_NONE, NULL,
						NULL, 0, true});
	size_t b = add_sym(r, (struct sym_spec){SYM_OTHER, WRAPPER, 25,
						TS_NONE, NULL, NULL, 0,
						false});
	size_t c = add_sym(r, (struct sym_spec){SYM_OTHER, WRAPPER, 46,
						TS_NONE, NULL, NULL, 0,
						false});
	size_t d = add_sym(r, (struct sym_spec){SYM_OTHER, LOCALHOST, 26,
						TS_NONE, NULL, NULL, 0,
						false});
	correlate_report(r);
	assert_int_equal(r->n_handshakes, 3);
	assert_int_equal(r->symptoms[a].handshake, r->symptoms[b].handshake);
	assert_int_not_equal(r->symptoms[b].handshake,
			     r->symptoms[c].handshake);
	assert_int_not_equal(r->symptoms[b].handshake,
			     r->symptoms[d].handshake);
	const struct handshake *ab = &r->handshakes[r->symptoms[a].handshake];
	assert_int_equal(ab->n_symptoms, 2);
	assert_true(ab->pkix_failed);
	assert_int_equal(ab->ts_start, TS_NONE);
	report_free(&r);
}

/* ---- what a tie changes -------------------------------------------- */

static void test_port_filled_from_symptom(void **state)
{
	(void)state;
	struct report *r = report_new();
	/* JDK 11+: the SNI is logged, the port is not */
	size_t sni = add_hs(r, (struct hs_spec){WRAPPER, 10, T0, T0, WORKER,
						"api.example.com", 0,
						OUTCOME_FAILED});
	size_t bare = add_failed(r, 20, T0 + 60000, "pool-9");
	size_t s1 = add_sym(r, (struct sym_spec){SYM_OTHER, LOCALHOST, 5,
						 T0 + 50, WORKER,
						 "API.example.com", 8443,
						 false});
	size_t s2 = add_sym(r, (struct sym_spec){SYM_OTHER, LOCALHOST, 6,
						 T0 + 60050, "w-1",
						 "db.example.com", 636, false});
	correlate_report(r);
	assert_tied(r, s1, sni);
	assert_string_equal(r->handshakes[sni].peer_host, "api.example.com");
	assert_int_equal(r->handshakes[sni].peer_port, 8443);
	assert_tied(r, s2, bare);
	assert_string_equal(r->handshakes[bare].peer_host, "db.example.com");
	assert_int_equal(r->handshakes[bare].peer_port, 636);
	report_free(&r);
}

static void test_unknown_becomes_failed(void **state)
{
	(void)state;
	struct report *r = report_new();
	struct hs_spec u = {WRAPPER, 10, T0, T0, "t-1", NULL, 0,
			    OUTCOME_UNKNOWN};
	size_t closed = add_hs(r, u);
	u.line = 20, u.thread = "t-2";
	size_t other = add_hs(r, u);
	u.line = 30, u.thread = "t-3";
	size_t pkix = add_hs(r, u);
	add_sym(r, (struct sym_spec){SYM_SOCKET_CLOSED, LOCALHOST, 1, T0 + 10,
				     "t-1", NULL, 0, false});
	add_sym(r, (struct sym_spec){SYM_OTHER, LOCALHOST, 2, T0 + 10, "t-2",
				     NULL, 0, false});
	add_sym(r, (struct sym_spec){SYM_OTHER, LOCALHOST, 3, T0 + 10, "t-3",
				     NULL, 0, true});
	correlate_report(r);
	assert_int_equal(r->n_handshakes, 3);
	assert_int_equal(r->handshakes[closed].outcome, OUTCOME_FAILED);
	assert_false(r->handshakes[closed].pkix_failed);
	assert_int_equal(r->handshakes[other].outcome, OUTCOME_UNKNOWN);
	assert_int_equal(r->handshakes[other].n_symptoms, 1);
	assert_int_equal(r->handshakes[pkix].outcome, OUTCOME_FAILED);
	assert_true(r->handshakes[pkix].pkix_failed);
	report_free(&r);
}

static void test_run_twice_changes_nothing(void **state)
{
	(void)state;
	struct report *r = report_new();
	add_failed(r, 10, T0, WORKER);
	add_exc(r, 1, T0 + 10, WORKER);
	add_exc(r, 2, T0 + 60000, WORKER);
	correlate_report(r);
	assert_int_equal(r->n_handshakes, 2);
	correlate_report(r);
	assert_int_equal(r->n_handshakes, 2);
	assert_int_equal(r->handshakes[0].n_symptoms, 1);
	assert_int_equal(r->handshakes[1].n_symptoms, 1);
	report_free(&r);
}

/* ---- determinism and scale ------------------------------------------ */

#define DET_THREADS 40
#define DET_ROUNDS 25

static uint64_t lcg(uint64_t *x)
{
	*x = *x * 6364136223846793005ULL + 1442695040888963407ULL;
	return *x >> 33;
}

static void shuffle(size_t *v, size_t n, uint64_t seed)
{
	for (size_t i = n; i > 1; i--) {
		size_t j = (size_t)(lcg(&seed) % i);
		size_t t = v[i - 1];
		v[i - 1] = v[j];
		v[j] = t;
	}
}

/* Round k of thread t: a failed handshake at wrapper line 1 + 10 * n,
 * and, 40 ms later, its exception at localhost line 1 + 10 * n, where n
 * counts the pairs in time order; the same instants, interleaved, on all
 * threads. */
static void det_pair(struct report *r, size_t n, bool symptom)
{
	size_t t = n % DET_THREADS, k = n / DET_THREADS;
	char thread[32];
	snprintf(thread, sizeof thread, "glide.scheduler.worker.%zu", t);
	int64_t ts = T0 + (int64_t)k * 7000 + (int64_t)(t % 5);
	if (symptom)
		add_exc(r, 1 + 10 * n, ts + 40, thread);
	else
		add_failed(r, 1 + 10 * n, ts, thread);
}

static struct report *det_report(const size_t *order, size_t n)
{
	struct report *r = report_new();
	for (size_t i = 0; i < n; i++)
		det_pair(r, order[i] / 2, order[i] % 2);
	return r;
}

/* The wrapper line of the handshake symptom at localhost line `line`
 * went to, or 0. */
static uint64_t tied_line(const struct report *r, uint64_t line)
{
	for (size_t i = 0; i < r->n_symptoms; i++) {
		const struct symptom *s = &r->symptoms[i];
		if (s->line == line && s->handshake >= 0)
			return r->handshakes[s->handshake].line;
	}
	return 0;
}

static void test_determinism_interleaved(void **state)
{
	(void)state;
	size_t n = 2 * DET_THREADS * DET_ROUNDS;
	size_t *order = xcalloc(n, sizeof *order);
	for (size_t i = 0; i < n; i++)
		order[i] = i;
	struct report *base = det_report(order, n);
	correlate_report(base);
	assert_int_equal(base->n_handshakes, DET_THREADS * DET_ROUNDS);
	for (size_t p = 0; p < n / 2; p++)
		assert_int_equal(tied_line(base, 1 + 10 * p), 1 + 10 * p);
	for (uint64_t seed = 1; seed <= 5; seed++) {
		shuffle(order, n, seed);
		struct report *r = det_report(order, n);
		correlate_report(r);
		assert_int_equal(r->n_handshakes, base->n_handshakes);
		for (size_t p = 0; p < n / 2; p++)
			assert_int_equal(tied_line(r, 1 + 10 * p),
					 1 + 10 * p);
		report_free(&r);
	}
	report_free(&base);
	free(order);
}

/* Handshake k of the ambiguity test: lines 10..13; 11 and 13 at the same
 * instant. */
static void amb_handshake(struct report *r, size_t k)
{
	static const int64_t at[] = {0, 1000, 2000, 1000};
	add_failed(r, 10 + k, T0 + at[k], NULL);
}

static void test_determinism_ambiguous(void **state)
{
	(void)state;
	/* Thread-less symptoms at 500, 1000 and 1500 ms, each equally near
	 * two or three handshakes: whatever order the report holds them in,
	 * the same ones are chosen. */
	size_t order[7] = {0, 1, 2, 3, 4, 5, 6};
	for (uint64_t seed = 0; seed <= 8; seed++) {
		if (seed)
			shuffle(order, 7, seed);
		struct report *r = report_new();
		for (size_t i = 0; i < 7; i++) {
			size_t k = order[i];
			if (k < 4)
				amb_handshake(r, k);
			else
				add_exc(r, k, T0 + 500 * (int64_t)(k - 3),
					NULL);
		}
		correlate_report(r);
		assert_int_equal(r->n_handshakes, 4);
		/* 500: 0 and 1000 are as near; the earlier one */
		assert_int_equal(tied_line(r, 4), 10);
		/* 1000: two handshakes at that instant; the first line */
		assert_int_equal(tied_line(r, 5), 11);
		/* 1500: 1000 (twice) and 2000 are as near */
		assert_int_equal(tied_line(r, 6), 11);
		report_free(&r);
	}
}

/* 100,000 handshakes and symptoms; fewer under valgrind (testutil.h). */
#define SCALE_FULL 100000
#define SCALE_THREADS 997

static void test_scale(void **state)
{
	(void)state;
	const size_t n_scale = test_scaled(SCALE_FULL, 1000);
	const size_t mid = n_scale / 80 * 10 + 3; /* not a multiple of 10 */
	struct report *r = report_new();
	char thread[48];
	/* 100 handshakes a second over ~1000 threads, each followed 30 ms
	 * later by its symptom; every 10th handshake ok, its symptom on
	 * another thread (so the nearest failed one takes it). */
	for (size_t i = 0; i < n_scale; i++) {
		snprintf(thread, sizeof thread, "worker-%zu",
			 i % SCALE_THREADS);
		int64_t ts = T0 + (int64_t)i * 10;
		add_hs(r, (struct hs_spec){WRAPPER, 1 + 3 * (uint64_t)i, ts,
					   ts + 5, thread, NULL, 0,
					   i % 10 ? OUTCOME_FAILED
						  : OUTCOME_OK});
	}
	for (size_t i = 0; i < n_scale; i++) {
		snprintf(thread, sizeof thread, "worker-%zu",
			 i % SCALE_THREADS);
		int64_t ts = T0 + (int64_t)i * 10 + 30;
		add_exc(r, 1 + (uint64_t)i, ts, i % 10 ? thread : "x");
	}
	correlate_report(r);
	assert_int_equal(r->n_handshakes, n_scale);
	assert_tied(r, 1, 1);
	assert_tied(r, mid, mid);
	assert_tied(r, n_scale - 1, n_scale - 1);
	/* symptom 10, at 130 ms, is on thread "x": handshakes 12 (ends at
	 * 125 ms) and 13 (135 ms) are as near; the one before it wins */
	assert_tied(r, 10, 12);
	assert_int_equal(r->handshakes[10].n_symptoms, 0);
	size_t tied = 0;
	for (size_t i = 0; i < n_scale; i++)
		tied += r->symptoms[i].handshake >= 0;
	assert_int_equal(tied, n_scale);
	report_free(&r);
}

/* ---- nodes: a batch of several nodes' logs ------------------------- */

/* Inputs 0..3: node1's wrapper.log and localhost log, node2's. */
#define N1_WRAPPER 0
#define N1_LOCAL 1
#define N2_WRAPPER 2
#define N2_LOCAL 3

static void add_two_nodes(struct report *r)
{
	report_add_input(r, "logs/node1/wrapper.log");
	report_add_input(r, "logs/node1/localhost_log.2026-11-21.txt");
	report_add_input(r, "logs/node2/wrapper.log");
	report_add_input(r, "logs/node2/localhost_log.2026-11-21.txt");
}

static size_t add_node_exc(struct report *r, uint32_t file, uint64_t line,
			   int64_t ts)
{
	return add_sym(r, (struct sym_spec){SYM_SSL_HANDSHAKE_EXCEPTION, file,
					    line, ts, WORKER, NULL, 0, true});
}

/* Every node has a glide.scheduler.worker.3: a line of node2's log is
 * not about node1's handshake, however near in time. */
static void test_other_node_same_thread(void **state)
{
	(void)state;
	struct report *r = report_new();
	add_two_nodes(r);
	size_t n1 = add_hs(r, (struct hs_spec){N1_WRAPPER, 48, T0, T0 + 500,
					       WORKER, NULL, 0,
					       OUTCOME_FAILED});
	size_t s1 = add_node_exc(r, N1_LOCAL, 1, T0 + 800);
	/* node2 logged no debug output: its failure is its own */
	size_t s2 = add_node_exc(r, N2_LOCAL, 1, T0 + 900);
	correlate_report(r);
	assert_tied(r, s1, n1);
	assert_int_equal(r->handshakes[n1].n_symptoms, 1);
	assert_int_equal(r->n_handshakes, 2);
	assert_tied(r, s2, 1);
	assert_int_equal(r->handshakes[1].file, N2_LOCAL);
	report_free(&r);
}

/* Both nodes failed on their worker.3; node1's line came late, nearer
 * node2's handshake: still node1's. */
static void test_own_node_before_nearer(void **state)
{
	(void)state;
	struct report *r = report_new();
	add_two_nodes(r);
	size_t n1 = add_hs(r, (struct hs_spec){N1_WRAPPER, 48, T0, T0 + 500,
					       WORKER, NULL, 0,
					       OUTCOME_FAILED});
	size_t n2 = add_hs(r, (struct hs_spec){N2_WRAPPER, 14, T0 + 1000,
					       T0 + 1500, WORKER, NULL, 0,
					       OUTCOME_FAILED});
	size_t s1 = add_node_exc(r, N1_LOCAL, 1, T0 + 3000);
	size_t s2 = add_node_exc(r, N2_LOCAL, 1, T0 + 1600);
	correlate_report(r);
	assert_tied(r, s1, n1);
	assert_tied(r, s2, n2);
	assert_int_equal(r->n_handshakes, 2);
	report_free(&r);
}

/* Two nodes without debug output fail on their worker.3 at once: two
 * failures, not one. */
static void test_unexplained_per_node(void **state)
{
	(void)state;
	struct report *r = report_new();
	add_two_nodes(r);
	size_t a = add_node_exc(r, N1_LOCAL, 1, T0);
	size_t b = add_node_exc(r, N2_LOCAL, 1, T0 + 5);
	correlate_report(r);
	assert_int_equal(r->n_handshakes, 2);
	assert_int_not_equal(r->symptoms[a].handshake,
			     r->symptoms[b].handshake);
	report_free(&r);
}

/* One node's two halves given from two places (the wrapper log in one
 * folder, the localhost log in another), or the application log piped
 * in: still tied. */
static void test_halves_from_two_places(void **state)
{
	(void)state;
	struct report *r = report_new();
	report_add_input(r, "/home/me/Downloads/wrapper.log");
	report_add_input(r, "/tmp/localhost_log.2026-11-21.txt");
	report_add_input(r, "-");
	size_t h = add_hs(r, (struct hs_spec){0, 48, T0, T0 + 500, WORKER,
					      NULL, 0, OUTCOME_FAILED});
	size_t s = add_node_exc(r, 1, 1, T0 + 800);
	size_t piped = add_node_exc(r, 2, 1, T0 + 900);
	correlate_report(r);
	assert_tied(r, s, h);
	assert_tied(r, piped, h);
	assert_int_equal(r->n_handshakes, 1);
	report_free(&r);
}

/* node1 logs debug output and application lines into one file
 * (catalina.out); node2, without debug output, only its application log.
 * node2's failure is its own, not node1's whose worker has the name. */
static void test_other_node_combined_log(void **state)
{
	(void)state;
	struct report *r = report_new();
	report_add_input(r, "logs/node1/catalina.out");
	report_add_input(r, "logs/node2/localhost_log.2026-11-22.txt");
	size_t h = add_hs(r, (struct hs_spec){0, 48, T0, T0 + 500, WORKER,
					      NULL, 0, OUTCOME_FAILED});
	size_t own = add_node_exc(r, 0, 300, T0 + 600);
	size_t s2 = add_node_exc(r, 1, 1, T0 + 700);
	correlate_report(r);
	assert_tied(r, own, h);
	assert_int_equal(r->handshakes[h].n_symptoms, 1);
	assert_int_equal(r->n_handshakes, 2);
	assert_int_not_equal(r->symptoms[s2].handshake, (long)h);
	report_free(&r);
}

/* Rotations kept in a folder below the node's logs are the node's. */
static void test_archive_folder_same_node(void **state)
{
	(void)state;
	struct report *r = report_new();
	report_add_input(r, "node1/logs/localhost_log.2026-11-21.txt");
	report_add_input(r, "node1/logs/wrapper.log");
	report_add_input(r, "node1/logs/archive/wrapper.log.3.gz");
	size_t now = add_hs(r, (struct hs_spec){1, 48, T0 + 60000,
						T0 + 60500, WORKER, NULL, 0,
						OUTCOME_FAILED});
	size_t old = add_hs(r, (struct hs_spec){2, 48, T0, T0 + 500, WORKER,
						NULL, 0, OUTCOME_FAILED});
	size_t s_old = add_node_exc(r, 0, 1, T0 + 800);
	size_t s_now = add_node_exc(r, 0, 2, T0 + 60800);
	correlate_report(r);
	assert_tied(r, s_old, old);
	assert_tied(r, s_now, now);
	report_free(&r);
}

/* One directory spelt two ways is one node. */
static void test_node_spelt_two_ways(void **state)
{
	(void)state;
	struct report *r = report_new();
	report_add_input(r, "no-such-dir/logs//node1/wrapper.log");
	report_add_input(r, "./no-such-dir/logs/node1/./localhost_log.txt");
	size_t h = add_hs(r, (struct hs_spec){0, 48, T0, T0 + 500, WORKER,
					      NULL, 0, OUTCOME_FAILED});
	/* the wrapper log holds a symptom line of its own too */
	size_t own = add_sym(r, (struct sym_spec){SYM_SOCKET_CLOSED, 0, 300,
						  T0 + 600, WORKER, NULL, 0,
						  false});
	size_t s = add_node_exc(r, 1, 1, T0 + 800);
	correlate_report(r);
	assert_tied(r, own, h);
	assert_tied(r, s, h);
	assert_int_equal(r->n_handshakes, 1);
	report_free(&r);
}

/* ---- rule 2: the thread as the application log wrote it ------------ */

/* A MID server's agent log appends the probe to the worker's name; the
 * debug output names the pool thread.  Two probes fail at once: each
 * line goes to its own worker's handshake, not to the nearest. */
static void test_related_thread_decorated(void **state)
{
	(void)state;
	struct report *r = report_new();
	size_t exp = add_failed(r, 10, T0, "Worker-Expedited");
	size_t std = add_failed(r, 300, T0 + 400, "Worker-Standard");
	size_t s_exp = add_exc(r, 1, T0 + 405,
			       "Worker-Expedited:RESTProbe-5f0c2e9ad1b04e6f");
	size_t s_std = add_exc(r, 2, T0 + 407,
			       "Worker-Standard:RESTProbe-0aa1bb2cc3dd4ee5");
	correlate_report(r);
	assert_tied(r, s_exp, exp);
	assert_tied(r, s_std, std);
	assert_int_equal(r->n_handshakes, 2);
	report_free(&r);
}

/* Spring Boot's layout keeps the last 15 characters of a thread name. */
static void test_related_thread_truncated(void **state)
{
	(void)state;
	struct report *r = report_new();
	size_t ten = add_failed(r, 10, T0, "http-nio-8080-exec-10");
	size_t one = add_failed(r, 300, T0 + 300, "http-nio-8080-exec-1");
	size_t s = add_exc(r, 1, T0 + 310, "nio-8080-exec-10");
	correlate_report(r);
	assert_tied(r, s, ten);
	assert_int_equal(r->handshakes[one].n_symptoms, 0);
	report_free(&r);
}

/* A name that only begins like another is another thread: worker.1 is
 * not worker.10 ("." is no separator after a digit-ending prefix). */
static void test_unrelated_thread_prefix(void **state)
{
	(void)state;
	struct report *r = report_new();
	size_t w10 = add_failed(r, 10, T0, "glide.scheduler.worker.10");
	size_t w1 = add_failed(r, 300, T0 + 300, "glide.scheduler.worker.7");
	size_t s = add_exc(r, 1, T0 + 310, "glide.scheduler.worker.1");
	correlate_report(r);
	/* neither is its thread: the nearest, as before */
	assert_tied(r, s, w1);
	assert_int_equal(r->handshakes[w10].n_symptoms, 0);
	report_free(&r);
}

/* No debug output anywhere: the JVM printed the exception to wrapper.log
 * (no thread) as the application logged it with its thread in its own
 * log: one failure.  Another host, or a minute later: another. */
static void test_no_debug_logged_twice(void **state)
{
	(void)state;
	struct report *r = report_new();
	report_add_input(r, "node1/wrapper.log");
	report_add_input(r, "node1/localhost_log.2026-11-21.txt");
	size_t app = add_sym(r, (struct sym_spec){SYM_SSL_HANDSHAKE_EXCEPTION,
						  1, 1, T0, WORKER,
						  "crm.example", 443, true});
	size_t out = add_sym(r, (struct sym_spec){SYM_SSL_HANDSHAKE_EXCEPTION,
						  0, 40, T0 + 4, NULL, NULL, 0,
						  true});
	size_t other = add_sym(r, (struct sym_spec){SYM_SOCKET_CLOSED, 0, 50,
						    T0 + 10, NULL,
						    "erp.example", 0, false});
	size_t later = add_sym(r, (struct sym_spec){SYM_SSL_HANDSHAKE_EXCEPTION,
						    0, 90, T0 + 60000, NULL,
						    NULL, 0, true});
	correlate_report(r);
	assert_int_equal(r->n_handshakes, 3);
	assert_int_equal(r->symptoms[app].handshake,
			 r->symptoms[out].handshake);
	assert_int_not_equal(r->symptoms[other].handshake,
			     r->symptoms[app].handshake);
	assert_int_not_equal(r->symptoms[later].handshake,
			     r->symptoms[app].handshake);
	const struct handshake *h = &r->handshakes[r->symptoms[app].handshake];
	assert_int_equal(h->n_symptoms, 2);
	assert_string_equal(h->thread, WORKER);
	report_free(&r);
}

/* ---- two clocks ----------------------------------------------------- */

#define HOURS(n) ((int64_t)(n) * 3600000)

/* The Tanuki wrapper writes the host's local time; the JVM runs in UTC
 * (its debug records' headers, and its localhost log, 5 h ahead). */
static void test_jvm_clock_other_zone(void **state)
{
	(void)state;
	struct report *r = report_new();
	size_t h = add_hs(r, (struct hs_spec){WRAPPER, 48, T0, T0 + 500,
					      WORKER, NULL, 0,
					      OUTCOME_FAILED});
	r->handshakes[h].jvm_start = T0 + HOURS(5) - 40;
	r->handshakes[h].jvm_end = T0 + HOURS(5) + 460;
	size_t s = add_exc(r, 1, T0 + HOURS(5) + 800, WORKER);
	/* the wrapper's own lines keep the wrapper's clock */
	size_t w = add_sym(r, (struct sym_spec){SYM_SOCKET_CLOSED, WRAPPER,
						300, T0 + 700, WORKER, NULL,
						0, false});
	/* an hour off either clock: another failure */
	size_t far = add_exc(r, 2, T0 + HOURS(6), WORKER);
	correlate_report(r);
	assert_tied(r, s, h);
	assert_tied(r, w, h);
	assert_int_equal(r->handshakes[h].n_symptoms, 2);
	assert_int_not_equal(r->symptoms[far].handshake, (long)h);
	assert_int_equal(r->n_handshakes, 2);
	report_free(&r);
}

/* Failures every hour on a wrapper 5 h behind the JVM: a localhost line
 * (JVM clock) is about the handshake whose JVM time it shares, not about
 * the one five failures later whose wrapper time is the same. */
static void test_jvm_clock_not_envelope_clock(void **state)
{
	(void)state;
	struct report *r = report_new();
	size_t early = add_hs(r, (struct hs_spec){WRAPPER, 48, T0, T0 + 500,
						  WORKER, NULL, 0,
						  OUTCOME_FAILED});
	r->handshakes[early].jvm_start = T0 + HOURS(5);
	r->handshakes[early].jvm_end = T0 + HOURS(5) + 500;
	size_t late = add_hs(r, (struct hs_spec){WRAPPER, 900, T0 + HOURS(5) + 200,
						 T0 + HOURS(5) + 700, WORKER,
						 NULL, 0, OUTCOME_FAILED});
	r->handshakes[late].jvm_start = T0 + HOURS(10) + 200;
	r->handshakes[late].jvm_end = T0 + HOURS(10) + 700;
	size_t s = add_exc(r, 1, T0 + HOURS(5) + 800, WORKER);
	size_t s2 = add_exc(r, 2, T0 + HOURS(10) + 900, WORKER);
	correlate_report(r);
	assert_tied(r, s, early);
	assert_tied(r, s2, late);
	report_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_thread_across_files),
		cmocka_unit_test(test_window_edges),
		cmocka_unit_test(test_outside_window_same_thread),
		cmocka_unit_test(test_stalled_handshake),
		cmocka_unit_test(test_prefers_failed_over_ok),
		cmocka_unit_test(test_ok_only_same_thread),
		cmocka_unit_test(test_nearest_with_host_match),
		cmocka_unit_test(test_nearest_unnamed_peer),
		cmocka_unit_test(test_dense_other_hosts),
		cmocka_unit_test(test_nearest_without_host),
		cmocka_unit_test(test_equidistant_prefers_earlier),
		cmocka_unit_test(test_host_mismatch_not_tied),
		cmocka_unit_test(test_port_mismatch_not_tied),
		cmocka_unit_test(test_first_host_claims_handshake),
		cmocka_unit_test(test_ok_never_nearest),
		cmocka_unit_test(test_untimed_same_file),
		cmocka_unit_test(test_untimed_inside_long_handshake),
		cmocka_unit_test(test_timed_symptom_untimed_handshake),
		cmocka_unit_test(test_one_failure_three_lines),
		cmocka_unit_test(test_two_failures_ten_seconds_apart),
		cmocka_unit_test(test_groups_split_by_thread_and_host),
		cmocka_unit_test(test_untimed_grouping),
		cmocka_unit_test(test_port_filled_from_symptom),
		cmocka_unit_test(test_unknown_becomes_failed),
		cmocka_unit_test(test_run_twice_changes_nothing),
		cmocka_unit_test(test_determinism_interleaved),
		cmocka_unit_test(test_determinism_ambiguous),
		cmocka_unit_test(test_scale),
		cmocka_unit_test(test_other_node_same_thread),
		cmocka_unit_test(test_own_node_before_nearer),
		cmocka_unit_test(test_unexplained_per_node),
		cmocka_unit_test(test_halves_from_two_places),
		cmocka_unit_test(test_archive_folder_same_node),
		cmocka_unit_test(test_other_node_combined_log),
		cmocka_unit_test(test_node_spelt_two_ways),
		cmocka_unit_test(test_related_thread_decorated),
		cmocka_unit_test(test_related_thread_truncated),
		cmocka_unit_test(test_unrelated_thread_prefix),
		cmocka_unit_test(test_no_debug_logged_twice),
		cmocka_unit_test(test_jvm_clock_other_zone),
		cmocka_unit_test(test_jvm_clock_not_envelope_clock),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
