// SPDX-License-Identifier: GPL-2.0-only
/*
 * PSCI CPU_SUSPEND blocks the calling vCPU until a wake-up event, like WFI (2 vCPUs; run on 1
 * pCPU and on 2). vCPU 1 suspends with its interrupts masked (PSTATE.I), in the standby state and
 * in a powerdown state (which Tern carries out as standby: it returns SUCCESS with the registers
 * kept). vCPU 0 checks that it has not returned 50 ms later, then sends it an SGI: only then does
 * the call return. Also: its own virtual timer wakes it (not before the deadline), an interrupt
 * already pending makes it return at once, and a power_state with reserved bits set is refused.
 * A CPU_SUSPEND that returns at once (what Tern did before) fails the first checks.
 */
#include "smp.h"

#define SGI_WAKE     3
#define CTL_ENABLE   (1UL << 0)
#define CTL_IMASK    (1UL << 1)
#define PS_STANDBY   0x00000000U
#define PS_POWERDOWN 0x00010000U /* StateType 1 */
#define PS_RESERVED  0x00020000U /* bit 17: reserved in the original format */
#define WAIT_US	     2000000
#define QUIET_US     50000
#define TIMER_US     30000
#define X19_PATTERN  0x5e5e0019a5a5a519UL

static struct {
	u32 power_state;
	bool timer; /* arm the virtual timer (TIMER_US) instead of waiting for an SGI */
	volatile u32 entered, returned;
	volatile s64 ret;
	volatile u64 called_at, returned_at, x19;
	volatile u64 deadline; /* the virtual counter value the timer was armed for */
} sus;

static u64 now(void)
{
	return gic_counter();
}

static u64 ticks_to_us(u64 t)
{
	return t * 1000000 / read_sysreg(cntfrq_el0);
}

/* CPU_SUSPEND with x19 holding a pattern: it must still hold it when the call returns. */
static s64 suspend_keep_x19(u32 power_state, u64 *x19)
{
	register u64 x0 asm("x0") = PSCI_CPU_SUSPEND;
	register u64 x1 asm("x1") = power_state;
	register u64 x2 asm("x2") = 0x40000000;
	register u64 x3 asm("x3") = 0;
	u64 out;

	if (smccc_conduit == SMCCC_CONDUIT_SMC)
		asm volatile("mov x19, %[pat]\n\tsmc #0\n\tmov %[out], x19"
			     : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), [out] "=r"(out)
			     : [pat] "r"(X19_PATTERN)
			     : "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13",
			       "x14", "x15", "x16", "x17", "x19", "memory");
	else
		asm volatile("mov x19, %[pat]\n\thvc #0\n\tmov %[out], x19"
			     : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), [out] "=r"(out)
			     : [pat] "r"(X19_PATTERN)
			     : "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13",
			       "x14", "x15", "x16", "x17", "x19", "memory");
	*x19 = out;
	return (s64)x0;
}

/* vCPU 1: suspend with interrupts masked; what woke it stays pending until it unmasks. */
static void suspend_work(unsigned int cpu, void *arg)
{
	u64 x19 = 0;

	(void)cpu;
	(void)arg;
	gic_irqs_mask();
	if (sus.timer) {
		sus.deadline = now() + gic_us_to_ticks(TIMER_US);
		write_sysreg(sus.deadline, cntv_cval_el0);
		write_sysreg(CTL_ENABLE, cntv_ctl_el0);
		isb();
	}
	sus.called_at = now();
	smp_store_release(&sus.entered, 1);
	sus.ret = suspend_keep_x19(sus.power_state, &x19);
	sus.returned_at = now();
	sus.x19 = x19;
	smp_store_release(&sus.returned, 1);
	write_sysreg(0, cntv_ctl_el0);
	isb();
	gic_irq_clear_pending(SGI_WAKE);
}

static void test_wakes_on_sgi(const char *name, u32 power_state)
{
	u64 sent;
	bool early, back;

	memset((void *)&sus, 0, sizeof(sus));
	sus.power_state = power_state;
	smp_run_on(1U << 1, suspend_work, NULL);
	while (!smp_load_acquire(&sus.entered))
		smp_relax();
	gic_delay_us(QUIET_US);
	early = smp_load_acquire(&sus.returned);
	sent = now();
	gic_send_sgi(smp_mpidr[1], SGI_WAKE);
	back = smp_wait_done(1U << 1, WAIT_US) == 0;
	report(!early && back && sus.ret == PSCI_RET_SUCCESS && sus.returned_at >= sent &&
		   sus.x19 == X19_PATTERN,
	       "%s: vCPU 1 stays suspended %u ms (returned early: %u), returns SUCCESS (%ld) "
	       "only after vCPU 0's SGI (%ld us after it), x19 kept (0x%lx)",
	       name, QUIET_US / 1000, early, sus.ret,
	       (long)(s64)(sus.returned_at - sent) * 1000000 / (long)read_sysreg(cntfrq_el0),
	       sus.x19);
}

/*
 * Not before the deadline means not before the counter reached the compare value: a time measured
 * from the call would count whatever delayed this vCPU between arming the timer and the call (on
 * a loaded host, QEMU's thread for it not running), as an early wake-up.
 */
static void test_wakes_on_timer(void)
{
	u64 slept;
	bool back;

	memset((void *)&sus, 0, sizeof(sus));
	sus.power_state = PS_STANDBY;
	sus.timer = true;
	smp_run_on(1U << 1, suspend_work, NULL);
	back = smp_wait_done(1U << 1, WAIT_US) == 0;
	slept = ticks_to_us(sus.returned_at - sus.called_at);
	report(back && sus.ret == PSCI_RET_SUCCESS && sus.returned_at >= sus.deadline,
	       "its own virtual timer wakes a suspended vCPU, not before the deadline (%u us after "
	       "arming): %lu us after the call, %ld us past the deadline",
	       TIMER_US, slept,
	       (long)(s64)(sus.returned_at - sus.deadline) * 1000000 /
		   (long)read_sysreg(cntfrq_el0));
}

static void test_pending_returns_at_once(void)
{
	u64 t0, took;
	s64 ret;

	/* vCPU 0, interrupts masked, with its own SGI already pending: no sleep at all. */
	gic_irqs_mask();
	gic_send_sgi(smp_mpidr[0], SGI_WAKE);
	gic_delay_us(1000);
	t0 = now();
	ret = psci_cpu_suspend(PS_STANDBY, 0x40000000, 0);
	took = ticks_to_us(now() - t0);
	gic_irq_clear_pending(SGI_WAKE);
	report(ret == PSCI_RET_SUCCESS && took < QUIET_US,
	       "an interrupt already pending: CPU_SUSPEND returns at once (%ld, %lu us)", ret,
	       took);
	ret = psci_cpu_suspend(PS_RESERVED, 0x40000000, 0);
	report(ret == PSCI_RET_INVALID_PARAMETERS,
	       "a power_state with reserved bits set is refused (%ld)", ret);
}

static void cpu_setup(unsigned int cpu)
{
	(void)cpu;
	gic_irq_enable(SGI_WAKE);
	gic_irq_enable(GIC_PPI_VTIMER);
}

int main(void)
{
	unsigned int n;

	report_prefix("suspend");
	n = smp_init();
	if (n < 2)
		report_abort("needs 2 vCPUs, the DTB lists %u", n);
	if (!gic_dist_init() || !gic_cpu_init())
		report_abort("GICv3 set-up failed");
	cpu_setup(0);
	smp_set_cpu_setup(cpu_setup);
	if (smp_cpu_on(1, false, 1) != PSCI_RET_SUCCESS || !smp_wait_ready(1, 1, WAIT_US))
		report_abort("vCPU 1 did not start");
	test_wakes_on_sgi("standby", PS_STANDBY);
	test_wakes_on_sgi("powerdown (carried out as standby)", PS_POWERDOWN | 0x2a);
	test_wakes_on_timer();
	test_pending_returns_at_once();
	return 0;
}
