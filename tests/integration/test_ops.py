# SPDX-License-Identifier: GPL-2.0-only
"""Running VMs like an operator (issue 14, docs/operating.md): the hypervisor console and the
per-VM policies.

configs/qemu_virt_ops_defconfig: VM 0 ("bystander", pCPU 0) checksums its memory every second
(tests/guests/cksum.c, CKSUM lines), VM 1 ("worker", 2 vCPUs on pCPU 1) prints its counters
every 100 ms (tests/guests/ticker.c, TICK lines). The console test drives every command against
VM 1 while VM 0 must keep printing unchanged checksums.

configs/qemu_virt_ops_policy_defconfig: four VMs, each with another policy (VM 0 only started
from the console, VM 1 restarted after at most 3 crashes, VM 2 stopped on SYSTEM_RESET, VM 3
restarted on SYSTEM_OFF) and the machine staying up once every VM has stopped.
"""

import os
import re
import time

import pytest

from test_guests import build_guests

pytestmark = pytest.mark.ops

CONFIG = "qemu_virt_ops_defconfig"
CONFIG_POLICY = "qemu_virt_ops_policy_defconfig"
CONFIG_LINUX = "qemu_virt_ops_linux_defconfig"
TIMEOUT = 180
LINUX_TIMEOUT = 600
CKSUM_RE = re.compile(r"^\[vm0\] CKSUM t=(\d+) sum=(0x[0-9a-f]+) passes=(\d+) differed=(\d+)$",
                      re.M)
TICK_RE = r"\[vm1\] TICK seq=(\d+) vct=(\d+) pct=(\d+)\r*\n"
CREATED_RE = r"\[c\d+\] vm1: created: \d+ pages taken \(allocator: (\d+) pages in use before"


@pytest.fixture(scope="module")
def ops(build):
    return build_guests(build, CONFIG)


@pytest.fixture(scope="module")
def policy(build):
    return build_guests(build, CONFIG_POLICY)


def boot_ops(tern, b, vm1_args="period=100", timeout=TIMEOUT):
    """VM 0 checksumming, VM 1 ticking; returns (console, pages in use before VM 1 existed).
    @timeout: the whole session's."""
    t = tern(b.config, start=False, smp=2, mem="1G", timeout=timeout)
    t.cmd += ["--vm0-kernel", b.path("guests", "cksum.bin"), "--vm0-bootargs", "secs=0 every=1",
              "--vm1-kernel", b.path("guests", "ticker.bin"), "--vm1-bootargs", vm1_args]
    t.start()
    before = int(t.expect(CREATED_RE).group(1))
    t.expect(r"\[vm0\] CKSUM t=1 ")
    t.expect(TICK_RE)
    return t, before


def last(t, pattern):
    """The last number the regex @pattern's group captured in the log so far (-1: none)."""
    found = re.findall(pattern, t.log)
    return int(found[-1]) if found else -1


def more_ticks(t, n=2):
    """Wait until VM 1 printed @n more TICK lines than the log holds now; returns the match."""
    seq = last(t, r"\[vm1\] TICK seq=(\d+)") + n
    return t.expect(rf"\[vm1\] TICK seq={seq} ")


def more_cksums(t, n=2):
    """Wait until VM 0 printed @n more CKSUM lines."""
    sec = last(t, r"\[vm0\] CKSUM t=(\d+)") + n
    return t.expect(rf"\[vm0\] CKSUM t={sec} ")


def check_bystander(t, min_seconds):
    """VM 0 kept checksumming (at least @min_seconds lines) and its memory never changed."""
    rows = CKSUM_RE.findall(t.log)
    assert len(rows) >= min_seconds, f"VM 0 printed only {len(rows)} CKSUM lines"
    assert [int(r[0]) for r in rows] == list(range(1, len(rows) + 1)), "VM 0 restarted or hung"
    assert {r[1] for r in rows} == {rows[0][1]}, "VM 0's memory checksum changed"
    assert all(r[3] == "0" for r in rows), "VM 0 saw its memory change"


def list_rows(t):
    """Run list; returns {id: (name, type, state, vcpus, ram, uptime, exits/s)}."""
    t.hypcon("list", r"\[c\d+\] +id name +type +state +vCPU:pCPU +RAM MiB +uptime s +exits/s")
    rows = {}
    for n in range(2):
        m = t.expect(rf"\[c\d+\] +{n} (\S+) +(\S+) +(\S+) +(-|(?:\d+:\d+ ?)+) +(\d+) +(\S+) "
                     rf"+(\S+)\r*\n")
        rows[n] = tuple(g.strip() for g in m.groups())
    return rows


def seen(t, pos, pattern, timeout=TIMEOUT):
    """The first match of @pattern in the log after position @pos, waiting for it: output of
    several pCPUs interleaves, so a line may come before or after the one expect() last saw."""
    deadline = time.monotonic() + timeout
    while True:
        log = t.log[pos:]
        m = re.search(pattern, log, re.M)
        # A match ending where the log ends may be a line still arriving: its last capture
        # could be cut short, so wait for the line's end first.
        if m and (m.end() < len(log) or m.group(0).endswith("\n")):
            return m
        assert time.monotonic() < deadline, f"no /{pattern}/ in {timeout} s"
        t.expect(r"\n")


def tick_after(t, pos):
    """The first TICK of VM 1 after log position @pos: (seq, vct, pct), waiting for it."""
    return tuple(int(x) for x in seen(t, pos, TICK_RE).groups())


@pytest.mark.parametrize("config", ["ops", "policy"])
def test_start_gets_zeroed_ram(tern, config, request):
    """A VM created again gets zeroed RAM, not what its previous run left: VM 1
    (tests/guests/zeroram.c) checks that all of its RAM but its image and DTB reads zero, fills it
    with a pattern and powers off; started again from the console, on the pages it gave back, it
    must read zeroes again. The ops configuration zeroes VM 1's RAM on demand (each 2 MiB block at
    the guest's first touch: zeroram reads it with its MMU off), the policy one at creation."""
    b = request.getfixturevalue(config)
    t = tern(b.config, start=False, smp=2, mem="1G", timeout=TIMEOUT)
    t.cmd += ["--vm0-kernel", b.path("guests", "cksum.bin"), "--vm0-bootargs", "secs=0 every=1",
              "--vm1-kernel", b.path("guests", "zeroram.bin")]
    t.start()
    for run in range(2):
        pos = len(t.log)
        if run:
            t.hypcon("start 1", CREATED_AFTER_RE, TIMEOUT)
        seen(t, pos, r"\[vm1\] zeroram: pattern written")
        seen(t, pos, r"\[vm1\] SUMMARY: 1 tests, 0 failures")
        seen(t, pos, r"\[c\d+\] vm1: stopped: ")
    assert len(re.findall(r"\[vm1\] PASS: zeroram: RAM zeroed: \d+ MiB, 0 words not", t.log)) == 2
    assert "FAIL" not in t.log


def test_unused_guest_ram_not_written(tern, ops):
    """With RAM on demand (both VMs of the ops configuration) Tern zeroes only the 2 MiB blocks a
    guest touches: on QEMU, whose RAM the host backs once written, RAM no guest has used stays
    unbacked (zeroing all of it at creation made the host allocate and clear every page, a third
    of a Linux boot's host time). Two VMs of 64 MiB: VM 0 writes 24 MiB of its RAM, VM 1 (ticker)
    next to nothing. The host backs QEMU's RAM with 2 MiB pages where it can, so each scattered
    write (Tern's tables and stacks, the images, the DTBs) backs 2 MiB: 174 MiB were backed when
    every page of both VMs was zeroed at creation."""
    t, _ = boot_ops(tern, ops)
    more_ticks(t)
    resident = t.ram_resident_mib()
    assert resident < 128, f"{resident} MiB of QEMU's RAM backed: all 128 MiB of guest RAM written"


def test_console_commands(tern, ops):
    t, before = boot_ops(tern, ops)

    rows = list_rows(t)
    assert rows[0][:3] == ("bystander", "bare-metal", "running")
    assert rows[1][:3] == ("worker", "bare-metal", "running")
    assert re.fullmatch(r"0:\d+", rows[0][3]) and re.fullmatch(r"0:\d+ 1:\d+", rows[1][3])
    assert rows[1][4] == "64" and float(rows[1][5]) > 0 and int(rows[1][6]) > 0

    m = t.hypcon("stats 1", r"\[c\d+\] vm1: exits (\d+): [^\n]*mmio (\d+)")
    assert int(m.group(1)) > 0 and int(m.group(2)) > 0, "VM 1 prints: MMIO exits"
    t.expect(r"\[c\d+\] vm1: interrupts taken \d+")
    used = int(t.hypcon("mem", r"\[c\d+\] mem: (\d+) pages in use", TIMEOUT).group(1))
    assert used > 2 * 64 * 256, "both VMs' RAM is in use"

    # Pause: VM 1 prints nothing while VM 0 goes on; its clocks run on (docs/operating.md).
    t.hypcon("pause 1", r"tern: vm1 paused\r*\n")
    paused = len(t.log)
    seq0, vct0, pct0 = [int(x) for x in re.findall(TICK_RE, t.log)[-1]]
    assert list_rows(t)[1][2] == "paused"
    more_cksums(t, 3)
    assert "[vm1] TICK" not in t.log[paused:], "VM 1 printed while paused"
    t.hypcon("resume 1", r"tern: vm1 resumed\r*\n")
    seq1, _, _ = tick_after(t, paused)
    assert seq1 == seq0 + 1, "VM 1 went on where it stopped"
    # The first line may have been formatted before the pause (held as a partial line): the
    # second one read its counters after the resume.
    m = seen(t, paused, rf"\[vm1\] TICK seq={seq0 + 2} vct=(\d+) pct=(\d+)")
    vct2, pct2 = int(m.group(1)), int(m.group(2))
    freq = 62500000
    assert vct2 - vct0 >= 2 * freq, "VM 1's virtual counter ran on across the pause"
    assert abs((vct2 - vct0) - (pct2 - pct0)) < freq // 100, "virtual = physical time"
    assert list_rows(t)[1][2] == "running"

    # Restart: VM 1 boots again from its image, its ticks start over; VM 0 goes on.
    pos = len(t.log)
    t.hypcon("restart 1", r"\[c\d+\] vm1: restart from the console: restarting from the "
             r"pristine images", TIMEOUT)
    seen(t, pos, r"tern: vm1 restarted from its pristine images")
    seen(t, pos, r"\[vm1\] ticker: up")
    seen(t, pos, r"\[vm1\] TICK seq=0 ")
    seen(t, pos, r"\[vm1\] TICK seq=3 ")

    # Bad commands: one line each, nothing happens.
    for cmd, reply in [
            ("frobnicate", r'tern: unknown command "frobnicate" \(help lists the commands\)'),
            ("restart", r"tern: restart: takes one VM number"),
            ("restart 1 2", r"tern: restart: takes one VM number"),
            ("mem 1", r"tern: mem: takes no argument"),
            ("restart 9", r'tern: restart: no VM "9": VMs are numbered 0 to 1'),
            ("stats x1", r'tern: stats: no VM "x1"'),
            ("start 1", r"tern: start: vm1: it exists already"),
    ]:
        t.hypcon(cmd, reply + r"[^\n]*\r*\n")
    t.hypcon("help", r"\[c\d+\]   dump +every vCPU")
    t.hypcon("console 1", r"\[c\d+\] console: input now goes to vm1")
    t.hypcon("console 0", r"\[c\d+\] console: input now goes to vm0")
    more_ticks(t)

    # Stop: every page VM 1 had goes back; start creates it again from its boot module.
    m = t.hypcon("stop 1", r"vm1: torn down: \d+ pages given back \(allocator: (\d+) pages",
                 TIMEOUT)
    assert int(m.group(1)) == before, "the allocator is back where it was before VM 1"
    t.expect(r"tern: vm1 stopped and torn down")
    used = int(t.hypcon("mem", r"\[c\d+\] mem: (\d+) pages in use", TIMEOUT).group(1))
    assert used == before
    assert list_rows(t)[1][2] == "off"
    t.hypcon("stop 1", r"tern: stop: vm1: it does not exist")
    t.hypcon("stats 1", r"tern: stats: vm1 does not exist \(off\)")
    t.hypcon("pause 1", r"tern: pause: vm1: it is not running \(off\)")
    t.hypcon("resume 0", r"tern: resume: vm0: it is not paused \(running\)")
    pos = len(t.log)
    m = t.hypcon("start 1", CREATED_RE)
    assert int(m.group(1)) == before
    seen(t, pos, r"tern: vm1 created and started")
    seen(t, pos, r"\[vm1\] ticker: up")
    more_ticks(t)
    more_cksums(t)
    check_bystander(t, 6)
    assert t.log.count("[vm0] cksum: pattern written") == 1

    # The last VM stopped: Tern reports, checks its integrity regions and powers off.
    t.hypcon("stop 1", r"tern: vm1 stopped")
    t.hypcon("stop 0", r"tern: vm0 stopped")
    t.expect(r"\[c\d+\] integrity: \d+ regions unchanged")
    assert t.wait_exit() == 0


def test_pause_stop_hvc_spinner(tern, ops):
    """VM 1's two vCPUs (time-shared on pCPU 1) spin on PSCI_VERSION calls, which Tern answers
    from its exit vector and enters the guest again without its scheduler's loop, looking only at
    the vCPU's entry-work word. The console's pause, resume and stop (run on pCPU 0) must still
    reach them: no hypercall counted while paused, counting again once resumed, and the stop
    (which waits for every vCPU to leave its pCPU) done. Its time slices too: both vCPUs spin."""
    t = tern(ops.config, start=False, smp=2, mem="1G", timeout=TIMEOUT)
    t.cmd += ["--vm0-kernel", ops.path("guests", "cksum.bin"), "--vm0-bootargs", "secs=0 every=1",
              "--vm1-kernel", ops.path("guests", "busy.bin"), "--vm1-bootargs", "hvc=1 secs=600"]
    t.start()
    t.expect(r"\[vm1\] busy: 2 vCPUs spinning", TIMEOUT)
    seen(t, 0, r"\[vm0\] CKSUM t=1 ")

    def hvcs():
        return int(t.hypcon("stats 1", r"\[c\d+\] vm1: exits \d+: hvc (\d+),").group(1))

    a = hvcs()
    more_cksums(t, 1)
    b = hvcs()
    assert b > a, "VM 1 spins on hypercalls"

    t.hypcon("pause 1", r"tern: vm1 paused\r*\n")
    c = hvcs()
    more_cksums(t, 2)
    d = hvcs()
    assert d == c, f"VM 1 made {d - c} hypercalls while paused"
    assert list_rows(t)[1][2] == "paused"

    t.hypcon("resume 1", r"tern: vm1 resumed\r*\n")
    more_cksums(t, 1)
    e = hvcs()
    assert e > d, "VM 1 spins again once resumed"

    t.hypcon("stop 1", r"tern: vm1 stopped and torn down", TIMEOUT)
    assert list_rows(t)[1][2] == "off"
    t.hypcon("stop 0", r"tern: vm0 stopped")
    check_bystander(t, 4)
    assert t.wait_exit() == 0


def test_policies(tern, policy):
    """Each VM's policy, and the machine staying up when every VM has stopped."""
    t = tern(policy.config, start=False, smp=2, mem="1G", timeout=TIMEOUT, allow=("error",))
    g = policy.path("guests")
    t.cmd += ["--vm0-kernel", f"{g}/ticker.bin", "--vm0-bootargs", "ticks=3 period=50",
              "--vm1-kernel", f"{g}/crash.bin", "--vm1-bootargs", "loop=vbar",
              "--vm2-kernel", f"{g}/reset.bin",
              "--vm3-kernel", f"{g}/hello.bin"]
    t.start()
    # The VMs run side by side: each one's events are looked for in the whole log.
    seen(t, 0, r"\[c\d+\] vm0: not started at boot")
    # VM 1: three restarts after a crash, stopped at the fourth.
    for k in range(1, 4):
        seen(t, 0, rf"\[c\d+\] vm1: restarting it after the crash: restart {k} of at most 3")
    seen(t, 0, r"\[c\d+\] vm1: stopped: Tern detected a guest crash, after the restarts its "
         r"policy allows")
    # VM 2 asks for a reset: stopped, never booted again.
    seen(t, 0, r"\[c\d+\] vm2: stopped: the guest asked for a reset")
    # VM 3 powers off: restarted each time.
    off3 = r"\[c\d+\] vm3: guest called PSCI SYSTEM_OFF: restarting it"
    while len(re.findall(off3, t.log)) < 3:
        t.expect(off3)
    t.hypcon("stop 3", r"tern: vm3 stopped")
    # VM 0 only runs once started from the console; it powers off after 3 ticks.
    pos = len(t.log)
    t.hypcon("start 0", r"tern: vm0 created and started")
    seen(t, pos, r"\[vm0\] TICK seq=2 ")
    seen(t, pos, r"\[c\d+\] vm0: stopped: guest called PSCI SYSTEM_OFF\n"
         r"\[c\d+\] boot: every VM has stopped: Tern stays up")
    m = t.hypcon("list", r"\[c\d+\] +3 vm3 +bare-metal +(\S+)")
    assert m.group(1) == "off"
    pos = len(t.log)
    t.hypcon("start 3", r"tern: vm3 created and started")
    seen(t, pos, off3)
    pos = len(t.log)
    t.hypcon("stop 3", r"tern: vm3 stopped")
    seen(t, pos, r"\[c\d+\] boot: every VM has stopped: Tern stays up")
    t.close()
    log = t.log
    assert log.count("vm1.0: guest crash:") == 4
    assert "reset: second boot" not in log
    assert "powering off" not in log
    errors = [ln for ln in log.splitlines() if re.match(r"\[c\d+\] error: ", ln)]
    assert all("vm1.0: guest crash: exception loop" in ln for ln in errors), errors


# The soak: make check runs SOAK_CYCLES (5) stop/start and restart cycles of VM 1; make soak-ops
# runs TERN_OPS_SOAK of them (100 by default there). With Linux in VM 1: TERN_OPS_SOAK_LINUX
# cycles, by default a fifth of those (at least one; make soak-ops OPS_SOAK_LINUX=N).
SOAK_CYCLES = int(os.environ.get("TERN_OPS_SOAK", "5"))
SOAK_LINUX_CYCLES = int(os.environ.get("TERN_OPS_SOAK_LINUX", max(1, SOAK_CYCLES // 5)))
# A session's time grows with its cycles (the console's deadline is the whole session's); each
# step of a cycle still has TIMEOUT. Seen on the shared 2-core machine: a bare-metal cycle takes
# a few seconds, a Linux one (two boots) about 21 s.
SOAK_CYCLE_TIMEOUT = 60
LINUX_CYCLE_TIMEOUT = 240
CREATED_AFTER_RE = r"\[c\d+\] vm1: created: \d+ pages taken \(allocator: (\d+) pages in use " \
    r"before, (\d+) after\)"


def stop_start_cycle(t, before, after, ready):
    """Stop VM 1 (every page back: the allocator at @before), start it again (at @after), restart
    it from its images; wait for the regex @ready from its guest after each boot."""
    pos = len(t.log)
    m = t.hypcon("stop 1", r"vm1: torn down: \d+ pages given back \(allocator: (\d+) pages",
                 TIMEOUT)
    assert int(m.group(1)) == before, "VM 1's pages did not all go back"
    seen(t, pos, r"tern: vm1 stopped and torn down")
    used = int(t.hypcon("mem", r"\[c\d+\] mem: (\d+) pages in use", TIMEOUT).group(1))
    assert used == before
    pos = len(t.log)
    m = t.hypcon("start 1", CREATED_AFTER_RE, TIMEOUT)
    assert (int(m.group(1)), int(m.group(2))) == (before, after), "allocator use changed"
    seen(t, pos, r"tern: vm1 created and started")
    seen(t, pos, ready)
    pos = len(t.log)
    t.hypcon("restart 1", r"\[c\d+\] vm1: restart from the console: restarting from the "
             r"pristine images", TIMEOUT)
    seen(t, pos, r"tern: vm1 restarted from its pristine images")
    seen(t, pos, ready)


def test_soak_stop_start_restart(tern, ops):
    """VM 1 (bare metal) stopped, started and restarted SOAK_CYCLES times through the console
    while VM 0 checksums its memory: VM 0's checksum never changes, the allocator is back at the
    same value after every stop and at the same value after every start, no warning."""
    t, _ = boot_ops(tern, ops, timeout=TIMEOUT + SOAK_CYCLES * SOAK_CYCLE_TIMEOUT)
    m = re.search(CREATED_AFTER_RE, t.log)
    before, after = int(m.group(1)), int(m.group(2))
    for _ in range(SOAK_CYCLES):
        stop_start_cycle(t, before, after, r"\[vm1\] TICK seq=2 ")
    more_cksums(t)
    check_bystander(t, 2)
    assert t.log.count("[vm0] cksum: pattern written") == 1
    assert t.log.count("[vm1] ticker: up") == 2 * SOAK_CYCLES + 1


def test_soak_linux(tern, build, linux_guest):
    """The same with Linux in VM 1 (configs/qemu_virt_ops_linux_defconfig): it boots to its shell
    after every start and restart; SOAK_LINUX_CYCLES cycles."""
    b = build_guests(build, CONFIG_LINUX)
    t = tern(b.config, start=False, smp=2, mem="1G",
             timeout=LINUX_TIMEOUT + SOAK_LINUX_CYCLES * LINUX_CYCLE_TIMEOUT)
    t.cmd += ["--vm0-kernel", b.path("guests", "cksum.bin"), "--vm0-bootargs", "secs=0 every=1",
              "--vm1-kernel", linux_guest.kernel, "--vm1-initrd", linux_guest.initrd]
    t.env = {k: v for k, v in os.environ.items()
             if not re.match(r"VM\d+_(KERNEL|INITRD|BOOTARGS|DISK\w*)$", k)}
    t.start()
    m = t.expect(CREATED_AFTER_RE)
    before, after = int(m.group(1)), int(m.group(2))
    t.expect(r"\[vm1\] Tern guest: Linux \S+ up")
    for _ in range(SOAK_LINUX_CYCLES):
        stop_start_cycle(t, before, after, r"\[vm1\] Tern guest: Linux \S+ up")
    more_cksums(t)
    check_bystander(t, 2)
