// SPDX-License-Identifier: GPL-2.0-only
/*
 * The split-virtqueue walker (virt/virtqueue.c) on crafted rings in a fake guest RAM: good
 * chains (direct, indirect), every way a ring can be broken (an index past the queue, loops,
 * chains longer than the queue, indirect tables that are nested, misdescribed or outside RAM,
 * the available index jumping), buffers outside RAM or wrapping, the used ring and the
 * notification rules of EVENT_IDX and NO_INTERRUPT, and a guest rewriting the ring while it is
 * walked. Layouts and values come from the virtio 1.2 specification (2.7).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <virt/virtqueue.h>
#include "unit_guestmem.h"

#define NUM   8
#define DESC  (UGM_BASE + 0x1000)
#define AVAIL (UGM_BASE + 0x3000)
#define USED  (UGM_BASE + 0x4000)
#define TABLE (UGM_BASE + 0x8000)
#define BUF   (UGM_BASE + 0x10000)

#define F_NEXT	   1
#define F_WRITE	   2
#define F_INDIRECT 4

static struct unit_guestmem gm;
static struct unit_guestmem *g = &gm;
static struct virtq vq;
static struct virtq_mem mem;
static struct virtq_buf bufs[256];
static struct virtq_desc table[256];
static const struct virtq_scratch scratch = { bufs, table, 256 };

/* Raw little-endian stores, written out from the layout in the specification. */
static void put16(u64 addr, u16 v)
{
	memcpy(ugm_ptr(g, addr), &v, 2);
}

static u16 get16(u64 addr)
{
	u16 v;

	memcpy(&v, ugm_ptr(g, addr), 2);
	return v;
}

static u32 get32(u64 addr)
{
	u32 v;

	memcpy(&v, ugm_ptr(g, addr), 4);
	return v;
}

static void desc_at(u64 table_addr, u16 i, u64 addr, u32 len, u16 flags, u16 next)
{
	unsigned char *d = ugm_ptr(g, table_addr + 16 * (u64)i);

	memcpy(d, &addr, 8);
	memcpy(d + 8, &len, 4);
	memcpy(d + 12, &flags, 2);
	memcpy(d + 14, &next, 2);
}

static void desc(u16 i, u64 addr, u32 len, u16 flags, u16 next)
{
	desc_at(DESC, i, addr, len, flags, next);
}

/* Make @head available: avail->ring[idx % num] = head, then avail->idx += 1. */
static void publish(u16 head)
{
	u16 idx = get16(AVAIL + 2);

	put16(AVAIL + 4 + 2 * (idx % vq.num), head);
	put16(AVAIL + 2, (u16)(idx + 1));
}

static int setup(void **state)
{
	(void)state;
	memset(g, 0, sizeof(*g));
	mem = ugm_mem(g);
	virtq_reset(&vq);
	vq = (struct virtq){ .num = NUM,
			     .desc = DESC,
			     .avail = AVAIL,
			     .used = USED,
			     .ready = true,
			     .indirect = true,
			     .signalled_valid = true };
	return 0;
}

static int pop(struct virtq_chain *c, const char **why)
{
	*why = NULL;
	return virtq_pop(&vq, &mem, &scratch, c, why);
}

static void expect_broken(const char *part)
{
	struct virtq_chain c;
	const char *why;

	assert_int_equal(pop(&c, &why), -1);
	assert_non_null(why);
	if (!strstr(why, part))
		fail_msg("why = \"%s\", expected it to mention \"%s\"", why, part);
}

static void test_check(void **state)
{
	(void)state;
	assert_null(virtq_check(&vq, &mem, 256));
	vq.num = 0;
	assert_non_null(strstr(virtq_check(&vq, &mem, 256), "QueueNum is 0"));
	vq.num = 512;
	assert_non_null(strstr(virtq_check(&vq, &mem, 256), "above QueueNumMax"));
	vq.num = 12;
	assert_non_null(strstr(virtq_check(&vq, &mem, 256), "power of 2"));
	vq.num = NUM;
	vq.desc = DESC + 8;
	assert_non_null(strstr(virtq_check(&vq, &mem, 256), "misaligned"));
	vq.desc = DESC;
	vq.avail = AVAIL + 1;
	assert_non_null(strstr(virtq_check(&vq, &mem, 256), "misaligned"));
	vq.avail = AVAIL;
	vq.used = USED + 2;
	assert_non_null(strstr(virtq_check(&vq, &mem, 256), "misaligned"));
	vq.used = 0; /* never set */
	assert_non_null(strstr(virtq_check(&vq, &mem, 256), "not in the VM's RAM"));
	/* The used ring (6 + 8 * num bytes) must end inside RAM too. */
	vq.used = UGM_BASE + UGM_SIZE - 8 * NUM;
	assert_non_null(virtq_check(&vq, &mem, 256));
	vq.used = UGM_BASE + UGM_SIZE - (6 + 8 * NUM) - 2;
	assert_null(virtq_check(&vq, &mem, 256));
}

static void test_empty_and_simple(void **state)
{
	struct virtq_chain c;
	const char *why;

	(void)state;
	assert_int_equal(pop(&c, &why), 0);
	desc(3, BUF, 16, F_NEXT, 5);
	desc(5, BUF + 0x100, 4096, F_NEXT | F_WRITE, 1);
	desc(1, BUF + 0x2000, 1, F_WRITE, 0);
	publish(3);
	assert_int_equal(pop(&c, &why), 1);
	assert_null(why);
	assert_int_equal(c.head, 3);
	assert_int_equal(c.nr, 3);
	assert_int_equal(c.readable, 16);
	assert_int_equal(c.writable, 4097);
	assert_null(c.bad);
	assert_int_equal(bufs[1].addr, BUF + 0x100);
	assert_true(bufs[1].write);
	assert_false(bufs[0].write);
	assert_int_equal(vq.last_avail, 1);
	assert_int_equal(pop(&c, &why), 0);
}

static void test_chain_of_num(void **state)
{
	struct virtq_chain c;
	const char *why;

	(void)state;
	/* Exactly as long as the queue: fine. */
	for (u16 i = 0; i < NUM; i++)
		desc(i, BUF + 16 * i, 16, i + 1 < NUM ? F_NEXT : F_WRITE, (u16)(i + 1));
	publish(0);
	assert_int_equal(pop(&c, &why), 1);
	assert_int_equal(c.nr, NUM);
	/* The last one points back to the first: a loop, stopped after NUM descriptors. */
	desc(NUM - 1, BUF, 16, F_NEXT | F_WRITE, 0);
	publish(0);
	expect_broken("loop");
}

static void test_broken_indices(void **state)
{
	(void)state;
	/* A loop of two. */
	desc(0, BUF, 16, F_NEXT, 1);
	desc(1, BUF, 16, F_NEXT, 0);
	publish(0);
	expect_broken("loop");

	setup(NULL);
	publish(NUM); /* head past the table */
	expect_broken("past the end of the descriptor table");

	setup(NULL);
	desc(0, BUF, 16, F_NEXT, NUM + 1);
	publish(0);
	expect_broken("next index past the end");

	setup(NULL);
	put16(AVAIL + 2, NUM + 1); /* NUM + 1 entries "available" at once */
	expect_broken("more than the queue size");
	/* Exactly NUM at once is allowed. */
	setup(NULL);
	for (u16 i = 0; i < NUM; i++)
		desc(i, BUF, 16, F_WRITE, 0);
	for (u16 i = 0; i < NUM; i++)
		publish(i);
	for (u16 i = 0; i < NUM; i++) {
		struct virtq_chain c;
		const char *why;

		assert_int_equal(pop(&c, &why), 1);
	}
	/* The index may wrap around 65536. */
	setup(NULL);
	vq.last_avail = 0xffff;
	put16(AVAIL + 2, 0xffff);
	publish(2);
	desc(2, BUF, 1, F_WRITE, 0);
	{
		struct virtq_chain c;
		const char *why;

		assert_int_equal(pop(&c, &why), 1);
		assert_int_equal(c.head, 2);
		assert_int_equal(vq.last_avail, 0);
	}
}

static void test_indirect(void **state)
{
	struct virtq_chain c;
	const char *why;

	(void)state;
	desc_at(TABLE, 0, BUF, 16, F_NEXT, 2);
	desc_at(TABLE, 2, BUF + 0x100, 512, F_NEXT | F_WRITE, 1);
	desc_at(TABLE, 1, BUF + 0x400, 1, F_WRITE, 0);
	desc(4, TABLE, 3 * 16, F_INDIRECT | F_WRITE /* ignored */, 0);
	publish(4);
	assert_int_equal(pop(&c, &why), 1);
	assert_int_equal(c.head, 4);
	assert_int_equal(c.nr, 3);
	assert_int_equal(c.readable, 16);
	assert_int_equal(c.writable, 513);
	assert_int_equal(bufs[2].addr, BUF + 0x400);

	/* A direct descriptor, then the table: the table counts against the queue size too. */
	desc(0, BUF, 16, F_NEXT, 4);
	desc(4, TABLE, 2 * 16, F_INDIRECT, 0);
	desc_at(TABLE, 0, BUF, 16, F_NEXT, 1);
	desc_at(TABLE, 1, BUF + 0x400, 1, F_WRITE, 0);
	publish(0);
	assert_int_equal(pop(&c, &why), 1);
	assert_int_equal(c.nr, 3);
	desc(4, TABLE, NUM * 16, F_INDIRECT, 0);
	for (u16 i = 0; i < NUM; i++)
		desc_at(TABLE, i, BUF, 16, i + 1 < NUM ? F_NEXT : F_WRITE, (u16)(i + 1));
	publish(0);
	expect_broken("longer than the queue size");
}

static void test_indirect_broken(void **state)
{
	(void)state;
	desc(0, TABLE, 32, F_INDIRECT, 0);
	vq.indirect = false;
	publish(0);
	expect_broken("without VIRTIO_F_INDIRECT_DESC");

	setup(NULL);
	desc(0, TABLE, 32, F_INDIRECT | F_NEXT, 1);
	publish(0);
	expect_broken("NEXT set");

	setup(NULL);
	desc(0, TABLE, 40, F_INDIRECT, 0);
	publish(0);
	expect_broken("multiple of 16");

	setup(NULL);
	desc(0, TABLE, 0, F_INDIRECT, 0);
	publish(0);
	expect_broken("multiple of 16");

	setup(NULL);
	desc(0, TABLE, (NUM + 1) * 16, F_INDIRECT, 0);
	publish(0);
	expect_broken("longer than the queue size");

	setup(NULL);
	desc(0, UGM_BASE + UGM_SIZE - 16, 32, F_INDIRECT, 0);
	publish(0);
	expect_broken("indirect table that is not in the VM's RAM");

	setup(NULL);
	desc(0, 0x09000000, 32, F_INDIRECT, 0); /* a device */
	publish(0);
	expect_broken("not in the VM's RAM");

	setup(NULL);
	desc(0, TABLE, 32, F_INDIRECT, 0);
	desc_at(TABLE, 0, BUF, 16, F_NEXT, 1);
	desc_at(TABLE, 1, TABLE + 0x100, 32, F_INDIRECT, 0);
	publish(0);
	expect_broken("inside an indirect table");

	setup(NULL);
	desc(0, TABLE, 32, F_INDIRECT, 0);
	desc_at(TABLE, 0, BUF, 16, F_NEXT, 1);
	desc_at(TABLE, 1, BUF, 16, F_NEXT, 0);
	publish(0);
	expect_broken("loop in an indirect table");

	setup(NULL);
	desc(0, TABLE, 32, F_INDIRECT, 0);
	desc_at(TABLE, 0, BUF, 16, F_NEXT, 2);
	publish(0);
	expect_broken("past the end of its indirect table");
}

/* Walkable chains with unusable buffers come back marked bad, not broken. */
static void test_bad_buffers(void **state)
{
	static const struct {
		u64 addr;
		u32 len;
	} bad[] = {
		{ UGM_BASE - 4096, 4096 },	    /* below RAM */
		{ UGM_BASE + UGM_SIZE - 100, 200 }, /* straddles the end */
		{ UGM_BASE + UGM_SIZE, 1 },	    /* just past */
		{ 0x08000000, 16 },		    /* a device */
		{ 1ULL << 48, 16 },		    /* past any IPA space */
		{ 0xfffffffffffff000ULL, 0x2000 },  /* wraps */
		{ 0xffffffffffffffffULL, 1 },	    /* the last byte of the space */
	};
	struct virtq_chain c;
	const char *why;

	(void)state;
	for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		desc(0, BUF, 16, F_NEXT, 1);
		desc(1, bad[i].addr, bad[i].len, F_NEXT | F_WRITE, 2);
		desc(2, BUF + 0x100, 1, F_WRITE, 0);
		publish(0);
		assert_int_equal(pop(&c, &why), 1);
		assert_non_null(c.bad);
		assert_non_null(strstr(c.bad, "not in the VM's RAM"));
		assert_int_equal(c.nr, 3);
	}
	/* Readable after writable. */
	desc(0, BUF, 16, F_NEXT | F_WRITE, 1);
	desc(1, BUF, 16, F_NEXT, 2);
	desc(2, BUF + 0x100, 1, F_WRITE, 0);
	publish(0);
	assert_int_equal(pop(&c, &why), 1);
	assert_non_null(strstr(c.bad, "follows a device-writable"));
	/* A zero-length writable buffer still counts as writable for the order. */
	desc(0, BUF, 0, F_NEXT | F_WRITE, 1);
	publish(0);
	assert_int_equal(pop(&c, &why), 1);
	assert_non_null(c.bad);
}

static void test_push(void **state)
{
	(void)state;
	for (u32 i = 0; i < NUM + 3; i++)
		assert_int_equal(virtq_push(&vq, &mem, (u16)(i % NUM), 100 + i), 0);
	assert_int_equal(get16(USED + 2), NUM + 3);
	/* Entry k of the ring holds the last push that landed there (it wraps at num). */
	assert_int_equal(get32(USED + 4 + 8 * 2), (NUM + 2) % NUM);
	assert_int_equal(get32(USED + 4 + 8 * 2 + 4), 100 + NUM + 2);
	assert_int_equal(get32(USED + 4 + 8 * 3 + 4), 100 + 3);
	/* A used ring outside RAM (it moved under us): refused. */
	vq.used = UGM_BASE + UGM_SIZE - 4;
	assert_int_equal(virtq_push(&vq, &mem, 0, 1), -1);
}

static void test_notification_rules(void **state)
{
	(void)state;
	/* Without EVENT_IDX: the NO_INTERRUPT flag decides. */
	virtq_push(&vq, &mem, 0, 1);
	assert_true(virtq_should_interrupt(&vq, &mem));
	put16(AVAIL, 1);
	virtq_push(&vq, &mem, 0, 1);
	assert_false(virtq_should_interrupt(&vq, &mem));

	/* EVENT_IDX: used_event (after the avail ring) says when. */
	setup(NULL);
	vq.event_idx = true;
	put16(AVAIL + 4 + 2 * NUM, 2); /* interrupt when entry 2 is used */
	virtq_push(&vq, &mem, 0, 1);
	assert_false(virtq_should_interrupt(&vq, &mem)); /* used 0 */
	virtq_push(&vq, &mem, 0, 1);
	assert_false(virtq_should_interrupt(&vq, &mem)); /* used 1 */
	virtq_push(&vq, &mem, 0, 1);
	virtq_push(&vq, &mem, 0, 1);
	assert_true(virtq_should_interrupt(&vq, &mem)); /* 2 and 3 in one batch */
	virtq_push(&vq, &mem, 0, 1);
	assert_false(virtq_should_interrupt(&vq, &mem)); /* past it already */

	/* avail_event (after the used ring) is set to the next index the device expects. */
	setup(NULL);
	vq.event_idx = true;
	desc(0, BUF, 1, F_WRITE, 0);
	publish(0);
	publish(0);
	{
		struct virtq_chain c;
		const char *why;

		assert_int_equal(pop(&c, &why), 1);
		assert_true(virtq_enable_notify(&vq, &mem)); /* one more is there */
		assert_int_equal(get16(USED + 4 + 8 * NUM), 1);
		assert_int_equal(pop(&c, &why), 1);
		assert_false(virtq_enable_notify(&vq, &mem));
		assert_int_equal(get16(USED + 4 + 8 * NUM), 2);
	}
}

/*
 * A guest that rewrites a descriptor right after the device read it: the device works on what
 * it read (each descriptor is read once and checked on the copy).
 */
static void rewrite_after_read(struct unit_guestmem *gm, unsigned long long addr)
{
	if (addr == DESC) {
		gm->after_read = NULL;
		desc(0, 0xdead0000, 16, F_NEXT | F_INDIRECT, 0);
	}
}

static void test_guest_rewrites(void **state)
{
	struct virtq_chain c;
	const char *why;

	(void)state;
	desc(0, BUF, 16, F_NEXT, 1);
	desc(1, BUF + 0x100, 1, F_WRITE, 0);
	publish(0);
	g->after_read = rewrite_after_read;
	assert_int_equal(pop(&c, &why), 1);
	assert_null(c.bad);
	assert_int_equal(bufs[0].addr, BUF);
	assert_int_equal(c.nr, 2);
}

#define T(f) cmocka_unit_test_setup(f, setup)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_check),
		T(test_empty_and_simple),
		T(test_chain_of_num),
		T(test_broken_indices),
		T(test_indirect),
		T(test_indirect_broken),
		T(test_bad_buffers),
		T(test_push),
		T(test_notification_rules),
		T(test_guest_rewrites),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
