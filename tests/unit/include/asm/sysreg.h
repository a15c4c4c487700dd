/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Host stand-in: the real header's definitions, except that unmasking interrupts calls the
 * test's unit_irq_window() (where "interrupts are taken": a test fires its fake timer event or
 * wakes a vCPU there), masking them does nothing, and the WFI instruction, which code such as
 * core/sched.c writes as inline assembly, assembles to nothing on the host.
 */
#ifndef UNIT_ASM_SYSREG_H
#define UNIT_ASM_SYSREG_H

#define local_irq_enable  unit_arm64_local_irq_enable
#define local_irq_disable unit_arm64_local_irq_disable
#include_next <asm/sysreg.h>
#undef local_irq_enable
#undef local_irq_disable

#ifndef __ASSEMBLY__
__asm__(".macro wfi\n.endm\n");

/* Defined by a test whose code under test unmasks interrupts (see test_sched.c). */
void unit_irq_window(void);

static inline void local_irq_enable(void)
{
	unit_irq_window();
}

static inline void local_irq_disable(void)
{
}
#endif

#endif
