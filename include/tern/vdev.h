/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef TERN_VDEV_H
#define TERN_VDEV_H

#include <tern/compiler.h>
#include <tern/kconfig.h>
#include <tern/types.h>

/*
 * A VM's emulated devices: a list of instances built at creation from the VM's Kconfig device
 * set, each with the ops of its type. Core code walks the list (create, reset, stop, destroy,
 * the guest DT, the scheduler's hook) and never names a device. A type is declared where it is
 * implemented with VDEV_TYPE(), which puts it in the linker section the walkers iterate, so
 * adding a device type is one file in virt/, its Kconfig entries and one Makefile line.
 *
 * The hot path (traps) never goes through these ops: MMIO accesses reach a device through its
 * registered mmio_ops, and the vGIC's per-entry work is called directly.
 */

struct vm;
struct vdev;
struct platform;

/** Creation order: a device may rely on the phases before its own. */
enum vdev_phase {
	VDEV_PHASE_IRQCHIP, /* the interrupt controller: others claim their SPIs from it */
	VDEV_PHASE_BUS,	    /* transports and windows devices attach to */
	VDEV_PHASE_DEVICE,  /* everything else */
	VDEV_NR_PHASES,
};

struct vdev_type {
	const char *name;
	enum vdev_phase phase;
	/** Bit n: VM n has an instance (from Kconfig, see VDEV_VM_MASK). */
	u32 vm_mask;
	/**
	 * Allocate the instance state (dev->priv), register its MMIO regions on dev->vm's bus and
	 * claim its SPIs. @p gives the boot-time facts (boot modules). On failure everything it
	 * took is released again: destroy is not called for an instance whose create failed.
	 * -TERN_ENOENT: nothing backs the device at this boot (logged); the VM goes without it.
	 */
	int (*create)(struct vdev *dev, const struct platform *p);
	/** Release everything create took (regions, SPIs, memory). No vCPU of the VM runs. */
	void (*destroy)(struct vdev *dev);
	/** Back to the reset state for a VM reset; no vCPU of the VM is loaded anywhere. */
	void (*reset)(struct vdev *dev);
	/**
	 * The VM stopped (no vCPU runs any more): flush output, finish or cancel I/O so that the
	 * device touches no guest memory afterwards. May be NULL.
	 */
	void (*stop)(struct vdev *dev);
	/**
	 * Let held output out: a vCPU of the VM left its pCPU or went to sleep, or took a
	 * physical-interrupt exit (a vCPU alone on its pCPU may never leave it). Called by the
	 * scheduler, not on the trap path proper. May be NULL.
	 */
	void (*vcpu_put)(struct vdev *dev);
	/**
	 * Write the device's guest DT node(s) with libfdt's sequential-write API under the root
	 * (#address-cells = #size-cells = 2); phandles from tern/guest_fdt.h. 0 or a libfdt
	 * error. May be NULL (no node).
	 */
	int (*fdt_node)(void *fdt, const struct vdev *dev);
	/**
	 * A console device: take one character typed for the VM on Tern's console (from the host
	 * UART's interrupt). NULL for others.
	 */
	void (*console_input)(struct vdev *dev, char c);
	/** The node path of a console device, for /chosen/stdout-path; NULL for others. */
	const char *stdout_path;
	/** Log the instance's statistics at power-off. May be NULL. */
	void (*report)(const struct vdev *dev);
};

/** One device of one VM. */
struct vdev {
	const struct vdev_type *type;
	struct vm *vm;
	void *priv;
};

/** Devices one VM can have. */
#define VM_MAX_VDEVS 16

/*
 * VDEV_VM_MASK(VPL011): bit n set when CONFIG_VM<n>_VPL011 is enabled (Kconfig defines the
 * symbols of VMs below NR_VMS only, so the others count as disabled).
 */
#define VDEV_VM_BIT_(n, sym) ((u32)IS_ENABLED(CONFIG_VM##n##_##sym) << (n))
#define VDEV_VM_MASK(sym)                                                                          \
	(VDEV_VM_BIT_(0, sym) | VDEV_VM_BIT_(1, sym) | VDEV_VM_BIT_(2, sym) |                      \
	 VDEV_VM_BIT_(3, sym) | VDEV_VM_BIT_(4, sym) | VDEV_VM_BIT_(5, sym) |                      \
	 VDEV_VM_BIT_(6, sym) | VDEV_VM_BIT_(7, sym))

/* Declare a device type: "VDEV_TYPE(vpl011) = { .name = ..., ... };". */
#define VDEV_TYPE(id)                                                                              \
	static const struct vdev_type vdev_type_##id;                                              \
	static const struct vdev_type *const vdev_type_ptr_##id __used __section("vdev_types")     \
	    __aligned(sizeof(void *)) = &vdev_type_##id;                                           \
	static const struct vdev_type vdev_type_##id

/** Every device type linked in (the "vdev_types" section). */
extern const struct vdev_type *const __start_vdev_types[];
extern const struct vdev_type *const __stop_vdev_types[];

/** Create the devices VM @vm's configuration gives it, phase by phase; all or none. */
int vdev_create_all(struct vm *vm, const struct platform *p);
/** Destroy every device of @vm, in the reverse order of creation. */
void vdev_destroy_all(struct vm *vm);
/** Reset every device of @vm (VM reset). */
void vdev_reset_all(struct vm *vm);
/** The VM stopped: each device's stop op. */
void vdev_stop_all(struct vm *vm);
/** Each device's statistics (power-off report). */
void vdev_report_all(const struct vm *vm);
/**
 * A vCPU was put (scheduler): the vcpu_put op of each of the VM's @nr devices @devs. Inline: it
 * runs on every vCPU switch.
 */
static inline void vdev_vcpu_put(struct vdev *devs, unsigned int nr)
{
	for (unsigned int i = 0; i < nr; i++) {
		if (devs[i].type->vcpu_put)
			devs[i].type->vcpu_put(&devs[i]);
	}
}
/** The device of @vm whose type is named @name, or NULL. */
struct vdev *vdev_find(struct vm *vm, const char *name);
/** guest_fdt's write_node for a struct vdev (the device's fdt_node op). */
int vdev_fdt_write_node(void *fdt, const void *dev, u32 clk_phandle);
/** The device names VM @id's configuration gives it, space-separated, into @buf. */
void vdev_config_names(unsigned int id, char *buf, size_t size);

#endif
