// SPDX-License-Identifier: GPL-2.0-only
/*
 * Building a VM at boot: guest RAM and its stage-2 map, devices, vCPUs, the kernel's layout
 * from its own header, and the guest device tree, written once and kept pristine.
 */
#include <asm/guest.h>
#include <libfdt.h>
#include <string.h>
#include <tern/errno.h>
#include <tern/guest_fdt.h>
#include <tern/guest_type.h>
#include <tern/page_alloc.h>
#include <tern/platform.h>
#include <tern/printk.h>
#include <tern/sched.h>
#include <tern/vdev.h>
#include <tern/vm.h>
#include <tern/vm_config.h>
#include <drivers/arch_timer.h>
#include <asm/sysreg_emul.h>
#include <asm/processor.h>
#include <asm/vpmu.h>

#define VM_DTB_ORDER 4 /* 64 KiB for the guest device tree */

_Static_assert(sizeof(struct vcpu) <= PAGE_SIZE, "a vCPU is allocated as one page");

static int vm_create_vcpus(struct vm *vm)
{
	for (unsigned int i = 0; i < vm->nr_vcpus; i++) {
		struct vcpu *v = page_zalloc(0);

		if (!v)
			return -TERN_ENOMEM;
		v->id = i;
		v->vm = vm;
		/* Until the scheduler spreads vCPUs over pCPUs, every vCPU runs on the boot pCPU.
		 */
		v->pcpu = 0;
		v->state = VCPU_OFF;
		v->power = VCPU_POWER_OFF;
		vcpu_arch_reset(v, 0, 0);
		vm->vcpus[i] = v;
	}
	return 0;
}

/* libfdt is built with FP/SIMD: this runs once at creation, MMU on, before any guest runs. */
static int vm_write_dtb(struct vm *vm, ipa_t initrd_ipa, u64 initrd_size, ipa_t dtb_ipa)
{
	struct guest_fdt_device devs[VM_MAX_VDEVS];
	struct guest_fdt_params prm = {
		.vm_id = vm->id,
		.nr_vcpus = vm->nr_vcpus,
		.ram_base = GUEST_RAM_BASE,
		.ram_size = vm->ram_size,
		.bootargs = vm->bootargs,
		.initrd_start = initrd_ipa,
		.initrd_size = initrd_size,
		.irqchip = vm->vgic != NULL,
		.timer_ppis = { 29, 30, 27, 26 },
		.pmu = vpmu_available(),
		.pmu_ppi = vpmu_has_irq() ? VPMU_GUEST_INTID : 0,
		.psci_smc = guest_type_conduit(vm->config) == VM_PSCI_SMC,
		.devices = devs,
	};
	void *buf = page_zalloc(VM_DTB_ORDER);
	int rc;

	if (!buf)
		return -TERN_ENOMEM;
	for (unsigned int i = 0; i < vm->nr_vcpus; i++)
		prm.vmpidr[i] = vm->vcpus[i]->arch.vmpidr & 0xFF00FFFFFFUL;
	/* Each device writes its own node; a console names itself for stdout-path. */
	for (unsigned int i = 0; i < vm->nr_vdevs; i++) {
		const struct vdev *dev = &vm->vdevs[i];

		if (dev->type->fdt_node)
			devs[prm.nr_devices++] =
			    (struct guest_fdt_device){ vdev_fdt_write_node, dev };
		if (dev->type->stdout_path && !prm.stdout_path)
			prm.stdout_path = dev->type->stdout_path;
	}
	rc = guest_fdt_write(buf, PAGE_SIZE << VM_DTB_ORDER, &prm);
	if (rc) {
		page_free((paddr_t)buf, VM_DTB_ORDER);
		return rc;
	}
	vm->dtb =
	    (struct vm_image){ (paddr_t)buf, fdt_totalsize(buf), dtb_ipa, fdt_totalsize(buf) };
	return 0;
}

/* Everything vm_create() may have taken, whatever step it got to; harmless when empty. */
static void vm_teardown(struct vm *vm)
{
	vdev_destroy_all(vm);
	if (vm->dtb.pa)
		page_free(vm->dtb.pa, VM_DTB_ORDER);
	vm->dtb = (struct vm_image){ 0 };
	for (unsigned int i = 0; i < VM_MAX_VCPUS; i++) {
		if (vm->vcpus[i])
			page_free((paddr_t)vm->vcpus[i], 0);
		vm->vcpus[i] = NULL;
	}
	mmio_bus_destroy(&vm->mmio);
	/* Tables (and the VMID's TLB entries) first, so no stale translation reaches freed RAM. */
	stage2_destroy(&vm->s2);
	vm_free_ram(vm);
}

int vm_create(struct vm *vm, unsigned int id, const struct vm_config *cfg, const struct platform *p)
{
	const struct platform_module *k = platform_module_find(p, id, MODULE_KERNEL);
	const struct platform_module *rd = platform_module_find(p, id, MODULE_RAMDISK);
	const struct guest_type *type = guest_type_get(cfg->type);
	ipa_t initrd_ipa = 0, dtb_ipa = 0;
	int rc;

	memset(vm, 0, sizeof(*vm));
	vm->id = id;
	vm->config = cfg;
	vm->nr_vcpus = cfg->nr_vcpus;
	spin_lock_init(&vm->lock);
	mmio_bus_init(&vm->mmio);
	if (!k) {
		pr_info("vm%u: no kernel boot module: not created\n", id);
		return -TERN_ENOENT;
	}
	vm->bootargs = k->bootargs ? k->bootargs : cfg->bootargs;

	rc = stage2_init(&vm->s2, (u16)(id + 1), stage2_ipa_bits());
	if (!rc)
		rc = vm_alloc_ram(vm, cfg->ram_size);
	if (!rc)
		rc = vm_create_vcpus(vm);
	if (!rc)
		rc = vdev_create_all(vm, p);
	if (rc)
		goto fail;

	/* The guest type decides what is accepted and whether a DT (and initrd) goes in. */
	rc = loader_inspect((const void *)(paddr_t)k->base, k->size, GUEST_RAM_BASE, vm->ram_size,
			    &vm->layout);
	if (!rc)
		rc = guest_type_check(cfg, &vm->layout, rd != NULL);
	if (!rc && type->device_tree)
		rc = loader_place(&vm->layout, rd ? rd->size : 0, PAGE_SIZE << VM_DTB_ORDER,
				  GUEST_RAM_BASE, vm->ram_size, &initrd_ipa, &dtb_ipa);
	if (rc)
		goto fail;
	vm->kernel = (struct vm_image){ k->base, k->size, vm->layout.lowest,
					vm->layout.highest - vm->layout.lowest };
	if (rd)
		vm->initrd = (struct vm_image){ rd->base, rd->size, initrd_ipa, rd->size };
	if (type->device_tree) {
		rc = vm_write_dtb(vm, initrd_ipa, rd ? rd->size : 0, dtb_ipa);
		if (rc)
			goto fail;
	}
	vm->entry = vm->layout.entry;
	sysreg_id_fill(vm, vm->id_fast);
	vm_set_state(vm, VM_READY);
	pr_info("vm%u: %s, %u vCPU%s, %llu MiB RAM in %u block%s, entry 0x%llx, x0 0x%llx (%s)%s\n",
		id, type->name, vm->nr_vcpus, vm->nr_vcpus == 1 ? "" : "s",
		(unsigned long long)(vm->ram_size >> 20), vm->nr_ram_chunks,
		vm->nr_ram_chunks == 1 ? "" : "s", (unsigned long long)vm->entry,
		(unsigned long long)vm->dtb.load, vm->dtb.size ? "device tree" : "no device tree",
		rd ? ", initrd" : "");
	return 0;
fail:
	vm_teardown(vm);
	vm->state = VM_UNINITIALIZED;
	pr_err("vm%u: not created: %s\n", id, tern_strerror(rc));
	return rc;
}

void vm_destroy(struct vm *vm)
{
	vm_teardown(vm);
	vm->state = VM_UNINITIALIZED;
}

static void vm_boot_vcpu0(struct vm *vm)
{
	struct vcpu *v0 = vm->vcpus[0];

	v0->boot_entry = vm->entry;
	v0->boot_x0 = vm->dtb.load;
	v0->power = VCPU_POWER_ON_PENDING;
	sched_wake(v0);
}

int vm_start(struct vm *vm)
{
	int rc = vm_load_images(vm);

	if (rc)
		return rc;
	if (!vm_set_state(vm, VM_RUNNING))
		return -TERN_EINVAL;
	vm_mark_live();
	vm->cntvoff = 0; /* see struct vm */
	vm_boot_vcpu0(vm);
	return 0;
}

/*
 * SYSTEM_RESET: every vCPU of the VM is switched off and made to leave the guest on whichever
 * pCPU it runs; once none is loaded anywhere the pristine images are copied in again and vCPU 0
 * starts over. The first pCPU to get here does it; the others only drop their vCPU.
 */
void vm_do_reset(struct vm *vm)
{
	if (__atomic_exchange_n(&vm->resetting, true, __ATOMIC_ACQ_REL))
		return;
	spin_lock(&vm->lock);
	for (unsigned int i = 0; i < vm->nr_vcpus; i++) {
		vm->vcpus[i]->power = VCPU_POWER_OFF;
		vm->vcpus[i]->state = VCPU_OFF;
	}
	spin_unlock(&vm->lock);
	sched_kick_vcpus(vm);
	for (unsigned int i = 0; i < vm->nr_vcpus; i++) {
		while (__atomic_load_n(&vm->vcpus[i]->loaded, __ATOMIC_ACQUIRE))
			cpu_relax();
	}
	vm->resets++;
	pr_info("vm%u: reset requested by the guest: restarting from the pristine images\n",
		vm->id);
	vdev_reset_all(vm);
	if (vm_load_images(vm)) {
		vm_stop(vm, "reset failed: images could not be reloaded");
	} else {
		__atomic_store_n(&vm->reset_pending, false, __ATOMIC_RELEASE);
		vm_boot_vcpu0(vm);
	}
	__atomic_store_n(&vm->resetting, false, __ATOMIC_RELEASE);
}
