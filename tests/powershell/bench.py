#!/usr/bin/env python3
"""bench.py BUILDDIR SRCDIR [SIZE...]: the real PowerShell agent (under pwsh,
against the simulated site, tests/powershell/agent-on-lab) beside
`cmharden agent --lab` on the same generated site of SIZE objects (the
default lab plus generated advertisements and programs): the time of a full
prefetch (one batch of every class the checklist reads, hello excluded) and
the peak memory of the agent process. Figures are printed, not asserted;
run by `make bench` (PS_BENCH_SIZES overrides the sizes)."""
import os
import resource
import subprocess
import sys
import tempfile
import time

CLASSES = ("SMS_Site SMS_Package SMS_Program SMS_Advertisement SMS_Collection SMS_CollectionSettings "
           "SMS_PackageAccessByUsers SMS_UpdatesAssignment SMS_ConfigurationItem SMS_AMTCertificate "
           "SMS_G_System_CollectedFile SMS_R_System SMS_SCI_ClientComp SMS_SCI_Component SMS_SCI_SysResUse "
           "LocalGroup Registry Win32_Service IIsWebServer IIsWebVirtualDir FileAcl Certificate")


def make_site(cmh, base, size, path):
    """The default lab's snapshot plus generated advertisements and programs."""
    with open(base, encoding="utf-8") as f:
        text = f.read()
    extra = max(0, size - text.count("\n  - class: "))
    out = [text.rstrip("\n"), "\n"]
    for i in range(extra):
        k = f"GEN{i:07d}"
        if i % 2:
            out.append(f"  - class: SMS_Advertisement\n    key: '{k}'\n    properties:\n"
                       f"      AdvertisementID: '{k}'\n      AdvertisementName: 'Generated {i}'\n"
                       f"      AdvertFlags: 33554432\n      CollectionID: 'SMS00001'\n      PackageID: 'CON00001'\n"
                       f"      PresentTime: '2026-01-31T00:00:00Z'\n      ProgramName: 'Install'\n"
                       f"      RemoteClientFlags: 2088\n")
        else:
            out.append(f"  - class: SMS_Program\n    key: 'CON00001/{k}'\n    properties:\n"
                       f"      CommandLine: 'setup.exe /q'\n      PackageID: 'CON00001'\n"
                       f"      ProgramFlags: 135307264\n      ProgramName: '{k}'\n")
    with open(path, "w", encoding="utf-8") as f:
        f.write("".join(out))


def run(argv, env):
    """Starts the agent, says hello, times one batch; (seconds, peak RSS MiB, objects)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    p = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env)
    p.stdin.write(b"hello 1 1 1\n")
    p.stdin.flush()
    for line in p.stdout:
        if line.startswith(b"end 1") or line.startswith(b"error"):
            break
    t0 = time.monotonic()
    p.stdin.write(("batch 2 " + CLASSES + "\n").encode())
    p.stdin.flush()
    n = 0
    for line in p.stdout:
        if line.startswith(b"obj 2 "):
            n += 1
        if line.startswith(b"end 2") or line.startswith(b"error 2"):
            break
    t1 = time.monotonic()
    p.stdin.write(b"bye 3\n")
    p.stdin.close()
    p.wait()
    after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return t1 - t0, max(after, before) / 1024.0, n


def main():
    builddir, srcdir = sys.argv[1], sys.argv[2]
    sizes = [int(x) for x in (sys.argv[3:] or os.environ.get("PS_BENCH_SIZES", "10000 50000 100000").split())]
    cmh = os.path.join(builddir, "cmharden")
    home = tempfile.mkdtemp(prefix="cmh-psbench-")
    env = dict(os.environ, XDG_DATA_HOME=os.path.join(home, "data"), CMHARDEN=cmh, CMHARDEN_CONTENT=srcdir)
    base = os.path.join(home, "base.yaml")
    subprocess.run([cmh, "--target", "lab:default", "snapshot", "-o", base], env=env, check=True,
                   stderr=subprocess.DEVNULL)
    print("== the PowerShell agent (pwsh, simulated site) beside cmharden agent --lab: one full prefetch ==")
    print("   (peak memory: the largest agent process of the run so far; pwsh's own startup is not timed)")
    for size in sizes:
        site = os.path.join(home, f"site{size}.yaml")
        make_site(cmh, base, size, site)
        for label, argv in (("cmharden agent --lab", [cmh, "agent", "--lab", site]),
                            ("agent-on-lab (pwsh)", [os.path.join(srcdir, "tests/powershell/agent-on-lab"), site])):
            s, mib, n = run(argv, env)
            print(f"{size:>7} objects  {label:<22} {n:>7} objects sent  {s:9.2f} s  "
                  f"{n / s if s else 0:9.0f} objects/s  peak {mib:7.1f} MiB", flush=True)


if __name__ == "__main__":
    main()
