// SPDX-License-Identifier: GPL-2.0-only
/*
 * SMP soak: every vCPU (up to 4, from the DTB /cpus) is busy for soak=SECONDS (bootarg, default
 * SOAK_DEFAULT_S) with a mix of integer compute checked twice, FP/SIMD register checks, its own
 * periodic virtual timer and SGIs to the other vCPUs (one in flight per ordered pair, so none may
 * merge). At the end: nobody hung or stalled, every SGI sent was taken exactly once by its target,
 * every timer kept firing, no compute or FP mismatch.
 */
#include "smp.h"

#define SOAK_DEFAULT_S 3
#define CTL_ENABLE     (1UL << 0)
#define CTL_ISTATUS    (1UL << 2)
#define WAIT_US	       2000000
#define STALL_US       2000000 /* longest allowed gap between two iterations of one vCPU */
#define FP_SLICE_US    200
#define COMPUTE_WORDS  256
#define SOAK_CTX       0x50a4000000000000UL

static unsigned int nr_cpus;

static struct {
	u64 end;
	volatile u32 finished;
	volatile u32 sent[SMP_MAX_CPUS][SMP_MAX_CPUS]; /* [sender][receiver] */
	volatile u32 recv[SMP_MAX_CPUS][SMP_MAX_CPUS]; /* [receiver][sender] */
	volatile u32 no_credit[SMP_MAX_CPUS];
	volatile u64 iters[SMP_MAX_CPUS], max_gap[SMP_MAX_CPUS];
	volatile u32 compute_bad[SMP_MAX_CPUS];
	volatile long fp_bad[SMP_MAX_CPUS];
	volatile u64 fp_rounds[SMP_MAX_CPUS];
	u64 period[SMP_MAX_CPUS];
	/* When each vCPU's timer was armed and disarmed: the ticks to expect follow from these. */
	u64 armed_at[SMP_MAX_CPUS], disarmed_at[SMP_MAX_CPUS];
	volatile u32 armed[SMP_MAX_CPUS], ticks[SMP_MAX_CPUS], wrong[SMP_MAX_CPUS];
	volatile u32 undrained[SMP_MAX_CPUS];
	u64 fp_pat[SMP_MAX_CPUS][SMP_FP_REGS][2];
} soak;

static u64 now(void)
{
	return gic_counter();
}

static void cpu_setup(unsigned int cpu)
{
	(void)cpu;
	for (u32 i = 0; i < SMP_MAX_CPUS; i++)
		gic_irq_enable(i);
	gic_irq_set_priority(GIC_PPI_VTIMER, 0x80);
}

static void sgi_handler(u32 intid)
{
	soak.recv[smp_this_cpu()][intid]++;
}

static void vtimer_handler(u32 intid)
{
	unsigned int me = smp_this_cpu();
	u64 ctl = read_sysreg(cntv_ctl_el0);

	(void)intid;
	if (!soak.armed[me] || (ctl & (CTL_ENABLE | CTL_ISTATUS)) != (CTL_ENABLE | CTL_ISTATUS)) {
		soak.wrong[me]++;
		return;
	}
	soak.ticks[me]++;
	write_sysreg(read_sysreg(cntv_cval_el0) + soak.period[me], cntv_cval_el0);
	isb();
}

/* A deterministic integer workload: the same seed must give the same sum twice. */
static u64 compute(u64 seed)
{
	static u64 buf[SMP_MAX_CPUS][COMPUTE_WORDS];
	u64 *b = buf[smp_this_cpu()], x = seed | 1, sum = 0;

	for (unsigned int i = 0; i < COMPUTE_WORDS; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		b[i] = x;
	}
	for (unsigned int i = 0; i < COMPUTE_WORDS; i++)
		sum = (sum << 5 | sum >> 59) ^ (b[i] * (i + 1)) ^ b[(i * 7) % COMPUTE_WORDS];
	return sum;
}

static void send_one(unsigned int cpu, u64 iter)
{
	unsigned int to = (cpu + 1 + iter % (nr_cpus - 1)) % nr_cpus;

	/* One SGI in flight per ordered pair: the next only once the last was taken. */
	if (soak.recv[to][cpu] != soak.sent[cpu][to]) {
		soak.no_credit[cpu]++;
		return;
	}
	soak.sent[cpu][to]++;
	gic_send_sgi(smp_mpidr[to], cpu);
}

static void soak_work(unsigned int cpu, void *arg)
{
	u64(*pat)[2] = soak.fp_pat[cpu], last, t, bad, rounds, end;
	u64 iter = 0;
	long res;

	(void)arg;
	for (unsigned int r = 0; r < SMP_FP_REGS; r++) {
		pat[r][0] = 0x1111111111111111UL * (cpu + 3) ^ (u64)r << 48;
		pat[r][1] = ~pat[r][0] ^ (u64)r << 16;
	}
	smp_fp_enable();
	soak.period[cpu] = gic_us_to_ticks(2000 + 1000 * cpu);
	soak.armed_at[cpu] = now();
	write_sysreg(soak.armed_at[cpu] + soak.period[cpu], cntv_cval_el0);
	soak.armed[cpu] = 1;
	write_sysreg(CTL_ENABLE, cntv_ctl_el0);
	gic_irq_enable(GIC_PPI_VTIMER);
	gic_irqs_unmask();

	last = now();
	while ((t = now()) < soak.end) {
		u64 seed = iter * 0x9e3779b97f4a7c15UL + cpu;

		if (t - last > soak.max_gap[cpu])
			soak.max_gap[cpu] = t - last;
		last = t;
		if (compute(seed) != compute(seed))
			soak.compute_bad[cpu]++;
		if (soak.fp_bad[cpu] < 0) {
			res = smp_fp_check((const u64(*)[2])pat, (u64)(cpu & 3) << 22, 0,
					   now() + gic_us_to_ticks(FP_SLICE_US), 4, iter & 1, &bad,
					   &rounds);
			soak.fp_rounds[cpu] += rounds;
			soak.fp_bad[cpu] = res;
		}
		send_one(cpu, iter);
		soak.iters[cpu] = ++iter;
	}
	write_sysreg(0, cntv_ctl_el0);
	soak.disarmed_at[cpu] = now();
	isb();
	soak.armed[cpu] = 0;
	gic_irq_disable(GIC_PPI_VTIMER);
	gic_irq_clear_pending(GIC_PPI_VTIMER);

	/* Drain: keep taking SGIs until every vCPU stopped sending and ours were all taken. */
	smp_atomic_add(&soak.finished, 1);
	smp_sev();
	end = now() + gic_us_to_ticks(WAIT_US);
	while (smp_load_acquire(&soak.finished) < nr_cpus && now() < end)
		smp_relax();
	for (unsigned int to = 0; to < nr_cpus; to++)
		while (soak.recv[to][cpu] != soak.sent[cpu][to] && now() < end)
			smp_relax();
	gic_delay_us(1000);
	gic_irqs_mask();
	for (unsigned int to = 0; to < nr_cpus; to++)
		if (soak.recv[to][cpu] != soak.sent[cpu][to])
			soak.undrained[cpu]++;
}

static void boot_all(void)
{
	u32 up = 1;

	for (unsigned int i = 1; i < nr_cpus; i++)
		if (smp_cpu_on(i, i & 1, SOAK_CTX | i) == PSCI_RET_SUCCESS &&
		    smp_wait_ready(i, 1, WAIT_US) && smp_cpus[i].boot.context_id == (SOAK_CTX | i))
			up |= 1U << i;
	report(up == smp_all_mask(), "all %u vCPUs started (up 0x%x)", nr_cpus, up);
}

int main(void)
{
	u64 secs, freq = read_sysreg(cntfrq_el0), total = 0, gap_max = 0;
	u32 left, bad_pairs = 0, ticks_bad = 0, wrong = 0, cbad = 0, stalled = 0, undrained = 0;
	bool fp_ok = true;

	report_prefix("soak");
	nr_cpus = smp_init();
	if (nr_cpus < 2)
		report_abort("a soak needs at least 2 vCPUs (%u)", nr_cpus);
	secs = smp_bootarg("soak", SOAK_DEFAULT_S);
	report_info("%u vCPUs, %lu s", nr_cpus, secs);
	if (!gic_dist_init() || !gic_cpu_init())
		report_abort("GICv3 set-up failed");
	for (u32 i = 0; i < SMP_MAX_CPUS; i++)
		gic_set_handler(i, sgi_handler);
	gic_set_handler(GIC_PPI_VTIMER, vtimer_handler);
	cpu_setup(0);
	smp_set_cpu_setup(cpu_setup);
	boot_all();

	for (unsigned int i = 0; i < SMP_MAX_CPUS; i++)
		soak.fp_bad[i] = -1;
	soak.end = now() + secs * freq;
	left = smp_run(smp_all_mask(), soak_work, NULL, (secs + 10) * 1000000);

	for (unsigned int i = 0; i < nr_cpus; i++) {
		/* The timer runs from arming to disarming, a little longer than the soak itself. */
		u64 want =
		    soak.period[i] ? (soak.disarmed_at[i] - soak.armed_at[i]) / soak.period[i] : 0;

		report_info(
		    "vCPU %u: %lu iterations, longest gap %lu us, %u timer ticks (want ~%lu), "
		    "%lu FP rounds, %u SGIs held back",
		    i, soak.iters[i], soak.max_gap[i] * 1000000 / freq, soak.ticks[i], want,
		    soak.fp_rounds[i], soak.no_credit[i]);
		if (!soak.iters[i] || soak.max_gap[i] > gic_us_to_ticks(STALL_US))
			stalled++;
		if (soak.max_gap[i] > gap_max)
			gap_max = soak.max_gap[i];
		if (soak.ticks[i] < want / 2 || soak.ticks[i] > want + 1)
			ticks_bad++;
		wrong += soak.wrong[i];
		cbad += soak.compute_bad[i];
		undrained += soak.undrained[i];
		if (soak.fp_bad[i] >= 0) {
			fp_ok = false;
			report_info("vCPU %u: FP register %ld changed", i, soak.fp_bad[i]);
		}
		for (unsigned int j = 0; j < nr_cpus; j++) {
			total += soak.sent[i][j];
			if (soak.sent[i][j] != soak.recv[j][i] || (i == j && soak.recv[i][i])) {
				bad_pairs++;
				report_info("vCPU %u -> %u: %u SGIs sent, %u taken", i, j,
					    soak.sent[i][j], soak.recv[j][i]);
			}
		}
	}
	report(!left && !stalled,
	       "every vCPU finished and made progress throughout (not finished 0x%x, %u stalled, "
	       "longest gap %lu us)",
	       left, stalled, gap_max * 1000000 / freq);
	report(!bad_pairs && !undrained && total,
	       "%lu SGIs: every one taken exactly once by its target (%u pairs off)", total,
	       bad_pairs);
	report(!ticks_bad && !wrong,
	       "every vCPU's timer fired throughout (%u vCPUs off), none on the wrong vCPU (%u)",
	       ticks_bad, wrong);
	report(!cbad && fp_ok, "no compute mismatch (%u), FP/SIMD registers kept", cbad);
	report(gic_unhandled_count() == 0, "no interrupt without a handler on vCPU 0 (%u)",
	       gic_unhandled_count());
	return 0;
}
