/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef DRIVERS_GICV3_H
#define DRIVERS_GICV3_H

#include <tern/irqchip.h>

/*
 * The host GICv3 (drivers/gicv3.c, drivers/gicv3_fdt.c). Its platform_irqchip regions: [0] the
 * distributor, [1..] the redistributor regions.
 */
#define GICV3_MAX_REDIST_REGIONS 8

extern const struct irqchip_ops gicv3_ops;

#endif
