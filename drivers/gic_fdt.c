// SPDX-License-Identifier: GPL-2.0-only
/* What the GICv2 and GICv3 bindings share: the maintenance interrupt of the virtualization
 * extensions, a PPI (INTID 16-31, or an extended PPI). */
#include <drivers/gic_fdt.h>
#include <tern/errno.h>
#include <tern/fdt_util.h>
#include <tern/printk.h>

int gic_fdt_maint_intid(const void *fdt, int node, struct platform_irqchip *ic)
{
	u32 intid;

	if (fdt_util_irq(fdt, node, 0, &intid, NULL)) {
		platform_log(LOG_ERR, "%s: no valid maintenance interrupt (\"interrupts\")\n",
			     ic->path);
		return -TERN_EINVAL;
	}
	if (intid < 16 || (intid >= 32 && intid < 1056) || intid >= 1120) {
		platform_log(LOG_ERR, "%s: maintenance interrupt INTID %u is not a PPI\n", ic->path,
			     intid);
		return -TERN_EINVAL;
	}
	ic->maint_intid = intid;
	return 0;
}
