#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""wait-port.py HOST PORT SECONDS [FILE]: wait until HOST:PORT accepts a connection (and FILE
exists); exit 0 then, 1 on timeout. For make debug: gdb must not connect before QEMU listens."""

import os
import socket
import sys
import time


def main():
    host, port, seconds = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
    path = sys.argv[4] if len(sys.argv) > 4 else None
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if path is None or os.path.exists(path):
            try:
                # QEMU's gdbstub takes one client: probe, then let gdb have it.
                with socket.create_connection((host, port), timeout=1):
                    return 0
            except OSError:
                pass
        time.sleep(0.1)
    print(f"wait-port: nothing listens on {host}:{port} after {seconds:.0f} s", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
