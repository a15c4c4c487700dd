// SPDX-License-Identifier: GPL-2.0-only
/*
 * The GICv3 as the boot DT describes it (Linux's arm,gic-v3 binding): "reg" is the distributor
 * then #redistributor-regions redistributor regions, "interrupts" the maintenance PPI. Pure DT
 * parsing (also built into the host unit tests); the hardware side is drivers/gicv3.c.
 */
#include <drivers/gic_fdt.h>
#include <drivers/gicv3.h>
#include <libfdt.h>
#include <tern/errno.h>
#include <tern/fdt_util.h>
#include <tern/irqchip.h>
#include <tern/platform.h>
#include <tern/printk.h>

static int gicv3_probe(const void *fdt, int node, struct platform_irqchip *ic)
{
	const fdt32_t *prop;
	unsigned int nr = 1, i;
	int len, n;

	prop = fdt_getprop(fdt, node, "#redistributor-regions", &len);
	if (prop && len == 4)
		nr = fdt32_ld(prop);
	n = fdt_util_reg_count(fdt, node);
	if (nr == 0 || n < 0 || (unsigned int)n < 1 + nr) {
		platform_log(LOG_ERR,
			     "%s: \"reg\" needs the distributor and %u redistributor region(s)\n",
			     ic->path, nr);
		return -TERN_EINVAL;
	}
	if (nr > GICV3_MAX_REDIST_REGIONS) {
		platform_log(LOG_WARN, "%s: %u redistributor regions, only the first %d used\n",
			     ic->path, nr, GICV3_MAX_REDIST_REGIONS);
		nr = GICV3_MAX_REDIST_REGIONS;
	}
	for (i = 0; i < 1 + nr; i++) {
		if (fdt_util_reg(fdt, node, (int)i, &ic->regs[i].base, &ic->regs[i].size)) {
			platform_log(LOG_ERR,
				     "%s: \"reg\" cannot be translated to physical addresses\n",
				     ic->path);
			return -TERN_EINVAL;
		}
	}
	ic->nr_regs = 1 + nr;
	return gic_fdt_maint_intid(fdt, node, ic);
}

static const char *const gicv3_compatible[] = { "arm,gic-v3", NULL };

IRQCHIP_DRIVER(gicv3) = {
	.name = "gicv3",
	.compatible = gicv3_compatible,
	.probe = gicv3_probe,
	.ops = &gicv3_ops,
};
