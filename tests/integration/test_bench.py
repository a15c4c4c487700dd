# SPDX-License-Identifier: GPL-2.0-only
"""The short mode of `make bench`: the bench guest's measuring code (tests/bench) under Tern.

Tern is built with configs/qemu_virt_bench_defconfig and the bench guest runs as VM 0 under
`-icount shift=0,sleep=off`, twice with different counts; its two-vCPU rows (SGI ping-pong
between two vCPUs on one pCPU, SGI sends to a vCPU with the SGI disabled) run the same way with
configs/qemu_virt_bench_smp_defconfig; the growth rows' runs (8 VMs on one pCPU, 8 vCPUs with 6
parked) once each, short. The checks are sanity only: every
figure is positive and plausible, both runs agree, and Tern's exit counters add up and grow by
exactly the operations the guest added. Never a performance threshold: targets are for
`make bench` to report (docs/benchmarks.md).
"""

import importlib.util
import os
import re
import subprocess

import pytest

import tern as tern_lib

CONFIG = "qemu_virt_bench_defconfig"
SMP_CONFIG = "qemu_virt_bench_smp_defconfig"
BENCH_SRC = os.path.join(tern_lib.SRCTREE, "tests", "bench")
BENCH_PY = os.path.join(tern_lib.SRCTREE, "scripts", "bench.py")

_spec = importlib.util.spec_from_file_location("tern_bench", BENCH_PY)
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)

LOOPS = ("hvc", "psci_version", "smccc_arch_features", "sysreg", "sysreg_cntp_ctl_read",
         "sysreg_cntp_ctl_write", "sysreg_oslsr", "sysreg_aidr", "mmio_pl011_fr",
         "mmio_gicd_iidr", "mmio_gicr_typer", "mmio_gicd_typer", "mmio_pl011_fr_post",
         "mmio_pl011_dr_write", "mmio_gicd_isenabler_write", "mmio_gicd_enable_pair")
LATS = ("vtimer", "sgi")
# Upper bound of the instructions one flush of the vPL011's held line costs (test_deterministic).
DR_LINE_FLUSH = 2000
# (n, irqs) of the two runs: the second adds N_MORE loop iterations and IRQS_MORE interrupts.
RUNS = ((200, 20), (400, 50))


SMP_LOOPS = ("pingpong", "sgi_send")
SMP_RUNS = (100, 300)                    # n of the two SMP runs (round trips and sends)
WARMUP = 16                              # loop_row's warm-up iterations (tests/bench/bench.c)


def _run_bench(build, config, bootargs_list):
    """The bench guest under Tern built with @config, once per bootargs:
    [(parsed BENCH output, exit counters, console log)]."""
    b = build(config)
    out = b.path("bench-guest")
    cmd = ["make", "-C", BENCH_SRC, f"O={out}"]
    r = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True, timeout=tern_lib.BUILD_TIMEOUT)
    assert r.returncode == 0, f"bench guest build failed:\n$ {' '.join(cmd)}\n{r.stdout}"
    results = []
    for bootargs in bootargs_list:
        t = tern_lib.Tern(b.image, smp=1, mem="256M", config=b.path(".config"),
                          name=f"bench {bootargs}")
        t.cmd += ["--icount", "--vm0-kernel", os.path.join(out, "bench.bin"),
                  "--vm0-bootargs", bootargs]
        try:
            t.start()
            status = t.wait_exit()
        finally:
            t.close()
        log = t.log
        assert status == 0, f"QEMU exit status {status}:\n{log}"
        results.append((bench.parse_bench(log), bench.parse_exits(log), log))
    return results


@pytest.fixture(scope="module")
def bench_runs(build, request):
    """Both runs: [(parsed BENCH output, exit counters, console log)]."""
    return _run_bench(build, CONFIG, [f"n={n} irqs={irqs}" for n, irqs in RUNS])


@pytest.fixture(scope="module")
def smp_runs(build, request):
    """The two-vCPU rows, both runs."""
    return _run_bench(build, SMP_CONFIG, [f"rows=switch,sgisend n={n}" for n in SMP_RUNS])


def test_guest_passes(bench_runs):
    for res, _, log in bench_runs:
        assert res["summary"] is not None, f"no SUMMARY:\n{log}"
        assert res["summary"][1] == 0 and "FAIL:" not in log, log


def test_figures_sane(bench_runs):
    for (res, _, log), (n, irqs) in zip(bench_runs, RUNS):
        for name in LOOPS:
            assert name in res["loop"], f"no BENCH loop {name}:\n{log}"
            assert res["raw"][name]["n"] == n
            # Positive, and more than the instruction it replaces; 1e5 would mean a broken loop.
            assert 1 < res["loop"][name] < 100000, (name, res["loop"][name])
        for name in LATS:
            assert name in res["lat"], f"no BENCH lat {name}:\n{log}"
            mean, lo, hi = res["lat"][name]
            assert res["raw"][name]["n"] == irqs
            assert 0 < lo <= mean <= hi < 1000000, (name, res["lat"][name])


def test_deterministic(bench_runs):
    """Under icount every per-operation figure is the same whatever the count (up to the
    counter's 16-instruction resolution spread over n)."""
    (a, _, _), (b, _, _) = bench_runs
    for name in LOOPS:
        slack = 2 * bench.INS_PER_TICK / RUNS[0][0] + 1
        if name == "mmio_pl011_dr_write":
            # The vPL011 holds a line of VPL011_TX_LINE_SIZE (128) bytes and writes it out when
            # full: floor(writes / 128) flushes, so a run may carry one flush more per n writes
            # than the other (measured: 626.24 at n=200, 630.32 at n=400).
            slack += DR_LINE_FLUSH / RUNS[0][0]
        assert abs(a["loop"][name] - b["loop"][name]) <= slack, \
            (name, a["loop"][name], b["loop"][name])
    for name in LATS:
        assert a["lat"][name][1:] == b["lat"][name][1:], name


def test_exit_counters_add_up(bench_runs):
    for _, exits, log in bench_runs:
        assert exits is not None, f"no exit counters:\n{log}"
        assert bench.exits_add_up(exits), exits
        assert all(v >= 0 for v in exits.values()), exits


def test_exit_counters_follow_the_guest(bench_runs):
    """The second run's extra operations show up as exactly that many exits of their reason."""
    (_, a, _), (_, b, _) = bench_runs
    d = {k: b[k] - a[k] for k in a}
    dn, dirqs = RUNS[1][0] - RUNS[0][0], RUNS[1][1] - RUNS[0][1]
    assert d["hvc"] == 3 * dn, d             # null hypercall, PSCI_VERSION, ARCH_FEATURES
    assert d["sgi"] == dirqs, d              # one trapped ICC_SGI1R_EL1 write per self-SGI
    assert d["sysreg"] >= 5 * dn, d          # ID, CNTP_CTL r/w, OSLSR, AIDR (plus ICC traps)
    assert d["mmio"] >= 8 * dn, d            # the eight MMIO rows (plus output)
    assert d["irq"] - d["maint"] >= dirqs, d  # the physical vtimer interrupts


def test_smp_guest_passes(smp_runs):
    """Includes the guest's own checks: vCPU 1 answered every ping, the sends left the
    disabled SGI pending on vCPU 1 and caused no interrupt there."""
    for res, _, log in smp_runs:
        assert res["summary"] is not None, f"no SUMMARY:\n{log}"
        assert res["summary"][1] == 0 and "FAIL:" not in log, log


def test_smp_figures_sane(smp_runs):
    for (res, _, log), n in zip(smp_runs, SMP_RUNS):
        for name in SMP_LOOPS:
            assert name in res["loop"], f"no BENCH loop {name}:\n{log}"
            assert res["raw"][name]["n"] == n
            assert 1 < res["loop"][name] < 1000000, (name, res["loop"][name])
        # A round trip holds two sends and two switches: more than two sends alone.
        assert res["loop"]["pingpong"] > 2 * res["loop"]["sgi_send"], res["loop"]


def test_smp_exit_counters(smp_runs):
    """Counters add up, and the second run's extra round trips and sends show up exactly:
    per round trip 2 SGI writes and 2 WFI exits, per send 1 SGI write, nothing else per
    operation (the differences of the other reasons stay far below the operations added)."""
    for _, exits, log in smp_runs:
        assert exits is not None, f"no exit counters:\n{log}"
        assert bench.exits_add_up(exits), exits
    (_, a, _), (_, b, _) = smp_runs
    d = {k: b[k] - a[k] for k in a}
    dn = SMP_RUNS[1] - SMP_RUNS[0]
    assert d["sgi"] == 3 * dn, d
    assert d["wfi"] == 2 * dn, d
    assert d["total"] - d["sgi"] - d["wfi"] < dn, d
    assert a["sgi"] == 3 * (SMP_RUNS[0] + WARMUP), a


IRQ_N, WAKE_N, SAMPLES = 100, 4, 3


@pytest.fixture(scope="module")
def smp_irq_run(build, request):
    """The rows with the SGIs taken as interrupts, one run (vCPU 1 runs differently)."""
    return _run_bench(build, SMP_CONFIG, [f"rows=rtirq,wake,rtwall n={IRQ_N} wake={WAKE_N} "
                                          f"samples={SAMPLES}"])[0]


def test_smp_irq_rows_sane(smp_irq_run, smp_runs):
    res, exits, log = smp_irq_run
    assert res["summary"] is not None and res["summary"][1] == 0 and "FAIL:" not in log, log
    rt = res["loop"]["pingirq"]
    # Two switches and two taken interrupts: more than two sends, within reason.
    assert 2 * smp_runs[0][0]["loop"]["sgi_send"] < rt < 1000000, rt
    mean, lo, hi = res["lat"]["wake"]
    assert res["raw"]["wake"]["n"] == WAKE_N
    # Under icount: at least the switch, at most a whole slice (10 ms = 10^7 instructions).
    assert 1000 < lo <= mean <= hi < 10000000, res["lat"]["wake"]
    n, ticks = res["samples"]["rtwall"]
    assert n == IRQ_N and len(ticks) == SAMPLES and all(t > 0 for t in ticks), ticks
    assert exits is not None and bench.exits_add_up(exits), exits


GROWTH_N = 100


@pytest.fixture(scope="module")
def growth_8vm_run(build, request):
    """The growth rows' 8-VM run, short: VM 0 measures, VMs 1-7 sleep in WFI meanwhile."""
    b = build(bench.BENCH_8VM_CONFIG)
    out = b.path("bench-guest")
    r = subprocess.run(["make", "-C", BENCH_SRC, f"O={out}"], stdin=subprocess.DEVNULL,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                       timeout=tern_lib.BUILD_TIMEOUT)
    assert r.returncode == 0, r.stdout
    image = os.path.join(out, "bench.bin")
    t = tern_lib.Tern(b.image, smp=1, mem="1G", config=b.path(".config"), name="bench 8 VMs")
    t.cmd += ["--icount", "--vm0-kernel", image, "--vm0-bootargs",
              f"rows=smccc,sysreg_emul,mmio n={GROWTH_N} sleep={bench.GROWTH_SETTLE_MS}"]
    for n in range(1, 8):
        t.cmd += [f"--vm{n}-kernel", image, f"--vm{n}-bootargs",
                  f"rows=idle sleep={bench.GROWTH_IDLE_MS}"]
    try:
        t.start()
        status = t.wait_exit()
    finally:
        t.close()
    assert status == 0, f"QEMU exit status {status}:\n{t.log}"
    return t.log


def test_growth_8vm_sane(growth_8vm_run):
    """VM 0's rows come out of the multi-VM console (bench.vm_lines), and each of VMs 1-7 slept
    in WFI once, woken by its timer after VM 0 had finished: they were asleep, not running,
    while VM 0 measured."""
    log = growth_8vm_run.replace("\r", "")
    res = bench.parse_bench(bench.vm_lines(log, 0))
    assert res["summary"] == (res["summary"][0], 0), log
    for name in ("psci_version", "sysreg_cntp_ctl_write", "mmio_pl011_fr", "mmio_gicd_iidr"):
        assert 1 < res["loop"][name] < 100000, (name, res["loop"])
    vm0_off = log.index("vm0: exit: guest called PSCI SYSTEM_OFF")
    # One pCPU: the console shows the VMs' lines in the order they ran. Every other VM had
    # booted (and gone to sleep) before VM 0's first measurement.
    vm0_first = log.index("[vm0] BENCH loop ")
    for n in range(1, 8):
        lines = bench.vm_lines(log, n)
        assert bench.SUMMARY_RE.search(lines).groups()[1] == "0", lines
        assert "PASS: bench: sleep: " in lines, lines
        m = re.search(rf"vm{n}: exits \d+: .*\bwfi (\d+),", log)
        assert m and m.group(1) == "1", (n, m and m.group(0))
        assert log.index(f"vm{n}: exit: guest called PSCI SYSTEM_OFF") > vm0_off
        assert log.index(f"[vm{n}] INFO: bench: bootargs") < vm0_first, n


def test_growth_parked_vcpus(build):
    """The growth switch row's run, short: 8 vCPUs, vCPUs 2-7 parked asleep (PSCI
    AFFINITY_INFO ON, checked by the guest), the ping-pong still answered every time."""
    (res, exits, log), = _run_bench(build, bench.BENCH_SMP8_CONFIG,
                                   [f"rows=switch n={SMP_RUNS[0]} parked={bench.GROWTH_PARKED}"])
    assert res["summary"] is not None and res["summary"][1] == 0 and "FAIL:" not in log, log
    assert re.search(rf"^BENCH parked n={bench.GROWTH_PARKED}$", log, re.M), log
    assert 1 < res["loop"]["pingpong"] < 1000000, res["loop"]
    # Per round trip 2 SGI writes and 2 WFI exits; the parked vCPUs add one WFI each, once.
    assert exits["sgi"] == 2 * (SMP_RUNS[0] + WARMUP), exits
    assert exits["wfi"] >= 2 * (SMP_RUNS[0] + WARMUP) + bench.GROWTH_PARKED, exits


@pytest.mark.linux
def test_linux_marker_boot_deterministic(build, linux_guest, tmp_path):
    """The Linux row's deterministic boot (bench.Ctx.linux_mark), twice under Tern: the guest
    printed the marker at its first shell and powered off without any console input, QEMU
    (-no-shutdown) stopped there and counted the instructions, and the two counts agree within
    --repeat's tolerance (the guest's uptime at the prompt, the row before, differed up to 47x
    between two runs). Tern's exit counters of the boot add up."""
    b = build(bench.LINUX1_CONFIG)
    ctx = bench.Ctx(str(tmp_path))
    ctx.cache[("build", bench.LINUX1_CONFIG)] = b.dir
    ctx.cache["linux-guest"] = (linux_guest.kernel, linux_guest.initrd)
    first, exits = ctx.linux_mark("tern", 0)
    again, _ = ctx.linux_mark("tern", 1)
    assert 10**8 < first < 10**11, first
    assert bench.rel_diff(first, again) <= bench.REPRO_TOLERANCE, (first, again)
    assert exits is not None and bench.exits_add_up(exits), exits
