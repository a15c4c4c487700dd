// SPDX-License-Identifier: GPL-2.0-only
/*
 * The split-virtqueue walker (virt/virtqueue.c) and the virtio-blk request parser
 * (virt/virtio_blk_req.c) on guest RAM the input fills: rings, descriptors and indirect tables
 * are whatever the bytes say, and the queue's size, addresses and features too. Whatever they
 * say: no access outside the fake RAM, a chain handed out as usable has every buffer in RAM and
 * at most Queue Size of them, a request the parser passes has its data (exactly its length, in
 * RAM, in the right direction) and status byte in RAM and its sectors on the disk.
 *
 * Input: num (1 byte, as a power of 2 up to 256), the offsets of the three rings (2 bytes each),
 * flags (1 byte: INDIRECT_DESC, EVENT_IDX), capacity (4 bytes), read-only, last_avail (2 bytes),
 * then the RAM's contents.
 */
#include <virt/virtio.h>
#include <virt/virtio_blk_req.h>
#include <virt/virtqueue.h>
#include "fuzz_input.h"

#define RAM_BASE 0x40000000ULL
#define RAM_SIZE (64 * 1024)

static uint8_t ram[RAM_SIZE];
static struct virtq_buf bufs[256];
static struct virtq_desc table[256];

static bool in_ram(void *ctx, u64 addr, u64 len)
{
	(void)ctx;
	return addr >= RAM_BASE && len <= RAM_SIZE && addr - RAM_BASE <= RAM_SIZE - len;
}

static int mem_read(void *ctx, u64 addr, void *buf, u64 len)
{
	if (!in_ram(ctx, addr, len))
		return -1;
	memcpy(buf, ram + (addr - RAM_BASE), len);
	return 0;
}

static int mem_write(void *ctx, u64 addr, const void *buf, u64 len)
{
	if (!in_ram(ctx, addr, len))
		return -1;
	memcpy(ram + (addr - RAM_BASE), buf, len);
	return 0;
}

static const struct virtq_mem mem = { NULL, mem_read, mem_write, in_ram };

static void check_request(const struct virtq_chain *c, const struct vblk_limits *lim)
{
	struct vblk_req r;
	enum vblk_verdict v = vblk_parse(c, bufs, &mem, lim, &r);
	struct vblk_iter it;
	u64 addr, total = 0;
	u32 len;

	if (v == VBLK_BROKEN)
		return;
	FUZZ_CHECK(in_ram(NULL, r.status_addr, 1));
	if (v == VBLK_ANSWER) {
		FUZZ_CHECK(r.status == VIRTIO_BLK_S_IOERR || r.status == VIRTIO_BLK_S_UNSUPP);
		return;
	}
	FUZZ_CHECK(!c->bad);
	FUZZ_CHECK(r.type == VIRTIO_BLK_T_IN || r.type == VIRTIO_BLK_T_OUT ||
		   r.type == VIRTIO_BLK_T_FLUSH || r.type == VIRTIO_BLK_T_GET_ID);
	FUZZ_CHECK(!(r.type == VIRTIO_BLK_T_OUT && lim->read_only));
	if (r.type == VIRTIO_BLK_T_IN || r.type == VIRTIO_BLK_T_OUT) {
		FUZZ_CHECK(r.len % VIRTIO_BLK_SECTOR_SIZE == 0);
		FUZZ_CHECK(r.sector <= lim->capacity &&
			   r.len / VIRTIO_BLK_SECTOR_SIZE <= lim->capacity - r.sector);
	}
	vblk_iter_init(&it, c, bufs, &r);
	while (vblk_iter_next(&it, &addr, &len)) {
		FUZZ_CHECK(len && in_ram(NULL, addr, len));
		FUZZ_CHECK(len <= lim->size_max);
		total += len;
	}
	FUZZ_CHECK(total == r.len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_input in = { data, size, 0 };
	struct virtq vq = { 0 };
	const struct virtq_scratch s = { bufs, table, 256 };
	struct vblk_limits lim;
	u8 flags;

	vq.num = (u16)(1U << (fuzz_u8(&in) % 9));
	vq.desc = RAM_BASE + (fuzz_bytes(&in, 2) & ~15ULL);
	vq.avail = RAM_BASE + (fuzz_bytes(&in, 2) & ~1ULL);
	vq.used = RAM_BASE + (fuzz_bytes(&in, 2) & ~3ULL);
	flags = fuzz_u8(&in);
	vq.indirect = flags & 1;
	vq.event_idx = flags & 2;
	lim = (struct vblk_limits){ .capacity = fuzz_u32(&in),
				    .read_only = flags & 4,
				    .seg_max = 254,
				    .size_max = 1U << 20 };
	vq.last_avail = (u16)fuzz_bytes(&in, 2);
	vq.ready = true;
	memset(ram, 0, sizeof(ram));
	memcpy(ram, data + in.pos, MIN(size - MIN(in.pos, size), sizeof(ram)));
	if (virtq_check(&vq, &mem, 256))
		return 0;
	for (unsigned int n = 0; n < 2 * 256; n++) {
		struct virtq_chain c;
		const char *why = NULL;
		int rc = virtq_pop(&vq, &mem, &s, &c, &why);

		if (rc <= 0) {
			FUZZ_CHECK(rc == 0 || why);
			break;
		}
		FUZZ_CHECK(c.head < vq.num && c.nr <= vq.num);
		if (!c.bad)
			for (unsigned int i = 0; i < c.nr; i++)
				FUZZ_CHECK(in_ram(NULL, bufs[i].addr, bufs[i].len));
		check_request(&c, &lim);
		FUZZ_CHECK(virtq_push(&vq, &mem, c.head, 1) == 0);
		(void)virtq_should_interrupt(&vq, &mem);
		(void)virtq_enable_notify(&vq, &mem);
	}
	return 0;
}
