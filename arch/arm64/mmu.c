// SPDX-License-Identifier: GPL-2.0-only
/*
 * Tern's own EL2 stage-1 translation: a 1:1 map with 4 KiB granules, 48-bit VA, four
 * levels, built from a static pool of tables so it works before the page allocator
 * (and with the MMU still off, for the boot map). Text is RX, rodata R, everything else RW
 * and XN; SCTLR_EL2.WXN makes the hardware enforce that nothing is writable and executable.
 */
#include <asm/mmu.h>
#include <asm/sysreg.h>
#include <tern/compiler.h>
#include <tern/errno.h>
#include <tern/page_alloc.h>
#include <tern/percpu.h>
#include <tern/platform.h>
#include <tern/printk.h>
#include <tern/panic.h>
#include <asm/cache.h>
#include <tern/early_console.h>

#define PTE_VALID      (1UL << 0)
#define PTE_TABLE      (1UL << 1) /* at levels 0-2; at level 3 the same bit marks a page */
#define PTE_ATTRIDX(i) ((u64)(i) << 2)
#define PTE_AP_RES1    (1UL << 6) /* AP[1] is RES1 in a single-privilege regime */
#define PTE_AP_RO      (1UL << 7)
#define PTE_SH_INNER   (3UL << 8)
#define PTE_AF	       (1UL << 10)
#define PTE_XN	       (1UL << 54)
#define PTE_ADDR_MASK  GENMASK(47, 12)

#define MMU_ENTRIES	512
#define MMU_BOOT_TABLES 64

static u64 mmu_tables[MMU_BOOT_TABLES][MMU_ENTRIES] __aligned(4096);
static unsigned int mmu_tables_used;
static u64 *mmu_root;
static unsigned int mmu_pa_width = 48;
struct mmu_boot_regs mmu_boot_regs;

static u64 mmu_perm_attrs(enum mmu_perm perm)
{
	u64 normal = PTE_AF | PTE_AP_RES1 | PTE_SH_INNER | PTE_ATTRIDX(MT_NORMAL);

	switch (perm) {
	case MMU_TEXT:
		return normal | PTE_AP_RO;
	case MMU_RODATA:
		return normal | PTE_AP_RO | PTE_XN;
	case MMU_DATA:
		return normal | PTE_XN;
	case MMU_DEVICE:
	default:
		return PTE_AF | PTE_AP_RES1 | PTE_ATTRIDX(MT_DEVICE_nGnRE) | PTE_XN;
	}
}

static bool mmu_enabled(void)
{
	return read_sysreg(sctlr_el2) & SCTLR_EL2_M;
}

static u64 *mmu_table_alloc(void)
{
	u64 *t;

	if (mmu_tables_used < MMU_BOOT_TABLES) {
		t = mmu_tables[mmu_tables_used++];
	} else {
		/* Once the boot pool is used up the allocator exists (it is set up right after RAM
		 * is mapped). */
		t = page_zalloc(0);
		if (!t)
			return NULL;
	}
	for (unsigned int i = 0; i < MMU_ENTRIES; i++)
		t[i] = 0;
	return t;
}

static void mmu_write_pte(u64 *pte, u64 val)
{
	WRITE_ONCE(*pte, val);
	/* The walker must see the entry before anything uses it (translation faults are not
	 * cached). */
	if (mmu_enabled())
		dsb(ishst);
}

static int mmu_map_level(u64 *table, unsigned int level, u64 start, u64 end, u64 attrs)
{
	unsigned int shift = 39 - 9 * level;
	u64 size = 1UL << shift;

	for (u64 addr = start, next; addr < end; addr = next) {
		u64 *pte = &table[(addr >> shift) & (MMU_ENTRIES - 1)];
		u64 *sub;
		int rc;

		next = MIN(ALIGN_DOWN(addr, size) + size, end);
		if (level == 3) {
			if (*pte & PTE_VALID)
				return -TERN_EEXIST;
			mmu_write_pte(pte, addr | attrs | PTE_VALID | PTE_TABLE);
			continue;
		}
		if (!(*pte & PTE_VALID)) {
			if (level >= 1 && IS_ALIGNED(addr, size) && next - addr == size) {
				mmu_write_pte(pte, addr | attrs | PTE_VALID);
				continue;
			}
			sub = mmu_table_alloc();
			if (!sub)
				return -TERN_ENOMEM;
			mmu_write_pte(pte, (u64)(uintptr_t)sub | PTE_VALID | PTE_TABLE);
		} else if (!(*pte & PTE_TABLE)) {
			return -TERN_EEXIST;
		}
		sub = (u64 *)(uintptr_t)(*pte & PTE_ADDR_MASK);
		rc = mmu_map_level(sub, level + 1, addr, next, attrs);
		if (rc)
			return rc;
	}
	return 0;
}

int mmu_map(paddr_t start, paddr_t end, enum mmu_perm perm)
{
	start = ALIGN_DOWN(start, PAGE_SIZE);
	end = ALIGN_UP(end, PAGE_SIZE);
	if (end <= start)
		return 0;
	if ((u64)end > (1UL << mmu_pa_width)) {
		pr_warn("mmu: 0x%llx-0x%llx is beyond the %u-bit physical address space\n",
			(unsigned long long)start, (unsigned long long)end, mmu_pa_width);
		return -TERN_ERANGE;
	}
	return mmu_map_level(mmu_root, 0, start, end, mmu_perm_attrs(perm));
}

int mmu_map_except(paddr_t start, paddr_t end, enum mmu_perm perm, const struct mmu_range *holes,
		   unsigned int nholes)
{
	for (unsigned int i = 0; i < nholes; i++) {
		paddr_t hs = ALIGN_DOWN(holes[i].start, PAGE_SIZE);
		paddr_t he = ALIGN_UP(holes[i].end, PAGE_SIZE);
		int rc;

		if (he <= start || hs >= end)
			continue;
		/* Map what lies on either side of this hole, each piece against the remaining
		 * holes. */
		if (hs > start) {
			rc = mmu_map_except(start, hs, perm, holes + i + 1, nholes - i - 1);
			if (rc)
				return rc;
		}
		if (he < end)
			return mmu_map_except(he, end, perm, holes, nholes);
		return 0;
	}
	return mmu_map(start, end, perm);
}

bool mmu_is_mapped(paddr_t addr)
{
	u64 *table = mmu_root;

	for (unsigned int level = 0; level <= 3; level++) {
		u64 pte = table[(addr >> (39 - 9 * level)) & (MMU_ENTRIES - 1)];

		if (!(pte & PTE_VALID))
			return false;
		if (level == 3 || !(pte & PTE_TABLE))
			return true;
		table = (u64 *)(uintptr_t)(pte & PTE_ADDR_MASK);
	}
	return false;
}

unsigned int mmu_pa_bits(void)
{
	return mmu_pa_width;
}

static unsigned int mmu_parange_bits(unsigned int parange)
{
	static const unsigned char bits[] = { 32, 36, 40, 42, 44, 48 };

	return parange < ARRAY_SIZE(bits) ? bits[parange] : 48;
}

static u32 be32_load(const void *p)
{
	const u8 *b = p;

	return (u32)b[0] << 24 | (u32)b[1] << 16 | (u32)b[2] << 8 | b[3];
}

static void mmu_boot_map_or_halt(paddr_t start, paddr_t end, enum mmu_perm perm)
{
	/* With the MMU off the only way to report this is the early console, and it is fatal. */
	if (mmu_map(start, end, perm))
		panic("mmu: cannot map 0x%lx-0x%lx at boot", (unsigned long)start,
		      (unsigned long)end);
}

/* Runs with the MMU off: only PC-relative code, aligned accesses, no locks. */
void arch_boot_mmu_prepare(const void *dtb)
{
	unsigned int parange = read_sysreg(id_aa64mmfr0_el1) & ID_AA64MMFR0_PARANGE_MASK;
	paddr_t dtb_pa = (paddr_t)dtb;
	struct mmu_range guards[CONFIG_MAX_PCPUS];

	/* pCPU 0's stacks and guard must be known before anything can fault. */
	pcpu_prepare(0, read_sysreg(mpidr_el1) & MPIDR_HWID_MASK);
	early_console_init();
	mmu_pa_width = mmu_parange_bits(parange);
	mmu_root = mmu_table_alloc();

	mmu_boot_map_or_halt((paddr_t)_text, (paddr_t)_etext, MMU_TEXT);
	mmu_boot_map_or_halt((paddr_t)_rodata, (paddr_t)_erodata, MMU_RODATA);
	/* Data and bss, except each pCPU's stack guard region, which stays unmapped. */
	for (unsigned int i = 0; i < CONFIG_MAX_PCPUS; i++)
		pcpu_stack_guard(i, &guards[i].start, &guards[i].end);
	if (mmu_map_except((paddr_t)_data, (paddr_t)_end, MMU_DATA, guards, CONFIG_MAX_PCPUS))
		panic("mmu: cannot map Tern's data");

	/* The DTB, read-only, if x0 points at one; setup_main() reports it when it does not. */
	if (dtb_pa && IS_ALIGNED(dtb_pa, 8) && be32_load(dtb) == 0xd00dfeed) {
		u32 size = be32_load((const u8 *)dtb + 4);

		mmu_boot_map_or_halt(dtb_pa, dtb_pa + size, MMU_RODATA);
	}
	if (IS_ENABLED(CONFIG_EARLY_CONSOLE))
		mmu_boot_map_or_halt(early_console_base(), early_console_base() + PAGE_SIZE,
				     MMU_DEVICE);

	mmu_boot_regs.mair = MAIR_EL2_VALUE;
	mmu_boot_regs.tcr = TCR_EL2_RES1 | TCR_EL2_T0SZ(16) | TCR_EL2_IRGN0_WBWA |
			    TCR_EL2_ORGN0_WBWA | TCR_EL2_SH0_INNER | TCR_EL2_TG0_4K |
			    ((u64)MIN(parange, 5U) << TCR_EL2_PS_SHIFT);
	mmu_boot_regs.ttbr0 = (u64)(uintptr_t)mmu_root;
	mmu_boot_regs.sctlr =
	    SCTLR_EL2_RES1 | SCTLR_EL2_M | SCTLR_EL2_C | SCTLR_EL2_I | SCTLR_EL2_SA | SCTLR_EL2_WXN;
	/* Lines that a boot loader left in the caches for memory written here with the MMU off must
	 * go. */
	dcache_inval_range((paddr_t)_text, (paddr_t)_end);
}
