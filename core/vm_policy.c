// SPDX-License-Identifier: GPL-2.0-only
/*
 * What happens to a VM when its guest resets, powers off or crashes: the VM's Kconfig policy
 * (VMn_ON_RESET_*, VMn_ON_POWEROFF_*, VMn_ON_CRASH_*), decided here and nowhere else. Each call
 * comes from the trap path of one of the VM's vCPUs; a restart is only requested here (the
 * scheduler carries it out once no vCPU of the VM is on a pCPU), a stop takes effect at once.
 */
#include <tern/printk.h>
#include <tern/vcpu.h>
#include <tern/vm.h>
#include <tern/vm_config.h>

static const char *vm_policy_reason_off = "the guest powered off";
static const char *vm_policy_reason_reset = "reset requested by the guest";

void vm_guest_poweroff(struct vm *vm, const char *why)
{
	if (vm->config->on_poweroff == VM_ACTION_RESTART) {
		pr_info("vm%u: %s: restarting it (VM%u_ON_POWEROFF_RESTART)\n", vm->id, why,
			vm->id);
		vm_reset(vm, vm_policy_reason_off);
		return;
	}
	vm_stop(vm, why);
}

void vm_guest_reset(struct vm *vm)
{
	if (vm->config->on_reset == VM_ACTION_STOP) {
		vm_stop(vm, "the guest asked for a reset (VMn_ON_RESET_STOP)");
		return;
	}
	vm_reset(vm, vm_policy_reason_reset);
}

void vm_guest_crash(struct vcpu *vcpu, const char *what)
{
	struct vm *vm = vcpu->vm;
	unsigned int limit = vm->config->crash_restarts;
	unsigned int done = READ_ONCE(vm->crash_restarts);

	pr_err("vm%u.%u: guest crash: %s\n", vm->id, vcpu->id, what);
	/* Another vCPU crashed first and the restart is on its way: this crash is part of it. */
	if (__atomic_load_n(&vm->reset_pending, __ATOMIC_ACQUIRE))
		return;
	if (done >= limit) {
		vm_stop(vm,
			limit ? "Tern detected a guest crash, after the restarts its policy allows"
			      : "Tern detected a guest crash");
		return;
	}
	/* vCPUs crashing at the same time restart the VM once, and count once. */
	if (!vm_reset(vm, "restart after a guest crash"))
		return;
	WRITE_ONCE(vm->crash_restarts, done + 1);
	if (limit == VM_RESTARTS_UNLIMITED)
		pr_info("vm%u: restarting it after the crash (VM%u_ON_CRASH_RESTART)\n", vm->id,
			vm->id);
	else
		pr_info("vm%u: restarting it after the crash: restart %u of at most %u\n", vm->id,
			done + 1, limit);
}
