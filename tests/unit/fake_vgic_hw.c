// SPDX-License-Identifier: GPL-2.0-only
/* The fake list-register layer and VM of the vGIC unit tests and fuzz targets (fake_vgic_hw.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tern/vcpu.h>
#include <tern/vm.h>
#include <virt/vgic_hw.h>
#include "fake_vgic_hw.h"

struct fake_vgic_hw fake_vgic_hw;

static void fake_hw_check_lr(unsigned int n)
{
	if (n < FAKE_VGIC_NR_LRS)
		return;
	fprintf(stderr, "fake_vgic_hw: list register %u of %u\n", n, FAKE_VGIC_NR_LRS);
	abort();
}

static int fake_hw_init_cpu(const struct platform_irqchip *ic)
{
	(void)ic;
	fake_vgic_hw.inits++;
	return 0;
}

static unsigned int fake_hw_nr_lrs(void)
{
	return FAKE_VGIC_NR_LRS;
}

static u64 fake_hw_read_lr(unsigned int n)
{
	fake_hw_check_lr(n);
	return fake_vgic_hw.lr[n];
}

static void fake_hw_write_lr(unsigned int n, u64 val)
{
	fake_hw_check_lr(n);
	fake_vgic_hw.lr[n] = val;
}

static void fake_hw_write_hcr(u64 val)
{
	fake_vgic_hw.hcr = val;
}

static void fake_hw_save(struct vgic_cpu *c)
{
	(void)c;
	fake_vgic_hw.saves++;
}

static void fake_hw_restore(const struct vgic_cpu *c)
{
	(void)c;
	fake_vgic_hw.restores++;
}

/* The fake's operations, for both tables below. */
#define FAKE_HW_OPS                                                                                \
	.irqchip = "fake", .init_cpu = fake_hw_init_cpu, .nr_lrs = fake_hw_nr_lrs,                 \
	.read_lr = fake_hw_read_lr, .write_lr = fake_hw_write_lr, .write_hcr = fake_hw_write_hcr,  \
	.save = fake_hw_save, .restore = fake_hw_restore

VGIC_HW(fake) = { FAKE_HW_OPS };
const struct vgic_hw_ops *const fake_vgic_hw_ops = &vgic_hw_fake;

/* The same, with the GICv3 host's fast paths said to be there (vgic_hw_ops.fast_ppi). */
static const struct vgic_hw_ops vgic_hw_fake_fast = { FAKE_HW_OPS, .fast_ppi = true };

void fake_vgic_hw_fast_paths(bool on)
{
	vgic_hw = on ? &vgic_hw_fake_fast : &vgic_hw_fake;
}

void fake_vgic_vm_init(struct vm *vm, struct vcpu *vcpus, unsigned int nr, const u64 *mpidrs)
{
	memset(&fake_vgic_hw, 0, sizeof(fake_vgic_hw));
	vgic_hw = &vgic_hw_fake;
	memset(vm, 0, sizeof(*vm));
	memset(vcpus, 0, nr * sizeof(*vcpus));
	vm->state = VM_RUNNING;
	vm->nr_vcpus = nr;
	for (unsigned int i = 0; i < nr; i++) {
		vcpus[i].id = i;
		vcpus[i].vm = vm;
		vcpus[i].state = VCPU_RUNNING;
		/* Bit 31 RES1 as in VMPIDR_EL2. */
		vcpus[i].arch.vmpidr =
		    mpidrs ? mpidrs[i] : (1ULL << 31) | ((u64)(i / 4) << 8) | (i % 4);
		vm->vcpus[i] = &vcpus[i];
	}
}
