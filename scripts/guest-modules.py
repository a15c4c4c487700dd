#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""Take the kernel modules the Linux test guest needs out of Debian's kernel package.

Debian's arm64 kernel builds virtio-mmio, virtio-blk and ext4 as modules. This copies the
named modules and everything they depend on ("depends=" in each module's .modinfo, followed
recursively) out of the linux-image .deb into OUT, uncompressed, and writes OUT/order: one
file name per line, each after its dependencies, the order an init script loads them in.
Soft dependencies are not followed: name them (crc32c_generic for ext4's "crypto-crc32c").
"""

import argparse
import lzma
import os
import re
import subprocess
import sys
import tarfile


def die(msg):
    sys.exit(f"guest-modules: error: {msg}")


def module_name(path):
    base = os.path.basename(path)
    for suffix in (".ko.xz", ".ko"):
        if base.endswith(suffix):
            return base[: -len(suffix)].replace("-", "_")
    return None


def read_modules(deb, release):
    """{name: bytes} of every module of @release in @deb (read once, from dpkg-deb's tar)."""
    proc = subprocess.Popen(["dpkg-deb", "--fsys-tarfile", deb], stdout=subprocess.PIPE)
    prefix = f"./lib/modules/{release}/kernel/"
    found = {}
    with tarfile.open(fileobj=proc.stdout, mode="r|") as tar:
        for member in tar:
            if member.isfile() and member.name.startswith(prefix):
                name = module_name(member.name)
                if name:
                    data = tar.extractfile(member).read()
                    found[name] = lzma.decompress(data) if member.name.endswith(".xz") else data
    if proc.wait() != 0:
        die(f"dpkg-deb --fsys-tarfile {deb} failed")
    if not found:
        die(f"{deb} has no modules under {prefix}")
    return found


def modinfo(data, key):
    """Values of @key in a module's .modinfo strings."""
    return [m.decode() for m in re.findall(rb"(?:^|\0)" + key.encode() + rb"=([^\0]*)", data)]


def resolve(mods, wanted, release):
    order, seen = [], set()

    def visit(name, chain):
        if name in seen:
            return
        if name in chain:
            die(f"dependency loop: {' -> '.join(chain + [name])}")
        if name not in mods:
            die(f"no module {name} in the package (needed by {' -> '.join(chain) or 'request'})")
        magic = modinfo(mods[name], "vermagic")
        if not magic or magic[0].split()[0] != release:
            die(f"{name}: vermagic {magic[:1]} is not {release}")
        for dep in modinfo(mods[name], "depends"):
            for d in filter(None, dep.split(",")):
                visit(d.replace("-", "_"), chain + [name])
        seen.add(name)
        order.append(name)

    for w in wanted:
        visit(w.replace("-", "_"), [])
    return order


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--deb", required=True, help="the linux-image-<release> .deb")
    ap.add_argument("--release", required=True, help="the kernel release (uname -r)")
    ap.add_argument("--out", required=True, help="directory for the modules and 'order'")
    ap.add_argument("modules", nargs="+", help="module names")
    args = ap.parse_args(argv)

    mods = read_modules(args.deb, args.release)
    order = resolve(mods, args.modules, args.release)
    tmp = args.out + ".tmp"
    os.makedirs(tmp, exist_ok=True)
    for f in os.listdir(tmp):
        os.unlink(os.path.join(tmp, f))
    for name in order:
        with open(os.path.join(tmp, name + ".ko"), "wb") as f:
            f.write(mods[name])
    with open(os.path.join(tmp, "order"), "w") as f:
        f.write("".join(n + ".ko\n" for n in order))
    with open(os.path.join(tmp, "release"), "w") as f:
        f.write(args.release + "\n")
    if os.path.isdir(args.out):
        for f in os.listdir(args.out):
            os.unlink(os.path.join(args.out, f))
        os.rmdir(args.out)
    os.rename(tmp, args.out)
    print(f"guest-modules: {' '.join(order)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
