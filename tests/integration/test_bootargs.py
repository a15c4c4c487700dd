# SPDX-License-Identifier: GPL-2.0-only
"""Tern's own boot options (/chosen/bootargs)."""

import re

import pytest

pytestmark = pytest.mark.bootargs

# Info lines of a normal boot (see test_boot.py) that loglevel=3 must suppress.
INFO_RE = r"^\[c\d+\] (platform|mm|psci|gicv3|timer|smp|vm\d+): |powering off"


def test_unknown_option_warns(tern):
    t = tern("defconfig", append="bogus=1")
    with t.allow("warning"):
        m = t.expect(r"\[c0\] warning: ([^\r\n]*)\r*\n")
    assert "bogus" in m.group(1), "the warning names the unknown option"
    # run-qemu's exit token is in Tern's bootargs too, never shown before the status line.
    t.expect(r'platform: bootargs "bogus=1 tern.exit_token=\*\*\*"')
    t.expect(r"\[c0\] boot: [^\n]*powering off")
    assert t.wait_exit() == 0
    assert len(re.findall(r"\] warning: ", t.log)) == 1


def test_loglevel_suppresses_info(tern):
    t = tern("defconfig", append="loglevel=3", start=False)
    t.start(banner=False)
    assert t.wait_exit() == 0, "boot still reaches PSCI SYSTEM_OFF"
    assert not re.search(INFO_RE, t.log, re.M), "info lines printed despite loglevel=3"
    assert len(re.findall(r"an AArch64 hypervisor", t.log)) <= 1


def test_default_loglevel_prints_info(tern):
    """The counterpart of the test above: without loglevel= the info lines are there."""
    t = tern("defconfig")
    t.expect(r"\[c0\] boot: [^\n]*powering off")
    assert t.wait_exit() == 0
    assert re.search(INFO_RE, t.log, re.M)
