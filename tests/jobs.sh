#!/bin/sh
# jobs.sh - -j N reads inputs on several cores; the report (every format)
# and the warnings must be byte for byte those of -j 1, whatever N, with
# inputs that fail, inputs that cannot be opened and cross-file
# correlation in the mix.
. "${top_srcdir:?}/tests/lib.sh"

# A broken gzip rotation and a missing file among real inputs.
head -c 3000 samples/node1/wrapper.log.1.gz >"$T/broken.log.gz"
set -- samples "$T/broken.log.gz" "$T/missing.log" samples/node1 \
	samples/jdk17/leaf_only-tls12.log samples/jdk8-classic

for f in json text markdown; do
	"$SSLSIFT" --patterns patterns -j 1 -f $f "$@" >"$T/j1.$f" 2>"$T/j1.$f.err"
	st1=$?
	for j in 2 3 4 16; do
		"$SSLSIFT" --patterns patterns -j $j -f $f "$@" >"$T/jn" 2>"$T/jn.err"
		st=$?
		if cmp -s "$T/j1.$f" "$T/jn" && cmp -s "$T/j1.$f.err" "$T/jn.err" &&
		   [ "$st" -eq "$st1" ]; then
			ok "-j $j -f $f same as -j 1"
		else
			bad "-j $j -f $f differs from -j 1 (exit $st vs $st1)"
			diff "$T/j1.$f" "$T/jn" | head -5
			diff "$T/j1.$f.err" "$T/jn.err" | head -5
		fi
	done
done
[ "$st1" -eq 2 ] && ok "trouble still exits 2" || bad "exit $st1, expected 2"
grep -q "broken.log.gz: truncated gzip stream" "$T/j1.json.err" &&
	ok "the broken input is named" || bad "no warning for the broken input"

# Default -j (one per core) too, and standard input among the operands.
"$SSLSIFT" --patterns patterns -j 1 -f json samples - <samples/node1/localhost_log.2026-11-22.txt >"$T/a" 2>&1
"$SSLSIFT" --patterns patterns -f json samples - <samples/node1/localhost_log.2026-11-22.txt >"$T/b" 2>&1
cmp -s "$T/a" "$T/b" && ok "default -j with stdin same as -j 1" || bad "default -j with stdin differs"

for a in 0 -1 x 1025; do
	"$SSLSIFT" -j "$a" samples >/dev/null 2>"$T/err"; st=$?
	[ "$st" -eq 2 ] && grep -q -- "--jobs" "$T/err" && ok "-j $a refused" || bad "-j $a: exit $st"
done

summary jobs.sh
