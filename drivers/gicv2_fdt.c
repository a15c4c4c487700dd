// SPDX-License-Identifier: GPL-2.0-only
/*
 * The GICv2 as the boot DT describes it (Linux's arm,gic binding): "reg" is GICD, GICC and, with
 * the virtualization extensions Tern needs, GICH and GICV; "interrupts" the maintenance PPI. Pure
 * DT parsing (also built into the host unit tests); the hardware side is drivers/gicv2.c.
 */
#include <drivers/gic_fdt.h>
#include <drivers/gicv2.h>
#include <libfdt.h>
#include <tern/errno.h>
#include <tern/fdt_util.h>
#include <tern/irqchip.h>
#include <tern/platform.h>
#include <tern/printk.h>

static int gicv2_probe(const void *fdt, int node, struct platform_irqchip *ic)
{
	int n = fdt_util_reg_count(fdt, node);

	if (n < GICV2_NR_REGS) {
		platform_log(LOG_ERR,
			     "%s: \"reg\" has %d region(s): a GICv2 needs GICD, GICC, GICH and "
			     "GICV (the virtualization extensions)\n",
			     ic->path, n < 0 ? 0 : n);
		return -TERN_ENOTSUP;
	}
	for (unsigned int i = 0; i < GICV2_NR_REGS; i++) {
		if (fdt_util_reg(fdt, node, (int)i, &ic->regs[i].base, &ic->regs[i].size)) {
			platform_log(LOG_ERR,
				     "%s: \"reg\" cannot be translated to physical addresses\n",
				     ic->path);
			return -TERN_EINVAL;
		}
	}
	if (ic->regs[GICV2_REG_CPU].size < GICV2_CPU_FRAME_SIZE ||
	    ic->regs[GICV2_REG_VCPU].size < GICV2_CPU_FRAME_SIZE) {
		platform_log(LOG_ERR,
			     "%s: GICC and GICV must be 8 KiB or more (GICC_DIR, GICV_DIR)\n",
			     ic->path);
		return -TERN_EINVAL;
	}
	ic->nr_regs = GICV2_NR_REGS;
	return gic_fdt_maint_intid(fdt, node, ic);
}

/* Linux's arm,gic binding; the GIC-400 first (the ZynqMP's), QEMU virt's gic-version=2 next. */
static const char *const gicv2_compatible[] = { "arm,gic-400", "arm,cortex-a15-gic",
						"arm,cortex-a7-gic", NULL };

IRQCHIP_DRIVER(gicv2) = {
	.name = "gicv2",
	.compatible = gicv2_compatible,
	.probe = gicv2_probe,
	.ops = &gicv2_ops,
};
