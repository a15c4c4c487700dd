// SPDX-License-Identifier: GPL-2.0-only
/*
 * Timers: the virtual and the (emulated) physical EL1 timer programmed with extreme compare
 * values - 0, 1, now, ~0, 2^63 - and TVAL at 0, INT32_MAX and negative, enabled and unmasked:
 * the counter keeps counting, ISTATUS says what the architecture says, the guest keeps running
 * (CVAL ~0 once froze every VM: issue 11), and a near deadline still fires.
 */
#include "attack.h"

#define CTL_ENABLE  1UL
#define CTL_IMASK   2UL
#define CTL_ISTATUS 4UL
#define RUN_US	    20000

/* The guest still runs and time still passes after programming. */
static bool alive(void)
{
	u64 c0 = read_sysreg(cntvct_el0), t0 = now_us();

	delay_us(RUN_US);
	return read_sysreg(cntvct_el0) > c0 && now_us() - t0 >= RUN_US;
}

static bool vcval(u64 cval, bool fired)
{
	u64 ctl;
	bool ok;

	write_sysreg(0, cntv_ctl_el0);
	write_sysreg(cval, cntv_cval_el0);
	write_sysreg(CTL_ENABLE, cntv_ctl_el0);
	isb();
	ok = alive();
	ctl = read_sysreg(cntv_ctl_el0);
	write_sysreg(0, cntv_ctl_el0);
	isb();
	return ok && !!(ctl & CTL_ISTATUS) == fired;
}

static bool pcval(u64 cval, bool fired)
{
	u64 ctl;
	bool ok;

	write_sysreg(0, cntp_ctl_el0);
	write_sysreg(cval, cntp_cval_el0);
	write_sysreg(CTL_ENABLE, cntp_ctl_el0);
	isb();
	ok = alive();
	ctl = read_sysreg(cntp_ctl_el0);
	write_sysreg(0, cntp_ctl_el0);
	isb();
	return ok && !!(ctl & CTL_ISTATUS) == fired;
}

static bool v_cval_0(void)
{
	return vcval(0, true);
}

static bool v_cval_1(void)
{
	return vcval(1, true);
}

static bool v_cval_now(void)
{
	return vcval(read_sysreg(cntvct_el0), true);
}

static bool v_cval_max(void)
{
	return vcval(~0UL, false);
}

static bool v_cval_2_63(void)
{
	return vcval(1UL << 63, false);
}

static bool v_cval_near_max(void)
{
	return vcval(~0UL - read_sysreg(cntvct_el0) + 1, false);
}

static bool p_cval_0(void)
{
	return pcval(0, true);
}

static bool p_cval_max(void)
{
	return pcval(~0UL, false);
}

static bool p_cval_2_63(void)
{
	return pcval(1UL << 63, false);
}

static bool tval(bool phys, u64 val, bool fired)
{
	u64 ctl;
	bool ok;

	if (phys) {
		write_sysreg(val, cntp_tval_el0);
		write_sysreg(CTL_ENABLE, cntp_ctl_el0);
	} else {
		write_sysreg(val, cntv_tval_el0);
		write_sysreg(CTL_ENABLE, cntv_ctl_el0);
	}
	isb();
	ok = alive();
	ctl = phys ? read_sysreg(cntp_ctl_el0) : read_sysreg(cntv_ctl_el0);
	write_sysreg(0, cntp_ctl_el0);
	write_sysreg(0, cntv_ctl_el0);
	isb();
	return ok && !!(ctl & CTL_ISTATUS) == fired;
}

static bool v_tval_0(void)
{
	return tval(false, 0, true);
}

static bool v_tval_max(void)
{
	return tval(false, 0x7fffffff, false);
}

static bool v_tval_negative(void)
{
	return tval(false, 0xffffffff, true);
}

static bool v_tval_int32_min(void)
{
	/* CVAL = CNTVCT - 2^31, modulo 2^64: due only if the counter is past 2^31. */
	return tval(false, 0x80000000, read_sysreg(cntvct_el0) >= (1UL << 31));
}

static bool p_tval_negative(void)
{
	return tval(true, 0xffffffff, true);
}

static bool p_tval_max(void)
{
	return tval(true, 0x7fffffff, false);
}

static bool ctl_junk(void)
{
	write_sysreg(~0UL, cntv_ctl_el0);
	write_sysreg(~0UL, cntp_ctl_el0);
	isb();
	write_sysreg(0, cntv_ctl_el0);
	write_sysreg(0, cntp_ctl_el0);
	isb();
	return alive();
}

static bool cntkctl_junk(void)
{
	u64 saved = read_sysreg(cntkctl_el1);

	write_sysreg(~0UL, cntkctl_el1);
	isb();
	write_sysreg(saved, cntkctl_el1);
	isb();
	return alive();
}

static bool reprogram_storm(void)
{
	for (unsigned int i = 0; i < 5000; i++) {
		write_sysreg(i & 1 ? ~0UL : 0UL, cntv_cval_el0);
		write_sysreg(CTL_ENABLE, cntv_ctl_el0);
		write_sysreg(i & 1 ? 1UL << 63 : 1UL, cntp_cval_el0);
		write_sysreg(CTL_ENABLE, cntp_ctl_el0);
	}
	write_sysreg(0, cntv_ctl_el0);
	write_sysreg(0, cntp_ctl_el0);
	isb();
	return alive();
}

static volatile u32 ticks;

static void tick(u32 intid)
{
	(void)intid;
	write_sysreg(0, cntv_ctl_el0);
	ticks = ticks + 1;
}

static bool near_deadline_fires(void)
{
	bool got;

	if (!attack_have_gic)
		return true;
	gic_cpu_init();
	gic_set_handler(GIC_PPI_VTIMER, tick);
	gic_irq_enable(GIC_PPI_VTIMER);
	ticks = 0;
	/* After the extreme values above, an ordinary 1 ms deadline must still fire. */
	write_sysreg(read_sysreg(cntvct_el0) + read_sysreg(cntfrq_el0) / 1000, cntv_cval_el0);
	write_sysreg(CTL_ENABLE, cntv_ctl_el0);
	isb();
	gic_irqs_unmask();
	got = gic_wait_count(&ticks, 1, 200000);
	gic_irqs_mask();
	write_sysreg(0, cntv_ctl_el0);
	gic_irq_disable(GIC_PPI_VTIMER);
	return got;
}

static bool masked_cval_0_unmasked_irq(void)
{
	/* IMASK set: no interrupt, however overdue. */
	if (!attack_have_gic)
		return true;
	gic_cpu_init();
	gic_set_handler(GIC_PPI_VTIMER, tick);
	gic_irq_enable(GIC_PPI_VTIMER);
	ticks = 0;
	write_sysreg(0, cntv_cval_el0);
	write_sysreg(CTL_ENABLE | CTL_IMASK, cntv_ctl_el0);
	isb();
	gic_irqs_unmask();
	delay_us(5000);
	gic_irqs_mask();
	write_sysreg(0, cntv_ctl_el0);
	gic_irq_disable(GIC_PPI_VTIMER);
	return ticks == 0;
}

ATTACK_TABLE(timer, { "CNTV_CVAL 0", v_cval_0 }, { "CNTV_CVAL 1", v_cval_1 },
	     { "CNTV_CVAL now", v_cval_now }, { "CNTV_CVAL ~0", v_cval_max },
	     { "CNTV_CVAL 2^63", v_cval_2_63 }, { "CNTV_CVAL ~0 - now", v_cval_near_max },
	     { "CNTP_CVAL 0", p_cval_0 }, { "CNTP_CVAL ~0", p_cval_max },
	     { "CNTP_CVAL 2^63", p_cval_2_63 }, { "CNTV_TVAL 0", v_tval_0 },
	     { "CNTV_TVAL INT32_MAX", v_tval_max }, { "CNTV_TVAL -1", v_tval_negative },
	     { "CNTV_TVAL INT32_MIN", v_tval_int32_min }, { "CNTP_TVAL -1", p_tval_negative },
	     { "CNTP_TVAL INT32_MAX", p_tval_max }, { "CTL with every bit set", ctl_junk },
	     { "CNTKCTL_EL1 junk", cntkctl_junk }, { "reprogramming storm", reprogram_storm },
	     { "a 1 ms deadline still fires", near_deadline_fires },
	     { "IMASK holds an overdue timer", masked_cval_0_unmasked_irq });
