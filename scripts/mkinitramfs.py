#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""Build Tern's BusyBox test-guest initramfs: a gzip-compressed newc cpio.

Needs neither root nor a cpio binary: the archive is written here, device
nodes included (newc carries their numbers, the kernel creates them when it
unpacks). The output is deterministic: fixed inode numbers, owners, mtimes
and gzip header, so the same BusyBox gives the same bytes.

The guest's /init mounts proc, sysfs and devtmpfs, loads the kernel modules
given with --modules (the disk drivers and ext4, which Debian builds as
modules), mounts the VM's disk /dev/vda on /mnt if it has one ("Tern guest:
/dev/vda mounted on /mnt"; the bootarg tern.root=vda makes it the root
instead, through switch_root), prints "Tern guest: Linux <release> up" and
starts an interactive shell with job control on the console, prompt
"tern-guest:<cwd># ". `poweroff`, `reboot` and `halt` typed there sync and
call the kernel's reboot syscall (PSCI SYSTEM_OFF / SYSTEM_RESET on arm64).

With --tree DIR the same files are written into a directory instead (no
device nodes: devtmpfs provides them), for `mke2fs -d` to make the disk image
from (scripts/mkdisk.sh); its etc/tern-disk marks it as the disk.
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
    setsid cttyhack insmod switch_root md5sum sha256sum touch stat blockdev
    cmp sort uniq find xargs
""".split()

PROMPT = r"tern-guest:\w# "

INIT = """#!/bin/sh
# Tern test guest: PID 1. Never exits (that would panic the kernel).
export PATH=/sbin:/bin HOME=/root ENV=/etc/profile
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
# The disk drivers and ext4 are modules in Debian's kernel (scripts/guest-modules.py).
if [ -f /lib/modules/order ]; then
\tfor m in $(cat /lib/modules/order); do
\t\tinsmod /lib/modules/$m 2>/dev/null
\tdone
fi
# The VM's disk: on /mnt, or the root with tern.root=vda (not again once on it).
if [ ! -f /etc/tern-disk ] && [ -f /lib/modules/order ]; then
\t# A virtio block device (DeviceID 2) gets its node shortly after the driver binds.
\tn=0
\twhile [ ! -b /dev/vda ] && [ $n -lt 30 ] && grep -qs 0x0002 /sys/bus/virtio/devices/*/device; do
\t\tsleep 0.1; n=$((n+1))
\tdone
\tif [ -b /dev/vda ]; then
\t\tif grep -q "tern.root=vda" /proc/cmdline; then
\t\t\tmkdir -p /newroot
\t\t\tif mount -t ext4 /dev/vda /newroot; then
\t\t\t\tmount --move /dev /newroot/dev 2>/dev/null
\t\t\t\techo "Tern guest: switching root to /dev/vda"
\t\t\t\texec switch_root /newroot /init
\t\t\tfi
\t\telif mount -t ext4 /dev/vda /mnt 2>/dev/null || mount -t ext4 -o ro /dev/vda /mnt; then
\t\t\techo "Tern guest: /dev/vda mounted on /mnt"
\t\tfi
\tfi
fi
# BusyBox's halt/poweroff/reboot without -f signal PID 1; honour them.
trap '/sbin/halt' USR1
trap '/sbin/poweroff' USR2
trap '/sbin/reboot' TERM
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
# No init daemon here: sync, leave the disk's file system clean (nothing for e2fsck to replay),
# then go straight to the kernel's reboot syscall.
sync
umount /mnt 2>/dev/null || mount -o remount,ro /mnt 2>/dev/null
[ -f /etc/tern-disk ] && mount -o remount,ro / 2>/dev/null
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


class TreeWriter:
    """The same calls, writing a directory tree (no device nodes: devtmpfs makes them)."""

    def __init__(self, root, mtime=0):
        self.root = root
        self.mtime = mtime
        self.made = []
        os.makedirs(root, exist_ok=True)

    def _path(self, name):
        self.made.append(os.path.join(self.root, name))
        return self.made[-1]

    def directory(self, name, perm=0o755):
        os.makedirs(self._path(name), exist_ok=True)
        os.chmod(self._path(name), perm)

    def file(self, name, data, perm=0o644):
        with open(self._path(name), "wb") as f:
            f.write(data)
        os.chmod(self._path(name), perm)

    def symlink(self, name, target):
        os.symlink(target, self._path(name))

    def chardev(self, name, major, minor, perm):
        pass

    def trailer(self):
        # Fixed times, children before parents (writing a child changes its parent's).
        for path in reversed(self.made + [self.root]):
            os.utime(path, (self.mtime, self.mtime), follow_symlinks=False)


def read_modules(moddir):
    """[(file name, bytes)] in load order from a scripts/guest-modules.py directory."""
    if not moddir:
        return []
    with open(os.path.join(moddir, "order")) as f:
        names = [n.strip() for n in f if n.strip()]
    mods = []
    for n in names:
        with open(os.path.join(moddir, n), "rb") as f:
            mods.append((n, f.read()))
    return mods


def add_tree(w, root, made):
    """Every directory, file and symlink under @root at the same path, parents first; @made:
    the directories already written (not written again)."""
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        rel = os.path.relpath(dirpath, root)
        if rel != "." and rel not in made:
            w.directory(rel)
            made.add(rel)
        for name in sorted(filenames + [d for d in dirnames
                                        if os.path.islink(os.path.join(dirpath, d))]):
            path = os.path.join(dirpath, name)
            dest = os.path.normpath(os.path.join(rel, name))
            if os.path.islink(path):
                w.symlink(dest, os.readlink(path))
            else:
                with open(path, "rb") as f:
                    w.file(dest, f.read(), os.stat(path).st_mode & 0o7777)


def populate(w, busybox, modules=(), disk=False, extras=()):
    """The guest's files, parents before children, in a fixed order."""
    made = set()
    for d in ("bin", "dev", "etc", "mnt", "proc", "root", "sbin", "sys"):
        w.directory(d, 0o700 if d == "root" else 0o755)
        made.add(d)
    w.directory("tmp", 0o1777)
    w.chardev("dev/console", 5, 1, 0o600)
    w.chardev("dev/null", 1, 3, 0o666)
    w.chardev("dev/ttyAMA0", 204, 64, 0o660)
    if modules:
        w.directory("lib")
        w.directory("lib/modules")
        made.update(("lib", "lib/modules"))
        for name, data in modules:
            w.file("lib/modules/" + name, data, 0o644)
        w.file("lib/modules/order", "".join(n + "\n" for n, _ in modules).encode(), 0o644)
    if disk:
        w.file("etc/tern-disk", b"The VM's disk, made by scripts/mkdisk.sh\n", 0o644)
    w.file("bin/busybox", busybox, 0o755)
    for applet in APPLETS:
        w.symlink("bin/" + applet, "busybox")
    for cmd in ("halt", "poweroff", "reboot"):
        w.file("sbin/" + cmd, (POWER_SCRIPT % cmd).encode(), 0o755)
    w.file("etc/profile", PROFILE.encode(), 0o644)
    w.file("init", INIT.encode(), 0o755)
    for root in extras:
        add_tree(w, root, made)
    w.trailer()


def build(busybox, mtime=0, modules=(), extras=()):
    """Return the uncompressed newc archive (bytes) for the BusyBox binary."""
    buf = io.BytesIO()
    populate(NewcWriter(buf, mtime), busybox, modules, extras=extras)
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
    ap.add_argument("--out", metavar="FILE",
                    help="the .cpio.gz to write (replaced atomically)")
    ap.add_argument("--tree", metavar="DIR",
                    help="write the files into DIR instead (for mke2fs -d), marked as the "
                    "VM's disk (etc/tern-disk), without the modules")
    ap.add_argument("--modules", metavar="DIR",
                    help="kernel modules to load at boot: a scripts/guest-modules.py "
                    "directory (its 'order' file and the .ko files)")
    ap.add_argument("--extra", action="append", default=[], metavar="DIR",
                    help="also every file under DIR, at the same path (repeatable): e.g. "
                    "the perf tree of scripts/fetch-guest.sh --perf")
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

    if bool(args.out) == bool(args.tree):
        ap.error("give exactly one of --out and --tree")
    if args.tree:
        if os.path.exists(args.tree):
            sys.exit("mkinitramfs: %s exists" % args.tree)
        populate(TreeWriter(args.tree, args.mtime), busybox, disk=True)
        return 0
    try:
        modules = read_modules(args.modules)
    except OSError as e:
        sys.exit("mkinitramfs: cannot read the modules: %s" % e)
    for d in args.extra:
        if not os.path.isdir(d):
            sys.exit("mkinitramfs: --extra %s is not a directory" % d)
    image = compress(build(busybox, args.mtime, modules, args.extra), args.mtime)
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
