// SPDX-License-Identifier: GPL-2.0-only
/*
 * The guest DT writer (core/guest_fdt.c) with any parameters a VM configuration or a boot module
 * can give it - vCPU counts and MPIDRs, RAM and initrd ranges, bootargs and stdout-path strings of
 * any bytes, device nodes, timer PPIs - into a buffer of any size: it either fails cleanly or
 * writes a blob that libfdt accepts in full, whose /chosen/bootargs is exactly what was given.
 */
#include <libfdt.h>
#include <tern/guest_fdt.h>
#include "fuzz_input.h"
#include "stub_printk.h"

static int dev_node(void *fdt, const void *dev, u32 clk_phandle)
{
	const char *name = dev;
	int err = fdt_begin_node(fdt, name);

	if (!err)
		err = fdt_property_u32(fdt, "clocks", clk_phandle);
	if (!err)
		err = fdt_end_node(fdt);
	return err;
}

static void fuzz_string(struct fuzz_input *in, char *buf, size_t size)
{
	size_t n = fuzz_u8(in) % size;

	for (size_t i = 0; i < n; i++)
		buf[i] = (char)(fuzz_u8(in) | 1); /* any byte but NUL */
	buf[n] = '\0';
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_input in = { data, size, 0 };
	static char bootargs[256], stdout_path[64], devname[32];
	struct guest_fdt_device dev = { dev_node, devname };
	struct guest_fdt_params p = { 0 };
	size_t bufsize = fuzz_u32(&in) % 0x8000;
	void *buf;
	int len, off;
	const char *got;

	stub_printk_reset();
	p.vm_id = fuzz_u8(&in);
	p.nr_vcpus = 1 + fuzz_u8(&in) % GUEST_FDT_MAX_VCPUS;
	for (unsigned int i = 0; i < GUEST_FDT_MAX_VCPUS; i++)
		p.vmpidr[i] = fuzz_u64(&in) & 0xff00ffffffUL;
	p.ram_base = fuzz_u64(&in);
	p.ram_size = fuzz_u64(&in);
	fuzz_string(&in, bootargs, sizeof(bootargs));
	p.bootargs = fuzz_u8(&in) & 1 ? bootargs : NULL;
	p.initrd_start = fuzz_u64(&in);
	p.initrd_size = fuzz_u8(&in) & 1 ? fuzz_u64(&in) : 0;
	p.irqchip = fuzz_u8(&in) & 1;
	for (unsigned int i = 0; i < 4; i++)
		p.timer_ppis[i] = fuzz_u32(&in);
	fuzz_string(&in, stdout_path, sizeof(stdout_path));
	p.stdout_path = fuzz_u8(&in) & 1 ? stdout_path : NULL;
	fuzz_string(&in, devname, sizeof(devname));
	p.nr_devices = fuzz_u8(&in) & 1;
	p.devices = &dev;

	buf = malloc(bufsize ? bufsize : 1);
	if (!guest_fdt_write(buf, bufsize, &p)) {
		FUZZ_CHECK(fdt_check_full(buf, bufsize) == 0);
		off = fdt_path_offset(buf, "/chosen");
		FUZZ_CHECK(off >= 0);
		got = fdt_getprop(buf, off, "bootargs", &len);
		if (p.bootargs && p.bootargs[0])
			FUZZ_CHECK(got && !strcmp(got, p.bootargs));
		else
			FUZZ_CHECK(!got);
	}
	free(buf);
	return 0;
}
