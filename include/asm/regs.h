/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef ASM_REGS_H
#define ASM_REGS_H

/* Layout of the frame vectors.S saves on an exception taken to EL2. */
#define REGS_OFF_SP   (31 * 8)
#define REGS_OFF_ELR  (32 * 8)
#define REGS_OFF_SPSR (33 * 8)
#define REGS_OFF_ESR  (34 * 8)
#define REGS_OFF_FAR  (35 * 8)
#define REGS_SIZE     (36 * 8)

/* What kind of vector was taken; passed to el2_exception(). */
#define VEC_SP0		 0
#define VEC_SYNC	 1
#define VEC_IRQ		 2
#define VEC_FIQ		 3
#define VEC_SERROR	 4
#define VEC_LOWER_SYNC	 5
#define VEC_LOWER_IRQ	 6
#define VEC_LOWER_FIQ	 7
#define VEC_LOWER_SERROR 8
#define VEC_LOWER32	 9
#define VEC_OVERFLOW	 10

#ifndef __ASSEMBLY__
#include <tern/types.h>

struct cpu_regs {
	u64 x[31];
	u64 sp;
	u64 elr;
	u64 spsr;
	u64 esr;
	u64 far;
};

_Static_assert(sizeof(struct cpu_regs) == REGS_SIZE, "vectors.S frame layout");

void el2_exception(struct cpu_regs *regs, unsigned long vec);
void el2_irq(struct cpu_regs *regs);
#endif

#endif
