#!/bin/sh
# Through a real terminal: start the wizard with no command, walk into the
# first section (its checks run), open a check, go to the next check and the
# next section, back to the overview, and quit back to the shell.
. "$top_srcdir/tests/tmux/tmux_lib.sh"

start_pane 80 24
type_line 'cmharden; echo "status=$?"'
expect_screen 'Enter continue' "cmharden without a command starts the wizard on a terminal"
expect_screen 'Site +CON' "the start screen shows the site"
expect_screen 'Before implementing these best practices' "and the checklist's warning"
keys w
expect_screen '6 checks ran' "w walks into section 1 and runs its checks"
expect_screen 'Section 1 of 14: Configuration Manager Console' "the section heading is shown"
keys Enter
expect_screen 'console\.least-privilege' "Enter opens the first check"
expect_screen 'Question' "an attestation check shows its question"
keys n
expect_screen 'console\.no-nonadmin-on-siteserver' "n goes to the next check"
keys q
keys n
expect_screen 'Section 2 of 14' "n in a section goes on to the next section"
expect_screen '6 checks ran' "and runs its checks"
keys q
expect_screen '12 of 82 checked' "the overview counts both sections"
keys '?'
expect_screen 'Keys on this screen' "? shows the keys"
keys q Q
expect_screen 'status=0' "Q quits with status 0"
lacks_screen() { if capture | grep -Eq -- "$1"; then fail "$2"; else pass "$2"; fi; }
lacks_screen 'Enter continue|Sections' "the wizard's screen is gone (alternate screen left)"
[ "$(tm display -p -t t '#{alternate_on}')" = 0 ] && pass "the terminal is off the alternate screen" ||
	fail "the alternate screen is still on"
finish
