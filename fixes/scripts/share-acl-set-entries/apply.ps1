<#
.SYNOPSIS
    apply for share-acl-set-entries: gives \\SERVER\SHARE exactly the share
    permissions in Entries.

.DESCRIPTION
    Part of a cmharden fix script (doc/content-format.md, "Script steps"). The
    agent runs it with its parameters bound by name from typed values (splatting),
    never from a command line. An empty list is refused: a share with no entries
    lets no one in. The lab does the same in src/lab_scripts.c. PowerShell 2.0
    compatible.
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

# A Win32_ACE for one PRINCIPAL:RIGHTS entry. The principal is resolved to a
# SID (Resolve-AccountSid, an agent contact point): it is a name to look up,
# never text to run.
function New-Ace([string]$Entry) {
    $i = $Entry.LastIndexOf(':')
    if ($i -lt 1) { throw 'an entry is PRINCIPAL:RIGHTS' }
    $who = $Entry.Substring(0, $i)
    $rights = $Entry.Substring($i + 1)
    $type = 0
    if ($rights.StartsWith('(DENY)')) { $type = 1; $rights = $rights.Substring(6) }
    $mask = $null
    switch ($rights) {
        'Full' { $mask = 0x1F01FF }
        'Change' { $mask = 0x1301BF }
        'Read' { $mask = 0x1200A9 }
    }
    if ($null -eq $mask) {
        if ($rights -notmatch '^0x[0-9A-Fa-f]{1,8}\z') { throw 'share rights are Full, Change, Read or a 0x mask' }
        $mask = [Convert]::ToInt64($rights.Substring(2), 16)
    }
    $trustee = New-WmiInstance $Server 'Win32_Trustee'
    $trustee.SID = Resolve-AccountSid $who
    $ace = New-WmiInstance $Server 'Win32_ACE'
    $ace.AccessMask = [uint32]$mask
    $ace.AceType = [uint32]$type
    $ace.AceFlags = [uint32]0
    $ace.Trustee = $trustee
    return $ace
}

# Replaces the share's DACL with these entries, deny entries first as Windows
# orders them.
function Set-ShareEntries([string[]]$List) {
    $sec = Get-ShareSecurity
    $sd = Get-Descriptor $sec
    $deny = New-Object System.Collections.ArrayList
    $allow = New-Object System.Collections.ArrayList
    foreach ($e in $List) {
        $ace = New-Ace $e
        if ([int]$ace.AceType -eq 1) { [void]$deny.Add($ace) } else { [void]$allow.Add($ace) }
    }
    $all = New-Object System.Collections.ArrayList
    $all.AddRange($deny)
    $all.AddRange($allow)
    $sd.DACL = ConvertTo-WmiObjectArray $all
    $r = $sec.SetSecurityDescriptor($sd)
    if ($r.ReturnValue -ne 0) { throw ('SetSecurityDescriptor returned ' + $r.ReturnValue) }
}

if ($Entries.Count -eq 0) { throw 'give at least one entry: a share with no entries lets no one in' }
Set-ShareEntries $Entries
