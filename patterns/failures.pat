# failures.pat - alerts and exception texts that say why a handshake failed,
# in every JDK generation (JDK 11+ / 8u261+ records, classic JDK 8 lines,
# IBM JSSE2).  See doc/FORMATS.md sections 3, 4.8 and 6.
#
# Alerts the local JVM sent: JDK 11+ TransportContext "Fatal (ALERT): text",
# classic "SEND TLSv1.2 ALERT:  fatal, description = alert".  (A JDK 11+
# "Fatal (X): Received fatal alert: x" is the peer's alert: sslsift tells
# them apart.)
FATAL_ALERT_SENT   Fatal \((?<alert>[A-Z_]+)\):\s*(?<detail>.*)
FATAL_ALERT_SENT   SEND (?<version>\S+) ALERT:\s+fatal, description = (?<alert>\w+)
# Alerts the peer sent: the exception text, the JDK 11+ alert record (its
# body's level and description follow), classic "RECV TLSv1.2 ALERT:  fatal, x".
ALERT_RECEIVED     Received fatal alert: (?<alert>\w+)
ALERT_RECEIVED     Received alert message
ALERT_RECEIVED     RECV (?<version>\S+) ALERT:\s+fatal, (?<alert>\w+)
ALERT_LEVEL        "level"\s*: "(?<value>\w+)"
ALERT_DESCRIPTION  "description"\s*: "(?<alert>\w+)"
#
# Expiry (the exception names the date: "NotAfter: <Date>").
CERT_EXPIRED_TEXT        CertificateExpiredException(?::\s*(?<detail>.*))?
CERT_EXPIRED_TEXT        CertificateNotYetValidException(?::\s*(?<detail>.*))?
CERT_EXPIRED_TEXT        validity check failed
# ... the same check in JDK 7 and early JDK 8 (BasicChecker), and Android
CERT_EXPIRED_TEXT        timestamp check failed
# ... and in IBM JSSE2's words (the NotAfter line may be wrapped away)
CERT_EXPIRED_TEXT        CertPathValidatorException: The certificate expired at
# Host names (sun.security.util.HostnameChecker; the old HttpsURLConnection).
HOSTNAME_MISMATCH_TEXT   No subject alternative (?:DNS )?names? matching (?:IP address )?(?<host>[^\s]+?)\.? found
HOSTNAME_MISMATCH_TEXT   No name matching (?<host>\S+) found
HOSTNAME_MISMATCH_TEXT   No subject alternative names present
HOSTNAME_MISMATCH_TEXT   HTTPS hostname wrong:\s+should be <?(?<host>[^\s>]+)
HOSTNAME_MISMATCH_TEXT   Illegal given domain name: (?<host>\S+)
# ... and the HTTP clients' own checks after a finished handshake (Apache
# HttpClient's DefaultHostnameVerifier, OkHttp)
HOSTNAME_MISMATCH_TEXT   Certificate for <(?<host>[^>\s]+)> doesn't match
HOSTNAME_MISMATCH_TEXT   Hostname (?<host>\S+) not verified
# The peer hung up.
PEER_CLOSED_TEXT         Remote host terminated the handshake
PEER_CLOSED_TEXT         Remote host closed connection during handshake
PEER_CLOSED_TEXT         SSL peer shut down incorrectly
PEER_CLOSED_TEXT         Received close_notify during handshake
# ... or reset the connection: the JDK 11+ Fatal record and classic
# "handling exception:" (both fail only a handshake in flight), the
# SSLHandshakeException an application logs (JDK 23+ puts the alert in
# brackets before the text).  Not a bare "Connection reset" (any
# socket's), nor "SSLException: Connection reset": JDK 11+ throws that
# for an established connection's reads (a stale pooled connection).
# JDK 11+ wraps the socket's error during the handshake instead
# ("Couldn't kickstart handshaking", caused by "readHandshakeRecord").
PEER_CLOSED_TEXT         (?:Fatal \([A-Z_]+\):\s*|handling exception: |SSLHandshakeException: (?:\([a-z_]+\) )?)(?:java\.net\.SocketException: )?Connection reset\b
PEER_CLOSED_TEXT         SSLException: (?:\([a-z_]+\) )?readHandshakeRecord
# An SSLEngine (Tomcat NIO, netty) whose peer hung up mid-handshake: the
# JDK 11+ Fatal record, the classic "fatal error: 80: ...".  Only these
# debug forms: the bare exception is also what an application's own close
# of an established connection raises (MySQL Connector/J logs it often).
PEER_CLOSED_TEXT         (?:Fatal \([A-Z_]+\):\s*|fatal error: \d+: )(?:closing inbound|Inbound closed) before receiving peer's close_notify
# No common version: JDK 11+ client and server, classic client and server.
PROTOCOL_MISMATCH_TEXT   No appropriate protocol
PROTOCOL_MISMATCH_TEXT   The server selected protocol version (?<version>\S+) is not accepted by client preferences \[(?<value>[^\]]*)\]
PROTOCOL_MISMATCH_TEXT   Client requested protocol (?<version>\S+) is not enabled
PROTOCOL_MISMATCH_TEXT   The client supported protocol versions \[(?<version>[^\]]*)\] are not accepted by server preferences \[(?<value>[^\]]*)\]
PROTOCOL_MISMATCH_TEXT   Client requested protocol (?<version>\S+) not enabled
PROTOCOL_MISMATCH_TEXT   Server chose (?<version>[^\s,]+), but that protocol version is not enabled
# No common cipher suite.
CIPHER_MISMATCH_TEXT     no cipher suites in common
# ... found by the client before it said anything (classic and JDK 11+:
# none of its enabled suites fits its enabled versions)
CIPHER_MISMATCH_TEXT     No negotiable cipher suite
# The suite both took is DHE, and its key exchange cannot be done: the
# server's DH group is too large for a JDK 7 client, or too small for the
# client's constraints (JDK 11+ sends insufficient_security for it).
# Either way the fix is the suites (ECDHE), as for no suite in common.
CIPHER_MISMATCH_TEXT     Could not generate DH keypair
CIPHER_MISMATCH_TEXT     DH(?:PublicKey| ServerKeyExchange) does not comply to algorithm constraints
# A JDK 11+ server with no key the client's signature schemes allow (a DSA
# key under TLS 1.3, a key store without the alias): it fails, and the
# same server under TLS 1.2 says "no cipher suites in common".  A client
# only logs the words (below) and goes on without a certificate.  JDK 23+
# puts the alert in brackets before the exception's text
# ("SSLHandshakeException: (handshake_failure) No available ...").
CIPHER_MISMATCH_TEXT     (?:Fatal \([A-Z_]+\):\s*|SSLHandshakeException:\s*(?:\([a-z_]+\)\s*)?)No available authentication scheme
# Revocation: revoked, or its status could not be found and that failed.
REVOKED_TEXT             Certificate has been revoked
REVOKED_TEXT             CertificateRevokedException
REVOKED_TEXT             revocation status check failed
REVOKED_TEXT             Could not determine revocation status
REVOKED_TEXT             Unable to determine revocation status
REVOKED_TEXT             Certificate does not specify OCSP responder
CHAINING_FAILED_TEXT     subject/issuer name chaining check failed
# Client certificates: the server saw none (JDK 11+, classic), the client
# had none to send (JDK 11+, classic).
CLIENT_CERT_MISSING_TEXT Empty client certificate chain
CLIENT_CERT_MISSING_TEXT null cert chain
CLIENT_CERT_MISSING_TEXT No X\.509 certificate for client authentication
CLIENT_CERT_MISSING_TEXT no suitable certificate found
CLIENT_CERT_MISSING_TEXT No available (?:client )?authentication scheme
# A JDK 11-22 server says "server" here for the client's empty chain; a
# client says it when the server sent none: the role decides.
EMPTY_CHAIN_TEXT         Empty server certificate chain
EKU_REJECTED_TEXT        Extended key usage does not permit use for TLS client authentication
# A certificate the path reaches a trusted root with, yet unusable: signed
# with a disabled algorithm (SHA1withRSA, MD5withRSA) or holding too short
# a key (jdk.certpath.disabledAlgorithms; JDK 8 says "check failed:
# SHA1withRSA", later JDKs "check failed on signature algorithm: ..." or
# "on keysize limits: ..."), a server certificate without serverAuth or
# with the wrong key usage, a leaf in the issuer's place.
CERT_UNUSABLE_TEXT       Algorithm constraints check failed
CERT_UNUSABLE_TEXT       Certificates? do(?:es)? not conform to algorithm constraints
CERT_UNUSABLE_TEXT       Extended key usage does not permit use for TLS server authentication
CERT_UNUSABLE_TEXT       KeyUsage does not allow (?:digital signatures|key encipherment|key agreement)
CERT_UNUSABLE_TEXT       basic constraints check failed
# The peer does not speak TLS (a plain HTTP port, a proxy): JDK 11+ and
# classic wording.
OTHER_FAILURE_TEXT       Unsupported or unrecognized SSL message
OTHER_FAILURE_TEXT       Unrecognized SSL message, plaintext connection\?
