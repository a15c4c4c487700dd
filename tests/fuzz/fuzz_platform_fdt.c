// SPDX-License-Identifier: GPL-2.0-only
/*
 * Platform discovery (core/platform_fdt.c) on any blob: a device tree from a boot loader is
 * trusted for what it says but must never make Tern read outside it or overflow its tables.
 * When discovery succeeds, the boot summary is printed too (core/platform_summary.c), and the
 * counts stay within the table sizes. Seeds: the DTS files of tests/dts compiled.
 */
#include <tern/platform.h>
#include "fuzz_input.h"
#include "stub_printk.h"

static struct platform plat;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* A copy of exactly @size bytes: ASan sees any read past the blob. */
	uint8_t *blob = malloc(size ? size : 1);
	u64 mpidr = 0;

	memcpy(blob, data, size);
	stub_printk_reset();
	memset(&plat, 0, sizeof(plat));
	if (size > 4)
		mpidr = data[size - 1] & 3; /* the boot CPU: one of the first few */
	if (!platform_discover(&plat, blob, size, mpidr, 8)) {
		FUZZ_CHECK(plat.nr_mem >= 1 && plat.nr_mem <= PLATFORM_MAX_MEM);
		FUZZ_CHECK(plat.nr_rsv <= PLATFORM_MAX_RSV);
		FUZZ_CHECK(plat.nr_cpus >= 1 && plat.nr_cpus <= PLATFORM_MAX_CPUS);
		FUZZ_CHECK(plat.nr_modules <= PLATFORM_MAX_MODULES);
		FUZZ_CHECK(plat.irqchip.drv && plat.irqchip.nr_regs <= PLATFORM_MAX_IRQCHIP_REGS);
		FUZZ_CHECK(plat.console.drv);
		for (unsigned int i = 0; i < plat.nr_modules; i++)
			FUZZ_CHECK(plat.modules[i].vm < 8);
		platform_print_summary(&plat);
	}
	free(blob);
	return 0;
}
