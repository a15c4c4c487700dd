/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef FUZZ_VGIC_HARNESS_H
#define FUZZ_VGIC_HARNESS_H

#include <tern/mmio.h>
#include <tern/vcpu.h>
#include <tern/vm.h>
#include "fake_vgic_hw.h"
#include "fuzz_input.h"

/*
 * What the vGIC fuzz targets (fuzz_vgic.c for the GICv3 model, fuzz_vgic_v2.c for the GICv2
 * one) share, in fuzz_vgic_harness.c: the VM and its vCPUs, the fakes of the scheduler (each
 * checking the vGIC lock rule of sched.h), the MMIO registry and the page allocator (recording
 * what the model registers and allocates), and the checks after every operation.
 */
#define FUZZ_VGIC_MAX_REGIONS 4
#define FUZZ_VGIC_MAX_PAGES   32

extern struct vm fuzz_vm;
extern struct vcpu fuzz_vcpus[VM_MAX_VCPUS];

struct fuzz_vgic_fakes {
	struct mmio_region regions[FUZZ_VGIC_MAX_REGIONS];
	unsigned int nr_regions;
	void *pages[FUZZ_VGIC_MAX_PAGES];
	unsigned int nr_pages;
};
extern struct fuzz_vgic_fakes fuzz_vgic_fakes;

/* A fresh VM of 1 to VM_MAX_VCPUS running vCPUs (a count from @in), no vGIC yet. */
void fuzz_vgic_vm_init(struct fuzz_input *in);
/* The MMIO region the model registered as @name, or NULL. */
const struct mmio_region *fuzz_vgic_region(const char *name);
/* An access of @r by @v: any offset up to 0x100 past the frame, any size, any value, from @in. */
void fuzz_vgic_mmio(const struct mmio_region *r, struct vcpu *v, struct fuzz_input *in, bool write);
/* The guest's side of a list-register round trip: ack, EOI, or leave each entry (from @in). */
void fuzz_vgic_guest_runs(struct fuzz_input *in);
/*
 * After every operation: the lock released, no active-state halt left, no list register live,
 * within bounds, every queued interrupt on exactly one ap_list (no cycle), its target's.
 */
void fuzz_vgic_check_lists(void);
/*
 * Up to 512 operations decoded from @in, each followed by fuzz_vgic_check_lists() and @check
 * (the model's own rules; may be NULL): distributor ("gicd") reads and writes of any offset and
 * size, @model_op (the model's own accesses; @odd tells its two opcodes apart), SGIs with any
 * ICC_SGI1R value, device lines, PPIs, list-register round trips, resets, SPI claims, pending
 * queries, loads and puts.
 */
void fuzz_vgic_run(struct fuzz_input *in,
		   void (*model_op)(struct vcpu *v, bool odd, struct fuzz_input *in),
		   void (*check)(void));
/* After the model's destroy: every page and region given back (nothing leaks across restarts). */
void fuzz_vgic_check_teardown(void);

#endif
