/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef ASM_VGIC_HW_H
#define ASM_VGIC_HW_H

#include <tern/types.h>

struct vgic_cpu;

/* ICH_LR<n>_EL2 fields */
#define ICH_LR_VINTID_MASK  0xFFFFFFFFUL
#define ICH_LR_PINTID_SHIFT 32
#define ICH_LR_EOI	    (1UL << 41)
#define ICH_LR_PRIO_SHIFT   48
#define ICH_LR_GROUP1	    (1UL << 60)
#define ICH_LR_HW	    (1UL << 61)
#define ICH_LR_STATE_SHIFT  62
#define ICH_LR_PENDING	    (1UL << 62)
#define ICH_LR_ACTIVE	    (1UL << 63)

/* ICH_HCR_EL2 */
#define ICH_HCR_EN  (1UL << 0)
#define ICH_HCR_UIE (1UL << 1)
/* Traps of the guest's ICC_* accesses to EL2: common, Group 0 and Group 1 registers */
#define ICH_HCR_TC    (1UL << 10)
#define ICH_HCR_TALL0 (1UL << 11)
#define ICH_HCR_TALL1 (1UL << 12)

/* The hardware virtual CPU interface (GICv3 ICH_* registers) of the calling pCPU. */
void vgic_hw_init(void);
unsigned int vgic_hw_nr_lrs(void);
u64 vgic_hw_read_lr(unsigned int n);
void vgic_hw_write_lr(unsigned int n, u64 val);
void vgic_hw_write_hcr(u64 val);
/* VMCR and the active-priority registers, switched with the vCPU. */
void vgic_hw_save(struct vgic_cpu *c);
void vgic_hw_restore(const struct vgic_cpu *c);

#endif
