# classic.pat - classic JDK 8 (before 8u261) and IBM JSSE debug output:
# `thread, VERB ...` lines and the `*** Message` blocks.  Matched against
# the message left once the `thread, ` prefix is stripped.
# Every record line, with its type: a Handshake READ is followed by the
# messages it held, a Change Cipher Spec WRITE by our Finished, and a
# ClientHello we print waits for the Handshake WRITE that names our thread.
CLASSIC_READ              ^READ: (?<version>\S+) (?<value>Handshake|Change Cipher Spec|Alert|Application Data)
CLASSIC_READ              ^READ:  SSL v2, contentType = (?<value>Handshake)
CLASSIC_WRITE             ^WRITE: (?<version>\S+) (?<value>Handshake|Change Cipher Spec|Alert|Application Data)
CLASSIC_WRITE             ^WRITE: SSLv2 (?<value>client hello) message
CLASSIC_CLIENT_HELLO      ^\*\*\* ClientHello, (?<version>\S+)
CLASSIC_SERVER_HELLO      ^\*\*\* ServerHello, (?<version>\S+)
CLASSIC_CERT_CHAIN        ^\*\*\* Certificate chain
CLASSIC_CERT_REQUEST      ^\*\*\* CertificateRequest
CLASSIC_SERVER_HELLO_DONE ^\*\*\* ServerHelloDone
CLASSIC_FINISHED          ^\*\*\* Finished
CLASSIC_BLOCK_END         ^\*\*\*\s*$
CLASSIC_TRUSTED_CERT      ^Found trusted certificate:
CLASSIC_TRUSTED_CERT      ^adding as trusted cert:
CERT_ENTRY                ^chain \[\d+\] = \[
CERT_SUBJECT              ^\s*Subject: (?<value>.*?)\s*$
CERT_ISSUER               ^\s*Issuer: (?<value>.*?)\s*$
CERT_NOT_BEFORE           Validity: \[From: (?<value>[^,]+),
CERT_NOT_AFTER            ^\s*To: (?<value>[^\]]+)\]
CERT_SERIAL               ^\s*SerialNumber: \[\s*(?<value>[0-9a-fA-F ]+?)\s*\]
CERT_EMPTY                ^<Empty>\s*$
SNI                       server_name, server_name: \[type=host_name \(0\), value=(?<host>[^\]\s,]+)
CIPHER_SUITE              ^Cipher Suite: (?<value>[A-Za-z0-9_]+)
# CertificateRequest: "Cert Authorities:", then one <DN> a line.
CLASSIC_CERT_AUTHORITIES ^Cert Authorities:
# "thread, fatal error: 46: General SSLEngine problem" is printed with the
# cause's toString() on the next line (one println): the cause says why.
CLASSIC_FATAL_ERROR       ^fatal error: (?<value>\d+): (?<detail>.*)
# A warning alert from the peer during the handshake that the handshaker
# does not accept: it throws "handshake alert: x" (server "SSL -- ...",
# client "SSL - ..."), so the peer's alert ended the handshake.
CLASSIC_HANDSHAKE_ALERT   ^SSL --? handshake alert:\s+(?<alert>\w+)
# "thread, handling exception: X": X ended the connection (an
# SSLHandshakeException is SSL_HANDSHAKE_EXCEPTION's already); a
# handshake in flight failed with it, e.g. a SocketTimeoutException.
OTHER_FAILURE_TEXT        ^handling exception: (?!javax\.net\.ssl\.SSLHandshakeException)(?<detail>.*)
# (The key manager's "found key for : alias" is in jsse.pat: same text.)
