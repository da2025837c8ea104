#!/bin/sh
# The customer's report after a fix session, compared with a baseline made
# before it: summary, findings, action plan, change log, sign-off and the
# comparison in every format; the JSON validates against doc/report.schema.json
# (python3-jsonschema) and the Markdown renders as CommonMark (cmark-gfm)
# without links, raw HTML or needless escapes.
. "$top_srcdir/tests/lib.sh"
PY=${PYTHON3:-python3}
if ! "$PY" -c 'import jsonschema' 2>/dev/null; then
	echo "SKIP: python3-jsonschema is needed to validate the JSON report (scripts/install-deps.sh)"
	exit 77
fi
if ! command -v cmark-gfm >/dev/null 2>&1; then
	echo "SKIP: cmark-gfm is needed to render the Markdown report (scripts/install-deps.sh)"
	exit 77
fi
SCHEMA="$top_srcdir/doc/report.schema.json"
validate() { # FILE...
	"$PY" - "$SCHEMA" "$@" <<'PYEOF'
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
jsonschema.Draft202012Validator.check_schema(schema)
bad = 0
for f in sys.argv[2:]:
    for e in jsonschema.Draft202012Validator(schema).iter_errors(json.load(open(f))):
        print('%s: %s: %s' % (f, '/'.join(map(str, e.path)), e.message[:200]))
        bad += 1
sys.exit(1 if bad else 0)
PYEOF
}

# The engagement from the settings file; options override it.
mkdir -p "$HOME/.config/cmharden"
cat >"$HOME/.config/cmharden/report.conf" <<'CONF'
# the Contoso onboarding
title = Settings title
organisation = Contoso Ltd
engagement = Onboarding, phase 1
prepared-by = Jane Doe
CONF

# Before the visit: the baseline, with a waiver in force that will expire.
expect_rc 0 "waive before the baseline" -- "$CMHARDEN" waive remote.ask-permission --reason pilot --until 2030-06-30
expect_rc 0 "the baseline report" -- "$CMHARDEN" report --format json -o "$T/before.json"
# The visit: fix what can be fixed, record a decision.
expect_rc 1 "fix --failing --yes" -- "$CMHARDEN" fix --failing --yes
expect_rc 0 "attest" -- "$CMHARDEN" attest console.least-privilege --answer yes --note 'separate admin accounts, checked with the customer'
for f in html md json csv; do
	expect_rc 0 "report --baseline --format $f" -- "$CMHARDEN" report --baseline "$T/before.json" \
		--title 'Configuration Manager security review' --format "$f" -o "$T/after.$f"
done
head=$("$CMHARDEN" journal verify | sed -n 's/.*Head: \([0-9]*:[0-9a-f]*\).*/\1/p')
digest=$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["content_digest"])' "$T/after.json")

validate "$T/before.json" "$T/after.json" >"$T/v" 2>&1 && pass "both JSON reports validate against the schema" ||
	{ fail "a JSON report does not match its schema"; head -20 "$T/v" | sed 's/^/    | /'; }
# The schema is no formality: a report missing a field or with an unknown status fails it.
"$PY" - "$T/after.json" "$T/broken.json" <<'PYEOF'
import json, sys
d = json.load(open(sys.argv[1]))
d['checks'][0]['status'] = 'mostly_fine'
del d['summary']['score']
json.dump(d, open(sys.argv[2], 'w'))
PYEOF
validate "$T/broken.json" >"$T/v" 2>&1 && fail "a broken report passed the schema" ||
	pass "a report with an unknown status and no score fails the schema ($(wc -l <"$T/v") errors)"

# The comparison, checked against the two reports themselves.
"$PY" - "$T/before.json" "$T/after.json" <<'PYEOF' >"$T/cmp" 2>&1 && pass "the baseline counts match the two reports ($(cat "$T/cmp"))" ||
import json, sys
b = {c['id']: c for c in json.load(open(sys.argv[1]))['checks']}
a = json.load(open(sys.argv[2]))
now = {c['id']: c for c in a['checks']}
want_fixed = sorted(i for i, c in b.items() if c['status'] in ('fail', 'error') and now[i]['status'] in ('pass', 'not_applicable'))
got = {}
for it in a['baseline']['items']:
    got.setdefault(it['kind'], []).append(it['check'])
problems = []
if sorted(got.get('fixed', [])) != want_fixed or not want_fixed:
    problems.append('fixed %s, want %s' % (got.get('fixed'), want_fixed))
if got.get('newly_attested') != ['console.least-privilege']:
    problems.append('newly attested %s' % got.get('newly_attested'))
if got.get('regressed') or got.get('waiver_expired') or got.get('check_added') or got.get('check_removed'):
    problems.append('unexpected %s' % got)
if a['baseline']['counts']['fixed'] != len(want_fixed):
    problems.append('count of fixed')
print('; '.join(problems) if problems else '%d fixed, 1 newly attested' % len(want_fixed))
sys.exit(1 if problems else 0)
PYEOF
	{ fail "the baseline comparison is wrong"; sed 's/^/    | /' "$T/cmp"; }
nfixed=$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["baseline"]["counts"]["fixed"])' "$T/after.json")
[ "$(grep -c '^"difference",,,"[^"]*",.*,"fixed",' "$T/after.csv")" -eq "$nfixed" ] &&
	pass "the CSV has a difference row per fixed check" || fail "CSV difference rows differ from JSON ($nfixed fixed)"
contains "$T/after.html" '<section id="baseline">' "the HTML has a section since the baseline"
contains "$T/after.md" "^## Since the baseline" "the Markdown has a section since the baseline"
contains "$T/after.md" "^- fixed: $nfixed\$" "the Markdown counts the fixed checks"

# Waivers expired and checks added or removed: the report of now, a year on, against the report after the visit.
"$PY" - "$T/after.json" "$T/edited.json" <<'PYEOF'
import json, sys
d = json.load(open(sys.argv[1]))
d['checks'] = [c for c in d['checks'] if c['id'] != 'wol.unicast']
d['checks'].append(dict(d['checks'][0], id='gone.retired-check'))
json.dump(d, open(sys.argv[2], 'w'))
PYEOF
CMHARDEN_TODAY=2030-07-01 "$CMHARDEN" report --baseline "$T/edited.json" --format json -o "$T/later.json" 2>"$T/err"
validate "$T/later.json" >/dev/null 2>&1 && pass "the later report validates" || fail "the later report does not validate"
"$PY" - "$T/later.json" <<'PYEOF' >"$T/cmp" 2>&1 && pass "an expired waiver, an added and a removed check are reported" ||
import json, sys
got = {}
for it in json.load(open(sys.argv[1]))['baseline']['items']:
    got.setdefault(it['kind'], []).append(it['check'])
want = {'waiver_expired': ['remote.ask-permission'], 'check_added': ['wol.unicast'], 'check_removed': ['gone.retired-check']}
bad = {k: got.get(k) for k in want if got.get(k) != want[k]}
print(bad or 'ok')
sys.exit(1 if bad else 0)
PYEOF
	{ fail "the later comparison is wrong"; sed 's/^/    | /' "$T/cmp"; }
printf '{"report": 1}' >"$T/notareport.json"
expect_rc 2 "a baseline that is not a report is refused" -- "$CMHARDEN" report --baseline "$T/notareport.json"
contains "$T/err" "not a cmharden JSON report" "and says why"
expect_rc 2 "a missing baseline is refused" -- "$CMHARDEN" report --baseline "$T/missing.json"

# Summary, findings ordered by severity, action plan.
"$PY" - "$T/after.json" "$T/after.html" <<'PYEOF' >"$T/cmp" 2>&1 && pass "findings worst first, each in the HTML with why, compliant and console ($(cat "$T/cmp"))" ||
import json, re, sys
a = json.load(open(sys.argv[1]))
h = open(sys.argv[2]).read()
checks = {c['id']: c for c in a['checks']}
rank = {'high': 2, 'medium': 1, 'low': 0}
f = a['summary']['findings']
want = [c['id'] for c in a['checks'] if c['status'] in ('fail', 'error')]
problems = []
if sorted(f) != sorted(want) or not f:
    problems.append('findings %s, failing %s' % (f, want))
sev = [rank[checks[i]['severity']] for i in f]
if sev != sorted(sev, reverse=True):
    problems.append('not in severity order: %s' % sev)
order = [m for m in re.findall(r'<article class="finding[^"]*" id="finding-([^"]+)"', h)]
if order != f:
    problems.append('HTML order %s' % order)
for i in f:
    art = h.split('id="finding-%s"' % i)[1].split('</article>')[0]
    for label in ('Why it matters', 'Compliant when', 'In the console', 'References'):
        if label not in art:
            problems.append('%s lacks %s' % (i, label))
nq = sum(1 for c in a['checks'] if c['status'] == 'needs_attestation')
acts = a['summary']['actions']
if len(acts) != len(f) + nq or any(not x['command'].startswith('cmharden ') for x in acts):
    problems.append('actions %d, want %d' % (len(acts), len(f) + nq))
print('; '.join(problems) if problems else '%d findings, %d actions' % (len(f), len(acts)))
sys.exit(1 if problems else 0)
PYEOF
	{ fail "findings or actions are wrong"; sed 's/^/    | /' "$T/cmp"; }
contains "$T/after.html" '<section id="summary"><h2>Executive summary' "the HTML opens with the executive summary"
contains "$T/after.html" 'Score: [0-9]*% (' "the summary gives the score"
contains "$T/after.html" "The findings that matter most" "and the findings that matter most"
contains "$T/after.md" "^## What is left to do" "the Markdown has the action plan"
# Only the deciding columns in a finding: those the check's expression reads
# and those that made an object offend; the appendix has every column.
"$PY" - "$T/after.html" "$T/after.json" <<'PYEOF' >"$T/cmp" 2>&1 && pass "a finding shows only the columns that decided it ($(cat "$T/cmp"))" ||
import json, re, sys
h = open(sys.argv[1]).read()
a = json.load(open(sys.argv[2]))
def heads(art):
    if '<thead>' not in art:
        return None
    t = art.split('<thead>')[1].split('</thead>')[0]
    return re.findall(r'<th scope="col">([^<]*)</th>', t)[1:]
narrowed = 0
for c in a['checks']:
    if c['id'] not in a['summary']['findings'] or not c['evidence'] or c['status'] != 'fail':
        continue
    art = h.split('id="finding-%s"' % c['id'])[1].split('</article>')[0]
    f = heads(art)
    ev = c['evidence'][0]
    bad = {p for o in ev['objects'] if o['offending'] for p in o['offending_properties']}
    if f is None or not bad <= set(f):
        print(c['id'], 'finding columns', f, 'offending', bad)
        sys.exit(1)
    if len(f) < len(ev['columns']):
        narrowed += 1
print('%d findings narrowed' % narrowed)
sys.exit(0 if narrowed else 1)
PYEOF
	{ fail "the finding's evidence columns are not the deciding ones"; sed 's/^/    | /' "$T/cmp"; }

# The change log: planned, applied and undone times in order, by whom, which run.
expect_rc 0 "undo the session" -- "$CMHARDEN" undo --session 2 --yes
"$CMHARDEN" report --format json -o "$T/undone.json" 2>/dev/null
"$CMHARDEN" report --format md -o "$T/undone.md" 2>/dev/null
"$PY" - "$T/undone.json" <<'PYEOF' >"$T/cmp" 2>&1 && pass "every change has planned <= applied <= undone times and its operator ($(cat "$T/cmp"))" ||
import json, sys
d = json.load(open(sys.argv[1]))
ch = {c['id']: c for c in d['changes']}
bad = []
for c in ch.values():
    if not (c['planned_at'] and c['applied_at'] and c['planned_at'] <= c['applied_at']) or not c['operator']:
        bad.append(c['id'])
    if c['state'] == 'undone':
        u = ch[c['undone_by']]
        if not (c['undone_at'] and c['applied_at'] <= u['planned_at'] <= c['undone_at']):
            bad.append(('undone', c['id']))
n = sum(1 for c in ch.values() if c['state'] == 'undone')
print(bad or '%d changes, %d undone' % (len(ch), n))
sys.exit(1 if bad or not n else 0)
PYEOF
	{ fail "the change log times are wrong"; sed 's/^/    | /' "$T/cmp"; }
contains "$T/undone.md" "planned 20[0-9-]*T[0-9:.]*Z, applied 20[0-9-]*T[0-9:.]*Z, undone 20" "the Markdown change log says when each change was planned, applied and undone"

# Engagement and sign-off.
contains "$T/after.html" "<h1>Configuration Manager security review</h1>" "the --title option wins over the settings file"
contains "$T/after.html" "Contoso Ltd" "the organisation comes from the settings file"
contains "$T/after.md" "| \*\*Prepared by\*\* | Jane Doe |" "the preparer is a name, not the login"
"$PY" - "$T/after.html" "$head" "$digest" <<'PYEOF' && pass "the sign-off binds the journal head and content hash, with blank signature fields" ||
import sys
h, head, digest = open(sys.argv[1]).read(), sys.argv[2], sys.argv[3]
s = h.split('<section id="signoff">')[1].split('</section>')[0]
ok = head in s and digest in s and 'Signature' in s and s.count('<tr><td></td><td></td><td></td><td></td></tr>') == 3
sys.exit(0 if ok and head else 1)
PYEOF
	fail "the sign-off lacks the head $head or the digest"
printf 'colour = blue\n' >"$HOME/.config/cmharden/report.conf"
expect_rc 2 "an unknown setting is an error" -- "$CMHARDEN" report --format json
contains "$T/err" "report.conf:1: not a setting" "naming the file and line"
rm "$HOME/.config/cmharden/report.conf"

# The page headers carry the site's name inside the style sheet: a hostile
# name is CSS-escaped there, so it can neither end the string nor the style.
"$CMHARDEN" --target "lab:$top_srcdir/tests/hostile/site-text.yaml" report -o "$T/hostile.html" 2>/dev/null
"$PY" - "$T/hostile.html" <<'PYEOF' && pass "a hostile site name is escaped in the page headers" ||
import re, sys
h = open(sys.argv[1]).read()
style = h.split('<style>')[1].split('</style>')[0]
m = re.search(r'@top-left\{[^}]*content:"([^"]*)"\}', style)
ok = m and re.fullmatch(r'[A-Za-z0-9 \-_.,:()/\\\u0080-\U0010ffff]*', m.group(1)) and '\\3c ' in m.group(1)
print(m.group(1) if m else 'no header')
sys.exit(0 if ok and h.count('</style>') == 1 else 1)
PYEOF
	fail "the hostile site name is not escaped in the page headers"

# Markdown: only what CommonMark needs is escaped, and it renders without links or raw HTML.
lacks "$T/after.md" 'SMS\\_' "no needless escape of an underscore inside a word"
lacks "$T/after.md" '\\(' "no needless escape of a parenthesis"
contains "$T/after.md" "2007 SP2 (build " "the version reads as written"
cmark-gfm --extension table "$T/after.md" >"$T/md.html"
lacks "$T/md.html" "<a " "the rendered Markdown has no link"
lacks "$T/md.html" "<script" "nor a script"
contains "$T/md.html" "<code>SMS_Advertisement</code>" "a class name renders as code, unescaped"
contains "$T/md.html" "<table>" "the tables render as tables"
n=$(grep -c '<h2>' "$T/md.html")
[ "$n" -ge 11 ] && pass "the rendered Markdown has its $n parts" || fail "the rendered Markdown has $n parts"
finish
