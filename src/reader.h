/* reader.h - bytes to lines.  Reads one input (a file, a descriptor such
 * as standard input, or a memory buffer), inflates gzip when the first
 * bytes say it is gzip (multi-member streams included), and hands out one
 * line at a time.  LF and CRLF end a line; a last line without a newline is
 * still a line.  A line longer than the maximum is cut at that length for
 * matching, counted, and the rest of it skipped: memory stays bounded by
 * the maximum line length plus one read buffer, whatever the input.
 *
 * Lines come out one at a time (reader_next) or, for the hot loop, as
 * chunks of whole lines (reader_next_chunk), never both from one reader.
 * A regular file of plain text is mapped a window at a time instead of
 * copied (a file that shrinks meanwhile is reported as an error, not a
 * crash); everything else goes through one read buffer.
 *
 * Ownership: reader_open_*() return a reader the caller frees with
 * reader_free().  A reader opened on a path closes its descriptor; one
 * opened on a descriptor does not.  reader_open_mem() borrows the buffer,
 * which must outlive the reader.  The bytes of a struct line are borrowed
 * from the reader and valid until the next reader_next() or reader_free();
 * so are those of a struct chunk until the next reader_next_chunk(). */
#ifndef SSLSIFT_READER_H
#define SSLSIFT_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util.h"

#define READER_DEFAULT_MAX_LINE (1024 * 1024)

struct reader;

struct line {
	const char *p;    /* no terminating newline or CR; not NUL-terminated */
	size_t n;
	uint64_t no;      /* 1-based line number */
	bool cut;         /* the line was longer than the maximum */
};

/* Whole lines: [p, p + n) ends with '\n', or with the end of the input.
 * A line in it may be longer than the maximum: reader_line_make() cuts it
 * as reader_next() would.  A line too long for the reader's buffer comes
 * alone, already cut, with cut set (its rest is skipped). */
struct chunk {
	const char *p;
	size_t n;
	bool cut;
};

/* The line p[0..len) (no newline) as reader_next() hands it out: without
 * a final '\r', cut at max_line.  Sets all but out->no. */
void reader_line_make(const char *p, size_t len, size_t max_line,
		      struct line *out);

struct reader *reader_open_path(const char *path, size_t max_line,
				struct ss_err *err);
struct reader *reader_open_fd(int fd, const char *label, size_t max_line);
struct reader *reader_open_mem(const void *buf, size_t len, const char *label,
			       size_t max_line);

/* 1: *out holds the next line; 0: end of input; -1: the input is broken
 * (a read error, a truncated or corrupt gzip stream, trailing garbage):
 * err says what and where, e.g. "truncated gzip stream at byte 40960".
 * Every complete line before the damage has been returned first; after -1,
 * further calls return 0. */
int reader_next(struct reader *r, struct line *out, struct ss_err *err);

/* As reader_next(), a chunk at a time.  The caller counts lines:
 * reader_lines() and reader_cut_lines() count only reader_next()'s. */
int reader_next_chunk(struct reader *r, struct chunk *out, struct ss_err *err);

bool reader_compressed(const struct reader *r);
uint64_t reader_bytes(const struct reader *r);      /* raw bytes consumed */
uint64_t reader_lines(const struct reader *r);
uint64_t reader_cut_lines(const struct reader *r);
uint64_t reader_first_cut_line(const struct reader *r);  /* 0 if none */
const char *reader_label(const struct reader *r);
void reader_free(struct reader **r);

/* Which features this build's reader has, e.g. "zlib". */
bool reader_has_zlib(void);

#endif
