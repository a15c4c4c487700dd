// SPDX-License-Identifier: GPL-2.0-only
/*
 * Self-hosted debug through the hardware, as many breakpoints and watchpoints as ID_AA64DFR0
 * says (QEMU -cpu max: 6 and 4):
 * - every breakpoint fires once at its address (EC 0x21), every watchpoint once on a load of its
 *   variable (EC 0x35, FAR in it); the next ones beyond the count are UNDEFINED;
 * - with the OS lock set nothing fires, unlocked it does again (QEMU 7.2 itself ignores the OS
 *   lock for breakpoints and watchpoints; Tern applies it);
 * - software step (MDSCR_EL1.SS) stops after each instruction (EC 0x33), also after instructions
 *   Tern emulates (an MMIO load, an HVC): the step must not run two instructions;
 * - a second vCPU sharing the pCPU runs the same code and data with debug exceptions unmasked
 *   but its own (reset) debug registers: it takes none of vCPU 0's breakpoints or watchpoints,
 *   and vCPU 0 still takes them all afterwards.
 */
#include "gic.h"

#define MAX_BP 16

#define ESR_EC_BP_CUR	0x31
#define ESR_EC_STEP_CUR 0x33
#define ESR_EC_WP_CUR	0x35

#define MDSCR_SS  (1UL << 0)
#define MDSCR_KDE (1UL << 13)
#define MDSCR_MDE (1UL << 15)
#define SPSR_SS	  (1UL << 21)

/* DBGBCR: E, PMC = EL1, BAS = A64 instruction. DBGWCR: E, PAC = EL1, loads and stores, 8 bytes. */
#define BCR_EL1 (1UL | 1UL << 1 | 0xFUL << 5)
#define WCR_EL1 (1UL | 1UL << 1 | 3UL << 3 | 0xFFUL << 5)

#define UART_FR (GUEST_UART_BASE + 0x18)

extern char bp_targets[], step_start[], step_mmio[], step_hvc[], step_end[];

/* 16 targets of 8 bytes: "nop; ret". A breakpoint on the nop; the handler skips it. */
asm(".pushsection .text\n"
    ".balign 64\n"
    ".global bp_targets\n"
    "bp_targets:\n"
    ".rept 16\n"
    "nop\n"
    "ret\n"
    ".endr\n"
    ".popsection\n");

static volatile u64 wvars[MAX_BP] __attribute__((aligned(64)));

static unsigned int nbp, nwp;

struct hits {
	volatile u32 bp[MAX_BP], wp[MAX_BP], other;
	volatile u64 last_esr, last_far;
	volatile u32 steps;
	volatile u64 step_elr[32];
};
static struct hits hits[2];

static unsigned int this_vcpu(void)
{
	return read_sysreg(mpidr_el1) & 1;
}

static void (*target(unsigned int i))(void)
{
	return (void (*)(void))(bp_targets + 8 * i);
}

static bool debug_hook(struct ex_regs *regs, u64 esr)
{
	struct hits *h = &hits[this_vcpu()];
	u64 ec = ESR_EC(esr);

	if (ec == ESR_EC_BP_CUR) {
		u64 i = (regs->elr - (u64)bp_targets) / 8;

		if (i < MAX_BP && regs->elr == (u64)target(i))
			h->bp[i]++;
		else
			h->other++;
		regs->elr += 4; /* past the nop */
		return true;
	}
	if (ec == ESR_EC_WP_CUR) {
		u64 far = read_sysreg(far_el1), i = (far - (u64)wvars) / 8;

		h->last_far = far;
		if (far >= (u64)wvars && i < MAX_BP)
			h->wp[i]++;
		else
			h->other++;
		regs->elr += 4; /* past the load */
		return true;
	}
	if (ec == ESR_EC_STEP_CUR) {
		if (h->steps < ARRAY_SIZE(h->step_elr))
			h->step_elr[h->steps] = regs->elr;
		h->steps++;
		if (regs->elr == (u64)step_end || h->steps >= 64) {
			/* Done: with MDSCR_EL1.SS still set the next step would be pending at once.
			 */
			write_sysreg(read_sysreg(mdscr_el1) & ~MDSCR_SS, mdscr_el1);
			regs->spsr &= ~SPSR_SS;
		} else {
			regs->spsr |= SPSR_SS; /* step the next one */
		}
		return true;
	}
	return false;
}

#define BANK(op)                                                                                   \
	op(0) op(1) op(2) op(3) op(4) op(5) op(6) op(7) op(8) op(9) op(10) op(11) op(12) op(13)    \
	    op(14) op(15)
#define SET_BP(n)                                                                                  \
	case n:                                                                                    \
		write_sysreg(v, dbgbvr##n##_el1);                                                  \
		write_sysreg(c, dbgbcr##n##_el1);                                                  \
		break;
#define SET_WP(n)                                                                                  \
	case n:                                                                                    \
		write_sysreg(v, dbgwvr##n##_el1);                                                  \
		write_sysreg(c, dbgwcr##n##_el1);                                                  \
		break;
#define GET_BVR(n)                                                                                 \
	case n:                                                                                    \
		return read_sysreg(dbgbvr##n##_el1);

static void set_bp(unsigned int n, u64 v, u64 c)
{
	switch (n) {
		BANK(SET_BP)
	}
	isb();
}

static void set_wp(unsigned int n, u64 v, u64 c)
{
	switch (n) {
		BANK(SET_WP)
	}
	isb();
}

static u64 get_bvr(unsigned int n)
{
	switch (n) {
		BANK(GET_BVR)
	}
	return 0;
}

static void arm_all(void)
{
	for (unsigned int i = 0; i < nbp; i++)
		set_bp(i, (u64)target(i), BCR_EL1);
	for (unsigned int i = 0; i < nwp; i++)
		set_wp(i, (u64)&wvars[i], WCR_EL1);
}

static void disarm_all(void)
{
	for (unsigned int i = 0; i < nbp; i++)
		set_bp(i, 0, 0);
	for (unsigned int i = 0; i < nwp; i++)
		set_wp(i, 0, 0);
}

/* Call every target and load every variable once; how many of each fired. */
static void run_all(struct hits *h, unsigned int *bps, unsigned int *wps)
{
	u32 bp0[MAX_BP], wp0[MAX_BP];

	for (unsigned int i = 0; i < MAX_BP; i++) {
		bp0[i] = h->bp[i];
		wp0[i] = h->wp[i];
	}
	for (unsigned int i = 0; i < nbp; i++)
		target(i)();
	for (unsigned int i = 0; i < nwp; i++)
		(void)wvars[i];
	*bps = *wps = 0;
	for (unsigned int i = 0; i < nbp; i++)
		*bps += h->bp[i] - bp0[i] == 1;
	for (unsigned int i = 0; i < nwp; i++)
		*wps += h->wp[i] - wp0[i] == 1;
}

static void test_counts(void)
{
	u64 dfr0 = read_sysreg(id_aa64dfr0_el1), v = 0;
	bool undef = true;

	nbp = FIELD(dfr0, 15, 12) + 1;
	nwp = FIELD(dfr0, 23, 20) + 1;
	report_info("ID_AA64DFR0_EL1 0x%lx: %u breakpoints, %u watchpoints", dfr0, nbp, nwp);
	if (nbp < MAX_BP) {
		expect_exception(ESR_EC_UNKNOWN);
		v = get_bvr(nbp);
		undef = exception_taken(NULL, NULL);
	}
	report(nbp >= 2 && nwp >= 2 && undef,
	       "%u breakpoints and %u watchpoints; DBGBVR%u_EL1 beyond them UNDEFINED (0x%lx)", nbp,
	       nwp, nbp, v);
}

static void test_fire(void)
{
	struct hits *h = &hits[0];
	unsigned int bps, wps;

	arm_all();
	run_all(h, &bps, &wps);
	report(bps == nbp && h->other == 0,
	       "each of the %u breakpoints fires once at its address (%u)", nbp, bps);
	report(
	    wps == nwp && h->other == 0,
	    "each of the %u watchpoints fires once on a load of its variable (%u, last FAR 0x%lx)",
	    nwp, wps, h->last_far);

	write_sysreg(1, oslar_el1);
	isb();
	run_all(h, &bps, &wps);
	report(bps == 0 && wps == 0, "OS lock set: none fires (%u, %u)", bps, wps);
	write_sysreg(0, oslar_el1);
	isb();
	run_all(h, &bps, &wps);
	report(bps == nbp && wps == nwp && (read_sysreg(oslsr_el1) & 2) == 0,
	       "OS lock clear: all fire again (%u, %u)", bps, wps);
}

/*
 * The stepped code: 11 instructions, among them an MMIO load, an HVC and two trapped system
 * register reads (OSLSR_EL1 into x14 and x20: x20 is live in the register while Tern emulates)
 * that Tern emulates.
 */
static void stepped_code(void)
{
	asm volatile("	adr	x9, step_start\n"
		     "	msr	elr_el1, x9\n"
		     "	mov	x10, #0x1c5\n"		/* EL1h, A I F masked, D clear */
		     "	orr	x10, x10, #(1 << 21)\n" /* SS */
		     "	msr	spsr_el1, x10\n"
		     "	mov	x11, %0\n"
		     "	isb\n"
		     "	eret\n"
		     ".global step_start\n"
		     "step_start:\n"
		     "	nop\n"
		     "	add	x12, x11, #1\n"
		     ".global step_mmio\n"
		     "step_mmio:\n"
		     "	ldr	w13, [x11]\n" /* UART FR: emulated by Tern */
		     "	nop\n"
		     "	mov	x0, #0x84000000\n" /* PSCI_VERSION */
		     ".global step_hvc\n"
		     "step_hvc:\n"
		     "	hvc	#0\n"
		     "	mrs	x14, oslsr_el1\n"
		     "	mrs	x20, oslsr_el1\n"
		     "	nop\n"
		     "	nop\n"
		     ".global step_end\n"
		     "step_end:\n"
		     "	nop\n"
		     :
		     : "r"(UART_FR)
		     : "x0", "x1", "x2", "x3", "x9", "x10", "x11", "x12", "x13", "x14", "x20",
		       "memory");
}

static void test_step(void)
{
	struct hits *h = &hits[0];
	bool ok;

	disarm_all();
	h->steps = 0;
	/* Debug exceptions masked until the ERET into the stepped code unmasks them. */
	asm volatile("msr daifset, #8" ::: "memory");
	write_sysreg(MDSCR_KDE | MDSCR_MDE | MDSCR_SS, mdscr_el1);
	isb();
	stepped_code();
	write_sysreg(MDSCR_KDE | MDSCR_MDE, mdscr_el1);
	isb();
	/* One step exception per instruction, each at the next one: start + 4 ... end. */
	ok = h->steps == 10;
	for (unsigned int i = 0; ok && i < 10; i++)
		ok = h->step_elr[i] == (u64)step_start + 4 * (i + 1);
	report(ok,
	       "software step: %u steps of one instruction each, across the emulated MMIO load, "
	       "HVC and system register reads (first 0x%lx, last 0x%lx, end 0x%lx)",
	       h->steps, h->step_elr[0], h->steps ? h->step_elr[(h->steps - 1) % 32] : 0,
	       (u64)step_end);
}

static volatile u32 second_done, second_ready;
static volatile u64 second_bvr0, second_oslsr, second_mdscr;

static void second_vcpu(u64 arg)
{
	struct hits *h = &hits[1];
	u64 end = gic_counter() + gic_us_to_ticks(200000);

	(void)arg;
	second_bvr0 = read_sysreg(dbgbvr0_el1);
	second_oslsr = read_sysreg(oslsr_el1);
	second_mdscr = read_sysreg(mdscr_el1);
	asm volatile("msr daifclr, #8" ::: "memory"); /* debug exceptions unmasked */
	second_ready = 1;
	/* Run vCPU 0's breakpointed code and watched data while the pCPU switches between us. */
	while (gic_counter() < end) {
		for (unsigned int i = 0; i < nbp; i++)
			target(i)();
		for (unsigned int i = 0; i < nwp; i++)
			(void)wvars[i];
	}
	asm volatile("msr daifset, #8" ::: "memory");
	dsb();
	(void)h;
	second_done = 1;
}

static void test_isolation(void)
{
	struct hits *h1 = &hits[1];
	unsigned int bps, wps, taken = 0;
	u64 end;

	arm_all();
	if (cpu_start(1, 1, second_vcpu, 0) != PSCI_RET_SUCCESS) {
		report_skip("isolation: no second vCPU");
		report_skip("isolation: breakpoints after switches");
		return;
	}
	end = gic_counter() + gic_us_to_ticks(5000000);
	while (!second_done && gic_counter() < end)
		;
	for (unsigned int i = 0; i < MAX_BP; i++)
		taken += h1->bp[i] + h1->wp[i];
	report(second_done && taken == 0 && h1->other == 0 && second_bvr0 == 0 &&
		   (second_oslsr & 2) && second_mdscr == 0,
	       "a second vCPU on the pCPU takes none of vCPU 0's breakpoints/watchpoints (%u), "
	       "sees its own reset registers (DBGBVR0 0x%lx, OSLSR 0x%lx, MDSCR 0x%lx)",
	       taken + h1->other, second_bvr0, second_oslsr, second_mdscr);
	run_all(&hits[0], &bps, &wps);
	report(bps == nbp && wps == nwp,
	       "vCPU 0 still takes all of them after the switches (%u, %u)", bps, wps);
}

int main(void)
{
	report_prefix("debug");
	exception_set_sync_hook(debug_hook);
	test_counts();
	write_sysreg(0, oslar_el1);
	write_sysreg(MDSCR_KDE | MDSCR_MDE, mdscr_el1);
	isb();
	asm volatile("msr daifclr, #8" ::: "memory");
	test_fire();
	test_step();
	test_isolation();
	asm volatile("msr daifset, #8" ::: "memory");
	disarm_all();
	write_sysreg(0, mdscr_el1);
	return 0;
}
