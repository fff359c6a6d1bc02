#!/usr/bin/env python3
"""make-bad-inputs.py - writes the small inputs of the bad-input matrix
(tests/badinput.sh) into DIR, made from the real captures in samples/ at
test time, so that they follow the samples when those are recaptured.

usage: make-bad-inputs.py SRCDIR DIR

Writes (the big ones, the 100 MB line and the million handshakes, are
streamed by badinput.sh itself):
  nul.log              64 KiB of NUL bytes
  random.bin           1 MiB of random bytes (fixed seed; not gzip magic)
  bad-utf8.log         leaf_only-tls13.log with invalid UTF-8 in the
                       certificate subject, the issuer, the SNI and the
                       thread name
  escapes.log          the same with terminal escape sequences, C1 and
                       bidi controls in the subject, the SNI and the thread
  markdown.log         the same with | ` < > & * _ [ ] in the SNI and subject
  cut-cert.log         leaf_only-tls13.log cut after the first "issuer" line
                       of the peer's certificate block
  certs-10000.log      leaf_only-tls13.log whose peer Certificate message
                       holds 10,000 entries, each issued by the next
  trunc.log.gz         self_signed-tls12.log gzipped, cut in the middle
  badcrc.log.gz        ... with its CRC-32 damaged
  trailing.log.gz      ... followed by trailing garbage
  slow.log             1233 plain lines, then a line of 40 'x' at line 1234
                       (a catastrophic-backtracking rule's victim)
"""
import gzip
import os
import random
import re
import sys

LEAF = "samples/jdk17/leaf_only-tls13.log"
SELF = "samples/jdk17/self_signed-tls12.log"
HOST = b"leafonly.partner.test"


def read(srcdir, rel):
    with open(os.path.join(srcdir, rel), "rb") as f:
        return f.read()


def write(d, name, data):
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def vandalise(text, host, subject, thread):
    """The leaf-only capture with its SNI host, leaf subject CN and thread
    name replaced."""
    text = (text.replace(b"value=" + HOST, b"value=" + host)
            .replace(b"CN=" + HOST, b"CN=" + subject))
    return re.sub(rb"^(javax\.net\.ssl\|[A-Z]+\|[0-9A-F]+\|)[^|]*\|",
                  lambda m: m.group(1) + thread + b"|", text, flags=re.M)


def cert_block(n):
    """A TLS 1.3 certificate_list of n entries, entry k issued by k+1."""
    out = [b'  "certificate_list": [  ']
    for k in range(n):
        out += [b"  {",
                b'    "certificate" : {',
                b'      "issuer"             : "CN=Bulk CA %d",' % (k + 1),
                b'      "subject"            : "CN=%s",' % (
                    HOST if k == 0 else b"Bulk CA %d" % k),
                b"    }",
                b"  },"]
    out.append(b"]")
    return out


def certs_10000(leaf):
    """Replaces the peer's certificate_list (from its opening line to the
    line "]" that closes it) with 10,000 entries."""
    lines = leaf.split(b"\n")
    start = next(i for i, l in enumerate(lines) if b'"certificate_list"' in l)
    end = next(i for i in range(start, len(lines)) if lines[i] == b"]")
    return b"\n".join(lines[:start] + cert_block(10000) + lines[end + 1:])


def main():
    srcdir, d = sys.argv[1], sys.argv[2]
    leaf = read(srcdir, LEAF)
    selfsigned = read(srcdir, SELF)
    rnd = random.Random(5)

    write(d, "nul.log", b"\0" * 65536)
    blob = bytearray(rnd.getrandbits(8) for _ in range(1 << 20))
    blob[0] = 0x00  # never gzip magic
    write(d, "random.bin", bytes(blob))

    write(d, "bad-utf8.log", vandalise(
        leaf, b"badutf8\xff.partner.test",
        b"bad\xc0\x80utf8\xed\xa0\x80.partner.test\xe2\x82",
        b"th\xfe\xffread"))
    write(d, "escapes.log", vandalise(
        leaf, b"esc\x1b[2J\x1b]0;pwned\x07.partner.test",
        b"esc\x1b[31mred\x1b[0m\xc2\x9b6n\xe2\x80\xaeevil\x7f.partner.test",
        b"th\x1b[1Aread\x08"))
    write(d, "markdown.log", vandalise(
        leaf, b"md|pipe`tick<b>&*_[x].partner.test",
        b"md|cell`code`<script>alert(1)</script>&amp;*em*_u_[l](x)",
        b"main"))

    lines = leaf.replace(b"value=" + HOST, b"value=cut.partner.test").split(b"\n")
    n = next(i for i, l in enumerate(lines) if b'"issuer"' in l)
    write(d, "cut-cert.log", b"\n".join(lines[:n + 1]) + b"\n")
    write(d, "certs-10000.log", certs_10000(leaf).replace(
        b"value=" + HOST, b"value=bulk.partner.test"))

    gz = gzip.compress(selfsigned, mtime=0)
    write(d, "trunc.log.gz", gz[:len(gz) // 2])
    bad = bytearray(gz)
    bad[-8] ^= 0xFF           # the CRC-32 field: the last 8 bytes are CRC, size
    write(d, "badcrc.log.gz", bytes(bad))
    write(d, "trailing.log.gz", gz + b"this is not gzip\n")

    slow = [b"plain line %d" % i for i in range(1, 1234)]
    slow += [b"x" * 40] + [b"after"] * 10 + [b"x" * 50]
    write(d, "slow.log", b"\n".join(slow) + b"\n")


if __name__ == "__main__":
    main()
