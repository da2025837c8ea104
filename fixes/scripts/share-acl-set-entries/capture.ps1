<#
.SYNOPSIS
    capture for share-acl-set-entries: writes the share permissions of \\SERVER\SHARE,
    one PRINCIPAL:RIGHTS string each (as the agent reads FileAcl.Entries).

.DESCRIPTION
    Part of a cmharden fix script (doc/content-format.md, "Script steps"). The
    agent runs it with its parameters bound by name from typed values (splatting),
    never from a command line. It changes nothing. The lab does the same in
    src/lab_scripts.c. PowerShell 2.0 compatible.
#>
param(
    [Parameter(Mandatory = $true)][string]$Server,
    [Parameter(Mandatory = $true)][string]$Path,
    [Parameter(Mandatory = $true)][AllowEmptyCollection()][string[]]$Entries
)

Set-StrictMode -Version 2.0
$ErrorActionPreference = 'Stop'

# cmharden checked these types already; checked again here because Server
# becomes part of a WMI path and Path must name a share, nothing else.
if ($Server -notmatch '^[A-Za-z0-9][A-Za-z0-9.-]*\z') { throw 'Server is not a host name' }
$parts = $Path.Split('\')
if ($parts.Length -ne 4 -or $parts[0] -ne '' -or $parts[1] -ne '' -or $parts[3] -eq '') {
    throw 'Path is not \\SERVER\SHARE'
}
$share = $parts[3]

# The share's security setting, found by comparing names: no query text is
# built from the share name. Windows is reached through the agent's contact
# points (agent/cmharden-agent.ps1, "Windows contact points"), which the test
# suite's simulated site replaces: Invoke-WmiQuery here.
function Get-ShareSecurity {
    foreach ($s in @(Invoke-WmiQuery $Server 'root\cimv2' 'SELECT * FROM Win32_LogicalShareSecuritySetting')) {
        if ([string]$s.Name -eq $share) { return $s }
    }
    throw 'there is no such share on the server'
}

function Get-Descriptor($Sec) {
    $r = $Sec.GetSecurityDescriptor()
    if ($r.ReturnValue -ne 0) { throw ('GetSecurityDescriptor returned ' + $r.ReturnValue) }
    return $r.Descriptor
}

# PRINCIPAL:RIGHTS, as the agent reads FileAcl.Entries of a share.
function Format-ShareRights([int64]$Mask) {
    switch ($Mask) {
        0x1F01FF { return 'Full' }
        0x1301BF { return 'Change' }
        0x1200A9 { return 'Read' }
    }
    return '0x' + $Mask.ToString('X')
}

function Format-Ace($Ace) {
    $t = $Ace.Trustee
    $who = [string]$t.Name
    if ($t.Domain) { $who = [string]$t.Domain + '\' + $who }
    $rights = Format-ShareRights ([int64]$Ace.AccessMask)
    if ([int]$Ace.AceType -eq 1) { $rights = '(DENY)' + $rights }
    return $who + ':' + $rights
}

foreach ($ace in @((Get-Descriptor (Get-ShareSecurity)).DACL)) {
    if ($null -eq $ace) { continue }
    Write-Output (Format-Ace $ace)
}
