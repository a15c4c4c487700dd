/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef TERN_PANIC_H
#define TERN_PANIC_H

#include <tern/compiler.h>

/** Report a fatal error in Tern itself with a backtrace, then halt the machine. */
void panic(const char *fmt, ...) __noreturn __printf(1, 2);

/** Halt the whole machine: power off on success; on failure exit QEMU non-zero if configured. */
void system_halt(bool failure) __noreturn;

/** Start of a fatal report; false when a panic is already in progress (then just halt). */
bool panic_begin(void);

/*
 * BUG()s report the message, then trap (BRK): the exception dump then shows the registers at
 * the very place the bug was found, which panic() from C cannot.
 */
void bug_report(const char *fmt, ...) __printf(1, 2);

#define BUG_REPORT(...)                                                                            \
	do {                                                                                       \
		bug_report(__VA_ARGS__);                                                           \
		__builtin_trap();                                                                  \
	} while (0)
#define BUG() BUG_REPORT("BUG at %s:%d", __FILE__, __LINE__)
#define BUG_ON(cond)                                                                               \
	do {                                                                                       \
		if (unlikely(cond))                                                                \
			BUG_REPORT("BUG: %s at %s:%d", #cond, __FILE__, __LINE__);                 \
	} while (0)
#define ASSERT(cond)                                                                               \
	do {                                                                                       \
		if (unlikely(!(cond)))                                                             \
			BUG_REPORT("assertion failed: %s at %s:%d", #cond, __FILE__, __LINE__);    \
	} while (0)

#endif
