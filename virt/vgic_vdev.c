// SPDX-License-Identifier: GPL-2.0-only
/*
 * The vGICv3 as a device of the VM's list: created first (other devices claim their SPIs from
 * it), reset with the VM, destroyed last, and the owner of the guest DT's interrupt-controller
 * node. The per-entry work (list registers) is called directly from the exit path, not through
 * the device list.
 */
#include <libfdt.h>
#include <tern/compiler.h>
#include <tern/vdev.h>
#include <tern/vm.h>
#include <virt/guest_map.h>
#include <virt/vgic.h>
#include <virt/vgic_core.h>
#include <virt/vgic_fdt.h>

/* GICv3 binding: interrupt specifier <type number flags>. */
#define VGIC_FDT_PPI	    1
#define VGIC_FDT_LEVEL_HIGH 4

static int vgic_vdev_create(struct vdev *dev, const struct platform *p)
{
	(void)p;
	dev->priv = dev->vm;
	return vgic_v3_create(dev->vm);
}

static void vgic_vdev_destroy(struct vdev *dev)
{
	vgic_v3_destroy(dev->vm);
}

static void vgic_vdev_reset(struct vdev *dev)
{
	vgic_reset(dev->vm);
}

static int vgic_vdev_fdt_node(void *fdt, const struct vdev *dev)
{
	const u64 reg[4] = { GUEST_GICD_BASE, VGIC_DIST_SIZE, GUEST_GICR_BASE,
			     (u64)dev->vm->nr_vcpus * VGIC_REDIST_SIZE };
	const fdt32_t maint[3] = { cpu_to_fdt32(VGIC_FDT_PPI),
				   cpu_to_fdt32(VGIC_GUEST_MAINT_INTID - 16),
				   cpu_to_fdt32(VGIC_FDT_LEVEL_HIGH) };
	int res;

	res = vgic_fdt_begin_node(fdt, "arm,gic-v3");
	if (!res)
		res = fdt_property_cell(fdt, "#redistributor-regions", 1);
	if (!res)
		res = vgic_fdt_reg(fdt, reg, 2);
	if (!res)
		res = fdt_property(fdt, "interrupts", maint, sizeof(maint));
	if (!res)
		res = vgic_fdt_end_node(fdt);
	return res;
}

VDEV_TYPE(vgic) = {
	.name = "gicv3",
	.phase = VDEV_PHASE_IRQCHIP,
	.vm_mask = VDEV_VM_MASK(VGICV3),
	.create = vgic_vdev_create,
	.destroy = vgic_vdev_destroy,
	.reset = vgic_vdev_reset,
	.fdt_node = vgic_vdev_fdt_node,
};
