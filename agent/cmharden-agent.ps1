<#
.SYNOPSIS
    cmharden agent for Configuration Manager 2007 sites: speaks the cmharden agent
    protocol, version 1 (doc/agent-protocol.md), on standard input and output.

.DESCRIPTION
    Reads the site through the SMS Provider (root\sms\site_CODE via Get-WmiObject),
    and the Windows state of the site systems through the registry, Win32_Service,
    the IIS 6 metabase WMI provider (root\MicrosoftIISv2), file and share ACLs,
    local groups (ADSI WinNT://) and certificate stores, as the object model of
    doc/content-format.md names them. It changes nothing unless cmharden sends a
    'set' request or a 'run' of a fix script's apply or undo phase (the script's
    text comes from cmharden, its parameters are bound by name, never evaluated),
    and refuses both when started with -ReadOnly (a 'run' of capture still runs).

    With -Dump FILE it writes a snapshot of the site in the lab scenario format and
    exits: audit it offline with cmharden --target snapshot:FILE, or train on it
    with --target lab:FILE.

    Compatible with PowerShell 2.0 (Windows Server 2003 / 2008 site servers): no
    ConvertTo-Json, no PowerShell 3 syntax.

    STATUS: this script has NOT been run against a live Configuration Manager
    site. What runs where: cmharden's test suite runs it, unchanged, under
    PowerShell 7 on Linux with Set-StrictMode -Version 2.0, against a simulated
    Windows site built from each training lab (tests/powershell/): it touches
    Windows only through the functions under "Windows contact points" below, and
    the tests replace exactly those. Its results there equal the labs', fixes and
    undo through it round-trip, failures give the protocol's errors. PowerShell
    2.0 never ran it: a PowerShell parser checks that it uses nothing PowerShell
    2.0 lacks. Try it on a test site first, read-only (-ReadOnly).

.EXAMPLE
    From cmharden on an administrator's workstation:
    cmharden --target 'agent:ssh -o BatchMode=yes admin@cm01 powershell.exe -NoLogo -NoProfile -NonInteractive -ExecutionPolicy Bypass -File C:\cmharden\cmharden-agent.ps1 -ReadOnly' check

.EXAMPLE
    A snapshot for an offline audit:
    powershell.exe -NoProfile -File cmharden-agent.ps1 -Dump C:\temp\con.yaml -SiteMode mixed
#>
param(
    [string]$SiteCode = '',
    [string]$Provider = '.',
    [string[]]$Servers = @(),
    [switch]$ReadOnly,
    [string]$Dump = '',
    [string]$ScenarioName = '',
    [string]$SiteMode = '',
    [string]$SiteVersion = ''
)

Set-StrictMode -Version 2.0
$ErrorActionPreference = 'Stop'

$script:AgentVersion = '0.1.0'
$script:AgentName = 'cmharden-agent.ps1'
$script:ProtocolVersion = 1
$script:MaxLine = 1048576
$script:MaxBatch = 256
$script:Utf8 = New-Object System.Text.UTF8Encoding($false)
# For the parameters of 'run': bytes that are not UTF-8 are an error, not U+FFFD.
$script:Utf8Strict = New-Object System.Text.UTF8Encoding($false, $true)
$script:Invariant = [System.Globalization.CultureInfo]::InvariantCulture
$script:Namespace = ''
$script:Site = $null
$script:InitError = ''
$script:SiteSystems = $null

# Windows state the checks read (doc/content-format.md). Extend these tables to
# collect more; every entry becomes objects only where it exists.
$script:RegistryValues = @(
    @('SYSTEM\CurrentControlSet\Control\Terminal Server', 'fDenyTSConnections'),
    @('SOFTWARE\Policies\Microsoft\Windows NT\Terminal Services', 'fAllowToGetHelp'),
    @('SOFTWARE\Policies\Microsoft\Windows NT\Terminal Services', 'fAllowUnsolicited')
)
$script:ServiceNames = @('BITS', 'W3SVC', 'MSSQLSERVER', 'SMS_EXECUTIVE', 'SMS_SITE_COMPONENT_MANAGER',
    'CcmExec', 'WDSServer', 'WsusService', 'MSSQL$MICROSOFT##SSEE', 'IAS')
$script:CertificateStores = @('My', 'SMS')

# SMS Provider classes: the WMI class read, the properties that make the key.
$script:SmsClasses = @{
    'SMS_Site'                   = @{ Wmi = 'SMS_Site'; Key = @('SiteCode'); Filter = 'site' }
    'SMS_Package'                = @{ Wmi = 'SMS_PackageBaseClass'; Key = @('PackageID'); Filter = '' }
    'SMS_Program'                = @{ Wmi = 'SMS_Program'; Key = @('PackageID', 'ProgramName'); Filter = '' }
    'SMS_Advertisement'          = @{ Wmi = 'SMS_Advertisement'; Key = @('AdvertisementID'); Filter = '' }
    'SMS_Collection'             = @{ Wmi = 'SMS_Collection'; Key = @('CollectionID'); Filter = '' }
    'SMS_CollectionSettings'     = @{ Wmi = 'SMS_CollectionSettings'; Key = @('CollectionID'); Filter = '' }
    'SMS_PackageAccessByUsers'   = @{ Wmi = 'SMS_PackageAccessByUsers'; Key = @('PackageID', 'UserName'); Filter = '' }
    'SMS_UpdatesAssignment'      = @{ Wmi = 'SMS_UpdatesAssignment'; Key = @('AssignmentID'); Filter = '' }
    'SMS_ConfigurationItem'      = @{ Wmi = 'SMS_ConfigurationItem'; Key = @('CI_ID'); Filter = '' }
    'SMS_AMTCertificate'         = @{ Wmi = 'SMS_AMTCertificate'; Key = @('CertID'); Filter = '' }
    'SMS_G_System_CollectedFile' = @{ Wmi = 'SMS_G_System_CollectedFile'; Key = @('FileID'); Filter = '' }
    'SMS_R_System'               = @{ Wmi = 'SMS_R_System'; Key = @('ResourceID'); Filter = '' }
    'SMS_SCI_ClientComp'         = @{ Wmi = 'SMS_SCI_ClientComp'; Key = @('ItemName'); Filter = 'site' }
    'SMS_SCI_Component'          = @{ Wmi = 'SMS_SCI_Component'; Key = @(); Filter = 'site' }
    'SMS_SCI_SysResUse'          = @{ Wmi = 'SMS_SCI_SysResUse'; Key = @(); Filter = 'site' }
}
# Package classes read one by one if SMS_PackageBaseClass cannot be queried.
$script:PackageClasses = @('SMS_Package', 'SMS_TaskSequencePackage', 'SMS_SoftwareUpdatesPackage',
    'SMS_ImagePackage', 'SMS_BootImagePackage', 'SMS_DriverPackage')

# ---------------------------------------------------------------------------
# Values: @{ K = kind; V = data } with kind n (null), b, i (Int64), s, l (string[]).

function New-Value([string]$Kind, $Data) {
    return @{ K = $Kind; V = $Data }
}

function Format-Invariant($Number) {
    return ([System.IFormattable]$Number).ToString($null, $script:Invariant)
}

# CIM DATETIME (DMTF, "yyyymmddHHMMSS.mmmmmmsUUU", UUU the offset from UTC in
# minutes) to ISO 8601 UTC. Text that is not such a date (an interval, asterisks
# for unknown fields) is passed on as it is.
function ConvertFrom-DmtfDate([string]$Text) {
    if ($Text -cnotmatch '^([0-9]{14})\.([0-9]{6})([+-])([0-9]{3})\z') { return $Text }
    $local = [datetime]::MinValue
    if (-not [datetime]::TryParseExact($Matches[1], 'yyyyMMddHHmmss', $script:Invariant,
            [System.Globalization.DateTimeStyles]::None, [ref]$local)) { return $Text }
    $offset = [int]$Matches[4]
    if ($Matches[3] -eq '-') { $offset = -$offset }
    $utc = $local.AddMinutes(-$offset)
    return $utc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", $script:Invariant)
}

# ISO 8601 text to CIM DATETIME in UTC (offset +000).
function ConvertTo-DmtfDate([string]$Text) {
    $d = [datetime]::Parse($Text, $script:Invariant, [System.Globalization.DateTimeStyles]'AdjustToUniversal, AssumeUniversal')
    return $d.ToString('yyyyMMddHHmmss', $script:Invariant) + '.000000+000'
}

function ConvertTo-AgentValue($Data, [string]$CimType) {
    if ($null -eq $Data) { return New-Value 'n' $null }
    if ($Data -is [System.Array]) {
        $items = New-Object System.Collections.ArrayList
        foreach ($x in $Data) {
            $v = ConvertTo-AgentValue $x $CimType
            if ($v.K -eq 'n') { continue }
            if ($v.K -eq 'b') {
                if ($v.V) { [void]$items.Add('true') } else { [void]$items.Add('false') }
            } elseif ($v.K -eq 'i') {
                [void]$items.Add((Format-Invariant $v.V))
            } else {
                [void]$items.Add([string]$v.V)
            }
        }
        return New-Value 'l' ([string[]]$items.ToArray([string]))
    }
    if ($CimType -eq 'DateTime' -and $Data -is [string]) { return New-Value 's' (ConvertFrom-DmtfDate $Data) }
    if ($Data -is [bool]) { return New-Value 'b' ([bool]$Data) }
    if ($Data -is [byte] -or $Data -is [sbyte] -or $Data -is [int16] -or $Data -is [uint16] -or
        $Data -is [int32] -or $Data -is [uint32] -or $Data -is [int64]) {
        return New-Value 'i' ([int64]$Data)
    }
    if ($Data -is [uint64]) {
        if ($Data -le [uint64][int64]::MaxValue) { return New-Value 'i' ([int64]$Data) }
        return New-Value 's' (Format-Invariant $Data)
    }
    if ($Data -is [datetime]) {
        return New-Value 's' ($Data.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", $script:Invariant))
    }
    if ($Data -is [double] -or $Data -is [single] -or $Data -is [decimal]) {
        return New-Value 's' (Format-Invariant $Data)
    }
    return New-Value 's' ([string]$Data)
}

# ---------------------------------------------------------------------------
# Site objects: @{ Class; Key; Props = ArrayList of @{ N = name; V = value }; Wmi }.

# [ArrayList]@() rather than New-Object: a cmdlet call costs a hundred times
# more, and this runs for every object of the site.
function New-SiteObject([string]$Class, [string]$Key) {
    return @{ Class = $Class; Key = $Key; Props = [System.Collections.ArrayList]@(); Wmi = $null }
}

function Add-Prop($Obj, [string]$Name, $Value) {
    [void]$Obj.Props.Add(@{ N = $Name; V = $Value })
}

function Get-Prop($Obj, [string]$Name) {
    foreach ($p in $Obj.Props) {
        if ($p.N -eq $Name) { return $p.V }
    }
    return $null
}

function Get-PropText($Obj, [string]$Name) {
    $v = Get-Prop $Obj $Name
    if ($null -eq $v -or $null -eq $v.V) { return '' }
    if ($v.K -eq 'i') { return (Format-Invariant $v.V) }
    return [string]$v.V
}

# The server inside a UNC or NAL path: \\SRV01\share and ["Display=\\SRV01\"]MSWNET:[...]\\SRV01\ give SRV01.
function Get-HostOfPath([string]$Path) {
    if (-not $Path) { return '' }
    $i = $Path.LastIndexOf('\\')
    if ($i -lt 0) { return '' }
    $rest = $Path.Substring($i + 2)
    $j = $rest.IndexOf('\')
    if ($j -ge 0) { $rest = $rest.Substring(0, $j) }
    return $rest
}

function Get-ShortHost([string]$Name) {
    $i = $Name.IndexOf('.')
    if ($i -gt 0) { return $Name.Substring(0, $i).ToUpper() }
    return $Name.ToUpper()
}

# WMI objects of an SMS Provider class to site objects, added to $Out: every
# property converted (the embedded arrays of site-control items flattened to
# Props[Name].Value|Value1|Value2, PropLists[Name] and RegMultiStringLists[Name]),
# the properties ordered, the key set. One call converts the whole class: this
# runs for every object of the site, and a PowerShell function call, cmdlet or
# pipeline costs more than converting a whole object, so the common path of the
# loop below makes none.
function ConvertFrom-WmiObjects($Wmis, [string]$Class, $Out) {
    $sci = $Class -like 'SMS_SCI_*'
    $ownKey = $Class -eq 'SMS_SCI_Component' -or $Class -eq 'SMS_SCI_SysResUse'
    # The key is made of at most two properties (SmsClasses); their values are
    # caught as the loop passes them.
    $keyNames = @($script:SmsClasses[$Class].Key)
    $k0 = $null
    $k1 = $null
    if ($keyNames.Length -gt 0) { $k0 = $keyNames[0] }
    if ($keyNames.Length -gt 1) { $k1 = $keyNames[1] }
    if ($keyNames.Length -gt 2) { throw "internal error: the key of $Class has more than two properties" }
    $folded = $script:FoldedNames
    $inv = $script:Invariant
    foreach ($w in $Wmis) {
        # Site-control items carry their embedded arrays only on a full read of the instance.
        if ($sci) { $w.psbase.Get() }
        $props = [System.Collections.ArrayList]@()
        $obj = @{ Class = $Class; Key = ''; Props = $props; Wmi = $w }
        $v0 = $null
        $v1 = $null
        # Whether the provider gave the properties in the order they are sent in
        # (WMI gives them by name): then there is nothing to sort.
        $ordered = $true
        $last = ''
        foreach ($p in $w.psbase.Properties) {
            $name = [string]$p.Name
            $val = $p.Value
            $cim = [string]$p.Type
            if ($cim -eq 'Object') {
                Add-EmbeddedProps $obj $name $val
                $ordered = $false
                continue
            }
            if ($null -eq $val) { $v = @{ K = 'n'; V = $null } }
            elseif ($val -is [string]) {
                if ($cim -eq 'DateTime') { $v = @{ K = 's'; V = (ConvertFrom-DmtfDate $val) } }
                else { $v = @{ K = 's'; V = $val } }
            }
            elseif ($val -is [uint32] -or $val -is [int32]) { $v = @{ K = 'i'; V = [int64]$val } }
            elseif ($val -is [bool]) { $v = @{ K = 'b'; V = $val } }
            else { $v = ConvertTo-AgentValue $val $cim }
            [void]$props.Add(@{ N = $name; V = $v })
            if ($null -eq $v0 -and $name -eq $k0) { $v0 = $v }
            elseif ($null -eq $v1 -and $name -eq $k1) { $v1 = $v }
            if ($ordered) {
                $f = $folded[$name]
                if ($null -eq $f) { $f = Get-FoldedName $name; $folded[$name] = $f }
                if ([string]::CompareOrdinal($last, $f) -gt 0) { $ordered = $false }
                $last = $f
            }
        }
        if (-not $ordered) { Sort-Props $props }
        if ($ownKey) {
            Set-SmsKey $obj
        } else {
            # The key properties' text (Get-PropText), joined by '/'.
            $key = ''
            if ($null -ne $v0 -and $null -ne $v0.V) {
                if ($v0.K -eq 'i') { $key = ([int64]$v0.V).ToString($inv) } else { $key = [string]$v0.V }
            }
            if ($null -ne $k1) {
                $t = ''
                if ($null -ne $v1 -and $null -ne $v1.V) {
                    if ($v1.K -eq 'i') { $t = ([int64]$v1.V).ToString($inv) } else { $t = [string]$v1.V }
                }
                $key = $key + '/' + $t
            }
            $obj.Key = $key
        }
        [void]$Out.Add($obj)
    }
}

# One object's properties in order (Sort-Props), for the readers of Windows
# state, which give them in their own order.
function Set-PropOrder($Obj) {
    Sort-Props $Obj.Props
}

# Properties in the order of their names with ASCII letters folded (as
# cmharden's labs and snapshots order them), whatever order the provider gives
# them in: the same object always reads the same (evidence columns, snapshots,
# diffs). Sorts the ArrayList in place.
function Sort-Props([System.Collections.ArrayList]$Props) {
    $n = $Props.Count
    if ($n -lt 2) { return }
    $items = $Props.ToArray()
    $names = [Array]::CreateInstance([string], $n)
    $folded = $script:FoldedNames
    for ($i = 0; $i -lt $n; $i++) {
        $name = [string]$items[$i].N
        $f = $folded[$name]
        if ($null -eq $f) { $f = Get-FoldedName $name; $folded[$name] = $f }
        $names[$i] = $f
    }
    [Array]::Sort([Array]$names, [Array]$items, [System.Collections.IComparer][StringComparer]::Ordinal)
    $Props.Clear()
    $Props.AddRange($items)
}

# A property of type Object: the embedded arrays of site-control items and the
# collection variables; other embedded objects are not carried.
function Add-EmbeddedProps($Obj, [string]$Name, $Val) {
    if ($Name -eq 'CollectionVariables') {
        $cv = Get-CollectionVariableList $Obj.Wmi
        if ($null -ne $cv) { Add-Prop $Obj $Name $cv }
        return
    }
    if ($null -eq $Val) { return }
    if ($Name -eq 'Props') {
        foreach ($e in @($Val)) {
            if ($null -eq $e) { continue }
            $pn = [string]$e.psbase.GetPropertyValue('PropertyName')
            # The usual kinds inline (a site-control item has dozens of these).
            $x = $e.psbase.GetPropertyValue('Value')
            if ($null -eq $x) { $v = @{ K = 'n'; V = $null } }
            elseif ($x -is [uint32] -or $x -is [int32]) { $v = @{ K = 'i'; V = [int64]$x } }
            else { $v = ConvertTo-AgentValue $x 'UInt32' }
            [void]$Obj.Props.Add(@{ N = "Props[$pn].Value"; V = $v })
            foreach ($f in @('Value1', 'Value2')) {
                $x = $e.psbase.GetPropertyValue($f)
                if ($null -eq $x) { $v = @{ K = 'n'; V = $null } }
                elseif ($x -is [string]) { $v = @{ K = 's'; V = $x } }
                else { $v = ConvertTo-AgentValue $x 'String' }
                [void]$Obj.Props.Add(@{ N = "Props[$pn].$f"; V = $v })
            }
        }
    } elseif ($Name -eq 'PropLists') {
        foreach ($e in @($Val)) {
            if ($null -eq $e) { continue }
            $ln = [string]$e.psbase.GetPropertyValue('PropertyListName')
            Add-Prop $Obj "PropLists[$ln]" (ConvertTo-AgentValue @($e.psbase.GetPropertyValue('Values')) 'String')
        }
    } elseif ($Name -eq 'RegMultiStringLists') {
        foreach ($e in @($Val)) {
            if ($null -eq $e) { continue }
            $ln = [string]$e.psbase.GetPropertyValue('ValueName')
            Add-Prop $Obj "RegMultiStringLists[$ln]" (ConvertTo-AgentValue @($e.psbase.GetPropertyValue('ValueStrings')) 'String')
        }
    }
}

# Property names with their ASCII capitals made small, by name (ordinal: names
# that differ in case are different names).
$script:FoldedNames = New-Object System.Collections.Hashtable([StringComparer]::Ordinal)

# A property name with its ASCII capitals made small (C's strcasecmp order when
# compared ordinally); other characters stay as they are.
function Get-FoldedName([string]$Name) {
    if ($Name -cnotmatch '[A-Z]') { return $Name }
    if ($Name -cmatch '^[\x00-\x7F]*\z') { return $Name.ToLowerInvariant() }
    $c = $Name.ToCharArray()
    for ($i = 0; $i -lt $c.Length; $i++) { $k = [int]$c[$i]; if ($k -ge 65 -and $k -le 90) { $c[$i] = [char]($k + 32) } }
    return New-Object string(,$c)
}

function Set-SmsKey($Obj) {
    $cls = $Obj.Class
    if ($cls -eq 'SMS_SCI_Component') {
        $item = Get-PropText $Obj 'ItemName'
        $srv = ''
        $bar = $item.IndexOf('|')
        if ($bar -ge 0) { $srv = Get-ShortHost $item.Substring($bar + 1) }
        $Obj.Key = (Get-PropText $Obj 'ComponentName') + '/' + $srv
        return
    }
    if ($cls -eq 'SMS_SCI_SysResUse') {
        $Obj.Key = (Get-PropText $Obj 'RoleName') + '/' + (Get-ShortHost (Get-HostOfPath (Get-PropText $Obj 'NALPath')))
        return
    }
    # Get-PropText of each key property, inline: this runs for every object.
    $key = ''
    $first = $true
    foreach ($k in $script:SmsClasses[$cls].Key) {
        $t = ''
        foreach ($p in $Obj.Props) {
            if ($p.N -eq $k) {
                $v = $p.V
                if ($null -ne $v -and $null -ne $v.V) {
                    if ($v.K -eq 'i') { $t = ([int64]$v.V).ToString($script:Invariant) } else { $t = [string]$v.V }
                }
                break
            }
        }
        if ($first) { $key = $t; $first = $false } else { $key = $key + '/' + $t }
    }
    $Obj.Key = $key
}

function Format-WqlString([string]$Text) {
    return "'" + $Text.Replace('\', '\\').Replace("'", "\'") + "'"
}

function Get-SmsWmi([string]$WmiClass, [string]$Where) {
    $q = "SELECT * FROM $WmiClass"
    if ($Where) { $q = "$q WHERE $Where" }
    return @(Invoke-WmiQuery $script:Provider $script:Namespace $q)
}

function Test-InvalidClass($ErrorRecord) {
    return (Get-WmiStatus $ErrorRecord.Exception) -eq 'InvalidClass'
}

function Test-InvalidNamespace($ErrorRecord) {
    return (Get-WmiStatus $ErrorRecord.Exception) -eq 'InvalidNamespace'
}

# Every object of an SMS Provider class, added to $Out; of a class not read
# per site, $Where (WQL) may select some (the provider then filters them).
function Read-SmsClass([string]$Class, $Out, [string]$Where = '') {
    $def = $script:SmsClasses[$Class]
    $where = $Where
    if ($def.Filter -eq 'site') {
        if ($Where) { throw "internal error: $Class is read per site, whole" }
        $where = 'SiteCode = ' + (Format-WqlString $script:SiteCode)
    }
    $wmis = $null
    if ($Class -eq 'SMS_Package') {
        try {
            $wmis = @(Get-SmsWmi $def.Wmi $where)
        } catch {
            if (-not (Test-InvalidClass $_)) { throw }
            $all = New-Object System.Collections.ArrayList
            foreach ($pc in $script:PackageClasses) {
                try {
                    foreach ($w in @(Get-SmsWmi $pc $where)) { [void]$all.Add($w) }
                } catch {
                    if (-not (Test-InvalidClass $_)) { throw }
                }
            }
            $wmis = $all.ToArray()
        }
    } else {
        $wmis = @(Get-SmsWmi $def.Wmi $where)
    }
    # @() throughout: in PowerShell 2.0, foreach over $null runs once.
    ConvertFrom-WmiObjects $wmis $Class $Out
}

# ---------------------------------------------------------------------------
# Windows contact points. These functions, and nothing else in this agent, touch
# Windows: WMI, ADSI, the registry, ACLs and certificate stores. The test suite
# runs the agent under PowerShell 7 against a simulated site by replacing exactly
# these functions (tests/powershell/FakeSite.ps1); every other line runs as it
# would on a site server. Each returns or throws what Windows gives.

# Every WQL read: the objects, as Get-WmiObject returns them.
function Invoke-WmiQuery([string]$Computer, [string]$Namespace, [string]$Query) {
    return @(Get-WmiObject -ComputerName $Computer -Namespace $Namespace -Query $Query -ErrorAction Stop)
}

# The ManagementStatus of a WMI failure ('InvalidClass', 'AccessDenied' ...), or
# '' when the exception did not come from WMI.
function Get-WmiStatus($Exception) {
    if ($Exception -is [System.Management.ManagementException]) { return [string]$Exception.ErrorCode }
    return ''
}

# A WMI namespace, connected, for the calls that need a context.
function Connect-WmiNamespace([string]$Computer, [string]$Namespace) {
    $scope = New-Object System.Management.ManagementScope("\\$Computer\$Namespace")
    $scope.Connect()
    return $scope
}

function New-WmiContext([hashtable]$Context) {
    $ctx = New-Object System.Management.ManagementNamedValueCollection
    foreach ($k in $Context.Keys) { $ctx.Add($k, $Context[$k]) }
    return $ctx
}

# A class (a path without '=') or an instance, read in full with the context.
function Get-WmiPathObject($Scope, [string]$Path, [hashtable]$Context) {
    $opts = New-Object System.Management.ObjectGetOptions((New-WmiContext $Context))
    $mp = New-Object System.Management.ManagementPath($Path)
    if ($Path.IndexOf('=') -lt 0) { return New-Object System.Management.ManagementClass($Scope, $mp, $opts) }
    $o = New-Object System.Management.ManagementObject($Scope, $mp, $opts)
    $o.Get()
    return $o
}

# A method of a class or an instance, with named in-parameters and the context;
# the out-parameters object (ReturnValue and the [out] parameters).
function Invoke-WmiObjectMethod($Target, [string]$Method, [hashtable]$In, [hashtable]$Context) {
    $inParams = $null
    if ($In.Count -gt 0) {
        $inParams = $Target.GetMethodParameters($Method)
        foreach ($k in $In.Keys) { $inParams.psbase.SetPropertyValue($k, $In[$k]) }
    }
    $opts = New-Object System.Management.InvokeMethodOptions((New-WmiContext $Context), [System.TimeSpan]::MaxValue)
    return $Target.InvokeMethod($Method, $inParams, $opts)
}

# Put of an instance that exists, with the context.
function Save-WmiPathObject($Object, [hashtable]$Context) {
    $put = New-Object System.Management.PutOptions
    $put.Context = New-WmiContext $Context
    $put.Type = [System.Management.PutType]::UpdateOnly
    [void]$Object.psbase.Put($put)
}

# An ADSI object (WinNT:// paths).
function Get-AdsiEntry([string]$Path) {
    return [ADSI]$Path
}

# HKEY_LOCAL_MACHINE of a server, through the remote registry service.
function Open-RemoteHklm([string]$Server) {
    if (Test-LocalServer $Server) { return [Microsoft.Win32.Registry]::LocalMachine }
    return [Microsoft.Win32.RegistryKey]::OpenRemoteBaseKey([Microsoft.Win32.RegistryHive]::LocalMachine, $Server)
}

# The access rules of a file or folder (Get-Acl), each with FileSystemRights,
# AccessControlType and IdentityReference.
function Get-PathAccessRules([string]$Path) {
    return @((Get-Acl -LiteralPath $Path).Access)
}

# A LocalMachine certificate store of a server, opened read-only; $null when the
# store does not exist there. Any other failure is thrown.
function Open-CertificateStore([string]$Server, [string]$StoreName) {
    $name = $StoreName
    if (-not (Test-LocalServer $Server)) { $name = '\\' + $Server + '\' + $StoreName }
    $store = New-Object System.Security.Cryptography.X509Certificates.X509Store($name, [System.Security.Cryptography.X509Certificates.StoreLocation]::LocalMachine)
    try {
        $store.Open([System.Security.Cryptography.X509Certificates.OpenFlags]'ReadOnly, OpenExistingOnly')
    } catch {
        $e = $_.Exception
        while ($null -ne $e.InnerException) { $e = $e.InnerException }
        # ERROR_FILE_NOT_FOUND: no such store on that server.
        if ($e.HResult -eq -2147024894) { return $null }
        throw "certificate store $name cannot be opened: $($e.Message)"
    }
    return $store
}

# The status of each element of the certificate's chain, checked online
# ('Revoked', 'RevocationStatusUnknown', 'OfflineRevocation' ...).
function Get-ChainStatus($Cert) {
    $chain = New-Object System.Security.Cryptography.X509Certificates.X509Chain
    $chain.ChainPolicy.RevocationMode = [System.Security.Cryptography.X509Certificates.X509RevocationMode]::Online
    $chain.ChainPolicy.UrlRetrievalTimeout = New-Object System.TimeSpan(0, 0, 10)
    [void]$chain.Build($Cert)
    $out = New-Object System.Collections.ArrayList
    foreach ($st in $chain.ChainStatus) { [void]$out.Add([string]$st.Status) }
    return [string[]]$out.ToArray([string])
}

# The fix scripts (fixes/scripts/) reach Windows through these too (and
# Invoke-WmiQuery), so that the same replacement covers them.

# The binary SID of an account, DOMAIN\name or a name, as Windows resolves it;
# throws IdentityNotMappedException for an account that does not exist.
function Resolve-AccountSid([string]$Account) {
    $b = $Account.IndexOf('\')
    if ($b -ge 0) {
        $nt = New-Object System.Security.Principal.NTAccount($Account.Substring(0, $b), $Account.Substring($b + 1))
    } else {
        $nt = New-Object System.Security.Principal.NTAccount($Account)
    }
    $sid = $nt.Translate([System.Security.Principal.SecurityIdentifier])
    $bytes = New-Object byte[] $sid.BinaryLength
    $sid.GetBinaryForm($bytes, 0)
    return ,$bytes
}

# A new, empty instance of a class of a server's root\cimv2 (Win32_ACE,
# Win32_Trustee), to fill and pass to a method.
function New-WmiInstance([string]$Server, [string]$Class) {
    return ([WMIClass]('\\' + $Server + '\root\cimv2:' + $Class)).CreateInstance()
}

# An ArrayList of WMI objects as the typed array an array-of-objects property
# takes (Win32_SecurityDescriptor.DACL).
function ConvertTo-WmiObjectArray($List) {
    return ,([System.Management.ManagementBaseObject[]]$List.ToArray([System.Management.ManagementBaseObject]))
}

# ---------------------------------------------------------------------------
# Windows state of the site systems.

function Get-SiteSystems {
    if ($null -ne $script:SiteSystems) { return $script:SiteSystems }
    $list = New-Object System.Collections.ArrayList
    if ($Servers.Count -gt 0) {
        # By NetBIOS name, as the site names them (CM01, not CM01.contoso.com):
        # the objects' Server and keys are then the same whichever form was given.
        foreach ($s in $Servers) {
            $h = Get-ShortHost $s
            if (-not $list.Contains($h)) { [void]$list.Add($h) }
        }
    } else {
        [void]$list.Add((Get-ShortHost $script:Site.Server))
        $roles = New-Object System.Collections.ArrayList
        Read-SmsClass 'SMS_SCI_SysResUse' $roles
        foreach ($r in $roles) {
            $h = Get-HostOfPath (Get-PropText $r 'NALPath')
            if ($h) {
                $h = Get-ShortHost $h
                if (-not $list.Contains($h)) { [void]$list.Add($h) }
            }
        }
    }
    $script:SiteSystems = [string[]]$list.ToArray([string])
    return $script:SiteSystems
}

function Test-LocalServer([string]$Server) {
    return ($Server -eq '.') -or ($Server -eq $env:COMPUTERNAME)
}

# The group's SID as text (S-1-5-32-555): built-in groups carry localized names
# (Remotedesktopbenutzer, Utilisateurs du Bureau a distance), their well-known SID
# does not change. Empty when the directory does not give it.
function Get-GroupSid($Group) {
    $prop = $Group.psbase.Properties['objectSid']
    if ($null -eq $prop -or $null -eq $prop.Value) { return '' }
    return (ConvertFrom-SidBytes ([byte[]]$prop.Value))
}

# A binary SID (revision, sub-authority count, 48-bit big-endian authority,
# 32-bit little-endian sub-authorities) as text, without SecurityIdentifier,
# which only exists on Windows. Empty for bytes that are not a whole SID.
function ConvertFrom-SidBytes([byte[]]$Bytes) {
    if ($null -eq $Bytes -or $Bytes.Length -lt 8) { return '' }
    $count = [int]$Bytes[1]
    if ($Bytes.Length -ne 8 + 4 * $count) { return '' }
    [uint64]$authority = 0
    for ($i = 2; $i -lt 8; $i++) { $authority = $authority * 256 + $Bytes[$i] }
    $sb = New-Object System.Text.StringBuilder
    [void]$sb.Append('S-').Append([string]$Bytes[0]).Append('-').Append([string]$authority)
    for ($k = 0; $k -lt $count; $k++) {
        $at = 8 + 4 * $k
        [uint64]$sub = [uint64]$Bytes[$at] + 256 * ([uint64]$Bytes[$at + 1] + 256 * ([uint64]$Bytes[$at + 2] + 256 * [uint64]$Bytes[$at + 3]))
        [void]$sb.Append('-').Append([string]$sub)
    }
    return $sb.ToString()
}

function Read-LocalGroup($Out) {
    foreach ($srv in @(Get-SiteSystems)) {
        # A server that cannot be read is that server's error; the others still arrive.
        $part = New-Object System.Collections.ArrayList
        try {
            $computer = Get-AdsiEntry "WinNT://$srv,computer"
            foreach ($child in $computer.psbase.Children) {
                if ($child.psbase.SchemaClassName -ne 'group') { continue }
                $name = [string]$child.psbase.Name
                $members = New-Object System.Collections.ArrayList
                foreach ($m in @($child.psbase.Invoke('Members'))) {
                    $path = [string]$m.GetType().InvokeMember('ADsPath', 'GetProperty', $null, $m, $null)
                    $parts = $path.Substring(8).Split('/')
                    if ($parts.Length -ge 2) {
                        [void]$members.Add($parts[$parts.Length - 2] + '\' + $parts[$parts.Length - 1])
                    } else {
                        [void]$members.Add($parts[0])
                    }
                }
                $o = New-SiteObject 'LocalGroup' "$srv/$name"
                Add-Prop $o 'Server' (New-Value 's' $srv)
                Add-Prop $o 'Name' (New-Value 's' $name)
                Add-Prop $o 'Sid' (New-Value 's' (Get-GroupSid $child))
                Add-Prop $o 'Members' (New-Value 'l' ([string[]]$members.ToArray([string])))
                [void]$part.Add($o)
            }
        } catch {
            Add-ServerError $srv $_
            continue
        }
        $Out.AddRange($part)
    }
}

function Get-RegTypeName($Kind) {
    switch ([string]$Kind) {
        'String' { return 'REG_SZ' }
        'ExpandString' { return 'REG_EXPAND_SZ' }
        'DWord' { return 'REG_DWORD' }
        'QWord' { return 'REG_QWORD' }
        'MultiString' { return 'REG_MULTI_SZ' }
        'Binary' { return 'REG_BINARY' }
    }
    return 'REG_NONE'
}

function Read-Registry($Out) {
    foreach ($srv in @(Get-SiteSystems)) {
        # A server that cannot be read is that server's error; the others still arrive.
        $part = New-Object System.Collections.ArrayList
        try {
            $hklm = Open-RemoteHklm $srv
            foreach ($rv in $script:RegistryValues) {
                $sub = $hklm.OpenSubKey($rv[0], $false)
                if ($null -eq $sub) { continue }
                $vname = $rv[1]
                if (@($sub.GetValueNames()) -notcontains $vname) { $sub.Close(); continue }
                $kind = $sub.GetValueKind($vname)
                $raw = $sub.GetValue($vname, $null, [Microsoft.Win32.RegistryValueOptions]::DoNotExpandEnvironmentNames)
                $sub.Close()
                $val = $null
                if ([string]$kind -eq 'Binary') {
                    $hex = New-Object System.Text.StringBuilder
                    foreach ($b in $raw) { [void]$hex.Append(([byte]$b).ToString('X2')) }
                    $val = New-Value 's' $hex.ToString()
                } elseif ([string]$kind -eq 'DWord') {
                    $val = New-Value 'i' ([int64][int32]$raw -band 4294967295)
                } else {
                    $val = ConvertTo-AgentValue $raw ''
                }
                $key = 'HKLM\' + $rv[0]
                $o = New-SiteObject 'Registry' "$srv/$key/$vname"
                Add-Prop $o 'Server' (New-Value 's' $srv)
                Add-Prop $o 'Key' (New-Value 's' $key)
                Add-Prop $o 'Name' (New-Value 's' $vname)
                Add-Prop $o 'Type' (New-Value 's' (Get-RegTypeName $kind))
                Add-Prop $o 'Value' $val
                [void]$part.Add($o)
            }
        } catch {
            Add-ServerError $srv $_
            continue
        }
        $Out.AddRange($part)
    }
}

function Read-Service($Out) {
    $terms = New-Object System.Collections.ArrayList
    foreach ($n in $script:ServiceNames) { [void]$terms.Add('Name = ' + (Format-WqlString $n)) }
    $filter = [string]::Join(' OR ', [string[]]$terms.ToArray([string]))
    foreach ($srv in @(Get-SiteSystems)) {
        # A server that cannot be read is that server's error; the others still arrive.
        $part = New-Object System.Collections.ArrayList
        try {
            foreach ($s in @(Invoke-WmiQuery $srv 'root\cimv2' "SELECT * FROM Win32_Service WHERE $filter")) {
                $sys = [string]$s.SystemName
                $o = New-SiteObject 'Win32_Service' ($sys + '/' + [string]$s.Name)
                Add-Prop $o 'SystemName' (New-Value 's' $sys)
                Add-Prop $o 'Name' (New-Value 's' ([string]$s.Name))
                Add-Prop $o 'DisplayName' (New-Value 's' ([string]$s.DisplayName))
                Add-Prop $o 'StartMode' (New-Value 's' ([string]$s.StartMode))
                Add-Prop $o 'State' (New-Value 's' ([string]$s.State))
                [void]$part.Add($o)
            }
        } catch {
            Add-ServerError $srv $_
            continue
        }
        $Out.AddRange($part)
    }
}

# IIS 6 metabase through WMI. A server without the provider has no IIS objects.
function Get-IisSettings([string]$Server, [string]$Class) {
    try {
        return @(Invoke-WmiQuery $Server 'root\MicrosoftIISv2' "SELECT * FROM $Class")
    } catch {
        if (Test-InvalidNamespace $_) { return @() }
        throw
    }
}

function Format-Bindings($List, [bool]$Secure) {
    $out = New-Object System.Collections.ArrayList
    foreach ($b in @($List)) {
        if ($null -eq $b) { continue }
        $ip = [string]$b.psbase.GetPropertyValue('IP')
        $port = [string]$b.psbase.GetPropertyValue('Port')
        if ($Secure) {
            [void]$out.Add($ip + ':' + $port + ':')
        } else {
            [void]$out.Add($ip + ':' + $port + ':' + [string]$b.psbase.GetPropertyValue('Hostname'))
        }
    }
    return New-Value 'l' ([string[]]$out.ToArray([string]))
}

function Read-IisWebServer($Out) {
    foreach ($srv in @(Get-SiteSystems)) {
        # A server that cannot be read is that server's error; the others still arrive.
        $part = New-Object System.Collections.ArrayList
        try {
            foreach ($w in @(Get-IisSettings $srv 'IIsWebServerSetting')) {
                $name = [string]$w.Name
                $o = New-SiteObject 'IIsWebServer' "$srv/$name"
                Add-Prop $o 'Server' (New-Value 's' $srv)
                Add-Prop $o 'Name' (New-Value 's' $name)
                Add-Prop $o 'ServerComment' (New-Value 's' ([string]$w.ServerComment))
                Add-Prop $o 'ServerBindings' (Format-Bindings $w.ServerBindings $false)
                Add-Prop $o 'SecureBindings' (Format-Bindings $w.SecureBindings $true)
                $o.Wmi = $w
                [void]$part.Add($o)
            }
        } catch {
            Add-ServerError $srv $_
            continue
        }
        $Out.AddRange($part)
    }
}

function Get-AccessFlags($W) {
    # The metabase AccessFlags bits, from the documented boolean properties.
    $f = 0
    if ($W.AccessRead) { $f = $f -bor 1 }
    if ($W.AccessWrite) { $f = $f -bor 2 }
    if ($W.AccessExecute) { $f = $f -bor 4 }
    if ($W.AccessSource) { $f = $f -bor 16 }
    if ($W.AccessScript) { $f = $f -bor 512 }
    return $f
}

function Read-IisWebVirtualDir($Out) {
    foreach ($srv in @(Get-SiteSystems)) {
        # A server that cannot be read is that server's error; the others still arrive.
        $part = New-Object System.Collections.ArrayList
        try {
            foreach ($w in @(Get-IisSettings $srv 'IIsWebVirtualDirSetting')) {
                $name = [string]$w.Name
                $o = New-SiteObject 'IIsWebVirtualDir' "$srv/$name"
                Add-Prop $o 'Server' (New-Value 's' $srv)
                Add-Prop $o 'Name' (New-Value 's' $name)
                Add-Prop $o 'Path' (New-Value 's' ([string]$w.Path))
                Add-Prop $o 'AccessSSL' (New-Value 'b' ([bool]$w.AccessSSL))
                Add-Prop $o 'AccessFlags' (New-Value 'i' ([int64](Get-AccessFlags $w)))
                $o.Wmi = $w
                [void]$part.Add($o)
            }
        } catch {
            Add-ServerError $srv $_
            continue
        }
        $Out.AddRange($part)
    }
}

function Format-NtfsRights([int64]$Mask) {
    switch ($Mask -band 0x1F01FF) {
        0x1F01FF { return 'F' }
        0x1301BF { return 'M' }
        0x1200A9 { return 'RX' }
        0x120089 { return 'R' }
        0x100116 { return 'W' }
    }
    return '0x' + $Mask.ToString('X')
}

function Format-ShareRights([int64]$Mask) {
    switch ($Mask) {
        0x1F01FF { return 'Full' }
        0x1301BF { return 'Change' }
        0x1200A9 { return 'Read' }
    }
    return '0x' + $Mask.ToString('X')
}

function New-AclObject([string]$Server, [string]$Path, [string]$Kind, $Entries) {
    $o = New-SiteObject 'FileAcl' "$Server/$Path"
    Add-Prop $o 'Server' (New-Value 's' $Server)
    Add-Prop $o 'Path' (New-Value 's' $Path)
    Add-Prop $o 'Kind' (New-Value 's' $Kind)
    Add-Prop $o 'Entries' (New-Value 'l' ([string[]]$Entries.ToArray([string])))
    return $o
}

# NTFS permissions of a local path on a server (read through its admin share) or of a UNC path.
function Get-NtfsAcl([string]$Server, [string]$Path) {
    $target = $Path
    if ($Path -match '^[A-Za-z]:\\' -and -not (Test-LocalServer $Server)) {
        $target = '\\' + $Server + '\' + $Path.Substring(0, 1) + '$' + $Path.Substring(2)
    }
    $entries = New-Object System.Collections.ArrayList
    foreach ($r in @(Get-PathAccessRules $target)) {
        $rights = Format-NtfsRights ([int64]$r.FileSystemRights)
        if ([string]$r.AccessControlType -eq 'Deny') { $rights = '(DENY)' + $rights }
        [void]$entries.Add([string]$r.IdentityReference.Value + ':' + $rights)
    }
    return ,$entries
}

function Get-ShareAcl([string]$Server, [string]$Share) {
    $filter = 'Name = ' + (Format-WqlString $Share)
    $sec = @(Invoke-WmiQuery $Server 'root\cimv2' "SELECT * FROM Win32_LogicalShareSecuritySetting WHERE $filter")
    $entries = New-Object System.Collections.ArrayList
    if ($sec.Count -eq 0) { return ,$entries }
    $r = $sec[0].GetSecurityDescriptor()
    if ($r.ReturnValue -ne 0) { throw "GetSecurityDescriptor of share $Share on $Server returned $($r.ReturnValue)" }
    $sd = $r
    foreach ($ace in @($sd.Descriptor.DACL)) {
        if ($null -eq $ace) { continue }
        $t = $ace.Trustee
        $who = [string]$t.Name
        if ($t.Domain) { $who = [string]$t.Domain + '\' + $who }
        $rights = Format-ShareRights ([int64]$ace.AccessMask)
        if ([int]$ace.AceType -eq 1) { $rights = '(DENY)' + $rights }
        [void]$entries.Add($who + ':' + $rights)
    }
    return ,$entries
}

# Package shares of distribution points (SMSPKG<drive>$, share and NTFS
# permissions) and reporting point folders (from the IIS virtual directories
# that serve them) of one server; throws what the server throws. The relay
# runs it on the server itself.
function Read-FileAclOfServer([string]$Srv, $Out, $Seen) {
    foreach ($sh in @(Invoke-WmiQuery $Srv 'root\cimv2' 'SELECT * FROM Win32_Share WHERE Type = 0')) {
        $sn = [string]$sh.Name
        if ($sn -notlike 'SMSPKG*') { continue }
        $unc = '\\' + $Srv + '\' + $sn
        [void]$Out.Add((New-AclObject $Srv $unc 'share' (Get-ShareAcl $Srv $sn)))
        $Seen["$Srv/$unc"] = $true
        $local = [string]$sh.Path
        [void]$Out.Add((New-AclObject $Srv $local 'ntfs' (Get-NtfsAcl $Srv $local)))
        $Seen["$Srv/$local"] = $true
    }
    foreach ($w in @(Get-IisSettings $Srv 'IIsWebVirtualDirSetting')) {
        $n = [string]$w.Name
        if ($n -notlike '*SMSReporting_*' -and $n -notlike '*SMSComponent*') { continue }
        $p = [string]$w.Path
        if (-not $p -or $Seen.ContainsKey("$Srv/$p")) { continue }
        $Seen["$Srv/$p"] = $true
        [void]$Out.Add((New-AclObject $Srv $p 'ntfs' (Get-NtfsAcl $Srv $p)))
    }
}

# Folders the SMS Provider names: source folders of software update and
# operating system image packages, state migration point stores. Pairs of
# server and path.
function Get-FileAclPaths {
    $paths = New-Object System.Collections.ArrayList
    $pkgs = New-Object System.Collections.ArrayList
    # Only these two types name such folders: the provider selects them, so a
    # site's thousands of other packages are not read a second time.
    Read-SmsClass 'SMS_Package' $pkgs 'PackageType = 5 OR PackageType = 257'
    foreach ($p in $pkgs) {
        $type = Get-PropText $p 'PackageType'
        if ($type -ne '5' -and $type -ne '257') { continue }
        $src = Get-PropText $p 'PkgSourcePath'
        if (-not $src.StartsWith('\\')) { continue }
        [void]$paths.Add(@((Get-HostOfPath $src).ToUpper(), $src))
    }
    $roles = New-Object System.Collections.ArrayList
    Read-SmsClass 'SMS_SCI_SysResUse' $roles
    foreach ($r in $roles) {
        if ((Get-PropText $r 'RoleName') -ne 'SMS State Migration Point') { continue }
        $srv = Get-ShortHost (Get-HostOfPath (Get-PropText $r 'NALPath'))
        $dirs = Get-Prop $r 'PropLists[Directories]'
        if ($null -eq $dirs) { continue }
        foreach ($d in @($dirs.V)) {
            if ($d) { [void]$paths.Add(@($srv, [string]$d)) }
        }
    }
    return ,$paths
}

# The NTFS permissions of those folders, and the share permissions of the
# share that holds a folder given by a UNC path ("control access to the
# download location" means both; sum.download-location-acl asks about both);
# a folder or share that cannot be read is its server's error.
function Read-FileAclPaths($Paths, $Out, $Seen) {
    foreach ($pair in $Paths) {
        $srv = [string]$pair[0]
        $path = [string]$pair[1]
        if ($Seen.ContainsKey("$srv/$path")) { continue }
        $Seen["$srv/$path"] = $true
        try {
            [void]$Out.Add((New-AclObject $srv $path 'ntfs' (Get-NtfsAcl $srv $path)))
            Read-HoldingShareAcl $srv $path $Out $Seen
        } catch {
            Add-ServerError $srv $_
        }
    }
}

# The share permissions of \\HOST\SHARE of a UNC path, once, when that share
# exists on the server (a folder need not be reached through its own share).
function Read-HoldingShareAcl([string]$Srv, [string]$Path, $Out, $Seen) {
    if (-not $Path.StartsWith('\\')) { return }
    $parts = $Path.Split('\')
    if ($parts.Length -lt 4 -or -not $parts[3]) { return }
    $unc = '\\' + $parts[2] + '\' + $parts[3]
    if ($Seen.ContainsKey("$Srv/$unc")) { return }
    $Seen["$Srv/$unc"] = $true
    $name = $parts[3]
    $found = @(Invoke-WmiQuery $Srv 'root\cimv2' ('SELECT * FROM Win32_Share WHERE Name = ' + (Format-WqlString $name)))
    if ($found.Count -gt 0) { [void]$Out.Add((New-AclObject $Srv $unc 'share' (Get-ShareAcl $Srv $name))) }
}

function Read-FileAcl($Out) {
    $seen = @{}
    foreach ($srv in @(Get-SiteSystems)) {
        # A server that cannot be read is that server's error; the others still arrive.
        $part = New-Object System.Collections.ArrayList
        try {
            Read-FileAclOfServer $srv $part $seen
        } catch {
            Add-ServerError $srv $_
            continue
        }
        $Out.AddRange($part)
    }
    Read-FileAclPaths (Get-FileAclPaths) $Out $seen
}

function Get-TemplateName($Cert) {
    foreach ($ext in $Cert.Extensions) {
        $oid = [string]$ext.Oid.Value
        if ($oid -eq '1.3.6.1.4.1.311.20.2' -or $oid -eq '1.3.6.1.4.1.311.21.7') {
            $text = $ext.Format($false)
            if ($oid -eq '1.3.6.1.4.1.311.21.7' -and $text -match '^Template=([^(,]*)') { return $Matches[1].Trim() }
            return $text.Trim()
        }
    }
    return ''
}

function Test-Revoked($Cert) {
    # True or false when the chain could be checked; null when revocation is unknown.
    $unknown = $false
    foreach ($s in @(Get-ChainStatus $Cert)) {
        if ($s -eq 'Revoked') { return New-Value 'b' $true }
        if ($s -eq 'RevocationStatusUnknown' -or $s -eq 'OfflineRevocation') { $unknown = $true }
    }
    if ($unknown) { return New-Value 'n' $null }
    return New-Value 'b' $false
}

function Read-Certificate($Out) {
    foreach ($srv in @(Get-SiteSystems)) {
        # A server that cannot be read is that server's error; the others still arrive.
        $part = New-Object System.Collections.ArrayList
        try {
            foreach ($storeName in $script:CertificateStores) {
                # A store that cannot be opened is an error, never an empty list: no
                # certificates would read as "none to check". A store that does not
                # exist on the server (SMS on a server that is no site system) has none.
                $store = Open-CertificateStore $srv $storeName
                if ($null -eq $store) { continue }
                foreach ($c in @($store.Certificates)) {
                    $sname = 'LocalMachine\' + $storeName
                    $o = New-SiteObject 'Certificate' ($srv + '/' + $sname + '/' + $c.Thumbprint)
                    Add-Prop $o 'Server' (New-Value 's' $srv)
                    Add-Prop $o 'Store' (New-Value 's' $sname)
                    Add-Prop $o 'Subject' (New-Value 's' $c.Subject)
                    Add-Prop $o 'Issuer' (New-Value 's' $c.Issuer)
                    Add-Prop $o 'Thumbprint' (New-Value 's' $c.Thumbprint)
                    Add-Prop $o 'NotBefore' (ConvertTo-AgentValue $c.NotBefore '')
                    Add-Prop $o 'NotAfter' (ConvertTo-AgentValue $c.NotAfter '')
                    Add-Prop $o 'Template' (New-Value 's' (Get-TemplateName $c))
                    Add-Prop $o 'Revoked' (Test-Revoked $c)
                    [void]$part.Add($o)
                }
                $store.Close()
            }
        } catch {
            Add-ServerError $srv $_
            continue
        }
        $Out.AddRange($part)
    }
}

$script:WindowsReaders = @{
    'LocalGroup'       = 'Read-LocalGroup'
    'Registry'         = 'Read-Registry'
    'Win32_Service'    = 'Read-Service'
    'IIsWebServer'     = 'Read-IisWebServer'
    'IIsWebVirtualDir' = 'Read-IisWebVirtualDir'
    'FileAcl'          = 'Read-FileAcl'
    'Certificate'      = 'Read-Certificate'
}

function Test-KnownClass([string]$Class) {
    return $script:SmsClasses.ContainsKey($Class) -or $script:WindowsReaders.ContainsKey($Class)
}

# The site systems a Windows class could not be read on, during the last
# Read-Class: @{ Server; Message }, sent as 'servererror' lines.
$script:ServerErrors = New-Object System.Collections.ArrayList

function Add-ServerError([string]$Server, $ErrorRecord) {
    [void]$script:ServerErrors.Add(@{ Server = $Server; Message = (Get-ErrorText $ErrorRecord) })
}

# The key of a table as the table spells it ($Class in any case, as the
# protocol's class names are matched).
function Get-TableKey([hashtable]$Table, [string]$Class) {
    foreach ($k in $Table.Keys) { if ($k -eq $Class) { return $k } }
    return $Class
}

# Every object of a class, in an ArrayList. Throws when the class cannot be read
# at all; the servers it could not be read on are left in $script:ServerErrors.
function Read-Class([string]$Class) {
    $out = New-Object System.Collections.ArrayList
    $script:ServerErrors.Clear()
    if ($script:SmsClasses.ContainsKey($Class)) {
        Read-SmsClass (Get-TableKey $script:SmsClasses $Class) $out
    } else {
        $canon = Get-TableKey $script:WindowsReaders $Class
        & $script:WindowsReaders[$canon] $out
        foreach ($o in $out) { Set-PropOrder $o }
        $failed = @{}
        foreach ($e in $script:ServerErrors) { $failed[$e.Server] = $e.Message }
        $all = @(Get-SiteSystems)
        if ($all.Count -gt 0 -and $failed.Count -ge $all.Count) {
            $why = New-Object System.Collections.ArrayList
            foreach ($k in $all) { [void]$why.Add($k + ': ' + $failed[$k]) }
            $script:ServerErrors.Clear()
            throw ('no site system could be read: ' + [string]::Join('; ', [string[]]$why.ToArray([string])))
        }
    }
    return ,$out
}

function Find-SiteObject([string]$Class, [string]$Key) {
    foreach ($o in (Read-Class $Class)) {
        if ($o.Key -eq $Key) { return $o }
    }
    return $null
}

# ---------------------------------------------------------------------------
# Site information.

function Initialize-Site {
    if (-not $script:SiteCode) {
        $loc = @(Invoke-WmiQuery $Provider 'root\sms' 'SELECT * FROM SMS_ProviderLocation WHERE ProviderForLocalSite = TRUE')
        if ($loc.Count -lt 1) { throw "no SMS Provider for a local site on '$Provider' (give -SiteCode)" }
        $script:SiteCode = [string]$loc[0].SiteCode
    }
    $script:Namespace = 'root\sms\site_' + $script:SiteCode
    $s = @(Get-SmsWmi 'SMS_Site' ('SiteCode = ' + (Format-WqlString $script:SiteCode)))
    if ($s.Count -lt 1) { throw "site $($script:SiteCode) is not known to the SMS Provider on '$Provider'" }
    $build = [string]$s[0].Version
    $version = $SiteVersion
    if (-not $version) {
        # Service pack from the build number; R2 and R3 are add-ons the provider does not report.
        if ($build -like '4.00.6487*') { $version = '2007 SP2' }
        elseif ($build -like '4.00.6221*') { $version = '2007 SP1' }
        else { $version = '2007 RTM' }
    }
    $script:Site = @{
        Code = $script:SiteCode
        Name = [string]$s[0].SiteName
        Server = [string]$s[0].ServerName
        Version = $version
        Build = $build
        Mode = $SiteMode
    }
}

# ---------------------------------------------------------------------------
# The protocol: every field is percent-encoded UTF-8.

function Encode-Field([string]$Text) {
    if ($Text.Length -eq 0) { throw 'internal error: an empty field cannot be sent' }
    if ($Text -cmatch '^[!-$&-~]+\z') { return $Text }
    if ($Text -cmatch '^[ -~]+\z') { return $Text.Replace('%', '%25').Replace(' ', '%20') }
    $Text = $Text.Replace([char]0, [char]0xFFFD)
    $sb = New-Object System.Text.StringBuilder
    foreach ($b in $script:Utf8.GetBytes($Text)) {
        if ($b -gt 0x20 -and $b -lt 0x7F -and $b -ne 0x25) {
            [void]$sb.Append([char]$b)
        } else {
            [void]$sb.Append('%').Append(([byte]$b).ToString('X2'))
        }
    }
    return $sb.ToString()
}

function Decode-Field([string]$Field, [System.Text.Encoding]$Encoding = $script:Utf8) {
    if ($Field.IndexOf('%') -lt 0) { return $Field }
    $ms = New-Object System.IO.MemoryStream
    $i = 0
    while ($i -lt $Field.Length) {
        $c = $Field[$i]
        if ($c -eq '%') {
            if ($i + 2 -ge $Field.Length) { throw "column $($i + 1): '%' must be followed by two hexadecimal digits" }
            $hex = $Field.Substring($i + 1, 2)
            if ($hex -notmatch '^[0-9A-Fa-f]{2}\z') { throw "column $($i + 1): '%' must be followed by two hexadecimal digits" }
            $b = [Convert]::ToByte($hex, 16)
            if ($b -eq 0) { throw "column $($i + 1): %00 is not allowed" }
            $ms.WriteByte($b)
            $i += 3
        } else {
            $ms.WriteByte([byte][char]$c)
            $i += 1
        }
    }
    return $Encoding.GetString($ms.ToArray())
}

function Encode-Value($Value) {
    switch ($Value.K) {
        'n' { return 'n:' }
        'b' { if ($Value.V) { return 'b:1' } else { return 'b:0' } }
        'i' { return 'i:' + (Format-Invariant ([int64]$Value.V)) }
        's' { return 's:' + [string]$Value.V }
        'l' {
            $sb = New-Object System.Text.StringBuilder
            [void]$sb.Append('l:')
            foreach ($item in @($Value.V)) {
                # A NUL becomes U+FFFD when the field is encoded (fields never hold
                # NUL): counted as its three bytes, or the length would not match.
                $t = ([string]$item).Replace([char]0, [char]0xFFFD)
                [void]$sb.Append($script:Utf8.GetByteCount($t)).Append(':').Append($t)
            }
            return $sb.ToString()
        }
    }
    throw "unknown value kind '$($Value.K)'"
}

function Decode-Value([string]$Text) {
    if ($Text.Length -lt 2 -or $Text[1] -ne ':') { throw 'not a typed value' }
    $rest = $Text.Substring(2)
    switch -casesensitive ($Text[0]) {
        'n' { if ($rest) { throw 'a null value has no text' }; return New-Value 'n' $null }
        'b' {
            if ($rest -eq '1') { return New-Value 'b' $true }
            if ($rest -eq '0') { return New-Value 'b' $false }
            throw 'a boolean is b:0 or b:1'
        }
        'i' {
            if ($rest -notmatch '^-?[0-9]{1,19}\z') { throw 'not an integer' }
            return New-Value 'i' ([int64]::Parse($rest, $script:Invariant))
        }
        's' { return New-Value 's' $rest }
        'l' {
            $bytes = $script:Utf8.GetBytes($rest)
            $items = New-Object System.Collections.ArrayList
            $p = 0
            while ($p -lt $bytes.Length) {
                $n = 0
                $q = $p
                while ($q -lt $bytes.Length -and $bytes[$q] -ge 0x30 -and $bytes[$q] -le 0x39) {
                    $n = $n * 10 + ($bytes[$q] - 0x30)
                    $q += 1
                }
                if ($q -eq $p -or $q -ge $bytes.Length -or $bytes[$q] -ne 0x3A -or $q + 1 + $n -gt $bytes.Length) {
                    throw 'a list item is LENGTH:TEXT'
                }
                [void]$items.Add($script:Utf8.GetString($bytes, $q + 1, $n))
                $p = $q + 1 + $n
            }
            return New-Value 'l' ([string[]]$items.ToArray([string]))
        }
    }
    throw 'not a typed value'
}

function Add-Line([System.Text.StringBuilder]$Out, [string]$Verb, [string]$Id, [string[]]$Fields) {
    [void]$Out.Append($Verb).Append(' ').Append($Id)
    foreach ($f in $Fields) { [void]$Out.Append(' ').Append((Encode-Field $f)) }
    [void]$Out.Append("`n")
}

function Add-Error([System.Text.StringBuilder]$Out, [string]$Id, [int]$Code, [string]$Message) {
    if (-not $Message) { $Message = 'error' }
    Add-Line $Out 'error' $Id @([string]$Code, $Message)
}

function Get-ErrorText($ErrorRecord) {
    $e = $ErrorRecord.Exception
    while ($null -ne $e.InnerException -and -not $e.Message) { $e = $e.InnerException }
    return [string]$e.Message
}

# The 'obj' line of each object, appended to $Out with its LF. Returns the
# first object whose line would be longer than the protocol allows (its part
# line taken back out), else $null. One call for a whole class: see
# ConvertFrom-WmiObjects. Names and the common values need no encoding, so
# Encode-Field runs only for the rest.
function Add-ObjectLines([System.Text.StringBuilder]$Out, [string]$Id, $Objects) {
    $inv = $script:Invariant
    $max = $script:MaxLine
    foreach ($o in $Objects) {
        $start = $Out.Length
        $key = [string]$o.Key
        if (-not $key) { $key = '(no key)' }
        if ($key -cnotmatch '^[!-$&-~]+\z') {
            # Printable ASCII with spaces (a program's key): two replaces, as below.
            if ($key -cmatch '^[ -~]+\z') { $key = $key.Replace('%', '%25').Replace(' ', '%20') }
            else { $key = Encode-Field $key }
        }
        [void]$Out.Append('obj ').Append($Id).Append(' ').Append($key)
        foreach ($p in $o.Props) {
            $n = $p.N
            if ($n -cnotmatch '^[!-$&-~]+\z') { $n = Encode-Field $n }
            $v = $p.V
            $k = $v.K
            if ($k -ceq 's') { $t = 's:' + $v.V }
            elseif ($k -ceq 'i') { $t = 'i:' + ([int64]$v.V).ToString($inv) }
            elseif ($k -ceq 'n') { $t = 'n:' }
            elseif ($k -ceq 'b') { if ($v.V) { $t = 'b:1' } else { $t = 'b:0' } }
            else { $t = Encode-Value $v }
            if ($t -cnotmatch '^[!-$&-~]+\z') {
                # Printable ASCII with spaces (most text that needs encoding): two replaces.
                if ($t -cmatch '^[ -~]+\z') { $t = $t.Replace('%', '%25').Replace(' ', '%20') }
                else { $t = Encode-Field $t }
            }
            [void]$Out.Append(' ').Append($n).Append(' ').Append($t)
            if ($Out.Length - $start -gt $max) { $Out.Length = $start; return $o }
        }
        [void]$Out.Append("`n")
    }
    return $null
}

# One object's 'obj' line without its LF; $null when it is longer than the
# protocol allows.
function Format-ObjectLine([string]$Id, $Obj) {
    $sb = New-Object System.Text.StringBuilder
    if ($null -ne (Add-ObjectLines $sb $Id @($Obj))) { return $null }
    return $sb.ToString(0, $sb.Length - 1)
}

# Writes what the answer holds so far and empties it (in a session; otherwise
# the answer stays in $Out). A batch is sent class by class: memory holds one
# class's lines, not the whole answer, and every class resets the client's idle
# time-out.
$script:Stdout = $null
$script:Ascii = New-Object System.Text.ASCIIEncoding

function Send-Answer([System.Text.StringBuilder]$Out) {
    if ($null -eq $script:Stdout -or $Out.Length -eq 0) { return }
    $bytes = $script:Ascii.GetBytes($Out.ToString())
    $script:Stdout.Write($bytes, 0, $bytes.Length)
    $script:Stdout.Flush()
    $Out.Length = 0
}

function Write-Classes([System.Text.StringBuilder]$Out, [string]$Id, [string[]]$Classes) {
    foreach ($cls in $Classes) {
        if ($cls -cnotmatch '^[A-Za-z0-9_]+\z') { Add-Error $Out $Id 400 "'$cls' is not a class name"; return }
    }
    foreach ($cls in $Classes) {
        if (-not (Test-KnownClass $cls)) {
            Add-Line $Out 'classerror' $Id @($cls, '404', "this agent does not read $cls")
            continue
        }
        $part = New-Object System.Text.StringBuilder
        $count = 0
        $failure = ''
        $code = 503
        try {
            $objs = Read-Class $cls
            $big = Add-ObjectLines $part $Id $objs
            if ($null -ne $big) {
                # The key is site text of any size: the message names its start only.
                $k = [string]$big.Key
                if ($k.Length -gt 200) { $k = $k.Substring(0, 200) + '...' }
                $failure = "object '$k' is larger than the line limit"; $code = 413
            }
            $count = $objs.Count
        } catch {
            $failure = Get-ErrorText $_
        }
        if ($failure) {
            Add-Line $Out 'classerror' $Id @($cls, [string]$code, $failure)
        } else {
            Add-Line $Out 'class' $Id @($cls, [string]$count)
            [void]$Out.Append($part.ToString())
            foreach ($e in $script:ServerErrors) {
                Add-Line $Out 'servererror' $Id @($cls, $e.Server, '503', $e.Message)
            }
        }
        Send-Answer $Out
    }
    Add-Line $Out 'end' $Id @()
}

# ---------------------------------------------------------------------------
# Changes ('set'): SMS Provider instances with Put(), site-control items with the
# documented Refresh -> Put -> Commit sequence, registry values, and the SSL flag
# of IIS virtual directories. Everything else is refused (405).

$script:PlainSmsSetters = @('SMS_Package', 'SMS_Program', 'SMS_Advertisement', 'SMS_Collection',
    'SMS_CollectionSettings', 'SMS_PackageAccessByUsers', 'SMS_UpdatesAssignment')

function ConvertTo-CimValue($Value, [string]$CimType, [bool]$IsArray) {
    if ($Value.K -eq 'n') { return $null }
    if ($IsArray) {
        if ($Value.K -ne 'l') { throw "a list is expected" }
        return [string[]]$Value.V
    }
    switch ($CimType) {
        'Boolean' { if ($Value.K -ne 'b') { throw 'a boolean is expected' }; return [bool]$Value.V }
        'String' { if ($Value.K -ne 's') { throw 'a string is expected' }; return [string]$Value.V }
        'DateTime' {
            if ($Value.K -ne 's') { throw 'a date is expected' }
            return ConvertTo-DmtfDate ([string]$Value.V)
        }
    }
    if ($Value.K -ne 'i') { throw "an integer is expected for a property of type $CimType" }
    switch ($CimType) {
        'UInt8' { return [byte]$Value.V }
        'SInt8' { return [sbyte]$Value.V }
        'UInt16' { return [uint16]$Value.V }
        'SInt16' { return [int16]$Value.V }
        'UInt32' { return [uint32]$Value.V }
        'SInt32' { return [int32]$Value.V }
        'UInt64' { return [uint64]$Value.V }
        'SInt64' { return [int64]$Value.V }
    }
    throw "properties of type $CimType cannot be set"
}

function Set-SmsInstance($Obj, [string]$Prop, $Value) {
    if ($Prop.Contains('[')) { throw (New-AgentError 405 "$Prop is an embedded property; $($Obj.Class) has none to set") }
    $w = $Obj.Wmi
    $w.psbase.Get()
    $p = $null
    foreach ($q in $w.psbase.Properties) { if ($q.Name -eq $Prop) { $p = $q } }
    if ($null -eq $p) { throw (New-AgentError 404 "$($Obj.Class) '$($Obj.Key)' has no property $Prop") }
    $prev = ConvertTo-AgentValue $p.Value ([string]$p.Type)
    $p.Value = ConvertTo-CimValue $Value ([string]$p.Type) ([bool]$p.IsArray)
    [void]$w.psbase.Put()
    return $prev
}

function Invoke-SciChange($Obj, [string]$Prop, $Value) {
    # The documented sequence ("How to Read and Write to the Configuration Manager
    # Site Control File by Using WMI"; SMS_SiteControlFile methods GetSessionHandle,
    # RefreshSCF, CommitSCF, ReleaseSessionHandle): a session handle passed as the
    # context of every call, RefreshSCF, Put of the item, CommitSCF, then release.
    # Refresh and Commit are obsolete in 2007; RefreshSCF and CommitSCF take the site code.
    $scope = Connect-WmiNamespace $Provider $script:Namespace
    $scfClass = Get-WmiPathObject $scope 'SMS_SiteControlFile' @{}
    $handle = Invoke-WmiObjectMethod $scfClass 'GetSessionHandle' @{} @{}
    Test-WmiReturn $handle 'GetSessionHandle'
    $session = [string]$handle.SessionHandle
    $ctx = @{ SessionHandle = $session }
    try {
        $scfPath = 'SMS_SiteControlFile.FileType=1,SiteCode=' + (Format-WqlString $script:SiteCode)
        $scf = Get-WmiPathObject $scope $scfPath $ctx
        Test-WmiReturn (Invoke-WmiObjectMethod $scf 'RefreshSCF' @{ SiteCode = $script:SiteCode } $ctx) 'RefreshSCF'
        $relPath = [string]$Obj.Wmi.psbase.Path.RelativePath
        $item = Get-WmiPathObject $scope $relPath $ctx
        $prev = $null
        if ($Prop -match '^Props\[(.+)\]\.(Value|Value1|Value2)\z') {
            $pname = $Matches[1]
            $field = $Matches[2]
            $props = $item.psbase.GetPropertyValue('Props')
            $found = $false
            foreach ($e in @($props)) {
                if ($null -ne $e -and [string]$e.psbase.GetPropertyValue('PropertyName') -eq $pname) {
                    $cim = 'String'
                    if ($field -eq 'Value') { $cim = 'UInt32' }
                    $prev = ConvertTo-AgentValue $e.psbase.GetPropertyValue($field) $cim
                    $e.psbase.SetPropertyValue($field, (ConvertTo-CimValue $Value $cim $false))
                    $found = $true
                }
            }
            if (-not $found) { throw (New-AgentError 404 "$($Obj.Class) '$($Obj.Key)' has no embedded property '$pname'") }
            $item.psbase.SetPropertyValue('Props', $props)
        } elseif ($Prop -match '^PropLists\[(.+)\]\z') {
            $lname = $Matches[1]
            $lists = $item.psbase.GetPropertyValue('PropLists')
            $found = $false
            foreach ($e in @($lists)) {
                if ($null -ne $e -and [string]$e.psbase.GetPropertyValue('PropertyListName') -eq $lname) {
                    $prev = ConvertTo-AgentValue @($e.psbase.GetPropertyValue('Values')) 'String'
                    $e.psbase.SetPropertyValue('Values', (ConvertTo-CimValue $Value 'String' $true))
                    $found = $true
                }
            }
            if (-not $found) { throw (New-AgentError 404 "$($Obj.Class) '$($Obj.Key)' has no property list '$lname'") }
            $item.psbase.SetPropertyValue('PropLists', $lists)
        } elseif ($Prop -cmatch '^[A-Za-z0-9_]+\z') {
            $p = $null
            foreach ($q in $item.psbase.Properties) { if ($q.Name -eq $Prop) { $p = $q } }
            if ($null -eq $p -or [string]$p.Type -eq 'Object') { throw (New-AgentError 404 "$($Obj.Class) '$($Obj.Key)' has no settable property $Prop") }
            $prev = ConvertTo-AgentValue $p.Value ([string]$p.Type)
            $p.Value = ConvertTo-CimValue $Value ([string]$p.Type) ([bool]$p.IsArray)
        } else {
            throw (New-AgentError 404 "'$Prop' is not a property path of $($Obj.Class)")
        }
        Save-WmiPathObject $item $ctx
        Test-WmiReturn (Invoke-WmiObjectMethod $scf 'CommitSCF' @{ SiteCode = $script:SiteCode } $ctx) 'CommitSCF'
        return $prev
    } finally {
        [void](Invoke-WmiObjectMethod $scfClass 'ReleaseSessionHandle' @{ SessionHandle = $session } @{})
    }
}

# The SMS Provider's methods return 0 for success (SDK, "About Configuration Manager Errors").
function Test-WmiReturn($Out, [string]$Method) {
    if ($null -eq $Out) { return }
    $rv = $Out.ReturnValue
    if ($null -ne $rv -and [int64]$rv -ne 0) { throw (New-AgentError 503 "$Method returned $rv") }
}

function Set-RegistryObject($Obj, [string]$Prop, $Value) {
    if ($Prop -ne 'Value') { throw (New-AgentError 405 "only the Value of a Registry object can be set") }
    $srv = Get-PropText $Obj 'Server'
    $key = (Get-PropText $Obj 'Key')
    if (-not $key.StartsWith('HKLM\')) { throw (New-AgentError 405 'only HKLM values can be set') }
    $name = Get-PropText $Obj 'Name'
    $hklm = Open-RemoteHklm $srv
    $sub = $hklm.OpenSubKey($key.Substring(5), $true)
    if ($null -eq $sub) { throw (New-AgentError 404 "the key $key is gone") }
    try {
        $kind = $sub.GetValueKind($name)
        $prev = Get-Prop $Obj 'Value'
        switch ([string]$kind) {
            'DWord' {
                if ($Value.K -ne 'i' -or $Value.V -lt 0 -or $Value.V -gt 4294967295) { throw (New-AgentError 400 'a REG_DWORD is an integer from 0 to 4294967295') }
                $dword = [int64]$Value.V
                if ($dword -gt 2147483647) { $dword = $dword - 4294967296 }
                $sub.SetValue($name, [int32]$dword, $kind)
            }
            'QWord' {
                if ($Value.K -ne 'i') { throw (New-AgentError 400 'a REG_QWORD is an integer') }
                $sub.SetValue($name, [int64]$Value.V, $kind)
            }
            'MultiString' {
                if ($Value.K -ne 'l') { throw (New-AgentError 400 'a REG_MULTI_SZ is a list') }
                $sub.SetValue($name, [string[]]$Value.V, $kind)
            }
            default {
                if ($Value.K -ne 's' -or ([string]$kind -ne 'String' -and [string]$kind -ne 'ExpandString')) {
                    throw (New-AgentError 405 "values of type $kind cannot be set")
                }
                $sub.SetValue($name, [string]$Value.V, $kind)
            }
        }
        return $prev
    } finally {
        $sub.Close()
    }
}

function Set-IisVirtualDir($Obj, [string]$Prop, $Value) {
    if ($Prop -ne 'AccessSSL') { throw (New-AgentError 405 'only AccessSSL of a virtual directory can be set') }
    if ($Value.K -ne 'b') { throw (New-AgentError 400 'AccessSSL is a boolean') }
    $w = $Obj.Wmi
    $prev = New-Value 'b' ([bool]$w.AccessSSL)
    $w.AccessSSL = [bool]$Value.V
    [void]$w.psbase.Put()
    return $prev
}

function New-AgentError([int]$Code, [string]$Message) {
    $e = New-Object System.Exception($Message)
    $e.Data['cmharden.code'] = $Code
    return $e
}

function Get-ErrorCode($ErrorRecord, [int]$Default) {
    $e = $ErrorRecord.Exception
    if ($e.Data.Contains('cmharden.code')) { return [int]$e.Data['cmharden.code'] }
    return $Default
}

function Invoke-Set([string]$Class, [string]$Key, [string]$Prop, $Value) {
    $obj = Find-SiteObject $Class $Key
    if ($null -eq $obj) { throw (New-AgentError 404 "$Class '$Key' does not exist") }
    if ($script:PlainSmsSetters -contains $Class) { return Set-SmsInstance $obj $Prop $Value }
    if ($Class -like 'SMS_SCI_*') { return Invoke-SciChange $obj $Prop $Value }
    if ($Class -eq 'Registry') { return Set-RegistryObject $obj $Prop $Value }
    if ($Class -eq 'IIsWebVirtualDir') { return Set-IisVirtualDir $obj $Prop $Value }
    if ($Class -eq 'Win32_Service') { return Set-ServiceStartMode $obj $Prop $Value }
    throw (New-AgentError 405 "this agent does not change $Class objects; use the console steps the wizard shows")
}

# ---------------------------------------------------------------------------
# Fix scripts ('run', doc/agent-protocol.md): one phase of one script of
# cmharden's fixes/scripts/NAME, whose text cmharden read from its trusted content
# and sends with the request. Every parameter is decoded from its typed value,
# checked against its type with the rules of doc/content-format.md ("Parameter
# types") and bound BY NAME (hashtable splatting). Nothing here evaluates text
# built from a value: no Invoke-Expression, no command line, no new process.

$script:ParamTypes = @('string', 'int', 'bool', 'hostname', 'name', 'principal', 'path', 'acl-entry',
    'string-list', 'hostname-list', 'name-list', 'principal-list', 'path-list', 'acl-entry-list')

function Stop-Param([string]$What, [string]$Why) {
    throw (New-AgentError 400 ($What + ': ' + $Why))
}

function Format-Char([char]$C) {
    if ([int]$C -gt 0x20 -and [int]$C -lt 0x7F) { return "'" + $C + "'" }
    if ([int]$C -eq 0x20) { return 'a space' }
    return 'U+' + ([int]$C).ToString('X4')
}

# The rules every text type shares: at most 1024 bytes of UTF-8, no control
# character, no line or paragraph separator, no bidirectional control.
function Test-ParamText([string]$S, [string]$What) {
    if ($script:Utf8.GetByteCount($S) -gt 1024) { Stop-Param $What 'longer than 1024 bytes' }
    for ($i = 0; $i -lt $S.Length; $i++) {
        $c = [int]$S[$i]
        if ($c -lt 0x20 -or $c -eq 0x7F -or ($c -ge 0x80 -and $c -le 0x9F) -or $c -eq 0x2028 -or $c -eq 0x2029 -or
            ($c -ge 0x202A -and $c -le 0x202E) -or ($c -ge 0x2066 -and $c -le 0x2069) -or $c -eq 0x200E -or
            $c -eq 0x200F -or $c -eq 0x061C -or $c -eq 0xFEFF) {
            Stop-Param $What ('contains the control character ' + (Format-Char $S[$i]) + ' (a parameter is one line of plain text)')
        }
    }
}

function Test-ParamName([string]$S, [string]$What, [string]$Desc) {
    if ($S.Length -eq 0) { Stop-Param $What "$Desc cannot be empty" }
    if ($script:Utf8.GetByteCount($S) -gt 256) { Stop-Param $What "$Desc is longer than 256 characters" }
    $k = $S.IndexOfAny([char[]]'"/\[]:;|=,+*?<>')
    if ($k -ge 0) { Stop-Param $What ("$Desc cannot contain " + (Format-Char $S[$k])) }
    if ($S -cmatch '^[. ]+\z' -or $S.StartsWith(' ') -or $S.EndsWith(' ')) {
        Stop-Param $What "$Desc cannot consist of dots and spaces or begin or end with a space"
    }
}

function Test-ParamPrincipal([string]$S, [string]$What) {
    $bs = $S.IndexOf('\')
    if ($bs -lt 0) { Test-ParamName $S $What 'a principal'; return }
    $domain = $S.Substring(0, $bs)
    $n = $script:Utf8.GetByteCount($domain)
    if ($n -lt 1 -or $n -gt 255) { Stop-Param $What "the domain before '\' must hold 1 to 255 characters" }
    for ($i = 0; $i -lt $domain.Length; $i++) {
        if ([string]$domain[$i] -cnotmatch '^[-A-Za-z0-9_. \u0080-\uFFFF]\z') {
            Stop-Param $What ('the domain of a principal cannot contain ' + (Format-Char $domain[$i]))
        }
    }
    if ($domain.StartsWith(' ') -or $domain.EndsWith(' ')) { Stop-Param $What 'the domain of a principal cannot begin or end with a space' }
    Test-ParamName $S.Substring($bs + 1) $What 'the name of a principal'
}

function Test-ParamHost([string]$S, [string]$What) {
    if ($S.Length -lt 1 -or $S.Length -gt 253) { Stop-Param $What 'a host name holds 1 to 253 characters' }
    if ($S -cnotmatch '^[A-Za-z0-9.-]+\z') {
        $k = 0
        while ([string]$S[$k] -cmatch '^[A-Za-z0-9.-]\z') { $k += 1 }
        Stop-Param $What ('a host name cannot contain ' + (Format-Char $S[$k]))
    }
    foreach ($label in $S.Split('.')) {
        if ($label.Length -lt 1 -or $label.Length -gt 63 -or $label.StartsWith('-') -or $label.EndsWith('-')) {
            Stop-Param $What "each part of a host name holds 1 to 63 letters, digits or inner '-'"
        }
    }
}

function Test-ParamPath([string]$S, [string]$What) {
    if ($S -cmatch '^[A-Za-z]:\\') {
        $start = 3
    } elseif ($S.Length -ge 5 -and $S.StartsWith('\\') -and $S[2] -ne '\') {
        $sh = $S.IndexOf('\', 2)
        if ($sh -lt 0 -or $sh -eq 2 -or $sh + 1 -ge $S.Length -or $S[$sh + 1] -eq '\') { Stop-Param $What 'a UNC path is \\SERVER\SHARE[\...]' }
        Test-ParamHost $S.Substring(2, $sh - 2) $What
        $start = 2
    } else {
        Stop-Param $What 'a path is absolute: X:\... or \\SERVER\SHARE\...'
    }
    $rest = $S.Substring($start)
    $k = $rest.IndexOfAny([char[]]'<>"|?*/:')
    if ($k -ge 0) { Stop-Param $What ('a path cannot contain ' + (Format-Char $rest[$k])) }
    $parts = $rest.Split('\')
    for ($i = 0; $i -lt $parts.Length; $i++) {
        $p = $parts[$i]
        if (($p.Length -eq 0 -and $i -lt $parts.Length - 1) -or $p -ceq '.' -or $p -ceq '..') {
            Stop-Param $What "a path has no empty, '.' or '..' parts"
        }
    }
}

function Test-ParamAclEntry([string]$S, [string]$What) {
    $colon = $S.LastIndexOf(':')
    if ($colon -lt 0) { Stop-Param $What 'an ACL entry is PRINCIPAL:RIGHTS' }
    Test-ParamPrincipal $S.Substring(0, $colon) $What
    if ($S.Substring($colon + 1) -cnotmatch '^(\(DENY\))?([A-Za-z]{1,18}|0[xX][0-9A-Fa-f]{1,16})\z') {
        Stop-Param $What 'the rights of an ACL entry are letters (F, RX, Full) or a 0x mask, optionally after (DENY)'
    }
}

function Test-ParamItem([string]$Type, [string]$S, [string]$What) {
    Test-ParamText $S $What
    switch -casesensitive ($Type) {
        'hostname' { Test-ParamHost $S $What }
        'name' { Test-ParamName $S $What 'a name' }
        'principal' { Test-ParamPrincipal $S $What }
        'path' { Test-ParamPath $S $What }
        'acl-entry' { Test-ParamAclEntry $S $What }
    }
}

# One parameter: the decoded value, checked, as the .NET type its param() block
# declares: [string], [long], [bool] or [string[]].
function ConvertTo-ScriptArgument([string]$Name, [string]$Type, [string]$Encoded) {
    $what = "parameter $Name ($Type)"
    try {
        $v = Decode-Value $Encoded
    } catch {
        Stop-Param $what (Get-ErrorText $_)
    }
    if ((Encode-Value $v) -cne $Encoded) { Stop-Param $what 'not a typed value in canonical form' }
    if ($Type.EndsWith('-list')) {
        if ($v.K -cne 'l') { Stop-Param $what 'a list type needs a list' }
        $items = [string[]]@($v.V)
        if ($items.Length -gt 4096) { Stop-Param $what 'the list has more than 4096 items' }
        $item = $Type.Substring(0, $Type.Length - 5)
        for ($i = 0; $i -lt $items.Length; $i++) { Test-ParamItem $item $items[$i] "$what, item $($i + 1)" }
        return ,[string[]]$items
    }
    if ($Type -ceq 'int') {
        if ($v.K -cne 'i') { Stop-Param $what 'an int needs an integer' }
        return [long]$v.V
    }
    if ($Type -ceq 'bool') {
        if ($v.K -cne 'b') { Stop-Param $what 'a bool needs a boolean' }
        return [bool]$v.V
    }
    if ($v.K -cne 's') { Stop-Param $what 'a text type needs a string' }
    Test-ParamItem $Type ([string]$v.V) $what
    return [string]$v.V
}

# run ID NAME PHASE STATE TEXT [NAME TYPE VALUE]... -> the request, checked.
# Parameter values are decoded from their raw fields with the strict decoder.
function Read-RunRequest([string[]]$Fields) {
    $n = $Fields.Length - 2
    if ($n -lt 4 -or ($n - 4) % 3 -ne 0) { throw (New-AgentError 400 'run takes a script name, a phase, the state type, the text, then name, type and value per parameter') }
    if (($n - 4) / 3 -gt 64) { throw (New-AgentError 400 'more than 64 parameters') }
    $name = Decode-Field $Fields[2]
    $phase = Decode-Field $Fields[3]
    $state = Decode-Field $Fields[4]
    if ($name -cnotmatch '^[a-z0-9][a-z0-9-]{0,63}\z') { throw (New-AgentError 400 'a script name is [a-z0-9-]') }
    if (@('capture', 'apply', 'undo') -cnotcontains $phase) { throw (New-AgentError 400 'the phase is capture, apply or undo') }
    if ($script:ParamTypes -cnotcontains $state) { throw (New-AgentError 400 "the state: unknown type '$state'") }
    $text = Decode-Field $Fields[5] $script:Utf8Strict
    $params = @{}
    for ($i = 6; $i -lt $Fields.Length; $i += 3) {
        $pname = Decode-Field $Fields[$i]
        $ptype = Decode-Field $Fields[$i + 1]
        if ($pname -cnotmatch '^[A-Za-z][A-Za-z0-9]*\z') { throw (New-AgentError 400 'a parameter name is a letter followed by letters and digits') }
        if ($params.ContainsKey($pname)) { throw (New-AgentError 400 "parameter $pname is given twice") }
        if ($script:ParamTypes -cnotcontains $ptype) { throw (New-AgentError 400 "parameter ${pname}: unknown type '$ptype'") }
        if ($phase -ceq 'undo' -and $pname -eq 'State' -and $ptype -cne $state) { throw (New-AgentError 400 "undo needs the parameter State, of type $state") }
        $params[$pname] = ConvertTo-ScriptArgument $pname $ptype (Decode-Field $Fields[$i + 2] $script:Utf8Strict)
    }
    if ($phase -ceq 'undo' -and -not $params.ContainsKey('State')) { throw (New-AgentError 400 "undo needs the parameter State, of type $state") }
    return @{ Name = $name; Phase = $phase; State = $state; Text = $text; Params = $params }
}

# Runs the phase: a script block made from the text cmharden sent (its own
# trusted content, never text built from a value), the parameters bound by
# name from the hashtable. Its pipeline output is capture's state.
function Invoke-FixScript($Req) {
    $block = [ScriptBlock]::Create($Req.Text)
    $bound = $Req.Params
    # Nothing the script writes may reach stdout (the protocol's) through the host.
    $WarningPreference = 'SilentlyContinue'
    $VerbosePreference = 'SilentlyContinue'
    $DebugPreference = 'SilentlyContinue'
    $ProgressPreference = 'SilentlyContinue'
    $out = @(& $block @bound)
    if ($Req.Phase -cne 'capture') { return '' }
    $state = $Req.State
    if ($state.EndsWith('-list')) {
        $items = New-Object System.Collections.ArrayList
        foreach ($o in $out) { [void]$items.Add([string]$o) }
        $list = [string[]]$items.ToArray([string])
        $item = $state.Substring(0, $state.Length - 5)
        for ($i = 0; $i -lt $list.Length; $i++) { Test-ParamItem $item $list[$i] "the captured state, item $($i + 1)" }
        return (Encode-Value (New-Value 'l' $list))
    }
    if ($out.Length -ne 1) { throw (New-AgentError 500 "the capture script wrote $($out.Length) values; a $state state is one") }
    if ($state -ceq 'int') { return (Encode-Value (New-Value 'i' ([long]$out[0]))) }
    if ($state -ceq 'bool') { return (Encode-Value (New-Value 'b' ([bool]$out[0]))) }
    Test-ParamItem $state ([string]$out[0]) 'the captured state'
    return (Encode-Value (New-Value 's' ([string]$out[0])))
}

# ---------------------------------------------------------------------------
# 'probe' (doc/agent-protocol.md): which data sources can be read, on which
# site system, and why not. Each source is tried with one small read of the
# kind the class readers make.

$script:ProviderSources = @('provider', 'sitecontrol')
$script:ServerSources = @('registry', 'services', 'iis', 'groups', 'shares', 'certificates', 'admin')

# The protocol's reason for a failure: denied, winrm, unresolved, timeout or
# unavailable, from the exception (and those inside it) as Windows raises it.
function Get-FailureReason($Exception) {
    $e = $Exception
    while ($null -ne $e) {
        if ($e.Data.Contains('cmharden.reason')) { return [string]$e.Data['cmharden.reason'] }
        $type = $e.GetType().FullName
        $msg = [string]$e.Message
        if ($e -is [System.UnauthorizedAccessException] -or $e -is [System.Security.SecurityException]) { return 'denied' }
        if ($e -is [System.TimeoutException]) { return 'timeout' }
        $code = Get-WmiStatus $e
        if ($code -eq 'AccessDenied') { return 'denied' }
        if ($code -eq 'Timedout') { return 'timeout' }
        if ($e -is [System.Runtime.InteropServices.COMException] -or $e -is [System.ComponentModel.Win32Exception]) {
            switch ([int64]$e.ErrorCode) {
                -2147024891 { return 'denied' }     # 0x80070005 E_ACCESSDENIED
                -2147023436 { return 'timeout' }    # 0x800705B4 ERROR_TIMEOUT
                -2147024843 { return 'unresolved' } # 0x80070035 the network path was not found
                -2147023174 { return 'unavailable' } # 0x800706BA the RPC server is unavailable
            }
        }
        if ($type -eq 'System.Net.Sockets.SocketException' -and [int]$e.ErrorCode -eq 11001) { return 'unresolved' }
        if ($type -like '*PSRemotingTransportException') {
            if ([int]$e.ErrorCode -eq 5 -or $msg -match 'Access is denied') { return 'denied' }
            if ($msg -match 'cannot find the computer|could not be resolved|No such host') { return 'unresolved' }
            if ($msg -match 'timed out|within the time specified') { return 'timeout' }
            return 'winrm'
        }
        if ($msg -match 'Access is denied|Access denied') { return 'denied' }
        if ($msg -match 'timed out|within the time specified') { return 'timeout' }
        $e = $e.InnerException
    }
    return 'unavailable'
}

# Whether the account running this is in the local Administrators group (fixes
# that change Windows state need it). One function: the tests replace it.
function Test-LocalAdministrator {
    $id = [System.Security.Principal.WindowsIdentity]::GetCurrent()
    $p = New-Object System.Security.Principal.WindowsPrincipal($id)
    return $p.IsInRole([System.Security.Principal.WindowsBuiltInRole]::Administrator)
}

# One small read of a source on a server; throws what the read throws.
function Test-OneSource([string]$Source, [string]$Server) {
    switch ($Source) {
        'provider' { [void](Get-SmsWmi 'SMS_Site' ('SiteCode = ' + (Format-WqlString $script:SiteCode))) }
        'sitecontrol' { [void](Get-SmsWmi 'SMS_SCI_SysResUse' ('SiteCode = ' + (Format-WqlString $script:SiteCode))) }
        'registry' {
            $k = (Open-RemoteHklm $Server).OpenSubKey('SYSTEM\CurrentControlSet\Control', $false)
            if ($null -ne $k) { $k.Close() }
        }
        'services' { [void](Invoke-WmiQuery $Server 'root\cimv2' "SELECT * FROM Win32_Service WHERE Name = 'BITS'") }
        'iis' { [void](Get-IisSettings $Server 'IIsWebServerSetting') }
        'groups' {
            $computer = Get-AdsiEntry "WinNT://$Server,computer"
            foreach ($child in $computer.psbase.Children) { break }
        }
        'shares' { [void](Invoke-WmiQuery $Server 'root\cimv2' 'SELECT * FROM Win32_Share WHERE Type = 0') }
        'certificates' {
            $store = Open-CertificateStore $Server 'My'
            if ($null -ne $store) { $store.Close() }
        }
        'admin' {
            if (Test-LocalServer $Server) {
                if (-not (Test-LocalAdministrator)) { throw (New-Object System.UnauthorizedAccessException("the account is not in the local Administrators group of $Server")) }
            } else {
                # Elsewhere: write access to a key only administrators may change.
                $k = (Open-RemoteHklm $Server).OpenSubKey('SYSTEM\CurrentControlSet\Control\Terminal Server', $true)
                if ($null -ne $k) { $k.Close() }
            }
        }
        default { throw "unknown source '$Source'" }
    }
}

# The states of the given sources: the provider's on the provider's host, the
# others on each server. ArrayList of @{ S = source; H = server; T = state; M = message }.
function Get-SourceStates([string[]]$ProviderSources, [string[]]$ServerSources, [string[]]$ServerList) {
    $out = New-Object System.Collections.ArrayList
    $providerHost = $Provider
    if ($providerHost -eq '.' -and $null -ne $script:Site) { $providerHost = Get-ShortHost $script:Site.Server }
    $pairs = New-Object System.Collections.ArrayList
    foreach ($src in $ProviderSources) { [void]$pairs.Add(@($src, $providerHost.ToUpper())) }
    foreach ($srv in $ServerList) {
        foreach ($src in $ServerSources) { [void]$pairs.Add(@($src, $srv)) }
    }
    foreach ($pair in $pairs) {
        try {
            Test-OneSource $pair[0] $pair[1]
            [void]$out.Add(@{ S = $pair[0]; H = $pair[1]; T = 'ok'; M = '' })
        } catch {
            [void]$out.Add(@{ S = $pair[0]; H = $pair[1]; T = (Get-FailureReason $_.Exception); M = (Get-ErrorText $_) })
        }
    }
    return ,$out
}

function Add-SourceLine([System.Text.StringBuilder]$Out, [string]$Id, $State) {
    $fields = @([string]$State.S, [string]$State.H, [string]$State.T)
    if ($State.M) { $fields += [string]$State.M }
    Add-Line $Out 'source' $Id $fields
}

function Add-ChangesLine([System.Text.StringBuilder]$Out, [string]$Id) {
    if ($ReadOnly) { Add-Line $Out 'changes' $Id @('no', 'the agent was started with -ReadOnly') }
    else { Add-Line $Out 'changes' $Id @('yes') }
}

# The account's rights on the SMS Provider ('right' lines of the probe). The
# Configuration Manager 2007 SDK documents one way to ask what the current user
# may do: SMS_SecuredObject.UserHasPermissions(ObjectPath, Permissions)
# "determines whether the current user has the requested permissions for the
# specified object", ObjectPath being "a class name or instance path", and
# returns true if the user has them ("UserHasPermissions Method in Class
# SMS_SecuredObject", cc145869). MODIFY is bit 1, value 2, of the permissions
# ("SMS_UserClassPermissions Server WMI Class", cc143194;
# "SMS_UserInstancePermissions Server WMI Class", cc145256). Those two classes
# list rights by UserName (domain\user) and say nothing of rights given through
# a group, so they cannot answer for the current user: not used. Asked only for
# the secured object classes the SDK names (SMS_SecuredObject: Collection,
# Package, Advertisement), at class level: an instance right (the same bits, per
# object) may still allow a change the class right does not.
$script:SecuredClasses = @('SMS_Collection', 'SMS_Package', 'SMS_Advertisement')
$script:SmsModify = 2

# ArrayList of @{ C = class; R = 'modify'; T = yes|no|unknown; M = message }.
function Get-ProviderRights {
    $out = New-Object System.Collections.ArrayList
    foreach ($cls in $script:SecuredClasses) {
        try {
            $scope = Connect-WmiNamespace $script:Provider $script:Namespace
            $so = Get-WmiPathObject $scope 'SMS_SecuredObject' @{}
            $r = Invoke-WmiObjectMethod $so 'UserHasPermissions' @{ ObjectPath = $cls; Permissions = [uint32]$script:SmsModify } @{}
            $t = 'no'
            if ($null -ne $r -and [bool]$r.ReturnValue) { $t = 'yes' }
            [void]$out.Add(@{ C = $cls; R = 'modify'; T = $t; M = '' })
        } catch {
            [void]$out.Add(@{ C = $cls; R = 'modify'; T = 'unknown'; M = (Get-ErrorText $_) })
        }
    }
    return ,$out
}

function Add-RightLine([System.Text.StringBuilder]$Out, [string]$Id, $Right) {
    $fields = @([string]$Right.C, [string]$Right.R, [string]$Right.T)
    if ($Right.M) { $fields += [string]$Right.M }
    Add-Line $Out 'right' $Id $fields
}

function Write-Probe([System.Text.StringBuilder]$Out, [string]$Id) {
    $servers = @()
    try {
        $servers = @(Get-SiteSystems)
    } catch {
        Add-Line $Out 'source' $Id @('sitecontrol', 'site systems', (Get-FailureReason $_.Exception), (Get-ErrorText $_))
    }
    foreach ($st in (Get-SourceStates $script:ProviderSources $script:ServerSources $servers)) { Add-SourceLine $Out $Id $st }
    foreach ($r in (Get-ProviderRights)) { Add-RightLine $Out $Id $r }
    Add-ChangesLine $Out $Id
    Add-Line $Out 'end' $Id @()
}

# ---------------------------------------------------------------------------
# Requests.

function Invoke-Request([string]$Line, [System.Text.StringBuilder]$Out) {
    if ($Line.EndsWith("`r")) { $Line = $Line.Substring(0, $Line.Length - 1) }
    if ($Line.Length -gt $script:MaxLine) { Add-Error $Out '0' 413 "the line is longer than $($script:MaxLine) bytes"; return $false }
    if ($Line -cnotmatch '^[!-~]+( [!-~]+)*\z') { Add-Error $Out '0' 400 'malformed line (fields of printable ASCII separated by single spaces)'; return $false }
    $fields = $Line.Split(' ')
    $verb = $fields[0]
    if ($fields.Length -lt 2 -or $verb -cnotmatch '^[a-z][a-z0-9-]*\z' -or $fields[1] -cnotmatch '^[0-9]{1,10}\z') {
        Add-Error $Out '0' 400 'a request is VERB ID [FIELD]...'
        return $false
    }
    $id = $fields[1]
    if ([int64]$id -eq 0) { Add-Error $Out '0' 400 'request ids start at 1'; return $false }
    $argv = New-Object System.Collections.ArrayList
    try {
        for ($i = 2; $i -lt $fields.Length; $i++) { [void]$argv.Add((Decode-Field $fields[$i])) }
    } catch {
        Add-Error $Out $id 400 (Get-ErrorText $_)
        return $false
    }
    $n = $argv.Count
    if ($verb -ceq 'bye') { Add-Line $Out 'end' $id @(); return $true }
    if ($verb -ceq 'hello') {
        if ($n -ne 2 -or $argv[0] -notmatch '^[0-9]+\z' -or $argv[1] -notmatch '^[0-9]+\z') { Add-Error $Out $id 400 'hello takes the lowest and highest version'; return $false }
        if ([int]$argv[0] -gt $script:ProtocolVersion -or [int]$argv[1] -lt $script:ProtocolVersion) { Add-Error $Out $id 426 "this agent speaks protocol version $($script:ProtocolVersion) only"; return $false }
        if ($script:InitError) { Add-Error $Out $id 503 $script:InitError; return $false }
        $script:SaidHello = $true
        Add-Line $Out 'hello' $id @([string]$script:ProtocolVersion, "$($script:AgentName) $($script:AgentVersion) (PowerShell $($PSVersionTable.PSVersion))")
        if ($ReadOnly) { Add-Line $Out 'cap' $id @('query', 'batch', 'get', 'run', 'probe') }
        else { Add-Line $Out 'cap' $id @('query', 'batch', 'get', 'set', 'run', 'probe') }
        foreach ($pair in @(@('code', 'Code'), @('name', 'Name'), @('server', 'Server'), @('version', 'Version'), @('build', 'Build'), @('mode', 'Mode'))) {
            $v = [string]$script:Site[$pair[1]]
            if ($v) { Add-Line $Out 'site' $id @($pair[0], ('s:' + $v)) }
            else { Add-Line $Out 'site' $id @($pair[0], 'n:') }
        }
        Add-Line $Out 'end' $id @()
        return $false
    }
    if (-not $script:SaidHello) { Add-Error $Out $id 400 'the session starts with hello'; return $false }
    if ($verb -ceq 'query') {
        if ($n -ne 1) { Add-Error $Out $id 400 'query takes one class (batch takes several)'; return $false }
        Write-Classes $Out $id @($argv[0])
        return $false
    }
    if ($verb -ceq 'batch') {
        if ($n -lt 1 -or $n -gt $script:MaxBatch) { Add-Error $Out $id 400 "batch takes 1 to $($script:MaxBatch) classes"; return $false }
        Write-Classes $Out $id ([string[]]$argv.ToArray([string]))
        return $false
    }
    if ($verb -ceq 'get') {
        if ($n -ne 3) { Add-Error $Out $id 400 'get takes a class, a key and a property'; return $false }
        if (-not (Test-KnownClass $argv[0])) { Add-Error $Out $id 404 "this agent does not read $($argv[0])"; return $false }
        try {
            $o = Find-SiteObject $argv[0] $argv[1]
            $v = $null
            if ($null -ne $o) { $v = Get-Prop $o $argv[2] }
            if ($null -eq $v) { Add-Error $Out $id 404 "$($argv[0]) '$($argv[1])' has no property $($argv[2])"; return $false }
            Add-Line $Out 'value' $id @((Encode-Value $v))
            Add-Line $Out 'end' $id @()
        } catch {
            Add-Error $Out $id 503 (Get-ErrorText $_)
        }
        return $false
    }
    if ($verb -ceq 'set') {
        if ($n -ne 4) { Add-Error $Out $id 400 'set takes a class, a key, a property and a value'; return $false }
        if ($ReadOnly) { Add-Error $Out $id 403 'this agent was started with -ReadOnly'; return $false }
        if (-not (Test-KnownClass $argv[0])) { Add-Error $Out $id 404 "this agent does not read $($argv[0])"; return $false }
        try {
            $value = Decode-Value $argv[3]
        } catch {
            Add-Error $Out $id 400 (Get-ErrorText $_)
            return $false
        }
        try {
            $prev = Invoke-Set $argv[0] $argv[1] $argv[2] $value
            Add-Line $Out 'value' $id @((Encode-Value $prev))
            Add-Line $Out 'end' $id @()
        } catch {
            Add-Error $Out $id (Get-ErrorCode $_ 500) (Get-ErrorText $_)
        }
        return $false
    }
    if ($verb -ceq 'probe') {
        if ($n -ne 0) { Add-Error $Out $id 400 'probe takes no arguments'; return $false }
        Write-Probe $Out $id
        return $false
    }
    if ($verb -ceq 'run') {
        if ($n -lt 2) { Add-Error $Out $id 400 'run takes a script name, a phase, the state type, the text and the parameters'; return $false }
        if ($ReadOnly -and $argv[1] -cne 'capture') { Add-Error $Out $id 403 'this agent was started with -ReadOnly: it runs capture scripts only'; return $false }
        try {
            $req = Read-RunRequest $fields
        } catch {
            Add-Error $Out $id (Get-ErrorCode $_ 400) (Get-ErrorText $_)
            return $false
        }
        try {
            $result = Invoke-FixScript $req
        } catch {
            Add-Error $Out $id (Get-ErrorCode $_ 500) (Get-ErrorText $_)
            return $false
        }
        if ($req.Phase -ceq 'capture') { Add-Line $Out 'value' $id @($result) }
        Add-Line $Out 'end' $id @()
        return $false
    }
    Add-Error $Out $id 405 "unknown request '$verb'"
    return $false
}

function Invoke-Session {
    $in = New-Object System.IO.StreamReader([Console]::OpenStandardInput(), $script:Utf8, $false)
    $script:Stdout = [Console]::OpenStandardOutput()
    $script:SaidHello = $false
    while ($true) {
        $line = $in.ReadLine()
        if ($null -eq $line) { break }
        $out = New-Object System.Text.StringBuilder
        $bye = $false
        try {
            $bye = Invoke-Request $line $out
        } catch {
            $out = New-Object System.Text.StringBuilder
            $id = '0'
            if ($line -cmatch '^[a-z][a-z0-9-]* ([0-9]{1,10})') { $id = $Matches[1] }
            Add-Error $out $id 500 (Get-ErrorText $_)
        }
        Send-Answer $out
        if ($bye) { break }
    }
}

# ---------------------------------------------------------------------------
# -Dump: a snapshot in the lab scenario format (doc/content-format.md).

function Test-YamlPrintable([string]$Text) {
    if ($Text -cmatch '^[ -~]*\z') { return $true }
    for ($i = 0; $i -lt $Text.Length; $i++) {
        $c = [int]$Text[$i]
        if ($c -ge 0xD800 -and $c -le 0xDBFF -and $i + 1 -lt $Text.Length -and [int]$Text[$i + 1] -ge 0xDC00 -and [int]$Text[$i + 1] -le 0xDFFF) { $i += 1; continue }
        if ($c -lt 0x20 -or $c -eq 0x7F -or ($c -ge 0x80 -and $c -le 0x9F) -or ($c -ge 0xD800 -and $c -le 0xDFFF) -or $c -eq 0xFEFF -or $c -ge 0xFFFE) { return $false }
    }
    return $true
}

function Format-YamlString([string]$Text) {
    if (Test-YamlPrintable $Text) { return "'" + $Text.Replace("'", "''") + "'" }
    $sb = New-Object System.Text.StringBuilder
    [void]$sb.Append('"')
    for ($i = 0; $i -lt $Text.Length; $i++) {
        $ch = $Text[$i]
        $c = [int]$ch
        if ($c -ge 0xD800 -and $c -le 0xDBFF -and $i + 1 -lt $Text.Length -and [int]$Text[$i + 1] -ge 0xDC00 -and [int]$Text[$i + 1] -le 0xDFFF) {
            [void]$sb.Append($ch).Append($Text[$i + 1])
            $i += 1
        } elseif ($c -eq 0x22) { [void]$sb.Append('\"') }
        elseif ($c -eq 0x5C) { [void]$sb.Append('\\') }
        elseif ($c -eq 0x0A) { [void]$sb.Append('\n') }
        elseif ($c -eq 0x09) { [void]$sb.Append('\t') }
        elseif ($c -eq 0x0D) { [void]$sb.Append('\r') }
        elseif ($c -ge 0xD800 -and $c -le 0xDFFF) { [void]$sb.Append('\uFFFD') }
        elseif ($c -lt 0x20 -or $c -eq 0x7F -or ($c -ge 0x80 -and $c -le 0x9F)) { [void]$sb.Append('\x').Append($c.ToString('X2')) }
        elseif ($c -eq 0xFEFF -or $c -ge 0xFFFE) { [void]$sb.Append('\u').Append($c.ToString('X4')) }
        else { [void]$sb.Append($ch) }
    }
    [void]$sb.Append('"')
    return $sb.ToString()
}

function Format-YamlValue($Value) {
    switch ($Value.K) {
        'n' { return 'null' }
        'b' { if ($Value.V) { return 'true' } else { return 'false' } }
        'i' { return (Format-Invariant ([int64]$Value.V)) }
        's' { return (Format-YamlString ([string]$Value.V)) }
        'l' {
            $parts = New-Object System.Collections.ArrayList
            foreach ($item in @($Value.V)) { [void]$parts.Add((Format-YamlString ([string]$item))) }
            return '[' + [string]::Join(', ', [string[]]$parts.ToArray([string])) + ']'
        }
    }
    throw "unknown value kind '$($Value.K)'"
}

function Write-YamlObject([System.Text.StringBuilder]$Sb, $Obj) {
    [void]$Sb.Append('  - class: ').Append($Obj.Class).Append("`n")
    [void]$Sb.Append('    key: ').Append((Format-YamlString $Obj.Key)).Append("`n")
    if ($Obj.Props.Count -eq 0) { [void]$Sb.Append("    properties: {}`n"); return }
    [void]$Sb.Append("    properties:`n")
    $done = @{}
    for ($i = 0; $i -lt $Obj.Props.Count; $i++) {
        if ($done.ContainsKey($i)) { continue }
        $p = $Obj.Props[$i]
        if ($p.N -notmatch '^([A-Za-z0-9_]+)\[([^\]]+)\](\.([A-Za-z0-9_]+))?\z') {
            [void]$Sb.Append('      ').Append($p.N).Append(': ').Append((Format-YamlValue $p.V)).Append("`n")
            continue
        }
        $base = $Matches[1]
        [void]$Sb.Append('      ').Append($base).Append(":`n")
        for ($j = $i; $j -lt $Obj.Props.Count; $j++) {
            if ($done.ContainsKey($j)) { continue }
            $q = $Obj.Props[$j]
            if ($q.N -notmatch '^([A-Za-z0-9_]+)\[([^\]]+)\](\.([A-Za-z0-9_]+))?\z' -or $Matches[1] -ne $base) { continue }
            $ename = $Matches[2]
            $field = $Matches[4]
            [void]$Sb.Append('        ').Append((Format-YamlString $ename)).Append(': ')
            if (-not $field) {
                [void]$Sb.Append((Format-YamlValue $q.V))
                $done[$j] = $true
            } else {
                $fields = New-Object System.Collections.ArrayList
                for ($k = $j; $k -lt $Obj.Props.Count; $k++) {
                    if ($done.ContainsKey($k)) { continue }
                    $r = $Obj.Props[$k]
                    if ($r.N -match '^([A-Za-z0-9_]+)\[([^\]]+)\]\.([A-Za-z0-9_]+)\z' -and $Matches[1] -eq $base -and $Matches[2] -eq $ename) {
                        [void]$fields.Add($Matches[3] + ': ' + (Format-YamlValue $r.V))
                        $done[$k] = $true
                    }
                }
                [void]$Sb.Append('{').Append([string]::Join(', ', [string[]]$fields.ToArray([string]))).Append('}')
            }
            [void]$Sb.Append("`n")
        }
    }
}

function Invoke-Dump {
    if ($script:InitError) { [Console]::Error.WriteLine("cmharden-agent: $($script:InitError)"); return 2 }
    if ($SiteMode -ne 'mixed' -and $SiteMode -ne 'native') {
        [Console]::Error.WriteLine('cmharden-agent: -Dump needs -SiteMode mixed or native: the site mode is not read from a documented property (Site Properties > Site Mode tab shows it)')
        return 2
    }
    $name = $ScenarioName
    if (-not $name) { $name = 'snapshot-' + ($script:SiteCode.ToLower() -replace '[^a-z0-9]', '') }
    $date = [datetime]::UtcNow.ToString("yyyy-MM-dd HH:mm 'UTC'", $script:Invariant)
    $classes = New-Object System.Collections.ArrayList
    foreach ($k in $script:SmsClasses.Keys) { [void]$classes.Add($k) }
    foreach ($k in $script:WindowsReaders.Keys) { [void]$classes.Add($k) }
    $classes.Sort()
    $objects = New-Object System.Collections.ArrayList
    $failed = 0
    foreach ($cls in $classes) {
        try {
            foreach ($o in (Read-Class $cls)) { [void]$objects.Add($o) }
            # A snapshot holds whole classes only: a server missing is a failure.
            foreach ($e in $script:ServerErrors) {
                [Console]::Error.WriteLine("cmharden-agent: ${cls} on $($e.Server): $($e.Message)")
                $failed += 1
            }
        } catch {
            [Console]::Error.WriteLine("cmharden-agent: ${cls}: $(Get-ErrorText $_)")
            $failed += 1
        }
    }
    if ($failed -gt 0) {
        [Console]::Error.WriteLine("cmharden-agent: $failed class(es) could not be read; no snapshot was written")
        return 2
    }
    $sb = New-Object System.Text.StringBuilder
    [void]$sb.Append("# cmharden site snapshot: a lab scenario (doc/content-format.md).`n")
    [void]$sb.Append("# Audit it read-only with --target snapshot:FILE, or train on it with --target lab:FILE.`n")
    [void]$sb.Append("scenario:`n")
    [void]$sb.Append('  name: ').Append((Format-YamlString $name)).Append("`n")
    [void]$sb.Append('  title: ').Append((Format-YamlString "Snapshot of site $($script:Site.Code) ($($script:Site.Name)) on $($script:Site.Server), $date")).Append("`n")
    [void]$sb.Append('  briefing: ').Append((Format-YamlString "Taken by cmharden-agent.ps1 $($script:AgentVersion) on $date`: $($objects.Count) objects of $($classes.Count) classes.")).Append("`n")
    [void]$sb.Append("site:`n")
    foreach ($pair in @(@('code', 'Code'), @('name', 'Name'), @('server', 'Server'), @('version', 'Version'), @('build', 'Build'), @('mode', 'Mode'))) {
        $v = [string]$script:Site[$pair[1]]
        if ($v) { [void]$sb.Append('  ').Append($pair[0]).Append(': ').Append((Format-YamlString $v)).Append("`n") }
    }
    [void]$sb.Append('objects:')
    if ($objects.Count -eq 0) { [void]$sb.Append(' []') }
    [void]$sb.Append("`n")
    foreach ($o in $objects) { Write-YamlObject $sb $o }
    [System.IO.File]::WriteAllText($Dump, $sb.ToString(), $script:Utf8)
    [Console]::Error.WriteLine("cmharden-agent: wrote $($objects.Count) objects of $($classes.Count) classes to $Dump")
    return 0
}

# ---------------------------------------------------------------------------
# What the section "Beyond the 2007 checklist" reads (checks/99-beyond.yaml): SMB
# server signing and outgoing NTLM values, the WebClient service, boot images and
# collection variables. Kept apart from the tables above so the additions stay
# visible; Register-BeyondClasses runs once, before the first request.

function Register-BeyondClasses {
    $script:RegistryValues += ,@('SYSTEM\CurrentControlSet\Services\LanManServer\Parameters', 'RequireSecuritySignature')
    $script:RegistryValues += ,@('SYSTEM\CurrentControlSet\Control\Lsa\MSV1_0', 'RestrictSendingNTLMTraffic')
    $script:ServiceNames += 'WebClient'
    $script:SmsClasses['SMS_BootImagePackage'] = @{ Wmi = 'SMS_BootImagePackage'; Key = @('PackageID'); Filter = '' }
    $script:PlainSmsSetters += 'SMS_BootImagePackage'
}

# SMS_CollectionSettings.CollectionVariables (SMS_CollectionVariable, SDK cc146201) as a
# list of NAME=VALUE. The property is lazy, so the instance is read in full, as a copy
# (Get-WmiPathObject, the contact point of every read by path): the caller is
# enumerating the properties of the one it holds. The SMS Provider never returns the
# value of a masked variable: it reads NAME=(masked).
# $null when the variables cannot be read: the property is then left out (shown as
# missing) and the checks that read the class's other properties keep their objects.
function Get-CollectionVariableList($Wmi) {
    $vars = $null
    try {
        $full = Get-WmiPathObject $Wmi.psbase.Scope ([string]$Wmi.psbase.Path.RelativePath) @{}
        $vars = $full.psbase.GetPropertyValue('CollectionVariables')
    } catch {
        return $null
    }
    $list = New-Object System.Collections.ArrayList
    foreach ($v in @($vars)) {
        if ($null -eq $v) { continue }
        $name = [string]$v.psbase.GetPropertyValue('Name')
        if ([bool]$v.psbase.GetPropertyValue('IsMasked')) {
            [void]$list.Add($name + '=(masked)')
        } else {
            [void]$list.Add($name + '=' + [string]$v.psbase.GetPropertyValue('Value'))
        }
    }
    return (New-Value 'l' ([string[]]$list.ToArray([string])))
}

# Win32_Service.StartMode through Win32_Service.ChangeStartMode on the service's own
# computer. StartMode reads Auto where ChangeStartMode takes Automatic. Returns the
# previous start mode; the running state is left as it is (the fix says so).
function Set-ServiceStartMode($Obj, [string]$Prop, $Value) {
    if ($Prop -ne 'StartMode') { throw (New-AgentError 405 'only the StartMode of a service can be set') }
    if ($Value.K -ne 's') { throw (New-AgentError 400 'StartMode is text') }
    $modes = @{ 'Auto' = 'Automatic'; 'Automatic' = 'Automatic'; 'Manual' = 'Manual'; 'Disabled' = 'Disabled' }
    $want = [string]$Value.V
    if (-not $modes.ContainsKey($want)) { throw (New-AgentError 400 "StartMode '$want' is not Auto, Manual or Disabled") }
    $srv = Get-PropText $Obj 'SystemName'
    $name = Get-PropText $Obj 'Name'
    # Through the WQL contact point, as every other read of Windows.
    $svc = @(Invoke-WmiQuery $srv 'root\cimv2' ('SELECT * FROM Win32_Service WHERE Name = ' + (Format-WqlString $name)))
    if ($svc.Count -lt 1) { throw (New-AgentError 404 "the service $name on $srv is gone") }
    $prev = New-Value 's' ([string]$svc[0].StartMode)
    $r = $svc[0].ChangeStartMode($modes[$want])
    if ($r.ReturnValue -ne 0) { throw (New-AgentError 500 "ChangeStartMode returned $($r.ReturnValue)") }
    return $prev
}

Register-BeyondClasses

# ---------------------------------------------------------------------------

# The agent: connect, then serve the session (or write the snapshot). Returns the exit code.
function Start-Agent {
    $script:SiteCode = $SiteCode
    try {
        Initialize-Site
    } catch {
        $script:InitError = 'cannot reach the SMS Provider: ' + (Get-ErrorText $_)
    }
    if ($Dump) { return (Invoke-Dump) }
    Invoke-Session
    return 0
}

# Run as a script, the agent starts; dot-sourced (the test suite, to put its
# simulated site behind the contact points above), it only defines its functions.
if ($MyInvocation.InvocationName -ne '.') { exit (Start-Agent) }
