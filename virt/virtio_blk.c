// SPDX-License-Identifier: GPL-2.0-only
/*
 * The virtio-blk device (virtio 1.2, 5.2) of a VM, on a virtio-mmio transport: one request
 * queue; IN, OUT, FLUSH and GET_ID, other types UNSUPP. Each available chain is walked and its
 * request checked (virt/virtqueue.c, virt/virtio_blk_req.c) before a backend touches any data;
 * a request that fails a check is answered with IOERR, a ring that cannot be walked puts the
 * device into DEVICE_NEEDS_RESET. Many requests per notification, several in flight with an
 * asynchronous backend, an interrupt per batch as the driver asks (EVENT_IDX or NO_INTERRUPT).
 *
 * Locking: vb->vd.lock covers the device. A backend answers under it (vblk_part_done_locked)
 * or takes it (vblk_part_done). A reset waits for requests in flight with the lock dropped, so
 * that their answers can arrive; meanwhile they are dropped and no new request is taken.
 */
#include <string.h>
#include <tern/compiler.h>
#include <tern/errno.h>
#include <tern/format.h>
#include <tern/page_alloc.h>
#include <tern/platform.h>
#include <tern/printk.h>
#include <tern/vdev.h>
#include <tern/vm.h>
#include <virt/virtio_blk.h>
#include <virt/virtio_blk_config.h>

#define VBLK_ORDER 4 /* pages of struct vblk */

_Static_assert(sizeof(struct vblk) <= (PAGE_SIZE << VBLK_ORDER), "struct vblk fits its pages");
_Static_assert(VBLK_QUEUE_SIZE <= VIRTQ_MAX_SIZE, "a split queue's size");

static struct vblk *vblk_of(struct virtio_dev *vd)
{
	return container_of(vd, struct vblk, vd);
}

static void vblk_put_le(u8 *p, u64 v, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		p[i] = (u8)(v >> (8 * i));
}

static void vblk_config(struct virtio_dev *vd, u8 *buf)
{
	const struct vblk *vb = vblk_of(vd);

	vblk_put_le(buf + VIRTIO_BLK_CFG_CAPACITY, vb->capacity, 8);
	vblk_put_le(buf + VIRTIO_BLK_CFG_SIZE_MAX, vb->limits.size_max, 4);
	vblk_put_le(buf + VIRTIO_BLK_CFG_SEG_MAX, vb->limits.seg_max, 4);
	vblk_put_le(buf + VIRTIO_BLK_CFG_BLK_SIZE, VIRTIO_BLK_SECTOR_SIZE, 4);
	vblk_put_le(buf + VIRTIO_BLK_CFG_NUM_QUEUES, 1, 2);
}

/* ---- answering requests ---- */

static void vblk_answer(struct vblk *vb, u16 head, u64 status_addr, u8 status, u32 used_len)
{
	struct virtio_dev *vd = &vb->vd;

	if (vd->mem.write(vd->mem.ctx, status_addr, &status, 1) ||
	    virtq_push(&vd->vq[0], &vd->mem, head, used_len))
		virtio_dev_needs_reset(vd, "the used ring or a status byte is not writable");
	if (status != VIRTIO_BLK_S_OK)
		vb->errors++;
}

/* An interrupt for what was answered since the last one, if the driver wants it now. */
static void vblk_signal(struct vblk *vb)
{
	struct virtq *vq = &vb->vd.vq[0];

	if (vq->signalled_valid && vq->signalled_used == vq->used_idx)
		return;
	if (virtq_should_interrupt(vq, &vb->vd.mem))
		virtio_dev_interrupt(&vb->vd, VIRTIO_MMIO_INT_VRING);
}

void vblk_part_done_locked(struct vblk *vb, struct vblk_slot *s, u8 status)
{
	if (status != VIRTIO_BLK_S_OK)
		s->status = status;
	if (--s->parts)
		return;
	s->busy = false;
	vb->nr_inflight--;
	/* A reset is waiting for this one: the driver no longer has a queue to answer on. */
	if (vb->resetting || !virtio_dev_live(&vb->vd))
		return;
	vblk_answer(vb, s->head, s->status_addr, s->status,
		    s->status == VIRTIO_BLK_S_OK ? s->used_len : 1);
}

static void vblk_process(struct vblk *vb);

void vblk_part_done(struct vblk *vb, struct vblk_slot *s, u8 status)
{
	spin_lock(&vb->vd.lock);
	/* Answered from the backend's interrupt: the vCPU that asked ran on meanwhile. */
	if (s->parts == 1)
		vb->async_answers++;
	vblk_part_done_locked(vb, s, status);
	if (!vb->resetting && virtio_dev_live(&vb->vd)) {
		/* A request that found the backend full may go now. */
		vblk_process(vb);
		vblk_signal(vb);
	}
	virtio_dev_unlock(&vb->vd);
}

void vblk_resume(struct vblk *vb)
{
	spin_lock(&vb->vd.lock);
	if (!vb->resetting && virtio_dev_live(&vb->vd)) {
		vblk_process(vb);
		vblk_signal(vb);
	}
	virtio_dev_unlock(&vb->vd);
}

/* ---- taking requests ---- */

static void vblk_get_id(struct vblk *vb, const struct virtq_chain *c, const struct vblk_req *r)
{
	struct vblk_iter it;
	u32 done = 0, len;
	u64 addr;

	vblk_iter_init(&it, c, vb->bufs, r);
	while (done < VIRTIO_BLK_ID_BYTES && vblk_iter_next(&it, &addr, &len)) {
		len = MIN(len, VIRTIO_BLK_ID_BYTES - done);
		vb->vd.mem.write(vb->vd.mem.ctx, addr, vb->serial + done, len);
		done += len;
	}
}

static struct vblk_slot *vblk_slot_alloc(struct vblk *vb)
{
	for (unsigned int i = 0; i < VBLK_MAX_INFLIGHT; i++) {
		if (!vb->slots[i].busy) {
			vb->slots[i] = (struct vblk_slot){ .busy = true, .parts = 1 };
			vb->nr_inflight++;
			vb->max_inflight = MAX(vb->max_inflight, vb->nr_inflight);
			return &vb->slots[i];
		}
	}
	return NULL;
}

static void vblk_count(struct vblk *vb, const struct vblk_req *r)
{
	if (r->type == VIRTIO_BLK_T_IN) {
		vb->reads++;
		vb->bytes_read += r->len;
	} else if (r->type == VIRTIO_BLK_T_OUT) {
		vb->writes++;
		vb->bytes_written += r->len;
	} else if (r->type == VIRTIO_BLK_T_FLUSH) {
		vb->flushes++;
	} else {
		vb->other++;
	}
}

/* Hand one checked request to the backend; false when it has no room (try again later). */
static bool vblk_start(struct vblk *vb, const struct virtq_chain *c, const struct vblk_req *r)
{
	const struct vblk_io io = { .req = r, .chain = c, .bufs = vb->bufs };
	struct vblk_slot *s = vblk_slot_alloc(vb);
	int rc;

	if (!s)
		return false;
	s->head = c->head;
	s->status_addr = r->status_addr;
	s->used_len = vblk_used_len(r);
	s->status = VIRTIO_BLK_S_OK;
	rc = vb->be_ops->submit(vb, s, &io);
	if (rc == -TERN_EBUSY) {
		s->busy = false;
		vb->nr_inflight--;
		return false;
	}
	if (rc) {
		virtio_dev_log_error(&vb->vd, "request failed with IOERR",
				     "the backend refused it");
		vblk_part_done_locked(vb, s, VIRTIO_BLK_S_IOERR);
	}
	return true;
}

/* One chain: false if it must wait for the backend (it goes back on the ring). */
static bool vblk_handle(struct vblk *vb, const struct virtq_chain *c)
{
	struct virtio_dev *vd = &vb->vd;
	struct vblk_req r;

	switch (vblk_parse(c, vb->bufs, &vd->mem, &vb->limits, &r)) {
	case VBLK_BROKEN:
		virtio_dev_needs_reset(vd, r.why);
		return true;
	case VBLK_ANSWER:
		if (r.why)
			virtio_dev_log_error(vd, "request failed with IOERR", r.why);
		else
			vb->other++;
		vblk_answer(vb, c->head, r.status_addr, r.status, 1);
		return true;
	case VBLK_DO:
		break;
	}
	if (r.type == VIRTIO_BLK_T_GET_ID) {
		vblk_get_id(vb, c, &r);
		vblk_count(vb, &r);
		vblk_answer(vb, c->head, r.status_addr, VIRTIO_BLK_S_OK, vblk_used_len(&r));
		return true;
	}
	if (!vblk_start(vb, c, &r))
		return false;
	vblk_count(vb, &r);
	return true;
}

/* Take what the driver made available until the ring is empty or the backend full. */
static void vblk_process(struct vblk *vb)
{
	struct virtio_dev *vd = &vb->vd;
	struct virtq *vq = &vd->vq[0];
	const struct virtq_scratch s = { vb->bufs, vb->table, VBLK_QUEUE_SIZE };
	struct virtq_chain c;
	const char *why;

	while (virtio_dev_live(vd) && vq->ready && vb->nr_inflight < VBLK_MAX_INFLIGHT) {
		int rc = virtq_pop(vq, &vd->mem, &s, &c, &why);

		if (rc < 0) {
			virtio_dev_needs_reset(vd, why);
			return;
		}
		if (rc == 0) {
			/* Ask for the next notification, then look once more (2.7.10). */
			if (!virtq_enable_notify(vq, &vd->mem))
				return;
			continue;
		}
		if (!vblk_handle(vb, &c)) {
			vq->last_avail--; /* the backend is full: this chain waits on the ring */
			return;
		}
	}
}

static void vblk_notify(struct virtio_dev *vd, unsigned int q)
{
	struct vblk *vb = vblk_of(vd);

	(void)q;
	if (vb->resetting)
		return;
	vblk_process(vb);
	vblk_signal(vb);
}

/*
 * Device reset, vd->lock held: requests in flight finish first (the lock is dropped meanwhile so
 * that their answers can come in and be dropped), then nothing of the old queue remains.
 */
static void vblk_reset(struct virtio_dev *vd)
{
	struct vblk *vb = vblk_of(vd);

	vb->resetting++;
	if (vb->nr_inflight && vb->be_ops->quiesce) {
		virtio_dev_unlock(vd);
		vb->be_ops->quiesce(vb);
		spin_lock(&vd->lock);
	}
	vb->resetting--;
}

static const struct virtio_dev_ops vblk_dev_ops = {
	.name = "virtio-blk",
	.device_id = VIRTIO_ID_BLOCK,
	.nr_queues = 1,
	.queue_num_max = VBLK_QUEUE_SIZE,
	.config_size = VIRTIO_BLK_CFG_SIZE,
	.config = vblk_config,
	.notify = vblk_notify,
	.reset = vblk_reset,
};

/* ---- the device of a VM ---- */

static __cold int vblk_create(struct vdev *dev, const struct platform *p)
{
	struct vblk_disk_cfg cfg;
	struct vblk *vb;
	int rc;

	vblk_disk_config(dev->vm->id, p, &cfg);
	if (cfg.backend == VBLK_BACKEND_NONE) {
		pr_info("vm%u: virtio-blk: no disk given at boot (a disk boot module or a host "
			"disk): no disk\n",
			dev->vm->id);
		return -TERN_ENOENT;
	}
	vb = page_zalloc(VBLK_ORDER);
	if (!vb)
		return -TERN_ENOMEM;
	vb->vd.vm = dev->vm;
	vb->be_ops = cfg.backend == VBLK_BACKEND_RAM ? &vblk_ram_backend : vblk_host_ops();
	vb->limits = (struct vblk_limits){ .read_only = cfg.read_only,
					   .seg_max = VBLK_SEG_MAX,
					   .size_max = VBLK_SIZE_MAX };
	rc = vb->be_ops ? vb->be_ops->open(vb, &cfg) : -TERN_ENODEV;
	if (rc)
		goto free;
	vb->limits.capacity = vb->capacity;
	fmt_snprintf(vb->serial, sizeof(vb->serial), "tern-vm%u-disk", dev->vm->id);
	vb->vd.ops = &vblk_dev_ops;
	vb->vd.priv = vb;
	vb->vd.features = BIT(VIRTIO_BLK_F_SIZE_MAX) | BIT(VIRTIO_BLK_F_SEG_MAX) |
			  BIT(VIRTIO_BLK_F_BLK_SIZE) | BIT(VIRTIO_BLK_F_FLUSH) |
			  (vb->limits.read_only ? BIT(VIRTIO_BLK_F_RO) : 0);
	rc = virtio_mmio_attach(dev->vm, &vb->vd);
	if (rc)
		goto close;
	dev->priv = vb;
	pr_info("vm%u: virtio-blk at virtio-mmio slot %u: %s, %llu MiB%s\n", dev->vm->id,
		vb->vd.slot, vb->be_ops->name, (unsigned long long)(vb->capacity >> 11),
		vb->limits.read_only ? ", read-only" : "");
	return 0;
close:
	vb->be_ops->close(vb);
free:
	page_free((paddr_t)vb, VBLK_ORDER);
	return rc;
}

static __cold void vblk_destroy(struct vdev *dev)
{
	struct vblk *vb = dev->priv;

	virtio_dev_stop(&vb->vd);
	virtio_mmio_detach(&vb->vd);
	vb->be_ops->close(vb);
	page_free((paddr_t)vb, VBLK_ORDER);
}

static void vblk_vdev_reset(struct vdev *dev)
{
	virtio_dev_reset(&((struct vblk *)dev->priv)->vd);
}

static void vblk_vdev_stop(struct vdev *dev)
{
	virtio_dev_stop(&((struct vblk *)dev->priv)->vd);
}

static __cold void vblk_vdev_report(const struct vdev *dev)
{
	const struct vblk *vb = dev->priv;

	pr_info("vm%u: virtio-blk: %llu reads (%llu MiB), %llu writes (%llu MiB), %llu flushes, "
		"%llu other, %llu errors, %u in flight at most, %llu answered after their "
		"notification; %llu notifications, %llu interrupts, %llu resets needed\n",
		dev->vm->id, (unsigned long long)vb->reads,
		(unsigned long long)(vb->bytes_read >> 20), (unsigned long long)vb->writes,
		(unsigned long long)(vb->bytes_written >> 20), (unsigned long long)vb->flushes,
		(unsigned long long)vb->other, (unsigned long long)vb->errors, vb->max_inflight,
		(unsigned long long)vb->async_answers, (unsigned long long)vb->vd.notifies,
		(unsigned long long)vb->vd.interrupts, (unsigned long long)vb->vd.needs_reset);
	if (vb->be_ops->report)
		vb->be_ops->report(vb);
}

VDEV_TYPE(virtio_blk) = {
	.name = "virtio-blk",
	.phase = VDEV_PHASE_DEVICE,
	.vm_mask = VDEV_VM_MASK(VIRTIO_BLK),
	.create = vblk_create,
	.destroy = vblk_destroy,
	.reset = vblk_vdev_reset,
	.stop = vblk_vdev_stop,
	.report = vblk_vdev_report,
};
