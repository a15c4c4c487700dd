// SPDX-License-Identifier: GPL-2.0-only
/*
 * System registers as Tern presents them: sanitised ID registers (no SVE, SME, MTE, AMU, RAS,
 * SPE or TRBE advertised, a PMUv3p1 or none), a sane MIDR/MPIDR, and EL1/EL0 state that survives
 * thousands of traps to EL2 (HVC calls and MMIO reads of the emulated UART) untouched.
 */
#include "libguest.h"
#include "regsweep.h"

#define NR_TRAPS 10000
#define UART_FR	 (GUEST_UART_BASE + 0x18)

/* By encoding: older assemblers do not know every name. */
#define ID_AA64PFR0_EL1 s3_0_c0_c4_0
#define ID_AA64PFR1_EL1 s3_0_c0_c4_1
#define ID_AA64DFR0_EL1 s3_0_c0_c5_0

struct el1_reg {
	const char *name;
	u64 pattern;
	/* Fully writable: the read-back must equal the pattern, not only stay stable. */
	bool exact;
};

/* What each register read right after the write: what it must still read after the traps. */
static u64 written[19];

static struct el1_reg regs[] = {
	{ "TPIDR_EL1", 0x1122334455667788UL, true },
	{ "TPIDR_EL0", 0x8877665544332211UL, true },
	{ "TPIDRRO_EL0", 0x0123456789abcdefUL, true },
	{ "SP_EL0", 0x00000000deadbee0UL, true },
	{ "CONTEXTIDR_EL1", 0x5a5a1234UL, true },
	{ "MAIR_EL1", 0x000000ff440c0400UL, true },
	{ "TCR_EL1", 0x00000005b5193519UL, false },
	{ "TTBR0_EL1", 0x0001000041234000UL, false },
	{ "TTBR1_EL1", 0x0002000042345000UL, false },
	{ "AMAIR_EL1", 0x0000000000004444UL, false },
	{ "PAR_EL1", 0x0000000012345000UL, false },
	{ "CNTKCTL_EL1", 0x2a3UL, false },
	{ "ESR_EL1", 0x96000045UL, false },
	{ "FAR_EL1", 0xfeedfacecafef00dUL, true },
	{ "ELR_EL1", 0x0000000040001234UL, true },
	{ "SPSR_EL1", 0x3c5UL, false },
	{ "AFSR0_EL1", 0x1234UL, false },
	{ "AFSR1_EL1", 0x5678UL, false },
	{ "CSSELR_EL1", 0x2UL, false },
};

/* msr/mrs need the register name in the instruction: one switch instead of 19 helpers. */
#define REG_CASE(i, r)                                                                             \
	case i:                                                                                    \
		if (write)                                                                         \
			write_sysreg(v, r);                                                        \
		else                                                                               \
			v = read_sysreg(r);                                                        \
		break

static u64 reg_access(unsigned int i, bool write, u64 v)
{
	switch (i) {
		REG_CASE(0, tpidr_el1);
		REG_CASE(1, tpidr_el0);
		REG_CASE(2, tpidrro_el0);
		REG_CASE(3, sp_el0);
		REG_CASE(4, contextidr_el1);
		REG_CASE(5, mair_el1);
		REG_CASE(6, tcr_el1);
		REG_CASE(7, ttbr0_el1);
		REG_CASE(8, ttbr1_el1);
		REG_CASE(9, amair_el1);
		REG_CASE(10, par_el1);
		REG_CASE(11, cntkctl_el1);
		REG_CASE(12, esr_el1);
		REG_CASE(13, far_el1);
		REG_CASE(14, elr_el1);
		REG_CASE(15, spsr_el1);
		REG_CASE(16, afsr0_el1);
		REG_CASE(17, afsr1_el1);
		REG_CASE(18, csselr_el1);
	}
	return v;
}

static void test_id_registers(void)
{
	u64 pfr0 = read_sysreg(ID_AA64PFR0_EL1);
	u64 pfr1 = read_sysreg(ID_AA64PFR1_EL1);
	u64 dfr0 = read_sysreg(ID_AA64DFR0_EL1);
	u64 midr = read_sysreg(midr_el1);
	u64 mpidr = read_sysreg(mpidr_el1);
	u64 pmuver = FIELD(dfr0, 11, 8);

	report_info("ID_AA64PFR0 0x%lx PFR1 0x%lx DFR0 0x%lx MIDR 0x%lx MPIDR 0x%lx", pfr0, pfr1,
		    dfr0, midr, mpidr);
	report(FIELD(pfr0, 35, 32) == 0, "ID_AA64PFR0_EL1.SVE hidden (%lu)", FIELD(pfr0, 35, 32));
	report(FIELD(pfr0, 47, 44) == 0, "ID_AA64PFR0_EL1.AMU hidden (%lu)", FIELD(pfr0, 47, 44));
	report(FIELD(pfr0, 31, 28) == 0, "ID_AA64PFR0_EL1.RAS hidden (%lu)", FIELD(pfr0, 31, 28));
	report(FIELD(pfr1, 11, 8) == 0, "ID_AA64PFR1_EL1.MTE hidden (%lu)", FIELD(pfr1, 11, 8));
	report(FIELD(pfr1, 27, 24) == 0, "ID_AA64PFR1_EL1.SME hidden (%lu)", FIELD(pfr1, 27, 24));
	/* Tern passes a PMUv3p1 or later (it keeps guests from counting at EL2), else none. */
	report(pmuver == 0 || (pmuver >= 4 && pmuver != 0xf),
	       "ID_AA64DFR0_EL1.PMUVer none or PMUv3p1+, the guest's own (%lu)", pmuver);
	report(FIELD(dfr0, 47, 44) == 0, "ID_AA64DFR0_EL1.TraceBuffer hidden (%lu)",
	       FIELD(dfr0, 47, 44));
	report(FIELD(dfr0, 35, 32) == 0, "ID_AA64DFR0_EL1.PMSVer hidden (%lu)",
	       FIELD(dfr0, 35, 32));
	report(midr != 0, "MIDR_EL1 non-zero (0x%lx)", midr);
	report((mpidr & 0xff) == 0 && (mpidr & (1UL << 31)),
	       "MPIDR_EL1 of vCPU 0: Aff0 0 and bit 31 set (0x%lx)", mpidr);
}

static unsigned int check_regs(bool log)
{
	unsigned int bad = 0;

	for (unsigned int i = 0; i < ARRAY_SIZE(regs); i++) {
		u64 v = reg_access(i, false, 0);

		if (v != written[i]) {
			bad++;
			if (log)
				report_info("%s changed: 0x%lx -> 0x%lx", regs[i].name, written[i],
					    v);
		}
	}
	return bad;
}

/*
 * The same ID register read into x0, x3, x4, x17, x30 and XZR: Tern may answer ID reads before
 * saving the guest's registers, and must write exactly the register the instruction names.
 */
static void test_id_read_registers(void)
{
	u64 v0, v3, v4, v17, v30, canary = 0x5a5a5a5a5a5a5a5aUL, c1 = canary, c2 = canary;

	__asm__ __volatile__("mov x1, %[c]\n\t"
			     "mov x2, %[c]\n\t"
			     "mrs x0, id_aa64pfr0_el1\n\t"
			     "mrs x3, id_aa64pfr0_el1\n\t"
			     "mrs x4, id_aa64pfr0_el1\n\t"
			     "mrs x17, id_aa64pfr0_el1\n\t"
			     "mrs x30, id_aa64pfr0_el1\n\t"
			     "mrs xzr, id_aa64pfr0_el1\n\t"
			     "mov %[v0], x0\n\t"
			     "mov %[v3], x3\n\t"
			     "mov %[v4], x4\n\t"
			     "mov %[v17], x17\n\t"
			     "mov %[v30], x30\n\t"
			     "mov %[c1], x1\n\t"
			     "mov %[c2], x2"
			     : [v0] "=r"(v0), [v3] "=r"(v3), [v4] "=r"(v4), [v17] "=r"(v17),
			       [v30] "=r"(v30), [c1] "+r"(c1), [c2] "+r"(c2)
			     : [c] "r"(canary)
			     : "x0", "x1", "x2", "x3", "x4", "x17", "x30", "memory");
	report(v0 == v3 && v3 == v4 && v4 == v17 && v17 == v30 &&
		   v0 == read_sysreg(id_aa64pfr0_el1),
	       "ID_AA64PFR0_EL1 reads the same into x0, x3, x4, x17, x30 (0x%lx)", v0);
	report(c1 == canary && c2 == canary, "registers next to the destination kept (0x%lx 0x%lx)",
	       c1, c2);
}

static void test_el1_state(void)
{
	volatile u32 *fr = (volatile u32 *)UART_FR;
	u64 vbar = read_sysreg(vbar_el1);
	u64 sctlr = read_sysreg(sctlr_el1);
	unsigned int inexact = 0, bad = 0;
	u64 ver = 0;

	/*
	 * ELR/SPSR/ESR/FAR_EL1 only change on an exception taken to EL1, and none is taken here:
	 * HVC and stage-2 faults go to EL2. So the state must survive the traps bit for bit.
	 */
	for (unsigned int i = 0; i < ARRAY_SIZE(regs); i++) {
		reg_access(i, true, regs[i].pattern);
		isb();
		written[i] = reg_access(i, false, 0);
		if (regs[i].exact && written[i] != regs[i].pattern) {
			inexact++;
			report_info("%s reads 0x%lx after writing 0x%lx", regs[i].name, written[i],
				    regs[i].pattern);
		}
	}
	report(inexact == 0, "EL1/EL0 registers read back what was written");

	for (unsigned int n = 0; n < NR_TRAPS; n++) {
		ver |= smccc_call(PSCI_VERSION, 0, 0, 0) ^ 0x10001;
		(void)*fr;
		if (n % 1000 == 999)
			bad += check_regs(false);
	}
	report(ver == 0, "%u PSCI_VERSION calls all returned 1.1", NR_TRAPS);
	bad += check_regs(true);
	report(bad == 0, "%zu EL1/EL0 registers kept across %u HVC + %u MMIO traps",
	       ARRAY_SIZE(regs), NR_TRAPS, NR_TRAPS);
	report(read_sysreg(vbar_el1) == vbar && read_sysreg(sctlr_el1) == sctlr,
	       "VBAR_EL1 and SCTLR_EL1 unchanged (0x%lx, 0x%lx)", vbar, sctlr);
}

/*
 * Trapped system registers through every general register and XZR (lib/regsweep.h): Tern
 * emulates an MRS/MSR from its exit vector with x19-x28 live (saved first when the instruction
 * names one of them), and completes a handled one there (the value written back, the step over
 * the instruction) unless the vCPU has entry work, which the physical timer being on gives it:
 * each sweep runs with that timer off (the vector's own completion) and with CNTP_CTL_EL0 = IMASK
 * (the C one). Either way the value must go to or come from exactly the register named, and
 * every other register must stay. CNTP_CVAL_EL0 (the emulated EL1 physical timer, 64 bits
 * read/write), CNTP_CTL_EL0 and OSLSR_EL1 (the vCPU's OS lock).
 */
asm(REGSWEEP_MACROS
    ".irp n, " REGSWEEP_REGS "\n"
    "regsweep_begin sysreg_sweep_cval_rd\\n\n mrs x\\n, cntp_cval_el0\n regsweep_end\n"
    "regsweep_begin sysreg_sweep_cval_wr\\n\n msr cntp_cval_el0, x\\n\n regsweep_end\n"
    "regsweep_begin sysreg_sweep_ctl_rd\\n\n mrs x\\n, cntp_ctl_el0\n regsweep_end\n"
    "regsweep_begin sysreg_sweep_oslsr\\n\n mrs x\\n, oslsr_el1\n regsweep_end\n"
    ".endr\n"
    "regsweep_begin sysreg_sweep_cval_rd_zr\n mrs xzr, cntp_cval_el0\n regsweep_end\n"
    "regsweep_begin sysreg_sweep_cval_wr_zr\n msr cntp_cval_el0, xzr\n regsweep_end\n"
    "regsweep_begin sysreg_sweep_ctl_rd_zr\n mrs xzr, cntp_ctl_el0\n regsweep_end\n"
    "regsweep_begin sysreg_sweep_oslsr_zr\n mrs xzr, oslsr_el1\n regsweep_end\n"
    ".pushsection .rodata\n.balign 8\n"
    "sysreg_sweeps:\n"
    ".irp f, cval_rd, cval_wr, ctl_rd, oslsr\n"
    ".irp n, " REGSWEEP_REGS "\n .quad sysreg_sweep_\\f\\n\n.endr\n"
    " .quad sysreg_sweep_\\f\\()_zr\n"
    ".endr\n"
    ".popsection\n");

enum sysreg_sweep_kind {
	SW_CVAL_RD,
	SW_CVAL_WR,
	SW_CTL_RD,
	SW_OSLSR,
	SW_NR
};
typedef void (*sweep_fn)(struct regsweep *s);
extern const sweep_fn sysreg_sweeps[SW_NR][32];

#define SWEEP_CVAL    0x0123456789abcdefUL
#define CNT_CTL_IMASK (1UL << 1)

static struct regsweep sweep;

/*
 * One sweep of @kind through register @n (31: XZR), CNTP_CTL_EL0 = @ctl: whether every register
 * is right.
 */
static bool sysreg_sweep_one(unsigned int kind, unsigned int n, u64 oslsr, u64 ctl)
{
	bool write = kind == SW_CVAL_WR;
	u64 want, got;

	regsweep_fill(&sweep, n);
	write_sysreg(ctl, cntp_ctl_el0);
	write_sysreg(SWEEP_CVAL, cntp_cval_el0);
	sysreg_sweeps[kind][n](&sweep);
	switch (kind) {
	case SW_CVAL_RD:
		want = SWEEP_CVAL;
		break;
	case SW_CVAL_WR:
		want = n == 31 ? 0 : regsweep_pattern(n, n);
		break;
	case SW_CTL_RD:
		want = ctl; /* disabled: ISTATUS reads 0 */
		break;
	default:
		want = oslsr;
		break;
	}
	got = write ? read_sysreg(cntp_cval_el0) : n < 31 ? sweep.x[n] : want;
	if (got == want && !regsweep_changed(&sweep, n, write ? 31 : n, 31))
		return true;
	report_info("sweep %u (CTL 0x%lx) through x%u: 0x%lx, want 0x%lx; %u other registers "
		    "changed",
		    kind, ctl, n, got, want, regsweep_changed(&sweep, n, write ? 31 : n, 31));
	return false;
}

static void test_register_sweep(void)
{
	static const char *const names[SW_NR] = {
		"mrs CNTP_CVAL_EL0",
		"msr CNTP_CVAL_EL0",
		"mrs CNTP_CTL_EL0",
		"mrs OSLSR_EL1",
	};
	u64 oslsr = read_sysreg(oslsr_el1);

	for (unsigned int kind = 0; kind < SW_NR; kind++) {
		for (u64 ctl = 0; ctl <= CNT_CTL_IMASK; ctl += CNT_CTL_IMASK) {
			unsigned int bad = 0;

			for (unsigned int n = 0; n < 32; n++)
				bad += !sysreg_sweep_one(kind, n, oslsr, ctl);
			report(
			    !bad,
			    "%s through every register x0-x30 and XZR, CNTP_CTL_EL0 0x%lx: right "
			    "value, others untouched",
			    names[kind], ctl);
		}
	}
	write_sysreg(0, cntp_ctl_el0);
	write_sysreg(0, cntp_cval_el0);
}

/*
 * The registers Tern emulates (not the hardware's) read exactly what the architecture and Tern's
 * model say, whatever path answers them: a handler returning a wrong value, or writing the
 * destination of a read-only register's MSR, shows here. Encodings by number where older
 * assemblers lack the name, or refuse a write to a read-only register.
 */
#define OSLSR_OSLM_OSLK 0xAUL /* OS lock implemented (OSLM 0b10) and locked */
#define OSLSR_OSLK	(1UL << 1)
#define MDSCR_WRITABLE	((1UL << 0) | (1UL << 12) | (1UL << 13) | (1UL << 15))

static u64 undef_read_oslar(u64 *dst)
{
	u64 esr = 0, v = 0x1234;

	expect_exception(ESR_EC_UNKNOWN);
	asm volatile("mrs %0, s2_0_c1_c0_4" : "+r"(v)::"memory"); /* OSLAR_EL1: write-only */
	*dst = v;
	return exception_taken(&esr, NULL) ? esr : ~0UL;
}

static bool undef_write_mdrar(u64 v)
{
	expect_exception(ESR_EC_UNKNOWN);
	asm volatile("msr s2_0_c1_c0_0, %0" ::"r"(v) : "memory"); /* MDRAR_EL1: read-only */
	return exception_taken(NULL, NULL);
}

/* OSLSR_EL1 is read-only: an MSR to it is UNDEFINED (the CPU's own, as for OSLAR reads). */
static bool undef_write_oslsr(u64 v)
{
	expect_exception(ESR_EC_UNKNOWN);
	asm volatile("msr s2_0_c1_c1_4, %0" ::"r"(v) : "memory");
	return exception_taken(NULL, NULL);
}

/*
 * A trapped MRS Tern makes UNDEFINED (LORID_EL1: HCR_EL2.TLOR traps it, LORegions are hidden)
 * into x5 and into x20: the exception at the instruction, and the destination kept (x19-x28 are
 * live in the registers while Tern emulates, saved and loaded around it).
 */
#define LORID_EL1 s3_0_c10_c4_7
#define STR(x)	  #x
#define XSTR(x)	  STR(x)

static bool undef_read_lorid_x5_x20(u64 *x5, u64 *x20)
{
	u64 a = 0x5555, b = 0x2020;
	bool t1, t2;

	expect_exception(ESR_EC_UNKNOWN);
	asm volatile("mov x5, %0\n\tmrs x5, " XSTR(LORID_EL1) "\n\tmov %0, x5"
		     : "+r"(a)::"x5", "memory");
	t1 = exception_taken(NULL, NULL);
	expect_exception(ESR_EC_UNKNOWN);
	asm volatile("mov x20, %0\n\tmrs x20, " XSTR(LORID_EL1) "\n\tmov %0, x20"
		     : "+r"(b)::"x20", "memory");
	t2 = exception_taken(NULL, NULL);
	*x5 = a;
	*x20 = b;
	return t1 && t2;
}

/*
 * The OS lock and a breakpoint value register through x19-x28 (saved and loaded around Tern's
 * emulation): OSLAR written from x19, OSLSR read into x24, DBGBVR1 written from x21 and read
 * into x23.
 */
static void test_debug_high_registers(void)
{
	u64 locked, unlocked, bvr;

	asm volatile("mov x19, #1\n\t"
		     "msr oslar_el1, x19\n\t"
		     "mrs x24, oslsr_el1\n\t"
		     "mov %0, x24\n\t"
		     "mov x19, #0\n\t"
		     "msr oslar_el1, x19\n\t"
		     "mrs x24, oslsr_el1\n\t"
		     "mov %1, x24\n\t"
		     "mov x21, #0x2000\n\t"
		     "movk x21, #0x4000, lsl #16\n\t"
		     "movk x21, #0x123, lsl #32\n\t"
		     "msr dbgbvr1_el1, x21\n\t"
		     "mrs x23, dbgbvr1_el1\n\t"
		     "mov %2, x23\n\t"
		     "msr dbgbvr1_el1, xzr"
		     : "=r"(locked), "=r"(unlocked), "=r"(bvr)::"x19", "x21", "x23", "x24",
		       "memory");
	report(locked == OSLSR_OSLM_OSLK && unlocked == (OSLSR_OSLM_OSLK & ~OSLSR_OSLK) &&
		   bvr == 0x12340002000UL,
	       "through x19-x28: OSLSR_EL1 0x%lx / 0x%lx after OSLAR 1 / 0, DBGBVR1_EL1 0x%lx",
	       locked, unlocked, bvr);
}

/*
 * CNTP_CTL_EL0 as the emulated timer's state says: ENABLE and IMASK as written and nothing else;
 * ISTATUS only while enabled and at or past CVAL, before the deadline clear, after it set, also
 * under IMASK; CNTP_TVAL_EL0 counting down to CVAL through zero. IMASK throughout: no interrupt.
 */
#define CNT_CTL_ENABLE	(1UL << 0)
#define CNT_CTL_ISTATUS (1UL << 2)

static void test_ptimer_ctl(void)
{
	u64 off, masked_off, far, before, after, now, cval, ticks = read_sysreg(cntfrq_el0) / 100;
	s64 tval_before, tval_after;

	write_sysreg(0, cntp_ctl_el0);
	write_sysreg(0, cntp_cval_el0); /* long past */
	off = read_sysreg(cntp_ctl_el0);
	write_sysreg(~CNT_CTL_ENABLE, cntp_ctl_el0);
	masked_off = read_sysreg(cntp_ctl_el0);
	report(
	    off == 0 && masked_off == CNT_CTL_IMASK,
	    "CNTP_CTL_EL0 disabled, CVAL past: 0x%lx, 0x%lx after writing all but ENABLE (want 0, "
	    "IMASK alone)",
	    off, masked_off);

	write_sysreg(~0UL, cntp_cval_el0);
	write_sysreg(CNT_CTL_ENABLE | CNT_CTL_IMASK, cntp_ctl_el0);
	far = read_sysreg(cntp_ctl_el0);
	isb();
	now = read_sysreg(cntpct_el0);
	cval = now + ticks; /* 10 ms ahead */
	write_sysreg(cval, cntp_cval_el0);
	before = read_sysreg(cntp_ctl_el0);
	tval_before = (s64)(int32_t)read_sysreg(cntp_tval_el0);
	do {
		isb();
	} while (read_sysreg(cntpct_el0) < cval);
	after = read_sysreg(cntp_ctl_el0);
	tval_after = (s64)(int32_t)read_sysreg(cntp_tval_el0);
	report(far == (CNT_CTL_ENABLE | CNT_CTL_IMASK) && before == far &&
		   after == (far | CNT_CTL_ISTATUS),
	       "CNTP_CTL_EL0 enabled, masked: 0x%lx with CVAL ~0, 0x%lx before the deadline, 0x%lx "
	       "after (want 0x3, 0x3, 0x7)",
	       far, before, after);
	report(tval_before > 0 && (u64)tval_before <= ticks && tval_after <= 0,
	       "CNTP_TVAL_EL0 %ld before the deadline (0 < TVAL <= %lu), %ld after (<= 0)",
	       tval_before, ticks, tval_after);
	write_sysreg(0, cntp_ctl_el0);
	report(read_sysreg(cntp_ctl_el0) == 0, "CNTP_CTL_EL0 0 again: ISTATUS gone with ENABLE");
	write_sysreg(0, cntp_cval_el0);
}

static void test_emulated_values(void)
{
	u64 oslsr0 = read_sysreg(oslsr_el1), locked, unlocked, v;

	write_sysreg(1, oslar_el1);
	locked = read_sysreg(oslsr_el1);
	write_sysreg(0, oslar_el1);
	unlocked = read_sysreg(oslsr_el1);
	report(locked == OSLSR_OSLM_OSLK && unlocked == (OSLSR_OSLM_OSLK & ~OSLSR_OSLK),
	       "OSLSR_EL1 0x%lx after OSLAR 1, 0x%lx after OSLAR 0 (want 0xa, 0x8)", locked,
	       unlocked);
	write_sysreg(oslsr0 & OSLSR_OSLK ? 1 : 0, oslar_el1);
	report(undef_read_oslar(&v) != ~0UL && v == 0x1234,
	       "mrs OSLAR_EL1 UNDEFINED, destination kept (0x%lx)", v);
	report(undef_write_mdrar(0x55), "msr MDRAR_EL1 UNDEFINED");
	report(undef_write_oslsr(0) && read_sysreg(oslsr_el1) == oslsr0,
	       "msr OSLSR_EL1 UNDEFINED, OSLSR_EL1 unchanged");
	{
		u64 x5, x20;

		report(
		    undef_read_lorid_x5_x20(&x5, &x20) && x5 == 0x5555 && x20 == 0x2020,
		    "mrs LORID_EL1 (trapped) into x5 and x20: UNDEFINED, both kept (0x%lx 0x%lx)",
		    x5, x20);
	}

	write_sysreg(1, s2_0_c1_c3_4); /* OSDLR_EL1 */
	report(read_sysreg(s2_0_c1_c3_4) == 0, "OSDLR_EL1 reads 0 (no double lock)");
	report(read_sysreg(s3_1_c0_c0_7) == 0, "AIDR_EL1 reads 0");
	/* (DBGAUTHSTATUS_EL1 is UNDEFINED on QEMU 7.2 before any trap to EL2.) */
	report(read_sysreg(s2_0_c1_c0_0) == 0 && read_sysreg(s2_3_c0_c1_0) == 0,
	       "MDRAR_EL1 and MDCCSR_EL0 read 0");
	/* (OSECCR_EL1 and DBGCLAIM* too: QEMU 7.2 does not implement them.) */
	write_sysreg(~0UL, s3_0_c1_c0_1); /* ACTLR_EL1 */
	report(read_sysreg(s3_0_c1_c0_1) == 0, "ACTLR_EL1 reads 0 after writing ones");

	v = read_sysreg(mdscr_el1);
	write_sysreg(~0UL & ~1UL, mdscr_el1); /* everything but SS */
	report(read_sysreg(mdscr_el1) == (MDSCR_WRITABLE & ~1UL),
	       "MDSCR_EL1 keeps only TDCC, KDE, MDE of all ones (0x%lx)", read_sysreg(mdscr_el1));
	write_sysreg(v, mdscr_el1);

	write_sysreg(0x40001007UL, dbgbvr0_el1);
	write_sysreg(0x40001007UL, dbgwvr0_el1);
	write_sysreg(~0UL & ~1UL, dbgbcr0_el1); /* all but E: nothing fires */
	write_sysreg(~0UL & ~1UL, dbgwcr0_el1);
	report(
	    read_sysreg(dbgbvr0_el1) == 0x40001004UL && read_sysreg(dbgwvr0_el1) == 0x40001000UL &&
		read_sysreg(dbgbcr0_el1) == (0x00FFE1E7UL & ~1UL) &&
		read_sysreg(dbgwcr0_el1) == (0x1F1FFFFFUL & ~1UL),
	    "DBGBVR0/DBGWVR0/DBGBCR0/DBGWCR0 keep their architected bits (0x%lx 0x%lx 0x%lx 0x%lx)",
	    read_sysreg(dbgbvr0_el1), read_sysreg(dbgwvr0_el1), read_sysreg(dbgbcr0_el1),
	    read_sysreg(dbgwcr0_el1));
	write_sysreg(0, dbgbcr0_el1);
	write_sysreg(0, dbgwcr0_el1);
	write_sysreg(0, dbgbvr0_el1);
	write_sysreg(0, dbgwvr0_el1);
}

int main(void)
{
	_Static_assert(ARRAY_SIZE(written) == ARRAY_SIZE(regs), "one value per register");
	report_prefix("sysreg");
	test_id_registers();
	test_id_read_registers();
	test_el1_state();
	test_register_sweep();
	test_emulated_values();
	test_debug_high_registers();
	test_ptimer_ctl();
	return 0;
}
