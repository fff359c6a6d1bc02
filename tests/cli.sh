#!/bin/sh
# cli.sh - end-to-end checks of the command line against the contract:
# verdicts on the real captured samples (checked by meaning, so they hold
# when the samples are recaptured), exit statuses, stdin and gzip, and
# errors that name the file while the rest of the input is still analysed.
. "${top_srcdir:?}/tests/lib.sh"
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
# --- every other code, from the captures (checked by meaning) -------------
# F NAME: the expectation key for the handshakes of one input
F() { echo "file:$1"; }
for v in 2 3; do
	f=client_cert_missing-tls1$v.log
	json_check "client certificate not sent TLS 1.$v" $J/$f -- \
		"$(F $f)=CLIENT_CERT_NOT_SENT,role=client,client_cert=empty,authorities=1,alert_by=peer,outcome=failed"
	f=client_cert_untrusted_ca-tls1$v.log
	json_check "client certificate rejected TLS 1.$v" $J/$f -- \
		"$(F $f)=CLIENT_CERT_REJECTED,client_cert=sent,client_subject=O=Rogue,alert=unknown_ca,alert_by=peer,authorities=0"
	f=expired-tls1$v.log
	json_check "expired leaf TLS 1.$v" $J/$f -- \
		"$(F $f)=CERT_EXPIRED,expired=0,alert_by=local,chain=complete"
	f=wrong_host-tls1$v.log
	json_check "host name mismatch TLS 1.$v" $J/$f -- \
		"$(F $f)=HOSTNAME_MISMATCH,called=api.partner.test,names=api-old.partner.test+legacy.partner.test"
	f=inbound_client_leaf_only-tls1$v.log
	json_check "inbound leaf-only client chain TLS 1.$v" $J/$f -- \
		"$(F $f)=CLIENT_CHAIN_INCOMPLETE,role=server,chain=leaf_only,certs=1,client_cert=sent,authorities=1,alert_by=local"
	f=inbound_client_cert_missing-tls1$v.log
	json_check "inbound client certificate missing TLS 1.$v" $J/$f -- \
		"$(F $f)=CLIENT_CERT_NOT_SENT,role=server,chain=empty,client_cert=empty,alert_by=local"
	f=out_of_order-tls1$v.log
	json_check "out-of-order chain tolerated by JDK 17, TLS 1.$v" $J/$f -- \
		"$(F $f)=OK,chain=out_of_order,certs=3,outcome=ok"
done
json_check "client key store does not match the CA list" $J/client_cert_not_matching_ca-tls12.log -- \
	"$(F client_cert_not_matching_ca-tls12.log)=CLIENT_CERT_NOT_SENT,client_cert=empty,key_store=1,authorities=1"
json_check "client certificate without clientAuth" $J/client_cert_wrong_eku-tls12.log -- \
	"$(F client_cert_wrong_eku-tls12.log)=CLIENT_CERT_REJECTED,alert=unsupported_certificate,alert_by=peer"
json_check "mutual TLS that works" $J/client_cert_ok-tls13.log -- \
	"$(F client_cert_ok-tls13.log)=OK,outcome=ok,client_cert=sent,client_subject=CN=integration.client.test"
json_check "host name mismatch by IP address" $J/wrong_host_ip-tls13.log -- \
	"$(F wrong_host_ip-tls13.log)=HOSTNAME_MISMATCH,called=127.0.0.1"
json_check "revoked leaf" $J/revoked-tls13.log -- "$(F revoked-tls13.log)=REVOKED,alert=certificate_revoked"
json_check "revocation status unreachable" $J/revocation_unreachable-tls12.log -- \
	"$(F revocation_unreachable-tls12.log)=REVOKED"
json_check "TLS 1.3-only client, TLS 1.2-only server" $J/protocol_client13_server12.log -- \
	"$(F protocol_client13_server12.log)=PROTOCOL_MISMATCH,versions_local=TLSv1.3,alert=protocol_version,alert_by=peer"
json_check "TLS 1.2-only client, TLS 1.3-only server" $J/protocol_client12_server13.log -- \
	"$(F protocol_client12_server13.log)=PROTOCOL_MISMATCH,versions_local=TLSv1.2,alert_by=peer"
json_check "protocol disabled locally: no debug hint" $J/protocol_disabled_locally.log -- \
	"$(F protocol_disabled_locally.log)=PROTOCOL_MISMATCH,hint=no,alert=none"
json_check "inbound protocol mismatch" $J/inbound_protocol_mismatch.log -- \
	"$(F inbound_protocol_mismatch.log)=PROTOCOL_MISMATCH,role=server,versions_peer=TLSv1.2"
json_check "no common cipher suite" $J/cipher_mismatch-tls12.log -- \
	"$(F cipher_mismatch-tls12.log)=CIPHER_MISMATCH,alert=handshake_failure,alert_by=peer"
json_check "inbound: no common cipher suite" $J/inbound_cipher_mismatch.log -- \
	"$(F inbound_cipher_mismatch.log)=CIPHER_MISMATCH,role=server,alert_by=local"
json_check "inbound: client CA not trusted" $J/inbound_client_untrusted_ca-tls13.log -- \
	"$(F inbound_client_untrusted_ca-tls13.log)=UNTRUSTED_ROOT,role=server,chain=complete_with_root"
json_check "inbound: client certificate without clientAuth" $J/inbound_client_wrong_eku-tls12.log -- \
	"$(F inbound_client_wrong_eku-tls12.log)=CLIENT_CERT_REJECTED,role=server,alert_by=local"
json_check "inbound mutual TLS that works" $J/inbound_client_full_chain-tls13.log -- \
	"$(F inbound_client_full_chain-tls13.log)=OK,role=server,client_cert=sent,certs=2"
json_check "peer hangs up" $J/peer_closed.log -- "$(F peer_closed.log)=PEER_CLOSED,alert=none"
json_check "HelloRetryRequest is one handshake" $J/hello_retry-tls13.log -- \
	"$(F hello_retry-tls13.log)=OK,hrr=true,ambiguous=false,outcome=ok" handshakes=1
json_check "debug=ssl: say what to add" $J/leaf_only-tls13-debug-ssl.log -- \
	"$(F leaf_only-tls13-debug-ssl.log)=TRUST_PATH_FAILED,chain=not_captured,hint=yes,debug=alerts"
json_check "expanded record headers" $J/leaf_only-tls13-expand.log -- \
	"$(F leaf_only-tls13-expand.log)=LEAF_ONLY_CHAIN,chain=leaf_only,certs=1,tls=TLSv1.3,debug=handshake" handshakes=1
S -f text $J/leaf_only-tls13-debug-ssl.log >"$T/o.txt"
grep -q -- '-Djavax.net.debug=ssl:handshake:verbose' "$T/o.txt" && ok "text names the debug option" || bad "text lacks the debug option"
S -f markdown $J/client_cert_missing-tls13.log >"$T/o.md"
grep -q 'CN=Sift Test Client Root' "$T/o.md" && grep -q 'raised by the peer' "$T/o.md" \
	&& ok "markdown shows the CA list and who raised the alert" || bad "markdown client-certificate facts"

# --- documented-format samples: classic JDK 8 and IBM JSSE2 ---------------
C=samples/jdk8-classic
for c in untrusted_root=UNTRUSTED_ROOT expired=CERT_EXPIRED,expired=0 \
	hostname_mismatch=HOSTNAME_MISMATCH,called=legacy.partner.test \
	client_cert_missing=CLIENT_CERT_NOT_SENT,authorities=2,client_cert=empty \
	client_cert_rejected=CLIENT_CERT_REJECTED,key_store=1,alert=unknown_ca \
	server_client_leaf_only=CLIENT_CHAIN_INCOMPLETE,role=server \
	server_null_cert_chain=CLIENT_CERT_NOT_SENT,role=server,chain=empty \
	protocol_mismatch=PROTOCOL_MISMATCH,versions_local=TLSv1.2,versions_peer=TLSv1 \
	cipher_mismatch=CIPHER_MISMATCH peer_closed=PEER_CLOSED \
	chain_out_of_order=CHAIN_OUT_OF_ORDER,chain=out_of_order revoked=REVOKED; do
	json_check "classic JDK 8: ${c%%=*}" $C/${c%%=*}.log -- "file:${c%%=*}.log=${c#*=}" handshakes=1
done
I=samples/ibm-jsse
for c in untrusted_root=UNTRUSTED_ROOT,chain=complete_with_root \
	client_cert_missing=CLIENT_CERT_NOT_SENT,authorities=1 cipher_mismatch=CIPHER_MISMATCH; do
	json_check "IBM JSSE2: ${c%%=*}" $I/${c%%=*}.log -- "file:${c%%=*}.log=${c#*=}" handshakes=1
done
# every contract code (HANDSHAKE_FAILED aside: it means the log does not
# say why) is decided somewhere in samples/
S -f json samples >"$T/all.json"
$PY - "$T/all.json" <<'PYEOF' && ok "samples/ cover every diagnosis code" || bad "a diagnosis code has no sample"
import json, sys
codes = {h["diagnosis"] for h in json.load(open(sys.argv[1]))["handshakes"]}
want = {"OK", "LEAF_ONLY_CHAIN", "LEAF_ONLY_CHAIN_TOLERATED", "UNTRUSTED_ROOT",
        "SELF_SIGNED_UNTRUSTED", "CHAIN_OUT_OF_ORDER", "CERT_EXPIRED",
        "HOSTNAME_MISMATCH", "CLIENT_CERT_NOT_SENT", "CLIENT_CERT_REJECTED",
        "CLIENT_CHAIN_INCOMPLETE", "PROTOCOL_MISMATCH", "CIPHER_MISMATCH",
        "REVOKED", "PEER_CLOSED", "TRUST_PATH_FAILED"}
missing = want - codes
assert not missing, missing
PYEOF

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
S "$T/cut.log" >"$T/cut.txt"
grep -q "cut off by the end of the log before it finished" "$T/cut.txt" && \
	ok "text: a cut-off handshake is not called finished" || \
	bad "text: cut-off handshake: $(sed -n 5p "$T/cut.txt")"

# A bad regex on line 3 of a pattern file.
mkdir "$T/pat" && cp patterns/*.pat "$T/pat/"
printf '# c\nSOCKET_CLOSED  Socket is closed\nPEER_NOT_AUTHENTICATED  peer (not\n' >"$T/pat/zz-bad.pat"
"$SSLSIFT" --patterns "$T/pat" $J/leaf_only-tls13.log >/dev/null 2>"$T/err"; st=$?
expect_status "bad pattern file" 2 $st
grep -q "zz-bad.pat:3:[0-9]*: missing closing parenthesis" "$T/err" && ok "bad regex names file:line:offset" || bad "bad regex message: $(cat "$T/err")"

summary cli
