# SPDX-License-Identifier: GPL-2.0-only
# A VM's console output through the real printk onto a fake console: tags, escaping, line
# bounds, partial lines and flushes, with several VMs (CONFIG_NR_VMS 2 here; 4 VMs in struct vm).
UNIT_TESTS += console_vm
console_vm-srcs := core/console_vm.c core/printk.c core/format.c core/errno.c tests/unit/support.c \
	tests/unit/test_console_vm.c
