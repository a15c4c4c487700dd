/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef TESTS_FAKE_VGIC_HW_H
#define TESTS_FAKE_VGIC_HW_H

#include <tern/types.h>

struct vm;
struct vcpu;

/*
 * Shared by the vGIC unit tests and fuzz targets (fake_vgic_hw.c): the list-register layer of a
 * host interrupt controller named "fake", an array of FAKE_VGIC_NR_LRS "list registers" and an
 * ICH_HCR_EL2 that a test edits the way the guest's acknowledge and EOI would. An access past the
 * last list register aborts the program (a vGIC bug, whatever the test).
 */
#define FAKE_VGIC_NR_LRS 4U

struct fake_vgic_hw {
	u64 lr[FAKE_VGIC_NR_LRS];
	u64 hcr;
	/* init_cpu, save and restore calls */
	unsigned int inits, saves, restores;
};

extern struct fake_vgic_hw fake_vgic_hw;
/* The fake's ops, as vgic_hw_init_cpu() finds them for an irqchip named "fake". */
extern const struct vgic_hw_ops *const fake_vgic_hw_ops;

/*
 * A cleared fake made vgic_hw, and @vm a zeroed VM_RUNNING VM of @nr zeroed VCPU_RUNNING vCPUs
 * from @vcpus (ids 0..@nr-1) with VMPIDRs @mpidrs, or with NULL Aff0 = id % 4 and Aff1 = id / 4.
 */
void fake_vgic_vm_init(struct vm *vm, struct vcpu *vcpus, unsigned int nr, const u64 *mpidrs);
/* vgic_hw with (@on) or without fast_ppi, the GICv3 host's fast paths (default: without). */
void fake_vgic_hw_fast_paths(bool on);

#endif
