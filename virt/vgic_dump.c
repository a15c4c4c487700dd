// SPDX-License-Identifier: GPL-2.0-only
/* The vGIC part of the vCPU state dump (Ctrl-] d on the console). */
#include <tern/printk.h>
#include <tern/vcpu.h>
#include <tern/vm.h>
#include <virt/vgic.h>
#include <virt/vgic_core.h>

void vgic_dump(struct vcpu *vcpu)
{
	struct vgic_cpu *c = vcpu->vgic;

	if (!c)
		return;
	for (struct vgic_irq *irq = c->ap_list; irq; irq = irq->ap_next)
		pr_info(
		    "dump:   intid %u prio 0x%x en %d latch %d level %d active %d edge %d hw %d "
		    "in_lr %d\n",
		    irq->intid, irq->priority, irq->enabled, irq->pending_latch, irq->line_level,
		    irq->active, irq->edge, irq->hw, irq->in_lr);
	pr_info("dump:   used_lrs %u hw_lrs %u hcr 0x%llx vmcr 0x%llx ctlr 0x%x\n", c->used_lrs,
		c->hw_lrs, (unsigned long long)c->hcr, (unsigned long long)c->vmcr,
		vcpu->vm->vgic->ctlr);
}
