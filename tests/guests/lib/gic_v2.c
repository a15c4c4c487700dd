// SPDX-License-Identifier: GPL-2.0-only
/*
 * GICv2 driver for the test guests (GIC=2 builds): QEMU virt's gic-version=2 map, distributor at
 * 0x08000000 with the SGI/PPI registers banked per vCPU, the memory-mapped CPU interface at
 * 0x08010000, Group 0 signalled as IRQ, EOImode 0. The same API as the GICv3 driver (gic.c);
 * the vector and handler loop are gic_common.c's.
 */
#include "gic.h"

#define GIC_DEFAULT_PRIO 0xa0
#define GIC_DEFAULT_PMR	 0xf0

/* This vCPU's last acknowledge of each SGI: its EOI repeats the sender (CPUID). */
static u32 gic_v2_sgi_iar[GUEST_MAX_CPUS][GIC_NR_SGIS];

static unsigned int gic_v2_cpu(void)
{
	return (read_sysreg(mpidr_el1) & 0xff) % GUEST_MAX_CPUS;
}

u8 gic_v2_cpu_mask(void)
{
	u32 v = gic_read32(GICD_BASE + GICD_ITARGETSR);

	return (u8)(v | v >> 8 | v >> 16 | v >> 24);
}

bool gic_dist_init(void)
{
	u32 lines = GICD_TYPER_ITLINES(gic_read32(GICD_BASE + GICD_TYPER));
	u32 nr_irqs = 32 * (lines + 1);

	if (nr_irqs > GIC_MAX_INTID)
		nr_irqs = GIC_MAX_INTID;
	gic_write32(GICD_BASE + GICD_CTLR, 0);
	for (u32 i = GIC_FIRST_SPI; i < nr_irqs; i += 32) {
		gic_write32(GICD_BASE + GICD_ICENABLER(i / 32), ~0U);
		gic_write32(GICD_BASE + GICD_IGROUPR(i / 32), 0);
	}
	for (u32 i = GIC_FIRST_SPI; i < nr_irqs; i++)
		gic_write8(GICD_BASE + GICD_IPRIORITYR + i, GIC_DEFAULT_PRIO);
	gic_write32(GICD_BASE + GICD_CTLR, GICD_CTLR_ENABLE_G0_G1);
	return gic_read32(GICD_BASE + GICD_CTLR) & GICD_CTLR_ENABLE_G0_G1;
}

bool gic_cpu_init(void)
{
	struct gic_cpu_state *s = gic_state();

	write_sysreg(gic_vectors, vbar_el1);
	isb();
	s->pub.mpidr = cpu_mpidr();
	s->pub.rd_base = 0;
	s->pub.awake = true;
	s->unhandled = 0;
	s->spurious = 0;
	gic_write32(GICD_BASE + GICD_ICENABLER(0), ~0U);
	gic_write32(GICD_BASE + GICD_IGROUPR(0), 0);
	gic_write32(GICD_BASE + GICD_ICPENDR(0), ~0U);
	gic_write32(GICD_BASE + GICD_ICACTIVER(0), ~0U);
	for (u32 i = 0; i < GIC_FIRST_SPI; i++)
		gic_write8(GICD_BASE + GICD_IPRIORITYR + i, GIC_DEFAULT_PRIO);
	gic_write32(GICC_BASE + GICC_PMR, GIC_DEFAULT_PMR);
	gic_write32(GICC_BASE + GICC_BPR, 0);
	gic_write32(GICC_BASE + GICC_CTLR, GICC_CTLR_ENABLE_GRP0);
	return gic_v2_cpu_mask() != 0;
}

u64 gic_cpu_init_by_aff0(void)
{
	gic_cpu_init();
	return gic_v2_cpu_mask();
}

/* Our vCPUs' CPU-interface numbers are their Aff0 (the vCPU id). */
bool gic_cpu_is_own(u64 id, u64 mpidr)
{
	return id == 1U << (mpidr & 7);
}

static void gic_bit_write(u32 reg, u32 intid)
{
	gic_write32(GICD_BASE + reg + 4 * (intid / 32), 1U << (intid % 32));
}

static bool gic_bit_read(u32 reg, u32 intid)
{
	return gic_read32(GICD_BASE + reg + 4 * (intid / 32)) & (1U << (intid % 32));
}

void gic_irq_enable(u32 intid)
{
	gic_bit_write(GICD_ISENABLER(0), intid);
}

void gic_irq_disable(u32 intid)
{
	gic_bit_write(GICD_ICENABLER(0), intid);
}

void gic_irq_set_pending(u32 intid)
{
	if (intid < GIC_NR_SGIS)
		gic_write8(GICD_BASE + GICD_SPENDSGIR + intid, gic_v2_cpu_mask());
	else
		gic_bit_write(GICD_ISPENDR(0), intid);
}

void gic_irq_clear_pending(u32 intid)
{
	if (intid < GIC_NR_SGIS)
		gic_write8(GICD_BASE + GICD_CPENDSGIR + intid, 0xff);
	else
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
	gic_write8(GICD_BASE + GICD_IPRIORITYR + intid, prio);
}

u8 gic_irq_priority(u32 intid)
{
	return gic_read8(GICD_BASE + GICD_IPRIORITYR + intid);
}

bool gic_irq_is_edge(u32 intid)
{
	return gic_read32(GICD_BASE + GICD_ICFGR(intid / 16)) & (2U << 2 * (intid % 16));
}

bool gic_irq_set_edge(u32 intid, bool edge)
{
	u64 reg = GICD_BASE + GICD_ICFGR(intid / 16);
	u32 bit = 2U << 2 * (intid % 16);
	u32 v = gic_read32(reg);

	gic_write32(reg, edge ? v | bit : v & ~bit);
	return gic_irq_is_edge(intid) == edge;
}

/* Our vCPUs' CPU-interface numbers are their Aff0 (the vCPU id). */
void gic_spi_route(u32 intid, u64 mpidr)
{
	gic_write8(GICD_BASE + GICD_ITARGETSR + intid, (u8)(1U << (mpidr & 7)));
}

u32 gic_ack(void)
{
	u32 iar = gic_read32(GICC_BASE + GICC_IAR);
	u32 intid = iar & GICC_IAR_INTID_MASK;

	if (intid < GIC_NR_SGIS)
		gic_v2_sgi_iar[gic_v2_cpu()][intid] = iar;
	dsb();
	return intid;
}

u32 gic_v2_last_sgi_source(u32 sgi)
{
	return (gic_v2_sgi_iar[gic_v2_cpu()][sgi % GIC_NR_SGIS] >> 10) & 7;
}

void gic_eoi(u32 intid)
{
	u32 v = intid < GIC_NR_SGIS ? gic_v2_sgi_iar[gic_v2_cpu()][intid] : intid;

	gic_write32(GICC_BASE + GICC_EOIR, v);
	isb();
}

void gic_send_sgi(u64 mpidr, u32 intid)
{
	dsb();
	gic_write32(GICD_BASE + GICD_SGIR, (1U << (mpidr & 7)) << 16 | (intid & 0xf));
	isb();
}

void gic_send_sgi_list(const u64 *mpidrs, unsigned int n, u32 intid)
{
	u32 targets = 0;

	for (unsigned int i = 0; i < n; i++)
		targets |= 1U << (mpidrs[i] & 7);
	dsb();
	gic_write32(GICD_BASE + GICD_SGIR, targets << 16 | (intid & 0xf));
	isb();
}

void gic_send_sgi_others(u32 intid)
{
	dsb();
	gic_write32(GICD_BASE + GICD_SGIR, GICD_SGIR_FILTER_OTHERS | (intid & 0xf));
	isb();
}

void gic_reset_view(struct gic_reset_view *v)
{
	v->enabled0 = gic_read32(GICD_BASE + GICD_ISENABLER(0));
	v->pending0 = gic_read32(GICD_BASE + GICD_ISPENDR(0));
	v->active0 = gic_read32(GICD_BASE + GICD_ISACTIVER(0));
	v->rpr = gic_read32(GICC_BASE + GICC_RPR) & 0xff;
	v->hppir = gic_read32(GICC_BASE + GICC_HPPIR) & GICC_IAR_INTID_MASK;
	v->pmr = gic_read32(GICC_BASE + GICC_PMR);
	v->enable = gic_read32(GICC_BASE + GICC_CTLR) & GICC_CTLR_ENABLE_GRP0;
	v->apr0 = gic_read32(GICC_BASE + GICC_APR0);
}

void gic_set_pmr(u8 pmr)
{
	gic_write32(GICC_BASE + GICC_PMR, pmr);
	isb();
}

u8 gic_pmr(void)
{
	return (u8)gic_read32(GICC_BASE + GICC_PMR);
}

void gic_set_igrpen1(bool on)
{
	gic_write32(GICC_BASE + GICC_CTLR, on ? GICC_CTLR_ENABLE_GRP0 : 0);
	isb();
}

unsigned int gic_bpr1(void)
{
	return gic_read32(GICC_BASE + GICC_BPR) & 7;
}

unsigned int gic_pri_bits(void)
{
	u8 saved = gic_irq_priority(GIC_FIRST_PPI);
	unsigned int bits;

	gic_irq_set_priority(GIC_FIRST_PPI, 0xff);
	bits = (unsigned int)__builtin_popcount(gic_irq_priority(GIC_FIRST_PPI));
	gic_irq_set_priority(GIC_FIRST_PPI, saved);
	return bits;
}
