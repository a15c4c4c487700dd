# SPDX-License-Identifier: GPL-2.0-only
"""Linux's own use of the guest PMU and of hardware single-step, in a 1-vCPU Linux VM under
QEMU -icount (QEMU counts instructions only then):

- `perf stat -e cycles,instructions` with Debian's arm64 perf (scripts/fetch-guest.sh --perf,
  with the libraries it loads) counts non-zero cycles and instructions for a shell loop;
- tests/linux/ptrace_step.c single-steps a child with ptrace(PTRACE_SINGLESTEP) through a
  known number of instructions.
"""

import os
import re
import subprocess

import pytest

import tern as tern_lib

pytestmark = pytest.mark.linux

CONFIG = "qemu_virt_linux1_defconfig"
MKINITRAMFS = os.path.join(tern_lib.SRCTREE, "scripts", "mkinitramfs.py")
LINUX_PROGS = os.path.join(tern_lib.SRCTREE, "tests", "linux")
LOOP = "i=0; while [ $i -lt 2000 ]; do i=$((i+1)); done"


def run(cmd, timeout):
    r = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                       timeout=timeout)
    if r.returncode != 0:
        raise AssertionError(f"$ {' '.join(cmd)}: exit {r.returncode}\n{r.stdout}{r.stderr}")
    return r.stdout


@pytest.fixture(scope="module")
def perf_guest(linux_guest):
    """The Linux test guest with an initramfs that also has perf and the ptrace test."""
    out = run([tern_lib.FETCH_GUEST, "--perf", "--print"], tern_lib.FETCH_TIMEOUT)
    perf = re.search(r"^PERF=(.+)$", out, re.M).group(1)
    root = os.path.join(tern_lib.build_root(), "itest")
    run(["make", "-C", LINUX_PROGS, f"O={root}"], tern_lib.BUILD_TIMEOUT)
    guest_dir = os.path.dirname(linux_guest.initrd)
    initrd = os.path.join(root, "perf-initramfs.cpio.gz")
    run(["/usr/bin/python3", MKINITRAMFS, "--busybox", os.path.join(guest_dir, "busybox"),
         "--modules", os.path.join(guest_dir, "modules"), "--extra", perf,
         "--extra", os.path.join(root, "linux"), "--out", initrd], tern_lib.BUILD_TIMEOUT)
    return tern_lib.LinuxGuest(linux_guest.kernel, initrd, linux_guest.release)


def test_perf_stat_and_ptrace_step(tern, perf_guest):
    t = tern(CONFIG, start=False, smp=1, mem="512M", timeout=4 * tern_lib.RUN_TIMEOUT)
    t.name = f"{CONFIG} + Linux with perf (icount)"
    t.cmd += ["--icount"]
    t.add_vm0_linux(perf_guest).start()
    t.wait_linux()
    status, out = t.shell(f"/usr/bin/perf stat -e cycles,instructions -x, -- "
                          f"/bin/busybox sh -c '{LOOP}' 2>&1")
    counts = dict((m.group(2), int(m.group(1)))
                  for m in re.finditer(r"^(\d+),[^,]*,(cycles|instructions),", out, re.M))
    if status != 0 or counts.get("cycles", 0) <= 0 or counts.get("instructions", 0) < 100000:
        t.fail(f"perf stat: status {status}, counts {counts}:\n{out}")
    status, out = t.shell("/usr/bin/ptrace-step")
    if status != 0 or "ptrace-step: ok" not in out:
        t.fail(f"ptrace single-step: status {status}:\n{out}")
    t.sendline("poweroff")
    t.expect(r"\[c\d+\] boot: every VM has stopped: powering off")
    assert t.wait_exit() == 0
