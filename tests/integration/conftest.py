# SPDX-License-Identifier: GPL-2.0-only
"""Fixtures for Tern's integration tests: per-session builds and QEMU consoles.

Run with `make integration-test`, or
    TERN_BUILD=/tmp/itest-build /usr/bin/python3 -m pytest -q tests/integration
Builds go to $TERN_BUILD/itest/<config> (once per session); each console log is kept in
$TERN_BUILD/itest/logs/<test>.log and shown in the report of a failing test.
The Linux test guest comes from scripts/fetch-guest.sh (fixture linux_guest, once per session).
"""

import os
import re

import pytest

import tern as tern_lib

CONFIGS = {
    "defconfig": "qemu_virt_defconfig",
    "smp": "qemu_virt_smp_defconfig",
    "up": "qemu_virt_up_defconfig",
    "debug": "qemu_virt_debug_defconfig",
    "8vm": "qemu_virt_8vm_defconfig",
}


def pytest_configure(config):
    config.addinivalue_line("markers", "linux: the Linux test guest of scripts/fetch-guest.sh")


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


@pytest.fixture(scope="session")
def linux_guest():
    """tern.LinuxGuest from scripts/fetch-guest.sh; a failed fetch fails the tests using it."""
    try:
        return tern_lib.fetch_guest()
    except AssertionError as e:
        why = str(e)
    pytest.fail(why, pytrace=False)


@pytest.fixture(scope="module")
def linux_shell(request, build, linux_guest):
    """One boot of the Linux guest as VM 0 of the default config (on as many pCPUs as
    the config uses, like `make run`), at its shell prompt, shared by a module's read-only
    checks (use shell(), leave the shell at its prompt).

    Tests that use it get its console log in their failure report.
    """
    b = build("defconfig")
    t = tern_lib.Tern(b.image, smp=b.pcpus(), mem="1G", config=b.path(".config"),
                      name=f"{b.config} + Linux", timeout=4 * tern_lib.RUN_TIMEOUT)
    t.build = b
    t.add_vm0_linux(linux_guest)
    try:
        t.start()
        t.linux_release = t.wait_linux()
        yield t
    finally:
        t.close()
        _save_logs(request.node, [t])


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
        consoles = list(getattr(item, "tern_consoles", []))
        # Consoles of wider-scoped fixtures (e.g. linux_shell) the test used.
        funcargs = getattr(item, "funcargs", {})
        consoles += [v for v in funcargs.values()
                     if isinstance(v, tern_lib.Tern) and v not in consoles]
        for i, t in enumerate(consoles):
            status = "" if t.exitstatus is None else f"\n[QEMU exit status {t.exitstatus}]"
            rep.sections.append((f"Tern console {i}: {' '.join(t.cmd)}",
                                 t.log + status))
