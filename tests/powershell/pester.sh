#!/bin/sh
# The Pester unit tests of the agent's own functions (tests/powershell/agent.Tests.ps1),
# including the agreement of cmharden's C value codec with the agent's.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/powershell/find-pwsh.sh"
ps_require "the Pester unit tests of the PowerShell agent (tests/powershell/agent.Tests.ps1)"
ps_find_pester || ps_skip "Pester $PESTER_VERSION was not found (scripts/install-deps.sh restores it)" \
	"the Pester unit tests of the PowerShell agent (tests/powershell/agent.Tests.ps1)"
CMH_AGENT="$top_srcdir/agent/cmharden-agent.ps1"
CMH_CODEC="$(dirname "$CMHARDEN")/tests/powershell/value_codec"
CMH_SEED=${CMH_SEED:-$(date +%s)}
export CMH_AGENT CMH_CODEC CMH_SEED
echo "seed $CMH_SEED (CMH_SEED=$CMH_SEED repeats this run)"
"$PWSH" -NoLogo -NoProfile -NonInteractive -File "$top_srcdir/tests/powershell/run-pester.ps1" \
	-Pester "$PESTER" -Path "$top_srcdir/tests/powershell/agent.Tests.ps1" -MinPassed 60 >"$T/out" 2>&1
rc=$?
sed 's/\x1b\[[0-9;]*m//g' "$T/out" | tail -80
[ "$rc" -eq 0 ] && pass "the agent's Pester tests pass" || fail "the agent's Pester tests fail"
finish
