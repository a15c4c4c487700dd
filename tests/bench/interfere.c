// SPDX-License-Identifier: GPL-2.0-only
/*
 * The interference benchmark's guest (docs/benchmarks.md, scripts/bench_interference.py), run
 * without -icount so that the counter is the host's time. Bootarg role= picks what it does:
 *   role=measure  (VM 0) after "irqs=N" (1000) + 20 warm-up ones, each programmed "ahead=US"
 *                 (500) microseconds ahead while the vCPU waits in WFI, virtual-timer interrupts:
 *                 latency = CNTVCT_EL0 read first thing in the interrupt handler - CNTV_CVAL_EL0,
 *                 in counter ticks. "gap=US" (0) spins between its look at the flag the
 *                 handler sets and the WFI, holding open the window the IRQ masking closes
 *                 (the test that the wait loses no wake-up). Prints the samples (BENCH wsamp,
 *                 16 a line) and
 *                   BENCH wlat vtimer n=N freq=F min= p50= p99= max= mean=   (ticks)
 *                 then powers off.
 *   role=hammer   (VM 1) forever, as fast as it can, one round of "hammer=KIND" (sgi) after
 *                 another, printing "BENCH hammer kind=KIND ops=N sgis=S vct=T" about every
 *                 HAMMER_PRINT_MS (each line is some 50 exits: MMIO writes to the PL011's DR).
 *                 The kinds tell apart what disturbs the other VM (docs/benchmarks.md):
 *                   sgi      a read of the PL011's FR (an MMIO exit) and an SGI to itself (a
 *                            trapped ICC_SGI1R_EL1 write, then the interrupt taken and ended)
 *                   mmio     only the FR read: a stage-2 exit that Tern handles in its vPL011
 *                            without touching a GIC register
 *                   hvc      an HVC Tern answers NOT_SUPPORTED in its vector fast path: an
 *                            exception to EL2 and back, next to no Tern code
 *                   svc      an SVC its own EL1 vector takes and returns from: an exception and
 *                            an ERET without leaving the VM (no Tern code at all)
 *                   gicreg   reads of ICC_RPR_EL1 and ICC_HPPIR1_EL1, which the guest reaches
 *                            as ICV_* registers without a trap (no Tern code at all)
 *                   compute  arithmetic only: the control
 */
#include "libguest.h"
#include "gic.h"

#define MAX_IRQS	4096
#define WARMUP		20
#define SGI_HAMMER	7
#define PL011_FR	(GUEST_UART_BASE + 0x18)
#define HAMMER_PRINT_MS 100
#define HAMMER_BATCH	256 /* rounds between two looks at the counter */
/* An SMCCC call of the OEM service (owner 3): Tern's vector fast path answers NOT_SUPPORTED. */
#define HAMMER_HVC_FID 0x83000000UL

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
	u64 gap = arg("gap", 0);

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
		/* IRQs masked from the look at fired_at to the WFI: the handler turns the timer
		 * off. */
		gic_irqs_mask();
		while (!fired_at) {
			if (gap)
				gic_delay_us(gap);
			gic_wfi_take();
		}
		gic_irqs_unmask();
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

static bool hammer_svc_hook(struct ex_regs *regs, u64 esr)
{
	(void)regs;
	/* The preferred return address of an SVC is the next instruction: nothing to skip. */
	return ESR_EC(esr) == ESR_EC_SVC64;
}

static void hammer_sgi(void)
{
	(void)gic_read32(PL011_FR);
	gic_send_sgi(cpu_mpidr(), SGI_HAMMER);
}

static void hammer_mmio(void)
{
	(void)gic_read32(PL011_FR);
}

static void hammer_hvc(void)
{
	register u64 x0 asm("x0") = HAMMER_HVC_FID;

	asm volatile("hvc #0" : "+r"(x0) : : "x1", "x2", "x3", "memory");
}

static void hammer_svc(void)
{
	asm volatile("svc #0" ::: "memory");
}

static void hammer_gicreg(void)
{
	u64 v;

	/* ICC_RPR_EL1, ICC_HPPIR1_EL1 (by encoding: any assembler takes it). */
	asm volatile("mrs %0, S3_0_C12_C11_3" : "=r"(v));
	asm volatile("mrs %0, S3_0_C12_C12_2" : "=r"(v));
}

static volatile u64 compute_sink;

static void hammer_compute(void)
{
	u64 x = compute_sink;

	for (unsigned int i = 0; i < 16; i++)
		x = x * 6364136223846793005UL + 1442695040888963407UL;
	compute_sink = x;
}

static const struct {
	const char *name;
	void (*round)(void);
} hammer_kinds[] = {
	{ "sgi", hammer_sgi }, { "mmio", hammer_mmio },	    { "hvc", hammer_hvc },
	{ "svc", hammer_svc }, { "gicreg", hammer_gicreg }, { "compute", hammer_compute },
};

static void __noreturn hammer(void)
{
	char kind[16] = "sgi";
	void (*round)(void) = NULL;
	u64 every = gic_us_to_ticks(HAMMER_PRINT_MS * 1000), next;

	bootarg_get("hammer", kind, sizeof(kind));
	for (unsigned int i = 0; i < sizeof(hammer_kinds) / sizeof(hammer_kinds[0]); i++) {
		if (!strcmp(kind, hammer_kinds[i].name))
			round = hammer_kinds[i].round;
	}
	if (!round)
		report_abort("hammer=%s: sgi, mmio, hvc, svc, gicreg or compute", kind);
	gic_set_handler(SGI_HAMMER, sgi_irq);
	gic_irq_enable(SGI_HAMMER);
	exception_set_sync_hook(hammer_svc_hook);
	next = read_sysreg(cntvct_el0) + every;
	for (u64 ops = HAMMER_BATCH;; ops += HAMMER_BATCH) {
		u64 now;

		for (unsigned int i = 0; i < HAMMER_BATCH; i++)
			round();
		now = read_sysreg(cntvct_el0);
		if (now >= next) {
			printf("BENCH hammer kind=%s ops=%lu sgis=%lu vct=%lu\n", kind, ops, sgis,
			       now);
			next = now + every;
		}
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
