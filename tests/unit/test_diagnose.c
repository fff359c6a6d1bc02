/* test_diagnose.c - chain classification and the verdict per handshake. */
#include "config.h"
#include "testutil.h"

#include "diagnose.h"
#include "model.h"
#include "util.h"

#define LEAF "CN=api.example.test, O=Ex"
#define INT "CN=Example Issuing CA, O=Ex"
#define ROOT "CN=Example Root CA, O=Ex"

static void add(struct handshake *h, const char *subject, const char *issuer)
{
	struct cert *c = handshake_add_cert(h);
	c->subject = xstrdup(subject);
	c->issuer = xstrdup(issuer);
}

static struct handshake *new_hs(struct report *r, enum outcome o)
{
	struct handshake *h = report_add_handshake(r);
	h->outcome = o;
	h->role = ROLE_CLIENT;
	h->peer_host = xstrdup("api.example.test");
	h->peer_port = 443;
	h->peer_certs_state = CERTS_CAPTURED;
	return h;
}

static void test_chain_kinds(void **state)
{
	struct report *r = report_new();
	struct handshake *h = new_hs(r, OUTCOME_FAILED);
	assert_int_equal(chain_classify(h->peer_certs, 0), CHAIN_EMPTY);
	add(h, LEAF, INT);
	assert_int_equal(chain_classify(h->peer_certs, 1), CHAIN_LEAF_ONLY);
	add(h, INT, ROOT);
	assert_int_equal(chain_classify(h->peer_certs, 2), CHAIN_COMPLETE);
	add(h, ROOT, ROOT);
	assert_int_equal(chain_classify(h->peer_certs, 3), CHAIN_COMPLETE_WITH_ROOT);
	/* self-signed alone, compared without regard to case and spacing */
	struct handshake *s = new_hs(r, OUTCOME_FAILED);
	add(s, "CN=self,O=x", "cn=self, o=x");
	assert_int_equal(chain_classify(s->peer_certs, 1), CHAIN_SELF_SIGNED);
	/* intermediate first */
	struct handshake *o = new_hs(r, OUTCOME_FAILED);
	add(o, INT, ROOT);
	add(o, LEAF, INT);
	assert_int_equal(chain_classify(o->peer_certs, 2), CHAIN_OUT_OF_ORDER);
	report_free(&r);
	assert_null(r);
}

static void test_verdicts(void **state)
{
	struct report *r = report_new();
	struct handshake *h = new_hs(r, OUTCOME_FAILED);
	add(h, LEAF, INT);
	h->pkix_failed = true;
	diagnose_handshake(h);
	assert_int_equal(h->chain, CHAIN_LEAF_ONLY);
	assert_int_equal(h->diagnosis, DIAG_LEAF_ONLY_CHAIN);
	assert_string_equal(h->missing_issuer, INT);

	h->outcome = OUTCOME_OK;
	diagnose_handshake(h);
	assert_int_equal(h->diagnosis, DIAG_LEAF_ONLY_CHAIN_TOLERATED);

	h->outcome = OUTCOME_FAILED;
	add(h, INT, ROOT);
	diagnose_handshake(h);
	assert_int_equal(h->diagnosis, DIAG_UNTRUSTED_ROOT);
	assert_string_equal(h->missing_issuer, ROOT);

	/* the server side of inbound mutual TLS */
	h->role = ROLE_SERVER;
	h->n_peer_certs = 1;
	free(h->peer_certs[1].subject);
	free(h->peer_certs[1].issuer);
	diagnose_handshake(h);
	assert_int_equal(h->diagnosis, DIAG_CLIENT_CHAIN_INCOMPLETE);

	/* no Certificate message seen: PKIX alone */
	struct handshake *n = new_hs(r, OUTCOME_FAILED);
	n->peer_certs_state = CERTS_NOT_CAPTURED;
	n->pkix_failed = true;
	diagnose_handshake(n);
	assert_int_equal(n->chain, CHAIN_NOT_CAPTURED);
	assert_int_equal(n->diagnosis, DIAG_TRUST_PATH_FAILED);
	n->pkix_failed = false;
	diagnose_handshake(n);
	assert_int_equal(n->diagnosis, DIAG_HANDSHAKE_FAILED);
	/* a cause named outright wins over the chain */
	n->events |= EVBIT(EV_HOSTNAME_MISMATCH_TEXT);
	n->pkix_failed = true;
	diagnose_handshake(n);
	assert_int_equal(n->diagnosis, DIAG_HOSTNAME_MISMATCH);

	/* cut off by the end of the log: not a failure */
	struct handshake *u = new_hs(r, OUTCOME_UNKNOWN);
	u->peer_certs_state = CERTS_CUT;
	add(u, LEAF, INT);
	diagnose_handshake(u);
	assert_int_equal(u->chain, CHAIN_NOT_CAPTURED);
	assert_int_equal(u->diagnosis, DIAG_OK);
	report_free(&r);
}

static void test_findings_and_advice(void **state)
{
	struct report *r = report_new();
	for (int i = 0; i < 3; i++) {
		struct handshake *h = new_hs(r, OUTCOME_FAILED);
		add(h, LEAF, INT);
		h->pkix_failed = true;
	}
	struct handshake *ok = new_hs(r, OUTCOME_OK);
	free(ok->peer_host);
	ok->peer_host = xstrdup("other.example.test");
	add(ok, LEAF, INT);
	add(ok, INT, ROOT);
	diagnose_report(r);
	assert_int_equal(r->n_findings, 2);
	assert_int_equal(r->findings[0].code, DIAG_LEAF_ONLY_CHAIN); /* worst first */
	assert_int_equal(r->findings[0].count, 3);
	assert_int_equal(r->findings[0].n_peers, 1);
	assert_string_equal(r->findings[0].peers[0], "api.example.test:443");
	assert_int_equal(r->findings[1].code, DIAG_OK);
	assert_int_equal(report_worst_severity(r), SEV_ERROR);
	char *adv = diag_advice(DIAG_LEAF_ONLY_CHAIN, &r->handshakes[0]);
	assert_non_null(strstr(adv, "openssl s_client -showcerts -connect "
				    "api.example.test:443 -servername api.example.test"));
	assert_non_null(strstr(adv, INT));
	assert_null(strchr(adv, '{'));
	free(adv);
	assert_string_equal(diag_info(DIAG_LEAF_ONLY_CHAIN_TOLERATED)->code,
			    "LEAF_ONLY_CHAIN_TOLERATED");
	assert_int_equal(diag_info(DIAG_LEAF_ONLY_CHAIN_TOLERATED)->severity,
			 SEV_WARNING);
	assert_string_equal(chain_name(CHAIN_COMPLETE_WITH_ROOT),
			    "complete_with_root");
	report_free(&r);
}

static void test_every_code_has_advice(void **state)
{
	for (int c = 0; c < DIAG__COUNT; c++) {
		const struct diag_info *d = diag_info((enum diag_code)c);
		assert_non_null(d->code);
		assert_non_null(d->title);
		assert_true(strlen(d->title) > 10);
		if (c != DIAG_OK)
			assert_true(strlen(d->steps) > 10);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_chain_kinds),
		cmocka_unit_test(test_verdicts),
		cmocka_unit_test(test_findings_and_advice),
		cmocka_unit_test(test_every_code_has_advice),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
