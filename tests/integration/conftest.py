# SPDX-License-Identifier: GPL-2.0-only
"""Fixtures for Tern's integration tests: per-session builds and QEMU consoles.

Run with `make integration-test`, or
    TERN_BUILD=/tmp/itest-build /usr/bin/python3 -m pytest -q tests/integration
Builds go to $TERN_BUILD/itest/<config> (once per session); each console log is kept in
$TERN_BUILD/itest/logs/<test>.log and shown in the report of a failing test.
"""

import os
import re

import pytest

import tern as tern_lib

CONFIGS = {
    "defconfig": "qemu_virt_defconfig",
    "smp": "qemu_virt_smp_defconfig",
    "debug": "qemu_virt_debug_defconfig",
    "8vm": "qemu_virt_8vm_defconfig",
}


@pytest.fixture(scope="session")
def builder():
    return tern_lib.Builder()


@pytest.fixture(scope="session")
def build(builder):
    """build("smp") or build("qemu_virt_smp_defconfig") -> tern.Build, cached per session."""
    def _build(config):
        return builder.build(CONFIGS.get(config, config))
    return _build


@pytest.fixture
def tern(request, build):
    """tern("smp", smp=4, mem="1G", append="", allow=()) -> a started tern.Tern console.

    Every console is stopped at teardown and its log attached to the test's report.
    """
    consoles = []
    request.node.tern_consoles = consoles

    def _tern(config, start=True, **kw):
        b = build(config)
        kw.setdefault("config", b.path(".config"))
        t = tern_lib.Tern(b.image, name=b.config, **kw)
        t.build = b
        consoles.append(t)
        return t.start() if start else t

    yield _tern
    for t in consoles:
        t.close()
    _save_logs(request.node, consoles)


def _save_logs(node, consoles):
    logdir = os.path.join(tern_lib.build_root(), "itest", "logs")
    os.makedirs(logdir, exist_ok=True)
    base = re.sub(r"[^\w.\-\[\]]+", "_", node.name)
    for i, t in enumerate(consoles):
        path = os.path.join(logdir, base + (f".{i}" if i else "") + ".log")
        with open(path, "w") as f:
            f.write(f"$ {' '.join(t.cmd)}\n{t.log}")
            if t.exitstatus is not None:
                f.write(f"[QEMU exit status {t.exitstatus}]\n")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Show the full console log of every QEMU run of a failing test."""
    outcome = yield
    rep = outcome.get_result()
    if rep.failed and rep.when in ("call", "setup"):
        for i, t in enumerate(getattr(item, "tern_consoles", [])):
            status = "" if t.exitstatus is None else f"\n[QEMU exit status {t.exitstatus}]"
            rep.sections.append((f"Tern console {i}: {' '.join(t.cmd)}",
                                 t.log + status))
