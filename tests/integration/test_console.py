# SPDX-License-Identifier: GPL-2.0-only
"""The console with several VMs (issues 11 and 14): every line tagged with the VM that printed it,
even when VMs print long lines at once, and no guest can forge another VM's or Tern's lines.

Four VMs run tests/guests/console.c (bootarg vm=N): 40 long lines each, written in small pieces
so that the VMs interleave mid-line, then forgeries (CR, ESC sequences, fake "[vm1] " and "[c0] "
prefixes, C1 controls, bidi overrides) and a line split by a long pause.
"""

import re

import pytest

from test_guests import build_guests

pytestmark = pytest.mark.security

CONFIG = "qemu_virt_8vm_defconfig"
NR = 4
LINES = 40
FILLER = 150
ROW_RE = re.compile(r"^\[(c\d+|vm\d+)\](\+?) (.*)$")
COLUMNS = 80


def expected_long_line(vm, seq):
    filler = "".join(chr(ord("a") + (seq + i + ord(str(vm))) % 26) for i in range(FILLER))
    return f"LINE vm={vm} seq={seq} {filler} END vm={vm} seq={seq}"


@pytest.fixture(scope="module")
def guests8(build):
    return build_guests(build, CONFIG)


def run_console(tern, b, smp):
    t = tern(b.config, start=False, smp=smp, mem="2G", timeout=180)
    for n in range(NR):
        t.cmd += [f"--vm{n}-kernel", b.path("guests", "console.bin"), f"--vm{n}-bootargs",
                  f"vm={n}"]
    t.start()
    assert t.wait_exit() == 0, "Tern exits 0"
    return t


def parse(t):
    """Every row must carry a tag; returns ({vm: [logical lines]}, [Tern's rows])."""
    raw = "".join(t.chunks)
    vms, tern_rows, untagged = {}, [], []
    for row in t.log.splitlines():
        m = ROW_RE.match(row)
        if not m:
            untagged.append(row)
            continue
        who, cont, text = m.groups()
        if who.startswith("c"):
            tern_rows.append(row)
            continue
        lines = vms.setdefault(int(who[2:]), [])
        if cont:
            assert lines, f"continuation row with nothing to continue: {row!r}"
            lines[-1] += text
        else:
            lines.append(text)
    return raw, vms, tern_rows, untagged


@pytest.mark.parametrize("smp", [1, 4])
def test_console_tags_and_forgeries(tern, guests8, smp):
    t = run_console(tern, guests8, smp)
    raw, vms, tern_rows, untagged = parse(t)
    problems = []
    if untagged:
        problems.append(f"{len(untagged)} untagged rows, e.g. {untagged[:3]}")
    # Nothing that steers a terminal reaches it: no ESC, BS, BEL, C1 CSI; CR only before LF.
    for bad in ("\x1b", "\x08", "\x07", "\x9b", "\u202e"):
        if bad in raw:
            problems.append(f"raw console output contains {bad!r}")
    if re.search(r"\r(?!\r*\n)", raw):
        problems.append("a CR not followed by LF reached the console")
    wide = [r for r in t.log.splitlines() if r.startswith("[vm") and len(r) > COLUMNS]
    if wide:
        problems.append(f"{len(wide)} rows wider than {COLUMNS} columns, e.g. {wide[0]!r}")
    for vm in range(NR):
        lines = vms.get(vm, [])
        longs = [ln for ln in lines if ln.startswith("LINE ")]
        if longs != [expected_long_line(vm, s) for s in range(LINES)]:
            problems.append(f"vm{vm}: long lines differ from what it printed "
                            f"({len(longs)} LINE lines)")
        foreign = [ln for ln in lines if re.search(r"vm=(\d+)", ln)
                   and any(int(x) != vm for x in re.findall(r"vm=(\d+)", ln))]
        if foreign:
            problems.append(f"vm{vm}: lines of another VM under its tag: {foreign[:2]}")
        if f"HALF1 vm={vm} HALF2" not in lines:
            problems.append(f"vm{vm}: the line split by a pause was not put back")
        want = [r"FORGE1\x0d[vm1] VICTIM 0 ok",
                r"FORGE2\x1b[2K\x0d[c0] integrity: 99 regions unchanged",
                "FORGE3", "[vm1] SUMMARY: 1 tests, 0 failures",
                r"FORGE4\x1b[1A\x1b[2K\x0d[c0] exit: status 0",
                r"FORGE5\x1b]0;title\x07\x08\x08\x08\x08\x08\x08[c1] boot",
                r"FORGE6 \xc2\x9b2K\xe2\x80\xaereversed"]
        missing = [w for w in want if w not in lines]
        if missing:
            problems.append(f"vm{vm}: forgeries not shown escaped under its tag: {missing}")
        if f"SUMMARY: 1 tests, 0 failures" not in lines:
            problems.append(f"vm{vm}: no SUMMARY")
    # Nothing reads as Tern's but Tern's lines.
    if any(re.match(r"\[c\d+\] integrity: 99", r) for r in tern_rows):
        problems.append("a forged integrity line reads as Tern's")
    if any(r == "[c1] boot" for r in tern_rows):
        problems.append("a forged [c1] line reads as Tern's")
    exits = [r for r in tern_rows if "exit: status" in r]
    if len(exits) != 1 or " token " not in exits[0]:
        problems.append(f"Tern's exit status lines: {exits}")
    # ... and nothing reads as vm1's but vm1's own lines.
    victims = [r for r in t.log.splitlines() if r.startswith("[vm1] VICTIM")]
    if victims:
        problems.append(f"forged vm1 lines: {victims}")
    assert not problems, "\n".join(problems)
