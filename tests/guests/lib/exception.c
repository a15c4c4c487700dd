// SPDX-License-Identifier: GPL-2.0-only
/* EL1 exception handling: expected synchronous exceptions are recorded and skipped. */
#include "libguest.h"

void exception_entry(struct ex_regs *regs, u64 index);

static const char *const vector_names[16] = {
	"sync (EL1t)",	 "IRQ (EL1t)",	 "FIQ (EL1t)",	 "SError (EL1t)",
	"sync (EL1h)",	 "IRQ (EL1h)",	 "FIQ (EL1h)",	 "SError (EL1h)",
	"sync (EL0/64)", "IRQ (EL0/64)", "FIQ (EL0/64)", "SError (EL0/64)",
	"sync (EL0/32)", "IRQ (EL0/32)", "FIQ (EL0/32)", "SError (EL0/32)",
};

bool (*exception_lower_hook)(struct ex_regs *regs, u64 index, u64 esr, u64 far);

static struct {
	bool armed;
	bool ret_to_lr;
	bool taken;
	unsigned int ec;
	u64 esr;
	u64 far;
	u64 elr;
	u64 spsr;
	u64 pstate;
} expect;

static void (*serror_handler)(u64 esr, u64 index);
static bool (*sync_hook)(struct ex_regs *regs, u64 esr);

void exception_set_sync_hook(bool (*fn)(struct ex_regs *regs, u64 esr))
{
	sync_hook = fn;
}

void exception_set_serror_handler(void (*fn)(u64 esr, u64 index))
{
	serror_handler = fn;
}

u64 exception_spsr(void)
{
	return expect.spsr;
}

u64 exception_handler_pstate(void)
{
	return expect.pstate;
}

/* The PSTATE bits of the running handler that the CPU lets EL1 read (DAIF, PAN, UAO, DIT, SSBS). */
static u64 handler_pstate(void)
{
	u64 mmfr1 = read_sysreg(id_aa64mmfr1_el1), mmfr2 = read_sysreg(id_aa64mmfr2_el1);
	u64 pfr0 = read_sysreg(id_aa64pfr0_el1), pfr1 = read_sysreg(id_aa64pfr1_el1);
	u64 v = read_sysreg(daif);

	if (FIELD(mmfr1, 23, 20))
		v |= read_sysreg(s3_0_c4_c2_3); /* PAN */
	if (FIELD(mmfr2, 7, 4))
		v |= read_sysreg(s3_0_c4_c2_4); /* UAO */
	if (FIELD(pfr0, 51, 48))
		v |= read_sysreg(s3_3_c4_c2_5); /* DIT */
	if (FIELD(pfr1, 7, 4) >= 2)
		v |= read_sysreg(s3_3_c4_c2_6); /* SSBS */
	return v;
}

void expect_exception(unsigned int ec)
{
	expect.ret_to_lr = false;
	expect.ec = ec;
	expect.taken = false;
	expect.esr = 0;
	expect.far = 0;
	expect.elr = 0;
	asm volatile("" ::: "memory");
	WRITE_ONCE(expect.armed, true);
}

void expect_exception_ret(unsigned int ec)
{
	expect_exception(ec);
	expect.ret_to_lr = true;
}

bool exception_taken(u64 *esr, u64 *far)
{
	asm volatile("" ::: "memory");
	WRITE_ONCE(expect.armed, false);
	if (esr)
		*esr = expect.esr;
	if (far)
		*far = expect.far;
	return READ_ONCE(expect.taken);
}

u64 exception_elr(void)
{
	return expect.elr;
}

void exception_entry(struct ex_regs *regs, u64 index)
{
	u64 pstate = handler_pstate();
	u64 esr = read_sysreg(esr_el1);
	u64 far = read_sysreg(far_el1);
	bool sync = (index & 3) == 0;

	if (sync && sync_hook && sync_hook(regs, esr))
		return;
	if ((index & 3) == 3 && serror_handler) {
		serror_handler(esr, index);
		return;
	}
	if (index >= 8 && exception_lower_hook && exception_lower_hook(regs, index, esr, far))
		return;
	if (sync && expect.armed && !expect.taken &&
	    (expect.ec == EXCEPTION_ANY || expect.ec == ESR_EC(esr))) {
		expect.taken = true;
		expect.esr = esr;
		expect.far = far;
		expect.elr = regs->elr;
		expect.spsr = regs->spsr;
		expect.pstate = pstate;
		/*
		 * Every class we expect is taken on the faulting instruction itself: skip it, or
		 * return to the caller of a function that faulted (a branch to a bad address).
		 */
		regs->elr = expect.ret_to_lr ? regs->x[30] : regs->elr + 4;
		/* An illegal exception return set PSTATE.IL: do not take it again on return. */
		regs->spsr &= ~(1UL << 20);
		return;
	}
	printf("FAIL: unexpected exception: %s ESR_EL1=0x%lx (EC 0x%lx) ELR_EL1=0x%lx "
	       "FAR_EL1=0x%lx SPSR_EL1=0x%lx\n",
	       vector_names[index & 15], esr, ESR_EC(esr), regs->elr, far, regs->spsr);
	report_abort("exception handling");
}
