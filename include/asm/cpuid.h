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

#endif
