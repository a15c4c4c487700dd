#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""make bench, interference part: how much a noisy VM disturbs another one (docs/benchmarks.md).

VM 0 runs tests/bench/interfere.c role=measure: virtual-timer interrupts programmed 500 us ahead
while it waits in WFI, the latency from the deadline to its interrupt handler read from the
counter. Three scenarios, each booted RUNS times, interleaved (alone, shared, partitioned, alone,
...) so that drifts of the host load hit all three alike:
  alone        configs/qemu_virt_interference_defconfig, VM 1 has no kernel (not created)
  shared       configs/qemu_virt_interference_shared_defconfig: VM 1 (role=hammer: an MMIO exit
               and a self-SGI per round, as fast as it can) pinned to VM 0's pCPU 0
  partitioned  configs/qemu_virt_interference_defconfig: VM 1 hammering on pCPU 1, VM 0 alone
               on pCPU 0
QEMU runs without -icount (multi-threaded TCG: one host thread per pCPU, the counter is host
time): under -icount all pCPUs run round-robin on one host thread and a partitioned measurement
would measure QEMU's round-robin, not Tern. The host's noise is measured too: the spread of each
run's median and p99 over the RUNS runs of a scenario.

Writes <out>/interference.json and, with --doc, the generated section of docs/benchmarks.md.
"""

import argparse
import json
import os
import re
import shlex
import statistics
import subprocess
import sys
import time

import pexpect

SRCTREE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RUN_QEMU = os.path.join(SRCTREE, "scripts", "run-qemu")
PART_CONFIG = "qemu_virt_interference_defconfig"
SHARED_CONFIG = "qemu_virt_interference_shared_defconfig"
SCENARIOS = [("alone", PART_CONFIG, False), ("shared", SHARED_CONFIG, True),
             ("partitioned", PART_CONFIG, True)]
TARGET_PARTITIONED = 1.10
RUN_TIMEOUT = 300
DOC_BEGIN = "<!-- interference:begin -->"
DOC_END = "<!-- interference:end -->"

SAMP_RE = re.compile(r"^BENCH wsamp((?: \d+)+)\s*$", re.M)
WLAT_RE = re.compile(r"^BENCH wlat vtimer n=(\d+) freq=(\d+) ", re.M)
HAMMER_RE = re.compile(r"^\[vm1\] BENCH hammer ops=(\d+) sgis=(\d+) vct=(\d+)", re.M)


def log(msg):
    print(f"bench-interference: {msg}", file=sys.stderr, flush=True)


def run(cmd, timeout):
    r = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True, errors="replace", timeout=timeout)
    return r.returncode, r.stdout


def clean_env():
    """QEMU's environment without make's VMn_* variables (run-qemu would load those images)."""
    return {k: v for k, v in os.environ.items() if not re.match(r"VM\d+_", k)}


def build(out, config):
    d = os.path.join(out, "tern-" + config.removesuffix("_defconfig"))
    for args in ([config], [f"-j{os.cpu_count() or 2}", "all"]):
        rc, text = run(["make", "-C", SRCTREE, f"O={d}", *args], 900)
        if rc:
            sys.exit(f"bench-interference: build of {config} failed:\n{text}")
    return d


def vm_text(text, vm):
    """VM @vm's output: with several VMs its rows are tagged "[vmN] ", and a long line goes on
    in rows tagged "[vmN]+ " (other VMs' rows may come in between)."""
    lines = []
    for row in text.splitlines():
        m = re.match(rf"^\[vm{vm}\](\+?) (.*)$", row)
        if m and m.group(1) and lines:
            lines[-1] += m.group(2)
        elif m:
            lines.append(m.group(2))
    return "\n".join(lines) + "\n"


def percentile(sorted_vals, p):
    return sorted_vals[min(len(sorted_vals) - 1, len(sorted_vals) * p // 100)]


def one_run(out, builds, guest, scenario, config, hammer, irqs, i):
    """Boot one scenario; returns (samples in us, hammer rounds per second or None)."""
    d = builds[config]
    cmd = [RUN_QEMU, "--image", os.path.join(d, "tern.bin"), "--config",
           os.path.join(d, ".config"), "--smp", "2", "--mem", "512M",
           "--vm0-kernel", os.path.join(guest, "interfere.bin"),
           "--vm0-bootargs", f"role=measure irqs={irqs}"]
    if hammer:
        cmd += ["--vm1-kernel", os.path.join(guest, "interfere.bin"),
                "--vm1-bootargs", "role=hammer"]
    child = pexpect.spawn(cmd[0], cmd[1:], cwd=SRCTREE, encoding="utf-8",
                          codec_errors="replace", timeout=RUN_TIMEOUT, env=clean_env())
    chunks = []

    class Log:
        def write(self, s):
            chunks.append(s)

        def flush(self):
            pass

    child.logfile_read = Log()
    try:
        child.expect(r"BENCH wlat vtimer [^\n]*\n")
        if not hammer:
            child.expect(pexpect.EOF)
    except (pexpect.TIMEOUT, pexpect.EOF):
        text = "".join(chunks)
        sys.exit(f"bench-interference: {scenario} run {i}: no result\n$ {shlex.join(cmd)}\n"
                 f"{text[-3000:]}")
    finally:
        child.close(force=True)
    text = "".join(chunks).replace("\r", "")
    with open(os.path.join(out, "logs", f"interference-{scenario}-{i}.log"), "w") as f:
        f.write(f"$ {shlex.join(cmd)}\n{text}")
    text0 = vm_text(text, 0)
    m = WLAT_RE.search(text0)
    n, freq = int(m.group(1)), int(m.group(2))
    ticks = [int(x) for line in SAMP_RE.findall(text0) for x in line.split()]
    if len(ticks) != n:
        sys.exit(f"bench-interference: {scenario} run {i}: {len(ticks)} samples, want {n}")
    rate = None
    hammers = HAMMER_RE.findall(text)
    if hammer:
        if len(hammers) < 2:
            sys.exit(f"bench-interference: {scenario} run {i}: VM 1 did not hammer")
        (o0, _, t0), (o1, _, t1) = hammers[0], hammers[-1]
        rate = (int(o1) - int(o0)) * freq / max(1, int(t1) - int(t0))
    return [t * 1e6 / freq for t in ticks], rate


def summarise(runs):
    """{median, p99, max} of all samples pooled, each run's, and the hammer rate."""
    pooled = sorted(s for samples, _ in runs for s in samples)
    per_run = [sorted(samples) for samples, _ in runs]
    rates = [r for _, r in runs if r is not None]
    return {
        "n": len(pooled),
        "median": statistics.median(pooled),
        "p99": percentile(pooled, 99),
        "max": pooled[-1],
        "run_medians": [statistics.median(s) for s in per_run],
        "run_p99s": [percentile(s, 99) for s in per_run],
        "hammer_rounds_per_s": statistics.median(rates) if rates else None,
    }


def spread(vals):
    """(max - min) / median of per-run figures: how much the host moves one number."""
    m = statistics.median(vals)
    return (max(vals) - min(vals)) / m if m else 0.0


def table(res):
    alone = res["alone"]
    rows = ["| scenario | median (us) | p99 (us) | max (us) | median / alone | p99 / alone "
            "| max / alone | runs' medians, spread | VM 1 rounds/s |",
            "|---|---:|---:|---:|---:|---:|---:|---|---:|"]
    for name, _, _ in SCENARIOS:
        r = res[name]
        meds = " ".join(f"{x:.0f}" for x in r["run_medians"])
        rate = f"{r['hammer_rounds_per_s']:.0f}" if r["hammer_rounds_per_s"] else "-"
        rows.append(f"| {name} | {r['median']:.1f} | {r['p99']:.1f} | {r['max']:.1f} | "
                    f"{r['median'] / alone['median']:.2f} | {r['p99'] / alone['p99']:.2f} | "
                    f"{r['max'] / alone['max']:.2f} | {meds}, {spread(r['run_medians']):.0%} "
                    f"| {rate} |")
    return "\n".join(rows)


def verdict(res):
    alone, part = res["alone"], res["partitioned"]
    ok_med = part["median"] <= TARGET_PARTITIONED * alone["median"]
    ok_p99 = part["p99"] <= TARGET_PARTITIONED * alone["p99"]
    noise = max(spread(alone["run_medians"]), spread(part["run_medians"]))
    return (f"Partitioned against alone (target: within {TARGET_PARTITIONED - 1:.0%}): median "
            f"{part['median'] / alone['median']:.2f} ({'met' if ok_med else 'missed'}), p99 "
            f"{part['p99'] / alone['p99']:.2f} ({'met' if ok_p99 else 'missed'}); the runs' "
            f"medians of one scenario spread by up to {noise:.0%} on this host, so a difference "
            f"smaller than that is noise, not Tern.")


def write_doc(path, text):
    with open(path) as f:
        doc = f.read()
    if DOC_BEGIN not in doc or DOC_END not in doc:
        sys.exit(f"bench-interference: {path} has no {DOC_BEGIN} ... {DOC_END} section")
    head, rest = doc.split(DOC_BEGIN, 1)
    tail = rest.split(DOC_END, 1)[1]
    with open(path, "w") as f:
        f.write(f"{head}{DOC_BEGIN}\n{text}\n{DOC_END}{tail}")


def host_info():
    try:
        qemu = subprocess.run(["qemu-system-aarch64", "--version"], capture_output=True,
                              text=True).stdout.splitlines()[0]
    except (OSError, IndexError):
        qemu = "qemu-system-aarch64 (version unknown)"
    try:
        ver = subprocess.run(["git", "-C", SRCTREE, "describe", "--always", "--dirty"],
                             capture_output=True, text=True).stdout.strip()
    except OSError:
        ver = "?"
    return ver, qemu


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--out", required=True, help="build and result directory")
    p.add_argument("--doc", help="update the generated section of this file")
    p.add_argument("--runs", type=int, default=5, help="boots of each scenario (5)")
    p.add_argument("--irqs", type=int, default=1000, help="interrupts per boot (1000)")
    args = p.parse_args()
    out = os.path.abspath(args.out)
    os.makedirs(os.path.join(out, "logs"), exist_ok=True)
    start = time.monotonic()
    builds = {c: build(out, c) for c in (PART_CONFIG, SHARED_CONFIG)}
    guest = os.path.join(out, "guest")
    rc, text = run(["make", "-C", os.path.join(SRCTREE, "tests", "bench"), f"O={guest}"], 600)
    if rc:
        sys.exit(f"bench-interference: guest build failed:\n{text}")
    runs = {name: [] for name, _, _ in SCENARIOS}
    load = []
    for i in range(args.runs):
        for name, config, hammer in SCENARIOS:
            log(f"{name}, run {i + 1} of {args.runs}")
            load.append(os.getloadavg()[0])
            runs[name].append(one_run(out, builds, guest, name, config, hammer, args.irqs, i))
    res = {name: summarise(r) for name, r in runs.items()}
    with open(os.path.join(out, "interference.json"), "w") as f:
        json.dump({"results": res, "runs": args.runs, "irqs": args.irqs}, f, indent=1)
    ver, qemu = host_info()
    text = (f"Latest run: `make bench` on {time.strftime('%Y-%m-%d')}, Tern {ver}, {qemu}, "
            f"{os.cpu_count()} host CPUs (load average {min(load):.1f} to {max(load):.1f} "
            f"during the runs), {args.runs} boots x {args.irqs} interrupts per scenario, "
            f"{time.monotonic() - start:.0f} s.\n\n{table(res)}\n\n{verdict(res)}")
    print(text)
    if args.doc:
        write_doc(args.doc, text)


if __name__ == "__main__":
    main()
