#!/usr/bin/env bash
# Regenerates the real JSSE debug logs under samples/ (see samples/README.md).
#
# Needs: a JDK (java, javac, keytool), openssl, ss (iproute2), gzip.
#
# By default the JDK on PATH (JDK 17) writes jdk17/, node1/ and README.md.
# CAPTURE_JDK=/path/to/jdk runs the same scenarios with that JDK instead
# and writes only jdk<major>/ (with its own README.md, from
# README-jdk<major>.md.in, which says what that JDK prints differently);
# jdk17/, node1/ and samples/README.md are left alone.
# Everything listens on 127.0.0.1 only; every server is bounded by `timeout`
# and stopped by its PID. Temporary files live in a mktemp dir that is removed
# on exit. Safe to re-run: the output directories are replaced as a whole.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SAMPLES=$(dirname "$HERE")
BASE_PORT=${CAPTURE_BASE_PORT:-18443}
# CAPTURE_ONLY="chains node1 failures" runs only the named sets (for work on
# the script): nothing is installed and the temporary directory is kept.
ONLY=${CAPTURE_ONLY:-}
want_set() { [[ -z $ONLY || " $ONLY " == *" $1 "* ]]; }
# node1 (the wrapper runs) belongs to the primary capture only
want_node1() { [[ -n $PRIMARY ]] && want_set node1; }
[[ -n $ONLY ]] && KEEP_TMP=1
STOREPASS=changeit

# The JDK: CAPTURE_JDK's bin/ goes first on PATH, so every java, javac and
# keytool below (the WrapperEmu's child JVM too) is that JDK's.
if [[ -n ${CAPTURE_JDK:-} ]]; then
    [[ -x $CAPTURE_JDK/bin/java ]] || { echo "capture.sh: CAPTURE_JDK=$CAPTURE_JDK has no bin/java" >&2; exit 1; }
    PATH=$CAPTURE_JDK/bin:$PATH
fi
# JDKDIR: the output directory. The default run (no CAPTURE_JDK, or one
# whose major version is 17) is the primary capture: jdk17/, node1/ and
# samples/README.md. Any other major version writes jdk<major>/ alone.
JDK_MAJOR=17
if [[ -n ${CAPTURE_JDK:-} ]]; then
    JDK_MAJOR=$(java -XshowSettings:properties -version 2>&1 |
        sed -n 's/^ *java\.specification\.version = //p')
    [[ $JDK_MAJOR =~ ^[0-9]+$ ]] || { echo "capture.sh: cannot tell the major version of $CAPTURE_JDK" >&2; exit 1; }
fi
JDKDIR=jdk$JDK_MAJOR
PRIMARY=1
[[ $JDK_MAJOR == 17 ]] || PRIMARY=
# another JDK's README template tells what that JDK prints differently:
# it is written from a capture, so there is none for an untried JDK
if [[ -z $PRIMARY && ! -f $HERE/README-$JDKDIR.md.in ]]; then
    echo "capture.sh: no samples/capture/README-$JDKDIR.md.in: copy README-jdk25.md.in and describe JDK $JDK_MAJOR's output from a CAPTURE_ONLY run first" >&2
    exit 1
fi

TMP=$(mktemp -d "${TMPDIR:-/tmp}/sslsift-capture.XXXXXX")
PKI=$TMP/pki
OUT=$TMP/out
CLASSES=$TMP/classes
SRVLOG=$TMP/servers
mkdir -p "$PKI" "$OUT/$JDKDIR" "$OUT/node1" "$CLASSES" "$SRVLOG"
# The JVMs run from inside $TMP and get the trust store as a relative path, so
# the "trustStore is:" line in the logs does not carry the random temp dir name.
cd "$TMP"

PIDS=()
cleanup() {
    local p
    for p in "${PIDS[@]}"; do
        kill "$p" 2>/dev/null || true
        wait "$p" 2>/dev/null || true
    done
    if [[ -n ${KEEP_TMP:-} ]]; then echo "capture.sh: kept $TMP" >&2; else rm -rf "$TMP"; fi
}
trap cleanup EXIT

die() { echo "capture.sh: $*" >&2; exit 1; }
log() { echo "capture.sh: $*" >&2; }

for tool in java javac keytool openssl ss gzip timeout; do
    command -v "$tool" >/dev/null || die "missing tool: $tool"
done

# ---------------------------------------------------------------- PKI ------
cat >"$PKI/openssl.cnf" <<'EOF'
[ req ]
distinguished_name = dn
prompt             = no
[ dn ]
CN = unused
[ v3_root ]
basicConstraints       = critical, CA:TRUE
keyUsage               = critical, keyCertSign, cRLSign
subjectKeyIdentifier   = hash
[ v3_int ]
basicConstraints       = critical, CA:TRUE, pathlen:0
keyUsage               = critical, keyCertSign, cRLSign
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always
[ v3_leaf ]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, digitalSignature, keyEncipherment
extendedKeyUsage       = serverAuth
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always
subjectAltName         = DNS:${ENV::SAN_HOST}
[ v3_selfsigned ]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, digitalSignature, keyEncipherment
extendedKeyUsage       = serverAuth
subjectKeyIdentifier   = hash
subjectAltName         = DNS:${ENV::SAN_HOST}
[ v3_leaf_sans ]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, digitalSignature, keyEncipherment
extendedKeyUsage       = serverAuth
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always
subjectAltName         = ${ENV::SAN_LIST}
[ v3_leaf_crl ]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, digitalSignature, keyEncipherment
extendedKeyUsage       = serverAuth
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always
subjectAltName         = DNS:${ENV::SAN_HOST}
crlDistributionPoints  = URI:${ENV::CRL_URL}
[ v3_client ]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, digitalSignature
extendedKeyUsage       = clientAuth
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always
[ v3_client_wrong_eku ]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, digitalSignature, keyEncipherment
extendedKeyUsage       = serverAuth
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always
EOF
export SAN_HOST=unused.invalid SAN_LIST=DNS:unused.invalid CRL_URL=http://127.0.0.1/unused.crl
CNF=$PKI/openssl.cnf

serial() { printf '0x%s' "$(openssl rand -hex 8)"; }

# self-signed CA: mkroot NAME SUBJECT
mkroot() {
    openssl req -x509 -new -config "$CNF" -extensions v3_root -sha256 -days 3650 \
        -newkey rsa:2048 -nodes -keyout "$PKI/$1.key" -out "$PKI/$1.pem" \
        -set_serial "$(serial)" -subj "$2" 2>/dev/null
}

# cert signed by a CA: mksigned NAME SUBJECT ISSUER EXTENSIONS DAYS [SAN]
mksigned() {
    SAN_HOST=${6:-unused.invalid} openssl req -new -config "$CNF" \
        -newkey rsa:2048 -nodes -keyout "$PKI/$1.key" -out "$PKI/$1.csr" -subj "$2" 2>/dev/null
    SAN_HOST=${6:-unused.invalid} openssl x509 -req -in "$PKI/$1.csr" -sha256 -days "$5" \
        -CA "$PKI/$3.pem" -CAkey "$PKI/$3.key" -set_serial "$(serial)" \
        -extfile "$CNF" -extensions "$4" -out "$PKI/$1.pem" 2>/dev/null
}

log "generating PKI"
mkroot sift_root "/O=Sift Test/CN=Sift Test Root CA"
mksigned sift_int "/O=Sift Test/CN=Sift Test Issuing CA 1" sift_root v3_int 1825
mkroot other_root "/O=Other/CN=Other Private Root"
mksigned other_int "/O=Other/CN=Other Issuing CA" other_root v3_int 1825

for host in leafonly leafint fullchain tolerated; do
    mksigned "$host" "/C=US/O=Partner Test/CN=$host.partner.test" sift_int v3_leaf 397 "$host.partner.test"
done
mksigned rootmissing "/C=US/O=Partner Test/CN=rootmissing.partner.test" other_int v3_leaf 397 rootmissing.partner.test
SAN_HOST=selfsigned.partner.test openssl req -x509 -new -config "$CNF" -extensions v3_selfsigned \
    -sha256 -days 397 -newkey rsa:2048 -nodes -keyout "$PKI/selfsigned.key" -out "$PKI/selfsigned.pem" \
    -set_serial "$(serial)" -subj "/C=US/O=Partner Test/CN=selfsigned.partner.test" 2>/dev/null

# chain files handed to s_server -cert_chain (everything after the leaf)
cat "$PKI/sift_int.pem" >"$PKI/chain_sift_int.pem"
cat "$PKI/sift_int.pem" "$PKI/sift_root.pem" >"$PKI/chain_sift_int_root.pem"
cat "$PKI/other_int.pem" "$PKI/other_root.pem" >"$PKI/chain_other_int_root.pem"

openssl verify -CAfile "$PKI/sift_root.pem" -untrusted "$PKI/sift_int.pem" "$PKI/fullchain.pem" >/dev/null \
    || die "PKI self-check failed"

# client trust stores (PKCS12)
mktrust() { # mktrust STORE ALIAS=CERT...
    local store=$PKI/$1.p12 pair
    shift
    for pair in "$@"; do
        keytool -importcert -noprompt -storetype PKCS12 -keystore "$store" -storepass "$STOREPASS" \
            -alias "${pair%%=*}" -file "$PKI/${pair#*=}.pem" >/dev/null 2>&1
    done
}
mktrust trust_root sift-test-root-ca=sift_root
mktrust trust_root_int sift-test-root-ca=sift_root sift-test-issuing-ca-1=sift_int

# ------------------------------------------------------------- probe -------
log "compiling probe"
javac -nowarn -d "$CLASSES" "$HERE/Probe.java" "$HERE/WrapperEmu.java" "$HERE/ServerProbe.java"

# ----------------------------------------------------------- servers -------
NEXT_PORT=$BASE_PORT
port_busy() { [[ -n $(ss -Hltn "sport = :$1") ]]; }
alloc_port() { # sets PORT
    while port_busy "$NEXT_PORT"; do NEXT_PORT=$((NEXT_PORT + 1)); done
    PORT=$NEXT_PORT
    NEXT_PORT=$((NEXT_PORT + 1))
}

# wait_listening PID WHAT: waits until something listens on $PORT
wait_listening() {
    for _ in $(seq 1 200); do
        port_busy "$PORT" && return 0
        kill -0 "$1" 2>/dev/null || break
        sleep 0.05
    done
    cat "$SRVLOG/$PORT.log" >&2 || true
    die "$2 on port $PORT did not come up"
}

# start_server LEAF CHAIN(or "") VERSIONFLAG(or "") [MORE s_server ARGS...]
# sets PORT and SERVER_PID
start_server() {
    local leaf=$1 chain=$2 ver=$3
    shift 3
    alloc_port
    local args=(-accept "127.0.0.1:$PORT" -cert "$PKI/$leaf.pem" -key "$PKI/$leaf.key" -www)
    [[ -n $chain ]] && args+=(-cert_chain "$PKI/$chain.pem")
    [[ -n $ver ]] && args+=("$ver")
    timeout 90 openssl s_server "${args[@]}" "$@" >"$SRVLOG/$PORT.log" 2>&1 </dev/null &
    SERVER_PID=$!
    PIDS+=("$SERVER_PID")
    wait_listening "$SERVER_PID" s_server
}

stop_server() {
    local pid=$1 p keep=()
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    for p in "${PIDS[@]}"; do [[ $p == "$pid" ]] || keep+=("$p"); done
    PIDS=("${keep[@]+"${keep[@]}"}")
}

# probe DEBUG TRUSTSTORE APPLOG TARGET... ; stdout+stderr of the JVM on stdout; sets RC.
# JOPTS (an array, empty by default) adds JVM options: a key store, revocation.
JOPTS=()
probe() {
    local debug=$1 trust=$2 applog=$3
    shift 3
    RC=0
    # DEBUG "none": no javax.net.debug at all (an empty value would switch
    # the JDK to System.Logger output)
    local dbg=(-Djavax.net.debug="$debug")
    [[ $debug == none ]] && dbg=()
    timeout 60 java ${dbg[@]+"${dbg[@]}"} \
        -Djavax.net.ssl.trustStore="pki/$trust.p12" -Djavax.net.ssl.trustStorePassword="$STOREPASS" \
        -Djavax.net.ssl.trustStoreType=PKCS12 -Dprobe.applog="$applog" \
        ${JOPTS[@]+"${JOPTS[@]}"} -cp "$CLASSES" Probe "$@" 2>&1 || RC=$?
}

# ---------------------------------------------------------- scenarios ------
# name | SNI host | leaf | chain file | trust store | expected | certificates the server sends
SCENARIOS=(
    "leaf_only|leafonly.partner.test|leafonly||trust_root|fail|1"
    "leaf_plus_intermediate|leafint.partner.test|leafint|chain_sift_int|trust_root|ok|2"
    "full_chain|fullchain.partner.test|fullchain|chain_sift_int_root|trust_root|ok|3"
    "root_not_imported|rootmissing.partner.test|rootmissing|chain_other_int_root|trust_root|fail|3"
    "leaf_only_tolerated|tolerated.partner.test|tolerated||trust_root_int|ok|1"
    "self_signed|selfsigned.partner.test|selfsigned||trust_root|fail|1"
)

SUMMARY=()
# negotiated FILE THREAD -> protocol version the JDK logged for that thread
negotiated() {
    local v
    v=$(grep -a "|$2|.*Negotiated protocol version: " "$1" | head -n 1 | sed 's/.*Negotiated protocol version: //')
    echo "${v:-—}"
}
# server_certs FILE -> number of certificates inside "Consuming server Certificate" blocks
server_certs() {
    awk '/Consuming server Certificate handshake message/ { inb = 1; next }
         inb && /^\)$/ { inb = 0 }
         inb && /"certificate" : \{/ { n++ }
         END { print n + 0 }' "$1"
}
# interleave_check FILE: warn if a debug header shows up inside another message's block
interleave_check() {
    sed 's#^[A-Z]* *| [a-z0-9 ]* *| [0-9/]* [0-9:.]* | ##' "$1" |
        awk '/^javax\.net\.ssl\|/ { if (open) bad++; open = ($0 ~ /\($/); next }
             /^\)$/ { open = 0 }
             END { exit bad > 0 }' ||
        log "note: $(basename "$1"): a debug header appeared inside another thread's multi-line block"
}
result() { [[ $1 -eq 0 ]] && echo "handshake OK, HTTP 200" || echo "handshake failed"; }
check() { # check LOGFILE APPLOG EXPECTED RC LABEL
    local f=$1 app=$2 want=$3 rc=$4 label=$5
    grep -q 'ClientHello' "$f" || die "$label: no ClientHello in JVM output"
    if [[ $want == ok ]]; then
        [[ $rc -eq 0 ]] || die "$label: expected success, probe exit $rc"
        ! grep -q 'Fatal (' "$f" || die "$label: fatal alert in a successful run"
        grep -q 'HTTP/1.0 200 ok' "$app" || die "$label: no HTTP 200 in app log"
    else
        [[ $rc -eq 2 ]] || die "$label: expected handshake failure, probe exit $rc"
        grep -q 'PKIX path building failed' "$f" || die "$label: no PKIX failure in JVM output"
    fi
}

run_scenario() { # run_scenario SPEC VERSION DEBUG OUTFILE
    local spec=$1 ver=$2 debug=$3 outfile=$4
    local name host leaf chain trust want ncerts
    IFS='|' read -r name host leaf chain trust want ncerts <<<"$spec"
    local sflag=-tls1_2 proto=TLSv1.2
    [[ $ver == 13 ]] && sflag=-tls1_3 proto=TLSv1.3
    start_server "$leaf" "$chain" "$sflag"
    local app=$TMP/app-$name-$ver-$PORT.txt
    probe "$debug" "$trust" "$app" "glide.scheduler.worker.3@$host:$PORT/$proto" >"$outfile"
    stop_server "$SERVER_PID"
    check "$outfile" "$app" "$want" "$RC" "$name TLS1.$ver"
    [[ $(negotiated "$outfile" glide.scheduler.worker.3) == "$proto" ]] || die "$name TLS1.$ver: $proto not negotiated"
    [[ $(server_certs "$outfile") == "$ncerts" ]] || die "$name TLS1.$ver: expected $ncerts server certificates"
    SUMMARY+=("| \`$JDKDIR/$(basename "$outfile")\` | $host:$PORT | $proto | $debug | $(result "$RC") |")
}

if want_set chains; then
log "running single-scenario captures"
for spec in "${SCENARIOS[@]}"; do
    name=${spec%%|*}
    for ver in 12 13; do
        run_scenario "$spec" "$ver" ssl:handshake:verbose "$OUT/$JDKDIR/$name-tls$ver.log"
    done
done
run_scenario "${SCENARIOS[0]}" 13 all "$OUT/$JDKDIR/leaf_only-tls13-debug-all.log"
fi

# ---------------------------------------------------- failure scenarios ---
if want_set failures; then
# shellcheck source=samples/capture/failures.sh
. "$HERE/failures.sh"
fi

# ------------------------------------------------------- node1 (wrapper) ---
APPLOG=$OUT/node1/localhost_log.$(date +%Y-%m-%d).txt

# wrapped DEBUG TRUST WRAPPERLOG TARGET... ; sets RC
wrapped() {
    local debug=$1 trust=$2 wlog=$3
    shift 3
    RC=0
    timeout 60 java -cp "$CLASSES" WrapperEmu "$wlog" \
        java -Djavax.net.debug="$debug" \
        -Djavax.net.ssl.trustStore="pki/$trust.p12" -Djavax.net.ssl.trustStorePassword="$STOREPASS" \
        -Djavax.net.ssl.trustStoreType=PKCS12 -Dprobe.applog="$APPLOG" \
        -cp "$CLASSES" Probe "$@" || RC=$?
}

if want_node1; then
log "running node1 captures"
# earlier rotation: root_not_imported (server pinned to TLS 1.2) + leaf_only_tolerated
# (server unpinned -> TLS 1.3); client trusts root + intermediate; client protocols = JDK default
start_server rootmissing chain_other_int_root -tls1_2; P1=$PORT; S1=$SERVER_PID
start_server tolerated "" ""; P2=$PORT; S2=$SERVER_PID
wrapped ssl:handshake:verbose trust_root_int "$OUT/node1/wrapper.log.1" \
    "glide.scheduler.worker.1@rootmissing.partner.test:$P1/default" \
    "glide.scheduler.worker.4@tolerated.partner.test:$P2/default"
stop_server "$S1"; stop_server "$S2"
[[ $RC -eq 2 ]] || die "node1 rotated run: expected exit 2, got $RC"
grep -q 'Request not sent to uri=https://rootmissing.partner.test' "$APPLOG" || die "rotated: rootmissing request did not fail"
grep -q 'PKIX path building failed' "$OUT/node1/wrapper.log.1" || die "rotated: no PKIX failure in wrapper.log.1"
grep -q 'tolerated.partner.test.*HTTP/1.0 200 ok' "$APPLOG" || die "rotated: no HTTP 200 for tolerated"
SUMMARY+=("| \`node1/wrapper.log.1.gz\` | rootmissing.partner.test:$P1 | $(negotiated "$OUT/node1/wrapper.log.1" glide.scheduler.worker.1) | ssl:handshake:verbose | handshake failed |")
SUMMARY+=("| \`node1/wrapper.log.1.gz\` | tolerated.partner.test:$P2 | $(negotiated "$OUT/node1/wrapper.log.1" glide.scheduler.worker.4) | ssl:handshake:verbose | handshake OK, HTTP 200 |")
interleave_check "$OUT/node1/wrapper.log.1"
gzip -9 "$OUT/node1/wrapper.log.1"

# The two runs must lie in different seconds: the time-window tests
# (tests/ux.sh, test_timewin) cut between them.
sleep 2
# current wrapper.log: leaf_only + full_chain, both servers unpinned (TLS 1.3),
# client trusts the root only; two worker threads interleave.
start_server leafonly "" ""; P1=$PORT; S1=$SERVER_PID
start_server fullchain chain_sift_int_root ""; P2=$PORT; S2=$SERVER_PID
wrapped ssl:handshake:verbose trust_root "$OUT/node1/wrapper.log" \
    "glide.scheduler.worker.3@leafonly.partner.test:$P1/default" \
    "glide.scheduler.worker.6@fullchain.partner.test:$P2/default"
stop_server "$S1"; stop_server "$S2"
[[ $RC -eq 2 ]] || die "node1 run: expected exit 2, got $RC"
grep -q 'Request not sent to uri=https://leafonly.partner.test' "$APPLOG" || die "node1: leafonly request did not fail"
grep -q 'PKIX path building failed' "$OUT/node1/wrapper.log" || die "node1: no PKIX failure in wrapper.log"
grep -q 'fullchain.partner.test.*HTTP/1.0 200 ok' "$APPLOG" || die "node1: no HTTP 200 for fullchain"
grep -q '^INFO   | jvm 1    | ' "$OUT/node1/wrapper.log" || die "node1: wrapper.log not wrapped"
interleave_check "$OUT/node1/wrapper.log"
SUMMARY+=("| \`node1/wrapper.log\` | leafonly.partner.test:$P1 | $(negotiated "$OUT/node1/wrapper.log" glide.scheduler.worker.3) | ssl:handshake:verbose | handshake failed |")
SUMMARY+=("| \`node1/wrapper.log\` | fullchain.partner.test:$P2 | $(negotiated "$OUT/node1/wrapper.log" glide.scheduler.worker.6) | ssl:handshake:verbose | handshake OK, HTTP 200 |")

fi

# --------------------------------------------------------------- README ----
# The primary run writes samples/README.md from README.md.in; another JDK's
# run writes its own jdk<major>/README.md from README-jdk<major>.md.in.
JAVA_VERSION=$(java -version 2>&1)
OPENSSL_VERSION=$(openssl version)
CAPTURE_DATE=$(date -u +'%Y-%m-%d %H:%M UTC')
RESULTS=$(printf '%s\n' "${SUMMARY[@]}")
TEMPLATE=$HERE/README.md.in README_OUT=$OUT/README.md
[[ -n $PRIMARY ]] || TEMPLATE=$HERE/README-$JDKDIR.md.in README_OUT=$OUT/$JDKDIR/README.md
sed -e "s|@CAPTURE_DATE@|$CAPTURE_DATE|" \
    -e "s|@OPENSSL_VERSION@|$OPENSSL_VERSION|" \
    -e "s|@APPLOG@|$(basename "$APPLOG")|g" \
    -e "s|@JDKDIR@|$JDKDIR|g" \
    -e "s|@JDK_MAJOR@|$JDK_MAJOR|g" \
    -e "s|@CAPTURE_JDK@|${CAPTURE_JDK:-}|g" \
    "$TEMPLATE" |
    JAVA_VERSION=$JAVA_VERSION RESULTS=$RESULTS awk '
        $0 == "@JAVA_VERSION@" { print ENVIRON["JAVA_VERSION"]; next }
        $0 == "@RESULTS@" { print ENVIRON["RESULTS"]; next }
        { print }' >"$README_OUT"

# ------------------------------------------------------------- install -----
if [[ -n $ONLY ]]; then
    log "CAPTURE_ONLY=$ONLY: nothing installed; the captures are in $OUT"
    printf '  %s\n' "${SUMMARY[@]}" >&2
    exit 0
fi
if [[ -z $PRIMARY ]]; then
    rm -rf "${SAMPLES:?}/$JDKDIR"
    mv "$OUT/$JDKDIR" "$SAMPLES/$JDKDIR"
    log "done ($JDKDIR only; jdk17/, node1/ and README.md untouched):"
    printf '  %s\n' "${SUMMARY[@]}" >&2
    ls -l "$SAMPLES/$JDKDIR" >&2
    exit 0
fi
rm -rf "$SAMPLES/jdk17" "$SAMPLES/node1"
mv "$OUT/jdk17" "$SAMPLES/jdk17"
mv "$OUT/node1" "$SAMPLES/node1"
mv "$OUT/README.md" "$SAMPLES/README.md"

log "done:"
printf '  %s\n' "${SUMMARY[@]}" >&2
ls -l "$SAMPLES/jdk17" "$SAMPLES/node1" >&2
