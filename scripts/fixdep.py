#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""Rewrite a compiler dependency file so an object depends on the Kconfig symbols it uses.

Like Linux's fixdep: the dependency on autoconf.h (which changes with any .config edit) is
replaced by dependencies on include/config/<symbol>.h, which kconfiglib's genconfig
--sync-deps touches only for symbols whose value changed. A file that builds symbol names
by token pasting (CONFIG_FOO##) keeps the dependency on autoconf.h: its symbols cannot be
known from the text.

usage: fixdep.py DEPFILE TARGET CONFIG_DIR > output
"""
import os
import re
import sys

CONFIG_RE = re.compile(rb"\bCONFIG_([A-Z0-9_]+)(\s*##)?")


def parse_deps(text):
    text = text.replace("\\\n", " ")
    deps = []
    for line in text.splitlines():
        if ":" not in line:
            continue
        target, rest = line.split(":", 1)
        deps.extend(rest.split())
        break  # the first rule is the object's; -MP phony rules follow
    return deps


def main():
    depfile, target, config_dir = sys.argv[1:4]
    with open(depfile) as f:
        deps = parse_deps(f.read())
    symbols = set()
    keep_autoconf = False
    files = []
    for dep in deps:
        if dep.endswith("generated/autoconf.h") or dep.endswith("tern/kconfig.h"):
            continue
        files.append(dep)
        try:
            with open(dep, "rb") as f:
                data = f.read()
        except OSError:
            continue
        for m in CONFIG_RE.finditer(data):
            if m.group(2):
                keep_autoconf = True
            else:
                symbols.add(m.group(1).decode())
    out = list(files)
    if keep_autoconf:
        out.append(os.path.join(os.path.dirname(config_dir), "generated", "autoconf.h"))
    # A symbol file appears the first time its symbol gets a value (n to y); $(wildcard) is
    # evaluated after make has re-read the configuration, so that counts as a change.
    syms = ["$(wildcard %s)" % os.path.join(config_dir, s.lower().replace("_", "/") + ".h")
            for s in sorted(symbols)]
    sys.stdout.write(target + ": \\\n  " + " \\\n  ".join(out + syms) + "\n\n")
    for dep in out[1:]:
        sys.stdout.write(dep + ":\n")


if __name__ == "__main__":
    main()
