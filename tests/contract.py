#!/usr/bin/env python3
"""contract.py - validates an sslsift JSON report against shared/contract.md
and, optionally, expectations about it.

usage: contract.py REPORT.json [EXPECT...]
EXPECT is  WHICH=DIAGNOSIS[,PROP=VALUE]...
           e.g. leafonly.partner.test=LEAF_ONLY_CHAIN,chain=leaf_only,certs=1
           WHICH is a peer host, "*" (every handshake) or "file:NAME" (the
           handshakes of the input whose base name is NAME); PROP is one of
           chain, certs, outcome, symptoms (KIND+KIND), tls, role, alert
           (a description or "none"), alert_by (peer|local), client_cert
           (sent|empty|none), client_subject (a substring), authorities (how
           many CAs the CertificateRequest named; "none": no request),
           ambiguous (true|false), hrr (true|false), hint (yes|no),
           debug (none|alerts|handshake), called, names (NAME+NAME: the
           leaf's subject alternative names), expired (the index of the
           expired certificate), versions_local, versions_peer, key_store
           (how many key store entries)
or         handshakes=N, findings=CODE+CODE (the set of finding codes).
Exits 1 with a message on the first violation."""
import os
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


OPT_STR = (str, type(None))


def opt(obj, key, types, where):
    """A field sslsift adds beyond the contract: typed when present."""
    if key in obj and not isinstance(obj[key], types):
        fail(f"{where}: '{key}' has type {type(obj[key]).__name__}")
    return obj.get(key)


def check_detail(h, w):
    for k in ("sni", "cipher", "start", "end", "direction", "client_certificate",
              "client_certificate_status", "name_called", "versions_local",
              "versions_peer", "debug_level_hint"):
        opt(h, k, OPT_STR, w)
    if opt(h, "direction", OPT_STR, w) not in (None, "outbound", "inbound"):
        fail(f"{w}: bad direction {h['direction']}")
    opt(h, "duration_ms", (int, type(None)), w)
    opt(h, "ambiguous", bool, w)
    if opt(h, "debug_level", str, w) not in (None, "none", "alerts", "handshake"):
        fail(f"{w}: bad debug_level {h['debug_level']}")
    if opt(h, "client_certificate_status", OPT_STR, w) not in (None, "sent", "empty"):
        fail(f"{w}: bad client_certificate_status")
    alert = opt(h, "alert", (dict, type(None)), w)
    if alert is not None:
        if need(alert, "by", str, w + ".alert") not in ("peer", "local"):
            fail(f"{w}.alert: bad 'by' {alert['by']}")
        need(alert, "description", str, w + ".alert")
    req = opt(h, "certificate_request", (dict, type(None)), w)
    if req is not None:
        for a in need(req, "authorities", list, w + ".certificate_request"):
            if not isinstance(a, str):
                fail(f"{w}.certificate_request: an authority is not a string")
    for j, c in enumerate(h.get("peer_certificates") or []):
        names = opt(c, "names", list, f"{w}.peer_certificates[{j}]")
        if names and not all(isinstance(n, str) for n in names):
            fail(f"{w}.peer_certificates[{j}]: a name is not a string")
    exp = opt(h, "expired_certificate", (dict, type(None)), w)
    if exp is not None:
        opt(exp, "index", (int, type(None)), w + ".expired_certificate")


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
        check_detail(h, w)
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
    check_additions(doc)


def optional(obj, key, types, where):
    """A field added after the contract: checked when present."""
    if key in obj and not isinstance(obj[key], types):
        fail(f"{where}: '{key}' has type {type(obj[key]).__name__}")
    return obj.get(key)


def check_additions(doc):
    """The fields added since the contract (node, window, redaction, and
    what merging needs) hold together."""
    s = (str, type(None))
    optional(doc, "node", s, "report")
    for n in optional(doc, "nodes", list, "report") or []:
        if not isinstance(n, str):
            fail(f"report: nodes holds {n!r}")
    window = optional(doc, "window", (dict, type(None)), "report")
    optional(doc, "redacted", bool, "report")
    for i, inp in enumerate(doc["inputs"]):
        optional(inp, "node", s, f"inputs[{i}]")
    starts = {}
    for i, h in enumerate(doc["handshakes"]):
        w = f"handshakes[{i}]"
        optional(h, "node", s, w)
        optional(h, "peer_host", s, w)
        optional(h, "peer_port", (int, type(None)), w)
        start = optional(h, "start", s, w)
        if window and "start" in h:
            if start is None:
                fail(f"{w}: no start time, but the report has a window")
            if (window.get("since") and start < window["since"]) or \
               (window.get("until") and start > window["until"]):
                fail(f"{w}: starts at {start}, outside the window {window}")
        if start:
            starts.setdefault(h["diagnosis"], []).append(start)
        if "peer_host" in h and h["peer"] is not None:
            if not h["peer"].startswith(h["peer_host"] or ""):
                fail(f"{w}: peer {h['peer']} but peer_host {h['peer_host']}")
    for i, f in enumerate(doc["findings"]):
        w = f"findings[{i}]"
        pc = optional(f, "peer_counts", dict, w)
        if pc is not None:
            if set(pc) != set(f["peers"]):
                fail(f"{w}: peer_counts {sorted(pc)} but peers {f['peers']}")
            if any(not isinstance(v, int) or v < 1 for v in pc.values()) \
               or sum(pc.values()) > f["count"]:
                fail(f"{w}: peer_counts {pc} for count {f['count']}")
        first = optional(f, "first_seen", s, w)
        last = optional(f, "last_seen", s, w)
        if "first_seen" in f:
            got = starts.get(f["code"], [])
            want = (min(got), max(got)) if got else (None, None)
            if f.get("handshakes_omitted", 0):
                # handshakes past the detail caps count in first/last seen
                # but are not listed: the listed ones lie within
                if got and (first is None or first > want[0] or
                            last is None or last < want[1]):
                    fail(f"{w}: first/last seen {first}..{last} do not "
                         f"cover the listed {want[0]}..{want[1]}")
            elif (first, last) != want:
                fail(f"{w}: first/last seen {first}..{last}, handshakes "
                     f"started {want[0]}..{want[1]}")


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
    if key == "*":
        hs = doc["handshakes"]
    elif key.startswith("file:"):
        hs = [h for h in doc["handshakes"]
              if os.path.basename(h["file"]) == key[5:]]
    else:
        hs = [h for h in doc["handshakes"]
              if h["peer"] and h["peer"].split(":")[0] == key]
    if not hs:
        fail(f"no handshake for {key}")
    for h in hs:
        w = f"{key} ({h['file']}:{h['line']})"
        if h["diagnosis"] != diag:
            fail(f"{w}: diagnosis {h['diagnosis']}, expected {diag}")
        for prop, want in props.items():
            if prop not in PROPS:
                fail(f"unknown expectation {prop}")
            got = PROPS[prop](h)
            ok = want in got if prop == "client_subject" else (
                set(want.split("+")) <= got if prop == "symptoms" else
                str(got) == want)
            if not ok:
                fail(f"{w}: {prop} {got}, expected {want}")


def _alert(h):
    a = h.get("alert")
    return a["description"] if a else "none"


def _names(h):
    certs = h.get("peer_certificates") or []
    return "+".join(certs[0].get("names", [])) if certs else ""


def _authorities(h):
    req = h.get("certificate_request")
    return "none" if req is None else len(req["authorities"])


def _expired(h):
    e = h.get("expired_certificate")
    return "none" if not e or e.get("index") is None else e["index"]


PROPS = {
    "chain": lambda h: h["chain"],
    "outcome": lambda h: h["outcome"],
    "certs": lambda h: len(h["peer_certificates"] or []),
    "symptoms": lambda h: {s["kind"] for s in h["symptoms"]},
    "tls": lambda h: h["tls_version"],
    "role": lambda h: h["role"],
    "alert": _alert,
    "alert_by": lambda h: (h.get("alert") or {}).get("by", "none"),
    "client_cert": lambda h: h.get("client_certificate_status") or "none",
    "client_subject": lambda h: h.get("client_certificate") or "",
    "authorities": _authorities,
    "ambiguous": lambda h: str(h.get("ambiguous")).lower(),
    "hrr": lambda h: str(h.get("hello_retry")).lower(),
    "hint": lambda h: "yes" if h.get("debug_level_hint") else "no",
    "debug": lambda h: h.get("debug_level"),
    "called": lambda h: h.get("name_called"),
    "names": _names,
    "expired": _expired,
    "versions_local": lambda h: h.get("versions_local"),
    "versions_peer": lambda h: h.get("versions_peer"),
    "key_store": lambda h: len(h.get("local_key_store") or []),
}


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
