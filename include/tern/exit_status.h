/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef TERN_EXIT_STATUS_H
#define TERN_EXIT_STATUS_H

#include <tern/types.h>

/** Longest exit token accepted from "tern.exit_token=" (characters, NUL excluded). */
#define EXIT_TOKEN_MAX 64

/**
 * Keep the launcher's per-boot secret ("tern.exit_token=", [0-9A-Za-z] only). It is never shown
 * before the exit status line and lives only in Tern's memory, which no guest maps. False when the
 * value is empty, too long or has other characters.
 */
bool exit_status_set_token(const char *token);

/**
 * Print the final status line "exit: status N token T" (without " token T" when the launcher gave
 * none), whatever the log level. scripts/run-qemu exits with N when T is the token it passed: a
 * guest, which never sees the token, cannot forge the line.
 */
void exit_status_report(int status);

/** Write @cmdline into @buf (@size bytes, NUL-terminated, truncated) with the token hidden. */
void exit_status_redact(char *buf, size_t size, const char *cmdline);

#endif
