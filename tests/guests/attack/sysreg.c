// SPDX-License-Identifier: GPL-2.0-only
/*
 * System registers: every encoding of the op0 = 2 (debug) and op0 = 3 spaces read, and written
 * back with the value read, from generated MRS/MSR instructions: each either works or is
 * UNDEFINED in the guest, and Tern survives all of it. EL2 and EL3 registers and ID registers
 * refuse writes of junk; registers of features the ID registers hide (SME, RAS, MTE, SVE, SPE,
 * TRBE, AMU, LOR) are UNDEFINED or switched per vCPU, so they cannot leak; debug and PMU
 * registers take junk.
 */
#include "attack.h"

#define MRS(op0, op1, crn, crm, op2)                                                               \
	(0xd5300000U | ((u32)(op0)-2) << 19 | (u32)(op1) << 16 | (u32)(crn) << 12 |                \
	 (u32)(crm) << 8 | (u32)(op2) << 5)
#define MSR(op0, op1, crn, crm, op2) (MRS(op0, op1, crn, crm, op2) & ~(1U << 21))

static unsigned int sweep_ok, sweep_undef;

static bool sweep(unsigned int op0, unsigned int op1)
{
	sweep_ok = sweep_undef = 0;
	for (unsigned int crn = 0; crn < 16; crn++) {
		for (unsigned int crm = 0; crm < 16; crm++) {
			for (unsigned int op2 = 0; op2 < 8; op2++) {
				u64 v, esr;

				/* OSLAR_EL1 and OSDLR_EL1 would lock the debug interface. */
				if (op0 == 2 && op1 == 0 && crn == 1 && (crm == 0 || crm == 3))
					continue;
				if (!probe_insn(MRS(op0, op1, crn, crm, op2), 0, &v, &esr)) {
					/* UNDEF, or a trap the guest's own CPACR_EL1 set. */
					if (ESR_EC(esr) != ESR_EC_UNKNOWN &&
					    ESR_EC(esr) != ESR_EC_SYS64 && ESR_EC(esr) != 0x07 &&
					    ESR_EC(esr) != 0x19 && ESR_EC(esr) != 0x1d) {
						report_info("s%u_%u_c%u_c%u_%u read: EC 0x%lx", op0,
							    op1, crn, crm, op2, ESR_EC(esr));
						return false;
					}
					sweep_undef++;
					continue;
				}
				sweep_ok++;
				probe_insn(MSR(op0, op1, crn, crm, op2), v, NULL, &esr);
			}
		}
	}
	return true;
}

#define SWEEP(op0, op1)                                                                            \
	static bool sweep_##op0##_##op1(void)                                                      \
	{                                                                                          \
		return sweep(op0, op1);                                                            \
	}
SWEEP(2, 0)
SWEEP(2, 1)
SWEEP(2, 2)
SWEEP(2, 3)
SWEEP(2, 4)
SWEEP(2, 5)
SWEEP(2, 6)
SWEEP(2, 7)
SWEEP(3, 0)
SWEEP(3, 1)
SWEEP(3, 2)
SWEEP(3, 3)
SWEEP(3, 4)
SWEEP(3, 5)
SWEEP(3, 6)
SWEEP(3, 7)

struct enc {
	u8 op0, op1, crn, crm, op2;
};

static bool all_undef(const struct enc *e, unsigned int n, bool write, u64 val)
{
	for (unsigned int i = 0; i < n; i++) {
		u32 insn = write ? MSR(e[i].op0, e[i].op1, e[i].crn, e[i].crm, e[i].op2)
				 : MRS(e[i].op0, e[i].op1, e[i].crn, e[i].crm, e[i].op2);
		u64 esr;

		if (probe_insn(insn, val, NULL, &esr) || ESR_EC(esr) != ESR_EC_UNKNOWN) {
			report_info("s%u_%u_c%u_c%u_%u %s: not UNDEFINED (EC 0x%lx)", e[i].op0,
				    e[i].op1, e[i].crn, e[i].crm, e[i].op2,
				    write ? "write" : "read", ESR_EC(esr));
			return false;
		}
	}
	return true;
}

static const struct enc el2_regs[] = {
	{ 3, 4, 1, 1, 0 },   /* HCR_EL2 */
	{ 3, 4, 2, 1, 0 },   /* VTTBR_EL2 */
	{ 3, 4, 2, 1, 2 },   /* VTCR_EL2 */
	{ 3, 4, 12, 0, 0 },  /* VBAR_EL2 */
	{ 3, 4, 1, 0, 0 },   /* SCTLR_EL2 */
	{ 3, 4, 14, 1, 0 },  /* CNTHCTL_EL2 */
	{ 3, 4, 14, 0, 3 },  /* CNTVOFF_EL2 */
	{ 3, 4, 12, 11, 0 }, /* ICH_HCR_EL2 */
	{ 3, 4, 12, 12, 0 }, /* ICH_LR0_EL2 */
	{ 3, 4, 1, 1, 1 },   /* MDCR_EL2 */
	{ 3, 4, 1, 1, 2 },   /* CPTR_EL2 */
	{ 3, 4, 2, 0, 0 },   /* TTBR0_EL2 */
	{ 3, 4, 13, 0, 2 },  /* TPIDR_EL2 */
	{ 3, 4, 4, 0, 1 },   /* ELR_EL2 */
	{ 3, 4, 0, 0, 5 },   /* VMPIDR_EL2 */
	{ 3, 4, 14, 2, 1 },  /* CNTHP_CTL_EL2 */
};

static bool el2_write_junk(void)
{
	return all_undef(el2_regs, ARRAY_SIZE(el2_regs), true, 0xdead0000beef0000UL);
}

static bool el2_read(void)
{
	return all_undef(el2_regs, ARRAY_SIZE(el2_regs), false, 0);
}

static const struct enc el3_regs[] = {
	{ 3, 6, 1, 1, 0 },  /* SCR_EL3 */
	{ 3, 6, 12, 0, 0 }, /* VBAR_EL3 */
	{ 3, 6, 1, 0, 0 },  /* SCTLR_EL3 */
	{ 3, 6, 4, 0, 1 },  /* ELR_EL3 */
	{ 3, 6, 1, 3, 1 },  /* MDCR_EL3 */
};

static bool el3_write_junk(void)
{
	return all_undef(el3_regs, ARRAY_SIZE(el3_regs), true, ~0UL);
}

static const struct enc id_regs[] = {
	{ 3, 0, 0, 0, 0 }, /* MIDR_EL1 */
	{ 3, 0, 0, 0, 5 }, /* MPIDR_EL1 */
	{ 3, 0, 0, 4, 0 }, /* ID_AA64PFR0_EL1 */
	{ 3, 0, 0, 4, 1 }, /* ID_AA64PFR1_EL1 */
	{ 3, 0, 0, 7, 0 }, /* ID_AA64MMFR0_EL1 */
	{ 3, 0, 0, 5, 0 }, /* ID_AA64DFR0_EL1 */
};

static bool id_write(void)
{
	return all_undef(id_regs, ARRAY_SIZE(id_regs), true, ~0UL);
}

/*
 * A register of a feature the ID registers hide is either UNDEFINED, or per vCPU: whatever it
 * reads right after this VM's write (the value, or 0 if writes are ignored) it still reads after
 * the pCPU ran other VMs (the victim writes its own values to the same registers).
 */
static bool hidden(u64 idreg, unsigned int shift, const struct enc *e, unsigned int n)
{
	if (FIELD(idreg, shift + 3, shift))
		return true; /* implemented and shown: not this attack's business */
	for (unsigned int i = 0; i < n; i++) {
		u32 rd = MRS(e[i].op0, e[i].op1, e[i].crn, e[i].crm, e[i].op2);
		u64 want = 0xa77a5a5a00000000UL | i, v1, v2, esr;

		if (!probe_insn(rd, 0, &v1, &esr)) {
			if (ESR_EC(esr) != ESR_EC_UNKNOWN)
				return false;
			if (probe_insn(rd & ~(1U << 21), want, NULL, &esr) ||
			    ESR_EC(esr) != ESR_EC_UNKNOWN) {
				report_info("s%u_%u_c%u_c%u_%u: read UNDEFINED, write not",
					    e[i].op0, e[i].op1, e[i].crn, e[i].crm, e[i].op2);
				return false;
			}
			continue;
		}
		probe_insn(rd & ~(1U << 21), want, NULL, &esr);
		probe_insn(rd, 0, &v1, &esr);
		delay_us(40000);
		probe_insn(rd, 0, &v2, &esr);
		if (v2 != v1) {
			report_info("s%u_%u_c%u_c%u_%u: accessible and not switched (0x%lx, then "
				    "0x%lx)",
				    e[i].op0, e[i].op1, e[i].crn, e[i].crm, e[i].op2, v1, v2);
			return false;
		}
	}
	return true;
}

static const struct enc sme_regs[] = {
	{ 3, 3, 13, 0, 5 }, /* TPIDR2_EL0 */
	{ 3, 0, 1, 2, 4 },  /* SMPRI_EL1 */
	{ 3, 0, 1, 2, 6 },  /* SMCR_EL1 */
};

/* The guest enables SVE and SME at EL1 itself (CPACR_EL1.ZEN, SMEN): hidden must still mean
 * UNDEFINED or switched, not "trapped by the guest's own CPACR". */
static void sve_sme_on(void)
{
	write_sysreg(read_sysreg(cpacr_el1) | (3UL << 16) | (3UL << 24) | (3UL << 20), cpacr_el1);
	isb();
}

static bool sme_hidden(void)
{
	sve_sme_on();
	return hidden(read_sysreg(id_aa64pfr1_el1), 24, sme_regs, ARRAY_SIZE(sme_regs));
}

static const struct enc ras_regs[] = {
	{ 3, 0, 5, 3, 0 },  /* ERRIDR_EL1 */
	{ 3, 0, 5, 3, 1 },  /* ERRSELR_EL1 */
	{ 3, 0, 12, 1, 1 }, /* DISR_EL1 */
	{ 3, 0, 5, 4, 2 },  /* ERXSTATUS_EL1 */
};

static bool ras_hidden(void)
{
	return hidden(read_sysreg(id_aa64pfr0_el1), 28, ras_regs, ARRAY_SIZE(ras_regs));
}

static const struct enc mte_regs[] = {
	{ 3, 0, 5, 6, 0 }, /* TFSR_EL1 */
	{ 3, 0, 1, 0, 6 }, /* GCR_EL1 */
	{ 3, 0, 1, 0, 5 }, /* RGSR_EL1 */
	{ 3, 0, 5, 6, 1 }, /* TFSRE0_EL1 */
};

static bool mte_hidden(void)
{
	return hidden(read_sysreg(id_aa64pfr1_el1), 8, mte_regs, ARRAY_SIZE(mte_regs));
}

static const struct enc sve_regs[] = {
	{ 3, 0, 1, 2, 0 }, /* ZCR_EL1 */
};

static bool sve_hidden(void)
{
	sve_sme_on();
	return hidden(read_sysreg(id_aa64pfr0_el1), 32, sve_regs, ARRAY_SIZE(sve_regs));
}

static const struct enc spe_regs[] = {
	{ 3, 0, 9, 9, 0 },  /* PMSCR_EL1 */
	{ 3, 0, 9, 10, 0 }, /* PMBLIMITR_EL1 */
	{ 3, 0, 9, 10, 1 }, /* PMBPTR_EL1 */
};

static bool spe_hidden(void)
{
	return hidden(read_sysreg(id_aa64dfr0_el1), 32, spe_regs, ARRAY_SIZE(spe_regs));
}

static const struct enc trbe_regs[] = {
	{ 3, 0, 9, 11, 0 }, /* TRBLIMITR_EL1 */
	{ 3, 0, 9, 11, 1 }, /* TRBPTR_EL1 */
};

static bool trbe_hidden(void)
{
	return hidden(read_sysreg(id_aa64dfr0_el1), 44, trbe_regs, ARRAY_SIZE(trbe_regs));
}

static const struct enc amu_regs[] = {
	{ 3, 3, 13, 2, 0 }, /* AMCR_EL0 */
	{ 3, 3, 13, 2, 1 }, /* AMCFGR_EL0 */
};

static bool amu_hidden(void)
{
	return hidden(read_sysreg(id_aa64pfr0_el1), 44, amu_regs, ARRAY_SIZE(amu_regs));
}

static const struct enc lor_regs[] = {
	{ 3, 0, 10, 4, 3 }, /* LORC_EL1 */
	{ 3, 0, 10, 4, 0 }, /* LORSA_EL1 */
};

static bool lor_hidden(void)
{
	return hidden(read_sysreg(id_aa64mmfr1_el1), 16, lor_regs, ARRAY_SIZE(lor_regs));
}

static bool debug_junk(void)
{
	u64 mdscr = read_sysreg(mdscr_el1);
	u64 esr;

	expect_exception(EXCEPTION_ANY);
	write_sysreg(attack_ram_base + 0x100000, dbgbvr0_el1);
	write_sysreg(0x1e7, dbgbcr0_el1); /* enabled, EL1 and EL0, any byte */
	write_sysreg(attack_ram_base + 0x100000, dbgwvr0_el1);
	write_sysreg(0x1ff7, dbgwcr0_el1);
	write_sysreg(mdscr | (1UL << 15) | (1UL << 13), mdscr_el1); /* MDE, KDE */
	isb();
	(void)*(volatile u64 *)(attack_ram_base + 0x100000);
	write_sysreg(0, dbgbcr0_el1);
	write_sysreg(0, dbgwcr0_el1);
	write_sysreg(mdscr, mdscr_el1);
	isb();
	exception_taken(&esr, NULL);
	return true;
}

static bool pmu_junk(void)
{
	u64 esr;

	if (!FIELD(read_sysreg(id_aa64dfr0_el1), 11, 8))
		return true;
	expect_exception(EXCEPTION_ANY);
	write_sysreg(~0UL, pmselr_el0);
	write_sysreg(~0UL, pmevtyper0_el0);
	write_sysreg(~0UL, pmcntenset_el0);
	write_sysreg(~0UL, pmintenset_el1);
	write_sysreg(~0UL, pmuserenr_el0);
	write_sysreg(0x7f, pmcr_el0);
	write_sysreg(~0UL, pmevcntr0_el0);
	isb();
	delay_us(1000);
	write_sysreg(~0UL, pmcntenclr_el0);
	write_sysreg(~0UL, pmintenclr_el1);
	write_sysreg(~0UL, pmovsclr_el0);
	write_sysreg(0, pmuserenr_el0);
	write_sysreg(0, pmcr_el0);
	isb();
	exception_taken(&esr, NULL);
	return true;
}

ATTACK_TABLE(sysreg, { "sweep op0=2 op1=0", sweep_2_0 }, { "sweep op0=2 op1=1", sweep_2_1 },
	     { "sweep op0=2 op1=2", sweep_2_2 }, { "sweep op0=2 op1=3", sweep_2_3 },
	     { "sweep op0=2 op1=4", sweep_2_4 }, { "sweep op0=2 op1=5", sweep_2_5 },
	     { "sweep op0=2 op1=6", sweep_2_6 }, { "sweep op0=2 op1=7", sweep_2_7 },
	     { "sweep op0=3 op1=0", sweep_3_0 }, { "sweep op0=3 op1=1", sweep_3_1 },
	     { "sweep op0=3 op1=2", sweep_3_2 }, { "sweep op0=3 op1=3", sweep_3_3 },
	     { "sweep op0=3 op1=4", sweep_3_4 }, { "sweep op0=3 op1=5", sweep_3_5 },
	     { "sweep op0=3 op1=6", sweep_3_6 }, { "sweep op0=3 op1=7", sweep_3_7 },
	     { "EL2 registers: junk writes", el2_write_junk }, { "EL2 registers: reads", el2_read },
	     { "EL3 registers: junk writes", el3_write_junk }, { "ID registers: writes", id_write },
	     { "SME registers (hidden)", sme_hidden }, { "RAS registers (hidden)", ras_hidden },
	     { "MTE registers (hidden)", mte_hidden }, { "SVE ZCR (hidden)", sve_hidden },
	     { "SPE registers (hidden)", spe_hidden }, { "TRBE registers (hidden)", trbe_hidden },
	     { "AMU registers (hidden)", amu_hidden }, { "LOR registers (hidden)", lor_hidden },
	     { "debug registers with junk", debug_junk }, { "PMU registers with junk", pmu_junk });
