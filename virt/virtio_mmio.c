// SPDX-License-Identifier: GPL-2.0-only
/*
 * virtio-mmio transports, version 2 (virtio 1.2, 4.2.2), in QEMU virt's window of 32 slots. The
 * registers are rows of a table; the driver's side of the protocol is checked as it goes:
 * FEATURES_OK is refused for features the device did not offer or without VIRTIO_F_VERSION_1
 * (3.1.1), a queue is made ready only with a valid size and rings inside the VM's RAM, and a
 * driver that breaks the protocol (a notification before DRIVER_OK, a cleared status bit, a
 * broken ring) puts the device into DEVICE_NEEDS_RESET with a configuration-change interrupt
 * (2.1.2): it does nothing more until the driver resets it. Control registers take 32-bit
 * accesses only (4.2.2.2); other widths read as zero and are ignored, as QEMU does. The
 * configuration space takes 8-, 16- and 32-bit accesses, naturally aligned.
 */
#include <libfdt.h>
#include <string.h>
#include <tern/compiler.h>
#include <tern/errno.h>
#include <tern/format.h>
#include <tern/mmio.h>
#include <tern/page_alloc.h>
#include <tern/printk.h>
#include <tern/sched.h>
#include <tern/vdev.h>
#include <tern/vm.h>
#include <virt/guest_map.h>
#include <virt/vgic_core.h>
#include <virt/virtio_mmio.h>

struct virtio_mmio_window {
	struct vm *vm;
	struct virtio_dev *slots[VIRTIO_MMIO_NR_SLOTS];
	/* A request failed / a device needed a reset because of the guest (logged once per VM). */
	bool logged_error;
	bool logged_reset;
	/* A control register was accessed with another width than 32 bits (logged once). */
	bool width_logged;
};

_Static_assert(sizeof(struct virtio_mmio_window) <= PAGE_SIZE, "the window fits one page");
_Static_assert(GUEST_VIRTIO_BASE == 0x0A000000UL, "the node names below spell the base");
_Static_assert(VIRTIO_MMIO_FIRST_INTID + VIRTIO_MMIO_NR_SLOTS <= 96, "SPIs of the vGIC");

/* ---- guest memory for the rings: the VM's RAM, with the cache maintenance it needs ---- */

static int vio_mem_read(void *ctx, u64 addr, void *buf, u64 len)
{
	return vm_io_from_guest(ctx, buf, addr, len);
}

static int vio_mem_write(void *ctx, u64 addr, const void *buf, u64 len)
{
	return vm_io_to_guest(ctx, addr, buf, len);
}

static bool vio_mem_in_ram(void *ctx, u64 addr, u64 len)
{
	return vm_ipa_in_ram(ctx, addr, len);
}

/* ---- interrupt and error paths ---- */

static struct virtio_mmio_window *vio_window(struct vm *vm)
{
	struct vdev *dev = vdev_find(vm, "virtio-mmio");

	return dev ? dev->priv : NULL;
}

static void vio_update_irq(struct virtio_dev *vd)
{
	bool level = vd->isr != 0;

	if (level == vd->irq_level)
		return;
	vd->irq_level = level;
	vm_irq_set_level_deferred(vd->vm, vd->intid, level);
}

void virtio_dev_unlock(struct virtio_dev *vd)
{
	spin_unlock(&vd->lock);
	sched_kick_flush();
}

void virtio_dev_interrupt(struct virtio_dev *vd, u32 bits)
{
	vd->isr |= bits;
	vd->interrupts++;
	vio_update_irq(vd);
}

static void vio_log_once(struct virtio_dev *vd, bool reset, const char *what, const char *why)
{
	struct virtio_mmio_window *w = vio_window(vd->vm);
	bool *logged = w ? (reset ? &w->logged_reset : &w->logged_error) : NULL;

	if (logged && !*logged) {
		*logged = true;
		pr_info("vm%u: %s (virtio-mmio slot %u): %s: %s (logged once per VM)\n", vd->vm->id,
			vd->ops->name, vd->slot, why, what);
	}
}

__cold void virtio_dev_log_error(struct virtio_dev *vd, const char *what, const char *why)
{
	vio_log_once(vd, false, what, why);
}

__cold void virtio_dev_needs_reset(struct virtio_dev *vd, const char *why)
{
	if (vd->status & VIRTIO_STATUS_DEVICE_NEEDS_RESET)
		return;
	vd->needs_reset++;
	vio_log_once(vd, true, "device needs reset", why);
	vd->status |= VIRTIO_STATUS_DEVICE_NEEDS_RESET;
	/* A configuration change tells a live driver to look at the status (2.1.2). */
	vd->config_generation++;
	if (vd->status & VIRTIO_STATUS_DRIVER_OK)
		virtio_dev_interrupt(vd, VIRTIO_MMIO_INT_CONFIG);
}

/* Status 0: back to the state after creation. */
static void vio_reset_locked(struct virtio_dev *vd)
{
	vd->ops->reset(vd);
	for (unsigned int q = 0; q < VIRTIO_DEV_MAX_QUEUES; q++)
		virtq_reset(&vd->vq[q]);
	vd->status = 0;
	vd->dev_features_sel = vd->drv_features_sel = vd->queue_sel = 0;
	vd->driver_features = 0;
	vd->isr = 0;
	vio_update_irq(vd);
}

__cold void virtio_dev_reset(struct virtio_dev *vd)
{
	spin_lock(&vd->lock);
	vio_reset_locked(vd);
	virtio_dev_unlock(vd);
}

__cold void virtio_dev_stop(struct virtio_dev *vd)
{
	spin_lock(&vd->lock);
	vio_reset_locked(vd);
	vd->stopped = true;
	virtio_dev_unlock(vd);
}

/* ---- registers ---- */

static struct virtq *vio_cur_vq(struct virtio_dev *vd)
{
	return vd->queue_sel < vd->ops->nr_queues ? &vd->vq[vd->queue_sel] : NULL;
}

/* Queue set-up registers are only written before the queue is ready (4.2.3.2). */
static struct virtq *vio_setup_vq(struct virtio_dev *vd)
{
	struct virtq *vq = vio_cur_vq(vd);

	return vq && !vq->ready ? vq : NULL;
}

static u32 rd_magic(struct virtio_dev *vd)
{
	(void)vd;
	return VIRTIO_MMIO_MAGIC;
}

static u32 rd_version(struct virtio_dev *vd)
{
	(void)vd;
	return 2;
}

static u32 rd_device_id(struct virtio_dev *vd)
{
	return vd->ops->device_id;
}

static u32 rd_vendor(struct virtio_dev *vd)
{
	(void)vd;
	return VIRTIO_MMIO_VENDOR;
}

static u32 rd_dev_features(struct virtio_dev *vd)
{
	return vd->dev_features_sel < 2 ? (u32)(vd->features >> (32 * vd->dev_features_sel)) : 0;
}

static void wr_dev_features_sel(struct virtio_dev *vd, u32 v)
{
	vd->dev_features_sel = v;
}

static void wr_drv_features(struct virtio_dev *vd, u32 v)
{
	unsigned int shift = 32 * vd->drv_features_sel;

	/* Features are chosen between DRIVER and FEATURES_OK (3.1.1); other writes change nothing.
	 */
	if (vd->drv_features_sel >= 2 || (vd->status & VIRTIO_STATUS_FEATURES_OK))
		return;
	vd->driver_features = (vd->driver_features & ~(0xffffffffULL << shift)) | ((u64)v << shift);
}

static void wr_drv_features_sel(struct virtio_dev *vd, u32 v)
{
	vd->drv_features_sel = v;
}

static void wr_queue_sel(struct virtio_dev *vd, u32 v)
{
	vd->queue_sel = v;
}

static u32 rd_queue_num_max(struct virtio_dev *vd)
{
	return vio_cur_vq(vd) ? vd->ops->queue_num_max : 0;
}

static void wr_queue_num(struct virtio_dev *vd, u32 v)
{
	struct virtq *vq = vio_setup_vq(vd);

	/* Checked when the queue is made ready; a value that does not fit 16 bits never is. */
	if (vq)
		vq->num = v > 0xffff ? 0 : (u16)v;
}

static u32 rd_queue_ready(struct virtio_dev *vd)
{
	struct virtq *vq = vio_cur_vq(vd);

	return vq && vq->ready;
}

static void wr_queue_ready(struct virtio_dev *vd, u32 v)
{
	struct virtq *vq = vio_cur_vq(vd);
	const char *why;

	if (!vq)
		return;
	if (!(v & 1)) {
		vq->ready = false;
		return;
	}
	if (vq->ready)
		return;
	if (!(vd->status & VIRTIO_STATUS_FEATURES_OK)) {
		virtio_dev_needs_reset(vd, "QueueReady before FEATURES_OK");
		return;
	}
	why = virtq_check(vq, &vd->mem, vd->ops->queue_num_max);
	if (why) {
		virtio_dev_needs_reset(vd, why);
		return;
	}
	vq->indirect = vd->driver_features & BIT(VIRTIO_F_INDIRECT_DESC);
	vq->event_idx = vd->driver_features & BIT(VIRTIO_F_EVENT_IDX);
	/* A new queue starts at index 0 on both sides: that is the last index signalled. */
	vq->last_avail = vq->used_idx = vq->signalled_used = 0;
	vq->signalled_valid = true;
	vq->ready = true;
}

static void wr_queue_notify(struct virtio_dev *vd, u32 v)
{
	vd->notifies++;
	if (vd->status & VIRTIO_STATUS_DEVICE_NEEDS_RESET)
		return;
	if (!(vd->status & VIRTIO_STATUS_DRIVER_OK)) {
		virtio_dev_needs_reset(vd, "a queue notification before DRIVER_OK");
		return;
	}
	if (v >= vd->ops->nr_queues || !vd->vq[v].ready) {
		virtio_dev_needs_reset(vd, "a notification for a queue that is not ready");
		return;
	}
	vd->ops->notify(vd, v);
}

static u32 rd_isr(struct virtio_dev *vd)
{
	return vd->isr;
}

static void wr_isr_ack(struct virtio_dev *vd, u32 v)
{
	vd->isr &= ~v;
	vio_update_irq(vd);
}

static u32 rd_status(struct virtio_dev *vd)
{
	return vd->status;
}

/* 3.1.1: everything the driver accepted was offered, and it speaks virtio 1.x. */
static bool vio_features_ok(const struct virtio_dev *vd)
{
	return !(vd->driver_features & ~vd->features) &&
	       (vd->driver_features & BIT(VIRTIO_F_VERSION_1));
}

static void wr_status(struct virtio_dev *vd, u32 v)
{
	u32 old = vd->status & ~VIRTIO_STATUS_DEVICE_NEEDS_RESET;
	u32 set;

	if (!v) {
		vio_reset_locked(vd);
		return;
	}
	v &= 0xff & ~VIRTIO_STATUS_DEVICE_NEEDS_RESET; /* that bit is the device's */
	if (old & ~v) {
		virtio_dev_needs_reset(vd, "the driver cleared a status bit");
		return;
	}
	set = v & ~old;
	if ((set & VIRTIO_STATUS_FEATURES_OK) &&
	    (!(v & VIRTIO_STATUS_DRIVER) || !vio_features_ok(vd)))
		v &= ~VIRTIO_STATUS_FEATURES_OK; /* refused: the driver sees it unset */
	if ((set & VIRTIO_STATUS_DRIVER_OK) && !(v & VIRTIO_STATUS_FEATURES_OK)) {
		virtio_dev_needs_reset(vd, "DRIVER_OK without FEATURES_OK");
		return;
	}
	vd->status = v | (vd->status & VIRTIO_STATUS_DEVICE_NEEDS_RESET);
}

static void wr_queue_addr(struct virtio_dev *vd, u64 *field, bool high, u32 v)
{
	if (high)
		*field = (*field & 0xffffffffULL) | (u64)v << 32;
	else
		*field = (*field & ~0xffffffffULL) | v;
}

#define QUEUE_ADDR_WR(name, field, high)                                                           \
	static void name(struct virtio_dev *vd, u32 v)                                             \
	{                                                                                          \
		struct virtq *vq = vio_setup_vq(vd);                                               \
                                                                                                   \
		if (vq)                                                                            \
			wr_queue_addr(vd, &vq->field, high, v);                                    \
	}

QUEUE_ADDR_WR(wr_desc_lo, desc, false)
QUEUE_ADDR_WR(wr_desc_hi, desc, true)
QUEUE_ADDR_WR(wr_avail_lo, avail, false)
QUEUE_ADDR_WR(wr_avail_hi, avail, true)
QUEUE_ADDR_WR(wr_used_lo, used, false)
QUEUE_ADDR_WR(wr_used_hi, used, true)

/* No shared memory regions: every one reads as length -1 (4.2.2). */
static u32 rd_shm_none(struct virtio_dev *vd)
{
	(void)vd;
	return 0xffffffffU;
}

static void wr_ignore(struct virtio_dev *vd, u32 v)
{
	(void)vd;
	(void)v;
}

static u32 rd_config_generation(struct virtio_dev *vd)
{
	return vd->config_generation;
}

struct vio_reg {
	u16 offset;
	u32 (*read)(struct virtio_dev *vd);	     /* NULL: write-only, reads as 0 */
	void (*write)(struct virtio_dev *vd, u32 v); /* NULL: read-only, writes ignored */
};

static const struct vio_reg vio_regs[] = {
	{ VIRTIO_MMIO_MAGIC_VALUE, rd_magic, NULL },
	{ VIRTIO_MMIO_VERSION, rd_version, NULL },
	{ VIRTIO_MMIO_DEVICE_ID, rd_device_id, NULL },
	{ VIRTIO_MMIO_VENDOR_ID, rd_vendor, NULL },
	{ VIRTIO_MMIO_DEVICE_FEATURES, rd_dev_features, NULL },
	{ VIRTIO_MMIO_DEVICE_FEAT_SEL, NULL, wr_dev_features_sel },
	{ VIRTIO_MMIO_DRIVER_FEATURES, NULL, wr_drv_features },
	{ VIRTIO_MMIO_DRIVER_FEAT_SEL, NULL, wr_drv_features_sel },
	{ VIRTIO_MMIO_QUEUE_SEL, NULL, wr_queue_sel },
	{ VIRTIO_MMIO_QUEUE_NUM_MAX, rd_queue_num_max, NULL },
	{ VIRTIO_MMIO_QUEUE_NUM, NULL, wr_queue_num },
	{ VIRTIO_MMIO_QUEUE_READY, rd_queue_ready, wr_queue_ready },
	{ VIRTIO_MMIO_QUEUE_NOTIFY, NULL, wr_queue_notify },
	{ VIRTIO_MMIO_INTERRUPT_STATUS, rd_isr, NULL },
	{ VIRTIO_MMIO_INTERRUPT_ACK, NULL, wr_isr_ack },
	{ VIRTIO_MMIO_STATUS, rd_status, wr_status },
	{ VIRTIO_MMIO_QUEUE_DESC_LOW, NULL, wr_desc_lo },
	{ VIRTIO_MMIO_QUEUE_DESC_HIGH, NULL, wr_desc_hi },
	{ VIRTIO_MMIO_QUEUE_DRIVER_LOW, NULL, wr_avail_lo },
	{ VIRTIO_MMIO_QUEUE_DRIVER_HIGH, NULL, wr_avail_hi },
	{ VIRTIO_MMIO_QUEUE_DEVICE_LOW, NULL, wr_used_lo },
	{ VIRTIO_MMIO_QUEUE_DEVICE_HIGH, NULL, wr_used_hi },
	{ VIRTIO_MMIO_SHM_SEL, NULL, wr_ignore },
	{ VIRTIO_MMIO_SHM_LEN_LOW, rd_shm_none, NULL },
	{ VIRTIO_MMIO_SHM_LEN_HIGH, rd_shm_none, NULL },
	{ VIRTIO_MMIO_SHM_BASE_LOW, rd_shm_none, NULL },
	{ VIRTIO_MMIO_SHM_BASE_HIGH, rd_shm_none, NULL },
	{ VIRTIO_MMIO_CONFIG_GENERATION, rd_config_generation, NULL },
};

static const struct vio_reg *vio_find_reg(u64 offset)
{
	for (size_t i = 0; i < ARRAY_SIZE(vio_regs); i++)
		if (vio_regs[i].offset == offset)
			return &vio_regs[i];
	return NULL;
}

static bool vio_config_access_ok(const struct virtio_dev *vd, u64 off, unsigned int size)
{
	return (size == 1 || size == 2 || size == 4) && IS_ALIGNED(off, size);
}

static u64 vio_config_read(struct virtio_dev *vd, u64 off, unsigned int size)
{
	u8 buf[VIRTIO_MMIO_SLOT_SIZE - VIRTIO_MMIO_CONFIG] = { 0 };
	u64 v = 0;

	if (!vio_config_access_ok(vd, off, size) || off + size > vd->ops->config_size)
		return 0;
	vd->ops->config(vd, buf);
	for (unsigned int i = 0; i < size; i++)
		v |= (u64)buf[off + i] << (8 * i);
	return v;
}

static void vio_width_log(struct virtio_mmio_window *w, unsigned int slot, u64 off,
			  unsigned int size)
{
	if (w->width_logged)
		return;
	w->width_logged = true;
	pr_info("vm%u: virtio-mmio slot %u: %u-byte access to register 0x%03llx ignored (32-bit "
		"only; logged once per VM)\n",
		w->vm->id, slot, size, (unsigned long long)off);
}

/* An empty slot: QEMU's transport without a device. */
static u64 vio_empty_read(u64 off)
{
	switch (off) {
	case VIRTIO_MMIO_MAGIC_VALUE:
		return VIRTIO_MMIO_MAGIC;
	case VIRTIO_MMIO_VERSION:
		return 2;
	case VIRTIO_MMIO_VENDOR_ID:
		return VIRTIO_MMIO_VENDOR;
	default:
		return 0;
	}
}

static int vio_mmio_read(struct vcpu *vcpu, void *priv, u64 offset, unsigned int size, u64 *val)
{
	struct virtio_mmio_window *w = priv;
	unsigned int slot = (unsigned int)(offset / VIRTIO_MMIO_SLOT_SIZE);
	u64 off = offset % VIRTIO_MMIO_SLOT_SIZE;
	struct virtio_dev *vd = w->slots[slot];
	const struct vio_reg *r;

	(void)vcpu;
	if (off >= VIRTIO_MMIO_CONFIG) {
		if (vd) {
			spin_lock(&vd->lock);
			*val = vio_config_read(vd, off - VIRTIO_MMIO_CONFIG, size);
			virtio_dev_unlock(vd);
		}
		return 0;
	}
	if (size != 4 || !IS_ALIGNED(off, 4)) {
		vio_width_log(w, slot, off, size);
		return 0;
	}
	if (!vd) {
		*val = vio_empty_read(off);
		return 0;
	}
	r = vio_find_reg(off);
	if (r && r->read) {
		spin_lock(&vd->lock);
		*val = r->read(vd);
		virtio_dev_unlock(vd);
	}
	return 0;
}

static int vio_mmio_write(struct vcpu *vcpu, void *priv, u64 offset, unsigned int size, u64 val)
{
	struct virtio_mmio_window *w = priv;
	unsigned int slot = (unsigned int)(offset / VIRTIO_MMIO_SLOT_SIZE);
	u64 off = offset % VIRTIO_MMIO_SLOT_SIZE;
	struct virtio_dev *vd = w->slots[slot];
	const struct vio_reg *r;

	(void)vcpu;
	/* The configuration space of the devices here is read-only. */
	if (!vd || off >= VIRTIO_MMIO_CONFIG)
		return 0;
	if (size != 4 || !IS_ALIGNED(off, 4)) {
		vio_width_log(w, slot, off, size);
		return 0;
	}
	r = vio_find_reg(off);
	if (r && r->write) {
		spin_lock(&vd->lock);
		if (!vd->stopped)
			r->write(vd, (u32)val);
		virtio_dev_unlock(vd);
	}
	return 0;
}

static const struct mmio_ops vio_mmio_ops = {
	.read = vio_mmio_read,
	.write = vio_mmio_write,
};

/* ---- attaching devices ---- */

__cold int virtio_mmio_attach(struct vm *vm, struct virtio_dev *vd)
{
	struct virtio_mmio_window *w = vio_window(vm);
	unsigned int slot;

	if (!w)
		return -TERN_ENODEV;
	for (slot = 0; slot < VIRTIO_MMIO_NR_SLOTS && w->slots[slot]; slot++)
		;
	if (slot == VIRTIO_MMIO_NR_SLOTS)
		return -TERN_ENOSPC;
	vd->vm = vm;
	vd->slot = slot;
	vd->intid = VIRTIO_MMIO_FIRST_INTID + slot;
	vd->features |= VIRTIO_TRANSPORT_FEATURES;
	vd->mem = (struct virtq_mem){
		.ctx = vm,
		.read = vio_mem_read,
		.write = vio_mem_write,
		.in_ram = vio_mem_in_ram,
	};
	spin_lock_init(&vd->lock);
	vgic_claim_spi(vm, vd->intid);
	w->slots[slot] = vd;
	return 0;
}

void virtio_mmio_detach(struct virtio_dev *vd)
{
	struct virtio_mmio_window *w = vio_window(vd->vm);

	vgic_release_spi(vd->vm, vd->intid);
	if (w && w->slots[vd->slot] == vd)
		w->slots[vd->slot] = NULL;
}

/* ---- the window as a device of the VM ---- */

static __cold int vio_window_create(struct vdev *dev, const struct platform *p)
{
	struct virtio_mmio_window *w = page_zalloc(0);
	int rc;

	(void)p;
	if (!w)
		return -TERN_ENOMEM;
	w->vm = dev->vm;
	rc = mmio_register(&dev->vm->mmio, GUEST_VIRTIO_BASE, VIRTIO_MMIO_WINDOW_SIZE,
			   &vio_mmio_ops, w, "virtio-mmio");
	if (rc) {
		page_free((paddr_t)w, 0);
		return rc;
	}
	dev->priv = w;
	return 0;
}

static __cold void vio_window_destroy(struct vdev *dev)
{
	mmio_unregister(&dev->vm->mmio, GUEST_VIRTIO_BASE);
	page_free((paddr_t)dev->priv, 0);
}

/* The devices reset themselves (their own reset op); the window has no state of its own. */
static void vio_window_reset(struct vdev *dev)
{
	(void)dev;
}

/* One node per occupied slot, in QEMU's form; empty slots have none. */
static __cold int vio_window_fdt_node(void *fdt, const struct vdev *dev)
{
	const struct virtio_mmio_window *w = dev->priv;
	int res = 0;

	/* Highest slot first, as QEMU writes them: Linux then numbers the disks from slot 0. */
	for (int slot = VIRTIO_MMIO_NR_SLOTS - 1; slot >= 0 && !res; slot--) {
		u64 base = GUEST_VIRTIO_BASE + (u64)slot * VIRTIO_MMIO_SLOT_SIZE;
		const fdt32_t reg[4] = { cpu_to_fdt32((u32)(base >> 32)), cpu_to_fdt32((u32)base),
					 0, cpu_to_fdt32(VIRTIO_MMIO_SLOT_SIZE) };
		/*
		 * GIC binding: SPI number from INTID 32, edge-rising as on QEMU virt. The line
		 * follows InterruptStatus and the driver acknowledges it before walking the used
		 * ring, so a buffer used later makes a new edge. A level-sensitive SPI would cost
		 * each request a maintenance exit: the vGIC resamples a level line at its EOI.
		 */
		const fdt32_t irq[3] = {
			0, cpu_to_fdt32(w->slots[slot] ? w->slots[slot]->intid - 32 : 0),
			cpu_to_fdt32(1)
		};
		char name[32];

		if (!w->slots[slot])
			continue;
		fmt_snprintf(name, sizeof(name), "virtio_mmio@%llx", (unsigned long long)base);
		res = fdt_begin_node(fdt, name);
		if (!res)
			res = fdt_property(fdt, "dma-coherent", NULL, 0);
		if (!res)
			res = fdt_property(fdt, "interrupts", irq, sizeof(irq));
		if (!res)
			res = fdt_property(fdt, "reg", reg, sizeof(reg));
		if (!res)
			res = fdt_property_string(fdt, "compatible", "virtio,mmio");
		if (!res)
			res = fdt_end_node(fdt);
	}
	return res;
}

VDEV_TYPE(virtio_mmio) = {
	.name = "virtio-mmio",
	.phase = VDEV_PHASE_BUS,
	.vm_mask = VDEV_VM_MASK(VIRTIO_MMIO),
	.create = vio_window_create,
	.destroy = vio_window_destroy,
	.reset = vio_window_reset,
	.fdt_node = vio_window_fdt_node,
};
