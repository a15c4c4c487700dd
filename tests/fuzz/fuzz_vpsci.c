// SPDX-License-Identifier: GPL-2.0-only
/*
 * Guest PSCI/SMCCC dispatch (core/vpsci.c): any function ID (known ones and random) with any
 * arguments, from any vCPU of a VM of 1-8 vCPUs in any power state. A vCPU may only be set to
 * start at an entry point inside the VM's RAM; SYSTEM_OFF/RESET and CPU_OFF are the only ways to
 * stop or reset; every call returns a defined result.
 */
#include <tern/sched.h>
#include <tern/vcpu.h>
#include <tern/vm.h>
#include <tern/vpsci.h>
#include "fuzz_input.h"
#include "stub_printk.h"

#define RAM_SIZE (64UL << 20)

static struct vm vm;
static struct vcpu vcpus[VM_MAX_VCPUS];
static unsigned int stops, resets;

struct vcpu *vm_vcpu_by_mpidr(struct vm *v, u64 mpidr)
{
	for (unsigned int i = 0; i < v->nr_vcpus; i++) {
		if ((v->vcpus[i]->arch.vmpidr & 0xFF00FFFFFFUL) == mpidr)
			return v->vcpus[i];
	}
	return NULL;
}

bool vm_ipa_in_ram(const struct vm *v, ipa_t ipa, u64 size)
{
	return ipa >= GUEST_RAM_BASE && size <= v->ram_size &&
	       ipa - GUEST_RAM_BASE <= v->ram_size - size;
}

void vm_guest_poweroff(struct vm *v, const char *reason)
{
	(void)v;
	(void)reason;
	stops++;
}

void vm_guest_reset(struct vm *v)
{
	(void)v;
	resets++;
}

void sched_wake(struct vcpu *v)
{
	FUZZ_CHECK(!spin_is_locked(&v->vm->lock));
}

static const u32 known[] = {
	0x84000000, 0x84000001, 0xc4000001, 0x84000002, 0x84000003, 0xc4000003, 0x84000004,
	0xc4000004, 0x84000005, 0xc4000005, 0x84000006, 0x84000007, 0xc4000007, 0x84000008,
	0x84000009, 0x8400000a, 0x8400000b, 0x8400000c, 0xc400000c, 0x8400000e, 0xc400000e,
	0x84000012, 0xc4000012, 0x80000000, 0x80000001, 0x80008000, 0x80007fff, 0x80003fff,
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_input in = { data, size, 0 };

	stub_printk_reset();
	memset(&vm, 0, sizeof(vm));
	memset(vcpus, 0, sizeof(vcpus));
	stops = resets = 0;
	vm.state = VM_RUNNING;
	vm.ram_size = RAM_SIZE;
	vm.nr_vcpus = 1 + fuzz_u8(&in) % VM_MAX_VCPUS;
	spin_lock_init(&vm.lock);
	for (unsigned int i = 0; i < vm.nr_vcpus; i++) {
		vcpus[i].id = i;
		vcpus[i].vm = &vm;
		vcpus[i].arch.vmpidr = (1UL << 31) | i;
		vcpus[i].power = i && (fuzz_u8(&in) & 1) ? VCPU_POWER_OFF : VCPU_POWER_ON;
		vcpus[i].state = VCPU_RUNNING;
		vm.vcpus[i] = &vcpus[i];
	}
	for (unsigned int ops = 0; ops < 256 && !fuzz_done(&in); ops++) {
		struct vcpu *v = &vcpus[fuzz_u8(&in) % vm.nr_vcpus];
		u8 how = fuzz_u8(&in);
		u64 fid = fuzz_u64(&in);
		enum vcpu_run_result r;

		if (how & 1)
			fid = known[fid % (sizeof(known) / sizeof(known[0]))] |
			      (how & 2 ? fid & 0xffffffff00000000UL : 0);
		v->arch.regs.x[0] = fid;
		for (unsigned int i = 1; i < 18; i++) {
			u64 a = fuzz_u64(&in);

			/* Now and then a plausible MPIDR or entry point. */
			if (i == 1 && (how & 4))
				a = a % (vm.nr_vcpus + 2);
			if (i == 2 && (how & 8))
				a = GUEST_RAM_BASE + a % (RAM_SIZE + 0x2000) - 0x1000;
			v->arch.regs.x[i] = a;
		}
		r = vpsci_call(v);
		FUZZ_CHECK(r == VCPU_RUN_CONTINUE || r == VCPU_RUN_YIELD || r == VCPU_RUN_WAIT);
		FUZZ_CHECK(!spin_is_locked(&vm.lock));
		for (unsigned int i = 0; i < vm.nr_vcpus; i++) {
			FUZZ_CHECK(vcpus[i].power <= VCPU_POWER_ON);
			if (vcpus[i].power == VCPU_POWER_ON_PENDING)
				FUZZ_CHECK(vm_ipa_in_ram(&vm, vcpus[i].boot_entry, 4));
		}
	}
	return 0;
}
