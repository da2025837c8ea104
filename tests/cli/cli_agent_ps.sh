#!/bin/sh
# agent/cmharden-agent.ps1 parses with a real PowerShell parser
# (tree-sitter-powershell, installed by npm into the build tree on first use) and
# uses nothing PowerShell 2.0 lacks. The checker itself must catch mistakes: it is
# run on broken scripts too. No PowerShell runs here: this checks syntax only.
. "$top_srcdir/tests/lib.sh"
src="$top_srcdir/tests/ps-parser"
cache="$(dirname "$CMHARDEN")/tests/ps-parser"

skip() {
	echo "SKIP: $1"
	echo "SKIP: the PowerShell agent's syntax was NOT checked"
	exit 77
}
command -v node >/dev/null 2>&1 || skip "node is not installed (scripts/install-deps.sh installs nodejs)"
command -v npm >/dev/null 2>&1 || skip "npm is not installed (scripts/install-deps.sh installs npm)"

mkdir -p "$cache"
if [ "$(cd "$src" && pwd -P)" != "$(cd "$cache" && pwd -P)" ]; then
	cp "$src/package.json" "$src/package-lock.json" "$src/check.mjs" "$cache/"
fi
if ! cmp -s "$cache/package-lock.json" "$cache/.installed" 2>/dev/null; then
	echo "installing tree-sitter-powershell into $cache (npm ci, once)"
	# The prebuilt binaries need a newer libstdc++ than Debian 12 has; then
	# node-gyp-build compiles them, against the installed Node headers if present
	# (this test's private HOME has no npm configuration of its own).
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

if check "$top_srcdir/agent/cmharden-agent.ps1" >"$T/out" 2>&1; then
	pass "agent/cmharden-agent.ps1 parses clean and stays within PowerShell 2.0"
else
	fail "agent/cmharden-agent.ps1 has problems:"
	sed 's/^/    | /' "$T/out" | head -30
fi

# The checker must be able to fail.
printf 'function Get-X($a {\n    return $a\n}\n' >"$T/unclosed.ps1"
printf '$h = @{ a = 1\nif ($h) { "x" }\n' >"$T/brace.ps1"
printf '$o = [ordered]@{ a = 1 }\nif (1 -in @(1)) { }\n$sb = [System.Text.StringBuilder]::new()\n$j = $o | ConvertTo-Json\nGet-Item x -ErrorAction Ignore\n' >"$T/ps3.ps1"
check "$T/unclosed.ps1" >"$T/out" 2>&1 && fail "an unclosed parameter list passed" ||
	contains "$T/out" "unclosed.ps1:1:.*syntax error" "an unclosed parameter list is a syntax error"
check "$T/brace.ps1" >"$T/out" 2>&1 && fail "an unclosed hashtable passed" ||
	contains "$T/out" "brace.ps1:1:1: syntax error" "an unclosed hashtable is a syntax error"
check "$T/ps3.ps1" >"$T/out" 2>&1 && fail "PowerShell 3+ constructs passed" || pass "PowerShell 3+ constructs fail"
for what in "1:7: type \[ordered\]" "2:7: operator -in" "3:34: ::new()" "4:11: command ConvertTo-Json" "5:12: -ErrorAction Ignore"; do
	contains "$T/out" "ps3.ps1:$what" "found: $what"
done
finish
