/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef DRIVERS_GIC_FDT_H
#define DRIVERS_GIC_FDT_H

#include <tern/platform.h>

/**
 * The maintenance interrupt of a GIC node (its first "interrupts" entry), which must be a PPI:
 * into @ic->maint_intid, or a negative TERN_E* after saying what is wrong.
 */
int gic_fdt_maint_intid(const void *fdt, int node, struct platform_irqchip *ic);

#endif
