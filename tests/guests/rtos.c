// SPDX-License-Identifier: GPL-2.0-only
/*
 * An RTOS-like guest: the boot of a Zephyr-style RTOS built for QEMU virt (-M virt,gic-version=3
 * -cpu max; the GIC=2 build for gic-version=2), which carries its own device description and
 * uses none from the hypervisor. It runs as Tern's RTOS guest type and unchanged on plain QEMU
 * (tests/integration/test_guest_types.py runs both and compares; test_guests_gicv2.py runs the
 * GICv2 build on the GICv2 boards). In boot order:
 *  - an ELF entered at 0x40200000, not the base of RAM (lib/rtos.lds), x0 ignored (read: 0), with
 *    a segment in the last 2 MiB of 128 MiB that must still hold what the ELF put there;
 *  - decides whether EL1 is the highest exception level from ID_AA64PFR0_EL1.EL2/EL3 and, only
 *    then, writes CNTFRQ_EL0 (UNDEFINED at EL1 when EL2 or EL3 exists);
 *  - invalidates the data caches by set/way (DC ISW over every set and way to the LoC), then
 *    turns its MMU and caches on, and cleans and invalidates them by set/way (DC CISW) before
 *    starting a secondary;
 *  - finds its CPU interface from its Aff0 alone (GICv3: the redistributor at 0x080A0000 + Aff0 x
 *    128 KiB, without scanning GICR_TYPERs; GICv2: the banked one), gic_cpu_init_by_aff0();
 *  - takes the PL011's interrupt on SPI 1 (INTID 33);
 *  - starts vCPU 1 with PSCI 0.2 CPU_ON (64-bit) over HVC, which enters with its caches off and
 *    turns them on; on one vCPU, CPU_ON says there is no vCPU 1;
 *  - on every CPU, a 100 Hz virtual-timer tick (INTID 27) for 2 s, checking it: no tick before
 *    its deadline, all 200 ticks, bounded lateness.
 * Prints "RTOS setway N" (the set/way operations it made, for Tern's exit counters) and
 * "RTOS tick cpuN ..." lines (the tick figures).
 */
#include "gic.h"
#include "libguest.h"

#define RTOS_RAM_MB	      128UL
#define RTOS_RAM_TOP_BLOCK    (GUEST_RAM_BASE + (RTOS_RAM_MB << 20) - (2UL << 20))
#define RTOS_TICK_HZ	      100
#define RTOS_TICKS	      200 /* 2 s */
#define RTOS_TICK_LIMIT_S     20  /* give up waiting for the ticks after this much counter time */
#define RTOS_LATE_MAX_US      500000
#define RTOS_LATE_MEAN_US     10000
#define RTOS_CPUS	      2
#define RTOS_SECONDARY_WAIT_S 20

/* UART (PL011) registers used for its interrupt. */
#define UART_IMSC    (GUEST_UART_BASE + 0x38)
#define UART_ICR     (GUEST_UART_BASE + 0x44)
#define UART_INT_TX  (1U << 5)
#define UART_INT_ALL 0x7ffU

/* Stage 1: VA = PA, 1 GiB blocks at level 1 (T0SZ 25): devices below RAM, RAM cacheable. */
#define MAIR_DEVICE_NGNRNE 0x00UL
#define MAIR_NORMAL_WB	   0xffUL
#define PTE_BLOCK	   0x1UL
#define PTE_ATTR(i)	   ((u64)(i) << 2)
#define PTE_SH_INNER	   (3UL << 8)
#define PTE_AF		   (1UL << 10)
#define PTE_PXN		   (1UL << 53)
#define PTE_UXN		   (1UL << 54)
#define TCR_T0SZ_39	   25UL
#define TCR_VALUE                                                                                  \
	(TCR_T0SZ_39 | (1UL << 8) | (1UL << 10) | (3UL << 12) | (TCR_T0SZ_39 << 16) | (1UL << 23))
#define SCTLR_M (1UL << 0)
#define SCTLR_A (1UL << 1)
#define SCTLR_C (1UL << 2)
#define SCTLR_I (1UL << 12)

#define RAMTOP_WORDS 8
static const u64 ramtop_marker[RAMTOP_WORDS] __attribute__((section(".ramtop"), used)) = {
	0x52544f5320746f70UL, 1, 2, 3, 4, 5, 6, 0x656e64206d61726bUL,
};

static u64 l1_table[512] __attribute__((aligned(4096)));

/* One per CPU, each in its own cache lines. */
struct tick_stats {
	u32 ticks, early;
	u64 next, first, last;
	u64 late_max, late_sum;
	u64 sctlr_at_entry;
	u64 gic_id; /* gic_cpu_init_by_aff0() */
	bool done;
} __attribute__((aligned(256)));

static struct tick_stats ticks[RTOS_CPUS];
static u64 tick_period;

static unsigned int cpu_index(void)
{
	return (unsigned int)(read_sysreg(mpidr_el1) & 0xff);
}

static u64 counter(void)
{
	isb();
	return read_sysreg(cntvct_el0);
}

static bool words_equal(const volatile u64 *a, const u64 *b, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		if (a[i] != b[i])
			return false;
	return true;
}

static u64 ticks_to_us(u64 t)
{
	return t * 1000000 / read_sysreg(cntfrq_el0);
}

/* ---- boot: the highest exception level, from the ID registers alone ---- */

static void boot_el(void)
{
	u64 pfr0 = read_sysreg(s3_0_c0_c4_0);
	u64 el2 = FIELD(pfr0, 11, 8), el3 = FIELD(pfr0, 15, 12);
	unsigned int highest = el3 ? 3 : el2 ? 2 : 1;
	unsigned int cur = (read_sysreg(CurrentEL) >> 2) & 3;
	u64 freq = read_sysreg(cntfrq_el0);

	printf("RTOS boot EL%u highest EL%u\n", cur, highest);
	if (highest == cur) {
		/* The highest EL owns the counter frequency: set it (to what it is). */
		write_sysreg(freq, cntfrq_el0);
		isb();
	}
	/* Not reached after an UNDEF: the exception handler ends the run with a FAIL. */
	report(
	    read_sysreg(cntfrq_el0) == freq,
	    "EL%u, highest EL%u from ID_AA64PFR0 (EL2 %lu, EL3 %lu): CNTFRQ_EL0 %s, no exception",
	    cur, highest, el2, el3, highest == cur ? "written" : "left alone");
}

static void boot_image(void)
{
	static const u64 want[RAMTOP_WORDS] = {
		0x52544f5320746f70UL, 1, 2, 3, 4, 5, 6, 0x656e64206d61726bUL,
	};
	u64 entry;

	asm volatile("adr %0, _start" : "=r"(entry));
	report(entry != GUEST_RAM_BASE && entry == (u64)_image_start,
	       "entered at 0x%lx (the ELF's entry), not the RAM base", entry);
	report(guest_boot_dtb == 0, "x0 at entry 0x%lx (ignored: the image has its own map)",
	       guest_boot_dtb);
	report(words_equal((const volatile u64 *)RTOS_RAM_TOP_BLOCK, want, RAMTOP_WORDS),
	       "the ELF's segment at 0x%lx (top 2 MiB of %lu MiB) is intact", RTOS_RAM_TOP_BLOCK,
	       RTOS_RAM_MB);
}

/* ---- caches: by set/way over every level to the LoC, as an RTOS does at boot ---- */

#define DC_ISW	0
#define DC_CISW 1

static u64 setway_ops;

static void dcache_setway_all(int op)
{
	u64 clidr = read_sysreg(s3_1_c0_c0_1);
	unsigned int loc = FIELD(clidr, 26, 24);

	for (unsigned int level = 0; level < loc; level++) {
		unsigned int ctype = (clidr >> (3 * level)) & 7;
		u64 ccsidr;
		unsigned int line_shift, ways, sets, way_shift;

		if (ctype < 2) /* no cache or instruction only */
			continue;
		write_sysreg(level << 1, csselr_el1);
		isb();
		ccsidr = read_sysreg(s3_1_c0_c0_0);
		line_shift = FIELD(ccsidr, 2, 0) + 4;
		ways = FIELD(ccsidr, 12, 3) + 1;
		sets = FIELD(ccsidr, 27, 13) + 1;
		way_shift = ways > 1 ? __builtin_clz(ways - 1) : 0;
		for (unsigned int way = 0; way < ways; way++) {
			for (unsigned int set = 0; set < sets; set++) {
				u64 sw = ((u64)way << way_shift) | ((u64)set << line_shift) |
					 (level << 1);

				if (op == DC_ISW)
					asm volatile("dc isw, %0" ::"r"(sw) : "memory");
				else
					asm volatile("dc cisw, %0" ::"r"(sw) : "memory");
				setway_ops++;
			}
		}
	}
	write_sysreg(0, csselr_el1);
	asm volatile("dsb sy\n\tisb" ::: "memory");
}

static void mmu_tables(void)
{
	l1_table[0] = 0x00000000UL | PTE_BLOCK | PTE_ATTR(0) | PTE_AF | PTE_PXN | PTE_UXN;
	l1_table[1] = GUEST_RAM_BASE | PTE_BLOCK | PTE_ATTR(1) | PTE_SH_INNER | PTE_AF;
	dsb();
}

/* Both CPUs: the same tables, caches on. Written so that a trapped write changes nothing. */
static void mmu_enable(void)
{
	write_sysreg(MAIR_DEVICE_NGNRNE | MAIR_NORMAL_WB << 8, mair_el1);
	write_sysreg(TCR_VALUE, tcr_el1);
	write_sysreg((u64)l1_table, ttbr0_el1);
	isb();
	asm volatile("tlbi vmalle1\n\tdsb nsh\n\tisb" ::: "memory");
	write_sysreg((read_sysreg(sctlr_el1) | SCTLR_M | SCTLR_C | SCTLR_I) & ~SCTLR_A, sctlr_el1);
	isb();
	asm volatile("ic iallu\n\tdsb nsh\n\tisb" ::: "memory");
}

static void boot_caches(void)
{
	volatile u64 probe = 0x1234;
	u64 sctlr;

	dcache_setway_all(DC_ISW);
	mmu_tables();
	mmu_enable();
	sctlr = read_sysreg(sctlr_el1);
	probe += 1;
	report((sctlr & (SCTLR_M | SCTLR_C | SCTLR_I)) == (SCTLR_M | SCTLR_C | SCTLR_I) &&
		   probe == 0x1235 && read_sysreg(ttbr0_el1) == (u64)l1_table &&
		   read_sysreg(tcr_el1) == TCR_VALUE,
	       "MMU and caches on after DC ISW by set/way (SCTLR_EL1 0x%lx, TTBR0/TCR as written)",
	       sctlr);
}

/* ---- GIC: the CPU interface by Aff0 ---- */

static void gic_setup_cpu(struct tick_stats *t)
{
	/* What identifies it is a check only: an RTOS does not read it. */
	t->gic_id = gic_cpu_init_by_aff0();
}

/* ---- PL011 on SPI 1 ---- */

static volatile u32 uart_irqs;

static void uart_irq(u32 intid)
{
	(void)intid;
	*(volatile u32 *)UART_IMSC = 0;
	*(volatile u32 *)UART_ICR = UART_INT_ALL;
	uart_irqs++;
}

static void test_uart_irq(void)
{
	u64 end;

	gic_set_handler(GIC_SPI_UART, uart_irq);
	gic_spi_route(GIC_SPI_UART, cpu_mpidr());
	gic_irq_enable(GIC_SPI_UART);
	*(volatile u32 *)UART_ICR = UART_INT_ALL;
	*(volatile u32 *)UART_IMSC = UART_INT_TX;
	puts("RTOS uart: transmit interrupt armed\n");
	end = counter() + gic_us_to_ticks(2000000);
	while (!READ_ONCE(uart_irqs) && counter() < end)
		gic_wfi_take();
	gic_irq_disable(GIC_SPI_UART);
	report(uart_irqs >= 1, "PL011 transmit interrupt taken as INTID %u (SPI 1): %u",
	       GIC_SPI_UART, uart_irqs);
}

/* ---- the tick ---- */

static void tick_irq(u32 intid)
{
	struct tick_stats *t = &ticks[cpu_index() % RTOS_CPUS];
	u64 now = counter();

	(void)intid;
	if (now < t->next) {
		t->early++;
	} else {
		t->late_sum += now - t->next;
		if (now - t->next > t->late_max)
			t->late_max = now - t->next;
	}
	if (!t->ticks)
		t->first = now;
	t->last = now;
	t->ticks++;
	t->next += tick_period;
	/* The next deadline, absolute: a late tick does not delay the ones after it. */
	if (t->ticks < RTOS_TICKS)
		write_sysreg(t->next, cntv_cval_el0);
	else
		write_sysreg(0, cntv_ctl_el0);
	isb();
}

static void run_ticks(struct tick_stats *t)
{
	u64 limit;

	gic_set_handler(GIC_PPI_VTIMER, tick_irq);
	gic_irq_enable(GIC_PPI_VTIMER);
	t->next = counter() + tick_period;
	limit = t->next + RTOS_TICK_LIMIT_S * read_sysreg(cntfrq_el0);
	write_sysreg(t->next, cntv_cval_el0);
	write_sysreg(1, cntv_ctl_el0); /* ENABLE, not masked */
	isb();
	while (READ_ONCE(t->ticks) < RTOS_TICKS && counter() < limit)
		gic_wfi_take();
	write_sysreg(0, cntv_ctl_el0);
	isb();
	gic_irq_disable(GIC_PPI_VTIMER);
}

static void check_ticks(unsigned int cpu, const struct tick_stats *t)
{
	u64 late_mean = t->ticks ? ticks_to_us(t->late_sum) / t->ticks : 0;
	u64 span = t->ticks > 1 ? ticks_to_us(t->last - t->first) : 0;

	printf("RTOS tick cpu%u ticks %u early %u late_mean_us %lu late_max_us %lu span_us %lu\n",
	       cpu, t->ticks, t->early, late_mean, ticks_to_us(t->late_max), span);
	report(t->ticks == RTOS_TICKS, "cpu%u: %u ticks of %u at %u Hz", cpu, t->ticks, RTOS_TICKS,
	       RTOS_TICK_HZ);
	report(t->early == 0, "cpu%u: no tick before its deadline (%u early)", cpu, t->early);
	report(late_mean <= RTOS_LATE_MEAN_US && ticks_to_us(t->late_max) <= RTOS_LATE_MAX_US,
	       "cpu%u: lateness mean %lu us (<= %u), max %lu us (<= %u)", cpu, late_mean,
	       RTOS_LATE_MEAN_US, ticks_to_us(t->late_max), RTOS_LATE_MAX_US);
}

/* ---- the secondary ---- */

static void secondary_main(u64 arg)
{
	struct tick_stats *t = &ticks[1];
	u64 sctlr = read_sysreg(sctlr_el1); /* before anything changes it */

	(void)arg;
	mmu_enable();
	t->sctlr_at_entry = sctlr;
	gic_setup_cpu(t);
	run_ticks(t);
	dsb();
	WRITE_ONCE(t->done, true);
	dsb();
	asm volatile("sev");
}

static bool start_secondary(void)
{
	u64 mpidr = cpu_mpidr() | 1;
	s64 ret;

	/* What vCPU 1 reads with its caches off must be in memory. */
	dcache_setway_all(DC_CISW);
	dcache_clean_poc(l1_table, sizeof(l1_table));
	ret = cpu_start(mpidr, 1, secondary_main, 0);
	if (ret == PSCI_RET_INVALID_PARAMETERS) {
		report(true, "one vCPU: CPU_ON for MPIDR 0x%lx says there is none (%ld)", mpidr,
		       ret);
		return false;
	}
	report(ret == PSCI_RET_SUCCESS, "PSCI 0.2 CPU_ON (64-bit, HVC) of MPIDR 0x%lx: %ld", mpidr,
	       ret);
	return ret == PSCI_RET_SUCCESS;
}

static void check_secondary(void)
{
	const struct tick_stats *t = &ticks[1];
	u64 end = counter() + RTOS_SECONDARY_WAIT_S * read_sysreg(cntfrq_el0);

	while (!READ_ONCE(t->done) && counter() < end)
		asm volatile("wfe");
	report(t->done, "cpu1 finished its ticks");
	report(!(t->sctlr_at_entry & (SCTLR_M | SCTLR_C)),
	       "cpu1 entered with its MMU and caches off (SCTLR_EL1 0x%lx)", t->sctlr_at_entry);
	report(gic_cpu_is_own(t->gic_id, cpu_mpidr() | 1),
	       "cpu1: the GIC CPU interface found by Aff0 is its own (0x%lx)", t->gic_id);
	check_ticks(1, t);
}

int main(void)
{
	bool smp;

	report_prefix("rtos");
	boot_el();
	boot_image();
	boot_caches();
	tick_period = read_sysreg(cntfrq_el0) / RTOS_TICK_HZ;
	if (!gic_dist_init())
		report_abort("GIC distributor set-up failed");
	gic_setup_cpu(&ticks[0]);
	report(gic_cpu_is_own(ticks[0].gic_id, cpu_mpidr()),
	       "cpu0: the GIC CPU interface found by Aff0 is its own (0x%lx)", ticks[0].gic_id);
	test_uart_irq();
	smp = start_secondary();
	printf("RTOS setway %lu\n", setway_ops);
	run_ticks(&ticks[0]);
	check_ticks(0, &ticks[0]);
	if (smp)
		check_secondary();
	return 0;
}
