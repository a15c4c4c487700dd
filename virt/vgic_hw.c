// SPDX-License-Identifier: GPL-2.0-only
/*
 * Which list-register layer (virt/vgic_hw.h) this machine uses: the one declared for the host
 * interrupt-controller driver platform discovery matched, by its name. Built whether or not a
 * vGIC is: a vCPU without one still needs the CPU interface kept from it.
 */
#include <string.h>
#include <tern/compiler.h>
#include <tern/errno.h>
#include <tern/irqchip.h>
#include <tern/platform.h>
#include <virt/vgic_hw.h>

const struct vgic_hw_ops *vgic_hw;

static const struct vgic_hw_ops *vgic_hw_find(const struct platform_irqchip *ic)
{
	size_t nr = LINKER_TABLE_NR(__start_vgic_hw_ops, __stop_vgic_hw_ops);

	for (size_t i = 0; i < nr; i++) {
		if (ic->drv && !strcmp(__start_vgic_hw_ops[i]->irqchip, ic->drv->name))
			return __start_vgic_hw_ops[i];
	}
	return NULL;
}

int vgic_hw_init_cpu(const struct platform_irqchip *ic)
{
	const struct vgic_hw_ops *hw = vgic_hw_find(ic);
	int rc;

	if (!hw)
		return -TERN_ENODEV;
	rc = hw->init_cpu(ic);
	if (!rc)
		vgic_hw = hw;
	return rc;
}
