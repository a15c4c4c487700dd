// SPDX-License-Identifier: GPL-2.0-only
/*
 * PSCI 1.1 and SMCCC through the guest's conduit: versions, FEATURES, the error codes of CPU_ON,
 * and one real CPU_ON / AFFINITY_INFO / CPU_OFF round trip of vCPU 1 (needs 2 vCPUs, else SKIP).
 */
#include "libguest.h"
#include "regsweep.h"

#define UNKNOWN_FID 0x8400001FU /* in the PSCI range, not allocated */
#define BAD_MPIDR   0xffUL
#define AFF_ON	    0
#define AFF_OFF	    1
#define SPIN_LIMIT  10000000UL

static volatile u64 secondary_ran;
static volatile u64 secondary_mpidr;

/*
 * A call that must return: on plain QEMU some SMCCC IDs are not handled by the conduit and the
 * HVC is UNDEFINED; report that instead of dying in the unexpected-exception path.
 */
static s64 call(const char *what, u32 fid, u64 a1, u64 a2, u64 a3, bool *trapped)
{
	u64 esr;
	s64 ret;

	expect_exception(ESR_EC_UNKNOWN);
	ret = smccc_call(fid, a1, a2, a3);
	*trapped = exception_taken(&esr, NULL);
	if (*trapped)
		report_info("%s: the conduit instruction was UNDEFINED (ESR 0x%lx)", what, esr);
	return ret;
}

/*
 * Every SMCCC owner (0-63), as fast and yielding calls of both conventions, function numbers 0
 * and 0x1234: only SMCCC_VERSION and PSCI_VERSION are functions among them, everything else
 * answers NOT_SUPPORTED (-1), whichever path in Tern answers it (the exit vector answers the
 * owners without a service before any C code runs).
 */
static void test_every_owner(void)
{
	static const u32 kinds[] = { 0x80000000U, 0xC0000000U, 0x00000000U, 0x40000000U };
	static const u32 fns[] = { 0, 0x1234 };
	unsigned int bad = 0, calls = 0;
	bool trapped;

	for (u32 owner = 0; owner < 64; owner++) {
		for (unsigned int k = 0; k < ARRAY_SIZE(kinds); k++) {
			for (unsigned int f = 0; f < ARRAY_SIZE(fns); f++) {
				u32 fid = kinds[k] | owner << 24 | fns[f];
				s64 want = fid == SMCCC_VERSION || fid == PSCI_VERSION
					       ? 0x10001
					       : PSCI_RET_NOT_SUPPORTED;
				s64 ret = call("owner", fid, fid, 0, 0, &trapped);

				calls++;
				if (trapped || ret != want) {
					if (bad++ < 4)
						report_info("function 0x%08x: %ld, want %ld", fid,
							    ret, want);
				}
			}
		}
	}
	report(bad == 0, "every SMCCC owner: %u of %u calls answered as they must", calls - bad,
	       calls);
}

/*
 * PSCI_VERSION and SMCCC_VERSION with one more bit set anywhere in [23:0] or bit 30 (SMC64): no
 * such function exists, however Tern finds its functions.
 */
static bool near_is_function(u32 fid)
{
	static const u32 fns[] = {
		0x84000001U, 0xC4000001U,   0x84000002U,	 0x84000003U, 0xC4000003U,
		0x84000004U, 0xC4000004U,   0x84000006U,	 0x84000008U, 0x84000009U,
		0x8400000AU, SMCCC_VERSION, SMCCC_ARCH_FEATURES,
	};

	for (unsigned int i = 0; i < ARRAY_SIZE(fns); i++)
		if (fid == fns[i])
			return true;
	return false;
}

static void test_near_ids(void)
{
	static const u32 bases[] = { PSCI_VERSION, SMCCC_VERSION, SMCCC_ARCH_FEATURES };
	unsigned int bad = 0, calls = 0;
	bool trapped;

	for (unsigned int b = 0; b < ARRAY_SIZE(bases); b++) {
		for (unsigned int bit = 0; bit < 31; bit++) {
			u32 fid = bases[b] | 1U << bit;
			s64 ret, want = PSCI_RET_NOT_SUPPORTED;

			if (fid == bases[b] || (bit >= 24 && bit != 30))
				continue; /* the owners: test_every_owner() */
			if (near_is_function(fid))
				continue; /* called (with care) by the other tests */
			ret = call("near", fid, SMCCC_ARCH_FEATURES, 0, 0, &trapped);
			calls++;
			if (trapped || ret != want) {
				if (bad++ < 4)
					report_info("function 0x%08x: %ld, want %ld", fid, ret,
						    want);
			}
		}
	}
	report(bad == 0, "%u IDs one bit away from the version and feature calls: NOT_SUPPORTED",
	       calls);
}

/* PSCI_FEATURES of every function Tern implements, and SMCCC_ARCH_FEATURES of itself. */
static void test_features(void)
{
	static const struct {
		u32 fid;
		s64 want;
	} rows[] = {
		{ PSCI_VERSION, 0 },
		{ 0x84000001U, 0 }, /* CPU_SUSPEND */
		{ 0xC4000001U, 0 },
		{ PSCI_CPU_OFF, 0 },
		{ 0x84000003U, 0 }, /* CPU_ON (SMC32) */
		{ PSCI_CPU_ON, 0 },
		{ 0x84000004U, 0 }, /* AFFINITY_INFO (SMC32) */
		{ PSCI_AFFINITY_INFO, 0 },
		{ PSCI_MIGRATE_INFO_TYPE, 0 },
		{ PSCI_SYSTEM_OFF, 0 },
		{ PSCI_SYSTEM_RESET, 0 },
		{ PSCI_FEATURES, 0 },
		{ SMCCC_VERSION, 0 },
		{ SMCCC_ARCH_FEATURES, PSCI_RET_NOT_SUPPORTED }, /* not a PSCI function */
		{ 0x84000005U, PSCI_RET_NOT_SUPPORTED },	 /* MIGRATE */
		{ 0x84000007U, PSCI_RET_NOT_SUPPORTED },	 /* MIGRATE_INFO_UP_CPU */
		{ 0xC400000AU, PSCI_RET_NOT_SUPPORTED },	 /* not a function */
	};
	unsigned int bad = 0;
	bool trapped;
	s64 ret;

	for (unsigned int i = 0; i < ARRAY_SIZE(rows); i++) {
		ret = call("PSCI_FEATURES", PSCI_FEATURES, rows[i].fid, 0, 0, &trapped);
		if (trapped || ret != rows[i].want) {
			bad++;
			report_info("PSCI_FEATURES(0x%08x): %ld, want %ld", rows[i].fid, ret,
				    rows[i].want);
		}
	}
	report(bad == 0, "PSCI_FEATURES of %zu functions", ARRAY_SIZE(rows));
	ret = call("SMCCC_ARCH_FEATURES", SMCCC_ARCH_FEATURES, SMCCC_ARCH_FEATURES, 0, 0, &trapped);
	report(!trapped && ret == 0, "SMCCC_ARCH_FEATURES(SMCCC_ARCH_FEATURES) SUCCESS (%ld)", ret);
}

static volatile u64 secondary_release;

/* vCPU 1: say it runs, stay on until released, then return into CPU_OFF. */
static void secondary_main(u64 arg)
{
	secondary_mpidr = cpu_mpidr();
	dsb();
	secondary_ran = arg;
	dsb();
	while (!secondary_release)
		;
}

static s64 wait_affinity(u64 mpidr, s64 want)
{
	s64 st = -100;

	for (u64 i = 0; i < SPIN_LIMIT; i++) {
		st = psci_affinity_info(mpidr, 0);
		if (st == want)
			break;
	}
	return st;
}

static void test_cpu_on_off(u64 self)
{
	u64 target = (self & ~0xffUL) | 1;
	s64 ret = psci_affinity_info(target, 0);

	if (ret == PSCI_RET_INVALID_PARAMETERS) {
		report_skip("CPU_ON vCPU 1: the VM has one vCPU");
		report_skip("AFFINITY_INFO of the running vCPU 1 is ON");
		report_skip("CPU_ON vCPU 1 while on: ALREADY_ON");
		report_skip("vCPU 1 off after CPU_OFF");
		report_skip("CPU_ON vCPU 1 outside RAM: INVALID_ADDRESS");
		return;
	}
	report_info("vCPU 1 (MPIDR 0x%lx) AFFINITY_INFO before CPU_ON: %ld", target, ret);
	ret = cpu_start(target, 1, secondary_main, 0x5ec0);
	for (u64 i = 0; i < SPIN_LIMIT && secondary_ran != 0x5ec0; i++)
		;
	report(ret == PSCI_RET_SUCCESS && secondary_ran == 0x5ec0 && secondary_mpidr == target,
	       "CPU_ON vCPU 1 runs the entry with context_id (ret %ld, MPIDR 0x%lx)", ret,
	       secondary_mpidr);
	ret = psci_affinity_info(target, 0);
	report(ret == AFF_ON, "AFFINITY_INFO of the running vCPU 1 is ON (%ld)", ret);
	ret = cpu_start(target, 1, secondary_main, 0x5ec1);
	report(ret == PSCI_RET_ALREADY_ON, "CPU_ON vCPU 1 while on: ALREADY_ON (%ld)", ret);
	secondary_release = 1;
	dsb();
	ret = wait_affinity(target, AFF_OFF);
	report(ret == AFF_OFF && secondary_ran == 0x5ec0,
	       "vCPU 1 off after CPU_OFF (AFFINITY_INFO %ld)", ret);
	/* Last: a hypervisor that does not check the entry would start vCPU 1 at 0x1000. */
	ret = psci_cpu_on(target, 0x1000, 0);
	report(ret == PSCI_RET_INVALID_ADDRESS, "CPU_ON vCPU 1 outside RAM: INVALID_ADDRESS (%ld)",
	       ret);
}

/*
 * Calls with every general register set (lib/regsweep.h): the answer in x0, and x4-x30 as they
 * were (SMCCC: x4-x17 are preserved, x18-x30 are the caller's). Tern answers PSCI/SMCCC calls on
 * its exit fast path with x19-x28 live and only the others saved, and calls to owners without a
 * service in the exit vector itself; a register lost by either shows here.
 */
asm(REGSWEEP_MACROS "regsweep_begin psci_sweep_hvc\n hvc #0\n regsweep_end\n"
		    "regsweep_begin psci_sweep_smc\n smc #0\n regsweep_end\n");
void psci_sweep_hvc(struct regsweep *s);
void psci_sweep_smc(struct regsweep *s);

static struct regsweep sweep;

static void test_register_sweep(void)
{
	static const struct {
		u32 fid;
		u64 arg;
		s64 want;
	} calls[] = {
		{ PSCI_VERSION, 0, 0x10001 },
		{ SMCCC_VERSION, 0, 0x10001 },
		{ SMCCC_ARCH_FEATURES, SMCCC_ARCH_FEATURES, 0 },
		{ PSCI_FEATURES, PSCI_CPU_ON, 0 },
		{ UNKNOWN_FID, 0, PSCI_RET_NOT_SUPPORTED },
		{ 0x8600ff01U, 0, PSCI_RET_NOT_SUPPORTED }, /* an owner without a service */
		{ 0xC2001234U, 0, PSCI_RET_NOT_SUPPORTED }, /* SiP, SMC64 convention */
	};
	unsigned int bad = 0;

	for (unsigned int i = 0; i < ARRAY_SIZE(calls); i++) {
		unsigned int changed;
		bool trapped;

		regsweep_fill(&sweep, i);
		sweep.x[0] = calls[i].fid;
		sweep.x[1] = calls[i].arg;
		expect_exception(ESR_EC_UNKNOWN);
		if (smccc_conduit == SMCCC_CONDUIT_SMC)
			psci_sweep_smc(&sweep);
		else
			psci_sweep_hvc(&sweep);
		trapped = exception_taken(NULL, NULL);
		changed = 0;
		for (unsigned int r = 4; r < 31; r++)
			changed += sweep.x[r] != regsweep_pattern(i, r);
		if (trapped || (s64)sweep.x[0] != calls[i].want || changed) {
			bad++;
			report_info("function 0x%08x: %ld, want %ld; %u of x4-x30 changed%s",
				    calls[i].fid, (s64)sweep.x[0], calls[i].want, changed,
				    trapped ? " (UNDEFINED)" : "");
		}
	}
	report(bad == 0, "%zu calls with every register set: answer in x0, x4-x30 kept",
	       ARRAY_SIZE(calls));
}

int main(void)
{
	u64 self = cpu_mpidr();
	bool trapped;
	s64 ret;

	report_prefix("psci");
	report_info("conduit %s, MPIDR 0x%lx", smccc_conduit == SMCCC_CONDUIT_SMC ? "smc" : "hvc",
		    self);

	ret = call("PSCI_VERSION", PSCI_VERSION, 0, 0, 0, &trapped);
	report(!trapped && ret == 0x10001, "PSCI_VERSION is 1.1 (0x%lx)", ret);
	ret = call("PSCI_FEATURES", PSCI_FEATURES, PSCI_CPU_ON, 0, 0, &trapped);
	report(!trapped && ret == 0, "PSCI_FEATURES(CPU_ON) supported (%ld)", ret);
	ret = call("PSCI_FEATURES", PSCI_FEATURES, PSCI_SYSTEM_OFF, 0, 0, &trapped);
	report(!trapped && ret == 0, "PSCI_FEATURES(SYSTEM_OFF) supported (%ld)", ret);
	ret = call("PSCI_FEATURES", PSCI_FEATURES, UNKNOWN_FID, 0, 0, &trapped);
	report(!trapped && ret == PSCI_RET_NOT_SUPPORTED,
	       "PSCI_FEATURES(unknown) NOT_SUPPORTED (%ld)", ret);
	ret = call("unknown", UNKNOWN_FID, 0, 0, 0, &trapped);
	report(!trapped && ret == PSCI_RET_NOT_SUPPORTED, "unknown PSCI function returns -1 (%ld)",
	       ret);
	ret = call("unknown", 0xC2001234U, 0, 0, 0, &trapped);
	report(!trapped && ret == PSCI_RET_NOT_SUPPORTED, "unknown SiP function returns -1 (%ld)",
	       ret);
	ret = call("SMCCC_VERSION", SMCCC_VERSION, 0, 0, 0, &trapped);
	report(!trapped && ret >= 0x10001, "SMCCC_VERSION >= 1.1 (0x%lx)", ret);
	ret = call("SMCCC_ARCH_FEATURES", SMCCC_ARCH_FEATURES, UNKNOWN_FID, 0, 0, &trapped);
	report(!trapped && ret == PSCI_RET_NOT_SUPPORTED,
	       "SMCCC_ARCH_FEATURES(unknown) NOT_SUPPORTED (%ld)", ret);
	ret = call("MIGRATE_INFO_TYPE", PSCI_MIGRATE_INFO_TYPE, 0, 0, 0, &trapped);
	report(!trapped && ret == 2, "MIGRATE_INFO_TYPE is 2 (no migration) (%ld)", ret);

	ret = psci_cpu_on(BAD_MPIDR, (u64)_image_start, 0);
	report(ret == PSCI_RET_INVALID_PARAMETERS, "CPU_ON bad MPIDR: INVALID_PARAMETERS (%ld)",
	       ret);
	ret = psci_cpu_on(self, (u64)_image_start, 0);
	report(ret == PSCI_RET_ALREADY_ON, "CPU_ON self: ALREADY_ON (%ld)", ret);
	ret = psci_affinity_info(self, 0);
	report(ret == AFF_ON, "AFFINITY_INFO self is ON (%ld)", ret);
	ret = psci_affinity_info(BAD_MPIDR, 0);
	report(ret == PSCI_RET_INVALID_PARAMETERS,
	       "AFFINITY_INFO bad MPIDR: INVALID_PARAMETERS (%ld)", ret);

	test_every_owner();
	test_near_ids();
	test_features();
	test_register_sweep();
	test_cpu_on_off(self);
	return 0;
}
