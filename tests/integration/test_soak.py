# SPDX-License-Identifier: GPL-2.0-only
"""Soak of the flagship (`make soak`, not part of `make check`): Linux with 4 vCPUs on 4 pCPUs
(qemu_virt_defconfig, as `make run`) and time-shared on 1 pCPU (qemu_virt_up_defconfig), booted
TERN_SOAK times each (default 10 with `make soak`). Every boot must reach the shell, run a
command, reboot (a VM reset) back to a working shell on all four vCPUs, and power off with QEMU
exiting 0; a boot or reboot that does not reach its prompt is a failure (the console then holds
Tern's Ctrl-] d dump of every vCPU), never a retry. Logs: $TERN_BUILD/itest/logs/test_soak*.
"""

import os
import re
import time

import pytest

import tern as tern_lib

BOOTS = int(os.environ.get("TERN_SOAK", "0"))
MACHINES = [("defconfig", 4), ("up", 1)]
BOOT_TIMEOUT = 600
RESET_RE = r"\[c\d+\] vm0: reset requested by the guest: restarting from the pristine images"

pytestmark = [pytest.mark.linux,
              pytest.mark.skipif(not BOOTS, reason="soak: run with `make soak` (TERN_SOAK=N)")]


shell_ok = tern_lib.shell_ok


@pytest.mark.parametrize("config, smp", MACHINES, ids=["4pcpus", "1pcpu"])
@pytest.mark.parametrize("boot", range(1, BOOTS + 1))
def test_soak_boot_reboot_poweroff(tern, build, linux_guest, config, smp, boot):
    b = build(config)
    t = tern(config, start=False, smp=smp, mem="1G", timeout=3 * BOOT_TIMEOUT)
    t.name = f"{b.config} (-smp {smp}) + Linux, boot {boot}"
    t.add_vm0_linux(linux_guest)
    start = time.monotonic()
    t.start()
    t.wait_linux(timeout=BOOT_TIMEOUT)
    up = time.monotonic() - start
    assert shell_ok(t, "nproc").strip() == "4"
    t.sendline("reboot")
    t.expect(RESET_RE, timeout=120)
    t.wait_linux(timeout=BOOT_TIMEOUT)
    again = time.monotonic() - start
    assert shell_ok(t, "cat /sys/devices/system/cpu/online").strip() == "0-3"
    t.sendline("poweroff")
    t.expect(r"\[c\d+\] boot: every VM has stopped: powering off", timeout=120)
    assert t.wait_exit(timeout=120) == 0
    assert len(re.findall(tern_lib.BANNER_RE, t.log)) == 1
    print(f"\n{t.name}: shell after {up:.1f} s, again after the reboot at {again:.1f} s")
