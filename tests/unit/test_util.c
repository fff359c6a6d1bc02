/* test_util.c - civil time, UTF-8 sanitising, slices and buffers. */
#include "config.h"
#include "testutil.h"

#include "util.h"

static void test_civil_roundtrip(void **state)
{
	int64_t ms = civil_to_ms(2026, 11, 21, 10, 11, 12, 345);
	char buf[32];
	ms_to_civil(ms, buf, sizeof buf);
	assert_string_equal(buf, "2026-11-21 10:11:12.345");
	assert_int_equal(civil_to_ms(1970, 1, 1, 0, 0, 0, 0), 0);
	assert_int_equal(civil_to_ms(2000, 3, 1, 0, 0, 0, 0) -
				 civil_to_ms(2000, 2, 28, 0, 0, 0, 0),
			 2 * 86400000LL); /* 2000 was a leap year */
	assert_true(civil_to_ms(2026, 13, 1, 0, 0, 0, 0) == TS_NONE);
	assert_true(civil_to_ms(2026, 1, 1, 24, 0, 0, 0) == TS_NONE);
}

static void test_utf8_sanitize(void **state)
{
	char *s = utf8_sanitize("ok \xc3\xa9 \xff x\xe2\x82", 11);
	assert_string_equal(s, "ok \xc3\xa9 \xef\xbf\xbd x\xef\xbf\xbd\xef\xbf\xbd");
	free(s);
	s = utf8_sanitize("a\0b", 3); /* NUL is not kept raw */
	assert_string_equal(s, "a\xef\xbf\xbd" "b");
	free(s);
	s = utf8_sanitize("\xed\xa0\x80", 3); /* a surrogate is not UTF-8 */
	assert_string_equal(s, "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
	free(s);
}

static void test_slices_and_buffers(void **state)
{
	struct slice s = slice_trim(slice_cstr("  CN=x, O=y \r"));
	assert_true(slice_eq(s, "CN=x, O=y"));
	assert_true(slice_starts(s, "CN="));
	assert_true(slice_ends(s, "O=y"));
	assert_false(slice_ends(s, "O=z"));
	assert_non_null(slice_find(s, ", ", 2));
	struct strbuf b = {0};
	for (int i = 0; i < 1000; i++)
		sb_printf(&b, "%d,", i);
	assert_int_equal(b.n, strlen(b.p));
	assert_memory_equal(b.p + b.n - 4, "999,", 4);
	char *t = sb_take(&b);
	assert_null(b.p);
	free(t);
	const char *p = "2026x";
	assert_int_equal(parse_digits(&p, p + 5, 4), 2026);
	assert_int_equal(*p, 'x');
	assert_int_equal(parse_digits(&p, p + 1, 2), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_civil_roundtrip),
		cmocka_unit_test(test_utf8_sanitize),
		cmocka_unit_test(test_slices_and_buffers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
