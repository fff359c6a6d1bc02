#!/bin/sh
# badinput.sh - the bad-input matrix, end to end.  Each row runs sslsift on
# one bad input together with a good one (a real leaf-only capture) and
# asserts: the exit status, the exact standard error, that the JSON is
# valid UTF-8 and valid JSON meeting the contract (tests/contract.py), and
# that the good input was still analysed (its peer diagnosed
# LEAF_ONLY_CHAIN).  Then output integrity: Markdown escaping, terminal
# control sequences stripped from text output, a closed output pipe.
#
# The small bad inputs are made at test time by make-bad-inputs.py from
# samples/; the 100 MB line and the million handshakes are streamed.
# SSLSIFT_TEST_SCALE (a divisor, set by check-wrap.sh under valgrind and
# the sanitizers) shrinks those two; peak memory is asserted only at full
# scale, where /usr/bin/time can measure sslsift itself.
. "${top_srcdir:?}/tests/lib.sh"
SCALE=${SSLSIFT_TEST_SCALE:-1}
chmod 755 "$T"     # the unreadable-file row runs sslsift as nobody
B=$T/bad
mkdir "$B" && "$PY" tests/make-bad-inputs.py . "$B" || exit 99

GOOD=samples/jdk17/leaf_only-tls13.log
GOOD_EXPECT=leafonly.partner.test=LEAF_ONLY_CHAIN,chain=leaf_only,certs=1
# The exact stderr expected of a row, one line per argument.
want_err() { : >"$T/want"; for l in "$@"; do printf '%s\n' "$l" >>"$T/want"; done; }

# check NAME WANT_STATUS GOT_STATUS [EXPECT...]: the status, stderr against
# $T/want, and $T/out.json against the contract, strict UTF-8 and EXPECTs.
check() {
	name=$1 want=$2 got=$3
	shift 3
	if [ "$got" -eq "$want" ]; then ok "$name: exit $got"; else bad "$name: exit $got, expected $want"; fi
	if cmp -s "$T/want" "$T/err"; then
		ok "$name: stderr"
	else
		bad "$name: stderr differs:"; diff "$T/want" "$T/err" | head -n 5
	fi
	if "$PY" tests/contract.py "$T/out.json" "$@" 2>"$T/why"; then
		ok "$name: JSON valid, other input analysed"
	else
		bad "$name: JSON: $(cat "$T/why")"
	fi
}

# row NAME WANT_STATUS BAD_INPUT... : the bad inputs, then the good one.
row() {
	name=$1 want=$2
	shift 2
	S -f json "$@" "$GOOD" >"$T/out.json" 2>"$T/err"
	check "$name" "$want" $? "$GOOD_EXPECT"
}

# json_py NAME PYTHON: runs PYTHON with d = the JSON document of the last row.
json_py() {
	if "$PY" - "$T/out.json" >"$T/why" 2>&1 <<EOF
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
$2
EOF
	then ok "$1"; else bad "$1: $(tail -n 3 "$T/why")"; fi
}

# text_clean NAME FILE: no byte a terminal would act on.
text_clean() {
	if "$PY" - "$2" >"$T/why" 2>&1 <<'EOF'
import re, sys
b = open(sys.argv[1], "rb").read()
t = b.decode("utf-8")                      # valid UTF-8
bad = re.findall(r"[\x00-\x09\x0b-\x1f\x7f\x80-\x9f\u202a-\u202e\u2066-\u2069]", t)
assert not bad, "control characters in text output: %r" % bad[:5]
EOF
	then ok "$1"; else bad "$1: $(tail -n 1 "$T/why")"; fi
}

# peak_rss_kb FILE: what /usr/bin/time -f %M wrote, or empty.
peak_rss_kb() { tail -n 1 "$1" 2>/dev/null | tr -dc 0-9; }
TIME=""
if [ "$SCALE" -eq 1 ] && [ -x /usr/bin/time ] &&
	/usr/bin/time -f %M -o "$T/rss" true 2>/dev/null; then
	TIME="/usr/bin/time -f %M -o $T/rss"
fi
# check_rss NAME LIMIT_MB
check_rss() {
	if [ -z "$TIME" ]; then
		echo "SKIP: $1: peak memory (no /usr/bin/time, or a checker build)"
		return
	fi
	kb=$(peak_rss_kb "$T/rss")
	if [ -n "$kb" ] && [ "$kb" -lt $(($2 * 1024)) ]; then
		ok "$1: peak RSS ${kb} KiB < $2 MiB"
	else
		bad "$1: peak RSS ${kb:-?} KiB, limit $2 MiB"
	fi
}

# --- files that are not there or cannot be read -------------------------
want_err "sslsift: $T/missing.log: No such file or directory"
row "nonexistent path" 2 "$T/missing.log"

cp samples/jdk17/self_signed-tls12.log "$T/unreadable.log"
chmod 000 "$T/unreadable.log"
want_err "sslsift: $T/unreadable.log: Permission denied"
if [ "$(id -u)" -ne 0 ]; then
	row "unreadable file" 2 "$T/unreadable.log"
else
	# Root reads anything: the row runs as nobody, who may not, on copies
	# of the patterns and the good input that nobody can read.
	mkdir "$T/nobody" && cp -r patterns "$GOOD" "$T/nobody/" &&
		chmod -R a+rX "$T/nobody"
	AS_NOBODY="setpriv --reuid=nobody --regid=nogroup --clear-groups"
	runner=$SSLSIFT
	# A build directory closed to others (under /root, say): a copy of
	# the binary, when it is one (not the valgrind wrapper script).
	if command -v setpriv >/dev/null &&
		! $AS_NOBODY "$runner" --version >/dev/null 2>&1 &&
		head -c 4 "$SSLSIFT" | grep -q ELF; then
		cp "$SSLSIFT" "$T/nobody/sslsift" && chmod 755 "$T/nobody/sslsift"
		runner=$T/nobody/sslsift
	fi
	if command -v setpriv >/dev/null &&
		$AS_NOBODY "$runner" --patterns "$T/nobody/patterns" --version >/dev/null 2>&1; then
		$AS_NOBODY "$runner" --patterns "$T/nobody/patterns" -f json \
			"$T/unreadable.log" "$T/nobody/$(basename "$GOOD")" \
			>"$T/out.json" 2>"$T/err"
		check "unreadable file (as nobody)" 2 $? "$GOOD_EXPECT"
	else
		echo "SKIP: unreadable file: root, and nobody cannot run $SSLSIFT (no setpriv, or its directory is closed to others)"
	fi
fi

mkdir -p "$T/tree/sub"
cp samples/jdk17/self_signed-tls12.log "$T/tree/a.log"
ln -s .. "$T/tree/sub/loop"
want_err "sslsift: $T/tree/sub/loop: directory cycle (symlink loop), not followed"
row "directory looping through a symlink" 2 "$T/tree"
json_py "symlink loop: the tree's log read once" '
hs = [h for h in d["handshakes"] if h["peer"] == "selfsigned.partner.test"]
assert len(hs) == 1 and hs[0]["diagnosis"] == "SELF_SIGNED_UNTRUSTED", hs'

mkfifo "$T/fifo"
(timeout 120 cat samples/jdk17/self_signed-tls12.log >"$T/fifo" &)
want_err
row "FIFO with a writer" 1 "$T/fifo"
json_py "FIFO: read and analysed" '
assert any(h["peer"] == "selfsigned.partner.test" for h in d["handshakes"])
assert d["inputs"][0]["error"] is None and d["inputs"][0]["lines"] > 100'

# --- contents that are not a log -----------------------------------------
: >"$T/empty.log"
want_err
row "empty file" 1 "$T/empty.log"
json_py "empty file: 0 bytes, 0 lines" '
i = d["inputs"][0]; assert (i["bytes"], i["lines"], i["error"]) == (0, 0, None), i'
S "$T/empty.log" >/dev/null 2>"$T/err"; st=$?
[ $st -eq 0 ] && [ ! -s "$T/err" ] && ok "empty file alone: exit 0, quiet" || bad "empty file alone: exit $st"

want_err
row "file of NUL bytes" 1 "$B/nul.log"
row "random binary" 1 "$B/random.bin"
json_py "random binary: read whole, no handshake from it" '
i = d["inputs"][0]; assert i["bytes"] == 1 << 20 and i["error"] is None, i
assert all(h["file"] != i["path"] for h in d["handshakes"])'

row "invalid UTF-8 in subject, issuer, SNI and thread" 1 "$B/bad-utf8.log"
json_py "invalid UTF-8: replaced by U+FFFD, nothing dropped" '
h = [h for h in d["handshakes"] if h["peer"] and h["peer"].startswith("badutf8")]
assert len(h) == 1, d["handshakes"]
h = h[0]
assert h["peer"] == "badutf8\ufffd.partner.test", h["peer"]
assert "\ufffd" in h["thread"] and h["thread"].startswith("th"), h["thread"]
assert "\ufffd" in h["peer_certificates"][0]["subject"], h["peer_certificates"]
assert h["diagnosis"] == "LEAF_ONLY_CHAIN", h'

# A 100 MB line without a newline: cut for matching, counted, memory flat.
big=$((100 * 1024 * 1024 / SCALE))
head -c "$big" /dev/zero | tr '\0' x >"$T/long.log"
want_err "sslsift: $T/long.log:1: line longer than 1048576 bytes, cut for matching (1 such line; --max-line raises the limit)"
$TIME "$SSLSIFT" --patterns patterns -f json "$T/long.log" "$GOOD" >"$T/out.json" 2>"$T/err"
check "a ${big}-byte line without a newline" 2 $? "$GOOD_EXPECT"
check_rss "a ${big}-byte line" 64
json_py "long line: counted" '
i = d["inputs"][0]; assert i["long_lines"] == 1 and i["lines"] == 1, i
assert i["bytes"] == '"$big"', i'
rm -f "$T/long.log"

# --- damaged gzip: what came before the damage is still analysed --------
size() { wc -c <"$1" | tr -d ' '; }
want_err "sslsift: $B/trunc.log.gz: truncated gzip stream at byte $(size "$B/trunc.log.gz")"
row "gzip truncated mid-way" 2 "$B/trunc.log.gz"
# zlib checks the CRC-32 (the trailer's first 4 bytes) once it has read
# it: the offset is where it stopped, 4 bytes before the end.
want_err "sslsift: $B/badcrc.log.gz: corrupt gzip stream at byte $(($(size "$B/badcrc.log.gz") - 4)): incorrect data check"
row "gzip with a bad CRC" 2 "$B/badcrc.log.gz"
json_py "bad CRC: the lines inflated before the check were analysed" '
i = d["inputs"][0]; assert i["compressed"] and i["lines"] > 100, i
assert any(h["peer"] == "selfsigned.partner.test" for h in d["handshakes"])'
gzlen=$(($(size "$B/trailing.log.gz") - 17))
want_err "sslsift: $B/trailing.log.gz: trailing garbage after gzip stream at byte $gzlen"
row "gzip followed by trailing garbage" 2 "$B/trailing.log.gz"
json_py "trailing garbage: the gzip stream itself analysed" '
assert any(h["peer"] == "selfsigned.partner.test" and h["diagnosis"] == "SELF_SIGNED_UNTRUSTED"
           for h in d["handshakes"])'

# --- damaged or outsized certificate blocks -------------------------------
want_err
row "log cut inside a certificate block" 1 "$B/cut-cert.log"
json_py "cut certificate block: not captured, partial kept" '
h = [h for h in d["handshakes"] if h["file"].endswith("cut-cert.log")]
assert len(h) == 1 and h[0]["chain"] == "not_captured", h
assert h[0]["peer_certificates"] is None and h[0]["peer_certificates_cut"], h'

row "certificate block with 10,000 entries" 1 "$B/certs-10000.log"
json_py "10,000 certificates: the first kept, the rest counted" '
h = [h for h in d["handshakes"] if h["file"].endswith("certs-10000.log")]
assert len(h) == 1, h
c, o = h[0]["peer_certificates"], h[0]["peer_certificates_omitted"]
assert len(c) + o == 10000 and 0 < len(c) <= 100, (len(c), o)
assert c[0]["subject"] == "CN=leafonly.partner.test" and c[1]["subject"] == "CN=Bulk CA 1"'

# --- a million handshakes: summaries aggregate, detail is capped ----------
n=$((1000000 / SCALE))
want_err
"$PY" tests/gen-handshakes.py "$n" 50 8 |
	$TIME "$SSLSIFT" --patterns patterns -f json - "$GOOD" >"$T/out.json" 2>"$T/err"
check "$n handshakes in one input" 1 $? "$GOOD_EXPECT"
check_rss "$n handshakes" 128
json_py "$n handshakes: exact counts, capped detail, correlation kept" '
n = '"$n"'
fail = (n + 9) // 10
f = {x["code"]: x for x in d["findings"]}
assert f["LEAF_ONLY_CHAIN"]["count"] == fail + 1, f["LEAF_ONLY_CHAIN"]["count"]
assert f["OK"]["count"] == n - fail, f["OK"]["count"]
listed = len(d["handshakes"])
assert listed + d["handshakes_omitted"] == n + 1, (listed, d["handshakes_omitted"])
if n > 20000:
    assert d["handshakes_omitted"] > 0 and listed <= 60000, listed
# p0, p10, .. p40 always fail (i % 50 in 0, 10, ..); the 45 others finish
assert len(f["OK"]["peers"]) == 45 and len(f["LEAF_ONLY_CHAIN"]["peers"]) == 6
gen = [h for h in d["handshakes"] if h["file"] == "-"]
failed = [h for h in gen if h["diagnosis"] == "LEAF_ONLY_CHAIN"]
assert failed and all(h["symptoms"] and h["symptoms"][0]["kind"] ==
                      "SSL_HANDSHAKE_EXCEPTION" for h in failed), "symptoms not tied"
assert all(len(h["peer_certificates"]) == 2 for h in gen if h["diagnosis"] == "OK")'
"$PY" tests/gen-handshakes.py "$n" 50 8 | S -f text - >"$T/out.txt" 2>"$T/err"; st=$?
if [ $st -eq 1 ] && grep -q "^inputs read: 1 file, [0-9]* lines, $n handshakes" "$T/out.txt"; then
	ok "$n handshakes: the text report counts them all"
else
	bad "$n handshakes: text report (exit $st): $(head -n 1 "$T/out.txt")"
fi

# --- pattern files: a bad regex, a catastrophic one ------------------------
mkdir "$T/pat" && cp patterns/*.pat "$T/pat/"
printf '# c\nSOCKET_CLOSED  Socket is closed\nPEER_NOT_AUTHENTICATED  peer (not\n' >"$T/pat/zz-bad.pat"
"$SSLSIFT" --patterns "$T/pat" -f json "$GOOD" >"$T/out.json" 2>"$T/err"; st=$?
# the regex starts at column 25 ("PEER_NOT_AUTHENTICATED" and two blanks);
# PCRE2 finds the missing parenthesis at its end, 9 bytes on
want_err "sslsift: $T/pat/zz-bad.pat:3:34: missing closing parenthesis"
[ $st -eq 2 ] && ok "bad regex: exit 2" || bad "bad regex: exit $st"
cmp -s "$T/want" "$T/err" && ok "bad regex: stderr names file:line:column" ||
	bad "bad regex: stderr: $(cat "$T/err")"
[ ! -s "$T/out.json" ] && ok "bad regex: no report from unloaded patterns" || bad "bad regex: output"

rm "$T/pat/zz-bad.pat"
printf 'SOCKET_CLOSED  ^(x+x+)+[yz]$\n' >"$T/pat/zz-slow.pat"
want_err "sslsift: $T/pat/zz-slow.pat:1: rule hit the match limit on $B/slow.log:1234"
timeout 120 "$SSLSIFT" --patterns "$T/pat" -f json "$B/slow.log" "$GOOD" \
	>"$T/out.json" 2>"$T/err"
check "catastrophic-backtracking rule" 2 $? "$GOOD_EXPECT"
json_py "match limit: reported once, in the JSON too" '
assert d["errors"] == [open("'"$T/want"'").read().strip()[len("sslsift: "):]], d["errors"]'

# --- output integrity ------------------------------------------------------
want_err
S -f json "$B/escapes.log" "$B/bad-utf8.log" "$B/markdown.log" "$B/nul.log" \
	"$B/random.bin" "$GOOD" >"$T/out.json" 2>"$T/err"
check "hostile text in every field: JSON" 1 $? "$GOOD_EXPECT"
for fmt in text markdown; do
	S -f $fmt "$B/escapes.log" "$B/bad-utf8.log" "$B/markdown.log" \
		"$B/nul.log" "$B/random.bin" "$GOOD" >"$T/out.$fmt" 2>"$T/err"; st=$?
	[ $st -eq 1 ] && [ ! -s "$T/err" ] && ok "hostile text: $fmt exit 1, quiet" ||
		bad "hostile text: $fmt exit $st"
done
text_clean "text output: escape sequences, C1, bidi and controls stripped" "$T/out.text"
if grep -q 'CN=esc?red??6n?evil?\.partner\.test' "$T/out.text"; then
	ok "text output: the stripped text is still readable"
else
	bad "text output: hostile peer or subject not shown"
fi
"$PY" - "$T/out.markdown" >"$T/why" 2>&1 <<'EOF' && ok "Markdown: table pipes, backticks and HTML escaped" || bad "Markdown: $(tail -n 1 "$T/why")"
import re, sys
md = open(sys.argv[1], encoding="utf-8").read()
# Outside code spans and fences no raw HTML and no raw pipe in a table.
fenced = re.sub(r"(?ms)^(`{3,}).*?^\1", "", md)
spans = re.sub(r"(`+)(?!`).*?(?<!`)\1(?!`)", "", fenced)
assert "<script>" not in spans and "<b>" not in spans, "raw HTML"
assert "&lt;b&gt;" in spans, "HTML not escaped"
rows = [l for l in md.splitlines() if l.startswith("| ")]
header = rows[0]
cells = lambda l: len(re.findall(r"(?<!\\)\|", re.sub(r"`[^`]*`", "", l)))
assert all(cells(r) == cells(header) for r in rows), \
    [r for r in rows if cells(r) != cells(header)]
peer = [r for r in rows if "md\\|pipe" in r]
assert peer and "\\`tick" in peer[0], rows
EOF

# A closed output pipe: quiet.  SIGPIPE ends sslsift as it ends cat or grep
# (status 141 from the shell); where SIGPIPE is ignored, the write fails
# with EPIPE and sslsift exits 2, still without a message.
"$PY" tests/gen-handshakes.py $((20000 / SCALE + 2000)) 2000 8 >"$T/big.log"
for fmt in json text; do
	{ S -f $fmt "$T/big.log" 2>"$T/err"; echo $? >"$T/status"; } | head -n 1 >/dev/null
	st=$(cat "$T/status")
	[ "$st" -eq 141 ] && [ ! -s "$T/err" ] && ok "closed pipe ($fmt): killed by SIGPIPE, no message" ||
		bad "closed pipe ($fmt): exit $st, stderr: $(head -c 200 "$T/err")"
	{ (trap '' PIPE; S -f $fmt "$T/big.log" 2>"$T/err"; echo $? >"$T/status"); } | head -n 1 >/dev/null
	st=$(cat "$T/status")
	[ "$st" -eq 2 ] && [ ! -s "$T/err" ] && ok "closed pipe ($fmt), SIGPIPE ignored: exit 2, no message" ||
		bad "closed pipe ($fmt), SIGPIPE ignored: exit $st, stderr: $(head -c 200 "$T/err")"
done

summary badinput
