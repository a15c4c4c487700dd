// SPDX-License-Identifier: GPL-2.0-only
/*
 * Every ID register a guest can read, printed as "IDREG <name> 0x<value>" lines for
 * tests/integration/test_idregs.py, which checks each field against the table in docs/guests.md
 * and against the same program run on the bare hardware (QEMU, at EL2). The checks made here
 * are the ones the guest can make alone: the register is the same whichever general register an
 * MRS names (Tern answers AArch64 ID reads in its exit vector before saving the guest's
 * registers), and what the guest is told is coherent (no AArch32 ID values when AArch32 is
 * reported absent; no SVE/SME feature registers when SVE/SME are hidden; EL2 reported present
 * to a guest that runs at EL1 under a hypervisor).
 *
 * It also runs at EL2 on QEMU with virtualization=on, where it reads the hardware's values:
 * there PSCI is reached through SMC.
 */
#include "libguest.h"

#define MRS_ENC(crm, op2) "s3_0_c0_c" #crm "_" #op2

/* One MRS per encoding: the register is part of the instruction. */
#define ID_CASE(crm, op2)                                                                          \
	case (crm)*8 + (op2):                                                                      \
		return read_sysreg(s3_0_c0_c##crm##_##op2)
#define ID_CASES(crm)                                                                              \
	ID_CASE(crm, 0);                                                                           \
	ID_CASE(crm, 1);                                                                           \
	ID_CASE(crm, 2);                                                                           \
	ID_CASE(crm, 3);                                                                           \
	ID_CASE(crm, 4);                                                                           \
	ID_CASE(crm, 5);                                                                           \
	ID_CASE(crm, 6);                                                                           \
	ID_CASE(crm, 7)

/* op0 3, op1 0, CRn 0, CRm 1-7: the ID register space that reads as zero where unallocated. */
static u64 read_id(unsigned int crm, unsigned int op2)
{
	switch (crm * 8 + op2) {
		ID_CASES(1);
		ID_CASES(2);
		ID_CASES(3);
		ID_CASES(4);
		ID_CASES(5);
		ID_CASES(6);
		ID_CASES(7);
	}
	return ~0UL;
}

/* The same read into x5 and x23 (the exit vector's fast path writes whichever Rt is named). */
#define ID_PAIR(enc, a, b)                                                                         \
	__asm__ __volatile__("mov x5, xzr\n\tmov x23, xzr\n\t"                                     \
			     "mrs x5, " enc "\n\tmrs x23, " enc "\n\t"                             \
			     "mov %0, x5\n\tmov %1, x23"                                           \
			     : "=r"(a), "=r"(b)                                                    \
			     :                                                                     \
			     : "x5", "x23")

static const char *const aa64_names[32] = {
	[0] = "ID_AA64PFR0_EL1",   [1] = "ID_AA64PFR1_EL1",   [2] = "ID_AA64PFR2_EL1",
	[4] = "ID_AA64ZFR0_EL1",   [5] = "ID_AA64SMFR0_EL1",  [7] = "ID_AA64FPFR0_EL1",
	[8] = "ID_AA64DFR0_EL1",   [9] = "ID_AA64DFR1_EL1",   [10] = "ID_AA64DFR2_EL1",
	[12] = "ID_AA64AFR0_EL1",  [13] = "ID_AA64AFR1_EL1",  [16] = "ID_AA64ISAR0_EL1",
	[17] = "ID_AA64ISAR1_EL1", [18] = "ID_AA64ISAR2_EL1", [19] = "ID_AA64ISAR3_EL1",
	[24] = "ID_AA64MMFR0_EL1", [25] = "ID_AA64MMFR1_EL1", [26] = "ID_AA64MMFR2_EL1",
	[27] = "ID_AA64MMFR3_EL1", [28] = "ID_AA64MMFR4_EL1",
};

static u64 aa64[32];

static void print_id(const char *name, u64 v)
{
	printf("IDREG %s 0x%lx\n", name, v);
}

static void dump_all(void)
{
	u64 clidr = read_sysreg(s3_1_c0_c0_1);
	char name[32];

	print_id("MIDR_EL1", read_sysreg(midr_el1));
	print_id("MPIDR_EL1", read_sysreg(mpidr_el1));
	print_id("REVIDR_EL1", read_sysreg(s3_0_c0_c0_6));
	print_id("AIDR_EL1", read_sysreg(s3_1_c0_c0_7));
	print_id("CTR_EL0", read_sysreg(ctr_el0));
	print_id("DCZID_EL0", read_sysreg(dczid_el0));
	print_id("CLIDR_EL1", clidr);
	/* One CCSIDR per cache CLIDR reports (Ctype n: 3 bits per level). */
	for (unsigned int level = 0; level < 7; level++) {
		unsigned int ctype = (clidr >> (3 * level)) & 7;

		for (unsigned int ind = 0; ind < 2; ind++) {
			/* Ctype 1 I only, 2 D only, 3 separate I and D, 4 unified. */
			bool has = ind ? (ctype == 1 || ctype == 3) : (ctype >= 2 && ctype <= 4);

			if (!has)
				continue;
			write_sysreg((level << 1) | ind, csselr_el1);
			isb();
			snprintf(name, sizeof(name), "CCSIDR_EL1.L%u%c", level + 1,
				 ind ? 'I' : 'D');
			print_id(name, read_sysreg(s3_1_c0_c0_0));
		}
	}
	write_sysreg(0, csselr_el1);
	for (unsigned int crm = 1; crm <= 7; crm++) {
		for (unsigned int op2 = 0; op2 < 8; op2++) {
			u64 v = read_id(crm, op2);

			if (crm >= 4)
				aa64[(crm - 4) * 8 + op2] = v;
			if (crm >= 4 && aa64_names[(crm - 4) * 8 + op2])
				print_id(aa64_names[(crm - 4) * 8 + op2], v);
			else {
				snprintf(name, sizeof(name), "S3_0_C0_C%u_%u", crm, op2);
				print_id(name, v);
			}
		}
	}
}

static void check_coherent(void)
{
	u64 pfr0 = aa64[0], pfr1 = aa64[1], a, b;
	bool aarch32 = FIELD(pfr0, 3, 0) == 2 || FIELD(pfr0, 7, 4) == 2;
	bool any32 = false;
	unsigned int el = (read_sysreg(CurrentEL) >> 2) & 3;
	char hyp[4];

	for (unsigned int crm = 1; crm <= 3; crm++)
		for (unsigned int op2 = 0; op2 < 8; op2++)
			any32 |= read_id(crm, op2) != 0;
	if (aarch32)
		report(read_id(1, 0) != 0, "AArch32 reported: ID_PFR0_EL1 describes it (0x%lx)",
		       read_id(1, 0));
	else
		report(!any32, "AArch64 only: the AArch32 ID registers (CRm 1-3) read as zero");
	report(FIELD(pfr0, 35, 32) != 0 || aa64[4] == 0, "ID_AA64ZFR0 zero when SVE is absent");
	report(FIELD(pfr1, 27, 24) != 0 || aa64[5] == 0, "ID_AA64SMFR0 zero when SME is absent");
	/* Bootarg hyp=1: run by a hypervisor (Tern), so EL2 exists whatever else is true. */
	if (el == 1 && !bootarg_get("hyp", hyp, sizeof(hyp)))
		report_info("EL2 field %lu (no hyp= bootarg: perhaps a machine without EL2)",
			    FIELD(pfr0, 11, 8));
	else
		report(FIELD(pfr0, 11, 8) != 0, "EL2 reported implemented (%lu) at EL%u",
		       FIELD(pfr0, 11, 8), el);

	ID_PAIR(MRS_ENC(4, 0), a, b);
	report(a == aa64[0] && b == aa64[0], "ID_AA64PFR0 read into x5 and x23 alike");
	ID_PAIR(MRS_ENC(7, 0), a, b);
	report(a == aa64[24] && b == aa64[24], "ID_AA64MMFR0 read into x5 and x23 alike");
	ID_PAIR(MRS_ENC(2, 0), a, b);
	report(a == read_id(2, 0) && b == a, "ID_ISAR0 (AArch32) read into x5 and x23 alike");
}

int main(void)
{
	if (((read_sysreg(CurrentEL) >> 2) & 3) == 2)
		smccc_conduit = SMCCC_CONDUIT_SMC; /* QEMU's PSCI at EL2 without EL3 */
	report_prefix("idregs");
	dump_all();
	check_coherent();
	return 0;
}
