/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Entry: the arm64 Image header, then the boot CPU's path from "loaded somewhere, MMU off,
 * x0 = DTB" to C with the MMU on, and the same for secondary CPUs started by PSCI CPU_ON.
 * Everything here runs with the MMU off, so it uses PC-relative addressing only.
 */
#include <asm/asm_macros.h>
#include <asm/sysreg.h>
#include <tern/percpu.h>

/* One pCPU's slot in pcpu_stacks: an unmapped guard region, then the stack. */
#define PCPU_STACK_SLOT (2 << CONFIG_PCPU_STACK_SHIFT)

#define R_AARCH64_RELATIVE 1027

	.section .head.text, "ax"
	.globl	_start
_start:
	/* Image header (Documentation/arch/arm64/booting.rst) */
	b	primary_entry			/* code0 */
	.long	0				/* code1 */
	.quad	0				/* text_offset: any 2 MiB-aligned base */
	.quad	_tern_image_size		/* image_size, bss included */
	.quad	(1 << 1) | (1 << 3)		/* LE, 4 KiB pages, anywhere in RAM */
	.quad	0, 0, 0				/* reserved */
	.ascii	"ARM\x64"			/* magic */
	.long	0				/* no PE header */

primary_entry:
	mov	x21, x0				/* DTB pointer, kept for C */
	mrs	x1, CurrentEL
	lsr	x1, x1, #CURRENTEL_EL_SHIFT
	cmp	x1, #2
	b.ne	wrong_el

	msr	daifset, #0xf
	ldr	x1, =SCTLR_EL2_RES1		/* MMU and caches off, little-endian */
	msr	sctlr_el2, x1
	isb
	/* EL2's own FP use (libfdt is built with SIMD) must not trap. */
	ldr	x1, =CPTR_EL2_RES1
	msr	cptr_el2, x1
	ldr	x1, =HCR_EL2_HOST		/* E2H=0: the nVHE EL2 regime */
	msr	hcr_el2, x1
	isb

	adr_l	x1, el2_vectors
	msr	vbar_el2, x1

	/* Zero .bss (stacks and page tables live there). */
	adr_l	x1, __bss_start
	adr_l	x2, __bss_end
1:	cmp	x1, x2
	b.hs	2f
	stp	xzr, xzr, [x1], #16
	b	1b
2:
	bl	apply_relocations

	adr_l	x0, pcpu_table			/* pCPU 0; the C code fills in the rest */
	msr	tpidr_el2, x0
	adr_l	x1, pcpu_stacks
	add	x1, x1, #PCPU_STACK_SLOT	/* top of pCPU 0's stack */
	mov	sp, x1
	mov	x29, xzr
	mov	x30, xzr

	bl	init_stack_guard

	/* C with the MMU off: console, page tables for the image and the DTB. */
	mov	x0, x21
	bl	arch_boot_mmu_prepare
	bl	enable_mmu
	mov	x0, x21
	bl	setup_main			/* does not return */
	b	.

/*
 * Wrong exception level: say so on the early console if there is one, then stop. Nothing is
 * set up (no stack, no relocations), so the message is written by this loop alone.
 */
wrong_el:
#ifdef CONFIG_EARLY_CONSOLE_PL011
	ldr	x1, =CONFIG_EARLY_CONSOLE_BASE
	adr_l	x2, wrong_el_msg
1:	ldrb	w3, [x2], #1
	cbz	w3, 8f
2:	ldr	w4, [x1, #0x18]			/* UARTFR */
	tbnz	w4, #5, 2b			/* TXFF */
	str	w3, [x1]			/* UARTDR */
	b	1b
#elif defined(CONFIG_EARLY_CONSOLE_CDNS)
	ldr	x1, =CONFIG_EARLY_CONSOLE_BASE
	mov	w4, #0x14			/* CR: TX_EN | RX_EN */
	str	w4, [x1]
	adr_l	x2, wrong_el_msg
1:	ldrb	w3, [x2], #1
	cbz	w3, 8f
2:	ldr	w4, [x1, #0x2c]			/* SR */
	tbnz	w4, #4, 2b			/* TXFULL */
	str	w3, [x1, #0x30]			/* FIFO */
	b	1b
#endif
	/* No semihosting exit: QEMU would serve it to guests too (docs/security.md). */
8:
9:	wfi
	b	9b

/*
 * Apply R_AARCH64_RELATIVE relocations for the actual load address: the image is linked
 * at 0, so each slot becomes load address + addend. scripts/check-elf.py makes sure no
 * other relocation type exists.
 */
apply_relocations:
	adr_l	x9, __rela_start
	adr_l	x10, __rela_end
	adr_l	x11, _text
1:	cmp	x9, x10
	b.hs	2f
	ldp	x12, x13, [x9], #24		/* r_offset, r_info */
	ldur	x14, [x9, #-8]			/* r_addend */
	cmp	w13, #R_AARCH64_RELATIVE
	b.ne	1b
	add	x14, x14, x11
	str	x14, [x11, x12]
	b	1b
2:	ret

/*
 * Stack-protector guard: from RNDR when the CPU has FEAT_RNG, else the physical counter
 * mixed with the load address. Set before the first protected C function runs.
 */
init_stack_guard:
	mrs	x1, id_aa64isar0_el1
	ubfx	x1, x1, #ID_AA64ISAR0_RNDR_SHIFT, #4
	cbz	x1, 2f
	mov	x3, #16
1:	mrs	x2, s3_3_c2_c4_0		/* RNDR; NZCV.Z set on failure */
	b.ne	3f
	subs	x3, x3, #1
	b.ne	1b
2:	mrs	x2, cntpct_el0
	adr_l	x4, _text
	eor	x2, x2, x4, ror #13
	mov	x4, #0x7f4a
	movk	x4, #0x9e37, lsl #16
	movk	x4, #0x79b9, lsl #32
	mul	x2, x2, x4
3:	and	x2, x2, #~0xff			/* a zero low byte stops string overflows */
	adr_l	x1, __stack_chk_guard		/* read by Debian's libfdt */
	str	x2, [x1]
	mrs	x1, tpidr_el2			/* Tern's own code: pcpu_prepare() copies it */
	str	x2, [x1, #PCPU_OFF_STACK_GUARD]
	ret

/*
 * Turn on the EL2 stage-1 MMU with the registers arch_boot_mmu_prepare() computed. The
 * tables map the image 1:1, so execution simply continues.
 */
enable_mmu:
	adr_l	x0, mmu_boot_regs
	ldp	x1, x2, [x0]			/* mair, tcr */
	ldp	x3, x4, [x0, #16]		/* ttbr0, sctlr */
	msr	mair_el2, x1
	msr	tcr_el2, x2
	msr	ttbr0_el2, x3
	isb
	tlbi	alle2
	dsb	ish
	isb
	msr	sctlr_el2, x4
	isb
	ic	iallu
	dsb	nsh
	isb
	ret

/*
 * Secondary pCPUs, started by PSCI CPU_ON with x0 = their struct pcpu (a physical address,
 * which is also its address with the MMU on: the map is 1:1).
 */
	.globl	secondary_entry
secondary_entry:
	msr	daifset, #0xf
	ldr	x1, =SCTLR_EL2_RES1
	msr	sctlr_el2, x1
	ldr	x1, =CPTR_EL2_RES1
	msr	cptr_el2, x1
	ldr	x1, =HCR_EL2_HOST
	msr	hcr_el2, x1
	isb
	msr	tpidr_el2, x0
	ldr	x1, [x0, #PCPU_OFF_STACK_TOP]
	mov	sp, x1
	adr_l	x1, el2_vectors
	msr	vbar_el2, x1
	mov	x29, xzr
	mov	x30, xzr
	bl	enable_mmu
	bl	secondary_main			/* does not return */
	b	.

	.section .rodata
	.balign	8
wrong_el_msg:
	.asciz	"\r\nTern: not entered at EL2 (QEMU needs -M virt,virtualization=on); stopping.\r\n"
