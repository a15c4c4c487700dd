# SPDX-License-Identifier: GPL-2.0-only
"""Every configured VM is reported at boot, as configured."""

import re

import pytest

pytestmark = pytest.mark.vms


def test_8vm_config_lists_every_vm(tern):
    t = tern("8vm", smp=8, mem="2G")
    kconf = t.build.kconfig()
    nr = int(kconf["CONFIG_NR_VMS"])
    assert nr == 8
    for n in range(nr):
        m = t.expect(rf"\[c0\] vm{n}: ([^\r\n]*)\r*\n")
        desc = m.group(1)
        vcpus = int(kconf[f"CONFIG_VM{n}_NR_VCPUS"])
        ram = int(kconf[f"CONFIG_VM{n}_RAM_MB"])
        assert re.search(rf"\b{vcpus} vCPUs?, {ram} MiB\b", desc), \
            f"vm{n}: expected {vcpus} vCPU(s) and {ram} MiB: {desc!r}"
    t.expect(r"\[c0\] boot: [^\n]*powering off")
    assert t.wait_exit() == 0
    names = re.findall(r"^\[c\d+\] (vm\d+): (?:bare-metal|linux|rtos), [^\n]*kernel", t.log, re.M)
    assert names == [f"vm{n}" for n in range(nr)], "exactly one line per VM"
