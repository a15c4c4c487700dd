# SPDX-License-Identifier: GPL-2.0-only
# Guest RAM access and image loading (core/vm.c, core/vm_load.c) with the cache maintenance
# recorded: every byte Tern writes into guest RAM is cleaned to PoC after it is written.
UNIT_TESTS += vm_ram
vm_ram-srcs := core/vm.c core/strtab.c core/vm_ram_demand.c core/vm_load.c arch/arm64/stage2.c core/page_alloc.c core/page_alloc_global.c core/errno.c \
	tests/unit/stub_printk.c tests/unit/support.c tests/unit/test_vm_ram.c tests/unit/unit_arena.c
