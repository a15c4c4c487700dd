// SPDX-License-Identifier: GPL-2.0-only
/* Small libfdt helpers: node paths for messages, "reg" decoding and translation, interrupts. */
#include <libfdt.h>
#include <string.h>
#include <tern/compiler.h>
#include <tern/errno.h>
#include <tern/fdt_util.h>

/*
 * libfdt finds a node's parent, a phandle's node and a node's path by walking the blob from its
 * start, and discovery asks for them for most nodes it reads: on QEMU's virt DT (32 virtio-mmio
 * nodes) that was ~35 M instructions, a third of what Tern added to a Linux boot. While an index
 * of the blob is held (fdt_util_index()), the helpers answer from it: every node's offset (in
 * blob order), its parent's and its phandle, found in one walk. A blob the walk does not get
 * through, or with more nodes than the index holds, has none: libfdt answers, as before.
 */
#define FDT_UTIL_INDEX_MAX   256
#define FDT_UTIL_INDEX_DEPTH 16

static struct {
	const void *fdt;
	int nr;
	int off[FDT_UTIL_INDEX_MAX];
	int parent[FDT_UTIL_INDEX_MAX];
	u32 phandle[FDT_UTIL_INDEX_MAX];
} fdt_idx;

bool fdt_util_index(const void *fdt)
{
	int stack[FDT_UTIL_INDEX_DEPTH];
	int node, depth = 0, n = 0;

	fdt_idx.fdt = NULL;
	for (node = 0; node >= 0 && depth >= 0; node = fdt_next_node(fdt, node, &depth)) {
		if (n == FDT_UTIL_INDEX_MAX || depth >= FDT_UTIL_INDEX_DEPTH)
			return false;
		stack[depth] = node;
		fdt_idx.off[n] = node;
		fdt_idx.parent[n] = depth ? stack[depth - 1] : -FDT_ERR_NOTFOUND;
		fdt_idx.phandle[n] = fdt_get_phandle(fdt, node);
		n++;
	}
	/* The walk ends past the root's end (depth -1) or at the end of the structure block. */
	if (node < 0 && node != -FDT_ERR_NOTFOUND)
		return false;
	fdt_idx.nr = n;
	fdt_idx.fdt = fdt;
	return true;
}

void fdt_util_index_drop(void)
{
	fdt_idx.fdt = NULL;
}

/* The node's slot in the index of @fdt, or -1 (no index of @fdt, or not a node's offset). */
static int fdt_util_slot(const void *fdt, int node)
{
	int lo = 0, hi = fdt_idx.nr - 1;

	if (fdt != fdt_idx.fdt)
		return -1;
	while (lo <= hi) {
		int mid = lo + (hi - lo) / 2;

		if (fdt_idx.off[mid] == node)
			return mid;
		if (fdt_idx.off[mid] < node)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return -1;
}

static int fdt_util_parent(const void *fdt, int node)
{
	int i = fdt_util_slot(fdt, node);

	return i < 0 ? fdt_parent_offset(fdt, node) : fdt_idx.parent[i];
}

static int fdt_util_by_phandle(const void *fdt, u32 phandle)
{
	if (fdt != fdt_idx.fdt || phandle == 0 || phandle == ~0U)
		return fdt_node_offset_by_phandle(fdt, phandle);
	for (int i = 0; i < fdt_idx.nr; i++)
		if (fdt_idx.phandle[i] == phandle)
			return fdt_idx.off[i];
	return -FDT_ERR_NOTFOUND;
}

/* The path from the index, as fdt_get_path() writes it; false if it does not fit (or no index). */
static bool fdt_util_index_path(const void *fdt, int node, char *buf, int len)
{
	int chain[FDT_UTIL_INDEX_DEPTH], depth = 0, pos = 0;

	for (int i = fdt_util_slot(fdt, node); i > 0; i = fdt_util_slot(fdt, fdt_idx.parent[i]))
		chain[depth++] = fdt_idx.off[i];
	if (fdt_util_slot(fdt, node) < 0)
		return false;
	if (!depth) {
		if (len < 2)
			return false;
		memcpy(buf, "/", 2);
		return true;
	}
	while (depth--) {
		int n;
		const char *name = fdt_get_name(fdt, chain[depth], &n);

		if (!name || pos + 1 + n + 1 > len)
			return false;
		buf[pos++] = '/';
		memcpy(buf + pos, name, (size_t)n);
		pos += n;
	}
	buf[pos] = '\0';
	return true;
}

const char *fdt_util_path(const void *fdt, int node, char *buf, int len)
{
	int err;

	if (fdt_util_index_path(fdt, node, buf, len))
		return buf;
	err = fdt_get_path(fdt, node, buf, len);

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

/*
 * "#address-cells" / "#size-cells" of @node as the DT specification reads them: @dflt when absent
 * (2 and 1), a negative TERN_E* when not one cell of at most 4. libfdt's own (fdt_addresses.o)
 * would link its read-write half into Tern for a function it never calls.
 */
static int fdt_util_cells(const void *fdt, int node, const char *name, int dflt)
{
	int len;
	const fdt32_t *c = fdt_getprop(fdt, node, name, &len);

	if (!c)
		return len == -FDT_ERR_NOTFOUND ? dflt : -TERN_EINVAL;
	if (len != 4 || fdt32_ld(c) > 4)
		return -TERN_EINVAL;
	return (int)fdt32_ld(c);
}

int fdt_util_address_cells(const void *fdt, int node)
{
	return fdt_util_cells(fdt, node, "#address-cells", 2);
}

int fdt_util_size_cells(const void *fdt, int node)
{
	return fdt_util_cells(fdt, node, "#size-cells", 1);
}

/* The parent's #address-cells and #size-cells, both limited to 1..2 (a u64). */
static int fdt_util_bus_cells(const void *fdt, int node, int *na, int *ns)
{
	int parent = fdt_util_parent(fdt, node);

	if (parent < 0)
		return -TERN_EINVAL;
	*na = fdt_util_address_cells(fdt, parent);
	*ns = fdt_util_size_cells(fdt, parent);
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
		int parent = fdt_util_parent(fdt, bus);
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
		cna = fdt_util_address_cells(fdt, bus);
		cns = fdt_util_size_cells(fdt, bus);
		pna = fdt_util_address_cells(fdt, parent);
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
	return fdt_util_translate(fdt, fdt_util_parent(fdt, node), base);
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

	for (; node >= 0; node = fdt_util_parent(fdt, node)) {
		prop = fdt_getprop(fdt, node, "interrupt-parent", &len);
		if (prop && len == 4) {
			parent = fdt_util_by_phandle(fdt, fdt32_ld(prop));
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
