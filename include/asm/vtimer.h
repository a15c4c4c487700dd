/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef ASM_VTIMER_H
#define ASM_VTIMER_H

#include <asm/sysreg_emul.h>
#include <asm/vtimer_calc.h>
#include <tern/platform.h>
#include <tern/types.h>
#include <tern/vcpu.h>
#include <virt/vgic_core.h>

struct vcpu;

#define VTIMER_GUEST_VIRT_INTID 27
#define VTIMER_GUEST_PHYS_INTID 30

/*
 * Guest timers. The EL1 virtual timer belongs to the guest: its interrupt is forwarded through
 * a hardware-linked list register. The EL1 physical timer traps and is emulated per vCPU.
 */
int vtimer_init_cpu(const struct platform_timer *t);
void vtimer_load(struct vcpu *vcpu);
void vtimer_put(struct vcpu *vcpu);
/*
 * After each exit: withdraw a virtual-timer interrupt whose line the guest lowered. The guest
 * lowers it without trapping (CNTV_CTL/CVAL are its own), so any exit may find it low; only
 * while such an interrupt is pending and not yet taken is there anything to look at (inline:
 * every exit asks).
 */
void vtimer_sync_line(struct vcpu *vcpu);
static inline void vtimer_sync(struct vcpu *vcpu)
{
	if (vgic_ppi_hw_pending(vcpu, VTIMER_GUEST_VIRT_INTID))
		vtimer_sync_line(vcpu);
}
/* Physical-counter time at which one of the vCPU's timers fires, or VTIMER_NO_DEADLINE. */
u64 vtimer_deadline(const struct vcpu *vcpu);
/*
 * The loaded vCPU's virtual timer registers as the hardware has them, into its saved state, so
 * that vtimer_deadline() holds for a vCPU that sleeps still loaded (the scheduler's lazy put).
 */
void vtimer_snapshot(struct vcpu *vcpu);
/*
 * The loaded vCPU's virtual timer is armed (enabled, unmasked) and its host PPI is not active:
 * once due, the hardware raises the interrupt that wakes the vCPU asleep still loaded. Call
 * after vtimer_snapshot().
 */
bool vtimer_hw_will_wake(const struct vcpu *vcpu);
/* The emulated physical timer's deadline alone (the virtual one fires by itself while loaded). */
u64 vtimer_ptimer_deadline(const struct vcpu *vcpu);
/*
 * Raise or lower the emulated physical timer's line as the counter says (inline: called before
 * every entry, and most guests never touch that timer).
 */
void vtimer_ptimer_line(struct vcpu *vcpu);
static inline void vtimer_ptimer_update(struct vcpu *vcpu)
{
	if (vcpu->arch.cntp_ctl || vcpu->arch.cntp_level)
		vtimer_ptimer_line(vcpu);
}
/* Trapped CNTP_CTL/CVAL/TVAL_EL0 accesses (sysreg_emul.c's rows). */
SYSREG_HANDLER(vtimer_ptimer_ctl);
SYSREG_HANDLER(vtimer_ptimer_cval);
SYSREG_HANDLER(vtimer_ptimer_tval);

#endif
