// SPDX-License-Identifier: GPL-2.0-only
/* virtio-mmio and virtio-blk, driver side, for the test guests (see virtio.h). */
#include "virtio.h"
#include "gic.h"

int vio_find(u32 id)
{
	for (unsigned int n = 0; n < VIO_NR_SLOTS; n++) {
		u64 b = VIO_SLOT(n);

		if (vio_rd(b, VIO_MAGIC) == VIO_MAGIC_VALUE && vio_rd(b, VIO_DEVICE_ID) == id)
			return (int)n;
	}
	return -1;
}

bool vio_negotiate(u64 base, u64 features)
{
	vio_wr(base, VIO_STATUS, 0);
	vio_wr(base, VIO_STATUS, VIO_S_ACK);
	vio_wr(base, VIO_STATUS, VIO_S_ACK | VIO_S_DRIVER);
	for (u32 sel = 0; sel < 2; sel++) {
		vio_wr(base, VIO_DRV_FEAT_SEL, sel);
		vio_wr(base, VIO_DRV_FEAT, (u32)(features >> (32 * sel)));
	}
	vio_wr(base, VIO_STATUS, VIO_S_ACK | VIO_S_DRIVER | VIO_S_FEATURES_OK);
	if (!(vio_rd(base, VIO_STATUS) & VIO_S_FEATURES_OK)) {
		vio_wr(base, VIO_STATUS, VIO_S_ACK | VIO_S_DRIVER | VIO_S_FAILED);
		return false;
	}
	return true;
}

bool vq_setup(struct vq *q, u64 base, unsigned int index, u16 num, struct vq_ring_area *area)
{
	memset(area, 0, sizeof(*area));
	*q = (struct vq){ .base = base,
			  .index = index,
			  .num = num,
			  .desc = area->desc,
			  .avail = area->avail,
			  .used = (volatile u16 *)area->used };
	vio_wr(base, VIO_QUEUE_SEL, index);
	if (vio_rd(base, VIO_QUEUE_READY) || vio_rd(base, VIO_QUEUE_NUM_MAX) < num)
		return false;
	vio_wr(base, VIO_QUEUE_NUM, num);
	vio_wr(base, VIO_DESC_LO, (u32)(u64)area->desc);
	vio_wr(base, VIO_DESC_HI, (u32)((u64)area->desc >> 32));
	vio_wr(base, VIO_AVAIL_LO, (u32)(u64)area->avail);
	vio_wr(base, VIO_AVAIL_HI, (u32)((u64)area->avail >> 32));
	vio_wr(base, VIO_USED_LO, (u32)(u64)area->used);
	vio_wr(base, VIO_USED_HI, (u32)((u64)area->used >> 32));
	vio_wr(base, VIO_QUEUE_READY, 1);
	return vio_rd(base, VIO_QUEUE_READY) == 1;
}

bool vio_blk_init(struct vq *q, u64 base, u64 features, u16 num, struct vq_ring_area *area)
{
	if (!vio_negotiate(base, features) || !vq_setup(q, base, 0, num, area))
		return false;
	vio_wr(base, VIO_STATUS, VIO_S_ACK | VIO_S_DRIVER | VIO_S_FEATURES_OK | VIO_S_DRIVER_OK);
	return vio_rd(base, VIO_STATUS) ==
	       (VIO_S_ACK | VIO_S_DRIVER | VIO_S_FEATURES_OK | VIO_S_DRIVER_OK);
}

void vq_publish(struct vq *q, u16 head)
{
	q->avail[2 + q->avail_idx % q->num] = head;
	dsb();
	q->avail[1] = ++q->avail_idx;
	dsb();
}

void vq_notify(const struct vq *q)
{
	vio_wr(q->base, VIO_QUEUE_NOTIFY, q->index);
}

bool vq_wait_used(struct vq *q, u64 us, u32 *id, u32 *len)
{
	u64 end = gic_counter() + gic_us_to_ticks(us);

	while (vq_used_idx(q) == q->last_used) {
		if (gic_counter() > end)
			return false;
	}
	*id = vq_used_elem(q, q->last_used)->id;
	*len = vq_used_elem(q, q->last_used)->len;
	q->last_used++;
	return true;
}

/* Buffers of the request: header, data pieces, status. */
static struct vq_desc blk_table[VQ_MAX] __attribute__((aligned(16)));
static struct {
	u32 type;
	u32 reserved;
	u64 sector;
} blk_hdr __attribute__((aligned(16)));
static volatile u8 blk_status;

int blk_do(struct vq *q, const struct blk_req *r, u32 *used_len)
{
	struct vq_desc *d = r->indirect ? blk_table : q->desc;
	bool in = r->type == BLK_T_IN || r->type == BLK_T_GET_ID;
	u32 seg = r->seg ? r->seg : r->len, n = 0, id, len;

	blk_hdr.type = r->type;
	blk_hdr.reserved = 0;
	blk_hdr.sector = r->sector;
	blk_status = BLK_S_NONE;
	d[n++] = (struct vq_desc){ (u64)&blk_hdr, sizeof(blk_hdr), VQ_F_NEXT, 1 };
	for (u32 off = 0; off < r->len; off += seg) {
		u32 l = r->len - off < seg ? r->len - off : seg;

		d[n] = (struct vq_desc){ (u64)r->data + off, l, VQ_F_NEXT | (in ? VQ_F_WRITE : 0),
					 (u16)(n + 1) };
		n++;
	}
	d[n++] = (struct vq_desc){ (u64)&blk_status, 1, VQ_F_WRITE, 0 };
	if (r->indirect)
		q->desc[0] = (struct vq_desc){ (u64)blk_table, n * sizeof(struct vq_desc),
					       VQ_F_INDIRECT, 0 };
	dsb();
	vq_publish(q, 0);
	vq_notify(q);
	if (!vq_wait_used(q, 2000000, &id, &len) || id != 0)
		return -1;
	if (used_len)
		*used_len = len;
	dsb();
	return blk_status;
}

u64 blk_capacity(u64 base)
{
	u32 gen, lo, hi;

	do {
		gen = vio_rd(base, VIO_CONFIG_GEN);
		lo = vio_rd(base, VIO_CONFIG);
		hi = vio_rd(base, VIO_CONFIG + 4);
	} while (gen != vio_rd(base, VIO_CONFIG_GEN));
	return (u64)hi << 32 | lo;
}

/* Word i of a pattern starting at byte @seed: (seed + 8 i) * K ^ C, so any part of it can be
 * checked on its own from its own offset. */
#define PATTERN_K 0x9E3779B97F4A7C15ULL
#define PATTERN_C 0x7e57d15c0ffee000ULL

void pattern_fill(void *buf, u64 len, u64 seed)
{
	u64 *p = buf;

	for (u64 i = 0; i < len / 8; i++)
		p[i] = (seed + i * 8) * PATTERN_K ^ PATTERN_C;
}

bool pattern_check(const void *buf, u64 len, u64 seed)
{
	const u64 *p = buf;

	for (u64 i = 0; i < len / 8; i++)
		if (p[i] != ((seed + i * 8) * PATTERN_K ^ PATTERN_C))
			return false;
	return true;
}
