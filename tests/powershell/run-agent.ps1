<#
.SYNOPSIS
    Runs agent/cmharden-agent.ps1, unchanged, against the simulated site of
    FakeSite.ps1 backed by a cmharden lab. Test code only (tests/powershell/agent-on-lab).

.DESCRIPTION
    The agent is dot-sourced (so its main part does not start), then FakeSite.ps1
    replaces its Windows contact points; Start-Agent then runs the agent's own code
    under Set-StrictMode -Version 2.0 on standard input and output.

    -Setup FILE runs FILE first (see FakeLab.Hold in FakeSite.ps1).

    Without -Servers, the agent is told the servers the lab has Windows state for
    (an operator names the site systems to read the same way); -Discover leaves
    -Servers empty so that the agent finds them itself in SMS_SCI_SysResUse.

    -Preload reads every class of the lab into the simulation before the agent
    starts, and writes on standard error how long each step of the start took
    (the benchmark, tests/powershell/bench.py, then times the agent's own work
    apart from loading the simulated site).
#>
param(
    [Parameter(Mandatory = $true)][string]$Lab,
    [Parameter(Mandatory = $true)][string]$Cmharden,
    [Parameter(Mandatory = $true)][string]$Agent,
    [string]$Fail = '',
    [switch]$Discover,
    [string]$SiteCode = '',
    [string]$Provider = '.',
    [string[]]$Servers = @(),
    [switch]$ReadOnly,
    [string]$Dump = '',
    [string]$ScenarioName = '',
    [string]$SiteMode = '',
    [string]$SiteVersion = '',
    [string]$Setup = '',
    [switch]$Preload
)
$ErrorActionPreference = 'Stop'
$clock = [System.Diagnostics.Stopwatch]::StartNew()
function Write-Step([string]$What) {
    if ($Preload) { [Console]::Error.WriteLine('run-agent: ' + $What + ' ' + [string][int]$clock.Elapsed.TotalMilliseconds + ' ms') }
    $clock.Restart()
}
$agentArgs = @{ SiteCode = $SiteCode; Provider = $Provider; Servers = $Servers; ReadOnly = $ReadOnly; Dump = $Dump
    ScenarioName = $ScenarioName; SiteMode = $SiteMode; SiteVersion = $SiteVersion }
. $Agent @agentArgs
Write-Step 'agent-loaded'
. (Join-Path $PSScriptRoot 'FakeSite.ps1')
Set-StrictMode -Version 2.0
Write-Step 'simulation-loaded'

[FakeLab]::Current = [FakeLab]::new($Cmharden, $Lab)
Write-Step 'lab-started'
if ($Preload) {
    [void][FakeLab]::Current.Preload()
    Write-Step 'lab-read'
}
foreach ($rule in @($Fail.Split(';') | Where-Object { $_ })) {
    if ($rule -notmatch '^(wmi|registry|adsi|acl|certstore|rights|server)/([^/]+)(/(.+))?=(AccessDenied|InvalidClass|InvalidNamespace|RpcUnavailable|Timeout)$') {
        [Console]::Error.WriteLine("run-agent: -Fail '$rule' is not CONTACT/SERVER[/WHAT]=ERROR")
        exit 64
    }
    $what = '*'
    if ($Matches[4]) { $what = $Matches[4] }
    [FakeLab]::Current.Failures.Add(@{ Contact = $Matches[1]; Server = $Matches[2]; What = $what; Error = $Matches[5] })
}
Register-FakeAccelerators
# -Setup FILE: test code that gives the simulated Windows text no lab can hold
# ([FakeLab]::Current.Hold(...): NUL, unpaired surrogates, megabyte strings).
if ($Setup) { . $Setup }
# The site mode is stated by the operator (it is not read from the site); the lab's.
if (-not $SiteMode) { $SiteMode = [string][FakeLab]::Current.Site['mode'] }
# So is the version, when R2 or R3 is installed (the build number does not show them).
if (-not $SiteVersion -and [string][FakeLab]::Current.Site['version'] -match 'R[23]') { $SiteVersion = [string][FakeLab]::Current.Site['version'] }

if ($Servers.Count -eq 0 -and -not $Discover) {
    $hosts = New-Object System.Collections.ArrayList
    [void]$hosts.Add(([string][FakeLab]::Current.Site['server']).ToUpper())
    foreach ($pair in @(@('LocalGroup', 'Server'), @('Registry', 'Server'), @('Win32_Service', 'SystemName'), @('IIsWebServer', 'Server'),
            @('IIsWebVirtualDir', 'Server'), @('FileAcl', 'Server'), @('Certificate', 'Server'))) {
        foreach ($o in [FakeLab]::Current.Objects($pair[0])) {
            $h = $o.Text($pair[1]).ToUpper()
            if ($h -and -not $hosts.Contains($h)) { [void]$hosts.Add($h) }
        }
    }
    $Servers = [string[]]$hosts.ToArray([string])
}

# The benchmark's figures: after each request, the time spent so far inside
# the simulation (FakeClock), so that bench.py can take the agent's own work apart.
if ($Preload) {
    Enable-FakeClock
    $script:AgentRequest = ${function:Invoke-Request}
    function Invoke-Request([string]$Line, [System.Text.StringBuilder]$Out) {
        $bye = & $script:AgentRequest $Line $Out
        [Console]::Error.WriteLine('run-agent: simulation-after-' + $Line.Split(' ')[0] + ' ' + [FakeClock]::Milliseconds() + ' ms')
        return $bye
    }
}

Write-Step 'ready'
$rc = Start-Agent
[FakeLab]::Current.Close()
exit $rc
