// SPDX-License-Identifier: GPL-2.0-only
#include <asm/sysreg.h>
#include <asm/sysreg_emul.h>
#include <asm/vtimer.h>
#include <tern/irq.h>
#include <tern/percpu.h>
#include <tern/sched.h>
#include <tern/vcpu.h>
#include <tern/vm.h>
#include <virt/vgic.h>
#include <virt/vgic_core.h>

#define CNT_CTL_ENABLE	(1UL << 0)
#define CNT_CTL_IMASK	(1UL << 1)
#define CNT_CTL_ISTATUS (1UL << 2)

#define SYS_CNTP_TVAL_EL0 SYS_REG(3, 3, 14, 2, 0)
#define SYS_CNTP_CTL_EL0  SYS_REG(3, 3, 14, 2, 1)
#define SYS_CNTP_CVAL_EL0 SYS_REG(3, 3, 14, 2, 2)

static unsigned int vtimer_host_virt_intid;

static u64 vtimer_now(void)
{
	isb();
	return read_sysreg(cntpct_el0);
}

/*
 * The host's virtual-timer PPI fired while a vCPU ran: it is that vCPU's timer. Tern only drops
 * the priority; the guest's deactivation of the linked virtual interrupt deactivates it, so it
 * cannot fire again before the guest has handled it (no spurious injection).
 */
static void vtimer_irq(unsigned int intid, void *priv)
{
	struct vcpu *v = this_pcpu()->current_vcpu;

	(void)priv;
	if (v && v->vgic) {
		vgic_inject_ppi(v, VTIMER_GUEST_VIRT_INTID, true, true, intid);
		return;
	}
	/* No vCPU to own it (its timer was left running without a vGIC): silence it. */
	write_sysreg(read_sysreg(cntv_ctl_el0) | CNT_CTL_IMASK, cntv_ctl_el0);
	irq_deactivate(intid);
}

int vtimer_init_cpu(const struct platform_timer *t)
{
	vtimer_host_virt_intid = t->virt_intid;
	return irq_request_forwarded(t->virt_intid, vtimer_irq, NULL);
}

void vtimer_load(struct vcpu *vcpu)
{
	write_sysreg(vcpu->vm->cntvoff, cntvoff_el2);
	if (vcpu->vgic && vcpu->vgic->vtimer_hw_active)
		irq_set_active(vtimer_host_virt_intid, true);
}

void vtimer_put(struct vcpu *vcpu)
{
	/* The physical active state belongs to this vCPU's linked interrupt: keep it with it. */
	if (vcpu->vgic) {
		vcpu->vgic->vtimer_hw_active = irq_get_active(vtimer_host_virt_intid);
		if (vcpu->vgic->vtimer_hw_active)
			irq_set_active(vtimer_host_virt_intid, false);
	}
}

static bool vtimer_armed(u64 ctl)
{
	return (ctl & (CNT_CTL_ENABLE | CNT_CTL_IMASK)) == CNT_CTL_ENABLE;
}

u64 vtimer_ptimer_deadline(const struct vcpu *vcpu)
{
	/* Once its line is up nothing is due until the guest reprograms or masks it. */
	if (vcpu->arch.cntp_level || !vtimer_armed(vcpu->arch.cntp_ctl))
		return VTIMER_NO_DEADLINE;
	return vcpu->arch.cntp_cval;
}

u64 vtimer_deadline(const struct vcpu *vcpu)
{
	const struct vcpu_arch *a = &vcpu->arch;
	u64 d = VTIMER_NO_DEADLINE;

	if (vtimer_armed(a->sys.cntv_ctl))
		d = a->sys.cntv_cval + vcpu->vm->cntvoff;
	if (vtimer_armed(a->cntp_ctl) && a->cntp_cval < d)
		d = a->cntp_cval;
	return d;
}

void vtimer_ptimer_update(struct vcpu *vcpu)
{
	struct vcpu_arch *a = &vcpu->arch;
	bool level;

	/* Called on every entry: most guests never touch the emulated physical timer. */
	if (!a->cntp_ctl && !a->cntp_level)
		return;
	level = vtimer_armed(a->cntp_ctl) && vtimer_now() >= a->cntp_cval;

	if (level != a->cntp_level) {
		a->cntp_level = level;
		vgic_inject_ppi(vcpu, VTIMER_GUEST_PHYS_INTID, level, false, 0);
	}
}

bool vtimer_ptimer_access(struct vcpu *vcpu, u32 key, bool read, u64 *val)
{
	struct vcpu_arch *a = &vcpu->arch;
	u64 now = vtimer_now();

	switch (key) {
	case SYS_CNTP_CTL_EL0:
		if (read)
			*val = a->cntp_ctl | (now >= a->cntp_cval ? CNT_CTL_ISTATUS : 0);
		else
			a->cntp_ctl = *val & (CNT_CTL_ENABLE | CNT_CTL_IMASK);
		break;
	case SYS_CNTP_CVAL_EL0:
		if (read)
			*val = a->cntp_cval;
		else
			a->cntp_cval = *val;
		break;
	case SYS_CNTP_TVAL_EL0:
		/* TimerValue is a signed 32-bit view of CVAL - counter. */
		if (read)
			*val = (u64)(s64)(s32)(u32)(a->cntp_cval - now);
		else
			a->cntp_cval = now + (u64)(s64)(s32)(u32)*val;
		break;
	default:
		return false;
	}
	if (!read) {
		vtimer_ptimer_update(vcpu);
		sched_timer_update();
	}
	return true;
}
