// SPDX-License-Identifier: GPL-2.0-only
/*
 * Guest PSCI/SMCCC (core/vpsci.c) against fake VM services. vm_vcpu_by_mpidr, vm_ipa_in_ram,
 * vm_guest_poweroff, vm_guest_reset and sched_wake are fakes that record their calls; a test may
 * hook the first two and sched_wake to run another vCPU's call in the middle of one (the points
 * where the real code does not hold vm->lock), which is how racing CPU_ONs are interleaved without
 * threads.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <drivers/psci.h>
#include <tern/sched.h>
#include <tern/compiler.h>
#include <tern/vcpu.h>
#include <tern/vm.h>
#include <virt/guest_map.h>
#include <tern/vpsci.h>
#include "stub_printk.h"

#define FN_VERSION		0x84000000U
#define FN_CPU_SUSPEND		0x84000001U
#define FN64_CPU_SUSPEND	0xC4000001U
#define FN_CPU_OFF		0x84000002U
#define FN_CPU_ON		0x84000003U
#define FN64_CPU_ON		0xC4000003U
#define FN_AFFINITY_INFO	0x84000004U
#define FN64_AFFINITY_INFO	0xC4000004U
#define FN_MIGRATE		0x84000005U
#define FN_MIGRATE_INFO_TYPE	0x84000006U
#define FN_SYSTEM_OFF		0x84000008U
#define FN_SYSTEM_RESET		0x84000009U
#define FN_FEATURES		0x8400000AU
#define FN_CPU_FREEZE		0x8400000BU
#define FN64_SYSTEM_SUSPEND	0xC400000EU
#define FN_SYSTEM_RESET2	0x84000012U
#define SMCCC_VERSION		0x80000000U
#define SMCCC_ARCH_FEATURES	0x80000001U
#define SMCCC_ARCH_WORKAROUND_1 0x80008000U

#define RAM_SIZE (64UL << 20)
#define NR_VCPUS 4
#define MPIDR(i) ((1UL << 31) | (i)) /* what vcpu->arch.vmpidr holds */
#define ENTRY	 (GUEST_RAM_BASE + 0x1000)
#define CTX	 0x1122334455667788UL
#define RET(v)	 ((long)(v)->arch.regs.x[0])

/* ---- fakes ---- */

typedef void (*hook_fn)(void);

static struct {
	unsigned int lookups, ram_checks, wakes, stops, resets;
	struct vcpu *woken;
	struct vm *stopped, *reset;
	const char *stop_reason;
	/* The lock state each fake saw: vm_guest_poweroff and sched_wake must run unlocked. */
	bool locked_in_wake, locked_in_stop;
	/* Run once (then cleared) from inside the fake: another pCPU getting in at that point. */
	hook_fn on_lookup, on_ram_check, on_wake;
	bool threaded; /* the fakes count atomically and record nothing else */
} fake;

static struct vm vm;
static struct vcpu vcpus[NR_VCPUS];

static void run_hook(hook_fn *h)
{
	hook_fn fn = *h;

	*h = NULL;
	if (fn)
		fn();
}

struct vcpu *vm_vcpu_by_mpidr(struct vm *v, u64 mpidr)
{
	__atomic_fetch_add(&fake.lookups, 1, __ATOMIC_RELAXED);
	if (!fake.threaded)
		run_hook(&fake.on_lookup);
	for (unsigned int i = 0; i < v->nr_vcpus; i++) {
		if ((v->vcpus[i]->arch.vmpidr & 0xFF00FFFFFFUL) == mpidr)
			return v->vcpus[i];
	}
	return NULL;
}

bool vm_ipa_in_ram(const struct vm *v, ipa_t ipa, u64 size)
{
	__atomic_fetch_add(&fake.ram_checks, 1, __ATOMIC_RELAXED);
	if (!fake.threaded)
		run_hook(&fake.on_ram_check);
	return ipa >= GUEST_RAM_BASE && size <= v->ram_size &&
	       ipa - GUEST_RAM_BASE <= v->ram_size - size;
}

void vm_guest_poweroff(struct vm *v, const char *reason)
{
	fake.stops++;
	fake.stopped = v;
	fake.stop_reason = reason;
	fake.locked_in_stop |= spin_is_locked(&v->lock);
}

void vm_guest_reset(struct vm *v)
{
	fake.resets++;
	fake.reset = v;
}

void sched_wake(struct vcpu *v)
{
	__atomic_fetch_add(&fake.wakes, 1, __ATOMIC_RELAXED);
	if (fake.threaded)
		return;
	fake.woken = v;
	fake.locked_in_wake |= spin_is_locked(&v->vm->lock);
	run_hook(&fake.on_wake);
}

/* ---- helpers ---- */

static int setup(void **state)
{
	memset(&fake, 0, sizeof(fake));
	memset(&vm, 0, sizeof(vm));
	memset(vcpus, 0, sizeof(vcpus));
	spin_lock_init(&vm.lock);
	vm.state = VM_RUNNING;
	vm.ram_size = RAM_SIZE;
	vm.nr_vcpus = NR_VCPUS;
	for (unsigned int i = 0; i < NR_VCPUS; i++) {
		vcpus[i].id = i;
		vcpus[i].vm = &vm;
		vcpus[i].arch.vmpidr = MPIDR(i);
		vcpus[i].state = i ? VCPU_OFF : VCPU_RUNNING;
		vcpus[i].power = i ? VCPU_POWER_OFF : VCPU_POWER_ON;
		vm.vcpus[i] = &vcpus[i];
	}
	stub_printk_reset();
	return 0;
}

/* Make @fid with x1..x3 from @v; check the lock is free afterwards and x1..x3 kept. */
static enum vcpu_run_result call(struct vcpu *v, u64 fid, u64 a1, u64 a2, u64 a3)
{
	enum vcpu_run_result r;

	v->arch.regs.x[0] = fid;
	v->arch.regs.x[1] = a1;
	v->arch.regs.x[2] = a2;
	v->arch.regs.x[3] = a3;
	v->arch.regs.x[4] = 0x4444;
	r = vpsci_call(v);
	assert_false(spin_is_locked(&vm.lock));
	assert_int_equal(v->arch.regs.x[1], a1);
	assert_int_equal(v->arch.regs.x[2], a2);
	assert_int_equal(v->arch.regs.x[3], a3);
	assert_int_equal(v->arch.regs.x[4], 0x4444);
	return r;
}

/* A call that must return to the guest with @want in x0. */
static void expect_ret(struct vcpu *v, u64 fid, u64 a1, u64 a2, u64 a3, long want)
{
	assert_int_equal(call(v, fid, a1, a2, a3), VCPU_RUN_CONTINUE);
	assert_int_equal(RET(v), want);
}

/* CPU_ON of vCPU @target from @v; returns x0 for the caller to check. */
static long cpu_on(struct vcpu *v, unsigned int target)
{
	assert_int_equal(call(v, FN64_CPU_ON, target, ENTRY, CTX), VCPU_RUN_CONTINUE);
	return RET(v);
}

/* ---- discovery ---- */

static void test_version(void **state)
{
	expect_ret(&vcpus[0], FN_VERSION, 0, 0, 0, 0x10001);
	/* SMCCC: the function ID is W0; bits 63:32 of x0 are not part of it. */
	expect_ret(&vcpus[0], 0xDEAD000000000000UL | FN_VERSION, 0, 0, 0, 0x10001);
	expect_ret(&vcpus[0], SMCCC_VERSION, 0, 0, 0, 0x10001);
	assert_int_equal(fake.wakes + fake.stops + fake.resets, 0);
}

static void test_features(void **state)
{
	static const u32 supported[] = {
		FN_VERSION,	  FN_CPU_SUSPEND,     FN64_CPU_SUSPEND,
		FN_CPU_OFF,	  FN_CPU_ON,	      FN64_CPU_ON,
		FN_AFFINITY_INFO, FN64_AFFINITY_INFO, FN_MIGRATE_INFO_TYPE,
		FN_SYSTEM_OFF,	  FN_SYSTEM_RESET,    FN_FEATURES,
		SMCCC_VERSION,
	};
	static const u32 unsupported[] = {
		SMCCC_ARCH_FEATURES, /* an Arm architecture call, not a PSCI feature */
		FN_MIGRATE,
		FN_CPU_FREEZE,
		FN64_SYSTEM_SUSPEND,
		FN_SYSTEM_RESET2,
		0xC4000000U, /* no 64-bit PSCI_VERSION */
		0xC4000008U, /* no 64-bit SYSTEM_OFF */
		SMCCC_ARCH_WORKAROUND_1,
		0x8400001FU,
		0,
		0xFFFFFFFFU,
	};

	for (size_t i = 0; i < sizeof(supported) / sizeof(supported[0]); i++)
		expect_ret(&vcpus[0], FN_FEATURES, supported[i], 0, 0, PSCI_RET_SUCCESS);
	for (size_t i = 0; i < sizeof(unsupported) / sizeof(unsupported[0]); i++)
		expect_ret(&vcpus[0], FN_FEATURES, unsupported[i], 0, 0, PSCI_RET_NOT_SUPPORTED);
	/* PSCI_FEATURES is SMC32: x1 bits 63:32 are ignored. */
	expect_ret(&vcpus[0], FN_FEATURES, 0xFFFFFFFF00000000UL | FN_CPU_ON, 0, 0,
		   PSCI_RET_SUCCESS);
}

static void test_unknown_function(void **state)
{
	static const u64 fids[] = {
		FN_MIGRATE,  FN_CPU_FREEZE, FN64_SYSTEM_SUSPEND,   FN_SYSTEM_RESET2,
		0xC4000000U, 0x8400001FU,   0x82000000U /* SiP */, 0xC6000000U /* OEM */,
		0x0,	     0xFFFFFFFFU,
	};

	for (size_t i = 0; i < sizeof(fids) / sizeof(fids[0]); i++) {
		vcpus[0].power = VCPU_POWER_ON;
		expect_ret(&vcpus[0], fids[i], 1, ENTRY, CTX, PSCI_RET_NOT_SUPPORTED);
		/* All 64 bits of x0: the SMCCC "unknown function" value, not 0x00000000FFFFFFFF. */
		assert_int_equal(vcpus[0].arch.regs.x[0], ~0UL);
	}
	assert_int_equal(fake.wakes + fake.stops + fake.resets, 0);
	assert_int_equal(vcpus[1].power, VCPU_POWER_OFF);
}

static void test_smccc_arch_features(void **state)
{
	expect_ret(&vcpus[0], SMCCC_ARCH_FEATURES, SMCCC_ARCH_FEATURES, 0, 0, PSCI_RET_SUCCESS);
	expect_ret(&vcpus[0], SMCCC_ARCH_FEATURES, SMCCC_ARCH_WORKAROUND_1, 0, 0,
		   PSCI_RET_NOT_SUPPORTED);
	expect_ret(&vcpus[0], SMCCC_ARCH_FEATURES, 0x80008001U, 0, 0, PSCI_RET_NOT_SUPPORTED);
	expect_ret(&vcpus[0], SMCCC_ARCH_FEATURES, 0x8000FFFFU, 0, 0, PSCI_RET_NOT_SUPPORTED);
	/* SMC32 call: only W1 is the queried ID. */
	expect_ret(&vcpus[0], SMCCC_ARCH_FEATURES, 0xABCD000000000000UL | SMCCC_ARCH_FEATURES, 0, 0,
		   PSCI_RET_SUCCESS);
}

static void test_migrate_info_type(void **state)
{
	expect_ret(&vcpus[0], FN_MIGRATE_INFO_TYPE, 0, 0, 0, 2);
}

/* ---- CPU_ON ---- */

static void test_cpu_on_success(void **state)
{
	expect_ret(&vcpus[0], FN64_CPU_ON, 2, ENTRY, CTX, PSCI_RET_SUCCESS);
	assert_int_equal(vcpus[2].power, VCPU_POWER_ON_PENDING);
	assert_int_equal(vcpus[2].boot_entry, ENTRY);
	assert_int_equal(vcpus[2].boot_x0, CTX);
	assert_int_equal(fake.wakes, 1);
	assert_ptr_equal(fake.woken, &vcpus[2]);
	assert_false(fake.locked_in_wake);
	/* Nobody else touched. */
	assert_int_equal(vcpus[0].power, VCPU_POWER_ON);
	assert_int_equal(vcpus[1].power, VCPU_POWER_OFF);
	assert_int_equal(vcpus[3].power, VCPU_POWER_OFF);
	assert_int_equal(vcpus[1].boot_entry, 0);

	/* Entry at the last word of RAM, context 0, from the 32-bit call. */
	expect_ret(&vcpus[0], FN_CPU_ON, 3, GUEST_RAM_BASE + RAM_SIZE - 4, 0, PSCI_RET_SUCCESS);
	assert_int_equal(vcpus[3].power, VCPU_POWER_ON_PENDING);
	assert_int_equal(vcpus[3].boot_entry, GUEST_RAM_BASE + RAM_SIZE - 4);
	assert_int_equal(vcpus[3].boot_x0, 0);
	assert_int_equal(fake.wakes, 2);
	assert_ptr_equal(fake.woken, &vcpus[3]);
	assert_int_equal(fake.stops + fake.resets, 0);
}

static void test_cpu_on_bad_mpidr(void **state)
{
	static const u64 bad[] = {
		4,		 /* no such vCPU */
		0x100,		 /* Aff1 = 1 */
		0x10000,	 /* Aff2 = 1 */
		0x100000000UL,	 /* Aff3 = 1 */
		MPIDR(1),	 /* bit 31 (RES1 in MPIDR_EL1) is not an affinity bit */
		(1UL << 30) | 1, /* U */
		(1UL << 24) | 1, /* MT */
		(1UL << 40) | 1, /* above Aff3 */
		0x8000000000000001UL,
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		expect_ret(&vcpus[0], FN64_CPU_ON, bad[i], ENTRY, CTX, PSCI_RET_INVALID_PARAMETERS);
		/* Even with a bad entry too, the target is reported first. */
		expect_ret(&vcpus[0], FN64_CPU_ON, bad[i], 0, CTX, PSCI_RET_INVALID_PARAMETERS);
	}
	for (unsigned int i = 1; i < NR_VCPUS; i++) {
		assert_int_equal(vcpus[i].power, VCPU_POWER_OFF);
		assert_int_equal(vcpus[i].boot_entry, 0);
	}
	assert_int_equal(fake.wakes, 0);
}

static void test_cpu_on_bad_entry(void **state)
{
	static const u64 bad[] = {
		0,
		GUEST_RAM_BASE - 4,
		GUEST_RAM_BASE + RAM_SIZE,
		GUEST_RAM_BASE + RAM_SIZE - 2, /* straddles the end, and unaligned */
		GUEST_RAM_BASE + 1,
		GUEST_RAM_BASE + 2,
		GUEST_RAM_BASE + 0x1003,
		GUEST_PL011_BASE,
		0x100040000000UL,
		~0UL,
		~3UL,
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		expect_ret(&vcpus[0], FN64_CPU_ON, 1, bad[i], CTX, PSCI_RET_INVALID_ADDRESS);
	assert_int_equal(vcpus[1].power, VCPU_POWER_OFF);
	assert_int_equal(vcpus[1].boot_entry, 0);
	assert_int_equal(vcpus[1].boot_x0, 0);
	assert_int_equal(fake.wakes, 0);
	/* The bounds themselves are fine. */
	expect_ret(&vcpus[0], FN64_CPU_ON, 1, GUEST_RAM_BASE, CTX, PSCI_RET_SUCCESS);
}

static void test_cpu_on_already_on(void **state)
{
	/* Itself. */
	expect_ret(&vcpus[0], FN64_CPU_ON, 0, ENTRY, CTX, PSCI_RET_ALREADY_ON);
	/* Another running vCPU. */
	vcpus[1].power = VCPU_POWER_ON;
	vcpus[1].state = VCPU_RUNNING;
	expect_ret(&vcpus[0], FN64_CPU_ON, 1, ENTRY + 0x100, 7, PSCI_RET_ALREADY_ON);
	assert_int_equal(vcpus[1].power, VCPU_POWER_ON);
	assert_int_equal(vcpus[1].boot_entry, 0);
	assert_int_equal(vcpus[1].boot_x0, 0);
	assert_int_equal(vcpus[0].boot_entry, 0);
	assert_int_equal(fake.wakes, 0);
}

static void test_cpu_on_pending(void **state)
{
	expect_ret(&vcpus[0], FN64_CPU_ON, 1, ENTRY, CTX, PSCI_RET_SUCCESS);
	/* A second CPU_ON before vCPU 1 ran: ON_PENDING, first entry and context kept. */
	expect_ret(&vcpus[0], FN64_CPU_ON, 1, ENTRY + 0x100, 7, PSCI_RET_ON_PENDING);
	expect_ret(&vcpus[0], FN_CPU_ON, 1, ENTRY + 0x200, 8, PSCI_RET_ON_PENDING);
	assert_int_equal(vcpus[1].power, VCPU_POWER_ON_PENDING);
	assert_int_equal(vcpus[1].boot_entry, ENTRY);
	assert_int_equal(vcpus[1].boot_x0, CTX);
	assert_int_equal(fake.wakes, 1);
	/* Once the scheduler brought it up: ALREADY_ON. */
	vcpus[1].power = VCPU_POWER_ON;
	expect_ret(&vcpus[0], FN64_CPU_ON, 1, ENTRY, CTX, PSCI_RET_ALREADY_ON);
	assert_int_equal(fake.wakes, 1);
}

/* SMC32 CPU_ON: MPIDR, entry and context are W1..W3. */
static void test_cpu_on_smc32_masks(void **state)
{
	expect_ret(&vcpus[0], FN_CPU_ON, 0xFFFFFFFF00000002UL, 0xABCD000000000000UL | ENTRY,
		   0x5555555587654321UL, PSCI_RET_SUCCESS);
	assert_int_equal(vcpus[2].power, VCPU_POWER_ON_PENDING);
	assert_int_equal(vcpus[2].boot_entry, ENTRY);
	assert_int_equal(vcpus[2].boot_x0, 0x87654321UL);
	assert_int_equal(fake.wakes, 1);
	assert_ptr_equal(fake.woken, &vcpus[2]);

	/* The same registers through SMC64 are invalid. */
	expect_ret(&vcpus[0], FN64_CPU_ON, 0xFFFFFFFF00000003UL, ENTRY, CTX,
		   PSCI_RET_INVALID_PARAMETERS);
	expect_ret(&vcpus[0], FN64_CPU_ON, 3, 0xABCD000000000000UL | ENTRY, CTX,
		   PSCI_RET_INVALID_ADDRESS);
	assert_int_equal(vcpus[3].power, VCPU_POWER_OFF);
	/* SMC64 keeps all 64 bits of the context. */
	expect_ret(&vcpus[0], FN64_CPU_ON, 3, ENTRY, 0x5555555587654321UL, PSCI_RET_SUCCESS);
	assert_int_equal(vcpus[3].boot_x0, 0x5555555587654321UL);
	/* An SMC32 MPIDR can't name Aff3 or non-affinity bits 63:40: they are masked, not refused.
	 */
	vcpus[1].arch.vmpidr = MPIDR(1);
	expect_ret(&vcpus[0], FN_CPU_ON, 0xFF00000001UL, ENTRY, 0, PSCI_RET_SUCCESS);
	assert_int_equal(vcpus[1].power, VCPU_POWER_ON_PENDING);
	/* Still refused within W1: bit 31. */
	expect_ret(&vcpus[0], FN_CPU_ON, MPIDR(1), ENTRY, 0, PSCI_RET_INVALID_PARAMETERS);
}

/* ---- AFFINITY_INFO ---- */

static void test_affinity_info(void **state)
{
	static const u32 fids[] = { FN_AFFINITY_INFO, FN64_AFFINITY_INFO };

	vcpus[2].power = VCPU_POWER_ON_PENDING;
	for (size_t f = 0; f < 2; f++) {
		expect_ret(&vcpus[1], fids[f], 0, 0, 0, 0); /* ON */
		expect_ret(&vcpus[0], fids[f], 1, 0, 0, 1); /* OFF */
		expect_ret(&vcpus[0], fids[f], 2, 0, 0, 2); /* ON_PENDING */
		expect_ret(&vcpus[0], fids[f], 3, 0, 0, 1);
		expect_ret(&vcpus[0], fids[f], 4, 0, 0, PSCI_RET_INVALID_PARAMETERS);
		expect_ret(&vcpus[0], fids[f], 0x100, 0, 0, PSCI_RET_INVALID_PARAMETERS);
		expect_ret(&vcpus[0], fids[f], 0x10000, 0, 0, PSCI_RET_INVALID_PARAMETERS);
		expect_ret(&vcpus[0], fids[f], 0, 1, 0, PSCI_RET_INVALID_PARAMETERS);
		expect_ret(&vcpus[0], fids[f], 1, 2, 0, PSCI_RET_INVALID_PARAMETERS);
		expect_ret(&vcpus[0], fids[f], 1, 3, 0, PSCI_RET_INVALID_PARAMETERS);
		expect_ret(&vcpus[0], fids[f], 4, 1, 0, PSCI_RET_INVALID_PARAMETERS);
	}
	expect_ret(&vcpus[0], FN64_AFFINITY_INFO, 0x100000000UL, 0, 0, PSCI_RET_INVALID_PARAMETERS);
	expect_ret(&vcpus[0], FN64_AFFINITY_INFO, 1, 0x100000000UL, 0, PSCI_RET_INVALID_PARAMETERS);
	/* SMC32: W1/W2 only. */
	expect_ret(&vcpus[0], FN_AFFINITY_INFO, 0x100000002UL, 0x100000000UL, 0, 2);
	/* The state machine as AFFINITY_INFO sees it. */
	expect_ret(&vcpus[0], FN64_CPU_ON, 3, ENTRY, CTX, PSCI_RET_SUCCESS);
	expect_ret(&vcpus[0], FN64_AFFINITY_INFO, 3, 0, 0, 2);
	vcpus[3].power = VCPU_POWER_ON; /* the scheduler ran it */
	expect_ret(&vcpus[0], FN64_AFFINITY_INFO, 3, 0, 0, 0);
	assert_int_equal(call(&vcpus[3], FN_CPU_OFF, 0, 0, 0), VCPU_RUN_YIELD);
	expect_ret(&vcpus[0], FN64_AFFINITY_INFO, 3, 0, 0, 1);
	/* PSCI changes the power state only; the scheduler owns the run state. */
	for (unsigned int i = 0; i < NR_VCPUS; i++)
		assert_int_equal(vcpus[i].state, i == 0 ? VCPU_RUNNING : VCPU_OFF);
}

/* ---- power off, reset, suspend ---- */

static void test_cpu_off(void **state)
{
	vcpus[1].power = VCPU_POWER_ON;
	vcpus[1].state = VCPU_RUNNING;
	vcpus[2].power = VCPU_POWER_ON_PENDING;

	assert_int_equal(call(&vcpus[1], FN_CPU_OFF, 0, 0, 0), VCPU_RUN_YIELD);
	assert_int_equal(vcpus[1].power, VCPU_POWER_OFF);
	/* The scheduler switches it off when it has left the guest (it owns the run state). */
	assert_int_equal(vcpus[1].state, VCPU_RUNNING);
	assert_int_equal(fake.stops, 0);
	assert_int_equal(vcpus[0].power, VCPU_POWER_ON);
	assert_int_equal(vcpus[0].state, VCPU_RUNNING);

	assert_int_equal(call(&vcpus[0], FN_CPU_OFF, 0, 0, 0), VCPU_RUN_YIELD);
	assert_int_equal(vcpus[0].power, VCPU_POWER_OFF);
	assert_int_equal(vcpus[0].state, VCPU_RUNNING);
	/* vCPU 2 is still coming on: the VM lives. */
	assert_int_equal(fake.stops, 0);

	/* It runs, then switches itself off: the last one. */
	vcpus[2].power = VCPU_POWER_ON;
	vcpus[2].state = VCPU_RUNNING;
	assert_int_equal(call(&vcpus[2], FN_CPU_OFF, 0, 0, 0), VCPU_RUN_YIELD);
	assert_int_equal(vcpus[2].power, VCPU_POWER_OFF);
	assert_int_equal(fake.stops, 1);
	assert_ptr_equal(fake.stopped, &vm);
	assert_non_null(fake.stop_reason);
	assert_false(fake.locked_in_stop);
	assert_int_equal(fake.resets + fake.wakes, 0);
}

static void test_cpu_off_single_vcpu(void **state)
{
	vm.nr_vcpus = 1;
	assert_int_equal(call(&vcpus[0], FN_CPU_OFF, 0, 0, 0), VCPU_RUN_YIELD);
	assert_int_equal(vcpus[0].power, VCPU_POWER_OFF);
	assert_int_equal(fake.stops, 1);
	assert_ptr_equal(fake.stopped, &vm);
	assert_false(fake.locked_in_stop);
}

/* CPU_OFF then CPU_ON of the same vCPU: it comes back at the new entry. */
static void test_cpu_off_on_again(void **state)
{
	vcpus[1].power = VCPU_POWER_ON;
	assert_int_equal(call(&vcpus[1], FN_CPU_OFF, 0, 0, 0), VCPU_RUN_YIELD);
	expect_ret(&vcpus[0], FN64_CPU_ON, 1, ENTRY + 0x40, 9, PSCI_RET_SUCCESS);
	assert_int_equal(vcpus[1].power, VCPU_POWER_ON_PENDING);
	assert_int_equal(vcpus[1].boot_entry, ENTRY + 0x40);
	assert_int_equal(vcpus[1].boot_x0, 9);
	assert_int_equal(fake.wakes, 1);
	assert_int_equal(fake.stops, 0);
}

static void test_system_off(void **state)
{
	vcpus[1].power = VCPU_POWER_ON;
	assert_int_equal(call(&vcpus[1], FN_SYSTEM_OFF, 0, 0, 0), VCPU_RUN_YIELD);
	assert_int_equal(fake.stops, 1);
	assert_ptr_equal(fake.stopped, &vm);
	assert_non_null(fake.stop_reason);
	assert_false(fake.locked_in_stop);
	assert_int_equal(fake.resets + fake.wakes, 0);
}

static void test_system_reset(void **state)
{
	assert_int_equal(call(&vcpus[0], FN_SYSTEM_RESET, 0, 0, 0), VCPU_RUN_YIELD);
	assert_int_equal(fake.resets, 1);
	assert_ptr_equal(fake.reset, &vm);
	assert_int_equal(fake.stops + fake.wakes, 0);
	for (unsigned int i = 0; i < NR_VCPUS; i++)
		assert_int_equal(vcpus[i].power, i ? VCPU_POWER_OFF : VCPU_POWER_ON);
}

static void test_cpu_suspend(void **state)
{
	static const u32 fids[] = { FN_CPU_SUSPEND, FN64_CPU_SUSPEND };
	/* Standby and powerdown (StateType, bit 16), any PowerLevel and StateID. */
	static const u64 states[] = { 0, 0x10000, 0x3010001, 0x100ffff };

	for (size_t i = 0; i < 2; i++) {
		for (size_t k = 0; k < ARRAY_SIZE(states); k++) {
			vcpus[0].arch.regs.x[0] = 0x1234;
			/* Blocks like WFI: the scheduler sleeps the vCPU until a wake-up event. */
			assert_int_equal(call(&vcpus[0], fids[i], states[k], ENTRY, CTX),
					 VCPU_RUN_WAIT);
			assert_int_equal(RET(&vcpus[0]), PSCI_RET_SUCCESS);
			assert_int_equal(vcpus[0].power, VCPU_POWER_ON);
			assert_int_equal(vcpus[0].state, VCPU_RUNNING);
		}
		/* Reserved bits set: refused, no suspension. */
		assert_int_equal(call(&vcpus[0], fids[i], 0x10000 | BIT(17), ENTRY, CTX),
				 VCPU_RUN_CONTINUE);
		assert_int_equal(RET(&vcpus[0]), PSCI_RET_INVALID_PARAMETERS);
		assert_int_equal(call(&vcpus[0], fids[i], BIT(30), ENTRY, CTX), VCPU_RUN_CONTINUE);
		assert_int_equal(RET(&vcpus[0]), PSCI_RET_INVALID_PARAMETERS);
	}
	assert_int_equal(fake.stops + fake.resets + fake.wakes, 0);
}

/* ---- racing CPU_ONs ---- */

/*
 * Callers 1..3 (all on) each CPU_ON vCPU 0 (off). Run them one after another in every order,
 * and also with one call started inside another at each point where the code under test does not
 * hold vm->lock (target lookup, address check, after the wake-up): exactly one SUCCESS.
 */
static struct vcpu *nested_caller;
static long nested_ret;

static void nested_cpu_on(void)
{
	nested_ret = cpu_on(nested_caller, 0);
}

static void race_reset(void)
{
	setup(NULL);
	for (unsigned int i = 1; i < NR_VCPUS; i++) {
		vcpus[i].power = VCPU_POWER_ON;
		vcpus[i].state = VCPU_RUNNING;
	}
	vcpus[0].power = VCPU_POWER_OFF;
	vcpus[0].state = VCPU_OFF;
}

/* Exactly one SUCCESS, with @want[i] for the others; the target woken once with its entry. */
static void check_one_success(const long *rets, const long *want, unsigned int n)
{
	unsigned int ok = 0;

	for (unsigned int i = 0; i < n; i++) {
		ok += rets[i] == PSCI_RET_SUCCESS;
		assert_int_equal(rets[i], want[i]);
	}
	assert_int_equal(ok, 1);
	assert_int_equal(fake.wakes, 1);
	assert_ptr_equal(fake.woken, &vcpus[0]);
	assert_false(fake.locked_in_wake);
	assert_int_equal(vcpus[0].boot_entry, ENTRY);
	assert_int_equal(vcpus[0].boot_x0, CTX);
}

static void test_cpu_on_race_orders(void **state)
{
	static const unsigned int orders[][3] = {
		{ 1, 2, 3 }, { 1, 3, 2 }, { 2, 1, 3 }, { 2, 3, 1 }, { 3, 1, 2 }, { 3, 2, 1 },
	};

	for (size_t o = 0; o < 6; o++) {
		/* The scheduler brings the target up before call @up (3: not during the race). */
		for (unsigned int up = 1; up <= 3; up++) {
			long rets[3], want[3];

			race_reset();
			for (unsigned int k = 0; k < 3; k++) {
				if (k == up)
					vcpus[0].power = VCPU_POWER_ON;
				rets[k] = cpu_on(&vcpus[orders[o][k]], 0);
				want[k] = k == 0   ? PSCI_RET_SUCCESS
					  : k < up ? PSCI_RET_ON_PENDING
						   : PSCI_RET_ALREADY_ON;
			}
			check_one_success(rets, want, 3);
			assert_int_equal(vcpus[0].power,
					 up < 3 ? VCPU_POWER_ON : VCPU_POWER_ON_PENDING);
		}
	}
}

static void test_cpu_on_race_nested(void **state)
{
	/* cppcheck-suppress uninitvar ; the array holds addresses, nothing is read */
	hook_fn *points[] = { &fake.on_lookup, &fake.on_ram_check, &fake.on_wake };

	for (size_t p = 0; p < 3; p++) {
		for (unsigned int outer = 1; outer < NR_VCPUS; outer++) {
			long rets[2], want[2];

			race_reset();
			nested_caller = &vcpus[outer == 3 ? 1 : outer + 1];
			nested_ret = 1;
			*points[p] = nested_cpu_on;
			rets[0] = cpu_on(&vcpus[outer], 0);
			rets[1] = nested_ret;
			assert_int_not_equal(nested_ret, 1); /* the hook ran */
			/* Before the lock the inner call wins; after the wake-up the outer one did.
			 */
			want[0] = p == 2 ? PSCI_RET_SUCCESS : PSCI_RET_ON_PENDING;
			want[1] = p == 2 ? PSCI_RET_ON_PENDING : PSCI_RET_SUCCESS;
			check_one_success(rets, want, 2);
		}
	}
}

/* The same with real threads on the real ticket lock. */
#define RACE_THREADS 3
#define RACE_ROUNDS  2000

static pthread_barrier_t race_barrier;
static long race_rets[RACE_THREADS][RACE_ROUNDS];

static void *race_thread(void *arg)
{
	struct vcpu *v = arg;
	unsigned int t = v->id - 1;

	for (unsigned int r = 0; r < RACE_ROUNDS; r++) {
		pthread_barrier_wait(&race_barrier);
		v->arch.regs.x[0] = r & 1 ? FN_CPU_ON : FN64_CPU_ON;
		v->arch.regs.x[1] = 0;
		v->arch.regs.x[2] = ENTRY + 4 * t;
		v->arch.regs.x[3] = t;
		if (vpsci_call(v) != VCPU_RUN_CONTINUE)
			race_rets[t][r] = 99;
		else
			race_rets[t][r] = (long)v->arch.regs.x[0];
		pthread_barrier_wait(&race_barrier);
	}
	return NULL;
}

static void test_cpu_on_race_threads(void **state)
{
	pthread_t th[RACE_THREADS];

	race_reset();
	fake.threaded = true;
	assert_int_equal(pthread_barrier_init(&race_barrier, NULL, RACE_THREADS + 1), 0);
	for (unsigned int t = 0; t < RACE_THREADS; t++)
		assert_int_equal(pthread_create(&th[t], NULL, race_thread, &vcpus[t + 1]), 0);
	for (unsigned int r = 0; r < RACE_ROUNDS; r++) {
		unsigned int ok = 0, winner = 0;
		unsigned int wakes = __atomic_load_n(&fake.wakes, __ATOMIC_RELAXED);

		vcpus[0].power = VCPU_POWER_OFF;
		pthread_barrier_wait(&race_barrier); /* go */
		pthread_barrier_wait(&race_barrier); /* all done */
		for (unsigned int t = 0; t < RACE_THREADS; t++) {
			if (race_rets[t][r] == PSCI_RET_SUCCESS) {
				ok++;
				winner = t;
			} else {
				assert_int_equal(race_rets[t][r], PSCI_RET_ON_PENDING);
			}
		}
		assert_int_equal(ok, 1);
		assert_int_equal(__atomic_load_n(&fake.wakes, __ATOMIC_RELAXED), wakes + 1);
		assert_int_equal(vcpus[0].power, VCPU_POWER_ON_PENDING);
		/* Entry and context both from the winner. */
		assert_int_equal(vcpus[0].boot_entry, ENTRY + 4 * winner);
		assert_int_equal(vcpus[0].boot_x0, winner);
		assert_false(spin_is_locked(&vm.lock));
	}
	for (unsigned int t = 0; t < RACE_THREADS; t++)
		assert_int_equal(pthread_join(th[t], NULL), 0);
	pthread_barrier_destroy(&race_barrier);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_version, setup),
		cmocka_unit_test_setup(test_features, setup),
		cmocka_unit_test_setup(test_unknown_function, setup),
		cmocka_unit_test_setup(test_smccc_arch_features, setup),
		cmocka_unit_test_setup(test_migrate_info_type, setup),
		cmocka_unit_test_setup(test_cpu_on_success, setup),
		cmocka_unit_test_setup(test_cpu_on_bad_mpidr, setup),
		cmocka_unit_test_setup(test_cpu_on_bad_entry, setup),
		cmocka_unit_test_setup(test_cpu_on_already_on, setup),
		cmocka_unit_test_setup(test_cpu_on_pending, setup),
		cmocka_unit_test_setup(test_cpu_on_smc32_masks, setup),
		cmocka_unit_test_setup(test_affinity_info, setup),
		cmocka_unit_test_setup(test_cpu_off, setup),
		cmocka_unit_test_setup(test_cpu_off_single_vcpu, setup),
		cmocka_unit_test_setup(test_cpu_off_on_again, setup),
		cmocka_unit_test_setup(test_system_off, setup),
		cmocka_unit_test_setup(test_system_reset, setup),
		cmocka_unit_test_setup(test_cpu_suspend, setup),
		cmocka_unit_test_setup(test_cpu_on_race_orders, setup),
		cmocka_unit_test_setup(test_cpu_on_race_nested, setup),
		cmocka_unit_test_setup(test_cpu_on_race_threads, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
