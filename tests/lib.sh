# shellcheck shell=sh
# lib.sh - what the shell drivers of `make check` (tests/*.sh) share,
# sourced first by each of them:
#
#   . "${top_srcdir:?}/tests/lib.sh"
#
# It checks the environment Makefile.am's AM_TESTS_ENVIRONMENT gives them
# (a driver that needs more, such as top_builddir, says so itself), moves
# to the source tree, since samples/, patterns/ and tests/ are named
# relative to it, and makes a scratch directory $T that goes when the
# driver ends.  Results are lines "ok: ..." and "FAIL: ...", counted in
# $pass and $fail; `summary NAME` prints the count and is the driver's
# exit status.  check-wrap.sh is not a driver: it runs them.
set -u
: "${top_srcdir:?}" "${SSLSIFT:?}"
PY=${PYTHON3:-python3}
# tests/contract.py: FILE EXPECT... checks a JSON report (see its top).
# shellcheck disable=SC2034  # used by the drivers
CONTRACT="$PY $top_srcdir/tests/contract.py"
cd "$top_srcdir" || exit 99
T=$(mktemp -d) || exit 99
# What a driver copies out of the read-only tree of `make distcheck`
# keeps its modes: without u+w, rm could not empty those directories.
trap 'chmod -R u+w "$T" 2>/dev/null; rm -rf "$T"' EXIT

pass=0 fail=0
ok() { pass=$((pass + 1)); echo "ok: $1"; }
bad() { fail=$((fail + 1)); echo "FAIL: $1"; }
# summary NAME: the count line; fails the driver if anything failed.
summary() { echo "$1: $pass passed, $fail failed"; [ "$fail" -eq 0 ]; }

# sslsift with the source tree's pattern files.
S() { "$SSLSIFT" --patterns patterns "$@"; }
