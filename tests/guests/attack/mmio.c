// SPDX-License-Identifier: GPL-2.0-only
/*
 * MMIO decode edge cases on the emulated PL011 (and the GIC distributor): every load/store form
 * a guest can aim at a device - sizes, sign extension, pre/post-index writeback, register
 * offsets, pairs, exclusives, acquire/release, atomics, SIMD/FP, unaligned, across a page, XZR,
 * Rn == Rt - gets either the architected result (the value, the writeback) or an abort in the
 * guest, never a wrong value silently.
 */
#include "attack.h"

#define U	    GUEST_UART_BASE
#define UART_IBRD   0x24
#define UART_FBRD   0x28
#define UART_PID0   0xfe0
#define UART_CID0   0xff0 /* 0x0d */
#define UART_CID1   0xff4 /* 0xf0 */
#define UART_FR	    0x18
#define UART_UNIMPL 0x100

/* Run an inline access under an armed handler: @ok when it completed, @ab when it aborted. */
#define TRY(asmstr, ...)                                                                           \
	({                                                                                         \
		u64 __esr = 0;                                                                     \
		expect_exception(EXCEPTION_ANY);                                                   \
		asm volatile(asmstr __VA_ARGS__);                                                  \
		exception_taken(&__esr, NULL) ? (esr_is_dabt(__esr) ? 1 : 2) : 0;                  \
	})

static void ibrd_set(u32 v)
{
	*(volatile u32 *)(U + UART_IBRD) = v;
}

static u32 ibrd_get(void)
{
	return *(volatile u32 *)(U + UART_IBRD);
}

static bool ldrb_id(void)
{
	u64 v = 0;

	return !TRY("ldrb %w0, [%1]", : "+r"(v) : "r"(U + UART_PID0) : "memory") && v == 0x11;
}

static bool ldrh_id(void)
{
	u64 v = 0;

	return !TRY("ldrh %w0, [%1]", : "+r"(v) : "r"(U + UART_PID0) : "memory") && v == 0x11;
}

static bool ldr_w_id(void)
{
	u64 v = ~0UL;

	return !TRY("ldr %w0, [%1]", : "+r"(v) : "r"(U + UART_CID0) : "memory") && v == 0x0d;
}

static bool ldr_x_uart(void)
{
	/* The PL011 has no 64-bit registers: an abort, not half of a value. */
	u64 v = 0x77;

	return TRY("ldr %0, [%1]", : "+r"(v) : "r"(U + UART_CID0) : "memory") == 1 && v == 0x77;
}

static bool ldrsb_w(void)
{
	u64 v = 0;

	return !TRY("ldrsb %w0, [%1]",
		    : "+r"(v)
		    : "r"(U + UART_CID1)
		    : "memory") &&
	       v == 0xfffffff0UL;
}

static bool ldrsb_x(void)
{
	u64 v = 0;

	return !TRY("ldrsb %0, [%1]",
		    : "+r"(v)
		    : "r"(U + UART_CID1)
		    : "memory") &&
	       v == 0xfffffffffffffff0UL;
}

static bool ldrsh_x(void)
{
	u64 v = 0;

	ibrd_set(0x8001);
	return !TRY("ldrsh %0, [%1]",
		    : "+r"(v)
		    : "r"(U + UART_IBRD)
		    : "memory") &&
	       v == 0xffffffffffff8001UL;
}

static bool ldrsh_w(void)
{
	u64 v = 0;

	ibrd_set(0x8002);
	return !TRY("ldrsh %w0, [%1]",
		    : "+r"(v)
		    : "r"(U + UART_IBRD)
		    : "memory") &&
	       v == 0xffff8002UL;
}

static bool ldrsw_gicd(void)
{
	/* IROUTER's low word with IRM (bit 31) set: LDRSW must sign-extend it. */
	u64 reg = GICD_BASE + GICD_IROUTER(33), v = 0, saved;

	if (!attack_have_gic)
		return true;
	saved = *(volatile u64 *)reg;
	*(volatile u32 *)reg = 0x80000000U;
	if (TRY("ldrsw %0, [%1]", : "+r"(v) : "r"(reg) : "memory"))
		return false;
	*(volatile u64 *)reg = saved;
	return v == 0xffffffff80000000UL;
}

static bool strb_strh_str(void)
{
	bool ok = true;

	ibrd_set(0);
	ok &= !TRY("strb %w0, [%1]", ::"r"(0x1ab), "r"(U + UART_IBRD)
		   : "memory") &&
	      ibrd_get() == 0xab;
	ok &= !TRY("strh %w0, [%1]", ::"r"(0x1234), "r"(U + UART_IBRD)
		   : "memory") &&
	      ibrd_get() == 0x1234;
	ok &= !TRY("str %w0, [%1]", ::"r"(0xffff4321), "r"(U + UART_IBRD)
		   : "memory") &&
	      ibrd_get() == 0x4321;
	return ok;
}

static bool str_x_uart(void)
{
	ibrd_set(0x11);
	return TRY("str %0, [%1]", ::"r"(0x2222UL), "r"(U + UART_IBRD)
		   : "memory") == 1 &&
	       ibrd_get() == 0x11;
}

static bool pre_index(void)
{
	u64 base = U + 0xf00, v = 0;

	return !TRY("ldr %w0, [%1, #0xf0]!",
		    : "+r"(v), "+r"(base)::"memory") &&
	       v == 0x0d && base == U + UART_CID0;
}

static bool post_index(void)
{
	u64 base = U + UART_CID0, v = 0;

	return !TRY("ldr %w0, [%1], #4",
		    : "+r"(v), "+r"(base)::"memory") &&
	       v == 0x0d && base == U + UART_CID1;
}

static bool store_post_index(void)
{
	u64 base = U + UART_IBRD;

	return !TRY("str %w1, [%0], #-4",
		    : "+r"(base)
		    : "r"(0x55)
		    : "memory") &&
	       base == U + UART_IBRD - 4 && ibrd_get() == 0x55;
}

static bool reg_offset(void)
{
	u64 v = 0;

	return !TRY("ldr %w0, [%1, %2]",
		    : "+r"(v)
		    : "r"(U), "r"((u64)UART_CID1)
		    : "memory") &&
	       v == 0xf0;
}

static bool reg_offset_extended(void)
{
	u64 v = 0;

	return !TRY("ldr %w0, [%1, %w2, uxtw #2]",
		    : "+r"(v)
		    : "r"(U), "r"(UART_CID0 / 4)
		    : "memory") &&
	       v == 0x0d;
}

static bool reg_offset_negative(void)
{
	u64 v = 0;

	return !TRY("ldr %w0, [%1, %2, sxtx]",
		    : "+r"(v)
		    : "r"(U + 0x1000), "r"(-16L)
		    : "memory") &&
	       v == 0x0d;
}

static bool ldur_negative(void)
{
	u64 v = 0;

	return !TRY("ldur %w0, [%1, #-12]", : "+r"(v) : "r"(U + 0x1000) : "memory") && v == 0xf0;
}

static bool ldp_w(void)
{
	u64 a = 0, b = 0;

	return !TRY("ldp %w0, %w1, [%2]",
		    : "+r"(a), "+r"(b)
		    : "r"(U + UART_CID0)
		    : "memory") &&
	       a == 0x0d && b == 0xf0;
}

static bool ldp_x_uart(void)
{
	u64 a = 1, b = 2;

	return TRY("ldp %0, %1, [%2]",
		   : "+r"(a), "+r"(b)
		   : "r"(U + UART_CID0)
		   : "memory") == 1 &&
	       a == 1 && b == 2;
}

static bool ldp_x_gicd(void)
{
	/* IROUTER of the UART's SPI 33 and of SPI 34, which is not this VM's (reads as 0). */
	u64 a = 1, b = 2, reg = GICD_BASE + GICD_IROUTER(33), saved;
	bool ok;

	if (!attack_have_gic)
		return true;
	saved = *(volatile u64 *)reg;
	*(volatile u64 *)reg = 0x0102;
	ok = !TRY("ldp %0, %1, [%2]",
		  : "+r"(a), "+r"(b)
		  : "r"(reg)
		  : "memory") &&
	     a == 0x0102 && b == 0;
	*(volatile u64 *)reg = saved;
	return ok;
}

static bool ldpsw(void)
{
	u64 a = 0, b = 0;

	return !TRY("ldpsw %0, %1, [%2]",
		    : "+r"(a), "+r"(b)
		    : "r"(U + UART_CID0)
		    : "memory") &&
	       a == 0x0d && b == 0xf0;
}

static bool stp_w(void)
{
	bool ok = !TRY("stp %w0, %w1, [%2]", ::"r"(0x21), "r"(0x2a), "r"(U + UART_IBRD) : "memory");

	return ok && ibrd_get() == 0x21 && *(volatile u32 *)(U + UART_FBRD) == 0x2a;
}

static bool ldp_pre_index(void)
{
	u64 a = 0, b = 0, base = U + UART_CID0 - 8;

	return !TRY("ldp %w0, %w1, [%2, #8]!",
		    : "+r"(a), "+r"(b), "+r"(base)::"memory") &&
	       a == 0x0d && b == 0xf0 && base == U + UART_CID0;
}

static bool ldp_post_index(void)
{
	u64 a = 0, b = 0, base = U + UART_CID0;

	return !TRY("ldp %w0, %w1, [%2], #-16",
		    : "+r"(a), "+r"(b), "+r"(base)::"memory") &&
	       a == 0x0d && b == 0xf0 && base == U + UART_CID0 - 16;
}

static bool ldnp(void)
{
	u64 a = 0, b = 0;

	return !TRY("ldnp %w0, %w1, [%2]",
		    : "+r"(a), "+r"(b)
		    : "r"(U + UART_CID0)
		    : "memory") &&
	       a == 0x0d && b == 0xf0;
}

static bool ldp_across_page(void)
{
	/* The second word is at 0x09001000, outside the device: an abort, nothing loaded. */
	u64 a = 5, b = 6;

	return TRY("ldp %w0, %w1, [%2]",
		   : "+r"(a), "+r"(b)
		   : "r"(U + 0xffc)
		   : "memory") == 1 &&
	       a == 5 && b == 6;
}

static bool stp_across_page(void)
{
	ibrd_set(0x33);
	return TRY("stp %w0, %w1, [%2]", ::"r"(1), "r"(2), "r"(U + 0xffc)
		   : "memory") == 1 &&
	       ibrd_get() == 0x33;
}

static bool ldxr(void)
{
	u64 v = 0x99;
	int r = TRY("ldxr %w0, [%1]", : "+r"(v) : "r"(U + UART_CID0) : "memory");

	return (r == 1 && v == 0x99) || (r == 0 && v == 0x0d);
}

static bool stxr(void)
{
	u64 st = 9;
	int r;

	ibrd_set(0x44);
	r = TRY("stxr %w0, %w1, [%2]", : "+r"(st) : "r"(0x66), "r"(U + UART_IBRD) : "memory");
	return (r == 1 && ibrd_get() == 0x44) || (r == 0 && st <= 1);
}

static bool ldaxp(void)
{
	u64 a = 3, b = 4;
	int r = TRY("ldaxp %w0, %w1, [%2]", : "+r"(a), "+r"(b) : "r"(U + UART_CID0) : "memory");

	return (r == 1 && a == 3 && b == 4) || (r == 0 && a == 0x0d && b == 0xf0);
}

static bool ldar(void)
{
	u64 v = 0;

	return !TRY("ldar %w0, [%1]", : "+r"(v) : "r"(U + UART_CID0) : "memory") && v == 0x0d;
}

static bool stlr(void)
{
	return !TRY("stlr %w0, [%1]", ::"r"(0x77), "r"(U + UART_IBRD)
		    : "memory") &&
	       ibrd_get() == 0x77;
}

static bool ldapr(void)
{
	u64 v = 0x5;
	int r = TRY(".arch_extension rcpc\n\tldapr %w0, [%1]",
		    : "+r"(v)
		    : "r"(U + UART_CID0)
		    : "memory");

	if (!attack_has_rcpc())
		return r == 2 && v == 0x5; /* UNDEFINED */
	return (r == 0 && v == 0x0d) || (r == 1 && v == 0x5);
}

static bool ldadd(void)
{
	u64 v = 0x5;
	int r;

	ibrd_set(0x10);
	r = TRY(".arch_extension lse\n\tldadd %w1, %w0, [%2]",
		: "+r"(v)
		: "r"(1), "r"(U + UART_IBRD)
		: "memory");
	/* Emulated atomically, or refused: never a half-done read-modify-write. */
	if (!attack_has_lse())
		return r == 2 && ibrd_get() == 0x10; /* UNDEFINED */
	return (r == 1 && ibrd_get() == 0x10) || (r == 0 && v == 0x10 && ibrd_get() == 0x11);
}

static bool swp(void)
{
	u64 v = 0x5;
	int r;

	ibrd_set(0x20);
	r = TRY(".arch_extension lse\n\tswp %w1, %w0, [%2]",
		: "+r"(v)
		: "r"(0x21), "r"(U + UART_IBRD)
		: "memory");
	if (!attack_has_lse())
		return r == 2 && ibrd_get() == 0x20;
	return (r == 1 && ibrd_get() == 0x20) || (r == 0 && v == 0x20 && ibrd_get() == 0x21);
}

static bool cas(void)
{
	u64 v = 0x30;
	int r;

	ibrd_set(0x30);
	r = TRY(".arch_extension lse\n\tcas %w0, %w1, [%2]",
		: "+r"(v)
		: "r"(0x31), "r"(U + UART_IBRD)
		: "memory");
	if (!attack_has_lse())
		return r == 2 && ibrd_get() == 0x30;
	return (r == 1 && ibrd_get() == 0x30) || (r == 0 && ibrd_get() == 0x31);
}

static void fp_on(void)
{
	write_sysreg(read_sysreg(cpacr_el1) | (3UL << 20), cpacr_el1);
	isb();
}

static bool ldr_q(void)
{
	int r;

	fp_on();
	r = TRY("ldr q0, [%0]", ::"r"(U + UART_CID0) : "memory");
	return r == 1 || r == 0;
}

static bool ld1_simd(void)
{
	int r;

	fp_on();
	r = TRY("ld1 {v1.16b}, [%0]", ::"r"(U + UART_CID0) : "memory");
	return r == 1 || r == 0;
}

static bool ldr_s(void)
{
	u64 v = 0;
	int r;

	fp_on();
	r = TRY("ldr s2, [%1]\n\tfmov %w0, s2", : "+r"(v) : "r"(U + UART_CID0) : "memory");
	return r == 1 || (r == 0 && v == 0x0d);
}

static bool str_d(void)
{
	int r;

	fp_on();
	ibrd_set(0x12);
	r = TRY("fmov d3, %0\n\tstr d3, [%1]", ::"r"(0x99UL), "r"(U + UART_IBRD) : "memory");
	return r == 1 || r == 0;
}

static bool unaligned_word(void)
{
	u64 v = 0;

	return TRY("ldr %w0, [%1]", : "+r"(v) : "r"(U + UART_IBRD + 2) : "memory") == 1;
}

static bool unaligned_half(void)
{
	return TRY("strh %w0, [%1]", ::"r"(1), "r"(U + UART_IBRD + 1) : "memory") == 1;
}

static bool dc_zva_uart(void)
{
	return TRY("dc zva, %0", ::"r"(U) : "memory") == 1;
}

static bool store_xzr(void)
{
	ibrd_set(0x5);
	return !TRY("str wzr, [%0]", ::"r"(U + UART_IBRD) : "memory") && ibrd_get() == 0;
}

static bool load_xzr(void)
{
	return !TRY("ldr wzr, [%0]", ::"r"(U + UART_CID0) : "memory");
}

static bool rn_is_rt(void)
{
	/* CONSTRAINED UNPREDICTABLE: any of the allowed outcomes, but Tern stays up. */
	u64 base = U + UART_CID0 - 4;
	int r = TRY("ldr %w0, [%0, #4]!", : "+r"(base)::"memory");

	return r != 2;
}

static bool unimplemented_offset(void)
{
	u64 v = 0x3;
	int r = TRY("ldr %w0, [%1]", : "+r"(v) : "r"(U + UART_UNIMPL) : "memory");

	return (r == 0 && v == 0) || r == 1;
}

static bool byte_to_gicd_ctlr(void)
{
	u64 v = 0;
	int r;

	if (!attack_have_gic)
		return true;
	r = TRY("ldrb %w0, [%1]", : "+r"(v) : "r"(GICD_BASE + GICD_CTLR) : "memory");
	return r != 2;
}

static bool ldtr(void)
{
	u64 v = 0x4;
	int r = TRY("ldtr %w0, [%1]", : "+r"(v) : "r"(U + UART_CID0) : "memory");

	return (r == 0 && v == 0x0d) || (r == 1 && v == 0x4);
}

static bool prfm(void)
{
	return !TRY("prfm pldl1keep, [%0]", ::"r"(U) : "memory");
}

static bool stur_negative(void)
{
	return !TRY("stur %w0, [%1, #-4]", ::"r"(0x3c), "r"(U + UART_FBRD)
		    : "memory") &&
	       ibrd_get() == 0x3c;
}

ATTACK_TABLE(
    mmio, { "LDRB", ldrb_id }, { "LDRH", ldrh_id }, { "LDR W", ldr_w_id },
    { "LDR X on a 32-bit device", ldr_x_uart }, { "LDRSB W", ldrsb_w }, { "LDRSB X", ldrsb_x },
    { "LDRSH X", ldrsh_x }, { "LDRSH W", ldrsh_w }, { "LDRSW (GICD_IROUTER)", ldrsw_gicd },
    { "STRB/STRH/STR W", strb_strh_str }, { "STR X on a 32-bit device", str_x_uart },
    { "LDR pre-index writeback", pre_index }, { "LDR post-index writeback", post_index },
    { "STR post-index negative writeback", store_post_index },
    { "LDR register offset", reg_offset }, { "LDR register offset UXTW #2", reg_offset_extended },
    { "LDR register offset negative", reg_offset_negative },
    { "LDUR negative offset", ldur_negative }, { "STUR negative offset", stur_negative },
    { "LDP W", ldp_w }, { "LDP X on a 32-bit device", ldp_x_uart },
    { "LDP X (GICD_IROUTER)", ldp_x_gicd }, { "LDPSW", ldpsw }, { "STP W", stp_w },
    { "LDP pre-index", ldp_pre_index }, { "LDP post-index", ldp_post_index }, { "LDNP", ldnp },
    { "LDP across a page", ldp_across_page }, { "STP across a page", stp_across_page },
    { "LDXR", ldxr }, { "STXR", stxr }, { "LDAXP", ldaxp }, { "LDAR", ldar }, { "STLR", stlr },
    { "LDAPR", ldapr }, { "LDADD", ldadd }, { "SWP", swp }, { "CAS", cas }, { "LDR Q", ldr_q },
    { "LD1 SIMD", ld1_simd }, { "LDR S", ldr_s }, { "STR D", str_d },
    { "unaligned LDR W", unaligned_word }, { "unaligned STRH", unaligned_half },
    { "DC ZVA on the UART", dc_zva_uart }, { "STR WZR", store_xzr }, { "LDR WZR", load_xzr },
    { "LDR writeback Rn == Rt", rn_is_rt }, { "unimplemented UART offset", unimplemented_offset },
    { "byte access to GICD_CTLR", byte_to_gicd_ctlr }, { "LDTR", ldtr }, { "PRFM", prfm });
