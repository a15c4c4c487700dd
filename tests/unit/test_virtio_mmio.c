// SPDX-License-Identifier: GPL-2.0-only
/*
 * The virtio-mmio transport (virt/virtio_mmio.c) through guest accesses to its window, created
 * by the VM's device list (core/vdev.c) on the real MMIO registry, with a fake device attached:
 * empty slots, the register set, feature negotiation (FEATURES_OK refused for what was not
 * offered or without VERSION_1), the status state machine, queue set-up checks, notifications,
 * InterruptStatus and the interrupt line, DEVICE_NEEDS_RESET with its configuration-change
 * interrupt (logged once per VM), access widths, the configuration space, reset, stop and
 * detach. Register offsets and values are written out from virtio 1.2 (4.2.2).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <tern/errno.h>
#include <tern/mmio.h>
#include <tern/platform.h>
#include <tern/vdev.h>
#include <tern/vm.h>
#include <virt/virtio_mmio.h>
#include "stub_printk.h"
#include "unit_guestmem.h"
#include "unit_helpers.h"

#define SLOT0	0x0A000000ULL
#define SLOT(n) (SLOT0 + 0x200ULL * (n))
#define RING	(UGM_BASE + 0x4000)

static struct unit_guestmem gm;
static struct vm vm;
static struct platform plat;
static struct virtio_dev dev;
static struct {
	unsigned int notifies, resets, configs;
	unsigned int last_queue;
	u32 intid;
	bool level;
	unsigned int edges;
	/* The device raises its interrupt when notified (test_kick_after_unlock). */
	bool irq_on_notify;
	/* A raised line's vCPU kick noted, and kicks sent (never under the device lock). */
	bool kick_pending;
	unsigned int kicks;
} fake;

/* ---- what the transport needs from the VM ---- */

int vm_io_from_guest(struct vm *v, void *dst, ipa_t src, u64 len)
{
	(void)v;
	return ugm_read(&gm, src, dst, len) ? -TERN_EFAULT : 0;
}

int vm_io_to_guest(struct vm *v, ipa_t dst, const void *src, u64 len)
{
	(void)v;
	return ugm_write(&gm, dst, src, len) ? -TERN_EFAULT : 0;
}

bool vm_ipa_in_ram(const struct vm *v, ipa_t ipa, u64 size)
{
	(void)v;
	return ugm_in_ram(&gm, ipa, size);
}

void vm_irq_set_level_deferred(struct vm *v, u32 intid, bool level)
{
	(void)v;
	fake.intid = intid;
	if (level && !fake.level) {
		fake.edges++;
		fake.kick_pending = true;
	}
	fake.level = level;
}

/* The kick is an SGI, slow on an emulator: the vCPU it wakes must find the device unlocked. */
void sched_kick_flush(void)
{
	assert_false(spin_is_locked(&dev.lock));
	if (fake.kick_pending)
		fake.kicks++;
	fake.kick_pending = false;
}

/* ---- the fake device ---- */

static void fdev_config(struct virtio_dev *vd, u8 *buf)
{
	(void)vd;
	fake.configs++;
	for (unsigned int i = 0; i < 12; i++)
		buf[i] = (u8)(0x10 + i);
}

static void fdev_notify(struct virtio_dev *vd, unsigned int q)
{
	fake.notifies++;
	fake.last_queue = q;
	if (fake.irq_on_notify)
		virtio_dev_interrupt(vd, VIRTIO_MMIO_INT_VRING);
}

static void fdev_reset(struct virtio_dev *vd)
{
	(void)vd;
	fake.resets++;
}

static const struct virtio_dev_ops fdev_ops = {
	.name = "fake",
	.device_id = 42,
	.nr_queues = 2,
	.queue_num_max = 64,
	.config_size = 12,
	.config = fdev_config,
	.notify = fdev_notify,
	.reset = fdev_reset,
};

static u64 rd(u64 addr, unsigned int size)
{
	u64 v = 0xdeadbeef;

	assert_int_equal(mmio_dispatch(&vm.mmio, NULL, addr, size, false, &v), 0);
	return v;
}

static void wr(u64 addr, unsigned int size, u64 v)
{
	assert_int_equal(mmio_dispatch(&vm.mmio, NULL, addr, size, true, &v), 0);
}

static u32 r32(u32 off)
{
	return (u32)rd(SLOT(0) + off, 4);
}

static void w32(u32 off, u32 v)
{
	wr(SLOT(0) + off, 4, v);
}

static int setup(void **state)
{
	(void)state;
	memset(&gm, 0, sizeof(gm));
	memset(&fake, 0, sizeof(fake));
	memset(&vm, 0, sizeof(vm));
	memset(&dev, 0, sizeof(dev));
	vm.id = 3;
	vm.ram_size = UGM_SIZE;
	mmio_bus_init(&vm.mmio);
	stub_printk_reset();
	assert_int_equal(vdev_create_all(&vm, &plat), 0);
	assert_int_equal(vm.nr_vdevs, 1);
	dev.ops = &fdev_ops;
	dev.features = 1ULL << 3;
	assert_int_equal(virtio_mmio_attach(&vm, &dev), 0);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	virtio_mmio_detach(&dev);
	vdev_destroy_all(&vm);
	assert_int_equal(vm.mmio.nr, 0);
	mmio_bus_destroy(&vm.mmio);
	assert_int_equal(unit_pages_live, 0);
	return 0;
}

/* ACKNOWLEDGE, DRIVER, VERSION_1 (and @more), FEATURES_OK: true if accepted. */
static bool negotiate(u64 more)
{
	u64 f = (1ULL << 32) | more;

	w32(0x070, 0);
	w32(0x070, 1);
	w32(0x070, 3);
	w32(0x024, 0);
	w32(0x020, (u32)f);
	w32(0x024, 1);
	w32(0x020, (u32)(f >> 32));
	w32(0x070, 0xb);
	return r32(0x070) == 0xb;
}

static void queue_setup(u32 num, bool addresses)
{
	w32(0x030, 0);
	w32(0x038, num);
	if (addresses) {
		w32(0x080, (u32)RING);
		w32(0x084, 0);
		w32(0x090, (u32)(RING + 0x1000));
		w32(0x094, 0);
		w32(0x0a0, (u32)(RING + 0x2000));
		w32(0x0a4, 0);
	}
	w32(0x044, 1);
}

static bool needs_reset(void)
{
	return r32(0x070) & 64;
}

static void test_window(void **state)
{
	(void)state;
	assert_int_equal(dev.slot, 0);
	assert_int_equal(dev.intid, 48);
	assert_int_equal(r32(0x000), 0x74726976);
	assert_int_equal(r32(0x004), 2);
	assert_int_equal(r32(0x008), 42);
	assert_int_equal(r32(0x00c), 0x4e524554);
	for (unsigned int n = 1; n < 32; n++) {
		assert_int_equal(rd(SLOT(n), 4), 0x74726976);
		assert_int_equal(rd(SLOT(n) + 4, 4), 2);
		assert_int_equal(rd(SLOT(n) + 8, 4), 0);
		assert_int_equal(rd(SLOT(n) + 0x34, 4), 0);
		wr(SLOT(n) + 0x70, 4, 1);
		assert_int_equal(rd(SLOT(n) + 0x70, 4), 0);
	}
	/* Past the window: not this device's. */
	{
		u64 v;

		assert_int_equal(mmio_dispatch(&vm.mmio, NULL, SLOT(32), 4, false, &v),
				 -TERN_ENOENT);
	}
}

static void test_features(void **state)
{
	(void)state;
	w32(0x014, 0);
	assert_int_equal(r32(0x010), (1U << 3) | (1U << 28) | (1U << 29));
	w32(0x014, 1);
	assert_int_equal(r32(0x010), 1);
	w32(0x014, 2);
	assert_int_equal(r32(0x010), 0);
	assert_false(negotiate(1ULL << 4));  /* not offered */
	assert_false(negotiate(1ULL << 34)); /* RING_PACKED: not offered */
	/* Without VERSION_1. */
	w32(0x070, 0);
	w32(0x070, 3);
	w32(0x024, 0);
	w32(0x020, 1U << 3);
	w32(0x070, 0xb);
	assert_int_equal(r32(0x070), 3);
	/* FEATURES_OK without DRIVER. */
	w32(0x070, 0);
	w32(0x070, 1 | 8);
	assert_int_equal(r32(0x070), 1);
	assert_true(negotiate((1ULL << 3) | (1ULL << 29)));
	assert_int_equal(dev.driver_features, (1ULL << 32) | (1ULL << 3) | (1ULL << 29));
	/* Frozen once FEATURES_OK is set. */
	w32(0x024, 0);
	w32(0x020, 0);
	assert_int_equal(dev.driver_features, (1ULL << 32) | (1ULL << 3) | (1ULL << 29));
}

static void test_queue_setup(void **state)
{
	(void)state;
	assert_true(negotiate(1ULL << 29));
	w32(0x030, 0);
	assert_int_equal(r32(0x034), 64);
	w32(0x030, 2);
	assert_int_equal(r32(0x034), 0);
	queue_setup(16, true);
	assert_int_equal(r32(0x044), 1);
	assert_true(dev.vq[0].ready && dev.vq[0].event_idx && !dev.vq[0].indirect);
	assert_int_equal(dev.vq[0].desc, RING);
	/* Ready: set-up writes are ignored. */
	w32(0x038, 32);
	w32(0x080, 0);
	assert_int_equal(dev.vq[0].num, 16);
	assert_int_equal(dev.vq[0].desc, RING);
	/* Back to not ready. */
	w32(0x044, 0);
	assert_int_equal(r32(0x044), 0);
	assert_false(needs_reset());

	static const struct {
		u32 num;
		bool addresses;
	} bad[] = { { 0, true }, { 128, true }, { 12, true }, { 16, false }, { 0x10010, true } };
	for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&dev.vq, 0, sizeof(dev.vq));
		assert_true(negotiate(0));
		queue_setup(bad[i].num, bad[i].addresses);
		assert_int_equal(r32(0x044), 0);
		assert_true(needs_reset());
	}
	/* QueueReady before FEATURES_OK. */
	w32(0x070, 0);
	w32(0x070, 3);
	queue_setup(16, true);
	assert_int_equal(r32(0x044), 0);
	assert_true(needs_reset());
}

static void test_notify_and_interrupts(void **state)
{
	(void)state;
	assert_true(negotiate(0));
	queue_setup(16, true);
	w32(0x050, 0); /* before DRIVER_OK */
	assert_int_equal(fake.notifies, 0);
	assert_true(needs_reset());
	/* DEVICE_NEEDS_RESET was not DRIVER_OK yet: no interrupt. */
	assert_int_equal(fake.edges, 0);
	assert_true(stub_printk_contains("vm3: fake (virtio-mmio slot 0): a queue notification "
					 "before DRIVER_OK: device needs reset"));

	assert_true(negotiate(0));
	queue_setup(16, true);
	w32(0x070, 0xf);
	assert_int_equal(r32(0x070), 0xf);
	w32(0x050, 0);
	assert_int_equal(fake.notifies, 1);
	assert_int_equal(fake.last_queue, 0);
	/* Queue 1 exists but is not ready; queue 5 does not exist. */
	w32(0x050, 1);
	assert_int_equal(fake.notifies, 1);
	assert_true(needs_reset());
	assert_int_equal(r32(0x060), 2); /* a configuration change */
	assert_true(fake.level && fake.intid == 48);
	assert_int_equal(r32(0x0fc), 2); /* each NEEDS_RESET changed the configuration */
	w32(0x064, 2);
	assert_false(fake.level);
	/* Notifications are ignored until a reset. */
	w32(0x050, 0);
	assert_int_equal(fake.notifies, 1);
	/* Logged once per VM. */
	assert_false(stub_printk_contains("not ready"));

	/* The driver keeps NEEDS_RESET when it writes the status back; clearing others is not ok.
	 */
	w32(0x070, 0);
	assert_int_equal(fake.resets, 3);
	assert_int_equal(r32(0x070), 0);
	assert_true(negotiate(0));
	queue_setup(16, true);
	w32(0x070, 0xf);
	w32(0x070, 0x7);
	assert_true(needs_reset());
	assert_int_equal(r32(0x070) & 0xf, 0xf);
	w32(0x070, 0);
	w32(0x070, 0x7); /* DRIVER_OK without FEATURES_OK */
	assert_true(needs_reset());
}

static void test_isr(void **state)
{
	(void)state;
	spin_lock(&dev.lock);
	virtio_dev_interrupt(&dev, 1);
	virtio_dev_unlock(&dev);
	assert_true(fake.level);
	assert_int_equal(r32(0x060), 1);
	w32(0x064, 2);
	assert_true(fake.level);
	w32(0x064, 1);
	assert_false(fake.level);
	assert_int_equal(r32(0x060), 0);
	spin_lock(&dev.lock);
	virtio_dev_interrupt(&dev, 1);
	virtio_dev_unlock(&dev);
	w32(0x070, 0); /* reset lowers it */
	assert_false(fake.level);
	assert_int_equal(fake.edges, 2);
}

/* The vCPU an interrupt wakes is kicked once the device lock is dropped, not before. */
static void test_kick_after_unlock(void **state)
{
	(void)state;
	assert_true(negotiate(0));
	queue_setup(16, true);
	w32(0x070, 0xf);
	fake.irq_on_notify = true;
	w32(0x050, 0);
	assert_int_equal(fake.notifies, 1);
	assert_true(fake.level);
	assert_false(fake.kick_pending);
	assert_int_equal(fake.kicks, 1);
	/* Still high: no new edge, nobody to wake. */
	w32(0x050, 0);
	assert_int_equal(fake.kicks, 1);
	w32(0x064, 1);
	assert_false(fake.level);
	w32(0x050, 0);
	assert_int_equal(fake.kicks, 2);
	/* From a device's own context (a backend's answer) as from the transport. */
	w32(0x064, 1);
	spin_lock(&dev.lock);
	virtio_dev_interrupt(&dev, VIRTIO_MMIO_INT_VRING);
	virtio_dev_unlock(&dev);
	assert_int_equal(fake.kicks, 3);
}

static void test_widths_and_config(void **state)
{
	(void)state;
	/* Control registers: 32-bit only. */
	assert_int_equal(rd(SLOT(0), 2), 0);
	assert_int_equal(rd(SLOT(0), 8), 0);
	assert_int_equal(rd(SLOT(0) + 2, 4), 0);
	wr(SLOT(0) + 0x070, 1, 1);
	assert_int_equal(r32(0x070), 0);
	assert_true(stub_printk_contains("32-bit only"));
	/* Configuration space: 8, 16 and 32 bits, naturally aligned, inside its size. */
	assert_int_equal(rd(SLOT(0) + 0x100, 1), 0x10);
	assert_int_equal(rd(SLOT(0) + 0x105, 1), 0x15);
	assert_int_equal(rd(SLOT(0) + 0x102, 2), 0x1312);
	assert_int_equal(rd(SLOT(0) + 0x104, 4), 0x17161514);
	assert_int_equal(rd(SLOT(0) + 0x101, 2), 0);
	assert_int_equal(rd(SLOT(0) + 0x108, 8), 0);
	assert_int_equal(rd(SLOT(0) + 0x10a, 4), 0);
	assert_int_equal(rd(SLOT(0) + 0x10c, 4), 0);
	assert_int_equal(rd(SLOT(0) + 0x1fc, 4), 0);
	/* Writes to it are ignored; shared memory regions do not exist (length -1). */
	wr(SLOT(0) + 0x100, 4, 0);
	assert_int_equal(rd(SLOT(0) + 0x100, 1), 0x10);
	assert_int_equal(r32(0x0b0), 0xffffffff);
	assert_int_equal(r32(0x0b4), 0xffffffff);
}

static void test_stop_detach(void **state)
{
	(void)state;
	assert_true(negotiate(0));
	virtio_dev_stop(&dev);
	assert_int_equal(r32(0x070), 0);
	w32(0x070, 1);
	assert_int_equal(r32(0x070), 0);
	virtio_mmio_detach(&dev);
	assert_int_equal(r32(0x008), 0); /* an empty slot again */
	assert_int_equal(virtio_mmio_attach(&vm, &dev), 0);
	assert_int_equal(dev.slot, 0);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_window),	     T(test_features),
		T(test_queue_setup), T(test_notify_and_interrupts),
		T(test_isr),	     T(test_widths_and_config),
		T(test_stop_detach), T(test_kick_after_unlock),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
