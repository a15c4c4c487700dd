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

#define PSCI_VERSION_1_1	0x00010001UL
#define SMCCC_VERSION_1_1	0x00010001UL
#define PSCI_TOS_NOT_PRESENT_MP 2
#define AFFINITY_ON		0
#define AFFINITY_OFF		1
#define AFFINITY_ON_PENDING	2
#define MPIDR_AFF_MASK		0xFF00FFFFFFUL

static void vpsci_ret(struct vcpu *vcpu, long val)
{
	vcpu_set_reg(vcpu, 0, (u64)val);
}

static enum vcpu_run_result vpsci_version(struct vcpu *v, u64 a1, u64 a2, u64 a3)
{
	vpsci_ret(v, PSCI_VERSION_1_1);
	return VCPU_RUN_CONTINUE;
}

/*
 * CPU_SUSPEND, original power_state format (PSCI_FEATURES says so): StateID [15:0], StateType
 * [16] (0 standby, 1 powerdown), PowerLevel [25:24], the other bits reserved (zero). Both kinds
 * block the vCPU like WFI until a wake-up event (an interrupt pending for it, one of its timers);
 * a powerdown request is carried out as standby, which PSCI allows (an implementation may enter a
 * shallower state than asked; KVM does the same): registers are kept and the call returns
 * SUCCESS instead of resuming at entry_point_address.
 */
#define PSCI_POWER_STATE_VALID (GENMASK(25, 24) | BIT(16) | GENMASK(15, 0))

static __noinline enum vcpu_run_result vpsci_cpu_suspend(struct vcpu *v, u64 power_state, u64 entry,
							 u64 ctx)
{
	(void)entry;
	(void)ctx;
	if (power_state & ~PSCI_POWER_STATE_VALID) {
		vpsci_ret(v, PSCI_RET_INVALID_PARAMETERS);
		return VCPU_RUN_CONTINUE;
	}
	vpsci_ret(v, PSCI_RET_SUCCESS);
	return VCPU_RUN_WAIT;
}

static __noinline enum vcpu_run_result vpsci_cpu_off(struct vcpu *v, u64 a1, u64 a2, u64 a3)
{
	struct vm *vm = v->vm;
	bool any_on = false;

	/* The scheduler switches it off (VCPU_OFF) when it has left the guest. */
	spin_lock(&vm->lock);
	v->power = VCPU_POWER_OFF;
	for (unsigned int i = 0; i < vm->nr_vcpus; i++)
		any_on |= vm->vcpus[i]->power != VCPU_POWER_OFF;
	spin_unlock(&vm->lock);
	if (!any_on)
		vm_guest_poweroff(vm, "every vCPU called PSCI CPU_OFF");
	return VCPU_RUN_YIELD;
}

static __noinline enum vcpu_run_result vpsci_cpu_on(struct vcpu *v, u64 mpidr, u64 entry, u64 ctx)
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

static __noinline enum vcpu_run_result vpsci_affinity_info(struct vcpu *v, u64 mpidr, u64 level,
							   u64 a3)
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

static __noinline enum vcpu_run_result vpsci_system_off(struct vcpu *v, u64 a1, u64 a2, u64 a3)
{
	vm_guest_poweroff(v->vm, "guest called PSCI SYSTEM_OFF");
	return VCPU_RUN_YIELD;
}

static __noinline enum vcpu_run_result vpsci_system_reset(struct vcpu *v, u64 a1, u64 a2, u64 a3)
{
	vm_guest_reset(v->vm);
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

/*
 * One row per function: X(function ID, reported by PSCI_FEATURES, handler). Dispatched by a switch
 * on the function ID (compiled to a jump table or a compare tree), not by walking the rows. The
 * handlers that call further are out of line (__noinline): vpsci_call() then needs no stack frame
 * of its own, and answers the others (versions, features) or tail-calls them.
 */
#define VPSCI_FNS(X)                                                                               \
	X(PSCI_FN_VERSION, true, vpsci_version)                                                    \
	X(PSCI_FN_CPU_SUSPEND, true, vpsci_cpu_suspend)                                            \
	X(PSCI_FN64_CPU_SUSPEND, true, vpsci_cpu_suspend)                                          \
	X(PSCI_FN_CPU_OFF, true, vpsci_cpu_off)                                                    \
	X(PSCI_FN_CPU_ON, true, vpsci_cpu_on)                                                      \
	X(PSCI_FN64_CPU_ON, true, vpsci_cpu_on)                                                    \
	X(PSCI_FN_AFFINITY_INFO, true, vpsci_affinity_info)                                        \
	X(PSCI_FN64_AFFINITY_INFO, true, vpsci_affinity_info)                                      \
	X(PSCI_FN_MIGRATE_INFO_TYPE, true, vpsci_migrate_info_type)                                \
	X(PSCI_FN_SYSTEM_OFF, true, vpsci_system_off)                                              \
	X(PSCI_FN_SYSTEM_RESET, true, vpsci_system_reset)                                          \
	X(PSCI_FN_FEATURES, true, vpsci_features)                                                  \
	X(SMCCC_FN_VERSION, true, smccc_version)                                                   \
	X(SMCCC_FN_ARCH_FEATURES, false, smccc_arch_features)

#define VPSCI_FEATURE_CASE(fid, feature, fn)                                                       \
	case fid:                                                                                  \
		return feature;

static bool vpsci_is_feature(u32 fid)
{
	switch (fid) {
		VPSCI_FNS(VPSCI_FEATURE_CASE)
	default:
		return false;
	}
}

static enum vcpu_run_result vpsci_features(struct vcpu *v, u64 fid, u64 a2, u64 a3)
{
	/* For CPU_SUSPEND, 0 also says: original power-state format, platform-coordinated. */
	vpsci_ret(v, vpsci_is_feature((u32)fid) ? PSCI_RET_SUCCESS : PSCI_RET_NOT_SUPPORTED);
	return VCPU_RUN_CONTINUE;
}

#define VPSCI_CALL_CASE(fid, feature, fn)                                                          \
	case fid:                                                                                  \
		return fn(vcpu, vcpu_reg(vcpu, 1) & mask, vcpu_reg(vcpu, 2) & mask,                \
			  vcpu_reg(vcpu, 3) & mask);

enum vcpu_run_result vpsci_call(struct vcpu *vcpu)
{
	u32 fid = (u32)vcpu_reg(vcpu, 0);
	/* SMC32/HVC32 calls (bit 30 clear) pass 32-bit arguments. */
	u64 mask = (fid & (1U << 30)) ? ~0UL : 0xFFFFFFFFUL;

	/* Only the Arm-architecture and standard-service owners have functions (rows) here. */
	switch (fid) {
		VPSCI_FNS(VPSCI_CALL_CASE)
	default:
		vpsci_ret(vcpu, PSCI_RET_NOT_SUPPORTED);
		return VCPU_RUN_CONTINUE;
	}
}
