#!/bin/sh
# simd.sh - every code path of the prefilter gives the same report.  The
# scanner (and the newline count) is chosen by the CPU; SSLSIFT_SIMD caps
# it, so the paths of older CPUs (and of CPUs that are not x86: the
# scalar one) run here too, end to end, on inputs big enough for the
# prefilters to be tuned on them.  Each run is bounded in time: a path
# that loops is a failure, not a hung `make check`.
# shellcheck disable=SC2086
. "${top_srcdir:?}/tests/lib.sh"

# A mixed log over 1 MiB: every debug sample, in the middle of
# application lines.
reps=3 limit=60
if [ "${SSLSIFT_TEST_SCALE:-1}" -gt 1 ]; then   # under a slow checker
	reps=1 limit=$((60 * SSLSIFT_TEST_SCALE))
fi
i=0
while [ $i -lt $reps ]; do
	cat samples/node1/localhost_log.2026-11-22.txt
	cat samples/jdk17/*.log samples/jdk8-classic/*.log samples/ibm-jsse/*.log
	i=$((i + 1))
done >"$T/mixed.log"
set -- "$T/mixed.log" samples

SSLSIFT_SIMD= timeout $limit "$SSLSIFT" --patterns patterns -j 1 -f json "$@" \
	>"$T/best" 2>&1
st0=$?
[ "$st0" -le 2 ] && ok "the CPU's own paths: exit $st0" || bad "exit $st0"
for level in scalar ssse3 avx2 avx512bw avx512; do
	SSLSIFT_SIMD=$level timeout $limit "$SSLSIFT" --patterns patterns -j 1 \
		-f json "$@" >"$T/$level" 2>&1
	st=$?
	if [ "$st" -eq "$st0" ] && cmp -s "$T/best" "$T/$level"; then
		ok "SSLSIFT_SIMD=$level: same report"
	else
		bad "SSLSIFT_SIMD=$level: exit $st (vs $st0), report differs"
		diff "$T/best" "$T/$level" | head -5
	fi
done
SSLSIFT_SIMD=bogus timeout $limit "$SSLSIFT" --patterns patterns -j 1 -f json \
	"$@" >"$T/bogus" 2>&1
cmp -s "$T/best" "$T/bogus" && ok "an unknown level caps nothing" ||
	bad "SSLSIFT_SIMD=bogus changed the report"
summary simd.sh
