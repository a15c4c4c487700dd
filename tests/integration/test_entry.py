# SPDX-License-Identifier: GPL-2.0-only
"""Tern entered the wrong way says so and stops, instead of running on with guesses."""

import re

import pytest

import tern as tern_lib

pytestmark = pytest.mark.boot

QEMU_BASE = ["qemu-system-aarch64", "-M", "virt,gic-version=3", "-cpu", "max", "-m", "512M",
             "-nographic", "-nic", "none"]


def test_entered_at_el1(tern):
    """Without virtualization=on QEMU starts Tern at EL1: a message, then it stops (nothing
    set up, so no power-off: the CPU waits in WFI and the launcher gets no status)."""
    t = tern("defconfig", start=False, smp=1, mem="512M")
    t.cmd += ["--qemu-extra", "-machine virtualization=off"]
    t.start(banner=False)
    t.expect(r"Tern: not entered at EL2 \(QEMU needs -M virt,virtualization=on\); stopping\.")
    t.close()
    assert "Tern " not in t.log.replace("Tern: not entered", ""), "Tern must not boot on"
    assert "exit: status" not in t.log


def test_no_device_tree(tern):
    """Started by a loader that passes no DTB (x0 = 0): an error naming x0, a failure exit."""
    t = tern("defconfig", start=False, smp=1, mem="512M", allow=("error",))
    image = t.build.image
    t.cmd = QEMU_BASE[:2] + ["virt,virtualization=on,gic-version=3"] + QEMU_BASE[3:] + [
        "-device", f"loader,file={image},addr=0x40200000",
        "-device", "loader,addr=0x40200000,cpu-num=0"]
    t.start()
    t.expect(r"error: boot: x0 \(0x0\) does not point at a device tree")
    # No bootargs were read, so no token; no PSCI either, so Tern halts after the line.
    t.expect(r"\[c0\] exit: status 1\r*\n")
    t.close()
    assert "platform:" not in t.log, "no discovery may run without a device tree"
    assert not re.search(r"exit: status [^1]", t.log)
