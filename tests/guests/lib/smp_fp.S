/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * FP/SIMD isolation checks (see smp.h): the SMP guests, and the virtio guest's registers across
 * disk requests. Built without -mgeneral-regs-only; the rest of the guest library never touches
 * V0-V31, FPCR or FPSR, so they hold only what is set here.
 */
	.arch	armv8-a+fp+simd

#define CPACR_FPEN	(3 << 20)

	.text
	.global	smp_fp_enable
smp_fp_enable:
	mrs	x0, cpacr_el1
	orr	x0, x0, #CPACR_FPEN
	msr	cpacr_el1, x0
	isb
	ret

	.global	smp_fp_probe_fpcr
smp_fp_probe_fpcr:
	msr	fpcr, x0
	isb
	mrs	x0, fpcr
	ret

	.global	smp_fp_probe_fpsr
smp_fp_probe_fpsr:
	msr	fpsr, x0
	isb
	mrs	x0, fpsr
	ret

/*
 * long smp_fp_check(const u64 (*pat)[2] x0, u64 fpcr x1, u64 fpsr x2, u64 end x3, u64 checks x4,
 *		     bool yield w5, u64 *bad x6, u64 *rounds x7)
 * x8 round k, x9 golden ratio constant, x10 k * x9, x13 checks left, x15 register index.
 */
	.global	smp_fp_check
smp_fp_check:
	mov	x8, #0
	movz	x9, #0x7c15
	movk	x9, #0x7f4a, lsl #16
	movk	x9, #0x79b9, lsl #32
	movk	x9, #0x9e37, lsl #48
.Lround:
	mul	x10, x8, x9
	.irp	r, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
	ldp	x11, x12, [x0, #16 * \r]
	eor	x11, x11, x10
	eor	x12, x12, x10
	fmov	d\r, x11
	mov	v\r\().d[1], x12
	.endr
	msr	fpcr, x1
	msr	fpsr, x2
	mov	x13, x4
.Lcheck:
	.irp	r, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
	mov	x15, #\r
	ldp	x11, x12, [x0, #16 * \r]
	eor	x11, x11, x10
	eor	x12, x12, x10
	mov	x14, v\r\().d[0]
	cmp	x14, x11
	b.ne	.Lbad
	mov	x14, v\r\().d[1]
	cmp	x14, x12
	b.ne	.Lbad
	.endr
	mov	x15, #32
	mrs	x14, fpcr
	cmp	x14, x1
	b.ne	.Lbad
	mov	x15, #33
	mrs	x14, fpsr
	cmp	x14, x2
	b.ne	.Lbad
	cbz	w5, 1f
	wfe
1:	subs	x13, x13, #1
	b.hi	.Lcheck
	add	x8, x8, #1
	isb
	mrs	x14, cntvct_el0
	cmp	x14, x3
	b.lo	.Lround
	str	x8, [x7]
	mov	x0, #-1
	ret
.Lbad:
	str	x14, [x6]
	str	x8, [x7]
	mov	x0, x15
	ret

/* void smp_fp_fill(const u64 (*pat)[2] x0, u64 fpcr x1, u64 fpsr x2): V0-V31 = pat, FPCR, FPSR. */
	.global	smp_fp_fill
smp_fp_fill:
	.irp	r, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
	ldp	x11, x12, [x0, #16 * \r]
	fmov	d\r, x11
	mov	v\r\().d[1], x12
	.endr
	msr	fpcr, x1
	msr	fpsr, x2
	isb
	ret

/*
 * long smp_fp_verify(const u64 (*pat)[2] x0, u64 fpcr x1, u64 fpsr x2, u64 *bad x3): -1 if
 * V0-V31, FPCR and FPSR hold what smp_fp_fill() put there, else the first register that does not
 * (SMP_FP_FPCR / SMP_FP_FPSR for those) with the value read in *bad.
 */
	.global	smp_fp_verify
smp_fp_verify:
	.irp	r, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
	mov	x15, #\r
	ldp	x11, x12, [x0, #16 * \r]
	mov	x14, v\r\().d[0]
	cmp	x14, x11
	b.ne	1f
	mov	x14, v\r\().d[1]
	cmp	x14, x12
	b.ne	1f
	.endr
	mov	x15, #32
	mrs	x14, fpcr
	cmp	x14, x1
	b.ne	1f
	mov	x15, #33
	mrs	x14, fpsr
	cmp	x14, x2
	b.ne	1f
	mov	x0, #-1
	ret
1:	str	x14, [x3]
	mov	x0, x15
	ret
