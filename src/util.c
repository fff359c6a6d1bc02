/* util.c - see util.h. */
#include "config.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void out_of_memory(void)
{
	fputs("sslsift: out of memory\n", stderr);
	abort();
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		out_of_memory();
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		out_of_memory();
	return p;
}

void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		out_of_memory();
	return p;
}

char *xstrdup(const char *s)
{
	return xmemdup0(s, strlen(s));
}

char *xmemdup0(const void *p, size_t n)
{
	char *d = xmalloc(n + 1);
	if (n)
		memcpy(d, p, n);
	d[n] = '\0';
	return d;
}

void xgrow(void *arr_ptr, size_t *cap, size_t need, size_t size)
{
	void **arr = arr_ptr;
	size_t c = *cap;
	if (need <= c)
		return;
	if (c < 8)
		c = 8;
	while (c < need)
		c *= 2;
	*arr = xrealloc(*arr, c * size);
	*cap = c;
}

struct slice slice_cstr(const char *s)
{
	return slice_make(s, s ? strlen(s) : 0);
}

struct slice slice_trim(struct slice s)
{
	while (s.n && (s.p[0] == ' ' || s.p[0] == '\t')) {
		s.p++;
		s.n--;
	}
	while (s.n && (s.p[s.n - 1] == ' ' || s.p[s.n - 1] == '\t' ||
		       s.p[s.n - 1] == '\r'))
		s.n--;
	return s;
}

bool slice_eq(struct slice s, const char *lit)
{
	size_t n = strlen(lit);
	return s.n == n && memcmp(s.p, lit, n) == 0;
}

bool slice_starts(struct slice s, const char *lit)
{
	size_t n = strlen(lit);
	return s.n >= n && memcmp(s.p, lit, n) == 0;
}

bool slice_ends(struct slice s, const char *lit)
{
	size_t n = strlen(lit);
	return s.n >= n && memcmp(s.p + s.n - n, lit, n) == 0;
}

const char *slice_find(struct slice s, const char *needle, size_t needle_len)
{
	if (needle_len == 0)
		return s.p;
	if (s.n < needle_len)
		return NULL;
	return memmem(s.p, s.n, needle, needle_len);
}

char *slice_dup(struct slice s)
{
	return xmemdup0(s.p, s.n);
}

void sb_append(struct strbuf *b, const char *p, size_t n)
{
	xgrow(&b->p, &b->cap, b->n + n + 1, 1);
	if (n)
		memcpy(b->p + b->n, p, n);
	b->n += n;
	b->p[b->n] = '\0';
}

void sb_puts(struct strbuf *b, const char *s)
{
	sb_append(b, s, strlen(s));
}

void sb_putc(struct strbuf *b, char c)
{
	sb_append(b, &c, 1);
}

void sb_vprintf(struct strbuf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return;
	xgrow(&b->p, &b->cap, b->n + (size_t)n + 1, 1);
	vsnprintf(b->p + b->n, (size_t)n + 1, fmt, ap);
	b->n += (size_t)n;
}

void sb_printf(struct strbuf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	sb_vprintf(b, fmt, ap);
	va_end(ap);
}

void sb_reset(struct strbuf *b)
{
	b->n = 0;
	if (b->p)
		b->p[0] = '\0';
}

char *sb_take(struct strbuf *b)
{
	char *p = b->p ? b->p : xstrdup("");
	b->p = NULL;
	b->n = b->cap = 0;
	return p;
}

void sb_free(struct strbuf *b)
{
	free(b->p);
	b->p = NULL;
	b->n = b->cap = 0;
}

void ss_err_set(struct ss_err *err, const char *fmt, ...)
{
	if (!err)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof err->msg, fmt, ap);
	va_end(ap);
}

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar
 * (Howard Hinnant's days_from_civil). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	const int64_t era = (y >= 0 ? y : y - 399) / 400;
	const unsigned yoe = (unsigned)(y - era * 400);
	const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

int64_t civil_to_ms(int y, int mon, int d, int h, int min, int s, int ms)
{
	if (mon < 1 || mon > 12 || d < 1 || d > 31 || h < 0 || h > 23 ||
	    min < 0 || min > 59 || s < 0 || s > 60 || ms < 0 || ms > 999)
		return TS_NONE;
	int64_t days = days_from_civil(y, (unsigned)mon, (unsigned)d);
	return ((days * 24 + h) * 60 + min) * 60000 + (int64_t)s * 1000 + ms;
}

void ms_to_civil(int64_t ms, char *buf, size_t len)
{
	int64_t z = ms / 86400000, rem = ms % 86400000;
	if (rem < 0) {
		rem += 86400000;
		z--;
	}
	z += 719468;
	const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	const unsigned doe = (unsigned)(z - era * 146097);
	const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t y = (int64_t)yoe + era * 400;
	const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	const unsigned mp = (5 * doy + 2) / 153;
	const unsigned d = doy - (153 * mp + 2) / 5 + 1;
	const unsigned m = mp < 10 ? mp + 3 : mp - 9;
	y += m <= 2;
	snprintf(buf, len, "%04lld-%02u-%02u %02d:%02d:%02d.%03d", (long long)y,
		 m, d, (int)(rem / 3600000), (int)(rem / 60000 % 60),
		 (int)(rem / 1000 % 60), (int)(rem % 1000));
}

int parse_digits(const char **p, const char *end, int width)
{
	int v = 0, i = 0;
	const char *s = *p;
	while (i < width && s < end && *s >= '0' && *s <= '9') {
		v = v * 10 + (*s - '0');
		s++;
		i++;
	}
	if (i == 0)
		return -1;
	*p = s;
	return v;
}

/* Length of the valid UTF-8 sequence at p (1..4), or 0 if invalid. */
static size_t utf8_seq_len(const unsigned char *p, size_t n)
{
	unsigned char c = p[0];
	if (c < 0x80)
		return 1;
	size_t len;
	uint32_t cp;
	if (c >= 0xC2 && c <= 0xDF) {
		len = 2;
		cp = c & 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		len = 3;
		cp = c & 0x0F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4;
		cp = c & 0x07;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[i] & 0x3F);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
	    (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	return len;
}

char *utf8_sanitize(const char *p, size_t n)
{
	struct strbuf b = {0};
	const unsigned char *s = (const unsigned char *)p;
	size_t i = 0;
	while (i < n) {
		size_t len = utf8_seq_len(s + i, n - i);
		if (len == 0 || s[i] == 0) {
			sb_append(&b, "\xEF\xBF\xBD", 3);
			i++;
		} else {
			sb_append(&b, p + i, len);
			i += len;
		}
	}
	return sb_take(&b);
}

bool ss_simd_allows(const char *level)
{
	/* instruction sets by rank: 16-byte vectors on either kind of
	 * CPU, then 32, then 64 (without and with VBMI) */
	static const struct {
		const char *name;
		int rank;
	} levels[] = {{"scalar", 0}, {"ssse3", 1}, {"neon", 1}, {"avx2", 2},
		      {"avx512bw", 3}, {"avx512", 4}};
	const char *cap = getenv("SSLSIFT_SIMD");
	if (!cap || !*cap)
		return true;
	int want = -1, cap_at = -1;
	for (int i = 0; i < (int)SS_ARRAY_LEN(levels); i++) {
		if (strcmp(level, levels[i].name) == 0)
			want = levels[i].rank;
		if (strcmp(cap, levels[i].name) == 0)
			cap_at = levels[i].rank;
	}
	return cap_at < 0 || want <= cap_at;
}
