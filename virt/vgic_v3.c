// SPDX-License-Identifier: GPL-2.0-only
/*
 * The GICv3 model of one VM: the distributor and the redistributors together, and its part of
 * the vGIC core, routing by GICD_IROUTER (affinity routing is always on) and one pending state
 * per SGI. The CPU interface is the guest's ICC_* system registers, virtualized by the hardware.
 */
#include <tern/platform.h>
#include <tern/vcpu.h>
#include <tern/vm.h>
#include <virt/vgic.h>
#include <virt/vgic_mmio.h>

static struct vcpu *vgic_v3_spi_target(struct vm *vm, const struct vgic_irq *irq)
{
	u64 aff = irq->irouter & MPIDR_HWID_MASK;

	if (irq->irouter & GICD_IROUTER_IRM)
		return vm->vcpus[0];
	for (unsigned int i = 0; i < vm->nr_vcpus; i++) {
		if ((vm->vcpus[i]->arch.vmpidr & MPIDR_HWID_MASK) == aff)
			return vm->vcpus[i];
	}
	return NULL;
}

static __cold void vgic_v3_reset(struct vm *vm)
{
	for (unsigned int i = 0; i < vm->nr_vcpus; i++)
		vgic_v3_redist_reset(vm->vcpus[i]);
	vgic_v3_dist_reset(vm);
}

static const struct vgic_model vgic_v3_model = {
	.name = "gicv3",
	.reset = vgic_v3_reset,
	.spi_target = vgic_v3_spi_target,
	.sgi_per_source = false,
	.sysreg_cpuif = true,
};

__cold int vgic_v3_create(struct vm *vm)
{
	int rc = vgic_v3_dist_init(vm);

	if (rc)
		return rc;
	vm->vgic->model = &vgic_v3_model;
	rc = vgic_v3_redist_init(vm);
	if (rc) {
		vgic_v3_dist_destroy(vm);
		return rc;
	}
	/* Once every vCPU has its vgic_cpu (vgic_cpu.sgi_self). */
	vgic_sgi_index_init(vm);
	return 0;
}

__cold void vgic_v3_destroy(struct vm *vm)
{
	vgic_v3_redist_destroy(vm);
	vgic_v3_dist_destroy(vm);
}
