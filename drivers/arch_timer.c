// SPDX-License-Identifier: GPL-2.0-only
/* The architected generic timer as Tern itself uses it: the counter and the EL2 physical timer. */
#include <asm/sysreg.h>
#include <drivers/arch_timer.h>
#include <tern/compiler.h>
#include <tern/errno.h>
#include <tern/irq.h>
#include <tern/percpu.h>
#include <tern/printk.h>

#define CNTHP_CTL_ENABLE  (1UL << 0)
#define CNTHP_CTL_IMASK	  (1UL << 1)
#define CNTHP_CTL_ISTATUS (1UL << 2)
#define CNTHCTL_EL1PCTEN  (1UL << 0)
#define CNTHCTL_EL1PCEN	  (1UL << 1)

static u64 timer_freq;
static unsigned int timer_hyp_intid;
static volatile u64 timer_selftest_fired;

u64 arch_timer_freq(void)
{
	return timer_freq;
}

u64 arch_timer_now(void)
{
	isb();
	return read_sysreg(cntpct_el0);
}

void arch_timer_udelay(u64 us)
{
	u64 end = arch_timer_now() + us * timer_freq / 1000000;

	while (arch_timer_now() < end)
		;
}

__cold int arch_timer_init(const struct platform_timer *t)
{
	u64 cntfrq = read_sysreg(cntfrq_el0);

	timer_hyp_intid = t->hyp_phys_intid;
	timer_freq = cntfrq;
	/* The DT's clock-frequency exists for firmware that forgot to program CNTFRQ_EL0. */
	if (t->freq && t->freq != cntfrq) {
		pr_warn("timer: device tree says %u Hz, CNTFRQ_EL0 says %llu Hz; using the DT\n",
			t->freq, (unsigned long long)cntfrq);
		timer_freq = t->freq;
	}
	if (!timer_freq) {
		pr_err("timer: frequency unknown (CNTFRQ_EL0 is 0 and the DT gives none)\n");
		return -TERN_ENODEV;
	}
	write_sysreg(0, cnthp_ctl_el2);
	/* Guests keep direct access to the counter; their timers are set up per vCPU later. */
	write_sysreg(CNTHCTL_EL1PCTEN | CNTHCTL_EL1PCEN, cnthctl_el2);
	write_sysreg(0, cntvoff_el2);
	isb();
	pr_info("timer: %llu Hz, EL2 timer intid %u\n", (unsigned long long)timer_freq,
		timer_hyp_intid);
	return 0;
}

static void (*timer_event_fn)(void);

static void timer_event_irq(unsigned int intid, void *priv)
{
	(void)intid;
	(void)priv;
	write_sysreg(CNTHP_CTL_IMASK, cnthp_ctl_el2);
	timer_event_fn();
}

int arch_timer_event_init_cpu(void (*fn)(void))
{
	write_sysreg(0, cnthp_ctl_el2);
	timer_event_fn = fn;
	return irq_request(timer_hyp_intid, timer_event_irq, NULL);
}

void arch_timer_event_at(u64 when)
{
	write_sysreg(when, cnthp_cval_el2);
	write_sysreg(CNTHP_CTL_ENABLE, cnthp_ctl_el2);
	isb();
}

void arch_timer_event_cancel(void)
{
	write_sysreg(0, cnthp_ctl_el2);
	isb();
}

static void timer_selftest_irq(unsigned int intid, void *priv)
{
	(void)intid;
	(void)priv;
	write_sysreg(CNTHP_CTL_IMASK, cnthp_ctl_el2);
	timer_selftest_fired = arch_timer_now();
}

__cold int arch_timer_selftest(void)
{
	u64 start, deadline, limit;
	int rc;

	rc = irq_request(timer_hyp_intid, timer_selftest_irq, NULL);
	if (rc)
		return rc;
	timer_selftest_fired = 0;
	start = arch_timer_now();
	deadline = start + timer_freq / 1000; /* 1 ms */
	/*
	 * A timer that works on hardware answers within microseconds and a broken one never does,
	 * so the limit only has to be finite: under an emulator on a saturated host the interrupt
	 * came more than 100 ms late (a CI run with three test suites at once) and Tern refused
	 * to boot.
	 */
	limit = start + timer_freq * 5;
	write_sysreg(deadline, cnthp_cval_el2);
	write_sysreg(CNTHP_CTL_ENABLE, cnthp_ctl_el2);
	isb();
	local_irq_enable();
	/* Poll rather than WFI: if the interrupt never came, WFI would never return. */
	while (!timer_selftest_fired && arch_timer_now() < limit)
		;
	local_irq_disable();
	write_sysreg(0, cnthp_ctl_el2);
	irq_disable(timer_hyp_intid);
	if (!timer_selftest_fired) {
		pr_err("timer: EL2 timer interrupt %u did not arrive within 5 s\n",
		       timer_hyp_intid);
		return -TERN_EIO;
	}
	if (timer_selftest_fired < deadline) {
		pr_err("timer: EL2 timer interrupt arrived before its deadline\n");
		return -TERN_EIO;
	}
	pr_info("timer: EL2 timer interrupt ok on pCPU %u (%llu us after the deadline)\n",
		this_cpu_id(),
		(unsigned long long)((timer_selftest_fired - deadline) * 1000000 / timer_freq));
	return 0;
}
