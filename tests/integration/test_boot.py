# SPDX-License-Identifier: GPL-2.0-only
"""The boot summary matches the QEMU machine: RAM, CPUs, SMP bring-up, version, exit 0."""

import re

import pytest

pytestmark = pytest.mark.boot

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
