# SPDX-License-Identifier: GPL-2.0-only
"""make debug: QEMU waits for gdb before Tern's first instruction and gdb-multiarch attaches with
Tern's symbols at the address the image runs at (Tern is position-independent and relocates
itself; its EL2 map is the identity). Scripted in gdb's batch mode: a breakpoint on the entry
symbol is hit at the first instruction of the image, the run continues to setup_main (after the
relocations and with the MMU on) with its argument readable, and the machine is killed."""

import os
import re
import socket
import subprocess

import tern as tern_lib

TIMEOUT = tern_lib.BUILD_TIMEOUT


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_make_debug_breaks_at_entry(build):
    b = build("defconfig")
    gdb = ["-batch", "-ex", "break _start", "-ex", "continue", "-ex", "info registers pc",
           "-ex", "break setup_main", "-ex", "continue", "-ex", "print/x dtb", "-ex", "kill"]
    port = free_port()
    cmd = ["make", "-C", tern_lib.SRCTREE, f"O={b.dir}", "debug", f"GDB_PORT={port}",
           "GDB_ARGS=" + " ".join(f"'{a}'" for a in gdb)]
    env = {k: v for k, v in os.environ.items()
           if not re.match(r"VM\d+_(KERNEL|INITRD|BOOTARGS|DISK)$", k)}
    r = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                       timeout=TIMEOUT, env=env)
    out = r.stdout + r.stderr
    assert r.returncode == 0, f"$ {' '.join(cmd)}\n{out}"
    load = re.search(r"with all sections offset by (0x[0-9a-f]+)", out)
    assert load, f"gdb did not load tern.elf at an offset:\n{out}"
    # The entry: the first instruction of the image, where QEMU's boot stub jumps.
    m = re.search(r"hit Breakpoint 1, (_start|_text) \(\) at \S*head\.S", out)
    assert m, f"no stop at Tern's entry symbol:\n{out}"
    pc = re.search(r"^pc\s+(0x[0-9a-f]+)", out, re.M)
    assert pc and int(pc.group(1), 16) == int(load.group(1), 16), \
        f"stopped at {pc and pc.group(1)}, the image is at {load.group(1)}:\n{out}"
    # Continued: setup_main with the DTB QEMU passed in x0.
    assert re.search(r"hit Breakpoint 2, setup_main \(dtb=0x[0-9a-f]+\)", out), out
    assert re.search(r"^\$1 = 0x[0-9a-f]+$", out, re.M), out
    assert "[Inferior 1 (process 1) killed]" in out, out
    # gdb's exit stopped QEMU: nothing is left listening.
    with socket.socket() as s:
        assert s.connect_ex(("127.0.0.1", port)) != 0
