# SPDX-License-Identifier: GPL-2.0-only
"""Linux with 4 vCPUs, once on 4 pCPUs (defconfig, MULTI_PCPU) and once time-shared on the
boot pCPU (up config, MULTI_PCPU off, QEMU -smp 1).

Each configuration boots once (module-scoped fixture smp_linux, parametrized); the tests
run in file order on that boot: the pCPU/vCPU set-up, IPIs counting up on every CPU, four
concurrent busy loops, where they run as QEMU's monitor sees the pCPUs, CPU hotplug of cpu3,
a clean dmesg and Tern log, three reboots in a row (each back to a working shell), and a
poweroff that ends QEMU with status 0 (the last test: it ends the shared boot).
"""

import os
import re
import time

import pytest

import tern as tern_lib

pytestmark = pytest.mark.linux

VCPUS = 4
# (config, QEMU -smp): 4 vCPUs on 4 pCPUs, 4 vCPUs on 1 pCPU.
MACHINES = [("defconfig", 4), ("up", 1)]
MACHINE_IDS = ["defconfig-4pcpus", "up-1pcpu"]

# The whole shared boot (boot, busy loops, hotplug, poweroff) ends within this deadline.
BOOT_DEADLINE = 25 * tern_lib.RUN_TIMEOUT
BUSY_TIMEOUT = 240
BUSY_COUNT = 20000

SYSTEM_OFF_RE = r"\[c\d+\] vm0: stopped: guest called PSCI SYSTEM_OFF"
RESET_RE = r"\[c\d+\] vm0: reset requested by the guest: restarting from the pristine images"
POWER_OFF_RE = r"\[c\d+\] boot: every VM has stopped: powering off"

DMESG_BAD = ["rcu_sched self-detected stall", "rcu: INFO", "soft lockup", "hard LOCKUP",
             "Oops", "BUG:", "WARNING:", "Call trace", "Unable to handle", "Kernel panic"]


def _save_log(node, t):
    logdir = os.path.join(tern_lib.build_root(), "itest", "logs")
    os.makedirs(logdir, exist_ok=True)
    base = re.sub(r"[^\w.\-\[\]]+", "_", node.name)
    with open(os.path.join(logdir, base + ".log"), "w") as f:
        f.write(f"$ {' '.join(t.cmd)}\n{t.log}")
        if t.exitstatus is not None:
            f.write(f"[QEMU exit status {t.exitstatus}]\n")


@pytest.fixture(scope="module", params=MACHINES, ids=MACHINE_IDS)
def smp_linux(request, build, linux_guest):
    """One boot of the Linux guest as VM 0 of request.param's config at its shell prompt,
    shared by this module's tests for that configuration. t.powered_off is set by the
    poweroff test; teardown kills QEMU if it still runs."""
    config, smp = request.param
    b = build(config)
    t = tern_lib.Tern(b.image, smp=smp, mem="1G", config=b.path(".config"),
                      name=f"{b.config} (-smp {smp}) + Linux", timeout=BOOT_DEADLINE)
    t.build = b
    t.machine = (config, smp)
    t.powered_off = False
    t.hung = None           # set by shell_ok() when the console stops answering
    t.add_vm0_linux(linux_guest)
    t.add_monitor()
    try:
        start = time.monotonic()
        t.start()
        t.linux_release = t.wait_linux()
        t.boot_seconds = time.monotonic() - start
        print(f"\n{t.name}: prompt after {t.boot_seconds:.1f} s")
        yield t
    finally:
        t.close()
        _save_log(request.node, t)


@pytest.fixture
def lsh(smp_linux):
    """The shared boot, still running and answering (a test after the poweroff, or after
    an earlier test saw the console stop answering, fails at once instead of timing out)."""
    if smp_linux.powered_off:
        pytest.fail("the shared boot was powered off by an earlier test", pytrace=False)
    if smp_linux.hung:
        pytest.fail(f"the shared boot stopped answering in an earlier test: {smp_linux.hung}",
                    pytrace=False)
    return smp_linux


shell_ok = tern_lib.shell_ok


def proc_interrupts(t):
    """/proc/interrupts as (cpu column names, {row name: ([per-CPU counts], description)})."""
    out = shell_ok(t, "cat /proc/interrupts")
    lines = out.splitlines()
    cpus = lines[0].split() if lines else []
    if not cpus or not all(re.fullmatch(r"CPU\d+", c) for c in cpus):
        t.fail(f"/proc/interrupts: no 'CPU0 CPU1 ...' header:\n{out}")
    rows = {}
    for ln in lines[1:]:
        m = re.match(r"^\s*(\w+):\s+(.*)$", ln)
        if not m:
            continue
        fields = m.group(2).split()
        counts = fields[:len(cpus)]
        if len(counts) == len(cpus) and all(c.isdigit() for c in counts):
            rows[m.group(1)] = ([int(c) for c in counts], " ".join(fields[len(cpus):]))
    return cpus, rows


def ipi_counts(t):
    """{CPU column: IPI0 + IPI1 (rescheduling + function call IPIs) on that CPU}."""
    cpus, rows = proc_interrupts(t)
    for ipi in ("IPI0", "IPI1"):
        if ipi not in rows:
            t.fail(f"/proc/interrupts has no {ipi} row: {sorted(rows)}")
    return {cpu: rows["IPI0"][0][i] + rows["IPI1"][0][i] for i, cpu in enumerate(cpus)}


def timer_counts(t):
    """{CPU column: arch_timer (GICv3 PPI 27) interrupts on that CPU}."""
    cpus, rows = proc_interrupts(t)
    for counts, desc in rows.values():
        if re.search(r"\bGICv3\s+27\b.*\barch_timer\b", desc):
            return dict(zip(cpus, counts))
    t.fail("/proc/interrupts has no 'GICv3 27 ... arch_timer' row")


def cpu_busy_jiffies(t):
    """{cpuN: user + nice + system jiffies} from /proc/stat."""
    out = shell_ok(t, "cat /proc/stat")
    busy = {}
    for m in re.finditer(r"^(cpu\d+)\s+(\d+)\s+(\d+)\s+(\d+)", out, re.M):
        busy[m.group(1)] = int(m.group(2)) + int(m.group(3)) + int(m.group(4))
    return busy


def busy_loops(t, n=4, count=BUSY_COUNT, tag="busy", timeout=BUSY_TIMEOUT):
    """Run n shell loops counting to count concurrently in the background, then `wait`;
    fail unless every one printed its completion marker. Returns the host seconds taken."""
    loop = (f"(i=0; while [ $i -lt {count} ]; do i=$((i+1)); done; "
            f"echo {tag}-$n-done-$i) &")
    cmd = f"for n in {' '.join(str(k) for k in range(1, n + 1))}; do {loop} done; wait"
    start = time.monotonic()
    out = shell_ok(t, cmd, timeout=timeout)
    took = time.monotonic() - start
    done = sorted(int(k) for k in re.findall(rf"^{tag}-(\d+)-done-{count}$", out, re.M))
    assert done == list(range(1, n + 1)), \
        f"want {n} '{tag}-N-done-{count}' markers, got {done}:\n{out}"
    return took


# -- the tests, in order, on one boot per configuration -------------------------------------

def test_smp_setup(lsh):
    """nproc is 4; Tern set up the expected pCPUs and a 4-vCPU VM 0."""
    t = lsh
    config, smp = t.machine
    kconf = t.build.kconfig()
    assert int(kconf["CONFIG_VM0_NR_VCPUS"]) == VCPUS, \
        f"{t.build.config}: VM 0 has {kconf['CONFIG_VM0_NR_VCPUS']} vCPUs, want {VCPUS}"
    log = t.log
    if smp == 1:
        assert kconf.get("CONFIG_MULTI_PCPU") != "y", f"{t.build.config} has MULTI_PCPU"
        assert re.search(r"^\[c0\] smp: MULTI_PCPU is off: using 1 of 1 pCPUs?$", log, re.M), \
            "Tern did not log 'smp: MULTI_PCPU is off: using 1 of 1 pCPU'"
        assert not re.search(r"^\[c[1-9]\d*\] ", log, re.M), "a secondary pCPU logged"
    else:
        assert kconf.get("CONFIG_MULTI_PCPU") == "y", f"{t.build.config} lacks MULTI_PCPU"
        assert re.search(rf"^\[c0\] smp: {smp} pCPUs online$", log, re.M), \
            f"Tern did not log 'smp: {smp} pCPUs online'"
        secondaries = re.findall(r"^\[c(\d+)\] smp: pCPU (\d+) online", log, re.M)
        assert secondaries == [(str(i), str(i)) for i in range(1, smp)], \
            f"want one 'pCPU i online' line from each secondary pCPU, got {secondaries}"
    assert re.search(rf"^\[c\d+\] vm0: linux, {VCPUS} vCPUs, ", log, re.M), \
        f"Tern did not report VM 0 as a {VCPUS}-vCPU Linux VM"
    assert shell_ok(t, "nproc").strip() == str(VCPUS)
    assert shell_ok(t, "cat /sys/devices/system/cpu/online").strip() == f"0-{VCPUS - 1}"
    cpus, _ = proc_interrupts(t)
    assert cpus == [f"CPU{i}" for i in range(VCPUS)], f"/proc/interrupts columns: {cpus}"


def test_smp_ipis_count_up(lsh):
    """Cross-CPU work raises the IPI0 + IPI1 count of every CPU."""
    t = lsh
    before = ipi_counts(t)
    after = before
    # Forking jobs that land on other CPUs sends rescheduling IPIs, drop_caches function
    # call IPIs (per-CPU LRU/slab drains). Up to 3 rounds until every CPU has taken some.
    for _ in range(3):
        shell_ok(t, "for n in 1 2 3 4 5 6 7 8; do (i=0; while [ $i -lt 500 ]; do "
                    "i=$((i+1)); done) & done; wait; sync; "
                    "echo 3 > /proc/sys/vm/drop_caches; sleep 0.2", timeout=120)
        after = ipi_counts(t)
        if all(after[c] > before[c] for c in before):
            break
    print(f"\nIPI0+IPI1 per CPU: {before} -> {after}")
    assert set(after) == set(before) and len(before) == VCPUS, f"{before} -> {after}"
    assert all(before[c] > 0 for c in before), f"a CPU has taken no IPI at all: {before}"
    stuck = [c for c in before if after[c] <= before[c]]
    assert not stuck, f"IPI0+IPI1 did not go up on {stuck}: {before} -> {after}"


def test_smp_concurrent_busy_loops(lsh):
    """Four background shell loops counting to 20000 all finish; every CPU did work."""
    t = lsh
    jiffies_before = cpu_busy_jiffies(t)
    took = busy_loops(t)
    jiffies_after = cpu_busy_jiffies(t)
    print(f"\n4 concurrent busy loops of {BUSY_COUNT}: {took:.1f} s; busy jiffies "
          f"{jiffies_before} -> {jiffies_after}")
    assert len(jiffies_before) == VCPUS, f"/proc/stat cpus: {sorted(jiffies_before)}"
    idle = [c for c in jiffies_before if jiffies_after.get(c, 0) <= jiffies_before[c]]
    assert not idle, f"{idle} accrued no busy time during the loops: " \
                     f"{jiffies_before} -> {jiffies_after}"


def test_smp_busy_loops_on_every_pcpu(lsh):
    """Four busy loops in the guest: seen from outside (QEMU's monitor, `info registers -a`),
    every pCPU runs guest code (EL0/EL1) in a good share of samples. With all vCPUs on pCPU 0
    (no placement), pCPUs 1-3 sit at EL2 in every sample.

    The share is not 'most': on a loaded 2-core host the emulated CPUs get so few
    instructions per wall-clock tick that timer and console exits take a large part of
    pCPU 0's time (seen: 7 of 12 samples in EL0/EL1 in a fresh-clone CI run), and Linux
    briefly leaves a CPU idle while it rebalances the loops."""
    t = lsh
    config, smp = t.machine
    shell_ok(t, "rm -f /tmp/busy.pids; for n in 1 2 3 4; do (while :; do :; done) & "
                "echo $! >> /tmp/busy.pids; done")
    samples = []
    mon = t.monitor()
    try:
        time.sleep(1)
        for _ in range(20):
            samples.append(mon.cpus())
            time.sleep(0.25)
    finally:
        mon.close()
        shell_ok(t, "kill $(cat /tmp/busy.pids); wait; rm /tmp/busy.pids", timeout=120)
    table = [[s.get(p, (None,))[0] for p in range(smp)] for s in samples]
    print(f"\nexception level per pCPU in {len(samples)} samples: {table}")
    assert all(len(s) == smp for s in samples), f"monitor shows {[len(s) for s in samples]} CPUs"
    for p in range(smp):
        guest = sum(1 for s in samples if s[p][0] in (0, 1))
        assert guest >= 0.3 * len(samples), \
            f"pCPU {p} ran guest code in {guest} of {len(samples)} samples: {table}"


def test_smp_cpu_hotplug(lsh):
    """cpu3 goes offline and back online; it takes timer interrupts and jobs run again."""
    t = lsh
    online = "/sys/devices/system/cpu/online"
    cpu3 = "/sys/devices/system/cpu/cpu3/online"
    shell_ok(t, f"echo 0 > {cpu3}", timeout=60)
    assert shell_ok(t, f"cat {online}").strip() == "0-2"
    assert shell_ok(t, f"cat {cpu3}").strip() == "0"
    assert shell_ok(t, "nproc").strip() == "3"
    # A job runs with cpu3 off.
    busy_loops(t, n=3, count=2000, tag="off3")
    shell_ok(t, f"echo 1 > {cpu3}", timeout=60)
    assert shell_ok(t, f"cat {online}").strip() == "0-3"
    assert shell_ok(t, "nproc").strip() == "4"
    # cpu3 really runs again: its timer ticks, and 4 jobs finish.
    before = timer_counts(t)
    took = busy_loops(t, n=4, count=4000, tag="on3")
    shell_ok(t, "sleep 1")
    after = timer_counts(t)
    assert after.get("CPU3", 0) > before.get("CPU3", 0), \
        f"cpu3's arch_timer count did not go up after onlining: {before} -> {after}"
    print(f"\nhotplug: 4 loops of 4000 after onlining cpu3 took {took:.1f} s")
    out = shell_ok(t, "dmesg | tail -n 30", kmsg=True)
    assert re.search(r"CPU3: Booted secondary processor", out), \
        f"dmesg does not show cpu3 booting again:\n{out}"


def test_smp_dmesg_and_tern_log_clean(lsh):
    """After the load and the hotplug: no stall, lockup, oops or warning in dmesg; no
    warning, error, panic or dump from Tern."""
    t = lsh
    out = shell_ok(t, "dmesg", timeout=60, kmsg=True)
    assert "Linux version" in out and "Run /init as init process" in out, \
        f"dmesg does not look like this boot's kernel log:\n{out[:2000]}"
    bad = [ln for ln in out.splitlines() if any(b in ln for b in DMESG_BAD)]
    assert not bad, "kernel log has error lines:\n  " + "\n  ".join(bad)
    m = re.search(r"smp: Brought up \d+ nodes?, (\d+) CPUs?", out)
    assert m and int(m.group(1)) == VCPUS, \
        f"dmesg: want 'smp: Brought up 1 node, {VCPUS} CPUs': {m and m.group(0)}"
    tern_bad = [ln for ln in t.lines()
                if any(re.search(p, ln) for p in tern_lib.BAD_PATTERNS.values())]
    assert not tern_bad, "Tern logged:\n  " + "\n  ".join(tern_bad)


REBOOTS = 3


def test_smp_reboots(lsh):
    """`reboot` three times in a row: each time Tern resets the VM and Linux comes back on
    every vCPU to a working shell (the stop_machine lockup of issue 10 hung the first one)."""
    t = lsh
    resets = len(re.findall(RESET_RE, t.log))
    for n in range(1, REBOOTS + 1):
        start = time.monotonic()
        t.sendline("reboot")
        try:
            t.expect(RESET_RE, timeout=120)
            assert t.wait_linux(timeout=600) == t.linux_release
        except tern_lib.ConsoleError as e:
            t.hung = f"reboot {n}: {str(e).splitlines()[0]}"
            raise
        assert shell_ok(t, f"echo reboot-{n}-$((6*7))") == f"reboot-{n}-42\n"
        assert shell_ok(t, "nproc").strip() == str(VCPUS)
        print(f"\nreboot {n}: shell after {time.monotonic() - start:.1f} s")
    assert len(re.findall(RESET_RE, t.log)) == resets + REBOOTS
    assert len(re.findall(tern_lib.BANNER_RE, t.log)) == 1, "Tern itself was reset"


def test_smp_poweroff(lsh):
    """Last: poweroff stops every vCPU and QEMU exits with status 0."""
    t = lsh
    t.powered_off = True
    t.sendline("poweroff")
    t.expect(SYSTEM_OFF_RE, timeout=60)
    t.expect(POWER_OFF_RE, timeout=60)
    status = t.wait_exit(timeout=60)
    assert status == 0, f"QEMU exit status {status}"
