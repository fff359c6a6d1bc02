/* events.h - the names a pattern file may give its rules.
 *
 * A rule in patterns/NAME.pat is `NAME  REGEX`; NAME must be one of the events
 * below.  Several rules may share a name (alternative phrasings).  What an
 * event means is decided here and in handshake.c; how it is recognised is
 * data.  Adding an event is one X() row here plus its handling. */
#ifndef SSLSIFT_EVENTS_H
#define SSLSIFT_EVENTS_H

#include <stddef.h>

#define SS_EVENTS(X)                                                        \
	/* application and exception signatures (any envelope) */           \
	X(SSL_HANDSHAKE_EXCEPTION)                                          \
	X(PKIX_PATH_BUILDING_FAILED)                                        \
	X(PKIX_VALIDATION_FAILED)                                           \
	X(SOCKET_CLOSED)                                                    \
	X(PEER_NOT_AUTHENTICATED)                                           \
	X(REQUEST_NOT_SENT)                                                 \
	X(FATAL_ALERT_SENT)                                                 \
	X(ALERT_RECEIVED)                                                   \
	X(ALERT_DESCRIPTION)                                                \
	X(ALERT_LEVEL)                                                      \
	X(CERT_EXPIRED_TEXT)                                                \
	X(HOSTNAME_MISMATCH_TEXT)                                           \
	X(PEER_CLOSED_TEXT)                                                 \
	X(PROTOCOL_MISMATCH_TEXT)                                           \
	X(CIPHER_MISMATCH_TEXT)                                             \
	X(REVOKED_TEXT)                                                     \
	X(CHAINING_FAILED_TEXT)                                             \
	X(CLIENT_CERT_MISSING_TEXT)                                         \
	X(EMPTY_CHAIN_TEXT)                                                 \
	X(EKU_REJECTED_TEXT)                                                \
	X(CERT_UNUSABLE_TEXT)                                               \
	X(OTHER_FAILURE_TEXT)                                               \
	/* JDK 11+ (and 8u261+) handshake records */                        \
	X(CLIENT_HELLO_PRODUCED)                                            \
	X(CLIENT_HELLO_CONSUMED)                                            \
	X(SERVER_HELLO_PRODUCED)                                            \
	X(SERVER_HELLO_CONSUMED)                                            \
	X(HELLO_RETRY_REQUEST)                                              \
	X(HELLO_VERSIONS)                                                   \
	X(NEW_SESSION_TICKET)                                               \
	X(EXPANDED_RECORD)                                                  \
	X(SNI)                                                              \
	X(TLS_VERSION)                                                      \
	X(CIPHER_SUITE)                                                     \
	X(CERT_MSG_CONSUMED)                                                \
	X(CERT_MSG_PRODUCED)                                                \
	X(CERT_REQUEST)                                                     \
	X(CERT_AUTHORITY)                                                   \
	X(KEY_ENTRY)                                                        \
	X(TRUSTED_CERT)                                                     \
	X(CERT_ENTRY)                                                       \
	X(CERT_SUBJECT)                                                     \
	X(CERT_ISSUER)                                                      \
	X(CERT_NOT_BEFORE)                                                  \
	X(CERT_NOT_AFTER)                                                   \
	X(CERT_SERIAL)                                                      \
	X(CERT_SAN_BEGIN)                                                   \
	X(CERT_SAN_NAME)                                                    \
	X(CERT_EMPTY)                                                       \
	X(FINISHED_CONSUMED)                                                \
	X(FINISHED_PRODUCED)                                                \
	/* classic JDK 8 (before 8u261) */                                  \
	X(CLASSIC_READ)                                                     \
	X(CLASSIC_WRITE)                                                    \
	X(CLASSIC_CLIENT_HELLO)                                             \
	X(CLASSIC_SERVER_HELLO)                                             \
	X(CLASSIC_CERT_CHAIN)                                               \
	X(CLASSIC_CERT_REQUEST)                                             \
	X(CLASSIC_CERT_AUTHORITIES)                                         \
	X(CLASSIC_SERVER_HELLO_DONE)                                        \
	X(CLASSIC_FINISHED)                                                 \
	X(CLASSIC_BLOCK_END)                                                \
	X(CLASSIC_TRUSTED_CERT)                                             \
	X(CLASSIC_FATAL_ERROR)                                              \
	X(CLASSIC_HANDSHAKE_ALERT)

enum ss_event {
#define X(name) EV_##name,
	SS_EVENTS(X)
#undef X
	EV__COUNT
};

/* Named capture groups a rule may use; handshake.c reads them by index. */
#define SS_CAPTURES(X) \
	X(value)       \
	X(host)        \
	X(port)        \
	X(version)     \
	X(alert)       \
	X(detail)

enum ss_capture {
#define X(name) CAP_##name,
	SS_CAPTURES(X)
#undef X
	CAP__COUNT
};

/* "SSL_HANDSHAKE_EXCEPTION" for EV_SSL_HANDSHAKE_EXCEPTION. */
const char *event_name(enum ss_event ev);
/* -1 if the name is not an event. */
int event_from_name(const char *name, size_t len);
const char *capture_name(enum ss_capture cap);

#endif
