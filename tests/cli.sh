#!/bin/sh
# cli.sh - end-to-end checks of the command line against the contract:
# verdicts on the real captured samples (checked by meaning, so they hold
# when the samples are recaptured), exit statuses, stdin and gzip, and
# errors that name the file while the rest of the input is still analysed.
set -u
: "${top_srcdir:?}" "${SSLSIFT:?}"
PY=${PYTHON3:-python3}
CONTRACT="$PY $top_srcdir/tests/contract.py"
cd "$top_srcdir" || exit 99
T=$(mktemp -d) || exit 99
trap 'rm -rf "$T"' EXIT
S() { "$SSLSIFT" --patterns patterns "$@"; }
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "ok: $1"; }
bad() { fail=$((fail + 1)); echo "FAIL: $1"; }
# expect_status NAME WANT GOT
expect_status() { if [ "$3" -eq "$2" ]; then ok "$1 (exit $3)"; else bad "$1: exit $3, expected $2"; fi; }
# json_check NAME ARGS... -- EXPECTS...
json_check() {
	name=$1; shift
	args=""; while [ "$1" != -- ]; do args="$args $1"; shift; done; shift
	# shellcheck disable=SC2086
	S -f json $args >"$T/out.json" 2>"$T/err"
	if $CONTRACT "$T/out.json" "$@" 2>"$T/why"; then ok "$name"; else bad "$name: $(cat "$T/why")"; fi
}

# --- options --------------------------------------------------------------
S --version >"$T/v"; st=$?
expect_status "--version" 0 $st
grep -q '^sslsift [0-9.]* (pcre2.*zlib' "$T/v" && ok "--version names features" || bad "--version: $(cat "$T/v")"
S --help >"$T/h"; st=$?
expect_status "--help" 0 $st
for o in --format --patterns --max-line --help --version; do
	grep -q -- "$o" "$T/h" || bad "--help lacks $o"
done
S --no-such-option >/dev/null 2>&1; expect_status "bad option" 2 $?
S -f yaml samples/jdk17/full_chain-tls13.log >/dev/null 2>"$T/err"; expect_status "unknown format" 2 $?
grep -q "unknown format 'yaml'" "$T/err" && ok "unknown format message" || bad "unknown format message: $(cat "$T/err")"

# --- verdicts on each real capture -------------------------------------
J=samples/jdk17
json_check "leaf-only TLS 1.2" $J/leaf_only-tls12.log -- \
	leafonly.partner.test=LEAF_ONLY_CHAIN,chain=leaf_only,certs=1,outcome=failed,tls=TLSv1.2 handshakes=1
json_check "leaf-only TLS 1.3" $J/leaf_only-tls13.log -- \
	leafonly.partner.test=LEAF_ONLY_CHAIN,chain=leaf_only,certs=1,outcome=failed,tls=TLSv1.3 handshakes=1
json_check "leaf-only, debug=all" $J/leaf_only-tls13-debug-all.log -- \
	leafonly.partner.test=LEAF_ONLY_CHAIN,chain=leaf_only,certs=1 handshakes=1
for v in 2 3; do
	json_check "leaf+intermediate TLS 1.$v" $J/leaf_plus_intermediate-tls1$v.log -- \
		leafint.partner.test=OK,chain=complete,certs=2,outcome=ok findings=OK
	json_check "full chain TLS 1.$v" $J/full_chain-tls1$v.log -- \
		fullchain.partner.test=OK,chain=complete_with_root,certs=3,outcome=ok findings=OK
	json_check "root not imported TLS 1.$v" $J/root_not_imported-tls1$v.log -- \
		rootmissing.partner.test=UNTRUSTED_ROOT,outcome=failed
	json_check "tolerated leaf-only TLS 1.$v" $J/leaf_only_tolerated-tls1$v.log -- \
		tolerated.partner.test=LEAF_ONLY_CHAIN_TOLERATED,chain=leaf_only,certs=1,outcome=ok
	json_check "self-signed TLS 1.$v" $J/self_signed-tls1$v.log -- \
		selfsigned.partner.test=SELF_SIGNED_UNTRUSTED,chain=self_signed,certs=1
done
S $J/full_chain-tls13.log >/dev/null; expect_status "clean log" 0 $?
S $J/leaf_only-tls13.log >/dev/null; expect_status "failing log" 1 $?
S $J/leaf_only_tolerated-tls13.log >/dev/null; expect_status "warning only" 1 $?

# --- a node: wrapper.log (+ gzipped rotation) and the localhost log -----
N=samples/node1
json_check "node1: symptoms tied across files" $N -- \
	leafonly.partner.test=LEAF_ONLY_CHAIN,certs=1,symptoms=SOCKET_CLOSED+PEER_NOT_AUTHENTICATED+SSL_HANDSHAKE_EXCEPTION \
	rootmissing.partner.test=UNTRUSTED_ROOT,symptoms=SOCKET_CLOSED+PEER_NOT_AUTHENTICATED \
	fullchain.partner.test=OK tolerated.partner.test=LEAF_ONLY_CHAIN_TOLERATED handshakes=4
json_check "localhost log alone: not_captured" $N/localhost_log.*.txt -- \
	leafonly.partner.test=TRUST_PATH_FAILED,chain=not_captured,symptoms=SOCKET_CLOSED \
	rootmissing.partner.test=TRUST_PATH_FAILED,chain=not_captured

# --- standard input, gzip by content ------------------------------------
S -f json - <$N/wrapper.log.1.gz >"$T/o.json"; st=$?
expect_status "gzip on stdin" 1 $st
$PY - "$T/o.json" <<'PYEOF' && ok "stdin input is '-' and compressed" || bad "stdin input"
import json, sys
d = json.load(open(sys.argv[1]))
i = d["inputs"][0]
assert i["path"] == "-" and i["compressed"] is True and i["lines"] > 100, i
assert any(h["diagnosis"] == "UNTRUSTED_ROOT" for h in d["handshakes"])
PYEOF
cat $N/wrapper.log.1.gz $N/wrapper.log.1.gz >"$T/two.gz"
json_check "multi-member gzip" "$T/two.gz" -- rootmissing.partner.test=UNTRUSTED_ROOT handshakes=4
gzip -c <$J/leaf_only-tls12.log >"$T/renamed.txt"
json_check "gzip detected by content, not name" "$T/renamed.txt" -- leafonly.partner.test=LEAF_ONLY_CHAIN

# --- trouble: the rest of the input is still analysed --------------------
S -f json /nonexistent/x.log $J/leaf_only-tls13.log >"$T/o.json" 2>"$T/err"; st=$?
expect_status "missing file" 2 $st
grep -q '^sslsift: /nonexistent/x.log: No such file or directory$' "$T/err" && ok "missing file named" || bad "missing file message: $(cat "$T/err")"
$CONTRACT "$T/o.json" leafonly.partner.test=LEAF_ONLY_CHAIN && ok "other input still analysed" || bad "other input after a missing file"

size=$(wc -c <$N/wrapper.log.1.gz)
head -c $((size / 2)) $N/wrapper.log.1.gz >"$T/trunc.gz"
S -f json "$T/trunc.gz" $J/self_signed-tls12.log >"$T/o.json" 2>"$T/err"; st=$?
expect_status "truncated gzip" 2 $st
grep -q "trunc.gz: truncated gzip stream at byte [0-9]" "$T/err" && ok "truncated gzip named" || bad "truncated gzip message: $(cat "$T/err")"
$CONTRACT "$T/o.json" selfsigned.partner.test=SELF_SIGNED_UNTRUSTED && ok "JSON valid after truncated gzip" || bad "JSON after truncated gzip"

# A log cut inside the peer's certificate block: not a leaf-only chain.
n=$(grep -n '"issuer"' $J/leaf_only-tls13.log | head -1 | cut -d: -f1)
head -n "$n" $J/leaf_only-tls13.log >"$T/cut.log"
S -f json "$T/cut.log" >"$T/o.json"; st=$?
$PY - "$T/o.json" <<'PYEOF' && ok "cut certificate block is not captured" || bad "cut certificate block"
import json, sys
h = json.load(open(sys.argv[1]))["handshakes"]
assert len(h) == 1 and h[0]["chain"] == "not_captured", h
assert h[0]["outcome"] == "unknown" and h[0]["diagnosis"] == "OK", h
PYEOF

# A bad regex on line 3 of a pattern file.
mkdir "$T/pat" && cp patterns/*.pat "$T/pat/"
printf '# c\nSOCKET_CLOSED  Socket is closed\nPEER_NOT_AUTHENTICATED  peer (not\n' >"$T/pat/zz-bad.pat"
"$SSLSIFT" --patterns "$T/pat" $J/leaf_only-tls13.log >/dev/null 2>"$T/err"; st=$?
expect_status "bad pattern file" 2 $st
grep -q "zz-bad.pat:3:[0-9]*: missing closing parenthesis" "$T/err" && ok "bad regex names file:line:offset" || bad "bad regex message: $(cat "$T/err")"

echo "cli: $pass passed, $fail failed"
[ $fail -eq 0 ]
