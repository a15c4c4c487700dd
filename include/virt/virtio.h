/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef VIRT_VIRTIO_H
#define VIRT_VIRTIO_H

/*
 * Facts of the virtio 1.2 specification (OASIS, virtio-v1.2-cs01) that both sides use: Tern's
 * emulated devices (virt/) and its driver of the machine's own disk (drivers/).
 */

#include <tern/compiler.h>
#include <tern/types.h>

/* 4.2.2 MMIO device register layout (version 2, "modern"). */
#define VIRTIO_MMIO_MAGIC_VALUE	      0x000
#define VIRTIO_MMIO_VERSION	      0x004
#define VIRTIO_MMIO_DEVICE_ID	      0x008
#define VIRTIO_MMIO_VENDOR_ID	      0x00c
#define VIRTIO_MMIO_DEVICE_FEATURES   0x010
#define VIRTIO_MMIO_DEVICE_FEAT_SEL   0x014
#define VIRTIO_MMIO_DRIVER_FEATURES   0x020
#define VIRTIO_MMIO_DRIVER_FEAT_SEL   0x024
#define VIRTIO_MMIO_QUEUE_SEL	      0x030
#define VIRTIO_MMIO_QUEUE_NUM_MAX     0x034
#define VIRTIO_MMIO_QUEUE_NUM	      0x038
#define VIRTIO_MMIO_QUEUE_READY	      0x044
#define VIRTIO_MMIO_QUEUE_NOTIFY      0x050
#define VIRTIO_MMIO_INTERRUPT_STATUS  0x060
#define VIRTIO_MMIO_INTERRUPT_ACK     0x064
#define VIRTIO_MMIO_STATUS	      0x070
#define VIRTIO_MMIO_QUEUE_DESC_LOW    0x080
#define VIRTIO_MMIO_QUEUE_DESC_HIGH   0x084
#define VIRTIO_MMIO_QUEUE_DRIVER_LOW  0x090
#define VIRTIO_MMIO_QUEUE_DRIVER_HIGH 0x094
#define VIRTIO_MMIO_QUEUE_DEVICE_LOW  0x0a0
#define VIRTIO_MMIO_QUEUE_DEVICE_HIGH 0x0a4
#define VIRTIO_MMIO_SHM_SEL	      0x0ac
#define VIRTIO_MMIO_SHM_LEN_LOW	      0x0b0
#define VIRTIO_MMIO_SHM_LEN_HIGH      0x0b4
#define VIRTIO_MMIO_SHM_BASE_LOW      0x0b8
#define VIRTIO_MMIO_SHM_BASE_HIGH     0x0bc
#define VIRTIO_MMIO_QUEUE_RESET	      0x0c0
#define VIRTIO_MMIO_CONFIG_GENERATION 0x0fc
#define VIRTIO_MMIO_CONFIG	      0x100

/** "virt", little-endian. */
#define VIRTIO_MMIO_MAGIC 0x74726976U
/** One transport's window. */
#define VIRTIO_MMIO_SLOT_SIZE 0x200U

/* InterruptStatus bits. */
#define VIRTIO_MMIO_INT_VRING  BIT(0)
#define VIRTIO_MMIO_INT_CONFIG BIT(1)

/* 2.1 Device status field. */
#define VIRTIO_STATUS_ACKNOWLEDGE	 1U
#define VIRTIO_STATUS_DRIVER		 2U
#define VIRTIO_STATUS_DRIVER_OK		 4U
#define VIRTIO_STATUS_FEATURES_OK	 8U
#define VIRTIO_STATUS_DEVICE_NEEDS_RESET 64U
#define VIRTIO_STATUS_FAILED		 128U

/* 6 Reserved feature bits. */
#define VIRTIO_F_INDIRECT_DESC	   28
#define VIRTIO_F_EVENT_IDX	   29
#define VIRTIO_F_VERSION_1	   32
#define VIRTIO_F_ACCESS_PLATFORM   33
#define VIRTIO_F_RING_PACKED	   34
#define VIRTIO_F_IN_ORDER	   35
#define VIRTIO_F_ORDER_PLATFORM	   36
#define VIRTIO_F_NOTIFICATION_DATA 38
#define VIRTIO_F_RING_RESET	   40

/* 5 Device IDs. */
#define VIRTIO_ID_BLOCK 2

/* 2.7 Split virtqueues. */
#define VIRTQ_DESC_F_NEXT	   1U
#define VIRTQ_DESC_F_WRITE	   2U
#define VIRTQ_DESC_F_INDIRECT	   4U
#define VIRTQ_AVAIL_F_NO_INTERRUPT 1U
#define VIRTQ_USED_F_NO_NOTIFY	   1U
/** Largest Queue Size a split virtqueue may have (2.7). */
#define VIRTQ_MAX_SIZE 32768U

/* Little-endian in memory, as Tern and its guests are (VIRTIO_F_VERSION_1). */
struct virtq_desc {
	u64 addr;
	u32 len;
	u16 flags;
	u16 next;
};

struct virtq_used_elem {
	u32 id; /* head of the chain, as u32 */
	u32 len;
};

_Static_assert(sizeof(struct virtq_desc) == 16, "2.7.5: a descriptor is 16 bytes");
_Static_assert(sizeof(struct virtq_used_elem) == 8, "2.7.8: a used element is 8 bytes");

/* Ring layout (2.7.6, 2.7.8): sizes and offsets within the driver and device areas. */
#define VIRTQ_AVAIL_IDX	      2
#define VIRTQ_AVAIL_RING(i)   (4 + 2 * (u64)(i))
#define VIRTQ_AVAIL_SIZE(num) (6 + 2 * (u64)(num)) /* flags, idx, ring[num], used_event */
#define VIRTQ_USED_IDX	      2
#define VIRTQ_USED_RING(i)    (4 + 8 * (u64)(i))
#define VIRTQ_USED_SIZE(num)  (6 + 8 * (u64)(num)) /* flags, idx, ring[num], avail_event */
#define VIRTQ_DESC_ALIGN      16
#define VIRTQ_AVAIL_ALIGN     2
#define VIRTQ_USED_ALIGN      4

/*
 * 2.7.10: with VIRTIO_F_EVENT_IDX, notify when the index moved past @event since @old
 * (both sides use this, on used_event and avail_event).
 */
static inline bool virtq_need_event(u16 event, u16 new_idx, u16 old_idx)
{
	return (u16)(new_idx - event - 1) < (u16)(new_idx - old_idx);
}

/* 5.2 Block device. */
#define VIRTIO_BLK_F_SIZE_MAX 1
#define VIRTIO_BLK_F_SEG_MAX  2
#define VIRTIO_BLK_F_GEOMETRY 4
#define VIRTIO_BLK_F_RO	      5
#define VIRTIO_BLK_F_BLK_SIZE 6
#define VIRTIO_BLK_F_FLUSH    9
#define VIRTIO_BLK_F_TOPOLOGY 10

#define VIRTIO_BLK_T_IN		  0
#define VIRTIO_BLK_T_OUT	  1
#define VIRTIO_BLK_T_FLUSH	  4
#define VIRTIO_BLK_T_GET_ID	  8
#define VIRTIO_BLK_T_GET_LIFETIME 10
#define VIRTIO_BLK_T_DISCARD	  11
#define VIRTIO_BLK_T_WRITE_ZEROES 13

#define VIRTIO_BLK_S_OK	    0
#define VIRTIO_BLK_S_IOERR  1
#define VIRTIO_BLK_S_UNSUPP 2

/** Sectors are 512 bytes whatever blk_size says (5.2.6). */
#define VIRTIO_BLK_SECTOR_SHIFT 9
#define VIRTIO_BLK_SECTOR_SIZE	512U
/** The request header: type, reserved (ioprio), sector. */
#define VIRTIO_BLK_HDR_SIZE 16U
/** GET_ID answers at most this many bytes of serial. */
#define VIRTIO_BLK_ID_BYTES 20U

/* struct virtio_blk_config offsets (5.2.4). */
#define VIRTIO_BLK_CFG_CAPACITY	  0
#define VIRTIO_BLK_CFG_SIZE_MAX	  8
#define VIRTIO_BLK_CFG_SEG_MAX	  12
#define VIRTIO_BLK_CFG_GEOMETRY	  16
#define VIRTIO_BLK_CFG_BLK_SIZE	  20
#define VIRTIO_BLK_CFG_TOPOLOGY	  24
#define VIRTIO_BLK_CFG_WRITEBACK  32
#define VIRTIO_BLK_CFG_NUM_QUEUES 34
#define VIRTIO_BLK_CFG_SIZE	  60

#endif
