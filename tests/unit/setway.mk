# SPDX-License-Identifier: GPL-2.0-only
# Set/way cache maintenance as maintenance of the VM's RAM, with the registers and caches faked.
UNIT_TESTS += setway
setway-srcs := arch/arm64/setway.c tests/unit/test_setway.c
