// SPDX-License-Identifier: GPL-2.0-only
/*
 * UNDEFINED instructions reach the guest's own EL1 vector as EC 0x00 (Unknown reason) at the
 * faulting instruction, and execution continues after it: a permanently undefined instruction
 * (the CPU's own UNDEF), and accesses to registers that trap to Tern and that it does not
 * emulate, so its default exit handler injects the UNDEF: LORID_EL1 and LORC_EL1 exist on this
 * CPU (QEMU -cpu max has LORegions, natively they read and write) but HCR_EL2.TLOR traps them
 * and LORegions are hidden. The runner checks Tern counted exactly those two injected UNDEFs.
 */
#include "libguest.h"

extern char undef_udf[], undef_mrs[], undef_msr[];

static void check(const char *what, const char *insn, bool taken, u64 esr, bool continued)
{
	u64 elr = exception_elr();

	report(taken && ESR_EC(esr) == ESR_EC_UNKNOWN && elr == (u64)insn && continued,
	       "%s: EC 0x%lx at 0x%lx (expected 0x00 at %p), execution continued", what,
	       ESR_EC(esr), elr, insn);
}

int main(void)
{
	volatile bool continued;
	u64 esr, v = 0x1234;
	bool taken;

	report_prefix("undef");

	continued = false;
	expect_exception(ESR_EC_UNKNOWN);
	asm volatile(".global undef_udf\nundef_udf: udf #0" ::: "memory");
	continued = true;
	taken = exception_taken(&esr, NULL);
	check("udf #0", undef_udf, taken, esr, continued);

	continued = false;
	expect_exception(ESR_EC_UNKNOWN);
	asm volatile(".global undef_mrs\nundef_mrs: mrs %0, s3_0_c10_c4_7" : "+r"(v)::"memory");
	continued = true;
	taken = exception_taken(&esr, NULL);
	check("mrs LORID_EL1 (trapped by TLOR)", undef_mrs, taken, esr, continued);
	report(v == 0x1234, "the undefined mrs left its destination alone (0x%lx)", v);

	continued = false;
	expect_exception(ESR_EC_UNKNOWN);
	asm volatile(".global undef_msr\nundef_msr: msr s3_0_c10_c4_3, %0" : : "r"(v) : "memory");
	continued = true;
	taken = exception_taken(&esr, NULL);
	check("msr LORC_EL1 (trapped by TLOR)", undef_msr, taken, esr, continued);
	return 0;
}
