// SPDX-License-Identifier: GPL-2.0-only
/*
 * EL0, AArch64 and AArch32: privileged registers and instructions trap to the guest's EL1, the
 * emulated UART works from EL0, and an AArch32 access without a syndrome (LDMIB, LDRD, STM, a
 * writeback) on a device is refused with an abort - never decoded as an A64 instruction, which
 * once loaded 0x11111111 into r1 and overwrote r2 (issue 11).
 */
#include "attack.h"

#define EC_WFX	    0x01
#define EC_SVC32    0x11
#define EC_SVC64    0x15
#define EC_SYS64    0x18
#define EC_DABT_LOW 0x24
#define EC_BRK	    0x3c
#define VEC_EL0_64  8
#define VEC_EL0_32  12
#define U	    GUEST_UART_BASE

/* AArch64 EL0 snippets, each ending in SVC #0 (which returns to EL1). */
asm(".pushsection .text\n"
    ".balign 4\n"
    "el0_mrs_sctlr: mrs x1, sctlr_el1\n svc #0\n"
    "el0_msr_daif: msr daif, x1\n svc #0\n"
    "el0_wfi: wfi\n svc #0\n"
    "el0_cntpct: mrs x1, cntpct_el0\n svc #0\n"
    "el0_dc_zva: dc zva, x0\n svc #0\n"
    "el0_ctr: mrs x1, ctr_el0\n svc #0\n"
    "el0_uart_fr: ldr w1, [x0]\n svc #0\n"
    "el0_uart_wb: ldr w1, [x0, #0xf0]!\n svc #0\n"
    "el0_uart_ldp: ldp w1, w2, [x0]\n svc #0\n"
    "el0_svc: svc #0x77\n"
    "el0_brk: brk #1\n svc #0\n"
    "el0_hlt: hlt #0xf000\n svc #0\n"
    ".popsection\n");
extern char el0_mrs_sctlr[], el0_msr_daif[], el0_wfi[], el0_cntpct[], el0_dc_zva[], el0_ctr[],
    el0_uart_fr[], el0_uart_wb[], el0_uart_ldp[], el0_svc[], el0_brk[], el0_hlt[];

/* AArch32 (A32) snippets: the instruction, then SVC #0. */
static u32 a32_code[2] __attribute__((aligned(16)));

static u64 regs[31];

static void run64(const char *code, u64 x0, u64 *esr, u64 *idx)
{
	for (unsigned int i = 0; i < 31; i++)
		regs[i] = 0x1111111111111111UL * (i & 0xf);
	regs[0] = x0;
	el0_run((u64)code, false, regs, esr, idx);
}

static bool traps64(const char *code, u64 x0, unsigned int ec)
{
	u64 esr, idx;

	run64(code, x0, &esr, &idx);
	if (idx != VEC_EL0_64 || ESR_EC(esr) != ec)
		report_info("EL0 trap: vector %lu EC 0x%lx, want %u 0x%x", idx, ESR_EC(esr),
			    VEC_EL0_64, ec);
	return idx == VEC_EL0_64 && ESR_EC(esr) == ec;
}

static bool mrs_sctlr(void)
{
	return traps64(el0_mrs_sctlr, 0, ESR_EC_UNKNOWN);
}

static bool msr_daif(void)
{
	write_sysreg(read_sysreg(sctlr_el1) & ~(1UL << 9), sctlr_el1); /* UMA = 0 */
	isb();
	return traps64(el0_msr_daif, 0, EC_SYS64);
}

static bool wfi(void)
{
	write_sysreg(read_sysreg(sctlr_el1) & ~(1UL << 16), sctlr_el1); /* nTWI = 0 */
	isb();
	return traps64(el0_wfi, 0, EC_WFX);
}

static bool cntpct(void)
{
	u64 k = read_sysreg(cntkctl_el1);
	bool ok;

	write_sysreg(k & ~1UL, cntkctl_el1); /* EL0PCTEN = 0 */
	isb();
	ok = traps64(el0_cntpct, 0, EC_SYS64);
	write_sysreg(k, cntkctl_el1);
	return ok;
}

static bool dc_zva(void)
{
	write_sysreg(read_sysreg(sctlr_el1) & ~(1UL << 14), sctlr_el1); /* DZE = 0 */
	isb();
	return traps64(el0_dc_zva, attack_ram_base + 0x200000, EC_SYS64);
}

static bool ctr(void)
{
	write_sysreg(read_sysreg(sctlr_el1) & ~(1UL << 15), sctlr_el1); /* UCT = 0 */
	isb();
	return traps64(el0_ctr, 0, EC_SYS64);
}

static bool uart_read(void)
{
	u64 esr, idx;

	run64(el0_uart_fr, U + 0xff0, &esr, &idx);
	return ESR_EC(esr) == EC_SVC64 && regs[1] == 0x0d;
}

static bool uart_writeback(void)
{
	/* ISV = 0 from AArch64 EL0: Tern fetches through the EL0 translation (AT S1E0R). */
	u64 esr, idx;

	run64(el0_uart_wb, U + 0xf00, &esr, &idx);
	return ESR_EC(esr) == EC_SVC64 && regs[1] == 0x0d && regs[0] == U + 0xff0;
}

static bool uart_pair(void)
{
	u64 esr, idx;

	run64(el0_uart_ldp, U + 0xff0, &esr, &idx);
	return ESR_EC(esr) == EC_SVC64 && regs[1] == 0x0d && regs[2] == 0xf0;
}

static bool svc(void)
{
	return traps64(el0_svc, 0, EC_SVC64);
}

static bool brk(void)
{
	return traps64(el0_brk, 0, EC_BRK);
}

static bool hlt_semihosting(void)
{
	return traps64(el0_hlt, 0x18, ESR_EC_UNKNOWN);
}

/* Run one A32 instruction at EL0 with r0 = @r0, r1/r2/r3 = sentinels. */
static void run32(u32 insn, u64 r0, u64 *esr, u64 *idx)
{
	a32_code[0] = insn;
	a32_code[1] = 0xef000000; /* SVC #0 */
	asm volatile("dsb sy\n\tic iallu\n\tdsb sy\n\tisb" ::: "memory");
	for (unsigned int i = 0; i < 31; i++)
		regs[i] = 0;
	regs[0] = r0;
	regs[1] = 0xa1;
	regs[2] = 0xa2;
	regs[3] = 0xa3;
	regs[6] = 0xa6;
	el0_run((u64)a32_code, true, regs, esr, idx);
}

static bool aborted32(u32 insn, u64 r0)
{
	u64 esr, idx;

	run32(insn, r0, &esr, &idx);
	if (idx != VEC_EL0_32 || ESR_EC(esr) != EC_DABT_LOW)
		report_info("A32 0x%08x: vector %lu EC 0x%lx r0 0x%lx r1 0x%lx r2 0x%lx", insn, idx,
			    ESR_EC(esr), regs[0], regs[1], regs[2]);
	return idx == VEC_EL0_32 && ESR_EC(esr) == EC_DABT_LOW && regs[0] == r0 &&
	       regs[1] == 0xa1 && regs[2] == 0xa2 && regs[3] == 0xa3 && regs[6] == 0xa6;
}

static bool a32_ldmib(void)
{
	/* LDMIB r0, {r1, r2}: the access of issue 11. */
	return aborted32(0xe9900006, U + 0xfe0);
}

static bool a32_ldmib_cc(void)
{
	/*
	 * LDMIBCC r0, {r1, r2} (carry clear: it executes). Read as A64 the same word is LDRSB x6,
	 * [x0, #0x400]: a decoder that took it for A64 would load the device's byte into r6.
	 */
	return aborted32(0x39900006, U + 0xfe0 - 4);
}

static bool a32_ldrd(void)
{
	return aborted32(0xe1c020d0, U + 0xff0); /* LDRD r2, r3, [r0] */
}

static bool a32_stm(void)
{
	return aborted32(0xe8800002, U + 0x24); /* STMIA r0, {r1} */
}

static bool a32_ldr(void)
{
	/* LDR r1, [r0]: with a syndrome, emulated exactly. */
	u64 esr, idx;

	run32(0xe5901000, U + 0xff0, &esr, &idx);
	return idx == VEC_EL0_32 && ESR_EC(esr) == EC_SVC32 && regs[1] == 0x0d && regs[2] == 0xa2;
}

static bool a32_ldrb(void)
{
	u64 esr, idx;

	run32(0xe5d01000, U + 0xff4, &esr, &idx); /* LDRB r1, [r0] */
	return ESR_EC(esr) == EC_SVC32 && regs[1] == 0xf0;
}

static bool a32_ldr_postindex(void)
{
	/* LDR r1, [r0], #4: aborted (no syndrome) or emulated with the writeback. */
	u64 esr, idx, r0 = U + 0xff0;

	run32(0xe4901004, r0, &esr, &idx);
	if (ESR_EC(esr) == EC_DABT_LOW)
		return regs[0] == r0 && regs[1] == 0xa1;
	return ESR_EC(esr) == EC_SVC32 && regs[1] == 0x0d && regs[0] == r0 + 4;
}

static bool a32_undef(unsigned int insn, unsigned int ec)
{
	u64 esr, idx;

	run32(insn, 0, &esr, &idx);
	return idx == VEC_EL0_32 && ESR_EC(esr) == ec;
}

static bool a32_udf(void)
{
	return a32_undef(0xe7f000f0, ESR_EC_UNKNOWN);
}

static bool a32_svc(void)
{
	return a32_undef(0xef000042, EC_SVC32);
}

static bool a32_svc_semihosting(void)
{
	/* The A32 semihosting call, SVC #0x123456: an ordinary SVC for the guest. */
	return a32_undef(0xef123456, EC_SVC32);
}

static bool a32_hlt_semihosting(void)
{
	return a32_undef(0xe10f0070, ESR_EC_UNKNOWN);
}

static bool a32_hvc(void)
{
	return a32_undef(0xe1400070, ESR_EC_UNKNOWN);
}

static bool a32_smc(void)
{
	return a32_undef(0xe1600070, ESR_EC_UNKNOWN);
}

static bool a32_mrc_tpidrurw(void)
{
	u64 esr, idx;

	write_sysreg(0x1234abcdUL, tpidr_el0);
	run32(0xee1d1f50, 0, &esr, &idx); /* MRC p15, 0, r1, c13, c0, 2 */
	return ESR_EC(esr) == EC_SVC32 && regs[1] == 0x1234abcd;
}

ATTACK_TABLE(el0, { "EL0 MRS SCTLR_EL1", mrs_sctlr }, { "EL0 MSR DAIF (UMA=0)", msr_daif },
	     { "EL0 WFI (nTWI=0)", wfi }, { "EL0 CNTPCT (EL0PCTEN=0)", cntpct },
	     { "EL0 DC ZVA (DZE=0)", dc_zva }, { "EL0 CTR_EL0 (UCT=0)", ctr },
	     { "EL0 UART read", uart_read }, { "EL0 UART writeback (ISV=0)", uart_writeback },
	     { "EL0 UART LDP", uart_pair }, { "EL0 SVC", svc }, { "EL0 BRK", brk },
	     { "EL0 HLT #0xF000", hlt_semihosting }, { "A32 LDMIB on a device", a32_ldmib },
	     { "A32 LDMIBCC on a device (an A64 load word)", a32_ldmib_cc },
	     { "A32 LDRD on a device", a32_ldrd }, { "A32 STM on a device", a32_stm },
	     { "A32 LDR on a device", a32_ldr }, { "A32 LDRB on a device", a32_ldrb },
	     { "A32 LDR post-index on a device", a32_ldr_postindex }, { "A32 UDF", a32_udf },
	     { "A32 SVC", a32_svc }, { "A32 SVC #0x123456", a32_svc_semihosting },
	     { "A32 HLT #0xF000", a32_hlt_semihosting }, { "A32 HVC", a32_hvc },
	     { "A32 SMC", a32_smc }, { "A32 MRC TPIDRURW", a32_mrc_tpidrurw });
