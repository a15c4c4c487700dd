/* SPDX-License-Identifier: GPL-2.0-only */
/* Host stand-in for the arm64 header: the "hardware" registers are variables the test reads. */
#ifndef ASM_EL1_HW_H
#define ASM_EL1_HW_H

#include <asm/sysreg_emul.h>
#include <tern/types.h>

struct unit_el1 {
	u64 sctlr, hcr;
	unsigned int vm_reg_writes, hcr_writes;
	u32 last_key;
	u64 last_val;
};

/* Defined by the test that includes this (see test_setway.c). */
extern struct unit_el1 unit_el1;

static inline bool el1_hw_write_vm_reg(u32 key, u64 val)
{
	unit_el1.vm_reg_writes++;
	unit_el1.last_key = key;
	unit_el1.last_val = val;
	if (key == SYS_REG(3, 0, 1, 0, 0))
		unit_el1.sctlr = val;
	return (key >> 14) == 3; /* the real one knows the 11 registers; any op0 3 key here */
}

static inline u64 el1_hw_read_sctlr(void)
{
	return unit_el1.sctlr;
}

static inline bool el1_hw_caches_on(void)
{
	return (unit_el1.sctlr & 5) == 5; /* SCTLR_EL1.M and C */
}

static inline void el1_hw_write_hcr(u64 hcr)
{
	unit_el1.hcr_writes++;
	unit_el1.hcr = hcr;
}

#endif
