/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef ASM_MMU_H
#define ASM_MMU_H

#include <tern/types.h>

/* How a range of Tern's own (EL2 stage-1, identity) map may be used. Nothing is both W and X. */
enum mmu_perm {
	MMU_TEXT,   /* read, execute */
	MMU_RODATA, /* read only */
	MMU_DATA,   /* read, write, never execute */
	MMU_DEVICE, /* Device-nGnRE, read, write, never execute */
};

struct mmu_range {
	paddr_t start;
	paddr_t end;
};

/*
 * Map [start, end) 1:1 with @perm (rounded out to pages). Entries already valid are an error
 * (-TERN_EEXIST): mappings are only added, never changed, so no break-before-make is needed.
 */
int mmu_map(paddr_t start, paddr_t end, enum mmu_perm perm);
/* Map [start, end) except the @nholes ranges in @holes, which stay as they are. */
int mmu_map_except(paddr_t start, paddr_t end, enum mmu_perm perm, const struct mmu_range *holes,
		   unsigned int nholes);
/* True if @addr is mapped in Tern's stage-1 (for the panic dump's backtrace walker). */
bool mmu_is_mapped(paddr_t addr);
/* Physical address bits the EL2 tables cover (from ID_AA64MMFR0_EL1.PARange, at most 48). */
unsigned int mmu_pa_bits(void);
/* Called with the MMU off: map the image, the DTB and the early console; set mmu_boot_regs. */
void arch_boot_mmu_prepare(const void *dtb);

/* Registers enable_mmu (head.S) loads, on every pCPU. */
struct mmu_boot_regs {
	u64 mair;
	u64 tcr;
	u64 ttbr0;
	u64 sctlr;
};
extern struct mmu_boot_regs mmu_boot_regs;

/* Linker-script symbols */
extern char _text[], _etext[], _rodata[], _erodata[], _data[], _end[];

/* Where Tern's image (text to the end of bss) lies; the map is 1:1 so this is physical. */
static inline paddr_t image_start(void)
{
	return (paddr_t)_text;
}

static inline paddr_t image_end(void)
{
	return (paddr_t)_end;
}

#endif
