// SPDX-License-Identifier: GPL-2.0-only
/*
 * The boot sequence, top to bottom. head.S gets here on the boot pCPU with the MMU on and
 * only Tern's image, the DTB and the early console mapped.
 */
#include <asm/guest.h>
#include <asm/mmu.h>
#include <asm/smp.h>
#include <asm/sysreg.h>
#include <drivers/arch_timer.h>
#include <drivers/psci.h>
#include <drivers/virtio_blk.h>
#include <generated/version.h>
#include <libfdt.h>
#include <tern/bootargs.h>
#include <tern/console.h>
#include <tern/console_drv.h>
#include <tern/debug_hooks.h>
#include <tern/early_console.h>
#include <tern/errno.h>
#include <tern/page_alloc.h>
#include <tern/panic.h>
#include <tern/percpu.h>
#include <tern/platform.h>
#include <tern/printk.h>
#include <tern/format.h>
#include <tern/irqchip.h>
#include <tern/vdev.h>
#include <tern/vm.h>
#include <tern/vm_config.h>
#include <tern/vm_ctl.h>
#include <asm/sysreg_emul.h>
#include <tern/console_mux.h>
#include <tern/integrity.h>
#include <tern/sched.h>
#include <virt/vgic_core.h>
#include <virt/vgic_hw.h>
#include <asm/vpmu.h>
#include <asm/vtimer.h>

static struct platform platform;

static void setup_fail(const char *what, int rc)
{
	pr_err("boot: %s failed (%s); stopping\n", what, tern_strerror(rc));
	system_halt(true);
}

/* Tern's memory, the DTB, boot modules and reserved ranges are never handed out. */
static void setup_page_allocator(const struct platform *p)
{
	struct page_allocator *pa = &page_allocator_global;
	struct page_alloc_stats st;
	int rc;

	page_allocator_init(pa);
	for (unsigned int i = 0; i < p->nr_mem; i++)
		page_allocator_add_range(pa, p->mem[i].base, p->mem[i].size);
	page_allocator_reserve(pa, image_start(), image_end() - image_start());
	page_allocator_reserve(pa, p->dtb_base, p->dtb_size);
	for (unsigned int i = 0; i < p->nr_modules; i++)
		page_allocator_reserve(pa, p->modules[i].base, p->modules[i].size);
	for (unsigned int i = 0; i < p->nr_rsv; i++)
		page_allocator_reserve(pa, p->rsv[i].base, p->rsv[i].size);
	rc = page_allocator_finalize(pa);
	if (rc)
		setup_fail("page allocator set-up", rc);
	page_allocator_stats(pa, &st);
	pr_info("mm: %llu pages total, %llu free (%llu MiB), %llu reserved, %llu metadata\n",
		(unsigned long long)st.total_pages, (unsigned long long)st.free_pages,
		(unsigned long long)(st.free_pages >> (20 - PAGE_SHIFT)),
		(unsigned long long)st.reserved_pages, (unsigned long long)st.meta_pages);
}

/* RAM (except Tern's image, which keeps its finer permissions, and no-map ranges) and devices. */
static void setup_map_platform(const struct platform *p)
{
	struct mmu_range holes[2 + PLATFORM_MAX_RSV];
	unsigned int n = 0;
	int rc;

	holes[n++] = (struct mmu_range){ image_start(), image_end() };
	holes[n++] = (struct mmu_range){ p->dtb_base, p->dtb_base + p->dtb_size };
	for (unsigned int i = 0; i < p->nr_rsv; i++) {
		if (p->rsv[i].nomap)
			holes[n++] =
			    (struct mmu_range){ p->rsv[i].base, p->rsv[i].base + p->rsv[i].size };
	}
	for (unsigned int i = 0; i < p->nr_mem; i++) {
		rc = mmu_map_except(p->mem[i].base, p->mem[i].base + p->mem[i].size, MMU_DATA,
				    holes, n);
		if (rc)
			setup_fail("mapping RAM", rc);
	}
	rc = 0;
	for (unsigned int i = 0; !rc && i < p->irqchip.nr_regs; i++)
		rc = mmu_map(p->irqchip.regs[i].base,
			     p->irqchip.regs[i].base + p->irqchip.regs[i].size, MMU_DEVICE);
	if (rc)
		setup_fail("mapping the interrupt controller", rc);
	/* The early console may be the same UART, and already mapped. */
	if (!IS_ENABLED(CONFIG_EARLY_CONSOLE) || p->console.base != early_console_base()) {
		rc = mmu_map(p->console.base, p->console.base + p->console.size, MMU_DEVICE);
		if (rc)
			setup_fail("mapping the console", rc);
	}
}

static void setup_report_vms(void)
{
	for (unsigned int i = 0; i < CONFIG_NR_VMS; i++) {
		const struct vm *vm = &vm_table[i];

		if (vm->state == VM_UNINITIALIZED)
			continue;
		vm_print_stats(vm, LOG_INFO);
		vdev_report_all(vm);
	}
}

void smp_pcpu_init_virt(void)
{
	if (vgic_hw_init_cpu(&platform.irqchip))
		pr_warn("boot: pCPU %u: no list registers for the %s interrupt controller\n",
			this_cpu_id(), platform.irqchip.drv->name);
	if (IS_ENABLED(CONFIG_VIRT_IRQCHIP) &&
	    (vgic_init_cpu(&platform.irqchip) || vtimer_init_cpu(&platform.timer)))
		pr_warn("boot: pCPU %u: no GIC maintenance or virtual timer interrupt\n",
			this_cpu_id());
	if (vpmu_init_cpu(platform.pmu.intid))
		pr_warn("boot: pCPU %u: no PMU interrupt for guests\n", this_cpu_id());
}

/*
 * Create and start every VM that starts at boot and has a kernel, run them, and when every VM has
 * stopped power off (or stay at the hypervisor console, as configured).
 */
static void setup_run_vms(void)
{
	unsigned int created = 0, later = 0;
	bool failed = false;

	/* First what the CPU gives guests (the PMU, for one), then the ID registers saying so. */
	vcpu_arch_init();
	sysreg_id_init(stage2_ipa_bits());
	smp_pcpu_init_virt();
	integrity_snapshot(&platform);
	vm_ctl_init(&platform);
	for (unsigned int i = 0; i < CONFIG_NR_VMS; i++) {
		const char *why;
		int rc;

		if (!vm_configs[i].autostart) {
			if (vm_ctl_has_kernel(i)) {
				pr_info("vm%u: not started at boot: \"start %u\" on Tern's console "
					"starts it\n",
					i, i);
				later++;
			}
			continue;
		}
		rc = vm_ctl_start(i, &why);
		if (vm_table[i].state != VM_UNINITIALIZED)
			created++;
		if (rc && rc != -TERN_ENOENT)
			failed = true; /* it had a kernel: a VM that was asked for is missing */
	}
	if (!created && !later) {
		pr_info("boot: no VM to run (%s): powering off\n",
			failed ? "creation failed" : "no kernel boot module");
		system_halt(failed);
	}
	console_mux_init(&platform, vm_table, CONFIG_NR_VMS);
	smp_release_secondaries();
	sched_run();
	setup_report_vms();
	failed |= integrity_verify() != 0;
	pr_info("boot: every VM has stopped: powering off\n");
	system_halt(failed);
}

void setup_main(const void *dtb);
void setup_main(const void *dtb)
{
	u64 mpidr = read_sysreg(mpidr_el1);
	int rc;

	printk_enable_locking();
	this_pcpu()->online = true;
	pr_info("Tern %s, an AArch64 hypervisor (board %s)\n", TERN_VERSION, CONFIG_BOARD);
	pr_info("boot: pCPU 0 MPIDR 0x%llx, loaded at 0x%llx, %llu KiB, DTB at 0x%llx\n",
		(unsigned long long)mpidr, (unsigned long long)image_start(),
		(unsigned long long)((image_end() - image_start()) >> 10),
		(unsigned long long)(uintptr_t)dtb);

	/* libfdt is built with FP/SIMD and without strict alignment: only here, MMU on, no guest.
	 */
	if (!dtb || fdt_magic(dtb) != FDT_MAGIC) {
		pr_err("boot: x0 (0x%llx) does not point at a device tree; Tern needs one from "
		       "the boot loader (QEMU -kernel or U-Boot booti pass it)\n",
		       (unsigned long long)(uintptr_t)dtb);
		system_halt(true);
	}
	rc = platform_discover(&platform, dtb, 0, mpidr, CONFIG_NR_VMS);
	if (rc)
		setup_fail("platform discovery", rc);
	this_pcpu()->mpidr = platform.cpus[0].mpidr;
	bootargs_parse(platform.bootargs);

	setup_map_platform(&platform);
	console_driver_init(&platform.console);
	platform_print_summary(&platform);
	setup_page_allocator(&platform);

	rc = psci_init(&platform.psci);
	if (rc && IS_ENABLED(CONFIG_MULTI_PCPU))
		pr_warn("boot: continuing on the boot pCPU only\n");
	rc = irqchip_init(&platform.irqchip);
	if (!rc)
		rc = irqchip_cpu_init();
	if (rc)
		setup_fail("interrupt controller set-up", rc);
	rc = arch_timer_init(&platform.timer);
	if (!rc)
		rc = arch_timer_selftest();
	if (rc)
		setup_fail("timer set-up", rc);

	debug_hook_run(bootargs_test_hook());
	smp_boot_secondaries(&platform);
	/* The machine's own disks, for VMs whose disks are regions of them. */
	hblk_init(&platform);
	vm_config_print(&platform);
	setup_run_vms();
}
