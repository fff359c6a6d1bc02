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

/* The one name comparison diagnose.c and the chain picture share. */
static void test_dn_equal(void **state)
{
	assert_true(dn_equal("CN=a, O=b", "CN=a, O=b"));
	assert_true(dn_equal("CN=a,O=b", "cn=A, o=B"));
	assert_true(dn_equal("CN=a,  O=b ", "CN=a,O=b"));
	assert_false(dn_equal("CN=a, O=b", "CN=a, O=bc"));
	assert_false(dn_equal("CN=a, O=bc", "CN=a, O=b"));
	assert_false(dn_equal("CN=a", "CN=b"));
	assert_false(dn_equal(NULL, "CN=a"));
	assert_false(dn_equal("CN=a", NULL));
	assert_true(dn_equal("", " "));
	struct cert c = {.subject = "CN=x", .issuer = "cn=X"};
	assert_true(cert_self_signed(&c));
	c.issuer = "CN=y";
	assert_false(cert_self_signed(&c));
	c.issuer = NULL;
	assert_false(cert_self_signed(&c));
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


/* ---- the rule table (issue 3) ------------------------------------------- */

static struct handshake *failed(struct report *r)
{
	struct handshake *h = new_hs(r, OUTCOME_FAILED);
	h->d.messages_seen = h->d.debug_seen = true;
	return h;
}

static void set_alert(struct handshake *h, const char *name, bool by_peer)
{
	h->d.alert = xstrdup(name);
	h->d.alert_by_peer = by_peer;
	if (by_peer)
		h->alert_received = xstrdup(name);
	else
		h->alert_sent = xstrdup(name);
}

static void test_client_auth_verdicts(void **state)
{
	struct report *r = report_new();
	/* we answered with an empty Certificate, the server refused */
	struct handshake *a = failed(r);
	add(a, LEAF, INT);
	a->d.cert_requested = true;
	a->d.own_cert = OWN_CERT_EMPTY;
	set_alert(a, "certificate_required", true);
	diagnose_handshake(a);
	assert_int_equal(a->diagnosis, DIAG_CLIENT_CERT_NOT_SENT);
	assert_null(a->missing_issuer);    /* not a chain problem */
	/* we sent one, the server does not know its CA */
	struct handshake *b = failed(r);
	b->d.own_cert = OWN_CERT_SENT;
	set_alert(b, "unknown_ca", true);
	diagnose_handshake(b);
	assert_int_equal(b->diagnosis, DIAG_CLIENT_CERT_REJECTED);
	/* ... but an alert we raised ourselves is not the server's refusal */
	struct handshake *c = failed(r);
	c->d.own_cert = OWN_CERT_SENT;
	set_alert(c, "internal_error", false);
	diagnose_handshake(c);
	assert_int_equal(c->diagnosis, DIAG_HANDSHAKE_FAILED);
	/* server side: the client's chain was empty */
	struct handshake *d = failed(r);
	d->role = ROLE_SERVER;
	d->events |= EVBIT(EV_EMPTY_CHAIN_TEXT);
	diagnose_handshake(d);
	assert_int_equal(d->diagnosis, DIAG_CLIENT_CERT_NOT_SENT);
	/* the same text on a client: the server sent none; not about us */
	struct handshake *e = failed(r);
	e->events |= EVBIT(EV_EMPTY_CHAIN_TEXT);
	diagnose_handshake(e);
	assert_int_equal(e->diagnosis, DIAG_HANDSHAKE_FAILED);
	/* server side: clientAuth missing from the client's certificate */
	struct handshake *f = failed(r);
	f->role = ROLE_SERVER;
	add(f, LEAF, INT);
	f->events |= EVBIT(EV_EKU_REJECTED_TEXT);
	diagnose_handshake(f);
	assert_int_equal(f->diagnosis, DIAG_CLIENT_CERT_REJECTED);
	report_free(&r);
}

/* An outbound call seen only in the application's words ("Request not
 * sent to uri=...: Received fatal alert: unknown_ca"): alerts only a
 * certificate the client sent can earn are its rejection; the ones a
 * client without a certificate also hears, or an inbound handshake's,
 * decide nothing. */
static void test_outbound_refusal_without_debug(void **state)
{
	static const struct {
		enum role role;
		const char *alert;
		enum diag_code want;
	} cases[] = {
		{ROLE_CLIENT, "unknown_ca", DIAG_CLIENT_CERT_REJECTED},
		{ROLE_CLIENT, "certificate_expired", DIAG_CLIENT_CERT_REJECTED},
		{ROLE_CLIENT, "certificate_unknown", DIAG_CLIENT_CERT_REJECTED},
		{ROLE_CLIENT, "certificate_revoked", DIAG_CLIENT_CERT_REJECTED},
		{ROLE_CLIENT, "bad_certificate", DIAG_HANDSHAKE_FAILED},
		{ROLE_UNKNOWN, "unknown_ca", DIAG_HANDSHAKE_FAILED},
		{ROLE_SERVER, "unknown_ca", DIAG_HANDSHAKE_FAILED},
	};
	struct report *r = report_new();
	for (size_t i = 0; i < SS_ARRAY_LEN(cases); i++) {
		struct handshake *h = new_hs(r, OUTCOME_FAILED);
		h->peer_certs_state = CERTS_NOT_CAPTURED;
		h->role = cases[i].role;
		set_alert(h, cases[i].alert, true);
		diagnose_handshake(h);
		assert_int_equal(h->diagnosis, cases[i].want);
	}
	report_free(&r);
}

static void test_named_causes(void **state)
{
	static const struct {
		enum ss_event ev;
		const char *alert;
		bool by_peer;
		enum diag_code want;
	} cases[] = {
		{EV_CERT_EXPIRED_TEXT, NULL, false, DIAG_CERT_EXPIRED},
		{EV__COUNT, "certificate_expired", false, DIAG_CERT_EXPIRED},
		{EV_REVOKED_TEXT, NULL, false, DIAG_REVOKED},
		{EV__COUNT, "certificate_revoked", false, DIAG_REVOKED},
		{EV_HOSTNAME_MISMATCH_TEXT, NULL, false, DIAG_HOSTNAME_MISMATCH},
		{EV_CHAINING_FAILED_TEXT, NULL, false, DIAG_CHAIN_OUT_OF_ORDER},
		{EV_PROTOCOL_MISMATCH_TEXT, NULL, false, DIAG_PROTOCOL_MISMATCH},
		{EV__COUNT, "protocol_version", true, DIAG_PROTOCOL_MISMATCH},
		{EV_CIPHER_MISMATCH_TEXT, NULL, false, DIAG_CIPHER_MISMATCH},
		{EV__COUNT, "insufficient_security", true, DIAG_CIPHER_MISMATCH},
		{EV_PEER_CLOSED_TEXT, NULL, false, DIAG_PEER_CLOSED},
		/* a refusal before any ServerHello: nothing offered was acceptable */
		{EV__COUNT, "handshake_failure", true, DIAG_CIPHER_MISMATCH},
	};
	struct report *r = report_new();
	for (size_t i = 0; i < SS_ARRAY_LEN(cases); i++) {
		struct handshake *h = failed(r);
		h->peer_certs_state = CERTS_NOT_CAPTURED;
		if (cases[i].ev != EV__COUNT)
			h->events |= EVBIT(cases[i].ev);
		if (cases[i].alert)
			set_alert(h, cases[i].alert, cases[i].by_peer);
		diagnose_handshake(h);
		assert_int_equal(h->diagnosis, cases[i].want);
	}
	/* handshake_failure after the ServerHello is not about ciphers */
	struct handshake *h = failed(r);
	h->d.server_hellos = 1;
	set_alert(h, "handshake_failure", true);
	diagnose_handshake(h);
	assert_int_equal(h->diagnosis, DIAG_HANDSHAKE_FAILED);
	report_free(&r);
}

/* Which certificate expired: the date the exception quotes, else the
 * validity against the time of the handshake. */
static void test_expired_certificate(void **state)
{
	struct report *r = report_new();
	struct handshake *h = failed(r);
	add(h, LEAF, INT);
	add(h, INT, ROOT);
	h->peer_certs[0].not_before = xstrdup("2023-02-11 00:00:00.000 UTC");
	h->peer_certs[0].not_after = xstrdup("2024-02-11 23:59:59.000 UTC");
	h->peer_certs[1].not_before = xstrdup("Mon Mar 01 00:00:00 UTC 2021");
	h->peer_certs[1].not_after = xstrdup("Sat Mar 01 00:00:00 UTC 2031");
	h->events |= EVBIT(EV_CERT_EXPIRED_TEXT);
	h->d.expiry_text = xstrdup("NotAfter: Sun Feb 11 23:59:59 UTC 2024");
	diagnose_handshake(h);
	assert_int_equal(h->diagnosis, DIAG_CERT_EXPIRED);
	assert_int_equal(h->d.expired_cert, 0);
	char *t = diag_fill("{expired}", h);
	assert_string_equal(t, LEAF ", valid from 2023-02-11 00:00:00.000 UTC until "
			       "2024-02-11 23:59:59.000 UTC");
	free(t);
	/* no date quoted: a PKIX failure with a certificate out of its
	 * validity at the time of the handshake is an expiry */
	struct handshake *g = failed(r);
	add(g, LEAF, INT);
	g->peer_certs[0].not_before = xstrdup("2023-02-11 00:00:00.000 UTC");
	g->peer_certs[0].not_after = xstrdup("2024-02-11 23:59:59.000 UTC");
	g->ts_start = civil_to_ms(2024, 6, 1, 10, 0, 0, 0);
	g->pkix_failed = true;
	diagnose_handshake(g);
	assert_int_equal(g->diagnosis, DIAG_CERT_EXPIRED);
	assert_int_equal(g->d.expired_cert, 0);
	/* within a day of the boundary: the clocks may differ, do not guess */
	g->ts_start = civil_to_ms(2024, 2, 12, 10, 0, 0, 0);
	diagnose_handshake(g);
	assert_int_equal(g->diagnosis, DIAG_LEAF_ONLY_CHAIN);
	/* "PKIX path building failed" says no path to an anchor was found:
	 * the chain explains it, whatever the dates and the log's clock */
	g->ts_start = civil_to_ms(2024, 6, 1, 10, 0, 0, 0);
	g->events |= EVBIT(EV_PKIX_PATH_BUILDING_FAILED);
	diagnose_handshake(g);
	assert_int_equal(g->diagnosis, DIAG_LEAF_ONLY_CHAIN);
	report_free(&r);
}

/* Names filled into the steps; anything not spelled like a host name never
 * reaches a shell command. */
static void test_advice_placeholders(void **state)
{
	struct report *r = report_new();
	struct handshake *h = failed(r);
	add(h, LEAF, INT);
	cert_add_name(&h->peer_certs[0], "api-old.example.test", 20);
	cert_add_name(&h->peer_certs[0], "10.0.0.5", 8);
	h->d.name_checked = xstrdup("api.example.test");
	h->events |= EVBIT(EV_HOSTNAME_MISMATCH_TEXT);
	diagnose_handshake(h);
	char *adv = diag_advice(h->diagnosis, h);
	assert_non_null(strstr(adv, "-connect api.example.test:443 -servername api.example.test"));
	assert_non_null(strstr(adv, "(api-old.example.test, 10.0.0.5)"));
	assert_null(strchr(adv, '{'));
	free(adv);

	struct handshake *m = failed(r);
	m->d.cert_requested = true;
	strlist_add(&m->d.authorities, "CN=Client Root, O=Partner", 25, 8);
	strlist_add(&m->d.authorities, "CN=Other, O=X", 13, 8);
	m->d.own_cert = OWN_CERT_EMPTY;
	set_alert(m, "bad_certificate", true);
	diagnose_handshake(m);
	adv = diag_advice(m->diagnosis, m);
	assert_non_null(strstr(adv, "issued by: CN=Client Root, O=Partner; CN=Other, O=X"));
	free(adv);
	/* inbound: the steps speak to this server's side */
	m->role = ROLE_SERVER;
	adv = diag_advice(DIAG_CLIENT_CERT_NOT_SENT, m);
	assert_non_null(strstr(adv, "This server requires a client certificate"));
	free(adv);

	/* a hostile host name is replaced in commands */
	free(h->peer_host);
	h->peer_host = xstrdup("evil.test;rm -rf ~");
	free(h->d.name_checked);
	h->d.name_checked = xstrdup("$(id)");
	adv = diag_advice(DIAG_HOSTNAME_MISMATCH, h);
	assert_null(strstr(adv, "rm -rf"));
	assert_null(strstr(adv, "$(id)"));
	assert_non_null(strstr(adv, "-connect <host>:443 -servername <host>"));
	free(adv);
	report_free(&r);
}

static void test_versions_and_hint(void **state)
{
	struct report *r = report_new();
	struct handshake *h = failed(r);
	h->d.versions_local = xstrdup("TLSv1.3");
	h->d.versions_peer = xstrdup("TLS12");
	h->events |= EVBIT(EV_PROTOCOL_MISMATCH_TEXT);
	diagnose_handshake(h);
	char *t = diag_fill(diag_info(h->diagnosis)->title, h);
	assert_non_null(strstr(t, "this JVM: TLSv1.3; the server: TLS12"));
	free(t);
	assert_null(diag_debug_hint(h));
	/* only alerts in the log, or no debug output at all */
	struct handshake *a = new_hs(r, OUTCOME_FAILED);
	a->peer_certs_state = CERTS_NOT_CAPTURED;
	a->d.debug_seen = true;
	a->pkix_failed = true;
	diagnose_handshake(a);
	assert_int_equal(a->d.debug_level, DEBUG_ALERTS);
	assert_non_null(strstr(diag_debug_hint(a), "javax.net.debug=ssl:handshake:verbose"));
	/* plain "ssl" hides the messages up to JDK 24 only (JDK 25 logs
	 * them: samples/jdk25/leaf_only-tls13-debug-ssl.log) */
	assert_non_null(strstr(diag_debug_hint(a), "on JDK 11 to 24)"));
	a->d.debug_seen = false;
	diagnose_handshake(a);
	assert_int_equal(a->d.debug_level, DEBUG_NONE);
	assert_non_null(diag_debug_hint(a));
	/* a finished handshake needs no more output */
	a->outcome = OUTCOME_OK;
	diagnose_handshake(a);
	assert_null(diag_debug_hint(a));
	report_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_chain_kinds),
		cmocka_unit_test(test_dn_equal),
		cmocka_unit_test(test_verdicts),
		cmocka_unit_test(test_findings_and_advice),
		cmocka_unit_test(test_every_code_has_advice),
		cmocka_unit_test(test_client_auth_verdicts),
		cmocka_unit_test(test_outbound_refusal_without_debug),
		cmocka_unit_test(test_named_causes),
		cmocka_unit_test(test_expired_certificate),
		cmocka_unit_test(test_advice_placeholders),
		cmocka_unit_test(test_versions_and_hint),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
