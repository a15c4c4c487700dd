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

#define BUG() panic("BUG at %s:%d", __FILE__, __LINE__)
#define BUG_ON(cond)                                                                               \
	do {                                                                                       \
		if (unlikely(cond))                                                                \
			panic("BUG: %s at %s:%d", #cond, __FILE__, __LINE__);                      \
	} while (0)
#define ASSERT(cond)                                                                               \
	do {                                                                                       \
		if (unlikely(!(cond)))                                                             \
			panic("assertion failed: %s at %s:%d", #cond, __FILE__, __LINE__);         \
	} while (0)

#endif
