<#
.SYNOPSIS
    capture for localgroup-remove-members: writes the members of a local group,
    one DOMAIN\name string each (as the agent reads LocalGroup.Members).

.DESCRIPTION
    Part of a cmharden fix script (doc/content-format.md, "Script steps"). The
    agent runs it with its parameters bound by name from typed values (splatting),
    never from a command line. It changes nothing. The lab does the same in
    src/lab_scripts.c. PowerShell 2.0 compatible.
#>
param(
    [Parameter(Mandatory = $true)][string]$Server,
    [Parameter(Mandatory = $true)][string]$Group,
    [Parameter(Mandatory = $true)][AllowEmptyCollection()][string[]]$Members
)

Set-StrictMode -Version 2.0
$ErrorActionPreference = 'Stop'

# cmharden checked these types already; checked again here because these two
# become part of an ADSI path, where '/' or ',' would name another object.
if ($Server -notmatch '^[A-Za-z0-9][A-Za-z0-9.-]*\z') { throw 'Server is not a host name' }
if ($Group -match '["/\\\[\]:;|=,+*?<>]') { throw 'Group is not a group name' }

$g = [ADSI]('WinNT://' + $Server + '/' + $Group + ',group')
foreach ($m in @($g.psbase.Invoke('Members'))) {
    $path = [string]$m.GetType().InvokeMember('ADsPath', 'GetProperty', $null, $m, $null)
    $parts = $path.Substring(8).Split('/')
    if ($parts.Length -ge 2) {
        Write-Output ($parts[$parts.Length - 2] + '\' + $parts[$parts.Length - 1])
    } else {
        Write-Output $parts[0]
    }
}
