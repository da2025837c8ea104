#!/bin/sh
# Hostile site data through the command line: `check` and `report` in every
# format and `lab show`/`lab list` must show escape sequences, bidi overrides, invalid
# UTF-8, NUL bytes and megabyte strings inert (nothing a terminal, a
# spreadsheet or an XML reader acts on) and readable (escaped, not dropped).
. "$top_srcdir/tests/lib.sh"
tool="$(dirname "$CMHARDEN")/tests/hostile/hostile_tool"

# check_all NAME TARGET: every report format, each validated.
check_all() {
	name=$1 tgt=$2
	for fmt in text json junit csv; do
		"$CMHARDEN" --target "$tgt" check --format $fmt -o "$T/$name.$fmt" 2>"$T/$name.$fmt.err"
		rc=$?
		[ "$rc" -le 2 ] && [ -s "$T/$name.$fmt" ] && pass "$name: check --format $fmt runs (exit $rc)" ||
			fail "$name: check --format $fmt (exit $rc)"
	done
	"$tool" inert "$T/$name.text" && pass "$name: text report is inert" || fail "$name: text report"
	"$tool" inert "$T/$name.text.err" && pass "$name: messages are inert" || fail "$name: messages"
	"$tool" json "$T/$name.json" && pass "$name: JSON report is valid JSON" || fail "$name: JSON report"
	if command -v xmllint >/dev/null 2>&1; then
		xmllint --noout "$T/$name.junit" && pass "$name: JUnit report is well-formed XML" ||
			fail "$name: JUnit XML is malformed"
	else
		fail "xmllint is missing (scripts/install-deps.sh installs libxml2-utils)"
	fi
	"$tool" inert "$T/$name.junit" && pass "$name: JUnit report is inert" || fail "$name: JUnit report"
	"$tool" csv "$T/$name.csv" && pass "$name: CSV report is inert, no field is a formula" ||
		fail "$name: CSV report"
	longest=$(awk '{ if (length($0) > m) m = length($0) } END { print m + 0 }' "$T/$name.text")
	[ "$longest" -lt 16384 ] && pass "$name: text lines stay short ($longest bytes)" ||
		fail "$name: a text line of $longest bytes"
}

# report_all NAME TARGET: `report` in every format, each validated.
report_all() {
	name=$1 tgt=$2
	for fmt in html md json csv; do
		"$CMHARDEN" --target "$tgt" report --format $fmt -o "$T/$name.r.$fmt" 2>"$T/$name.r.$fmt.err"
		rc=$?
		[ "$rc" -le 1 ] && [ -s "$T/$name.r.$fmt" ] && pass "$name: report --format $fmt is written" ||
			fail "$name: report --format $fmt (exit $rc)"
	done
	"$tool" inert "$T/$name.r.html" && pass "$name: HTML report is inert" || fail "$name: HTML report"
	"$tool" inert "$T/$name.r.md" && pass "$name: Markdown report is inert" || fail "$name: Markdown report"
	"$tool" json "$T/$name.r.json" && pass "$name: JSON report is valid JSON" || fail "$name: JSON report"
	"$tool" csv "$T/$name.r.csv" && pass "$name: CSV report is inert, no field is a formula" ||
		fail "$name: CSV report"
	lacks "$T/$name.r.html" '<b>&amp;</b>' "$name: site markup is escaped in HTML"
	lacks "$T/$name.r.md" '<b>&amp;</b>' "$name: site markup is escaped in Markdown"
}

# show_all NAME TARGET CLASS...: lab show of each class, inert.
show_all() {
	name=$1 tgt=$2
	shift 2
	: >"$T/$name.show"
	for cls in "" "$@"; do
		# shellcheck disable=SC2086
		"$CMHARDEN" --target "$tgt" lab show $cls >>"$T/$name.show" 2>>"$T/$name.show.err"
	done
	"$tool" inert "$T/$name.show" && pass "$name: lab show is inert" || fail "$name: lab show"
	"$tool" inert "$T/$name.show.err" && pass "$name: lab show messages are inert" || fail "$name: lab show messages"
}

# 1. Escapes, bidi overrides, C1 controls, formulas and markup, through YAML.
cp "$top_srcdir/tests/hostile/site-text.yaml" "$T/site-text.yaml"
lab="lab:$T/site-text.yaml"
check_all yaml "$lab"
contains "$T/yaml.text" 'ADV\\x1b\[2J\\x1b\[H' "the clear-screen key reads as text"
contains "$T/yaml.text" 'SRV\\x1b\]0;title\\x0701' "the window-title sequence reads as text"
contains "$T/yaml.json" '"ADV\\u001b\[2J\\u001b\[H"' "JSON keeps the key, escaped"
contains "$T/yaml.csv" "\"'=HYPERLINK" "a formula is defused in CSV"
contains "$T/yaml.junit" '&lt;U+202E&gt;' "JUnit marks the right-to-left override"
report_all yaml "$lab"
contains "$T/yaml.r.html" '&lt;b&gt;&amp;amp;&lt;/b&gt;' "HTML shows the site's markup as text"
contains "$T/yaml.r.md" "cmd\\\\|' /C calc" "a pipe cannot split a Markdown table cell"
show_all yaml "$lab" SMS_Advertisement SMS_Package SMS_SCI_ClientComp LocalGroup
contains "$T/yaml.show" '\\x1b\]52;c;cm0gLXJmIH4K\\x07' "the clipboard write (OSC 52) reads as text"
contains "$T/yaml.show" 'Props\[Visible <U+009B>2J Signal\]' "a C1 CSI in a property name reads as text"
contains "$T/yaml.show" '<U+202E>evil' "the right-to-left override is marked"
mkdir -p "$T/content/labs" && ln -s "$top_srcdir/checks" "$T/content/checks" &&
	ln -s "$top_srcdir/fixes" "$T/content/fixes" &&
	cp "$T/site-text.yaml" "$T/content/labs/"
expect_rc 0 "lab list with a hostile scenario" -- "$CMHARDEN" --content "$T/content" lab list
"$tool" inert "$T/out" && pass "lab list is inert" || fail "lab list"
contains "$T/out" 'Hostile \\x1b\[2J' "lab list shows the title escaped"

# Diagnostics quote the file (a scenario may be a real site's snapshot).
cat >"$T/content/labs/bad.yaml" <<'YAML'
scenario: {name: bad, title: B, "\e]0;pwned\a": 1}
site: {code: "\e[2J"}
objects: []
YAML
expect_rc 1 "content lint of a scenario with escapes in its keys" -- "$CMHARDEN" content lint "$T/content"
"$tool" inert "$T/out" && pass "lint messages are inert" || fail "lint messages are not inert"
contains "$T/out" "unknown key '\\\\x1b\\]0;pwned\\\\x07'" "and quote the key escaped"
expect_rc 2 "a target with escapes in its keys" -- "$CMHARDEN" --target "lab:$T/content/labs/bad.yaml" lab show
"$tool" inert "$T/err" && pass "the target's error is inert" || fail "the target's error is not inert"
rm -f "$T/content/labs/bad.yaml"

# 2. Megabyte strings: cut with a marker in text, whole in JSON.
big=$(head -c 1048576 /dev/zero | tr '\0' 'A')
{
	printf 'scenario: {name: mega, title: Mega}\n'
	printf 'site: {code: MEG, name: "%s", server: SRV, version: 2007 SP2, mode: mixed}\n' "$big"
	printf 'objects:\n  - class: SMS_Advertisement\n    key: "K%s\\e[2J"\n    properties:\n' "$big"
	printf '      AdvertisementID: X\n      PackageID: P\n      RemoteClientFlags: 0x88\n'
	printf '      AdvertisementName: "%s\\e]0;t\\a"\n' "$big"
} >"$T/mega.yaml"
check_all mega "lab:$T/mega.yaml"
contains "$T/mega.text" 'more bytes\]' "a megabyte value is cut in text, and says so"
n=$(tr -c 'A' '\n' <"$T/mega.json" | awk '{ if (length($0) > m) m = length($0) } END { print m + 0 }')
[ "$n" -ge 1048576 ] && pass "JSON holds the whole megabyte value" || fail "JSON cut the value ($n)"
report_all mega "lab:$T/mega.yaml"
show_all mega "lab:$T/mega.yaml" SMS_Advertisement
longest=$(awk '{ if (length($0) > m) m = length($0) } END { print m + 0 }' "$T/mega.show")
[ "$longest" -lt 16384 ] && pass "lab show keeps lines short ($longest bytes)" || fail "lab show line of $longest bytes"

# 3. What YAML cannot carry, put into the lab state file directly.
cp "$top_srcdir/labs/default.yaml" "$T/inj.yaml"
"$CMHARDEN" --target "lab:$T/inj.yaml" lab show >/dev/null 2>&1
db=$(ls -t "$XDG_DATA_HOME"/cmharden/labs/default-*.db 2>/dev/null | head -1)
[ -n "$db" ] && pass "a state file to inject into" || fail "no state file"
"$tool" inject "$db" text && pass "invalid UTF-8, escapes and megabytes injected" || fail "inject text"
check_all state "lab:$T/inj.yaml"
contains "$T/state.text" 'INJ\\xff\\x1b\[2J<U+202E>' "an injected key reads escaped"
contains "$T/state.text" 'Inj \\x80\\xbf' "invalid UTF-8 in the site name reads as \\xNN"
report_all state "lab:$T/inj.yaml"
show_all state "lab:$T/inj.yaml" SMS_Advertisement
contains "$T/state.show" 'Evil\\x1b\[2J\\xff<U+202E>' "an injected property name reads escaped"

"$tool" inject "$db" nul-value nul-key && pass "NUL bytes injected" || fail "inject NUL"
check_all nul "lab:$T/inj.yaml"
contains "$T/nul.json" 'corrupt value of REGNUL.Value' "a value with a NUL is reported corrupt"
expect_rc 2 "lab show of a class with a NUL in a key fails" -- "$CMHARDEN" --target "lab:$T/inj.yaml" lab show Win32_Service
contains "$T/err" 'NUL byte' "the message says why"
"$tool" inert "$T/err" && pass "and quotes the key inert" || fail "the message is not inert"
finish
