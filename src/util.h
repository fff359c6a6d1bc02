/* util.h - small shared helpers: allocation, string slices, growable
 * buffers, error values and civil-time arithmetic.
 *
 * Ownership: every x*alloc/xstrdup result is owned by the caller and freed
 * with free().  A struct slice never owns its bytes: it borrows them from
 * the line or buffer it was cut from and is valid only as long as that is.
 * A struct strbuf owns its bytes; sb_free() releases them. */
#ifndef SSLSIFT_UTIL_H
#define SSLSIFT_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SS_PRINTF(f, a) __attribute__((format(printf, f, a)))
#define SS_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
/* A NUL-terminated copy of n bytes. */
char *xmemdup0(const void *p, size_t n);
/* Grows *arr (of *cap elements of size) so that it holds at least need. */
void xgrow(void *arr_ptr, size_t *cap, size_t need, size_t size);

struct slice {
	const char *p;
	size_t n;
};

#define SLICE_NULL ((struct slice){NULL, 0})
/* Bits set in x, without the library call __builtin_popcountll()
 * becomes where the CPU may lack POPCNT (tuning counts bits in loops). */
static inline size_t ss_popcount64(uint64_t x)
{
	x -= x >> 1 & 0x5555555555555555u;
	x = (x & 0x3333333333333333u) + (x >> 2 & 0x3333333333333333u);
	x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0fu;
	return (size_t)(x * 0x0101010101010101u >> 56);
}

static inline struct slice slice_make(const char *p, size_t n)
{
	return (struct slice){p, n};
}
struct slice slice_cstr(const char *s);
struct slice slice_trim(struct slice s);
bool slice_eq(struct slice s, const char *lit);
bool slice_starts(struct slice s, const char *lit);
bool slice_ends(struct slice s, const char *lit);
/* Finds needle in s; returns a pointer into s or NULL. */
const char *slice_find(struct slice s, const char *needle, size_t needle_len);
char *slice_dup(struct slice s);

struct strbuf {
	char *p;   /* always NUL-terminated once anything was appended */
	size_t n;
	size_t cap;
};

void sb_append(struct strbuf *b, const char *p, size_t n);
void sb_puts(struct strbuf *b, const char *s);
void sb_putc(struct strbuf *b, char c);
void sb_printf(struct strbuf *b, const char *fmt, ...) SS_PRINTF(2, 3);
void sb_vprintf(struct strbuf *b, const char *fmt, va_list ap) SS_PRINTF(2, 0);
void sb_reset(struct strbuf *b);
/* Hands the bytes to the caller (who frees them) and empties b. */
char *sb_take(struct strbuf *b);
void sb_free(struct strbuf *b);

/* An error value: functions that can fail return -1 (or NULL) and, when
 * err is not NULL, leave a one-line message in it.  No stage prints. */
struct ss_err {
	char msg[512];
};
void ss_err_set(struct ss_err *err, const char *fmt, ...) SS_PRINTF(2, 3);

/* Timestamps are naive wall-clock milliseconds: the civil date and time as
 * the log wrote it, counted as if it were UTC.  Logs of one node share a
 * clock, so comparing these is what correlation needs. */
#define TS_NONE INT64_MIN
int64_t civil_to_ms(int y, int mon, int d, int h, int min, int s, int ms);
/* Formats ms as "YYYY-MM-DD HH:MM:SS.mmm" into buf (at least 24 bytes). */
void ms_to_civil(int64_t ms, char *buf, size_t len);
/* Parses up to `width` decimal digits at *p; advances *p.  -1 if none. */
int parse_digits(const char **p, const char *end, int width);

/* Whether the SIMD level ("scalar", "ssse3", "avx2", "avx512") may be
 * used: all may, unless SSLSIFT_SIMD names a lower one (to run and time
 * the code paths of older CPUs on a newer one).  The CPU decides too. */
bool ss_simd_allows(const char *level);

/* Replaces bytes that are not valid UTF-8 with U+FFFD; the result is owned
 * by the caller. */
char *utf8_sanitize(const char *p, size_t n);

#endif
