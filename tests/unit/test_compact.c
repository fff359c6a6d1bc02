/* test_compact.c - the detail caps: which handshakes keep their detail,
 * what the tallies count, that open handshakes and representatives keep
 * pointing at the right handshake, and that findings stay exact. */
#include "config.h"
#include "testutil.h"

#include "compact.h"
#include "correlate.h"
#include "diagnose.h"
#include "model.h"
#include "util.h"

#define T0 INT64_C(1800000000000)

/* Handshake i: failed leaf-only to peer p(i % peers), or ok with a
 * complete chain when i % 10 != 0. */
static void add_hs(struct report *r, size_t i, size_t peers)
{
	struct handshake *h = report_add_handshake(r);
	char buf[64];
	snprintf(buf, sizeof buf, "p%zu.test", i % peers);
	h->peer_host = xstrdup(buf);
	h->file = 0;
	h->line = h->last_line = 1 + 10 * (uint64_t)i;
	h->ts_start = h->ts_end = T0 + (int64_t)i;
	h->role = ROLE_CLIENT;
	h->peer_certs_state = CERTS_CAPTURED;
	struct cert *c = handshake_add_cert(h);
	c->subject = xstrdup(buf);
	c->issuer = xstrdup("CN=CA");
	if (i % 10 == 0) {
		h->outcome = OUTCOME_FAILED;
		h->pkix_failed = true;
	} else {
		h->outcome = OUTCOME_OK;
		c = handshake_add_cert(h);
		c->subject = xstrdup("CN=CA");
		c->issuer = xstrdup("CN=Root");
	}
	snprintf(buf, sizeof buf, "line %zu", i);
	handshake_add_evidence(h, 0, h->line, buf, strlen(buf));
}

static size_t finding_count(const struct report *r, enum diag_code code,
			    size_t *omitted)
{
	for (size_t i = 0; i < r->n_findings; i++)
		if (r->findings[i].code == code) {
			if (omitted)
				*omitted = r->findings[i].omitted;
			return r->findings[i].count;
		}
	return 0;
}

/* Adds n handshakes, judging them the way the assembler does: whenever
 * report_needs_compact() says so, with `open` still under way. */
static void add_many(struct report *r, size_t from, size_t n, size_t peers,
		     long *open)
{
	for (size_t i = from; i < from + n; i++) {
		add_hs(r, i, peers);
		if (report_needs_compact(r)) {
			long *refs[1] = {open};
			report_compact(r, refs, 1);
		}
	}
}

static void test_small_run_untouched(void **state)
{
	(void)state;
	struct report *r = report_new();
	long open = -1;
	add_many(r, 0, COMPACT_FIRST, 7, &open);
	assert_int_equal(r->n_handshakes, COMPACT_FIRST);
	assert_int_equal(r->handshakes_omitted, 0);
	assert_int_equal(r->n_tallies, 0);
	report_free(&r);
}

static void test_counts_exact(void **state)
{
	(void)state;
	const size_t n = 100000, peers = 50;
	struct report *r = report_new();
	long open = -1;
	add_many(r, 0, n, peers, &open);
	long *refs[1] = {&open};
	report_compact(r, refs, 1);
	assert_true(r->handshakes_omitted > 0);
	assert_int_equal(r->n_handshakes + r->handshakes_omitted, n);
	/* the first COMPACT_FIRST, then at most COMPACT_PER_KEY per key */
	assert_true(r->n_handshakes <= COMPACT_FIRST + 2 * peers * COMPACT_PER_KEY);
	for (size_t i = 0; i < COMPACT_FIRST; i++)
		assert_int_equal(r->handshakes[i].line, 1 + 10 * (uint64_t)i);
	diagnose_report(r);
	size_t omitted = 0;
	assert_int_equal(finding_count(r, DIAG_LEAF_ONLY_CHAIN, &omitted), n / 10);
	assert_true(omitted > 0);
	assert_int_equal(finding_count(r, DIAG_OK, NULL), n - n / 10);
	/* every tally's representative is a kept handshake of its key */
	for (size_t i = 0; i < r->n_tallies; i++) {
		const struct tally *t = &r->tallies[i];
		assert_true(t->rep >= 0 && (size_t)t->rep < r->n_handshakes);
		const struct handshake *h = &r->handshakes[t->rep];
		assert_int_equal(h->diagnosis, t->code);
		char *peer = handshake_peer_string(h);
		assert_string_equal(peer, t->peer);
		free(peer);
	}
	report_free(&r);
}

static void test_open_handshake_kept_and_moved(void **state)
{
	(void)state;
	struct report *r = report_new();
	long none = -1;
	add_many(r, 0, COMPACT_FIRST + 100, 5, &none);
	/* a handshake still being assembled, early in the undecided tail */
	long open = (long)r->n_handshakes;
	add_hs(r, 999999, 5);
	r->handshakes[open].line = 424242;
	add_many(r, COMPACT_FIRST + 101, 3 * COMPACT_BATCH, 5, &open);
	assert_true(r->handshakes_omitted > 0);
	assert_true(open >= 0 && (size_t)open < r->n_handshakes);
	assert_int_equal(r->handshakes[open].line, 424242);
	assert_false(r->handshakes[open].detail_kept);
	assert_true(r->detail_scan_from <= (size_t)open);
	/* closed now: judged at the next run like any other */
	long *refs[1] = {&none};
	add_many(r, 5 * COMPACT_BATCH + COMPACT_FIRST, COMPACT_BATCH, 5, &none);
	report_compact(r, refs, 1);
	for (size_t i = 0; i < r->n_handshakes; i++)
		assert_true(r->handshakes[i].detail_kept);
	report_free(&r);
}

static void test_tally_overflow(void **state)
{
	(void)state;
	/* more distinct peers than the table holds: the rest go to one
	 * "various" tally per diagnosis, still counted */
	const size_t n = COMPACT_FIRST + 3 * COMPACT_MAX_TALLIES;
	struct report *r = report_new();
	long open = -1;
	add_many(r, 0, n, n, &open);
	long *refs[1] = {&open};
	report_compact(r, refs, 1);
	assert_true(r->n_tallies <= COMPACT_MAX_TALLIES + DIAG__COUNT);
	size_t various = 0;
	for (size_t i = 0; i < r->n_tallies; i++)
		various += r->tallies[i].various ? r->tallies[i].omitted : 0;
	assert_true(various > 0);
	diagnose_report(r);
	assert_int_equal(finding_count(r, DIAG_LEAF_ONLY_CHAIN, NULL) +
				 finding_count(r, DIAG_OK, NULL),
			 n);
	report_free(&r);
}

static void test_symptoms_of_omitted_counted(void **state)
{
	(void)state;
	const size_t n = 60000;
	struct report *r = report_new();
	long open = -1;
	add_many(r, 0, n, 3, &open);
	long *refs[1] = {&open};
	report_compact(r, refs, 1);
	/* a symptom at the time of a late, omitted failed handshake to p0 */
	struct symptom *s = report_add_symptom(r);
	s->kind = SYM_SOCKET_CLOSED;
	s->file = 1;
	s->line = 7;
	s->ts = T0 + (int64_t)n - 30;
	s->host = xstrdup("p0.test");
	size_t before = r->n_handshakes;
	correlate_report(r);
	assert_int_equal(r->n_handshakes, before);   /* no new failure made */
	assert_int_equal(r->symptoms_omitted, 1);
	/* one to a host none of them called is a failure of its own */
	s = report_add_symptom(r);
	s->kind = SYM_SOCKET_CLOSED;
	s->file = 1;
	s->line = 9;
	s->ts = T0 + (int64_t)n - 30;
	s->host = xstrdup("elsewhere.test");
	correlate_report(r);
	assert_int_equal(r->n_handshakes, before + 1);
	report_free(&r);
}

static void test_symptom_cap(void **state)
{
	(void)state;
	struct report *r = report_new();
	for (size_t i = 0; i < COMPACT_MAX_SYMPTOMS + 5; i++)
		if (report_symptom_fits(r))
			report_add_symptom(r);
	assert_int_equal(r->n_symptoms, COMPACT_MAX_SYMPTOMS);
	assert_int_equal(r->symptoms_omitted, 5);
	report_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_small_run_untouched),
		cmocka_unit_test(test_counts_exact),
		cmocka_unit_test(test_open_handshake_kept_and_moved),
		cmocka_unit_test(test_tally_overflow),
		cmocka_unit_test(test_symptoms_of_omitted_counted),
		cmocka_unit_test(test_symptom_cap),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
