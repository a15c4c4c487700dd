// SPDX-License-Identifier: GPL-2.0-only
/*
 * The generic timers through the virtual GICv3: the counters are monotonic; the EL1 virtual timer
 * (PPI 27) and the EL1 physical timer (PPI 30) each fire once per deadline and never before it,
 * stay quiet when disabled, fire for several consecutive deadlines and at once for a past one.
 * The handler masks the timer with CNT*_CTL.IMASK before the EOI, as a level-triggered PPI needs.
 * Level semantics: an interrupt pending but not taken (disabled in the GIC) is withdrawn when
 * the guest disables or masks the timer or moves CVAL ahead, and the timer fires again later.
 * Edge values a hostile guest may write (CVAL 0, 1, now, ~0, 2^63; TVAL 0, 1, 2^31 - 1, -2^31,
 * -1) behave as the architecture says and stop nothing: WFI with one timer at ~0 still wakes on
 * the other. The same program passes on plain QEMU (tools/run-qemu).
 */
#include "gic.h"

#define CTL_ENABLE     (1UL << 0)
#define CTL_IMASK      (1UL << 1)
#define CTL_ISTATUS    (1UL << 2)
#define PRIO_TIMER     0x80
#define DEADLINE_US    1000
#define FIRE_US	       100000 /* a deadline must be met within this */
#define QUIET_US       10000
#define PAST_US	       10000 /* "at once" for a deadline in the past */
#define NR_CONSEC      5
#define CONSEC_US      500
#define MONO_READS     100000
#define ISTATUS_LAG_US FIRE_US /* QEMU's lag in setting ISTATUS (istatus_follows()) */

struct timer {
	const char *name;
	u32 intid;
	u64 (*counter)(void);
	u64 (*ctl)(void);
	void (*set_ctl)(u64 v);
	u64 (*cval)(void);
	void (*set_cval)(u64 v);
	void (*set_tval)(u64 v);
	volatile u32 count;
	volatile u64 fired_at, cval_at_fire, ctl_at_fire;
};

static u64 vt_counter(void)
{
	isb();
	return read_sysreg(cntvct_el0);
}

static u64 vt_ctl(void)
{
	return read_sysreg(cntv_ctl_el0);
}

static void vt_set_ctl(u64 v)
{
	write_sysreg(v, cntv_ctl_el0);
	isb();
}

static u64 vt_cval(void)
{
	return read_sysreg(cntv_cval_el0);
}

static void vt_set_cval(u64 v)
{
	write_sysreg(v, cntv_cval_el0);
	isb();
}

static void vt_set_tval(u64 v)
{
	write_sysreg(v, cntv_tval_el0);
	isb();
}

static u64 pt_counter(void)
{
	isb();
	return read_sysreg(cntpct_el0);
}

static u64 pt_ctl(void)
{
	return read_sysreg(cntp_ctl_el0);
}

static void pt_set_ctl(u64 v)
{
	write_sysreg(v, cntp_ctl_el0);
	isb();
}

static u64 pt_cval(void)
{
	return read_sysreg(cntp_cval_el0);
}

static void pt_set_cval(u64 v)
{
	write_sysreg(v, cntp_cval_el0);
	isb();
}

static void pt_set_tval(u64 v)
{
	write_sysreg(v, cntp_tval_el0);
	isb();
}

static struct timer timers[] = {
	{ .name = "vtimer",
	  .intid = GIC_PPI_VTIMER,
	  .counter = vt_counter,
	  .ctl = vt_ctl,
	  .set_ctl = vt_set_ctl,
	  .cval = vt_cval,
	  .set_cval = vt_set_cval,
	  .set_tval = vt_set_tval },
	{ .name = "ptimer",
	  .intid = GIC_PPI_PTIMER,
	  .counter = pt_counter,
	  .ctl = pt_ctl,
	  .set_ctl = pt_set_ctl,
	  .cval = pt_cval,
	  .set_cval = pt_set_cval,
	  .set_tval = pt_set_tval },
};

static void timer_irq(u32 intid)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(timers); i++) {
		struct timer *t = &timers[i];

		if (t->intid != intid)
			continue;
		t->fired_at = t->counter();
		t->cval_at_fire = t->cval();
		t->ctl_at_fire = t->ctl();
		t->set_ctl(CTL_ENABLE | CTL_IMASK);
		t->count++;
	}
}

static void unmasked_wait(struct timer *t, u32 want, u64 us)
{
	gic_irqs_unmask();
	gic_wait_count(&t->count, want, us);
	gic_irqs_mask();
}

static void unmasked_delay(u64 us)
{
	gic_irqs_unmask();
	gic_delay_us(us);
	gic_irqs_mask();
}

static bool one_deadline(struct timer *t, u64 us, u64 *late);

/* Wait (PSTATE.I masked) until @intid reads pending in the GIC; false after @us. */
static bool wait_pending(u32 intid, u64 us)
{
	u64 end = gic_counter() + gic_us_to_ticks(us);

	while (!gic_irq_is_pending(intid))
		if (gic_counter() >= end)
			return false;
	return true;
}

static void lower_disable(struct timer *t)
{
	t->set_ctl(0);
}

static void lower_imask(struct timer *t)
{
	t->set_ctl(CTL_ENABLE | CTL_IMASK);
}

static void lower_cval_ahead(struct timer *t)
{
	t->set_cval(t->counter() + gic_us_to_ticks(10 * 1000 * 1000));
}

/*
 * The sequence of the report: the timer fires while its PPI is disabled in the GIC (pending,
 * not delivered), the guest lowers the line, then enables the PPI and unmasks: natively
 * nothing is pending any more and nothing is delivered. Then a new deadline fires once.
 */
static void test_level(struct timer *t, void (*lower)(struct timer *t), const char *how)
{
	bool pending, still, again;
	u64 late;

	gic_irq_disable(t->intid);
	t->count = 0;
	t->set_ctl(0);
	t->set_cval(t->counter() - 1);
	t->set_ctl(CTL_ENABLE);
	pending = wait_pending(t->intid, FIRE_US);
	lower(t);
	still = gic_irq_is_pending(t->intid);
	gic_irq_enable(t->intid);
	unmasked_delay(QUIET_US);
	t->set_ctl(0);
	report(pending && !still && t->count == 0,
	       "level: %s withdraws the undelivered interrupt (pending %d, then %d, taken %u)", how,
	       pending, still, t->count);
	again = one_deadline(t, DEADLINE_US, &late);
	report(again, "level: after %s the next deadline fires once (%u)", how, t->count);
}

/* A compare value @cval with the timer enabled: fires at once iff the condition is met. */
static bool extreme_cval(struct timer *t, u64 cval, bool fires)
{
	bool istatus;

	t->set_ctl(0);
	t->count = 0;
	t->set_cval(cval);
	t->set_ctl(CTL_ENABLE | CTL_IMASK);
	istatus = t->ctl() & CTL_ISTATUS;
	t->set_ctl(CTL_ENABLE);
	unmasked_wait(t, 1, fires ? FIRE_US : QUIET_US);
	unmasked_delay(QUIET_US / 10);
	t->set_ctl(0);
	if (t->cval() != cval || istatus != fires || t->count != (fires ? 1U : 0U)) {
		report_info("CVAL 0x%lx: reads 0x%lx, ISTATUS %d, %u interrupts", cval, t->cval(),
			    istatus, t->count);
		return false;
	}
	return true;
}

/*
 * Whether ISTATUS reads 1 within ISTATUS_LAG_US. QEMU does not compute a timer's ISTATUS when
 * CNTx_CTL is read, only when the timer is written and when its own deadline callback runs (in
 * QEMU's main loop, late on a loaded host): for a moment after the counter passed CVAL it may
 * still read 0. On hardware it is exact and this returns at once.
 */
static bool istatus_follows(struct timer *t)
{
	u64 end = t->counter() + gic_us_to_ticks(ISTATUS_LAG_US);

	do {
		if (t->ctl() & CTL_ISTATUS)
			return true;
	} while (t->counter() < end);
	return false;
}

/*
 * TVAL @tval: CVAL = counter + SignExtend(TVAL[31:0]) modulo 2^64 (a negative TVAL while the
 * counter is below its size gives a CVAL far ahead), and ISTATUS agrees with that CVAL: never
 * set while the counter is below it, set once the counter has reached it (allowing QEMU's lag).
 */
static bool extreme_tval(struct timer *t, u64 tval, s64 delta)
{
	u64 before, after, cval, c1, c2;
	bool istatus, follows = true;

	t->set_ctl(0);
	before = t->counter();
	t->set_tval(tval);
	after = t->counter();
	cval = t->cval();
	t->set_ctl(CTL_ENABLE | CTL_IMASK);
	c1 = t->counter();
	istatus = t->ctl() & CTL_ISTATUS;
	c2 = t->counter();
	if (c1 >= cval && !istatus)
		follows = istatus_follows(t);
	t->set_ctl(0);
	if (cval - (before + (u64)delta) > after - before || !follows || (c2 < cval && istatus)) {
		report_info("TVAL 0x%lx: CVAL 0x%lx for counter 0x%lx-0x%lx, ISTATUS %d (counter "
			    "0x%lx-0x%lx)%s",
			    tval, cval, before, after, istatus, c1, c2,
			    follows ? "" : ", still 0 after the lag allowed");
		return false;
	}
	return true;
}

static void test_extremes(struct timer *t)
{
	u64 now = t->counter();
	bool ok;

	ok = extreme_cval(t, 0, true) && extreme_cval(t, 1, true) &&
	     extreme_cval(t, t->counter(), true);
	report(ok, "CVAL 0, 1 and now fire at once");
	ok = extreme_cval(t, ~0UL, false) && extreme_cval(t, 1UL << 63, false) &&
	     extreme_cval(t, ~0UL - 1, false) && extreme_cval(t, (1UL << 63) + now, false);
	report(ok, "CVAL ~0, ~0 - 1, 2^63 and 2^63 + now never fire, ISTATUS clear");
	ok = extreme_tval(t, 0, 0) && extreme_tval(t, 1, 1) &&
	     extreme_tval(t, 0x7fffffffUL, 0x7fffffffL) &&
	     extreme_tval(t, 0x80000000UL, -0x80000000L) && extreme_tval(t, ~0UL, -1) &&
	     extreme_tval(t, 0xffffffff00000010UL, 0x10);
	report(ok, "TVAL 0, 1, 2^31 - 1, -2^31, -1 and 2^64 - 2^32 + 16 as signed 32-bit");
	report(t->counter() > now, "counter still advancing (0x%lx -> 0x%lx)", now, t->counter());
}

/* WFI with @far's CVAL at @cval (armed) and @near due in 1 ms: wakes on @near. */
static void test_wfi_far(struct timer *far, struct timer *near, u64 cval)
{
	u64 start, took;

	far->set_ctl(0);
	far->count = 0;
	far->set_cval(cval);
	far->set_ctl(CTL_ENABLE);
	near->set_ctl(0);
	near->count = 0;
	gic_irq_enable(near->intid);
	start = near->counter();
	near->set_tval(gic_us_to_ticks(1000));
	near->set_ctl(CTL_ENABLE);
	/* WFI with PSTATE.I masked wakes on the pending interrupt; take it afterwards. */
	for (unsigned int i = 0; i < 100 && !(near->ctl() & CTL_ISTATUS); i++)
		asm volatile("wfi" ::: "memory");
	took = near->counter() - start;
	unmasked_wait(near, 1, FIRE_US);
	far->set_ctl(0);
	near->set_ctl(0);
	report(near->count == 1 && far->count == 0,
	       "WFI with %s CVAL 0x%lx wakes on %s in 1 ms (%lu ticks, %u/%u interrupts)",
	       far->name, cval, near->name, took, near->count, far->count);
}

static bool counter_monotonic(u64 (*counter)(void), u64 *first, u64 *last)
{
	u64 prev = counter(), now;
	bool ok = true;

	*first = prev;
	for (unsigned int i = 0; i < MONO_READS; i++) {
		now = counter();
		if (now < prev)
			ok = false;
		prev = now;
	}
	*last = prev;
	return ok && *last > *first;
}

static void test_counters(void)
{
	u64 freq = read_sysreg(cntfrq_el0), a, b;
	bool ok;

	report(freq >= 1000000 && freq <= 1000000000UL, "CNTFRQ_EL0 is %lu Hz", freq);
	ok = counter_monotonic(vt_counter, &a, &b);
	report(ok, "CNTVCT_EL0 monotonic and advancing over %u reads (%lu ticks)", MONO_READS,
	       b - a);
	ok = counter_monotonic(pt_counter, &a, &b);
	report(ok, "CNTPCT_EL0 monotonic and advancing over %u reads (%lu ticks)", MONO_READS,
	       b - a);
}

/* One TVAL deadline @us ahead: CVAL = counter + TVAL, fires once, at or after CVAL. */
static bool one_deadline(struct timer *t, u64 us, u64 *late)
{
	u64 ticks = gic_us_to_ticks(us), before, after, cval;

	t->set_ctl(0);
	t->count = 0;
	before = t->counter();
	t->set_tval(ticks);
	cval = t->cval();
	after = t->counter();
	t->set_ctl(CTL_ENABLE);
	unmasked_wait(t, 1, FIRE_US);
	unmasked_delay(us);
	t->set_ctl(0);
	*late = t->fired_at - cval;
	return t->count == 1 && cval >= before + ticks && cval <= after + ticks &&
	       t->cval_at_fire == cval && t->fired_at >= cval && (t->ctl_at_fire & CTL_ISTATUS);
}

/*
 * A deadline @us ahead while the guest does nothing but trapped system-register reads
 * (OSLSR_EL1, which Tern answers from its exit vector) with interrupts unmasked: Tern looks at
 * no timer on that path, so the interrupt must come from the deadline alone (the EL2 timer Tern
 * arms for the emulated physical timer's), once, not before CVAL.
 */
static bool deadline_while_trapping(struct timer *t, u64 us, u64 *late, u64 *traps)
{
	u64 end, cval;

	t->set_ctl(0);
	t->count = 0;
	*traps = 0;
	t->set_tval(gic_us_to_ticks(us));
	cval = t->cval();
	end = t->counter() + gic_us_to_ticks(FIRE_US);
	t->set_ctl(CTL_ENABLE);
	gic_irqs_unmask();
	while (t->count == 0 && t->counter() < end) {
		(void)read_sysreg(oslsr_el1);
		(*traps)++;
	}
	gic_irqs_mask();
	unmasked_delay(us);
	t->set_ctl(0);
	*late = t->fired_at - cval;
	return t->count == 1 && t->cval_at_fire == cval && t->fired_at >= cval;
}

static void test_timer(struct timer *t)
{
	u64 late, now, latency;
	bool ok = true;

	report_prefix(t->name);
	gic_set_handler(t->intid, timer_irq);
	t->set_ctl(0);
	gic_irq_set_priority(t->intid, PRIO_TIMER);
	gic_irq_enable(t->intid);

	ok = one_deadline(t, DEADLINE_US, &late);
	report(ok, "TVAL %u us: fired once (%u), not before CVAL (%lu ticks after, ISTATUS %lu)",
	       DEADLINE_US, t->count, late, t->ctl_at_fire >> 2 & 1);

	t->count = 0;
	t->set_ctl(0);
	unmasked_delay(QUIET_US);
	report(t->count == 0, "disabled: no interrupt for %u ms (%u)", QUIET_US / 1000, t->count);

	ok = true;
	for (unsigned int i = 0; i < NR_CONSEC; i++)
		if (!one_deadline(t, CONSEC_US, &late)) {
			report_info("deadline %u: count %u, %lu ticks after CVAL", i, t->count,
				    late);
			ok = false;
		}
	report(ok, "%u consecutive %u us deadlines each fire once, none early", NR_CONSEC,
	       CONSEC_US);

	{
		u64 traps;

		ok = deadline_while_trapping(t, DEADLINE_US, &late, &traps);
		report(ok,
		       "TVAL %u us while only trapped OSLSR_EL1 reads exit: fired once (%u), not "
		       "before CVAL (%lu ticks after, %lu reads)",
		       DEADLINE_US, t->count, late, traps);
	}

	t->count = 0;
	now = t->counter();
	t->set_cval(now - gic_us_to_ticks(1000));
	t->set_ctl(CTL_ENABLE | CTL_IMASK);
	ok = t->ctl() & CTL_ISTATUS;
	now = t->counter();
	t->set_ctl(CTL_ENABLE);
	unmasked_wait(t, 1, PAST_US);
	latency = t->fired_at - now;
	unmasked_delay(QUIET_US / 10);
	t->set_ctl(0);
	report(ok && t->count == 1,
	       "past deadline: ISTATUS with IMASK, fires at once when unmasked (%u, %lu ticks)",
	       t->count, t->count ? latency : 0);

	test_level(t, lower_disable, "clearing ENABLE");
	test_level(t, lower_imask, "setting IMASK");
	test_level(t, lower_cval_ahead, "moving CVAL ahead");
	gic_irq_enable(t->intid);
	test_extremes(t);

	gic_irq_disable(t->intid);
	report_prefix("timer");
}

int main(void)
{
	report_prefix("timer");
	if (!gic_dist_init() || !gic_cpu_init())
		report_abort("GICv3 set-up failed");
	test_counters();
	for (unsigned int i = 0; i < ARRAY_SIZE(timers); i++)
		test_timer(&timers[i]);
	for (unsigned int i = 0; i < ARRAY_SIZE(timers); i++) {
		gic_irq_enable(timers[i].intid);
		test_wfi_far(&timers[i], &timers[1 - i], ~0UL);
		test_wfi_far(&timers[i], &timers[1 - i], 1UL << 63);
		gic_irq_disable(timers[i].intid);
	}
	report(gic_unhandled_count() == 0, "no interrupt without a handler (%u), %u spurious",
	       gic_unhandled_count(), gic_spurious_count());
	return 0;
}
