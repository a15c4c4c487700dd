/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef TERN_PAGE_ALLOC_H
#define TERN_PAGE_ALLOC_H

#include <tern/spinlock.h>
#include <tern/types.h>

#ifndef PAGE_SHIFT
#define PAGE_SHIFT 12
#endif
#ifndef PAGE_SIZE
#define PAGE_SIZE (1UL << PAGE_SHIFT)
#endif

/** Largest block: 2^18 pages = 1 GiB. */
#define PAGE_ALLOC_MAX_ORDER 18
/** Limits of the set-up tables (memory ranges, reserved regions). */
#define PAGE_ALLOC_MAX_RANGES	16
#define PAGE_ALLOC_MAX_RESERVED 32

/** A free block's neighbours on its free list, as page references (0: none). */
struct page_alloc_link {
	u32 next;
	u32 prev;
};

/** One managed range of RAM, page-aligned. */
struct page_alloc_range {
	paddr_t base;
	u64 nr_pages;
	/** Number of the range's first page over all ranges (the metadata's index). */
	u32 first;
	/** One byte per page (state and order); points into the metadata area. */
	u8 *meta;
	/** Free-list links per page (only a free block's first page's are used); metadata too. */
	struct page_alloc_link *link;
};

/** A region that is never handed out, page-aligned (rounded outwards). */
struct page_alloc_region {
	paddr_t base;
	paddr_t end;
};

/**
 * A buddy allocator of 4 KiB pages, orders 0..PAGE_ALLOC_MAX_ORDER, each block naturally aligned to
 * its size. Fields are private to core/page_alloc.c; it is defined here so it can be static.
 * Memory is accessed through its physical address (Tern's EL2 map is an identity map): the
 * metadata, free-list links included, lives inside the managed memory; free blocks are never
 * written.
 */
struct page_allocator {
	struct spinlock lock;
	bool finalized;
	unsigned int nr_ranges;
	unsigned int nr_reserved;
	struct page_alloc_range ranges[PAGE_ALLOC_MAX_RANGES];
	/* One extra slot for the metadata area during finalize. */
	struct page_alloc_region reserved[PAGE_ALLOC_MAX_RESERVED + 1];
	/* First free block of each order, 0 when empty (doubly linked through the links). */
	paddr_t free_list[PAGE_ALLOC_MAX_ORDER + 1];
	u64 nr_free_blocks[PAGE_ALLOC_MAX_ORDER + 1];
	u64 total_pages;
	u64 free_pages;
	u64 reserved_pages;
	paddr_t meta_base;
	u64 meta_pages;
};

struct page_alloc_stats {
	/** Pages in all ranges. */
	u64 total_pages;
	/** Pages on the free lists. */
	u64 free_pages;
	/** Pages of the ranges covered by page_allocator_reserve(). */
	u64 reserved_pages;
	/** Pages holding the allocator's metadata. */
	u64 meta_pages;
	/** Allocated pages: total - free - reserved - metadata. */
	u64 used_pages;
	/** Highest order with a free block, -1 when nothing is free. */
	int largest_free_order;
	/** Free blocks of each order. */
	u64 free_blocks[PAGE_ALLOC_MAX_ORDER + 1];
};

/**
 * Set-up, on one pCPU, in this order: init, add_range and reserve (any order, any number up to the
 * limits), finalize. Ranges may touch or overlap (they are merged) and their unaligned edges are
 * trimmed to whole pages; reserved regions are rounded out to whole pages, may overlap each other
 * and may lie partly or wholly outside the ranges. Return 0, -TERN_EINVAL (empty or wrapping
 * region), -TERN_ENOSPC (table full) or -TERN_EBUSY (already finalized).
 */
void page_allocator_init(struct page_allocator *pa);
int page_allocator_add_range(struct page_allocator *pa, paddr_t base, u64 size);
int page_allocator_reserve(struct page_allocator *pa, paddr_t base, u64 size);
/**
 * Places the metadata (nine bytes per page: a state byte and two 32-bit links) in the highest free
 * run of the ranges that holds it, then puts every page neither reserved nor metadata on the free
 * lists. Returns 0, -TERN_ENOMEM when no free run holds the metadata, -TERN_EINVAL without ranges,
 * -TERN_EBUSY if called twice.
 */
int page_allocator_finalize(struct page_allocator *pa);

/** A naturally aligned block of 2^order pages, not zeroed; 0 when none is free. */
paddr_t page_alloc_pages(struct page_allocator *pa, unsigned int order);
/**
 * Frees a block page_alloc_pages() returned, with the same order. Anything else (double free,
 * wrong order, not the start of an allocated block, outside the ranges) is logged and returns
 * -TERN_EINVAL without changing the allocator.
 */
int page_free_pages(struct page_allocator *pa, paddr_t addr, unsigned int order);
void page_allocator_stats(struct page_allocator *pa, struct page_alloc_stats *st);

/** The hypervisor's allocator over all RAM, set up by the boot code. */
extern struct page_allocator page_allocator_global;

paddr_t page_alloc(unsigned int order);
int page_free(paddr_t addr, unsigned int order);
/** A zeroed block of 2^order pages, or NULL. */
void *page_zalloc(unsigned int order);

#endif
