#!/bin/sh
# The fix scripts (fixes/scripts/*/*.ps1) parse with a real PowerShell parser
# and use nothing PowerShell 2.0 lacks, with the checker of the agent's tests
# (tests/ps-parser/check.mjs, tree-sitter-powershell installed by npm into the
# build tree on first use, in a directory of this test's own so it never races
# the agent's test). No PowerShell runs here: this checks syntax only.
. "$top_srcdir/tests/lib.sh"
src="$top_srcdir/tests/ps-parser"
cache="$(dirname "$CMHARDEN")/tests/ps-parser-scripts"

skip() {
	echo "SKIP: $1"
	echo "SKIP: the syntax of the fix scripts was NOT checked"
	exit 77
}
[ -f "$src/check.mjs" ] || skip "tests/ps-parser/check.mjs (the agent's PowerShell checker) is not in this tree"
command -v node >/dev/null 2>&1 || skip "node is not installed"
command -v npm >/dev/null 2>&1 || skip "npm is not installed"
mkdir -p "$cache"
cp "$src/package.json" "$src/package-lock.json" "$src/check.mjs" "$cache/"
if ! cmp -s "$cache/package-lock.json" "$cache/.installed" 2>/dev/null; then
	echo "installing tree-sitter-powershell into $cache (npm ci, once)"
	nodedir=""
	[ -f /usr/include/node/common.gypi ] && nodedir=/usr
	if ! (cd "$cache" && npm_config_cache="$cache/.npm-cache" npm_config_nodedir="$nodedir" \
		npm_config_update_notifier=false timeout 900 \
		npm ci --no-audit --no-fund --loglevel=error) >"$T/npm.log" 2>&1; then
		sed 's/^/    | /' "$T/npm.log" | tail -15
		skip "npm could not install tree-sitter-powershell (no network or registry?)"
	fi
	cp "$cache/package-lock.json" "$cache/.installed"
fi
check() { node --no-deprecation "$cache/check.mjs" "$@"; }

n=0
for f in "$top_srcdir"/fixes/scripts/*/*.ps1; do
	n=$((n + 1))
	if check "$f" >"$T/out" 2>&1; then
		pass "${f#"$top_srcdir"/} parses clean and stays within PowerShell 2.0"
	else
		fail "${f#"$top_srcdir"/} has problems:"
		sed 's/^/    | /' "$T/out" | head -20
	fi
done
[ "$n" -ge 6 ] && pass "$n fix scripts checked" || fail "only $n fix scripts found"
# The checker must be able to fail on a fix script too.
sed 's/^}$//' "$top_srcdir/fixes/scripts/localgroup-remove-members/apply.ps1" >"$T/broken.ps1"
check "$T/broken.ps1" >"$T/out" 2>&1 && fail "a script with unclosed blocks passed" ||
	contains "$T/out" "syntax error" "a script with unclosed blocks is a syntax error"
finish
