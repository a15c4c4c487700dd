// SPDX-License-Identifier: GPL-2.0-only
/*
 * Memory: stage-2 holes. Every address outside this VM's RAM and its emulated devices - below
 * RAM, just past it, QEMU virt's other devices (fw_cfg, which holds the host command line; RTC,
 * GPIO, flash, PCIe, the GIC ITS), redistributor frames of vCPUs it does not have, the top of the
 * IPA space - must abort in the guest for reads, writes, exclusives, atomics and instruction
 * fetches, and nothing of Tern or another VM may be found in its RAM.
 */
#include "attack.h"

#define FW_CFG_BASE  0x09020000UL
#define RTC_BASE     0x09010000UL
#define GPIO_BASE    0x09030000UL
#define FLASH_BASE   0x00000000UL
#define PCIE_MMIO    0x10000000UL
#define PCIE_ECAM    0x3f000000UL
#define HIGH_ECAM    0x4010000000UL
#define VIRTIO_BASE  0x0a000000UL
#define SECURE_UART  0x09040000UL
#define PLATFORM_BUS 0x0c000000UL

static bool aborts_rw(u64 addr)
{
	u64 v;

	return probe_read(addr, 4, &v) == PROBE_ABORT &&
	       probe_write(addr, 4, 0x5a5a5a5a) == PROBE_ABORT &&
	       probe_read(addr, 8, &v) == PROBE_ABORT && probe_write(addr, 1, 0xa5) == PROBE_ABORT;
}

static u64 ram_end(void)
{
	return attack_ram_base + attack_ram_size;
}

static bool below_ram(void)
{
	return aborts_rw(attack_ram_base - 8) && aborts_rw(attack_ram_base - 0x1000);
}

static bool past_ram(void)
{
	return aborts_rw(ram_end()) && aborts_rw(ram_end() + 0x1000) &&
	       aborts_rw(ram_end() + (1UL << 20));
}

static bool ipa_zero(void)
{
	return aborts_rw(0) && aborts_rw(0x1000);
}

static bool flash(void)
{
	return aborts_rw(FLASH_BASE + 0x100) && aborts_rw(0x04000000);
}

static bool fw_cfg(void)
{
	/* fw_cfg would hand out the host's -append (Tern's bootargs with the exit token). */
	u64 v;

	return aborts_rw(FW_CFG_BASE) && probe_write(FW_CFG_BASE + 8, 2, 0x0100) == PROBE_ABORT &&
	       probe_read(FW_CFG_BASE + 0x10, 8, &v) == PROBE_ABORT;
}

static bool rtc(void)
{
	return aborts_rw(RTC_BASE);
}

static bool gpio(void)
{
	/* The power-button GPIO: a guest must not signal the host's poweroff. */
	return aborts_rw(GPIO_BASE + 0x400) && aborts_rw(GPIO_BASE);
}

static bool secure_uart(void)
{
	return aborts_rw(SECURE_UART);
}

static bool virtio_window(void)
{
	/*
	 * No virtio device in this VM: its window is either a hole or, as on QEMU, empty
	 * transports (MagicValue "virt", Version 2, DeviceID 0) that take no writes.
	 */
	u64 magic = 0, version = 0, id = 1, status = 1;
	enum probe r = probe_read(VIRTIO_BASE + 0x3e00, 4, &magic);

	if (r == PROBE_ABORT)
		return aborts_rw(VIRTIO_BASE + 0x3e00);
	return r == PROBE_OK && magic == 0x74726976 &&
	       probe_read(VIRTIO_BASE + 0x3e04, 4, &version) == PROBE_OK && version == 2 &&
	       probe_read(VIRTIO_BASE + 0x3e08, 4, &id) == PROBE_OK && id == 0 &&
	       probe_write(VIRTIO_BASE + 0x3e70, 4, 0xf) == PROBE_OK &&
	       probe_read(VIRTIO_BASE + 0x3e70, 4, &status) == PROBE_OK && status == 0;
}

static bool pcie(void)
{
	return aborts_rw(PCIE_MMIO) && aborts_rw(PCIE_ECAM);
}

static bool high_pcie(void)
{
	return aborts_rw(HIGH_ECAM);
}

static bool platform_bus(void)
{
	return aborts_rw(PLATFORM_BUS);
}

static bool its(void)
{
	return aborts_rw(GUEST_ITS_BASE) && aborts_rw(GUEST_ITS_BASE + 0x10000);
}

static bool gicr_beyond_vcpus(void)
{
	/* Redistributor frames of vCPUs this VM does not have: not the host's. */
	u64 frame = GICR_BASE + (u64)attack_nr_vcpus * GICR_FRAME_SIZE, v = 0;
	enum probe r = probe_read(frame + GICR_TYPER, 8, &v);

	if (!attack_have_gic)
		return r == PROBE_ABORT;
	return (r == PROBE_ABORT || v == 0) &&
	       probe_write(frame + GICR_WAKER, 4, 0) != PROBE_OTHER &&
	       probe_write(frame + GICR_SGI_OFFSET + GICR_ISENABLER0, 4, ~0U) != PROBE_OTHER;
}

static bool gic_gap(void)
{
	/* Between the distributor and the ITS/redistributors. */
	return aborts_rw(GICD_BASE + GUEST_GICD_SIZE) && aborts_rw(GICD_BASE + 0x40000);
}

static bool ipa_top(void)
{
	u64 top = 1UL << 39, v;

	return probe_read(top - 8, 8, &v) == PROBE_ABORT &&
	       probe_read(1UL << 47, 8, &v) != PROBE_OK;
}

static bool ldxr_hole(void)
{
	u64 v = 0, addr = ram_end();

	expect_exception(EXCEPTION_ANY);
	asm volatile("ldxr %0, [%1]" : "+r"(v) : "r"(addr) : "memory");
	return probe_result_is_abort();
}

static bool stxr_hole(void)
{
	u64 addr = ram_end();
	u32 st = 7;

	expect_exception(EXCEPTION_ANY);
	asm volatile("stxr %w0, %1, [%2]" : "+r"(st) : "r"(0x1234UL), "r"(addr) : "memory");
	/* Without a reservation the store may fail without an access (status 1). */
	return probe_result_is_abort() || st == 1;
}

static bool ldadd_hole(void)
{
	u64 v = 0, addr = ram_end();

	expect_exception(EXCEPTION_ANY);
	asm volatile(".arch_extension lse\n\tldadd %1, %0, [%2]"
		     : "+r"(v)
		     : "r"(1UL), "r"(addr)
		     : "memory");
	return attack_has_lse() ? probe_result_is_abort() : probe_result_is_undef();
}

static bool cas_hole(void)
{
	u64 v = 0, addr = 0x1000;

	expect_exception(EXCEPTION_ANY);
	asm volatile(".arch_extension lse\n\tcas %0, %1, [%2]"
		     : "+r"(v)
		     : "r"(2UL), "r"(addr)
		     : "memory");
	return attack_has_lse() ? probe_result_is_abort() : probe_result_is_undef();
}

static bool ldp_crossing_ram_end(void)
{
	u64 a = 1, b = 2, addr = ram_end() - 8;

	expect_exception(EXCEPTION_ANY);
	asm volatile("ldp %0, %1, [%2]" : "+r"(a), "+r"(b) : "r"(addr) : "memory");
	return probe_result_is_abort();
}

static bool stp_crossing_ram_end(void)
{
	u64 addr = ram_end() - 8;
	volatile u64 *last = (volatile u64 *)addr;
	bool ab;

	*last = 0x1111;
	expect_exception(EXCEPTION_ANY);
	asm volatile("stp %0, %1, [%2]" ::"r"(0xdeadUL), "r"(0xbeefUL), "r"(addr) : "memory");
	ab = probe_result_is_abort();
	/* Whatever the architecture allows for the first half, Tern wrote nothing past RAM. */
	return ab;
}

static bool dc_zva_hole(void)
{
	u64 addr = ram_end();

	expect_exception(EXCEPTION_ANY);
	asm volatile("dc zva, %0" ::"r"(addr) : "memory");
	return probe_result_is_abort();
}

static bool dc_civac_hole(void)
{
	/* Cache maintenance on a hole: the guest gets an abort or nothing, Tern no fault. */
	u64 esr, addr = 0x1000;

	expect_exception(EXCEPTION_ANY);
	asm volatile("dc civac, %0" ::"r"(addr) : "memory");
	return !exception_taken(&esr, NULL) || esr_is_dabt(esr);
}

static bool fetch_hole(void)
{
	u64 esr;

	return !probe_call((void (*)(void))ram_end(), &esr) && ESR_EC(esr) == ESR_EC_IABT_CUR;
}

static bool fetch_mmio(void)
{
	u64 esr;

	return !probe_call((void (*)(void))GUEST_UART_BASE, &esr) && ESR_EC(esr) == ESR_EC_IABT_CUR;
}

static bool fetch_zero(void)
{
	u64 esr;

	return !probe_call((void (*)(void))0UL, &esr) && ESR_EC(esr) == ESR_EC_IABT_CUR;
}

/*
 * Search this VM's RAM for @needle (built at run time so the image does not hold it): 64-bit
 * loads, and a byte compare only where a byte equals the needle's first.
 */
static bool ram_contains(const char *needle, size_t n, const void *skip)
{
	const volatile u64 *w = (const volatile u64 *)attack_ram_base;
	u64 first = 0x0101010101010101UL * (u8)needle[0];

	for (u64 i = 0; i < attack_ram_size / 8; i++) {
		u64 x = w[i] ^ first;

		/* No zero byte in x: no byte of this word equals needle[0]. */
		if (!((x - 0x0101010101010101UL) & ~x & 0x8080808080808080UL))
			continue;
		for (u64 b = i * 8; b < i * 8 + 8 && b + n <= attack_ram_size; b++) {
			const volatile u8 *p = (const volatile u8 *)attack_ram_base + b;

			if ((const void *)p != skip && !memcmp_v(p, needle, n))
				return true;
		}
	}
	return false;
}

static bool ram_has_no_tern(void)
{
	char key[32];
	int n = snprintf(key, sizeof(key), "%s %s", "an AArch64", "hypervisor");

	return !ram_contains(key, (size_t)n, key);
}

static bool ram_has_no_token(void)
{
	char key[32];
	int n = snprintf(key, sizeof(key), "%s.%s", "tern", "exit_token");

	return !ram_contains(key, (size_t)n, key);
}

static bool ram_has_no_victim(void)
{
	char key[32];
	int n = snprintf(key, sizeof(key), "%s-%s", "VICTIM", "SECRET");

	return !ram_contains(key, (size_t)n, key);
}

ATTACK_TABLE(mem, { "read/write below RAM", below_ram }, { "read/write past RAM", past_ram },
	     { "IPA 0", ipa_zero }, { "flash", flash }, { "fw_cfg (host command line)", fw_cfg },
	     { "RTC", rtc }, { "GPIO (power button)", gpio }, { "secure UART", secure_uart },
	     { "virtio-mmio window", virtio_window }, { "PCIe MMIO and ECAM", pcie },
	     { "high PCIe ECAM", high_pcie }, { "platform bus", platform_bus }, { "GIC ITS", its },
	     { "redistributors of absent vCPUs", gicr_beyond_vcpus },
	     { "gap after the distributor", gic_gap }, { "top of the IPA space", ipa_top },
	     { "LDXR on a hole", ldxr_hole }, { "STXR on a hole", stxr_hole },
	     { "LDADD on a hole", ldadd_hole }, { "CAS on a hole", cas_hole },
	     { "LDP across the end of RAM", ldp_crossing_ram_end },
	     { "STP across the end of RAM", stp_crossing_ram_end },
	     { "DC ZVA on a hole", dc_zva_hole }, { "DC CIVAC on a hole", dc_civac_hole },
	     { "fetch past RAM", fetch_hole }, { "fetch from the UART", fetch_mmio },
	     { "fetch from IPA 0", fetch_zero }, { "no Tern text in RAM", ram_has_no_tern },
	     { "no exit token in RAM", ram_has_no_token },
	     { "no victim secret in RAM", ram_has_no_victim });
