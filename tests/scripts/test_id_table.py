# SPDX-License-Identifier: GPL-2.0-only
"""The ID-register table of arch/arm64/sysreg_id.c and the one in docs/guests.md agree, row by row."""

import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "integration"))
import id_table  # noqa: E402

SRC = os.path.join(id_table.SRCTREE, "arch", "arm64", "sysreg_id.c")
VCPU_ARCH_H = os.path.join(id_table.SRCTREE, "include", "asm", "vcpu_arch.h")


def c_rows():
    """(register, field, shift, rule, value) of every ID_FIELD() row, values evaluated."""
    with open(VCPU_ARCH_H) as f:
        nr_dbg = int(re.search(r"#define VCPU_NR_DBG (\d+)", f.read()).group(1))
    with open(SRC) as f:
        text = f.read()
    table = re.search(r"id_fields\[\] = \{(.*?)\n\};", text, re.S).group(1)
    rows = []
    for m in re.finditer(r"ID_FIELD\((\w+), (\w+), (\d+), (\w+), ([^)]+)\)", table):
        reg, name, shift, rule, val = m.groups()
        val = eval(val.replace("VCPU_NR_DBG", str(nr_dbg)), {})  # noqa: S307 (our own table)
        rows.append(("ID_" + reg + "_EL1" if reg != "REVIDR" else "REVIDR_EL1", name,
                     int(shift), rule, val))
    assert len(rows) == table.count("ID_FIELD("), "an ID_FIELD row the test cannot read"
    return rows


def doc_rule(rule, val):
    """The guest-column text docs/guests.md uses for a C rule."""
    return {"HOST": "hw", "SET": f"{val:#x}" if val > 9 else str(val), "MAX": f"min(hw, {val})",
            "IPA": "ipa", "VGIC": "vgic", "PMU": "pmu"}[rule]


def test_code_rows_are_documented():
    regs = id_table.field_rules()
    seen = set()
    for reg, name, shift, rule, val in c_rows():
        assert (reg, shift) not in seen, f"{reg} bits {shift + 3}:{shift} twice in {SRC}"
        seen.add((reg, shift))
        if rule == "WHOLE":
            assert reg == "REVIDR_EL1", f"{reg}: only REVIDR is passed whole"
            continue
        doc = regs.get(reg, {}).get(shift)
        assert doc is not None, f"{SRC}: {reg}.{name} has a rule, docs/guests.md no row"
        assert doc.name == name, f"{reg} bits {shift + 3}:{shift}: {name} in C, {doc.name} in doc"
        assert doc.guest == doc_rule(rule, val), \
            f"{reg}.{name}: C says {rule} {val}, docs/guests.md says '{doc.guest}'"


def test_documented_rows_are_coded():
    coded = {(reg, shift) for reg, _, shift, _, _ in c_rows()}
    for reg, fields in id_table.field_rules().items():
        for shift, f in fields.items():
            if f.guest == "0":
                assert (reg, shift) not in coded, f"{f}: hidden in the doc, a C row passes it"
            else:
                assert (reg, shift) in coded, f"{f}: in the doc, no C row (would read 0)"


def test_doc_rows_have_reasons():
    changed, _ = id_table.parse()
    for f in changed:
        assert len(f.why) > 5, f"{f}: no reason given"
