/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef DRIVERS_ARCH_TIMER_H
#define DRIVERS_ARCH_TIMER_H

#include <tern/platform.h>

int arch_timer_init(const struct platform_timer *t);
/* Take one EL2 timer interrupt on the calling pCPU: proves GIC, timer and vectors work together. */
int arch_timer_selftest(void);
u64 arch_timer_freq(void);
/*
 * The EL2 physical timer as the calling pCPU's one timer event: @fn runs (in interrupt context)
 * when the counter reaches the value last given to arch_timer_event_at().
 */
int arch_timer_event_init_cpu(void (*fn)(void));
void arch_timer_event_at(u64 when);
void arch_timer_event_cancel(void);
u64 arch_timer_now(void);
void arch_timer_udelay(u64 us);

#endif
