/* reader_impl.h - the inside of struct reader, shared by reader.c (the
 * line buffer, chunks and lines), reader_gzip.c (inflating into the line
 * buffer) and reader_map.c (plain regular files, mapped a window at a
 * time).  Not for other stages: they use reader.h. */
#ifndef SSLSIFT_READER_IMPL_H
#define SSLSIFT_READER_IMPL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#ifdef HAVE_ZLIB
#include <zlib.h>
#endif

#include "reader.h"

#define READ_CHUNK (256 * 1024)
#define RAW_SIZE (256 * 1024)

/* A regular file read through mmap(2), one window at a time. */
struct map {
	char *base;                 /* the window, or NULL */
	size_t len;                 /* its mapped length */
	uint64_t off;               /* its offset in the file */
	uint64_t size;              /* file size as last seen */
	size_t window;              /* bytes to map at a time */
};

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

	bool mapped;                /* a regular file read through map */
	struct map map;
	uint64_t pos;               /* map: file offset not yet handed out */

	bool sniffed;               /* the first bytes were looked at */
	bool compressed;
	bool eof;                   /* fill() will add nothing more */
	bool failed;                /* ... because of errmsg */
	bool reported;              /* the -1 was returned */
	char errmsg[sizeof(((struct ss_err *)0)->msg)];

	uint64_t bytes, lines, cut;
	uint64_t first_cut;         /* line number of the first cut line */

	/* reader_next(): the chunk being split into lines */
	struct chunk cur;
	size_t cur_pos;

#ifdef HAVE_ZLIB
	unsigned char *raw;         /* RAW_SIZE bytes of compressed input */
	bool raw_eof;
	bool z_ready;               /* inflateInit2 succeeded */
	bool member_done;           /* at Z_STREAM_END of a member */
	bool padding;               /* zero bytes after the last member */
	z_stream zs;
#endif
};

/* Ends the input with an error that is reported once the lines already
 * read have been handed out. */
void reader_fail(struct reader *r, const char *fmt, ...) SS_PRINTF(2, 3);
/* Reads up to n raw bytes: the count, 0 at end of input, -1 after
 * reader_fail(). */
ssize_t reader_raw_read(struct reader *r, void *dst, size_t n);

/* reader_gzip.c: the first bytes (in buf[0..end)) said gzip; inflates
 * them and what follows into the line buffer.  Both return how many
 * bytes they added behind r->end, 0 once the input is over. */
size_t reader_gzip_start(struct reader *r);
size_t reader_gzip_fill(struct reader *r);
void reader_gzip_free(struct reader *r);

/* reader_map.c: a plain regular file.  reader_map_open() maps the first
 * window (false: not worth it or not possible, read() it instead);
 * reader_map_chunk() is reader_next_chunk() for it. */
bool reader_map_open(struct reader *r, uint64_t size);
int reader_map_chunk(struct reader *r, struct chunk *out);
void reader_map_close(struct reader *r);

#endif
