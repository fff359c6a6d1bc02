/* envelope.c - see envelope.h.
 *
 * Two tables drive everything.  outer_rows says what a log file wraps
 * around a line, inner_rows what the JSSE debug logger puts in front of
 * its message.  An outer row is tried only when the line starts with the
 * row's shape (a cheap byte-by-byte precheck); then either a hand-written
 * scanner claims it (fixed layouts: they run on every line of a debug
 * block, so no regex engine there) or an anchored PCRE2 pattern with named
 * groups does (irregular layouts, met on few lines).  The scanners and
 * the cursor they share are in envelope_scan.c.  The row that matched
 * last for an input is tried first.  A container's row (CRI, docker
 * compose) "nests": what it wraps may be an app server's line, so the
 * rows are tried once more on its message; so does the second line of a
 * JULI SimpleFormatter record, which has neither a time nor a thread of
 * its own, and whose message may be another logger's line.  A line no row claims may
 * still carry a prefix learned from an anchor line of the same input
 * (FORMATS.md §0); that prefix is re-checked on every line it is taken
 * from.  Nothing here reads past line + n: the lines are not
 * NUL-terminated and may hold NUL bytes. */
#include "config.h"
#include "envelope.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

#include "envelope_scan.h"

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
	bool nests;              /* the message may have a row of its own */
};

#define RE_LEVELS "(?:TRACE|DEBUG|INFO|WARN|WARNING|ERROR|FATAL|SEVERE|" \
		  "FINEST|FINER|FINE|CONFIG)"
#define RE_ANSI "(?:\\e\\[[0-9;]*m)*"

static const struct outer_row outer_rows[] = {
	{"wrapper", "AA", env_scan_wrapper, NULL, false},
	/* the "(ms)" may follow after two spaces (older MID agent.log) */
	{"sn-app", "9999-99-99 99:99:99 ", env_scan_sn_app, NULL, false},
	{"sn-mid", "99/99/99 99:99:99 ", env_scan_sn_mid, NULL, false},
	{"juli", "99-Aaa-9999 99:99:99", env_scan_juli, NULL, false},
	/* JULI SimpleFormatter, first line: "Nov 21, 2026 10:11:12 AM
	 * org.apache.x.Y method"; the message is on the next line. */
	{"juli-simple", "Aaa 9", NULL,
	 "(?<mon>Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) "
	 "(?<d>\\d{1,2}), (?<y>\\d{4}) (?<h>\\d{1,2}):(?<mi>\\d\\d):(?<s>\\d\\d)"
	 " (?<ampm>[AP]M) [\\w.$]+(?: [\\w$<>]+)?[ \\t]*\\z", false},
	{"juli-level", "AAAA", env_scan_juli_level, NULL, true},
	/* log4j / logback / Spring Boot:
	 * 2026-11-21 10:11:12,345 ERROR [thread] logger - message
	 * 2026-11-21T10:11:12.345Z [thread] ERROR logger - message
	 * 2026-11-21T10:11:12.345+01:00  INFO 4242 --- [app] [ thread] l : m */
	{"iso", "9999-99-99?99:99:99", NULL,
	 "(?<y>\\d{4})-(?<mo>\\d\\d)-(?<d>\\d\\d)[T ]"
	 "(?<h>\\d\\d):(?<mi>\\d\\d):(?<s>\\d\\d)(?:[.,](?<ms>\\d{1,9}))?"
	 "(?:Z|[+-]\\d\\d(?::?\\d\\d)?)?[ \\t]+" RE_ANSI
	 "(?:(?<level>" RE_LEVELS ")" RE_ANSI "[ \\t]+"
	 "(?![ \\t]*\\[std(?:out|err)\\][ \\t]+\\()"  /* jboss's */
	 "(?:\\d+[ \\t]+---[ \\t]+(?:\\[[^\\]]*\\][ \\t]+(?=\\[))?)?"
	 "(?:\\[(?<thread>[^\\]]*)\\][ \\t]+)?"
	 "|\\[(?<thread>[^\\]]*)\\][ \\t]+" RE_ANSI
	 "(?<level>" RE_LEVELS ")" RE_ANSI "[ \\t]+)"
	 "(?:[\\w.$/-]{1,200}[ \\t]+[-:][ \\t]+)?", false},
	/* Where app servers and containers put System.out, the home of
	 * classic JDK 8 and IBM JSSE2 debug output (envelope_foreign.c). */
	{"websphere", "[9", env_scan_websphere, NULL, false},
	{"jboss", "99", env_scan_jboss, NULL, false},
	{"cri", "9999-99-99T99:99:99", env_scan_cri, NULL, true},
	{"compose", "a", env_scan_compose, NULL, true},
};

#define N_OUTER SS_ARRAY_LEN(outer_rows)

static const char *const outer_names[] = {
	"wrapper", "sn-app", "sn-mid", "juli", "juli-simple", "juli-level",
	"iso", "websphere", "jboss", "cri", "compose", "prefix", "raw", NULL,
};
_Static_assert(SS_ARRAY_LEN(outer_names) == N_OUTER + 3,
	       "outer_names lists every row, then prefix and raw");

/* Whether a shape can start with byte b. */
static bool first_ok(char shape0, unsigned char b)
{
	switch (shape0) {
	case '9': return is_digit((char)b);
	case 'A': return is_upper((char)b);
	case 'a': return b >= 'a' && b <= 'z';
	case '?': return true;
	default: return b == (unsigned char)shape0;
	}
}

static void fill_first_rows(uint16_t *first_rows)
{
	for (unsigned b = 0; b < 256; b++)
		for (size_t i = 0; i < N_OUTER; i++)
			if (first_ok(outer_rows[i].shape[0], (unsigned char)b))
				first_rows[b] |= (uint16_t)(1u << i);
}

const char *const *envelope_inner_marks(void)
{
	return env_inner_marks;
}

bool envelope_may_learn(const char *line, size_t n)
{
	return line && env_anchor_within((struct cur){line, line + n});
}

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

_Static_assert(N_OUTER <= 16, "first_rows holds a bit per row");

struct envelopes {
	pcre2_match_context *mctx;
	struct compiled re[N_OUTER];
	/* By a line's first byte: the rows whose shape can start with it
	 * (bit i: outer_rows[i]).  Most lines of a debug block start with
	 * a byte no row takes ("javax.net.ssl|", '"', ' ', hex digits
	 * indented) and are raw at one look. */
	uint16_t first_rows[256];
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
	fill_first_rows(e->first_rows);
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
	c->prefix_n = 0;
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
	t.mon = mon.p ? env_month_from_name(mon.p, mon.n)
		      : slice_int(group_of(re, ov, F_MO, subj));
	t.d = slice_int(group_of(re, ov, F_D, subj));
	t.h = slice_int(group_of(re, ov, F_H, subj));
	t.mi = slice_int(group_of(re, ov, F_MI, subj));
	t.s = slice_int(group_of(re, ov, F_S, subj));
	t.ms = ms.p ? env_frac_to_ms(ms.p, ms.n) : 0;
	if (ampm.n)
		t.h = hour_ampm(t.h, ampm);
	return env_civil_ms(&t);
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

/* Row i, whose shape can start with the line's first byte. */
static bool try_outer(const struct envelopes *e, size_t i, struct cur c,
		      struct outer_hit *h)
{
	const struct outer_row *row = &outer_rows[i];
	if (!env_shape_ok(row->shape, c.p, c.end))
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
	if (c.p == c.end)
		return -1;
	unsigned rows = e->first_rows[(unsigned char)*c.p];
	if (!rows)
		return -1;
	int last = cache ? cache->last_outer : -1;
	if (last >= 0 && (size_t)last < N_OUTER && (rows >> last & 1) &&
	    try_outer(e, (size_t)last, c, h))
		return last;
	for (size_t i = 0; i < N_OUTER; i++) {
		if ((int)i == last || !(rows >> i & 1) || !try_outer(e, i, c, h))
			continue;
		if (cache)
			cache->last_outer = (int)i;
		return (int)i;
	}
	return -1;
}

static bool strip_learned(const struct envelopes *e, struct env_cache *c,
			  struct cur s, struct outer_hit *h);

/* A container's line: the app server's envelope inside it, if any, gives
 * the time, thread and level (the app's own clock is the one the other
 * logs of the app use).  One no row knows (`docker compose logs
 * --timestamps` puts the time after the bar) is learned as a prefix of
 * the messages, if c is given. */
static void match_nested(const struct envelopes *e, struct env_cache *c,
			 struct outer_hit *h)
{
	struct cur m = {h->msg.p, h->msg.p + h->msg.n};
	struct outer_hit in;
	int row = match_outer(e, NULL, m, &in);
	if (row >= 0 && outer_rows[row].nests)
		return;
	if (row < 0 && !(c && strip_learned(e, c, m, &in)))
		return;
	if (in.ts != TS_NONE)
		h->ts = in.ts;
	if (row >= 0 || in.thread.n)
		h->thread = in.thread;
	if (in.level.n)
		h->level = in.level;
	h->msg = in.msg;
}

/* A line no row claims: strips the prefix learned for the input if the
 * line starts with it, else learns one if the line is an anchor line
 * behind a prefix.  False if there is no prefix to strip.  What the
 * prefix wraps may have a row of its own (not another prefix). */
static bool strip_learned(const struct envelopes *e, struct env_cache *c,
			  struct cur s, struct outer_hit *h)
{
	size_t k = c->prefix_n ? env_prefix_match(c->prefix, c->prefix_n, s) : 0;
	if (!k) {
		size_t n;
		if (!env_prefix_learn(s, c->prefix, sizeof c->prefix, &n))
			return false;
		c->prefix_n = n;
		k = env_prefix_match(c->prefix, c->prefix_n, s);
		if (!k)
			return false;
	}
	*h = (struct outer_hit){.ts = TS_NONE,
				.msg = slice_make(s.p + k, cur_left(&s) - k)};
	match_nested(e, NULL, h);
	return true;
}

struct inner_row {
	enum env_inner kind;
	bool (*scan)(struct cur c, struct inner_hit *h);
};

static const struct inner_row inner_rows[] = {
	{INNER_JSSE, env_scan_jsse},
	{INNER_CLASSIC, env_scan_classic},
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

/* Whether the line starts with a JDK 11+ record header: most lines of
 * debug output do, and they have no envelope (no row starts with it, and
 * a prefix is learned from what comes before such a header, never from
 * the header itself), so the rows and the prefix are not tried. */
static bool starts_jsse(struct cur s)
{
	return cur_left(&s) > ENV_JSSE_TAG_LEN &&
	       memcmp(s.p, ENV_JSSE_TAG, ENV_JSSE_TAG_LEN) == 0 &&
	       is_upper(s.p[ENV_JSSE_TAG_LEN]);
}

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
	env_skip_bom_ansi(&s);

	struct outer_hit h;
	const char *name = "raw";
	int row = starts_jsse(s) ? -1 : match_outer(e, c, s, &h);
	if (row >= 0) {
		name = outer_rows[row].name;
		if (outer_rows[row].nests)
			match_nested(e, c, &h);
	} else if (c && !starts_jsse(s) && strip_learned(e, c, s, &h)) {
		name = "prefix";
	} else {
		h = (struct outer_hit){.ts = TS_NONE, .msg = cur_rest(&s)};
	}
	*out = (struct envline){
		.outer_name = name,
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
	env_skip_bom_ansi(&m);
	env_trim_ansi_tail(&m);
	/* IBM JSSE2 may glue a print to the end of a hex dump row: the print
	 * is what matters (FORMATS.md §5). */
	struct slice glued = env_hexrow_tail(m);
	if (glued.p)
		m.p = glued.p;
	out->msg = cur_rest(&m);
	strip_inner(m, out);
}

