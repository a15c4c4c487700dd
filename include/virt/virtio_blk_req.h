/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef VIRT_VIRTIO_BLK_REQ_H
#define VIRT_VIRTIO_BLK_REQ_H

#include <tern/types.h>
#include <virt/virtqueue.h>

/*
 * One virtio-blk request (virtio 1.2, 5.2.6) read from a descriptor chain, whatever its framing
 * (2.6.4): the first 16 device-readable bytes are the header, the last device-writable byte the
 * status, what lies between is data (device-readable for OUT, device-writable for IN and GET_ID).
 */

/** What the disk allows. */
struct vblk_limits {
	/** In 512-byte sectors. */
	u64 capacity;
	bool read_only;
	/** Data segments per request (VIRTIO_BLK_F_SEG_MAX) and bytes per segment (SIZE_MAX). */
	u32 seg_max;
	u32 size_max;
};

enum vblk_verdict {
	/** A good request: carry it out, then answer with its status. */
	VBLK_DO,
	/** Answer at once with .status (IOERR or UNSUPP); .why says why for IOERR. */
	VBLK_ANSWER,
	/** No usable status byte: nothing can be answered, the device needs a reset (.why). */
	VBLK_BROKEN,
};

struct vblk_req {
	u32 type;
	u64 sector;
	/** Data bytes (0 for FLUSH). */
	u64 len;
	/** Guest address of the status byte. */
	u64 status_addr;
	/** For VBLK_ANSWER. */
	u8 status;
	const char *why;
};

/** Read and check the request of chain @c (buffers @bufs): its verdict, and @r filled. */
enum vblk_verdict vblk_parse(const struct virtq_chain *c, const struct virtq_buf *bufs,
			     const struct virtq_mem *m, const struct vblk_limits *lim,
			     struct vblk_req *r);

/** The data of a request, buffer piece by buffer piece. */
struct vblk_iter {
	const struct virtq_buf *bufs;
	unsigned int i;
	unsigned int nr;
	bool write;
	u64 skip;
	u64 left;
};

void vblk_iter_init(struct vblk_iter *it, const struct virtq_chain *c, const struct virtq_buf *bufs,
		    const struct vblk_req *r);
/** The next piece of data (never empty): true and its guest address and length, or false. */
bool vblk_iter_next(struct vblk_iter *it, u64 *addr, u32 *len);
/** Bytes the device writes for a good request (data in and the status byte): the used length. */
u32 vblk_used_len(const struct vblk_req *r);

#endif
