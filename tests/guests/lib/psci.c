// SPDX-License-Identifier: GPL-2.0-only
/* SMCCC calls (HVC by default, SMC selectable) and PSCI helpers. */
#include "libguest.h"

enum smccc_conduit smccc_conduit = SMCCC_CONDUIT_DEFAULT;

struct cpu_boot {
	u64 sp;
	void (*fn)(u64 arg);
	u64 arg;
};

static struct cpu_boot cpu_boot[GUEST_MAX_CPUS];

extern char secondary_entry[];
void secondary_start(struct cpu_boot *boot);

s64 smccc_call(u32 fid, u64 a1, u64 a2, u64 a3)
{
	register u64 x0 asm("x0") = fid;
	register u64 x1 asm("x1") = a1;
	register u64 x2 asm("x2") = a2;
	register u64 x3 asm("x3") = a3;

	/* SMCCC 1.1: x4-x17 may be clobbered too; x0-x3 carry the results. */
	if (smccc_conduit == SMCCC_CONDUIT_SMC)
		asm volatile("smc #0"
			     : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
			     :
			     : "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13",
			       "x14", "x15", "x16", "x17", "memory");
	else
		asm volatile("hvc #0"
			     : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
			     :
			     : "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13",
			       "x14", "x15", "x16", "x17", "memory");
	return (s64)x0;
}

s64 psci_cpu_on(u64 mpidr, u64 entry, u64 context_id)
{
	return smccc_call(PSCI_CPU_ON, mpidr, entry, context_id);
}

s64 psci_affinity_info(u64 mpidr, u64 lowest_level)
{
	return smccc_call(PSCI_AFFINITY_INFO, mpidr, lowest_level, 0);
}

void psci_cpu_off(void)
{
	smccc_call(PSCI_CPU_OFF, 0, 0, 0);
}

void psci_system_off(void)
{
	smccc_call(PSCI_SYSTEM_OFF, 0, 0, 0);
	puts("FAIL: PSCI SYSTEM_OFF returned\n");
	for (;;)
		asm volatile("wfi");
}

void psci_system_reset(void)
{
	smccc_call(PSCI_SYSTEM_RESET, 0, 0, 0);
}

s64 psci_cpu_suspend(u32 power_state, u64 entry, u64 context_id)
{
	return smccc_call(PSCI_CPU_SUSPEND, power_state, entry, context_id);
}

u64 cpu_mpidr(void)
{
	return read_sysreg(mpidr_el1) & 0xff00ffffffUL;
}

s64 cpu_start(u64 mpidr, unsigned int cpu, void (*fn)(u64 arg), u64 arg)
{
	struct cpu_boot *b;

	if (cpu == 0 || cpu >= GUEST_MAX_CPUS)
		return PSCI_RET_INVALID_PARAMETERS;
	b = &cpu_boot[cpu];
	b->sp = (u64)_stacks_start +
		(cpu + 1) * (((u64)_stacks_end - (u64)_stacks_start) / GUEST_MAX_CPUS);
	b->fn = fn;
	b->arg = arg;
	/* The new vCPU starts with its caches off: what it reads must be in memory. */
	dcache_clean_poc(b, sizeof(*b));
	return psci_cpu_on(mpidr, (u64)secondary_entry, (u64)b);
}

void secondary_start(struct cpu_boot *boot)
{
	boot->fn(boot->arg);
	psci_cpu_off();
	for (;;)
		asm volatile("wfi");
}
