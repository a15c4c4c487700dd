// SPDX-License-Identifier: GPL-2.0-only
/*
 * A VM's device tree, written with libfdt's sequential-write API: one make_*_node() per node (or
 * per group of nodes), each returning 0 or a libfdt error, and one error path in
 * guest_fdt_write(). Parameters are checked first so that a libfdt error can only mean a full
 * buffer or a bug.
 */
#include <libfdt.h>
#include <limits.h>
#include <stdarg.h>
#include <string.h>
#include <tern/compiler.h>
#include <tern/errno.h>
#include <tern/format.h>
#include <tern/guest_fdt.h>
#include <tern/platform.h>
#include <tern/printk.h>

/* GIC bindings (v2 and v3): interrupt specifier <type number flags>. */
#define GFDT_IRQ_PPI	    1
#define GFDT_IRQ_LEVEL_HIGH 4
#define GFDT_PPI_FIRST	    16
#define GFDT_PPI_LAST	    31

#define GFDT_NAME_MAX  32
#define GFDT_MAX_CELLS 12

typedef int (*gfdt_make_fn)(void *fdt, const struct guest_fdt_params *p);

static int gfdt_prop_cells(void *fdt, const char *name, const u32 *val, unsigned int n)
{
	fdt32_t cells[GFDT_MAX_CELLS];

	if (n > ARRAY_SIZE(cells))
		return -FDT_ERR_INTERNAL;
	for (unsigned int i = 0; i < n; i++)
		cells[i] = cpu_to_fdt32(val[i]);
	return fdt_property(fdt, name, cells, (int)(n * sizeof(cells[0])));
}

/* "reg" of @n (base, size) pairs with #address-cells = #size-cells = 2 (the root's). */
static int gfdt_prop_reg(void *fdt, const u64 *pairs, unsigned int n)
{
	u32 cells[GFDT_MAX_CELLS];

	if (n * 4 > ARRAY_SIZE(cells))
		return -FDT_ERR_INTERNAL;
	for (unsigned int i = 0; i < 2 * n; i++) {
		cells[2 * i] = (u32)(pairs[i] >> 32);
		cells[2 * i + 1] = (u32)pairs[i];
	}
	return gfdt_prop_cells(fdt, "reg", cells, 4 * n);
}

/* The root's own properties (its subnodes follow). */
static int make_root_props(void *fdt, const struct guest_fdt_params *p)
{
	char model[GFDT_NAME_MAX];
	int res;

	fmt_snprintf(model, sizeof(model), "Tern VM %u", p->vm_id);
	res = fdt_property_cell(fdt, "#address-cells", 2);
	if (!res)
		res = fdt_property_cell(fdt, "#size-cells", 2);
	if (!res)
		res = fdt_property_string(fdt, "compatible", "linux,dummy-virt");
	if (!res)
		res = fdt_property_string(fdt, "model", model);
	if (!res && p->irqchip)
		res = fdt_property_cell(fdt, "interrupt-parent", GUEST_FDT_PHANDLE_GIC);
	return res;
}

/* Aff3 is above bit 31: one "reg" cell suffices unless some vCPU uses it. */
static unsigned int gfdt_cpu_cells(const struct guest_fdt_params *p)
{
	for (unsigned int i = 0; i < p->nr_vcpus; i++)
		if (p->vmpidr[i] >> 32)
			return 2;
	return 1;
}

static int make_cpu_node(void *fdt, u64 mpidr, unsigned int cells)
{
	char name[GFDT_NAME_MAX];
	u32 reg[2] = { (u32)(mpidr >> 32), (u32)mpidr };
	int res;

	fmt_snprintf(name, sizeof(name), "cpu@%llx", (unsigned long long)mpidr);
	res = fdt_begin_node(fdt, name);
	if (!res)
		res = fdt_property_string(fdt, "device_type", "cpu");
	if (!res)
		res = fdt_property_string(fdt, "compatible", "arm,armv8");
	if (!res)
		res = gfdt_prop_cells(fdt, "reg", reg + 2 - cells, cells);
	if (!res)
		res = fdt_property_string(fdt, "enable-method", "psci");
	if (!res)
		res = fdt_end_node(fdt);
	return res;
}

static int make_cpus_node(void *fdt, const struct guest_fdt_params *p)
{
	unsigned int cells = gfdt_cpu_cells(p);
	int res;

	res = fdt_begin_node(fdt, "cpus");
	if (!res)
		res = fdt_property_cell(fdt, "#address-cells", cells);
	if (!res)
		res = fdt_property_cell(fdt, "#size-cells", 0);
	for (unsigned int i = 0; !res && i < p->nr_vcpus; i++)
		res = make_cpu_node(fdt, p->vmpidr[i], cells);
	if (!res)
		res = fdt_end_node(fdt);
	return res;
}

static int make_memory_node(void *fdt, const struct guest_fdt_params *p)
{
	char name[GFDT_NAME_MAX];
	u64 reg[2] = { p->ram_base, p->ram_size };
	int res;

	fmt_snprintf(name, sizeof(name), "memory@%llx", (unsigned long long)p->ram_base);
	res = fdt_begin_node(fdt, name);
	if (!res)
		res = fdt_property_string(fdt, "device_type", "memory");
	if (!res)
		res = gfdt_prop_reg(fdt, reg, 1);
	if (!res)
		res = fdt_end_node(fdt);
	return res;
}

static int make_psci_node(void *fdt, const struct guest_fdt_params *p)
{
	static const char compat[] = "arm,psci-1.0\0arm,psci-0.2\0arm,psci";
	int res;

	res = fdt_begin_node(fdt, "psci");
	if (!res)
		res = fdt_property(fdt, "compatible", compat, sizeof(compat));
	if (!res)
		res = fdt_property_string(fdt, "method", p->psci_smc ? "smc" : "hvc");
	if (!res)
		res = fdt_end_node(fdt);
	return res;
}

/* Without a vGIC the timer keeps its node (an RTOS may look for it) but has no interrupts. */
static int make_timer_node(void *fdt, const struct guest_fdt_params *p)
{
	u32 irq[3 * ARRAY_SIZE(p->timer_ppis)];
	int res;

	for (unsigned int i = 0; i < ARRAY_SIZE(p->timer_ppis); i++) {
		irq[3 * i] = GFDT_IRQ_PPI;
		irq[3 * i + 1] = p->timer_ppis[i] - GFDT_PPI_FIRST;
		irq[3 * i + 2] = GFDT_IRQ_LEVEL_HIGH;
	}
	res = fdt_begin_node(fdt, "timer");
	if (!res)
		res = fdt_property_string(fdt, "compatible", "arm,armv8-timer");
	if (!res && p->irqchip)
		res = gfdt_prop_cells(fdt, "interrupts", irq, ARRAY_SIZE(irq));
	if (!res)
		res = fdt_property(fdt, "always-on", NULL, 0);
	if (!res)
		res = fdt_end_node(fdt);
	return res;
}

/* PMUv3; its overflow PPI only when there is one and a GIC to deliver it (else counting only). */
static int make_pmu_node(void *fdt, const struct guest_fdt_params *p)
{
	u32 irq[3] = { GFDT_IRQ_PPI, p->pmu_ppi - GFDT_PPI_FIRST, GFDT_IRQ_LEVEL_HIGH };
	int res;

	if (!p->pmu)
		return 0;
	res = fdt_begin_node(fdt, "pmu");
	if (!res)
		res = fdt_property_string(fdt, "compatible", "arm,armv8-pmuv3");
	if (!res && p->pmu_ppi && p->irqchip)
		res = gfdt_prop_cells(fdt, "interrupts", irq, ARRAY_SIZE(irq));
	if (!res)
		res = fdt_end_node(fdt);
	return res;
}

static int make_clock_node(void *fdt, const struct guest_fdt_params *p __unused)
{
	int res;

	res = fdt_begin_node(fdt, "apb-pclk");
	if (!res)
		res = fdt_property_string(fdt, "compatible", "fixed-clock");
	if (!res)
		res = fdt_property_cell(fdt, "#clock-cells", 0);
	if (!res)
		res = fdt_property_cell(fdt, "clock-frequency", GUEST_FDT_CLK_HZ);
	if (!res)
		res = fdt_property_string(fdt, "clock-output-names", "clk24mhz");
	if (!res)
		res = fdt_property_cell(fdt, "phandle", GUEST_FDT_PHANDLE_CLK);
	if (!res)
		res = fdt_end_node(fdt);
	return res;
}

/* Each device model writes its own node. */
static int make_device_nodes(void *fdt, const struct guest_fdt_params *p)
{
	int res = 0;

	for (unsigned int i = 0; !res && i < p->nr_devices; i++)
		res = p->devices[i].write_node(fdt, p->devices[i].dev, GUEST_FDT_PHANDLE_CLK);
	return res;
}

/* Length of the node path in a stdout-path value, which may carry ":options". */
static int gfdt_stdout_len(const char *path)
{
	const char *colon = strchr(path, ':');

	return colon ? (int)(colon - path) : (int)strlen(path);
}

static int make_chosen_node(void *fdt, const struct guest_fdt_params *p)
{
	int res;

	res = fdt_begin_node(fdt, "chosen");
	if (!res && p->bootargs && p->bootargs[0])
		res = fdt_property_string(fdt, "bootargs", p->bootargs);
	if (!res && p->stdout_path)
		res = fdt_property_string(fdt, "stdout-path", p->stdout_path);
	if (!res && p->initrd_size)
		res = fdt_property_u64(fdt, "linux,initrd-start", p->initrd_start);
	if (!res && p->initrd_size)
		res = fdt_property_u64(fdt, "linux,initrd-end", p->initrd_start + p->initrd_size);
	if (!res)
		res = fdt_end_node(fdt);
	return res;
}

/* serial0 is the stdout-path node without its options. */
static int make_aliases_node(void *fdt, const struct guest_fdt_params *p)
{
	void *val;
	int len, res;

	res = fdt_begin_node(fdt, "aliases");
	if (!res && p->stdout_path) {
		len = gfdt_stdout_len(p->stdout_path);
		res = fdt_property_placeholder(fdt, "serial0", len + 1, &val);
		if (!res) {
			memcpy(val, p->stdout_path, (size_t)len);
			((char *)val)[len] = '\0';
		}
	}
	if (!res)
		res = fdt_end_node(fdt);
	return res;
}

/* The root's subnodes in the order they are written. */
static const struct {
	const char *name;
	gfdt_make_fn make;
} gfdt_nodes[] = {
	{ "/cpus", make_cpus_node },	   /* cpu@<MPIDR> for each vCPU */
	{ "/memory", make_memory_node },   /* one range */
	{ "/psci", make_psci_node },	   /* PSCI 1.0 through the VM's conduit */
	{ "/timer", make_timer_node },	   /* interrupts only with a GIC */
	{ "/pmu", make_pmu_node },	   /* interrupts only with a GIC */
	{ "/apb-pclk", make_clock_node },  /* the clock device models reference */
	{ "device", make_device_nodes },   /* each model's own node (the GIC's too) */
	{ "/chosen", make_chosen_node },   /* bootargs, stdout-path, initrd */
	{ "/aliases", make_aliases_node }, /* serial0 */
};

static bool gfdt_is_ppi(u32 intid)
{
	return intid >= GFDT_PPI_FIRST && intid <= GFDT_PPI_LAST;
}

/* An error about VM @p's DT: "guest_fdt: vm<N>: " written once here, not in every message. */
static __printf(2, 3) void gfdt_err(const struct guest_fdt_params *p, const char *fmt, ...)
{
	char prefix[sizeof("guest_fdt: vm4294967295: ")];
	va_list ap;

	fmt_snprintf(prefix, sizeof(prefix), "guest_fdt: vm%u: ", p->vm_id);
	va_start(ap, fmt);
	vprintk_prefixed(LOG_ERR, prefix, fmt, ap);
	va_end(ap);
}

/* a + b, or false if it wraps past 2^64 or @b is 0. */
static bool gfdt_range_ok(u64 a, u64 b)
{
	return b != 0 && a + b > a;
}

static int gfdt_check_cpus(const struct guest_fdt_params *p)
{
	if (p->nr_vcpus == 0 || p->nr_vcpus > GUEST_FDT_MAX_VCPUS) {
		gfdt_err(p, "%u vCPUs (1..%u)\n", p->nr_vcpus, GUEST_FDT_MAX_VCPUS);
		return -TERN_EINVAL;
	}
	for (unsigned int i = 0; i < p->nr_vcpus; i++) {
		if (p->vmpidr[i] & ~MPIDR_HWID_MASK) {
			gfdt_err(p, "vCPU %u MPIDR 0x%llx has bits outside affinity\n", i,
				 (unsigned long long)p->vmpidr[i]);
			return -TERN_EINVAL;
		}
		for (unsigned int j = 0; j < i; j++) {
			if (p->vmpidr[j] == p->vmpidr[i]) {
				gfdt_err(p, "vCPUs %u and %u share MPIDR 0x%llx\n", j, i,
					 (unsigned long long)p->vmpidr[i]);
				return -TERN_EINVAL;
			}
		}
	}
	return 0;
}

static int gfdt_check_gic(const struct guest_fdt_params *p)
{
	if (!p->irqchip)
		return 0;
	for (unsigned int i = 0; i < ARRAY_SIZE(p->timer_ppis); i++) {
		if (!gfdt_is_ppi(p->timer_ppis[i])) {
			gfdt_err(p, "timer INTID %u is not a PPI\n", p->timer_ppis[i]);
			return -TERN_EINVAL;
		}
	}
	if (p->pmu_ppi && !gfdt_is_ppi(p->pmu_ppi)) {
		gfdt_err(p, "PMU INTID %u is not a PPI\n", p->pmu_ppi);
		return -TERN_EINVAL;
	}
	return 0;
}

/* Everything that would otherwise make a malformed tree; logged, -TERN_EINVAL. */
static int gfdt_check_params(const struct guest_fdt_params *p)
{
	u64 ram_end = p->ram_base + p->ram_size;
	int res;

	res = gfdt_check_cpus(p);
	if (!res)
		res = gfdt_check_gic(p);
	if (res)
		return res;
	if (!gfdt_range_ok(p->ram_base, p->ram_size)) {
		gfdt_err(p, "RAM 0x%llx size 0x%llx is empty or wraps\n",
			 (unsigned long long)p->ram_base, (unsigned long long)p->ram_size);
		return -TERN_EINVAL;
	}
	if (p->initrd_size &&
	    (!gfdt_range_ok(p->initrd_start, p->initrd_size) || p->initrd_start < p->ram_base ||
	     p->initrd_start + p->initrd_size > ram_end)) {
		gfdt_err(p, "initrd 0x%llx size 0x%llx is not inside guest RAM\n",
			 (unsigned long long)p->initrd_start, (unsigned long long)p->initrd_size);
		return -TERN_EINVAL;
	}
	if (p->stdout_path && p->stdout_path[0] != '/') {
		gfdt_err(p, "stdout-path \"%s\" is not an absolute node path\n", p->stdout_path);
		return -TERN_EINVAL;
	}
	if (p->nr_devices && !p->devices) {
		gfdt_err(p, "%u devices but no table\n", p->nr_devices);
		return -TERN_EINVAL;
	}
	for (unsigned int i = 0; i < p->nr_devices; i++) {
		if (!p->devices[i].write_node) {
			gfdt_err(p, "device %u has no write_node\n", i);
			return -TERN_EINVAL;
		}
	}
	return 0;
}

int guest_fdt_write(void *buf, size_t bufsize, const struct guest_fdt_params *p)
{
	const char *what = "header";
	int size = bufsize > INT_MAX ? INT_MAX : (int)bufsize;
	int res;

	if (!buf || !p)
		return -TERN_EINVAL;
	res = gfdt_check_params(p);
	if (res)
		return res;

	/*
	 * libfdt is built with FP/SIMD and without strict alignment: it runs only with the MMU on
	 * and before any guest runs. That is why the guest DT is written once, here at VM creation,
	 * and kept pristine for every start and reset.
	 */
	res = fdt_create(buf, size);
	if (!res)
		res = fdt_finish_reservemap(buf);
	if (!res)
		res = fdt_begin_node(buf, "");
	if (!res) {
		what = "/";
		res = make_root_props(buf, p);
	}
	for (unsigned int i = 0; !res && i < ARRAY_SIZE(gfdt_nodes); i++) {
		what = gfdt_nodes[i].name;
		res = gfdt_nodes[i].make(buf, p);
	}
	if (!res) {
		what = "/";
		res = fdt_end_node(buf);
	}
	if (!res) {
		what = "finish";
		res = fdt_finish(buf);
	}
	if (res)
		goto err;

	/* A stdout-path naming no node would leave the guest silent: a caller's bug. */
	if (p->stdout_path &&
	    fdt_path_offset_namelen(buf, p->stdout_path, gfdt_stdout_len(p->stdout_path)) < 0) {
		gfdt_err(p, "stdout-path \"%s\" names no node of the guest DT\n", p->stdout_path);
		return -TERN_EINVAL;
	}
	return 0;

err:
	gfdt_err(p, "writing %s: %s (buffer %zu bytes)\n", what, fdt_strerror(res), bufsize);
	return res == -FDT_ERR_NOSPACE ? -TERN_ENOSPC : -TERN_EINVAL;
}
