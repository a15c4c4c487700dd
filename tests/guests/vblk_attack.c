// SPDX-License-Identifier: GPL-2.0-only
/*
 * A hostile virtio-blk driver. Every request below breaks the protocol on purpose; each must end
 * either with VIRTIO_BLK_S_IOERR in its status byte (where the chain still has one) or with the
 * device in DEVICE_NEEDS_RESET and a configuration-change interrupt pending; in both cases
 * nothing outside this VM's RAM is read or written, Tern keeps running, and after a reset the
 * device works again. Buffers point into Tern, another VM, device memory, past the IPA space,
 * wrap around; chains loop, outgrow the queue, nest indirect tables; queues are set up with
 * QueueNum 0, above QueueNumMax, without addresses; notifications come before DRIVER_OK; the
 * available index jumps. The harness runs a second VM that checksums its memory meanwhile and
 * checks Tern's integrity at power-off. The disk holds pattern_fill(512 * s) at sector s.
 */
#include "libguest.h"
#include "gic.h"
#include "virtio.h"

#define NUM 8

static struct vq_ring_area ring;
static struct vq q;
static u64 base;
static u64 ram_end;
static u8 buf[8192] __attribute__((aligned(4096)));
static struct vq_desc table[2 * NUM + 4] __attribute__((aligned(16)));
static struct vq_desc table2[4] __attribute__((aligned(16)));
static struct {
	u32 type, reserved;
	u64 sector;
} hdr __attribute__((aligned(16)));
static volatile u8 status;

static void setup(u64 features)
{
	if (!vio_blk_init(&q, base, (1ULL << VIO_F_VERSION_1) | features, NUM, &ring))
		report_abort("cannot set the device up");
}

/* Reset and set up again; then an ordinary read must work. */
static bool recover(void)
{
	const struct blk_req r = { BLK_T_IN, 16, buf, 4096, 0, false };

	vio_wr(base, VIO_STATUS, 0);
	if (vio_rd(base, VIO_STATUS) != 0)
		return false;
	setup(1ULL << VIO_F_INDIRECT_DESC);
	memset(buf, 0, 4096);
	return blk_do(&q, &r, NULL) == BLK_S_OK && pattern_check(buf, 4096, 16 * 512);
}

static bool needs_reset(void)
{
	return (vio_rd(base, VIO_STATUS) & VIO_S_NEEDS_RESET) && (vio_rd(base, VIO_ISR) & 2);
}

/* Publish chain @head, notify, and wait briefly for an answer. */
static bool submit(u16 head, u32 *len)
{
	u32 id;

	dsb();
	vq_publish(&q, head);
	vq_notify(&q);
	return vq_wait_used(&q, 300000, &id, len) && id == head;
}

static void set_hdr(u32 type, u64 sector)
{
	hdr = (typeof(hdr)){ type, 0, sector };
	status = BLK_S_NONE;
}

/* A read or write whose data buffer is [addr, addr + len): IOERR, and the disk unchanged. */
static void bad_buffer(const char *what, u32 type, u64 addr, u32 len)
{
	bool in = type == BLK_T_IN;
	u32 used = 0;
	bool answered, unchanged;
	const struct blk_req r = { BLK_T_IN, 64, buf, 4096, 0, false };

	set_hdr(type, 64);
	q.desc[0] = (struct vq_desc){ (u64)&hdr, 16, VQ_F_NEXT, 1 };
	q.desc[1] = (struct vq_desc){ addr, len, VQ_F_NEXT | (in ? VQ_F_WRITE : 0), 2 };
	q.desc[2] = (struct vq_desc){ (u64)&status, 1, VQ_F_WRITE, 0 };
	answered = submit(0, &used);
	report(answered && status == BLK_S_IOERR && used == 1 && !needs_reset(),
	       "%s %s 0x%lx+0x%x: IOERR", in ? "read into" : "write from", what, addr, len);
	memset(buf, 0, 4096);
	unchanged = blk_do(&q, &r, NULL) == BLK_S_OK && pattern_check(buf, 4096, 64 * 512);
	if (!unchanged)
		report(false, "sector 64 changed after the bad %s", what);
}

/* A chain the device cannot walk or answer: DEVICE_NEEDS_RESET, then a reset recovers. */
static void expect_reset(const char *what, u16 head)
{
	u32 used;

	dsb();
	vq_publish(&q, head);
	vq_notify(&q);
	report(!vq_wait_used(&q, 200000, &(u32){ 0 }, &used) && needs_reset(),
	       "%s: DEVICE_NEEDS_RESET with a config interrupt", what);
	report(recover(), "%s: after a reset the device works again", what);
}

static void test_buffers(void)
{
	/*
	 * Guest addresses are IPAs: the machine's RAM past this VM's (where Tern, the boot
	 * modules and the other VM live, under QEMU from 0x40000000 up) is reachable only
	 * through addresses past this VM's RAM, which Tern must refuse.
	 */
	const struct {
		const char *what;
		u64 addr;
		u32 len;
	} bad[] = {
		{ "straddling the end of RAM", ram_end - 4096, 8192 },
		{ "just past RAM", ram_end, 4096 },
		{ "host RAM past ours (Tern, modules)", ram_end + (16UL << 20), 4096 },
		{ "host RAM further up (the other VM)", ram_end + (512UL << 20), 4096 },
		{ "the GIC distributor", 0x08000000UL, 4096 },
		{ "the UART", 0x09000000UL, 4096 },
		{ "the virtio window itself", 0x0A000000UL, 512 },
		{ "flash at 0", 0, 512 },
		{ "beyond the IPA space", 1ULL << 48, 4096 },
		{ "a wrapping address", 0xFFFFFFFFFFFFF000ULL, 0x2000 },
	};

	for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++) {
		bad_buffer(bad[i].what, BLK_T_IN, bad[i].addr, bad[i].len);
		bad_buffer(bad[i].what, BLK_T_OUT, bad[i].addr, bad[i].len);
	}
}

static void test_requests(void)
{
	u32 used;

	/* Data for a read that the device may only read: wrong direction. */
	set_hdr(BLK_T_IN, 8);
	q.desc[0] = (struct vq_desc){ (u64)&hdr, 16, VQ_F_NEXT, 1 };
	q.desc[1] = (struct vq_desc){ (u64)buf, 512, VQ_F_NEXT, 2 };
	q.desc[2] = (struct vq_desc){ (u64)&status, 1, VQ_F_WRITE, 0 };
	report(submit(0, &used) && status == BLK_S_IOERR,
	       "a read whose data buffer is device-readable: IOERR");
	/* A device-readable buffer after a device-writable one. */
	set_hdr(BLK_T_IN, 8);
	q.desc[0] = (struct vq_desc){ (u64)&hdr, 16, VQ_F_NEXT, 1 };
	q.desc[1] = (struct vq_desc){ (u64)buf, 512, VQ_F_NEXT | VQ_F_WRITE, 2 };
	q.desc[2] = (struct vq_desc){ (u64)buf + 512, 512, VQ_F_NEXT, 3 };
	q.desc[3] = (struct vq_desc){ (u64)&status, 1, VQ_F_WRITE, 0 };
	report(submit(0, &used) && status == BLK_S_IOERR,
	       "a device-readable buffer after a device-writable one: IOERR");
	/* A header shorter than 16 bytes. */
	set_hdr(BLK_T_IN, 8);
	q.desc[0] = (struct vq_desc){ (u64)&hdr, 8, VQ_F_NEXT, 1 };
	q.desc[1] = (struct vq_desc){ (u64)&status, 1, VQ_F_WRITE, 0 };
	report(submit(0, &used) && status == BLK_S_IOERR, "an 8-byte header: IOERR");
	/* Data not a multiple of 512 bytes. */
	set_hdr(BLK_T_IN, 8);
	q.desc[0] = (struct vq_desc){ (u64)&hdr, 16, VQ_F_NEXT, 1 };
	q.desc[1] = (struct vq_desc){ (u64)buf, 100, VQ_F_NEXT | VQ_F_WRITE, 2 };
	q.desc[2] = (struct vq_desc){ (u64)&status, 1, VQ_F_WRITE, 0 };
	report(submit(0, &used) && status == BLK_S_IOERR, "100 bytes of data: IOERR");
	/* A segment larger than size_max (1 MiB), all of it inside RAM. */
	set_hdr(BLK_T_IN, 0);
	q.desc[1] =
	    (struct vq_desc){ GUEST_RAM_BASE + (32UL << 20), 2U << 20, VQ_F_NEXT | VQ_F_WRITE, 2 };
	report(submit(0, &used) && status == BLK_S_IOERR,
	       "a 2 MiB segment (size_max 1 MiB): IOERR");
}

static void test_rings(void)
{
	/* A loop of two descriptors. */
	set_hdr(BLK_T_IN, 8);
	q.desc[0] = (struct vq_desc){ (u64)&hdr, 16, VQ_F_NEXT, 1 };
	q.desc[1] = (struct vq_desc){ (u64)buf, 512, VQ_F_NEXT | VQ_F_WRITE, 0 };
	expect_reset("a loop of two descriptors", 0);

	/* An indirect table with more entries than the queue has (a chain longer than it). */
	set_hdr(BLK_T_IN, 8);
	table[0] = (struct vq_desc){ (u64)&hdr, 16, VQ_F_NEXT, 1 };
	for (u16 i = 1; i < 2 * NUM + 1; i++)
		table[i] = (struct vq_desc){ (u64)buf, 512, VQ_F_NEXT | VQ_F_WRITE, (u16)(i + 1) };
	table[2 * NUM + 1] = (struct vq_desc){ (u64)&status, 1, VQ_F_WRITE, 0 };
	q.desc[0] = (struct vq_desc){ (u64)table, (2 * NUM + 2) * 16, VQ_F_INDIRECT, 0 };
	expect_reset("a chain longer than the queue (indirect)", 0);

	/* A loop inside an indirect table. */
	table[0] = (struct vq_desc){ (u64)&hdr, 16, VQ_F_NEXT, 1 };
	table[1] = (struct vq_desc){ (u64)buf, 512, VQ_F_NEXT | VQ_F_WRITE, 0 };
	q.desc[0] = (struct vq_desc){ (u64)table, 2 * 16, VQ_F_INDIRECT, 0 };
	expect_reset("a loop inside an indirect table", 0);

	/* The status descriptor is device-readable. */
	set_hdr(BLK_T_IN, 8);
	q.desc[0] = (struct vq_desc){ (u64)&hdr, 16, VQ_F_NEXT, 1 };
	q.desc[1] = (struct vq_desc){ (u64)buf, 512, VQ_F_NEXT | VQ_F_WRITE, 2 };
	q.desc[2] = (struct vq_desc){ (u64)&status, 1, 0, 0 };
	expect_reset("a read-only status descriptor", 0);

	/* The status byte outside RAM. */
	q.desc[2] = (struct vq_desc){ ram_end, 1, VQ_F_WRITE, 0 };
	expect_reset("a status byte past RAM", 0);

	/* An indirect table inside an indirect table. */
	table2[0] = (struct vq_desc){ (u64)&hdr, 16, VQ_F_NEXT, 1 };
	table2[1] = (struct vq_desc){ (u64)&status, 1, VQ_F_WRITE, 0 };
	table[0] = (struct vq_desc){ (u64)table2, 2 * 16, VQ_F_INDIRECT, 0 };
	q.desc[0] = (struct vq_desc){ (u64)table, 16, VQ_F_INDIRECT, 0 };
	expect_reset("nested indirect tables", 0);

	/* An indirect table outside RAM, and one of a size that is no multiple of 16. */
	q.desc[0] = (struct vq_desc){ 0x09000000UL, 64, VQ_F_INDIRECT, 0 };
	expect_reset("an indirect table at the UART", 0);
	q.desc[0] = (struct vq_desc){ (u64)table, 40, VQ_F_INDIRECT, 0 };
	expect_reset("an indirect table of 40 bytes", 0);

	/* Indices past the queue: a head, a next. */
	expect_reset("an available entry past the descriptor table", NUM + 3);
	q.desc[0] = (struct vq_desc){ (u64)&hdr, 16, VQ_F_NEXT, NUM + 1 };
	expect_reset("a next index past the descriptor table", 0);

	/* The available index jumps by more than the queue size. */
	set_hdr(BLK_T_IN, 8);
	q.desc[0] = (struct vq_desc){ (u64)&hdr, 16, VQ_F_NEXT, 1 };
	q.desc[1] = (struct vq_desc){ (u64)&status, 1, VQ_F_WRITE, 0 };
	q.avail_idx += NUM + 5;
	expect_reset("the available index jumping by NUM + 6", 0);
}

/* Queue set-up and the status state machine. */
static void setup_attack(const char *what, u32 num, bool addresses)
{
	vio_wr(base, VIO_STATUS, 0);
	vio_negotiate(base, 1ULL << VIO_F_VERSION_1);
	vio_wr(base, VIO_QUEUE_SEL, 0);
	vio_wr(base, VIO_QUEUE_NUM, num);
	if (addresses) {
		vio_wr(base, VIO_DESC_LO, (u32)(u64)ring.desc);
		vio_wr(base, VIO_AVAIL_LO, (u32)(u64)ring.avail);
		vio_wr(base, VIO_USED_LO, (u32)(u64)ring.used);
	}
	vio_wr(base, VIO_QUEUE_READY, 1);
	report(vio_rd(base, VIO_QUEUE_READY) == 0 && (vio_rd(base, VIO_STATUS) & VIO_S_NEEDS_RESET),
	       "%s: queue not ready, DEVICE_NEEDS_RESET", what);
	report(recover(), "%s: after a reset the device works again", what);
}

static void test_setup(void)
{
	u32 used;

	setup_attack("QueueNum 0", 0, true);
	setup_attack("QueueNum 512 (above QueueNumMax 256)", 512, true);
	setup_attack("QueueNum 12 (no power of 2)", 12, true);
	setup_attack("QueueReady with no addresses", NUM, false);

	/* A notification before DRIVER_OK. */
	vio_wr(base, VIO_STATUS, 0);
	vio_negotiate(base, 1ULL << VIO_F_VERSION_1);
	vq_setup(&q, base, 0, NUM, &ring);
	set_hdr(BLK_T_IN, 8);
	q.desc[0] = (struct vq_desc){ (u64)&hdr, 16, VQ_F_NEXT, 1 };
	q.desc[1] = (struct vq_desc){ (u64)&status, 1, VQ_F_WRITE, 0 };
	vq_publish(&q, 0);
	vq_notify(&q);
	report(!vq_wait_used(&q, 100000, &(u32){ 0 }, &used) &&
		   (vio_rd(base, VIO_STATUS) & VIO_S_NEEDS_RESET) && status == BLK_S_NONE,
	       "a notification before DRIVER_OK: nothing done, DEVICE_NEEDS_RESET");
	report(recover(), "after a reset the device works again");

	/* The driver clears a status bit; DRIVER_OK without FEATURES_OK. */
	vio_wr(base, VIO_STATUS, VIO_S_ACK | VIO_S_DRIVER | VIO_S_FEATURES_OK | VIO_S_DRIVER_OK);
	vio_wr(base, VIO_STATUS, VIO_S_ACK | VIO_S_DRIVER_OK);
	report(vio_rd(base, VIO_STATUS) & VIO_S_NEEDS_RESET, "a cleared status bit: NEEDS_RESET");
	report(recover(), "after a reset the device works again");
	vio_wr(base, VIO_STATUS, 0);
	vio_wr(base, VIO_STATUS, VIO_S_ACK | VIO_S_DRIVER | VIO_S_DRIVER_OK);
	report(vio_rd(base, VIO_STATUS) & VIO_S_NEEDS_RESET,
	       "DRIVER_OK without FEATURES_OK: NEEDS_RESET");
	report(recover(), "after a reset the device works again");
}

int main(void)
{
	char mem[24];
	int slot = vio_find(2);
	u64 mib = 0;

	report_prefix("vblk-attack");
	if (slot < 0)
		report_abort("no virtio-blk device");
	base = VIO_SLOT(slot);
	if (!bootarg_get("ram_mib", mem, sizeof(mem)))
		report_abort("bootargs lack ram_mib=");
	for (const char *p = mem; *p >= '0' && *p <= '9'; p++)
		mib = mib * 10 + (u64)(*p - '0');
	ram_end = GUEST_RAM_BASE + (mib << 20);
	setup(1ULL << VIO_F_INDIRECT_DESC);
	test_buffers();
	if (!recover())
		report(false, "the device stopped working after the buffer attacks");
	test_requests();
	recover();
	test_rings();
	test_setup();
	return 0;
}
