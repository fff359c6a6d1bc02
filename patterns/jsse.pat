# jsse.pat - JDK 11+ (and 8u261+) SSLLogger records: the handshake messages
# and the fields of each certificate in a Certificate message.  Matched
# against the record's message (after the `javax.net.ssl|...|` header) and
# the lines of its body.
CLIENT_HELLO_PRODUCED  Produced ClientHello handshake message
CLIENT_HELLO_CONSUMED  Consuming ClientHello handshake message
SERVER_HELLO_PRODUCED  Produced ServerHello handshake message
SERVER_HELLO_CONSUMED  Consuming ServerHello handshake message
HELLO_RETRY_REQUEST    (?:Produced|Consuming) HelloRetryRequest handshake message
SNI                    type=host_name \(0\), value=(?<host>[^\s,\]]+)
TLS_VERSION            Negotiated protocol version: (?<version>\S+)
CIPHER_SUITE           "cipher suite"\s*: "(?<value>[A-Za-z0-9_]+)
CERT_MSG_CONSUMED      Consuming (?<value>server|client) Certificate (?:handshake )?message
CERT_MSG_PRODUCED      Produced (?<value>server|client) Certificate (?:handshake )?message
CERT_REQUEST           (?:Consuming|Produced) CertificateRequest handshake message
TRUSTED_CERT           Found trusted certificate
CERT_ENTRY             "certificate"\s*: \{
CERT_SUBJECT           "subject"\s*: "(?<value>.*)",?\s*$
CERT_ISSUER            "issuer"\s*: "(?<value>.*)",?\s*$
CERT_NOT_BEFORE        "not before"\s*: "(?<value>[^"]*)"
CERT_NOT_AFTER         "not\s+after"\s*: "(?<value>[^"]*)"
CERT_SERIAL            "serial number"\s*: "(?<value>[^"]*)"
FINISHED_CONSUMED      Consuming (?:server |client )?Finished handshake message
FINISHED_PRODUCED      Produced (?:server |client )?Finished handshake message
