#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Idempotent: fetch the Linux test guest into the cache: Debian's current
# arm64 kernel (a plain arm64 Image) with the modules it needs for a disk
# (virtio-mmio, virtio-blk, ext4), a BusyBox initramfs built from Debian's
# arm64 busybox-static by scripts/mkinitramfs.py (no root, no cpio binary)
# and an ext4 disk image of the same tree (scripts/mkdisk.sh). Packages come
# through the same private arm64 apt lists as the libfdt of scripts/deps.sh.
# Quiet when everything is cached.

set -euo pipefail

SRCDIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# Made absolute because the download step changes directory.
CACHE=$(realpath -m -- "${TERN_CACHE:-$HOME/.cache/tern}")
GUEST=$CACHE/guest
KERNEL=$GUEST/Image
KVERSION=$GUEST/kernel.version
BUSYBOX=$GUEST/busybox
BVERSION=$GUEST/busybox.version
INITRD=$GUEST/initramfs.cpio.gz
MODULES=$GUEST/modules
DISK=$GUEST/disk.img
MKINITRAMFS=$SRCDIR/scripts/mkinitramfs.py
GUEST_MODULES=$SRCDIR/scripts/guest-modules.py
MKDISK=$SRCDIR/scripts/mkdisk.sh
GUEST_PERF=$SRCDIR/scripts/guest-perf.py
PERF=$GUEST/perf
# The kernel modules the guest loads (their dependencies come along); ext4 and jbd2 find
# crc32c through the crypto API, so its module is named too.
WANTED_MODULES="virtio_mmio virtio_blk crc32c_generic ext4"
PYTHON=${PYTHON:-/usr/bin/python3}

usage() {
	cat <<EOF
Usage: scripts/fetch-guest.sh [OPTION]...

Put a Linux test guest into $GUEST/,
fetching only what is missing:
  Image              Debian's current arm64 kernel (the linux-image-<version>-
                     arm64 that linux-image-arm64 depends on), a plain Image
  kernel.version     its release (what uname -r says)
  modules/           the kernel's virtio-mmio, virtio-blk and ext4 modules
                     and what they depend on (scripts/guest-modules.py)
  initramfs.cpio.gz  BusyBox initramfs: /init mounts proc, sysfs and devtmpfs,
                     loads the modules, mounts the VM's disk /dev/vda on /mnt
                     if it has one, prints "Tern guest: Linux <release> up"
                     and runs a shell on the console, prompt "tern-guest:/# ";
                     poweroff and reboot work from it
  disk.img           a 160 MiB ext4 image of the same BusyBox tree (mke2fs -d,
                     e2fsprogs), the VM's disk in `make run`
  busybox            the arm64 busybox-static it is built from

  --perf      also put Debian's arm64 perf (linux-perf) with the shared
              libraries it loads into perf/ (scripts/guest-perf.py), for an
              initramfs that has it (scripts/mkinitramfs.py --extra perf/);
              prints PERF=<path> too
  --print     print only KERNEL=, INITRD= and DISK=<path> lines on stdout
              (for the Makefile); without it the paths are printed as
              "kernel: ...", "initrd: ..." and "disk: ..."
  --force     fetch the packages again (e.g. for a newer Debian kernel) and
              rebuild the initramfs
  -h, --help  show this help

The cache is \${TERN_CACHE:-\$HOME/.cache/tern} (now: $CACHE). The kernel is
not refreshed once cached: use --force for that. The initramfs is rebuilt
when scripts/mkinitramfs.py is newer than it. Progress and errors go to
stderr; a fetch leaves its apt output in $CACHE/guest-apt.log.
EOF
}

say() { echo "fetch-guest: $*" >&2; }
die() {
	say "error: $*"
	exit 1
}

# shellcheck source=scripts/lib/arm64-apt.sh
. "$SRCDIR/scripts/lib/arm64-apt.sh"

print=0
force=0
want_perf=0
for arg; do
	case $arg in
	--print) print=1 ;;
	--perf) want_perf=1 ;;
	--force) force=1 ;;
	-h | --help)
		usage
		exit 0
		;;
	*)
		say "unknown option: $arg"
		usage >&2
		exit 2
		;;
	esac
done

# True when $1 is a plain arm64 Linux Image: "ARM\x64" at offset 56.
is_arm64_image() {
	[ -f "$1" ] && [ "$(od -An -tx1 -j56 -N4 -- "$1" | tr -d ' \n')" = 41524d64 ]
}

have_kernel() {
	is_arm64_image "$KERNEL" && [ -s "$KVERSION" ] && [ -s "$MODULES/order" ] &&
		[ "$(cat "$MODULES/release" 2>/dev/null)" = "$(cat "$KVERSION")" ]
}

have_busybox() {
	[ -s "$BUSYBOX" ] && [ -s "$BVERSION" ] &&
		[ "$(head -c4 -- "$BUSYBOX" | od -An -tx1 | tr -d ' \n')" = 7f454c46 ]
}

# The linux-image-<release> package that linux-image-arm64 depends on now.
resolve_kernel_package() {
	local pkg
	pkg=$(apt_cache_arm64 depends linux-image-arm64 2>>"$LOG" |
		sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*-arm64\)$/\1/p' | head -n1)
	[ -n "$pkg" ] || {
		cat "$LOG" >&2
		die "cannot resolve linux-image-arm64 to a linux-image-<version>-arm64 package (log: $LOG)"
	}
	echo "$pkg"
}

# fetch_kernel DOWNLOAD_DIR: download the current kernel package, take only
# its boot/vmlinuz and the few modules the guest needs (not the ~400 MB of
# modules) and install them as $KERNEL and $MODULES.
fetch_kernel() {
	local dl=$1 pkg release deb vmlinuz tmp=$KERNEL.tmp
	pkg=$(resolve_kernel_package)
	release=${pkg#linux-image-}
	say "fetching $pkg"
	arm64_download "$dl" "$LOG" "$pkg" || {
		cat "$LOG" >&2
		die "could not download $pkg (log: $LOG)"
	}
	local debs=("$dl/${pkg}"_*.deb)
	deb=${debs[0]}
	[ -f "$deb" ] || die "apt-get download left no ${pkg}_*.deb in $dl"

	vmlinuz=boot/vmlinuz-$release
	rm -f "$tmp"
	dpkg-deb --fsys-tarfile "$deb" | tar -xO -f - "./$vmlinuz" >"$tmp" ||
		die "${deb##*/} has no $vmlinuz"
	[ -s "$tmp" ] || die "${deb##*/}: $vmlinuz is empty"
	# Debian's arm64 vmlinuz is a plain Image; be ready for a gzip one.
	if [ "$(head -c2 -- "$tmp" | od -An -tx1 | tr -d ' \n')" = 1f8b ]; then
		gzip -dc <"$tmp" >"$tmp.raw" || die "$vmlinuz: bad gzip data"
		mv -f "$tmp.raw" "$tmp"
	fi
	is_arm64_image "$tmp" ||
		die "$vmlinuz in ${deb##*/} is not an arm64 Image (no ARM\\x64 magic at offset 56)"
	# shellcheck disable=SC2086 # a list of module names
	"$PYTHON" "$GUEST_MODULES" --deb "$deb" --release "$release" --out "$MODULES" \
		$WANTED_MODULES || die "cannot take the modules out of ${deb##*/}"
	mv -f "$tmp" "$KERNEL"
	echo "$release" >"$KVERSION"
	say "kernel $release ($pkg $(dpkg-deb -f "$deb" Version)): $KERNEL"
}

fetch_busybox() {
	local dl=$1 deb
	local x=$dl/busybox-static
	say "fetching busybox-static"
	arm64_download "$dl" "$LOG" busybox-static || {
		cat "$LOG" >&2
		die "could not download busybox-static (log: $LOG)"
	}
	local debs=("$dl"/busybox-static_*.deb)
	deb=${debs[0]}
	[ -f "$deb" ] || die "apt-get download left no busybox-static_*.deb in $dl"
	dpkg -x "$deb" "$x"
	[ -f "$x/bin/busybox" ] || die "${deb##*/} has no bin/busybox"
	install -m 0755 "$x/bin/busybox" "$BUSYBOX.tmp"
	mv -f "$BUSYBOX.tmp" "$BUSYBOX"
	echo "busybox-static $(dpkg-deb -f "$deb" Version)" >"$BVERSION"
	say "$(cat "$BVERSION"): $BUSYBOX"
}

have_perf() {
	[ -x "$PERF/usr/bin/perf" ] && [ "$GUEST_PERF" -ot "$PERF/usr/bin/perf" ]
}

# linux-perf and the library packages it depends on, recursively (not Perl's or Python's
# interpreters and standard libraries: perf only loads their shared libraries).
fetch_perf() {
	local dl=$CACHE/guest-perf-download pkgs
	arm64_apt_check_tools "perf"
	rm -rf "$dl" "$PERF"
	mkdir -p "$dl" "$GUEST"
	: >"$LOG"
	arm64_update_lists "$LOG" || {
		cat "$LOG" >&2
		die "could not update the arm64 package lists (log: $LOG)"
	}
	pkgs=$(apt_cache_arm64 depends --recurse --no-recommends --no-suggests --no-conflicts \
		--no-breaks --no-replaces --no-enhances linux-perf 2>>"$LOG" |
		grep -E '^(lib|zlib)' | grep -vE -- '-(stdlib|minimal|common)$' | sort -u)
	[ -n "$pkgs" ] || die "cannot resolve the dependencies of linux-perf (log: $LOG)"
	say "fetching linux-perf and $(echo "$pkgs" | wc -w) library packages"
	# shellcheck disable=SC2086 # a list of package names
	arm64_download "$dl" "$LOG" linux-perf $pkgs || {
		cat "$LOG" >&2
		die "could not download linux-perf (log: $LOG)"
	}
	"$PYTHON" "$GUEST_PERF" --debs "$dl" --out "$PERF" >&2 || die "guest-perf.py failed"
	rm -rf "$dl"
}

fetch_packages() {
	local need_kernel=$1 need_busybox=$2 dl=$CACHE/guest-download
	arm64_apt_check_tools "the guest kernel and busybox"
	# Download, then unpack beside the result and rename, so an interrupted
	# run never leaves something that looks complete.
	rm -rf "$dl"
	mkdir -p "$dl" "$GUEST"
	: >"$LOG"
	# Refresh the lists first: an old list names a kernel the mirror may
	# no longer have.
	arm64_update_lists "$LOG" || {
		cat "$LOG" >&2
		die "could not update the arm64 package lists (log: $LOG)"
	}
	if [ "$need_kernel" = 1 ]; then fetch_kernel "$dl"; fi
	if [ "$need_busybox" = 1 ]; then fetch_busybox "$dl"; fi
	rm -rf "$dl"
}

build_initramfs() {
	[ -x "$PYTHON" ] || die "$PYTHON is needed to build the initramfs"
	"$PYTHON" "$MKINITRAMFS" --busybox "$BUSYBOX" --modules "$MODULES" --out "$INITRD" ||
		die "mkinitramfs.py failed"
	say "initramfs: $INITRD"
}

build_disk() {
	"$MKDISK" --busybox "$BUSYBOX" --out "$DISK" || die "mkdisk.sh failed"
	say "disk: $DISK"
}

LOG=$CACHE/guest-apt.log

need_kernel=$force
need_busybox=$force
have_kernel || need_kernel=1
have_busybox || need_busybox=1

if [ "$need_kernel" = 1 ] || [ "$need_busybox" = 1 ]; then
	arm64_lock
	# Another run may have fetched them while we waited (unless --force).
	if [ "$force" = 0 ]; then
		have_kernel && need_kernel=0
		have_busybox && need_busybox=0
	fi
	if [ "$need_kernel" = 1 ] || [ "$need_busybox" = 1 ]; then
		fetch_packages "$need_kernel" "$need_busybox"
		rm -f "$INITRD"
	fi
	arm64_unlock
fi

stale_initramfs() {
	[ ! -s "$INITRD" ] || [ "$MKINITRAMFS" -nt "$INITRD" ] || [ "$BUSYBOX" -nt "$INITRD" ] ||
		[ "$MODULES/order" -nt "$INITRD" ]
}

stale_disk() {
	[ ! -s "$DISK" ] || [ "$MKINITRAMFS" -nt "$DISK" ] || [ "$MKDISK" -nt "$DISK" ] ||
		[ "$BUSYBOX" -nt "$DISK" ]
}

if [ "$force" = 1 ] || stale_initramfs || stale_disk; then
	arm64_lock
	# Rebuild unless another run did while we waited.
	if [ "$force" = 1 ] || stale_initramfs; then
		build_initramfs
	fi
	if [ "$force" = 1 ] || stale_disk; then
		build_disk
	fi
	arm64_unlock
fi

if [ "$want_perf" = 1 ] && { [ "$force" = 1 ] || ! have_perf; }; then
	arm64_lock
	if [ "$force" = 1 ] || ! have_perf; then
		fetch_perf
	fi
	arm64_unlock
fi

if [ "$print" = 1 ]; then
	echo "KERNEL=$KERNEL"
	echo "INITRD=$INITRD"
	echo "DISK=$DISK"
	if [ "$want_perf" = 1 ]; then echo "PERF=$PERF"; fi
else
	echo "kernel: $KERNEL ($(cat "$KVERSION"))"
	echo "initrd: $INITRD"
	echo "disk: $DISK"
fi
