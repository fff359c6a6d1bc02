/* diagnosis.c - the diagnosis table: one row per contract code with its
 * severity, meaning, who acts and the steps (and, where the JVM being the
 * server changes them, the steps for that side).  Titles and steps are
 * templates; see diag_fill() for the placeholders. */
#include "config.h"
#include "diagnosis.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "util.h"

#define OPENSSL_STEP                                                       \
	"Check what the endpoint sends: openssl s_client -showcerts "      \
	"-connect {host}:{port} -servername {host} </dev/null"

#define DEBUG_OPTION "-Djavax.net.debug=ssl:handshake:verbose"

#define DEBUG_STEP                                                        \
	"If the cause is still unclear, add " DEBUG_OPTION " "             \
	"to the JVM options (wrapper.conf: wrapper.java.additional.N=...), restart, " \
	"reproduce, and run sslsift on the new wrapper and localhost logs"

#define TRUST_IMPORT                                                       \
	"(ServiceNow: System Security > Certificates, Type = Trust Store "  \
	"Certificate; elsewhere keytool -importcert into the JVM's trust store): " \
	"the root first, then the intermediates; order matters"

static const struct diag_info table[DIAG__COUNT] = {
	[DIAG_OK] = {"OK", SEV_INFO,
		"The handshake finished and nothing is at risk.",
		"nobody",
		"", NULL},
	[DIAG_LEAF_ONLY_CHAIN] = {"LEAF_ONLY_CHAIN", SEV_ERROR,
		"The endpoint sent only its own (leaf) certificate, without the "
		"intermediate CA certificate, so Java could not build a path to a "
		"trusted root (PKIX path building failed). curl and browsers may "
		"still work because they fetch or cache missing intermediates.",
		"the endpoint owner (fix the server); the local admin can work around it",
		OPENSSL_STEP " (only certificate 0 is listed: the chain is incomplete)\n"
		"Ask the owner of {host} to configure the server to send the full chain: "
		"its certificate followed by the intermediate {issuer}\n"
		"Workaround until then: import the issuing CA certificate ({issuer}) and its "
		"root into the local trust store " TRUST_IMPORT "\n"
		"Re-run the integration and confirm the SSLHandshakeException and "
		"'Socket is closed' lines are gone", NULL},
	[DIAG_LEAF_ONLY_CHAIN_TOLERATED] = {"LEAF_ONLY_CHAIN_TOLERATED", SEV_WARNING,
		"{peer_side_cap} sent only its leaf certificate; the handshake worked only "
		"because the intermediate ({issuer}) is in the local trust store. It breaks "
		"as soon as {peer_side} renews its certificate under another intermediate.",
		"the endpoint owner",
		OPENSSL_STEP "\n"
		"Ask the owner of {host} to serve the full chain (leaf followed by {issuer})\n"
		"Keep the intermediate in the local trust store until the endpoint is fixed",
		"Ask the owner of the calling client ({subject}) to send its full chain "
		"(leaf followed by {issuer})\n"
		"Keep the intermediate in this server's trust store until the client is fixed"},
	[DIAG_UNTRUSTED_ROOT] = {"UNTRUSTED_ROOT", SEV_ERROR,
		"{peer_side_cap} sent a complete chain, but its root CA ({issuer}) is not in "
		"the local trust store (common with private or enterprise CAs).",
		"the local admin",
		OPENSSL_STEP " and note the root CA at the end of the chain\n"
		"Get the root CA certificate ({issuer}) from the endpoint owner through a "
		"trusted channel, and any intermediates\n"
		"Import them into the local trust store " TRUST_IMPORT "\n"
		"Re-run the integration and confirm the handshake finishes",
		"The client presented {subject}, whose chain ends in {issuer}\n"
		"If that client is to be admitted, get its root CA ({issuer}) from its owner "
		"through a trusted channel and import it into this server's trust store "
		TRUST_IMPORT "\n"
		"If not, the refusal is right: the client must use a certificate from a CA "
		"this server trusts"},
	[DIAG_SELF_SIGNED_UNTRUSTED] = {"SELF_SIGNED_UNTRUSTED", SEV_ERROR,
		"{peer_side_cap} presented a self-signed certificate ({subject}) that the "
		"local trust store does not hold.",
		"the endpoint owner, or the local admin if the certificate is expected",
		OPENSSL_STEP "\n"
		"Preferably, ask the owner of {host} to use a certificate issued by a CA\n"
		"If this self-signed certificate is expected, verify its fingerprint with "
		"the owner and import it into the local trust store as a Trust Store Certificate",
		NULL},
	[DIAG_CHAIN_OUT_OF_ORDER] = {"CHAIN_OUT_OF_ORDER", SEV_ERROR,
		"{peer_side_cap} sent its certificates in the wrong order (each certificate "
		"must be followed by its issuer), and path validation failed on "
		"subject/issuer chaining.",
		"the endpoint owner",
		OPENSSL_STEP " and compare each certificate's issuer (i:) with the "
		"subject (s:) of the next one\n"
		"Ask the owner of {host} to order the chain file: leaf ({subject}) first, "
		"then each issuer in turn, root last (or omitted)", NULL},
	[DIAG_CERT_EXPIRED] = {"CERT_EXPIRED", SEV_ERROR,
		"A certificate in the path is expired or not yet valid: {expired}.",
		"the owner of the expired certificate",
		"Check the dates the endpoint serves: openssl s_client -connect "
		"{host}:{port} -servername {host} </dev/null | openssl x509 -noout "
		"-subject -dates\n"
		"Ask the owner of {host} to renew the expired certificate ({expired}) and "
		"install it with its chain; if the expired one is a CA certificate in the "
		"local trust store, replace it there\n"
		"Check the clock of both machines (a certificate that is not yet valid "
		"often means a wrong date)",
		"The client presented an expired certificate ({expired})\n"
		"Ask the owner of the calling client to renew it\n"
		"Check the clock of both machines"},
	[DIAG_HOSTNAME_MISMATCH] = {"HOSTNAME_MISMATCH", SEV_ERROR,
		"The certificate does not name the host that was called: {called} was "
		"called, the certificate names {cert_names}.",
		"the endpoint owner, or whoever configured the URL",
		"List the names the certificate holds: openssl s_client -connect "
		"{host}:{port} -servername {called} </dev/null | openssl x509 -noout "
		"-ext subjectAltName\n"
		"Call the endpoint by a name its certificate holds ({cert_names}): fix the "
		"URL, or the host name in the connection alias / REST message\n"
		"Or ask the owner of the endpoint to issue a certificate whose subject "
		"alternative names include {called}", NULL},
	[DIAG_CLIENT_CERT_NOT_SENT] = {"CLIENT_CERT_NOT_SENT", SEV_ERROR,
		"The server asked for a client certificate (mutual TLS) and the client "
		"sent none.",
		"the local admin",
		"The server accepts client certificates issued by: {authorities}\n"
		"Check the key store configured for calls to {host} (ServiceNow: the "
		"Protocol Profile / Mutual Authentication record and its keystore; elsewhere "
		"-Djavax.net.ssl.keyStore): it must hold a private key with a certificate "
		"issued by one of those CAs (with its chain)\n"
		"If the key store holds only certificates from other CAs (logged: "
		"{client_cert}), get one from a CA the server accepts, or ask the owner of "
		"{host} to accept yours\n"
		"Re-run; with " DEBUG_OPTION ":keymanager the log shows the key store entries "
		"the JVM considered",
		"This server requires a client certificate (need client auth) and the "
		"client sent none\n"
		"Ask the owner of the calling client to configure its key store with a "
		"certificate issued by one of: {authorities}\n"
		"If client certificates are optional here, make the connector ask for them "
		"without requiring them (want instead of need)"},
	[DIAG_CLIENT_CERT_REJECTED] = {"CLIENT_CERT_REJECTED", SEV_ERROR,
		"The client sent its certificate ({client_cert}) and the server "
		"rejected it.",
		"the endpoint owner and the local admin together",
		"The server accepts client certificates issued by: {authorities}\n"
		"Ask the owner of {host} to trust the CA that issued {client_cert} (its "
		"root and intermediates), or present a certificate from a CA they accept\n"
		"Check that the client certificate is valid, not revoked, and that its "
		"extended key usage allows TLS client authentication (clientAuth)",
		"The client presented {client_cert} and this server refused it\n"
		"If the refusal was about its use (extended key usage), the client needs a "
		"certificate with the clientAuth extended key usage: ask its owner to get one\n"
		"Otherwise check this server's trust store holds the CA that issued it"},
	[DIAG_CLIENT_CHAIN_INCOMPLETE] = {"CLIENT_CHAIN_INCOMPLETE", SEV_ERROR,
		"A client sent only its leaf certificate ({subject}) and this server "
		"could not build a path to a trusted root.",
		"the owner of the calling client",
		"Ask the client to send its full chain (leaf and intermediate {issuer})\n"
		"Or import the client's issuing CA ({issuer}) into this server's trust store "
		TRUST_IMPORT, NULL},
	[DIAG_PROTOCOL_MISMATCH] = {"PROTOCOL_MISMATCH", SEV_ERROR,
		"The two sides have no TLS version in common (this JVM: "
		"{versions_local}; {peer_side}: {versions_peer}).",
		"the local admin or the endpoint owner",
		"Compare the TLS versions enabled on both sides: this JVM offers "
		"{versions_local} (jdk.tls.client.protocols, https.protocols, "
		"jdk.tls.disabledAlgorithms in java.security), {peer_side} {versions_peer}\n"
		"See what the endpoint accepts: openssl s_client -connect {host}:{port} "
		"-servername {host} -tls1_2 </dev/null (and -tls1_3)\n"
		"Enable a common version, preferably TLSv1.2 or TLSv1.3, on the side that "
		"lacks it",
		"Compare the TLS versions enabled on both sides: the client offered "
		"{versions_peer}, this server {versions_local}\n"
		"Enable a common version, preferably TLSv1.2 or TLSv1.3 (the connector's "
		"protocols, jdk.tls.server.protocols, jdk.tls.disabledAlgorithms)"},
	[DIAG_CIPHER_MISMATCH] = {"CIPHER_MISMATCH", SEV_ERROR,
		"The two sides have no cipher suite in common.",
		"the local admin or the endpoint owner",
		"Compare the cipher suites enabled on both sides (jdk.tls.disabledAlgorithms "
		"in java.security, the server's cipher list)\n"
		"See what the endpoint accepts: openssl s_client -connect {host}:{port} "
		"-servername {host} -tls1_2 -cipher ECDHE+AESGCM </dev/null\n"
		"Enable a common modern suite (TLS_AES_128_GCM_SHA256, "
		"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256)",
		"The client offered no cipher suite this server enables\n"
		"Compare the connector's cipher list (and jdk.tls.disabledAlgorithms) with "
		"what the client offers, and enable a common modern suite "
		"(TLS_AES_128_GCM_SHA256, TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256)"},
	[DIAG_REVOKED] = {"REVOKED", SEV_ERROR,
		"A certificate in the path is revoked, or its revocation status could not "
		"be checked and that failed the handshake.",
		"the endpoint owner",
		"If the log says 'Certificate has been revoked': ask the owner of {host} to "
		"replace the revoked certificate ({subject})\n"
		"If it says the status could not be determined: check that this node can "
		"reach the CRL distribution point or OCSP responder of {subject} (proxy, "
		"firewall), or review -Dcom.sun.net.ssl.checkRevocation / "
		"-Dcom.sun.security.enableCRLDP", NULL},
	[DIAG_PEER_CLOSED] = {"PEER_CLOSED", SEV_ERROR,
		"{peer_side_cap} closed the connection during the handshake without an alert.",
		"the endpoint owner, or the network team",
		"Check for a proxy, load balancer or firewall between this node and {host} "
		"(a plain TCP proxy, or a port that does not speak TLS)\n"
		"Test from this node: openssl s_client -connect {host}:{port} -servername "
		"{host} </dev/null\n"
		"Ask the owner of {host} what their server logged for this connection (it "
		"may require SNI, a client certificate, or other TLS versions)", NULL},
	[DIAG_TRUST_PATH_FAILED] = {"TRUST_PATH_FAILED", SEV_ERROR,
		"PKIX path building failed, but the log holds no certificate message to "
		"tell whether the chain is incomplete or the root is untrusted.",
		"the local admin",
		OPENSSL_STEP "\n"
		"If only certificate 0 is listed, the endpoint sends a leaf-only chain: ask "
		"its owner to send the intermediate; else import the root (then the "
		"intermediates) into the local trust store\n" DEBUG_STEP, NULL},
	[DIAG_HANDSHAKE_FAILED] = {"HANDSHAKE_FAILED", SEV_ERROR,
		"The handshake failed and the log does not show why.",
		"the local admin",
		OPENSSL_STEP "\n" DEBUG_STEP, NULL},
};

const struct diag_info *diag_info(enum diag_code code)
{
	if ((unsigned)code >= DIAG__COUNT)
		code = DIAG_HANDSHAKE_FAILED;
	return &table[code];
}

const char *chain_name(enum chain_kind c)
{
	static const char *const names[CHAIN__COUNT] = {
		[CHAIN_NOT_CAPTURED] = "not_captured",
		[CHAIN_LEAF_ONLY] = "leaf_only",
		[CHAIN_COMPLETE] = "complete",
		[CHAIN_COMPLETE_WITH_ROOT] = "complete_with_root",
		[CHAIN_SELF_SIGNED] = "self_signed",
		[CHAIN_OUT_OF_ORDER] = "out_of_order",
		[CHAIN_EMPTY] = "empty",
	};
	return (unsigned)c < CHAIN__COUNT ? names[c] : "not_captured";
}

const char *severity_name(enum severity s)
{
	static const char *const names[] = {[SEV_INFO] = "info",
					    [SEV_WARNING] = "warning",
					    [SEV_ERROR] = "error"};
	return (unsigned)s < SS_ARRAY_LEN(names) ? names[s] : "error";
}

/* ---- placeholders ------------------------------------------------------- */

/* Steps are pasted into shells: a host goes into them only if it is
 * spelled like a host name or an IP address. */
static bool host_is_safe(const char *h)
{
	if (!h || !*h || *h == '-')
		return false;
	for (const char *p = h; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr(".-_:[]", *p))
			return false;
	return true;
}

static const char *safe_host(const char *h)
{
	return host_is_safe(h) ? h : "<host>";
}

static const struct cert *leaf_of(const struct handshake *h)
{
	return h->n_peer_certs ? &h->peer_certs[0] : NULL;
}

static void put_host(struct strbuf *b, const struct handshake *h)
{
	sb_puts(b, safe_host(h->peer_host));
}

static void put_port(struct strbuf *b, const struct handshake *h)
{
	if (h->peer_port > 0)
		sb_printf(b, "%d", h->peer_port);
	else
		sb_puts(b, "<port>");
}

static void put_hostport(struct strbuf *b, const struct handshake *h)
{
	put_host(b, h);
	if (h->peer_port > 0)
		sb_printf(b, ":%d", h->peer_port);
}

static void put_issuer(struct strbuf *b, const struct handshake *h)
{
	const struct cert *last =
		h->n_peer_certs ? &h->peer_certs[h->n_peer_certs - 1] : NULL;
	sb_puts(b, h->missing_issuer ? h->missing_issuer
		   : last && last->issuer ? last->issuer
					  : "the issuing CA");
}

static void put_subject(struct strbuf *b, const struct handshake *h)
{
	const struct cert *leaf = leaf_of(h);
	sb_puts(b, leaf && leaf->subject ? leaf->subject : "the certificate");
}

static void put_called(struct strbuf *b, const struct handshake *h)
{
	const char *n = h->d.name_checked ? h->d.name_checked
			: h->sni		  ? h->sni
						  : h->peer_host;
	sb_puts(b, safe_host(n));
}

static void put_cert_names(struct strbuf *b, const struct handshake *h)
{
	const struct cert *leaf = leaf_of(h);
	if (!leaf || (!leaf->n_names && !leaf->subject)) {
		sb_puts(b, "other names (the certificate was not logged)");
		return;
	}
	for (size_t i = 0; i < leaf->n_names; i++)
		sb_printf(b, "%s%s", i ? ", " : "", leaf->names[i]);
	if (!leaf->n_names)
		sb_printf(b, "no subject alternative name (subject %s)",
			  leaf->subject);
}

static void put_expired(struct strbuf *b, const struct handshake *h)
{
	long i = h->d.expired_cert;
	if (i < 0 || (size_t)i >= h->n_peer_certs) {
		sb_puts(b, h->d.expiry_text ? h->d.expiry_text
					    : "the expired certificate");
		return;
	}
	const struct cert *c = &h->peer_certs[i];
	sb_printf(b, "%s, valid from %s until %s",
		  c->subject ? c->subject : "certificate", c->not_before ? c->not_before : "?",
		  c->not_after ? c->not_after : "?");
}

static void put_authorities(struct strbuf *b, const struct handshake *h)
{
	const struct strlist *l = &h->d.authorities;
	if (!h->d.cert_requested)
		sb_puts(b, "the CAs its CertificateRequest names (not in this log)");
	else if (!l->n)
		sb_puts(b, "any CA (the request named none)");
	for (size_t i = 0; i < l->n; i++)
		sb_printf(b, "%s%s", i ? "; " : "", l->v[i]);
}

static void put_client_cert(struct strbuf *b, const struct handshake *h)
{
	const char *s = h->role == ROLE_SERVER
				? (h->n_peer_certs ? h->peer_certs[0].subject : NULL)
				: h->d.own_subject;
	if (!s && h->d.key_store.n)
		s = h->d.key_store.v[0];
	sb_puts(b, s ? s : "not in this log");
}

static void put_versions_local(struct strbuf *b, const struct handshake *h)
{
	sb_puts(b, h->d.versions_local ? h->d.versions_local : "not in the log");
}

static void put_versions_peer(struct strbuf *b, const struct handshake *h)
{
	sb_puts(b, h->d.versions_peer ? h->d.versions_peer : "not in the log");
}

static const char *peer_side(const struct handshake *h)
{
	return h->role == ROLE_CLIENT   ? "the server"
	       : h->role == ROLE_SERVER ? "the client"
					: "the peer";
}

static void put_peer_side(struct strbuf *b, const struct handshake *h)
{
	sb_puts(b, peer_side(h));
}

static void put_peer_side_cap(struct strbuf *b, const struct handshake *h)
{
	const char *s = peer_side(h);
	sb_putc(b, (char)toupper((unsigned char)s[0]));
	sb_puts(b, s + 1);
}

static const struct {
	const char *name;
	void (*put)(struct strbuf *b, const struct handshake *h);
} placeholders[] = {
	{"host", put_host},
	{"port", put_port},
	{"hostport", put_hostport},
	{"issuer", put_issuer},
	{"subject", put_subject},
	{"called", put_called},
	{"cert_names", put_cert_names},
	{"expired", put_expired},
	{"authorities", put_authorities},
	{"client_cert", put_client_cert},
	{"versions_local", put_versions_local},
	{"versions_peer", put_versions_peer},
	{"peer_side", put_peer_side},
	{"peer_side_cap", put_peer_side_cap},
};

/* The value of one placeholder for this handshake. */
static void put_placeholder(struct strbuf *b, const char *name, size_t n,
			    const struct handshake *h)
{
	for (size_t i = 0; i < SS_ARRAY_LEN(placeholders); i++) {
		if (strlen(placeholders[i].name) == n &&
		    !memcmp(placeholders[i].name, name, n)) {
			placeholders[i].put(b, h);
			return;
		}
	}
	sb_append(b, name - 1, n + 2); /* unknown: leave it as it was */
}

char *diag_fill(const char *tmpl, const struct handshake *h)
{
	struct handshake none;
	if (!h) {
		memset(&none, 0, sizeof none);
		none.d.expired_cert = -1;
		h = &none;
	}
	const char *s = tmpl ? tmpl : "";
	struct strbuf b = {0};
	sb_puts(&b, "");
	while (*s) {
		const char *open = strchr(s, '{');
		const char *close = open ? strchr(open, '}') : NULL;
		if (!open || !close) {
			sb_puts(&b, s);
			break;
		}
		sb_append(&b, s, (size_t)(open - s));
		put_placeholder(&b, open + 1, (size_t)(close - open - 1), h);
		s = close + 1;
	}
	return sb_take(&b);
}

char *diag_advice(enum diag_code code, const struct handshake *h)
{
	const struct diag_info *d = diag_info(code);
	bool inbound = h && h->role == ROLE_SERVER && d->steps_inbound;
	return diag_fill(inbound ? d->steps_inbound : d->steps, h);
}

const char *diag_debug_hint(const struct handshake *h)
{
	/* failed before a first message: there was nothing more to show */
	if (h->outcome != OUTCOME_FAILED || h->d.before_hello)
		return NULL;
	if (h->d.bodies_dropped && h->peer_certs_state != CERTS_CAPTURED)
		return "the debug output names the handshake messages but not "
		       "their contents (javax.net.debug set to an empty value "
		       "sends them to java.util.logging without the "
		       "certificates): use " DEBUG_OPTION " instead, restart, "
		       "reproduce and run sslsift again";
	switch (h->d.debug_level) {
	case DEBUG_NONE:
		return "the log holds no JSSE debug output for this handshake, so "
		       "its certificates and messages were not seen: add "
		       DEBUG_OPTION " to the JVM options, restart, reproduce and "
		       "run sslsift again";
	case DEBUG_ALERTS:
		/* classic JDK 8 prints every message with "ssl": what is
		 * missing is outside the log, not below its debug level */
		if (h->d.classic)
			return "the log holds only the end of this handshake "
			       "(classic JDK 8 debug output: alerts and "
			       "exceptions), so its hello and certificate "
			       "messages were not seen: look for its start in "
			       "the lines or rotated log before it, or "
			       "reproduce with " DEBUG_OPTION " and run sslsift "
			       "again";
		/* JDK 25 (JDK-8044609) reads a bare "ssl" as every
		 * sub-component: its "ssl" logs do show the messages */
		return "the JSSE debug output shows only alerts and exceptions "
		       "(javax.net.debug=ssl logs no handshake messages on JDK 11 "
		       "to 24), so the certificates were not seen: use "
		       DEBUG_OPTION " instead, restart, reproduce and run sslsift "
		       "again";
	default:
		return NULL;
	}
}
