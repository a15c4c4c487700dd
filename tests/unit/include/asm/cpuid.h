/* SPDX-License-Identifier: GPL-2.0-only */
/* Host stand-in for the arm64 header: ID registers are variables the test sets. */
#ifndef UNIT_ASM_CPUID_H
#define UNIT_ASM_CPUID_H

#define cpuid_id_aa64mmfr0 real_cpuid_id_aa64mmfr0
#define cpuid_read	   real_cpuid_read
#include_next <asm/cpuid.h>
#undef cpuid_id_aa64mmfr0
#undef cpuid_read

/* Defined by the test that includes this (see test_stage2.c, test_sysreg_id.c). */
extern u64 unit_id_aa64mmfr0;
extern u64 unit_cpuid[CPUID_NR];

static inline u64 cpuid_id_aa64mmfr0(void)
{
	return unit_id_aa64mmfr0;
}

static inline u64 cpuid_read(unsigned int reg)
{
	return reg < CPUID_NR ? unit_cpuid[reg] : 0;
}

#endif
