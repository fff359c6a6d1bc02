#!/bin/sh
# man.sh - the manual page renders without a warning, and it has not
# drifted from the program: every option of the option table (as --help
# prints it) is in OPTIONS and OPTIONS names no other; every diagnosis
# code is in DIAGNOSIS CODES with its severity; every pattern event and
# named capture is in PATTERN FILES; every chain kind is named; every
# environment variable the program reads is in ENVIRONMENT.
. "${top_srcdir:?}/tests/lib.sh"
: "${top_builddir:?}"
MAN=$top_builddir/doc/sslsift.1

[ -s "$MAN" ] || { echo "FAIL: $MAN was not built"; exit 1; }

# The roff source of one section, with \- made plain.
section() {
	awk -v want="$1" '
		/^\.SH / { sub(/^\.SH +/, ""); gsub(/"/, ""); on = ($0 == want); next }
		on' "$MAN" | sed 's/\\-/-/g'
}

# --- it renders, quietly --------------------------------------------------
if command -v groff >/dev/null 2>&1; then
	LC_ALL=C.UTF-8 groff -man -Tutf8 -ww -z "$MAN" 2>"$T/warn"
	if [ $? -eq 0 ] && [ ! -s "$T/warn" ]; then ok "groff -man -ww: no warnings"
	else bad "groff warns: $(head -5 "$T/warn")"; fi
	LC_ALL=C.UTF-8 groff -man -Tutf8 -P-cbou "$MAN" 2>/dev/null | tr -s ' \n' '  ' >"$T/page"
	grep -q "sslsift - explain why a Java application" "$T/page" && ok "renders NAME" || bad "rendered page lacks NAME"
else
	echo "skip: groff is not installed"
fi
if command -v man >/dev/null 2>&1; then
	MANWIDTH=80 LC_ALL=C.UTF-8 man -l "$MAN" >"$T/man" 2>"$T/manerr"
	if grep -q "SSLSIFT(1)" "$T/man"; then ok "man -l renders it"; else bad "man -l: $(head -3 "$T/manerr")"; fi
fi
for s in NAME SYNOPSIS DESCRIPTION OPTIONS "INPUT FORMATS" "DIAGNOSIS CODES" \
	"PATTERN FILES" "EXIT STATUS" ENVIRONMENT FILES EXAMPLES; do
	grep -q "^\.SH \"*$s\"*\$" "$MAN" || bad "no section $s"
done
grep -q '%[A-Z]*%' "$MAN" && bad "unsubstituted %VAR% in $MAN"

# --- options: the table (through --help) and OPTIONS agree ----------------
"$SSLSIFT" --help | grep -o -- '--[a-z][a-z-]*' | sort -u >"$T/help"
section OPTIONS | grep -o -- '--[a-z][a-z-]*' | sort -u >"$T/manopts"
[ -s "$T/help" ] || bad "no options in --help"
missing=$(comm -23 "$T/help" "$T/manopts" | tr '\n' ' ')
extra=$(comm -13 "$T/help" "$T/manopts" | tr '\n' ' ')
[ -z "$missing" ] && ok "every option of --help is in OPTIONS ($(wc -l <"$T/help"))" || bad "OPTIONS lacks: $missing"
[ -z "$extra" ] && ok "OPTIONS names no option the program lacks" || bad "OPTIONS names unknown: $extra"
"$SSLSIFT" --help | grep -o -- ' -[a-zA-Z],' | tr -d ' ,' | sort -u >"$T/short"
for o in $(cat "$T/short"); do
	section OPTIONS | grep -q -- "^\.BR $o \", \"" || bad "OPTIONS lacks the short option $o"
done

# --- diagnosis codes, with their severity ----------------------------------
n=0
for row in $(sed -n 's/^[[:space:]]*X(\([A-Z_]*\), SEV_\([A-Z]*\)).*/\1:\2/p' "$top_srcdir/src/diagnosis.h"); do
	code=${row%%:*} sev=$(echo "${row#*:}" | tr 'A-Z' 'a-z')
	n=$((n + 1))
	section "DIAGNOSIS CODES" | grep -q "^\.BR $code \" ($sev)\"\$" || bad "DIAGNOSIS CODES lacks $code ($sev)"
done
[ $n -ge 17 ] && ok "all $n diagnosis codes, with severity" || bad "only $n codes found in diagnosis.h"
for c in $(sed -n 's/.*\[CHAIN_[A-Z_]*\] = "\([a-z_]*\)".*/\1/p' "$top_srcdir/src/diagnosis.c"); do
	section "DIAGNOSIS CODES" | grep -q "^\.B $c\$" || bad "chain kind $c not described"
done

# --- pattern events and named captures ---------------------------------------
n=0
for ev in $(sed -n 's/.*X(\([A-Z_0-9]*\)).*/\1/p' "$top_srcdir/src/events.h"); do
	case $ev in [A-Z]*) ;; *) continue ;; esac
	n=$((n + 1))
	section "PATTERN FILES" | grep -q "\<$ev\>" || bad "PATTERN FILES lacks event $ev"
done
[ $n -ge 40 ] && ok "all $n pattern events" || bad "only $n events found in events.h"
for cap in $(sed -n 's/^[[:space:]]*X(\([a-z]*\))[[:space:]\\]*$/\1/p' "$top_srcdir/src/events.h"); do
	section "PATTERN FILES" | grep -q "(?<$cap>" || bad "PATTERN FILES lacks capture (?<$cap>)"
done

# --- environment -------------------------------------------------------------
for v in $(grep -ho 'getenv("[A-Z_]*")' "$top_srcdir"/src/*.c | sed 's/getenv("\(.*\)")/\1/' | sort -u); do
	section ENVIRONMENT | grep -q "^\.B $v\$" && ok "ENVIRONMENT has $v" || bad "ENVIRONMENT lacks $v"
done

summary man
