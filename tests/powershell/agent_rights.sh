#!/bin/sh
# The account's MODIFY right on the SMS Provider, through the real PowerShell
# agent and the relay against the simulated site: the agent asks
# SMS_SecuredObject.UserHasPermissions and says what `cmharden agent --lab
# --deny-modify` says for the same account; the doctor names the class and the
# fixes it blocks; the fix is then refused by the provider, nothing changed;
# the relay asks in the provider's session.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/powershell/find-pwsh.sh"
ps_require "the SMS Provider rights in the probe (tests/powershell/agent_rights.sh)"
on_lab="$top_srcdir/tests/powershell/agent-on-lab"
deny='rights/*/SMS_Advertisement=AccessDenied'

# 1. The probe's right lines: the same from the real agent and the lab agent.
printf 'hello 1 1 1\nprobe 2\nbye 3\n' | "$on_lab" default -Fail "$deny" 2>"$T/ps.err" | grep '^right ' >"$T/ps"
printf 'hello 1 1 1\nprobe 2\nbye 3\n' | "$CMHARDEN" agent --lab default --deny-modify SMS_Advertisement |
	grep '^right ' >"$T/lab"
contains "$T/ps" "^right 2 SMS_Advertisement modify no\$" "the agent: no MODIFY on SMS_Advertisement"
contains "$T/ps" "^right 2 SMS_Package modify yes\$" "the agent: MODIFY on SMS_Package"
if [ -s "$T/lab" ] && cmp -s "$T/ps" "$T/lab"; then
	pass "the agent's right lines are the lab agent's"
else
	fail "the agent and the lab agent disagree on the rights"
	diff "$T/lab" "$T/ps" | head -10 | sed 's/^/    | /'
fi

# 2. The doctor through the agent, and the fix it names: refused, nothing changed.
expect_rc 0 "doctor through the agent exits 0 (everything is readable)" -- \
	"$CMHARDEN" --target "agent:$on_lab default -Fail $deny" doctor
contains "$T/out" "^  SMS_Advertisement  *no MODIFY right on the class.*swdist.download-content.download" \
	"the doctor names SMS_Advertisement and the fix it blocks"
"$CMHARDEN" --target lab:default fix swdist.download-content --dry-run 2>/dev/null | grep 'for check' >"$T/before"
expect_rc 2 "the fix is refused through the agent" -- \
	"$CMHARDEN" --target "agent:$on_lab default -Fail $deny" fix swdist.download-content --yes
contains "$T/err" "SMS_Advertisement 'CON2000" "the refusal names the advertisement"
"$CMHARDEN" --target lab:default fix swdist.download-content --dry-run 2>/dev/null | grep 'for check' >"$T/after"
if [ -s "$T/before" ] && cmp -s "$T/before" "$T/after"; then
	pass "nothing was changed: $(cat "$T/after")"
else
	fail "the site changed: $(cat "$T/before") / $(cat "$T/after")"
fi

# 3. The relay asks in the provider's session.
printf 'hello 1 1 1\nprobe 2\nbye 3\n' | "$top_srcdir/tests/powershell/relay-on-lab" default 2>"$T/relay.err" |
	grep '^right ' >"$T/relay"
contains "$T/relay" "^right 2 SMS_Advertisement modify yes\$" "the relay: the provider's answer for SMS_Advertisement"
[ "$(wc -l <"$T/relay")" -eq 3 ] && pass "the relay: one line per secured class" ||
	fail "the relay gave $(wc -l <"$T/relay") right lines"
finish
