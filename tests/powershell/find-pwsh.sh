# Sourced by the PowerShell tests and tests/powershell/agent-on-lab: finds pwsh
# (PATH, $CMHARDEN_PWSH, or the dotnet global tool of the account that runs the
# tests, whose HOME tests/env.sh replaced) and Pester (the NuGet packages folder
# that scripts/install-deps.sh restores it into).
#
# ps_skip WHAT NOT-TESTED: without pwsh a test does not pass quietly: it prints a
# loud SKIP saying what was not tested, and with CMHARDEN_REQUIRE_PWSH=1 (set by
# ./build.sh test, hence .ci/run) the skip is a failure.
PESTER_VERSION=5.7.1
ps_account_home=$(getent passwd "$(id -u)" 2>/dev/null | cut -d: -f6)
: "${ps_account_home:=${HOME:-/}}"
POWERSHELL_TELEMETRY_OPTOUT=1
POWERSHELL_UPDATECHECK=Off
DOTNET_CLI_TELEMETRY_OPTOUT=1
DOTNET_NOLOGO=1
export POWERSHELL_TELEMETRY_OPTOUT POWERSHELL_UPDATECHECK DOTNET_CLI_TELEMETRY_OPTOUT DOTNET_NOLOGO
# Tiered PGO instruments code to optimise it later; a session of a minute or
# two never gets there and pays for the instrumenting (about a fifth of the CPU
# time of a check through the agent here). Every pwsh the tests start (the
# agent, the relay, Pester) runs without it. A caller's setting wins.
DOTNET_TieredPGO=${DOTNET_TieredPGO:-0}
export DOTNET_TieredPGO

ps_find_pwsh() {
	for c in "${CMHARDEN_PWSH:-}" "$(command -v pwsh 2>/dev/null)" "$ps_account_home/.dotnet/tools/pwsh"; do
		[ -n "$c" ] && [ -x "$c" ] && { PWSH=$c; return 0; }
	done
	PWSH=""
	return 1
}

ps_find_pester() {
	for d in "${NUGET_PACKAGES:-}" "$ps_account_home/.nuget/packages"; do
		[ -n "$d" ] && [ -f "$d/pester/$PESTER_VERSION/tools/Pester.psd1" ] &&
			{ PESTER="$d/pester/$PESTER_VERSION/tools/Pester.psd1"; return 0; }
	done
	PESTER=""
	return 1
}

ps_skip() {
	echo "SKIP: $1" >&2
	echo "SKIP: NOT TESTED: $2" >&2
	echo "SKIP: $1"
	echo "SKIP: NOT TESTED: $2"
	if [ "${CMHARDEN_REQUIRE_PWSH:-0}" = 1 ]; then
		echo "FAIL: CMHARDEN_REQUIRE_PWSH=1: the PowerShell tests must run here (scripts/install-deps.sh installs pwsh and Pester where dotnet exists)"
		exit 1
	fi
	exit 77
}

# ps_require NOT-TESTED: pwsh must exist and start.
# CMHARDEN_PWSH_RAN_IN names the run that already ran these tests in full:
# ./build.sh test sets it for make distcheck, which repeats make check under
# ASan+UBSan, where the PowerShell side is the same and only takes time.
ps_require() {
	if [ -n "${CMHARDEN_PWSH_RAN_IN:-}" ]; then
		echo "SKIP: the PowerShell tests ran in $CMHARDEN_PWSH_RAN_IN; not repeated here: $1"
		exit 77
	fi
	ps_find_pwsh || ps_skip "pwsh (PowerShell 7) was not found: install dotnet, then run scripts/install-deps.sh" "$1"
	"$PWSH" -NoProfile -NonInteractive -Command 'exit 0' >/dev/null 2>&1 ||
		ps_skip "$PWSH does not start" "$1"
}
