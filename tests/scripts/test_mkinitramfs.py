# SPDX-License-Identifier: GPL-2.0-only
"""scripts/mkinitramfs.py: parse its archive back with a minimal newc reader."""

import gzip
import os
import stat
import subprocess
import sys

import pytest

SCRIPT = os.path.join(os.path.dirname(__file__), "..", "..", "scripts",
                      "mkinitramfs.py")
FAKE_BUSYBOX = b"\x7fELF" + bytes(range(256)) * 7 + b"tail"  # odd length


def read_newc(data):
    """Return {name: dict(mode, rdev, data, ino, nlink, mtime)} in order."""
    entries = {}
    pos = 0
    while True:
        assert data[pos:pos + 6] == b"070701", "bad magic at %d" % pos
        f = [int(data[pos + 6 + 8 * i:pos + 14 + 8 * i], 16) for i in range(13)]
        ino, mode, _uid, _gid, nlink, mtime, size = f[:7]
        rdev = (f[9], f[10])
        namesize = f[11]
        assert f[2] == f[3] == 0, "uid/gid must be 0"
        pos += 110
        name = data[pos:pos + namesize]
        assert name.endswith(b"\0")
        name = name[:-1].decode()
        pos = (pos + namesize + 3) & ~3
        body = data[pos:pos + size]
        pos = (pos + size + 3) & ~3
        if name == "TRAILER!!!":
            assert data[pos:].strip(b"\0") == b""
            return entries
        assert name not in entries, "duplicate " + name
        entries[name] = dict(mode=mode, rdev=rdev, data=body, ino=ino,
                             nlink=nlink, mtime=mtime)


def build(tmp_path, out="initramfs.cpio.gz", extra=()):
    bb = tmp_path / "busybox"
    bb.write_bytes(FAKE_BUSYBOX)
    dest = tmp_path / out
    subprocess.run([sys.executable, SCRIPT, "--busybox", str(bb),
                    "--out", str(dest), *extra], check=True)
    return dest


@pytest.fixture
def entries(tmp_path):
    return read_newc(gzip.decompress(build(tmp_path).read_bytes()))


def test_busybox_and_init(entries):
    bb = entries["bin/busybox"]
    assert bb["mode"] == stat.S_IFREG | 0o755
    assert bb["data"] == FAKE_BUSYBOX
    init = entries["init"]
    assert init["mode"] == stat.S_IFREG | 0o755
    text = init["data"].decode()
    assert text.startswith("#!/bin/sh\n")
    for line in ("mount -t proc proc /proc", "mount -t sysfs sysfs /sys",
                 "mount -t devtmpfs devtmpfs /dev",
                 'echo "Tern guest: Linux $(uname -r) up"',
                 "setsid cttyhack sh"):
        assert line in text
    assert "ENV=/etc/profile" in text
    assert r"export PS1='tern-guest:\w# '" in entries["etc/profile"]["data"].decode()


def test_applet_links(entries):
    for applet in ("sh", "ash", "ls", "mount", "uname", "setsid", "cttyhack",
                   "chmod", "sync"):
        e = entries["bin/" + applet]
        assert e["mode"] == stat.S_IFLNK | 0o777
        assert e["data"] == b"busybox"


@pytest.mark.parametrize("cmd", ["poweroff", "reboot", "halt"])
def test_power_scripts(entries, cmd):
    # In /sbin (first in PATH), not links: no init daemon to signal.
    assert "bin/" + cmd not in entries
    e = entries["sbin/" + cmd]
    assert e["mode"] == stat.S_IFREG | 0o755
    text = e["data"].decode()
    assert text.startswith("#!/bin/sh\n")
    assert "sync\n" in text
    assert "exec /bin/busybox %s -f\n" % cmd in text


def test_dirs_and_devices(entries):
    for d in ("bin", "sbin", "proc", "sys", "dev", "etc", "root"):
        assert stat.S_ISDIR(entries[d]["mode"]), d
    assert entries["tmp"]["mode"] == stat.S_IFDIR | 0o1777
    assert entries["dev/console"]["mode"] == stat.S_IFCHR | 0o600
    assert entries["dev/console"]["rdev"] == (5, 1)
    assert entries["dev/ttyAMA0"]["rdev"] == (204, 64)
    assert stat.S_ISCHR(entries["dev/ttyAMA0"]["mode"])
    assert entries["dev/null"]["rdev"] == (1, 3)
    assert entries["dev/null"]["mode"] == stat.S_IFCHR | 0o666


def test_parents_first_unique_inodes(entries):
    seen = set()
    for name in entries:
        parent = os.path.dirname(name)
        assert parent == "" or parent in seen, name + " before its directory"
        seen.add(name)
    inos = [e["ino"] for e in entries.values()]
    assert len(set(inos)) == len(inos)
    for e in entries.values():
        if stat.S_ISREG(e["mode"]):
            assert e["nlink"] == 1  # else the kernel treats it as a hard link
        assert e["mtime"] == 0


def test_deterministic(tmp_path):
    a = build(tmp_path, "a.cpio.gz").read_bytes()
    b = build(tmp_path, "b.cpio.gz").read_bytes()
    assert a == b
    assert a[:2] == b"\x1f\x8b"


def test_mtime_option(tmp_path):
    data = gzip.decompress(build(tmp_path, extra=["--mtime", "1234"]).read_bytes())
    assert {e["mtime"] for e in read_newc(data).values()} == {1234}


def test_rejects_non_elf(tmp_path):
    bb = tmp_path / "busybox"
    bb.write_text("#!/bin/sh\n")
    r = subprocess.run([sys.executable, SCRIPT, "--busybox", str(bb),
                        "--out", str(tmp_path / "x")], capture_output=True,
                       text=True)
    assert r.returncode != 0
    assert "not an ELF" in r.stderr
    assert not (tmp_path / "x").exists()


def test_help():
    r = subprocess.run([sys.executable, SCRIPT, "--help"], capture_output=True,
                       text=True, check=True)
    assert "--busybox" in r.stdout and "--out" in r.stdout


def test_power_scripts_leave_the_disk_clean(entries):
    text = entries["sbin/poweroff"]["data"].decode()
    # The disk is unmounted (or made read-only) after the sync, before the syscall.
    assert text.index("sync\n") < text.index("umount /mnt") < text.index("exec /bin/busybox")


def test_modules_loaded_in_order(tmp_path):
    mods = tmp_path / "mods"
    mods.mkdir()
    for name, body in (("b.ko", b"B"), ("a.ko", b"A")):
        (mods / name).write_bytes(body)
    (mods / "order").write_text("b.ko\na.ko\n")
    ent = read_newc(gzip.decompress(build(tmp_path, extra=["--modules", str(mods)])
                                    .read_bytes()))
    assert ent["lib/modules/b.ko"]["data"] == b"B"
    assert ent["lib/modules/a.ko"]["data"] == b"A"
    assert ent["lib/modules/order"]["data"] == b"b.ko\na.ko\n"
    init = ent["init"]["data"].decode()
    assert "insmod /lib/modules/$m" in init
    # The disk is mounted only after the modules are loaded, and only when not on it.
    assert init.index("insmod") < init.index("mount -t ext4 /dev/vda /mnt")
    assert 'echo "Tern guest: /dev/vda mounted on /mnt"' in init
    assert "tern.root=vda" in init and "exec switch_root /newroot /init" in init
    assert "[ ! -f /etc/tern-disk ]" in init


def test_tree_for_the_disk(tmp_path):
    bb = tmp_path / "busybox"
    bb.write_bytes(FAKE_BUSYBOX)
    tree = tmp_path / "tree"
    subprocess.run([sys.executable, SCRIPT, "--busybox", str(bb), "--tree", str(tree)],
                   check=True)
    assert (tree / "bin" / "busybox").read_bytes() == FAKE_BUSYBOX
    assert os.readlink(tree / "bin" / "sh") == "busybox"
    assert (tree / "etc" / "tern-disk").is_file()
    assert (tree / "mnt").is_dir()
    assert not (tree / "lib").exists()
    assert not (tree / "dev" / "console").exists()  # devtmpfs makes the nodes
    assert os.lstat(tree / "init").st_mtime == 0 and os.lstat(tree).st_mtime == 0
    # Exactly one of --out and --tree.
    r = subprocess.run([sys.executable, SCRIPT, "--busybox", str(bb)], capture_output=True)
    assert r.returncode != 0


def test_extra_trees(tmp_path):
    """--extra DIR adds every file and symlink under DIR at the same path, with its mode,
    parents first and each directory once (lib exists already with --modules)."""
    mods = tmp_path / "mods"
    mods.mkdir()
    (mods / "a.ko").write_bytes(b"A")
    (mods / "order").write_text("a.ko\n")
    perf = tmp_path / "perf"
    (perf / "usr" / "bin").mkdir(parents=True)
    (perf / "lib" / "aarch64-linux-gnu").mkdir(parents=True)
    (perf / "usr" / "bin" / "perf").write_bytes(b"\x7fELFperf")
    os.chmod(perf / "usr" / "bin" / "perf", 0o755)
    (perf / "lib" / "aarch64-linux-gnu" / "libc.so.6").write_bytes(b"libc")
    os.symlink("aarch64-linux-gnu/libc.so.6", perf / "lib" / "libc.so.6")
    prog = tmp_path / "prog"
    (prog / "usr" / "bin").mkdir(parents=True)
    (prog / "usr" / "bin" / "ptrace-step").write_bytes(b"step")
    os.chmod(prog / "usr" / "bin" / "ptrace-step", 0o755)
    ent = read_newc(gzip.decompress(build(tmp_path, extra=[
        "--modules", str(mods), "--extra", str(perf), "--extra", str(prog)]).read_bytes()))
    assert ent["usr/bin/perf"]["data"] == b"\x7fELFperf"
    assert ent["usr/bin/perf"]["mode"] == stat.S_IFREG | 0o755
    assert ent["lib/aarch64-linux-gnu/libc.so.6"]["data"] == b"libc"
    assert stat.S_ISLNK(ent["lib/libc.so.6"]["mode"])
    assert ent["lib/libc.so.6"]["data"] == b"aarch64-linux-gnu/libc.so.6"
    assert ent["usr/bin/ptrace-step"]["data"] == b"step"
    assert ent["lib/modules/a.ko"]["data"] == b"A"
    names = list(ent)
    for name in names:
        parent = os.path.dirname(name)
        assert not parent or names.index(parent) < names.index(name), name
    r = subprocess.run([sys.executable, SCRIPT, "--busybox", str(tmp_path / "busybox"),
                        "--out", str(tmp_path / "x.gz"), "--extra", str(tmp_path / "none")],
                       capture_output=True)
    assert r.returncode != 0
