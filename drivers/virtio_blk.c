// SPDX-License-Identifier: GPL-2.0-only
/*
 * Tern's driver of the machine's virtio-blk disks (virtio 1.2, 5.2), for VMs whose disks are
 * regions of them (virt/virtio_blk_host.c). One request queue of HBLK_SLOTS entries; each request
 * is one descriptor pointing at its own indirect table (header, data, status), so that every
 * slot can be in flight at once whatever its size. Data goes straight between the disk and the
 * memory given (a VM's RAM): no copy. Answers come through the disk's interrupt, or hblk_poll().
 */
#include <asm/cache.h>
#include <asm/processor.h>
#include <asm/sysreg.h>
#include <drivers/virtio_blk.h>
#include <drivers/virtio_mmio.h>
#include <string.h>
#include <tern/compiler.h>
#include <tern/errno.h>
#include <tern/irq.h>
#include <tern/page_alloc.h>
#include <tern/printk.h>
#include <tern/spinlock.h>
#include <virt/virtio.h>

#define HBLK_MAX_DISKS	  8
#define HBLK_SLOTS	  64
#define HBLK_MAX_CLAIMS	  8
#define HBLK_TABLE_SIZE	  (HBLK_MAX_SEGS + 2)
#define HBLK_TABLES_ORDER 6  /* HBLK_SLOTS pages */
#define HBLK_HDR_STRIDE	  32 /* per slot: header (16 bytes), then the status byte */

_Static_assert(HBLK_TABLE_SIZE * sizeof(struct virtq_desc) <= PAGE_SIZE, "a table per page");
_Static_assert((PAGE_SIZE << HBLK_TABLES_ORDER) / PAGE_SIZE == HBLK_SLOTS, "a page per slot");
_Static_assert(HBLK_SLOTS *HBLK_HDR_STRIDE <= PAGE_SIZE, "headers in one page");

struct hblk_req {
	struct hblk *disk;
	u16 id;
	bool busy;
	bool in; /* the disk writes the data */
	unsigned int nr;
	u64 bytes;
	struct virtq_desc *table;
	u8 *hdr;
	hblk_done_t done;
	void *priv;
	void *priv2;
};

struct hblk_claim {
	u64 first;
	u64 count;
	unsigned int vm;
};

struct hblk {
	struct vmio_host t;
	unsigned int index;
	struct spinlock lock;
	u64 capacity;
	bool read_only;
	bool flush;
	u32 seg_max;
	u32 size_max;
	u16 num;
	struct virtq_desc *desc;
	volatile u16 *avail;
	volatile u8 *used;
	u16 avail_idx;
	u16 last_used;
	unsigned int nr_free;
	struct hblk_req reqs[HBLK_SLOTS];
	unsigned int nr_claims;
	struct hblk_claim claims[HBLK_MAX_CLAIMS];
	/* Users waiting for free slots; wakers running (hblk_unwait waits for them). */
	struct hblk_waiter *waiters;
	unsigned int waking;
	/* Statistics. */
	u64 submitted;
	u64 completed;
	u64 errors;
	u64 waits;
	unsigned int inflight;
	unsigned int max_inflight;
};

#define HBLK_ORDER (sizeof(struct hblk) <= PAGE_SIZE ? 0U : 1U)
_Static_assert(sizeof(struct hblk) <= (PAGE_SIZE << HBLK_ORDER), "struct hblk fits its pages");

static struct hblk *hblk_disks[HBLK_MAX_DISKS];
static unsigned int hblk_nr_disks;

/* A disk that does not snoop the CPUs' caches needs its shared memory cleaned and invalidated. */
static void hblk_to_device(const struct hblk *d, const void *p, size_t len)
{
	if (!d->t.coherent)
		dcache_clean_range((paddr_t)p, (paddr_t)p + len);
}

static void hblk_from_device(const struct hblk *d, const volatile void *p, size_t len)
{
	if (!d->t.coherent)
		dcache_clean_inval_range((paddr_t)p, (paddr_t)p + len);
}

/* ---- requests ---- */

unsigned int hblk_free_slots(struct hblk *d)
{
	return READ_ONCE(d->nr_free);
}

static struct hblk_req *hblk_take_locked(struct hblk *d)
{
	for (unsigned int i = 0; i < d->num; i++) {
		struct hblk_req *r = &d->reqs[i];

		if (!r->busy) {
			r->busy = true;
			r->nr = 0;
			r->bytes = 0;
			d->nr_free--;
			return r;
		}
	}
	return NULL;
}

bool hblk_req_get_n(struct hblk *d, struct hblk_req **reqs, unsigned int n, struct hblk_waiter *w)
{
	bool ok;

	spin_lock(&d->lock);
	ok = d->nr_free >= n;
	for (unsigned int i = 0; ok && i < n; i++)
		reqs[i] = hblk_take_locked(d);
	if (!ok && w && !w->queued) {
		w->queued = true;
		w->next = d->waiters;
		d->waiters = w;
		d->waits++;
	}
	spin_unlock(&d->lock);
	return ok;
}

struct hblk_req *hblk_req_get(struct hblk *d)
{
	struct hblk_req *r;

	return hblk_req_get_n(d, &r, 1, NULL) ? r : NULL;
}

void hblk_unwait(struct hblk *d, struct hblk_waiter *w)
{
	spin_lock(&d->lock);
	for (struct hblk_waiter **p = &d->waiters; *p; p = &(*p)->next) {
		if (*p == w) {
			*p = w->next;
			break;
		}
	}
	w->queued = false;
	spin_unlock(&d->lock);
	/* A waker may have taken it off the list already and be about to call it. */
	while (READ_ONCE(d->waking))
		cpu_relax();
}

/*
 * Answers gave slots back: call the waiters queued now, each once (one that finds too few
 * slots again queues itself again, for the next answers). Each is taken off the list under
 * the lock just before its call, so that it can queue itself again meanwhile.
 */
static void hblk_wake(struct hblk *d)
{
	struct hblk_waiter *list;

	spin_lock(&d->lock);
	list = d->waiters;
	d->waiters = NULL;
	d->waking++;
	while (list) {
		struct hblk_waiter *w = list;

		list = w->next;
		w->queued = false;
		spin_unlock(&d->lock);
		w->fn(w);
		spin_lock(&d->lock);
	}
	d->waking--;
	spin_unlock(&d->lock);
}

void hblk_req_put(struct hblk *d, struct hblk_req *r)
{
	spin_lock(&d->lock);
	r->busy = false;
	d->nr_free++;
	spin_unlock(&d->lock);
}

int hblk_req_add(struct hblk_req *r, paddr_t pa, u32 len)
{
	if (r->nr == r->disk->seg_max || len > r->disk->size_max)
		return -TERN_ENOSPC;
	r->table[1 + r->nr++] = (struct virtq_desc){ .addr = pa, .len = len };
	r->bytes += len;
	return 0;
}

u64 hblk_req_bytes(const struct hblk_req *r)
{
	return r->bytes;
}

/* The data's memory, before the disk reads or writes it and after it wrote it: also a guest's
 * with its caches off (it reads memory past them) sees what the disk transferred. */
static void hblk_sync_data(const struct hblk_req *r)
{
	for (unsigned int i = 1; i <= r->nr; i++)
		dcache_clean_inval_range((paddr_t)r->table[i].addr,
					 (paddr_t)r->table[i].addr + r->table[i].len);
}

void hblk_req_submit(struct hblk *d, struct hblk_req *r, u32 type, u64 sector, hblk_done_t done,
		     void *priv, void *priv2)
{
	u8 *status = r->hdr + 16;
	unsigned int n = 0;

	r->in = type == VIRTIO_BLK_T_IN;
	r->done = done;
	r->priv = priv;
	r->priv2 = priv2;
	memcpy(r->hdr, &type, 4);
	memset(r->hdr + 4, 0, 4);
	memcpy(r->hdr + 8, &sector, 8);
	*status = 0xff;
	r->table[n++] =
	    (struct virtq_desc){ (u64)(paddr_t)r->hdr, VIRTIO_BLK_HDR_SIZE, VIRTQ_DESC_F_NEXT, 1 };
	for (unsigned int i = 0; i < r->nr; i++, n++) {
		r->table[n].flags = VIRTQ_DESC_F_NEXT | (r->in ? VIRTQ_DESC_F_WRITE : 0);
		r->table[n].next = (u16)(n + 1);
	}
	r->table[n++] = (struct virtq_desc){ (u64)(paddr_t)status, 1, VIRTQ_DESC_F_WRITE, 0 };
	hblk_sync_data(r);
	hblk_to_device(d, r->table, n * sizeof(r->table[0]));
	hblk_to_device(d, r->hdr, HBLK_HDR_STRIDE);

	spin_lock(&d->lock);
	d->desc[r->id] =
	    (struct virtq_desc){ (u64)(paddr_t)r->table, (u32)(n * sizeof(r->table[0])),
				 VIRTQ_DESC_F_INDIRECT, 0 };
	d->avail[2 + (d->avail_idx & (d->num - 1))] = r->id;
	hblk_to_device(d, &d->desc[r->id], sizeof(d->desc[0]));
	hblk_to_device(d, (const void *)&d->avail[2 + (d->avail_idx & (d->num - 1))], 2);
	dmb(oshst); /* the entry before the index that publishes it */
	d->avail[1] = ++d->avail_idx;
	hblk_to_device(d, (const void *)&d->avail[1], 2);
	d->submitted++;
	d->inflight++;
	d->max_inflight = MAX(d->max_inflight, d->inflight);
	vmio_host_notify(&d->t, 0);
	spin_unlock(&d->lock);
}

/* Take every answer the disk has put into the used ring; run their done() without the lock. */
void hblk_poll(struct hblk *d)
{
	struct hblk_req *done[HBLK_SLOTS];
	u8 status[HBLK_SLOTS];
	unsigned int n = 0;

	spin_lock(&d->lock);
	for (;;) {
		u16 idx;
		u32 id;

		hblk_from_device(d, d->used + VIRTQ_USED_IDX, 2);
		idx = *(volatile u16 *)(d->used + VIRTQ_USED_IDX);
		if (idx == d->last_used || n == HBLK_SLOTS)
			break;
		dmb(oshld); /* the element after the index that published it */
		hblk_from_device(d, d->used + VIRTQ_USED_RING(d->last_used & (d->num - 1)), 8);
		id = *(volatile u32 *)(d->used + VIRTQ_USED_RING(d->last_used & (d->num - 1)));
		d->last_used++;
		if (id >= d->num || !d->reqs[id].busy) {
			pr_err("virtio-blk: disk %u answered a request it was not given (%u)\n",
			       d->index, id);
			continue;
		}
		hblk_from_device(d, d->reqs[id].hdr + 16, 1);
		status[n] = d->reqs[id].hdr[16];
		done[n++] = &d->reqs[id];
		d->completed++;
		d->inflight--;
		if (status[n - 1] != VIRTIO_BLK_S_OK)
			d->errors++;
	}
	spin_unlock(&d->lock);
	for (unsigned int i = 0; i < n; i++) {
		struct hblk_req *r = done[i];
		hblk_done_t fn = r->done;
		void *priv = r->priv, *priv2 = r->priv2;

		if (r->in)
			hblk_sync_data(r);
		hblk_req_put(d, r);
		fn(priv, priv2, status[i]);
	}
	if (n && READ_ONCE(d->waiters))
		hblk_wake(d);
}

static void hblk_irq(unsigned int intid, void *priv)
{
	struct hblk *d = priv;

	(void)intid;
	vmio_host_ack(&d->t);
	hblk_poll(d);
}

/* ---- regions ---- */

__cold int hblk_claim(struct hblk *d, u64 first, u64 count, unsigned int vm)
{
	int rc = 0;

	if (!count || count > d->capacity || first > d->capacity - count) {
		pr_err(
		    "vm%u: virtio-blk: sectors %llu+%llu are not on host disk %u (%llu sectors)\n",
		    vm, (unsigned long long)first, (unsigned long long)count, d->index,
		    (unsigned long long)d->capacity);
		return -TERN_ERANGE;
	}
	spin_lock(&d->lock);
	for (unsigned int i = 0; i < d->nr_claims && !rc; i++) {
		const struct hblk_claim *c = &d->claims[i];

		if (first < c->first + c->count && c->first < first + count) {
			pr_err("vm%u: virtio-blk: sectors %llu+%llu of host disk %u overlap vm%u's "
			       "%llu+%llu\n",
			       vm, (unsigned long long)first, (unsigned long long)count, d->index,
			       c->vm, (unsigned long long)c->first, (unsigned long long)c->count);
			rc = -TERN_EBUSY;
		}
	}
	if (!rc && d->nr_claims == HBLK_MAX_CLAIMS)
		rc = -TERN_ENOSPC;
	if (!rc)
		d->claims[d->nr_claims++] = (struct hblk_claim){ first, count, vm };
	spin_unlock(&d->lock);
	return rc;
}

void hblk_release(struct hblk *d, unsigned int vm)
{
	spin_lock(&d->lock);
	for (unsigned int i = 0; i < d->nr_claims; i++) {
		if (d->claims[i].vm == vm) {
			d->claims[i] = d->claims[--d->nr_claims];
			break;
		}
	}
	spin_unlock(&d->lock);
}

/* ---- set-up ---- */

struct hblk *hblk_get(unsigned int index)
{
	return index < hblk_nr_disks ? hblk_disks[index] : NULL;
}

u64 hblk_capacity(const struct hblk *d)
{
	return d->capacity;
}

bool hblk_read_only(const struct hblk *d)
{
	return d->read_only;
}

bool hblk_has_flush(const struct hblk *d)
{
	return d->flush;
}

u32 hblk_size_max(const struct hblk *d)
{
	return d->size_max;
}

u32 hblk_seg_max(const struct hblk *d)
{
	return d->seg_max;
}

static int hblk_setup(struct hblk *d)
{
	const u64 wanted = BIT(VIRTIO_F_VERSION_1) | BIT(VIRTIO_F_INDIRECT_DESC) |
			   BIT(VIRTIO_BLK_F_SIZE_MAX) | BIT(VIRTIO_BLK_F_SEG_MAX) |
			   BIT(VIRTIO_BLK_F_RO) | BIT(VIRTIO_BLK_F_FLUSH);
	u8 *rings = page_zalloc(0), *tables = page_zalloc(HBLK_TABLES_ORDER);
	u8 *hdrs = page_zalloc(0);
	u32 max;
	u64 f;
	int rc;

	if (!rings || !tables || !hdrs)
		return -TERN_ENOMEM;
	rc = vmio_host_negotiate(&d->t, wanted, &f);
	if (rc)
		return rc;
	if (!(f & BIT(VIRTIO_F_INDIRECT_DESC)))
		return -TERN_ENOTSUP;
	d->capacity = (u64)vmio_host_config32(&d->t, VIRTIO_BLK_CFG_CAPACITY) |
		      (u64)vmio_host_config32(&d->t, VIRTIO_BLK_CFG_CAPACITY + 4) << 32;
	d->read_only = f & BIT(VIRTIO_BLK_F_RO);
	d->flush = f & BIT(VIRTIO_BLK_F_FLUSH);
	d->seg_max = HBLK_MAX_SEGS;
	if (f & BIT(VIRTIO_BLK_F_SEG_MAX))
		d->seg_max =
		    MAX(1U, MIN(d->seg_max, vmio_host_config32(&d->t, VIRTIO_BLK_CFG_SEG_MAX)));
	d->size_max = 1U << 30;
	if (f & BIT(VIRTIO_BLK_F_SIZE_MAX))
		d->size_max = MAX(VIRTIO_BLK_SECTOR_SIZE,
				  vmio_host_config32(&d->t, VIRTIO_BLK_CFG_SIZE_MAX) & ~511U);
	max = vmio_host_queue_max(&d->t, 0);
	for (d->num = HBLK_SLOTS; d->num > max; d->num /= 2)
		;
	if (d->num < HBLK_MIN_SLOTS)
		return -TERN_ENOTSUP;
	/* One page: the descriptors, the avail ring at 1 KiB, the used ring at 2 KiB. */
	d->desc = (struct virtq_desc *)rings;
	d->avail = (volatile u16 *)(rings + 1024);
	d->used = rings + 2048;
	for (unsigned int i = 0; i < d->num; i++)
		d->reqs[i] =
		    (struct hblk_req){ .disk = d,
				       .id = (u16)i,
				       .table = (struct virtq_desc *)(tables + i * PAGE_SIZE),
				       .hdr = hdrs + i * HBLK_HDR_STRIDE };
	d->nr_free = d->num;
	hblk_to_device(d, rings, PAGE_SIZE);
	rc = vmio_host_queue(&d->t, 0, d->num, (paddr_t)d->desc, (paddr_t)d->avail,
			     (paddr_t)d->used);
	if (rc)
		return rc;
	rc = irq_request(d->t.intid, hblk_irq, d);
	if (rc)
		return rc;
	vmio_host_driver_ok(&d->t);
	return 0;
}

__cold void hblk_init(const struct platform *p)
{
	for (unsigned int i = 0; i < p->nr_virtio && hblk_nr_disks < HBLK_MAX_DISKS; i++) {
		struct vmio_host t;
		struct hblk *d;
		int rc = vmio_host_probe(&t, &p->virtio[i]);

		if (rc || t.device_id != VIRTIO_ID_BLOCK)
			continue;
		d = page_zalloc(HBLK_ORDER);
		if (!d) {
			pr_err("virtio-blk: out of memory for the disk at 0x%llx\n",
			       (unsigned long long)t.base);
			return;
		}
		d->t = t;
		d->index = hblk_nr_disks;
		spin_lock_init(&d->lock);
		rc = hblk_setup(d);
		if (rc) {
			/* Its pages stay allocated: the disk may still own the rings. */
			vmio_host_reset(&d->t);
			pr_err("virtio-blk: the disk at 0x%llx cannot be used: %s\n",
			       (unsigned long long)t.base, tern_strerror(rc));
			continue;
		}
		hblk_disks[hblk_nr_disks++] = d;
		pr_info("virtio-blk: host disk %u at 0x%llx (SPI %u): %llu MiB%s%s, %u requests in "
			"flight, %u segments each\n",
			d->index, (unsigned long long)t.base, t.intid - 32,
			(unsigned long long)(d->capacity >> 11), d->read_only ? ", read-only" : "",
			d->flush ? ", write cache" : "", d->num, d->seg_max);
	}
}

__cold void hblk_report(const struct hblk *d)
{
	pr_info("virtio-blk: host disk %u: %llu requests, %llu errors, %u in flight at most, %llu "
		"waits for a free slot\n",
		d->index, (unsigned long long)d->submitted, (unsigned long long)d->errors,
		d->max_inflight, (unsigned long long)d->waits);
}
