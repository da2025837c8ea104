#!/bin/sh
# The account's rights on the SMS Provider in the doctor: through
# `cmharden agent --lab` rehearsing an account without the MODIFY right on
# SMS_Advertisement (--deny-modify), the doctor names the class and the fixes
# that change it; the classes the probe does not ask about are "not probed",
# never granted; a target without a probe says rights were not probed; and the
# fix the doctor names is indeed refused by that agent, nothing changed.
. "$top_srcdir/tests/lib.sh"

AGENT="$CMHARDEN agent --lab default"

# 1. Every right granted: the probe says so per secured class.
printf 'hello 1 1 1\nprobe 2\nbye 3\n' | $AGENT >"$T/wire"
for cls in SMS_Collection SMS_Package SMS_Advertisement; do
	contains "$T/wire" "^right 2 $cls modify yes\$" "the lab's probe: MODIFY on $cls granted"
done
expect_rc 0 "all rights: doctor exits 0" -- "$CMHARDEN" --target "agent:$AGENT" doctor
contains "$T/out" "Rights on the SMS Provider, per class the fixes change:" "the rights are shown"
contains "$T/out" "^  SMS_Advertisement  *the account may modify every object of the class; fixes:.*swdist.download-content.download" \
	"SMS_Advertisement: may modify, with the fixes that change it"
contains "$T/out" "^  SMS_SCI_ClientComp  *not probed" "a site control class is not probed"
lacks "$T/out" "SMS_SCI_ClientComp  *the account may modify" "and never shown as granted"

# 2. No MODIFY on SMS_Advertisement: named, with both fixes that change it;
# the site is still readable (exit 0).
printf 'hello 1 1 1\nprobe 2\nbye 3\n' | $AGENT --deny-modify SMS_Advertisement >"$T/wire"
contains "$T/wire" "^right 2 SMS_Advertisement modify no\$" "--deny-modify: the probe says no for SMS_Advertisement"
contains "$T/wire" "^right 2 SMS_Package modify yes\$" "and yes for the others"
expect_rc 0 "denied: doctor exits 0 (everything is still readable)" -- \
	"$CMHARDEN" --target "agent:$AGENT --deny-modify SMS_Advertisement" doctor
contains "$T/out" "^  SMS_Advertisement  *no MODIFY right on the class: these fixes are refused" \
	"SMS_Advertisement: no MODIFY right"
contains "$T/out" "SMS_Advertisement .*osd.ts-download-content.download" "names osd.ts-download-content.download"
contains "$T/out" "SMS_Advertisement .*swdist.download-content.download" "names swdist.download-content.download"
contains "$T/out" "Everything the checklist needs is readable" "the checklist is still readable"

# 3. What the doctor says is what happens: the fix is refused, nothing changes.
"$CMHARDEN" --target "agent:$AGENT" fix swdist.download-content --dry-run 2>/dev/null | grep 'for check' >"$T/before"
expect_rc 2 "the fix the doctor named is refused" -- \
	"$CMHARDEN" --target "agent:$AGENT --deny-modify SMS_Advertisement" fix swdist.download-content --yes
contains "$T/err" "Access denied (the account has no MODIFY right on SMS_Advertisement)" "with the provider's reason"
contains "$T/out" "applied 0 change(s)" "no change was applied"
"$CMHARDEN" --target "agent:$AGENT" fix swdist.download-content --dry-run 2>/dev/null | grep 'for check' >"$T/after"
if [ -s "$T/before" ] && cmp -s "$T/before" "$T/after"; then
	pass "the advertisements offend as before: $(cat "$T/after")"
else
	fail "the offending advertisements changed: $(cat "$T/before") / $(cat "$T/after")"
fi

# 4. A target without a probe (a lab in process): rights not probed, not granted.
expect_rc 0 "lab: doctor exits 0" -- "$CMHARDEN" --target lab:default doctor
contains "$T/out" "Rights on the SMS Provider: not probed by this target" "lab: rights not probed"
lacks "$T/out" "may modify" "lab: no class shown as modifiable"

# 5. Only the secured classes can be denied.
expect_rc 64 "--deny-modify of another class is a usage error" -- "$CMHARDEN" agent --lab default --deny-modify SMS_SCI_ClientComp
contains "$T/err" "SMS_Collection, SMS_Package or SMS_Advertisement" "which names the classes it takes"
finish
