// SPDX-License-Identifier: GPL-2.0-only
/*
 * The list-register layer on a GICv2 host (Arm IHI 0048B, 5.3): the GICH frame, which each CPU
 * sees as its own virtual interface control. The vGIC core's list-register values are in the
 * ICH_LR<n>_EL2 layout (virt/vgic_hw.h); this turns them into GICH_LR<n> and back:
 *
 *   ICH_LR                         GICH_LR
 *   vINTID [31:0]                  VirtualID [9:0]
 *   pINTID [44:32], HW=1           EOI [19] (kept per LR here; HW [31] is never set, below)
 *   EOI [41], HW=0                 EOI [19]
 *   source [44:42], HW=0 (Tern's)  CPUID [12:10] (the sending vCPU of an SGI)
 *   Priority [55:48]               Priority [27:23] (the top five bits)
 *   Group [60]                     Grp1 [30]
 *   State [63:62]                  State [29:28]
 *
 * A hardware-linked value (HW = 1) is not written as one: it becomes a software LR with the EOI
 * maintenance interrupt, and Tern deactivates the physical interrupt when it reads the LR back
 * inactive. QEMU's GICv2 model (Debian 12's 7.2, on qemu-virt-gicv2 and xlnx-zcu102; upstream
 * the same) forwards a guest's deactivation through a HW LR to the distributor but re-evaluates
 * only the virtual CPU interface: a level interrupt whose line is still high (a periodic virtual
 * timer the guest re-armed in the past, as a vCPU catching up after being descheduled does)
 * becomes pending again and is not signalled to the physical CPU until some other physical
 * interrupt comes by (Tern's next scheduler tick). The emulation costs one maintenance exit per
 * forwarded interrupt and is correct on any GIC.
 */
#include <drivers/gicv2.h>
#include <tern/compiler.h>
#include <tern/errno.h>
#include <tern/irq.h>
#include <tern/kconfig.h>
#include <tern/percpu.h>
#include <tern/platform.h>
#include <tern/printk.h>
#include <virt/vgic.h>
#include <virt/vgic_hw.h>

#define GICH_HCR  0x000
#define GICH_VTR  0x004
#define GICH_VMCR 0x008
#define GICH_APR  0x0F0
#define GICH_LR0  0x100

#define GICH_LR_VID_MASK     0x3FFU
#define GICH_LR_CPUID_SHIFT  10
#define GICH_LR_EOI	     (1U << 19)
#define GICH_LR_PRIO_SHIFT   23
#define GICH_LR_PENDING	     (1U << 28)
#define GICH_LR_ACTIVE	     (1U << 29)
#define GICH_LR_GRP1	     (1U << 30)
#define GICH_VTR_LISTREGS(v) (((v)&0x3F) + 1)

static paddr_t gich_base;
static unsigned int gich_nr_lrs;
/* Per pCPU and LR: the physical INTID of the hardware-linked value written there, 0 if none. */
static u16 gich_lr_pintid[CONFIG_MAX_PCPUS][VGIC_MAX_LRS];

static inline u32 gich_read(unsigned int reg)
{
	return *(volatile u32 *)(gich_base + reg);
}

static inline void gich_write(unsigned int reg, u32 val)
{
	*(volatile u32 *)(gich_base + reg) = val;
}

static int vgic_v2_init_cpu(const struct platform_irqchip *ic)
{
	if (ic->nr_regs < GICV2_NR_REGS)
		return -TERN_ENODEV;
	gich_base = ic->regs[GICV2_REG_HYP].base;
	gich_nr_lrs = MIN(GICH_VTR_LISTREGS(gich_read(GICH_VTR)), (unsigned int)VGIC_MAX_LRS);
	return 0;
}

static unsigned int vgic_v2_nr_lrs(void)
{
	return gich_nr_lrs;
}

static u32 vgic_v2_lr_encode(u64 v)
{
	u32 lr = (u32)(v & GICH_LR_VID_MASK);

	lr |= (u32)((v >> ICH_LR_PRIO_SHIFT) & 0xF8) << (GICH_LR_PRIO_SHIFT - 3);
	if (v & ICH_LR_GROUP1)
		lr |= GICH_LR_GRP1;
	if (v & ICH_LR_PENDING)
		lr |= GICH_LR_PENDING;
	if (v & ICH_LR_ACTIVE)
		lr |= GICH_LR_ACTIVE;
	/* Hardware-linked: the EOI maintenance interrupt reports the deactivation (above). */
	if (v & (ICH_LR_EOI | ICH_LR_HW))
		lr |= GICH_LR_EOI;
	if (!(v & ICH_LR_HW))
		lr |= (u32)((v & VGIC_LR_SOURCE_MASK) >> VGIC_LR_SOURCE_SHIFT)
		      << GICH_LR_CPUID_SHIFT;
	return lr;
}

/* @pintid: the physical INTID of the hardware-linked value written there, 0 if none. */
static u64 vgic_v2_lr_decode(u32 lr, unsigned int pintid)
{
	u64 v = lr & GICH_LR_VID_MASK;

	v |= (u64)((lr >> (GICH_LR_PRIO_SHIFT - 3)) & 0xF8) << ICH_LR_PRIO_SHIFT;
	if (lr & GICH_LR_GRP1)
		v |= ICH_LR_GROUP1;
	if (lr & GICH_LR_PENDING)
		v |= ICH_LR_PENDING;
	if (lr & GICH_LR_ACTIVE)
		v |= ICH_LR_ACTIVE;
	if (pintid)
		return v | ICH_LR_HW | (u64)pintid << ICH_LR_PINTID_SHIFT;
	if (lr & GICH_LR_EOI)
		v |= ICH_LR_EOI;
	return v | (u64)((lr >> GICH_LR_CPUID_SHIFT) & 7) << VGIC_LR_SOURCE_SHIFT;
}

/*
 * What the GIC does when the guest deactivates a hardware-linked interrupt. A PPI through its
 * banked active bit: after a vCPU moved, vtimer_load() made it active on this pCPU without an
 * acknowledge here, which GICC_DIR does not expect.
 */
static void vgic_v2_deactivate_phys(unsigned int pintid)
{
	if (pintid < 32)
		irq_set_active(pintid, false);
	else
		irq_deactivate(pintid);
}

static u64 vgic_v2_read_lr(unsigned int n)
{
	u16 *pintid = &gich_lr_pintid[this_cpu_id()][n];
	u32 lr = gich_read(GICH_LR0 + 4 * n);
	u64 v = vgic_v2_lr_decode(lr, *pintid);

	if (*pintid && !(lr & (GICH_LR_PENDING | GICH_LR_ACTIVE))) {
		vgic_v2_deactivate_phys(*pintid);
		*pintid = 0;
	}
	return v;
}

static void vgic_v2_write_lr(unsigned int n, u64 val)
{
	gich_lr_pintid[this_cpu_id()][n] =
	    val & ICH_LR_HW ? (u16)((val >> ICH_LR_PINTID_SHIFT) & GICH_LR_VID_MASK) : 0;
	gich_write(GICH_LR0 + 4 * n, vgic_v2_lr_encode(val));
}

/* GICH_HCR.En and .UIE are bits 0 and 1, as in ICH_HCR_EL2. */
static void vgic_v2_write_hcr(u64 val)
{
	gich_write(GICH_HCR, (u32)(val & (ICH_HCR_EN | ICH_HCR_UIE)));
}

/* One active-priority register (32 preemption levels, 5 priority bits). */
static void vgic_v2_save(struct vgic_cpu *c)
{
	c->vmcr = gich_read(GICH_VMCR);
	c->ap0r[0] = gich_read(GICH_APR);
}

static void vgic_v2_restore(const struct vgic_cpu *c)
{
	gich_write(GICH_VMCR, (u32)c->vmcr);
	gich_write(GICH_APR, (u32)c->ap0r[0]);
}

VGIC_HW(v2) = {
	.irqchip = "gicv2",
	.init_cpu = vgic_v2_init_cpu,
	.nr_lrs = vgic_v2_nr_lrs,
	.read_lr = vgic_v2_read_lr,
	.write_lr = vgic_v2_write_lr,
	.write_hcr = vgic_v2_write_hcr,
	.save = vgic_v2_save,
	.restore = vgic_v2_restore,
};
