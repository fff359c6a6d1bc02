#!/bin/sh
# golden.sh - end-to-end golden tests: each case of tests/golden/cases is
# run in every output format and compared byte for byte with the expected
# output and exit status; JSON output is also checked to parse.
# `golden.sh --update` rewrites the expected files instead.
set -u
: "${top_srcdir:?}" "${SSLSIFT:?}"
PY=${PYTHON3:-python3}
update=0
[ "${1:-}" = --update ] && update=1
cd "$top_srcdir" || exit 99
dir=tests/golden
out=$(mktemp -d) || exit 99
trap 'rm -rf "$out"' EXIT
fail=0 n=0
while read -r name args; do
	case "$name" in ''|'#'*) continue ;; esac
	for fmt in text markdown json; do
		n=$((n + 1))
		# shellcheck disable=SC2086
		"$SSLSIFT" --patterns patterns --node golden -f "$fmt" $args >"$out/$name.$fmt" 2>"$out/$name.err"
		echo $? >"$out/$name.status"
		if [ $update = 1 ]; then
			cp "$out/$name.$fmt" "$dir/$name.$fmt"
			cp "$out/$name.status" "$dir/$name.status"
			continue
		fi
		if ! cmp -s "$out/$name.$fmt" "$dir/$name.$fmt"; then
			echo "FAIL: $name ($fmt): output differs:"
			diff -u "$dir/$name.$fmt" "$out/$name.$fmt" | head -40
			fail=$((fail + 1))
		elif ! cmp -s "$out/$name.status" "$dir/$name.status"; then
			echo "FAIL: $name ($fmt): exit $(cat "$out/$name.status"), expected $(cat "$dir/$name.status")"
			fail=$((fail + 1))
		elif [ $fmt = json ] && ! "$PY" -m json.tool "$out/$name.json" >/dev/null; then
			echo "FAIL: $name (json): not valid JSON"
			fail=$((fail + 1))
		else
			echo "ok: $name ($fmt)"
		fi
	done
done <"$dir/cases"
[ $update = 1 ] && { echo "updated $dir"; exit 0; }
echo "golden: $((n - fail)) passed, $fail failed"
[ $fail -eq 0 ]
