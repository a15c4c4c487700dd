// SPDX-License-Identifier: GPL-2.0-only
/* C entry from crt0: record the DTB, take the SMCCC conduit from it, run main(), summarise. */
#include "libguest.h"

u64 guest_boot_dtb;

void __noreturn guest_start(u64 dtb);

static void psci_method_prop(void *ctx, int depth, const char *name, const void *val, u32 len)
{
	bool *in_psci = ctx;

	if (*in_psci && depth == 1 && !strcmp(name, "method") && len >= 4)
		smccc_conduit = !strcmp(val, "smc") ? SMCCC_CONDUIT_SMC : SMCCC_CONDUIT_HVC;
}

static void psci_begin_node(void *ctx, int depth, const char *name)
{
	bool *in_psci = ctx;

	*in_psci = depth == 1 && !strncmp(name, "psci", 4);
}

void guest_start(u64 dtb)
{
	bool in_psci = false;
	struct fdt_walker w = {
		.begin_node = psci_begin_node,
		.prop = psci_method_prop,
		.ctx = &in_psci,
	};

	guest_boot_dtb = dtb;
	if (dtb && fdt_totalsize((const void *)dtb))
		fdt_walk((const void *)dtb, &w);
	main();
	report_summary();
}
