/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef TERN_GUEST_FDT_H
#define TERN_GUEST_FDT_H

#include <tern/types.h>

/*
 * A VM's device tree, written once at VM creation with libfdt's sequential-write API and kept
 * pristine afterwards (each start and reset copies the same blob into guest RAM).
 */

/** Phandles the writer hands out; device models refer to them, never invent their own. */
#define GUEST_FDT_PHANDLE_GIC 1
#define GUEST_FDT_PHANDLE_CLK 2

/** The fixed APB clock device models such as the PL011 reference through GUEST_FDT_PHANDLE_CLK. */
#define GUEST_FDT_CLK_HZ 24000000

#define GUEST_FDT_MAX_VCPUS 8

/** A device model that owns its node. */
struct guest_fdt_device {
	/**
	 * Write the device's node (fdt_begin_node() .. fdt_end_node()) under the root with the
	 * sequential-write API. @clk_phandle is the fixed clock's phandle, for "clocks". Returns 0
	 * or a negative libfdt error (-FDT_ERR_*), as the libfdt calls it makes do.
	 */
	int (*write_node)(void *fdt, const void *dev, u32 clk_phandle);
	/** Passed back to write_node. */
	const void *dev;
};

struct guest_fdt_params {
	/** For "model" ("Tern VM <id>") and messages. */
	unsigned int vm_id;
	/** 1 .. GUEST_FDT_MAX_VCPUS. */
	unsigned int nr_vcpus;
	/** "reg" of each cpu node: MPIDR affinity bits only (MPIDR_HWID_MASK). */
	u64 vmpidr[GUEST_FDT_MAX_VCPUS];
	ipa_t ram_base;
	u64 ram_size;
	/** NULL or "" for none. */
	const char *bootargs;
	ipa_t initrd_start;
	/** 0 = no initrd. */
	u64 initrd_size;
	/**
	 * The VM has a virtual GIC (whose device writes the node with phandle
	 * GUEST_FDT_PHANDLE_GIC): it is the root's interrupt-parent and the timer gets its
	 * interrupts.
	 */
	bool irqchip;
	/** Timer PPI INTIDs in binding order: secure phys, non-secure phys, virt, hyp (29 30 27
	 * 26). */
	u32 timer_ppis[4];
	/** A /pmu node; with interrupts = pmu_ppi when that is not 0 (and there is a GIC). */
	bool pmu;
	u32 pmu_ppi;
	/** The /psci method: "smc" if set, else "hvc" (the VM's conduit, from its guest type). */
	bool psci_smc;
	/** Absolute node path (options after ':' allowed, e.g. "/pl011@9000000:115200n8"), or NULL.
	 */
	const char *stdout_path;
	unsigned int nr_devices;
	const struct guest_fdt_device *devices;
};

/**
 * Write the VM's device tree into @buf (@bufsize bytes). On success the blob is complete and
 * compact: its size is fdt_totalsize(@buf). Returns 0, -TERN_EINVAL for bad parameters or a libfdt
 * failure, -TERN_ENOSPC when @buf is too small; the reason is logged.
 *
 * libfdt is built with FP/SIMD and without strict alignment: call only with the MMU on and
 * before any guest runs (at VM creation).
 */
int guest_fdt_write(void *buf, size_t bufsize, const struct guest_fdt_params *p);

#endif
