// SPDX-License-Identifier: GPL-2.0-only
/*
 * The vGICv2 as a device of the VM's list (like virt/vgic_vdev.c for the GICv3): created first,
 * reset with the VM, destroyed last, and the owner of the guest DT's interrupt-controller node,
 * QEMU virt's gic-version=2 one (Linux's arm,gic binding, "arm,cortex-a15-gic").
 */
#include <tern/compiler.h>
#include <tern/vdev.h>
#include <tern/vm.h>
#include <virt/guest_map.h>
#include <virt/vgic.h>
#include <virt/vgic_core.h>
#include <virt/vgic_fdt.h>
#include <virt/vgic_v2.h>

static int vgic_v2_vdev_create(struct vdev *dev, const struct platform *p)
{
	dev->priv = dev->vm;
	return vgic_v2_create(dev->vm, p);
}

static void vgic_v2_vdev_destroy(struct vdev *dev)
{
	vgic_v2_destroy(dev->vm);
}

static void vgic_v2_vdev_reset(struct vdev *dev)
{
	vgic_reset(dev->vm);
}

static int vgic_v2_vdev_fdt_node(void *fdt, const struct vdev *dev)
{
	const u64 reg[4] = { GUEST_GICD_BASE, VGIC_DIST_SIZE, GUEST_GICC_BASE, VGIC_V2_CPU_SIZE };
	int res;

	(void)dev;
	res = vgic_fdt_begin_node(fdt, "arm,cortex-a15-gic");
	if (!res)
		res = vgic_fdt_reg(fdt, reg, 2);
	if (!res)
		res = vgic_fdt_end_node(fdt);
	return res;
}

VDEV_TYPE(vgic_v2) = {
	.name = "gicv2",
	.phase = VDEV_PHASE_IRQCHIP,
	.vm_mask = VDEV_VM_MASK(VGICV2),
	.create = vgic_v2_vdev_create,
	.destroy = vgic_v2_vdev_destroy,
	.reset = vgic_v2_vdev_reset,
	.fdt_node = vgic_v2_vdev_fdt_node,
};
