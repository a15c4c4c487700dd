// SPDX-License-Identifier: GPL-2.0-only
/*
 * arch/arm64/sysreg_emul.c's handler rows agree with include/asm/sysreg_table.h: every register
 * whose policy traps to a handler (EMUL, ID, VMCTL, PMU) is covered by a row, no other register
 * is, and every row is for such a register (op0 1 rows are instructions, not registers). Tern
 * used to check this at boot; here it fails `make unit-test` instead, and the table of names it
 * needs stays out of tern.elf. The handlers themselves are never called: the fakes fail if one is.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>
#include <asm/setway.h>
#include <asm/sysreg_emul.h>
#include <asm/sysreg_table.h>
#include <asm/vdebug.h>
#include <asm/vpmu.h>
#include <asm/vtimer.h>
#include <tern/panic.h>
#include <virt/vgic_core.h>

void panic(const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fail_msg("panic: %s", msg);
	abort(); /* fail_msg does not return; this keeps __noreturn true for the compiler */
}

bool sysreg_id_read(const struct vm *vm, u32 key, u64 *val)
{
	fail_msg("handler called");
	return false;
}

void setway_op(struct vcpu *vcpu)
{
	fail_msg("handler called");
}

bool setway_vm_reg_write(struct vcpu *vcpu, u32 key, u64 val)
{
	fail_msg("handler called");
	return false;
}

#define FAKE_HANDLER(name)                                                                         \
	SYSREG_HANDLER(name)                                                                       \
	{                                                                                          \
		fail_msg("handler called");                                                        \
		return SYSREG_RET(SYSREG_UNDEF, 0);                                                \
	}
FAKE_HANDLER(vtimer_ptimer_ctl)
FAKE_HANDLER(vtimer_ptimer_cval)
FAKE_HANDLER(vtimer_ptimer_tval)
FAKE_HANDLER(vdebug_mdscr)
FAKE_HANDLER(vdebug_oslar)
FAKE_HANDLER(vdebug_oslsr)
FAKE_HANDLER(vdebug_osdlr)
FAKE_HANDLER(vdebug_claimset)
FAKE_HANDLER(vdebug_claimclr)
FAKE_HANDLER(vdebug_bank)

void vgic_send_sgi(struct vcpu *vcpu, u64 val, bool group0)
{
	fail_msg("handler called");
}

enum sysreg_result vpmu_first_access(struct vcpu *vcpu)
{
	fail_msg("handler called");
	return SYSREG_UNDEF;
}

struct policy {
	u32 key;
	bool trapped;
	const char *name, *pol;
};

#define POLICY_ROW(name, o0, o1, cn, cm, o2, pol, feat, hw, why)                                   \
	{ SYS_REG(o0, o1, cn, cm, o2), SR_TRAPPED(pol), #name, #pol },
static const struct policy policies[] = { SYSREG_TABLE(POLICY_ROW) };
#define NR_POLICIES (sizeof(policies) / sizeof(policies[0]))

static int setup(void **state)
{
	(void)state;
	sysreg_emul_init(); /* builds the index; a row it cannot index panics (fails) */
	return 0;
}

/* Every register of sysreg_table.h traps to a handler exactly when its policy says so. */
static void test_policy_rows_have_handler_iff_trapped(void **state)
{
	unsigned int trapped = 0;

	(void)state;
	for (size_t i = 0; i < NR_POLICIES; i++) {
		const struct policy *p = &policies[i];
		bool handled = sysreg_emul_handles(p->key);

		if (handled != p->trapped)
			fail_msg("%s is %s in sysreg_table.h but %s in sysreg_emul.c", p->name,
				 p->pol, handled ? "has a handler" : "has no handler");
		trapped += p->trapped;
	}
	/* The debug banks, the ID space, VMCTL and PMU rows at least: the table is not empty. */
	assert_true(trapped > 100);
}

/* Every handler row is for a register sysreg_table.h traps (or a system instruction, op0 1). */
static void test_handler_rows_are_trapped_registers(void **state)
{
	u32 key;
	size_t i;

	(void)state;
	for (i = 0; sysreg_emul_row_key(i, &key); i++) {
		bool known = key >> 14 == 1;

		for (size_t j = 0; j < NR_POLICIES && !known; j++)
			known = policies[j].trapped && policies[j].key == key;
		if (!known)
			fail_msg(
			    "handler row %zu (0x%x) has no EMUL/ID/VMCTL/PMU row in sysreg_table.h",
			    i, key);
	}
	assert_true(i > 10);
}

/* Encodings outside the table (op0 0, unallocated op0 3 space) have no handler. */
static void test_unlisted_encodings_have_no_handler(void **state)
{
	(void)state;
	assert_false(sysreg_emul_handles(SYS_REG(0, 0, 0, 0, 0)));
	assert_false(sysreg_emul_handles(SYS_REG(3, 7, 15, 15, 7)));
	assert_false(sysreg_emul_handles(1U << 19)); /* beyond any encoding */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_policy_rows_have_handler_iff_trapped),
		cmocka_unit_test(test_handler_rows_are_trapped_registers),
		cmocka_unit_test(test_unlisted_encodings_have_no_handler),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
