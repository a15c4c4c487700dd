/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef ASM_CACHE_H
#define ASM_CACHE_H

#include <tern/types.h>

/*
 * Data-cache maintenance by VA to the point of coherency, for memory shared with an observer
 * whose accesses bypass Tern's caches (a guest or a secondary pCPU with its MMU off). Each
 * returns after a DSB: the maintenance is complete.
 */
void dcache_clean_range(paddr_t start, paddr_t end);
void dcache_inval_range(paddr_t start, paddr_t end);
void dcache_clean_inval_range(paddr_t start, paddr_t end);
/*
 * Zero [start, end) and clean it to the point of coherency: memory handed to a guest, which may
 * read it with its caches off, must hold zeroes in memory, not only in Tern's caches. MMU on only.
 */
void dcache_zero_range(paddr_t start, paddr_t end);
/* Every instruction cache of the Inner Shareable domain, then DSB and ISB. */
void icache_inval_all(void);

#endif
