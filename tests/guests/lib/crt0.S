/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Test guest entry: the first byte of the raw image, entered at EL1h with the MMU off, DAIF masked
 * and x0 = guest DTB address (or 0). Sets up the vCPU 0 stack, clears .bss, installs the EL1
 * vectors and calls guest_start(dtb) in C.
 */

#define STACK_SIZE	0x10000
#define FRAME_SIZE	(34 * 8)	/* struct ex_regs */

	.section .text.boot, "ax"
	.global _start
_start:
	mov	x19, x0
	msr	daifset, #0xf
	adrp	x1, _stacks_start
	add	x1, x1, :lo12:_stacks_start
	add	sp, x1, #STACK_SIZE

	adrp	x1, _bss_start
	add	x1, x1, :lo12:_bss_start
	adrp	x2, _bss_end
	add	x2, x2, :lo12:_bss_end
1:	cmp	x1, x2
	b.hs	2f
	stp	xzr, xzr, [x1], #16
	b	1b
2:
	adr	x1, el1_vectors
	msr	vbar_el1, x1
	isb
	mov	x0, x19
	bl	guest_start
3:	wfi
	b	3b

/*
 * PSCI CPU_ON entry of secondary vCPUs: x0 = context_id = address of a struct cpu_boot
 * { u64 sp; fn; arg; }.
 */
	.text
	.global secondary_entry
secondary_entry:
	msr	daifset, #0xf
	ldr	x1, [x0]
	mov	sp, x1
	adr	x1, el1_vectors
	msr	vbar_el1, x1
	isb
	bl	secondary_start
4:	wfi
	b	4b

/* Vectors: every entry saves a struct ex_regs and calls exception_entry(regs, index). */
.macro ventry index
	.balign	0x80
	sub	sp, sp, #FRAME_SIZE
	stp	x0, x1, [sp, #0]
	mov	x1, #\index
	b	vector_common
.endm

	.balign	0x800
	.global el1_vectors
el1_vectors:
	ventry	0
	ventry	1
	ventry	2
	ventry	3
	ventry	4
	ventry	5
	ventry	6
	ventry	7
	ventry	8
	ventry	9
	ventry	10
	ventry	11
	ventry	12
	ventry	13
	ventry	14
	ventry	15

vector_common:
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
	mrs	x2, elr_el1
	mrs	x3, spsr_el1
	stp	x30, x2, [sp, #16 * 15]
	str	x3, [sp, #16 * 16]
	mov	x0, sp
	bl	exception_entry
	ldp	x30, x2, [sp, #16 * 15]
	ldr	x3, [sp, #16 * 16]
	msr	elr_el1, x2
	msr	spsr_el1, x3
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
	ldp	x0, x1, [sp, #0]
	add	sp, sp, #FRAME_SIZE
	eret
