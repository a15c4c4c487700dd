// SPDX-License-Identifier: GPL-2.0-only
/*
 * Platform discovery: read the boot device tree once into struct platform. Each scan logs what is
 * wrong with the node path; discovery goes on after an error so one boot shows every problem.
 */
#include <libfdt.h>
#include <string.h>
#include <tern/compiler.h>
#include <tern/console_drv.h>
#include <tern/errno.h>
#include <tern/fdt_util.h>
#include <tern/format.h>
#include <tern/irqchip.h>
#include <tern/platform.h>
#include <tern/printk.h>

/* The oldest device-tree layout Tern reads (see platform_check_blob()). */
#define PLATFORM_FDT_MIN_VERSION 17

struct platform_ctx {
	struct platform *p;
	const void *fdt;
	unsigned int max_vms;
	/** Node each reserved range came from (-1: /memreserve/), for overlap messages. */
	int rsv_node[PLATFORM_MAX_RSV];
	/** Node of each module, for overlap messages. */
	int mod_node[PLATFORM_MAX_MODULES];
};

void platform_log(enum log_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintk_prefixed(level, "platform: ", fmt, ap);
	va_end(ap);
}

/* Last byte of a range, or false if it is empty or wraps. */
static bool platform_range_end(u64 base, u64 size, u64 *last)
{
	*last = base + size - 1;
	return size != 0 && *last >= base;
}

static bool platform_overlap(u64 b1, u64 s1, u64 b2, u64 s2)
{
	return b1 <= b2 + (s2 - 1) && b2 <= b1 + (s1 - 1);
}

/* NUL-terminated string property, or NULL. */
static const char *platform_getstr(const void *fdt, int node, const char *name)
{
	int len;
	const char *s = fdt_getprop(fdt, node, name, &len);

	if (!s || len <= 0 || strnlen(s, (size_t)len) == (size_t)len)
		return NULL;
	return s;
}

static int platform_find_compatible(const void *fdt, const char *compat)
{
	int node = -1;

	do
		node = fdt_node_offset_by_compatible(fdt, node, compat);
	while (node >= 0 && !fdt_util_is_enabled(fdt, node));
	return node;
}

static u32 platform_be32(const u8 *p)
{
	return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | p[3];
}

/*
 * Walk the structure block's tags with lengths checked against what is left, before libfdt walks
 * it: Debian's libfdt 1.6.1 loops forever in fdt_check_full() on a property whose length wraps
 * the offset back onto its own tag (found by tests/fuzz/fuzz_platform_fdt.c). The header has
 * been checked: the block lies inside the tree.
 */
static int platform_check_struct(const void *fdt)
{
	const u8 *base = (const u8 *)fdt + fdt_off_dt_struct(fdt);
	u64 size = fdt_size_dt_struct(fdt), off = 0;

	while (off + 4 <= size) {
		u32 tag = platform_be32(base + off);
		const u8 *nul;
		u64 len;

		off += 4;
		switch (tag) {
		case FDT_BEGIN_NODE:
			nul = memchr(base + off, '\0', size - off);
			if (!nul)
				return -FDT_ERR_BADSTRUCTURE;
			off = ALIGN_UP((u64)(nul - base) + 1, (u64)FDT_TAGSIZE);
			break;
		case FDT_PROP:
			if (size - off < 8)
				return -FDT_ERR_BADSTRUCTURE;
			len = platform_be32(base + off);
			off += 8;
			if (len > size - off)
				return -FDT_ERR_BADSTRUCTURE;
			off = ALIGN_UP(off + len, (u64)FDT_TAGSIZE);
			break;
		case FDT_END_NODE:
		case FDT_NOP:
			break;
		case FDT_END:
			return 0;
		default:
			return -FDT_ERR_BADSTRUCTURE;
		}
	}
	return -FDT_ERR_BADSTRUCTURE;
}

static int platform_check_blob(struct platform *p, const void *fdt, size_t fdt_size)
{
	size_t total;
	int err;

	if (fdt_size && fdt_size < sizeof(struct fdt_header)) {
		platform_log(LOG_ERR, "device tree at 0x%llx: %s (%zu bytes, less than a header)\n",
			     (unsigned long long)(paddr_t)fdt, fdt_strerror(-FDT_ERR_TRUNCATED),
			     fdt_size);
		return -TERN_EINVAL;
	}
	err = fdt_check_header(fdt);
	if (err) {
		platform_log(LOG_ERR, "device tree at 0x%llx: %s\n",
			     (unsigned long long)(paddr_t)fdt, fdt_strerror(err));
		return -TERN_EINVAL;
	}
	/*
	 * Version 17 is what dtc, QEMU and U-Boot write. Older layouts are refused before libfdt
	 * walks them: Debian's libfdt 1.6.1 dereferences NULL in fdt_check_full() on any tree
	 * with a version below 16 (found by tests/fuzz/fuzz_platform_fdt.c).
	 */
	if (fdt_version(fdt) < PLATFORM_FDT_MIN_VERSION) {
		platform_log(LOG_ERR,
			     "device tree at 0x%llx: version %u; Tern needs version %u (what "
			     "dtc, QEMU and U-Boot write)\n",
			     (unsigned long long)(paddr_t)fdt, fdt_version(fdt),
			     PLATFORM_FDT_MIN_VERSION);
		return -TERN_EINVAL;
	}
	total = fdt_totalsize(fdt);
	if (fdt_size && total > fdt_size) {
		platform_log(LOG_ERR,
			     "device tree at 0x%llx: %s (header says %zu bytes, only %zu "
			     "available)\n",
			     (unsigned long long)(paddr_t)fdt, fdt_strerror(-FDT_ERR_TRUNCATED),
			     total, fdt_size);
		return -TERN_EINVAL;
	}
	err = platform_check_struct(fdt);
	if (!err)
		err = fdt_check_full(fdt, total);
	if (err) {
		platform_log(LOG_ERR, "device tree at 0x%llx: %s\n",
			     (unsigned long long)(paddr_t)fdt, fdt_strerror(err));
		return -TERN_EINVAL;
	}
	p->dtb_base = (paddr_t)fdt;
	p->dtb_size = (u32)total;
	return 0;
}

static void platform_mem_add(struct platform_ctx *c, const char *path, u64 base, u64 size)
{
	struct platform *p = c->p;
	u64 last, rlast;
	unsigned int i = 0;

	platform_range_end(base, size, &last);
	while (i < p->nr_mem) {
		struct platform_range *r = &p->mem[i];

		rlast = r->base + r->size - 1;
		if (!platform_overlap(base, size, r->base, r->size)) {
			i++;
			continue;
		}
		platform_log(LOG_WARN, "%s: memory 0x%llx-0x%llx overlaps 0x%llx-0x%llx; merged\n",
			     path, (unsigned long long)base, (unsigned long long)last,
			     (unsigned long long)r->base, (unsigned long long)rlast);
		base = MIN(base, r->base);
		last = MAX(last, rlast);
		size = last - base + 1;
		memmove(r, r + 1, (p->nr_mem - i - 1) * sizeof(*r));
		p->nr_mem--;
	}
	if (p->nr_mem == PLATFORM_MAX_MEM) {
		platform_log(LOG_WARN, "%s: more than %d memory ranges, ignoring 0x%llx-0x%llx\n",
			     path, PLATFORM_MAX_MEM, (unsigned long long)base,
			     (unsigned long long)last);
		return;
	}
	for (i = p->nr_mem; i > 0 && p->mem[i - 1].base > base; i--)
		p->mem[i] = p->mem[i - 1];
	p->mem[i].base = base;
	p->mem[i].size = size;
	p->nr_mem++;
}

static int platform_scan_memory(struct platform_ctx *c)
{
	const void *fdt = c->fdt;
	char path[FDT_UTIL_PATH_MAX];
	int node, n, i, err;
	u64 base, size, last;

	fdt_for_each_subnode(node, fdt, 0)
	{
		if (fdt_stringlist_search(fdt, node, "device_type", "memory") != 0 ||
		    !fdt_util_is_enabled(fdt, node))
			continue;
		fdt_util_path(fdt, node, path, sizeof(path));
		n = fdt_util_reg_count(fdt, node);
		if (n < 0) {
			platform_log(LOG_ERR, "%s: missing or malformed \"reg\"\n", path);
			return n;
		}
		for (i = 0; i < n; i++) {
			err = fdt_util_reg_raw(fdt, node, i, &base, &size);
			if (err)
				return err;
			if (!size)
				continue;
			if (!platform_range_end(base, size, &last)) {
				platform_log(LOG_ERR, "%s: memory 0x%llx+0x%llx wraps around\n",
					     path, (unsigned long long)base,
					     (unsigned long long)size);
				return -TERN_EINVAL;
			}
			platform_mem_add(c, path, base, size);
		}
	}
	if (!c->p->nr_mem) {
		platform_log(LOG_ERR,
			     "/memory: no node with device_type = \"memory\" (and a non-empty "
			     "\"reg\")\n");
		return -TERN_ENODEV;
	}
	return 0;
}

static const char *platform_rsv_name(struct platform_ctx *c, int node, char *buf)
{
	if (node < 0)
		return "/memreserve/";
	return fdt_util_path(c->fdt, node, buf, FDT_UTIL_PATH_MAX);
}

static void platform_rsv_add(struct platform_ctx *c, int node, u64 base, u64 size, bool nomap)
{
	struct platform *p = c->p;
	char name[FDT_UTIL_PATH_MAX], other[FDT_UTIL_PATH_MAX];
	u64 last, rlast;
	unsigned int i = 0;

	if (!size)
		return;
	if (!platform_range_end(base, size, &last)) {
		platform_log(LOG_WARN, "%s: reserved 0x%llx+0x%llx wraps around; ignored\n",
			     platform_rsv_name(c, node, name), (unsigned long long)base,
			     (unsigned long long)size);
		return;
	}
	if (!platform_in_ram(p, base, size))
		platform_log(LOG_WARN, "%s: reserved 0x%llx-0x%llx is not inside RAM; kept\n",
			     platform_rsv_name(c, node, name), (unsigned long long)base,
			     (unsigned long long)last);
	while (i < p->nr_rsv) {
		struct platform_rsv *r = &p->rsv[i];

		rlast = r->base + r->size - 1;
		if (!platform_overlap(base, size, r->base, r->size)) {
			i++;
			continue;
		}
		platform_log(LOG_WARN,
			     "reserved %s 0x%llx-0x%llx overlaps %s 0x%llx-0x%llx; merged\n",
			     platform_rsv_name(c, node, name), (unsigned long long)base,
			     (unsigned long long)last, platform_rsv_name(c, c->rsv_node[i], other),
			     (unsigned long long)r->base, (unsigned long long)rlast);
		base = MIN(base, r->base);
		last = MAX(last, rlast);
		size = last - base + 1;
		nomap |= r->nomap;
		memmove(r, r + 1, (p->nr_rsv - i - 1) * sizeof(*r));
		memmove(&c->rsv_node[i], &c->rsv_node[i + 1],
			(p->nr_rsv - i - 1) * sizeof(c->rsv_node[0]));
		p->nr_rsv--;
	}
	if (p->nr_rsv == PLATFORM_MAX_RSV) {
		platform_log(LOG_WARN, "%s: more than %d reserved ranges, ignoring 0x%llx-0x%llx\n",
			     platform_rsv_name(c, node, name), PLATFORM_MAX_RSV,
			     (unsigned long long)base, (unsigned long long)last);
		return;
	}
	for (i = p->nr_rsv; i > 0 && p->rsv[i - 1].base > base; i--) {
		p->rsv[i] = p->rsv[i - 1];
		c->rsv_node[i] = c->rsv_node[i - 1];
	}
	p->rsv[i].base = base;
	p->rsv[i].size = size;
	p->rsv[i].nomap = nomap;
	c->rsv_node[i] = node;
	p->nr_rsv++;
}

static int platform_scan_reserved(struct platform_ctx *c)
{
	const void *fdt = c->fdt;
	char path[FDT_UTIL_PATH_MAX];
	int n, i, node, parent;
	u64 base, size;

	n = fdt_num_mem_rsv(fdt);
	for (i = 0; i < n; i++) {
		if (fdt_get_mem_rsv(fdt, i, &base, &size) == 0)
			platform_rsv_add(c, -1, base, size, false);
	}

	parent = fdt_path_offset(fdt, "/reserved-memory");
	if (parent < 0)
		return 0;
	fdt_for_each_subnode(node, fdt, parent)
	{
		bool nomap = fdt_getprop(fdt, node, "no-map", NULL) != NULL;

		if (!fdt_util_is_enabled(fdt, node))
			continue;
		n = fdt_util_reg_count(fdt, node);
		if (n == -TERN_ENOENT) {
			platform_log(LOG_WARN,
				     "%s: no \"reg\" (dynamically placed reserved memory is "
				     "not supported); ignored\n",
				     fdt_util_path(fdt, node, path, sizeof(path)));
			continue;
		}
		if (n < 0) {
			platform_log(LOG_ERR, "%s: malformed \"reg\"\n",
				     fdt_util_path(fdt, node, path, sizeof(path)));
			return n;
		}
		for (i = 0; i < n; i++) {
			if (fdt_util_reg_raw(fdt, node, i, &base, &size) == 0)
				platform_rsv_add(c, node, base, size, nomap);
		}
	}
	return 0;
}

static enum platform_cpu_enable platform_cpu_method(const void *fdt, int node, u64 *release)
{
	const char *m = platform_getstr(fdt, node, "enable-method");
	const fdt32_t *addr;
	int len;

	*release = 0;
	if (!m)
		return CPU_ENABLE_NONE;
	if (!strcmp(m, "psci"))
		return CPU_ENABLE_PSCI;
	if (strcmp(m, "spin-table"))
		return CPU_ENABLE_OTHER;
	addr = fdt_getprop(fdt, node, "cpu-release-addr", &len);
	if (addr && (len == 4 || len == 8))
		*release = fdt_util_read_number(addr, len / 4);
	return CPU_ENABLE_SPIN_TABLE;
}

/* Add one CPU node; false once the table is full. */
static bool platform_cpu_add(struct platform_ctx *c, int node, int na)
{
	struct platform *p = c->p;
	char path[FDT_UTIL_PATH_MAX];
	const fdt32_t *reg;
	struct platform_cpu *cpu;
	u64 mpidr;
	int len;

	fdt_util_path(c->fdt, node, path, sizeof(path));
	reg = fdt_getprop(c->fdt, node, "reg", &len);
	if (!reg || len < na * 4) {
		platform_log(LOG_WARN, "%s: missing or short \"reg\"; CPU ignored\n", path);
		return true;
	}
	mpidr = fdt_util_read_number(reg, na);
	if (mpidr & ~MPIDR_HWID_MASK) {
		platform_log(LOG_WARN,
			     "%s: reg 0x%llx is not an MPIDR affinity value; CPU ignored\n", path,
			     (unsigned long long)mpidr);
		return true;
	}
	if (platform_cpu_index(p, mpidr) >= 0) {
		platform_log(LOG_WARN, "%s: MPIDR 0x%llx listed twice; ignored\n", path,
			     (unsigned long long)mpidr);
		return true;
	}
	if (p->nr_cpus == PLATFORM_MAX_CPUS) {
		platform_log(LOG_WARN, "%s: more than %d CPUs; this and later CPU nodes ignored\n",
			     path, PLATFORM_MAX_CPUS);
		return false;
	}
	cpu = &p->cpus[p->nr_cpus++];
	cpu->mpidr = mpidr;
	cpu->enable = platform_cpu_method(c->fdt, node, &cpu->release_addr);
	return true;
}

static int platform_scan_cpus(struct platform_ctx *c, u64 boot_mpidr)
{
	struct platform *p = c->p;
	const void *fdt = c->fdt;
	struct platform_cpu boot;
	int cpus, node, na, idx;

	cpus = fdt_path_offset(fdt, "/cpus");
	if (cpus < 0) {
		platform_log(LOG_ERR, "/cpus: node not found\n");
		return -TERN_ENODEV;
	}
	na = fdt_util_address_cells(fdt, cpus);
	if (na != 1 && na != 2) {
		platform_log(LOG_ERR, "/cpus: #address-cells must be 1 or 2\n");
		return -TERN_EINVAL;
	}
	fdt_for_each_subnode(node, fdt, cpus)
	{
		if (fdt_stringlist_search(fdt, node, "device_type", "cpu") != 0 ||
		    !fdt_util_is_enabled(fdt, node))
			continue;
		if (!platform_cpu_add(c, node, na))
			break;
	}
	if (!p->nr_cpus) {
		platform_log(LOG_ERR, "/cpus: no node with device_type = \"cpu\"\n");
		return -TERN_ENODEV;
	}
	idx = platform_cpu_index(p, boot_mpidr);
	if (idx < 0) {
		platform_log(LOG_ERR,
			     "boot CPU (MPIDR 0x%llx) is not among the %u CPU nodes in /cpus\n",
			     (unsigned long long)(boot_mpidr & MPIDR_HWID_MASK), p->nr_cpus);
		return -TERN_ENODEV;
	}
	boot = p->cpus[idx];
	memmove(&p->cpus[1], &p->cpus[0], (size_t)idx * sizeof(boot));
	p->cpus[0] = boot;
	return 0;
}

/* The first linked driver whose compatibles (in its order of preference) match an enabled node. */
static int platform_find_irqchip(const void *fdt, const struct irqchip_driver **drv)
{
	irqchip_for_each_driver(d)
	{
		for (const char *const *c = (*d)->compatible; *c; c++) {
			int node = platform_find_compatible(fdt, *c);

			if (node >= 0) {
				*drv = *d;
				return node;
			}
		}
	}
	return -1;
}

/* "a", "b" and "c": every compatible the linked drivers of one kind know, for messages. */
static void platform_list_compatibles(char *buf, size_t size, const char *const *const *lists,
				      unsigned int nr)
{
	size_t n = 0;

	buf[0] = '\0';
	for (unsigned int i = 0; i < nr; i++) {
		for (const char *const *c = lists[i]; *c && n < size; c++)
			n += (size_t)fmt_snprintf(buf + n, size - n, "%s\"%s\"", n ? ", " : "", *c);
	}
}

static int platform_scan_irqchip(struct platform_ctx *c)
{
	struct platform_irqchip *ic = &c->p->irqchip;
	const void *fdt = c->fdt;
	const struct irqchip_driver *drv = NULL;
	const char *const *lists[8] = { NULL };
	unsigned int nr = 0;
	char known[256];
	int node;

	node = platform_find_irqchip(fdt, &drv);
	if (node >= 0) {
		ic->drv = drv;
		fdt_util_path(fdt, node, ic->path, sizeof(ic->path));
		return drv->probe(fdt, node, ic);
	}
	irqchip_for_each_driver(d)
	{
		if (nr < ARRAY_SIZE(lists))
			lists[nr++] = (*d)->compatible;
	}
	platform_list_compatibles(known, sizeof(known), lists, nr);
	platform_log(LOG_ERR,
		     "no interrupt controller this build drives (looked for a node "
		     "compatible with %s)\n",
		     nr ? known : "nothing: no driver linked");
	return -TERN_ENODEV;
}

/* The console driver that knows @node, or NULL. */
static const struct console_driver *platform_console_driver(const void *fdt, int node)
{
	console_for_each_driver(d)
	{
		for (const char *const *c = (*d)->compatible; *c; c++) {
			if (fdt_node_check_compatible(fdt, node, *c) == 0)
				return *d;
		}
	}
	return NULL;
}

/* The first enabled node a console driver knows, in driver order. */
static int platform_first_console(const void *fdt, const struct console_driver **drv)
{
	console_for_each_driver(d)
	{
		for (const char *const *c = (*d)->compatible; *c; c++) {
			int node = platform_find_compatible(fdt, *c);

			if (node >= 0) {
				*drv = *d;
				return node;
			}
		}
	}
	return -1;
}

/* The node /chosen/stdout-path names, if a console driver knows it; else -1 (after saying why). */
static int platform_stdout_node(const void *fdt, const struct console_driver **drv)
{
	char path[FDT_UTIL_PATH_MAX];
	const char *out, *colon, *compat;
	int chosen, node;

	chosen = fdt_path_offset(fdt, "/chosen");
	if (chosen < 0)
		return -1;
	out = platform_getstr(fdt, chosen, "stdout-path");
	if (!out)
		out = platform_getstr(fdt, chosen, "linux,stdout-path");
	if (!out)
		return -1;
	colon = strchr(out, ':');
	node = fdt_path_offset_namelen(fdt, out, colon ? (int)(colon - out) : (int)strlen(out));
	if (node < 0) {
		platform_log(LOG_WARN,
			     "/chosen/stdout-path \"%s\" does not resolve (%s); using the "
			     "first UART a driver knows\n",
			     out, fdt_strerror(node));
		return -1;
	}
	*drv = platform_console_driver(fdt, node);
	if (!*drv) {
		compat = fdt_stringlist_get(fdt, node, "compatible", 0, NULL);
		platform_log(LOG_WARN,
			     "/chosen/stdout-path %s is \"%s\", which no console driver of "
			     "this build knows; using the first UART a driver knows\n",
			     fdt_util_path(fdt, node, path, sizeof(path)), compat ? compat : "?");
		return -1;
	}
	return node;
}

static int platform_scan_console(struct platform_ctx *c)
{
	struct platform_console *con = &c->p->console;
	const void *fdt = c->fdt;
	const char *const *lists[8] = { NULL };
	unsigned int nr = 0;
	char known[256];
	int node, err;

	node = platform_stdout_node(fdt, &con->drv);
	con->from_stdout_path = node >= 0;
	if (node < 0)
		node = platform_first_console(fdt, &con->drv);
	if (node < 0) {
		console_for_each_driver(d)
		{
			if (nr < ARRAY_SIZE(lists))
				lists[nr++] = (*d)->compatible;
		}
		platform_list_compatibles(known, sizeof(known), lists, nr);
		platform_log(LOG_ERR,
			     "no console UART found (looked for /chosen/stdout-path and a node "
			     "compatible with %s)\n",
			     nr ? known : "nothing: no driver linked");
		return -TERN_ENODEV;
	}
	fdt_util_path(fdt, node, con->path, sizeof(con->path));
	if (fdt_util_reg(fdt, node, 0, &con->base, &con->size)) {
		platform_log(LOG_ERR, "%s: missing or untranslatable \"reg\"\n", con->path);
		return -TERN_EINVAL;
	}
	err = fdt_util_irq(fdt, node, 0, &con->intid, NULL);
	if (err) {
		if (err != -TERN_ENOENT)
			platform_log(LOG_WARN, "%s: bad \"interrupts\"; console is polled\n",
				     con->path);
		con->intid = 0;
	}
	return 0;
}

static int platform_scan_timer(struct platform_ctx *c)
{
	struct platform_timer *t = &c->p->timer;
	u32 *const intids[] = { &t->sec_phys_intid, &t->phys_intid, &t->virt_intid,
				&t->hyp_phys_intid, &t->hyp_virt_intid };
	const void *fdt = c->fdt;
	char path[FDT_UTIL_PATH_MAX];
	const fdt32_t *freq;
	int node, n, i, len;

	node = platform_find_compatible(fdt, "arm,armv8-timer");
	if (node < 0)
		node = platform_find_compatible(fdt, "arm,armv7-timer");
	if (node < 0) {
		platform_log(LOG_ERR,
			     "no architected timer found (looked for a node compatible with "
			     "\"arm,armv8-timer\" or \"arm,armv7-timer\")\n");
		return -TERN_ENODEV;
	}
	fdt_util_path(fdt, node, path, sizeof(path));
	n = fdt_util_irq_count(fdt, node);
	if (n < 4) {
		platform_log(LOG_ERR,
			     "%s: \"interrupts\" needs 4 or 5 entries (secure phys, phys, virt, "
			     "hyp phys[, hyp virt])\n",
			     path);
		return -TERN_EINVAL;
	}
	for (i = 0; i < MIN(n, 5); i++) {
		if (fdt_util_irq(fdt, node, i, intids[i], NULL)) {
			platform_log(LOG_ERR, "%s: interrupt %d is not a valid GIC specifier\n",
				     path, i);
			return -TERN_EINVAL;
		}
	}
	freq = fdt_getprop(fdt, node, "clock-frequency", &len);
	t->freq = freq && len == 4 ? fdt32_ld(freq) : 0;
	return 0;
}

/* Optional: without a PMU node guests still get the counters, but no overflow interrupt. */
static int platform_scan_pmu(struct platform_ctx *c)
{
	const void *fdt = c->fdt;
	char path[FDT_UTIL_PATH_MAX];
	u32 intid;
	int node;

	node = platform_find_compatible(fdt, "arm,armv8-pmuv3");
	if (node < 0)
		return 0;
	if (fdt_util_irq(fdt, node, 0, &intid, NULL) || intid < 16 || intid >= 32) {
		fdt_util_path(fdt, node, path, sizeof(path));
		platform_log(LOG_INFO,
			     "%s: the interrupt is not a PPI: no PMU interrupt for guests\n", path);
		return 0;
	}
	c->p->pmu.intid = intid;
	return 0;
}

static int platform_scan_psci(struct platform_ctx *c)
{
	static const struct {
		const char *compat;
		u32 version;
	} versions[] = {
		{ "arm,psci-1.0", PLATFORM_PSCI_VERSION(1, 0) },
		{ "arm,psci-0.2", PLATFORM_PSCI_VERSION(0, 2) },
		{ "arm,psci", PLATFORM_PSCI_VERSION(0, 1) },
	};
	struct platform_psci *psci = &c->p->psci;
	const void *fdt = c->fdt;
	char path[FDT_UTIL_PATH_MAX];
	const char *method;
	unsigned int i;
	int node;

	node = fdt_path_offset(fdt, "/psci");
	for (i = 0; node < 0 && i < ARRAY_SIZE(versions); i++)
		node = platform_find_compatible(fdt, versions[i].compat);
	if (node < 0) {
		platform_log(LOG_ERR, "no PSCI found (looked for /psci or a node compatible with "
				      "\"arm,psci-1.0\", \"arm,psci-0.2\" or \"arm,psci\")\n");
		return -TERN_ENODEV;
	}
	fdt_util_path(fdt, node, path, sizeof(path));
	for (i = 0; i < ARRAY_SIZE(versions); i++) {
		if (fdt_node_check_compatible(fdt, node, versions[i].compat) == 0)
			break;
	}
	if (i == ARRAY_SIZE(versions)) {
		platform_log(LOG_ERR,
			     "%s: not compatible with \"arm,psci-1.0\", \"arm,psci-0.2\" or "
			     "\"arm,psci\"\n",
			     path);
		return -TERN_EINVAL;
	}
	psci->version = versions[i].version;

	method = platform_getstr(fdt, node, "method");
	if (method && !strcmp(method, "smc")) {
		psci->method = PSCI_METHOD_SMC;
	} else if (method && !strcmp(method, "hvc")) {
		psci->method = PSCI_METHOD_HVC;
		platform_log(LOG_WARN,
			     "%s: method \"hvc\" cannot reach firmware from EL2 (it traps to "
			     "Tern itself); firmware normally needs \"smc\"\n",
			     path);
	} else {
		platform_log(LOG_ERR, "%s: \"method\" must be \"smc\" or \"hvc\"\n", path);
		return -TERN_EINVAL;
	}
	return 0;
}

static enum platform_module_kind platform_module_kind(const void *fdt, int node, bool *ok)
{
	static const struct {
		const char *compat;
		enum platform_module_kind kind;
	} kinds[] = {
		{ "multiboot,kernel", MODULE_KERNEL },
		{ "multiboot,ramdisk", MODULE_RAMDISK },
		{ "multiboot,device-tree", MODULE_DEVICE_TREE },
		{ "tern,disk", MODULE_DISK },
		{ "multiboot,module", MODULE_OTHER },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(kinds); i++) {
		if (fdt_node_check_compatible(fdt, node, kinds[i].compat) == 0) {
			*ok = true;
			return kinds[i].kind;
		}
	}
	*ok = false;
	return MODULE_OTHER;
}

/* Overlap with the DTB or another module: 0 or an error after naming both. */
static int platform_module_overlaps(struct platform_ctx *c, const char *path, u64 base, u64 size)
{
	struct platform *p = c->p;
	char other[FDT_UTIL_PATH_MAX];
	unsigned int i;

	if (platform_overlap(base, size, p->dtb_base, p->dtb_size)) {
		platform_log(LOG_ERR,
			     "%s: module 0x%llx+0x%llx overlaps the device tree 0x%llx+0x%x\n",
			     path, (unsigned long long)base, (unsigned long long)size,
			     (unsigned long long)p->dtb_base, p->dtb_size);
		return -TERN_EBUSY;
	}
	for (i = 0; i < p->nr_modules; i++) {
		const struct platform_module *m = &p->modules[i];

		if (!platform_overlap(base, size, m->base, m->size))
			continue;
		platform_log(LOG_ERR, "%s: module 0x%llx+0x%llx overlaps %s 0x%llx+0x%llx\n", path,
			     (unsigned long long)base, (unsigned long long)size,
			     fdt_util_path(c->fdt, c->mod_node[i], other, sizeof(other)),
			     (unsigned long long)m->base, (unsigned long long)m->size);
		return -TERN_EBUSY;
	}
	return 0;
}

static int platform_module_add(struct platform_ctx *c, unsigned int vm, int node)
{
	struct platform *p = c->p;
	const struct platform_module *first;
	struct platform_module *m;
	char path[FDT_UTIL_PATH_MAX], other[FDT_UTIL_PATH_MAX];
	enum platform_module_kind kind;
	u64 base, size, last;
	bool ok;
	int err;

	fdt_util_path(c->fdt, node, path, sizeof(path));
	kind = platform_module_kind(c->fdt, node, &ok);
	if (!ok) {
		platform_log(LOG_WARN, "%s: not compatible with \"multiboot,module\"; ignored\n",
			     path);
		return 0;
	}
	if (fdt_util_reg_raw(c->fdt, node, 0, &base, &size) ||
	    !platform_range_end(base, size, &last)) {
		platform_log(LOG_ERR, "%s: missing, empty or malformed \"reg\"\n", path);
		return -TERN_EINVAL;
	}
	if (p->nr_mem && !platform_in_ram(p, base, size)) {
		platform_log(LOG_ERR, "%s: module 0x%llx-0x%llx is outside RAM\n", path,
			     (unsigned long long)base, (unsigned long long)last);
		return -TERN_ERANGE;
	}
	first = platform_module_find(p, vm, kind);
	if (first && kind != MODULE_OTHER) {
		platform_log(
		    LOG_ERR, "%s: second %s for vm%u (the first is %s)\n", path,
		    platform_module_kind_name(kind), vm,
		    fdt_util_path(c->fdt, c->mod_node[first - p->modules], other, sizeof(other)));
		return -TERN_EEXIST;
	}
	if (kind == MODULE_DISK && platform_host_disk_find(p, vm)) {
		platform_log(LOG_ERR, "%s: vm%u already has a disk\n", path, vm);
		return -TERN_EEXIST;
	}
	err = platform_module_overlaps(c, path, base, size);
	if (err)
		return err;
	if (p->nr_modules == PLATFORM_MAX_MODULES) {
		platform_log(LOG_WARN, "%s: more than %d boot modules; ignored\n", path,
			     PLATFORM_MAX_MODULES);
		return 0;
	}
	c->mod_node[p->nr_modules] = node;
	m = &p->modules[p->nr_modules++];
	m->vm = vm;
	m->kind = kind;
	m->base = base;
	m->size = size;
	m->bootargs = platform_getstr(c->fdt, node, "bootargs");
	m->read_only = fdt_getprop(c->fdt, node, "read-only", NULL) != NULL;
	return 0;
}

/* A "tern,host-disk" child of a VM node: the VM's disk is (a region of) a disk of the machine. */
static int platform_host_disk_add(struct platform_ctx *c, unsigned int vm, int node)
{
	struct platform *p = c->p;
	struct platform_host_disk *d;
	char path[FDT_UTIL_PATH_MAX];
	const fdt32_t *idx, *region;
	int len;

	fdt_util_path(c->fdt, node, path, sizeof(path));
	if (platform_host_disk_find(p, vm) || platform_module_find(p, vm, MODULE_DISK)) {
		platform_log(LOG_ERR, "%s: vm%u already has a disk\n", path, vm);
		return -TERN_EEXIST;
	}
	if (p->nr_host_disks == PLATFORM_MAX_HOST_DISKS) {
		platform_log(LOG_ERR, "%s: more than %d host disks\n", path,
			     PLATFORM_MAX_HOST_DISKS);
		return -TERN_ENOSPC;
	}
	idx = fdt_getprop(c->fdt, node, "tern,host-disk", &len);
	if (!idx || len != 4) {
		platform_log(LOG_ERR, "%s: missing or malformed \"tern,host-disk\" (one cell)\n",
			     path);
		return -TERN_EINVAL;
	}
	d = &p->host_disks[p->nr_host_disks];
	*d = (struct platform_host_disk){ .vm = vm, .index = fdt32_ld(idx) };
	region = fdt_getprop(c->fdt, node, "tern,region", &len);
	if (region && len != 16) {
		platform_log(LOG_ERR, "%s: \"tern,region\" must be <offset size>, 2 cells each\n",
			     path);
		return -TERN_EINVAL;
	}
	if (region) {
		d->offset = fdt_util_read_number(region, 2);
		d->size = fdt_util_read_number(region + 2, 2);
	}
	d->read_only = fdt_getprop(c->fdt, node, "read-only", NULL) != NULL;
	p->nr_host_disks++;
	return 0;
}

/* "tern,id" of a VM node, checked against the limit and earlier VM nodes. */
static int platform_vm_id(struct platform_ctx *c, int chosen, int vmnode, const char *path)
{
	char other[FDT_UTIL_PATH_MAX];
	const fdt32_t *id;
	int len, node;
	u32 vm;

	id = fdt_getprop(c->fdt, vmnode, "tern,id", &len);
	if (!id || len != 4) {
		platform_log(LOG_ERR, "%s: missing or malformed \"tern,id\"\n", path);
		return -TERN_EINVAL;
	}
	vm = fdt32_ld(id);
	if (vm >= c->max_vms) {
		platform_log(LOG_ERR,
			     "%s: tern,id %u is out of range (this build supports %u VMs, "
			     "CONFIG_NR_VMS)\n",
			     path, vm, c->max_vms);
		return -TERN_ERANGE;
	}
	fdt_for_each_subnode(node, c->fdt, chosen)
	{
		if (node == vmnode)
			break;
		if (fdt_node_check_compatible(c->fdt, node, "tern,vm") != 0)
			continue;
		id = fdt_getprop(c->fdt, node, "tern,id", &len);
		if (id && len == 4 && fdt32_ld(id) == vm) {
			platform_log(LOG_ERR, "%s: tern,id %u already used by %s\n", path, vm,
				     fdt_util_path(c->fdt, node, other, sizeof(other)));
			return -TERN_EEXIST;
		}
	}
	return (int)vm;
}

static int platform_scan_vm(struct platform_ctx *c, int chosen, int vmnode)
{
	char path[FDT_UTIL_PATH_MAX];
	int vm, node, err;

	fdt_util_path(c->fdt, vmnode, path, sizeof(path));
	vm = platform_vm_id(c, chosen, vmnode, path);
	if (vm < 0)
		return vm;
	fdt_for_each_subnode(node, c->fdt, vmnode)
	{
		if (!fdt_util_is_enabled(c->fdt, node))
			continue;
		if (fdt_node_check_compatible(c->fdt, node, "tern,host-disk") == 0)
			err = platform_host_disk_add(c, (unsigned int)vm, node);
		else
			err = platform_module_add(c, (unsigned int)vm, node);
		if (err)
			return err;
	}
	if (!platform_module_find(c->p, (unsigned int)vm, MODULE_KERNEL)) {
		platform_log(LOG_ERR, "%s: vm%d has no \"multiboot,kernel\" module\n", path, vm);
		return -TERN_ENOENT;
	}
	return 0;
}

static int platform_scan_chosen(struct platform_ctx *c)
{
	const void *fdt = c->fdt;
	int chosen, node, err;

	chosen = fdt_path_offset(fdt, "/chosen");
	if (chosen < 0)
		return 0;
	c->p->bootargs = platform_getstr(fdt, chosen, "bootargs");
	fdt_for_each_subnode(node, fdt, chosen)
	{
		if (fdt_node_check_compatible(fdt, node, "tern,vm") != 0 ||
		    !fdt_util_is_enabled(fdt, node))
			continue;
		err = platform_scan_vm(c, chosen, node);
		if (err)
			return err;
	}
	return 0;
}

/* The machine's virtio-mmio transports, in DT order (what is behind each, drivers probe). */
static int platform_scan_virtio(struct platform_ctx *c)
{
	const void *fdt = c->fdt;
	char path[FDT_UTIL_PATH_MAX];
	int node;

	for (node = fdt_node_offset_by_compatible(fdt, -1, "virtio,mmio"); node >= 0;
	     node = fdt_node_offset_by_compatible(fdt, node, "virtio,mmio")) {
		struct platform_virtio *v = &c->p->virtio[c->p->nr_virtio];

		if (!fdt_util_is_enabled(fdt, node))
			continue;
		fdt_util_path(fdt, node, path, sizeof(path));
		if (c->p->nr_virtio == PLATFORM_MAX_VIRTIO) {
			platform_log(LOG_WARN, "%s: more than %d virtio-mmio transports; ignored\n",
				     path, PLATFORM_MAX_VIRTIO);
			break;
		}
		if (fdt_util_reg(fdt, node, 0, &v->base, &v->size) ||
		    fdt_util_irq(fdt, node, 0, &v->intid, NULL) || v->intid < 32) {
			platform_log(LOG_WARN, "%s: bad \"reg\" or \"interrupts\"; ignored\n",
				     path);
			continue;
		}
		v->dma_coherent = fdt_getprop(fdt, node, "dma-coherent", NULL) != NULL;
		c->p->nr_virtio++;
	}
	return 0;
}

int platform_discover(struct platform *p, const void *fdt, size_t fdt_size, u64 boot_mpidr,
		      unsigned int max_vms)
{
	static int (*const scans[])(struct platform_ctx *) = {
		platform_scan_memory,  platform_scan_reserved, platform_scan_irqchip,
		platform_scan_console, platform_scan_timer,    platform_scan_pmu,
		platform_scan_psci,    platform_scan_chosen,   platform_scan_virtio,
	};
	struct platform_ctx c = { .p = p, .fdt = fdt, .max_vms = max_vms };
	int err, first;
	unsigned int i;

	memset(p, 0, sizeof(*p));
	err = platform_check_blob(p, fdt, fdt_size);
	if (err)
		return err;
	fdt_util_index(fdt);
	first = platform_scan_cpus(&c, boot_mpidr);
	for (i = 0; i < ARRAY_SIZE(scans); i++) {
		err = scans[i](&c);
		if (err && !first)
			first = err;
	}
	fdt_util_index_drop();
	return first;
}

u64 platform_ram_total(const struct platform *p)
{
	u64 total = 0;
	unsigned int i;

	for (i = 0; i < p->nr_mem; i++)
		total += p->mem[i].size;
	return total;
}

bool platform_in_ram(const struct platform *p, u64 base, u64 size)
{
	u64 last, next = base;
	unsigned int i;

	if (!platform_range_end(base, size, &last))
		return false;
	/* Ranges are sorted and disjoint: walk them while they cover [next, last]. */
	for (i = 0; i < p->nr_mem; i++) {
		const struct platform_range *r = &p->mem[i];
		u64 rlast = r->base + r->size - 1;

		if (r->base <= next && next <= rlast) {
			if (rlast >= last)
				return true;
			next = rlast + 1;
		}
	}
	return false;
}

int platform_cpu_index(const struct platform *p, u64 mpidr)
{
	unsigned int i;

	for (i = 0; i < p->nr_cpus; i++) {
		if (p->cpus[i].mpidr == (mpidr & MPIDR_HWID_MASK))
			return (int)i;
	}
	return -TERN_ENOENT;
}

const struct platform_module *platform_module_find(const struct platform *p, unsigned int vm,
						   enum platform_module_kind kind)
{
	unsigned int i;

	for (i = 0; i < p->nr_modules; i++) {
		if (p->modules[i].vm == vm && p->modules[i].kind == kind)
			return &p->modules[i];
	}
	return NULL;
}

const struct platform_host_disk *platform_host_disk_find(const struct platform *p, unsigned int vm)
{
	for (unsigned int i = 0; i < p->nr_host_disks; i++) {
		if (p->host_disks[i].vm == vm)
			return &p->host_disks[i];
	}
	return NULL;
}
