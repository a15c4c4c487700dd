// SPDX-License-Identifier: GPL-2.0-only
/*
 * The interference benchmark's guest (docs/benchmarks.md, scripts/bench_interference.py), run
 * without -icount so that the counter is the host's time. Bootarg role= picks what it does:
 *   role=measure  (VM 0) after "irqs=N" (1000) + 20 warm-up ones, each programmed "ahead=US"
 *                 (500) microseconds ahead while the vCPU waits in WFI, virtual-timer interrupts:
 *                 latency = CNTVCT_EL0 read first thing in the interrupt handler - CNTV_CVAL_EL0,
 *                 in counter ticks. Prints the samples (BENCH wsamp, 16 a line) and
 *                   BENCH wlat vtimer n=N freq=F min= p50= p99= max= mean=   (ticks)
 *                 then powers off.
 *   role=hammer   (VM 1) forever: a read of the PL011's FR (an MMIO exit) and an SGI to itself
 *                 (a trapped ICC_SGI1R_EL1 write, then the interrupt taken and ended), printing
 *                 "BENCH hammer ops=N sgis=S vct=T" every 2^12 rounds.
 */
#include "libguest.h"
#include "gic.h"

#define MAX_IRQS     4096
#define WARMUP	     20
#define SGI_HAMMER   7
#define PL011_FR     (GUEST_UART_BASE + 0x18)
#define HAMMER_PRINT (1UL << 12)

static u64 samples[MAX_IRQS];
static volatile u64 fired_at;
static volatile u64 sgis;

static u64 arg(const char *key, u64 dflt)
{
	char s[24];
	u64 n = 0;

	if (!bootarg_get(key, s, sizeof(s)))
		return dflt;
	for (const char *p = s; *p >= '0' && *p <= '9'; p++)
		n = n * 10 + (u64)(*p - '0');
	return n;
}

static void vtimer_irq(u32 intid)
{
	(void)intid;
	fired_at = read_sysreg(cntvct_el0);
	write_sysreg(0, cntv_ctl_el0); /* the line goes down before the EOI */
	isb();
}

static void sgi_irq(u32 intid)
{
	(void)intid;
	sgis++;
}

static void sort(u64 *a, u64 n)
{
	for (u64 i = 1; i < n; i++) {
		u64 v = a[i], j = i;

		for (; j && a[j - 1] > v; j--)
			a[j] = a[j - 1];
		a[j] = v;
	}
}

static void measure(void)
{
	u64 n = arg("irqs", 1000), ahead = gic_us_to_ticks(arg("ahead", 500)), sum = 0;

	if (n > MAX_IRQS)
		n = MAX_IRQS;
	gic_set_handler(GIC_PPI_VTIMER, vtimer_irq);
	gic_irq_enable(GIC_PPI_VTIMER);
	for (u64 i = 0; i < n + WARMUP; i++) {
		u64 cval = read_sysreg(cntvct_el0) + ahead;

		fired_at = 0;
		write_sysreg(cval, cntv_cval_el0);
		write_sysreg(1, cntv_ctl_el0);
		isb();
		while (!fired_at)
			asm volatile("wfi" ::: "memory");
		if (i >= WARMUP)
			samples[i - WARMUP] = fired_at - cval;
	}
	gic_irq_disable(GIC_PPI_VTIMER);
	for (u64 i = 0; i < n; i += 16) {
		printf("BENCH wsamp");
		for (u64 j = i; j < i + 16 && j < n; j++)
			printf(" %lu", samples[j]);
		printf("\n");
	}
	for (u64 i = 0; i < n; i++)
		sum += samples[i];
	sort(samples, n);
	printf("BENCH wlat vtimer n=%lu freq=%lu min=%lu p50=%lu p99=%lu max=%lu mean=%lu\n", n,
	       read_sysreg(cntfrq_el0), samples[0], samples[n / 2], samples[n * 99 / 100],
	       samples[n - 1], sum / n);
	report(n && samples[n - 1] < gic_us_to_ticks(1000000),
	       "%lu interrupts, the slowest %lu ticks", n, samples[n - 1]);
}

static void __noreturn hammer(void)
{
	u64 self = cpu_mpidr();

	gic_set_handler(SGI_HAMMER, sgi_irq);
	gic_irq_enable(SGI_HAMMER);
	for (u64 ops = 1;; ops++) {
		(void)gic_read32(PL011_FR);
		gic_send_sgi(self, SGI_HAMMER);
		if (!(ops % HAMMER_PRINT))
			printf("BENCH hammer ops=%lu sgis=%lu vct=%lu\n", ops, sgis,
			       read_sysreg(cntvct_el0));
	}
}

int main(void)
{
	char role[16] = "";

	report_prefix("interfere");
	bootarg_get("role", role, sizeof(role));
	if (!gic_dist_init() || !gic_cpu_init())
		report_abort("GICv3 set-up failed");
	gic_irqs_unmask();
	if (!strcmp(role, "hammer"))
		hammer();
	if (strcmp(role, "measure"))
		report_abort("role=measure or role=hammer");
	measure();
	return 0;
}
