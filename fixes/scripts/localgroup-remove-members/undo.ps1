<#
.SYNOPSIS
    undo for localgroup-remove-members: makes the members of a local group those
    in State, the list capture.ps1 returned before the fix.

.DESCRIPTION
    Part of a cmharden fix script (doc/content-format.md, "Script steps"). The
    agent runs it with its parameters bound by name from typed values (splatting),
    never from a command line. A member in State that is missing is added back
    through WinNT://DOMAIN/name (State holds principals, which cannot contain '/'
    or ','); a member not in State is removed through the ADsPath the group
    reports. cmharden runs it only when the group holds what the fix left, or
    with --force. The lab does the same in src/lab_scripts.c. PowerShell 2.0
    compatible.
#>
param(
    [Parameter(Mandatory = $true)][string]$Server,
    [Parameter(Mandatory = $true)][string]$Group,
    [Parameter(Mandatory = $true)][AllowEmptyCollection()][string[]]$Members,
    [Parameter(Mandatory = $true)][AllowEmptyCollection()][string[]]$State
)

Set-StrictMode -Version 2.0
$ErrorActionPreference = 'Stop'

if ($Server -notmatch '^[A-Za-z0-9][A-Za-z0-9.-]*\z') { throw 'Server is not a host name' }
if ($Group -match '["/\\\[\]:;|=,+*?<>]') { throw 'Group is not a group name' }

$want = @{}
foreach ($name in $State) {
    if ($name -match '[/,"]') { throw 'State holds a name that is not a principal' }
    $want[$name.ToUpperInvariant()] = $name
}

$g = [ADSI]('WinNT://' + $Server + '/' + $Group + ',group')
$have = @{}
foreach ($m in @($g.psbase.Invoke('Members'))) {
    $path = [string]$m.GetType().InvokeMember('ADsPath', 'GetProperty', $null, $m, $null)
    $parts = $path.Substring(8).Split('/')
    $name = $parts[0]
    if ($parts.Length -ge 2) { $name = $parts[$parts.Length - 2] + '\' + $parts[$parts.Length - 1] }
    $have[$name.ToUpperInvariant()] = $true
    if (-not $want.ContainsKey($name.ToUpperInvariant())) {
        [void]$g.psbase.Invoke('Remove', $path)
    }
}
# In the order of State (the order capture read them in), not the hashtable's.
foreach ($name in $State) {
    $key = $name.ToUpperInvariant()
    if ($have.ContainsKey($key)) { continue }
    $have[$key] = $true
    [void]$g.psbase.Invoke('Add', 'WinNT://' + $name.Replace('\', '/'))
}
