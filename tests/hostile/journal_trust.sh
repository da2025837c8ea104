#!/bin/sh
# Every path that acts on journal rows proves the journal first, and one site
# is one site whatever agent command reaches it (doc/journal.md):
#   1. fix (its gate on unfinished changes), reconciliation, journal resolve
#      and the wizard's resume refuse an altered journal, naming the row,
#      exit 2; list, show and verify still read it so it can be inspected;
#   2. undo and journal resolve find a site's changes made through another
#      agent command line (the same site code and server); labs do not.
. "$top_srcdir/tests/lib.sh"
command -v sqlite3 >/dev/null || { echo "sqlite3 is needed"; exit 77; }
cases=0
t() { cases=$((cases + 1)); }
J="$T/journal.db"
C() { "$CMHARDEN" --journal "$J" "$@"; }
prop='Props[MIF Collection].Value'
mif() { "$CMHARDEN" --target "${LAB:-lab:default}" lab show SMS_SCI_ClientComp | sed -n 's/^ *Props\[MIF Collection\]\.Value  *//p'; }
labsum() { find "$XDG_DATA_HOME/cmharden/labs" -name '*.db' -exec sqlite3 {} "SELECT * FROM props ORDER BY 1, 2" \; | cksum; }

# ---- 1. An altered journal is not acted on ------------------------------
"$CMHARDEN" lab reset default >/dev/null 2>&1
C fix inv.disable-mif.disable --yes >/dev/null 2>&1
# A forged verdict: the fix's re-check recorded as something it was not.
sqlite3 "$J" "UPDATE results SET reason = 'forged' WHERE id = (SELECT min(id) FROM results)"
row=$(sqlite3 "$J" "SELECT min(id) FROM results")
sum=$(labsum)
t; expect_rc 2 "fix refuses an altered journal before it changes anything" -- C fix --failing --yes
contains "$T/err" "results row $row was altered" "it names the altered row"
[ "$(labsum)" = "$sum" ] && pass "the site was not changed" || fail "the site changed under an altered journal"
t; expect_rc 2 "journal resolve refuses it" -- C journal resolve 1
contains "$T/err" "results row $row was altered" "resolve names the altered row"
t; expect_rc 0 "journal list still reads it" -- C journal list
t; expect_rc 0 "journal show still reads it" -- C journal show 1
t; expect_rc 1 "journal verify reports it" -- C journal verify
contains "$T/out" "results row $row was altered" "verify lists the problem"

# Reconciliation: a change left planned by a crash is not decided from a
# forged after-value (which would record the site's value as applied).
"$CMHARDEN" lab reset default >/dev/null 2>&1
rm -f "$J"
CMHARDEN_CRASH_AT=after-set C fix inv.disable-mif.disable --yes >/dev/null 2>&1
planned() { sqlite3 "$J" "SELECT state FROM changes WHERE property = '$prop' ORDER BY id DESC LIMIT 1"; }
[ "$(planned)" = planned ] && pass "a crash after the set leaves the change planned" || fail "state $(planned)"
sqlite3 "$J" "UPDATE changes SET before = 'i:0', after = 'i:12' WHERE property = '$prop'"
t; expect_rc 2 "a command that reconciles refuses an altered journal" -- C fix --failing --yes
contains "$T/err" "changes row 1 was altered" "it names the altered change"
[ "$(planned)" = planned ] && pass "the planned change was not decided" || fail "it became $(planned)"
t; expect_rc 2 "undo --session (a preview reconciles too) refuses" -- C undo --session
[ "$(mif)" = 0 ] && pass "the site keeps what the fix set" || fail "MIF $(mif)"

# Resume: the wizard does not reopen the results of an altered journal; its
# start screen says why.
"$CMHARDEN" lab reset default >/dev/null 2>&1
rm -f "$J"
printf '<Enter><Enter>q<Down><Enter>' >"$T/k1"
C wizard --script "$T/k1" --dump-dir "$T" --size 100x30 >/dev/null 2>&1
printf '<Dump start>\n' >"$T/k2"
C wizard --script "$T/k2" --dump-dir "$T" --size 100x30 >/dev/null 2>&1
contains "$T/start.txt" "Results taken" "an intact journal's session is reopened"
sqlite3 "$J" "UPDATE results SET status = 'pass' WHERE id = (SELECT max(id) FROM results)"
row=$(sqlite3 "$J" "SELECT max(id) FROM results")
rm -f "$T/start.txt"
t; C wizard --script "$T/k2" --dump-dir "$T" --size 100x30 >/dev/null 2>&1
tr -s ' \n' ' ' <"$T/start.txt" >"$T/start1.txt"
contains "$T/start1.txt" "results row $row was altered" "the wizard names the altered row"
lacks "$T/start1.txt" "Results taken" "and reopens nothing from it"

# ---- 2. One site, whatever agent command reaches it ----------------------
cp "$top_srcdir/labs/default.yaml" "$T/lab.yaml"
LAB="lab:$T/lab.yaml"
"$CMHARDEN" lab reset "$T/lab.yaml" >/dev/null 2>&1
printf '#!/bin/sh\nexec "%s" agent --lab "%s"\n' "$CMHARDEN" "$T/lab.yaml" >"$T/via.sh"
chmod +x "$T/via.sh"
A1() { "$CMHARDEN" --journal "$T/a.db" --target "agent:$T/via.sh" "$@"; }
A2() { "$CMHARDEN" --journal "$T/a.db" --target "agent:$CMHARDEN agent --lab $T/lab.yaml" "$@"; }
A1 fix inv.disable-mif.disable --yes >/dev/null 2>&1
[ "$(mif)" = 0 ] && pass "identity: a fix through one agent command" || fail "identity: MIF $(mif)"
t; expect_rc 0 "identity: undo --session through another command" -- A2 undo --session --yes
contains "$T/out" "Undone: 1 change" "identity: it finds the change"
[ "$(mif)" = 12 ] && pass "identity: and restores it" || fail "identity: MIF $(mif) after undo"
A1 fix inv.disable-mif.disable --yes >/dev/null 2>&1
id=$(sqlite3 "$T/a.db" "SELECT max(id) FROM changes")
t; expect_rc 0 "identity: undo CHANGE through another command" -- A2 undo "$id" --yes
[ "$(mif)" = 12 ] && pass "identity: the change is restored" || fail "identity: MIF $(mif)"

# journal resolve: a change left planned through one command, the site then
# changed by hand, is settled through another.
CMHARDEN_CRASH_AT=after-set A1 fix inv.disable-mif.disable --yes >/dev/null 2>&1
id=$(sqlite3 "$T/a.db" "SELECT max(id) FROM changes")
for db in "$XDG_DATA_HOME"/cmharden/labs/*.db; do
	sqlite3 "$db" "UPDATE props SET value = 'i:7' WHERE name = '$prop'"
done
t; expect_rc 0 "identity: journal resolve through another command" -- A2 journal resolve "$id"
contains "$T/out" "Change $id is now resolved" "identity: it is resolved"

# Labs match by their spec only: two labs may simulate one site.
"$CMHARDEN" lab reset default >/dev/null 2>&1
"$CMHARDEN" lab reset "$T/lab.yaml" >/dev/null 2>&1
"$CMHARDEN" --journal "$T/l.db" --target "$LAB" fix inv.disable-mif.disable --yes >/dev/null 2>&1
t; "$CMHARDEN" --journal "$T/l.db" --target lab:default undo --session --yes >"$T/out" 2>&1
contains "$T/out" "Nothing to undo" "labs: another lab of the same site code does not undo it"
[ "$(mif)" = 0 ] && pass "labs: the first lab keeps its change" || fail "labs: MIF $(mif)"

expect_rc 0 "the agent journal verifies at the end" -- "$CMHARDEN" --journal "$T/a.db" journal verify
echo "figures: cases=$cases"
finish
