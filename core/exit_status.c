// SPDX-License-Identifier: GPL-2.0-only
/* Tern's exit status line and the token that makes it unforgeable (docs/security.md). */
#include <string.h>
#include <tern/exit_status.h>
#include <tern/printk.h>

#define EXIT_TOKEN_OPT "tern.exit_token="

static char exit_token[EXIT_TOKEN_MAX + 1];

static bool exit_token_char_ok(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool exit_status_set_token(const char *token)
{
	size_t len = strlen(token);

	if (!len || len > EXIT_TOKEN_MAX)
		return false;
	for (size_t i = 0; i < len; i++) {
		if (!exit_token_char_ok(token[i]))
			return false;
	}
	memcpy(exit_token, token, len + 1);
	return true;
}

void exit_status_report(int status)
{
	if (exit_token[0])
		printk(LOG_STATUS, "exit: status %d token %s\n", status, exit_token);
	else
		printk(LOG_STATUS, "exit: status %d\n", status);
}

void exit_status_redact(char *buf, size_t size, const char *cmdline)
{
	size_t n = 0;

	if (!size)
		return;
	while (*cmdline && n + 1 < size) {
		bool at_opt = (n == 0 || buf[n - 1] == ' ' || buf[n - 1] == '\t') &&
			      !strncmp(cmdline, EXIT_TOKEN_OPT, sizeof(EXIT_TOKEN_OPT) - 1);

		if (!at_opt) {
			buf[n++] = *cmdline++;
			continue;
		}
		for (size_t i = 0; i < sizeof(EXIT_TOKEN_OPT) - 1 && n + 1 < size; i++)
			buf[n++] = EXIT_TOKEN_OPT[i];
		for (size_t i = 0; i < 3 && n + 1 < size; i++)
			buf[n++] = '*';
		cmdline += sizeof(EXIT_TOKEN_OPT) - 1;
		while (*cmdline && *cmdline != ' ' && *cmdline != '\t')
			cmdline++;
	}
	buf[n] = '\0';
}
