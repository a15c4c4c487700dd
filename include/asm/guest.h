/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef ASM_GUEST_H
#define ASM_GUEST_H

/* What brought a guest back to EL2 (the lower-EL vector taken). */
#define GUEST_EXIT_SYNC	  0
#define GUEST_EXIT_IRQ	  1
#define GUEST_EXIT_FIQ	  2
#define GUEST_EXIT_SERROR 3
/*
 * What vcpu_exit_fast() tells the sync vector: a synchronous exit it handled whose result the run
 * loop must see (vcpu_arch.exit_result), or enter the guest again at once.
 */
#define GUEST_EXIT_HANDLED 4
#define GUEST_EXIT_RESUME  5
/*
 * For the sync vector's trapped-register path (exit.c checks them): vcpu->entry_work from the
 * vCPU's struct vcpu_gpregs (vcpu->arch.regs), and SYSREG_DONE of enum sysreg_result.
 */
#define GPREGS_OFF_ENTRY_WORK (-16)
#define GUEST_SYSREG_DONE     1

#ifndef __ASSEMBLY__
#include <asm/sysreg_emul.h>
#include <tern/types.h>

struct vcpu;
struct vcpu_gpregs;

u64 __guest_enter(struct vcpu_gpregs *regs);
/*
 * Called by the sync exit vector with only x0-x18, x29, x30, PC and PSTATE saved in @regs (the
 * guest's x19-x28 are live in the registers): handles the exit unless it needs those, and says
 * what to do next (GUEST_EXIT_RESUME, GUEST_EXIT_HANDLED, or GUEST_EXIT_SYNC: not handled).
 */
u64 vcpu_exit_fast(struct vcpu_gpregs *regs);
/*
 * The same for an MMIO write the syndrome describes, with the value of the register it names in
 * @val: the vector stores none of x19-x28 for it, whichever it names.
 */
u64 vcpu_exit_mmio_write(struct vcpu_gpregs *regs, u64 val);
/*
 * The sync vector's path for a trapped MSR/MRS (other than the ID reads it answers itself) while
 * vcpu->entry_work is zero, with the same registers saved: vcpu_exit_sysreg() counts the exit
 * and answers as the register's handler does (struct sysreg_ret); on SYSREG_DONE the vector
 * writes a read's value, steps over the instruction and, still without entry work, enters the
 * guest again. Otherwise it calls vcpu_exit_sysreg_finish() with the result, which answers as
 * vcpu_exit_fast() does.
 */
struct sysreg_ret vcpu_exit_sysreg(struct vcpu_gpregs *regs);
u64 vcpu_exit_sysreg_finish(struct vcpu_gpregs *regs, u64 res);

/* Arch side of vCPUs (vcpu_context.c): reset state, and switching a vCPU on/off this pCPU. */
/* Once, on the boot pCPU before any VM: what the CPU implements of the state guests use. */
void vcpu_arch_init(void);
void vcpu_arch_reset(struct vcpu *vcpu, u64 entry, u64 x0);
void vcpu_arch_load(struct vcpu *vcpu);
void vcpu_arch_put(struct vcpu *vcpu);
void vcpu_arch_fp_trap(struct vcpu *vcpu);
/*
 * A PAC instruction or key-register access trapped (HCR_EL2.API/APK clear): the vCPU's first use
 * of pointer authentication, whose keys are loaded now and switched with it from then on; retry
 * the instruction. False if it was not that.
 */
bool vcpu_arch_pac_trap(struct vcpu *vcpu);
/* The loaded vCPU's pending virtual SError as the hardware has it (taken ones are cleared). */
void vcpu_arch_serror_sync(struct vcpu *vcpu);
/* Why the loaded vCPU came back to the scheduler. */
enum vcpu_run_result {
	VCPU_RUN_CONTINUE, /* handled: enter the guest again */
	VCPU_RUN_YIELD,	   /* WFE or a state change: let the scheduler decide */
	VCPU_RUN_WAIT,	   /* WFI or PSCI CPU_SUSPEND: sleep until a wake-up event */
};
/*
 * Run the loaded vCPU (exit.c). A synchronous exit its handler dealt with (an HVC, a trapped
 * system register, MMIO to a device in Tern) enters the guest again right there, without going
 * back to the scheduler's loop, as long as sched_may_enter() allows it. Returns at the first
 * exit the scheduler must see: a physical interrupt (VCPU_RUN_CONTINUE: it may have asked for a
 * reschedule or queued output), a WFI/WFE or PSCI state change, or a request that stops the
 * re-entry (sched_may_enter() false).
 */
enum vcpu_run_result vcpu_arch_run(struct vcpu *vcpu);

/* Exception injection into the loaded vCPU (inject.c). */
void inject_init(void);
void inject_undef(struct vcpu *vcpu);
void inject_dabt(struct vcpu *vcpu, u64 far);
void inject_iabt(struct vcpu *vcpu, u64 far);
void inject_serror(struct vcpu *vcpu);
/* Step over the trapped instruction. */
void vcpu_skip_insn(struct vcpu *vcpu);
#endif

#endif
