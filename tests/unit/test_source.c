/* test_source.c - unit tests for source.c: operands expanded into inputs
 * in a fixed order, log names filtered, problems reported per item. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdbool.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "source.h"
#include "testutil.h"

/* The temporary tree of the current test. */
static char root[64];

/* A path under root, in one of a few rotating static buffers. */
static const char *at(const char *rel)
{
	static char bufs[8][256];
	static unsigned k;
	char *b = bufs[k++ % 8];
	snprintf(b, sizeof bufs[0], "%s%s%s", root, *rel ? "/" : "", rel);
	return b;
}

static void touch(const char *rel)
{
	int fd = open(at(rel), O_WRONLY | O_CREAT | O_TRUNC, 0644);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "x\n", 2), 2);
	close(fd);
}

static void mkdir_at(const char *rel)
{
	assert_int_equal(mkdir(at(rel), 0755), 0);
}

static void symlink_at(const char *target, const char *rel)
{
	assert_int_equal(symlink(target, at(rel)), 0);
}

/* A tree with every kind of entry the walk must handle. */
static int make_tree(void **state)
{
	(void)state;
	snprintf(root, sizeof root, "/tmp/sslsift-src-XXXXXX");
	if (!mkdtemp(root))
		return -1;
	static const char *const files[] = {
		"a.log", "b.txt", "c.out", "d.gz", "wrapper.log.1",
		"catalina.out.3", "localhost_log.2026-11-21.txt",
		"x.log.2.gz", "app.LOG", "gc.log.0.current", "B.log",
		"README", "notes.md", "data.bin", "foo.1", "odd.dat",
		".hidden.log", ".git/HEAD.log", "sub/z.log",
		"sub/deeper/y.log", "sub/.cache/q.log",
	};
	mkdir_at(".git");
	mkdir_at("sub");
	mkdir_at("sub/deeper");
	mkdir_at("sub/.cache");
	for (size_t i = 0; i < SS_ARRAY_LEN(files); i++)
		touch(files[i]);
	assert_int_equal(mkfifo(at("fifo.log"), 0600), 0);
	symlink_at(".", "loop");             /* a directory cycle */
	symlink_at("a.log", "link.log");     /* followed: a file */
	symlink_at("nowhere", "dangling.log");
	symlink_at("l2.log", "l1.log");      /* a loop of file links */
	symlink_at("l1.log", "l2.log");
	return 0;
}

static int rm_entry(const char *path, const struct stat *sb, int flag,
		    struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int remove_tree(void **state)
{
	(void)state;
	return nftw(root, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* Asserts item i is path (under root unless absolute) without an error. */
static void expect_item(const struct source_list *l, size_t i,
			const char *rel)
{
	assert_true(i < l->n);
	assert_string_equal(l->items[i].path, rel[0] == '-' ? rel : at(rel));
	assert_null(l->items[i].error);
}

static void expect_error_item(const struct source_list *l, size_t i,
			      const char *rel, const char *why)
{
	assert_true(i < l->n);
	const char *path = at(rel);
	assert_string_equal(l->items[i].path, path);
	assert_non_null(l->items[i].error);
	char want[512];
	snprintf(want, sizeof want, "%s: %s", path, why);
	assert_string_equal(l->items[i].error, want);
}

/* The walk of the whole tree, in order, from item i; returns the index
 * after it. */
static size_t expect_tree(const struct source_list *l, size_t i)
{
	expect_item(l, i++, "B.log");
	expect_item(l, i++, "a.log");
	expect_item(l, i++, "app.LOG");
	expect_item(l, i++, "b.txt");
	expect_item(l, i++, "c.out");
	expect_item(l, i++, "catalina.out.3");
	expect_item(l, i++, "d.gz");
	expect_error_item(l, i++, "dangling.log", "dangling symbolic link");
	expect_item(l, i++, "gc.log.0.current");
	expect_error_item(l, i++, "l1.log", strerror(ELOOP));
	expect_error_item(l, i++, "l2.log", strerror(ELOOP));
	expect_item(l, i++, "link.log");
	expect_item(l, i++, "localhost_log.2026-11-21.txt");
	expect_error_item(l, i++, "loop",
			  "directory cycle (symlink loop), not followed");
	expect_item(l, i++, "sub/deeper/y.log");
	expect_item(l, i++, "sub/z.log");
	expect_item(l, i++, "wrapper.log.1");
	expect_item(l, i++, "x.log.2.gz");
	return i;
}

#define TREE_ITEMS 18

static void test_walk_sorted_filtered(void **state)
{
	(void)state;
	char *ops[] = {root};
	struct source_list l = {0};
	source_expand(ops, 1, &l);
	assert_int_equal(expect_tree(&l, 0), TREE_ITEMS);
	assert_int_equal(l.n, TREE_ITEMS);
	source_list_free(&l);
	assert_null(l.items);
	assert_int_equal(l.n, 0);
}

/* A trailing slash does not double up in the paths. */
static void test_walk_trailing_slash(void **state)
{
	(void)state;
	char *ops[] = {(char *)at("sub/")};
	struct source_list l = {0};
	source_expand(ops, 1, &l);
	assert_int_equal(l.n, 2);
	expect_item(&l, 0, "sub/deeper/y.log");
	expect_item(&l, 1, "sub/z.log");
	source_list_free(&l);
}

/* Operands keep their order; explicit ones are kept whatever their name. */
static void test_operands_mixed(void **state)
{
	(void)state;
	char *ops[] = {
		(char *)at("odd.dat"), root, "-", (char *)at("nope.log"),
		(char *)at("fifo.log"), (char *)at(".git"),
		(char *)at(".hidden.log"), (char *)at("foo.1"), "-",
	};
	struct source_list l = {0};
	source_expand(ops, SS_ARRAY_LEN(ops), &l);
	expect_item(&l, 0, "odd.dat");
	size_t i = expect_tree(&l, 1);
	assert_int_equal(i, 1 + TREE_ITEMS);
	expect_item(&l, i++, "-");
	expect_error_item(&l, i++, "nope.log", "No such file or directory");
	expect_item(&l, i++, "fifo.log");
	expect_item(&l, i++, ".git/HEAD.log");  /* hidden, but named */
	expect_item(&l, i++, ".hidden.log");
	expect_item(&l, i++, "foo.1");
	expect_item(&l, i++, "-");
	assert_int_equal(l.n, i);
	source_list_free(&l);
}

/* A symlink to a directory, named as an operand, is walked; a symlink
 * loop named as an operand is reported. */
static void test_operand_links(void **state)
{
	(void)state;
	symlink_at("sub", "sublink");
	char *ops[] = {(char *)at("sublink"), (char *)at("l1.log")};
	struct source_list l = {0};
	source_expand(ops, 2, &l);
	assert_int_equal(l.n, 3);
	expect_item(&l, 0, "sublink/deeper/y.log");
	expect_item(&l, 1, "sublink/z.log");
	expect_error_item(&l, 2, "l1.log", strerror(ELOOP));
	source_list_free(&l);
}

/* A file an earlier operand already brought is read once: a node's
 * directory and its wrapper.log, or one path spelt two ways. */
static void test_operands_same_file_once(void **state)
{
	(void)state;
	char dotted[128];
	snprintf(dotted, sizeof dotted, "%s/sub/./z.log", root);
	char *ops[] = {(char *)at("sub"), (char *)at("sub/z.log"), dotted,
		       (char *)at("b.txt"), (char *)at("b.txt")};
	struct source_list l = {0};
	source_expand(ops, SS_ARRAY_LEN(ops), &l);
	assert_int_equal(l.n, 3);
	expect_item(&l, 0, "sub/deeper/y.log");
	expect_item(&l, 1, "sub/z.log");
	expect_item(&l, 2, "b.txt");
	source_list_free(&l);
}

static void test_no_operands_is_stdin(void **state)
{
	(void)state;
	struct source_list l = {0};
	source_expand(NULL, 0, &l);
	assert_int_equal(l.n, 1);
	expect_item(&l, 0, "-");
	source_list_free(&l);
}

/* A directory that cannot be read is reported and the walk goes on. */
static void test_unreadable_dir(void **state)
{
	(void)state;
	if (geteuid() == 0)
		skip();  /* root reads every directory */
	mkdir_at("locked");
	touch("locked/in.log");
	assert_int_equal(chmod(at("locked"), 0), 0);
	char *ops[] = {root};
	struct source_list l = {0};
	source_expand(ops, 1, &l);
	chmod(at("locked"), 0755);
	assert_int_equal(l.n, TREE_ITEMS + 1);
	/* In its sorted place, between localhost_log... and loop. */
	expect_item(&l, 12, "localhost_log.2026-11-21.txt");
	expect_error_item(&l, 13, "locked", strerror(EACCES));
	expect_error_item(&l, 14, "loop",
			  "directory cycle (symlink loop), not followed");
	source_list_free(&l);
	remove(at("locked/in.log"));
	rmdir(at("locked"));
}

static void test_name_filter(void **state)
{
	(void)state;
	static const char *const yes[] = {
		"a.log", "server.txt", "catalina.out", "x.gz", "wrapper.log.1",
		"catalina.out.3", "localhost_log.2026-11-21.txt",
		"x.log.2.gz", "catalina.2026-11-21.log.gz", "APP.LOG",
		"gc.log.0.current", "app.txt.12", "catalina.out.2026-11-21",
		"my.log.old",
	};
	static const char *const no[] = {
		"", ".log", ".hidden.log", "README", "notes.md", "foo.1",
		"log", "data.bin", "x.log_bak", "1", "app.log~", "a.gz.bak",
		".", "..", "x.2", "txt", "app.out.-", "x.txt._",
	};
	for (size_t i = 0; i < SS_ARRAY_LEN(yes); i++)
		if (!source_name_is_log(yes[i]))
			fail_msg("should be a log: \"%s\"", yes[i]);
	for (size_t i = 0; i < SS_ARRAY_LEN(no); i++)
		if (source_name_is_log(no[i]))
			fail_msg("should not be a log: \"%s\"", no[i]);
	assert_false(source_name_is_log(NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_name_filter),
		cmocka_unit_test(test_no_operands_is_stdin),
		cmocka_unit_test_setup_teardown(test_walk_sorted_filtered,
						make_tree, remove_tree),
		cmocka_unit_test_setup_teardown(test_walk_trailing_slash,
						make_tree, remove_tree),
		cmocka_unit_test_setup_teardown(test_operands_mixed,
						make_tree, remove_tree),
		cmocka_unit_test_setup_teardown(test_operands_same_file_once,
						make_tree, remove_tree),
		cmocka_unit_test_setup_teardown(test_operand_links,
						make_tree, remove_tree),
		cmocka_unit_test_setup_teardown(test_unreadable_dir,
						make_tree, remove_tree),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
