# SPDX-License-Identifier: GPL-2.0-only
"""The register-leak sweep (tests/guests/regleak.c, issue 11): two VMs on one pCPU, VM 0 with two
vCPUs and a vGIC, VM 1 with one vCPU and no vGIC. Every vCPU probes every system-register
encoding against Tern's table (include/asm/sysreg_table.h) and holds every register with state to
values of its own across switches."""

import re

import pytest

from test_guests import build_guests

CONFIG = "qemu_virt_regleak_defconfig"
ROW_RE = re.compile(r"^\[(c\d+|vm\d+)\](\+?) (.*)$")
# vm -> (SUMMARY tests, skipped, the contexts it sweeps)
WANT = {0: (5, 1, (0, 1)), 1: (4, 0, (2,))}


@pytest.fixture(scope="module")
def leak_build(build):
    return build_guests(build, CONFIG)


def vm_lines(log):
    """Each VM's logical lines (continuation rows joined)."""
    vms = {}
    for row in log.splitlines():
        m = ROW_RE.match(row)
        if not m or m.group(1).startswith("c"):
            continue
        lines = vms.setdefault(int(m.group(1)[2:]), [])
        if m.group(2):
            lines[-1] += m.group(3)
        else:
            lines.append(m.group(3))
    return vms


def test_register_leak_sweep(tern, leak_build):
    b = leak_build
    t = tern(b.config, start=False, smp=1, mem="512M", timeout=120)
    t.name = "regleak"
    for vm, ctx in ((0, 0), (1, 2)):
        t.cmd += [f"--vm{vm}-kernel", b.path("guests", "regleak.bin"), f"--vm{vm}-bootargs",
                  f"ctx={ctx}"]
    t.start()
    status = t.wait_exit()
    vms = vm_lines(t.log)
    problems = []
    for vm, (tests, skipped, ctxs) in WANT.items():
        lines = vms.get(vm, [])
        problems += [f"vm{vm}: {ln}" for ln in lines if ln.startswith("FAIL")]
        want = f"SUMMARY: {tests} tests, 0 failures" + (f", {skipped} skipped" if skipped else "")
        if want not in lines:
            problems.append(f"vm{vm}: no '{want}'")
        for ctx in ctxs:
            if not any(re.match(rf"PASS: regleak: ctx {ctx}: \d+ registers held their values "
                                r"over \d+ rounds, \d+ switches", ln) for ln in lines):
                problems.append(f"vm{vm}: no PASS line for context {ctx}")
    if status != 0:
        problems.append(f"QEMU exit status {status}")
    if problems:
        t.fail("; ".join(problems))
