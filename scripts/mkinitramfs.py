#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""Build Tern's BusyBox test-guest initramfs: a gzip-compressed newc cpio.

Needs neither root nor a cpio binary: the archive is written here, device
nodes included (newc carries their numbers, the kernel creates them when it
unpacks). The output is deterministic: fixed inode numbers, owners, mtimes
and gzip header, so the same BusyBox gives the same bytes.

The guest's /init mounts proc, sysfs and devtmpfs, prints
"Tern guest: Linux <release> up" and starts an interactive shell with job
control on the console, prompt "tern-guest:<cwd># ". `poweroff`, `reboot`
and `halt` typed there sync and call the kernel's reboot syscall (PSCI
SYSTEM_OFF / SYSTEM_RESET on arm64).
"""

import argparse
import gzip
import io
import os
import stat
import sys

# BusyBox applets linked in /bin. poweroff/reboot/halt are scripts in /sbin
# instead (see below); setsid and cttyhack start the console shell.
APPLETS = """
    sh ash ls cat echo mount umount mkdir dmesg uname date sleep ps grep
    sync true false top free df nproc head tail wc sed awk vi stty cut tr
    hostname ln rm cp mv kill env printf test seq yes dd od hexdump chmod
    setsid cttyhack
""".split()

PROMPT = r"tern-guest:\w# "

INIT = """#!/bin/sh
# Tern test guest: PID 1. Never exits (that would panic the kernel).
export PATH=/sbin:/bin HOME=/root ENV=/etc/profile
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
# BusyBox's halt/poweroff/reboot without -f signal PID 1; honour them.
trap 'sync; busybox halt -f' USR1
trap 'sync; busybox poweroff -f' USR2
trap 'sync; busybox reboot -f' TERM
echo "Tern guest: Linux $(uname -r) up"
cd /
while :; do
\t# setsid + cttyhack: a session of its own with the console as its
\t# controlling terminal, so job control and Ctrl-C work.
\tsetsid cttyhack sh &
\twait $!
done
"""

PROFILE = """# Read by every interactive shell (ENV=/etc/profile).
export PS1='%s'
# The static BusyBox may run its own applets before searching PATH; these
# functions make sure the /sbin scripts (sync, then -f) are what runs.
poweroff() { /sbin/poweroff "$@"; }
reboot() { /sbin/reboot "$@"; }
halt() { /sbin/halt "$@"; }
""" % PROMPT

POWER_SCRIPT = """#!/bin/sh
# No init daemon here: sync, then go straight to the kernel's reboot syscall.
sync
exec /bin/busybox %s -f
"""

TRAILER = "TRAILER!!!"


class NewcWriter:
    """Writes newc ("070701") cpio entries to a binary stream."""

    def __init__(self, out, mtime=0):
        self.out = out
        self.mtime = mtime
        self.ino = 0

    def _pad(self):
        pos = self.out.tell()
        self.out.write(b"\0" * (-pos % 4))

    def entry(self, name, mode, data=b"", rdev=(0, 0), nlink=1):
        self.ino += 1
        encoded = name.encode() + b"\0"
        fields = (
            self.ino if name != TRAILER else 0,
            mode,
            0,  # uid
            0,  # gid
            nlink,
            self.mtime if name != TRAILER else 0,
            len(data),
            0,  # devmajor (of the file system: meaningless here)
            0,  # devminor
            rdev[0],
            rdev[1],
            len(encoded),
            0,  # check: only for the "070702" crc format
        )
        self.out.write(b"070701" + b"".join(b"%08X" % f for f in fields))
        self.out.write(encoded)
        self._pad()
        self.out.write(data)
        self._pad()

    def directory(self, name, perm=0o755):
        self.entry(name, stat.S_IFDIR | perm, nlink=2)

    def file(self, name, data, perm=0o644):
        self.entry(name, stat.S_IFREG | perm, data)

    def symlink(self, name, target):
        self.entry(name, stat.S_IFLNK | 0o777, target.encode())

    def chardev(self, name, major, minor, perm):
        self.entry(name, stat.S_IFCHR | perm, rdev=(major, minor))

    def trailer(self):
        self.entry(TRAILER, 0, nlink=1)


def build(busybox, mtime=0):
    """Return the uncompressed newc archive (bytes) for the BusyBox binary."""
    buf = io.BytesIO()
    w = NewcWriter(buf, mtime)
    # Parents before children, in a fixed order.
    for d in ("bin", "dev", "etc", "proc", "root", "sbin", "sys"):
        w.directory(d, 0o700 if d == "root" else 0o755)
    w.directory("tmp", 0o1777)
    w.chardev("dev/console", 5, 1, 0o600)
    w.chardev("dev/null", 1, 3, 0o666)
    w.chardev("dev/ttyAMA0", 204, 64, 0o660)
    w.file("bin/busybox", busybox, 0o755)
    for applet in APPLETS:
        w.symlink("bin/" + applet, "busybox")
    for cmd in ("halt", "poweroff", "reboot"):
        w.file("sbin/" + cmd, (POWER_SCRIPT % cmd).encode(), 0o755)
    w.file("etc/profile", PROFILE.encode(), 0o644)
    w.file("init", INIT.encode(), 0o755)
    w.trailer()
    return buf.getvalue()


def compress(data, mtime=0):
    """gzip with a fixed header (no file name, given mtime): deterministic."""
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, mtime=mtime,
                       compresslevel=9) as gz:
        gz.write(data)
    return buf.getvalue()


def main(argv=None):
    ap = argparse.ArgumentParser(
        description="Build the BusyBox test-guest initramfs (gzip-compressed "
        "newc cpio) without root or a cpio binary.")
    ap.add_argument("--busybox", required=True, metavar="PATH",
                    help="a static arm64 busybox binary")
    ap.add_argument("--out", required=True, metavar="FILE",
                    help="the .cpio.gz to write (replaced atomically)")
    ap.add_argument("--mtime", type=int, default=0, metavar="SECONDS",
                    help="mtime of every entry and of the gzip header "
                    "(default: 0, for reproducible output)")
    args = ap.parse_args(argv)

    try:
        with open(args.busybox, "rb") as f:
            busybox = f.read()
    except OSError as e:
        sys.exit("mkinitramfs: cannot read busybox: %s" % e)
    if busybox[:4] != b"\x7fELF":
        sys.exit("mkinitramfs: %s is not an ELF binary" % args.busybox)

    image = compress(build(busybox, args.mtime), args.mtime)
    tmp = args.out + ".tmp"
    try:
        with open(tmp, "wb") as f:
            f.write(image)
        os.replace(tmp, args.out)
    except OSError as e:
        sys.exit("mkinitramfs: cannot write %s: %s" % (args.out, e))
    return 0


if __name__ == "__main__":
    sys.exit(main())
