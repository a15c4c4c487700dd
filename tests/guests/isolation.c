// SPDX-License-Identifier: GPL-2.0-only
/*
 * Isolation: every hole of the guest physical map aborts into the guest (synchronous external
 * abort, EC 0x25, DFSC 0x10, FAR = the address) for reads and writes, and all of the guest's RAM
 * outside its own image holds what is written there. Which devices and how much RAM exist comes
 * from the DTB in x0 (/memory and the reg of every top-level node, plus PCI ranges); with no DTB,
 * the default Tern map: 64 MiB of RAM and the PL011 only. A hole that the DTB says is a device is
 * skipped, so the test count is the same everywhere. Tern checks its own memory afterwards.
 */
#include "libguest.h"

#define MAX_REGIONS 64
#define PATTERN	    0x7e57a11c0de5eed5UL

struct region {
	u64 base;
	u64 size;
};

struct map {
	struct region dev[MAX_REGIONS];
	unsigned int nr_dev;
	u64 ram_base, ram_size;
	u32 root_ac, root_sc;
	/* The top-level node being walked. */
	bool is_memory, is_pci;
	u32 node_sc;
	const u8 *reg, *ranges;
	u32 reg_len, ranges_len;
};

static struct map map = {
	.dev = { { GUEST_UART_BASE, GUEST_UART_SIZE } },
	.nr_dev = 1,
	.ram_base = GUEST_RAM_BASE,
	.ram_size = GUEST_RAM_SIZE_DEFAULT,
};

static void add_dev(struct map *m, u64 base, u64 size)
{
	if (m->nr_dev < MAX_REGIONS && size)
		m->dev[m->nr_dev++] = (struct region){ base, size };
}

static void map_begin_node(void *ctx, int depth, const char *name)
{
	struct map *m = ctx;

	if (depth != 1)
		return;
	m->is_memory = !strncmp(name, "memory", 6);
	m->is_pci = false;
	m->node_sc = 2;
	m->reg = m->ranges = NULL;
	m->reg_len = m->ranges_len = 0;
}

static void map_prop(void *ctx, int depth, const char *name, const void *val, u32 len)
{
	struct map *m = ctx;

	if (depth == 0 && !strcmp(name, "#address-cells"))
		m->root_ac = fdt_be32(val);
	else if (depth == 0 && !strcmp(name, "#size-cells"))
		m->root_sc = fdt_be32(val);
	if (depth != 1)
		return;
	if (!strcmp(name, "reg")) {
		m->reg = val;
		m->reg_len = len;
	} else if (!strcmp(name, "ranges")) {
		m->ranges = val;
		m->ranges_len = len;
	} else if (!strcmp(name, "device_type") && !strcmp(val, "pci")) {
		m->is_pci = true;
	} else if (!strcmp(name, "#size-cells")) {
		m->node_sc = fdt_be32(val);
	}
}

static void map_end_node(void *ctx, int depth)
{
	struct map *m = ctx;
	u32 entry = (m->root_ac + m->root_sc) * 4;

	if (depth != 1)
		return;
	for (u32 off = 0; m->reg && entry && off + entry <= m->reg_len; off += entry) {
		u64 base = fdt_cells(m->reg + off, m->root_ac);
		u64 size = fdt_cells(m->reg + off + m->root_ac * 4, m->root_sc);

		if (m->is_memory && base == GUEST_RAM_BASE)
			m->ram_size = size;
		else if (!m->is_memory)
			add_dev(m, base, size);
	}
	/* PCI windows: (3 child cells, parent address, size) triples. */
	entry = (3 + m->root_ac + m->node_sc) * 4;
	for (u32 off = 0; m->is_pci && m->ranges && off + entry <= m->ranges_len; off += entry)
		add_dev(m, fdt_cells(m->ranges + off + 12, m->root_ac),
			fdt_cells(m->ranges + off + 12 + m->root_ac * 4, m->node_sc));
}

static const struct region *find_dev(u64 addr)
{
	for (unsigned int i = 0; i < map.nr_dev; i++) {
		if (addr >= map.dev[i].base && addr - map.dev[i].base < map.dev[i].size)
			return &map.dev[i];
	}
	return NULL;
}

static bool access_aborts(u64 addr, bool write, u64 *esr_out)
{
	u64 esr = 0, far = 0, v = 0;
	bool taken;

	expect_exception(ESR_EC_DABT_CUR);
	if (write)
		asm volatile("str %w0, [%1]" : : "r"(0xa5UL), "r"(addr) : "memory");
	else
		asm volatile("ldr %w0, [%1]" : "+r"(v) : "r"(addr) : "memory");
	taken = exception_taken(&esr, &far);
	*esr_out = esr;
	return taken && ESR_ISS_DFSC(esr) == DFSC_SYNC_EXTERNAL && far == addr;
}

static void test_hole(const char *name, u64 addr)
{
	const struct region *dev = find_dev(addr);
	u64 resr = 0, wesr = 0;
	bool r, w;

	if (dev) {
		report_skip("hole %s 0x%lx: a device in the DTB (0x%lx+0x%lx)", name, addr,
			    dev->base, dev->size);
		return;
	}
	r = access_aborts(addr, false, &resr);
	w = access_aborts(addr, true, &wesr);
	report(r && w, "hole %s 0x%lx: read and write abort (ESR 0x%lx / 0x%lx)", name, addr, resr,
	       wesr);
}

/*
 * QEMU virt's virtio-mmio window: slots without a device read as transports with DeviceID 0
 * (magic "virt", version 2 under Tern) and take no writes; past the 32 slots is a hole.
 */
static void test_virtio_window(void)
{
	const u64 slot = 0x0a000000 + 31 * 0x200;
	const struct region *dev = find_dev(slot);
	volatile u32 *r = (volatile u32 *)slot;
	u64 esr = 0, far = 0;
	bool taken;

	if (dev) {
		report_skip("virtio-mmio slot 31: a device in the DTB (0x%lx+0x%lx)", dev->base,
			    dev->size);
		return;
	}
	expect_exception(ESR_EC_DABT_CUR);
	r[0x70 / 4] = 1; /* Status */
	taken = exception_taken(&esr, &far);
	report(!taken && r[0] == 0x74726976 && r[1] == 2 && r[2] == 0 && r[0x70 / 4] == 0,
	       "virtio-mmio slot 31: an empty transport (magic 0x%x, version %u, DeviceID %u)",
	       r[0], r[1], r[2]);
}

static void test_ram(void)
{
	u64 start = ALIGN_UP((u64)_end, 4096), end = map.ram_base + map.ram_size;
	u64 bad = 0, first_bad = 0;

	report_info("RAM pattern over 0x%lx-0x%lx (%lu KiB, DTB included)", start, end,
		    (end - start) >> 10);
	for (volatile u64 *p = (u64 *)start; (u64)p < end; p++)
		*p = (u64)p ^ PATTERN;
	for (volatile u64 *p = (u64 *)start; (u64)p < end; p++) {
		if (*p != ((u64)p ^ PATTERN) && !bad++)
			first_bad = (u64)p;
	}
	report(!bad, "all RAM outside the image holds its pattern (%lu bad words, first 0x%lx)",
	       bad, first_bad);
}

int main(void)
{
	struct fdt_walker w = {
		.begin_node = map_begin_node,
		.prop = map_prop,
		.end_node = map_end_node,
		.ctx = &map,
	};
	bool have_dtb = fdt_totalsize((const void *)guest_boot_dtb) != 0;
	u64 ram_end;

	report_prefix("isolation");
	if (have_dtb) {
		map.nr_dev = 0;
		map.root_ac = 2;
		map.root_sc = 1;
		if (!fdt_walk((const void *)guest_boot_dtb, &w))
			report_abort("the DTB at 0x%lx is malformed", guest_boot_dtb);
	}
	ram_end = map.ram_base + map.ram_size;
	report_info("map from %s: RAM 0x%lx+0x%lx, %u device regions",
		    have_dtb ? "the DTB" : "defaults (no DTB)", map.ram_base, map.ram_size,
		    map.nr_dev);
	report((u64)_end < ram_end, "the image fits in RAM");

	test_hole("flash", 0x0);
	test_hole("GIC distributor", 0x08000000);
	test_hole("GIC redistributors", 0x080a0000);
	test_hole("past the UART page", 0x09001000);
	test_hole("RTC", 0x09010000);
	test_hole("fw_cfg", 0x09020000);
	test_virtio_window();
	test_hole("past the virtio-mmio window", 0x0a004000);
	test_hole("platform bus", 0x0c000000);
	test_hole("PCIe MMIO", 0x10000000);
	test_hole("PCIe PIO", 0x3eff0000);
	test_hole("PCIe ECAM", 0x3f000000);
	test_hole("RAM end", ram_end);
	test_hole("last page below 4 GiB", 0xfffff000);
	test_hole("PCIe high ECAM", 0x4010000000);

	test_ram();
	return 0;
}
