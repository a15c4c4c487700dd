// SPDX-License-Identifier: GPL-2.0-only
/*
 * MMIO emulation against the PL011 at 0x09000000: every load/store width and addressing form a
 * trap-and-decode path has to get right (including writeback, sign extension, pairs and the zero
 * register), written as inline asm so the exact instruction is used, plus aborts on unmapped MMIO.
 * The PL011 is a 32-bit peripheral: 8/16/32-bit loads at word offsets and 32-bit stores are tested.
 * Cache maintenance by VA (DC CVAC, CIVAC, IVAC, CVAU, CVAP, CVADP, IC IVAU) on the distributor,
 * the UART and an unmapped address completes without an exception, as natively.
 */
#include "libguest.h"
#include "regsweep.h"
#include "gic.h"

#define UART	   GUEST_UART_BASE
#define UART_DR	   0x000
#define UART_FR	   0x018
#define UART_CR	   0x030
#define UART_IFLS  0x034
#define UART_IMSC  0x038
#define UART_PID0  0xfe0
#define UART_CID0  0xff0
#define FR_TXFF	   (1U << 5)
#define UNMAPPED_A 0x09001000UL
#define UNMAPPED_B 0x0c000000UL

/* PeriphID0..3 then PCellID0..3; PeriphID2 is checked on its designer nibble (4) only. */
static const u8 pl011_id[8] = { 0x11, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1 };

static bool id_ok(unsigned int i, u64 v)
{
	if (i == 2)
		return (v & 0xf) == 0x4 && v < 0x100;
	return v == pl011_id[i];
}

static u64 id_off(unsigned int i)
{
	return UART_PID0 + 4 * i;
}

static void uart_wait(void)
{
	while (*(volatile u32 *)(UART + UART_FR) & FR_TXFF)
		;
}

static void test_widths(void)
{
	unsigned int bad32 = 0, bad16 = 0, bad8 = 0;

	for (unsigned int i = 0; i < 8; i++) {
		u64 base = UART + id_off(i), w, h, b;

		asm volatile("ldr %w0, [%1]" : "=r"(w) : "r"(base) : "memory");
		asm volatile("ldrh %w0, [%1]" : "=r"(h) : "r"(base) : "memory");
		asm volatile("ldrb %w0, [%1]" : "=r"(b) : "r"(base) : "memory");
		bad32 += !id_ok(i, w);
		bad16 += !id_ok(i, h);
		bad8 += !id_ok(i, b);
		if (!id_ok(i, w) || !id_ok(i, h) || !id_ok(i, b))
			report_info("ID register 0x%lx: ldr 0x%lx ldrh 0x%lx ldrb 0x%lx", id_off(i),
				    w, h, b);
	}
	report(!bad32, "ldr w: PeriphID0-3/PCellID0-3 = 11 10 x4 00 0d f0 05 b1");
	report(!bad16, "ldrh: PeriphID0-3/PCellID0-3");
	report(!bad8, "ldrb: PeriphID0-3/PCellID0-3");
}

static void test_consistency(void)
{
	u64 base = UART, cr, crh, crb, fr, frb, imsc, imscb;

	asm volatile("ldr %w0, [%6, #0x30]\n"
		     "ldrh %w1, [%6, #0x30]\n"
		     "ldrb %w2, [%6, #0x30]\n"
		     "ldr %w3, [%6, #0x18]\n"
		     "ldrb %w4, [%6, #0x18]\n"
		     "ldr %w5, [%6, #0x38]\n"
		     : "=&r"(cr), "=&r"(crh), "=&r"(crb), "=&r"(fr), "=&r"(frb), "=&r"(imsc)
		     : "r"(base)
		     : "memory");
	asm volatile("ldrb %w0, [%1, #0x38]" : "=r"(imscb) : "r"(base) : "memory");
	report_info("CR 0x%lx FR 0x%lx IMSC 0x%lx", cr, fr, imsc);
	report(crh == (cr & 0xffff) && crb == (cr & 0xff) && imscb == (imsc & 0xff) &&
		   (frb & FR_TXFF) == (fr & FR_TXFF) && cr < 0x10000 && imsc < 0x800,
	       "CR/FR/IMSC read consistently at 8/16/32 bits");
}

static void test_unscaled(void)
{
	u64 base = UART + 0x1000, w, h, b;

	asm volatile("ldur %w0, [%3, #-0x20]\n"
		     "ldurh %w1, [%3, #-0x1c]\n"
		     "ldurb %w2, [%3, #-0x10]\n"
		     : "=&r"(w), "=&r"(h), "=&r"(b)
		     : "r"(base)
		     : "memory");
	report(w == 0x11 && h == 0x10 && b == 0x0d,
	       "ldur/ldurh/ldurb negative offsets (%lx %lx %lx)", w, h, b);
}

static void test_writeback(void)
{
	u64 base = UART + UART_PID0 - 4, start, v[4], n;
	bool ok;

	start = base;
	asm volatile("ldr %w0, [%4, #4]!\n"
		     "ldr %w1, [%4, #4]!\n"
		     "ldrh %w2, [%4, #8]!\n"
		     "ldrb %w3, [%4, #4]!\n"
		     : "=&r"(v[0]), "=&r"(v[1]), "=&r"(v[2]), "=&r"(v[3]), "+r"(base)
		     :
		     : "memory");
	ok = v[0] == 0x11 && v[1] == 0x10 && v[2] == 0x00 && v[3] == 0x0d &&
	     base == start + 4 + 4 + 8 + 4;
	report(ok, "pre-index ldr/ldrh/ldrb with writeback (base +0x%lx, %lx %lx %lx %lx)",
	       base - start, v[0], v[1], v[2], v[3]);

	base = UART + UART_CID0;
	start = base;
	asm volatile("ldr %w0, [%4], #4\n"
		     "ldrb %w1, [%4], #4\n"
		     "ldrh %w2, [%4], #4\n"
		     "ldr %w3, [%4], #-0x10\n"
		     : "=&r"(v[0]), "=&r"(v[1]), "=&r"(v[2]), "=&r"(v[3]), "+r"(base)
		     :
		     : "memory");
	ok = v[0] == 0x0d && v[1] == 0xf0 && v[2] == 0x05 && v[3] == 0xb1 && base == start - 4;
	report(ok,
	       "post-index ldr/ldrb/ldrh with writeback, negative last (base %ld, %lx %lx %lx %lx)",
	       (s64)(base - start), v[0], v[1], v[2], v[3]);

	/* Writeback into the register that is also the base of the next access. */
	base = UART + 0xf00;
	n = 0;
	asm volatile("ldr %w0, [%1, #0xe4]!\n"
		     "ldr %w0, [%1, #0xc]!\n"
		     : "+r"(n), "+r"(base)
		     :
		     : "memory");
	report(n == 0x0d && base == UART + 0xff0, "chained pre-index (0x%lx at 0x%lx)", n, base);
}

static void test_register_offset(void)
{
	u64 base = UART, top = UART + 0x1000, a, b, c, d;
	u64 off = 0xfe4, idx = 0xfe8 / 4;
	u32 woff = 0xff4, wneg = (u32)-0x10;

	asm volatile("ldr %w0, [%4, %5]\n"
		     "ldr %w1, [%4, %6, lsl #2]\n"
		     "ldrb %w2, [%4, %w7, uxtw]\n"
		     "ldrh %w3, [%8, %w9, sxtw]\n"
		     : "=&r"(a), "=&r"(b), "=&r"(c), "=&r"(d)
		     : "r"(base), "r"(off), "r"(idx), "r"(woff), "r"(top), "r"(wneg)
		     : "memory");
	report(a == 0x10 && (b & 0xf) == 4 && c == 0xf0 && d == 0x0d,
	       "register offset: plain, lsl #2, uxtw, sxtw negative (%lx %lx %lx %lx)", a, b, c, d);
}

static void test_sign_extension(void)
{
	u64 base = UART, sbx, sbw, shx, swx, sbpos;

	asm volatile("ldrsb %0, [%5, #0xff4]\n"
		     "ldrsb %w1, [%5, #0xff4]\n"
		     "ldrsh %2, [%5, #0xff4]\n"
		     "ldrsw %3, [%5, #0xffc]\n"
		     "ldrsb %4, [%5, #0xff0]\n"
		     : "=&r"(sbx), "=&r"(sbw), "=&r"(shx), "=&r"(swx), "=&r"(sbpos)
		     : "r"(base)
		     : "memory");
	report((s64)sbx == -16, "ldrsb x of PCellID1 (0xf0) is -16 (0x%lx)", sbx);
	report(sbw == 0xfffffff0UL, "ldrsb w of 0xf0 is 0xfffffff0 with bits 63:32 clear (0x%lx)",
	       sbw);
	report(shx == 0xf0 && swx == 0xb1 && sbpos == 0x0d,
	       "ldrsh/ldrsw/ldrsb of non-negative values (0x%lx 0x%lx 0x%lx)", shx, swx, sbpos);
}

static void test_pairs(void)
{
	u64 base = UART + 0xf00, wb = UART + UART_CID0, start = wb, a, b, c, d, e, f;
	u64 ifls_old, imsc_old, ifls, imsc;

	asm volatile("ldp %w0, %w1, [%6, #0xe0]\n"
		     "ldp %w2, %w3, [%7], #8\n"
		     "ldpsw %4, %5, [%6, #0xf8]\n"
		     : "=&r"(a), "=&r"(b), "=&r"(c), "=&r"(d), "=&r"(e), "=&r"(f), "+r"(base),
		       "+r"(wb)
		     :
		     : "memory");
	report(a == 0x11 && b == 0x10 && c == 0x0d && d == 0xf0 && e == 0x05 && f == 0xb1 &&
		   wb == start + 8,
	       "ldp w (offset, post-index) and ldpsw: both halves (%lx %lx %lx %lx %lx %lx)", a, b,
	       c, d, e, f);

	base = UART;
	asm volatile("ldp %w0, %w1, [%2, #0x34]" : "=&r"(ifls_old), "=&r"(imsc_old) : "r"(base));
	asm volatile("stp %w1, %w2, [%0, #0x34]!"
		     : "+r"(base)
		     : "r"(0x12UL), "r"(0x50UL)
		     : "memory");
	ifls = *(volatile u32 *)(UART + UART_IFLS);
	imsc = *(volatile u32 *)(UART + UART_IMSC);
	report(ifls == 0x12 && imsc == 0x50 && base == UART + 0x34,
	       "stp w pre-index to IFLS+IMSC: both halves written (0x%lx 0x%lx)", ifls, imsc);
	base = UART;
	asm volatile("str wzr, [%0, #0x38]" : : "r"(base) : "memory");
	imsc = *(volatile u32 *)(UART + UART_IMSC);
	report(imsc == 0, "str wzr writes zero, not SP (IMSC 0x%lx)", imsc);
	*(volatile u32 *)(UART + UART_IFLS) = (u32)ifls_old;
	*(volatile u32 *)(UART + UART_IMSC) = (u32)imsc_old;
}

static void test_zero_register_load(void)
{
	u64 base = UART, sp_before, sp_after;

	asm volatile("mov %0, sp\n"
		     "ldr wzr, [%2, #0xfe0]\n"
		     "ldr wzr, [%2, #0xff0]\n"
		     "mov %1, sp\n"
		     : "=&r"(sp_before), "=&r"(sp_after)
		     : "r"(base)
		     : "memory");
	report(sp_before == sp_after, "ldr wzr from MMIO (twice) leaves SP alone");
}

static void test_readonly_write(void)
{
	u64 base = UART, v;

	asm volatile("str %w1, [%2, #0xfe0]\n"
		     "ldr %w0, [%2, #0xfe0]\n"
		     : "=&r"(v)
		     : "r"(0xaaUL), "r"(base)
		     : "memory");
	report(v == 0x11, "write to read-only PeriphID0 ignored (0x%lx)", v);
}

static void test_dr_stores(void)
{
	u64 base, dr = UART + UART_DR, off = 0;
	bool ok = true;

	puts("mmio: DR store forms: ");
	uart_wait();
	asm volatile("str %w0, [%1]" : : "r"((u64)'T'), "r"(dr) : "memory");
	uart_wait();
	asm volatile("strb %w0, [%1]" : : "r"((u64)'e'), "r"(dr) : "memory");
	uart_wait();
	asm volatile("strh %w0, [%1]" : : "r"((u64)'r'), "r"(dr) : "memory");
	uart_wait();
	base = dr - 4;
	asm volatile("str %w1, [%0, #4]!" : "+r"(base) : "r"((u64)'n') : "memory");
	ok &= base == dr;
	uart_wait();
	asm volatile("str %w1, [%0], #0x18" : "+r"(base) : "r"((u64)'-') : "memory");
	ok &= base == dr + 0x18;
	uart_wait();
	asm volatile("str %w0, [%1, %2]" : : "r"((u64)'O'), "r"(dr), "r"(off) : "memory");
	uart_wait();
	asm volatile("stur %w0, [%1, #-0x18]" : : "r"((u64)'K'), "r"(dr + 0x18) : "memory");
	uart_wait();
	puts("\n");
	report(ok, "str pre/post-index to DR updated the base");
}

static void test_unmapped(u64 addr, bool write)
{
	u64 esr = 0, far = 0, v = 0;
	bool taken;

	expect_exception(ESR_EC_DABT_CUR);
	if (write)
		asm volatile("str %w0, [%1]" : : "r"(0x5aUL), "r"(addr) : "memory");
	else
		asm volatile("ldr %w0, [%1]" : "+r"(v) : "r"(addr) : "memory");
	taken = exception_taken(&esr, &far);
	report(taken && ESR_ISS_DFSC(esr) == DFSC_SYNC_EXTERNAL && far == addr &&
		   !!(esr & ESR_ISS_WNR) == write,
	       "%s of unmapped 0x%lx: external abort in the guest (taken %d ESR 0x%lx FAR 0x%lx)",
	       write ? "write" : "read", addr, taken, esr, far);
}

/* One cache maintenance instruction on @addr; true if it raised no exception. */
#define CMO(insn, addr)                                                                            \
	({                                                                                         \
		expect_exception(EXCEPTION_ANY);                                                   \
		asm volatile(insn ", %0" : : "r"(addr) : "memory");                                \
		!exception_taken(NULL, NULL);                                                      \
	})

static void test_cache_maintenance(u64 addr, const char *what)
{
	u64 isar1 = read_sysreg(id_aa64isar1_el1);
	bool ok = CMO("dc cvac", addr) && CMO("dc civac", addr) && CMO("dc ivac", addr) &&
		  CMO("dc cvau", addr) && CMO("ic ivau", addr);

	/* DC CVAP with FEAT_DPB, DC CVADP with FEAT_DPB2 (by encoding: the names need them). */
	if (FIELD(isar1, 3, 0) >= 1)
		ok = ok && CMO("sys #3, c7, c12, #1", addr);
	if (FIELD(isar1, 3, 0) >= 2)
		ok = ok && CMO("sys #3, c7, c13, #1", addr);
	report(ok, "cache maintenance by VA on %s 0x%lx: no exception (DPB %lu)", what, addr,
	       FIELD(isar1, 3, 0));
}

/*
 * Every data register, W and X, loads and stores, sign extension, XZR: each access with all of
 * x0-x30 set (lib/regsweep.h), the base in x17 (x16 when the data register is x17). Tern handles
 * a syndrome-described load (ISV = 1) whose register is not one of x19-x28 on its exit fast path,
 * with those registers live; a syndrome-described store of any register gets that register's
 * value handed over by the exit vector, x19-x28 live too (STLR, whose syndrome has AR set, takes
 * the decoder's path with that value); the others take the full exit: each must write exactly
 * the register named, zero- or sign-extended, and leave every other register alone.
 */
asm(REGSWEEP_MACROS
    ".irp n, " REGSWEEP_REGS "\n"
    "regsweep_begin mmio_sweep_ldr_w\\n\n"
    ".if \\n == 17\n ldr w\\n, [x16, #0xfe0]\n.else\n ldr w\\n, [x17, #0xfe0]\n.endif\n"
    "regsweep_end\n"
    "regsweep_begin mmio_sweep_ldrsb_x\\n\n"
    ".if \\n == 17\n ldrsb x\\n, [x16, #0xff4]\n.else\n ldrsb x\\n, [x17, #0xff4]\n.endif\n"
    "regsweep_end\n"
    "regsweep_begin mmio_sweep_ldrsh_w\\n\n"
    ".if \\n == 17\n ldrsh w\\n, [x16, #0xff4]\n.else\n ldrsh w\\n, [x17, #0xff4]\n.endif\n"
    "regsweep_end\n"
    "regsweep_begin mmio_sweep_ldr_x\\n\n"
    ".if \\n == 17\n ldr x\\n, [x16, #8]\n.else\n ldr x\\n, [x17, #8]\n.endif\n"
    "regsweep_end\n"
    "regsweep_begin mmio_sweep_str_w\\n\n"
    ".if \\n == 17\n str w\\n, [x16, #0x34]\n.else\n str w\\n, [x17, #0x34]\n.endif\n"
    "regsweep_end\n"
    "regsweep_begin mmio_sweep_strb\\n\n"
    ".if \\n == 17\n strb w\\n, [x16, #0x34]\n.else\n strb w\\n, [x17, #0x34]\n.endif\n"
    "regsweep_end\n"
    "regsweep_begin mmio_sweep_stlr\\n\n"
    ".if \\n == 17\n stlr w\\n, [x16]\n.else\n stlr w\\n, [x17]\n.endif\n"
    "regsweep_end\n"
    ".endr\n"
    "regsweep_begin mmio_sweep_ldr_wzr\n ldr wzr, [x17, #0xfe0]\n regsweep_end\n"
    "regsweep_begin mmio_sweep_str_wzr\n str wzr, [x17, #0x34]\n regsweep_end\n"
    "regsweep_begin mmio_sweep_strb_wzr\n strb wzr, [x17, #0x34]\n regsweep_end\n"
    "regsweep_begin mmio_sweep_stlr_wzr\n stlr wzr, [x17]\n regsweep_end\n"
    ".pushsection .rodata\n.balign 8\n"
    "mmio_sweeps:\n"
    ".irp f, ldr_w, ldrsb_x, ldrsh_w, ldr_x, str_w, strb, stlr\n"
    ".irp n, " REGSWEEP_REGS "\n .quad mmio_sweep_\\f\\n\n.endr\n"
    ".endr\n"
    ".popsection\n");

enum mmio_sweep_kind {
	SW_LDR_W,
	SW_LDRSB_X,
	SW_LDRSH_W,
	SW_LDR_X,
	SW_STR_W,
	SW_STRB,
	SW_STLR,
	SW_NR
};
typedef void (*sweep_fn)(struct regsweep *s);
extern const sweep_fn mmio_sweeps[SW_NR][31];
void mmio_sweep_ldr_wzr(struct regsweep *s);
void mmio_sweep_str_wzr(struct regsweep *s);
void mmio_sweep_strb_wzr(struct regsweep *s);
void mmio_sweep_stlr_wzr(struct regsweep *s);

static struct regsweep sweep;
static u64 sweep_gicr = GICR_BASE;

#define UART_IFLS_MASK 0x3fUL

/* One sweep of @kind through register @n (31: XZR, by @zr_fn): whether all registers are right. */
static bool mmio_sweep_one(unsigned int kind, unsigned int n, sweep_fn zr_fn)
{
	bool store = kind == SW_STR_W || kind == SW_STRB || kind == SW_STLR;
	/* STLR has no offset: its base is IFLS itself. */
	u64 base = kind == SW_LDR_X ? sweep_gicr : kind == SW_STLR ? UART + UART_IFLS : UART;
	unsigned int base_reg = n == 17 ? 16 : 17;
	u64 want = 0, got = 0;

	regsweep_fill(&sweep, n);
	sweep.x[base_reg] = base;
	if (store)
		*(volatile u32 *)(UART + UART_IFLS) = (u32)UART_IFLS_MASK;
	(n == 31 ? zr_fn : mmio_sweeps[kind][n])(&sweep);
	switch (kind) {
	case SW_LDR_W:
		want = 0x11; /* PeriphID0, zero-extended to 64 bits */
		break;
	case SW_LDRSB_X:
		want = (u64)-16; /* PCellID1 0xf0 */
		break;
	case SW_LDRSH_W:
		want = 0xf0; /* a positive halfword: bits 63:16 zero */
		break;
	case SW_LDR_X:
		want = *(volatile u64 *)(sweep_gicr + 8); /* GICR_TYPER */
		break;
	default:
		want = n == 31 ? 0 : regsweep_pattern(n, n) & UART_IFLS_MASK;
		got = *(volatile u32 *)(UART + UART_IFLS);
		break;
	}
	if (!store && n < 31)
		got = sweep.x[n];
	else if (!store)
		want = got; /* XZR: the data goes nowhere, every register must stay */
	if (got == want && !regsweep_changed(&sweep, n, n < 31 && !store ? n : 31, base_reg) &&
	    sweep.x[base_reg] == base)
		return true;
	report_info("sweep %u through x%u: 0x%lx, want 0x%lx; %u other registers changed", kind, n,
		    got, want, regsweep_changed(&sweep, n, n < 31 && !store ? n : 31, base_reg));
	return false;
}

static void test_register_sweep(void)
{
	static const char *const names[SW_NR] = {
		"ldr w (PeriphID0)", "ldrsb x (PCellID1, -16)",
		"ldrsh w (0xf0)",    "ldr x (GICR_TYPER)",
		"str w (IFLS)",	     "strb (IFLS)",
		"stlr w (IFLS)",
	};
	static const sweep_fn zr[SW_NR] = {
		mmio_sweep_ldr_wzr, NULL, NULL, NULL, mmio_sweep_str_wzr, mmio_sweep_strb_wzr,
		mmio_sweep_stlr_wzr
	};
	u32 ifls_old = *(volatile u32 *)(UART + UART_IFLS);

	/* 64-bit loads need a 64-bit register: GICR_TYPER, so a GICv3 (PIDR2.ArchRev 3 or 4). */
	bool gicv3 = ((*(volatile u32 *)(GICD_BASE + GICD_PIDR2) >> 4) & 0xf) >= 3;

	/* vCPU 1's redistributor, when there is one: its affinity makes bits 63:32 non-zero. */
	if (gicv3 && !(*(volatile u64 *)(GICR_BASE + 8) & (GICR_TYPER_LAST | GICR_TYPER_VLPIS)))
		sweep_gicr = GICR_BASE + GICR_FRAME_SIZE;
	if (gicv3)
		report_info("GICR_TYPER at 0x%lx: 0x%lx", sweep_gicr,
			    *(volatile u64 *)(sweep_gicr + 8));

	for (unsigned int kind = 0; kind < SW_NR; kind++) {
		unsigned int bad = 0, last = zr[kind] ? 31 : 30;

		if (kind == SW_LDR_X && !gicv3) {
			report_skip("%s through every register: no GICv3 redistributor",
				    names[kind]);
			continue;
		}

		for (unsigned int n = 0; n <= last; n++)
			bad += !mmio_sweep_one(kind, n, zr[kind]);
		report(!bad, "%s through every register x0-x30%s: right value, others untouched",
		       names[kind], zr[kind] ? " and XZR" : "");
	}
	*(volatile u32 *)(UART + UART_IFLS) = ifls_old;
}

int main(void)
{
	report_prefix("mmio");
	test_widths();
	test_consistency();
	test_unscaled();
	test_writeback();
	test_register_offset();
	test_sign_extension();
	test_pairs();
	test_zero_register_load();
	test_readonly_write();
	test_dr_stores();
	test_unmapped(UNMAPPED_A, false);
	test_unmapped(UNMAPPED_A, true);
	test_unmapped(UNMAPPED_B, false);
	test_unmapped(UNMAPPED_B, true);
	test_cache_maintenance(GICD_BASE, "the GIC distributor");
	test_cache_maintenance(UART + UART_DR, "the UART");
	test_cache_maintenance(UNMAPPED_B, "a hole");
	test_register_sweep();
	return 0;
}
