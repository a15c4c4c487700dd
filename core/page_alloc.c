// SPDX-License-Identifier: GPL-2.0-only
/*
 * Buddy allocator of physical pages. Each managed page has one metadata byte: the state of the
 * block starting there (free or allocated, with its order), "tail" for the other pages of a
 * block, or "reserved". Only block heads carry an order, so alloc and free touch O(orders) bytes;
 * the check of the head byte is what catches double frees, wrong orders and foreign addresses.
 * Free blocks are kept on doubly linked lists, one per order, whose links live in the metadata
 * area too (two 32-bit page references per page), never in the free blocks: free memory is not
 * written until someone allocates it. That keeps a stray write into a free block from corrupting
 * the lists, and keeps RAM nobody uses untouched (on QEMU, where the host backs guest RAM with
 * 2 MiB pages on first write, links written into the free blocks had the host allocate and clear
 * 2 MiB for each of them, ~40 MiB at every boot).
 */
#include <string.h>
#include <tern/compiler.h>
#include <tern/errno.h>
#include <tern/page_alloc.h>
#include <tern/printk.h>

#define META_TAIL	0x00
#define META_FREE	0x40
#define META_ALLOC	0x80
#define META_RESERVED	0xc0
#define META_STATE_MASK 0xc0
#define META_ORDER_MASK 0x1f

#define ORDER_BYTES(order) ((paddr_t)PAGE_SIZE << (order))

/* Bytes of metadata per managed page: its state byte and its free-list links. */
#define META_BYTES_PER_PAGE (1 + sizeof(struct page_alloc_link))

static paddr_t pa_range_end(const struct page_alloc_range *r)
{
	return r->base + (paddr_t)(r->nr_pages << PAGE_SHIFT);
}

static struct page_alloc_range *pa_range_of(struct page_allocator *pa, paddr_t addr)
{
	for (unsigned int i = 0; i < pa->nr_ranges; i++) {
		struct page_alloc_range *r = &pa->ranges[i];

		if (addr >= r->base && addr < pa_range_end(r))
			return r;
	}
	return NULL;
}

static u8 *pa_meta(const struct page_alloc_range *r, paddr_t addr)
{
	return &r->meta[(addr - r->base) >> PAGE_SHIFT];
}

/* A link names a block by its page's number over all ranges, plus one: 0 is "none". */
static u32 pa_ref(struct page_allocator *pa, paddr_t addr)
{
	const struct page_alloc_range *r = pa_range_of(pa, addr);

	return r->first + (u32)((addr - r->base) >> PAGE_SHIFT) + 1;
}

static paddr_t pa_deref(const struct page_allocator *pa, u32 ref)
{
	for (unsigned int i = 0; ref && i < pa->nr_ranges; i++) {
		const struct page_alloc_range *r = &pa->ranges[i];

		if (ref - 1 - r->first < r->nr_pages)
			return r->base + ((paddr_t)(ref - 1 - r->first) << PAGE_SHIFT);
	}
	return 0;
}

static struct page_alloc_link *pa_link(struct page_allocator *pa, paddr_t addr)
{
	const struct page_alloc_range *r = pa_range_of(pa, addr);

	return &r->link[(addr - r->base) >> PAGE_SHIFT];
}

static void pa_list_push(struct page_allocator *pa, paddr_t addr, unsigned int order)
{
	struct page_alloc_link *n = pa_link(pa, addr);
	paddr_t head = pa->free_list[order];

	n->prev = 0;
	n->next = head ? pa_ref(pa, head) : 0;
	if (head)
		pa_link(pa, head)->prev = pa_ref(pa, addr);
	pa->free_list[order] = addr;
	pa->nr_free_blocks[order]++;
}

static void pa_list_remove(struct page_allocator *pa, paddr_t addr, unsigned int order)
{
	const struct page_alloc_link *n = pa_link(pa, addr);

	if (n->prev)
		pa_link(pa, pa_deref(pa, n->prev))->next = n->next;
	else
		pa->free_list[order] = pa_deref(pa, n->next);
	if (n->next)
		pa_link(pa, pa_deref(pa, n->next))->prev = n->prev;
	pa->nr_free_blocks[order]--;
}

void page_allocator_init(struct page_allocator *pa)
{
	memset(pa, 0, sizeof(*pa));
	spin_lock_init(&pa->lock);
}

int page_allocator_add_range(struct page_allocator *pa, paddr_t base, u64 size)
{
	paddr_t start, end;

	if (pa->finalized)
		return -TERN_EBUSY;
	if (!size || base + size < base)
		return -TERN_EINVAL;
	start = ALIGN_UP(base, PAGE_SIZE);
	end = ALIGN_DOWN(base + size, PAGE_SIZE);
	/* Page 0 is never managed: 0 means "no page" in the free lists and to callers. */
	if (start < PAGE_SIZE)
		start = PAGE_SIZE;
	if (start < base || end <= start)
		return 0;
	if (pa->nr_ranges == PAGE_ALLOC_MAX_RANGES)
		return -TERN_ENOSPC;
	pa->ranges[pa->nr_ranges].base = start;
	pa->ranges[pa->nr_ranges].nr_pages = (end - start) >> PAGE_SHIFT;
	pa->nr_ranges++;
	return 0;
}

int page_allocator_reserve(struct page_allocator *pa, paddr_t base, u64 size)
{
	paddr_t end;

	if (pa->finalized)
		return -TERN_EBUSY;
	if (!size || base + size < base)
		return -TERN_EINVAL;
	if (pa->nr_reserved == PAGE_ALLOC_MAX_RESERVED)
		return -TERN_ENOSPC;
	end = base + size;
	/* Rounding up the last page could wrap: no range reaches that page anyway. */
	end = end > ALIGN_DOWN(UINTPTR_MAX, PAGE_SIZE) ? ALIGN_DOWN(UINTPTR_MAX, PAGE_SIZE)
						       : ALIGN_UP(end, PAGE_SIZE);
	pa->reserved[pa->nr_reserved].base = ALIGN_DOWN(base, PAGE_SIZE);
	pa->reserved[pa->nr_reserved].end = end;
	pa->nr_reserved++;
	return 0;
}

/* Sorts the ranges by address and merges those that overlap or touch. */
static void pa_merge_ranges(struct page_allocator *pa)
{
	unsigned int i, j, n = 0;

	for (i = 1; i < pa->nr_ranges; i++) {
		struct page_alloc_range r = pa->ranges[i];

		for (j = i; j > 0 && pa->ranges[j - 1].base > r.base; j--)
			pa->ranges[j] = pa->ranges[j - 1];
		pa->ranges[j] = r;
	}
	for (i = 0; i < pa->nr_ranges; i++) {
		struct page_alloc_range *r = &pa->ranges[i];

		if (n && r->base <= pa_range_end(&pa->ranges[n - 1])) {
			struct page_alloc_range *last = &pa->ranges[n - 1];
			paddr_t end = MAX(pa_range_end(last), pa_range_end(r));

			last->nr_pages = (end - last->base) >> PAGE_SHIFT;
		} else {
			pa->ranges[n++] = *r;
		}
	}
	pa->nr_ranges = n;
}

/* Sorts the reserved regions by address and merges those that overlap or touch. */
static void pa_merge_reserved(struct page_allocator *pa)
{
	unsigned int i, j, n = 0;

	for (i = 1; i < pa->nr_reserved; i++) {
		struct page_alloc_region r = pa->reserved[i];

		for (j = i; j > 0 && pa->reserved[j - 1].base > r.base; j--)
			pa->reserved[j] = pa->reserved[j - 1];
		pa->reserved[j] = r;
	}
	for (i = 0; i < pa->nr_reserved; i++) {
		struct page_alloc_region *r = &pa->reserved[i];

		if (n && r->base <= pa->reserved[n - 1].end)
			pa->reserved[n - 1].end = MAX(pa->reserved[n - 1].end, r->end);
		else
			pa->reserved[n++] = *r;
	}
	pa->nr_reserved = n;
}

/*
 * The next run [*start, *end) of range r not covered by a reserved region, at or after *pos;
 * advances *pos past it. False when there is none. Needs the reserved list sorted and merged.
 */
static bool pa_next_gap(const struct page_allocator *pa, const struct page_alloc_range *r,
			paddr_t *pos, paddr_t *start, paddr_t *end)
{
	paddr_t cur = MAX(*pos, r->base), rend = pa_range_end(r);

	for (unsigned int i = 0; i < pa->nr_reserved && cur < rend; i++) {
		const struct page_alloc_region *rv = &pa->reserved[i];

		if (rv->end <= cur)
			continue;
		if (rv->base >= rend)
			break;
		if (rv->base > cur) {
			*start = cur;
			*end = rv->base;
			*pos = rv->end;
			return true;
		}
		cur = rv->end;
	}
	if (cur >= rend)
		return false;
	*start = cur;
	*end = rend;
	*pos = rend;
	return true;
}

/* Pages of the ranges that the (sorted, merged) reserved regions cover. */
static u64 pa_count_reserved(const struct page_allocator *pa)
{
	u64 pages = 0;

	for (unsigned int i = 0; i < pa->nr_ranges; i++) {
		const struct page_alloc_range *r = &pa->ranges[i];

		for (unsigned int j = 0; j < pa->nr_reserved; j++) {
			paddr_t s = MAX(r->base, pa->reserved[j].base);
			paddr_t e = MIN(pa_range_end(r), pa->reserved[j].end);

			if (s < e)
				pages += (e - s) >> PAGE_SHIFT;
		}
	}
	return pages;
}

/* The highest free run that holds the metadata; 0 if none does. */
static paddr_t pa_place_meta(const struct page_allocator *pa, u64 pages)
{
	paddr_t best = 0;

	for (unsigned int i = 0; i < pa->nr_ranges; i++) {
		paddr_t pos = 0, start, end;

		while (pa_next_gap(pa, &pa->ranges[i], &pos, &start, &end))
			if (((end - start) >> PAGE_SHIFT) >= pages)
				best = MAX(best, end - (paddr_t)(pages << PAGE_SHIFT));
	}
	return best;
}

/* Puts [start, end) on the free lists as the largest naturally aligned blocks that fit. */
static void pa_free_run(struct page_allocator *pa, const struct page_alloc_range *r, paddr_t start,
			paddr_t end)
{
	memset(pa_meta(r, start), META_TAIL, (end - start) >> PAGE_SHIFT);
	while (start < end) {
		unsigned int order = PAGE_ALLOC_MAX_ORDER;

		while (order &&
		       (!IS_ALIGNED(start, ORDER_BYTES(order)) || end - start < ORDER_BYTES(order)))
			order--;
		*pa_meta(r, start) = META_FREE | order;
		pa_list_push(pa, start, order);
		pa->free_pages += 1UL << order;
		start += ORDER_BYTES(order);
	}
}

int page_allocator_finalize(struct page_allocator *pa)
{
	paddr_t meta;
	u64 offset = 0;

	if (pa->finalized)
		return -TERN_EBUSY;
	if (!pa->nr_ranges)
		return -TERN_EINVAL;

	pa_merge_ranges(pa);
	pa_merge_reserved(pa);
	pa->total_pages = 0;
	for (unsigned int i = 0; i < pa->nr_ranges; i++)
		pa->total_pages += pa->ranges[i].nr_pages;
	pa->reserved_pages = pa_count_reserved(pa);

	if (pa->total_pages >= UINT32_MAX) {
		pr_err("page_alloc: %llu pages: more than 32-bit links can name\n",
		       (unsigned long long)pa->total_pages);
		return -TERN_ENOMEM;
	}
	pa->meta_pages = ALIGN_UP(pa->total_pages * META_BYTES_PER_PAGE, PAGE_SIZE) >> PAGE_SHIFT;
	meta = pa_place_meta(pa, pa->meta_pages);
	if (!meta) {
		pr_err("page_alloc: no free run of %llu pages for the metadata\n",
		       (unsigned long long)pa->meta_pages);
		return -TERN_ENOMEM;
	}
	pa->meta_base = meta;
	pa->reserved[pa->nr_reserved].base = meta;
	pa->reserved[pa->nr_reserved].end = meta + (paddr_t)(pa->meta_pages << PAGE_SHIFT);
	pa->nr_reserved++;
	pa_merge_reserved(pa);

	/* The links first (aligned), then the state bytes; a link is written only when used. */
	memset((void *)(meta + pa->total_pages * sizeof(struct page_alloc_link)), META_RESERVED,
	       pa->total_pages);
	for (unsigned int i = 0; i < pa->nr_ranges; i++) {
		struct page_alloc_range *r = &pa->ranges[i];

		r->first = (u32)offset;
		r->link = (struct page_alloc_link *)meta + offset;
		r->meta = (u8 *)(meta + pa->total_pages * sizeof(struct page_alloc_link)) + offset;
		offset += r->nr_pages;
	}

	for (unsigned int i = 0; i < pa->nr_ranges; i++) {
		paddr_t pos = 0, start, end;

		while (pa_next_gap(pa, &pa->ranges[i], &pos, &start, &end))
			pa_free_run(pa, &pa->ranges[i], start, end);
	}
	pa->finalized = true;
	return 0;
}

paddr_t page_alloc_pages(struct page_allocator *pa, unsigned int order)
{
	const struct page_alloc_range *r;
	unsigned int k;
	paddr_t addr;

	if (order > PAGE_ALLOC_MAX_ORDER || !pa->finalized)
		return 0;

	spin_lock(&pa->lock);
	for (k = order; k <= PAGE_ALLOC_MAX_ORDER && !pa->free_list[k]; k++)
		;
	if (k > PAGE_ALLOC_MAX_ORDER) {
		spin_unlock(&pa->lock);
		return 0;
	}
	addr = pa->free_list[k];
	r = pa_range_of(pa, addr);
	if (!r || *pa_meta(r, addr) != (META_FREE | k)) {
		/* Something wrote into the metadata: never hand out what the links point to. */
		spin_unlock(&pa->lock);
		pr_err("page_alloc: free list of order %u corrupted (head %#lx)\n", k,
		       (unsigned long)addr);
		return 0;
	}
	pa_list_remove(pa, addr, k);
	while (k > order) {
		paddr_t buddy;

		k--;
		buddy = addr + ORDER_BYTES(k);
		*pa_meta(r, buddy) = META_FREE | k;
		pa_list_push(pa, buddy, k);
	}
	*pa_meta(r, addr) = META_ALLOC | order;
	pa->free_pages -= 1UL << order;
	spin_unlock(&pa->lock);
	return addr;
}

/* Why addr is not an allocated block of this order, or NULL if it is. */
static const char *pa_check_free(struct page_allocator *pa, paddr_t addr, unsigned int order,
				 const struct page_alloc_range **rp, unsigned int *alloc_order)
{
	const struct page_alloc_range *r;
	u8 m;

	if (!pa->finalized)
		return "allocator not set up";
	if (order > PAGE_ALLOC_MAX_ORDER)
		return "order too large";
	if (!IS_ALIGNED(addr, ORDER_BYTES(order)))
		return "not aligned to the block size";
	r = pa_range_of(pa, addr);
	if (!r)
		return "outside managed memory";
	m = *pa_meta(r, addr);
	switch (m & META_STATE_MASK) {
	case META_ALLOC:
		if ((m & META_ORDER_MASK) != order) {
			*alloc_order = m & META_ORDER_MASK;
			return "allocated with another order";
		}
		*rp = r;
		return NULL;
	case META_FREE:
		return "double free";
	case META_RESERVED:
		return "reserved page";
	default:
		return "not the start of an allocated block";
	}
}

int page_free_pages(struct page_allocator *pa, paddr_t addr, unsigned int order)
{
	const struct page_alloc_range *r = NULL;
	/* Changed only when the block was allocated with another order. */
	unsigned int alloc_order = order;
	const char *why;

	if (pa->finalized)
		spin_lock(&pa->lock);
	why = pa_check_free(pa, addr, order, &r, &alloc_order);
	if (why) {
		if (pa->finalized)
			spin_unlock(&pa->lock);
		if (alloc_order != order)
			pr_err("page_alloc: bad free of %#lx order %u: %s (%u)\n",
			       (unsigned long)addr, order, why, alloc_order);
		else
			pr_err("page_alloc: bad free of %#lx order %u: %s\n", (unsigned long)addr,
			       order, why);
		return -TERN_EINVAL;
	}

	pa->free_pages += 1UL << order;
	while (order < PAGE_ALLOC_MAX_ORDER) {
		paddr_t buddy = addr ^ ORDER_BYTES(order);

		if (buddy < r->base || buddy >= pa_range_end(r) ||
		    *pa_meta(r, buddy) != (META_FREE | order))
			break;
		pa_list_remove(pa, buddy, order);
		*pa_meta(r, buddy) = META_TAIL;
		*pa_meta(r, addr) = META_TAIL;
		addr = MIN(addr, buddy);
		order++;
	}
	*pa_meta(r, addr) = META_FREE | order;
	pa_list_push(pa, addr, order);
	spin_unlock(&pa->lock);
	return 0;
}

void page_allocator_stats(struct page_allocator *pa, struct page_alloc_stats *st)
{
	memset(st, 0, sizeof(*st));
	st->largest_free_order = -1;
	if (!pa->finalized)
		return;
	spin_lock(&pa->lock);
	st->total_pages = pa->total_pages;
	st->free_pages = pa->free_pages;
	st->reserved_pages = pa->reserved_pages;
	st->meta_pages = pa->meta_pages;
	st->used_pages = pa->total_pages - pa->free_pages - pa->reserved_pages - pa->meta_pages;
	for (unsigned int k = 0; k <= PAGE_ALLOC_MAX_ORDER; k++) {
		st->free_blocks[k] = pa->nr_free_blocks[k];
		if (pa->nr_free_blocks[k])
			st->largest_free_order = (int)k;
	}
	spin_unlock(&pa->lock);
}
