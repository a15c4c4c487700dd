/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * EL2 exception vectors. Tern's own exceptions (current EL, SP_EL2) save a struct cpu_regs
 * on the stack; IRQs return, anything else ends in the panic dump. An exception taken on an
 * overflowed stack is detected here, before anything is stored, and reported from the
 * pCPU's emergency stack.
 */
#include <asm/asm_macros.h>
#include <asm/regs.h>
#include <tern/percpu.h>

/* Stacks sit in the upper half of a slot aligned to twice their size (core/percpu.c). */
#define STACK_SHIFT CONFIG_PCPU_STACK_SHIFT

.macro save_regs
	stp	x0, x1, [sp, #16 * 0]
	stp	x2, x3, [sp, #16 * 1]
	stp	x4, x5, [sp, #16 * 2]
	stp	x6, x7, [sp, #16 * 3]
	stp	x8, x9, [sp, #16 * 4]
	stp	x10, x11, [sp, #16 * 5]
	stp	x12, x13, [sp, #16 * 6]
	stp	x14, x15, [sp, #16 * 7]
	stp	x16, x17, [sp, #16 * 8]
	stp	x18, x19, [sp, #16 * 9]
	stp	x20, x21, [sp, #16 * 10]
	stp	x22, x23, [sp, #16 * 11]
	stp	x24, x25, [sp, #16 * 12]
	stp	x26, x27, [sp, #16 * 13]
	stp	x28, x29, [sp, #16 * 14]
	add	x0, sp, #REGS_SIZE
	stp	x30, x0, [sp, #16 * 15]
	mrs	x0, elr_el2
	mrs	x1, spsr_el2
	stp	x0, x1, [sp, #REGS_OFF_ELR]
	mrs	x0, esr_el2
	mrs	x1, far_el2
	stp	x0, x1, [sp, #REGS_OFF_ESR]
.endm

.macro restore_regs
	ldp	x0, x1, [sp, #REGS_OFF_ELR]
	msr	elr_el2, x0
	msr	spsr_el2, x1
	ldp	x0, x1, [sp, #16 * 0]
	ldp	x2, x3, [sp, #16 * 1]
	ldp	x4, x5, [sp, #16 * 2]
	ldp	x6, x7, [sp, #16 * 3]
	ldp	x8, x9, [sp, #16 * 4]
	ldp	x10, x11, [sp, #16 * 5]
	ldp	x12, x13, [sp, #16 * 6]
	ldp	x14, x15, [sp, #16 * 7]
	ldp	x16, x17, [sp, #16 * 8]
	ldp	x18, x19, [sp, #16 * 9]
	ldp	x20, x21, [sp, #16 * 10]
	ldp	x22, x23, [sp, #16 * 11]
	ldp	x24, x25, [sp, #16 * 12]
	ldp	x26, x27, [sp, #16 * 13]
	ldp	x28, x29, [sp, #16 * 14]
	ldr	x30, [sp, #16 * 15]
	add	sp, sp, #REGS_SIZE
.endm

/*
 * Each of the 16 slots is its own section, .text.el2_vectors.N, 128-byte aligned (slot 0 2 KiB):
 * a slot holds a branch or two, and scripts/vector-fill.py has the linker put cold functions
 * into the rest of it instead of padding (tern.lds.S checks every slot's address).
 */
.macro vslot n
	.section .text.el2_vectors.\n, "ax"
	.if \n == 0
	.balign	2048
	.globl	el2_vectors
el2_vectors:
	.else
	.balign	128
	.globl	el2_vector_\n
el2_vector_\n:
	.endif
.endm

/* A vector slot for an exception taken on Tern's own stack: check for overflow first. */
.macro ventry_cur n, label
	vslot	\n
	sub	sp, sp, #REGS_SIZE
	add	sp, sp, x0			/* sp += x0 ... */
	sub	x0, sp, x0			/* ... so x0 = the frame address */
	tbz	x0, #STACK_SHIFT, stack_overflow
	sub	x0, sp, x0			/* x0 = its old value */
	sub	sp, sp, x0			/* sp = the frame address */
	b	\label
.endm

.macro ventry n, label
	vslot	\n
	sub	sp, sp, #REGS_SIZE
	b	\label
.endm

/* Guest exits: SP_EL2 is the frame __guest_enter left; guest_entry.S saves into the vCPU. */
.macro ventry_guest n, label
	vslot	\n
	b	\label
.endm

	ventry	0, vec_sp0			/* current EL, SP_EL0: never used by Tern */
	ventry	1, vec_sp0
	ventry	2, vec_sp0
	ventry	3, vec_sp0
	ventry_cur 4, vec_sync			/* current EL, SP_EL2 */
	ventry_cur 5, vec_irq
	ventry_cur 6, vec_fiq
	ventry_cur 7, vec_serror
	ventry_guest 8, guest_exit_sync		/* lower EL, AArch64: a guest exit */
	ventry_guest 9, guest_exit_irq
	ventry_guest 10, guest_exit_fiq
	ventry_guest 11, guest_exit_serror
	ventry_guest 12, guest_exit_sync	/* lower EL, AArch32: the guest's EL0 */
	ventry_guest 13, guest_exit_irq
	ventry_guest 14, guest_exit_fiq
	ventry_guest 15, guest_exit_serror

/* The handlers: each its own section, so that they too can fill a slot. */
.macro fatal name, kind
	.section .text.\name, "ax"
	.balign	4
\name:
	save_regs
	mov	x0, sp
	mov	x1, #\kind
	bl	el2_exception
	b	.
.endm

	fatal	vec_sp0, VEC_SP0
	fatal	vec_sync, VEC_SYNC
	fatal	vec_fiq, VEC_FIQ
	fatal	vec_serror, VEC_SERROR

	.section .text.vec_irq, "ax"
	.balign	4
vec_irq:
	save_regs
	mov	x0, sp
	bl	el2_irq
	restore_regs
	eret

/* x0 is lost here: it held the overflowed stack pointer. */
	.section .text.stack_overflow, "ax"
	.balign	4
stack_overflow:
	mrs	x0, tpidr_el2
	ldr	x0, [x0, #PCPU_OFF_EMERG_TOP]
	sub	x0, x0, #REGS_SIZE
	mov	sp, x0
	save_regs
	mov	x0, sp
	mov	x1, #VEC_OVERFLOW
	bl	el2_exception
	b	.
