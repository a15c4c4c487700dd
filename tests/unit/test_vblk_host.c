// SPDX-License-Identifier: GPL-2.0-only
/*
 * The host disk backend (virt/virtio_blk_host.c) against a fake disk driver that records the
 * host requests and answers them when the test says: a request's data split where guest RAM is
 * not contiguous in host memory and where a host request is full (at sector boundaries, sectors
 * following on), the region's offset added, a flush after each write for a driver without
 * VIRTIO_BLK_F_FLUSH, requests refused while the disk has no room (and resumed when it has), the
 * answer given once the last part (and the flush) came back, the region claimed and released.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <drivers/virtio_blk.h>
#include <tern/errno.h>
#include <tern/vm.h>
#include <virt/virtio_blk.h>
#include "stub_printk.h"

#define SLOTS	      8
#define SEG_MAX	      4
#define HOST_SIZE_MAX (64 * 1024)
#define CAPACITY      100000

/* ---- the fake disk ---- */

struct hblk_req {
	bool busy, submitted;
	u32 type;
	u64 sector;
	unsigned int nr;
	paddr_t pa[SEG_MAX];
	u32 len[SEG_MAX];
	hblk_done_t done;
	void *priv, *priv2;
};

struct hblk {
	struct hblk_req reqs[SLOTS];
	bool flush, ro;
	u64 claim_first, claim_count;
	int claims;
	unsigned int order[64]; /* submission order */
	unsigned int nr_sub;
	unsigned int polls;
	struct hblk_waiter *waiter; /* one user waiting for slots */
};

static struct hblk disk;

struct hblk *hblk_get(unsigned int index)
{
	return index == 0 ? &disk : NULL;
}

u64 hblk_capacity(const struct hblk *d)
{
	(void)d;
	return CAPACITY;
}

bool hblk_read_only(const struct hblk *d)
{
	return d->ro;
}

bool hblk_has_flush(const struct hblk *d)
{
	return d->flush;
}

u32 hblk_size_max(const struct hblk *d)
{
	(void)d;
	return HOST_SIZE_MAX;
}

u32 hblk_seg_max(const struct hblk *d)
{
	(void)d;
	return SEG_MAX;
}

int hblk_claim(struct hblk *d, u64 first, u64 count, unsigned int vm)
{
	(void)vm;
	if (first + count > CAPACITY)
		return -TERN_ERANGE;
	d->claims++;
	d->claim_first = first;
	d->claim_count = count;
	return 0;
}

void hblk_release(struct hblk *d, unsigned int vm)
{
	(void)vm;
	d->claims--;
}

unsigned int hblk_free_slots(struct hblk *d)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < SLOTS; i++)
		n += !d->reqs[i].busy;
	return n;
}

struct hblk_req *hblk_req_get(struct hblk *d)
{
	for (unsigned int i = 0; i < SLOTS; i++) {
		if (!d->reqs[i].busy) {
			d->reqs[i] = (struct hblk_req){ .busy = true };
			return &d->reqs[i];
		}
	}
	return NULL;
}

bool hblk_req_get_n(struct hblk *d, struct hblk_req **reqs, unsigned int n, struct hblk_waiter *w)
{
	assert_true(n <= HBLK_MIN_SLOTS);
	if (hblk_free_slots(d) < n) {
		if (w) {
			assert_true(!d->waiter || d->waiter == w);
			d->waiter = w;
		}
		return false;
	}
	for (unsigned int i = 0; i < n; i++)
		reqs[i] = hblk_req_get(d);
	return true;
}

void hblk_unwait(struct hblk *d, struct hblk_waiter *w)
{
	if (d->waiter == w)
		d->waiter = NULL;
}

void hblk_req_put(struct hblk *d, struct hblk_req *r)
{
	(void)d;
	assert_true(r->busy && !r->submitted);
	r->busy = false;
}

int hblk_req_add(struct hblk_req *r, paddr_t pa, u32 len)
{
	assert_true(len <= HOST_SIZE_MAX);
	if (r->nr == SEG_MAX)
		return -TERN_ENOSPC;
	r->pa[r->nr] = pa;
	r->len[r->nr++] = len;
	return 0;
}

u64 hblk_req_bytes(const struct hblk_req *r)
{
	u64 n = 0;

	for (unsigned int i = 0; i < r->nr; i++)
		n += r->len[i];
	return n;
}

void hblk_req_submit(struct hblk *d, struct hblk_req *r, u32 type, u64 sector, hblk_done_t done,
		     void *priv, void *priv2)
{
	r->submitted = true;
	r->type = type;
	r->sector = sector;
	r->done = done;
	r->priv = priv;
	r->priv2 = priv2;
	d->order[d->nr_sub++] = (unsigned int)(r - d->reqs);
}

/* The disk answers request @i. */
static void answer(unsigned int i, u8 status)
{
	struct hblk_req *r = &disk.reqs[i];
	hblk_done_t fn = r->done;

	assert_true(r->busy && r->submitted);
	r->busy = r->submitted = false;
	fn(r->priv, r->priv2, status);
}

/* The answers give slots back: the waiter is called. */
static void wake(void)
{
	struct hblk_waiter *w = disk.waiter;

	disk.waiter = NULL;
	if (w)
		w->fn(w);
}

void hblk_poll(struct hblk *d)
{
	d->polls++;
	for (unsigned int i = 0; i < SLOTS; i++)
		if (d->reqs[i].submitted)
			answer(i, VIRTIO_BLK_S_OK);
	wake();
}

void hblk_report(const struct hblk *d)
{
	(void)d;
}

/* ---- the VM and the device core around the backend ---- */

/* Guest RAM: 64 KiB chunks of host memory in reverse order, so contiguity ends every 64 KiB. */
#define CHUNK	0x10000ULL
#define GRAM	0x40000000ULL
#define HOSTRAM 0x80000000ULL
#define NCHUNKS 16

/* The VM's RAM is prepared at creation here (no RAM on demand): nothing to do. */
int vm_ram_prepare_blocks(struct vm *vm, ipa_t ipa, u64 len)
{
	(void)vm;
	(void)ipa;
	(void)len;
	return 0;
}

paddr_t vm_ipa_to_pa(const struct vm *vm, ipa_t ipa, u64 *contig)
{
	(void)vm;
	if (ipa < GRAM || ipa >= GRAM + NCHUNKS * CHUNK) {
		*contig = 0;
		return 0;
	}
	*contig = CHUNK - (ipa - GRAM) % CHUNK;
	return HOSTRAM + (NCHUNKS - 1 - (ipa - GRAM) / CHUNK) * CHUNK + (ipa - GRAM) % CHUNK;
}

static struct vm vm;
static struct vblk vb;
static struct {
	unsigned int done;
	u8 status;
	unsigned int async;
	unsigned int resumed;
} fake;

void vblk_part_done_locked(struct vblk *b, struct vblk_slot *s, u8 status)
{
	(void)b;
	if (status != VIRTIO_BLK_S_OK)
		s->status = status;
	if (--s->parts)
		return;
	s->busy = false;
	b->nr_inflight--;
	fake.done++;
	fake.status = s->status;
}

void virtio_dev_unlock(struct virtio_dev *vd)
{
	spin_unlock(&vd->lock);
}

void vblk_part_done(struct vblk *b, struct vblk_slot *s, u8 status)
{
	fake.async++;
	vblk_part_done_locked(b, s, status);
}

void vblk_resume(struct vblk *b)
{
	assert_ptr_equal(b, &vb);
	fake.resumed++;
}

/* A request of @type at @sector whose data is the guest buffers @addr/@len. */
static struct virtq_buf bufs[16];
static struct virtq_chain chain;
static struct vblk_req req;
static struct vblk_slot slot;

static int submit(u32 type, u64 sector, const u64 *addr, const u32 *len, unsigned int n)
{
	const struct vblk_io io = { &req, &chain, bufs };
	bool in = type == VIRTIO_BLK_T_IN;

	chain = (struct virtq_chain){ 0 };
	bufs[chain.nr++] = (struct virtq_buf){ 0x1000, 16, false };
	req = (struct vblk_req){ .type = type, .sector = sector };
	for (unsigned int i = 0; i < n; i++) {
		bufs[chain.nr++] = (struct virtq_buf){ addr[i], len[i], in };
		req.len += len[i];
	}
	bufs[chain.nr++] = (struct virtq_buf){ 0x2000, 1, true };
	slot = (struct vblk_slot){ .busy = true, .parts = 1 };
	vb.nr_inflight = 1;
	return vblk_host_backend.submit(&vb, &slot, &io);
}

static int setup(void **state)
{
	const struct vblk_disk_cfg cfg = { .backend = VBLK_BACKEND_HOST,
					   .host_offset = 4096 * 512,
					   .host_size = 50000 * 512 };

	(void)state;
	memset(&disk, 0, sizeof(disk));
	memset(&vb, 0, sizeof(vb));
	memset(&fake, 0, sizeof(fake));
	vm.id = 2;
	vb.vd.vm = &vm;
	vb.vd.driver_features = BIT(VIRTIO_BLK_F_FLUSH);
	stub_printk_reset();
	assert_int_equal(vblk_host_backend.open(&vb, &cfg), 0);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	vblk_host_backend.close(&vb);
	assert_int_equal(disk.claims, 0);
	assert_null(disk.waiter); /* a closed disk is not called */
	return 0;
}

static void test_open(void **state)
{
	struct vblk other = { 0 };
	struct vblk_disk_cfg cfg = { .backend = VBLK_BACKEND_HOST, .host_index = 1 };

	(void)state;
	assert_int_equal(vb.be_offset, 4096);
	assert_int_equal(vb.capacity, 50000);
	assert_int_equal(disk.claim_first, 4096);
	assert_int_equal(disk.claim_count, 50000);
	other.vd.vm = &vm;
	assert_int_equal(vblk_host_backend.open(&other, &cfg), -TERN_ENODEV);
	cfg.host_index = 0;
	cfg.host_offset = 100; /* not a whole sector */
	assert_int_equal(vblk_host_backend.open(&other, &cfg), -TERN_EINVAL);
	/* Size 0: to the end of the disk. */
	cfg.host_offset = 512 * 1000;
	assert_int_equal(vblk_host_backend.open(&other, &cfg), 0);
	assert_int_equal(other.capacity, CAPACITY - 1000);
	vblk_host_backend.close(&other);
	/* A read-only host disk makes the VM's disk read-only. */
	disk.ro = true;
	other = (struct vblk){ .vd.vm = &vm };
	assert_int_equal(vblk_host_backend.open(&other, &cfg), 0);
	assert_true(other.limits.read_only);
	vblk_host_backend.close(&other);
}

static void test_split(void **state)
{
	/* 3 buffers: 100 KiB (crosses two chunk boundaries), 8 KiB, 60 KiB across one. */
	const u64 addr[] = { GRAM + 0x8000, GRAM + 0x40000, GRAM + 0x4c000 };
	const u32 len[] = { 100 * 1024, 8 * 1024, 60 * 1024 };
	u64 expect_pa = 0, sector = 4096 + 10;
	unsigned int pieces = 0;

	(void)state;
	assert_int_equal(submit(VIRTIO_BLK_T_IN, 10, addr, len, 3), 0);
	/* Pieces: 32K+64K+4K, 8K, 16K+44K: 6 pieces -> 2 parts of at most 4. */
	assert_int_equal(disk.nr_sub, 2);
	assert_int_equal(slot.parts, 2);
	for (unsigned int p = 0; p < disk.nr_sub; p++) {
		const struct hblk_req *r = &disk.reqs[disk.order[p]];

		assert_int_equal(r->type, VIRTIO_BLK_T_IN);
		assert_int_equal(r->sector, sector);
		assert_int_equal(hblk_req_bytes(r) % 512, 0);
		sector += hblk_req_bytes(r) / 512;
		for (unsigned int i = 0; i < r->nr; i++) {
			u64 contig;

			/* Each piece is host-contiguous and within one chunk. */
			assert_true(r->len[i] > 0 && r->len[i] <= CHUNK);
			if (i == 0 && p == 0)
				expect_pa = vm_ipa_to_pa(&vm, addr[0], &contig);
			assert_int_equal(r->pa[i] % CHUNK + r->len[i] <= CHUNK, 1);
			pieces++;
		}
	}
	assert_int_equal(pieces, 6);
	assert_int_equal(disk.reqs[disk.order[0]].pa[0], expect_pa);
	assert_int_equal(sector, 4096 + 10 + (168 * 1024) / 512);
	/* Answered once both parts are back, not before. */
	answer(disk.order[1], VIRTIO_BLK_S_OK);
	assert_int_equal(fake.done, 0);
	answer(disk.order[0], VIRTIO_BLK_S_OK);
	assert_int_equal(fake.done, 1);
	assert_int_equal(fake.status, VIRTIO_BLK_S_OK);
	assert_int_equal(hblk_free_slots(&disk), SLOTS);
}

static void test_part_error(void **state)
{
	const u64 addr[] = { GRAM };
	const u32 len[] = { 5 * CHUNK };

	(void)state;
	assert_int_equal(submit(VIRTIO_BLK_T_OUT, 0, addr, len, 1), 0);
	assert_int_equal(disk.nr_sub, 2);
	answer(disk.order[0], VIRTIO_BLK_S_IOERR);
	answer(disk.order[1], VIRTIO_BLK_S_OK);
	assert_int_equal(fake.done, 1);
	assert_int_equal(fake.status, VIRTIO_BLK_S_IOERR);
}

static void test_flush_after_write(void **state)
{
	const u64 addr[] = { GRAM };
	const u32 len[] = { 4096 };

	(void)state;
	disk.flush = true;
	vb.vd.driver_features = 0; /* the driver expects writes to be durable when answered */
	assert_int_equal(submit(VIRTIO_BLK_T_OUT, 0, addr, len, 1), 0);
	assert_int_equal(disk.nr_sub, 1);
	assert_int_equal(hblk_free_slots(&disk), SLOTS - 2); /* the flush's slot is held */
	answer(disk.order[0], VIRTIO_BLK_S_OK);
	assert_int_equal(fake.done, 0);
	assert_int_equal(disk.nr_sub, 2);
	assert_int_equal(disk.reqs[disk.order[1]].type, VIRTIO_BLK_T_FLUSH);
	answer(disk.order[1], VIRTIO_BLK_S_OK);
	assert_int_equal(fake.done, 1);
	/* A failed write is not flushed; its held slot comes back. */
	disk.nr_sub = 0;
	assert_int_equal(submit(VIRTIO_BLK_T_OUT, 0, addr, len, 1), 0);
	answer(disk.order[0], VIRTIO_BLK_S_IOERR);
	assert_int_equal(fake.done, 2);
	assert_int_equal(fake.status, VIRTIO_BLK_S_IOERR);
	assert_int_equal(disk.nr_sub, 1);
	assert_int_equal(hblk_free_slots(&disk), SLOTS);
	/* With FLUSH negotiated writes go out alone; FLUSH requests are the guest's. */
	vb.vd.driver_features = BIT(VIRTIO_BLK_F_FLUSH);
	disk.nr_sub = 0;
	assert_int_equal(submit(VIRTIO_BLK_T_OUT, 0, addr, len, 1), 0);
	assert_int_equal(hblk_free_slots(&disk), SLOTS - 1);
	answer(disk.order[0], VIRTIO_BLK_S_OK);
	assert_int_equal(submit(VIRTIO_BLK_T_FLUSH, 0, NULL, NULL, 0), 0);
	assert_int_equal(disk.reqs[disk.order[1]].type, VIRTIO_BLK_T_FLUSH);
	answer(disk.order[1], VIRTIO_BLK_S_OK);
	assert_int_equal(fake.done, 4);
	/* Without a write cache a FLUSH is answered at once. */
	disk.flush = false;
	assert_int_equal(submit(VIRTIO_BLK_T_FLUSH, 0, NULL, NULL, 0), 0);
	assert_int_equal(fake.done, 5);
}

static void test_full_and_limits(void **state)
{
	const u64 addr[] = { GRAM };
	const u32 len[] = { 5 * CHUNK };   /* two parts */
	const u32 huge[] = { 16 * CHUNK }; /* four parts */

	(void)state;
	for (unsigned int i = 0; i < SLOTS - 1; i++)
		assert_non_null(hblk_req_get(&disk));
	assert_int_equal(submit(VIRTIO_BLK_T_IN, 0, addr, len, 1), -TERN_EBUSY);
	assert_int_equal(disk.nr_sub, 0);
	assert_int_equal(hblk_free_slots(&disk), 1);
	/* Nothing of this VM in flight to wake it: it waits for the disk's answers. */
	assert_ptr_equal(disk.waiter, &vb.be_waiter);
	wake();
	assert_int_equal(fake.resumed, 1);
	/* A FLUSH needs a slot too. */
	assert_non_null(hblk_req_get(&disk));
	disk.flush = true;
	assert_int_equal(submit(VIRTIO_BLK_T_FLUSH, 0, NULL, NULL, 0), -TERN_EBUSY);
	assert_ptr_equal(disk.waiter, &vb.be_waiter);
	disk.flush = false;
	for (unsigned int i = 0; i < SLOTS; i++)
		disk.reqs[i].busy = false;
	/* 16 chunks, 4 per part: 4 parts, fine; odd-sized pieces that end a part mid-sector
	 * cannot be split there. */
	assert_int_equal(submit(VIRTIO_BLK_T_IN, 0, addr, huge, 1), 0);
	assert_int_equal(disk.nr_sub, 4);
	hblk_poll(&disk);
	assert_int_equal(fake.done, 1);
	{
		const u64 odd[] = { GRAM + 0x10000 - 100, GRAM + 0x20000 - 100,
				    GRAM + 0x30000 - 100, GRAM + 0x40000 - 100, GRAM + 0x50000 };
		const u32 lens[] = { 200, 200, 200, 200, 224 };

		disk.nr_sub = 0;
		assert_int_equal(submit(VIRTIO_BLK_T_IN, 0, odd, lens, 5), -TERN_EINVAL);
		assert_int_equal(disk.nr_sub, 0);
		assert_int_equal(hblk_free_slots(&disk), SLOTS);
	}
}

static void test_quiesce(void **state)
{
	const u64 addr[] = { GRAM };
	const u32 len[] = { 4096 };

	(void)state;
	assert_int_equal(submit(VIRTIO_BLK_T_IN, 0, addr, len, 1), 0);
	vblk_host_backend.quiesce(&vb);
	assert_true(disk.polls > 0);
	assert_int_equal(vb.nr_inflight, 0);
	assert_int_equal(fake.done, 1);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_open),
		T(test_split),
		T(test_part_error),
		T(test_flush_after_write),
		T(test_full_and_limits),
		T(test_quiesce),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
