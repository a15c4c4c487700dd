// SPDX-License-Identifier: GPL-2.0-only
/*
 * Injected exceptions: the PSTATE an exception to EL1 sets (every rule of AArch64.TakeException
 * for PAN, SSBS, DIT, UAO, SS, IL, BTYPE, TCO, DAIF and the mode, with and without each feature),
 * and the recognition of guests looping through injected exceptions: a vector base in a hole
 * and a handler that makes no progress are stopped; a handler that skips the instruction, an EL0
 * program restarted by its kernel and a guest faulting at many places are not.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <asm/exception_entry.h>
#include <asm/inject_loop.h>

static const struct exception_entry_feats all = {
	.pan = true, .dit = true, .ssbs = true, .mte = true
};
static const struct exception_entry_feats none;

#define EL1H_DAIF (PSR_MODE_EL1h | PSR_DAIF)
#define NOISE	  (SPSR_SS | SPSR_IL | SPSR_UAO | SPSR_BTYPE_MASK | 0xF0000000UL)

static void test_pstate_base(void **state)
{
	(void)state;
	/* Flags, SS, IL, UAO and BTYPE never survive; DAIF always set, EL1h. */
	assert_int_equal(exception_entry_pstate(NOISE, SCTLR_EL1_SPAN, &none), EL1H_DAIF);
	assert_int_equal(exception_entry_pstate(NOISE | PSR_MODE_EL1t, SCTLR_EL1_SPAN, &all),
			 EL1H_DAIF | SPSR_TCO);
}

static void test_pstate_pan(void **state)
{
	(void)state;
	/* SPAN 0: PAN set whatever it was; SPAN 1: PAN kept. */
	assert_true(exception_entry_pstate(0, 0, &all) & SPSR_PAN);
	assert_true(exception_entry_pstate(SPSR_PAN, 0, &all) & SPSR_PAN);
	assert_false(exception_entry_pstate(0, SCTLR_EL1_SPAN, &all) & SPSR_PAN);
	assert_true(exception_entry_pstate(SPSR_PAN, SCTLR_EL1_SPAN, &all) & SPSR_PAN);
	/* No PAN in the CPU: never set. */
	assert_false(exception_entry_pstate(SPSR_PAN, 0, &none) & SPSR_PAN);
}

static void test_pstate_ssbs_dit_tco(void **state)
{
	(void)state;
	/* SSBS from SCTLR_EL1.DSSBS, not from the old PSTATE. */
	assert_true(exception_entry_pstate(0, SCTLR_EL1_DSSBS | SCTLR_EL1_SPAN, &all) & SPSR_SSBS);
	assert_false(exception_entry_pstate(SPSR_SSBS, SCTLR_EL1_SPAN, &all) & SPSR_SSBS);
	assert_false(exception_entry_pstate(0, SCTLR_EL1_DSSBS, &none) & SPSR_SSBS);
	/* DIT kept, from bit 24 of an AArch64 SPSR and bit 21 of an AArch32 one. */
	assert_true(exception_entry_pstate(SPSR_DIT, SCTLR_EL1_SPAN, &all) & SPSR_DIT);
	assert_false(exception_entry_pstate(0, SCTLR_EL1_SPAN, &all) & SPSR_DIT);
	assert_true(exception_entry_pstate(PSR_MODE_32 | SPSR_AA32_DIT, SCTLR_EL1_SPAN, &all) &
		    SPSR_DIT);
	assert_false(exception_entry_pstate(PSR_MODE_32 | SPSR_DIT, SCTLR_EL1_SPAN, &all) &
		     SPSR_DIT);
	assert_false(exception_entry_pstate(SPSR_DIT, SCTLR_EL1_SPAN, &none) & SPSR_DIT);
	/* TCO set with MTE only. */
	assert_true(exception_entry_pstate(0, SCTLR_EL1_SPAN, &all) & SPSR_TCO);
	assert_false(exception_entry_pstate(SPSR_TCO, SCTLR_EL1_SPAN, &none) & SPSR_TCO);
}

/* An injection at @pc with ELR_EL1 @elr, sent to @target. */
static struct inject_event ev(u64 esr, u64 pc, u64 elr, u64 target, bool el1)
{
	return (struct inject_event){
		.esr = esr, .far = 0x1000, .pc = pc, .elr = elr, .target = target, .from_el1 = el1
	};
}

#define DABT  0x96000010UL
#define IABT  0x86000010UL
#define VBAR  0x100000UL
#define SPX   (VBAR + 0x200)
#define FAULT 0x40001000UL

static void test_loop_vector_hole(void **state)
{
	struct inject_history h = { 0 };
	struct inject_event e = ev(DABT, FAULT, 0, SPX, true);

	(void)state;
	assert_int_equal(inject_loop_check(&h, &e), INJECT_LOOP_NONE);
	/* The fetch of the vector itself aborts, ELR_EL1 still the first fault. */
	e = ev(IABT, SPX, FAULT, SPX, true);
	assert_int_equal(inject_loop_check(&h, &e), INJECT_LOOP_VECTOR);
}

static void test_loop_no_progress(void **state)
{
	struct inject_history h = { 0 };
	struct inject_event e = ev(DABT, FAULT, 0x40000000, 0x40000a00, true);
	unsigned int n;

	(void)state;
	assert_int_equal(inject_loop_check(&h, &e), INJECT_LOOP_NONE);
	/* The handler returns to the faulting instruction unchanged: ELR_EL1 == pc each time. */
	e.elr = FAULT;
	for (n = 1; n < INJECT_LOOP_REPEATS; n++)
		assert_int_equal(inject_loop_check(&h, &e), INJECT_LOOP_NONE);
	assert_int_equal(inject_loop_check(&h, &e), INJECT_LOOP_REPEAT);
}

static void test_loop_progress_is_not_a_loop(void **state)
{
	struct inject_history h = { 0 };
	struct inject_event e;

	(void)state;
	/* A handler skipping the instruction: ELR_EL1 is pc + 4 when the loop comes back. */
	for (unsigned int n = 0; n < 10 * INJECT_LOOP_REPEATS; n++) {
		e = ev(DABT, FAULT, n ? FAULT + 4 : 0, 0x40000a00, true);
		assert_int_equal(inject_loop_check(&h, &e), INJECT_LOOP_NONE);
	}
	/* An EL0 program its kernel restarts at the same instruction. */
	inject_loop_reset(&h);
	for (unsigned int n = 0; n < 10 * INJECT_LOOP_REPEATS; n++) {
		e = ev(DABT, 0x400000, 0x400000, 0x40000c00, false);
		assert_int_equal(inject_loop_check(&h, &e), INJECT_LOOP_NONE);
	}
	/* Repeats interrupted by a different fault start counting again. */
	inject_loop_reset(&h);
	for (unsigned int n = 0; n < 10 * INJECT_LOOP_REPEATS; n++) {
		e = ev(DABT, FAULT, FAULT, 0x40000a00, true);
		if (n % (INJECT_LOOP_REPEATS / 2) == 0)
			e.far = 0x2000;
		assert_int_equal(inject_loop_check(&h, &e), INJECT_LOOP_NONE);
	}
	/* A handler that ran (new fault elsewhere) is not a vector in a hole. */
	inject_loop_reset(&h);
	e = ev(DABT, FAULT, 0, SPX, true);
	assert_int_equal(inject_loop_check(&h, &e), INJECT_LOOP_NONE);
	e = ev(DABT, SPX + 0x40, FAULT, SPX, true);
	assert_int_equal(inject_loop_check(&h, &e), INJECT_LOOP_NONE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pstate_base),
		cmocka_unit_test(test_pstate_pan),
		cmocka_unit_test(test_pstate_ssbs_dit_tco),
		cmocka_unit_test(test_loop_vector_hole),
		cmocka_unit_test(test_loop_no_progress),
		cmocka_unit_test(test_loop_progress_is_not_a_loop),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
