// SPDX-License-Identifier: GPL-2.0-only
/*
 * The generic timers through the virtual GICv3: the counters are monotonic; the EL1 virtual timer
 * (PPI 27) and the EL1 physical timer (PPI 30) each fire once per deadline and never before it,
 * stay quiet when disabled, fire for several consecutive deadlines and at once for a past one.
 * The handler masks the timer with CNT*_CTL.IMASK before the EOI, as a level-triggered PPI needs.
 */
#include "gic.h"

#define CTL_ENABLE  (1UL << 0)
#define CTL_IMASK   (1UL << 1)
#define CTL_ISTATUS (1UL << 2)
#define PRIO_TIMER  0x80
#define DEADLINE_US 1000
#define FIRE_US	    100000 /* a deadline must be met within this */
#define QUIET_US    10000
#define PAST_US	    10000 /* "at once" for a deadline in the past */
#define NR_CONSEC   5
#define CONSEC_US   500
#define MONO_READS  100000

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
	report(gic_unhandled_count() == 0, "no interrupt without a handler (%u), %u spurious",
	       gic_unhandled_count(), gic_spurious_count());
	return 0;
}
