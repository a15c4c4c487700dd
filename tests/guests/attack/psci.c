// SPDX-License-Identifier: GPL-2.0-only
/*
 * PSCI/SMCCC: argument abuse (absent MPIDRs, entry points outside RAM, in a device, unaligned,
 * bad power states and affinity levels) gets the PSCI error codes, unknown function IDs get
 * NOT_SUPPORTED through HVC and SMC, fuzzed function IDs never stop the VM, and EL0 cannot call.
 */
#include "attack.h"

#define PSCI_CPU_SUSPEND_64	0xc4000001U
#define PSCI_MIGRATE_64		0xc4000005U
#define PSCI_MIGRATE_UP_CPU_64	0xc4000007U
#define PSCI_CPU_FREEZE		0x8400000bU
#define PSCI_DEFAULT_SUSPEND_64 0xc400000cU
#define PSCI_NODE_HW_STATE_64	0xc400000dU
#define PSCI_SYSTEM_SUSPEND_64	0xc400000eU
#define PSCI_SET_SUSPEND_MODE	0x8400000fU
#define PSCI_STAT_RESIDENCY_64	0xc4000010U
#define PSCI_STAT_COUNT_64	0xc4000011U
#define PSCI_SYSTEM_RESET2_64	0xc4000012U
#define PSCI_MEM_PROTECT	0x84000013U
#define SMCCC_ARCH_WORKAROUND_1 0x80008000U
#define SMCCC_ARCH_WORKAROUND_2 0x80007fffU
#define SMCCC_ARCH_WORKAROUND_3 0x80003fffU
#define TRNG_VERSION		0x84000050U
#define TRNG_RND64		0xc4000053U
#define ABSENT_MPIDR		0x0000ff07UL

static s64 call_smc(u32 fid, u64 a1, u64 a2, u64 a3)
{
	enum smccc_conduit saved = smccc_conduit;
	s64 r;

	smccc_conduit = SMCCC_CONDUIT_SMC;
	r = smccc_call(fid, a1, a2, a3);
	smccc_conduit = saved;
	return r;
}

static void spin(void)
{
	for (;;)
		asm volatile("wfe");
}

static bool cpu_on_absent(void)
{
	return psci_cpu_on(ABSENT_MPIDR, (u64)spin, 0) == PSCI_RET_INVALID_PARAMETERS &&
	       psci_cpu_on(~0UL, (u64)spin, 0) == PSCI_RET_INVALID_PARAMETERS;
}

static bool cpu_on_self(void)
{
	s64 r = psci_cpu_on(cpu_mpidr(), (u64)spin, 0);

	return r == PSCI_RET_ALREADY_ON || r == PSCI_RET_INVALID_PARAMETERS;
}

static bool cpu_on_bad_entry(u64 entry)
{
	s64 r;

	if (attack_nr_vcpus < 2)
		return psci_cpu_on(1, entry, 0) == PSCI_RET_INVALID_PARAMETERS;
	r = psci_cpu_on(attack_nr_vcpus - 1, entry, 0);
	return r == PSCI_RET_INVALID_ADDRESS;
}

static bool cpu_on_entry_outside_ram(void)
{
	return cpu_on_bad_entry(attack_ram_base + attack_ram_size);
}

static bool cpu_on_entry_device(void)
{
	return cpu_on_bad_entry(GUEST_UART_BASE);
}

static bool cpu_on_entry_zero(void)
{
	return cpu_on_bad_entry(0);
}

static bool cpu_on_entry_top(void)
{
	return cpu_on_bad_entry(~0UL & ~3UL);
}

static bool affinity_info_abuse(void)
{
	return psci_affinity_info(ABSENT_MPIDR, 0) == PSCI_RET_INVALID_PARAMETERS &&
	       psci_affinity_info(0, 3) == PSCI_RET_INVALID_PARAMETERS &&
	       psci_affinity_info(~0UL, ~0UL) == PSCI_RET_INVALID_PARAMETERS;
}

static bool cpu_suspend_bad_state(void)
{
	/* A power-down state with a bad entry point, and a state ID full of ones. */
	s64 a = smccc_call(PSCI_CPU_SUSPEND_64, 1UL << 30, 0, 0);
	s64 b = smccc_call(PSCI_CPU_SUSPEND_64, ~0UL, (u64)spin, 0);

	/*
	 * Refused, or treated as a standby that returned here: either way this vCPU goes on and
	 * never runs the entry point given.
	 */
	report_info("CPU_SUSPEND: power-down at 0: %ld, state ~0: %ld", a, b);
	return a <= 0 && b <= 0;
}

static bool migrate(void)
{
	s64 a = smccc_call(PSCI_MIGRATE_64, 0, 0, 0);
	s64 b = smccc_call(PSCI_MIGRATE_UP_CPU_64, 0, 0, 0);

	return a < 0 && (b < 0 || b >= 0);
}

static bool optional_functions(void)
{
	static const u32 fids[] = { PSCI_CPU_FREEZE,	   PSCI_DEFAULT_SUSPEND_64,
				    PSCI_NODE_HW_STATE_64, PSCI_SYSTEM_SUSPEND_64,
				    PSCI_SET_SUSPEND_MODE, PSCI_STAT_RESIDENCY_64,
				    PSCI_STAT_COUNT_64,	   PSCI_MEM_PROTECT };

	for (unsigned int i = 0; i < ARRAY_SIZE(fids); i++) {
		s64 r = smccc_call(fids[i], ABSENT_MPIDR, 0x12345, ~0UL);

		if (r == PSCI_RET_SUCCESS && fids[i] != PSCI_STAT_COUNT_64 &&
		    fids[i] != PSCI_STAT_RESIDENCY_64) {
			report_info("0x%x with junk returned success", fids[i]);
			return false;
		}
	}
	return true;
}

static bool reset2_vendor_junk(void)
{
	/* A vendor reset type Tern does not know: refused (it must not reset the VM). */
	s64 r = smccc_call(PSCI_SYSTEM_RESET2_64, 0x80001234UL, 0, 0);

	return r == PSCI_RET_NOT_SUPPORTED || r == PSCI_RET_INVALID_PARAMETERS;
}

static bool features_junk(void)
{
	return smccc_call(PSCI_FEATURES, 0x12345678, 0, 0) == PSCI_RET_NOT_SUPPORTED &&
	       smccc_call(PSCI_FEATURES, ~0UL, 0, 0) == PSCI_RET_NOT_SUPPORTED;
}

static bool smccc_arch(void)
{
	s64 v = smccc_call(SMCCC_VERSION, 0, 0, 0);

	smccc_call(SMCCC_ARCH_FEATURES, SMCCC_ARCH_WORKAROUND_1, 0, 0);
	smccc_call(SMCCC_ARCH_FEATURES, SMCCC_ARCH_WORKAROUND_2, 0, 0);
	smccc_call(SMCCC_ARCH_FEATURES, SMCCC_ARCH_WORKAROUND_3, 0, 0);
	smccc_call(SMCCC_ARCH_WORKAROUND_1, 0, 0, 0);
	smccc_call(SMCCC_ARCH_WORKAROUND_2, 1, 0, 0);
	return v > 0 && smccc_call(SMCCC_ARCH_FEATURES, 0x1234, 0, 0) < 0;
}

static bool trng(void)
{
	s64 v = smccc_call(TRNG_VERSION, 0, 0, 0);
	s64 r = smccc_call(TRNG_RND64, 4096, 0, 0);

	return (v < 0 && r < 0) || v > 0;
}

static bool unknown_over(bool smc)
{
	static const u32 unknown[] = { 0x84000030U, 0xc4000030U, 0x8400ffffU, 0x82000000U,
				       0xc2000000U, 0x86000000U, 0xbf000000U, 0xff00ffffU,
				       0x01000000U, 0x31000000U, 0x7fffffffU, 0xc5000000U };

	for (unsigned int i = 0; i < ARRAY_SIZE(unknown); i++) {
		s64 r = smc ? call_smc(unknown[i], ~0UL, ~0UL, ~0UL)
			    : smccc_call(unknown[i], ~0UL, ~0UL, ~0UL);

		if (r != PSCI_RET_NOT_SUPPORTED) {
			report_info("function 0x%x returned %ld", unknown[i], r);
			return false;
		}
	}
	return true;
}

static bool unknown_hvc(void)
{
	return unknown_over(false);
}

static bool unknown_smc(void)
{
	return unknown_over(true);
}

/* Function IDs a fuzzer must not hit: they would legitimately stop or reset the VM. */
static bool fid_dangerous(u32 fid)
{
	u32 f = fid & ~0x40000000U; /* SMC32 and SMC64 forms */

	return f == PSCI_CPU_OFF || f == PSCI_SYSTEM_OFF || f == PSCI_SYSTEM_RESET ||
	       f == (PSCI_SYSTEM_RESET2_64 & ~0x40000000U) ||
	       f == (PSCI_CPU_SUSPEND_64 & ~0x40000000U) ||
	       f == (PSCI_SYSTEM_SUSPEND_64 & ~0x40000000U) || f == PSCI_CPU_FREEZE ||
	       f == (PSCI_DEFAULT_SUSPEND_64 & ~0x40000000U) || f == (PSCI_CPU_ON & ~0x40000000U);
}

static u64 rng_state = 0x9e3779b97f4a7c15UL;

static u64 rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static bool fuzz(bool smc, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++) {
		u32 fid = (u32)rnd();

		/* Half the time a fast-call ID in the standard service ranges. */
		if (i & 1)
			fid = (fid & 0x4f00ffffU) | 0x80000000U | ((fid >> 16) & 0x4) << 24;
		if (fid_dangerous(fid))
			continue;
		if (smc)
			call_smc(fid, rnd(), rnd(), rnd());
		else
			smccc_call(fid, rnd(), rnd(), rnd());
	}
	return true;
}

static bool fuzz_hvc(void)
{
	return fuzz(false, 4000);
}

static bool fuzz_smc(void)
{
	return fuzz(true, 4000);
}

static bool hvc_immediate(void)
{
	/* HVC #0x1234: not the SMCCC immediate. Whatever Tern answers, the VM goes on. */
	register u64 x0 asm("x0") = PSCI_VERSION;

	asm volatile("hvc #0x1234" : "+r"(x0)::"x1", "x2", "x3", "memory");
	return true;
}

static bool smc32_upper_bits(void)
{
	/* A 32-bit call with junk in the upper halves: the upper bits are ignored. */
	register u64 x0 asm("x0") = 0xffffffff00000000UL | PSCI_VERSION;
	s64 r = smccc_call(PSCI_VERSION, 0xffffffff00000000UL, 0, 0);

	if (smccc_conduit == SMCCC_CONDUIT_HVC)
		asm volatile("hvc #0" : "+r"(x0)::"x1", "x2", "x3", "memory");
	else
		asm volatile("smc #0" : "+r"(x0)::"x1", "x2", "x3", "memory");
	/* Function ID in W0: the same answer, or NOT_SUPPORTED; never a crash. */
	return r > 0 && ((s64)x0 == r || (s64)x0 == PSCI_RET_NOT_SUPPORTED);
}

asm(".pushsection .text\n.balign 4\nel0_hvc_code: hvc #0\n svc #0\n"
    "el0_smc_code: smc #0\n svc #0\n.popsection");
extern char el0_hvc_code[], el0_smc_code[];

static bool el0_hvc(void)
{
	u64 regs[31] = { 0 }, esr, idx;

	regs[0] = PSCI_SYSTEM_OFF;
	el0_run((u64)el0_hvc_code, false, regs, &esr, &idx);
	return idx == 8 && ESR_EC(esr) == ESR_EC_UNKNOWN;
}

static bool el0_smc(void)
{
	u64 regs[31] = { 0 }, esr, idx;

	regs[0] = PSCI_SYSTEM_OFF;
	el0_run((u64)el0_smc_code, false, regs, &esr, &idx);
	return idx == 8 && ESR_EC(esr) == ESR_EC_UNKNOWN;
}

ATTACK_TABLE(psci, { "CPU_ON of absent MPIDRs", cpu_on_absent }, { "CPU_ON of self", cpu_on_self },
	     { "CPU_ON entry outside RAM", cpu_on_entry_outside_ram },
	     { "CPU_ON entry in a device", cpu_on_entry_device },
	     { "CPU_ON entry 0", cpu_on_entry_zero },
	     { "CPU_ON entry at the top", cpu_on_entry_top },
	     { "AFFINITY_INFO abuse", affinity_info_abuse },
	     { "CPU_SUSPEND bad states", cpu_suspend_bad_state }, { "MIGRATE", migrate },
	     { "optional functions with junk", optional_functions },
	     { "SYSTEM_RESET2 vendor junk", reset2_vendor_junk },
	     { "PSCI_FEATURES junk", features_junk }, { "SMCCC arch calls", smccc_arch },
	     { "TRNG", trng }, { "unknown IDs via HVC", unknown_hvc },
	     { "unknown IDs via SMC", unknown_smc }, { "fuzzed IDs via HVC", fuzz_hvc },
	     { "fuzzed IDs via SMC", fuzz_smc }, { "HVC with a non-zero immediate", hvc_immediate },
	     { "SMC32 with junk upper halves", smc32_upper_bits }, { "HVC from EL0", el0_hvc },
	     { "SMC from EL0", el0_smc });
