/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef VIRT_VIRTQUEUE_H
#define VIRT_VIRTQUEUE_H

#include <tern/types.h>
#include <virt/virtio.h>

/*
 * The device side of a split virtqueue (virtio 1.2, 2.7) over guest memory the guest may be
 * changing at the same time: every index and descriptor is copied once and checked before use,
 * nothing read from the guest is trusted twice. A ring that cannot be walked (an index past the
 * queue, a loop, an indirect table inside an indirect table, ...) makes the caller put the device
 * into DEVICE_NEEDS_RESET; a chain that can be walked but names memory outside the VM's RAM is
 * returned marked bad, so that its request can still complete with an error.
 */

/** How the queue reaches guest memory (the VM's RAM, with the cache maintenance it needs). */
struct virtq_mem {
	void *ctx;
	/** Copy [addr, addr + len) of guest memory to @buf: 0, or non-zero unless all of it is RAM.
	 */
	int (*read)(void *ctx, u64 addr, void *buf, u64 len);
	/** Copy @buf to [addr, addr + len) of guest memory, in order: 0 or non-zero as read. */
	int (*write)(void *ctx, u64 addr, const void *buf, u64 len);
	/** [addr, addr + len) lies in the VM's RAM (and does not wrap). */
	bool (*in_ram)(void *ctx, u64 addr, u64 len);
};

struct virtq {
	/** Queue Size chosen by the driver (QueueNum); a power of 2. */
	u16 num;
	/** QueueReady. */
	bool ready;
	/** Descriptor table, driver area (avail ring), device area (used ring): guest addresses. */
	u64 desc;
	u64 avail;
	u64 used;
	/** Negotiated VIRTIO_F_INDIRECT_DESC and VIRTIO_F_EVENT_IDX. */
	bool indirect;
	bool event_idx;
	/** Next avail ring slot to take, next used ring slot to fill (free-running). */
	u16 last_avail;
	u16 used_idx;
	/** used_idx when the driver was last considered for an interrupt (EVENT_IDX). */
	u16 signalled_used;
	bool signalled_valid;
};

/** One buffer of a chain, as the driver described it (checked against RAM: see bad). */
struct virtq_buf {
	u64 addr;
	u32 len;
	bool write; /* device-writable */
};

/** A descriptor chain taken from the avail ring. */
struct virtq_chain {
	u16 head;
	/** Buffers in the caller's array, in chain order. */
	unsigned int nr;
	/** Bytes the device may read, bytes it may write. */
	u64 readable;
	u64 writable;
	/**
	 * NULL, or why the chain's buffers cannot be used although the chain could be walked (a
	 * buffer outside RAM or wrapping, a device-readable buffer after a device-writable one).
	 */
	const char *bad;
};

/** Scratch the caller provides for virtq_pop(): room for vq->num of each. */
struct virtq_scratch {
	struct virtq_buf *bufs;
	struct virtq_desc *table;
	unsigned int size;
};

/** Back to "not set up" (device reset). */
void virtq_reset(struct virtq *vq);
/**
 * Checks for QueueReady = 1: NULL if the queue can be used, else why not (QueueNum 0, above
 * @num_max or not a power of 2, an area misaligned or not in RAM, unset addresses).
 */
const char *virtq_check(const struct virtq *vq, const struct virtq_mem *m, u16 num_max);
/**
 * Take the next available chain: 1 and @c (buffers in @s->bufs), 0 if the driver has made
 * nothing available, -1 if the ring is broken (*why says how; the device needs a reset).
 */
int virtq_pop(struct virtq *vq, const struct virtq_mem *m, const struct virtq_scratch *s,
	      struct virtq_chain *c, const char **why);
/** Put chain @head with @len bytes written into the used ring: 0, or -1 (needs reset). */
int virtq_push(struct virtq *vq, const struct virtq_mem *m, u16 head, u32 len);
/**
 * After pushing: whether the driver wants an interrupt now (used_event with EVENT_IDX, else the
 * NO_INTERRUPT flag). Call once per batch.
 */
bool virtq_should_interrupt(struct virtq *vq, const struct virtq_mem *m);
/**
 * Before the device goes idle: with EVENT_IDX ask for a notification at the next buffer
 * (avail_event). True if buffers were made available meanwhile: pop again.
 */
bool virtq_enable_notify(struct virtq *vq, const struct virtq_mem *m);

#endif
