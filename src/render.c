/* render.c - the renderer table, and the helpers the renderers share (see
 * render_util.h). */
#include "config.h"
#include "render.h"

#include <stdlib.h>
#include <string.h>

#include "render_util.h"
#include "util.h"

static const struct renderer renderers[] = {
	{"text", render_text},
	{"markdown", render_markdown},
	{"json", render_json},
	{NULL, NULL},
};

const struct renderer *renderer_table(void)
{
	return renderers;
}

const struct renderer *renderer_find(const char *name)
{
	if (!name)
		return NULL;
	for (const struct renderer *r = renderers; r->name; r++)
		if (strcmp(r->name, name) == 0)
			return r;
	return NULL;
}

/* ---- grouping -------------------------------------------------------- */

enum severity handshake_severity(const struct handshake *h)
{
	return diag_info(h->diagnosis)->severity;
}

/* One handshake, keyed for sorting into groups. */
struct hs_key {
	enum diag_code code;
	char *peer;
	size_t index;
};

static int peer_cmp(const char *a, const char *b)
{
	if (!a || !b)
		return (a != NULL) - (b != NULL);
	return strcmp(a, b);
}

static int key_cmp(const void *pa, const void *pb)
{
	const struct hs_key *a = pa, *b = pb;
	if (a->code != b->code)
		return a->code < b->code ? -1 : 1;
	int c = peer_cmp(a->peer, b->peer);
	if (c)
		return c;
	return (a->index > b->index) - (a->index < b->index);
}

static void group_add(const struct report *r, struct hs_group *grp,
		      size_t idx)
{
	const struct handshake *h = &r->handshakes[idx];
	grp->count++;
	if (h->ts_start == TS_NONE)
		return;
	const struct handshake *e = &r->handshakes[grp->earliest];
	if (e->ts_start == TS_NONE || h->ts_start < e->ts_start)
		grp->earliest = idx;
	if (grp->ts_first == TS_NONE || h->ts_start < grp->ts_first)
		grp->ts_first = h->ts_start;
	if (grp->ts_last == TS_NONE || h->ts_start > grp->ts_last)
		grp->ts_last = h->ts_start;
}

/* Turns runs of equal (code, peer) keys into groups; the peer strings
 * move from the keys to the groups. */
static size_t groups_from_keys(const struct report *r, struct hs_key *k,
			       size_t n, struct hs_group *out)
{
	size_t ng = 0;
	for (size_t i = 0; i < n; i++) {
		struct hs_group *grp = ng ? &out[ng - 1] : NULL;
		if (!grp || grp->code != k[i].code ||
		    peer_cmp(grp->peer, k[i].peer) != 0) {
			grp = &out[ng++];
			*grp = (struct hs_group){
				.code = k[i].code,
				.severity = diag_info(k[i].code)->severity,
				.peer = k[i].peer,
				.first = k[i].index,
				.earliest = k[i].index,
				.ts_first = TS_NONE,
				.ts_last = TS_NONE,
			};
			k[i].peer = NULL;
		}
		group_add(r, grp, k[i].index);
		free(k[i].peer);
	}
	return ng;
}

/* Handshakes per diagnosis code, for ordering groups by weight. */
struct code_totals {
	size_t n[DIAG__COUNT];
};

static int group_cmp_with(const struct hs_group *a, const struct hs_group *b,
			  const struct code_totals *t)
{
	if (a->severity != b->severity)
		return a->severity > b->severity ? -1 : 1;
	if (a->code != b->code) {
		if (t->n[a->code] != t->n[b->code])
			return t->n[a->code] > t->n[b->code] ? -1 : 1;
		return a->code < b->code ? -1 : 1;
	}
	if (a->count != b->count)
		return a->count > b->count ? -1 : 1;
	return (a->first > b->first) - (a->first < b->first);
}

/* qsort() has no context argument; insertion into a sorted array would be
 * quadratic.  A merge sort with the totals passed down keeps this free of
 * global state. */
static void group_merge_sort(struct hs_group *v, struct hs_group *tmp,
			     size_t n, const struct code_totals *t)
{
	if (n < 2)
		return;
	size_t h = n / 2;
	group_merge_sort(v, tmp, h, t);
	group_merge_sort(v + h, tmp, n - h, t);
	size_t i = 0, j = h, o = 0;
	while (i < h && j < n)
		tmp[o++] = group_cmp_with(&v[j], &v[i], t) < 0 ? v[j++] : v[i++];
	while (i < h)
		tmp[o++] = v[i++];
	while (j < n)
		tmp[o++] = v[j++];
	memcpy(v, tmp, n * sizeof *v);
}

/* The group of key (code, peer) among the sorted v[0 .. n), or NULL. */
static struct hs_group *group_find(struct hs_group *v, size_t n,
				   enum diag_code code, const char *peer)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = v[mid].code != code ? (v[mid].code < code ? -1 : 1)
					    : peer_cmp(v[mid].peer, peer);
		if (c == 0)
			return &v[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* Adds the handshakes the detail caps left out (report.tallies) to the
 * groups of their key; a tally whose key no kept handshake has any more
 * (correlation named its peer, or changed its diagnosis) becomes a group
 * of its own, shown through the handshake that stands for it. */
static size_t groups_add_tallies(const struct report *r, struct hs_group *v,
				 size_t ng)
{
	size_t sorted = ng;
	for (size_t i = 0; i < r->n_tallies; i++) {
		const struct tally *t = &r->tallies[i];
		if (!t->omitted || t->rep < 0 || (size_t)t->rep >= r->n_handshakes)
			continue;
		const char *peer = t->various ? "(various peers)" : t->peer;
		struct hs_group *grp = group_find(v, sorted, t->code, peer);
		if (!grp) {
			grp = &v[ng++];
			*grp = (struct hs_group){
				.code = t->code,
				.severity = diag_info(t->code)->severity,
				.peer = peer ? xstrdup(peer) : NULL,
				.first = (size_t)t->rep,
				.earliest = (size_t)t->rep,
				.ts_first = TS_NONE,
				.ts_last = TS_NONE,
			};
		}
		grp->count += t->omitted;
		grp->omitted += t->omitted;
		if (t->ts_first != TS_NONE &&
		    (grp->ts_first == TS_NONE || t->ts_first < grp->ts_first))
			grp->ts_first = t->ts_first;
		if (t->ts_last != TS_NONE &&
		    (grp->ts_last == TS_NONE || t->ts_last > grp->ts_last))
			grp->ts_last = t->ts_last;
	}
	return ng;
}

void groups_build(const struct report *r, struct hs_groups *g)
{
	size_t n = r->n_handshakes;
	g->v = NULL;
	g->n = 0;
	if (n == 0)
		return;
	struct hs_key *k = xcalloc(n, sizeof *k);
	for (size_t i = 0; i < n; i++) {
		const struct handshake *h = &r->handshakes[i];
		k[i].code = (unsigned)h->diagnosis < DIAG__COUNT
				    ? h->diagnosis
				    : DIAG_HANDSHAKE_FAILED;
		k[i].peer = handshake_peer_string(h);
		k[i].index = i;
	}
	qsort(k, n, sizeof *k, key_cmp);
	g->v = xcalloc(n + r->n_tallies, sizeof *g->v);
	g->n = groups_from_keys(r, k, n, g->v);
	free(k);
	g->n = groups_add_tallies(r, g->v, g->n);

	struct code_totals t = {{0}};
	for (size_t i = 0; i < g->n; i++)
		t.n[g->v[i].code] += g->v[i].count;
	struct hs_group *tmp = xcalloc(g->n, sizeof *tmp);
	group_merge_sort(g->v, tmp, g->n, &t);
	free(tmp);
}

void groups_free(struct hs_groups *g)
{
	for (size_t i = 0; i < g->n; i++)
		free(g->v[i].peer);
	free(g->v);
	g->v = NULL;
	g->n = 0;
}

static int str_ptr_cmp(const void *pa, const void *pb)
{
	const char *const *a = pa, *const *b = pb;
	return strcmp(*a, *b);
}

/* Distinct named peers among the groups of severity error. */
static size_t failed_peer_count(const struct hs_groups *g)
{
	const char **peers = xcalloc(g->n ? g->n : 1, sizeof *peers);
	size_t n = 0, distinct = 0;
	for (size_t i = 0; i < g->n; i++)
		if (g->v[i].severity == SEV_ERROR && g->v[i].peer)
			peers[n++] = g->v[i].peer;
	qsort(peers, n, sizeof *peers, str_ptr_cmp);
	for (size_t i = 0; i < n; i++)
		if (i == 0 || strcmp(peers[i - 1], peers[i]) != 0)
			distinct++;
	free(peers);
	return distinct;
}

void report_counts(const struct report *r, const struct hs_groups *g,
		   struct report_counts *c)
{
	memset(c, 0, sizeof *c);
	c->main_cause = DIAG_OK;
	for (size_t i = 0; i < r->n_inputs; i++)
		c->lines += r->inputs[i].lines;
	for (size_t i = 0; i < g->n; i++) {
		const struct hs_group *grp = &g->v[i];
		if (grp->severity == SEV_ERROR && !grp->peer)
			c->failed_unnamed += grp->count;
		if (grp->severity == SEV_ERROR)
			c->failed += grp->count;
		else if (grp->severity == SEV_WARNING)
			c->at_risk += grp->count;
		else
			c->ok += grp->count;
	}
	for (size_t i = 0; i < r->n_handshakes; i++)
		c->cut += r->handshakes[i].diagnosis == DIAG_OK &&
			  r->handshakes[i].outcome == OUTCOME_UNKNOWN;
	/* Groups are sorted by severity, then by the weight of their code. */
	if (g->n && g->v[0].severity == SEV_ERROR)
		c->main_cause = g->v[0].code;
	c->failed_peers = failed_peer_count(g);
}

size_t handshake_cert_total(const struct handshake *h)
{
	return h->n_peer_certs + h->peer_certs_omitted;
}

size_t handshake_certs_shown(const struct handshake *h, size_t max)
{
	return h->n_peer_certs < max ? h->n_peer_certs : max;
}

/* ---- evidence --------------------------------------------------------- */

const char *input_path(const struct report *r, uint32_t file)
{
	if (file < r->n_inputs && r->inputs[file].path)
		return r->inputs[file].path;
	return "?";
}

static bool ev_seen(const struct ev_line *v, size_t n, uint32_t file,
		    uint64_t line)
{
	for (size_t i = 0; i < n; i++)
		if (v[i].file == file && v[i].line == line)
			return true;
	return false;
}

size_t handshake_ev_lines(const struct report *r, const struct handshake *h,
			  struct ev_line *out, size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < h->n_evidence && i < HS_MAX_EVIDENCE && n < max;
	     i++) {
		const struct evidence *e = &h->evidence[i];
		if (!ev_seen(out, n, e->file, e->line))
			out[n++] = (struct ev_line){e->file, e->line, e->text};
	}
	for (size_t i = 0; i < h->n_symptoms && n < max; i++) {
		if (h->symptoms[i] >= r->n_symptoms)
			continue;
		const struct symptom *s = &r->symptoms[h->symptoms[i]];
		if (!ev_seen(out, n, s->file, s->line))
			out[n++] = (struct ev_line){s->file, s->line, s->text};
	}
	return n;
}

size_t ok_symptom_lines(const struct report *r, struct ev_line *out,
			size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < r->n_symptoms; i++) {
		const struct symptom *s = &r->symptoms[i];
		if (s->handshake < 0 || (size_t)s->handshake >= r->n_handshakes)
			continue;
		const struct handshake *h = &r->handshakes[s->handshake];
		if (h->diagnosis != DIAG_OK || h->outcome != OUTCOME_OK)
			continue;
		if (n < max)
			out[n] = (struct ev_line){s->file, s->line, s->text};
		n++;
	}
	return n;
}

/* ---- cleaning text ---------------------------------------------------- */

/* Length of the escape sequence starting at s[0] == ESC: CSI, the string
 * controls (OSC, DCS, SOS, PM, APC) up to their terminator, or ESC plus
 * one character.  Only ASCII is consumed, so UTF-8 stays whole. */
static size_t esc_seq_len(const unsigned char *s, size_t n)
{
	size_t i = 1;
	if (i >= n)
		return 1;
	unsigned char c = s[i];
	if (c == '[') {
		for (i = 2; i < n && s[i] >= 0x20 && s[i] < 0x7f; i++)
			if (s[i] >= 0x40)
				return i + 1;
		return i;
	}
	if (c == ']' || c == 'P' || c == 'X' || c == '^' || c == '_') {
		for (i = 2; i < n; i++) {
			if (s[i] == 0x07)
				return i + 1;
			if (s[i] == 0x1b)
				return i + 1 < n && s[i + 1] == '\\' ? i + 2
								     : i;
		}
		return n;
	}
	return c >= 0x20 && c < 0x7f ? 2 : 1;
}

/* Code points a terminal would act on rather than show: C1 controls
 * (U+0080..U+009F; U+009B is CSI on some terminals) and the bidi
 * embedding, override and isolate controls. */
static bool is_unsafe_cp(const unsigned char *s, size_t len)
{
	if (len == 2 && s[0] == 0xC2 && s[1] <= 0x9F)
		return true;
	if (len != 3 || s[0] != 0xE2)
		return false;
	if (s[1] == 0x80 && s[2] >= 0xAA && s[2] <= 0xAE)
		return true;    /* U+202A..U+202E */
	return s[1] == 0x81 && s[2] >= 0xA6 && s[2] <= 0xA9; /* U+2066.. */
}

static bool is_line_sep(const unsigned char *s, size_t len)
{
	return len == 3 && s[0] == 0xE2 && s[1] == 0x80 &&
	       (s[2] == 0xA8 || s[2] == 0xA9);
}

/* Bytes in the (valid UTF-8) sequence led by c. */
static size_t utf8_len(unsigned char c)
{
	return c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
}

/* Appends one cleaned character from s; returns the bytes consumed. */
static size_t clean_one(struct strbuf *b, const unsigned char *s, size_t n)
{
	unsigned char c = s[0];
	if (c == 0x1b) {
		sb_putc(b, '?');
		return esc_seq_len(s, n);
	}
	if (c == '\t' || c == '\n' || c == '\r') {
		sb_putc(b, ' ');
		return 1;
	}
	if (c < 0x20 || c == 0x7f) {
		sb_putc(b, '?');
		return 1;
	}
	size_t len = utf8_len(c);
	if (len > n)
		len = n;
	if (is_unsafe_cp(s, len))
		sb_putc(b, '?');
	else if (is_line_sep(s, len))
		sb_putc(b, ' ');
	else
		sb_append(b, (const char *)s, len);
	return len;
}

/* Cuts valid UTF-8 text to max_chars characters, the last an ellipsis. */
static void cut_chars(struct strbuf *b, size_t max_chars)
{
	size_t chars = 0, i = 0, cut = 0;
	while (i < b->n) {
		if (chars == max_chars - 1)
			cut = i;
		chars++;
		i += utf8_len((unsigned char)b->p[i]);
	}
	if (chars <= max_chars)
		return;
	b->n = cut;
	b->p[cut] = '\0';
	sb_puts(b, "\xE2\x80\xA6");
}

char *clean_text(const char *s, size_t max_chars)
{
	if (!s)
		return NULL;
	char *valid = utf8_sanitize(s, strlen(s));
	const unsigned char *u = (const unsigned char *)valid;
	size_t n = strlen(valid), i = 0;
	struct strbuf b = {0};
	sb_puts(&b, "");
	while (i < n)
		i += clean_one(&b, u + i, n - i);
	free(valid);
	if (max_chars)
		cut_chars(&b, max_chars);
	return sb_take(&b);
}

/* ---- templates -------------------------------------------------------- */

char *fill_template(const char *tmpl, const struct handshake *h)
{
	return diag_fill(tmpl, h);
}

/* ---- small things ----------------------------------------------------- */

size_t date_prefix_len(const char *s)
{
	static const char shape[] = "dddd-dd-dd";
	for (size_t i = 0; i < sizeof shape - 1; i++) {
		bool digit = s[i] >= '0' && s[i] <= '9';
		if (shape[i] == 'd' ? !digit : s[i] != '-')
			return strlen(s);
	}
	return sizeof shape - 1;
}

const char *missing_issuer_label(const struct handshake *h)
{
	return h->diagnosis == DIAG_UNTRUSTED_ROOT ? "not trusted" : "missing";
}

const char *missing_issuer_note(const struct handshake *h)
{
	bool peer_is_client = h->role == ROLE_SERVER;
	if (h->diagnosis == DIAG_LEAF_ONLY_CHAIN_TOLERATED)
		return peer_is_client
			       ? "the intermediate the client should send; "
				 "found in the local trust store"
			       : "the intermediate the server should send; "
				 "found in the local trust store";
	if (h->chain == CHAIN_LEAF_ONLY)
		return peer_is_client
			       ? "the intermediate the client should send"
			       : "the intermediate the server should send";
	if (h->diagnosis == DIAG_UNTRUSTED_ROOT)
		return "no trust anchor for it in the local trust store";
	return "not among the certificates sent";
}

int for_each_line(const char *text, line_fn fn, void *ctx)
{
	size_t index = 0;
	const char *s = text ? text : "";
	while (*s) {
		const char *nl = strchr(s, '\n');
		size_t len = nl ? (size_t)(nl - s) : strlen(s);
		if (len && fn(ctx, index++, s, len) < 0)
			return -1;
		s += len + (nl != NULL);
	}
	return 0;
}

int render_finish(FILE *out)
{
	if (fflush(out) != 0 || ferror(out))
		return -1;
	return 0;
}

/* ---- nodes ------------------------------------------------------------ */

/* Adds node to the distinct ones in v (of *n); v has room. */
static void node_add(const char **v, size_t *n, const char *node)
{
	if (!node)
		return;
	for (size_t i = 0; i < *n; i++)
		if (!strcmp(v[i], node))
			return;
	v[(*n)++] = node;
}

size_t group_nodes(const struct report *r, const struct hs_group *g,
		   const char **first)
{
	const char **v = xcalloc(r->n_handshakes + 1, sizeof *v);
	size_t n = 0;
	for (size_t i = 0; i < r->n_handshakes; i++) {
		const struct handshake *h = &r->handshakes[i];
		if (h->diagnosis != g->code)
			continue;
		char *peer = handshake_peer_string(h);
		if (peer_cmp(peer, g->peer) == 0)
			node_add(v, &n, handshake_node(r, h));
		free(peer);
	}
	*first = n ? v[0] : NULL;
	free(v);
	return n;
}

size_t report_node_count(const struct report *r)
{
	const char **v =
		xcalloc(r->n_handshakes + r->n_inputs + 2, sizeof *v);
	size_t n = 0;
	node_add(v, &n, r->node);
	for (size_t i = 0; i < r->n_inputs; i++)
		node_add(v, &n, input_node(r, &r->inputs[i]));
	for (size_t i = 0; i < r->n_handshakes; i++)
		node_add(v, &n, handshake_node(r, &r->handshakes[i]));
	free(v);
	return n;
}
