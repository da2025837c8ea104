#!/usr/bin/env python3
"""bench.py BUILDDIR SRCDIR [SIZE...]: the real PowerShell agent (under pwsh,
against the simulated site, tests/powershell/agent-on-lab) beside
`cmharden agent --lab` on the same generated large site of about SIZE objects
(tests/bench/bench_engine gen: the default lab plus packages, programs,
advertisements and collections). Figures are printed, not asserted; run by
`make bench` (PS_BENCH_SIZES overrides the sizes). Each agent runs
PS_BENCH_RUNS times (default 3, the two agents in turn) and the median is
shown with its range: on a shared machine one run moves with the load.

For each agent and size:
- start: from starting the process to the end of the answer to hello. For the
  PowerShell agent, split by the steps run-agent.ps1 -Preload reports: pwsh
  itself, loading (parsing) the agent, loading the simulation, starting the lab
  process behind it, and the simulation reading every object of the lab into
  memory (test code: the stand-in for the site's WMI repository, timed apart so
  the prefetch below measures the agent, not the loading of the simulation);
- prefetch: one batch of every class the checklist reads (hello excluded), the
  time to the end of its answer. For the PowerShell agent this still includes
  the simulation making its WMI objects per query (as the provider would);
- of that prefetch, the time spent inside the simulation (its WMI queries,
  Get and Put of its WMI objects, its registry, ADSI, ACL and certificate
  contact points: the stand-ins for Windows, timed by FakeSite.ps1's FakeClock)
  and the rest, the agent's own work (converting what Windows gave, encoding
  and writing the lines, PowerShell's own cost of every object the agent
  touches); the ratio of the agent's own work to cmharden agent --lab's whole
  prefetch is the one to hold against "within 20x";
- its CPU time (user + system, of the agent's processes): on a shared
  machine the wall clock moves with the load, the CPU time much less;
- peak memory: the largest resident size of the agent process (for pwsh, the
  agent and the in-memory simulated site together, one process)."""
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time

CLASSES = ("SMS_Site SMS_Package SMS_Program SMS_Advertisement SMS_Collection SMS_CollectionSettings "
           "SMS_PackageAccessByUsers SMS_UpdatesAssignment SMS_ConfigurationItem SMS_AMTCertificate "
           "SMS_G_System_CollectedFile SMS_R_System SMS_SCI_ClientComp SMS_SCI_Component SMS_SCI_SysResUse "
           "LocalGroup Registry Win32_Service IIsWebServer IIsWebVirtualDir FileAcl Certificate")


def cpu_seconds(pid):
    """CPU time (user + system) so far of a process and its descendants (pwsh is
    a launcher that starts dotnet; behind the simulation runs the lab's own
    cmharden agent --lab), from /proc: on a shared machine it moves far less
    with the load than the wall clock."""
    stats = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open(f"/proc/{d}/stat") as f:
                    rest = f.read().rsplit(")", 1)[1].split()
                stats[int(d)] = (int(rest[1]), int(rest[11]) + int(rest[12]))
            except (OSError, IndexError, ValueError):
                pass
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        total += stats.get(p, (0, 0))[1]
        todo.extend(c for c, (ppid, _) in stats.items() if ppid == p)
    return total / os.sysconf("SC_CLK_TCK")


def run(argv, env):
    """Starts the agent, says hello, times one batch. A dict: start, prefetch (s),
    objects sent, peak RSS (MiB), the steps run-agent.ps1 reported (ms)."""
    t_start = time.monotonic()
    p = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    steps = {}
    errors = []

    def read_stderr():
        for raw in p.stderr:
            line = raw.decode("utf-8", "replace").rstrip("\n")
            f = line.split()
            if len(f) == 4 and f[0] == "run-agent:" and f[3] == "ms":
                steps[f[1]] = int(f[2])
            else:
                errors.append(line)

    reader = threading.Thread(target=read_stderr, daemon=True)
    reader.start()
    p.stdin.write(b"hello 1 1 1\n")
    p.stdin.flush()
    for line in p.stdout:
        if line.startswith(b"end 1") or line.startswith(b"error"):
            break
    t0 = time.monotonic()
    c0 = cpu_seconds(p.pid)
    p.stdin.write(("batch 2 " + CLASSES + "\n").encode())
    p.stdin.flush()
    n = 0
    for line in p.stdout:
        if line.startswith(b"obj 2 "):
            n += 1
        if line.startswith(b"end 2") or line.startswith(b"error 2"):
            break
    t1 = time.monotonic()
    c1 = cpu_seconds(p.pid)
    p.stdin.write(b"bye 3\n")
    p.stdin.close()
    _, status, usage = os.wait4(p.pid, 0)
    p.returncode = os.waitstatus_to_exitcode(status)
    reader.join(5)
    if p.returncode != 0 or n == 0:
        sys.stderr.write("bench: %s ended with %d after %d objects:\n  %s\n" %
                         (argv[0], p.returncode, n, "\n  ".join(errors[-10:])))
    return {"start": t0 - t_start, "prefetch": t1 - t0, "cpu": c1 - c0, "objects": n,
            "mib": usage.ru_maxrss / 1024.0, "steps": steps}


def pwsh_alone(srcdir, env):
    """Seconds for pwsh to start and exit, doing nothing (median of 3)."""
    finder = os.path.join(srcdir, "tests/powershell/find-pwsh.sh")
    pwsh = subprocess.run(["sh", "-c", ". '%s'; ps_find_pwsh && echo \"$PWSH\"" % finder], env=env,
                          capture_output=True, text=True).stdout.strip()
    if not pwsh:
        return None
    times = []
    for _ in range(3):
        t = time.monotonic()
        subprocess.run([pwsh, "-NoLogo", "-NoProfile", "-NonInteractive", "-Command", "exit 0"],
                       env=dict(env, DOTNET_TieredPGO=env.get("DOTNET_TieredPGO", "0")), check=True)
        times.append(time.monotonic() - t)
    return sorted(times)[1]


def median_run(rs, field="prefetch"):
    """The run whose field is the median (the lower middle of an even number):
    the figures shown together are one run's."""
    return sorted(rs, key=lambda r: r[field])[(len(rs) - 1) // 2]


def median(rs, field):
    """The median of a field over runs."""
    return median_run(rs, field)[field]


def spread(rs, field):
    """[min-max] of a field over runs, when there is more than one."""
    if len(rs) < 2:
        return ""
    v = [r[field] for r in rs]
    return f"[{min(v):.2f}-{max(v):.2f}]"


def main():
    home = tempfile.mkdtemp(prefix="cmh-psbench-")
    try:
        bench(home)
    finally:
        shutil.rmtree(home, ignore_errors=True)


def bench(home):
    builddir, srcdir = sys.argv[1], sys.argv[2]
    sizes = [int(x) for x in (sys.argv[3:] or os.environ.get("PS_BENCH_SIZES", "10000 50000 100000").split())]
    runs = max(1, int(os.environ.get("PS_BENCH_RUNS", "3")))
    cmh = os.path.join(builddir, "cmharden")
    gen = os.path.join(builddir, "tests/bench/bench_engine")
    env = dict(os.environ, XDG_DATA_HOME=os.path.join(home, "data"), CMHARDEN=cmh, CMHARDEN_CONTENT=srcdir)
    print("== the PowerShell agent (pwsh, simulated site) beside cmharden agent --lab, on a generated site ==")
    alone = pwsh_alone(srcdir, env)
    if alone is None:
        print("   SKIP: pwsh not found (scripts/install-deps.sh installs it where dotnet exists)")
        return
    print(f"   pwsh alone (start and exit, no script, tiered PGO off as agent-on-lab runs it): {alone:.2f} s")
    for size in sizes:
        d = os.path.join(home, f"site{size}")
        os.mkdir(d)
        subprocess.run([gen, "gen", d, str(size)], env=env, check=True, stdout=subprocess.DEVNULL)
        site = os.path.join(d, "large.yaml")
        cs, pss = [], []
        for _ in range(runs):
            cs.append(run([cmh, "agent", "--lab", site], env))
            pss.append(run([os.path.join(srcdir, "tests/powershell/agent-on-lab"), site, "-Preload"], env))
        for r in pss:
            st = r["steps"]
            if "simulation-after-batch" in st and "simulation-after-hello" in st:
                r["sim"] = (st["simulation-after-batch"] - st["simulation-after-hello"]) / 1e3
                r["own"] = r["prefetch"] - r["sim"]
        c, ps = median_run(cs), median_run(pss)
        st = ps["steps"]
        print(f"-- about {size} generated objects ({c['objects']} sent by cmharden agent --lab, "
              f"{ps['objects']} by the PowerShell agent); the median of {runs} runs each, its range in brackets")
        for label, r, rs in (("cmharden agent --lab", c, cs), ("PowerShell agent", ps, pss)):
            print(f"   {label:<22}   start {r['start']:7.2f} s   prefetch {r['prefetch']:8.2f} s {spread(rs, 'prefetch')} "
                  f"(CPU {median(rs, 'cpu'):7.2f} s)   peak {max(x['mib'] for x in rs):7.1f} MiB")
        cp = median(cs, "prefetch")
        ratio = median(pss, "prefetch") / cp if cp > 0 else float("inf")
        cc = median(cs, "cpu")
        cratio = median(pss, "cpu") / cc if cc > 0 else float("inf")
        print(f"   prefetch ratio {ratio:.1f}x wall, {cratio:.1f}x CPU; "
              f"{ps['objects'] / ps['prefetch']:.0f} objects/s through the PowerShell agent")
        if all("own" in r for r in pss):
            own = median(pss, "own")
            oratio = own / cp if cp > 0 else float("inf")
            print(f"   of the PowerShell prefetch: {median(pss, 'sim'):.2f} s {spread(pss, 'sim')} inside the simulated "
                  f"site, {own:.2f} s {spread(pss, 'own')} the agent's own work: {oratio:.1f}x cmharden agent --lab's "
                  f"whole prefetch")
        if st:
            print("   its start: load agent %.2f s, load simulation %.2f s, start lab %.2f s, "
                  "simulation reads the lab (not the agent's cost) %.2f s, the rest (pwsh, Initialize-Site, hello) %.2f s" %
                  (st.get("agent-loaded", 0) / 1e3, st.get("simulation-loaded", 0) / 1e3,
                   st.get("lab-started", 0) / 1e3, st.get("lab-read", 0) / 1e3,
                   ps["start"] - sum(v for k, v in st.items() if not k.startswith("simulation-")) / 1e3))
        sys.stdout.flush()


if __name__ == "__main__":
    main()
