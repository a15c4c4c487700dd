# SPDX-License-Identifier: GPL-2.0-only
# The trapped-register handler rows of arch/arm64/sysreg_emul.c against sysreg_table.h's policies.
UNIT_TESTS += sysreg_emul
sysreg_emul-srcs := arch/arm64/sysreg_emul.c tests/unit/test_sysreg_emul.c include/asm/sysreg_table.h
sysreg_emul-cflags := -DCONFIG_VIRT_IRQCHIP=1
