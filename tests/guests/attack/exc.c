// SPDX-License-Identifier: GPL-2.0-only
/*
 * Exceptions a guest raises in itself - SVC, BRK, HLT (semihosting or not), UDF, illegal
 * exception returns (to EL2, to AArch32 EL1), PC and SP alignment faults, breakpoints and
 * watchpoints, unallocated encodings - all taken at the guest's own EL1 vector with the right
 * class, none of them reaching (or stopping) Tern.
 */
#include "attack.h"

#define EC_ILLEGAL   0x0e
#define EC_SVC64     0x15
#define EC_PC_ALIGN  0x22
#define EC_SP_ALIGN  0x26
#define EC_BRK	     0x3c
#define EC_BKPT_CUR  0x31
#define EC_WATCH_CUR 0x35

static bool raises(unsigned int ec, void (*fn)(void))
{
	u64 esr;

	return !probe_call(fn, &esr) && ESR_EC(esr) == ec;
}

static void do_svc(void)
{
	asm volatile("svc #0x42" ::: "memory");
}

static void do_brk(void)
{
	asm volatile("brk #0x99" ::: "memory");
}

static void do_hlt0(void)
{
	asm volatile("hlt #0" ::: "memory");
}

static void do_hlt_semi(void)
{
	asm volatile("mov x0, #0x18\n\thlt #0xf000" ::: "x0", "memory");
}

static void do_udf(void)
{
	asm volatile("udf #0x1234" ::: "memory");
}

static bool svc(void)
{
	return raises(EC_SVC64, do_svc);
}

static bool brk(void)
{
	return raises(EC_BRK, do_brk);
}

static bool hlt0(void)
{
	return raises(ESR_EC_UNKNOWN, do_hlt0);
}

static bool hlt_semihosting_exit(void)
{
	/* SYS_EXIT through semihosting: UNDEFINED, the VM and QEMU go on. */
	return raises(ESR_EC_UNKNOWN, do_hlt_semi);
}

static bool udf(void)
{
	return raises(ESR_EC_UNKNOWN, do_udf);
}

static __attribute__((noinline)) void eret_to(u64 spsr)
{
	asm volatile("adr x1, 1f\n\t"
		     "msr elr_el1, x1\n\t"
		     "msr spsr_el1, %0\n\t"
		     "eret\n"
		     "1:\n\t"
		     "nop" ::"r"(spsr)
		     : "x1", "memory");
}

static void eret_el2(void)
{
	eret_to(0x3c9); /* EL2h */
}

static void eret_aarch32_el1(void)
{
	eret_to(0x1d3); /* AArch32 SVC mode */
}

static void eret_el3(void)
{
	eret_to(0x3cd); /* EL3h */
}

static bool illegal_el2(void)
{
	return raises(EC_ILLEGAL, eret_el2);
}

static bool illegal_aarch32(void)
{
	return raises(EC_ILLEGAL, eret_aarch32_el1);
}

static bool illegal_el3(void)
{
	return raises(EC_ILLEGAL, eret_el3);
}

static bool pc_alignment(void)
{
	u64 esr;

	return !probe_call((void (*)(void))((u64)do_svc + 2), &esr) && ESR_EC(esr) == EC_PC_ALIGN;
}

static bool sp_alignment(void)
{
	u64 sctlr = read_sysreg(sctlr_el1), esr, sp0 = (u64)_stacks_start + 0x801;
	bool taken;

	write_sysreg(sctlr | (1UL << 3), sctlr_el1); /* SA */
	write_sysreg(sp0, sp_el0);
	isb();
	expect_exception(EXCEPTION_ANY);
	asm volatile("msr spsel, #0\n\tldr x9, [sp]\n\tmsr spsel, #1" ::: "x9", "memory");
	taken = exception_taken(&esr, NULL);
	write_sysreg(sctlr, sctlr_el1);
	isb();
	/* The fault, or nothing where the CPU does not check SP alignment (QEMU). */
	return !taken || ESR_EC(esr) == EC_SP_ALIGN;
}

static volatile u64 watched;

static bool breakpoint(void)
{
	u64 mdscr = read_sysreg(mdscr_el1), esr;
	bool taken;

	write_sysreg((u64)do_udf, dbgbvr0_el1);
	write_sysreg(0x1e7, dbgbcr0_el1);
	write_sysreg(mdscr | (1UL << 15) | (1UL << 13), mdscr_el1);
	asm volatile("msr daifclr, #8\n\tisb");
	taken = !probe_call(do_udf, &esr);
	asm volatile("msr daifset, #8");
	write_sysreg(0, dbgbcr0_el1);
	write_sysreg(mdscr, mdscr_el1);
	isb();
	/* The breakpoint, or (if Tern keeps debug to itself) the UDF it sits on. */
	return taken && (ESR_EC(esr) == EC_BKPT_CUR || ESR_EC(esr) == ESR_EC_UNKNOWN);
}

static bool watchpoint(void)
{
	u64 mdscr = read_sysreg(mdscr_el1), esr = 0;

	write_sysreg((u64)&watched, dbgwvr0_el1);
	write_sysreg(0x1ff7, dbgwcr0_el1);
	write_sysreg(mdscr | (1UL << 15) | (1UL << 13), mdscr_el1);
	asm volatile("msr daifclr, #8\n\tisb");
	expect_exception(EXCEPTION_ANY);
	watched = 1;
	exception_taken(&esr, NULL);
	asm volatile("msr daifset, #8");
	write_sysreg(0, dbgwcr0_el1);
	write_sysreg(mdscr, mdscr_el1);
	isb();
	return esr == 0 || ESR_EC(esr) == EC_WATCH_CUR;
}

static u64 rng = 0x0123456789abcdefUL;

static bool unallocated_sweep(void)
{
	/* op0 (bits 28:25) = 0001 and 0011: unallocated; every word must be UNDEFINED. */
	for (unsigned int i = 0; i < 2000; i++) {
		u32 w;
		u64 esr;

		rng ^= rng << 13;
		rng ^= rng >> 7;
		rng ^= rng << 17;
		w = ((u32)rng & ~(0xfU << 25)) | ((i & 1) ? 0x1U : 0x3U) << 25;
		if (probe_insn(w, 0, NULL, &esr) || ESR_EC(esr) != ESR_EC_UNKNOWN) {
			report_info("0x%08x: EC 0x%lx", w, ESR_EC(esr));
			return false;
		}
	}
	return true;
}

static bool udf_space(void)
{
	for (u32 w = 0; w < 0x10000; w += 0x101) {
		u64 esr;

		if (probe_insn(w, 0, NULL, &esr) || ESR_EC(esr) != ESR_EC_UNKNOWN)
			return false;
	}
	return true;
}

ATTACK_TABLE(exc, { "SVC at EL1", svc }, { "BRK", brk }, { "HLT #0", hlt0 },
	     { "HLT #0xF000 SYS_EXIT", hlt_semihosting_exit }, { "UDF", udf },
	     { "ERET to EL2", illegal_el2 }, { "ERET to EL3", illegal_el3 },
	     { "ERET to AArch32 EL1", illegal_aarch32 }, { "PC alignment fault", pc_alignment },
	     { "SP alignment fault", sp_alignment }, { "breakpoint at EL1", breakpoint },
	     { "watchpoint at EL1", watchpoint }, { "unallocated encodings", unallocated_sweep },
	     { "UDF space", udf_space });
