<#
.SYNOPSIS
    A simulated Configuration Manager 2007 site server for the PowerShell agent,
    answered from a cmharden training lab. Test code only: never shipped with the
    agent, never loaded on a real site.

.DESCRIPTION
    agent/cmharden-agent.ps1 touches Windows only through its "Windows contact
    points" (Invoke-WmiQuery, Get-WmiStatus, Connect-WmiNamespace,
    Get-WmiPathObject, Invoke-WmiObjectMethod, Save-WmiPathObject, Get-AdsiEntry,
    Open-RemoteHklm, Get-PathAccessRules, Open-CertificateStore, Get-ChainStatus,
    and for the fix scripts Resolve-AccountSid, New-WmiInstance,
    ConvertTo-WmiObjectArray). tests/powershell/run-agent.ps1 dot-sources the
    agent, then this file, whose functions of the same names replace those
    contact points; every other line of the agent runs unchanged. The fix scripts
    (fixes/scripts/) call the same contact points, and [ADSI] for local groups;
    this file also answers [ADSI] and [WMIClass] (two type accelerators, which
    exist only in this process).

    The site's state is the lab's: a `cmharden agent --lab LAB` child process
    serves it over the agent protocol, and every change made through the
    simulation (Put, CommitSCF, SetValue, SetSecurityDescriptor, ADSI Add/Remove)
    is written back there with `set`, so cmharden sees it when it checks again.
    This file has its own protocol encoder and decoder (not the agent's), so an
    error in the agent's cannot cancel out here.

    Shapes follow Microsoft's documentation (Configuration Manager 2007 SDK and
    the Win32/IIS WMI references), cited where they are modelled:
    - SMS Provider objects: every property in psbase.Properties with its CIM
      type; DATETIME values as DMTF strings ("CIM DATETIME", WMI SDK).
    - Lazy properties (SDK, "How to Read a Lazy Property by Using WMI"): a query
      returns them empty; Get() of the instance fills them. The embedded Props,
      PropLists and RegMultiStringLists of the SMS_SCI_* site-control items are
      held lazy here, so an agent that forgot Get() would see no properties.
    - SMS_EmbeddedProperty (PropertyName, Value, Value1, Value2) and
      SMS_EmbeddedPropertyList (PropertyListName, Values): SDK "SMS_EmbeddedProperty
      Server WMI Class", "SMS_EmbeddedPropertyList Server WMI Class".
    - The site control file write path (SDK, "How to Read and Write to the
      Configuration Manager Site Control File by Using WMI"; SMS_SiteControlFile
      methods GetSessionHandle cc145509, RefreshSCF(SiteCode) cc143820,
      CommitSCF(SiteCode) cc144568, ReleaseSessionHandle(SessionHandle) cc145519;
      Refresh and Commit are listed as obsolete in "SMS_SiteControlFile Server WMI
      Class"): a site-control item changes only through Put with the session
      handle as context after RefreshSCF; the change reaches the site only at
      CommitSCF; releasing the handle without CommitSCF loses it.
    - Win32_LogicalShareSecuritySetting.GetSecurityDescriptor /
      SetSecurityDescriptor with Win32_SecurityDescriptor, Win32_ACE (AccessMask,
      AceType 0 allow / 1 deny, AceFlags, Trustee) and Win32_Trustee (Domain,
      Name, SID): WMI SDK.
    - IIsWebServerSetting (ServerBindings / SecureBindings of ServerBinding and
      SecureBinding: IP, Port, Hostname) and IIsWebVirtualDirSetting (Path,
      AccessRead, AccessWrite, AccessExecute, AccessSource, AccessScript,
      AccessSSL): IIS 6.0 WMI provider reference.
    - ADSI WinNT provider: a computer's children with SchemaClassName 'group';
      IADsGroup Members / Add / Remove with ADsPath WinNT://DOMAIN/NAME.
    - Failures as Windows reports them: ManagementException with ErrorCode
      AccessDenied ("Access denied "), InvalidClass ("Invalid class "),
      InvalidNamespace ("Invalid namespace "); COMException 0x800706BA "The RPC
      server is unavailable."; the remote registry's IOException "The network path
      was not found."; and a call that never returns (a hung WMI provider).

    Failures are injected with run-agent.ps1 -Fail 'RULE;RULE...', each
        CONTACT/SERVER/WHAT=ERROR
    CONTACT: wmi, registry, adsi, acl, certstore, rights (the account's MODIFY
    right on the SMS Provider class WHAT, with AccessDenied: UserHasPermissions
    says false and a Put of that class is refused) or server (every contact point
    of that server); SERVER and WHAT (a WMI class or namespace, a certificate
    store, a path) may be '*'. ERROR: AccessDenied, InvalidClass,
    InvalidNamespace, RpcUnavailable, Timeout.
#>

Set-StrictMode -Version 2.0

# ---------------------------------------------------------------------------
# The lab, over the agent protocol (doc/agent-protocol.md), with this file's own codec.

function ConvertTo-FakeField([string]$Text) {
    $sb = New-Object System.Text.StringBuilder
    foreach ($b in [System.Text.Encoding]::UTF8.GetBytes($Text)) {
        if ($b -gt 0x20 -and $b -lt 0x7F -and $b -ne 0x25) { [void]$sb.Append([char]$b) }
        else { [void]$sb.Append('%').Append($b.ToString('X2')) }
    }
    return $sb.ToString()
}

# The decoder is a class: its static methods run for every field of every
# object of the lab (a function call costs far more in PowerShell), and a field
# without '%' (nearly all) is its own text.
class FakeCodec {
    static [byte[]] Bytes([string]$Field) {
        $ms = [System.IO.MemoryStream]::new($Field.Length)
        for ($i = 0; $i -lt $Field.Length; $i++) {
            if ($Field[$i] -eq '%') {
                $ms.WriteByte([Convert]::ToByte($Field.Substring($i + 1, 2), 16))
                $i += 2
            } else {
                $ms.WriteByte([byte][char]$Field[$i])
            }
        }
        return $ms.ToArray()
    }

    static [string] Text([string]$Field) {
        if ($Field.IndexOf('%') -lt 0) { return $Field }
        return [System.Text.Encoding]::UTF8.GetString([FakeCodec]::Bytes($Field))
    }

    # A typed value (its field) to .NET: $null, [bool], [long], [string] or [string[]].
    static [object] Value([string]$Field) {
        if ($Field.IndexOf('%') -lt 0 -and $Field.Length -ge 2 -and $Field[1] -eq ':') {
            switch -casesensitive ($Field[0]) {
                'n' { return $null }
                'b' { return ($Field.Length -gt 2 -and $Field[2] -eq '1') }
                'i' { return [long]::Parse($Field.Substring(2), [System.Globalization.CultureInfo]::InvariantCulture) }
                's' { return $Field.Substring(2) }
            }
        }
        $bytes = [FakeCodec]::Bytes($Field)
        $kind = [char]$bytes[0]
        $utf8 = [System.Text.Encoding]::UTF8
        switch -casesensitive ($kind) {
            'n' { return $null }
            'b' { return ($bytes[2] -eq 0x31) }
            'i' { return [long]$utf8.GetString($bytes, 2, $bytes.Length - 2) }
            's' { return $utf8.GetString($bytes, 2, $bytes.Length - 2) }
            'l' {
                $items = [System.Collections.Generic.List[string]]::new()
                $p = 2
                while ($p -lt $bytes.Length) {
                    $q = $p
                    while ($bytes[$q] -ne 0x3A) { $q++ }
                    $n = [int]$utf8.GetString($bytes, $p, $q - $p)
                    $items.Add($utf8.GetString($bytes, $q + 1, $n))
                    $p = $q + 1 + $n
                }
                return [string[]]$items.ToArray()
            }
        }
        throw "fake site: not a typed value: $Field"
    }
}

function ConvertFrom-FakeField([string]$Field) {
    return [FakeCodec]::Text($Field)
}

function ConvertTo-FakeValue($Value) {
    if ($null -eq $Value) { return 'n:' }
    if ($Value -is [bool]) { if ($Value) { return 'b:1' } else { return 'b:0' } }
    if ($Value -is [string]) { return ConvertTo-FakeField ('s:' + $Value) }
    if ($Value -is [array]) {
        $sb = New-Object System.Text.StringBuilder
        [void]$sb.Append('l:')
        foreach ($x in $Value) {
            $t = [string]$x
            [void]$sb.Append([System.Text.Encoding]::UTF8.GetByteCount($t)).Append(':').Append($t)
        }
        return ConvertTo-FakeField $sb.ToString()
    }
    return 'i:' + ([long]$Value).ToString([System.Globalization.CultureInfo]::InvariantCulture)
}

# One object of the lab: its class, key, and properties in the lab's order.
class FakeLabObject {
    [string]$Class
    [string]$Key
    [System.Collections.Generic.List[string]]$Names = [System.Collections.Generic.List[string]]::new()
    [System.Collections.Generic.List[object]]$Values = [System.Collections.Generic.List[object]]::new()

    [bool] Has([string]$Name) { return $this.Names.Contains($Name) }
    [object] Get([string]$Name) {
        $i = $this.Names.IndexOf($Name)
        if ($i -lt 0) { return $null }
        return $this.Values[$i]
    }
    [string] Text([string]$Name) { return [string]$this.Get($Name) }
}

class FakeLab {
    static [FakeLab]$Current
    [System.Diagnostics.Process]$Proc
    [int]$NextId = 1
    [hashtable]$Cache = @{}
    [System.Collections.Generic.List[hashtable]]$Failures = [System.Collections.Generic.List[hashtable]]::new()
    [hashtable]$Site = @{}

    FakeLab([string]$Cmharden, [string]$Lab) {
        $psi = [System.Diagnostics.ProcessStartInfo]::new($Cmharden)
        $psi.ArgumentList.Add('agent')
        $psi.ArgumentList.Add('--lab')
        $psi.ArgumentList.Add($Lab)
        $psi.UseShellExecute = $false
        $psi.RedirectStandardInput = $true
        $psi.RedirectStandardOutput = $true
        $this.Proc = [System.Diagnostics.Process]::Start($psi)
        $answer = $this.Call('hello', @('1', '1'))
        foreach ($f in $answer) {
            if ($f[0] -eq 'site') { $this.Site[$f[2]] = [FakeCodec]::Value($f[3]) }
        }
    }

    # One request; the lines of the answer, each split into fields (verb, id, ...).
    [System.Collections.Generic.List[string[]]] Call([string]$Verb, [string[]]$Fields) {
        $id = $this.NextId++
        $line = $Verb + ' ' + $id
        foreach ($f in $Fields) { $line += ' ' + $f }
        $this.Proc.StandardInput.Write($line + "`n")
        $this.Proc.StandardInput.Flush()
        $lines = [System.Collections.Generic.List[string[]]]::new()
        while ($true) {
            $l = $this.Proc.StandardOutput.ReadLine()
            if ($null -eq $l) { throw 'fake site: the lab agent ended' }
            $f = $l.Split(' ')
            if ($f[0] -eq 'end') { break }
            if ($f[0] -eq 'error') { throw ('fake site: the lab answered ' + $f[2] + ' ' + (ConvertFrom-FakeField $f[3])) }
            $lines.Add($f)
        }
        return $lines
    }

    # Every object of a lab class (read once, then kept: the simulation writes through).
    [System.Collections.Generic.List[FakeLabObject]] Objects([string]$Class) {
        if (-not $this.Cache.ContainsKey($Class)) { $this.Load(@($Class)) }
        return $this.Cache[$Class]
    }

    [void] Load([string[]]$Classes) {
        $cur = $null
        foreach ($f in $this.Call('batch', $Classes)) {
            if ($f[0] -eq 'class') {
                $cur = [System.Collections.Generic.List[FakeLabObject]]::new()
                $this.Cache[$f[2]] = $cur
            } elseif ($f[0] -eq 'obj') {
                $o = [FakeLabObject]::new()
                $o.Key = [FakeCodec]::Text($f[2])
                for ($i = 3; $i + 1 -lt $f.Length; $i += 2) {
                    $o.Names.Add([FakeCodec]::Text($f[$i]))
                    $o.Values.Add([FakeCodec]::Value($f[$i + 1]))
                }
                $cur.Add($o)
            } elseif ($f[0] -eq 'classerror') {
                throw ('fake site: the lab cannot read ' + $f[2])
            }
        }
        foreach ($c in $Classes) { foreach ($o in $this.Cache[$c]) { $o.Class = $c } }
    }

    # A change, written to the lab at once (it answers the value before).
    # Every class the simulation answers from, read at once; the number of objects.
    [int] Preload() {
        $this.Load([string[]]([FakeLab]::Classes))
        $n = 0
        foreach ($c in [FakeLab]::Classes) { $n += $this.Cache[$c].Count }
        return $n
    }

    static [string[]]$Classes = @('SMS_Site', 'SMS_Package', 'SMS_Program', 'SMS_Advertisement', 'SMS_Collection',
        'SMS_CollectionSettings', 'SMS_PackageAccessByUsers', 'SMS_UpdatesAssignment', 'SMS_ConfigurationItem',
        'SMS_AMTCertificate', 'SMS_G_System_CollectedFile', 'SMS_R_System', 'SMS_SCI_ClientComp', 'SMS_SCI_Component',
        'SMS_SCI_SysResUse', 'SMS_BootImagePackage', 'LocalGroup', 'Registry', 'Win32_Service', 'IIsWebServer',
        'IIsWebVirtualDir', 'FileAcl', 'Certificate')

    [void] SetValue([FakeLabObject]$Obj, [string]$Name, $Value) {
        [void]$this.Call('set', @((ConvertTo-FakeField $Obj.Class), (ConvertTo-FakeField $Obj.Key),
                (ConvertTo-FakeField $Name), (ConvertTo-FakeValue $Value)))
        $i = $Obj.Names.IndexOf($Name)
        if ($i -ge 0) { $Obj.Values[$i] = $Value } else { $Obj.Names.Add($Name); $Obj.Values.Add($Value) }
    }

    # Text the site holds that no lab can: Windows strings may hold NUL, unpaired
    # surrogates and more than the protocol's line limit, which cannot reach the
    # fake from the lab over the protocol. Changes what the simulated Windows
    # answers (run-agent.ps1 -Setup), not the lab.
    [void] Hold([string]$Class, [string]$Key, [string]$Name, $Value) {
        foreach ($o in $this.Objects($Class)) {
            if ($o.Key -cne $Key) { continue }
            $i = $o.Names.IndexOf($Name)
            if ($i -lt 0) { throw "fake site: $Class '$Key' has no property $Name" }
            $o.Values[$i] = $Value
            return
        }
        throw "fake site: the lab has no $Class '$Key'"
    }

    [void] Close() {
        try { [void]$this.Call('bye', @()) } catch { }
        $this.Proc.WaitForExit(5000)
    }

    # Throws (or hangs) as Windows would when a rule of -Fail matches this call.
    [void] Check([string]$Contact, [string]$Server, [string]$What) {
        foreach ($r in $this.Failures) {
            if ($r.Contact -ne $Contact -and $r.Contact -ne 'server') { continue }
            if ($r.Server -ne '*' -and $r.Server -ne $Server) { continue }
            if ($r.Contact -ne 'server' -and $r.What -ne '*' -and $r.What -ne $What) { continue }
            [FakeLab]::Raise($r.Error, $Contact, $Server)
        }
    }

    static [void] Raise([string]$Error, [string]$Contact, [string]$Server) {
        switch ($Error) {
            # A call that never returns, until whoever started this process is
            # gone (cmharden stops the agent after its time-out; pwsh's launcher
            # does not pass the signal on): no simulated hang outlives its test.
            'Timeout' {
                $parent = [System.Diagnostics.Process]::GetCurrentProcess().Parent
                while ($true) {
                    Start-Sleep -Seconds 1
                    if ($null -eq $parent -or $parent.HasExited) { [Environment]::Exit(1) }
                }
            }
            'RpcUnavailable' {
                if ($Contact -eq 'registry') { throw [System.IO.IOException]::new('The network path was not found.', -2147024843) }
                throw [System.Runtime.InteropServices.COMException]::new('The RPC server is unavailable. (Exception from HRESULT: 0x800706BA)', -2147023174)
            }
            'AccessDenied' {
                if ($Contact -eq 'wmi') { throw [FakeManagementException]::new('AccessDenied', 'Access denied ') }
                throw [System.UnauthorizedAccessException]::new('Access is denied. (Exception from HRESULT: 0x80070005 (E_ACCESSDENIED))')
            }
            'InvalidClass' { throw [FakeManagementException]::new('InvalidClass', 'Invalid class ') }
            'InvalidNamespace' { throw [FakeManagementException]::new('InvalidNamespace', 'Invalid namespace ') }
        }
        throw "fake site: unknown failure '$Error'"
    }
}

# Nor can System.Security.Principal.IdentityNotMappedException (NTAccount.Translate
# of an account that does not exist): this one has its message.
class FakeIdentityNotMappedException : System.SystemException {
    FakeIdentityNotMappedException([string]$Message) : base($Message) { }
}

# System.Management.ManagementException cannot be made off Windows; this one
# carries the same ErrorCode (a ManagementStatus name) and message.
class FakeManagementException : System.Exception {
    [string]$ErrorCode
    FakeManagementException([string]$Code, [string]$Message) : base($Message) { $this.ErrorCode = $Code }
}

# ---------------------------------------------------------------------------
# WMI objects.

# The time spent inside the simulation (its contact points, and Get/Put of its
# WMI objects), for the benchmark (tests/powershell/bench.py): the agent's own
# work is the rest. A contact point called from inside another counts once.
class FakeClock {
    static [System.Diagnostics.Stopwatch]$Watch = [System.Diagnostics.Stopwatch]::new()
    static [int]$Depth = 0
    static [void] Enter() {
        if ([FakeClock]::Depth -eq 0) { [FakeClock]::Watch.Start() }
        [FakeClock]::Depth++
    }
    static [void] Leave() {
        [FakeClock]::Depth--
        if ([FakeClock]::Depth -eq 0) { [FakeClock]::Watch.Stop() }
    }
    static [long] Milliseconds() { return [FakeClock]::Watch.ElapsedMilliseconds }
}

class FakeWmiProperty {
    [string]$Name
    [object]$Value
    [string]$Type
    [bool]$IsArray
    [bool]$Lazy
}

class FakeWmiPath {
    [string]$RelativePath
    [string]$ClassName
}

# A WMI instance (or embedded object) as System.Management shows it to PowerShell:
# psbase.Properties, GetPropertyValue, SetPropertyValue, Get, Put, Path.
class FakeWmiObject {
    [string]$ClassName
    [string]$Server
    [System.Collections.Generic.List[FakeWmiProperty]]$Properties = [System.Collections.Generic.List[FakeWmiProperty]]::new()
    [FakeWmiPath]$Path = [FakeWmiPath]::new()
    [object]$Scope           # of a query's instances: the server and namespace it was read from
    [FakeLabObject]$Lab
    [scriptblock]$Loader     # fills the lazy properties (Get)
    [scriptblock]$Saver      # writes the properties back (Put)
    [scriptblock]$Methods    # answers InvokeMethod
    [bool]$Got

    [FakeWmiProperty] Prop([string]$Name) {
        foreach ($p in $this.Properties) { if ($p.Name -eq $Name) { return $p } }
        throw [FakeManagementException]::new('NotFound', 'Not found ')
    }
    [object] GetPropertyValue([string]$Name) { return $this.Prop($Name).Value }
    [void] SetPropertyValue([string]$Name, $Value) { $this.Prop($Name).Value = $Value }
    [object] get_Item([string]$Name) { return $this.GetPropertyValue($Name) }
    [void] set_Item([string]$Name, $Value) { $this.SetPropertyValue($Name, $Value) }

    [void] Get() {
        [FakeClock]::Enter()
        try {
            if ($null -ne $this.Loader) { & $this.Loader $this }
            $this.Got = $true
        } finally { [FakeClock]::Leave() }
    }
    # Win32_Service.ChangeStartMode (the Win32_Service class, WMI SDK): takes
    # Automatic, Manual or Disabled; StartMode then reads Auto, Manual or
    # Disabled. ReturnValue 0 on success, 21 (invalid parameter) otherwise.
    [object] ChangeStartMode([string]$Mode) {
        if ($this.ClassName -ne 'Win32_Service' -or $null -eq $this.Lab) { throw [FakeManagementException]::new('InvalidMethod', 'Invalid method ') }
        $map = @{ Automatic = 'Auto'; Manual = 'Manual'; Disabled = 'Disabled' }
        if (-not $map.ContainsKey($Mode)) { return [pscustomobject]@{ ReturnValue = [uint32]21 } }
        [FakeLab]::Current.SetValue($this.Lab, 'StartMode', $map[$Mode])
        $this.Prop('StartMode').Value = $map[$Mode]
        return [pscustomobject]@{ ReturnValue = [uint32]0 }
    }
    [object] Put() { return $this.Put($null) }
    [object] Put($Options) {
        if ($null -eq $this.Saver) { throw [FakeManagementException]::new('NotSupported', 'Not supported ') }
        [FakeClock]::Enter()
        try { & $this.Saver $this $Options } finally { [FakeClock]::Leave() }
        return $this.Path
    }
    [object] GetMethodParameters([string]$Method) {
        $o = [FakeWmiObject]::new()
        $o.ClassName = '__PARAMETERS'
        return $o
    }
    [object] InvokeMethod([string]$Method, $In, $Options) {
        if ($null -eq $this.Methods) { throw [FakeManagementException]::new('InvalidMethod', 'Invalid method ') }
        return (& $this.Methods $this $Method $In $Options)
    }
    [object] GetSecurityDescriptor() { return $this.InvokeMethod('GetSecurityDescriptor', $null, $null) }
    [object] SetSecurityDescriptor($Descriptor) {
        $in = @{ Descriptor = $Descriptor }
        return $this.InvokeMethod('SetSecurityDescriptor', $in, $null)
    }
    # Win32_Trustee and Win32_ACE instances from [WMIClass] (share-acl-set-entries).
    [object] CreateInstance() {
        $o = [FakeWmiObject]::new()
        $o.ClassName = $this.ClassName
        $names = @('AccessMask', 'AceType', 'AceFlags', 'Trustee')
        if ($this.ClassName -eq 'Win32_Trustee') { $names = @('Domain', 'Name', 'SID') }
        foreach ($n in $names) { Add-FakeProp $o $n $null 'Object' $false }
        Add-FakeMembers $o
        return $o
    }
}

function Add-FakeProp([FakeWmiObject]$Obj, [string]$Name, $Value, [string]$Type, [bool]$IsArray, [bool]$Lazy = $false) {
    [FakeCim]::Add($Obj, $Name, $Value, $Type, $IsArray, $Lazy)
}

# $obj.Name reads and writes the property, as the WMI adapter does.
function Add-FakeMembers([FakeWmiObject]$Obj) {
    $pso = $Obj.PSObject
    foreach ($p in $Obj.Properties) {
        $n = $p.Name
        $get = [scriptblock]::Create("`$this.GetPropertyValue('$n')")
        $set = [scriptblock]::Create("param(`$v) `$this.SetPropertyValue('$n', `$v)")
        $pso.Properties.Add([System.Management.Automation.PSScriptProperty]::new($n, $get, $set))
    }
}

# What runs for every object of every query: static methods (a PowerShell
# function call costs far more, and a large site makes millions of them).
class FakeCim {
    static [void] Add([FakeWmiObject]$Obj, [string]$Name, $Value, [string]$Type, [bool]$IsArray, [bool]$Lazy) {
        $p = [FakeWmiProperty]::new()
        $p.Name = $Name
        $p.Value = $Value
        $p.Type = $Type
        $p.IsArray = $IsArray
        $p.Lazy = $Lazy
        $Obj.Properties.Add($p)
    }

    # The CIM type and WMI value of a lab value: integers as UInt32 (SInt64 when out
    # of range), ISO dates as DATETIME (DMTF text), lists as string arrays.
    static [void] AddLab([FakeWmiObject]$Obj, [string]$Name, $Value, [bool]$Lazy) {
        if ($null -eq $Value) { [FakeCim]::Add($Obj, $Name, $null, 'String', $false, $Lazy); return }
        if ($Value -is [bool]) { [FakeCim]::Add($Obj, $Name, $Value, 'Boolean', $false, $Lazy); return }
        if ($Value -is [long]) {
            if ($Value -ge 0 -and $Value -le [uint32]::MaxValue) { [FakeCim]::Add($Obj, $Name, [uint32]$Value, 'UInt32', $false, $Lazy) }
            else { [FakeCim]::Add($Obj, $Name, [long]$Value, 'SInt64', $false, $Lazy) }
            return
        }
        if ($Value -is [array]) { [FakeCim]::Add($Obj, $Name, [string[]]$Value, 'String', $true, $Lazy); return }
        if ([FakeCim]::IsIsoDate([string]$Value)) { [FakeCim]::Add($Obj, $Name, [FakeCim]::Dmtf([string]$Value), 'DateTime', $false, $Lazy); return }
        [FakeCim]::Add($Obj, $Name, [string]$Value, 'String', $false, $Lazy)
    }

    static [bool] IsIsoDate([string]$Text) {
        return $Text -cmatch '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$'
    }

    static [string] Dmtf([string]$Iso) {
        $d = [datetime]::ParseExact($Iso, "yyyy-MM-dd'T'HH:mm:ss'Z'", [System.Globalization.CultureInfo]::InvariantCulture)
        return $d.ToString('yyyyMMddHHmmss', [System.Globalization.CultureInfo]::InvariantCulture) + '.000000+000'
    }

    # One SMS Provider instance from a lab object (New-FakeSmsObject). Site-control
    # items keep their embedded arrays lazy until Get(); Put writes every changed
    # property back. $Paths: the lab object of each instance path (Get-WmiPathObject).
    static [FakeWmiObject] Sms([string]$WmiClass, [FakeLabObject]$Lab, [bool]$Sci, [scriptblock]$Loader, [scriptblock]$Saver, [hashtable]$Paths) {
        $w = [FakeWmiObject]::new()
        $w.ClassName = $WmiClass
        $w.Lab = $Lab
        $embeddedDone = $false
        $names = $Lab.Names
        $values = $Lab.Values
        for ($i = 0; $i -lt $names.Count; $i++) {
            $n = $names[$i]
            if ($n.Contains('[')) {
                if (-not $embeddedDone) {
                    $embeddedDone = $true
                    foreach ($e in @('Props', 'PropLists', 'RegMultiStringLists')) { [FakeCim]::Add($w, $e, $null, 'Object', $true, $true) }
                }
                continue
            }
            $v = $values[$i]
            # SMS_CollectionSettings.CollectionVariables: "SMS_CollectionVariable Array",
            # qualifier lazy (SMS_CollectionSettings Server WMI Class, cc146201): an
            # embedded array a query leaves empty, filled by Get().
            if ($n -eq 'CollectionVariables') { [FakeCim]::Add($w, $n, $null, 'Object', $true, $true); continue }
            if ($v -is [string] -and -not $v.EndsWith('Z')) { [FakeCim]::Add($w, $n, $v, 'String', $false, $false) }
            else { [FakeCim]::AddLab($w, $n, $v, $false) }
        }
        if ($Sci -and -not $embeddedDone) {
            foreach ($e in @('Props', 'PropLists', 'RegMultiStringLists')) { [FakeCim]::Add($w, $e, $null, 'Object', $true, $true) }
        }
        $rel = $WmiClass + '.Key="' + ([string]$Lab.Key).Replace('\', '\\').Replace('"', '\"') + '"'
        $w.Path.RelativePath = $rel
        $w.Path.ClassName = $WmiClass
        $Paths[$rel] = $Lab
        $w.Loader = $Loader
        $w.Saver = $Saver
        return $w
    }

    # The embedded arrays of a site-control item (SMS_EmbeddedProperty,
    # SMS_EmbeddedPropertyList, SMS_Client_Reg_MultiString_List), from the lab's
    # flattened paths Props[NAME].Value|Value1|Value2, PropLists[NAME] and
    # RegMultiStringLists[NAME]: Props, PropLists, RegMultiStringLists, each a list.
    static [regex]$PropPath = [regex]::new('^Props\[(.+)\]\.(Value|Value1|Value2)$', 'IgnoreCase')
    static [regex]$ListPath = [regex]::new('^PropLists\[(.+)\]$', 'IgnoreCase')
    static [regex]$RegPath = [regex]::new('^RegMultiStringLists\[(.+)\]$', 'IgnoreCase')

    static [hashtable] EmbeddedArrays([FakeLabObject]$Lab) {
        $props = [ordered]@{}
        $lists = [ordered]@{}
        $regs = [ordered]@{}
        $vars = @()
        for ($i = 0; $i -lt $Lab.Names.Count; $i++) {
            $n = $Lab.Names[$i]
            $v = $Lab.Values[$i]
            $m = [FakeCim]::PropPath.Match($n)
            if ($m.Success) {
                $pn = $m.Groups[1].Value
                $f = $m.Groups[2].Value
                if (-not $props.Contains($pn)) { $props[$pn] = @{ PropertyName = $pn; Value = $null; Value1 = $null; Value2 = $null } }
                if ($f -eq 'Value' -and $null -ne $v) { $v = [uint32]$v }
                $props[$pn][$f] = $v
                continue
            }
            $m = [FakeCim]::ListPath.Match($n)
            if ($m.Success) { $lists[$m.Groups[1].Value] = @{ PropertyListName = $m.Groups[1].Value; Values = [string[]]@($v) }; continue }
            $m = [FakeCim]::RegPath.Match($n)
            if ($m.Success) { $regs[$m.Groups[1].Value] = @{ ValueName = $m.Groups[1].Value; ValueStrings = [string[]]@($v) }; continue }
            if ($n -eq 'CollectionVariables') { $vars = @($v) }
        }
        $cv = [System.Collections.Generic.List[object]]::new()
        foreach ($item in $vars) { $cv.Add([FakeCim]::CollectionVariable([string]$item)) }
        $pt = @{ PropertyName = 'String'; Value = 'UInt32'; Value1 = 'String'; Value2 = 'String' }
        $out = @{ Props = [System.Collections.Generic.List[object]]::new(); PropLists = [System.Collections.Generic.List[object]]::new(); RegMultiStringLists = [System.Collections.Generic.List[object]]::new(); CollectionVariables = $cv }
        foreach ($k in $props.Keys) { $out.Props.Add([FakeCim]::Embedded('SMS_EmbeddedProperty', $props[$k], @('PropertyName', 'Value', 'Value1', 'Value2'), $pt)) }
        foreach ($k in $lists.Keys) { $out.PropLists.Add([FakeCim]::Embedded('SMS_EmbeddedPropertyList', $lists[$k], @('PropertyListName', 'Values'), @{ PropertyListName = 'String'; Values = 'String[]' })) }
        foreach ($k in $regs.Keys) { $out.RegMultiStringLists.Add([FakeCim]::Embedded('SMS_Client_Reg_MultiString_List', $regs[$k], @('ValueName', 'ValueStrings'), @{ ValueName = 'String'; ValueStrings = 'String[]' })) }
        return $out
    }

    # An SMS_CollectionVariable (Name, Value, IsMasked; cc146201) from the lab's
    # NAME=VALUE. The provider never returns the value of a masked variable: the
    # lab's NAME=(masked) is a masked variable with no value.
    static [FakeWmiObject] CollectionVariable([string]$Item) {
        $eq = $Item.IndexOf('=')
        $name = $Item
        $value = ''
        if ($eq -ge 0) { $name = $Item.Substring(0, $eq); $value = $Item.Substring($eq + 1) }
        $masked = $value -ceq '(masked)'
        if ($masked) { $value = $null }
        return [FakeCim]::Embedded('SMS_CollectionVariable', @{ Name = $name; Value = $value; IsMasked = $masked },
            @('IsMasked', 'Name', 'Value'), @{ IsMasked = 'Boolean'; Name = 'String'; Value = 'String' })
    }

    # One embedded object: its properties in $Order, of CIM types $Types
    # ('String[]': an array of strings).
    static [FakeWmiObject] Embedded([string]$Class, [hashtable]$Values, [string[]]$Order, [hashtable]$Types) {
        $e = [FakeWmiObject]::new()
        $e.ClassName = $Class
        foreach ($n in $Order) {
            $t = [string]$Types[$n]
            if ($t -eq 'String[]') { [FakeCim]::Add($e, $n, $Values[$n], 'String', $true, $false) }
            else { [FakeCim]::Add($e, $n, $Values[$n], $t, $false, $false) }
        }
        return $e
    }

    # WHERE of a parsed query (ConvertFrom-FakeWql) on an instance. A property the
    # instance lacks is null, as WMI gives a property the object does not set.
    static [bool] Where([hashtable]$Query, [FakeWmiObject]$W) {
        $terms = $Query.Terms
        if ($terms.Count -eq 0) { return $true }
        $result = $false
        for ($i = 0; $i -lt $terms.Count; $i++) {
            $t = $terms[$i]
            $v = $null
            foreach ($p in $W.Properties) { if ($p.Name -eq $t[0]) { $v = $p.Value; break } }
            $ok = $false
            if ($v -is [bool]) { $ok = ($v -eq ($t[1] -eq 'TRUE')) }
            else { $ok = ([string]$v -eq [string]$t[1]) }   # WQL compares strings without case
            if ($i -eq 0) { $result = $ok }
            elseif ($Query.Ops[$i - 1] -eq 'AND') { $result = $result -and $ok }
            else { $result = $result -or $ok }
        }
        return $result
    }
}

# A WMI value back to the lab's: DATETIME to ISO, unsigned to long.
function ConvertFrom-FakeCim([FakeWmiProperty]$P) {
    $v = $P.Value
    if ($null -eq $v) { return $null }
    if ($P.Type -eq 'DateTime') {
        $d = [datetime]::ParseExact(([string]$v).Substring(0, 14), 'yyyyMMddHHmmss', [System.Globalization.CultureInfo]::InvariantCulture)
        return $d.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", [System.Globalization.CultureInfo]::InvariantCulture)
    }
    if ($P.IsArray) { return , [string[]]@($v) }
    if ($v -is [bool] -or $v -is [string]) { return $v }
    return [long]$v
}

# ---------------------------------------------------------------------------
# The SMS Provider: root\sms and root\sms\site_CODE.

$script:FakeSciClasses = @('SMS_SCI_ClientComp', 'SMS_SCI_Component', 'SMS_SCI_SysResUse')

$script:FakePaths = @{}

# Get() of an SMS Provider instance: the embedded arrays from the lab object.
$script:FakeSmsLoader = {
    param($self)
    $arr = [FakeCim]::EmbeddedArrays($self.Lab)
    foreach ($p in $self.Properties) {
        if ($p.Lazy) { $p.Value = [object[]]$arr[$p.Name].ToArray() }
    }
}

# Put() of an SMS Provider instance.
$script:FakeSmsSaver = {
    param($self, $options)
    Save-FakeSmsObject $self $options
}

# One SMS Provider instance from a lab object ([FakeCim]::Sms).
function New-FakeSmsObject([string]$WmiClass, [FakeLabObject]$Lab) {
    $w = [FakeCim]::Sms($WmiClass, $Lab, ($script:FakeSciClasses -contains $WmiClass), $script:FakeSmsLoader, $script:FakeSmsSaver, $script:FakePaths)
    if ($WmiClass -eq 'SMS_Site' -or $WmiClass -eq 'SMS_ProviderLocation') { Add-FakeMembers $w }
    return $w
}

# The SCF session of the SDK: a handle, its in-memory copy of the items it
# changed, applied to the site only by CommitSCF.
$script:FakeScfSessions = @{}

function Save-FakeSmsObject([FakeWmiObject]$W, $Options) {
    if (-not (Test-FakeModifyRight ([string][FakeLab]::Current.Site['server']) $W.ClassName)) {
        throw [FakeManagementException]::new('AccessDenied', 'Access denied ')
    }
    $sci = $script:FakeSciClasses -contains $W.ClassName
    if ($sci) {
        # A site-control item changes only inside a session: the context carries
        # the handle (GetSessionHandle remarks), and RefreshSCF came first.
        $h = $null
        if ($null -ne $Options -and $Options -is [hashtable]) { $h = $Options['SessionHandle'] }
        if ($null -eq $h -or -not $script:FakeScfSessions.ContainsKey($h)) {
            throw [FakeManagementException]::new('AccessDenied', 'Access denied ')
        }
        $s = $script:FakeScfSessions[$h]
        if (-not $s.Refreshed) { throw [FakeManagementException]::new('Failed', 'Generic failure ') }
        $s.Pending.Add($W)
        return
    }
    Write-FakeSmsChanges $W
}

function Write-FakeSmsChanges([FakeWmiObject]$W) {
    $lab = [FakeLab]::Current
    foreach ($p in $W.Properties) {
        if ($p.Type -eq 'Object') {
            if (-not $W.Got -or $null -eq $p.Value) { continue }
            foreach ($e in @($p.Value)) {
                if ($e.ClassName -eq 'SMS_EmbeddedProperty') {
                    $pn = [string]$e.GetPropertyValue('PropertyName')
                    foreach ($f in @('Value', 'Value1', 'Value2')) {
                        $path = "Props[$pn].$f"
                        $v = $e.GetPropertyValue($f)
                        if ($null -ne $v -and $f -eq 'Value') { $v = [long]$v }
                        if (-not (Test-FakeSame ($W.Lab.Get($path)) $v)) { $lab.SetValue($W.Lab, $path, $v) }
                    }
                } elseif ($e.ClassName -eq 'SMS_EmbeddedPropertyList') {
                    $path = 'PropLists[' + [string]$e.GetPropertyValue('PropertyListName') + ']'
                    $v = [string[]]@($e.GetPropertyValue('Values'))
                    if (-not (Test-FakeSame ($W.Lab.Get($path)) $v)) { $lab.SetValue($W.Lab, $path, $v) }
                }
            }
            continue
        }
        $v = ConvertFrom-FakeCim $p
        if (-not (Test-FakeSame ($W.Lab.Get($p.Name)) $v)) { $lab.SetValue($W.Lab, $p.Name, $v) }
    }
}

function Test-FakeSame($A, $B) {
    return (ConvertTo-FakeValue $A) -ceq (ConvertTo-FakeValue $B)
}

function Get-FakeSmsObjects([string]$WmiClass) {
    $lab = [FakeLab]::Current
    $labClass = $WmiClass
    if ($WmiClass -eq 'SMS_PackageBaseClass') { $labClass = 'SMS_Package' }
    $out = [System.Collections.Generic.List[object]]::new()
    if ($WmiClass -eq 'SMS_SiteControlFile') { return $out }
    if ($WmiClass -eq 'SMS_Site') {
        foreach ($o in $lab.Objects($labClass)) { $out.Add((New-FakeSmsObject $WmiClass $o)) }
        return $out
    }
    $sci = $script:FakeSciClasses -contains $WmiClass
    foreach ($o in $lab.Objects($labClass)) { $out.Add([FakeCim]::Sms($WmiClass, $o, $sci, $script:FakeSmsLoader, $script:FakeSmsSaver, $script:FakePaths)) }
    return $out
}

# SMS_SiteControlFile: the class (GetSessionHandle, ReleaseSessionHandle) and
# its instance FileType=1 (RefreshSCF, CommitSCF), with the session as context.
function New-FakeScf([bool]$Instance) {
    $w = [FakeWmiObject]::new()
    $w.ClassName = 'SMS_SiteControlFile'
    $w.Methods = {
        param($self, $method, $in, $ctx)
        Invoke-FakeScfMethod $self $method $in $ctx $Instance
    }.GetNewClosure()
    return $w
}

function New-FakeOut([hashtable]$Values) {
    $o = [FakeWmiObject]::new()
    $o.ClassName = '__PARAMETERS'
    foreach ($k in $Values.Keys) { Add-FakeProp $o $k $Values[$k] 'Object' $false }
    Add-FakeMembers $o
    return $o
}

function Invoke-FakeScfMethod($Self, [string]$Method, $In, $Ctx, [bool]$Instance) {
    $code = [string][FakeLab]::Current.Site['code']
    switch -casesensitive ($Method) {
        'GetSessionHandle' {
            $h = '{' + [guid]::NewGuid().ToString().ToUpper() + '}'
            $script:FakeScfSessions[$h] = @{ Refreshed = $false; Pending = [System.Collections.Generic.List[object]]::new() }
            return New-FakeOut @{ ReturnValue = 0; SessionHandle = $h }
        }
        'ReleaseSessionHandle' {
            $h = [string]$In['SessionHandle']
            if (-not $script:FakeScfSessions.ContainsKey($h)) { return New-FakeOut @{ ReturnValue = 1 } }
            $script:FakeScfSessions.Remove($h)   # uncommitted changes are lost
            return New-FakeOut @{ ReturnValue = 0 }
        }
        { $_ -ceq 'RefreshSCF' -or $_ -ceq 'CommitSCF' } {
            if (-not $Instance) { throw [FakeManagementException]::new('InvalidMethod', 'Invalid method ') }
            $h = $null
            if ($Ctx -is [hashtable]) { $h = $Ctx['SessionHandle'] }
            if ($null -eq $h -or -not $script:FakeScfSessions.ContainsKey($h)) { throw [FakeManagementException]::new('AccessDenied', 'Access denied ') }
            if ($null -eq $In -or [string]$In['SiteCode'] -ne $code) { throw [FakeManagementException]::new('InvalidParameter', 'Invalid parameter ') }
            $s = $script:FakeScfSessions[$h]
            if ($Method -ceq 'RefreshSCF') { $s.Refreshed = $true; return New-FakeOut @{ ReturnValue = 0 } }
            foreach ($w in $s.Pending) { Write-FakeSmsChanges $w }
            $s.Pending.Clear()
            return New-FakeOut @{ ReturnValue = 0 }
        }
    }
    # Refresh and Commit are obsolete in 2007 ("SMS_SiteControlFile Server WMI Class").
    throw [FakeManagementException]::new('InvalidMethod', 'Invalid method ')
}

# ---------------------------------------------------------------------------
# WQL: SELECT * FROM CLASS [WHERE PROP = LITERAL [AND|OR PROP = LITERAL]...]

function ConvertFrom-FakeWql([string]$Query) {
    if ($Query -notmatch '^\s*SELECT\s+\*\s+FROM\s+([A-Za-z0-9_]+)\s*(WHERE\s+(.*))?$') {
        throw [FakeManagementException]::new('InvalidQuery', 'Invalid query ')
    }
    $q = @{ Class = $Matches[1]; Terms = [System.Collections.Generic.List[object]]::new(); Ops = [System.Collections.Generic.List[string]]::new() }
    if (-not $Matches[2]) { return $q }
    $rest = $Matches[3]
    while ($true) {
        if ($rest -notmatch '^\s*([A-Za-z0-9_]+)\s*=\s*') { throw [FakeManagementException]::new('InvalidQuery', 'Invalid query ') }
        $prop = $Matches[1]
        $rest = $rest.Substring($Matches[0].Length)
        $val = $null
        if ($rest.StartsWith("'") -or $rest.StartsWith('"')) {
            $quote = $rest[0]
            $sb = New-Object System.Text.StringBuilder
            $i = 1
            while ($i -lt $rest.Length -and $rest[$i] -ne $quote) {
                if ($rest[$i] -eq '\') { $i++ }
                [void]$sb.Append($rest[$i])
                $i++
            }
            if ($i -ge $rest.Length) { throw [FakeManagementException]::new('InvalidQuery', 'Invalid query ') }
            $val = $sb.ToString()
            $rest = $rest.Substring($i + 1)
        } elseif ($rest -match '^(TRUE|FALSE|-?[0-9]+)') {
            $val = $Matches[1]
            $rest = $rest.Substring($Matches[0].Length)
        } else {
            throw [FakeManagementException]::new('InvalidQuery', 'Invalid query ')
        }
        $q.Terms.Add(@($prop, $val))
        if ($rest -match '^\s*$') { break }
        if ($rest -notmatch '^\s+(AND|OR)\s+') { throw [FakeManagementException]::new('InvalidQuery', 'Invalid query ') }
        $q.Ops.Add($Matches[1].ToUpper())
        $rest = $rest.Substring($Matches[0].Length)
    }
    return $q
}

# ---------------------------------------------------------------------------
# Windows of the site systems: root\cimv2, root\MicrosoftIISv2, shares and ACLs.

function Get-FakeLabWhere([string]$Class, [string]$Prop, [string]$Value) {
    $out = [System.Collections.Generic.List[FakeLabObject]]::new()
    foreach ($o in [FakeLab]::Current.Objects($Class)) { if ($o.Text($Prop) -eq $Value) { $out.Add($o) } }
    return , $out
}

function New-FakeWin([string]$Class, [hashtable]$Values, [string[]]$Order) {
    $w = [FakeWmiObject]::new()
    $w.ClassName = $Class
    foreach ($n in $Order) {
        $v = $Values[$n]
        $t = 'String'
        if ($v -is [bool]) { $t = 'Boolean' } elseif ($v -is [uint32]) { $t = 'UInt32' } elseif ($v -is [array]) { $t = 'Object' }
        Add-FakeProp $w $n $v $t ($v -is [array])
    }
    Add-FakeMembers $w
    return $w
}

$script:FakeNtfsRights = @{ F = 0x1F01FF; M = 0x1301BF; RX = 0x1200A9; R = 0x120089; W = 0x100116 }
$script:FakeShareRights = @{ Full = 0x1F01FF; Change = 0x1301BF; Read = 0x1200A9 }

# PRINCIPAL:RIGHTS -> principal, mask, deny.
function Split-FakeEntry([string]$Entry, [hashtable]$Names) {
    $i = $Entry.LastIndexOf(':')
    $who = $Entry.Substring(0, $i)
    $r = $Entry.Substring($i + 1)
    $deny = $false
    if ($r.StartsWith('(DENY)')) { $deny = $true; $r = $r.Substring(6) }
    if ($Names.ContainsKey($r)) { $mask = [uint32]$Names[$r] } else { $mask = [uint32][Convert]::ToInt64($r.Substring(2), 16) }
    return @{ Who = $who; Mask = $mask; Deny = $deny }
}

function Get-FakeShares([string]$Server) {
    $out = [System.Collections.Generic.List[object]]::new()
    foreach ($a in (Get-FakeLabWhere 'FileAcl' 'Server' $Server)) {
        if ($a.Text('Kind') -ne 'share') { continue }
        $name = $a.Text('Path').Split('\')[3]
        # The folder the share points at: the lab's NTFS object of that name on the server.
        $local = 'C:\' + $name
        foreach ($n in (Get-FakeLabWhere 'FileAcl' 'Server' $Server)) {
            $p = $n.Text('Path')
            if ($n.Text('Kind') -eq 'ntfs' -and $p -match '^[A-Za-z]:\\' -and $p.EndsWith('\' + $name)) { $local = $p }
        }
        $out.Add(@{ Name = $name; Path = $local; Acl = $a })
    }
    return , $out
}

function New-FakeAce([string]$Entry) {
    $e = Split-FakeEntry $Entry $script:FakeShareRights
    $b = $e.Who.IndexOf('\')
    $domain = $null
    $name = $e.Who
    if ($b -ge 0) { $domain = $e.Who.Substring(0, $b); $name = $e.Who.Substring($b + 1) }
    $sid = $null
    try { $sid = Resolve-AccountSid $e.Who } catch { $sid = $null }
    $t = New-FakeWin 'Win32_Trustee' @{ Domain = $domain; Name = $name; SID = $sid } @('Domain', 'Name', 'SID')
    $aceType = [uint32]0
    if ($e.Deny) { $aceType = [uint32]1 }
    return New-FakeWin 'Win32_ACE' @{ AccessMask = $e.Mask; AceType = $aceType; AceFlags = [uint32]0; Trustee = $t } @('AccessMask', 'AceType', 'AceFlags', 'Trustee')
}

function Format-FakeShareEntry($Ace) {
    $t = $Ace.Trustee
    $who = [string]$t.Name
    if ($t.Domain) { $who = [string]$t.Domain + '\' + $who }
    # A trustee given by its SID alone (as the fix scripts give it) is named from it.
    if (-not $who -and $null -ne $t.SID) {
        $k = [System.BitConverter]::ToString([byte[]]$t.SID)
        if (-not $script:FakeSidNames.ContainsKey($k)) { throw [FakeManagementException]::new('InvalidParameter', 'Invalid parameter ') }
        $who = $script:FakeSidNames[$k]
    }
    $m = [int64]$Ace.AccessMask
    $r = '0x' + $m.ToString('X')
    foreach ($k in $script:FakeShareRights.Keys) { if ($script:FakeShareRights[$k] -eq $m) { $r = $k } }
    if ([int]$Ace.AceType -eq 1) { $r = '(DENY)' + $r }
    return $who + ':' + $r
}

function New-FakeShareSecurity($Share) {
    $w = New-FakeWin 'Win32_LogicalShareSecuritySetting' @{ Name = $Share.Name } @('Name')
    $w.Lab = $Share.Acl
    $w.Methods = {
        param($self, $method, $in, $ctx)
        if ($method -eq 'GetSecurityDescriptor') {
            $aces = [System.Collections.Generic.List[object]]::new()
            foreach ($e in @($self.Lab.Get('Entries'))) { $aces.Add((New-FakeAce $e)) }
            $sd = New-FakeWin 'Win32_SecurityDescriptor' @{ DACL = [object[]]$aces.ToArray(); ControlFlags = [uint32]4 } @('DACL', 'ControlFlags')
            return New-FakeOut @{ ReturnValue = [uint32]0; Descriptor = $sd }
        }
        if ($method -eq 'SetSecurityDescriptor') {
            $entries = [System.Collections.Generic.List[string]]::new()
            foreach ($a in @($in['Descriptor'].DACL)) { $entries.Add((Format-FakeShareEntry $a)) }
            [FakeLab]::Current.SetValue($self.Lab, 'Entries', [string[]]$entries.ToArray())
            return New-FakeOut @{ ReturnValue = [uint32]0 }
        }
        throw [FakeManagementException]::new('InvalidMethod', 'Invalid method ')
    }
    return $w
}

function Get-FakeIisObjects([string]$Server, [string]$Class) {
    $vdirs = Get-FakeLabWhere 'IIsWebVirtualDir' 'Server' $Server
    $sites = Get-FakeLabWhere 'IIsWebServer' 'Server' $Server
    # A server without IIS 6 has no root\MicrosoftIISv2 namespace.
    if ($vdirs.Count -eq 0 -and $sites.Count -eq 0) { throw [FakeManagementException]::new('InvalidNamespace', 'Invalid namespace ') }
    $out = [System.Collections.Generic.List[object]]::new()
    if ($Class -eq 'IIsWebServerSetting') {
        foreach ($s in $sites) {
            $sb = [System.Collections.Generic.List[object]]::new()
            foreach ($b in @($s.Get('ServerBindings'))) {
                $f = ([string]$b).Split(':')
                $sb.Add((New-FakeWin 'ServerBinding' @{ IP = $f[0]; Port = $f[1]; Hostname = ($f[2..($f.Length - 1)] -join ':') } @('Hostname', 'IP', 'Port')))
            }
            $ssl = [System.Collections.Generic.List[object]]::new()
            foreach ($b in @($s.Get('SecureBindings'))) {
                $f = ([string]$b).Split(':')
                $ssl.Add((New-FakeWin 'SecureBinding' @{ IP = $f[0]; Port = $f[1] } @('IP', 'Port')))
            }
            $out.Add((New-FakeWin 'IIsWebServerSetting' @{ Name = $s.Text('Name'); ServerComment = $s.Text('ServerComment');
                        ServerBindings = [object[]]$sb.ToArray(); SecureBindings = [object[]]$ssl.ToArray() } @('Name', 'SecureBindings', 'ServerBindings', 'ServerComment')))
        }
    } elseif ($Class -eq 'IIsWebVirtualDirSetting') {
        foreach ($v in $vdirs) {
            $f = [long]$v.Get('AccessFlags')
            $w = New-FakeWin 'IIsWebVirtualDirSetting' @{ Name = $v.Text('Name'); Path = $v.Text('Path'); AccessSSL = [bool]$v.Get('AccessSSL')
                AccessRead = [bool]($f -band 1); AccessWrite = [bool]($f -band 2); AccessExecute = [bool]($f -band 4)
                AccessSource = [bool]($f -band 16); AccessScript = [bool]($f -band 512)
            } @('AccessExecute', 'AccessRead', 'AccessScript', 'AccessSource', 'AccessSSL', 'AccessWrite', 'Name', 'Path')
            $w.Lab = $v
            $w.Saver = {
                param($self, $options)
                if ([bool]$self.Lab.Get('AccessSSL') -ne [bool]$self.AccessSSL) { [FakeLab]::Current.SetValue($self.Lab, 'AccessSSL', [bool]$self.AccessSSL) }
            }
            $out.Add($w)
        }
    } else {
        throw [FakeManagementException]::new('InvalidClass', 'Invalid class ')
    }
    return $out
}

function Get-FakeCimv2Objects([string]$Server, [string]$Class) {
    $out = [System.Collections.Generic.List[object]]::new()
    switch ($Class) {
        'Win32_Service' {
            foreach ($s in (Get-FakeLabWhere 'Win32_Service' 'SystemName' $Server)) {
                $w = New-FakeWin 'Win32_Service' @{ Name = $s.Text('Name'); DisplayName = $s.Text('DisplayName'); StartMode = $s.Text('StartMode');
                            State = $s.Text('State'); SystemName = $s.Text('SystemName') } @('DisplayName', 'Name', 'StartMode', 'State', 'SystemName')
                $w.Lab = $s
                $out.Add($w)
            }
        }
        'Win32_Share' {
            foreach ($sh in (Get-FakeShares $Server)) {
                $out.Add((New-FakeWin 'Win32_Share' @{ Name = $sh.Name; Path = $sh.Path; Type = [uint32]0 } @('Name', 'Path', 'Type')))
            }
        }
        'Win32_LogicalShareSecuritySetting' {
            foreach ($sh in (Get-FakeShares $Server)) { $out.Add((New-FakeShareSecurity $sh)) }
        }
        default { throw [FakeManagementException]::new('InvalidClass', 'Invalid class ') }
    }
    return $out
}

# ---------------------------------------------------------------------------
# The agent's Windows contact points, answered from the lab.

# A computer as the lab names its objects' Server: NetBIOS, upper case. Name
# resolution makes CM01 and CM01.woodgrovebank.com the same computer, as DNS does.
function Get-FakeServer([string]$Computer) {
    if ($Computer -eq '.' -or -not $Computer) { $Computer = [string][FakeLab]::Current.Site['server'] }
    $i = $Computer.IndexOf('.')
    if ($i -gt 0) { $Computer = $Computer.Substring(0, $i) }
    return $Computer.ToUpper()
}

function Invoke-WmiQuery([string]$Computer, [string]$Namespace, [string]$Query) {
    $lab = [FakeLab]::Current
    $srv = Get-FakeServer $Computer
    $q = ConvertFrom-FakeWql $Query
    $lab.Check('wmi', $srv, $Namespace)
    $lab.Check('wmi', $srv, $q.Class)
    $site = 'root\sms\site_' + [string]$lab.Site['code']
    $all = $null
    if ($Namespace -eq 'root\sms') {
        if ($q.Class -ne 'SMS_ProviderLocation') { throw [FakeManagementException]::new('InvalidClass', 'Invalid class ') }
        $p = [FakeLabObject]::new()
        foreach ($kv in @(@('Machine', [string]$lab.Site['server']), @('NamespacePath', "\\$([string]$lab.Site['server'])\$site"),
                @('ProviderForLocalSite', $true), @('SiteCode', [string]$lab.Site['code']))) {
            $p.Names.Add($kv[0]); $p.Values.Add($kv[1])
        }
        $all = @(New-FakeSmsObject 'SMS_ProviderLocation' $p)
    } elseif ($Namespace -eq $site) {
        $known = @('SMS_Site', 'SMS_PackageBaseClass', 'SMS_Package', 'SMS_Program', 'SMS_Advertisement', 'SMS_Collection',
            'SMS_CollectionSettings', 'SMS_PackageAccessByUsers', 'SMS_UpdatesAssignment', 'SMS_ConfigurationItem',
            'SMS_AMTCertificate', 'SMS_G_System_CollectedFile', 'SMS_R_System', 'SMS_SCI_ClientComp', 'SMS_SCI_Component', 'SMS_SCI_SysResUse',
            'SMS_BootImagePackage')
        if ($known -notcontains $q.Class) { throw [FakeManagementException]::new('InvalidClass', 'Invalid class ') }
        $all = Get-FakeSmsObjects $q.Class
    } elseif ($Namespace -like 'root\sms\site_*') {
        throw [FakeManagementException]::new('InvalidNamespace', 'Invalid namespace ')
    } elseif ($Namespace -eq 'root\cimv2') {
        $all = Get-FakeCimv2Objects $srv $q.Class
    } elseif ($Namespace -eq 'root\MicrosoftIISv2') {
        $all = Get-FakeIisObjects $srv $q.Class
    } else {
        throw [FakeManagementException]::new('InvalidNamespace', 'Invalid namespace ')
    }
    $out = [System.Collections.Generic.List[object]]::new()
    $scope = @{ Server = $srv; Namespace = $Namespace }
    foreach ($w in $all) {
        $w.Server = $srv
        $w.Scope = $scope
        if ([FakeCim]::Where($q, $w)) { $out.Add($w) }
    }
    return $out.ToArray()
}

function Get-WmiStatus($Exception) {
    if ($Exception -is [FakeManagementException]) { return $Exception.ErrorCode }
    return ''
}

function Connect-WmiNamespace([string]$Computer, [string]$Namespace) {
    $srv = Get-FakeServer $Computer
    [FakeLab]::Current.Check('wmi', $srv, $Namespace)
    return @{ Server = $srv; Namespace = $Namespace }
}

# SMS_SecuredObject.UserHasPermissions(ObjectPath, Permissions): true if the
# current user has the permissions on the class or instance ("UserHasPermissions
# Method in Class SMS_SecuredObject", cc145869; MODIFY = 2, "SMS_UserClassPermissions
# Server WMI Class", cc143194). The simulated account has every right except
# where a rule rights/SERVER/CLASS=AccessDenied of -Fail takes MODIFY away; the
# provider then also refuses a Put of that class (Save-FakeSmsObject).
function Test-FakeModifyRight([string]$Server, [string]$Class) {
    try {
        [FakeLab]::Current.Check('rights', $Server, $Class)
        return $true
    } catch [System.UnauthorizedAccessException] {
        return $false
    }
}

function New-FakeSecuredObject([string]$Server) {
    $w = [FakeWmiObject]::new()
    $w.ClassName = 'SMS_SecuredObject'
    $w.Methods = {
        param($self, $method, $in, $ctx)
        if ($method -cne 'UserHasPermissions') { throw [FakeManagementException]::new('InvalidMethod', 'Invalid method ') }
        $path = [string]$in['ObjectPath']
        $cls = $path
        if ($path.IndexOf('.') -ge 0) { $cls = $path.Substring(0, $path.IndexOf('.')) }
        $ok = $true
        if (([uint32]$in['Permissions'] -band 2) -ne 0) { $ok = Test-FakeModifyRight $Server $cls }
        return New-FakeOut @{ ReturnValue = $ok; Permissions = [uint32]$in['Permissions'] }
    }.GetNewClosure()
    return $w
}

function Get-WmiPathObject($Scope, [string]$Path, [hashtable]$Context) {
    if ($Path -ceq 'SMS_SecuredObject') {
        [FakeLab]::Current.Check('wmi', $Scope.Server, 'SMS_SecuredObject')
        return New-FakeSecuredObject $Scope.Server
    }
    # The site control file and its items are read in its session; another
    # instance (SMS_CollectionSettings read in full) is a read of its own class.
    $cls = $Path
    if ($Path.IndexOf('.') -ge 0) { $cls = $Path.Substring(0, $Path.IndexOf('.')) }
    if ($cls -like 'SMS_SCI_*') { $cls = 'SMS_SiteControlFile' }
    [FakeLab]::Current.Check('wmi', $Scope.Server, $cls)
    if ($Path -ceq 'SMS_SiteControlFile') { return New-FakeScf $false }
    if ($Path -like 'SMS_SiteControlFile.*') { return New-FakeScf $true }
    if (-not $script:FakePaths.ContainsKey($Path)) { throw [FakeManagementException]::new('NotFound', 'Not found ') }
    $lab = $script:FakePaths[$Path]
    $w = New-FakeSmsObject $Path.Substring(0, $Path.IndexOf('.')) $lab
    $w.Get()
    return $w
}

function Invoke-WmiObjectMethod($Target, [string]$Method, [hashtable]$In, [hashtable]$Context) {
    return $Target.InvokeMethod($Method, $In, $Context)
}

function Save-WmiPathObject($Object, [hashtable]$Context) {
    [void]$Object.Put($Context)
}

# ADSI WinNT:// ---------------------------------------------------------------

class FakeAdsiMember {
    [string]$ADsPath
    FakeAdsiMember([string]$Path) { $this.ADsPath = $Path }
}

# [ADSI]'WinNT://SERVER,computer' and [ADSI]'WinNT://SERVER/GROUP,group'.
class FakeAdsiEntry {
    [string]$Path
    [string]$Name
    [string]$SchemaClassName
    [FakeLabObject]$Lab
    [System.Collections.Generic.List[object]]$Children = [System.Collections.Generic.List[object]]::new()
    # DirectoryEntry.Properties: a group's objectSid as the binary SID the
    # WinNT provider gives (the lab's Sid property, as text, turned into bytes).
    [hashtable]$Properties = @{}

    FakeAdsiEntry([string]$Path) {
        $this.Path = $Path
        if ($Path -notmatch '^WinNT://([^/,]+)(/([^,]+))?,(computer|group)$') { throw [System.Runtime.InteropServices.COMException]::new('Unknown error (0x80005000)', -2147463168) }
        $srv = Get-FakeServer $Matches[1]
        $group = $Matches[3]
        [FakeLab]::Current.Check('adsi', $srv, '*')
        $groups = Get-FakeLabWhere 'LocalGroup' 'Server' $srv
        if ($Matches[4] -eq 'computer') {
            if ($groups.Count -eq 0) {
                throw [System.Runtime.InteropServices.COMException]::new('The network path was not found.', -2147024843)
            }
            $this.SchemaClassName = 'Computer'
            $this.Name = $srv
            foreach ($g in $groups) { $this.Children.Add([FakeAdsiEntry]::new($g)) }
            return
        }
        foreach ($g in $groups) { if ($g.Text('Name') -eq $group) { $this.Lab = $g } }
        if ($null -eq $this.Lab) { throw [System.Runtime.InteropServices.COMException]::new('The group name could not be found.', -2147022676) }
        $this.SchemaClassName = 'Group'
        $this.Name = $group
        $this.SetSid()
    }

    [void] SetSid() {
        $sid = $this.Lab.Text('Sid')
        if ($sid -notmatch '^S-(\d+)-(\d+)((-\d+)*)$') { return }
        $subs = @($Matches[3].Split('-', [System.StringSplitOptions]::RemoveEmptyEntries) | ForEach-Object { [uint32]$_ })
        $b = [System.Collections.Generic.List[byte]]::new()
        $b.Add([byte]$Matches[1]); $b.Add([byte]$subs.Count)
        $auth = [uint64]$Matches[2]
        for ($i = 5; $i -ge 0; $i--) { $b.Add([byte](($auth -shr (8 * $i)) -band 0xFF)) }
        foreach ($s in $subs) { $b.AddRange([System.BitConverter]::GetBytes([uint32]$s)) }
        $this.Properties['objectSid'] = [pscustomobject]@{ Value = [byte[]]$b.ToArray() }
    }

    FakeAdsiEntry([FakeLabObject]$Group) {
        $this.Lab = $Group
        $this.Name = $Group.Text('Name')
        $this.SchemaClassName = 'Group'
        $this.Path = 'WinNT://' + $Group.Text('Server') + '/' + $this.Name + ',group'
        $this.SetSid()
    }

    [object] Invoke([string]$Method) { return $this.Invoke($Method, $null) }
    [object] Invoke([string]$Method, $Arg) {
        $members = [System.Collections.Generic.List[string]]::new()
        foreach ($m in @($this.Lab.Get('Members'))) { if ($null -ne $m) { $members.Add([string]$m) } }
        if ($Method -eq 'Members') {
            $out = [System.Collections.Generic.List[object]]::new()
            foreach ($m in $members) { $out.Add([FakeAdsiMember]::new('WinNT://' + $m.Replace('\', '/'))) }
            return $out.ToArray()
        }
        $who = ([string]$Arg).Substring(8).Replace('/', '\')
        if ($Method -eq 'Remove') {
            $i = -1
            for ($k = 0; $k -lt $members.Count; $k++) { if ($members[$k] -eq $who) { $i = $k } }
            if ($i -lt 0) { throw [System.Runtime.InteropServices.COMException]::new('The specified account name is not a member of the group.', -2147023537) }
            $members.RemoveAt($i)
        } elseif ($Method -eq 'Add') {
            foreach ($m in $members) { if ($m -eq $who) { throw [System.Runtime.InteropServices.COMException]::new('The specified account name is already a member of the group.', -2147023518) } }
            $members.Add($who)
        } else {
            throw [System.Runtime.InteropServices.COMException]::new('Unknown name.', -2147352570)
        }
        [FakeLab]::Current.SetValue($this.Lab, 'Members', [string[]]$members.ToArray())
        return $null
    }
}

function Get-AdsiEntry([string]$Path) {
    return [FakeAdsiEntry]::new($Path)
}

# The remote registry ----------------------------------------------------------

class FakeRegistryKey {
    [string]$Server
    [string]$Path
    [bool]$Writable

    [object] OpenSubKey([string]$Sub, [bool]$Writable) {
        $k = [FakeRegistryKey]::new()
        $k.Server = $this.Server
        $k.Path = $Sub
        $k.Writable = $Writable
        if ($k.Values().Count -eq 0) { return $null }
        return $k
    }
    [System.Collections.Generic.List[FakeLabObject]] Values() {
        $out = [System.Collections.Generic.List[FakeLabObject]]::new()
        foreach ($o in (Get-FakeLabWhere 'Registry' 'Server' $this.Server)) { if ($o.Text('Key') -eq 'HKLM\' + $this.Path) { $out.Add($o) } }
        return $out
    }
    [FakeLabObject] Value([string]$Name) {
        foreach ($o in $this.Values()) { if ($o.Text('Name') -eq $Name) { return $o } }
        throw [System.IO.IOException]::new('The system cannot find the file specified.')
    }
    [string[]] GetValueNames() {
        $n = [System.Collections.Generic.List[string]]::new()
        foreach ($o in $this.Values()) { $n.Add($o.Text('Name')) }
        return $n.ToArray()
    }
    [Microsoft.Win32.RegistryValueKind] GetValueKind([string]$Name) {
        switch ($this.Value($Name).Text('Type')) {
            'REG_SZ' { return [Microsoft.Win32.RegistryValueKind]::String }
            'REG_EXPAND_SZ' { return [Microsoft.Win32.RegistryValueKind]::ExpandString }
            'REG_DWORD' { return [Microsoft.Win32.RegistryValueKind]::DWord }
            'REG_QWORD' { return [Microsoft.Win32.RegistryValueKind]::QWord }
            'REG_MULTI_SZ' { return [Microsoft.Win32.RegistryValueKind]::MultiString }
            'REG_BINARY' { return [Microsoft.Win32.RegistryValueKind]::Binary }
        }
        return [Microsoft.Win32.RegistryValueKind]::None
    }
    # As RegistryKey.GetValue: REG_DWORD as Int32 (values over 0x7FFFFFFF negative), REG_BINARY as bytes.
    [object] GetValue([string]$Name, $Default, $Options) {
        $o = $this.Value($Name)
        $v = $o.Get('Value')
        switch ($o.Text('Type')) {
            'REG_DWORD' { return [int32][BitConverter]::ToInt32([BitConverter]::GetBytes([uint32]$v), 0) }
            'REG_QWORD' { return [int64]$v }
            'REG_BINARY' {
                $t = [string]$v
                $b = New-Object byte[] ($t.Length / 2)
                for ($i = 0; $i -lt $b.Length; $i++) { $b[$i] = [Convert]::ToByte($t.Substring(2 * $i, 2), 16) }
                return $b
            }
            'REG_MULTI_SZ' { return [string[]]@($v) }
        }
        return $v
    }
    [void] SetValue([string]$Name, $Value, $Kind) {
        if (-not $this.Writable) { throw [System.UnauthorizedAccessException]::new('Cannot write to the registry key.') }
        $o = $this.Value($Name)
        $v = $Value
        if ($Value -is [int32]) { $v = [long][BitConverter]::ToUInt32([BitConverter]::GetBytes([int32]$Value), 0) }
        [FakeLab]::Current.SetValue($o, 'Value', $v)
    }
    [void] Close() { }
}

function Open-RemoteHklm([string]$Server) {
    [FakeLab]::Current.Check('registry', $Server, '*')
    $k = [FakeRegistryKey]::new()
    $k.Server = $Server
    return $k
}

# NTFS ACLs ----------------------------------------------------------------------

function Get-PathAccessRules([string]$Path) {
    # \\SERVER\D$\rest is D:\rest on SERVER (the agent reads local paths through the admin share).
    $srv = ''
    $p = $Path
    if ($Path -match '^\\\\([^\\]+)\\([A-Za-z])\$(\\.*)?$') {
        $srv = $Matches[1].ToUpper()
        $p = $Matches[2] + ':' + $(if ($Matches[3]) { $Matches[3] } else { '\' })
    } elseif ($Path -match '^\\\\([^\\]+)\\') {
        $srv = $Matches[1].ToUpper()
    }
    [FakeLab]::Current.Check('acl', $srv, $p)
    foreach ($o in [FakeLab]::Current.Objects('FileAcl')) {
        if ($o.Text('Kind') -ne 'ntfs' -or $o.Text('Path') -ne $p) { continue }
        if ($srv -and $o.Text('Server') -ne $srv -and -not $p.StartsWith('\\')) { continue }
        $rules = [System.Collections.Generic.List[object]]::new()
        foreach ($e in @($o.Get('Entries'))) {
            $x = Split-FakeEntry $e $script:FakeNtfsRights
            $type = 'Allow'
            if ($x.Deny) { $type = 'Deny' }
            $rules.Add([pscustomobject]@{
                    FileSystemRights = [System.Security.AccessControl.FileSystemRights][int]$x.Mask
                    AccessControlType = [System.Security.AccessControl.AccessControlType]$type
                    IdentityReference = [pscustomobject]@{ Value = $x.Who }
                })
        }
        return $rules.ToArray()
    }
    throw [System.Management.Automation.ItemNotFoundException]::new("Cannot find path '$Path' because it does not exist.")
}

# Certificate stores --------------------------------------------------------------

class FakeCertExtension {
    [object]$Oid
    [string]$Text
    [string] Format([bool]$Multiline) { return $this.Text }
}

function Open-CertificateStore([string]$Server, [string]$StoreName) {
    [FakeLab]::Current.Check('certstore', $Server, $StoreName)
    $certs = [System.Collections.Generic.List[object]]::new()
    foreach ($c in (Get-FakeLabWhere 'Certificate' 'Server' $Server)) {
        if ($c.Text('Store') -ne 'LocalMachine\' + $StoreName) { continue }
        $ext = [System.Collections.Generic.List[object]]::new()
        if ($c.Text('Template')) {
            # Certificate Template Name (1.3.6.1.4.1.311.20.2): Format() gives the name.
            $e = [FakeCertExtension]::new()
            $e.Oid = [pscustomobject]@{ Value = '1.3.6.1.4.1.311.20.2' }
            $e.Text = $c.Text('Template')
            $ext.Add($e)
        }
        $certs.Add([pscustomobject]@{
                Subject = $c.Text('Subject'); Issuer = $c.Text('Issuer'); Thumbprint = $c.Text('Thumbprint')
                NotBefore = [datetime]::Parse($c.Text('NotBefore'), [System.Globalization.CultureInfo]::InvariantCulture, [System.Globalization.DateTimeStyles]'AdjustToUniversal, AssumeUniversal').ToLocalTime()
                NotAfter = [datetime]::Parse($c.Text('NotAfter'), [System.Globalization.CultureInfo]::InvariantCulture, [System.Globalization.DateTimeStyles]'AdjustToUniversal, AssumeUniversal').ToLocalTime()
                Extensions = [object[]]$ext.ToArray()
                FakeRevoked = $c.Get('Revoked')
            })
    }
    $store = [pscustomobject]@{ Name = $StoreName; Certificates = [object[]]$certs.ToArray() }
    $store | Add-Member -MemberType ScriptMethod -Name Close -Value { }
    return $store
}

function Get-ChainStatus($Cert) {
    if ($null -eq $Cert.FakeRevoked) { return 'RevocationStatusUnknown' }
    if ($Cert.FakeRevoked) { return 'Revoked' }
}

# Accounts (the agent's Resolve-AccountSid) ------------------------------------
# NTAccount.Translate as Windows answers it: well-known accounts by their fixed
# SIDs ("Well-known security identifiers in Windows operating systems"), the
# accounts of a domain the site's data names (DOMAIN\name in group members and
# ACL entries, and the servers' own local accounts) by a SID of that domain,
# anything else IdentityNotMappedException. SIDs are derived from the names, so
# every agent process gives the same; the names of the SIDs this process gave
# are kept for Win32_SecurityDescriptor, whose trustees Windows names from the SID.

$script:FakeWellKnown = @{
    'EVERYONE' = 'S-1-1-0'; 'BUILTIN\ADMINISTRATORS' = 'S-1-5-32-544'; 'BUILTIN\USERS' = 'S-1-5-32-545'
    'BUILTIN\REMOTE DESKTOP USERS' = 'S-1-5-32-555'; 'NT AUTHORITY\SYSTEM' = 'S-1-5-18'
    'NT AUTHORITY\AUTHENTICATED USERS' = 'S-1-5-11'; 'CREATOR OWNER' = 'S-1-3-0'
}
$script:FakeSidNames = @{}
$script:FakeDomains = $null

function Get-FakeHash([string]$Text) {
    [uint32]$h = 2166136261
    foreach ($b in [System.Text.Encoding]::UTF8.GetBytes($Text.ToUpperInvariant())) {
        $h = [uint32](([uint64]($h -bxor $b) * 16777619) % 4294967296)
    }
    return $h
}

function Get-FakeDomains {
    if ($null -ne $script:FakeDomains) { return $script:FakeDomains }
    $d = @{ 'BUILTIN' = $true; 'NT AUTHORITY' = $true }
    $lab = [FakeLab]::Current
    foreach ($o in $lab.Objects('LocalGroup')) {
        $d[$o.Text('Server').ToUpperInvariant()] = $true
        foreach ($m in @($o.Get('Members'))) { $t = [string]$m; $i = $t.IndexOf('\'); if ($i -gt 0) { $d[$t.Substring(0, $i).ToUpperInvariant()] = $true } }
    }
    foreach ($o in $lab.Objects('FileAcl')) {
        foreach ($e in @($o.Get('Entries'))) { $t = [string]$e; $i = $t.IndexOf('\'); if ($i -gt 0) { $d[$t.Substring(0, $i).ToUpperInvariant()] = $true } }
    }
    $script:FakeDomains = $d
    return $d
}

function ConvertTo-FakeSidBytes([string]$Sid) {
    $p = $Sid.Split('-')
    $subs = @($p[3..($p.Length - 1)])
    $b = [System.Collections.Generic.List[byte]]::new()
    $b.Add([byte]$p[1]); $b.Add([byte]$subs.Count)
    $auth = [uint64]$p[2]
    for ($i = 5; $i -ge 0; $i--) { $b.Add([byte](($auth -shr (8 * $i)) -band 0xFF)) }
    foreach ($s in $subs) { $b.AddRange([System.BitConverter]::GetBytes([uint32]$s)) }
    return , [byte[]]$b.ToArray()
}

function Resolve-AccountSid([string]$Account) {
    $up = $Account.ToUpperInvariant()
    $sid = $null
    if ($script:FakeWellKnown.ContainsKey($up)) { $sid = $script:FakeWellKnown[$up] }
    else {
        $i = $Account.IndexOf('\')
        if ($i -gt 0 -and (Get-FakeDomains).ContainsKey($up.Substring(0, $i))) {
            $dom = Get-FakeHash $up.Substring(0, $i)
            $sid = 'S-1-5-21-' + $dom + '-' + ($dom -bxor 0x5A5A5A5A) + '-' + ([uint32]($dom % 1000000)) + '-' + (1000 + (Get-FakeHash $up) % 1000000)
        }
    }
    if ($null -eq $sid) { throw [FakeIdentityNotMappedException]::new('Some or all identity references could not be translated.') }
    $bytes = ConvertTo-FakeSidBytes $sid
    $script:FakeSidNames[[System.BitConverter]::ToString($bytes)] = $Account
    return , $bytes
}

# Win32_SecurityDescriptor.DACL takes an array of Win32_ACE objects (the agent's ConvertTo-WmiObjectArray).
function ConvertTo-WmiObjectArray($List) {
    return , [object[]]$List.ToArray()
}

# [WMIClass]'\\SERVER\root\cimv2:CLASS' then CreateInstance() (the agent's New-WmiInstance).
function New-WmiInstance([string]$Server, [string]$Class) {
    [FakeLab]::Current.Check('wmi', $Server, $Class)
    return [FakeWmiClassPath]::new('\\' + $Server + '\root\cimv2:' + $Class).CreateInstance()
}

# Times the contact points this file puts behind the agent (FakeClock): each is
# replaced by a function that runs the simulation's own between Enter and Leave.
# The agent calls them with positional arguments, which @args passes on as they
# came; what they return and throw passes through unchanged.
function Enable-FakeClock {
    if ($script:FakeUntimed.Count -gt 0) { return }   # once: a second time would wrap the wrappers
    foreach ($name in @('Invoke-WmiQuery', 'Connect-WmiNamespace', 'Get-WmiPathObject', 'Invoke-WmiObjectMethod',
            'Get-AdsiEntry', 'Open-RemoteHklm', 'Get-PathAccessRules', 'Open-CertificateStore', 'Get-ChainStatus',
            'Resolve-AccountSid', 'New-WmiInstance', 'ConvertTo-WmiObjectArray')) {
        $script:FakeUntimed[$name] = (Get-Item "function:$name").ScriptBlock
        Set-Item "function:script:$name" ([scriptblock]::Create(
            "[FakeClock]::Enter(); try { & `$script:FakeUntimed['$name'] @args } finally { [FakeClock]::Leave() }"))
    }
}
$script:FakeUntimed = @{}

# The fix scripts' own contact points -------------------------------------------

# [ADSI] and [WMIClass] in this process: the fix scripts' ADSI groups and
# [WMIClass]'\\SERVER\root\cimv2:Win32_ACE' (and Win32_Trustee) for CreateInstance().
function Register-FakeAccelerators {
    $ta = [psobject].Assembly.GetType('System.Management.Automation.TypeAccelerators')
    foreach ($pair in @(@('ADSI', [FakeAdsiEntry]), @('WMIClass', [FakeWmiClassPath]))) {
        [void]$ta::Remove($pair[0])
        $ta::Add($pair[0], $pair[1])
    }
}

class FakeWmiClassPath : FakeWmiObject {
    FakeWmiClassPath([string]$Path) {
        if ($Path -notmatch ':(Win32_ACE|Win32_Trustee)$') { throw [FakeManagementException]::new('InvalidClass', 'Invalid class ') }
        $this.ClassName = $Matches[1]
    }
}
