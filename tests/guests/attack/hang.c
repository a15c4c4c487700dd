// SPDX-License-Identifier: GPL-2.0-only
/*
 * Hangs and storms: spinning with interrupts masked, WFE/WFI loops, storms of hypercalls, MMIO
 * exits, aborts, UNDEFs, trapped registers and SGIs, CPU_ON/CPU_OFF cycles of a secondary and a
 * secondary that takes (and handles) a stage-2 abort forever. A vCPU whose vectors themselves
 * fault is a crashed guest that Tern stops (vm_guest_crash), tested by the inject guest. None of it
 * may stop Tern or the victim VM (checked from outside); each attack checks that this VM itself
 * still makes progress.
 */
#include "attack.h"

static bool spin_masked(void)
{
	u64 t0 = now_us();

	asm volatile("msr daifset, #0xf");
	while (now_us() - t0 < 100000)
		;
	return true;
}

static bool wfe_loop(void)
{
	u64 t0 = now_us();

	for (unsigned int i = 0; i < 20000; i++)
		asm volatile("wfe");
	return now_us() >= t0;
}

static bool wfi_wakes_on_timer(void)
{
	u64 t0;

	if (!attack_have_gic)
		return true;
	gic_cpu_init();
	gic_irq_enable(GIC_PPI_VTIMER);
	write_sysreg(read_sysreg(cntvct_el0) + read_sysreg(cntfrq_el0) / 200, cntv_cval_el0);
	write_sysreg(1, cntv_ctl_el0);
	isb();
	t0 = now_us();
	asm volatile("dsb sy\n\twfi" ::: "memory"); /* masked: wakes, takes nothing */
	write_sysreg(0, cntv_ctl_el0);
	gic_irq_disable(GIC_PPI_VTIMER);
	isb();
	return now_us() - t0 < 2000000;
}

static bool hvc_storm(void)
{
	for (unsigned int i = 0; i < 20000; i++) {
		if (smccc_call(PSCI_VERSION, 0, 0, 0) <= 0)
			return false;
	}
	return true;
}

static bool mmio_storm(void)
{
	for (unsigned int i = 0; i < 20000; i++)
		(void)*(volatile u32 *)(GUEST_UART_BASE + 0x18);
	return true;
}

static bool abort_storm(void)
{
	for (unsigned int i = 0; i < 3000; i++) {
		if (probe_read(attack_ram_base + attack_ram_size + 0x1000, 4, NULL) != PROBE_ABORT)
			return false;
	}
	return true;
}

static bool undef_storm(void)
{
	for (unsigned int i = 0; i < 3000; i++) {
		u64 esr;

		expect_exception(EXCEPTION_ANY);
		asm volatile("udf #7");
		if (!exception_taken(&esr, NULL))
			return false;
	}
	return true;
}

static bool trap_storm(void)
{
	/* The EL1 physical timer is emulated by Tern: every access traps to EL2. */
	u64 v = 0;

	for (unsigned int i = 0; i < 20000; i++)
		v += read_sysreg(cntp_ctl_el0);
	return v < 20000 * 8;
}

static bool sgi_storm(void)
{
	if (!attack_have_gic)
		return true;
	gic_cpu_init();
	gic_irq_enable(3);
	for (unsigned int i = 0; i < 5000; i++) {
		gic_send_sgi(cpu_mpidr(), 3);
	}
	gic_irqs_unmask();
	delay_us(2000);
	gic_irqs_mask();
	gic_irq_disable(3);
	return true;
}

static volatile u32 sec_runs;

static void secondary_off(u64 arg)
{
	(void)arg;
	sec_runs = sec_runs + 1;
	psci_cpu_off();
}

static bool cpu_on_off_cycles(void)
{
	u64 mpidr = attack_nr_vcpus - 1;

	if (attack_nr_vcpus < 2)
		return true;
	sec_runs = 0;
	for (unsigned int i = 0; i < 30; i++) {
		u64 t0 = now_us();

		while (psci_affinity_info(mpidr, 0) != 1 && now_us() - t0 < 1000000)
			;
		if (cpu_start(mpidr, (unsigned int)mpidr, secondary_off, i) != PSCI_RET_SUCCESS)
			return false;
	}
	delay_us(20000);
	return sec_runs >= 25;
}

/*
 * A secondary that takes a stage-2 abort forever, each one handled by its own vector (which
 * steps over the load) - a busy guest, not a crashed one: every access is an exit to Tern and an
 * injected abort. Tern, this vCPU and the victim must carry on.
 */
asm(".pushsection .text\n"
    ".balign 2048\n"
    "abort_loop_vectors:\n"
    "	.rept 16\n"
    "	mrs x2, elr_el1\n"
    "	add x2, x2, #4\n"
    "	msr elr_el1, x2\n"
    "	eret\n"
    "	.balign 128\n"
    "	.endr\n"
    "abort_loop_entry:\n"
    "	adr x1, abort_loop_vectors\n"
    "	msr vbar_el1, x1\n"
    "	isb\n"
    "	mov x1, #0x1000\n" /* IPA 0x1000: a hole */
    "1:	ldr x3, [x1]\n"
    "	b 1b\n"
    ".popsection\n");
extern char abort_loop_entry[];

static bool secondary_abort_loop(void)
{
	u64 mpidr = attack_nr_vcpus - 1, t0;

	if (attack_nr_vcpus < 2)
		return true;
	t0 = now_us();
	while (psci_affinity_info(mpidr, 0) != 1 && now_us() - t0 < 1000000)
		;
	if (psci_cpu_on(mpidr, (u64)abort_loop_entry, 0) != PSCI_RET_SUCCESS)
		return false;
	t0 = now_us();
	delay_us(50000);
	return now_us() - t0 >= 50000 && psci_affinity_info(mpidr, 0) == 0;
}

ATTACK_TABLE(hang, { "spin 100 ms with everything masked", spin_masked }, { "WFE loop", wfe_loop },
	     { "WFI wakes on a masked timer", wfi_wakes_on_timer },
	     { "hypercall storm", hvc_storm }, { "MMIO exit storm", mmio_storm },
	     { "stage-2 abort storm", abort_storm }, { "UNDEF storm", undef_storm },
	     { "trapped register storm", trap_storm }, { "SGI storm", sgi_storm },
	     { "CPU_ON/CPU_OFF cycles", cpu_on_off_cycles },
	     { "a secondary in an endless abort loop (last)", secondary_abort_loop });
