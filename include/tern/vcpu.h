/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef TERN_VCPU_H
#define TERN_VCPU_H

#include <asm/vcpu_arch.h>
#include <tern/mmio.h>
#include <tern/types.h>

struct vm;
struct vgic_cpu;

/*
 * Scheduling state. Only changed under the run-queue lock of the vCPU's pCPU (core/sched.c), so
 * a stop or reset from another pCPU and the vCPU's own pCPU can never overwrite each other.
 */
enum vcpu_state {
	VCPU_UNINITIALIZED,
	VCPU_READY,   /* runnable: on its pCPU's run queue */
	VCPU_RUNNING, /* picked by its pCPU: loaded, about to be, or just out (WFI: sleep or not?)
		       */
	VCPU_OFF,     /* PSCI off (or being reset): waits for CPU_ON */
	VCPU_BLOCKED, /* asleep until an interrupt is pending for it or one of its timers is due */
	VCPU_STOPPED, /* its VM stopped */
	VCPU_NR_STATES,
};

/* PSCI's view of a vCPU (AFFINITY_INFO). */
enum vcpu_power {
	VCPU_POWER_OFF,
	VCPU_POWER_ON_PENDING,
	VCPU_POWER_ON,
};

/* Why a vCPU left the guest: per-vCPU counters (race-free: one pCPU runs a vCPU at a time). */
enum vcpu_exit_reason {
	EXIT_HVC,
	EXIT_SMC,
	EXIT_SYSREG,
	EXIT_SGI,   /* trapped ICC_SGI*R writes */
	EXIT_MMIO,  /* emulated device accesses */
	EXIT_ABORT, /* stage-2 faults that became aborts in the guest */
	EXIT_WFI,
	EXIT_WFE,
	EXIT_IRQ,    /* a physical interrupt while the guest ran */
	EXIT_MAINT,  /* of which: the vGIC maintenance interrupt */
	EXIT_FP,     /* first FP/SIMD use after a switch */
	EXIT_SETWAY, /* trapped DC ISW/CSW/CISW */
	EXIT_OTHER,
	EXIT_NR,
};

struct vcpu {
	unsigned int id;
	struct vm *vm;
	enum vcpu_state state;
	enum vcpu_power power;
	/* The pCPU this vCPU is pinned to (sched_place_vcpu), and the next vCPU pinned there. */
	unsigned int pcpu;
	bool placed;
	struct vcpu *placed_next;
	/* Where a PSCI CPU_ON or a reset starts it. */
	u64 boot_entry;
	u64 boot_x0;
	/* Loaded on a pCPU (between vcpu_arch_load and vcpu_arch_put). */
	bool loaded;
	/* Picked by its pCPU until it has been put again (vm_do_reset waits for this to clear). */
	bool on_pcpu;
	/*
	 * Run-queue link, whether the vCPU is on its queue, whether it went there woken by an
	 * interrupt or a timer (it goes ahead of the vCPUs that were preempted), and since when.
	 */
	struct vcpu *rq_next;
	bool queued;
	bool boosted;
	/* Its VM is paused: never queued until resumed (under the run-queue lock). */
	bool paused;
	/*
	 * Asleep (VCPU_BLOCKED) with a timer due at sleep_deadline: on its pCPU's sleeper list,
	 * earliest first (under the run-queue lock). Its timers cannot change while it sleeps.
	 */
	bool sleeping;
	struct vcpu *sleep_next;
	u64 sleep_deadline;
	u64 queued_at;
	/* Exits by reason, exceptions injected, and the once-only log for unhandled exits. */
	u64 exits;
	u64 exit_count[EXIT_NR];
	/* Cleans and invalidations of the VM's RAM that set/way emulation made (setway.c). */
	u64 setway_flushes;
	u64 undefs_injected;
	u64 aborts_injected;
	/* Virtual interrupts the guest acknowledged (pending in a list register, then not). */
	u64 irqs_taken;
	bool undef_logged;
	/* The VM's MMIO region this vCPU accessed last (mmio_find_cached()). */
	struct mmio_cache mmio_cache;
	/*
	 * Entry work (VCPU_WORK_*): zero when an exit handled from the exit vector needs nothing
	 * but its handler, and the guest may be entered again straight away. See vcpu_work_set().
	 */
	u32 entry_work;
	/* Virtual GIC CPU interface and redistributor state (NULL without a vGIC). */
	struct vgic_cpu *vgic;
	struct vcpu_arch arch;
};

/*
 * Bits of vcpu->entry_work. Whoever makes one of the conditions below true sets its bit (after
 * the change, from any pCPU); only the vCPU's own exit path clears the word, and then looks at
 * every condition itself (exit.c): the bits are hints that something may be to do, never the
 * state. A remote pCPU that sets one for a vCPU running in the guest kicks that pCPU afterwards
 * (an SGI, taken in the guest at once), so a word read as zero just before the entry is caught
 * by the interrupt exit that follows.
 * SCHED: sched_may_enter() may have turned false (a stop, pause or reset asked, a reschedule
 *        of this pCPU);
 * VGIC:  the vGIC state of the vCPU changed (dirty: its list registers must be filled again, or
 *        an interrupt went straight into one);
 * LOCAL: set and recomputed by the vCPU's own pCPU: list registers in use, a hardware-linked
 *        PPI (virtual timer, PMU overflow) pending and not taken (not the emulated physical
 *        timer: exit.c, exit_local_work()).
 */
#define VCPU_WORK_SCHED (1U << 0)
#define VCPU_WORK_VGIC	(1U << 1)
#define VCPU_WORK_LOCAL (1U << 2)

/* Release: the change the bit announces is seen by whoever clears the word (acquire) after. */
static inline void vcpu_work_set(struct vcpu *v, u32 bits)
{
	__atomic_fetch_or(&v->entry_work, bits, __ATOMIC_RELEASE);
}

const char *vcpu_exit_reason_name(enum vcpu_exit_reason r);
const char *vcpu_state_name(enum vcpu_state s);

static inline u64 vcpu_reg(const struct vcpu *v, unsigned int n)
{
	return n < 31 ? v->arch.regs.x[n] : 0; /* 31 is XZR in data-register positions */
}

static inline void vcpu_set_reg(struct vcpu *v, unsigned int n, u64 val)
{
	if (n < 31)
		v->arch.regs.x[n] = val;
}

#endif
