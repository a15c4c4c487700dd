/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef TERN_PRINTK_H
#define TERN_PRINTK_H

#include <stdarg.h>
#include <tern/compiler.h>
#include <tern/types.h>

enum log_level {
	/*
	 * Printed whatever the level, without a level tag: Tern's exit status line and the
	 * hypervisor console's replies.
	 */
	LOG_STATUS = 0,
	LOG_ERR = 3,
	LOG_WARN = 4,
	LOG_INFO = 6,
	LOG_DEBUG = 7,
};

/**
 * Print one message at a level. Lines are prefixed with the pCPU ("[c0] ") and, below LOG_INFO,
 * the level name, so a log from several pCPUs stays readable.
 */
void printk(enum log_level level, const char *fmt, ...) __printf(2, 3);
/**
 * printk() of @prefix (if not NULL) followed by @fmt, as one message: for the wrapper of a module
 * whose every message starts the same ("platform: "), so that the prefix is stored once, not in
 * each format.
 */
void vprintk_prefixed(enum log_level level, const char *prefix, const char *fmt, va_list ap);
#define vprintk(level, fmt, ap) vprintk_prefixed(level, NULL, fmt, ap)
/**
 * Whether this pCPU's last message left its line open and nothing else was written since: a
 * message without a newline now continues it on the same line.
 */
bool printk_line_open(void);
/** Messages above this level are dropped; set from the "loglevel=" boot option. */
void printk_set_level(enum log_level level);
enum log_level printk_get_level(void);

#define pr_err(...)   printk(LOG_ERR, __VA_ARGS__)
#define pr_warn(...)  printk(LOG_WARN, __VA_ARGS__)
#define pr_info(...)  printk(LOG_INFO, __VA_ARGS__)
#define pr_debug(...) printk(LOG_DEBUG, __VA_ARGS__)

#endif
