/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Measuring loops of the bench guest. Every loop reads CNTVCT_EL0 before and after; under
 * `-icount shift=0,sleep=off` one tick of the 62.5 MHz counter is exactly 16 instructions
 * (at any exception level), so (ticks(op) - ticks(nop)) * 16 / n is the number of instructions
 * one operation costs, Tern's included.
 *
 * Interrupt latency uses "tick-edge reads": 17 consecutive `mrs xN, cntvct_el0` (one instruction
 * each) always straddle a tick edge, and the first read that differs from its predecessor, j,
 * pins the first read's instruction time exactly: t0 = 16 * r[j] - j (plus a constant of QEMU's
 * icount accounting, the same everywhere, which cancels in differences).
 */

	.text

/*
 * u64 bench_loop_<name>(u64 n, u64 arg, u64 val): ticks for n iterations of
 * "mov x0, x20; <op>", with x20 = arg (and x1 = arg at the first iteration), x23 = val.
 */
.macro BENCH_LOOP name, op:vararg
	.global	bench_loop_\name
	.balign	64
bench_loop_\name:
	stp	x19, x20, [sp, #-48]!
	stp	x21, x22, [sp, #16]
	stp	x23, x24, [sp, #32]
	mov	x19, x0
	mov	x20, x1
	mov	x23, x2
	isb
	mrs	x21, cntvct_el0
1:	mov	x0, x20
	\op
	subs	x19, x19, #1
	b.ne	1b
	isb
	mrs	x22, cntvct_el0
	sub	x0, x22, x21
	ldp	x23, x24, [sp, #32]
	ldp	x21, x22, [sp, #16]
	ldp	x19, x20, [sp], #48
	ret
.endm

	BENCH_LOOP nop, nop
	BENCH_LOOP hvc, hvc #0
	BENCH_LOOP sysreg, mrs x0, id_aa64pfr0_el1
	BENCH_LOOP mmio32, ldr w0, [x20]
	/* Trapped system registers with a C handler (not the ID registers' vector fast path) */
	BENCH_LOOP cntp_ctl_read, mrs x0, cntp_ctl_el0
	BENCH_LOOP cntp_ctl_write, msr cntp_ctl_el0, xzr
	BENCH_LOOP oslsr, mrs x0, oslsr_el1
	BENCH_LOOP aidr, mrs x0, aidr_el1
	/* More MMIO forms: 64-bit load, post-indexed load (ISV = 0: Tern decodes the instruction),
	 * byte store and word store of x23 */
	BENCH_LOOP mmio64, ldr x0, [x20]
	BENCH_LOOP mmio32_post, ldr w0, [x20], #0
	BENCH_LOOP mmio_store8, strb w23, [x20]
	BENCH_LOOP mmio_store32, str w23, [x20]
	/* Two operations per iteration: the enable pair (x20 = ISENABLER, ICENABLER 0x80 above)
	 * and its baseline */
.macro NOP2
	nop
	nop
.endm
.macro ENABLE_PAIR
	str	w23, [x20, #0x80]
	str	w23, [x20]
.endm
	BENCH_LOOP nop2, NOP2
	BENCH_LOOP enable_pair, ENABLE_PAIR

.macro READ17
	.irp	r, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16
	mrs	x\r, cntvct_el0
	.endr
.endm

.macro STORE17 base
	stp	x0, x1, [\base, #0]
	stp	x2, x3, [\base, #16]
	stp	x4, x5, [\base, #32]
	stp	x6, x7, [\base, #48]
	stp	x8, x9, [\base, #64]
	stp	x10, x11, [\base, #80]
	stp	x12, x13, [\base, #96]
	stp	x14, x15, [\base, #112]
	str	x16, [\base, #128]
.endm

/*
 * The vector table: "IRQ, current EL with SP_ELx" is the bench handler, whose first instruction is
 * the first tick-edge read; every other entry goes to the same entry of crt0's el1_vectors.
 * IRQs are only ever unmasked inside bench_wait_irq / bench_sgi_fire, which give up x0-x17.
 */
	.balign	0x800
	.global	bench_vectors
bench_vectors:
	.irp	i, 0, 1, 2, 3, 4
	.balign	0x80
	b	el1_vectors + \i * 0x80
	.endr
	.balign	0x80
	READ17
	b	bench_irq_rest
	.irp	i, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
	.balign	0x80
	b	el1_vectors + \i * 0x80
	.endr

/* struct bench_irq_rec { u64 reads[17]; u64 intid; u64 count; } */
bench_irq_rest:
	adrp	x17, bench_irq_rec
	add	x17, x17, :lo12:bench_irq_rec
	STORE17	x17
	mrs	x0, icc_iar1_el1
	dsb	sy
	and	x0, x0, #0xffffff
	str	x0, [x17, #136]
	cmp	x0, #27			/* the virtual timer: a level interrupt, silence it */
	b.ne	1f
	msr	cntv_ctl_el0, xzr
	isb
1:	cmp	x0, #1020		/* spurious: nothing to end */
	b.hs	2f
	msr	icc_eoir1_el1, x0
	isb
2:	ldr	x1, [x17, #144]
	add	x1, x1, #1
	str	x1, [x17, #144]
	adr	x1, bench_resume
	msr	elr_el1, x1
	mrs	x1, spsr_el1
	orr	x1, x1, #0x80		/* resume with IRQs masked */
	msr	spsr_el1, x1
	eret

/* void bench_wait_irq(void): unmask IRQs and spin until one is handled. */
	.global	bench_wait_irq
bench_wait_irq:
	stp	x19, x20, [sp, #-16]!
	msr	daifclr, #2
1:	b	1b

bench_resume:
	ldp	x19, x20, [sp], #16
	ret

/*
 * void bench_sgi_fire(u64 sgi1r, u64 reads[17]): with IRQs unmasked, 17 tick-edge reads, store
 * them, write ICC_SGI1R_EL1 (the instruction at bench_sgi_msr, (bench_sgi_msr - bench_sgi_reads)
 * / 4 instructions after the first read) and spin until the handler has run.
 */
	.global	bench_sgi_fire, bench_sgi_reads, bench_sgi_msr
bench_sgi_fire:
	stp	x19, x20, [sp, #-16]!
	mov	x19, x0
	mov	x20, x1
	dsb	sy
	msr	daifclr, #2
	isb
bench_sgi_reads:
	READ17
	STORE17	x20
bench_sgi_msr:
	msr	icc_sgi1r_el1, x19
	isb
1:	b	1b

/*
 * The SMP rows (two vCPUs of one VM on one pCPU). PSTATE.I stays masked on both: a pending SGI
 * still ends WFI (and Tern does not let a vCPU sleep with one deliverable), and the guest
 * acknowledges it by reading ICC_IAR1_EL1, so no exception is ever taken.
 */

/* The SGI send path: n writes of ICC_SGI1R_EL1 (arg) to a vCPU with that SGI disabled. */
	BENCH_LOOP sgisend, msr icc_sgi1r_el1, x0

/*
 * u64 bench_loop_pingpong(u64 n, u64 sgi1r): ticks for n round trips: send the SGI (sgi1r) to
 * the other vCPU, WFI until its answer is pending, acknowledge and end it.
 */
	.global	bench_loop_pingpong
	.balign	64
bench_loop_pingpong:
	stp	x19, x20, [sp, #-32]!
	stp	x21, x22, [sp, #16]
	mov	x19, x0
	mov	x20, x1
	isb
	mrs	x21, cntvct_el0
1:	msr	icc_sgi1r_el1, x20
2:	wfi
	mrs	x0, icc_iar1_el1
	cmp	x0, #1020
	b.hs	2b
	msr	icc_eoir1_el1, x0
	subs	x19, x19, #1
	b.ne	1b
	isb
	mrs	x22, cntvct_el0
	sub	x0, x22, x21
	ldp	x21, x22, [sp, #16]
	ldp	x19, x20, [sp], #32
	ret

/*
 * void bench_pong(u64 sgi1r, volatile u64 *count): the answering vCPU, forever: WFI until an SGI
 * is pending, acknowledge and end it, count it and send the answer (sgi1r).
 */
	.global	bench_pong
	.balign	64
bench_pong:
1:	wfi
	mrs	x2, icc_iar1_el1
	cmp	x2, #1020
	b.hs	1b
	msr	icc_eoir1_el1, x2
	ldr	x3, [x1]
	add	x3, x3, #1
	str	x3, [x1]
	msr	icc_sgi1r_el1, x0
	b	1b

/*
 * SGI round trips with the interrupts taken, as an OS takes them (rows rtirq, rtwall, wake):
 * each waiting vCPU idles the way Linux does (IRQs masked, check, WFI, unmask so that the pending
 * interrupt is taken, mask again), and the handler at bench_rt_vectors acknowledges and ends the
 * SGI, counts it and stamps the counter in the vCPU's struct bench_rt (TPIDR_EL1 points at it),
 * and sends the answer if the vCPU has one (the responder). The handler clobbers x0-x3 only: the
 * loops keep nothing there across their interrupt window.
 * struct bench_rt { u64 count; u64 stamp; u64 reply_sgi1r; }
 */
	.balign	0x800
	.global	bench_rt_vectors
bench_rt_vectors:
	.irp	i, 0, 1, 2, 3, 4
	.balign	0x80
	b	el1_vectors + \i * 0x80
	.endr
	.balign	0x80
	b	bench_rt_irq
	.irp	i, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
	.balign	0x80
	b	el1_vectors + \i * 0x80
	.endr

bench_rt_irq:
	mrs	x0, icc_iar1_el1
	mrs	x3, cntvct_el0
	cmp	x0, #1020
	b.hs	1f
	msr	icc_eoir1_el1, x0
	mrs	x1, tpidr_el1
	ldr	x2, [x1]
	add	x2, x2, #1
	stp	x2, x3, [x1]		/* count, stamp */
	ldr	x2, [x1, #16]		/* reply_sgi1r */
	cbz	x2, 1f
	msr	icc_sgi1r_el1, x2
1:	eret

/*
 * u64 bench_loop_pingirq(u64 n, u64 sgi1r): ticks for n round trips: send the SGI, idle until
 * the answer's interrupt has been taken (the count in TPIDR_EL1's struct went up).
 */
	.global	bench_loop_pingirq
	.balign	64
bench_loop_pingirq:
	stp	x19, x20, [sp, #-48]!
	stp	x21, x22, [sp, #16]
	stp	x23, x24, [sp, #32]
	mov	x19, x0
	mov	x20, x1
	mrs	x21, tpidr_el1
	ldr	x23, [x21]
	msr	daifset, #2
	isb
	mrs	x22, cntvct_el0
1:	msr	icc_sgi1r_el1, x20
	add	x23, x23, #1
2:	ldr	x0, [x21]
	cmp	x0, x23
	b.hs	3f
	wfi
	msr	daifclr, #2
	isb
	msr	daifset, #2
	b	2b
3:	subs	x19, x19, #1
	b.ne	1b
	isb
	mrs	x0, cntvct_el0
	sub	x0, x0, x22
	ldp	x23, x24, [sp, #32]
	ldp	x21, x22, [sp, #16]
	ldp	x19, x20, [sp], #48
	ret

/* void bench_idle_irq(void): the responder (or sleeper), forever: idle, take interrupts. */
	.global	bench_idle_irq
bench_idle_irq:
	msr	daifset, #2
1:	wfi
	msr	daifclr, #2
	isb
	msr	daifset, #2
	b	1b

/*
 * void bench_park(u64 ticks): PSCI CPU_ON entry of the parked vCPUs (parked=N): no stack, no
 * interrupt enabled in its redistributor; arms its virtual timer @ticks ahead (an idle OS's
 * next tick, never reached in a run) and sleeps in WFI for good.
 */
	.global	bench_park
	.balign	8
bench_park:
	msr	daifset, #0xf
	mrs	x1, cntvct_el0
	add	x1, x1, x0
	msr	cntv_cval_el0, x1
	mov	x1, #1
	msr	cntv_ctl_el0, x1
	isb
1:	wfi
	b	1b
