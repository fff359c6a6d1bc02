/* envelope.c - see envelope.h.
 *
 * Two tables drive everything.  outer_rows says what a log file wraps
 * around a line, inner_rows what the JSSE debug logger puts in front of
 * its message.  An outer row is tried only when the line starts with the
 * row's shape (a cheap byte-by-byte precheck); then either a hand-written
 * scanner claims it (fixed layouts: they run on every line of a debug
 * block, so no regex engine there) or an anchored PCRE2 pattern with named
 * groups does (irregular layouts, met on few lines).  The row that matched
 * last for an input is tried first.  Nothing here reads past line + n: the
 * lines are not NUL-terminated and may hold NUL bytes. */
#include "config.h"
#include "envelope.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

/* ---- a cursor over one line ------------------------------------------ */

struct cur {
	const char *p;
	const char *end;
};

static size_t cur_left(const struct cur *c)
{
	return (size_t)(c->end - c->p);
}

static struct slice cur_rest(const struct cur *c)
{
	return slice_make(c->p, cur_left(c));
}

static bool cur_eat(struct cur *c, char ch)
{
	if (c->p < c->end && *c->p == ch) {
		c->p++;
		return true;
	}
	return false;
}

static void cur_skip(struct cur *c, char ch)
{
	while (c->p < c->end && *c->p == ch)
		c->p++;
}

static bool is_digit(char ch)
{
	return ch >= '0' && ch <= '9';
}

static bool is_upper(char ch)
{
	return ch >= 'A' && ch <= 'Z';
}

static bool is_alpha(char ch)
{
	return is_upper(ch) || (ch >= 'a' && ch <= 'z');
}

static bool is_hex(char ch)
{
	return is_digit(ch) || (ch >= 'A' && ch <= 'F') || (ch >= 'a' && ch <= 'f');
}

/* Exactly `width` digits. */
static bool cur_num(struct cur *c, int width, int *v)
{
	if (cur_left(c) < (size_t)width)
		return false;
	int x = 0;
	for (int i = 0; i < width; i++) {
		if (!is_digit(c->p[i]))
			return false;
		x = x * 10 + (c->p[i] - '0');
	}
	c->p += width;
	*v = x;
	return true;
}

/* A run of min..max upper-case letters, ending where the letters do. */
static struct slice cur_upper_word(struct cur *c, size_t min, size_t max)
{
	size_t n = 0;
	while (n <= max && n < cur_left(c) && is_upper(c->p[n]))
		n++;
	if (n < min || n > max)
		return SLICE_NULL;
	struct slice w = slice_make(c->p, n);
	c->p += n;
	return w;
}

/* Bytes up to the next space (or the end), at most max of them. */
static struct slice cur_token(struct cur *c, size_t max)
{
	size_t left = cur_left(c), n = 0;
	while (n < left && n <= max && c->p[n] != ' ')
		n++;
	if (n > max)
		return SLICE_NULL;
	struct slice w = slice_make(c->p, n);
	c->p += n;
	return w;
}

/* Absent fields are empty slices that still point into the line, so that
 * no caller ever hands a NULL pointer to memcmp or printf. */
static struct slice present(struct slice s, const char *line)
{
	return s.p ? s : slice_make(line, 0);
}

/* A token ends at a space or at the end of the line. */
static bool at_token_end(const struct cur *c)
{
	return c->p == c->end || *c->p == ' ';
}

/* ---- shapes: the cheap precheck ---------------------------------------
 * '9' a digit, 'A' an upper-case letter, 'a' a lower-case letter, '?' any
 * byte; any other character stands for itself. */

static bool shape_ok(const char *shape, const char *p, const char *end)
{
	for (; *shape; shape++, p++) {
		if (p == end)
			return false;
		switch (*shape) {
		case '9':
			if (!is_digit(*p))
				return false;
			break;
		case 'A':
			if (!is_upper(*p))
				return false;
			break;
		case 'a':
			if (*p < 'a' || *p > 'z')
				return false;
			break;
		case '?':
			break;
		default:
			if (*p != *shape)
				return false;
		}
	}
	return true;
}

/* ---- dates and times ------------------------------------------------- */

struct civil {
	int y, mon, d, h, mi, s, ms;
};

static int64_t civil_ms(const struct civil *t)
{
	return civil_to_ms(t->y, t->mon, t->d, t->h, t->mi, t->s, t->ms);
}

/* Jan..Dec at the start of p (3 bytes), 1..12, or 0. */
static int month_from_name(const char *p, size_t n)
{
	static const char names[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	if (n < 3)
		return 0;
	for (int i = 0; i < 12; i++)
		if (memcmp(p, names + 3 * i, 3) == 0)
			return i + 1;
	return 0;
}

/* YYYY<sep>MM<sep>DD */
static bool cur_ymd(struct cur *c, char sep, struct civil *t)
{
	return cur_num(c, 4, &t->y) && cur_eat(c, sep) &&
	       cur_num(c, 2, &t->mon) && cur_eat(c, sep) &&
	       cur_num(c, 2, &t->d);
}

/* HH:MM:SS */
static bool cur_hms(struct cur *c, struct civil *t)
{
	return cur_num(c, 2, &t->h) && cur_eat(c, ':') &&
	       cur_num(c, 2, &t->mi) && cur_eat(c, ':') &&
	       cur_num(c, 2, &t->s);
}

/* Milliseconds from the digits of a fraction of a second: "5" is 500,
 * "123456" is 123. */
static int frac_to_ms(const char *p, size_t n)
{
	int ms = 0;
	for (size_t i = 0; i < 3; i++)
		ms = ms * 10 + (i < n ? p[i] - '0' : 0);
	return ms;
}

/* An optional ".ddd" (1 to 9 digits). */
static void cur_frac(struct cur *c, struct civil *t)
{
	if (cur_left(c) < 2 || c->p[0] != '.' || !is_digit(c->p[1]))
		return;
	const char *f = ++c->p;
	while (c->p < c->end && c->p - f < 9 && is_digit(*c->p))
		c->p++;
	t->ms = frac_to_ms(f, (size_t)(c->p - f));
}

/* ---- level words ----------------------------------------------------- */

static const char *const level_words[] = {
	"SEVERE", "WARNING", "WARN", "INFO", "DEBUG", "ERROR", "FATAL",
	"FINE", "FINER", "FINEST", "CONFIG", "TRACE",
};

static bool is_level_word(struct slice w)
{
	for (size_t i = 0; i < SS_ARRAY_LEN(level_words); i++)
		if (slice_eq(w, level_words[i]))
			return true;
	return false;
}

/* ---- outer scanners -------------------------------------------------- */

/* What an outer envelope yields; copied into the envline only on success. */
struct outer_hit {
	int64_t ts;
	struct slice thread;
	struct slice level;
	struct slice msg;
};

/* Tanuki wrapper: the " jvm 1    |" source field, up to and past its bar. */
static bool wrapper_source(struct cur *c)
{
	cur_skip(c, ' ');
	size_t left = cur_left(c), n = 0;
	while (n < left && n <= 32 && c->p[n] != '|')
		n++;
	if (n == 0 || n > 32 || n == left || !is_alpha(c->p[0]))
		return false;
	c->p += n + 1;
	cur_skip(c, ' ');
	return true;
}

/* LEVEL | source | YYYY/MM/DD HH:MM:SS[.mmm] | message, padded or not. */
static bool scan_wrapper(struct cur c, struct outer_hit *h)
{
	struct civil t = {0};
	h->level = cur_upper_word(&c, 2, 12);
	if (!h->level.n)
		return false;
	cur_skip(&c, ' ');
	if (!cur_eat(&c, '|') || !wrapper_source(&c))
		return false;
	if (!cur_ymd(&c, '/', &t) || !cur_eat(&c, ' ') || !cur_hms(&c, &t))
		return false;
	cur_frac(&c, &t);
	cur_skip(&c, ' ');
	if (!cur_eat(&c, '|'))
		return false;
	cur_eat(&c, ' ');
	h->ts = civil_ms(&t);
	h->msg = cur_rest(&c);
	return h->ts != TS_NONE;
}

/* ServiceNow: a 32-hex-digit session id and a word, each optional. */
static void sn_skip_session(struct cur *c)
{
	if (cur_left(c) < 32)
		return;
	for (int i = 0; i < 32; i++)
		if (!is_hex(c->p[i]))
			return;
	struct cur t = {c->p + 32, c->end};
	if (at_token_end(&t)) {
		c->p = t.p;
		cur_eat(c, ' ');
	}
}

static void sn_skip_txid(struct cur *c)
{
	static const char tag[] = "txid=";
	if (cur_left(c) < sizeof tag - 1 || memcmp(c->p, tag, sizeof tag - 1))
		return;
	cur_token(c, cur_left(c));
	cur_eat(c, ' ');
}

/* "*** ERROR *** " after a level word: part of the envelope. */
static void sn_skip_marker(struct cur *c)
{
	struct cur t = *c;
	if (cur_left(&t) < 4 || memcmp(t.p, "*** ", 4))
		return;
	t.p += 4;
	if (!cur_upper_word(&t, 2, 12).n)
		return;
	if (cur_left(&t) < 4 || memcmp(t.p, " ***", 4))
		return;
	t.p += 4;
	if (!at_token_end(&t))
		return;
	cur_eat(&t, ' ');
	*c = t;
}

static struct slice sn_level(struct cur *c)
{
	struct cur t = *c;
	struct slice w = cur_upper_word(&t, 4, 7);
	if (!w.n || !at_token_end(&t) || !is_level_word(w))
		return SLICE_NULL;
	cur_eat(&t, ' ');
	sn_skip_marker(&t);
	*c = t;
	return w;
}

/* " (ms) thread [session] [txid=..] [LEVEL [*** X ***]] message": the part
 * the app-node and MID logs share after their date and time. */
static bool scan_sn_tail(struct cur c, struct civil *t, struct outer_hit *h)
{
	if (!cur_eat(&c, ' ') || !cur_eat(&c, '('))
		return false;
	const char *ms = c.p;
	t->ms = 0;
	while (c.p < c.end && c.p - ms < 3 && is_digit(*c.p))
		t->ms = t->ms * 10 + (*c.p++ - '0');
	if (c.p == ms || !cur_eat(&c, ')') || !cur_eat(&c, ' '))
		return false;
	h->thread = cur_token(&c, 256);
	if (!h->thread.n)
		return false;
	cur_eat(&c, ' ');
	sn_skip_session(&c);
	sn_skip_txid(&c);
	h->level = sn_level(&c);
	h->msg = cur_rest(&c);
	h->ts = civil_ms(t);
	return h->ts != TS_NONE;
}

/* ServiceNow app node: 2026-11-21 10:11:12 (345) thread ... */
static bool scan_sn_app(struct cur c, struct outer_hit *h)
{
	struct civil t = {0};
	if (!cur_ymd(&c, '-', &t) || !cur_eat(&c, ' ') || !cur_hms(&c, &t))
		return false;
	return scan_sn_tail(c, &t, h);
}

/* ServiceNow MID server: 11/21/26 10:11:12 (816) thread ... */
static bool scan_sn_mid(struct cur c, struct outer_hit *h)
{
	struct civil t = {0};
	if (!cur_num(&c, 2, &t.mon) || !cur_eat(&c, '/') ||
	    !cur_num(&c, 2, &t.d) || !cur_eat(&c, '/') ||
	    !cur_num(&c, 2, &t.y) || !cur_eat(&c, ' ') || !cur_hms(&c, &t))
		return false;
	t.y += 2000;
	return scan_sn_tail(c, &t, h);
}

/* "[thread] " in a Tomcat line; the thread may hold spaces. */
static bool juli_thread(struct cur *c, struct slice *thread)
{
	if (!cur_eat(c, '['))
		return false;
	size_t left = cur_left(c), lim = left < 258 ? left : 258;
	const char *close = memmem(c->p, lim, "] ", 2);
	if (!close && left <= 257 && left > 0 && c->p[left - 1] == ']')
		close = c->p + left - 1;
	if (!close)
		return false;
	*thread = slice_make(c->p, (size_t)(close - c->p));
	c->p = close + 1;
	cur_eat(c, ' ');
	return true;
}

/* Tomcat JULI OneLineFormatter:
 * 21-Nov-2026 10:11:12.345 SEVERE [thread] org.apache.x.Y.method message */
static bool scan_juli(struct cur c, struct outer_hit *h)
{
	struct civil t = {0};
	if (!cur_num(&c, 2, &t.d) || !cur_eat(&c, '-'))
		return false;
	t.mon = month_from_name(c.p, cur_left(&c));
	if (!t.mon)
		return false;
	c.p += 3;
	if (!cur_eat(&c, '-') || !cur_num(&c, 4, &t.y) || !cur_eat(&c, ' ') ||
	    !cur_hms(&c, &t))
		return false;
	cur_frac(&c, &t);
	if (!cur_eat(&c, ' '))
		return false;
	h->level = cur_upper_word(&c, 2, 12);
	if (!h->level.n || !cur_eat(&c, ' ') || !juli_thread(&c, &h->thread))
		return false;
	cur_token(&c, cur_left(&c));    /* the logger */
	cur_eat(&c, ' ');
	h->ts = civil_ms(&t);
	h->msg = cur_rest(&c);
	return h->ts != TS_NONE;
}

/* Second line of a JULI SimpleFormatter record: "SEVERE: message". */
static bool scan_juli_level(struct cur c, struct outer_hit *h)
{
	struct slice w = cur_upper_word(&c, 4, 7);
	if (!w.n || !is_level_word(w) || !cur_eat(&c, ':'))
		return false;
	if (c.p != c.end && !cur_eat(&c, ' '))
		return false;
	h->level = w;
	h->msg = cur_rest(&c);
	return true;
}

/* ---- the outer table -------------------------------------------------
 * No line may be claimed by two rows: the row cached for an input is tried
 * first, and that must change only the speed, never the result.  Raw, the
 * fallback, is not a row. */

struct outer_row {
	const char *name;
	const char *shape;       /* the line must start like this */
	bool (*scan)(struct cur c, struct outer_hit *h);  /* fixed layout */
	const char *regex;       /* or: anchored PCRE2, named groups y mo mon
				  * d h mi s ms ampm thread level; the
				  * message is what follows the match */
};

#define RE_LEVELS "(?:TRACE|DEBUG|INFO|WARN|WARNING|ERROR|FATAL|SEVERE|" \
		  "FINEST|FINER|FINE|CONFIG)"
#define RE_ANSI "(?:\\e\\[[0-9;]*m)*"

static const struct outer_row outer_rows[] = {
	{"wrapper", "AA", scan_wrapper, NULL},
	{"sn-app", "9999-99-99 99:99:99 (", scan_sn_app, NULL},
	{"sn-mid", "99/99/99 99:99:99 (", scan_sn_mid, NULL},
	{"juli", "99-Aaa-9999 99:99:99", scan_juli, NULL},
	/* JULI SimpleFormatter, first line: "Nov 21, 2026 10:11:12 AM
	 * org.apache.x.Y method"; the message is on the next line. */
	{"juli-simple", "Aaa 9", NULL,
	 "(?<mon>Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) "
	 "(?<d>\\d{1,2}), (?<y>\\d{4}) (?<h>\\d{1,2}):(?<mi>\\d\\d):(?<s>\\d\\d)"
	 " (?<ampm>[AP]M) [\\w.$]+(?: [\\w$<>]+)?[ \\t]*\\z"},
	{"juli-level", "AAAA", scan_juli_level, NULL},
	/* log4j / logback / Spring Boot:
	 * 2026-11-21 10:11:12,345 ERROR [thread] logger - message
	 * 2026-11-21T10:11:12.345Z [thread] ERROR logger - message
	 * 2026-11-21T10:11:12.345+01:00  INFO 4242 --- [app] [ thread] l : m */
	{"iso", "9999-99-99?99:99:99", NULL,
	 "(?<y>\\d{4})-(?<mo>\\d\\d)-(?<d>\\d\\d)[T ]"
	 "(?<h>\\d\\d):(?<mi>\\d\\d):(?<s>\\d\\d)(?:[.,](?<ms>\\d{1,9}))?"
	 "(?:Z|[+-]\\d\\d(?::?\\d\\d)?)?[ \\t]+" RE_ANSI
	 "(?:(?<level>" RE_LEVELS ")" RE_ANSI "[ \\t]+"
	 "(?:\\d+[ \\t]+---[ \\t]+(?:\\[[^\\]]*\\][ \\t]+(?=\\[))?)?"
	 "(?:\\[(?<thread>[^\\]]*)\\][ \\t]+)?"
	 "|\\[(?<thread>[^\\]]*)\\][ \\t]+" RE_ANSI
	 "(?<level>" RE_LEVELS ")" RE_ANSI "[ \\t]+)"
	 "(?:[\\w.$/-]{1,200}[ \\t]+[-:][ \\t]+)?"},
};

#define N_OUTER SS_ARRAY_LEN(outer_rows)

static const char *const outer_names[] = {
	"wrapper", "sn-app", "sn-mid", "juli", "juli-simple", "juli-level",
	"iso", "raw", NULL,
};
_Static_assert(SS_ARRAY_LEN(outer_names) == N_OUTER + 2,
	       "outer_names lists every row, then raw");

const char *const *envelope_names(void)
{
	return outer_names;
}

/* ---- compiled regex rows --------------------------------------------- */

enum field { F_Y, F_MO, F_MON, F_D, F_H, F_MI, F_S, F_MS, F_AMPM,
	     F_THREAD, F_LEVEL, F_COUNT };
static const char *const field_names[F_COUNT] = {
	"y", "mo", "mon", "d", "h", "mi", "s", "ms", "ampm", "thread", "level",
};

#define MAX_DUPS 2   /* a name may appear in two alternatives */

struct compiled {
	pcre2_code *code;
	uint32_t pairs;
	uint32_t group[F_COUNT][MAX_DUPS];    /* group numbers; 0: none */
};

struct envelopes {
	pcre2_match_context *mctx;
	struct compiled re[N_OUTER];
};

/* Records the numbers of the groups called `name` (several with DUPNAMES). */
static void find_groups(pcre2_code *code, const char *name, uint32_t *out)
{
	PCRE2_SPTR first, last;
	int size = pcre2_substring_nametable_scan(code, (PCRE2_SPTR)name,
						  &first, &last);
	for (int i = 0; size > 0 && first <= last && i < MAX_DUPS; i++) {
		out[i] = (uint32_t)first[0] << 8 | first[1];
		first += size;
	}
}

static int compile_row(const struct outer_row *row, struct compiled *re,
		       struct ss_err *err)
{
	int code;
	PCRE2_SIZE off;
	re->code = pcre2_compile((PCRE2_SPTR)row->regex, PCRE2_ZERO_TERMINATED,
				 PCRE2_ANCHORED | PCRE2_DUPNAMES |
				 PCRE2_NO_AUTO_CAPTURE, &code, &off, NULL);
	if (!re->code) {
		PCRE2_UCHAR msg[256];
		pcre2_get_error_message(code, msg, sizeof msg);
		ss_err_set(err, "envelope %s: regex offset %zu: %s", row->name,
			   (size_t)off, (const char *)msg);
		return -1;
	}
#ifdef HAVE_PCRE2_JIT
	pcre2_jit_compile(re->code, PCRE2_JIT_COMPLETE);  /* or interpret */
#endif
	uint32_t n = 0;
	pcre2_pattern_info(re->code, PCRE2_INFO_CAPTURECOUNT, &n);
	re->pairs = n + 1;
	for (int f = 0; f < F_COUNT; f++)
		find_groups(re->code, field_names[f], re->group[f]);
	return 0;
}

struct envelopes *envelopes_new(struct ss_err *err)
{
	struct envelopes *e = xcalloc(1, sizeof *e);
	e->mctx = pcre2_match_context_create(NULL);
	if (!e->mctx) {
		ss_err_set(err, "envelopes: out of memory");
		envelopes_free(&e);
		return NULL;
	}
	pcre2_set_match_limit(e->mctx, 1000000);
	pcre2_set_heap_limit(e->mctx, 4096);     /* KiB */
	for (size_t i = 0; i < N_OUTER; i++) {
		if (outer_rows[i].regex &&
		    compile_row(&outer_rows[i], &e->re[i], err) < 0) {
			envelopes_free(&e);
			return NULL;
		}
	}
	return e;
}

void envelopes_free(struct envelopes **e)
{
	if (!e || !*e)
		return;
	for (size_t i = 0; i < N_OUTER; i++)
		pcre2_code_free((*e)->re[i].code);
	pcre2_match_context_free((*e)->mctx);
	free(*e);
	*e = NULL;
}

void env_cache_init(struct env_cache *c)
{
	c->last_outer = -1;
}

/* ---- matching a regex row ---------------------------------------------
 * struct envelopes is shared read-only, so it cannot hold match data.  Each
 * match makes its own, carved from a small buffer on the caller's stack:
 * no malloc on this path.  What does not fit (the interpreter's frames
 * when there is no JIT) falls back to malloc. */

struct arena {
	_Alignas(max_align_t) unsigned char buf[1024];
	size_t used;
};

static void *arena_malloc(size_t n, void *data)
{
	struct arena *a = data;
	const size_t al = _Alignof(max_align_t);
	size_t need = (n + al - 1) / al * al;
	if (need >= n && need <= sizeof a->buf - a->used) {
		void *p = a->buf + a->used;
		a->used += need;
		return p;
	}
	return malloc(n);
}

static void arena_free(void *p, void *data)
{
	struct arena *a = data;
	uintptr_t u = (uintptr_t)p, lo = (uintptr_t)a->buf;
	if (u >= lo && u < lo + sizeof a->buf)
		return;
	free(p);
}

/* The first group called f that took part in the match; p NULL if none. */
static struct slice group_of(const struct compiled *re, const PCRE2_SIZE *ov,
			     enum field f, const char *subj)
{
	for (int i = 0; i < MAX_DUPS && re->group[f][i]; i++) {
		uint32_t g = re->group[f][i];
		if (ov[2 * g] != PCRE2_UNSET)
			return slice_make(subj + ov[2 * g],
					  ov[2 * g + 1] - ov[2 * g]);
	}
	return SLICE_NULL;
}

static int slice_int(struct slice s)
{
	int v = 0;
	for (size_t i = 0; i < s.n && i < 9; i++)
		v = v * 10 + (s.p[i] - '0');
	return v;
}

/* 12-hour clock: 12 AM is 0, 1 PM is 13; anything else is invalid. */
static int hour_ampm(int h, struct slice ampm)
{
	if (h < 1 || h > 12)
		return -1;
	if (ampm.p[0] == 'P')
		return h == 12 ? 12 : h + 12;
	return h == 12 ? 0 : h;
}

static int64_t ts_from_groups(const struct compiled *re, const PCRE2_SIZE *ov,
			      const char *subj)
{
	if (!re->group[F_Y][0])
		return TS_NONE;
	struct civil t = {0};
	struct slice mon = group_of(re, ov, F_MON, subj);
	struct slice ms = group_of(re, ov, F_MS, subj);
	struct slice ampm = group_of(re, ov, F_AMPM, subj);
	t.y = slice_int(group_of(re, ov, F_Y, subj));
	t.mon = mon.p ? month_from_name(mon.p, mon.n)
		      : slice_int(group_of(re, ov, F_MO, subj));
	t.d = slice_int(group_of(re, ov, F_D, subj));
	t.h = slice_int(group_of(re, ov, F_H, subj));
	t.mi = slice_int(group_of(re, ov, F_MI, subj));
	t.s = slice_int(group_of(re, ov, F_S, subj));
	t.ms = ms.p ? frac_to_ms(ms.p, ms.n) : 0;
	if (ampm.n)
		t.h = hour_ampm(t.h, ampm);
	return civil_ms(&t);
}

static bool hit_from_groups(const struct compiled *re, const PCRE2_SIZE *ov,
			    struct cur c, struct outer_hit *h)
{
	h->ts = ts_from_groups(re, ov, c.p);
	if (re->group[F_Y][0] && h->ts == TS_NONE)
		return false;
	h->thread = slice_trim(group_of(re, ov, F_THREAD, c.p));
	h->level = group_of(re, ov, F_LEVEL, c.p);
	h->msg = slice_make(c.p + ov[1], cur_left(&c) - ov[1]);
	return true;
}

static bool scan_regex(const struct envelopes *e, const struct compiled *re,
		       struct cur c, struct outer_hit *h)
{
	struct arena a;
	a.used = 0;             /* the buffer itself needs no clearing */
	pcre2_general_context *gc =
		pcre2_general_context_create(arena_malloc, arena_free, &a);
	pcre2_match_data *md = gc ? pcre2_match_data_create(re->pairs, gc) : NULL;
	bool ok = md && pcre2_match(re->code, (PCRE2_SPTR)c.p, cur_left(&c),
				    0, 0, md, e->mctx) > 0 &&
		  hit_from_groups(re, pcre2_get_ovector_pointer(md), c, h);
	pcre2_match_data_free(md);
	pcre2_general_context_free(gc);
	return ok;
}

/* ---- stripping the outer envelope ------------------------------------ */

static bool try_outer(const struct envelopes *e, size_t i, struct cur c,
		      struct outer_hit *h)
{
	const struct outer_row *row = &outer_rows[i];
	if (!shape_ok(row->shape, c.p, c.end))
		return false;
	*h = (struct outer_hit){.ts = TS_NONE};
	if (row->scan)
		return row->scan(c, h);
	return e && e->re[i].code && scan_regex(e, &e->re[i], c, h);
}

/* The index of the row that claims the line, or -1 (raw). */
static int match_outer(const struct envelopes *e, struct env_cache *cache,
		       struct cur c, struct outer_hit *h)
{
	int last = cache ? cache->last_outer : -1;
	if (last >= 0 && (size_t)last < N_OUTER && try_outer(e, (size_t)last, c, h))
		return last;
	for (size_t i = 0; i < N_OUTER; i++) {
		if ((int)i == last || !try_outer(e, i, c, h))
			continue;
		if (cache)
			cache->last_outer = (int)i;
		return (int)i;
	}
	return -1;
}

/* ---- BOM and colours ------------------------------------------------- */

/* Length of the complete CSI escape (ESC [ params final) at p, or 0. */
static size_t csi_len(const char *p, const char *end)
{
	if (end - p < 3 || p[0] != '\x1b' || p[1] != '[')
		return 0;
	const char *q = p + 2;
	while (q < end && (unsigned char)*q >= 0x20 && (unsigned char)*q <= 0x3f)
		q++;
	if (q < end && (unsigned char)*q >= 0x40 && (unsigned char)*q <= 0x7e)
		return (size_t)(q + 1 - p);
	return 0;
}

static void skip_bom_ansi(struct cur *c)
{
	for (;;) {
		size_t n = csi_len(c->p, c->end);
		if (!n && cur_left(c) >= 3 && memcmp(c->p, "\xEF\xBB\xBF", 3) == 0)
			n = 3;
		if (!n)
			return;
		c->p += n;
	}
}

/* Drops colour codes that end the text ("...failed\e[0m"). */
static void trim_ansi_tail(struct cur *c)
{
	while (cur_left(c) >= 3 && c->end[-1] == 'm') {
		const char *lo = cur_left(c) > 32 ? c->end - 32 : c->p;
		const char *q = c->end - 3;
		while (q > lo && *q != '\x1b')
			q--;
		if (*q != '\x1b' || csi_len(q, c->end) != (size_t)(c->end - q))
			return;
		c->end = q;
	}
}

/* ---- inner scanners -------------------------------------------------- */

struct inner_hit {
	struct slice level, thread, src, msg;
	int64_t ts;
};

/* A field of 1..max bytes that satisfy ok(), then '|'. */
static struct slice cur_field(struct cur *c, bool (*ok)(char), size_t max)
{
	size_t left = cur_left(c), n = 0;
	while (n < left && n <= max && ok(c->p[n]))
		n++;
	if (n == 0 || n > max || n == left || c->p[n] != '|')
		return SLICE_NULL;
	struct slice f = slice_make(c->p, n);
	c->p += n + 1;
	return f;
}

/* The thread name runs to the '|' that a timestamp follows, so a name
 * holding '|' still parses. */
static bool jsse_thread(struct cur *c, struct slice *thread)
{
	const char *from = c->p;
	for (;;) {
		const char *bar = memchr(from, '|', (size_t)(c->end - from));
		if (!bar)
			return false;
		if (shape_ok("9999-99-99 99:99:99", bar + 1, c->end)) {
			*thread = slice_make(c->p, (size_t)(bar - c->p));
			c->p = bar + 1;
			return true;
		}
		from = bar + 1;
	}
}

/* YYYY-MM-DD kk:MM:SS[.mmm][ zone]| (the zone is ignored: naive time).
 * kk is the clock hour 1-24: 24:05 is five past midnight, same date. */
static bool jsse_time(struct cur *c, int64_t *ts)
{
	struct civil t = {0};
	if (!cur_ymd(c, '-', &t) || !cur_eat(c, ' ') || !cur_hms(c, &t))
		return false;
	if (t.h == 24)
		t.h = 0;
	cur_frac(c, &t);
	if (cur_eat(c, ' ')) {
		size_t left = cur_left(c), n = 0;
		while (n < left && n < 64 && c->p[n] != '|')
			n++;
		c->p += n;
	}
	*ts = civil_ms(&t);
	return *ts != TS_NONE && cur_eat(c, '|');
}

static bool not_bar(char ch)
{
	return ch != '|';
}

/* "0C", "01 00": upper-case hex, a space between bytes. */
static bool is_thread_id(char ch)
{
	return is_hex(ch) || ch == ' ';
}

#define JSSE_TAG "javax.net.ssl|"
#define JSSE_TAG_LEN (sizeof JSSE_TAG - 1)
#define JSSE_MAX_PREFIX 128

/* The header normally starts the message, but a container or app server
 * may have put a prefix of its own in front ("svc-1  | "); that prefix is
 * dropped.  Returns where the header starts, or NULL. */
static const char *find_jsse_tag(struct cur c)
{
	size_t left = cur_left(&c);
	const char *p = c.p;
	const char *stop = c.p + (left < JSSE_MAX_PREFIX ? left : JSSE_MAX_PREFIX);
	while (p < stop && (p = memchr(p, 'j', (size_t)(stop - p)))) {
		if ((size_t)(c.end - p) >= JSSE_TAG_LEN &&
		    memcmp(p, JSSE_TAG, JSSE_TAG_LEN) == 0)
			return p;
		p++;
	}
	return NULL;
}

/* javax.net.ssl|DEBUG|0C|main|2026-11-21 10:11:12.345 UTC|File.java:12|msg */
static bool scan_jsse(struct cur c, struct inner_hit *h)
{
	const char *tag = find_jsse_tag(c);
	if (!tag)
		return false;
	c.p = tag + JSSE_TAG_LEN;
	h->level = cur_field(&c, is_alpha, 16);
	if (!h->level.n || !cur_field(&c, is_thread_id, 32).n)
		return false;
	if (!jsse_thread(&c, &h->thread) || !jsse_time(&c, &h->ts))
		return false;
	if (c.p < c.end && *c.p == '|') {
		h->src = slice_make(c.p, 0);
		c.p++;
	} else {
		h->src = cur_field(&c, not_bar, 256);
		if (!h->src.n)
			return false;
	}
	h->msg = cur_rest(&c);
	return true;
}

/* What follows "thread, " in the classic JDK 8 debug output. */
static const char *const classic_verbs[] = {
	"WRITE: ", "READ: ", "SEND ", "RECV ", "handling exception:",
	"called close", "setSoTimeout(", "received EOFException",
	"received Exception", "Received record type", "fatal error:",
	"fatal: ", "Exception while waiting for close",
	"Exception sending alert", "waiting for close_notify",
	"closeInboundInternal()", "closeOutboundInternal()",
	"close invoked again", "after primary close", "SESSION KEYGEN",
	"sequence number extremely close", "request renegotiation",
	"IOException in getSession()", "setUseClientMode() invoked",
};

#define CLASSIC_MAX_THREAD 200

static bool is_classic_verb(struct slice s)
{
	for (size_t i = 0; i < SS_ARRAY_LEN(classic_verbs); i++)
		if (s.n && s.p[0] == classic_verbs[i][0] &&
		    slice_starts(s, classic_verbs[i]))
			return true;
	return false;
}

/* main, WRITE: TLSv1.2 Handshake, length = 123 */
static bool scan_classic(struct cur c, struct inner_hit *h)
{
	size_t left = cur_left(&c);
	if (left < 4 || c.p[0] == ' ' || c.p[0] == '\t')
		return false;
	size_t lim = left < CLASSIC_MAX_THREAD + 2 ? left : CLASSIC_MAX_THREAD + 2;
	const char *from = c.p + 1, *stop = c.p + lim - 1, *comma;
	while (from < stop && (comma = memchr(from, ',', (size_t)(stop - from)))) {
		struct slice after = slice_make(comma + 2,
						(size_t)(c.end - comma - 2));
		if (comma[1] == ' ' && is_classic_verb(after)) {
			h->thread = slice_make(c.p, (size_t)(comma - c.p));
			h->msg = after;
			return true;
		}
		from = comma + 1;
	}
	return false;
}

struct inner_row {
	enum env_inner kind;
	bool (*scan)(struct cur c, struct inner_hit *h);
};

static const struct inner_row inner_rows[] = {
	{INNER_JSSE, scan_jsse},
	{INNER_CLASSIC, scan_classic},
};

static void strip_inner(struct cur c, struct envline *out)
{
	for (size_t i = 0; i < SS_ARRAY_LEN(inner_rows); i++) {
		struct inner_hit h = {.ts = TS_NONE};
		if (!inner_rows[i].scan(c, &h))
			continue;
		out->inner = inner_rows[i].kind;
		out->jsse_level = present(h.level, c.p);
		out->jsse_thread = present(h.thread, c.p);
		out->jsse_ts = h.ts;
		out->jsse_src = present(h.src, c.p);
		out->msg = h.msg;
		return;
	}
}

/* ---- the whole line -------------------------------------------------- */

void envelope_strip(const struct envelopes *e, struct env_cache *c,
		    const char *line, size_t n, struct envline *out)
{
	static const char empty[1];
	if (!line) {
		line = empty;
		n = 0;
	}
	struct cur s = {line, line + n};
	if (s.p < s.end && s.end[-1] == '\r')
		s.end--;
	skip_bom_ansi(&s);

	struct outer_hit h;
	int row = match_outer(e, c, s, &h);
	if (row < 0)
		h = (struct outer_hit){.ts = TS_NONE, .msg = cur_rest(&s)};
	*out = (struct envline){
		.outer_name = row < 0 ? "raw" : outer_rows[row].name,
		.ts = h.ts,
		.thread = present(h.thread, s.p),
		.level = present(h.level, s.p),
		.inner = INNER_NONE,
		.jsse_level = slice_make(s.p, 0),
		.jsse_thread = slice_make(s.p, 0),
		.jsse_ts = TS_NONE,
		.jsse_src = slice_make(s.p, 0),
	};

	struct cur m = {h.msg.p, h.msg.p + h.msg.n};
	skip_bom_ansi(&m);
	trim_ansi_tail(&m);
	out->msg = cur_rest(&m);
	strip_inner(m, out);
}
