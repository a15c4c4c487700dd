# SPDX-License-Identifier: GPL-2.0-only
"""Out-of-tree builds (O=...) and their generated configuration header."""

import os
import re

import pytest

import tern as tern_lib

pytestmark = pytest.mark.build


def autoconf(build):
    with open(build.path("include", "generated", "autoconf.h")) as f:
        return dict(re.findall(r"^#define (CONFIG_\w+) (.*)$", f.read(), re.M))


@pytest.mark.parametrize("config,multi", [("up", False), ("defconfig", True), ("smp", True)])
def test_autoconf_multi_pcpu(build, config, multi):
    defs = autoconf(build(config))
    assert "CONFIG_BOARD_QEMU_VIRT" in defs
    assert ("CONFIG_MULTI_PCPU" in defs) == multi
    if multi:
        assert defs["CONFIG_MULTI_PCPU"] == "1"
        assert defs["CONFIG_NR_PCPUS"] == "4"


@pytest.mark.parametrize("config", ["defconfig", "smp"])
def test_out_of_tree(build, config):
    b = build(config)
    assert os.path.dirname(b.dir) == os.path.join(tern_lib.build_root(), "itest")
    with open(b.image, "rb") as f:
        head = f.read(64)
    assert head[56:60] == b"ARM\x64", "tern.bin is an arm64 Image"
    with open(b.elf, "rb") as f:
        assert f.read(4) == b"\x7fELF"
    # Nothing generated lands in the source tree.
    src = tern_lib.SRCTREE
    assert not os.path.exists(os.path.join(src, "include", "generated"))
    if os.path.realpath(b.dir) != os.path.realpath(src):
        for top in ("arch", "core", "drivers", "virt"):
            for dirpath, _, files in os.walk(os.path.join(src, top)):
                objs = [f for f in files if f.endswith((".o", ".d", ".cmd"))]
                assert not objs, f"build output in the source tree: {dirpath}: {objs}"
