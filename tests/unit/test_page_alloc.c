// SPDX-License-Identifier: GPL-2.0-only
/* The buddy allocator over host memory (paddr_t is a host pointer here). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <tern/compiler.h>
#include <tern/errno.h>
#include <tern/page_alloc.h>
#include "stub_printk.h"

#define MEM_SIZE  (8UL << 20)
#define MEM_ALIGN (2UL << 20)
#define MEM_PAGES (MEM_SIZE / PAGE_SIZE)
/* Nine bytes of metadata per page (a state byte, two 32-bit links): 18 KiB, five pages. */
#define META_PAGES 5
#define BLOCK(o)   ((paddr_t)PAGE_SIZE << (o))

static u8 *mem;
static paddr_t base;
static struct page_allocator pa;
/* Per page of mem: the allocation that owns it (index + 1), 0 when not handed out. */
static u32 owner[MEM_PAGES];

static int group_setup(void **state)
{
	mem = aligned_alloc(MEM_ALIGN, MEM_SIZE);
	if (!mem)
		return -1;
	base = (paddr_t)mem;
	return 0;
}

static int group_teardown(void **state)
{
	free(mem);
	return 0;
}

static int setup(void **state)
{
	memset(mem, 0xee, MEM_SIZE);
	memset(owner, 0, sizeof(owner));
	page_allocator_init(&pa);
	stub_printk_reset();
	return 0;
}

static size_t page_index(paddr_t addr)
{
	assert_true(addr >= base && addr < base + MEM_SIZE);
	return (addr - base) / PAGE_SIZE;
}

/* Reference: how the free run [s, e) splits into naturally aligned blocks. */
static void expect_run(u64 *blocks, paddr_t s, paddr_t e)
{
	while (s < e) {
		unsigned int o = PAGE_ALLOC_MAX_ORDER;

		while (o && (s % BLOCK(o) || e - s < BLOCK(o)))
			o--;
		blocks[o]++;
		s += BLOCK(o);
	}
}

static void stats(struct page_alloc_stats *st)
{
	page_allocator_stats(&pa, st);
	assert_int_equal(st->total_pages,
			 st->free_pages + st->reserved_pages + st->meta_pages + st->used_pages);
}

static void assert_stats_equal(const struct page_alloc_stats *a, const struct page_alloc_stats *b)
{
	assert_int_equal(a->total_pages, b->total_pages);
	assert_int_equal(a->free_pages, b->free_pages);
	assert_int_equal(a->reserved_pages, b->reserved_pages);
	assert_int_equal(a->meta_pages, b->meta_pages);
	assert_int_equal(a->used_pages, b->used_pages);
	assert_int_equal(a->largest_free_order, b->largest_free_order);
	for (unsigned int o = 0; o <= PAGE_ALLOC_MAX_ORDER; o++)
		assert_int_equal(a->free_blocks[o], b->free_blocks[o]);
}

/* Allocates blocks of one order until exhaustion, filling each with a pattern; returns count. */
static size_t alloc_all(paddr_t *addrs, size_t max, unsigned int order)
{
	size_t n = 0;
	paddr_t a;

	while ((a = page_alloc_pages(&pa, order))) {
		size_t first = page_index(a);

		assert_true(n < max);
		assert_true(a % BLOCK(order) == 0);
		for (size_t p = first; p < first + (1UL << order); p++) {
			assert_int_equal(owner[p], 0);
			owner[p] = (u32)n + 1;
		}
		memset((void *)a, 0xa5, BLOCK(order));
		addrs[n++] = a;
	}
	return n;
}

static void free_all(paddr_t *addrs, size_t n, unsigned int order)
{
	/* Every other one first, then the rest, so merges happen both ways. */
	for (size_t pass = 0; pass < 2; pass++)
		for (size_t i = pass; i < n; i += 2) {
			size_t first = page_index(addrs[i]);

			assert_int_equal(page_free_pages(&pa, addrs[i], order), 0);
			for (size_t p = first; p < first + (1UL << order); p++)
				owner[p] = 0;
		}
}

static void test_single_range(void **state)
{
	static paddr_t addrs[MEM_PAGES];
	struct page_alloc_stats st0, st;
	u64 blocks[PAGE_ALLOC_MAX_ORDER + 1] = { 0 };
	size_t n;

	assert_int_equal(page_allocator_add_range(&pa, base, MEM_SIZE), 0);
	assert_int_equal(page_allocator_finalize(&pa), 0);
	stats(&st0);
	assert_int_equal(st0.total_pages, MEM_PAGES);
	/* At the top. */
	assert_int_equal(st0.meta_pages, META_PAGES);
	assert_int_equal(st0.reserved_pages, 0);
	assert_int_equal(st0.used_pages, 0);
	assert_int_equal(st0.free_pages, MEM_PAGES - META_PAGES);
	expect_run(blocks, base, base + MEM_SIZE - META_PAGES * PAGE_SIZE);
	for (unsigned int o = 0; o <= PAGE_ALLOC_MAX_ORDER; o++)
		assert_int_equal(st0.free_blocks[o], blocks[o]);
	assert_true(st0.largest_free_order >= 9);

	/* Page by page until exhaustion: exactly the free pages, never the metadata page. */
	n = alloc_all(addrs, MEM_PAGES, 0);
	assert_int_equal(n, st0.free_pages);
	assert_int_equal(owner[MEM_PAGES - 1], 0);
	stats(&st);
	assert_int_equal(st.free_pages, 0);
	assert_int_equal(st.used_pages, n);
	assert_int_equal(st.largest_free_order, -1);
	for (unsigned int o = 0; o <= PAGE_ALLOC_MAX_ORDER; o++)
		assert_int_equal(page_alloc_pages(&pa, o), 0);

	/* Everything back: coalesced to the same blocks as at the start. */
	free_all(addrs, n, 0);
	stats(&st);
	assert_stats_equal(&st, &st0);
	assert_false(stub_printk_contains("page_alloc"));

	/* Same with order-3 blocks. */
	n = alloc_all(addrs, MEM_PAGES, 3);
	assert_int_equal(n, (MEM_PAGES - 8) / 8);
	free_all(addrs, n, 3);
	stats(&st);
	assert_stats_equal(&st, &st0);
}

static void test_alignment(void **state)
{
	struct page_alloc_stats st0, st;
	paddr_t held[PAGE_ALLOC_MAX_ORDER + 1];

	assert_int_equal(page_allocator_add_range(&pa, base, MEM_SIZE), 0);
	assert_int_equal(page_allocator_finalize(&pa), 0);
	stats(&st0);

	/* Hold one small block so that every larger one has to come from a split. */
	held[0] = page_alloc_pages(&pa, 0);
	assert_true(held[0]);
	for (unsigned int o = 1; o <= 9; o++) {
		held[o] = page_alloc_pages(&pa, o);
		assert_true(held[o]);
		assert_true(held[o] % BLOCK(o) == 0);
		assert_true(held[o] + BLOCK(o) <= base + MEM_SIZE);
	}
	for (unsigned int o = 0; o <= 9; o++)
		assert_int_equal(page_free_pages(&pa, held[o], o), 0);
	stats(&st);
	assert_stats_equal(&st, &st0);

	/* Larger than the memory, or than the allocator supports. */
	assert_int_equal(page_alloc_pages(&pa, PAGE_ALLOC_MAX_ORDER), 0);
	assert_int_equal(page_alloc_pages(&pa, PAGE_ALLOC_MAX_ORDER + 1), 0);
	assert_int_equal(page_alloc_pages(&pa, 1000), 0);
}

static bool in_reserved(size_t page)
{
	/* Mirrors the reservations of test_reserve, in pages of mem. */
	return page <= 6 || (page >= 256 && page < 512) || page == 1000 || page == MEM_PAGES - 1;
}

static void test_reserve(void **state)
{
	static paddr_t addrs[MEM_PAGES];
	struct page_alloc_stats st0, st;
	size_t n, reserved = 0;

	assert_int_equal(page_allocator_add_range(&pa, base, MEM_SIZE), 0);
	/* Unaligned: rounded out to pages 1..4. */
	assert_int_equal(page_allocator_reserve(&pa, base + 0x1234, 0x3000), 0);
	/* Overlapping the previous one: pages 3..6. */
	assert_int_equal(page_allocator_reserve(&pa, base + 0x3000, 0x4000), 0);
	/* Partly below the range: pages 0..1. */
	assert_int_equal(page_allocator_reserve(&pa, base - 0x10000, 0x11001), 0);
	/* Wholly outside. */
	assert_int_equal(page_allocator_reserve(&pa, base + MEM_SIZE + 0x100000, 0x1000), 0);
	assert_int_equal(page_allocator_reserve(&pa, base - 0x100000, 0x1000), 0);
	/* 1 MiB in the middle, given in two overlapping halves. */
	assert_int_equal(page_allocator_reserve(&pa, base + 0x100000, 0x90000), 0);
	assert_int_equal(page_allocator_reserve(&pa, base + 0x180000, 0x80000), 0);
	/* One byte: one page. */
	assert_int_equal(page_allocator_reserve(&pa, base + 1000 * PAGE_SIZE + 5, 1), 0);
	/* The last page, partly above the range. */
	assert_int_equal(page_allocator_reserve(&pa, base + MEM_SIZE - 8, 0x2000), 0);

	for (size_t p = 0; p < MEM_PAGES; p++)
		reserved += in_reserved(p);

	assert_int_equal(page_allocator_finalize(&pa), 0);
	stats(&st0);
	assert_int_equal(st0.reserved_pages, reserved);
	assert_int_equal(st0.meta_pages, META_PAGES);
	assert_int_equal(st0.free_pages, MEM_PAGES - reserved - META_PAGES);

	/* Reserved pages hold data the allocator must never touch. */
	for (size_t p = 0; p < MEM_PAGES; p++)
		if (in_reserved(p))
			memset(mem + p * PAGE_SIZE, (int)(p & 0xff), PAGE_SIZE);

	n = alloc_all(addrs, MEM_PAGES, 0);
	assert_int_equal(n, st0.free_pages);
	for (size_t p = 0; p < MEM_PAGES; p++)
		if (in_reserved(p))
			assert_int_equal(owner[p], 0);
	free_all(addrs, n, 0);
	stats(&st);
	assert_stats_equal(&st, &st0);

	/* Again with larger blocks after the pattern overwrote everything handed out. */
	n = alloc_all(addrs, MEM_PAGES, 2);
	assert_true(n > 0);
	free_all(addrs, n, 2);
	stats(&st);
	assert_stats_equal(&st, &st0);

	for (size_t p = 0; p < MEM_PAGES; p++)
		if (in_reserved(p))
			for (size_t i = 0; i < PAGE_SIZE; i++)
				assert_int_equal(mem[p * PAGE_SIZE + i], p & 0xff);
	assert_false(stub_printk_contains("page_alloc"));
}

static void test_two_ranges(void **state)
{
	static paddr_t addrs[MEM_PAGES];
	struct page_alloc_stats st0, st;
	size_t n;

	/* [0, 3 MiB) and [4 MiB + 0x800, 8 MiB - 0x123): trimmed to [4 MiB + 4 KiB, 8 MiB - 4 KiB).
	 */
	assert_int_equal(page_allocator_add_range(&pa, base + 0x400800, 0x400000 - 0x800 - 0x123),
			 0);
	assert_int_equal(page_allocator_add_range(&pa, base, 0x300000), 0);
	assert_int_equal(page_allocator_finalize(&pa), 0);
	stats(&st0);
	assert_int_equal(st0.total_pages, 768 + 1024 - 2);
	assert_int_equal(st0.free_pages, st0.total_pages - st0.meta_pages);

	n = alloc_all(addrs, MEM_PAGES, 0);
	assert_int_equal(n, st0.free_pages);
	/* Nothing from the hole or from the trimmed edges. */
	for (size_t p = 768; p <= 1024; p++)
		assert_int_equal(owner[p], 0);
	assert_int_equal(owner[MEM_PAGES - 1], 0);
	free_all(addrs, n, 0);
	stats(&st);
	assert_stats_equal(&st, &st0);
}

static void test_merged_ranges(void **state)
{
	struct page_alloc_stats st;
	paddr_t a;

	/* Three touching or overlapping ranges form one [0, 4 MiB). */
	assert_int_equal(page_allocator_add_range(&pa, base + 0x100000, 0x200000), 0);
	assert_int_equal(page_allocator_add_range(&pa, base, 0x100000), 0);
	assert_int_equal(page_allocator_add_range(&pa, base + 0x280000, 0x180000), 0);
	assert_int_equal(page_allocator_finalize(&pa), 0);
	stats(&st);
	assert_int_equal(st.total_pages, 1024);
	/* The 2 MiB block [0, 2 MiB) spans the first two ranges as given. */
	assert_int_equal(st.free_blocks[9], 1);
	a = page_alloc_pages(&pa, 9);
	assert_int_equal(a, base);
	assert_int_equal(page_free_pages(&pa, a, 9), 0);
}

static void expect_bad_free(paddr_t addr, unsigned int order, const char *why)
{
	struct page_alloc_stats before, after;

	page_allocator_stats(&pa, &before);
	stub_printk_reset();
	assert_int_equal(page_free_pages(&pa, addr, order), -TERN_EINVAL);
	assert_true(stub_printk_contains("page_alloc: bad free"));
	if (!stub_printk_contains(why))
		fail_msg("expected \"%s\" in log: %s", why, stub_printk_log());
	page_allocator_stats(&pa, &after);
	assert_stats_equal(&before, &after);
}

static void test_bad_frees(void **state)
{
	static char foreign[2 * PAGE_SIZE];
	struct page_alloc_stats st0, st;
	paddr_t a, b, c;

	/* Before finalize nothing can be freed. */
	stub_printk_reset();
	assert_int_equal(page_free_pages(&pa, base, 0), -TERN_EINVAL);
	assert_true(stub_printk_contains("page_alloc: bad free"));

	assert_int_equal(page_allocator_add_range(&pa, base + PAGE_SIZE, MEM_SIZE - PAGE_SIZE), 0);
	assert_int_equal(page_allocator_reserve(&pa, base + 0x10000, PAGE_SIZE), 0);
	assert_int_equal(page_allocator_finalize(&pa), 0);
	stats(&st0);

	a = page_alloc_pages(&pa, 2);
	b = page_alloc_pages(&pa, 0);
	c = page_alloc_pages(&pa, 4);
	assert_true(a && b && c);

	expect_bad_free(a, 1, "allocated with another order (2)");
	expect_bad_free(a, 0, "allocated with another order (2)");
	expect_bad_free(c, 3, "allocated with another order (4)");
	expect_bad_free(a + PAGE_SIZE, 0, "not the start of an allocated block");
	expect_bad_free(a + 1, 0, "not aligned");
	expect_bad_free(c + BLOCK(2), 2, "not the start of an allocated block");
	expect_bad_free(ALIGN_UP((paddr_t)foreign, PAGE_SIZE), 0, "outside managed memory");
	expect_bad_free(base, 0, "outside managed memory");
	expect_bad_free(base + MEM_SIZE, 0, "outside managed memory");
	expect_bad_free(base + 0x10000, 0, "reserved page");
	expect_bad_free(base + MEM_SIZE - PAGE_SIZE, 0, "reserved page"); /* the metadata */
	expect_bad_free(a, PAGE_ALLOC_MAX_ORDER + 1, "order too large");

	assert_int_equal(page_free_pages(&pa, b, 0), 0);
	expect_bad_free(b, 0, "double free");
	assert_int_equal(page_free_pages(&pa, a, 2), 0);
	/* a and b may have merged into a larger free block: a is then not a block start. */
	assert_int_equal(page_free_pages(&pa, a, 2), -TERN_EINVAL);
	assert_int_equal(page_free_pages(&pa, c, 4), 0);
	expect_bad_free(c, 4, "");

	/* Nothing was corrupted: all back as at the start, and still usable. */
	stats(&st);
	assert_stats_equal(&st, &st0);
	a = page_alloc_pages(&pa, 0);
	assert_true(a);
	assert_int_equal(page_free_pages(&pa, a, 0), 0);
}

static u64 rng_state = 0x9e3779b97f4a7c15ULL;

static u64 rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

struct live_block {
	paddr_t addr;
	unsigned int order;
	u64 tag;
};

/* Random allocs and frees against a page-owner shadow, with stats checked all along. */
static void test_soak(void **state)
{
	static struct live_block live[MEM_PAGES];
	struct page_alloc_stats st0, st;
	size_t nr_live = 0;
	u64 used = 0, fails = 0;

	assert_int_equal(page_allocator_add_range(&pa, base, MEM_SIZE / 2), 0);
	assert_int_equal(
	    page_allocator_add_range(&pa, base + MEM_SIZE / 2 + 0x3000, MEM_SIZE / 2 - 0x3000), 0);
	assert_int_equal(page_allocator_reserve(&pa, base + 0x123000, 0x45000), 0);
	assert_int_equal(page_allocator_finalize(&pa), 0);
	stats(&st0);

	for (unsigned int step = 0; step < 200000; step++) {
		bool do_alloc = nr_live == 0 || (rng() % 100) < (step % 20000 < 10000 ? 60 : 40);

		if (do_alloc) {
			/* Mostly small orders, sometimes large ones. */
			unsigned int order = rng() % 8 ? rng() % 4 : rng() % 11;
			paddr_t a;

			page_allocator_stats(&pa, &st);
			a = page_alloc_pages(&pa, order);
			if (!a) {
				/* Only legitimate when no free block is large enough. */
				assert_true(st.largest_free_order < (int)order);
				fails++;
				continue;
			}
			assert_true(a % BLOCK(order) == 0);
			for (size_t p = page_index(a); p < page_index(a) + (1UL << order); p++) {
				assert_int_equal(owner[p], 0);
				owner[p] = 1;
			}
			live[nr_live] = (struct live_block){ a, order, rng() };
			/* Tag the first and last word: the allocator must not touch them. */
			*(u64 *)a = live[nr_live].tag;
			*(u64 *)(a + BLOCK(order) - 8) = ~live[nr_live].tag;
			nr_live++;
			used += 1UL << order;
		} else {
			size_t i = rng() % nr_live;
			struct live_block b = live[i];

			assert_int_equal(*(u64 *)b.addr, b.tag);
			assert_int_equal(*(u64 *)(b.addr + BLOCK(b.order) - 8), ~b.tag);
			assert_int_equal(page_free_pages(&pa, b.addr, b.order), 0);
			for (size_t p = page_index(b.addr);
			     p < page_index(b.addr) + (1UL << b.order); p++)
				owner[p] = 0;
			live[i] = live[--nr_live];
			used -= 1UL << b.order;
		}
		if (step % 1024 == 0) {
			stats(&st);
			assert_int_equal(st.used_pages, used);
			assert_int_equal(st.free_pages, st0.free_pages - used);
		}
	}
	/* The run exercised exhaustion too. */
	assert_true(fails > 0);
	while (nr_live) {
		struct live_block b = live[--nr_live];

		assert_int_equal(*(u64 *)b.addr, b.tag);
		assert_int_equal(page_free_pages(&pa, b.addr, b.order), 0);
	}
	stats(&st);
	assert_stats_equal(&st, &st0);
	assert_false(stub_printk_contains("page_alloc"));
}

/*
 * The allocator never writes into memory it has not handed out (its free-list links live in
 * the metadata): a page nobody allocated keeps setup()'s 0xee, through splits and merges.
 */
static void test_free_memory_untouched(void **state)
{
	static bool handed_out[MEM_PAGES];
	paddr_t held[16];
	struct page_alloc_stats st;

	memset(handed_out, 0, sizeof(handed_out));
	assert_int_equal(page_allocator_add_range(&pa, base, MEM_SIZE), 0);
	assert_int_equal(page_allocator_reserve(&pa, base + 0x123000, 0x45000), 0);
	assert_int_equal(page_allocator_finalize(&pa), 0);
	/* Splits push buddies of every order, frees merge them back (list removals). */
	for (unsigned int i = 0; i < 16; i++) {
		unsigned int order = i % 5;

		held[i] = page_alloc_pages(&pa, order);
		assert_true(held[i]);
		for (size_t p = page_index(held[i]); p < page_index(held[i]) + (1UL << order); p++)
			handed_out[p] = true;
		memset((void *)held[i], 0x11, BLOCK(order));
	}
	for (unsigned int i = 0; i < 16; i += 2)
		assert_int_equal(page_free_pages(&pa, held[i], i % 5), 0);
	for (unsigned int i = 1; i < 16; i += 2)
		assert_int_equal(page_free_pages(&pa, held[i], i % 5), 0);
	stats(&st);
	for (size_t p = 0; p < MEM_PAGES - st.meta_pages; p++) {
		if (handed_out[p])
			continue;
		for (size_t b = 0; b < PAGE_SIZE; b++)
			if (mem[p * PAGE_SIZE + b] != 0xee)
				fail_msg("page %zu, never handed out, written at byte %zu", p, b);
	}
}

static void test_setup_errors(void **state)
{
	struct page_alloc_stats st;

	assert_int_equal(page_alloc_pages(&pa, 0), 0);
	page_allocator_stats(&pa, &st);
	assert_int_equal(st.total_pages, 0);
	assert_int_equal(st.largest_free_order, -1);
	assert_int_equal(page_allocator_finalize(&pa), -TERN_EINVAL);

	assert_int_equal(page_allocator_add_range(&pa, base, 0), -TERN_EINVAL);
	assert_int_equal(page_allocator_add_range(&pa, UINTPTR_MAX - 10, 100), -TERN_EINVAL);
	assert_int_equal(page_allocator_reserve(&pa, base, 0), -TERN_EINVAL);
	assert_int_equal(page_allocator_reserve(&pa, UINTPTR_MAX - 10, 100), -TERN_EINVAL);
	/* Less than a page after trimming: ignored. */
	assert_int_equal(page_allocator_add_range(&pa, base + 0x10, PAGE_SIZE), 0);
	assert_int_equal(page_allocator_finalize(&pa), -TERN_EINVAL);
	/* Page 0 is never managed. */
	assert_int_equal(page_allocator_add_range(&pa, 0, PAGE_SIZE), 0);
	assert_int_equal(page_allocator_finalize(&pa), -TERN_EINVAL);

	for (unsigned int i = 0; i < PAGE_ALLOC_MAX_RANGES; i++)
		assert_int_equal(page_allocator_add_range(&pa, base + i * 4 * PAGE_SIZE, PAGE_SIZE),
				 0);
	assert_int_equal(page_allocator_add_range(&pa, base + MEM_SIZE / 2, PAGE_SIZE),
			 -TERN_ENOSPC);
	for (unsigned int i = 0; i < PAGE_ALLOC_MAX_RESERVED; i++)
		assert_int_equal(page_allocator_reserve(&pa, base + i * 4 * PAGE_SIZE, PAGE_SIZE),
				 0);
	assert_int_equal(page_allocator_reserve(&pa, base, PAGE_SIZE), -TERN_ENOSPC);
	/* Every page reserved: no room for the metadata. */
	stub_printk_reset();
	assert_int_equal(page_allocator_finalize(&pa), -TERN_ENOMEM);
	assert_true(stub_printk_contains("metadata"));

	page_allocator_init(&pa);
	assert_int_equal(page_allocator_add_range(&pa, base, 2 * PAGE_SIZE), 0);
	assert_int_equal(page_allocator_finalize(&pa), 0);
	assert_int_equal(page_allocator_finalize(&pa), -TERN_EBUSY);
	assert_int_equal(page_allocator_add_range(&pa, base, MEM_SIZE), -TERN_EBUSY);
	assert_int_equal(page_allocator_reserve(&pa, base, PAGE_SIZE), -TERN_EBUSY);
	stats(&st);
	assert_int_equal(st.total_pages, 2);
	assert_int_equal(st.meta_pages, 1); /* 18 bytes */
	assert_int_equal(st.free_pages, 1);
	assert_int_equal(page_alloc_pages(&pa, 0), base);
	assert_int_equal(page_alloc_pages(&pa, 0), 0);
}

static void test_global(void **state)
{
	struct page_allocator *g = &page_allocator_global;
	u8 *p;
	paddr_t a;

	page_allocator_init(g);
	assert_int_equal(page_allocator_add_range(g, base, MEM_SIZE), 0);
	assert_int_equal(page_allocator_finalize(g), 0);

	p = page_zalloc(2);
	assert_non_null(p);
	for (size_t i = 0; i < BLOCK(2); i++)
		assert_int_equal(p[i], 0);
	a = page_alloc(0);
	assert_true(a);
	assert_int_equal(page_free(a, 0), 0);
	assert_int_equal(page_free(a, 0), -TERN_EINVAL);
	assert_int_equal(page_free((paddr_t)p, 2), 0);
	assert_null(page_zalloc(PAGE_ALLOC_MAX_ORDER));
}

#define T(f) cmocka_unit_test_setup(f, setup)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_single_range),  T(test_alignment),
		T(test_reserve),       T(test_two_ranges),
		T(test_merged_ranges), T(test_bad_frees),
		T(test_soak),	       T(test_free_memory_untouched),
		T(test_setup_errors),  T(test_global),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
