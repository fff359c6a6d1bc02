/* reader.c - see reader.h.
 *
 * Two buffers, both allocated once when the reader is opened:
 *
 *   line buffer  max_line + READ_CHUNK bytes.  Plain input is read straight
 *                into it and gzip input is inflated into it, so a line that
 *                lies wholly inside it is handed out as a pointer into it
 *                (no copy).  A line that runs past the end of what was read
 *                is moved to the front (memmove) and more is read behind it.
 *   raw buffer   RAW_SIZE bytes of compressed input; gzip only.
 *
 * fill() is the only function that adds bytes to the line buffer (as
 * pcre2grep's fill_buffer is the only one that reads).  A problem found by
 * fill() does not surface at once: it ends the input, the lines already in
 * the buffer are handed out, and only then does reader_next() return -1. */
#include "config.h"
#include "reader.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#ifdef HAVE_ZLIB
#include <zlib.h>
#endif

#define READ_CHUNK (256 * 1024)
#define RAW_SIZE (256 * 1024)

struct reader {
	char *label;
	int fd;                     /* -1 for a memory reader */
	bool own_fd;
	const unsigned char *mem;   /* memory reader: the borrowed input */
	size_t mem_len, mem_pos;

	size_t max_line;
	char *buf;                  /* the line buffer, cap bytes */
	size_t cap;
	size_t start;               /* first byte not yet handed out */
	size_t scan;                /* [start, scan) holds no newline */
	size_t end;                 /* end of the bytes read so far */
	bool skipping;              /* discarding the tail of a cut line */

	bool sniffed;               /* the first bytes were looked at */
	bool compressed;
	bool eof;                   /* fill() will add nothing more */
	bool failed;                /* ... because of errmsg */
	bool reported;              /* the -1 was returned */
	char errmsg[sizeof(((struct ss_err *)0)->msg)];

	uint64_t bytes, lines, cut;
	uint64_t first_cut;         /* line number of the first cut line */

#ifdef HAVE_ZLIB
	unsigned char *raw;         /* RAW_SIZE bytes of compressed input */
	bool raw_eof;
	bool z_ready;               /* inflateInit2 succeeded */
	bool member_done;           /* at Z_STREAM_END of a member */
	bool padding;               /* zero bytes after the last member */
	z_stream zs;
#endif
};

static void fail(struct reader *r, const char *fmt, ...) SS_PRINTF(2, 3);

/* Ends the input with an error that reader_next() reports once the lines
 * already read have been handed out. */
static void fail(struct reader *r, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(r->errmsg, sizeof r->errmsg, fmt, ap);
	va_end(ap);
	r->eof = true;
	r->failed = true;
}

/* Reads up to n raw bytes from the source into dst: the count, 0 at end of
 * input, or -1 after fail(). */
static ssize_t raw_read(struct reader *r, void *dst, size_t n)
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
			fail(r, "read error at byte %llu: %s",
			     (unsigned long long)r->bytes, strerror(errno));
			return -1;
		}
	}
}

/* Plain input: reads straight into the line buffer. */
static size_t fill_plain(struct reader *r)
{
	ssize_t k = raw_read(r, r->buf + r->end, r->cap - r->end);
	if (k <= 0) {
		r->eof = true;
		return 0;
	}
	r->end += (size_t)k;
	return (size_t)k;
}

#ifdef HAVE_ZLIB

/* Moves unread compressed bytes to the front of the raw buffer and reads
 * more behind them.  1: read some; 0: end of input; -1: failed. */
static int raw_refill(struct reader *r)
{
	if (r->zs.avail_in && r->zs.next_in != r->raw)
		memmove(r->raw, r->zs.next_in, r->zs.avail_in);
	r->zs.next_in = r->raw;
	ssize_t k = raw_read(r, r->raw + r->zs.avail_in,
			     RAW_SIZE - r->zs.avail_in);
	if (k < 0)
		return -1;
	if (k == 0) {
		r->raw_eof = true;
		return 0;
	}
	r->zs.avail_in += (unsigned)k;
	return 1;
}

/* Offset in the raw input of the next compressed byte inflate would take. */
static unsigned long long raw_offset(const struct reader *r)
{
	return (unsigned long long)(r->bytes - r->zs.avail_in);
}

/* Skips zero bytes after the last member (tar-style padding).  0: the
 * input ended in zeros; -1: something else followed them. */
static int skip_padding(struct reader *r)
{
	const unsigned char *p = r->zs.next_in;
	const unsigned char *e = p + r->zs.avail_in;
	while (p < e && *p == 0)
		p++;
	r->zs.avail_in -= (unsigned)(p - r->zs.next_in);
	r->zs.next_in = (unsigned char *)p;
	r->padding = true;
	if (p == e)
		return 0;
	fail(r, "trailing garbage after gzip stream at byte %llu",
	     raw_offset(r));
	return -1;
}

/* After Z_STREAM_END: starts the next member if gzip magic follows.
 * 1: a new member began; 0: clean end of input; -1: failed. */
static int next_member(struct reader *r)
{
	for (;;) {
		if (r->zs.avail_in < 2 && !r->raw_eof) {
			if (raw_refill(r) < 0)
				return -1;
			continue;
		}
		if (r->zs.avail_in == 0)
			return 0;
		if (r->padding || r->zs.next_in[0] == 0) {
			if (skip_padding(r) < 0)
				return -1;
			continue;
		}
		if (r->zs.avail_in >= 2 && r->zs.next_in[0] == 0x1f &&
		    r->zs.next_in[1] == 0x8b) {
			inflateReset(&r->zs);
			r->member_done = false;
			return 1;
		}
		fail(r, "trailing garbage after gzip stream at byte %llu",
		     raw_offset(r));
		return -1;
	}
}

/* One inflate call into the free end of the line buffer: the number of
 * bytes it produced.  Records the end of a member, or fails. */
static size_t inflate_step(struct reader *r)
{
	size_t space = r->cap - r->end;
	r->zs.next_out = (unsigned char *)r->buf + r->end;
	r->zs.avail_out = space > UINT32_MAX ? UINT32_MAX : (unsigned)space;
	unsigned before = r->zs.avail_out;
	int ret = inflate(&r->zs, Z_NO_FLUSH);
	size_t got = before - r->zs.avail_out;
	r->end += got;
	if (ret == Z_STREAM_END)
		r->member_done = true;
	else if (ret == Z_DATA_ERROR || ret == Z_NEED_DICT)
		fail(r, "corrupt gzip stream at byte %llu: %s", raw_offset(r),
		     r->zs.msg ? r->zs.msg : "invalid data");
	else if (ret != Z_OK && ret != Z_BUF_ERROR)
		fail(r, "zlib error %d inflating gzip stream at byte %llu",
		     ret, raw_offset(r));
	return got;
}

/* Gzip input: inflates until at least one byte comes out or the input
 * ends. */
static size_t fill_gzip(struct reader *r)
{
	for (;;) {
		if (r->member_done) {
			int k = next_member(r);
			if (k <= 0) {
				r->eof = true;
				return 0;
			}
		}
		size_t got = inflate_step(r);
		if (got || r->eof)
			return got;
		if (r->member_done || r->zs.avail_in)
			continue;
		int k = r->raw_eof ? 0 : raw_refill(r);
		if (k == 0)
			fail(r, "truncated gzip stream at byte %llu",
			     (unsigned long long)r->bytes);
		if (k <= 0)
			return 0;
	}
}

/* The first bytes said gzip: they move to the raw buffer and inflate
 * starts on them. */
static size_t start_gzip(struct reader *r)
{
	r->raw = xmalloc(RAW_SIZE);
	memcpy(r->raw, r->buf, r->end);
	r->zs.next_in = r->raw;
	r->zs.avail_in = (unsigned)r->end;
	r->end = 0;
	if (inflateInit2(&r->zs, 16 + MAX_WBITS) != Z_OK) {
		fail(r, "cannot start zlib: %s",
		     r->zs.msg ? r->zs.msg : "out of memory");
		return 0;
	}
	r->z_ready = true;
	return fill_gzip(r);
}

#else /* !HAVE_ZLIB */

static size_t fill_gzip(struct reader *r)
{
	(void)r;
	return 0;
}

static size_t start_gzip(struct reader *r)
{
	r->end = 0;
	fail(r, "gzip input, but this sslsift was built without zlib");
	return 0;
}

#endif

/* The first fill: reads (at most RAW_SIZE bytes, so that they fit the raw
 * buffer if they turn out to be gzip) until two bytes show which it is. */
static size_t fill_first(struct reader *r)
{
	_Static_assert(RAW_SIZE <= READ_CHUNK, "first read must fit raw buffer");
	r->sniffed = true;
	while (r->end < 2) {
		ssize_t k = raw_read(r, r->buf + r->end, RAW_SIZE - r->end);
		if (k <= 0) {
			r->eof = true;
			break;
		}
		r->end += (size_t)k;
	}
	if (r->end >= 2 && (unsigned char)r->buf[0] == 0x1f &&
	    (unsigned char)r->buf[1] == 0x8b) {
		r->compressed = true;
		return start_gzip(r);
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
	return r->compressed ? fill_gzip(r) : fill_plain(r);
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

static int emit(struct reader *r, struct line *out, size_t len, bool cut)
{
	out->p = r->buf + r->start;
	out->n = len;
	out->cut = cut;
	out->no = ++r->lines;
	if (cut && r->cut++ == 0)
		r->first_cut = r->lines;
	return 1;
}

/* Hands out the line [start, start + len) and moves past `next` bytes. */
static int emit_line(struct reader *r, struct line *out, size_t len,
		     size_t next)
{
	const char *p = r->buf + r->start;
	if (len && p[len - 1] == '\r')
		len--;
	bool cut = len > r->max_line;
	emit(r, out, cut ? r->max_line : len, cut);
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

/* Cuts an overlong line at max_line and skips the rest of it later. */
static int emit_cut(struct reader *r, struct line *out)
{
	emit(r, out, r->max_line, true);
	r->start += r->max_line;
	r->scan = r->start;
	r->skipping = true;
	return 1;
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

int reader_next(struct reader *r, struct line *out, struct ss_err *err)
{
	for (;;) {
		if (r->skipping && !skip_rest(r)) {
			if (r->eof)
				return finish(r, err);
			compact(r);
			fill(r);
			continue;
		}
		char *nl = memchr(r->buf + r->scan, '\n', r->end - r->scan);
		if (nl) {
			size_t len = (size_t)(nl - (r->buf + r->start));
			return emit_line(r, out, len, len + 1);
		}
		r->scan = r->end;
		if (overlong(r))
			return emit_cut(r, out);
		if (r->eof) {
			size_t len = r->end - r->start;
			if (len)
				return emit_line(r, out, len, len);
			return finish(r, err);
		}
		compact(r);
		fill(r);
	}
}

static struct reader *reader_new(int fd, const char *label, size_t max_line)
{
	struct reader *r = xcalloc(1, sizeof *r);
	r->fd = fd;
	r->label = xstrdup(label ? label : "-");
	r->max_line = max_line ? max_line : READER_DEFAULT_MAX_LINE;
	r->cap = r->max_line + READ_CHUNK;
	/* Zeroed (free for a buffer this size: fresh pages from mmap), so
	 * that the word-at-a-time scans of PCRE2's JIT, which may look a few
	 * bytes past the end of a subject, never read uninitialised memory
	 * (valgrind reports those reads otherwise). */
	r->buf = xcalloc(1, r->cap);
	return r;
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
	return r;
}

struct reader *reader_open_fd(int fd, const char *label, size_t max_line)
{
	return reader_new(fd, label, max_line);
}

struct reader *reader_open_mem(const void *buf, size_t len, const char *label,
			       size_t max_line)
{
	struct reader *r = reader_new(-1, label, max_line);
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

uint64_t reader_cut_lines(const struct reader *r)
{
	return r->cut;
}

uint64_t reader_first_cut_line(const struct reader *r)
{
	return r->first_cut;
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
	if (r->own_fd)
		close(r->fd);
#ifdef HAVE_ZLIB
	if (r->z_ready)
		inflateEnd(&r->zs);
	free(r->raw);
#endif
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
