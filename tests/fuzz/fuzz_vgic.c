// SPDX-License-Identifier: GPL-2.0-only
/*
 * The vGICv3 (virt/vgic.c, vgic_v3_dist.c, vgic_v3_redist.c, vgic_mmio.c) driven by a sequence of
 * guest and device operations decoded from the input (fuzz_vgic_run): distributor and
 * redistributor accesses of any offset and size (also past the frames), SGIs with any ICC_SGI1R
 * value, device lines, PPIs, list-register round trips where the "guest" acks and EOIs at random,
 * resets, loads/saves. After every operation: no ap_list cycle, every queued interrupt on exactly
 * one list whose vCPU is its target, the lock released, list registers within bounds.
 */
#include <virt/vgic.h>
#include <virt/vgic_core.h>
#include "fuzz_vgic_harness.h"

/* The model's own frame: the redistributors, any offset and size. */
static void v3_redist_op(struct vcpu *v, bool odd, struct fuzz_input *in)
{
	fuzz_vgic_mmio(fuzz_vgic_region("gicr"), v, in, odd);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_input in = { data, size, 0 };

	fuzz_vgic_vm_init(&in);
	FUZZ_CHECK(vgic_v3_create(&fuzz_vm) == 0);
	FUZZ_CHECK(fuzz_vgic_region("gicr"));
	vgic_claim_spi(&fuzz_vm, 33);
	fuzz_vgic_run(&in, v3_redist_op, NULL);
	/* Teardown gives back every page and region (nothing leaks across VM restarts). */
	vgic_v3_destroy(&fuzz_vm);
	fuzz_vgic_check_teardown();
	return 0;
}
