/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef TERN_VM_CONFIG_H
#define TERN_VM_CONFIG_H

#include <tern/kconfig.h>
#include <tern/types.h>

struct platform;

/*
 * The build-time layout of each VM, from Kconfig: one const table that the boot code walks. The
 * device set is not here: each device type knows which VMs have it (tern/vdev.h).
 * Images and boot arguments come at boot time (boot modules); a bootargs property on a VM's
 * kernel module overrides the default here.
 */
enum vm_guest_type {
	VM_GUEST_LINUX,
	VM_GUEST_RTOS,
	VM_GUEST_BAREMETAL,
	VM_GUEST_NR,
};

/* The instruction that reaches PSCI/SMCCC; the other one answers NOT_SUPPORTED. */
enum vm_psci_conduit {
	VM_PSCI_HVC,
	VM_PSCI_SMC,
};

/* What Tern does with a VM when its guest resets, powers off or crashes (per-VM Kconfig). */
enum vm_action {
	VM_ACTION_STOP,
	VM_ACTION_RESTART,
};

/* VMn_CRASH_RESTARTS for "restart every time": no limit. */
#define VM_RESTARTS_UNLIMITED (~0U)

struct vm_config {
	unsigned int id;
	/** For people (the console's list); commands take the id. */
	const char *name;
	enum vm_guest_type type;
	enum vm_psci_conduit conduit;
	unsigned int nr_vcpus;
	u64 ram_size;
	const char *bootargs;
	/** pCPUs the vCPUs may run on; 0 = default placement. */
	u64 pcpu_affinity;
	/** Created and started at boot, or only by the console's "start N". */
	bool autostart;
	/** RAM zeroed and mapped per 2 MiB block at first use (vm_ram_demand.c), not at creation.
	 */
	bool ram_on_demand;
	enum vm_action on_reset;
	enum vm_action on_poweroff;
	/** Restarts after crashes before the next crash stops it: 0 stop, VM_RESTARTS_UNLIMITED. */
	unsigned int crash_restarts;
};

#define VM_CONFIG(n)                                                                               \
	{                                                                                          \
		.id = n,                                                                           \
		.type = IS_ENABLED(CONFIG_VM##n##_GUEST_LINUX)	? VM_GUEST_LINUX                   \
			: IS_ENABLED(CONFIG_VM##n##_GUEST_RTOS) ? VM_GUEST_RTOS                    \
								: VM_GUEST_BAREMETAL,              \
		.conduit = IS_ENABLED(CONFIG_VM##n##_PSCI_SMC) ? VM_PSCI_SMC : VM_PSCI_HVC,        \
		.nr_vcpus = CONFIG_VM##n##_NR_VCPUS,                                               \
		.ram_size = (u64)CONFIG_VM##n##_RAM_MB << 20,                                      \
		.bootargs = CONFIG_VM##n##_BOOTARGS,                                               \
		.pcpu_affinity = CONFIG_VM##n##_PCPU_AFFINITY,                                     \
		.name = CONFIG_VM##n##_NAME,                                                       \
		.autostart = IS_ENABLED(CONFIG_VM##n##_AUTOSTART),                                 \
		.ram_on_demand = IS_ENABLED(CONFIG_VM##n##_RAM_ON_DEMAND),                         \
		.on_reset =                                                                        \
		    IS_ENABLED(CONFIG_VM##n##_ON_RESET_STOP) ? VM_ACTION_STOP : VM_ACTION_RESTART, \
		.on_poweroff = IS_ENABLED(CONFIG_VM##n##_ON_POWEROFF_RESTART) ? VM_ACTION_RESTART  \
									      : VM_ACTION_STOP,    \
		.crash_restarts = IS_ENABLED(CONFIG_VM##n##_ON_CRASH_RESTART)                      \
				      ? VM_RESTARTS_UNLIMITED                                      \
				  : IS_ENABLED(CONFIG_VM##n##_ON_CRASH_RESTART_LIMITED)            \
				      ? CONFIG_VM##n##_CRASH_RESTARTS                              \
				      : 0,                                                         \
	},

/* Kconfig only defines the symbols of VMs below NR_VMS. */
#define VM_CONFIG_0 VM_CONFIG(0)
#if CONFIG_NR_VMS > 1
#define VM_CONFIG_1 VM_CONFIG(1)
#else
#define VM_CONFIG_1
#endif
#if CONFIG_NR_VMS > 2
#define VM_CONFIG_2 VM_CONFIG(2)
#else
#define VM_CONFIG_2
#endif
#if CONFIG_NR_VMS > 3
#define VM_CONFIG_3 VM_CONFIG(3)
#else
#define VM_CONFIG_3
#endif
#if CONFIG_NR_VMS > 4
#define VM_CONFIG_4 VM_CONFIG(4)
#else
#define VM_CONFIG_4
#endif
#if CONFIG_NR_VMS > 5
#define VM_CONFIG_5 VM_CONFIG(5)
#else
#define VM_CONFIG_5
#endif
#if CONFIG_NR_VMS > 6
#define VM_CONFIG_6 VM_CONFIG(6)
#else
#define VM_CONFIG_6
#endif
#if CONFIG_NR_VMS > 7
#define VM_CONFIG_7 VM_CONFIG(7)
#else
#define VM_CONFIG_7
#endif

#define VM_CONFIG_TABLE                                                                            \
	VM_CONFIG_0 VM_CONFIG_1 VM_CONFIG_2 VM_CONFIG_3 VM_CONFIG_4 VM_CONFIG_5 VM_CONFIG_6        \
	    VM_CONFIG_7

extern const struct vm_config vm_configs[CONFIG_NR_VMS];

const char *vm_guest_type_name(enum vm_guest_type type);
/* One line per configured VM: what Kconfig fixed and what the boot modules supplied. */
void vm_config_print(const struct platform *p);

#endif
