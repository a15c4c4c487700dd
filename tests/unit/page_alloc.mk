# SPDX-License-Identifier: GPL-2.0-only
UNIT_TESTS += page_alloc
page_alloc-srcs := core/page_alloc.c core/page_alloc_global.c tests/unit/stub_printk.c tests/unit/test_page_alloc.c
