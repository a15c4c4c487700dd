// SPDX-License-Identifier: GPL-2.0-only
/*
 * arch/arm64/sysreg_id.c with the hardware's ID registers faked (tests/unit/include/asm/cpuid.h):
 * the values QEMU 7.2's "max" CPU has (as tests/guests/idregs.c reads them at EL2) and all-ones
 * registers. The field-by-field rules are checked against docs/guests.md by
 * tests/scripts/test_id_table.py and against a running guest by tests/integration/test_idregs.py;
 * here: the rules' arithmetic, and that the fast path's table and the C path give the same value
 * for every key.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <asm/cpuid.h>
#include <asm/sysreg_emul.h>
#include <tern/vm.h>
#include <virt/vgic_core.h>

u64 unit_id_aa64mmfr0;
u64 unit_cpuid[CPUID_NR];

/* QEMU 7.2 -cpu max,pauth-impdef=on at EL2. */
static const u64 qemu_max[CPUID_NR] = {
	[CPUID_AA64PFR0] = 0x1201001121110222UL,  [CPUID_AA64PFR1] = 0x1000021UL,
	[CPUID_AA64DFR0] = 0x10305609UL,	  [CPUID_AA64ISAR0] = 0x1221111110212120UL,
	[CPUID_AA64ISAR1] = 0x11111110211102UL,	  [CPUID_AA64ISAR2] = 0,
	[CPUID_AA64MMFR0] = 0x32310201126UL,	  [CPUID_AA64MMFR1] = 0x11010211122UL,
	[CPUID_AA64MMFR2] = 0x1021011010011011UL, [CPUID_REVIDR] = 0x5aUL,
};

#define KEY(crm, op2) SYS_REG(3, 0, 0, crm, op2)
#define FLD(v, shift) (((v) >> (shift)) & 0xF)

static struct vm vm_gic, vm_nogic;
static int dummy_vgic;

/* The vGIC's answer for the VMs here: a GICv3 model whenever there is a vGIC. */
bool vgic_sysreg_cpuif(const struct vm *vm)
{
	return vm->vgic != NULL;
}

/* Whether guests get the PMU (vpmu.c decides from the hardware's PMUVer). */
static bool fake_vpmu = true;

bool vpmu_available(void)
{
	return fake_vpmu;
}

static void init_with(const u64 *hw, unsigned int ipa_bits)
{
	memset(&vm_gic, 0, sizeof(vm_gic));
	memset(&vm_nogic, 0, sizeof(vm_nogic));
	vm_gic.vgic = (struct vgic_dist *)&dummy_vgic;
	memcpy(unit_cpuid, hw, sizeof(unit_cpuid));
	sysreg_id_init(ipa_bits);
	sysreg_id_fill(&vm_gic, vm_gic.id_fast);
	sysreg_id_fill(&vm_nogic, vm_nogic.id_fast);
}

static u64 rd(const struct vm *vm, u32 key)
{
	u64 v = 0xdeadbeef;

	assert_true(sysreg_id_read(vm, key, &v));
	return v;
}

/* The hardware's values are computed once: a second init must not OR into the first. */
static void test_init_twice(void **state)
{
	u64 ones[CPUID_NR];

	(void)state;
	memset(ones, 0xff, sizeof(ones));
	init_with(ones, 48);
	init_with(qemu_max, 40);
	assert_int_equal(FLD(rd(&vm_gic, KEY(4, 0)), 32), 0); /* SVE, 0xF before */
	assert_int_equal(FLD(rd(&vm_gic, KEY(7, 0)), 0), 2);
}

static void test_qemu_max(void **state)
{
	u64 pfr0, mmfr0;

	(void)state;
	init_with(qemu_max, 40);
	pfr0 = rd(&vm_gic, KEY(4, 0));
	assert_int_equal(FLD(pfr0, 0), 1);  /* EL0: AArch64 only (hw 2) */
	assert_int_equal(FLD(pfr0, 4), 1);  /* EL1 */
	assert_int_equal(FLD(pfr0, 8), 1);  /* EL2 implemented, AArch64 (hw 2) */
	assert_int_equal(FLD(pfr0, 12), 0); /* EL3 as hw */
	assert_int_equal(FLD(pfr0, 24), 1); /* GIC with a vGIC */
	assert_int_equal(FLD(rd(&vm_nogic, KEY(4, 0)), 24), 0);
	assert_int_equal(FLD(pfr0, 28), 0);		      /* RAS hidden (hw 2) */
	assert_int_equal(FLD(pfr0, 32), 0);		      /* SVE hidden (hw 1) */
	assert_int_equal(FLD(pfr0, 36), 0);		      /* SEL2 hidden (hw 1) */
	assert_int_equal(FLD(pfr0, 56), 2);		      /* CSV2 as hw */
	assert_int_equal(FLD(rd(&vm_gic, KEY(4, 1)), 24), 0); /* SME hidden */
	mmfr0 = rd(&vm_gic, KEY(7, 0));
	assert_int_equal(FLD(mmfr0, 0), 2);			/* PARange: 40-bit IPA (hw 52) */
	assert_int_equal(FLD(mmfr0, 32), 1);			/* TGran16_2: not at stage 2 */
	assert_int_equal(FLD(rd(&vm_gic, KEY(5, 0)), 8), 6);	/* PMUVer as hw (vpmu.c) */
	assert_int_equal(FLD(rd(&vm_gic, KEY(5, 0)), 36), 0xF); /* no DoubleLock */
	assert_int_equal(FLD(rd(&vm_gic, KEY(6, 0)), 52), 2);	/* TS passed (hw 2) */
	assert_int_equal(FLD(rd(&vm_gic, KEY(7, 1)), 8), 0);	/* VH hidden */
	assert_int_equal(FLD(rd(&vm_gic, KEY(7, 2)), 40), 0);	/* FWB hidden */
	assert_int_equal(rd(&vm_gic, KEY(4, 4)), 0);		/* ZFR0: SVE hidden */
	assert_int_equal(rd(&vm_gic, SYS_REG(3, 0, 0, 0, 6)), 0x5a); /* REVIDR */
	assert_int_equal(rd(&vm_gic, SYS_REG(3, 1, 0, 0, 7)), 0);    /* AIDR */
}

/* Every field of an all-ones hardware: the rules' arithmetic and nothing leaks unlisted. */
static void test_all_ones(void **state)
{
	u64 ones[CPUID_NR];
	u64 pfr0;

	(void)state;
	memset(ones, 0xff, sizeof(ones));
	init_with(ones, 36);
	pfr0 = rd(&vm_nogic, KEY(4, 0));
	assert_int_equal(pfr0, 0xFF0F000000FFF111UL); /* only EL0-3, FP, AdvSIMD, DIT, CSV2/3 */
	assert_int_equal(FLD(rd(&vm_nogic, KEY(7, 0)), 0), 1);	  /* PARange 36 bits */
	assert_int_equal(FLD(rd(&vm_nogic, KEY(5, 0)), 12), 0xF); /* BRPs: 16, what Tern keeps */
	assert_int_equal(rd(&vm_nogic, SYS_REG(3, 0, 0, 0, 6)), ~0UL);
	/* Unknown registers and the AArch32 ones read as zero whatever the hardware says. */
	for (unsigned int crm = 1; crm <= 3; crm++)
		for (unsigned int op2 = 0; op2 < 8; op2++)
			assert_int_equal(rd(&vm_nogic, KEY(crm, op2)), 0);
	assert_int_equal(rd(&vm_nogic, KEY(4, 2)), 0); /* ID_AA64PFR2 */
	assert_int_equal(rd(&vm_nogic, KEY(6, 3)), 0); /* ID_AA64ISAR3 */
	assert_int_equal(rd(&vm_nogic, KEY(7, 3)), 0); /* ID_AA64MMFR3 */
	assert_int_equal(rd(&vm_nogic, KEY(7, 7)), 0);
}

/* PMUVer is the hardware's only while guests get the PMU (no PMUv3p1: hidden). */
static void test_pmu_hidden(void **state)
{
	(void)state;
	fake_vpmu = false;
	init_with(qemu_max, 40);
	fake_vpmu = true;
	assert_int_equal(FLD(rd(&vm_gic, KEY(5, 0)), 8), 0);
	init_with(qemu_max, 40);
	assert_int_equal(FLD(rd(&vm_gic, KEY(5, 0)), 8), 6);
}

/* What the exit vector answers (id_fast[]) is what a trapped read answers, for every key. */
static void test_fast_path_matches(void **state)
{
	(void)state;
	init_with(qemu_max, 40);
	for (unsigned int crm = 4; crm <= 7; crm++) {
		for (unsigned int op2 = 0; op2 < 8; op2++) {
			u64 idx = (crm - 4) * 8 + op2;

			assert_int_equal(rd(&vm_gic, KEY(crm, op2)), vm_gic.id_fast[idx]);
			assert_int_equal(rd(&vm_nogic, KEY(crm, op2)), vm_nogic.id_fast[idx]);
		}
	}
}

static void test_not_id_registers(void **state)
{
	u64 v;

	(void)state;
	init_with(qemu_max, 40);
	assert_false(sysreg_id_read(&vm_gic, SYS_REG(3, 0, 0, 0, 0), &v)); /* MIDR: not trapped */
	assert_false(sysreg_id_read(&vm_gic, SYS_REG(3, 0, 0, 0, 5), &v)); /* MPIDR */
	assert_false(sysreg_id_read(&vm_gic, SYS_REG(3, 0, 1, 0, 0), &v)); /* SCTLR_EL1 */
	assert_false(sysreg_id_read(&vm_gic, SYS_REG(3, 1, 0, 0, 0), &v)); /* CCSIDR */
	assert_false(sysreg_id_read(&vm_gic, SYS_REG(3, 0, 1, 4, 0), &v)); /* CRn 1 */
	assert_false(sysreg_id_read(&vm_gic, SYS_REG(2, 0, 0, 4, 0), &v)); /* op0 2: debug */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_twice),	  cmocka_unit_test(test_qemu_max),
		cmocka_unit_test(test_all_ones),	  cmocka_unit_test(test_pmu_hidden),
		cmocka_unit_test(test_fast_path_matches), cmocka_unit_test(test_not_id_registers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
