# SPDX-License-Identifier: GPL-2.0-only
# Generic-timer arithmetic on guest-controlled compare values (include/asm/vtimer_calc.h).
UNIT_TESTS += vtimer_calc
vtimer_calc-srcs := tests/unit/test_vtimer_calc.c include/asm/vtimer_calc.h
