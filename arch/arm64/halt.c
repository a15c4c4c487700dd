// SPDX-License-Identifier: GPL-2.0-only
/* Ending the machine: PSCI SYSTEM_OFF when all is well, a failure exit for emulators otherwise. */
#include <asm/processor.h>
#include <asm/sysreg.h>
#include <drivers/psci.h>
#include <tern/kconfig.h>
#include <tern/panic.h>
#include <tern/printk.h>

#define SEMIHOSTING_SYS_EXIT	     0x18
#define ADP_STOPPED_APPLICATION_EXIT 0x20026

static bool semihosting_tried;

/*
 * Arm semihosting SYS_EXIT with an exit status. When QEMU runs without semihosting, HLT is
 * an undefined instruction: the resulting exception comes back to system_halt(), which must
 * not try again.
 */
static void semihosting_exit(u64 status)
{
	u64 block[2] = { ADP_STOPPED_APPLICATION_EXIT, status };
	register u64 x0 __asm__("x0") = SEMIHOSTING_SYS_EXIT;
	register u64 x1 __asm__("x1") = (u64)(uintptr_t)block;

	if (semihosting_tried)
		return;
	semihosting_tried = true;
	__asm__ __volatile__("hlt #0xf000" : "+r"(x0) : "r"(x1) : "memory");
}

void system_halt(bool failure)
{
	local_irq_disable();
	if (failure && IS_ENABLED(CONFIG_QEMU_SEMIHOSTING_EXIT))
		semihosting_exit(1);
	if (!failure) {
		psci_system_off();
		pr_err("power off failed: halting\n");
	}
	cpu_halt();
}
