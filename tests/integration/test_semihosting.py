# SPDX-License-Identifier: GPL-2.0-only
"""No path from a guest to the host (issue 11): semihosting calls from a guest never run.

QEMU serves Arm semihosting (HLT #0xF000) to EL1 as well as EL2 whenever it runs with
-semihosting, so a guest could read and write host files and run host commands. The guest
tests/guests/semihost.c tries exactly that against files this test plants; the files are
checked from outside afterwards, under the test launcher (tern.Tern) and under `make run`.
"""

import os
import re
import secrets
import subprocess

import pytest

import tern as tern_lib
from test_guests import CONFIG, build_guests

pytestmark = pytest.mark.security

SEMIHOST_TESTS = 10


class Canary:
    """Host files a served semihosting call would read, change, delete or create."""

    def __init__(self, tmp_path):
        self.secret = secrets.token_hex(16)
        self.canary = tmp_path / "canary.txt"
        self.canary.write_text(f"CANARY-{self.secret}\n")
        self.removed = tmp_path / "remove-me.txt"
        self.removed.write_text("must survive\n")
        self.marker = tmp_path / "marker.txt"
        self.before = self.canary.stat()

    def bootargs(self):
        return f"canary={self.canary} remove={self.removed} marker={self.marker}"

    def check(self, log):
        problems = []
        if self.canary.read_text() != f"CANARY-{self.secret}\n":
            problems.append("the canary file was changed")
        if self.canary.stat().st_mtime_ns != self.before.st_mtime_ns:
            problems.append("the canary file was written")
        if not self.removed.exists():
            problems.append("the file for SYS_REMOVE was deleted")
        if self.marker.exists():
            problems.append("SYS_SYSTEM ran a host command (marker file created)")
        if self.secret in log:
            problems.append("the canary's secret reached the console")
        if "SEMIHOST-WRITE0-REACHED" in log:
            problems.append("SYS_WRITE0 printed on the host terminal")
        return problems


def check_guest_log(log):
    problems = []
    fails = [ln for ln in log.splitlines() if "FAIL:" in ln]
    if fails:
        problems.append("FAIL lines: " + "; ".join(fails))
    if not re.search(rf"SUMMARY: {SEMIHOST_TESTS} tests, 0 failures", log):
        problems.append(f"no 'SUMMARY: {SEMIHOST_TESTS} tests, 0 failures'")
    return problems


@pytest.fixture(scope="module")
def guests(build):
    return build_guests(build, CONFIG)


def test_semihosting_test_launcher(tern, guests, tmp_path):
    c = Canary(tmp_path)
    t = tern(guests.config, start=False, smp=1, mem="512M")
    t.cmd += ["--vm0-kernel", guests.path("guests", "semihost.bin"),
              "--vm0-bootargs", c.bootargs()]
    t.start()
    status = t.wait_exit()
    problems = c.check(t.log) + check_guest_log(t.log)
    if status != 0:
        problems.append(f"run-qemu exit status {status}")
    assert not problems, "\n".join(problems) + "\n" + t.log


def test_semihosting_make_run(guests, tmp_path):
    """The same guest under `make run`'s launcher (the command line a user types)."""
    c = Canary(tmp_path)
    cmd = ["make", "-C", tern_lib.SRCTREE, "run", f"O={guests.dir}",
           f"VM0_KERNEL={guests.path('guests', 'semihost.bin')}",
           f"VM0_BOOTARGS={c.bootargs()}", "SMP=1", "MEM=512M"]
    env = {k: v for k, v in os.environ.items() if not re.match(r"VM\d_|MAKEFLAGS$|MFLAGS$", k)}
    r = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True, env=env,
                       timeout=tern_lib.BUILD_TIMEOUT + tern_lib.RUN_TIMEOUT)
    out = r.stdout.replace("\r", "")
    problems = c.check(out) + check_guest_log(out)
    if r.returncode != 0:
        problems.append(f"make run exit status {r.returncode}")
    assert not problems, "\n".join(problems) + f"\n$ {' '.join(cmd)}\n{out}"


def test_run_qemu_refuses_semihosting(guests):
    r = subprocess.run([tern_lib.RUN_QEMU, "--image", guests.image, "--qemu-extra",
                        "-semihosting-config enable=on,target=native", "--dry-run"],
                       stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60)
    assert r.returncode != 0 and "semihosting is refused" in r.stderr


def test_exit_status_not_forgeable(tern, guests):
    """A guest prints Tern's last line with a made-up token, then waits: QEMU is quit by hand
    (Ctrl-A x) and run-qemu reports no status (3), not the guest's 7."""
    t = tern(guests.config, start=False, smp=1, mem="512M")
    t.cmd += ["--vm0-kernel", guests.path("guests", "semihost.bin"), "--vm0-bootargs",
              "forge=7"]
    t.start()
    t.expect(r"\[c0\] exit: status 7 token 0123456789abcdef")
    t.send("\x01x")  # Ctrl-A x: QEMU quits
    assert t.wait_exit() == tern_lib.NO_STATUS
    assert "Tern reported no exit status" in t.log
