/* test_assemble.c - handshakes and certificate chains assembled from each
 * log shape: JDK 11+ TLS 1.2 and 1.3 Certificate messages, the classic
 * JDK 8 chain block, our own chain and trusted-certificate blocks that
 * must not be taken for the peer's, a block cut by the end of the log,
 * interleaved threads, and symptoms tied across files.  The logs are small
 * and written here in each documented format, driven through the real
 * pipeline (envelopes, pattern files, assembler, correlation). */
#include "config.h"
#include "testutil.h"

#include "model.h"
#include "patterns.h"
#include "pipeline.h"

#define HDR(thr, time, src) \
	"javax.net.ssl|DEBUG|0C|" thr "|2026-11-21 10:11:" time " UTC|" src "|"

#define CLIENT_HELLO(thr, time, host)                                        \
	HDR(thr, time, "ClientHello.java:641") "Produced ClientHello handshake message (\n" \
	"\"ClientHello\": {\n"                                                \
	"  \"extensions\"          : [\n"                                     \
	"    \"server_name (0)\": {\n"                                        \
	"      type=host_name (0), value=" host "\n"                          \
	"    },\n"                                                            \
	"  ]\n"                                                               \
	"}\n"                                                                 \
	")\n"

#define SERVER_HELLO(thr, time)                                              \
	HDR(thr, time, "ServerHello.java:888") "Consuming ServerHello handshake message (\n" \
	"\"ServerHello\": {\n"                                                \
	"  \"cipher suite\"        : \"TLS_AES_128_GCM_SHA256(0x1301)\",\n"   \
	"}\n"                                                                 \
	")\n"                                                                 \
	HDR(thr, time, "ServerHello.java:990") "Negotiated protocol version: TLSv1.3\n"

#define CERT13(subject, issuer)                                     \
	"  {\n"                                                      \
	"    \"certificate\" : {\n"                                  \
	"      \"version\"            : \"v3\",\n"                   \
	"      \"serial number\"      : \"01:02:03\",\n"             \
	"      \"issuer\"             : \"" issuer "\",\n"           \
	"      \"not before\"         : \"2026-01-01 00:00:00.000 UTC\",\n" \
	"      \"not  after\"         : \"2027-01-01 00:00:00.000 UTC\",\n" \
	"      \"subject\"            : \"" subject "\",\n"          \
	"      \"extensions\"         : [\n"                         \
	"        {\n"                                                \
	"          ObjectId: 2.5.29.19 Criticality=true\n"           \
	"        }\n"                                                \
	"      ]}\n"                                                 \
	"    \"extensions\": {\n"                                    \
	"      <no extension>\n"                                     \
	"    }\n"                                                    \
	"  },\n"

#define PEER_CERT13_BEGIN(thr, time)                                          \
	HDR(thr, time, "CertificateMessage.java:1172")                        \
	"Consuming server Certificate handshake message (\n"                  \
	"\"Certificate\": {\n"                                                \
	"  \"certificate_request_context\": \"\",\n"                          \
	"  \"certificate_list\": [  \n"
#define CERT13_END "]\n}\n)\n"

#define FATAL_PKIX(thr, time)                                                 \
	"javax.net.ssl|ERROR|0C|" thr "|2026-11-21 10:11:" time " UTC|TransportContext.java:361|" \
	"Fatal (CERTIFICATE_UNKNOWN): PKIX path building failed: "            \
	"sun.security.provider.certpath.SunCertPathBuilderException: unable " \
	"to find valid certification path to requested target (\n"            \
	"\"throwable\" : {\n"                                                 \
	"  javax.net.ssl.SSLHandshakeException: PKIX path building failed\n"  \
	"  \tat java.base/sun.security.ssl.Alert.createSSLException(Alert.java:131)\n" \
	"}\n"                                                                 \
	")\n"

#define LEAF "CN=api.partner.test, O=Partner"
#define INT "CN=Partner Issuing CA, O=Partner"
#define ROOT "CN=Partner Root, O=Partner"

static struct patterns *pat;

static int setup(void **state)
{
	struct ss_err err = {{0}};
	pat = patterns_load_dir(srcpath("patterns"), &err);
	if (!pat)
		fprintf(stderr, "%s\n", err.msg);
	return pat ? 0 : -1;
}

static int teardown(void **state)
{
	patterns_free(&pat);
	return 0;
}

/* Runs the pipeline over one or more named in-memory logs. */
static struct report *run(size_t n, const char *const *names,
			  const char *const *texts)
{
	struct ss_err err = {{0}};
	struct pipeline *pl = pipeline_new(pat, NULL, &err);
	assert_non_null(pl);
	for (size_t i = 0; i < n; i++)
		pipeline_feed_mem(pl, names[i], texts[i], strlen(texts[i]));
	struct report *r = pipeline_finish(pl);
	pipeline_free(&pl);
	return r;
}

static struct report *run1(const char *text)
{
	const char *name = "test.log";
	return run(1, &name, &text);
}

static void test_tls13_leaf_only(void **state)
{
	struct report *r = run1(
		CLIENT_HELLO("worker.3", "12.100", "api.partner.test")
		SERVER_HELLO("worker.3", "12.200")
		PEER_CERT13_BEGIN("worker.3", "12.300") CERT13(LEAF, INT) CERT13_END
		FATAL_PKIX("worker.3", "12.400"));
	assert_int_equal(r->n_handshakes, 1);
	struct handshake *h = &r->handshakes[0];
	assert_int_equal(h->role, ROLE_CLIENT);
	assert_string_equal(h->thread, "worker.3");
	assert_string_equal(h->peer_host, "api.partner.test");
	assert_string_equal(h->tls_version, "TLSv1.3");
	assert_string_equal(h->cipher, "TLS_AES_128_GCM_SHA256");
	assert_int_equal(h->line, 1);
	assert_int_equal(h->outcome, OUTCOME_FAILED);
	assert_true(h->pkix_failed);
	assert_string_equal(h->alert_sent, "certificate_unknown");
	assert_int_equal(h->peer_certs_state, CERTS_CAPTURED);
	assert_int_equal(h->n_peer_certs, 1);
	assert_string_equal(h->peer_certs[0].subject, LEAF);
	assert_string_equal(h->peer_certs[0].issuer, INT);
	assert_string_equal(h->peer_certs[0].not_before, "2026-01-01 00:00:00.000 UTC");
	assert_string_equal(h->peer_certs[0].not_after, "2027-01-01 00:00:00.000 UTC");
	assert_int_equal(h->chain, CHAIN_LEAF_ONLY);
	assert_int_equal(h->diagnosis, DIAG_LEAF_ONLY_CHAIN);
	assert_string_equal(h->missing_issuer, INT);
	assert_true(h->n_evidence >= 2);
	report_free(&r);
}

static void test_tls12_chain_and_finished(void **state)
{
	struct report *r = run1(
		CLIENT_HELLO("main", "12.100", "ok.partner.test")
		HDR("main", "12.200", "CertificateMessage.java:366")
		"Consuming server Certificate handshake message (\n"
		"\"Certificates\": [\n"
		"  \"certificate\" : {\n"
		"    \"issuer\"             : \"" INT "\",\n"
		"    \"not before\"         : \"2026-01-01 00:00:00.000 UTC\",\n"
		"    \"not  after\"         : \"2027-01-01 00:00:00.000 UTC\",\n"
		"    \"subject\"            : \"" LEAF "\",\n"
		"    ]},\n"
		"  \"certificate\" : {\n"
		"    \"issuer\"             : \"" ROOT "\",\n"
		"    \"subject\"            : \"" INT "\",\n"
		"    ]}\n"
		"]\n"
		")\n"
		HDR("main", "12.300", "Finished.java:396") "Produced client Finished handshake message (\n"
		"\"Finished\": {\n  \"verify data\": {\n  }\n}\n)\n"
		HDR("main", "12.400", "Finished.java:548") "Consuming server Finished handshake message (\n"
		"\"Finished\": {\n}\n)\n");
	assert_int_equal(r->n_handshakes, 1);
	struct handshake *h = &r->handshakes[0];
	assert_int_equal(h->n_peer_certs, 2);
	assert_string_equal(h->peer_certs[1].subject, INT);
	assert_int_equal(h->outcome, OUTCOME_OK);
	assert_int_equal(h->chain, CHAIN_COMPLETE);
	assert_int_equal(h->diagnosis, DIAG_OK);
	report_free(&r);
}

/* Our own Certificate message and a trusted-certificate block carry the
 * same fields; neither is the peer's chain. */
static void test_own_and_trusted_blocks_ignored(void **state)
{
	struct report *r = run1(
		CLIENT_HELLO("main", "12.100", "mtls.partner.test")
		PEER_CERT13_BEGIN("main", "12.200") CERT13(LEAF, INT) CERT13(INT, ROOT) CERT13_END
		HDR("main", "12.300", "X509TrustManagerImpl.java:242") "Found trusted certificate (\n"
		"\"certificate\" : {\n"
		"  \"issuer\"             : \"" ROOT "\",\n"
		"  \"subject\"            : \"" ROOT "\",\n"
		"}\n)\n"
		HDR("main", "12.400", "CertificateMessage.java:1000")
		"Produced client Certificate handshake message (\n"
		"\"Certificate\": {\n  \"certificate_list\": [  \n"
		CERT13("CN=our-client, O=Us", "CN=Our CA, O=Us") CERT13_END);
	struct handshake *h = &r->handshakes[0];
	assert_int_equal(r->n_handshakes, 1);
	assert_int_equal(h->n_peer_certs, 2);
	assert_string_equal(h->peer_certs[0].subject, LEAF);
	assert_string_equal(h->peer_certs[1].subject, INT);
	assert_int_equal(h->chain, CHAIN_COMPLETE);
	assert_int_equal(h->outcome, OUTCOME_UNKNOWN);
	report_free(&r);
}

static void test_cut_block(void **state)
{
	struct report *r = run1(
		CLIENT_HELLO("main", "12.100", "cut.partner.test")
		PEER_CERT13_BEGIN("main", "12.200")
		"  {\n    \"certificate\" : {\n"
		"      \"issuer\"             : \"" INT "\",\n");
	struct handshake *h = &r->handshakes[0];
	assert_int_equal(h->peer_certs_state, CERTS_CUT);
	assert_int_equal(h->chain, CHAIN_NOT_CAPTURED);
	assert_int_equal(h->outcome, OUTCOME_UNKNOWN);
	assert_int_equal(h->diagnosis, DIAG_OK);
	report_free(&r);
}

/* Two threads whose records alternate, each wrapped by the Tanuki wrapper. */
static void test_interleaved_threads_in_wrapper(void **state)
{
	static const char *const lines[] = {
		CLIENT_HELLO("worker.1", "12.100", "bad.partner.test"),
		CLIENT_HELLO("worker.2", "12.110", "good.partner.test"),
		PEER_CERT13_BEGIN("worker.2", "12.200") CERT13(LEAF, INT) CERT13(INT, ROOT) CERT13_END,
		PEER_CERT13_BEGIN("worker.1", "12.210") CERT13(LEAF, INT) CERT13_END,
		HDR("worker.2", "12.300", "Finished.java:917") "Consuming server Finished handshake message (\n{\n}\n)\n",
		FATAL_PKIX("worker.1", "12.310"),
		HDR("worker.2", "12.400", "Finished.java:687") "Produced client Finished handshake message (\n{\n}\n)\n",
	};
	struct strbuf b = {0};
	for (size_t i = 0; i < SS_ARRAY_LEN(lines); i++) {
		const char *p = lines[i];
		while (*p) {
			const char *nl = strchr(p, '\n');
			sb_printf(&b, "INFO   | jvm 1    | 2026/11/21 10:11:12.%03zu | %.*s\n",
				  i * 100, (int)(nl - p), p);
			p = nl + 1;
		}
	}
	struct report *r = run1(b.p);
	sb_free(&b);
	assert_int_equal(r->n_handshakes, 2);
	struct handshake *bad = &r->handshakes[0], *good = &r->handshakes[1];
	assert_string_equal(bad->thread, "worker.1");
	assert_string_equal(bad->peer_host, "bad.partner.test");
	assert_int_equal(bad->n_peer_certs, 1);
	assert_int_equal(bad->diagnosis, DIAG_LEAF_ONLY_CHAIN);
	assert_string_equal(good->peer_host, "good.partner.test");
	assert_int_equal(good->n_peer_certs, 2);
	assert_int_equal(good->outcome, OUTCOME_OK);
	assert_true(good->ts_start != TS_NONE);
	report_free(&r);
}

/* Thousands of threads: the least recently used slots are forgotten (the
 * cost per line stays flat), the ones in use are not. */
static void test_many_threads(void **state)
{
	struct strbuf b = {0};
	sb_puts(&b, CLIENT_HELLO("keeper", "12.000", "kept.partner.test"));
	char thr[32];
	for (int i = 0; i < 3000; i++) {
		snprintf(thr, sizeof thr, "pool-%d", i);
		sb_printf(&b, HDR("%s", "12.100", "ClientHello.java:641")
			  "Produced ClientHello handshake message (\n"
			  "      type=host_name (0), value=p%d.partner.test\n)\n",
			  thr, i);
		if (i % 100 == 0)   /* keeper stays in use */
			sb_puts(&b, HDR("keeper", "12.150", "SSLExtensions.java:1")
				"Ignore unavailable extension: x\n");
	}
	sb_puts(&b, PEER_CERT13_BEGIN("keeper", "12.200") CERT13(LEAF, INT)
		CERT13(INT, ROOT) CERT13_END
		HDR("keeper", "12.300", "Finished.java:917")
		"Consuming server Finished handshake message (\n)\n"
		HDR("keeper", "12.400", "Finished.java:687")
		"Produced client Finished handshake message (\n)\n");
	struct report *r = run1(b.p);
	sb_free(&b);
	assert_int_equal(r->n_handshakes, 3001);
	struct handshake *k = &r->handshakes[0];
	assert_string_equal(k->peer_host, "kept.partner.test");
	assert_int_equal(k->n_peer_certs, 2);
	assert_int_equal(k->outcome, OUTCOME_OK);
	assert_string_equal(r->handshakes[3000].peer_host, "p2999.partner.test");
	report_free(&r);
}

/* One field cannot cost more than a couple of KiB, whatever the line. */
static void test_field_capped(void **state)
{
	size_t big = 100000;
	char *subject = xmalloc(big + 1);
	memset(subject, 'S', big);
	subject[big] = '\0';
	struct strbuf b = {0};
	sb_puts(&b, CLIENT_HELLO("main", "12.100", "big.partner.test")
		PEER_CERT13_BEGIN("main", "12.200"));
	sb_printf(&b, "  {\n    \"certificate\" : {\n"
		  "      \"subject\"            : \"CN=%s\",\n    }\n  },\n", subject);
	sb_puts(&b, CERT13_END);
	free(subject);
	struct report *r = run1(b.p);
	sb_free(&b);
	assert_int_equal(r->n_handshakes, 1);
	assert_int_equal(r->handshakes[0].n_peer_certs, 1);
	size_t n = strlen(r->handshakes[0].peer_certs[0].subject);
	assert_true(n > 1000 && n <= 4096);
	report_free(&r);
}

static void test_classic_jdk8(void **state)
{
	struct report *r = run1(
		"%% No cached client session\n"
		"*** ClientHello, TLSv1.2\n"
		"Extension server_name, server_name: [type=host_name (0), value=legacy.partner.test]\n"
		"***\n"
		"main, WRITE: TLSv1.2 Handshake, length = 200\n"
		"main, READ: TLSv1.2 Handshake, length = 1500\n"
		"*** ServerHello, TLSv1.2\n"
		"Cipher Suite: TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256\n"
		"***\n"
		"*** Certificate chain\n"
		"chain [0] = [\n"
		"[\n"
		"  Version: V3\n"
		"  Subject: " LEAF "\n"
		"  Signature Algorithm: SHA256withRSA, OID = 1.2.840.113549.1.1.11\n"
		"\n"
		"  Validity: [From: Thu Jan 01 00:00:00 UTC 2026,\n"
		"               To: Fri Jan 01 00:00:00 UTC 2027]\n"
		"  Issuer: " INT "\n"
		"  SerialNumber: [    0a1b2c]\n"
		"]\n"
		"***\n"
		"main, SEND TLSv1.2 ALERT:  fatal, description = certificate_unknown\n"
		"main, WRITE: TLSv1.2 Alert, length = 2\n"
		"main, handling exception: javax.net.ssl.SSLHandshakeException: "
		"sun.security.validator.ValidatorException: PKIX path building failed\n");
	assert_int_equal(r->n_handshakes, 1);
	struct handshake *h = &r->handshakes[0];
	assert_int_equal(h->role, ROLE_CLIENT);
	assert_string_equal(h->thread, "main");
	assert_string_equal(h->peer_host, "legacy.partner.test");
	assert_string_equal(h->tls_version, "TLSv1.2");
	assert_int_equal(h->n_peer_certs, 1);
	assert_string_equal(h->peer_certs[0].subject, LEAF);
	assert_string_equal(h->peer_certs[0].issuer, INT);
	assert_string_equal(h->peer_certs[0].not_before, "Thu Jan 01 00:00:00 UTC 2026");
	assert_string_equal(h->peer_certs[0].not_after, "Fri Jan 01 00:00:00 UTC 2027");
	assert_int_equal(h->outcome, OUTCOME_FAILED);
	assert_int_equal(h->diagnosis, DIAG_LEAF_ONLY_CHAIN);
	report_free(&r);
}

static void test_symptoms_across_files(void **state)
{
	const char *names[] = {"wrapper.log", "localhost_log.txt"};
	const char *texts[] = {
		"INFO   | jvm 1    | 2026/11/21 10:11:12.100 | " HDR("glide.worker.3", "12.100", "ClientHello.java:641")
		"Produced ClientHello handshake message (\n"
		"INFO   | jvm 1    | 2026/11/21 10:11:12.100 | )\n"
		"INFO   | jvm 1    | 2026/11/21 10:11:12.400 | " HDR("glide.worker.3", "12.400", "TransportContext.java:361")
		"Fatal (CERTIFICATE_UNKNOWN): PKIX path building failed: x\n",
		"2026-11-21 10:11:12 (500) glide.worker.3 ABCDEF txid=1234 SEVERE *** ERROR *** "
		"javax.net.ssl.SSLHandshakeException: PKIX path building failed: x\n"
		"2026-11-21 10:11:12 (510) glide.worker.3 ABCDEF txid=1234 DBKeyStoreSocketFactory "
		"DEBUG: Unable to collect telemetry data for certificate. Exception: peer not authenticated\n"
		"2026-11-21 10:11:12 (520) glide.worker.3 ABCDEF txid=1234 WARNING *** WARNING *** "
		"Request not sent to uri=https://api.partner.test:8443/x : java.net.SocketException: Socket is closed\n"
		"2026-11-21 10:15:00 (000) glide.worker.9 ABCDEF txid=9 WARNING *** WARNING *** "
		"Request not sent to uri=https://other.partner.test/x : java.net.SocketException: Socket is closed\n",
	};
	struct report *r = run(2, names, texts);
	assert_int_equal(r->n_symptoms, 4);
	assert_int_equal(r->n_handshakes, 2);
	struct handshake *h = &r->handshakes[0];
	assert_int_equal(h->n_symptoms, 3);
	assert_int_equal(h->peer_port, 8443); /* learnt from the symptom */
	assert_int_equal(r->symptoms[h->symptoms[0]].file, 1);
	assert_int_equal(r->symptoms[0].kind, SYM_SSL_HANDSHAKE_EXCEPTION);
	assert_int_equal(r->symptoms[1].kind, SYM_PEER_NOT_AUTHENTICATED);
	assert_int_equal(r->symptoms[2].kind, SYM_SOCKET_CLOSED);
	assert_int_equal(h->diagnosis, DIAG_TRUST_PATH_FAILED);
	/* the unexplained one is still reported */
	struct handshake *u = &r->handshakes[1];
	assert_int_equal(u->chain, CHAIN_NOT_CAPTURED);
	assert_string_equal(u->peer_host, "other.partner.test");
	assert_int_equal(u->diagnosis, DIAG_HANDSHAKE_FAILED);
	report_free(&r);
}

static void test_caused_by_is_one_symptom(void **state)
{
	struct report *r = run1(
		"javax.net.ssl.SSLHandshakeException: Received fatal alert: handshake_failure\n"
		"\tat sun.security.ssl.Alert.createSSLException(Alert.java:131)\n"
		"Caused by: sun.security.validator.ValidatorException: PKIX path building failed\n"
		"\t... 12 more\n");
	assert_int_equal(r->n_symptoms, 1);
	assert_true(r->symptoms[0].pkix);
	assert_int_equal(r->n_handshakes, 1);
	assert_int_equal(r->handshakes[0].diagnosis, DIAG_TRUST_PATH_FAILED);
	report_free(&r);
}

static void test_hello_retry_is_one_handshake(void **state)
{
	struct report *r = run1(
		CLIENT_HELLO("main", "12.100", "hrr.partner.test")
		HDR("main", "12.200", "ServerHello.java:870") "Consuming HelloRetryRequest handshake message (\n{\n}\n)\n"
		CLIENT_HELLO("main", "12.300", "hrr.partner.test")
		HDR("main", "12.400", "Finished.java:917") "Consuming server Finished handshake message (\n{\n}\n)\n"
		HDR("main", "12.500", "Finished.java:687") "Produced client Finished handshake message (\n{\n}\n)\n"
		CLIENT_HELLO("main", "13.000", "next.partner.test"));
	assert_int_equal(r->n_handshakes, 2);
	assert_int_equal(r->handshakes[0].outcome, OUTCOME_OK);
	assert_true(r->handshakes[0].hello_retry);
	assert_string_equal(r->handshakes[1].peer_host, "next.partner.test");
	report_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tls13_leaf_only),
		cmocka_unit_test(test_tls12_chain_and_finished),
		cmocka_unit_test(test_own_and_trusted_blocks_ignored),
		cmocka_unit_test(test_cut_block),
		cmocka_unit_test(test_interleaved_threads_in_wrapper),
		cmocka_unit_test(test_many_threads),
		cmocka_unit_test(test_field_capped),
		cmocka_unit_test(test_classic_jdk8),
		cmocka_unit_test(test_symptoms_across_files),
		cmocka_unit_test(test_caused_by_is_one_symptom),
		cmocka_unit_test(test_hello_retry_is_one_handshake),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
