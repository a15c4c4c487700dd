# SPDX-License-Identifier: GPL-2.0-only
"""Eight VMs boot and run at once (qemu_virt_8vm_defconfig on 8 pCPUs): every VM is reported at
boot as configured and placed (vCPU i on pCPU i mod 8), runs its guest program to the end and
stops by itself; then Tern powers off.

VM 1 (2 vCPUs) runs tests/guests/suspend.c, the others hello.c; each VM's lines carry its tag, so
the output of each one is checked on its own.
"""

import re

import pytest

import tern as tern_lib
from test_guests import PROGRAMS, build_guests

pytestmark = pytest.mark.vms

CONFIG = "qemu_virt_8vm_defconfig"


def program_of(vm):
    return "suspend" if vm == 1 else "hello"


def test_8vm_boot_eight_guests(tern, build):
    b = build_guests(build, CONFIG)
    kconf = b.kconfig()
    nr = int(kconf["CONFIG_NR_VMS"])
    assert nr == 8
    t = tern(b.config, start=False, smp=8, mem="2G", timeout=5 * tern_lib.RUN_TIMEOUT)
    for n in range(nr):
        t.cmd += [f"--vm{n}-kernel", b.path("guests", program_of(n) + ".bin")]
    t.start()
    for n in range(nr):
        vcpus = int(kconf[f"CONFIG_VM{n}_NR_VCPUS"])
        ram = int(kconf[f"CONFIG_VM{n}_RAM_MB"])
        m = t.expect(rf"\[c0\] vm{n}: ([^\r\n]*)\r*\n")
        assert re.search(rf"\b{vcpus} vCPUs?, {ram} MiB\b", m.group(1)), \
            f"vm{n}: expected {vcpus} vCPU(s) and {ram} MiB: {m.group(1)!r}"
    t.expect(r"\[c0\] boot: every VM has stopped: powering off")
    assert t.wait_exit() == 0, "QEMU exit status"
    log = t.log
    names = re.findall(r"^\[c\d+\] (vm\d+): (?:bare-metal|linux|rtos), [^\n]*kernel", log, re.M)
    assert names == [f"vm{n}" for n in range(nr)], "exactly one configuration line per VM"
    problems = []
    for n in range(nr):
        vcpus = int(kconf[f"CONFIG_VM{n}_NR_VCPUS"])
        where = " ".join(str(i % 8) for i in range(vcpus))
        pinned = (rf"vm{n}: vCPU 0 pinned to pCPU 0 " if vcpus == 1
                  else rf"vm{n}: vCPUs 0-{vcpus - 1} pinned to pCPUs {where} ")
        if not re.search(pinned, log):
            problems.append(f"vm{n}: no placement line /{pinned}/")
        prog = PROGRAMS[program_of(n)]
        mine = [ln[len(f"[vm{n}] "):] for ln in log.splitlines()
                if ln.startswith(f"[vm{n}] ")]
        if prog.name == "hello" and "Hello from a Tern guest" not in mine:
            problems.append(f"vm{n}: no greeting")
        fails = [ln for ln in mine if ln.startswith("FAIL:")]
        summaries = [ln for ln in mine if ln.startswith("SUMMARY:")]
        if fails:
            problems.append(f"vm{n}: {fails}")
        if summaries != [f"SUMMARY: {prog.tests} tests, 0 failures"]:
            problems.append(f"vm{n}: SUMMARY lines {summaries}, want {prog.tests} tests")
        if not re.search(rf"^\[c\d+\] vm{n}: stopped: guest called PSCI SYSTEM_OFF$", log,
                         re.M):
            problems.append(f"vm{n}: not stopped by its own SYSTEM_OFF")
    assert not problems, "\n".join(problems) + f"\n{log}"
