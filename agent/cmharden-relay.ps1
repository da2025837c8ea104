<#
.SYNOPSIS
    cmharden relay: speaks the cmharden agent protocol (doc/agent-protocol.md) on
    standard input and output, and reads and changes a Configuration Manager 2007
    site through PowerShell remoting (WinRM).

.DESCRIPTION
    Runs where cmharden can start it: on the administrator's Windows workstation
    (cmharden in WSL starts it with powershell.exe), or on a Windows jump host
    reached by ssh. It opens one remote session to the SMS Provider's computer
    (-ComputerName) and one to each site system, with the account's own Windows
    credentials (Kerberos) or a credential saved in a protected file, so every
    read and change is made on the computer that holds the data: no second hop
    is ever needed.

    The work is the agent's (cmharden-agent.ps1, beside this file): its text is
    loaded into every remote session and its functions read the site there. The
    protocol, the encoding and the request handling run here, from the same
    file. Each request costs one round trip per computer it needs, whatever the
    number of objects.

    A site system that cannot be reached, or refuses one source, fails the
    classes read from it with a 503 naming the server and the reason; the other
    computers' data still arrives. 'probe' reports every source on every
    computer with its reason (access denied, WinRM not enabled, name not
    resolved, time-out).

    Compatible with PowerShell 2.0 (Windows Server 2003 / 2008 and Windows 7
    workstations), Windows PowerShell 5.1 and PowerShell 7.

    STATUS: run with PowerShell 7 on Linux against a simulated site (the
    remoting seam Invoke-RelayRemote replaced by one that runs each script block
    against a simulated server, tests/powershell/); its PowerShell 2.0 syntax is
    checked. It has NOT been run against live WinRM or a live site.

.PARAMETER ComputerName
    The computer with the SMS Provider (usually the site server).

.PARAMETER Servers
    The site systems whose Windows state is read; default: the site server and
    every server named in the site control file's SMS_SCI_SysResUse.

.PARAMETER CredentialFile
    A credential saved with: Get-Credential | Export-Clixml FILE (protected by
    DPAPI for the account and computer that saved it). Default: the account's own
    Kerberos credentials.

.EXAMPLE
    From cmharden in WSL on the administrator's workstation:
    cmharden --target 'agent:powershell.exe -NoProfile -ExecutionPolicy Bypass -File C:\cmharden\cmharden-relay.ps1 -ComputerName CM01' doctor
#>
param(
    [string]$ComputerName = '',
    [string]$SiteCode = '',
    [string[]]$Servers = @(),
    [switch]$ReadOnly,
    [string]$CredentialFile = '',
    [string]$Authentication = 'Kerberos',
    [string]$SiteMode = '',
    [string]$SiteVersion = '',
    [int]$TimeoutSeconds = 120
)

Set-StrictMode -Version 1.0
$ErrorActionPreference = 'Stop'

$script:RelayVersion = '0.1.0'
$script:AgentPath = Join-Path (Split-Path -Parent $MyInvocation.MyCommand.Path) 'cmharden-agent.ps1'
$script:RelayComputer = $ComputerName
$script:RelayServers = $Servers
$script:RelayReadOnly = [bool]$ReadOnly

# The agent's functions and tables, here; its text, for the remote sessions.
# Dot-sourcing binds its parameters in this scope: give it the same values.
. $script:AgentPath -SiteCode $SiteCode -Servers $Servers -ReadOnly:$ReadOnly -SiteMode $SiteMode -SiteVersion $SiteVersion
$script:AgentText = [System.IO.File]::ReadAllText($script:AgentPath)
# The hello names the relay, and the computer it reaches the site through.
$script:AgentName = 'cmharden-relay.ps1 via WinRM to ' + $ComputerName + ','

$script:Sessions = @{}     # server -> PSSession (Invoke-RelayRemote's)
$script:Loaded = @{}       # server -> $true once the agent is loaded there
$script:Lost = @{}         # server -> @{ R = reason; M = message }: no more requests go there
$script:ProviderKey = ''
$script:Credential = $null

# ---------------------------------------------------------------------------
# The remoting seam: the only function that talks to another computer. It runs
# a script block in the server's session (opened on first use) and returns its
# output; it throws when the server cannot be reached or the session breaks.
# The tests replace it with one that runs the block against a simulated server.

function Invoke-RelayRemote([string]$Server, [scriptblock]$ScriptBlock, [object[]]$ArgumentList) {
    if (-not $script:Sessions.ContainsKey($Server)) {
        $opt = New-PSSessionOption -OpenTimeout ($TimeoutSeconds * 1000) -OperationTimeout ($TimeoutSeconds * 1000)
        $p = @{ ComputerName = $Server; Authentication = $Authentication; SessionOption = $opt; ErrorAction = 'Stop' }
        if ($null -ne $script:Credential) { $p['Credential'] = $script:Credential }
        $script:Sessions[$Server] = New-PSSession @p
    }
    return Invoke-Command -Session $script:Sessions[$Server] -ScriptBlock $ScriptBlock -ArgumentList $ArgumentList -ErrorAction Stop
}

function Close-RelaySessions {
    foreach ($s in @($script:Sessions.Values)) {
        try { Remove-PSSession -Session $s -ErrorAction Stop } catch { [Console]::Error.WriteLine('cmharden-relay: ' + (Get-ErrorText $_)) }
    }
    $script:Sessions = @{}
}

# ---------------------------------------------------------------------------
# What runs in the remote sessions. Every block catches its own errors and
# returns plain data (strings, hashtables of strings): it crosses WinRM as is.

# Loads the agent's text (functions and tables; its main part does not run
# when dot-sourced) and sets it up for this computer.
$script:RemoteLoad = {
    param([string]$Text, [string]$Code, [string[]]$ServerList)
    $agent = [ScriptBlock]::Create($Text)
    . $agent -SiteCode $Code -Servers $ServerList
    $script:SiteCode = $Code
    return @{ OK = $true }
}

# On the provider's computer: the site, and its site systems. From then on
# that session reads the Windows state of its own computer only.
$script:RemoteSite = {
    param([string]$Self)
    try {
        Initialize-Site
        $systems = @(Get-SiteSystems)
        $script:SiteSystems = [string[]]@($Self)
        return @{ OK = $true; Code = $script:SiteCode; Name = $script:Site.Name; Server = $script:Site.Server
            Version = $script:Site.Version; Build = $script:Site.Build; Systems = [string[]]$systems }
    } catch {
        return @{ OK = $false; R = (Get-FailureReason $_.Exception); M = (Get-ErrorText $_) }
    }
}

# Reads classes; for FileAcl on a site system, the folders the provider named
# on that system too. Per class: @{ C; L = obj lines with id 0; S = the
# servers it could not be read on, "SERVER|message"; E, X = code, R = reason
# when it could not be read at all }.
$script:RemoteRead = {
    param([string[]]$Classes, [bool]$WantPaths, [string[]]$AclPaths)
    $res = New-Object System.Collections.ArrayList
    foreach ($cls in $Classes) {
        $r = @{ C = $cls; L = @(); S = @(); E = ''; X = 0; R = '' }
        try {
            if ($cls -eq 'FileAcl') {
                $script:ServerErrors.Clear()
                $objs = New-Object System.Collections.ArrayList
                $seen = @{}
                foreach ($srv in @(Get-SiteSystems)) {
                    try { Read-FileAclOfServer $srv $objs $seen } catch { Add-ServerError $srv $_ }
                }
                # "SERVER|PATH" strings: nested arrays do not survive the trip intact.
                $pairs = New-Object System.Collections.ArrayList
                foreach ($sp in @($AclPaths)) {
                    if (-not $sp) { continue }
                    $bar = $sp.IndexOf('|')
                    [void]$pairs.Add(@($sp.Substring(0, $bar), $sp.Substring($bar + 1)))
                }
                Read-FileAclPaths $pairs $objs $seen
            } else {
                $objs = Read-Class $cls
            }
            $lines = New-Object System.Collections.ArrayList
            foreach ($o in $objs) {
                $line = Format-ObjectLine '0' $o
                if ($null -eq $line) { throw (New-AgentError 413 "object '$($o.Key)' is larger than the line limit") }
                [void]$lines.Add($line)
            }
            $r.L = [string[]]$lines.ToArray([string])
            $errs = New-Object System.Collections.ArrayList
            foreach ($e in $script:ServerErrors) { [void]$errs.Add([string]$e.Server + '|' + [string]$e.Message) }
            $r.S = [string[]]$errs.ToArray([string])
        } catch {
            $r.E = Get-ErrorText $_
            $r.X = Get-ErrorCode $_ 503
            $r.R = Get-FailureReason $_.Exception
        }
        [void]$res.Add($r)
    }
    if ($WantPaths) {
        $p = @{ C = ' paths'; L = @(); S = @(); E = ''; X = 0; R = '' }
        try {
            $flat = New-Object System.Collections.ArrayList
            foreach ($pair in (Get-FileAclPaths)) { [void]$flat.Add([string]$pair[0] + '|' + [string]$pair[1]) }
            $p.L = [string[]]$flat.ToArray([string])
        } catch {
            $p.E = Get-ErrorText $_
            $p.X = 503
            $p.R = Get-FailureReason $_.Exception
        }
        [void]$res.Add($p)
    }
    return [object[]]$res.ToArray()
}

# One object, for 'get': @{ OK; P = list of @{ N; V = encoded value } } or @{ OK = $false; X; E }.
$script:RemoteFind = {
    param([string]$Class, [string]$Key)
    try {
        $o = Find-SiteObject $Class $Key
        if ($null -eq $o) { return @{ OK = $true; Found = $false } }
        $props = New-Object System.Collections.ArrayList
        foreach ($p in $o.Props) { [void]$props.Add(@{ N = $p.N; V = (Encode-Value $p.V) }) }
        return @{ OK = $true; Found = $true; P = [object[]]$props.ToArray() }
    } catch {
        return @{ OK = $false; X = (Get-ErrorCode $_ 503); E = (Get-ErrorText $_) }
    }
}

$script:RemoteSet = {
    param([string]$Class, [string]$Key, [string]$Prop, [string]$Encoded)
    try {
        $prev = Invoke-Set $Class $Key $Prop (Decode-Value $Encoded)
        return @{ OK = $true; V = (Encode-Value $prev) }
    } catch {
        return @{ OK = $false; X = (Get-ErrorCode $_ 500); E = (Get-ErrorText $_) }
    }
}

# A fix script's phase, with the parameters the relay decoded and checked
# against their types (Read-RunRequest, the agent's), bound by name there.
$script:RemoteRun = {
    param([string]$Name, [string]$Phase, [string]$State, [string]$Text, [hashtable]$Params)
    try {
        $bound = @{}
        foreach ($k in $Params.Keys) {
            $v = $Params[$k]
            # Lists cross WinRM as ArrayLists: back to the [string[]] the agent binds.
            if ($v -is [System.Collections.IList]) { $v = [string[]]@($v) }
            $bound[$k] = $v
        }
        $out = Invoke-FixScript @{ Name = $Name; Phase = $Phase; State = $State; Text = $Text; Params = $bound }
        return @{ OK = $true; V = [string]$out }
    } catch {
        return @{ OK = $false; X = (Get-ErrorCode $_ 500); E = (Get-ErrorText $_) }
    }
}

$script:RemoteProbe = {
    param([string[]]$ProviderList, [string[]]$ServerSourceList, [string[]]$ServerList)
    $res = New-Object System.Collections.ArrayList
    foreach ($st in (Get-SourceStates $ProviderList $ServerSourceList $ServerList)) {
        [void]$res.Add(@{ S = [string]$st.S; H = [string]$st.H; T = [string]$st.T; M = [string]$st.M })
    }
    return [object[]]$res.ToArray()
}

# The account's rights on the SMS Provider, asked in the provider's session.
$script:RemoteRights = {
    $res = New-Object System.Collections.ArrayList
    foreach ($r in (Get-ProviderRights)) {
        [void]$res.Add(@{ C = [string]$r.C; R = [string]$r.R; T = [string]$r.T; M = [string]$r.M })
    }
    return [object[]]$res.ToArray()
}

# ---------------------------------------------------------------------------
# Sessions: one per computer, the agent loaded once in each.

function Get-ServerKey([string]$Name) {
    return Get-ShortHost $Name
}

# The name to connect to: -ComputerName as given for the provider's computer.
function Get-ConnectName([string]$Server) {
    if ($Server -eq $script:ProviderKey) { return $script:RelayComputer }
    return $Server
}

# Loads the agent into a computer's session (once).
function Connect-Server([string]$Server) {
    $list = [string[]]@($Server)
    if ($Server -eq $script:ProviderKey) { $list = [string[]]$script:RelayServers }
    [void](Invoke-RelayRemote (Get-ConnectName $Server) $script:RemoteLoad @($script:AgentText, $script:SiteCode, $list))
    $script:Loaded[$Server] = $true
}

function Get-RelayReason($ErrorRecord) {
    $e = $ErrorRecord.Exception
    if ($e.Data.Contains('cmharden.reason')) { return [string]$e.Data['cmharden.reason'] }
    return Get-FailureReason $e
}

# Runs a block on a computer with the agent loaded there. A computer that
# cannot be reached, or whose session broke, throws (naming it, with the
# reason), and is not asked again in this session.
function Invoke-OnServer([string]$Server, [scriptblock]$Block, [object[]]$Arguments) {
    if ($script:Lost.ContainsKey($Server)) {
        $l = $script:Lost[$Server]
        throw (New-RelayError $l.R $l.M)
    }
    try {
        if (-not $script:Loaded.ContainsKey($Server)) { Connect-Server $Server }
        return @(Invoke-RelayRemote (Get-ConnectName $Server) $Block $Arguments)
    } catch {
        $why = Get-RelayReason $_
        # A session that was opened (the agent loaded) and then failed in transport
        # broke while in use (the computer went away, the network dropped): not a
        # WinRM refusal.
        if ($script:Loaded.ContainsKey($Server) -and ($why -eq 'winrm' -or $why -eq 'unavailable')) { $why = 'dropped' }
        $msg = "${Server}: " + (Get-ErrorText $_)
        $script:Lost[$Server] = @{ R = $why; M = $msg }
        throw (New-RelayError $why $msg)
    }
}

function New-RelayError([string]$Reason, [string]$Message) {
    $e = New-AgentError 503 $Message
    $e.Data['cmharden.reason'] = $Reason
    return $e
}

# ---------------------------------------------------------------------------
# The agent's functions that touch the site, redefined to do the work in the
# remote sessions. Everything else (the protocol) is the agent's own.

function Initialize-Site {
    if (-not $script:RelayComputer) { throw 'give -ComputerName: the computer with the SMS Provider' }
    if ($CredentialFile) {
        $c = Import-Clixml -Path $CredentialFile
        if (-not ($c -is [System.Management.Automation.PSCredential])) { throw "$CredentialFile does not hold a credential (make it with: Get-Credential | Export-Clixml FILE)" }
        $script:Credential = $c
    }
    $script:ProviderKey = Get-ServerKey $script:RelayComputer
    $info = @(Invoke-OnServer $script:ProviderKey $script:RemoteSite @($script:ProviderKey))[0]
    if (-not $info.OK) { throw "$($script:ProviderKey): $($info.M)" }
    $script:SiteCode = [string]$info.Code
    $script:Site = @{ Code = [string]$info.Code; Name = [string]$info.Name; Server = [string]$info.Server
        Version = [string]$info.Version; Build = [string]$info.Build; Mode = $SiteMode }
    $systems = New-Object System.Collections.ArrayList
    foreach ($s in @($info.Systems)) { if ($s) { [void]$systems.Add((Get-ServerKey ([string]$s))) } }
    $script:SiteSystems = [string[]]$systems.ToArray([string])
}

# The computer whose session reads a Windows object, from its key (SERVER/...).
function Get-KeyServer([string]$Key) {
    $i = $Key.IndexOf('/')
    if ($i -le 0) { throw (New-AgentError 404 "'$Key' names no server") }
    return Get-ServerKey $Key.Substring(0, $i)
}

function Get-ClassServer([string]$Class, [string]$Key) {
    if ($script:SmsClasses.ContainsKey($Class)) { return $script:ProviderKey }
    return Get-KeyServer $Key
}

function Get-CanonicalClass([string]$Class) {
    foreach ($k in $script:SmsClasses.Keys) { if ($k -eq $Class) { return $k } }
    foreach ($k in $script:WindowsReaders.Keys) { if ($k -eq $Class) { return $k } }
    return $Class
}

# An x-progress line straight to stdout, between the round trips of a long
# request: it resets cmharden's idle time-out.
function Write-RelayProgress([string]$Id) {
    $bytes = (New-Object System.Text.ASCIIEncoding).GetBytes("x-progress $Id`n")
    $stdout = [Console]::OpenStandardOutput()
    $stdout.Write($bytes, 0, $bytes.Length)
    $stdout.Flush()
}

# Per class, what came back: @{ Lines; Failed = @{ server = message };
# Whole = the message when the class could not be read at all; Code; Read =
# how many computers answered it }.
function Get-ClassPart($Parts, [string]$Class) {
    if (-not $Parts.ContainsKey($Class)) {
        $Parts[$Class] = @{ Lines = (New-Object System.Collections.ArrayList); Failed = @{}; Order = (New-Object System.Collections.ArrayList)
            Whole = ''; Code = 503; Read = 0 }
    }
    return $Parts[$Class]
}

function Add-ServerFailure($Part, [string]$Server, [string]$Message) {
    if ($Message.StartsWith($Server + ': ')) { $Message = $Message.Substring($Server.Length + 2) }
    if (-not $Part.Failed.ContainsKey($Server)) { [void]$Part.Order.Add($Server) }
    $Part.Failed[$Server] = $Message
}

# A computer's answer for a class. Server '' is the provider's: its failure
# is the whole class's.
function Add-ClassPart($Parts, [string]$Class, $Result, [string]$Server) {
    $part = Get-ClassPart $Parts $Class
    if ($Result.E) {
        if ([int]$Result.X -eq 413) { $part.Code = 413 }
        if ($Server) { Add-ServerFailure $part $Server ([string]$Result.E) }
        else { $part.Whole = [string]$Result.E }
        return
    }
    $part.Read += 1
    foreach ($l in @($Result.L)) { if ($l) { [void]$part.Lines.Add([string]$l) } }
    foreach ($se in @($Result.S)) {
        if (-not $se) { continue }
        $bar = $se.IndexOf('|')
        Add-ServerFailure $part $se.Substring(0, $bar) $se.Substring($bar + 1)
    }
}

# The batch: SMS classes (and the folders FileAcl needs) in one round trip to
# the provider, then each site system's classes in one round trip to it.
function Write-Classes([System.Text.StringBuilder]$Out, [string]$Id, [string[]]$Classes) {
    foreach ($cls in $Classes) {
        if ($cls -cnotmatch '^[A-Za-z0-9_]+\z') { Add-Error $Out $Id 400 "'$cls' is not a class name"; return }
    }
    $sms = New-Object System.Collections.ArrayList
    $win = New-Object System.Collections.ArrayList
    foreach ($cls in $Classes) {
        if (-not (Test-KnownClass $cls)) { continue }
        $c = Get-CanonicalClass $cls
        if ($script:SmsClasses.ContainsKey($c)) { [void]$sms.Add($c) } else { [void]$win.Add($c) }
    }
    $parts = @{}
    $paths = New-Object System.Collections.ArrayList
    $wantPaths = $win.Contains('FileAcl')
    if ($sms.Count -gt 0 -or $wantPaths) {
        try {
            $res = @(Invoke-OnServer $script:ProviderKey $script:RemoteRead @([string[]]$sms.ToArray([string]), $wantPaths, [string[]]@()))
            foreach ($r in $res) {
                if ($r.C -eq ' paths') {
                    if ($r.E) { Add-ServerFailure (Get-ClassPart $parts 'FileAcl') $script:ProviderKey ([string]$r.E) }
                    foreach ($l in @($r.L)) { if ($l) { [void]$paths.Add([string]$l) } }
                } else {
                    Add-ClassPart $parts ([string]$r.C) $r ''
                }
            }
        } catch {
            foreach ($c in $sms) { (Get-ClassPart $parts $c).Whole = Get-ErrorText $_ }
            if ($wantPaths) { Add-ServerFailure (Get-ClassPart $parts 'FileAcl') $script:ProviderKey (Get-ErrorText $_) }
        }
        Write-RelayProgress $Id
    }
    if ($win.Count -gt 0) {
        $servers = New-Object System.Collections.ArrayList
        foreach ($s in @(Get-SiteSystems)) { [void]$servers.Add($s) }
        # A folder on a computer that is no site system (a file server) is read there.
        foreach ($p in $paths) {
            $h = Get-ServerKey $p.Substring(0, $p.IndexOf('|'))
            if (-not $servers.Contains($h)) { [void]$servers.Add($h) }
        }
        foreach ($srv in $servers) {
            $mine = New-Object System.Collections.ArrayList
            foreach ($p in $paths) {
                $bar = $p.IndexOf('|')
                if ((Get-ServerKey $p.Substring(0, $bar)) -eq $srv) { [void]$mine.Add($srv + '|' + $p.Substring($bar + 1)) }
            }
            # (Not $classes: PowerShell names are case-insensitive, that is $Classes.)
            $todo = $win
            if (-not (@(Get-SiteSystems) -contains $srv)) { $todo = @('FileAcl') }
            try {
                $res = @(Invoke-OnServer $srv $script:RemoteRead @([string[]]$todo, $false, [string[]]$mine.ToArray([string])))
                foreach ($r in $res) { Add-ClassPart $parts ([string]$r.C) $r $srv }
            } catch {
                foreach ($c in $todo) { Add-ServerFailure (Get-ClassPart $parts $c) $srv (Get-ErrorText $_) }
            }
            Write-RelayProgress $Id
        }
    }
    foreach ($cls in $Classes) {
        if (-not (Test-KnownClass $cls)) {
            Add-Line $Out 'classerror' $Id @($cls, '404', "this agent does not read $cls")
            continue
        }
        $part = $parts[(Get-CanonicalClass $cls)]
        if ($null -eq $part) {
            Add-Line $Out 'class' $Id @($cls, '0')
            continue
        }
        if ($part.Whole -or ($part.Read -eq 0 -and $part.Order.Count -gt 0)) {
            # Nothing was read: the class is an error naming every server.
            $why = New-Object System.Collections.ArrayList
            if ($part.Whole) { [void]$why.Add($part.Whole) }
            foreach ($srv in $part.Order) { [void]$why.Add($srv + ': ' + $part.Failed[$srv]) }
            Add-Line $Out 'classerror' $Id @($cls, [string]$part.Code, [string]::Join('; ', [string[]]$why.ToArray([string])))
            continue
        }
        # What was read, then each server that could not be (doc/agent-protocol.md):
        # a check may fail on it, never pass.
        Add-Line $Out 'class' $Id @($cls, [string]$part.Lines.Count)
        foreach ($l in $part.Lines) { [void]$Out.Append('obj ').Append($Id).Append($l.Substring(5)).Append("`n") }
        foreach ($srv in $part.Order) { Add-Line $Out 'servererror' $Id @($cls, $srv, '503', [string]$part.Failed[$srv]) }
    }
    Add-Line $Out 'end' $Id @()
}

function Find-SiteObject([string]$Class, [string]$Key) {
    $c = Get-CanonicalClass $Class
    $res = @(Invoke-OnServer (Get-ClassServer $c $Key) $script:RemoteFind @($c, $Key))
    $r = $res[0]
    if (-not $r.OK) { throw (New-AgentError ([int]$r.X) ([string]$r.E)) }
    if (-not $r.Found) { return $null }
    $o = New-SiteObject $c $Key
    foreach ($p in @($r.P)) { Add-Prop $o ([string]$p.N) (Decode-Value ([string]$p.V)) }
    return $o
}

function Invoke-Set([string]$Class, [string]$Key, [string]$Prop, $Value) {
    $c = Get-CanonicalClass $Class
    $srv = Get-ClassServer $c $Key
    $res = @(Invoke-OnServer $srv $script:RemoteSet @($c, $Key, $Prop, (Encode-Value $Value)))
    $r = $res[0]
    if (-not $r.OK) { throw (New-AgentError ([int]$r.X) ([string]$r.E)) }
    return Decode-Value ([string]$r.V)
}

# A fix script runs on the computer its Server parameter names (the scripts
# change that server's Windows state), else on the provider's computer.
function Invoke-FixScript($Req) {
    $srv = $script:ProviderKey
    if ($Req.Params.ContainsKey('Server')) { $srv = Get-ServerKey ([string]$Req.Params['Server']) }
    $res = @(Invoke-OnServer $srv $script:RemoteRun @($Req.Name, $Req.Phase, $Req.State, $Req.Text, $Req.Params))
    $r = $res[0]
    if (-not $r.OK) { throw (New-AgentError ([int]$r.X) ([string]$r.E)) }
    return [string]$r.V
}

function Write-Probe([System.Text.StringBuilder]$Out, [string]$Id) {
    try {
        foreach ($st in @(Invoke-OnServer $script:ProviderKey $script:RemoteProbe @($script:ProviderSources, [string[]]@(), [string[]]@()))) {
            $st.H = $script:ProviderKey
            Add-SourceLine $Out $Id $st
        }
    } catch {
        $why = Get-RelayReason $_
        foreach ($src in $script:ProviderSources) { Add-SourceLine $Out $Id @{ S = $src; H = $script:ProviderKey; T = $why; M = (Get-ErrorText $_) } }
    }
    Write-RelayProgress $Id
    foreach ($srv in @(Get-SiteSystems)) {
        try {
            foreach ($st in @(Invoke-OnServer $srv $script:RemoteProbe @([string[]]@(), $script:ServerSources, [string[]]@($srv)))) {
                Add-SourceLine $Out $Id $st
            }
        } catch {
            $why = Get-RelayReason $_
            foreach ($src in $script:ServerSources) { Add-SourceLine $Out $Id @{ S = $src; H = $srv; T = $why; M = (Get-ErrorText $_) } }
        }
        Write-RelayProgress $Id
    }
    try {
        foreach ($r in @(Invoke-OnServer $script:ProviderKey $script:RemoteRights @())) { Add-RightLine $Out $Id $r }
    } catch {
        foreach ($cls in $script:SecuredClasses) { Add-RightLine $Out $Id @{ C = $cls; R = 'modify'; T = 'unknown'; M = (Get-ErrorText $_) } }
    }
    Add-ChangesLine $Out $Id
    Add-Line $Out 'end' $Id @()
}

# ---------------------------------------------------------------------------

function Start-Relay {
    try {
        Initialize-Site
    } catch {
        $script:InitError = 'cannot reach the SMS Provider: ' + (Get-ErrorText $_)
    }
    try {
        Invoke-Session
    } finally {
        Close-RelaySessions
    }
}

# Dot-sourced (by the tests, which replace Invoke-RelayRemote): defined, not run.
if ($MyInvocation.InvocationName -eq '.') { return }

Start-Relay
exit 0
