/* test_redact.c - --redact: names found in text and in fields, replaced by
 * stable placeholders; Java names, times and file names left alone. */
#include "config.h"

#include "testutil.h"

#include "model.h"
#include "redact.h"
#include "util.h"

/* Redacts text with a fresh redactor that knows the given host. */
static char *red1(const char *known, const char *text)
{
	struct redactor *rd = redactor_new();
	if (known)
		redactor_learn_host(rd, known);
	char *out = redactor_text(rd, text);
	redactor_free(&rd);
	assert_null(rd);
	return out;
}

static void expect(const char *known, const char *text, const char *want)
{
	char *got = red1(known, text);
	if (strcmp(got, want) != 0)
		fail_msg("redacting \"%s\": got \"%s\", want \"%s\"", text, got,
			 want);
	free(got);
}

static void unchanged(const char *text)
{
	expect(NULL, text, text);
}

static void test_hosts(void **state)
{
	(void)state;
	expect("api.example.com", "CN=api.example.com, O=Example, C=US",
	       "CN=host-1, O=Example, C=US");
	expect(NULL, "No subject alternative DNS name matching db.corp.example "
		     "found.",
	       "No subject alternative DNS name matching host-1 found.");
	expect(NULL, "CN=*.partner.test", "CN=host-1");
	/* Known names are found whatever their case, as whole names only. */
	expect("api.example.com", "API.Example.COM and api.example.com",
	       "host-1 and host-1");
	expect("intranetbox", "connect to intranetbox refused (intranetbox2, "
			      "my_intranetbox)",
	       "connect to host-1 refused (intranetbox2, my_intranetbox)");
	/* A longer name is its own name. */
	expect("example.com", "www.example.com and example.com",
	       "host-2 and host-1");
}

static void test_uris(void **state)
{
	(void)state;
	expect(NULL, "Request not sent to uri=https://leafonly.partner.test:18458"
		     "/api/now/table/incident : java.net.SocketException: Socket "
		     "is closed",
	       "Request not sent to uri=https://host-1:18458/api/now/table/"
	       "incident : java.net.SocketException: Socket is closed");
	expect(NULL, "GET http://user:secret@intranetbox/x",
	       "GET http://redacted@host-1/x");
	expect(NULL, "ldap://[2001:db8::7]:636/", "ldap://[ip-1]:636/");
	expect(NULL, "https://10.0.0.5:8443/", "https://ip-1:8443/");
	/* A scheme left in a host field is not a name to hide. */
	expect("https", "uri=https://[::1]:443/ over https", "uri=https://[ip-1]:443/ "
							    "over https");
}

static void test_addresses(void **state)
{
	(void)state;
	expect(NULL, "Connection to 10.1.2.3:443 refused; from /192.168.0.1",
	       "Connection to ip-1:443 refused; from /ip-2");
	expect(NULL, "No subject alternative names matching IP address "
		     "10.1.2.3 found (10.1.2.3)",
	       "No subject alternative names matching IP address ip-1 found "
	       "(ip-1)");
	expect(NULL, "peer fe80::1%eth0 and 2001:db8:0:0:0:0:0:1, ::1",
	       "peer ip-1 and ip-2, ip-3");
	expect(NULL, "[::ffff:10.0.0.1]:443", "[ip-1]:443");
	/* Not addresses: times, versions, OIDs longer than four parts. */
	unchanged("2026-11-22 09:22:04.323 UTC");
	unchanged("TLSv1.2 and TLSv1.3, 1.2.840.113549.1.1.11, version 1.2.3");
	unchanged("300.1.2.3");
}

static void test_not_names(void **state)
{
	(void)state;
	unchanged("javax.net.ssl.SSLHandshakeException: PKIX path building "
		  "failed: sun.security.provider.certpath."
		  "SunCertPathBuilderException");
	unchanged("javax.net.ssl|DEBUG|1F|main|CertificateMessage.java:1172|");
	unchanged("jdk.tls.client.protocols in java.security; "
		  "com.glide.rest.Client; org.apache.http.impl");
	unchanged("samples/node1/wrapper.log.1.gz and catalina.out, "
		  "localhost_log.2026-11-22.txt, server.pem");
	unchanged("Fatal (CERTIFICATE_UNKNOWN): e.g. i.e. a.b");
	unchanged("");
}

static void test_serials(void **state)
{
	(void)state;
	struct redactor *rd = redactor_new();
	redactor_learn_serial(rd, "1f:f5:83:0a:3d:80:81:40");
	redactor_learn_serial(rd, "00:8D:63");
	char *s = redactor_text(rd, "\"serial number\" : \"1F:F5:83:0A:3D:80:81:40\""
				    ", 00:8d:63 and 00:8d:63:ff");
	assert_string_equal(s, "\"serial number\" : \"serial-1\", serial-2 and "
			       "00:8d:63:ff");
	free(s);
	s = redactor_serial(rd, "1f:f5:83:0a:3d:80:81:40");
	assert_string_equal(s, "serial-1");
	free(s);
	s = redactor_serial(rd, "new");
	assert_string_equal(s, "serial-3");
	free(s);
	assert_null(redactor_serial(rd, NULL));
	assert_null(redactor_text(rd, NULL));
	redactor_free(&rd);
}

/* Placeholders are never taken for names, however often text is seen. */
static void test_stable(void **state)
{
	(void)state;
	struct redactor *rd = redactor_new();
	redactor_learn_host(rd, "b.example.com");
	redactor_learn_host(rd, "10.9.8.7");
	redactor_learn_host(rd, "a.example.com");
	char *x = redactor_name(rd, "A.EXAMPLE.COM");
	assert_string_equal(x, "host-2");
	free(x);
	x = redactor_name(rd, "10.9.8.7");
	assert_string_equal(x, "ip-1");
	free(x);
	char *once = redactor_text(rd, "a.example.com b.example.com c.example.com");
	assert_string_equal(once, "host-2 host-1 host-3");
	char *twice = redactor_text(rd, once);
	assert_string_equal(twice, once);
	free(once);
	free(twice);
	/* Short or numeric "names" are not learnt as names to find. */
	redactor_learn_host(rd, "7");
	redactor_learn_host(rd, "");
	redactor_learn_host(rd, NULL);
	x = redactor_text(rd, "port 7 of 17");
	assert_string_equal(x, "port 7 of 17");
	free(x);
	redactor_free(&rd);
}

/* ---- a whole report ------------------------------------------------------ */

static struct report *sample_report(void)
{
	struct report *r = report_new();
	r->node = xstrdup("app-node-7");
	report_add_input(r, "logs/app-node-7/wrapper.log");
	report_add_input(r, "logs/app-node-7/localhost.log");
	struct handshake *h = report_add_handshake(r);
	h->peer_host = xstrdup("leafonly.partner.test");
	h->peer_port = 18458;
	h->sni = xstrdup("leafonly.partner.test");
	h->thread = xstrdup("glide.scheduler.worker.3");
	struct cert *c = handshake_add_cert(h);
	c->subject = xstrdup("CN=leafonly.partner.test, O=Partner Test, C=US");
	c->issuer = xstrdup("CN=Sift Test Issuing CA 1, O=Sift Test");
	c->serial = xstrdup("1f:f5:83:0a");
	h->missing_issuer = xstrdup(c->issuer);
	h->failure_text = xstrdup("PKIX path building failed connecting to "
				  "leafonly.partner.test/10.20.30.40:18458");
	handshake_add_evidence(h, 0, 5, "serial number: 1f:f5:83:0a", 26);
	size_t si = r->n_symptoms;
	struct symptom *s = report_add_symptom(r);
	s->file = 1;
	s->host = xstrdup("leafonly.partner.test");
	s->text = xstrdup("Request not sent to uri=https://leafonly.partner.test:"
			  "18458/api : java.net.SocketException: Socket is closed");
	s->handshake = 0;
	handshake_add_symptom(h, si);
	h = report_add_handshake(r);
	h->peer_host = xstrdup("10.20.30.40");
	h->peer_port = 443;
	r->findings = xcalloc(1, sizeof *r->findings);
	r->n_findings = 1;
	r->findings[0].peers = xcalloc(2, sizeof(char *));
	r->findings[0].peers[0] = xstrdup("leafonly.partner.test:18458");
	r->findings[0].peers[1] = xstrdup("10.20.30.40:443");
	r->findings[0].n_peers = r->findings[0].cap_peers = 2;
	return r;
}

static void test_report(void **state)
{
	(void)state;
	struct report *r = sample_report();
	redact_report(r);
	assert_true(r->redacted);
	/* Numbered in the order of the walk: the node, then the peers. */
	assert_string_equal(r->node, "host-1");
	assert_string_equal(r->inputs[0].path, "logs/host-1/wrapper.log");
	const struct handshake *h = &r->handshakes[0];
	assert_string_equal(h->peer_host, "host-2");
	assert_string_equal(h->sni, "host-2");
	assert_string_equal(h->thread, "glide.scheduler.worker.3");
	assert_string_equal(h->peer_certs[0].subject,
			    "CN=host-2, O=Partner Test, C=US");
	assert_string_equal(h->peer_certs[0].issuer,
			    "CN=Sift Test Issuing CA 1, O=Sift Test");
	assert_string_equal(h->missing_issuer, h->peer_certs[0].issuer);
	assert_string_equal(h->peer_certs[0].serial, "serial-1");
	assert_string_equal(h->evidence[0].text, "serial number: serial-1");
	assert_string_equal(h->failure_text, "PKIX path building failed "
					     "connecting to host-2/ip-1:18458");
	assert_string_equal(r->symptoms[0].host, "host-2");
	assert_string_equal(r->symptoms[0].text,
			    "Request not sent to uri=https://host-2:18458/api : "
			    "java.net.SocketException: Socket is closed");
	assert_string_equal(r->handshakes[1].peer_host, "ip-1");
	assert_string_equal(r->findings[0].peers[0], "host-2:18458");
	assert_string_equal(r->findings[0].peers[1], "ip-1:443");
	char *peer = handshake_peer_string(&r->handshakes[0]);
	assert_string_equal(peer, "host-2:18458");
	free(peer);
	report_free(&r);
}

/* The same report gives the same placeholders every time. */
static void test_report_deterministic(void **state)
{
	(void)state;
	struct report *a = sample_report(), *b = sample_report();
	redact_report(a);
	redact_report(b);
	assert_string_equal(a->handshakes[0].failure_text,
			    b->handshakes[0].failure_text);
	assert_string_equal(a->symptoms[0].text, b->symptoms[0].text);
	report_free(&a);
	report_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hosts),
		cmocka_unit_test(test_uris),
		cmocka_unit_test(test_addresses),
		cmocka_unit_test(test_not_names),
		cmocka_unit_test(test_serials),
		cmocka_unit_test(test_stable),
		cmocka_unit_test(test_report),
		cmocka_unit_test(test_report_deterministic),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
