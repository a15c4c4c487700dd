/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef TERN_PERCPU_H
#define TERN_PERCPU_H

/* Offsets used by assembly; core/percpu.c checks them against the struct. */
/* Also the Makefile's -mstack-protector-guard-offset (it reads the number from here). */
#define PCPU_OFF_STACK_GUARD 0
#define PCPU_OFF_STACK_TOP   8
#define PCPU_OFF_EMERG_TOP   16
#define PCPU_OFF_GUEST_REGS  24
#define PCPU_OFF_FAST_HVC    32
#define PCPU_OFF_FAST_SYSREG 40
#define PCPU_OFF_ID_FAST     48

#ifndef __ASSEMBLY__
#include <tern/spinlock.h>
#include <tern/types.h>

struct vcpu;
struct vcpu_gpregs;

/** Per-physical-CPU data. TPIDR_EL2 points at the running pCPU's entry from its first instruction.
 */
struct pcpu {
	/**
	 * The stack protector's guard value, the same on every pCPU: protected functions read it
	 * from here through TPIDR_EL2 (-mstack-protector-guard=sysreg), two instructions instead
	 * of three through the GOT. head.S sets pCPU 0's before any C runs; pcpu_prepare() copies
	 * it. First, so that no pair of fields the hot paths load or store together is split.
	 */
	uintptr_t stack_guard;
	/** Top of this pCPU's EL2 stack (grows down; an unmapped guard region lies below it). */
	vaddr_t stack_top;
	/** Top of the stack used to report a fault that happened on an overflowed stack. */
	vaddr_t emerg_top;
	/** Registers of the vCPU running on this pCPU: the guest-exit vectors save into them. */
	struct vcpu_gpregs *guest_regs;
	/** HVCs answered by guest_entry.S's fast path since the vCPU was loaded. */
	u64 fast_hvc;
	/** ID-register reads answered by the fast path since the vCPU was loaded. */
	u64 fast_sysreg;
	/** The loaded VM's sanitised ID registers (CRm 4-7 x op2), or NULL. */
	const u64 *id_fast;
	/** The vCPU loaded on this pCPU, or NULL. */
	struct vcpu *current_vcpu;
	/**
	 * Runnable vCPUs pinned to this pCPU (singly linked through vcpu->rq_next): the boosted
	 * ones (woken by an interrupt or a timer) first, up to rq_boost_tail, then the others.
	 */
	struct vcpu *rq_head;
	struct vcpu *rq_tail;
	struct vcpu *rq_boost_tail;
	/** Covers the run queue and the state of every vCPU pinned to this pCPU. */
	struct spinlock rq_lock;
	/** A vCPU asleep in WFI that is still loaded here (the scheduler's lazy put), or NULL. */
	struct vcpu *lazy;
	/** The queue's first preempted vCPU runs next, whatever is boosted (rq_pick). */
	bool fifo_due;
	/** Every vCPU pinned to this pCPU (linked through vcpu->placed_next), fixed at boot. */
	struct vcpu *placed;
	/**
	 * The vCPUs pinned here asleep with a timer deadline, earliest first (linked through
	 * vcpu->sleep_next; under rq_lock): a timer update looks at the head only. Added only by
	 * this pCPU (a vCPU goes to sleep on its own pCPU), removed by whichever wakes or stops it.
	 */
	struct vcpu *sleepers;
	/** Set when the running vCPU's slice is over: it goes back to the queue. */
	bool need_resched;
	/** Counter value at which the running vCPU's slice ends (~0: no other vCPU waits). */
	u64 slice_end;
	/** Counter value at which the running vCPU was loaded. */
	u64 run_start;
	/** What the EL2 timer event is programmed for (~0: off, or fired and masked). */
	u64 timer_at;
	/** pCPUs to notify (sched_kick_flush) once the vGIC lock is dropped, one bit per pCPU. */
	u64 kick_mask;
	/** Logical pCPU number, 0 = boot pCPU. */
	unsigned int id;
	/** MPIDR_EL1 affinity bits of this pCPU as discovered. */
	u64 mpidr;
	/** The hardware debug registers hold no vCPU's breakpoints (arch/arm64/vdebug.c). */
	bool debug_hw_clean;
	/** True once the pCPU runs C code with its MMU on. */
	bool online;
	/**
	 * An interrupt the exit vector acknowledged and left to el2_irq() (INTID + 1; 0: none):
	 * the hardware-linked PPI fast path acknowledges before it knows which one it is.
	 */
	u32 irq_acked;
};

#include <asm/percpu.h>

static inline unsigned int this_cpu_id(void)
{
	return this_pcpu()->id;
}

#define PCPU_STACK_SIZE (1UL << CONFIG_PCPU_STACK_SHIFT)

/** The per-pCPU data of pCPU @id (0 .. CONFIG_MAX_PCPUS - 1). */
struct pcpu *pcpu_get(unsigned int id);
/** The unmapped guard region below pCPU @id's stack. */
void pcpu_stack_guard(unsigned int id, paddr_t *start, paddr_t *end);
/** Fill in pCPU @id's entry (stacks, MPIDR); the boot pCPU calls this for every pCPU it starts. */
struct pcpu *pcpu_prepare(unsigned int id, u64 mpidr);

#endif
#endif
