# SPDX-License-Identifier: GPL-2.0-only
"""The boot summary matches the QEMU machine: RAM, CPUs, SMP bring-up, version, exit 0."""

import os
import re
import subprocess

import pytest

pytestmark = pytest.mark.boot

SRCTREE = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MiB = 1 << 20
SIZES = {"512M": 512 * MiB, "1G": 1024 * MiB, "2G": 2048 * MiB}

MACHINES = [(config, smp, mem)
            for config in ("up", "smp")
            for smp in (1, 4)
            for mem in ("512M", "2G")]


@pytest.mark.parametrize("config,smp,mem", MACHINES,
                         ids=[f"{c}-smp{s}-{m}" for c, s, m in MACHINES])
def test_boot_summary(tern, config, smp, mem):
    t = tern(config, smp=smp, mem=mem)
    kconf = t.build.kconfig()
    ram = SIZES[mem]

    # The banner carries `git describe --always --dirty` of the tree that was built.
    assert t.version in t.build.versions, \
        f"banner version {t.version!r}, git describe at build time {t.build.versions}"
    assert "(board qemu-virt)" in t.banner

    m = t.expect(r"platform: ram total (\d+) MiB in (\d+) range")
    assert int(m.group(1)) == ram // MiB
    assert m.group(2) == "1"

    m = t.expect(r"platform: cpus (\d+):([ 0-9a-fx]*)\r*\n")
    assert int(m.group(1)) == smp
    assert m.group(2).split() == [hex(i) for i in range(smp)]

    m = t.expect(r"mm: (\d+) pages total, (\d+) free \((\d+) MiB\)")
    assert int(m.group(1)) == ram // 4096
    assert int(m.group(2)) * 4096 <= ram

    t.expect(r"\[c0\] timer: EL2 timer interrupt ok on pCPU 0 \(\d+ us after the deadline\)")

    multi = kconf.get("CONFIG_MULTI_PCPU") == "y"
    configured = int(kconf.get("CONFIG_NR_PCPUS", "1"))
    if not multi:
        t.expect(rf"\[c0\] smp: MULTI_PCPU is off: using 1 of {smp} pCPUs?\r*\n")
        online = 1
    else:
        online = min(smp, configured)
        if smp < configured:
            t.expect(rf"\[c0\] smp: the machine has {smp} pCPUs?, fewer than the "
                     rf"{configured} configured: using {smp}\r*\n")
        t.expect(rf"\[c0\] smp: {online} pCPUs? online\r*\n")

    t.expect(r"\[c0\] boot: [^\n]*powering off")
    assert t.wait_exit() == 0

    log = t.log
    secondaries = re.findall(r"^\[c(\d+)\] smp: pCPU (\d+) online, MPIDR (0x[0-9a-f]+)$",
                             log, re.M)
    assert secondaries == [(str(i), str(i), hex(i)) for i in range(1, online)], \
        "one 'pCPU i online, MPIDR 0xi' line per secondary, from that pCPU"
    # Only the pCPUs in use print anything.
    cpus = {int(c) for c in re.findall(r"^\[c(\d+)\] ", log, re.M)}
    assert cpus == set(range(online))
    assert not re.search(r"\] (error|warning): ", log)
    assert len(re.findall(r"an AArch64 hypervisor", log)) == 1


def test_stack_guard_on_every_pcpu(tern):
    """Tern's functions read the stack protector's guard from their pCPU's struct pcpu (through
    TPIDR_EL2): read from outside (QEMU's monitor, after the power-off), every online pCPU's
    copy is pCPU 0's random value, not the zero a pCPU whose copy was never set would check."""
    t = tern("smp", start=False, smp=4, mem="1G")
    t.cmd += ["--qemu-extra=-no-shutdown"]
    t.add_monitor()
    t.start()
    load = int(t.expect(r"\[c0\] boot: pCPU 0 [^\n]*, loaded at (0x[0-9a-f]+),").group(1), 16)
    t.expect(r"\[c0\] smp: 4 pCPUs online\r*\n")
    t.expect(r"\[c0\] boot: [^\n]*powering off")
    syms = subprocess.run(["aarch64-linux-gnu-nm", "-S", t.build.elf], capture_output=True,
                          text=True, check=True).stdout
    table, size = next((int(a, 16), int(n, 16)) for a, n, _, name in
                       (line.split() for line in syms.splitlines() if len(line.split()) == 4)
                       if name == "pcpu_table")
    kconf = dict(line.split("=", 1) for line in open(t.build.path(".config"))
                 if line.startswith("CONFIG_") and "=" in line)
    stride = size // int(kconf["CONFIG_MAX_PCPUS"])
    # PCPU_OFF_STACK_GUARD, in the one place that defines it.
    off = int(re.search(r"#define PCPU_OFF_STACK_GUARD\s+(\d+)",
                        open(os.path.join(SRCTREE, "include", "tern", "percpu.h")).read())
              .group(1))
    mon = t.monitor()
    try:
        guards = []
        for cpu in range(4):
            out = mon.command(f"xp /1gx {load + table + cpu * stride + off:#x}")
            guards.append(int(re.search(r":\s*(0x[0-9a-f]+)", out).group(1), 16))
    finally:
        mon.close()
    assert guards[0] != 0 and guards[0] & 0xff == 0, f"pCPU 0's guard {guards[0]:#x}"
    assert guards == [guards[0]] * 4, f"guards by pCPU: {[hex(g) for g in guards]}"
