/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef ASM_VCPU_ARCH_H
#define ASM_VCPU_ARCH_H

/* Offsets used by guest_entry.S; arch/arm64/vcpu_context.c checks them. */
#define GPREGS_OFF_PC	  (31 * 8)
#define GPREGS_OFF_PSTATE (32 * 8)
/* From the same base (vcpu->arch.regs): the exit's syndrome (vcpu_arch.esr, right after). */
#define GPREGS_OFF_ESR (33 * 8)

#ifndef __ASSEMBLY__
#include <asm/inject_loop.h>
#include <asm/sysreg.h>
#include <asm/sysreg_table.h>
#include <tern/types.h>

/* What guest_entry.S saves and restores on every exit: the general registers, PC and PSTATE. */
struct vcpu_gpregs {
	u64 x[31];
	u64 pc;	    /* ELR_EL2 */
	u64 pstate; /* SPSR_EL2 */
};

/*
 * EL1 state that stays in the hardware while the vCPU is loaded on a pCPU and is switched in
 * C by vcpu_arch_load()/vcpu_arch_put() (Xen's ctxt_switch_to/from is the model): one field per
 * SWITCH row of sysreg_table.h, named like the row, plus the virtual timer's control.
 */
#define VCPU_SYSREG_FIELD(name, o0, o1, cn, cm, o2, pol, feat, hw, why)                            \
	SR_ONLY_SWITCH(pol, u64 name;)
struct vcpu_sysregs {
	SYSREG_TABLE(VCPU_SYSREG_FIELD)
	u64 cntv_ctl_el0;
};

/* FP/SIMD registers, owned by each vCPU (the original shared them between VMs). */
struct vcpu_fpregs {
	__uint128_t v[32];
	u64 fpsr;
	u64 fpcr;
};

#define VCPU_NR_DBG 16

/*
 * Debug and OS-lock registers: trapped (MDCR_EL2), kept per vCPU and loaded into the hardware
 * while the vCPU runs with a debug event enabled (vdebug.c).
 */
struct vcpu_debug {
	u64 mdscr;
	u64 oslsr;
	u64 dbgclaim;
	u64 dbgbcr[VCPU_NR_DBG], dbgbvr[VCPU_NR_DBG];
	u64 dbgwcr[VCPU_NR_DBG], dbgwvr[VCPU_NR_DBG];
	/* A breakpoint, watchpoint or MDSCR_EL1 debug enable is set: load them when loaded. */
	bool active;
};

/* The vCPU's PMU (vpmu.c): saved here while it is not loaded, once it used the PMU. */
struct vcpu_pmu {
	u64 pmcr, cntenset, intenset, ovsset, userenr, selr, ccntr, ccfiltr;
	u64 evcntr[31], evtyper[31];
	/* It has accessed the PMU: no traps, switched with it. */
	bool used;
	/* The host PMU interrupt's active state, kept with the vCPU's linked virtual one. */
	bool hw_active;
};

struct vcpu_arch {
	struct vcpu_gpregs regs; /* first: guest_entry.S gets its address */
	/* Syndrome of the last exit (next to regs: guest_entry.S reads it, GPREGS_OFF_ESR). */
	u64 esr;
	struct vcpu_sysregs sys;
	struct vcpu_fpregs fp __attribute__((aligned(16)));
	struct vcpu_debug dbg;
	struct vcpu_pmu pmu;
	u64 hcr;
	u64 mdcr;
	u64 vmpidr;
	u64 vpidr;
	/* The FP/SIMD registers are live in the hardware (the vCPU used them since its load). */
	bool fp_loaded;
	/* It has used pointer authentication: PAC runs untrapped, its keys switched with it. */
	bool pac_used;
	/* The emulated EL1 physical timer (CNTP_*, trapped). */
	u64 cntp_ctl;
	u64 cntp_cval;
	bool cntp_level;
	/* The exceptions Tern injected lately, to recognise a guest stuck in a loop. */
	struct inject_history inject;
	/* What vcpu_exit_fast() decided when it returned GUEST_EXIT_HANDLED (a vcpu_run_result). */
	unsigned int exit_result;
	/* Fault addresses of the last exit, when it was an abort. */
	u64 far;
	u64 hpfar;
};

/*
 * Step over the trapped instruction (ESR.IL: 32 bits, else a 16-bit T32 one). It completed: a
 * guest single-stepping it takes its step exception before the next instruction (PSTATE.SS
 * clear: the step is active-pending). Inline for the exits that emulate an instruction.
 */
static inline void vcpu_arch_skip_insn(struct vcpu_arch *a)
{
	a->regs.pc += (a->esr & ESR_ELx_IL) ? 4 : 2;
	a->regs.pstate &= ~SPSR_SS;
}

#endif

#endif
