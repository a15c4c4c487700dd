// SPDX-License-Identifier: GPL-2.0-only
/*
 * The generic side of host interrupts (tern/irq.h): handlers per INTID and the EL2 IRQ loop,
 * over the interrupt controller's ops (tern/irqchip.h) that platform discovery chose. Every
 * interrupt is taken with EOImode 1: the priority drop comes first, deactivation is separate, so
 * that one forwarded to a guest through a hardware-linked list register is deactivated by the
 * guest itself.
 */
#include <asm/regs.h>
#include <tern/compiler.h>
#include <tern/errno.h>
#include <tern/irq.h>
#include <tern/irqchip.h>
#include <tern/percpu.h>
#include <tern/platform.h>
#include <tern/printk.h>

struct irq_desc {
	irq_handler_t fn;
	void *priv;
	/* The handler forwards it to a guest, whose deactivation reaches the hardware. */
	bool forwarded;
};

static const struct irqchip_ops *irqchip;
static struct irq_desc irq_descs[IRQ_NR_INTIDS];

int irqchip_init(const struct platform_irqchip *ic)
{
	int rc;

	if (!ic->drv)
		return -TERN_ENODEV;
	irqchip = ic->drv->ops;
	rc = irqchip->init(ic);
	if (rc)
		irqchip = NULL;
	return rc;
}

int irqchip_cpu_init(void)
{
	return irqchip ? irqchip->cpu_init() : -TERN_ENODEV;
}

static unsigned int irq_limit(void)
{
	return MIN(irqchip->nr_intids(), (unsigned int)IRQ_NR_INTIDS);
}

void irq_enable(unsigned int intid)
{
	irqchip->enable(intid);
}

void irq_disable(unsigned int intid)
{
	irqchip->disable(intid);
}

int irq_request(unsigned int intid, irq_handler_t fn, void *priv)
{
	if (!irqchip || intid >= irq_limit() || !fn)
		return -TERN_EINVAL;
	irq_descs[intid].priv = priv;
	WRITE_ONCE(irq_descs[intid].fn, fn);
	irq_enable(intid);
	return 0;
}

int irq_request_forwarded(unsigned int intid, irq_handler_t fn, void *priv)
{
	if (!irqchip || intid >= irq_limit() || !fn)
		return -TERN_EINVAL;
	irq_descs[intid].forwarded = true;
	return irq_request(intid, fn, priv);
}

void irq_deactivate(unsigned int intid)
{
	irqchip->deactivate(intid);
}

bool irq_get_active(unsigned int intid)
{
	return irqchip->get_active(intid);
}

void irq_set_active(unsigned int intid, bool active)
{
	irqchip->set_active(intid, active);
}

void irq_send_sgi(unsigned int sgi, u64 mpidr)
{
	irqchip->send_sgi(sgi, mpidr);
}

void irq_hand_over(unsigned int intid)
{
	this_pcpu()->irq_acked = intid + 1;
}

void el2_irq(struct cpu_regs *regs)
{
	struct pcpu *p = this_pcpu();

	for (;;) {
		u32 intid = p->irq_acked ? p->irq_acked - 1 : irqchip->ack();
		irq_handler_t fn;

		p->irq_acked = 0;

		if (intid >= IRQ_NR_INTIDS)
			break;
		fn = READ_ONCE(irq_descs[intid].fn);
		if (fn)
			fn(intid, irq_descs[intid].priv);
		else
			pr_warn("irq: unexpected interrupt %u on pCPU %u, disabled\n", intid,
				this_cpu_id());
		if (!fn)
			irq_disable(intid);
		irqchip->eoi(intid);
		if (!irq_descs[intid].forwarded)
			irqchip->deactivate(intid);
	}
	(void)regs;
}
