// SPDX-License-Identifier: GPL-2.0-only
/*
 * The bench guest: the hot paths of Tern measured in instructions from inside a VM (see
 * docs/benchmarks.md). Runs under Tern as VM 0's kernel (one vCPU) or directly on QEMU virt at
 * EL1, both under `-icount shift=0,sleep=off`, where one tick of CNTVCT_EL0 (62.5 MHz) is exactly
 * 16 instructions. scripts/bench.py runs it and turns its BENCH lines into the table.
 *
 * Bootargs (/chosen/bootargs), all optional:
 *   rows=a,b,...  which measurements (default: every one of a single vCPU): hvc smccc sysreg
 *                 sysreg_emul mmio mmio_more vtimer sgi; and, with a second vCPU in the DTB (only
 *                 when asked for): switch (SGI ping-pong, vCPU switches) sgisend (SGI sends to a
 *                 vCPU that has the SGI disabled); or (not with those two, vCPU 1 then runs
 *                 differently) rtirq (SGI round trips with the interrupts taken, both vCPUs
 *                 idling in WFI), wake (a spinning vCPU 0 wakes vCPU 1 asleep in WFI: latency to
 *                 its handler), rtwall (rtirq in samples of n round trips, for wall-time runs
 *                 without icount)
 *   samples=N     samples of the rtwall row (default 20)
 *   wake=N        samples of the wake row (default 40)
 *   n=N           iterations of each loop (default 10000)
 *   irqs=N        interrupts per latency measurement (default 1000; 0: only the 4 warm-up ones,
 *                 a baseline for counting exits)
 *   fid=0x...     the function ID of the null hypercall (default BENCH_NULL_FID)
 *   sleep=MS      first sleep MS ms of virtual time in WFI (vtimer), so that the other VMs of
 *                 a multi-VM run have booted and gone to sleep before any row; with no row
 *                 (rows=idle) the VM does only that, a sleeping neighbour of the growth rows
 *   parked=N      with the two-vCPU rows: also start vCPUs 2..N+1 (the DTB may list up to
 *                 BENCH_MAX_CPUS), each asleep in WFI for good with a timer armed an hour
 *                 ahead (bench_park), before measuring
 *
 * Output, one line per measurement (the harness parses these):
 *   BENCH loop <name> n=<n> ticks=<t> base=<b>    (t - b) * 16 / n instructions per operation
 *   BENCH lat <name> n=<n> sum=<s> min=<a> max=<b> instructions from the event to the handler
 *   BENCH samples <name> n=<n> ticks=<t1>,<t2>,...  counter ticks of each sample of n operations
 * plus the usual PASS/FAIL lines of the sanity checks and SUMMARY before SYSTEM_OFF.
 */
#include "smp.h"

#define BENCH_NULL_FID	0x8600ff01U /* vendor hypervisor range, unused: NOT_SUPPORTED */
#define DEFAULT_N	10000
#define DEFAULT_IRQS	1000
#define TIMER_AHEAD	64 /* ticks (1024 instructions) between programming and deadline */
#define SGI_BENCH	3
#define PRIO_BENCH	0x80
#define NR_EDGE_READS	17
#define PL011_FR	(GUEST_UART_BASE + 0x18)
#define GICD_IIDR_ADDR	(GICD_BASE + GICD_IIDR)
#define GICD_TYPER_ADDR (GICD_BASE + GICD_TYPER)
#define GICR_TYPER_ADDR (GICR_BASE + GICR_TYPER)
#define ENABLER_SPI                                                                                \
	33 /* the PL011's SPI (its interrupt sources stay masked): the ISENABLER row's bit */
#define ROWS_ALL	"hvc,smccc,sysreg,sysreg_emul,mmio,mmio_more,vtimer,sgi"
#define SGI_PING	5 /* the ping-pong SGI, enabled on both vCPUs */
#define SGI_SEND	6 /* the SGI-send row's SGI, disabled on vCPU 1 */
#define PONG_WAIT_US	1000000
#define SGI_RT		7 /* the rtirq/wake/rtwall SGI, taken as an interrupt */
#define DEFAULT_SAMPLES 20
#define DEFAULT_WAKE	40
#define WAKE_WARMUP	4
#define MAX_SAMPLES	64
#define BENCH_MAX_CPUS	8	     /* parked=: vCPUs 2.. need no smp.c slot (bench_park) */
#define PARK_AHEAD_US	3600000000UL /* the parked vCPUs' timers: an hour, never reached */
#define PARK_SETTLE_MS	10	     /* vCPU 0 sleeps this long so that the parked ones reach WFI */

typedef u64 bench_loop_fn(u64 n, u64 arg, u64 val);
bench_loop_fn bench_loop_nop, bench_loop_hvc, bench_loop_sysreg, bench_loop_mmio32;
bench_loop_fn bench_loop_cntp_ctl_read, bench_loop_cntp_ctl_write, bench_loop_oslsr,
    bench_loop_aidr;
bench_loop_fn bench_loop_mmio64, bench_loop_mmio32_post, bench_loop_mmio_store8,
    bench_loop_mmio_store32, bench_loop_nop2, bench_loop_enable_pair;
void bench_wait_irq(void);
void bench_sgi_fire(u64 sgi1r, u64 reads[NR_EDGE_READS]);
bench_loop_fn bench_loop_sgisend, bench_loop_pingpong, bench_loop_pingirq;
void bench_pong(u64 sgi1r, volatile u64 *count);
void bench_idle_irq(void) __attribute__((noreturn));
void bench_park(u64 ticks) __attribute__((noreturn));
extern char bench_rt_vectors[];

/* Per vCPU, for bench_rt_vectors' handler (TPIDR_EL1 points at it): see bench_asm.S. */
struct bench_rt {
	volatile u64 count;
	volatile u64 stamp;
	volatile u64 reply_sgi1r;
};
_Static_assert(__builtin_offsetof(struct bench_rt, reply_sgi1r) == 16, "bench_asm.S layout");
static struct bench_rt bench_rt[2];
extern char bench_vectors[], bench_sgi_reads[], bench_sgi_msr[];

struct bench_irq_rec {
	u64 reads[NR_EDGE_READS];
	u64 intid;
	u64 count;
};
_Static_assert(__builtin_offsetof(struct bench_irq_rec, intid) == 136, "bench_asm.S layout");
_Static_assert(__builtin_offsetof(struct bench_irq_rec, count) == 144, "bench_asm.S layout");
struct bench_irq_rec bench_irq_rec;

static char bootargs[256];
static u64 opt_n = DEFAULT_N, opt_irqs = DEFAULT_IRQS, opt_fid = BENCH_NULL_FID;
static u64 opt_samples = DEFAULT_SAMPLES, opt_wake = DEFAULT_WAKE;
static u64 opt_sleep_ms, opt_parked;
/* Every vCPU of the DTB (smp.c keeps only the first SMP_MAX_CPUS). */
static u64 bench_mpidr[BENCH_MAX_CPUS];
static unsigned int bench_nr_cpus;
static const char *opt_rows = ROWS_ALL;

/* --- bootargs ------------------------------------------------------------------------------ */

struct dt_scan {
	bool in_chosen, in_cpus, in_cpu;
};

static void chosen_begin(void *ctx, int depth, const char *name)
{
	struct dt_scan *d = ctx;

	if (depth == 1) {
		d->in_chosen = !strcmp(name, "chosen");
		d->in_cpus = !strcmp(name, "cpus");
	}
	if (depth == 2)
		d->in_cpu = d->in_cpus && !strncmp(name, "cpu@", 4);
}

/* /chosen/bootargs and the /cpus/cpu@N reg values (Tern's and QEMU's: #address-cells 1 or 2). */
static void chosen_prop(void *ctx, int depth, const char *name, const void *val, u32 len)
{
	struct dt_scan *d = ctx;

	if (d->in_chosen && depth == 1 && !strcmp(name, "bootargs") && len &&
	    len <= sizeof(bootargs))
		memcpy(bootargs, val, len);
	if (d->in_cpu && depth == 2 && !strcmp(name, "reg") && (len == 4 || len == 8) &&
	    bench_nr_cpus < BENCH_MAX_CPUS)
		bench_mpidr[bench_nr_cpus++] = fdt_cells(val, len / 4) & 0xff00ffffffUL;
}

static u64 parse_num(const char *s, const char **end)
{
	u64 v = 0, base = 10;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	for (;; s++) {
		u64 d;

		if (*s >= '0' && *s <= '9')
			d = (u64)(*s - '0');
		else if (base == 16 && *s >= 'a' && *s <= 'f')
			d = (u64)(*s - 'a' + 10);
		else if (base == 16 && *s >= 'A' && *s <= 'F')
			d = (u64)(*s - 'A' + 10);
		else
			break;
		v = v * base + d;
	}
	*end = s;
	return v;
}

static void parse_bootargs(void)
{
	struct dt_scan scan = { 0 };
	struct fdt_walker w = { .begin_node = chosen_begin, .prop = chosen_prop, .ctx = &scan };
	char *s = bootargs;
	const char *end;

	if (guest_boot_dtb && fdt_totalsize((const void *)guest_boot_dtb))
		fdt_walk((const void *)guest_boot_dtb, &w);
	bootargs[sizeof(bootargs) - 1] = 0;
	report_info("bootargs: \"%s\"", bootargs);
	while (*s) {
		char *tok = s;

		while (*s && *s != ' ')
			s++;
		if (*s)
			*s++ = 0;
		if (!strncmp(tok, "n=", 2))
			opt_n = parse_num(tok + 2, &end);
		else if (!strncmp(tok, "irqs=", 5))
			opt_irqs = parse_num(tok + 5, &end);
		else if (!strncmp(tok, "samples=", 8))
			opt_samples = parse_num(tok + 8, &end);
		else if (!strncmp(tok, "wake=", 5))
			opt_wake = parse_num(tok + 5, &end);
		else if (!strncmp(tok, "sleep=", 6))
			opt_sleep_ms = parse_num(tok + 6, &end);
		else if (!strncmp(tok, "parked=", 7))
			opt_parked = parse_num(tok + 7, &end);
		else if (!strncmp(tok, "fid=", 4))
			opt_fid = parse_num(tok + 4, &end);
		else if (!strncmp(tok, "rows=", 5))
			opt_rows = tok + 5;
	}
	if (!opt_n)
		opt_n = 1;
}

/* Is @row in the comma-separated opt_rows? */
static bool row_wanted(const char *row)
{
	size_t len = strlen(row);

	for (const char *p = opt_rows; *p;) {
		if (!strncmp(p, row, len) && (p[len] == ',' || p[len] == 0))
			return true;
		while (*p && *p != ',')
			p++;
		if (*p)
			p++;
	}
	return false;
}

/* --- loops --------------------------------------------------------------------------------- */

static void loop_row_val(const char *name, bench_loop_fn *loop, u64 arg, u64 val)
{
	/* Warm-up (QEMU translates the loop once), then the operation and the nop baseline. */
	loop(16, arg, val);
	bench_loop_nop(16, arg, val);
	u64 ticks = loop(opt_n, arg, val);
	u64 base = bench_loop_nop(opt_n, arg, val);

	/* After the DR row's NUL characters: its line begins with them, the BENCH line after. */
	printf("\nBENCH loop %s n=%lu ticks=%lu base=%lu\n", name, opt_n, ticks, base);
	report(ticks > base, "%s: %lu ticks for %lu operations, nop loop %lu", name, ticks, opt_n,
	       base);
}

static void loop_row(const char *name, bench_loop_fn *loop, u64 arg)
{
	loop_row_val(name, loop, arg, 0);
}

static void bench_hvc(void)
{
	s64 r = smccc_call((u32)opt_fid, 0, 0, 0);

	report(r == PSCI_RET_NOT_SUPPORTED, "hvc: function 0x%lx answers NOT_SUPPORTED (%ld)",
	       opt_fid, r);
	loop_row("hvc", bench_loop_hvc, opt_fid);
}

/*
 * Calls Tern answers in C: x0 = x1 = the function ID in the loop, so SMCCC_ARCH_FEATURES asks
 * about itself (SUCCESS). Each answer is checked once here; tests/guests/psci.c checks them all.
 */
static void bench_smccc(void)
{
	s64 v = smccc_call(PSCI_VERSION, 0, 0, 0);
	s64 f = smccc_call(SMCCC_ARCH_FEATURES, SMCCC_ARCH_FEATURES, 0, 0);

	report(v == 0x10001, "smccc: PSCI_VERSION answers 1.1 (0x%lx)", v);
	report(f == 0, "smccc: SMCCC_ARCH_FEATURES(itself) answers SUCCESS (%ld)", f);
	loop_row("psci_version", bench_loop_hvc, PSCI_VERSION);
	loop_row("smccc_arch_features", bench_loop_hvc, SMCCC_ARCH_FEATURES);
}

/* Trapped registers with a handler in C; the physical timer stays disabled (written 0). */
static void bench_sysreg_emul(void)
{
	write_sysreg(0, cntp_ctl_el0);
	report(!(read_sysreg(cntp_ctl_el0) & 1), "sysreg_emul: CNTP_CTL_EL0 disabled");
	loop_row("sysreg_cntp_ctl_read", bench_loop_cntp_ctl_read, 0);
	loop_row("sysreg_cntp_ctl_write", bench_loop_cntp_ctl_write, 0);
	loop_row("sysreg_oslsr", bench_loop_oslsr, 0);
	loop_row("sysreg_aidr", bench_loop_aidr, 0);
}

/*
 * Linux's mask and unmask of an SPI (irq_chip mask/unmask: GICD_ICENABLER, then GICD_ISENABLER
 * of the same bit), each write changing the state: the PL011's SPI, whose sources stay masked
 * (never pending), disabled and enabled again and again. n writes in n/2 pairs, against n/2
 * iterations of two NOPs: per write, as the other rows. The SPI's state is checked after the
 * loop (enabled) and after one more ICENABLER write (disabled).
 */
static void bench_enable_pair(void)
{
	u32 enabler = ENABLER_SPI / 32, bit = 1U << (ENABLER_SPI % 32);
	u64 reg = GICD_BASE + GICD_ISENABLER(enabler), pairs = opt_n / 2, ticks, base;

	bench_loop_enable_pair(16, reg, bit);
	bench_loop_nop2(16, reg, bit);
	ticks = bench_loop_enable_pair(pairs, reg, bit);
	base = bench_loop_nop2(pairs, reg, bit);
	printf("\nBENCH loop mmio_gicd_enable_pair n=%lu ticks=%lu base=%lu\n", pairs * 2, ticks,
	       base);
	report(ticks > base, "mmio_gicd_enable_pair: %lu ticks for %lu writes, nop loop %lu", ticks,
	       pairs * 2, base);
	report(gic_read32(reg) & bit, "mmio_more: SPI %u enabled after the enable pairs",
	       ENABLER_SPI);
	gic_write32(GICD_BASE + GICD_ICENABLER(enabler), bit);
	report(!(gic_read32(reg) & bit), "mmio_more: SPI %u disabled by ICENABLER", ENABLER_SPI);
}

/*
 * More MMIO forms: GICR_TYPER (64-bit), GICD_TYPER, a post-indexed FR load (ISV = 0), one-byte
 * DR writes (NUL characters) and an ISENABLER write that enables one
 * SPI (the PL011's, whose sources stay masked) again and again, disabled afterwards; then the
 * enable pairs (bench_enable_pair()).
 */
static void bench_mmio_more(void)
{
	u32 enabler = ENABLER_SPI / 32, bit = 1U << (ENABLER_SPI % 32);

	loop_row("mmio_gicr_typer", bench_loop_mmio64, GICR_TYPER_ADDR);
	loop_row("mmio_gicd_typer", bench_loop_mmio32, GICD_TYPER_ADDR);
	loop_row("mmio_pl011_fr_post", bench_loop_mmio32_post, PL011_FR);
	loop_row_val("mmio_pl011_dr_write", bench_loop_mmio_store8, GUEST_UART_BASE, 0);
	loop_row_val("mmio_gicd_isenabler_write", bench_loop_mmio_store32,
		     GICD_BASE + GICD_ISENABLER(enabler), bit);
	report(gic_read32(GICD_BASE + GICD_ISENABLER(enabler)) & bit,
	       "mmio_more: SPI %u enabled by the ISENABLER writes", ENABLER_SPI);
	gic_write32(GICD_BASE + GICD_ICENABLER(enabler), bit);
	bench_enable_pair();
}

/* --- sleeping ------------------------------------------------------------------------------ */

static void bench_gic_init(void)
{
	static bool done;

	if (!done && (!gic_dist_init() || !gic_cpu_init()))
		report_abort("GICv3 set-up failed");
	done = true;
}

/*
 * Sleep @ms of virtual time in WFI with IRQs masked: the virtual timer's PPI, enabled, ends
 * WFI when it fires (Tern keeps no vCPU asleep with a deliverable interrupt); acknowledged and
 * ended afterwards so that the hardware-linked vtimer is deactivated.
 */
static void bench_sleep_ms(u64 ms)
{
	u64 end;
	u32 intid;

	if (!ms)
		return;
	bench_gic_init();
	gic_irq_set_priority(GIC_PPI_VTIMER, PRIO_BENCH);
	gic_irq_enable(GIC_PPI_VTIMER);
	end = gic_counter() + gic_us_to_ticks(ms * 1000);
	write_sysreg(end, cntv_cval_el0);
	write_sysreg(1, cntv_ctl_el0);
	isb();
	while (gic_counter() < end)
		asm volatile("wfi" ::: "memory");
	write_sysreg(0, cntv_ctl_el0);
	isb();
	intid = gic_ack();
	if (intid < 1020)
		gic_eoi(intid);
	gic_irq_disable(GIC_PPI_VTIMER);
	report(intid == GIC_PPI_VTIMER, "sleep: %lu ms in WFI, woken by the vtimer (INTID %u)", ms,
	       intid);
}

/* --- interrupt latency --------------------------------------------------------------------- */

/* The instruction time (in instructions, + a constant) of the first of 17 consecutive reads. */
static bool edge_time(const u64 r[NR_EDGE_READS], u64 *t)
{
	for (unsigned int j = 1; j < NR_EDGE_READS; j++) {
		if (r[j] != r[j - 1]) {
			if (r[j] != r[j - 1] + 1)
				return false;
			*t = 16 * r[j] - j;
			return true;
		}
	}
	return false;
}

struct lat {
	u64 n, sum, min, max;
	unsigned int bad;
};

static void lat_add(struct lat *l, bool ok, s64 v)
{
	if (!ok || v < 0) {
		if (l->bad++ < 3)
			report_info("sample %lu: bad (ok %d, %ld)", l->n, ok, v);
		return;
	}
	l->n++;
	l->sum += (u64)v;
	if (l->n == 1 || (u64)v < l->min)
		l->min = (u64)v;
	if ((u64)v > l->max)
		l->max = (u64)v;
}

static void lat_report(const char *name, const struct lat *l, u64 want)
{
	printf("BENCH lat %s n=%lu sum=%lu min=%lu max=%lu\n", name, l->n, l->sum, l->min, l->max);
	report(l->n == want && !l->bad && (!want || l->sum > 0),
	       "%s: %lu of %lu samples valid, latency %lu..%lu instructions", name, l->n, want,
	       l->min, l->max);
}

static void bench_vtimer(void)
{
	struct lat l = { 0 };

	gic_irq_set_priority(GIC_PPI_VTIMER, PRIO_BENCH);
	gic_irq_enable(GIC_PPI_VTIMER);
	for (u64 i = 0; i < opt_irqs + 4; i++) {
		u64 cval, t, count = bench_irq_rec.count;
		bool ok;

		write_sysreg(0, cntv_ctl_el0);
		isb();
		cval = read_sysreg(cntvct_el0) + TIMER_AHEAD;
		write_sysreg(cval, cntv_cval_el0);
		write_sysreg(1, cntv_ctl_el0);
		isb();
		bench_wait_irq();
		ok = bench_irq_rec.count == count + 1 && bench_irq_rec.intid == GIC_PPI_VTIMER &&
		     edge_time(bench_irq_rec.reads, &t);
		if (i >= 4) /* the first few warm QEMU's translation cache up */
			lat_add(&l, ok, (s64)(t - 16 * cval));
	}
	write_sysreg(0, cntv_ctl_el0);
	gic_irq_disable(GIC_PPI_VTIMER);
	lat_report("vtimer", &l, opt_irqs);
}

/* ICC_SGI1R_EL1 value: SGI @intid to the one vCPU with @mpidr. */
static u64 sgi1r_to(u64 mpidr, u32 intid)
{
	u64 aff0 = mpidr & 0xff;

	return (mpidr >> 32 & 0xff) << ICC_SGI1R_AFF3_SHIFT |
	       (mpidr >> 16 & 0xff) << ICC_SGI1R_AFF2_SHIFT |
	       (mpidr >> 8 & 0xff) << ICC_SGI1R_AFF1_SHIFT | (aff0 >> 4) << ICC_SGI1R_RS_SHIFT |
	       (u64)intid << ICC_SGI1R_INTID_SHIFT | 1UL << (aff0 & 0xf);
}

static void bench_sgi(void)
{
	struct lat l = { 0 };
	u64 reads[NR_EDGE_READS];
	u64 sgi1r = sgi1r_to(cpu_mpidr(), SGI_BENCH);
	u64 write_at = (u64)(bench_sgi_msr - bench_sgi_reads) / 4;

	gic_irq_set_priority(SGI_BENCH, PRIO_BENCH);
	gic_irq_enable(SGI_BENCH);
	for (u64 i = 0; i < opt_irqs + 4; i++) {
		u64 t0, t1, count = bench_irq_rec.count;
		bool ok;

		bench_sgi_fire(sgi1r, reads);
		ok = bench_irq_rec.count == count + 1 && bench_irq_rec.intid == SGI_BENCH &&
		     edge_time(reads, &t0) && edge_time(bench_irq_rec.reads, &t1);
		if (i >= 4)
			lat_add(&l, ok, (s64)(t1 - (t0 + write_at)));
	}
	gic_irq_disable(SGI_BENCH);
	lat_report("sgi", &l, opt_irqs);
}

/* --- two vCPUs on one pCPU ----------------------------------------------------------------- */

static volatile u32 pong_ready;
static volatile u64 pong_count;
static u64 pong_rd_base;

/* vCPU 1: GIC set-up, SGI_PING enabled (SGI_SEND stays disabled), then answer forever. */
static void bench_secondary(unsigned int cpu, u64 context_id)
{
	(void)context_id;
	if (!gic_cpu_init())
		report_abort("vCPU %u: GICv3 set-up failed", cpu);
	gic_irq_set_priority(SGI_PING, PRIO_BENCH);
	gic_irq_enable(SGI_PING);
	pong_rd_base = gic_this_cpu()->rd_base;
	smp_store_release(&pong_ready, 1);
	smp_sev();
	bench_pong(sgi1r_to(smp_mpidr[0], SGI_PING), &pong_count);
}

/* vCPU 1 for rtirq/wake/rtwall: SGI_RT taken as an interrupt, answered as bench_rt[1] says. */
static void bench_secondary_irq(unsigned int cpu, u64 context_id)
{
	(void)context_id;
	if (!gic_cpu_init())
		report_abort("vCPU %u: GICv3 set-up failed", cpu);
	gic_irq_set_priority(SGI_RT, PRIO_BENCH);
	gic_irq_enable(SGI_RT);
	write_sysreg(&bench_rt[1], tpidr_el1);
	write_sysreg(bench_rt_vectors, vbar_el1);
	isb();
	smp_store_release(&pong_ready, 1);
	smp_sev();
	bench_idle_irq();
}

static bool irq_rows_wanted(void)
{
	return row_wanted("rtirq") || row_wanted("wake") || row_wanted("rtwall");
}

/* rtirq: instructions per round trip, both vCPUs taking the SGI as an interrupt. */
static void bench_rtirq(void)
{
	u64 count = bench_rt[1].count;

	bench_rt[1].reply_sgi1r = sgi1r_to(smp_mpidr[0], SGI_RT);
	loop_row("pingirq", bench_loop_pingirq, sgi1r_to(smp_mpidr[1], SGI_RT));
	report(bench_rt[1].count - count == opt_n + 16 && !gic_unhandled_count(),
	       "rtirq: vCPU 1 took %lu SGIs as interrupts, %lu round trips",
	       bench_rt[1].count - count, opt_n + 16);
}

/* rtwall: the same in samples of n round trips; their spread is the noise (no icount). */
static void bench_rtwall(void)
{
	u64 n = opt_samples > MAX_SAMPLES ? MAX_SAMPLES : opt_samples;
	u64 sgi1r = sgi1r_to(smp_mpidr[1], SGI_RT);

	bench_rt[1].reply_sgi1r = sgi1r_to(smp_mpidr[0], SGI_RT);
	bench_loop_pingirq(16, sgi1r, 0);
	printf("BENCH samples rtwall n=%lu ticks=", opt_n);
	for (u64 i = 0; i < n; i++)
		printf("%s%lu", i ? "," : "", bench_loop_pingirq(opt_n, sgi1r, 0));
	printf("\n");
	report(n > 0, "rtwall: %lu samples of %lu round trips", n, opt_n);
}

/*
 * wake: vCPU 0 spins (never WFI) and sends SGI_RT to vCPU 1, asleep in WFI, then spins until its
 * handler has run: instructions from the send to vCPU 1's handler (its counter stamp). On a
 * shared pCPU vCPU 0 has just been loaded again each time (vCPU 1 went back to sleep): without
 * wake-up preemption vCPU 1 would wait for vCPU 0's whole slice.
 */
static void bench_wake(void)
{
	u64 sgi1r = sgi1r_to(smp_mpidr[1], SGI_RT);
	struct lat l = { 0 };

	bench_rt[1].reply_sgi1r = 0;
	for (u64 i = 0; i < opt_wake + WAKE_WARMUP; i++) {
		u64 count = bench_rt[1].count, t0, end;

		isb();
		t0 = read_sysreg(cntvct_el0);
		write_sysreg(sgi1r, icc_sgi1r_el1);
		isb();
		end = t0 + gic_us_to_ticks(PONG_WAIT_US);
		while (bench_rt[1].count == count && read_sysreg(cntvct_el0) < end)
			;
		if (i >= WAKE_WARMUP)
			lat_add(&l, bench_rt[1].count == count + 1,
				(s64)(16 * (bench_rt[1].stamp - t0)));
	}
	lat_report("wake", &l, opt_wake);
}

/* parked=N: vCPUs 2..N+1 asleep for good, so that every switch has N more sleepers to pass. */
static void bench_park_cpus(void)
{
	unsigned int started = 0;

	if (!opt_parked)
		return;
	if (opt_parked + 2 > bench_nr_cpus) {
		report(false, "parked=%lu: the DTB has %u vCPUs", opt_parked, bench_nr_cpus);
		return;
	}
	for (unsigned int i = 2; i < opt_parked + 2; i++)
		started +=
		    !psci_cpu_on(bench_mpidr[i], (u64)bench_park, gic_us_to_ticks(PARK_AHEAD_US));
	/* One pCPU: they run (and go to sleep) while vCPU 0 sleeps. */
	bench_sleep_ms(PARK_SETTLE_MS);
	for (unsigned int i = 2; i < opt_parked + 2; i++)
		started -= psci_affinity_info(bench_mpidr[i], 0) != 0;
	printf("BENCH parked n=%u\n", started);
	report(started == opt_parked, "parked: %u of %lu vCPUs on and asleep", started, opt_parked);
}

static void bench_smp(void)
{
	u64 start, pongs;
	s64 rc;

	/* More vCPUs than smp.c's slots: the others can only be parked (bench_park_cpus). */
	if (smp_init_first() < 2) {
		report(false, "switch/sgisend/rtirq/wake/rtwall: need 2 vCPUs, the DTB has %u",
		       smp_nr_cpus);
		return;
	}
	if (irq_rows_wanted() && (row_wanted("switch") || row_wanted("sgisend"))) {
		report(false, "rtirq/wake/rtwall cannot run with switch/sgisend (vCPU 1 differs)");
		return;
	}
	gic_irq_set_priority(SGI_PING, PRIO_BENCH);
	gic_irq_enable(SGI_PING);
	gic_irq_set_priority(SGI_RT, PRIO_BENCH);
	gic_irq_enable(SGI_RT);
	write_sysreg(&bench_rt[0], tpidr_el1);
	smp_set_secondary_fn(irq_rows_wanted() ? bench_secondary_irq : bench_secondary);
	rc = smp_cpu_on(1, false, 0);
	start = gic_counter();
	/* WFE yields the pCPU to vCPU 1 until it is ready. */
	while (!smp_load_acquire(&pong_ready) &&
	       gic_counter() - start < gic_us_to_ticks(PONG_WAIT_US))
		smp_relax();
	if (rc || !pong_ready) {
		report(false, "vCPU 1: CPU_ON %ld, ready %u", rc, pong_ready);
		return;
	}
	bench_park_cpus();
	if (irq_rows_wanted()) {
		write_sysreg(bench_rt_vectors, vbar_el1);
		isb();
		if (row_wanted("rtirq"))
			bench_rtirq();
		if (row_wanted("wake"))
			bench_wake();
		if (row_wanted("rtwall"))
			bench_rtwall();
		write_sysreg(bench_vectors, vbar_el1);
		isb();
		return;
	}
	if (row_wanted("switch")) {
		pongs = pong_count;
		loop_row("pingpong", bench_loop_pingpong, sgi1r_to(smp_mpidr[1], SGI_PING));
		pongs = pong_count - pongs;
		/* loop_row's warm-up is 16 round trips. */
		report(pongs == opt_n + 16, "pingpong: vCPU 1 answered %lu SGIs, %lu round trips",
		       pongs, opt_n + 16);
	}
	if (row_wanted("sgisend")) {
		u64 ispendr = pong_rd_base + GICR_SGI_OFFSET + GICR_ISPENDR0;

		gic_write32(pong_rd_base + GICR_SGI_OFFSET + GICR_ICPENDR0, 1U << SGI_SEND);
		report(!(gic_read32(ispendr) & 1U << SGI_SEND) &&
			   !(gic_read32(pong_rd_base + GICR_SGI_OFFSET + GICR_ISENABLER0) &
			     1U << SGI_SEND),
		       "sgisend: SGI %u disabled and not pending on vCPU 1", SGI_SEND);
		pongs = pong_count;
		loop_row("sgi_send", bench_loop_sgisend, sgi1r_to(smp_mpidr[1], SGI_SEND));
		report(gic_read32(ispendr) & 1U << SGI_SEND,
		       "sgisend: SGI %u pending on vCPU 1 after the sends", SGI_SEND);
		report(pong_count == pongs, "sgisend: vCPU 1 took no interrupt (%lu)",
		       pong_count - pongs);
	}
}

int main(void)
{
	report_prefix("bench");
	parse_bootargs();
	report_info("rows=%s n=%lu irqs=%lu, CNTFRQ_EL0 %lu Hz, CurrentEL %lu", opt_rows, opt_n,
		    opt_irqs, read_sysreg(cntfrq_el0), read_sysreg(currentel) >> 2);
	bench_sleep_ms(opt_sleep_ms);
	if (row_wanted("hvc"))
		bench_hvc();
	if (row_wanted("smccc"))
		bench_smccc();
	if (row_wanted("sysreg"))
		loop_row("sysreg", bench_loop_sysreg, 0);
	if (row_wanted("sysreg_emul"))
		bench_sysreg_emul();
	if (row_wanted("mmio")) {
		loop_row("mmio_pl011_fr", bench_loop_mmio32, PL011_FR);
		loop_row("mmio_gicd_iidr", bench_loop_mmio32, GICD_IIDR_ADDR);
	}
	if (row_wanted("mmio_more"))
		bench_mmio_more();
	if (row_wanted("vtimer") || row_wanted("sgi") || row_wanted("switch") ||
	    row_wanted("sgisend") || irq_rows_wanted()) {
		bench_gic_init();
		write_sysreg(bench_vectors, vbar_el1);
		isb();
		if (row_wanted("vtimer"))
			bench_vtimer();
		if (row_wanted("sgi"))
			bench_sgi();
		report(gic_unhandled_count() == 0, "no interrupt went to the library's handler");
	}
	if (row_wanted("switch") || row_wanted("sgisend") || irq_rows_wanted())
		bench_smp();
	printf("BENCH irqs handled=%lu\n", bench_irq_rec.count);
	return 0;
}
