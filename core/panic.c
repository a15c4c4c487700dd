// SPDX-License-Identifier: GPL-2.0-only
#include <asm/backtrace.h>
#include <asm/sysreg.h>
#include <tern/console.h>
#include <tern/panic.h>
#include <tern/percpu.h>
#include <tern/printk.h>

static u32 panic_count;

bool panic_begin(void)
{
	local_irq_disable();
	/* A fault while reporting a fault must not loop: the second one only halts. */
	if (__atomic_fetch_add(&panic_count, 1, __ATOMIC_SEQ_CST) != 0)
		return false;
	printk_force_unlock();
	return true;
}

void panic(const char *fmt, ...)
{
	va_list ap;

	if (!panic_begin())
		system_halt(true);
	printk(LOG_ERR, "*** Tern PANIC on pCPU %u: ", this_cpu_id());
	va_start(ap, fmt);
	vprintk(LOG_ERR, fmt, ap);
	va_end(ap);
	printk(LOG_ERR, " ***\n");
	/* Start at the caller: panic()'s own frame would repeat the call site. */
	arch_backtrace(*(const u64 *)__builtin_frame_address(0),
		       (u64)(uintptr_t)__builtin_return_address(0) - 4);
	system_halt(true);
}

void bug_report(const char *fmt, ...)
{
	va_list ap;

	printk(LOG_ERR, "*** Tern PANIC on pCPU %u: ", this_cpu_id());
	va_start(ap, fmt);
	vprintk(LOG_ERR, fmt, ap);
	va_end(ap);
	printk(LOG_ERR, " ***\n");
}

/* Called by -fstack-protector code when a function's canary was overwritten. */
void __stack_chk_fail(void);
void __stack_chk_fail(void)
{
	panic("stack protector: stack corrupted in the function returning to 0x%lx",
	      (unsigned long)__builtin_return_address(0));
}

/* The guard of Debian's libfdt.a, built with the global guard; Tern's own is per pCPU. */
uintptr_t __stack_chk_guard;
