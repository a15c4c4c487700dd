// SPDX-License-Identifier: GPL-2.0-only
/* kvm-unit-tests style results: PASS/FAIL/SKIP lines and a SUMMARY before SYSTEM_OFF. */
#include "libguest.h"

static unsigned int tests, failures, skipped;
static const char *prefix;

void report_prefix(const char *p)
{
	prefix = p;
}

static void report_line(const char *kind, const char *fmt, va_list ap)
{
	puts(kind);
	puts(": ");
	if (prefix) {
		puts(prefix);
		puts(": ");
	}
	vprintf(fmt, ap);
	puts("\n");
}

void report(bool ok, const char *fmt, ...)
{
	va_list ap;

	tests++;
	if (!ok)
		failures++;
	va_start(ap, fmt);
	report_line(ok ? "PASS" : "FAIL", fmt, ap);
	va_end(ap);
}

void report_skip(const char *fmt, ...)
{
	va_list ap;

	tests++;
	skipped++;
	va_start(ap, fmt);
	report_line("SKIP", fmt, ap);
	va_end(ap);
}

void report_info(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report_line("INFO", fmt, ap);
	va_end(ap);
}

void report_print_summary(void)
{
	printf("SUMMARY: %u tests, %u failures", tests, failures);
	if (skipped)
		printf(", %u skipped", skipped);
	puts("\n");
}

void report_summary(void)
{
	report_print_summary();
	psci_system_off();
}

void report_counts(unsigned int *n, unsigned int *failed)
{
	*n = tests;
	*failed = failures;
}

void report_add_counts(unsigned int n, unsigned int failed)
{
	tests += n;
	failures += failed;
}

void report_abort(const char *fmt, ...)
{
	va_list ap;

	tests++;
	failures++;
	va_start(ap, fmt);
	report_line("FAIL", fmt, ap);
	va_end(ap);
	report_summary();
}
