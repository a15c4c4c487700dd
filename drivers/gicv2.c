// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host GICv2 (Arm IHI 0048B; the GIC-400): the ops of tern/irqchip.h over the memory-mapped
 * distributor and CPU interface. Every interrupt is Group 1 (what a Non-secure hypervisor sees
 * of a GIC with the Security Extensions, and what Tern makes them on one without): a guest's
 * deactivation through a hardware-linked list register reaches the physical interrupt only for
 * Group 1 (QEMU ignores it for Group 0, as a Non-secure GICC_DIR write would be). GICC_CTLR.AckCtl
 * lets GICC_IAR acknowledge them there, and EOImode = 1 splits priority drop from deactivation
 * (GICC_DIR), so an interrupt forwarded to a guest is deactivated by the guest, as with the
 * GICv3.
 *
 * SGIs name their targets by CPU-interface number, which is not the MPIDR: each pCPU reads its
 * own from the banked GICD_ITARGETSR0 in cpu_init and records it with its MPIDR.
 */
#include <drivers/gicv2.h>
#include <tern/compiler.h>
#include <tern/errno.h>
#include <tern/irq.h>
#include <tern/percpu.h>
#include <tern/platform.h>
#include <tern/printk.h>

#define GICD_CTLR	0x000
#define GICD_TYPER	0x004
#define GICD_IGROUPR	0x080
#define GICD_ISENABLER	0x100
#define GICD_ICENABLER	0x180
#define GICD_ICPENDR	0x280
#define GICD_ISACTIVER	0x300
#define GICD_ICACTIVER	0x380
#define GICD_IPRIORITYR 0x400
#define GICD_ITARGETSR	0x800
#define GICD_ICFGR	0xC00
#define GICD_SGIR	0xF00
/* EnableGrp0 and EnableGrp1; Enable (Group 1) alone in the Non-secure view. */
#define GICD_CTLR_EN (3U << 0)

#define GICC_CTLR 0x0000
#define GICC_PMR  0x0004
#define GICC_BPR  0x0008
#define GICC_IAR  0x000C
#define GICC_EOIR 0x0010
#define GICC_IIDR 0x00FC
#define GICC_DIR  0x1000
/*
 * EnableGrp0, EnableGrp1, AckCtl, EOImodeS and EOImodeNS without the Security Extensions; in the
 * Non-secure view of a GIC with them bit 0 is EnableGrp1, bit 9 EOImodeNS, the others reserved.
 */
#define GICC_CTLR_EN	  (7U << 0)
#define GICC_CTLR_EOIMODE (3U << 9)
#define GICC_IAR_INTID	  0x3FFU
#define GICC_IAR_CPUID	  (7U << 10)

#define GICC_IIDR_ARCH(v) (((v) >> 16) & 0xF)
/* The 64 KiB repeat of a GIC-400's 4 KiB pages (gicv2_cpu_frame()). */
#define GICV2_ALIAS_STRIDE 0x10000UL

#define GIC_PRIO_DEFAULT 0xA0
#define GIC_NR_SGIS	 16

static paddr_t gicd_base;
static paddr_t gicc_base;
static unsigned int gic_nr_intids;
/* Per pCPU: its CPU-interface bit (GICD_ITARGETSR), its MPIDR, and the raw IAR of each SGI it
 * acknowledged (an SGI's EOI and DIR must repeat the sender's CPUID). */
static u8 gic_cpu_mask[CONFIG_MAX_PCPUS];
static u64 gic_cpu_mpidr[CONFIG_MAX_PCPUS];
static u32 gic_sgi_iar[CONFIG_MAX_PCPUS][GIC_NR_SGIS];

static inline u32 mmio_read32(paddr_t a)
{
	return *(volatile u32 *)a;
}

static inline void mmio_write32(paddr_t a, u32 v)
{
	*(volatile u32 *)a = v;
}

static inline void mmio_write8(paddr_t a, u8 v)
{
	*(volatile u8 *)a = v;
}

paddr_t gicv2_cpu_frame(paddr_t base, u64 size)
{
	paddr_t alias = base + GICV2_ALIAS_STRIDE - 0x1000;
	u32 iidr;

	if (size < 2 * GICV2_ALIAS_STRIDE)
		return base;
	iidr = mmio_read32(base + GICC_IIDR);
	if (GICC_IIDR_ARCH(iidr) == 2 && mmio_read32(alias + GICC_IIDR) == iidr)
		return alias;
	return base;
}

static int gicv2_init(const struct platform_irqchip *ic)
{
	const struct platform_range *cpu = &ic->regs[GICV2_REG_CPU];
	u32 typer;

	gicd_base = ic->regs[GICV2_REG_DIST].base;
	gicc_base = gicv2_cpu_frame(cpu->base, cpu->size);
	if (GICC_IIDR_ARCH(mmio_read32(gicc_base + GICC_IIDR)) != 2) {
		pr_err("gicv2: CPU interface at 0x%llx is not a GICv2 (GICC_IIDR 0x%x)\n",
		       (unsigned long long)gicc_base, mmio_read32(gicc_base + GICC_IIDR));
		return -TERN_ENODEV;
	}
	typer = mmio_read32(gicd_base + GICD_TYPER);
	gic_nr_intids = MIN(32 * ((typer & 0x1f) + 1), (unsigned int)IRQ_NR_INTIDS);

	mmio_write32(gicd_base + GICD_CTLR, 0);
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
	mmio_write32(gicd_base + GICD_CTLR, GICD_CTLR_EN);
	pr_info("gicv2: distributor 0x%llx, CPU interface 0x%llx, %u interrupt IDs\n",
		(unsigned long long)gicd_base, (unsigned long long)gicc_base, gic_nr_intids);
	return 0;
}

static unsigned int gicv2_nr_intids(void)
{
	return gic_nr_intids;
}

/* This CPU's interface bit: GICD_ITARGETSR0-7 read as it for the reading CPU. */
static u8 gicv2_read_cpu_mask(void)
{
	u32 v = mmio_read32(gicd_base + GICD_ITARGETSR);

	return (u8)(v | v >> 8 | v >> 16 | v >> 24);
}

static int gicv2_cpu_init(void)
{
	struct pcpu *p = this_pcpu();
	u8 mask = gicv2_read_cpu_mask();

	/* A GIC with one CPU interface has ITARGETSR RAZ/WI: everything goes to that one. */
	if (!mask && !((mmio_read32(gicd_base + GICD_TYPER) >> 5) & 7))
		mask = 1;
	if (!mask) {
		pr_err("gicv2: pCPU %u reads no CPU interface number from GICD_ITARGETSR0\n",
		       p->id);
		return -TERN_ENODEV;
	}
	gic_cpu_mask[p->id] = mask;
	__atomic_store_n(&gic_cpu_mpidr[p->id], p->mpidr | (1ULL << 63), __ATOMIC_RELEASE);

	mmio_write32(gicd_base + GICD_IGROUPR, ~0U);
	mmio_write32(gicd_base + GICD_ICENABLER, ~0U);
	mmio_write32(gicd_base + GICD_ICPENDR, ~0U);
	mmio_write32(gicd_base + GICD_ICACTIVER, ~0U);
	for (unsigned int i = 0; i < 32; i += 4)
		mmio_write32(gicd_base + GICD_IPRIORITYR + i, GIC_PRIO_DEFAULT * 0x01010101U);

	mmio_write32(gicc_base + GICC_PMR, 0xff);
	mmio_write32(gicc_base + GICC_BPR, 0);
	mmio_write32(gicc_base + GICC_CTLR, GICC_CTLR_EN | GICC_CTLR_EOIMODE);
	return 0;
}

static void gicv2_enable(unsigned int intid)
{
	if (intid >= 32)
		mmio_write8(gicd_base + GICD_ITARGETSR + intid, gic_cpu_mask[this_cpu_id()]);
	mmio_write32(gicd_base + GICD_ISENABLER + intid / 32 * 4, 1U << (intid % 32));
}

static void gicv2_disable(unsigned int intid)
{
	mmio_write32(gicd_base + GICD_ICENABLER + intid / 32 * 4, 1U << (intid % 32));
}

static u32 gicv2_ack(void)
{
	u32 iar = mmio_read32(gicc_base + GICC_IAR);
	u32 intid = iar & GICC_IAR_INTID;

	if (intid < GIC_NR_SGIS)
		gic_sgi_iar[this_cpu_id()][intid] = iar;
	return intid;
}

/* EOIR and DIR take the IAR value: for an SGI, with the CPUID of its sender. */
static u32 gicv2_iar_of(u32 intid)
{
	return intid < GIC_NR_SGIS ? gic_sgi_iar[this_cpu_id()][intid] : intid;
}

static void gicv2_eoi(u32 intid)
{
	mmio_write32(gicc_base + GICC_EOIR, gicv2_iar_of(intid));
}

static void gicv2_deactivate(u32 intid)
{
	mmio_write32(gicc_base + GICC_DIR, gicv2_iar_of(intid));
}

/* GICD_I[SC]ACTIVER0 is banked: the calling CPU's SGIs and PPIs. */
static bool gicv2_get_active(unsigned int intid)
{
	return intid < 32 && (mmio_read32(gicd_base + GICD_ISACTIVER) & (1U << intid));
}

static void gicv2_set_active(unsigned int intid, bool active)
{
	if (intid < 32)
		mmio_write32(gicd_base + (active ? GICD_ISACTIVER : GICD_ICACTIVER), 1U << intid);
}

static void gicv2_send_sgi(unsigned int sgi, u64 mpidr)
{
	u32 targets = 0;

	for (unsigned int i = 0; i < CONFIG_MAX_PCPUS; i++) {
		u64 m = __atomic_load_n(&gic_cpu_mpidr[i], __ATOMIC_ACQUIRE);

		if ((m >> 63) && (m & MPIDR_HWID_MASK) == (mpidr & MPIDR_HWID_MASK))
			targets |= gic_cpu_mask[i];
	}
	if (!targets)
		return;
	/* The SGI must not overtake the stores it announces. */
	__asm__ __volatile__("dsb ishst" ::: "memory");
	mmio_write32(gicd_base + GICD_SGIR, targets << 16 | (sgi & 0xF));
}

const struct irqchip_ops gicv2_ops = {
	.init = gicv2_init,
	.cpu_init = gicv2_cpu_init,
	.nr_intids = gicv2_nr_intids,
	.enable = gicv2_enable,
	.disable = gicv2_disable,
	.ack = gicv2_ack,
	.eoi = gicv2_eoi,
	.deactivate = gicv2_deactivate,
	.get_active = gicv2_get_active,
	.set_active = gicv2_set_active,
	.send_sgi = gicv2_send_sgi,
};
