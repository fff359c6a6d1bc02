#!/usr/bin/env python3
"""contract.py - validates an sslsift JSON report against shared/contract.md
and, optionally, expectations about it.

usage: contract.py REPORT.json [EXPECT...]
EXPECT is  HOST=DIAGNOSIS[,chain=CHAIN][,certs=N][,outcome=O][,symptoms=KIND+KIND]
           e.g. leafonly.partner.test=LEAF_ONLY_CHAIN,chain=leaf_only,certs=1
or         handshakes=N, findings=CODE+CODE (the set of finding codes).
Exits 1 with a message on the first violation."""
import json
import sys

CHAINS = {"leaf_only", "complete", "complete_with_root", "self_signed",
          "out_of_order", "empty", "not_captured"}
CODES = {"OK": "info", "LEAF_ONLY_CHAIN": "error",
         "LEAF_ONLY_CHAIN_TOLERATED": "warning", "UNTRUSTED_ROOT": "error",
         "SELF_SIGNED_UNTRUSTED": "error", "CHAIN_OUT_OF_ORDER": "error",
         "CERT_EXPIRED": "error", "HOSTNAME_MISMATCH": "error",
         "CLIENT_CERT_NOT_SENT": "error", "CLIENT_CERT_REJECTED": "error",
         "CLIENT_CHAIN_INCOMPLETE": "error", "PROTOCOL_MISMATCH": "error",
         "CIPHER_MISMATCH": "error", "REVOKED": "error", "PEER_CLOSED": "error",
         "TRUST_PATH_FAILED": "error", "HANDSHAKE_FAILED": "error"}
KINDS = {"SSL_HANDSHAKE_EXCEPTION", "SOCKET_CLOSED", "PEER_NOT_AUTHENTICATED",
         "OTHER"}


def fail(msg):
    print("contract.py: " + msg, file=sys.stderr)
    sys.exit(1)


def need(obj, key, types, where):
    if key not in obj:
        fail(f"{where}: missing '{key}'")
    if not isinstance(obj[key], types):
        fail(f"{where}: '{key}' has type {type(obj[key]).__name__}")
    return obj[key]


def check_schema(doc):
    need(doc, "version", str, "report")
    paths = set()
    for i, inp in enumerate(need(doc, "inputs", list, "report")):
        w = f"inputs[{i}]"
        paths.add(need(inp, "path", str, w))
        need(inp, "compressed", bool, w)
        need(inp, "bytes", int, w)
        need(inp, "lines", int, w)
        need(inp, "error", (str, type(None)), w)
    for i, h in enumerate(need(doc, "handshakes", list, "report")):
        w = f"handshakes[{i}]"
        if need(h, "file", str, w) not in paths:
            fail(f"{w}: file {h['file']} is not an input")
        need(h, "line", int, w)
        need(h, "thread", (str, type(None)), w)
        if need(h, "role", (str, type(None)), w) not in ("client", "server", None):
            fail(f"{w}: bad role {h['role']}")
        need(h, "peer", (str, type(None)), w)
        need(h, "tls_version", (str, type(None)), w)
        if need(h, "outcome", str, w) not in ("ok", "failed", "unknown"):
            fail(f"{w}: bad outcome {h['outcome']}")
        certs = need(h, "peer_certificates", (list, type(None)), w)
        for j, c in enumerate(certs or []):
            for k in ("subject", "issuer", "not_before", "not_after"):
                need(c, k, (str, type(None)), f"{w}.peer_certificates[{j}]")
        if need(h, "chain", str, w) not in CHAINS:
            fail(f"{w}: bad chain {h['chain']}")
        if (certs is None) != (h["chain"] == "not_captured"):
            fail(f"{w}: peer_certificates null iff chain not_captured")
        if need(h, "diagnosis", str, w) not in CODES:
            fail(f"{w}: bad diagnosis {h['diagnosis']}")
        for j, s in enumerate(need(h, "symptoms", list, w)):
            ws = f"{w}.symptoms[{j}]"
            if need(s, "kind", str, ws) not in KINDS:
                fail(f"{ws}: bad kind {s['kind']}")
            if need(s, "file", str, ws) not in paths:
                fail(f"{ws}: file is not an input")
            need(s, "line", int, ws)
    counts = {}
    for h in doc["handshakes"]:
        counts[h["diagnosis"]] = counts.get(h["diagnosis"], 0) + 1
    # Handshakes past the detail caps are counted in their finding but not
    # listed: count = listed + handshakes_omitted, and those add up.
    omitted = doc.get("handshakes_omitted", 0)
    if not isinstance(omitted, int) or omitted < 0:
        fail(f"bad handshakes_omitted {omitted!r}")
    seen = set()
    omitted_sum = 0
    for i, f in enumerate(need(doc, "findings", list, "report")):
        w = f"findings[{i}]"
        code = need(f, "code", str, w)
        if code not in CODES or code in seen:
            fail(f"{w}: bad or repeated code {code}")
        seen.add(code)
        if need(f, "severity", str, w) != CODES[code]:
            fail(f"{w}: severity {f['severity']} for {code}")
        if need(f, "count", int, w) <= 0:
            fail(f"{w}: a finding with no handshake")
        f_omitted = f.get("handshakes_omitted", 0)
        omitted_sum += f_omitted
        if need(f, "count", int, w) != counts.get(code, 0) + f_omitted:
            fail(f"{w}: count {f['count']} but {counts.get(code, 0)} "
                 f"handshakes listed and {f_omitted} omitted")
        need(f, "peers", list, w)
        need(f, "advice", str, w)
    if not set(counts) <= seen:
        fail(f"findings {sorted(seen)} do not cover diagnoses {sorted(counts)}")
    if omitted_sum != omitted:
        fail(f"findings omit {omitted_sum} handshakes, the report {omitted}")


def check_expect(doc, exp):
    key, _, rest = exp.partition("=")
    if key == "handshakes":
        if len(doc["handshakes"]) != int(rest):
            fail(f"{len(doc['handshakes'])} handshakes, expected {rest}")
        return
    if key == "findings":
        got = sorted(f["code"] for f in doc["findings"])
        if got != sorted(rest.split("+")):
            fail(f"findings {got}, expected {sorted(rest.split('+'))}")
        return
    parts = rest.split(",")
    diag, props = parts[0], dict(p.split("=", 1) for p in parts[1:])
    hs = [h for h in doc["handshakes"]
          if h["peer"] and h["peer"].split(":")[0] == key]
    if not hs:
        fail(f"no handshake with peer {key}")
    for h in hs:
        w = f"{key} ({h['file']}:{h['line']})"
        if h["diagnosis"] != diag:
            fail(f"{w}: diagnosis {h['diagnosis']}, expected {diag}")
        if "chain" in props and h["chain"] != props["chain"]:
            fail(f"{w}: chain {h['chain']}, expected {props['chain']}")
        if "outcome" in props and h["outcome"] != props["outcome"]:
            fail(f"{w}: outcome {h['outcome']}, expected {props['outcome']}")
        if "certs" in props and len(h["peer_certificates"] or []) != int(props["certs"]):
            fail(f"{w}: {len(h['peer_certificates'] or [])} certs, expected {props['certs']}")
        if "symptoms" in props:
            kinds = {s["kind"] for s in h["symptoms"]}
            want = set(props["symptoms"].split("+"))
            if not want <= kinds:
                fail(f"{w}: symptoms {sorted(kinds)}, expected {sorted(want)}")
        if "tls" in props and h["tls_version"] != props["tls"]:
            fail(f"{w}: tls_version {h['tls_version']}, expected {props['tls']}")


def main():
    if len(sys.argv) < 2:
        fail(__doc__)
    with open(sys.argv[1], "rb") as f:
        raw = f.read()
    try:
        doc = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as e:
        fail(f"not valid UTF-8 JSON: {e}")
    check_schema(doc)
    for exp in sys.argv[2:]:
        check_expect(doc, exp)


if __name__ == "__main__":
    main()
