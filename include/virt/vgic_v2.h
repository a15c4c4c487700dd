/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef VIRT_VGIC_V2_H
#define VIRT_VGIC_V2_H

#include <tern/types.h>
#include <virt/vgic_mmio.h>

struct vm;
struct vgic_reg;
struct mmio_ops;
struct platform;

/*
 * The virtual GICv2 (Arm IHI 0048B) for guests on a GICv2 host: the distributor emulated
 * (virt/vgic_v2_dist.c), the CPU interface the host's GICV frame mapped at GUEST_GICC_BASE
 * (virt/vgic_v2.c), list registers through GICH (virt/vgic_hw_v2.c).
 */

/* GICD_CTLR: EnableGrp0 [0], EnableGrp1 [1] (no Security Extensions). */
#define VGIC_V2_CTLR_WRITABLE	 0x3U
#define VGIC_V2_TYPER_CPUS_SHIFT 5
/* GICD_SGIR: TargetListFilter [25:24], CPUTargetList [23:16], SGIINTID [3:0]. */
#define VGIC_V2_SGIR_FILTER_SHIFT 24
#define VGIC_V2_SGIR_LIST_SHIFT	  16
#define VGIC_V2_SGIR_INTID	  0xFU
#define VGIC_V2_SGIR_LIST	  0
#define VGIC_V2_SGIR_OTHERS	  1
#define VGIC_V2_SGIR_SELF	  2
/* ICPIDR2: ArchRev 2, JEDEC, Arm's JEP106 DES_1. */
#define VGIC_V2_PIDR2 0x2B
/* The identification block ends the distributor's 4 KiB frame: ICPIDR4 at 0xFD0. */
#define VGIC_V2_DIST_FRAME 0x1000
#define GICD_V2_PIDR4	   (VGIC_V2_DIST_FRAME - VGIC_IDREGS_LEN)
#define GICD_V2_PIDR2	   (GICD_V2_PIDR4 + VGIC_IDREG_PIDR2)
/* The guest's GICC: 8 KiB (GICC_DIR in the second page). */
#define VGIC_V2_CPU_SIZE 0x2000UL

/* The distributor's register table (vgic_mmio_regs_init() before use) and MMIO ops (priv: VM). */
extern struct vgic_regs vgic_v2_dist_table;
extern const struct mmio_ops vgic_v2_dist_ops;

/* The GICv2 model of the vGIC core (virt/vgic.h): routing, reset, SGIs per sender. */
extern const struct vgic_model vgic_v2_model;

/* The distributor and every vCPU's banked interrupts to their reset state. */
void vgic_v2_dist_reset(struct vm *vm);

/*
 * The VM's vGICv2: distributor state, per-vCPU state, the distributor region and the host's GICV
 * frame (from @p's interrupt controller) mapped at GUEST_GICC_BASE; all or nothing.
 */
int vgic_v2_create(struct vm *vm, const struct platform *p);
void vgic_v2_destroy(struct vm *vm);

#endif
