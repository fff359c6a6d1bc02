/* testutil.c - the helpers of testutil.h that need the library: linked
 * only into the tests that call them (Makefile.am), so that the others
 * stay free of the pipeline. */
#include "config.h"

#include "testutil.h"

#include <stdio.h>

#include "patterns.h"
#include "pipeline.h"

struct patterns *pat;

int patterns_setup(void **state)
{
	(void)state;
	struct ss_err err = {{0}};
	pat = patterns_load_dir(srcpath("patterns"), &err);
	if (!pat)
		fprintf(stderr, "%s\n", err.msg);
	return pat ? 0 : -1;
}

int patterns_teardown(void **state)
{
	(void)state;
	patterns_free(&pat);
	return 0;
}

struct report *scan_files(const struct patterns *p,
			  const struct pipeline_opts *o,
			  const char *const *files, size_t n)
{
	struct ss_err err = {{0}};
	struct pipeline *pl = pipeline_new(p, o, &err);
	assert_non_null(pl);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(pipeline_feed_path(pl, srcpath(files[i])), 0);
	struct report *r = pipeline_finish(pl);
	pipeline_free(&pl);
	return r;
}
