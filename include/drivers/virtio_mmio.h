/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef DRIVERS_VIRTIO_MMIO_H
#define DRIVERS_VIRTIO_MMIO_H

#include <tern/platform.h>
#include <tern/types.h>

/*
 * Tern as the driver of one of the machine's virtio-mmio transports (virtio 1.2, 4.2.2),
 * version 2 only: probe, feature negotiation, one queue's set-up, notifications and interrupts.
 * The device behind it is driven by drivers/virtio_blk.c.
 */
struct vmio_host {
	paddr_t base;
	u32 intid;
	bool coherent;
	u32 device_id;
	/** Features the device offers (bits 0-63). */
	u64 features;
};

/**
 * Map the transport of @pv and look at it: 0 with @h filled for a version 2 transport with a
 * device, -TERN_ENODEV for an empty one (DeviceID 0) or no transport, -TERN_ENOTSUP for a legacy
 * (version 1) one, which is logged.
 */
int vmio_host_probe(struct vmio_host *h, const struct platform_virtio *pv);
/**
 * Reset, ACKNOWLEDGE, DRIVER, accept @wanted & offered (VERSION_1 must be offered), FEATURES_OK.
 * 0 and *@got, or -TERN_EIO when the device refuses.
 */
int vmio_host_negotiate(struct vmio_host *h, u64 wanted, u64 *got);
/** QueueNumMax of queue @q (0: no such queue). */
u32 vmio_host_queue_max(struct vmio_host *h, unsigned int q);
/** Set up queue @q with @num entries at these physical addresses and make it ready. */
int vmio_host_queue(struct vmio_host *h, unsigned int q, u16 num, paddr_t desc, paddr_t avail,
		    paddr_t used);
void vmio_host_driver_ok(struct vmio_host *h);
/** Reset the device (status 0) and wait until it reads back 0. */
void vmio_host_reset(struct vmio_host *h);
void vmio_host_notify(struct vmio_host *h, unsigned int q);
/** Read and acknowledge InterruptStatus: the bits that were set. */
u32 vmio_host_ack(struct vmio_host *h);
u32 vmio_host_status(struct vmio_host *h);
/** A 32-bit word of the device's configuration space, read consistently (ConfigGeneration). */
u32 vmio_host_config32(struct vmio_host *h, unsigned int offset);

#endif
