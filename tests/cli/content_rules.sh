#!/bin/sh
# Verdicts that hold on real sites: each rule of the content, on the lab that
# carries its case. Every assertion here failed before the rule was written.
. "$top_srcdir/tests/lib.sh"

row_of() { # CHECK-ID -> its whole JSON object from 'check --format json' in $T/c.json
	grep "^{\"id\":\"$1\"" "$T/c.json" | head -1
}
status_of() { row_of "$1" | sed -n 's/.*"status":"\([a-z_]*\)".*/\1/p' | head -1; }
flags_of() { # LAB-CLASS-KEY: the RemoteClientFlags of one advertisement, as 'lab show' prints it
	"$CMHARDEN" lab show SMS_Advertisement | awk -v k="$1" '
		$1 == "SMS_Advertisement" { cur = $2 } cur == k && $1 == "RemoteClientFlags" { print $2; exit }'
}

# --- task sequences download content when needed (0x100/0x200), never 0x10/0x40 ---
"$CMHARDEN" lab reset default >/dev/null
expect_rc 0 "preview of the task sequence fix" -- "$CMHARDEN" fix osd.ts-download-content.download
contains "$T/out" "CON20030 *RemoteClientFlags: 136 (0x88: RUN_FROM_LOCAL_DISPPOINT | RUN_FROM_REMOTE_DISPPOINT) -> 384 (0x180: RUN_FROM_REMOTE_DISPPOINT | DOWNLOAD_ON_DEMAND_FROM_LOCAL_DP)" "0x08 becomes 0x100 (download when needed, local)"
contains "$T/out" "CON20030 *RemoteClientFlags: 384 (0x180: .*) -> 768 (0x300: DOWNLOAD_ON_DEMAND_FROM_LOCAL_DP | DOWNLOAD_ON_DEMAND_FROM_REMOTE_DP)" "0x80 becomes 0x200 (download when needed, remote)"
lacks "$T/out" "-> [0-9]* (0x[0-9A-F]*: .*DOWNLOAD_FROM_\(LOCAL\|REMOTE\)_DISPPOINT" "no task sequence is set to download everything before it starts"
contains "$T/out" "next policy poll" "the preview says when clients receive the change"
expect_rc 1 "apply the task sequence fix (the inherited advertisement stays failing)" -- \
	"$CMHARDEN" fix osd.ts-download-content.download --yes
[ "$(flags_of CON20030)" = 768 ] && pass "CON20030 is 0x300 after the fix" || fail "CON20030 is $(flags_of CON20030)"
[ "$(flags_of CON20031)" = 288 ] && pass "CON20031 (0x28) is 0x120 after the fix" || fail "CON20031 is $(flags_of CON20031)"

# --- objects created at a parent site are judged, never changed ---
[ "$(flags_of CEN20012)" = 136 ] && pass "the advertisement created at CEN was not touched" ||
	fail "CEN20012 changed to $(flags_of CEN20012)"
"$CMHARDEN" check --format json >"$T/c.json"
[ "$(status_of osd.ts-download-content)" = fail ] && pass "the inherited advertisement still fails the check" ||
	fail "osd.ts-download-content is $(status_of osd.ts-download-content)"
row_of osd.ts-download-content | grep -q 'CEN20012' && pass "the failing object is the inherited one" ||
	fail "CEN20012 is not in the evidence"
expect_rc 0 "preview again" -- "$CMHARDEN" fix osd.ts-download-content.download
contains "$T/out" "CEN20012 *left alone: .*created at another site (SourceSite), where it must be changed" \
	"the preview says where to change the inherited advertisement"
expect_rc 0 "undo the task sequence fix" -- "$CMHARDEN" undo --session --yes
[ "$(flags_of CON20030)" = 136 ] && pass "undo restores 0x88" || fail "CON20030 is $(flags_of CON20030) after undo"

# --- packages without source files are not judged by swdist.download-content ---
"$CMHARDEN" lab reset hardened >/dev/null
"$CMHARDEN" --target lab:hardened check --format json >"$T/c.json"
[ "$(status_of swdist.download-content)" = pass ] &&
	pass "hardened passes although the no-source package's advertisement runs from the distribution point" ||
	fail "swdist.download-content is $(status_of swdist.download-content) on hardened"
lacks "$T/c.json" '"CON20040"' "the advertisement of a package without source is not in the evidence"

# --- one host rule: FQDN site server, NetBIOS names in the site control file ---
"$CMHARDEN" --target lab:leaky-dps check --format json >"$T/c.json"
[ "$(status_of dp.remove-from-site-server)" = fail ] &&
	pass "a DP named \\\\CM01 on site server CM01.woodgrovebank.com fails (no false pass)" ||
	fail "dp.remove-from-site-server is $(status_of dp.remove-from-site-server) on leaky-dps"
st=$(status_of console.no-nonadmin-rdp-siteserver)
[ "$st" = pass ] || [ "$st" = fail ] && pass "the site server's Remote Desktop Users group is found by its short name ($st)" ||
	fail "console.no-nonadmin-rdp-siteserver is $st on leaky-dps"
row_of console.no-nonadmin-rdp-siteserver | grep -q 'CM01/Remote Desktop Users' &&
	pass "the group judged is CM01's" || fail "CM01's group is not the one judged"

# --- built-in groups by well-known SID, whatever their name ---
"$CMHARDEN" --target lab:default check --format json >"$T/c.json"
row_of console.no-lowrights-ts-to-sitesystems | grep -q 'Utilisateurs du Bureau' &&
	pass "the French Remote Desktop Users group (S-1-5-32-555) is judged" ||
	fail "the localized group is not judged"
row_of console.no-lowrights-ts-to-sitesystems | grep -q 'S-1-5-32-555' &&
	pass "the evidence shows the SID" || fail "no SID in the evidence"
# Through the agent protocol and in a snapshot, a group carries its SID too.
"$CMHARDEN" --target "agent:$CMHARDEN agent --lab default" check --format json >"$T/c.json"
row_of console.no-lowrights-ts-to-sitesystems | grep -q '"Sid":"S-1-5-32-555"' &&
	pass "cmharden agent --lab reports the SID" || fail "no SID through the agent"
"$CMHARDEN" --target "agent:$CMHARDEN agent --lab default" snapshot -o "$T/snap.yaml" --name sids >/dev/null 2>&1
grep -q "Sid: 'S-1-5-32-555'" "$T/snap.yaml" && pass "a snapshot keeps the SID" || fail "no SID in the snapshot"
"$CMHARDEN" --target lab:default check --format json >"$T/c.json"

# --- a PXE service point that does not respond (IsActive 0) is not judged ---
for id in osd.pxe-password osd.pxe-specific-interfaces; do
	row_of $id | grep -q '"SMS PXE Service Point/CM02"' && ! row_of $id | grep -q 'SMS PXE Service Point/LYN-WS0142' &&
		pass "$id judges the active service point only" || fail "$id: the inactive role is judged (or the active one is not)"
	row_of $id | grep -q '"Props\[IsActive\].Value"' && pass "$id shows IsActive" || fail "$id does not show IsActive"
done

# --- site control changes: the preview and the undo say when clients get them ---
"$CMHARDEN" lab reset default >/dev/null
expect_rc 0 "preview of a site control fix" -- "$CMHARDEN" fix inv.disable-mif.disable
contains "$T/out" "next machine policy poll.*every 60 minutes by default" "the preview says when clients receive it"
contains "$T/out" "^http://systemscenter.ru/smsv4.en/html/c0d334a8-1d00-4397-84ce-6eea49d6c5c3.htm$" "with the page, its URL unwrapped on a line of its own"
"$CMHARDEN" fix inv.disable-mif.disable --yes >/dev/null 2>&1
expect_rc 0 "undo preview" -- "$CMHARDEN" undo --session
contains "$T/out" "next machine policy poll" "the undo says it too"
expect_rc 0 "preview of a fix that is no site control change" -- "$CMHARDEN" fix sum.utc-deadlines.use-utc
lacks "$T/out" "machine policy poll" "other fixes do not claim it"

# --- fail-or-ask: fails on evidence of a violation, otherwise asks ---
"$CMHARDEN" lab reset default >/dev/null
"$CMHARDEN" check --format json >"$T/c.json"
row_of oob.dedicated-provisioning-collection | grep -q '"kind":"fail-or-ask".*"status":"fail","decided_by":"site"' &&
	pass "All Systems provisioning: the automated part fails the check" ||
	fail "oob.dedicated-provisioning-collection: $(row_of oob.dedicated-provisioning-collection | cut -c1-300)"
expect_rc 1 "check text output" -- "$CMHARDEN" check --check oob.dedicated-provisioning-collection
contains "$T/out" "(fail-or-ask, inferred)" "the text output names the kind and the basis of its automated part"
contains "$T/out" "decided by the automated part" "and which part decided"
# An answer never overrides a violation the automated part found, neither "yes"
# nor "no": the site decided, and the check fails with its own finding.
id=oob.dedicated-provisioning-collection
expect_rc 0 "answer yes while the automated part finds a violation" -- \
	"$CMHARDEN" attest $id --answer yes --note "looks fine to me"
"$CMHARDEN" check --format json >"$T/c.json"
row_of $id | grep -q '"status":"fail","decided_by":"site"' &&
	pass "a yes does not override a violation the automated part found" ||
	fail "attesting yes turned the failure into: $(row_of $id | cut -c1-300)"
expect_rc 0 "the report too" -- "$CMHARDEN" report --format json -o "$T/r.json"
contains "$T/r.json" "\"id\":\"$id\"[^]]*\"status\":\"fail\"" "the report keeps the automated failure"
lacks "$T/r.json" "\"id\":\"$id\"[^]]*\"status\":\"attested\"" "and does not call it attested"
expect_rc 0 "answer no while the automated part finds a violation" -- \
	"$CMHARDEN" attest $id --answer no --note "servers get provisioned too"
"$CMHARDEN" check --format json >"$T/c.json"
row_of $id | grep -q '"status":"fail","decided_by":"site","reason":"1 of 2 SMS_CollectionSettings' &&
	! row_of $id | grep -q 'servers get provisioned too' &&
	pass "a no leaves the automated part's finding as the reason" ||
	fail "answering no: $(row_of $id | cut -c1-300)"
expect_rc 0 "fix the built-in collection" -- "$CMHARDEN" fix $id.disable-builtin --yes
"$CMHARDEN" check --format json >"$T/c.json"
row_of $id | grep -q '"status":"fail","decided_by":"operator","reason":"judged not compliant by [^"]*: servers get provisioned too"' &&
	pass "with no violation left, the answer no fails the check with its note" ||
	fail "after the fix, answer no: $(row_of $id | cut -c1-300)"
expect_rc 0 "answer yes" -- "$CMHARDEN" attest $id --answer yes --note "only the vPro desktops collection"
"$CMHARDEN" check --format json >"$T/c.json"
row_of $id | grep -q '"status":"attested","decided_by":"operator"' &&
	pass "with no violation left, the answer yes attests the check" ||
	fail "after the fix, answer yes: $(row_of $id | cut -c1-300)"
# A waiver outranks the automated part's finding as it does any failure.
"$CMHARDEN" lab reset default >/dev/null
"$CMHARDEN" check --format json >"$T/c.json"
row_of $id | grep -q '"status":"fail","decided_by":"site"' &&
	pass "the violation is back: the earlier yes is set aside again" ||
	fail "after lab reset: $(row_of $id | cut -c1-300)"
expect_rc 0 "waive the check" -- "$CMHARDEN" waive $id --reason "provisioning window" --until 2999-01-01
"$CMHARDEN" check --format json >"$T/c.json"
row_of $id | grep -q '"status":"waived","decided_by":"waiver"' &&
	pass "a waiver still applies to a violation the automated part found" ||
	fail "waived: $(row_of $id | cut -c1-300)"
"$CMHARDEN" --target lab:hardened check --format json >"$T/c.json"
row_of oob.dedicated-provisioning-collection | grep -q '"status":"needs_attestation","decided_by":"operator","reason":"Automatic AMT provisioning is enabled on the collections shown.*"automated_part":"all 1 ' &&
	pass "hardened: no violation, so the operator is asked, with what the automated part found" ||
	fail "hardened: $(row_of oob.dedicated-provisioning-collection | cut -c1-400)"
# The SDK gives AMTAutoProvisionEnabled as Boolean and as String: both are read.
sed "s/^      AMTAutoProvisionEnabled: true$/      AMTAutoProvisionEnabled: 'True'/" "$CMHARDEN_CONTENT/labs/default.yaml" |
	sed 's/^  name: default$/  name: text-flags/' >"$T/text-flags.yaml"
grep -q "AMTAutoProvisionEnabled: 'True'" "$T/text-flags.yaml" || fail "the text-flags lab was not set up"
"$CMHARDEN" --target "lab:$T/text-flags.yaml" check --format json >"$T/c.json"
[ "$(status_of oob.dedicated-provisioning-collection)" = fail ] &&
	pass "AMTAutoProvisionEnabled as the text 'True' fails like the Boolean" ||
	fail "text form: $(status_of oob.dedicated-provisioning-collection)"
expect_rc 0 "the fix leaves a text-typed property alone" -- \
	"$CMHARDEN" --target "lab:$T/text-flags.yaml" fix oob.dedicated-provisioning-collection.disable-builtin
lacks "$T/out" "AMTAutoProvisionEnabled: .* -> false" "no type-changing write is planned"
# Settings of a collection created at the parent site are judged, never changed.
awk '/^  - class: SMS_CollectionSettings$/ { c = 1 } /^  - class: / && !/SMS_CollectionSettings/ { c = 0 }
	c && /^      SourceSite: CON$/ && !done { print "      SourceSite: CEN"; done = 1; next } { print }' \
	"$CMHARDEN_CONTENT/labs/default.yaml" | sed 's/^  name: default$/  name: parent-settings/' >"$T/parent-settings.yaml"
grep -q "SourceSite: CEN" "$T/parent-settings.yaml" || fail "the parent-settings lab was not set up"
expect_rc 0 "preview the AMT fix where All Systems' settings come from the parent site" -- \
	"$CMHARDEN" --target "lab:$T/parent-settings.yaml" fix oob.dedicated-provisioning-collection.disable-builtin
contains "$T/out" "SMS00001 *left alone: .*created at another site (SourceSite), where they must be changed" \
	"the preview leaves the parent's settings alone and says where to change them"
lacks "$T/out" "AMTAutoProvisionEnabled: true -> false" "no change is planned on the parent's settings"

# --- content lint refuses servers compared with '=' ---
mkdir -p "$T/lint"
cp -R "$CMHARDEN_CONTENT/checks" "$CMHARDEN_CONTENT/fixes" "$CMHARDEN_CONTENT/labs" "$T/lint/"
chmod -R go-w "$T/lint"
sed -i "s/none: \"NetworkOSPath same_host site.server\"/none: \"host(NetworkOSPath) = site.server\"/" "$T/lint/checks/03-dp.yaml"
grep -q 'host(NetworkOSPath) = site.server' "$T/lint/checks/03-dp.yaml" || fail "the lint case was not set up"
expect_rc 1 "lint refuses host(...) = site.server" -- "$CMHARDEN" content lint "$T/lint"
contains "$T/out" "03-dp.yaml:[0-9]*:[0-9]*: expression: compare servers with same_host" "with its position"
cp "$CMHARDEN_CONTENT/checks/03-dp.yaml" "$T/lint/checks/03-dp.yaml"
awk '/^      references:$/ && f { skip = 1; next } skip && /^          title:/ { skip = 0; next }
	skip { next } /^    fails_if:$/ { f = 1 } /^    guidance:$/ { f = 0 } { print }' \
	"$CMHARDEN_CONTENT/checks/14-oob.yaml" >"$T/lint/checks/14-oob.yaml"
expect_rc 1 "lint refuses a fail-or-ask part without references" -- "$CMHARDEN" content lint "$T/lint"
contains "$T/out" "14-oob.yaml:[0-9]*:[0-9]*: .*references" "the missing citation is named with its position"
# Lab score: a fail-or-ask goal to attest is met only by a "yes" given while the
# automated part finds no violation.
L="--target lab:careless-oob"
goal_of() { "$CMHARDEN" lab score careless-oob --format json | grep -o "{\"check\":\"$id\"[^{]*"; }
"$CMHARDEN" lab reset careless-oob >/dev/null
# shellcheck disable=SC2086
expect_rc 0 "careless-oob: answer yes before the fix" -- "$CMHARDEN" $L attest $id --answer yes --note "looks fine"
goal_of | grep -q '"status":"fail",.*"met":false' && pass "score: a yes does not meet the goal while the violation stands" ||
	fail "score before the fix: $(goal_of | cut -c1-300)"
# shellcheck disable=SC2086
expect_rc 0 "careless-oob: fix" -- "$CMHARDEN" $L fix $id.disable-builtin --yes
# shellcheck disable=SC2086
expect_rc 0 "careless-oob: answer no" -- "$CMHARDEN" $L attest $id --answer no --note "servers too"
goal_of | grep -q '"status":"fail",.*"met":false' && pass "score: a no fails the check and leaves the goal open" ||
	fail "score, answer no: $(goal_of | cut -c1-300)"
# shellcheck disable=SC2086
expect_rc 0 "careless-oob: answer yes" -- "$CMHARDEN" $L attest $id --answer yes --note "only the vPro desktops"
goal_of | grep -q '"status":"attested",.*"met":true' && pass "score: a yes after the fix meets the goal" ||
	fail "score, answer yes: $(goal_of | cut -c1-300)"
finish
