// SPDX-License-Identifier: GPL-2.0-only
/* The guest DT interrupt-controller node's common part, for the GICv3 and GICv2 models. */
#include <libfdt.h>
#include <tern/compiler.h>
#include <tern/guest_fdt.h>
#include <virt/guest_map.h>
#include <virt/vgic_fdt.h>

_Static_assert(GUEST_GICD_BASE == 0x08000000UL, "the node name below spells the base");

int vgic_fdt_begin_node(void *fdt, const char *compatible)
{
	int res = fdt_begin_node(fdt, "intc@8000000");

	if (!res)
		res = fdt_property_string(fdt, "compatible", compatible);
	if (!res)
		res = fdt_property_cell(fdt, "#interrupt-cells", 3);
	/* No children (no ITS, no v2m); dtc wants every interrupt provider to say so. */
	if (!res)
		res = fdt_property_cell(fdt, "#address-cells", 0);
	if (!res)
		res = fdt_property(fdt, "interrupt-controller", NULL, 0);
	return res;
}

int vgic_fdt_reg(void *fdt, const u64 *pairs, unsigned int n)
{
	fdt32_t cells[8];

	if (n > ARRAY_SIZE(cells) / 4)
		return -FDT_ERR_BADVALUE;
	for (unsigned int i = 0; i < 2 * n; i++) {
		cells[2 * i] = cpu_to_fdt32((u32)(pairs[i] >> 32));
		cells[2 * i + 1] = cpu_to_fdt32((u32)pairs[i]);
	}
	return fdt_property(fdt, "reg", cells, (int)(n * 4 * sizeof(cells[0])));
}

int vgic_fdt_end_node(void *fdt)
{
	int res = fdt_property_cell(fdt, "phandle", GUEST_FDT_PHANDLE_GIC);

	if (!res)
		res = fdt_end_node(fdt);
	return res;
}
