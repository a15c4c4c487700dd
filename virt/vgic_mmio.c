// SPDX-License-Identifier: GPL-2.0-only
/*
 * Register-table machinery shared by the emulated GICv3 distributor and redistributors, and the
 * generic handlers of the per-interrupt register banks (Arm IHI 0069, chapter 12).
 *
 * Nothing here touches the physical GIC: guest accesses only change struct vgic_irq, and the
 * vGIC core (vgic_irq_changed) decides what that means for the vCPUs.
 */
#include <tern/compiler.h>
#include <tern/errno.h>
#include <tern/sched.h>
#include <tern/spinlock.h>
#include <tern/vcpu.h>
#include <tern/vm.h>
#include <virt/vgic.h>
#include <virt/vgic_mmio.h>

struct vgic_irq *vgic_get_irq(struct vm *vm, struct vcpu *vcpu, u32 intid)
{
	if (intid < VGIC_NR_PRIVATE)
		return vcpu && vcpu->vgic ? &vcpu->vgic->priv[intid] : NULL;
	if (vm && vm->vgic && intid - VGIC_NR_PRIVATE < vm->vgic->nr_spis)
		return &vm->vgic->spis[intid - VGIC_NR_PRIVATE];
	return NULL;
}

void vgic_mmio_reset_irq(struct vgic_irq *irq, u32 intid)
{
	bool owned = irq->owned, hw = irq->hw;
	u32 hwintid = irq->hwintid;

	*irq = (struct vgic_irq){
		.intid = intid,
		.edge = intid < 16, /* SGIs are always edge-triggered */
		.owned = owned,
		.hw = hw,
		.hwintid = hwintid,
	};
}

__cold void vgic_mmio_reset_dist(struct vgic_dist *d)
{
	d->ctlr = 0;
	d->nr_spis = VGIC_NR_SPIS;
	d->ignored_spi_writes = 0;
	for (unsigned int i = 0; i < VGIC_NR_SPIS; i++)
		vgic_mmio_reset_irq(&d->spis[i], VGIC_NR_PRIVATE + i);
}

__cold int vgic_mmio_regs_init(struct vgic_regs *t)
{
	unsigned int i = 0;

	if (t->nr >= 0xFF) /* the indexes hold a byte, the fine one 1 + the row */
		return -TERN_EINVAL;
	for (i = 0; i < t->nr; i++) {
		const struct vgic_reg *r = &t->rows[i];

		if ((u64)r->offset + r->len > ((u64)t->nr_blocks << VGIC_INDEX_SHIFT) ||
		    (i && (u64)t->rows[i - 1].offset + t->rows[i - 1].len > r->offset) ||
		    (r->constant && (r->lr_state || r->write)) || !r->len ||
		    (r->offset | r->len) % 4 ||
		    (r->write_direct && (r->bits_per_irq != 1 || r->access != VGIC_ACCESS_32)))
			return -TERN_EINVAL;
	}
	/* Words no row holds keep their 0: a rebuild only writes the values already there. */
	for (i = 0; i < t->nr; i++) {
		const struct vgic_reg *r = &t->rows[i];

		for (u64 off = r->offset; off < (u64)r->offset + r->len && off < VGIC_FINE_SIZE;
		     off += 4) {
			WRITE_ONCE(t->fine[off >> 2], (u8)(i + 1));
			if (!r->constant || !r->read || off >= VGIC_CONST_SIZE)
				continue;
			if (r->access & VGIC_ACCESS_32)
				t->const32 |= BIT(off >> 2);
			if ((r->access & VGIC_ACCESS_64) && IS_ALIGNED(off, 8) &&
			    off + 8 <= (u64)r->offset + r->len && off + 8 <= VGIC_CONST_SIZE)
				t->const64 |= BIT(off >> 2);
		}
	}
	i = 0;
	for (unsigned int b = 0; b < t->nr_blocks; b++) {
		while (i < t->nr && t->rows[i].offset <= (u64)b << VGIC_INDEX_SHIFT)
			i++;
		/* A byte store: a concurrent lookup sees the old value or this one, both correct.
		 */
		WRITE_ONCE(t->index[b], (u8)i);
	}
	return 0;
}

void vgic_mmio_const_fill(const struct vgic_regs *t, struct vgic_mmio_ctx *c, u32 *vals)
{
	for (unsigned int w = 0; w < VGIC_CONST_WORDS; w++) {
		const struct vgic_reg *r = vgic_mmio_find(t, (u64)w * 4);

		vals[w] = r && r->constant ? (u32)vgic_mmio_row_read(c, r, (u64)w * 4, 4) : 0;
	}
}

int vgic_mmio_access_locked(const struct vgic_reg *r, struct vgic_mmio_ctx *c, u64 offset,
			    unsigned int size, bool write, u64 *val)
{
	struct spinlock *lock = &c->vm->vgic->lock;

	/* Rows without a handler for the access hold nothing to lock. */
	if (!r->lr_state && !write && !r->read) {
		*val = 0;
		return 0;
	}
	if (!r->lr_state && write && !r->write)
		return 0;
	if (r->lr_state)
		vgic_active_prepare(c->vm);
	spin_lock(lock);
	if (!write) {
		*val = vgic_mmio_row_read(c, r, offset, size);
	} else if (r->write && (r->access & VGIC_ACCESS_64) && size == 4) {
		u64 base = ALIGN_DOWN(offset, 8);
		unsigned int shift = (unsigned int)(offset - base) * 8;
		u64 full = r->read ? r->read(c, r, base, 8) : 0;

		full &= ~(0xFFFFFFFFULL << shift);
		full |= (*val & 0xFFFFFFFFULL) << shift;
		r->write(c, r, base, 8, full);
	} else if (r->write) {
		r->write(c, r, offset, size, size == 8 ? *val : *val & ((1ULL << (size * 8)) - 1));
	}
	spin_unlock(lock);
	/* The vCPUs the access made something pending for are kicked now, outside the lock. */
	sched_kick_flush();
	if (r->lr_state)
		vgic_active_finish(c->vm);
	return 0;
}

/* ---- per-interrupt banks ---- */

/* First INTID an access to bank @r at @offset covers. */
static u32 first_intid(const struct vgic_reg *r, u64 offset)
{
	return (u32)((offset - r->offset) * 8 / r->bits_per_irq);
}

/* Interrupts the access covers. */
static unsigned int nr_irqs(const struct vgic_reg *r, unsigned int size)
{
	return size * 8 / r->bits_per_irq;
}

struct vgic_irq *vgic_mmio_irq(struct vgic_mmio_ctx *c, u32 intid, bool *foreign)
{
	struct vgic_dist *d = c->vm->vgic;
	struct vgic_irq *irq;

	/*
	 * INTIDs 0-31 are c->vcpu's banked copies (a GICv3 redistributor, a GICv2 distributor);
	 * the GICv3 distributor has none (ARE=1: RAZ/WI, GICR has them).
	 */
	if (intid < VGIC_NR_PRIVATE)
		return c->vcpu ? &c->vcpu->vgic->priv[intid] : NULL;
	if (intid - VGIC_NR_PRIVATE >= d->nr_spis)
		return NULL;
	irq = &d->spis[intid - VGIC_NR_PRIVATE];
	if (!irq->owned) {
		if (foreign)
			*foreign = true;
		return NULL;
	}
	return irq;
}

void vgic_mmio_kick_all(struct vm *vm)
{
	struct vgic_dist *d = vm->vgic;

	for (unsigned int i = 0; i < d->nr_spis; i++)
		if (d->spis[i].owned && d->spis[i].enabled && vgic_irq_pending(&d->spis[i]))
			vgic_irq_changed(vm, &d->spis[i]);
	for (unsigned int v = 0; v < vm->nr_vcpus; v++) {
		struct vcpu *vcpu = vm->vcpus[v];

		if (!vcpu || !vcpu->vgic)
			continue;
		/*
		 * A group enabled or disabled changes what every list register may hold, and
		 * whether the fast path may inject.
		 */
		vgic_fast_disarm(vcpu);
		vgic_mark_dirty(vcpu);
		for (unsigned int i = 0; i < VGIC_NR_PRIVATE; i++)
			if (vcpu->vgic->priv[i].enabled && vgic_irq_pending(&vcpu->vgic->priv[i]))
				vgic_irq_changed(vm, &vcpu->vgic->priv[i]);
	}
}

static void count_ignored(struct vgic_mmio_ctx *c, bool ignored)
{
	if (ignored)
		c->vm->vgic->ignored_spi_writes++;
}

enum irq_bit {
	BIT_GROUP,
	BIT_ENABLE,
	BIT_PENDING,
	BIT_ACTIVE
};

static bool irq_bit_get(const struct vgic_irq *irq, enum irq_bit b)
{
	switch (b) {
	case BIT_GROUP:
		return irq->group;
	case BIT_ENABLE:
		return irq->enabled;
	case BIT_PENDING:
		return vgic_irq_pending(irq);
	case BIT_ACTIVE:
		return irq->active;
	}
	return false;
}

/* Returns whether the stored state changed. */
static bool irq_bit_set(struct vgic_irq *irq, enum irq_bit b, bool v)
{
	bool old;

	switch (b) {
	case BIT_GROUP:
		old = irq->group;
		irq->group = v;
		return old != v;
	case BIT_ENABLE:
		old = irq->enabled;
		irq->enabled = v;
		return old != v;
	case BIT_PENDING:
		/* Set/clear the latch; a level-sensitive line still asserted keeps it pending. */
		old = irq->pending_latch;
		irq->pending_latch = v;
		if (!v && irq->sgi_source) {
			irq->sgi_source = 0;
			return true;
		}
		return old != v;
	case BIT_ACTIVE:
		old = irq->active;
		irq->active = v;
		return old != v;
	}
	return false;
}

static u64 read_bits(struct vgic_mmio_ctx *c, const struct vgic_reg *r, u64 offset,
		     unsigned int size, enum irq_bit b)
{
	u32 intid = first_intid(r, offset);
	u64 val = 0;
	bool foreign = false;

	for (unsigned int i = 0; i < nr_irqs(r, size); i++) {
		struct vgic_irq *irq = vgic_mmio_irq(c, intid + i, &foreign);

		if (irq && irq_bit_get(irq, b))
			val |= 1ULL << i;
	}
	return val;
}

enum bits_mode {
	BITS_ASSIGN,
	BITS_SET,
	BITS_CLEAR
};

/* Set or clear bit @b of the interrupt behind @intid; false for one the VM does not own. */
static bool write_bit(struct vgic_mmio_ctx *c, u32 intid, enum irq_bit b, bool bit)
{
	bool foreign = false;
	struct vgic_irq *irq = vgic_mmio_irq(c, intid, &foreign);

	if (irq && irq_bit_set(irq, b, bit))
		vgic_irq_changed(c->vm, irq);
	return !foreign;
}

static void write_bits(struct vgic_mmio_ctx *c, const struct vgic_reg *r, u64 offset,
		       unsigned int size, u64 val, enum irq_bit b, enum bits_mode mode)
{
	u32 intid = first_intid(r, offset);
	unsigned int n = nr_irqs(r, size);
	bool ignored = false;

	if (mode == BITS_ASSIGN) {
		for (unsigned int i = 0; i < n; i++)
			ignored |= !write_bit(c, intid + i, b, (val >> i) & 1);
	} else {
		/* W1S / W1C: a zero bit leaves the interrupt alone; visit only the set bits. */
		if (n < 64)
			val &= (1ULL << n) - 1;
		for (; val; val &= val - 1)
			ignored |= !write_bit(c, intid + (unsigned int)__builtin_ctzll(val), b,
					      mode == BITS_SET);
	}
	count_ignored(c, ignored);
}

u64 vgic_mmio_read_group(struct vgic_mmio_ctx *c, const struct vgic_reg *r, u64 offset,
			 unsigned int size)
{
	return read_bits(c, r, offset, size, BIT_GROUP);
}

void vgic_mmio_write_group(struct vgic_mmio_ctx *c, const struct vgic_reg *r, u64 offset,
			   unsigned int size, u64 val)
{
	write_bits(c, r, offset, size, val, BIT_GROUP, BITS_ASSIGN);
}

u64 vgic_mmio_read_enable(struct vgic_mmio_ctx *c, const struct vgic_reg *r, u64 offset,
			  unsigned int size)
{
	return read_bits(c, r, offset, size, BIT_ENABLE);
}

void vgic_mmio_write_senable(struct vgic_mmio_ctx *c, const struct vgic_reg *r, u64 offset,
			     unsigned int size, u64 val)
{
	write_bits(c, r, offset, size, val, BIT_ENABLE, BITS_SET);
}

void vgic_mmio_write_cenable(struct vgic_mmio_ctx *c, const struct vgic_reg *r, u64 offset,
			     unsigned int size, u64 val)
{
	write_bits(c, r, offset, size, val, BIT_ENABLE, BITS_CLEAR);
}

/*
 * The enable banks (one bit per INTID, 32-bit accesses only), written to @enabled: the interrupts
 * a register's set bits name are the frame's vCPU's 32 private ones (banked; none in a frame
 * without a vCPU: RAZ/WI) or 32 SPIs. False for a set bit naming an SPI the VM does not own (the
 * locked path counts it); else every bit done: nothing to change, or the changes made under the
 * lock, each interrupt's vgic_irq_changed() as write_bit() calls it.
 */
/*
 * The rest of enable_write_direct() for private interrupts: the bank's write handler for the
 * bits @bits (from the first one that changes something) under the lock, as the locked path runs
 * it, and the kicks after. Out of line: the look before it needs no frame.
 */
static __noinline bool enable_write_locked(struct vgic_mmio_ctx *c, const struct vgic_reg *r,
					   u64 offset, u32 bits, bool enabled)
{
	spin_lock(&c->vm->vgic->lock);
	write_bits(c, r, offset, 4, bits, BIT_ENABLE, enabled ? BITS_SET : BITS_CLEAR);
	spin_unlock(&c->vm->vgic->lock);
	/* The vCPUs an enabled interrupt made something pending for are kicked outside the lock. */
	sched_kick_flush();
	return true;
}

/* One SPI of an enable write, under the lock: false when the VM does not own it (ignored). */
static inline bool enable_spi_locked(struct vm *vm, struct vgic_dist *d, u32 spi, bool enabled)
{
	struct vgic_irq *irq;

	if (spi >= d->nr_spis)
		return true; /* RAZ/WI */
	irq = &d->spis[spi];
	if (!irq->owned)
		return false;
	if (irq->enabled != enabled) {
		irq->enabled = enabled;
		vgic_irq_changed(vm, irq);
	}
	return true;
}

/* Several bits: each SPI in turn; one not the VM's counted once for the access (write_bits()). */
static __noinline void enable_spis_locked(struct vm *vm, struct vgic_dist *d, u32 spi0, u32 bits,
					  bool enabled)
{
	bool ignored = false;

	for (; bits; bits &= bits - 1)
		ignored |= !enable_spi_locked(vm, d, spi0 + (u32)__builtin_ctz(bits), enabled);
	if (ignored)
		d->ignored_spi_writes++;
}

int vgic_mmio_enable_spis_locked(struct vm *vm, struct vgic_irq *irq, u32 spi0, u32 bits,
				 bool enabled)
{
	struct vgic_dist *d = vm->vgic;

	spin_lock(&d->lock);
	/* One bit (Linux's mask and unmask): @irq's, no loop state kept across the change. */
	if (!(bits & (bits - 1))) {
		if (!irq->owned) {
			d->ignored_spi_writes++;
		} else if (irq->enabled != enabled) {
			irq->enabled = enabled;
			vgic_irq_changed(vm, irq);
		}
	} else {
		enable_spis_locked(vm, d, spi0, bits, enabled);
	}
	spin_unlock(&d->lock);
	/* The vCPUs an enabled interrupt made something pending for are kicked outside the lock. */
	sched_kick_flush();
	return 0;
}

/*
 * The enable banks (one bit per INTID, 32-bit accesses only), written to @enabled: a register's
 * set bits name the frame's vCPU's 32 private interrupts (banked; none in a frame without a
 * vCPU: RAZ/WI) or 32 SPIs (vgic_mmio_enable_spis()). Each bit looked at in turn: from the first
 * whose interrupt changes, the rest is done under the lock.
 */
static inline bool enable_write_direct(struct vgic_mmio_ctx *c, const struct vgic_reg *r,
				       u64 offset, u64 val, bool enabled)
{
	u32 first = (u32)(offset - r->offset) * 8, b = (u32)val;
	const struct vgic_irq *priv;

	if (first >= VGIC_NR_PRIVATE) {
		vgic_mmio_enable_spis(c->vm, first - VGIC_NR_PRIVATE, b, enabled);
		return true;
	}
	priv = c->vcpu ? c->vcpu->vgic->priv : NULL;
	for (; b && priv; b &= b - 1)
		if (READ_ONCE(priv[__builtin_ctz(b)].enabled) != enabled)
			return enable_write_locked(c, r, offset, b, enabled);
	return true;
}

bool vgic_mmio_write_senable_direct(struct vgic_mmio_ctx *c, const struct vgic_reg *r, u64 offset,
				    unsigned int size, u64 val)
{
	(void)size;
	return enable_write_direct(c, r, offset, val, true);
}

bool vgic_mmio_write_cenable_direct(struct vgic_mmio_ctx *c, const struct vgic_reg *r, u64 offset,
				    unsigned int size, u64 val)
{
	(void)size;
	return enable_write_direct(c, r, offset, val, false);
}

u64 vgic_mmio_read_pending(struct vgic_mmio_ctx *c, const struct vgic_reg *r, u64 offset,
			   unsigned int size)
{
	return read_bits(c, r, offset, size, BIT_PENDING);
}

void vgic_mmio_write_spending(struct vgic_mmio_ctx *c, const struct vgic_reg *r, u64 offset,
			      unsigned int size, u64 val)
{
	write_bits(c, r, offset, size, val, BIT_PENDING, BITS_SET);
}

void vgic_mmio_write_cpending(struct vgic_mmio_ctx *c, const struct vgic_reg *r, u64 offset,
			      unsigned int size, u64 val)
{
	write_bits(c, r, offset, size, val, BIT_PENDING, BITS_CLEAR);
}

u64 vgic_mmio_read_active(struct vgic_mmio_ctx *c, const struct vgic_reg *r, u64 offset,
			  unsigned int size)
{
	return read_bits(c, r, offset, size, BIT_ACTIVE);
}

void vgic_mmio_write_sactive(struct vgic_mmio_ctx *c, const struct vgic_reg *r, u64 offset,
			     unsigned int size, u64 val)
{
	write_bits(c, r, offset, size, val, BIT_ACTIVE, BITS_SET);
}

void vgic_mmio_write_cactive(struct vgic_mmio_ctx *c, const struct vgic_reg *r, u64 offset,
			     unsigned int size, u64 val)
{
	write_bits(c, r, offset, size, val, BIT_ACTIVE, BITS_CLEAR);
}

u64 vgic_mmio_read_priority(struct vgic_mmio_ctx *c, const struct vgic_reg *r, u64 offset,
			    unsigned int size)
{
	u32 intid = first_intid(r, offset);
	u64 val = 0;
	bool foreign = false;

	for (unsigned int i = 0; i < nr_irqs(r, size); i++) {
		struct vgic_irq *irq = vgic_mmio_irq(c, intid + i, &foreign);

		if (irq)
			val |= (u64)irq->priority << (8 * i);
	}
	return val;
}

void vgic_mmio_write_priority(struct vgic_mmio_ctx *c, const struct vgic_reg *r, u64 offset,
			      unsigned int size, u64 val)
{
	u32 intid = first_intid(r, offset);
	bool ignored = false;

	for (unsigned int i = 0; i < nr_irqs(r, size); i++) {
		bool foreign = false;
		struct vgic_irq *irq = vgic_mmio_irq(c, intid + i, &foreign);
		u8 prio = (u8)(val >> (8 * i)) & VGIC_PRIO_MASK;

		ignored |= foreign;
		if (irq && irq->priority != prio) {
			irq->priority = prio;
			vgic_irq_changed(c->vm, irq);
		}
	}
	count_ignored(c, ignored);
}

u64 vgic_mmio_read_config(struct vgic_mmio_ctx *c, const struct vgic_reg *r, u64 offset,
			  unsigned int size)
{
	u32 intid = first_intid(r, offset);
	u64 val = 0;
	bool foreign = false;

	for (unsigned int i = 0; i < nr_irqs(r, size); i++) {
		struct vgic_irq *irq = vgic_mmio_irq(c, intid + i, &foreign);

		if (irq && irq->edge)
			val |= 2ULL << (2 * i);
	}
	return val;
}

void vgic_mmio_write_config(struct vgic_mmio_ctx *c, const struct vgic_reg *r, u64 offset,
			    unsigned int size, u64 val)
{
	u32 intid = first_intid(r, offset);
	bool ignored = false;

	for (unsigned int i = 0; i < nr_irqs(r, size); i++) {
		bool foreign = false, edge = (val >> (2 * i + 1)) & 1;
		struct vgic_irq *irq = vgic_mmio_irq(c, intid + i, &foreign);

		ignored |= foreign;
		/* SGIs: the field is read-only, always edge (GICR_ICFGR0 reads 0xAAAAAAAA). */
		if (!irq || irq->intid < 16 || irq->edge == edge)
			continue;
		irq->edge = edge;
		vgic_irq_changed(c->vm, irq);
	}
	count_ignored(c, ignored);
}

u64 vgic_mmio_read_irouter(struct vgic_mmio_ctx *c, const struct vgic_reg *r, u64 offset,
			   unsigned int size)
{
	(void)size;
	bool foreign = false;
	struct vgic_irq *irq = vgic_mmio_irq(c, first_intid(r, offset), &foreign);

	return irq ? irq->irouter : 0;
}

void vgic_mmio_write_irouter(struct vgic_mmio_ctx *c, const struct vgic_reg *r, u64 offset,
			     unsigned int size, u64 val)
{
	(void)size;
	bool foreign = false;
	struct vgic_irq *irq = vgic_mmio_irq(c, first_intid(r, offset), &foreign);

	count_ignored(c, foreign);
	val &= GICD_IROUTER_MASK;
	if (irq && irq->irouter != val) {
		irq->irouter = val;
		vgic_irq_changed(c->vm, irq);
	}
}

/*
 * PIDR4-7, PIDR0-3, CIDR0-3: the word at @off in the identification block. Only PIDR2.ArchRev has
 * an architectural meaning (IHI 0069, IHI 0048B: the rest is IMPLEMENTATION DEFINED). The CIDRs
 * carry the standard CoreLink component preamble 0xB105F00D; PIDR0/1/3/4 are zero, as in KVM's
 * model: Tern claims no Arm part number, so no guest applies a product's errata to it.
 */
u64 vgic_mmio_idreg(u64 off, u8 pidr2)
{
	static const u8 cidr[] = { 0x0D, 0xF0, 0x05, 0xB1 };

	if (off == VGIC_IDREG_PIDR2)
		return pidr2;
	if (off >= VGIC_IDREG_CIDR0 && off < VGIC_IDREGS_LEN)
		return cidr[(off - VGIC_IDREG_CIDR0) / 4];
	return 0;
}

u64 vgic_mmio_read_idreg(struct vgic_mmio_ctx *c, const struct vgic_reg *r, u64 offset,
			 unsigned int size)
{
	(void)c;
	(void)size;
	return vgic_mmio_idreg(offset - r->offset, VGIC_PIDR2);
}
