// SPDX-License-Identifier: GPL-2.0-only
/*
 * The boot protocol of the guest types that get a device tree (docs/guests.md, "Guest types"),
 * seen from the guest: built as a raw binary for a bare-metal VM and as an arm64 Image
 * (lib/image_head.S, text_offset 0x80000) for a Linux VM. The bootargs say what the VM's type
 * and configuration promise: type=linux|baremetal conduit=hvc|smc. Checks: x0 is a valid device
 * tree inside guest RAM; the image runs where its type loads it (Image: RAM base + text_offset;
 * raw: RAM base); the DT's /psci method is the configured conduit and PSCI answers there (version,
 * features, a CPU_ON / AFFINITY_INFO / CPU_OFF round trip of vCPU 1, and SYSTEM_OFF at the end);
 * the other instruction answers NOT_SUPPORTED, as a firmware that is not there.
 */
#include "libguest.h"

#define IMAGE_TEXT_OFFSET 0x80000UL
#define SPIN_LIMIT	  10000000UL
#define AFF_ON		  0
#define AFF_OFF		  1

static volatile u64 secondary_mpidr;

static void secondary_main(u64 arg)
{
	(void)arg;
	secondary_mpidr = cpu_mpidr() | (1UL << 63);
	dsb();
}

static const char *conduit_name(enum smccc_conduit c)
{
	return c == SMCCC_CONDUIT_SMC ? "smc" : "hvc";
}

/* PSCI_VERSION through @via: the value, or an exception taken (an UNDEFINED instruction). */
static s64 version_via(enum smccc_conduit via, bool *undef)
{
	enum smccc_conduit saved = smccc_conduit;
	s64 ret;

	smccc_conduit = via;
	expect_exception(EXCEPTION_ANY);
	ret = smccc_call(PSCI_VERSION, 0, 0, 0);
	*undef = exception_taken(NULL, NULL);
	smccc_conduit = saved;
	return ret;
}

static void test_device_tree(void)
{
	const void *dtb = (const void *)guest_boot_dtb;
	u32 size = guest_boot_dtb ? fdt_totalsize(dtb) : 0;

	report(guest_boot_dtb >= GUEST_RAM_BASE && size > 0,
	       "x0 = a device tree in guest RAM (0x%lx, %u bytes)", guest_boot_dtb, size);
}

static void test_load_address(const char *type)
{
	u64 here, want = GUEST_RAM_BASE;

	asm volatile("adr %0, _image_start" : "=r"(here));
	if (!strcmp(type, "linux"))
		want += IMAGE_TEXT_OFFSET;
	report(here == want && (u64)_image_start == want,
	       "%s: running at 0x%lx (linked for 0x%lx, the type loads at 0x%lx)", type, here,
	       (u64)_image_start, want);
}

static void test_conduit(const char *want)
{
	enum smccc_conduit other;
	bool undef;
	s64 ret;

	report(!strcmp(conduit_name(smccc_conduit), want), "/psci method \"%s\" (configured %s)",
	       conduit_name(smccc_conduit), want);
	ret = version_via(smccc_conduit, &undef);
	report(!undef && ret == 0x10001, "PSCI_VERSION through %s: 0x%lx",
	       conduit_name(smccc_conduit), ret);
	ret = smccc_call(PSCI_FEATURES, PSCI_CPU_ON, 0, 0);
	report(ret == 0, "PSCI_FEATURES(CPU_ON) through %s: %ld", conduit_name(smccc_conduit), ret);
	other = smccc_conduit == SMCCC_CONDUIT_SMC ? SMCCC_CONDUIT_HVC : SMCCC_CONDUIT_SMC;
	ret = version_via(other, &undef);
	report(!undef && ret == PSCI_RET_NOT_SUPPORTED,
	       "the other instruction (%s) answers NOT_SUPPORTED (%ld%s)", conduit_name(other), ret,
	       undef ? ", UNDEFINED" : "");
}

static void test_cpu_on(void)
{
	u64 mpidr = cpu_mpidr() | 1;
	s64 ret, st = -100;

	ret = cpu_start(mpidr, 1, secondary_main, 0);
	if (ret == PSCI_RET_INVALID_PARAMETERS) {
		report_skip("CPU_ON: no vCPU 1 in this VM");
		return;
	}
	for (u64 i = 0; i < SPIN_LIMIT && !READ_ONCE(secondary_mpidr); i++)
		;
	for (u64 i = 0; i < SPIN_LIMIT && st != AFF_OFF; i++)
		st = psci_affinity_info(mpidr, 0);
	report(ret == 0 && secondary_mpidr == (mpidr | (1UL << 63)) && st == AFF_OFF,
	       "CPU_ON (%ld), vCPU 1 ran (MPIDR 0x%lx), CPU_OFF seen by AFFINITY_INFO (%ld) "
	       "through %s",
	       ret, secondary_mpidr & ~(1UL << 63), st, conduit_name(smccc_conduit));
}

int main(void)
{
	char type[16] = "", conduit[8] = "";

	report_prefix("bootproto");
	if (!bootarg_get("type", type, sizeof(type)) ||
	    !bootarg_get("conduit", conduit, sizeof(conduit)))
		report_abort("bootargs must say type=linux|baremetal conduit=hvc|smc (got \"%s\")",
			     guest_bootargs());
	test_device_tree();
	test_load_address(type);
	test_conduit(conduit);
	test_cpu_on();
	return 0;
}
