# Runs the Pester tests of one file with Pester from PATH (tests/powershell/pester.sh).
param([Parameter(Mandatory = $true)][string]$Pester, [Parameter(Mandatory = $true)][string]$Path, [int]$MinPassed = 1)
$ErrorActionPreference = 'Stop'
Import-Module $Pester
$c = New-PesterConfiguration
$c.Run.Path = $Path
$c.Run.PassThru = $true
$c.Output.Verbosity = 'Detailed'
$r = Invoke-Pester -Configuration $c
if ($r.FailedCount -gt 0 -or $r.PassedCount -lt $MinPassed) { exit 1 }
exit 0
