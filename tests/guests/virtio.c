// SPDX-License-Identifier: GPL-2.0-only
/*
 * virtio-mmio transports and the virtio-blk disk, as a correct driver sees them (virtio 1.2):
 * the window (empty slots read as transports with DeviceID 0, past it aborts), registers and
 * features, FEATURES_OK refused for what the device did not offer or without VERSION_1, the
 * configuration space at every width, reads and writes in any framing (header and data in one
 * buffer, many small buffers, indirect tables), FLUSH, GET_ID, UNSUPP, the sector range, many
 * requests per notification, interrupts through the GIC as the driver asks (EVENT_IDX and
 * NO_INTERRUPT), this vCPU's FP/SIMD registers kept across requests, and reset. The harness gives a
 * disk whose sector s holds pattern_fill(seed = 512 * s) and says its size in bootargs "sectors=N";
 * "ro=1" when it attached it read-only; "vm=N" in VM N; "async=1" when the disk is a host disk,
 * whose requests are answered after the notification returns while the vCPU runs on.
 */
#include "libguest.h"
#include "gic.h"
#include "smp.h"
#include "virtio.h"

#define DATA_MAX (64 * 1024)

static struct vq_ring_area ring;
static struct vq q;
static u8 data[DATA_MAX] __attribute__((aligned(4096)));
static u8 data2[DATA_MAX] __attribute__((aligned(4096)));
static volatile u32 irqs;
static u64 slot_base;
static u64 sectors;
static bool read_only;
static bool async;

static u64 bootarg_num(const char *key, u64 def)
{
	char buf[24];
	u64 v = 0;

	if (!bootarg_get(key, buf, sizeof(buf)))
		return def;
	for (const char *p = buf; *p >= '0' && *p <= '9'; p++)
		v = v * 10 + (u64)(*p - '0');
	return v;
}

static void vio_irq(u32 intid)
{
	u32 isr = vio_rd(slot_base, VIO_ISR);

	(void)intid;
	vio_wr(slot_base, VIO_ISR_ACK, isr);
	if (isr & 1)
		irqs++;
}

static u64 base_features(void)
{
	return 1ULL << VIO_F_VERSION_1;
}

static int rw(u32 type, u64 sector, void *buf, u32 len, u32 seg, bool indirect)
{
	const struct blk_req r = { type, sector, buf, len, seg, indirect };

	return blk_do(&q, &r, NULL);
}

static void test_window(void)
{
	bool empty_ok = true;
	u64 esr = 0, far = 0;
	int slot = vio_find(2);

	report(slot == 0, "the disk is on virtio-mmio slot 0 (found on %d)", slot);
	slot_base = VIO_SLOT(slot < 0 ? 0 : slot);
	report(vio_rd(slot_base, VIO_MAGIC) == VIO_MAGIC_VALUE &&
		   vio_rd(slot_base, VIO_VERSION) == 2 &&
		   vio_rd(slot_base, VIO_VENDOR_ID) == 0x4e524554,
	       "magic \"virt\", version 2, vendor \"TERN\"");
	for (unsigned int n = 1; n < VIO_NR_SLOTS; n++) {
		u64 b = VIO_SLOT(n);

		if (vio_rd(b, VIO_MAGIC) != VIO_MAGIC_VALUE || vio_rd(b, VIO_VERSION) != 2 ||
		    vio_rd(b, VIO_DEVICE_ID) != 0 || vio_rd(b, VIO_QUEUE_NUM_MAX) != 0)
			empty_ok = false;
		vio_wr(b, VIO_STATUS, VIO_S_ACK);
		if (vio_rd(b, VIO_STATUS) != 0)
			empty_ok = false;
	}
	report(empty_ok, "slots 1-31 read as empty transports (DeviceID 0) and ignore writes");
	expect_exception(ESR_EC_DABT_CUR);
	(void)*(volatile u32 *)(VIO_WINDOW + VIO_NR_SLOTS * VIO_SLOT_SIZE);
	report(exception_taken(&esr, &far) && far == VIO_WINDOW + VIO_NR_SLOTS * VIO_SLOT_SIZE,
	       "past the window aborts (FAR 0x%lx)", far);
}

static void test_features(void)
{
	u64 f = 0, want = (1ULL << VIO_F_VERSION_1) | (1ULL << VIO_F_INDIRECT_DESC) |
			  (1ULL << VIO_F_EVENT_IDX) | (1ULL << BLK_F_SIZE_MAX) |
			  (1ULL << BLK_F_SEG_MAX) | (1ULL << BLK_F_BLK_SIZE) |
			  (1ULL << BLK_F_FLUSH) | (read_only ? 1ULL << BLK_F_RO : 0);

	u32 beyond;

	vio_wr(slot_base, VIO_DEV_FEAT_SEL, 0);
	f = vio_rd(slot_base, VIO_DEV_FEAT);
	vio_wr(slot_base, VIO_DEV_FEAT_SEL, 1);
	f |= (u64)vio_rd(slot_base, VIO_DEV_FEAT) << 32;
	vio_wr(slot_base, VIO_DEV_FEAT_SEL, 2);
	beyond = vio_rd(slot_base, VIO_DEV_FEAT);
	report(f == want && !beyond, "device features 0x%lx (want 0x%lx), none past bit 63", f,
	       want);
	vio_wr(slot_base, VIO_QUEUE_SEL, 0);
	report(vio_rd(slot_base, VIO_QUEUE_NUM_MAX) == 256, "queue 0: QueueNumMax 256");
	vio_wr(slot_base, VIO_QUEUE_SEL, 1);
	report(vio_rd(slot_base, VIO_QUEUE_NUM_MAX) == 0, "queue 1 does not exist (QueueNumMax 0)");
	report(!vio_negotiate(slot_base, 1ULL << BLK_F_FLUSH),
	       "FEATURES_OK refused without VIRTIO_F_VERSION_1");
	report(!vio_negotiate(slot_base, base_features() | (1ULL << 34)),
	       "FEATURES_OK refused for a feature not offered (RING_PACKED)");
	report(vio_negotiate(slot_base, base_features() | (1ULL << BLK_F_FLUSH)),
	       "FEATURES_OK accepted for offered features");
	vio_wr(slot_base, VIO_STATUS, 0);
	report(vio_rd(slot_base, VIO_STATUS) == 0, "status 0 after reset");
}

static void test_config(void)
{
	u64 cap = blk_capacity(slot_base), cap8 = 0;
	u16 lo16 = *(volatile u16 *)(slot_base + VIO_CONFIG);

	for (unsigned int i = 0; i < 8; i++)
		cap8 |= (u64) * (volatile u8 *)(slot_base + VIO_CONFIG + i) << (8 * i);
	report(cap == sectors && cap8 == cap && lo16 == (u16)cap,
	       "capacity %lu sectors at 32-, 16- and 8-bit widths (bootargs: %lu)", cap, sectors);
	report(vio_rd(slot_base, VIO_CONFIG + 8) == (1U << 20) &&
		   vio_rd(slot_base, VIO_CONFIG + 12) == 254 &&
		   vio_rd(slot_base, VIO_CONFIG + 20) == 512,
	       "size_max 1 MiB, seg_max 254, blk_size 512");
	report(vio_rd(slot_base, VIO_CONFIG + 0xfc) == 0, "bytes past the configuration read 0");
}

static void test_io(void)
{
	u32 used = 0;
	struct blk_req r = { BLK_T_IN, 0, data, DATA_MAX, 0, false };
	int st;

	report(vio_blk_init(&q, slot_base,
			    base_features() | (1ULL << VIO_F_INDIRECT_DESC) | (1ULL << BLK_F_FLUSH),
			    64, &ring),
	       "driver set up (64 entries, INDIRECT_DESC, FLUSH)");
	st = blk_do(&q, &r, &used);
	report(st == BLK_S_OK && used == DATA_MAX + 1 && pattern_check(data, DATA_MAX, 0),
	       "read 64 KiB at sector 0: the disk's pattern (status %d, used len %u)", st, used);
	st = rw(BLK_T_IN, sectors - 8, data, 4096, 0, false);
	report(st == BLK_S_OK && pattern_check(data, 4096, (sectors - 8) * 512),
	       "read the last 4 KiB of the disk (status %d)", st);
	report(rw(BLK_T_IN, sectors - 7, data, 4096, 0, false) == BLK_S_IOERR,
	       "a read past the end fails with IOERR");
	report(rw(BLK_T_IN, ~0ULL - 3, data, 4096, 0, false) == BLK_S_IOERR,
	       "a sector number that wraps fails with IOERR");
	pattern_fill(data2, 8192, 0x5eed);
	st = rw(BLK_T_OUT, 100, data2, 8192, 0, false);
	if (read_only) {
		report(st == BLK_S_IOERR, "a write to the read-only disk fails with IOERR (%d)",
		       st);
		rw(BLK_T_IN, 100, data, 8192, 0, false);
		report(pattern_check(data, 8192, 100 * 512), "and the sectors are unchanged");
		return;
	}
	memset(data, 0, 8192);
	report(st == BLK_S_OK && rw(BLK_T_IN, 100, data, 8192, 0, false) == BLK_S_OK &&
		   pattern_check(data, 8192, 0x5eed),
	       "write 8 KiB at sector 100, read it back");
	pattern_fill(data2, 16384, 0xabc);
	st = rw(BLK_T_OUT, 200, data2, 16384, 512, false);
	memset(data, 0, 16384);
	report(st == BLK_S_OK && rw(BLK_T_IN, 200, data, 16384, 1024, true) == BLK_S_OK &&
		   pattern_check(data, 16384, 0xabc),
	       "write in 32 buffers of 512 bytes, read back through an indirect table of 16");
	report(rw(BLK_T_FLUSH, 0, NULL, 0, 0, false) == BLK_S_OK, "FLUSH");
}

/*
 * Tern answers a request within this vCPU's exit, while its FP/SIMD registers hold its values
 * (switched lazily): nothing on that path may leave them changed, a copy routine using vector
 * registers included. V0-V31, FPCR and FPSR filled before the requests, checked after each. Reads
 * of 64 KiB at sector 1024 (which test_io() leaves alone), each written back unchanged on a
 * read-write disk (the disk's contents stay the harness's).
 */
static void test_fp_kept(void)
{
	static u64 pat[SMP_FP_REGS][2];
	u64 fpcr, fpsr, bad = 0;
	unsigned int i, ok = 0;
	long reg = -1;

	for (unsigned int r = 0; r < SMP_FP_REGS; r++) {
		pat[r][0] = 0x0123456789abcdefUL ^ (u64)r << 56 ^ (u64)r;
		pat[r][1] = ~pat[r][0] ^ (u64)r << 16;
	}
	smp_fp_enable();
	fpcr = smp_fp_probe_fpcr(3UL << 22);
	fpsr = smp_fp_probe_fpsr(0x1fUL);
	smp_fp_fill((const u64(*)[2])pat, fpcr, fpsr);
	for (i = 0; i < 8 && reg < 0; i++) {
		memset(data, 0, DATA_MAX);
		if (rw(BLK_T_IN, 1024, data, DATA_MAX, 0, false) == BLK_S_OK &&
		    pattern_check(data, DATA_MAX, 1024 * 512) &&
		    (read_only || rw(BLK_T_OUT, 1024, data, DATA_MAX, 0, false) == BLK_S_OK))
			ok++;
		reg = smp_fp_verify((const u64(*)[2])pat, fpcr, fpsr, &bad);
	}
	report(ok == i, "%u of %u reads of 64 KiB%s right", ok, i,
	       read_only ? "" : ", each written back,");
	if (reg < 0)
		report(true, "V0-V31, FPCR 0x%lx and FPSR 0x%lx kept across %u requests", fpcr,
		       fpsr, i);
	else if (reg < SMP_FP_REGS)
		report(false, "V%ld changed by request %u: read 0x%lx, expected 0x%lx:0x%lx", reg,
		       i, bad, pat[reg][1], pat[reg][0]);
	else
		report(false, "%s changed by request %u: read 0x%lx, expected 0x%lx",
		       reg == SMP_FP_FPCR ? "FPCR" : "FPSR", i, bad,
		       reg == SMP_FP_FPCR ? fpcr : fpsr);
}

/* Header and data in one buffer (OUT), data and status in one (IN): framing is the driver's. */
static void test_framing(void)
{
	static u8 out[16 + 1024] __attribute__((aligned(16)));
	static u8 in[1024 + 1] __attribute__((aligned(16)));
	static volatile u8 status;
	u32 id = 0, len = 0;

	if (read_only) {
		report_skip("framing: the disk is read-only");
		return;
	}
	*(u32 *)out = BLK_T_OUT;
	*(u64 *)(out + 8) = 300;
	pattern_fill(out + 16, 1024, 0x77);
	status = BLK_S_NONE;
	q.desc[0] = (struct vq_desc){ (u64)out, sizeof(out), VQ_F_NEXT, 1 };
	q.desc[1] = (struct vq_desc){ (u64)&status, 1, VQ_F_WRITE, 0 };
	vq_publish(&q, 0);
	vq_notify(&q);
	vq_wait_used(&q, 2000000, &id, &len);
	*(u32 *)out = BLK_T_IN;
	memset(in, 0xee, sizeof(in));
	q.desc[0] = (struct vq_desc){ (u64)out, 16, VQ_F_NEXT, 1 };
	q.desc[1] = (struct vq_desc){ (u64)in, sizeof(in), VQ_F_WRITE, 0 };
	vq_publish(&q, 0);
	vq_notify(&q);
	report(vq_wait_used(&q, 2000000, &id, &len) && len == 1025 && in[1024] == BLK_S_OK &&
		   status == BLK_S_OK && pattern_check(in, 1024, 0x77),
	       "header+data in one buffer, data+status in one buffer (used len %u)", len);
}

static void test_get_id_unsupp(void)
{
	static char id[20], want[20];
	u32 used = 0;
	struct blk_req r = { BLK_T_GET_ID, 0, id, sizeof(id), 0, false };
	int st = blk_do(&q, &r, &used);

	snprintf(want, sizeof(want), "tern-vm%lu-disk", bootarg_num("vm", 0));
	report(st == BLK_S_OK && !strcmp(id, want) && used == 21, "GET_ID: \"%s\" (used len %u)",
	       id, used);
	report(rw(BLK_T_DISCARD, 0, data, 512, 0, false) == BLK_S_UNSUPP,
	       "DISCARD (not offered) answers UNSUPP");
}

/* Eight reads published, one notification: all eight answered. */
static void test_batch(void)
{
	static struct {
		u32 type, reserved;
		u64 sector;
	} hdr[8] __attribute__((aligned(16)));
	static volatile u8 st[8];
	bool ok = true;
	u32 id, len;
	unsigned int got = 0;

	for (unsigned int i = 0; i < 8; i++) {
		hdr[i] = (typeof(hdr[i])){ BLK_T_IN, 0, 1000 + 8 * i };
		st[i] = BLK_S_NONE;
		q.desc[3 * i] = (struct vq_desc){ (u64)&hdr[i], 16, VQ_F_NEXT, (u16)(3 * i + 1) };
		q.desc[3 * i + 1] = (struct vq_desc){ (u64)data + 4096 * i, 4096,
						      VQ_F_NEXT | VQ_F_WRITE, (u16)(3 * i + 2) };
		q.desc[3 * i + 2] = (struct vq_desc){ (u64)&st[i], 1, VQ_F_WRITE, 0 };
	}
	for (unsigned int i = 0; i < 8; i++)
		q.avail[2 + (q.avail_idx + i) % q.num] = (u16)(3 * i);
	dsb();
	q.avail_idx += 8;
	q.avail[1] = q.avail_idx;
	vq_notify(&q);
	while (got < 8 && vq_wait_used(&q, 2000000, &id, &len))
		got++;
	for (unsigned int i = 0; i < 8; i++)
		ok &= st[i] == BLK_S_OK &&
		      pattern_check(data + 4096 * i, 4096, (u64)(1000 + 8 * i) * 512);
	report(got == 8 && ok, "8 requests, one notification: %u answered, data right", got);
}

/*
 * A host disk answers asynchronously: 64 reads of 16 KiB in one notification (each one
 * descriptor to an indirect table) go out together and come back while the vCPU runs on; four
 * rounds. 64 is as many as the host disk takes at once: with another VM on it doing the same,
 * one of them finds it full, with nothing of its own in flight, and waits for the other's
 * answers to free it.
 */
#define ASYNC_REQS   64
#define ASYNC_BYTES  (16 * 1024)
#define ASYNC_ROUNDS 4

static void test_async(void)
{
	static struct {
		u32 type, reserved;
		u64 sector;
	} hdr[ASYNC_REQS] __attribute__((aligned(16)));
	static struct vq_desc table[ASYNC_REQS][3] __attribute__((aligned(16)));
	static volatile u8 st[ASYNC_REQS];
	static u8 big[ASYNC_REQS][ASYNC_BYTES] __attribute__((aligned(4096)));
	unsigned int answered = 0, seen = 0;
	u64 loops = 0;
	bool ok = true;

	for (unsigned int round = 0; round < ASYNC_ROUNDS; round++) {
		u16 start = q.last_used;
		u64 end;

		for (unsigned int i = 0; i < ASYNC_REQS; i++) {
			u64 sector = 2048 + (u64)(i + round) % ASYNC_REQS * (ASYNC_BYTES / 512);

			hdr[i] = (typeof(hdr[i])){ BLK_T_IN, 0, sector };
			st[i] = BLK_S_NONE;
			table[i][0] = (struct vq_desc){ (u64)&hdr[i], 16, VQ_F_NEXT, 1 };
			table[i][1] =
			    (struct vq_desc){ (u64)big[i], ASYNC_BYTES, VQ_F_NEXT | VQ_F_WRITE, 2 };
			table[i][2] = (struct vq_desc){ (u64)&st[i], 1, VQ_F_WRITE, 0 };
			q.desc[i] =
			    (struct vq_desc){ (u64)table[i], sizeof(table[i]), VQ_F_INDIRECT, 0 };
			q.avail[2 + (q.avail_idx + i) % q.num] = (u16)i;
		}
		dsb();
		q.avail_idx += ASYNC_REQS;
		q.avail[1] = q.avail_idx;
		vq_notify(&q);
		seen += (u16)(vq_used_idx(&q) - start);
		end = gic_counter() + gic_us_to_ticks(10000000);
		while ((u16)(vq_used_idx(&q) - start) < ASYNC_REQS && gic_counter() < end)
			loops++;
		q.last_used = vq_used_idx(&q);
		answered += (u16)(q.last_used - start);
		for (unsigned int i = 0; i < ASYNC_REQS; i++)
			ok &=
			    st[i] == BLK_S_OK &&
			    pattern_check(
				big[i], ASYNC_BYTES,
				(2048 + (u64)(i + round) % ASYNC_REQS * (ASYNC_BYTES / 512)) * 512);
	}
	/* How many are answered by the time the notification returns depends on the host disk's
	 * speed; Tern counts the answers that came later (the harness checks). */
	report_info("%u rounds of %u reads in one notification: %u answered when it returned, "
		    "%lu loops run until all were",
		    ASYNC_ROUNDS, ASYNC_REQS, seen, loops);
	report(ok && answered == ASYNC_ROUNDS * ASYNC_REQS,
	       "%u rounds of %u reads in one notification: all answered, data right", ASYNC_ROUNDS,
	       ASYNC_REQS);
}

/* InterruptStatus and the SPI, as the driver asks for them. */
static void test_interrupts(void)
{
	u32 before, st;

	gic_set_handler(VIO_FIRST_SPI, vio_irq);
	gic_irq_set_priority(VIO_FIRST_SPI, 0x80);
	gic_irq_enable(VIO_FIRST_SPI);
	gic_irqs_unmask();
	before = irqs;
	st = (u32)rw(BLK_T_IN, 0, data, 512, 0, false);
	gic_wait_count(&irqs, before + 1, 1000000);
	report(st == BLK_S_OK && irqs == before + 1 && vio_rd(slot_base, VIO_ISR) == 0 &&
		   !gic_irq_is_pending(VIO_FIRST_SPI),
	       "a used buffer raises SPI 48 once; acknowledged, the line is low");
	gic_irqs_mask();

	/* VIRTQ_AVAIL_F_NO_INTERRUPT: nothing in InterruptStatus. */
	q.avail[0] = VQ_AVAIL_F_NO_INTERRUPT;
	st = (u32)rw(BLK_T_IN, 0, data, 512, 0, false);
	report(st == BLK_S_OK && vio_rd(slot_base, VIO_ISR) == 0,
	       "NO_INTERRUPT: answered without an interrupt");
	q.avail[0] = 0;

	/* EVENT_IDX: no interrupt until used_event is passed; avail_event follows the ring. */
	vio_blk_init(&q, slot_base, base_features() | (1ULL << VIO_F_EVENT_IDX), 16, &ring);
	q.avail[2 + q.num] = 5; /* used_event: interrupt when entry 5 is used */
	for (unsigned int i = 0; i < 3; i++)
		rw(BLK_T_IN, 0, data, 512, 0, false);
	report(vio_rd(slot_base, VIO_ISR) == 0, "EVENT_IDX: no interrupt for used entries 0-2");
	report(q.used[2 + 4 * q.num] == q.avail_idx,
	       "EVENT_IDX: avail_event is the next index (%u)", q.used[2 + 4 * q.num]);
	for (unsigned int i = 0; i < 3; i++)
		rw(BLK_T_IN, 0, data, 512, 0, false);
	report(vio_rd(slot_base, VIO_ISR) == 1, "EVENT_IDX: the interrupt comes with entry 5");
	vio_wr(slot_base, VIO_ISR_ACK, 1);
}

static void test_reset(void)
{
	vio_wr(slot_base, VIO_STATUS, 0);
	vio_wr(slot_base, VIO_QUEUE_SEL, 0);
	report(vio_rd(slot_base, VIO_STATUS) == 0 && vio_rd(slot_base, VIO_QUEUE_READY) == 0 &&
		   vio_rd(slot_base, VIO_ISR) == 0,
	       "reset: status, QueueReady and InterruptStatus 0");
	report(vio_blk_init(&q, slot_base, base_features(), 8, &ring) &&
		   rw(BLK_T_IN, 8, data, 512, 0, false) == BLK_S_OK &&
		   pattern_check(data, 512, 8 * 512),
	       "set up again with 8 entries: a read works");
}

int main(void)
{
	report_prefix("virtio");
	sectors = bootarg_num("sectors", 0);
	read_only = bootarg_num("ro", 0) != 0;
	async = bootarg_num("async", 0) != 0;
	if (!gic_dist_init() || !gic_cpu_init())
		report_abort("no GIC");
	test_window();
	test_features();
	test_config();
	test_io();
	test_fp_kept();
	test_framing();
	test_get_id_unsupp();
	test_batch();
	if (async)
		test_async();
	test_interrupts();
	test_reset();
	return 0;
}
