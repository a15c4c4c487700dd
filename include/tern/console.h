/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef TERN_CONSOLE_H
#define TERN_CONSOLE_H

#include <tern/types.h>

/**
 * Where printk's output goes: the early console (a UART at a board-given address) until the real
 * one found through the DT replaces it. Embed it in the driver's state and use container_of().
 */
struct console {
	/**
	 * Write len bytes (no NUL). Called with printk's lock held once locking is on, so it must
	 * not call printk itself (such messages are dropped). "\n" is passed as is: a UART driver
	 * that needs "\r\n" converts it.
	 */
	void (*write)(struct console *con, const char *s, size_t len);
};

/** Make con the console printk writes to, replacing the previous one (NULL: drop output). */
void console_register(struct console *con);
/**
 * Write text that is not a log message (a VM's console output) as is: no prefix, under printk's
 * lock so it never lands inside a log line.
 */
void console_write_raw(const char *s, size_t len);
/**
 * Write one piece of VM @vm's line (already made safe by core/console_vm.c) under printk's lock.
 * Unless @continued and VM @vm's line is the console's open one, whatever line is open is ended
 * and the piece starts a new line tagged "[vmN] " ("[vmN]+ " when @continued). @end ends the
 * line. Returns true when the piece started a new line.
 */
bool console_emit_vm(unsigned int vm, bool continued, const char *s, size_t len, bool end);
/** The console printk currently writes to, or NULL. */
struct console *console_get(void);

/**
 * Printk's spinlock is only usable once the MMU is on: until the boot pCPU calls this (after
 * enabling its MMU, before starting secondaries), printk runs without it.
 */
void printk_enable_locking(void);
/**
 * For the panic path: from now on printk ignores its lock, so a pCPU that panics while holding it
 * (or while another pCPU holds it) still prints. Only call it once the other pCPUs are stopping.
 */
void printk_force_unlock(void);

#endif
