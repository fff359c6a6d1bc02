/* assemble_expand.c - the expanded record header that
 * -Djavax.net.debug=...:expand gives every JSSE record (FORMATS.md 1.5):
 *
 *   {
 *     "logger"      : "javax.net.ssl",
 *     "level"       : "DEBUG",
 *     "thread id"   : "01",
 *     "thread name" : "main",
 *     "time"        : "2024-06-03 11:22:01.379 CEST",
 *     "caller"      : "CertificateMessage.java:366",
 *     "message"     : "Consuming server Certificate handshake message",
 *     "specifics"   : [
 *       <the body a compact record has between "(" and ")">
 *     ]
 *   }
 *
 * The "logger" line opens a record (a pattern rule finds it, so the
 * prefilter lets it through); the header fields are read here; the
 * "message" line is then handed on as if it were a compact header line,
 * and the lines after it as its body, up to the "}" in column 0.  Values
 * are not JSON-escaped, so this reads line by line, never with a JSON
 * parser. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "assemble_int.h"
#include "util.h"

void expand_reset(struct expand_state *x)
{
	free(x->thread);
	free(x->level);
	memset(x, 0, sizeof *x);
	x->ts = TS_NONE;
}

void on_expanded_record(struct assembler *a, struct ctx *c,
			const struct pattern_hit *hit)
{
	record_close(a);
	expand_reset(&a->s.x);
	a->s.x.open = true;
	a->s.in_record = true;
	a->s.record_thread = thread_slot(a, SLICE_NULL);
}

bool expand_closes(const struct assembler *a, const struct envline *env)
{
	struct slice m = env->msg;
	while (m.n && (m.p[m.n - 1] == ' ' || m.p[m.n - 1] == '\t'))
		m.n--;
	return a->s.x.open && slice_eq(m, "}");
}

/* `  "key" : value`: the key, and the value with its quotes and the
 * comma after it removed.  False if the line is not shaped so. */
static bool key_value(struct slice m, struct slice *key, struct slice *val)
{
	m = slice_trim(m);
	if (m.n < 2 || m.p[0] != '"')
		return false;
	const char *q = memchr(m.p + 1, '"', m.n - 1);
	if (!q)
		return false;
	*key = slice_make(m.p + 1, (size_t)(q - m.p - 1));
	struct slice rest = slice_trim(
		slice_make(q + 1, (size_t)(m.p + m.n - q - 1)));
	if (!rest.n || rest.p[0] != ':')
		return false;
	rest = slice_trim(slice_make(rest.p + 1, rest.n - 1));
	if (rest.n && rest.p[0] == '"') {
		rest.p++;
		rest.n--;
		if (slice_ends(rest, "\","))
			rest.n -= 2;
		else if (slice_ends(rest, "\""))
			rest.n--;
	}
	*val = rest;
	return true;
}

/* "2024-06-03 11:22:01.379 CEST" (kk: hour 24 is the hour after
 * midnight, same date); the zone is ignored, as for compact headers. */
static int64_t parse_time(struct slice v)
{
	const char *p = v.p, *end = v.p + v.n;
	int f[7] = {0};
	static const char seps[] = "-- ::.";
	for (int i = 0; i < 7; i++) {
		if (i > 0 && (p >= end || *p++ != seps[i - 1]))
			return TS_NONE;
		int width = i == 0 ? 4 : i == 6 ? 3 : 2;
		f[i] = parse_digits(&p, end, width);
		if (f[i] < 0)
			return TS_NONE;
	}
	if (f[3] == 24)
		f[3] = 0;
	return civil_to_ms(f[0], f[1], f[2], f[3], f[4], f[5], f[6]);
}

static void replace(char **dst, struct slice v)
{
	free(*dst);
	*dst = field_dup(v);
}

/* The "message" line as a compact header line would have been. */
static void message_as_header(struct assembler *a, struct ctx *c,
			      struct slice msg, struct envline *out)
{
	struct expand_state *x = &a->s.x;
	*out = *c->env;
	out->inner = INNER_JSSE;
	out->jsse_thread = slice_cstr(x->thread ? x->thread : "");
	out->jsse_level = slice_cstr(x->level ? x->level : "");
	out->jsse_ts = x->ts;
	out->msg = msg;
	c->env = out;
	c->header = true;
	c->quoted = true;
	x->have_message = true;
}

bool expand_line(struct assembler *a, struct ctx *c, struct envline *out)
{
	struct expand_state *x = &a->s.x;
	struct slice key, val;
	if (!key_value(c->env->msg, &key, &val))
		return false;
	if (x->have_message)
		return slice_eq(key, "specifics");
	if (slice_eq(key, "thread name"))
		replace(&x->thread, val);
	else if (slice_eq(key, "level"))
		replace(&x->level, val);
	else if (slice_eq(key, "time"))
		x->ts = parse_time(val);
	else if (slice_eq(key, "message"))
		message_as_header(a, c, val, out);
	return !x->have_message;
}
