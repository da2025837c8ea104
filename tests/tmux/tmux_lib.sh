# Shared helpers for the end-to-end tests through a real terminal: a private
# tmux server with a detached session of fixed size whose pane runs a plain
# shell under `env -i` (private data directory, fixed user, locale and TERM),
# into which the tests type commands and keys. Waiting is polling with a
# bounded timeout for expected text, never a fixed sleep alone.
. "$top_srcdir/tests/lib.sh"

if ! command -v tmux >/dev/null 2>&1; then
	echo "tmux is not installed: skipping"
	exit 77
fi

# One tmux server per pane (a fresh socket each time), all killed at the end.
TMUX_TMPDIR=$T
export TMUX_TMPDIR
npane=0
TMUX_SOCK="cmh-test-$$-0"
tm() { tmux -L "$TMUX_SOCK" -f /dev/null "$@"; }
kill_servers() {
	i=0
	while [ "$i" -le "$npane" ]; do
		tmux -L "cmh-test-$$-$i" -f /dev/null kill-server >/dev/null 2>&1
		i=$((i + 1))
	done
}
trap 'kill_servers; rm -rf "$T"' EXIT
ESC=$(printf '\033')

TMUX_HOME="$T/home"
mkdir -p "$TMUX_HOME/data"
ln -s "$CMHARDEN" "$T/cmharden"

# start_pane COLS ROWS [VAR=VALUE...]: a shell in a fresh session; the prompt is "$ ".
start_pane() {
	cols=$1 rows=$2
	shift 2
	tm kill-server >/dev/null 2>&1
	npane=$((npane + 1))
	TMUX_SOCK="cmh-test-$$-$npane"
	tm new-session -d -s t -x "$cols" -y "$rows" \
		"env -i PATH=$T:/usr/bin:/bin HOME=$TMUX_HOME XDG_DATA_HOME=$TMUX_HOME/data USER=tester \
CMHARDEN_CONTENT=$CMHARDEN_CONTENT LC_ALL=C.UTF-8 TERM=tmux-256color PS1='$ ' $* sh"
	tm set-option -g -t t status off >/dev/null
	wait_for '\$' 10 || fail "no shell prompt in the pane"
}

# capture [-e]: the pane's text (with -e, with its escape sequences).
capture() { tm capture-pane -p "$@" -t t; }

# wait_for PATTERN [SECONDS]: until the pane shows PATTERN (grep -E); 1 on timeout.
wait_for() {
	pat=$1 limit=${2:-10}
	i=0
	while [ "$i" -lt $((limit * 20)) ]; do
		if capture | grep -Eq -- "$pat"; then
			return 0
		fi
		sleep 0.05
		i=$((i + 1))
	done
	echo "  timed out after ${limit}s waiting for: $pat"
	capture | sed 's/^/    | /'
	return 1
}

# expect_screen PATTERN DESC: wait for PATTERN, pass or fail with DESC.
expect_screen() { if wait_for "$1" "${3:-10}"; then pass "$2"; else fail "$2"; fi; }

keys() { tm send-keys -t t "$@"; }
# type_line TEXT: types a command line into the shell and presses Enter.
type_line() { tm send-keys -t t -l "$1"; tm send-keys -t t Enter; }
