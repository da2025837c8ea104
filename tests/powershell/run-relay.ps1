<#
.SYNOPSIS
    Runs agent/cmharden-relay.ps1, unchanged, with its remoting seam
    (Invoke-RelayRemote) replaced by one that runs each script block against a
    simulated site system. Test code only (tests/powershell/relay-on-lab).

.DESCRIPTION
    Every computer the relay opens a session to gets its own runspace, as a
    WinRM session is its own runspace on that computer: the block the relay
    sends is run there as script text, its arguments and its output pass
    through the PowerShell serializer (as they cross WinRM), and after the
    agent is loaded into it the simulated site (FakeSite.ps1, with its own
    `cmharden agent --lab LAB` behind it) answers its Windows contact points.
    In each runspace the Windows contact points answer for that computer only:
    a read that needed a second hop is refused, as it is with Kerberos.

    -Remote SERVER=WHAT makes the connection to SERVER fail as WinRM reports it:
      refused     WinRM not enabled (the client cannot connect)
      unresolved  the name does not resolve
      denied      the account may not open a session there
      timeout     the computer does not answer (switched off): the connection times out
      drop:N      the session breaks on its N-th request after the agent was
                  loaded (a session dropped in the middle of a batch)
    -Fail RULE passes a failure of one contact point to the simulation
    (CONTACT/SERVER[/WHAT]=ERROR, see FakeSite.ps1), in every runspace.
#>
param(
    [Parameter(Mandatory = $true)][string]$Lab,
    [Parameter(Mandatory = $true)][string]$Cmharden,
    [Parameter(Mandatory = $true)][string]$Relay,
    [string[]]$Fail = @(),
    [string[]]$Remote = @(),
    [string]$ComputerName = '',
    [string[]]$Servers = @(),
    [switch]$ReadOnly,
    [string]$SiteMode = '',
    [int]$TimeoutSeconds = 120
)
$ErrorActionPreference = 'Stop'
$script:FakeSitePath = Join-Path $PSScriptRoot 'FakeSite.ps1'
$script:TestCmharden = $Cmharden
$script:TestLab = $Lab
$script:TestFail = $Fail
$script:TestRemote = @{}
foreach ($r in $Remote) {
    if ($r -notmatch '^([^=]+)=(refused|unresolved|denied|timeout|drop:[0-9]+)$') {
        [Console]::Error.WriteLine("run-relay: -Remote '$r' is not SERVER=refused|unresolved|denied|timeout|drop:N")
        exit 64
    }
    $script:TestRemote[$Matches[1].ToUpper()] = $Matches[2]
}

# The lab's site server and its site systems (the computers of its Windows objects).
function Get-LabComputers {
    $out = & $script:TestCmharden --target "lab:$($script:TestLab)" snapshot 2>$null
    $hosts = New-Object System.Collections.ArrayList
    foreach ($line in $out) {
        if ($line -match "^  server: '?([^']+)'?$" -and $hosts.Count -eq 0) { [void]$hosts.Add($Matches[1].ToUpper()) }
        if ($line -match "^  mode: '?([a-z]+)'?$") { $script:LabMode = $Matches[1] }
        if ($line -match "^      (Server|SystemName): '([^']+)'$") {
            $h = $Matches[2].ToUpper()
            if (-not $hosts.Contains($h)) { [void]$hosts.Add($h) }
        }
    }
    return , $hosts
}
$script:LabMode = ''
$script:LabComputers = Get-LabComputers
# The site mode is the operator's to state (-SiteMode): the lab's.
if (-not $SiteMode) { $SiteMode = $script:LabMode }
if (-not $ComputerName) { $ComputerName = $script:LabComputers[0] }
if ($Servers.Count -eq 0) { $Servers = [string[]]$script:LabComputers.ToArray([string]) }

# The relay, dot-sourced: its functions and state, its main part not started.
$relayArgs = @{ ComputerName = $ComputerName; Servers = $Servers; ReadOnly = $ReadOnly; SiteMode = $SiteMode; TimeoutSeconds = $TimeoutSeconds }
. $Relay @relayArgs
Set-StrictMode -Version 2.0

$script:Runspaces = @{}
$script:Calls = @{}

function New-TransportError([string]$Message, [int]$Code) {
    $e = [System.Management.Automation.Remoting.PSRemotingTransportException]::new($Message)
    $e.ErrorCode = $Code
    return $e
}

# Through the serializer and back, as objects cross WinRM.
function Copy-Remoted($Value) {
    if ($null -eq $Value) { return $null }
    $xml = [System.Management.Automation.PSSerializer]::Serialize($Value, 10)
    return [System.Management.Automation.PSSerializer]::Deserialize($xml)
}

function Invoke-InRunspace($Runspace, [string]$Script, [object[]]$Arguments) {
    $ps = [powershell]::Create()
    $ps.Runspace = $Runspace
    [void]$ps.AddScript($Script)
    foreach ($a in $Arguments) { [void]$ps.AddArgument((Copy-Remoted $a)) }
    $async = $ps.BeginInvoke()
    if (-not $async.AsyncWaitHandle.WaitOne($script:TestTimeout * 1000)) {
        $ps.Stop()
        throw (New-TransportError 'The WinRM client cannot complete the operation within the time specified. Check if the machine name is valid and is reachable over the network and firewall exception for Windows Remote Management service is enabled.' 0)
    }
    $out = $ps.EndInvoke($async)
    $res = New-Object System.Collections.ArrayList
    foreach ($o in $out) { [void]$res.Add((Copy-Remoted $o)) }
    $ps.Dispose()
    return , $res
}
$script:TestTimeout = $TimeoutSeconds

# A runspace for a computer, with the simulated site behind it. PowerShell
# shares the classes of one script text between runspaces, so the site (one
# FakeLab, one `cmharden agent` behind it, the -Fail rules) is the process's;
# what is each computer's own is its contact points, which answer for that
# computer only: a read that needed a second hop is refused, as Kerberos would.
function New-SimulatedComputer([string]$Server) {
    $rs = [runspacefactory]::CreateRunspace()
    $rs.Open()
    $setup = {
        param([string]$FakeSite, [string]$Cmharden, [string]$Lab, [string[]]$Fail, [string]$Self)
        . $FakeSite
        if ($null -eq [FakeLab]::Current) {
            [FakeLab]::Current = [FakeLab]::new($Cmharden, $Lab)
            foreach ($rule in $Fail) {
                if ($rule -notmatch '^(wmi|registry|adsi|acl|certstore|server)/([^/]+)(/(.+))?=(AccessDenied|InvalidClass|InvalidNamespace|RpcUnavailable|Timeout)$') { throw "-Fail '$rule' is not CONTACT/SERVER[/WHAT]=ERROR" }
                $what = '*'
                if ($Matches[4]) { $what = $Matches[4] }
                [FakeLab]::Current.Failures.Add(@{ Contact = $Matches[1]; Server = $Matches[2]; What = $what; Error = $Matches[5] })
            }
            Register-FakeAccelerators
        }
        $script:ThisComputer = $Self
        function Assert-ThisComputer([string]$Computer) {
            if (-not $Computer -or $Computer -eq '.') { return }
            $c = $Computer.Split('.')[0].ToUpper()
            if ($c -ne $script:ThisComputer) {
                throw [System.UnauthorizedAccessException]::new("Access is denied. ($($script:ThisComputer) cannot reach ${Computer}: that would be a second hop)")
            }
        }
        $script:FakeContact = @{}
        foreach ($n in @('Invoke-WmiQuery', 'Connect-WmiNamespace', 'Open-RemoteHklm', 'Open-CertificateStore', 'Get-AdsiEntry', 'Get-PathAccessRules')) {
            $script:FakeContact[$n] = (Get-Item "function:$n").ScriptBlock
        }
        function Invoke-WmiQuery([string]$Computer, [string]$Namespace, [string]$Query) {
            Assert-ThisComputer $Computer
            return & $script:FakeContact['Invoke-WmiQuery'] $Computer $Namespace $Query
        }
        function Connect-WmiNamespace([string]$Computer, [string]$Namespace) {
            Assert-ThisComputer $Computer
            return & $script:FakeContact['Connect-WmiNamespace'] $Computer $Namespace
        }
        function Open-RemoteHklm([string]$Server) {
            Assert-ThisComputer $Server
            return & $script:FakeContact['Open-RemoteHklm'] $Server
        }
        function Open-CertificateStore([string]$Server, [string]$StoreName) {
            Assert-ThisComputer $Server
            return & $script:FakeContact['Open-CertificateStore'] $Server $StoreName
        }
        function Get-AdsiEntry([string]$Path) {
            if ($Path -match '^WinNT://([^,/]+)') { Assert-ThisComputer $Matches[1] }
            return & $script:FakeContact['Get-AdsiEntry'] $Path
        }
        function Get-PathAccessRules([string]$Path) {
            if ($Path -match '^\\\\([^\\]+)\\') { Assert-ThisComputer $Matches[1] }
            return & $script:FakeContact['Get-PathAccessRules'] $Path
        }
    }
    return @{ Runspace = $rs; Setup = $setup.ToString(); SetupArgs = @($script:FakeSitePath, $script:TestCmharden, $script:TestLab, $script:TestFail, $Server); Ready = $false }
}

# The seam, replaced.
function Invoke-RelayRemote([string]$Server, [scriptblock]$ScriptBlock, [object[]]$ArgumentList) {
    $key = (Get-ShortHost $Server)
    $what = $script:TestRemote[$key]
    if ($what -eq 'refused') {
        throw (New-TransportError "Connecting to remote server $Server failed with the following error message : The client cannot connect to the destination specified in the request. Verify that the service on the destination is running and is accepting requests." -2144108526)
    }
    if ($what -eq 'unresolved') {
        throw (New-TransportError "Connecting to remote server $Server failed with the following error message : WinRM cannot process the request. The following error occurred while using Kerberos authentication: Cannot find the computer $Server. Verify that the computer exists on the network and that the name provided is spelled correctly." -2146893053)
    }
    if ($what -eq 'denied') {
        throw (New-TransportError "Connecting to remote server $Server failed with the following error message : Access is denied." 5)
    }
    if ($what -eq 'timeout') {
        # A computer switched off: the connection waits, then gives up.
        Start-Sleep -Seconds 2
        throw (New-TransportError 'The WinRM client cannot complete the operation within the time specified.' 0)
    }
    if (-not $script:Runspaces.ContainsKey($key)) { $script:Runspaces[$key] = New-SimulatedComputer $key; $script:Calls[$key] = 0 }
    $c = $script:Runspaces[$key]
    if ($c.Ready) {
        $script:Calls[$key] += 1
        if ($what -and $what.StartsWith('drop:') -and $script:Calls[$key] -ge [int]$what.Substring(5)) {
            throw (New-TransportError "Processing data from remote server $Server failed with the following error message: The I/O operation has been aborted because of either a thread exit or an application request." 995)
        }
    }
    $out = Invoke-InRunspace $c.Runspace $ScriptBlock.ToString() $ArgumentList
    if (-not $c.Ready) {
        # The relay's first block loads the agent; the simulation replaces its contact points.
        [void](Invoke-InRunspace $c.Runspace $c.Setup $c.SetupArgs)
        $c.Ready = $true
    }
    return $out.ToArray()
}

try {
    Start-Relay
} finally {
    $first = $true
    foreach ($c in $script:Runspaces.Values) {
        if ($first -and $c.Ready) {
            try { [void](Invoke-InRunspace $c.Runspace '[FakeLab]::Current.Close()' @()) } catch { }
            $first = $false
        }
        $c.Runspace.Dispose()
    }
}
exit 0
