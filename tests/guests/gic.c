// SPDX-License-Identifier: GPL-2.0-only
/*
 * The virtual GICv3: distributor and redistributor identification, the redistributor scan and
 * wake-up, SGI delivery, enable/disable, priority mask, group enable, priority order with more
 * pending interrupts than list registers, active state and preemption, PPI configuration, the
 * SPI pending registers (PL011's SPI 33), and an SGI to vCPU 1 (SKIP with one vCPU).
 */
#include "gic.h"

#define WAIT_US	      100000 /* delivery deadline (returns early when met) */
#define QUIET_US      5000   /* how long "not delivered" is watched */
#define NR_ORDER      12     /* more than the 4 list registers of typical hardware */
#define SGI_TEST      1
#define SGI_A	      12 /* active/preemption: running interrupt, priority 0x80 */
#define SGI_LOW	      13 /* priority 0xc0 */
#define SGI_HIGH      14 /* priority 0x40 */
#define SGI_REMOTE    15
#define PPI_FREE      20 /* not wired to anything on QEMU virt */
#define PRIO_MID      0x80
#define PRIO_LOW      0xc0
#define PRIO_HIGH     0x40
#define SECONDARY_ARG 0x61c

static volatile u32 nr_irqs, irq_log[32];

static void record_irq(u32 intid)
{
	u32 n = nr_irqs;

	if (n < ARRAY_SIZE(irq_log))
		irq_log[n] = intid;
	nr_irqs = n + 1;
}

static void log_reset(void)
{
	nr_irqs = 0;
	for (unsigned int i = 0; i < ARRAY_SIZE(irq_log); i++)
		irq_log[i] = GIC_INTID_SPURIOUS;
}

/* Unmask IRQs until @want interrupts were recorded or @us passed, then mask again. */
static bool take_irqs(u32 want, u64 us)
{
	return gic_take_irqs(&nr_irqs, want, us);
}

/* Unmask for @us: nothing may be delivered. */
static bool quiet(u64 us)
{
	gic_irqs_open(us);
	return nr_irqs == 0;
}

/* Number of vCPUs: /cpus/cpu@* of the DTB, else the MPIDRs PSCI AFFINITY_INFO knows. */
static unsigned int count_vcpus(void)
{
	int n = guest_boot_dtb ? fdt_count_cpus((const void *)guest_boot_dtb) : -1;
	u64 base = cpu_mpidr() & ~0xffUL;
	unsigned int count = 0;

	if (n > 0) {
		report_info("%u vCPUs in the DTB /cpus", (unsigned int)n);
		return (unsigned int)n;
	}
	for (unsigned int i = 0; i < GUEST_MAX_CPUS; i++)
		if (psci_affinity_info(base | i, 0) >= 0)
			count++;
	report_info("no DTB: %u vCPUs known to PSCI AFFINITY_INFO", count);
	return count;
}

static void test_ids(void)
{
	u32 typer = gic_read32(GICD_BASE + GICD_TYPER);
	u32 lines = GICD_TYPER_ITLINES(typer);
	u32 pidr2 = gic_read32(GICD_BASE + GICD_PIDR2);

	report_info("GICD_TYPER 0x%x GICD_IIDR 0x%x GICD_CTLR 0x%x", typer,
		    gic_read32(GICD_BASE + GICD_IIDR), gic_read32(GICD_BASE + GICD_CTLR));
	report(lines >= 1 && lines <= 30,
	       "GICD_TYPER.ITLinesNumber %u: SPIs up to INTID %u cover the PL011's 33", lines,
	       32 * (lines + 1) - 1);
	report(GIC_PIDR2_ARCHREV(pidr2) == 3, "GICD_PIDR2.ArchRev is 3 (0x%x)", pidr2);
}

/*
 * Words of the distributor that may read non-zero; every other word of the 64 KiB frame is
 * reserved, RAZ/WI (ARE = 1 makes ITARGETSR, SGIR and the SGI pending registers RAZ/WI too, and a
 * single Security state IGRPMODR and NSACR; no message-based SPIs, TYPER2 and STATUSR zero).
 */
static const struct gic_live_range dist_live[] = {
	{ 0x0000, 0x000C },  /* CTLR, TYPER, IIDR */
	{ 0x0080, 0x0800 },  /* IGROUPR ... ICACTIVER, IPRIORITYR (SPIs) */
	{ 0x0C00, 0x0D00 },  /* ICFGR */
	{ 0x6000, 0x7FE0 },  /* IROUTER */
	{ 0xFFE8, 0xFFEC },  /* PIDR2 */
	{ 0xFFF0, 0x10000 }, /* CIDR0-3 */
};

/* A redistributor frame pair: RD_base then SGI_base (+64 KiB). */
static const struct gic_live_range redist_live[] = {
	{ 0x0004, 0x0010 },   /* IIDR, TYPER (64-bit) */
	{ 0x0014, 0x0018 },   /* WAKER */
	{ 0xFFE8, 0xFFEC },   /* PIDR2 */
	{ 0xFFF0, 0x10000 },  /* CIDR0-3 */
	{ 0x10080, 0x10084 }, /* IGROUPR0 */
	{ 0x10100, 0x10104 }, /* ISENABLER0 */
	{ 0x10180, 0x10184 }, /* ICENABLER0 */
	{ 0x10200, 0x10204 }, /* ISPENDR0 */
	{ 0x10280, 0x10284 }, /* ICPENDR0 */
	{ 0x10300, 0x10304 }, /* ISACTIVER0 */
	{ 0x10380, 0x10384 }, /* ICACTIVER0 */
	{ 0x10400, 0x10420 }, /* IPRIORITYR0-7 */
	{ 0x10C00, 0x10C08 }, /* ICFGR0-1 */
};

/* The identification words at 0xFFE8-0xFFFC of a frame, each at its own offset. */
static bool id_words_ok(u64 base)
{
	static const u8 cidr[] = { 0x0D, 0xF0, 0x05, 0xB1 };

	for (unsigned int i = 0; i < 4; i++)
		if (gic_read32(base + 0xFFF0 + 4 * i) != cidr[i])
			return false;
	return GIC_PIDR2_ARCHREV(gic_read32(base + 0xFFE8)) == 3 && !gic_read32(base + 0xFFE4) &&
	       !gic_read32(base + 0xFFEC);
}

/*
 * The register map as Tern's offset index serves it: every word of the distributor and of every
 * redistributor frame pair is either a register or reserved (reads 0, writes ignored), each
 * constant register answers at its own offset only, each frame pair is its vCPU's (TYPER), and
 * accesses no register takes (a width it does not allow, past the last frame pair) abort.
 */
static void test_register_map(const struct gic_cpu *c, unsigned int nr_vcpus)
{
	static const u32 reserved_dist[] = { 0x000C, 0x0010, 0x0044, 0x0D80, 0x0F00, 0x0F14,
					     0x1000, 0x5FFC, 0x7FE0, 0x8000, 0xFFCC, 0xFFE4 };
	u64 first = 0, v = 0, esr = 0;
	unsigned int bad =
	    gic_sweep_reserved(GICD_BASE, 0x10000, dist_live, ARRAY_SIZE(dist_live), &first);
	u32 iidr = gic_read32(GICD_BASE + GICD_IIDR), typer = gic_read32(GICD_BASE + GICD_TYPER);
	bool wi = true, frames_ok = true, ids = id_words_ok(GICD_BASE);

	report(!bad, "GICD: every reserved word reads 0 (%u do not, first at 0x%lx)", bad, first);
	for (unsigned int i = 0; i < ARRAY_SIZE(reserved_dist); i++)
		wi &= gic_try_write32(GICD_BASE + reserved_dist[i], ~0U) &&
		      !gic_read32(GICD_BASE + reserved_dist[i]);
	wi &= gic_try_write32(GICD_BASE + GICD_IIDR, ~0U) &&
	      gic_try_write32(GICD_BASE + GICD_TYPER, 0) &&
	      gic_read32(GICD_BASE + GICD_IIDR) == iidr &&
	      gic_read32(GICD_BASE + GICD_TYPER) == typer;
	report(wi && ids,
	       "GICD: writes to reserved words, IIDR and TYPER ignored; PIDR2/CIDR words in place "
	       "(%d/%d)",
	       wi, ids);
	report(gic_read_aborts(GICD_BASE + GICD_IIDR, 1) &&
		   gic_read_aborts(GICD_BASE + GICD_IIDR, 2) &&
		   gic_read_aborts(GICD_BASE + GICD_IIDR, 8) &&
		   gic_read_aborts(GICD_BASE + GICD_TYPER, 2) &&
		   gic_read_aborts(GICD_BASE + GICD_ISENABLER(1), 1) &&
		   gic_read_aborts(GICD_BASE + GICD_ISENABLER(1), 8),
	       "GICD: byte, halfword and 64-bit reads of 32-bit registers abort");
	report(gic_try_read(GICD_BASE + 0x1000, 1, &v, &esr) && !v &&
		   gic_try_read(GICD_BASE + 0x100E, 2, &v, &esr) && !v &&
		   gic_try_read(GICD_BASE + 0x8000, 8, &v, &esr) && !v,
	       "GICD: reserved offsets read 0 at any width");

	for (unsigned int f = 0; f < nr_vcpus; f++) {
		u64 rd = GICR_BASE + f * GICR_FRAME_SIZE, t = gic_read64(rd + GICR_TYPER);

		bad = gic_sweep_reserved(rd, GICR_FRAME_SIZE, redist_live, ARRAY_SIZE(redist_live),
					 &first);
		if (bad)
			report_info("GICR frame %u: %u reserved words read non-zero, first 0x%lx",
				    f, bad, first);
		if (bad || GICR_TYPER_PROC(t) != f ||
		    !!(t & GICR_TYPER_LAST) != (f == nr_vcpus - 1) ||
		    gic_read32(rd + GICR_TYPER) != (u32)t ||
		    gic_read32(rd + GICR_TYPER + 4) != (u32)(t >> 32) ||
		    gic_read32(rd + GICR_IIDR) != iidr || !id_words_ok(rd) ||
		    gic_read32(rd + 0x0018) || gic_read32(rd + GICR_SGI_OFFSET + 0x0C08)) {
			report_info("GICR frame %u: TYPER 0x%lx", f, t);
			frames_ok = false;
		}
	}
	report(frames_ok,
	       "GICR: %u frame pairs: reserved words read 0, TYPER (both halves) names its vCPU, "
	       "Last on the last one only, IIDR/PIDR2/CIDR in place",
	       nr_vcpus);
	report(
	    gic_read_aborts(c->rd_base + GICR_TYPER, 1) &&
		gic_read_aborts(c->rd_base + GICR_TYPER, 2) &&
		gic_read_aborts(c->rd_base + GICR_IIDR, 8) &&
		gic_read_aborts(c->rd_base + GICR_SGI_OFFSET + GICR_ISENABLER0, 2),
	    "GICR: byte and halfword reads of TYPER, 64-bit of IIDR, halfword of ISENABLER0 abort");
	report(gic_read_aborts(GICR_BASE + nr_vcpus * GICR_FRAME_SIZE + GICR_TYPER, 8) &&
		   gic_read_aborts(GICR_BASE + nr_vcpus * GICR_FRAME_SIZE + GICR_SGI_OFFSET, 4) &&
		   !gic_try_write32(GICR_BASE + nr_vcpus * GICR_FRAME_SIZE + GICR_WAKER, 0),
	       "GICR: accesses past the last frame pair (%u) abort", nr_vcpus);
}

static void test_redist(const struct gic_cpu *c, unsigned int nr_vcpus)
{
	u32 pidr2 = gic_read32(c->rd_base + GICR_PIDR2);
	u64 typer = gic_read64(c->rd_base + GICR_TYPER);

	report_info("redistributor scan: %u frames, Last %s, this vCPU's frame %u at 0x%lx",
		    c->nr_frames, c->last_seen ? "seen" : "not seen", c->frame, c->rd_base);
	report(c->last_seen, "GICR_TYPER scan ends on a frame with Last (after %u frames)",
	       c->nr_frames);
	report(c->nr_frames == nr_vcpus, "redistributor frames (%u) = vCPUs (%u)", c->nr_frames,
	       nr_vcpus);
	report(GICR_TYPER_AFF(typer) == ((c->mpidr & 0xffffff) | (c->mpidr >> 32 & 0xff) << 24) &&
		   GIC_PIDR2_ARCHREV(pidr2) == 3,
	       "this vCPU's frame: GICR_TYPER.Affinity 0x%lx matches MPIDR 0x%lx, "
	       "GICR_PIDR2.ArchRev %lu",
	       GICR_TYPER_AFF(typer), c->mpidr, GIC_PIDR2_ARCHREV(pidr2));
	/* The constant registers Tern reads without its vGIC lock, in every width they allow. */
	u32 d_iidr = gic_read32(GICD_BASE + GICD_IIDR), r_iidr = gic_read32(c->rd_base + GICR_IIDR);
	u32 d_typer = gic_read32(GICD_BASE + GICD_TYPER);
	u32 t_lo = gic_read32(c->rd_base + GICR_TYPER),
	    t_hi = gic_read32(c->rd_base + GICR_TYPER + 4);
	u32 cidr = 0;

	for (unsigned int i = 0; i < 4; i++)
		cidr |= (gic_read32(c->rd_base + 0xFFF0 + 4 * i) & 0xff) << (8 * i);
	report((d_iidr & 0xfff) == 0x43b && r_iidr == d_iidr &&
		   GICD_TYPER_CPUS(d_typer) == nr_vcpus - 1 && cidr == 0xB105F00D,
	       "GICD_IIDR 0x%x (Arm) = GICR_IIDR 0x%x, GICD_TYPER.CPUNumber %lu for %u vCPUs, "
	       "GICR_CIDR 0x%x",
	       d_iidr, r_iidr, GICD_TYPER_CPUS(d_typer), nr_vcpus, cidr);
	report(t_lo == (u32)typer && t_hi == (u32)(typer >> 32) &&
		   GICR_TYPER_PROC(typer) == c->frame &&
		   !!(typer & GICR_TYPER_LAST) == (c->frame == nr_vcpus - 1),
	       "GICR_TYPER 0x%lx: 32-bit halves 0x%x 0x%x, Processor_Number %lu = frame %u, Last "
	       "only on the last frame",
	       typer, t_hi, t_lo, GICR_TYPER_PROC(typer), c->frame);
	report(c->awake, "GICR_WAKER: ProcessorSleep cleared, ChildrenAsleep reads 0 (WAKER 0x%x)",
	       gic_read32(c->rd_base + GICR_WAKER));
	report(read_sysreg(icc_sre_el1) & ICC_SRE_EL1_SRE, "ICC_SRE_EL1.SRE is 1");
}

#define SGI_G0 2 /* configured Group 0 */
#define SGI_G1 3 /* configured Group 1 */

static u64 sgi_value(u64 mpidr, u32 intid)
{
	u64 aff0 = mpidr & 0xff;

	return (mpidr >> 32 & 0xff) << ICC_SGI1R_AFF3_SHIFT |
	       (mpidr >> 16 & 0xff) << ICC_SGI1R_AFF2_SHIFT |
	       (mpidr >> 8 & 0xff) << ICC_SGI1R_AFF1_SHIFT | (aff0 >> 4) << ICC_SGI1R_RS_SHIFT |
	       (u64)(intid & 0xf) << ICC_SGI1R_INTID_SHIFT | 1UL << (aff0 & 0xf);
}

/* Write ICC_SGI0R_EL1 (0), ICC_ASGI1R_EL1 (1) or ICC_SGI1R_EL1 (2); true if it did not trap. */
static bool sgi_write(int reg, u64 v)
{
	expect_exception(EXCEPTION_ANY);
	dsb();
	if (reg == 0)
		write_sysreg(v, s3_0_c12_c11_7);
	else if (reg == 1)
		write_sysreg(v, s3_0_c12_c11_6);
	else
		write_sysreg(v, s3_0_c12_c11_5);
	isb();
	return !exception_taken(NULL, NULL);
}

/* Which of SGI_G0/SGI_G1 (bits 0/1) a write to @reg for both made pending; -1 if it trapped. */
static int sgi_groups_sent(int reg, u64 self)
{
	bool ok =
	    sgi_write(reg, sgi_value(self, SGI_G0)) && sgi_write(reg, sgi_value(self, SGI_G1));
	int sent = gic_irq_is_pending(SGI_G0) | gic_irq_is_pending(SGI_G1) << 1;

	gic_write32(gic_sgi_base() + GICR_ICPENDR0, 1U << SGI_G0 | 1U << SGI_G1);
	return ok ? sent : -1;
}

/*
 * The other SGI registers (single Security state, GICD_CTLR.DS = 1): ICC_SGI0R_EL1 generates
 * Group 0 SGIs only, ICC_ASGI1R_EL1 likewise (there is no other Security state's Group 1, as
 * KVM decides), and ICC_SGI1R_EL1 the Group 1 one (as QEMU's GIC does natively). Both SGIs
 * disabled, so they stay pending to be looked at.
 */
static void test_sgi_registers(u64 self)
{
	u32 grp = gic_read32(gic_sgi_base() + GICR_IGROUPR0);
	int g0, ag1, g1;

	gic_irq_disable(SGI_G0);
	gic_irq_disable(SGI_G1);
	gic_write32(gic_sgi_base() + GICR_IGROUPR0, (grp & ~(1U << SGI_G0)) | 1U << SGI_G1);
	g0 = sgi_groups_sent(0, self);
	ag1 = sgi_groups_sent(1, self);
	g1 = sgi_groups_sent(2, self);
	gic_write32(gic_sgi_base() + GICR_IGROUPR0, grp);
	report(g0 == 1, "ICC_SGI0R_EL1 emulated: sends the Group 0 SGI only (%d)", g0);
	report(ag1 == 1, "ICC_ASGI1R_EL1 emulated: sends the Group 0 SGI only (%d)", ag1);
	report(g1 == 2, "ICC_SGI1R_EL1 sends the Group 1 SGI only (%d)", g1);
}

static void test_sgi_self(u64 self)
{
	log_reset();
	gic_irq_set_priority(SGI_TEST, PRIO_MID);
	gic_irq_enable(SGI_TEST);
	gic_send_sgi(self, SGI_TEST);
	take_irqs(1, WAIT_US);
	gic_irqs_open(QUIET_US);
	report(nr_irqs == 1 && irq_log[0] == SGI_TEST,
	       "SGI %u to self: delivered once (%u, INTID %u)", SGI_TEST, nr_irqs, irq_log[0]);
}

static void test_enable(u64 self)
{
	bool pending, ok;

	log_reset();
	gic_irq_disable(SGI_TEST);
	gic_send_sgi(self, SGI_TEST);
	gic_delay_us(1000);
	pending = gic_irq_is_pending(SGI_TEST);
	ok = quiet(QUIET_US);
	report(ok && pending,
	       "disabled SGI not delivered, pending in GICR_ISPENDR0 (%u taken, pending %d)",
	       nr_irqs, pending);
	gic_irq_enable(SGI_TEST);
	take_irqs(1, WAIT_US);
	report(nr_irqs == 1 && irq_log[0] == SGI_TEST && !gic_irq_is_pending(SGI_TEST),
	       "the pending SGI is delivered once enabled (%u)", nr_irqs);
}

static void test_pmr(u64 self)
{
	u8 pmr = gic_pmr();
	bool ok;

	log_reset();
	gic_set_pmr(PRIO_MID);
	gic_send_sgi(self, SGI_TEST);
	ok = quiet(QUIET_US);
	report(ok, "ICC_PMR_EL1 0x%x masks an SGI of priority 0x%x (%u taken)", gic_pmr(),
	       gic_irq_priority(SGI_TEST), nr_irqs);
	gic_set_pmr(PRIO_MID + 0x10);
	take_irqs(1, WAIT_US);
	report(nr_irqs == 1 && irq_log[0] == SGI_TEST,
	       "raising ICC_PMR_EL1 to 0x%x delivers it (%u)", gic_pmr(), nr_irqs);
	gic_set_pmr(pmr);
}

static void test_igrpen(u64 self)
{
	bool ok;

	log_reset();
	gic_set_igrpen1(false);
	gic_send_sgi(self, SGI_TEST);
	ok = quiet(QUIET_US);
	report(ok, "ICC_IGRPEN1_EL1 = 0: nothing delivered (%u taken)", nr_irqs);
	gic_set_igrpen1(true);
	take_irqs(1, WAIT_US);
	report(nr_irqs == 1 && irq_log[0] == SGI_TEST, "ICC_IGRPEN1_EL1 = 1 delivers it (%u)",
	       nr_irqs);
}

/* SGI i gets priority ((5i mod 12) + 1) << 4: all distinct, not in INTID order. */
static u8 order_prio(u32 i)
{
	return (u8)(((i * 5) % NR_ORDER + 1) << 4);
}

static void test_order(u64 self)
{
	u32 want = (1U << NR_ORDER) - 1, pend = 0, seen = 0;
	bool ordered = true;
	u64 end;

	log_reset();
	for (u32 i = 0; i < NR_ORDER; i++) {
		gic_irq_set_priority(i, order_prio(i));
		gic_irq_enable(i);
	}
	for (u32 i = 0; i < NR_ORDER; i++)
		gic_send_sgi(self, i);
	end = gic_counter() + gic_us_to_ticks(WAIT_US);
	while ((pend & want) != want && gic_counter() < end)
		pend = gic_read32(gic_sgi_base() + GICR_ISPENDR0);
	report_info("with PSTATE.I masked, GICR_ISPENDR0 0x%x", pend);
	take_irqs(NR_ORDER, WAIT_US);
	gic_irqs_open(QUIET_US);
	for (u32 i = 0; i < nr_irqs && i < ARRAY_SIZE(irq_log); i++) {
		if (irq_log[i] < NR_ORDER)
			seen |= 1U << irq_log[i];
		if (i && (irq_log[i] >= NR_ORDER || irq_log[i - 1] >= NR_ORDER ||
			  order_prio(irq_log[i]) <= order_prio(irq_log[i - 1])))
			ordered = false;
	}
	report(nr_irqs == NR_ORDER && seen == want,
	       "%u pending SGIs all delivered once (%u taken, INTIDs 0x%x)", NR_ORDER, nr_irqs,
	       seen);
	report(ordered && nr_irqs == NR_ORDER, "taken in strictly ascending priority value order");
	if (!ordered)
		for (u32 i = 0; i < nr_irqs && i < ARRAY_SIZE(irq_log); i++)
			report_info("  #%u INTID %u priority 0x%x", i, irq_log[i],
				    order_prio(irq_log[i]));
	for (u32 i = 0; i < NR_ORDER; i++)
		gic_irq_disable(i);
}

static volatile u32 in_a, a_active, low_in_a, low_count, high_count, high_in_a;

static void low_handler(u32 intid)
{
	(void)intid;
	low_in_a = in_a;
	low_count++;
}

static void high_handler(u32 intid)
{
	(void)intid;
	high_in_a = in_a;
	high_count++;
}

/* Runs at priority 0x80 with IRQs unmasked: 0xc0 must wait, 0x40 must preempt. */
static void a_handler(u32 intid)
{
	u64 self = cpu_mpidr();

	in_a = 1;
	a_active = gic_irq_is_active(intid);
	gic_send_sgi(self, SGI_LOW);
	gic_irqs_unmask();
	gic_delay_us(QUIET_US);
	gic_send_sgi(self, SGI_HIGH);
	gic_wait_count(&high_count, 1, WAIT_US);
	gic_irqs_mask();
	in_a = 0;
}

static void test_active(u64 self)
{
	u32 gmask = (0xffU << gic_bpr1()) & 0xff;
	bool still_active;

	report_info("ICC_BPR1_EL1 %u (group priority mask 0x%x), %u priority bits", gic_bpr1(),
		    gmask, gic_pri_bits());
	log_reset();
	gic_set_handler(SGI_A, a_handler);
	gic_set_handler(SGI_LOW, low_handler);
	gic_set_handler(SGI_HIGH, high_handler);
	gic_irq_set_priority(SGI_A, PRIO_MID);
	gic_irq_set_priority(SGI_LOW, PRIO_LOW);
	gic_irq_set_priority(SGI_HIGH, PRIO_HIGH);
	gic_irq_enable(SGI_A);
	gic_irq_enable(SGI_LOW);
	gic_irq_enable(SGI_HIGH);
	gic_send_sgi(self, SGI_A);
	gic_irqs_unmask();
	gic_wait_count(&low_count, 1, WAIT_US);
	gic_irqs_mask();
	still_active = gic_irq_is_active(SGI_A);
	report(a_active && !still_active,
	       "GICR_ISACTIVER0 shows the SGI active in its handler, not after EOI (%u/%u)",
	       a_active, still_active);
	report(low_count == 1 && !low_in_a,
	       "lower-priority SGI waits for the active one's EOI (taken %u, inside %u)", low_count,
	       low_in_a);
	if ((PRIO_HIGH & gmask) < (PRIO_MID & gmask))
		report(high_count == 1 && high_in_a,
		       "higher-priority SGI preempts the active one (taken %u, nested %u)",
		       high_count, high_in_a);
	else
		report_skip("higher-priority SGI preempts: BPR1 %u groups 0x40 with 0x80",
			    gic_bpr1());
	gic_irq_disable(SGI_A);
	gic_irq_disable(SGI_LOW);
	gic_irq_disable(SGI_HIGH);
}

static void test_icfgr(void)
{
	u32 icfgr0 = gic_read32(gic_sgi_base() + GICR_ICFGR0);
	bool edge, level;

	gic_write32(gic_sgi_base() + GICR_ICFGR0, 0);
	report(icfgr0 == 0xaaaaaaaaU && gic_read32(gic_sgi_base() + GICR_ICFGR0) == 0xaaaaaaaaU,
	       "GICR_ICFGR0: SGIs edge-triggered, read-only (0x%x)", icfgr0);
	gic_irq_disable(PPI_FREE);
	edge = gic_irq_set_edge(PPI_FREE, true);
	level = gic_irq_set_edge(PPI_FREE, false);
	if (!edge && level)
		/* Architecturally IMPLEMENTATION DEFINED for PPIs. */
		report_skip("GICR_ICFGR1: PPI %u Int_config not programmable", PPI_FREE);
	else
		report(edge && level, "GICR_ICFGR1: PPI %u programmable edge then level (%d/%d)",
		       PPI_FREE, edge, level);
}

/* A level PPI pended by software: the latch is cleared by the acknowledge, delivered once. */
static void test_ppi_pend(void)
{
	log_reset();
	gic_irq_set_priority(PPI_FREE, PRIO_MID);
	gic_irq_set_pending(PPI_FREE);
	gic_irq_enable(PPI_FREE);
	take_irqs(1, WAIT_US);
	gic_irqs_open(QUIET_US);
	report(nr_irqs == 1 && irq_log[0] == PPI_FREE && !gic_irq_is_pending(PPI_FREE),
	       "PPI %u pended through GICR_ISPENDR0: delivered once, then not pending (%u)",
	       PPI_FREE, nr_irqs);
	gic_irq_disable(PPI_FREE);
}

static void test_spi(u64 self)
{
	bool pend, cleared, ok;

	log_reset();
	gic_irq_disable(GIC_SPI_UART);
	gic_irq_clear_pending(GIC_SPI_UART);
	gic_spi_route(GIC_SPI_UART, self);
	gic_irq_set_priority(GIC_SPI_UART, PRIO_MID);
	gic_irq_enable(GIC_SPI_UART);
	gic_irq_set_pending(GIC_SPI_UART);
	take_irqs(1, WAIT_US);
	gic_irqs_open(QUIET_US);
	report(nr_irqs == 1 && irq_log[0] == GIC_SPI_UART,
	       "SPI %u pended through GICD_ISPENDR: delivered once (%u, INTID %u, IROUTER 0x%lx)",
	       GIC_SPI_UART, nr_irqs, irq_log[0],
	       gic_read64(GICD_BASE + GICD_IROUTER(GIC_SPI_UART)));

	log_reset();
	gic_irq_disable(GIC_SPI_UART);
	gic_irq_set_pending(GIC_SPI_UART);
	pend = gic_irq_is_pending(GIC_SPI_UART);
	gic_irq_clear_pending(GIC_SPI_UART);
	cleared = !gic_irq_is_pending(GIC_SPI_UART);
	gic_irq_enable(GIC_SPI_UART);
	ok = quiet(QUIET_US);
	report(pend && cleared && ok,
	       "GICD_ICPENDR clears a pending SPI %u: not delivered when enabled (%d/%d, %u taken)",
	       GIC_SPI_UART, pend, cleared, nr_irqs);
	gic_irq_disable(GIC_SPI_UART);
}

#define SPI_OTHER (GIC_SPI_UART + 2) /* an SPI the VM does not own: its enable bit is RAZ/WI */

/* ISENABLER<n> / ICENABLER<n> of @intid's word, written with @bits. */
static void spi_enable_write(bool set, u32 intid, u32 bits)
{
	gic_write32(GICD_BASE + (set ? GICD_ISENABLER(intid / 32) : GICD_ICENABLER(intid / 32)),
		    bits);
}

static u32 spi_bit(u32 intid)
{
	return 1U << (intid % 32);
}

static bool spi_enabled(u32 intid)
{
	u32 s = gic_read32(GICD_BASE + GICD_ISENABLER(intid / 32)) & spi_bit(intid);
	u32 c = gic_read32(GICD_BASE + GICD_ICENABLER(intid / 32)) & spi_bit(intid);

	return s && c;
}

/*
 * Linux's mask and unmask of an SPI: the enable banks' writes, each changing the state, do
 * everything a change of the enable bit means. Enabling a pending SPI delivers it (alone in the
 * word, and with another SPI's bit that is not the VM's); disabling one already queued for the
 * vCPU (pending and enabled while the vCPU masks interrupts) takes it back, so that it is not
 * delivered until enabled again; a write that changes nothing and a zero write deliver nothing;
 * the other SPI stays RAZ/WI, and a word past the implemented SPIs reads 0 after writes.
 */
static void test_spi_enable(u64 self)
{
	u32 lines = (gic_read32(GICD_BASE + GICD_TYPER) & 0x1f) + 1, uart = spi_bit(GIC_SPI_UART);
	bool quiet_disabled, delivered1, other_raz, taken_back, delivered2, unchanged, past;

	log_reset();
	gic_irq_disable(GIC_SPI_UART);
	gic_irq_clear_pending(GIC_SPI_UART);
	gic_spi_route(GIC_SPI_UART, self);
	gic_irq_set_priority(GIC_SPI_UART, PRIO_MID);
	gic_irq_set_pending(GIC_SPI_UART);
	quiet_disabled =
	    quiet(QUIET_US) && !spi_enabled(GIC_SPI_UART) && gic_irq_is_pending(GIC_SPI_UART);
	/* Two bits: the UART's and one of an SPI the VM does not own. */
	spi_enable_write(true, GIC_SPI_UART, uart | spi_bit(SPI_OTHER));
	take_irqs(1, WAIT_US);
	gic_irqs_open(QUIET_US);
	delivered1 = nr_irqs == 1 && irq_log[0] == GIC_SPI_UART && spi_enabled(GIC_SPI_UART);
	other_raz = !(gic_read32(GICD_BASE + GICD_ISENABLER(SPI_OTHER / 32)) & spi_bit(SPI_OTHER));
	report(quiet_disabled && delivered1 && other_raz,
	       "ISENABLER of SPI %u (and of SPI %u, not the VM's) delivers it pending (%d/%d, %u "
	       "taken, SPI %u RAZ %d)",
	       GIC_SPI_UART, SPI_OTHER, quiet_disabled, delivered1, nr_irqs, SPI_OTHER, other_raz);

	/* Pending and enabled while masked: queued for this vCPU; ICENABLER takes it back. */
	log_reset();
	gic_irq_set_pending(GIC_SPI_UART);
	gic_delay_us(1000);
	spi_enable_write(false, GIC_SPI_UART, uart);
	taken_back =
	    quiet(QUIET_US) && !spi_enabled(GIC_SPI_UART) && gic_irq_is_pending(GIC_SPI_UART);
	/* Changes nothing: disabled again, and a zero word to both banks. */
	spi_enable_write(false, GIC_SPI_UART, uart);
	spi_enable_write(true, GIC_SPI_UART, 0);
	spi_enable_write(false, GIC_SPI_UART, 0);
	unchanged = quiet(QUIET_US) && !spi_enabled(GIC_SPI_UART);
	spi_enable_write(true, GIC_SPI_UART, uart);
	take_irqs(1, WAIT_US);
	gic_irqs_open(QUIET_US);
	delivered2 = nr_irqs == 1 && irq_log[0] == GIC_SPI_UART && spi_enabled(GIC_SPI_UART);
	report(taken_back && unchanged && delivered2,
	       "ICENABLER of a queued SPI %u takes it back, ISENABLER delivers it once (%d/%d/%d, "
	       "%u taken)",
	       GIC_SPI_UART, taken_back, unchanged, delivered2, nr_irqs);

	/* Enabled already: ISENABLER again delivers nothing more. */
	log_reset();
	spi_enable_write(true, GIC_SPI_UART, uart);
	unchanged = quiet(QUIET_US) && spi_enabled(GIC_SPI_UART);
	/* The last word, past the implemented SPIs when there are fewer than 992. */
	spi_enable_write(true, 31 * 32, ~0U);
	past = lines < 32 ? !gic_read32(GICD_BASE + GICD_ISENABLER(31)) : true;
	spi_enable_write(false, 31 * 32, ~0U);
	report(unchanged && past,
	       "ISENABLER of an enabled SPI delivers nothing (%u taken); ISENABLER31 past %u lines "
	       "reads 0 (%d)",
	       nr_irqs, lines * 32, past);
	gic_irq_disable(GIC_SPI_UART);
	gic_irq_clear_pending(GIC_SPI_UART);
}

static volatile u32 sec_ready, sec_release, sec_found, sec_frame, remote_count;
static volatile u64 remote_mpidr;

static void remote_handler(u32 intid)
{
	(void)intid;
	remote_mpidr = cpu_mpidr();
	remote_count++;
}

static void secondary_main(u64 arg)
{
	sec_found = gic_cpu_init() && gic_this_cpu()->awake;
	if (sec_found) {
		sec_frame = gic_this_cpu()->frame;
		gic_irq_set_priority(SGI_REMOTE, PRIO_MID);
		gic_irq_enable(SGI_REMOTE);
	}
	dsb();
	sec_ready = (u32)arg;
	gic_irqs_unmask();
	while (!sec_release)
		;
	gic_irqs_mask();
}

static void test_remote(const struct gic_cpu *c, unsigned int nr_vcpus)
{
	u64 target = (c->mpidr & ~0xffUL) | (c->mpidr & 0xff ? 0 : 1);
	s64 ret;

	if (nr_vcpus < 2) {
		report_skip("vCPU 1 finds its own redistributor: one vCPU");
		report_skip("SGI from vCPU 0 to vCPU 1: one vCPU");
		return;
	}
	gic_set_handler(SGI_REMOTE, remote_handler);
	ret = cpu_start(target, 1, secondary_main, SECONDARY_ARG);
	for (u64 end = gic_counter() + gic_us_to_ticks(1000000);
	     sec_ready != SECONDARY_ARG && gic_counter() < end;)
		;
	report(ret == PSCI_RET_SUCCESS && sec_ready == SECONDARY_ARG && sec_found &&
		   sec_frame != c->frame,
	       "vCPU 1 (MPIDR 0x%lx) finds and wakes its own redistributor (frame %u, ret %ld)",
	       target, sec_frame, ret);
	gic_send_sgi(target, SGI_REMOTE);
	gic_wait_count(&remote_count, 1, WAIT_US);
	report(remote_count == 1 && remote_mpidr == target,
	       "SGI %u from vCPU 0 to vCPU 1 taken on vCPU 1 (%u, on MPIDR 0x%lx)", SGI_REMOTE,
	       remote_count, remote_mpidr);
	sec_release = 1;
	dsb();
}

int main(void)
{
	struct gic_cpu *c;
	unsigned int nr_vcpus;
	bool are;

	report_prefix("gic");
	nr_vcpus = count_vcpus();
	test_ids();
	are = gic_dist_init();
	report(are, "GICD_CTLR.ARE set (affinity routing), Group 1 enabled (0x%x)",
	       gic_read32(GICD_BASE + GICD_CTLR));
	if (!gic_cpu_init())
		report_abort("no redistributor frame for MPIDR 0x%lx (%u frames scanned)",
			     gic_this_cpu()->mpidr, gic_this_cpu()->nr_frames);
	c = gic_this_cpu();
	test_redist(c, nr_vcpus);
	test_register_map(c, nr_vcpus);

	for (u32 i = 0; i < GIC_FIRST_SPI; i++)
		gic_set_handler(i, record_irq);
	gic_set_handler(GIC_SPI_UART, record_irq);

	test_sgi_self(c->mpidr);
	test_sgi_registers(c->mpidr);
	test_enable(c->mpidr);
	test_pmr(c->mpidr);
	test_igrpen(c->mpidr);
	test_order(c->mpidr);
	test_active(c->mpidr);
	test_icfgr();
	test_ppi_pend();
	test_spi(c->mpidr);
	test_spi_enable(c->mpidr);
	test_remote(c, nr_vcpus);

	report(gic_unhandled_count() == 0, "no interrupt without a handler (%u), %u spurious",
	       gic_unhandled_count(), gic_spurious_count());
	return 0;
}
