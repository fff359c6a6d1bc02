#!/bin/sh
# check-wrap.sh - the LOG_COMPILER of `make check`: runs one test under the
# checker this build was configured for, and fails it if the checker found
# anything, even where the test itself did not look.
#
# usage: check-wrap.sh MODE TEST [ARGS...]
#   MODE plain      run TEST as it is
#   MODE valgrind   (--enable-valgrind) a test program runs under valgrind
#                   memcheck; a shell driver runs as it is, but every
#                   sslsift it starts (through $SSLSIFT) runs under memcheck
#   MODE sanitizer  (--enable-asan / --enable-ubsan) sanitizer reports of
#                   the test and of every sslsift it starts go to files
#
# Either way a report from the checker fails the test and is printed into
# its log.  SSLSIFT_TEST_SCALE (a divisor, default 1) is set to shrink the
# biggest inputs the tests make, so that the slow checkers stay within
# minutes; the tests read it (tests/unit/testutil.h, tests/badinput.sh).
set -u
mode=$1
shift
case $mode in plain) exec "$@" ;; esac

reports=$(mktemp -d "${TMPDIR:-/tmp}/sslsift-check.XXXXXX") || exit 99
trap 'rm -rf "$reports"' EXIT
chmod 1777 "$reports"   # tests may run sslsift as another user
VG="valgrind --quiet --leak-check=full --show-leak-kinds=definite,indirect,possible --errors-for-leak-kinds=definite,indirect,possible --track-fds=no"
case $1 in *.sh) driver=yes ;; *) driver=no ;; esac

case $mode in
valgrind)
	: "${SSLSIFT_TEST_SCALE:=50}"
	export SSLSIFT_TEST_SCALE
	if [ $driver = yes ]; then
		# $SSLSIFT becomes a script that runs the real one under
		# memcheck, one report file per process.
		real=${SSLSIFT:?}
		cat >"$reports/sslsift" <<WRAP
#!/bin/sh
log="$reports/vg.\$\$"
$VG --log-file="\$log" "$real" "\$@"
status=\$?
[ -s "\$log" ] && echo "(sslsift \$*)" >>"\$log"
exit \$status
WRAP
		chmod 755 "$reports/sslsift"
		SSLSIFT=$reports/sslsift
		export SSLSIFT
		"$@"
	else
		$VG --log-file="$reports/vg.%p" "$@"
	fi
	;;
sanitizer)
	: "${SSLSIFT_TEST_SCALE:=5}"
	export SSLSIFT_TEST_SCALE
	ASAN_OPTIONS="log_path=$reports/asan:detect_leaks=1:strict_string_checks=1:detect_stack_use_after_return=1:check_initialization_order=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
	UBSAN_OPTIONS="log_path=$reports/ubsan:print_stacktrace=1:halt_on_error=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
	export ASAN_OPTIONS UBSAN_OPTIONS
	"$@"
	;;
*)
	echo "check-wrap.sh: unknown mode $mode" >&2
	exit 99
	;;
esac
status=$?

# Any report, from any process, fails the test.
found=0
for f in "$reports"/vg.* "$reports"/asan.* "$reports"/ubsan.*; do
	[ -s "$f" ] || continue
	found=1
	echo "==== $mode report: $f"
	cat "$f"
done
if [ $found = 1 ]; then
	echo "check-wrap.sh: $mode found errors in $*"
	[ $status -eq 0 ] && status=1
fi
exit $status
