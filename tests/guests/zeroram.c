// SPDX-License-Identifier: GPL-2.0-only
/*
 * A VM's RAM starts zeroed: every word of guest RAM outside the guest's own image and the DTB
 * Tern placed reads zero at boot (read with the MMU and caches off: what is in memory, not in
 * Tern's caches). Then the guest fills that RAM with a pattern and powers off, so that a VM
 * created later on the same host pages (test_ops.py starts VM 1 again from Tern's console) would
 * see the pattern if Tern did not zero them.
 */
#include "libguest.h"

#define PATTERN 0x2e20c0de5eedf00dUL

struct ram {
	u32 root_ac, root_sc;
	bool is_memory;
	const u8 *reg;
	u32 reg_len;
	u64 base, size;
};

static void ram_begin_node(void *ctx, int depth, const char *name)
{
	struct ram *r = ctx;

	if (depth == 1) {
		r->is_memory = !strncmp(name, "memory", 6);
		r->reg = NULL;
	}
}

static void ram_prop(void *ctx, int depth, const char *name, const void *val, u32 len)
{
	struct ram *r = ctx;

	if (depth == 0 && !strcmp(name, "#address-cells"))
		r->root_ac = fdt_be32(val);
	else if (depth == 0 && !strcmp(name, "#size-cells"))
		r->root_sc = fdt_be32(val);
	else if (depth == 1 && r->is_memory && !strcmp(name, "reg")) {
		r->reg = val;
		r->reg_len = len;
	}
}

static void ram_end_node(void *ctx, int depth)
{
	struct ram *r = ctx;

	if (depth == 1 && r->is_memory && r->reg && r->reg_len >= (r->root_ac + r->root_sc) * 4) {
		r->base = fdt_cells(r->reg, r->root_ac);
		r->size = fdt_cells(r->reg + r->root_ac * 4, r->root_sc);
	}
}

int main(void)
{
	struct ram ram = { .root_ac = 2, .root_sc = 1 };
	struct fdt_walker w = { ram_begin_node, ram_prop, ram_end_node, &ram };
	const void *dtb = (const void *)guest_boot_dtb;
	u64 image_end = ALIGN_UP((u64)_end, 4096), dtb_start = guest_boot_dtb & ~4095UL;
	u64 dtb_end = ALIGN_UP(guest_boot_dtb + fdt_totalsize(dtb), 4096);
	u64 nonzero = 0, first = 0, words = 0, end;

	report_prefix("zeroram");
	if (!fdt_totalsize(dtb) || !fdt_walk(dtb, &w) || !ram.size)
		report_abort("no /memory in the DTB at 0x%lx", guest_boot_dtb);
	end = ram.base + ram.size;
	report_info("RAM 0x%lx-0x%lx, image up to 0x%lx, DTB 0x%lx-0x%lx", ram.base, end, image_end,
		    dtb_start, dtb_end);
	for (volatile u64 *p = (u64 *)image_end; (u64)p < end; p++) {
		if ((u64)p == dtb_start)
			p = (u64 *)dtb_end;
		if ((u64)p >= end)
			break;
		words++;
		if (*p && !nonzero++)
			first = (u64)p;
	}
	/* Short lines: the console wraps long ones. */
	if (nonzero)
		report_info("first non-zero word at 0x%lx", first);
	report(!nonzero && words > (ram.size >> 4), "RAM zeroed: %lu MiB, %lu words not",
	       (words * 8) >> 20, nonzero);
	for (volatile u64 *p = (u64 *)image_end; (u64)p < end; p++) {
		if ((u64)p == dtb_start)
			p = (u64 *)dtb_end;
		if ((u64)p >= end)
			break;
		*p = (u64)p ^ PATTERN;
	}
	puts("zeroram: pattern written\n");
	return 0;
}
