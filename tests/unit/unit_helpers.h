/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef UNIT_HELPERS_H
#define UNIT_HELPERS_H

#include <stddef.h>

/*
 * Shared test scaffolding. unit_pages.c: page_zalloc()/page_free() over malloc, for tests of
 * code that allocates pages but not of the allocator itself; unit_pages_live counts what is
 * still allocated. unit_load_data(): a file the test's .mk built under $UNIT_DATA.
 */
extern int unit_pages_live;

void *unit_load_data(const char *relpath, size_t *size);

/* unit_arena.c: the real page allocator over a host buffer of @size bytes, 2 MiB aligned. */
#include <tern/types.h>
int unit_arena_create(size_t size);
void unit_arena_destroy(void);
/* A fresh allocator over the whole buffer (call in each test's setup). */
void unit_arena_reset(void);
u64 unit_arena_free_pages(void);

#endif
