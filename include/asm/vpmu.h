/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef ASM_VPMU_H
#define ASM_VPMU_H

/* A PMUv3 per vCPU (arch/arm64/vpmu.c): the hardware's counters, switched with the vCPU. */
#include <asm/sysreg_emul.h>
#include <tern/types.h>
#include <tern/vcpu.h>

struct vcpu;

/* The guest's PMU overflow interrupt: PPI 7, as on QEMU virt. */
#define VPMU_GUEST_INTID 23

/* Once, on the boot pCPU: whether the CPU has a PMUv3 and how many counters. */
void vpmu_init(void);
/* Each pCPU: forward the host's PMU interrupt (@host_intid, 0 if the DT names none). */
int vpmu_init_cpu(u32 host_intid);
/* Guests get a PMU (the CPU has PMUv3p1 or later). */
bool vpmu_available(void);
/* Its overflow interrupt reaches guests (the host DT names the PMU's PPI). */
bool vpmu_has_irq(void);
/* MDCR_EL2 PMU bits of a vCPU that has not used the PMU yet. */
u64 vpmu_mdcr(void);
void vpmu_reset(struct vcpu *vcpu);
void vpmu_load(struct vcpu *vcpu);
void vpmu_put(struct vcpu *vcpu);
/* A trapped PMU access: the vCPU's first, which gives it the PMU (retry), else UNDEFINED. */
enum sysreg_result vpmu_first_access(struct vcpu *vcpu);
/*
 * After each exit: withdraw an overflow interrupt whose line went low before it was taken (only
 * a vCPU that uses the PMU can have one; inline: every exit asks).
 */
void vpmu_sync_line(struct vcpu *vcpu);
static inline void vpmu_sync(struct vcpu *vcpu)
{
	if (vcpu->arch.pmu.used)
		vpmu_sync_line(vcpu);
}

#endif
