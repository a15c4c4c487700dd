// SPDX-License-Identifier: GPL-2.0-only
/*
 * PSCI 1.1 and SMCCC 1.1 as a VM sees them, through HVC or a trapped SMC. One table row per
 * function; anything else returns NOT_SUPPORTED. CPU_ON validates everything the guest passes
 * (the original answered SUCCESS to any CPU_ON); SYSTEM_OFF and SYSTEM_RESET act on the whole VM.
 */
#include <drivers/psci.h>
#include <tern/compiler.h>
#include <tern/printk.h>
#include <tern/sched.h>
#include <tern/vcpu.h>
#include <tern/vm.h>
#include <tern/vpsci.h>

#define PSCI_FN_VERSION		  0x84000000U
#define PSCI_FN_CPU_SUSPEND	  0x84000001U
#define PSCI_FN64_CPU_SUSPEND	  0xC4000001U
#define PSCI_FN_CPU_OFF		  0x84000002U
#define PSCI_FN_CPU_ON		  0x84000003U
#define PSCI_FN64_CPU_ON	  0xC4000003U
#define PSCI_FN_AFFINITY_INFO	  0x84000004U
#define PSCI_FN64_AFFINITY_INFO	  0xC4000004U
#define PSCI_FN_MIGRATE_INFO_TYPE 0x84000006U
#define PSCI_FN_SYSTEM_OFF	  0x84000008U
#define PSCI_FN_SYSTEM_RESET	  0x84000009U
#define PSCI_FN_FEATURES	  0x8400000AU
#define SMCCC_FN_VERSION	  0x80000000U
#define SMCCC_FN_ARCH_FEATURES	  0x80000001U

#define SMCCC_OWNER_SHIFT    24
#define SMCCC_OWNER_MASK     0x3F
#define SMCCC_OWNER_ARCH     0
#define SMCCC_OWNER_STANDARD 4

#define PSCI_VERSION_1_1	0x00010001UL
#define SMCCC_VERSION_1_1	0x00010001UL
#define PSCI_TOS_NOT_PRESENT_MP 2
#define AFFINITY_ON		0
#define AFFINITY_OFF		1
#define AFFINITY_ON_PENDING	2
#define MPIDR_AFF_MASK		0xFF00FFFFFFUL

struct vpsci_fn {
	u32 fid;
	bool psci_feature; /* reported by PSCI_FEATURES */
	enum vcpu_run_result (*fn)(struct vcpu *vcpu, u64 a1, u64 a2, u64 a3);
};

static void vpsci_ret(struct vcpu *vcpu, long val)
{
	vcpu_set_reg(vcpu, 0, (u64)val);
}

static enum vcpu_run_result vpsci_version(struct vcpu *v, u64 a1, u64 a2, u64 a3)
{
	vpsci_ret(v, PSCI_VERSION_1_1);
	return VCPU_RUN_CONTINUE;
}

static enum vcpu_run_result vpsci_cpu_suspend(struct vcpu *v, u64 a1, u64 a2, u64 a3)
{
	/* Allowed to behave as WFI: return SUCCESS once something wakes the vCPU. */
	vpsci_ret(v, PSCI_RET_SUCCESS);
	return VCPU_RUN_YIELD;
}

static enum vcpu_run_result vpsci_cpu_off(struct vcpu *v, u64 a1, u64 a2, u64 a3)
{
	struct vm *vm = v->vm;
	bool any_on = false;

	spin_lock(&vm->lock);
	v->power = VCPU_POWER_OFF;
	v->state = VCPU_OFF;
	for (unsigned int i = 0; i < vm->nr_vcpus; i++)
		any_on |= vm->vcpus[i]->power != VCPU_POWER_OFF;
	spin_unlock(&vm->lock);
	if (!any_on)
		vm_stop(vm, "every vCPU called PSCI CPU_OFF");
	return VCPU_RUN_YIELD;
}

static enum vcpu_run_result vpsci_cpu_on(struct vcpu *v, u64 mpidr, u64 entry, u64 ctx)
{
	struct vm *vm = v->vm;
	struct vcpu *target = vm_vcpu_by_mpidr(vm, mpidr & MPIDR_AFF_MASK);
	long ret = PSCI_RET_SUCCESS;

	if (!target || (mpidr & ~MPIDR_AFF_MASK)) {
		vpsci_ret(v, PSCI_RET_INVALID_PARAMETERS);
		return VCPU_RUN_CONTINUE;
	}
	if (!vm_ipa_in_ram(vm, entry, 4) || (entry & 3)) {
		vpsci_ret(v, PSCI_RET_INVALID_ADDRESS);
		return VCPU_RUN_CONTINUE;
	}
	/* Of racing CPU_ONs for one target, exactly one sees OFF under the lock. */
	spin_lock(&vm->lock);
	if (target->power == VCPU_POWER_ON)
		ret = PSCI_RET_ALREADY_ON;
	else if (target->power == VCPU_POWER_ON_PENDING)
		ret = PSCI_RET_ON_PENDING;
	else {
		target->power = VCPU_POWER_ON_PENDING;
		target->boot_entry = entry;
		target->boot_x0 = ctx;
	}
	spin_unlock(&vm->lock);
	if (ret == PSCI_RET_SUCCESS)
		sched_wake(target);
	vpsci_ret(v, ret);
	return VCPU_RUN_CONTINUE;
}

static enum vcpu_run_result vpsci_affinity_info(struct vcpu *v, u64 mpidr, u64 level, u64 a3)
{
	struct vcpu *target = vm_vcpu_by_mpidr(v->vm, mpidr & MPIDR_AFF_MASK);
	static const long power_to_affinity[] = {
		[VCPU_POWER_OFF] = AFFINITY_OFF,
		[VCPU_POWER_ON_PENDING] = AFFINITY_ON_PENDING,
		[VCPU_POWER_ON] = AFFINITY_ON,
	};

	if (!target || level != 0)
		vpsci_ret(v, PSCI_RET_INVALID_PARAMETERS);
	else
		vpsci_ret(v, power_to_affinity[READ_ONCE(target->power)]);
	return VCPU_RUN_CONTINUE;
}

static enum vcpu_run_result vpsci_migrate_info_type(struct vcpu *v, u64 a1, u64 a2, u64 a3)
{
	vpsci_ret(v, PSCI_TOS_NOT_PRESENT_MP);
	return VCPU_RUN_CONTINUE;
}

static enum vcpu_run_result vpsci_system_off(struct vcpu *v, u64 a1, u64 a2, u64 a3)
{
	vm_stop(v->vm, "guest called PSCI SYSTEM_OFF");
	return VCPU_RUN_YIELD;
}

static enum vcpu_run_result vpsci_system_reset(struct vcpu *v, u64 a1, u64 a2, u64 a3)
{
	vm_reset(v->vm);
	return VCPU_RUN_YIELD;
}

static enum vcpu_run_result vpsci_features(struct vcpu *v, u64 fid, u64 a2, u64 a3);

static enum vcpu_run_result smccc_version(struct vcpu *v, u64 a1, u64 a2, u64 a3)
{
	vpsci_ret(v, SMCCC_VERSION_1_1);
	return VCPU_RUN_CONTINUE;
}

static enum vcpu_run_result smccc_arch_features(struct vcpu *v, u64 fid, u64 a2, u64 a3)
{
	/* No firmware workarounds or SoC ID calls are offered. */
	vpsci_ret(v,
		  (u32)fid == SMCCC_FN_ARCH_FEATURES ? PSCI_RET_SUCCESS : PSCI_RET_NOT_SUPPORTED);
	return VCPU_RUN_CONTINUE;
}

static const struct vpsci_fn vpsci_fns[] = {
	{ PSCI_FN_VERSION, true, vpsci_version },
	{ PSCI_FN_CPU_SUSPEND, true, vpsci_cpu_suspend },
	{ PSCI_FN64_CPU_SUSPEND, true, vpsci_cpu_suspend },
	{ PSCI_FN_CPU_OFF, true, vpsci_cpu_off },
	{ PSCI_FN_CPU_ON, true, vpsci_cpu_on },
	{ PSCI_FN64_CPU_ON, true, vpsci_cpu_on },
	{ PSCI_FN_AFFINITY_INFO, true, vpsci_affinity_info },
	{ PSCI_FN64_AFFINITY_INFO, true, vpsci_affinity_info },
	{ PSCI_FN_MIGRATE_INFO_TYPE, true, vpsci_migrate_info_type },
	{ PSCI_FN_SYSTEM_OFF, true, vpsci_system_off },
	{ PSCI_FN_SYSTEM_RESET, true, vpsci_system_reset },
	{ PSCI_FN_FEATURES, true, vpsci_features },
	{ SMCCC_FN_VERSION, true, smccc_version },
	{ SMCCC_FN_ARCH_FEATURES, false, smccc_arch_features },
};

static const struct vpsci_fn *vpsci_find(u32 fid)
{
	for (size_t i = 0; i < ARRAY_SIZE(vpsci_fns); i++) {
		if (vpsci_fns[i].fid == fid)
			return &vpsci_fns[i];
	}
	return NULL;
}

static enum vcpu_run_result vpsci_features(struct vcpu *v, u64 fid, u64 a2, u64 a3)
{
	const struct vpsci_fn *f = vpsci_find((u32)fid);

	/* For CPU_SUSPEND, 0 also says: original power-state format, platform-coordinated. */
	vpsci_ret(v, f && f->psci_feature ? PSCI_RET_SUCCESS : PSCI_RET_NOT_SUPPORTED);
	return VCPU_RUN_CONTINUE;
}

enum vcpu_run_result vpsci_call(struct vcpu *vcpu)
{
	u32 fid = (u32)vcpu_reg(vcpu, 0);
	u32 owner = (fid >> SMCCC_OWNER_SHIFT) & SMCCC_OWNER_MASK;
	const struct vpsci_fn *f;

	/* Only the Arm-architecture and standard-service owners have functions here. */
	f = (owner == SMCCC_OWNER_ARCH || owner == SMCCC_OWNER_STANDARD) ? vpsci_find(fid) : NULL;
	/* SMC32/HVC32 calls (bit 30 clear) pass 32-bit arguments. */
	u64 mask = (fid & (1U << 30)) ? ~0UL : 0xFFFFFFFFUL;

	if (!f) {
		vpsci_ret(vcpu, PSCI_RET_NOT_SUPPORTED);
		return VCPU_RUN_CONTINUE;
	}
	return f->fn(vcpu, vcpu_reg(vcpu, 1) & mask, vcpu_reg(vcpu, 2) & mask,
		     vcpu_reg(vcpu, 3) & mask);
}
