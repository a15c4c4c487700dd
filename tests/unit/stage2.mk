# SPDX-License-Identifier: GPL-2.0-only
# Stage-2 tables over host memory; asm/tlb.h and asm/cpuid.h come from tests/unit/include.
UNIT_TESTS += stage2
stage2-srcs := arch/arm64/stage2.c core/page_alloc.c core/page_alloc_global.c tests/unit/stub_printk.c \
	tests/unit/test_stage2.c tests/unit/unit_arena.c
