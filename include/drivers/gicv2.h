/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef DRIVERS_GICV2_H
#define DRIVERS_GICV2_H

#include <tern/irqchip.h>

/*
 * The host GICv2 with the virtualization extensions (GIC-400; drivers/gicv2.c,
 * drivers/gicv2_fdt.c). Its platform_irqchip regions, in the binding's order:
 */
#define GICV2_REG_DIST 0 /* GICD */
#define GICV2_REG_CPU  1 /* GICC: 8 KiB (GICC_DIR in the second page) */
#define GICV2_REG_HYP  2 /* GICH: the calling CPU's virtual interface control */
#define GICV2_REG_VCPU 3 /* GICV: the virtual CPU interface a guest gets as its GICC */
#define GICV2_NR_REGS  4

/* A CPU-interface frame (GICC, GICV) is two 4 KiB pages. */
#define GICV2_CPU_FRAME_SIZE 0x2000UL

/*
 * Base of the 8 KiB frame in a CPU-interface region (GICC or GICV) of @size bytes at @base. A
 * GIC-400 whose 4 KiB pages are each repeated over 64 KiB (a 128 KiB region in the DT, as on the
 * ZynqMP) has its second page 64 KiB up: the frame then starts 60 KiB in, where the last copy of
 * the first page sits just below the second one (Linux does the same, gic_check_eoimode()).
 * The region must be mapped (it reads the IIDR of both candidate pages).
 */
paddr_t gicv2_cpu_frame(paddr_t base, u64 size);

extern const struct irqchip_ops gicv2_ops;

#endif
