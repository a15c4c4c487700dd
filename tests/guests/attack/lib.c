// SPDX-License-Identifier: GPL-2.0-only
/* Probing accesses, generated instructions and an EL0 runner for the attack suite. */
#include "attack.h"

u64 attack_ram_base = GUEST_RAM_BASE, attack_ram_size = GUEST_RAM_SIZE_DEFAULT;
unsigned int attack_nr_vcpus = 1;
bool attack_have_gic;

bool esr_is_dabt(u64 esr)
{
	return ESR_EC(esr) == ESR_EC_DABT_CUR;
}

bool probe_result_is_abort(void)
{
	u64 esr;

	return exception_taken(&esr, NULL) && esr_is_dabt(esr);
}

bool probe_result_is_undef(void)
{
	u64 esr;

	return exception_taken(&esr, NULL) && ESR_EC(esr) == ESR_EC_UNKNOWN;
}

bool attack_has_lse(void)
{
	return FIELD(read_sysreg(id_aa64isar0_el1), 23, 20) >= 2;
}

bool attack_has_rcpc(void)
{
	return FIELD(read_sysreg(id_aa64isar1_el1), 23, 20) != 0;
}

int memcmp_v(const volatile u8 *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (a[i] != (u8)b[i])
			return 1;
	}
	return 0;
}

static enum probe probe_result(void)
{
	u64 esr;

	if (!exception_taken(&esr, NULL))
		return PROBE_OK;
	return esr_is_dabt(esr) ? PROBE_ABORT : PROBE_OTHER;
}

enum probe probe_read(u64 addr, unsigned int size, u64 *val)
{
	u64 v = 0;

	expect_exception(EXCEPTION_ANY);
	switch (size) {
	case 1:
		asm volatile("ldrb %w0, [%1]" : "+r"(v) : "r"(addr) : "memory");
		break;
	case 2:
		asm volatile("ldrh %w0, [%1]" : "+r"(v) : "r"(addr) : "memory");
		break;
	case 4:
		asm volatile("ldr %w0, [%1]" : "+r"(v) : "r"(addr) : "memory");
		break;
	default:
		asm volatile("ldr %0, [%1]" : "+r"(v) : "r"(addr) : "memory");
		break;
	}
	if (val)
		*val = v;
	return probe_result();
}

enum probe probe_write(u64 addr, unsigned int size, u64 val)
{
	expect_exception(EXCEPTION_ANY);
	switch (size) {
	case 1:
		asm volatile("strb %w0, [%1]" ::"r"(val), "r"(addr) : "memory");
		break;
	case 2:
		asm volatile("strh %w0, [%1]" ::"r"(val), "r"(addr) : "memory");
		break;
	case 4:
		asm volatile("str %w0, [%1]" ::"r"(val), "r"(addr) : "memory");
		break;
	default:
		asm volatile("str %0, [%1]" ::"r"(val), "r"(addr) : "memory");
		break;
	}
	return probe_result();
}

bool probe_call(void (*fn)(void), u64 *esr)
{
	u64 e = 0;
	bool taken;

	expect_exception_ret(EXCEPTION_ANY);
	fn();
	taken = exception_taken(&e, NULL);
	if (esr)
		*esr = e;
	return !taken;
}

static u32 insn_buf[4] __attribute__((aligned(16)));

bool probe_insn(u32 insn, u64 in, u64 *out, u64 *esr)
{
	u64 (*fn)(u64) = (u64(*)(u64))(void *)insn_buf;
	u64 e = 0, r;
	bool taken;

	WRITE_ONCE(insn_buf[0], insn);
	WRITE_ONCE(insn_buf[1], 0xd65f03c0); /* ret */
	asm volatile("dsb sy\n\tic iallu\n\tdsb sy\n\tisb" ::: "memory");
	expect_exception_ret(EXCEPTION_ANY);
	r = fn(in);
	taken = exception_taken(&e, NULL);
	if (out)
		*out = taken ? in : r;
	if (esr)
		*esr = e;
	return !taken;
}

u64 now_us(void)
{
	return read_sysreg(cntvct_el0) / (read_sysreg(cntfrq_el0) / 1000000);
}

void delay_us(u64 us)
{
	u64 end = now_us() + us;

	while (now_us() < end)
		;
}

/* ---- EL0 ---- */

void el0_enter(u64 entry, u64 spsr, u64 *regs);
extern char el0_return[];

static struct {
	bool active;
	u64 *regs;
	u64 esr;
	u64 index;
} el0;

static bool el0_hook(struct ex_regs *regs, u64 index, u64 esr, u64 far)
{
	(void)far;
	if (!el0.active)
		return false;
	el0.active = false;
	for (unsigned int i = 0; i < 31; i++)
		el0.regs[i] = regs->x[i];
	el0.esr = esr;
	el0.index = index;
	regs->elr = (u64)el0_return;
	regs->spsr = 0x3c5; /* EL1h, DAIF masked */
	return true;
}

void el0_run(u64 entry, bool aarch32, u64 regs[31], u64 *esr, u64 *index)
{
	/* A32 user mode or EL0t, interrupts masked either way. */
	u64 spsr = aarch32 ? 0x10 | 0x1c0 : 0x3c0;

	exception_lower_hook = el0_hook;
	el0.regs = regs;
	el0.active = true;
	el0_enter(entry, spsr, regs);
	*esr = el0.esr;
	*index = el0.index;
}

asm(".text\n"
    ".global el0_enter\n"
    "el0_enter:\n"
    "	stp x29, x30, [sp, #-96]!\n"
    "	stp x19, x20, [sp, #16]\n"
    "	stp x21, x22, [sp, #32]\n"
    "	stp x23, x24, [sp, #48]\n"
    "	stp x25, x26, [sp, #64]\n"
    "	stp x27, x28, [sp, #80]\n"
    "	msr elr_el1, x0\n"
    "	msr spsr_el1, x1\n"
    "	mov x16, x2\n"
    "	ldp x0, x1, [x16, #0]\n"
    "	ldp x2, x3, [x16, #16]\n"
    "	ldp x4, x5, [x16, #32]\n"
    "	ldp x6, x7, [x16, #48]\n"
    "	ldp x8, x9, [x16, #64]\n"
    "	ldp x10, x11, [x16, #80]\n"
    "	ldp x12, x13, [x16, #96]\n"
    "	ldr x14, [x16, #112]\n"
    "	eret\n"
    ".global el0_return\n"
    "el0_return:\n"
    "	ldp x19, x20, [sp, #16]\n"
    "	ldp x21, x22, [sp, #32]\n"
    "	ldp x23, x24, [sp, #48]\n"
    "	ldp x25, x26, [sp, #64]\n"
    "	ldp x27, x28, [sp, #80]\n"
    "	ldp x29, x30, [sp], #96\n"
    "	ret\n");
