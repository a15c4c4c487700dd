/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef ASM_CPUID_H
#define ASM_CPUID_H

/*
 * ID registers read by portable code, one inline each, so that host unit tests can fake them
 * (tests/unit/include/asm/cpuid.h).
 */
#include <asm/sysreg.h>
#include <tern/types.h>

static inline u64 cpuid_id_aa64mmfr0(void)
{
	return read_sysreg(id_aa64mmfr0_el1);
}

/* The ID registers whose fields Tern passes to guests (arch/arm64/sysreg_id.c). */
enum cpuid_reg {
	CPUID_AA64PFR0,
	CPUID_AA64PFR1,
	CPUID_AA64DFR0,
	CPUID_AA64ISAR0,
	CPUID_AA64ISAR1,
	CPUID_AA64ISAR2,
	CPUID_AA64MMFR0,
	CPUID_AA64MMFR1,
	CPUID_AA64MMFR2,
	CPUID_REVIDR,
	CPUID_NR,
};

/* By encoding: older assemblers do not know every name. */
static inline u64 cpuid_read(unsigned int reg)
{
	switch (reg) {
	case CPUID_AA64PFR0:
		return read_sysreg(s3_0_c0_c4_0);
	case CPUID_AA64PFR1:
		return read_sysreg(s3_0_c0_c4_1);
	case CPUID_AA64DFR0:
		return read_sysreg(s3_0_c0_c5_0);
	case CPUID_AA64ISAR0:
		return read_sysreg(s3_0_c0_c6_0);
	case CPUID_AA64ISAR1:
		return read_sysreg(s3_0_c0_c6_1);
	case CPUID_AA64ISAR2:
		return read_sysreg(s3_0_c0_c6_2);
	case CPUID_AA64MMFR0:
		return read_sysreg(s3_0_c0_c7_0);
	case CPUID_AA64MMFR1:
		return read_sysreg(s3_0_c0_c7_1);
	case CPUID_AA64MMFR2:
		return read_sysreg(s3_0_c0_c7_2);
	case CPUID_REVIDR:
		return read_sysreg(revidr_el1);
	default:
		return 0;
	}
}

#endif
