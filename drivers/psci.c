// SPDX-License-Identifier: GPL-2.0-only
/* PSCI client: how Tern starts secondary pCPUs and powers the machine off. */
#include <drivers/psci.h>
#include <tern/errno.h>
#include <tern/printk.h>
#include <tern/strtab.h>

static bool psci_ready;

static long psci_smc(u64 fn, u64 a1, u64 a2, u64 a3)
{
	register u64 x0 __asm__("x0") = fn;
	register u64 x1 __asm__("x1") = a1;
	register u64 x2 __asm__("x2") = a2;
	register u64 x3 __asm__("x3") = a3;

	/* SMCCC: x4-x17 may be clobbered by the callee. */
	__asm__ __volatile__("smc #0"
			     : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
			     :
			     : "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13",
			       "x14", "x15", "x16", "x17", "memory");
	return (long)x0;
}

int psci_init(const struct platform_psci *psci)
{
	long ver;

	/* An HVC from EL2 traps to EL2 itself: "hvc" describes firmware for a kernel below us. */
	if (psci->method != PSCI_METHOD_SMC) {
		pr_err(
		    "psci: the device tree asks for the HVC conduit, which Tern at EL2 cannot use; "
		    "no secondary pCPUs, no power off\n");
		return -TERN_ENOTSUP;
	}
	ver = psci_smc(PSCI_0_2_FN_PSCI_VERSION, 0, 0, 0);
	if (ver < 0) {
		pr_err("psci: PSCI_VERSION failed (%ld)\n", ver);
		return -TERN_ENODEV;
	}
	pr_info("psci: firmware implements PSCI %lu.%lu (smc)\n", (unsigned long)ver >> 16,
		(unsigned long)ver & 0xffff);
	psci_ready = true;
	return 0;
}

bool psci_available(void)
{
	return psci_ready;
}

int psci_cpu_on(u64 mpidr, paddr_t entry, u64 context_id)
{
	if (!psci_ready)
		return PSCI_RET_NOT_SUPPORTED;
	return (int)psci_smc(PSCI_0_2_FN64_CPU_ON, mpidr, entry, context_id);
}

void psci_system_off(void)
{
	if (psci_ready)
		psci_smc(PSCI_0_2_FN_SYSTEM_OFF, 0, 0, 0);
}

void psci_system_reset(void)
{
	if (psci_ready)
		psci_smc(PSCI_0_2_FN_SYSTEM_RESET, 0, 0, 0);
}

const char *psci_strerror(int ret)
{
	/* By -ret: PSCI's return codes are 0, -1, -2, ... */
	static const char names[] =
	    "SUCCESS\0NOT_SUPPORTED\0INVALID_PARAMETERS\0DENIED\0ALREADY_ON\0"
	    "ON_PENDING\0INTERNAL_FAILURE\0NOT_PRESENT\0DISABLED\0"
	    "INVALID_ADDRESS\0";
	const char *n = ret <= 0 ? strtab_nth(names, sizeof(names), -(unsigned int)ret) : NULL;

	return n ? n : "?";
}
