#!/bin/sh
# regress.sh - every input the fuzzers ever crashed on (tests/regress/),
# run through the normal sslsift binary -- and so, in check-sanitizers and
# check-valgrind, under ASan/UBSan and memcheck too.
#
#   pipeline-*   a log, cut like fuzz_pipeline cuts it into files at each
#                "\n\f\f\n"; sslsift must end normally (status 0, 1 or 2),
#                its JSON must meet the contract (tests/contract.py) and its
#                text output must hold no control character
#   patterns-*   a pattern file (up to "\n\f\f\n"), loaded with the shipped
#                ones; sslsift must end normally, and a load error must be
#                one line naming the file
. "${top_srcdir:?}/tests/lib.sh"

# split FILE DIR: the parts of FILE between separators, as DIR/part-N.log
split_input() {
	"$PY" - "$1" "$2" <<'EOF'
import sys
data = open(sys.argv[1], "rb").read()
for i, part in enumerate(data.split(b"\n\f\f\n", 3)):
    open("%s/part-%d.log" % (sys.argv[2], i), "wb").write(part)
EOF
}

# ended NAME STATUS: sslsift ended by itself, with a status of the contract.
ended() {
	if [ "$2" -le 2 ]; then ok "$1: exit $2"; else bad "$1: exit $2 (crash or signal)"; fi
}

for f in tests/regress/pipeline-*; do
	[ -f "$f" ] || continue
	name=$(basename "$f")
	rm -rf "$T/in" && mkdir "$T/in" && split_input "$f" "$T/in"
	"$SSLSIFT" --patterns patterns -f json "$T"/in/part-*.log >"$T/out.json" 2>"$T/err"
	ended "$name (json)" $?
	"$PY" tests/contract.py "$T/out.json" 2>"$T/why" && ok "$name: JSON meets the contract" ||
		bad "$name: $(cat "$T/why")"
	"$SSLSIFT" --patterns patterns -f text "$T"/in/part-*.log >"$T/out.txt" 2>/dev/null
	ended "$name (text)" $?
	"$PY" - "$T/out.txt" <<'EOF' && ok "$name: text clean" || bad "$name: control characters in text"
import re, sys
t = open(sys.argv[1], "rb").read().decode("utf-8")
sys.exit(1 if re.search(r"[\x00-\x09\x0b-\x1f\x7f\x80-\x9f]", t) else 0)
EOF
	"$SSLSIFT" --patterns patterns -f markdown "$T"/in/part-*.log >/dev/null 2>&1
	ended "$name (markdown)" $?
done

for f in tests/regress/patterns-*; do
	[ -f "$f" ] || continue
	name=$(basename "$f")
	rm -rf "$T/pat" && mkdir "$T/pat" && cp patterns/*.pat "$T/pat/"
	"$PY" - "$f" "$T/pat/zz-regress.pat" <<'EOF'
import sys
data = open(sys.argv[1], "rb").read()
open(sys.argv[2], "wb").write(data.split(b"\n\f\f\n", 1)[0])
EOF
	"$SSLSIFT" --patterns "$T/pat" -f json samples/jdk17/leaf_only-tls13.log \
		>"$T/out.json" 2>"$T/err"
	st=$?
	ended "$name" $st
	if [ $st -eq 2 ] && [ -s "$T/err" ]; then
		lines=$(wc -l <"$T/err")
		grep -q "^sslsift: $T/pat/zz-regress.pat:[0-9]" "$T/err" && [ "$lines" -eq 1 ] &&
			ok "$name: one error line naming the file" || bad "$name: error: $(head -c 300 "$T/err")"
	else
		"$PY" tests/contract.py "$T/out.json" 2>"$T/why" && ok "$name: JSON meets the contract" ||
			bad "$name: $(cat "$T/why")"
	fi
done

summary regress
