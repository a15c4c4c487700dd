#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Write TERN_VERSION into $2, touching the file only when the version changed.
# The version is `git describe --always --dirty`; a tree without git metadata
# (an exported tarball) uses the VERSION file if present, else "unknown".
set -eu
src=$1
out=$2
ver=$(git -C "$src" describe --always --dirty 2>/dev/null) ||
	ver=$(cat "$src/VERSION" 2>/dev/null) || ver=unknown
new="#define TERN_VERSION \"$ver\""
if [ ! -f "$out" ] || [ "$(cat "$out")" != "$new" ]; then
	printf '%s\n' "$new" >"$out"
fi
