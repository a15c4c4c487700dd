# SPDX-License-Identifier: GPL-2.0-only
# The hypervisor console's line editor, hand-over and command parser with the real printk on a
# fake console, over a table of fake commands.
UNIT_TESTS += hypcon
hypcon-srcs := core/hypcon.c core/printk.c core/format.c core/errno.c tests/unit/support.c \
	tests/unit/test_hypcon.c
hypcon-cflags := -DCONFIG_HYP_CONSOLE=1
