/* reader_gzip.c - gzip input for reader.c: inflates into the line buffer,
 * member after member (multi-member streams, as `cat a.gz b.gz` makes),
 * skipping zero padding after the last member, and reports a truncated or
 * corrupt stream or trailing garbage with the byte offset where it was
 * found.  The compressed bytes go through a raw buffer of RAW_SIZE. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reader_impl.h"

#ifdef HAVE_ZLIB

/* Moves unread compressed bytes to the front of the raw buffer and reads
 * more behind them.  1: read some; 0: end of input; -1: failed. */
static int raw_refill(struct reader *r)
{
	if (r->zs.avail_in && r->zs.next_in != r->raw)
		memmove(r->raw, r->zs.next_in, r->zs.avail_in);
	r->zs.next_in = r->raw;
	ssize_t k = reader_raw_read(r, r->raw + r->zs.avail_in,
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
	reader_fail(r, "trailing garbage after gzip stream at byte %llu",
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
		reader_fail(r, "trailing garbage after gzip stream at byte %llu",
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
		reader_fail(r, "corrupt gzip stream at byte %llu: %s", raw_offset(r),
		     r->zs.msg ? r->zs.msg : "invalid data");
	else if (ret != Z_OK && ret != Z_BUF_ERROR)
		reader_fail(r, "zlib error %d inflating gzip stream at byte %llu",
		     ret, raw_offset(r));
	return got;
}

/* Gzip input: inflates until at least one byte comes out or the input
 * ends. */
size_t reader_gzip_fill(struct reader *r)
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
			reader_fail(r, "truncated gzip stream at byte %llu",
			     (unsigned long long)r->bytes);
		if (k <= 0)
			return 0;
	}
}

/* The first bytes said gzip: they move to the raw buffer and inflate
 * starts on them. */
size_t reader_gzip_start(struct reader *r)
{
	r->raw = xmalloc(RAW_SIZE);
	memcpy(r->raw, r->buf, r->end);
	r->zs.next_in = r->raw;
	r->zs.avail_in = (unsigned)r->end;
	r->end = 0;
	if (inflateInit2(&r->zs, 16 + MAX_WBITS) != Z_OK) {
		reader_fail(r, "cannot start zlib: %s",
		     r->zs.msg ? r->zs.msg : "out of memory");
		return 0;
	}
	r->z_ready = true;
	return reader_gzip_fill(r);
}

void reader_gzip_free(struct reader *r)
{
	if (r->z_ready)
		inflateEnd(&r->zs);
	free(r->raw);
}

#else /* !HAVE_ZLIB */

size_t reader_gzip_fill(struct reader *r)
{
	(void)r;
	return 0;
}

size_t reader_gzip_start(struct reader *r)
{
	r->end = 0;
	reader_fail(r, "gzip input, but this sslsift was built without zlib");
	return 0;
}

void reader_gzip_free(struct reader *r)
{
	(void)r;
}

#endif

