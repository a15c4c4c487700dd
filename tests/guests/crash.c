// SPDX-License-Identifier: GPL-2.0-only
/*
 * A guest stuck in an exception loop is stopped by Tern with one message; a guest that keeps
 * faulting but makes progress is not. Bootarg loop=<how> picks the loop (nothing after it runs):
 *   loop=vbar     VBAR_EL1 points into a hole; a data abort sends the vCPU to a vector that
 *                 cannot be fetched (the report's RTOS looped like this 285,109 times in 12 s)
 *   loop=refault  the handler returns to the faulting load without skipping it
 * Before that, 1000 aborts at one pc whose handler skips the load must all be taken.
 * "INFO: crash: expect pc 0x... vbar 0x..." tells the runner what Tern must report; then the
 * VM never reaches SUMMARY: Tern stops it.
 */
#include "libguest.h"

#define HOLE_IPA   0x00002000UL /* below the GIC: nothing there */
#define HOLE_VBAR  0x00100000UL
#define NR_SKIPPED 1000

extern char crash_refault_vectors[], crash_load[];

/* Every vector: return to the faulting instruction as it is, without fixing anything. */
asm(".pushsection .text\n"
    ".balign 0x800\n"
    ".global crash_refault_vectors\n"
    "crash_refault_vectors:\n"
    ".rept 16\n"
    ".balign 0x80\n"
    "eret\n"
    ".endr\n"
    ".popsection\n");

static __attribute__((noinline)) void fault_once(void)
{
	u64 v;

	asm volatile(".global crash_load\n"
		     "crash_load: ldr %0, [%1]"
		     : "=r"(v)
		     : "r"(HOLE_IPA)
		     : "memory");
}

int main(void)
{
	char how[16] = "";
	unsigned int taken = 0;
	u64 esr;

	report_prefix("crash");
	bootarg_get("loop", how, sizeof(how));
	for (unsigned int i = 0; i < NR_SKIPPED; i++) {
		expect_exception(ESR_EC_DABT_CUR);
		fault_once();
		taken += exception_taken(&esr, NULL) && exception_elr() == (u64)crash_load;
	}
	report(taken == NR_SKIPPED, "%u of %u aborts at one pc with a skipping handler taken",
	       taken, NR_SKIPPED);

	if (!strcmp(how, "vbar")) {
		printf("INFO: crash: expect pc 0x%lx vbar 0x%lx\n", HOLE_VBAR + 0x200, HOLE_VBAR);
		write_sysreg(HOLE_VBAR, vbar_el1);
		isb();
	} else if (!strcmp(how, "refault")) {
		printf("INFO: crash: expect pc 0x%lx vbar 0x%lx\n", (u64)crash_load,
		       (u64)crash_refault_vectors);
		write_sysreg((u64)crash_refault_vectors, vbar_el1);
		isb();
	} else {
		report_skip("no loop=vbar|refault bootarg: no loop started");
		return 0;
	}
	fault_once();
	report(false, "still running after the loop (%s)", how);
	return 0;
}
