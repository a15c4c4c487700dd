#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Idempotent host set-up for `make run`, `make check` and `make bench`:
# the Debian packages the build and tests need, and an arm64 libfdt.a
# (Tern links libfdt, and Debian ships no cross-built one) unpacked into
# a cache outside the source tree. Quiet when there is nothing to do.

set -euo pipefail

PACKAGES=(
	gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu qemu-system-arm
	python3-kconfiglib device-tree-compiler libfdt-dev python3-pexpect
	python3-pytest libcmocka-dev gcc make clang-format cppcheck python3-matplotlib
	clang libclang-rt-14-dev e2fsprogs
	u-boot-qemu gdb-multiarch
)

# Made absolute because the download step changes directory.
CACHE=$(realpath -m -- "${TERN_CACHE:-$HOME/.cache/tern}")
LIBFDT_DIR=$CACHE/arm64-libfdt
LIBFDT_STAMP=$LIBFDT_DIR/.stamp

usage() {
	cat <<EOF
Usage: scripts/deps.sh [OPTION]

Prepare the host for building and testing Tern.

  --all                 install missing Debian packages and fetch the arm64
                        libfdt (the default)
  --packages-only       only check for / install the Debian packages
  --libfdt              only fetch the arm64 libfdt into the cache
  --print-libfdt-dir    fetch the arm64 libfdt if needed, then print its
                        directory (for the Makefile: LIBFDT_DIR := \$(shell ...));
                        nothing else goes to stdout
  --list-packages       print the Debian packages the project needs
  -h, --help            show this help

Packages: as root, missing ones are installed with apt-get (unattended);
otherwise the sudo command to run is printed and the script exits 1.

The arm64 libfdt is fetched with apt-get using private package lists under
the cache, so the host's apt configuration is left alone:
  cache    \${TERN_CACHE:-\$HOME/.cache/tern} (now: $CACHE)
  result   $LIBFDT_DIR/usr/lib/aarch64-linux-gnu/libfdt.a
           $LIBFDT_DIR/usr/include/libfdt.h
Delete $LIBFDT_DIR to fetch it again.
EOF
}

# Progress and errors go to stderr so --print-libfdt-dir keeps stdout clean.
say() { echo "deps: $*" >&2; }
die() {
	say "error: $*"
	exit 1
}

installed() {
	[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" = "install ok installed" ]
}

ensure_packages() {
	local missing=() p
	for p in "${PACKAGES[@]}"; do
		installed "$p" || missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0

	if [ "$(id -u)" -ne 0 ]; then
		say "missing Debian packages: ${missing[*]}"
		say "install them with:"
		echo "  sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
		exit 1
	fi
	say "installing: ${missing[*]}"
	# A fresh container has empty package lists; update once, right before use.
	apt-get update -q >&2
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
		"${missing[@]}" </dev/null >&2
}

# apt_arm64, arm64_lock, arm64_download...: shared with fetch-guest.sh.
# shellcheck source=scripts/lib/arm64-apt.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/arm64-apt.sh"

# True when directory $1 holds an unpacked arm64 libfdt-dev.
has_libfdt() {
	[ -f "$1/usr/lib/aarch64-linux-gnu/libfdt.a" ] && [ -f "$1/usr/include/libfdt.h" ]
}

fetch_libfdt() {
	if [ -f "$LIBFDT_STAMP" ] && has_libfdt "$LIBFDT_DIR"; then
		return 0
	fi
	arm64_apt_check_tools "the arm64 libfdt"

	arm64_lock
	if [ -f "$LIBFDT_STAMP" ] && has_libfdt "$LIBFDT_DIR"; then
		arm64_unlock
		return 0
	fi

	say "fetching arm64 libfdt-dev into $CACHE"
	local log=$CACHE/apt.log dl=$CACHE/download
	rm -rf "$dl" "$LIBFDT_DIR.tmp"
	mkdir -p "$dl"
	if ! { arm64_update_lists "$log" && arm64_download "$dl" "$log" libfdt-dev; }; then
		cat "$log" >&2
		die "could not download the arm64 libfdt-dev package (log: $log)"
	fi

	local debs=("$dl"/libfdt-dev_*.deb)
	[ -f "${debs[0]}" ] || die "apt-get download left no libfdt-dev_*.deb in $dl"
	# Unpack beside the result and rename, so an interrupted run never
	# leaves a half-populated directory that looks complete.
	dpkg -x "${debs[0]}" "$LIBFDT_DIR.tmp"
	has_libfdt "$LIBFDT_DIR.tmp" || die "${debs[0]##*/} has no libfdt.a / libfdt.h"
	basename "${debs[0]}" >"$LIBFDT_DIR.tmp/.stamp"
	rm -rf "$LIBFDT_DIR"
	mv "$LIBFDT_DIR.tmp" "$LIBFDT_DIR"
	rm -rf "$dl"
	say "arm64 libfdt ready: $LIBFDT_DIR ($(cat "$LIBFDT_STAMP"))"
	arm64_unlock
}

mode=--all
case $# in
0) ;;
1) mode=$1 ;;
*)
	usage >&2
	exit 2
	;;
esac

case $mode in
--all)
	ensure_packages
	fetch_libfdt
	;;
--packages-only) ensure_packages ;;
--libfdt) fetch_libfdt ;;
--print-libfdt-dir)
	fetch_libfdt
	echo "$LIBFDT_DIR"
	;;
--list-packages) printf '%s\n' "${PACKAGES[@]}" ;;
-h | --help) usage ;;
*)
	say "unknown option: $mode"
	usage >&2
	exit 2
	;;
esac
