# SPDX-License-Identifier: GPL-2.0-only
"""scripts/vector-fill.py and tern.lds.S: functions placed in the spare room of the EL2 vector
slots, every slot still at its architectural offset, and a fill too big fails the link."""

import importlib.util
import os
import re
import shutil
import subprocess

import pytest

SRCTREE = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCRIPT = os.path.join(SRCTREE, "scripts", "vector-fill.py")
LDS = os.path.join(SRCTREE, "arch", "arm64", "tern.lds.S")
CC = "aarch64-linux-gnu-gcc"
LD = "aarch64-linux-gnu-ld"

pytestmark = pytest.mark.skipif(shutil.which(CC) is None, reason="no aarch64 cross compiler")

spec = importlib.util.spec_from_file_location("vector_fill", SCRIPT)
vector_fill = importlib.util.module_from_spec(spec)
spec.loader.exec_module(vector_fill)

# Slot sizes in instructions, as Tern's: SP_EL0 2, current EL 7, lower EL 1.
SLOT_INSNS = [2] * 4 + [7] * 4 + [1] * 8
# Cold functions, in instructions (a RET included), all called; "unused" is not: 1 to 31
# instructions, two of each, and two too big for any slot (f62 and f63: 40 and 60).
FUNCS = {"f%02d" % i: n for i, n in enumerate([n for n in range(1, 32) for _ in (0, 1)] +
                                                [40, 60])}


def test_pack_best_subset():
    # 24 bytes: 12 + 8 (20) loses to 16 + 8 (24); every item placed at most once.
    chosen = vector_fill.pack([24], [("a", 12), ("b", 16), ("c", 8), ("d", 28)])
    assert chosen == [[("b", 16), ("c", 8)]]


def test_pack_never_over_capacity():
    gaps = [120, 100, 124, 0, 8]
    items = [("i%d" % i, 4 * ((i * 7) % 23 + 1)) for i in range(40)]
    chosen = vector_fill.pack(gaps, items)
    names = [n for c in chosen for n, _ in c]
    assert len(names) == len(set(names))
    for gap, c in zip(gaps, chosen):
        assert sum(s for _, s in c) <= gap
    assert chosen[3] == []
    # Plenty of small items: the three large gaps are filled to the byte.
    assert [sum(s for _, s in c) for c in chosen[:3]] == [120, 100, 124]


def build(tmp_path, fill=None):
    """Link a stand-in for Tern with the real tern.lds.S: 16 vector slots of Tern's sizes in
    their sections and FUNCS in theirs, two links as the Makefile does (or one with the
    fragment @fill). Returns (ld's result, {symbol: address}, the fragment's text)."""
    asm = ["\t.section .head.text, \"ax\"", "\t.globl _start", "_start:"]
    asm += ["\tbl %s" % f for f in FUNCS] + ["\tb el2_vectors", "\tret"]
    for n, insns in enumerate(SLOT_INSNS):
        asm.append("\t.section .text.el2_vectors.%d, \"ax\"" % n)
        asm.append("\t.balign %d" % (2048 if n == 0 else 128))
        label = "el2_vectors" if n == 0 else "el2_vector_%d" % n
        asm += ["\t.globl %s" % label, "%s:" % label] + ["\tnop"] * insns
    for name, insns in list(FUNCS.items()) + [("unused", 3)]:
        asm += ["\t.section .text.%s, \"ax\"" % name, "\t.balign 4", "%s:" % name]
        asm += ["\tnop"] * (insns - 1) + ["\tret"]
    src = tmp_path / "t.S"
    src.write_text("\n".join(asm) + "\n")
    obj = tmp_path / "t.o"
    subprocess.run([CC, "-fpie", "-c", "-o", str(obj), str(src)], check=True)
    frag = tmp_path / "vector_fill.lds"
    lds = tmp_path / "tern.lds"
    subprocess.run([CC, "-E", "-P", "-x", "assembler-with-cpp", "-D__ASSEMBLY__",
                    "-DVECTOR_FILL=\"%s\"" % frag, "-o", str(lds), LDS], check=True)
    ld = [LD, "-pie", "--no-dynamic-linker", "-z", "norelro", "-z", "noexecstack",
          "--gc-sections", "-T", str(lds)]
    elf = tmp_path / "t.elf"
    if fill is None:
        subprocess.run(["/usr/bin/python3", SCRIPT, "--empty", str(frag)], check=True)
        subprocess.run(ld + ["-Map=%s" % (tmp_path / "pre.map"), "-o", str(elf), str(obj)],
                       check=True)
        subprocess.run(["/usr/bin/python3", SCRIPT, "--map", str(tmp_path / "pre.map"),
                        "--vectors", str(obj), "--base", str(tmp_path), str(frag), str(obj)],
                       check=True)
    else:
        frag.write_text(fill)
    r = subprocess.run(ld + ["-o", str(elf), str(obj)], capture_output=True, text=True)
    syms = {}
    if r.returncode == 0:
        out = subprocess.run(["aarch64-linux-gnu-nm", str(elf)], capture_output=True,
                             text=True, check=True).stdout
        for line in out.splitlines():
            addr, _, name = line.split()
            syms[name] = int(addr, 16)
    return r, syms, frag.read_text()


def test_slots_filled_and_in_place(tmp_path):
    r, syms, frag = build(tmp_path)
    assert r.returncode == 0, r.stderr
    base = syms["el2_vectors"]
    assert base % 2048 == 0
    for n in range(1, 16):
        assert syms["el2_vector_%d" % n] == base + 128 * n
    # Every placed function lies wholly inside the spare room of one slot.
    placed = re.findall(r"\(\.text\.(\w+)\)", frag)
    assert placed and "unused" not in placed, "only functions the link keeps"
    spare = 0
    for n, insns in enumerate(SLOT_INSNS[:-1]):
        start, end = base + 128 * n + 4 * insns, base + 128 * (n + 1)
        spare += end - start
    inside = 0
    for f in placed:
        a = syms[f]
        n = (a - base) // 128
        assert base + 128 * n + 4 * SLOT_INSNS[n] <= a
        assert a + 4 * FUNCS[f] <= base + 128 * (n + 1)
        inside += 4 * FUNCS[f]
    # Enough functions of every size: the 1,748 spare bytes are filled to the byte.
    assert spare == 1748
    assert inside == spare


def test_fill_too_big_fails_the_link(tmp_path):
    slots = ["KEEP(*(.text.el2_vectors.%d))" % n for n in range(16)]
    # f63 is 240 bytes: after slot 2 it pushes slot 3 to the next 128 bytes.
    slots.insert(3, "*/t.o(.text.f63)")
    r, _, _ = build(tmp_path, "\n".join(slots) + "\n")
    assert r.returncode != 0
    assert "vector slot 3 moved" in r.stderr
