// SPDX-License-Identifier: GPL-2.0-only
/*
 * The ID registers a guest reads (HCR_EL2.TID3 and TID1 trap them): the hardware's values passed
 * through one table, id_fields[], with one row per field and the reason for its rule. The same
 * table, with the hardware and guest values, is in docs/guests.md ("ID registers");
 * tests/scripts/test_id_table.py checks that the two agree and tests/guests/idregs.c with
 * tests/integration/test_idregs.py that a guest reads what they say.
 *
 * A field without a row reads as zero: a feature Tern was not written for cannot be presented
 * as if Tern virtualised it (new fields are defined with 0 meaning "not implemented"). A field
 * is passed through (HOST) only when the feature needs nothing from EL2: no EL1 register Tern
 * does not switch between vCPUs, no trap Tern would have to handle.
 *
 * Both the exit vector's fast path (guest_entry.S, AArch64 registers, CRm 4-7) and the C path
 * read the VM's table vm->id_fast, filled once by sysreg_id_fill(): they cannot disagree.
 */
#include <asm/cpuid.h>
#include <asm/sysreg_emul.h>
#include <asm/vcpu_arch.h>
#include <string.h>
#include <tern/compiler.h>
#include <tern/vm.h>
#include <asm/vpmu.h>
#include <virt/vgic_core.h>

enum id_rule {
	ID_HIDE,  /* 0: the feature is absent for guests */
	ID_HOST,  /* the hardware's value */
	ID_SET,	  /* always @val */
	ID_MAX,	  /* the hardware's value, at most @val */
	ID_IPA,	  /* PARange: the size of the VM's IPA space */
	ID_VGIC,  /* 1 when the VM has a virtual GICv3 (ICC_* through ICH_*), else 0 */
	ID_PMU,	  /* the hardware's PMU version when guests get it (vpmu.c), else 0 */
	ID_WHOLE, /* the whole register is the hardware's (REVIDR) */
};

struct id_field {
	u8 reg; /* enum cpuid_reg */
	u8 shift;
	u8 rule; /* enum id_rule */
	u8 val;
};

#define ID_FIELD(reg, name, shift, rule, val)                                                      \
	{                                                                                          \
		CPUID_##reg, shift, ID_##rule, val                                                 \
	}

/*
 * Keep in step with the table in docs/guests.md. One row per field the guest may see non-zero;
 * the comment is the reason, the doc says the same at more length.
 */
static const struct id_field id_fields[] = {
	/* ID_AA64PFR0_EL1 */
	ID_FIELD(AA64PFR0, EL0, 0, MAX, 1),	  /* AArch64 only: no AArch32 traps handled */
	ID_FIELD(AA64PFR0, EL1, 4, MAX, 1),	  /* HCR_EL2.RW: EL1 is AArch64 */
	ID_FIELD(AA64PFR0, EL2, 8, MAX, 1),	  /* Tern is there: HVC reaches it (AArch64) */
	ID_FIELD(AA64PFR0, EL3, 12, HOST, 0),	  /* as the hardware; SMC comes to Tern (TSC) */
	ID_FIELD(AA64PFR0, FP, 16, HOST, 0),	  /* switched per vCPU */
	ID_FIELD(AA64PFR0, AdvSIMD, 20, HOST, 0), /* switched per vCPU */
	ID_FIELD(AA64PFR0, GIC, 24, VGIC, 0),	  /* CPU interface only with a vGICv3 */
	ID_FIELD(AA64PFR0, DIT, 48, HOST, 0),	  /* PSTATE.DIT, kept in SPSR */
	ID_FIELD(AA64PFR0, CSV2, 56, HOST, 0),	  /* speculation: a property of the hardware */
	ID_FIELD(AA64PFR0, CSV3, 60, HOST, 0),	  /* speculation: a property of the hardware */
	/* RAS, SVE, SEL2, MPAM, AMU, RME: hidden */

	/* ID_AA64PFR1_EL1 */
	ID_FIELD(AA64PFR1, BT, 0, HOST, 0),	    /* PSTATE.BTYPE, SCTLR_EL1 bits */
	ID_FIELD(AA64PFR1, SSBS, 4, HOST, 0),	    /* PSTATE.SSBS */
	ID_FIELD(AA64PFR1, CSV2_frac, 32, HOST, 0), /* speculation: a property of the hardware */
	/* MTE, RAS_frac, MPAM_frac, SME, RNDR_trap, NMI, MTE_frac, GCS, THE, MTEX, DF2, PFAR:
	 * hidden */

	/* ID_AA64DFR0_EL1: the debug registers Tern keeps per vCPU */
	ID_FIELD(AA64DFR0, DebugVer, 0, HOST, 0), /* per vCPU, in the hardware (vdebug.c) */
	ID_FIELD(AA64DFR0, PMUVer, 8, PMU, 0),	  /* the hardware's PMU, switched (vpmu.c) */
	ID_FIELD(AA64DFR0, BRPs, 12, MAX, VCPU_NR_DBG - 1), /* the hardware's, switched */
	ID_FIELD(AA64DFR0, WRPs, 20, MAX, VCPU_NR_DBG - 1), /* the hardware's, switched */
	ID_FIELD(AA64DFR0, CTX_CMPs, 28, HOST, 0),	    /* part of the breakpoints */
	ID_FIELD(AA64DFR0, DoubleLock, 36, SET, 0xF),	    /* OSDLR_EL1 is RAZ/WI */
	/* TraceVer, PMSS, SEBEP, PMSVer, TraceFilt, TraceBuffer, MTPMU, BRBE, ExtTrcBuff,
	 * HPMN0: hidden */

	/* ID_AA64ISAR0_EL1: instructions that run at EL0/EL1 without EL2 */
	ID_FIELD(AA64ISAR0, AES, 4, HOST, 0), ID_FIELD(AA64ISAR0, SHA1, 8, HOST, 0),
	ID_FIELD(AA64ISAR0, SHA2, 12, HOST, 0), ID_FIELD(AA64ISAR0, CRC32, 16, HOST, 0),
	ID_FIELD(AA64ISAR0, Atomic, 20, HOST, 0), ID_FIELD(AA64ISAR0, RDM, 28, HOST, 0),
	ID_FIELD(AA64ISAR0, SHA3, 32, HOST, 0), ID_FIELD(AA64ISAR0, SM3, 36, HOST, 0),
	ID_FIELD(AA64ISAR0, SM4, 40, HOST, 0), ID_FIELD(AA64ISAR0, DP, 44, HOST, 0),
	ID_FIELD(AA64ISAR0, FHM, 48, HOST, 0), ID_FIELD(AA64ISAR0, TS, 52, HOST, 0),
	ID_FIELD(AA64ISAR0, TLB, 56, HOST, 0), /* TLBI by the guest is tagged with its VMID */
	ID_FIELD(AA64ISAR0, RNDR, 60, HOST, 0),
	/* TME: hidden */

	/* ID_AA64ISAR1_EL1 */
	ID_FIELD(AA64ISAR1, DPB, 0, HOST, 0),
	ID_FIELD(AA64ISAR1, APA, 4, HOST, 0), /* PAC keys switched per vCPU */
	ID_FIELD(AA64ISAR1, API, 8, HOST, 0), ID_FIELD(AA64ISAR1, JSCVT, 12, HOST, 0),
	ID_FIELD(AA64ISAR1, FCMA, 16, HOST, 0), ID_FIELD(AA64ISAR1, LRCPC, 20, HOST, 0),
	ID_FIELD(AA64ISAR1, GPA, 24, HOST, 0), ID_FIELD(AA64ISAR1, GPI, 28, HOST, 0),
	ID_FIELD(AA64ISAR1, FRINTTS, 32, HOST, 0), ID_FIELD(AA64ISAR1, SB, 36, HOST, 0),
	ID_FIELD(AA64ISAR1, SPECRES, 40, HOST, 0), ID_FIELD(AA64ISAR1, BF16, 44, HOST, 0),
	ID_FIELD(AA64ISAR1, DGH, 48, HOST, 0), ID_FIELD(AA64ISAR1, I8MM, 52, HOST, 0),
	ID_FIELD(AA64ISAR1, XS, 56, HOST, 0),
	/* LS64: hidden */

	/* ID_AA64ISAR2_EL1 */
	ID_FIELD(AA64ISAR2, RPRES, 4, HOST, 0), ID_FIELD(AA64ISAR2, GPA3, 8, HOST, 0),
	ID_FIELD(AA64ISAR2, APA3, 12, HOST, 0), ID_FIELD(AA64ISAR2, BC, 20, HOST, 0),
	ID_FIELD(AA64ISAR2, PAC_frac, 24, HOST, 0), ID_FIELD(AA64ISAR2, CLRBHB, 28, HOST, 0),
	ID_FIELD(AA64ISAR2, PRFMSLC, 40, HOST, 0), ID_FIELD(AA64ISAR2, RPRFM, 48, HOST, 0),
	ID_FIELD(AA64ISAR2, CSSC, 52, HOST, 0), ID_FIELD(AA64ISAR2, LUT, 56, HOST, 0),
	ID_FIELD(AA64ISAR2, ATS1A, 60, HOST, 0),
	/* WFxT, MOPS, SYSREG_128, SYSINSTR_128: hidden */

	/* ID_AA64MMFR0_EL1 */
	ID_FIELD(AA64MMFR0, PARange, 0, IPA, 0), /* the VM's IPA space is its physical space */
	ID_FIELD(AA64MMFR0, ASIDBits, 4, HOST, 0), ID_FIELD(AA64MMFR0, BigEnd, 8, HOST, 0),
	ID_FIELD(AA64MMFR0, SNSMem, 12, HOST, 0), ID_FIELD(AA64MMFR0, BigEndEL0, 16, HOST, 0),
	ID_FIELD(AA64MMFR0, TGran16, 20, HOST, 0), ID_FIELD(AA64MMFR0, TGran64, 24, HOST, 0),
	ID_FIELD(AA64MMFR0, TGran4, 28, HOST, 0),
	ID_FIELD(AA64MMFR0, TGran16_2, 32, SET, 1), /* no stage 2 for the guest */
	ID_FIELD(AA64MMFR0, TGran64_2, 36, SET, 1), ID_FIELD(AA64MMFR0, TGran4_2, 40, SET, 1),
	ID_FIELD(AA64MMFR0, ExS, 44, HOST, 0),
	/* FGT, ECV: hidden */

	/* ID_AA64MMFR1_EL1 */
	ID_FIELD(AA64MMFR1, HAFDBS, 0, HOST, 0), ID_FIELD(AA64MMFR1, HPDS, 12, HOST, 0),
	ID_FIELD(AA64MMFR1, PAN, 20, HOST, 0), ID_FIELD(AA64MMFR1, SpecSEI, 24, HOST, 0),
	ID_FIELD(AA64MMFR1, ETS, 36, HOST, 0), ID_FIELD(AA64MMFR1, AFP, 44, HOST, 0),
	ID_FIELD(AA64MMFR1, nTLBPA, 48, HOST, 0), ID_FIELD(AA64MMFR1, TIDCP1, 52, HOST, 0),
	ID_FIELD(AA64MMFR1, CMOW, 56, HOST, 0), ID_FIELD(AA64MMFR1, ECBHB, 60, HOST, 0),
	/* VMIDBits, VH, LO, XNX, TWED, HCX: hidden */

	/* ID_AA64MMFR2_EL1 */
	ID_FIELD(AA64MMFR2, CnP, 0, HOST, 0), ID_FIELD(AA64MMFR2, UAO, 4, HOST, 0),
	ID_FIELD(AA64MMFR2, LSM, 8, HOST, 0), ID_FIELD(AA64MMFR2, IESB, 12, HOST, 0),
	ID_FIELD(AA64MMFR2, VARange, 16, HOST, 0), ID_FIELD(AA64MMFR2, CCIDX, 20, HOST, 0),
	ID_FIELD(AA64MMFR2, ST, 28, HOST, 0), ID_FIELD(AA64MMFR2, AT, 32, HOST, 0),
	ID_FIELD(AA64MMFR2, IDS, 36, HOST, 0), ID_FIELD(AA64MMFR2, TTL, 48, HOST, 0),
	ID_FIELD(AA64MMFR2, BBM, 52, HOST, 0), ID_FIELD(AA64MMFR2, E0PD, 60, HOST, 0),
	/* NV, FWB, EVT: hidden */

	/* REVIDR_EL1: the hardware's revision, like MIDR (VPIDR_EL2) */
	ID_FIELD(REVIDR, REVIDR, 0, WHOLE, 0),
	/* AIDR_EL1: hidden (the host's implementation-defined features) */
};

/* The hardware-dependent part, once at boot; per VM only the vGIC field differs. */
static u64 id_host_values[CPUID_NR];

static unsigned int id_parange_code(unsigned int bits)
{
	static const unsigned char pa[] = { 32, 36, 40, 42, 44, 48 };

	for (unsigned int i = ARRAY_SIZE(pa); i-- > 0;) {
		if (bits >= pa[i])
			return i;
	}
	return 0;
}

static u64 id_field_value(const struct id_field *f, u64 hw, unsigned int ipa_bits)
{
	u64 v = (hw >> f->shift) & 0xF;

	switch (f->rule) {
	case ID_HOST:
		return v;
	case ID_SET:
		return f->val;
	case ID_MAX:
		return MIN(v, (u64)f->val);
	case ID_IPA:
		return MIN(v, (u64)id_parange_code(ipa_bits));
	case ID_PMU:
		return vpmu_available() ? v : 0;
	default:
		return 0;
	}
}

__cold void sysreg_id_init(unsigned int ipa_bits)
{
	memset(id_host_values, 0, sizeof(id_host_values));
	for (size_t i = 0; i < ARRAY_SIZE(id_fields); i++) {
		const struct id_field *f = &id_fields[i];
		u64 hw = cpuid_read(f->reg);

		if (f->rule == ID_WHOLE)
			id_host_values[f->reg] = hw;
		else
			id_host_values[f->reg] |= id_field_value(f, hw, ipa_bits) << f->shift;
	}
}

/* The VM's value of register @reg. */
static u64 id_vm_value(const struct vm *vm, unsigned int reg)
{
	u64 v = id_host_values[reg];

	for (size_t i = 0; i < ARRAY_SIZE(id_fields); i++) {
		const struct id_field *f = &id_fields[i];

		if (f->reg == reg && f->rule == ID_VGIC && vgic_sysreg_cpuif(vm))
			v |= 1UL << f->shift;
	}
	return v;
}

/* The AArch64 ID registers by (CRm - 4) * 8 + op2, as the fast path indexes them. */
static int id_aa64_reg(unsigned int idx)
{
	static const signed char regs[32] = {
		[0] = CPUID_AA64PFR0,	[1] = CPUID_AA64PFR1,	[8] = CPUID_AA64DFR0,
		[16] = CPUID_AA64ISAR0, [17] = CPUID_AA64ISAR1, [18] = CPUID_AA64ISAR2,
		[24] = CPUID_AA64MMFR0, [25] = CPUID_AA64MMFR1, [26] = CPUID_AA64MMFR2,
	};

	/* Every other index is 0 in the table above: CPUID_AA64PFR0 is 0, so check it. */
	return idx == 0 || regs[idx] != 0 ? regs[idx] : -1;
}

void sysreg_id_fill(const struct vm *vm, u64 out[32])
{
	for (unsigned int i = 0; i < 32; i++) {
		int reg = id_aa64_reg(i);

		out[i] = reg < 0 ? 0 : id_vm_value(vm, (unsigned int)reg);
	}
}

/* op0, op1 and CRn of a key: the ID space is op0 3, op1 0, CRn 0. */
#define ID_KEY_SPACE_MASK SYS_REG(3, 7, 15, 0, 0)

bool sysreg_id_read(const struct vm *vm, u32 key, u64 *val)
{
	unsigned int crm = (key >> 3) & 0xF, op2 = key & 7;

	if (key == SYS_REG(3, 0, 0, 0, 6)) { /* REVIDR_EL1 */
		*val = id_host_values[CPUID_REVIDR];
		return true;
	}
	if (key == SYS_REG(3, 1, 0, 0, 7)) { /* AIDR_EL1 */
		*val = 0;
		return true;
	}
	/* op0 3, op1 0, CRn 0, CRm 1-7: AArch32 (1-3, read as zero) and AArch64 (4-7) */
	if ((key & ID_KEY_SPACE_MASK) != SYS_REG(3, 0, 0, 0, 0) || crm < 1)
		return false;
	*val = crm >= 4 ? vm->id_fast[(crm - 4) * 8 + op2] : 0;
	return true;
}
