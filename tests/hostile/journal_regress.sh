#!/bin/sh
# The journal's promises under attack, one regression test per defect found
# (doc/journal.md): locks, an altered journal given to undo, output files
# that are special files or symlinks, journal paths that are symlinks,
# missing, empty or damaged journals, lying and failing agents, ids out of
# range, a data directory others can write.
. "$top_srcdir/tests/lib.sh"
command -v sqlite3 >/dev/null || { echo "sqlite3 is needed"; exit 77; }
command -v flock >/dev/null || { echo "flock is needed"; exit 77; }
cases=0
t() { cases=$((cases + 1)); }
J="$T/journal.db"
C() { "$CMHARDEN" --journal "$J" "$@"; }
mif() { "$CMHARDEN" --target "${LAB:-lab:default}" lab show SMS_SCI_ClientComp | sed -n 's/^ *Props\[MIF Collection\]\.Value  *//p'; }

# ---- 1. One writer per site --------------------------------------------
"$CMHARDEN" lab reset default >/dev/null 2>&1
# Another process holds the journal's lock (flock(1) takes the same lock).
flock "$J.lock" sleep 4 &
holder=$!
sleep 0.3
start=$(date +%s)
t; CMHARDEN_LOCK_WAIT=1 expect_rc 2 "a second writer gives up with exit 2" -- "$CMHARDEN" --journal "$J" fix --failing --yes
contains "$T/err" "is in use by" "it says who holds the lock"
contains "$T/err" "waiting up to 1 seconds" "it says it waits, and how long"
took=$(($(date +%s) - start))
[ "$took" -le 3 ] && pass "it waited about the time given (${took}s)" || fail "it took ${took}s"
[ "$(mif)" = 12 ] && pass "nothing was changed" || fail "MIF value $(mif)"
t; expect_rc 0 "a reader runs beside the writer" -- "$CMHARDEN" --journal "$J" journal list
wait $holder
# A holder that dies (SIGKILL) leaves no lock behind.
# (-o: the lock is the flock process's own, not its child's)
flock -o "$J.lock" sleep 30 &
holder=$!
sleep 0.3
kill -9 $holder
wait $holder 2>/dev/null
pkill -P $$ -x sleep 2>/dev/null
t; CMHARDEN_LOCK_WAIT=1 expect_rc 0 "a crashed holder's lock is taken over" -- "$CMHARDEN" --journal "$J" fix inv.disable-mif.disable --yes
# The holder a writer records is what a waiter shows.
(CMHARDEN_LOCK_WAIT=5 "$CMHARDEN" --journal "$J" undo --session --yes >/dev/null 2>&1 &)
sleep 0.05
CMHARDEN_LOCK_WAIT=5 "$CMHARDEN" --journal "$J" fix inv.disable-mif.disable --yes >"$T/out" 2>"$T/err"
wait
t; if grep -q "is in use by" "$T/err"; then contains "$T/err" "pid [0-9]*, user .*'cmharden undo', since 20" "the waiter names pid, user, command and since"; else pass "the two writers did not overlap (nothing to show)"; fi
C undo --session --yes >/dev/null 2>&1
C undo --session --yes >/dev/null 2>&1

# Reconciliation never decides a change a live process owns: a change left
# planned (crash after the set) is not decided while another process holds
# the locks.
"$CMHARDEN" lab reset default >/dev/null 2>&1
rm -f "$J" "$J.lock"
CMHARDEN_CRASH_AT=after-set "$CMHARDEN" --journal "$J" fix inv.disable-mif.disable --yes >/dev/null 2>&1
planned() { sqlite3 "$J" "SELECT count(*) FROM changes WHERE state = 'planned'"; }
[ "$(planned)" = 1 ] && pass "a crash after the set leaves the change planned" || fail "planned: $(planned)"
flock "$J.lock" sleep 3 &
holder=$!
sleep 0.3
t; "$CMHARDEN" --journal "$J" undo --session >"$T/out" 2>"$T/err"
[ "$(planned)" = 1 ] && pass "a reader does not decide a change while a writer holds the lock" ||
	fail "the change was decided under another process's lock"
wait $holder
t; expect_rc 0 "the next writer reconciles it" -- "$CMHARDEN" --journal "$J" undo --session --yes
contains "$T/out" "1 applied" "reconciliation found it applied"
[ "$(mif)" = 12 ] && pass "and undo restored it" || fail "MIF value $(mif)"

# ---- 2. Undo trusts only a verified journal -------------------------------
"$CMHARDEN" lab reset default >/dev/null 2>&1
rm -f "$J"
C fix inv.disable-mif.disable --yes >/dev/null 2>&1
sqlite3 "$J" "UPDATE changes SET before = 'i:4242' WHERE property = 'Props[MIF Collection].Value'"
t; expect_rc 2 "undo refuses an altered journal" -- "$CMHARDEN" --journal "$J" undo --session --yes
contains "$T/err" "changes row 1 was altered" "it names the altered row"
[ "$(mif)" = 0 ] && pass "the forged value was not written to the site" || fail "MIF value $(mif) after undo"

# ---- 3. Output files ------------------------------------------------------
"$CMHARDEN" lab reset default >/dev/null 2>&1
rm -f "$J"
echo old >"$T/target.txt"
ln -s "$T/target.txt" "$T/link.txt"
t; expect_rc 0 "report -o through a symlink" -- "$CMHARDEN" --journal "$J" report -o "$T/link.txt"
[ -L "$T/link.txt" ] && pass "the symlink stays a symlink" || fail "the symlink was replaced"
grep -q "<html" "$T/target.txt" && pass "the file it points to holds the report" || fail "the report is not behind the link"
ln -s "$T/nowhere" "$T/dangling"
t; expect_rc 2 "a dangling symlink is refused" -- "$CMHARDEN" snapshot -o "$T/dangling"
[ ! -e "$T/nowhere" ] && pass "nothing was created through it" || fail "a file was created through a dangling link"
mkfifo "$T/fifo"
cat "$T/fifo" >"$T/fifo.out" &
t; expect_rc 0 "report -o FIFO" -- "$CMHARDEN" --journal "$J" report -o "$T/fifo"
wait
[ -p "$T/fifo" ] && pass "the fifo is still a fifo" || fail "the fifo was replaced"
grep -q "<html" "$T/fifo.out" && pass "the report went through the fifo" || fail "nothing came through the fifo"
t; expect_rc 1 "check -o /dev/null (the lab has findings)" -- "$CMHARDEN" check -o /dev/null
[ -c /dev/null ] && pass "/dev/null is still a character device" || fail "/dev/null was replaced"
echo x >"$T/h1"
ln "$T/h1" "$T/h2"
t; expect_rc 2 "a file with two hard links is refused" -- "$CMHARDEN" --journal "$J" report -o "$T/h1"
[ "$(cat "$T/h2")" = x ] && pass "the linked file is unchanged" || fail "the hard link changed"
mkdir "$T/dir"
t; expect_rc 2 "a directory is refused" -- "$CMHARDEN" snapshot -o "$T/dir"
echo keep >"$T/snap.yaml"
chmod 640 "$T/snap.yaml"
t; expect_rc 0 "snapshot -o replaces a regular file" -- "$CMHARDEN" snapshot -o "$T/snap.yaml"
[ "$(stat -c %a "$T/snap.yaml")" = 640 ] && pass "keeping its mode" || fail "mode $(stat -c %a "$T/snap.yaml")"
ls -a "$T" | grep -q cmharden- && fail "a temporary file was left behind" || pass "no temporary file is left behind"

# ---- 4. Journal paths and damaged journals ------------------------------
C fix inv.disable-mif.disable --yes >/dev/null 2>&1
C undo --session --yes >/dev/null 2>&1
[ -s "$J" ] && pass "a journal to damage" || fail "no journal at $J"
echo "not a journal" >"$T/plain"
chmod 644 "$T/plain"
ln -s "$T/plain" "$T/jlink"
t; expect_rc 2 "a journal path that is a symlink is refused" -- "$CMHARDEN" --journal "$T/jlink" fix inv.disable-mif.disable --yes
contains "$T/err" "symbolic link" "saying so"
[ "$(cat "$T/plain")" = "not a journal" ] && [ "$(stat -c %a "$T/plain")" = 644 ] && pass "the file behind it is untouched" ||
	fail "the file behind the link changed"
t; expect_rc 2 "journal verify on a missing path" -- "$CMHARDEN" --journal "$T/missing.db" journal verify
contains "$T/err" "there is no journal at" "says it is missing"
[ ! -e "$T/missing.db" ] && pass "and creates nothing" || fail "a journal was created"
for sub in list export; do
	t; expect_rc 2 "journal $sub on a missing path" -- "$CMHARDEN" --journal "$T/missing.db" journal $sub
done
[ ! -e "$T/missing.db" ] && pass "still nothing created" || fail "a journal was created"
: >"$T/empty.db"
t; expect_rc 2 "an empty journal is refused" -- "$CMHARDEN" --journal "$T/empty.db" fix inv.disable-mif.disable --yes
contains "$T/err" "is empty" "saying it is empty"
[ ! -s "$T/empty.db" ] && pass "and it stays empty" || fail "the empty file was written"
# The newest schema this cmharden reads, plus one (src/journal/journal.h).
newer=$(($(sed -n 's/^#define JOURNAL_SCHEMA \([0-9]*\)$/\1/p' "$top_srcdir/src/journal/journal.h") + 1))
for v in -1 -2147483648 "$newer"; do
	cp "$J" "$T/v.db"
	sqlite3 "$T/v.db" "PRAGMA user_version = $v"
	sum=$(cksum <"$T/v.db")
	t; expect_rc 2 "a journal of schema $v is refused" -- "$CMHARDEN" --journal "$T/v.db" journal list
	[ "$(cksum <"$T/v.db")" = "$sum" ] && pass "schema $v: the file is unchanged" || fail "schema $v: the file changed"
done
contains "$T/err" "newer cmharden" "a newer schema says so"
cp "$J" "$T/v.db"
sqlite3 "$T/v.db" "PRAGMA user_version = -1"
"$CMHARDEN" --journal "$T/v.db" journal list 2>"$T/err"
contains "$T/err" "unknown journal schema (-1)" "a negative schema is named as unknown"
head -c 6000 "$J" >"$T/cut.db"
t; expect_rc 2 "a damaged journal is refused" -- "$CMHARDEN" --journal "$T/cut.db" journal list
lacks "$T/err" "not a cmharden journal" "and not called foreign"
contains "$T/err" "damaged\|malformed\|disk image" "with SQLite's reason"
head -c 100 /dev/urandom >"$T/junk.db"
t; expect_rc 2 "a file that is not a database is refused" -- "$CMHARDEN" --journal "$T/junk.db" journal list
contains "$T/err" "not a cmharden journal" "as foreign"
mkdir -m 777 "$T/open"
t; expect_rc 2 "a journal in a directory others can write is refused" -- "$CMHARDEN" --journal "$T/open/j.db" fix inv.disable-mif.disable --yes
[ ! -e "$T/open/j.db" ] && pass "and not created" || fail "created in a world-writable directory"
mkdir -m 700 "$T/private"
C2="$CMHARDEN --journal $T/private/j.db"
t; $C2 fix inv.disable-mif.disable --yes >/dev/null 2>&1 || true
$C2 undo --session --yes >/dev/null 2>&1 || true
[ "$(stat -c %a "$T/private/j.db" 2>/dev/null)" = 600 ] && pass "a new journal is created 0600" || fail "mode $(stat -c %a "$T/private/j.db" 2>/dev/null)"

# A data directory others can write is refused, as ssh refuses its keys.
chmod 777 "$XDG_DATA_HOME/cmharden"
t; expect_rc 2 "a data directory others can write is refused" -- "$CMHARDEN" fix inv.disable-mif.disable --yes
chmod 700 "$XDG_DATA_HOME/cmharden"

# ---- 5. Lying and failing agents -----------------------------------------
# A proxy between cmharden and a real agent on a lab: MODE err answers the
# set with an error after passing it on (the change took effect), MODE lie
# answers it with the current value without passing it on (a set that was
# never made), MODE type answers a string where the property is an integer.
cp "$top_srcdir/labs/default.yaml" "$T/lab.yaml"
LAB="lab:$T/lab.yaml"
# The mode is read from a file: the target's command line stays the same, so
# the journal knows the changes made through it as changes of one target.
cat >"$T/proxy.sh" <<EOF
#!/bin/sh
mode=\$(cat "$T/mode")
while IFS= read -r line; do
	case "\$line" in
	"set "*)
		id=\$(echo "\$line" | cut -d' ' -f2)
		echo "\$id" >"$T/setid"
		if [ "\$mode" = lie ]; then line=\$(echo "\$line" | cut -d' ' -f1-5 | sed 's/^set /get /'); fi ;;
	esac
	printf '%s\\n' "\$line"
done | "$CMHARDEN" agent --lab "$T/lab.yaml" | while IFS= read -r line; do
	id=\$(cat "$T/setid" 2>/dev/null)
	if [ -n "\$id" ]; then
		case "\$line" in
		"value \$id "*)
			if [ "\$mode" = lose ]; then rm -f "$T/setid"; kill \$\$; exit 0; fi
			[ "\$mode" = err ] && continue
			[ "\$mode" = type ] && line="value \$id s:oops" ;;
		"end \$id")
			rm -f "$T/setid"
			[ "\$mode" = err ] && line="error \$id 500 the%20agent%20failed" ;;
		esac
	fi
	printf '%s\\n' "\$line"
done
EOF
chmod +x "$T/proxy.sh"
state() { sqlite3 "$T/a.db" "SELECT state FROM changes WHERE property = 'Props[MIF Collection].Value' AND undoes IS NULL ORDER BY id DESC LIMIT 1"; }
before() { sqlite3 "$T/a.db" "SELECT before FROM changes WHERE property = 'Props[MIF Collection].Value' AND undoes IS NULL ORDER BY id DESC LIMIT 1"; }
A() { "$CMHARDEN" --journal "$T/a.db" --target "agent:$T/proxy.sh" "$@"; }

echo err >"$T/mode"
t; A fix inv.disable-mif.disable --yes >"$T/out" 2>&1
[ "$(mif)" = 0 ] && pass "err: the set took effect behind the error" || fail "err: MIF $(mif)"
[ "$(state)" = applied ] && pass "err: the change is applied (read back), not failed" || fail "err: the change is '$(state)'"
echo pass >"$T/mode"
t; expect_rc 0 "err: undo finds it and restores it" -- A undo --session --yes
[ "$(mif)" = 12 ] && pass "err: the value is restored" || fail "err: MIF $(mif) after undo"

echo lie >"$T/mode"
t; A fix inv.disable-mif.disable --yes >"$T/out" 2>&1
rc=$?
[ "$(mif)" = 12 ] && pass "lie: the agent did not make the set" || fail "lie: MIF $(mif)"
[ "$(state)" != applied ] && pass "lie: the change is not applied ($(state))" || fail "lie: a set the site does not show is applied"
[ "$rc" -ne 0 ] && pass "lie: the fix does not succeed (exit $rc)" || fail "lie: exit 0"

echo type >"$T/mode"
t; A fix inv.disable-mif.disable --yes >"$T/out" 2>&1
[ "$(before)" = "i:12" ] && pass "type: a reply of the wrong type is not recorded as the value replaced" ||
	fail "type: the journal recorded '$(before)' as the value replaced"
echo pass >"$T/mode"
t; A undo --session --yes >/dev/null 2>&1
[ "$(mif)" = 12 ] && pass "type: undo restores the real value" || fail "type: MIF $(mif) after undo"

# ---- 6. The same site through another agent command ---------------------
# The answer to a set is lost (the change stays planned); the next command
# reaches the same site through a different agent command line, and must
# still reconcile it: sessions are matched by the site's identity.
echo lose >"$T/mode"
A fix inv.disable-mif.disable --yes >"$T/out" 2>&1
[ "$(state)" = planned ] && pass "identity: a lost answer leaves the change planned" || fail "identity: '$(state)'"
DIRECT="agent:$CMHARDEN agent --lab $T/lab.yaml"
t; "$CMHARDEN" --journal "$T/a.db" --target "$DIRECT" undo --session >"$T/out" 2>&1
[ "$(state)" = applied ] && pass "identity: another agent command reconciles it (applied)" ||
	fail "identity: the change is '$(state)' after a command through another agent command line"
echo pass >"$T/mode"
A undo --session --yes >/dev/null 2>&1
[ "$(mif)" = 12 ] && pass "identity: undo restored it" || fail "identity: MIF $(mif)"

# ---- 6b. Ids out of range are usage errors --------------------------------
for cmd in "journal show 9223372036854775808" "undo 9223372036854775808" "undo --run 99999999999999999999" \
	"journal resolve 9223372036854775808"; do
	# shellcheck disable=SC2086
	t; expect_rc 64 "$cmd: out of range" -- "$CMHARDEN" --journal "$J" $cmd
done

# ---- 7. A terminal without cursor addressing is refused with a message ---
if command -v script >/dev/null; then
	for term in dumb unknown-terminal-xyz; do
		t; TERM=$term timeout 20 script -qec "$CMHARDEN --journal $J" /dev/null </dev/null >"$T/out" 2>&1
		rc=$?
		[ "$rc" -eq 2 ] && pass "TERM=$term: the wizard exits 2" || fail "TERM=$term: exit $rc"
		contains "$T/out" "needs a terminal that can move the cursor" "TERM=$term: and says why"
	done
fi

expect_rc 0 "the journal verifies at the end" -- "$CMHARDEN" --journal "$T/a.db" journal verify
echo "figures: cases=$cases"
finish
