/* litextract.c - see litextract.h.
 *
 * A conservative reading of the regex at nesting depth 0: whatever it
 * returns, every match contains.  It gives up (no literal) on a top-level
 * '|', on a top-level flag setting such as (?i) (whose effect on the rest
 * it does not model), and on (*ACCEPT) anywhere (which ends a match
 * early).  Groups, classes, escapes other than an escaped punctuation
 * character, '.', '^', '$' and anything it does not know end the current
 * run of literal characters; a character quantified by ?, *, {0,...} is
 * dropped; one quantified by +, {n...} (n >= 1) is kept and ends the run.
 * The regex has already compiled, so its syntax is valid. */
#include "config.h"
#include "litextract.h"

#include <stdbool.h>
#include <string.h>

#include "util.h"

static bool is_blank(int c)
{
	return c == ' ' || c == '\t';
}

static bool is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static bool is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_xdigit(int c)
{
	return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}



struct lx {
	const unsigned char *re;
	size_t n, i;
	bool quoted;                 /* inside \Q...\E */
	struct strbuf run, best;
};

enum lx_quant { Q_NONE, Q_OPTIONAL, Q_REQUIRED };

static bool starts(const unsigned char *re, size_t n, size_t i, const char *s)
{
	size_t len = strlen(s);
	return i <= n && n - i >= len && memcmp(re + i, s, len) == 0;
}

/* Past the first `close` at or after i. */
static size_t skip_to(const unsigned char *re, size_t n, size_t i,
		      unsigned char close)
{
	while (i < n && re[i] != close)
		i++;
	return i < n ? i + 1 : n;
}

static unsigned char closer(unsigned char open)
{
	return open == '{' ? '}' : open == '<' ? '>' : open;
}

/* Past the escape sequence whose backslash is at i, with its argument:
 * \x{..} \xhh \o{..} \ddd \cX \p{..} \g{..} \g<..> \g-1 \k<..> \N{..} */
static size_t skip_escape(const unsigned char *re, size_t n, size_t i)
{
	i += 2;
	if (i > n)
		return n;
	unsigned char c = re[i - 1];
	bool brace = i < n && re[i] == '{';
	switch (c) {
	case 'x':
		if (brace)
			return skip_to(re, n, i + 1, '}');
		for (int k = 0; k < 2 && i < n && is_xdigit(re[i]); k++)
			i++;
		return i;
	case 'o':
	case 'N':
		return brace ? skip_to(re, n, i + 1, '}') : i;
	case 'p':
	case 'P':
		if (brace)
			return skip_to(re, n, i + 1, '}');
		return i < n ? i + 1 : n;
	case 'c':
		return i < n ? i + 1 : n;
	case 'g':
	case 'k':
		if (i < n && (re[i] == '{' || re[i] == '<' || re[i] == '\''))
			return skip_to(re, n, i + 1, closer(re[i]));
		if (i < n && (re[i] == '+' || re[i] == '-'))
			i++;
		break;
	default:
		if (!is_digit(c))
			return i;
	}
	while (i < n && is_digit(re[i]))
		i++;
	return i;
}

/* PCRE2's check_posix_syntax(): t is at the ':', '.' or '=' after '['
 * inside a class; returns the index past the closing ":]", or 0. */
static size_t posix_end(const unsigned char *re, size_t n, size_t t)
{
	unsigned char term = re[t];
	for (size_t k = t + 1; k + 2 <= n; k++) {
		if (re[k] == '\\' && (re[k + 1] == ']' || re[k + 1] == '\\'))
			k++;
		else if ((re[k] == '[' && re[k + 1] == term) || re[k] == ']')
			return 0;
		else if (re[k] == term && re[k + 1] == ']')
			return k + 2;
	}
	return 0;
}

/* Past what PCRE2 skips at the start of a class: \E, \Q\E, one '^'. */
static size_t class_prefix_end(const unsigned char *re, size_t n, size_t i)
{
	bool negated = false;
	for (;;) {
		if (starts(re, n, i, "\\E")) {
			i += 2;
		} else if (starts(re, n, i, "\\Q\\E")) {
			i += 4;
		} else if (!negated && i < n && re[i] == '^') {
			negated = true;
			i++;
		} else {
			return i;
		}
	}
}

/* Past the class whose '[' is at i, as PCRE2 reads it: after the prefix
 * a ']' is a member; \Q...\E, escapes and [:posix:] names are members. */
static size_t skip_class(const unsigned char *re, size_t n, size_t i)
{
	bool first = true, quoted = false;
	i = class_prefix_end(re, n, i + 1);
	while (i < n) {
		unsigned char c = re[i];
		if (quoted) {
			quoted = !starts(re, n, i, "\\E");
			i += quoted ? 1 : 2;
		} else if (c == ']' && !first) {
			return i + 1;
		} else if (c == '\\') {
			quoted = starts(re, n, i, "\\Q");
			i = quoted ? i + 2 : skip_escape(re, n, i);
		} else if (c == '[' && i + 1 < n && (re[i + 1] == ':' ||
			   re[i + 1] == '.' || re[i + 1] == '=') &&
			   posix_end(re, n, i + 1)) {
			i = posix_end(re, n, i + 1);
		} else {
			i++;
		}
		first = false;
	}
	return n;
}

static bool is_comment(const unsigned char *re, size_t n, size_t i)
{
	return starts(re, n, i, "(?#");
}

/* Past the group whose '(' is at i, nested groups, classes, escapes,
 * quotes and (?#comments) included. */
static size_t skip_group(const unsigned char *re, size_t n, size_t i)
{
	int depth = 0;
	bool quoted = false;
	while (i < n) {
		unsigned char c = re[i];
		if (quoted) {
			quoted = !starts(re, n, i, "\\E");
			i += quoted ? 1 : 2;
		} else if (c == '\\') {
			quoted = starts(re, n, i, "\\Q");
			i = quoted ? i + 2 : skip_escape(re, n, i);
		} else if (c == '[') {
			i = skip_class(re, n, i);
		} else if (is_comment(re, n, i)) {
			i = skip_to(re, n, i + 3, ')');
			if (depth == 0)
				return i;
		} else {
			i++;
			if (c == '(')
				depth++;
			else if (c == ')' && --depth == 0)
				return i;
		}
	}
	return n;
}

/* (?i), (?-x), (?^) ...: a top-level flag setting changes how the rest
 * of the regex reads. */
static bool is_flag_setting(const unsigned char *re, size_t n, size_t i)
{
	if (!starts(re, n, i, "(?"))
		return false;
	size_t k = i + 2;
	while (k < n && (is_alpha(re[k]) || re[k] == '^' || re[k] == '-'))
		k++;
	return k < n && re[k] == ')';
}

/* {n} {n,} {n,m}, and leniently {,m} and blanks inside, which newer
 * PCRE2 reads as quantifiers too; returns the index past '}' with the
 * minimum in *min, or 0 if this is not a quantifier. */
static size_t parse_braces(const unsigned char *re, size_t n, size_t i,
			   unsigned long *min)
{
	bool digits = false;
	unsigned long v = 0;
	size_t k = i + 1;
	while (k < n && is_blank(re[k]))
		k++;
	for (; k < n && is_digit(re[k]); k++, digits = true)
		v = v > 100000 ? v : v * 10 + (unsigned long)(re[k] - '0');
	while (k < n && is_blank(re[k]))
		k++;
	if (k < n && re[k] == ',') {
		for (k++; k < n && (is_blank(re[k]) || is_digit(re[k])); k++)
			digits = digits || is_digit(re[k]);
	}
	if (!digits || k >= n || re[k] != '}')
		return 0;
	*min = v;
	return k + 1;
}

/* The quantifier, if any, of the item that ends at x->i, looking past
 * \E, \Q\E and (?#...) as PCRE2 does; *next is where reading resumes. */
static enum lx_quant peek_quant(const struct lx *x, size_t *next)
{
	const unsigned char *re = x->re;
	size_t n = x->n, i = x->i;
	bool quoted = x->quoted;
	for (;;) {
		if (starts(re, n, i, "\\E")) {
			quoted = false;
			i += 2;
		} else if (quoted) {
			return Q_NONE;
		} else if (starts(re, n, i, "\\Q\\E")) {
			i += 4;
		} else if (is_comment(re, n, i)) {
			i = skip_to(re, n, i + 3, ')');
		} else {
			break;
		}
	}
	if (i >= n)
		return Q_NONE;
	unsigned long min = 0;
	if (re[i] == '?' || re[i] == '*') {
		i++;
	} else if (re[i] == '+') {
		min = 1;
		i++;
	} else if (re[i] == '{') {
		i = parse_braces(re, n, i, &min);
		if (i == 0)
			return Q_NONE;
	} else {
		return Q_NONE;
	}
	if (i < n && (re[i] == '?' || re[i] == '+'))
		i++;                 /* lazy or possessive */
	*next = i;
	return min ? Q_REQUIRED : Q_OPTIONAL;
}

static void lx_flush(struct lx *x)
{
	if (x->run.n > x->best.n) {
		sb_reset(&x->best);
		sb_append(&x->best, x->run.p, x->run.n);
	}
	sb_reset(&x->run);
}

/* A literal character was read: it is required unless a quantifier
 * that allows zero follows. */
static void lx_char(struct lx *x, unsigned char c)
{
	size_t next;
	enum lx_quant q = peek_quant(x, &next);
	if (q != Q_OPTIONAL)
		sb_putc(&x->run, (char)c);
	if (q != Q_NONE) {
		lx_flush(x);
		x->i = next;
		x->quoted = false;
	}
}

/* Anything else ends the run and takes its quantifier with it. */
static void lx_other(struct lx *x)
{
	size_t next;
	lx_flush(x);
	if (peek_quant(x, &next) != Q_NONE) {
		x->i = next;
		x->quoted = false;
	}
}

/* Is \c the character c itself?  (ASCII punctuation and space.) */
static bool escapes_to_itself(unsigned char c)
{
	return c >= 0x20 && c < 0x7f && !is_alpha(c) && !is_digit(c);
}

/* Reads one item at depth 0; false if the regex can have no literal. */
static bool lx_step(struct lx *x)
{
	const unsigned char *re = x->re;
	size_t i = x->i, n = x->n;
	unsigned char c = re[i];
	if (x->quoted) {
		x->quoted = !starts(re, n, i, "\\E");
		x->i = x->quoted ? i + 1 : i + 2;
		if (x->quoted)
			lx_char(x, c);
		return true;
	}
	switch (c) {
	case '\\':
		if (starts(re, n, i, "\\Q")) {
			x->quoted = true;
			x->i = i + 2;
		} else if (i + 1 < n && escapes_to_itself(re[i + 1])) {
			x->i = i + 2;
			lx_char(x, re[i + 1]);
		} else {
			x->i = skip_escape(re, n, i);
			lx_other(x);
		}
		return true;
	case '|':
	case ')':
		return false;
	case '(':
		if (is_flag_setting(re, n, i))
			return false;
		x->i = skip_group(re, n, i);
		break;
	case '[':
		x->i = skip_class(re, n, i);
		break;
	case '.': case '^': case '$': case '?': case '*': case '+':
	case '{': case '}': case ']':
		x->i = i + 1;
		break;
	default:
		x->i = i + 1;
		lx_char(x, c);
		return true;
	}
	lx_other(x);
	return true;
}

static bool contains(const char *re, size_t n, const char *s)
{
	return memmem(re, n, s, strlen(s)) != NULL;
}

char *litextract_required(const char *re, size_t n, size_t *len)
{
	struct lx x = {.re = (const unsigned char *)re, .n = n};
	bool ok = !contains(re, n, "(*ACCEPT");
	while (ok && x.i < x.n)
		ok = lx_step(&x);
	lx_flush(&x);
	char *lit = NULL;
	*len = 0;
	if (ok && x.best.n >= LITEXTRACT_MIN) {
		*len = x.best.n;
		lit = sb_take(&x.best);
	}
	sb_free(&x.run);
	sb_free(&x.best);
	return lit;
}
