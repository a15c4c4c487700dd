# SPDX-License-Identifier: GPL-2.0-only
# The emulated PL011 against fake VM services, and the console receive ring under two threads.
UNIT_TESTS += vpl011
vpl011-srcs := virt/vpl011.c core/console_rx.c core/errno.c tests/unit/stub_printk.c \
	tests/unit/test_vpl011.c tests/unit/unit_pages.c
vpl011-cflags := -pthread -DCONFIG_VIRT_PL011=1
