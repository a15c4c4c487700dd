// SPDX-License-Identifier: GPL-2.0-only
/* Packed name tables (core/strtab.c): every name by index and by code, and nothing past the end. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <tern/strtab.h>

static const char names[] = "zero\0one\0\0three\0";

static void test_nth(void **state)
{
	assert_string_equal(strtab_nth(names, sizeof(names), 0), "zero");
	assert_string_equal(strtab_nth(names, sizeof(names), 1), "one");
	/* An empty name is a name. */
	assert_string_equal(strtab_nth(names, sizeof(names), 2), "");
	assert_string_equal(strtab_nth(names, sizeof(names), 3), "three");
	assert_null(strtab_nth(names, sizeof(names), 4));
	assert_null(strtab_nth(names, sizeof(names), 1000));
	assert_null(strtab_nth(names, sizeof(names), SIZE_MAX));
}

static void test_one_name(void **state)
{
	static const char one[] = "only\0";

	assert_string_equal(strtab_nth(one, sizeof(one), 0), "only");
	assert_null(strtab_nth(one, sizeof(one), 1));
}

static void test_find(void **state)
{
	static const u8 codes[] = { 0x15, 0x00, 0x3c, 0x24 };

	assert_string_equal(strtab_find(names, sizeof(names), codes, 4, 0x15), "zero");
	assert_string_equal(strtab_find(names, sizeof(names), codes, 4, 0x00), "one");
	assert_string_equal(strtab_find(names, sizeof(names), codes, 4, 0x3c), "");
	assert_string_equal(strtab_find(names, sizeof(names), codes, 4, 0x24), "three");
	assert_null(strtab_find(names, sizeof(names), codes, 4, 0x16));
	/* A code that only matches in its low byte is not a match. */
	assert_null(strtab_find(names, sizeof(names), codes, 4, 0x115));
	assert_null(strtab_find(names, sizeof(names), codes, 0, 0x15));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nth),
		cmocka_unit_test(test_one_name),
		cmocka_unit_test(test_find),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
