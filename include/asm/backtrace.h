/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef ASM_BACKTRACE_H
#define ASM_BACKTRACE_H

#include <tern/types.h>

/* Print the call chain from frame pointer @fp, starting at @pc, as offsets into tern.elf. */
void arch_backtrace(u64 fp, u64 pc);

#endif
