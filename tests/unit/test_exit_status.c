// SPDX-License-Identifier: GPL-2.0-only
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>
#include <tern/exit_status.h>
#include "stub_printk.h"

static void test_token_validation(void **state)
{
	char longtok[EXIT_TOKEN_MAX + 2];

	(void)state;
	assert_false(exit_status_set_token(""));
	assert_false(exit_status_set_token("abc def"));
	assert_false(exit_status_set_token("abc\ndef"));
	assert_false(exit_status_set_token("ab-c"));
	memset(longtok, 'a', sizeof(longtok) - 1);
	longtok[sizeof(longtok) - 1] = '\0';
	assert_false(exit_status_set_token(longtok));
	longtok[EXIT_TOKEN_MAX] = '\0';
	assert_true(exit_status_set_token(longtok));
	assert_true(exit_status_set_token("0123abcXYZ"));
}

static void test_report_line(void **state)
{
	(void)state;
	assert_true(exit_status_set_token("feedc0de"));
	stub_printk_reset();
	exit_status_report(1);
	assert_string_equal(stub_printk_log(), "exit: status 1 token feedc0de\n");
}

static void test_redact(void **state)
{
	char buf[128];

	(void)state;
	exit_status_redact(buf, sizeof(buf), "loglevel=7 tern.exit_token=s3cr3t tern.test=bug");
	assert_string_equal(buf, "loglevel=7 tern.exit_token=*** tern.test=bug");
	exit_status_redact(buf, sizeof(buf), "tern.exit_token=s3cr3t");
	assert_string_equal(buf, "tern.exit_token=***");
	/* Only a whole option is a token: a guest-chosen lookalike inside a value stays. */
	exit_status_redact(buf, sizeof(buf), "x=tern.exit_token=abc");
	assert_string_equal(buf, "x=tern.exit_token=abc");
	/* Truncation never shows part of the secret. */
	exit_status_redact(buf, 20, "tern.exit_token=s3cr3t");
	assert_null(strstr(buf, "s3"));
	assert_true(strlen(buf) < 20);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_token_validation),
		cmocka_unit_test(test_report_line),
		cmocka_unit_test(test_redact),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
