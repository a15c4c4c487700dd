/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef VIRT_VIRTIO_MMIO_H
#define VIRT_VIRTIO_MMIO_H

#include <tern/spinlock.h>
#include <tern/types.h>
#include <virt/virtio.h>
#include <virt/virtqueue.h>

/*
 * Emulated virtio-mmio transports (virtio 1.2, 4.2.2, version 2 only) in QEMU virt's window:
 * slot n at GUEST_VIRTIO_BASE + n * 0x200 with SPI 16 + n (INTID 48 + n). The window belongs to
 * a VM's "virtio-mmio" device; virtio devices (virt/virtio_blk.c) attach to its slots. A slot
 * without a device reads as QEMU's empty transports do: magic, version, DeviceID 0.
 */

struct vm;
struct virtio_dev;

#define VIRTIO_MMIO_NR_SLOTS	32
#define VIRTIO_MMIO_FIRST_INTID 48
#define VIRTIO_MMIO_WINDOW_SIZE (VIRTIO_MMIO_NR_SLOTS * VIRTIO_MMIO_SLOT_SIZE)
/** VendorID: "TERN". */
#define VIRTIO_MMIO_VENDOR    0x4e524554U
#define VIRTIO_DEV_MAX_QUEUES 2
/** Feature bits every device offers through the transport. */
#define VIRTIO_TRANSPORT_FEATURES                                                                  \
	(BIT(VIRTIO_F_VERSION_1) | BIT(VIRTIO_F_INDIRECT_DESC) | BIT(VIRTIO_F_EVENT_IDX))

/** What a device type gives the transport. */
struct virtio_dev_ops {
	const char *name;
	u32 device_id;
	unsigned int nr_queues;
	u16 queue_num_max;
	/** Bytes of its configuration space (at offset 0x100). */
	unsigned int config_size;
	/** Fill @buf (config_size bytes, little-endian) with the current configuration. */
	void (*config)(struct virtio_dev *vd, u8 *buf);
	/** The driver notified queue @q of a device that is DRIVER_OK. vd->lock is held. */
	void (*notify)(struct virtio_dev *vd, unsigned int q);
	/**
	 * Device reset: forget every request, after waiting for those in flight (status 0, VM
	 * reset, teardown, the VM stopping). vd->lock is held.
	 */
	void (*reset)(struct virtio_dev *vd);
};

/** One transport with its device. Everything below is covered by @lock. */
struct virtio_dev {
	struct vm *vm;
	const struct virtio_dev_ops *ops;
	void *priv;
	/** Device feature bits offered (the device's own and VIRTIO_TRANSPORT_FEATURES). */
	u64 features;
	unsigned int slot;
	u32 intid;
	struct spinlock lock;
	u32 status;
	u32 dev_features_sel;
	u32 drv_features_sel;
	u64 driver_features;
	u32 queue_sel;
	u32 isr;
	u32 config_generation;
	bool irq_level;
	/** The VM stopped: no guest memory is touched any more. */
	bool stopped;
	struct virtq vq[VIRTIO_DEV_MAX_QUEUES];
	struct virtq_mem mem;
	/** Statistics for the power-off report. */
	u64 notifies;
	u64 interrupts;
	u64 needs_reset;
};

/**
 * Attach @vd (ops, priv, features set) to the first free slot of @vm's window, claim its SPI and
 * set up its guest-memory access: 0, -TERN_ENODEV without a window, -TERN_ENOSPC when full.
 */
int virtio_mmio_attach(struct vm *vm, struct virtio_dev *vd);
/** Detach from the window and release the SPI (teardown). */
void virtio_mmio_detach(struct virtio_dev *vd);
/** A device reset from outside (VM reset): as the driver writing 0 to Status. Takes the lock. */
void virtio_dev_reset(struct virtio_dev *vd);
/** The VM stopped: reset the device and ignore the guest from now on. Takes the lock. */
void virtio_dev_stop(struct virtio_dev *vd);
/**
 * Raise InterruptStatus @bits and the interrupt line. vd->lock held; the vCPU the interrupt wakes
 * is kicked by virtio_dev_unlock().
 */
void virtio_dev_interrupt(struct virtio_dev *vd, u32 bits);
/**
 * Drop vd->lock, then kick the vCPUs an interrupt raised under it concerns: the kick (an SGI)
 * is slow under QEMU, and the woken vCPU's first act is to read InterruptStatus under vd->lock.
 * Every path that took vd->lock drops it so.
 */
void virtio_dev_unlock(struct virtio_dev *vd);
/**
 * The driver broke the protocol (@why): DEVICE_NEEDS_RESET, a configuration-change interrupt,
 * the device does nothing more until reset; logged once per VM. vd->lock held.
 */
void virtio_dev_needs_reset(struct virtio_dev *vd, const char *why);
/** Log a guest error that only fails a request (@what, @why), once per VM. */
void virtio_dev_log_error(struct virtio_dev *vd, const char *what, const char *why);
/** The driver set DRIVER_OK and the device does not need a reset: queues may be used. */
static inline bool virtio_dev_live(const struct virtio_dev *vd)
{
	return (vd->status & (VIRTIO_STATUS_DRIVER_OK | VIRTIO_STATUS_DEVICE_NEEDS_RESET)) ==
		   VIRTIO_STATUS_DRIVER_OK &&
	       !vd->stopped;
}

#endif
