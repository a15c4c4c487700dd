# SPDX-License-Identifier: GPL-2.0-only
"""Tern's integrity check (core/integrity.c): the boot modules, Tern's text and rodata and each
VM's pristine DT are summed at boot (or VM creation) and again at power-off; a change is reported
and Tern exits with status 1.

A VM checksums its own memory (tests/guests/cksum.c) with an initrd of an odd size beside its
kernel; meanwhile gdb, through QEMU's gdb stub started from the monitor and in physical-memory
mode, flips one byte of the kernel module (in the middle, where the checksum's 64-byte loop reads)
and the last byte of the initrd (where its byte loop reads); the VM is stopped from Tern's console,
the last VM gone, Tern checks and must name both modules, and only them.
"""

import os
import re
import shutil
import socket
import subprocess

import pytest

from test_guests import build_guests

CONFIG = "qemu_virt_guest_tests_defconfig"
TIMEOUT = 180
MODULE_RE = r"\[c\d+\] platform: vm0 {} (0x[0-9a-f]+)\+(0x[0-9a-f]+)"


@pytest.fixture(scope="module")
def guests(build):
    return build_guests(build, CONFIG)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.skipif(not shutil.which("gdb-multiarch"), reason="no gdb-multiarch")
def test_tampered_modules_detected(tern, guests, tmp_path):
    initrd = tmp_path / "initrd.bin"
    initrd.write_bytes(os.urandom(3 * 4096 + 13))
    t = tern(CONFIG, start=False, smp=1, mem="512M", timeout=TIMEOUT)
    t.add_monitor()
    t.cmd += ["--vm0-kernel", guests.path("guests", "cksum.bin"), "--vm0-bootargs",
              "secs=0 every=1", "--vm0-initrd", str(initrd)]
    t.start()
    kbase, ksize = (int(x, 16) for x in t.expect(MODULE_RE.format("kernel")).groups())
    rbase, rsize = (int(x, 16) for x in t.expect(MODULE_RE.format("ramdisk")).groups())
    assert rsize == initrd.stat().st_size
    t.expect(r"CKSUM t=1 ")

    port = free_port()
    mon = t.monitor()
    mon.command(f"gdbserver tcp:127.0.0.1:{port}")
    flips = (kbase + (ksize // 2 & ~63) + 24, rbase + rsize - 1)
    gdb = ["gdb-multiarch", "-batch", "-nx", "-ex", "set architecture aarch64",
           "-ex", f"target remote 127.0.0.1:{port}", "-ex", "maint packet Qqemu.PhyMemMode:1"]
    for a in flips:
        gdb += ["-ex", f"set var *(unsigned char *){a:#x} = ~*(unsigned char *){a:#x}",
                "-ex", f"x/1bx {a:#x}"]
    gdb += ["-ex", "detach"]
    r = subprocess.run(gdb, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                       timeout=TIMEOUT)
    assert r.returncode == 0 and "PhyMemMode" not in r.stderr, r.stdout + r.stderr
    mon.close()
    t.expect(r"CKSUM t=\d+ ")     # the guest runs on

    with t.allow("error"):
        t.hypcon("stop 0", r"vm0: torn down: ")
        t.expect(r"boot: every VM has stopped")
        status = t.wait_exit()
    log = t.log
    changed = sorted({int(m, 16) for m in re.findall(
        r"\[c\d+\] error: integrity: boot module \d+ at (0x[0-9a-f]+)\+0x[0-9a-f]+ CHANGED",
        log)})
    assert changed == sorted((kbase, rbase)), log[-3000:]
    assert not re.search(r"integrity: (Tern|pristine).* CHANGED", log), log[-3000:]
    assert status == 1, f"exit status {status}"
