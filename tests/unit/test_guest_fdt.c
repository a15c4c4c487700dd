// SPDX-License-Identifier: GPL-2.0-only
/* The guest DT writer: every node and property read back with host libfdt, and dtc must agree. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <libfdt.h>
#include <tern/errno.h>
#include <tern/guest_fdt.h>
#include "stub_printk.h"

#define BUF_SIZE 0x10000

static unsigned char buf[BUF_SIZE];

/* A fake PL011 model: owns its node and uses the fixed clock. */
static int fake_uart_write_node(void *fdt, const void *dev, u32 clk_phandle)
{
	const u64 *base = dev;
	const fdt32_t reg[4] = { cpu_to_fdt32(*base >> 32), cpu_to_fdt32((u32)*base), 0,
				 cpu_to_fdt32(0x1000) };
	const fdt32_t irq[3] = { 0, cpu_to_fdt32(1), cpu_to_fdt32(4) };
	const fdt32_t clocks[2] = { cpu_to_fdt32(clk_phandle), cpu_to_fdt32(clk_phandle) };
	static const char compat[] = "arm,pl011\0arm,primecell";
	static const char clock_names[] = "uartclk\0apb_pclk";
	char name[32];
	int res;

	snprintf(name, sizeof(name), "pl011@%llx", (unsigned long long)*base);
	res = fdt_begin_node(fdt, name);
	if (!res)
		res = fdt_property(fdt, "compatible", compat, sizeof(compat));
	if (!res)
		res = fdt_property(fdt, "reg", reg, sizeof(reg));
	if (!res)
		res = fdt_property(fdt, "interrupts", irq, sizeof(irq));
	if (!res)
		res = fdt_property(fdt, "clocks", clocks, sizeof(clocks));
	if (!res)
		res = fdt_property(fdt, "clock-names", clock_names, sizeof(clock_names));
	if (!res)
		res = fdt_end_node(fdt);
	return res;
}

static int failing_write_node(void *fdt, const void *dev, u32 clk_phandle)
{
	return -FDT_ERR_BADVALUE;
}

/* A fake interrupt controller: the vGIC device writes the real one (tested with vm_create). */
static int fake_gic_write_node(void *fdt, const void *dev, u32 clk_phandle)
{
	const fdt32_t reg[4] = { 0, cpu_to_fdt32(0x8000000), 0, cpu_to_fdt32(0x10000) };
	int res = fdt_begin_node(fdt, "intc@8000000");

	if (!res)
		res = fdt_property_string(fdt, "compatible", "arm,gic-v3");
	if (!res)
		res = fdt_property_cell(fdt, "#interrupt-cells", 3);
	if (!res)
		res = fdt_property_cell(fdt, "#address-cells", 0);
	if (!res)
		res = fdt_property(fdt, "interrupt-controller", NULL, 0);
	if (!res)
		res = fdt_property(fdt, "reg", reg, sizeof(reg));
	if (!res)
		res = fdt_property_cell(fdt, "phandle", GUEST_FDT_PHANDLE_GIC);
	if (!res)
		res = fdt_end_node(fdt);
	return res;
}

static const u64 uart_base = 0x9000000;
/* What a VM with a vGIC and a PL011 hands over: each device writes its node. */
static const struct guest_fdt_device gic_uart_devs[] = {
	{ fake_gic_write_node, NULL },
	{ fake_uart_write_node, &uart_base },
};

static struct guest_fdt_params base_params(unsigned int nr_vcpus, bool gic)
{
	struct guest_fdt_params p = {
		.vm_id = 3,
		.nr_vcpus = nr_vcpus,
		.ram_base = 0x40000000,
		.ram_size = 0x8000000,
		.irqchip = gic,
		.timer_ppis = { 29, 30, 27, 26 },
		/* With a GIC, its device's node; tests add the UART by raising nr_devices. */
		.nr_devices = gic ? 1 : 0,
		.devices = gic ? gic_uart_devs : NULL,
	};

	for (unsigned int i = 0; i < nr_vcpus; i++)
		p.vmpidr[i] = i;
	return p;
}

static void write_ok(const struct guest_fdt_params *p)
{
	int res;

	stub_printk_reset();
	memset(buf, 0xa5, sizeof(buf));
	res = guest_fdt_write(buf, sizeof(buf), p);
	if (res)
		fail_msg("guest_fdt_write: %d; log:\n%s", res, stub_printk_log());
	assert_string_equal(stub_printk_log(), "");
	assert_int_equal(fdt_check_full(buf, fdt_totalsize(buf)), 0);
	assert_true(fdt_totalsize(buf) <= sizeof(buf));
	assert_int_equal(fdt_num_mem_rsv(buf), 0);
}

static int node(const char *path)
{
	int off = fdt_path_offset(buf, path);

	if (off < 0)
		fail_msg("no node %s: %s", path, fdt_strerror(off));
	return off;
}

static const void *prop(int off, const char *name, int len)
{
	int got;
	const void *v = fdt_getprop(buf, off, name, &got);

	if (!v)
		fail_msg("no property %s", name);
	if (len >= 0 && got != len)
		fail_msg("property %s: %d bytes, expected %d", name, got, len);
	return v;
}

static void assert_absent(int off, const char *name)
{
	if (fdt_getprop(buf, off, name, NULL))
		fail_msg("unexpected property %s", name);
}

static void assert_cells(int off, const char *name, const u32 *cells, unsigned int n)
{
	const fdt32_t *v = prop(off, name, (int)(n * 4));

	for (unsigned int i = 0; i < n; i++)
		if (fdt32_ld(&v[i]) != cells[i])
			fail_msg("%s[%u] = 0x%x, expected 0x%x", name, i, fdt32_ld(&v[i]),
				 cells[i]);
}

static u32 cell(int off, const char *name)
{
	return fdt32_ld(prop(off, name, 4));
}

static u64 u64prop(int off, const char *name)
{
	return fdt64_ld(prop(off, name, 8));
}

static void assert_str(int off, const char *name, const char *val)
{
	assert_string_equal(prop(off, name, (int)strlen(val) + 1), val);
}

/* The phandle property @name of @off (cell @index) names node @path. */
static void assert_phandle_ref(int off, const char *name, int index, const char *path)
{
	const fdt32_t *v = prop(off, name, -1);
	int target = fdt_node_offset_by_phandle(buf, fdt32_ld(&v[index]));

	assert_true(target >= 0);
	assert_int_equal(target, node(path));
}

/* dtc decompiles the blob, without a single warning. */
static void assert_dtc_accepts(void)
{
	char blob[] = "/tmp/unit-guest-fdt-XXXXXX";
	char cmd[512], err[4096] = "";
	int fd = mkstemp(blob);
	FILE *f;
	size_t n;
	int status;

	assert_true(fd >= 0);
	assert_int_equal(write(fd, buf, fdt_totalsize(buf)), (ssize_t)fdt_totalsize(buf));
	close(fd);
	snprintf(cmd, sizeof(cmd), "%s -I dtb -O dts -o /dev/null %s 2>&1", UNIT_DTC, blob);
	f = popen(cmd, "r");
	assert_non_null(f);
	n = fread(err, 1, sizeof(err) - 1, f);
	err[n] = '\0';
	status = pclose(f);
	unlink(blob);
	if (status != 0 || n != 0)
		fail_msg("dtc (status %d) says:\n%s", status, err);
}

/* Every node and property the writer promises for @p. */
static void check_tree(const struct guest_fdt_params *p)
{
	static const char psci_compat[] = "arm,psci-1.0\0arm,psci-0.2\0arm,psci";
	int root = node("/"), cpus, off, n;
	char path[64], model[32];

	assert_int_equal(cell(root, "#address-cells"), 2);
	assert_int_equal(cell(root, "#size-cells"), 2);
	assert_str(root, "compatible", "linux,dummy-virt");
	snprintf(model, sizeof(model), "Tern VM %u", p->vm_id);
	assert_str(root, "model", model);
	if (p->irqchip)
		assert_phandle_ref(root, "interrupt-parent", 0, "/intc@8000000");
	else
		assert_absent(root, "interrupt-parent");

	cpus = node("/cpus");
	assert_int_equal(cell(cpus, "#address-cells"), 1);
	assert_int_equal(cell(cpus, "#size-cells"), 0);
	n = 0;
	fdt_for_each_subnode(off, buf, cpus) n++;
	assert_int_equal(n, p->nr_vcpus);
	for (unsigned int i = 0; i < p->nr_vcpus; i++) {
		snprintf(path, sizeof(path), "/cpus/cpu@%llx", (unsigned long long)p->vmpidr[i]);
		off = node(path);
		assert_str(off, "device_type", "cpu");
		assert_str(off, "compatible", "arm,armv8");
		assert_int_equal(cell(off, "reg"), p->vmpidr[i]);
		assert_str(off, "enable-method", "psci");
	}

	off = node("/memory@40000000");
	assert_str(off, "device_type", "memory");
	assert_cells(off, "reg", (const u32[]){ 0, 0x40000000, 0, 0x8000000 }, 4);

	off = node("/psci");
	assert_memory_equal(prop(off, "compatible", sizeof(psci_compat)), psci_compat,
			    sizeof(psci_compat));
	assert_int_equal(fdt_stringlist_count(buf, off, "compatible"), 3);
	assert_str(off, "method", p->psci_smc ? "smc" : "hvc");

	off = node("/timer");
	assert_str(off, "compatible", "arm,armv8-timer");
	prop(off, "always-on", 0);
	if (p->irqchip)
		assert_cells(off, "interrupts",
			     (const u32[]){ 1, 13, 4, 1, 14, 4, 1, 11, 4, 1, 10, 4 }, 12);
	else
		assert_absent(off, "interrupts");

	/* The interrupt controller's node is its device's; only whether it is there is ours. */
	off = fdt_path_offset(buf, "/intc@8000000");
	if (p->irqchip)
		assert_int_equal(cell(off, "phandle"), GUEST_FDT_PHANDLE_GIC);
	else
		assert_int_equal(off, -FDT_ERR_NOTFOUND);

	off = node("/apb-pclk");
	assert_str(off, "compatible", "fixed-clock");
	assert_int_equal(cell(off, "#clock-cells"), 0);
	assert_int_equal(cell(off, "clock-frequency"), 24000000);
	assert_str(off, "clock-output-names", "clk24mhz");
	assert_int_equal(cell(off, "phandle"), GUEST_FDT_PHANDLE_CLK);

	off = node("/chosen");
	if (p->bootargs && p->bootargs[0])
		assert_str(off, "bootargs", p->bootargs);
	else
		assert_absent(off, "bootargs");
	if (p->stdout_path)
		assert_str(off, "stdout-path", p->stdout_path);
	else
		assert_absent(off, "stdout-path");
	if (p->initrd_size) {
		assert_int_equal(u64prop(off, "linux,initrd-start"), p->initrd_start);
		assert_int_equal(u64prop(off, "linux,initrd-end"),
				 p->initrd_start + p->initrd_size);
	} else {
		assert_absent(off, "linux,initrd-start");
		assert_absent(off, "linux,initrd-end");
	}

	off = node("/aliases");
	if (p->stdout_path)
		assert_string_equal(fdt_get_alias(buf, "serial0"), "/pl011@9000000");
	else
		assert_null(fdt_get_alias(buf, "serial0"));

	assert_dtc_accepts();
}

static void test_one_vcpu_minimal(void **state)
{
	struct guest_fdt_params p = base_params(1, false);

	write_ok(&p);
	check_tree(&p);
	/* Nothing beyond what was asked for. */
	assert_int_equal(fdt_path_offset(buf, "/pl011@9000000"), -FDT_ERR_NOTFOUND);
}

static void test_four_vcpus_gic_initrd(void **state)
{
	struct guest_fdt_params p = base_params(4, true);

	p.bootargs = "console=ttyAMA0 earlycon rdinit=/init";
	p.initrd_start = 0x47c00000;
	p.initrd_size = 0x123456;
	p.stdout_path = "/pl011@9000000";
	p.nr_devices = 2;
	p.devices = gic_uart_devs;
	write_ok(&p);
	check_tree(&p);

	/* The device's node: its interrupts go to the root's interrupt-parent, its clocks resolve.
	 */
	int uart = node("/pl011@9000000");
	assert_int_equal(fdt_node_offset_by_compatible(buf, -1, "arm,pl011"), uart);
	assert_phandle_ref(uart, "clocks", 0, "/apb-pclk");
	assert_phandle_ref(uart, "clocks", 1, "/apb-pclk");
	assert_int_equal(fdt_parent_offset(buf, uart), 0);
}

/* /pmu: with interrupts (PPI 7 level-high) only for a GIC and a PPI; none without a PMU. */
static void test_pmu_node(void **state)
{
	struct guest_fdt_params p = base_params(2, true);
	const fdt32_t *irq;
	int pmu;

	p.pmu = true;
	p.pmu_ppi = 23;
	write_ok(&p);
	check_tree(&p);
	pmu = node("/pmu");
	assert_int_equal(fdt_node_check_compatible(buf, pmu, "arm,armv8-pmuv3"), 0);
	irq = prop(pmu, "interrupts", 12);
	assert_int_equal(fdt32_to_cpu(irq[0]), 1);
	assert_int_equal(fdt32_to_cpu(irq[1]), 7);
	assert_int_equal(fdt32_to_cpu(irq[2]), 4);

	p.pmu_ppi = 0; /* no host PMU interrupt: counting only */
	write_ok(&p);
	assert_absent(node("/pmu"), "interrupts");
	p = base_params(2, false);
	p.pmu = true;
	p.pmu_ppi = 23; /* no GIC to deliver it */
	write_ok(&p);
	assert_absent(node("/pmu"), "interrupts");
	p.pmu = false;
	write_ok(&p);
	assert_int_equal(fdt_path_offset(buf, "/pmu"), -FDT_ERR_NOTFOUND);
}

static void test_eight_vcpus_options(void **state)
{
	struct guest_fdt_params p = base_params(8, true);

	/* Cluster-style affinities: Aff1 = cluster, Aff0 = core. */
	for (unsigned int i = 0; i < 8; i++)
		p.vmpidr[i] = ((u64)(i / 4) << 8) | (i % 4);
	p.bootargs = "";
	p.stdout_path = "/pl011@9000000:115200n8";
	p.nr_devices = 2;
	p.devices = gic_uart_devs;
	p.psci_smc = true; /* the VM's conduit is SMC: "method" says so */
	write_ok(&p);
	check_tree(&p);
	node("/cpus/cpu@103");
}

static void test_aff3_two_cells(void **state)
{
	struct guest_fdt_params p = base_params(2, true);
	const fdt32_t *reg;
	int off;

	p.vmpidr[1] = 0x100000000ULL;
	write_ok(&p);
	assert_int_equal(fdt_address_cells(buf, node("/cpus")), 2);
	reg = prop(node("/cpus/cpu@0"), "reg", 8);
	assert_int_equal(fdt32_ld(&reg[1]), 0);
	off = node("/cpus/cpu@100000000");
	reg = prop(off, "reg", 8);
	assert_int_equal(fdt32_ld(&reg[0]), 1);
	assert_int_equal(fdt32_ld(&reg[1]), 0);
	assert_dtc_accepts();
}

/* Every buffer size short of the blob's own is refused, without a byte written past it. */
static void test_enospc(void **state)
{
	struct guest_fdt_params p = base_params(8, true);
	size_t need;

	p.bootargs = "console=ttyAMA0";
	p.stdout_path = "/pl011@9000000";
	p.initrd_start = 0x47000000;
	p.initrd_size = 0x1000;
	p.nr_devices = 2;
	p.devices = gic_uart_devs;
	write_ok(&p);
	need = fdt_totalsize(buf);
	for (size_t size = 0; size < need; size++) {
		void *small = malloc(size ? size : 1);

		assert_non_null(small);
		stub_printk_reset();
		assert_int_equal(guest_fdt_write(small, size, &p), -TERN_ENOSPC);
		assert_true(stub_printk_contains(fdt_strerror(-FDT_ERR_NOSPACE)));
		assert_true(stub_printk_contains("guest_fdt: vm3: writing "));
		free(small);
	}
	void *exact = malloc(need);
	assert_int_equal(guest_fdt_write(exact, need, &p), 0);
	assert_int_equal(fdt_totalsize(exact), need);
	free(exact);
}

static void expect_einval(const struct guest_fdt_params *p, const char *msg)
{
	stub_printk_reset();
	assert_int_equal(guest_fdt_write(buf, sizeof(buf), p), -TERN_EINVAL);
	if (!stub_printk_contains(msg))
		fail_msg("log lacks \"%s\"; log:\n%s", msg, stub_printk_log());
}

static void test_bad_params(void **state)
{
	struct guest_fdt_params p = base_params(1, true);
	const struct guest_fdt_device failing = { failing_write_node, NULL };
	const struct guest_fdt_device no_fn = { NULL, NULL };

	assert_int_equal(guest_fdt_write(NULL, 16, &p), -TERN_EINVAL);

	p = base_params(1, true);
	p.nr_vcpus = 0;
	expect_einval(&p, "guest_fdt: vm3: 0 vCPUs (1..8)\n");
	p.nr_vcpus = 9;
	expect_einval(&p, "9 vCPUs");

	p = base_params(2, true);
	p.vmpidr[1] = 0x80000001;
	expect_einval(&p, "vCPU 1 MPIDR 0x80000001 has bits outside affinity");
	p.vmpidr[1] = 0;
	expect_einval(&p, "vCPUs 0 and 1 share MPIDR 0x0");

	p = base_params(1, true);
	p.timer_ppis[2] = 15;
	expect_einval(&p, "timer INTID 15 is not a PPI");

	p = base_params(1, false);
	p.ram_size = 0;
	expect_einval(&p, "RAM 0x40000000 size 0x0 is empty or wraps");
	p = base_params(1, false);
	p.initrd_start = 0x47fff000;
	p.initrd_size = 0x2000;
	expect_einval(&p, "initrd 0x47fff000 size 0x2000 is not inside guest RAM");
	p.initrd_start = ~0ULL;
	expect_einval(&p, "is not inside guest RAM");

	p = base_params(1, false);
	p.stdout_path = "pl011@9000000";
	expect_einval(&p, "is not an absolute node path");
	p.stdout_path = "/pl011@9000000";
	expect_einval(&p, "stdout-path \"/pl011@9000000\" names no node of the guest DT");

	p.stdout_path = NULL;
	p.nr_devices = 1;
	expect_einval(&p, "1 devices but no table");
	p.devices = &no_fn;
	expect_einval(&p, "device 0 has no write_node");
	p.devices = &failing;
	expect_einval(&p, "guest_fdt: vm3: writing device: ");
	assert_true(stub_printk_contains(fdt_strerror(-FDT_ERR_BADVALUE)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_one_vcpu_minimal),
		cmocka_unit_test(test_four_vcpus_gic_initrd),
		cmocka_unit_test(test_pmu_node),
		cmocka_unit_test(test_eight_vcpus_options),
		cmocka_unit_test(test_aff3_two_cells),
		cmocka_unit_test(test_enospc),
		cmocka_unit_test(test_bad_params),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
