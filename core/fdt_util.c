// SPDX-License-Identifier: GPL-2.0-only
/* Small libfdt helpers: node paths for messages, "reg" decoding and translation, interrupts. */
#include <libfdt.h>
#include <string.h>
#include <tern/compiler.h>
#include <tern/errno.h>
#include <tern/fdt_util.h>

const char *fdt_util_path(const void *fdt, int node, char *buf, int len)
{
	int err = fdt_get_path(fdt, node, buf, len);

	if (err == -FDT_ERR_NOSPACE && len > 4) {
		/* A cut path still tells the reader where to look. */
		memcpy(buf + len - 4, "...", 4);
	} else if (err < 0 && len > 0) {
		static const char bad[] = "<bad node>";
		size_t n = MIN(sizeof(bad), (size_t)len);

		memcpy(buf, bad, n);
		buf[n - 1] = '\0';
	}
	return buf;
}

bool fdt_util_is_enabled(const void *fdt, int node)
{
	int len;
	const char *status = fdt_getprop(fdt, node, "status", &len);

	if (!status || len <= 0)
		return true;
	return strnlen(status, (size_t)len) < (size_t)len &&
	       (!strcmp(status, "okay") || !strcmp(status, "ok"));
}

u64 fdt_util_read_number(const void *cells, int ncells)
{
	const fdt32_t *c = cells;

	if (ncells == 1)
		return fdt32_ld(c);
	if (ncells == 2)
		return ((u64)fdt32_ld(c) << 32) | fdt32_ld(c + 1);
	return 0;
}

/* The parent's #address-cells and #size-cells, both limited to 1..2 (a u64). */
static int fdt_util_bus_cells(const void *fdt, int node, int *na, int *ns)
{
	int parent = fdt_parent_offset(fdt, node);

	if (parent < 0)
		return -TERN_EINVAL;
	*na = fdt_address_cells(fdt, parent);
	*ns = fdt_size_cells(fdt, parent);
	if (*na < 1 || *na > 2 || *ns < 1 || *ns > 2)
		return -TERN_EINVAL;
	return 0;
}

/* The node's "reg": its cells per address and size, and the number of entries (or an error). */
static int fdt_util_reg_prop(const void *fdt, int node, int *na, int *ns, const fdt32_t **reg)
{
	int len, err;

	err = fdt_util_bus_cells(fdt, node, na, ns);
	if (err)
		return err;
	*reg = fdt_getprop(fdt, node, "reg", &len);
	if (!*reg)
		return -TERN_ENOENT;
	if (len <= 0 || len % ((*na + *ns) * 4))
		return -TERN_EINVAL;
	return len / ((*na + *ns) * 4);
}

int fdt_util_reg_count(const void *fdt, int node)
{
	const fdt32_t *reg = NULL;
	int na, ns;

	return fdt_util_reg_prop(fdt, node, &na, &ns, &reg);
}

int fdt_util_reg_raw(const void *fdt, int node, int index, u64 *base, u64 *size)
{
	const fdt32_t *reg = NULL;
	int na, ns;
	int n = fdt_util_reg_prop(fdt, node, &na, &ns, &reg);

	if (n < 0)
		return n;
	if (index < 0 || index >= n)
		return -TERN_ENOENT;
	reg += index * (na + ns);
	*base = fdt_util_read_number(reg, na);
	*size = fdt_util_read_number(reg + na, ns);
	return 0;
}

/* Map a bus address of a child of @bus up through "ranges" until the root. */
static int fdt_util_translate(const void *fdt, int bus, u64 *addr)
{
	while (bus > 0) {
		int parent = fdt_parent_offset(fdt, bus);
		int cna, pna, cns, len, i, n;
		const fdt32_t *r;
		bool found = false;

		if (parent < 0)
			return -TERN_EINVAL;
		r = fdt_getprop(fdt, bus, "ranges", &len);
		if (!r)
			return -TERN_EINVAL; /* not a memory-mapped bus */
		if (len == 0) {
			bus = parent;
			continue;
		}
		cna = fdt_address_cells(fdt, bus);
		cns = fdt_size_cells(fdt, bus);
		pna = fdt_address_cells(fdt, parent);
		if (cna < 1 || cna > 2 || cns < 1 || cns > 2 || pna < 1 || pna > 2 ||
		    len % ((cna + pna + cns) * 4))
			return -TERN_EINVAL;
		n = len / ((cna + pna + cns) * 4);
		for (i = 0; i < n && !found; i++, r += cna + pna + cns) {
			u64 child = fdt_util_read_number(r, cna);
			u64 up = fdt_util_read_number(r + cna, pna);
			u64 size = fdt_util_read_number(r + cna + pna, cns);

			if (*addr >= child && *addr - child < size) {
				*addr = up + (*addr - child);
				found = true;
			}
		}
		if (!found)
			return -TERN_EINVAL;
		bus = parent;
	}
	return 0;
}

int fdt_util_reg(const void *fdt, int node, int index, u64 *base, u64 *size)
{
	int err = fdt_util_reg_raw(fdt, node, index, base, size);

	if (err)
		return err;
	return fdt_util_translate(fdt, fdt_parent_offset(fdt, node), base);
}

int fdt_util_irq_to_intid(u32 type, u32 num, u32 *intid)
{
	static const struct {
		u32 first, count;
	} ranges[] = {
		[FDT_IRQ_TYPE_SPI] = { 32, 988 },
		[FDT_IRQ_TYPE_PPI] = { 16, 16 },
		[FDT_IRQ_TYPE_ESPI] = { 4096, 1024 },
		[FDT_IRQ_TYPE_EPPI] = { 1056, 64 },
	};

	if (type >= ARRAY_SIZE(ranges) || num >= ranges[type].count)
		return -TERN_EINVAL;
	*intid = ranges[type].first + num;
	return 0;
}

/* #interrupt-cells of the node's interrupt parent; 3 (GIC binding) if there is none. */
static int fdt_util_irq_cells(const void *fdt, int node)
{
	const fdt32_t *prop;
	int len, parent = -1;

	for (; node >= 0; node = fdt_parent_offset(fdt, node)) {
		prop = fdt_getprop(fdt, node, "interrupt-parent", &len);
		if (prop && len == 4) {
			parent = fdt_node_offset_by_phandle(fdt, fdt32_ld(prop));
			break;
		}
	}
	if (parent < 0)
		return 3;
	prop = fdt_getprop(fdt, parent, "#interrupt-cells", &len);
	if (!prop || len != 4)
		return -TERN_EINVAL;
	len = (int)fdt32_ld(prop);
	return len == 3 || len == 4 ? len : -TERN_EINVAL;
}

int fdt_util_irq_count(const void *fdt, int node)
{
	int cells = fdt_util_irq_cells(fdt, node);
	int len;

	if (cells < 0)
		return cells;
	if (!fdt_getprop(fdt, node, "interrupts", &len))
		return -TERN_ENOENT;
	if (len % (cells * 4))
		return -TERN_EINVAL;
	return len / (cells * 4);
}

int fdt_util_irq(const void *fdt, int node, int index, u32 *intid, u32 *flags)
{
	int cells = fdt_util_irq_cells(fdt, node);
	const fdt32_t *irq;
	int len;

	if (cells < 0)
		return cells;
	irq = fdt_getprop(fdt, node, "interrupts", &len);
	if (!irq)
		return -TERN_ENOENT;
	if (len % (cells * 4))
		return -TERN_EINVAL;
	if (index < 0 || index >= len / (cells * 4))
		return -TERN_ENOENT;
	irq += index * cells;
	if (flags)
		*flags = fdt32_ld(irq + 2);
	return fdt_util_irq_to_intid(fdt32_ld(irq), fdt32_ld(irq + 1), intid);
}
