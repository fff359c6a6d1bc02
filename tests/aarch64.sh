#!/bin/sh
# aarch64.sh - the AArch64 build, run here under qemu-user: the NEON
# prefilter and the scalar paths an ARM server takes, checked by the
# prefilter's unit tests and by reports byte-identical to this machine's.
# Not part of check-all (it installs a cross compiler and arm64 libraries
# when it may); run it with `make check-aarch64` after changing
# src/litscan*.c, src/linecount.c or anything else with a CPU-specific path.
#
#   tests/aarch64.sh TOP_SRCDIR NATIVE_SSLSIFT LIBRARY_SOURCES...
# Exit: 0 passed, 1 failed, 77 skipped (no cross tools and no way to
# install them).
set -u
top=$1 native=$2
shift 2
say() { echo "aarch64: $*"; }

CC=aarch64-linux-gnu-gcc
need_install() {
	command -v $CC >/dev/null && command -v qemu-aarch64 >/dev/null &&
		[ -e /usr/lib/aarch64-linux-gnu/libpcre2-8.so ] &&
		[ -e /usr/lib/aarch64-linux-gnu/libcmocka.so ] &&
		[ -e /usr/lib/aarch64-linux-gnu/libjansson.so ] &&
		[ -e /usr/lib/aarch64-linux-gnu/libz.so ] && return 1
	return 0
}
if need_install; then
	if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
		say "needs $CC, qemu-user and arm64 libraries (root and apt-get to install them): skipped"
		exit 77
	fi
	say "installing the cross compiler, qemu-user and arm64 libraries"
	{ dpkg --add-architecture arm64 && apt-get update -qq &&
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user \
		libcmocka-dev:arm64 libpcre2-dev:arm64 libjansson-dev:arm64 \
		zlib1g-dev:arm64; } >/dev/null 2>&1 ||
		{ say "could not install them"; exit 1; }
fi

T=$(mktemp -d "${TMPDIR:-/tmp}/sslsift-aarch64.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT
srcs=
for f in "$@"; do
	case $f in *.c) srcs="$srcs $top/$f" ;; esac
done
# config.h is this machine's: the library reads only feature macros from
# it, and the arm64 packages give the same features.
flags="-O2 -std=c11 -D_GNU_SOURCE -Wall -Wextra -Wno-unused-parameter -Werror=implicit-function-declaration -I. -I$top/src"
# shellcheck disable=SC2086
$CC $flags -DPKGDATADIR='"/nonexistent"' -DTOP_SRCDIR="\"$top\"" $srcs \
	"$top/tests/unit/test_litscan.c" -o "$T/test_litscan" \
	-lcmocka -lpcre2-8 -ljansson -lz -lm -lpthread || exit 1
# shellcheck disable=SC2086
$CC $flags -DPKGDATADIR='"/nonexistent"' $srcs "$top/src/main.c" \
	-o "$T/sslsift" -lpcre2-8 -ljansson -lz -lm -lpthread || exit 1
run() { timeout 300 qemu-aarch64 -L / "$@"; }

fail=0
if run "$T/test_litscan" >"$T/unit.log" 2>&1; then
	say "ok: test_litscan ($(grep -c '^\[       OK' "$T/unit.log") tests, NEON and scalar scanners)"
else
	say "FAIL: test_litscan"; tail -20 "$T/unit.log"; fail=1
fi
# a mixed log over 1 MiB (the prefilters are tuned on it), then the samples
for i in 1 2 3; do
	cat "$top"/samples/node1/localhost_log.2026-11-22.txt "$top"/samples/jdk17/*.log
done >"$T/mixed.log"
for input in "$T/mixed.log" "$top/samples"; do
	for simd in "" scalar; do
		SSLSIFT_NOW=2026-11-22T12:00:00 SSLSIFT_SIMD=$simd run "$T/sslsift" \
			--patterns "$top/patterns" --node n -f json "$input" \
			>"$T/arm.json" 2>"$T/arm.err"
		st=$?
		SSLSIFT_NOW=2026-11-22T12:00:00 "$native" --patterns "$top/patterns" \
			--node n -f json "$input" >"$T/native.json" 2>/dev/null
		st0=$?
		name="$(basename "$input")${simd:+ (SSLSIFT_SIMD=$simd)}"
		if [ "$st" -eq "$st0" ] && cmp -s "$T/arm.json" "$T/native.json"; then
			say "ok: $name: the same report as this machine's"
		else
			say "FAIL: $name: exit $st (here $st0), report differs"
			diff "$T/native.json" "$T/arm.json" | head -5; cat "$T/arm.err"
			fail=1
		fi
	done
done
exit $fail
