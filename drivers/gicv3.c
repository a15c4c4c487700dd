// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host GICv3 (the ops of tern/irqchip.h): the distributor, one redistributor per pCPU and the ICC
 * system-register CPU interface. All interrupts are Group 1 Non-secure. EOImode=1 splits priority
 * drop from deactivation, so that an interrupt forwarded to a guest can be deactivated by the
 * guest itself through a hardware-linked list register.
 */
#include <asm/regs.h>
#include <asm/sysreg.h>
#include <drivers/gicv3.h>
#include <tern/compiler.h>
#include <tern/errno.h>
#include <tern/irq.h>
#include <tern/percpu.h>
#include <tern/platform.h>
#include <tern/printk.h>

#define GICD_CTLR	0x0000
#define GICD_TYPER	0x0004
#define GICD_IIDR	0x0008
#define GICD_IGROUPR	0x0080
#define GICD_ISENABLER	0x0100
#define GICD_ICENABLER	0x0180
#define GICD_ICPENDR	0x0280
#define GICD_ICACTIVER	0x0380
#define GICD_IPRIORITYR 0x0400
#define GICD_ICFGR	0x0C00
#define GICD_IROUTER	0x6000
#define GICD_PIDR2	0xFFE8

#define GICD_CTLR_RWP	    (1U << 31)
#define GICD_CTLR_DS	    (1U << 6)
#define GICD_CTLR_ARE	    (1U << 4) /* ARE_NS in the Non-secure view */
#define GICD_CTLR_ENABLE_G1 (1U << 1) /* EnableGrp1A in the Non-secure view */

#define GICR_CTLR	0x0000
#define GICR_TYPER	0x0008
#define GICR_WAKER	0x0014
#define GICR_SGI_BASE	0x10000
#define GICR_IGROUPR0	(GICR_SGI_BASE + 0x0080)
#define GICR_ISENABLER0 (GICR_SGI_BASE + 0x0100)
#define GICR_ICENABLER0 (GICR_SGI_BASE + 0x0180)
#define GICR_ICPENDR0	(GICR_SGI_BASE + 0x0280)
#define GICR_ISACTIVER0 (GICR_SGI_BASE + 0x0300)
#define GICR_ICACTIVER0 (GICR_SGI_BASE + 0x0380)
#define GICR_IPRIORITYR (GICR_SGI_BASE + 0x0400)

#define GICR_CTLR_RWP		  (1U << 3)
#define GICR_TYPER_VLPIS	  (1UL << 1)
#define GICR_TYPER_LAST		  (1UL << 4)
#define GICR_WAKER_PROCESSORSLEEP (1U << 1)
#define GICR_WAKER_CHILDRENASLEEP (1U << 2)

#define ICC_SRE_EL2_SRE	   (1UL << 0)
#define ICC_SRE_EL2_ENABLE (1UL << 3)
#define ICC_CTLR_EOIMODE   (1UL << 1)

#define GIC_PRIO_DEFAULT 0xA0
#define GIC_POLL_LIMIT	 1000000

static paddr_t gicd_base;
static const struct platform_irqchip *gic_platform;
static unsigned int gic_nr_intids;
/* Each pCPU's redistributor (RD_base), found by matching its affinity. */
static paddr_t gicr_base[CONFIG_MAX_PCPUS];

static inline u32 mmio_read32(paddr_t a)
{
	return *(volatile u32 *)a;
}

static inline void mmio_write32(paddr_t a, u32 v)
{
	*(volatile u32 *)a = v;
}

static inline u64 mmio_read64(paddr_t a)
{
	return *(volatile u64 *)a;
}

static inline void mmio_write64(paddr_t a, u64 v)
{
	*(volatile u64 *)a = v;
}

static int gic_wait_clear(paddr_t reg, u32 bit, const char *what)
{
	for (unsigned int i = 0; i < GIC_POLL_LIMIT; i++) {
		if (!(mmio_read32(reg) & bit))
			return 0;
	}
	pr_err("gicv3: timeout waiting for %s\n", what);
	return -TERN_EIO;
}

static u64 mpidr_to_affinity(u64 mpidr)
{
	/* GICR_TYPER[63:32] and GICD_IROUTER pack Aff3.Aff2.Aff1.Aff0 differently: this is TYPER's.
	 */
	return ((mpidr >> 32) & 0xff) << 24 | (mpidr & 0xffffff);
}

static u64 mpidr_to_irouter(u64 mpidr)
{
	return mpidr & 0xff00ffffffUL;
}

static __cold int gicv3_init(const struct platform_irqchip *gic)
{
	u32 typer, ctlr;

	gic_platform = gic;
	gicd_base = gic->regs[0].base;
	if (((mmio_read32(gicd_base + GICD_PIDR2) >> 4) & 0xf) < 3) {
		pr_err("gicv3: distributor at 0x%llx is not a GICv3 (PIDR2.ArchRev %u)\n",
		       (unsigned long long)gicd_base,
		       (mmio_read32(gicd_base + GICD_PIDR2) >> 4) & 0xf);
		return -TERN_ENODEV;
	}
	typer = mmio_read32(gicd_base + GICD_TYPER);
	gic_nr_intids = MIN(32 * ((typer & 0x1f) + 1), (unsigned int)IRQ_NR_INTIDS);

	mmio_write32(gicd_base + GICD_CTLR, 0);
	if (gic_wait_clear(gicd_base + GICD_CTLR, GICD_CTLR_RWP, "GICD_CTLR.RWP"))
		return -TERN_EIO;
	for (unsigned int i = 32; i < gic_nr_intids; i += 32) {
		mmio_write32(gicd_base + GICD_IGROUPR + i / 8, ~0U);
		mmio_write32(gicd_base + GICD_ICENABLER + i / 8, ~0U);
		mmio_write32(gicd_base + GICD_ICPENDR + i / 8, ~0U);
		mmio_write32(gicd_base + GICD_ICACTIVER + i / 8, ~0U);
	}
	for (unsigned int i = 32; i < gic_nr_intids; i += 4)
		mmio_write32(gicd_base + GICD_IPRIORITYR + i, GIC_PRIO_DEFAULT * 0x01010101U);
	for (unsigned int i = 32; i < gic_nr_intids; i += 16)
		mmio_write32(gicd_base + GICD_ICFGR + i / 4, 0); /* level-sensitive */
	if (gic_wait_clear(gicd_base + GICD_CTLR, GICD_CTLR_RWP, "GICD_CTLR.RWP"))
		return -TERN_EIO;
	mmio_write32(gicd_base + GICD_CTLR, GICD_CTLR_ARE | GICD_CTLR_ENABLE_G1);
	ctlr = mmio_read32(gicd_base + GICD_CTLR);
	pr_info("gicv3: distributor 0x%llx, %u interrupt IDs, %s security state%s\n",
		(unsigned long long)gicd_base, gic_nr_intids,
		(ctlr & GICD_CTLR_DS) ? "single" : "two",
		(ctlr & GICD_CTLR_ARE) ? "" : ", affinity routing did not enable");
	return (ctlr & GICD_CTLR_ARE) ? 0 : -TERN_EIO;
}

static unsigned int gicv3_nr_intids(void)
{
	return gic_nr_intids;
}

static paddr_t gicv3_find_redist(u64 mpidr)
{
	u64 aff = mpidr_to_affinity(mpidr);

	for (unsigned int r = 1; r < gic_platform->nr_regs; r++) {
		paddr_t a = gic_platform->regs[r].base;
		paddr_t end = a + gic_platform->regs[r].size;

		while (a < end) {
			u64 typer = mmio_read64(a + GICR_TYPER);

			if ((typer >> 32) == aff)
				return a;
			if (typer & GICR_TYPER_LAST)
				break;
			a += (typer & GICR_TYPER_VLPIS) ? 0x40000 : 0x20000;
		}
	}
	return 0;
}

static __cold int gicv3_cpu_init(void)
{
	struct pcpu *p = this_pcpu();
	paddr_t rd = gicv3_find_redist(p->mpidr);

	if (!rd) {
		pr_err("gicv3: no redistributor for MPIDR 0x%llx\n", (unsigned long long)p->mpidr);
		return -TERN_ENODEV;
	}
	gicr_base[p->id] = rd;

	mmio_write32(rd + GICR_WAKER, mmio_read32(rd + GICR_WAKER) & ~GICR_WAKER_PROCESSORSLEEP);
	if (gic_wait_clear(rd + GICR_WAKER, GICR_WAKER_CHILDRENASLEEP, "GICR_WAKER.ChildrenAsleep"))
		return -TERN_EIO;

	mmio_write32(rd + GICR_IGROUPR0, ~0U);
	mmio_write32(rd + GICR_ICENABLER0, ~0U);
	mmio_write32(rd + GICR_ICPENDR0, ~0U);
	mmio_write32(rd + GICR_ICACTIVER0, ~0U);
	for (unsigned int i = 0; i < 32; i += 4)
		mmio_write32(rd + GICR_IPRIORITYR + i, GIC_PRIO_DEFAULT * 0x01010101U);
	if (gic_wait_clear(rd + GICR_CTLR, GICR_CTLR_RWP, "GICR_CTLR.RWP"))
		return -TERN_EIO;

	write_sysreg(read_sysreg(ICC_SRE_EL2) | ICC_SRE_EL2_SRE | ICC_SRE_EL2_ENABLE, ICC_SRE_EL2);
	isb();
	write_sysreg(0xff, ICC_PMR_EL1);
	write_sysreg(0, ICC_BPR1_EL1);
	write_sysreg(ICC_CTLR_EOIMODE, ICC_CTLR_EL1);
	write_sysreg(1, ICC_IGRPEN1_EL1);
	isb();
	return 0;
}

static void gic_set_enable(unsigned int intid, bool on)
{
	u32 bit = 1U << (intid % 32);

	if (intid < 32) {
		paddr_t rd = gicr_base[this_cpu_id()];

		mmio_write32(rd + (on ? GICR_ISENABLER0 : GICR_ICENABLER0), bit);
		gic_wait_clear(rd + GICR_CTLR, GICR_CTLR_RWP, "GICR_CTLR.RWP");
	} else {
		mmio_write32(gicd_base + (on ? GICD_ISENABLER : GICD_ICENABLER) + intid / 32 * 4,
			     bit);
		gic_wait_clear(gicd_base + GICD_CTLR, GICD_CTLR_RWP, "GICD_CTLR.RWP");
	}
}

static __cold void gicv3_enable(unsigned int intid)
{
	if (intid >= 32)
		mmio_write64(gicd_base + GICD_IROUTER + 8 * intid,
			     mpidr_to_irouter(this_pcpu()->mpidr));
	gic_set_enable(intid, true);
}

static __cold void gicv3_disable(unsigned int intid)
{
	gic_set_enable(intid, false);
}

static void gicv3_deactivate(u32 intid)
{
	write_sysreg(intid, ICC_DIR_EL1);
}

static u32 gicv3_ack(void)
{
	return read_sysreg(ICC_IAR1_EL1) & 0xffffff;
}

static void gicv3_eoi(u32 intid)
{
	write_sysreg(intid, ICC_EOIR1_EL1);
}

static paddr_t gic_sgi_frame(void)
{
	return gicr_base[this_cpu_id()];
}

static bool gicv3_get_active(unsigned int intid)
{
	return intid < 32 && (mmio_read32(gic_sgi_frame() + GICR_ISACTIVER0) & (1U << intid));
}

static void gicv3_set_active(unsigned int intid, bool active)
{
	if (intid < 32)
		mmio_write32(gic_sgi_frame() + (active ? GICR_ISACTIVER0 : GICR_ICACTIVER0),
			     1U << intid);
}

static void gicv3_send_sgi(unsigned int sgi, u64 mpidr)
{
	u64 aff0 = mpidr & 0xff;
	u64 val = (1UL << (aff0 % 16)) | ((mpidr >> 8) & 0xff) << 16 | (u64)sgi << 24 |
		  ((mpidr >> 16) & 0xff) << 32 | (aff0 / 16) << 44 | ((mpidr >> 32) & 0xff) << 48;

	dsb(ishst);
	write_sysreg(val, ICC_SGI1R_EL1);
	isb();
}

const struct irqchip_ops gicv3_ops = {
	.init = gicv3_init,
	.cpu_init = gicv3_cpu_init,
	.nr_intids = gicv3_nr_intids,
	.enable = gicv3_enable,
	.disable = gicv3_disable,
	.ack = gicv3_ack,
	.eoi = gicv3_eoi,
	.deactivate = gicv3_deactivate,
	.get_active = gicv3_get_active,
	.set_active = gicv3_set_active,
	.send_sgi = gicv3_send_sgi,
};
