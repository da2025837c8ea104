#!/bin/sh
# Static checks of the PowerShell agent's 'run' (agent/cmharden-agent.ps1): the
# script text and parameters it receives are never turned into code other than
# the one script block made from the text cmharden sent, run with the parameters
# bound by name (splatting). No PowerShell runs here: this reads the source.
# The scanner must be able to fail: it is run on mutated copies too.
. "$top_srcdir/tests/lib.sh"
AGENT="$top_srcdir/agent/cmharden-agent.ps1"

# Code only: comment blocks <# ... #> and comment lines are left out.
code() {
	awk '/^[[:space:]]*<#/ { c = 1 } !c && !/^[[:space:]]*#/ { print FNR ": " $0 } /#>/ { c = 0 }' "$1"
}
# The run section: from its table of types to the request handler.
run_section() {
	code "$1" | awk '/^[0-9]+: \$script:ParamTypes = / { s = 1 } /^[0-9]+: function Invoke-Request\(/ { s = 0 } s'
}
# Lines that evaluate text, start processes or load code, anywhere in the agent.
EVAL_RE='Invoke-Expression|(^|[^a-z-])iex([^a-z-]|$)|Add-Type|Start-Process|Invoke-Command|-EncodedCommand|-Command([^a-z]|$)|cmd(\.exe)? /c|powershell(\.exe)?[[:space:]]+-|\.InvokeScript|NewScriptBlock|\[scriptblock\]::Create|&[[:space:]]*\$|\.Invoke\('
# The only ones allowed: the fixed table of class readers, the script block made
# from the text cmharden sent, run by splatting, and the ADSI and COM invocations
# of the readers (which take no parameter text).
ALLOWED_RE='^[0-9]+:         & \$script:WindowsReaders\[\$canon\] \$out$|^[0-9]+:     \$block = \[ScriptBlock\]::Create\(\$Req\.Text\)$|^[0-9]+:     \$out = @\(& \$block @bound\)$|psbase\.Invoke\(|InvokeMember\('
scan() { # FILE -> the offending lines
	code "$1" | grep -i -E "$EVAL_RE" | grep -v -E "$ALLOWED_RE"
}

if scan "$AGENT" >"$T/found"; then
	fail "the agent evaluates text or starts a process outside the one allowed script block:"
	sed 's/^/    | /' "$T/found"
else
	pass "the agent has no Invoke-Expression, iex, Add-Type, process or script block but the allowed ones"
fi
run_section "$AGENT" >"$T/run"
[ "$(wc -l <"$T/run")" -gt 100 ] && pass "the run section is found ($(wc -l <"$T/run") lines of code)" ||
	fail "the run section was not found"
contains "$T/run" 'ScriptBlock\]::Create(\$Req\.Text)' "the script block is made from the received text"
contains "$T/run" '& \$block @bound' "and run with the parameters splatted by name"
[ "$(grep -c 'ScriptBlock\]::Create' "$T/run")" -eq 1 ] && pass "one script block only" || fail "more than one script block"
# The text is the decoded field, untouched: nothing is added to it.
contains "$T/run" '\$text = Decode-Field \$Fields\[5\] \$script:Utf8Strict$' "the text is the decoded field"
lacks "$T/run" '\$text[[:space:]]*+=\|\$text[[:space:]]*=[^=].*+\|Text = [^$]\|Text\.Replace\|\$Req\.Text[[:space:]]*=' \
	"nothing is added to or changed in the text"
# Every parameter value reaches the hashtable through the typed conversion.
contains "$T/run" '\$params\[\$pname\] = ConvertTo-ScriptArgument' "parameters are converted by type into the hashtable"
[ "$(grep -c '\$params\[' "$T/run")" -eq 1 ] && pass "and put there nowhere else" || fail "parameters are set elsewhere too"
for ty in '\[string\[\]\]' '\[long\]' '\[bool\]' '\[string\]'; do
	contains "$T/run" "return ,*$ty" "a parameter can be a $ty"
done
contains "$T/run" 'cnotcontains \$ptype' "unknown parameter types are refused"
grep -q "\$ReadOnly -and \$argv\[1\] -cne 'capture'" "$AGENT" && pass "the read-only check is in the request handler" ||
	fail "no read-only check for run"
grep -q "'get', 'set', 'run'" "$AGENT" && pass "the agent offers run" || fail "the agent does not offer run"

# The scanner can fail: each mutation must be found.
n=0
while IFS= read -r evil; do
	n=$((n + 1))
	awk -v evil="$evil" '{ print } /^function Invoke-FixScript/ { print "    " evil }' "$AGENT" >"$T/evil$n.ps1"
	if scan "$T/evil$n.ps1" >/dev/null; then pass "found: $evil"; else fail "missed: $evil"; fi
done <<'EOF'
Invoke-Expression $Req.Text
$out = iex ('& ' + $Req.Name)
Add-Type -TypeDefinition $Req.Text
$sb = [scriptblock]::Create('param($x) ' + $Req.Params['Group'])
& $sb @bound
Start-Process powershell.exe -ArgumentList $Req.Text
powershell.exe -Command $Req.Text
$ExecutionContext.InvokeCommand.InvokeScript($Req.Text)
$ExecutionContext.InvokeCommand.NewScriptBlock($Req.Text)
$block.Invoke($Req.Params['Members'])
cmd /c $Req.Name
EOF
[ "$n" -eq 11 ] && pass "$n mutations tried" || fail "only $n mutations"
awk '{ print } /^function Invoke-FixScript/ { print "    $text = $text + $Req.Params[\"Group\"]" }' "$AGENT" >"$T/concat.ps1"
run_section "$T/concat.ps1" >"$T/run2"
if grep -q '\$text[[:space:]]*=[^=].*+' "$T/run2"; then pass "found: text built from a parameter"; else fail "missed: text built from a parameter"; fi
finish
