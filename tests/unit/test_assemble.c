/* test_assemble.c - handshakes and certificate chains assembled from each
 * log shape: JDK 11+ TLS 1.2 and 1.3 Certificate messages, the classic
 * JDK 8 chain block, our own chain and trusted-certificate blocks that
 * must not be taken for the peer's, a block cut by the end of the log,
 * interleaved threads, and symptoms tied across files.  The logs are small
 * and written here in each documented format, driven through the real
 * pipeline (envelopes, pattern files, assembler, correlation). */
#include "config.h"
#include "testutil.h"

#include "diagnosis.h"
#include "model.h"
#include "patterns.h"
#include "pipeline.h"
#include "util.h"

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

/* The JDK's HttpClient runs a connection's SSLEngine tasks on whichever
 * pool thread is free: the ServerHello, the chain and the failure come
 * from other threads than the ClientHello.  With one handshake in
 * flight, they are its records. */
static void test_handshake_hops_threads(void **state)
{
	struct report *r = run1(
		CLIENT_HELLO("HttpClient-1-Worker-0", "12.100", "api.partner.test")
		SERVER_HELLO("HttpClient-1-Worker-1", "12.200")
		PEER_CERT13_BEGIN("HttpClient-1-Worker-2", "12.300")
		CERT13(LEAF, INT) CERT13_END
		FATAL_PKIX("HttpClient-1-Worker-1", "12.400"));
	assert_int_equal(r->n_handshakes, 1);
	struct handshake *h = &r->handshakes[0];
	assert_string_equal(h->thread, "HttpClient-1-Worker-0");
	assert_string_equal(h->peer_host, "api.partner.test");
	assert_string_equal(h->tls_version, "TLSv1.3");
	assert_int_equal(h->n_peer_certs, 1);
	assert_int_equal(h->outcome, OUTCOME_FAILED);
	assert_int_equal(h->diagnosis, DIAG_LEAF_ONLY_CHAIN);
	report_free(&r);
}

/* With two handshakes in flight, a thread's ServerHello could be either
 * one's: it starts its own, and neither is given records not its own. */
static void test_hop_between_two_in_flight_not_guessed(void **state)
{
	struct report *r = run1(
		CLIENT_HELLO("HttpClient-1-Worker-0", "12.100", "api.partner.test")
		CLIENT_HELLO("HttpClient-1-Worker-2", "12.150", "ok.partner.test")
		SERVER_HELLO("HttpClient-1-Worker-1", "12.200")
		PEER_CERT13_BEGIN("HttpClient-1-Worker-1", "12.300")
		CERT13(LEAF, INT) CERT13_END);
	assert_int_equal(r->n_handshakes, 3);
	assert_int_equal(r->handshakes[0].n_peer_certs, 0);
	assert_int_equal(r->handshakes[1].n_peer_certs, 0);
	assert_string_equal(r->handshakes[2].thread, "HttpClient-1-Worker-1");
	assert_int_equal(r->handshakes[2].n_peer_certs, 1);
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

/* A logger's line names the thread; the exception it printed under it
 * (maybe after a blank line) names none: one failure, not two.  Two
 * loggers' lines, each with a thread, stay two. */
static void test_logger_line_and_its_exception(void **state)
{
	struct report *r = run1(
		"2024-03-12 09:08:03,014 ERROR [exec-7] com.example.Client - "
		"Call failed: javax.net.ssl.SSLHandshakeException: PKIX path "
		"building failed\n"
		"javax.net.ssl.SSLHandshakeException: PKIX path building failed\n"
		"\tat sun.security.ssl.Alert.createSSLException(Alert.java:131)\n"
		"Caused by: sun.security.validator.ValidatorException: PKIX path "
		"building failed\n"
		"2024-03-12 09:08:04,000 ERROR [exec-8] o.a.c.c.C - threw "
		"exception [I/O error: PKIX path building failed] with root "
		"cause\n"
		"\n"
		"sun.security.provider.certpath.SunCertPathBuilderException: "
		"unable to find valid certification path to requested target\n"
		"2024-03-12 09:08:09,000 ERROR [exec-9] com.example.Client - "
		"javax.net.ssl.SSLHandshakeException: PKIX path building failed\n"
		"2024-03-12 09:08:09,001 ERROR [exec-9] com.example.Client - "
		"javax.net.ssl.SSLHandshakeException: PKIX path building failed\n");
	assert_int_equal(r->n_symptoms, 4);
	assert_string_equal(r->symptoms[0].thread, "exec-7");
	assert_int_equal(r->symptoms[0].line, 1);
	assert_string_equal(r->symptoms[1].thread, "exec-8");
	assert_true(r->symptoms[1].pkix);
	assert_int_equal(r->symptoms[1].line, 5);
	assert_int_equal(r->symptoms[2].line, 8);
	assert_int_equal(r->symptoms[3].line, 9);
	report_free(&r);
	/* without a thread on the line above, a bare exception line is one
	 * of its own */
	r = run1("javax.net.ssl.SSLHandshakeException: PKIX path building failed\n"
		 "javax.net.ssl.SSLHandshakeException: PKIX path building failed\n");
	assert_int_equal(r->n_symptoms, 2);
	report_free(&r);
}

/* Clients other than ServiceNow's name the endpoint on the exception's
 * line in their own words. */
static void test_endpoint_in_client_words(void **state)
{
	static const struct {
		const char *line, *host;
		int port;
	} cases[] = {
		{"ERROR [exec-1] o.a.c.c.C - Request processing failed; nested "
		 "exception is org.springframework.web.client.ResourceAccess"
		 "Exception: I/O error on POST request for \"https://api.partner"
		 ".test:8443/v1/orders\": PKIX path building failed; nested "
		 "exception is javax.net.ssl.SSLHandshakeException: PKIX path "
		 "building failed\n", "api.partner.test", 8443},
		{"Caused by: javax.net.ssl.SSLHandshakeException: "
		 "SSLHandshakeException invoking https://login.partner.test/"
		 "services/Soap: PKIX path building failed\n",
		 "login.partner.test", 0},
		{"WARN [pool-2-thread-1] o.a.h.i.e.RetryExec - I/O exception "
		 "(javax.net.ssl.SSLHandshakeException) caught when processing "
		 "request to {s}->https://legacy.partner.test:443: No appropriate "
		 "protocol\n", "legacy.partner.test", 443},
	};
	for (size_t i = 0; i < SS_ARRAY_LEN(cases); i++) {
		struct report *r = run1(cases[i].line);
		assert_int_equal(r->n_symptoms, 1);
		assert_non_null(r->symptoms[0].host);
		assert_string_equal(r->symptoms[0].host, cases[i].host);
		assert_int_equal(r->symptoms[0].port, cases[i].port);
		report_free(&r);
	}
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


/* ---- client authentication, names, alerts (issue 3) ----------------------- */

#define HDRL(level, thr, time, src) \
	"javax.net.ssl|" level "|0C|" thr "|2026-11-21 10:11:" time " UTC|" src "|"

#define CERT12(subject, issuer, san)                                         \
	"  \"certificate\" : {\n"                                             \
	"    \"issuer\"             : \"" issuer "\",\n"                      \
	"    \"not before\"         : \"2026-01-01 00:00:00.000 UTC\",\n"     \
	"    \"not  after\"         : \"2027-01-01 00:00:00.000 UTC\",\n"     \
	"    \"subject\"            : \"" subject "\",\n"                     \
	"    \"extensions\"         : [\n"                                    \
	"      {\n"                                                           \
	"        ObjectId: 2.5.29.18 Criticality=false\n"                     \
	"        IssuerAlternativeName [\n"                                   \
	"          DNSName: issuer-alt.partner.test\n"                        \
	"        ]\n"                                                         \
	"      },\n"                                                          \
	"      {\n"                                                           \
	"        ObjectId: 2.5.29.17 Criticality=false\n"                     \
	"        SubjectAlternativeName [\n"                                  \
	san                                                                   \
	"        ]\n"                                                         \
	"      },\n"                                                          \
	"      {\n"                                                           \
	"        ObjectId: 2.5.29.32 Criticality=false\n"                     \
	"          DNSName: not-a-san.partner.test\n"                         \
	"      }\n"                                                           \
	"    ]}"

#define PEER_CERT12(thr, time, certs)                                        \
	HDR(thr, time, "CertificateMessage.java:366")                         \
	"Consuming server Certificate handshake message (\n"                  \
	"\"Certificates\": [\n" certs "\n]\n)\n"

#define ALERT_RECORD(thr, time, level, desc)                                 \
	HDR(thr, time, "Alert.java:238") "Received alert message (\n"         \
	"\"Alert\": {\n"                                                      \
	"  \"level\"      : \"" level "\",\n"                                 \
	"  \"description\": \"" desc "\"\n"                                   \
	"}\n"                                                                 \
	")\n"

#define FINISHED13(thr)                                                      \
	HDR(thr, "12.500", "Finished.java:917")                               \
	"Consuming server Finished handshake message (\n{\n}\n)\n"            \
	HDR(thr, "12.510", "Finished.java:687")                               \
	"Produced client Finished handshake message (\n{\n}\n)\n"

/* The SubjectAlternativeName names of each certificate, not those of other
 * extensions (IssuerAlternativeName, a DNSName elsewhere). */
static void test_san_names(void **state)
{
	struct report *r = run1(
		CLIENT_HELLO("main", "12.100", "api.partner.test")
		PEER_CERT12("main", "12.200",
			CERT12(LEAF, INT,
			       "          DNSName: api-old.partner.test\n"
			       "          DNSName: legacy.partner.test\n"
			       "          IPAddress: 10.0.0.5\n") ",\n"
			CERT12(INT, ROOT, ""))
		"javax.net.ssl|ERROR|0C|main|2026-11-21 10:11:12.300 UTC|TransportContext.java:361|"
		"Fatal (CERTIFICATE_UNKNOWN): No subject alternative DNS name matching "
		"api.partner.test found.\n");
	struct handshake *h = &r->handshakes[0];
	assert_int_equal(h->n_peer_certs, 2);
	assert_int_equal(h->peer_certs[0].n_names, 3);
	assert_string_equal(h->peer_certs[0].names[0], "api-old.partner.test");
	assert_string_equal(h->peer_certs[0].names[1], "legacy.partner.test");
	assert_string_equal(h->peer_certs[0].names[2], "10.0.0.5");
	assert_int_equal(h->peer_certs[1].n_names, 0);
	assert_string_equal(h->d.name_checked, "api.partner.test");
	assert_int_equal(h->diagnosis, DIAG_HOSTNAME_MISMATCH);
	assert_false(h->d.alert_by_peer);
	assert_string_equal(h->d.alert, "certificate_unknown");
	report_free(&r);
}

static void test_classic_san_and_ca_list(void **state)
{
	struct report *r = run1(
		"*** ClientHello, TLSv1.2\n"
		"***\n"
		"main, WRITE: TLSv1.2 Handshake, length = 200\n"
		"main, READ: TLSv1.2 Handshake, length = 1500\n"
		"*** ServerHello, TLSv1.2\n"
		"Cipher Suite: TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256\n"
		"***\n"
		"*** Certificate chain\n"
		"chain [0] = [\n"
		"[\n"
		"  Subject: " LEAF "\n"
		"  Issuer: " INT "\n"
		"[1]: ObjectId: 2.5.29.17 Criticality=false\n"
		"SubjectAlternativeName [\n"
		"  DNSName: api.partner.test\n"
		"]\n"
		"]\n"
		"***\n"
		"*** CertificateRequest\n"
		"Cert Types: RSA, DSS, ECDSA\n"
		"Cert Authorities:\n"
		"<CN=Client Root, O=Partner>\n"
		"<CN=Other Client CA, OU=PKI, O=Other>\n"
		"*** ServerHelloDone\n"
		"Warning: no suitable certificate found - continuing without client authentication\n"
		"*** Certificate chain\n"
		"<Empty>\n"
		"***\n"
		"main, RECV TLSv1.2 ALERT:  fatal, bad_certificate\n"
		"main, handling exception: javax.net.ssl.SSLHandshakeException: Received fatal alert: bad_certificate\n");
	assert_int_equal(r->n_handshakes, 1);
	struct handshake *h = &r->handshakes[0];
	assert_string_equal(h->cipher, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
	assert_int_equal(h->n_peer_certs, 1);
	assert_int_equal(h->peer_certs[0].n_names, 1);
	assert_string_equal(h->peer_certs[0].names[0], "api.partner.test");
	assert_true(h->d.cert_requested);
	assert_int_equal(h->d.authorities.n, 2);
	assert_string_equal(h->d.authorities.v[0], "CN=Client Root, O=Partner");
	assert_string_equal(h->d.authorities.v[1], "CN=Other Client CA, OU=PKI, O=Other");
	assert_int_equal(h->d.own_cert, OWN_CERT_EMPTY);
	assert_true(h->d.alert_by_peer);
	assert_string_equal(h->d.alert, "bad_certificate");
	assert_int_equal(h->diagnosis, DIAG_CLIENT_CERT_NOT_SENT);
	report_free(&r);
}

/* TLS 1.2: the CA list is List.toString() on one line; TLS 1.3: one DN a
 * line, the "]" glued to the last. */
static void test_cert_request_ca_lists(void **state)
{
	struct report *r = run1(
		CLIENT_HELLO("t12", "12.100", "a.partner.test")
		HDR("t12", "12.200", "CertificateRequest.java:696")
		"Consuming CertificateRequest handshake message (\n"
		"\"CertificateRequest\": {\n"
		"  \"certificate types\": [rsa_sign, dss_sign, ecdsa_sign]\n"
		"  \"certificate authorities\": [CN=Client Root, O=\"Partner, Inc.\", C=US, "
		"CN=Client CA 2, O=Partner, OU=Extra]\n"
		"}\n)\n"
		CLIENT_HELLO("t13", "12.300", "b.partner.test")
		HDR("t13", "12.400", "CertificateRequest.java:979")
		"Consuming CertificateRequest handshake message (\n"
		"\"CertificateRequest\": {\n"
		"  \"certificate_request_context\": \"\",\n"
		"  \"extensions\": [\n"
		"    \"certificate_authorities (47)\": {\n"
		"      \"certificate authorities\": [\n"
		"        CN=Client Root, O=Partner\n"
		"        CN=Client CA 2, O=Partner]\n"
		"    }\n"
		"  ]\n"
		"}\n)\n"
		CLIENT_HELLO("none", "12.500", "c.partner.test")
		HDR("none", "12.600", "CertificateRequest.java:696")
		"Consuming CertificateRequest handshake message (\n"
		"\"CertificateRequest\": {\n"
		"  \"certificate authorities\": []\n"
		"}\n)\n"
		/* the same key in a ClientHello is not a request's list */
		HDR("none", "12.700", "ClientHello.java:641") "Produced ClientHello handshake message (\n"
		"  \"certificate authorities\": [CN=Not A Request]\n)\n");
	assert_int_equal(r->n_handshakes, 4);
	struct handshake *a = &r->handshakes[0], *b = &r->handshakes[1];
	struct handshake *c = &r->handshakes[2], *d = &r->handshakes[3];
	assert_int_equal(a->d.authorities.n, 2);
	assert_string_equal(a->d.authorities.v[0], "CN=Client Root, O=\"Partner, Inc.\", C=US");
	assert_string_equal(a->d.authorities.v[1], "CN=Client CA 2, O=Partner, OU=Extra");
	assert_int_equal(b->d.authorities.n, 2);
	assert_string_equal(b->d.authorities.v[0], "CN=Client Root, O=Partner");
	assert_string_equal(b->d.authorities.v[1], "CN=Client CA 2, O=Partner");
	assert_true(c->d.cert_requested);
	assert_int_equal(c->d.authorities.n, 0);
	assert_false(d->d.cert_requested);
	assert_int_equal(d->d.authorities.n, 0);
	report_free(&r);
}

/* Our own Certificate message: empty in TLS 1.2 and 1.3, or with our
 * certificate, whose subject is kept (and never taken for the peer's). */
static void test_own_certificate(void **state)
{
	struct report *r = run1(
		CLIENT_HELLO("e12", "12.100", "a.partner.test")
		HDR("e12", "12.200", "CertificateMessage.java:299")
		"No X.509 certificate for client authentication, use empty Certificate message instead\n"
		HDR("e12", "12.210", "CertificateMessage.java:330")
		"Produced client Certificate handshake message (\n"
		"\"Certificates\": <empty list>\n)\n"
		CLIENT_HELLO("e13", "12.300", "b.partner.test")
		HDR("e13", "12.400", "CertificateMessage.java:1134")
		"Produced client Certificate message (\n"
		"\"Certificate\": {\n  \"certificate_request_context\": \"\",\n"
		"  \"certificate_list\": [  \n]\n}\n)\n"
		CLIENT_HELLO("s13", "12.500", "c.partner.test")
		HDR("s13", "12.600", "CertificateMessage.java:1134")
		"Produced client Certificate message (\n"
		"\"Certificate\": {\n  \"certificate_list\": [  \n"
		CERT13("CN=our-client, O=Us", "CN=Our CA, O=Us")
		CERT13("CN=Our CA, O=Us", "CN=Our Root, O=Us") CERT13_END);
	assert_int_equal(r->n_handshakes, 3);
	assert_int_equal(r->handshakes[0].d.own_cert, OWN_CERT_EMPTY);
	assert_true(r->handshakes[0].events & EVBIT(EV_CLIENT_CERT_MISSING_TEXT));
	assert_int_equal(r->handshakes[1].d.own_cert, OWN_CERT_EMPTY);
	struct handshake *s = &r->handshakes[2];
	assert_int_equal(s->d.own_cert, OWN_CERT_SENT);
	assert_int_equal(s->d.n_own_certs, 2);
	assert_string_equal(s->d.own_subject, "CN=our-client, O=Us");
	assert_string_equal(s->d.own_issuer, "CN=Our CA, O=Us");
	assert_int_equal(s->peer_certs_state, CERTS_NOT_CAPTURED);
	assert_int_equal(s->n_peer_certs, 0);
	report_free(&r);
}

/* The key manager's "found key for" entries, logged at start-up, are
 * what the local side could offer a CertificateRequest. */
static void test_key_store_entries(void **state)
{
	struct report *r = run1(
		HDR("main", "11.000", "SunX509KeyManagerImpl.java:160")
		"found key for : partner-client (\n"
		"  \"certificate\" : {\n"
		"    \"issuer\"             : \"CN=Rogue Root, O=Rogue\",\n"
		"    \"subject\"            : \"CN=integration, O=Rogue\",\n"
		"  ]},\n"
		"  \"certificate\" : {\n"
		"    \"issuer\"             : \"CN=Rogue Root, O=Rogue\",\n"
		"    \"subject\"            : \"CN=Rogue Root, O=Rogue\",\n"
		"  ]}\n"
		")\n"
		CLIENT_HELLO("main", "12.100", "mtls.partner.test")
		HDR("main", "12.200", "CertificateRequest.java:696")
		"Consuming CertificateRequest handshake message (\n"
		"\"CertificateRequest\": {\n"
		"  \"certificate authorities\": [CN=Client Root, O=Partner]\n"
		"}\n)\n");
	assert_int_equal(r->n_handshakes, 1);
	struct handshake *h = &r->handshakes[0];
	assert_int_equal(h->d.key_store.n, 1);
	assert_string_equal(h->d.key_store.v[0],
			    "partner-client: CN=integration, O=Rogue (issued by CN=Rogue Root, O=Rogue)");
	assert_int_equal(h->n_peer_certs, 0);
	report_free(&r);
}

/* The alert record alone (no exception follows) fails the handshake and
 * says the peer raised it; a warning close_notify does not; the JDK's own
 * "Fatal (X): Received fatal alert: x" is not a local refusal. */
static void test_alert_records(void **state)
{
	struct report *r = run1(
		CLIENT_HELLO("a", "12.100", "a.partner.test")
		ALERT_RECORD("a", "12.200", "fatal", "unknown_ca")
		CLIENT_HELLO("b", "12.300", "b.partner.test")
		ALERT_RECORD("b", "12.400", "warning", "close_notify")
		CLIENT_HELLO("c", "12.500", "c.partner.test")
		ALERT_RECORD("c", "12.600", "fatal", "protocol_version")
		HDRL("ERROR", "c", "12.610", "TransportContext.java:375")
		"Fatal (PROTOCOL_VERSION): Received fatal alert: protocol_version (\n"
		"\"throwable\" : {\n"
		"  javax.net.ssl.SSLHandshakeException: Received fatal alert: protocol_version\n"
		"\n)\n");
	assert_int_equal(r->n_handshakes, 3);
	struct handshake *a = &r->handshakes[0], *b = &r->handshakes[1];
	struct handshake *c = &r->handshakes[2];
	assert_int_equal(a->outcome, OUTCOME_FAILED);
	assert_true(a->d.alert_by_peer);
	assert_string_equal(a->d.alert, "unknown_ca");
	assert_string_equal(a->alert_received, "unknown_ca");
	assert_null(a->alert_sent);
	assert_int_equal(b->outcome, OUTCOME_UNKNOWN);
	assert_null(b->d.alert);
	assert_true(c->d.alert_by_peer);
	assert_null(c->alert_sent);
	assert_string_equal(c->failure_text, "Received fatal alert: protocol_version");
	assert_int_equal(c->diagnosis, DIAG_PROTOCOL_MISMATCH);
	/* the ClientHello's cipher list is not the chosen suite */
	assert_null(a->cipher);
	report_free(&r);
}

/* TLS 1.3: the client has sent its Finished before the server checks its
 * certificate; an alert after that, before any session ticket, still
 * fails the handshake; after a ticket, the handshake stays ok. */
static void test_tls13_late_alert(void **state)
{
	struct report *r = run1(
		CLIENT_HELLO("x", "12.100", "x.partner.test")
		SERVER_HELLO("x", "12.200")
		FINISHED13("x")
		ALERT_RECORD("x", "12.600", "fatal", "certificate_required")
		CLIENT_HELLO("y", "13.100", "y.partner.test")
		SERVER_HELLO("y", "13.200")
		FINISHED13("y")
		HDR("y", "13.600", "NewSessionTicket.java:567")
		"Consuming NewSessionTicket message (\n\"NewSessionTicket\": {\n}\n)\n"
		ALERT_RECORD("y", "13.700", "fatal", "internal_error"));
	assert_int_equal(r->n_handshakes, 2);
	assert_int_equal(r->handshakes[0].outcome, OUTCOME_FAILED);
	assert_string_equal(r->handshakes[0].d.alert, "certificate_required");
	assert_int_equal(r->handshakes[1].outcome, OUTCOME_OK);
	assert_true(r->handshakes[1].d.settled);
	assert_null(r->handshakes[1].d.alert);
	report_free(&r);
}

/* The client's view of a HelloRetryRequest: a ServerHello record whose
 * body is "HelloRetryRequest", then "Produced ClientHello(HRR)". */
static void test_hello_retry_client_shape(void **state)
{
	struct report *r = run1(
		CLIENT_HELLO("main", "12.100", "hrr.partner.test")
		HDR("main", "12.200", "ServerHello.java:897") "Consuming ServerHello handshake message (\n"
		"\"HelloRetryRequest\": {\n"
		"  \"cipher suite\"        : \"TLS_AES_256_GCM_SHA384(0x1302)\",\n"
		"  \"extensions\"          : [\n"
		"    \"supported_versions (43)\": {\n"
		"      \"selected version\": [TLSv1.3]\n"
		"    },\n"
		"  ]\n"
		"}\n)\n"
		HDR("main", "12.300", "ClientHello.java:739") "Produced ClientHello(HRR) handshake message (\n"
		"\"ClientHello\": {\n}\n)\n"
		SERVER_HELLO("main", "12.400")
		FINISHED13("main"));
	assert_int_equal(r->n_handshakes, 1);
	struct handshake *h = &r->handshakes[0];
	assert_true(h->hello_retry);
	assert_false(h->d.ambiguous);
	assert_int_equal(h->d.server_hellos, 1);
	assert_int_equal(h->outcome, OUTCOME_OK);
	assert_string_equal(h->d.versions_peer, "TLSv1.3");
	report_free(&r);
}

/* Two ServerHellos on one thread with no ClientHello between them: the
 * records of two connections are mixed; the chain is not used to decide. */
static void test_ambiguous_server_hellos(void **state)
{
	struct report *r = run1(
		CLIENT_HELLO("main", "12.100", "amb.partner.test")
		SERVER_HELLO("main", "12.200")
		SERVER_HELLO("main", "12.250")
		PEER_CERT13_BEGIN("main", "12.300") CERT13(LEAF, INT) CERT13_END
		FATAL_PKIX("main", "12.400"));
	assert_int_equal(r->n_handshakes, 1);
	struct handshake *h = &r->handshakes[0];
	assert_true(h->d.ambiguous);
	assert_int_equal(h->chain, CHAIN_LEAF_ONLY);
	assert_int_equal(h->diagnosis, DIAG_TRUST_PATH_FAILED);
	assert_null(h->missing_issuer);
	report_free(&r);
}

/* The expanded record header (javax.net.debug=...:expand), also inside a
 * wrapper envelope: thread and time from the header, the message and its
 * "specifics" as a compact record would have them. */
static void test_expanded_header(void **state)
{
	static const char *const expanded =
		"{\n"
		"  \"logger\"      : \"javax.net.ssl\",\n"
		"  \"level\"       : \"DEBUG\",\n"
		"  \"thread id\"   : \"C0\",\n"
		"  \"thread name\" : \"worker | 2\",\n"
		"  \"time\"        : \"2026-11-21 24:11:12.100 UTC\",\n"
		"  \"caller\"      : \"ClientHello.java:639\",\n"
		"  \"message\"     : \"Produced ClientHello handshake message\",\n"
		"  \"specifics\"   : [\n"
		"  \"ClientHello\": {\n"
		"    \"extensions\"          : [\n"
		"      \"server_name (0)\": {\n"
		"        type=host_name (0), value=exp.partner.test\n"
		"      },\n"
		"      \"supported_versions (43)\": {\n"
		"        \"versions\": [TLSv1.3, TLSv1.2]\n"
		"      }\n"
		"    ]\n"
		"  }\n"
		"  ]\n"
		"}\n"
		"{\n"
		"  \"logger\"      : \"javax.net.ssl\",\n"
		"  \"thread name\" : \"worker | 2\",\n"
		"  \"time\"        : \"2026-11-21 24:11:12.150 UTC\",\n"
		"  \"message\"     : \"KeyLimit read side: algorithm = AES/GCM\n"
		"countdown value = 137438953472\"\n"
		"}\n"
		"{\n"
		"  \"logger\"      : \"javax.net.ssl\",\n"
		"  \"thread name\" : \"worker | 2\",\n"
		"  \"time\"        : \"2026-11-21 24:11:12.200 UTC\",\n"
		"  \"message\"     : \"Consuming server Certificate handshake message\",\n"
		"  \"specifics\"   : [\n"
		"  \"Certificate\": {\n"
		"    \"certificate_request_context\": \"\",\n"
		"    \"certificate_list\": [  \n"
		"    {\n"
		"      \"certificate\" : {\n"
		"        \"issuer\"             : \"" INT "\",\n"
		"        \"subject\"            : \"" LEAF "\",\n"
		"      ]}\n"
		"    },\n"
		"  ]\n"
		"  }\n"
		"  ]\n"
		"}\n"
		"{\n"
		"  \"logger\"      : \"javax.net.ssl\",\n"
		"  \"level\"       : \"ERROR\",\n"
		"  \"thread name\" : \"worker | 2\",\n"
		"  \"time\"        : \"2026-11-21 24:11:12.300 UTC\",\n"
		"  \"message\"     : \"Fatal (CERTIFICATE_UNKNOWN): PKIX path building failed: x\",\n"
		"  \"specifics\"   : [\n"
		"  \"throwable\" : {\n"
		"    sun.security.validator.ValidatorException: PKIX path building failed: x}\n"
		"  ]\n"
		"}\n";
	struct strbuf wrapped = {0};
	for (const char *p = expanded; *p;) {
		const char *nl = strchr(p, '\n');
		sb_printf(&wrapped, "INFO   | jvm 1    | 2026/11/22 00:11:12.400 | %.*s\n",
			  (int)(nl - p), p);
		p = nl + 1;
	}
	const char *texts[] = {expanded, wrapped.p};
	for (int i = 0; i < 2; i++) {
		struct report *r = run1(texts[i]);
		assert_int_equal(r->n_handshakes, 1);
		struct handshake *h = &r->handshakes[0];
		assert_string_equal(h->thread, "worker | 2");
		assert_int_equal(h->role, ROLE_CLIENT);
		assert_string_equal(h->sni, "exp.partner.test");
		assert_string_equal(h->d.versions_local, "TLSv1.3, TLSv1.2");
		assert_int_equal(h->n_peer_certs, 1);
		assert_string_equal(h->peer_certs[0].subject, LEAF);
		assert_int_equal(h->outcome, OUTCOME_FAILED);
		assert_string_equal(h->alert_sent, "certificate_unknown");
		assert_string_equal(h->failure_text, "PKIX path building failed: x");
		assert_int_equal(h->diagnosis, DIAG_LEAF_ONLY_CHAIN);
		if (i == 0) {
			/* the header's own time: hour 24 is past midnight */
			char buf[40];
			ms_to_civil(h->ts_start, buf, sizeof buf);
			assert_string_equal(buf, "2026-11-21 00:11:12.100");
		}
		report_free(&r);
	}
	sb_free(&wrapped);
}

/* A byte-order mark and colour codes around a record header. */
static void test_bom_and_colours(void **state)
{
	struct report *r = run1(
		"\xEF\xBB\xBF" CLIENT_HELLO("main", "12.100", "bom.partner.test")
		"\x1b[31m" HDRL("ERROR", "main", "12.200", "TransportContext.java:375")
		"Fatal (HANDSHAKE_FAILURE): Received fatal alert: handshake_failure\x1b[0m\n");
	assert_int_equal(r->n_handshakes, 1);
	struct handshake *h = &r->handshakes[0];
	assert_string_equal(h->peer_host, "bom.partner.test");
	assert_int_equal(h->outcome, OUTCOME_FAILED);
	assert_true(h->d.alert_by_peer);
	assert_string_equal(h->d.alert, "handshake_failure");
	/* no ServerHello came: the server refused what the hello offered */
	assert_int_equal(h->diagnosis, DIAG_CIPHER_MISMATCH);
	report_free(&r);
}

/* javax.net.debug=ssl on JDK 11+: only the Fatal record; and a failure
 * before the first message ("Couldn't kickstart handshaking"). */
static void test_debug_levels(void **state)
{
	struct report *r = run1(
		FATAL_PKIX("ssl", "12.100")
		HDRL("ERROR", "kick", "12.200", "TransportContext.java:375")
		"Fatal (HANDSHAKE_FAILURE): Couldn't kickstart handshaking (\n"
		"\"throwable\" : {\n"
		"  javax.net.ssl.SSLHandshakeException: No appropriate protocol (protocol is "
		"disabled or cipher suites are inappropriate)\n"
		"\n)\n");
	assert_int_equal(r->n_handshakes, 2);
	struct handshake *a = &r->handshakes[0], *b = &r->handshakes[1];
	assert_int_equal(a->d.debug_level, DEBUG_ALERTS);
	assert_non_null(diag_debug_hint(a));
	assert_non_null(strstr(diag_debug_hint(a), "-Djavax.net.debug=ssl:handshake:verbose"));
	assert_int_equal(a->diagnosis, DIAG_TRUST_PATH_FAILED);
	assert_true(b->d.before_hello);
	assert_null(diag_debug_hint(b));
	assert_null(b->d.alert);
	assert_int_equal(b->diagnosis, DIAG_PROTOCOL_MISMATCH);
	assert_string_equal(b->failure_text,
			    "No appropriate protocol (protocol is disabled or cipher suites are inappropriate)");
	report_free(&r);
}

/* The server's view: an empty client chain, a leaf-only one. */
static void test_server_side_client_chains(void **state)
{
	struct report *r = run1(
		HDR("exec-1", "12.100", "ClientHello.java:795") "Consuming ClientHello handshake message (\n"
		"\"ClientHello\": {\n"
		"  \"client version\"      : \"TLSv1.2\",\n"
		"    \"supported_versions (43)\": {\n"
		"      \"versions\": [TLSv1.2]\n"
		"    },\n"
		"}\n)\n"
		HDR("exec-1", "12.200", "CertificateRequest.java:634")
		"Produced CertificateRequest handshake message (\n"
		"\"CertificateRequest\": {\n"
		"  \"certificate authorities\": [CN=Client Root, O=Us]\n"
		"}\n)\n"
		HDR("exec-1", "12.300", "CertificateMessage.java:372")
		"Consuming client Certificate handshake message (\n"
		"\"Certificates\": <empty list>\n)\n"
		HDRL("ERROR", "exec-1", "12.400", "TransportContext.java:375")
		"Fatal (BAD_CERTIFICATE): Empty server certificate chain (\n)\n"
		HDR("exec-2", "13.100", "ClientHello.java:795") "Consuming ClientHello handshake message (\n)\n"
		HDR("exec-2", "13.300", "CertificateMessage.java:372")
		"Consuming client Certificate handshake message (\n"
		"\"Certificates\": [\n"
		CERT12("CN=client, O=Them", "CN=Their CA, O=Them", "") "\n"
		"]\n)\n"
		FATAL_PKIX("exec-2", "13.400"));
	assert_int_equal(r->n_handshakes, 2);
	struct handshake *e = &r->handshakes[0], *l = &r->handshakes[1];
	assert_int_equal(e->role, ROLE_SERVER);
	assert_string_equal(e->d.versions_peer, "TLSv1.2");
	assert_int_equal(e->chain, CHAIN_EMPTY);
	assert_int_equal(e->diagnosis, DIAG_CLIENT_CERT_NOT_SENT);
	assert_string_equal(e->d.authorities.v[0], "CN=Client Root, O=Us");
	assert_false(e->d.alert_by_peer);
	assert_int_equal(l->role, ROLE_SERVER);
	assert_int_equal(l->diagnosis, DIAG_CLIENT_CHAIN_INCOMPLETE);
	report_free(&r);
}

/* Older 8u SSLEngine servers print an empty client chain as a bare
 * "*** Certificate chain": the thread's next line ends it. */
static void test_classic_engine_empty_chain(void **state)
{
	struct report *r = run1(
		"exec-3, READ: TLSv1.2 Handshake, length = 207\n"
		"*** ClientHello, TLSv1.2\n"
		"***\n"
		"*** ServerHello, TLSv1.2\n"
		"***\n"
		"*** ServerHelloDone\n"
		"exec-3, WRITE: TLSv1.2 Handshake, length = 2000\n"
		"exec-3, READ: TLSv1.2 Handshake, length = 7\n"
		"*** Certificate chain\n"
		"exec-3, fatal error: 42: null cert chain\n"
		"javax.net.ssl.SSLHandshakeException: null cert chain\n"
		"exec-3, SEND TLSv1.2 ALERT:  fatal, description = bad_certificate\n");
	assert_int_equal(r->n_handshakes, 1);
	struct handshake *h = &r->handshakes[0];
	assert_int_equal(h->role, ROLE_SERVER);
	assert_int_equal(h->peer_certs_state, CERTS_CAPTURED);
	assert_int_equal(h->chain, CHAIN_EMPTY);
	assert_int_equal(h->diagnosis, DIAG_CLIENT_CERT_NOT_SENT);
	report_free(&r);
}

/* An HTTP client that checks the name itself, after a finished handshake
 * (Apache HttpClient's DefaultHostnameVerifier): the handshake is ok, the
 * call failed on the name. */
static void test_client_side_hostname_check(void **state)
{
	const char *names[] = {"wrapper.log", "localhost_log.txt"};
	const char *texts[] = {
		CLIENT_HELLO("glide.worker.5", "12.100", "api.partner.test")
		SERVER_HELLO("glide.worker.5", "12.200")
		PEER_CERT13_BEGIN("glide.worker.5", "12.300") CERT13(LEAF, INT)
		CERT13(INT, ROOT) CERT13_END
		HDR("glide.worker.5", "12.400", "Finished.java:917")
		"Consuming server Finished handshake message (\n{\n}\n)\n"
		HDR("glide.worker.5", "12.410", "Finished.java:687")
		"Produced client Finished handshake message (\n{\n}\n)\n",
		"2026-11-21 10:11:12 (500) glide.worker.5 ABCDEF txid=1 SEVERE *** ERROR *** "
		"javax.net.ssl.SSLPeerUnverifiedException: Certificate for <api.partner.test> "
		"doesn't match any of the subject alternative names: [api-old.partner.test]\n",
	};
	struct report *r = run(2, names, texts);
	assert_int_equal(r->n_handshakes, 1);
	struct handshake *h = &r->handshakes[0];
	assert_int_equal(h->outcome, OUTCOME_OK);
	assert_int_equal(h->n_symptoms, 1);
	assert_int_equal(h->diagnosis, DIAG_HOSTNAME_MISMATCH);
	assert_string_equal(h->d.name_checked, "api.partner.test");
	report_free(&r);
}

/* -Djavax.net.debug= (empty): java.util.logging's SimpleFormatter, the
 * message without its body.  The chain was not logged, and sslsift says
 * which option would log it. */
static void test_system_logger_mode(void **state)
{
	struct report *r = run1(
		"Nov 21, 2026 10:11:12 AM sun.security.ssl.SSLLogger log\n"
		"FINE: Produced ClientHello handshake message\n"
		"Nov 21, 2026 10:11:12 AM sun.security.ssl.SSLLogger log\n"
		"FINE: Consuming ServerHello handshake message\n"
		"Nov 21, 2026 10:11:12 AM sun.security.ssl.SSLLogger log\n"
		"FINE: Consuming server Certificate handshake message\n"
		"Nov 21, 2026 10:11:12 AM sun.security.ssl.SSLLogger log\n"
		"SEVERE: Fatal (CERTIFICATE_UNKNOWN): PKIX path building failed: "
		"sun.security.provider.certpath.SunCertPathBuilderException: unable to "
		"find valid certification path to requested target\n");
	assert_int_equal(r->n_handshakes, 1);
	struct handshake *h = &r->handshakes[0];
	assert_int_equal(h->role, ROLE_CLIENT);
	assert_int_equal(h->outcome, OUTCOME_FAILED);
	assert_true(h->d.bodies_dropped);
	assert_int_equal(h->peer_certs_state, CERTS_NOT_CAPTURED);
	assert_int_equal(h->diagnosis, DIAG_TRUST_PATH_FAILED);
	/* the SEVERE line is the alert record, not an application line */
	assert_string_equal(h->alert_sent, "certificate_unknown");
	assert_non_null(h->failure_text);
	assert_non_null(strstr(h->failure_text, "PKIX path building failed"));
	assert_int_equal(h->n_symptoms, 0);
	assert_non_null(diag_debug_hint(h));
	assert_non_null(strstr(diag_debug_hint(h), "ssl:handshake:verbose"));
	report_free(&r);
}

/* A line about an outbound call never explains a handshake this JVM
 * answered as the server, however close in time. */
static void test_outbound_symptom_not_tied_to_inbound(void **state)
{
	struct report *r = run1(
		HDR("exec-1", "12.100", "ClientHello.java:795") "Consuming ClientHello handshake message (\n)\n"
		HDRL("ERROR", "exec-1", "12.200", "TransportContext.java:375")
		"Fatal (HANDSHAKE_FAILURE): no cipher suites in common (\n)\n"
		"2026-11-21 10:11:12 (300) exec-1 ABCDEF txid=1 WARNING *** WARNING *** "
		"Request not sent to uri=https://api.partner.test:8443/x : "
		"java.net.SocketException: Socket is closed\n");
	assert_int_equal(r->n_handshakes, 2);
	assert_int_equal(r->handshakes[0].role, ROLE_SERVER);
	assert_int_equal(r->handshakes[0].n_symptoms, 0);
	assert_int_equal(r->handshakes[0].diagnosis, DIAG_CIPHER_MISMATCH);
	assert_string_equal(r->handshakes[1].peer_host, "api.partner.test");
	assert_int_equal(r->handshakes[1].role, ROLE_CLIENT);
	report_free(&r);
}

/* Classic JDK 8 blocks (FORMATS.md 4.3-4.9), written in the shapes a
 * client thread prints: its ClientHello before its WRITE line, the
 * server's messages after its READ line. */
#define CL_HELLO(host)                                                        \
	"%% No cached client session\n"                                       \
	"*** ClientHello, TLSv1.2\n"                                          \
	"Session ID:  {}\n"                                                   \
	"Extension server_name, server_name: [type=host_name (0), value=" host "]\n" \
	"***\n"
#define CL_SERVER_HELLO                                                       \
	"*** ServerHello, TLSv1.2\n"                                          \
	"Cipher Suite: TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256\n"               \
	"***\n"
#define CL_CERT(i, subject, issuer)                                           \
	"chain [" #i "] = [\n"                                                \
	"[\n"                                                                 \
	"  Version: V3\n"                                                     \
	"  Subject: " subject "\n"                                            \
	"  Validity: [From: Thu Jan 01 00:00:00 UTC 2026,\n"                  \
	"               To: Fri Jan 01 00:00:00 UTC 2027]\n"                  \
	"  Issuer: " issuer "\n"                                              \
	"]\n"
#define CL_PKIX_FAIL(thr)                                                     \
	thr ", SEND TLSv1.2 ALERT:  fatal, description = certificate_unknown\n" \
	thr ", WRITE: TLSv1.2 Alert, length = 2\n"                            \
	thr ", called closeSocket()\n"                                        \
	thr ", handling exception: javax.net.ssl.SSLHandshakeException: "     \
	"sun.security.validator.ValidatorException: PKIX path building failed\n"
/* The rest of a good client handshake after the server's chain. */
#define CL_FINISH_OK(thr)                                                     \
	"*** ServerHelloDone\n"                                               \
	"*** ECDHClientKeyExchange\n"                                         \
	thr ", WRITE: TLSv1.2 Handshake, length = 70\n"                       \
	thr ", WRITE: TLSv1.2 Change Cipher Spec, length = 1\n"               \
	"*** Finished\n"                                                      \
	"verify_data:  { 1, 2, 3 }\n"                                         \
	"***\n"                                                               \
	thr ", WRITE: TLSv1.2 Handshake, length = 40\n"                       \
	thr ", READ: TLSv1.2 Change Cipher Spec, length = 1\n"                \
	thr ", READ: TLSv1.2 Handshake, length = 40\n"                        \
	"*** Finished\n"                                                      \
	"verify_data:  { 4, 5, 6 }\n"                                         \
	"***\n"                                                               \
	"%% Cached client session: [Session-1, TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256]\n" \
	thr ", WRITE: TLSv1.2 Application Data, length = 100\n"               \
	thr ", READ: TLSv1.2 Application Data, length = 300\n"

/* A thread that makes one call after another (a scheduler worker): its
 * last record line before the next ClientHello is a READ, yet the next
 * ClientHello is still its own, about to be written. */
static void test_classic_same_thread_sequence(void **state)
{
	struct report *r = run1(
		CL_HELLO("good.partner.test")
		"worker.2, WRITE: TLSv1.2 Handshake, length = 180\n"
		"worker.2, READ: TLSv1.2 Handshake, length = 2300\n"
		CL_SERVER_HELLO
		"*** Certificate chain\n"
		CL_CERT(0, LEAF, INT) CL_CERT(1, INT, ROOT)
		"***\n"
		CL_FINISH_OK("worker.2")
		CL_HELLO("api.partner.test")
		"worker.2, WRITE: TLSv1.2 Handshake, length = 180\n"
		"worker.2, READ: TLSv1.2 Handshake, length = 1200\n"
		CL_SERVER_HELLO
		"*** Certificate chain\n"
		CL_CERT(0, LEAF, INT)
		"***\n"
		CL_PKIX_FAIL("worker.2")
		CL_HELLO("api.partner.test")
		"worker.2, WRITE: TLSv1.2 Handshake, length = 180\n"
		"worker.2, READ: TLSv1.2 Handshake, length = 1200\n"
		CL_SERVER_HELLO
		"*** Certificate chain\n"
		CL_CERT(0, LEAF, INT)
		"***\n"
		CL_PKIX_FAIL("worker.2"));
	assert_int_equal(r->n_handshakes, 3);
	assert_int_equal(r->handshakes[0].outcome, OUTCOME_OK);
	for (size_t i = 0; i < 3; i++) {
		struct handshake *h = &r->handshakes[i];
		assert_int_equal(h->role, ROLE_CLIENT);
		assert_string_equal(h->thread, "worker.2");
		assert_non_null(h->peer_host);
		assert_int_equal(h->peer_certs_state, CERTS_CAPTURED);
	}
	for (size_t i = 1; i < 3; i++) {
		struct handshake *h = &r->handshakes[i];
		assert_string_equal(h->peer_host, "api.partner.test");
		assert_int_equal(h->n_peer_certs, 1);
		assert_int_equal(h->diagnosis, DIAG_LEAF_ONLY_CHAIN);
	}
	report_free(&r);
}

/* thread-1 asks for good.partner.test, then thread-2 for api (LEAF). */
#define CL_TWO_CLIENTS                                                       \
	CL_HELLO("good.partner.test")                                         \
	"pool-1-thread-1, WRITE: TLSv1.2 Handshake, length = 180\n"           \
	CL_HELLO("api.partner.test")                                          \
	"pool-1-thread-2, WRITE: TLSv1.2 Handshake, length = 180\n"

/* thread-2's handshake as both overlapping tests leave it: its leaf
 * alone, a PKIX failure. */
static void assert_thread2_leaf_only(const struct handshake *bad)
{
	assert_string_equal(bad->thread, "pool-1-thread-2");
	assert_string_equal(bad->peer_host, "api.partner.test");
	assert_int_equal(bad->role, ROLE_CLIENT);
	assert_int_equal(bad->n_peer_certs, 1);
	assert_string_equal(bad->peer_certs[0].subject, LEAF);
	assert_int_equal(bad->peer_certs_state, CERTS_CAPTURED);
	assert_int_equal(bad->outcome, OUTCOME_FAILED);
	assert_int_equal(bad->diagnosis, DIAG_LEAF_ONLY_CHAIN);
}

/* Two threads call out at once: thread-2's whole handshake runs while
 * thread-1 waits for its ServerHello.  The prefix-less blocks belong to
 * the thread whose WRITE follows them (produced) or whose READ precedes
 * them (consumed), not to whichever thread was named last. */
static void test_classic_overlapping_threads(void **state)
{
	struct report *r = run1(
		CL_TWO_CLIENTS
		"pool-1-thread-2, READ: TLSv1.2 Handshake, length = 1200\n"
		CL_SERVER_HELLO
		"*** Certificate chain\n"
		CL_CERT(0, LEAF, INT)
		"***\n"
		CL_PKIX_FAIL("pool-1-thread-2")
		"pool-1-thread-1, READ: TLSv1.2 Handshake, length = 2300\n"
		CL_SERVER_HELLO
		"*** Certificate chain\n"
		CL_CERT(0, "CN=good.partner.test", INT) CL_CERT(1, INT, ROOT)
		"***\n"
		CL_FINISH_OK("pool-1-thread-1"));
	assert_int_equal(r->n_handshakes, 2);
	struct handshake *good = &r->handshakes[0], *bad = &r->handshakes[1];
	assert_string_equal(good->thread, "pool-1-thread-1");
	assert_string_equal(good->peer_host, "good.partner.test");
	assert_int_equal(good->n_peer_certs, 2);
	assert_int_equal(good->outcome, OUTCOME_OK);
	assert_int_equal(good->diagnosis, DIAG_OK);
	assert_thread2_leaf_only(bad);
	report_free(&r);
}

/* Two threads' handshakes interleave block by block: each thread prints
 * what it read when it gets to it, so thread-1's chain follows
 * thread-2's READ, and thread-2's comes after thread-1 has passed its
 * ServerHelloDone (with no CertificateRequest, not thread-1's own);
 * thread-1's Finished follows thread-2's Alert WRITE.  The leaf names
 * whose chain it is, and the thread that wrote Change Cipher Spec owns
 * the Finished. */
static void test_classic_interleaved_blocks(void **state)
{
	struct report *r = run1(
		CL_TWO_CLIENTS
		"pool-1-thread-1, READ: TLSv1.2 Handshake, length = 2300\n"
		CL_SERVER_HELLO
		"pool-1-thread-2, READ: TLSv1.2 Handshake, length = 1200\n"
		CL_SERVER_HELLO
		"*** Certificate chain\n"
		CL_CERT(0, "CN=good.partner.test, O=Partner", INT)
		CL_CERT(1, INT, ROOT)
		"***\n"
		"*** ServerHelloDone\n"
		"*** ECDHClientKeyExchange\n"
		"pool-1-thread-1, WRITE: TLSv1.2 Handshake, length = 70\n"
		"*** Certificate chain\n"
		CL_CERT(0, LEAF, INT)
		"***\n"
		"pool-1-thread-1, WRITE: TLSv1.2 Change Cipher Spec, length = 1\n"
		CL_PKIX_FAIL("pool-1-thread-2")
		"*** Finished\n"
		"verify_data:  { 1, 2, 3 }\n"
		"***\n"
		"pool-1-thread-1, WRITE: TLSv1.2 Handshake, length = 40\n"
		"pool-1-thread-1, READ: TLSv1.2 Change Cipher Spec, length = 1\n"
		"pool-1-thread-1, READ: TLSv1.2 Handshake, length = 40\n"
		"*** Finished\n"
		"verify_data:  { 4, 5, 6 }\n"
		"***\n");
	assert_int_equal(r->n_handshakes, 2);
	struct handshake *good = &r->handshakes[0], *bad = &r->handshakes[1];
	assert_string_equal(good->thread, "pool-1-thread-1");
	assert_string_equal(good->peer_host, "good.partner.test");
	assert_int_equal(good->n_peer_certs, 2);
	assert_string_equal(good->peer_certs[0].subject,
			    "CN=good.partner.test, O=Partner");
	assert_int_equal(good->d.n_own_certs, 0);
	assert_int_equal(good->outcome, OUTCOME_OK);
	assert_int_equal(good->diagnosis, DIAG_OK);
	assert_thread2_leaf_only(bad);
	report_free(&r);
}

/* A leaf that covers neither host (a name mismatch) proves nothing: the
 * chain stays with the thread whose READ it follows. */
static void test_classic_chain_stays_without_proof(void **state)
{
	struct report *r = run1(
		CL_TWO_CLIENTS
		"pool-1-thread-2, READ: TLSv1.2 Handshake, length = 1200\n"
		CL_SERVER_HELLO
		"*** Certificate chain\n"
		CL_CERT(0, "CN=*.elsewhere.test, O=Other", INT)
		"***\n");
	assert_int_equal(r->n_handshakes, 2);
	assert_int_equal(r->handshakes[0].n_peer_certs, 0);
	assert_string_equal(r->handshakes[1].thread, "pool-1-thread-2");
	assert_int_equal(r->handshakes[1].n_peer_certs, 1);
	report_free(&r);
}

/* Both ClientHellos printed before either WRITE: they wait in order, and
 * a WRITE of a thread in the middle of its own handshake (thread-3's key
 * exchange) takes none of them. */
static void test_classic_hellos_wait_for_their_write(void **state)
{
	struct report *r = run1(
		CL_HELLO("mid.partner.test")
		"pool-1-thread-3, WRITE: TLSv1.2 Handshake, length = 180\n"
		"pool-1-thread-3, READ: TLSv1.2 Handshake, length = 2300\n"
		CL_SERVER_HELLO
		CL_HELLO("one.partner.test")
		CL_HELLO("two.partner.test")
		"*** ECDHClientKeyExchange\n"
		"pool-1-thread-3, WRITE: TLSv1.2 Handshake, length = 70\n"
		"pool-1-thread-1, WRITE: TLSv1.2 Handshake, length = 180\n"
		"pool-1-thread-2, WRITE: TLSv1.2 Handshake, length = 180\n");
	assert_int_equal(r->n_handshakes, 3);
	assert_string_equal(r->handshakes[0].thread, "pool-1-thread-3");
	assert_string_equal(r->handshakes[0].peer_host, "mid.partner.test");
	assert_string_equal(r->handshakes[1].thread, "pool-1-thread-1");
	assert_string_equal(r->handshakes[1].peer_host, "one.partner.test");
	assert_int_equal(r->handshakes[1].role, ROLE_CLIENT);
	assert_string_equal(r->handshakes[2].thread, "pool-1-thread-2");
	assert_string_equal(r->handshakes[2].peer_host, "two.partner.test");
	assert_int_equal(r->handshakes[2].role, ROLE_CLIENT);
	report_free(&r);
}

/* The end of a classic handshake without its start (a wrapper.log
 * excerpt): the hint must not blame JDK 11 debug levels. */
static void test_classic_fragment_hint(void **state)
{
	struct report *r = run1(
		"%% Invalidated:  [Session-3, TLS_RSA_WITH_AES_128_CBC_SHA]\n"
		"worker.1, SEND TLSv1 ALERT:  fatal, description = certificate_unknown\n"
		"worker.1, WRITE: TLSv1 Alert, length = 2\n"
		"worker.1, called closeSocket()\n"
		"worker.1, handling exception: javax.net.ssl.SSLHandshakeException: "
		"sun.security.validator.ValidatorException: PKIX path building failed\n");
	assert_int_equal(r->n_handshakes, 1);
	struct handshake *h = &r->handshakes[0];
	assert_int_equal(h->d.debug_level, DEBUG_ALERTS);
	const char *hint = diag_debug_hint(h);
	assert_non_null(hint);
	assert_null(strstr(hint, "JDK 11"));
	assert_non_null(strstr(hint, "only the end of this handshake"));
	report_free(&r);
}

/* A classic SSLEngine server that receives a warning alert mid-handshake:
 * the handshaker throws on it ("SSL -- handshake alert:"), so the peer's
 * alert ended the handshake, not the fatal one this JVM sends after it.
 * The "fatal error:" line's cause, printed on the next line, is the
 * failure text. */
static void test_classic_peer_warning_ends_handshake(void **state)
{
	struct report *r = run1(
		"loop-1, READ: TLSv1 Handshake, length = 140\n"
		"*** ClientHello, TLSv1\n"
		"***\n"
		"*** ServerHello, TLSv1\n"
		"***\n"
		"*** ServerHelloDone\n"
		"loop-1, WRITE: TLSv1 Handshake, length = 500\n"
		"loop-1, READ: TLSv1 Alert, length = 2\n"
		"loop-1, RECV TLSv1 ALERT:  warning, unrecognized_name\n"
		"SSL -- handshake alert:  unrecognized_name\n"
		"loop-1, fatal error: 80: problem unwrapping net record\n"
		"javax.net.ssl.SSLProtocolException: handshake alert: unrecognized_name\n"
		"loop-1, SEND TLSv1 ALERT:  fatal, description = internal_error\n"
		"loop-1, WRITE: TLSv1 Alert, length = 2\n");
	assert_int_equal(r->n_handshakes, 1);
	struct handshake *h = &r->handshakes[0];
	assert_int_equal(h->role, ROLE_SERVER);
	assert_int_equal(h->outcome, OUTCOME_FAILED);
	assert_string_equal(h->d.alert, "unrecognized_name");
	assert_true(h->d.alert_by_peer);
	assert_string_equal(h->failure_text,
		"javax.net.ssl.SSLProtocolException: handshake alert: unrecognized_name");
	assert_int_equal(r->n_symptoms, 0);
	report_free(&r);
}

/* "fatal error: 46: General SSLEngine problem": the cause on the next
 * line, not the generic text, is why (and not an application line). */
static void test_classic_fatal_error_cause(void **state)
{
	struct report *r = run1(
		"Thread-2, READ: TLSv1.2 Handshake, length = 900\n"
		"*** ClientHello, TLSv1.2\n"
		"***\n"
		"Thread-2, WRITE: TLSv1.2 Handshake, length = 2000\n"
		"Thread-2, fatal error: 46: General SSLEngine problem\n"
		"sun.security.validator.ValidatorException: Extended key usage "
		"does not permit use for TLS client authentication\n"
		"Thread-2, SEND TLSv1.2 ALERT:  fatal, description = certificate_unknown\n"
		"Thread-2, fatal: engine already closed.  Rethrowing "
		"javax.net.ssl.SSLHandshakeException: General SSLEngine problem\n");
	assert_int_equal(r->n_handshakes, 1);
	struct handshake *h = &r->handshakes[0];
	assert_string_equal(h->failure_text,
		"sun.security.validator.ValidatorException: Extended key usage "
		"does not permit use for TLS client authentication");
	assert_true(h->events & EVBIT(EV_EKU_REJECTED_TEXT));
	assert_int_equal(r->n_symptoms, 0);
	report_free(&r);
}

/* Each JDK generation words a cause its own way; an application line
 * with the wording alone (no debug output) must name the cause, and a
 * TLS failure that names none must still be reported. */
static void test_failure_wordings_without_debug(void **state)
{
	static const struct {
		const char *line;
		enum diag_code want;
	} cases[] = {
		/* JDK 7 / early 8 (and Android) word the expiry check so */
		{"javax.net.ssl.SSLHandshakeException: sun.security.validator."
		 "ValidatorException: PKIX path validation failed: java.security."
		 "cert.CertPathValidatorException: timestamp check failed",
		 DIAG_CERT_EXPIRED},
		/* an empty or missing trust store: no SSLHandshakeException */
		{"javax.net.ssl.SSLException: java.lang.RuntimeException: "
		 "Unexpected error: java.security.InvalidAlgorithmParameter"
		 "Exception: the trustAnchors parameter must be non-empty",
		 DIAG_TRUST_PATH_FAILED},
		{"javax.net.ssl.SSLHandshakeException: sun.security.validator."
		 "ValidatorException: No trusted certificate found",
		 DIAG_TRUST_PATH_FAILED},
		{"javax.net.ssl.SSLHandshakeException: No negotiable cipher suite",
		 DIAG_CIPHER_MISMATCH},
		/* IBM JSSE2, its NotAfter line wrapped away */
		{"javax.net.ssl.SSLHandshakeException: com.ibm.jsse2.util.h: PKIX "
		 "path validation failed: java.security.cert.CertPathValidator"
		 "Exception: The certificate expired at Tue Mar 05 11:00:00 UTC "
		 "2024; internal cause is: ", DIAG_CERT_EXPIRED},
		/* a JDK 11+ server whose client offered supported_versions */
		{"javax.net.ssl.SSLHandshakeException: The client supported "
		 "protocol versions [TLSv1, TLSv1.1] are not accepted by server "
		 "preferences [TLS13, TLS12]", DIAG_PROTOCOL_MISMATCH},
		/* a certificate with a disabled algorithm: its path was found */
		{"javax.net.ssl.SSLHandshakeException: PKIX path validation failed: "
		 "java.security.cert.CertPathValidatorException: Algorithm "
		 "constraints check failed on signature algorithm: SHA1withRSA",
		 DIAG_HANDSHAKE_FAILED},
		{"javax.net.ssl.SSLHandshakeException: java.security.cert."
		 "CertificateException: Certificates do not conform to algorithm "
		 "constraints", DIAG_HANDSHAKE_FAILED},
		/* a server certificate issued without serverAuth */
		{"javax.net.ssl.SSLHandshakeException: sun.security.validator."
		 "ValidatorException: Extended key usage does not permit use for "
		 "TLS server authentication", DIAG_HANDSHAKE_FAILED},
		/* DHE: a JDK 7 client and a 2048-bit group */
		{"javax.net.ssl.SSLException: java.lang.RuntimeException: Could "
		 "not generate DH keypair", DIAG_CIPHER_MISMATCH},
		/* the peer reset the connection (JDK 11+ wraps it) */
		{"javax.net.ssl.SSLHandshakeException: Connection reset",
		 DIAG_PEER_CLOSED},
		{"javax.net.ssl.SSLHandshakeException: (handshake_failure) "
		 "java.net.SocketException: Connection reset", DIAG_PEER_CLOSED},
		/* JDK 13+: the socket's error during the handshake, wrapped */
		{"javax.net.ssl.SSLHandshakeException: Couldn't kickstart "
		 "handshaking\n"
		 "\tat java.base/sun.security.ssl.Alert.createSSLException(Alert.java:131)\n"
		 "Caused by: javax.net.ssl.SSLException: readHandshakeRecord\n"
		 "Caused by: java.net.SocketException: Connection reset\n",
		 DIAG_PEER_CLOSED},
		/* a plain HTTP port: JDK 11+ and classic wording */
		{"javax.net.ssl.SSLException: Unsupported or unrecognized SSL message",
		 DIAG_HANDSHAKE_FAILED},
		{"javax.net.ssl.SSLException: Unrecognized SSL message, plaintext "
		 "connection?", DIAG_HANDSHAKE_FAILED},
		/* a JDK 11+ server without a key the client can accept (a
		 * Tomcat connector's line): no client certificate is involved */
		{"22-Nov-2026 10:10:23.001 FINE [https-jsse-nio-8443-exec-4] "
		 "org.apache.tomcat.util.net.NioEndpoint$SocketProcessor.doRun "
		 "Handshake failed\n"
		 "\tjavax.net.ssl.SSLHandshakeException: No available "
		 "authentication scheme\n", DIAG_CIPHER_MISMATCH},
		/* ... the same on JDK 23+: the alert in brackets first */
		{"22-Nov-2026 10:10:23.001 FINE [https-jsse-nio-8443-exec-4] "
		 "org.apache.tomcat.util.net.NioEndpoint$SocketProcessor.doRun "
		 "Handshake failed\n"
		 "\tjavax.net.ssl.SSLHandshakeException: (handshake_failure) No "
		 "available authentication scheme\n", DIAG_CIPHER_MISMATCH},
		/* other JDK 23+ wordings (a real JDK 25 server's lines) */
		{"javax.net.ssl.SSLHandshakeException: (handshake_failure) no "
		 "cipher suites in common", DIAG_CIPHER_MISMATCH},
		{"javax.net.ssl.SSLHandshakeException: (protocol_version) Client "
		 "requested protocol TLSv1.2 is not enabled or supported in server "
		 "context", DIAG_PROTOCOL_MISMATCH},
		{"javax.net.ssl.SSLHandshakeException: (certificate_unknown) "
		 "Extended key usage does not permit use for TLS client "
		 "authentication", DIAG_CLIENT_CERT_REJECTED},
	};
	for (size_t i = 0; i < SS_ARRAY_LEN(cases); i++) {
		struct report *r = run1(cases[i].line);
		assert_int_equal(r->n_handshakes, 1);
		assert_int_equal(r->handshakes[0].diagnosis, cases[i].want);
		report_free(&r);
	}
	/* the same server with debug output */
	struct report *r = run1(
		HDR("https-jsse-nio-8443-exec-4", "23.000", "ClientHello.java:795")
		"Consuming ClientHello handshake message (\n"
		"\"ClientHello\": {\n"
		"}\n"
		")\n"
		"javax.net.ssl|ERROR|0C|https-jsse-nio-8443-exec-4|2026-11-21 10:11:23.100 UTC|"
		"TransportContext.java:375|Fatal (HANDSHAKE_FAILURE): No available "
		"authentication scheme (\n"
		"\"throwable\" : {\n"
		"  javax.net.ssl.SSLHandshakeException: No available authentication scheme}\n"
		"\n"
		")\n");
	assert_int_equal(r->n_handshakes, 1);
	assert_int_equal(r->handshakes[0].role, ROLE_SERVER);
	assert_int_equal(r->handshakes[0].diagnosis, DIAG_CIPHER_MISMATCH);
	report_free(&r);
	/* a JDK 11+ client whose read timed out mid-handshake: only the
	 * "handling exception" record (no Fatal: timeouts are rethrown) */
	r = run1(CLIENT_HELLO("main", "25.000", "api.partner.test")
		 "javax.net.ssl|WARNING|0C|main|2026-11-21 10:11:35.000 UTC|"
		 "SSLSocketImpl.java:1689|handling exception (\n"
		 "\"throwable\" : {\n"
		 "  java.net.SocketTimeoutException: Read timed out}\n"
		 "\n"
		 ")\n");
	assert_int_equal(r->n_handshakes, 1);
	assert_int_equal(r->handshakes[0].outcome, OUTCOME_FAILED);
	assert_int_equal(r->handshakes[0].diagnosis, DIAG_HANDSHAKE_FAILED);
	report_free(&r);
	/* a JDK 11+ SSLEngine server whose client hung up mid-handshake;
	 * the same words from an application closing its own established
	 * connection are no handshake failure */
	r = run1(
		HDR("https-jsse-nio-8443-exec-5", "24.000", "ClientHello.java:795")
		"Consuming ClientHello handshake message (\n"
		"\"ClientHello\": {\n"
		"}\n"
		")\n"
		"javax.net.ssl|ERROR|0C|https-jsse-nio-8443-exec-5|2026-11-21 10:11:24.100 UTC|"
		"TransportContext.java:375|Fatal (INTERNAL_ERROR): closing inbound "
		"before receiving peer's close_notify (\n"
		"\"throwable\" : {\n"
		"  javax.net.ssl.SSLException: closing inbound before receiving peer's close_notify}\n"
		"\n"
		")\n");
	assert_int_equal(r->n_handshakes, 1);
	assert_int_equal(r->handshakes[0].diagnosis, DIAG_PEER_CLOSED);
	report_free(&r);
	r = run1("2026-11-20 08:10:11,204 WARN [HikariPool-1 housekeeper] "
		 "c.z.h.p.PoolBase - Failed to validate connection\n"
		 "javax.net.ssl.SSLException: closing inbound before receiving "
		 "peer's close_notify\n");
	assert_int_equal(r->n_handshakes, 0);
	report_free(&r);
	/* any socket's reset is no TLS failure by itself, nor is JDK 11+'s
	 * SSLException for an established connection's (a stale pooled
	 * connection read after the server dropped it) */
	r = run1("java.net.SocketException: Connection reset\n");
	assert_int_equal(r->n_handshakes, 0);
	report_free(&r);
	r = run1("javax.net.ssl.SSLException: (unexpected_message) Connection reset\n");
	assert_int_equal(r->n_handshakes, 0);
	report_free(&r);
}

/* Classic JDK 8 ends a failed handshake with "handling exception: X";
 * X is the cause also when it is no SSLHandshakeException.  The chain
 * here is complete, so a trust verdict would say UNTRUSTED_ROOT. */
#define CL_FULL_CHAIN(thr)                                                    \
	CL_HELLO("api.partner.test")                                          \
	thr ", WRITE: TLSv1.2 Handshake, length = 200\n"                      \
	thr ", READ: TLSv1.2 Handshake, length = 3000\n"                      \
	CL_SERVER_HELLO                                                       \
	"*** Certificate chain\n"                                             \
	CL_CERT(0, LEAF, INT) CL_CERT(1, INT, ROOT)                           \
	"***\n"
static void test_classic_failure_causes(void **state)
{
	static const struct {
		const char *tail;
		enum diag_code want;
		const char *failure;
	} cases[] = {
		{"main, handling exception: java.net.SocketTimeoutException: "
		 "Read timed out\n", DIAG_HANDSHAKE_FAILED,
		 "java.net.SocketTimeoutException: Read timed out"},
		{"main, handling exception: java.net.SocketException: Connection "
		 "reset\n"
		 "main, SEND TLSv1.2 ALERT:  fatal, description = unexpected_message\n",
		 DIAG_PEER_CLOSED, "java.net.SocketException: Connection reset"},
		{"main, SEND TLSv1.2 ALERT:  fatal, description = handshake_failure\n"
		 "main, handling exception: javax.net.ssl.SSLHandshakeException: "
		 "DHPublicKey does not comply to algorithm constraints\n",
		 DIAG_CIPHER_MISMATCH, NULL},
		{"main, SEND TLSv1.2 ALERT:  fatal, description = certificate_unknown\n"
		 "main, handling exception: javax.net.ssl.SSLHandshakeException: "
		 "sun.security.validator.ValidatorException: PKIX path validation "
		 "failed: java.security.cert.CertPathValidatorException: Algorithm "
		 "constraints check failed: MD5withRSA\n", DIAG_HANDSHAKE_FAILED, NULL},
		{"main, SEND TLSv1.2 ALERT:  fatal, description = certificate_unknown\n"
		 "main, handling exception: javax.net.ssl.SSLHandshakeException: "
		 "sun.security.validator.ValidatorException: Extended key usage "
		 "does not permit use for TLS server authentication\n",
		 DIAG_HANDSHAKE_FAILED, NULL},
		{"main, SEND TLSv1.2 ALERT:  fatal, description = certificate_unknown\n"
		 "main, handling exception: javax.net.ssl.SSLHandshakeException: "
		 "sun.security.validator.ValidatorException: PKIX path validation "
		 "failed: java.security.cert.CertPathValidatorException: basic "
		 "constraints check failed: this is not a CA certificate\n",
		 DIAG_HANDSHAKE_FAILED, NULL},
		{"main, SEND TLSv1.2 ALERT:  fatal, description = certificate_unknown\n"
		 "main, handling exception: javax.net.ssl.SSLHandshakeException: "
		 "sun.security.validator.ValidatorException: PKIX path validation "
		 "failed: java.security.cert.CertPathValidatorException: timestamp "
		 "check failed\n", DIAG_CERT_EXPIRED, NULL},
	};
	for (size_t i = 0; i < SS_ARRAY_LEN(cases); i++) {
		char text[4096];
		snprintf(text, sizeof text, "%s%s", CL_FULL_CHAIN("main"),
			 cases[i].tail);
		struct report *r = run1(text);
		assert_int_equal(r->n_handshakes, 1);
		struct handshake *h = &r->handshakes[0];
		assert_int_equal(h->outcome, OUTCOME_FAILED);
		assert_int_equal(h->diagnosis, cases[i].want);
		if (cases[i].failure)
			assert_string_equal(h->failure_text, cases[i].failure);
		report_free(&r);
	}
	/* an established connection's error, its handshake not in the
	 * log: no handshake is made up for it; after a good one, that one
	 * stays good */
	struct report *r = run1(
		"pool-1-thread-4, handling exception: java.net.SocketException: "
		"Connection reset\n");
	assert_int_equal(r->n_handshakes, 0);
	report_free(&r);
	/* a fragment that starts at the certificate exception: its cause
	 * still counts */
	r = run1("main, handling exception: java.security.cert."
		 "CertificateException: No name matching legacy.partner.test found\n"
		 "main, SEND TLSv1.2 ALERT:  fatal, description = certificate_unknown\n");
	assert_int_equal(r->n_handshakes, 1);
	assert_int_equal(r->handshakes[0].diagnosis, DIAG_HOSTNAME_MISMATCH);
	report_free(&r);
	r = run1(CL_FULL_CHAIN("main") CL_FINISH_OK("main")
		 "main, handling exception: java.net.SocketException: Broken pipe\n");
	assert_int_equal(r->n_handshakes, 1);
	assert_int_equal(r->handshakes[0].outcome, OUTCOME_OK);
	report_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tls13_leaf_only),
		cmocka_unit_test(test_handshake_hops_threads),
		cmocka_unit_test(test_hop_between_two_in_flight_not_guessed),
		cmocka_unit_test(test_tls12_chain_and_finished),
		cmocka_unit_test(test_own_and_trusted_blocks_ignored),
		cmocka_unit_test(test_cut_block),
		cmocka_unit_test(test_interleaved_threads_in_wrapper),
		cmocka_unit_test(test_many_threads),
		cmocka_unit_test(test_field_capped),
		cmocka_unit_test(test_classic_jdk8),
		cmocka_unit_test(test_symptoms_across_files),
		cmocka_unit_test(test_caused_by_is_one_symptom),
		cmocka_unit_test(test_logger_line_and_its_exception),
		cmocka_unit_test(test_endpoint_in_client_words),
		cmocka_unit_test(test_hello_retry_is_one_handshake),
		cmocka_unit_test(test_san_names),
		cmocka_unit_test(test_classic_san_and_ca_list),
		cmocka_unit_test(test_cert_request_ca_lists),
		cmocka_unit_test(test_own_certificate),
		cmocka_unit_test(test_key_store_entries),
		cmocka_unit_test(test_alert_records),
		cmocka_unit_test(test_tls13_late_alert),
		cmocka_unit_test(test_hello_retry_client_shape),
		cmocka_unit_test(test_ambiguous_server_hellos),
		cmocka_unit_test(test_expanded_header),
		cmocka_unit_test(test_bom_and_colours),
		cmocka_unit_test(test_debug_levels),
		cmocka_unit_test(test_server_side_client_chains),
		cmocka_unit_test(test_classic_engine_empty_chain),
		cmocka_unit_test(test_client_side_hostname_check),
		cmocka_unit_test(test_system_logger_mode),
		cmocka_unit_test(test_outbound_symptom_not_tied_to_inbound),
		cmocka_unit_test(test_classic_same_thread_sequence),
		cmocka_unit_test(test_classic_overlapping_threads),
		cmocka_unit_test(test_classic_interleaved_blocks),
		cmocka_unit_test(test_classic_chain_stays_without_proof),
		cmocka_unit_test(test_classic_hellos_wait_for_their_write),
		cmocka_unit_test(test_classic_fragment_hint),
		cmocka_unit_test(test_classic_peer_warning_ends_handshake),
		cmocka_unit_test(test_classic_fatal_error_cause),
		cmocka_unit_test(test_failure_wordings_without_debug),
		cmocka_unit_test(test_classic_failure_causes),
	};
	return cmocka_run_group_tests(tests, patterns_setup, patterns_teardown);
}
