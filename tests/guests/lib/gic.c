// SPDX-License-Identifier: GPL-2.0-only
/* GICv3 driver for the test guests: distributor, redistributor scan and wake-up, ICC_* interface
 * (the vector and handler loop: gic_common.c). */
#include "gic.h"

#define GIC_WAIT_US	 100000
#define GIC_DEFAULT_PRIO 0xa0
#define GIC_DEFAULT_PMR	 0xf0
#define GICR_SCAN_MAX	 (GICR_REGION_SIZE / GICR_FRAME_SIZE)

static bool gic_wait_clear(u64 addr, u32 bit)
{
	u64 end = gic_counter() + gic_us_to_ticks(GIC_WAIT_US);

	while (gic_read32(addr) & bit)
		if (gic_counter() > end)
			return false;
	return true;
}

static void gic_dist_wait_rwp(void)
{
	if (!gic_wait_clear(GICD_BASE + GICD_CTLR, GICD_CTLR_RWP))
		report_info("gic: GICD_CTLR.RWP stuck at 1");
}

static void gic_redist_wait_rwp(void)
{
	if (!gic_wait_clear(gic_this_cpu()->rd_base + GICR_CTLR, GICR_CTLR_RWP))
		report_info("gic: GICR_CTLR.RWP stuck at 1");
}

bool gic_dist_init(void)
{
	u32 lines = GICD_TYPER_ITLINES(gic_read32(GICD_BASE + GICD_TYPER));
	u32 nr_irqs = 32 * (lines + 1);

	if (nr_irqs > GIC_MAX_INTID)
		nr_irqs = GIC_MAX_INTID;
	gic_write32(GICD_BASE + GICD_CTLR, 0);
	gic_dist_wait_rwp();
	for (u32 i = GIC_FIRST_SPI; i < nr_irqs; i += 32) {
		gic_write32(GICD_BASE + GICD_ICENABLER(i / 32), ~0U);
		gic_write32(GICD_BASE + GICD_IGROUPR(i / 32), ~0U);
	}
	gic_dist_wait_rwp();
	for (u32 i = GIC_FIRST_SPI; i < nr_irqs; i++)
		gic_write8(GICD_BASE + GICD_IPRIORITYR + i, GIC_DEFAULT_PRIO);
	/* Bits 1:0 are EnableGrp1/EnableGrp0 with DS=1, EnableGrp1A/EnableGrp1 in the NS view. */
	gic_write32(GICD_BASE + GICD_CTLR,
		    GICD_CTLR_ARE | GICD_CTLR_ENABLE_G1_G1A | GICD_CTLR_ENABLE_G0_G1);
	gic_dist_wait_rwp();
	return gic_read32(GICD_BASE + GICD_CTLR) & GICD_CTLR_ARE;
}

/* Read a GICR_TYPER; an abort (a frame the VM does not have) ends the scan instead of the test. */
static bool gic_read_typer(u64 rd_base, u64 *typer)
{
	u64 v;

	expect_exception(ESR_EC_DABT_CUR);
	v = gic_read64(rd_base + GICR_TYPER);
	if (exception_taken(NULL, NULL)) {
		report_info("gic: data abort reading GICR_TYPER at 0x%lx", rd_base + GICR_TYPER);
		return false;
	}
	*typer = v;
	return true;
}

static void gic_redist_scan(struct gic_cpu *c)
{
	u64 aff = c->mpidr & 0xffffff, base = GICR_BASE, typer;

	aff |= (c->mpidr >> 32 & 0xff) << 24;
	c->rd_base = 0;
	c->nr_frames = 0;
	c->last_seen = false;
	while (base < GICR_BASE + GICR_REGION_SIZE && c->nr_frames < GICR_SCAN_MAX) {
		if (!gic_read_typer(base, &typer))
			break;
		if (GICR_TYPER_AFF(typer) == aff && !c->rd_base) {
			c->rd_base = base;
			c->frame = c->nr_frames;
		}
		c->nr_frames++;
		if (typer & GICR_TYPER_LAST) {
			c->last_seen = true;
			break;
		}
		base += GICR_FRAME_SIZE + (typer & GICR_TYPER_VLPIS ? GICR_VLPI_FRAME_EXT : 0);
	}
}

static bool gic_redist_wake(u64 rd_base)
{
	u32 waker = gic_read32(rd_base + GICR_WAKER);

	gic_write32(rd_base + GICR_WAKER, waker & ~GICR_WAKER_PSLEEP);
	if (!gic_wait_clear(rd_base + GICR_WAKER, GICR_WAKER_CASLEEP))
		return false;
	return !(gic_read32(rd_base + GICR_WAKER) & GICR_WAKER_PSLEEP);
}

bool gic_cpu_init(void)
{
	struct gic_cpu *c = gic_this_cpu();

	c->mpidr = cpu_mpidr();
	gic_redist_scan(c);
	return c->rd_base && gic_cpu_init_at(c->rd_base);
}

u64 gic_cpu_init_by_aff0(void)
{
	u64 rd = GICR_BASE + (read_sysreg(mpidr_el1) & 0xff) * GICR_FRAME_SIZE;

	gic_cpu_init_at(rd);
	return gic_read64(rd + GICR_TYPER);
}

bool gic_cpu_is_own(u64 id, u64 mpidr)
{
	return GICR_TYPER_AFF(id) == (mpidr & 0xffffff) && GICR_TYPER_PROC(id) == (mpidr & 0xff);
}

bool gic_cpu_init_at(u64 rd_base)
{
	struct gic_cpu_state *s = gic_state();
	struct gic_cpu *c = &s->pub;
	u64 sgi;

	write_sysreg(gic_vectors, vbar_el1);
	isb();
	c->mpidr = cpu_mpidr();
	c->rd_base = rd_base;
	s->unhandled = 0;
	s->spurious = 0;
	c->awake = gic_redist_wake(c->rd_base);

	sgi = c->rd_base + GICR_SGI_OFFSET;
	gic_write32(sgi + GICR_ICENABLER0, ~0U);
	gic_redist_wait_rwp();
	gic_write32(sgi + GICR_IGROUPR0, ~0U);
	gic_write32(sgi + GICR_ICPENDR0, ~0U);
	gic_write32(sgi + GICR_ICACTIVER0, ~0U);
	for (u32 i = 0; i < GIC_FIRST_SPI; i++)
		gic_write8(sgi + GICR_IPRIORITYR + i, GIC_DEFAULT_PRIO);

	write_sysreg(read_sysreg(icc_sre_el1) | ICC_SRE_EL1_SRE, icc_sre_el1);
	isb();
	write_sysreg(GIC_DEFAULT_PMR, icc_pmr_el1);
	write_sysreg(0, icc_bpr1_el1);
	write_sysreg(read_sysreg(icc_ctlr_el1) & ~ICC_CTLR_EL1_EOIMODE, icc_ctlr_el1);
	write_sysreg(1, icc_igrpen1_el1);
	isb();
	return true;
}

static u64 gic_reg_base(u32 intid)
{
	return intid < GIC_FIRST_SPI ? gic_sgi_base() : GICD_BASE;
}

static void gic_wait_rwp_for(u32 intid)
{
	if (intid < GIC_FIRST_SPI)
		gic_redist_wait_rwp();
	else
		gic_dist_wait_rwp();
}

/* The ISENABLER..ICACTIVER banks: one bit per INTID, same layout in GICD and GICR SGI_base. */
static void gic_bit_write(u32 reg, u32 intid)
{
	gic_write32(gic_reg_base(intid) + reg + 4 * (intid / 32), 1U << (intid % 32));
}

static bool gic_bit_read(u32 reg, u32 intid)
{
	return gic_read32(gic_reg_base(intid) + reg + 4 * (intid / 32)) & (1U << (intid % 32));
}

void gic_irq_enable(u32 intid)
{
	gic_bit_write(GICD_ISENABLER(0), intid);
}

void gic_irq_disable(u32 intid)
{
	gic_bit_write(GICD_ICENABLER(0), intid);
	gic_wait_rwp_for(intid);
}

void gic_irq_set_pending(u32 intid)
{
	gic_bit_write(GICD_ISPENDR(0), intid);
}

void gic_irq_clear_pending(u32 intid)
{
	gic_bit_write(GICD_ICPENDR(0), intid);
}

bool gic_irq_is_pending(u32 intid)
{
	return gic_bit_read(GICD_ISPENDR(0), intid);
}

bool gic_irq_is_active(u32 intid)
{
	return gic_bit_read(GICD_ISACTIVER(0), intid);
}

void gic_irq_set_priority(u32 intid, u8 prio)
{
	gic_write8(gic_reg_base(intid) + GICD_IPRIORITYR + intid, prio);
}

u8 gic_irq_priority(u32 intid)
{
	return gic_read8(gic_reg_base(intid) + GICD_IPRIORITYR + intid);
}

static u64 gic_icfgr(u32 intid)
{
	return gic_reg_base(intid) + GICD_ICFGR(intid / 16);
}

bool gic_irq_is_edge(u32 intid)
{
	return gic_read32(gic_icfgr(intid)) & (2U << 2 * (intid % 16));
}

bool gic_irq_set_edge(u32 intid, bool edge)
{
	u32 bit = 2U << 2 * (intid % 16);
	u32 v = gic_read32(gic_icfgr(intid));

	gic_write32(gic_icfgr(intid), edge ? v | bit : v & ~bit);
	return gic_irq_is_edge(intid) == edge;
}

void gic_spi_route(u32 intid, u64 mpidr)
{
	gic_write64(GICD_BASE + GICD_IROUTER(intid), mpidr & 0xff00ffffffUL);
}

u32 gic_ack(void)
{
	u32 intid = ICC_IAR_INTID(read_sysreg(icc_iar1_el1));

	dsb();
	return intid;
}

void gic_eoi(u32 intid)
{
	write_sysreg(intid, icc_eoir1_el1);
	isb();
}

void gic_send_sgi(u64 mpidr, u32 intid)
{
	u64 aff0 = mpidr & 0xff;
	u64 v = (mpidr >> 32 & 0xff) << ICC_SGI1R_AFF3_SHIFT |
		(mpidr >> 16 & 0xff) << ICC_SGI1R_AFF2_SHIFT |
		(mpidr >> 8 & 0xff) << ICC_SGI1R_AFF1_SHIFT | (aff0 >> 4) << ICC_SGI1R_RS_SHIFT |
		(u64)(intid & 0xf) << ICC_SGI1R_INTID_SHIFT | 1UL << (aff0 & 0xf);

	dsb();
	write_sysreg(v, icc_sgi1r_el1);
	isb();
}

void gic_send_sgi_list(const u64 *mpidrs, unsigned int n, u32 intid)
{
	u64 m = n ? mpidrs[0] : 0, v;

	v = (m >> 32 & 0xff) << ICC_SGI1R_AFF3_SHIFT | (m >> 16 & 0xff) << ICC_SGI1R_AFF2_SHIFT |
	    (m >> 8 & 0xff) << ICC_SGI1R_AFF1_SHIFT | (m & 0xff) >> 4 << ICC_SGI1R_RS_SHIFT |
	    (u64)(intid & 0xf) << ICC_SGI1R_INTID_SHIFT;
	for (unsigned int i = 0; i < n; i++)
		v |= 1UL << (mpidrs[i] & 0xf);
	dsb();
	write_sysreg(v, icc_sgi1r_el1);
	isb();
}

void gic_send_sgi_others(u32 intid)
{
	dsb();
	write_sysreg(ICC_SGI1R_IRM | (u64)(intid & 0xf) << ICC_SGI1R_INTID_SHIFT, icc_sgi1r_el1);
	isb();
}

void gic_reset_view(struct gic_reset_view *v)
{
	u64 sgi = GICR_BASE + GICR_SGI_OFFSET;

	v->enabled0 = gic_read32(sgi + GICR_ISENABLER0);
	v->pending0 = gic_read32(sgi + GICR_ISPENDR0);
	v->active0 = gic_read32(sgi + GICR_ISACTIVER0);
	v->rpr = (u32)(read_sysreg(s3_0_c12_c11_3) & 0xff);	  /* ICC_RPR_EL1 */
	v->hppir = (u32)(read_sysreg(s3_0_c12_c12_2) & 0xffffff); /* ICC_HPPIR1_EL1 */
	v->pmr = (u32)read_sysreg(s3_0_c4_c6_0);		  /* ICC_PMR_EL1 */
	v->enable = (u32)read_sysreg(s3_0_c12_c12_7);		  /* ICC_IGRPEN1_EL1 */
	v->apr0 = (u32)read_sysreg(s3_0_c12_c9_0);		  /* ICC_AP1R0_EL1 */
}

void gic_set_pmr(u8 pmr)
{
	write_sysreg(pmr, icc_pmr_el1);
	isb();
}

u8 gic_pmr(void)
{
	return read_sysreg(icc_pmr_el1);
}

void gic_set_igrpen1(bool on)
{
	write_sysreg(on, icc_igrpen1_el1);
	isb();
}

unsigned int gic_bpr1(void)
{
	return read_sysreg(icc_bpr1_el1) & 7;
}

unsigned int gic_pri_bits(void)
{
	return ICC_CTLR_EL1_PRIBITS(read_sysreg(icc_ctlr_el1));
}
