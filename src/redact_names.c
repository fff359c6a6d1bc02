/* redact_names.c - the redactor of redact.h: which text is a name, and
 * the placeholder each name gets.  redact.c walks the report and hands
 * every field to it; the two meet only through redact.h, which the unit
 * tests use too.
 *
 * One PCRE2 regex per report finds every name in a piece of text in one
 * pass: the known names and serials (learnt from the report's fields)
 * first, then URIs, IPv4, IPv6 candidates and dotted host names.  A match
 * that turns out not to be a name (a time such as 10:11:12 that looked
 * like IPv6, a Java package that looked like a host name) is copied as it
 * is.  Each character is looked at once, so a placeholder is never
 * redacted again. */
#include "config.h"
#include "redact.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <arpa/inet.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util.h"

enum name_kind { NAME_HOST, NAME_IP, NAME_SERIAL, NAME__COUNT };

static const char *const kind_prefix[NAME__COUNT] = {"host", "ip", "serial"};

struct mapping {
	enum name_kind kind;
	char *key;            /* lower case */
	char *placeholder;    /* "host-3" */
};

struct redactor {
	struct mapping *map;
	size_t n_map, cap_map;
	size_t next[NAME__COUNT];      /* last number given, per kind */
	/* Known names and serials, as literals for the regex. */
	struct lits {
		char **v;
		size_t n, cap;
	} known, serials;
	pcre2_code *re;                /* NULL until needed or after a learn */
	pcre2_match_data *md;
	pcre2_match_context *mctx;
};

struct redactor *redactor_new(void)
{
	struct redactor *rd = xcalloc(1, sizeof *rd);
	rd->mctx = pcre2_match_context_create(NULL);
	pcre2_set_match_limit(rd->mctx, 1000000);
	return rd;
}

static void drop_regex(struct redactor *rd)
{
	pcre2_match_data_free(rd->md);
	pcre2_code_free(rd->re);
	rd->md = NULL;
	rd->re = NULL;
}

void redactor_free(struct redactor **rdp)
{
	struct redactor *rd = *rdp;
	if (!rd)
		return;
	for (size_t i = 0; i < rd->n_map; i++) {
		free(rd->map[i].key);
		free(rd->map[i].placeholder);
	}
	free(rd->map);
	for (size_t i = 0; i < rd->known.n; i++)
		free(rd->known.v[i]);
	free(rd->known.v);
	for (size_t i = 0; i < rd->serials.n; i++)
		free(rd->serials.v[i]);
	free(rd->serials.v);
	drop_regex(rd);
	pcre2_match_context_free(rd->mctx);
	free(rd);
	*rdp = NULL;
}

/* ---- the map ------------------------------------------------------------ */

static char *lower_dup(const char *s, size_t n)
{
	char *k = xmemdup0(s, n);
	for (char *p = k; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return k;
}

/* The placeholder of s[0..n) (borrowed from the map), made if new. */
static const char *placeholder(struct redactor *rd, enum name_kind kind,
			       const char *s, size_t n)
{
	char *key = lower_dup(s, n);
	for (size_t i = 0; i < rd->n_map; i++) {
		if (rd->map[i].kind == kind && !strcmp(rd->map[i].key, key)) {
			free(key);
			return rd->map[i].placeholder;
		}
	}
	xgrow(&rd->map, &rd->cap_map, rd->n_map + 1, sizeof *rd->map);
	struct mapping *m = &rd->map[rd->n_map++];
	struct strbuf b = {0};
	sb_printf(&b, "%s-%zu", kind_prefix[kind], ++rd->next[kind]);
	*m = (struct mapping){kind, key, sb_take(&b)};
	return m->placeholder;
}

static bool is_ipv4(const char *s)
{
	struct in_addr a;
	return inet_pton(AF_INET, s, &a) == 1;
}

static bool is_ipv6(const char *s)
{
	struct in6_addr a;
	char buf[INET6_ADDRSTRLEN + 8];
	size_t n = strlen(s);
	if (n >= 2 && s[0] == '[' && s[n - 1] == ']') {
		s++;
		n -= 2;
	}
	const char *pct = memchr(s, '%', n);  /* fe80::1%eth0 */
	if (pct)
		n = (size_t)(pct - s);
	if (n >= sizeof buf)
		return false;
	memcpy(buf, s, n);
	buf[n] = '\0';
	return inet_pton(AF_INET6, buf, &a) == 1;
}

static enum name_kind host_kind(const char *s)
{
	return is_ipv4(s) || is_ipv6(s) ? NAME_IP : NAME_HOST;
}

static void learn(struct redactor *rd, struct lits *l, const char *s)
{
	for (size_t i = 0; i < l->n; i++)
		if (!strcasecmp(l->v[i], s))
			return;
	xgrow(&l->v, &l->cap, l->n + 1, sizeof *l->v);
	l->v[l->n++] = xstrdup(s);
	drop_regex(rd);
}

/* Short or all-digit "names" (a port, "0") would match too much text,
 * and a scheme is what a log line's URI sometimes leaves in a host field
 * ("https" of "https://[::1]/"). */
static bool worth_learning(const char *s)
{
	static const char *const words[] = {
		"http", "https", "ldap", "ldaps", "ftp", "ftps", "smtp", "uri",
		"url", "tcp", "ssl", "tls", "null",
	};
	if (!s || strlen(s) < 2 || strspn(s, "0123456789") == strlen(s))
		return false;
	for (size_t i = 0; i < SS_ARRAY_LEN(words); i++)
		if (!strcasecmp(s, words[i]))
			return false;
	return true;
}

void redactor_learn_host(struct redactor *rd, const char *name)
{
	if (!worth_learning(name))
		return;
	placeholder(rd, host_kind(name), name, strlen(name));
	learn(rd, &rd->known, name);
}

void redactor_learn_serial(struct redactor *rd, const char *serial)
{
	if (!worth_learning(serial))
		return;
	placeholder(rd, NAME_SERIAL, serial, strlen(serial));
	learn(rd, &rd->serials, serial);
}

char *redactor_name(struct redactor *rd, const char *name)
{
	if (!name)
		return NULL;
	if (!*name)
		return xstrdup("");
	return xstrdup(placeholder(rd, host_kind(name), name, strlen(name)));
}

char *redactor_serial(struct redactor *rd, const char *serial)
{
	if (!serial)
		return NULL;
	if (!*serial)
		return xstrdup("");
	return xstrdup(placeholder(rd, NAME_SERIAL, serial, strlen(serial)));
}

/* ---- the regex ----------------------------------------------------------- */

/* Before a name: not part of a longer one. */
#define NB "(?<![A-Za-z0-9_.-])"
/* After a name: no more of it, and no ".label" that would make it longer. */
#define NA "(?![A-Za-z0-9_-]|\\.[A-Za-z0-9])"
#define OCTET "(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
#define LABEL "[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"

/* URIs first: their scheme is never a name. */
static const char re_uri[] =
	"(?<uri>[A-Za-z][A-Za-z0-9+.-]{1,15}://)(?<userinfo>[^\\s/@]*@)?"
	"(?<urihost>\\[[0-9A-Fa-f:.]+\\]|[^\\s/:?#\\[\\]@\"'<>,;|]+)|";

static const char re_tail[] =
	"|(?<![A-Za-z0-9_.])(?<ip4>(?:" OCTET "\\.){3}" OCTET ")"
	"(?![A-Za-z0-9_]|\\.[0-9])"
	"|(?<![A-Za-z0-9_:.])(?<ip6>[0-9A-Fa-f]{0,4}:[0-9A-Fa-f:.]*:[0-9A-Fa-f.]*"
	"(?:%[A-Za-z0-9_.]+)?)(?![A-Za-z0-9_:])"
	"|" NB "(?<dns>(?:\\*\\.)?(?:" LABEL "\\.)+[a-z][a-z0-9-]{0,61}[a-z0-9])" NA;

/* Longest first, so that a.b.example.com wins over b.example.com. */
static int longer_first(const void *pa, const void *pb)
{
	const char *const *a = pa, *const *b = pb;
	size_t na = strlen(*a), nb = strlen(*b);
	if (na != nb)
		return na > nb ? -1 : 1;
	return strcmp(*a, *b);
}

/* A literal: every byte that is not a letter or digit escaped. */
static void put_literal(struct strbuf *b, const char *s)
{
	for (; *s; s++) {
		if (!isalnum((unsigned char)*s))
			sb_putc(b, '\\');
		sb_putc(b, *s);
	}
}

/* The literals as one group, longest first, whatever their case. */
static void put_group(struct strbuf *b, const char *name, struct lits *l)
{
	if (l->n > 1)
		qsort(l->v, l->n, sizeof *l->v, longer_first);
	sb_printf(b, "(?<%s>(?i)(?!)", name);
	for (size_t i = 0; i < l->n; i++) {
		sb_putc(b, '|');
		put_literal(b, l->v[i]);
	}
	sb_putc(b, ')');
}

static int compile(struct redactor *rd)
{
	if (rd->re)
		return 0;
	struct strbuf b = {0};
	sb_puts(&b, re_uri);
	/* A serial is whole when no more hex pairs follow it. */
	sb_puts(&b, "(?<![A-Za-z0-9_.:-])");
	put_group(&b, "serial", &rd->serials);
	sb_puts(&b, "(?![A-Za-z0-9_.-]|:[0-9A-Fa-f])|" NB);
	put_group(&b, "known", &rd->known);
	sb_puts(&b, NA);
	sb_puts(&b, re_tail);
	int ec;
	PCRE2_SIZE off;
	rd->re = pcre2_compile((PCRE2_SPTR)b.p, b.n, PCRE2_NEVER_UTF, &ec, &off,
			       NULL);
	sb_free(&b);
	if (!rd->re)
		return -1;
	rd->md = pcre2_match_data_create_from_pattern(rd->re, NULL);
	return 0;
}

/* ---- text ---------------------------------------------------------------- */

static bool group(const struct redactor *rd, const char *name, size_t *start,
		  size_t *end)
{
	int n = pcre2_substring_number_from_name(rd->re, (PCRE2_SPTR)name);
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(rd->md);
	if (n < 0 || (uint32_t)n >= pcre2_get_ovector_count(rd->md) ||
	    ov[2 * n] == PCRE2_UNSET)
		return false;
	*start = ov[2 * n];
	*end = ov[2 * n + 1];
	return true;
}

static const char *const java_roots[] = {
	"java", "javax", "jdk", "sun", "jakarta", "com", "org", "net", "io",
};
static const char *const file_types[] = {
	"java", "class", "jar", "war", "ear", "log", "txt", "out", "gz", "zip",
	"xml", "json", "yaml", "yml", "properties", "conf", "cfg", "ini",
	"pem", "crt", "cer", "der", "jks", "p12", "pfx", "key", "csr", "sh",
	"so", "dll", "exe", "html", "htm", "js", "py", "pat", "md", "tmp",
};

static bool word_in(const char *s, size_t n, const char *const *list,
		    size_t count)
{
	for (size_t i = 0; i < count; i++)
		if (strlen(list[i]) == n && !memcmp(list[i], s, n))
			return true;
	return false;
}

/* A dotted lower-case name that is a Java package or a file name. */
static bool not_a_host(const char *s, size_t n)
{
	const char *dot = memchr(s, '.', n);
	const char *last = s + n;
	while (last > s && last[-1] != '.')
		last--;
	return (dot && word_in(s, (size_t)(dot - s), java_roots,
			       SS_ARRAY_LEN(java_roots))) ||
	       word_in(last, (size_t)(s + n - last), file_types,
		       SS_ARRAY_LEN(file_types));
}

static void put_name(struct redactor *rd, struct strbuf *b,
		     enum name_kind kind, const char *s, size_t n)
{
	sb_puts(b, placeholder(rd, kind, s, n));
}

/* A URI's host (maybe [v6]); the scheme is kept, user:password@ goes. */
static void put_uri(struct redactor *rd, struct strbuf *b, const char *t,
		    size_t us, size_t ue, size_t hs, size_t he, bool has_user)
{
	sb_append(b, t + us, ue - us);
	if (has_user)
		sb_puts(b, "redacted@");
	char *host = xmemdup0(t + hs, he - hs);
	bool bracket = host[0] == '[';
	enum name_kind kind = host_kind(host);
	size_t skip = bracket && kind == NAME_IP ? 1 : 0;
	if (skip)
		sb_putc(b, '[');
	put_name(rd, b, kind, host + skip, strlen(host) - 2 * skip);
	if (skip)
		sb_putc(b, ']');
	free(host);
}

/* Appends the replacement of the match at [s, e); false if the match is
 * not a name after all. */
static bool replace_match(struct redactor *rd, struct strbuf *b,
			  const char *t, size_t s, size_t e)
{
	size_t a, z, ua, uz;
	char *v;
	bool ok = true;
	if (group(rd, "serial", &a, &z)) {
		put_name(rd, b, NAME_SERIAL, t + a, z - a);
	} else if (group(rd, "known", &a, &z)) {
		v = xmemdup0(t + a, z - a);
		put_name(rd, b, host_kind(v), t + a, z - a);
		free(v);
	} else if (group(rd, "uri", &ua, &uz) && group(rd, "urihost", &a, &z)) {
		size_t ia, iz;
		put_uri(rd, b, t, ua, uz, a, z, group(rd, "userinfo", &ia, &iz));
	} else if (group(rd, "ip4", &a, &z)) {
		put_name(rd, b, NAME_IP, t + a, z - a);
	} else if (group(rd, "ip6", &a, &z)) {
		v = xmemdup0(t + a, z - a);
		ok = is_ipv6(v);
		if (ok)
			put_name(rd, b, NAME_IP, t + a, z - a);
		free(v);
	} else if (group(rd, "dns", &a, &z)) {
		ok = !not_a_host(t + a, z - a);
		if (ok)
			put_name(rd, b, NAME_HOST, t + a, z - a);
	} else {
		ok = false;
	}
	if (!ok)
		sb_append(b, t + s, e - s);
	return ok;
}

char *redactor_text(struct redactor *rd, const char *text)
{
	if (!text)
		return NULL;
	if (compile(rd) < 0)
		return xstrdup("(redacted)");
	size_t n = strlen(text), at = 0;
	struct strbuf b = {0};
	sb_puts(&b, "");
	while (at < n) {
		int rc = pcre2_match(rd->re, (PCRE2_SPTR)text, n, at, 0, rd->md,
				     rd->mctx);
		if (rc < 0) {
			if (rc != PCRE2_ERROR_NOMATCH) {
				/* Safer to lose the text than to leak it. */
				sb_free(&b);
				return xstrdup("(redacted)");
			}
			break;
		}
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(rd->md);
		size_t s = ov[0], e = ov[1];
		sb_append(&b, text + at, s - at);
		if (e == s) {
			sb_append(&b, text + s, 1);
			at = s + 1;
			continue;
		}
		replace_match(rd, &b, text, s, e);
		at = e;
	}
	if (at < n)
		sb_append(&b, text + at, n - at);
	return sb_take(&b);
}
