/* render_markdown.c - the report for an incident ticket: a summary
 * paragraph, a findings table, then per failing (diagnosis, peer) the chain
 * as sent, the evidence and the next steps.
 *
 * Text from a log is cleaned (clean_text) and then escaped for where it
 * lands: in prose and table cells Markdown's punctuation is escaped and
 * HTML's is written as entities; in code spans and fenced blocks the fence
 * is made longer than any run of backticks in the content. */
#include "config.h"
#include "render.h"

#include <stdlib.h>
#include <string.h>

#include "render_util.h"
#include "util.h"

#define EVIDENCE_CHARS 160
#define NAME_CHARS 240
#define CERTS_SHOWN 10
#define EVIDENCE_SHOWN 8

struct md_out {
	const struct report *r;
	FILE *out;
	size_t n_nodes;      /* distinct nodes the report covers */
};

static const char *plural(size_t n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

/* ---- escaping ---------------------------------------------------------- */

static void md_escape_into(struct strbuf *b, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '<': sb_puts(b, "&lt;"); break;
		case '>': sb_puts(b, "&gt;"); break;
		case '&': sb_puts(b, "&amp;"); break;
		case '\\': case '`': case '*': case '_': case '[': case ']':
		case '|': case '~':
			sb_putc(b, '\\');
			sb_putc(b, *s);
			break;
		default: sb_putc(b, *s);
		}
	}
}

/* Log text as Markdown prose or a table cell. */
static void md_text(const struct md_out *m, const char *s, size_t max)
{
	char *c = clean_text(s ? s : "", max);
	struct strbuf b = {0};
	sb_puts(&b, "");
	md_escape_into(&b, c);
	fputs(b.p, m->out);
	sb_free(&b);
	free(c);
}

/* Log text that starts a line of prose: as md_text(), without leading
 * blanks, and with a first character that Markdown would read as a
 * heading, list item or rule escaped. */
static void md_line_text(const struct md_out *m, const char *s)
{
	char *c = clean_text(s ? s : "", 0);
	const char *p = c + strspn(c, " ");
	size_t digits = strspn(p, "0123456789");
	struct strbuf b = {0};
	sb_puts(&b, "");
	if (*p == '#' || *p == '-' || *p == '+' || *p == '=') {
		sb_putc(&b, '\\');
	} else if (digits && (p[digits] == '.' || p[digits] == ')')) {
		sb_append(&b, p, digits);
		sb_putc(&b, '\\');
		p += digits;
	}
	md_escape_into(&b, p);
	fputs(b.p, m->out);
	sb_free(&b);
	free(c);
}

static size_t longest_backtick_run(const char *s)
{
	size_t best = 0, run = 0;
	for (; *s; s++) {
		run = *s == '`' ? run + 1 : 0;
		if (run > best)
			best = run;
	}
	return best;
}

static void put_ticks(FILE *out, size_t n)
{
	for (size_t i = 0; i < n; i++)
		fputc('`', out);
}

/* Cleaned text as a code span, whatever backticks it holds. */
static void md_code_span(const struct md_out *m, const char *s)
{
	size_t ticks = longest_backtick_run(s) + 1;
	size_t n = strlen(s);
	bool pad = n && (s[0] == '`' || s[0] == ' ' || s[n - 1] == '`' ||
			 s[n - 1] == ' ');
	put_ticks(m->out, ticks);
	fputs(pad ? " " : "", m->out);
	fputs(s, m->out);
	fputs(pad ? " " : "", m->out);
	put_ticks(m->out, ticks);
}

/* `path:line` for a log line. */
static void md_where(const struct md_out *m, uint32_t file, uint64_t line)
{
	char *path = clean_text(input_path(m->r, file), NAME_CHARS);
	struct strbuf b = {0};
	sb_printf(&b, "%s:%llu", path, (unsigned long long)line);
	md_code_span(m, b.p);
	sb_free(&b);
	free(path);
}

/* A fenced code block around cleaned text. */
static void md_fence(const struct md_out *m, const char *body)
{
	size_t ticks = longest_backtick_run(body) + 1;
	if (ticks < 3)
		ticks = 3;
	put_ticks(m->out, ticks);
	fputc('\n', m->out);
	fputs(body, m->out);
	put_ticks(m->out, ticks);
	fputs("\n\n", m->out);
}

static void md_peer(const struct md_out *m, const char *peer)
{
	if (peer)
		md_text(m, peer, NAME_CHARS);
	else
		fputs("*not named in the log*", m->out);
}

static void md_time(const struct md_out *m, int64_t ms)
{
	char buf[40];
	ms_to_civil(ms, buf, sizeof buf);
	fprintf(m->out, "%.19s", buf);
}

/* ---- summary and table ------------------------------------------------- */

#define NODES_LISTED 5

/* The distinct nodes, up to NODES_LISTED of them by name. */
static void md_node_list(const struct md_out *m)
{
	const struct report *r = m->r;
	size_t total = r->n_inputs + r->n_handshakes + 1, n = 0;
	const char **v = xcalloc(total, sizeof *v);
	for (size_t i = 0; i < total; i++) {
		const char *node = i == 0 ? r->node
				   : i <= r->n_inputs
					   ? input_node(r, &r->inputs[i - 1])
					   : handshake_node(r, &r->handshakes[i - 1 - r->n_inputs]);
		bool seen = !node;
		for (size_t k = 0; k < n && !seen; k++)
			seen = !strcmp(v[k], node);
		if (!seen)
			v[n++] = node;
	}
	fprintf(m->out, "%s ", n == 1 ? "node" : "nodes");
	for (size_t k = 0; k < n && k < NODES_LISTED; k++) {
		fputs(k ? ", " : "", m->out);
		md_text(m, v[k], NAME_CHARS);
	}
	if (n > NODES_LISTED)
		fprintf(m->out, " and %zu more", n - NODES_LISTED);
	free(v);
}

/* One line on where the report comes from: the version, the node(s), the
 * time window and whether names were redacted. */
static void md_about(const struct md_out *m)
{
	const struct report *r = m->r;
	fputs("*sslsift " PACKAGE_VERSION, m->out);
	if (m->n_nodes) {
		fputs(" \xC2\xB7 ", m->out);
		md_node_list(m);
	}
	if (r->since != TS_NONE || r->until != TS_NONE) {
		fputs(" \xC2\xB7 handshakes that started ", m->out);
		if (r->since != TS_NONE) {
			fputs(r->until != TS_NONE ? "between " : "at or after ",
			      m->out);
			md_time(m, r->since);
		}
		if (r->until != TS_NONE) {
			fputs(r->since != TS_NONE ? " and " : "at or before ",
			      m->out);
			md_time(m, r->until);
		}
	}
	if (r->redacted)
		fputs(" \xC2\xB7 host names, IP addresses and certificate "
		      "serials redacted", m->out);
	fputs("*\n\n", m->out);
}

/* The first sentence of a title, for the summary. */
static char *first_sentence(const char *title)
{
	const char *end = strstr(title, ". ");
	return end ? xmemdup0(title, (size_t)(end - title + 1)) : xstrdup(title);
}

static const struct handshake *first_of(const struct hs_groups *g,
					const struct report *r,
					enum diag_code code)
{
	for (size_t i = 0; i < g->n; i++)
		if (g->v[i].code == code)
			return &r->handshakes[g->v[i].first];
	return NULL;
}

/* The code of the first (weightiest) group of a severity. */
static enum diag_code first_code_of(const struct hs_groups *g,
				    enum severity sev)
{
	for (size_t i = 0; i < g->n; i++)
		if (g->v[i].severity == sev)
			return g->v[i].code;
	return DIAG_OK;
}

static void summary_failed(const struct md_out *m, const struct hs_groups *g,
			   const struct report_counts *c)
{
	fprintf(m->out, "**%zu %s failed", c->failed,
		plural(c->failed, "handshake", "handshakes"));
	if (c->failed_peers)
		fprintf(m->out, " against %zu %s", c->failed_peers,
			plural(c->failed_peers, "endpoint", "endpoints"));
	fprintf(m->out, "; main cause: `%s`**",
		diag_info(c->main_cause)->code);
	const struct handshake *h = first_of(g, m->r, c->main_cause);
	char *title = fill_template(diag_info(c->main_cause)->title, h);
	char *first = first_sentence(title);
	fputs(" \xE2\x80\x94 ", m->out);
	md_text(m, first, 0);
	free(first);
	free(title);
	if (c->failed_unnamed)
		fprintf(m->out, " %zu failed %s did not name the endpoint.",
			c->failed_unnamed,
			plural(c->failed_unnamed, "handshake", "handshakes"));
}

static size_t input_errors(const struct report *r)
{
	size_t n = 0;
	for (size_t i = 0; i < r->n_inputs; i++)
		n += r->inputs[i].error != NULL;
	return n;
}

static void md_summary(const struct md_out *m, const struct hs_groups *g,
		       const struct report_counts *c)
{
	const struct report *r = m->r;
	if (c->failed)
		summary_failed(m, g, c);
	else if (r->n_handshakes == 0)
		fputs("No TLS handshake and no handshake failure found in the "
		      "inputs.",
		      m->out);
	else
		fputs("**No handshake failed.**", m->out);
	if (c->at_risk)
		fprintf(m->out, " %zu %s succeeded but %s at risk (`%s`).",
			c->at_risk, plural(c->at_risk, "handshake", "handshakes"),
			plural(c->at_risk, "is", "are"),
			diag_info(first_code_of(g, SEV_WARNING))->code);
	if (c->ok > c->cut)
		fprintf(m->out, " %zu %s succeeded with nothing at risk.",
			c->ok - c->cut,
			plural(c->ok - c->cut, "handshake", "handshakes"));
	if (c->cut)
		fprintf(m->out, " %zu %s cut off by the end of the log before "
			"%s finished.", c->cut,
			plural(c->cut, "handshake was", "handshakes were"),
			plural(c->cut, "it", "they"));
	fprintf(m->out, " Read %zu %s, %llu %s", r->n_inputs,
		plural(r->n_inputs, "file", "files"),
		(unsigned long long)c->lines, plural(c->lines, "line", "lines"));
	size_t errors = input_errors(r);
	if (errors)
		fprintf(m->out, "; %zu could not be read", errors);
	fputs(".", m->out);
	if (r->handshakes_omitted)
		fprintf(m->out, " Details are kept for %zu handshakes; %zu more "
			"are counted in the table only.", r->n_handshakes,
			r->handshakes_omitted);
	fputs("\n\n", m->out);
}

static void md_cell_time(const struct md_out *m, int64_t ms)
{
	fputs(" | ", m->out);
	if (ms == TS_NONE)
		fputs("\xE2\x80\x94", m->out);
	else
		md_time(m, ms);
}

/* The nodes of a group, in a table cell or after "node". */
static void md_group_nodes(const struct md_out *m, const struct hs_group *g)
{
	const char *first;
	size_t n = group_nodes(m->r, g, &first);
	if (n == 1)
		md_text(m, first, NAME_CHARS);
	else if (n > 1)
		fprintf(m->out, "%zu nodes", n);
	else
		fputs("\xE2\x80\x94", m->out);
}

static void md_table(const struct md_out *m, const struct hs_groups *g)
{
	if (!g->n)
		return;
	bool nodes = m->n_nodes > 1;
	fprintf(m->out, "| Severity | Diagnosis | Peer | Handshakes | First seen "
			"| Last seen |%s\n|---|---|---|---:|---|---|%s\n",
		nodes ? " Nodes |" : "", nodes ? "---|" : "");
	for (size_t i = 0; i < g->n; i++) {
		const struct hs_group *grp = &g->v[i];
		fprintf(m->out, "| %s | `%s` | ", severity_name(grp->severity),
			diag_info(grp->code)->code);
		md_peer(m, grp->peer);
		fprintf(m->out, " | %zu", grp->count);
		md_cell_time(m, grp->ts_first);
		md_cell_time(m, grp->ts_last);
		if (nodes) {
			fputs(" | ", m->out);
			md_group_nodes(m, grp);
		}
		fputs(" |\n", m->out);
	}
	fputc('\n', m->out);
}

/* ---- one section per failing (diagnosis, peer) ------------------------ */

/* Where and when the group was first seen (logs are read in name order:
 * wrapper.log, the newest, before wrapper.log.1), and last. */
static void section_meta(const struct md_out *m, const struct hs_group *g)
{
	const struct handshake *h = &m->r->handshakes[g->earliest];
	fprintf(m->out, "**%s** \xC2\xB7 %zu %s \xC2\xB7 %s ",
		severity_name(g->severity), g->count,
		plural(g->count, "handshake", "handshakes"),
		g->count > 1 ? "first seen" : "seen");
	md_where(m, h->file, h->line);
	if (h->ts_start != TS_NONE) {
		fputs(" at ", m->out);
		md_time(m, h->ts_start);
	}
	if (h->thread) {
		fputs(", thread ", m->out);
		md_text(m, h->thread, NAME_CHARS);
	}
	if (h->tls_version) {
		fputs(", ", m->out);
		md_text(m, h->tls_version, NAME_CHARS);
	}
	if (g->count > 1 && g->ts_last != TS_NONE &&
	    g->ts_last / 1000 != h->ts_start / 1000) {
		fputs(" \xC2\xB7 last seen ", m->out);
		md_time(m, g->ts_last);
	}
	if (m->n_nodes > 1) {
		fputs(" \xC2\xB7 on ", m->out);
		md_group_nodes(m, g);
	}
	fputs("\n\n", m->out);
}

static const char *sender(const struct handshake *h)
{
	if (h->role == ROLE_CLIENT)
		return "the server";
	if (h->role == ROLE_SERVER)
		return "the client";
	return "the peer";
}

static void section_chain(const struct md_out *m, const struct handshake *h)
{
	size_t n = handshake_cert_total(h);
	if (h->peer_certs_state == CERTS_NOT_CAPTURED) {
		fprintf(m->out, "The peer's certificates are not in the log (%s).\n\n",
			certs_absent_reason(h));
		return;
	}
	if (n == 0 && h->peer_certs_state == CERTS_CAPTURED) {
		fprintf(m->out, "%s sent an empty Certificate message.\n\n",
			h->role == ROLE_SERVER   ? "The client"
			: h->role == ROLE_CLIENT ? "The server"
						 : "The peer");
		return;
	}
	fprintf(m->out, "Chain as sent by %s (%zu %s%s):\n\n", sender(h), n,
		plural(n, "certificate", "certificates"),
		h->peer_certs_state == CERTS_CUT
			? " before the log ends inside the message"
			: "");
	char *body = chain_picture(h, CERTS_SHOWN, NAME_CHARS);
	md_fence(m, body);
	free(body);
}

/* What the log says beyond the chain, as a list. */
static void section_facts(const struct md_out *m, const struct handshake *h)
{
	struct fact f[MAX_FACTS];
	size_t n = handshake_facts(h, f, MAX_FACTS);
	for (size_t i = 0; i < n; i++) {
		fprintf(m->out, "- **%s:** ", f[i].label);
		md_text(m, f[i].value, 0);
		fputc('\n', m->out);
	}
	if (n)
		fputc('\n', m->out);
	facts_free(f, n);
}

/* Evidence rows: "- file:line text". */
static void md_ev_lines(const struct md_out *m, const struct ev_line *ev,
			size_t n)
{
	for (size_t i = 0; i < n; i++) {
		fputs("- ", m->out);
		md_where(m, ev[i].file, ev[i].line);
		if (ev[i].text && *ev[i].text) {
			fputc(' ', m->out);
			md_text(m, ev[i].text, EVIDENCE_CHARS);
		}
		fputc('\n', m->out);
	}
}

static void section_evidence(const struct md_out *m, const struct handshake *h)
{
	struct ev_line ev[EVIDENCE_SHOWN];
	size_t n = handshake_ev_lines(m->r, h, ev, EVIDENCE_SHOWN);
	if (!n)
		return;
	fputs("Evidence:\n\n", m->out);
	md_ev_lines(m, ev, n);
	fputc('\n', m->out);
}

/* Application errors on the thread of a handshake that finished: no TLS
 * failure, but not to be hidden either. */
static void md_ok_symptoms(const struct md_out *m)
{
	struct ev_line ev[EVIDENCE_SHOWN];
	size_t n = ok_symptom_lines(m->r, ev, EVIDENCE_SHOWN);
	if (!n)
		return;
	fputs("### Application errors after a handshake that finished\n\n"
	      "Not TLS failures: the handshake on the line's thread "
	      "finished.\n\n", m->out);
	md_ev_lines(m, ev, n < EVIDENCE_SHOWN ? n : EVIDENCE_SHOWN);
	if (n > EVIDENCE_SHOWN)
		fprintf(m->out, "- ... and %zu more\n", n - EVIDENCE_SHOWN);
	fputc('\n', m->out);
}

static int md_step(void *ctx, size_t index, const char *line, size_t len)
{
	const struct md_out *m = ctx;
	char *s = xmemdup0(line, len);
	fprintf(m->out, "%zu. ", index + 1);
	md_line_text(m, s);
	fputc('\n', m->out);
	free(s);
	return 0;
}

static void section_steps(const struct md_out *m, enum diag_code code,
			  const struct handshake *h)
{
	fputs("Who acts: ", m->out);
	md_text(m, diag_info(code)->who, 0);
	fputs(".\n\n", m->out);
	char *steps = diag_advice(code, h);
	if (steps && *steps) {
		fputs("Next steps:\n\n", m->out);
		for_each_line(steps, md_step, (void *)m);
		fputc('\n', m->out);
	}
	free(steps);
}

static void md_section(const struct md_out *m, const struct hs_group *g)
{
	const struct handshake *h = &m->r->handshakes[g->first];
	fprintf(m->out, "### `%s` \xE2\x80\x94 ", diag_info(g->code)->code);
	md_peer(m, g->peer);
	fputs("\n\n", m->out);
	section_meta(m, g);
	char *title = fill_template(diag_info(g->code)->title, h);
	md_line_text(m, title);
	fputs("\n\n", m->out);
	free(title);
	section_facts(m, h);
	section_chain(m, h);
	section_evidence(m, h);
	section_steps(m, g->code, h);
}

/* ---- inputs ------------------------------------------------------------ */

static void md_inputs(const struct md_out *m)
{
	const struct report *r = m->r;
	bool any = false;
	for (size_t i = 0; i < r->n_inputs; i++) {
		const struct input *in = &r->inputs[i];
		if (!in->error && !in->long_lines)
			continue;
		if (!any)
			fputs("### Input problems\n\n", m->out);
		any = true;
		char *path = clean_text(in->path, NAME_CHARS);
		fputs("- ", m->out);
		md_code_span(m, path);
		free(path);
		if (in->error) {
			fputs(": could not be read: ", m->out);
			md_text(m, in->error, EVIDENCE_CHARS);
		}
		if (in->long_lines)
			fprintf(m->out, "%s %llu overlong %s cut",
				in->error ? ";" : ":",
				(unsigned long long)in->long_lines,
				plural(in->long_lines, "line was", "lines were"));
		fputc('\n', m->out);
	}
	if (any)
		fputc('\n', m->out);
}

int render_markdown(const struct report *r, const struct render_opts *o,
		    FILE *out)
{
	(void)o; /* colour is for terminals only */
	struct md_out m = {r, out, report_node_count(r)};
	struct hs_groups g;
	struct report_counts c;
	groups_build(r, &g);
	report_counts(r, &g, &c);
	fputs("## sslsift report\n\n", out);
	md_about(&m);
	md_summary(&m, &g, &c);
	md_table(&m, &g);
	for (size_t i = 0; i < g.n; i++)
		if (g.v[i].code != DIAG_OK)
			md_section(&m, &g.v[i]);
	md_ok_symptoms(&m);
	md_inputs(&m);
	groups_free(&g);
	return render_finish(out);
}
