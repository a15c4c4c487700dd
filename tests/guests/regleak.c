// SPDX-License-Identifier: GPL-2.0-only
/*
 * Register-leak sweep, checked against Tern's own table of every system register
 * (include/asm/sysreg_table.h). Runs in several VMs and vCPUs sharing one pCPU
 * (configs/qemu_virt_regleak_defconfig); bootarg ctx=N numbers this VM's first vCPU.
 *
 * 1. Probe: every encoding (op0 2 and 3) is read once; each one that does not UNDEF must be a
 *    row of the table.
 * 2. Rows of hidden features are UNDEFINED (HIDDEN), or hold no state where the CPU applies no
 *    trap (STATELESS, IMPDEF: a written value never reads back); without a vGIC the GIC CPU
 *    interface is UNDEFINED (ICC_SRE_EL1 aside, RAO/WI).
 * 3. Every register with state that the guest can write (SWITCH, EMUL, TIMER, FP, PAN/UAO/DIT/
 *    SSBS, the GIC's with a vGIC) gets a value of its own in every round, from every vCPU of
 *    every VM; after Tern switched the vCPU out and in again (seen as a gap in the counter), it
 *    must read back exactly that value. Two vCPUs of VM 0 check the EL1 context switch inside a
 *    VM, VM 1 (no vGIC) the switch between VMs.
 */
#include "gic.h"
#include "../../include/asm/sysreg_table.h"

#define MAX_ROWS   512
#define ROUNDS	   40
#define GAP_US	   1000	   /* a counter jump this large: the vCPU was switched out */
#define SWITCH_US  2000000 /* no switch within this: fail */
#define NR_ENCODED 32768   /* op0 2-3 x op1 x CRn x CRm x op2 */
#define KEY_FIRST  (2U << 14)

enum pol {
	SWITCH,
	VMCTL,
	PSTATE,
	FP,
	TIMER,
	GIC,
	EMUL,
	ID,
	CONST,
	HIDDEN,
	STATELESS,
	IMPDEF,
	PMU
};

struct row {
	u32 key;
	u8 pol;
	const char *name;
};

#define KEY(o0, o1, cn, cm, o2)				  (((o0) << 14) | ((o1) << 11) | ((cn) << 7) | ((cm) << 3) | (o2))
#define ROW(name, o0, o1, cn, cm, o2, pol, feat, hw, why) { KEY(o0, o1, cn, cm, o2), pol, #name },
static const struct row rows[] = { SYSREG_TABLE(ROW) };

/* How the sweep writes a register: value = (old & ~mask) | (pattern & mask); mask 0: skip. */
struct spec {
	const char *name;
	u64 mask;
};

#define ALL ~0UL
/*
 * The guest's own knowledge of what it may write while it runs with the MMU off and every
 * exception masked; rows not named here and with state get ALL.
 */
static const struct spec specs[] = {
	/* EL0 controls only: the rest would change how this program runs */
	{ "sctlr_el1",
	  1UL << 4 | 1UL << 9 | 1UL << 14 | 1UL << 15 | 1UL << 16 | 1UL << 18 | 1UL << 26 },
	{ "cpacr_el1", 3UL << 16 | 3UL << 24 | 1UL << 28 }, /* FP stays enabled */
	{ "vbar_el1", 0x0000fffffffff800UL },
	{ "cntv_ctl_el0", 1 }, /* IMASK stays set */
	{ "cntp_ctl_el0", 1 },
	{ "mdscr_el1", 1UL << 0 | 1UL << 12 | 1UL << 13 | 1UL << 15 },
	{ "icc_ctlr_el1", 3 },
	{ "icc_bpr0_el1", 7 },
	{ "icc_bpr1_el1", 7 },
	{ "icc_igrpen0_el1", 1 },
	{ "icc_igrpen1_el1", 1 },
	/* Write-only, read-only, side effects or derived: not storage */
	{ "oslar_el1", 0 },
	{ "oslsr_el1", 0 },
	{ "dbgclaimclr_el1", 0 },
	{ "dbgclaimset_el1", 0 },
	{ "mdrar_el1", 0 },
	{ "dbgauthstatus_el1", 0 },
	{ "mdccsr_el0", 0 },
	{ "cntp_tval_el0", 0 },
	{ "icc_iar0_el1", 0 },
	{ "icc_iar1_el1", 0 },
	{ "icc_eoir0_el1", 0 },
	{ "icc_eoir1_el1", 0 },
	{ "icc_hppir0_el1", 0 },
	{ "icc_hppir1_el1", 0 },
	{ "icc_dir_el1", 0 },
	{ "icc_rpr_el1", 0 },
	{ "icc_sgi1r_el1", 0 },
	{ "icc_asgi1r_el1", 0 },
	{ "icc_sgi0r_el1", 0 },
	/* PMU: counting stays off (PMCR_EL0.E clear, P/C never written) so counters hold still */
	{ "pmcr_el0", 0xF8 },
	{ "pmcntenclr_el0", 0 },
	{ "pmintenclr_el1", 0 },
	{ "pmovsclr_el0", 0 },
	{ "pmswinc_el0", 0 },
	{ "pmxevtyper_el0", 0 },
	{ "pmxevcntr_el0", 0 },
	{ "pmceid0_el0", 0 },
	{ "pmceid1_el0", 0 },
	{ "pmmir_el1", 0 },
};

/* PSTATE fields C code does not touch: checked like registers. */
static const char *const pstate_checked[] = { "pan", "uao", "dit", "ssbs" };
static const u64 pstate_bits[] = { 1UL << 22, 1UL << 23, 1UL << 24, 1UL << 12 };

static u8 accessible[NR_ENCODED / 8];
static u32 probe_code[2] __attribute__((aligned(64)));

/* Accessor stubs, written once: per checked register an MRS x0 and an MSR x0, each + RET. */
struct stub {
	u32 mrs[2];
	u32 msr[2];
	u32 clr[2]; /* for a write-1-to-set register: its write-1-to-clear twin, else unused */
};
static struct stub stubs[MAX_ROWS] __attribute__((aligned(64)));

struct checked {
	const struct row *row;
	u64 mask;
	u64 floor;    /* smallest value written (in the mask's bits) */
	bool set_clr; /* write-1-to-set: cleared through its twin first */
	unsigned int stub;
	u64 expect;
	u32 bad;
	u64 bad_expect, bad_got;
};

/* Results of one vCPU's sweep, reported by vCPU 0. */
struct sweep {
	unsigned int ctx;
	unsigned int nr;
	unsigned int rounds;
	unsigned int switches;
	bool switch_after_gap; /* a round that saw a switch came after one that did not */
	unsigned int bad_total;
	struct checked regs[MAX_ROWS];
	volatile u32 done;
};
static struct sweep sweeps[2];

static u32 insn_of(u32 key, bool read)
{
	return (read ? 0xd5200000U : 0xd5000000U) | key << 5; /* Rt = x0 */
}

static void sync_icache(const void *p, size_t len)
{
	for (u64 a = (u64)p & ~63UL; a < (u64)p + len; a += 64)
		asm volatile("dc cvau, %0" ::"r"(a) : "memory");
	asm volatile("dsb ish" ::: "memory");
	for (u64 a = (u64)p & ~63UL; a < (u64)p + len; a += 64)
		asm volatile("ic ivau, %0" ::"r"(a) : "memory");
	asm volatile("dsb ish\n\tisb" ::: "memory");
}

static u64 call_stub(const u32 *code, u64 val)
{
	register u64 x0 asm("x0") = val;

	asm volatile("blr %1" : "+r"(x0) : "r"(code) : "x30", "memory");
	return x0;
}

/* Run one MRS/MSR of @key; true if it raised no exception. */
static bool try_access(u32 key, bool read, u64 *val)
{
	u64 v;
	bool undef;

	probe_code[0] = insn_of(key, read);
	probe_code[1] = 0xd65f03c0; /* ret */
	sync_icache(probe_code, sizeof(probe_code));
	expect_exception(EXCEPTION_ANY);
	v = call_stub(probe_code, *val);
	undef = exception_taken(NULL, NULL);
	if (read && !undef)
		*val = v;
	return !undef;
}

static const struct row *row_of(u32 key)
{
	for (size_t i = 0; i < ARRAY_SIZE(rows); i++)
		if (rows[i].key == key)
			return &rows[i];
	return NULL;
}

static bool is_accessible(u32 key)
{
	return key >= KEY_FIRST && key - KEY_FIRST < NR_ENCODED &&
	       (accessible[(key - KEY_FIRST) / 8] & (1U << (key % 8)));
}

static void test_probe(void)
{
	unsigned int found = 0, unknown = 0;

	for (u32 key = KEY_FIRST; key < KEY_FIRST + NR_ENCODED; key++) {
		u64 v = 0;

		if (!try_access(key, true, &v))
			continue;
		accessible[(key - KEY_FIRST) / 8] |= 1U << (key % 8);
		found++;
		if (!row_of(key)) {
			unknown++;
			report_info("S%u_%u_C%u_C%u_%u reads 0x%lx and is not in Tern's table",
				    key >> 14, key >> 11 & 7, key >> 7 & 15, key >> 3 & 15, key & 7,
				    v);
		}
	}
	report(found > 100 && unknown == 0, "%u registers readable, %u not in Tern's table", found,
	       unknown);
}

static bool has_vgic(void)
{
	return FIELD(read_sysreg(id_aa64pfr0_el1), 27, 24) != 0;
}

/* A register that must hold no state: nothing written reads back. */
static bool stateless(u32 key)
{
	u64 old = 0, v;
	bool ok = true;

	try_access(key, true, &old);
	for (int i = 0; i < 2; i++) {
		v = i ? 0x5555555555555555UL : 0xaaaaaaaaaaaaaaaaUL;
		try_access(key, false, &v);
		v = 0;
		if (try_access(key, true, &v) && v != old)
			ok = false;
	}
	return ok;
}

static void test_hidden(void)
{
	unsigned int bad = 0, hidden = 0, gic_bad = 0;
	bool vgic = has_vgic();

	for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
		const struct row *r = &rows[i];
		bool acc = is_accessible(r->key);

		if (r->pol == HIDDEN) {
			hidden++;
			if (acc) {
				bad++;
				report_info("%s: hidden but readable", r->name);
			}
		} else if ((r->pol == STATELESS || r->pol == IMPDEF) && acc && !stateless(r->key)) {
			bad++;
			report_info("%s: holds a value", r->name);
		} else if (r->pol == GIC && !vgic && acc &&
			   (strcmp(r->name, "icc_sre_el1") || !stateless(r->key))) {
			gic_bad++;
			report_info("%s: reachable without a vGIC", r->name);
		}
	}
	report(bad == 0,
	       "%u hidden registers UNDEFINED, IMPDEF/STATELESS ones hold nothing (%u bad)", hidden,
	       bad);
	if (vgic)
		report_skip("no-vGIC GIC check: this VM has a vGIC");
	else
		report(gic_bad == 0,
		       "without a vGIC the GIC CPU interface is UNDEFINED (%u reachable)", gic_bad);
}

static u64 spec_mask(const struct row *r)
{
	for (size_t i = 0; i < ARRAY_SIZE(specs); i++)
		if (!strcmp(specs[i].name, r->name))
			return specs[i].mask;
	for (size_t i = 0; i < ARRAY_SIZE(pstate_checked); i++)
		if (!strcmp(pstate_checked[i], r->name))
			return pstate_bits[i];
	switch (r->pol) {
	case SWITCH:
	case VMCTL:
	case EMUL:
	case TIMER:
	case FP:
	case PMU:
		return ALL;
	case GIC:
		return has_vgic() ? ALL : 0;
	default:
		return 0;
	}
}

/*
 * A binary point below the minimum (7 - PREbits for Group 0, one more for Group 1) must read
 * as the minimum. QEMU 7.2's ICV_BPR*_EL1 writes keep the smaller value while its ICH_VMCR_EL2
 * writes (Tern's restore) clamp it: the sweep writes only valid ones, as a real GIC keeps.
 */
static u64 bpr_floor(const char *name)
{
	bool g1 = !strcmp(name, "icc_bpr1_el1");

	if (!g1 && strcmp(name, "icc_bpr0_el1"))
		return 0;
	/* ICC_CTLR_EL1.PREbits */
	return 7 - (FIELD(read_sysreg(s3_0_c12_c12_4), 13, 11) + 1) + g1;
}

/* Write-1-to-set registers and their write-1-to-clear twins. */
static const struct {
	const char *set;
	u32 clr_key;
} set_clr[] = {
	{ "pmcntenset_el0", KEY(3, 3, 9, 12, 2) },
	{ "pmintenset_el1", KEY(3, 0, 9, 14, 2) },
	{ "pmovsset_el0", KEY(3, 3, 9, 12, 3) },
};

static u32 clr_key_of(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(set_clr); i++)
		if (!strcmp(set_clr[i].set, name))
			return set_clr[i].clr_key;
	return 0;
}

/* The registers this vCPU checks, with their stubs (vCPU 0 writes the stubs for all). */
static unsigned int build_list(struct sweep *s, bool write_stubs)
{
	unsigned int n = 0;

	for (size_t i = 0; i < ARRAY_SIZE(rows) && n < MAX_ROWS; i++) {
		u64 mask = spec_mask(&rows[i]);

		if (!mask || !is_accessible(rows[i].key))
			continue;
		s->regs[n] = (struct checked){ .row = &rows[i], .mask = mask, .stub = n };
		s->regs[n].floor = bpr_floor(rows[i].name);
		s->regs[n].set_clr = clr_key_of(rows[i].name) != 0;
		if (write_stubs) {
			stubs[n].mrs[0] = insn_of(rows[i].key, true);
			stubs[n].msr[0] = insn_of(rows[i].key, false);
			stubs[n].clr[0] = insn_of(clr_key_of(rows[i].name), false);
			stubs[n].mrs[1] = stubs[n].msr[1] = stubs[n].clr[1] = 0xd65f03c0;
		}
		n++;
	}
	if (write_stubs)
		sync_icache(stubs, sizeof(stubs));
	s->nr = n;
	return n;
}

static u64 mix(u64 x)
{
	x ^= x >> 31;
	x *= 0x7fb5d329728ea185UL;
	x ^= x >> 27;
	x *= 0x81dadef4bc2dd44dUL;
	return x ^ (x >> 33);
}

/* Spin until the counter jumps (Tern ran someone else); false after SWITCH_US. */
static bool wait_switched(void)
{
	u64 gap = gic_us_to_ticks(GAP_US), end = gic_counter() + gic_us_to_ticks(SWITCH_US);
	u64 prev = gic_counter(), now;

	while ((now = gic_counter()) < end) {
		if (now - prev > gap)
			return true;
		prev = now;
	}
	return false;
}

static void sweep_run(struct sweep *s)
{
	for (unsigned int r = 0; r < ROUNDS; r++) {
		for (unsigned int i = 0; i < s->nr; i++) {
			struct checked *c = &s->regs[i];
			u64 old = call_stub(stubs[c->stub].mrs, 0);
			u64 pat = mix((u64)s->ctx << 48 ^ (u64)r << 24 ^ c->row->key) & c->mask;

			if (pat < c->floor)
				pat = c->floor;
			if (c->set_clr)
				call_stub(stubs[c->stub].clr, ~0UL);
			call_stub(stubs[c->stub].msr, (old & ~c->mask) | pat);
		}
		isb();
		/* What each holds after all were written (some depend on others). */
		for (unsigned int i = 0; i < s->nr; i++)
			s->regs[i].expect = call_stub(stubs[s->regs[i].stub].mrs, 0);
		if (wait_switched()) {
			s->switch_after_gap |= s->switches < s->rounds;
			s->switches++;
		}
		for (unsigned int i = 0; i < s->nr; i++) {
			struct checked *c = &s->regs[i];

			u64 got = call_stub(stubs[c->stub].mrs, 0);

			if (got != c->expect) {
				if (!c->bad) {
					c->bad_expect = c->expect;
					c->bad_got = got;
				}
				c->bad++;
				s->bad_total++;
			}
		}
		s->rounds++;
	}
	/* Leave the GIC and timers quiet. */
	write_sysreg(0, cntv_ctl_el0);
	isb();
}

static void sweep_report(struct sweep *s)
{
	for (unsigned int i = 0; i < s->nr; i++)
		if (s->regs[i].bad)
			report_info("ctx %u: %s did not hold its value in %u of %u rounds (first: "
				    "0x%lx read as 0x%lx)",
				    s->ctx, s->regs[i].row->name, s->regs[i].bad, s->rounds,
				    s->regs[i].bad_expect, s->regs[i].bad_got);
	/*
	 * The other VM may finish its sweep and power off first: this one's last rounds then have
	 * nobody to switch to. Only such a tail may lack a switch, and most rounds must have one.
	 */
	report(s->bad_total == 0 && !s->switch_after_gap && s->switches * 2 >= s->rounds &&
		   s->nr > 40,
	       "ctx %u: %u registers held their values over %u rounds, %u switches", s->ctx, s->nr,
	       s->rounds, s->switches);
}

static void secondary(u64 arg)
{
	struct sweep *s = &sweeps[1];

	write_sysreg(3UL << 20, cpacr_el1); /* FP for FPCR/FPSR */
	write_sysreg(2, cntv_ctl_el0);
	write_sysreg(2, cntp_ctl_el0);
	isb();
	s->ctx = (unsigned int)arg;
	build_list(s, false);
	sweep_run(s);
	dsb();
	s->done = 1;
}

int main(void)
{
	char buf[8] = "0";
	unsigned int ctx;
	bool two = false;

	report_prefix("regleak");
	bootarg_get("ctx", buf, sizeof(buf));
	ctx = buf[0] - '0';
	write_sysreg(3UL << 20, cpacr_el1);
	/* Timers enabled by the sweep stay masked: nothing fires. */
	write_sysreg(2, cntv_ctl_el0);
	write_sysreg(2, cntp_ctl_el0);
	isb();
	test_probe();
	test_hidden();

	sweeps[0].ctx = ctx;
	build_list(&sweeps[0], true);
	/* A second vCPU, if the VM has one: the switch between vCPUs of one VM. */
	if (cpu_start(1, 1, secondary, ctx + 1) == PSCI_RET_SUCCESS)
		two = true;
	sweep_run(&sweeps[0]);
	sweep_report(&sweeps[0]);
	if (two) {
		u64 end = gic_counter() + gic_us_to_ticks(30 * 1000000UL);

		while (!READ_ONCE(sweeps[1].done) && gic_counter() < end)
			;
		if (sweeps[1].done)
			sweep_report(&sweeps[1]);
		else
			report(false, "ctx %u: the second vCPU did not finish", ctx + 1);
	}
	return 0;
}
