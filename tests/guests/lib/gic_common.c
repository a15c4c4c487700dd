// SPDX-License-Identifier: GPL-2.0-only
/*
 * What the test guests' GICv3 (gic.c) and GICv2 (gic_v2.c) drivers share: the IRQ vector, the
 * handler table, per-vCPU counts, and the acknowledge-handle-EOI loop over the driver's
 * gic_ack()/gic_eoi().
 */
#include "gic.h"

#define IRQ_FRAME_SIZE 192 /* x0-x18, x29, x30, ELR, SPSR, padded to 16 bytes */

void gic_irq_entry(void);

/*
 * The vector table: entry 5 (IRQ, current EL, SP_ELx: crt0 runs on SP_EL1) saves the
 * caller-saved registers, ELR and SPSR and calls gic_irq_entry(); every other entry branches to
 * the same entry of crt0's el1_vectors with no register changed, as if taken there. ELR and SPSR
 * are on the stack before any C code runs, so a handler may unmask IRQs and be preempted.
 */
asm(".pushsection .text.gic_vectors, \"ax\"\n"
    "	.balign	0x800\n"
    "	.global	gic_vectors\n"
    "gic_vectors:\n"
    "	.irp	i, 0, 1, 2, 3, 4\n"
    "	.balign	0x80\n"
    "	b	el1_vectors + \\i * 0x80\n"
    "	.endr\n"
    "	.balign	0x80\n"
    "	b	gic_irq_stub\n"
    "	.irp	i, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15\n"
    "	.balign	0x80\n"
    "	b	el1_vectors + \\i * 0x80\n"
    "	.endr\n"
    "gic_irq_stub:\n"
    "	sub	sp, sp, #192\n"
    "	stp	x0, x1, [sp, #0]\n"
    "	stp	x2, x3, [sp, #16]\n"
    "	stp	x4, x5, [sp, #32]\n"
    "	stp	x6, x7, [sp, #48]\n"
    "	stp	x8, x9, [sp, #64]\n"
    "	stp	x10, x11, [sp, #80]\n"
    "	stp	x12, x13, [sp, #96]\n"
    "	stp	x14, x15, [sp, #112]\n"
    "	stp	x16, x17, [sp, #128]\n"
    "	stp	x18, x29, [sp, #144]\n"
    "	mrs	x0, elr_el1\n"
    "	mrs	x1, spsr_el1\n"
    "	stp	x30, x0, [sp, #160]\n"
    "	str	x1, [sp, #176]\n"
    "	bl	gic_irq_entry\n"
    "	ldp	x30, x0, [sp, #160]\n"
    "	ldr	x1, [sp, #176]\n"
    "	msr	elr_el1, x0\n"
    "	msr	spsr_el1, x1\n"
    "	ldp	x0, x1, [sp, #0]\n"
    "	ldp	x2, x3, [sp, #16]\n"
    "	ldp	x4, x5, [sp, #32]\n"
    "	ldp	x6, x7, [sp, #48]\n"
    "	ldp	x8, x9, [sp, #64]\n"
    "	ldp	x10, x11, [sp, #80]\n"
    "	ldp	x12, x13, [sp, #96]\n"
    "	ldp	x14, x15, [sp, #112]\n"
    "	ldp	x16, x17, [sp, #128]\n"
    "	ldp	x18, x29, [sp, #144]\n"
    "	add	sp, sp, #192\n"
    "	eret\n"
    ".popsection\n");

_Static_assert(IRQ_FRAME_SIZE == 192, "gic_irq_stub frame");

static struct gic_cpu_state gic_cpus[GUEST_MAX_CPUS];
static gic_irq_handler_t gic_handlers[GIC_MAX_INTID];

struct gic_cpu_state *gic_state(void)
{
	return &gic_cpus[(read_sysreg(mpidr_el1) & 0xff) % GUEST_MAX_CPUS];
}

struct gic_cpu *gic_this_cpu(void)
{
	return &gic_state()->pub;
}

u64 gic_sgi_base(void)
{
	return gic_this_cpu()->rd_base + GICR_SGI_OFFSET;
}

void gic_delay_us(u64 us)
{
	u64 end = gic_counter() + gic_us_to_ticks(us);

	while (gic_counter() < end)
		;
}

bool gic_wait_count(const volatile u32 *count, u32 want, u64 us)
{
	u64 end = gic_counter() + gic_us_to_ticks(us);

	while (*count < want)
		if (gic_counter() > end)
			return *count >= want;
	return true;
}

bool gic_take_irqs(const volatile u32 *count, u32 want, u64 us)
{
	bool ok;

	gic_irqs_unmask();
	ok = gic_wait_count(count, want, us);
	gic_irqs_mask();
	return ok;
}

void gic_irqs_open(u64 us)
{
	gic_irqs_unmask();
	gic_delay_us(us);
	gic_irqs_mask();
}

void gic_set_handler(u32 intid, gic_irq_handler_t fn)
{
	if (intid < GIC_MAX_INTID)
		WRITE_ONCE(gic_handlers[intid], fn);
}

u32 gic_unhandled_count(void)
{
	return READ_ONCE(gic_state()->unhandled);
}

u32 gic_spurious_count(void)
{
	return READ_ONCE(gic_state()->spurious);
}

void gic_irq_entry(void)
{
	struct gic_cpu_state *s = gic_state();
	u32 intid = gic_ack();
	gic_irq_handler_t fn;

	if (intid >= GIC_MAX_INTID) {
		WRITE_ONCE(s->spurious, s->spurious + 1);
		return;
	}
	fn = READ_ONCE(gic_handlers[intid]);
	if (fn)
		fn(intid);
	else
		WRITE_ONCE(s->unhandled, s->unhandled + 1);
	/* A handler may have unmasked IRQs to be preempted; ELR/SPSR are restored masked. */
	gic_irqs_mask();
	gic_eoi(intid);
}

/* ---- register-map checks (gic.c, gicv2.c) ---- */

/* A read of @size bytes at @addr that may abort: true (and *@v) if it did not, else *@esr set. */
bool gic_try_read(u64 addr, unsigned int size, u64 *v, u64 *esr)
{
	u64 x = 0;

	expect_exception(ESR_EC_DABT_CUR);
	if (size == 1)
		asm volatile("ldrb %w0, [%1]" : "+r"(x) : "r"(addr) : "memory");
	else if (size == 2)
		asm volatile("ldrh %w0, [%1]" : "+r"(x) : "r"(addr) : "memory");
	else if (size == 4)
		asm volatile("ldr %w0, [%1]" : "+r"(x) : "r"(addr) : "memory");
	else
		asm volatile("ldr %0, [%1]" : "+r"(x) : "r"(addr) : "memory");
	*v = x;
	return !exception_taken(esr, NULL);
}

/* A write that may abort: true if it did not. */
bool gic_try_write32(u64 addr, u32 v)
{
	expect_exception(ESR_EC_DABT_CUR);
	asm volatile("str %w0, [%1]" : : "r"((u64)v), "r"(addr) : "memory");
	return !exception_taken(NULL, NULL);
}

/* An external abort, the answer to an access no register takes (wrong width, no frame). */
bool gic_read_aborts(u64 addr, unsigned int size)
{
	u64 v, esr = 0;

	return !gic_try_read(addr, size, &v, &esr) && ESR_ISS_DFSC(esr) == DFSC_SYNC_EXTERNAL;
}

static bool live(const struct gic_live_range *l, unsigned int n, u32 off)
{
	for (unsigned int i = 0; i < n; i++)
		if (off >= l[i].start && off < l[i].end)
			return true;
	return false;
}

/* Words of [base, base + size) outside @l that read non-zero; the first at *@first. */
unsigned int gic_sweep_reserved(u64 base, u32 size, const struct gic_live_range *l, unsigned int n,
				u64 *first)
{
	unsigned int bad = 0;

	for (u32 off = 0; off < size; off += 4) {
		if (live(l, n, off) || !gic_read32(base + off))
			continue;
		if (!bad++)
			*first = base + off;
	}
	return bad;
}
