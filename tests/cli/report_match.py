#!/usr/bin/env python3
"""Checks that every format of a report agrees with the journal it was made from.

usage: report_match.py EXPORT.json SESSION REPORT.json REPORT.csv REPORT.md REPORT.html

EXPORT.json is `cmharden journal export`; SESSION the session the reports were
made for (0: the whole target). Exits 1 and says what differs."""
import csv, html, json, re, sys

def decode(enc):
    """value_decode() of value.c: n: b: i: s: l:"""
    kind, rest = enc[0], enc[2:]
    if kind == 'n':
        return None
    if kind == 'b':
        return rest == '1'
    if kind == 'i':
        return int(rest)
    if kind == 's':
        return rest
    items, i = [], 0
    while i < len(rest):
        colon = rest.index(':', i)
        n = int(rest[i:colon])
        items.append(rest[colon + 1:colon + 1 + n])
        i = colon + 1 + n
    return items

def fmt(v):
    """value_format() of value.c"""
    if v is None:
        return 'null'
    if isinstance(v, bool):
        return 'true' if v else 'false'
    if isinstance(v, int):
        return '%d (0x%X)' % (v, v) if v >= 16 else '%d' % v
    if isinstance(v, list):
        return '[' + ', '.join(v) + ']'
    return v

def sanitize(s):
    """sanitize_append() of sanitize.c, for valid UTF-8 text"""
    out = []
    for ch in s:
        cp = ord(ch)
        if ch == '\n':
            out.append('\\n')
        elif ch == '\t':
            out.append('\\t')
        elif ch == '\r':
            out.append('\\r')
        elif cp < 0x20 or cp == 0x7f:
            out.append('\\x%02x' % cp)
        elif 0x80 <= cp <= 0x9f or 0x202a <= cp <= 0x202e or 0x2066 <= cp <= 0x2069 or \
                cp in (0x200e, 0x200f, 0x61c, 0xfeff, 0x2028, 0x2029):
            out.append('<U+%04X>' % cp)
        else:
            out.append(ch)
    return ''.join(out)

export_path, session, jpath, cpath, mpath, hpath = sys.argv[1], int(sys.argv[2]), *sys.argv[3:7]
ex = json.load(open(export_path))
runs = {r['id']: r for r in ex['fix_runs']}
sessions_of_change = {c['id']: runs[c['run']]['session'] for c in ex['changes']}

def in_scope(c):
    if not session:
        return True
    if sessions_of_change[c['id']] == session:
        return True
    if c['undoes'] and sessions_of_change.get(c['undoes']) == session:
        return True
    return any(u['undoes'] == c['id'] and sessions_of_change[u['id']] == session for u in ex['changes'])

want = {}
for c in ex['changes']:
    if in_scope(c):
        want[c['id']] = dict(session=sessions_of_change[c['id']], cls=c['class'], key=c['key'],
                             prop=c['property'], before=fmt(decode(c['before'])),
                             after=fmt(decode(c['after'])), state=c['state'])
att = {a['id']: a for a in ex['attestations'] if not session or a['session'] == session}
wai = {w['id']: w for w in ex['waivers'] if not session or w['session'] == session}
problems = []

def compare(fmtname, got):
    if set(got) != set(want):
        problems.append('%s: changes %s, journal %s' % (fmtname, sorted(got), sorted(want)))
        return
    for cid, w in want.items():
        for k, v in w.items():
            if k in got[cid] and str(got[cid][k]) != str(v):
                problems.append('%s: change %d %s is %r, journal %r' % (fmtname, cid, k, got[cid][k], v))

# JSON
rj = json.load(open(jpath))
compare('json', {c['id']: dict(session=c['session'], cls=c['class'], key=c['key'], prop=c['property'],
                               before=fmt(c['before']), after=fmt(c['after']), state=c['state'])
                 for c in rj['changes']})
if {a['id']: a['note'] for a in rj['attestations']} != {i: a['note'] for i, a in att.items()}:
    problems.append('json: attestations differ')
if {w['id']: (w['reason'], w['until'] or '') for w in rj['waivers']} != \
        {i: (w['reason'], w['until'] or '') for i, w in wai.items()}:
    problems.append('json: waivers differ')

# CSV
rows = list(csv.DictReader(open(cpath, newline='')))
compare('csv', {int(r['id']): dict(session=int(r['session']), cls=r['class'], key=r['object'],
                                   prop=r['property'], before=r['before'], after=r['after'], state=r['state'])
                for r in rows if r['record'] == 'change'})
if {int(r['id']): r['detail'] for r in rows if r['record'] == 'attestation'} != \
        {i: sanitize(a['note']) for i, a in att.items()}:
    problems.append('csv: attestations differ')
if {int(r['id']) for r in rows if r['record'] == 'waiver'} != set(wai):
    problems.append('csv: waivers differ')
head = [r['id'] for r in rows if r['record'] == 'journal'][0]

# Markdown: the rows of the changes table, unescaped.
def md_unescape(s):
    # CommonMark: a backslash escapes ASCII punctuation only.
    s = re.sub(r'\\([!-/:-@\[-`{-~])', r'\1', s)
    return html.unescape(s)
md = open(mpath).read()
sec = md.split('\n## ')[[i for i, p in enumerate(md.split('\n## ')) if p.startswith('Changes') or p.startswith('\u00c4nderungen')][0]]
got = {}
for line in sec.splitlines():
    cells = [c.strip() for c in re.split(r'(?<!\\)\|', line)[1:-1]]
    if len(cells) == 9 and cells[0].isdigit():
        cls_key = md_unescape(cells[3])
        got[int(cells[0])] = dict(session=int(cells[1]), before=md_unescape(cells[5]),
                                  after=md_unescape(cells[6]),
                                  state=md_unescape(cells[7]).split('**')[1], prop=md_unescape(cells[4]))
        w = want.get(int(cells[0]))
        if w and cls_key != w['cls'] + ' ' + w['key']:
            problems.append('md: change %s object %r' % (cells[0], cls_key))
compare('md', got)

# HTML: the rows <tr id="change-N">.
h = open(hpath).read()
got = {}
for m in re.finditer(r'<tr id="change-(\d+)">(.*?)</tr>', h, re.S):
    cells = re.findall(r'<td[^>]*>(.*?)</td>', m.group(2), re.S)
    txt = lambda s: html.unescape(re.sub(r'<[^>]+>', '', s))
    obj = re.match(r'(.*?)<br><code>(.*?)</code>', cells[3], re.S)
    got[int(m.group(1))] = dict(session=int(cells[1]), cls=txt(obj.group(1)), key=txt(obj.group(2)),
                                prop=txt(cells[4]), before=txt(cells[5]), after=txt(cells[6]),
                                state=txt(re.search(r'<b>(.*?)</b>', cells[7]).group(1)))
compare('html', got)
for i, a in att.items():
    if html.escape(sanitize(a['note']), quote=True).replace('&#x27;', '&#39;') not in h:
        problems.append('html: attestation %d note missing' % i)

if rj['journal']['head'] != head or (head and head not in h) or (head and head not in md):
    problems.append('the head differs between formats: json %s csv %s' % (rj['journal']['head'], head))
for p in problems:
    print('MISMATCH', p)
print('%d changes, %d attestations, %d waivers compared; head %s' % (len(want), len(att), len(wai), head))
sys.exit(1 if problems else 0)
