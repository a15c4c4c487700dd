# SPDX-License-Identifier: GPL-2.0-only
"""The bare-metal test guests on the GICv2 boards: the GICv2 build of tests/guests
(`make -C tests/guests GIC=2`: lib/gic_v2.c under the GIC test programs, and the gicv2 program
for the virtual GICv2 itself), each program of tests/guests/manifest-gicv2.txt as VM 0 of the
board's guest-test configuration. Passing is judged as in test_guests.py (SUMMARY with the
manifest's count and no failure, no Tern error or warning, integrity unchanged, QEMU status 0;
reset's two boots as there). Also per board: the RTOS-like guest as an RTOS-type VM with 2 vCPUs
(configs/<board>_rtos_defconfig; on qemu-virt-gicv2 also run on plain QEMU -M virt,gic-version=2
and compared, as test_guest_types.py does on the GICv3), and the guest-attack suite with its
GICv3-only attacks skipped (GICV3_ONLY_ATTACKS: they attack registers a GICv2 VM does not have,
or expect a hole where the GICv2 CPU interface is).
"""

import os
import re
import subprocess

import pytest

import tern as tern_lib
import test_guest_types
from test_attack import INFO_RE, SUMMARY_RE, check_tern
from test_guests import GUESTS_SRC, check_reset, check_reset_log, check_run, read_manifest

MANIFEST = os.path.join(GUESTS_SRC, "manifest-gicv2.txt")
PROGRAMS = {p.name: p for p in read_manifest(MANIFEST)}
BOARDS = {"qemu-virt-gicv2": "qemu_virt_gicv2_guest_tests_defconfig",
          "xlnx-zcu102": "xlnx_zcu102_guest_tests_defconfig"}
RTOS_CONFIGS = {"qemu-virt-gicv2": "qemu_virt_gicv2_rtos_defconfig",
                "xlnx-zcu102": "xlnx_zcu102_rtos_defconfig"}
RTOS_TESTS = test_guest_types.RTOS_TESTS[2]
QEMU_NATIVE_GICV2 = ["qemu-system-aarch64", "-M", "virt,gic-version=2", "-cpu", "max", "-m",
                     "128M", "-nographic", "-nic", "none", "-smp", "2"]
# The attack suite's GICv3-only attacks ("area" or "area:slug", the suite's skip= syntax): the
# vgic area (GICR frames, IROUTER, ICC_* system registers), the GICv3 distributor's IROUTER
# through odd load forms, and the hole after a 64 KiB GICv3 distributor, where a GICv2 VM has
# its CPU interface.
GICV3_ONLY_ATTACKS = ["vgic", "mem:gap-after-the-distributor", "mmio:ldrsw--gicd-irouter-",
                      "mmio:ldp-x--gicd-irouter-"]
ATTACK_TIMEOUT = 600
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
    if name == "reset":
        check_reset(t)
    lines = check_run(t, prog)
    if name == "mmio" and "mmio: DR store forms: Tern-OK" not in lines:
        t.fail("no 'mmio: DR store forms: Tern-OK' line")
    if name == "reset":
        check_reset_log(t, prog, lines)


@pytest.mark.parametrize("board", BOARDS)
def test_rtos_gicv2(tern, build, board):
    """The RTOS ELF (GICv2 build) as an RTOS-type VM with 2 vCPUs: every check passes."""
    g = build_gicv2_guests(build, BOARDS[board])
    t = tern(RTOS_CONFIGS[board], start=False, smp=1, mem="512M")
    t.name = f"rtos on {board}"
    t.cmd += ["--vm0-kernel", g.path("guests", "rtos.elf")]
    t.start()
    assert f"(board {board})" in t.banner, t.banner
    status = t.wait_exit()
    lines = t.log.splitlines()
    assert re.search(r"vm0: rtos, .*entry 0x40200000, x0 0x0 \(no device tree\)", t.log)
    fails = [ln for ln in lines if "FAIL:" in ln]
    summaries = [m for m in map(test_guest_types.SUMMARY_RE.match, lines) if m]
    assert not fails and len(summaries) == 1, "\n".join(fails) or "no single SUMMARY"
    assert (int(summaries[0].group(1)), int(summaries[0].group(2))) == (RTOS_TESTS, 0)
    problems = []
    check_tern(t, status, problems)
    for what, pattern in tern_lib.BAD_PATTERNS.items():
        problems += [f"Tern {what}: {ln}" for ln in lines if re.search(pattern, ln)]
    if problems:
        t.fail("; ".join(problems))
    if board == "qemu-virt-gicv2":
        native = subprocess.run(QEMU_NATIVE_GICV2 + ["-kernel", g.path("guests", "rtos.elf")],
                                stdin=subprocess.DEVNULL, capture_output=True, text=True,
                                timeout=tern_lib.RUN_TIMEOUT).stdout.replace("\r", "").splitlines()
        el = test_guest_types.EL_LINE
        assert test_guest_types.summary(native) == (RTOS_TESTS, 0), "\n".join(native)
        assert test_guest_types.normalised([ln for ln in native if el not in ln]) == \
            test_guest_types.normalised([ln for ln in lines if el not in ln])


@pytest.mark.parametrize("board", BOARDS)
def test_attack_gicv2(tern, build, board):
    """The attack suite (GICv2 build) alone: every attack passes but the GICv3-only ones."""
    g = build_gicv2_guests(build, BOARDS[board])
    t = tern(BOARDS[board], start=False, smp=1, mem="512M", timeout=ATTACK_TIMEOUT)
    t.name = f"attack on {board}"
    t.cmd += ["--vm0-kernel", g.path("guests", "attack.bin"),
              "--vm0-bootargs", "skip=" + ",".join(GICV3_ONLY_ATTACKS)]
    t.start()
    status = t.wait_exit()
    lines = t.lines()
    text = "\n".join(lines)
    problems = []
    m = INFO_RE.search(text)
    total = int(m.group(1)) if m else 0
    if total < 150:
        problems.append(f"{total} attacks announced")
    fails = [ln for ln in lines if ln.startswith("FAIL:")]
    if fails:
        problems.append("FAIL lines:\n  " + "\n  ".join(fails))
    skipped = [re.search(r"\((\S+) skipped\)$", ln) for ln in lines if ln.startswith("SKIP:")]
    keys = [k.group(1) if k else "?" for k in skipped]
    stray = [k for k in keys if k.split(":")[0] != "vgic" and k not in GICV3_ONLY_ATTACKS]
    if stray or not any(k.startswith("vgic:") for k in keys):
        problems.append(f"skipped {keys}: want the vgic area and {GICV3_ONLY_ATTACKS[1:]}")
    passes = [ln for ln in lines if ln.startswith("PASS: attack: ")]
    s = re.search(rf"^{SUMMARY_RE}$", text, re.M)
    if not s or int(s.group(1)) != total or int(s.group(2)) or \
            len(passes) + len(keys) != total:
        problems.append(f"SUMMARY {s.group(0) if s else None}: {len(passes)} PASS + "
                        f"{len(keys)} SKIP for {total} attacks")
    check_tern(t, status, problems)
    if problems:
        t.fail("; ".join(problems))
