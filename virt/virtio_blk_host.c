// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host disk backend: the VM's disk is a region of one of the machine's virtio-blk disks
 * (drivers/virtio_blk.c), so that what it writes reaches that disk. A request goes out as one
 * or more host requests (a guest buffer that spans host RAM blocks becomes several segments; a
 * request with more segments than a host request takes is split at sector boundaries) and is
 * answered when the last one comes back: the VM runs on meanwhile, with several requests in
 * flight. A driver that did not negotiate VIRTIO_BLK_F_FLUSH expects each write to be on the
 * disk when answered: a host FLUSH follows it then.
 */
#include <asm/processor.h>
#include <drivers/virtio_blk.h>
#include <tern/compiler.h>
#include <tern/errno.h>
#include <tern/printk.h>
#include <tern/vm.h>
#include <virt/virtio_blk.h>

/* Host requests one guest request may become. */
#define VBLK_HOST_MAX_PARTS 8
_Static_assert(VBLK_HOST_MAX_PARTS + 1 <= HBLK_MIN_SLOTS, "a request's parts and flush fit");

/* The host disk has free slots again (it had too few for a request of this VM). */
static void vblk_host_wake(struct hblk_waiter *w)
{
	vblk_resume(container_of(w, struct vblk, be_waiter));
}

static __cold int vblk_host_open(struct vblk *vb, const struct vblk_disk_cfg *cfg)
{
	unsigned int vm = vb->vd.vm->id;
	struct hblk *d = hblk_get(cfg->host_index);
	u64 first, count;
	int rc;

	if (!d) {
		pr_err("vm%u: virtio-blk: the machine has no virtio-blk disk %u (disks are counted "
		       "in DT order from 0)\n",
		       vm, cfg->host_index);
		return -TERN_ENODEV;
	}
	if (cfg->host_offset % VIRTIO_BLK_SECTOR_SIZE || cfg->host_size % VIRTIO_BLK_SECTOR_SIZE) {
		pr_err("vm%u: virtio-blk: region 0x%llx+0x%llx is not in whole sectors\n", vm,
		       (unsigned long long)cfg->host_offset, (unsigned long long)cfg->host_size);
		return -TERN_EINVAL;
	}
	first = cfg->host_offset >> VIRTIO_BLK_SECTOR_SHIFT;
	count = cfg->host_size >> VIRTIO_BLK_SECTOR_SHIFT;
	if (!count)
		count = first < hblk_capacity(d) ? hblk_capacity(d) - first : 0;
	rc = hblk_claim(d, first, count, vm);
	if (rc)
		return rc;
	vb->be = d;
	vb->be_waiter = (struct hblk_waiter){ .fn = vblk_host_wake };
	vb->be_offset = first;
	vb->capacity = count;
	if (hblk_read_only(d))
		vb->limits.read_only = true;
	return 0;
}

static void vblk_host_close(struct vblk *vb)
{
	hblk_unwait(vb->be, &vb->be_waiter);
	hblk_release(vb->be, vb->vd.vm->id);
	vb->be = NULL;
}

/* A host request came back: the last data part sends the flush it was waiting for. */
static void vblk_host_done(void *priv, void *priv2, u8 status)
{
	struct vblk *vb = priv;
	struct vblk_slot *s = priv2;
	struct hblk_req *flush = NULL;

	spin_lock(&vb->vd.lock);
	if (s->be_flush && --s->be_parts_left == 0) {
		flush = s->be_flush;
		s->be_flush = NULL;
		if (status != VIRTIO_BLK_S_OK || s->status != VIRTIO_BLK_S_OK) {
			/* Nothing to make durable: the flush part fails with the data. */
			hblk_req_put(vb->be, flush);
			flush = NULL;
			vblk_part_done_locked(vb, s, VIRTIO_BLK_S_IOERR);
		}
	}
	virtio_dev_unlock(&vb->vd);
	if (flush)
		hblk_req_submit(vb->be, flush, VIRTIO_BLK_T_FLUSH, 0, vblk_host_done, vb, s);
	vblk_part_done(vb, s, status);
}

/*
 * Call @fn on each host-contiguous piece of the request's data (guest RAM is contiguous for the
 * guest only), no piece longer than the disk takes; the number of pieces.
 */
static unsigned int vblk_host_pieces(struct vblk *vb, const struct vblk_io *io,
				     bool (*fn)(void *ctx, paddr_t pa, u32 len), void *ctx)
{
	struct hblk *d = vb->be;
	struct vblk_iter it;
	unsigned int n = 0;
	u64 addr;
	u32 len;

	vblk_iter_init(&it, io->chain, io->bufs, io->req);
	while (vblk_iter_next(&it, &addr, &len)) {
		/* The disk reads and writes RAM without Tern: the blocks must be ready first. */
		if (vm_ram_prepare(vb->vd.vm, addr, len))
			return 0;
		while (len) {
			u64 contig;
			paddr_t pa = vm_ipa_to_pa(vb->vd.vm, addr, &contig);
			u32 piece = (u32)MIN((u64)len, MIN(contig, (u64)hblk_size_max(d)));

			if (!pa || !piece)
				return 0; /* checked before: cannot happen */
			if (fn && !fn(ctx, pa, piece))
				return 0;
			n++;
			addr += piece;
			len -= piece;
		}
	}
	return n;
}

struct vblk_host_fill {
	struct hblk_req **parts;
	unsigned int part;
	unsigned int nr_parts;
	u32 seg_max;
};

static bool vblk_host_add(void *ctx, paddr_t pa, u32 len)
{
	struct vblk_host_fill *f = ctx;

	if (hblk_req_add(f->parts[f->part], pa, len)) {
		/* Full: the next part starts at a sector boundary or not at all. */
		if (hblk_req_bytes(f->parts[f->part]) % VIRTIO_BLK_SECTOR_SIZE ||
		    f->part + 1 == f->nr_parts)
			return false;
		f->part++;
		return hblk_req_add(f->parts[f->part], pa, len) == 0;
	}
	return true;
}

static int vblk_host_submit(struct vblk *vb, struct vblk_slot *s, const struct vblk_io *io)
{
	const struct vblk_req *r = io->req;
	struct hblk *d = vb->be;
	struct hblk_req *parts[VBLK_HOST_MAX_PARTS + 1];
	struct vblk_host_fill fill = { .parts = parts, .seg_max = hblk_seg_max(d) };
	bool flush_after;
	unsigned int pieces, nr, need, got;
	u64 sector;

	if (r->type == VIRTIO_BLK_T_FLUSH) {
		struct hblk_req *f;

		if (!hblk_has_flush(d)) {
			vblk_part_done_locked(vb, s, VIRTIO_BLK_S_OK); /* no write cache */
			return 0;
		}
		if (!hblk_req_get_n(d, &f, 1, &vb->be_waiter))
			return -TERN_EBUSY;
		hblk_req_submit(d, f, VIRTIO_BLK_T_FLUSH, 0, vblk_host_done, vb, s);
		return 0;
	}
	flush_after = r->type == VIRTIO_BLK_T_OUT && hblk_has_flush(d) &&
		      !(vb->vd.driver_features & BIT(VIRTIO_BLK_F_FLUSH));
	pieces = vblk_host_pieces(vb, io, NULL, NULL);
	nr = pieces ? (pieces + fill.seg_max - 1) / fill.seg_max : 1;
	if (nr > VBLK_HOST_MAX_PARTS)
		return -TERN_E2BIG;
	need = nr + flush_after;
	fill.nr_parts = nr;
	/* All at once or none (several VMs may share the disk): then wait for slots. */
	if (!hblk_req_get_n(d, parts, need, &vb->be_waiter))
		return -TERN_EBUSY;
	got = need;
	if (pieces && vblk_host_pieces(vb, io, vblk_host_add, &fill) != pieces)
		goto refuse;
	nr = fill.part + 1;
	if (hblk_req_bytes(parts[nr - 1]) % VIRTIO_BLK_SECTOR_SIZE)
		goto refuse;
	for (unsigned int i = nr; i + flush_after < got; i++)
		hblk_req_put(d, parts[i]); /* split into fewer parts than counted */
	s->parts = nr + flush_after;
	s->be_parts_left = nr;
	s->be_flush = flush_after ? parts[got - 1] : NULL;
	sector = vb->be_offset + r->sector;
	for (unsigned int i = 0; i < nr; i++) {
		u64 bytes = hblk_req_bytes(parts[i]);

		hblk_req_submit(d, parts[i], r->type, sector, vblk_host_done, vb, s);
		sector += bytes >> VIRTIO_BLK_SECTOR_SHIFT;
	}
	return 0;
refuse:
	while (got)
		hblk_req_put(d, parts[--got]);
	return -TERN_EINVAL;
}

/* Requests in flight finish (the disk's interrupt may go to another pCPU: poll too). */
static void vblk_host_quiesce(struct vblk *vb)
{
	while (READ_ONCE(vb->nr_inflight)) {
		hblk_poll(vb->be);
		cpu_relax();
	}
}

static __cold void vblk_host_report(const struct vblk *vb)
{
	pr_info("vm%u: virtio-blk: sectors %llu+%llu of the host disk\n", vb->vd.vm->id,
		(unsigned long long)vb->be_offset, (unsigned long long)vb->capacity);
	hblk_report(vb->be);
}

const struct vblk_backend_ops vblk_host_backend = {
	.name = "host disk",
	.open = vblk_host_open,
	.close = vblk_host_close,
	.submit = vblk_host_submit,
	.quiesce = vblk_host_quiesce,
	.report = vblk_host_report,
};
