#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Make the Linux test guest's disk: an ext4 image of the BusyBox tree of
# scripts/mkinitramfs.py (with etc/tern-disk marking it as the disk), made
# with `mke2fs -d` (e2fsprogs) without root, with a fixed UUID and times, so
# the same BusyBox gives the same image.

set -euo pipefail

SRCDIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PYTHON=${PYTHON:-/usr/bin/python3}

usage() {
	cat <<EOF2
Usage: scripts/mkdisk.sh --busybox PATH --out IMAGE [--size MIB]

Write IMAGE (replaced atomically): an ext4 file system of MIB MiB (default
160) labelled "tern-disk" holding the BusyBox guest tree.
EOF2
}

busybox= out= size=160
while [ $# -gt 0 ]; do
	case $1 in
	--busybox) busybox=$2; shift 2 ;;
	--out) out=$2; shift 2 ;;
	--size) size=$2; shift 2 ;;
	-h | --help) usage; exit 0 ;;
	*) usage >&2; exit 2 ;;
	esac
done
[ -n "$busybox" ] && [ -n "$out" ] || { usage >&2; exit 2; }
command -v mke2fs >/dev/null || PATH=$PATH:/sbin:/usr/sbin
command -v mke2fs >/dev/null || { echo "mkdisk: mke2fs not found (e2fsprogs)" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$PYTHON" "$SRCDIR/scripts/mkinitramfs.py" --busybox "$busybox" --tree "$tmp/tree"
# Fixed UUID, hash seed and times: the image depends on its inputs only.
E2FSPROGS_FAKE_TIME=1 mke2fs -q -F -t ext4 -L tern-disk \
	-U 7e57d15c-0000-4000-8000-7e57d15c0000 -E hash_seed=7e57d15c-0000-4000-8000-7e57d15c0001,root_owner=0:0 \
	-d "$tmp/tree" "$tmp/disk.img" "${size}M" >/dev/null
mv -f "$tmp/disk.img" "$out"
