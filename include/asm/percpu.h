/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef ASM_PERCPU_H
#define ASM_PERCPU_H

struct pcpu;

static inline struct pcpu *this_pcpu(void)
{
	struct pcpu *p;

	__asm__("mrs %0, tpidr_el2" : "=r"(p));
	return p;
}

#endif
