// SPDX-License-Identifier: GPL-2.0-only
/* The real page allocator over a host buffer, for tests of code that allocates pages. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>
#include <tern/page_alloc.h>
#include "unit_helpers.h"

#define ARENA_ALIGN (2UL << 20)

static u8 *arena;
static size_t arena_size;

int unit_arena_create(size_t size)
{
	arena_size = size;
	arena = aligned_alloc(ARENA_ALIGN, size);
	return arena ? 0 : -1;
}

void unit_arena_destroy(void)
{
	free(arena);
	arena = NULL;
}

void unit_arena_reset(void)
{
	page_allocator_init(&page_allocator_global);
	assert_int_equal(
	    page_allocator_add_range(&page_allocator_global, (paddr_t)arena, arena_size), 0);
	assert_int_equal(page_allocator_finalize(&page_allocator_global), 0);
}

u64 unit_arena_free_pages(void)
{
	struct page_alloc_stats st;

	page_allocator_stats(&page_allocator_global, &st);
	return st.free_pages;
}
