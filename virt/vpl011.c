// SPDX-License-Identifier: GPL-2.0-only
/*
 * Emulated Arm PL011 UART (Arm DDI 0183), one per VM at GUEST_PL011_BASE, SPI GUEST_PL011_INTID.
 *
 * Registers are rows of a table (offset, name, read and write handlers, reset value, writable
 * bits). Output is instant: the transmit FIFO is always empty, characters are collected into a
 * line and handed to vm_console_write(). Input comes from the VM's console_rx_ring (filled by the
 * host UART's receive interrupt) into a receive FIFO whenever the guest looks at DR or FR and on
 * vpl011_poll(). Like QEMU's model, the enable bits of CR are stored but not enforced, so a
 * guest that never programs the UART (an early console) still works.
 */
#include <libfdt.h>
#include <tern/compiler.h>
#include <tern/console_rx.h>
#include <tern/errno.h>
#include <tern/mmio.h>
#include <tern/page_alloc.h>
#include <tern/printk.h>
#include <tern/sched.h>
#include <tern/spinlock.h>
#include <tern/guest_fdt.h>
#include <tern/vdev.h>
#include <tern/vm.h>
#include <virt/guest_map.h>
#include <virt/vgic_core.h>
#include <virt/vpl011.h>

/* Registers with storage: offsets 0x000..UARTDMACR, indexed by offset / 4. */
#define VPL011_NR_STORED ((UARTDMACR >> 2) + 1)

struct vpl011 {
	struct vm *vm;
	/*
	 * Serializes the vCPUs of the VM; taken before the console's and the vGIC's locks. Dropped
	 * by vpl011_unlock(), which then kicks the vCPU a raised interrupt wakes.
	 */
	struct spinlock lock;
	u32 regs[VPL011_NR_STORED];
	u8 rx_fifo[VPL011_RX_FIFO_SIZE];
	unsigned int rx_head;
	unsigned int rx_count;
	char tx_line[VPL011_TX_LINE_SIZE];
	unsigned int tx_len;
	/* Level last reported through vm_irq_set_level_deferred(). */
	bool irq_level;
	/* An access to an unimplemented offset was logged (once per VM). */
	bool unknown_logged;
	struct console_rx_ring rx;
};

_Static_assert(sizeof(struct vpl011) <= PAGE_SIZE, "struct vpl011 must fit its page");
_Static_assert(GUEST_PL011_BASE == 0x09000000UL, "the node name below spells the base");
_Static_assert(GUEST_PL011_INTID >= 32, "the PL011 interrupt is an SPI");

/* What a read_unlocked handler returns for "take the lock": no register value (32 bits). */
#define VPL011_NEEDS_LOCK (~0ULL)

struct vpl011_reg {
	u16 offset;
	const char *name;
	/* NULL: reads as zero (write-only register). */
	u32 (*read)(struct vpl011 *u, const struct vpl011_reg *r);
	/* @mask covers the bytes the access wrote; NULL: writes ignored (read-only register). */
	void (*write)(struct vpl011 *u, const struct vpl011_reg *r, u32 val, u32 mask);
	/*
	 * NULL, or a read without the device lock: the value, or VPL011_NEEDS_LOCK when this one
	 * needs it after all (then @read runs under it).
	 */
	u64 (*read_unlocked)(struct vpl011 *u, const struct vpl011_reg *r);
	/* Reset value (the constant value of the identification registers). */
	u32 reset;
	/* Bits reg_write() stores. */
	u32 wmask;
};

static u32 *reg_ptr(struct vpl011 *u, unsigned int offset)
{
	return &u->regs[offset >> 2];
}

static void rx_fifo_clear(struct vpl011 *u)
{
	u->rx_head = 0;
	u->rx_count = 0;
}

/* Move bytes from the ring into the FIFO while there is room; each arrival raises RX and RT. */
static void rx_pull_ring(struct vpl011 *u)
{
	bool got = false;
	u8 c;

	while (u->rx_count < VPL011_RX_FIFO_SIZE && console_rx_pop(&u->rx, &c)) {
		u->rx_fifo[(u->rx_head + u->rx_count) % VPL011_RX_FIFO_SIZE] = c;
		u->rx_count++;
		got = true;
	}
	if (got)
		*reg_ptr(u, UARTRIS) |= UARTINT_RX | UARTINT_RT;
}

/* Inline: nearly every look at FR and DR finds the ring empty (Linux polls FR per character). */
static inline void rx_pull(struct vpl011 *u)
{
	if (u->rx_count < VPL011_RX_FIFO_SIZE && !console_rx_empty(&u->rx))
		rx_pull_ring(u);
}

static void tx_flush(struct vpl011 *u)
{
	if (!u->tx_len)
		return;
	vm_console_write(u->vm, u->tx_line, u->tx_len);
	u->tx_len = 0;
}

static void tx_put(struct vpl011 *u, char c)
{
	u->tx_line[u->tx_len++] = c;
	if (c == '\n' || u->tx_len == VPL011_TX_LINE_SIZE)
		tx_flush(u);
	else if (u->tx_len == 1)
		WRITE_ONCE(u->vm->output_held, true);
}

/*
 * Report the combined interrupt line to the vGIC when, and only when, its level changes. u->lock
 * held: the vCPU to wake is only noted, vpl011_unlock() kicks it. Returns whether the level
 * changed (a kick may have been noted).
 */
static bool update_irq(struct vpl011 *u)
{
	bool level = (*reg_ptr(u, UARTRIS) & *reg_ptr(u, UARTIMSC)) != 0;

	if (level == u->irq_level)
		return false;
	u->irq_level = level;
	vm_irq_set_level_deferred(u->vm, GUEST_PL011_INTID, level);
	return true;
}

/*
 * Drop the lock, then kick: the kick is an SGI, slow under QEMU (its global lock, and the writer's
 * thread preempted by the one it wakes), and the woken vCPU's first act is to read MIS or DR
 * under u->lock, which it would otherwise find still held (as virtio_dev_unlock() does).
 */
static void vpl011_unlock(struct vpl011 *u)
{
	spin_unlock(&u->lock);
	sched_kick_flush();
}

/*
 * vpl011_unlock() after a guest access: only update_irq() notes kicks under u->lock, so when it
 * left the line alone there is nothing of ours to flush (the common DR write and register read).
 */
static void vpl011_unlock_access(struct vpl011 *u, bool line_changed)
{
	spin_unlock(&u->lock);
	if (line_changed)
		sched_kick_flush();
}

static u32 reg_read(struct vpl011 *u, const struct vpl011_reg *r)
{
	return *reg_ptr(u, r->offset);
}

static void reg_write(struct vpl011 *u, const struct vpl011_reg *r, u32 val, u32 mask)
{
	u32 *p = reg_ptr(u, r->offset);

	mask &= r->wmask;
	*p = (*p & ~mask) | (val & mask);
}

static u32 const_read(struct vpl011 *u, const struct vpl011_reg *r)
{
	(void)u;
	return r->reset;
}

static u32 dr_read(struct vpl011 *u, const struct vpl011_reg *r)
{
	u32 c = 0;

	(void)r;
	rx_pull(u);
	if (u->rx_count) {
		c = u->rx_fifo[u->rx_head];
		u->rx_head = (u->rx_head + 1) % VPL011_RX_FIFO_SIZE;
		u->rx_count--;
		rx_pull(u);
	}
	if (!u->rx_count)
		*reg_ptr(u, UARTRIS) &= ~(UARTINT_RX | UARTINT_RT);
	return c; /* no framing, parity, break or overrun errors: bits 11:8 stay clear */
}

static void dr_write(struct vpl011 *u, const struct vpl011_reg *r, u32 val, u32 mask)
{
	(void)r;
	if (!(mask & 0xff))
		return;
	tx_put(u, (char)(val & 0xff));
	/* The character left at once: the transmit FIFO is below its level again (QEMU does so). */
	*reg_ptr(u, UARTRIS) |= UARTINT_TX;
}

static u32 fr_read(struct vpl011 *u, const struct vpl011_reg *r)
{
	u32 fr = UARTFR_TXFE;

	(void)r;
	rx_pull(u);
	if (!u->rx_count)
		fr |= UARTFR_RXFE;
	if (u->rx_count == VPL011_RX_FIFO_SIZE)
		fr |= UARTFR_RXFF;
	return fr;
}

/*
 * FR with nothing received, without the lock, the case of every poll of FR for transmit room
 * (Linux's console write does one per character). FR depends only on the receive FIFO (the
 * transmit FIFO is always empty): with the FIFO and the ring both empty there is nothing to pull
 * and FR is TXFE | RXFE. A character arriving meanwhile (ring push, or another vCPU pulling it
 * into the FIFO) is a race the guest cannot tell from the character arriving just after this
 * read: the FIFO was empty when rx_count was read, and that is the instant the read reports.
 * Anything else takes the lock (fr_read() pulls from the ring and may raise RX).
 */
static inline u64 fr_peek(struct vpl011 *u)
{
	if (READ_ONCE(u->rx_count) || !console_rx_empty(&u->rx))
		return VPL011_NEEDS_LOCK;
	return UARTFR_TXFE | UARTFR_RXFE;
}

static u64 fr_read_unlocked(struct vpl011 *u, const struct vpl011_reg *r)
{
	(void)r;
	return fr_peek(u);
}

static u64 const_read_unlocked(struct vpl011 *u, const struct vpl011_reg *r)
{
	(void)u;
	return r->reset;
}

static void cr_write(struct vpl011 *u, const struct vpl011_reg *r, u32 val, u32 mask)
{
	u32 cr;

	reg_write(u, r, val, mask);
	cr = *reg_ptr(u, UARTCR);
	/* An enabled transmitter with an (always) empty FIFO is below the transmit level. */
	if ((cr & (UARTCR_UARTEN | UARTCR_TXE)) == (UARTCR_UARTEN | UARTCR_TXE))
		*reg_ptr(u, UARTRIS) |= UARTINT_TX;
}

static u32 mis_read(struct vpl011 *u, const struct vpl011_reg *r)
{
	(void)r;
	return *reg_ptr(u, UARTRIS) & *reg_ptr(u, UARTIMSC);
}

static void icr_write(struct vpl011 *u, const struct vpl011_reg *r, u32 val, u32 mask)
{
	(void)r;
	*reg_ptr(u, UARTRIS) &= ~(val & mask & UARTINT_ALL);
}

#define REG_AT(idx, off, nm, rd, rdu, wr, rst, wm)                                                 \
	[(idx)] = { .offset = (off),                                                               \
		    .name = (nm),                                                                  \
		    .read = (rd),                                                                  \
		    .read_unlocked = (rdu),                                                        \
		    .write = (wr),                                                                 \
		    .reset = (rst),                                                                \
		    .wmask = (wm) }
#define REG_ROW(off, nm, rd, rdu, wr, rst, wm) REG_AT((off) >> 2, off, nm, rd, rdu, wr, rst, wm)
#define REG(off, rd, wr, rst, wm)	       REG_ROW(off, #off, rd, NULL, wr, rst, wm)
#define ID_REG(off, nm, val)                                                                       \
	REG_AT(((off)-UARTPERIPHID0) >> 2, off, nm, const_read, const_read_unlocked, NULL, val, 0)

/*
 * Indexed by offset / 4 (a row without a name: no register there). FR's reset value is what it
 * reads with an empty receive FIFO.
 */
static const struct vpl011_reg vpl011_regs[VPL011_NR_STORED] = {
	REG(UARTDR, dr_read, dr_write, 0, 0),
	REG(UARTRSR, reg_read, NULL, 0, 0), /* no receive errors; a write (ECR) clears none */
	REG_ROW(UARTFR, "UARTFR", fr_read, fr_read_unlocked, NULL, UARTFR_TXFE | UARTFR_RXFE, 0),
	REG(UARTILPR, reg_read, reg_write, 0, 0xff),
	REG(UARTIBRD, reg_read, reg_write, 0, 0xffff),
	REG(UARTFBRD, reg_read, reg_write, 0, 0x3f),
	REG(UARTLCR_H, reg_read, reg_write, 0, 0xff),
	REG(UARTCR, reg_read, cr_write, UARTCR_RXE | UARTCR_TXE, 0xff87),
	REG(UARTIFLS, reg_read, reg_write, 0x12, 0x3f),
	REG(UARTIMSC, reg_read, reg_write, 0, UARTINT_ALL),
	REG(UARTRIS, reg_read, NULL, 0, 0),
	REG(UARTMIS, mis_read, NULL, 0, 0),
	REG(UARTICR, NULL, icr_write, 0, 0),
	REG(UARTDMACR, reg_read, reg_write, 0, 0x7),
};

/*
 * The identification registers, from UARTPERIPHID0 to the end of the region, indexed by
 * (offset - UARTPERIPHID0) / 4. Part 0x011, designer 0x41 (Arm), revision 1, PrimeCell: what
 * Linux's AMBA bus matches. Constant: read without the lock.
 */
#define VPL011_NR_ID ((VPL011_MMIO_SIZE - UARTPERIPHID0) >> 2)
static const struct vpl011_reg vpl011_id_regs[VPL011_NR_ID] = {
	ID_REG(UARTPERIPHID0, "UARTPeriphID0", 0x11),
	ID_REG(UARTPERIPHID0 + 0x4, "UARTPeriphID1", 0x10),
	ID_REG(UARTPERIPHID0 + 0x8, "UARTPeriphID2", 0x14),
	ID_REG(UARTPERIPHID0 + 0xC, "UARTPeriphID3", 0x00),
	ID_REG(UARTPCELLID0, "UARTPCellID0", 0x0D),
	ID_REG(UARTPCELLID0 + 0x4, "UARTPCellID1", 0xF0),
	ID_REG(UARTPCELLID0 + 0x8, "UARTPCellID2", 0x05),
	ID_REG(UARTPCELLID0 + 0xC, "UARTPCellID3", 0xB1),
};

/* The row at word-aligned @offset (below VPL011_MMIO_SIZE), by index; NULL where none is. */
static inline const struct vpl011_reg *vpl011_find_reg(u64 offset)
{
	const struct vpl011_reg *r;

	if (offset < VPL011_NR_STORED * 4)
		r = &vpl011_regs[offset >> 2];
	else if (offset >= UARTPERIPHID0)
		r = &vpl011_id_regs[(offset - UARTPERIPHID0) >> 2];
	else
		return NULL;
	return r->name ? r : NULL;
}

/*
 * 8-, 16- and 32-bit accesses, naturally aligned; anything else aborts. @size is 1, 2, 4 or 8
 * (struct mmio_ops: the bus refuses any other), so a size up to 4 is one of the three.
 */
static inline bool vpl011_access_ok(u64 offset, unsigned int size)
{
	return size <= 4 && !(offset & (size - 1)) && offset < VPL011_MMIO_SIZE;
}

/* The bytes of a register an access of @size (1, 2 or 4) covers. */
static inline u32 size_mask(unsigned int size)
{
	return ~0U >> (32 - 8 * size);
}

/* Log the first access to an unimplemented offset, after the device lock is dropped. */
static void vpl011_log_unknown(struct vpl011 *u, bool first, bool write, u64 offset)
{
	if (first)
		pr_debug("vm%u: pl011: %s at unimplemented offset 0x%03llx ignored (logged once)\n",
			 u->vm->id, write ? "write" : "read", (unsigned long long)offset);
}

/* A read under the device lock: the registers whose read changes state or reads several. */
static __noinline u32 vpl011_read_locked(struct vpl011 *u, const struct vpl011_reg *r, u64 offset)
{
	bool first = false, changed = false;
	u32 v = 0;

	spin_lock(&u->lock);
	if (r && r->read) {
		v = r->read(u, r);
		changed = update_irq(u);
	} else if (!r) {
		first = !u->unknown_logged;
		u->unknown_logged = true;
	}
	vpl011_unlock_access(u, changed);
	vpl011_log_unknown(u, first, false, offset);
	return v;
}

/* A read through the register's row: @offset's word, shifted and masked to the access. */
static __noinline int vpl011_read_reg(struct vpl011 *u, u64 offset, unsigned int size, u64 *val)
{
	const struct vpl011_reg *r = vpl011_find_reg(ALIGN_DOWN(offset, 4));
	u64 v = VPL011_NEEDS_LOCK;

	if (r && r->read_unlocked)
		v = r->read_unlocked(u, r);
	if (v == VPL011_NEEDS_LOCK)
		v = vpl011_read_locked(u, r, offset);
	*val = (v >> ((offset & 3) * 8)) & size_mask(size);
	return 0;
}

/*
 * FR is what a guest reads most (Linux's console polls it before every character it writes,
 * ~24,000 times in a boot): with nothing received it is answered here, without the row lookup,
 * a call, a stack frame or the lock (fr_peek()); every other case, FR included, goes through
 * the row (vpl011_read_reg()).
 */
static int vpl011_mmio_read(struct vcpu *vcpu, void *priv, u64 offset, unsigned int size, u64 *val)
{
	struct vpl011 *u = priv;

	(void)vcpu;
	if (unlikely(!vpl011_access_ok(offset, size)))
		return -TERN_EINVAL;
	if (ALIGN_DOWN(offset, 4) == UARTFR) {
		u64 v = fr_peek(u);

		if (likely(v != VPL011_NEEDS_LOCK)) {
			*val = (v >> ((offset & 3) * 8)) & size_mask(size);
			return 0;
		}
	}
	return vpl011_read_reg(u, offset, size, val);
}

/*
 * A write to DR's data byte, the other register a guest's console hammers (a write per
 * character): dr_write() without the row lookup or the indirect call, with every side effect
 * it has through the row (the character into the line, TXRIS, the interrupt line and its kick).
 */
static __noinline int vpl011_write_dr(struct vpl011 *u, u32 c)
{
	bool changed;

	spin_lock(&u->lock);
	tx_put(u, (char)c);
	*reg_ptr(u, UARTRIS) |= UARTINT_TX;
	changed = update_irq(u);
	vpl011_unlock_access(u, changed);
	return 0;
}

/* A write through the register's row. */
static __noinline int vpl011_write_reg(struct vpl011 *u, u64 offset, unsigned int size, u64 val)
{
	const struct vpl011_reg *r = vpl011_find_reg(ALIGN_DOWN(offset, 4));
	unsigned int shift = (offset & 3) * 8;
	bool first = false, changed = false;

	spin_lock(&u->lock);
	if (r && r->write) {
		r->write(u, r, (u32)(val & size_mask(size)) << shift, size_mask(size) << shift);
		changed = update_irq(u);
	} else if (!r) {
		first = !u->unknown_logged;
		u->unknown_logged = true;
	}
	vpl011_unlock_access(u, changed);
	vpl011_log_unknown(u, first, true, offset);
	return 0;
}

static int vpl011_mmio_write(struct vcpu *vcpu, void *priv, u64 offset, unsigned int size, u64 val)
{
	struct vpl011 *u = priv;

	(void)vcpu;
	/*
	 * Offset 0 at a width up to 4 (vpl011_access_ok() for offset 0, tested first): the access
	 * covers DR's data byte (dr_write()'s mask test).
	 */
	if (likely(offset == UARTDR && size <= 4))
		return vpl011_write_dr(u, (u32)val & 0xff);
	if (unlikely(!vpl011_access_ok(offset, size)))
		return -TERN_EINVAL;
	return vpl011_write_reg(u, offset, size, val);
}

static const struct mmio_ops vpl011_mmio_ops = {
	.read = vpl011_mmio_read,
	.write = vpl011_mmio_write,
};

static void vpl011_reset_locked(struct vpl011 *u)
{
	for (size_t i = 0; i < ARRAY_SIZE(vpl011_regs); i++)
		*reg_ptr(u, (unsigned int)i * 4) = vpl011_regs[i].reset;
	rx_fifo_clear(u);
	tx_flush(u);
	update_irq(u);
}

__cold struct vpl011 *vpl011_create(struct vm *vm)
{
	struct vpl011 *u = page_zalloc(0);
	int err;

	if (!u) {
		pr_err("vm%u: pl011: out of memory\n", vm->id);
		return NULL;
	}
	u->vm = vm;
	spin_lock_init(&u->lock);
	console_rx_init(&u->rx);
	vpl011_reset_locked(u);
	err = mmio_register(&vm->mmio, GUEST_PL011_BASE, VPL011_MMIO_SIZE, &vpl011_mmio_ops, u,
			    "pl011");
	if (err) {
		pr_err("vm%u: pl011: cannot register its MMIO region: %s\n", vm->id,
		       tern_strerror(err));
		page_free((paddr_t)u, 0);
		return NULL;
	}
	return u;
}

__cold void vpl011_reset(struct vpl011 *u)
{
	spin_lock(&u->lock);
	vpl011_reset_locked(u);
	/* What the guest printed before its restart ends there; the new boot starts a line. */
	vm_console_end_line(u->vm);
	vpl011_unlock(u);
}

struct console_rx_ring *vpl011_rx_ring(struct vpl011 *u)
{
	return &u->rx;
}

void vpl011_poll(struct vpl011 *u)
{
	spin_lock(&u->lock);
	tx_flush(u);
	rx_pull(u);
	/* Time has passed: data still waiting in the FIFO raises the receive timeout again. */
	if (u->rx_count)
		*reg_ptr(u, UARTRIS) |= UARTINT_RX | UARTINT_RT;
	update_irq(u);
	vpl011_unlock(u);
}

void vpl011_flush(struct vpl011 *u)
{
	/*
	 * The common case on every vCPU switch: nothing held here or in the console. A line
	 * started concurrently on another pCPU is flushed by its own vCPU's next put or newline.
	 */
	if (!READ_ONCE(u->tx_len) && !READ_ONCE(u->vm->console.len) &&
	    !READ_ONCE(u->vm->console.cr)) {
		WRITE_ONCE(u->vm->output_held, false);
		return;
	}
	spin_lock(&u->lock);
	tx_flush(u);
	/* The console may still hold a partial line (several VMs): out with it if it is due. */
	vm_console_flush(u->vm);
	WRITE_ONCE(u->vm->output_held, u->vm->console.len || u->vm->console.cr);
	vpl011_unlock(u);
}

int vpl011_fdt_node(void *fdt, const struct vpl011 *u, u32 clk_phandle)
{
	static const char compatible[] = "arm,pl011\0arm,primecell";
	static const char clock_names[] = "uartclk\0apb_pclk";
	const fdt32_t reg[] = {
		cpu_to_fdt32((u64)GUEST_PL011_BASE >> 32),
		cpu_to_fdt32((u32)GUEST_PL011_BASE),
		cpu_to_fdt32((u64)VPL011_MMIO_SIZE >> 32),
		cpu_to_fdt32((u32)VPL011_MMIO_SIZE),
	};
	/* GIC binding: SPI, number from INTID 32, IRQ_TYPE_LEVEL_HIGH. */
	const fdt32_t irq[] = { cpu_to_fdt32(0), cpu_to_fdt32(GUEST_PL011_INTID - 32),
				cpu_to_fdt32(4) };
	const fdt32_t clocks[] = { cpu_to_fdt32(clk_phandle), cpu_to_fdt32(clk_phandle) };
	int err;

	(void)u; /* every VM's PL011 has the same node */
	err = fdt_begin_node(fdt, "pl011@9000000");
	if (!err)
		err = fdt_property(fdt, "compatible", compatible, sizeof(compatible));
	if (!err)
		err = fdt_property(fdt, "reg", reg, sizeof(reg));
	if (!err)
		err = fdt_property(fdt, "interrupts", irq, sizeof(irq));
	if (!err)
		err = fdt_property(fdt, "clock-names", clock_names, sizeof(clock_names));
	if (!err)
		err = fdt_property(fdt, "clocks", clocks, sizeof(clocks));
	if (!err)
		err = fdt_end_node(fdt);
	return err;
}

void vpl011_destroy(struct vpl011 *u)
{
	mmio_unregister(&u->vm->mmio, GUEST_PL011_BASE);
	page_free((paddr_t)u, 0);
}

/* The device-list side: the VM's console. */

static int vpl011_vdev_create(struct vdev *dev, const struct platform *p)
{
	struct vpl011 *u = vpl011_create(dev->vm);

	(void)p;
	if (!u)
		return -TERN_ENOMEM;
	dev->priv = u;
	dev->vm->uart = dev;
	vgic_claim_spi(dev->vm, GUEST_PL011_INTID);
	return 0;
}

static __cold void vpl011_vdev_destroy(struct vdev *dev)
{
	vgic_release_spi(dev->vm, GUEST_PL011_INTID);
	dev->vm->uart = NULL;
	vpl011_destroy(dev->priv);
}

static void vpl011_vdev_reset(struct vdev *dev)
{
	vpl011_reset(dev->priv);
}

/* Output is held until a newline: a stopped VM's last partial line and a prompt a vCPU waits
 * behind must show up. */
static void vpl011_vdev_flush(struct vdev *dev)
{
	vpl011_flush(dev->priv);
}

/* A character typed on Tern's console for this VM (console_mux, from the UART interrupt). */
static void vpl011_vdev_input(struct vdev *dev, char c)
{
	console_rx_push(vpl011_rx_ring(dev->priv), c);
	vpl011_poll(dev->priv);
}

static int vpl011_vdev_fdt_node(void *fdt, const struct vdev *dev)
{
	return vpl011_fdt_node(fdt, dev->priv, GUEST_FDT_PHANDLE_CLK);
}

VDEV_TYPE(vpl011) = {
	.name = "pl011",
	.phase = VDEV_PHASE_DEVICE,
	.vm_mask = VDEV_VM_MASK(VPL011),
	.create = vpl011_vdev_create,
	.destroy = vpl011_vdev_destroy,
	.reset = vpl011_vdev_reset,
	.stop = vpl011_vdev_flush,
	.vcpu_put = vpl011_vdev_flush,
	.fdt_node = vpl011_vdev_fdt_node,
	.console_input = vpl011_vdev_input,
	.stdout_path = "/pl011@9000000",
};
