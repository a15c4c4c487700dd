/* SPDX-License-Identifier: GPL-2.0-only */
/* Host stand-in for the arm64 header, so core sources build unchanged for unit tests. */
#ifndef ASM_PROCESSOR_H
#define ASM_PROCESSOR_H

static inline void cpu_relax(void)
{
}

static inline void cpu_kick(void)
{
}

static inline void cpu_wait_for_interrupt(void)
{
}

static inline __attribute__((noreturn)) void cpu_halt(void)
{
	__builtin_trap();
}

#endif
