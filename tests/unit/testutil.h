/* testutil.h - helpers shared by the cmocka unit tests.  The inline ones
 * need nothing but the C library; scan_files() and the pattern group
 * setup are in testutil.c, which a test that calls them links (see
 * Makefile.am). */
#ifndef SSLSIFT_TESTUTIL_H
#define SSLSIFT_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#ifndef TOP_SRCDIR
#define TOP_SRCDIR "."
#endif

/* n shrunk by $SSLSIFT_TEST_SCALE (a divisor, set by tests/check-wrap.sh
 * for the valgrind and sanitizer builds), but never below min. */
static inline size_t test_scaled(size_t n, size_t min)
{
	const char *s = getenv("SSLSIFT_TEST_SCALE");
	long d = s ? strtol(s, NULL, 10) : 1;
	size_t k = d > 1 ? n / (size_t)d : n;
	return k < min ? min : k;
}

/* A path under the source tree, in a static buffer. */
static inline const char *srcpath(const char *rel)
{
	static char buf[4096];
	snprintf(buf, sizeof buf, "%s/%s", TOP_SRCDIR, rel);
	return buf;
}

/* Writes len bytes to a fresh temporary file; returns its path (static
 * storage, valid until the next call); the test unlinks it. */
static inline const char *write_temp(const void *data, size_t len)
{
	static char path[64];
	snprintf(path, sizeof path, "/tmp/sslsift-test-XXXXXX");
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	FILE *f = fdopen(fd, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	fclose(f);
	return path;
}

/* ---- testutil.c ---------------------------------------------------------- */

struct patterns;
struct pipeline_opts;
struct report;

/* The report of a scan of files (paths under the source tree) with the
 * patterns p and options o (NULL: the defaults); a file that cannot be
 * read fails the test.  The caller frees the report with report_free(). */
/* The project's patterns/, loaded once for a group of tests:
 * cmocka_run_group_tests(tests, patterns_setup, patterns_teardown).
 * A pattern file that does not load fails the group, naming it. */
extern struct patterns *pat;
int patterns_setup(void **state);
int patterns_teardown(void **state);

struct report *scan_files(const struct patterns *p,
			  const struct pipeline_opts *o,
			  const char *const *files, size_t n);

#endif
