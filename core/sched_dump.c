// SPDX-License-Identifier: GPL-2.0-only
#include <asm/vtimer.h>
#include <drivers/arch_timer.h>
#include <tern/printk.h>
#include <tern/sched.h>
#include <tern/vcpu.h>
#include <tern/vm.h>
#include <virt/vgic_core.h>

/* The state of every vCPU, for a human looking at a hang (console: Ctrl-] d). */
void sched_dump(void)
{
	for (unsigned int i = 0; i < CONFIG_NR_VMS; i++) {
		struct vm *vm = &vm_table[i];

		if (vm->state == VM_UNINITIALIZED)
			continue;
		pr_info("dump: vm%u %s\n", vm->id, vm_state_name(vm->state));
		for (unsigned int j = 0; j < vm->nr_vcpus; j++) {
			struct vcpu *v = vm->vcpus[j];

			pr_info("dump: vm%u.%u on pCPU %u state %s power %d queued %d%s loaded %d "
				"exits %llu pc 0x%llx deadline 0x%llx now 0x%llx\n",
				vm->id, v->id, v->pcpu, vcpu_state_name(v->state), v->power,
				v->queued, v->boosted ? " (boosted)" : "", v->loaded,
				(unsigned long long)v->exits, (unsigned long long)v->arch.regs.pc,
				(unsigned long long)vtimer_deadline(v),
				(unsigned long long)arch_timer_now());
			vgic_dump(v);
		}
	}
}
