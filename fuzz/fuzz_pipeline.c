/* fuzz_pipeline.c - libFuzzer harness over the whole pipeline: bytes ->
 * lines -> envelopes -> pattern hits -> handshakes -> correlation ->
 * diagnosis -> the three renderers.
 *
 * The input is one or more log files: the 4-byte separator "\n\f\f\n"
 * splits it into up to MAX_FILES inputs of one run, so that correlation
 * across files (wrapper log + localhost log) is fuzzed too.  The patterns
 * are the shipped ones (patterns/ of the source tree, or
 * $SSLSIFT_PATTERNS), loaded once.
 *
 * Besides the sanitizers' own checks, every run asserts (fuzz_check.h):
 * the JSON is valid UTF-8 and parses with jansson; every finding count
 * adds up to the handshakes of its code (listed + omitted); the text
 * output holds no control character but newline, no C1 control and no
 * bidi override, so a hostile log cannot drive the operator's terminal;
 * the Markdown is valid UTF-8.  The fuzz build shrinks the detail caps
 * (fuzz/build.sh), so the paths a million handshakes take are fuzzed too. */
#include "config.h"

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_check.h"
#include "patterns.h"
#include "pipeline.h"
#include "render.h"

#ifndef FUZZ_PATTERNS_DIR
#define FUZZ_PATTERNS_DIR "patterns"
#endif

#define MAX_FILES 4
/* Small enough to exercise cut lines on the samples' long lines, large
 * enough for their certificate fields. */
#define FUZZ_MAX_LINE 2048

static const char separator[] = "\n\f\f\n";

static struct patterns *patterns;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	const char *dir = getenv("SSLSIFT_PATTERNS");
	struct ss_err err = {{0}};
	patterns = patterns_load_dir(dir && *dir ? dir : FUZZ_PATTERNS_DIR, &err);
	if (!patterns) {
		fprintf(stderr, "fuzz_pipeline: %s\n", err.msg);
		exit(1);
	}
	return 0;
}

/* Renders r with the renderer called name into a memory buffer; the
 * caller frees *out. */
static void render_to_mem(const struct report *r, const char *name,
			  char **out, size_t *len)
{
	FILE *f = open_memstream(out, len);
	FUZZ_ASSERT(f, "open_memstream");
	struct render_opts ro = {.color = false};
	FUZZ_ASSERT(renderer_find(name)->render(r, &ro, f) == 0, "render failed");
	fclose(f);
}

static size_t json_size(const json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	return json_is_integer(v) ? (size_t)json_integer_value(v) : 0;
}

/* Every finding's count is its handshakes: those listed plus those the
 * detail caps left out. */
static void check_counts(const json_t *doc)
{
	json_t *hs = json_object_get(doc, "handshakes");
	json_t *fs = json_object_get(doc, "findings");
	FUZZ_ASSERT(json_is_array(hs) && json_is_array(fs), "JSON arrays");
	size_t total = 0, i;
	json_t *f;
	json_array_foreach(fs, i, f) {
		const char *code = json_string_value(json_object_get(f, "code"));
		FUZZ_ASSERT(code, "finding code");
		size_t listed = 0, j;
		json_t *h;
		json_array_foreach(hs, j, h) {
			const char *d = json_string_value(
				json_object_get(h, "diagnosis"));
			FUZZ_ASSERT(d, "handshake diagnosis");
			listed += strcmp(d, code) == 0;
		}
		size_t count = json_size(f, "count");
		FUZZ_ASSERT(count == listed + json_size(f, "handshakes_omitted"),
			    "finding count != handshakes listed + omitted");
		total += count;
	}
	FUZZ_ASSERT(total == json_array_size(hs) +
				     json_size(doc, "handshakes_omitted"),
		    "findings do not add up to the handshakes");
}

static void check_json(const char *s, size_t n)
{
	FUZZ_ASSERT(fuzz_utf8_check((const unsigned char *)s, n) == n,
		    "JSON output is not valid UTF-8");
	json_error_t e;
	json_t *doc = json_loadb(s, n, 0, &e);
	if (!doc)
		fprintf(stderr, "jansson: %s at line %d col %d\n", e.text,
			e.line, e.column);
	FUZZ_ASSERT(doc, "JSON output does not parse");
	check_counts(doc);
	json_decref(doc);
}

/* What a terminal shows and never acts on. */
static void check_text(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	FUZZ_ASSERT(fuzz_utf8_check(u, n) == n, "text output is not valid UTF-8");
	for (size_t i = 0; i < n; i++) {
		FUZZ_ASSERT(u[i] >= 0x20 || u[i] == '\n', "control byte in text");
		FUZZ_ASSERT(u[i] != 0x7f, "DEL in text output");
		FUZZ_ASSERT(!(u[i] == 0xC2 && i + 1 < n && u[i + 1] <= 0x9F),
			    "C1 control in text output");
		FUZZ_ASSERT(!(u[i] == 0xE2 && i + 2 < n &&
			      ((u[i + 1] == 0x80 && u[i + 2] >= 0xAA &&
				u[i + 2] <= 0xAE) ||
			       (u[i + 1] == 0x81 && u[i + 2] >= 0xA6 &&
				u[i + 2] <= 0xA9))),
			    "bidi control in text output");
	}
}

static void feed_files(struct pipeline *pl, const uint8_t *data, size_t size)
{
	const char *p = (const char *)data, *end = p + size;
	for (int k = 0; k < MAX_FILES; k++) {
		const char *sep = k + 1 < MAX_FILES
					  ? memmem(p, (size_t)(end - p), separator,
						   sizeof separator - 1)
					  : NULL;
		size_t len = sep ? (size_t)(sep - p) : (size_t)(end - p);
		char label[32];
		snprintf(label, sizeof label, "fuzz-%d.log", k);
		pipeline_feed_mem(pl, label, p, len);
		if (!sep)
			break;
		p = sep + sizeof separator - 1;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pipeline_opts po = {.max_line = FUZZ_MAX_LINE};
	struct ss_err err = {{0}};
	struct pipeline *pl = pipeline_new(patterns, &po, &err);
	FUZZ_ASSERT(pl, "pipeline_new");
	feed_files(pl, data, size);
	struct report *r = pipeline_finish(pl);
	pipeline_free(&pl);

	char *out = NULL;
	size_t len = 0;
	render_to_mem(r, "json", &out, &len);
	check_json(out, len);
	free(out);
	render_to_mem(r, "text", &out, &len);
	check_text(out, len);
	free(out);
	render_to_mem(r, "markdown", &out, &len);
	FUZZ_ASSERT(fuzz_utf8_check((const unsigned char *)out, len) == len,
		    "Markdown output is not valid UTF-8");
	free(out);
	report_free(&r);
	return 0;
}
