// SPDX-License-Identifier: GPL-2.0-only
/*
 * Exceptions Tern injects, as the architecture takes them to EL1:
 * - PSTATE on entry (AArch64.TakeException): DAIF set; PAN set when SCTLR_EL1.SPAN is 0, else
 *   kept; DIT kept; SSBS from SCTLR_EL1.DSSBS; UAO cleared; SPSR_EL1 the interrupted PSTATE with
 *   its flags, PAN, UAO, DIT, SSBS and BTYPE (each only where the ID registers report the feature:
 *   a Cortex-A53 has none of them); ESR_EL1.IL set (a 32-bit instruction). Checked for
 *   an UNDEFINED instruction Tern injects (LORC_EL1: HCR_EL2.TLOR traps it, LORegions are hidden)
 *   and for an external abort on a hole in the guest's map;
 * - a virtual SError (the DEBUG_GUEST_HOOKS hypercall; nothing on an emulator makes a real one)
 *   is pending once: ISR_EL1.A shows it, it is taken once when PSTATE.A is unmasked, then it is
 *   gone, also after the vCPU has been switched out and in again (tern_reschedule()).
 */
#include "libguest.h"

#define HOLE_IPA 0x00001000UL /* below the GIC: nothing there */

#define PSR_NZCV  (0xFUL << 28)
#define PSR_BTYPE (3UL << 10)
#define PSR_SSBS  (1UL << 12)
#define PSR_PAN	  (1UL << 22)
#define PSR_UAO	  (1UL << 23)
#define PSR_DIT	  (1UL << 24)
#define PSR_DAIF  (0xFUL << 6)

#define SCTLR_SPAN  (1UL << 23)
#define SCTLR_DSSBS (1UL << 44)

#define ISR_A (1UL << 8)

#define ESR_IL	      (1UL << 25)
#define ESR_EC_SERROR 0x2f

/* Which PSTATE features this CPU has (only those bits can be set and checked). */
static bool has_pan, has_uao, has_dit, has_ssbs, has_bti;

static volatile u32 serrors;
static volatile u64 serror_esr;

static void on_serror(u64 esr, u64 index)
{
	(void)index;
	serrors++;
	serror_esr = esr;
}

static void set_pstate(bool pan, bool uao, bool dit, bool ssbs)
{
	if (has_pan)
		write_sysreg(pan ? PSR_PAN : 0, s3_0_c4_c2_3);
	if (has_uao)
		write_sysreg(uao ? PSR_UAO : 0, s3_0_c4_c2_4);
	if (has_dit)
		write_sysreg(dit ? PSR_DIT : 0, s3_3_c4_c2_5);
	if (has_ssbs)
		write_sysreg(ssbs ? PSR_SSBS : 0, s3_3_c4_c2_6);
	isb();
}

/*
 * Take @kind with NZCV = 0b1010 and BTYPE from a BR into the faulting instruction (BTYPE 0b01
 * with FEAT_BTI, none without); returns the
 * ESR, SPSR_EL1 and the handler's PSTATE.
 */
static bool take(bool undef, u64 *esr, u64 *spsr, u64 *pstate)
{
	u64 scratch = 0;
	bool taken;

	expect_exception(EXCEPTION_ANY);
	if (undef)
		asm volatile("adr x9, 1f\n\t"
			     "msr nzcv, %1\n\t"
			     "br x9\n"
			     "1:	mrs %0, s3_0_c10_c4_3" /* LORC_EL1 */
			     : "+r"(scratch)
			     : "r"(0xA0000000UL)
			     : "x9", "cc", "memory");
	else
		asm volatile("adr x9, 1f\n\t"
			     "msr nzcv, %1\n\t"
			     "br x9\n"
			     "1:	ldr %0, [%2]"
			     : "+r"(scratch)
			     : "r"(0xA0000000UL), "r"(HOLE_IPA)
			     : "x9", "cc", "memory");
	taken = exception_taken(esr, NULL);
	*spsr = exception_spsr();
	*pstate = exception_handler_pstate();
	return taken;
}

struct pstate_case {
	const char *name;
	u64 sctlr_set, sctlr_clear;
	bool pan, uao, dit, ssbs;
	/* Expected in the handler */
	bool h_pan, h_dit, h_ssbs;
};

static const struct pstate_case cases[] = {
	{ "SPAN 0: PAN set", 0, SCTLR_SPAN | SCTLR_DSSBS, false, true, false, true, true, false,
	  false },
	{ "SPAN 1: PAN kept clear", SCTLR_SPAN, SCTLR_DSSBS, false, false, true, false, false, true,
	  false },
	{ "SPAN 1: PAN kept set, DSSBS 1", SCTLR_SPAN | SCTLR_DSSBS, 0, true, true, true, false,
	  true, true, true },
	{ "DIT clear, DSSBS 0, SSBS set before", SCTLR_SPAN, SCTLR_DSSBS, false, false, false, true,
	  false, false, false },
};

static void test_pstate(bool undef)
{
	const char *what = undef ? "UNDEF (LORC_EL1)" : "abort (hole)";
	u64 sctlr0 = read_sysreg(sctlr_el1);

	for (unsigned int i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct pstate_case *c = &cases[i];
		u64 esr, spsr, pstate, want_spsr, want_h;
		bool taken, ok;

		write_sysreg((sctlr0 | c->sctlr_set) & ~c->sctlr_clear, sctlr_el1);
		isb();
		set_pstate(c->pan, c->uao, c->dit, c->ssbs);
		taken = take(undef, &esr, &spsr, &pstate);
		set_pstate(false, false, false, false);
		write_sysreg(sctlr0, sctlr_el1);
		isb();

		want_spsr = 0xA0000000UL | PSR_DAIF | 0x5 | (has_bti ? 1UL << 10 : 0) |
			    (has_pan && c->pan ? PSR_PAN : 0) | (has_uao && c->uao ? PSR_UAO : 0) |
			    (has_dit && c->dit ? PSR_DIT : 0) |
			    (has_ssbs && c->ssbs ? PSR_SSBS : 0);
		want_h = PSR_DAIF | (has_pan && c->h_pan ? PSR_PAN : 0) |
			 (has_dit && c->h_dit ? PSR_DIT : 0) |
			 (has_ssbs && c->h_ssbs ? PSR_SSBS : 0);
		ok = taken && (esr & ESR_IL) && spsr == want_spsr && pstate == want_h &&
		     ESR_EC(esr) == (undef ? ESR_EC_UNKNOWN : ESR_EC_DABT_CUR);
		report(
		    ok,
		    "%s, %s: ESR 0x%lx, SPSR 0x%lx (want 0x%lx), handler PSTATE 0x%lx (want 0x%lx)",
		    what, c->name, esr, spsr, want_spsr, pstate, want_h);
	}
}

static void unmask_serror(void)
{
	asm volatile("msr daifclr, #4\n\tisb\n\tnop\n\tnop\n\tmsr daifset, #4\n\tisb" ::: "memory");
}

static void test_serror(void)
{
	s64 r;
	u64 isr;

	exception_set_serror_handler(on_serror);
	r = tern_hook(GUEST_HOOK_INJECT_SERROR);
	if (r != 0) {
		report_skip("SError: no test hook (CONFIG_DEBUG_GUEST_HOOKS off: %ld)", r);
		report_skip("SError: taken once");
		report_skip("SError: not again after the vCPU was switched");
		return;
	}
	isb();
	isr = read_sysreg(isr_el1);
	tern_reschedule(4);
	report((isr & ISR_A) && (read_sysreg(isr_el1) & ISR_A) && serrors == 0,
	       "SError: pending while PSTATE.A is masked, also after switches (ISR_EL1 0x%lx)",
	       isr);
	unmask_serror();
	report(serrors == 1 && ESR_EC(serror_esr) == ESR_EC_SERROR &&
		   !(read_sysreg(isr_el1) & ISR_A),
	       "SError: taken once on unmasking (%u, ESR 0x%lx), ISR_EL1.A clear after", serrors,
	       serror_esr);
	for (unsigned int i = 0; i < 8; i++) {
		tern_reschedule(2);
		unmask_serror();
	}
	report(serrors == 1 && !(read_sysreg(isr_el1) & ISR_A),
	       "SError: not again after 8 rounds of switches and unmasking (%u taken)", serrors);
	exception_set_serror_handler(NULL);
}

int main(void)
{
	report_prefix("inject");
	has_pan = FIELD(read_sysreg(id_aa64mmfr1_el1), 23, 20) != 0;
	has_uao = FIELD(read_sysreg(id_aa64mmfr2_el1), 7, 4) != 0;
	has_dit = FIELD(read_sysreg(id_aa64pfr0_el1), 51, 48) != 0;
	has_ssbs = FIELD(read_sysreg(id_aa64pfr1_el1), 7, 4) >= 2;
	has_bti = FIELD(read_sysreg(id_aa64pfr1_el1), 3, 0) != 0;
	report_info("PAN %d UAO %d DIT %d SSBS %d BTI %d", has_pan, has_uao, has_dit, has_ssbs,
		    has_bti);
	test_pstate(true);
	test_pstate(false);
	test_serror();
	return 0;
}
