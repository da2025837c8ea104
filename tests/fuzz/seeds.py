#!/usr/bin/env python3
"""Regenerates the seed corpora in tests/fuzz/corpus from the shipped content
and a list of hand-written edge cases. A developer tool: CI never runs it (the
corpora are committed). Needs PyYAML. Run from the top of the source tree:
    python3 tests/fuzz/seeds.py
"""
import glob, os, re, yaml

TOP = os.getcwd()
C = os.path.join(TOP, "tests/fuzz/corpus")


def put(kind, name, data):
    d = os.path.join(C, kind)
    os.makedirs(d, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


# ---- content: the shipped files are not copied: run.sh and replay.c read
# checks/ itself as a second corpus, so the seeds never go stale ----

SECTION = """section:
  id: sec
  title: Sec
  heading: Sec Heading
checks:
  - id: sec.one
    title: One
    severity: high
    kind: automated
    basis: documented
    guidance: {why: w, compliant: c, console: x}
    references:
      - url: https://example.com/a
    probe:
      class: SMS_Advertisement
      show: [AdvertisementID]
    expect:
      all: "RemoteClientFlags has_none 0x88"
    evidence:
      - label: everything
        class: SMS_SCI_ClientComp
"""

# YAML edge cases shared by the content and lab corpora.
def deep(n, flow):
    if flow:
        return "a: " + "[" * n + "x" + "]" * n + "\n"
    return "".join("  " * i + "- \n" for i in range(n - 1)) + "  " * (n - 1) + "- x\n"

EDGE = {
    "anchor-alias.yaml": "a: &x 1\nb: *x\n",
    "merge-key.yaml": "base: &b {x: 1}\nderived:\n  <<: *b\n  y: 2\n",
    "tag-std.yaml": "a: !!str 1\nb: !!binary aGVsbG8=\n",
    "tag-local.yaml": "%TAG ! tag:example.com,2000:\n---\na: !foo bar\n",
    "tag-seq.yaml": "a: !!seq [1, 2]\n",
    "yaml-directive.yaml": "%YAML 1.1\n---\na: 1\n",
    "flow-block-mix.yaml": "a: {b: [1, {c: d}, [e, f]], g: h}\ni:\n  - {j: k}\n  - [l, m]\n  - n: o\n    p: [q]\n",
    "complex-key.yaml": "? [a, b]\n: c\n? {d: e}\n: f\n",
    "empty-key.yaml": ": a\n",
    "null-key.yaml": "~: a\nnull: b\n",
    "deep-15-block.yaml": deep(15, False),
    "deep-16-flow.yaml": deep(16, True),
    "deep-17-flow.yaml": deep(17, True),
    "deep-200-flow.yaml": deep(200, True),
    "multi-doc.yaml": "a: 1\n---\nb: 2\n",
    "multi-doc-end.yaml": "a: 1\n...\n---\nb: 2\n...\n",
    "doc-markers-only.yaml": "---\n...\n",
    "bom.yaml": "\ufeffa: 1\n",
    "bom-utf16le.yaml": "\ufeffa: 1\n".encode("utf-16-le"),
    "crlf.yaml": "a: 1\r\nb:\r\n  - c\r\n  - d\r\n",
    "cr-only.yaml": "a: 1\rb: 2\r",
    "long-plain.yaml": "a: " + "x" * 20000 + "\n",
    "long-key.yaml": "k" * 2000 + ": v\n",
    "long-folded.yaml": "a: >-\n" + "".join("  word%d word word\n" % i for i in range(500)),
    "escapes.yaml": 'a: "\\e[2J\\x1b]0;t\\a \\u202E \\U0001F600 \\N \\_ \\L \\P \\/ \\t \\0"\n',
    "escape-nul.yaml": 'a: "x\\0y"\n',
    "escape-nul-key.yaml": '"id\\0": a\nid: b\n',
    "escape-bad.yaml": 'a: "\\q \\x4 \\uZZZZ"\n',
    "escape-surrogate.yaml": 'a: "\\uD800"\n',
    "single-quoted.yaml": "a: 'it''s \\n not an escape'\n",
    "literal-keep.yaml": "a: |+\n  x\n\n\n",
    "literal-indent.yaml": "a: |2\n    x\n   y\n",
    "tab-indent.yaml": "a:\n\tb: 1\n",
    "dup-key.yaml": "a: 1\na: 2\n",
    "dup-key-quoted.yaml": "a: 1\n'a': 2\n",
    "dup-key-case.yaml": "Key: 1\nkey: 2\n",
    "many-keys.yaml": "".join("k%d: %d\n" % (i, i) for i in range(3000)),
    "invalid-utf8.yaml": b"a: \xff\xfe\n",
    "overlong-utf8.yaml": b"a: \xc0\xaf\n",
    "c1-control.yaml": "a: \"\u0085\u009b2J\"\n",
    "rtl-override.yaml": "a: \u202egnp.exe\n",
    "unclosed-flow.yaml": "a: [1, 2\n",
    "unclosed-quote.yaml": "a: 'x\n",
    "only-comment.yaml": "# nothing\n",
    "empty.yaml": "",
    "scalar-root.yaml": "just text\n",
    "seq-root.yaml": "- a\n- b\n",
    "question-plain.yaml": "a: ?x\nb: -y\nc: :z\n",
    "numbers.yaml": "a: 0x7FFFFFFFFFFFFFFF\nb: -0x8000000000000000\nc: 99999999999999999999\nd: 0o17\ne: 1e3\nf: .inf\ng: -0\n",
}
for name, text in EDGE.items():
    put("content", "edge-" + name, text)
    put("lab", "edge-" + name, text)

# content-specific mutations of a valid section
put("content", "section-valid.yaml", SECTION)
put("content", "checklist-valid.yaml",
    "checklist:\n  title: T\n  source: https://example.com/c\n  warning: Test first.\n  intro: Hi\n")
put("content", "section-attestation.yaml", SECTION.replace("kind: automated", "kind: attestation")
    .replace("    basis: documented\n", "").replace(
        "    probe:\n      class: SMS_Advertisement\n      show: [AdvertisementID]\n    expect:\n      all: \"RemoteClientFlags has_none 0x88\"\n",
        "    attestation: {reason: judgment, question: 'Is it?'}\n"))
put("content", "section-select.yaml", SECTION.replace(
    '"RemoteClientFlags has_none 0x88"',
    "\"PackageID in select(SMS_Package, PackageID, PkgSourcePath starts_with '\\\\\\\\') and host(AdvertisementName) != site.server\""))
put("content", "section-any-when-empty.yaml", SECTION.replace(
    '      all: "RemoteClientFlags has_none 0x88"\n',
    '      any: "Enabled = true"\n      when_empty: pass\n'))
put("content", "section-applies-if.yaml", SECTION.replace(
    "    probe:\n",
    "    applies_if:\n      class: SMS_SCI_ClientComp\n      where: \"ItemName = 'Remote Control' and Flags = 1\"\n      reason: off\n    probe:\n"))
put("content", "section-escapes-in-text.yaml", SECTION.replace("title: One", 'title: "One \\e[2J \\u202E"'))
put("content", "section-crlf.yaml", SECTION.replace("\n", "\r\n"))
put("content", "section-flow.yaml",
    "{section: {id: sec, title: Sec, heading: H}, checks: [{id: sec.a, title: A, severity: low, kind: automated,"
    " basis: inferred, basis_note: n, guidance: {why: w, compliant: c, console: x}, references: [{url: 'http://x'}],"
    " probe: {class: Registry, where: \"Name = 'Value'\"}, expect: {none: 'Value = 1'}}]}\n")

# ---- lab: the shipped scenarios, and one small scenario per class ----
# (The whole shipped labs are read from labs/ itself, like checks/ above.)
for p in sorted(glob.glob("labs/*.yaml")):
    if os.path.basename(p) not in ("default.yaml", "hardened.yaml"):
        continue  # whole only: the two main labs' classes are seeded one by one
    text = open(p).read()
    head, _, body = text.partition("\nobjects:\n")
    blocks = re.split(r"\n(?=  - class: )", body)
    byclass = {}
    for b in blocks:
        m = re.match(r"\s*- class: (\S+)", b)
        if m:
            byclass.setdefault(m.group(1), []).append(b.strip("\n"))
    for cls, bs in sorted(byclass.items()):
        put("lab", "%s-%s.yaml" % (os.path.basename(p)[:-5], cls),
            head + "\nobjects:\n" + "\n".join(bs[:6]) + "\n")

HOSTILE_LAB = """scenario: {name: hostile, title: "Hostile \\e[2J"}
site: {code: HST, name: "\\e]52;c;cm0gLXJmIH4=\\a", server: "SRV\\u202E", version: 2007 SP2, mode: mixed}
objects:
  - class: SMS_Advertisement
    key: "ADV\\e[2J\\e]0;pwned\\a"
    properties:
      AdvertisementID: "\\e[31mred"
      AdvertisementName: "=cmd|' /C calc'!A0"
      RemoteClientFlags: 0x88
      ProgramName: "\\u202Etxt.exe"
  - class: SMS_SCI_ClientComp
    key: Remote Control
    properties:
      ItemName: Remote Control
      Flags: 1
      Props:
        "\\e[2J": {Value: 1}
        "<x>&": {Value: "\\x9b31m"}
      PropLists:
        PermittedViewers: ["\\e[2J", "@SUM(1)"]
"""
put("lab", "hostile-escapes.yaml", HOSTILE_LAB)
put("lab", "lab-nested-props.yaml", """scenario: {name: n, title: N}
site: {code: NNN, name: N, server: S, version: 2007 R3, mode: native}
objects:
  - class: SMS_SCI_ClientComp
    key: K
    properties:
      Props: {A: {B: {C: 1}}}
""")
put("lab", "lab-dup-objects.yaml", """scenario: {name: d, title: D}
site: {code: DDD, name: D, server: S, version: 2007 R3, mode: native}
objects:
  - {class: A, key: k, properties: {}}
  - {class: a, key: K, properties: {}}
  - {class: B, key: '', properties: {}}
  - {class: 'B C', key: x, properties: {}}
  - {class: B, key: y, properties: {'a b': 1, 'A': [1, [2]], 'Z': {'[x]': 1}}}
""")

# ---- expr: every expression in the shipped checks, and edge cases ----
exprs = set()
for p in sorted(glob.glob("checks/*.yaml")):
    doc = yaml.safe_load(open(p))
    for chk in (doc.get("checks") or []):
        for part in [chk.get("probe"), chk.get("applies_if")] + (chk.get("evidence") or []):
            if part and part.get("where"):
                exprs.add(part["where"])
            for s in (part or {}).get("show") or []:
                exprs.add(s)
        for q in ("all", "any", "none"):
            if (chk.get("expect") or {}).get(q):
                exprs.add(chk["expect"][q])
for i, e in enumerate(sorted(exprs)):
    put("expr", "shipped-%03d" % i, e)
EXPR_EDGE = [
    "not not not Enabled", "(" * 40 + "Enabled" + ")" * 40, "not " * 40 + "Enabled",
    "a = 1 and " * 300 + "a = 1", "RemoteClientFlags has_all 0x7FFFFFFFFFFFFFFF",
    "PkgFlags = -9223372036854775808", "PkgFlags = -9223372036854775809", "x = 0x",
    "x = 0x1FFFFFFFFFFFFFFFF", "x = 18446744073709551616", "AdvertisementName matches '" + "*a" * 30 + "'",
    "AdvertisementName matches '[[:alpha:]'", "AdvertisementName matches '\\\\'", "Tags = ['a', 'b', '12']",
    "Tags contains 12", "Tags in ['x']", "12 in Tags", "Comment is_empty", "Missing exists",
    "Missing is_empty", "Props['Permission Required'].Value = 1", "PropLists['PermittedViewers'] contains 'x'",
    "Props[''].Value = 1", "Props['a'.Value", "host(PkgSourcePath) = site.server", "host(host(host(PkgSourcePath))) = 'x'",
    "host(1) = 'x'", "PackageID in select(SMS_Package, PackageID)",
    "PackageID in select(SMS_Package, PackageID, PkgSourcePath starts_with '\\\\' and PackageID in select(SMS_Package, PackageID, PackageID exists))",
    "select(X, Y) = []", "site.code = 'FZZ' and site.version = '2007 SP2' and site.build exists",
    "site.nope = 1", "site = 1", "'it''s' = 'it''s'", "'unterminated", "x ~ 1", "x = \x1b[2J", "AdvertFlags >= 1 and AdvertFlags <= 2",
    "'b' < 'a'", "null = Comment", "true", "Enabled", "1", "[]", "[1, 'a',]", "[1 2]", "x.y.z['q'].w = 1",
    "and", "x = 1 or", "", " ", "\t\n\r", "x" * 5000 + " = 1", "a = 'é\u202e'",
]
for i, e in enumerate(EXPR_EDGE):
    put("expr", "edge-%03d" % i, e)

# ---- value: the encodings of every value in the shipped labs, and edge cases ----
VALUE = [b"n:", b"b:0", b"b:1", b"i:0", b"i:-1", b"i:136", b"i:9223372036854775807",
         b"i:-9223372036854775808", b"s:", b"s:CONTOSO\\Helpdesk", b"s:\x1b[2J\x1b]0;t\x07",
         "s:\u202egnp.exe".encode(), b"s:\xff\xfe\xc0\xaf\xed\xa0\x80\xf4\x90\x80\x80", b"l:",
         b"l:1:a2:bc0:", b"l:3:\x1b[A", b"l:10:0123456789", b"s:" + b"x" * 70000,
         b"i:", b"i:+1", b"i: 1", b"i:-0", b"i:007", b"i:99999999999999999999", b"b:2", b"n:x",
         b"l:3:ab", b"l:a:b", b"l:99999999999999999999:x", b"s:a\x00b", b"l:3:a\x00b", b"x:1", b"s", b""]
for i, v in enumerate(VALUE):
    put("value", "edge-%03d" % i, v)

# Values as a lab state file stores them: pass the state file of a shipped lab
# (cmharden lab reset default; $XDG_DATA_HOME/cmharden/labs/default-*.db).
import sys, sqlite3
if len(sys.argv) > 1:
    con = sqlite3.connect(sys.argv[1])
    rows = con.execute("SELECT DISTINCT value FROM props ORDER BY length(value), value").fetchall()
    picked = rows[:: max(1, len(rows) // 60)]
    for i, (v,) in enumerate(picked):
        put("value", "lab-%03d" % i, v)
