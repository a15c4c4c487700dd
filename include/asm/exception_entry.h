/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef ASM_EXCEPTION_ENTRY_H
#define ASM_EXCEPTION_ENTRY_H

/*
 * The architecture's rules for an exception taken to AArch64 EL1 (AArch64.TakeException), for
 * the exceptions Tern injects; free of system registers so the host unit tests check them
 * (tests/unit/test_inject.c). KVM's enter_exception64() applies the same rules.
 */
#include <asm/sysreg.h>
#include <tern/types.h>

/* Which of the PSTATE features the CPU implements (they exist in the hardware either way). */
struct exception_entry_feats {
	bool pan, dit, ssbs, mte;
};

/*
 * PSTATE on entry to EL1h from a context whose PSTATE was @old, with the target's SCTLR_EL1
 * @sctlr: DAIF set; SS, IL, UAO, BTYPE cleared; PAN kept, and set when SCTLR_EL1.SPAN is 0;
 * DIT kept; SSBS from SCTLR_EL1.DSSBS; TCO set with MTE.
 */
static inline u64 exception_entry_pstate(u64 old, u64 sctlr, const struct exception_entry_feats *f)
{
	u64 pstate = PSR_MODE_EL1h | PSR_DAIF;

	if (f->pan) {
		pstate |= old & SPSR_PAN;
		if (!(sctlr & SCTLR_EL1_SPAN))
			pstate |= SPSR_PAN;
	}
	if (f->dit && (old & ((old & PSR_MODE_32) ? SPSR_AA32_DIT : SPSR_DIT)))
		pstate |= SPSR_DIT;
	if (f->ssbs && (sctlr & SCTLR_EL1_DSSBS))
		pstate |= SPSR_SSBS;
	if (f->mte)
		pstate |= SPSR_TCO;
	return pstate;
}

#endif
