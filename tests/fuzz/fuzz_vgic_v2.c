// SPDX-License-Identifier: GPL-2.0-only
/*
 * The vGICv2 (virt/vgic.c, vgic_v2.c, vgic_v2_dist.c, vgic_mmio.c) driven by a sequence of guest
 * and device operations decoded from the input (fuzz_vgic_run): distributor accesses of any
 * offset and size by any vCPU (also past the frame: GICD_SGIR with any value, ITARGETSR and the
 * SGI pending bytes), device lines, PPIs, list-register round trips where the "guest" acks and EOIs
 * at random, resets, loads/saves. After every operation: no ap_list cycle, every queued interrupt
 * on exactly one list whose vCPU is its target, the lock released, list registers within bounds;
 * and the GICv2 rules: an SGI's senders and an SPI's targets are vCPUs the VM has, an SGI not in a
 * list register is pending exactly when it has a sender, every list register names a real sender.
 */
#include <asm/stage2.h>
#include <drivers/gicv2.h>
#include <tern/irqchip.h>
#include <tern/platform.h>
#include <virt/vgic_core.h>
#include <virt/vgic_hw.h>
#include <virt/vgic_v2.h>
#include "fuzz_vgic_harness.h"

/* The GICV frame goes into stage 2: recorded, not mapped. */
static unsigned int s2_mapped;

int stage2_map(struct stage2 *s2, ipa_t ipa, paddr_t pa, u64 size, enum s2_attr attr)
{
	(void)s2;
	FUZZ_CHECK(ipa == 0x08010000UL && pa == 0x2c060000UL && size == 0x2000 &&
		   attr == S2_DEVICE_RW);
	s2_mapped++;
	return 0;
}

int stage2_unmap(struct stage2 *s2, ipa_t ipa, u64 size)
{
	(void)s2;
	FUZZ_CHECK(ipa == 0x08010000UL && size == 0x2000 && s2_mapped);
	s2_mapped--;
	return 0;
}

paddr_t gicv2_cpu_frame(paddr_t base, u64 size)
{
	(void)size;
	return base;
}

static const struct irqchip_driver gicv2_host = { .name = "gicv2" };
static struct platform plat = {
	.irqchip = { .drv = &gicv2_host,
		     .nr_regs = 4,
		     .regs = { { 0x2c010000, 0x1000 },
			       { 0x2c020000, 0x2000 },
			       { 0x2c040000, 0x1000 },
			       { 0x2c060000, 0x2000 } } },
};

/* The registers the GICv2 adds, more often than a random offset finds them. */
static void v2_dist_op(struct vcpu *v, bool odd, struct fuzz_input *in)
{
	static const u32 offs[] = { 0x800, 0x820, 0x828, 0xF00, 0xF10, 0xF20 };
	const struct mmio_region *gicd = fuzz_vgic_region("gicd");
	u32 off = offs[fuzz_u8(in) % 6] + fuzz_u8(in) % 16;
	unsigned int size = odd ? 4 : 1;

	if (size == 4)
		off &= ~3U;
	gicd->ops->write(v, gicd->priv, off, size, fuzz_u32(in));
}

/*
 * The GICv2 rules: an SGI's senders and an SPI's targets are vCPUs the VM has, an SGI not in a
 * list register is pending exactly when it has a sender, every list register names a real sender.
 */
static void v2_check(void)
{
	u16 vcpu_bits = (u16)((1U << fuzz_vm.nr_vcpus) - 1);

	for (unsigned int i = 0; i < VGIC_NR_SPIS; i++)
		FUZZ_CHECK(!(fuzz_vm.vgic->spis[i].targets & ~vcpu_bits));
	for (unsigned int i = 0; i < fuzz_vm.nr_vcpus; i++) {
		const struct vgic_cpu *c = fuzz_vcpus[i].vgic;

		for (unsigned int sgi = 0; sgi < 16; sgi++) {
			const struct vgic_irq *irq = &c->priv[sgi];

			FUZZ_CHECK(!(irq->sgi_source & ~vcpu_bits));
			FUZZ_CHECK(irq->active_source < fuzz_vm.nr_vcpus);
			if (!irq->in_lr)
				FUZZ_CHECK(irq->pending_latch == (irq->sgi_source != 0));
		}
		for (unsigned int n = 0; n < c->used_lrs; n++) {
			u64 lr = c->lr[n];

			if ((lr & ICH_LR_VINTID_MASK) < 16)
				FUZZ_CHECK(((lr & VGIC_LR_SOURCE_MASK) >> VGIC_LR_SOURCE_SHIFT) <
					   fuzz_vm.nr_vcpus);
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_input in = { data, size, 0 };

	fuzz_vgic_vm_init(&in);
	FUZZ_CHECK(vgic_v2_create(&fuzz_vm, &plat) == 0);
	FUZZ_CHECK(s2_mapped == 1);
	vgic_claim_spi(&fuzz_vm, 33);
	vgic_claim_spi(&fuzz_vm, 40);
	fuzz_vgic_run(&in, v2_dist_op, v2_check);
	/* Teardown gives back every page, region and mapping (nothing leaks across VM restarts). */
	vgic_v2_destroy(&fuzz_vm);
	fuzz_vgic_check_teardown();
	FUZZ_CHECK(s2_mapped == 0);
	return 0;
}
