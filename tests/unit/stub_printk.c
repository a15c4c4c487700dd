// SPDX-License-Identifier: GPL-2.0-only
/* Records every message in one buffer (and echoes it when UNIT_VERBOSE is set) for assertions. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tern/printk.h>
#include "stub_printk.h"

static char stub_log[64 * 1024];
static size_t stub_len;
static enum log_level stub_level = LOG_DEBUG;

void stub_printk_reset(void)
{
	stub_len = 0;
	stub_log[0] = '\0';
}

const char *stub_printk_log(void)
{
	return stub_log;
}

bool stub_printk_contains(const char *needle)
{
	return strstr(stub_log, needle) != NULL;
}

void vprintk_prefixed(enum log_level level, const char *prefix, const char *fmt, va_list ap)
{
	size_t start = stub_len;
	int n;

	if (level > stub_level)
		return;
	if (prefix) {
		snprintf(stub_log + stub_len, sizeof(stub_log) - stub_len, "%s", prefix);
		stub_len = strlen(stub_log);
	}
	n = vsnprintf(stub_log + stub_len, sizeof(stub_log) - stub_len, fmt, ap);
	if (n > 0)
		stub_len = strlen(stub_log);
	if (getenv("UNIT_VERBOSE"))
		fputs(stub_log + start, stderr);
}

void printk(enum log_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintk(level, fmt, ap);
	va_end(ap);
}

void printk_set_level(enum log_level level)
{
	stub_level = level;
}

enum log_level printk_get_level(void)
{
	return stub_level;
}
