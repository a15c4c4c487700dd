// SPDX-License-Identifier: GPL-2.0-only
/*
 * Stage-2 translation (IPA -> host PA) for one VM: 4 KiB granule, 1 GiB and 2 MiB blocks where
 * alignment allows (unless the VM's stage 2 is made of pages only: CONFIG_STAGE2_BLOCKS), tables
 * from the page allocator. Start level 1 (with up to 8 concatenated root
 * tables) for IPA sizes up to 42 bits, start level 0 above. Tables are reached through their
 * physical address (Tern's EL2 map is 1:1), so the same code runs over host memory in unit tests.
 *
 * Callers serialise operations on one struct stage2 (the VM's lock); the tables may be live on
 * other pCPUs: entries are published with a DSB and removed with break-before-make.
 */
#include <asm/cpuid.h>
#include <asm/stage2.h>
#include <asm/sysreg.h>
#include <asm/tlb.h>
#include <tern/compiler.h>
#include <tern/errno.h>
#include <tern/page_alloc.h>
#include <tern/printk.h>

/* VTCR_EL2 */
#define VTCR_EL2_T0SZ(x)    ((u64)(x) << 0)
#define VTCR_EL2_SL0_L1	    (1UL << 6) /* 4 KiB granule: start at level 1 */
#define VTCR_EL2_SL0_L0	    (2UL << 6) /* 4 KiB granule: start at level 0 */
#define VTCR_EL2_IRGN0_WBWA (1UL << 8)
#define VTCR_EL2_ORGN0_WBWA (1UL << 10)
#define VTCR_EL2_SH0_INNER  (3UL << 12)
#define VTCR_EL2_TG0_4K	    (0UL << 14)
#define VTCR_EL2_PS_SHIFT   16
#define VTCR_EL2_PS_MASK    (7UL << VTCR_EL2_PS_SHIFT)
#define VTCR_EL2_RES1	    (1UL << 31)

/* VTTBR_EL2 */
#define VTTBR_EL2_VMID_SHIFT 48
#define VTTBR_EL2_VMID_8BIT  0xFFU /* VTCR_EL2.VS == 0 */

/* Stage-2 descriptors (VMSAv8-64, 4 KiB granule) */
#define S2_PTE_VALID		(1UL << 0)
#define S2_PTE_TABLE		(1UL << 1) /* levels 0-2: table; level 3: the same bit marks a page */
#define S2_PTE_PAGE		(1UL << 1)
#define S2_PTE_MEMATTR(x)	((u64)(x) << 2)
#define S2_PTE_MEMATTR_MASK	S2_PTE_MEMATTR(0xF)
#define S2_MEMATTR_DEVICE_nGnRE 0x1
#define S2_MEMATTR_NORMAL_WB	0xF /* Outer and Inner Write-Back Cacheable */
#define S2_PTE_S2AP_RO		(1UL << 6)
#define S2_PTE_S2AP_RW		(3UL << 6)
#define S2_PTE_S2AP_MASK	(3UL << 6)
#define S2_PTE_SH_INNER		(3UL << 8)
#define S2_PTE_AF		(1UL << 10)
#define S2_PTE_XN		(2UL << 53) /* XN[1:0] = 0b10: never executable at EL1 or EL0 */
#define S2_PTE_ADDR_MASK	GENMASK(47, 12)
#define S2_PTE_ATTR_MASK	(GENMASK(63, 50) | GENMASK(11, 2))

#define S2_ENTRIES	   512
#define S2_MIN_IPA_BITS	   32
#define S2_MAX_IPA_BITS	   48
#define S2_GUEST_IPA_BITS  40
#define S2_L1_MAX_IPA_BITS 42 /* start at level 1 up to here (8 concatenated tables) */

static unsigned int s2_parange_bits(unsigned int parange)
{
	static const unsigned char bits[] = { 32, 36, 40, 42, 44, 48 };

	return parange < ARRAY_SIZE(bits) ? bits[parange] : 48;
}

static unsigned int s2_host_parange(void)
{
	unsigned int parange = cpuid_id_aa64mmfr0() & ID_AA64MMFR0_PARANGE_MASK;

	/* 52-bit (6) and reserved values: use 48 bits, the largest a 4 KiB descriptor holds. */
	return MIN(parange, 5U);
}

unsigned int stage2_ipa_bits(void)
{
	return MIN((unsigned int)S2_GUEST_IPA_BITS, s2_parange_bits(s2_host_parange()));
}

static unsigned int s2_shift(unsigned int level)
{
	return 39 - 9 * level;
}

static u64 s2_level_size(unsigned int level)
{
	return 1ULL << s2_shift(level);
}

static unsigned int s2_root_entries(const struct stage2 *s2)
{
	return 1U << (s2->ipa_bits - s2_shift(s2->start_level));
}

static u64 *s2_entry(const struct stage2 *s2, u64 *table, unsigned int level, ipa_t ipa)
{
	unsigned int n = level == s2->start_level ? s2_root_entries(s2) : S2_ENTRIES;

	return &table[(ipa >> s2_shift(level)) & (n - 1)];
}

static bool s2_is_table(u64 pte, unsigned int level)
{
	return level < 3 && (pte & (S2_PTE_VALID | S2_PTE_TABLE)) == (S2_PTE_VALID | S2_PTE_TABLE);
}

static u64 *s2_next_table(u64 pte)
{
	return (u64 *)(uintptr_t)(pte & S2_PTE_ADDR_MASK);
}

static u64 s2_attr_bits(enum s2_attr attr)
{
	u64 normal = S2_PTE_AF | S2_PTE_SH_INNER | S2_PTE_MEMATTR(S2_MEMATTR_NORMAL_WB);

	switch (attr) {
	case S2_NORMAL_RW:
		return normal | S2_PTE_S2AP_RW;
	case S2_NORMAL_RO:
		return normal | S2_PTE_S2AP_RO;
	case S2_DEVICE_RW:
		return S2_PTE_AF | S2_PTE_MEMATTR(S2_MEMATTR_DEVICE_nGnRE) | S2_PTE_S2AP_RW |
		       S2_PTE_XN;
	}
	return 0;
}

static enum s2_attr s2_attr_of(u64 pte)
{
	if ((pte & S2_PTE_MEMATTR_MASK) == S2_PTE_MEMATTR(S2_MEMATTR_DEVICE_nGnRE))
		return S2_DEVICE_RW;
	if ((pte & S2_PTE_S2AP_MASK) == S2_PTE_S2AP_RO)
		return S2_NORMAL_RO;
	return S2_NORMAL_RW;
}

static u64 s2_leaf(paddr_t pa, u64 attrs, unsigned int level)
{
	return ((u64)pa & S2_PTE_ADDR_MASK) | attrs | S2_PTE_VALID | (level == 3 ? S2_PTE_PAGE : 0);
}

static void s2_set_pte(u64 *pte, u64 val)
{
	WRITE_ONCE(*pte, val);
	tlb_sync_pte_write();
}

static u64 *s2_table_alloc(void)
{
	u64 *t = page_zalloc(0);

	/* The zeroes must reach the walkers before the table is linked in. */
	if (t)
		tlb_sync_pte_write();
	return t;
}

static void s2_table_free(u64 *table)
{
	page_free((paddr_t)table, 0);
}

/*
 * The pages of [ipa, end), all in the level-3 table @table: one barrier for the run. Entries only
 * go from invalid to valid, so a walker that sees one before the barrier (the table may be linked
 * in already) finds a right translation or a fault; the caller's fault returns only after it.
 */
static int s2_map_pages(u64 *table, ipa_t ipa, ipa_t end, u64 delta, u64 attrs)
{
	u64 *pte = &table[(ipa >> PAGE_SHIFT) & (S2_ENTRIES - 1)];
	int rc = 0;

	for (; ipa < end; ipa += PAGE_SIZE, pte++) {
		if (*pte & S2_PTE_VALID) {
			rc = -TERN_EEXIST;
			break;
		}
		WRITE_ONCE(*pte, s2_leaf((paddr_t)(ipa + delta), attrs, 3));
	}
	tlb_sync_pte_write();
	return rc;
}

/*
 * Map [ipa, end) to ipa + @delta (unsigned arithmetic, so any PA works), with leaves no larger
 * than @max_leaf. With @attrs S2_RESERVE, only the tables that mapping needs are made: no leaf is
 * written.
 */
#define S2_RESERVE  (~0ULL) /* no descriptor's attributes are all ones */
#define S2_ANY_LEAF (~0ULL)
static int s2_map_level(struct stage2 *s2, u64 *table, unsigned int level, ipa_t ipa, ipa_t end,
			u64 delta, u64 attrs, u64 max_leaf)
{
	u64 size = s2_level_size(level);

	if (level == 3)
		return attrs == S2_RESERVE ? 0 : s2_map_pages(table, ipa, end, delta, attrs);
	for (ipa_t next; ipa < end; ipa = next) {
		u64 *pte = s2_entry(s2, table, level, ipa);
		paddr_t pa = (paddr_t)(ipa + delta);
		u64 *sub;
		int rc;

		next = MIN(ALIGN_DOWN(ipa, size) + size, end);
		if (!(*pte & S2_PTE_VALID)) {
			/* Level 0 has no blocks with a 4 KiB granule (leaf_level >= 1). */
			if (level >= s2->leaf_level && size <= max_leaf && IS_ALIGNED(ipa, size) &&
			    IS_ALIGNED((u64)pa, size) && next - ipa == size) {
				if (attrs != S2_RESERVE)
					s2_set_pte(pte, s2_leaf(pa, attrs, level));
				continue;
			}
			sub = s2_table_alloc();
			if (!sub)
				return -TERN_ENOMEM;
			s2_set_pte(pte, (u64)(uintptr_t)sub | S2_PTE_VALID | S2_PTE_TABLE);
		} else if (!s2_is_table(*pte, level)) {
			return -TERN_EEXIST;
		}
		rc = s2_map_level(s2, s2_next_table(*pte), level + 1, ipa, next, delta, attrs,
				  max_leaf);
		if (rc)
			return rc;
	}
	return 0;
}

/* True if no leaf maps any part of [ipa, end). */
static bool s2_range_empty(const struct stage2 *s2, u64 *table, unsigned int level, ipa_t ipa,
			   ipa_t end)
{
	u64 size = s2_level_size(level);

	for (ipa_t next; ipa < end; ipa = next) {
		u64 pte = *s2_entry(s2, table, level, ipa);

		next = MIN(ALIGN_DOWN(ipa, size) + size, end);
		if (!(pte & S2_PTE_VALID))
			continue;
		if (!s2_is_table(pte, level))
			return false;
		if (!s2_range_empty(s2, s2_next_table(pte), level + 1, ipa, next))
			return false;
	}
	return true;
}

/*
 * Replace the block at @pte (level @level, mapping @ipa) by a table of the next level's blocks or
 * pages with the same attributes: the translation does not change, only its granularity.
 */
static int s2_split(struct stage2 *s2, u64 *pte, unsigned int level, ipa_t ipa)
{
	u64 old = *pte;
	u64 sub_size = s2_level_size(level + 1);
	u64 attrs = old & S2_PTE_ATTR_MASK;
	paddr_t pa = (paddr_t)(old & S2_PTE_ADDR_MASK);
	u64 *sub = s2_table_alloc();

	if (!sub)
		return -TERN_ENOMEM;
	for (unsigned int i = 0; i < S2_ENTRIES; i++)
		sub[i] = s2_leaf(pa + i * sub_size, attrs, level + 1);
	tlb_sync_pte_write();
	/* Break-before-make: no walker may see both the block and the table. */
	s2_set_pte(pte, 0);
	tlb_flush_vmid_ipa(s2->vttbr, ipa);
	s2_set_pte(pte, (u64)(uintptr_t)sub | S2_PTE_VALID | S2_PTE_TABLE);
	return 0;
}

/* Split blocks until no leaf straddles @addr (a leaf boundary lies at @addr). */
static int s2_split_at(struct stage2 *s2, ipa_t addr)
{
	u64 *table = s2->root;

	for (unsigned int level = s2->start_level; level < 3; level++) {
		u64 size = s2_level_size(level);
		u64 *pte;
		int rc;

		if (IS_ALIGNED(addr, size))
			return 0;
		pte = s2_entry(s2, table, level, addr);
		if (!(*pte & S2_PTE_VALID))
			return 0;
		if (!s2_is_table(*pte, level)) {
			rc = s2_split(s2, pte, level, ALIGN_DOWN(addr, size));
			if (rc)
				return rc;
		}
		table = s2_next_table(*pte);
	}
	return 0;
}

/* Leaves cleared by one unmap whose TLB entries still need invalidating. */
struct s2_unmap_flush {
	unsigned long nr;
	ipa_t ipa;
};

static bool s2_table_empty(const u64 *table)
{
	for (unsigned int i = 0; i < S2_ENTRIES; i++)
		if (table[i])
			return false;
	return true;
}

/* Unmap [ipa, end), where no leaf straddles either end (s2_split_at() made sure). */
static void s2_unmap_level(struct stage2 *s2, u64 *table, unsigned int level, ipa_t ipa, ipa_t end,
			   struct s2_unmap_flush *fl)
{
	u64 size = s2_level_size(level);

	for (ipa_t next; ipa < end; ipa = next) {
		u64 *pte = s2_entry(s2, table, level, ipa);
		u64 *sub;

		next = MIN(ALIGN_DOWN(ipa, size) + size, end);
		if (!(*pte & S2_PTE_VALID))
			continue;
		if (!s2_is_table(*pte, level)) {
			s2_set_pte(pte, 0);
			fl->nr++;
			fl->ipa = ipa;
			continue;
		}
		sub = s2_next_table(*pte);
		s2_unmap_level(s2, sub, level + 1, ipa, next, fl);
		if (s2_table_empty(sub)) {
			/* Walk caches may hold the table: invalidate before it is reused. */
			s2_set_pte(pte, 0);
			tlb_flush_vmid(s2->vttbr);
			fl->nr = 0;
			s2_table_free(sub);
		}
	}
}

static int s2_check_range(const struct stage2 *s2, ipa_t ipa, u64 size)
{
	if (!s2->root)
		return -TERN_EINVAL;
	if (!size || !IS_ALIGNED(ipa, PAGE_SIZE) || !IS_ALIGNED(size, PAGE_SIZE))
		return -TERN_EINVAL;
	if (ipa + size < ipa || ipa + size > (1ULL << s2->ipa_bits))
		return -TERN_ERANGE;
	return 0;
}

static void s2_unmap_range(struct stage2 *s2, ipa_t ipa, u64 size)
{
	struct s2_unmap_flush fl = { 0, 0 };

	s2_unmap_level(s2, s2->root, s2->start_level, ipa, ipa + size, &fl);
	if (fl.nr == 1)
		tlb_flush_vmid_ipa(s2->vttbr, fl.ipa);
	else if (fl.nr > 1)
		tlb_flush_vmid(s2->vttbr);
}

int stage2_init(struct stage2 *s2, u16 vmid, unsigned int ipa_bits, bool blocks)
{
	unsigned int parange = s2_host_parange();
	u64 sl0;

	s2->root = NULL;
	if (ipa_bits < S2_MIN_IPA_BITS || ipa_bits > S2_MAX_IPA_BITS ||
	    ipa_bits > s2_parange_bits(parange) || vmid > VTTBR_EL2_VMID_8BIT)
		return -TERN_EINVAL;

	if (ipa_bits <= S2_L1_MAX_IPA_BITS) {
		s2->start_level = 1;
		/* One level-1 table resolves 39 bits; above that, 2^(bits - 39) tables in a row. */
		s2->root_order = ipa_bits > 39 ? ipa_bits - 39 : 0;
		sl0 = VTCR_EL2_SL0_L1;
	} else {
		s2->start_level = 0;
		s2->root_order = 0;
		sl0 = VTCR_EL2_SL0_L0;
	}
	/* The buddy allocator aligns a block to its size, as VTTBR_EL2.BADDR requires. */
	s2->root = page_zalloc(s2->root_order);
	if (!s2->root)
		return -TERN_ENOMEM;
	tlb_sync_pte_write();
	s2->ipa_bits = ipa_bits;
	s2->leaf_level = blocks ? 1 : 3;
	s2->vmid = vmid;
	s2->vtcr = VTCR_EL2_RES1 | VTCR_EL2_T0SZ(64 - ipa_bits) | sl0 | VTCR_EL2_IRGN0_WBWA |
		   VTCR_EL2_ORGN0_WBWA | VTCR_EL2_SH0_INNER | VTCR_EL2_TG0_4K |
		   ((u64)parange << VTCR_EL2_PS_SHIFT);
	s2->vttbr = (u64)(uintptr_t)s2->root | (u64)vmid << VTTBR_EL2_VMID_SHIFT;
	return 0;
}

static void s2_free_level(u64 *table, unsigned int level, unsigned int entries)
{
	for (unsigned int i = 0; i < entries; i++)
		if (s2_is_table(table[i], level)) {
			u64 *sub = s2_next_table(table[i]);

			s2_free_level(sub, level + 1, S2_ENTRIES);
			s2_table_free(sub);
		}
}

void stage2_destroy(struct stage2 *s2)
{
	if (!s2->root)
		return;
	/* Nothing cached for this VMID may outlive the tables (the VMID will be reused). */
	tlb_flush_vmid(s2->vttbr);
	s2_free_level(s2->root, s2->start_level, s2_root_entries(s2));
	page_free((paddr_t)s2->root, s2->root_order);
	s2->root = NULL;
	s2->vttbr = 0;
}

/*
 * stage2_map() and stage2_reserve(): the checks, the walk, and on running out of tables (the
 * range was empty, so nothing else can fail) the range cleared again.
 */
static int s2_map_range(struct stage2 *s2, ipa_t ipa, paddr_t pa, u64 size, u64 attrs, u64 max_leaf)
{
	unsigned int pa_bits;
	int rc = s2_check_range(s2, ipa, size);

	if (rc)
		return rc;
	pa_bits = s2_parange_bits((s2->vtcr & VTCR_EL2_PS_MASK) >> VTCR_EL2_PS_SHIFT);
	if (!attrs || !IS_ALIGNED((u64)pa, PAGE_SIZE))
		return -TERN_EINVAL;
	if ((u64)pa + size < (u64)pa || (u64)pa + size > (1ULL << pa_bits))
		return -TERN_ERANGE;
	if (!s2_range_empty(s2, s2->root, s2->start_level, ipa, ipa + size))
		return -TERN_EEXIST;

	rc = s2_map_level(s2, s2->root, s2->start_level, ipa, ipa + size, (u64)pa - ipa, attrs,
			  max_leaf);
	if (rc) {
		pr_warn("stage2: vmid %u: cannot %s 0x%llx+0x%llx (%d)\n", s2->vmid,
			attrs == S2_RESERVE ? "make the tables of" : "map", (unsigned long long)ipa,
			(unsigned long long)size, rc);
		s2_unmap_range(s2, ipa, size);
	}
	return rc;
}

int stage2_map(struct stage2 *s2, ipa_t ipa, paddr_t pa, u64 size, enum s2_attr attr)
{
	return s2_map_range(s2, ipa, pa, size, s2_attr_bits(attr), S2_ANY_LEAF);
}

int stage2_reserve(struct stage2 *s2, ipa_t ipa, paddr_t pa, u64 size, u64 piece)
{
	if (piece < PAGE_SIZE)
		return -TERN_EINVAL;
	return s2_map_range(s2, ipa, pa, size, S2_RESERVE, piece);
}

int stage2_unmap(struct stage2 *s2, ipa_t ipa, u64 size)
{
	int rc = s2_check_range(s2, ipa, size);

	if (rc)
		return rc;
	/* All allocations first: on -TERN_ENOMEM nothing is unmapped (splitting changes nothing).
	 */
	rc = s2_split_at(s2, ipa);
	if (!rc)
		rc = s2_split_at(s2, ipa + size);
	if (rc)
		return rc;
	s2_unmap_range(s2, ipa, size);
	return 0;
}

int stage2_translate(const struct stage2 *s2, ipa_t ipa, paddr_t *pa, enum s2_attr *attr,
		     u64 *leaf_size)
{
	u64 *table = s2->root;

	if (!table || ipa >= (1ULL << s2->ipa_bits))
		return -TERN_ENOENT;
	for (unsigned int level = s2->start_level; level <= 3; level++) {
		u64 pte = READ_ONCE(*s2_entry(s2, table, level, ipa));
		u64 size = s2_level_size(level);

		if (!(pte & S2_PTE_VALID) || (level == 0 && !(pte & S2_PTE_TABLE)))
			return -TERN_ENOENT;
		if (s2_is_table(pte, level)) {
			table = s2_next_table(pte);
			continue;
		}
		if (pa)
			*pa =
			    (paddr_t)((pte & S2_PTE_ADDR_MASK & ~(size - 1)) | (ipa & (size - 1)));
		if (attr)
			*attr = s2_attr_of(pte);
		if (leaf_size)
			*leaf_size = size;
		return 0;
	}
	return -TERN_ENOENT;
}
