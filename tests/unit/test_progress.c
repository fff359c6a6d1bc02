/* test_progress.c - the progress line, on a fake clock: quiet for the
 * first second, then redrawn in place at most every PROGRESS_REDRAW_MS,
 * cleared at the end; the numbers it shows. */
#include "config.h"

#include "testutil.h"

#include "progress.h"
#include "util.h"

#define MIB (1024 * 1024)

struct fake_clock {
	int64_t now;
};

static int64_t fake_now(void *ctx)
{
	return ((struct fake_clock *)ctx)->now;
}

struct rig {
	struct fake_clock clock;
	char *buf;
	size_t len;
	FILE *out;
	struct progress *p;
};

static void rig_open(struct rig *g, uint64_t total, size_t files, int width)
{
	memset(g, 0, sizeof *g);
	g->clock.now = 5000;
	g->out = open_memstream(&g->buf, &g->len);
	assert_non_null(g->out);
	struct progress_opts o = {.out = g->out, .total_bytes = total,
				  .total_files = files, .width = width,
				  .clock = fake_now, .clock_ctx = &g->clock};
	g->p = progress_new(&o);
}

/* What was written so far (flushed), as a string. */
static const char *rig_text(struct rig *g)
{
	fflush(g->out);
	return g->len ? g->buf : "";
}

static void rig_close(struct rig *g)
{
	progress_free(&g->p);
	assert_null(g->p);
	fclose(g->out);
	free(g->buf);
}

static size_t count_of(const char *s, const char *needle)
{
	size_t n = 0;
	for (const char *p = strstr(s, needle); p; p = strstr(p + 1, needle))
		n++;
	return n;
}

static void test_quiet_first_second(void **state)
{
	(void)state;
	struct rig g;
	rig_open(&g, 4 * MIB, 4, 80);
	progress_feed(g.p, MIB, true);
	g.clock.now += PROGRESS_DELAY_MS - 1;
	progress_feed(g.p, 0, false);
	assert_string_equal(rig_text(&g), "");
	/* A short scan leaves nothing behind. */
	progress_finish(g.p);
	assert_string_equal(rig_text(&g), "");
	rig_close(&g);
}

static void test_draw_and_clear(void **state)
{
	(void)state;
	struct rig g;
	rig_open(&g, 4 * MIB, 4, 80);
	progress_feed(g.p, MIB, true);
	g.clock.now += 1000;
	progress_feed(g.p, MIB, false);
	/* 2 MiB of 4 in 1 s: 2 MiB/s, 2 MiB left, ETA 1 s. */
	assert_string_equal(rig_text(&g),
			    "\rsslsift: 2.0 MiB of 4.0 MiB (50%), 1 of 4 files, "
			    "2.0 MiB/s, ETA 1s\x1b[K");
	/* Redrawn in place, but not more often than every 200 ms. */
	g.clock.now += PROGRESS_REDRAW_MS - 1;
	progress_feed(g.p, MIB / 2, true);
	assert_int_equal(count_of(rig_text(&g), "\r"), 1);
	g.clock.now += 1;
	progress_feed(g.p, 0, false);
	assert_int_equal(count_of(rig_text(&g), "\rsslsift: "), 2);
	assert_non_null(strstr(rig_text(&g), "2.5 MiB of 4.0 MiB (62%), 2 of 4"));
	assert_int_equal(count_of(rig_text(&g), "\n"), 0);
	/* Hidden for another message, then drawn again. */
	size_t before = strlen(rig_text(&g));
	progress_hide(g.p);
	assert_string_equal(rig_text(&g) + before, "\r\x1b[K");
	g.clock.now += 10;
	progress_feed(g.p, 0, false);
	assert_int_equal(count_of(rig_text(&g), "\rsslsift: "), 3);
	/* Cleared at the end, and nothing after. */
	progress_finish(g.p);
	const char *t = rig_text(&g);
	assert_string_equal(t + strlen(t) - 4, "\r\x1b[K");
	before = strlen(t);
	g.clock.now += 5000;
	progress_feed(g.p, MIB, true);
	progress_hide(g.p);
	progress_finish(g.p);
	assert_int_equal(strlen(rig_text(&g)), before);
	rig_close(&g);
}

static void test_unknown_total(void **state)
{
	(void)state;
	struct rig g;
	rig_open(&g, 0, 0, 80);
	g.clock.now += 2000;
	progress_feed(g.p, 3 * 1024, true);
	assert_string_equal(rig_text(&g), "\rsslsift: 3.0 KiB, 1 file done, "
					  "1.5 KiB/s\x1b[K");
	rig_close(&g);
}

static void test_cut_to_width(void **state)
{
	(void)state;
	struct rig g;
	rig_open(&g, 4 * MIB, 4, 20);
	g.clock.now += 1500;
	progress_feed(g.p, MIB, false);
	assert_string_equal(rig_text(&g), "\rsslsift: 1.0 MiB of\x1b[K");
	rig_close(&g);
}

static void test_format(void **state)
{
	(void)state;
	char buf[256];
	progress_format(buf, sizeof buf, 500, 0, 0, 0, 1000);
	assert_string_equal(buf, "sslsift: 500 B, 0 files done, 500 B/s");
	/* 1 GiB of 100 GiB at 1 GiB per 10 s: 990 s left. */
	progress_format(buf, sizeof buf, UINT64_C(1) << 30, UINT64_C(100) << 30,
			3, 700, 10000);
	assert_string_equal(buf, "sslsift: 1.0 GiB of 100.0 GiB (1%), 3 of 700 "
				 "files, 102.4 MiB/s, ETA 16m30s");
	progress_format(buf, sizeof buf, MIB, 4000 * (uint64_t)MIB, 0, 1, 1000);
	assert_string_equal(buf, "sslsift: 1.0 MiB of 3.9 GiB (0%), 0 of 1 file, "
				 "1.0 MiB/s, ETA 1h06m");
	/* A file that grew while it was read: never past 100%. */
	progress_format(buf, sizeof buf, 2 * MIB, MIB, 1, 1, 1000);
	assert_string_equal(buf, "sslsift: 2.0 MiB of 1.0 MiB (100%), 1 of 1 "
				 "file, 2.0 MiB/s, ETA 0s");
	/* Nothing read yet: no rate to guess an ETA from. */
	progress_format(buf, sizeof buf, 0, MIB, 0, 1, 1000);
	assert_string_equal(buf, "sslsift: 0 B of 1.0 MiB (0%), 0 of 1 file, "
				 "0 B/s");
	progress_format(buf, 12, MIB, 0, 0, 0, 1000);
	assert_string_equal(buf, "sslsift: 1.");
}

static void test_null_is_quiet(void **state)
{
	(void)state;
	progress_feed(NULL, 10, true);
	progress_hide(NULL);
	progress_finish(NULL);
	struct progress *p = NULL;
	progress_free(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_quiet_first_second),
		cmocka_unit_test(test_draw_and_clear),
		cmocka_unit_test(test_unknown_total),
		cmocka_unit_test(test_cut_to_width),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_null_is_quiet),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
