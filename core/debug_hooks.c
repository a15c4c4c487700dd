// SPDX-License-Identifier: GPL-2.0-only
/* Deliberate failures for tests of the panic path (CONFIG_DEBUG_PANIC_HOOK builds only). */
#include <asm/mmu.h>
#include <string.h>
#include <tern/debug_hooks.h>
#include <tern/panic.h>
#include <tern/printk.h>

/* Bounded only by the stack: it must run into the guard region long before the limit. */
static unsigned int debug_recurse(unsigned int depth, unsigned int limit)
{
	volatile u8 pad[512];

	pad[0] = (u8)depth;
	if (depth == limit)
		return pad[0];
	return debug_recurse(depth + 1, limit) + pad[0];
}

/*
 * Writes @n bytes from the start of a local array of 16: with n = 24, its last 8 overwrite the
 * stack protector's guard copy, which GCC places right above the function's arrays.
 */
static __attribute__((noinline)) void debug_smash(size_t n)
{
	char buf[16];

	memset(buf, 0x5a, n);
	__asm__ volatile("" : : "r"(buf) : "memory");
}

void debug_hook_run(const char *what)
{
	if (!what)
		return;
	if (strcmp(what, "panic") && strcmp(what, "overflow") && strcmp(what, "bug") &&
	    strcmp(what, "canary")) {
		pr_warn("debug: unknown tern.test value \"%s\" (panic, overflow, bug, canary)\n",
			what);
		return;
	}
	pr_warn("debug: tern.test=%s: crashing on purpose\n", what);
	if (!strcmp(what, "panic")) {
		/* A write to Tern's own text: a permission fault at EL2, W^X at work. */
		*(volatile u32 *)(uintptr_t)_text = 0;
	} else if (!strcmp(what, "overflow")) {
		debug_recurse(0, 1U << 20);
	} else if (!strcmp(what, "canary")) {
		/* Through a volatile, so the compiler cannot see the overflow coming. */
		volatile size_t n = 24;

		debug_smash(n);
	} else {
		BUG();
	}
	panic("debug: tern.test=%s did not crash", what);
}
