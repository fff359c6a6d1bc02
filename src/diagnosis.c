/* diagnosis.c - the diagnosis table: one row per contract code with its
 * severity, meaning, who acts and the steps.  Steps are templates; see
 * diag_advice() for the placeholders. */
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

#define DEBUG_STEP                                                        \
	"If the cause is still unclear, add -Djavax.net.debug=ssl:handshake:verbose " \
	"to the JVM options (wrapper.conf: wrapper.java.additional.N=...), restart, " \
	"reproduce, and run sslsift on the new wrapper and localhost logs"

static const struct diag_info table[DIAG__COUNT] = {
	[DIAG_OK] = {"OK", SEV_INFO,
		"The handshake finished and nothing is at risk.",
		"nobody",
		""},
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
		"root into the local trust store (ServiceNow: System Security > Certificates, "
		"Type = Trust Store Certificate; import the root first, then the intermediate: "
		"order matters)\n"
		"Re-run the integration and confirm the SSLHandshakeException and "
		"'Socket is closed' lines are gone"},
	[DIAG_LEAF_ONLY_CHAIN_TOLERATED] = {"LEAF_ONLY_CHAIN_TOLERATED", SEV_WARNING,
		"The endpoint sent only its leaf certificate; the handshake worked only "
		"because the intermediate ({issuer}) is in the local trust store. It breaks "
		"as soon as the endpoint renews its certificate under another intermediate.",
		"the endpoint owner",
		OPENSSL_STEP "\n"
		"Ask the owner of {host} to serve the full chain (leaf followed by {issuer})\n"
		"Keep the intermediate in the local trust store until the endpoint is fixed"},
	[DIAG_UNTRUSTED_ROOT] = {"UNTRUSTED_ROOT", SEV_ERROR,
		"The endpoint sent a complete chain, but its root CA ({issuer}) is not in "
		"the local trust store (common with private or enterprise CAs).",
		"the local admin",
		OPENSSL_STEP " and note the root CA at the end of the chain\n"
		"Get the root CA certificate ({issuer}) from the endpoint owner through a "
		"trusted channel, and any intermediates\n"
		"Import them into the local trust store (ServiceNow: System Security > "
		"Certificates, Type = Trust Store Certificate, with the PEM/DER attached): "
		"the root first, then the intermediates; order matters\n"
		"Re-run the integration and confirm the handshake finishes"},
	[DIAG_SELF_SIGNED_UNTRUSTED] = {"SELF_SIGNED_UNTRUSTED", SEV_ERROR,
		"The endpoint presented a self-signed certificate ({subject}) that the "
		"local trust store does not hold.",
		"the endpoint owner, or the local admin if the certificate is expected",
		OPENSSL_STEP "\n"
		"Preferably, ask the owner of {host} to use a certificate issued by a CA\n"
		"If this self-signed certificate is expected, verify its fingerprint with "
		"the owner and import it into the local trust store as a Trust Store Certificate"},
	[DIAG_CHAIN_OUT_OF_ORDER] = {"CHAIN_OUT_OF_ORDER", SEV_ERROR,
		"The endpoint sent its certificates in the wrong order (each certificate "
		"must be followed by its issuer), and path validation failed on "
		"subject/issuer chaining.",
		"the endpoint owner",
		OPENSSL_STEP "\n"
		"Ask the owner of {host} to order the chain file: leaf first, then each "
		"issuer in turn, root last (or omitted)"},
	[DIAG_CERT_EXPIRED] = {"CERT_EXPIRED", SEV_ERROR,
		"A certificate in the path is expired or not yet valid.",
		"the owner of the expired certificate",
		OPENSSL_STEP " and read the notBefore/notAfter dates\n"
		"Renew the expired certificate ({subject}); if it is a CA in the local "
		"trust store, replace it there\n"
		"Check the clock of both machines"},
	[DIAG_HOSTNAME_MISMATCH] = {"HOSTNAME_MISMATCH", SEV_ERROR,
		"The certificate does not name the host that was called ({host}).",
		"the endpoint owner, or whoever configured the URL",
		OPENSSL_STEP " and compare the subject alternative names with {host}\n"
		"Call the endpoint by a name its certificate holds, or ask the owner to "
		"issue a certificate that names {host}"},
	[DIAG_CLIENT_CERT_NOT_SENT] = {"CLIENT_CERT_NOT_SENT", SEV_ERROR,
		"The server asked for a client certificate (mutual TLS) and none was sent.",
		"the local admin",
		"Check the mutual authentication profile / keystore configured for calls "
		"to {host}\n"
		"Make sure the client certificate is issued by one of the CAs the server "
		"accepts (its CertificateRequest lists them) and that its private key is "
		"in the keystore"},
	[DIAG_CLIENT_CERT_REJECTED] = {"CLIENT_CERT_REJECTED", SEV_ERROR,
		"The local side sent its client certificate and the server rejected it.",
		"the endpoint owner and the local admin together",
		"Ask the owner of {host} which CA they trust for client certificates and "
		"import that chain on their side, or present a certificate from a CA they "
		"accept\n"
		"Check the client certificate's extended key usage allows TLS client "
		"authentication"},
	[DIAG_CLIENT_CHAIN_INCOMPLETE] = {"CLIENT_CHAIN_INCOMPLETE", SEV_ERROR,
		"A client sent only its leaf certificate and this server could not build "
		"a path to a trusted root.",
		"the owner of the calling client",
		"Ask the client to send its full chain (leaf and intermediate {issuer})\n"
		"Or import the client's issuing CA ({issuer}) into this server's trust store"},
	[DIAG_PROTOCOL_MISMATCH] = {"PROTOCOL_MISMATCH", SEV_ERROR,
		"The two sides have no TLS version in common.",
		"the local admin or the endpoint owner",
		"Compare the TLS versions enabled on both sides (jdk.tls.client.protocols, "
		"jdk.tls.disabledAlgorithms in java.security, the server's configuration)\n"
		"Enable a common version, preferably TLSv1.2 or TLSv1.3"},
	[DIAG_CIPHER_MISMATCH] = {"CIPHER_MISMATCH", SEV_ERROR,
		"The two sides have no cipher suite in common.",
		"the local admin or the endpoint owner",
		"Compare the cipher suites enabled on both sides (jdk.tls.disabledAlgorithms, "
		"the server's cipher list)\n"
		"Enable a common modern suite (TLS_AES_128_GCM_SHA256, "
		"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256)"},
	[DIAG_REVOKED] = {"REVOKED", SEV_ERROR,
		"A certificate in the path is revoked, or its revocation status could not "
		"be checked and that failed the handshake.",
		"the endpoint owner",
		"Ask the owner of {host} to replace the revoked certificate\n"
		"If the revocation check could not reach the OCSP/CRL server, check the "
		"network path from this node to it"},
	[DIAG_PEER_CLOSED] = {"PEER_CLOSED", SEV_ERROR,
		"The peer closed the connection during the handshake without an alert.",
		"the endpoint owner, or the network team",
		"Check for a proxy, load balancer or firewall between this node and {host}\n"
		"Ask the owner of {host} what their server logged for this connection"},
	[DIAG_TRUST_PATH_FAILED] = {"TRUST_PATH_FAILED", SEV_ERROR,
		"PKIX path building failed, but the log holds no certificate message to "
		"tell whether the chain is incomplete or the root is untrusted.",
		"the local admin",
		OPENSSL_STEP "\n"
		"If only certificate 0 is listed, the endpoint sends a leaf-only chain: ask "
		"its owner to send the intermediate; else import the root (then the "
		"intermediates) into the local trust store\n" DEBUG_STEP},
	[DIAG_HANDSHAKE_FAILED] = {"HANDSHAKE_FAILED", SEV_ERROR,
		"The handshake failed and the log does not show why.",
		"the local admin",
		OPENSSL_STEP "\n" DEBUG_STEP},
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

/* Steps are pasted into shells: a host goes into them only if it is
 * spelled like a host name or an IP address. */
static bool host_is_safe(const char *h)
{
	if (!*h || *h == '-')
		return false;
	for (const char *p = h; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr(".-_:[]", *p))
			return false;
	return true;
}

/* The value of one placeholder for this handshake. */
static void put_placeholder(struct strbuf *b, const char *name, size_t n,
			    const struct handshake *h)
{
	char port[16];
	snprintf(port, sizeof port, "%d", h ? h->peer_port : 0);
	const char *host = h && h->peer_host && host_is_safe(h->peer_host)
				   ? h->peer_host
				   : "<host>";
	const struct cert *leaf =
		h && h->n_peer_certs ? &h->peer_certs[0] : NULL;
	const struct cert *last =
		h && h->n_peer_certs ? &h->peer_certs[h->n_peer_certs - 1] : NULL;
	const char *issuer = h && h->missing_issuer ? h->missing_issuer
			     : last && last->issuer ? last->issuer
						     : "the issuing CA";
	if (n == 4 && !memcmp(name, "host", 4))
		sb_puts(b, host);
	else if (n == 4 && !memcmp(name, "port", 4))
		sb_puts(b, h && h->peer_port > 0 ? port : "<port>");
	else if (n == 6 && !memcmp(name, "issuer", 6))
		sb_puts(b, issuer);
	else if (n == 7 && !memcmp(name, "subject", 7))
		sb_puts(b, leaf && leaf->subject ? leaf->subject : "the certificate");
	else
		sb_append(b, name - 1, n + 2); /* unknown: leave it as it was */
}

char *diag_advice(enum diag_code code, const struct handshake *h)
{
	const char *s = diag_info(code)->steps;
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
