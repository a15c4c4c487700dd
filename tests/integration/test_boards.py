# SPDX-License-Identifier: GPL-2.0-only
"""The flagship Linux guest on every board besides qemu-virt (whose tests are test_linux*.py),
and booted through U-Boot.

One boot per board, as `make <board>_defconfig && make run` does it (the board's QEMU machine and
device tree come from boards/<board>/board.cfg): the host driver the board needs found by its
compatible string, Linux up to its shell on all of VM 0's vCPUs, interrupts counting (the timer,
the console UART, IPIs), a clean dmesg, and a power-off that ends QEMU with status 0.
"""

import re

import pytest

import tern as tern_lib

pytestmark = pytest.mark.linux

LINUX_TIMEOUT = 5 * tern_lib.RUN_TIMEOUT
DMESG_BAD = ["Oops", "BUG:", "WARNING:", "Call trace", "rcu_sched self-detected stall",
             "Unable to handle", "Kernel panic"]
GIC_ERROR_RE = re.compile(r"GIC.*(error|fail|broken)", re.I)

# config: (board name in Tern's banner, host irqchip and console drivers, the guest's GIC
# compatible, QEMU -m)
BOARDS = {
    "qemu_virt_gicv2_defconfig": ("qemu-virt-gicv2", "gicv2", "pl011", "arm,cortex-a15-gic", "1G"),
    "xlnx_zcu102_defconfig": ("xlnx-zcu102", "gicv2", "cdns", "arm,cortex-a15-gic", "2G"),
}


shell_ok = tern_lib.shell_ok


def irq_count(out, intid, name):
    """Count of the /proc/interrupts line of @name on GIC INTID @intid, summed over CPUs."""
    m = re.search(rf"^\s*\d+:((?:\s+\d+)+)\s+\S+\s+{intid}\s+\w+\s+{re.escape(name)}\s*$",
                  out, re.M)
    assert m, f"/proc/interrupts has no '{intid} ... {name}' line:\n{out}"
    return sum(int(c) for c in m.group(1).split())


def ipi_count(out):
    """Rescheduling IPIs (SGIs between vCPUs), summed over CPUs."""
    m = re.search(r"^\s*IPI0:((?:\s+\d+)+)\s+Rescheduling interrupts", out, re.M)
    assert m, f"/proc/interrupts has no IPI0 line:\n{out}"
    return sum(int(c) for c in m.group(1).split())


@pytest.mark.parametrize("config", sorted(BOARDS))
def test_board_linux(tern, build, linux_guest, config):
    board, irqchip, console, guest_gic, mem = BOARDS[config]
    b = build(config)
    t = tern(config, start=False, smp=b.pcpus(), mem=mem, timeout=LINUX_TIMEOUT)
    t.name = f"{config} + Linux"
    t.add_vm0_linux(linux_guest).start()
    assert re.search(rf"\(board {re.escape(board)}\)", t.banner), t.banner
    t.expect(rf"\[c0\] platform: irqchip {irqchip} ")
    t.expect(rf"\[c0\] platform: console {console} ")
    vcpus = int(b.kconfig()["CONFIG_VM0_NR_VCPUS"])
    assert 2 <= vcpus <= 4, f"the board's defconfig gives VM 0 {vcpus} vCPUs"
    assert t.wait_linux() == linux_guest.release

    # The guest sees QEMU virt's GIC of that version and runs on all its vCPUs.
    out = shell_ok(t, "cat /sys/firmware/devicetree/base/intc@8000000/compatible")
    assert out.rstrip("\0\n") == guest_gic, f"guest GIC node: {out!r}"
    out = shell_ok(t, "grep -c ^processor /proc/cpuinfo")
    assert int(out) == vcpus, f"{out.strip()} processors, want {vcpus}"

    before = shell_ok(t, "cat /proc/interrupts")
    out = shell_ok(t, "seq 1 400; sleep 1")
    assert out.endswith("399\n400\n"), f"seq output cut short: {out[-100:]!r}"
    after = shell_ok(t, "cat /proc/interrupts")
    for intid, name in ((27, "arch_timer"), (33, "uart-pl011")):
        b_n, a_n = irq_count(before, intid, name), irq_count(after, intid, name)
        assert a_n > b_n, f"{name}: interrupt count did not go up ({b_n} -> {a_n})"
    assert ipi_count(after) > 0, f"no IPIs between the vCPUs:\n{after}"

    dmesg = shell_ok(t, "dmesg", kmsg=True)
    assert "Run /init as init process" in dmesg, dmesg[:2000]
    bad = [ln for ln in dmesg.splitlines()
           if any(x in ln for x in DMESG_BAD) or GIC_ERROR_RE.search(ln)]
    assert not bad, "kernel log has error lines:\n  " + "\n  ".join(bad)

    t.sendline("poweroff")
    t.expect(r"\[c\d+\] vm0: stopped: guest called PSCI SYSTEM_OFF")
    t.expect(r"\[c\d+\] integrity: \d+ regions unchanged")
    assert t.wait_exit() == 0, f"QEMU exit status {t.exitstatus}"
    tern_bad = [ln for ln in t.lines()
                if any(re.search(p, ln) for p in tern_lib.BAD_PATTERNS.values())]
    assert not tern_bad, "Tern logged:\n  " + "\n  ".join(tern_bad)


def test_uboot_boots_linux(tern, build, linux_guest):
    """make run LOADER=u-boot: Debian's U-Boot (qemu_arm64) as QEMU's -bios; QEMU's loader puts
    Tern, its device tree and the guest images in RAM, and U-Boot's booti starts Tern, which
    boots the flagship Linux to its shell and powers off with status 0."""
    b = build("defconfig")
    t = tern("defconfig", start=False, smp=b.pcpus(), mem="1G", timeout=LINUX_TIMEOUT)
    t.name = "defconfig + U-Boot + Linux"
    t.cmd += ["--loader", "u-boot"]
    t.add_vm0_linux(linux_guest).start(banner=False)
    t.expect(r"U-Boot 20\d\d\.\d\d")
    t.expect(r"## Flattened Device Tree blob at ([0-9a-f]+)")
    t.expect(r"Starting kernel \.\.\.")
    m = t.expect(tern_lib.BANNER_RE)
    t.bad["reset"] = tern_lib.BANNER_RE
    # booti left Tern where QEMU's loader put it, with the tree U-Boot relocated.
    m = t.expect(r"\[c0\] boot: pCPU 0 MPIDR 0x\w+, loaded at (0x[0-9a-f]+), \d+ KiB, "
                 r"DTB at (0x[0-9a-f]+)")
    assert int(m.group(1), 16) == 0x40200000, m.group(0)
    t.expect(r"\[c0\] platform: vm0 kernel ")
    assert t.wait_linux() == linux_guest.release
    out = shell_ok(t, "echo booted-by-$((6*7))")
    assert out == "booted-by-42\n", out
    t.sendline("poweroff")
    t.expect(r"\[c\d+\] vm0: stopped: guest called PSCI SYSTEM_OFF")
    assert t.wait_exit() == 0, f"QEMU exit status {t.exitstatus}"
