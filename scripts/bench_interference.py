#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""make bench, interference part: how much a noisy VM disturbs another one (docs/benchmarks.md).

VM 0 runs tests/bench/interfere.c role=measure: virtual-timer interrupts programmed 500 us ahead
while it waits in WFI, the latency from the deadline to its interrupt handler read from the
counter. VM 1 runs the same program with role=hammer and one kind of round (hammer=KIND) as
fast as it can. Scenarios (SCENARIOS), each booted RUNS times, interleaved (alone, shared,
shared-mmio, partitioned, ..., alone, ...) so that drifts of the host load hit all alike:
  alone              configs/qemu_virt_interference_defconfig, VM 1 has no kernel (not created)
  shared[-KIND]      configs/qemu_virt_interference_shared_defconfig: VM 1 pinned to VM 0's
                     pCPU 0
  partitioned[-KIND] configs/qemu_virt_interference_defconfig: VM 1 on pCPU 1, VM 0 alone on
                     pCPU 0
Without a -KIND the hammer is the issue's: an MMIO exit and a self-SGI per round (sgi); the
other kinds split that into what disturbs VM 0 (interfere.c: mmio, hvc, svc, gicreg, compute).

QEMU runs without -icount, with multi-threaded TCG asked for (-accel tcg,thread=multi: one host
thread per pCPU, the counter is host time): under -icount all pCPUs run round-robin on one host
thread and a partitioned measurement would measure QEMU's round-robin, not Tern. Each run checks
that from outside: QEMU's monitor (`info cpus`) must name a different host thread for each
pCPU, and the CPU time each of those threads used while VM 0 measured (/proc) shows which pCPU
was busy. After VM 0's result, VM 1's exits by reason over half a second are read from Tern's
hypervisor console (`stats 1`, twice). The host's noise is measured too: the spread of each
run's median over the RUNS runs of a scenario, and the range of the per-run ratios to the
"alone" run booted just before.

Writes <out>/interference.json and, with --doc, the generated section of docs/benchmarks.md.
"""

import argparse
import importlib.util
import json
import os
import re
import shlex
import statistics
import sys
import tempfile
import time

import pexpect

SRCTREE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def load(name, path):
    spec = importlib.util.spec_from_file_location(name, os.path.join(SRCTREE, path))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


# The shared helpers of `make bench` (scripts/bench.py) and the test harness's monitor client.
bench = load("tern_bench", "scripts/bench.py")
Monitor = load("tern_harness", "tests/integration/tern.py").Monitor

RUN_QEMU = os.path.join(SRCTREE, "scripts", "run-qemu")
PART_CONFIG = "qemu_virt_interference_defconfig"
SHARED_CONFIG = "qemu_virt_interference_shared_defconfig"
MTTCG = "-accel tcg,thread=multi"
# (name, config, VM 1's hammer kind or None: VM 1 not created)
SCENARIOS = [
    ("alone", PART_CONFIG, None),
    ("shared", SHARED_CONFIG, "sgi"),
    ("shared-mmio", SHARED_CONFIG, "mmio"),
    ("partitioned", PART_CONFIG, "sgi"),
    ("partitioned-mmio", PART_CONFIG, "mmio"),
    ("partitioned-hvc", PART_CONFIG, "hvc"),
    ("partitioned-svc", PART_CONFIG, "svc"),
    ("partitioned-gicreg", PART_CONFIG, "gicreg"),
    ("partitioned-compute", PART_CONFIG, "compute"),
]
KIND_TEXT = {
    "sgi": "MMIO exit + self-SGI (the issue's)",
    "mmio": "MMIO exit only (vPL011 FR)",
    "hvc": "HVC, Tern's vector fast path",
    "svc": "SVC to its own EL1 (no exit)",
    "gicreg": "ICV_RPR/HPPIR1 reads (no exit)",
    "compute": "arithmetic (no exit)",
}
# What each kind must show in VM 1's exits, checked in every run (an A/B whose hammer does not do
# what it says would prove nothing): the exit reasons it makes about once a round or more (its
# rounds counted from its progress lines over the same second); every other reason stays below
# OTHER_EXITS_MAX a second (its progress lines, about 10 a second of some 60 characters, each a
# PL011 DR write, and Tern's own interrupts). HVCs Tern's vector fast
# path answers are counted only when the vCPU is switched out: none in `stats`.
KIND_EXITS = {"sgi": ("sgi", "mmio"), "mmio": ("mmio",), "hvc": (), "svc": (), "gicreg": (),
              "compute": ()}
PER_ROUND_MIN = 0.5
OTHER_EXITS_MAX = 2000
# The target (issue 14) and the scenarios it is judged on: the issue's, and the one whose
# hammer makes Tern work without any GIC system register (what Tern controls, see the doc).
TARGET_PARTITIONED = 1.10
JUDGED = ("partitioned", "partitioned-mmio")
RUN_TIMEOUT = 120
STATS_GAP_S = 1.0
NICE = -10
# With VM 0 stopped, VM 1's pCPU thread must be this many times as busy as any other pCPU's
# (which only waits in WFI), and busy at least this share of the time.
PLACEMENT_FACTOR = 3
PLACEMENT_MIN = 0.05
DOC_BEGIN = "<!-- interference:begin -->"
DOC_END = "<!-- interference:end -->"

SAMP_RE = re.compile(r"^BENCH wsamp((?: \d+)+)\s*$", re.M)
WLAT_RE = re.compile(r"^BENCH wlat vtimer n=(\d+) freq=(\d+) ", re.M)
HAMMER_RE = re.compile(r"^BENCH hammer kind=(\w+) ops=(\d+) sgis=(\d+) vct=(\d+)", re.M)
STATS_RE = r"vm1: exits (\d+): ([^\r\n]*)\r*\n"
CPUS_RE = re.compile(r"CPU #(\d+):.*?thread_id=(\d+)")


def log(msg):
    print(f"bench-interference: {msg}", file=sys.stderr, flush=True)


def build(out, config):
    d = os.path.join(out, "tern-" + config.removesuffix("_defconfig"))
    for args in ([config], [f"-j{os.cpu_count() or 2}", "all"]):
        rc, text = bench.run(["make", "-C", SRCTREE, f"O={d}", *args], 900)
        if rc:
            sys.exit(f"bench-interference: build of {config} failed:\n{text}")
    return d


def percentile(sorted_vals, p):
    return sorted_vals[min(len(sorted_vals) - 1, len(sorted_vals) * p // 100)]


def tgid(tid):
    """The process of host thread @tid."""
    with open(f"/proc/{tid}/status") as f:
        return int(re.search(r"^Tgid:\s*(\d+)", f.read(), re.M).group(1))


def thread_cpu_s(tid):
    """CPU time (user + system, s) the host thread @tid has used so far: its own, from
    /proc/TGID/task/TID (/proc/TID would add up its whole process)."""
    with open(f"/proc/{tgid(tid)}/task/{tid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Threads:
    """QEMU's pCPU threads (monitor: info cpus) and how busy each was between two marks.

    With @pin, pCPU i's thread may run on host CPU i (mod their number) only, and every thread
    of QEMU gets nice @nice: on a host that runs other jobs, "partitioned" then means each pCPU
    on a host CPU of its own, and those jobs preempt QEMU less (a negative nice needs root:
    without it the threads keep theirs, and the run says so)."""

    def __init__(self, mon, pin, nice):
        tids = {int(c): int(t) for c, t in CPUS_RE.findall(mon.command("info cpus"))}
        if len(tids) < 2 or len(set(tids.values())) != len(tids):
            raise RuntimeError(f"not multi-threaded TCG: pCPU threads {tids}")
        self.tids = tids
        self.pinned = self.niced = False
        if pin:
            ncpus = os.cpu_count() or 1
            for c, t in tids.items():
                os.sched_setaffinity(t, {c % ncpus})
            self.pinned = True
        if nice:
            try:
                for t in os.listdir(f"/proc/{tgid(tids[0])}/task"):
                    os.setpriority(os.PRIO_PROCESS, int(t), nice)
                self.niced = True
            except PermissionError:
                pass
        self.start = self.now()

    def now(self):
        return time.monotonic(), {c: thread_cpu_s(t) for c, t in self.tids.items()}

    def busy(self):
        (w0, c0), (w1, c1) = self.start, self.now()
        return {c: (c1[c] - c0[c]) / max(1e-9, w1 - w0) for c in sorted(self.tids)}


def parse_stats(text):
    """{reason: count} of a `stats` line's "hvc 1, smc 0, ..." part."""
    return {k: int(v) for k, v in re.findall(r"(\w+) (\d+)", text)}


def vm1_exit_rates(child, chunks):
    """VM 1's exits by reason over STATS_GAP_S, from `stats 1` twice: ({reason: per second},
    {reason: per hammer round}, the rounds counted from its last progress line before each)."""
    marks = []
    for _ in range(2):
        child.send("\x1d:")
        child.expect(r"tern> ")
        child.send("stats 1\r")
        child.expect(STATS_RE)
        ops = int(HAMMER_RE.findall(bench.vm_lines("".join(chunks), 1, tern=False))[-1][1])
        marks.append((time.monotonic(), ops, parse_stats(child.match.group(2))))
        if len(marks) == 1:
            # Let VM 1 run on, but wait on its output rather than a fixed sleep alone.
            end = time.monotonic() + STATS_GAP_S
            while time.monotonic() < end:
                child.expect([r"BENCH hammer [^\n]*\n", pexpect.TIMEOUT],
                             timeout=max(0.05, end - time.monotonic()))
    (t0, o0, a), (t1, o1, b) = marks
    return ({k: (b[k] - a.get(k, 0)) / (t1 - t0) for k in b},
            {k: (b[k] - a.get(k, 0)) / max(1, o1 - o0) for k in b})


def check_kind(kind, per_s, per_round):
    """None if VM 1's exits are what its hammer kind makes, else what is wrong."""
    for reason in per_s:
        if reason in KIND_EXITS[kind]:
            if per_round[reason] < PER_ROUND_MIN:
                return f"{per_round[reason]:.2f} {reason} exits a round, under {PER_ROUND_MIN}"
        elif reason != "maint" and per_s[reason] > OTHER_EXITS_MAX:
            return f"{reason} exits {per_s[reason]:.0f}/s, more than {OTHER_EXITS_MAX}/s"
    return None


def hang_dump(child, mon, chunks):
    """A run that timed out: Tern's view of every vCPU (Ctrl-] d) and QEMU's of every pCPU
    (monitor `info registers -a`) go into its log, for whoever looks into it."""
    try:
        child.send("\x1dd")
        child.expect([pexpect.TIMEOUT], timeout=3)
    except (pexpect.EOF, OSError):
        pass
    if mon:
        try:
            chunks.append("\n--- QEMU monitor: info registers -a ---\n" +
                          mon.command("info registers -a"))
        except (OSError, AssertionError):
            pass


def vm1_pcpu(config):
    """The pCPU VM 1's affinity mask names (the interference configs name one)."""
    mask = int(bench.read_config(config)["CONFIG_VM1_PCPU_AFFINITY"], 0)
    return (mask & -mask).bit_length() - 1


def one_run(out, builds, guest, scenario, config, kind, irqs, i, pin, nice):
    """Boot one scenario; returns a dict: samples (us), VM 1's rounds/s and exits/s by reason,
    each pCPU thread's busy share while VM 0 measured."""
    d = builds[config]
    tmp = tempfile.mkdtemp(prefix="tern-interference-")
    sock = os.path.join(tmp, "monitor.sock")
    cmd = [RUN_QEMU, "--image", os.path.join(d, "tern.bin"), "--config",
           os.path.join(d, ".config"), "--smp", "2", "--mem", "512M", "--monitor", sock,
           "--qemu-extra", MTTCG,
           "--vm0-kernel", os.path.join(guest, "interfere.bin"),
           "--vm0-bootargs", f"role=measure irqs={irqs}"]
    if kind:
        cmd += ["--vm1-kernel", os.path.join(guest, "interfere.bin"),
                "--vm1-bootargs", f"role=hammer hammer={kind}"]
    child, chunks = bench.spawn_logged(cmd, RUN_TIMEOUT, cwd=SRCTREE)
    res = {}
    mon = None
    try:
        mon = Monitor(sock)
        threads = Threads(mon, pin, nice)
        child.expect(r"BENCH wlat vtimer [^\n]*\n")
        res["busy"] = threads.busy()
        res["pinned"], res["niced"] = threads.pinned, threads.niced
        if kind:
            # At least two progress lines of VM 1 (its rate), then its exits.
            while len(HAMMER_RE.findall(bench.vm_lines("".join(chunks), 1, tern=False))) < 2:
                child.expect(r"BENCH hammer [^\n]*\n")
            # VM 0 has stopped: only VM 1 runs guest code now, on the pCPU its affinity names.
            # Its thread must be the busy one (host /proc, not Tern's word for it).
            threads.start = threads.now()
            res["exits_per_s"], res["exits_per_round"] = vm1_exit_rates(child, chunks)
            res["busy_vm1_only"] = busy = threads.busy()
            pcpu = vm1_pcpu(os.path.join(d, ".config"))
            idle = max(b for c, b in busy.items() if c != pcpu)
            if busy[pcpu] < PLACEMENT_FACTOR * idle or busy[pcpu] < PLACEMENT_MIN:
                raise RuntimeError(f"VM 1 pinned to pCPU {pcpu}, but the pCPU threads' busy "
                                   f"shares with VM 1 alone running were {busy}")
        else:
            child.expect(pexpect.EOF)
    except (pexpect.TIMEOUT, pexpect.EOF, RuntimeError, AssertionError, OSError) as e:
        if isinstance(e, pexpect.TIMEOUT):
            hang_dump(child, mon, chunks)
        text = "".join(chunks).replace("\r", "")
        path = os.path.join(out, "logs", f"interference-{scenario}-{i}.log")
        with open(path, "w") as f:
            f.write(f"$ {shlex.join(cmd)}\n{text}")
        why = str(e) if isinstance(e, RuntimeError) else type(e).__name__
        sys.exit(f"bench-interference: {scenario} run {i}: no result ({why}), "
                 f"log: {path}\n$ {shlex.join(cmd)}\n{text[-3000:]}")
    finally:
        if mon:
            mon.close()
        child.close(force=True)
        for f in os.listdir(tmp):
            os.unlink(os.path.join(tmp, f))
        os.rmdir(tmp)
    text = "".join(chunks).replace("\r", "")
    with open(os.path.join(out, "logs", f"interference-{scenario}-{i}.log"), "w") as f:
        f.write(f"$ {shlex.join(cmd)}\n{text}")
    text0 = bench.vm_lines(text, 0, tern=False)
    m = WLAT_RE.search(text0)
    n, freq = int(m.group(1)), int(m.group(2))
    ticks = [int(x) for line in SAMP_RE.findall(text0) for x in line.split()]
    if len(ticks) != n:
        sys.exit(f"bench-interference: {scenario} run {i}: {len(ticks)} samples, want {n}")
    res["samples"] = [t * 1e6 / freq for t in ticks]
    if kind:
        hammers = HAMMER_RE.findall(bench.vm_lines(text, 1, tern=False))
        if len(hammers) < 2 or hammers[0][0] != kind:
            sys.exit(f"bench-interference: {scenario} run {i}: VM 1 did not hammer ({kind})")
        (_, o0, _, t0), (_, o1, _, t1) = hammers[0], hammers[-1]
        res["rounds_per_s"] = (int(o1) - int(o0)) * freq / max(1, int(t1) - int(t0))
        wrong = check_kind(kind, res["exits_per_s"], res["exits_per_round"])
        if wrong:
            sys.exit(f"bench-interference: {scenario} run {i}: VM 1 (hammer={kind}): {wrong}")
    return res


def summarise(runs, alone_runs):
    """Pooled median, p99, max; each run's median and p99; each run's median over the alone
    run booted just before it; VM 1's rate, exits and the pCPU threads' busy shares."""
    pooled = sorted(s for r in runs for s in r["samples"])
    per_run = [sorted(r["samples"]) for r in runs]
    alone_meds = [statistics.median(r["samples"]) for r in alone_runs]
    rates = [r["rounds_per_s"] for r in runs if "rounds_per_s" in r]
    exits = [r["exits_per_s"] for r in runs if "exits_per_s" in r]
    reasons = sorted({k for e in exits for k in e})
    return {
        "n": len(pooled),
        "median": statistics.median(pooled),
        "p99": percentile(pooled, 99),
        "max": pooled[-1],
        "run_medians": [statistics.median(s) for s in per_run],
        "run_p99s": [percentile(s, 99) for s in per_run],
        "pair_ratios": [statistics.median(s) / a for s, a in zip(per_run, alone_meds)],
        "hammer_rounds_per_s": statistics.median(rates) if rates else None,
        "vm1_exits_per_s": {k: statistics.median(e.get(k, 0) for e in exits)
                            for k in reasons} if exits else None,
        "busy": {c: statistics.median(r["busy"][c] for r in runs) for c in runs[0]["busy"]},
        "busy_vm1_only": {c: statistics.median(r["busy_vm1_only"][c] for r in runs)
                          for c in runs[0]["busy"]} if "busy_vm1_only" in runs[0] else None,
    }


def spread(vals):
    """(max - min) / median of per-run figures: how much the host moves one number."""
    m = statistics.median(vals)
    return (max(vals) - min(vals)) / m if m else 0.0


def exits_text(e):
    if e is None:
        return "-"
    total = sum(v for k, v in e.items() if k != "maint")
    parts = ", ".join(f"{k} {v:,.0f}" for k, v in e.items() if v >= 0.5 and k != "maint")
    return f"{total:,.0f}" + (f" ({parts})" if parts else "")


def table(res, names):
    alone = res["alone"]
    rows = ["| scenario | VM 1 does | median (us) | p99 (us) | max (us) | median / alone "
            "(runs' range) | p99 / alone | runs' medians, spread | VM 1 rounds/s "
            "| VM 1 exits/s | pCPU 0 / 1 thread busy |",
            "|---|---|---:|---:|---:|---|---:|---|---:|---|---|"]
    for name, _, kind in SCENARIOS:
        if name not in names:
            continue
        r = res[name]
        meds = " ".join(f"{x:.0f}" for x in r["run_medians"])
        rate = f"{r['hammer_rounds_per_s']:,.0f}" if r["hammer_rounds_per_s"] else "-"
        pr = r["pair_ratios"]
        busy = " / ".join(f"{b:.0%}" for b in r["busy"].values())
        rows.append(f"| {name} | {KIND_TEXT.get(kind, '(not created)')} | {r['median']:.1f} | "
                    f"{r['p99']:.1f} | {r['max']:.1f} | {r['median'] / alone['median']:.2f} "
                    f"({min(pr):.2f}..{max(pr):.2f}) | {r['p99'] / alone['p99']:.2f} | "
                    f"{meds}, {spread(r['run_medians']):.0%} | {rate} | "
                    f"{exits_text(r['vm1_exits_per_s'])} | {busy} |")
    return "\n".join(rows)


def judge(ratio, pair_ratios):
    """met or missed, and whether this run's noise can tell: the per-boot ratios on both sides
    of the target mean the host moved the figure by more than the target allows."""
    word = "met" if ratio <= TARGET_PARTITIONED else "missed"
    if min(pair_ratios) <= TARGET_PARTITIONED < max(pair_ratios):
        return f"{word}, but its boots range {min(pair_ratios):.2f}..{max(pair_ratios):.2f}: " \
               "not resolved by this run"
    return word


def verdict(res, names):
    alone = res["alone"]
    out = []
    for name in JUDGED:
        if name not in names:
            continue
        r = res[name]
        med, p99 = r["median"] / alone["median"], r["p99"] / alone["p99"]
        p99_pairs = [a / b for a, b in zip(r["run_p99s"], alone["run_p99s"])]
        out.append(f"{name} against alone (target: within {TARGET_PARTITIONED - 1:.0%}): "
                   f"median {med:.2f} ({judge(med, r['pair_ratios'])}), "
                   f"p99 {p99:.2f} ({judge(p99, p99_pairs)}).")
    noise = max(spread(res[n]["run_medians"]) for n in names)
    out.append(f"Noise: the runs' medians of one scenario spread by up to {noise:.0%} on this "
               "host; a ratio whose runs' range takes in 1.00 is not told apart from alone.")
    return " ".join(out)


def write_doc(path, text):
    with open(path) as f:
        doc = f.read()
    if DOC_BEGIN not in doc or DOC_END not in doc:
        sys.exit(f"bench-interference: {path} has no {DOC_BEGIN} ... {DOC_END} section")
    head, rest = doc.split(DOC_BEGIN, 1)
    tail = rest.split(DOC_END, 1)[1]
    with open(path, "w") as f:
        f.write(f"{head}{DOC_BEGIN}\n{text}\n{DOC_END}{tail}")


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--out", required=True, help="build and result directory")
    p.add_argument("--doc", help="update the generated section of this file")
    p.add_argument("--runs", type=int, default=5, help="boots of each scenario (5)")
    p.add_argument("--irqs", type=int, default=1000, help="interrupts per boot (1000)")
    p.add_argument("--no-pin", action="store_true",
                   help="leave QEMU's pCPU threads free to run on any host CPU")
    p.add_argument("--nice", type=int, default=NICE,
                   help=f"QEMU's threads' nice ({NICE}; 0: leave it)")
    p.add_argument("--builds", help="use the builds DIR/<config> already made (the tests' "
                   "build directory) instead of building under --out")
    p.add_argument("--scenarios", help="comma-separated scenarios besides alone (default: all): "
                   + ",".join(n for n, _, k in SCENARIOS if k))
    args = p.parse_args()
    names = ["alone"] + (args.scenarios.split(",") if args.scenarios else
                         [n for n, _, k in SCENARIOS if k])
    unknown = set(names) - {n for n, _, _ in SCENARIOS}
    if unknown:
        p.error(f"unknown scenarios: {', '.join(sorted(unknown))}")
    out = os.path.abspath(args.out)
    os.makedirs(os.path.join(out, "logs"), exist_ok=True)
    start = time.monotonic()
    builds = {c: os.path.join(args.builds, c) if args.builds else build(out, c)
              for c in (PART_CONFIG, SHARED_CONFIG)}
    guest = os.path.join(out, "guest")
    rc, text = bench.run(["make", "-C", os.path.join(SRCTREE, "tests", "bench"), f"O={guest}"],
                         600)
    if rc:
        sys.exit(f"bench-interference: guest build failed:\n{text}")
    runs = {name: [] for name in names}
    load_avg = []
    for i in range(args.runs):
        for name, config, kind in SCENARIOS:
            if name not in names:
                continue
            log(f"{name}, run {i + 1} of {args.runs}")
            load_avg.append(os.getloadavg()[0])
            runs[name].append(one_run(out, builds, guest, name, config, kind, args.irqs, i,
                                      not args.no_pin, args.nice))
    res = {name: summarise(r, runs["alone"]) for name, r in runs.items()}
    with open(os.path.join(out, "interference.json"), "w") as f:
        json.dump({"results": res, "runs": args.runs, "irqs": args.irqs}, f, indent=1)
    ver = bench.run(["git", "-C", SRCTREE, "describe", "--always", "--dirty"], 30)[1].strip()
    every = [r for rs in runs.values() for r in rs]
    how = ", ".join(
        ["pCPU i's thread pinned to host CPU i" if all(r["pinned"] for r in every)
         else "threads not pinned",
         f"QEMU at nice {args.nice}" if args.nice and all(r["niced"] for r in every)
         else "QEMU at its own nice"])
    text = (f"Latest run: `make bench` on {time.strftime('%Y-%m-%d')}, Tern {ver}, "
            f"{bench.qemu_version()} ({MTTCG}; {how}), {os.cpu_count()} host CPUs (load average "
            f"{min(load_avg):.1f} to {max(load_avg):.1f} during the runs), {args.runs} boots x "
            f"{args.irqs} interrupts per scenario, interleaved, "
            f"{time.monotonic() - start:.0f} s.\n\n{table(res, names)}\n\n"
            f"{verdict(res, names)}")
    print(text)
    if args.doc:
        write_doc(args.doc, text)


if __name__ == "__main__":
    main()
