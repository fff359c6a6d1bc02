/* assemble_auth.c - client authentication, as the assembler reads it (see
 * assemble_int.h): the server's CertificateRequest and the CAs it names
 * (JDK 11+ TLS 1.2 one-line list, TLS 1.3 one DN a line, classic
 * "Cert Authorities:" <DN> lines), the local side's own Certificate
 * message (sent, empty, its first subject), the key store entries the key
 * manager logged ("found key for : alias"), and the subject alternative
 * names of the peer's certificates. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "assemble_int.h"
#include "util.h"

#define MAX_AUTHORITIES 64
#define MAX_KEY_ENTRIES 32

/* ---- CertificateRequest and its CA list --------------------------------- */

void on_cert_request(struct assembler *a, struct ctx *c,
		     const struct pattern_hit *hit)
{
	struct handshake *h = cur(a, c);
	bool produced = slice_eq(hit->cap[CAP_value], "Produced");
	if (h->role == ROLE_UNKNOWN)
		h->role = produced ? ROLE_SERVER : ROLE_CLIENT;
	h->d.cert_requested = true;
	strlist_free(&h->d.authorities);
	evidence(a, h, c);
	a->s.ca_hs = a->threads[c->thread].hs;
	a->s.cert_request_rec = c->header;
	/* what the local key manager had to choose from, if it said */
	if (h->role == ROLE_CLIENT && !h->d.key_store.n) {
		for (size_t i = 0; i < a->s.key_store.n; i++)
			strlist_add(&h->d.key_store, a->s.key_store.v[i],
				    strlen(a->s.key_store.v[i]), MAX_KEY_ENTRIES);
	}
}

static void add_authority(struct assembler *a, struct slice dn)
{
	struct handshake *h = hs_at(a, a->s.ca_hs);
	dn = slice_trim(dn);
	while (dn.n && dn.p[dn.n - 1] == ',')
		dn = slice_trim(slice_make(dn.p, dn.n - 1));
	if (h && dn.n)
		strlist_add(&h->d.authorities, dn.p, dn.n, MAX_AUTHORITIES);
}

/* The attribute type of an RDN ("CN" of "CN=x"); empty if none. */
static struct slice rdn_type(struct slice rdn)
{
	const char *eq = memchr(rdn.p, '=', rdn.n);
	return eq ? slice_make(rdn.p, (size_t)(eq - rdn.p)) : SLICE_NULL;
}

static bool same_type(struct slice x, struct slice y)
{
	return x.n && x.n == y.n && memcmp(x.p, y.p, x.n) == 0;
}

/* Where the RDN starting at p ends: at ", " outside double quotes. */
static const char *rdn_end(const char *p, const char *end)
{
	bool quoted = false;
	for (; p < end; p++) {
		if (*p == '"')
			quoted = !quoted;
		else if (!quoted && *p == ',' && p + 1 < end && p[1] == ' ')
			return p;
	}
	return end;
}

/* "CN=A, O=X, CN=B, O=Y" is List.toString() of two DNs whose own RDNs are
 * joined the same way: it cannot be split for sure.  A DN seldom repeats
 * the type it starts with, so a new DN starts at the next RDN of that
 * type (FORMATS.md 2.6). */
static void split_dn_list(struct assembler *a, struct slice list)
{
	const char *p = list.p, *end = list.p + list.n, *dn = p;
	struct slice first = SLICE_NULL;
	while (p < end) {
		const char *e = rdn_end(p, end);
		struct slice type = rdn_type(slice_make(p, (size_t)(e - p)));
		if (!first.n) {
			first = type;
		} else if (same_type(type, first)) {
			add_authority(a, slice_make(dn, (size_t)(p - 2 - dn)));
			dn = p;
		}
		p = e < end ? e + 2 : end;
	}
	add_authority(a, slice_make(dn, (size_t)(end - dn)));
}

/* "certificate authorities": [CN=a, O=b] (TLS 1.2, one line) or
 * "certificate authorities": [ with one DN a line below (TLS 1.3). */
void on_cert_authorities(struct assembler *a, struct ctx *c,
			 const struct pattern_hit *hit)
{
	if (!a->s.cert_request_rec || a->s.ca_hs < 0)
		return;
	struct slice line = slice_trim(c->env->msg);
	if (slice_ends(line, "[")) {
		a->s.ca_list = CA_LIST_TLS13;
		return;
	}
	struct slice v = slice_trim(hit->cap[CAP_value]);
	if (v.n)
		split_dn_list(a, v);
}

/* classic "Cert Authorities:", then <DN> lines (or <Empty>) */
void on_classic_cert_authorities(struct assembler *a, struct ctx *c,
				 const struct pattern_hit *hit)
{
	if (!a->s.classic_cert_request || a->s.ca_hs < 0)
		return;
	a->s.ca_list = CA_LIST_CLASSIC;
}

static bool ca_list_line(struct assembler *a, struct slice m)
{
	if (a->s.ca_list == CA_LIST_CLASSIC) {
		if (m.n < 2 || m.p[0] != '<' || m.p[m.n - 1] != '>') {
			a->s.ca_list = CA_LIST_NONE;
			return false;     /* "*** ServerHelloDone" and the like */
		}
		struct slice dn = slice_make(m.p + 1, m.n - 2);
		if (!slice_eq(dn, "Empty"))
			add_authority(a, dn);
		return true;
	}
	if (m.n && (m.p[0] == ']' || m.p[0] == '}')) {
		a->s.ca_list = CA_LIST_NONE;
		return true;
	}
	if (slice_ends(m, "]")) {
		m.n--;
		a->s.ca_list = CA_LIST_NONE;
	}
	add_authority(a, m);
	return true;
}

bool auth_raw_line(struct assembler *a, struct ctx *c)
{
	struct slice m = slice_trim(c->env->msg);
	if (a->s.ca_list != CA_LIST_NONE)
		return ca_list_line(a, m);
	if (a->s.in_san && slice_eq(m, "]"))
		a->s.in_san = false;
	return false;
}

/* ---- our own Certificate message --------------------------------------- */

/* "Produced client Certificate handshake message" (JDK 11+; value says
 * whose) or a classic "*** Certificate chain" that is ours (no value). */
void on_own_cert_msg(struct assembler *a, struct ctx *c,
		     const struct pattern_hit *hit)
{
	struct slice whose = hit->cap[CAP_value];
	if (whose.n && !slice_eq(whose, "client")) {
		capture_begin(a, -1, CAPTURE_OTHER);  /* our server chain */
		return;
	}
	struct handshake *h = cur(a, c);
	if (h->role == ROLE_UNKNOWN)
		h->role = ROLE_CLIENT;
	h->d.own_cert = OWN_CERT_EMPTY;        /* until a certificate shows */
	h->d.n_own_certs = 0;
	free(h->d.own_subject);
	free(h->d.own_issuer);
	h->d.own_subject = h->d.own_issuer = NULL;
	evidence(a, h, c);
	capture_begin(a, a->threads[c->thread].hs, CAPTURE_OWN);
}

/* ---- key store entries -------------------------------------------------- */

static void key_pending_free(struct stream *s)
{
	free(s->key_alias);
	free(s->key_subject);
	free(s->key_issuer);
	s->key_alias = s->key_subject = s->key_issuer = NULL;
}

/* "found key for : alias": the key manager's entries, logged when the
 * SSLContext starts (JDK 11+ with "keymanager", classic always). */
void on_key_entry(struct assembler *a, struct ctx *c,
		  const struct pattern_hit *hit)
{
	capture_begin(a, -1, CAPTURE_KEYSTORE);
	key_pending_free(&a->s);
	a->s.key_alias = field_dup(slice_trim(hit->cap[CAP_value]));
	/* classic: the chain below runs to the next "***" */
	if (!c->header)
		a->s.classic_block = true;
}

void auth_capture_end(struct assembler *a)
{
	struct stream *s = &a->s;
	if (s->capture != CAPTURE_KEYSTORE || !s->key_alias)
		return;
	struct strbuf b = {0};
	sb_puts(&b, s->key_alias);
	if (s->key_subject)
		sb_printf(&b, ": %s", s->key_subject);
	if (s->key_issuer)
		sb_printf(&b, " (issued by %s)", s->key_issuer);
	strlist_add(&s->key_store, b.p, b.n, MAX_KEY_ENTRIES);
	sb_free(&b);
	key_pending_free(s);
}

/* ---- certificate fields of our chain and of key store entries ----------- */

static void first_field(char **dst, bool first, struct slice v)
{
	if (first && !*dst && v.n)
		*dst = field_dup(v);
}

bool auth_cert_field(struct assembler *a, enum ss_event ev,
		     const struct pattern_hit *hit)
{
	struct stream *s = &a->s;
	struct slice v = hit->cap[CAP_value];
	if (s->capture == CAPTURE_OWN) {
		struct handshake *h = hs_at(a, s->capture_hs);
		if (!h)
			return true;
		if (ev == EV_CERT_ENTRY) {
			h->d.n_own_certs++;
			h->d.own_cert = OWN_CERT_SENT;
		}
		bool first = h->d.n_own_certs <= 1;
		if (ev == EV_CERT_SUBJECT)
			first_field(&h->d.own_subject, first, v);
		if (ev == EV_CERT_ISSUER)
			first_field(&h->d.own_issuer, first, v);
		return true;
	}
	if (s->capture == CAPTURE_KEYSTORE) {
		/* the entry's chain: only its first certificate is kept */
		bool first = !s->key_subject || !s->key_issuer;
		if (ev == EV_CERT_SUBJECT)
			first_field(&s->key_subject, first, v);
		if (ev == EV_CERT_ISSUER)
			first_field(&s->key_issuer, first, v);
		return true;
	}
	return false;
}

/* ---- subject alternative names of the peer's certificates --------------- */

void on_san_begin(struct assembler *a, struct ctx *c,
		  const struct pattern_hit *hit)
{
	a->s.in_san = a->s.capture == CAPTURE_PEER;
}

void on_san_name(struct assembler *a, struct ctx *c,
		 const struct pattern_hit *hit)
{
	struct stream *s = &a->s;
	struct handshake *h = hs_at(a, s->capture_hs);
	if (!s->in_san || s->capture != CAPTURE_PEER || !h ||
	    !h->n_peer_certs || h->peer_certs_omitted)
		return;
	struct slice v = slice_trim(hit->cap[CAP_value]);
	if (v.n)
		cert_add_name(&h->peer_certs[h->n_peer_certs - 1], v.p, v.n);
}

void auth_reset(struct stream *s)
{
	key_pending_free(s);
	strlist_free(&s->key_store);
}
