# SPDX-License-Identifier: GPL-2.0-only
"""scripts/align-strings.py: an -O2 object's string literals get the alignment of a byte, unless
code loads through one of them with a wider access (then the build fails)."""

import os
import re
import shutil
import subprocess

import pytest

SRCTREE = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCRIPT = os.path.join(SRCTREE, "scripts", "align-strings.py")
CC = "aarch64-linux-gnu-gcc"

pytestmark = pytest.mark.skipif(shutil.which(CC) is None, reason="no aarch64 cross compiler")


def compile_c(tmp_path, code, opt="-O2"):
    src = tmp_path / "t.c"
    src.write_text(code)
    obj = tmp_path / "t.o"
    subprocess.run([CC, opt, "-fpie", "-mstrict-align", "-fno-builtin", "-ffunction-sections",
                    "-fdata-sections", "-c", "-o", str(obj), str(src)], check=True)
    return str(obj)


def string_alignments(obj):
    out = subprocess.run(["aarch64-linux-gnu-readelf", "-SW", obj], capture_output=True,
                         text=True, check=True).stdout
    return {m.group(1): int(m.group(2)) for m in
            re.finditer(r"\]\s+(\S+\.str1\.\d+)\s.*\s(\d+)$", out, re.M)}


def run(obj):
    return subprocess.run(["/usr/bin/python3", SCRIPT, obj], capture_output=True, text=True)


MESSAGES = """
void log_it(const char *s);
void a(int x);
void a(int x) { if (x) log_it("first message, long enough"); else log_it("second one"); }
"""


def test_messages_aligned_to_a_byte(tmp_path):
    obj = compile_c(tmp_path, MESSAGES)
    assert set(string_alignments(obj).values()) == {8}, "GCC's -O2 alignment (the premise)"
    r = run(obj)
    assert r.returncode == 0, r.stderr
    assert set(string_alignments(obj).values()) == {1}


def test_wide_load_through_a_literal_fails(tmp_path):
    obj = compile_c(tmp_path, "unsigned long f(void);\n"
                    "unsigned long f(void) { return *(volatile const unsigned long *)"
                    "\"abcdefghijklmnop\"; }\n")
    r = run(obj)
    assert r.returncode == 1
    assert "relies on the alignment of a string literal" in r.stderr
    assert set(string_alignments(obj).values()) == {8}, "left as it was"


def test_byte_loads_are_fine(tmp_path):
    obj = compile_c(tmp_path, "char f(int i);\nchar f(int i) { return \"abcdefgh\"[i]; }\n")
    assert run(obj).returncode == 0
    assert set(string_alignments(obj).values()) <= {1}


def test_size_optimized_object_untouched(tmp_path):
    obj = compile_c(tmp_path, MESSAGES, opt="-Os")
    before = open(obj, "rb").read()
    assert set(string_alignments(obj).values()) == {1}
    assert run(obj).returncode == 0
    assert open(obj, "rb").read() == before
