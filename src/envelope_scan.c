/* envelope_scan.c - see envelope_scan.h. */
#include "config.h"
#include "envelope_scan.h"

#include <string.h>

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

/* A token ends at a space or at the end of the line. */
static bool at_token_end(const struct cur *c)
{
	return c->p == c->end || *c->p == ' ';
}
/* ---- shapes: the cheap precheck ---------------------------------------
 * '9' a digit, 'A' an upper-case letter, 'a' a lower-case letter, '?' any
 * byte; any other character stands for itself. */

bool env_shape_ok(const char *shape, const char *p, const char *end)
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


int64_t env_civil_ms(const struct civil *t)
{
	return civil_to_ms(t->y, t->mon, t->d, t->h, t->mi, t->s, t->ms);
}

int env_month_from_name(const char *p, size_t n)
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
int env_frac_to_ms(const char *p, size_t n)
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
	t->ms = env_frac_to_ms(f, (size_t)(c->p - f));
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
bool env_scan_wrapper(struct cur c, struct outer_hit *h)
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
	h->ts = env_civil_ms(&t);
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

/* Whether c is at a token that ends a ServiceNow line's thread name: the
 * 32-hex-digit session id, "txid=...", or a level word with its
 * "*** X ***" marker. */
static bool sn_after_thread(struct cur c)
{
	struct cur t = c;
	sn_skip_session(&t);
	if (t.p != c.p)
		return true;
	sn_skip_txid(&t);
	if (t.p != c.p)
		return true;
	struct slice w = cur_upper_word(&t, 4, 7);
	if (!w.n || !is_level_word(w) || !cur_eat(&t, ' '))
		return false;
	struct cur m = t;
	sn_skip_marker(&m);
	return m.p != t.p;
}

/* A session id, if shortened: six or more upper-case hex digits. */
static bool looks_like_session(struct slice w)
{
	if (w.n < 6)
		return false;
	for (size_t i = 0; i < w.n; i++)
		if (!is_digit(w.p[i]) && !(w.p[i] >= 'A' && w.p[i] <= 'F'))
			return false;
	return true;
}

/* Words a ServiceNow thread name may run to ("ECC Queue Reader 2"). */
#define SN_THREAD_WORDS 5

/* The thread name: one token, or several up to a token that can only
 * follow a thread (sn_after_thread()) within SN_THREAD_WORDS words. */
static struct slice sn_thread(struct cur *c)
{
	struct slice first = cur_token(c, 256);
	if (!first.n)
		return first;
	struct cur t = *c;
	for (int k = 1; k < SN_THREAD_WORDS; k++) {
		if (!cur_eat(&t, ' ') || sn_after_thread(t))
			break;
		struct slice w = cur_token(&t, 256);
		if (!w.n || looks_like_session(w))
			break;
		struct cur next = t;
		if (cur_eat(&next, ' ') && sn_after_thread(next)) {
			size_t n = (size_t)(t.p - first.p);
			if (n > 256)
				break;
			c->p = t.p;
			return slice_make(first.p, n);
		}
	}
	return first;
}

/* " (ms) thread [session] [txid=..] [LEVEL [*** X ***]] message": the part
 * the app-node and MID logs share after their date and time (two spaces
 * before "(ms)" in some MID agent.log versions). */
static bool scan_sn_tail(struct cur c, struct civil *t, struct outer_hit *h)
{
	if (!cur_eat(&c, ' '))
		return false;
	cur_eat(&c, ' ');
	if (!cur_eat(&c, '('))
		return false;
	const char *ms = c.p;
	t->ms = 0;
	while (c.p < c.end && c.p - ms < 3 && is_digit(*c.p))
		t->ms = t->ms * 10 + (*c.p++ - '0');
	if (c.p == ms || !cur_eat(&c, ')') || !cur_eat(&c, ' '))
		return false;
	h->thread = sn_thread(&c);
	if (!h->thread.n)
		return false;
	cur_eat(&c, ' ');
	sn_skip_session(&c);
	sn_skip_txid(&c);
	h->level = sn_level(&c);
	h->msg = cur_rest(&c);
	h->ts = env_civil_ms(t);
	return h->ts != TS_NONE;
}

/* ServiceNow app node: 2026-11-21 10:11:12 (345) thread ... */
bool env_scan_sn_app(struct cur c, struct outer_hit *h)
{
	struct civil t = {0};
	if (!cur_ymd(&c, '-', &t) || !cur_eat(&c, ' ') || !cur_hms(&c, &t))
		return false;
	return scan_sn_tail(c, &t, h);
}

/* ServiceNow MID server: 11/21/26 10:11:12 (816) thread ... */
bool env_scan_sn_mid(struct cur c, struct outer_hit *h)
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
bool env_scan_juli(struct cur c, struct outer_hit *h)
{
	struct civil t = {0};
	if (!cur_num(&c, 2, &t.d) || !cur_eat(&c, '-'))
		return false;
	t.mon = env_month_from_name(c.p, cur_left(&c));
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
	h->ts = env_civil_ms(&t);
	h->msg = cur_rest(&c);
	return h->ts != TS_NONE;
}

/* Second line of a JULI SimpleFormatter record: "SEVERE: message". */
bool env_scan_juli_level(struct cur c, struct outer_hit *h)
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

void env_skip_bom_ansi(struct cur *c)
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
void env_trim_ansi_tail(struct cur *c)
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
		const char *bar = memchr(c->p, '|', cur_left(c) < 64 ? cur_left(c) : 64);
		c->p = bar ? bar : c->p + (cur_left(c) < 64 ? cur_left(c) : 64);
	}
	*ts = env_civil_ms(&t);
	return *ts != TS_NONE && cur_eat(c, '|');
}

/* The thread name runs to the '|' that a timestamp follows, so a name
 * holding '|' still parses: the first bar whose time parses ends it. */
static bool jsse_thread_time(struct cur *c, struct slice *thread, int64_t *ts)
{
	const char *from = c->p;
	for (;;) {
		const char *bar = memchr(from, '|', (size_t)(c->end - from));
		if (!bar)
			return false;
		struct cur t = {bar + 1, c->end};
		if (bar + 1 < c->end && is_digit(bar[1]) && jsse_time(&t, ts)) {
			*thread = slice_make(c->p, (size_t)(bar - c->p));
			c->p = t.p;
			return true;
		}
		from = bar + 1;
	}
}

/* "0C", "01 00": upper-case hex, a space between bytes. */
static bool is_thread_id(char ch)
{
	return is_hex(ch) || ch == ' ';
}

#define JSSE_TAG ENV_JSSE_TAG
#define JSSE_TAG_LEN ENV_JSSE_TAG_LEN
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
bool env_scan_jsse(struct cur c, struct inner_hit *h)
{
	const char *tag = find_jsse_tag(c);
	if (!tag)
		return false;
	c.p = tag + JSSE_TAG_LEN;
	h->level = cur_field(&c, is_alpha, 16);
	if (!h->level.n || !cur_field(&c, is_thread_id, 32).n)
		return false;
	if (!jsse_thread_time(&c, &h->thread, &h->ts))
		return false;
	if (c.p < c.end && *c.p == '|') {
		h->src = slice_make(c.p, 0);
		c.p++;
	} else {
		/* the source field: 1..256 bytes, then '|' */
		size_t left = cur_left(&c);
		const char *bar = memchr(c.p, '|', left < 257 ? left : 257);
		if (!bar)
			return false;
		h->src = slice_make(c.p, (size_t)(bar - c.p));
		c.p = bar + 1;
	}
	h->msg = cur_rest(&c);
	return true;
}

/* Every line with an inner header holds the JSSE tag or ", " and one of
 * the verbs that follow "thread, " in the classic JDK 8 debug output (the
 * prefilter must never miss them). */
#define CLASSIC_VERB_MARKS                                                  \
	", WRITE: ", ", READ: ", ", SEND ", ", RECV ", ", handling exception:", \
	", called close", ", setSoTimeout(", ", received EOFException",       \
	", received Exception", ", Received record type", ", fatal error:",   \
	", fatal: ", ", Exception while waiting for close",                   \
	", Exception sending alert", ", waiting for close_notify",            \
	", closeInboundInternal()", ", closeOutboundInternal()",              \
	", close invoked again", ", after primary close", ", SESSION KEYGEN",  \
	", sequence number extremely close", ", request renegotiation",       \
	", IOException in getSession()", ", setUseClientMode() invoked"

static const char *const classic_verbs[] = {CLASSIC_VERB_MARKS, NULL};

/* ... and a line that may teach a prefix holds an anchor's mark. */
const char *const env_inner_marks[] = {
	JSSE_TAG, CLASSIC_VERB_MARKS, ENV_ANCHOR_MARKS, NULL,
};
#define CLASSIC_VERBS classic_verbs

#define CLASSIC_MAX_THREAD 200

static bool is_classic_verb(struct slice s)
{
	for (const char *const *v = CLASSIC_VERBS; *v; v++)
		if (s.n && s.p[0] == (*v)[2] && slice_starts(s, *v + 2))
			return true;
	return false;
}

/* main, WRITE: TLSv1.2 Handshake, length = 123
 * A hex dump row ("0080: 16 03 ...") is never a thread name: when IBM
 * JSSE2 glues a print to one, envelope.c has already cut the row off if
 * it could, and what is left is a dump. */
bool env_scan_classic(struct cur c, struct inner_hit *h)
{
	size_t left = cur_left(&c);
	if (left < 4 || c.p[0] == ' ' || c.p[0] == '\t')
		return false;
	if (left >= 6 && c.p[4] == ':' && c.p[5] == ' ' && is_hex(c.p[0]) &&
	    is_hex(c.p[1]) && is_hex(c.p[2]) && is_hex(c.p[3]))
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
