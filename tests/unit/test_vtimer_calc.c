// SPDX-License-Identifier: GPL-2.0-only
/*
 * The timer arithmetic Tern applies to guest-chosen CVAL/TVAL values: the edge values a hostile
 * guest writes (0, 1, now, ~0, 2^63, negative TVALs) against offsets up to ~0, checked against
 * the architecture's definition computed in 128-bit arithmetic, so no deadline wraps into the
 * past and no TVAL loses its sign.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <asm/vtimer_calc.h>

#define BIT63 (1ULL << 63)

static const u64 values[] = {
	0,
	1,
	2,
	0x7fffffffULL,
	0x80000000ULL,
	0xffffffffULL,
	0x100000000ULL,
	BIT63 - 1,
	BIT63,
	BIT63 + 1,
	~0ULL - 0x100000000ULL,
	~0ULL - 1,
	~0ULL,
	0x123456789abcULL,
};

/* The physical time CNTPCT at which CNTPCT - off >= cval first holds, or none below 2^64. */
static void test_virt_to_phys_never_wraps(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		for (size_t j = 0; j < sizeof(values) / sizeof(values[0]); j++) {
			u64 cval = values[i], off = values[j];
			unsigned __int128 exact = (unsigned __int128)cval + off;
			u64 d = vtimer_virt_to_phys(cval, off);

			if (exact >= VTIMER_NO_DEADLINE)
				assert_int_equal(d, VTIMER_NO_DEADLINE);
			else
				assert_int_equal(d, (u64)exact);
			/* Never earlier than the compare value itself: no wrap into the past. */
			assert_true(d >= cval);
		}
	}
}

static void test_tval_is_signed_32bit(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		u64 now = values[i];

		assert_int_equal(vtimer_tval_to_cval(now, 0), now);
		assert_int_equal(vtimer_tval_to_cval(now, 1), now + 1);
		assert_int_equal(vtimer_tval_to_cval(now, 0x7fffffff), now + 0x7fffffff);
		/* Bit 31 is the sign; bits 63:32 of the written value are ignored. */
		assert_int_equal(vtimer_tval_to_cval(now, 0x80000000ULL), now - 0x80000000ULL);
		assert_int_equal(vtimer_tval_to_cval(now, ~0ULL), now - 1);
		assert_int_equal(vtimer_tval_to_cval(now, 0xffffffff00000005ULL), now + 5);
		/* Reading TVAL back gives what was written, sign-extended. */
		assert_int_equal(vtimer_cval_to_tval(vtimer_tval_to_cval(now, 0x80000000ULL), now),
				 0xffffffff80000000ULL);
		assert_int_equal(vtimer_cval_to_tval(vtimer_tval_to_cval(now, 12345), now), 12345);
	}
	/* A CVAL far ahead reads as the low 32 bits of the difference (architectural). */
	assert_int_equal(vtimer_cval_to_tval(~0ULL, 0), ~0ULL);
	assert_int_equal(vtimer_cval_to_tval(BIT63, 0), 0);
}

static void test_line_is_a_level(void **state)
{
	(void)state;
	assert_true(vtimer_line(CNT_CTL_ENABLE, 100, 100));
	assert_true(vtimer_line(CNT_CTL_ENABLE | CNT_CTL_ISTATUS, 0, 0));
	assert_false(vtimer_line(CNT_CTL_ENABLE, 101, 100));		   /* CVAL ahead */
	assert_false(vtimer_line(CNT_CTL_ENABLE | CNT_CTL_IMASK, 0, 100)); /* masked */
	assert_false(vtimer_line(0, 0, 100));				   /* disabled */
	assert_false(vtimer_line(CNT_CTL_ENABLE, ~0ULL, ~0ULL - 1));
	assert_true(vtimer_line(CNT_CTL_ENABLE, ~0ULL, ~0ULL));
	assert_true(vtimer_armed(CNT_CTL_ENABLE | CNT_CTL_ISTATUS));
	assert_false(vtimer_armed(CNT_CTL_ENABLE | CNT_CTL_IMASK));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_virt_to_phys_never_wraps),
		cmocka_unit_test(test_tval_is_signed_32bit),
		cmocka_unit_test(test_line_is_a_level),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
