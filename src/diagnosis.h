/* diagnosis.h - the diagnosis codes and chain kinds of the contract, as
 * tables: each code is one row with its severity and its advice.
 *
 * Ownership: the tables are static; nothing here allocates except
 * diag_advice(), whose result the caller frees. */
#ifndef SSLSIFT_DIAGNOSIS_H
#define SSLSIFT_DIAGNOSIS_H

#include <stdbool.h>

enum chain_kind {
	CHAIN_NOT_CAPTURED = 0,
	CHAIN_LEAF_ONLY,
	CHAIN_COMPLETE,
	CHAIN_COMPLETE_WITH_ROOT,
	CHAIN_SELF_SIGNED,
	CHAIN_OUT_OF_ORDER,
	CHAIN_EMPTY,
	CHAIN__COUNT
};

enum severity { SEV_INFO = 0, SEV_WARNING, SEV_ERROR };

#define SS_DIAG_CODES(X)                         \
	X(OK, SEV_INFO)                          \
	X(LEAF_ONLY_CHAIN, SEV_ERROR)            \
	X(LEAF_ONLY_CHAIN_TOLERATED, SEV_WARNING) \
	X(UNTRUSTED_ROOT, SEV_ERROR)             \
	X(SELF_SIGNED_UNTRUSTED, SEV_ERROR)      \
	X(CHAIN_OUT_OF_ORDER, SEV_ERROR)         \
	X(CERT_EXPIRED, SEV_ERROR)               \
	X(HOSTNAME_MISMATCH, SEV_ERROR)          \
	X(CLIENT_CERT_NOT_SENT, SEV_ERROR)       \
	X(CLIENT_CERT_REJECTED, SEV_ERROR)       \
	X(CLIENT_CHAIN_INCOMPLETE, SEV_ERROR)    \
	X(PROTOCOL_MISMATCH, SEV_ERROR)          \
	X(CIPHER_MISMATCH, SEV_ERROR)            \
	X(REVOKED, SEV_ERROR)                    \
	X(PEER_CLOSED, SEV_ERROR)                \
	X(TRUST_PATH_FAILED, SEV_ERROR)          \
	X(HANDSHAKE_FAILED, SEV_ERROR)

enum diag_code {
#define X(code, sev) DIAG_##code,
	SS_DIAG_CODES(X)
#undef X
	DIAG__COUNT
};

struct diag_info {
	const char *code;      /* "LEAF_ONLY_CHAIN" */
	enum severity severity;
	const char *title;     /* one line: what it means */
	const char *who;       /* who must act */
	/* Steps, one per line, with placeholders (see diag_fill()). */
	const char *steps;
	/* The steps when the logging JVM was the server, if they differ. */
	const char *steps_inbound;
};

const struct diag_info *diag_info(enum diag_code code);
const char *chain_name(enum chain_kind c);
const char *severity_name(enum severity s);

struct handshake;
/* The advice steps with this handshake's names filled in; caller frees. */
char *diag_advice(enum diag_code code, const struct handshake *h);
/* A template (title or steps) with the placeholders filled in from h (which
 * may be NULL): {host}, {port}, {hostport}, {issuer}, {subject}, {called},
 * {cert_names}, {expired}, {authorities}, {client_cert}, {versions_local},
 * {versions_peer}, {peer_side}.  Caller frees. */
char *diag_fill(const char *tmpl, const struct handshake *h);
/* What the debug level hides, and the JVM option that shows it, for a
 * failed handshake whose log has no handshake messages; else NULL. */
const char *diag_debug_hint(const struct handshake *h);

#endif
