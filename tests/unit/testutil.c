/* testutil.c - the helpers of testutil.h that need the library: linked
 * only into the tests that call them (Makefile.am), so that the others
 * stay free of the pipeline. */
#include "config.h"

#include "testutil.h"

#include "pipeline.h"

struct report *scan_files(const struct patterns *pat,
			  const struct pipeline_opts *o,
			  const char *const *files, size_t n)
{
	struct ss_err err = {{0}};
	struct pipeline *pl = pipeline_new(pat, o, &err);
	assert_non_null(pl);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(pipeline_feed_path(pl, srcpath(files[i])), 0);
	struct report *r = pipeline_finish(pl);
	pipeline_free(&pl);
	return r;
}
