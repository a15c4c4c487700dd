/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef GUEST_SMP_H
#define GUEST_SMP_H

/*
 * SMP helpers for the test guests: the vCPU list from the DTB, PSCI CPU_ON entry points that
 * record how a vCPU was entered, LL/SC atomics (LDAXR/STLXR), a barrier, and a tiny worker pool:
 * every started secondary waits for a function from vCPU 0, runs it and says it is done.
 * A vCPU's index is Aff0 of its MPIDR (the QEMU virt and Tern numbering); its stack is slot
 * <index> of guest.lds' stack area, as crt0 uses slot 0 for vCPU 0.
 */

#include "gic.h"

#define SMP_MAX_CPUS GUEST_MAX_CPUS

/* PSCI AFFINITY_INFO results. */
#define PSCI_AFF_ON	    0
#define PSCI_AFF_OFF	    1
#define PSCI_AFF_ON_PENDING 2

/** How a secondary was entered, recorded by its entry code before anything else runs. */
struct smp_boot_info {
	u64 context_id; /**< x0 at the entry */
	u64 entry;	/**< 0: smp_entry_a, 1: smp_entry_b */
	u64 mpidr;	/**< MPIDR_EL1 (Aff fields only) */
	u64 current_el; /**< CurrentEL */
	u64 sctlr;	/**< SCTLR_EL1 */
	u64 daif;	/**< DAIF */
	u64 spsel;	/**< SPSel (1: EL1h) */
};

/** Per vCPU: boot count and the last entry's record (written by that vCPU only). */
struct smp_cpu {
	volatile u32 boots;
	struct smp_boot_info boot;
	/* Worker pool: vCPU 0 posts fn/arg and bumps gen; the vCPU copies gen to done after fn. */
	void (*volatile fn)(unsigned int cpu, void *arg);
	void *volatile arg;
	volatile u32 gen;
	volatile u32 done;
	/** The boot count at which the worker loop started (set-up done, ready for work). */
	volatile u32 ready;
};

extern struct smp_cpu smp_cpus[SMP_MAX_CPUS];
extern unsigned int smp_nr_cpus;
extern u64 smp_mpidr[SMP_MAX_CPUS];

/* Entry points for PSCI CPU_ON (x0 = context id, any value). */
extern char smp_entry_a[], smp_entry_b[];

/**
 * What a secondary runs after its entry: @cpu its index, @context_id its x0. If it returns,
 * the vCPU calls CPU_OFF. Default: smp_worker_main (GIC set-up, then the worker loop).
 */
typedef void (*smp_secondary_fn)(unsigned int cpu, u64 context_id);
void smp_set_secondary_fn(smp_secondary_fn fn);
/** Per-vCPU set-up hook run by smp_worker_main before the loop (e.g. enable SGIs), or NULL. */
void smp_set_cpu_setup(void (*fn)(unsigned int cpu));
/** gic_cpu_init(), the set-up hook, then the worker loop (never returns). */
void smp_worker_main(unsigned int cpu, u64 context_id);

/**
 * vCPUs from the DTB /cpus/cpu@N reg properties (the boot vCPU if none). Aborts if there are
 * more than SMP_MAX_CPUS, or two with the same index, or the boot vCPU is not index 0.
 */
unsigned int smp_init(void);
/**
 * As smp_init(), but a DTB with more vCPUs than SMP_MAX_CPUS is not an error: the first
 * SMP_MAX_CPUS are the ones set up (the others are the caller's, e.g. started at an entry of
 * their own that needs no stack slot).
 */
unsigned int smp_init_first(void);
/** This vCPU's index (Aff0 of MPIDR_EL1). */
static inline unsigned int smp_this_cpu(void)
{
	return (read_sysreg(mpidr_el1) & 0xff) % SMP_MAX_CPUS;
}

/** Value of "@key=N" in /chosen/bootargs (decimal), or @def. */
u64 smp_bootarg(const char *key, u64 def);

/** CPU_ON vCPU @cpu at entry a or b with @context_id; returns the PSCI status. */
s64 smp_cpu_on(unsigned int cpu, bool entry_b, u64 context_id);
/** Poll AFFINITY_INFO of @cpu until it returns @want or @us pass; returns the last value. */
s64 smp_wait_affinity(unsigned int cpu, s64 want, u64 us);
/** Wait until smp_cpus[@cpu].boots >= @want or @us pass. */
bool smp_wait_boots(unsigned int cpu, u32 want, u64 us);
/** Wait until the worker loop of @cpu runs for its boot @want (smp_cpus[].ready >= @want). */
bool smp_wait_ready(unsigned int cpu, u32 want, u64 us);

/** Post fn(cpu, arg) to every vCPU in @mask (vCPU 0 runs it itself if in the mask). */
void smp_run_on(u32 mask, void (*fn)(unsigned int cpu, void *arg), void *arg);
/** Wait until every vCPU in @mask finished its posted function; returns the ones that did not. */
u32 smp_wait_done(u32 mask, u64 us);
/** smp_run_on() then smp_wait_done(); returns the mask of vCPUs that did not finish. */
u32 smp_run(u32 mask, void (*fn)(unsigned int cpu, void *arg), void *arg, u64 us);
/** Mask of all vCPUs, of the secondaries. */
static inline u32 smp_all_mask(void)
{
	return (1U << smp_nr_cpus) - 1;
}

/** Worker function: call PSCI CPU_OFF (records a failure in smp_cpu_off_returned if it returns). */
void smp_work_cpu_off(unsigned int cpu, void *arg);
extern volatile u32 smp_cpu_off_returned;

/* Atomics on Device memory too (the MMU is off): LDAXR/STLXR loops. */
static inline u32 smp_atomic_add(volatile u32 *p, u32 v)
{
	u32 val, fail;

	asm volatile("1:	ldaxr	%w0, [%2]\n"
		     "	add	%w0, %w0, %w3\n"
		     "	stlxr	%w1, %w0, [%2]\n"
		     "	cbnz	%w1, 1b\n"
		     : "=&r"(val), "=&r"(fail)
		     : "r"(p), "r"(v)
		     : "memory");
	return val;
}

static inline u32 smp_load_acquire(const volatile u32 *p)
{
	u32 v;

	asm volatile("ldar %w0, [%1]" : "=r"(v) : "r"(p) : "memory");
	return v;
}

static inline void smp_store_release(volatile u32 *p, u32 v)
{
	asm volatile("stlr %w0, [%1]" : : "r"(v), "r"(p) : "memory");
}

static inline void smp_mb(void)
{
	asm volatile("dmb ish" ::: "memory");
}

static inline void smp_sev(void)
{
	asm volatile("dsb ish\n\tsev" ::: "memory");
}

/* Spin-wait hint: WFE (Tern yields the pCPU; the poster always SEVs). */
static inline void smp_relax(void)
{
	asm volatile("wfe" ::: "memory");
}

/** Test-and-set spinlock (LDAXR/STXR, released with STLR). */
struct smp_lock {
	volatile u32 v;
};
void smp_lock(struct smp_lock *l);
void smp_unlock(struct smp_lock *l);

/** Central barrier for @n vCPUs; false if @us passed first (the barrier is then unusable). */
struct smp_barrier {
	volatile u32 count;
	volatile u32 gen;
};
bool smp_barrier_wait(struct smp_barrier *b, unsigned int n, u64 us);

/* smp_fp.S (built without -mgeneral-regs-only): FP/SIMD isolation (also linked into virtio). */
#define SMP_FP_REGS 32
#define SMP_FP_FPCR 32 /* register "index" of FPCR in a mismatch */
#define SMP_FP_FPSR 33

/** Set CPACR_EL1.FPEN so EL1 FP/SIMD does not trap. */
void smp_fp_enable(void);
/** Write FPCR / FPSR, return what reads back (the implemented bits). */
u64 smp_fp_probe_fpcr(u64 v);
u64 smp_fp_probe_fpsr(u64 v);
/**
 * Fill V0-V31 with pat[r][0..1] ^ (k * golden), FPCR/FPSR with @fpcr/@fpsr, and check them all
 * @checks times, for k = 0, 1, ... until CNTVCT >= @end; WFE after each check when @yield.
 * Returns -1, or the index of the first register that did not hold its value (SMP_FP_FPCR /
 * SMP_FP_FPSR for those), with the value read in *@bad and the round count in *@rounds.
 */
long smp_fp_check(const u64 (*pat)[2], u64 fpcr, u64 fpsr, u64 end, u64 checks, bool yield,
		  u64 *bad, u64 *rounds);
/** V0-V31 = @pat, FPCR = @fpcr, FPSR = @fpsr; nothing else in the guest touches them. */
void smp_fp_fill(const u64 (*pat)[2], u64 fpcr, u64 fpsr);
/** -1 if they still hold that, else the first register that does not, its value in *@bad. */
long smp_fp_verify(const u64 (*pat)[2], u64 fpcr, u64 fpsr, u64 *bad);

#endif /* GUEST_SMP_H */
