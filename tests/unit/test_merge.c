/* test_merge.c - --merge: JSON reports of two nodes read back and merged;
 * counts add up, peers and first/last seen merge, every handshake keeps
 * its node; a report that is not one is refused whole, naming the file. */
#include "config.h"

#include "testutil.h"

#include <jansson.h>
#include <unistd.h>

#include "merge.h"
#include "model.h"
#include "patterns.h"
#include "render.h"
#include "util.h"

static char *render_to_string(render_fn fn, const struct report *r)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	assert_non_null(f);
	struct render_opts o = {0};
	assert_int_equal(fn(r, &o, f), 0);
	fclose(f);
	return buf;
}

/* The JSON report of a scan of some sample files, made on `node`. */
static char *scan_json(const char *node, const char *const *files, size_t n)
{
	struct report *r = scan_files(pat, NULL, files, n);
	r->node = xstrdup(node);
	char *json = render_to_string(render_json, r);
	report_free(&r);
	return json;
}

static const char *const node1[] = {
	"samples/node1/localhost_log.2026-11-22.txt",
	"samples/node1/wrapper.log", "samples/node1/wrapper.log.1.gz"};
static const char *const node2[] = {
	"samples/jdk17/leaf_only-tls12.log", "samples/jdk17/leaf_only-tls13.log",
	"samples/jdk17/full_chain-tls13.log",
	"samples/jdk17/root_not_imported-tls12.log"};

static const struct finding *finding(const struct report *r,
				     enum diag_code code)
{
	for (size_t i = 0; i < r->n_findings; i++)
		if (r->findings[i].code == code)
			return &r->findings[i];
	fail_msg("no finding %s", diag_info(code)->code);
	return NULL;
}

static size_t peer_count(const struct finding *f, const char *peer)
{
	for (size_t i = 0; i < f->n_peers; i++)
		if (!strcmp(f->peers[i], peer))
			return f->peer_counts[i];
	return 0;
}

static void test_two_nodes(void **state)
{
	(void)state;
	char *a = scan_json("node-a", node1, SS_ARRAY_LEN(node1));
	char *b = scan_json("node-b", node2, SS_ARRAY_LEN(node2));
	struct ss_err err = {{0}};
	struct merger *m = merger_new();
	assert_int_equal(merger_add_text(m, "a.json", a, strlen(a), &err), 0);
	assert_int_equal(merger_add_text(m, "b.json", b, strlen(b), &err), 0);
	assert_int_equal(merger_count(m), 2);
	struct report *r = merger_finish(m);
	merger_free(&m);

	assert_int_equal(r->n_inputs, 3 + 4);
	assert_int_equal(r->n_handshakes, 4 + 4);
	assert_null(r->node);
	assert_string_equal(r->inputs[0].node, "node-a");
	assert_string_equal(r->inputs[6].node, "node-b");
	size_t on_a = 0;
	for (size_t i = 0; i < r->n_handshakes; i++) {
		const struct handshake *h = &r->handshakes[i];
		on_a += !strcmp(h->node, i < 4 ? "node-a" : "node-b") && i < 4;
		assert_true(h->file < r->n_inputs);
		assert_string_equal(h->node, r->inputs[h->file].node);
		for (size_t j = 0; j < h->n_symptoms; j++) {
			const struct symptom *s = &r->symptoms[h->symptoms[j]];
			assert_int_equal(s->handshake, (long)i);
			assert_string_equal(r->inputs[s->file].node, h->node);
		}
	}
	assert_int_equal(on_a, 4);

	/* Counts add up; peers merge, with their counts. */
	const struct finding *f = finding(r, DIAG_LEAF_ONLY_CHAIN);
	assert_int_equal(f->count, 1 + 2);
	assert_int_equal(f->n_peers, 2);
	/* node-a's wrapper log names the port (from its localhost log) */
	const char *with_port = NULL;
	for (size_t i = 0; i < f->n_peers; i++)
		if (!strncmp(f->peers[i], "leafonly.partner.test:", 22))
			with_port = f->peers[i];
	assert_non_null(with_port);
	assert_int_equal(peer_count(f, with_port), 1);
	assert_int_equal(peer_count(f, "leafonly.partner.test"), 2);
	f = finding(r, DIAG_UNTRUSTED_ROOT);
	assert_int_equal(f->count, 2);
	f = finding(r, DIAG_OK);
	assert_int_equal(f->count, 2);
	assert_int_equal(peer_count(f, "fullchain.partner.test"), 2);
	/* First and last seen span both nodes. */
	f = finding(r, DIAG_LEAF_ONLY_CHAIN);
	int64_t first = INT64_MAX, last = INT64_MIN;
	for (size_t i = 0; i < r->n_handshakes; i++) {
		const struct handshake *h = &r->handshakes[i];
		if (h->diagnosis != DIAG_LEAF_ONLY_CHAIN)
			continue;
		assert_true(h->ts_start != TS_NONE);
		first = h->ts_start < first ? h->ts_start : first;
		last = h->ts_start > last ? h->ts_start : last;
	}
	assert_true(f->first_seen == first && f->last_seen == last);
	assert_true(first < last);

	/* The merged report is a report: it merges again, the same. */
	char *merged = render_to_string(render_json, r);
	m = merger_new();
	assert_int_equal(merger_add_text(m, "m.json", merged, strlen(merged), &err),
			 0);
	struct report *again = merger_finish(m);
	merger_free(&m);
	char *merged2 = render_to_string(render_json, again);
	assert_string_equal(merged, merged2);
	free(merged);
	free(merged2);
	report_free(&again);
	report_free(&r);
	free(a);
	free(b);
}

/* One report merged alone renders as it came, node apart. */
static void test_round_trip(void **state)
{
	(void)state;
	char *a = scan_json("node-a", node1, SS_ARRAY_LEN(node1));
	struct ss_err err = {{0}};
	struct merger *m = merger_new();
	assert_int_equal(merger_add_text(m, "a.json", a, strlen(a), &err), 0);
	struct report *r = merger_finish(m);
	merger_free(&m);
	r->node = xstrdup("node-a");
	char *back = render_to_string(render_json, r);
	assert_string_equal(a, back);
	free(back);
	report_free(&r);
	free(a);
}

/* Returns the error message for a report that must be refused. */
static const char *refused(const char *label, const char *text)
{
	static struct ss_err err;
	memset(&err, 0, sizeof err);
	struct merger *m = merger_new();
	assert_int_equal(merger_add_text(m, label, text, strlen(text), &err), -1);
	assert_int_equal(merger_count(m), 0);
	struct report *r = merger_finish(m);
	assert_int_equal(r->n_inputs + r->n_handshakes + r->n_findings, 0);
	report_free(&r);
	merger_free(&m);
	assert_true(strncmp(err.msg, label, strlen(label)) == 0);
	return err.msg;
}

#define HS_OK "{\"file\": \"x.log\", \"line\": 1, \"thread\": null, " \
	      "\"role\": \"client\", \"peer\": \"h:443\", " \
	      "\"tls_version\": null, \"outcome\": \"ok\", " \
	      "\"peer_certificates\": null, \"chain\": \"not_captured\", " \
	      "\"diagnosis\": \"OK\", \"symptoms\": []}"
#define INPUT_OK "{\"path\": \"x.log\", \"compressed\": false, " \
		 "\"bytes\": 1, \"lines\": 1, \"error\": null}"
#define DOC(inputs, hs) "{\"version\": \"1.0.0\", \"inputs\": [" inputs \
			"], \"handshakes\": [" hs "], \"findings\": []}"

static void test_refused(void **state)
{
	(void)state;
	const char *msg = refused("bad.json", "{\"version\": ");
	assert_non_null(strstr(msg, "bad.json:1:"));
	msg = refused("list.json", "[]");
	assert_string_equal(msg, "list.json: not an sslsift report: not a JSON "
				 "object");
	msg = refused("v2.json", "{\"version\": \"2.0.0\"}");
	assert_non_null(strstr(msg, "not a version 1 report"));
	msg = refused("nohs.json", "{\"version\": \"1.0.0\", \"inputs\": []}");
	assert_string_equal(msg, "nohs.json: not an sslsift report: no "
				 "'handshakes'");
	msg = refused("diag.json", DOC(INPUT_OK, HS_OK "," "{\"file\": \"x.log\", "
		"\"line\": 1, \"thread\": null, \"role\": null, \"peer\": null, "
		"\"tls_version\": null, \"outcome\": \"failed\", "
		"\"peer_certificates\": null, \"chain\": \"not_captured\", "
		"\"diagnosis\": \"SOMETHING_ELSE\", \"symptoms\": []}"));
	assert_string_equal(msg, "diag.json: not an sslsift report: handshakes[1]: "
				 "'diagnosis' is not one of sslsift's: "
				 "\"SOMETHING_ELSE\"");
	msg = refused("file.json", DOC("", HS_OK));
	assert_non_null(strstr(msg, "handshakes[0]: 'file' is not one of the "
				    "inputs: \"x.log\""));
	msg = refused("line.json", DOC(INPUT_OK, "{\"file\": \"x.log\", "
		"\"line\": \"one\"}"));
	assert_non_null(strstr(msg, "handshakes[0]: 'line' is not a count"));
	msg = refused("in.json", DOC("{\"path\": \"x.log\"}", ""));
	assert_non_null(strstr(msg, "inputs[0]: no 'compressed'"));
	msg = refused("dup.json", "{\"version\": \"1.0.0\", \"version\": \"1.0.0\"}");
	assert_non_null(strstr(msg, "dup.json:1:"));
	/* The minimal report of the contract is fine. */
	struct ss_err err = {{0}};
	struct merger *m = merger_new();
	assert_int_equal(merger_add_text(m, "ok.json", DOC(INPUT_OK, HS_OK),
					 strlen(DOC(INPUT_OK, HS_OK)), &err), 0);
	struct report *r = merger_finish(m);
	assert_int_equal(r->n_handshakes, 1);
	assert_string_equal(r->handshakes[0].peer_host, "h");
	assert_int_equal(r->handshakes[0].peer_port, 443);
	assert_int_equal(r->n_findings, 1);
	report_free(&r);
	merger_free(&m);
}

static void test_paths(void **state)
{
	(void)state;
	struct ss_err err = {{0}};
	struct merger *m = merger_new();
	assert_int_equal(merger_add_path(m, "/nonexistent/r.json", &err), -1);
	assert_string_equal(err.msg, "/nonexistent/r.json: No such file or "
				     "directory");
	merger_add_error(m, "/nonexistent/r.json", err.msg);
	const char *tmp = write_temp(DOC(INPUT_OK, HS_OK),
				     strlen(DOC(INPUT_OK, HS_OK)));
	assert_int_equal(merger_add_path(m, tmp, &err), 0);
	unlink(tmp);
	struct report *r = merger_finish(m);
	assert_int_equal(r->n_inputs, 2);
	assert_non_null(r->inputs[0].error);
	assert_int_equal(r->n_handshakes, 1);
	assert_int_equal(r->handshakes[0].file, 1);
	report_free(&r);
	merger_free(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_two_nodes),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_paths),
	};
	return cmocka_run_group_tests(tests, patterns_setup, patterns_teardown);
}
