/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef ASM_PROCESSOR_H
#define ASM_PROCESSOR_H

/* Waiters sleep in WFE; an unlock's SEV (or the exclusive monitor clearing) wakes them. */
static inline void cpu_relax(void)
{
	__asm__ __volatile__("wfe" ::: "memory");
}

static inline void cpu_kick(void)
{
	__asm__ __volatile__("dsb ishst\n\tsev" ::: "memory");
}

/* Sleep until an interrupt is pending, even a masked one (the caller unmasks afterwards). */
static inline void cpu_wait_for_interrupt(void)
{
	__asm__ __volatile__("dsb sy\n\twfi" ::: "memory");
}

static inline __attribute__((noreturn)) void cpu_halt(void)
{
	for (;;)
		__asm__ __volatile__("wfi" ::: "memory");
}

#endif
