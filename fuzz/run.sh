#!/bin/sh
# run.sh - runs each libFuzzer harness for SECONDS, one after the other
# (never two at once: the machine is shared), on a corpus kept in
# OUTDIR/corpus-work/HARNESS and seeded from samples/, fuzz/seeds/ and the
# regression inputs in tests/regress/.  Crashes are written to
# OUTDIR/crashes/; any new one makes the run fail.  One line per harness
# is appended to OUTDIR/fuzz-stats.log (date, harness, seconds,
# executions), the numbers fuzz/README records.  `make fuzz` runs this.
#
# usage: run.sh SECONDS SRCDIR OUTDIR [HARNESS...]
# environment: FUZZ_OPTS, extra libFuzzer options (e.g. "-fork=1
# -ignore_crashes=1" for a long run that collects every crash)
set -u
seconds=$1 srcdir=$2 out=$3
shift 3
[ $# -gt 0 ] || set -- fuzz_pipeline fuzz_patterns

# Seeds: the samples cut into pieces of 60 lines (whole records mostly),
# each node's wrapper and localhost logs as one multi-file input, a gzip
# rotation, the hand-made bad inputs, and every regression input.
seeds_pipeline() {
	d=$out/seeds/pipeline
	rm -rf "$d" && mkdir -p "$d"
	for f in "$srcdir"/samples/jdk17/*.log "$srcdir"/samples/jdk8-classic/*.log \
		"$srcdir"/samples/node1/*.log "$srcdir"/samples/node1/*.txt; do
		split -l 60 -d -a 3 "$f" "$d/$(basename "$f")."
	done
	{ cat "$srcdir/samples/node1/wrapper.log"; printf '\n\f\f\n'
	  cat "$srcdir"/samples/node1/localhost_log.*.txt; } >"$d/node1-two-files"
	cp "$srcdir/samples/node1/wrapper.log.1.gz" "$d/"
	cp "$srcdir"/fuzz/seeds/pipeline/* "$d/"
	for f in "$srcdir"/tests/regress/pipeline-*; do
		[ -f "$f" ] && cp "$f" "$d/"
	done
}

seeds_patterns() {
	d=$out/seeds/patterns
	rm -rf "$d" && mkdir -p "$d"
	cp "$srcdir"/patterns/*.pat "$srcdir"/fuzz/seeds/patterns/* "$d/"
	for f in "$srcdir"/tests/regress/patterns-*; do
		[ -f "$f" ] && cp "$f" "$d/"
	done
}

status=0
mkdir -p "$out/crashes"
for h in "$@"; do
	case $h in
	fuzz_pipeline) seeds_pipeline; dict=jsse.dict; maxlen=65536 ;;
	fuzz_patterns) seeds_patterns; dict=pat.dict; maxlen=4096 ;;
	*) echo "run.sh: unknown harness $h" >&2; exit 2 ;;
	esac
	corpus=$out/corpus-work/$h
	mkdir -p "$corpus"
	before=$(ls "$out/crashes" | wc -l)
	log=$out/$h.log
	echo "fuzz: $h for ${seconds}s (log: $log)"
	# shellcheck disable=SC2086
	"$out/$h" -max_total_time="$seconds" -timeout=30 -rss_limit_mb=2048 \
		-max_len=$maxlen -dict="$srcdir/fuzz/$dict" -print_final_stats=1 \
		-artifact_prefix="$out/crashes/$h-" ${FUZZ_OPTS:-} \
		"$corpus" "$out/seeds/${h#fuzz_}" >"$log" 2>&1
	rc=$?
	after=$(ls "$out/crashes" | wc -l)
	# Executions: the final stats, else (fork mode) the last status line.
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	[ -n "$execs" ] || execs=$(sed -n 's/^#\([0-9][0-9]*\).*/\1/p' "$log" | tail -n 1)
	echo "$(date -u +%Y-%m-%dT%H:%M:%SZ) $h seconds=$seconds execs=${execs:-0} rc=$rc new_crashes=$((after - before))" \
		>>"$out/fuzz-stats.log"
	echo "fuzz: $h: ${execs:-0} executions, exit $rc, $((after - before)) new crash files"
	if [ "$rc" -ne 0 ] || [ "$after" -ne "$before" ]; then
		grep -E 'ERROR|runtime error|fuzz check failed|SUMMARY' "$log" | head -n 5
		ls -t "$out/crashes" | head -n $((after - before + 1))
		status=1
	fi
done
exit $status
