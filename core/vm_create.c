// SPDX-License-Identifier: GPL-2.0-only
/*
 * Building a VM at boot: guest RAM and its stage-2 map, devices, vCPUs, the kernel's layout
 * from its own header, and the guest device tree, written once and kept pristine.
 */
#include <asm/guest.h>
#include <libfdt.h>
#include <string.h>
#include <tern/errno.h>
#include <tern/format.h>
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
#include <asm/smp.h>
#include <asm/vpmu.h>

#define VM_DTB_ORDER 4 /* 64 KiB for the guest device tree */

_Static_assert(sizeof(struct vcpu) <= PAGE_SIZE, "a vCPU is allocated as one page");

/*
 * The pCPUs the VM's vCPUs may run on: VMn_PCPU_AFFINITY among the online pCPUs (0, or no
 * MULTI_PCPU: all of them). 0 if the mask names no online pCPU: the VM is not created.
 */
static u64 vm_allowed_pcpus(const struct vm *vm)
{
	u64 online = smp_online_mask();
	u64 want = IS_ENABLED(CONFIG_MULTI_PCPU) ? vm->config->pcpu_affinity : 0;

	if (!want)
		return online;
	if (!(want & online))
		pr_err("vm%u: VM%u_PCPU_AFFINITY 0x%llx names no online pCPU (online: 0x%llx)\n",
		       vm->id, vm->id, (unsigned long long)want, (unsigned long long)online);
	else if (want & ~online)
		pr_warn(
		    "vm%u: VM%u_PCPU_AFFINITY 0x%llx: pCPUs 0x%llx are not online, using 0x%llx\n",
		    vm->id, vm->id, (unsigned long long)want, (unsigned long long)(want & ~online),
		    (unsigned long long)(want & online));
	return want & online;
}

/* vCPU i is pinned to the i-th (mod n) pCPU of the allowed set, for good (no load balancing). */
static void vm_place_vcpus(struct vm *vm, u64 allowed)
{
	char line[160];
	int n = 0;

	for (unsigned int i = 0; i < vm->nr_vcpus; i++) {
		unsigned int pcpu = smp_place_vcpu(i, allowed);

		sched_place_vcpu(vm->vcpus[i], pcpu);
		n += fmt_snprintf(line + n, sizeof(line) - (size_t)n, "%s%u", i ? " " : "", pcpu);
	}
	if (vm->nr_vcpus == 1)
		pr_info("vm%u: vCPU 0 pinned to pCPU %s (allowed 0x%llx)\n", vm->id, line,
			(unsigned long long)allowed);
	else
		pr_info("vm%u: vCPUs 0-%u pinned to pCPUs %s (allowed 0x%llx)\n", vm->id,
			vm->nr_vcpus - 1, line, (unsigned long long)allowed);
}

static int vm_create_vcpus(struct vm *vm)
{
	for (unsigned int i = 0; i < vm->nr_vcpus; i++) {
		struct vcpu *v = page_zalloc(0);

		if (!v)
			return -TERN_ENOMEM;
		v->id = i;
		v->vm = vm;
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
		if (vm->vcpus[i]) {
			/* Placed already: off its pCPU's list before the page goes. */
			if (vm->vcpus[i]->placed)
				sched_unplace_vcpu(vm->vcpus[i]);
			page_free((paddr_t)vm->vcpus[i], 0);
		}
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
	u64 allowed;
	int rc;

	memset(vm, 0, sizeof(*vm));
	vm->id = id;
	vm->config = cfg;
	vm->smccc_conduit = guest_type_conduit(cfg);
	vm->nr_vcpus = cfg->nr_vcpus;
	spin_lock_init(&vm->lock);
	mmio_bus_init(&vm->mmio);
	if (!k) {
		pr_info("vm%u: no kernel boot module: not created\n", id);
		return -TERN_ENOENT;
	}
	vm->bootargs = k->bootargs ? k->bootargs : cfg->bootargs;
	allowed = vm_allowed_pcpus(vm);
	if (!allowed) {
		rc = -TERN_EINVAL;
		goto fail;
	}

	rc = stage2_init(&vm->s2, (u16)(id + 1), stage2_ipa_bits(),
			 IS_ENABLED(CONFIG_STAGE2_BLOCKS));
	if (!rc)
		rc = vm_alloc_ram(vm, cfg->ram_size);
	if (!rc)
		rc = vm_create_vcpus(vm);
	if (!rc) {
		vm_place_vcpus(vm, allowed);
		rc = vdev_create_all(vm, p);
	}
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
	vm->created_at = arch_timer_now();
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

	spin_lock(&vm->lock);
	v0->boot_entry = vm->entry;
	v0->boot_x0 = vm->dtb.load;
	v0->power = VCPU_POWER_ON_PENDING;
	spin_unlock(&vm->lock);
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
	vm->started_at = arch_timer_now();
	vm_boot_vcpu0(vm);
	return 0;
}

/*
 * Every vCPU of @vm switched off (PSCI and scheduler; or stopped, a SYSTEM_OFF racing with the
 * reset), none of them on a pCPU.
 */
static bool vm_all_vcpus_off(const struct vm *vm)
{
	for (unsigned int i = 0; i < vm->nr_vcpus; i++) {
		const struct vcpu *v = vm->vcpus[i];
		enum vcpu_state st = READ_ONCE(v->state);

		if (READ_ONCE(v->power) != VCPU_POWER_OFF ||
		    (st != VCPU_OFF && st != VCPU_STOPPED) ||
		    __atomic_load_n(&v->on_pcpu, __ATOMIC_ACQUIRE))
			return false;
	}
	return true;
}

/*
 * A restart (guest SYSTEM_RESET, a policy, the console), from any pCPU's scheduler loop: every
 * vCPU of the VM is switched off and made to leave the guest wherever it runs; once none is on a
 * pCPU (an event each pCPU signals when it puts a vCPU, not a timed spin) the vGIC goes back to
 * its reset state (nothing pending or active, no saved list registers or timer active state), the
 * pristine images are copied in again and vCPU 0 starts over. The first pCPU to get here does it;
 * the others only drop their vCPU. Under the VM's life lock, so a tear-down from the console waits
 * for it, and a reset that finds the VM stopped or gone does nothing.
 */
void vm_do_reset(struct vm *vm)
{
	unsigned int id = vm->id;
	bool failed;

	if (__atomic_exchange_n(&vm->resetting, true, __ATOMIC_ACQ_REL))
		return;
	vm_life_lock(id);
	if (!__atomic_load_n(&vm->reset_pending, __ATOMIC_ACQUIRE) ||
	    (vm->state != VM_RUNNING && vm->state != VM_PAUSED)) {
		__atomic_store_n(&vm->resetting, false, __ATOMIC_RELEASE);
		vm_life_unlock(id);
		return;
	}
	/*
	 * Until a pass finds every vCPU off: a vCPU still in an exit handler when it was stopped
	 * may carry out a PSCI CPU_ON after the stop and wake another vCPU, whose pCPU then picks
	 * it (reset_pending keeps it out of the guest, but it would be left RUNNING and powered
	 * on into the new boot, where its CPU_ON fails with ALREADY_ON).
	 */
	while (!vm_all_vcpus_off(vm)) {
		spin_lock(&vm->lock);
		for (unsigned int i = 0; i < vm->nr_vcpus; i++)
			vm->vcpus[i]->power = VCPU_POWER_OFF;
		spin_unlock(&vm->lock);
		for (unsigned int i = 0; i < vm->nr_vcpus; i++)
			sched_stop_vcpu(vm->vcpus[i], VCPU_OFF);
		for (unsigned int i = 0; i < vm->nr_vcpus; i++)
			sched_wait_off_pcpu(vm->vcpus[i]);
	}
	vm->resets++;
	pr_info("vm%u: %s: restarting from the pristine images\n", vm->id, vm->reset_reason);
	vdev_reset_all(vm);
	failed = vm_load_images(vm) != 0;
	/* A SYSTEM_RESET of the new boot must find the VM ready for another reset. */
	__atomic_store_n(&vm->reset_pending, false, __ATOMIC_RELEASE);
	__atomic_store_n(&vm->resetting, false, __ATOMIC_RELEASE);
	if (failed) {
		vm_stop(vm, "reset failed: images could not be reloaded");
	} else {
		vm->started_at = arch_timer_now();
		vm_boot_vcpu0(vm);
	}
	vm_life_unlock(id);
}
