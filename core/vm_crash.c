// SPDX-License-Identifier: GPL-2.0-only
/*
 * Tern detected that a guest cannot go on (an exception loop it cannot leave): the one place
 * that decides what happens to such a VM. Today it is stopped; per-VM policies (restart, keep
 * for debugging) belong here too.
 */
#include <tern/printk.h>
#include <tern/vcpu.h>
#include <tern/vm.h>

void vm_guest_crash(struct vcpu *vcpu, const char *what)
{
	struct vm *vm = vcpu->vm;

	pr_err("vm%u.%u: guest crash: %s\n", vm->id, vcpu->id, what);
	vm_stop(vm, "Tern detected a guest crash");
}
