# SPDX-License-Identifier: GPL-2.0-only
"""VM disks: the virtio-mmio transport and virtio-blk device, on a RAM disk and on a region of
the machine's own disk (persistent: QEMU's virtio-blk-device on an image file, which the host
then reads back), from a bare-metal driver that follows the specification and from one that
attacks it, and Debian's Linux with its disk (/dev/vda mounted on /mnt by the initramfs).

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
import time

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


def pattern_bytes(size, seed=0):
    """Bytes [seed, seed + size) of the pattern of tests/guests/lib/virtio.c: word i of a
    buffer filled from @seed is (seed + 8 i) * K ^ C."""
    data = bytearray(size)
    for i in range(size // 8):
        struct.pack_into("<Q", data, 8 * i, (((seed + 8 * i) * PATTERN_K) & MASK) ^ PATTERN_C)
    return bytes(data)


def pattern_image(path, size, copies=1):
    """The disk the bare-metal programs expect (@copies regions, each from seed 0)."""
    with open(path, "wb") as f:
        for _ in range(copies):
            f.write(pattern_bytes(size))
    return path


# What tests/guests/virtio.c writes to a read-write disk: (sector, bytes, seed).
VIRTIO_WRITES = ((100, 8192, 0x5EED), (200, 16384, 0xABC), (300, 1024, 0x77))


def expect_virtio_writes(image, base=0):
    """The image as the virtio program leaves a disk at byte @base: its writes, and the
    pattern everywhere else."""
    want = bytearray(pattern_bytes(4 << 20))
    for sector, size, seed in VIRTIO_WRITES:
        want[sector * 512:sector * 512 + size] = pattern_bytes(size, seed)
    with open(image, "rb") as f:
        f.seek(base)
        got = f.read(4 << 20)
    if got != bytes(want):
        bad = next(i for i in range(len(want)) if got[i] != want[i])
        raise AssertionError(f"{image}+{base:#x}: first difference at byte {bad:#x}")


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
    """VMs from keyword arguments vmN=(program, bootargs, disk, read_only[, mode[, region]])."""
    t = tern(DISK_CONFIG, start=False, smp=2, mem="1G")
    for key, (prog, bootargs, disk, ro, *more) in vms.items():
        n = int(key[2:])
        t.cmd += [f"--vm{n}-kernel", disk_build.path("guests", prog + ".bin"),
                  f"--vm{n}-bootargs", bootargs]
        t.add_vm_disk(n, disk, read_only=ro, mode=more[0] if more else "ram",
                      region=more[1] if len(more) > 1 else None)
    return t


def blk_stats(t, vm):
    """Tern's power-off line for VM @vm's disk as a dict of numbers."""
    m = re.search(rf"vm{vm}: virtio-blk: (\d+) reads .*?(\d+) errors, (\d+) in flight at most, "
                  rf"(\d+) answered after their notification", t.log)
    assert m, f"no virtio-blk report for vm{vm}"
    return dict(reads=int(m.group(1)), errors=int(m.group(2)), inflight=int(m.group(3)),
                late=int(m.group(4)))


@pytest.mark.parametrize("mode", ["ram", "persistent"])
@pytest.mark.parametrize("ro", [False, True], ids=["rw", "ro"])
def test_virtio_driver(tern, disk_build, tmp_path, mode, ro):
    """tests/guests/virtio.c: the transport and the disk as a correct driver sees them, on a
    RAM disk and on the machine's disk; what reaches the image file is exactly what was
    written to a persistent read-write disk, and nothing else."""
    persistent = mode == "persistent"
    disk = pattern_image(tmp_path / "disk.img", 4 << 20)
    before = disk.read_bytes()
    args = f"sectors={(4 << 20) // 512}" + (" ro=1" if ro else "") + \
        (" async=1" if persistent else "")
    t = boot_guests(tern, disk_build, vm0=("virtio", args, str(disk), ro, mode)).start()
    t.expect(r"\[vm0\] SUMMARY: ", timeout=120)
    assert t.wait_exit() == 0
    summary(t, 0, (34 if ro else 35) + persistent)
    kind = "host disk" if persistent else "RAM disk"
    assert re.search(rf"vm0: virtio-blk at virtio-mmio slot 0: {kind}, 4 MiB" +
                     (", read-only" if ro else r"\r?\n"), t.log)
    stats = blk_stats(t, 0)
    if persistent and not ro:
        expect_virtio_writes(disk)
    else:
        # A RAM disk is a copy in memory, a read-only disk is never written.
        assert disk.read_bytes() == before
    if persistent:
        # Asynchronous: the host disk answered later, with many requests out at once.
        assert stats["late"] > 0 and stats["inflight"] >= 8, stats
    else:
        assert stats["late"] == 0 and stats["inflight"] == 1, stats


def test_vblk_attacks(tern, disk_build, tmp_path):
    """tests/guests/vblk_attack.c in VM 0 on a host disk while VM 1 checksums its memory (and
    has a RAM disk); not one of the attacks writes VM 0's image."""
    disk0 = pattern_image(tmp_path / "disk0.img", 4 << 20)
    disk1 = pattern_image(tmp_path / "disk1.img", 4 << 20)
    before = disk0.read_bytes()
    t = boot_guests(tern, disk_build,
                    vm0=("vblk_attack", "ram_mib=128", str(disk0), False, "persistent"),
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
    assert disk0.read_bytes() == before, "an attack wrote to the disk"


def test_host_disk_regions(tern, disk_build, tmp_path):
    """Two VMs on one host disk, in regions side by side: each sees its own region as its
    whole disk and writes only there."""
    disk = pattern_image(tmp_path / "shared.img", 4 << 20, copies=2)
    t = boot_guests(
        tern, disk_build,
        vm0=("virtio", "sectors=8192 vm=0 async=1", str(disk), False, "persistent",
             (0, 4 << 20)),
        vm1=("virtio", "sectors=8192 vm=1 async=1", str(disk), False, "persistent",
             (4 << 20, 4 << 20))).start()
    for _ in range(2):
        t.expect(r"\[vm\d\] SUMMARY: ", timeout=180)
    assert t.wait_exit() == 0
    summary(t, 0, 36)
    summary(t, 1, 36)
    assert re.search(r"vm1: virtio-blk: sectors 8192\+8192 of the host disk", t.log)
    expect_virtio_writes(disk, 0)
    expect_virtio_writes(disk, 4 << 20)


def test_host_disk_overlap_refused(tern, disk_build, tmp_path):
    """A region that overlaps another VM's is refused: that VM is not created, the other runs."""
    disk = pattern_image(tmp_path / "shared.img", 4 << 20, copies=2)
    t = boot_guests(
        tern, disk_build,
        vm0=("virtio", "sectors=8192 vm=0 async=1", str(disk), False, "persistent",
             (0, 4 << 20)),
        vm1=("virtio", "sectors=8192 vm=1 async=1", str(disk), False, "persistent",
             (2 << 20, 4 << 20)))
    t.bad.pop("error")
    t.start()
    t.expect(r"vm1: virtio-blk: sectors 4096\+8192 of host disk 0 overlap vm0's 0\+8192")
    t.expect(r"vm1: not created")
    t.expect(r"\[vm0\] SUMMARY: ", timeout=180)
    t.wait_exit()
    summary(t, 0, 36)
    expect_virtio_writes(disk, 0)
    assert pattern_bytes(4 << 20) == disk.read_bytes()[4 << 20:], "vm1 wrote"


# -- Linux ----------------------------------------------------------------------------------

def boot_linux_disk(tern, build, linux_guest, disk, mode="ram", ro=False, bootargs=None):
    b = build("defconfig")
    # The whole run's deadline: boots and tens of MiB through a TCG guest on a loaded host.
    t = tern("defconfig", start=False, smp=b.pcpus(), mem="1G", timeout=3 * LINUX_TIMEOUT)
    t.name = f"{t.build.config} + Linux + {mode} disk"
    t.add_vm0_linux(linux_guest, bootargs=bootargs)
    t.add_vm_disk(0, disk, mode=mode, read_only=ro)
    t.start()
    t.expect_line(MOUNTED, timeout=LINUX_TIMEOUT)
    t.linux_release = t.wait_linux()
    return t


shell_ok = tern_lib.shell_ok


# A pattern both sides can make: one 32-byte line, doubled (2^21 times: 64 MiB).
def pattern_line(tag):
    line = f"tern-disk-{tag}-pattern-".encode()
    line += b"0123456789abcdefghijklmnopqrstuv"[:31 - len(line)] + b"\n"
    assert len(line) == 32
    return line


def pattern_md5(tag, doublings):
    return hashlib.md5(pattern_line(tag) * (1 << doublings)).hexdigest()


def write_pattern_cmd(path, tag, doublings):
    """Shell command writing the pattern into @path: one line doubled in /tmp (large writes:
    `yes` writes a line per system call, far too slow under emulation), copied, synced."""
    line = pattern_line(tag).decode().strip()
    return (f"printf '%s\\n' {line} > /tmp/p && for i in $(seq {doublings}); do "
            "cat /tmp/p /tmp/p > /tmp/q && mv /tmp/q /tmp/p; done && "
            f"cat /tmp/p > {path} && rm /tmp/p && sync")


def guest_md5(t, path):
    out = shell_ok(t, f"md5sum {path}", timeout=300)
    return out.split()[0]


def host_md5(image, path):
    """md5 of @path inside the ext4 image, read by the host's debugfs."""
    r = subprocess.run(["debugfs", "-R", f"cat {path}", str(image)], capture_output=True,
                       timeout=120)
    assert r.returncode == 0 and r.stdout, f"debugfs cat {path}: {r.stderr.decode()}"
    return hashlib.md5(r.stdout).hexdigest()


def e2fsck_clean(image):
    """e2fsck -fn: nothing to fix, nothing to replay."""
    r = subprocess.run(["e2fsck", "-fn", str(image)], capture_output=True, text=True,
                       timeout=120)
    assert r.returncode == 0, f"e2fsck -fn {image} ({r.returncode}):\n{r.stdout}{r.stderr}"


@pytest.mark.linux
def test_make_run_linux_disk(tern, build, linux_guest):
    """`make run` as the README gives it (no VM variables): the flagship Linux with the ext4
    disk of scripts/fetch-guest.sh (copied to $(O)/vm0-disk.img) as /dev/vda on /mnt."""
    b = build("defconfig")
    t = tern("defconfig", start=False, timeout=2 * LINUX_TIMEOUT)
    t.name = "make run (flagship Linux)"
    t.cmd = ["make", "-C", tern_lib.SRCTREE, "run", f"O={b.dir}"]
    t.env = {k: v for k, v in os.environ.items() if not re.match(r"VM\d_|MAKEFLAGS$|MFLAGS$", k)}
    t.start()
    t.expect_line(MOUNTED, timeout=LINUX_TIMEOUT)
    t.wait_linux()
    size = os.path.getsize(b.path("vm0-disk.img"))
    assert shell_ok(t, "cat /sys/block/vda/size").strip() == str(size // 512)
    shell_ok(t, "test -f /mnt/etc/tern-disk && test -x /mnt/bin/busybox")
    t.sendline("poweroff")
    assert t.wait_exit(timeout=LINUX_TIMEOUT) == 0


@pytest.mark.linux
def test_linux_ram_disk(tern, build, linux_guest):
    """/dev/vda of the right size on /mnt; 16 MiB written, read back after dropping the page
    cache and after a VM reset (a RAM disk keeps what was written until power-off)."""
    size = os.path.getsize(linux_guest.disk)
    t = boot_linux_disk(tern, build, linux_guest, linux_guest.disk)
    assert shell_ok(t, "cat /sys/block/vda/size").strip() == str(size // 512)
    assert shell_ok(t, "cat /sys/block/vda/ro").strip() == "0"
    shell_ok(t, "test -f /mnt/etc/tern-disk && test -x /mnt/bin/busybox")
    shell_ok(t, write_pattern_cmd("/mnt/pattern", "ram", 19), timeout=600)
    want = pattern_md5("ram", 19)
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
    assert os.path.getsize(linux_guest.disk) == size


VBLK_REPORT_RE = re.compile(r"vm0: virtio-blk: (\d+) reads .*?; (\d+) notifications, "
                            r"(\d+) interrupts")
EXITS_RE = re.compile(r"vm0: exits \d+: .*\bmaint (\d+)")
WFI_RE = re.compile(r"vm0: exits \d+: .*\bwfi (\d+)")
TAKEN_RE = re.compile(r"vm0: interrupts taken (\d+)")


@pytest.mark.linux
def test_linux_disk_interrupt_cost(tern, build, linux_guest):
    """The disk's SPI is edge-triggered in Linux (as on QEMU virt), so its interrupts end without
    a maintenance exit: 2000 direct 4 KiB reads, each answered with an interrupt, cost the
    whole run (boot included) far fewer maintenance exits than requests (a level SPI costs
    one per request: the vGIC resamples the line at each EOI). Idle vCPUs do not loop on WFI
    exits while their timer's interrupt is late (core/sched.c, sched_wake_deadline)."""
    t = boot_linux_disk(tern, build, linux_guest, linux_guest.disk)
    line = [l for l in shell_ok(t, "cat /proc/interrupts").splitlines() if "virtio" in l]
    assert len(line) == 1 and "Edge" in line[0], line
    shell_ok(t, "dd if=/dev/vda of=/dev/null bs=4k count=2000 iflag=direct", timeout=600)
    t.sendline("poweroff")
    assert t.wait_exit(timeout=LINUX_TIMEOUT) == 0
    reads, notifies, irqs = (int(x) for x in VBLK_REPORT_RE.search(t.log).groups())
    maint = int(EXITS_RE.search(t.log).group(1))
    assert reads >= 2000 and irqs >= 1000, (reads, notifies, irqs)
    assert maint < irqs // 4, f"{maint} maintenance exits for {irqs} disk interrupts"
    # An idle vCPU whose timer is due sleeps until QEMU raises the timer's PPI (late on a busy
    # host) instead of looping on WFI exits: about one WFI exit per interrupt taken (0.6 to
    # 1.2 measured; 5 to 20 when the vCPUs went back into the guest meanwhile).
    wfi, taken = int(WFI_RE.search(t.log).group(1)), int(TAKEN_RE.search(t.log).group(1))
    assert wfi < 3 * taken, f"{wfi} WFI exits for {taken} interrupts taken"


@pytest.mark.linux
def test_linux_persistent_disk(tern, build, linux_guest, tmp_path):
    """On the machine's disk: 64 MiB written and synced; at the VM's reset the image is a clean
    file system holding the file (e2fsck -fn, debugfs); Tern and Linux boot again from it and
    the file is there; after a poweroff the image is clean again."""
    image = tmp_path / "disk.img"
    shutil.copyfile(linux_guest.disk, image)
    want = pattern_md5("host", 21)
    t = boot_linux_disk(tern, build, linux_guest, str(image), mode="persistent")
    assert shell_ok(t, "cat /sys/block/vda/size").strip() == str(os.path.getsize(image) // 512)
    shell_ok(t, write_pattern_cmd("/mnt/pattern", "host", 21), timeout=900)
    assert guest_md5(t, "/mnt/pattern") == want
    t.sendline("reboot")
    t.expect(RESET_RE)
    t.close()  # the machine stops at the guest's reset: the image is what the reboot left
    e2fsck_clean(image)
    assert host_md5(image, "/pattern") == want

    t = boot_linux_disk(tern, build, linux_guest, str(image), mode="persistent")
    assert guest_md5(t, "/mnt/pattern") == want, "the file did not survive the power cycle"
    shell_ok(t, "echo again > /mnt/second && sync")
    t.sendline("poweroff")
    assert t.wait_exit(timeout=LINUX_TIMEOUT) == 0
    stats = blk_stats(t, 0)
    assert stats["late"] > 0 and stats["inflight"] > 1, stats
    e2fsck_clean(image)
    assert host_md5(image, "/second") == hashlib.md5(b"again\n").hexdigest()


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


# -- two Linux VMs, each with its own disk ----------------------------------------------------

TWO_LINUX_CONFIG = "qemu_virt_disk_linux_defconfig"


def vm_shell(t, vm, cmd, wait=True, timeout=600):
    """Run @cmd in VM @vm's shell (several VMs: lines tagged [vmN], Ctrl-] N gives it the
    keyboard); with @wait False only start it, and collect it later with vm_shell_wait()."""
    t.send("\x1d" + str(vm))
    t.expect(rf"console: input now goes to vm{vm}")
    t.shell_seq += 1
    n = t.shell_seq
    t.sendline(f"echo @{n}@B''EGIN; {cmd}; echo @{n}@E''ND$?")
    return vm_shell_wait(t, vm, n, timeout) if wait else n


def vm_shell_wait(t, vm, n, timeout=600):
    """Command @n's output, looked for in the whole log: while one VM's command is awaited,
    the stream moves past the other VM's lines (its BEGIN, or even its END)."""
    done = re.compile(rf"(?s)\[vm{vm}\] @{n}@BEGIN\n(.*?)\[vm{vm}\] @{n}@END(\d+)")
    m = done.search(t.log)
    if not m:
        t.expect(rf"\[vm{vm}\] @{n}@END\d+", timeout)
        m = done.search(t.log)
        assert m, f"vm{vm}: command {n} ended but its output is not in the log"
    out = tern_lib.without_kernel_messages(
        "".join(re.findall(rf"(?m)^\[vm{vm}\]\+? (.*\n)", m.group(1))))
    if int(m.group(2)) != 0:
        t.fail(f"vm{vm}: shell command {n} exited with {m.group(2)}:\n{out}")
    return out


@pytest.mark.linux
def test_linux_two_vms_own_disks(tern, build, linux_guest, tmp_path):
    """Two Linux VMs, each on its own host disk, write at the same time; each image holds its
    VM's file only, and none of the other VM's bytes."""
    b = build(TWO_LINUX_CONFIG)
    images = [tmp_path / f"disk{n}.img" for n in (0, 1)]
    t = tern(TWO_LINUX_CONFIG, start=False, smp=b.pcpus(), mem="2G", timeout=4 * LINUX_TIMEOUT)
    t.name = f"{b.config} + 2 Linux VMs"
    for n, image in enumerate(images):
        shutil.copyfile(linux_guest.disk, image)
        t.cmd += [f"--vm{n}-kernel", linux_guest.kernel, f"--vm{n}-initrd", linux_guest.initrd]
        t.add_vm_disk(n, str(image), mode="persistent")
    t.env = {k: v for k, v in os.environ.items() if not re.match(r"VM\d+_", k)}
    t.start()
    for _ in (0, 1):
        t.expect(r"\[vm\d\] Tern guest: Linux \S+ up", timeout=2 * LINUX_TIMEOUT)
    time.sleep(2)  # both shells at their prompts
    started = [vm_shell(t, n, write_pattern_cmd(f"/mnt/vm{n}-file", f"vm{n}", 18), wait=False)
               for n in (0, 1)]
    for n in (0, 1):
        vm_shell_wait(t, n, started[n], timeout=900)
    md5s = [vm_shell(t, n, f"md5sum /mnt/vm{n}-file").split()[0] for n in (0, 1)]
    assert md5s == [pattern_md5(f"vm{n}", 18) for n in (0, 1)]
    for n in (0, 1):
        vm_shell(t, n, "poweroff", wait=False)
    t.wait_exit(timeout=LINUX_TIMEOUT)
    for n, image in enumerate(images):
        e2fsck_clean(image)
        assert host_md5(image, f"/vm{n}-file") == pattern_md5(f"vm{n}", 18)
        other = pattern_line(f"vm{1 - n}")
        with open(image, "rb") as f:
            assert other not in f.read(), f"{image} holds vm{1 - n}'s data"
