#!/bin/sh
# build.sh - builds the libFuzzer harnesses into OUTDIR: clang with
# -fsanitize=fuzzer,address,undefined, linked against a copy of the
# library sources compiled there with the same sanitizers (the normal
# build is not touched).  Objects are rebuilt only when their source, or
# any header, is newer.  `make fuzz-build` runs this.
#
# usage: build.sh SRCDIR BUILDDIR OUTDIR LIBSOURCE.c...
# environment: FUZZ_CC (clang), FUZZ_DEP_CFLAGS, FUZZ_DEP_LIBS (pkg-config
# flags of pcre2, jansson and zlib, from configure)
set -eu
srcdir=$1 builddir=$2 out=$3
shift 3
CC=${FUZZ_CC:-clang}
if ! command -v "$CC" >/dev/null 2>&1; then
	echo "fuzz/build.sh: $CC not found (./setup installs clang and the libFuzzer runtime)" >&2
	exit 1
fi
SAN="-fsanitize=address,undefined -fno-sanitize-recover=undefined"
CFLAGS="-std=c11 -g -O1 -fno-omit-frame-pointer -Wall -Wextra -Wno-unused-parameter $SAN"
CPPFLAGS="-D_GNU_SOURCE -I$builddir -I$srcdir/src -DPKGDATADIR=\"$srcdir/patterns\""
# Tiny detail caps, thread table and peer lists, so that inputs of a few
# KiB reach the paths a million handshakes take (src/compact.h); and a
# small tuning sample, so that the prefilters are tuned on a few KiB (not
# most of each run's time) and the rules scan is built for such inputs
# (src/pipeline.c).
CPPFLAGS="$CPPFLAGS -DCOMPACT_FIRST=3 -DCOMPACT_PER_KEY=2 -DCOMPACT_MAX_KEPT=12 \
-DCOMPACT_BATCH=2 -DCOMPACT_MAX_TALLIES=4 -DCOMPACT_MAX_SYMPTOMS=24 \
-DMAX_THREADS=4 -DFINDING_MAX_PEERS=3 -DTUNE_SAMPLE=16384 -DRULES_MIN_SAMPLE=2048"
mkdir -p "$out/obj"
# Other flags than last time, or another build.sh: everything is rebuilt.
flags="$CC $CPPFLAGS $CFLAGS ${FUZZ_DEP_CFLAGS:-} $(cksum <"$0")"
if [ "$(cat "$out/obj/flags" 2>/dev/null)" != "$flags" ]; then
	rm -f "$out"/obj/*.o
	printf '%s\n' "$flags" >"$out/obj/flags"
fi

# Newest header: every object older than it is rebuilt.
newest_h=$(ls -t "$srcdir"/src/*.h "$srcdir"/fuzz/*.h "$builddir/config.h" | head -n 1)
compile() { # SRC OBJ EXTRA_FLAGS...
	src=$1 obj=$2
	shift 2
	if [ -f "$obj" ] && [ "$obj" -nt "$src" ] && [ "$obj" -nt "$newest_h" ]; then
		return 0
	fi
	echo "  CC(fuzz) $obj"
	# shellcheck disable=SC2086
	$CC $CPPFLAGS $CFLAGS ${FUZZ_DEP_CFLAGS:-} "$@" -c "$src" -o "$obj"
}

# The code that tunes the prefilters (which literals, which buckets: a
# greedy search over a sample) is built without the fuzzer's coverage
# hooks, still with the sanitizers: with a hook on every comparison it
# took 85% of each run, and which of its branches ran says nothing about
# the input.  The scanners themselves (litscan_scan.c) keep the hooks.
objs=""
for src in "$@"; do
	case "$src" in *.c) ;; *) continue ;; esac
	obj="$out/obj/$(basename "$src" .c).o"
	case "$(basename "$src")" in
	coldscan.c | litscan.c | textstat.c) cov= ;;
	*) cov=-fsanitize=fuzzer-no-link ;;
	esac
	# shellcheck disable=SC2086
	compile "$srcdir/$src" "$obj" $cov
	objs="$objs $obj"
done
for h in fuzz_pipeline fuzz_patterns; do
	compile "$srcdir/fuzz/$h.c" "$out/obj/$h.o" -fsanitize=fuzzer \
		-DFUZZ_PATTERNS_DIR="\"$srcdir/patterns\""
	if [ ! -x "$out/$h" ] || [ -n "$(find "$out/obj" -name '*.o' -newer "$out/$h")" ]; then
		echo "  CCLD(fuzz) $out/$h"
		# shellcheck disable=SC2086
		$CC $CFLAGS -fsanitize=fuzzer "$out/obj/$h.o" $objs ${FUZZ_DEP_LIBS:-} -o "$out/$h"
	fi
done
