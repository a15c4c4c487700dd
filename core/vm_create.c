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
#include <tern/page_alloc.h>
#include <tern/platform.h>
#include <tern/printk.h>
#include <tern/sched.h>
#include <tern/vm.h>
#include <tern/vm_config.h>
#include <virt/vgic_core.h>
#include <virt/vpl011.h>
#include <asm/sysreg.h>
#include <asm/sysreg_emul.h>
#include <asm/processor.h>
#include <asm/smp.h>

#define VM_DTB_ORDER 4 /* 64 KiB for the guest device tree */

_Static_assert(sizeof(struct vcpu) <= PAGE_SIZE, "a vCPU is allocated as one page");

static int vm_pl011_node(void *fdt, const void *dev, u32 clk_phandle)
{
	return vpl011_fdt_node(fdt, dev, clk_phandle);
}

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
	const struct vm_config *cfg = vm->config;
	struct guest_fdt_device devs[1];
	struct guest_fdt_params prm = {
		.vm_id = vm->id,
		.nr_vcpus = vm->nr_vcpus,
		.ram_base = GUEST_RAM_BASE,
		.ram_size = vm->ram_size,
		.bootargs = vm->bootargs,
		.initrd_start = initrd_ipa,
		.initrd_size = initrd_size,
		.gicv3 = cfg->vgicv3,
		.gicd_base = GUEST_GICD_BASE,
		.gicr_base = GUEST_GICR_BASE,
		.maint_intid = 25,
		.timer_ppis = { 29, 30, 27, 26 },
		.devices = devs,
	};
	void *buf = page_zalloc(VM_DTB_ORDER);
	int rc;

	if (!buf)
		return -TERN_ENOMEM;
	for (unsigned int i = 0; i < vm->nr_vcpus; i++)
		prm.vmpidr[i] = vm->vcpus[i]->arch.vmpidr & 0xFF00FFFFFFUL;
	if (vm->uart) {
		devs[prm.nr_devices++] = (struct guest_fdt_device){ vm_pl011_node, vm->uart };
		prm.stdout_path = "/pl011@9000000";
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

int vm_create(struct vm *vm, unsigned int id, const struct vm_config *cfg, const struct platform *p)
{
	const struct platform_module *k = platform_module_find(p, id, MODULE_KERNEL);
	const struct platform_module *rd = platform_module_find(p, id, MODULE_RAMDISK);
	ipa_t initrd_ipa = 0, dtb_ipa = 0;
	int rc;

	memset(vm, 0, sizeof(*vm));
	vm->id = id;
	vm->config = cfg;
	vm->nr_vcpus = cfg->nr_vcpus;
	spin_lock_init(&vm->lock);
	if (!k) {
		pr_info("vm%u: no kernel boot module: not created\n", id);
		return -TERN_ENOENT;
	}
	vm->bootargs = k->bootargs ? k->bootargs : cfg->bootargs;

	rc = stage2_init(&vm->s2, (u16)(id + 1), stage2_ipa_bits());
	if (!rc)
		rc = vm_alloc_ram(vm, cfg->ram_size);
	if (rc)
		goto fail;
	mmio_bus_init(&vm->mmio);
	rc = vm_create_vcpus(vm);
	if (!rc && cfg->vgicv3)
		rc = vgic_create(vm);
	if (rc)
		goto fail;
	if (cfg->vpl011) {
		vm->uart = vpl011_create(vm);
		if (!vm->uart) {
			rc = -TERN_ENOMEM;
			goto fail;
		}
		vgic_claim_spi(vm, GUEST_PL011_INTID);
	}

	rc = loader_inspect((const void *)(paddr_t)k->base, k->size, GUEST_RAM_BASE, vm->ram_size,
			    &vm->layout);
	if (!rc)
		rc = loader_place(&vm->layout, rd ? rd->size : 0, PAGE_SIZE << VM_DTB_ORDER,
				  GUEST_RAM_BASE, vm->ram_size, &initrd_ipa, &dtb_ipa);
	if (rc)
		goto fail;
	vm->kernel = (struct vm_image){ k->base, k->size, vm->layout.lowest,
					vm->layout.highest - vm->layout.lowest };
	if (rd)
		vm->initrd = (struct vm_image){ rd->base, rd->size, initrd_ipa, rd->size };
	rc = vm_write_dtb(vm, initrd_ipa, rd ? rd->size : 0, dtb_ipa);
	if (rc)
		goto fail;
	vm->entry = vm->layout.entry;
	sysreg_id_fill(vm, vm->id_fast);
	vm_set_state(vm, VM_READY);
	pr_info("vm%u: %s, %u vCPU%s, %llu MiB RAM in %u block%s, entry 0x%llx, dtb 0x%llx%s\n", id,
		vm_guest_type_name(cfg->type), vm->nr_vcpus, vm->nr_vcpus == 1 ? "" : "s",
		(unsigned long long)(vm->ram_size >> 20), vm->nr_ram_chunks,
		vm->nr_ram_chunks == 1 ? "" : "s", (unsigned long long)vm->entry,
		(unsigned long long)dtb_ipa, rd ? ", initrd" : "");
	return 0;
fail:
	pr_err("vm%u: not created: %s\n", id, tern_strerror(rc));
	return rc;
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
	if (vm->uart)
		vpl011_reset(vm->uart);
	if (vm_load_images(vm)) {
		vm_stop(vm, "reset failed: images could not be reloaded");
	} else {
		__atomic_store_n(&vm->reset_pending, false, __ATOMIC_RELEASE);
		vm_boot_vcpu0(vm);
	}
	__atomic_store_n(&vm->resetting, false, __ATOMIC_RELEASE);
}
