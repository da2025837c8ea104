#!/usr/bin/env python3
"""same-results.py A.json B.json: two `cmharden check --format json` outputs give
the same verdicts, evidence rows and values, check by check (the target's name
aside). Evidence objects are compared in key order: a lab lists them by key, an
agent in the order the site gives them. Prints every difference; exit 1 if any."""
import json
import sys


def load(path):
    with open(path, encoding="utf-8") as f:
        d = json.load(f)
    d.pop("target", None)
    for r in d.get("results", []):
        for e in r.get("evidence") or []:
            if isinstance(e, dict) and isinstance(e.get("objects"), list):
                e["objects"] = sorted(e["objects"], key=lambda o: o.get("key", ""))
    return d


def main():
    a, b = load(sys.argv[1]), load(sys.argv[2])
    diffs = 0
    for k in sorted(set(a) | set(b)):
        if k != "results" and a.get(k) != b.get(k):
            print(f"  {k}: {json.dumps(a.get(k))[:300]} != {json.dumps(b.get(k))[:300]}")
            diffs += 1
    ra = {r["id"]: r for r in a.get("results", [])}
    rb = {r["id"]: r for r in b.get("results", [])}
    if list(ra) != list(rb):
        print(f"  the checks differ: {sorted(set(ra) ^ set(rb))}")
        diffs += 1
    for i in ra:
        x, y = ra[i], rb.get(i)
        if y is None or x == y:
            continue
        diffs += 1
        for k in sorted(set(x) | set(y)):
            if x.get(k) == y.get(k):
                continue
            if k != "evidence":
                print(f"  {i}.{k}: {json.dumps(x.get(k))[:300]} != {json.dumps(y.get(k))[:300]}")
                continue
            for n, (ea, eb) in enumerate(zip(x.get(k) or [], y.get(k) or [])):
                if ea == eb:
                    continue
                for f in sorted(set(ea) | set(eb)):
                    if ea.get(f) == eb.get(f):
                        continue
                    if f != "objects":
                        print(f"  {i} evidence {n}.{f}: {json.dumps(ea.get(f))[:300]} != {json.dumps(eb.get(f))[:300]}")
                        continue
                    oa = {o["key"]: o for o in ea["objects"]}
                    ob = {o["key"]: o for o in eb["objects"]}
                    for key in sorted(set(oa) | set(ob)):
                        if oa.get(key) != ob.get(key):
                            print(f"  {i} evidence {n} object {key!r}:\n    {json.dumps(oa.get(key))[:400]}\n    {json.dumps(ob.get(key))[:400]}")
    return 1 if diffs else 0


if __name__ == "__main__":
    sys.exit(main())
