# SPDX-License-Identifier: GPL-2.0-only
# The table of every system register (include/asm/sysreg_table.h) and its copy in docs/guests.md.
UNIT_TESTS += sysreg_table
sysreg_table-srcs := tests/unit/test_sysreg_table.c include/asm/sysreg_table.h
