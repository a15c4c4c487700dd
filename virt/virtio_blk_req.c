// SPDX-License-Identifier: GPL-2.0-only
/*
 * Reading virtio-blk requests (virtio 1.2, 5.2.6) from descriptor chains. The device may make no
 * assumption about framing (2.6.4), so the header and data are byte streams over the chain's
 * device-readable and device-writable buffers. Everything a request says is checked before the
 * device acts on it: buffers in RAM (the walker), direction, sizes, the sector range.
 */
#include <tern/compiler.h>
#include <virt/virtio.h>
#include <virt/virtio_blk_req.h>

static enum vblk_verdict vblk_answer(struct vblk_req *r, u8 status, const char *why)
{
	r->status = status;
	r->why = why;
	return VBLK_ANSWER;
}

/* The first VIRTIO_BLK_HDR_SIZE device-readable bytes, wherever the driver put them. */
static bool vblk_read_header(const struct virtq_chain *c, const struct virtq_buf *bufs,
			     const struct virtq_mem *m, u8 hdr[VIRTIO_BLK_HDR_SIZE])
{
	u32 got = 0;

	for (unsigned int i = 0; i < c->nr && got < VIRTIO_BLK_HDR_SIZE; i++) {
		u32 n;

		if (bufs[i].write)
			continue;
		n = MIN(bufs[i].len, VIRTIO_BLK_HDR_SIZE - got);
		if (n && m->read(m->ctx, bufs[i].addr, hdr + got, n))
			return false;
		got += n;
	}
	return got == VIRTIO_BLK_HDR_SIZE;
}

static u64 vblk_le(const u8 *p, unsigned int n)
{
	u64 v = 0;

	for (unsigned int i = 0; i < n; i++)
		v |= (u64)p[i] << (8 * i);
	return v;
}

/* Segments and their sizes against SEG_MAX and SIZE_MAX (the driver promised to keep them). */
static const char *vblk_check_segments(const struct virtq_chain *c, const struct virtq_buf *bufs,
				       const struct vblk_req *r, const struct vblk_limits *lim)
{
	struct vblk_iter it;
	unsigned int nr = 0;
	u64 addr;
	u32 len;

	vblk_iter_init(&it, c, bufs, r);
	while (vblk_iter_next(&it, &addr, &len)) {
		if (++nr > lim->seg_max)
			return "more data segments than seg_max";
		if (len > lim->size_max)
			return "a data segment larger than size_max";
	}
	return NULL;
}

enum vblk_verdict vblk_parse(const struct virtq_chain *c, const struct virtq_buf *bufs,
			     const struct virtq_mem *m, const struct vblk_limits *lim,
			     struct vblk_req *r)
{
	const struct virtq_buf *last = c->nr ? &bufs[c->nr - 1] : NULL;
	u8 hdr[VIRTIO_BLK_HDR_SIZE];
	const char *why;
	u64 sectors;

	*r = (struct vblk_req){ 0 };
	/* The status byte ends the last buffer, which the device must be able to write. */
	if (!last || !last->write || !last->len ||
	    !m->in_ram(m->ctx, last->addr + last->len - 1, 1)) {
		r->why = "no device-writable status byte at the end of the chain";
		return VBLK_BROKEN;
	}
	r->status_addr = last->addr + last->len - 1;
	if (c->bad)
		return vblk_answer(r, VIRTIO_BLK_S_IOERR, c->bad);
	if (!vblk_read_header(c, bufs, m, hdr))
		return vblk_answer(r, VIRTIO_BLK_S_IOERR, "a header shorter than 16 bytes");
	r->type = (u32)vblk_le(hdr, 4);
	r->sector = vblk_le(hdr + 8, 8);

	switch (r->type) {
	case VIRTIO_BLK_T_IN:
	case VIRTIO_BLK_T_GET_ID:
		if (c->readable != VIRTIO_BLK_HDR_SIZE)
			return vblk_answer(r, VIRTIO_BLK_S_IOERR,
					   "device-readable data in a read request");
		r->len = c->writable - 1;
		break;
	case VIRTIO_BLK_T_OUT:
		if (c->writable != 1)
			return vblk_answer(r, VIRTIO_BLK_S_IOERR,
					   "device-writable data in a write request");
		if (lim->read_only)
			return vblk_answer(r, VIRTIO_BLK_S_IOERR, "a write to a read-only disk");
		r->len = c->readable - VIRTIO_BLK_HDR_SIZE;
		break;
	case VIRTIO_BLK_T_FLUSH:
		if (c->readable != VIRTIO_BLK_HDR_SIZE || c->writable != 1)
			return vblk_answer(r, VIRTIO_BLK_S_IOERR, "data in a flush request");
		return VBLK_DO;
	default:
		return vblk_answer(r, VIRTIO_BLK_S_UNSUPP, NULL);
	}
	if (r->type == VIRTIO_BLK_T_GET_ID)
		return VBLK_DO;
	if (r->len % VIRTIO_BLK_SECTOR_SIZE)
		return vblk_answer(r, VIRTIO_BLK_S_IOERR, "data not a multiple of 512 bytes");
	sectors = r->len >> VIRTIO_BLK_SECTOR_SHIFT;
	if (sectors > lim->capacity || r->sector > lim->capacity - sectors)
		return vblk_answer(r, VIRTIO_BLK_S_IOERR, "sectors beyond the end of the disk");
	why = vblk_check_segments(c, bufs, r, lim);
	if (why)
		return vblk_answer(r, VIRTIO_BLK_S_IOERR, why);
	return VBLK_DO;
}

void vblk_iter_init(struct vblk_iter *it, const struct virtq_chain *c, const struct virtq_buf *bufs,
		    const struct vblk_req *r)
{
	bool out = r->type == VIRTIO_BLK_T_OUT;

	*it = (struct vblk_iter){
		.bufs = bufs,
		.nr = c->nr,
		.write = !out,
		.skip = out ? VIRTIO_BLK_HDR_SIZE : 0,
		.left = r->len,
	};
}

bool vblk_iter_next(struct vblk_iter *it, u64 *addr, u32 *len)
{
	while (it->left && it->i < it->nr) {
		const struct virtq_buf *b = &it->bufs[it->i++];
		u64 n;

		if (b->write != it->write)
			continue;
		if (it->skip >= b->len) {
			it->skip -= b->len;
			continue;
		}
		n = MIN((u64)b->len - it->skip, it->left);
		*addr = b->addr + it->skip;
		*len = (u32)n;
		it->skip = 0;
		it->left -= n;
		if (n)
			return true;
	}
	return false;
}

u32 vblk_used_len(const struct vblk_req *r)
{
	switch (r->type) {
	case VIRTIO_BLK_T_IN:
		return (u32)r->len + 1;
	case VIRTIO_BLK_T_GET_ID:
		return (u32)MIN(r->len, VIRTIO_BLK_ID_BYTES) + 1;
	default:
		return 1;
	}
}
