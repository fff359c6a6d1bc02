/* envelope_foreign.c - the envelopes that containers and application
 * servers put around a JVM's standard output (see envelope_scan.h):
 * WebSphere / Liberty SystemOut, JBoss / WildFly [stdout], Kubernetes
 * CRI, docker compose; the prefix learned from an anchor line for the
 * ones no row knows (FORMATS.md §0, "Foreign prefixes"); and the hex
 * dump row that IBM JSSE2 glues to the next print (FORMATS.md §5).
 *
 * Classic JDK 8 and IBM JSSE2 debug output is println text whose rules
 * are anchored at the start of the message, so any text in front of it
 * hides it: these scanners exist so that what follows them starts where
 * the JVM's own text starts. */
#include "config.h"
#include "envelope_scan.h"

#include <string.h>

/* 1..max digits. */
static bool cur_digits(struct cur *c, int max, int *v)
{
	int x = 0, n = 0;
	while (n < max && c->p < c->end && is_digit(*c->p)) {
		x = x * 10 + (*c->p++ - '0');
		n++;
	}
	*v = x;
	return n > 0;
}

/* Bytes up to `stop` (not included), 1..max of them and none a space
 * unless spaces is set; the cursor moves past `stop`. */
static bool cur_until(struct cur *c, char stop, size_t max, bool spaces,
		      struct slice *out)
{
	size_t left = cur_left(c), n = 0;
	while (n < left && n <= max && c->p[n] != stop && (spaces || c->p[n] != ' '))
		n++;
	if (n == 0 || n > max || n == left || c->p[n] != stop)
		return false;
	*out = slice_make(c->p, n);
	c->p += n + 1;
	return true;
}

/* ---- WebSphere traditional and Liberty --------------------------------
 * [3/12/24 9:08:03:152 EDT] 0000004a SystemOut     O message
 * [3/12/24, 9:08:03:152 EDT] 0000004a SystemOut            O message
 * The date is in the server's locale: M/d/yy (US) or d.M.yy. */

static bool ws_date(struct cur *c, struct civil *t)
{
	int a, b, y;
	if (!cur_digits(c, 2, &a) || c->p == c->end)
		return false;
	char sep = *c->p;
	if ((sep != '/' && sep != '.') || !cur_eat(c, sep) ||
	    !cur_digits(c, 2, &b) || !cur_eat(c, sep) || !cur_digits(c, 4, &y))
		return false;
	t->mon = sep == '/' ? a : b;
	t->d = sep == '/' ? b : a;
	t->y = y < 100 ? 2000 + y : y;
	return true;
}

/* H:MM:SS:mmm */
static bool ws_time(struct cur *c, struct civil *t)
{
	const char *s = c->p;
	if (!cur_digits(c, 2, &t->h) || !cur_eat(c, ':') ||
	    !cur_digits(c, 2, &t->mi) || !cur_eat(c, ':') ||
	    !cur_digits(c, 2, &t->s) || !cur_eat(c, ':'))
		return false;
	const char *ms = c->p;
	if (!cur_digits(c, 3, &t->ms) || c->p - ms != 3)
		return false;
	return c->p - s >= 10;
}

static bool is_event_type(char ch)
{
	/* O SystemOut, R SystemErr, then the trace levels */
	return ch && strchr("ORIAWEFCDZ123<>", ch) != NULL;
}

bool env_scan_websphere(struct cur c, struct outer_hit *h)
{
	struct civil t = {0};
	struct slice zone, tid, name;
	if (!cur_eat(&c, '[') || !ws_date(&c, &t))
		return false;
	cur_eat(&c, ',');
	if (!cur_eat(&c, ' ') || !ws_time(&c, &t) || !cur_eat(&c, ' ') ||
	    !cur_until(&c, ']', 8, false, &zone) || !cur_eat(&c, ' '))
		return false;
	if (!cur_until(&c, ' ', 8, false, &tid) || tid.n != 8)
		return false;
	for (size_t i = 0; i < tid.n; i++)
		if (!is_hex(tid.p[i]))
			return false;
	if (!cur_until(&c, ' ', 64, false, &name))
		return false;
	cur_skip(&c, ' ');
	if (c.p == c.end || !is_event_type(*c.p) ||
	    (c.p + 1 < c.end && c.p[1] != ' '))
		return false;
	h->level = slice_make(c.p, 1);
	c.p++;
	cur_eat(&c, ' ');
	h->thread = tid;
	h->ts = env_civil_ms(&t);
	h->msg = cur_rest(&c);
	return h->ts != TS_NONE;
}

/* ---- JBoss / WildFly console --------------------------------------------
 * 09:08:03,152 INFO  [stdout] (default task-3) message
 * 2024-03-12 09:08:03,152 INFO  [stdout] (default task-3) message
 * The second (server.log) form is taken only for [stdout] and [stderr]:
 * other categories are ordinary log4j-like lines, the "iso" row's. */

static bool jboss_std_category(struct slice cat)
{
	return slice_eq(cat, "stdout") || slice_eq(cat, "stderr");
}

bool env_scan_jboss(struct cur c, struct outer_hit *h)
{
	struct civil t = {0};
	bool dated = env_shape_ok("9999-99-99 ", c.p, c.end);
	if (dated) {
		if (!cur_digits(&c, 4, &t.y) || !cur_eat(&c, '-') ||
		    !cur_digits(&c, 2, &t.mon) || !cur_eat(&c, '-') ||
		    !cur_digits(&c, 2, &t.d) || !cur_eat(&c, ' '))
			return false;
	}
	if (!env_shape_ok("99:99:99,999 ", c.p, c.end))
		return false;
	t.h = (c.p[0] - '0') * 10 + c.p[1] - '0';
	t.mi = (c.p[3] - '0') * 10 + c.p[4] - '0';
	t.s = (c.p[6] - '0') * 10 + c.p[7] - '0';
	t.ms = env_frac_to_ms(c.p + 9, 3);
	c.p += 13;
	struct slice level, cat;
	if (!cur_until(&c, ' ', 7, false, &level))
		return false;
	for (size_t i = 0; i < level.n; i++)
		if (!is_upper(level.p[i]))
			return false;
	cur_skip(&c, ' ');
	if (!cur_eat(&c, '[') || !cur_until(&c, ']', 256, true, &cat) ||
	    (dated && !jboss_std_category(cat)) || !cur_eat(&c, ' '))
		return false;
	size_t left = cur_left(&c), lim = left < 258 ? left : 258;
	const char *close = c.p < c.end && *c.p == '(' ?
			    memmem(c.p, lim, ") ", 2) : NULL;
	if (!close && c.p < c.end && *c.p == '(' && left <= 257 &&
	    c.end[-1] == ')')
		close = c.end - 1;
	if (!close)
		return false;
	h->thread = slice_make(c.p + 1, (size_t)(close - c.p - 1));
	c.p = close + 1;
	cur_eat(&c, ' ');
	h->level = level;
	h->ts = dated ? env_civil_ms(&t) : TS_NONE;
	h->msg = cur_rest(&c);
	return !dated || h->ts != TS_NONE;
}

/* ---- Kubernetes CRI log files ------------------------------------------
 * 2024-03-12T09:08:03.152000123Z stderr F message
 * The kubelet's RFC 3339 time (UTC, or with an offset: naive either way),
 * the stream, F for a full line or P for a part of one. */

bool env_scan_cri(struct cur c, struct outer_hit *h)
{
	struct civil t = {0};
	if (!cur_digits(&c, 4, &t.y) || !cur_eat(&c, '-') ||
	    !cur_digits(&c, 2, &t.mon) || !cur_eat(&c, '-') ||
	    !cur_digits(&c, 2, &t.d) || !cur_eat(&c, 'T') ||
	    !env_shape_ok("99:99:99", c.p, c.end))
		return false;
	t.h = (c.p[0] - '0') * 10 + c.p[1] - '0';
	t.mi = (c.p[3] - '0') * 10 + c.p[4] - '0';
	t.s = (c.p[6] - '0') * 10 + c.p[7] - '0';
	c.p += 8;
	if (cur_eat(&c, '.')) {
		const char *f = c.p;
		while (c.p < c.end && c.p - f < 9 && is_digit(*c.p))
			c.p++;
		if (c.p == f)
			return false;
		t.ms = env_frac_to_ms(f, (size_t)(c.p - f));
	}
	if (!cur_eat(&c, 'Z')) {
		if (c.p == c.end || (*c.p != '+' && *c.p != '-'))
			return false;
		c.p++;
		if (!env_shape_ok("99:99", c.p, c.end))
			return false;
		c.p += 5;
	}
	struct slice stream;
	if (!cur_eat(&c, ' ') || !cur_until(&c, ' ', 6, false, &stream) ||
	    !(slice_eq(stream, "stdout") || slice_eq(stream, "stderr")))
		return false;
	if (c.p == c.end || (*c.p != 'F' && *c.p != 'P'))
		return false;
	c.p++;
	if (c.p != c.end && !cur_eat(&c, ' '))
		return false;
	h->ts = env_civil_ms(&t);
	h->msg = cur_rest(&c);
	return h->ts != TS_NONE;
}

/* ---- docker compose ------------------------------------------------------
 * svc-1  | message      (compose v2)      svc_1  | message   (v1)
 * The service name, the replica number compose always adds, padding, a
 * bar.  The number is what tells it from a table row in a log. */

static bool is_name_byte(char ch)
{
	return is_alpha(ch) || is_digit(ch) || ch == '_' || ch == '.' ||
	       ch == '-';
}

bool env_scan_compose(struct cur c, struct outer_hit *h)
{
	size_t left = cur_left(&c), n = 0;
	while (n < left && n <= 64 && is_name_byte(c.p[n]))
		n++;
	if (n < 3 || n > 64)
		return false;
	size_t d = n;
	while (d > 0 && is_digit(c.p[d - 1]))
		d--;
	if (d == n || d < 2 || (c.p[d - 1] != '-' && c.p[d - 1] != '_'))
		return false;
	c.p += n;
	if (!cur_eat(&c, ' '))
		return false;
	cur_skip(&c, ' ');
	if (!cur_eat(&c, '|'))
		return false;
	cur_eat(&c, ' ');
	h->msg = cur_rest(&c);
	return true;
}

/* ---- a prefix learned from an anchor line --------------------------------
 * An envelope no row knows: the text in front of a line that only debug
 * output starts with.  Its shape (each run of digits one '9', so that a
 * timestamp or a process id still matches) is then stripped from every
 * line that starts with exactly that shape.  An anchor is a whole
 * literal, and the byte after it must be of the kind the JVM prints
 * there, so that ordinary text with "***" in it teaches nothing. */

struct anchor {
	const char *text;
	size_t len;
	bool (*next_ok)(char ch);    /* the byte after the text; NULL: any;
				      * eol_next: the text ends the line */
	const char *before;          /* must come just before it, or "" */
	size_t nbefore;
};

static bool upper_next(char ch)
{
	return is_upper(ch);
}

static bool digit_next(char ch)
{
	return is_digit(ch);
}

static bool rw_next(char ch)
{
	return ch == 'r' || ch == 'w';
}

static bool bool_next(char ch)
{
	return ch == 't' || ch == 'f';
}

static bool path_next(char ch)
{
	return ch != ' ' && ch != '\t';
}

/* Never called: anchor_at() checks that the text ends the line. */
static bool eol_next(char ch)
{
	(void)ch;
	return false;
}

#define ANCHOR(s, f, b) {s, sizeof s - 1, f, b, sizeof b - 1}
static const struct anchor anchors[] = {
	/* classic block headers by name (FORMATS.md 4.3): a bare "*** "
	 * would also take ServiceNow's "*** Start #1", "*** End" and
	 * "*** ERROR ***", which are half the lines of an app node's log
	 * (and then the prefilter would have to let them all through) */
	ANCHOR("*** ClientHello", NULL, ""),    /* *** ClientHello, TLSv1.2 */
	ANCHOR("*** ServerHello", NULL, ""),    /* ... and ...HelloDone */
	ANCHOR("*** Certificate", NULL, ""),    /* chain, Request, Verify */
	ANCHOR("*** ClientKeyExchange", NULL, ""),
	ANCHOR("*** ECDH", NULL, ""),
	ANCHOR("*** Diffie-Hellman ", NULL, ""),
	ANCHOR("*** RSA ServerKeyExchange", NULL, ""),
	ANCHOR("*** HelloRequest", NULL, ""),
	ANCHOR("*** Finished", NULL, ""),
	ANCHOR("%% ", upper_next, ""),     /* %% Initialized:  [Session-1 */
	ANCHOR("chain [", digit_next, ""), /* chain [0] = [ */
	ANCHOR("[Raw ", rw_next, ""),      /* [Raw write]: length = 5 */
	/* :expand; the indentation belongs to the record, not the prefix */
	ANCHOR("\"logger\"      : \"javax.net.ssl\"", NULL, "  "),
	ANCHOR("javax.net.ssl|", upper_next, ""),
	/* What classic JSSE prints before its first `*** ` block, so that a
	 * `thread, VERB` line before that block (a server reads the
	 * ClientHello first) is not taken with the prefix for a thread
	 * name: the trust store it loads (FORMATS.md 4.2), the start of
	 * each handshake, an SSLEngine's first print, IBM JSSE2's
	 * first line (§5). */
	ANCHOR("trustStore is: ", path_next, ""),
	ANCHOR("Allow unsafe renegotiation: ", bool_next, ""),
	ANCHOR("Using SSLEngineImpl.", eol_next, ""),
	ANCHOR("IBMJSSEProvider2 Build-Level: ", NULL, ""),
};
/* Each anchor's text is one of ENV_ANCHOR_MARKS (the prefilter must not
 * skip a line that may teach a prefix). */

/* By the byte an anchor starts with, its second byte: the scan over a
 * line (it runs on every line no row claims, in a debug block on every
 * line) stops only where both are there.  Kept in step with anchors[]
 * (test_envelope learns a prefix from each). */
static const char anchor_second[256] = {
	['*'] = '*', ['%'] = '%', ['c'] = 'h', ['['] = 'R', ['"'] = 'l',
	['j'] = 'a', ['t'] = 'r', ['A'] = 'l', ['U'] = 's', ['I'] = 'B',
};

/* The length of what the anchor at p needs before it, or -1 if there is
 * no anchor at p. */
static int anchor_at(const char *line, const char *p, const char *end)
{
	for (size_t i = 0; i < SS_ARRAY_LEN(anchors); i++) {
		const struct anchor *a = &anchors[i];
		size_t nb = a->nbefore;
		bool eol = a->next_ok == eol_next;
		/* an anchor with no rule for the next byte may end the line */
		size_t need = eol || !a->next_ok ? a->len : a->len + 1;
		if ((size_t)(end - p) < need || p[0] != a->text[0] ||
		    memcmp(p, a->text, a->len) != 0)
			continue;
		if ((size_t)(p - line) < nb || memcmp(p - nb, a->before, nb) != 0)
			continue;
		if (eol ? (size_t)(end - p) == a->len
			: !a->next_ok || a->next_ok(p[a->len]))
			return (int)nb;
	}
	return -1;
}

/* What an envelope ends with: a prefix ending otherwise is more likely a
 * message with an anchor-like text inside it. */
static bool is_separator(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '|' || ch == ':' ||
	       ch == ']' || ch == ')' || ch == '>';
}

static bool prefix_plausible(const char *p, size_t n)
{
	if (n == 0 || !is_separator(p[n - 1]))
		return false;
	if (n >= 6 && is_hex(p[0]) && is_hex(p[1]) && is_hex(p[2]) &&
	    is_hex(p[3]) && p[4] == ':' && p[5] == ' ')
		return false;          /* a hex dump row's ASCII column */
	/* An envelope has a field separator, a time or a number in it; a
	 * few words before an anchor are more likely a sentence. */
	for (size_t i = 0; i < n; i++)
		if (is_digit(p[i]) || (p[i] && strchr("|:])>", p[i])))
			return true;
	return false;
}

static size_t shape_of(const char *p, size_t n, char *shape, size_t cap)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (is_digit(p[i]) && i > 0 && is_digit(p[i - 1]))
			continue;
		if (k == cap)
			return 0;
		shape[k++] = is_digit(p[i]) ? '9' : p[i];
	}
	return k;
}

bool env_prefix_learn(struct cur c, char *shape, size_t cap, size_t *shape_n)
{
	size_t left = cur_left(&c);
	size_t lim = left < ENV_PREFIX_SCAN ? left : ENV_PREFIX_SCAN;
	/* Most lines cannot teach anything: an anchor line with no prefix,
	 * an indented body line (a prefix is more than indentation). */
	if (!left || c.p[0] == ' ' || c.p[0] == '\t' ||
	    (left > 1 && anchor_second[(unsigned char)c.p[0]] == c.p[1] &&
	     anchor_at(c.p, c.p, c.end) >= 0))
		return false;
	for (size_t i = 1; i + 1 < lim; i++) {
		int nb;
		char second = anchor_second[(unsigned char)c.p[i]];
		if (!second || c.p[i + 1] != second ||
		    (nb = anchor_at(c.p, c.p + i, c.end)) < 0)
			continue;
		size_t at = i - (size_t)nb;
		if (!prefix_plausible(c.p, at))
			return false;
		size_t k = shape_of(c.p, at, shape, cap);
		if (!k)
			return false;
		*shape_n = k;
		return true;
	}
	return false;
}

bool env_anchor_within(struct cur c)
{
	size_t left = cur_left(&c);
	size_t lim = left < ENV_PREFIX_SCAN ? left : ENV_PREFIX_SCAN;
	for (size_t i = 1; i + 1 < lim; i++) {
		char second = anchor_second[(unsigned char)c.p[i]];
		if (second && c.p[i + 1] == second &&
		    anchor_at(c.p, c.p + i, c.end) >= 0)
			return true;
	}
	return false;
}

size_t env_prefix_match(const char *shape, size_t shape_n, struct cur c)
{
	const char *p = c.p;
	for (size_t i = 0; i < shape_n; i++) {
		if (p == c.end)
			return 0;
		if (shape[i] == '9') {
			if (!is_digit(*p))
				return 0;
			while (p < c.end && is_digit(*p))
				p++;
		} else if (*p++ != shape[i]) {
			return 0;
		}
	}
	return (size_t)(p - c.p);
}

/* ---- a hex dump row glued to the next print -------------------------------
 * 0080: 16 00 0b 00 02 01 00                      .......Thread-17, WRITE: ...
 * IBM JSSE2 sometimes ends a dump without a line break.  The row's ASCII
 * column has one character per byte dumped (the byte if printable, else
 * '.'), so where it starts and ends is known exactly, even when it starts
 * with a space, and what follows it is the next print. */

static int hex_val(char ch)
{
	return is_digit(ch) ? ch - '0' : (ch | 0x20) - 'a' + 10;
}

static bool ascii_column_at(const char *p, const unsigned char *bytes,
			    size_t n)
{
	for (size_t i = 0; i < n; i++) {
		bool printable = bytes[i] >= 0x20 && bytes[i] < 0x7f;
		if (p[i] != '.' && !(printable && p[i] == (char)bytes[i]))
			return false;
	}
	return true;
}

struct slice env_hexrow_tail(struct cur c)
{
	if (cur_left(&c) < 10 || c.p[4] != ':' || c.p[5] != ' ' ||
	    !is_hex(c.p[0]) || !is_hex(c.p[1]) || !is_hex(c.p[2]) ||
	    !is_hex(c.p[3]))
		return SLICE_NULL;
	c.p += 6;
	unsigned char bytes[16];
	size_t n = 0;
	while (n < 16 && cur_left(&c) >= 3 && is_hex(c.p[0]) &&
	       is_hex(c.p[1]) && c.p[2] == ' ') {
		bytes[n++] = (unsigned char)(hex_val(c.p[0]) << 4 | hex_val(c.p[1]));
		c.p += 3;
		if (n == 8)
			cur_eat(&c, ' ');      /* the gap between the halves */
	}
	if (n == 0)
		return SLICE_NULL;
	/* the padding, then the column: the column may start with spaces,
	 * so the latest start that fits wins */
	const char *first = c.p;
	while (c.p < c.end && *c.p == ' ')
		c.p++;
	for (const char *at = c.p; at >= first; at--)
		if ((size_t)(c.end - at) > n && ascii_column_at(at, bytes, n))
			return slice_make(at + n, (size_t)(c.end - at - n));
	return SLICE_NULL;
}
