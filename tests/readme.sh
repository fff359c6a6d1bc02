#!/bin/sh
# readme.sh - the README shows a real run: the block after the line
# "    $ sslsift samples/node1" is what sslsift prints for it now, and the
# README's pattern-file example works as written.
# `readme.sh --update` pastes a fresh run into the README instead.
. "${top_srcdir:?}/tests/lib.sh"
CMD='    $ sslsift samples/node1'

"$SSLSIFT" --patterns patterns --color=never samples/node1 >"$T/run"
st=$?
# The run, as the README indents it: four spaces, blank lines bare.
sed 's/^/    /; s/^ *$//' "$T/run" | sed -e :a -e '/^\n*$/{$d;N;ba' -e '}' >"$T/want"
# The README's block: from the command to the first line that is not
# indented (blank lines inside belong to it), trailing blanks dropped.
awk -v cmd="$CMD" '
	on && /^[^ ]/ { exit }
	on { print }
	$0 == cmd { on = 1 }' README | sed -e :a -e '/^\n*$/{$d;N;ba' -e '}' >"$T/have"

if [ "${1:-}" = --update ]; then
	awk -v cmd="$CMD" -v run="$T/want" '
		skip && /^[^ ]/ { skip = 0; print "" }
		skip { next }
		{ print }
		$0 == cmd { while ((getline l < run) > 0) print l; skip = 1 }' \
		README >"$T/README" && cp "$T/README" README
	echo "updated README"
	exit 0
fi

[ $st -eq 1 ] || bad "sslsift samples/node1 exited $st, expected 1"
if ! grep -qxF "$CMD" README; then
	bad "README lacks the line '$CMD'"
elif ! cmp -s "$T/want" "$T/have"; then
	bad "the README's run of sslsift samples/node1 is stale (make readme-update, and review the diff):"
	diff -u "$T/have" "$T/want" | head -30
else
	ok "README shows the real output of sslsift samples/node1"
fi

# The pattern-file example: a copy of the patterns plus the README's file.
mkdir "$T/my-patterns" && cp patterns/*.pat "$T/my-patterns/"
awk '/^    cat > my-patterns\/zz-local.pat/ { on = 1; next }
	on && /^    EOF$/ { exit }
	on { sub(/^    /, ""); print }' README >"$T/my-patterns/zz-local.pat"
printf '%s\n' \
	'2026-11-22 09:22:06 (388) worker.3 ABC txid=1 SEVERE MyHttpClient: TLS peer could not be verified (api.partner.test:8443)' \
	>"$T/app.log"
"$SSLSIFT" --patterns "$T/my-patterns" -f json "$T/app.log" >"$T/out.json" 2>"$T/err"
if grep -q '"PEER_NOT_AUTHENTICATED"' "$T/out.json" &&
	grep -q '"peer": "api.partner.test:8443"' "$T/out.json"; then
	ok "the README's pattern file works"
else
	bad "the README's pattern file: $(cat "$T/err")"
	head -c 600 "$T/out.json"
fi
[ "$fail" -eq 0 ]
