/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef GUEST_VIRTIO_H
#define GUEST_VIRTIO_H

/*
 * A small virtio-mmio (version 2) and virtio-blk driver for the test guests, written from the
 * virtio 1.2 specification, with its parts exposed so that a test can also break the protocol on
 * purpose. The guest runs with its MMU off: rings and buffers are plain guest-physical memory.
 */

#include "libguest.h"

#define VIO_WINDOW    0x0A000000UL
#define VIO_SLOT_SIZE 0x200UL
#define VIO_NR_SLOTS  32
#define VIO_FIRST_SPI 48
#define VIO_SLOT(n)   (VIO_WINDOW + (u64)(n)*VIO_SLOT_SIZE)

/* Registers (4.2.2). */
#define VIO_MAGIC	  0x000
#define VIO_VERSION	  0x004
#define VIO_DEVICE_ID	  0x008
#define VIO_VENDOR_ID	  0x00c
#define VIO_DEV_FEAT	  0x010
#define VIO_DEV_FEAT_SEL  0x014
#define VIO_DRV_FEAT	  0x020
#define VIO_DRV_FEAT_SEL  0x024
#define VIO_QUEUE_SEL	  0x030
#define VIO_QUEUE_NUM_MAX 0x034
#define VIO_QUEUE_NUM	  0x038
#define VIO_QUEUE_READY	  0x044
#define VIO_QUEUE_NOTIFY  0x050
#define VIO_ISR		  0x060
#define VIO_ISR_ACK	  0x064
#define VIO_STATUS	  0x070
#define VIO_DESC_LO	  0x080
#define VIO_DESC_HI	  0x084
#define VIO_AVAIL_LO	  0x090
#define VIO_AVAIL_HI	  0x094
#define VIO_USED_LO	  0x0a0
#define VIO_USED_HI	  0x0a4
#define VIO_SHM_LEN_LO	  0x0b0
#define VIO_CONFIG_GEN	  0x0fc
#define VIO_CONFIG	  0x100

#define VIO_MAGIC_VALUE 0x74726976U

#define VIO_S_ACK	  1U
#define VIO_S_DRIVER	  2U
#define VIO_S_DRIVER_OK	  4U
#define VIO_S_FEATURES_OK 8U
#define VIO_S_NEEDS_RESET 64U
#define VIO_S_FAILED	  128U

#define VIO_F_INDIRECT_DESC 28
#define VIO_F_EVENT_IDX	    29
#define VIO_F_VERSION_1	    32

#define VQ_F_NEXT		1U
#define VQ_F_WRITE		2U
#define VQ_F_INDIRECT		4U
#define VQ_AVAIL_F_NO_INTERRUPT 1U

#define BLK_F_SIZE_MAX 1
#define BLK_F_SEG_MAX  2
#define BLK_F_RO       5
#define BLK_F_BLK_SIZE 6
#define BLK_F_FLUSH    9

#define BLK_T_IN      0
#define BLK_T_OUT     1
#define BLK_T_FLUSH   4
#define BLK_T_GET_ID  8
#define BLK_T_DISCARD 11
#define BLK_S_OK      0
#define BLK_S_IOERR   1
#define BLK_S_UNSUPP  2
#define BLK_S_NONE    0xee /* what the driver puts in the status byte before a request */

/** The largest queue these helpers set up. */
#define VQ_MAX 256

struct vq_desc {
	u64 addr;
	u32 len;
	u16 flags;
	u16 next;
};

struct vq_used_elem {
	u32 id;
	u32 len;
};

/** One virtqueue, driver side, in a VQ_MAX-sized ring area of its own. */
struct vq {
	u64 base; /* the transport's slot */
	unsigned int index;
	u16 num;
	struct vq_desc *desc;
	volatile u16 *avail; /* flags, idx, ring[num], used_event */
	volatile u16 *used;  /* flags, idx, then elements (and avail_event) */
	u16 avail_idx;	     /* next index to publish */
	u16 last_used;	     /* next used element to look at */
};

struct vq_ring_area {
	struct vq_desc desc[VQ_MAX];
	u16 avail[VQ_MAX + 3];
	u8 pad[4096 - (sizeof(u16) * (VQ_MAX + 3)) % 4096];
	u32 used[2 * VQ_MAX + 2];
} __attribute__((aligned(4096)));

static inline u32 vio_rd(u64 base, u32 off)
{
	return *(volatile u32 *)(base + off);
}

static inline void vio_wr(u64 base, u32 off, u32 v)
{
	dsb();
	*(volatile u32 *)(base + off) = v;
}

static inline volatile struct vq_used_elem *vq_used_elem(const struct vq *q, u16 i)
{
	return (volatile struct vq_used_elem *)((u64)q->used + 4 + 8 * (u64)(i % q->num));
}

static inline u16 vq_used_idx(const struct vq *q)
{
	dsb();
	return q->used[1];
}

/** The first slot whose DeviceID is @id, or -1. */
int vio_find(u32 id);
/**
 * Reset, ACKNOWLEDGE, DRIVER, accept @features (all of them must be offered), FEATURES_OK;
 * false (and FAILED set) if the device refuses.
 */
bool vio_negotiate(u64 base, u64 features);
/** Set up queue @index with @num entries in @area and make it ready; false if refused. */
bool vq_setup(struct vq *q, u64 base, unsigned int index, u16 num, struct vq_ring_area *area);
/** vio_negotiate + vq_setup(queue 0) + DRIVER_OK. */
bool vio_blk_init(struct vq *q, u64 base, u64 features, u16 num, struct vq_ring_area *area);
/** Put head @head on the avail ring (not notified). */
void vq_publish(struct vq *q, u16 head);
void vq_notify(const struct vq *q);
/** Wait (polling, @us at most) until the device used one more chain: true and its element. */
bool vq_wait_used(struct vq *q, u64 us, u32 *id, u32 *len);

/** A virtio-blk request in one chain: header, data buffers, status; its status or -1. */
struct blk_req {
	u32 type;
	u64 sector;
	void *data;
	u32 len;
	/** Split the data into pieces of this many bytes (0: one buffer). */
	u32 seg;
	/** Put the chain into an indirect table. */
	bool indirect;
};
int blk_do(struct vq *q, const struct blk_req *r, u32 *used_len);
/** Read the 64-bit capacity from the configuration space (two 32-bit reads). */
u64 blk_capacity(u64 base);

/**
 * Fill @buf with the pattern of bytes [@seed, @seed + len) of an endless pattern (so a disk
 * filled with seed 0 holds at sector s what pattern_fill(seed = 512 s) gives); check it back.
 */
void pattern_fill(void *buf, u64 len, u64 seed);
bool pattern_check(const void *buf, u64 len, u64 seed);

#endif
