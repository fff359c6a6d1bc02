#!/bin/sh
# ux.sh - end-to-end checks of what an operator meets: the progress line
# (on a real terminal through script(1), forced, and off), colour, time
# windows on the real samples, --redact in every format, --merge of two
# nodes' reports and the README's fleet recipe.
. "${top_srcdir:?}/tests/lib.sh"
check() { if "$@" 2>"$T/why"; then ok "$name"; else bad "$name: $(cat "$T/why")"; fi; }
# pyjson NAME FILE PYTHON: runs PYTHON with d = the JSON document of FILE.
pyjson() {
	name=$1 file=$2
	check $PY -c "import json, sys
d = json.load(open(sys.argv[1]))
$3" "$file"
}
has_esc() { grep -q "$(printf '\033')" "$1"; }
N=samples/node1
ESC=$(printf '\033')
CR=$(printf '\r')

# --- the progress line ----------------------------------------------------
# A scan of standard input that takes more than a second: a node's log,
# a pause, the log again.
slow() { { cat $N/wrapper.log; sleep 1.3; cat $N/wrapper.log; }; }

slow | S -f json >"$T/o.json" 2>"$T/err"
name="progress: off when stderr is not a terminal"; check test ! -s "$T/err"

slow | S -f json --progress=always >"$T/o.json" 2>"$T/err"
name="progress: --progress=always draws on a file"
check grep -q "^${CR}sslsift: [0-9.]* [KM]*i*B, 0 of 1 file, [0-9.]* [KM]*i*B/s${ESC}\[K" "$T/err"
name="progress: cleared at the end"; check sh -c "tail -c 4 '$T/err' | od -c | grep -q '\\\\r 033   \\[   K'"
name="progress: stdout untouched"; check $CONTRACT "$T/o.json" handshakes=4

S --progress=always -f json $N >/dev/null 2>"$T/err"
name="progress: quiet for a scan under a second"; check test ! -s "$T/err"
S --progress=sometimes $N >/dev/null 2>"$T/err"; st=$?
name="progress: bad WHEN"; check test $st -eq 2 -a -n "$(grep "not auto, always or never" "$T/err")"

if command -v script >/dev/null 2>&1 && script -qec true /dev/null </dev/null >/dev/null 2>&1; then
	export SSLSIFT N
	# On a terminal: auto shows it; --no-progress does not.
	script -qec "sh -c '{ cat \$N/wrapper.log; sleep 1.3; cat \$N/wrapper.log; } |
		\"\$SSLSIFT\" --patterns patterns -f json >\"$T/tty.json\"'" /dev/null \
		</dev/null >"$T/tty" 2>&1
	name="progress: shown on a terminal (script)"; check grep -q "sslsift: .*B/s${ESC}\[K" "$T/tty"
	name="progress: result intact on a terminal"; check $CONTRACT "$T/tty.json" handshakes=4
	script -qec "sh -c '{ cat \$N/wrapper.log; sleep 1.3; cat \$N/wrapper.log; } |
		\"\$SSLSIFT\" --patterns patterns --no-progress -f json >/dev/null'" /dev/null \
		</dev/null >"$T/tty" 2>&1
	name="progress: --no-progress on a terminal"; check test ! -s "$T/tty"
	script -qec "sh -c '{ cat \$N/wrapper.log; sleep 1.3; cat \$N/wrapper.log; } |
		TERM=dumb \"\$SSLSIFT\" --patterns patterns -f json >/dev/null'" /dev/null \
		</dev/null >"$T/tty" 2>&1
	name="progress: not on TERM=dumb"; check test ! -s "$T/tty"
	# Colour on a terminal: auto, NO_COLOR, TERM=dumb, and --color=always.
	script -qec "\"\$SSLSIFT\" --patterns patterns \$N" /dev/null </dev/null >"$T/tty" 2>&1
	name="colour: on a terminal"; check has_esc "$T/tty"
	script -qec "env NO_COLOR=1 \"\$SSLSIFT\" --patterns patterns --no-progress \$N" /dev/null </dev/null >"$T/tty" 2>&1
	name="colour: NO_COLOR honoured"; check test -z "$(grep "$ESC" "$T/tty")"
	script -qec "env TERM=dumb \"\$SSLSIFT\" --patterns patterns \$N" /dev/null </dev/null >"$T/tty" 2>&1
	name="colour: not on TERM=dumb"; check test -z "$(grep "$ESC" "$T/tty")"
	script -qec "env NO_COLOR=1 \"\$SSLSIFT\" --patterns patterns --color=always \$N" /dev/null </dev/null >"$T/tty" 2>&1
	name="colour: --color=always beats NO_COLOR"; check has_esc "$T/tty"
	script -qec "\"\$SSLSIFT\" --patterns patterns --no-progress --color=never \$N" /dev/null </dev/null >"$T/tty" 2>&1
	name="colour: --color=never on a terminal"; check test -z "$(grep "$ESC" "$T/tty")"
else
	echo "skip: script(1) cannot make a terminal here"
fi

# --- colour off a terminal ---------------------------------------------
S $N >"$T/o" ; name="colour: none in a pipe"; check test -z "$(grep "$ESC" "$T/o")"
S --color=always $N >"$T/o"; name="colour: --color=always in a pipe"; check has_esc "$T/o"
S --color $N >"$T/o"; name="colour: --color alone is always"; check has_esc "$T/o"
S --color=always -f markdown $N >"$T/o"; name="colour: never in Markdown"; check test -z "$(grep "$ESC" "$T/o")"
S --color=always -f json $N >"$T/o"; name="colour: never in JSON"; check test -z "$(grep "$ESC" "$T/o")"

# --- time windows on the real samples --------------------------------------
# node1 holds two wrapper runs: the older (wrapper.log.1.gz, two handshakes)
# ends before the newer (wrapper.log, two handshakes) starts.  The window
# edges come from the samples, so a recapture keeps the tests meaningful.
wts() { sed -n 's/^[A-Z]* *| *jvm [0-9]* *| \([0-9]*\)\/\([0-9]*\)\/\([0-9]*\) \([0-9:]*\).*/\1-\2-\3 \4/p'; }
NEW=$(wts <$N/wrapper.log | head -1)
OLD=$(gzip -dc $N/wrapper.log.1.gz | wts | tail -1)
plus() { $PY -c 'import datetime, sys
t = datetime.datetime.strptime(sys.argv[1], "%Y-%m-%d %H:%M:%S")
print((t + datetime.timedelta(seconds=int(sys.argv[2]))).strftime("%Y-%m-%d %H:%M:%S"))' "$1" "$2"; }
name="window: node1's runs are a second apart"; check test "$OLD" "<" "$NEW"
S -f json --since "$NEW" $N >"$T/w.json"; st=$?
name="window: --since"; check $CONTRACT "$T/w.json" handshakes=2 \
	leafonly.partner.test=LEAF_ONLY_CHAIN,symptoms=SOCKET_CLOSED+PEER_NOT_AUTHENTICATED \
	fullchain.partner.test=OK
pyjson "window: recorded in the JSON" "$T/w.json" \
	"assert d['window'] == {'since': '$NEW.000', 'until': None}, d['window']"
S -f json --until "$OLD" $N >"$T/w.json"
name="window: --until, to the second"; check $CONTRACT "$T/w.json" handshakes=2 \
	rootmissing.partner.test=UNTRUSTED_ROOT tolerated.partner.test=LEAF_ONLY_CHAIN_TOLERATED
S -f json --since 2026-11-22 --until 2026-11-22 $N >"$T/w.json"
name="window: a whole day"; check $CONTRACT "$T/w.json" handshakes=4
S --since 2026-11-23 $N >"$T/w.txt"; st=$?
name="window: nothing in it, exit 0"; check test $st -eq 0
name="window: says so"; check grep -q "No TLS handshake" "$T/w.txt"
name="window: named in the text"; check grep -q "^only handshakes that started at or after 2026-11-23 00:00:00$" "$T/w.txt"
SSLSIFT_NOW="$(plus "$NEW" 5)" S -f json --since 5s $N >"$T/w.json"
name="window: relative (--since 5s)"; check $CONTRACT "$T/w.json" handshakes=2 fullchain.partner.test=OK
SSLSIFT_NOW="$(plus "$OLD" 5)" S -f json --since 1h --until 5s $N >"$T/w.json"
name="window: relative both ends"; check $CONTRACT "$T/w.json" handshakes=2 rootmissing.partner.test=UNTRUSTED_ROOT
SSLSIFT_NOW=soon S --since 2h $N >/dev/null 2>"$T/err"; st=$?
name="window: a bad SSLSIFT_NOW is an error"; check test $st -eq 2 -a -n "$(grep "SSLSIFT_NOW: not a date-time: 'soon'" "$T/err")"
S -f json --since yesterday $N >/dev/null 2>"$T/err"; st=$?
name="window: bad time, exit 2"; check test $st -eq 2
name="window: bad time named"; check grep -q "^sslsift: --since: 'yesterday' is neither a date-time" "$T/err"
S --since 2026-11-23 --until 2026-11-22 $N >/dev/null 2>"$T/err"; st=$?
name="window: since after until"; check test $st -eq 2 -a -n "$(grep 'later than --until' "$T/err")"
# Every window of the whole samples keeps exactly the handshakes whose
# start is inside it (untimed classic logs are outside every window).
S -f json samples >"$T/all.json"
for w in "$(plus "$OLD" -600)|$OLD" "$OLD|$NEW" "$NEW|$(plus "$NEW" 600)"; do
	IFS='|'; set -- $w; unset IFS
	S -f json --since "$1" --until "$2" samples >"$T/w.json"
	pyjson "window: samples $1 .. $2 by start" "$T/w.json" "
full = json.load(open('$T/all.json'))
w = d['window']
def inside(h):
    return h.get('start') is not None and w['since'] <= h['start'] <= w['until']
want = sorted((h['file'], h['line']) for h in full['handshakes'] if inside(h))
got = sorted((h['file'], h['line']) for h in d['handshakes'])
assert got == want, (got, want)
assert all(inside(h) for h in d['handshakes'])
print('   (%d in the window)' % len(got))"
	$CONTRACT "$T/w.json" || bad "window $w: contract"
done

# --- --redact --------------------------------------------------------------
mkdir -p "$T/ip"
cat >"$T/ip/localhost_log.txt" <<'EOF'
2026-11-22 10:30:07 (100) worker.9 ABC txid=9 WARNING *** WARNING *** Request not sent to uri=https://10.20.30.40:8443/api/x : java.net.SocketException: Socket is closed
2026-11-22 10:30:07 (120) worker.9 ABC txid=9 SEVERE *** ERROR *** javax.net.ssl.SSLHandshakeException: No subject alternative names matching IP address 10.20.30.40 found
2026-11-22 10:31:09 (100) worker.8 ABC txid=8 WARNING *** WARNING *** Request not sent to uri=https://[2001:db8::17]:443/x : java.net.SocketException: Socket is closed
2026-11-22 10:32:09 (100) worker.7 ABC txid=7 SEVERE *** ERROR *** javax.net.ssl.SSLHandshakeException: Remote host terminated the handshake talking to partner-db.internal.example/192.168.7.9:5432
EOF
NODE=prod-app-01.corp.example
S -f json --node $NODE samples "$T/ip" >"$T/plain.json"
$PY - "$T/plain.json" >"$T/secrets" <<'PYEOF'
import json, re, sys
d = json.load(open(sys.argv[1]))
names = {d["node"]}
for h in d["handshakes"]:
    for k in ("peer_host", "sni"):
        if h.get(k):
            names.add(h[k])
    for c in (h["peer_certificates"] or []) + (h.get("peer_certificates_partial") or []):
        for dn in (c["subject"], c["issuer"]):
            for cn in re.findall(r"CN=([^,]+)", dn or ""):
                if "." in cn and " " not in cn:
                    names.add(cn.strip())
        if c.get("serial"):
            names.add(c["serial"])
    for s in h["symptoms"]:
        names.update(re.findall(r"https://([\w.-]+)", s.get("text") or ""))
names.update(["10.20.30.40", "2001:db8::17", "192.168.7.9",
              "partner-db.internal.example"])
names -= {"http", "https"}   # a URI's scheme that a host field caught
assert len(names) > 15, names
print("\n".join(sorted(names)))
PYEOF
[ -s "$T/secrets" ] || bad "redact: no names found to hide"
for fmt in text markdown json; do
	S -f $fmt --redact --node $NODE --color=always samples "$T/ip" >"$T/red.$fmt"
	left=$(grep -iF -f "$T/secrets" -o "$T/red.$fmt" | sort -u | tr '\n' ' ')
	name="redact: no host, IP or serial survives in $fmt ($(wc -l <"$T/secrets") names)"
	check test -z "$left"
	[ -z "$left" ] || echo "   left: $left"
done
name="redact: the JSON is still a report"; check $CONTRACT "$T/red.json"
pyjson "redact: placeholders, flagged" "$T/red.json" '
assert d["redacted"] is True and d["node"] == "host-1", (d["redacted"], d["node"])
peers = {h["peer"] for h in d["handshakes"] if h["peer"]}
assert all(p.split(":")[0].split("-")[0] in ("host", "ip") for p in peers), peers
serials = {c.get("serial") for h in d["handshakes"] for c in h["peer_certificates"] or []}
assert all(s.startswith("serial-") for s in serials if s), serials'
# One name, one placeholder, in every format.
peer=$($PY -c 'import json, sys
d = json.load(open(sys.argv[1]))
print(next(h["peer"] for h in d["handshakes"] if h["diagnosis"] == "LEAF_ONLY_CHAIN" and ":" in (h["peer"] or "")))' "$T/red.json")
host=${peer%%:*}
name="redact: $peer in text"; check grep -q "LEAF_ONLY_CHAIN.* $peer " "$T/red.text"
name="redact: $peer in markdown"; check grep -q "^### \`LEAF_ONLY_CHAIN\` — $peer\$" "$T/red.markdown"
name="redact: $peer in the steps"; check grep -q -- "-connect $peer -servername $host " "$T/red.markdown"
name="redact: the certificate's CN"; check grep -q "CN=$host, O=Partner Test" "$T/red.text"
name="redact: the URI in the evidence"; check grep -q "uri=https://$peer/api/now/table/incident" "$T/red.text"
name="redact: noted in Markdown"; check grep -q "certificate serials redacted" "$T/red.markdown"
name="redact: CA names kept"; check grep -q "Sift Test Issuing CA 1" "$T/red.markdown"

# --- --merge: two nodes, one report ------------------------------------------
S -f json --node node-a $N >"$T/a.json"
S -f json --node node-b samples/jdk17 >"$T/b.json"
S -f json --merge "$T/a.json" "$T/b.json" >"$T/m.json"; st=$?
name="merge: exit 1 (findings)"; check test $st -eq 1
nab=$($PY -c "import json,sys; print(sum(len(json.load(open(f))['handshakes']) for f in sys.argv[1:]))" "$T/a.json" "$T/b.json")
name="merge: a valid report"; check $CONTRACT "$T/m.json" handshakes=$nab
pyjson "merge: counts add up, peers and first/last seen merge" "$T/m.json" "
a = json.load(open('$T/a.json')); b = json.load(open('$T/b.json'))
assert d['nodes'] == ['node-a', 'node-b'], d['nodes']
assert d['node'] is None
assert len(d['inputs']) == len(a['inputs']) + len(b['inputs'])
assert [h['node'] for h in d['handshakes']] == ['node-a'] * len(a['handshakes']) + ['node-b'] * len(b['handshakes'])
fa = {f['code']: f for f in a['findings']}; fb = {f['code']: f for f in b['findings']}
assert {f['code'] for f in d['findings']} == set(fa) | set(fb)
for f in d['findings']:
    parts = [x[f['code']] for x in (fa, fb) if f['code'] in x]
    assert f['count'] == sum(p['count'] for p in parts), f['code']
    want = {}
    for p in parts:
        for k, v in p['peer_counts'].items():
            want[k] = want.get(k, 0) + v
    assert f['peer_counts'] == want, (f['code'], f['peer_counts'], want)
    assert set(f['peers']) == set(want)
    firsts = [p['first_seen'] for p in parts if p['first_seen']]
    lasts = [p['last_seen'] for p in parts if p['last_seen']]
    assert f['first_seen'] == min(firsts) and f['last_seen'] == max(lasts), f
lo = next(f for f in d['findings'] if f['code'] == 'LEAF_ONLY_CHAIN')
assert lo['count'] >= 2 and lo['first_seen'] < lo['last_seen'], lo"
S --merge "$T/a.json" "$T/b.json" >"$T/m.txt"
name="merge: text names the nodes"; check grep -q "from 2 nodes" "$T/m.txt"
S -f markdown --merge "$T/a.json" "$T/b.json" >"$T/m.md"
name="merge: markdown table has nodes"; check grep -q "| Severity | Diagnosis | Peer | Handshakes | First seen | Last seen | Nodes |" "$T/m.md"
name="merge: markdown header"; check grep -q "^\*sslsift [0-9.]* · nodes node-a, node-b\*$" "$T/m.md"
S -f json --merge - <"$T/a.json" >"$T/m1.json"
S -f json --node node-a --merge "$T/a.json" >"$T/m2.json"
name="merge: from standard input"; check $CONTRACT "$T/m1.json" handshakes=4
name="merge: one report gives itself back"; check cmp -s "$T/a.json" "$T/m2.json"
S -f json --merge --since "$NEW" "$T/a.json" "$T/b.json" >"$T/mw.json"
pyjson "merge: --since keeps what starts in the window" "$T/mw.json" "
both = json.load(open('$T/a.json'))['handshakes'] + json.load(open('$T/b.json'))['handshakes']
want = sorted((h['file'], h['line']) for h in both if h.get('start') and h['start'] >= '$NEW.000')
got = sorted((h['file'], h['line']) for h in d['handshakes'])
assert got == want and len(got) >= 2, (got, want)"
S -f markdown --merge --redact "$T/a.json" "$T/b.json" >"$T/mr.md"
name="merge: --redact"; check test -z "$(grep -iF -e partner.test -e node-a "$T/mr.md")"
printf '{"version": "1.0.0", "inputs": [' >"$T/bad.json"
echo '{"hello": 1}' >"$T/other.json"
S -f json --merge "$T/a.json" "$T/bad.json" "$T/other.json" "$T/b.json" >"$T/m.json" 2>"$T/err"; st=$?
name="merge: bad input, exit 2"; check test $st -eq 2
name="merge: bad JSON named, with line:column"; check grep -q "^sslsift: $T/bad.json:1:[0-9]*: " "$T/err"
name="merge: not a report named"; check grep -q "^sslsift: $T/other.json: not an sslsift report: no 'version'" "$T/err"
name="merge: the others still merged"; check $CONTRACT "$T/m.json" handshakes=$nab
pyjson "merge: the bad files are inputs with errors" "$T/m.json" "
bad = [i['path'] for i in d['inputs'] if i['error']]
assert bad == ['$T/bad.json', '$T/other.json'], bad"

# --- the README's fleet recipe, as written -----------------------------------
mkdir -p "$T/fleet/archive/node-a" "$T/fleet/archive/node-b"
cp $N/* "$T/fleet/archive/node-a/"
cp samples/jdk17/*tls13* "$T/fleet/archive/node-b/"
awk '/^    mkdir -p reports$/ { on = 1 } on { sub(/^    /, ""); print }
	on && /^sslsift --merge/ { exit }' README |
	sed "s|/archive/|$T/fleet/archive/|; s|^sslsift |\"\$SSLSIFT\" --patterns \"\$P\" |;
	     s|'sslsift |'\"\$SSLSIFT\" --patterns \"\$P\" |" >"$T/fleet/recipe.sh"
grep -q 'xargs -P' "$T/fleet/recipe.sh" || bad "README recipe not found"
(cd "$T/fleet" && P="$top_srcdir/patterns" SSLSIFT="$SSLSIFT" sh ./recipe.sh) 2>"$T/err"
name="fleet: the README's recipe runs"; check test -s "$T/fleet/fleet.md"
name="fleet: one report per node"; check test -s "$T/fleet/reports/node-a.json" -a -s "$T/fleet/reports/node-b.json"
name="fleet: merged"; check grep -q "nodes node-a, node-b" "$T/fleet/fleet.md"

summary ux
