/* test_reader.c - unit tests for reader.c: lines out of plain and gzip
 * input from memory, files, FIFOs and pipes, and the errors of broken
 * input. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#ifdef HAVE_ZLIB
#include <zlib.h>
#endif

#include "reader.h"
#include "testutil.h"

/* "hi\nthere\n" as written by gzip -n: usable with or without zlib. */
static const unsigned char GZ_HI[] = {
	0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03,
	0xcb, 0xc8, 0xe4, 0x2a, 0xc9, 0x48, 0x2d, 0x4a, 0xe5, 0x02,
	0x00, 0x64, 0x6d, 0x45, 0xf0, 0x09, 0x00, 0x00, 0x00,
};

/* ---- helpers -------------------------------------------------------- */

/* Asserts that the next line is exactly `want` (NUL-free) and not cut. */
static void expect_line(struct reader *r, const char *want)
{
	struct line l;
	struct ss_err err = {{0}};
	assert_int_equal(reader_next(r, &l, &err), 1);
	assert_int_equal(l.n, strlen(want));
	assert_memory_equal(l.p, want, l.n);
	assert_false(l.cut);
}

static void expect_end(struct reader *r)
{
	struct line l;
	struct ss_err err = {{0}};
	assert_int_equal(reader_next(r, &l, &err), 0);
	assert_int_equal(reader_next(r, &l, &err), 0);
}

/* Asserts -1 with exactly `msg`, then 0 for ever after. */
static void expect_error(struct reader *r, const char *msg)
{
	struct line l;
	struct ss_err err = {{0}};
	assert_int_equal(reader_next(r, &l, &err), -1);
	assert_string_equal(err.msg, msg);
	expect_end(r);
}

/* The writer side of a pipe: a child process that writes `first` bytes,
 * then the rest in pieces of `step` bytes, pausing `pause_us` after each
 * write, so that the reader sees short reads. */
static pid_t pipe_writer(const void *data, size_t len, size_t first,
			 size_t step, unsigned pause_us, int *rfd)
{
	int fds[2];
	assert_int_equal(pipe(fds), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		alarm(30);  /* never outlive a failed test */
		close(fds[0]);
		const char *p = data;
		for (size_t off = 0; off < len;) {
			size_t want = off ? step : first;
			size_t n = len - off < want ? len - off : want;
			ssize_t k = write(fds[1], p + off, n);
			if (k <= 0)
				_exit(1);
			off += (size_t)k;
			if (pause_us)
				usleep(pause_us);
		}
		_exit(0);
	}
	close(fds[1]);
	*rfd = fds[0];
	return pid;
}

static void reap(pid_t pid, bool must_succeed)
{
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	if (must_succeed)
		assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

/* ---- generated input with known lines --------------------------------- */

struct expect {
	size_t off, len;    /* the line's content in gen.data, uncut */
};

struct gen {
	char *data;
	size_t len;
	struct expect *lines;
	size_t n, lines_cap, cap;
	size_t max_line;
	size_t n_cut;
};

static uint64_t rng_next(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static size_t gen_length(uint64_t *s, size_t max_line)
{
	uint64_t k = rng_next(s) % 100;
	if (k < 80)
		return rng_next(s) % 120;
	if (k < 96)
		return max_line - 2 + rng_next(s) % 5;  /* around the limit */
	return max_line + 3 + rng_next(s) % (3 * max_line);
}

/* Appends one line of `len` content bytes: letters, some NULs and CRs
 * (never a CR at the very end, which would be taken for CRLF). */
static void gen_line(struct gen *g, uint64_t *s, size_t len, bool last)
{
	static const char alphabet[] = "abcdefghijklmnopqrstuvwxyz 0123456789"
				       "ABCDEFGHIJKLMNOPQRSTUVWXYZ:.[]\r\0";
	xgrow(&g->data, &g->cap, g->len + len + 2, 1);
	xgrow(&g->lines, &g->lines_cap, g->n + 1, sizeof *g->lines);
	g->lines[g->n++] = (struct expect){g->len, len};
	for (size_t i = 0; i < len; i++) {
		char c = alphabet[rng_next(s) % (sizeof alphabet)];
		if (c == '\r' && i == len - 1)
			c = 'x';
		g->data[g->len++] = c;
	}
	if (len > g->max_line)
		g->n_cut++;
	if (last)
		return;
	if (rng_next(s) % 4 == 0)
		g->data[g->len++] = '\r';
	g->data[g->len++] = '\n';
}

/* About `target` bytes of varied lines; the last one has no newline. */
static void gen_make(struct gen *g, size_t target, size_t max_line,
		     uint64_t seed)
{
	memset(g, 0, sizeof *g);
	g->max_line = max_line;
	uint64_t s = seed;
	while (g->len < target)
		gen_line(g, &s, gen_length(&s, max_line), false);
	gen_line(g, &s, 17, true);
}

static void gen_free(struct gen *g)
{
	free(g->data);
	free(g->lines);
	memset(g, 0, sizeof *g);
}

/* Reads r to the end, comparing every line with g. */
static void gen_check(struct reader *r, const struct gen *g)
{
	struct line l;
	struct ss_err err = {{0}};
	for (size_t i = 0; i < g->n; i++) {
		const struct expect *e = &g->lines[i];
		bool cut = e->len > g->max_line;
		assert_int_equal(reader_next(r, &l, &err), 1);
		assert_int_equal(l.no, i + 1);
		assert_int_equal(l.cut, cut);
		assert_int_equal(l.n, cut ? g->max_line : e->len);
		assert_memory_equal(l.p, g->data + e->off, l.n);
	}
	expect_end(r);
	assert_int_equal(reader_lines(r), g->n);
	assert_int_equal(reader_cut_lines(r), g->n_cut);
}

/* ---- plain input ------------------------------------------------------ */

static void test_lf_crlf_last_line(void **state)
{
	(void)state;
	static const char in[] = "alpha\nbeta\r\n\ngamma\r\n\r\ndelta";
	struct reader *r = reader_open_mem(in, sizeof in - 1, "mem", 0);
	assert_string_equal(reader_label(r), "mem");
	expect_line(r, "alpha");
	expect_line(r, "beta");
	expect_line(r, "");
	expect_line(r, "gamma");
	expect_line(r, "");
	expect_line(r, "delta");
	expect_end(r);
	assert_int_equal(reader_lines(r), 6);
	assert_int_equal(reader_bytes(r), sizeof in - 1);
	assert_false(reader_compressed(r));
	reader_free(&r);
	assert_null(r);
}

static void test_empty_input(void **state)
{
	(void)state;
	struct reader *r = reader_open_mem("", 0, "empty", 0);
	expect_end(r);
	assert_int_equal(reader_lines(r), 0);
	assert_int_equal(reader_bytes(r), 0);
	reader_free(&r);

	const char *path = write_temp("", 0);
	struct ss_err err = {{0}};
	r = reader_open_path(path, 0, &err);
	assert_non_null(r);
	expect_end(r);
	assert_int_equal(reader_lines(r), 0);
	reader_free(&r);
	unlink(path);
}

static void test_lone_newlines(void **state)
{
	(void)state;
	struct reader *r = reader_open_mem("\n", 1, "nl", 0);
	expect_line(r, "");
	expect_end(r);
	reader_free(&r);
	r = reader_open_mem("\r\n\n", 3, "crlf", 0);
	expect_line(r, "");
	expect_line(r, "");
	expect_end(r);
	assert_int_equal(reader_lines(r), 2);
	reader_free(&r);
	/* A CR before the end of input (no LF) is stripped too. */
	r = reader_open_mem("x\r", 2, "cr", 0);
	expect_line(r, "x");
	expect_end(r);
	reader_free(&r);
}

static void test_nul_bytes_kept(void **state)
{
	(void)state;
	static const char in[] = "a\0b\n\0\n";
	struct reader *r = reader_open_mem(in, sizeof in - 1, "nul", 0);
	struct line l;
	struct ss_err err = {{0}};
	assert_int_equal(reader_next(r, &l, &err), 1);
	assert_int_equal(l.n, 3);
	assert_memory_equal(l.p, "a\0b", 3);
	assert_int_equal(reader_next(r, &l, &err), 1);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.p[0], '\0');
	expect_end(r);
	reader_free(&r);
}

/* A leading 0x1f without 0x8b, or alone, is plain text. */
static void test_not_quite_gzip(void **state)
{
	(void)state;
	struct reader *r = reader_open_mem("\x1f", 1, "one", 0);
	expect_line(r, "\x1f");
	expect_end(r);
	assert_false(reader_compressed(r));
	reader_free(&r);
	r = reader_open_mem("\x1f\x8c\n", 3, "two", 0);
	expect_line(r, "\x1f\x8c");
	expect_end(r);
	assert_false(reader_compressed(r));
	reader_free(&r);
}

static void expect_cut(struct reader *r, const char *want, uint64_t no)
{
	struct line l;
	struct ss_err err = {{0}};
	assert_int_equal(reader_next(r, &l, &err), 1);
	assert_true(l.cut);
	assert_int_equal(l.no, no);
	assert_int_equal(l.n, strlen(want));
	assert_memory_equal(l.p, want, l.n);
}

static void test_overlong_line(void **state)
{
	(void)state;
	static const char in[] = "short\n0123456789abcdef\nnext\n"
				 "01234567\r\n012345678\r\n01234567\n"
				 "abcdefghijklmnop";
	struct reader *r = reader_open_mem(in, sizeof in - 1, "long", 8);
	expect_line(r, "short");
	expect_cut(r, "01234567", 2);
	expect_line(r, "next");
	expect_line(r, "01234567");    /* max_line bytes + CRLF: not cut */
	expect_cut(r, "01234567", 5);  /* one byte over, CRLF */
	expect_line(r, "01234567");
	expect_cut(r, "abcdefgh", 7);  /* overlong last line, no newline */
	expect_end(r);
	assert_int_equal(reader_lines(r), 7);
	assert_int_equal(reader_cut_lines(r), 3);
	assert_int_equal(reader_first_cut_line(r), 2);
	reader_free(&r);
}

/* A line of several MB with max_line 16: cut, the rest skipped across
 * many refills of the buffer, and the next line intact. */
static void test_overlong_line_spans_reads(void **state)
{
	(void)state;
	size_t big = 5 * 1024 * 1024;
	char *in = xmalloc(big + 32);
	memset(in, 'q', big);
	memcpy(in, "0123456789abcdefXYZ", 19);
	memcpy(in + big, "\nafter\n", 7);
	const char *path = write_temp(in, big + 7);
	struct ss_err err = {{0}};
	struct reader *r = reader_open_path(path, 16, &err);
	assert_non_null(r);
	expect_cut(r, "0123456789abcdef", 1);
	expect_line(r, "after");
	expect_end(r);
	assert_int_equal(reader_cut_lines(r), 1);
	assert_int_equal(reader_bytes(r), big + 7);
	reader_free(&r);
	unlink(path);
	free(in);
}

/* 1 MB of varied lines (some cut, some around the limit, CRLF and LF,
 * NULs) read from a file: lines cross every refill of the buffer. */
static void test_generated_file(void **state)
{
	(void)state;
	struct gen g;
	gen_make(&g, 1024 * 1024, 300, 0x9e3779b97f4a7c15ULL);
	assert_true(g.n_cut > 0);
	const char *path = write_temp(g.data, g.len);
	struct ss_err err = {{0}};
	struct reader *r = reader_open_path(path, g.max_line, &err);
	assert_non_null(r);
	gen_check(r, &g);
	assert_int_equal(reader_bytes(r), g.len);
	reader_free(&r);
	unlink(path);
	gen_free(&g);
}

/* Reads r to the end a chunk at a time, splitting the chunks as the
 * pipeline does, comparing every line with g. */
static void gen_check_chunks(struct reader *r, const struct gen *g)
{
	struct chunk c;
	struct ss_err err = {{0}};
	size_t i = 0, cut = 0;
	int rc;
	while ((rc = reader_next_chunk(r, &c, &err)) > 0) {
		assert_true(c.n > 0);
		for (size_t pos = 0; pos < c.n; i++) {
			assert_true(i < g->n);
			const struct expect *e = &g->lines[i];
			struct line l;
			if (c.cut) {
				l = (struct line){.p = c.p, .n = c.n, .cut = true};
				pos = c.n;
			} else {
				const char *nl = memchr(c.p + pos, '\n', c.n - pos);
				size_t len = nl ? (size_t)(nl - c.p) - pos : c.n - pos;
				/* only the input's last line may lack its newline */
				assert_true(nl || i == g->n - 1);
				reader_line_make(c.p + pos, len, g->max_line, &l);
				pos += len + (nl != NULL);
			}
			cut += l.cut;
			assert_int_equal(l.cut, e->len > g->max_line);
			assert_int_equal(l.n, l.cut ? g->max_line : e->len);
			assert_memory_equal(l.p, g->data + e->off, l.n);
		}
	}
	assert_int_equal(rc, 0);
	assert_int_equal(i, g->n);
	assert_int_equal(cut, g->n_cut);
	assert_int_equal(reader_bytes(r), g->len);
}

/* A file of several mapping windows (max(1 MiB, 4 * max_line)): lines
 * across window ends, lines cut, lines longer than a window. */
static void test_mapped_windows(void **state)
{
	(void)state;
	static const size_t max_lines[] = {64, 300 * 1024};
	for (size_t k = 0; k < SS_ARRAY_LEN(max_lines); k++) {
		struct gen g;
		gen_make(&g, 5 * 1024 * 1024 + 77, max_lines[k], 0x2545F4914F6CDD1DULL + k);
		assert_true(g.n_cut > 0);
		const char *path = write_temp(g.data, g.len);
		struct ss_err err = {{0}};
		struct reader *r = reader_open_path(path, g.max_line, &err);
		assert_non_null(r);
		gen_check(r, &g);
		reader_free(&r);
		r = reader_open_path(path, g.max_line, &err);
		gen_check_chunks(r, &g);
		reader_free(&r);
		/* the same bytes through the read buffer */
		r = reader_open_mem(g.data, g.len, "mem", g.max_line);
		gen_check_chunks(r, &g);
		reader_free(&r);
		unlink(path);
		gen_free(&g);
	}
}

/* Under valgrind, whose signal handling does not follow a mapping
 * replaced from inside a SIGBUS handler. */
static bool under_valgrind(void)
{
	const char *p = getenv("LD_PRELOAD");
	return p && strstr(p, "vgpreload");
}

/* A mapped file truncated while it is read: an error, not a crash, even
 * for bytes of a chunk already handed out. */
static void test_mapped_file_shrinks(void **state)
{
	(void)state;
	bool touch_gone_page = !under_valgrind();
	size_t len = 3 * 1024 * 1024;
	char *data = xmalloc(len);
	for (size_t i = 0; i < len; i++)
		data[i] = i % 100 == 99 ? '\n' : 'a';
	const char *path = write_temp(data, len);
	struct ss_err err = {{0}};
	struct reader *r = reader_open_path(path, 64, &err);
	assert_non_null(r);
	struct chunk c;
	assert_int_equal(reader_next_chunk(r, &c, &err), 1);
	assert_true(c.n > 500000);
	assert_int_equal(truncate(path, 1000), 0);
	if (touch_gone_page) {
		volatile char byte = c.p[600000];   /* a page that is gone */
		assert_int_equal(byte, 0);
	}
	int rc;
	while ((rc = reader_next_chunk(r, &c, &err)) > 0)
		;
	assert_int_equal(rc, -1);
	assert_non_null(strstr(err.msg, "shrank"));
	reader_free(&r);
	/* and one truncated between two windows */
	FILE *f = fopen(path, "wb");
	assert_int_equal(fwrite(data, 1, len, f), len);
	fclose(f);
	r = reader_open_path(path, 64, &err);
	assert_int_equal(reader_next_chunk(r, &c, &err), 1);
	assert_int_equal(truncate(path, 1000), 0);
	while ((rc = reader_next_chunk(r, &c, &err)) > 0)
		;
	assert_int_equal(rc, -1);
	assert_non_null(strstr(err.msg, "shrank"));
	reader_free(&r);
	unlink(path);
	free(data);
}

/* A fault in a reader's window is that reader's failure, never the next
 * one's: after the truncation, the reader itself touches the vanished
 * page (the unfinished line at the end of its first window), and a
 * reader opened afterwards in the same thread reads its file whole. */
static void test_mapped_fault_stays_with_its_reader(void **state)
{
	(void)state;
	size_t len = 3 * 1024 * 1024;
	char *data = xmalloc(len);
	for (size_t i = 0; i < len; i++)
		data[i] = i % 100 == 99 ? '\n' : 'a';
	const char *path = write_temp(data, len);
	struct ss_err err = {{0}};
	struct chunk c;
	int rc;
	struct reader *r = reader_open_path(path, 64, &err);
	assert_int_equal(reader_next_chunk(r, &c, &err), 1);
	assert_int_equal(truncate(path, 1000), 0);
	while ((rc = reader_next_chunk(r, &c, &err)) > 0)
		;
	assert_int_equal(rc, -1);
	reader_free(&r);
	FILE *f = fopen(path, "wb");
	assert_int_equal(fwrite(data, 1, len, f), len);
	fclose(f);
	memset(&err, 0, sizeof err);
	r = reader_open_path(path, 64, &err);
	size_t total = 0;
	while ((rc = reader_next_chunk(r, &c, &err)) > 0)
		total += c.n;
	assert_int_equal(rc, 0);
	assert_int_equal(total, len);
	reader_free(&r);
	unlink(path);
	free(data);
}

/* A line that starts just before the end of the first read (256 KiB)
 * and runs past it. */
static void test_line_across_first_read(void **state)
{
	(void)state;
	size_t first = 256 * 1024, len = first + 4096;
	char *in = xmalloc(len);
	memset(in, 'a', len);
	for (size_t off = 99; off < first - 100; off += 100)
		in[off] = '\n';         /* 2620 lines of 99 bytes */
	in[first - 51] = '\n';          /* one of 93 */
	memset(in + first - 50, 'S', 99);
	in[first + 49] = '\n';          /* the spanning one, 99 'S' */
	struct reader *r = reader_open_mem(in, len, "span", 0);
	struct line l;
	struct ss_err err = {{0}};
	unsigned n99 = 0;
	while (reader_next(r, &l, &err) == 1 && l.n == 99)
		n99++;
	assert_int_equal(n99, 2620);
	assert_int_equal(l.n, 93);
	assert_int_equal(reader_next(r, &l, &err), 1);
	assert_int_equal(l.n, 99);
	assert_memory_equal(l.p, in + first - 50, 99);
	assert_int_equal(reader_next(r, &l, &err), 1);
	assert_int_equal(l.n, len - first - 50);
	assert_false(l.cut);
	expect_end(r);
	assert_int_equal(reader_lines(r), 2623);
	reader_free(&r);
	free(in);
}

/* A pipe that delivers a line in two reads, and a CR at the limit that
 * must wait for the next read to learn it is CRLF. */
static void test_line_split_across_reads(void **state)
{
	(void)state;
	/* Written as "ab\n0" "1234" "567\r" "\nend", 30 ms apart: the
	 * second line spans three reads, and after the third the reader
	 * holds max_line + 1 bytes ending in CR, which is not yet too long. */
	static const char in[] = "ab\n01234567\r\nend";
	int fd;
	pid_t pid = pipe_writer(in, sizeof in - 1, 4, 4, 30000, &fd);
	struct reader *r = reader_open_fd(fd, "pipe", 8);
	expect_line(r, "ab");
	expect_line(r, "01234567");
	expect_line(r, "end");
	expect_end(r);
	assert_int_equal(reader_cut_lines(r), 0);
	assert_int_equal(reader_bytes(r), sizeof in - 1);
	reader_free(&r);
	close(fd);  /* open_fd does not own it */
	reap(pid, true);
}

static void test_generated_pipe(void **state)
{
	(void)state;
	struct gen g;
	gen_make(&g, 600 * 1024, 1000, 42);
	int fd;
	pid_t pid = pipe_writer(g.data, g.len, 4093, 4093, 0, &fd);
	struct reader *r = reader_open_fd(fd, "-", 1000);
	gen_check(r, &g);
	assert_int_equal(reader_bytes(r), g.len);
	reader_free(&r);
	close(fd);
	reap(pid, true);
	gen_free(&g);
}

static void test_fifo_path(void **state)
{
	(void)state;
	char dir[] = "/tmp/sslsift-fifo-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char path[64];
	snprintf(path, sizeof path, "%s/f", dir);
	assert_int_equal(mkfifo(path, 0600), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		alarm(30);
		int fd = open(path, O_WRONLY);
		_exit(fd < 0 || write(fd, "via fifo\n", 9) != 9);
	}
	struct ss_err err = {{0}};
	struct reader *r = reader_open_path(path, 0, &err);
	assert_non_null(r);
	expect_line(r, "via fifo");
	expect_end(r);
	reader_free(&r);
	reap(pid, true);
	unlink(path);
	rmdir(dir);
}

static void test_open_errors(void **state)
{
	(void)state;
	struct ss_err err = {{0}};
	assert_null(reader_open_path("/nonexistent-sslsift/x.log", 0, &err));
	assert_string_equal(err.msg, "No such file or directory");
	assert_null(reader_open_path("/tmp", 0, &err));
	assert_string_equal(err.msg, "is a directory");
	assert_null(reader_open_path("/tmp", 0, NULL));  /* err optional */
}

/* A read that fails (a directory given as a descriptor). */
static void test_read_error(void **state)
{
	(void)state;
	int fd = open("/tmp", O_RDONLY | O_DIRECTORY);
	assert_true(fd >= 0);
	struct reader *r = reader_open_fd(fd, "dirfd", 0);
	expect_error(r, "read error at byte 0: Is a directory");
	reader_free(&r);
	close(fd);
}

/* ---- gzip ------------------------------------------------------------- */

static void test_gzip_literal(void **state)
{
	(void)state;
	struct reader *r = reader_open_mem(GZ_HI, sizeof GZ_HI, "gz", 0);
	if (!reader_has_zlib()) {
		expect_error(r, "gzip input, but this sslsift was built "
				"without zlib");
		assert_true(reader_compressed(r));
		assert_int_equal(reader_lines(r), 0);
		reader_free(&r);
		return;
	}
	expect_line(r, "hi");
	expect_line(r, "there");
	expect_end(r);
	assert_true(reader_compressed(r));
	assert_int_equal(reader_bytes(r), sizeof GZ_HI);
	assert_int_equal(reader_lines(r), 2);
	reader_free(&r);
}

#ifdef HAVE_ZLIB

/* One gzip member holding in[0..n). */
static void gz_member(struct strbuf *out, const void *in, size_t n)
{
	z_stream zs;
	memset(&zs, 0, sizeof zs);
	assert_int_equal(deflateInit2(&zs, 6, Z_DEFLATED, 16 + MAX_WBITS, 8,
				      Z_DEFAULT_STRATEGY), Z_OK);
	size_t bound = deflateBound(&zs, (uLong)n);
	xgrow(&out->p, &out->cap, out->n + bound + 1, 1);
	zs.next_in = (unsigned char *)(uintptr_t)in;
	zs.avail_in = (uInt)n;
	zs.next_out = (unsigned char *)out->p + out->n;
	zs.avail_out = (uInt)bound;
	assert_int_equal(deflate(&zs, Z_FINISH), Z_STREAM_END);
	out->n += zs.total_out;
	deflateEnd(&zs);
}

static void test_gzip_generated(void **state)
{
	(void)state;
	struct gen g;
	gen_make(&g, 1024 * 1024, 300, 7);
	struct strbuf gz = {0};
	gz_member(&gz, g.data, g.len);
	const char *path = write_temp(gz.p, gz.n);
	struct ss_err err = {{0}};
	struct reader *r = reader_open_path(path, g.max_line, &err);
	assert_non_null(r);
	gen_check(r, &g);
	assert_true(reader_compressed(r));
	assert_int_equal(reader_bytes(r), gz.n);
	reader_free(&r);
	unlink(path);
	sb_free(&gz);
	gen_free(&g);
}

/* Three members cut at arbitrary points (mid-line), then zero padding. */
static void test_gzip_multi_member(void **state)
{
	(void)state;
	struct gen g;
	gen_make(&g, 700 * 1024, 500, 99);
	struct strbuf gz = {0};
	size_t a = 100003, b = 450017;
	gz_member(&gz, g.data, a);
	gz_member(&gz, g.data + a, b - a);
	gz_member(&gz, g.data + b, g.len - b);
	size_t len = gz.n;
	sb_append(&gz, "\0\0\0\0\0\0\0\0", 8);
	struct reader *r = reader_open_mem(gz.p, gz.n, "multi", g.max_line);
	gen_check(r, &g);
	assert_int_equal(reader_bytes(r), len + 8);
	reader_free(&r);
	sb_free(&gz);
	gen_free(&g);
}

/* Two members, a line split between them. */
static void test_gzip_two_members_split_line(void **state)
{
	(void)state;
	struct strbuf gz = {0};
	gz_member(&gz, "first\nhel", 9);
	gz_member(&gz, "lo\nlast\n", 8);
	gz_member(&gz, "", 0);  /* an empty member is fine too */
	struct reader *r = reader_open_mem(gz.p, gz.n, "two", 0);
	expect_line(r, "first");
	expect_line(r, "hello");
	expect_line(r, "last");
	expect_end(r);
	assert_int_equal(reader_lines(r), 3);
	reader_free(&r);
	sb_free(&gz);
}

/* From a pipe, the second member's magic split over two reads. */
static void test_gzip_member_magic_split(void **state)
{
	(void)state;
	struct strbuf gz = {0};
	gz_member(&gz, "first\nhel", 9);
	size_t first = gz.n + 1;
	gz_member(&gz, "lo\nlast\n", 8);
	int fd;
	pid_t pid = pipe_writer(gz.p, gz.n, first, 4096, 30000, &fd);
	struct reader *r = reader_open_fd(fd, "-", 0);
	expect_line(r, "first");
	expect_line(r, "hello");
	expect_line(r, "last");
	expect_end(r);
	assert_int_equal(reader_bytes(r), gz.n);
	reader_free(&r);
	close(fd);
	reap(pid, true);
	sb_free(&gz);
}

/* Gzip from a pipe, the magic split over two reads. */
static void test_gzip_pipe(void **state)
{
	(void)state;
	struct gen g;
	gen_make(&g, 300 * 1024, 200, 1234);
	struct strbuf gz = {0};
	gz_member(&gz, g.data, 200000);
	gz_member(&gz, g.data + 200000, g.len - 200000);
	int fd;
	pid_t pid = pipe_writer(gz.p, gz.n, 1, 777, 20000, &fd);
	struct reader *r = reader_open_fd(fd, "-", g.max_line);
	gen_check(r, &g);
	assert_true(reader_compressed(r));
	assert_int_equal(reader_bytes(r), gz.n);
	reader_free(&r);
	close(fd);
	reap(pid, true);
	sb_free(&gz);
	gen_free(&g);
}

/* Reads lines of "line %06u" until the reader stops, checking each; the
 * last one may be a prefix of its line.  Returns how many. */
static unsigned read_numbered(struct reader *r, int *rc, struct ss_err *err)
{
	struct line l;
	unsigned n = 0;
	bool partial = false;
	char want[32];
	while ((*rc = reader_next(r, &l, err)) == 1) {
		assert_false(partial);
		int k = snprintf(want, sizeof want, "line %06u", n);
		assert_true(l.n <= (size_t)k);
		assert_memory_equal(l.p, want, l.n);
		partial = l.n < (size_t)k;
		n++;
	}
	return n;
}

/* How many bytes zlib itself gets out of the first `len` bytes of gz. */
static size_t decodable(const struct strbuf *gz, size_t len, size_t out_cap)
{
	z_stream zs;
	memset(&zs, 0, sizeof zs);
	assert_int_equal(inflateInit2(&zs, 16 + MAX_WBITS), Z_OK);
	unsigned char *out = xmalloc(out_cap);
	zs.next_in = (unsigned char *)gz->p;
	zs.avail_in = (uInt)len;
	zs.next_out = out;
	zs.avail_out = (uInt)out_cap;
	int rc = inflate(&zs, Z_SYNC_FLUSH);
	assert_true(rc == Z_OK || rc == Z_BUF_ERROR);
	size_t n = zs.total_out;
	inflateEnd(&zs);
	free(out);
	return n;
}

static void numbered(struct strbuf *b, unsigned count)
{
	for (unsigned i = 0; i < count; i++)
		sb_printf(b, "line %06u\n", i);
}

/* Complete lines before the damage come out first, then -1, then 0. */
static void test_gzip_truncated(void **state)
{
	(void)state;
	struct strbuf text = {0}, gz = {0};
	numbered(&text, 100000);
	gz_member(&gz, text.p, text.n);
	size_t cut = gz.n / 2;
	struct reader *r = reader_open_mem(gz.p, cut, "trunc", 0);
	struct ss_err err = {{0}};
	int rc;
	unsigned n = read_numbered(r, &rc, &err);
	assert_int_equal(rc, -1);
	char want[80];
	snprintf(want, sizeof want, "truncated gzip stream at byte %zu", cut);
	assert_string_equal(err.msg, want);
	/* Every byte zlib can decode came out: whole lines and the partial
	 * last one (12 bytes a line). */
	size_t d = decodable(&gz, cut, text.n);
	assert_true(d > 12000 && d < text.n);
	assert_int_equal(n, (d + 11) / 12);
	expect_end(r);
	assert_int_equal(reader_bytes(r), cut);
	reader_free(&r);

	/* Only the trailer missing: every line, then the error. */
	r = reader_open_mem(gz.p, gz.n - 8, "trailer", 0);
	assert_int_equal(read_numbered(r, &rc, &err), 100000);
	snprintf(want, sizeof want, "truncated gzip stream at byte %zu",
		 gz.n - 8);
	assert_int_equal(rc, -1);
	assert_string_equal(err.msg, want);
	expect_end(r);
	reader_free(&r);

	/* Nothing but the magic. */
	r = reader_open_mem(gz.p, 2, "magic", 0);
	expect_error(r, "truncated gzip stream at byte 2");
	reader_free(&r);
	sb_free(&text);
	sb_free(&gz);
}

static void test_gzip_bad_crc(void **state)
{
	(void)state;
	struct strbuf text = {0}, gz = {0};
	numbered(&text, 5000);
	gz_member(&gz, text.p, text.n);
	gz.p[gz.n - 8] ^= 0x55;  /* the CRC32 in the trailer */
	const char *path = write_temp(gz.p, gz.n);
	struct ss_err err = {{0}};
	struct reader *r = reader_open_path(path, 0, &err);
	int rc;
	assert_int_equal(read_numbered(r, &rc, &err), 5000);
	assert_int_equal(rc, -1);
	char want[80];
	snprintf(want, sizeof want,
		 "corrupt gzip stream at byte %zu: incorrect data check",
		 gz.n - 4);
	assert_string_equal(err.msg, want);
	assert_null(strstr(err.msg, path));
	expect_end(r);
	reader_free(&r);
	unlink(path);
	sb_free(&text);
	sb_free(&gz);
}

static void test_gzip_bad_header(void **state)
{
	(void)state;
	unsigned char in[sizeof GZ_HI];
	memcpy(in, GZ_HI, sizeof in);
	in[2] = 7;  /* compression method: not deflate */
	struct reader *r = reader_open_mem(in, sizeof in, "hdr", 0);
	expect_error(r, "corrupt gzip stream at byte 4: "
			"unknown compression method");
	assert_int_equal(reader_lines(r), 0);
	reader_free(&r);
}

static void test_gzip_trailing_garbage(void **state)
{
	(void)state;
	struct strbuf gz = {0};
	gz_member(&gz, "one\ntwo", 7);
	size_t len = gz.n;
	sb_append(&gz, "junk\n", 5);
	struct reader *r = reader_open_mem(gz.p, gz.n, "junk", 0);
	expect_line(r, "one");
	expect_line(r, "two");
	char want[80];
	snprintf(want, sizeof want,
		 "trailing garbage after gzip stream at byte %zu", len);
	expect_error(r, want);
	assert_int_equal(reader_lines(r), 2);
	reader_free(&r);

	/* One stray byte at the end. */
	gz.n = len;
	sb_append(&gz, "\x1f", 1);
	r = reader_open_mem(gz.p, gz.n, "stray", 0);
	expect_line(r, "one");
	expect_line(r, "two");
	expect_error(r, want);
	reader_free(&r);

	/* Zero padding, then something else: garbage where it starts. */
	gz.n = len;
	sb_append(&gz, "\0\0\0X", 4);
	r = reader_open_mem(gz.p, gz.n, "pad", 0);
	expect_line(r, "one");
	expect_line(r, "two");
	snprintf(want, sizeof want,
		 "trailing garbage after gzip stream at byte %zu", len + 3);
	expect_error(r, want);
	reader_free(&r);
	sb_free(&gz);
}

static void test_gzip_empty_member(void **state)
{
	(void)state;
	struct strbuf gz = {0};
	gz_member(&gz, "", 0);
	struct reader *r = reader_open_mem(gz.p, gz.n, "empty.gz", 0);
	expect_end(r);
	assert_true(reader_compressed(r));
	assert_int_equal(reader_lines(r), 0);
	assert_int_equal(reader_bytes(r), gz.n);
	reader_free(&r);
	sb_free(&gz);
}

/* A gzip file with one overlong line: cut, and the memory stays put. */
static void test_gzip_overlong(void **state)
{
	(void)state;
	size_t big = 3 * 1024 * 1024;
	char *in = xmalloc(big + 16);
	memset(in, 'z', big);
	memcpy(in + big, "\nok\n", 4);
	struct strbuf gz = {0};
	gz_member(&gz, "first\n", 6);
	gz_member(&gz, in, big + 4);
	struct reader *r = reader_open_mem(gz.p, gz.n, "long.gz", 10);
	expect_line(r, "first");
	expect_cut(r, "zzzzzzzzzz", 2);
	expect_line(r, "ok");
	expect_end(r);
	reader_free(&r);
	sb_free(&gz);
	free(in);
}

#endif /* HAVE_ZLIB */

int main(void)
{
	signal(SIGPIPE, SIG_IGN);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lf_crlf_last_line),
		cmocka_unit_test(test_empty_input),
		cmocka_unit_test(test_lone_newlines),
		cmocka_unit_test(test_nul_bytes_kept),
		cmocka_unit_test(test_not_quite_gzip),
		cmocka_unit_test(test_overlong_line),
		cmocka_unit_test(test_overlong_line_spans_reads),
		cmocka_unit_test(test_generated_file),
		cmocka_unit_test(test_mapped_windows),
		cmocka_unit_test(test_mapped_file_shrinks),
		cmocka_unit_test(test_mapped_fault_stays_with_its_reader),
		cmocka_unit_test(test_line_across_first_read),
		cmocka_unit_test(test_line_split_across_reads),
		cmocka_unit_test(test_generated_pipe),
		cmocka_unit_test(test_fifo_path),
		cmocka_unit_test(test_open_errors),
		cmocka_unit_test(test_read_error),
		cmocka_unit_test(test_gzip_literal),
#ifdef HAVE_ZLIB
		cmocka_unit_test(test_gzip_generated),
		cmocka_unit_test(test_gzip_multi_member),
		cmocka_unit_test(test_gzip_two_members_split_line),
		cmocka_unit_test(test_gzip_pipe),
		cmocka_unit_test(test_gzip_member_magic_split),
		cmocka_unit_test(test_gzip_truncated),
		cmocka_unit_test(test_gzip_bad_crc),
		cmocka_unit_test(test_gzip_bad_header),
		cmocka_unit_test(test_gzip_trailing_garbage),
		cmocka_unit_test(test_gzip_empty_member),
		cmocka_unit_test(test_gzip_overlong),
#endif
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
