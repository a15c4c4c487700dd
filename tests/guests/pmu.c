// SPDX-License-Identifier: GPL-2.0-only
/*
 * The guest's PMUv3 (run under QEMU -icount, which makes INST_RETIRED count):
 * - instructions retired over a known loop are counted within 1%, the cycle counter advances;
 * - nothing is counted at EL2, even with the filters asking for it (NSH): 1000 HVCs that Tern
 *   handles count only the guest's own instructions;
 * - counters are each vCPU's own: two vCPUs sharing the pCPU count their own loops exactly,
 *   across the switches between them, and a stopped counter holds its value;
 * - an overflow raises the PMU interrupt (PPI 23) once (QEMU 7.2 raises it when the guest next
 *   reads a counter, not at the overflow itself: the test reads one).
 */
#include "gic.h"

#define PMCR_E		(1UL << 0)
#define PMCR_P		(1UL << 1)
#define PMCR_C		(1UL << 2)
#define PMCR_LP		(1UL << 7) /* 64-bit event counters (PMUv3p5) */
#define CYCLE_BIT	(1UL << 31)
#define EV_INST_RETIRED 0x08
#define EV_CPU_CYCLES	0x11
#define FILT_NSH	(1UL << 27) /* count at EL2 too, if allowed */
#define PMU_PPI		23
#define LOOP_N		50000
#define NR_HVC		1000

#define PMCR_EL0       s3_3_c9_c12_0
#define PMCNTENSET_EL0 s3_3_c9_c12_1
#define PMCNTENCLR_EL0 s3_3_c9_c12_2
#define PMOVSCLR_EL0   s3_3_c9_c12_3
#define PMCCNTR_EL0    s3_3_c9_c13_0
#define PMOVSSET_EL0   s3_3_c9_c14_3
#define PMINTENSET_EL1 s3_0_c9_c14_1
#define PMINTENCLR_EL1 s3_0_c9_c14_2
#define PMCCFILTR_EL0  s3_3_c14_c15_7
#define PMEVCNTR0_EL0  s3_3_c14_c8_0
#define PMEVCNTR1_EL0  s3_3_c14_c8_1
#define PMEVCNTR2_EL0  s3_3_c14_c8_2
#define PMEVTYPER0_EL0 s3_3_c14_c12_0
#define PMEVTYPER1_EL0 s3_3_c14_c12_1
#define PMEVTYPER2_EL0 s3_3_c14_c12_2

static unsigned int nr_counters;

/* 2 * n + 1 instructions. */
static void known_loop(u64 n)
{
	asm volatile("1:	subs	%0, %0, #1\n"
		     "	b.ne	1b"
		     : "+r"(n)
		     :
		     : "cc");
}

static void test_present(void)
{
	u64 dfr0 = read_sysreg(id_aa64dfr0_el1), pmcr, ceid0;

	pmcr = read_sysreg(PMCR_EL0);
	nr_counters = FIELD(pmcr, 15, 11);
	ceid0 = read_sysreg(s3_3_c9_c12_6);
	report(FIELD(dfr0, 11, 8) >= 1 && FIELD(dfr0, 11, 8) != 0xf && nr_counters >= 3 &&
		   (ceid0 & (1UL << EV_INST_RETIRED)) && (ceid0 & (1UL << EV_CPU_CYCLES)),
	       "PMUv3 (PMUVer %lu), %u event counters, INST_RETIRED and CPU_CYCLES (PMCEID0 0x%lx)",
	       FIELD(dfr0, 11, 8), nr_counters, ceid0);
}

static void test_counting(void)
{
	u64 insns, cycles, c0, c1;
	s64 err;

	write_sysreg(PMCR_P | PMCR_C, PMCR_EL0);
	write_sysreg(EV_INST_RETIRED, PMEVTYPER0_EL0);
	write_sysreg(0, PMCCFILTR_EL0);
	write_sysreg(1 | CYCLE_BIT, PMCNTENSET_EL0);
	isb();
	c0 = read_sysreg(PMCCNTR_EL0);
	write_sysreg(PMCR_E, PMCR_EL0);
	isb();
	known_loop(LOOP_N);
	write_sysreg(0, PMCR_EL0);
	isb();
	insns = read_sysreg(PMEVCNTR0_EL0);
	cycles = read_sysreg(PMCCNTR_EL0);
	c1 = read_sysreg(PMCCNTR_EL0);
	err = (s64)insns - 2 * LOOP_N;
	report(err > -(2 * LOOP_N / 100) && err < 2 * LOOP_N / 100,
	       "INST_RETIRED over a %u-instruction loop: %lu (within 1%%)", 2 * LOOP_N, insns);
	report(cycles > c0 && cycles >= LOOP_N && c1 == cycles,
	       "cycle counter advanced by %lu while enabled, holds still while disabled",
	       cycles - c0);
	write_sysreg(1 | CYCLE_BIT, PMCNTENCLR_EL0);
}

static void test_el2_excluded(void)
{
	u64 with_nsh, cycles;

	write_sysreg(PMCR_P | PMCR_C, PMCR_EL0);
	write_sysreg(EV_INST_RETIRED | FILT_NSH, PMEVTYPER1_EL0);
	write_sysreg(FILT_NSH, PMCCFILTR_EL0);
	write_sysreg(2 | CYCLE_BIT, PMCNTENSET_EL0);
	write_sysreg(PMCR_E, PMCR_EL0);
	isb();
	for (unsigned int i = 0; i < NR_HVC; i++)
		smccc_call(PSCI_VERSION, 0, 0, 0);
	write_sysreg(0, PMCR_EL0);
	isb();
	with_nsh = read_sysreg(PMEVCNTR1_EL0);
	cycles = read_sysreg(PMCCNTR_EL0);
	write_sysreg(2 | CYCLE_BIT, PMCNTENCLR_EL0);
	write_sysreg(0, PMCCFILTR_EL0);
	/* The guest's side of a PSCI call is some 30 instructions; Tern's is many more. */
	report(with_nsh > NR_HVC * 5 && with_nsh < NR_HVC * 40,
	       "%u HVCs with EL2 counting asked for (NSH): %lu instructions, the guest's own only",
	       NR_HVC, with_nsh);
	report(cycles < NR_HVC * 200, "and %lu cycles: Tern's time at EL2 not counted", cycles);
}

/*
 * Spin until the counter jumps (this vCPU was switched out), counting in the loop, which is
 * 8 instructions per iteration; returns the iterations, 0 if no switch within @max ticks.
 */
static u64 spin_until_switched(u64 gap, u64 max)
{
	u64 it = 0, now, prev = gic_counter(), end = prev + max, d;

	asm volatile("1:	mrs	%[now], cntvct_el0\n"
		     "	sub	%[d], %[now], %[prev]\n"
		     "	mov	%[prev], %[now]\n"
		     "	cmp	%[d], %[gap]\n"
		     "	b.hi	2f\n"
		     "	add	%[it], %[it], #1\n"
		     "	cmp	%[now], %[end]\n"
		     "	b.lo	1b\n"
		     "	mov	%[it], #0\n"
		     "2:\n"
		     : [it] "+r"(it), [now] "=&r"(now), [prev] "+r"(prev), [d] "=&r"(d)
		     : [gap] "r"(gap), [end] "r"(end)
		     : "cc");
	return it;
}

struct iso {
	u64 iters, counted, held_before, held_after;
	volatile u32 done;
};
static struct iso iso[2];

/* Count INST_RETIRED in counter 0 over a spin that is switched out at least once. */
static void isolation_run(struct iso *r)
{
	u64 gap = gic_us_to_ticks(500), max = gic_us_to_ticks(2000000);

	write_sysreg(PMCR_P | PMCR_C, PMCR_EL0);
	write_sysreg(EV_INST_RETIRED, PMEVTYPER0_EL0);
	write_sysreg(1, PMCNTENSET_EL0);
	write_sysreg(PMCR_E, PMCR_EL0);
	isb();
	r->iters = spin_until_switched(gap, max);
	write_sysreg(0, PMCR_EL0);
	isb();
	r->counted = read_sysreg(PMEVCNTR0_EL0);
	/* Stopped, across another switch: the value must not move. */
	r->held_before = r->counted;
	spin_until_switched(gap, max);
	r->held_after = read_sysreg(PMEVCNTR0_EL0);
	write_sysreg(1, PMCNTENCLR_EL0);
}

static void second(u64 arg)
{
	(void)arg;
	isolation_run(&iso[1]);
	dsb();
	iso[1].done = 1;
}

static bool iso_ok(const struct iso *r)
{
	/* 8 per iteration, plus the few around the spin; another vCPU's run would be 10^5+. */
	return r->iters > 1000 && r->counted >= 8 * r->iters && r->counted < 8 * r->iters + 64 &&
	       r->held_after == r->held_before;
}

static void test_isolation(void)
{
	u64 end;

	if (cpu_start(1, 1, second, 0) != PSCI_RET_SUCCESS) {
		report_skip("isolation: no second vCPU");
		return;
	}
	isolation_run(&iso[0]);
	end = gic_counter() + gic_us_to_ticks(5000000);
	while (!iso[1].done && gic_counter() < end)
		;
	report(iso[1].done && iso_ok(&iso[0]) && iso_ok(&iso[1]),
	       "two vCPUs on one pCPU count their own spins across switches (%lu for %lu, %lu for "
	       "%lu iterations), a stopped counter holds (%lu)",
	       iso[0].counted, iso[0].iters, iso[1].counted, iso[1].iters, iso[0].held_after);
}

static volatile u32 ovf_irqs;
static volatile u64 ovf_flags;

static void pmu_irq(u32 intid)
{
	(void)intid;
	ovf_flags = read_sysreg(PMOVSSET_EL0);
	write_sysreg(ovf_flags, PMOVSCLR_EL0);
	isb();
	ovf_irqs++;
}

static void test_overflow(void)
{
	if (!gic_dist_init() || !gic_cpu_init()) {
		report_abort("GICv3 set-up failed");
		return;
	}
	gic_set_handler(PMU_PPI, pmu_irq);
	gic_irq_set_priority(PMU_PPI, 0x80);
	gic_irq_enable(PMU_PPI);
	write_sysreg(PMCR_P | PMCR_C, PMCR_EL0);
	write_sysreg(EV_CPU_CYCLES, PMEVTYPER2_EL0);
	write_sysreg(~0UL - 20000, PMEVCNTR2_EL0);
	write_sysreg(4, PMINTENSET_EL1);
	write_sysreg(4, PMCNTENSET_EL0);
	write_sysreg(PMCR_E | PMCR_LP, PMCR_EL0);
	isb();
	gic_irqs_unmask();
	known_loop(LOOP_N);
	/* QEMU 7.2 notices the overflow when a counter is read, not when it happens. */
	(void)read_sysreg(PMEVCNTR2_EL0);
	gic_wait_count(&ovf_irqs, 1, 100000);
	gic_delay_us(1000);
	gic_irqs_mask();
	write_sysreg(0, PMCR_EL0);
	write_sysreg(4, PMINTENCLR_EL1);
	write_sysreg(4, PMCNTENCLR_EL0);
	isb();
	report(ovf_irqs == 1 && (ovf_flags & 4) && !(read_sysreg(PMOVSSET_EL0) & 4),
	       "counter overflow: PPI %u taken once (%u), PMOVSSET 0x%lx", PMU_PPI, ovf_irqs,
	       ovf_flags);
	gic_irq_disable(PMU_PPI);
}

int main(void)
{
	report_prefix("pmu");
	test_present();
	test_counting();
	test_el2_excluded();
	test_isolation();
	test_overflow();
	return 0;
}
