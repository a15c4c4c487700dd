#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""Link-time check that each C file of tern.elf was optimized the way its Makefile says.

Each directory's Makefile names its objects built for size (cold-y: boot, VM creation, the
console, reports) and the objects on a guest's exit, interrupt, switch or I/O path (hot-y),
which must keep -O2. The compiler records the flags of every compilation unit in its DWARF
producer string; this reads them back from the linked ELF, so a flag added by any other route
(a global change, a per-file rule) is caught as well as a wrong list.

Usage: check-opt.py ELF [--hot SOURCE...] [--cold SOURCE...]
Fails when a hot source was built for size (its last -O flag is -Os or -Oz), a cold source was
not, or the ELF holds no C compilation unit at all (no debug information to check). A named
source missing from the debug information is skipped: ld drops the unit when --gc-sections kept
none of its code (e.g. the VM console in allnoconfig), so there is nothing of it to check.
Function attributes (__cold, optimize pragmas) are not in the producer string and not seen.
"""
import re
import subprocess
import sys

READELF = "aarch64-linux-gnu-readelf"
SIZE_FLAGS = ("-Os", "-Oz")


def units(elf):
    """{source path: its last -O flag} for every C compilation unit of @elf."""
    out = subprocess.run([READELF, "--debug-dump=info", "--dwarf-depth=1", elf],
                         capture_output=True, text=True, check=True).stdout
    found = {}
    # One compilation unit per "Compilation Unit @" header; its DIE holds both attributes in
    # either order.
    for cu in re.split(r"\n\s*Compilation Unit @", out):
        # "DW_AT_name : (indirect line string, offset: 0x36): /path/file.c"
        prod = re.search(r"DW_AT_producer\s*:\s*(?:\([^)]*\):\s*)?(GNU C.*)", cu)
        name = re.search(r"DW_AT_name\s*:\s*(?:\([^)]*\):\s*)?(\S+)", cu)
        if not prod or not name:
            continue
        opts = re.findall(r"(?<!\S)-O\w*", prod.group(1))
        found[name.group(1)] = opts[-1] if opts else "-O0"
    return found


def parse_args(argv):
    elf, lists, cur = None, {"--hot": [], "--cold": []}, None
    for a in argv:
        if a in lists:
            cur = a
        elif cur:
            lists[cur].append(a)
        elif elf is None:
            elf = a
        else:
            raise SystemExit(f"check-opt: unexpected argument {a}")
    if elf is None:
        raise SystemExit(__doc__)
    return elf, lists["--hot"], lists["--cold"]


def check(elf, hot, cold):
    found = units(elf)
    if not found:
        return [f"{elf}: no C compilation unit in the debug information (built without -g?)"]
    errors = []
    for src in hot:
        opt = found.get(src)
        if opt in SIZE_FLAGS:
            errors.append(f"{src}: on a hot path (hot-y) but built with {opt}")
    for src in cold:
        opt = found.get(src)
        if opt is not None and opt not in SIZE_FLAGS:
            errors.append(f"{src}: listed in cold-y but built with {opt}, not for size")
    return errors


def main():
    elf, hot, cold = parse_args(sys.argv[1:])
    errors = check(elf, hot, cold)
    for e in errors:
        print("check-opt: " + e, file=sys.stderr)
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
