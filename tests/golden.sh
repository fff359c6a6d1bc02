#!/bin/sh
# golden.sh - end-to-end golden tests: each case of tests/golden/cases is
# run in every output format and compared byte for byte with the expected
# output and exit status; JSON output is also checked to parse.
# `golden.sh --update` rewrites the expected files instead.
. "${top_srcdir:?}/tests/lib.sh"
update=0
[ "${1:-}" = --update ] && update=1
dir=tests/golden
while read -r name args; do
	case "$name" in ''|'#'*) continue ;; esac
	for fmt in text markdown json; do
		# shellcheck disable=SC2086
		"$SSLSIFT" --patterns patterns --node golden -f "$fmt" $args >"$T/$name.$fmt" 2>"$T/$name.err"
		echo $? >"$T/$name.status"
		if [ $update = 1 ]; then
			cp "$T/$name.$fmt" "$dir/$name.$fmt"
			cp "$T/$name.status" "$dir/$name.status"
			continue
		fi
		if ! cmp -s "$T/$name.$fmt" "$dir/$name.$fmt"; then
			bad "$name ($fmt): output differs:"
			diff -u "$dir/$name.$fmt" "$T/$name.$fmt" | head -40
		elif ! cmp -s "$T/$name.status" "$dir/$name.status"; then
			bad "$name ($fmt): exit $(cat "$T/$name.status"), expected $(cat "$dir/$name.status")"
		elif [ $fmt = json ] && ! "$PY" -m json.tool "$T/$name.json" >/dev/null; then
			bad "$name (json): not valid JSON"
		else
			ok "$name ($fmt)"
		fi
	done
done <"$dir/cases"
[ $update = 1 ] && { echo "updated $dir"; exit 0; }
summary golden
