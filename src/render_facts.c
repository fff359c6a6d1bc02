/* render_facts.c - what a careful reader of the log says about one
 * handshake besides its chain (see render_util.h): how it went (side,
 * peer, version, suite, SNI, duration), who raised the alert, the client
 * certificate asked for and sent, the name that was checked against which
 * names, the expired certificate, both sides' versions, doubts about the
 * assembly, and what debug level would show more.  The text and Markdown
 * renderers print the same facts; the JSON renderer uses the accessors. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "render_util.h"
#include "util.h"

const char *handshake_alert_by(const struct handshake *h)
{
	if (!h->d.alert)
		return NULL;
	return h->d.alert_by_peer ? "peer" : "local";
}

const char *handshake_name_called(const struct handshake *h)
{
	if (h->d.name_checked)
		return h->d.name_checked;
	if (h->diagnosis != DIAG_HOSTNAME_MISMATCH)
		return NULL;
	return h->sni ? h->sni : h->peer_host;
}

/* Whether the client sent a certificate: ours on a client, the peer's on
 * a server. */
const char *client_cert_status(const struct handshake *h)
{
	if (h->role == ROLE_SERVER) {
		if (h->peer_certs_state != CERTS_CAPTURED)
			return NULL;
		return h->n_peer_certs ? "sent" : "empty";
	}
	switch (h->d.own_cert) {
	case OWN_CERT_SENT: return "sent";
	case OWN_CERT_EMPTY: return "empty";
	default: return NULL;
	}
}

const char *client_cert_subject(const struct handshake *h)
{
	if (h->role == ROLE_SERVER)
		return h->peer_certs_state == CERTS_CAPTURED && h->n_peer_certs
			       ? h->peer_certs[0].subject
			       : NULL;
	return h->d.own_cert == OWN_CERT_SENT ? h->d.own_subject : NULL;
}

int64_t handshake_duration_ms(const struct handshake *h)
{
	/* application lines alone do not time a handshake */
	if (!h->d.debug_seen || h->ts_start == TS_NONE || h->ts_end == TS_NONE ||
	    h->ts_end < h->ts_start)
		return -1;
	return h->ts_end - h->ts_start;
}

const char *debug_level_name(enum debug_level l)
{
	static const char *const names[] = {
		[DEBUG_NONE] = "none",
		[DEBUG_ALERTS] = "alerts",
		[DEBUG_HANDSHAKE] = "handshake",
	};
	return (unsigned)l < SS_ARRAY_LEN(names) ? names[l] : "none";
}

const char *certs_absent_reason(const struct handshake *h)
{
	if (h->d.before_hello)
		return "the handshake failed before any message was sent";
	if (h->d.bodies_dropped)
		return "the debug output logged the Certificate message without "
		       "its contents";
	if (h->d.messages_seen && h->outcome == OUTCOME_FAILED)
		return "the handshake ended before the peer's Certificate message";
	if (h->d.messages_seen)
		return "no Certificate message from the peer in the log";
	if (h->d.debug_seen && h->d.classic)
		return "the log holds only the end of this handshake";
	if (h->d.debug_seen)
		return "the debug level shows no handshake messages";
	return "no JSSE debug output for this handshake";
}

void leaf_names(const struct handshake *h, struct strbuf *b)
{
	const struct cert *leaf = h->n_peer_certs ? &h->peer_certs[0] : NULL;
	for (size_t i = 0; leaf && i < leaf->n_names; i++)
		sb_printf(b, "%s%s", i ? ", " : "", leaf->names[i]);
	if (leaf && !leaf->n_names && leaf->subject)
		sb_printf(b, "no subject alternative names; subject %s",
			  leaf->subject);
}

/* ---- the facts ---------------------------------------------------------- */

struct facts {
	struct fact *v;
	size_t n, max;
};

static void add(struct facts *f, const char *label, struct strbuf *b)
{
	if (f->n < f->max && b->n) {
		f->v[f->n].label = label;
		f->v[f->n].value = sb_take(b);
		f->n++;
	}
	sb_free(b);
}

static void fact_handshake(struct facts *f, const struct handshake *h)
{
	struct strbuf b = {0};
	if (h->role == ROLE_CLIENT)
		sb_puts(&b, "this JVM was the client (outbound)");
	else if (h->role == ROLE_SERVER)
		sb_puts(&b, "this JVM was the server (inbound)");
	else
		sb_puts(&b, "this JVM's side is not in the log");
	char *peer = handshake_peer_string(h);
	if (peer && h->role != ROLE_SERVER)
		sb_printf(&b, ", peer %s", peer);
	free(peer);
	if (h->tls_version)
		sb_printf(&b, ", %s", h->tls_version);
	if (h->cipher)
		sb_printf(&b, ", %s", h->cipher);
	if (h->sni)
		sb_printf(&b, ", SNI %s", h->sni);
	int64_t ms = handshake_duration_ms(h);
	if (ms >= 0)
		sb_printf(&b, ", %lld ms", (long long)ms);
	add(f, "Handshake", &b);
}

/* What an alert from the peer usually means (FORMATS.md 6.3): sent by a
 * server to this client, or by a client to this server. */
static const struct {
	const char *alert;
	const char *from_server;
	const char *from_client;
} alert_meanings[] = {
	{"handshake_failure",
	 "the server found nothing it accepts in the ClientHello (cipher suites, "
	 "versions, signature algorithms), or required a client certificate",
	 "the client found nothing it accepts in the ServerHello"},
	{"protocol_version", "no TLS version in common", "no TLS version in common"},
	{"insufficient_security", "the server requires stronger cipher suites",
	 "the client requires stronger cipher suites"},
	{"bad_certificate", "the server wanted a (valid) client certificate",
	 "the client refused this server's certificate"},
	{"certificate_required", "the server requires a client certificate", NULL},
	{"unknown_ca", "the server does not trust the CA of the client certificate",
	 "the client does not trust the CA of this server's certificate"},
	{"certificate_unknown", "the server refused the client certificate",
	 "the client refused this server's certificate"},
	{"certificate_expired", "the server found the client certificate expired",
	 "the client found this server's certificate expired"},
	{"certificate_revoked", "the server found the client certificate revoked",
	 "the client found this server's certificate revoked"},
	{"unsupported_certificate",
	 "the server refused the client certificate's type or key usage",
	 "the client refused this server's certificate type or key usage"},
	{"access_denied", "the server refused access (often: a client "
	 "certificate it does not accept)", NULL},
	{"unrecognized_name", "the server does not know the SNI host name", NULL},
	{"no_application_protocol", "no ALPN protocol in common",
	 "no ALPN protocol in common"},
	{"illegal_parameter", "the server could not use a field of the ClientHello "
	 "(an implementation problem or a middlebox)",
	 "the client could not use a field of the ServerHello"},
	{"decode_error", "a message could not be decoded (a middlebox, or not TLS)",
	 "a message could not be decoded (a middlebox, or not TLS)"},
	{"internal_error", "the server failed internally",
	 "the client failed internally"},
};

static const char *alert_meaning(const struct handshake *h)
{
	for (size_t i = 0; i < SS_ARRAY_LEN(alert_meanings); i++)
		if (!strcmp(alert_meanings[i].alert, h->d.alert))
			return h->role == ROLE_SERVER
				       ? alert_meanings[i].from_client
				       : alert_meanings[i].from_server;
	return NULL;
}

static void fact_alert(struct facts *f, const struct handshake *h)
{
	struct strbuf b = {0};
	if (h->d.alert && !h->d.alert_by_peer &&
	    h->diagnosis == DIAG_PEER_CLOSED)
		sb_printf(&b, "none from the peer, which hung up; this JVM then "
			      "sent %s as it gave up", h->d.alert);
	else if (h->d.alert && h->d.alert_by_peer)
		sb_printf(&b, "%s, raised by the peer (received: the peer "
			      "refused the handshake)", h->d.alert);
	else if (h->d.alert)
		sb_printf(&b, "%s, raised by this JVM (sent: the local side "
			      "refused the handshake)", h->d.alert);
	const char *meaning =
		h->d.alert && h->d.alert_by_peer ? alert_meaning(h) : NULL;
	if (meaning)
		sb_printf(&b, "; usually: %s", meaning);
	add(f, "Alert", &b);
}

static void fact_request(struct facts *f, const struct handshake *h)
{
	struct strbuf b = {0};
	if (!h->d.cert_requested)
		return;
	sb_puts(&b, h->role == ROLE_SERVER
			    ? "this server asked for a client certificate"
			    : "the server asked for a client certificate");
	if (!h->d.authorities.n)
		sb_puts(&b, "; it named no CA (any issuer is accepted)");
	for (size_t i = 0; i < h->d.authorities.n; i++)
		sb_printf(&b, "%s%s", i ? "; " : " issued by one of: ",
			  h->d.authorities.v[i]);
	add(f, "Certificate request", &b);
}

static void fact_client_cert(struct facts *f, const struct handshake *h)
{
	struct strbuf b = {0};
	const char *status = client_cert_status(h);
	const char *subject = client_cert_subject(h);
	if (!status || (!h->d.cert_requested && h->role != ROLE_SERVER))
		return;
	if (!strcmp(status, "empty"))
		sb_puts(&b, "none: the client sent an empty Certificate message");
	else if (subject)
		sb_puts(&b, subject);
	const char *issuer = h->role == ROLE_SERVER ? NULL : h->d.own_issuer;
	if (issuer && !strcmp(status, "sent"))
		sb_printf(&b, " (issued by %s)", issuer);
	add(f, "Client certificate", &b);
	for (size_t i = 0; i < h->d.key_store.n; i++) {
		sb_puts(&b, h->d.key_store.v[i]);
		add(f, "Local key store entry", &b);
	}
}

static void fact_name(struct facts *f, const struct handshake *h)
{
	struct strbuf b = {0}, names = {0};
	const char *called = handshake_name_called(h);
	if (!called)
		return;
	leaf_names(h, &names);
	sb_printf(&b, "%s was called", called);
	if (names.n)
		sb_printf(&b, "; the certificate names %s", names.p);
	sb_free(&names);
	add(f, "Host name", &b);
}

static void fact_expired(struct facts *f, const struct handshake *h)
{
	struct strbuf b = {0};
	long i = h->d.expired_cert;
	if (i >= 0 && (size_t)i < h->n_peer_certs) {
		const struct cert *c = &h->peer_certs[i];
		sb_printf(&b, "[%ld] %s, valid %s .. %s", i,
			  c->subject ? c->subject : "(no subject)",
			  c->not_before ? c->not_before : "?",
			  c->not_after ? c->not_after : "?");
		if (h->d.expiry_text)
			sb_printf(&b, " (%s)", h->d.expiry_text);
	} else if (h->d.expiry_text) {
		sb_puts(&b, h->d.expiry_text);
	}
	add(f, "Expired", &b);
}

static void fact_versions(struct facts *f, const struct handshake *h)
{
	struct strbuf b = {0};
	if (h->diagnosis != DIAG_PROTOCOL_MISMATCH)
		return;
	const char *peer = h->role == ROLE_SERVER ? "the client" : "the server";
	sb_printf(&b, "this JVM: %s; %s: %s",
		  h->d.versions_local ? h->d.versions_local : "not in the log",
		  peer, h->d.versions_peer ? h->d.versions_peer
					   : "not in the log");
	add(f, "TLS versions", &b);
}

static void fact_doubts(struct facts *f, const struct handshake *h)
{
	struct strbuf b = {0};
	if (h->d.ambiguous)
		sb_puts(&b, "two ServerHello messages on this thread with no "
			    "ClientHello between them: the records of two "
			    "connections may be mixed, so the chain is not "
			    "used to decide");
	add(f, "Ambiguous", &b);
	const char *hint = diag_debug_hint(h);
	if (hint)
		sb_puts(&b, hint);
	add(f, "Debug level", &b);
}

size_t handshake_facts(const struct handshake *h, struct fact *out, size_t max)
{
	struct facts f = {out, 0, max};
	fact_handshake(&f, h);
	fact_alert(&f, h);
	fact_request(&f, h);
	fact_client_cert(&f, h);
	fact_name(&f, h);
	fact_expired(&f, h);
	fact_versions(&f, h);
	fact_doubts(&f, h);
	return f.n;
}

void facts_free(struct fact *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i].value);
}
