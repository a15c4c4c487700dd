/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef VIRT_VGIC_FDT_H
#define VIRT_VGIC_FDT_H

#include <tern/types.h>

/*
 * The guest DT's interrupt-controller node, as both vGIC models write it (libfdt sequential-write
 * API, each returning 0 or a libfdt error): vgic_fdt_begin_node() opens intc@8000000 with what
 * every GIC binding has (compatible, three interrupt cells, no children, interrupt-controller);
 * the model adds its reg and own properties; vgic_fdt_end_node() gives the node the phandle every
 * interrupt-parent names and closes it.
 */
int vgic_fdt_begin_node(void *fdt, const char *compatible);
/* "reg" from @n (address, size) pairs of 64-bit values, two cells each; @n at most 2. */
int vgic_fdt_reg(void *fdt, const u64 *pairs, unsigned int n);
int vgic_fdt_end_node(void *fdt);

#endif
