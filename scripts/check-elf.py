#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""Link-time checks of tern.elf that the boot code relies on.

- head.S applies only R_AARCH64_RELATIVE relocations: any other dynamic relocation would
  be left unapplied and crash at run time, so it fails the build here instead.
- No loadable segment is both writable and executable (the stage-1 map follows them).
- The Image header's image_size is a link-time constant, not a relocated value.
- No PLT: calls go straight to their targets (Tern is built without -fno-plt, so ld must
  resolve every BL inside the executable; a PLT stub would need a dynamic loader).
"""
import struct
import subprocess
import sys

READELF = "aarch64-linux-gnu-readelf"


def main():
    elf = sys.argv[1]
    errors = []
    relocs = subprocess.run([READELF, "-rW", elf], capture_output=True, text=True, check=True).stdout
    for line in relocs.splitlines():
        parts = line.split()
        if len(parts) >= 3 and parts[2].startswith("R_AARCH64_") and parts[2] not in ("R_AARCH64_RELATIVE", "R_AARCH64_NONE"):
            errors.append("unsupported dynamic relocation: " + line.strip())
        if len(parts) >= 3 and parts[2] == "R_AARCH64_RELATIVE" and int(parts[0], 16) < 64:
            errors.append("the Image header is relocated: " + line.strip())
    phdrs = subprocess.run([READELF, "-lW", elf], capture_output=True, text=True, check=True).stdout
    for line in phdrs.splitlines():
        parts = line.split()
        if parts and parts[0] == "LOAD":
            flags = "".join(p for p in parts[6:-1] if set(p) <= set("RWE"))
            if "W" in flags and "E" in flags:
                errors.append("writable and executable segment: " + line.strip())
    with open(elf, "rb") as f:
        data = f.read()
    # The header is the first bytes of the first PT_LOAD (file offset of .head.text).
    head = subprocess.run([READELF, "-SW", elf], capture_output=True, text=True, check=True).stdout
    for line in head.splitlines():
        parts = line.replace("[ ", "[").split()
        if len(parts) > 5 and parts[1] in (".plt", ".iplt", ".plt.got", ".plt.sec") \
                and int(parts[5], 16):
            errors.append("a PLT in the image: " + line.strip())
        if ".head.text" in line:
            off = int(line.split(".head.text")[1].split()[2], 16)
            magic = data[off + 56 : off + 60]
            size = struct.unpack_from("<Q", data, off + 16)[0]
            if magic != b"ARM\x64":
                errors.append("Image header magic missing")
            if size == 0:
                errors.append("Image header image_size is 0")
    for e in errors:
        print("check-elf: " + e, file=sys.stderr)
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
