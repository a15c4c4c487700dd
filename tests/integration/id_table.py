# SPDX-License-Identifier: GPL-2.0-only
"""The ID-register tables of docs/guests.md ("ID registers"), parsed, and what they predict.

Used by tests/integration/test_idregs.py (a guest reads what the tables say, given the
hardware's values) and tests/scripts/test_id_table.py (the tables and arch/arm64/sysreg_id.c
say the same).
"""

import os
import re

SRCTREE = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DOC = os.path.join(SRCTREE, "docs", "guests.md")

# Tern's stage 2 gives guests at most 40 IPA bits: PARange code 2.
IPA_PARANGE_MAX = 2


class Field:
    def __init__(self, reg, name, lo, guest, hardware=None, why=""):
        self.reg, self.name, self.lo = reg, name, lo
        self.guest, self.hardware, self.why = guest, hardware, why

    def __repr__(self):
        return f"{self.reg}.{self.name}[{self.lo + 3}:{self.lo}] guest={self.guest}"


def _section(text):
    m = re.search(r"^## ID registers\n(.*?)(?=^## )", text, re.M | re.S)
    if not m:
        raise AssertionError(f"{DOC}: no '## ID registers' section")
    return m.group(1)


def _table_rows(section, header):
    """Rows (lists of cells) of the table whose header line starts with @header."""
    lines = section.splitlines()
    for i, line in enumerate(lines):
        if line.startswith(header):
            rows = []
            for row in lines[i + 2:]:
                if not row.startswith("|"):
                    break
                rows.append([c.strip() for c in row.strip().strip("|").split("|")])
            return rows
    raise AssertionError(f"{DOC}: no table starting '{header}'")


def _bits(text):
    m = re.fullmatch(r"(\d+):(\d+)", text)
    if not m or int(m.group(1)) != int(m.group(2)) + 3 or int(m.group(2)) % 4:
        raise AssertionError(f"{DOC}: bad bit range '{text}'")
    return int(m.group(2))


def parse(path=DOC):
    """Returns (changed, passed): lists of Field; passed fields have guest 'hw'."""
    with open(path) as f:
        sec = _section(f.read())
    changed = [Field(r[0], r[1], _bits(r[2]), r[4], r[3], r[5])
               for r in _table_rows(sec, "| register | field | bits | hardware | guest | why |")]
    passed = []
    for reg, fields in _table_rows(sec, "| register | fields |"):
        for item in fields.split(","):
            name, bits = item.split()
            passed.append(Field(reg, name, _bits(bits), "hw"))
    return changed, passed


def field_rules(path=DOC):
    """{register: {lo: Field}} over both tables; a field listed twice is an error."""
    changed, passed = parse(path)
    regs = {}
    for f in changed + passed:
        fields = regs.setdefault(f.reg, {})
        if f.lo in fields:
            raise AssertionError(f"{DOC}: {f} and {fields[f.lo]} overlap")
        fields[f.lo] = f
    return regs


def field_value(rule, hw, has_vgic=True):
    """What the guest reads in a field with rule @rule when the hardware has @hw."""
    if rule == "hw":
        return hw
    if rule == "ipa":
        return min(hw, IPA_PARANGE_MAX)
    if rule == "vgic":
        return 1 if has_vgic else 0
    if rule == "pmu":
        # PMUv3p1 (4) or later: guests get the hardware's PMU (vpmu.c), else none.
        return hw if 4 <= hw < 0xF else 0
    m = re.fullmatch(r"min\(hw, (\w+)\)", rule)
    if m:
        return min(hw, int(m.group(1), 0))
    if re.fullmatch(r"0x[0-9a-f]+|\d+", rule):
        return int(rule, 0)
    raise AssertionError(f"{DOC}: unknown guest rule '{rule}'")


def register_value(rules, hw, has_vgic=True):
    """A register with field table @rules ({lo: Field}); unlisted fields read as 0."""
    v = 0
    for lo in range(0, 64, 4):
        f = rules.get(lo)
        if f:
            v |= field_value(f.guest, (hw >> lo) & 0xF, has_vgic) << lo
    return v
