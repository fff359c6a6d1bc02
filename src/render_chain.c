/* render_chain.c - the certificate chain a peer sent, as a picture in
 * text: the path from the leaf up through each certificate's issuer, an
 * arrow per step, the certificate that should have come next but was not
 * sent (or has no trust anchor) marked with a cross:
 *
 *     [0] CN=api.example.com, O=Example
 *         valid 2026-11-22 .. 2027-12-24
 *      └─▶ ✗ CN=Example Issuing CA 1, O=Example
 *            missing: the intermediate the server should send
 *
 * Certificates sent out of issuing order are shown where the path needs
 * them and say so; those not on the path at all are listed after it.
 * Every name is cleaned (clean_text) for a terminal or a code block. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "render_util.h"
#include "util.h"

#define ARROW " \xE2\x94\x94\xE2\x94\x80\xE2\x96\xB6 "   /* " └─▶ " */
#define CROSS "\xE2\x9C\x97 "                               /* "✗ " */
#define STEP 5                                             /* columns */

struct picture {
	struct strbuf b;
	const struct handshake *h;
	size_t shown;            /* certificates kept and shown */
	size_t name_chars;
	bool *on_path;
};

static void pad(struct strbuf *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		sb_putc(b, ' ');
}

static void put_name(struct picture *p, const char *s, const char *none)
{
	char *c = clean_text(s ? s : none, p->name_chars);
	sb_puts(&p->b, c);
	free(c);
}

/* The start of the line of a node at depth d. */
static void node_prefix(struct picture *p, size_t depth)
{
	if (depth == 0)
		return;
	pad(&p->b, STEP * (depth - 1));
	sb_puts(&p->b, ARROW);
}

static void put_validity(struct picture *p, const struct cert *c,
			 size_t depth)
{
	if (!c->not_before && !c->not_after)
		return;
	const char *nb = c->not_before ? c->not_before : "?";
	const char *na = c->not_after ? c->not_after : "?";
	char *b = xmemdup0(nb, date_prefix_len(nb));
	char *a = xmemdup0(na, date_prefix_len(na));
	pad(&p->b, STEP * depth + 4);
	sb_puts(&p->b, "valid ");
	put_name(p, b, "?");
	sb_puts(&p->b, " .. ");
	put_name(p, a, "?");
	sb_putc(&p->b, '\n');
	free(b);
	free(a);
}

/* Diagnoses that blame the issuer missing at the end of the path. */
static bool blames_missing(enum diag_code d)
{
	return d == DIAG_LEAF_ONLY_CHAIN || d == DIAG_LEAF_ONLY_CHAIN_TOLERATED ||
	       d == DIAG_UNTRUSTED_ROOT || d == DIAG_CLIENT_CHAIN_INCOMPLETE ||
	       d == DIAG_CHAIN_OUT_OF_ORDER;
}

/* Diagnoses that blame a self-signed certificate at the end of it. */
static bool blames_root(enum diag_code d)
{
	return d == DIAG_UNTRUSTED_ROOT || d == DIAG_SELF_SIGNED_UNTRUSTED;
}

static void put_cert(struct picture *p, size_t i, size_t depth, size_t prev)
{
	const struct cert *c = &p->h->peer_certs[i];
	node_prefix(p, depth);
	sb_printf(&p->b, "[%zu] ", i);
	put_name(p, c->subject, "(no subject)");
	if (cert_self_signed(c))
		sb_puts(&p->b, "  (self-signed)");
	if (depth > 0 && i != prev + 1)
		sb_puts(&p->b, "  (sent out of order)");
	sb_putc(&p->b, '\n');
	put_validity(p, c, depth);
}

/* The end of the path: a self-signed root, or the issuer nobody sent. */
static void put_end(struct picture *p, const struct cert *last, size_t depth)
{
	const struct handshake *h = p->h;
	if (cert_self_signed(last)) {
		if (blames_root(h->diagnosis)) {
			pad(&p->b, STEP * depth + 4);
			sb_puts(&p->b, CROSS "not trusted: no trust anchor for it "
					     "in the local trust store\n");
		}
		return;
	}
	node_prefix(p, depth + 1);
	bool marked = h->peer_certs_state == CERTS_CAPTURED &&
		      blames_missing(h->diagnosis) &&
		      dn_equal(h->missing_issuer, last->issuer);
	if (marked)
		sb_puts(&p->b, CROSS);
	put_name(p, last->issuer, "(no issuer)");
	sb_putc(&p->b, '\n');
	pad(&p->b, STEP * (depth + 1) + (marked ? 2 : 0));
	if (h->peer_certs_state == CERTS_CUT)
		sb_puts(&p->b, "not seen: the log ends inside the Certificate "
			       "message\n");
	else if (marked)
		sb_printf(&p->b, "%s: %s\n", missing_issuer_label(h),
			  missing_issuer_note(h));
	else
		sb_puts(&p->b, "not sent\n");
}

/* The next certificate on the path: the one whose subject is the issuer
 * of cert i, not yet on the path; -1 if none was sent. */
static long issuer_of(const struct picture *p, size_t i)
{
	const char *issuer = p->h->peer_certs[i].issuer;
	if (i + 1 < p->shown && !p->on_path[i + 1] &&
	    dn_equal(p->h->peer_certs[i + 1].subject, issuer))
		return (long)(i + 1);
	for (size_t k = 0; k < p->shown; k++)
		if (!p->on_path[k] && dn_equal(p->h->peer_certs[k].subject, issuer))
			return (long)k;
	return -1;
}

static void put_path(struct picture *p)
{
	size_t i = 0, depth = 0;
	p->on_path[0] = true;
	put_cert(p, 0, 0, 0);
	for (;;) {
		const struct cert *c = &p->h->peer_certs[i];
		long next = cert_self_signed(c) ? -1 : issuer_of(p, i);
		if (next < 0) {
			put_end(p, c, depth);
			return;
		}
		p->on_path[next] = true;
		put_cert(p, (size_t)next, ++depth, i);
		i = (size_t)next;
	}
}

static void put_off_path(struct picture *p)
{
	bool first = true;
	for (size_t k = 0; k < p->shown; k++) {
		if (p->on_path[k])
			continue;
		if (first)
			sb_puts(&p->b, "also sent, not on the path:\n");
		first = false;
		sb_printf(&p->b, "[%zu] ", k);
		put_name(p, p->h->peer_certs[k].subject, "(no subject)");
		sb_puts(&p->b, "\n    issued by ");
		put_name(p, p->h->peer_certs[k].issuer, "(no issuer)");
		sb_putc(&p->b, '\n');
	}
}

char *chain_picture(const struct handshake *h, size_t max_certs,
		    size_t name_chars)
{
	struct picture p = {.h = h, .name_chars = name_chars};
	p.shown = handshake_certs_shown(h, max_certs);
	sb_puts(&p.b, "");
	if (p.shown == 0)
		return sb_take(&p.b);
	p.on_path = xcalloc(p.shown, sizeof *p.on_path);
	put_path(&p);
	put_off_path(&p);
	size_t total = handshake_cert_total(h);
	if (total > p.shown)
		sb_printf(&p.b, "... %zu more not shown\n", total - p.shown);
	free(p.on_path);
	return sb_take(&p.b);
}
