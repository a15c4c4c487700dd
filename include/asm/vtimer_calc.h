/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef ASM_VTIMER_CALC_H
#define ASM_VTIMER_CALC_H

/*
 * Generic-timer arithmetic on guest-controlled values, free of system registers so the host
 * unit tests check it (tests/unit/test_vtimer_calc.c). Every compare value is the guest's to
 * choose (0, ~0, 2^63 ...): nothing here may wrap into a near deadline.
 */
#include <tern/types.h>

#define VTIMER_NO_DEADLINE (~0ULL)

#define CNT_CTL_ENABLE	(1UL << 0)
#define CNT_CTL_IMASK	(1UL << 1)
#define CNT_CTL_ISTATUS (1UL << 2)

/*
 * The physical-counter time at which a virtual timer with compare value @cval fires, for the
 * offset @cntvoff: CNTVCT = CNTPCT - CNTVOFF reaches CVAL when CNTPCT = CVAL + CNTVOFF. Past
 * 2^64 that never happens: no deadline, rather than a wrapped one in the past.
 */
static inline u64 vtimer_virt_to_phys(u64 cval, u64 cntvoff)
{
	return cval > VTIMER_NO_DEADLINE - cntvoff ? VTIMER_NO_DEADLINE : cval + cntvoff;
}

/*
 * A TVAL write: CVAL = counter + SignExtend(TVAL[31:0]), modulo 2^64 as the architecture says
 * (a negative TVAL near counter 0 gives a CVAL far in the future, as on hardware).
 */
static inline u64 vtimer_tval_to_cval(u64 now, u64 tval)
{
	return now + (u64)(s64)(s32)(u32)tval;
}

/* A TVAL read: (CVAL - counter)[31:0], sign-extended. */
static inline u64 vtimer_cval_to_tval(u64 cval, u64 now)
{
	return (u64)(s64)(s32)(u32)(cval - now);
}

/* The condition CNT*_CTL.ISTATUS reports: the counter reached the compare value. */
static inline bool vtimer_condition(u64 cval, u64 now)
{
	return now >= cval;
}

/* The timer's interrupt line: enabled, not masked, condition met (a level, not an edge). */
static inline bool vtimer_line(u64 ctl, u64 cval, u64 now)
{
	return (ctl & (CNT_CTL_ENABLE | CNT_CTL_IMASK)) == CNT_CTL_ENABLE &&
	       vtimer_condition(cval, now);
}

/* Enabled and not masked: it will raise its line when the condition is met. */
static inline bool vtimer_armed(u64 ctl)
{
	return (ctl & (CNT_CTL_ENABLE | CNT_CTL_IMASK)) == CNT_CTL_ENABLE;
}

#endif
