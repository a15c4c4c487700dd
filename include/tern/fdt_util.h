/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef TERN_FDT_UTIL_H
#define TERN_FDT_UTIL_H

#include <tern/types.h>

/* Small libfdt helpers shared by platform discovery (and later by guest DTB code). */

/** Longest node path the helpers render for log messages (longer ones are cut). */
#define FDT_UTIL_PATH_MAX 128

/** GICv3 binding interrupt specifier types (first cell). */
#define FDT_IRQ_TYPE_SPI  0
#define FDT_IRQ_TYPE_PPI  1
#define FDT_IRQ_TYPE_ESPI 2
#define FDT_IRQ_TYPE_EPPI 3

/**
 * Index @fdt's nodes (parents, phandles) in one walk, so that the helpers below find a node's
 * parent, interrupt parent and path without walking the blob from its start each time. Held until
 * fdt_util_index_drop() or the next call; the blob must not change meanwhile. False if the blob
 * cannot be indexed (too many or too deep nodes, a walk error): the helpers then ask libfdt.
 */
bool fdt_util_index(const void *fdt);
void fdt_util_index_drop(void);

/** Path of @node in @buf for messages; never fails (writes "<bad node>" on error). Returns @buf. */
const char *fdt_util_path(const void *fdt, int node, char *buf, int len);

/** True unless the node has a "status" other than "okay"/"ok". */
bool fdt_util_is_enabled(const void *fdt, int node);

/**
 * The node's "#address-cells" (2 if absent) / "#size-cells" (1 if absent); a negative TERN_E* if
 * the property is not one cell of at most 4.
 */
int fdt_util_address_cells(const void *fdt, int node);
int fdt_util_size_cells(const void *fdt, int node);

/** Value of a 1- or 2-cell big-endian number; @cells outside 1..2 gives 0. */
u64 fdt_util_read_number(const void *cells, int ncells);

/**
 * Number of (address, size) entries in the node's "reg", using the parent's #address-cells and
 * #size-cells. Negative TERN_E* when absent or malformed.
 */
int fdt_util_reg_count(const void *fdt, int node);

/**
 * Entry @index of the node's "reg" as written (in the parent bus's address space): for nodes whose
 * parent is not a bus, such as /reserved-memory children or boot modules under /chosen.
 */
int fdt_util_reg_raw(const void *fdt, int node, int index, u64 *base, u64 *size);

/**
 * Entry @index of the node's "reg", translated through the "ranges" of every ancestor bus to a
 * CPU physical address. 0 or negative TERN_E* (-TERN_ENOENT: no such entry, -TERN_EINVAL:
 * malformed or untranslatable).
 */
int fdt_util_reg(const void *fdt, int node, int index, u64 *base, u64 *size);

/**
 * Convert one GIC interrupt specifier (type, number) to an INTID: SPI n -> 32 + n, PPI n -> 16 + n,
 * extended SPI n -> 4096 + n, extended PPI n -> 1056 + n. -TERN_EINVAL if out of range.
 */
int fdt_util_irq_to_intid(u32 type, u32 num, u32 *intid);

/** Number of interrupt specifiers in the node's "interrupts" (negative TERN_E* on error). */
int fdt_util_irq_count(const void *fdt, int node);

/**
 * Specifier @index of the node's "interrupts", decoded with the interrupt parent's
 * #interrupt-cells (3 or 4, GIC binding). @flags (may be NULL) receives the trigger cell.
 */
int fdt_util_irq(const void *fdt, int node, int index, u32 *intid, u32 *flags);

#endif
