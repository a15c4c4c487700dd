// SPDX-License-Identifier: GPL-2.0-only
/*
 * The virtual timer's interrupt, as Tern's fast path delivers it (the exit vector writes the
 * hardware-linked list register itself while the vGIC holds the PPI idle, virt/vgic.c), and
 * everything that must take it off that path (2 vCPUs; run on 1 pCPU, where they time-share,
 * and on 4):
 * - both vCPUs at once, many deadlines back to back (sleeping in WFI between them, so that the
 *   vCPUs switch): each deadline delivers INTID 27 exactly once, never before CVAL;
 * - a masked (IMASK) or disabled (ENABLE = 0) timer past its deadline is not delivered;
 * - PPI 27 disabled in the redistributor (ICENABLER0) while the timer keeps firing: nothing is
 *   delivered after the write, the interrupt reads pending, enabling it again delivers it;
 * - ICC_PMR_EL1 at the timer's priority masks it, and so does a priority changed through
 *   GICR_IPRIORITYR to below the mask after the fast path had it at the old one; PMR raised
 *   while the timer fires back to back: held (HPPIR), pending in GICR_ISPENDR0, then once;
 * - Group 1 disabled in GICD_CTLR: not delivered until it is enabled again;
 * - vCPU 1 disables vCPU 0's PPI 27 through vCPU 0's redistributor while vCPU 0's timer fires
 *   (on 4 pCPUs while vCPU 0 runs): vCPU 0 stops receiving it.
 * Each of the last four fails if the fast path keeps injecting after the change. With held=1,
 * a line without its newline must go out while only the timer's interrupts exit (the test
 * sends a key once it sees it). The same program passes on plain QEMU (tools/run-qemu --dtb
 * --smp 2 vtick.bin, without held=1).
 */
#include "smp.h"

#define CTL_ENABLE   (1UL << 0)
#define CTL_IMASK    (1UL << 1)
#define CTL_ISTATUS  (1UL << 2)
#define PRIO_TIMER   0x80
#define PRIO_LOW     0xC0
#define PMR_OPEN     0xF0
#define PMR_MID	     0xA0
#define NR_DEADLINES 200
#define DEADLINE_US  100
#define PERIOD_US    200
#define WAIT_US	     2000000
#define QUIET_US     5000
#define SETTLE_US    2000

struct tick {
	volatile u32 count;
	volatile u32 bad_intid;
	volatile u32 early;
	volatile u64 period; /* ticks: the handler arms the next deadline (0: it masks the timer) */
	volatile u64 cval;   /* the deadline the last interrupt was for */
};

static struct tick ticks[SMP_MAX_CPUS];
static volatile u64 rd_base0;
static volatile u32 remote_done;

static u64 us(u64 n)
{
	return gic_us_to_ticks(n);
}

static void vt_set(u64 cval, u64 ctl)
{
	write_sysreg(0, cntv_ctl_el0);
	isb();
	write_sysreg(cval, cntv_cval_el0);
	write_sysreg(ctl, cntv_ctl_el0);
	isb();
}

/* Level-triggered: the line is lowered (IMASK, or the next deadline) before the EOI. */
static void tick_irq(u32 intid)
{
	struct tick *t = &ticks[smp_this_cpu()];
	u64 cval = read_sysreg(cntv_cval_el0);

	if (intid != GIC_PPI_VTIMER)
		t->bad_intid++;
	if (gic_counter() < cval)
		t->early++;
	t->cval = cval;
	if (t->period)
		vt_set(gic_counter() + t->period, CTL_ENABLE);
	else
		write_sysreg(CTL_ENABLE | CTL_IMASK, cntv_ctl_el0);
	isb();
	t->count++;
}

/* With PSTATE.I masked: WFI until the count reaches @want (each wake-up takes what woke it). */
static bool wfi_until(struct tick *t, u32 want, u64 wait_us)
{
	u64 end = gic_counter() + us(wait_us);

	while (t->count < want) {
		if (gic_counter() >= end)
			return false;
		gic_wfi_take();
	}
	return true;
}

static void quiet(u64 n)
{
	gic_irqs_unmask();
	gic_delay_us(n);
	gic_irqs_mask();
}

/*
 * QEMU raises a timer's line from a host timer of its own, which may run late on a loaded host:
 * a check that something is NOT delivered first waits (IRQs unmasked, so that a wrong delivery
 * counts) until the timer has fired: ISTATUS set, or PPI 27 pending in the redistributor.
 */
static bool fired_unmasked(bool pending)
{
	u64 end = gic_counter() + us(WAIT_US);
	bool ok;

	gic_irqs_unmask();
	while (!(ok = pending ? gic_irq_is_pending(GIC_PPI_VTIMER)
			      : (read_sysreg(cntv_ctl_el0) & CTL_ISTATUS)) &&
	       gic_counter() < end)
		;
	gic_delay_us(QUIET_US);
	gic_irqs_mask();
	return ok;
}

/* Many deadlines in a row on this vCPU, each waited for in WFI. */
static void deadlines(unsigned int cpu, void *arg)
{
	struct tick *t = &ticks[cpu];
	u32 start = t->count;
	unsigned int missed = 0;

	(void)arg;
	for (unsigned int i = 0; i < NR_DEADLINES; i++) {
		vt_set(gic_counter() + us(DEADLINE_US), CTL_ENABLE);
		missed += !wfi_until(t, start + i + 1, WAIT_US);
	}
	quiet(QUIET_US);
	report(!missed && t->count == start + NR_DEADLINES && !t->bad_intid && !t->early,
	       "vCPU %u: %u deadlines, %u interrupts (%u missed), wrong INTID %u, early %u", cpu,
	       NR_DEADLINES, t->count - start, missed, t->bad_intid, t->early);
}

/* A past deadline with the timer masked or disabled: nothing; then unmasked: once. */
static void test_masked(struct tick *t)
{
	u32 c0 = t->count;
	bool fired;

	vt_set(gic_counter() - 1, CTL_ENABLE | CTL_IMASK);
	fired = fired_unmasked(false);
	report(fired && t->count == c0, "IMASK: a past deadline (ISTATUS %d) is not delivered (%u)",
	       fired, t->count - c0);
	vt_set(gic_counter() - 1, 0);
	quiet(QUIET_US);
	report(t->count == c0, "ENABLE = 0: a past deadline is not delivered (%u)", t->count - c0);
	vt_set(gic_counter() - 1, CTL_ENABLE);
	report(wfi_until(t, c0 + 1, WAIT_US) && t->count == c0 + 1, "unmasked: delivered once (%u)",
	       t->count - c0);
}

/* The timer firing every PERIOD_US; returns once @n interrupts came. */
static bool periodic_start(struct tick *t, u32 n)
{
	t->period = us(PERIOD_US);
	vt_set(gic_counter() + t->period, CTL_ENABLE);
	return wfi_until(t, t->count + n, WAIT_US);
}

static void periodic_stop(struct tick *t)
{
	t->period = 0;
	vt_set(0, 0);
	quiet(SETTLE_US);
}

static void test_disable_while_firing(struct tick *t)
{
	bool ran = periodic_start(t, 20), pending;
	u32 c0;

	gic_irqs_unmask();
	gic_irq_disable(GIC_PPI_VTIMER);
	c0 = t->count;
	pending = fired_unmasked(true);
	report(ran && t->count == c0 && pending,
	       "ICENABLER0 while it fires: nothing after the write (%u), pending %d", t->count - c0,
	       pending);
	gic_irq_enable(GIC_PPI_VTIMER);
	report(wfi_until(t, c0 + 5, WAIT_US), "ISENABLER0: delivered again (%u)", t->count - c0);
	periodic_stop(t);
}

static void test_priority(struct tick *t)
{
	u32 c0;
	bool ran;

	/* PMR at the timer's priority masks it (it must be higher, numerically lower). */
	c0 = t->count;
	gic_set_pmr(PRIO_TIMER);
	vt_set(gic_counter() - 1, CTL_ENABLE);
	ran = fired_unmasked(true);
	report(ran && t->count == c0, "ICC_PMR_EL1 0x%x masks priority 0x%x (%u)", PRIO_TIMER,
	       PRIO_TIMER, t->count - c0);
	gic_set_pmr(PMR_OPEN);
	report(wfi_until(t, c0 + 1, WAIT_US) && t->count == c0 + 1,
	       "ICC_PMR_EL1 0x%x: delivered once (%u)", PMR_OPEN, t->count - c0);

	/* Taken at priority 0x80 under PMR 0xA0 (the fast path has it), then lowered to 0xC0. */
	gic_set_pmr(PMR_MID);
	ran = periodic_start(t, 10);
	periodic_stop(t);
	c0 = t->count;
	gic_irq_set_priority(GIC_PPI_VTIMER, PRIO_LOW);
	vt_set(gic_counter() - 1, CTL_ENABLE);
	ran &= fired_unmasked(true);
	report(ran && t->count == c0, "priority 0x%x under ICC_PMR_EL1 0x%x: masked (%u)", PRIO_LOW,
	       PMR_MID, t->count - c0);
	gic_set_pmr(PMR_OPEN);
	report(wfi_until(t, c0 + 1, WAIT_US), "ICC_PMR_EL1 0x%x: delivered (%u)", PMR_OPEN,
	       t->count - c0);
	gic_irq_set_priority(GIC_PPI_VTIMER, PRIO_TIMER);
}

/*
 * PMR raised while the timer fires back to back (no exit in between, so the fast path reuses
 * its list register): the interrupt waits in the CPU interface (HPPIR, no exit), then reads
 * pending in the redistributor (Tern takes the list register back), and is delivered once when
 * PMR opens again.
 */
static void test_pmr_while_firing(struct tick *t)
{
	u64 end;
	bool ran = periodic_start(t, 20), held = false, pending;
	u32 c0, hppir = 0;

	gic_set_pmr(PRIO_TIMER);
	c0 = t->count;
	end = gic_counter() + us(WAIT_US);
	while (!held && gic_counter() < end) {
		hppir = ICC_IAR_INTID(read_sysreg(icc_hppir1_el1));
		held = hppir == GIC_PPI_VTIMER;
	}
	pending = gic_irq_is_pending(GIC_PPI_VTIMER);
	report(ran && held && pending && t->count == c0,
	       "PMR raised while it fires: held in the CPU interface (HPPIR %u), pending %d (%u)",
	       hppir, pending, t->count - c0);
	t->period = 0;
	gic_set_pmr(PMR_OPEN);
	gic_irqs_unmask();
	gic_delay_us(QUIET_US);
	gic_irqs_mask();
	report(t->count == c0 + 1, "PMR lowered: delivered once (%u)", t->count - c0);
	periodic_stop(t);
}

static void test_group(struct tick *t)
{
	u32 ctlr = gic_read32(GICD_BASE + GICD_CTLR), c0;
	bool ran = periodic_start(t, 10);

	periodic_stop(t);
	c0 = t->count;
	gic_write32(GICD_BASE + GICD_CTLR, ctlr & ~GICD_CTLR_ENABLE_G1_G1A);
	vt_set(gic_counter() - 1, CTL_ENABLE);
	ran &= fired_unmasked(true);
	report(ran && t->count == c0, "GICD_CTLR Group 1 disabled: not delivered (%u)",
	       t->count - c0);
	gic_write32(GICD_BASE + GICD_CTLR, ctlr);
	report(wfi_until(t, c0 + 1, WAIT_US), "Group 1 enabled again: delivered (%u)",
	       t->count - c0);
}

/* vCPU 1: disable PPI 27 in vCPU 0's redistributor while vCPU 0's timer fires. */
static void remote_disable(unsigned int cpu, void *arg)
{
	(void)cpu;
	(void)arg;
	gic_delay_us(SETTLE_US);
	gic_write32(rd_base0 + GICR_SGI_OFFSET + GICR_ICENABLER0, 1U << GIC_PPI_VTIMER);
	__atomic_store_n(&remote_done, 1, __ATOMIC_RELEASE);
}

static void test_remote_disable(struct tick *t)
{
	bool ran = periodic_start(t, 10), done;
	u64 end = gic_counter() + us(WAIT_US);
	u32 c0;

	rd_base0 = gic_this_cpu()->rd_base;
	smp_run_on(1U << 1, remote_disable, NULL);
	gic_irqs_unmask();
	while (!__atomic_load_n(&remote_done, __ATOMIC_ACQUIRE) && gic_counter() < end)
		;
	/* One already in a list register when the write landed may still come. */
	gic_delay_us(SETTLE_US);
	c0 = t->count;
	gic_irqs_mask();
	ran &= fired_unmasked(true);
	done = smp_wait_done(1U << 1, WAIT_US) == 0;
	report(ran && done && t->count == c0,
	       "vCPU 1 disabled vCPU 0's PPI 27: no more interrupts on vCPU 0 (%u)", t->count - c0);
	gic_irq_enable(GIC_PPI_VTIMER);
	report(wfi_until(t, c0 + 1, WAIT_US), "enabled again: delivered (%u)", t->count - c0);
	periodic_stop(t);
}

#define UART_DR	  (GUEST_UART_BASE + 0x00)
#define UART_FR	  (GUEST_UART_BASE + 0x18)
#define UART_RXFE (1U << 4)
#define KEY_US	  20000000

/*
 * held=1 (the integration test): a line without its newline, then the timer firing while the
 * vCPU only reads the PL011's FR (exits that never push output out): Tern pushes the held line
 * out at the timer's interrupt exits, or the test never sees it and never sends the key.
 */
static void test_held_output(struct tick *t)
{
	bool ran = periodic_start(t, 5), key = false;
	u64 end;
	u32 c0 = t->count;

	printf("vtick: held line, waiting for a key");
	end = gic_counter() + us(KEY_US);
	gic_irqs_unmask();
	while (!key && gic_counter() < end)
		key = !(gic_read32(UART_FR) & UART_RXFE);
	gic_irqs_mask();
	if (key)
		(void)gic_read32(UART_DR);
	printf("\n");
	report(ran && key && t->count > c0,
	       "a held line went out while the timer fired (key %d, %u interrupts)", key,
	       t->count - c0);
	periodic_stop(t);
}

static void vtick_setup(unsigned int cpu)
{
	(void)cpu;
	gic_irq_set_priority(GIC_PPI_VTIMER, PRIO_TIMER);
	gic_irq_enable(GIC_PPI_VTIMER);
	gic_irqs_mask();
}

int main(void)
{
	struct tick *t = &ticks[0];

	report_prefix("vtick");
	if (!gic_dist_init() || !gic_cpu_init())
		report_abort("GICv3 set-up failed");
	if (smp_init() < 2)
		report_abort("need 2 vCPUs");
	gic_set_handler(GIC_PPI_VTIMER, tick_irq);
	smp_set_cpu_setup(vtick_setup);
	vtick_setup(0);
	if (smp_cpu_on(1, false, 0) != PSCI_RET_SUCCESS || !smp_wait_ready(1, 1, WAIT_US))
		report_abort("vCPU 1 did not start");

	/* vCPUs 0 and 1 (the VM may have more; they stay off). */
	report(smp_run(3U, deadlines, NULL, 5 * WAIT_US) == 0,
	       "both vCPUs finished their deadlines");
	test_masked(t);
	test_disable_while_firing(t);
	test_priority(t);
	test_pmr_while_firing(t);
	test_group(t);
	test_remote_disable(t);
	if (smp_bootarg("held", 0)) {
		/* vCPU 1 off: its exits (WFE, switches) would push the line out too. */
		smp_run_on(1U << 1, smp_work_cpu_off, NULL);
		report(smp_wait_affinity(1, PSCI_AFF_OFF, WAIT_US) == PSCI_AFF_OFF,
		       "vCPU 1 off for the held-line check");
		test_held_output(t);
	}
	/* And the fast path still works after all that. */
	deadlines(0, NULL);
	report(gic_unhandled_count() == 0, "no interrupt without a handler (%u)",
	       gic_unhandled_count());
	return 0;
}
