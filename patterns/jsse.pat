# jsse.pat - JDK 11+ (and 8u261+) SSLLogger records: the handshake messages
# and the fields of each certificate in a Certificate message.  Matched
# against the record's message (after the `javax.net.ssl|...|` header) and
# the lines of its body.  See doc/FORMATS.md sections 1-3.
#
# Hellos.  "Produced ClientHello(HRR)" is the second ClientHello after a
# HelloRetryRequest (value set): it continues the handshake.
CLIENT_HELLO_PRODUCED  Produced ClientHello(?:\((?<value>HRR|cookie)\))? handshake message
CLIENT_HELLO_CONSUMED  Consuming ClientHello(?:\((?<value>HRR|cookie)\))? handshake message
SERVER_HELLO_PRODUCED  Produced ServerHello handshake message
SERVER_HELLO_CONSUMED  Consuming ServerHello handshake message
# The server logs its HelloRetryRequest; the client logs a ServerHello
# record whose body is a "HelloRetryRequest" (value set).
HELLO_RETRY_REQUEST    (?:Produced|Reproduced|Consuming) HelloRetryRequest handshake message
HELLO_RETRY_REQUEST    ^\s*"(?<value>HelloRetryRequest)": \{
# Versions offered (ClientHello supported_versions) and chosen (ServerHello);
# "client version" is the legacy field, used when there is no extension.
HELLO_VERSIONS         ^\s*"versions": \[(?<value>[^\]]*)\]
HELLO_VERSIONS         ^\s*"selected version": \[(?<value>[^\]]*)\]
HELLO_VERSIONS         ^\s*"client version"\s*: "(?<version>[^"]+)"
HELLO_VERSIONS         ^\s*"server version"\s*: "(?<version>[^"]+)"
SNI                    type=host_name \(0\), value=(?<host>[^\s,\]]+)
TLS_VERSION            Negotiated protocol version: (?<version>\S+)
CIPHER_SUITE           "cipher suite"\s*: "(?<value>[A-Za-z0-9_]+)
# After both Finished: a TLS 1.3 client's session ticket settles the outcome.
NEW_SESSION_TICKET     Consuming NewSessionTicket (?:handshake )?message
# Certificate messages: the peer's (consumed), ours (produced).
CERT_MSG_CONSUMED      Consuming (?<value>server|client) Certificate (?:handshake )?message
CERT_MSG_PRODUCED      Produced (?<value>server|client) Certificate (?:handshake )?message
# Client authentication: the request, and the CAs it names (TLS 1.2 on one
# line; TLS 1.3 "[" then one DN a line).
CERT_REQUEST           (?<value>Consuming|Produced) CertificateRequest (?:handshake )?message
CERT_AUTHORITY         "certificate authorities": \[(?<value>.*?)\]?\s*$
# The key manager's entries ("keymanager" debugging; SunX509).
KEY_ENTRY              found key for : (?<value>.+?)(?: \()?\s*$
TRUSTED_CERT           Found trusted certificate
TRUSTED_CERT           adding as trusted certificates
# Expanded record headers (javax.net.debug=...:expand).
EXPANDED_RECORD        ^\s*"logger"\s*: "javax\.net\.ssl"
# Certificate fields.
CERT_ENTRY             "certificate"\s*: \{
CERT_SUBJECT           "subject"\s*: "(?<value>.*)",?\s*$
CERT_ISSUER            "issuer"\s*: "(?<value>.*)",?\s*$
CERT_NOT_BEFORE        "not before"\s*: "(?<value>[^"]*)"
CERT_NOT_AFTER         "not\s+after"\s*: "(?<value>[^"]*)"
CERT_SERIAL            "serial number"\s*: "(?<value>[^"]*)"
# SubjectAlternativeName [ DNSName: x / IPAddress: 1.2.3.4 ] (also classic)
CERT_SAN_BEGIN         SubjectAlternativeName \[
CERT_SAN_NAME          ^\s*DNSName: (?<value>\S+)
CERT_SAN_NAME          ^\s*IPAddress: (?<value>\S+)
FINISHED_CONSUMED      Consuming (?:server |client )?Finished handshake message
# SSLSocketImpl's "handling exception (" record: before a Fatal record for
# most exceptions, alone for a read that timed out (the throwable says so).
OTHER_FAILURE_TEXT     ^handling exception(?: \(|:?\s*$)
FINISHED_PRODUCED      Produced (?:server |client )?Finished handshake message
