// SPDX-License-Identifier: GPL-2.0-only
/*
 * vCPU scheduling: one FIFO run queue per pCPU. A vCPU runs until it yields (WFE, a PSCI call
 * that changes state), its time slice ends (Tern's EL2 timer, armed only while another vCPU
 * waits), or it executes WFI with nothing pending, when it sleeps until an interrupt is
 * injected into it or one of its timers is due. A pCPU with nothing to run waits in WFI
 * itself, with its EL2 timer set for the earliest timer of the vCPUs sleeping on it.
 */
#include <asm/guest.h>
#include <asm/processor.h>
#include <asm/sysreg.h>
#include <asm/vtimer.h>
#include <drivers/arch_timer.h>
#include <tern/irq.h>
#include <tern/percpu.h>
#include <tern/printk.h>
#include <tern/sched.h>
#include <tern/vcpu.h>
#include <tern/vdev.h>
#include <tern/vm.h>
#include <virt/vgic_core.h>

#define SCHED_SLICE_US (CONFIG_SCHED_SLICE_MS * 1000UL)
/* The SGI pCPUs use to make each other look at their run queue or their vCPU's interrupts. */
#define SCHED_KICK_SGI 0

static void sched_enqueue(struct pcpu *p, struct vcpu *vcpu)
{
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
}

/* Another vCPU now waits on this pCPU: the running one gets a time slice if it had none. */
static void sched_start_slice(struct pcpu *p)
{
	if (p->current_vcpu && p->slice_end == VTIMER_NO_DEADLINE && READ_ONCE(p->rq_head)) {
		p->slice_end = arch_timer_now() + SCHED_SLICE_US * arch_timer_freq() / 1000000;
		sched_timer_update();
	}
}

/* Make pCPU @p look at its queue and its vCPU's interrupts now: an SGI, or nothing if it is us. */
static void sched_kick_pcpu(struct pcpu *p)
{
	if (p != this_pcpu())
		irq_send_sgi(SCHED_KICK_SGI, p->mpidr);
}

static void sched_kick_irq(unsigned int intid, void *priv)
{
	(void)intid;
	(void)priv;
	/* The exit itself made the running vCPU's new interrupts reach its list registers. */
	sched_start_slice(this_pcpu());
}

void sched_wake(struct vcpu *vcpu)
{
	struct pcpu *p = pcpu_get(vcpu->pcpu);

	if (vcpu->state == VCPU_BLOCKED)
		vcpu->state = VCPU_READY;
	sched_enqueue(p, vcpu);
	if (p == this_pcpu())
		sched_start_slice(p);
	else
		sched_kick_pcpu(p);
}

void sched_kick(struct vcpu *vcpu)
{
	if (vcpu->state == VCPU_BLOCKED)
		sched_wake(vcpu);
	else if (READ_ONCE(vcpu->loaded))
		sched_kick_pcpu(pcpu_get(vcpu->pcpu)); /* running elsewhere: make it exit */
}

void sched_kick_vcpus(struct vm *vm)
{
	for (unsigned int i = 0; i < vm->nr_vcpus; i++) {
		if (READ_ONCE(vm->vcpus[i]->loaded))
			sched_kick_pcpu(pcpu_get(vm->vcpus[i]->pcpu));
	}
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
	return v->vm->state == VM_RUNNING && v->state != VCPU_STOPPED && v->state != VCPU_BLOCKED &&
	       v->power != VCPU_POWER_OFF;
}

/* Wake the vCPUs sleeping on @p whose timer is due; returns the next deadline. */
static u64 sched_check_sleepers(struct pcpu *p)
{
	u64 now = arch_timer_now();
	u64 next = VTIMER_NO_DEADLINE;

	for (unsigned int i = 0; i < CONFIG_NR_VMS; i++) {
		struct vm *vm = &vm_table[i];

		if (vm->state != VM_RUNNING)
			continue;
		for (unsigned int j = 0; j < vm->nr_vcpus; j++) {
			struct vcpu *v = vm->vcpus[j];
			u64 d;

			if (v->pcpu != p->id || v->state != VCPU_BLOCKED)
				continue;
			d = vtimer_deadline(v);
			if (d <= now)
				sched_wake(v);
			else if (d < next)
				next = d;
		}
	}
	return next;
}

/* Program this pCPU's EL2 timer for its next event: a slice end, a sleeper's or the vCPU's timer.
 */
void sched_timer_update(void)
{
	struct pcpu *p = this_pcpu();
	struct vcpu *running = p->current_vcpu;
	u64 next = MIN(sched_check_sleepers(p), p->slice_end);

	if (running)
		next = MIN(next, vtimer_ptimer_deadline(running));
	if (next == VTIMER_NO_DEADLINE)
		arch_timer_event_cancel();
	else
		arch_timer_event_at(next);
}

static void sched_timer_event(void)
{
	struct pcpu *p = this_pcpu();

	if (p->current_vcpu)
		vtimer_ptimer_update(p->current_vcpu);
	if (arch_timer_now() >= p->slice_end) {
		p->slice_end = VTIMER_NO_DEADLINE;
		p->need_resched = true;
	}
	sched_timer_update();
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
	p->slice_end = READ_ONCE(p->rq_head)
			   ? arch_timer_now() + SCHED_SLICE_US * arch_timer_freq() / 1000000
			   : VTIMER_NO_DEADLINE;
	sched_timer_update();
	do {
		vtimer_ptimer_update(v);
	} while (vcpu_arch_run_once(v) == VCPU_RUN_CONTINUE && v->state == VCPU_RUNNING &&
		 !READ_ONCE(v->vm->reset_pending) && !p->need_resched);
	p->slice_end = VTIMER_NO_DEADLINE;
	vcpu_arch_put(v);
	/* Devices that hold output (a prompt without a newline) let it out now. */
	vdev_vcpu_put(v->vm->vdevs, v->vm->nr_vdevs);
	if (v->state == VCPU_RUNNING)
		v->state = VCPU_READY;
}

/*
 * After a WFI exit: sleep only if nothing is pending and no timer is already due. The check
 * and the state change happen under the vGIC lock, under which injections kick sleepers, so
 * an interrupt cannot slip in between.
 */
static void sched_wfi(struct pcpu *p, struct vcpu *v)
{
	if (vtimer_deadline(v) <= arch_timer_now() || !vgic_block_if_idle(v)) {
		v->state = VCPU_READY;
		sched_enqueue(p, v);
	}
}

static void sched_idle(struct pcpu *p)
{
	sched_timer_update();
	if (READ_ONCE(p->rq_head))
		return;
	/*
	 * WFI with interrupts still masked: it wakes on any pending interrupt, so a kick that
	 * arrives after the queue check cannot be consumed before the WFI and leave this pCPU
	 * asleep with a vCPU queued. Then the interrupts are taken, and may queue a vCPU.
	 */
	cpu_wait_for_interrupt();
	local_irq_enable();
	local_irq_disable();
}

void sched_run(void)
{
	struct pcpu *p = this_pcpu();
	struct vcpu *v;

	p->slice_end = VTIMER_NO_DEADLINE;
	if (arch_timer_event_init_cpu(sched_timer_event))
		pr_warn("sched: no EL2 timer interrupt: vCPUs only switch when they yield\n");
	if (irq_request(SCHED_KICK_SGI, sched_kick_irq, NULL))
		pr_warn("sched: no kick SGI: pCPU %u is not woken by other pCPUs\n", p->id);
	while (vm_nr_live()) {
		v = sched_dequeue(p);
		if (!v) {
			sched_idle(p);
			continue;
		}
		if (!sched_runnable(v))
			continue;
		sched_run_vcpu(p, v);
		if (READ_ONCE(v->vm->reset_pending)) {
			/* The first pCPU to get here restarts the VM; its vCPUs elsewhere just
			 * stop. */
			vm_do_reset(v->vm);
			continue;
		}
		if (v->state == VCPU_WFI)
			sched_wfi(p, v);
		else if (sched_runnable(v))
			sched_enqueue(p, v);
	}
}
