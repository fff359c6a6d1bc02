# failures.sh - sourced by capture.sh: the failure scenarios beyond the chain
# ones (mutual TLS both ways, expired and misnamed certificates, protocol and
# cipher mismatches, a peer that hangs up, revocation, HelloRetryRequest,
# low and expanded debug levels).  Uses capture.sh's PKI helpers, servers,
# probe() and check functions; writes into $OUT/$JDKDIR and adds rows to
# SUMMARY.  See samples/README.md for what each file shows.

# ------------------------------------------------------------ more PKI -----
log "generating PKI for the failure scenarios"

# The CRL server's port goes into the certificates, so it is chosen first.
alloc_port; CRL_PORT=$PORT
alloc_port; DEAD_CRL_PORT=$PORT    # nothing will listen here

# A CA database for `openssl ca` (dates in the past, revocation, CRLs):
# mkcadb NAME (the CA's key and certificate are $PKI/NAME.{key,pem})
mkcadb() {
    local d=$PKI/db_$1
    mkdir -p "$d/new"
    : >"$d/index.txt"
    openssl rand -hex 8 >"$d/serial"
    echo 01 >"$d/crlnumber"
    cat >"$d/ca.cnf" <<EOF
[ ca ]
default_ca = this_ca
[ this_ca ]
dir              = $d
database         = $d/index.txt
new_certs_dir    = $d/new
serial           = $d/serial
crlnumber        = $d/crlnumber
certificate      = $PKI/$1.pem
private_key      = $PKI/$1.key
default_md       = sha256
default_crl_days = 30
policy           = any
unique_subject   = no
copy_extensions  = none
[ any ]
countryName            = optional
organizationName       = optional
organizationalUnitName = optional
commonName             = supplied
EOF
}

# casign CA NAME SUBJECT EXTENSIONS STARTDATE ENDDATE [SAN]: a leaf with
# explicit validity dates, issued through the CA database
casign() {
    SAN_HOST=${7:-unused.invalid} openssl req -new -config "$CNF" \
        -newkey rsa:2048 -nodes -keyout "$PKI/$2.key" -out "$PKI/$2.csr" -subj "$3" 2>/dev/null
    SAN_HOST=${7:-unused.invalid} openssl ca -batch -notext -config "$PKI/db_$1/ca.cnf" \
        -startdate "$5" -enddate "$6" -extfile "$CNF" -extensions "$4" \
        -in "$PKI/$2.csr" -out "$PKI/$2.pem" 2>/dev/null
}

utc() { date -u -d "$1" +%Y%m%d%H%M%SZ; }

# expired server certificate (issued by the Sift issuing CA)
mkcadb sift_int
casign sift_int expired "/C=US/O=Partner Test/CN=expired.partner.test" v3_leaf \
    "$(utc '-400 days')" "$(utc '-35 days')" expired.partner.test

# a certificate for other names than the one the client calls
SAN_LIST="DNS:api-old.partner.test, DNS:legacy.partner.test" \
    mksigned wronghost "/C=US/O=Partner Test/CN=api-old.partner.test" sift_int v3_leaf_sans 397

# revocation: a root that publishes a CRL, a revoked leaf and one whose CRL
# cannot be fetched
mkroot revoke_root "/O=Sift Test/CN=Sift Test Revocation Root"
mkcadb revoke_root
CRL_URL=http://127.0.0.1:$CRL_PORT/revoke_root.crl \
    casign revoke_root revoked "/C=US/O=Partner Test/CN=revoked.partner.test" v3_leaf_crl \
    "$(utc '-1 day')" "$(utc '+397 days')" revoked.partner.test
CRL_URL=http://127.0.0.1:$DEAD_CRL_PORT/revoke_root.crl \
    casign revoke_root crlunreachable "/C=US/O=Partner Test/CN=crlunreachable.partner.test" v3_leaf_crl \
    "$(utc '-1 day')" "$(utc '+397 days')" crlunreachable.partner.test
openssl ca -batch -config "$PKI/db_revoke_root/ca.cnf" -revoke "$PKI/revoked.pem" \
    -crl_reason keyCompromise 2>/dev/null
mkdir -p "$PKI/crl"
openssl ca -batch -config "$PKI/db_revoke_root/ca.cnf" -gencrl -out "$PKI/revoke_root.crl.pem" 2>/dev/null
openssl crl -in "$PKI/revoke_root.crl.pem" -outform DER -out "$PKI/crl/revoke_root.crl"

# mutual TLS: the client PKI, a client with the right chain, one from a CA
# nobody trusts, one whose certificate is not for client authentication
mkroot client_root "/O=Sift Test/CN=Sift Test Client Root"
mksigned client_int "/O=Sift Test/CN=Sift Test Client CA 1" client_root v3_int 1825
mksigned integration "/O=Sift Test/OU=Integrations/CN=integration.client.test" client_int v3_client 397
mksigned wrong_eku "/O=Sift Test/OU=Integrations/CN=wrong-eku.client.test" client_int v3_client_wrong_eku 397
mkroot rogue_root "/O=Rogue/CN=Rogue Client Root"
mksigned rogue_client "/O=Rogue/CN=integration.client.test" rogue_root v3_client 397
cat "$PKI/client_int.pem" >"$PKI/chain_client_int.pem"
cat "$PKI/client_int.pem" "$PKI/client_root.pem" >"$PKI/chain_client_int_root.pem"
cat "$PKI/rogue_root.pem" >"$PKI/chain_rogue_root.pem"
# the Sift chain in the wrong order: root before the intermediate
cat "$PKI/sift_root.pem" "$PKI/sift_int.pem" >"$PKI/chain_sift_root_int.pem"
# the JVM acting as server: its own certificate
mksigned instance "/O=Sift Test/CN=instance.sift.test" sift_int v3_leaf 397 instance.sift.test

# mkkeystore STORE LEAF CHAINFILE(or ""): a PKCS12 key store with one key entry
mkkeystore() {
    local extra=()
    [[ -n $3 ]] && extra=(-certfile "$PKI/$3.pem")
    openssl pkcs12 -export -out "$PKI/$1.p12" -inkey "$PKI/$2.key" -in "$PKI/$2.pem" \
        "${extra[@]}" -name "$2" -passout "pass:$STOREPASS" 2>/dev/null
}
mkkeystore ks_integration integration chain_client_int_root
mkkeystore ks_rogue rogue_client chain_rogue_root
mkkeystore ks_wrong_eku wrong_eku chain_client_int_root
mkkeystore ks_instance instance chain_sift_int

mktrust trust_revoke sift-test-revocation-root=revoke_root
mktrust trust_client_root sift-test-client-root=client_root

keystore_opts() { # keystore_opts STORE: JOPTS for a client key store
    JOPTS=(-Djavax.net.ssl.keyStore="pki/$1.p12" -Djavax.net.ssl.keyStorePassword="$STOREPASS"
        -Djavax.net.ssl.keyStoreType=PKCS12)
}

# --------------------------------------------------------- helpers ---------
# expect FILE REGEX WHAT: the capture must hold REGEX (grep -E)
expect() { grep -Eq -- "$2" "$1" || die "$(basename "$1"): $3 (no match for /$2/)"; }
# expect_not FILE REGEX WHAT
expect_not() { ! grep -Eq -- "$2" "$1" || die "$(basename "$1"): $3 (unexpected /$2/)"; }

# client_run NAME HOST VERSIONS(probe) TRUST DEBUG WANT ; server already up on $PORT
# writes $OUT/$JDKDIR/NAME.log; WANT is ok or fail
client_run() {
    local name=$1 host=$2 protos=$3 trust=$4 debug=$5 want=$6
    local out=$OUT/$JDKDIR/$name.log app=$TMP/app-$name.txt
    probe "$debug" "$trust" "$app" "glide.scheduler.worker.2@$host:$PORT/$protos" >"$out"
    stop_server "$SERVER_PID"
    JOPTS=()
    # "local": the JVM refuses before it writes a ClientHello; and only the
    # handshake debug option logs the hello messages
    [[ $want == local || $debug != *handshake* ]] || expect "$out" 'ClientHello' "no ClientHello"
    if [[ $want == any ]]; then
        :
    elif [[ $want == ok ]]; then
        [[ $RC -eq 0 ]] || die "$name: expected success, probe exit $RC"
        expect_not "$out" 'Fatal \(' "fatal alert in a successful run"
    else
        [[ $RC -eq 2 ]] || die "$name: expected a failure, probe exit $RC"
    fi
    LAST=$out
    SUMMARY+=("| \`$JDKDIR/$name.log\` | $host:$PORT | $(negotiated "$out" glide.scheduler.worker.2) | $debug | $(result "$RC") |")
}

# start_closer: a TCP server that reads the ClientHello and hangs up
start_closer() {
    alloc_port
    timeout 30 python3 -c '
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1])))
s.listen(1)
c, _ = s.accept()
c.recv(4096)
c.close()
s.close()
' "$PORT" >"$SRVLOG/$PORT.log" 2>&1 &
    SERVER_PID=$!
    PIDS+=("$SERVER_PID")
    wait_listening "$SERVER_PID" "closing server"
}

start_crl_server() { # serves $PKI/crl on $CRL_PORT; sets CRL_PID
    PORT=$CRL_PORT
    timeout 90 python3 -m http.server "$CRL_PORT" --bind 127.0.0.1 --directory "$PKI/crl" \
        >"$SRVLOG/$CRL_PORT.log" 2>&1 &
    CRL_PID=$!
    PIDS+=("$CRL_PID")
    wait_listening "$CRL_PID" "CRL server"
}

# server_run NAME CLIENTAUTH PROTOCOLS SUITES DEBUG WANT -- S_CLIENT ARGS...
# The JVM is the server (ServerProbe, key store ks_instance, trust store
# trust_client_root); openssl s_client connects once and sends a request.
server_run() {
    local name=$1 auth=$2 protos=$3 suites=$4 debug=$5 want=$6
    shift 7
    local out=$OUT/$JDKDIR/$name.log
    alloc_port
    timeout 60 java -Djavax.net.debug="$debug" \
        -Djavax.net.ssl.keyStore=pki/ks_instance.p12 -Djavax.net.ssl.keyStorePassword="$STOREPASS" \
        -Djavax.net.ssl.keyStoreType=PKCS12 \
        -Djavax.net.ssl.trustStore=pki/trust_client_root.p12 -Djavax.net.ssl.trustStorePassword="$STOREPASS" \
        -Djavax.net.ssl.trustStoreType=PKCS12 \
        -cp "$CLASSES" ServerProbe "$PORT" "$auth" "$protos" "$suites" 1 >"$out" 2>&1 &
    local jvm=$!
    PIDS+=("$jvm")
    wait_listening "$jvm" ServerProbe
    printf 'GET /api/now/table/incident HTTP/1.0\r\n\r\n' |
        timeout 20 openssl s_client -connect "127.0.0.1:$PORT" -servername instance.sift.test \
            -CAfile "$PKI/sift_root.pem" -ign_eof "$@" >"$SRVLOG/$name.s_client" 2>&1 || true
    RC=0
    wait "$jvm" || RC=$?
    stop_server "$jvm"
    expect "$out" 'Consuming ClientHello' "no ClientHello consumed"
    if [[ $want == ok ]]; then
        [[ $RC -eq 0 ]] || die "$name: expected success, server exit $RC"
        expect_not "$out" 'Fatal \(' "fatal alert in a successful run"
    else
        [[ $RC -eq 2 ]] || die "$name: expected a failed handshake, server exit $RC"
        expect "$out" 'SEVERE \[https-jsse-nio-[0-9]+-exec-1\] ServerProbe.serve Handshake failed' "no failure line"
    fi
    LAST=$out
    SUMMARY+=("| \`$JDKDIR/$name.log\` | (JVM is the server) 127.0.0.1:$PORT | $(negotiated "$out" "https-jsse-nio-$PORT-exec-1") | $debug | $(result "$RC") |")
}

HSV=ssl:handshake:verbose
MTLS_ASK=(-Verify 1 -verify_return_error -CAfile "$PKI/client_root.pem")

# ------------------------------------------- outbound mutual TLS -------------
log "running mutual-TLS client captures"
for v in 12 13; do
    # the server asks for a client certificate; the JVM has no key store
    start_server leafint chain_sift_int "-tls1_$((v - 10))" "${MTLS_ASK[@]}"
    client_run "client_cert_missing-tls$v" leafint.partner.test "TLSv1.$((v - 10))" trust_root $HSV fail
    expect "$LAST" 'Consuming CertificateRequest' "no CertificateRequest"
    expect "$LAST" 'CN=Sift Test Client Root' "CA list not logged"
    expect "$LAST" 'Received fatal alert' "no alert from the server"

    # the JVM sends a certificate from a CA the server does not trust (the
    # server names no CAs, so the key manager offers what it has)
    keystore_opts ks_rogue
    start_server leafint chain_sift_int "-tls1_$((v - 10))" -Verify 1 -verify_return_error \
        -verifyCAfile "$PKI/client_root.pem"
    client_run "client_cert_untrusted_ca-tls$v" leafint.partner.test "TLSv1.$((v - 10))" trust_root $HSV fail
    expect "$LAST" 'Produced client Certificate' "no client Certificate"
    expect "$LAST" 'CN=Rogue Client Root' "rogue chain not sent"
    expect "$LAST" 'Received fatal alert: unknown_ca' "no unknown_ca from the server"
done

# the key store holds only a certificate from another CA than the ones the
# server asks for: the key manager finds nothing to send
keystore_opts ks_rogue
start_server leafint chain_sift_int -tls1_2 "${MTLS_ASK[@]}"
client_run client_cert_not_matching_ca-tls12 leafint.partner.test TLSv1.2 trust_root "$HSV:keymanager" fail
expect "$LAST" 'Consuming CertificateRequest' "no CertificateRequest"
expect "$LAST" 'Received fatal alert' "no alert from the server"

# a client certificate without the clientAuth extended key usage
keystore_opts ks_wrong_eku
start_server leafint chain_sift_int -tls1_2 "${MTLS_ASK[@]}"
client_run client_cert_wrong_eku-tls12 leafint.partner.test TLSv1.2 trust_root $HSV fail
expect "$LAST" 'CN=wrong-eku.client.test' "certificate not sent"
expect "$LAST" 'Received fatal alert: unsupported_certificate' "no unsupported_certificate alert"

# and the control: the right certificate, the handshake finishes
keystore_opts ks_integration
start_server leafint chain_sift_int -tls1_3 "${MTLS_ASK[@]}"
client_run client_cert_ok-tls13 leafint.partner.test TLSv1.3 trust_root $HSV ok
expect "$LAST" 'CN=integration.client.test' "client certificate not sent"

# --------------------------------------- server certificate problems -------
log "running certificate captures"
for v in 12 13; do
    start_server expired chain_sift_int "-tls1_$((v - 10))"
    client_run "expired-tls$v" expired.partner.test "TLSv1.$((v - 10))" trust_root $HSV fail
    expect "$LAST" 'validity check failed' "no validity failure"
    expect "$LAST" 'CertificateExpiredException' "no CertificateExpiredException"

    start_server wronghost chain_sift_int "-tls1_$((v - 10))"
    client_run "wrong_host-tls$v" api.partner.test "TLSv1.$((v - 10))" trust_root $HSV fail
    expect "$LAST" 'No subject alternative DNS name matching api.partner.test found' "no host name failure"

    # JDK 17 builds the path from an out-of-order chain: the handshake works
    start_server leafint chain_sift_root_int "-tls1_$((v - 10))"
    client_run "out_of_order-tls$v" leafint.partner.test "TLSv1.$((v - 10))" trust_root $HSV ok
done
start_server wronghost chain_sift_int -tls1_3
client_run wrong_host_ip-tls13 127.0.0.1 TLSv1.3 trust_root $HSV fail
expect "$LAST" 'No subject alternative names matching IP address 127.0.0.1 found' "no IP address failure"

start_crl_server
JOPTS=(-Dcom.sun.net.ssl.checkRevocation=true -Dcom.sun.security.enableCRLDP=true)
start_server revoked "" -tls1_3
client_run revoked-tls13 revoked.partner.test TLSv1.3 trust_revoke $HSV fail
expect "$LAST" 'Certificate has been revoked' "no revocation failure"
JOPTS=(-Dcom.sun.net.ssl.checkRevocation=true -Dcom.sun.security.enableCRLDP=true)
start_server crlunreachable "" -tls1_2
client_run revocation_unreachable-tls12 crlunreachable.partner.test TLSv1.2 trust_revoke $HSV fail
expect "$LAST" 'revocation status' "no revocation-status failure"
stop_server "$CRL_PID"

# ------------------------------------------ protocol, cipher, hang-up -------
log "running protocol and cipher captures"
start_server leafint chain_sift_int -tls1_2
client_run protocol_client13_server12 leafint.partner.test TLSv1.3 trust_root $HSV fail
expect "$LAST" 'protocol_version|PROTOCOL_VERSION' "no protocol_version alert"

start_server leafint chain_sift_int -tls1_3
client_run protocol_client12_server13 leafint.partner.test TLSv1.2 trust_root $HSV fail
expect "$LAST" 'protocol_version|PROTOCOL_VERSION' "no protocol_version alert"

start_server leafint chain_sift_int ""
client_run protocol_disabled_locally leafint.partner.test TLSv1.1 trust_root $HSV local
expect "$LAST" 'No appropriate protocol' "no local protocol failure"

start_server leafint chain_sift_int -tls1_2 -cipher 'NULL-SHA256:@SECLEVEL=0'
client_run cipher_mismatch-tls12 leafint.partner.test TLSv1.2 trust_root $HSV fail
expect "$LAST" 'Received fatal alert: handshake_failure' "no handshake_failure alert"

start_closer
client_run peer_closed leafint.partner.test default trust_root $HSV fail
expect "$LAST" 'Remote host terminated the handshake' "no hang-up"

start_server leafint chain_sift_int -tls1_3 -groups secp384r1
client_run hello_retry-tls13 leafint.partner.test TLSv1.3 trust_root $HSV ok
expect "$LAST" 'HelloRetryRequest' "no HelloRetryRequest"

# ------------------------------------------------ debug levels --------------
log "running debug-level captures"
start_server leafonly "" -tls1_3
client_run leaf_only-tls13-debug-ssl leafonly.partner.test TLSv1.3 trust_root ssl fail
# Up to JDK 24 plain "ssl" leaves out the handshake messages.  JDK 25 (with
# JDK-8044609) reads "ssl" alone as every ssl sub-component: the log is the
# same as with ssl:handshake:verbose.
if [[ $JDK_MAJOR -ge 25 ]]; then
    expect "$LAST" 'Consuming server Certificate' "no certificate at debug=ssl (JDK 25 logs it)"
else
    expect_not "$LAST" 'Consuming server Certificate' "certificate logged at debug=ssl"
fi
expect "$LAST" 'PKIX path building failed' "no PKIX failure"

start_server leafonly "" -tls1_3
client_run leaf_only-tls13-expand leafonly.partner.test TLSv1.3 trust_root "$HSV:expand" fail
expect "$LAST" '"logger" *: "javax.net.ssl"' "no expanded record"
expect "$LAST" 'PKIX path building failed' "no PKIX failure"

# ------------------------------------------------ the JVM as server ---------
log "running captures with the JVM as server"
for v in 12 13; do
    server_run "inbound_client_leaf_only-tls$v" need "TLSv1.$((v - 10))" default $HSV fail -- \
        -cert "$PKI/integration.pem" -key "$PKI/integration.key"
    expect "$LAST" 'Consuming client Certificate' "no client Certificate consumed"
    expect "$LAST" 'PKIX path building failed' "no PKIX failure"

    server_run "inbound_client_cert_missing-tls$v" need "TLSv1.$((v - 10))" default $HSV fail --
    expect "$LAST" 'Empty (client|server) certificate chain' "no empty-chain failure"
done
server_run inbound_client_full_chain-tls13 need TLSv1.3 default $HSV ok -- \
    -cert "$PKI/integration.pem" -key "$PKI/integration.key" -cert_chain "$PKI/chain_client_int.pem"
server_run inbound_client_untrusted_ca-tls13 need TLSv1.3 default $HSV fail -- \
    -cert "$PKI/rogue_client.pem" -key "$PKI/rogue_client.key" -cert_chain "$PKI/chain_rogue_root.pem"
expect "$LAST" 'PKIX path building failed' "no PKIX failure"
server_run inbound_client_wrong_eku-tls12 need TLSv1.2 default $HSV fail -- \
    -cert "$PKI/wrong_eku.pem" -key "$PKI/wrong_eku.key" -cert_chain "$PKI/chain_client_int.pem"
expect "$LAST" 'Extended key usage does not permit use for TLS client authentication' "no EKU refusal"
server_run inbound_protocol_mismatch need TLSv1.3 default $HSV fail -- -tls1_2
expect "$LAST" 'Client requested protocol TLSv1.2 is not enabled' "no protocol refusal"
server_run inbound_cipher_mismatch none TLSv1.2 TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384 $HSV fail -- \
    -tls1_2 -cipher AES128-GCM-SHA256
expect "$LAST" 'no cipher suites in common' "no cipher refusal"

# ------------------------------------------------ no debug output ----------
# no javax.net.debug at all: only the application log tells; two requests,
# one refused at the hello (NULL suites only), one for want of a client
# certificate (TLS 1.3 certificate_required)
# (run apart in time from the other captures: sslsift ties an application
# line to a handshake of another file within seconds, as for one node)
sleep 11
start_server leafint chain_sift_int -tls1_2 -cipher 'NULL-SHA256:@SECLEVEL=0'; P1=$PORT; S1=$SERVER_PID
start_server leafint chain_sift_int -tls1_3 "${MTLS_ASK[@]}"; P2=$PORT; S2=$SERVER_PID
LAST=$OUT/$JDKDIR/no_debug-localhost_log.txt
probe none trust_root "$LAST" "glide.scheduler.worker.7@leafint.partner.test:$P1/TLSv1.2" \
    "glide.scheduler.worker.8@leafint.partner.test:$P2/TLSv1.3" >"$TMP/no_debug.out"
stop_server "$S1"; stop_server "$S2"
[[ $RC -eq 2 ]] || die "no_debug: expected failures, probe exit $RC"
expect_not "$TMP/no_debug.out" 'javax\.net\.ssl\|' "debug output without javax.net.debug"
expect "$LAST" 'worker\.7 .*Received fatal alert: handshake_failure' "no handshake_failure in the app log"
expect "$LAST" 'worker\.8 .*Received fatal alert: certificate_required' "no certificate_required in the app log"
SUMMARY+=("| \`$JDKDIR/$(basename "$LAST")\` | leafint.partner.test:$P1, :$P2 | — | (not set) | both failed |")
sleep 11
