/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef TERN_SCHED_ENTER_H
#define TERN_SCHED_ENTER_H

#include <tern/compiler.h>
#include <tern/percpu.h>
#include <tern/vcpu.h>
#include <tern/vm.h>

/*
 * Whether the vCPU loaded on pCPU @p may enter the guest (again): still picked (RUNNING), its VM
 * not being reset, not paused, and no reschedule asked for this pCPU (slice end, a woken vCPU's
 * preemption, Tern's own work). The scheduler's loop asks before every entry, and so does the
 * exit path (vcpu_arch_run) before it re-enters the guest after a handled exit without
 * returning to that loop: a request made by another pCPU changes one of these under the
 * pCPU's rq_lock and then kicks the pCPU (an SGI, taken in the guest at once), a request made
 * here sets need_resched, so neither is missed. Each of them also sets the vCPU's entry-work
 * bit (VCPU_WORK_SCHED), which is all the exit fast path reads (exit.c).
 */
static inline bool sched_may_enter(const struct pcpu *p, const struct vcpu *v)
{
	return READ_ONCE(v->state) == VCPU_RUNNING && !READ_ONCE(v->vm->reset_pending) &&
	       !READ_ONCE(v->paused) && !p->need_resched;
}

#endif
