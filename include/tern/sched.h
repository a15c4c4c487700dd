/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef TERN_SCHED_H
#define TERN_SCHED_H

struct vcpu;
struct vm;

/* Put @vcpu on its pCPU's run queue (a PSCI CPU_ON, a VM start or reset). */
void sched_wake(struct vcpu *vcpu);
/* Something is pending for @vcpu: wake it if it sleeps in WFI. Called with its vGIC lock held. */
void sched_kick(struct vcpu *vcpu);
/* Make every pCPU that runs a vCPU of @vm leave the guest (a stop or reset of the VM). */
void sched_kick_vcpus(struct vm *vm);
/* A timer of the running vCPU changed: reprogram the pCPU's EL2 timer. */
void sched_timer_update(void);
/* Log every vCPU's scheduling and interrupt state (debugging a hang). */
void sched_dump(void);
/* The pCPU's loop: run queued vCPUs until every VM has stopped. Returns when nothing is left. */
void sched_run(void);

#endif
