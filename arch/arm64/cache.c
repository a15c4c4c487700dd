// SPDX-License-Identifier: GPL-2.0-only
#include <asm/cache.h>
#include <asm/sysreg.h>

static unsigned long dcache_line_size(void)
{
	/* CTR_EL0.DminLine: log2 of the smallest line in words */
	return 4UL << ((read_sysreg(ctr_el0) >> 16) & 0xF);
}

#define DCACHE_OP(name, op)                                                                        \
	void name(paddr_t start, paddr_t end)                                                      \
	{                                                                                          \
		unsigned long line = dcache_line_size();                                           \
                                                                                                   \
		for (paddr_t a = start & ~(line - 1); a < end; a += line)                          \
			__asm__ __volatile__("dc " op ", %0" ::"r"(a) : "memory");                 \
		dsb(sy);                                                                           \
	}

DCACHE_OP(dcache_clean_range, "cvac")
DCACHE_OP(dcache_inval_range, "ivac")
DCACHE_OP(dcache_clean_inval_range, "civac")

void icache_inval_all(void)
{
	__asm__ __volatile__("ic ialluis" ::: "memory");
	dsb(ish);
	isb();
}
