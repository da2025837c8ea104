#!/bin/sh
# Agents that stream without end, or say hostile things: each is stopped with a
# clear message, in bounded time and bounded memory (ulimit -v unless the
# binary is built with ASan); what a hostile agent says is shown inert; and
# values and commands reach the agent as data, never as code.
. "$top_srcdir/tests/lib.sh"
tool="$(dirname "$CMHARDEN")/tests/hostile/hostile_tool"
asan=no
ldd "$CMHARDEN" 2>/dev/null | grep -q asan && asan=yes

# bounded KB SECONDS WANT-RC DESC -- CMD...
bounded() {
	kb=$1 secs=$2 want=$3 desc=$4
	shift 5
	start=$(date +%s)
	(
		[ "$asan" = yes ] || ulimit -v "$kb"
		exec timeout "$secs" "$@"
	) >"$T/out" 2>"$T/err"
	rc=$?
	if [ "$rc" -eq "$want" ]; then pass "$desc ($(($(date +%s) - start)) s)"; else
		fail "$desc (exit $rc, want $want)"
		head -c 1500 "$T/err" | sed 's/^/    | /'
	fi
}

cat >"$T/prelude" <<'SH'
#!/bin/sh
say_hello() {
  read -r l || exit 0
  set -- $l; id=$2
  printf 'hello %s 1 fake\ncap %s query batch get\nsite %s code s:FAK\nsite %s name s:Fake\nsite %s server s:SRV\nsite %s version s:2007%%20SP2\nsite %s mode s:mixed\nend %s\n' $id $id $id $id $id $id $id $id
}
next_id() { read -r l || exit 0; set -- $l; id=$2; }
SH
fake() { # NAME BODY
	{ cat "$T/prelude"; printf '%s\n' "$2"; } >"$T/$1"
	chmod +x "$T/$1"
}
fake endless-line.sh 'say_hello; next_id; exec tr "\0" y </dev/zero'
fake endless-progress.sh 'say_hello; next_id; exec yes "x-progress $id"'
fake endless-stderr.sh 'say_hello; next_id; yes "noise from the agent" >&2'
fake endless-objects.sh 'say_hello; next_id; printf "class %s SMS_Site 3\n" $id; exec yes "obj $id K SiteCode s:X"'
fake many-objects.sh 'say_hello; next_id; printf "class %s SMS_Site 4000000000\n" $id; exec sleep 60'
big=$(head -c 60000 /dev/zero | tr '\0' 'A')
fake huge-answer.sh "say_hello; next_id; printf 'class %s SMS_Site 500000\n' \$id; exec yes \"obj \$id K SiteCode s:$big\""
fake hostile-stderr.sh 'printf "\033]0;pwned\007\033[2J\342\200\256 \033]52;c;cm0gLXJmIH4K\007" >&2; exit 3'

bounded 262144 60 2 "an endless line is cut at 1 MiB, in 256 MiB" -- \
	env CMHARDEN_AGENT_TIMEOUT=5 "$CMHARDEN" --target "agent:$T/endless-line.sh" check
contains "$T/out" "longer than 1048576 bytes" "the report says the line was too long"
bounded 262144 60 2 "endless progress lines are stopped by the total time, in 256 MiB" -- \
	env CMHARDEN_AGENT_TIMEOUT=0.3 "$CMHARDEN" --target "agent:$T/endless-progress.sh" check
contains "$T/out" "took more than 3 s to answer" "the report says it took too long"
bounded 262144 60 2 "endless noise on stderr is stopped by the total time, in 256 MiB" -- \
	env CMHARDEN_AGENT_TIMEOUT=0.3 "$CMHARDEN" --target "agent:$T/endless-stderr.sh" check
contains "$T/out" "took more than 3 s to answer" "the report says it took too long"
"$tool" inert "$T/out" && "$tool" inert "$T/err" && pass "and what it said is shown inert" || fail "noise not inert"
bounded 262144 60 2 "objects beyond the announced count break the session, in 256 MiB" -- \
	env CMHARDEN_AGENT_TIMEOUT=5 "$CMHARDEN" --target "agent:$T/endless-objects.sh" check
contains "$T/out" "an 'obj' line outside a class" "the report says where the answer went wrong"
bounded 262144 60 2 "a class announcing 4 billion objects is refused before reading them" -- \
	env CMHARDEN_AGENT_TIMEOUT=5 "$CMHARDEN" --target "agent:$T/many-objects.sh" check
contains "$T/out" "exceeds 500000 objects per response" "the report gives the limit"
bounded 2097152 120 2 "an answer past 256 MiB is refused, in 2 GiB" -- \
	env CMHARDEN_AGENT_TIMEOUT=10 "$CMHARDEN" --target "agent:$T/huge-answer.sh" check --format json
contains "$T/out" "the answer is larger than 256 MiB" "the report gives the limit"
# One obj line of 1 MiB holding 90000 properties: duplicate names are found
# by sorting (checking each name against the object took 48 s).
awk 'BEGIN { for (i = 0; i < 90000; i++) printf "%sP%d i:1", (i ? " " : ""), i }' >"$T/wide.line"
fake wide.sh 'say_hello; next_id; printf "class %s SMS_Site 1\nobj %s K " $id $id; cat "'"$T"'/wide.line"; printf "\nend %s\n" $id; next_id; printf "end %s\n" $id'
bounded 262144 20 0 "an object of 90000 properties is read in seconds" -- \
	env CMHARDEN_AGENT_TIMEOUT=10 "$CMHARDEN" --target "agent:$T/wide.sh" lab show SMS_Site
contains "$T/out" "P89999 " "and every property is there"
bounded 262144 60 2 "an agent that dies saying escapes" -- "$CMHARDEN" --target "agent:$T/hostile-stderr.sh" check
contains "$T/err" 'last words on stderr' "its last words are quoted"
"$tool" inert "$T/err" && pass "and shown inert" || fail "the agent's last words reach the terminal raw"
contains "$T/err" '\\x1b\]52;c;' "and readable"

# Hostile site data through the wire: the lab agent serving the hostile lab.
cp "$top_srcdir/tests/hostile/site-text.yaml" "$T/site-text.yaml"
agent="agent:$CMHARDEN agent --lab $T/site-text.yaml"
for fmt in text json junit csv; do
	"$CMHARDEN" --target "$agent" check --format $fmt -o "$T/wire.$fmt" 2>"$T/wire.$fmt.err"
	[ -s "$T/wire.$fmt" ] && pass "through an agent: check --format $fmt" || fail "through an agent: $fmt"
done
"$tool" inert "$T/wire.text" && pass "through an agent: text is inert" || fail "through an agent: text"
"$tool" json "$T/wire.json" && pass "through an agent: JSON is valid" || fail "through an agent: JSON"
"$tool" csv "$T/wire.csv" && pass "through an agent: CSV is safe" || fail "through an agent: CSV"
xmllint --noout "$T/wire.junit" && pass "through an agent: JUnit is well-formed" || fail "through an agent: JUnit"
contains "$T/wire.json" '"ADV\\u001b\[2J\\u001b\[H"' "the bytes arrive exactly"
expect_rc 0 "a snapshot of the hostile lab through an agent" -- "$CMHARDEN" --target "$agent" snapshot -o "$T/snap.yaml"
"$CMHARDEN" --target "snapshot:$T/snap.yaml" check --format json -o "$T/snap.json" 2>/dev/null
"$CMHARDEN" --target "lab:$T/site-text.yaml" check --format json -o "$T/lab.json" 2>/dev/null
sed 's/"target":"[^"]*"//' "$T/snap.json" >"$T/a" && sed 's/"target":"[^"]*"//' "$T/lab.json" >"$T/b"
cmp -s "$T/a" "$T/b" && pass "the snapshot reads back exactly as the lab (hostile bytes included)" ||
	fail "the snapshot differs from the lab"

# Parameters are data. A command for agent: is split without a shell: what a
# shell would run stays text.
rm -f "$T/pwned"*
expect_rc 2 "agent: runs no shell" -- "$CMHARDEN" --target "agent:/bin/echo \$(touch $T/pwned1) \`touch $T/pwned2\` ; touch $T/pwned3 | touch $T/pwned4 && touch $T/pwned5" check
ls "$T"/pwned* >/dev/null 2>&1 && fail "a shell ran: $(ls "$T"/pwned*)" || pass "nothing in the command was executed"
# A value travels as one percent-encoded field and is stored as it was sent.
nasty='$(touch '"$T"'/pwned6) `touch '"$T"'/pwned7`; touch '"$T"'/pwned8 & "q" '"'"'q'"'"' | & { $x } @(1) -EncodedCommand abc
next line'
enc=$(printf 's:%s' "$nasty" | od -An -v -tx1 | tr -d ' \n' | sed 's/../%&/g')
printf 'hello 1 1 1\nset 2 SMS_Advertisement CON20001 AdvertisementName %s\nget 3 SMS_Advertisement CON20001 AdvertisementName\nbye 4\n' "$enc" |
	"$CMHARDEN" agent --lab default >"$T/answers" 2>"$T/err"
# The same bytes as the protocol's minimal encoding (doc/agent-protocol.md):
# 0x21-0x7E but % stand for themselves, every other byte is %XX.
min=$(printf 's:%s' "$nasty" | od -An -v -tu1 | awk '{ for (i = 1; i <= NF; i++)
	if ($i >= 33 && $i <= 126 && $i != 37) printf "%c", $i; else printf "%%%02X", $i }')
grep -qxF "value 3 $min" "$T/answers" &&
	pass "a value with quotes, ;, \`, \$(...), & and a newline comes back as it was sent" ||
	fail "the value came back changed: $(grep '^value 3' "$T/answers")"
ls "$T"/pwned* >/dev/null 2>&1 && fail "a value was executed: $(ls "$T"/pwned*)" || pass "no value was executed"
# The PowerShell agent cannot be run here (no PowerShell is installed), so
# what it does with a value from the wire is checked on its text: nothing in
# it turns text into code except the one `run` request for fix scripts
# (doc/agent-protocol.md), which makes a script block of the script's own
# text with [ScriptBlock]::Create($Req.Text) and calls it with splatted,
# typed parameters (& $block @bound); its other call operator runs the fixed
# table of class readers. Exactly those lines are allowed, once each;
# tests/cli/cli_agent_ps_run.sh checks that nothing is built from a parameter.
ps="$top_srcdir/agent/cmharden-agent.ps1"
grep -n -i -E 'Invoke-Expression|(^|[^A-Za-z-])iex([^A-Za-z-]|$)|\[scriptblock\]::Create|NewScriptBlock|InvokeScript|\.ExpandString\(|Start-Process|Invoke-Command|cmd(\.exe)? /c|EncodedCommand|Add-Type|Invoke-Item|Diagnostics\.Process' "$ps" |
	grep -v -E '^[0-9]+:#' >"$T/code"
allowed='^[0-9]+: *\$block = \[ScriptBlock\]::Create\(\$Req\.Text\)$'
if [ "$(grep -c -v -E "$allowed" "$T/code")" -ne 0 ]; then
	fail "the PowerShell agent can run text as code:"
	grep -v -E "$allowed" "$T/code" | sed 's/^/    | /'
elif [ "$(grep -c -E "$allowed" "$T/code")" -gt 1 ]; then
	fail "the script block of a fix script is made more than once"
else
	pass "the only text run as code is the fix script's own text (run)"
fi
grep -n -E '(^|[^A-Za-z0-9_])& *\$|(^|[ (;])\. *\$' "$ps" | grep -v '& \$script:WindowsReaders\[\$canon\] \$out$' |
	grep -v -E '^[0-9]+: *\$out = @\(& \$block @bound\)$' >"$T/calls"
[ -s "$T/calls" ] && { fail "the PowerShell agent calls something it computed:"; sed 's/^/    | /' "$T/calls"; } ||
	pass "its call operators run the fixed table of class readers and the fix script block"
finish
