// SPDX-License-Identifier: GPL-2.0-only
/*
 * Guest timers. The EL1 virtual timer runs in the hardware and its interrupt is forwarded
 * through a hardware-linked list register; the EL1 physical timer traps and is emulated here.
 * Both are level-sensitive: a line the guest lowers (disable, IMASK, CVAL moved ahead) before
 * taking the interrupt withdraws it, as on hardware. Every compare value is guest-controlled:
 * the arithmetic lives in vtimer_calc.h, which never wraps into a near deadline.
 */
#include <asm/sysreg.h>
#include <asm/sysreg_emul.h>
#include <asm/vtimer.h>
#include <asm/vtimer_calc.h>
#include <tern/irq.h>
#include <tern/percpu.h>
#include <tern/sched.h>
#include <tern/vcpu.h>
#include <tern/vm.h>
#include <virt/vgic.h>
#include <virt/vgic_core.h>

static unsigned int vtimer_host_virt_intid;

static u64 vtimer_now(void)
{
	isb();
	return read_sysreg(cntpct_el0);
}

/*
 * The host's virtual-timer PPI fired while a vCPU ran: it is that vCPU's timer. Tern only drops
 * the priority; the guest's deactivation of the linked virtual interrupt deactivates it, so it
 * cannot fire again before the guest has handled it (no spurious injection). It has the vGIC's
 * fast path (vgic_inject_ppi_fast): most of the time the exit vector takes it and never gets
 * here (virt/vgic_v3_fast.c).
 */
static void vtimer_irq(unsigned int intid, void *priv)
{
	struct vcpu *v = this_pcpu()->current_vcpu;

	(void)priv;
	if (v && v->vgic) {
		v->vgic->vtimer_hw_maybe = true;
		vgic_inject_ppi_fast(v, VTIMER_GUEST_VIRT_INTID, intid);
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
	if (vcpu->vgic && vcpu->vgic->vtimer_hw_active) {
		vcpu->vgic->vtimer_hw_maybe = true;
		irq_set_active(vtimer_host_virt_intid, true);
	}
}

void vtimer_put(struct vcpu *vcpu)
{
	struct vgic_cpu *c = vcpu->vgic;

	/*
	 * The physical active state belongs to this vCPU's linked interrupt: keep it with it. Not
	 * acknowledged since the load (vtimer_hw_maybe, fast_lrs), and not active then, it is not
	 * active now: nothing to read (a read goes through the redistributor).
	 */
	if (!c || !(c->vtimer_hw_maybe || c->fast_lrs)) {
		if (c)
			c->vtimer_hw_active = false;
		return;
	}
	c->vtimer_hw_active = irq_get_active(vtimer_host_virt_intid);
	c->vtimer_hw_maybe = c->vtimer_hw_active;
	if (c->vtimer_hw_active)
		irq_set_active(vtimer_host_virt_intid, false);
}

/*
 * After every exit of the loaded vCPU: a virtual-timer interrupt the hardware raised but the
 * guest has not taken yet is withdrawn when the guest has lowered the line since (disabled or
 * masked the timer, or moved CVAL ahead). The host PPI stays active while its virtual twin is
 * pending (Tern only dropped its priority), so it is deactivated here, or it could never fire
 * again. A pend the guest made itself (GICR_ISPENDR0) leaves the host PPI inactive: kept.
 * Between two exits a list register already holding the interrupt cannot be recalled.
 */
void vtimer_sync_line(struct vcpu *vcpu)
{
	u64 ctl;

	ctl = read_sysreg(cntv_ctl_el0);
	isb();
	if (vtimer_line(ctl, read_sysreg(cntv_cval_el0), read_sysreg(cntvct_el0)))
		return;
	if (irq_get_active(vtimer_host_virt_intid) &&
	    vgic_ppi_hw_withdraw(vcpu, VTIMER_GUEST_VIRT_INTID))
		irq_set_active(vtimer_host_virt_intid, false);
}

void vtimer_snapshot(struct vcpu *vcpu)
{
	vcpu->arch.sys.cntv_ctl_el0 = read_sysreg(cntv_ctl_el0);
	vcpu->arch.sys.cntv_cval_el0 = read_sysreg(cntv_cval_el0);
}

bool vtimer_hw_will_wake(const struct vcpu *vcpu)
{
	return vtimer_armed(vcpu->arch.sys.cntv_ctl_el0) && !irq_get_active(vtimer_host_virt_intid);
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

	if (vtimer_armed(a->sys.cntv_ctl_el0))
		d = vtimer_virt_to_phys(a->sys.cntv_cval_el0, vcpu->vm->cntvoff);
	if (vtimer_armed(a->cntp_ctl) && a->cntp_cval < d)
		d = a->cntp_cval;
	return d;
}

void vtimer_ptimer_line(struct vcpu *vcpu)
{
	struct vcpu_arch *a = &vcpu->arch;
	bool level;

	level = vtimer_line(a->cntp_ctl, a->cntp_cval, vtimer_now());

	if (level != a->cntp_level) {
		a->cntp_level = level;
		vgic_inject_ppi(vcpu, VTIMER_GUEST_PHYS_INTID, level, false, 0);
	}
}

/*
 * After a write of CNTP_CTL/CVAL/TVAL: the line follows the new state (a change of it sets the
 * vGIC's entry work), and the EL2 timer moves earlier if it would fire after the new deadline:
 * it raises the line then (sched_timer_event()), not a look before every entry.
 */
static struct sysreg_ret vtimer_ptimer_written(struct vcpu *vcpu)
{
	vtimer_ptimer_update(vcpu);
	sched_timer_earlier(vtimer_ptimer_deadline(vcpu));
	return SYSREG_RET(SYSREG_DONE, 0);
}

/* The trapped physical timer's registers, one handler per table row (sysreg_emul.c). */
SYSREG_HANDLER(vtimer_ptimer_ctl)
{
	struct vcpu_arch *a = &vcpu->arch;
	u64 ctl = a->cntp_ctl;

	(void)row;
	if (sysreg_read(esr)) {
		/* ISTATUS reads 0 while disabled, as QEMU's timers do. */
		if ((ctl & CNT_CTL_ENABLE) && vtimer_condition(a->cntp_cval, vtimer_now()))
			ctl |= CNT_CTL_ISTATUS;
		return SYSREG_RET(SYSREG_DONE, ctl);
	}
	a->cntp_ctl = val & (CNT_CTL_ENABLE | CNT_CTL_IMASK);
	return vtimer_ptimer_written(vcpu);
}

SYSREG_HANDLER(vtimer_ptimer_cval)
{
	(void)row;
	if (sysreg_read(esr))
		return SYSREG_RET(SYSREG_DONE, vcpu->arch.cntp_cval);
	vcpu->arch.cntp_cval = val;
	return vtimer_ptimer_written(vcpu);
}

SYSREG_HANDLER(vtimer_ptimer_tval)
{
	u64 now = vtimer_now();

	(void)row;
	if (sysreg_read(esr))
		return SYSREG_RET(SYSREG_DONE, vtimer_cval_to_tval(vcpu->arch.cntp_cval, now));
	vcpu->arch.cntp_cval = vtimer_tval_to_cval(now, val);
	return vtimer_ptimer_written(vcpu);
}
