// SPDX-License-Identifier: GPL-2.0-only
/*
 * The IRQ exit vector's fast path on a GICv3 host (guest_entry.S calls it with only what C may
 * clobber saved, as vcpu_exit_fast() for synchronous exits): a physical interrupt while a vCPU
 * ran that is its armed hardware-linked PPI (the virtual timer; virt/vgic.c, "fast path") is
 * acknowledged, its list register written into a free one, its priority dropped (EOImode 1, as
 * el2_irq() does for a forwarded interrupt: the guest's deactivation of the linked virtual
 * interrupt deactivates it), and the guest entered again, without the run loop. Anything else
 * takes the full exit; an interrupt acknowledged here that is not that PPI is handed to
 * el2_irq(). Nothing the scheduler checks before an entry can have changed: a request from
 * another pCPU comes with an SGI, still pending, that brings the guest out again at once. Output
 * a device holds back (vm->output_held) takes the full exit, which pushes it out.
 */
#include <asm/guest.h>
#include <asm/sysreg.h>
#include <tern/compiler.h>
#include <tern/irq.h>
#include <tern/vcpu.h>
#include <tern/vm.h>
#include <virt/vgic.h>
#include <virt/vgic_core.h>
#include <virt/vgic_hw.h>
#include "vgic_v3_lr.h"

#define ICH_LR_PINTID_MASK 0x1FFFUL
#define ICC_IAR_INTID_MASK 0xFFFFFFUL
#define ICH_LR_STATE	   (ICH_LR_PENDING | ICH_LR_ACTIVE)

u64 vgic_v3_irq_fast(struct vcpu_gpregs *regs);

static inline u64 vgic_v3_fast_read_lr(unsigned int n)
{
	switch (n) {
		LR_LIST(LR_CASE_READ)
	default:
		return ICH_LR_STATE; /* not a list register: never free */
	}
}

static inline void vgic_v3_fast_write_lr(unsigned int n, u64 val)
{
	switch (n) {
		LR_LIST(LR_CASE_WRITE)
	default:
		break;
	}
}

static u64 vgic_v3_irq_hand_over(u32 intid)
{
	irq_hand_over(intid);
	return GUEST_EXIT_IRQ;
}

static void vgic_v3_irq_done(struct vcpu *vcpu, u32 intid)
{
	write_sysreg(intid, ICC_EOIR1_EL1);
	vcpu->exits++;
	vcpu->exit_count[EXIT_IRQ]++;
}

/* No list register of the fast path's yet: vgic_ppi_fast_inject() finds one and claims them. */
static __noinline u64 vgic_v3_irq_first(struct vcpu *vcpu, u64 lr, u32 intid)
{
	if (!vgic_ppi_fast_inject(vcpu, lr))
		return vgic_v3_irq_hand_over(intid);
	vgic_v3_irq_done(vcpu, intid);
	return GUEST_EXIT_RESUME;
}

/*
 * The common case is a leaf (the rest tail-calls): the list register of the last injection
 * (no exit since) reused, the guest having taken and ended that one.
 */
u64 vgic_v3_irq_fast(struct vcpu_gpregs *regs)
{
	struct vcpu *vcpu = container_of(regs, struct vcpu, arch.regs);
	struct vgic_cpu *c = vcpu->vgic;
	unsigned int n;
	u64 lr;
	u32 intid;

	if (!c)
		return GUEST_EXIT_IRQ;
	lr = READ_ONCE(c->fast_lr_val);
	/* Output held back goes out at each interrupt exit (exit_irq): the full path. */
	if (!lr || READ_ONCE(vcpu->vm->output_held))
		return GUEST_EXIT_IRQ;
	intid = (u32)(read_sysreg(ICC_IAR1_EL1) & ICC_IAR_INTID_MASK);
	if (unlikely(intid != ((lr >> ICH_LR_PINTID_SHIFT) & ICH_LR_PINTID_MASK)))
		return vgic_v3_irq_hand_over(intid);
	if (!c->fast_lrs)
		return vgic_v3_irq_first(vcpu, lr, intid);
	/* The physical PPI fired again, so the guest deactivated that one. */
	n = (unsigned int)__builtin_ctz(c->fast_lrs);
	if (unlikely(vgic_v3_fast_read_lr(n) & ICH_LR_STATE))
		return vgic_v3_irq_hand_over(intid);
	vcpu->irqs_taken++;
	vgic_v3_fast_write_lr(n, lr);
	vgic_v3_irq_done(vcpu, intid);
	return GUEST_EXIT_RESUME;
}

/*
 * The self-SGI fast path (virt/vgic.c, vgic_fast_arm_sgis()), after vgic_sgi_fast() found the
 * write names the vCPU alone: a leaf. Only the vCPU's own pCPU runs it, in the vCPU's exit
 * path: fast_lrs, hw_lrs and hcr are its own; the armed flag may be cleared by another pCPU at
 * any time, which orders that change after this injection.
 */
bool vgic_v3_sgi_fast(struct vcpu *vcpu, u64 val)
{
	struct vgic_cpu *c = vcpu->vgic;
	unsigned int intid = ICC_SGI1R_INTID(val), n;
	const struct vgic_irq *irq = &c->priv[intid];
	u32 busy;

	if (!READ_ONCE(irq->fast_armed))
		return false;
	/* The vGIC's list registers are 0 .. hw_lrs - 1, the fast paths' those in fast_lrs. */
	busy = c->fast_lrs | ((1U << c->hw_lrs) - 1);
	n = (unsigned int)__builtin_ctz(~busy);
	if (n >= vgic_nr_lrs || c->hcr != ICH_HCR_EN || !vgic_fast_lrs_claim(vcpu))
		return false;
	c->fast_lrs |= (u16)(1U << n);
	vgic_v3_fast_write_lr(n, intid | (u64)irq->fast_prio << ICH_LR_PRIO_SHIFT | ICH_LR_GROUP1 |
				     ICH_LR_PENDING);
	/*
	 * The next exit takes it over before anything else (vgic_sync, on the exit path). Set
	 * already (an earlier fast injection, no entry since): only this exit path clears it.
	 */
	if (!(READ_ONCE(vcpu->entry_work) & VCPU_WORK_LOCAL))
		vcpu_work_set(vcpu, VCPU_WORK_LOCAL);
	return true;
}

void vgic_v3_fast_takeover(struct vcpu *vcpu)
{
	struct vgic_cpu *c = vcpu->vgic;
	unsigned int taken = 0;

	for (u32 lrs = c->fast_lrs; lrs; lrs &= lrs - 1) {
		if (vgic_v3_fast_read_lr((unsigned int)__builtin_ctz(lrs)) & ICH_LR_STATE) {
			vgic_fast_takeover(vcpu);
			return;
		}
		taken++;
	}
	/* Taken and ended: as vgic_fast_takeover() finds them. */
	vcpu->irqs_taken += taken;
	c->fast_lrs = 0;
	if (!c->used_lrs)
		__atomic_store_n(&c->lrs_live, false, __ATOMIC_RELEASE);
}
