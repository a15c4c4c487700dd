/* SPDX-License-Identifier: GPL-2.0-only */
/* Host stand-in: unit tests run as "pCPU 0" unless a test points unit_this_pcpu elsewhere. */
#ifndef ASM_PERCPU_H
#define ASM_PERCPU_H

struct pcpu;
extern struct pcpu *unit_this_pcpu;

static inline struct pcpu *this_pcpu(void)
{
	return unit_this_pcpu;
}

#endif
