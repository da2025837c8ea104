#!/bin/sh
# Through a real terminal: a fix in the wizard while another process holds
# the journal's lock. The status line names the holder (pid, user, command,
# since when) and the time left; Esc cancels the wait and nothing changes;
# left alone, the wizard gives up after CMHARDEN_LOCK_WAIT seconds.
. "$top_srcdir/tests/tmux/tmux_lib.sh"
command -v flock >/dev/null || { echo "flock is needed"; exit 77; }

status_of() { XDG_DATA_HOME="$TMUX_HOME/data" "$CMHARDEN" check --check remote.ask-permission --format json | grep -o '"status":"[a-z_]*"' | head -1; }
mkdir -p -m 700 "$TMUX_HOME/data/cmharden"
L="$TMUX_HOME/data/cmharden/journal.db.lock"
# The holder writes who it is, as a cmharden writer does (journal/lock.c).
flock "$L" sh -c 'echo $$ >"$1.pid"; printf "pid %s, user holder, '\''cmharden fix'\'', since %s\n" $$ \
	"$(date -u +%Y-%m-%dT%H:%M:%SZ)" >"$1"; exec sleep 60' sh "$L" &
holder=$!
sleep 0.5
hpid=$(cat "$L.pid")

# to_confirm: from the start screen to the confirmation of the fix.
to_confirm() {
	type_line 'cmharden; echo "status=$?"'
	expect_screen 'Enter continue' "the wizard starts"
	keys Enter
	expect_screen 'Done +OK +Fail' "the sections overview"
	keys /
	tm send-keys -t t -l 'remote.ask-perm'
	keys Enter
	expect_screen 'Enable "Ask for permission" setting' "the filter finds the check"
	keys Enter
	expect_screen '✘ fail' "the check fails on the default lab"
	keys f
	expect_screen 'Chosen: 1 of 1\. Values to' "f previews the fix"
	keys a
	expect_screen 'Apply this fix\?' "a asks for confirmation"
}

start_pane 120 24 CMHARDEN_LOCK_WAIT=30
to_confirm
keys Tab Enter
expect_screen "Locked by pid $hpid, user holder, 'cmharden fix', since 20" \
	"while waiting, the wizard names the lock's holder: pid, user, command, since"
expect_screen 'waiting [0-9]+ s more \(Esc cancels\)' "and the time left, and that Esc cancels"
keys Escape
expect_screen 'waiting for it was cancelled' "Esc cancels the wait"
[ "$(status_of)" = '"status":"fail"' ] && pass "nothing was changed" || fail "check says $(status_of)"
keys Enter
keys Q
expect_screen 'status=' "the wizard quits"

start_pane 120 24 CMHARDEN_LOCK_WAIT=2
to_confirm
keys Tab Enter
expect_screen "Locked by pid $hpid" "a second wizard waits too"
expect_screen 'try again when it has finished' "it gives up after CMHARDEN_LOCK_WAIT" 10
[ "$(status_of)" = '"status":"fail"' ] && pass "nothing was changed" || fail "check says $(status_of)"
kill "$hpid" 2>/dev/null
wait "$holder" 2>/dev/null
finish
