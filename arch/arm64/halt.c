// SPDX-License-Identifier: GPL-2.0-only
/*
 * Ending the machine: Tern's exit status line for the launcher, then PSCI SYSTEM_OFF (always on
 * success, after a failure with PANIC_POWER_OFF) or a halt. Tern never uses semihosting: QEMU
 * serves it to EL1 as well, so a guest could reach the host through it.
 */
#include <asm/processor.h>
#include <asm/sysreg.h>
#include <drivers/psci.h>
#include <tern/exit_status.h>
#include <tern/kconfig.h>
#include <tern/panic.h>
#include <tern/printk.h>

static bool halt_reported;

void system_halt(bool failure)
{
	local_irq_disable();
	/* A fault while reporting, or a second pCPU getting here, must not print again. */
	if (!__atomic_exchange_n(&halt_reported, true, __ATOMIC_SEQ_CST))
		exit_status_report(failure ? 1 : 0);
	if (!failure || IS_ENABLED(CONFIG_PANIC_POWER_OFF)) {
		psci_system_off();
		if (!failure)
			pr_err("power off failed: halting\n");
	}
	cpu_halt();
}
