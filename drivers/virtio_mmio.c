// SPDX-License-Identifier: GPL-2.0-only
/*
 * Driver side of the machine's virtio-mmio transports (virtio 1.2, 4.2.2 and 3.1): version 2
 * only (QEMU must be given -global virtio-mmio.force-legacy=false; scripts/run-qemu does).
 */
#include <asm/mmu.h>
#include <asm/processor.h>
#include <asm/sysreg.h>
#include <drivers/virtio_mmio.h>
#include <tern/compiler.h>
#include <tern/errno.h>
#include <tern/printk.h>
#include <virt/virtio.h>

static u32 vmio_rd(const struct vmio_host *h, unsigned int off)
{
	u32 v = *(volatile u32 *)(h->base + off);

	dmb(oshld);
	return v;
}

static void vmio_wr(const struct vmio_host *h, unsigned int off, u32 v)
{
	/* Everything written to memory before (rings, tables) is seen by the device first. */
	dsb(oshst);
	*(volatile u32 *)(h->base + off) = v;
}

__cold int vmio_host_probe(struct vmio_host *h, const struct platform_virtio *pv)
{
	int rc;

	*h = (struct vmio_host){ .base = pv->base,
				 .intid = pv->intid,
				 .coherent = pv->dma_coherent };
	if (pv->size < VIRTIO_MMIO_CONFIG)
		return -TERN_ENODEV;
	rc = mmu_map(pv->base, pv->base + pv->size, MMU_DEVICE);
	if (rc && rc != -TERN_EEXIST)
		return rc;
	if (vmio_rd(h, VIRTIO_MMIO_MAGIC_VALUE) != VIRTIO_MMIO_MAGIC)
		return -TERN_ENODEV;
	h->device_id = vmio_rd(h, VIRTIO_MMIO_DEVICE_ID);
	if (!h->device_id)
		return -TERN_ENODEV;
	if (vmio_rd(h, VIRTIO_MMIO_VERSION) != 2) {
		pr_warn("virtio: transport at 0x%llx is legacy (version %u), not supported; under "
			"QEMU use -global virtio-mmio.force-legacy=false\n",
			(unsigned long long)pv->base, vmio_rd(h, VIRTIO_MMIO_VERSION));
		return -TERN_ENOTSUP;
	}
	for (u32 sel = 0; sel < 2; sel++) {
		vmio_wr(h, VIRTIO_MMIO_DEVICE_FEAT_SEL, sel);
		h->features |= (u64)vmio_rd(h, VIRTIO_MMIO_DEVICE_FEATURES) << (32 * sel);
	}
	return 0;
}

void vmio_host_reset(struct vmio_host *h)
{
	vmio_wr(h, VIRTIO_MMIO_STATUS, 0);
	while (vmio_rd(h, VIRTIO_MMIO_STATUS))
		cpu_relax();
}

int vmio_host_negotiate(struct vmio_host *h, u64 wanted, u64 *got)
{
	u64 f = wanted & h->features;

	vmio_host_reset(h);
	vmio_wr(h, VIRTIO_MMIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE);
	vmio_wr(h, VIRTIO_MMIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);
	if (!(f & BIT(VIRTIO_F_VERSION_1)))
		goto failed;
	for (u32 sel = 0; sel < 2; sel++) {
		vmio_wr(h, VIRTIO_MMIO_DRIVER_FEAT_SEL, sel);
		vmio_wr(h, VIRTIO_MMIO_DRIVER_FEATURES, (u32)(f >> (32 * sel)));
	}
	vmio_wr(h, VIRTIO_MMIO_STATUS,
		VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_FEATURES_OK);
	if (!(vmio_rd(h, VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_FEATURES_OK))
		goto failed;
	*got = f;
	return 0;
failed:
	vmio_wr(h, VIRTIO_MMIO_STATUS, vmio_rd(h, VIRTIO_MMIO_STATUS) | VIRTIO_STATUS_FAILED);
	return -TERN_EIO;
}

u32 vmio_host_queue_max(struct vmio_host *h, unsigned int q)
{
	vmio_wr(h, VIRTIO_MMIO_QUEUE_SEL, q);
	return vmio_rd(h, VIRTIO_MMIO_QUEUE_READY) ? 0 : vmio_rd(h, VIRTIO_MMIO_QUEUE_NUM_MAX);
}

int vmio_host_queue(struct vmio_host *h, unsigned int q, u16 num, paddr_t desc, paddr_t avail,
		    paddr_t used)
{
	vmio_wr(h, VIRTIO_MMIO_QUEUE_SEL, q);
	vmio_wr(h, VIRTIO_MMIO_QUEUE_NUM, num);
	vmio_wr(h, VIRTIO_MMIO_QUEUE_DESC_LOW, (u32)desc);
	vmio_wr(h, VIRTIO_MMIO_QUEUE_DESC_HIGH, (u32)((u64)desc >> 32));
	vmio_wr(h, VIRTIO_MMIO_QUEUE_DRIVER_LOW, (u32)avail);
	vmio_wr(h, VIRTIO_MMIO_QUEUE_DRIVER_HIGH, (u32)((u64)avail >> 32));
	vmio_wr(h, VIRTIO_MMIO_QUEUE_DEVICE_LOW, (u32)used);
	vmio_wr(h, VIRTIO_MMIO_QUEUE_DEVICE_HIGH, (u32)((u64)used >> 32));
	vmio_wr(h, VIRTIO_MMIO_QUEUE_READY, 1);
	return vmio_rd(h, VIRTIO_MMIO_QUEUE_READY) == 1 ? 0 : -TERN_EIO;
}

void vmio_host_driver_ok(struct vmio_host *h)
{
	vmio_wr(h, VIRTIO_MMIO_STATUS, vmio_rd(h, VIRTIO_MMIO_STATUS) | VIRTIO_STATUS_DRIVER_OK);
}

void vmio_host_notify(struct vmio_host *h, unsigned int q)
{
	vmio_wr(h, VIRTIO_MMIO_QUEUE_NOTIFY, q);
}

u32 vmio_host_ack(struct vmio_host *h)
{
	u32 isr = vmio_rd(h, VIRTIO_MMIO_INTERRUPT_STATUS);

	if (isr)
		vmio_wr(h, VIRTIO_MMIO_INTERRUPT_ACK, isr);
	return isr;
}

u32 vmio_host_status(struct vmio_host *h)
{
	return vmio_rd(h, VIRTIO_MMIO_STATUS);
}

u32 vmio_host_config32(struct vmio_host *h, unsigned int offset)
{
	u32 gen, v;

	do {
		gen = vmio_rd(h, VIRTIO_MMIO_CONFIG_GENERATION);
		v = vmio_rd(h, VIRTIO_MMIO_CONFIG + offset);
	} while (gen != vmio_rd(h, VIRTIO_MMIO_CONFIG_GENERATION));
	return v;
}
