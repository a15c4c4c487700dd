#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""Give an object's string literals the alignment of a byte, as -Os does.

GCC for AArch64 aligns every string literal to 8 bytes unless it optimizes for size
(aarch64_constant_alignment), so that an inline copy of one may use doubleword loads. Tern's
-O2 objects never copy a literal that way (-fno-builtin; the compiler's loads of a literal
would be relocated with a scaled LDST*_LO12 type or load through the address just formed): the
alignment only pads each message of their error paths, about 0.8 KiB of zeros in all. This sets
the alignment of the object's mergeable string sections (.rodata*.str1.N, N > 1) to 1, after
checking that every relocation against them only forms an address and that no load or store
wider than a byte follows through the register that address went into (before the register is
written again); either finding fails the build instead.

Usage: align-strings.py OBJECT
"""
import re
import subprocess
import sys

READELF = "aarch64-linux-gnu-readelf"
OBJCOPY = "aarch64-linux-gnu-objcopy"
# Relocations that form an address (or store one): they do not care how the target is aligned.
ADDRESS_ONLY = {
    "R_AARCH64_ADR_PREL_PG_HI21", "R_AARCH64_ADR_PREL_PG_HI21_NC", "R_AARCH64_ADD_ABS_LO12_NC",
    "R_AARCH64_ADR_PREL_LO21", "R_AARCH64_ABS64", "R_AARCH64_ABS32", "R_AARCH64_PREL64",
    "R_AARCH64_PREL32",
}


def string_sections(obj):
    """Names of @obj's mergeable string sections aligned to more than a byte."""
    out = subprocess.run([READELF, "-SW", obj], capture_output=True, text=True, check=True).stdout
    names = []
    for line in out.splitlines():
        m = re.match(r"\s*\[\s*\d+\]\s+(\S+)\s+PROGBITS\s.*\s(\w*MS\w*)\s+\d+\s+\d+\s+(\d+)$", line)
        if m and re.search(r"\.str1\.\d+$", m.group(1)) and int(m.group(3)) > 1:
            names.append(m.group(1))
    return names


def bad_relocations(obj, sections):
    """Relocations against @sections that need their alignment (not address-forming)."""
    out = subprocess.run([READELF, "-rW", obj], capture_output=True, text=True, check=True).stdout
    bad = []
    for line in out.splitlines():
        parts = line.split()
        if len(parts) >= 5 and parts[2].startswith("R_AARCH64_") and parts[4] in sections \
                and parts[2] not in ADDRESS_ONLY:
            bad.append(line.strip())
    return bad


def wide_accesses(obj, sections):
    """Loads/stores wider than a byte through a register just given a string section's address."""
    out = subprocess.run(["aarch64-linux-gnu-objdump", "-dr", "--no-show-raw-insn", obj],
                         capture_output=True, text=True, check=True).stdout
    lines = out.splitlines()
    found = []
    for i, line in enumerate(lines):
        m = re.search(r"R_AARCH64_ADD_ABS_LO12_NC\s+(\S+?)(\+0x[0-9a-f]+)?$", line.strip())
        if not m or m.group(1) not in sections:
            continue
        # The instruction the relocation applies to: "add xD, xN, #0x0" on the line before.
        add = re.search(r"\badd\s+(x\d+),", lines[i - 1]) if i else None
        if not add:
            found.append(lines[i - 1].strip() if i else line.strip())
            continue
        reg = add.group(1)
        for nxt in lines[i + 1:i + 17]:
            insn = nxt.split("\t", 1)[-1].strip() if "\t" in nxt else ""
            if not insn or nxt.strip().endswith(">:"):
                break
            op = insn.split()[0]
            # A call clobbers the register; after a return or jump the code is another path's.
            if op in ("bl", "blr", "ret", "b", "br"):
                break
            if re.search(rf"\[{reg}\b", insn) and re.match(r"(ld|st)", op) and \
                    op not in ("ldrb", "strb", "ldrsb", "ldurb", "sturb", "ldursb"):
                found.append(f"{lines[i - 1].strip()} ... {nxt.strip()}")
                break
            ops = insn.split(None, 1)[1] if " " in insn else ""
            if ops.startswith(reg + ",") or ops.split(",")[0].strip() == reg.replace("x", "w"):
                break
    return found


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    obj = sys.argv[1]
    sections = string_sections(obj)
    if not sections:
        return
    bad = bad_relocations(obj, set(sections)) + wide_accesses(obj, set(sections))
    if bad:
        sys.exit(f"align-strings: {obj}: code relies on the alignment of a string literal:\n  "
                 + "\n  ".join(bad))
    args = []
    for s in sections:
        args += ["--set-section-alignment", f"{s}=1"]
    subprocess.run([OBJCOPY, *args, obj], check=True)


if __name__ == "__main__":
    main()
