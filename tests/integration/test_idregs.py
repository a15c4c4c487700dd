# SPDX-License-Identifier: GPL-2.0-only
"""Every ID register a guest reads is what docs/guests.md says, given the hardware's value.

tests/guests/idregs.c runs as VM 0 of Tern and, for the hardware's values, at EL2 on the same
QEMU CPU without Tern (where nothing sanitises them). Each IDREG line of the guest must equal
what the doc's tables predict from the hardware's line: field by field for the registers Tern
sanitises, the hardware's value or 0 for whole registers.
"""

import re
import subprocess

import pytest

import id_table
import tern as tern_lib
import test_guests

QEMU_HW = ["qemu-system-aarch64", "-M", "virt,gic-version=3,virtualization=on",
           "-cpu", "max,pauth-impdef=on", "-m", "256M", "-nographic", "-nic", "none"]
IDREG_RE = re.compile(r"^IDREG (\S+) (0x[0-9a-f]+)\s*$", re.M)
# Read by the guest, not trapped or virtualised through VPIDR: the hardware's.
NOT_TRAPPED = ("MIDR_EL1", "CTR_EL0", "DCZID_EL0", "CLIDR_EL1")
VCPU0_MPIDR = 0x80000000


@pytest.fixture(scope="module")
def guests(build):
    return test_guests.build_guests(build, test_guests.CONFIG)


def idregs(text):
    return {name: int(v, 16) for name, v in IDREG_RE.findall(text)}


def hardware_values(elf):
    """The ID registers at EL2 on the bare (emulated) hardware Tern runs on."""
    r = subprocess.run(QEMU_HW + ["-kernel", elf], stdin=subprocess.DEVNULL,
                       capture_output=True, text=True, timeout=tern_lib.RUN_TIMEOUT)
    out = r.stdout.replace("\r", "")
    assert "SUMMARY: " in out and "FAIL" not in out, f"native run:\n{out}\n{r.stderr}"
    regs = idregs(out)
    assert len(regs) > 60, f"native run printed {len(regs)} IDREG lines:\n{out}"
    return regs


def expected(name, hw, rules):
    if name in rules:
        return id_table.register_value(rules[name], hw, has_vgic=True)
    if name == "REVIDR_EL1" or name in NOT_TRAPPED or name.startswith("CCSIDR_EL1."):
        return hw
    if name == "MPIDR_EL1":
        return VCPU0_MPIDR
    return 0  # AIDR, the AArch32 registers, the AArch64 ones Tern does not know


@pytest.fixture(scope="module")
def hw(guests):
    return hardware_values(guests.path("guests", "idregs.elf"))


def test_idregs_match_the_doc(tern, guests, hw):
    prog = test_guests.PROGRAMS["idregs"]
    t = test_guests.run_guest(tern, guests, prog, 1)
    lines = test_guests.check_run(t, prog)
    guest = idregs("\n".join(lines))
    assert set(guest) == set(hw), f"registers differ: {set(guest) ^ set(hw)}"
    rules = id_table.field_rules()
    assert set(rules) <= set(guest), "the doc names registers the guest did not read"
    wrong = []
    for name, value in sorted(guest.items()):
        want = expected(name, hw[name], rules)
        if value != want:
            wrong.append(f"{name}: guest 0x{value:x}, the doc says 0x{want:x} "
                         f"(hardware 0x{hw[name]:x})")
    assert not wrong, "\n".join(wrong)


def test_doc_hardware_column(hw):
    """The doc's 'hardware' column quotes QEMU 7.2's CPU: true where that QEMU runs."""
    ver = subprocess.run(["qemu-system-aarch64", "--version"], capture_output=True, text=True)
    if not re.search(r"version 7\.2\.", ver.stdout):
        pytest.skip(f"the doc quotes QEMU 7.2, this is {ver.stdout.splitlines()[0]}")
    changed, _ = id_table.parse()
    wrong = [f"{f}: doc says hardware {f.hardware}, QEMU has {(hw[f.reg] >> f.lo) & 0xF}"
             for f in changed if int(f.hardware, 0) != (hw[f.reg] >> f.lo) & 0xF]
    assert not wrong, "\n".join(wrong)
