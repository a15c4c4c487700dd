// SPDX-License-Identifier: GPL-2.0-only
/* Platform discovery against the DTBs built from tests/dts (found under $UNIT_DATA/dtb). */
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
#include <tern/fdt_util.h>
#include <tern/console_drv.h>
#include <tern/irqchip.h>
#include <tern/platform.h>
#include "stub_printk.h"
#include "unit_helpers.h"

static struct platform plat;
static void *blob;
static size_t blob_size;

static void *load_dtb(const char *name, size_t *size)
{
	char rel[256];

	snprintf(rel, sizeof(rel), "dtb/%s.dtb", name);
	return unit_load_data(rel, size);
}

static void use_blob(void *b, size_t size)
{
	free(blob);
	blob = b;
	blob_size = size;
}

/* Discover from tests/dts/<name>.dts; the blob stays alive until the next call (pointers). */
static int discover(const char *name, u64 mpidr, unsigned int max_vms)
{
	size_t size;
	void *b = load_dtb(name, &size);

	use_blob(b, size);
	stub_printk_reset();
	return platform_discover(&plat, blob, blob_size, mpidr, max_vms);
}

static void assert_logged(const char *needle)
{
	if (!stub_printk_contains(needle))
		fail_msg("log lacks \"%s\"; log:\n%s", needle, stub_printk_log());
}

static int teardown(void **state)
{
	use_blob(NULL, 0);
	return 0;
}

/*
 * A well-formed tree whose header says version 15 (last compatible 1): Debian's libfdt 1.6.1
 * dereferences NULL in fdt_check_full() on it (found by tests/fuzz/fuzz_platform_fdt.c), so Tern
 * refuses it first, with an error naming the version.
 */
static void test_old_version(void **state)
{
	size_t size;
	fdt32_t *hdr = load_dtb("virt4", &size);

	(void)state;
	use_blob(hdr, size);
	for (u32 v = 2; v < 17; v++) {
		hdr[5] = cpu_to_fdt32(v); /* version */
		hdr[6] = cpu_to_fdt32(1); /* last_comp_version */
		stub_printk_reset();
		assert_int_equal(platform_discover(&plat, blob, blob_size, 0, 2), -TERN_EINVAL);
		assert_logged("Tern needs version 17");
	}
}

/*
 * A property whose length is -12: its end wraps back onto its own tag, and Debian's libfdt 1.6.1
 * walks that forever in fdt_check_full() (found by tests/fuzz/fuzz_platform_fdt.c). Tern's own
 * tag walk refuses it first; an alarm turns a regression into a failure instead of a hang.
 */
static void test_wrapping_property(void **state)
{
	size_t size;
	unsigned char *b = load_dtb("virt4", &size);
	int prop;

	(void)state;
	use_blob(b, size);
	prop = fdt_first_property_offset(blob, 0);
	assert_true(prop >= 0);
	/* struct fdt_property: tag, len, nameoff. */
	((fdt32_t *)(b + fdt_off_dt_struct(b) + (unsigned int)prop))[1] = cpu_to_fdt32(-12);
	stub_printk_reset();
	alarm(10);
	assert_int_equal(platform_discover(&plat, blob, blob_size, 0, 2), -TERN_EINVAL);
	alarm(0);
	assert_logged(fdt_strerror(-FDT_ERR_BADSTRUCTURE));
}

static void test_virt4(void **state)
{
	assert_int_equal(discover("virt4", 0, 2), 0);
	assert_string_equal(stub_printk_log(), "");
	assert_ptr_equal((void *)plat.dtb_base, blob);
	assert_int_equal(plat.dtb_size, fdt_totalsize(blob));

	assert_int_equal(plat.nr_mem, 1);
	assert_int_equal(plat.mem[0].base, 0x40000000);
	assert_int_equal(plat.mem[0].size, 0x40000000);
	assert_int_equal(platform_ram_total(&plat), 1ULL << 30);
	assert_int_equal(plat.nr_rsv, 0);

	assert_int_equal(plat.nr_cpus, 4);
	for (unsigned int i = 0; i < 4; i++) {
		assert_int_equal(plat.cpus[i].mpidr, i);
		assert_int_equal(plat.cpus[i].enable, CPU_ENABLE_PSCI);
	}

	assert_non_null(plat.irqchip.drv);
	assert_string_equal(plat.irqchip.drv->name, "gicv3");
	assert_string_equal(plat.irqchip.path, "/intc@8000000");
	assert_int_equal(plat.irqchip.nr_regs, 2);
	assert_int_equal(plat.irqchip.regs[0].base, 0x08000000);
	assert_int_equal(plat.irqchip.regs[0].size, 0x10000);
	assert_int_equal(plat.irqchip.regs[1].base, 0x080a0000);
	assert_int_equal(plat.irqchip.regs[1].size, 0xf60000);
	assert_int_equal(plat.irqchip.maint_intid, 25);

	assert_non_null(plat.console.drv);
	assert_string_equal(plat.console.drv->name, "pl011");
	assert_int_equal(plat.console.base, 0x09000000);
	assert_int_equal(plat.console.size, 0x1000);
	assert_int_equal(plat.console.intid, 33);
	assert_true(plat.console.from_stdout_path);
	assert_string_equal(plat.console.path, "/pl011@9000000");

	assert_int_equal(plat.timer.sec_phys_intid, 29);
	assert_int_equal(plat.timer.phys_intid, 30);
	assert_int_equal(plat.timer.virt_intid, 27);
	assert_int_equal(plat.timer.hyp_phys_intid, 26);
	assert_int_equal(plat.timer.hyp_virt_intid, 0);
	assert_int_equal(plat.timer.freq, 0);

	assert_int_equal(plat.psci.version, PLATFORM_PSCI_VERSION(1, 0));
	assert_int_equal(plat.psci.method, PSCI_METHOD_SMC);
	assert_string_equal(plat.bootargs, "loglevel=7");
	assert_int_equal(plat.nr_modules, 0);
}

static void test_virt4_summary(void **state)
{
	char dtb_line[128];

	assert_int_equal(discover("virt4", 0, 2), 0);
	platform_print_summary(&plat);
	snprintf(dtb_line, sizeof(dtb_line), "platform: dtb 0x%llx size 0x%x\n",
		 (unsigned long long)(uintptr_t)blob, (unsigned int)fdt_totalsize(blob));
	assert_logged(dtb_line);
	assert_logged("platform: ram 0x0000000040000000-0x000000007fffffff (1024 MiB)\n");
	assert_logged("platform: ram total 1024 MiB in 1 range(s)\n");
	assert_false(stub_printk_contains("platform: reserved"));
	assert_logged("platform: cpus 4: 0x0 0x1 0x2 0x3\n");
	assert_logged("platform: irqchip gicv3 (/intc@8000000) regs 0x8000000+0x10000 "
		      "0x80a0000+0xf60000 maint intid 25\n");
	assert_logged("platform: console pl011 0x09000000 intid 33 (stdout-path /pl011@9000000)\n");
	assert_logged("platform: timer intids sphys 29 phys 30 virt 27 hyp 26 freq from CNTFRQ\n");
	assert_logged("platform: psci 1.0 via smc\n");
	assert_logged("platform: bootargs \"loglevel=7\"\n");
	assert_false(stub_printk_contains("platform: vm"));
}

static void test_boot_cpu(void **state)
{
	/* MPIDR_EL1 as read: RES1 bit 31 set; the boot CPU moves to index 0. */
	assert_int_equal(discover("virt4", 0x80000002, 2), 0);
	assert_int_equal(plat.cpus[0].mpidr, 2);
	assert_int_equal(plat.cpus[1].mpidr, 0);
	assert_int_equal(plat.cpus[2].mpidr, 1);
	assert_int_equal(plat.cpus[3].mpidr, 3);
	assert_int_equal(platform_cpu_index(&plat, 0x80000003), 3);
	assert_int_equal(platform_cpu_index(&plat, 0x7), -TERN_ENOENT);

	assert_int_equal(discover("virt4", 0x7, 2), -TERN_ENODEV);
	assert_logged("platform: boot CPU (MPIDR 0x7) is not among the 4 CPU nodes in /cpus\n");
}

static void test_twomem(void **state)
{
	assert_int_equal(discover("twomem", 0x100, 2), 0);

	assert_int_equal(plat.nr_mem, 3);
	assert_int_equal(plat.mem[0].base, 0x80000000);
	assert_int_equal(plat.mem[1].base, 0xc0000000);
	assert_int_equal(plat.mem[1].size, 0x20000000);
	assert_int_equal(plat.mem[2].base, 0x880000000);
	assert_int_equal(platform_ram_total(&plat), 0xe0000000);
	/* Across the seam of two adjacent ranges, and past the end of the second. */
	assert_true(platform_in_ram(&plat, 0xbfff0000, 0x20000));
	assert_false(platform_in_ram(&plat, 0xdfff0000, 0x20000));
	assert_false(platform_in_ram(&plat, 0x40000000, 0x1000));

	assert_int_equal(plat.nr_rsv, 4);
	assert_int_equal(plat.rsv[0].base, 0x80000000);
	assert_int_equal(plat.rsv[0].size, 0x10000);
	assert_false(plat.rsv[0].nomap);
	assert_int_equal(plat.rsv[1].base, 0x80100000);
	assert_true(plat.rsv[1].nomap);
	assert_int_equal(plat.rsv[2].base, 0xdff00000);
	assert_int_equal(plat.rsv[2].size, 0x200000);
	assert_int_equal(plat.rsv[3].base, 0x880000000);
	assert_logged("platform: /reserved-memory/shm@dff00000: reserved 0xdff00000-0xe00fffff is "
		      "not inside RAM; kept\n");
	assert_logged("platform: /reserved-memory/dynamic: no \"reg\"");

	assert_int_equal(plat.nr_cpus, 3);
	assert_int_equal(plat.cpus[0].mpidr, 0x100);
	assert_int_equal(plat.cpus[1].mpidr, 0x0);
	assert_int_equal(plat.cpus[1].enable, CPU_ENABLE_SPIN_TABLE);
	assert_int_equal(plat.cpus[1].release_addr, 0x8000fff8);
	assert_int_equal(plat.cpus[2].mpidr, 0x100000000);

	assert_int_equal(plat.irqchip.nr_regs, 3);
	assert_int_equal(plat.irqchip.regs[2].base, 0x2f300000);
	/* Behind soc@0's "ranges": 0x1000000 on the bus is 0x11000000 for the CPU. */
	assert_int_equal(plat.console.base, 0x11000000);
	assert_int_equal(plat.console.intid, 72);
	assert_false(plat.console.from_stdout_path);
	assert_string_equal(plat.console.path, "/soc@0/serial@1000000");
	assert_int_equal(plat.timer.hyp_virt_intid, 28);
	assert_int_equal(plat.timer.freq, 100000000);
	assert_int_equal(plat.psci.version, PLATFORM_PSCI_VERSION(0, 2));
	assert_null(plat.bootargs);

	stub_printk_reset();
	platform_print_summary(&plat);
	assert_logged("platform: ram 0x0000000880000000-0x00000008ffffffff (2048 MiB)\n");
	assert_logged("platform: ram total 3584 MiB in 3 range(s)\n");
	assert_logged("platform: reserved 0x0000000080000000 - 0x000000008000ffff\n");
	assert_logged("platform: reserved 0x0000000080100000 - 0x00000000801fffff [no-map]\n");
	assert_logged("platform: cpus 3: 0x100 0x0 0x100000000\n");
	assert_logged(
	    "platform: irqchip gicv3 (/interrupt-controller@2f000000) regs 0x2f000000+0x10000 "
	    "0x2f100000+0x100000 0x2f300000+0x100000 maint intid 25\n");
	assert_logged("platform: console pl011 0x11000000 intid 72 (first known "
		      "/soc@0/serial@1000000)\n");
	assert_logged("platform: timer intids sphys 29 phys 30 virt 27 hyp 26 hvirt 28 freq "
		      "100000000 Hz\n");
	assert_logged("platform: psci 0.2 via smc\n");
	assert_logged("platform: bootargs none\n");
}

static void test_modules(void **state)
{
	const struct platform_module *m;

	assert_int_equal(discover("modules", 0, 2), 0);
	assert_string_equal(stub_printk_log(), "");
	assert_true(plat.console.from_stdout_path);
	assert_string_equal(plat.console.path, "/pl011@9000000");

	assert_int_equal(plat.nr_modules, 5);
	m = platform_module_find(&plat, 0, MODULE_KERNEL);
	assert_non_null(m);
	assert_int_equal(m->base, 0x48200000);
	assert_int_equal(m->size, 0x1000);
	assert_string_equal(m->bootargs, "console=ttyAMA0");
	m = platform_module_find(&plat, 0, MODULE_RAMDISK);
	assert_non_null(m);
	assert_int_equal(m->base, 0x48400000);
	assert_null(m->bootargs);
	assert_null(platform_module_find(&plat, 0, MODULE_DEVICE_TREE));
	m = platform_module_find(&plat, 1, MODULE_KERNEL);
	assert_non_null(m);
	assert_int_equal(m->base, 0x49000000);
	assert_int_equal(m->size, 0x800000);
	assert_non_null(platform_module_find(&plat, 1, MODULE_DEVICE_TREE));
	m = platform_module_find(&plat, 1, MODULE_DISK);
	assert_non_null(m);
	assert_int_equal(m->vm, 1);

	platform_print_summary(&plat);
	assert_logged("platform: vm0 kernel 0x48200000+0x1000 bootargs \"console=ttyAMA0\"\n");
	assert_logged("platform: vm0 ramdisk 0x48400000+0x2000\n");
	assert_logged("platform: vm1 kernel 0x49000000+0x800000\n");
	assert_logged("platform: vm1 device-tree 0x4a000000+0x10000\n");
	assert_logged("platform: vm1 disk 0x4b000000+0x100000\n");
}

static void test_modules_vm_limit(void **state)
{
	assert_int_equal(discover("modules", 0, 1), -TERN_ERANGE);
	assert_logged("platform: /chosen/vm1: tern,id 1 is out of range (this build supports 1 "
		      "VMs, CONFIG_NR_VMS)\n");
}

static void test_bad_modules(void **state)
{
	assert_int_equal(discover("bad-mod-overlap", 0, 2), -TERN_EBUSY);
	assert_logged("platform: /chosen/vm0/module@48300000: module 0x48300000+0x1000 overlaps "
		      "/chosen/vm0/module@48200000 0x48200000+0x200000\n");

	assert_int_equal(discover("bad-mod-outside", 0, 2), -TERN_ERANGE);
	assert_logged("platform: /chosen/vm0/module@7ff00000: module 0x7ff00000-0x800fffff is "
		      "outside RAM\n");

	assert_int_equal(discover("bad-mod-twokernels", 0, 2), -TERN_EEXIST);
	assert_logged("platform: /chosen/vm0/module@48400000: second kernel for vm0 (the first is "
		      "/chosen/vm0/module@48200000)\n");
}

static void test_disks(void **state)
{
	const struct platform_module *m;
	const struct platform_host_disk *d;

	assert_int_equal(discover("disks", 0, 2), 0);
	m = platform_module_find(&plat, 0, MODULE_DISK);
	assert_non_null(m);
	assert_true(m->read_only);
	assert_false(platform_module_find(&plat, 0, MODULE_KERNEL)->read_only);
	assert_null(platform_host_disk_find(&plat, 0));
	d = platform_host_disk_find(&plat, 1);
	assert_non_null(d);
	assert_int_equal(d->index, 1);
	assert_int_equal(d->offset, 1ULL << 32);
	assert_int_equal(d->size, 0x8000000);
	assert_false(d->read_only);
	assert_null(platform_module_find(&plat, 1, MODULE_DISK));
	/* The machine's transports in DT order; a disabled one is not there. */
	assert_int_equal(plat.nr_virtio, 2);
	assert_int_equal(plat.virtio[0].base, 0xa000200);
	assert_int_equal(plat.virtio[0].intid, 49);
	assert_true(plat.virtio[0].dma_coherent);
	assert_int_equal(plat.virtio[1].base, 0xa000000);
	assert_int_equal(plat.virtio[1].size, 0x200);
	assert_int_equal(plat.virtio[1].intid, 48);
	assert_false(plat.virtio[1].dma_coherent);
}

static void test_bad_disks(void **state)
{
	assert_int_equal(discover("bad-two-disks", 0, 2), -TERN_EEXIST);
	assert_logged("platform: /chosen/vm0/disk: vm0 already has a disk\n");
	assert_int_equal(discover("bad-host-disk", 0, 2), -TERN_EINVAL);
	assert_logged("platform: /chosen/vm0/disk: \"tern,region\" must be <offset size>, 2 cells "
		      "each\n");
}

/* A GICv2 host is matched by its own driver, its four regions in the binding's order. */
static void test_gicv2(void **state)
{
	assert_int_equal(discover("virt-gicv2", 0, 2), 0);
	assert_non_null(plat.irqchip.drv);
	assert_string_equal(plat.irqchip.drv->name, "gicv2");
	assert_int_equal(plat.irqchip.nr_regs, 4);
	assert_int_equal(plat.irqchip.regs[0].base, 0x08000000);
	assert_int_equal(plat.irqchip.regs[1].base, 0x08010000);
	assert_int_equal(plat.irqchip.regs[2].base, 0x08030000);
	assert_int_equal(plat.irqchip.regs[3].base, 0x08040000);
	assert_int_equal(plat.irqchip.regs[3].size, 0x10000);
	assert_int_equal(plat.irqchip.maint_intid, 25);
	platform_print_summary(&plat);
	assert_logged("platform: irqchip gicv2 (/intc@8000000) regs 0x8000000+0x10000 "
		      "0x8010000+0x10000 0x8030000+0x10000 0x8040000+0x10000 maint intid 25\n");
}

/* The ZCU102's own DT: its GIC-400 and its Cadence UART (through the serial0 alias), each matched
 * by a driver's compatible string. */
static void test_board_zcu102(void **state)
{
	assert_int_equal(discover("board-xlnx-zcu102", 0, 2), 0);
	assert_string_equal(plat.irqchip.drv->name, "gicv2");
	assert_int_equal(plat.irqchip.nr_regs, 4);
	assert_int_equal(plat.irqchip.regs[1].base, 0xf9020000);
	assert_int_equal(plat.irqchip.regs[1].size, 0x20000);
	assert_int_equal(plat.irqchip.regs[3].base, 0xf9060000);
	assert_int_equal(plat.irqchip.maint_intid, 25);
	assert_string_equal(plat.console.drv->name, "cdns");
	assert_int_equal(plat.console.base, 0xff000000);
	assert_int_equal(plat.console.intid, 53);
	assert_true(plat.console.from_stdout_path);
	assert_string_equal(plat.console.path, "/serial@ff000000");
	assert_int_equal(plat.nr_cpus, 4);
	assert_int_equal(plat.mem[0].base, 0);
	assert_int_equal(plat.psci.method, PSCI_METHOD_SMC);
	assert_int_equal(plat.timer.hyp_phys_intid, 26);
}

static void test_missing_nodes(void **state)
{
	assert_int_equal(discover("bad-nomem", 0, 2), -TERN_ENODEV);
	assert_logged("platform: /memory: no node with device_type = \"memory\"");

	assert_int_equal(discover("bad-nogic", 0, 2), -TERN_ENODEV);
	assert_logged("platform: no interrupt controller this build drives (looked for a node "
		      "compatible with \"arm,gic-400\", \"arm,cortex-a15-gic\", "
		      "\"arm,cortex-a7-gic\", \"arm,gic-v3\")\n");

	assert_int_equal(discover("bad-gicv2-novirt", 0, 2), -TERN_ENOTSUP);
	assert_logged("platform: /intc@8000000: \"reg\" has 2 region(s): a GICv2 needs GICD, "
		      "GICC, GICH and GICV (the virtualization extensions)\n");

	assert_int_equal(discover("bad-nouart", 0, 2), -TERN_ENODEV);
	assert_logged("platform: /chosen/stdout-path \"/pl011@9000000\" does not resolve "
		      "(FDT_ERR_NOTFOUND)");
	assert_logged("platform: no console UART found (looked for /chosen/stdout-path and a node "
		      "compatible with \"arm,pl011\", \"cdns,uart-r1p12\", \"cdns,uart-r1p8\", "
		      "\"xlnx,xuartps\", \"xlnx,zynqmp-uart\")\n");

	assert_int_equal(discover("bad-nopsci", 0, 2), -TERN_ENODEV);
	assert_logged("platform: no PSCI found (looked for /psci or a node compatible with "
		      "\"arm,psci-1.0\", \"arm,psci-0.2\" or \"arm,psci\")\n");
}

static void test_reserved_overlap(void **state)
{
	assert_int_equal(discover("warn-rsv-overlap", 0, 2), 0);
	assert_logged("platform: reserved /reserved-memory/fw@48080000 0x48080000-0x4817ffff "
		      "overlaps /memreserve/ 0x48000000-0x480fffff; merged\n");
	assert_int_equal(plat.nr_rsv, 2);
	assert_int_equal(plat.rsv[0].base, 0x48000000);
	assert_int_equal(plat.rsv[0].size, 0x180000);
	assert_true(plat.rsv[0].nomap);
	assert_int_equal(plat.rsv[1].base, 0x48200000);
	assert_false(plat.rsv[1].nomap);

	/* stdout-path names the PL031: warn, fall back to the PL011. */
	assert_logged("platform: /chosen/stdout-path /pl031@9010000 is \"arm,pl031\", which no "
		      "console driver of this build knows; using the first UART a driver knows\n");
	assert_false(plat.console.from_stdout_path);
	assert_int_equal(plat.console.base, 0x09000000);
}

static void test_bad_blobs(void **state)
{
	size_t size, half;
	void *good = load_dtb("virt4", &size);
	unsigned char *cut;

	/* The caller knows only half of the blob is there. */
	half = size / 2;
	cut = malloc(half);
	assert_non_null(cut);
	memcpy(cut, good, half);
	use_blob(cut, half);
	stub_printk_reset();
	assert_int_equal(platform_discover(&plat, blob, blob_size, 0, 2), -TERN_EINVAL);
	assert_logged(fdt_strerror(-FDT_ERR_TRUNCATED));
	assert_logged("(header says ");

	/* Shorter than a header. */
	stub_printk_reset();
	assert_int_equal(platform_discover(&plat, blob, 16, 0, 2), -TERN_EINVAL);
	assert_logged(fdt_strerror(-FDT_ERR_TRUNCATED));

	/* Not a device tree at all. */
	cut[0] ^= 0xff;
	stub_printk_reset();
	assert_int_equal(platform_discover(&plat, blob, blob_size, 0, 2), -TERN_EINVAL);
	assert_logged(fdt_strerror(-FDT_ERR_BADMAGIC));

	/* A broken structure block that the header alone does not reveal. */
	use_blob(good, size);
	((unsigned char *)blob)[fdt_off_dt_struct(blob) + 3] = 0x7; /* first tag -> bad */
	stub_printk_reset();
	assert_int_equal(platform_discover(&plat, blob, blob_size, 0, 2), -TERN_EINVAL);
	assert_logged("platform: device tree at 0x");
}

/* virt4 with the PSCI "method" replaced, through libfdt's read-write API. */
static int discover_psci_method(const char *method)
{
	size_t size;
	void *good = load_dtb("virt4", &size);
	void *b = malloc(size + 256);

	assert_non_null(b);
	assert_int_equal(fdt_open_into(good, b, (int)size + 256), 0);
	free(good);
	assert_int_equal(fdt_setprop_string(b, fdt_path_offset(b, "/psci"), "method", method), 0);
	assert_int_equal(fdt_pack(b), 0);
	use_blob(b, size + 256);
	stub_printk_reset();
	return platform_discover(&plat, blob, blob_size, 0, 2);
}

static void test_psci_method(void **state)
{
	assert_int_equal(discover_psci_method("hvc"), 0);
	assert_int_equal(plat.psci.method, PSCI_METHOD_HVC);
	assert_logged("platform: /psci: method \"hvc\" cannot reach firmware from EL2");
	stub_printk_reset();
	platform_print_summary(&plat);
	assert_logged("platform: psci 1.0 via hvc\n");

	assert_int_equal(discover_psci_method("svc"), -TERN_EINVAL);
	assert_logged("platform: /psci: \"method\" must be \"smc\" or \"hvc\"\n");
}

/* What the fdt_util helpers say about one node; compared with and without the index. */
struct node_view {
	char path[FDT_UTIL_PATH_MAX], short_path[12];
	int reg_count, reg_rc, irq_count, irq_rc;
	u64 base, size;
	u32 intid, flags;
};

static void view_node(const void *fdt, int node, struct node_view *v)
{
	memset(v, 0, sizeof(*v));
	fdt_util_path(fdt, node, v->path, sizeof(v->path));
	fdt_util_path(fdt, node, v->short_path, sizeof(v->short_path));
	v->reg_count = fdt_util_reg_count(fdt, node);
	v->reg_rc = fdt_util_reg(fdt, node, 0, &v->base, &v->size);
	v->irq_count = fdt_util_irq_count(fdt, node);
	v->irq_rc = fdt_util_irq(fdt, node, 0, &v->intid, &v->flags);
}

typedef void (*test_node_fn)(const char *tree, const void *b, int node, int depth, void *ctx);

/* fn for every node of every named test tree, with that tree loaded and in use. */
static void for_each_test_node(const char *const *names, size_t n, test_node_fn fn, void *ctx)
{
	for (size_t i = 0; i < n; i++) {
		size_t size;
		void *b = load_dtb(names[i], &size);
		int node, depth = 0;

		use_blob(b, size);
		for (node = 0; node >= 0 && depth >= 0; node = fdt_next_node(b, node, &depth))
			fn(names[i], b, node, depth, ctx);
	}
}

struct index_counts {
	unsigned int nodes, with_irq, translated;
};

static void index_check_node(const char *tree, const void *b, int node, int depth, void *ctx)
{
	struct index_counts *c = ctx;
	struct node_view plain, indexed;

	fdt_util_index_drop();
	view_node(b, node, &plain);
	assert_true(fdt_util_index(b));
	view_node(b, node, &indexed);
	fdt_util_index_drop();
	/* libfdt leaves other nodes' names after the NUL: compare the strings. */
	if (strcmp(plain.path, indexed.path) || strcmp(plain.short_path, indexed.short_path) ||
	    plain.reg_count != indexed.reg_count || plain.reg_rc != indexed.reg_rc ||
	    plain.base != indexed.base || plain.size != indexed.size ||
	    plain.irq_count != indexed.irq_count || plain.irq_rc != indexed.irq_rc ||
	    plain.intid != indexed.intid || plain.flags != indexed.flags)
		fail_msg("%s: node %s (offset %d): indexed view differs: path %s/%s (%s/%s) reg "
			 "%d/%d 0x%llx/0x%llx irq %d/%d %u/%u",
			 tree, plain.path, node, plain.path, indexed.path, plain.short_path,
			 indexed.short_path, plain.reg_rc, indexed.reg_rc,
			 (unsigned long long)plain.base, (unsigned long long)indexed.base,
			 plain.irq_rc, indexed.irq_rc, plain.intid, indexed.intid);
	c->nodes++;
	c->with_irq += plain.irq_rc == 0;
	c->translated += plain.reg_rc == 0 && depth > 1;
}

/*
 * The index (parents, phandles, paths found in one walk) gives every node of every test tree the
 * same path (also cut short), "reg" (translated through the buses' "ranges") and interrupts
 * (through "interrupt-parent" phandles) as libfdt's walks from the start of the blob; and a blob
 * that is gone from the index is answered by libfdt again.
 */
static void test_index_matches_libfdt(void **state)
{
	static const char *const names[] = { "virt4",	  "twomem",	      "modules",
					     "disks",	  "virt-gicv2",	      "warn-rsv-overlap",
					     "bad-nogic", "board-xlnx-zcu102" };
	struct index_counts c = { 0 };

	(void)state;
	for_each_test_node(names, sizeof(names) / sizeof(names[0]), index_check_node, &c);
	/* What the index must get right is there: 128 nodes, 33 with interrupts, 5 behind a bus. */
	assert_true(c.nodes > 100);
	assert_true(c.with_irq > 20);
	assert_true(c.translated >= 5);
}

static void cells_check_node(const char *tree, const void *b, int node, int depth, void *ctx)
{
	unsigned int *set = ctx;
	int ac = fdt_address_cells(b, node), sc = fdt_size_cells(b, node);
	int mac = fdt_util_address_cells(b, node), msc = fdt_util_size_cells(b, node);

	(void)depth;
	if (ac >= 1 ? mac != ac : mac >= 1)
		fail_msg("%s offset %d: #address-cells %d, libfdt %d", tree, node, mac, ac);
	if (sc >= 0 ? msc != sc : msc >= 0)
		fail_msg("%s offset %d: #size-cells %d, libfdt %d", tree, node, msc, sc);
	*set += fdt_getprop(b, node, "#size-cells", NULL) != NULL;
}

/*
 * fdt_util's #address-cells / #size-cells read every node of every test tree as libfdt does: the
 * same value where libfdt's is usable (address cells 1-4, size cells 0-4), unusable where not.
 */
static void test_cells_match_libfdt(void **state)
{
	static const char *const names[] = { "virt4", "twomem", "virt-gicv2", "warn-rsv-overlap",
					     "board-xlnx-zcu102" };
	unsigned int set = 0;

	(void)state;
	for_each_test_node(names, sizeof(names) / sizeof(names[0]), cells_check_node, &set);
	assert_true(set > 5);
}

static void test_irq_to_intid(void **state)
{
	u32 intid = 0;

	assert_int_equal(fdt_util_irq_to_intid(FDT_IRQ_TYPE_SPI, 1, &intid), 0);
	assert_int_equal(intid, 33);
	assert_int_equal(fdt_util_irq_to_intid(FDT_IRQ_TYPE_SPI, 987, &intid), 0);
	assert_int_equal(intid, 1019);
	assert_int_equal(fdt_util_irq_to_intid(FDT_IRQ_TYPE_SPI, 988, &intid), -TERN_EINVAL);
	assert_int_equal(fdt_util_irq_to_intid(FDT_IRQ_TYPE_PPI, 9, &intid), 0);
	assert_int_equal(intid, 25);
	assert_int_equal(fdt_util_irq_to_intid(FDT_IRQ_TYPE_PPI, 16, &intid), -TERN_EINVAL);
	assert_int_equal(fdt_util_irq_to_intid(FDT_IRQ_TYPE_ESPI, 0, &intid), 0);
	assert_int_equal(intid, 4096);
	assert_int_equal(fdt_util_irq_to_intid(FDT_IRQ_TYPE_EPPI, 63, &intid), 0);
	assert_int_equal(intid, 1119);
	assert_int_equal(fdt_util_irq_to_intid(4, 0, &intid), -TERN_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_virt4, teardown),
		cmocka_unit_test_teardown(test_old_version, teardown),
		cmocka_unit_test_teardown(test_wrapping_property, teardown),
		cmocka_unit_test_teardown(test_virt4_summary, teardown),
		cmocka_unit_test_teardown(test_boot_cpu, teardown),
		cmocka_unit_test_teardown(test_twomem, teardown),
		cmocka_unit_test_teardown(test_modules, teardown),
		cmocka_unit_test_teardown(test_modules_vm_limit, teardown),
		cmocka_unit_test_teardown(test_bad_modules, teardown),
		cmocka_unit_test_teardown(test_disks, teardown),
		cmocka_unit_test_teardown(test_bad_disks, teardown),
		cmocka_unit_test_teardown(test_gicv2, teardown),
		cmocka_unit_test_teardown(test_board_zcu102, teardown),
		cmocka_unit_test_teardown(test_missing_nodes, teardown),
		cmocka_unit_test_teardown(test_reserved_overlap, teardown),
		cmocka_unit_test_teardown(test_bad_blobs, teardown),
		cmocka_unit_test_teardown(test_psci_method, teardown),
		cmocka_unit_test_teardown(test_index_matches_libfdt, teardown),
		cmocka_unit_test_teardown(test_cells_match_libfdt, teardown),
		cmocka_unit_test(test_irq_to_intid),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
