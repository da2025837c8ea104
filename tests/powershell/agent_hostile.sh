#!/bin/sh
# Hostile site data and parameters through the real PowerShell agent (under
# pwsh, against the simulated site of tests/powershell/FakeSite.ps1), as
# tests/hostile/hostile_agent.sh does through `cmharden agent`: terminal escapes,
# bidi overrides, line breaks, formulas, markup, $(...), backticks, quotes, ';'
# and '%' in the site's keys, names and values (tests/powershell/hostile-site.yaml)
# reach the reports exactly as the lab has them and inert on screen; NUL,
# unpaired surrogates and megabyte strings, which only Windows can hold
# (tests/powershell/hostile-setup.ps1), neither break the session nor reach the
# screen raw; parameters of fix scripts and set values travel as data, round-trip
# byte for byte, and nothing in any of it is executed (files named pwned*).
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/powershell/find-pwsh.sh"
ps_require "hostile site data and parameters through the PowerShell agent (tests/powershell/agent_hostile.sh)"
command -v python3 >/dev/null 2>&1 || ps_skip "python3 is not installed" "the comparison of the agent's results with the lab's"
tool="$(dirname "$CMHARDEN")/tests/hostile/hostile_tool"
CMHARDEN_AGENT_TIMEOUT=600
export CMHARDEN_AGENT_TIMEOUT
on_lab="$top_srcdir/tests/powershell/agent-on-lab"
# Everything runs in $T: whatever a value could run would create $T/pwned*.
cd "$T" || exit 1
cp "$top_srcdir/tests/powershell/hostile-site.yaml" "$T/hostile.yaml"
lab="lab:$T/hostile.yaml"
agent="agent:$on_lab $T/hostile.yaml"
body() { sed '1,/^site:/d' "$1"; } # a snapshot without its dated header
nothing_ran() {
	if ls "$T"/pwned* >/dev/null 2>&1; then fail "$1: site text was executed: $(ls "$T"/pwned*)"; else
		pass "$1: nothing in it was executed"; fi
}
"$CMHARDEN" --target "$lab" snapshot -o "$T/start.yaml" 2>/dev/null || fail "no snapshot of the hostile lab"

# 1. Site text: the same results as the lab, byte for byte, and inert on screen.
"$CMHARDEN" --target "$lab" check --format json -o "$T/lab.json" 2>/dev/null
lrc=$?
"$CMHARDEN" --target "$agent" check --format json -o "$T/agent.json" 2>"$T/agent.err"
arc=$?
[ "$arc" -eq "$lrc" ] && pass "check through the agent exits as on the lab ($arc)" ||
	{ fail "check through the agent: exit $arc, $lrc on the lab"; tail -5 "$T/agent.err" | sed 's/^/    | /'; }
"$tool" json "$T/agent.json" && pass "the JSON report through the agent is valid" || fail "JSON report"
if python3 "$top_srcdir/tests/powershell/same-results.py" "$T/agent.json" "$T/lab.json" >"$T/diff" 2>&1; then
	pass "every verdict, evidence row and hostile value through the agent equals the lab's"
else
	fail "hostile values changed on their way through the agent:"
	head -20 "$T/diff" | sed 's/^/    | /'
fi
contains "$T/agent.json" 'clipboard \$(New-Item pwned-adv) & touch pwned-adv2 | calc\\n"' \
	"a value ending with a line feed arrives whole"
"$CMHARDEN" --target "$agent" check -o "$T/agent.text" 2>"$T/agent.text.err"
"$tool" inert "$T/agent.text" && pass "the text report through the agent is inert" || fail "text report"
"$tool" inert "$T/agent.text.err" && pass "its messages are inert" || fail "messages"
contains "$T/agent.text" 'HOS\\x1b\[2J\\x1b\[H;\$(New-Item pwned-key)' "a hostile key reads escaped"
"$CMHARDEN" --target "$agent" snapshot -o "$T/agent-snap.yaml" >"$T/out" 2>&1 || fail "snapshot through the agent"
body "$T/start.yaml" >"$T/a"
body "$T/agent-snap.yaml" >"$T/b"
cmp -s "$T/a" "$T/b" && pass "snapshot -o through the agent equals the lab's, hostile bytes included" ||
	{ fail "the snapshot through the agent differs:"; diff "$T/a" "$T/b" | head -10 | sed 's/^/    | /'; }
"$on_lab" "$T/hostile.yaml" -Dump "$T/dump.yaml" </dev/null >"$T/out" 2>"$T/err" || fail "-Dump of the hostile site"
"$CMHARDEN" --target "lab:$T/dump.yaml" check --format json -o "$T/dump.json" 2>/dev/null
python3 "$top_srcdir/tests/powershell/same-results.py" "$T/dump.json" "$T/lab.json" >"$T/diff" 2>&1 &&
	pass "the agent's -Dump reads back with the lab's hostile values" ||
	{ fail "-Dump changed hostile values:"; head -20 "$T/diff" | sed 's/^/    | /'; }
nothing_ran "site text"

# 2. Fix script parameters: members with quotes, $(...), backticks, '&', '%' and
# UTF-8 go to the script as data, bound by name, and come back on undo.
"$CMHARDEN" --target "$agent" fix console.no-nonadmin-rdp-siteserver.remove-members --yes >"$T/fix" 2>"$T/fix.err"
rc=$?
[ "$rc" -le 1 ] && pass "a script fix with hostile members through the agent (exit $rc)" ||
	{ fail "the fix failed (exit $rc)"; tail -8 "$T/fix.err" | sed 's/^/    | /'; }
"$CMHARDEN" --target "$lab" lab show LocalGroup >"$T/groups"
grep -A1 '^LocalGroup  CM01/Remote Desktop Users$' "$T/groups" | grep -q 'Members  *\[\]$' &&
	pass "every hostile member was matched and removed" || { fail "members left:"; sed 's/^/    | /' "$T/groups"; }
"$CMHARDEN" --target "$agent" undo --session --yes >"$T/undo" 2>"$T/undo.err" ||
	{ fail "undo through the agent"; tail -8 "$T/undo.err" | sed 's/^/    | /'; }
"$CMHARDEN" --target "$lab" snapshot -o "$T/undone.yaml" 2>/dev/null
body "$T/undone.yaml" >"$T/b"
cmp -s "$T/a" "$T/b" && pass "undo put every hostile member back byte for byte" ||
	{ fail "after undo the lab differs:"; diff "$T/a" "$T/b" | head -10 | sed 's/^/    | /'; }
nothing_ran "fix and undo"

# 3. The protocol by hand: a set value with every kind of quoting comes back as
# it was sent and is stored so; run parameters are checked by the agent itself
# (a client need not be cmharden) and capture runs with hostile parameters.
enc() { od -An -v -tu1 | awk '{ for (i = 1; i <= NF; i++)
	if ($i >= 33 && $i <= 126 && $i != 37) printf "%c", $i; else printf "%%%02X", $i }'; }
list() { # ITEM... -> l:LEN:ITEM...
	printf 'l:'
	for i in "$@"; do printf '%s:%s' "$(printf %s "$i" | wc -c | tr -d ' ')" "$i"; done
}
nasty='$(New-Item pwned-set) `New-Item pwned-set2`; New-Item pwned-set3 & "q" '"'"'q'"'"' | & { $x } @(1) %41 %%
next line
'
val=$(printf 's:%s' "$nasty" | enc)
cap=$(enc <"$top_srcdir/fixes/scripts/localgroup-remove-members/capture.ps1")
members=$(list 'CONTOSO\$(New-Item pwned-run)' 'CONTOSO\`New-Item pwned-run2`' "CONTOSO\\O'Brien x" | enc)
semi=$(list 'CONTOSO\x; New-Item pwned-run3' | enc)
lf=$(list 'CONTOSO\a
b' | enc)
{
	printf 'hello 1 1 1\n'
	printf 'set 2 SMS_Advertisement HOS20002 AdvertisementName %s\n' "$val"
	printf 'get 3 SMS_Advertisement HOS20002 AdvertisementName\n'
	printf 'run 4 localgroup-remove-members capture principal-list %s Server hostname s:CM01 Group name s:Remote%%20Desktop%%20Users Members principal-list %s\n' "$cap" "$members"
	printf 'run 5 localgroup-remove-members capture principal-list %s Server hostname s:CM01 Group name s:Remote%%20Desktop%%20Users Members principal-list %s\n' "$cap" "$semi"
	printf 'run 6 localgroup-remove-members capture principal-list %s Server hostname s:CM01 Group name s:Remote%%20Desktop%%20Users Members principal-list %s\n' "$cap" "$lf"
	printf 'run 7 localgroup-remove-members capture principal-list %s Server hostname s:CM01%%3B%%20New-Item%%20pwned-run4 Group name s:Remote%%20Desktop%%20Users Members principal-list l:\n' "$cap"
	printf 'bye 8\n'
} >"$T/requests"
"$on_lab" "$T/hostile.yaml" <"$T/requests" >"$T/answers" 2>"$T/answers.err"
grep -qxF "value 3 $val" "$T/answers" && pass "a set value with quotes, ;, \`, \$(...), & and line feeds comes back as sent" ||
	{ fail "the value came back changed"; grep '^value 3\|^error' "$T/answers" | cut -c1-300 | sed 's/^/    | /'; }
printf 'hello 1 1 1\nget 2 SMS_Advertisement HOS20002 AdvertisementName\nbye 3\n' |
	"$CMHARDEN" agent --lab "$T/hostile.yaml" >"$T/stored" 2>&1
grep -qxF "value 2 $val" "$T/stored" && pass "and the site stores it byte for byte" || fail "the stored value differs"
contains "$T/answers" '^value 4 l:' "capture runs with hostile but valid parameters"
contains "$T/answers" "^error 5 400 parameter%20Members%20(principal-list),%20item%201:" "a ';' in a principal is refused by the agent"
contains "$T/answers" "^error 6 400 .*U+000A" "a line feed in a principal is refused by the agent"
contains "$T/answers" "^error 7 400 parameter%20Server%20(hostname)" "a ';' in a host name is refused by the agent"
contains "$T/answers" '^end 8$' "the session goes on to the end"
nothing_ran "set values and run parameters"

# 4. What only Windows holds: NUL, an unpaired surrogate, megabyte strings.
"$CMHARDEN" --target "agent:$on_lab $T/hostile.yaml -Setup $top_srcdir/tests/powershell/hostile-setup.ps1" \
	check --format json -o "$T/win.json" 2>"$T/win.err"
rc=$?
[ "$rc" -eq 2 ] && pass "check on Windows-only text ends with class errors, exit 2" || fail "exit $rc, want 2"
"$tool" json "$T/win.json" && pass "its JSON report is valid" || fail "JSON report"
lacks "$T/win.json" "longer than 1048576 bytes" "no line of the agent's is over the limit: the session holds"
contains "$T/win.json" "object 'AAAAAAAA*\.\.\.' is larger than the line limit" "an object of a megabyte key is a 413 class error naming the key's start"
contains "$T/win.json" "object 'CM01/BITS' is larger than the line limit" "an object with a megabyte value is a 413 class error"
contains "$T/win.json" "$(printf '1\357\277\275hidden')" "a NUL in Windows text arrives as U+FFFD"
contains "$T/win.json" "nul$(printf '\357\277\275')x\"" "in a list item too (its length counts the U+FFFD)"
contains "$T/win.json" "$(printf 'lone \357\277\275 surrogate')" "an unpaired surrogate arrives as U+FFFD"
"$CMHARDEN" --target "agent:$on_lab $T/hostile.yaml -Setup $top_srcdir/tests/powershell/hostile-setup.ps1" \
	check -o "$T/win.text" 2>"$T/win.text.err"
"$tool" inert "$T/win.text" && pass "the text report of Windows-only text is inert" || fail "text report"
"$tool" inert "$T/win.text.err" && pass "and its messages" || fail "messages"
longest=$(awk '{ if (length($0) > m) m = length($0) } END { print m + 0 }' "$T/win.text")
[ "$longest" -lt 16384 ] && pass "its lines stay short ($longest bytes)" || fail "a text line of $longest bytes"
nothing_ran "Windows-only text"
finish
