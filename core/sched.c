// SPDX-License-Identifier: GPL-2.0-only
/*
 * vCPU scheduling, first version: one FIFO run queue per pCPU; a vCPU runs until it yields
 * (WFI/WFE, PSCI calls that change state) or its time slice ends (Tern's EL2 timer, armed only
 * when another vCPU waits), then goes to the back of the queue. WFI that sleeps until an
 * interrupt is due comes with the SMP scheduler.
 */
#include <asm/guest.h>
#include <asm/processor.h>
#include <asm/sysreg.h>
#include <drivers/arch_timer.h>
#include <tern/percpu.h>
#include <tern/printk.h>
#include <tern/sched.h>
#include <tern/vcpu.h>
#include <tern/vm.h>

void sched_wake(struct vcpu *vcpu)
{
	struct pcpu *p = pcpu_get(vcpu->pcpu);

	spin_lock(&p->rq_lock);
	if (!vcpu->queued) {
		vcpu->queued = true;
		vcpu->rq_next = NULL;
		if (p->rq_tail)
			p->rq_tail->rq_next = vcpu;
		else
			p->rq_head = vcpu;
		p->rq_tail = vcpu;
	}
	spin_unlock(&p->rq_lock);
	/* Woken from a vCPU running on this pCPU (e.g. PSCI CPU_ON): give it a turn soon. */
	if (p == this_pcpu() && p->current_vcpu)
		arch_timer_slice_arm(CONFIG_SCHED_SLICE_MS * 1000UL);
}

static struct vcpu *sched_dequeue(struct pcpu *p)
{
	struct vcpu *v;

	spin_lock(&p->rq_lock);
	v = p->rq_head;
	if (v) {
		p->rq_head = v->rq_next;
		if (!p->rq_head)
			p->rq_tail = NULL;
		v->queued = false;
	}
	spin_unlock(&p->rq_lock);
	return v;
}

/* A vCPU is run only while its VM runs and PSCI has it on (or coming on). */
static bool sched_runnable(const struct vcpu *v)
{
	return v->vm->state == VM_RUNNING && v->state != VCPU_STOPPED && v->power != VCPU_POWER_OFF;
}

static void sched_run_vcpu(struct pcpu *p, struct vcpu *v)
{
	if (v->power == VCPU_POWER_ON_PENDING) {
		vcpu_arch_reset(v, v->boot_entry, v->boot_x0);
		v->power = VCPU_POWER_ON;
	}
	v->state = VCPU_RUNNING;
	vcpu_arch_load(v);
	p->need_resched = false;
	if (READ_ONCE(p->rq_head))
		arch_timer_slice_arm(CONFIG_SCHED_SLICE_MS * 1000UL);
	while (vcpu_arch_run_once(v) == VCPU_RUN_CONTINUE && v->state == VCPU_RUNNING &&
	       !READ_ONCE(v->vm->reset_pending) && !p->need_resched)
		;
	arch_timer_slice_cancel();
	vcpu_arch_put(v);
	if (v->state == VCPU_RUNNING)
		v->state = VCPU_READY;
}

void sched_run(void)
{
	struct pcpu *p = this_pcpu();
	struct vcpu *v;

	if (arch_timer_slice_init_cpu())
		pr_warn("sched: no time-slice interrupt: vCPUs only switch when they yield\n");
	while ((v = sched_dequeue(p))) {
		if (!sched_runnable(v))
			continue;
		sched_run_vcpu(p, v);
		if (READ_ONCE(v->vm->reset_pending)) {
			vm_do_reset(v->vm);
			continue;
		}
		if (sched_runnable(v))
			sched_wake(v);
	}
}
