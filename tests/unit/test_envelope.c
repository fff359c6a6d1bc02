/* test_envelope.c - the outer and inner envelope tables, line by line. */
#include "config.h"

#include "testutil.h"

#include "envelope.h"
#include "util.h"

static struct envelopes *E;

static int setup(void **state)
{
	(void)state;
	struct ss_err err = {{0}};
	E = envelopes_new(&err);
	if (!E)
		fprintf(stderr, "envelopes_new: %s\n", err.msg);
	return E ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	envelopes_free(&E);
	return 0;
}

#define assert_slice(s, lit)                                                  \
	do {                                                                  \
		struct slice s_ = (s);                                        \
		const char *l_ = (lit);                                       \
		if (!slice_eq(s_, l_))                                        \
			fail_msg("%s: got \"%.*s\" (%zu bytes), want \"%s\"", \
				 #s, (int)s_.n, s_.p ? s_.p : "", s_.n, l_);  \
	} while (0)

#define assert_name(o, want) assert_string_equal((o).outer_name, (want))

/* The slice lies inside [p, p + n] and is never NULL. */
static void assert_inside(struct slice s, const char *p, size_t n)
{
	assert_non_null(s.p);
	assert_true(s.p >= p);
	assert_true(s.p + s.n <= p + n);
}

static void assert_all_inside(const struct envline *o, const char *p, size_t n)
{
	assert_inside(o->thread, p, n);
	assert_inside(o->level, p, n);
	assert_inside(o->jsse_level, p, n);
	assert_inside(o->jsse_thread, p, n);
	assert_inside(o->jsse_src, p, n);
	assert_inside(o->msg, p, n);
	assert_non_null(o->outer_name);
}

static struct envline strip_n(const char *p, size_t n)
{
	struct env_cache c;
	struct envline o;
	env_cache_init(&c);
	envelope_strip(E, &c, p, n, &o);
	assert_all_inside(&o, p, n);
	return o;
}

static struct envline strip(const char *line)
{
	return strip_n(line, strlen(line));
}

static int64_t MS(int y, int mo, int d, int h, int mi, int s, int ms)
{
	return civil_to_ms(y, mo, d, h, mi, s, ms);
}

/* A line no envelope claims: raw, untouched. */
static void assert_raw(const char *line)
{
	struct envline o = strip(line);
	if (strcmp(o.outer_name, "raw") != 0)
		fail_msg("\"%s\" taken for %s", line, o.outer_name);
	assert_true(o.ts == TS_NONE);
	assert_int_equal(o.thread.n, 0);
	assert_int_equal(o.level.n, 0);
}

/* ---- Tanuki wrapper ------------------------------------------------- */

static void test_wrapper_padded(void **state)
{
	(void)state;
	struct envline o = strip(
		"INFO   | jvm 1    | 2026/11/21 10:11:12.345 | hello, world");
	assert_name(o, "wrapper");
	assert_true(o.ts == MS(2026, 11, 21, 10, 11, 12, 345));
	assert_slice(o.level, "INFO");
	assert_slice(o.thread, "");
	assert_slice(o.msg, "hello, world");
	assert_int_equal(o.inner, INNER_NONE);
	assert_true(o.jsse_ts == TS_NONE);
}

static void test_wrapper_levels_and_sources(void **state)
{
	(void)state;
	struct envline o = strip(
		"STATUS | wrapper  | 2026/11/22 09:20:01.767 | --> Wrapper Started as Daemon");
	assert_name(o, "wrapper");
	assert_slice(o.level, "STATUS");
	assert_slice(o.msg, "--> Wrapper Started as Daemon");
	assert_true(o.ts == MS(2026, 11, 22, 9, 20, 1, 767));

	o = strip("ERROR  | jvm 12   | 2026/01/02 03:04:05.006 | boom");
	assert_slice(o.level, "ERROR");
	assert_slice(o.msg, "boom");
	assert_true(o.ts == MS(2026, 1, 2, 3, 4, 5, 6));

	o = strip("WARN   | wrapperm | 2026/01/02 03:04:05.006 | w");
	assert_slice(o.level, "WARN");
	o = strip("DEBUG  | jvm 1    | 2026/01/02 03:04:05.006 | d");
	assert_slice(o.level, "DEBUG");
	assert_slice(o.msg, "d");
}

static void test_wrapper_collapsed(void **state)
{
	(void)state;
	struct envline o = strip("INFO|jvm 1|2026/11/21 10:11:12|msg");
	assert_name(o, "wrapper");
	assert_slice(o.level, "INFO");
	assert_slice(o.msg, "msg");
	assert_true(o.ts == MS(2026, 11, 21, 10, 11, 12, 0));

	o = strip("WARN | jvm 12 | 2026/11/21 10:11:12.5 | single spaces");
	assert_name(o, "wrapper");
	assert_slice(o.level, "WARN");
	assert_slice(o.msg, "single spaces");
	assert_true(o.ts == MS(2026, 11, 21, 10, 11, 12, 500));
}

static void test_wrapper_empty_msg(void **state)
{
	(void)state;
	static const char *const lines[] = {
		"INFO   | jvm 1    | 2026/11/21 10:11:12.345 | ",
		"INFO   | jvm 1    | 2026/11/21 10:11:12.345 |",
		"INFO|jvm 1|2026/11/21 10:11:12.345|",
	};
	for (size_t i = 0; i < SS_ARRAY_LEN(lines); i++) {
		struct envline o = strip(lines[i]);
		assert_name(o, "wrapper");
		assert_int_equal(o.msg.n, 0);
		assert_true(o.ts == MS(2026, 11, 21, 10, 11, 12, 345));
	}
}

static void test_wrapper_keeps_indent(void **state)
{
	(void)state;
	struct envline o = strip(
		"INFO   | jvm 1    | 2026/11/22 09:20:02.285 |   \"client version\"      : \"TLSv1.2\",");
	assert_name(o, "wrapper");
	assert_slice(o.msg, "  \"client version\"      : \"TLSv1.2\",");
	assert_int_equal(o.inner, INNER_NONE);
}

static void test_wrapper_jsse(void **state)
{
	(void)state;
	struct envline o = strip(
		"INFO   | jvm 1    | 2026/11/22 09:20:02.285 | javax.net.ssl|DEBUG|C0|"
		"glide.scheduler.worker.3|2026-11-22 09:20:02.280 UTC|"
		"ClientHello.java:639|Produced ClientHello handshake message (");
	assert_name(o, "wrapper");
	assert_true(o.ts == MS(2026, 11, 22, 9, 20, 2, 285));
	assert_int_equal(o.inner, INNER_JSSE);
	assert_slice(o.jsse_level, "DEBUG");
	assert_slice(o.jsse_thread, "glide.scheduler.worker.3");
	assert_true(o.jsse_ts == MS(2026, 11, 22, 9, 20, 2, 280));
	assert_slice(o.jsse_src, "ClientHello.java:639");
	assert_slice(o.msg, "Produced ClientHello handshake message (");
}

/* ---- ServiceNow app node -------------------------------------------- */

static void test_sn_app_session_txid_error(void **state)
{
	(void)state;
	struct envline o = strip(
		"2026-11-22 09:20:00 (243) glide.scheduler.worker.1 "
		"64B5DBF5525881BBD5506DE4C2AB102B txid=93476cc49a95 SEVERE "
		"*** ERROR *** javax.net.ssl.SSLHandshakeException: PKIX path building failed");
	assert_name(o, "sn-app");
	assert_true(o.ts == MS(2026, 11, 22, 9, 20, 0, 243));
	assert_slice(o.thread, "glide.scheduler.worker.1");
	assert_slice(o.level, "SEVERE");
	assert_slice(o.msg,
		     "javax.net.ssl.SSLHandshakeException: PKIX path building failed");
	assert_int_equal(o.inner, INNER_NONE);
}

static void test_sn_app_warning_marker(void **state)
{
	(void)state;
	struct envline o = strip(
		"2026-11-21 10:11:12 (345) worker.3 7A1F3C0E9B2D4F6A8C1E3B5D7F9A0C2E "
		"txid=4b2c1a9e8f7d WARNING *** WARNING *** Request not sent");
	assert_name(o, "sn-app");
	assert_slice(o.thread, "worker.3");
	assert_slice(o.level, "WARNING");
	assert_slice(o.msg, "Request not sent");
	assert_true(o.ts == MS(2026, 11, 21, 10, 11, 12, 345));

	o = strip("2026-11-21 10:11:12 (5) worker.3 INFO Response from uri=x");
	assert_slice(o.level, "INFO");
	assert_slice(o.msg, "Response from uri=x");
	assert_true(o.ts == MS(2026, 11, 21, 10, 11, 12, 5));
}

static void test_sn_app_no_session(void **state)
{
	(void)state;
	struct envline o = strip(
		"2026-11-21 10:11:12 (345) glide.scheduler.worker.3 SEVERE *** ERROR *** msg");
	assert_name(o, "sn-app");
	assert_slice(o.thread, "glide.scheduler.worker.3");
	assert_slice(o.level, "SEVERE");
	assert_slice(o.msg, "msg");
}

static void test_sn_app_no_level(void **state)
{
	(void)state;
	struct envline o = strip(
		"2026-11-21 10:11:12 (345) http-nio-16001-exec-7 "
		"[DBKeyStoreSocketFactory] DEBUG: Unable to collect");
	assert_name(o, "sn-app");
	assert_slice(o.thread, "http-nio-16001-exec-7");
	assert_slice(o.level, "");
	assert_slice(o.msg, "[DBKeyStoreSocketFactory] DEBUG: Unable to collect");

	o = strip("2026-11-22 09:20:00 (260) glide.scheduler.worker.1 "
		  "64B5DBF5525881BBD5506DE4C2AB102B txid=93476cc49a95 "
		  "DBKeyStoreSocketFactory DEBUG: Unable to collect telemetry");
	assert_name(o, "sn-app");
	assert_slice(o.level, "");
	assert_slice(o.msg, "DBKeyStoreSocketFactory DEBUG: Unable to collect telemetry");

	o = strip("2026-11-21 10:11:12 (345) worker.3");
	assert_name(o, "sn-app");
	assert_slice(o.thread, "worker.3");
	assert_int_equal(o.msg.n, 0);
}

/* Some MID agent.log versions write the date ISO-style, with two spaces
 * before "(ms)"; one that starts like an ISO log4j line is not claimed. */
static void test_sn_two_spaces(void **state)
{
	(void)state;
	struct envline o = strip(
		"2026-11-21 10:11:12  (390) Worker-Standard:JDBCProbe-5f0c2e9a "
		"SEVERE *** ERROR *** javax.net.ssl.SSLHandshakeException: x");
	assert_name(o, "sn-app");
	assert_true(o.ts == MS(2026, 11, 21, 10, 11, 12, 390));
	assert_slice(o.thread, "Worker-Standard:JDBCProbe-5f0c2e9a");
	assert_slice(o.level, "SEVERE");
	assert_slice(o.msg, "javax.net.ssl.SSLHandshakeException: x");

	o = strip("11/21/26 10:11:12  (816) StartupSequencer MID Server started");
	assert_name(o, "sn-mid");
	assert_slice(o.thread, "StartupSequencer");

	o = strip("2026-11-21 10:11:12 ERROR [main] c.e.Foo - boom");
	assert_name(o, "iso");
	assert_slice(o.thread, "main");
	o = strip("2026-11-21 10:11:12   (390) worker.3 three spaces");
	assert_int_equal(o.thread.n, 0);
}

/* A thread name with spaces runs to the session id, "txid=" or the level
 * with its marker; without one of those, the first word is the thread. */
static void test_sn_thread_with_spaces(void **state)
{
	(void)state;
	struct envline o = strip(
		"2026-11-21 10:11:12 (345) ECC Queue Reader 2 SEVERE *** ERROR *** "
		"javax.net.ssl.SSLHandshakeException: x");
	assert_name(o, "sn-app");
	assert_slice(o.thread, "ECC Queue Reader 2");
	assert_slice(o.level, "SEVERE");
	assert_slice(o.msg, "javax.net.ssl.SSLHandshakeException: x");

	o = strip("2026-11-21 10:11:12 (345) AMB Send Worker "
		  "64B5DBF5525881BBD5506DE4C2AB102B txid=93476cc49a95 "
		  "Request not sent to uri=https://a.example:443/x : y");
	assert_slice(o.thread, "AMB Send Worker");
	assert_slice(o.msg, "Request not sent to uri=https://a.example:443/x : y");

	o = strip("11/21/26 10:11:12 (816) ECC Sender 1 txid=4b2c1a9e8f7d INFO done");
	assert_name(o, "sn-mid");
	assert_slice(o.thread, "ECC Sender 1");

	o = strip("2026-11-21 10:11:12 (345) glide.scheduler.worker.3 Request "
		  "not sent to uri=https://a.example:443/x : java.net.SocketException");
	assert_slice(o.thread, "glide.scheduler.worker.3");
	assert_slice(o.msg, "Request not sent to uri=https://a.example:443/x : "
			    "java.net.SocketException");

	/* a level word in the message, far from the thread: not a thread */
	o = strip("2026-11-21 10:11:12 (345) worker.3 one two three four five "
		  "SEVERE *** ERROR *** x");
	assert_slice(o.thread, "worker.3");
}

/* ---- ServiceNow MID server ------------------------------------------ */

static void test_sn_mid(void **state)
{
	(void)state;
	struct envline o = strip(
		"11/21/26 10:11:12 (816) Worker-Standard:HTTPRequest SEVERE *** ERROR *** "
		"javax.net.ssl.SSLHandshakeException: Remote host terminated the handshake");
	assert_name(o, "sn-mid");
	assert_true(o.ts == MS(2026, 11, 21, 10, 11, 12, 816));
	assert_slice(o.thread, "Worker-Standard:HTTPRequest");
	assert_slice(o.level, "SEVERE");
	assert_slice(o.msg, "javax.net.ssl.SSLHandshakeException: "
			    "Remote host terminated the handshake");

	o = strip("11/21/26 10:11:12 (816) StartupSequencer MID Server started");
	assert_name(o, "sn-mid");
	assert_slice(o.thread, "StartupSequencer");
	assert_slice(o.level, "");
	assert_slice(o.msg, "MID Server started");
}

/* ---- Tomcat JULI ---------------------------------------------------- */

static void test_juli_oneline(void **state)
{
	(void)state;
	struct envline o = strip(
		"21-Nov-2026 10:11:12.345 SEVERE [http-nio-8080-exec-1] "
		"org.apache.coyote.http11.Http11Processor.service Error processing request");
	assert_name(o, "juli");
	assert_true(o.ts == MS(2026, 11, 21, 10, 11, 12, 345));
	assert_slice(o.level, "SEVERE");
	assert_slice(o.thread, "http-nio-8080-exec-1");
	assert_slice(o.msg, "Error processing request");

	o = strip("01-Feb-2026 00:00:01.002 INFO [main thread] org.x.Y.m");
	assert_name(o, "juli");
	assert_slice(o.thread, "main thread");
	assert_int_equal(o.msg.n, 0);
	assert_true(o.ts == MS(2026, 2, 1, 0, 0, 1, 2));
}

static void test_juli_simple(void **state)
{
	(void)state;
	struct envline o = strip(
		"Nov 21, 2026 10:11:12 AM org.apache.catalina.startup.Catalina start");
	assert_name(o, "juli-simple");
	assert_true(o.ts == MS(2026, 11, 21, 10, 11, 12, 0));
	assert_int_equal(o.msg.n, 0);

	o = strip("Nov 1, 2026 1:02:03 PM org.apache.x.Y <init>");
	assert_name(o, "juli-simple");
	assert_true(o.ts == MS(2026, 11, 1, 13, 2, 3, 0));
	o = strip("Jan 5, 2026 12:00:00 AM org.x.Y m");
	assert_true(o.ts == MS(2026, 1, 5, 0, 0, 0, 0));
	o = strip("Jan 5, 2026 12:30:00 PM org.x.Y m");
	assert_true(o.ts == MS(2026, 1, 5, 12, 30, 0, 0));

	o = strip("SEVERE: Servlet.service() threw exception");
	assert_name(o, "juli-level");
	assert_slice(o.level, "SEVERE");
	assert_slice(o.msg, "Servlet.service() threw exception");
	assert_true(o.ts == TS_NONE);
	/* the message may be another logger's line (output the JVM's
	 * logger took in): its thread and time are all the line has */
	o = strip("INFO: 22-Nov-2026 10:10:17.877 SEVERE [exec-1] a.B.serve "
		  "Handshake failed");
	assert_name(o, "juli-level");
	assert_slice(o.thread, "exec-1");
	assert_slice(o.level, "SEVERE");
	assert_slice(o.msg, "Handshake failed");
	assert_true(o.ts == MS(2026, 11, 22, 10, 10, 17, 877));

	assert_raw("Nov 21, 2026 13:11:12 PM org.x.Y m");
	assert_raw("Nov 21, 2026 10:11:12 AM org.x.Y m and then some words");
	assert_raw("NOTICE: not a level");
}

/* ---- log4j / logback / Spring Boot ---------------------------------- */

static void test_iso(void **state)
{
	(void)state;
	struct envline o = strip(
		"2026-11-21 10:11:12,345 ERROR [http-nio-8443-exec-1] "
		"com.example.Client - call failed");
	assert_name(o, "iso");
	assert_true(o.ts == MS(2026, 11, 21, 10, 11, 12, 345));
	assert_slice(o.level, "ERROR");
	assert_slice(o.thread, "http-nio-8443-exec-1");
	assert_slice(o.msg, "call failed");

	o = strip("2026-11-21T10:11:12.345Z [main] WARN  c.e.Client - slow");
	assert_name(o, "iso");
	assert_slice(o.level, "WARN");
	assert_slice(o.thread, "main");
	assert_slice(o.msg, "slow");

	o = strip("2026-11-21T10:11:12.345678+01:00  INFO 4242 --- [demo] "
		  "[           main] o.s.b.StartupInfoLogger  : Started");
	assert_name(o, "iso");
	assert_true(o.ts == MS(2026, 11, 21, 10, 11, 12, 345));
	assert_slice(o.level, "INFO");
	assert_slice(o.thread, "main");
	assert_slice(o.msg, "Started");

	o = strip("2026-11-21 10:11:12 DEBUG nothing else here");
	assert_name(o, "iso");
	assert_slice(o.level, "DEBUG");
	assert_slice(o.thread, "");
	assert_slice(o.msg, "nothing else here");

	assert_raw("2026-11-21 10:11:12,345 NOTALEVEL [main] x - y");
	assert_raw("2026-13-21 10:11:12,345 ERROR [main] x - y");
}

/* ---- raw ------------------------------------------------------------ */

static void test_raw(void **state)
{
	(void)state;
	static const char *const lines[] = {
		"",
		"Exception in thread \"main\" javax.net.ssl.SSLHandshakeException: x",
		"\tat sun.security.ssl.Alert.createSSLException(Alert.java:131)",
		"Caused by: sun.security.validator.ValidatorException: PKIX path",
		"OpenJDK 64-Bit Server VM warning: Options -Xverify:none",
		"  \"certificate_list\": [",
	};
	for (size_t i = 0; i < SS_ARRAY_LEN(lines); i++) {
		struct envline o = strip(lines[i]);
		assert_name(o, "raw");
		assert_true(o.ts == TS_NONE);
		assert_slice(o.msg, lines[i]);
		assert_int_equal(o.inner, INNER_NONE);
	}
	struct envline o;
	envelope_strip(E, NULL, NULL, 0, &o);
	assert_name(o, "raw");
	assert_int_equal(o.msg.n, 0);
	assert_non_null(o.msg.p);
}

static void test_near_misses(void **state)
{
	(void)state;
	static const char *const lines[] = {
		"INFO   | jvm 1    | 2026/13/21 10:11:12.345 | bad month",
		"INFO   | jvm 1    | 2026/11/21 25:11:12.345 | bad hour",
		"INFO   | jvm 1    | 2026/11/21 10:11 | short time",
		"INFO   | jvm 1    | 2026-11-21 10:11:12.345 | dashes",
		"INFO   | jvm 1    | 2026/11/21 10:11:12.345 no bar",
		"INFO   |          | 2026/11/21 10:11:12.345 | no source",
		"INFO   | jvm 1    2026/11/21 10:11:12.345 | one bar",
		"info   | jvm 1    | 2026/11/21 10:11:12.345 | lower case",
		"INFOINFOINFOINFO | jvm 1 | 2026/11/21 10:11:12.345 | long level",
		"2026-11-21 10:11:12 (3456) worker.3 INFO x",
		"2026-11-21 10:11:12 (345 worker.3 INFO x",
		"2026-11-21 10:11:12 () worker.3 INFO x",
		"2026-11-21 10:11:12 (345)",
		"2026-11-21 10:11:12 (345)  two spaces",
		"11/21/26 10:11:12 (8x6) Worker x",
		"11/21/2026 10:11:12 (816) Worker x",
		"21-Foo-2026 10:11:12.345 SEVERE [main] a.B.c msg",
		"21-Nov-2026 10:11:12.345 SEVERE main a.B.c msg",
		"21-Nov-2026 10:11:12.345 SEVERE [main a.B.c msg",
		"Nov 21 2026 10:11:12 AM org.x.Y m",
		"2026-11-21 10:11:12,345 hello world",
		"2026-11-21",
		"INFO",
		"javax.net.ssl",
	};
	for (size_t i = 0; i < SS_ARRAY_LEN(lines); i++) {
		assert_raw(lines[i]);
		assert_slice(strip(lines[i]).msg, lines[i]);
	}
}

/* ---- JDK 11+ record header ------------------------------------------ */

static const char *jsse_line(char *buf, size_t len, const char *level,
			     const char *id, const char *thread, const char *ts,
			     const char *src, const char *msg)
{
	snprintf(buf, len, "javax.net.ssl|%s|%s|%s|%s|%s|%s", level, id, thread,
		 ts, src, msg);
	return buf;
}

static void test_jsse_levels(void **state)
{
	(void)state;
	static const char *const levels[] = {
		"DEBUG", "ALL", "TRACE", "FINE", "FINER", "FINEST", "INFO",
		"WARNING", "ERROR", "CONFIG",
	};
	char buf[512];
	for (size_t i = 0; i < SS_ARRAY_LEN(levels); i++) {
		struct envline o = strip(jsse_line(buf, sizeof buf, levels[i], "0C",
						   "main", "2026-11-21 10:11:12.345 UTC",
						   "CertificateMessage.java:1172",
						   "Consuming server Certificate handshake message ("));
		assert_name(o, "raw");
		assert_int_equal(o.inner, INNER_JSSE);
		assert_slice(o.jsse_level, levels[i]);
		assert_slice(o.jsse_thread, "main");
		assert_slice(o.jsse_src, "CertificateMessage.java:1172");
		assert_true(o.jsse_ts == MS(2026, 11, 21, 10, 11, 12, 345));
		assert_slice(o.msg, "Consuming server Certificate handshake message (");
	}
}

static void test_jsse_threads_and_ids(void **state)
{
	(void)state;
	static const char *const threads[] = {
		"main", "http-nio-8443-exec-1",
		"[ACTIVE] ExecuteThread: '12' for queue: 'weblogic.kernel.Default (self-tuning)'",
		"pool-1-thread-3", "Thread[#21,worker,5,main]", "a|b", "",
	};
	static const char *const ids[] = {"01", "0C", "1F", "2A3", "01 00", "10 32"};
	char buf[512];
	for (size_t i = 0; i < SS_ARRAY_LEN(threads); i++) {
		const char *id = ids[i % SS_ARRAY_LEN(ids)];
		struct envline o = strip(jsse_line(buf, sizeof buf, "DEBUG", id,
						   threads[i],
						   "2026-11-21 10:11:12.345 UTC",
						   "X.java:1", "m"));
		assert_int_equal(o.inner, INNER_JSSE);
		assert_slice(o.jsse_thread, threads[i]);
		assert_slice(o.msg, "m");
	}
}

static void test_jsse_zones(void **state)
{
	(void)state;
	static const char *const stamps[] = {
		"2026-11-21 10:11:12.345 UTC", "2026-11-21 10:11:12.345 CET",
		"2026-11-21 10:11:12.345 EST", "2026-11-21 10:11:12.345 GMT+01:00",
		"2026-11-21 10:11:12.345 +0100", "2026-11-21 10:11:12.345",
	};
	char buf[512];
	for (size_t i = 0; i < SS_ARRAY_LEN(stamps); i++) {
		struct envline o = strip(jsse_line(buf, sizeof buf, "DEBUG", "01",
						   "main", stamps[i], "A.java:9",
						   "hello"));
		assert_int_equal(o.inner, INNER_JSSE);
		assert_true(o.jsse_ts == MS(2026, 11, 21, 10, 11, 12, 345));
		assert_slice(o.jsse_src, "A.java:9");
		assert_slice(o.msg, "hello");
	}
}

/* kk: the clock hour 1-24; 24:05 is five past midnight of the same date. */
static void test_jsse_hour_24(void **state)
{
	(void)state;
	struct envline o = strip(
		"javax.net.ssl|DEBUG|10|main|2024-06-03 24:05:10.002 CEST|A.java:1|m");
	assert_int_equal(o.inner, INNER_JSSE);
	assert_true(o.jsse_ts == MS(2024, 6, 3, 0, 5, 10, 2));
	o = strip("javax.net.ssl|DEBUG|10|main|2024-06-03 25:05:10.002 CEST|A.java:1|m");
	assert_int_equal(o.inner, INNER_NONE);
}

/* A container or app server may put its own prefix before the header. */
static void test_jsse_foreign_prefix(void **state)
{
	(void)state;
	struct envline o = strip(
		"svc-1     | javax.net.ssl|DEBUG|01|main|2024-06-03 11:22:01.377 CEST|"
		"ServerHello.java:988|Negotiated protocol version: TLSv1.2");
	assert_name(o, "compose");
	assert_int_equal(o.inner, INNER_JSSE);
	assert_slice(o.jsse_thread, "main");
	assert_slice(o.msg, "Negotiated protocol version: TLSv1.2");

	o = strip("2020-12-16T19:13:36.977699490Z javax.net.ssl|WARNING|0E|"
		  "nioEventLoopGroup-2-1|2020-12-16 19:13:36.970 UTC|"
		  "X509Authentication.java:213|No X.509 cert selected for EC");
	assert_int_equal(o.inner, INNER_JSSE);
	assert_slice(o.jsse_thread, "nioEventLoopGroup-2-1");
	assert_slice(o.msg, "No X.509 cert selected for EC");

	char buf[512];
	memset(buf, '.', 129);
	strcpy(buf + 129, "javax.net.ssl|DEBUG|01|main|2024-06-03 11:22:01.377 CEST|A.java:1|m");
	o = strip(buf);                         /* too far in: not a header */
	assert_int_equal(o.inner, INNER_NONE);
	memmove(buf, buf + 2, strlen(buf + 2) + 1);
	o = strip(buf);                         /* 127 bytes in: still one */
	assert_int_equal(o.inner, INNER_JSSE);
	assert_slice(o.msg, "m");
}

static void test_jsse_src_and_empty_msg(void **state)
{
	(void)state;
	struct envline o = strip(
		"javax.net.ssl|ERROR|2A3|main|2026-11-21 10:11:12.345 UTC|null|");
	assert_int_equal(o.inner, INNER_JSSE);
	assert_slice(o.jsse_level, "ERROR");
	assert_slice(o.jsse_src, "null");
	assert_int_equal(o.msg.n, 0);

	o = strip("javax.net.ssl|DEBUG|01|main|2026-11-21 10:11:12.345 UTC||m|x");
	assert_int_equal(o.inner, INNER_JSSE);
	assert_slice(o.jsse_src, "");
	assert_slice(o.msg, "m|x");
}

static void test_jsse_not_quite(void **state)
{
	(void)state;
	static const char *const lines[] = {
		"javax.net.ssl|DEBUG|0C|main|2026-11-21 10:11:12.345 UTC|Cert",
		"javax.net.ssl|DEBUG|zz|main|2026-11-21 10:11:12.345 UTC|A.java:1|m",
		"javax.net.ssl||0C|main|2026-11-21 10:11:12.345 UTC|A.java:1|m",
		"javax.net.ssl|DEBUG|0C|main|2026-13-21 10:11:12.345 UTC|A.java:1|m",
		"javax.net.ssl|DEBUG|0C|main|yesterday|A.java:1|m",
		"javax.net.ssl|DEBUG|0C|main",
		"javax.net.ssl.SSLHandshakeException: PKIX path building failed",
		"Javax.net.ssl|DEBUG|0C|main|2026-11-21 10:11:12.345 UTC|A.java:1|m",
	};
	for (size_t i = 0; i < SS_ARRAY_LEN(lines); i++) {
		struct envline o = strip(lines[i]);
		assert_int_equal(o.inner, INNER_NONE);
		assert_true(o.jsse_ts == TS_NONE);
		assert_slice(o.msg, lines[i]);
	}
}

/* ---- classic JDK 8 -------------------------------------------------- */

static void test_classic(void **state)
{
	(void)state;
	static const struct {
		const char *line, *thread, *msg;
	} cases[] = {
		{"main, WRITE: TLSv1.2 Handshake, length = 123", "main",
		 "WRITE: TLSv1.2 Handshake, length = 123"},
		{"main, READ: TLSv1.2 Handshake, length = 4012", "main",
		 "READ: TLSv1.2 Handshake, length = 4012"},
		{"main, SEND TLSv1.2 ALERT:  fatal, description = certificate_unknown",
		 "main", "SEND TLSv1.2 ALERT:  fatal, description = certificate_unknown"},
		{"main, RECV TLSv1.2 ALERT:  fatal, handshake_failure", "main",
		 "RECV TLSv1.2 ALERT:  fatal, handshake_failure"},
		{"http-nio-8443-exec-1, handling exception: javax.net.ssl.SSLHandshakeException: x",
		 "http-nio-8443-exec-1",
		 "handling exception: javax.net.ssl.SSLHandshakeException: x"},
		{"main, called closeSocket()", "main", "called closeSocket()"},
		{"Finalizer, called close()", "Finalizer", "called close()"},
		{"main, setSoTimeout(0) called", "main", "setSoTimeout(0) called"},
		{"main, received EOFException: error", "main",
		 "received EOFException: error"},
		{"main, fatal error: 46: General SSLEngine problem", "main",
		 "fatal error: 46: General SSLEngine problem"},
		{"main, fatal: engine already closed.  Rethrowing x", "main",
		 "fatal: engine already closed.  Rethrowing x"},
		{"main, Exception while waiting for close java.io.IOException", "main",
		 "Exception while waiting for close java.io.IOException"},
		{"pool-1-thread-3, closeInboundInternal()", "pool-1-thread-3",
		 "closeInboundInternal()"},
		{"main, SESSION KEYGEN:", "main", "SESSION KEYGEN:"},
		{"Thread-5, WRITE: TLSv1 Application Data, length = 80", "Thread-5",
		 "WRITE: TLSv1 Application Data, length = 80"},
		{"[ACTIVE] ExecuteThread: '3' for queue: 'weblogic, default', READ: TLSv1.2 Alert, length = 2",
		 "[ACTIVE] ExecuteThread: '3' for queue: 'weblogic, default'",
		 "READ: TLSv1.2 Alert, length = 2"},
	};
	for (size_t i = 0; i < SS_ARRAY_LEN(cases); i++) {
		struct envline o = strip(cases[i].line);
		assert_int_equal(o.inner, INNER_CLASSIC);
		assert_slice(o.jsse_thread, cases[i].thread);
		assert_slice(o.msg, cases[i].msg);
		assert_true(o.jsse_ts == TS_NONE);
		assert_int_equal(o.jsse_level.n, 0);
	}
	struct envline o = strip(
		"INFO   | jvm 1    | 2026/11/21 10:11:12.345 | main, WRITE: TLSv1.2 Handshake, length = 178");
	assert_name(o, "wrapper");
	assert_int_equal(o.inner, INNER_CLASSIC);
	assert_slice(o.jsse_thread, "main");
	assert_slice(o.msg, "WRITE: TLSv1.2 Handshake, length = 178");
}

static void test_classic_rejects(void **state)
{
	(void)state;
	char longthread[300];
	memset(longthread, 'x', 201);
	strcpy(longthread + 201, ", WRITE: TLSv1.2 Handshake, length = 1");
	const char *lines[] = {
		"Hello, world",
		"Extension elliptic_curves, curve names: {secp256r1}",
		"*** ClientHello, TLSv1.2",
		" main, WRITE: TLSv1.2 Handshake, length = 1",
		", WRITE: TLSv1.2 Handshake, length = 1",
		"main,WRITE: TLSv1.2 Handshake",
		"main, write: TLSv1.2 Handshake",
		"Well, called him yesterday",
		longthread,
	};
	for (size_t i = 0; i < SS_ARRAY_LEN(lines); i++) {
		struct envline o = strip(lines[i]);
		if (o.inner != INNER_NONE)
			fail_msg("\"%s\" taken for classic", lines[i]);
		assert_slice(o.msg, lines[i]);
	}
	longthread[0] = 'y';
	memmove(longthread + 1, longthread + 2, strlen(longthread + 2) + 1);
	struct envline o = strip(longthread);    /* 200 characters: allowed */
	assert_int_equal(o.inner, INNER_CLASSIC);
	assert_int_equal(o.jsse_thread.n, 200);
}

/* ---- BOM, colours, CR, NUL ------------------------------------------ */

static void test_bom(void **state)
{
	(void)state;
	struct envline o = strip(
		"\xEF\xBB\xBFINFO   | jvm 1    | 2026/11/21 10:11:12.345 | after bom");
	assert_name(o, "wrapper");
	assert_slice(o.msg, "after bom");

	o = strip("\xEF\xBB\xBFplain");
	assert_name(o, "raw");
	assert_slice(o.msg, "plain");

	o = strip("\xEF\xBB");
	assert_name(o, "raw");
	assert_slice(o.msg, "\xEF\xBB");
}

static void test_ansi(void **state)
{
	(void)state;
	struct envline o = strip(
		"\x1b[32mINFO   | jvm 1    | 2026/11/21 10:11:12.345 | "
		"\x1b[1;33mjavax.net.ssl|WARNING|1F|main|2026-11-21 10:11:12.300 UTC|"
		"X509TrustManagerImpl.java:242|Certificate path failed\x1b[0m");
	assert_name(o, "wrapper");
	assert_int_equal(o.inner, INNER_JSSE);
	assert_slice(o.jsse_level, "WARNING");
	assert_slice(o.msg, "Certificate path failed");

	o = strip("\x1b[0m\x1b[31mmain, RECV TLSv1.2 ALERT:  fatal, bad_certificate\x1b[m");
	assert_int_equal(o.inner, INNER_CLASSIC);
	assert_slice(o.msg, "RECV TLSv1.2 ALERT:  fatal, bad_certificate");

	o = strip("2026-11-21 10:11:12,345 \x1b[31mERROR\x1b[0m [main] a.B - red");
	assert_name(o, "iso");
	assert_slice(o.level, "ERROR");
	assert_slice(o.msg, "red");

	o = strip("\x1b[31");                     /* cut short: kept as text */
	assert_name(o, "raw");
	assert_slice(o.msg, "\x1b[31");
	o = strip("algorithm");
	assert_slice(o.msg, "algorithm");
}

static void test_crlf(void **state)
{
	(void)state;
	struct envline o = strip("INFO|jvm 1|2026/11/21 10:11:12|msg\r");
	assert_name(o, "wrapper");
	assert_slice(o.msg, "msg");
}

static void test_nul_bytes(void **state)
{
	(void)state;
	static const char line[] =
		"INFO   | jvm 1    | 2026/11/21 10:11:12.345 | a\0b\0c";
	struct envline o = strip_n(line, sizeof line - 1);
	assert_name(o, "wrapper");
	assert_int_equal(o.msg.n, 5);
	assert_memory_equal(o.msg.p, "a\0b\0c", 5);

	static const char bad[] = "IN\0O   | jvm 1    | 2026/11/21 10:11:12.345 | x";
	o = strip_n(bad, sizeof bad - 1);
	assert_name(o, "raw");
	assert_int_equal(o.msg.n, sizeof bad - 1);

	static const char jsse[] =
		"javax.net.ssl|DEBUG|01|ma\0in|2026-11-21 10:11:12.345 UTC|A.java:1|\0";
	o = strip_n(jsse, sizeof jsse - 1);
	assert_int_equal(o.inner, INNER_JSSE);
	assert_int_equal(o.jsse_thread.n, 5);
	assert_int_equal(o.msg.n, 1);
}

/* ---- robustness ----------------------------------------------------- */

static const char *const valid_lines[] = {
	"INFO   | jvm 1    | 2026/11/22 09:20:02.285 | javax.net.ssl|DEBUG|C0|"
	"glide.scheduler.worker.3|2026-11-22 09:20:02.280 UTC|"
	"ClientHello.java:639|Produced ClientHello handshake message (",
	"INFO|jvm 1|2026/11/21 10:11:12|main, WRITE: TLSv1.2 Handshake, length = 1",
	"2026-11-22 09:20:00 (243) glide.scheduler.worker.1 "
	"64B5DBF5525881BBD5506DE4C2AB102B txid=93476cc49a95 SEVERE "
	"*** ERROR *** javax.net.ssl.SSLHandshakeException: PKIX",
	"11/21/26 10:11:12 (816) Worker-Standard:HTTPRequest SEVERE *** ERROR *** x",
	"21-Nov-2026 10:11:12.345 SEVERE [http-nio-8080-exec-1] a.B.c msg",
	"Nov 21, 2026 10:11:12 AM org.apache.catalina.startup.Catalina start",
	"WARNING: careful",
	"2026-11-21T10:11:12.345+01:00  INFO 4242 --- [demo] [ main] o.s.B  : ok",
	"\xEF\xBB\xBF\x1b[32mINFO | jvm 1 | 2026/11/21 10:11:12.345 | \x1b[1m"
	"javax.net.ssl|ALL|2A3|a|b|2026-11-21 10:11:12.345 GMT+01:00|null|x\x1b[0m",
};

/* Every prefix of every valid line, each in a buffer of exactly its size
 * (valgrind and ASan see a read past it), with a cold and a warm cache. */
static void test_prefixes(void **state)
{
	(void)state;
	for (size_t i = 0; i < SS_ARRAY_LEN(valid_lines); i++) {
		size_t n = strlen(valid_lines[i]);
		struct env_cache warm;
		env_cache_init(&warm);
		struct envline o;
		envelope_strip(E, &warm, valid_lines[i], n, &o);
		assert_string_not_equal(o.outer_name, "raw");
		for (size_t len = 0; len <= n; len++) {
			char *buf = xmalloc(len);
			memcpy(buf, valid_lines[i], len);
			o = strip_n(buf, len);
			envelope_strip(E, &warm, buf, len, &o);
			assert_all_inside(&o, buf, len);
			free(buf);
		}
	}
}

static void test_long_line(void **state)
{
	(void)state;
	static const char head[] = "INFO   | jvm 1    | 2026/11/21 10:11:12.345 | "
				   "javax.net.ssl|DEBUG|01|main|2026-11-21 10:11:12.345 UTC|A.java:1|";
	size_t n = 4u << 20;
	char *buf = xmalloc(n);
	memcpy(buf, head, sizeof head - 1);
	memset(buf + sizeof head - 1, 'x', n - (sizeof head - 1));
	struct envline o = strip_n(buf, n);
	assert_name(o, "wrapper");
	assert_int_equal(o.inner, INNER_JSSE);
	assert_int_equal(o.msg.n, n - (sizeof head - 1));

	/* Pathological: shapes that pass and then go on for megabytes. */
	memset(buf, 'A', n);
	assert_name(strip_n(buf, n), "raw");
	memcpy(buf, "javax.net.ssl|DEBUG|01|", 23);
	memset(buf + 23, '|', n - 23);
	o = strip_n(buf, n);
	assert_int_equal(o.inner, INNER_NONE);
	memcpy(buf, "2026-11-21 10:11:12 ERROR [", 27);
	memset(buf + 27, 'y', n - 27);
	o = strip_n(buf, n);
	assert_name(o, "iso");
	assert_int_equal(o.msg.n, n - 26);
	memset(buf, 'x', n);
	memcpy(buf + n - 20, ", WRITE: x", 10);
	assert_int_equal(strip_n(buf, n).inner, INNER_NONE);
	free(buf);
}

/* ---- the cache ------------------------------------------------------ */

static void test_cache(void **state)
{
	(void)state;
	static const struct {
		const char *line, *name;
	} seq[] = {
		{"INFO   | jvm 1    | 2026/11/21 10:11:12.345 | a", "wrapper"},
		{"INFO   | jvm 1    | 2026/11/21 10:11:12.346 | b", "wrapper"},
		{"2026-11-21 10:11:12 (345) worker.3 INFO c", "sn-app"},
		{"INFO: d", "juli-level"},
		{"plain text", "raw"},
		{"INFO   | jvm 1    | 2026/11/21 10:11:12.347 | e", "wrapper"},
		{"2026-11-21 10:11:12,345 INFO [main] a.B - f", "iso"},
		{"2026-11-21 10:11:12 (345) worker.3 INFO g", "sn-app"},
		{"2026-11-21 10:11:12,345 INFO [main] a.B - h", "iso"},
	};
	struct env_cache c;
	env_cache_init(&c);
	assert_int_equal(c.last_outer, -1);
	int prev = -1;
	for (size_t i = 0; i < SS_ARRAY_LEN(seq); i++) {
		struct envline o;
		envelope_strip(E, &c, seq[i].line, strlen(seq[i].line), &o);
		assert_string_equal(o.outer_name, seq[i].name);
		if (strcmp(seq[i].name, "raw") == 0)
			assert_int_equal(c.last_outer, prev);  /* raw keeps it */
		else
			assert_int_not_equal(c.last_outer, -1);
		if (i > 0 && strcmp(seq[i].name, seq[i - 1].name) != 0 &&
		    strcmp(seq[i].name, "raw") != 0)
			assert_int_not_equal(c.last_outer, prev);
		prev = c.last_outer;
	}
	c.last_outer = 9999;                       /* garbage is ignored */
	struct envline o;
	envelope_strip(E, &c, "INFO: x", 7, &o);
	assert_name(o, "juli-level");
	c.last_outer = -7;
	envelope_strip(E, &c, "INFO: x", 7, &o);
	assert_name(o, "juli-level");
}

static bool same_slice(struct slice a, struct slice b)
{
	return a.n == b.n && (a.n == 0 || a.p == b.p);
}

static bool same_envline(const struct envline *a, const struct envline *b)
{
	return strcmp(a->outer_name, b->outer_name) == 0 && a->ts == b->ts &&
	       same_slice(a->thread, b->thread) &&
	       same_slice(a->level, b->level) && a->inner == b->inner &&
	       same_slice(a->jsse_level, b->jsse_level) &&
	       same_slice(a->jsse_thread, b->jsse_thread) &&
	       a->jsse_ts == b->jsse_ts && same_slice(a->jsse_src, b->jsse_src) &&
	       same_slice(a->msg, b->msg);
}

/* Whatever row the cache holds, every line strips as with a cold cache:
 * no line is claimed by two rows. */
static void test_cache_is_only_speed(void **state)
{
	(void)state;
	static const char *const primers[] = {
		"INFO|jvm 1|2026/11/21 10:11:12|m",
		"2026-11-21 10:11:12 (345) worker.3 INFO c",
		"11/21/26 10:11:12 (816) Worker m",
		"21-Nov-2026 10:11:12.345 SEVERE [main] a.B.c msg",
		"Nov 21, 2026 10:11:12 AM org.x.Y m",
		"INFO: x",
		"2026-11-21 10:11:12,345 INFO [main] a.B - f",
	};
	static const char *const lines[] = {
		"INFO|jvm 1|2026/11/21 10:11:12|m",
		"INFO: |jvm 1|2026/11/21 10:11:12|m",
		"INFO   | jvm 1    | 2026/11/21 10:11:12.345 | INFO: x",
		"2026-11-21 10:11:12 (345) worker.3 INFO c",
		"2026-11-21 10:11:12 (345) [main] INFO c",
		"2026-11-21 10:11:12 INFO [main] (345) c",
		"11/21/26 10:11:12 (816) Worker m",
		"21-Nov-2026 10:11:12.345 SEVERE [main] a.B.c msg",
		"Nov 21, 2026 10:11:12 AM org.x.Y m",
		"INFO: x",
		"SEVERE: 2026-11-21 10:11:12,345 INFO [main] a.B - f",
		"2026-11-21 10:11:12,345 INFO [main] a.B - f",
		"2026-11-21T10:11:12Z INFO x",
		"plain",
	};
	for (size_t i = 0; i < SS_ARRAY_LEN(lines); i++) {
		struct envline cold = strip(lines[i]);
		for (size_t j = 0; j < SS_ARRAY_LEN(primers); j++) {
			struct env_cache c;
			struct envline o;
			env_cache_init(&c);
			envelope_strip(E, &c, primers[j], strlen(primers[j]), &o);
			assert_int_not_equal(c.last_outer, -1);
			envelope_strip(E, &c, lines[i], strlen(lines[i]), &o);
			if (!same_envline(&o, &cold))
				fail_msg("\"%s\" after \"%s\": %s, cold %s", lines[i],
					 primers[j], o.outer_name, cold.outer_name);
		}
	}
}

static void test_names(void **state)
{
	(void)state;
	const char *const *names = envelope_names();
	size_t n = 0;
	while (names[n])
		n++;
	assert_true(n >= 8);
	assert_string_equal(names[n - 1], "raw");
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++)
			assert_string_not_equal(names[i], names[j]);
	/* Every name is produced by some line, and names what produced it. */
	static const char *const lines[] = {
		"INFO|jvm 1|2026/11/21 10:11:12|m",
		"2026-11-21 10:11:12 (345) worker.3 INFO c",
		"11/21/26 10:11:12 (816) Worker m",
		"21-Nov-2026 10:11:12.345 SEVERE [main] a.B.c msg",
		"Nov 21, 2026 10:11:12 AM org.x.Y m",
		"INFO: x",
		"2026-11-21 10:11:12,345 INFO [main] a.B - f",
		"[3/12/24 9:08:03:152 EDT] 0000004a SystemOut     O x",
		"09:08:03,152 INFO  [stdout] (default task-3) x",
		"2024-03-12T09:08:03.152000123Z stderr F x",
		"svc-1  | x",
		"[stdout] *** ClientHello, TLSv1.2",
		"x",
	};
	assert_int_equal(SS_ARRAY_LEN(lines), n);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(strip(lines[i]).outer_name, names[i]);
}

/* ---- containers and app servers (envelope_foreign.c) ----------------- */

/* One cache for several lines, as for the lines of one input. */
static struct envline strip_c(struct env_cache *c, const char *line)
{
	struct envline o;
	envelope_strip(E, c, line, strlen(line), &o);
	assert_all_inside(&o, line, strlen(line));
	return o;
}

/* WebSphere traditional and Liberty SystemOut / SystemErr: where IBM
 * JSSE2 and classic JDK 8 debug output lives. */
static void test_websphere(void **state)
{
	(void)state;
	struct envline o = strip(
		"[3/12/24 9:08:03:152 EDT] 0000004a SystemOut     O main, "
		"WRITE: TLSv1.2 Handshake, length = 178");
	assert_name(o, "websphere");
	assert_true(o.ts == MS(2024, 3, 12, 9, 8, 3, 152));
	assert_slice(o.thread, "0000004a");
	assert_slice(o.level, "O");
	assert_int_equal(o.inner, INNER_CLASSIC);
	assert_slice(o.jsse_thread, "main");
	assert_slice(o.msg, "WRITE: TLSv1.2 Handshake, length = 178");

	o = strip("[3/12/24, 21:08:03:004 CET] 0000012f SystemOut"
		  "                                    O *** ClientHello, TLSv1.2");
	assert_name(o, "websphere");
	assert_true(o.ts == MS(2024, 3, 12, 21, 8, 3, 4));
	assert_slice(o.msg, "*** ClientHello, TLSv1.2");

	o = strip("[12.03.24 09:08:03:152 MEZ] 00000051 SystemErr     R "
		  "\tat com.ibm.jsse2.d.a(d.java:42)");
	assert_name(o, "websphere");
	assert_true(o.ts == MS(2024, 3, 12, 9, 8, 3, 152));
	assert_slice(o.level, "R");
	assert_slice(o.msg, "\tat com.ibm.jsse2.d.a(d.java:42)");

	o = strip("[3/12/24 9:08:03:152 EDT] 0000004a SystemOut     O ");
	assert_name(o, "websphere");
	assert_slice(o.msg, "");
	o = strip("[3/12/24 9:08:03:152 EDT] 0000004a SSLComponen   I "
		  "CWPKI0022E: SSL HANDSHAKE FAILURE");
	assert_name(o, "websphere");
	assert_slice(o.level, "I");

	assert_raw("[3/12/24 9:08:03:152 EDT] 4a SystemOut     O x");
	assert_raw("[3/12/24 9:08:03 EDT] 0000004a SystemOut     O x");
	assert_raw("[3/12/24 9:08:03:152 EDT] 0000004a SystemOut     Q x");
	assert_raw("[3/12/24 9:08:03:152 EDT] 0000004a SystemOut     Ox");
	assert_raw("[13/45/24 9:08:03:152 EDT] 0000004a SystemOut     O x");
}

/* JBoss / WildFly console and server.log. */
static void test_jboss(void **state)
{
	(void)state;
	struct envline o = strip("09:08:03,152 INFO  [stdout] (default task-3) "
				 "main, READ: TLSv1.2 Alert, length = 2");
	assert_name(o, "jboss");
	assert_true(o.ts == TS_NONE);       /* the console has no date */
	assert_slice(o.thread, "default task-3");
	assert_slice(o.level, "INFO");
	assert_int_equal(o.inner, INNER_CLASSIC);
	assert_slice(o.jsse_thread, "main");

	o = strip("09:08:03,152 ERROR [stderr] (default task-3) "
		  "chain [0] = [");
	assert_name(o, "jboss");
	assert_slice(o.msg, "chain [0] = [");

	o = strip("09:08:03,152 ERROR [org.jboss.as] (MSC service thread 1-2) "
		  "WFLYSRV0026: started");
	assert_name(o, "jboss");
	assert_slice(o.thread, "MSC service thread 1-2");

	/* server.log: the date is there; only System.out / err are jboss's,
	 * the rest stays with the log4j-like "iso" row. */
	o = strip("2024-03-12 09:08:03,152 INFO  [stdout] (default task-3) "
		  "*** ServerHelloDone");
	assert_name(o, "jboss");
	assert_true(o.ts == MS(2024, 3, 12, 9, 8, 3, 152));
	assert_slice(o.msg, "*** ServerHelloDone");
	o = strip("2024-03-12 09:08:03,152 ERROR [org.x.Y] (default task-3) m");
	assert_name(o, "iso");

	assert_raw("09:08:03,152 info  [stdout] (default task-3) x");
	assert_raw("09:08:03,152 INFO  stdout (default task-3) x");
	assert_raw("09:08:03.152 INFO  [stdout] (default task-3) x");
}

/* Kubernetes CRI log files; the line inside may have its own envelope. */
static void test_cri(void **state)
{
	(void)state;
	struct envline o = strip("2024-03-12T09:08:03.152000123Z stderr F "
				 "%% Invalidated:  [Session-1, TLS_X]");
	assert_name(o, "cri");
	assert_true(o.ts == MS(2024, 3, 12, 9, 8, 3, 152));
	assert_slice(o.msg, "%% Invalidated:  [Session-1, TLS_X]");

	o = strip("2024-03-12T09:08:03+01:00 stdout P main, SEND TLSv1.2 "
		  "ALERT:  fatal, description = certificate_unknown");
	assert_name(o, "cri");
	assert_int_equal(o.inner, INNER_CLASSIC);

	o = strip("2024-03-12T09:08:03.1Z stdout F 2024-03-12 10:08:03,500 "
		  "ERROR [http-nio-8080-exec-7] a.B - handshake failed");
	assert_name(o, "cri");
	assert_true(o.ts == MS(2024, 3, 12, 10, 8, 3, 500));
	assert_slice(o.thread, "http-nio-8080-exec-7");
	assert_slice(o.level, "ERROR");
	assert_slice(o.msg, "handshake failed");

	o = strip("2024-03-12T09:08:03.152Z stderr F");
	assert_name(o, "cri");
	assert_slice(o.msg, "");

	assert_raw("2024-03-12T09:08:03.152Z stdin F x");
	assert_raw("2024-03-12T09:08:03.152Z stderr X x");
	assert_raw("2024-03-12T09:08:03.152 stderr F x");
}

/* docker compose: "service-N  | ". */
static void test_compose(void **state)
{
	(void)state;
	struct envline o = strip("mid-server-1  | *** Certificate chain");
	assert_name(o, "compose");
	assert_slice(o.msg, "*** Certificate chain");
	assert_true(o.ts == TS_NONE);

	o = strip("app_web_2 | INFO   | jvm 1    | 2024/03/12 09:08:03 | "
		  "main, WRITE: TLSv1.2 Handshake, length = 5");
	assert_name(o, "compose");
	assert_true(o.ts == MS(2024, 3, 12, 9, 8, 3, 0));
	assert_slice(o.level, "INFO");
	assert_int_equal(o.inner, INNER_CLASSIC);
	assert_slice(o.jsse_thread, "main");

	o = strip("svc-12 |");
	assert_name(o, "compose");
	assert_slice(o.msg, "");

	assert_raw("name  | value");        /* a table row: no replica */
	assert_raw("svc-1| x");
	assert_raw("svc-1  x");
	assert_raw("-1  | x");
}

/* An envelope no row knows: learned from an anchor line, stripped from
 * the lines that start with the same shape, and from no other. */
static void test_learned_prefix(void **state)
{
	(void)state;
	struct env_cache c;
	env_cache_init(&c);
	struct envline o = strip_c(&c, "2024-03-12T09:08:03.014000490Z "
				   "trustStore type is: jks");
	assert_name(o, "raw");                  /* nothing learned yet */

	o = strip_c(&c, "2024-03-12T09:08:03.152000490Z *** ClientHello, TLSv1.2");
	assert_name(o, "prefix");
	assert_slice(o.msg, "*** ClientHello, TLSv1.2");
	o = strip_c(&c, "2024-03-12T09:08:03.155000490Z main, WRITE: TLSv1.2 "
		    "Handshake, length = 178");
	assert_name(o, "prefix");
	assert_int_equal(o.inner, INNER_CLASSIC);
	assert_slice(o.jsse_thread, "main");   /* the same thread each line */
	o = strip_c(&c, "2024-03-12T10:00:00.9Z   Subject: CN=a.test");
	assert_slice(o.msg, "  Subject: CN=a.test");   /* indent kept */
	o = strip_c(&c, "2024-03-12T09:08:03.2Z 2024-03-12 10:08:03,500 ERROR "
		    "[main] a.B - boom");
	assert_name(o, "prefix");               /* and the app's own row */
	assert_slice(o.thread, "main");
	assert_slice(o.msg, "boom");

	/* re-verified on every line: other lines stay as they are */
	assert_name(strip_c(&c, "2024-03-12 09:08:03 x"), "raw");
	assert_name(strip_c(&c, "Tx 2024-03-12T09:08:03.2Z y"), "raw");
	o = strip_c(&c, "main, READ: TLSv1.2 Handshake, length = 90");
	assert_name(o, "raw");
	assert_slice(o.jsse_thread, "main");

	/* anchors: session lines, chain dumps, raw records, :expand */
	static const char *const anchors[] = {
		"Mar 12 09:08:03 host01 java[2413]: %% Initialized:  [Session-1, X]",
		"Mar 12 09:08:03 host01 java[2413]: chain [0] = [",
		"Mar 12 09:08:03 host01 java[2413]: [Raw write]: length = 5",
		"Mar 12 09:08:03 host01 java[2413]:   \"logger\"      : \"javax.net.ssl\",",
	};
	for (size_t i = 0; i < SS_ARRAY_LEN(anchors); i++) {
		env_cache_init(&c);
		o = strip_c(&c, anchors[i]);
		assert_name(o, "prefix");
		assert_true(o.msg.p == anchors[i] + 35);
		o = strip_c(&c, "Mar 12 09:08:04 host01 java[2413]: {");
		assert_slice(o.msg, "{");
	}

	/* a new prefix replaces the old */
	o = strip_c(&c, "[stdout] *** Finished");
	assert_slice(o.msg, "*** Finished");
	assert_slice(strip_c(&c, "[stdout] ***").msg, "***");
	assert_name(strip_c(&c, "Mar 12 09:08:04 host01 java[2413]: {"), "raw");
}

/* `docker compose logs --timestamps`: the time comes after the bar, a
 * prefix of the messages no row knows; it is learned there, and the
 * compose row's line is stripped of it too. */
static void test_learned_prefix_nested(void **state)
{
	(void)state;
	struct env_cache c;
	env_cache_init(&c);
	struct envline o = strip_c(&c, "mid-server-1  | 2026-11-22T10:00:07."
				   "123456789Z *** ClientHello, TLSv1.2");
	assert_name(o, "compose");
	assert_slice(o.msg, "*** ClientHello, TLSv1.2");
	o = strip_c(&c, "mid-server-1  | 2026-11-22T10:00:07.125000001Z main, "
		    "WRITE: TLSv1.2 Handshake, length = 178");
	assert_name(o, "compose");
	assert_int_equal(o.inner, INNER_CLASSIC);
	assert_slice(o.jsse_thread, "main");
	/* an app server's line inside keeps its row: thread and time */
	o = strip_c(&c, "mid-server-1  | 09:08:03,152 INFO  [stdout] (task-3) "
		    "task-3, READ: TLSv1.2 Handshake, length = 90");
	assert_slice(o.thread, "task-3");
	assert_slice(o.jsse_thread, "task-3");
	/* before an anchor has taught it, the message is as it was */
	env_cache_init(&c);
	o = strip_c(&c, "mid-server-1  | 2026-11-22T10:00:07.1Z main, WRITE: "
		    "TLSv1.2 Handshake, length = 178");
	assert_slice(o.msg, "WRITE: TLSv1.2 Handshake, length = 178");
	assert_slice(o.jsse_thread, "2026-11-22T10:00:07.1Z main");
}

/* Classic output names a thread before its first `*** ` block when it
 * reads first (a server, an SSLEngine) or when the log starts in the
 * middle of a handshake: what it prints before that teaches the prefix,
 * so that the prefix is not taken for part of the thread name. */
static void test_learned_prefix_early_anchors(void **state)
{
	(void)state;
	static const char *const firsts[] = {
		"Nov 22 10:00:07 midhost java[2345]: trustStore is: /x/cacerts",
		"Nov 22 10:00:07 midhost java[2345]: Allow unsafe renegotiation: false",
		"Nov 22 10:00:07 midhost java[2345]: Using SSLEngineImpl.",
		"Nov 22 10:00:07 midhost java[2345]: IBMJSSEProvider2 Build-Level: -20230522",
		"10:00:07.006 [worker-6] INFO  STDOUT - %% Invalidated:  [Session-7, X]",
	};
	for (size_t i = 0; i < SS_ARRAY_LEN(firsts); i++) {
		struct env_cache c;
		env_cache_init(&c);
		size_t n = strlen(firsts[i]);
		/* the prefilter lets it through: it holds a mark */
		assert_true(envelope_may_learn(firsts[i], n));
		bool marked = false;
		for (const char *const *m = envelope_inner_marks(); *m; m++)
			marked |= memmem(firsts[i], n, *m, strlen(*m)) != NULL;
		assert_true(marked);
		struct envline o = strip_c(&c, firsts[i]);
		assert_name(o, "prefix");
		o = strip_c(&c, i < 4 ? "Nov 22 10:00:08 midhost java[2345]: "
				"nioEventLoopGroup-5-2, READ: TLSv1.2 Handshake, "
				"length = 167"
				: "10:00:07.009 [worker-6] INFO  STDOUT - "
				"worker-6, SEND TLSv1.2 ALERT:  fatal, "
				"description = certificate_unknown");
		assert_int_equal(o.inner, INNER_CLASSIC);
		assert_slice(o.jsse_thread, i < 4 ? "nioEventLoopGroup-5-2"
						  : "worker-6");
	}
	/* every classic block header is an anchor, and a prefilter mark */
	static const char *const headers[] = {
		"ClientHello, TLSv1.2", "ServerHello, TLSv1.2",
		"Certificate chain", "CertificateRequest",
		"ClientKeyExchange, RSA PreMasterSecret, TLSv1.2",
		"ECDH ServerKeyExchange", "Diffie-Hellman ServerKeyExchange",
		"RSA ServerKeyExchange", "HelloRequest (empty)", "Finished",
	};
	for (size_t i = 0; i < SS_ARRAY_LEN(headers); i++) {
		char line[200];
		int n = snprintf(line, sizeof line,
				 "Nov 22 10:00:07 midhost java[2345]: *** %s",
				 headers[i]);
		assert_true(envelope_may_learn(line, (size_t)n));
		bool marked = false;
		for (const char *const *m = envelope_inner_marks(); *m; m++)
			marked |= memmem(line, (size_t)n, *m, strlen(*m)) != NULL;
		assert_true(marked);
	}
	/* the texts alone, or not as the JVM prints them, teach nothing */
	static const char *const not_anchors[] = {
		"trustStore is: /x/cacerts",
		"x: Using SSLEngineImpl. now",
		"x: Allow unsafe renegotiation: maybe",
		"x: trustStore is:  /x",
		/* ServiceNow's own "*** " lines, half of an app node's log:
		 * were they anchors, the prefilter would have to let every
		 * one of them through (sslsift took 35 times as long) */
		"10:00:07 (123) worker.1 txid=1 INFO *** End  #751311, path: /x",
		"10:00:07 (123) worker.1 txid=1 INFO *** Start  #751312, /x",
		"10:00:07 (123) worker.1 SEVERE *** ERROR *** boom",
		"10:00:07 (123) worker.1 INFO *** Script: hello",
	};
	for (size_t i = 0; i < SS_ARRAY_LEN(not_anchors); i++) {
		struct env_cache c;
		env_cache_init(&c);
		assert_false(envelope_may_learn(not_anchors[i],
						strlen(not_anchors[i])));
		assert_name(strip_c(&c, not_anchors[i]), "raw");
	}
}

static void test_learned_prefix_rejects(void **state)
{
	(void)state;
	static const char *const lines[] = {
		"see below *** ClientHello",     /* not an envelope's end */
		"    *** ClientHello, TLSv1.2",  /* indentation */
		"note: ***  ClientHello",        /* not how the JVM prints it */
		"x: *** clientHello",
		"x: chain [a]",
		"x: [Raw data]",
		"x: %% no",
		"0000: 2A 2A 2A 20 43 00 00 00   00 00 00 00 00 00 00 00  *** C...........",
		"*** ClientHello, TLSv1.2",      /* no prefix at all */
	};
	for (size_t i = 0; i < SS_ARRAY_LEN(lines); i++) {
		struct env_cache c;
		env_cache_init(&c);
		struct envline o = strip_c(&c, lines[i]);
		if (strcmp(o.outer_name, "raw") != 0)
			fail_msg("learned a prefix from \"%s\"", lines[i]);
		assert_int_equal(c.prefix_n, 0);
	}
}

/* IBM JSSE2 glues a print to the end of a hex dump row (FORMATS.md §5). */
static void test_hexrow_glued(void **state)
{
	(void)state;
	struct envline o = strip(
		"0080: 16 00 0b 00 02 01 00                               "
		".......Thread-17, WRITE: TLSv1 Handshake, length = 135");
	assert_int_equal(o.inner, INNER_CLASSIC);
	assert_slice(o.jsse_thread, "Thread-17");
	assert_slice(o.msg, "WRITE: TLSv1 Handshake, length = 135");

	o = strip("0000: 15 03 03 00 02                                     "
		  ".....[Raw read]: length = 2");
	assert_slice(o.msg, "[Raw read]: length = 2");
	o = strip("0000: 02 28                                              "
		  ".(Thread-17, READ: TLSv1.2 Alert, length = 2");
	assert_slice(o.jsse_thread, "Thread-17");

	/* a full row, both halves; the column starts with a space byte */
	o = strip("0010: 20 41 42 00 00 00 00 00  00 00 00 00 00 00 00 2A   "
		  "AB............*main, READ: TLSv1 Handshake, length = 9");
	assert_slice(o.jsse_thread, "main");
	o = strip("0010: 20 41 42 00 00 00 00 00  00 00 00 00 00 00 00 2A  "
		  " AB............*");
	assert_int_equal(o.inner, INNER_NONE);   /* nothing glued */
	assert_slice(o.msg, "0010: 20 41 42 00 00 00 00 00  00 00 00 00 00 "
		     "00 00 2A   AB............*");

	/* not a dump row, or the column does not fit the bytes */
	o = strip("0080: 16 00 0b  ABC, WRITE: TLSv1 Handshake, length = 1");
	assert_int_equal(o.inner, INNER_NONE);
	o = strip("0080: 16 00 0b  ...");
	assert_slice(o.msg, "0080: 16 00 0b  ...");
}

static void test_free_null(void **state)
{
	(void)state;
	struct envelopes *e = NULL;
	envelopes_free(&e);
	envelopes_free(NULL);
	struct ss_err err = {{0}};
	e = envelopes_new(&err);
	assert_non_null(e);
	envelopes_free(&e);
	assert_null(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_wrapper_padded),
		cmocka_unit_test(test_wrapper_levels_and_sources),
		cmocka_unit_test(test_wrapper_collapsed),
		cmocka_unit_test(test_wrapper_empty_msg),
		cmocka_unit_test(test_wrapper_keeps_indent),
		cmocka_unit_test(test_wrapper_jsse),
		cmocka_unit_test(test_sn_app_session_txid_error),
		cmocka_unit_test(test_sn_app_warning_marker),
		cmocka_unit_test(test_sn_app_no_session),
		cmocka_unit_test(test_sn_app_no_level),
		cmocka_unit_test(test_sn_two_spaces),
		cmocka_unit_test(test_sn_thread_with_spaces),
		cmocka_unit_test(test_sn_mid),
		cmocka_unit_test(test_juli_oneline),
		cmocka_unit_test(test_juli_simple),
		cmocka_unit_test(test_iso),
		cmocka_unit_test(test_raw),
		cmocka_unit_test(test_near_misses),
		cmocka_unit_test(test_jsse_levels),
		cmocka_unit_test(test_jsse_threads_and_ids),
		cmocka_unit_test(test_jsse_zones),
		cmocka_unit_test(test_jsse_hour_24),
		cmocka_unit_test(test_jsse_foreign_prefix),
		cmocka_unit_test(test_jsse_src_and_empty_msg),
		cmocka_unit_test(test_jsse_not_quite),
		cmocka_unit_test(test_classic),
		cmocka_unit_test(test_classic_rejects),
		cmocka_unit_test(test_bom),
		cmocka_unit_test(test_ansi),
		cmocka_unit_test(test_crlf),
		cmocka_unit_test(test_nul_bytes),
		cmocka_unit_test(test_prefixes),
		cmocka_unit_test(test_long_line),
		cmocka_unit_test(test_cache),
		cmocka_unit_test(test_cache_is_only_speed),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_websphere),
		cmocka_unit_test(test_jboss),
		cmocka_unit_test(test_cri),
		cmocka_unit_test(test_compose),
		cmocka_unit_test(test_learned_prefix),
		cmocka_unit_test(test_learned_prefix_early_anchors),
		cmocka_unit_test(test_learned_prefix_nested),
		cmocka_unit_test(test_learned_prefix_rejects),
		cmocka_unit_test(test_hexrow_glued),
		cmocka_unit_test(test_free_null),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
