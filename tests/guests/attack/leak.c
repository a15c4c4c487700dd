// SPDX-License-Identifier: GPL-2.0-only
/*
 * Register leaks between VMs sharing a pCPU: every register a guest can write without Tern's
 * help gets a pattern, the guest spins past several scheduler slices (so the victim VM, which
 * writes its own patterns to the same registers, runs on the pCPU in between), and each must
 * still read what it read right after this VM's write: the value written, or 0 where writes are
 * ignored. Registers that are UNDEFINED cannot leak. Three rounds with different patterns.
 */
#include "attack.h"

#define ROUNDS	  3
#define SPIN_US	  40000
#define NR_GROUPS 13

enum {
	G_TPIDR,
	G_CTX,
	G_FAULT,
	G_MMU,
	G_MISC,
	G_FP,
	G_TPIDR2,
	G_SMPRI,
	G_ICC,
	G_DBG,
	G_PMU,
	G_PAC,
	G_RAS,
};

static bool group_ok[NR_GROUPS], done;

/* A register accessed through generated MRS/MSR so that an UNDEF is survivable. */
struct leak_reg {
	unsigned int group;
	const char *name;
	u32 mrs;
	u64 mask;
};

#define ENC(op0, op1, crn, crm, op2)                                                               \
	(0xd5300000U | ((u32)(op0)-2) << 19 | (u32)(op1) << 16 | (u32)(crn) << 12 |                \
	 (u32)(crm) << 8 | (u32)(op2) << 5)

static const struct leak_reg regs[] = {
	{ G_TPIDR, "TPIDR_EL0", ENC(3, 3, 13, 0, 2), ~0UL },
	{ G_TPIDR, "TPIDRRO_EL0", ENC(3, 3, 13, 0, 3), ~0UL },
	{ G_TPIDR, "TPIDR_EL1", ENC(3, 0, 13, 0, 4), ~0UL },
	{ G_CTX, "CONTEXTIDR_EL1", ENC(3, 0, 13, 0, 1), 0xffffffffUL },
	{ G_FAULT, "FAR_EL1", ENC(3, 0, 6, 0, 0), ~0UL },
	{ G_FAULT, "AFSR0_EL1", ENC(3, 0, 5, 1, 0), 0 },
	{ G_FAULT, "PAR_EL1", ENC(3, 0, 7, 4, 0), 0xfffffffff000UL },
	{ G_MMU, "MAIR_EL1", ENC(3, 0, 10, 2, 0), ~0UL },
	{ G_MMU, "AMAIR_EL1", ENC(3, 0, 10, 3, 0), 0 },
	{ G_MMU, "TTBR0_EL1", ENC(3, 0, 2, 0, 0), 0xfffffffff000UL },
	{ G_MMU, "TTBR1_EL1", ENC(3, 0, 2, 0, 1), 0xfffffffff000UL },
	{ G_MISC, "CNTKCTL_EL1", ENC(3, 0, 14, 1, 0), 0x3UL },
	{ G_MISC, "CSSELR_EL1", ENC(3, 2, 0, 0, 0), 0x2UL },
	{ G_MISC, "SP_EL0", ENC(3, 0, 4, 1, 0), ~0xfUL },
	{ G_TPIDR2, "TPIDR2_EL0", ENC(3, 3, 13, 0, 5), ~0UL },
	{ G_SMPRI, "SMPRI_EL1", ENC(3, 0, 1, 2, 4), 0xfUL },
	{ G_SMPRI, "SMCR_EL1", ENC(3, 0, 1, 2, 6), 0xfUL },
	{ G_RAS, "DISR_EL1", ENC(3, 0, 12, 1, 1), 0x80000000UL },
	{ G_ICC, "ICC_PMR_EL1", ENC(3, 0, 4, 6, 0), 0xf0UL },
	{ G_ICC, "ICC_BPR1_EL1", ENC(3, 0, 12, 12, 3), 0x4UL },
	{ G_DBG, "DBGBVR0_EL1", ENC(2, 0, 0, 0, 4), 0xfffffffffffcUL },
	{ G_DBG, "DBGWVR0_EL1", ENC(2, 0, 0, 0, 6), 0xfffffffffff8UL },
	{ G_PMU, "PMSELR_EL0", ENC(3, 3, 9, 12, 5), 0x1fUL },
	{ G_PMU, "PMUSERENR_EL0", ENC(3, 3, 9, 14, 0), 0x0UL },
	{ G_PAC, "APIAKEYLO_EL1", ENC(3, 0, 2, 1, 0), ~0UL },
	{ G_PAC, "APDBKEYHI_EL1", ENC(3, 0, 2, 2, 3), ~0UL },
};

static u64 pattern(unsigned int round, unsigned int i)
{
	/* The victim's patterns start 0x5ec0...; ours 0xa77a... */
	return 0xa77a000000000000UL ^ ((u64)round << 40) ^ ((u64)i * 0x0101010101010UL) ^
	       0x123456789UL;
}

/* What this VM writes to register @i in @round: never 0 within the register's mask. */
static u64 want_of(unsigned int round, unsigned int i)
{
	u64 w = pattern(round, i) & regs[i].mask;

	return w ? w : regs[i].mask;
}

static u64 fp_pattern(unsigned int round, unsigned int v)
{
	return 0xa77af00000000000UL | (u64)round << 16 | v;
}

static void fp_on(void)
{
	write_sysreg(read_sysreg(cpacr_el1) | (3UL << 20), cpacr_el1);
	isb();
}

/* FP/SIMD: V0..V31 low halves, FPCR. */
static void fp_write(unsigned int round)
{
	u64 p[32];

	for (unsigned int v = 0; v < 32; v++)
		p[v] = fp_pattern(round, v);
	asm volatile("ldp d0, d1, [%0, #0]\n\tldp d2, d3, [%0, #16]\n\tldp d4, d5, [%0, #32]\n\t"
		     "ldp d6, d7, [%0, #48]\n\tldp d8, d9, [%0, #64]\n\tldp d10, d11, [%0, #80]\n\t"
		     "ldp d12, d13, [%0, #96]\n\tldp d14, d15, [%0, #112]\n\t"
		     "ldp d16, d17, [%0, #128]\n\tldp d18, d19, [%0, #144]\n\t"
		     "ldp d20, d21, [%0, #160]\n\tldp d22, d23, [%0, #176]\n\t"
		     "ldp d24, d25, [%0, #192]\n\tldp d26, d27, [%0, #208]\n\t"
		     "ldp d28, d29, [%0, #224]\n\tldp d30, d31, [%0, #240]" ::"r"(p)
		     : "memory");
	write_sysreg((u64)(round & 3) << 22, fpcr);
}

static bool fp_check(unsigned int round)
{
	u64 p[32];

	asm volatile("stp d0, d1, [%0, #0]\n\tstp d2, d3, [%0, #16]\n\tstp d4, d5, [%0, #32]\n\t"
		     "stp d6, d7, [%0, #48]\n\tstp d8, d9, [%0, #64]\n\tstp d10, d11, [%0, #80]\n\t"
		     "stp d12, d13, [%0, #96]\n\tstp d14, d15, [%0, #112]\n\t"
		     "stp d16, d17, [%0, #128]\n\tstp d18, d19, [%0, #144]\n\t"
		     "stp d20, d21, [%0, #160]\n\tstp d22, d23, [%0, #176]\n\t"
		     "stp d24, d25, [%0, #192]\n\tstp d26, d27, [%0, #208]\n\t"
		     "stp d28, d29, [%0, #224]\n\tstp d30, d31, [%0, #240]" ::"r"(p)
		     : "memory");
	for (unsigned int v = 0; v < 32; v++) {
		if (p[v] != fp_pattern(round, v)) {
			report_info("FP d%u 0x%lx, wrote 0x%lx", v, p[v], fp_pattern(round, v));
			return false;
		}
	}
	return (read_sysreg(fpcr) >> 22 & 3) == (round & 3);
}

static void leak_rounds(void)
{
	bool accessible[ARRAY_SIZE(regs)];
	u64 first[ARRAY_SIZE(regs)];

	for (unsigned int g = 0; g < NR_GROUPS; g++)
		group_ok[g] = true;
	fp_on();
	for (unsigned int round = 0; round < ROUNDS; round++) {
		for (unsigned int i = 0; i < ARRAY_SIZE(regs); i++) {
			u64 esr;

			/* MSR: the MRS encoding without the L bit. */
			accessible[i] =
			    probe_insn(regs[i].mrs & ~(1U << 21), want_of(round, i), NULL, &esr);
			first[i] = 0;
			if (accessible[i] && probe_insn(regs[i].mrs, 0, &first[i], &esr))
				first[i] &= regs[i].mask;
		}
		fp_write(round);
		/* Interrupts masked, no traps: only the scheduler can take the pCPU away. */
		delay_us(SPIN_US);
		for (unsigned int i = 0; i < ARRAY_SIZE(regs); i++) {
			u64 v, esr, want = want_of(round, i);

			if (!accessible[i]) {
				/* Not writable: it must not be readable either (nothing to leak).
				 */
				if (probe_insn(regs[i].mrs, 0, &v, &esr) && v != 0 &&
				    regs[i].mask) {
					report_info("%s reads 0x%lx but refused the write",
						    regs[i].name, v);
					group_ok[regs[i].group] = false;
				}
				continue;
			}
			/* The value written, or 0 (writes ignored), and the same after the spin. */
			if (!probe_insn(regs[i].mrs, 0, &v, &esr) ||
			    (v & regs[i].mask) != first[i] || (first[i] != want && first[i] != 0)) {
				report_info(
				    "round %u: %s = 0x%lx, read 0x%lx after this VM wrote 0x%lx",
				    round, regs[i].name, v, first[i], want);
				group_ok[regs[i].group] = false;
			}
		}
		if (!fp_check(round))
			group_ok[G_FP] = false;
	}
	/* Leave the interrupt controller and debug state as the other attacks expect. */
	probe_insn(ENC(3, 0, 4, 6, 0) & ~(1U << 21), 0xf0, NULL, NULL);
	probe_insn(ENC(2, 0, 0, 0, 4) & ~(1U << 21), 0, NULL, NULL);
	probe_insn(ENC(2, 0, 0, 0, 6) & ~(1U << 21), 0, NULL, NULL);
	done = true;
}

static bool group(unsigned int g)
{
	if (!done)
		leak_rounds();
	return group_ok[g];
}

#define GROUP(fn, g)                                                                               \
	static bool fn(void)                                                                       \
	{                                                                                          \
		return group(g);                                                                   \
	}
GROUP(leak_tpidr, G_TPIDR)
GROUP(leak_ctx, G_CTX)
GROUP(leak_fault, G_FAULT)
GROUP(leak_mmu, G_MMU)
GROUP(leak_misc, G_MISC)
GROUP(leak_fp, G_FP)
GROUP(leak_tpidr2, G_TPIDR2)
GROUP(leak_smpri, G_SMPRI)
GROUP(leak_icc, G_ICC)
GROUP(leak_dbg, G_DBG)
GROUP(leak_pmu, G_PMU)
GROUP(leak_pac, G_PAC)
GROUP(leak_ras, G_RAS)

ATTACK_TABLE(leak, { "TPIDR_EL0/TPIDRRO_EL0/TPIDR_EL1", leak_tpidr },
	     { "CONTEXTIDR_EL1", leak_ctx }, { "FAR/AFSR0/PAR_EL1", leak_fault },
	     { "MAIR/AMAIR/TTBR0/TTBR1_EL1", leak_mmu }, { "CNTKCTL/CSSELR/SP_EL0", leak_misc },
	     { "FP/SIMD d0-d31 and FPCR", leak_fp }, { "TPIDR2_EL0 (SME)", leak_tpidr2 },
	     { "SMPRI_EL1/SMCR_EL1 (SME)", leak_smpri }, { "ICC_PMR/BPR1_EL1", leak_icc },
	     { "DBGBVR0/DBGWVR0_EL1", leak_dbg }, { "PMSELR/PMUSERENR_EL0", leak_pmu },
	     { "PAC keys", leak_pac }, { "DISR_EL1 (RAS)", leak_ras });
