# SPDX-License-Identifier: GPL-2.0-only
"""vCPU placement seen from outside Tern: QEMU's monitor (`info registers -a`) is sampled while
the busy guest (tests/guests/busy.c) spins on every vCPU with x28 = 0xb05e000000 | tag << 8 |
vCPU. A pCPU "runs" a vCPU in a sample when it is at EL1 with that tag in x28; EL2 is Tern.

- qemu_virt_guest_smp_defconfig (4 vCPUs, affinity 0, 4 pCPUs): vCPU i on pCPU i in most
  samples, every pCPU busy.
- qemu_virt_pin_defconfig (VM 0 affinity 0x1): only pCPU 0 ever runs guest code; pCPUs 1-3 stay
  at EL2 in every sample, and pCPU 0 runs several of the four vCPUs over the samples.
- qemu_virt_partition_defconfig (VM 0 on pCPUs 0-1, VM 1 on pCPUs 2-3): each VM's loops only on
  its own pCPUs. VM 0 is stopped first; VM 1, whose vCPUs run on pCPUs 2-3 only, stops last, and
  Tern must still power off (the boot pCPU is idle when the last VM stops). Ctrl-] d and the
  hypervisor console's list name the pCPU the monitor saw each vCPU on.
- the same on -smp 2: VM 1's mask names no online pCPU, an error for VM 1 at boot (not created);
  VM 0 runs on pCPUs 0-1.
The Linux flagship's placement is checked in test_linux_smp.py.
"""

import re
import time

import pytest

from test_guests import build_guests

BUSY_TAG = 0xb05e000000
SAMPLES = 12
# Per pCPU, the share of samples that must show its vCPU running (the rest: Tern's exits, QEMU's
# view of a vCPU thread between translation blocks).
MOST = 0.6
GUEST_RUN_TIMEOUT = 240


def busy_tag(vm, vcpu):
    return BUSY_TAG | vm << 8 | vcpu


def sample(t, n=SAMPLES):
    """n snapshots {pCPU: (EL, x28)} a little apart."""
    mon = t.monitor()
    try:
        out = []
        for _ in range(n):
            out.append(mon.cpus())
            time.sleep(0.25)
        return out
    finally:
        mon.close()


def running(s, pcpu):
    """(vm, vcpu) the busy guest runs on @pcpu in snapshot s, or None (EL2, or other code)."""
    el, x28 = s.get(pcpu, (2, 0))
    if el not in (0, 1) or x28 & ~0xffff != BUSY_TAG:
        return None
    return (x28 >> 8) & 0xff, x28 & 0xff


def boot_busy(tern, build, config, vms, smp=4):
    """Boot @config with the busy guest in each VM of @vms; wait until all of them spin."""
    b = build_guests(build, config)
    t = tern(b.config, start=False, smp=smp, mem="1G", timeout=GUEST_RUN_TIMEOUT)
    t.name = f"busy ({config})"
    t.add_monitor()
    for vm in vms:
        t.cmd += [f"--vm{vm}-kernel", b.path("guests", "busy.bin"),
                  f"--vm{vm}-bootargs", f"tag={vm}"]
    t.start()
    # The VMs start together: their lines come in any order.
    waiting = set(vms)
    while waiting:
        m = t.expect(r"busy: \d vCPUs spinning, tag (\d+)")
        waiting.discard(int(m.group(1)))
    return t


def stop_busy(t, vm, multi):
    """Make VM @vm's busy guest stop (a character on its console) and wait for its SUMMARY."""
    if multi:
        t.send(f"\x1d{vm}")
        t.expect(rf"console: input now goes to vm{vm}")
    t.send("q")
    prefix = rf"\[vm{vm}\] " if multi else ""
    t.expect(rf"{prefix}busy: stopped \(input\)")
    m = t.expect(rf"{prefix}SUMMARY: (\d+) tests, (\d+) failures")
    assert m.group(2) == "0", f"vm{vm}: busy guest failures:\n{t.log}"


def share(samples, pcpu, want):
    return sum(1 for s in samples if running(s, pcpu) == want) / len(samples)


def test_every_vcpu_on_its_own_pcpu(tern, build):
    t = boot_busy(tern, build, "qemu_virt_guest_smp_defconfig", [0])
    assert re.search(r"vm0: vCPUs 0-3 pinned to pCPUs 0 1 2 3", t.log), "placement not logged"
    samples = sample(t)
    stop_busy(t, 0, False)
    t.expect(r"boot: [^\n]*powering off")
    assert t.wait_exit() == 0
    table = [[running(s, p) for p in range(4)] for s in samples]
    for p in range(4):
        got = share(samples, p, (0, p))
        assert got >= MOST, (f"pCPU {p} ran vCPU {p} in {got:.0%} of the samples "
                             f"(want >= {MOST:.0%}): {table}")
        others = {running(s, p) for s in samples} - {None, (0, p)}
        assert not others, f"pCPU {p} ran other vCPUs {others}: {table}"


def test_affinity_one_pcpu(tern, build):
    t = boot_busy(tern, build, "qemu_virt_pin_defconfig", [0])
    assert re.search(r"vm0: vCPUs 0-3 pinned to pCPUs 0 0 0 0 \(allowed 0x1\)", t.log)
    samples = sample(t)
    stop_busy(t, 0, False)
    assert t.wait_exit() == 0
    table = [[running(s, p) for p in range(4)] for s in samples]
    for p in (1, 2, 3):
        guest = [s[p] for s in samples if s.get(p, (2, 0))[0] in (0, 1)]
        assert not guest, f"pCPU {p} was in the guest: {guest} ({table})"
    on0 = [running(s, 0) for s in samples]
    assert sum(1 for r in on0 if r) / len(samples) >= MOST, f"pCPU 0 mostly idle: {table}"
    assert len({r for r in on0 if r}) >= 2, f"pCPU 0 ran one vCPU only (no time-sharing): {on0}"


def test_two_vms_on_disjoint_pcpus(tern, build):
    t = boot_busy(tern, build, "qemu_virt_partition_defconfig", [0, 1])
    log = t.log
    assert re.search(r"vm0: vCPUs 0-1 pinned to pCPUs 0 1 \(allowed 0x3\)", log), log
    assert re.search(r"vm1: vCPUs 0-1 pinned to pCPUs 2 3 \(allowed 0xc\)", log), log
    samples = sample(t)
    table = [[running(s, p) for p in range(4)] for s in samples]
    where = {0: (0, 1), 1: (2, 3)}
    for vm, pcpus in where.items():
        for i, p in enumerate(pcpus):
            got = share(samples, p, (vm, i))
            assert got >= MOST, f"pCPU {p}: vm{vm} vCPU {i} in {got:.0%} of samples: {table}"
        for p in range(4):
            if p not in pcpus:
                seen = [s for s in samples if (running(s, p) or (None,))[0] == vm]
                assert not seen, f"vm{vm} ran on pCPU {p}: {table}"
    # Ctrl-] d names each vCPU's pCPU: the one QEMU's monitor saw it run on.
    t.send("\x1dd")
    for vm, pcpus in where.items():
        for i, p in enumerate(pcpus):
            got = int(t.expect(rf"dump: vm{vm}\.{i} on pCPU (\d+) state ").group(1))
            assert got == p, f"Ctrl-] d: vm{vm} vCPU {i} on pCPU {got}, the monitor saw {p}"
    # So does the hypervisor console's list, in its vCPU:pCPU column.
    t.hypcon("list", r"\[c\d+\] +id name +type +state +vCPU:pCPU ")
    for vm, pcpus in where.items():
        got = t.expect(rf"\[c\d+\] +{vm} +\S+ +\S+ +\S+ +((?:\d+:\d+ ?)+) +\d+ ").group(1).strip()
        want = " ".join(f"{i}:{p}" for i, p in enumerate(pcpus))
        assert got == want, f"list: vm{vm} vCPU:pCPU '{got}', the monitor saw '{want}'"
    # VM 0 first; the last VM stops on pCPUs 2-3 while pCPUs 0-1 idle: Tern still powers off.
    stop_busy(t, 0, True)
    t.expect(r"vm0: stopped: guest called PSCI SYSTEM_OFF")
    stop_busy(t, 1, True)
    t.expect(r"vm1: stopped: guest called PSCI SYSTEM_OFF")
    t.expect(r"boot: every VM has stopped: powering off", timeout=60)
    assert t.wait_exit(timeout=60) == 0


def test_affinity_naming_no_online_pcpu(tern, build):
    """The partition config on -smp 2: VM 1's mask (pCPUs 2-3) names no online pCPU, an error
    for that VM at boot, which is not created; VM 0 (pCPUs 0-1) still runs, on its own pCPUs."""
    b = build_guests(build, "qemu_virt_partition_defconfig")
    t = tern(b.config, start=False, smp=2, mem="1G", timeout=GUEST_RUN_TIMEOUT, allow=("error",))
    t.name = "busy (qemu_virt_partition_defconfig on -smp 2)"
    t.add_monitor()
    for vm in (0, 1):
        t.cmd += [f"--vm{vm}-kernel", b.path("guests", "busy.bin"),
                  f"--vm{vm}-bootargs", f"tag={vm}"]
    t.start()
    t.expect(r"\[c0\] error: vm1: VM1_PCPU_AFFINITY 0xc names no online pCPU \(online: 0x3\)")
    t.expect(r"vm1: not created")
    t.expect(r"busy: \d vCPUs spinning, tag 0")
    assert re.search(r"vm0: vCPUs 0-1 pinned to pCPUs 0 1 \(allowed 0x3\)", t.log), t.log
    assert not re.search(r"vm1: vCPUs? \d", t.log), "vm1 was placed"
    samples = sample(t)
    table = [[running(s, p) for p in range(2)] for s in samples]
    assert all(len(s) == 2 for s in samples), f"monitor shows {[len(s) for s in samples]} CPUs"
    for p in range(2):
        got = share(samples, p, (0, p))
        assert got >= MOST, f"pCPU {p}: vm0 vCPU {p} in {got:.0%} of samples: {table}"
    t.send("\x1d0")
    t.expect(r"console: input now goes to vm0")
    t.send("q")
    t.expect(r"busy: stopped \(input\)")
    m = t.expect(r"SUMMARY: (\d+) tests, (\d+) failures")
    assert m.group(2) == "0", f"busy guest failures:\n{t.log}"
    t.expect(r"boot: every VM has stopped: powering off", timeout=60)
