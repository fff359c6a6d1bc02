#!/bin/sh
# install.sh - `make install DESTDIR=...` puts the program, the pattern
# files and the manual page where they belong; the installed program finds
# its patterns where --help says, and works; `make uninstall` takes it all
# back.
. "${top_srcdir:?}/tests/lib.sh"
: "${top_builddir:?}"
MAKE=${MAKE:-make}

D=$T/stage
# A make of its own, not a job of the make running the tests.
unset MAKEFLAGS MFLAGS MAKELEVEL
if ! $MAKE -s -C "$top_builddir" install DESTDIR="$D" >"$T/log" 2>&1; then
	echo "FAIL: make install DESTDIR=$D:"; tail -20 "$T/log"; exit 1
fi
ok "make install DESTDIR=..."

bin=$(find "$D" -type f -name sslsift -perm -u+x | head -1)
[ -n "$bin" ] && ok "program installed: ${bin#$D}" || bad "no program under $D"
man=$(find "$D" -type f -path '*/man1/sslsift.1*' | head -1)
[ -n "$man" ] && ok "manual page installed: ${man#$D}" || bad "no man1/sslsift.1 under $D"
# The data directory the program was built to look in (its --help says).
datadir=$("$SSLSIFT" --help | sed -n 's/^Patterns: .*, else \(.*\)\.$/\1/p')
for p in "$top_srcdir"/patterns/*.pat; do
	[ -f "$D$datadir/$(basename "$p")" ] || bad "pattern file $(basename "$p") not in $datadir"
done
[ -n "$datadir" ] && [ -f "$D$datadir/app.pat" ] && ok "pattern files installed to $datadir" ||
	bad "pattern files not where the program looks ($datadir)"
[ -n "$man" ] && grep -q "^\.I $datadir/\*\.pat$" "$man" && ok "the manual page names $datadir" ||
	bad "the manual page does not name $datadir"

if [ -n "$bin" ]; then
	"$bin" --version >"$T/v" && grep -q '^sslsift [0-9.]* (pcre2' "$T/v" &&
		ok "installed --version: $(cat "$T/v")" || bad "installed --version"
	"$bin" --patterns "$D$datadir" "$top_srcdir/samples/node1" >"$T/inst.txt"; st=$?
	"$SSLSIFT" --patterns "$top_srcdir/patterns" "$top_srcdir/samples/node1" >"$T/build.txt"
	[ $st -eq 1 ] && cmp -s "$T/inst.txt" "$T/build.txt" &&
		ok "installed program, installed patterns: the same report" ||
		bad "installed program: exit $st, or a different report"
fi
if [ -n "$man" ] && command -v man >/dev/null 2>&1; then
	MANWIDTH=80 man -l "$man" 2>/dev/null | grep -q "SSLSIFT(1)" &&
		ok "man -l reads the installed page" || bad "man -l on the installed page"
fi

$MAKE -s -C "$top_builddir" uninstall DESTDIR="$D" >"$T/log" 2>&1 || bad "make uninstall"
left=$(find "$D" -type f | head -5)
[ -z "$left" ] && ok "make uninstall leaves no file" || bad "left after uninstall: $left"

summary install
