# SPDX-License-Identifier: GPL-2.0-only
"""VM disks: the virtio-mmio transport and virtio-blk device (RAM disk backend) from a bare-metal
driver that follows the specification and from one that attacks it, and Debian's Linux with
its disk (/dev/vda mounted on /mnt by the initramfs).

Bare-metal programs (tests/guests/virtio.c, vblk_attack.c, cksum.c) run under
configs/qemu_virt_disk_tests_defconfig: two VMs with a virtio-blk disk each, on two pCPUs. Their
disks are made here: sector s holds bytes [512 s, 512 s + 512) of the pattern of
tests/guests/lib/virtio.c.
"""

import hashlib
import os
import re
import shutil
import struct
import subprocess

import pytest

import tern as tern_lib
from test_guests import SUMMARY_RE, GUESTS_SRC, BUILD_TIMEOUT

DISK_CONFIG = "qemu_virt_disk_tests_defconfig"
LINUX_TIMEOUT = 4 * tern_lib.RUN_TIMEOUT
PATTERN_K = 0x9E3779B97F4A7C15
PATTERN_C = 0x7E57D15C0FFEE000
MASK = (1 << 64) - 1
MOUNTED = "Tern guest: /dev/vda mounted on /mnt"
RESET_RE = r"\[c\d+\] vm0: reset requested by the guest"
IOERR_LOG = re.compile(r"\[c\d+\] vm0: virtio-blk \(virtio-mmio slot 0\): .*: request failed "
                       r"with IOERR \(logged once per VM\)")
RESET_LOG = re.compile(r"\[c\d+\] vm0: virtio-blk \(virtio-mmio slot 0\): .*: device needs "
                       r"reset \(logged once per VM\)")


def pattern_image(path, size):
    """The disk the bare-metal programs expect: word i is (8 i) * K ^ C."""
    words = size // 8
    data = bytearray(size)
    for i in range(words):
        struct.pack_into("<Q", data, 8 * i, ((8 * i * PATTERN_K) & MASK) ^ PATTERN_C)
    with open(path, "wb") as f:
        f.write(data)
    return path


@pytest.fixture(scope="session")
def disk_build(build):
    """Tern with the disk test configuration, and the guest programs in its build dir."""
    b = build(DISK_CONFIG)
    cmd = ["make", "-C", GUESTS_SRC, f"O={b.dir}"]
    r = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True, timeout=BUILD_TIMEOUT)
    if r.returncode != 0:
        raise AssertionError(f"guest build failed:\n$ {' '.join(cmd)}\n{r.stdout}")
    return b


def summary(t, vm, tests):
    """The VM's "SUMMARY: N tests, 0 failures" line, with N = @tests."""
    lines = [ln[len(f"[vm{vm}] "):] for ln in t.lines() if ln.startswith(f"[vm{vm}] ")]
    text = "\n".join(lines)
    fails = [ln for ln in lines if "FAIL:" in ln]
    found = SUMMARY_RE.findall(text)
    assert not fails, "FAIL lines:\n  " + "\n  ".join(fails)
    assert len(found) == 1, f"vm{vm}: want one SUMMARY line, got {found}"
    assert int(found[0][0]) == tests and int(found[0][1]) == 0, f"vm{vm}: {found[0]}"


def boot_guests(tern, disk_build, **vms):
    """VMs from keyword arguments vm0=(program, bootargs, disk, read_only)."""
    t = tern(DISK_CONFIG, start=False, smp=2, mem="1G")
    for key, (prog, bootargs, disk, ro) in vms.items():
        n = int(key[2:])
        t.cmd += [f"--vm{n}-kernel", disk_build.path("guests", prog + ".bin"),
                  f"--vm{n}-bootargs", bootargs]
        t.add_vm_disk(n, disk, read_only=ro)
    return t


@pytest.mark.parametrize("ro", [False, True], ids=["rw", "ro"])
def test_virtio_driver(tern, disk_build, tmp_path, ro):
    """tests/guests/virtio.c: the transport and the disk as a correct driver sees them."""
    disk = pattern_image(tmp_path / "disk.img", 4 << 20)
    before = disk.read_bytes()
    t = boot_guests(tern, disk_build,
                    vm0=("virtio", f"sectors={(4 << 20) // 512}" + (" ro=1" if ro else ""),
                         str(disk), ro)).start()
    t.expect(r"\[vm0\] SUMMARY: ", timeout=120)
    assert t.wait_exit() == 0
    summary(t, 0, 32 if ro else 33)
    assert re.search(r"vm0: virtio-blk at virtio-mmio slot 0: RAM disk, 4 MiB" +
                     (", read-only" if ro else r"\r?\n"), t.log)
    # A RAM disk is a copy in memory: the image file is never written.
    assert disk.read_bytes() == before


def test_vblk_attacks(tern, disk_build, tmp_path):
    """tests/guests/vblk_attack.c in VM 0 while VM 1 checksums its memory (and has a disk)."""
    disk0 = pattern_image(tmp_path / "disk0.img", 4 << 20)
    disk1 = pattern_image(tmp_path / "disk1.img", 4 << 20)
    t = boot_guests(tern, disk_build, vm0=("vblk_attack", "ram_mib=128", str(disk0), False),
                    vm1=("cksum", "secs=20", str(disk1), False)).start()
    for _ in range(2):
        t.expect(r"\[vm\d\] SUMMARY: ", timeout=300)
    assert t.wait_exit() == 0
    summary(t, 0, 61)
    summary(t, 1, 1)
    log = t.log
    # Each kind of guest error is logged, once.
    assert len(IOERR_LOG.findall(log)) == 1, "want one IOERR log line"
    assert len(RESET_LOG.findall(log)) == 1, "want one needs-reset log line"
    m = re.search(r"vm0: virtio-blk: .* (\d+) errors, .* (\d+) resets needed", log)
    assert m and int(m.group(1)) >= 20 and int(m.group(2)) >= 15, m and m.group(0)
    assert re.search(r"\[c\d+\] integrity: \d+ regions unchanged", log)


# -- Linux ----------------------------------------------------------------------------------

def boot_linux_disk(tern, build, linux_guest, disk, mode="ram", ro=False, bootargs=None):
    b = build("defconfig")
    t = tern("defconfig", start=False, smp=b.pcpus(), mem="1G", timeout=LINUX_TIMEOUT)
    t.name = f"{t.build.config} + Linux + {mode} disk"
    t.add_vm0_linux(linux_guest, bootargs=bootargs)
    t.add_vm_disk(0, disk, mode=mode, read_only=ro)
    t.start()
    t.expect_line(MOUNTED, timeout=LINUX_TIMEOUT)
    t.linux_release = t.wait_linux()
    return t


def shell_ok(t, cmd, timeout=60):
    status, out = t.shell(cmd, timeout)
    if status != 0:
        t.fail(f"guest command {cmd!r} exited with {status}:\n{out}")
    return out


# A pattern both sides can make: one 32-byte line, 2^21 times (64 MiB).
PATTERN_LINE = b"tern-disk-pattern-0123456789abc\n"
PATTERN_DOUBLINGS = 21
PATTERN_SIZE = len(PATTERN_LINE) << PATTERN_DOUBLINGS


def pattern_md5():
    return hashlib.md5(PATTERN_LINE * (1 << PATTERN_DOUBLINGS)).hexdigest()


def guest_md5(t, path):
    out = shell_ok(t, f"md5sum {path}", timeout=300)
    return out.split()[0]


def write_pattern(t, path):
    """The pattern into @path: one line doubled in /tmp (large writes: `yes` writes a line per
    system call, far too slow under emulation), copied, synced."""
    line = PATTERN_LINE.decode().strip()
    assert len(line) + 1 == len(PATTERN_LINE) and " " not in line
    shell_ok(t, f"printf '%s\\n' {line} > /tmp/p && for i in $(seq {PATTERN_DOUBLINGS}); do "
             "cat /tmp/p /tmp/p > /tmp/q && mv /tmp/q /tmp/p; done && "
             f"cat /tmp/p > {path} && rm /tmp/p && sync", timeout=600)


@pytest.mark.linux
def test_linux_ram_disk(tern, build, linux_guest):
    """/dev/vda of the right size on /mnt; 64 MiB written, read back after dropping the page
    cache and after a VM reset (a RAM disk keeps what was written until power-off)."""
    size = os.path.getsize(linux_guest.disk)
    t = boot_linux_disk(tern, build, linux_guest, linux_guest.disk)
    assert shell_ok(t, "cat /sys/block/vda/size").strip() == str(size // 512)
    assert shell_ok(t, "cat /sys/block/vda/ro").strip() == "0"
    shell_ok(t, "test -f /mnt/etc/tern-disk && test -x /mnt/bin/busybox")
    write_pattern(t, "/mnt/pattern")
    want = pattern_md5()
    assert guest_md5(t, "/mnt/pattern") == want
    shell_ok(t, "echo 3 > /proc/sys/vm/drop_caches")
    assert guest_md5(t, "/mnt/pattern") == want, "read back through /dev/vda differs"
    t.sendline("reboot")
    t.expect(RESET_RE)
    t.expect_line(MOUNTED, timeout=LINUX_TIMEOUT)
    t.wait_linux()
    assert guest_md5(t, "/mnt/pattern") == want, "the RAM disk lost data over a VM reset"
    t.sendline("poweroff")
    assert t.wait_exit(timeout=LINUX_TIMEOUT) == 0
    assert re.search(r"vm0: virtio-blk: \d+ reads \(\d+ MiB\), \d+ writes \((6[4-9]|[7-9]\d|"
                     r"\d{3,}) MiB\)", t.log), "Tern did not count the 64 MiB written"


@pytest.mark.linux
def test_linux_read_only_disk(tern, build, linux_guest):
    """A read-only disk: the guest sees it read-only (VIRTIO_BLK_F_RO), writes to its file
    system fail with EROFS and to the device itself are refused. (That Tern refuses writes
    to a read-only disk whatever the driver does: test_virtio_driver[ro].)"""
    t = boot_linux_disk(tern, build, linux_guest, linux_guest.disk, ro=True)
    assert shell_ok(t, "cat /sys/block/vda/ro").strip() == "1"
    shell_ok(t, "test -x /mnt/bin/busybox")
    status, out = t.shell("touch /mnt/new-file")
    assert status != 0 and "Read-only file system" in out, out
    status, out = t.shell("dd if=/dev/zero of=/dev/vda bs=4096 count=1")
    assert status != 0 and "Operation not permitted" in out, out
    t.sendline("poweroff")
    assert t.wait_exit(timeout=LINUX_TIMEOUT) == 0
