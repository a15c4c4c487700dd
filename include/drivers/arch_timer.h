/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef DRIVERS_ARCH_TIMER_H
#define DRIVERS_ARCH_TIMER_H

#include <tern/platform.h>

int arch_timer_init(const struct platform_timer *t);
/* Take one EL2 timer interrupt on the calling pCPU: proves GIC, timer and vectors work together. */
int arch_timer_selftest(void);
u64 arch_timer_freq(void);
/* The EL2 timer as the scheduler's time slice on the calling pCPU: it sets need_resched. */
int arch_timer_slice_init_cpu(void);
void arch_timer_slice_arm(u64 us);
void arch_timer_slice_cancel(void);
/* Fire the EL2 timer at counter value @when (same interrupt as the time slice). */
void arch_timer_set_deadline(u64 when);
u64 arch_timer_now(void);
void arch_timer_udelay(u64 us);

#endif
