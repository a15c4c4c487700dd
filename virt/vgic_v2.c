// SPDX-License-Identifier: GPL-2.0-only
/*
 * The virtual GICv2 of one VM: its state, the distributor region, and the CPU interface, which
 * is the host's: the GICV frame of the GIC-400 mapped into the guest at GUEST_GICC_BASE (where
 * QEMU virt's gic-version=2 guests look for GICC), so the guest's acknowledge, EOI, priority mask
 * and deactivation run in hardware against the list registers Tern fills through GICH.
 */
#include <asm/stage2.h>
#include <drivers/gicv2.h>
#include <string.h>
#include <tern/compiler.h>
#include <tern/errno.h>
#include <tern/irqchip.h>
#include <tern/mmio.h>
#include <tern/page_alloc.h>
#include <tern/platform.h>
#include <tern/printk.h>
#include <tern/vm.h>
#include <virt/guest_map.h>
#include <virt/vgic.h>
#include <virt/vgic_mmio.h>
#include <virt/vgic_v2.h>

#define VGIC_V2_DIST_ORDER (sizeof(struct vgic_dist) <= PAGE_SIZE ? 0U : 1U)
#define VGIC_V2_CPU_ORDER  (sizeof(struct vgic_cpu) <= PAGE_SIZE ? 0U : 1U)
_Static_assert(sizeof(struct vgic_dist) <= (PAGE_SIZE << VGIC_V2_DIST_ORDER), "vgic_dist");
_Static_assert(sizeof(struct vgic_cpu) <= (PAGE_SIZE << VGIC_V2_CPU_ORDER), "vgic_cpu");

static void vgic_v2_free(struct vm *vm)
{
	for (unsigned int i = 0; i < vm->nr_vcpus; i++) {
		struct vcpu *vcpu = vm->vcpus[i];

		if (vcpu && vcpu->vgic) {
			page_free((paddr_t)vcpu->vgic, VGIC_V2_CPU_ORDER);
			vcpu->vgic = NULL;
		}
	}
	if (vm->vgic) {
		page_free((paddr_t)vm->vgic, VGIC_V2_DIST_ORDER);
		vm->vgic = NULL;
	}
}

/* The host's GICV frame, or 0 after saying why there is none. */
static paddr_t vgic_v2_host_gicv(const struct vm *vm, const struct platform_irqchip *ic)
{
	const struct platform_range *gicv = &ic->regs[GICV2_REG_VCPU];

	if (!ic->drv || strcmp(ic->drv->name, "gicv2") || ic->nr_regs < GICV2_NR_REGS) {
		pr_err("vm%u: a virtual GICv2 needs a GICv2 host with the virtualization "
		       "extensions (this one has %s)\n",
		       vm->id, ic->drv ? ic->drv->name : "none");
		return 0;
	}
	return gicv2_cpu_frame(gicv->base, gicv->size);
}

int vgic_v2_create(struct vm *vm, const struct platform *p)
{
	paddr_t gicv = vgic_v2_host_gicv(vm, &p->irqchip);
	int err = -TERN_ENOMEM;

	if (!gicv)
		return -TERN_ENODEV;
	if (vm->vgic || !vm->nr_vcpus || vm->nr_vcpus > VM_MAX_VCPUS ||
	    vgic_mmio_regs_init(&vgic_v2_dist_table))
		return -TERN_EINVAL;
	vm->vgic = page_zalloc(VGIC_V2_DIST_ORDER);
	if (!vm->vgic)
		return -TERN_ENOMEM;
	spin_lock_init(&vm->vgic->lock);
	vm->vgic->model = &vgic_v2_model;
	for (unsigned int i = 0; i < vm->nr_vcpus; i++) {
		vm->vcpus[i]->vgic = page_zalloc(VGIC_V2_CPU_ORDER);
		if (!vm->vcpus[i]->vgic)
			goto fail;
	}
	vgic_v2_dist_reset(vm);
	vgic_mmio_const_fill(&vgic_v2_dist_table,
			     &(struct vgic_mmio_ctx){ .vm = vm, .vcpu = vm->vcpus[0] },
			     vm->vgic->const_words);
	err = mmio_register(&vm->mmio, GUEST_GICD_BASE, VGIC_DIST_SIZE, &vgic_v2_dist_ops, vm,
			    "gicd");
	if (err)
		goto fail;
	err = stage2_map(&vm->s2, GUEST_GICC_BASE, gicv, VGIC_V2_CPU_SIZE, S2_DEVICE_RW);
	if (!err)
		return 0;
	mmio_unregister(&vm->mmio, GUEST_GICD_BASE);
fail:
	vgic_v2_free(vm);
	return err;
}

void vgic_v2_destroy(struct vm *vm)
{
	if (!vm->vgic)
		return;
	stage2_unmap(&vm->s2, GUEST_GICC_BASE, VGIC_V2_CPU_SIZE);
	mmio_unregister(&vm->mmio, GUEST_GICD_BASE);
	vgic_v2_free(vm);
}
