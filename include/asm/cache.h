/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef ASM_CACHE_H
#define ASM_CACHE_H

#include <tern/types.h>

/* Data-cache maintenance by VA to the point of coherency, for memory shared with the MMU off. */
void dcache_clean_range(paddr_t start, paddr_t end);
void dcache_inval_range(paddr_t start, paddr_t end);
void dcache_clean_inval_range(paddr_t start, paddr_t end);

#endif
