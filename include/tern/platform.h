/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef TERN_PLATFORM_H
#define TERN_PLATFORM_H

#include <tern/fdt_util.h>
#include <tern/printk.h>
#include <tern/types.h>

/* Hardware facts discovered from the boot device tree once, at boot; read-only afterwards. */

#define PLATFORM_MAX_MEM	16
#define PLATFORM_MAX_RSV	32
#define PLATFORM_MAX_CPUS	64
#define PLATFORM_MAX_MODULES	32
#define PLATFORM_MAX_VIRTIO	32
#define PLATFORM_MAX_HOST_DISKS 8
/** Register regions of the interrupt controller node (GICv3: distributor + 8 redistributor). */
#define PLATFORM_MAX_IRQCHIP_REGS 9

/** MPIDR_EL1 affinity fields (Aff3, Aff2, Aff1, Aff0): what the CPU nodes' "reg" holds. */
#define MPIDR_HWID_MASK 0xff00ffffffULL

/** PSCI version as the PSCI_VERSION call encodes it: major in [31:16], minor in [15:0]. */
#define PLATFORM_PSCI_VERSION(major, minor) (((major) << 16) | (minor))

struct platform_range {
	/** First byte. */
	u64 base;
	/** Length in bytes, never 0. */
	u64 size;
};

struct platform_rsv {
	u64 base;
	u64 size;
	/** Some source had "no-map": never map it, not even for the hypervisor. */
	bool nomap;
};

enum platform_cpu_enable {
	CPU_ENABLE_NONE,
	CPU_ENABLE_PSCI,
	CPU_ENABLE_SPIN_TABLE,
	CPU_ENABLE_OTHER,
};

struct platform_cpu {
	/** MPIDR affinity (MPIDR_HWID_MASK bits) from "reg". */
	u64 mpidr;
	enum platform_cpu_enable enable;
	/** "cpu-release-addr" for spin-table CPUs, else 0. */
	u64 release_addr;
};

struct irqchip_driver;
struct console_driver;

/** The interrupt controller: the node a linked driver (tern/irqchip.h) matched. */
struct platform_irqchip {
	const struct irqchip_driver *drv;
	/** Node path, for messages. */
	char path[FDT_UTIL_PATH_MAX];
	/** Its "reg" regions, translated; what each is belongs to the driver (its probe says). */
	unsigned int nr_regs;
	struct platform_range regs[PLATFORM_MAX_IRQCHIP_REGS];
	/** Maintenance interrupt INTID (a PPI) of the virtualization extensions. */
	u32 maint_intid;
};

struct platform_console {
	/** The driver (tern/console_drv.h) whose compatible the node has. */
	const struct console_driver *drv;
	u64 base;
	u64 size;
	/** 0 when the node has no "interrupts" (polled console). */
	u32 intid;
	/** True if found through /chosen/stdout-path, false if it is the first UART a driver knows.
	 */
	bool from_stdout_path;
	/** Node path, for messages. */
	char path[FDT_UTIL_PATH_MAX];
};

struct platform_timer {
	u32 sec_phys_intid;
	u32 phys_intid;
	u32 virt_intid;
	u32 hyp_phys_intid;
	/** 0 when the DT does not describe the EL2 virtual timer. */
	u32 hyp_virt_intid;
	/** "clock-frequency" in Hz, 0 when absent (use CNTFRQ_EL0). */
	u32 freq;
};

/** The CPUs' PMU ("arm,armv8-pmuv3"), optional. */
struct platform_pmu {
	/** Its overflow interrupt (a PPI), 0 when the DT describes no PMU. */
	u32 intid;
};

enum platform_psci_method {
	PSCI_METHOD_SMC,
	PSCI_METHOD_HVC,
};

struct platform_psci {
	/** PLATFORM_PSCI_VERSION() of the best "arm,psci*" compatible. 0.1 means "arm,psci". */
	u32 version;
	enum platform_psci_method method;
};

enum platform_module_kind {
	MODULE_KERNEL,
	MODULE_RAMDISK,
	MODULE_DEVICE_TREE,
	MODULE_DISK,
	MODULE_OTHER,
};

struct platform_module {
	unsigned int vm;
	enum platform_module_kind kind;
	u64 base;
	u64 size;
	/** NUL-terminated string inside the DTB, or NULL. */
	const char *bootargs;
	/** The node has "read-only" (a disk the VM may only read). */
	bool read_only;
};

/** A virtio-mmio transport of the machine ("virtio,mmio"), in DT order. */
struct platform_virtio {
	u64 base;
	u64 size;
	/** Its interrupt (an SPI). */
	u32 intid;
	/** "dma-coherent": the device's accesses see the CPUs' caches. */
	bool dma_coherent;
};

/** A VM's disk on the machine's own virtio-blk disk (a "tern,host-disk" node of a VM node). */
struct platform_host_disk {
	unsigned int vm;
	/** Which of the machine's virtio-blk disks, counted in DT order from 0. */
	u32 index;
	/** The region in bytes ("tern,region" = <offset size>, 2 cells each); size 0: to the end.
	 */
	u64 offset;
	u64 size;
	bool read_only;
};

struct platform {
	/** The boot DTB itself (keep it reserved: the pointers below point into it). */
	paddr_t dtb_base;
	u32 dtb_size;

	/** RAM, sorted by base. */
	unsigned int nr_mem;
	struct platform_range mem[PLATFORM_MAX_MEM];

	/** Reserved ranges (/memreserve/ and /reserved-memory), sorted, overlaps merged. */
	unsigned int nr_rsv;
	struct platform_rsv rsv[PLATFORM_MAX_RSV];

	/** cpus[0] is the boot CPU; the others follow in DT order. */
	unsigned int nr_cpus;
	struct platform_cpu cpus[PLATFORM_MAX_CPUS];

	struct platform_irqchip irqchip;
	struct platform_console console;
	struct platform_timer timer;
	struct platform_pmu pmu;
	struct platform_psci psci;

	/** /chosen/bootargs inside the DTB, or NULL. */
	const char *bootargs;

	unsigned int nr_modules;
	struct platform_module modules[PLATFORM_MAX_MODULES];

	unsigned int nr_virtio;
	struct platform_virtio virtio[PLATFORM_MAX_VIRTIO];

	unsigned int nr_host_disks;
	struct platform_host_disk host_disks[PLATFORM_MAX_HOST_DISKS];
};

/**
 * Fill @p from the device tree at @fdt. @fdt_size is how many bytes the caller knows to be there
 * (0 = trust the header's totalsize). @boot_mpidr is MPIDR_EL1 of the calling CPU (must be one of
 * the CPU nodes); @max_vms bounds "tern,id" of boot modules. Every problem is logged; returns 0 or
 * the first negative TERN_E* met (@p is then only partly filled and must not be used).
 */
int platform_discover(struct platform *p, const void *fdt, size_t fdt_size, u64 boot_mpidr,
		      unsigned int max_vms);

/** Log the boot summary, one "platform: ..." line per fact. */
void platform_print_summary(const struct platform *p);

/** Total RAM in bytes. */
u64 platform_ram_total(const struct platform *p);

/** True if [base, base + size) lies entirely in RAM. */
bool platform_in_ram(const struct platform *p, u64 base, u64 size);

/** Index in p->cpus of the CPU with this MPIDR (affinity bits only compared), or -TERN_ENOENT. */
int platform_cpu_index(const struct platform *p, u64 mpidr);

/** First module of @kind for VM @vm, or NULL. */
const struct platform_module *platform_module_find(const struct platform *p, unsigned int vm,
						   enum platform_module_kind kind);

/** The host-disk description of VM @vm, or NULL. */
const struct platform_host_disk *platform_host_disk_find(const struct platform *p, unsigned int vm);

/** "kernel", "ramdisk", "device-tree", "disk", "module". */
const char *platform_module_kind_name(enum platform_module_kind kind);

/**
 * printk() of platform discovery and its drivers' device-tree probes: every line starts with
 * "platform: ", which is stored here once rather than in each of some 80 formats.
 */
void platform_log(enum log_level level, const char *fmt, ...) __printf(2, 3);

#endif
