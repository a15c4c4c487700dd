# SPDX-License-Identifier: GPL-2.0-only
"""scripts/check-opt.py: the link-time check that hot-y objects keep -O2 and cold-y objects are
built for size, read back from the DWARF producer strings of a linked object."""

import os
import shutil
import subprocess

import pytest

SRCTREE = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CHECK = os.path.join(SRCTREE, "scripts", "check-opt.py")
CC = "aarch64-linux-gnu-gcc"
LD = "aarch64-linux-gnu-ld"

pytestmark = pytest.mark.skipif(shutil.which(CC) is None, reason="no aarch64 cross compiler")


def link(tmp_path, flags, debug=True):
    """One object linked from a C file per entry of @flags ({name: extra flags}); returns its
    path and the sources' paths by name."""
    objs, srcs = [], {}
    for name, extra in flags.items():
        src = tmp_path / f"{name}.c"
        src.write_text(f"int {name}(int x);\nint {name}(int x) {{ return x * 3 + 1; }}\n")
        obj = tmp_path / f"{name}.o"
        subprocess.run([CC, *(["-g"] if debug else []), "-O2", *extra, "-c", "-o", str(obj), str(src)], check=True)
        objs.append(str(obj))
        srcs[name] = str(src)
    out = tmp_path / "all.o"
    subprocess.run([LD, "-r", "-o", str(out), *objs], check=True)
    return str(out), srcs


def run(elf, hot, cold):
    return subprocess.run(["/usr/bin/python3", CHECK, elf, "--hot", *hot, "--cold", *cold],
                          capture_output=True, text=True)


def test_as_listed_passes(tmp_path):
    elf, s = link(tmp_path, {"hot": [], "cold": ["-Os"]})
    r = run(elf, [s["hot"]], [s["cold"]])
    assert r.returncode == 0, r.stderr


def test_hot_built_for_size_fails(tmp_path):
    elf, s = link(tmp_path, {"hot": ["-Os"], "cold": ["-Os"]})
    r = run(elf, [s["hot"]], [s["cold"]])
    assert r.returncode == 1
    assert "hot.c: on a hot path (hot-y) but built with -Os" in r.stderr


def test_hot_os_then_o2_passes(tmp_path):
    """The last -O flag is the one GCC uses."""
    elf, s = link(tmp_path, {"hot": ["-Os", "-O2"]})
    assert run(elf, [s["hot"]], []).returncode == 0


def test_cold_not_for_size_fails(tmp_path):
    elf, s = link(tmp_path, {"hot": [], "cold": []})
    r = run(elf, [s["hot"]], [s["cold"]])
    assert r.returncode == 1
    assert "cold.c: listed in cold-y but built with -O2" in r.stderr


def test_unit_without_linked_code_is_skipped(tmp_path):
    """ld drops the debug information of a unit none of whose code --gc-sections kept."""
    elf, s = link(tmp_path, {"hot": []})
    assert run(elf, [s["hot"], str(tmp_path / "gone.c")], []).returncode == 0


def test_no_debug_information_fails(tmp_path):
    elf, s = link(tmp_path, {"hot": ["-Os"]}, debug=False)
    r = run(elf, [s["hot"]], [])
    assert r.returncode == 1
    assert "no C compilation unit" in r.stderr
