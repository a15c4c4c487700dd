# SPDX-License-Identifier: GPL-2.0-only
# Guest types as boot contracts: accepted images, device tree and initrd, PSCI conduit.
UNIT_TESTS += guest_type
guest_type-srcs := core/guest_type.c tests/unit/stub_printk.c tests/unit/test_guest_type.c
