/* render_text.c - the report for an operator at a terminal: a summary line,
 * then one section per (diagnosis, peer), worst first, with the chain the
 * peer sent, the evidence and the steps; successes in one compact list;
 * inputs that could not be read at the end.
 *
 * Everything that came from a log goes through clean_text() first, so a
 * hostile log cannot move the cursor or recolour the terminal. */
#include "config.h"
#include "render.h"

#include <stdlib.h>
#include <string.h>

#include "render_util.h"
#include "util.h"

#define EVIDENCE_CHARS 160  /* evidence text per line */
#define NAME_CHARS 240      /* subjects, issuers, peers, paths */
#define WRAP_COLS 78        /* prose is wrapped; commands never are */
#define CERTS_SHOWN 10
#define EVIDENCE_SHOWN 8

#define ANSI_RESET "\x1b[0m"
#define ANSI_BOLD "\x1b[1m"
#define ANSI_RED "\x1b[31m"

struct text_out {
	const struct report *r;
	FILE *out;
	bool color;
};

static const char *plural(size_t n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

static void put_severity(const struct text_out *t, enum severity s)
{
	static const char *const colors[] = {
		[SEV_INFO] = "\x1b[32m",
		[SEV_WARNING] = "\x1b[1;33m",
		[SEV_ERROR] = "\x1b[1;31m",
	};
	if (t->color && (unsigned)s < SS_ARRAY_LEN(colors))
		fprintf(t->out, "%s%s" ANSI_RESET, colors[s], severity_name(s));
	else
		fputs(severity_name(s), t->out);
}

/* Our own text in a colour (when colour is on). */
static void put_colored(const struct text_out *t, const char *ansi,
			const char *s)
{
	if (t->color)
		fprintf(t->out, "%s%s" ANSI_RESET, ansi, s);
	else
		fputs(s, t->out);
}

/* Log text, cleaned for the terminal and cut to max characters. */
static void put_clean(const struct text_out *t, const char *s, size_t max)
{
	char *c = clean_text(s, max);
	fputs(c ? c : "", t->out);
	free(c);
}

static void put_peer(const struct text_out *t, const char *peer)
{
	if (peer)
		put_clean(t, peer, NAME_CHARS);
	else
		fputs("(peer not named in the log)", t->out);
}

/* "2026-11-22 09:19:49": the civil time without milliseconds. */
static void put_time(const struct text_out *t, int64_t ms)
{
	char buf[40];
	ms_to_civil(ms, buf, sizeof buf);
	fprintf(t->out, "%.19s", buf);
}

/* Bytes of the next word of s and the columns it takes. */
static size_t word_len(const char *s, size_t *cols)
{
	size_t n = 0;
	*cols = 0;
	while (s[n] && s[n] != ' ') {
		if (((unsigned char)s[n] & 0xC0) != 0x80)
			(*cols)++;
		n++;
	}
	return n;
}

/* Prose wrapped at WRAP_COLS; every line starts with indent spaces. */
static void put_wrapped(const struct text_out *t, const char *raw, int indent)
{
	char *s = clean_text(raw, 0);
	const char *p = s;
	size_t col = 0;
	while (*p) {
		while (*p == ' ')
			p++;
		size_t cols, n = word_len(p, &cols);
		if (!n)
			break;
		if (col && col + 1 + cols > (size_t)(WRAP_COLS - indent)) {
			fputc('\n', t->out);
			col = 0;
		}
		if (col == 0)
			fprintf(t->out, "%*s", indent, "");
		else
			fputc(' ', t->out);
		fwrite(p, 1, n, t->out);
		col += (col ? 1 : 0) + cols;
		p += n;
	}
	if (col)
		fputc('\n', t->out);
	free(s);
}

/* ---- header ------------------------------------------------------------ */

/* The time window, if there is one. */
static void text_window(const struct text_out *t)
{
	const struct report *r = t->r;
	if (r->since == TS_NONE && r->until == TS_NONE)
		return;
	fputs("only handshakes that started ", t->out);
	if (r->since != TS_NONE) {
		fputs(r->until != TS_NONE ? "between " : "at or after ", t->out);
		put_time(t, r->since);
	}
	if (r->until != TS_NONE) {
		fputs(r->since != TS_NONE ? " and " : "at or before ", t->out);
		put_time(t, r->until);
	}
	fputc('\n', t->out);
}

static void text_header(const struct text_out *t, const struct report_counts *c)
{
	const struct report *r = t->r;
	size_t total = r->n_handshakes + r->handshakes_omitted;
	fprintf(t->out, "inputs read: %zu %s, %llu %s, %zu %s", r->n_inputs,
		plural(r->n_inputs, "file", "files"), (unsigned long long)c->lines,
		plural(c->lines, "line", "lines"), total,
		plural(total, "handshake", "handshakes"));
	if (r->n_handshakes && c->cut)
		fprintf(t->out, " (%zu failed, %zu at risk, %zu ok, %zu cut off)",
			c->failed, c->at_risk, c->ok - c->cut, c->cut);
	else if (r->n_handshakes)
		fprintf(t->out, " (%zu failed, %zu at risk, %zu ok)", c->failed,
			c->at_risk, c->ok);
	size_t nodes = report_node_count(r);
	if (nodes > 1)
		fprintf(t->out, ", from %zu nodes", nodes);
	fputc('\n', t->out);
	text_window(t);
	if (r->redacted)
		fputs("host names, IP addresses and certificate serials are "
		      "redacted\n", t->out);
	fputc('\n', t->out);
	if (r->handshakes_omitted)
		fprintf(t->out, "Details are kept for %zu of them; the other %zu "
			"are counted in the sections below.\n\n",
			r->n_handshakes, r->handshakes_omitted);
	if (r->n_handshakes == 0)
		fputs("No TLS handshake and no handshake failure found in the "
		      "inputs.\n\n",
		      t->out);
	else if (c->failed + c->at_risk == 0)
		fputs("No failed or at-risk handshake.\n\n", t->out);
}

/* ---- one section per (diagnosis, peer) -------------------------------- */

static void section_heading(const struct text_out *t, const struct hs_group *g)
{
	put_colored(t, ANSI_BOLD, diag_info(g->code)->code);
	fputs(" (", t->out);
	put_severity(t, g->severity);
	fputs(") ", t->out);
	put_peer(t, g->peer);
	fprintf(t->out, " \xE2\x80\x94 %zu %s\n", g->count,
		plural(g->count, "handshake", "handshakes"));
}

/* Where the first handshake of the group is, and when the last was. */
/* Where and when the group was first seen (logs are read in name order:
 * wrapper.log, the newest, before wrapper.log.1), and last. */
static void section_where(const struct text_out *t, const struct hs_group *g)
{
	const struct handshake *h = &t->r->handshakes[g->earliest];
	fputs(g->count > 1 ? "  First seen: " : "  Seen: ", t->out);
	put_clean(t, input_path(t->r, h->file), NAME_CHARS);
	fprintf(t->out, ":%llu", (unsigned long long)h->line);
	if (h->ts_start != TS_NONE) {
		fputs(", ", t->out);
		put_time(t, h->ts_start);
	}
	if (h->thread) {
		fputs(", thread ", t->out);
		put_clean(t, h->thread, NAME_CHARS);
	}
	if (h->tls_version) {
		fputs(", ", t->out);
		put_clean(t, h->tls_version, NAME_CHARS);
	}
	fputc('\n', t->out);
	if (g->count > 1 && g->ts_last != TS_NONE &&
	    g->ts_last / 1000 != h->ts_start / 1000) {
		fputs("  Last seen: ", t->out);
		put_time(t, g->ts_last);
		fputc('\n', t->out);
	}
	const char *node;
	size_t n_nodes = group_nodes(t->r, g, &node);
	if (report_node_count(t->r) > 1 && n_nodes) {
		fputs("  On: ", t->out);
		if (n_nodes == 1)
			put_clean(t, node, NAME_CHARS);
		else
			fprintf(t->out, "%zu nodes", n_nodes);
		fputc('\n', t->out);
	}
}

static void put_validity(const struct text_out *t, const struct cert *c)
{
	if (!c->not_before && !c->not_after)
		return;
	const char *nb = c->not_before ? c->not_before : "?";
	const char *na = c->not_after ? c->not_after : "?";
	char *b = xmemdup0(nb, date_prefix_len(nb));
	char *a = xmemdup0(na, date_prefix_len(na));
	fputs(", valid ", t->out);
	put_clean(t, b, NAME_CHARS);
	fputs(" .. ", t->out);
	put_clean(t, a, NAME_CHARS);
	free(b);
	free(a);
}

static void put_cert(const struct text_out *t, size_t i, const struct cert *c)
{
	fprintf(t->out, "    [%zu] ", i);
	put_clean(t, c->subject ? c->subject : "(no subject)", NAME_CHARS);
	fputs("\n        issued by ", t->out);
	put_clean(t, c->issuer ? c->issuer : "(no issuer)", NAME_CHARS);
	put_validity(t, c);
	fputc('\n', t->out);
}

static const char *sender(const struct handshake *h)
{
	if (h->role == ROLE_CLIENT)
		return "the server";
	if (h->role == ROLE_SERVER)
		return "the client";
	return "the peer";
}

static void section_certs(const struct text_out *t, const struct handshake *h)
{
	size_t n = handshake_cert_total(h);
	size_t shown = handshake_certs_shown(h, CERTS_SHOWN);
	if (h->peer_certs_state == CERTS_NOT_CAPTURED) {
		fprintf(t->out, "  Certificates: none logged (%s)\n",
			certs_absent_reason(h));
		return;
	}
	if (n == 0 && h->peer_certs_state == CERTS_CAPTURED) {
		fprintf(t->out, "  Sent by %s: an empty Certificate message\n",
			sender(h));
		return;
	}
	fprintf(t->out, "  Sent by %s (%zu %s%s):\n", sender(h), n,
		plural(n, "certificate", "certificates"),
		h->peer_certs_state == CERTS_CUT
			? " before the log ends inside the message"
			: "");
	for (size_t i = 0; i < shown; i++)
		put_cert(t, i, &h->peer_certs[i]);
	if (n > shown)
		fprintf(t->out, "    ... %zu more\n", n - shown);
	if (h->missing_issuer) {
		fputs("    ", t->out);
		put_colored(t, ANSI_RED, missing_issuer_label(h));
		fputs(": ", t->out);
		put_clean(t, h->missing_issuer, NAME_CHARS);
		fprintf(t->out, "  (%s)\n", missing_issuer_note(h));
	}
}

/* What the log says beyond the chain: side, alert, client certificate,
 * names, versions, doubts. */
static void section_facts(const struct text_out *t, const struct handshake *h)
{
	struct fact f[MAX_FACTS];
	size_t n = handshake_facts(h, f, MAX_FACTS);
	for (size_t i = 0; i < n; i++) {
		fprintf(t->out, "  %s: ", f[i].label);
		put_clean(t, f[i].value, 0);
		fputc('\n', t->out);
	}
	facts_free(f, n);
}

/* Evidence rows: "    file:line  text". */
static void put_ev_lines(const struct text_out *t, const struct ev_line *ev,
			 size_t n)
{
	for (size_t i = 0; i < n; i++) {
		fputs("    ", t->out);
		put_clean(t, input_path(t->r, ev[i].file), NAME_CHARS);
		fprintf(t->out, ":%llu", (unsigned long long)ev[i].line);
		if (ev[i].text && *ev[i].text) {
			fputs("  ", t->out);
			put_clean(t, ev[i].text, EVIDENCE_CHARS);
		}
		fputc('\n', t->out);
	}
}

static void section_evidence(const struct text_out *t,
			     const struct handshake *h)
{
	struct ev_line ev[EVIDENCE_SHOWN];
	size_t n = handshake_ev_lines(t->r, h, ev, EVIDENCE_SHOWN);
	if (!n)
		return;
	fputs("  Evidence:\n", t->out);
	put_ev_lines(t, ev, n);
}

static int put_step(void *ctx, size_t index, const char *line, size_t len)
{
	const struct text_out *t = ctx;
	char *s = xmemdup0(line, len);
	fprintf(t->out, "    %zu. ", index + 1);
	put_clean(t, s, 0);
	fputc('\n', t->out);
	free(s);
	return 0;
}

static void section_advice(const struct text_out *t, enum diag_code code,
			   const struct handshake *h)
{
	const struct diag_info *d = diag_info(code);
	fputs("  Who acts: ", t->out);
	put_clean(t, d->who, 0);
	fputc('\n', t->out);
	char *steps = diag_advice(code, h);
	if (steps && *steps) {
		fputs("  What to do:\n", t->out);
		for_each_line(steps, put_step, (void *)t);
	}
	free(steps);
}

static void text_section(const struct text_out *t, const struct hs_group *g)
{
	const struct handshake *h = &t->r->handshakes[g->first];
	section_heading(t, g);
	char *title = fill_template(diag_info(g->code)->title, h);
	put_wrapped(t, title, 2);
	free(title);
	section_where(t, g);
	section_facts(t, h);
	section_certs(t, h);
	section_evidence(t, h);
	section_advice(t, g->code, h);
	fputc('\n', t->out);
}

/* ---- successes and inputs --------------------------------------------- */

static void ok_line(const struct text_out *t, const struct hs_group *g)
{
	const struct handshake *h = &t->r->handshakes[g->first];
	fputs("  ", t->out);
	put_peer(t, g->peer);
	fprintf(t->out, " \xE2\x80\x94 %zu %s (", g->count,
		plural(g->count, "handshake", "handshakes"));
	if (h->tls_version) {
		put_clean(t, h->tls_version, NAME_CHARS);
		fputs(", ", t->out);
	}
	fprintf(t->out, "chain %s)\n", chain_name(h->chain));
}

/* Application errors on the thread of a handshake that finished: no TLS
 * failure, but not to be hidden either. */
static void ok_symptoms(const struct text_out *t)
{
	struct ev_line ev[EVIDENCE_SHOWN];
	size_t n = ok_symptom_lines(t->r, ev, EVIDENCE_SHOWN);
	if (!n)
		return;
	fputs("  Application errors after a handshake that finished (not a TLS "
	      "failure):\n", t->out);
	put_ev_lines(t, ev, n < EVIDENCE_SHOWN ? n : EVIDENCE_SHOWN);
	if (n > EVIDENCE_SHOWN)
		fprintf(t->out, "    ... and %zu more\n", n - EVIDENCE_SHOWN);
}

static void text_ok(const struct text_out *t, const struct hs_groups *g,
		    const struct report_counts *c)
{
	size_t n_ok = c->ok, cut = c->cut;
	if (!n_ok)
		return;
	/* A handshake the log ends in the middle of did not fail, but did
	 * not finish either: say so rather than call it finished. */
	fputs("OK (", t->out);
	put_severity(t, SEV_INFO);
	if (cut)
		fprintf(t->out, "): %zu %s with nothing failed or at risk (%zu "
			"cut off by the end of the log before %s finished):\n",
			n_ok, plural(n_ok, "handshake", "handshakes"), cut,
			plural(cut, "it", "they"));
	else
		fprintf(t->out, "): %zu %s finished with nothing at risk:\n",
			n_ok, plural(n_ok, "handshake", "handshakes"));
	for (size_t i = 0; i < g->n; i++)
		if (g->v[i].code == DIAG_OK)
			ok_line(t, &g->v[i]);
	ok_symptoms(t);
	fputc('\n', t->out);
}

static void text_inputs(const struct text_out *t)
{
	for (size_t i = 0; i < t->r->n_inputs; i++) {
		const struct input *in = &t->r->inputs[i];
		if (in->error) {
			fputs("could not read: ", t->out);
			put_clean(t, in->path, NAME_CHARS);
			fputs(": ", t->out);
			put_clean(t, in->error, EVIDENCE_CHARS);
			fputc('\n', t->out);
		}
		if (in->long_lines) {
			fputs("note: ", t->out);
			put_clean(t, in->path, NAME_CHARS);
			fprintf(t->out, ": %llu overlong %s cut\n",
				(unsigned long long)in->long_lines,
				plural(in->long_lines, "line was", "lines were"));
		}
	}
}

int render_text(const struct report *r, const struct render_opts *o, FILE *out)
{
	struct text_out t = {r, out, o && o->color};
	struct hs_groups g;
	struct report_counts c;
	groups_build(r, &g);
	report_counts(r, &g, &c);
	text_header(&t, &c);
	for (size_t i = 0; i < g.n; i++)
		if (g.v[i].code != DIAG_OK)
			text_section(&t, &g.v[i]);
	text_ok(&t, &g, &c);
	text_inputs(&t);
	groups_free(&g);
	return render_finish(out);
}
