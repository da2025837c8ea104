#!/usr/bin/env python3
"""same-snapshot.py A B: two snapshots (doc/agent-protocol.md, "Snapshots") hold
the same site: the same site fields and the same objects (class, key, every
property and value, byte for byte, properties in the same order), in any
object order: a snapshot lists objects in the order its target read them,
which carries no meaning. The dated scenario header is not compared. Prints
the differences and exits 1, or prints the number of objects and exits 0.
Test code (tests/powershell/agent_labs.sh)."""
import sys


def parse(path):
    with open(path, 'rb') as f:
        data = f.read()
    head, sep, rest = data.partition(b'\nsite:\n')
    if not sep:
        sys.exit('%s: no site: section' % path)
    site, sep, objs = rest.partition(b'objects:')
    if not sep:
        sys.exit('%s: no objects: section' % path)
    blocks = objs.split(b'\n  - class: ')[1:]
    return site, sorted(blocks)


def main():
    a_site, a = parse(sys.argv[1])
    b_site, b = parse(sys.argv[2])
    bad = 0
    if a_site != b_site:
        print('the site fields differ:\n  %r\n  %r' % (a_site, b_site))
        bad += 1
    only_a = [x for x in a if x not in b]
    only_b = [x for x in b if x not in a]
    for x in only_a[:5]:
        print('only in %s:\n  - class: %s' % (sys.argv[1], x.decode('utf-8', 'replace')[:600]))
    for x in only_b[:5]:
        print('only in %s:\n  - class: %s' % (sys.argv[2], x.decode('utf-8', 'replace')[:600]))
    if len(a) != len(b):
        print('%d objects against %d' % (len(a), len(b)))
    bad += len(only_a) + len(only_b) + (len(a) != len(b))
    if bad:
        return 1
    print('%d objects, the same' % len(a))
    return 0


sys.exit(main())
