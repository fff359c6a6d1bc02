#!/bin/sh
# envelopes.sh - a diagnosis must not depend on the envelope: every
# unwrapped sample, behind each envelope a real deployment puts in front
# of the JVM's lines, gives the handshakes it gives unwrapped
# (tests/envelopes.py says how the copies are made and compared).  One
# sslsift run per envelope, over a directory of copies.
. "${top_srcdir:?}/tests/lib.sh"
"$PY" tests/envelopes.py "$SSLSIFT" patterns "$T/envelopes" >"$T/out" 2>&1
st=$?
grep -v '^ok: ' "$T/out"
while read -r line; do
	case $line in
	"ok: "*) ok "${line#ok: }" ;;
	"FAIL: "*) bad "${line#FAIL: }" ;;
	esac
done <"$T/out"
[ $st -eq 0 ] || [ $fail -gt 0 ] || bad "envelopes.py: exit $st"
summary envelopes
