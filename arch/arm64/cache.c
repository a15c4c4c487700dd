// SPDX-License-Identifier: GPL-2.0-only
#include <asm/cache.h>
#include <asm/sysreg.h>
#include <string.h>
#include <tern/compiler.h>

static unsigned long dcache_line_size(void)
{
	/* CTR_EL0.DminLine: log2 of the smallest line in words */
	return 4UL << ((read_sysreg(ctr_el0) >> CTR_EL0_DMINLINE_SHIFT) & 0xF);
}

/*
 * A maintenance instruction takes its address from a register, so each line costs it and an
 * add; eight lines per iteration share the compare and branch. All of a VM's RAM goes through
 * here when the VM is created (256 MiB: 4 M lines of 64 bytes), so that is ~2.3 instructions a
 * line instead of 4.
 */
#define DCACHE_STEP(op) "dc " op ", %0\n\tadd %0, %0, %1\n\t"
#define DCACHE_LINES8(op, a, line)                                                                 \
	__asm__ __volatile__(DCACHE_STEP(op) DCACHE_STEP(op) DCACHE_STEP(op) DCACHE_STEP(op)       \
				 DCACHE_STEP(op) DCACHE_STEP(op) DCACHE_STEP(op) DCACHE_STEP(op)   \
			     : "+r"(a)                                                             \
			     : "r"(line)                                                           \
			     : "memory")

#define DCACHE_OP(name, op)                                                                        \
	void name(paddr_t start, paddr_t end)                                                      \
	{                                                                                          \
		unsigned long line = dcache_line_size();                                           \
		paddr_t a = start & ~(line - 1);                                                   \
                                                                                                   \
		while (a + 8 * line <= end)                                                        \
			DCACHE_LINES8(op, a, line);                                                \
		for (; a < end; a += line)                                                         \
			__asm__ __volatile__("dc " op ", %0" ::"r"(a) : "memory");                 \
		dsb(sy);                                                                           \
	}

DCACHE_OP(dcache_clean_range, "cvac")
DCACHE_OP(dcache_inval_range, "ivac")
DCACHE_OP(dcache_clean_inval_range, "civac")

/* One block zeroed and cleaned per step, where a DC ZVA block is a cache line (as on QEMU). */
#define DCACHE_ZERO_CLEAN_STEP "dc zva, %0\n\tdc cvac, %0\n\tadd %0, %0, %1\n\t"

/*
 * DC ZVA zeroes a whole block (DCZID_EL0.BS: 64 bytes to 2 KiB; 64 on QEMU's max CPU) in one
 * instruction, where memset takes ~7 per 64 bytes; the edges no whole block covers, and all of it
 * where DC ZVA is prohibited, go to memset. Where a block is a cache line, each is cleaned right
 * after it is zeroed (one add for both). With the MMU on only: DC ZVA faults on Device memory,
 * which all memory is to a translation regime with its MMU off.
 */
void dcache_zero_range(paddr_t start, paddr_t end)
{
	u64 dczid = read_sysreg(dczid_el0);
	unsigned long blk = 4UL << (dczid & DCZID_EL0_BS_MASK);
	paddr_t zs = ALIGN_UP(start, blk), ze = ALIGN_DOWN(end, blk), a = zs;

	if ((dczid & DCZID_EL0_DZP) || zs >= ze) {
		memset((void *)start, 0, end - start);
		dcache_clean_range(start, end);
		return;
	}
	memset((void *)start, 0, zs - start);
	memset((void *)ze, 0, end - ze);
	if (blk != dcache_line_size()) {
		while (a + 8 * blk <= ze)
			DCACHE_LINES8("zva", a, blk);
		for (; a < ze; a += blk)
			__asm__ __volatile__("dc zva, %0" ::"r"(a) : "memory");
		dcache_clean_range(start, end);
		return;
	}
	while (a + 8 * blk <= ze)
		__asm__ __volatile__(
		    DCACHE_ZERO_CLEAN_STEP DCACHE_ZERO_CLEAN_STEP DCACHE_ZERO_CLEAN_STEP
			DCACHE_ZERO_CLEAN_STEP DCACHE_ZERO_CLEAN_STEP DCACHE_ZERO_CLEAN_STEP
			    DCACHE_ZERO_CLEAN_STEP DCACHE_ZERO_CLEAN_STEP
		    : "+r"(a)
		    : "r"(blk)
		    : "memory");
	for (; a < ze; a += blk)
		__asm__ __volatile__("dc zva, %0\n\tdc cvac, %0" ::"r"(a) : "memory");
	if (start < zs)
		dcache_clean_range(start, zs);
	if (ze < end)
		dcache_clean_range(ze, end);
	dsb(sy);
}

void icache_inval_all(void)
{
	__asm__ __volatile__("ic ialluis" ::: "memory");
	dsb(ish);
	isb();
}
