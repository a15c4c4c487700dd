// SPDX-License-Identifier: GPL-2.0-only
/*
 * Stage-2 tables over host memory: the page allocator manages a host buffer (paddr_t is a host
 * pointer), tables are walked for real, ID_AA64MMFR0_EL1 and TLB maintenance are stand-ins
 * (tests/unit/include/asm/cpuid.h and tlb.h). Guest "PAs" are only numbers, never touched.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <asm/stage2.h>
#include <asm/tlb.h>
#include <tern/compiler.h>
#include <tern/errno.h>
#include <tern/page_alloc.h>
#include "stub_printk.h"
#include "unit_helpers.h"

#define MEM_SIZE (8UL << 20)

#define SZ_4K (1ULL << 12)
#define SZ_1M (1ULL << 20)
#define SZ_2M (1ULL << 21)
#define SZ_1G (1ULL << 30)

/* Descriptor bits, written out again from the Arm ARM rather than taken from stage2.c. */
#define D_VALID	      (1ULL << 0)
#define D_TABLE	      (1ULL << 1)
#define D_MEMATTR(d)  (((d) >> 2) & 0xF)
#define D_S2AP(d)     (((d) >> 6) & 3)
#define D_SH(d)	      (((d) >> 8) & 3)
#define D_AF	      (1ULL << 10)
#define D_XN(d)	      (((d) >> 53) & 3)
#define D_ADDR	      0x0000FFFFFFFFF000ULL
#define PARANGE_48BIT 5

struct unit_tlb_stats unit_tlb;
u64 unit_id_aa64mmfr0 = PARANGE_48BIT;

static u64 free_at_start;

static u64 free_pages(void)
{
	return unit_arena_free_pages();
}

static int group_setup(void **state)
{
	return unit_arena_create(MEM_SIZE);
}

static int group_teardown(void **state)
{
	unit_arena_destroy();
	return 0;
}

static int setup(void **state)
{
	unit_arena_reset();
	free_at_start = free_pages();
	memset(&unit_tlb, 0, sizeof(unit_tlb));
	unit_id_aa64mmfr0 = PARANGE_48BIT;
	stub_printk_reset();
	return 0;
}

static void init_s2(struct stage2 *s2, unsigned int ipa_bits)
{
	assert_int_equal(stage2_init(s2, 7, ipa_bits, true), 0);
}

/* The raw leaf descriptor for @ipa, walking as the hardware would; 0 if unmapped. */
static u64 leaf_desc(const struct stage2 *s2, ipa_t ipa, unsigned int *level_out)
{
	const u64 *table = s2->root;

	for (unsigned int level = s2->start_level; level <= 3; level++) {
		unsigned int shift = 39 - 9 * level;
		u64 mask = level == s2->start_level ? (1ULL << (s2->ipa_bits - shift)) - 1 : 511;
		u64 d = table[(ipa >> shift) & mask];

		if (!(d & D_VALID))
			return 0;
		if (level < 3 && (d & D_TABLE)) {
			table = (const u64 *)(uintptr_t)(d & D_ADDR);
			continue;
		}
		if (level == 3)
			assert_true(d & D_TABLE); /* a page descriptor */
		if (level_out)
			*level_out = level;
		return d;
	}
	return 0;
}

static void expect_map(const struct stage2 *s2, ipa_t ipa, paddr_t pa, enum s2_attr attr, u64 leaf)
{
	paddr_t got;
	enum s2_attr a;
	u64 size;

	if (stage2_translate(s2, ipa, &got, &a, &size))
		fail_msg("ipa 0x%llx is not mapped", (unsigned long long)ipa);
	if (got != pa || a != attr || size != leaf)
		fail_msg("ipa 0x%llx: pa 0x%llx attr %d leaf 0x%llx, expected 0x%llx %d 0x%llx",
			 (unsigned long long)ipa, (unsigned long long)got, a,
			 (unsigned long long)size, (unsigned long long)pa, attr,
			 (unsigned long long)leaf);
}

static void expect_unmapped(const struct stage2 *s2, ipa_t ipa)
{
	paddr_t pa;

	if (stage2_translate(s2, ipa, &pa, NULL, NULL) != -TERN_ENOENT)
		fail_msg("ipa 0x%llx is mapped", (unsigned long long)ipa);
}

/* Every page of [ipa, ipa + size) maps to pa + offset, with the given leaf size. */
static void expect_range(const struct stage2 *s2, ipa_t ipa, paddr_t pa, u64 size,
			 enum s2_attr attr, u64 leaf)
{
	for (u64 off = 0; off < size; off += SZ_4K)
		expect_map(s2, ipa + off, pa + off, attr, leaf);
	/* Last byte too. */
	expect_map(s2, ipa + size - 1, pa + size - 1, attr, leaf);
}

static void test_ipa_bits(void **state)
{
	static const unsigned int expect[] = { 32, 36, 40, 40, 40, 40, 40, 40 };

	for (unsigned int parange = 0; parange < ARRAY_SIZE(expect); parange++) {
		/* Other fields of the register must not matter. */
		unit_id_aa64mmfr0 = 0x1122334455667700ULL | parange;
		assert_int_equal(stage2_ipa_bits(), expect[parange]);
	}
}

static void test_init_geometry(void **state)
{
	static const struct {
		unsigned int bits, level, order, sl0;
	} geo[] = {
		{ 32, 1, 0, 1 }, { 36, 1, 0, 1 }, { 39, 1, 0, 1 }, { 40, 1, 1, 1 },
		{ 42, 1, 3, 1 }, { 43, 0, 0, 2 }, { 44, 0, 0, 2 }, { 48, 0, 0, 2 },
	};

	for (unsigned int i = 0; i < ARRAY_SIZE(geo); i++) {
		struct stage2 s2;
		u64 vtcr, top = 1ULL << geo[i].bits;
		paddr_t root;

		assert_int_equal(stage2_init(&s2, 200, geo[i].bits, true), 0);
		root = (paddr_t)s2.root;
		vtcr = s2.vtcr;
		assert_int_equal(s2.start_level, geo[i].level);
		assert_int_equal(s2.root_order, geo[i].order);
		assert_int_equal(s2.ipa_bits, geo[i].bits);
		assert_int_equal(s2.vmid, 200);
		assert_int_equal(free_pages(), free_at_start - (1U << geo[i].order));
		assert_true(root % (PAGE_SIZE << geo[i].order) == 0);
		assert_int_equal(s2.vttbr, (u64)root | 200ULL << 48);

		assert_int_equal(vtcr & 0x3F, 64 - geo[i].bits);   /* T0SZ */
		assert_int_equal((vtcr >> 6) & 3, geo[i].sl0);	   /* SL0 */
		assert_int_equal((vtcr >> 8) & 3, 1);		   /* IRGN0 WBWA */
		assert_int_equal((vtcr >> 10) & 3, 1);		   /* ORGN0 WBWA */
		assert_int_equal((vtcr >> 12) & 3, 3);		   /* SH0 inner */
		assert_int_equal((vtcr >> 14) & 3, 0);		   /* TG0 4K */
		assert_int_equal((vtcr >> 16) & 7, PARANGE_48BIT); /* PS */
		assert_int_equal((vtcr >> 19) & 1, 0);		   /* VS: 8-bit VMID */
		assert_true(vtcr & (1ULL << 31));		   /* RES1 */
		assert_int_equal(vtcr & ~(0x8007FFFFULL), 0);

		/* The top of the IPA space works, one page beyond does not. */
		assert_int_equal(stage2_map(&s2, top - SZ_2M, 0x40000000, SZ_2M, S2_NORMAL_RW), 0);
		expect_range(&s2, top - SZ_2M, 0x40000000, SZ_2M, S2_NORMAL_RW, SZ_2M);
		assert_int_equal(stage2_map(&s2, top - SZ_2M, 0, SZ_2M + SZ_4K, S2_NORMAL_RW),
				 -TERN_ERANGE);
		assert_int_equal(stage2_map(&s2, top, 0, SZ_4K, S2_NORMAL_RW), -TERN_ERANGE);
		assert_int_equal(stage2_map(&s2, 0, 0x1000, SZ_4K, S2_NORMAL_RW), 0);
		expect_map(&s2, 0, 0x1000, S2_NORMAL_RW, SZ_4K);
		expect_unmapped(&s2, top);

		stage2_destroy(&s2);
		assert_null(s2.root);
		assert_int_equal(free_pages(), free_at_start);
	}
}

static void test_init_errors(void **state)
{
	struct stage2 s2;

	assert_int_equal(stage2_init(&s2, 1, 31, true), -TERN_EINVAL);
	assert_int_equal(stage2_init(&s2, 1, 49, true), -TERN_EINVAL);
	assert_int_equal(stage2_init(&s2, 256, 40, true), -TERN_EINVAL);
	/* Larger than the host's physical address size. */
	unit_id_aa64mmfr0 = 2; /* 40 bits */
	assert_int_equal(stage2_init(&s2, 1, 42, true), -TERN_EINVAL);
	assert_int_equal(stage2_init(&s2, 1, 40, true), 0);
	assert_int_equal((s2.vtcr >> 16) & 7, 2);
	stage2_destroy(&s2);
	stage2_destroy(&s2); /* harmless twice */
	assert_int_equal(free_pages(), free_at_start);

	/* No memory for the root. */
	while (page_alloc(0))
		;
	assert_int_equal(stage2_init(&s2, 1, 40, true), -TERN_ENOMEM);
	assert_null(s2.root);
	assert_int_equal(stage2_map(&s2, 0, 0, SZ_4K, S2_NORMAL_RW), -TERN_EINVAL);
	expect_unmapped(&s2, 0);
}

static void test_block_choice(void **state)
{
	struct stage2 s2;
	u64 before;

	init_s2(&s2, 40);

	/* ipa and pa 1 GiB aligned, 1 GiB long: one level-1 block, no table needed. */
	before = free_pages();
	assert_int_equal(stage2_map(&s2, SZ_1G, 0x80000000, SZ_1G, S2_NORMAL_RW), 0);
	assert_int_equal(free_pages(), before);
	expect_range(&s2, SZ_1G, 0x80000000, SZ_1G, S2_NORMAL_RW, SZ_1G);

	/* pa only 2 MiB aligned: 2 MiB blocks in one level-2 table. */
	before = free_pages();
	assert_int_equal(stage2_map(&s2, 4 * SZ_1G, 0x80200000, SZ_1G, S2_NORMAL_RW), 0);
	assert_int_equal(free_pages(), before - 1);
	expect_range(&s2, 4 * SZ_1G, 0x80200000, SZ_1G, S2_NORMAL_RW, SZ_2M);

	/* 2 GiB + 6 MiB from 1 GiB alignment: 2 x 1 GiB then 3 x 2 MiB. */
	assert_int_equal(
	    stage2_map(&s2, 8 * SZ_1G, 0x100000000ULL, 2 * SZ_1G + 6 * SZ_1M, S2_NORMAL_RW), 0);
	expect_map(&s2, 8 * SZ_1G, 0x100000000ULL, S2_NORMAL_RW, SZ_1G);
	expect_map(&s2, 10 * SZ_1G - 1, 0x180000000ULL - 1, S2_NORMAL_RW, SZ_1G);
	expect_range(&s2, 10 * SZ_1G, 0x180000000ULL, 6 * SZ_1M, S2_NORMAL_RW, SZ_2M);
	expect_unmapped(&s2, 10 * SZ_1G + 6 * SZ_1M);

	/* Unaligned start and end: pages, a 2 MiB block, pages. */
	before = free_pages();
	assert_int_equal(stage2_map(&s2, 20 * SZ_1G + SZ_1M, 0x40100000, 4 * SZ_1M, S2_NORMAL_RW),
			 0);
	assert_int_equal(free_pages(), before - 3); /* one level-2 and two level-3 tables */
	expect_range(&s2, 20 * SZ_1G + SZ_1M, 0x40100000, SZ_1M, S2_NORMAL_RW, SZ_4K);
	expect_range(&s2, 20 * SZ_1G + SZ_2M, 0x40200000, SZ_2M, S2_NORMAL_RW, SZ_2M);
	expect_range(&s2, 20 * SZ_1G + 2 * SZ_2M, 0x40400000, SZ_1M, S2_NORMAL_RW, SZ_4K);
	expect_unmapped(&s2, 20 * SZ_1G + SZ_1M - SZ_4K);
	expect_unmapped(&s2, 20 * SZ_1G + 5 * SZ_1M);

	/* ipa 2 MiB aligned but pa only 4 KiB aligned: pages throughout. */
	assert_int_equal(stage2_map(&s2, 30 * SZ_1G, 0x40001000, 2 * SZ_2M, S2_NORMAL_RW), 0);
	expect_range(&s2, 30 * SZ_1G, 0x40001000, 2 * SZ_2M, S2_NORMAL_RW, SZ_4K);

	/* A single page, and a run just short of a block. */
	assert_int_equal(stage2_map(&s2, 31 * SZ_1G, 0x7000, SZ_4K, S2_NORMAL_RW), 0);
	expect_map(&s2, 31 * SZ_1G, 0x7000, S2_NORMAL_RW, SZ_4K);
	assert_int_equal(stage2_map(&s2, 32 * SZ_1G, 0x200000, SZ_2M - SZ_4K, S2_NORMAL_RW), 0);
	expect_range(&s2, 32 * SZ_1G, 0x200000, SZ_2M - SZ_4K, S2_NORMAL_RW, SZ_4K);

	/* NULL outputs are allowed. */
	assert_int_equal(stage2_translate(&s2, SZ_1G, NULL, NULL, NULL), 0);

	stage2_destroy(&s2);
	assert_int_equal(free_pages(), free_at_start);
	assert_false(stub_printk_contains("stage2"));
}

static void test_attributes(void **state)
{
	struct stage2 s2;
	u64 d;
	unsigned int level;

	init_s2(&s2, 40);
	assert_int_equal(stage2_map(&s2, 0x40000000, 0x40000000, SZ_1G, S2_NORMAL_RW), 0);
	assert_int_equal(stage2_map(&s2, 0x80000000, 0x90000000, SZ_2M, S2_NORMAL_RO), 0);
	assert_int_equal(stage2_map(&s2, 0x09000000, 0x09000000, SZ_4K, S2_DEVICE_RW), 0);
	assert_int_equal(stage2_map(&s2, 0x10000000, 0x10000000, SZ_2M + SZ_4K, S2_DEVICE_RW), 0);

	d = leaf_desc(&s2, 0x40000000 + 12345, &level);
	assert_int_equal(level, 1);
	assert_int_equal(d & 3, 1); /* block */
	assert_int_equal(D_MEMATTR(d), 0xF);
	assert_int_equal(D_S2AP(d), 3);
	assert_int_equal(D_SH(d), 3);
	assert_true(d & D_AF);
	assert_int_equal(D_XN(d), 0);
	assert_int_equal(d & D_ADDR, 0x40000000);

	d = leaf_desc(&s2, 0x80000000, &level);
	assert_int_equal(level, 2);
	assert_int_equal(d & 3, 1);
	assert_int_equal(D_MEMATTR(d), 0xF);
	assert_int_equal(D_S2AP(d), 1);
	assert_int_equal(D_SH(d), 3);
	assert_true(d & D_AF);
	assert_int_equal(D_XN(d), 0);
	assert_int_equal(d & D_ADDR, 0x90000000);

	d = leaf_desc(&s2, 0x09000000, &level);
	assert_int_equal(level, 3);
	assert_int_equal(d & 3, 3); /* page */
	assert_int_equal(D_MEMATTR(d), 0x1);
	assert_int_equal(D_S2AP(d), 3);
	assert_int_equal(D_SH(d), 0);
	assert_true(d & D_AF);
	assert_int_equal(D_XN(d), 2);
	/* Nothing set beyond the fields above. */
	assert_int_equal(d & ~(D_ADDR | (3ULL << 53) | 0x7FFULL), 0);

	expect_range(&s2, 0x80000000, 0x90000000, SZ_2M, S2_NORMAL_RO, SZ_2M);
	expect_map(&s2, 0x09000000, 0x09000000, S2_DEVICE_RW, SZ_4K);
	expect_range(&s2, 0x10000000, 0x10000000, SZ_2M, S2_DEVICE_RW, SZ_2M);
	expect_map(&s2, 0x10200000, 0x10200000, S2_DEVICE_RW, SZ_4K);

	assert_int_equal(stage2_map(&s2, 0, 0, SZ_4K, (enum s2_attr)42), -TERN_EINVAL);
	stage2_destroy(&s2);
	assert_int_equal(free_pages(), free_at_start);
}

static void test_translate_everything(void **state)
{
	static const struct {
		ipa_t ipa;
		paddr_t pa;
		u64 size;
		enum s2_attr attr;
	} maps[] = {
		{ 0x00000000, 0x48000000, 0x00010000, S2_NORMAL_RO },
		{ 0x08000000, 0x08000000, 0x00010000, S2_DEVICE_RW },
		{ 0x09000000, 0x09000000, 0x00001000, S2_DEVICE_RW },
		{ 0x40000000, 0x50000000, 0x01234000, S2_NORMAL_RW },
		{ 0x41fff000, 0x61fff000, 0x00603000, S2_NORMAL_RW },
		{ 0x7fe00000, 0x7fe00000, 0x00200000, S2_NORMAL_RW },
		{ 0x80000000, 0x100000000ULL, 0x40400000, S2_NORMAL_RW },
	};
	struct stage2 s2;

	init_s2(&s2, 40);
	for (unsigned int i = 0; i < ARRAY_SIZE(maps); i++)
		assert_int_equal(
		    stage2_map(&s2, maps[i].ipa, maps[i].pa, maps[i].size, maps[i].attr), 0);
	/* Every page up to 3.1 GiB: either in exactly one mapping with pa + offset, or unmapped. */
	for (ipa_t ipa = 0; ipa < 0xC4000000ULL; ipa += SZ_4K) {
		paddr_t pa;
		enum s2_attr attr;
		u64 leaf;
		int rc = stage2_translate(&s2, ipa + 0x18, &pa, &attr, &leaf);
		unsigned int i;

		for (i = 0; i < ARRAY_SIZE(maps); i++)
			if (ipa >= maps[i].ipa && ipa < maps[i].ipa + maps[i].size)
				break;
		if (i == ARRAY_SIZE(maps)) {
			if (rc != -TERN_ENOENT)
				fail_msg("0x%llx mapped", (unsigned long long)ipa);
			continue;
		}
		assert_int_equal(rc, 0);
		assert_int_equal(pa, maps[i].pa + (ipa - maps[i].ipa) + 0x18);
		assert_int_equal(attr, maps[i].attr);
		/* The leaf lies wholly inside the mapping. */
		assert_true(ALIGN_DOWN(ipa, leaf) >= maps[i].ipa);
		assert_true(ALIGN_DOWN(ipa, leaf) + leaf <= maps[i].ipa + maps[i].size);
	}
	stage2_destroy(&s2);
	assert_int_equal(free_pages(), free_at_start);
}

static void test_map_errors(void **state)
{
	struct stage2 s2;
	u64 before;

	init_s2(&s2, 40);
	assert_int_equal(stage2_map(&s2, SZ_1G, SZ_1G, SZ_1G, S2_NORMAL_RW), 0);
	assert_int_equal(stage2_map(&s2, 0x200000, 0x200000, 0x3000, S2_NORMAL_RW), 0);
	before = free_pages();

	/* Overlaps: exact, partial at either end, inside a block, enclosing a page. */
	assert_int_equal(stage2_map(&s2, SZ_1G, 0, SZ_1G, S2_NORMAL_RW), -TERN_EEXIST);
	assert_int_equal(stage2_map(&s2, SZ_1G - SZ_2M, 0, 2 * SZ_2M, S2_NORMAL_RW), -TERN_EEXIST);
	assert_int_equal(stage2_map(&s2, 2 * SZ_1G - SZ_4K, 0, 2 * SZ_4K, S2_NORMAL_RW),
			 -TERN_EEXIST);
	assert_int_equal(stage2_map(&s2, SZ_1G + 5 * SZ_4K, 0, SZ_4K, S2_NORMAL_RO), -TERN_EEXIST);
	assert_int_equal(stage2_map(&s2, 0, 0, SZ_1G, S2_NORMAL_RW), -TERN_EEXIST);
	assert_int_equal(stage2_map(&s2, 0x202000, 0, SZ_4K, S2_NORMAL_RW), -TERN_EEXIST);
	/* Nothing of a rejected range was mapped, no table allocated. */
	expect_unmapped(&s2, 0);
	expect_unmapped(&s2, 0x1ff000);
	assert_int_equal(free_pages(), before);
	/* Just next to existing mappings is fine. */
	assert_int_equal(stage2_map(&s2, 0x1ff000, 0x5000, SZ_4K, S2_NORMAL_RW), 0);
	assert_int_equal(stage2_map(&s2, 0x203000, 0x6000, SZ_4K, S2_NORMAL_RW), 0);
	assert_int_equal(stage2_map(&s2, 2 * SZ_1G, 0x8000, SZ_4K, S2_NORMAL_RW), 0);

	/* Out of the 40-bit IPA space, or wrapping. */
	assert_int_equal(stage2_map(&s2, 1ULL << 40, 0, SZ_4K, S2_NORMAL_RW), -TERN_ERANGE);
	assert_int_equal(stage2_map(&s2, (1ULL << 40) - SZ_4K, 0, 2 * SZ_4K, S2_NORMAL_RW),
			 -TERN_ERANGE);
	assert_int_equal(stage2_map(&s2, ~0ULL - SZ_4K + 1, 0, SZ_4K, S2_NORMAL_RW), -TERN_ERANGE);
	assert_int_equal(stage2_map(&s2, SZ_4K, 0, ~0ULL - SZ_4K + 1, S2_NORMAL_RW), -TERN_ERANGE);
	assert_int_equal(stage2_unmap(&s2, 1ULL << 40, SZ_4K), -TERN_ERANGE);
	/* Output beyond the 48-bit PA size. */
	assert_int_equal(stage2_map(&s2, 0x10000000, (paddr_t)(1ULL << 48), SZ_4K, S2_NORMAL_RW),
			 -TERN_ERANGE);
	/* Unaligned or empty. */
	assert_int_equal(stage2_map(&s2, 0x10000800, 0, SZ_4K, S2_NORMAL_RW), -TERN_EINVAL);
	assert_int_equal(stage2_map(&s2, 0x10000000, 0x800, SZ_4K, S2_NORMAL_RW), -TERN_EINVAL);
	assert_int_equal(stage2_map(&s2, 0x10000000, 0, 0x800, S2_NORMAL_RW), -TERN_EINVAL);
	assert_int_equal(stage2_map(&s2, 0x10000000, 0, 0, S2_NORMAL_RW), -TERN_EINVAL);
	assert_int_equal(stage2_unmap(&s2, 0x10000800, SZ_4K), -TERN_EINVAL);
	assert_int_equal(stage2_unmap(&s2, 0x10000000, 0), -TERN_EINVAL);
	expect_unmapped(&s2, 0x10000000);

	stage2_destroy(&s2);
	assert_int_equal(free_pages(), free_at_start);
}

/*
 * A stage 2 without blocks (CONFIG_STAGE2_BLOCKS off) maps even 1 GiB-aligned RAM with pages: a
 * level-2 and 512 level-3 tables per GiB; unmapping part of it needs no split.
 */
static void test_pages_only(void **state)
{
	struct stage2 s2;
	u64 before;

	assert_int_equal(stage2_init(&s2, 7, 40, false), 0);
	before = free_pages();
	assert_int_equal(stage2_map(&s2, SZ_1G, 0x80000000, SZ_1G, S2_NORMAL_RW), 0);
	assert_int_equal(free_pages(), before - 1 - 512);
	expect_range(&s2, SZ_1G, 0x80000000, SZ_1G, S2_NORMAL_RW, SZ_4K);
	assert_int_equal(stage2_map(&s2, 4 * SZ_1G, 0x80200000, SZ_2M, S2_DEVICE_RW), 0);
	expect_range(&s2, 4 * SZ_1G, 0x80200000, SZ_2M, S2_DEVICE_RW, SZ_4K);

	/* A 2 MiB piece in the middle: its level-3 table goes, nothing else changes. */
	before = free_pages();
	memset(&unit_tlb, 0, sizeof(unit_tlb));
	assert_int_equal(stage2_unmap(&s2, SZ_1G + SZ_2M, SZ_2M), 0);
	assert_int_equal(free_pages(), before + 1);
	assert_true(unit_tlb.flush_ipa + unit_tlb.flush_vmid > 0);
	expect_unmapped(&s2, SZ_1G + SZ_2M);
	expect_unmapped(&s2, SZ_1G + 2 * SZ_2M - 1);
	expect_range(&s2, SZ_1G, 0x80000000, SZ_2M, S2_NORMAL_RW, SZ_4K);
	expect_map(&s2, SZ_1G + 2 * SZ_2M, 0x80000000 + 2 * SZ_2M, S2_NORMAL_RW, SZ_4K);

	/* Mapped again, still with pages. */
	assert_int_equal(stage2_map(&s2, SZ_1G + SZ_2M, 0x90000000, SZ_2M, S2_NORMAL_RW), 0);
	expect_range(&s2, SZ_1G + SZ_2M, 0x90000000, SZ_2M, S2_NORMAL_RW, SZ_4K);
	stage2_destroy(&s2);
	assert_int_equal(free_pages(), free_at_start);
}

static void exhaust_allocator(u64 keep)
{
	while (free_pages() > keep)
		assert_true(page_alloc(0));
}

/*
 * stage2_reserve() makes the tables a later map of the range needs and maps nothing: the maps
 * (RAM on demand's, piece by piece) then allocate nothing, in either layout.
 */
static void test_reserve(void **state)
{
	for (int blocks = 0; blocks <= 1; blocks++) {
		struct stage2 s2;
		u64 before;

		assert_int_equal(stage2_init(&s2, 7, 40, blocks), 0);
		before = free_pages();
		/* 8 MiB at 2 MiB-aligned addresses: one level-2 table, and with pages four more. */
		assert_int_equal(stage2_reserve(&s2, SZ_1G, 0x80000000, 4 * SZ_2M, SZ_2M), 0);
		assert_int_equal(free_pages(), before - 1 - (blocks ? 0 : 4));
		expect_unmapped(&s2, SZ_1G);
		expect_unmapped(&s2, SZ_1G + 4 * SZ_2M - 1);

		before = free_pages();
		exhaust_allocator(0);
		for (unsigned int i = 0; i < 4; i++)
			assert_int_equal(stage2_map(&s2, SZ_1G + i * SZ_2M, 0x80000000 + i * SZ_2M,
						    SZ_2M, S2_NORMAL_RW),
					 0);
		assert_int_equal(free_pages(), 0);
		expect_range(&s2, SZ_1G, 0x80000000, 4 * SZ_2M, S2_NORMAL_RW,
			     blocks ? SZ_2M : SZ_4K);
		unit_arena_reset();
	}
}

/*
 * A whole aligned GiB (the allocator's largest chunk) reserved for 2 MiB pieces: with blocks it
 * gets the level-2 table its 2 MiB blocks need, not a 1 GiB block's nothing.
 */
static void test_reserve_whole_gib(void **state)
{
	for (int blocks = 0; blocks <= 1; blocks++) {
		struct stage2 s2;
		u64 before;

		assert_int_equal(stage2_init(&s2, 7, 40, blocks), 0);
		before = free_pages();
		assert_int_equal(stage2_reserve(&s2, SZ_1G, 2 * SZ_1G, SZ_1G, SZ_2M), 0);
		assert_int_equal(free_pages(), before - 1 - (blocks ? 0 : 512));
		exhaust_allocator(0);
		assert_int_equal(stage2_map(&s2, SZ_1G, 2 * SZ_1G, SZ_2M, S2_NORMAL_RW), 0);
		assert_int_equal(
		    stage2_map(&s2, 2 * SZ_1G - SZ_2M, 3 * SZ_1G - SZ_2M, SZ_2M, S2_NORMAL_RW), 0);
		expect_range(&s2, SZ_1G, 2 * SZ_1G, SZ_2M, S2_NORMAL_RW, blocks ? SZ_2M : SZ_4K);
		expect_unmapped(&s2, SZ_1G + SZ_2M);
		unit_arena_reset();
	}
}

/* A reservation over what is mapped, or without the memory for its tables, leaves nothing. */
static void test_reserve_errors(void **state)
{
	struct stage2 s2;

	assert_int_equal(stage2_init(&s2, 7, 40, false), 0);
	assert_int_equal(stage2_map(&s2, SZ_1G, 0x80000000, SZ_4K, S2_NORMAL_RW), 0);
	assert_int_equal(stage2_reserve(&s2, SZ_1G, 0x80000000, SZ_2M, SZ_2M), -TERN_EEXIST);
	assert_int_equal(stage2_reserve(&s2, SZ_1G + SZ_2M, 0x80000001, SZ_2M, SZ_2M),
			 -TERN_EINVAL);
	assert_int_equal(stage2_reserve(&s2, SZ_1G + SZ_2M, 0x80200000, SZ_2M, 0), -TERN_EINVAL);
	assert_int_equal(stage2_reserve(&s2, 1ULL << 40, 0, SZ_4K, SZ_2M), -TERN_ERANGE);

	/* 4 MiB from 2 GiB: a level-2 and two level-3 tables; only two can be had. */
	exhaust_allocator(2);
	assert_int_equal(stage2_reserve(&s2, 2 * SZ_1G, 0x90000000, 2 * SZ_2M, SZ_2M),
			 -TERN_ENOMEM);
	assert_int_equal(free_pages(), 2);
	assert_true(stub_printk_contains("stage2"));
	expect_map(&s2, SZ_1G, 0x80000000, S2_NORMAL_RW, SZ_4K);
}

static void test_unmap_block(void **state)
{
	struct stage2 s2;
	u64 before;

	init_s2(&s2, 40);
	before = free_pages();
	assert_int_equal(stage2_map(&s2, 0x40200000, 0x80200000, SZ_2M, S2_NORMAL_RW), 0);
	assert_int_equal(stage2_map(&s2, SZ_1G * 3, SZ_1G, SZ_1G, S2_NORMAL_RW), 0);
	memset(&unit_tlb, 0, sizeof(unit_tlb));

	/* A whole 2 MiB block: one invalidation by IPA, and the now empty level-2 table freed. */
	assert_int_equal(stage2_unmap(&s2, 0x40200000, SZ_2M), 0);
	expect_unmapped(&s2, 0x40200000);
	expect_unmapped(&s2, 0x403ff000);
	assert_true(unit_tlb.flush_ipa + unit_tlb.flush_vmid > 0);
	assert_int_equal(unit_tlb.last_vttbr, s2.vttbr);
	assert_int_equal(free_pages(), before);
	expect_map(&s2, SZ_1G * 3, SZ_1G, S2_NORMAL_RW, SZ_1G);

	/* A whole 1 GiB block. */
	memset(&unit_tlb, 0, sizeof(unit_tlb));
	assert_int_equal(stage2_unmap(&s2, SZ_1G * 3, SZ_1G), 0);
	assert_int_equal(unit_tlb.flush_ipa, 1);
	assert_int_equal(unit_tlb.last_ipa, SZ_1G * 3);
	assert_int_equal(unit_tlb.last_vttbr, s2.vttbr);
	expect_unmapped(&s2, SZ_1G * 3);
	expect_unmapped(&s2, SZ_1G * 4 - 1);

	/* Unmapping what is not mapped is fine and needs no maintenance. */
	memset(&unit_tlb, 0, sizeof(unit_tlb));
	assert_int_equal(stage2_unmap(&s2, 0, SZ_1G * 8), 0);
	assert_int_equal(unit_tlb.flush_ipa + unit_tlb.flush_vmid, 0);

	/* The range can be mapped again, as a block again. */
	assert_int_equal(stage2_map(&s2, 0x40200000, 0x90200000, SZ_2M, S2_NORMAL_RO), 0);
	expect_range(&s2, 0x40200000, 0x90200000, SZ_2M, S2_NORMAL_RO, SZ_2M);
	stage2_destroy(&s2);
	assert_int_equal(free_pages(), free_at_start);
}

static void test_unmap_page_in_2m_block(void **state)
{
	const ipa_t ipa = 0x40200000, hole = ipa + 0x5000;
	const paddr_t pa = 0x87600000;
	struct stage2 s2;
	u64 before;

	init_s2(&s2, 40);
	assert_int_equal(stage2_map(&s2, ipa, pa, SZ_2M, S2_NORMAL_RO), 0);
	expect_map(&s2, ipa, pa, S2_NORMAL_RO, SZ_2M);
	before = free_pages();
	memset(&unit_tlb, 0, sizeof(unit_tlb));

	assert_int_equal(stage2_unmap(&s2, hole, SZ_4K), 0);
	/* Break-before-make of the block, then the page: maintenance by IPA with this VM's VTTBR.
	 */
	assert_int_equal(unit_tlb.flush_ipa, 2);
	assert_int_equal(unit_tlb.last_ipa, hole);
	assert_true(unit_tlb.sync > 0);
	assert_int_equal(unit_tlb.last_vttbr, s2.vttbr);
	assert_int_equal(free_pages(), before - 1); /* the new level-3 table */
	expect_unmapped(&s2, hole);
	expect_unmapped(&s2, hole + SZ_4K - 1);
	expect_range(&s2, ipa, pa, hole - ipa, S2_NORMAL_RO, SZ_4K);
	expect_range(&s2, hole + SZ_4K, pa + (hole - ipa) + SZ_4K, ipa + SZ_2M - hole - SZ_4K,
		     S2_NORMAL_RO, SZ_4K);

	/* The hole can be filled with something else. */
	assert_int_equal(stage2_map(&s2, hole, 0x9000, SZ_4K, S2_DEVICE_RW), 0);
	expect_map(&s2, hole, 0x9000, S2_DEVICE_RW, SZ_4K);

	/* Unmapping the rest frees the level-3 and level-2 tables. */
	assert_int_equal(stage2_unmap(&s2, ipa, SZ_2M), 0);
	expect_unmapped(&s2, ipa);
	expect_unmapped(&s2, hole);
	stage2_destroy(&s2);
	assert_int_equal(free_pages(), free_at_start);
}

static void test_unmap_in_1g_block(void **state)
{
	const ipa_t ipa = 2 * SZ_1G;
	const paddr_t pa = 5 * SZ_1G;
	/* Three pages straddling a 2 MiB boundary, 7 MiB + 12 KiB from the bottom. */
	const ipa_t hole = ipa + 8 * SZ_1M - 2 * SZ_4K;
	const u64 hole_size = 3 * SZ_4K;
	struct stage2 s2;

	init_s2(&s2, 40);
	assert_int_equal(stage2_map(&s2, ipa, pa, SZ_1G, S2_NORMAL_RW), 0);
	memset(&unit_tlb, 0, sizeof(unit_tlb));
	assert_int_equal(stage2_unmap(&s2, hole, hole_size), 0);
	assert_true(unit_tlb.flush_ipa + unit_tlb.flush_vmid >= 2);

	for (ipa_t a = ipa; a < ipa + SZ_1G; a += SZ_4K) {
		bool in_hole = a >= hole && a < hole + hole_size;
		/* The two 2 MiB blocks the hole touches are pages now, the rest 2 MiB blocks. */
		bool split = a >= ipa + 6 * SZ_1M && a < ipa + 10 * SZ_1M;

		if (in_hole)
			expect_unmapped(&s2, a);
		else
			expect_map(&s2, a, pa + (a - ipa), S2_NORMAL_RW, split ? SZ_4K : SZ_2M);
	}

	/* A 2 MiB-aligned piece of what remains a block, and a range over blocks and pages. */
	assert_int_equal(stage2_unmap(&s2, ipa + 100 * SZ_2M, SZ_2M), 0);
	expect_unmapped(&s2, ipa + 100 * SZ_2M);
	expect_map(&s2, ipa + 101 * SZ_2M, pa + 101 * SZ_2M, S2_NORMAL_RW, SZ_2M);
	assert_int_equal(stage2_unmap(&s2, ipa + SZ_1M, 8 * SZ_1M), 0);
	expect_range(&s2, ipa, pa, SZ_1M, S2_NORMAL_RW, SZ_4K);
	expect_unmapped(&s2, ipa + SZ_1M);
	expect_unmapped(&s2, ipa + 9 * SZ_1M - 1);
	expect_range(&s2, ipa + 9 * SZ_1M, pa + 9 * SZ_1M, SZ_1M, S2_NORMAL_RW, SZ_4K);
	expect_map(&s2, ipa + 10 * SZ_1M, pa + 10 * SZ_1M, S2_NORMAL_RW, SZ_2M);

	/* Everything: back to the root alone. */
	assert_int_equal(stage2_unmap(&s2, 0, 4 * SZ_1G), 0);
	assert_int_equal(free_pages(), free_at_start - (1U << s2.root_order));
	stage2_destroy(&s2);
	assert_int_equal(free_pages(), free_at_start);
}

static void test_out_of_memory(void **state)
{
	struct stage2 s2;

	init_s2(&s2, 48);
	assert_int_equal(stage2_map(&s2, SZ_1G, SZ_1G, SZ_2M, S2_NORMAL_RW), 0);

	/* Mapping needs a level-1, a level-2 and a level-3 table; two are left: nothing remains. */
	exhaust_allocator(2);
	assert_int_equal(stage2_map(&s2, 1ULL << 40, 0x1000, SZ_4K, S2_NORMAL_RW), -TERN_ENOMEM);
	expect_unmapped(&s2, 1ULL << 40);
	assert_int_equal(free_pages(), 2);
	assert_true(stub_printk_contains("stage2"));

	/* A split without memory: nothing is unmapped. */
	exhaust_allocator(0);
	assert_int_equal(stage2_unmap(&s2, SZ_1G + SZ_4K, SZ_4K), -TERN_ENOMEM);
	expect_range(&s2, SZ_1G, SZ_1G, SZ_2M, S2_NORMAL_RW, SZ_2M);
	/* A whole block needs no memory. */
	assert_int_equal(stage2_unmap(&s2, SZ_1G, SZ_2M), 0);
	expect_unmapped(&s2, SZ_1G);
}

/* Many scattered mappings over a 48-bit space (start level 0), then destroy: all pages back. */
static void test_destroy_frees_everything(void **state)
{
	struct stage2 s2;
	u64 seed = 12345;

	init_s2(&s2, 48);
	for (unsigned int i = 0; i < 300; i++) {
		ipa_t ipa;
		paddr_t pa;
		u64 size;
		int rc;

		seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
		ipa = ((seed >> 16) % (1ULL << 36)) << 12;
		size = ((seed >> 8) % 600 + 1) * SZ_4K;
		if (ipa + size > (1ULL << 48))
			continue;
		rc = stage2_map(&s2, ipa, ipa, size, S2_NORMAL_RW);
		assert_true(rc == 0 || rc == -TERN_EEXIST);
		assert_int_equal(stage2_translate(&s2, ipa + size - 1, &pa, NULL, NULL), 0);
		if (!rc)
			assert_int_equal(pa, ipa + size - 1);
	}
	assert_true(free_pages() < free_at_start - 300);
	memset(&unit_tlb, 0, sizeof(unit_tlb));
	stage2_destroy(&s2);
	assert_int_equal(unit_tlb.flush_vmid, 1);
	assert_int_equal(free_pages(), free_at_start);
}

#define T(f) cmocka_unit_test_setup(f, setup)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_ipa_bits),
		T(test_init_geometry),
		T(test_init_errors),
		T(test_block_choice),
		T(test_pages_only),
		T(test_reserve),
		T(test_reserve_whole_gib),
		T(test_reserve_errors),
		T(test_attributes),
		T(test_translate_everything),
		T(test_map_errors),
		T(test_unmap_block),
		T(test_unmap_page_in_2m_block),
		T(test_unmap_in_1g_block),
		T(test_out_of_memory),
		T(test_destroy_frees_everything),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
