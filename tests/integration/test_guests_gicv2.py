# SPDX-License-Identifier: GPL-2.0-only
"""The bare-metal test guests on the GICv2 boards: the GICv2 build of tests/guests
(`make -C tests/guests GIC=2`: lib/gic_v2.c under the GIC test programs, and the gicv2 program
for the virtual GICv2 itself), each program of tests/guests/manifest-gicv2.txt as VM 0 of the
board's guest-test configuration. Passing is judged as in test_guests.py (SUMMARY with the
manifest's count and no failure, no Tern error or warning, integrity unchanged, QEMU status 0).
"""

import os
import subprocess

import pytest

import tern as tern_lib
from test_guests import GUESTS_SRC, check_run, read_manifest

MANIFEST = os.path.join(GUESTS_SRC, "manifest-gicv2.txt")
PROGRAMS = {p.name: p for p in read_manifest(MANIFEST)}
BOARDS = {"qemu-virt-gicv2": "qemu_virt_gicv2_guest_tests_defconfig",
          "xlnx-zcu102": "xlnx_zcu102_guest_tests_defconfig"}
RUNS = [pytest.param(board, name, id=f"{board}-{name}") for board in BOARDS for name in PROGRAMS]

_built = {}


def build_gicv2_guests(build, config):
    if config in _built:
        return _built[config]
    b = build(config)
    cmd = ["make", "-C", GUESTS_SRC, f"O={b.dir}", "GIC=2"]
    r = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True, timeout=tern_lib.BUILD_TIMEOUT)
    if r.returncode != 0:
        raise AssertionError(f"guest build failed:\n$ {' '.join(cmd)}\n{r.stdout}")
    _built[config] = b
    return b


@pytest.mark.parametrize("board, name", RUNS)
def test_guest_gicv2(tern, build, board, name):
    prog = PROGRAMS[name]
    b = build_gicv2_guests(build, BOARDS[board])
    kconf = b.kconfig()
    assert int(kconf["CONFIG_VM0_NR_VCPUS"]) >= prog.vcpus
    t = tern(b.config, start=False, smp=1, mem="512M")
    t.name = f"{name} on {board}"
    t.cmd += ["--vm0-kernel", b.path("guests", name + ".bin")]
    if prog.bootargs:
        t.cmd += ["--vm0-bootargs", prog.bootargs]
    t.start()
    assert f"(board {board})" in t.banner, t.banner
    lines = check_run(t, prog)
    if name == "mmio" and "mmio: DR store forms: Tern-OK" not in lines:
        t.fail("no 'mmio: DR store forms: Tern-OK' line")
