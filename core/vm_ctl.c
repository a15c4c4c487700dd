// SPDX-License-Identifier: GPL-2.0-only
/*
 * Whole-VM operations an operator asks for (the hypervisor console) and the boot sequence uses:
 * create and start a VM from its boot modules, stop it and tear it down (every page back to the
 * allocator), restart it from its pristine images, pause and resume it. Each runs in a pCPU's
 * scheduler loop (no vCPU loaded there) under the VM's life lock, waits for the VM's vCPUs on
 * other pCPUs to leave them, and touches no other VM.
 */
#include <drivers/arch_timer.h>
#include <tern/errno.h>
#include <tern/integrity.h>
#include <tern/page_alloc.h>
#include <tern/platform.h>
#include <tern/printk.h>
#include <tern/sched.h>
#include <tern/vm.h>
#include <tern/vm_config.h>
#include <tern/vm_ctl.h>

static const struct platform *vm_ctl_platform;

void vm_ctl_init(const struct platform *p)
{
	vm_ctl_platform = p;
}

bool vm_ctl_has_kernel(unsigned int id)
{
	return vm_ctl_platform && platform_module_find(vm_ctl_platform, id, MODULE_KERNEL);
}

u64 vm_ctl_pages_in_use(void)
{
	struct page_alloc_stats st;

	page_allocator_stats(&page_allocator_global, &st);
	return st.used_pages;
}

/*
 * The VM's vCPUs are stopped or paused (their pCPUs were kicked): wait until none of them is on a
 * pCPU any more. This pCPU has none loaded (sched_tern_work put it).
 */
static void vm_ctl_wait_off_pcpus(struct vm *vm)
{
	for (unsigned int i = 0; i < vm->nr_vcpus; i++)
		sched_wait_off_pcpu(vm->vcpus[i]);
}

/* Give back everything of a stopped VM (life lock held). */
static void vm_ctl_teardown(struct vm *vm)
{
	u64 before = vm_ctl_pages_in_use();

	vm_ctl_wait_off_pcpus(vm);
	integrity_vm_drop(vm);
	vm_destroy(vm);
	pr_info("vm%u: torn down: %llu pages given back (allocator: %llu pages in use)\n", vm->id,
		(unsigned long long)(before - vm_ctl_pages_in_use()),
		(unsigned long long)vm_ctl_pages_in_use());
}

int vm_ctl_start(unsigned int id, const char **why)
{
	struct vm *vm = &vm_table[id];
	u64 before;
	int rc = 0;

	vm_life_lock(id);
	switch (vm->state) {
	case VM_READY:
	case VM_RUNNING:
	case VM_PAUSED:
		*why = "it exists already (stop it first)";
		rc = -TERN_EBUSY;
		goto out;
	case VM_STOPPED:
		vm_ctl_teardown(vm);
		break;
	default:
		break;
	}
	before = vm_ctl_pages_in_use();
	rc = vm_create(vm, id, &vm_configs[id], vm_ctl_platform);
	if (rc) {
		*why = rc == -TERN_ENOENT ? "it has no kernel boot module"
					  : "it could not be created (see the log)";
		goto out;
	}
	integrity_vm_add(vm);
	pr_info("vm%u: created: %llu pages taken (allocator: %llu pages in use before, %llu "
		"after)\n",
		id, (unsigned long long)(vm_ctl_pages_in_use() - before),
		(unsigned long long)before, (unsigned long long)vm_ctl_pages_in_use());
	rc = vm_start(vm);
	if (rc) {
		vm_stop(vm, "could not be started");
		*why = "it could not be started (see the log)";
	}
out:
	vm_life_unlock(id);
	return rc;
}

int vm_ctl_stop(unsigned int id, const char **why)
{
	struct vm *vm = &vm_table[id];
	int rc = 0;

	vm_life_lock(id);
	if (vm->state == VM_UNINITIALIZED) {
		*why = "it does not exist (not started, or stopped already)";
		rc = -TERN_ENOENT;
	} else {
		vm_stop(vm, "stopped from the console");
		vm_ctl_teardown(vm);
	}
	vm_life_unlock(id);
	return rc;
}

/* Resume a paused VM (life lock held): state first, so its vCPUs may be picked once queued. */
static void vm_ctl_unpause(struct vm *vm)
{
	spin_lock(&vm->lock);
	vm_set_state(vm, VM_RUNNING);
	spin_unlock(&vm->lock);
	for (unsigned int i = 0; i < vm->nr_vcpus; i++)
		sched_resume_vcpu(vm->vcpus[i]);
}

int vm_ctl_pause(unsigned int id, const char **why)
{
	struct vm *vm = &vm_table[id];
	int rc = 0;

	vm_life_lock(id);
	spin_lock(&vm->lock);
	if (vm->state != VM_RUNNING)
		rc = -TERN_EINVAL;
	else
		vm_set_state(vm, VM_PAUSED);
	spin_unlock(&vm->lock);
	if (rc) {
		*why = "it is not running";
	} else {
		for (unsigned int i = 0; i < vm->nr_vcpus; i++)
			sched_pause_vcpu(vm->vcpus[i]);
		/* Every vCPU at an exit, its context saved, off its pCPU. */
		vm_ctl_wait_off_pcpus(vm);
		pr_info("vm%u: paused (its vCPUs are off their pCPUs; its clocks run on)\n", id);
	}
	vm_life_unlock(id);
	return rc;
}

int vm_ctl_resume(unsigned int id, const char **why)
{
	struct vm *vm = &vm_table[id];
	int rc = 0;

	vm_life_lock(id);
	if (vm->state != VM_PAUSED) {
		*why = "it is not paused";
		rc = -TERN_EINVAL;
	} else {
		vm_ctl_unpause(vm);
		pr_info("vm%u: resumed\n", id);
	}
	vm_life_unlock(id);
	return rc;
}

int vm_ctl_restart(unsigned int id, const char **why)
{
	struct vm *vm = &vm_table[id];
	enum vm_state state;

	vm_life_lock(id);
	state = vm->state;
	/* A restart of a paused VM runs it again. */
	if (state == VM_PAUSED)
		vm_ctl_unpause(vm);
	if (state == VM_RUNNING || state == VM_PAUSED) {
		vm->crash_restarts = 0;
		vm_reset(vm, "restart from the console");
	}
	vm_life_unlock(id);
	if (state != VM_RUNNING && state != VM_PAUSED)
		return vm_ctl_start(id, why); /* gone or stopped: created anew */
	/* No vCPU of ours is loaded here: this pCPU carries the reset out. */
	vm_do_reset(vm);
	return 0;
}
