# SPDX-License-Identifier: GPL-2.0-only
"""core/ is platform-neutral: no file in it names an interrupt controller, a UART or a board.

Those live behind interfaces (include/tern/irqchip.h, include/tern/console_drv.h, the vGIC's
list-register layer, the device list) and are matched to the boot device tree by compatible
string; a board is a folder under boards/. This test reads every file under core/ (sources,
Kconfig, Makefile) and fails on a name that says otherwise.
"""

import os
import re

SRCTREE = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CORE = os.path.join(SRCTREE, "core")

# Interrupt-controller and UART models and the boards Tern knows (boards/*), any spelling.
FORBIDDEN = re.compile(
    r"gic[-_ ]?v[234]|gic-?400|\bgic[dcrhv]_|\bich_|\bicc_|pl011|cdns|cadence|"
    r"qemu[-_ ]?virt|xlnx|zcu10\d|zynq", re.I)


def board_names():
    names = set()
    for d in os.listdir(os.path.join(SRCTREE, "boards")):
        if os.path.isdir(os.path.join(SRCTREE, "boards", d)):
            names |= {d, d.replace("-", "_")}
    return names


def core_files():
    for root, _, files in os.walk(CORE):
        for f in sorted(files):
            yield os.path.join(root, f)


def test_core_names_no_device_or_board():
    boards = board_names()
    assert boards, "no board folders found under boards/"
    hits = []
    for path in core_files():
        with open(path, encoding="utf-8", errors="replace") as f:
            for n, line in enumerate(f, 1):
                low = line.lower()
                if FORBIDDEN.search(line) or any(b in low for b in boards):
                    hits.append(f"{os.path.relpath(path, SRCTREE)}:{n}: {line.strip()}")
    assert not hits, "core/ names a device model or a board:\n  " + "\n  ".join(hits)


def test_pattern_catches_what_it_should():
    """The check itself: each of these lines must be caught."""
    for bad in ("#include <drivers/gicv3.h>", "rc = gicv3_init(&p->gic);", "pl011_console_init(b);",
                "\"arm,gic-v3\"", "GICv2 distributor", "write ICH_HCR_EL2", "board qemu-virt",
                "xlnx,zynqmp-uart", "cdns_uart_init()"):
        assert FORBIDDEN.search(bad) or any(b in bad.lower() for b in board_names()), bad
