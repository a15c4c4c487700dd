# SPDX-License-Identifier: GPL-2.0-only
# The guest's ID registers from the field table, with the hardware's values faked.
UNIT_TESTS += sysreg_id
sysreg_id-srcs := arch/arm64/sysreg_id.c tests/unit/test_sysreg_id.c
sysreg_id-cflags := -DCONFIG_VIRT_IRQCHIP=1
