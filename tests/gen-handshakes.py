#!/usr/bin/env python3
"""gen-handshakes.py - writes a JSSE debug log (JDK 11+ record format) with
N handshakes to standard output, for the bounded-memory tests.

usage: gen-handshakes.py N [PEERS] [THREADS]

Handshake i runs on thread worker-(i % THREADS) against peer
p(i % PEERS).partner.test, one millisecond after the one before.  Every
tenth is leaf-only and fails PKIX path building (a fatal alert and an
SSLHandshakeException application line follow); the others send leaf and
intermediate and finish.  So the expected findings are exact:
LEAF_ONLY_CHAIN = ceil(N / 10), OK = the rest."""
import sys
import time


def main():
    n = int(sys.argv[1])
    peers = int(sys.argv[2]) if len(sys.argv) > 2 else 50
    threads = int(sys.argv[3]) if len(sys.argv) > 3 else 8
    t0 = int(time.mktime((2026, 11, 22, 9, 0, 0, 0, 0, 0)))
    out = sys.stdout.buffer
    buf = []
    for i in range(n):
        ms = i
        sec = t0 + ms // 1000
        ts = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(sec)) + ".%03d UTC" % (ms % 1000)
        th = "worker-%d" % (i % threads)
        peer = "p%d.partner.test" % (i % peers)
        hdr = "javax.net.ssl|DEBUG|0A|%s|%s|" % (th, ts)
        buf.append(hdr + "ClientHello.java:639|Produced ClientHello handshake message (\n"
                   "      type=host_name (0), value=%s\n" % peer)
        buf.append(hdr + "CertificateMessage.java:1166|Consuming server Certificate handshake message (\n"
                   '  "certificate" : {\n'
                   '    "subject"            : "CN=%s",\n'
                   '    "issuer"             : "CN=Gen Issuing CA",\n' % peer)
        if i % 10 == 0:
            buf.append("javax.net.ssl|ERROR|0A|%s|%s|TransportContext.java:375|"
                       "Fatal (CERTIFICATE_UNKNOWN): PKIX path building failed: "
                       "unable to find valid certification path to requested target (\n"
                       ")\n"
                       "javax.net.ssl.SSLHandshakeException: PKIX path building failed\n"
                       % (th, ts))
        else:
            buf.append('  "certificate" : {\n'
                       '    "subject"            : "CN=Gen Issuing CA",\n'
                       '    "issuer"             : "CN=Gen Root CA",\n')
            buf.append(hdr + "Finished.java:917|Consuming server Finished handshake message (\n")
            buf.append(hdr + "Finished.java:687|Produced client Finished handshake message (\n")
        if len(buf) > 4096:
            out.write("".join(buf).encode())
            buf = []
    out.write("".join(buf).encode())


if __name__ == "__main__":
    main()
