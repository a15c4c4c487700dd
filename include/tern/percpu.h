/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef TERN_PERCPU_H
#define TERN_PERCPU_H

#include <tern/types.h>

/** Per-physical-CPU data. TPIDR_EL2 points at the running pCPU's entry from its first instruction.
 */
struct pcpu {
	/** Logical pCPU number, 0 = boot pCPU. */
	unsigned int id;
	/** MPIDR_EL1 affinity bits of this pCPU as discovered. */
	u64 mpidr;
	/** True once the pCPU runs C code with its MMU on. */
	bool online;
	/** Top of this pCPU's EL2 stack (grows down, a guard page below). */
	vaddr_t stack_top;
};

#include <asm/percpu.h>

static inline unsigned int this_cpu_id(void)
{
	return this_pcpu()->id;
}

#endif
