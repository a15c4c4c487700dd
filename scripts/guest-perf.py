#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""Take Debian's arm64 perf and the shared libraries it loads out of their packages.

DEBS is a directory of downloaded .debs: linux-perf and the libraries it depends on. They are
unpacked into a scratch directory; OUT receives usr/bin/perf (the ELF binary, whether Debian
names it perf or perf_<version> behind a wrapper script), the dynamic loader and every library the binary needs, found by
following DT_NEEDED recursively (aarch64-linux-gnu-readelf) through the unpacked library
directories, each as a regular file under its soname.
Nothing but the binary's own closure goes in: no Perl or Python standard library.
"""

import argparse
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile

READELF = os.environ.get("READELF", "aarch64-linux-gnu-readelf")
LIB_DIRS = ("lib/aarch64-linux-gnu", "usr/lib/aarch64-linux-gnu", "lib", "usr/lib")


def die(msg):
    sys.exit(f"guest-perf: error: {msg}")


def readelf(args, path):
    try:
        return subprocess.run([READELF, *args, path], check=True, capture_output=True,
                              text=True).stdout
    except (OSError, subprocess.CalledProcessError) as e:
        die(f"{READELF} {' '.join(args)} {path}: {e}")


def needed(path):
    return re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", readelf(["-d"], path))


def interpreter(path):
    m = re.search(r"Requesting program interpreter: ([^\]]+)\]", readelf(["-l"], path))
    return m.group(1) if m else None


def find_lib(root, soname):
    for d in LIB_DIRS:
        p = os.path.join(root, d, soname)
        if os.path.exists(p):
            return os.path.realpath(p)
    return None


def unpack(debs, root):
    files = sorted(glob.glob(os.path.join(debs, "*.deb")))
    if not files:
        die(f"no .deb in {debs}")
    perf_deb = None
    for deb in files:
        subprocess.run(["dpkg-deb", "-x", deb, root], check=True)
        if os.path.basename(deb).startswith("linux-perf_"):
            perf_deb = deb
    if not perf_deb:
        die(f"no linux-perf_*.deb in {debs}")
    return subprocess.run(["dpkg-deb", "-f", perf_deb, "Version"], check=True,
                          capture_output=True, text=True).stdout.strip()


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--debs", required=True, metavar="DIR", help="the downloaded .debs")
    ap.add_argument("--out", required=True, metavar="DIR", help="the tree to write (new)")
    args = ap.parse_args(argv)
    if os.path.exists(args.out):
        die(f"{args.out} exists")

    with tempfile.TemporaryDirectory() as root:
        version = unpack(args.debs, root)
        bins = [p for p in glob.glob(os.path.join(root, "usr/bin/perf*"))
                if os.path.isfile(p) and open(p, "rb").read(4) == b"\x7fELF"]
        if len(bins) != 1:
            die(f"want one ELF usr/bin/perf or perf_<version> in linux-perf, found {bins}")
        perf = bins[0]
        interp = interpreter(perf)
        if not interp:
            die(f"{perf} has no program interpreter")
        libs, todo = {}, [perf]
        while todo:
            for soname in needed(todo.pop()):
                if soname in libs:
                    continue
                path = find_lib(root, soname)
                if not path:
                    die(f"{soname} (needed by perf) is in none of the unpacked packages")
                libs[soname] = path
                todo.append(path)
        loader = os.path.realpath(os.path.join(root, interp.lstrip("/")))
        if not os.path.isfile(loader):
            die(f"the loader {interp} is in none of the unpacked packages")

        tmp = args.out + ".tmp"
        shutil.rmtree(tmp, ignore_errors=True)
        os.makedirs(os.path.join(tmp, "usr/bin"))
        os.makedirs(os.path.join(tmp, "lib/aarch64-linux-gnu"))
        shutil.copyfile(perf, os.path.join(tmp, "usr/bin/perf"))
        os.chmod(os.path.join(tmp, "usr/bin/perf"), 0o755)
        shutil.copyfile(loader, os.path.join(tmp, interp.lstrip("/")))
        os.chmod(os.path.join(tmp, interp.lstrip("/")), 0o755)
        for soname, path in sorted(libs.items()):
            shutil.copyfile(path, os.path.join(tmp, "lib/aarch64-linux-gnu", soname))
        os.replace(tmp, args.out)
    print(f"guest-perf: linux-perf {version}: perf and {len(libs)} libraries in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
