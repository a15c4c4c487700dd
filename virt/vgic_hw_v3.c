// SPDX-License-Identifier: GPL-2.0-only
/*
 * The list-register layer on a GICv3 host: the ICH_* system registers (list registers, ICH_HCR,
 * ICH_VMCR and the active-priority registers). The vGIC core's list-register format is this
 * hardware's own. System-register names must be constants, hence the tables of accessors.
 */
#include <asm/sysreg.h>
#include <tern/compiler.h>
#include <virt/vgic.h>
#include <virt/vgic_hw.h>
#include "vgic_v3_lr.h"

unsigned int vgic_nr_lrs;
static unsigned int vgic_nr_aprs;

static int vgic_v3_init_cpu(const struct platform_irqchip *ic)
{
	u64 vtr = read_sysreg(s3_4_c12_c11_1); /* ICH_VTR_EL2 */
	unsigned int prebits = ((vtr >> 26) & 7) + 1;

	vgic_nr_lrs = MIN((unsigned int)(vtr & 0x1F) + 1, (unsigned int)VGIC_MAX_LRS);
	/* 5 preemption bits: 1 APR register per group, 6: 2, 7: 4. */
	vgic_nr_aprs = 1U << (prebits > 5 ? prebits - 5 : 0);
	(void)ic;
	return 0;
}

static unsigned int vgic_v3_nr_lrs(void)
{
	return vgic_nr_lrs;
}

static u64 vgic_v3_read_lr(unsigned int n)
{
	switch (n) {
		LR_LIST(LR_CASE_READ)
	default:
		return 0;
	}
}

static void vgic_v3_write_lr(unsigned int n, u64 val)
{
	if (!(val & ICH_LR_HW))
		val &= ~VGIC_LR_SOURCE_MASK;
	switch (n) {
		LR_LIST(LR_CASE_WRITE)
	default:
		break;
	}
}

static void vgic_v3_write_hcr(u64 val)
{
	write_sysreg(val, s3_4_c12_c11_0); /* ICH_HCR_EL2 */
}

#define APR_SAVE(n, r0, r1)                                                                        \
	if (vgic_nr_aprs > n) {                                                                    \
		c->ap0r[n] = read_sysreg(r0);                                                      \
		c->ap1r[n] = read_sysreg(r1);                                                      \
	}
#define APR_RESTORE(n, r0, r1)                                                                     \
	if (vgic_nr_aprs > n) {                                                                    \
		write_sysreg(c->ap0r[n], r0);                                                      \
		write_sysreg(c->ap1r[n], r1);                                                      \
	}

static void vgic_v3_save(struct vgic_cpu *c)
{
	c->vmcr = read_sysreg(s3_4_c12_c11_7); /* ICH_VMCR_EL2 */
	APR_SAVE(0, s3_4_c12_c8_0, s3_4_c12_c9_0)
	APR_SAVE(1, s3_4_c12_c8_1, s3_4_c12_c9_1)
	APR_SAVE(2, s3_4_c12_c8_2, s3_4_c12_c9_2)
	APR_SAVE(3, s3_4_c12_c8_3, s3_4_c12_c9_3)
}

static void vgic_v3_restore(const struct vgic_cpu *c)
{
	write_sysreg(c->vmcr, s3_4_c12_c11_7);
	APR_RESTORE(0, s3_4_c12_c8_0, s3_4_c12_c9_0)
	APR_RESTORE(1, s3_4_c12_c8_1, s3_4_c12_c9_1)
	APR_RESTORE(2, s3_4_c12_c8_2, s3_4_c12_c9_2)
	APR_RESTORE(3, s3_4_c12_c8_3, s3_4_c12_c9_3)
}

/* Without a vGIC the GIC CPU interface is not the guest's: every ICC_* access traps (UNDEF). */
static void vgic_v3_no_vgic(bool on)
{
	vgic_v3_write_hcr(on ? ICH_HCR_TC | ICH_HCR_TALL0 | ICH_HCR_TALL1 : 0);
}

VGIC_HW(v3) = {
	.irqchip = "gicv3",
	.init_cpu = vgic_v3_init_cpu,
	.nr_lrs = vgic_v3_nr_lrs,
	.read_lr = vgic_v3_read_lr,
	.write_lr = vgic_v3_write_lr,
	.write_hcr = vgic_v3_write_hcr,
	.save = vgic_v3_save,
	.restore = vgic_v3_restore,
	.no_vgic = vgic_v3_no_vgic,
	.fast_ppi = IS_ENABLED(CONFIG_VGIC_FAST_PPI),
};
