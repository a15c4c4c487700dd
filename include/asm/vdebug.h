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
/*
 * The trapped debug registers' handlers (sysreg_emul.c's rows): MDSCR_EL1, OSLAR_EL1, OSLSR_EL1,
 * OSDLR_EL1, DBGCLAIMSET/CLR_EL1, and the breakpoint and watchpoint bank (any CRm, op2 4-7).
 */
SYSREG_HANDLER(vdebug_mdscr);
SYSREG_HANDLER(vdebug_oslar);
SYSREG_HANDLER(vdebug_oslsr);
SYSREG_HANDLER(vdebug_osdlr);
SYSREG_HANDLER(vdebug_claimset);
SYSREG_HANDLER(vdebug_claimclr);
SYSREG_HANDLER(vdebug_bank);
/* Loading @vcpu: its debug registers into the hardware, or the hardware cleared. */
void vdebug_load(struct vcpu *vcpu);

#endif
