# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Sourced by scripts/deps.sh and scripts/fetch-guest.sh: fetch arm64 Debian
# packages with apt-get into the cache, through package lists kept under the
# cache, so the host's apt configuration and state are left alone.
#
# The caller sets CACHE (an absolute path) and defines die(); this file only
# defines functions.

# apt-get / apt-cache restricted to arm64 and to package lists under the cache.
_arm64_apt_opts() {
	ARM64_APT_OPTS=(
		-o APT::Architecture=arm64 -o APT::Architectures=arm64
		-o Dir::State::Lists="$CACHE/apt/lists"
		-o Dir::Cache="$CACHE/apt/cache"
	)
}

apt_arm64() {
	local ARM64_APT_OPTS
	_arm64_apt_opts
	apt-get -q "${ARM64_APT_OPTS[@]}" "$@"
}

apt_cache_arm64() {
	local ARM64_APT_OPTS
	_arm64_apt_opts
	apt-cache "${ARM64_APT_OPTS[@]}" "$@"
}

# Fail unless the tools to fetch and unpack packages exist; $1 says what for.
arm64_apt_check_tools() {
	if ! command -v apt-get >/dev/null || ! command -v dpkg >/dev/null; then
		die "apt-get and dpkg are needed to fetch $1"
	fi
	mkdir -p "$CACHE/apt/lists/partial" "$CACHE/apt/cache/archives/partial"
}

# Serialise every fetch into the cache (they share the package lists):
# parallel makes may all ask at once; let one fetch, the others wait.
# Holds the lock on fd 9 until arm64_unlock or the end of the process.
arm64_lock() {
	mkdir -p "$CACHE"
	exec 9>"$CACHE/.lock"
	flock 9
}

arm64_unlock() {
	exec 9>&-
}

# arm64_update_lists LOG: refresh the private package lists (output to LOG).
arm64_update_lists() {
	apt_arm64 update >"$1" 2>&1 </dev/null
}

# arm64_download DIR LOG PACKAGE...: apt-get download into DIR, output
# appended to LOG.
arm64_download() {
	local dir=$1 log=$2
	shift 2
	(cd "$dir" && apt_arm64 download "$@") >>"$log" 2>&1 </dev/null
}
