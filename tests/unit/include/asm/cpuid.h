/* SPDX-License-Identifier: GPL-2.0-only */
/* Host stand-in for the arm64 header: ID registers are variables the test sets. */
#ifndef ASM_CPUID_H
#define ASM_CPUID_H

#include <tern/types.h>

/* Defined by the test that includes this (see test_stage2.c). */
extern u64 unit_id_aa64mmfr0;

static inline u64 cpuid_id_aa64mmfr0(void)
{
	return unit_id_aa64mmfr0;
}

#endif
