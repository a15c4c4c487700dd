/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Entering a guest and coming back. __guest_enter() saves Tern's callee-saved registers on
 * the pCPU stack, loads the vCPU's general registers, PC and PSTATE, and erets. An exception
 * from the guest arrives at a lower-EL vector with SP_EL2 still pointing at that frame: the
 * vector saves the guest's registers into pcpu->guest_regs, and __guest_exit returns from
 * __guest_enter() with the kind of exit. EL1 system registers stay in the hardware while the
 * vCPU is loaded; C switches them (vcpu_context.c).
 *
 * A synchronous exit of the four kinds vcpu_exit_fast() handles (HVC, SMC, a trapped MSR/MRS,
 * a data abort the syndrome describes: ISV = 1; every other one takes the full exit at once)
 * first saves only what C may clobber (x0-x18, x30, ELR, SPSR; x29 too, so
 * that the frame chain runs into Tern's run loop) and calls vcpu_exit_fast() on the frame
 * __guest_enter left (KVM's fixup_guest_exit is the model). The guest's x19-x28 stay live in
 * the registers across that call (C preserves them), so an exit it handles goes back to the
 * guest without spilling or reloading them. When the syndrome names one of them (a trapped
 * MRS/MSR, an MMIO access with ISV = 1), they are saved before the call and loaded after it,
 * so that C reads and writes that register in the vCPU's registers as any other (an MMIO write
 * hands its register's value to C in x1 instead, .Ldabt_write). When C asks
 * for the full exit, they are saved then (still the guest's) and __guest_enter returns to the
 * run loop.
 */
#include <asm/asm_macros.h>
#include <asm/sysreg.h>
#include <asm/vcpu_arch.h>
#include <asm/guest.h>
#include <tern/guest_hooks.h>
#include <tern/percpu.h>

/* The guest's x2-x17 from the vcpu_gpregs at \base (both ways into the guest load them). */
.macro load_guest_x2_x17 base
	ldp	x2, x3, [\base, #16 * 1]
	ldp	x4, x5, [\base, #16 * 2]
	ldp	x6, x7, [\base, #16 * 3]
	ldp	x8, x9, [\base, #16 * 4]
	ldp	x10, x11, [\base, #16 * 5]
	ldp	x12, x13, [\base, #16 * 6]
	ldp	x14, x15, [\base, #16 * 7]
	ldp	x16, x17, [\base, #16 * 8]
.endm

	.text
/* u64 __guest_enter(struct vcpu_gpregs *regs) */
	.globl	__guest_enter
__guest_enter:
	stp	x29, x30, [sp, #-96]!
	stp	x19, x20, [sp, #16]
	stp	x21, x22, [sp, #32]
	stp	x23, x24, [sp, #48]
	stp	x25, x26, [sp, #64]
	stp	x27, x28, [sp, #80]

	mrs	x1, tpidr_el2
	str	x0, [x1, #PCPU_OFF_GUEST_REGS]

	ldp	x1, x2, [x0, #GPREGS_OFF_PC]
	msr	elr_el2, x1
	msr	spsr_el2, x2
	load_guest_x2_x17 x0
	ldp	x18, x19, [x0, #16 * 9]
	ldp	x20, x21, [x0, #16 * 10]
	ldp	x22, x23, [x0, #16 * 11]
	ldp	x24, x25, [x0, #16 * 12]
	ldp	x26, x27, [x0, #16 * 13]
	ldp	x28, x29, [x0, #16 * 14]
	ldr	x30, [x0, #16 * 15]
	ldp	x0, x1, [x0]
	eret
	/* No speculation past the eret. */
	dsb	nsh
	isb

/* The guest's x4-x17 into the vcpu_gpregs at \base (both ways out of the guest store them). */
.macro store_guest_x4_x17 base
	stp	x4, x5, [\base, #16 * 2]
	stp	x6, x7, [\base, #16 * 3]
	stp	x8, x9, [\base, #16 * 4]
	stp	x10, x11, [\base, #16 * 5]
	stp	x12, x13, [\base, #16 * 6]
	stp	x14, x15, [\base, #16 * 7]
	stp	x16, x17, [\base, #16 * 8]
.endm

/* Called from a guest vector with the guest's x0 and x1 pushed on the stack and x0 = exit kind. */
.macro guest_exit kind
	stp	x0, x1, [sp, #-16]!
	mrs	x0, tpidr_el2
	ldr	x0, [x0, #PCPU_OFF_GUEST_REGS]
	stp	x2, x3, [x0, #16 * 1]
	store_guest_x4_x17 x0
	stp	x18, x19, [x0, #16 * 9]
	stp	x20, x21, [x0, #16 * 10]
	stp	x22, x23, [x0, #16 * 11]
	stp	x24, x25, [x0, #16 * 12]
	stp	x26, x27, [x0, #16 * 13]
	stp	x28, x29, [x0, #16 * 14]
	str	x30, [x0, #16 * 15]
	ldp	x2, x3, [sp], #16
	stp	x2, x3, [x0]
	mrs	x1, elr_el2
	mrs	x2, spsr_el2
	stp	x1, x2, [x0, #GPREGS_OFF_PC]
	mov	x0, #\kind
	b	__guest_exit
.endm

/*
 * Fast paths, taken before the guest's registers are saved (only x0-x3, on the stack):
 * - an HVC whose SMCCC owner (W0[29:24]) has no service in Tern (only the Arm architecture, 0,
 *   and standard services, 4, have, and with DEBUG_GUEST_HOOKS the vendor hypervisor service,
 *   6) is answered NOT_SUPPORTED: the SMCCC probes guests make;
 * - an MRS of an AArch64 ID register (op0 3, op1 0, CRn 0, CRm 4-7) reads the loaded VM's
 *   sanitised value from pcpu->id_fast, the table sysreg_id_fill() made from the same rules as
 *   the C path, so both answer alike.
 * Both are counted per pCPU and added to the vCPU's exit counters when it is switched out.
 */
/*
 * What C may clobber, into pcpu->guest_regs (x0 on return), with the guest's x0-x3 on the
 * stack (popped here). Uses x1 and x2; x3 is left alone.
 */
.macro fast_save
	mrs	x0, tpidr_el2
	ldr	x0, [x0, #PCPU_OFF_GUEST_REGS]
	ldp	x1, x2, [sp], #16		/* the guest's x0, x1 */
	stp	x1, x2, [x0]
	ldp	x1, x2, [sp], #16		/* x2, x3 */
	stp	x1, x2, [x0, #16 * 1]
	store_guest_x4_x17 x0
	str	x18, [x0, #16 * 9]
	stp	x28, x29, [x0, #16 * 14]
	str	x30, [x0, #16 * 15]
	mrs	x1, elr_el2
	mrs	x2, spsr_el2
	stp	x1, x2, [x0, #GPREGS_OFF_PC]
.endm

/* The guest's x19-x28 into or from the vcpu_gpregs at \base. */
.macro store_guest_x19_x28 base
	stp	x19, x20, [\base, #16 * 9 + 8]
	stp	x21, x22, [\base, #16 * 10 + 8]
	stp	x23, x24, [\base, #16 * 11 + 8]
	stp	x25, x26, [\base, #16 * 12 + 8]
	stp	x27, x28, [\base, #16 * 13 + 8]
.endm
.macro load_guest_x19_x28 base
	ldp	x19, x20, [\base, #16 * 9 + 8]
	ldp	x21, x22, [\base, #16 * 10 + 8]
	ldp	x23, x24, [\base, #16 * 11 + 8]
	ldp	x25, x26, [\base, #16 * 12 + 8]
	ldp	x27, x28, [\base, #16 * 13 + 8]
.endm

/*
 * After vcpu_exit_sysreg() (x0, x1: its struct sysreg_ret; x2: the vcpu_gpregs): a SYSREG_DONE
 * access completed as exit_sysreg() does, ELR/SPSR loaded, when the vCPU still has no entry work;
 * else to \finish with x1 = the result (the PC and PSTATE stored for C). Uses x3-x5.
 */
.macro sysreg_complete finish
	cmp	x1, #GUEST_SYSREG_DONE
	b.ne	\finish
	ldr	x3, [x2, #GPREGS_OFF_ESR]
	tbz	x3, #0, 1f			/* MSR: nothing to write back */
	ubfx	x3, x3, #5, #5			/* Rt */
	cmp	x3, #31				/* XZR */
	b.eq	1f
	str	x0, [x2, x3, lsl #3]
1:	ldp	x3, x4, [x2, #GPREGS_OFF_PC]
	add	x3, x3, #4			/* EC 0x18 is an A64 instruction: 4 bytes */
	bic	x4, x4, #(1 << SPSR_SS_SHIFT)	/* the step completed (vcpu_arch_skip_insn()) */
	ldr	w5, [x2, #GPREGS_OFF_ENTRY_WORK]
	cbnz	w5, 2f
	msr	elr_el2, x3
	msr	spsr_el2, x4
	b	3f
2:	stp	x3, x4, [x2, #GPREGS_OFF_PC]
	b	\finish
3:
.endm

#define ISS_ID_MASK 0x31FC19	/* Op0, Op1, CRn, CRm[3:2], Dir */
#define ISS_ID_READ 0x300009	/* Op0 3, Op1 0, CRn 0, CRm 0b01xx, read */

	.globl	guest_exit_sync
guest_exit_sync:
	stp	x2, x3, [sp, #-16]!
	stp	x0, x1, [sp, #-16]!
	mrs	x1, esr_el2
	ubfx	x2, x1, #26, #6
	cmp	x2, #0x24			/* EC: data abort from a lower EL (MMIO) */
	b.eq	.Ldabt
	cmp	x2, #0x18			/* EC: MSR/MRS */
	b.eq	.Lfast_sysreg
	cmp	x2, #0x16			/* EC: HVC64 */
	b.eq	.Lfast_hvc
	cmp	x2, #0x17			/* EC: SMC64 */
	b.ne	.Lfull
.Lslow:
	fast_save
.Lslow_saved:
	mov	x29, sp				/* __guest_enter's frame record */
	bl	vcpu_exit_fast
	mrs	x1, tpidr_el2
	ldr	x1, [x1, #PCPU_OFF_GUEST_REGS]
.Lafter_call:
	cmp	x0, #GUEST_EXIT_RESUME
	b.ne	.Lsync_full
	/* Handled: back to the guest (C may have moved the PC or changed any of these). */
	ldp	x2, x3, [x1, #GPREGS_OFF_PC]
	msr	elr_el2, x2
	msr	spsr_el2, x3
.Lresume_x2_x30:
	load_guest_x2_x17 x1
	ldr	x18, [x1, #16 * 9]
	ldr	x29, [x1, #16 * 14 + 8]
	ldr	x30, [x1, #16 * 15]
	ldp	x0, x1, [x1]
	eret
	dsb	nsh
	isb
.Lfull:
	/* Not an exit vcpu_exit_fast() handles: the full exit straight away. */
	fast_save
	mov	x1, x0
	mov	x0, #GUEST_EXIT_SYNC
.Lsync_full:
	/* x19-x27 still hold the guest's values; x28, x29 and the rest are saved already. */
	str	x19, [x1, #16 * 9 + 8]
	stp	x20, x21, [x1, #16 * 10]
	stp	x22, x23, [x1, #16 * 11]
	stp	x24, x25, [x1, #16 * 12]
	stp	x26, x27, [x1, #16 * 13]
	b	__guest_exit

.Ldabt:
	tbz	x1, #24, .Lfull			/* ISV clear: decoded from the instruction */
	ubfx	x3, x1, #16, #5			/* SRT */
	tbnz	x1, #6, .Ldabt_write		/* WnR */
.Lslow_rt:
	sub	x3, x3, #19
	cmp	x3, #28 - 19
	b.hi	.Lslow
	fast_save
	store_guest_x19_x28 x0		/* one of them is the data register */
.Lslow_high_saved:
	mov	x29, sp
	bl	vcpu_exit_fast
	mrs	x1, tpidr_el2
	ldr	x1, [x1, #PCPU_OFF_GUEST_REGS]
	load_guest_x19_x28 x1
	b	.Lafter_call

/*
 * An MMIO write the syndrome describes: the data register's value (x0-x3 from the stack, XZR
 * zero) goes to vcpu_exit_mmio_write() in x1, whatever the register, so that x19-x28 stay live
 * and unsaved (C preserves them and a write changes no register; the full exit saves them as
 * for any fast exit). Five instructions for every register, against ten more for x19-x28
 * stored and loaded around the call.
 */
.Ldabt_write:
	adr	x2, .Lwrite_rt_table
	add	x2, x2, x3, lsl #3
	br	x2
.Lwrite_rt_table:				/* two instructions per SRT */
	.irp	n, 0,1,2,3
	ldr	x3, [sp, #8 * \n]
	b	.Lwrite_val
	.endr
	.irp	n, 4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30
	mov	x3, x\n
	b	.Lwrite_val
	.endr
	mov	x3, xzr
.Lwrite_val:
	fast_save				/* x3 stays */
	mov	x1, x3
	mov	x29, sp
	bl	vcpu_exit_mmio_write
	mrs	x1, tpidr_el2
	ldr	x1, [x1, #PCPU_OFF_GUEST_REGS]
	b	.Lafter_call

/*
 * A trapped MSR/MRS that is not an ID-register read: vcpu_exit_sysreg() (exit.c) counts it and
 * answers as its row's handler does, without a stack frame, and this completes a SYSREG_DONE
 * access itself (the read value into the register the instruction names, the step over it) and
 * enters the guest again, as exit_sysreg() and vcpu_exit_fast() would. Entry work before the call
 * takes the general path (vcpu_exit_fast() looks at it first); any other result, or entry work
 * after the handler, goes to vcpu_exit_sysreg_finish(), which answers as vcpu_exit_fast().
 * The variant for Rt in x19-x28 saves those first and loads them back after, as .Lslow_rt does.
 */
.Lsysreg:
	ubfx	x3, x1, #5, #5			/* Rt */
	sub	x3, x3, #19
	cmp	x3, #28 - 19
	b.ls	.Lsysreg_high
	fast_save
	ldr	w1, [x0, #GPREGS_OFF_ENTRY_WORK]
	cbnz	w1, .Lslow_saved
	mov	x29, sp
	bl	vcpu_exit_sysreg
	mrs	x2, tpidr_el2
	ldr	x2, [x2, #PCPU_OFF_GUEST_REGS]
	sysreg_complete .Lsysreg_finish
	mov	x1, x2
	b	.Lresume_x2_x30
.Lsysreg_finish:
	mov	x0, x2
	bl	vcpu_exit_sysreg_finish
	mrs	x1, tpidr_el2
	ldr	x1, [x1, #PCPU_OFF_GUEST_REGS]
	b	.Lafter_call

.Lsysreg_high:
	fast_save
	store_guest_x19_x28 x0
	ldr	w1, [x0, #GPREGS_OFF_ENTRY_WORK]
	cbnz	w1, .Lslow_high_saved
	mov	x29, sp
	bl	vcpu_exit_sysreg
	mrs	x2, tpidr_el2
	ldr	x2, [x2, #PCPU_OFF_GUEST_REGS]
	sysreg_complete .Lsysreg_finish_high
	load_guest_x19_x28 x2
	mov	x1, x2
	b	.Lresume_x2_x30
.Lsysreg_finish_high:
	mov	x0, x2
	bl	vcpu_exit_sysreg_finish
	mrs	x1, tpidr_el2
	ldr	x1, [x1, #PCPU_OFF_GUEST_REGS]
	load_guest_x19_x28 x1
	b	.Lafter_call

.Lfast_hvc:
	ubfx	w2, w0, #24, #6
	cbz	w2, .Lslow
	cmp	w2, #4
	b.eq	.Lslow
#ifdef CONFIG_DEBUG_GUEST_HOOKS
	cmp	w2, #GUEST_HOOK_OWNER		/* vendor hypervisor: the test hooks */
	b.eq	.Lslow
#endif
	mrs	x3, tpidr_el2
	ldr	x2, [x3, #PCPU_OFF_FAST_HVC]
	add	x2, x2, #1
	str	x2, [x3, #PCPU_OFF_FAST_HVC]
	mov	x0, #-1				/* SMCCC_RET_NOT_SUPPORTED */
	str	x0, [sp]
	b	.Lfast_return

.Lfast_sysreg:
	mov	x3, #(ISS_ID_MASK & 0xFFFF)
	movk	x3, #(ISS_ID_MASK >> 16), lsl #16
	and	x2, x1, x3
	mov	x3, #(ISS_ID_READ & 0xFFFF)
	movk	x3, #(ISS_ID_READ >> 16), lsl #16
	cmp	x2, x3
	b.ne	.Lsysreg
	mrs	x3, tpidr_el2
	ldr	x0, [x3, #PCPU_OFF_ID_FAST]
	cbz	x0, .Lsysreg
	ubfx	x2, x1, #1, #2			/* CRm[1:0] */
	lsl	x2, x2, #3
	bfxil	x2, x1, #17, #3			/* | Op2 */
	ldr	x0, [x0, x2, lsl #3]		/* the value */
	ldr	x2, [x3, #PCPU_OFF_FAST_SYSREG]
	add	x2, x2, #1
	str	x2, [x3, #PCPU_OFF_FAST_SYSREG]
	mrs	x2, elr_el2
	add	x2, x2, #4
	msr	elr_el2, x2
	ubfx	x1, x1, #5, #5			/* Rt */
	cmp	x1, #31				/* XZR: nothing to write */
	b.eq	.Lfast_return
	cmp	x1, #3
	b.hi	.Lfast_rt_high
	str	x0, [sp, x1, lsl #3]		/* x0-x3 are restored from the stack */
	b	.Lfast_return
.Lfast_rt_high:
	adr	x2, .Lfast_rt_table
	add	x2, x2, x1, lsl #3
	br	x2
.Lfast_rt_table:				/* two instructions per Rt; 0-3 unused */
	.irp	n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30
	mov	x\n, x0
	b	.Lfast_return
	.endr
.Lfast_return:
	ldp	x0, x1, [sp], #16
	ldp	x2, x3, [sp], #16
	eret
	dsb	nsh
	isb

/*
 * A physical interrupt: on a GICv3 host, vgic_v3_irq_fast() (virt/vgic_v3_fast.c) first, with
 * what C may clobber saved as for a synchronous exit; it enters the guest again itself when the
 * interrupt was the vCPU's armed hardware-linked PPI (its virtual timer), else it asks for the
 * full exit (GUEST_EXIT_IRQ), which .Lafter_call completes.
 */
	.globl	guest_exit_irq
guest_exit_irq:
#ifdef CONFIG_VGIC_FAST_PPI
	stp	x2, x3, [sp, #-16]!
	stp	x0, x1, [sp, #-16]!
	fast_save
	mov	x29, sp				/* __guest_enter's frame record */
	bl	vgic_v3_irq_fast
	mrs	x1, tpidr_el2
	ldr	x1, [x1, #PCPU_OFF_GUEST_REGS]
	b	.Lafter_call
#else
	guest_exit GUEST_EXIT_IRQ
#endif
	.globl	guest_exit_fiq
guest_exit_fiq:
	guest_exit GUEST_EXIT_FIQ
	.globl	guest_exit_serror
guest_exit_serror:
	guest_exit GUEST_EXIT_SERROR

__guest_exit:
	ldp	x19, x20, [sp, #16]
	ldp	x21, x22, [sp, #32]
	ldp	x23, x24, [sp, #48]
	ldp	x25, x26, [sp, #64]
	ldp	x27, x28, [sp, #80]
	ldp	x29, x30, [sp], #96
	ret
