# SPDX-License-Identifier: GPL-2.0-only
UNIT_TESTS += mmio
mmio-srcs := core/mmio.c core/page_alloc.c core/page_alloc_global.c tests/unit/stub_printk.c tests/unit/test_mmio.c tests/unit/unit_arena.c
