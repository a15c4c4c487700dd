/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef VIRT_VIRTIO_BLK_H
#define VIRT_VIRTIO_BLK_H

#include <drivers/virtio_blk.h>
#include <tern/types.h>
#include <virt/virtio_blk_req.h>
#include <virt/virtio_mmio.h>

/*
 * The virtio-blk device model (virt/virtio_blk.c) and its backends: a RAM disk (a boot module,
 * virt/virtio_blk_ram.c) or a region of the machine's own virtio-blk disk
 * (virt/virtio_blk_host.c over drivers/virtio_blk.c). The device reads and checks requests; a
 * backend moves the data and answers each request it took, at once or later.
 */

struct vblk;
struct platform;

/** Queue Size offered; chains are at most this long, so SEG_MAX is 2 less. */
#define VBLK_QUEUE_SIZE 256
#define VBLK_SEG_MAX	(VBLK_QUEUE_SIZE - 2)
/** SIZE_MAX: the largest data segment. */
#define VBLK_SIZE_MAX (1U << 20)
/** Requests a device has in flight at most (its backend may allow fewer). */
#define VBLK_MAX_INFLIGHT 64

/** Where a VM's disk comes from, after Kconfig and the boot-time description. */
enum vblk_backend_kind {
	VBLK_BACKEND_NONE,
	VBLK_BACKEND_RAM,
	VBLK_BACKEND_HOST,
};

struct vblk_disk_cfg {
	enum vblk_backend_kind backend;
	bool read_only;
	/** RAM disk: the boot module. */
	paddr_t ram_base;
	u64 ram_size;
	/** Host disk: which one (DT order of the machine's virtio-blk devices) and which bytes. */
	unsigned int host_index;
	u64 host_offset;
	/** 0: to the end of the disk. */
	u64 host_size;
};

/** A request the device handed to its backend. */
struct vblk_slot {
	bool busy;
	u16 head;
	u8 status;
	u32 used_len;
	u64 status_addr;
	/** Backend parts still outstanding. */
	unsigned int parts;
	/** The backend's own: data parts still out, a flush to send after them. */
	unsigned int be_parts_left;
	void *be_flush;
};

/** What a request carries, for the backend. */
struct vblk_io {
	const struct vblk_req *req;
	const struct virtq_chain *chain;
	const struct virtq_buf *bufs;
};

struct vblk_backend_ops {
	const char *name;
	/**
	 * Set up the backend for @vb from @cfg: vb->capacity (sectors), vb->limits.read_only may
	 * be set; vb->be is its state. 0 or a negative TERN_E*, having logged why.
	 */
	int (*open)(struct vblk *vb, const struct vblk_disk_cfg *cfg);
	void (*close)(struct vblk *vb);
	/**
	 * Carry out IN, OUT or FLUSH request @io for slot @s (vb's lock held): 0 when taken (it
	 * answers through vblk_part_done[_locked], possibly before returning), -TERN_EBUSY when it
	 * has no room now (the device tries again after a completion of its own or vblk_resume()),
	 * another error to answer the request with IOERR at once.
	 */
	int (*submit)(struct vblk *vb, struct vblk_slot *s, const struct vblk_io *io);
	/** Wait until nothing submitted is still in flight (no lock held). May be NULL. */
	void (*quiesce)(struct vblk *vb);
	/** Log the backend's part of the power-off report. May be NULL. */
	void (*report)(const struct vblk *vb);
};

struct vblk {
	struct virtio_dev vd;
	const struct vblk_backend_ops *be_ops;
	void *be;
	/** Where the disk starts on the backend (sectors). */
	u64 be_offset;
	/** The host disk had no room: vblk_resume() once it has. */
	struct hblk_waiter be_waiter;
	u64 capacity;
	struct vblk_limits limits;
	char serial[VIRTIO_BLK_ID_BYTES];
	/** Resets waiting for requests in flight: meanwhile answers are dropped, nothing taken. */
	unsigned int resetting;
	unsigned int nr_inflight;
	struct vblk_slot slots[VBLK_MAX_INFLIGHT];
	/** Scratch of the queue walk (under the lock). */
	struct virtq_buf bufs[VBLK_QUEUE_SIZE];
	struct virtq_desc table[VBLK_QUEUE_SIZE];
	/** Statistics for the power-off report. */
	u64 reads, writes, flushes, other;
	u64 bytes_read, bytes_written;
	u64 errors;
	u64 async_answers;
	unsigned int max_inflight;
};

/** A backend part of slot @s ended with @status (a VIRTIO_BLK_S_*); vb's lock held. */
void vblk_part_done_locked(struct vblk *vb, struct vblk_slot *s, u8 status);
/** The same from outside (a host disk's interrupt): takes the lock, answers, goes on. */
void vblk_part_done(struct vblk *vb, struct vblk_slot *s, u8 status);
/** The backend has room again: take what waits on the ring (takes the lock). */
void vblk_resume(struct vblk *vb);

extern const struct vblk_backend_ops vblk_ram_backend;
extern const struct vblk_backend_ops vblk_host_backend;

#endif
