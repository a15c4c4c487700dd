/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef DRIVERS_VIRTIO_BLK_H
#define DRIVERS_VIRTIO_BLK_H

#include <tern/kconfig.h>
#include <tern/platform.h>
#include <tern/types.h>

/*
 * Tern's driver of the machine's own virtio-blk disks (drivers/virtio_blk.c), found among the
 * virtio-mmio nodes of the boot DT and numbered in DT order from 0. Requests go out
 * asynchronously, many at a time, each in an indirect table of its own; a request is built from
 * a slot (hblk_req_get), its data segments added, then submitted; when the disk has answered,
 * the slot is free again and the request's done() runs (from the disk's interrupt or
 * hblk_poll()).
 * Data is DMA'd to and from the segments' memory directly; the driver cleans and invalidates
 * it around the transfer so that even a guest with its caches off sees the data.
 *
 * Locking: each disk has one lock, never held while done() or a waiter runs; both may submit.
 */

struct hblk;
struct hblk_req;

/**
 * A user of a disk whose request found too few free slots (several VMs may share a disk): its
 * fn(w) runs once after answers gave slots back, from the disk's interrupt or hblk_poll().
 */
struct hblk_waiter {
	void (*fn)(struct hblk_waiter *w);
	struct hblk_waiter *next;
	bool queued;
};

/** A request's answer: the @priv and @priv2 it was submitted with, and its status. */
typedef void (*hblk_done_t)(void *priv, void *priv2, u8 status);

/** Requests a disk takes at once at least (a disk whose queue is smaller is not used). */
#define HBLK_MIN_SLOTS 16
/** Data segments one request carries at most (its indirect table holds two more). */
#define HBLK_MAX_SEGS 254

#ifdef CONFIG_VIRT_VIRTIO_BLK_HOST

/** Probe the boot DT's virtio-mmio transports; set up each virtio-blk disk. Logs what it finds. */
void hblk_init(const struct platform *p);
/** The @index-th disk (DT order), or NULL. */
struct hblk *hblk_get(unsigned int index);
/** Size in 512-byte sectors; whether the disk is read-only; whether it has a write cache. */
u64 hblk_capacity(const struct hblk *d);
bool hblk_read_only(const struct hblk *d);
bool hblk_has_flush(const struct hblk *d);
/** Largest data segment (bytes). */
u32 hblk_size_max(const struct hblk *d);
/** Segments per request (at most HBLK_MAX_SEGS, the disk's SEG_MAX if it says less). */
u32 hblk_seg_max(const struct hblk *d);
/**
 * Reserve sectors [first, first + count) for VM @vm: -TERN_ERANGE past the disk's end,
 * -TERN_EBUSY if they overlap another VM's region (both logged).
 */
int hblk_claim(struct hblk *d, u64 first, u64 count, unsigned int vm);
void hblk_release(struct hblk *d, unsigned int vm);
/** Free request slots now. */
unsigned int hblk_free_slots(struct hblk *d);
/** A free slot, or NULL when every one is in flight. */
struct hblk_req *hblk_req_get(struct hblk *d);
/**
 * @n (at most HBLK_MIN_SLOTS) free slots into @reqs, all or none. None: false, and @w (if not
 * NULL) waits for answers to give slots back.
 */
bool hblk_req_get_n(struct hblk *d, struct hblk_req **reqs, unsigned int n, struct hblk_waiter *w);
/** @w waits no more; on return its fn() is not running and will not run. */
void hblk_unwait(struct hblk *d, struct hblk_waiter *w);
/** Give back a slot that was not submitted. */
void hblk_req_put(struct hblk *d, struct hblk_req *r);
/** Append a data segment (host physical memory); -TERN_ENOSPC past hblk_seg_max(). */
int hblk_req_add(struct hblk_req *r, paddr_t pa, u32 len);
/** Bytes of data added so far. */
u64 hblk_req_bytes(const struct hblk_req *r);
/**
 * Send @r (type VIRTIO_BLK_T_IN, _OUT or _FLUSH, at absolute @sector); @done(@priv, @priv2,
 * status) runs once the disk answered, after the slot was given back.
 */
void hblk_req_submit(struct hblk *d, struct hblk_req *r, u32 type, u64 sector, hblk_done_t done,
		     void *priv, void *priv2);
/** Take the disk's answers now (as its interrupt does): a waiter on another pCPU's request. */
void hblk_poll(struct hblk *d);
/** The power-off report of disk @d. */
void hblk_report(const struct hblk *d);

#else

static inline void hblk_init(const struct platform *p)
{
	(void)p;
}

#endif

#endif
