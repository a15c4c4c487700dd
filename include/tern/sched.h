/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef TERN_SCHED_H
#define TERN_SCHED_H

#include <tern/types.h>
#include <tern/vcpu.h>

struct vm;

/* Pin @vcpu to pCPU @pcpu for good (VM creation, before any vCPU runs). */
void sched_place_vcpu(struct vcpu *vcpu, unsigned int pcpu);
/* Forget a placed vCPU that never ran (its VM's creation failed and it is being freed). */
void sched_unplace_vcpu(struct vcpu *vcpu);
/* Make @vcpu runnable on its pCPU (a PSCI CPU_ON, a VM start or reset). */
void sched_wake(struct vcpu *vcpu);
/*
 * An interrupt is now pending for @vcpu: wake it if it sleeps, move it ahead if it waits for its
 * turn, make it leave the guest if it runs on another pCPU. Called with its vGIC lock held; the
 * pCPUs concerned are notified by sched_kick_flush(), which the caller runs after dropping it.
 */
void sched_kick(struct vcpu *vcpu);
void sched_kick_flush(void);
/*
 * @vcpu, which its pCPU took out of the guest after WFI or CPU_SUSPEND (still RUNNING), goes to
 * sleep; false if it was stopped meanwhile. sched_block() is called under the vGIC lock (if any)
 * with nothing pending; sched_block_unqueued() without it, and only sleeps while nothing at all
 * is queued for the vCPU (vgic_vcpu_unqueued(), looked at again under the run-queue lock).
 */
bool sched_block(struct vcpu *vcpu);
bool sched_block_unqueued(struct vcpu *vcpu);
/* Set @vcpu to VCPU_STOPPED or VCPU_OFF wherever it is, and make its pCPU notice. */
void sched_stop_vcpu(struct vcpu *vcpu, enum vcpu_state state);
/*
 * Pause @vcpu (its VM is paused): off its run queue and kept off, made to leave the guest at its
 * next exit and put; interrupts and timers that wake it meanwhile only make it READY. Resume
 * queues it again if it is runnable. Both under its pCPU's run-queue lock, from any pCPU.
 */
void sched_pause_vcpu(struct vcpu *vcpu);
void sched_resume_vcpu(struct vcpu *vcpu);
/* Wait (for an event, not a spin) until @vcpu's pCPU has put it. */
void sched_wait_off_pcpu(struct vcpu *vcpu);
/* Make @vcpu leave the guest if it runs on another pCPU (it syncs its list registers). */
void sched_exit_guest(struct vcpu *vcpu);
/* Make every other online pCPU look at its queue (the last VM stopped: they return). */
void sched_kick_all(void);
/*
 * From an interrupt handler: the vCPU running on this pCPU leaves the guest at this exit, and
 * the pCPU's scheduler loop looks at Tern's own work (a hypervisor console command) first.
 */
void sched_return_to_tern(void);
/* A timer of the running vCPU changed: reprogram the pCPU's EL2 timer. */
void sched_timer_update(void);
/*
 * The loaded vCPU's timer deadline is now @deadline: the EL2 timer is reprogrammed only if that
 * is earlier than it is armed for (a later one leaves it to fire once, as sched_timer_update()
 * does while a vCPU is loaded), without looking at the pCPU's sleepers.
 */
void sched_timer_earlier(u64 deadline);
/* Log every vCPU's scheduling and interrupt state (debugging a hang). */
void sched_dump(void);
/*
 * The pCPU's loop: run queued vCPUs (and hypervisor console commands) while the machine is up
 * (vm_machine_up); returns when it powers off.
 */
void sched_run(void);

#endif
