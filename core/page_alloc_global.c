// SPDX-License-Identifier: GPL-2.0-only
/*
 * The hypervisor's own allocator instance and the calls the rest of Tern makes. Apart from the
 * allocator (core/page_alloc.c) so a unit test can put its own page_alloc() in front of the real
 * allocator, e.g. one that fails on demand.
 */
#include <string.h>
#include <tern/page_alloc.h>

struct page_allocator page_allocator_global;

paddr_t page_alloc(unsigned int order)
{
	return page_alloc_pages(&page_allocator_global, order);
}

int page_free(paddr_t addr, unsigned int order)
{
	return page_free_pages(&page_allocator_global, addr, order);
}

void *page_zalloc(unsigned int order)
{
	paddr_t addr = page_alloc(order);

	if (!addr)
		return NULL;
	memset((void *)addr, 0, (size_t)PAGE_SIZE << order);
	return (void *)addr;
}
