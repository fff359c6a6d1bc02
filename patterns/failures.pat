# failures.pat - alerts and exception texts that say why a handshake failed,
# in every JDK generation (JDK 11+ / 8u261+ records, classic JDK 8 lines).
#
# Alerts the local JVM sent: JDK 11+ TransportContext "Fatal (ALERT): text",
# classic "SEND TLSv1.2 ALERT:  fatal, description = alert".
FATAL_ALERT_SENT   Fatal \((?<alert>[A-Z_]+)\):\s*(?<detail>.*)
FATAL_ALERT_SENT   SEND (?<version>\S+) ALERT:\s+fatal, description = (?<alert>\w+)
# Alerts the peer sent: the exception text, the JDK 11+ alert record (its
# body's level and description follow), classic "RECV TLSv1.2 ALERT:  fatal, x".
ALERT_RECEIVED     Received fatal alert: (?<alert>\w+)
ALERT_RECEIVED     Received alert message
ALERT_RECEIVED     RECV (?<version>\S+) ALERT:\s+fatal, (?<alert>\w+)
ALERT_LEVEL        "level"\s*: "(?<value>\w+)"
ALERT_DESCRIPTION  "description"\s*: "(?<alert>\w+)"
# Causes (used by the diagnosis; more in later releases).
CERT_EXPIRED_TEXT        CertificateExpiredException(?::\s*(?<detail>.*))?
CERT_EXPIRED_TEXT        CertificateNotYetValidException(?::\s*(?<detail>.*))?
CERT_EXPIRED_TEXT        validity check failed
HOSTNAME_MISMATCH_TEXT   No subject alternative (?:DNS )?names? matching (?:IP address )?(?<host>\S+) found
HOSTNAME_MISMATCH_TEXT   No name matching (?<host>\S+) found
PEER_CLOSED_TEXT         Remote host terminated the handshake
PEER_CLOSED_TEXT         Remote host closed connection during handshake
PEER_CLOSED_TEXT         SSL peer shut down incorrectly
PROTOCOL_MISMATCH_TEXT   No appropriate protocol
PROTOCOL_MISMATCH_TEXT   The server selected protocol version (?<version>\S+) is not accepted
PROTOCOL_MISMATCH_TEXT   Client requested protocol (?<version>\S+) is not enabled
CIPHER_MISMATCH_TEXT     no cipher suites in common
REVOKED_TEXT             Certificate has been revoked
REVOKED_TEXT             revocation status check failed
CHAINING_FAILED_TEXT     subject/issuer name chaining check failed
CLIENT_CERT_MISSING_TEXT Empty client certificate chain
CLIENT_CERT_MISSING_TEXT null cert chain
# (JDK 11-22 servers say "server" here for the client's empty chain)
CLIENT_CERT_MISSING_TEXT Empty server certificate chain
CLIENT_CERT_MISSING_TEXT No X\.509 certificate for client authentication
CLIENT_CERT_MISSING_TEXT no suitable certificate found
EKU_REJECTED_TEXT        Extended key usage does not permit use for TLS client authentication
