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
#include <virt/vgic_core.h>
#include <virt/vgic_hw.h>

#define ICH_LR_PINTID_MASK 0x1FFFUL
#define ICC_IAR_INTID_MASK 0xFFFFFFUL

u64 vgic_v3_irq_fast(struct vcpu_gpregs *regs);

u64 vgic_v3_irq_fast(struct vcpu_gpregs *regs)
{
	struct vcpu *vcpu = container_of(regs, struct vcpu, arch.regs);
	u64 lr;
	u32 intid;

	if (!vcpu->vgic)
		return GUEST_EXIT_IRQ;
	lr = READ_ONCE(vcpu->vgic->fast_lr_val);
	/* Output held back goes out at each interrupt exit (exit_irq): the full path. */
	if (!lr || READ_ONCE(vcpu->vm->output_held))
		return GUEST_EXIT_IRQ;
	intid = (u32)(read_sysreg(ICC_IAR1_EL1) & ICC_IAR_INTID_MASK);
	if (intid != ((lr >> ICH_LR_PINTID_SHIFT) & ICH_LR_PINTID_MASK) ||
	    !vgic_ppi_fast_inject(vcpu, lr)) {
		irq_hand_over(intid);
		return GUEST_EXIT_IRQ;
	}
	write_sysreg(intid, ICC_EOIR1_EL1);
	vcpu->exits++;
	vcpu->exit_count[EXIT_IRQ]++;
	return GUEST_EXIT_RESUME;
}
