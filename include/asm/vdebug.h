/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef ASM_VDEBUG_H
#define ASM_VDEBUG_H

/* Guest self-hosted debug (arch/arm64/vdebug.c): breakpoints, watchpoints, software step. */
#include <asm/sysreg_emul.h>
#include <tern/types.h>

struct vcpu;

/* Once, on the boot pCPU: how many breakpoints and watchpoints the CPU has. */
void vdebug_init(void);
unsigned int vdebug_nr_breakpoints(void);
unsigned int vdebug_nr_watchpoints(void);
/* A trapped debug-register access (op0 2): @val written, or the value read; or UNDEFINED. */
struct sysreg_ret vdebug_access(struct vcpu *vcpu, u32 key, bool read, u64 val);
/* Loading @vcpu: its debug registers into the hardware, or the hardware cleared. */
void vdebug_load(struct vcpu *vcpu);

#endif
