# SPDX-License-Identifier: GPL-2.0-only
"""Deliberate crashes (DEBUG_PANIC_HOOK, tern.test=...): the dump, then QEMU exits 1."""

import re
import struct
import subprocess

import pytest

pytestmark = pytest.mark.crash

# What each crash must be reported as.
CRASHES = {
    # A write to Tern's own text: W^X gives a permission fault at the load address.
    "panic": [r"\*\*\* Tern exception dump: synchronous exception at EL2 on pCPU 0 \*\*\*",
              r"ESR_EL2 0x[0-9a-f]{16}: EC 0x25 \(Data abort at EL2\)",
              r"  permission fault, level \d, write"],
    "overflow": [r"\*\*\* Tern exception dump: EL2 stack overflow on pCPU 0 \*\*\*",
                 r"ESR_EL2 0x[0-9a-f]{16}: EC 0x25 \(Data abort at EL2\)",
                 r"  \w+ fault, level \d, write"],
    # BUG() reports, then traps (BRK): the exception dump shows the registers at the call site.
    "bug": [r"\*\*\* Tern PANIC on pCPU 0: BUG at \S+\.c:\d+ \*\*\*",
            r"ESR_EL2 0x[0-9a-f]{16}: EC 0x3c \(BRK instruction\)"],
}
EXCEPTION = {"panic", "overflow"}
# Dump lines are errors, the hook announces itself with a warning.
RELAXED = ("panic", "exception", "error", "warning")

FRAME_RE = r"#(\d+)\s+(0x[0-9a-f]+)\s+tern\.elf\+(0x[0-9a-f]+)"


def exec_segments(elf):
    """(vaddr, memsz) of the executable PT_LOAD segments of a little-endian ELF64."""
    with open(elf, "rb") as f:
        data = f.read()
    assert data[:4] == b"\x7fELF" and data[4] == 2 and data[5] == 1
    phoff, = struct.unpack_from("<Q", data, 0x20)
    phentsize, phnum = struct.unpack_from("<HH", data, 0x36)
    segs = []
    for i in range(phnum):
        p_type, p_flags, _, p_vaddr, _, _, p_memsz, _ = struct.unpack_from(
            "<IIQQQQQQ", data, phoff + i * phentsize)
        if p_type == 1 and p_flags & 1:
            segs.append((p_vaddr, p_memsz))
    return segs


def crash(tern, kind):
    """Boot the debug build with tern.test=kind up to the dump; return (console, load)."""
    t = tern("debug", append=f"tern.test={kind}", allow=RELAXED)
    load = int(t.expect(r"\[c0\] boot: pCPU 0 [^\n]*, loaded at (0x[0-9a-f]+),").group(1), 16)
    # Boot is clean up to the hook.
    hook = rf"[c0] warning: debug: tern.test={kind}: crashing on purpose"
    t.expect_line(hook)
    assert not re.search(r"\] (error|warning): ", t.log[:t.log.index(hook)])
    return t, load


@pytest.mark.parametrize("kind", list(CRASHES))
def test_crash_dump(tern, kind):
    t, load = crash(tern, kind)
    for pattern in CRASHES[kind]:
        t.expect(pattern)
    if kind in EXCEPTION:
        far = int(t.expect(r"FAR_EL2 (0x[0-9a-f]{16})").group(1), 16)
        elr = int(t.expect(r"ELR_EL2 (0x[0-9a-f]{16})").group(1), 16)
        if kind == "panic":
            assert far == load, "the write to _text faults at the load address"
    t.expect(r"\] error: Backtrace:")
    status = t.wait_exit()
    assert status == 1, f"run-qemu exit status {status}, want 1 (Tern's status line on panic)"
    assert re.search(r"\[c\d+\] exit: status 1 token [0-9a-f]{32}\r?\n", t.log)

    frames = re.findall(FRAME_RE, t.log)
    assert frames, "a backtrace with at least one tern.elf+0x frame"
    segs = exec_segments(t.build.elf)
    for n, (idx, addr, off) in enumerate(frames):
        assert int(idx) == n
        addr, off = int(addr, 16), int(off, 16)
        assert addr - load == off, f"frame #{n}: {addr:#x} - load {load:#x} != {off:#x}"
        assert any(v <= off < v + sz for v, sz in segs), f"frame #{n} not in tern.elf text"
    if kind in EXCEPTION:
        assert int(frames[0][1], 16) == elr, "frame #0 is the faulting ELR"
        assert "*** end of dump: halting ***" in t.log


@pytest.mark.parametrize("kind", list(CRASHES))
def test_crash_registers(tern, kind):
    t, _ = crash(tern, kind)
    t.expect(CRASHES[kind][0])
    t.expect(r"\] error: Backtrace:")
    assert t.wait_exit() == 1
    dump = t.log[t.log.index("crashing on purpose"):t.log.index("Backtrace:")]
    missing = [reg for reg in [f"x{i}" for i in range(31)] + ["sp"]
               if not re.search(rf"\b{reg}\s+0x[0-9a-f]{{16}}\b", dump)]
    assert not missing, f"registers missing from the dump: {missing}"


def test_stack_protector(tern):
    """tern.test=canary writes past a local array over the stack protector's guard copy: the
    function's own check before it returns (the guard read from its pCPU's data through
    TPIDR_EL2) must catch it and panic, naming a place inside that function."""
    t, load = crash(tern, "canary")
    at = int(t.expect(r"\*\*\* Tern PANIC on pCPU 0: stack protector: stack corrupted in the "
                      r"function returning to (0x[0-9a-f]+) \*\*\*").group(1), 16)
    t.expect(r"\] error: Backtrace:")
    assert t.wait_exit() == 1
    syms = subprocess.run(["aarch64-linux-gnu-nm", "-S", t.build.elf], capture_output=True,
                          text=True, check=True).stdout
    start, size = next((int(a, 16), int(n, 16)) for a, n, _, name in
                       (line.split() for line in syms.splitlines() if len(line.split()) == 4)
                       if name == "debug_smash")
    assert start <= at - load < start + size, \
        f"the panic names {at - load:#x}, not inside debug_smash ({start:#x}+{size:#x})"
