#!/bin/sh
# Through a real terminal: SIGTERM, SIGINT (Ctrl-C), SIGHUP and a crash
# (SIGABRT) each leave the terminal restored (off the alternate screen, echo
# and canonical mode back, the shell usable) and the journal consistent.
. "$top_srcdir/tests/tmux/tmux_lib.sh"

J="$TMUX_HOME/data/cmharden/journal.db"
jverify() { env XDG_DATA_HOME="$TMUX_HOME/data" "$CMHARDEN" journal verify >"$T/verify" 2>&1; }

# run_until_killed SIGNAL HOW DESC: starts the wizard (its pid in $T/pid), makes a
# change through it, delivers the signal, and checks what is left behind.
run_until_killed() {
	sig=$1 how=$2 desc=$3 want=$4
	start_pane 80 24
	rm -f "$T/pid"
	type_line "sh -c 'echo \$\$ >$T/pid; exec cmharden'; echo \"status=\$?\""
	expect_screen 'Enter continue' "$desc: the wizard runs"
	keys Enter /
	tm send-keys -t t -l 'remote.notif'
	keys Enter Enter f a Tab Enter
	expect_screen 'The check was run again' "$desc: a fix was applied through the wizard"
	if [ "$how" = kill ]; then
		kill -s "$sig" "$(cat "$T/pid")"
	else
		keys C-c
	fi
	pid=$(cat "$T/pid")
	i=0
	while kill -0 "$pid" 2>/dev/null && [ "$i" -lt 200 ]; do
		sleep 0.05
		i=$((i + 1))
	done
	kill -0 "$pid" 2>/dev/null && fail "$desc: the wizard is still running" || pass "$desc: the wizard ended"
	# Ctrl-C also interrupts the shell's command list, so only a kill leaves a status to read.
	[ "$how" = kill ] && expect_screen "status=$want" "$desc: the process died of SIG$sig (status $want)"
	[ "$(tm display -p -t t '#{alternate_on}')" = 0 ] && pass "$desc: off the alternate screen" ||
		fail "$desc: still on the alternate screen"
	capture | grep -q 'Fix: ' && fail "$desc: the wizard's screen is still shown" ||
		pass "$desc: the shell's screen is back"
	type_line 'echo "MODES: $(stty -a | tr " ;" "\n\n" | grep -E "^-?(echo|icanon|isig)$" | tr "\n" " ")"'
	expect_screen '^MODES: ' "$desc: the shell takes commands again"
	line=$(capture | grep '^MODES: ' | tail -1)
	case "$line" in
	*"-echo"* | *"-icanon"* | *"-isig"*) fail "$desc: terminal modes not restored: $line" ;;
	*echo*icanon*isig* | *isig*icanon*echo* | *icanon*isig*echo*) pass "$desc: echo, icanon and isig are on again" ;;
	*) fail "$desc: cannot read the terminal modes: $line" ;;
	esac
	if jverify; then pass "$desc: the journal verifies"; else
		fail "$desc: journal verify failed"
		sed 's/^/    | /' "$T/verify"
	fi
	env XDG_DATA_HOME="$TMUX_HOME/data" "$CMHARDEN" journal list >"$T/list" 2>&1
	grep -Eq 'planned|conflict' "$T/list" && fail "$desc: the journal has changes without an outcome" ||
		pass "$desc: every change in the journal has an outcome"
	# Undo what this round did, so the next starts from the same state.
	env XDG_DATA_HOME="$TMUX_HOME/data" "$CMHARDEN" undo --session --yes >/dev/null 2>&1
}

run_until_killed TERM kill "SIGTERM" 143
run_until_killed HUP kill "SIGHUP" 129
run_until_killed INT key "Ctrl-C" 130
run_until_killed ABRT kill "a crash (SIGABRT)" 134
[ -e "$J" ] && pass "the journal exists" || fail "no journal was written"
finish
