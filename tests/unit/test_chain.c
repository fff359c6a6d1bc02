/* test_chain.c - the chain as a picture in text (render_chain.c): the path
 * from the leaf up, arrows to each issuer, the missing one marked. */
#include "config.h"

#include "testutil.h"

#include "model.h"
#include "render_util.h"
#include "util.h"

#define ARROW " \xE2\x94\x94\xE2\x94\x80\xE2\x96\xB6 "
#define CROSS "\xE2\x9C\x97 "

static struct handshake *hs_new(enum diag_code diag, enum chain_kind chain)
{
	struct report *r = report_new();
	struct handshake *h = report_add_handshake(r);
	struct handshake *copy = xcalloc(1, sizeof *copy);
	*copy = *h;
	free(r->handshakes);
	r->handshakes = NULL;
	r->n_handshakes = 0;
	report_free(&r);
	copy->diagnosis = diag;
	copy->chain = chain;
	copy->role = ROLE_CLIENT;
	copy->outcome = OUTCOME_FAILED;
	copy->peer_certs_state = CERTS_CAPTURED;
	return copy;
}

static void hs_free(struct handshake *h)
{
	struct report *r = report_new();
	r->handshakes = h;
	r->n_handshakes = r->cap_handshakes = 1;
	report_free(&r);
}

static void add(struct handshake *h, const char *subject, const char *issuer,
		const char *valid_to)
{
	struct cert *c = handshake_add_cert(h);
	c->subject = xstrdup(subject);
	c->issuer = xstrdup(issuer);
	if (valid_to) {
		c->not_before = xstrdup("2026-11-22 09:19:44.000 UTC");
		c->not_after = xstrdup(valid_to);
	}
}

static void expect(struct handshake *h, const char *want)
{
	char *got = chain_picture(h, 10, 240);
	if (strcmp(got, want) != 0)
		fail_msg("chain picture:\n%s\nwanted:\n%s", got, want);
	free(got);
	hs_free(h);
}

static void test_leaf_only(void **state)
{
	(void)state;
	struct handshake *h = hs_new(DIAG_LEAF_ONLY_CHAIN, CHAIN_LEAF_ONLY);
	add(h, "CN=api.example.com, O=Ex", "CN=Issuing CA 1, O=Ex",
	    "2027-12-24 09:19:44.000 UTC");
	h->missing_issuer = xstrdup("CN=Issuing CA 1, O=Ex");
	expect(h, "[0] CN=api.example.com, O=Ex\n"
		  "    valid 2026-11-22 .. 2027-12-24\n"
		  ARROW CROSS "CN=Issuing CA 1, O=Ex\n"
		  "       missing: the intermediate the server should send\n");
}

static void test_tolerated_client(void **state)
{
	(void)state;
	struct handshake *h = hs_new(DIAG_LEAF_ONLY_CHAIN_TOLERATED,
				     CHAIN_LEAF_ONLY);
	h->role = ROLE_SERVER;
	add(h, "CN=client", "CN=CA", NULL);
	h->missing_issuer = xstrdup("cn=ca");
	expect(h, "[0] CN=client\n"
		  ARROW CROSS "CN=CA\n"
		  "       missing: the intermediate the client should send; "
		  "found in the local trust store\n");
}

static void test_untrusted_root_not_sent(void **state)
{
	(void)state;
	struct handshake *h = hs_new(DIAG_UNTRUSTED_ROOT, CHAIN_COMPLETE);
	add(h, "CN=leaf", "CN=Int", NULL);
	add(h, "CN=Int", "CN=Root", NULL);
	h->missing_issuer = xstrdup("CN=Root");
	expect(h, "[0] CN=leaf\n"
		  ARROW "[1] CN=Int\n"
		  "     " ARROW CROSS "CN=Root\n"
		  "            not trusted: no trust anchor for it in the local "
		  "trust store\n");
}

static void test_untrusted_root_sent(void **state)
{
	(void)state;
	struct handshake *h = hs_new(DIAG_UNTRUSTED_ROOT,
				     CHAIN_COMPLETE_WITH_ROOT);
	add(h, "CN=leaf", "CN=Int", NULL);
	add(h, "CN=Int", "CN=Root", NULL);
	add(h, "CN=Root", "CN=Root", "2036-11-19 09:19:44.000 UTC");
	h->missing_issuer = xstrdup("CN=Root");
	expect(h, "[0] CN=leaf\n"
		  ARROW "[1] CN=Int\n"
		  "     " ARROW "[2] CN=Root  (self-signed)\n"
		  "              valid 2026-11-22 .. 2036-11-19\n"
		  "              " CROSS "not trusted: no trust anchor for it "
		  "in the local trust store\n");
}

/* A chain that is not what is wrong: its end is not marked. */
static void test_other_failure(void **state)
{
	(void)state;
	struct handshake *h = hs_new(DIAG_HOSTNAME_MISMATCH, CHAIN_COMPLETE);
	add(h, "CN=leaf", "CN=Int", NULL);
	add(h, "CN=Int", "CN=Root", NULL);
	h->missing_issuer = xstrdup("CN=Root");
	expect(h, "[0] CN=leaf\n"
		  ARROW "[1] CN=Int\n"
		  "     " ARROW "CN=Root\n"
		  "          not sent\n");
}

static void test_out_of_order(void **state)
{
	(void)state;
	struct handshake *h = hs_new(DIAG_CHAIN_OUT_OF_ORDER, CHAIN_OUT_OF_ORDER);
	add(h, "CN=leaf", "CN=Int", NULL);
	add(h, "CN=Root", "CN=Root", NULL);
	add(h, "CN=Int", "CN=Root", NULL);
	expect(h, "[0] CN=leaf\n"
		  ARROW "[2] CN=Int  (sent out of order)\n"
		  "     " ARROW "[1] CN=Root  (self-signed)  (sent out of "
		  "order)\n");
}

static void test_stranger(void **state)
{
	(void)state;
	struct handshake *h = hs_new(DIAG_CHAIN_OUT_OF_ORDER, CHAIN_OUT_OF_ORDER);
	add(h, "CN=leaf", "CN=Int", NULL);
	add(h, "CN=Other", "CN=Other CA", NULL);
	h->missing_issuer = xstrdup("CN=Int");
	expect(h, "[0] CN=leaf\n"
		  ARROW CROSS "CN=Int\n"
		  "       missing: not among the certificates sent\n"
		  "also sent, not on the path:\n"
		  "[1] CN=Other\n"
		  "    issued by CN=Other CA\n");
}

static void test_self_signed(void **state)
{
	(void)state;
	struct handshake *h = hs_new(DIAG_SELF_SIGNED_UNTRUSTED,
				     CHAIN_SELF_SIGNED);
	add(h, "CN=self", "CN=self", NULL);
	expect(h, "[0] CN=self  (self-signed)\n"
		  "    " CROSS "not trusted: no trust anchor for it in the "
		  "local trust store\n");
}

/* A loop of issuers ends: each certificate is on the path once. */
static void test_loop(void **state)
{
	(void)state;
	struct handshake *h = hs_new(DIAG_HANDSHAKE_FAILED, CHAIN_OUT_OF_ORDER);
	add(h, "CN=a", "CN=b", NULL);
	add(h, "CN=b", "CN=a", NULL);
	expect(h, "[0] CN=a\n"
		  ARROW "[1] CN=b\n"
		  "     " ARROW "CN=a\n"
		  "          not sent\n");
}

static void test_cut_and_empty(void **state)
{
	(void)state;
	struct handshake *h = hs_new(DIAG_OK, CHAIN_NOT_CAPTURED);
	h->peer_certs_state = CERTS_CUT;
	add(h, "CN=leaf\x1b[2J", "CN=Int", NULL);
	h->missing_issuer = xstrdup("CN=Int");
	expect(h, "[0] CN=leaf?\n"
		  ARROW "CN=Int\n"
		  "     not seen: the log ends inside the Certificate message\n");
	h = hs_new(DIAG_CLIENT_CERT_NOT_SENT, CHAIN_EMPTY);
	expect(h, "");
}

static void test_many(void **state)
{
	(void)state;
	struct handshake *h = hs_new(DIAG_CHAIN_OUT_OF_ORDER, CHAIN_OUT_OF_ORDER);
	for (int i = 0; i < 3; i++)
		add(h, "CN=x", "CN=x", NULL);
	h->peer_certs_omitted = 4;
	char *got = chain_picture(h, 2, 240);
	assert_string_equal(got, "[0] CN=x  (self-signed)\n"
				 "also sent, not on the path:\n"
				 "[1] CN=x\n    issued by CN=x\n"
				 "... 5 more not shown\n");
	free(got);
	hs_free(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_leaf_only),
		cmocka_unit_test(test_tolerated_client),
		cmocka_unit_test(test_untrusted_root_not_sent),
		cmocka_unit_test(test_untrusted_root_sent),
		cmocka_unit_test(test_other_failure),
		cmocka_unit_test(test_out_of_order),
		cmocka_unit_test(test_stranger),
		cmocka_unit_test(test_self_signed),
		cmocka_unit_test(test_loop),
		cmocka_unit_test(test_cut_and_empty),
		cmocka_unit_test(test_many),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
