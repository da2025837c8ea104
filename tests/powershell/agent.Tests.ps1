# Pester 5 unit tests of agent/cmharden-agent.ps1's own functions, run by
# tests/powershell/pester.sh under Set-StrictMode -Version 2.0: field and value
# encoding (every byte value, round trips, canonical form), parameter
# validators, CIM and date conversion, error mapping, and the agreement of
# cmharden's C encoder and decoder (tests/powershell/value_codec) with the
# agent's on random values, both ways.

BeforeAll {
    . $env:CMH_AGENT
    Set-StrictMode -Version 2.0
    function Get-Desc($v) {
        # The description value_codec prints (see its header).
        function ConvertTo-HexText([string]$t) {
            if ($t.Length -eq 0) { return '-' }
            return (($script:Utf8.GetBytes($t) | ForEach-Object { $_.ToString('X2') }) -join '')
        }
        switch ($v.K) {
            'n' { return 'n' }
            'b' { if ($v.V) { return 'b1' } else { return 'b0' } }
            'i' { return 'i' + ([int64]$v.V).ToString([Globalization.CultureInfo]::InvariantCulture) }
            's' { return 's' + (ConvertTo-HexText $v.V) }
            'l' { return 'l' + ((@($v.V) | ForEach-Object { ConvertTo-HexText $_ }) -join ',') }
        }
    }
}

Describe 'Encode-Field and Decode-Field' {
    It 'round-trips every character U+0001..U+00FF alone and together' {
        $all = New-Object System.Text.StringBuilder
        for ($c = 1; $c -le 255; $c++) {
            $s = [string][char]$c
            [void]$all.Append($s)
            $f = Encode-Field $s
            $f | Should -Match '^[!-~]+$'
            Decode-Field $f | Should -BeExactly $s
        }
        $t = $all.ToString()
        Decode-Field (Encode-Field $t) | Should -BeExactly $t
    }
    It 'decodes every %XX byte value 01..FF as that byte' {
        for ($b = 1; $b -le 255; $b++) {
            $f = '%' + $b.ToString('X2')
            $bytes = [System.Text.Encoding]::Latin1.GetBytes((Decode-Field $f ([System.Text.Encoding]::Latin1)))
            $bytes.Length | Should -Be 1
            $bytes[0] | Should -Be $b
        }
    }
    It 'writes space and percent encoded and printable ASCII as itself' {
        Encode-Field 'a b%c' | Should -BeExactly 'a%20b%25c'
        Encode-Field 'C:\Program' | Should -BeExactly 'C:\Program'
    }
    It 'refuses %00, a bad escape and a cut escape' {
        { Decode-Field 'a%00' } | Should -Throw '*%00*'
        { Decode-Field 'a%G1' } | Should -Throw '*hexadecimal*'
        { Decode-Field 'a%4' } | Should -Throw '*hexadecimal*'
    }
    It 'encodes a line break at the end of a field, never sends it raw' {
        Encode-Field ("s:abc" + [char]10) | Should -BeExactly 's:abc%0A'
        Encode-Field ("abc" + [char]13 + [char]10) | Should -BeExactly 'abc%0D%0A'
        $o = @{ Key = ("K" + [char]10); Props = (New-Object System.Collections.ArrayList) }
        [void]$o.Props.Add(@{ N = ("N" + [char]10); V = (New-Value 's' ("v" + [char]10)) })
        Format-ObjectLine '7' $o | Should -BeExactly 'obj 7 K%0A N%0A s:v%0A'
    }
    It 'sends NUL and unpaired surrogates as U+FFFD (fields never hold NUL)' {
        Encode-Field ("a" + [char]0 + "b") | Should -BeExactly 'a%EF%BF%BDb'
        Encode-Field ("a" + [char]0xD800 + "b") | Should -BeExactly 'a%EF%BF%BDb'
    }
    It 'counts a NUL in a list item as the U+FFFD it is sent as' {
        $t = Encode-Value (New-Value 'l' ([string[]]@(('a' + [char]0 + 'b'), ('c' + [char]0xDC00))))
        Decode-Field (Encode-Field $t) | Should -BeExactly ('l:5:a' + [char]0xFFFD + 'b4:c' + [char]0xFFFD)
    }
    It 'writes a line break at the end of a snapshot string escaped' {
        Format-YamlString ("abc" + [char]10) | Should -BeExactly '"abc\n"'
    }
    It 'refuses an empty field' {
        { Encode-Field '' } | Should -Throw '*empty field*'
    }
    It 'round-trips text outside the BMP and in many scripts' {
        $s = "Ärger ünter 中文 " + [char]::ConvertFromUtf32(0x1F600) + " `$(x) ``; '"
        Decode-Field (Encode-Field $s) | Should -BeExactly $s
    }
}

Describe 'Encode-Value and Decode-Value' {
    It 'round-trips <text>' -ForEach @(
        @{ text = 'n:' }, @{ text = 'b:0' }, @{ text = 'b:1' }, @{ text = 'i:0' }, @{ text = 'i:-1' },
        @{ text = 'i:9223372036854775807' }, @{ text = 'i:-9223372036854775808' }, @{ text = 's:' },
        @{ text = 's:C:\x y' }, @{ text = 'l:' }, @{ text = 'l:0:' }, @{ text = 'l:3:abc2:de0:' },
        @{ text = 'l:6:Ärger1::' }
    ) {
        Encode-Value (Decode-Value $text) | Should -BeExactly $text
    }
    It 'counts list lengths in UTF-8 bytes' {
        Encode-Value (New-Value 'l' ([string[]]@('Ä', '中'))) | Should -BeExactly 'l:2:Ä3:中'
    }
    It 'refuses <text>' -ForEach @(
        @{ text = 'x:1' }, @{ text = 'b:2' }, @{ text = 'i:1.5' }, @{ text = 'i:' }, @{ text = 'n:x' },
        @{ text = 'l:5:abc' }, @{ text = 'l:x:' }, @{ text = 'i:99999999999999999999' }, @{ text = 's' }
    ) {
        { Decode-Value $text } | Should -Throw
    }
    It 'does not give back non-canonical text (the run parameters check this)' {
        Encode-Value (Decode-Value 'i:007') | Should -Not -BeExactly 'i:007'
        { ConvertTo-ScriptArgument 'N' 'int' 'i:007' } | Should -Throw '*canonical*'
    }
}

Describe 'Parameter validators' {
    It 'accepts host name <v>' -ForEach @(@{ v = 'CM01' }, @{ v = 'cm01.contoso.com' }, @{ v = 'a-b' }) {
        { Test-ParamHost $v 'p' } | Should -Not -Throw
    }
    It 'refuses host name <v>' -ForEach @(@{ v = '' }, @{ v = '-a' }, @{ v = 'a..b' }, @{ v = 'a b' }, @{ v = 'a;b' }, @{ v = 'a/b' }) {
        { Test-ParamHost $v 'p' } | Should -Throw
    }
    It 'accepts principal <v>' -ForEach @(@{ v = 'CONTOSO\SCCM Admins' }, @{ v = 'Everyone' }, @{ v = 'NT AUTHORITY\SYSTEM' }) {
        { Test-ParamPrincipal $v 'p' } | Should -Not -Throw
    }
    It 'refuses principal <v>' -ForEach @(@{ v = 'A\b/c' }, @{ v = '\x' }, @{ v = 'x,y' }, @{ v = ' x' }, @{ v = 'a\' }) {
        { Test-ParamPrincipal $v 'p' } | Should -Throw
    }
    It 'accepts path <v>' -ForEach @(@{ v = 'C:\Sources' }, @{ v = '\\CM01\Sources$\Updates' }, @{ v = 'D:\' }) {
        { Test-ParamPath $v 'p' } | Should -Not -Throw
    }
    It 'refuses path <v>' -ForEach @(@{ v = 'relative\x' }, @{ v = 'C:\a\..\b' }, @{ v = '\\\x' }, @{ v = 'C:\a*' }, @{ v = '\\CM01' }) {
        { Test-ParamPath $v 'p' } | Should -Throw
    }
    It 'checks ACL entries' {
        { Test-ParamAclEntry 'BUILTIN\Users:RX' 'p' } | Should -Not -Throw
        { Test-ParamAclEntry 'Everyone:(DENY)0x1F01FF' 'p' } | Should -Not -Throw
        { Test-ParamAclEntry 'Everyone' 'p' } | Should -Throw
        { Test-ParamAclEntry 'Everyone:R;X' 'p' } | Should -Throw
    }
    It 'refuses control characters, bidi controls and over-long text' {
        { Test-ParamText "a`nb" 'p' } | Should -Throw '*U+000A*'
        { Test-ParamText ("a" + [char]0x202E + "b") 'p' } | Should -Throw '*U+202E*'
        { Test-ParamText ('x' * 1025) 'p' } | Should -Throw '*1024*'
        { Test-ParamText ('x' * 1024) 'p' } | Should -Not -Throw
    }
    It 'binds typed parameters: <type>' -ForEach @(
        @{ type = 'int'; enc = 'i:5'; want = [long]5 }, @{ type = 'bool'; enc = 'b:1'; want = $true },
        @{ type = 'hostname'; enc = 's:CM01'; want = 'CM01' }
    ) {
        ConvertTo-ScriptArgument 'P' $type $enc | Should -Be $want
    }
    It 'binds a list as string[] and refuses a wrong kind' {
        $l = ConvertTo-ScriptArgument 'P' 'principal-list' 'l:4:A\bc'
        , $l | Should -BeOfType [string[]]
        { ConvertTo-ScriptArgument 'P' 'int' 's:5' } | Should -Throw '*integer*'
        { ConvertTo-ScriptArgument 'P' 'principal-list' 'l:3:a/b' } | Should -Throw
    }
}

Describe 'CIM values and dates' {
    It 'converts CIM integers and booleans' {
        (ConvertTo-AgentValue ([uint32]4294967295) 'UInt32').V | Should -Be 4294967295
        (ConvertTo-AgentValue ([byte]7) 'UInt8').K | Should -Be 'i'
        (ConvertTo-AgentValue $true 'Boolean').K | Should -Be 'b'
        (ConvertTo-AgentValue $null 'String').K | Should -Be 'n'
    }
    It 'keeps a UInt64 above Int64 as text rather than wrap it' {
        $v = ConvertTo-AgentValue ([uint64]::MaxValue) 'UInt64'
        $v.K | Should -Be 's'
        $v.V | Should -Be '18446744073709551615'
    }
    It 'turns arrays into lists' {
        $v = ConvertTo-AgentValue @([uint32]1, [uint32]2) 'UInt32'
        $v.K | Should -Be 'l'
        ($v.V -join ',') | Should -Be '1,2'
    }
    It 'converts DMTF <dmtf> to <iso>' -ForEach @(
        @{ dmtf = '20260131000000.000000+000'; iso = '2026-01-31T00:00:00Z' },
        @{ dmtf = '20260131010000.000000+060'; iso = '2026-01-31T00:00:00Z' },
        @{ dmtf = '20260130230000.000000-060'; iso = '2026-01-31T00:00:00Z' },
        @{ dmtf = '20261231235959.999999+000'; iso = '2026-12-31T23:59:59Z' }
    ) {
        ConvertFrom-DmtfDate $dmtf | Should -BeExactly $iso
        (ConvertTo-AgentValue $dmtf 'DateTime').V | Should -BeExactly $iso
    }
    It 'leaves what is not a DMTF date alone' {
        ConvertFrom-DmtfDate '00000001000000.000000:000' | Should -BeExactly '00000001000000.000000:000'
        ConvertFrom-DmtfDate 'soon' | Should -BeExactly 'soon'
    }
    It 'writes ISO dates back as DMTF in UTC' {
        ConvertTo-DmtfDate '2026-01-31T00:00:00Z' | Should -BeExactly '20260131000000.000000+000'
        ConvertTo-CimValue (New-Value 's' '2026-01-31T12:30:00Z') 'DateTime' $false | Should -BeExactly '20260131123000.000000+000'
    }
    It 'checks the kind of a value set on a CIM property' {
        ConvertTo-CimValue (New-Value 'i' 136) 'UInt32' $false | Should -BeOfType [uint32]
        { ConvertTo-CimValue (New-Value 's' 'x') 'UInt32' $false } | Should -Throw '*integer*'
        { ConvertTo-CimValue (New-Value 'i' -1) 'UInt32' $false } | Should -Throw
        { ConvertTo-CimValue (New-Value 'i' 1) 'Boolean' $false } | Should -Throw '*boolean*'
    }
    It 'sorts properties as the labs do (ASCII letters folded)' {
        Get-FoldedName 'PropLists[X]' | Should -BeExactly 'proplists[x]'
        Get-FoldedName 'Ärger' | Should -BeExactly 'Ärger'
        Get-FoldedName 'ÄB' | Should -BeExactly 'Äb'
    }
}

Describe 'Error mapping' {
    It 'carries the protocol code of an agent error' {
        try { throw (New-AgentError 404 'gone') } catch { $r = $_ }
        Get-ErrorCode $r 500 | Should -Be 404
        Get-ErrorText $r | Should -Be 'gone'
    }
    It 'defaults the code of any other failure' {
        try { throw 'boom' } catch { $r = $_ }
        Get-ErrorCode $r 503 | Should -Be 503
    }
    It 'answers a request it cannot parse with id 0 and 400' {
        $sb = New-Object System.Text.StringBuilder
        [void](Invoke-Request 'hello  1' $sb)
        $sb.ToString() | Should -Match '^error 0 400 '
        $sb = New-Object System.Text.StringBuilder
        [void](Invoke-Request 'get 3 a%00' $sb)
        $sb.ToString() | Should -Match '^error 3 400 '
    }
    It 'refuses requests before hello and an unknown verb after it' {
        $script:SaidHello = $false
        $sb = New-Object System.Text.StringBuilder
        [void](Invoke-Request 'query 2 SMS_Site' $sb)
        $sb.ToString() | Should -Match '^error 2 400 .*hello'
        $script:SaidHello = $true
        $sb = New-Object System.Text.StringBuilder
        [void](Invoke-Request 'frobnicate 4' $sb)
        $sb.ToString() | Should -Match '^error 4 405 '
    }
    It 'answers a set of a read-only agent with 403' {
        $script:SaidHello = $true
        $ReadOnly = $true
        $sb = New-Object System.Text.StringBuilder
        [void](Invoke-Request 'set 5 Registry k Value i:1' $sb)
        $sb.ToString() | Should -Match '^error 5 403 '
    }
}

Describe 'cmharden and the agent agree on the value encoding' {
    It 'decodes what cmharden encodes (random values, C to PowerShell)' {
        $lines = & $env:CMH_CODEC gen 3000 $env:CMH_SEED
        $lines.Count | Should -Be 3000
        $bad = 0
        foreach ($l in $lines) {
            $i = $l.IndexOf(' ')
            $typed = Decode-Field $l.Substring(0, $i) $script:Utf8Strict
            $v = Decode-Value $typed
            if ((Get-Desc $v) -cne $l.Substring($i + 1) -or (Encode-Value $v) -cne $typed) { $bad++ }
        }
        $bad | Should -Be 0
    }
    # Random text holds LF: this direction found Encode-Field sending a value
    # that ends with LF raw (.NET's '$' matches before a final newline).
    It 'encodes what cmharden decodes (random values, PowerShell to C)' {
        $rng = New-Object System.Random ([int]$env:CMH_SEED)
        function RandText {
            $sb = New-Object System.Text.StringBuilder
            $n = $rng.Next(0, 12)
            for ($k = 0; $k -lt $n; $k++) {
                switch ($rng.Next(0, 4)) {
                    0 { [void]$sb.Append([char]$rng.Next(1, 0x80)) }
                    1 { [void]$sb.Append([char]$rng.Next(0x80, 0x800)) }
                    2 { $c = $rng.Next(0x800, 0xD800); [void]$sb.Append([char]$c) }
                    3 { [void]$sb.Append([char]::ConvertFromUtf32($rng.Next(0x10000, 0x110000))) }
                }
            }
            return $sb.ToString()
        }
        $out = New-Object System.Collections.ArrayList
        # Edge values first, every run: printable ASCII that ends with a line
        # break (random text rarely is), NUL-free controls, '%' and spaces.
        $lf = [string][char]10
        $edges = @((New-Value 's' ('abc' + $lf)), (New-Value 's' ('x' + [char]13 + $lf)), (New-Value 's' $lf),
            (New-Value 'l' ([string[]]@('a', ('b' + $lf)))), (New-Value 's' ('%25 ' + [char]9 + [char]0x7F)))
        foreach ($v in $edges) { [void]$out.Add((Encode-Field (Encode-Value $v)) + ' ' + (Get-Desc $v)) }
        for ($k = $edges.Length; $k -lt 3000; $k++) {
            switch ($rng.Next(0, 5)) {
                0 { $v = New-Value 'n' $null }
                1 { $v = New-Value 'b' ($rng.Next(0, 2) -eq 1) }
                2 { $v = New-Value 'i' ([int64]$rng.NextInt64([int64]::MinValue, [int64]::MaxValue)) }
                3 { $v = New-Value 's' (RandText) }
                4 {
                    $items = New-Object System.Collections.ArrayList
                    for ($j = $rng.Next(0, 5); $j -gt 0; $j--) { [void]$items.Add((RandText)) }
                    $v = New-Value 'l' ([string[]]$items.ToArray([string]))
                }
            }
            [void]$out.Add((Encode-Field (Encode-Value $v)) + ' ' + (Get-Desc $v))
        }
        # @(): one line of output ('ok 3000') would otherwise be a string, and [-1] its last character.
        $result = @($out | & $env:CMH_CODEC check)
        ($result -join "`n") | Should -BeExactly 'ok 3000'
    }
}
