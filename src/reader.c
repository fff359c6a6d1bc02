/* reader.c - see reader.h.
 *
 * Plain regular files are mapped a window at a time (reader_map.c).
 * Everything else goes through two buffers, both allocated once:
 *
 *   line buffer  max_line + READ_CHUNK bytes.  Plain input is read straight
 *                into it and gzip input is inflated into it (reader_gzip.c),
 *                so lines that lie wholly inside it are handed out as
 *                pointers into it (no copy).  A line that runs past the end
 *                of what was read is moved to the front (memmove) and more
 *                is read behind it.
 *   raw buffer   RAW_SIZE bytes of compressed input; gzip only.
 *
 * fill() is the only function that adds bytes to the line buffer (as
 * pcre2grep's fill_buffer is the only one that reads).  A problem found by
 * fill() does not surface at once: it ends the input, the lines already in
 * the buffer are handed out, and only then does the reader return -1.
 *
 * Both ways hand out chunks of whole lines (reader_next_chunk); reader_next
 * splits them into lines. */
#include "config.h"
#include "reader.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "reader_impl.h"

void reader_fail(struct reader *r, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(r->errmsg, sizeof r->errmsg, fmt, ap);
	va_end(ap);
	r->eof = true;
	r->failed = true;
}

ssize_t reader_raw_read(struct reader *r, void *dst, size_t n)
{
	if (r->fd < 0) {
		size_t k = r->mem_len - r->mem_pos;
		if (k > n)
			k = n;
		if (k == 0)
			return 0;
		memcpy(dst, r->mem + r->mem_pos, k);
		r->mem_pos += k;
		r->bytes += k;
		return (ssize_t)k;
	}
	for (;;) {
		ssize_t k = read(r->fd, dst, n);
		if (k >= 0) {
			r->bytes += (uint64_t)k;
			return k;
		}
		if (errno != EINTR) {
			reader_fail(r, "read error at byte %llu: %s",
				    (unsigned long long)r->bytes, strerror(errno));
			return -1;
		}
	}
}

/* Plain input: reads straight into the line buffer. */
static size_t fill_plain(struct reader *r)
{
	ssize_t k = reader_raw_read(r, r->buf + r->end, r->cap - r->end);
	if (k <= 0) {
		r->eof = true;
		return 0;
	}
	r->end += (size_t)k;
	return (size_t)k;
}

/* The first fill: reads (at most RAW_SIZE bytes, so that they fit the raw
 * buffer if they turn out to be gzip) until two bytes show which it is. */
static size_t fill_first(struct reader *r)
{
	_Static_assert(RAW_SIZE <= READ_CHUNK, "first read must fit raw buffer");
	r->sniffed = true;
	while (r->end < 2) {
		ssize_t k = reader_raw_read(r, r->buf + r->end, RAW_SIZE - r->end);
		if (k <= 0) {
			r->eof = true;
			break;
		}
		r->end += (size_t)k;
	}
	if (r->end >= 2 && (unsigned char)r->buf[0] == 0x1f &&
	    (unsigned char)r->buf[1] == 0x8b) {
		r->compressed = true;
		return reader_gzip_start(r);
	}
	return r->end;
}

/* Adds bytes behind r->end: how many, 0 once the input is over (r->failed
 * says whether it ended in trouble).  The only place input is read. */
static size_t fill(struct reader *r)
{
	if (r->eof)
		return 0;
	if (!r->sniffed)
		return fill_first(r);
	return r->compressed ? reader_gzip_fill(r) : fill_plain(r);
}

/* Moves the unfinished line to the front of the line buffer. */
static void compact(struct reader *r)
{
	if (r->start == 0)
		return;
	size_t n = r->end - r->start;
	if (n)
		memmove(r->buf, r->buf + r->start, n);
	r->scan -= r->start;
	r->end = n;
	r->start = 0;
}

/* Hands out [start, start + len) and moves past `next` bytes. */
static int emit(struct reader *r, struct chunk *out, size_t len, size_t next,
		bool cut)
{
	out->p = r->buf + r->start;
	out->n = len;
	out->cut = cut;
	r->start += next;
	r->scan = r->start;
	return 1;
}

/* Is [start, end), which holds no newline, already too long to be one
 * line of at most max_line bytes (allowing for a CR before the LF)? */
static bool overlong(const struct reader *r)
{
	size_t n = r->end - r->start;
	if (n > r->max_line + 1)
		return true;
	return n == r->max_line + 1 && r->buf[r->start + r->max_line] != '\r';
}

/* Discards bytes up to the next newline; false if more must be read. */
static bool skip_rest(struct reader *r)
{
	char *nl = memchr(r->buf + r->start, '\n', r->end - r->start);
	r->start = nl ? (size_t)(nl + 1 - r->buf) : r->end;
	r->scan = r->start;
	r->skipping = !nl;
	return nl != NULL;
}

static int finish(struct reader *r, struct ss_err *err)
{
	if (!r->failed || r->reported)
		return 0;
	r->reported = true;
	ss_err_set(err, "%s", r->errmsg);
	return -1;
}

/* The line buffer's way: every complete line read so far, an overlong
 * line cut, or the last line at the end of the input. */
static int buffer_chunk(struct reader *r, struct chunk *out)
{
	for (;;) {
		if (r->skipping && !skip_rest(r)) {
			if (r->eof)
				return 0;
			compact(r);
			fill(r);
			continue;
		}
		char *nl = memrchr(r->buf + r->scan, '\n', r->end - r->scan);
		if (nl) {
			size_t len = (size_t)(nl + 1 - (r->buf + r->start));
			return emit(r, out, len, len, false);
		}
		r->scan = r->end;
		if (overlong(r)) {
			r->skipping = true;
			return emit(r, out, r->max_line, r->max_line, true);
		}
		if (r->eof) {
			size_t len = r->end - r->start;
			return len ? emit(r, out, len, len, false) : 0;
		}
		compact(r);
		fill(r);
	}
}

int reader_next_chunk(struct reader *r, struct chunk *out, struct ss_err *err)
{
	int rc = r->mapped ? reader_map_chunk(r, out) : buffer_chunk(r, out);
	return rc ? rc : finish(r, err);
}

void reader_line_make(const char *p, size_t len, size_t max_line,
		      struct line *out)
{
	if (len && p[len - 1] == '\r')
		len--;
	out->p = p;
	out->cut = len > max_line;
	out->n = out->cut ? max_line : len;
}

int reader_next(struct reader *r, struct line *out, struct ss_err *err)
{
	while (r->cur_pos >= r->cur.n) {
		int rc = reader_next_chunk(r, &r->cur, err);
		if (rc <= 0)
			return rc;
		r->cur_pos = 0;
	}
	const char *p = r->cur.p + r->cur_pos;
	size_t left = r->cur.n - r->cur_pos;
	if (r->cur.cut) {
		*out = (struct line){.p = p, .n = left, .cut = true};
		r->cur_pos = r->cur.n;
	} else {
		const char *nl = memchr(p, '\n', left);
		size_t len = nl ? (size_t)(nl - p) : left;
		reader_line_make(p, len, r->max_line, out);
		r->cur_pos += nl ? len + 1 : len;
	}
	out->no = ++r->lines;
	if (out->cut && r->cut++ == 0)
		r->first_cut = r->lines;
	return 1;
}

static struct reader *reader_new(int fd, const char *label, size_t max_line)
{
	struct reader *r = xcalloc(1, sizeof *r);
	r->fd = fd;
	r->label = xstrdup(label ? label : "-");
	r->max_line = max_line ? max_line : READER_DEFAULT_MAX_LINE;
	return r;
}

/* The line buffer, for all but mapped files. */
static void reader_buffer(struct reader *r)
{
	r->cap = r->max_line + READ_CHUNK;
	/* Zeroed (free for a buffer this size: fresh pages from mmap), so
	 * that the word-at-a-time scans of PCRE2's JIT, which may look a few
	 * bytes past the end of a subject, never read uninitialised memory
	 * (valgrind reports those reads otherwise). */
	r->buf = xcalloc(1, r->cap);
}

/* Plain text unless the first two bytes are gzip's magic. */
static bool looks_plain(int fd)
{
	unsigned char m[2];
	ssize_t k;
	do
		k = pread(fd, m, 2, 0);
	while (k < 0 && errno == EINTR);
	return k == 2 && !(m[0] == 0x1f && m[1] == 0x8b);
}

struct reader *reader_open_path(const char *path, size_t max_line,
				struct ss_err *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		ss_err_set(err, "%s", strerror(errno));
		return NULL;
	}
	struct stat st;
	if (fstat(fd, &st) != 0) {
		ss_err_set(err, "%s", strerror(errno));
		close(fd);
		return NULL;
	}
	if (S_ISDIR(st.st_mode)) {
		ss_err_set(err, "is a directory");
		close(fd);
		return NULL;
	}
#ifdef POSIX_FADV_SEQUENTIAL
	if (S_ISREG(st.st_mode))
		(void)posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
	struct reader *r = reader_new(fd, path, max_line);
	r->own_fd = true;
	if (!(S_ISREG(st.st_mode) && looks_plain(fd) &&
	      reader_map_open(r, (uint64_t)st.st_size)))
		reader_buffer(r);
	return r;
}

struct reader *reader_open_fd(int fd, const char *label, size_t max_line)
{
	struct reader *r = reader_new(fd, label, max_line);
	reader_buffer(r);
	return r;
}

struct reader *reader_open_mem(const void *buf, size_t len, const char *label,
			       size_t max_line)
{
	struct reader *r = reader_new(-1, label, max_line);
	reader_buffer(r);
	r->mem = buf;
	r->mem_len = buf ? len : 0;
	return r;
}

bool reader_compressed(const struct reader *r)
{
	return r->compressed;
}

uint64_t reader_bytes(const struct reader *r)
{
	return r->bytes;
}

uint64_t reader_lines(const struct reader *r)
{
	return r->lines;
}

uint64_t reader_first_cut_line(const struct reader *r)
{
	return r->first_cut;
}

uint64_t reader_cut_lines(const struct reader *r)
{
	return r->cut;
}

const char *reader_label(const struct reader *r)
{
	return r->label;
}

void reader_free(struct reader **rp)
{
	struct reader *r = rp ? *rp : NULL;
	if (!r)
		return;
	reader_map_close(r);
	if (r->own_fd)
		close(r->fd);
	reader_gzip_free(r);
	free(r->buf);
	free(r->label);
	free(r);
	*rp = NULL;
}

bool reader_has_zlib(void)
{
#ifdef HAVE_ZLIB
	return true;
#else
	return false;
#endif
}
