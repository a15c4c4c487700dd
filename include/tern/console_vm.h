/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef TERN_CONSOLE_VM_H
#define TERN_CONSOLE_VM_H

#include <tern/kconfig.h>
#include <tern/types.h>

struct vm;

/*
 * A VM's console output on Tern's console (docs/guests.md, docs/security.md).
 *
 * With one VM the guest owns the terminal: its bytes pass unchanged (line editing, colours), and
 * Tern's own lines start on a line of their own.
 *
 * With several VMs the console is a log that no guest can forge: each VM's output is collected
 * into whole lines, and each line is written at once with the VM's tag "[vmN] ". Bytes other than
 * printable ASCII and tab are shown as \xNN (a CR before the LF is dropped) and a backslash as
 * \\, so no guest can move the cursor, erase, or start another line, and the text can be put back
 * exactly. A line longer than CONSOLE_LINE_COLUMNS (tag
 * included) is cut, and so is a partial line (a prompt) that is flushed because the VM went idle
 * or CONSOLE_FLUSH_MS passed: its rest then follows on a new line tagged "[vmN]+ " (+:
 * continues vmN's previous line), unless it still shares the physical line.
 */

/** A partial line older than this is written out when the VM next writes or is descheduled. */
#define CONSOLE_FLUSH_MS 50

/** Per-VM state, embedded in struct vm; written under the VM's UART lock (its only writer). */
struct console_vm {
	/** The pending line: escaped bytes, at most CONFIG_CONSOLE_LINE_COLUMNS of them. */
	char buf[CONFIG_CONSOLE_LINE_COLUMNS];
	unsigned int len;
	/** Terminal columns the pending bytes take (a tab counts as up to 8). */
	unsigned int cols;
	/** Columns already written on the open physical line by an earlier partial flush. */
	unsigned int open_cols;
	/** A CR was received and not yet written: dropped if an LF follows, else shown. */
	bool cr;
	/** Part of the current line was written and the line not ended (printk's side tracks it).
	 */
	bool partial;
	/** Counter value when the oldest pending byte arrived. */
	u64 since;
};

/** Bytes the guest wrote to its console, in order. */
void vm_console_write(struct vm *vm, const char *s, size_t len);
/**
 * The guest's last line ends here (its VM restarts from its images): pending bytes are written
 * and end their line, and the new boot's first line is not shown as a continuation of it.
 */
void vm_console_end_line(struct vm *vm);
/**
 * Write out a pending partial line if the VM is idle (no vCPU running or runnable), stopped, or
 * the line is older than CONSOLE_FLUSH_MS. Called from the UART's flush (a vCPU left the CPU).
 */
void vm_console_flush(struct vm *vm);

#endif
