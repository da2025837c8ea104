<#
.SYNOPSIS
    apply for localgroup-remove-members: removes the listed members from a local
    group. Names that are not members are left alone.

.DESCRIPTION
    Part of a cmharden fix script (doc/content-format.md, "Script steps"). The
    agent runs it with its parameters bound by name from typed values (splatting),
    never from a command line. Members are compared as data with the group's own
    member list, and each is removed through the ADsPath the group itself reports,
    so no path is built from a member name. The lab does the same in
    src/lab_scripts.c. PowerShell 2.0 compatible.
#>
param(
    [Parameter(Mandatory = $true)][string]$Server,
    [Parameter(Mandatory = $true)][string]$Group,
    [Parameter(Mandatory = $true)][AllowEmptyCollection()][string[]]$Members
)

Set-StrictMode -Version 2.0
$ErrorActionPreference = 'Stop'

if ($Server -notmatch '^[A-Za-z0-9][A-Za-z0-9.-]*\z') { throw 'Server is not a host name' }
if ($Group -match '["/\\\[\]:;|=,+*?<>]') { throw 'Group is not a group name' }

$remove = @{}
foreach ($name in $Members) { $remove[$name.ToUpperInvariant()] = $true }

$g = [ADSI]('WinNT://' + $Server + '/' + $Group + ',group')
foreach ($m in @($g.psbase.Invoke('Members'))) {
    $path = [string]$m.GetType().InvokeMember('ADsPath', 'GetProperty', $null, $m, $null)
    $parts = $path.Substring(8).Split('/')
    $name = $parts[0]
    if ($parts.Length -ge 2) { $name = $parts[$parts.Length - 2] + '\' + $parts[$parts.Length - 1] }
    if ($remove.ContainsKey($name.ToUpperInvariant())) {
        [void]$g.psbase.Invoke('Remove', $path)
    }
}
