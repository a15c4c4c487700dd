// SPDX-License-Identifier: GPL-2.0-only
/*
 * The virtio-blk request parser (virt/virtio_blk_req.c) on crafted chains in a fake guest RAM:
 * each request type in ordinary and unusual framings (2.6.4: the device may assume none), and
 * every way a request can be wrong: no usable status byte (the device needs a reset), a chain
 * with unusable buffers, a short header, data in the wrong direction, sizes that are no multiple
 * of 512, sectors past the end (also wrapping), more segments or larger ones than promised,
 * writes to a read-only disk, unknown types. The data iterator yields exactly the data bytes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <virt/virtio.h>
#include <virt/virtio_blk_req.h>
#include "unit_guestmem.h"

#define HDR  (UGM_BASE + 0x1000)
#define DATA (UGM_BASE + 0x10000)
#define STAT (UGM_BASE + 0x2000)

static struct unit_guestmem gm;
static struct virtq_mem mem;
static struct virtq_buf bufs[300];
static struct virtq_chain chain;
static struct vblk_limits lim = { .capacity = 1024, .seg_max = 254, .size_max = 1 << 20 };
static struct vblk_req req;

static void header(u64 addr, u32 type, u64 sector)
{
	unsigned char *p = ugm_ptr(&gm, addr);

	memset(p, 0, 16);
	memcpy(p, &type, 4);
	memcpy(p + 8, &sector, 8);
}

static void buf(u64 addr, u32 len, bool write)
{
	bufs[chain.nr++] = (struct virtq_buf){ addr, len, write };
	if (write)
		chain.writable += len;
	else
		chain.readable += len;
}

/* The ordinary framing: header, data buffers of @seg bytes, status. */
static void simple(u32 type, u64 sector, u32 len, u32 seg, bool data_write)
{
	chain = (struct virtq_chain){ .head = 7 };
	header(HDR, type, sector);
	buf(HDR, 16, false);
	for (u32 off = 0; off < len; off += seg)
		buf(DATA + off, len - off < seg ? len - off : seg, data_write);
	buf(STAT, 1, true);
}

static enum vblk_verdict parse(void)
{
	return vblk_parse(&chain, bufs, &mem, &lim, &req);
}

static void expect_ioerr(const char *part)
{
	assert_int_equal(parse(), VBLK_ANSWER);
	assert_int_equal(req.status, VIRTIO_BLK_S_IOERR);
	assert_int_equal(req.status_addr, STAT);
	assert_non_null(req.why);
	if (!strstr(req.why, part))
		fail_msg("why = \"%s\", expected \"%s\"", req.why, part);
}

/* Concatenate what the iterator yields: it must be exactly [DATA, DATA + len). */
static void expect_data(u64 start, u64 len)
{
	struct vblk_iter it;
	u64 addr, next = start, total = 0;
	u32 n;

	vblk_iter_init(&it, &chain, bufs, &req);
	while (vblk_iter_next(&it, &addr, &n)) {
		assert_true(n > 0);
		assert_int_equal(addr, next);
		next += n;
		total += n;
	}
	assert_int_equal(total, len);
}

static int setup(void **state)
{
	(void)state;
	memset(&gm, 0, sizeof(gm));
	mem = ugm_mem(&gm);
	lim = (struct vblk_limits){ .capacity = 1024, .seg_max = 254, .size_max = 1 << 20 };
	return 0;
}

static void test_good_requests(void **state)
{
	(void)state;
	simple(VIRTIO_BLK_T_IN, 8, 4096, 4096, true);
	assert_int_equal(parse(), VBLK_DO);
	assert_int_equal(req.type, VIRTIO_BLK_T_IN);
	assert_int_equal(req.sector, 8);
	assert_int_equal(req.len, 4096);
	assert_int_equal(req.status_addr, STAT);
	assert_int_equal(vblk_used_len(&req), 4097);
	expect_data(DATA, 4096);

	simple(VIRTIO_BLK_T_OUT, 1016, 4096, 512, false); /* the last 8 sectors */
	assert_int_equal(parse(), VBLK_DO);
	assert_int_equal(vblk_used_len(&req), 1);
	expect_data(DATA, 4096);

	simple(VIRTIO_BLK_T_FLUSH, 0, 0, 1, false);
	assert_int_equal(parse(), VBLK_DO);
	assert_int_equal(req.len, 0);

	simple(VIRTIO_BLK_T_GET_ID, 0, 20, 20, true);
	assert_int_equal(parse(), VBLK_DO);
	assert_int_equal(vblk_used_len(&req), 21);
	/* A 64-byte id buffer gets 20 bytes at most. */
	simple(VIRTIO_BLK_T_GET_ID, 0, 64, 64, true);
	assert_int_equal(parse(), VBLK_DO);
	assert_int_equal(vblk_used_len(&req), 21);
}

static void test_framings(void **state)
{
	(void)state;
	/* OUT: header and data in one buffer. */
	chain = (struct virtq_chain){ 0 };
	header(DATA - 16, VIRTIO_BLK_T_OUT, 2);
	buf(DATA - 16, 16 + 1024, false);
	buf(STAT, 1, true);
	assert_int_equal(parse(), VBLK_DO);
	assert_int_equal(req.sector, 2);
	expect_data(DATA, 1024);

	/* IN: the header split over three buffers, data and status in one. */
	chain = (struct virtq_chain){ 0 };
	header(HDR, VIRTIO_BLK_T_IN, 5);
	buf(HDR, 3, false);
	buf(HDR + 3, 0, false);
	buf(HDR + 3, 13, false);
	buf(DATA, 512 + 1, true);
	assert_int_equal(parse(), VBLK_DO);
	assert_int_equal(req.sector, 5);
	assert_int_equal(req.status_addr, DATA + 512);
	expect_data(DATA, 512);

	/* IN: data in odd pieces, a zero-length one among them. */
	chain = (struct virtq_chain){ 0 };
	header(HDR, VIRTIO_BLK_T_IN, 0);
	buf(HDR, 16, false);
	buf(DATA, 100, true);
	buf(DATA + 100, 0, true);
	buf(DATA + 100, 412, true);
	buf(DATA + 512, 512, true);
	buf(STAT, 1, true);
	assert_int_equal(parse(), VBLK_DO);
	expect_data(DATA, 1024);
}

static void test_no_status(void **state)
{
	(void)state;
	chain = (struct virtq_chain){ 0 };
	assert_int_equal(parse(), VBLK_BROKEN); /* empty chain */
	simple(VIRTIO_BLK_T_IN, 0, 512, 512, true);
	bufs[chain.nr - 1].write = false; /* a device-readable status */
	assert_int_equal(parse(), VBLK_BROKEN);
	assert_non_null(strstr(req.why, "status"));
	simple(VIRTIO_BLK_T_IN, 0, 512, 512, true);
	bufs[chain.nr - 1].len = 0;
	assert_int_equal(parse(), VBLK_BROKEN);
	simple(VIRTIO_BLK_T_IN, 0, 512, 512, true);
	bufs[chain.nr - 1].addr = UGM_BASE + UGM_SIZE; /* past RAM */
	assert_int_equal(parse(), VBLK_BROKEN);
	simple(VIRTIO_BLK_T_IN, 0, 512, 512, true);
	bufs[chain.nr - 1].addr = ~0ULL; /* addr + len - 1 wraps */
	bufs[chain.nr - 1].len = 2;
	assert_int_equal(parse(), VBLK_BROKEN);
}

static void test_bad_requests(void **state)
{
	(void)state;
	simple(VIRTIO_BLK_T_IN, 0, 512, 512, true);
	chain.bad = "a buffer is not in the VM's RAM";
	expect_ioerr("not in the VM's RAM");

	simple(VIRTIO_BLK_T_IN, 0, 512, 512, true);
	bufs[0].len = 15;
	chain.readable = 15;
	expect_ioerr("header shorter");

	simple(VIRTIO_BLK_T_IN, 0, 512, 512, false);
	expect_ioerr("device-readable data in a read");

	simple(VIRTIO_BLK_T_OUT, 0, 512, 512, true);
	expect_ioerr("device-writable data in a write");

	simple(VIRTIO_BLK_T_FLUSH, 0, 512, 512, false);
	expect_ioerr("data in a flush");

	simple(VIRTIO_BLK_T_IN, 0, 500, 500, true);
	expect_ioerr("multiple of 512");

	simple(VIRTIO_BLK_T_IN, 1017, 4096, 4096, true); /* one sector too far */
	expect_ioerr("beyond the end");
	simple(VIRTIO_BLK_T_IN, ~0ULL - 3, 4096, 4096, true); /* wraps */
	expect_ioerr("beyond the end");
	simple(VIRTIO_BLK_T_OUT, 1ULL << 60, 512, 512, false);
	expect_ioerr("beyond the end");

	lim.capacity = 1ULL << 40;
	simple(VIRTIO_BLK_T_IN, 0, 255 * 512, 512, true); /* 255 segments */
	expect_ioerr("seg_max");
	simple(VIRTIO_BLK_T_IN, 0, 254 * 512, 512, true);
	assert_int_equal(parse(), VBLK_DO);
	simple(VIRTIO_BLK_T_IN, 0, 2 << 20, 2 << 20, true);
	expect_ioerr("size_max");

	lim.read_only = true;
	simple(VIRTIO_BLK_T_OUT, 0, 512, 512, false);
	expect_ioerr("read-only");
	simple(VIRTIO_BLK_T_IN, 0, 512, 512, true);
	assert_int_equal(parse(), VBLK_DO);
}

static void test_unsupported(void **state)
{
	static const u32 types[] = { 2, 3, 7, 9, 10, 11, 13, 14, 0xffffffff };

	(void)state;
	for (unsigned int i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		simple(types[i], 0, 512, 512, true);
		assert_int_equal(parse(), VBLK_ANSWER);
		assert_int_equal(req.status, VIRTIO_BLK_S_UNSUPP);
		assert_null(req.why);
	}
}

#define T(f) cmocka_unit_test_setup(f, setup)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_good_requests), T(test_framings),    T(test_no_status),
		T(test_bad_requests),  T(test_unsupported),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
