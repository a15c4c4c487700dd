# SPDX-License-Identifier: GPL-2.0-only
"""Debian's arm64 Linux kernel with the BusyBox initramfs as VM 0 of the default config.

The guest comes from scripts/fetch-guest.sh (fixture linux_guest; a failed fetch fails these
tests). The read-only shell checks share one boot (fixture linux_shell); reboot and poweroff
boot on their own. Every console is watched for Tern's bad patterns (error, warning, panic,
exception dump, a second Tern banner).
"""

import re
import time

import pytest

import tern as tern_lib

pytestmark = pytest.mark.linux

RESET_RE = r"\[c\d+\] vm0: reset requested by the guest: restarting from the pristine images"
SYSTEM_OFF_RE = r"\[c\d+\] vm0: stopped: guest called PSCI SYSTEM_OFF"
INTEGRITY_OK_RE = r"\[c\d+\] integrity: \d+ regions unchanged"
LINUX_TIMEOUT = 4 * tern_lib.RUN_TIMEOUT

POWER_OFF_RE = r"\[c\d+\] boot: every VM has stopped: powering off"

# Kernel messages that must not appear in dmesg.
DMESG_BAD = ["Oops", "BUG:", "WARNING:", "Call trace", "rcu_sched self-detected stall",
             "Unable to handle", "Kernel panic"]
GIC_ERROR_RE = re.compile(r"GIC.*(error|fail|broken)", re.I)


shell_ok = tern_lib.shell_ok


def vm0_shape(t):
    """(vCPUs, MiB of RAM) of VM 0 in the console's build."""
    kconf = t.build.kconfig()
    return int(kconf["CONFIG_VM0_NR_VCPUS"]), int(kconf["CONFIG_VM0_RAM_MB"])


def boot_linux(tern, build, linux_guest):
    """A fresh boot of the guest (not shared) up to its shell prompt."""
    # Two Linux boots on QEMU's emulated pCPUs of a loaded host can take more than the
    # default 60 s deadline.
    t = tern("defconfig", start=False, smp=build("defconfig").pcpus(), mem="1G",
             timeout=LINUX_TIMEOUT)
    t.name = f"{t.build.config} + Linux"
    t.add_vm0_linux(linux_guest).start()
    t.linux_release = t.wait_linux()
    return t


# -- the shared boot ------------------------------------------------------------------------

def test_linux_boots_to_prompt(linux_shell, linux_guest):
    t = linux_shell
    assert t.linux_release == linux_guest.release, \
        f"guest banner says Linux {t.linux_release}, kernel.version {linux_guest.release}"
    vcpus, ram = vm0_shape(t)
    assert re.search(rf"\[c\d+\] vm0: linux, {vcpus} vCPUs?, {ram} MiB", t.log), \
        f"Tern did not report VM 0 as a {vcpus}-vCPU {ram} MiB Linux VM"
    # The shell answers.
    assert shell_ok(t, "echo $((40+2))") == "42\n"


def test_linux_uname(linux_shell, linux_guest):
    out = shell_ok(linux_shell, "uname -a").strip()
    fields = out.split()
    assert len(fields) >= 3 and fields[0] == "Linux", f"uname -a: {out!r}"
    assert fields[2] == linux_guest.release, \
        f"uname -a: release {fields[2]!r}, kernel.version {linux_guest.release!r}: {out!r}"
    assert "aarch64" in fields, f"uname -a: no aarch64: {out!r}"


def irq_counts(t):
    """{name: count summed over the CPUs} for the arch_timer (GICv3 PPI 27) and
    uart-pl011 (SPI 1 = 33) lines."""
    out = shell_ok(t, "cat /proc/interrupts")
    counts = {}
    for name, intid in (("arch_timer", 27), ("uart-pl011", 33)):
        m = re.search(rf"^\s*\d+:((?:\s+\d+)+)\s+GICv3\s+{intid}\s+\w+\s+"
                      rf"{re.escape(name)}\s*$", out, re.M)
        assert m, f"/proc/interrupts has no 'GICv3 {intid} ... {name}' line:\n{out}"
        counts[name] = sum(int(c) for c in m.group(1).split())
    return counts


def test_linux_interrupts_count_up(linux_shell):
    t = linux_shell
    before = irq_counts(t)
    # UART traffic (about 2 KiB of output) and time for timer ticks.
    out = shell_ok(t, "seq 1 400; sleep 1")
    assert out.endswith("399\n400\n"), f"seq output cut short: {out[-100:]!r}"
    after = irq_counts(t)
    for name in before:
        assert after[name] > before[name], \
            f"{name}: interrupt count did not go up ({before[name]} -> {after[name]})"


def test_linux_dmesg_clean(linux_shell):
    t = linux_shell
    out = shell_ok(t, "dmesg", timeout=60, kmsg=True)
    assert "Linux version" in out and "Run /init as init process" in out, \
        f"dmesg does not look like this boot's kernel log:\n{out[:2000]}"
    lines = out.splitlines()
    bad = [ln for ln in lines if any(b in ln for b in DMESG_BAD)]
    bad += [ln for ln in lines if GIC_ERROR_RE.search(ln)]
    assert not bad, "kernel log has error lines:\n  " + "\n  ".join(bad)
    # Tern: no error, warning, panic or dump line at all so far (the console only fails on
    # one while a test waits; check the whole log).
    tern_bad = [ln for ln in t.lines()
                if any(re.search(p, ln) for p in tern_lib.BAD_PATTERNS.values())]
    assert not tern_bad, "Tern logged:\n  " + "\n  ".join(tern_bad)


def test_linux_timekeeping(linux_shell):
    t = linux_shell
    start = time.monotonic()
    out = shell_ok(t, "date +%s; sleep 2; date +%s")
    host = time.monotonic() - start
    secs = [int(x) for x in re.findall(r"^(\d+)$", out, re.M)]
    assert len(secs) == 2, f"want two 'date +%s' lines: {out!r}"
    assert 1 <= secs[1] - secs[0] <= 3, \
        f"guest clock moved {secs[1] - secs[0]} s over 'sleep 2': {out!r}"
    # The guest's 2 s are real seconds too (its clock does not run fast).
    assert 1.5 <= host <= 10, f"'sleep 2' in the guest took {host:.2f} s of host time"


def test_linux_interactive_typing(linux_shell):
    """Type a command one key at a time: each key is echoed, the command runs."""
    t = linux_shell
    cmd = "echo tern-typed-$((6*7))"
    for ch in cmd:
        t.send(ch)
        # The line editor echoes the key (the console input reached the guest).
        t.expect_line(ch, timeout=10)
        time.sleep(0.05)
    t.send("\r")
    t.expect(r"\ntern-typed-42\r*\n", timeout=10)
    t.expect_prompt(timeout=10)
    # The whole command line was echoed as typed, before the output.
    log = t.log
    typed = log.rindex(cmd)
    assert typed < log.rindex("\ntern-typed-42\n"), "output before the echoed command"


def test_linux_cpuinfo_processors(linux_shell):
    """One processor per vCPU of VM 0 (all brought up through the guest's PSCI)."""
    vcpus, _ = vm0_shape(linux_shell)
    out = shell_ok(linux_shell, "cat /proc/cpuinfo")
    procs = re.findall(r"^processor\s*:\s*(\d+)\s*$", out, re.M)
    want = [str(i) for i in range(vcpus)]
    assert procs == want, f"/proc/cpuinfo: want processors {want}, got {procs}:\n{out}"


def test_linux_dt_model(linux_shell):
    out = shell_ok(linux_shell, "cat /sys/firmware/devicetree/base/model")
    # A DT string property ends with its NUL.
    assert out.rstrip("\0\n") == "Tern VM 0", f"model: {out!r}"


def test_linux_dt_nodes(linux_shell):
    out = shell_ok(linux_shell, "ls -1 /sys/firmware/devicetree/base")
    nodes = set(out.split())
    missing = {"psci", "pl011@9000000", "intc@8000000"} - nodes
    assert not missing, f"guest DT root lacks {sorted(missing)}: {sorted(nodes)}"


# -- separate boots ---------------------------------------------------------------------------

def test_linux_reboot(tern, build, linux_guest):
    t = boot_linux(tern, build, linux_guest)
    t.sendline("reboot")
    t.expect(RESET_RE)
    # The guest boots again from the pristine images (its banner, not Tern's: the console
    # fails on a second Tern banner).
    assert t.wait_linux() == linux_guest.release
    assert shell_ok(t, "echo after-$((2*3))-reboot") == "after-6-reboot\n"
    log = t.log
    assert len(re.findall(RESET_RE, log)) == 1, "want one reset line from Tern"
    assert len(re.findall(tern_lib.GUEST_UP_RE, log)) == 2, "want two guest banners"
    assert len(re.findall(tern_lib.BANNER_RE, log)) == 1, "Tern's banner not exactly once"


def test_linux_poweroff(tern, build, linux_guest):
    t = boot_linux(tern, build, linux_guest)
    t.sendline("poweroff")
    t.expect(SYSTEM_OFF_RE)
    t.expect(INTEGRITY_OK_RE)
    t.expect(POWER_OFF_RE)
    status = t.wait_exit()
    assert "CHANGED" not in t.log, "integrity check: a region CHANGED"
    assert status == 0, f"QEMU exit status {status}"
