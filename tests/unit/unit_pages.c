// SPDX-License-Identifier: GPL-2.0-only
#include <stdlib.h>
#include <string.h>
#include <tern/page_alloc.h>
#include "unit_helpers.h"

int unit_pages_live;

void *page_zalloc(unsigned int order)
{
	void *p = aligned_alloc(PAGE_SIZE << order, PAGE_SIZE << order);

	if (p) {
		memset(p, 0, PAGE_SIZE << order);
		unit_pages_live++;
	}
	return p;
}

int page_free(paddr_t addr, unsigned int order)
{
	(void)order;
	free((void *)addr);
	unit_pages_live--;
	return 0;
}
