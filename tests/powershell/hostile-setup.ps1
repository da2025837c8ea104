# Windows text no lab can hold, for tests/powershell/agent_hostile.sh (run-agent.ps1
# -Setup): a NUL inside a registry string and a group member (Windows strings may
# hold one; protocol fields never do), an unpaired surrogate in an embedded
# property (UTF-16 that is not Unicode), a property of a megabyte and a key of a
# megabyte (an object no protocol line can carry). Test code only.
$fake = [FakeLab]::Current
$lf = [string][char]10
$fake.Hold('Registry', 'CM01/HKLM\SOFTWARE\Policies\Microsoft\Windows NT\Terminal Services/fAllowUnsolicited', 'Value',
    ('1' + [char]0 + 'hidden' + [char]27 + '[2J'))
$fake.Hold('LocalGroup', 'CM01/Remote Desktop Users', 'Members', [string[]]@(('CONTOSO\nul' + [char]0 + 'x'), 'CONTOSO\Helpdesk'))
$fake.Hold('SMS_SCI_ClientComp', 'Remote Control', 'Props[Permission Required].Value1', ('lone ' + [char]0xD800 + ' surrogate'))
$fake.Hold('Win32_Service', 'CM01/BITS', 'DisplayName', ('B' * 1100000) + [char]27 + '[2J')
$adv = 'HOS' + [char]27 + '[2J' + [char]27 + '[H;$(New-Item pwned-key)`x`''q''"d"%25'
$fake.Hold('SMS_Advertisement', $adv, 'AdvertisementID', ('A' * 1100000) + [char]27 + ']0;pwned' + [char]7 + $lf)
