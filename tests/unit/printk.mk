# SPDX-License-Identifier: GPL-2.0-only
UNIT_TESTS += printk
printk-srcs := core/printk.c core/format.c core/errno.c tests/unit/support.c tests/unit/test_printk.c
