/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef VIRT_VGIC_MMIO_H
#define VIRT_VGIC_MMIO_H

#include <tern/compiler.h>
#include <tern/errno.h>
#include <tern/types.h>
#include <virt/vgic.h>

/*
 * Register tables of the emulated GICv3 distributor and redistributors (KVM's vgic-mmio-v3.c is
 * the model): every register, or bank of per-interrupt registers, is one row. The dispatcher finds
 * the row, checks the access width against it, takes the VM's vGIC lock and calls the row's
 * handler. Offsets nobody claims are reserved: RAZ/WI at any width.
 */

/* Access sizes a row allows; the bit is the size in bytes, so `access & size` tests it. */
#define VGIC_ACCESS_8  1U
#define VGIC_ACCESS_32 4U
#define VGIC_ACCESS_64 8U /* a 64-bit register; also as two 32-bit halves */

/* Architectural register offsets (Arm IHI 0069). Distributor frame: */
#define GICD_CTLR	0x0000
#define GICD_TYPER	0x0004
#define GICD_IIDR	0x0008
#define GICD_TYPER2	0x000C
#define GICD_STATUSR	0x0010
#define GICD_SETSPI_NSR 0x0040
#define GICD_CLRSPI_NSR 0x0048
#define GICD_SETSPI_SR	0x0050
#define GICD_CLRSPI_SR	0x0058
#define GICD_IGROUPR	0x0080
#define GICD_ISENABLER	0x0100
#define GICD_ICENABLER	0x0180
#define GICD_ISPENDR	0x0200
#define GICD_ICPENDR	0x0280
#define GICD_ISACTIVER	0x0300
#define GICD_ICACTIVER	0x0380
#define GICD_IPRIORITYR 0x0400
#define GICD_ITARGETSR	0x0800
#define GICD_ICFGR	0x0C00
#define GICD_IGRPMODR	0x0D00
#define GICD_NSACR	0x0E00
#define GICD_SGIR	0x0F00
#define GICD_CPENDSGIR	0x0F10
#define GICD_SPENDSGIR	0x0F20
#define GICD_IROUTER	0x6000
/*
 * The identification registers, PIDR4-7, PIDR0-3 and CIDR0-3, are the last 0x30 bytes of a frame:
 * of the first 64 KiB of a GICv3 frame (IHI 0069 12.1), of the 4 KiB GICv2 distributor (IHI 0048B
 * 4.1.2, ICPIDRn/ICCIDRn at 0xFD0-0xFFC). VGIC_IDREG_* are offsets inside that block.
 */
#define VGIC_IDREGS_LEN	 0x30
#define VGIC_IDREG_PIDR2 0x18
#define VGIC_IDREG_CIDR0 0x20
#define GICD_PIDR4	 (0x10000 - VGIC_IDREGS_LEN)
#define GICD_PIDR2	 (GICD_PIDR4 + VGIC_IDREG_PIDR2)

#define GICD_CTLR_ENABLE_G0   BIT(0)
#define GICD_CTLR_ENABLE_G1   BIT(1)
#define GICD_CTLR_ARE	      BIT(4)
#define GICD_CTLR_DS	      BIT(6)
#define GICD_CTLR_RWP	      BIT(31)
#define GICD_TYPER_CPUS_SHIFT 5
#define GICD_TYPER_ID_SHIFT   19
#define GICD_TYPER_A3V	      BIT(24)
#define GICD_TYPER_NO1N	      BIT(25)
#define GICD_IROUTER_IRM      BIT(31)
/* IROUTER bits kept: Aff3 [39:32], IRM [31], Aff2.Aff1.Aff0 [23:0]. */
#define GICD_IROUTER_MASK (GENMASK(39, 32) | GICD_IROUTER_IRM | GENMASK(23, 0))

/* Redistributor: RD_base frame, then SGI_base frame at +64 KiB. */
#define GICR_CTLR	0x0000
#define GICR_IIDR	0x0004
#define GICR_TYPER	0x0008
#define GICR_STATUSR	0x0010
#define GICR_WAKER	0x0014
#define GICR_PROPBASER	0x0070
#define GICR_PENDBASER	0x0078
#define GICR_PIDR4	(0x10000 - VGIC_IDREGS_LEN)
#define GICR_PIDR2	(GICR_PIDR4 + VGIC_IDREG_PIDR2)
#define GICR_SGI_BASE	0x10000
#define GICR_IGROUPR0	(GICR_SGI_BASE + 0x0080)
#define GICR_ISENABLER0 (GICR_SGI_BASE + 0x0100)
#define GICR_ICENABLER0 (GICR_SGI_BASE + 0x0180)
#define GICR_ISPENDR0	(GICR_SGI_BASE + 0x0200)
#define GICR_ICPENDR0	(GICR_SGI_BASE + 0x0280)
#define GICR_ISACTIVER0 (GICR_SGI_BASE + 0x0300)
#define GICR_ICACTIVER0 (GICR_SGI_BASE + 0x0380)
#define GICR_IPRIORITYR (GICR_SGI_BASE + 0x0400)
#define GICR_ICFGR0	(GICR_SGI_BASE + 0x0C00)
#define GICR_ICFGR1	(GICR_SGI_BASE + 0x0C04)
#define GICR_IGRPMODR0	(GICR_SGI_BASE + 0x0D00)
#define GICR_NSACR	(GICR_SGI_BASE + 0x0E00)

#define GICR_TYPER_LAST		BIT(4)
#define GICR_TYPER_PROC_SHIFT	8
#define GICR_TYPER_AFF_SHIFT	32
#define GICR_WAKER_PROC_SLEEP	BIT(1)
#define GICR_WAKER_CHILD_ASLEEP BIT(2)

/* PIDR2.ArchRev = 3 (GICv3), JEDEC bit, JEP106 DES_1 of Arm; Linux checks ArchRev only. */
#define VGIC_PIDR2 0x3B
/*
 * GICD_IIDR / GICR_IIDR: ProductID 'T' (0x54), variant 0, revision 0, implementer 0x43B. Like
 * KVM we use Arm's JEP106 code with a product ID of our own, which no Linux erratum entry matches.
 */
#define VGIC_IIDR 0x5400043BU

/* Priority bits kept: the top VGIC_PRIO_BITS of the byte. */
#define VGIC_PRIO_MASK ((u8)(0xFF << (8 - VGIC_PRIO_BITS)))

/* Which frame an access is for. */
struct vgic_mmio_ctx {
	struct vm *vm;
	/*
	 * The vCPU whose banked INTIDs 0-31 the access sees: the redistributor's (GICv3), the
	 * accessing one (GICv2 distributor); NULL for the GICv3 distributor.
	 */
	struct vcpu *vcpu;
};

struct vgic_reg;

/*
 * The frames' MMIO handlers build a struct vgic_mmio_ctx on the stack and pass its address: with
 * -fstack-protector-strong that alone would put a canary check on every access. The context is
 * two pointers the row handlers read; no array, nothing a handler writes into. No canary.
 */
#define VGIC_MMIO_HANDLER __no_stack_protector

/*
 * Handlers get the access offset from the frame base and its size, both already checked against
 * the row (allowed width, naturally aligned, inside the row); 64-bit registers are always
 * called with size 8 (the dispatcher turns 32-bit halves into a read or a read-modify-write).
 * They run with the VM's vGIC lock held.
 */
typedef u64 vgic_read_fn(struct vgic_mmio_ctx *c, const struct vgic_reg *r, u64 offset,
			 unsigned int size);
typedef void vgic_write_fn(struct vgic_mmio_ctx *c, const struct vgic_reg *r, u64 offset,
			   unsigned int size, u64 val);
/*
 * Called without the lock, instead of the locked path, for a write the access allows: true when
 * it did the whole write itself (found it changes nothing, or took the lock for what it
 * changes), false to leave it to the locked path (vgic_mmio_access_locked()). See
 * vgic_mmio_write_senable_direct().
 */
typedef bool vgic_write_direct_fn(struct vgic_mmio_ctx *c, const struct vgic_reg *r, u64 offset,
				  unsigned int size, u64 val);

/** One register, or one bank of per-interrupt registers. */
struct vgic_reg {
	/** Frame offset of the register, or of the bank's INTID 0 field. */
	u32 offset;
	/** Bytes covered (4 or 8 for a plain register). */
	u32 len;
	/** Bits of one INTID's field in a bank (1, 2, 8 or 64); 0 for a plain register. */
	u8 bits_per_irq;
	/** VGIC_ACCESS_* sizes allowed; other sizes are rejected (the guest gets an abort). */
	u8 access;
	/**
	 * The state it shows or changes may sit in a running vCPU's list registers (the active
	 * banks): the other vCPUs are made to sync them first (vgic_active_prepare).
	 */
	bool lr_state;
	/** Reads depend on nothing a guest can change (IIDR, TYPER, ID registers): no lock. */
	bool constant;
	const char *name;
	/** NULL: reads as zero. */
	vgic_read_fn *read;
	/** NULL: writes ignored. */
	vgic_write_fn *write;
	/** NULL, or the write that takes the lock itself when it changes something. */
	vgic_write_direct_fn *write_direct;
};

#define VGIC_REG(off, length, bits, acc, rd, wr)                                                   \
	{                                                                                          \
		.offset = (off), .len = (length), .bits_per_irq = (bits), .access = (acc),         \
		.name = #off, .read = (rd), .write = (wr)                                          \
	}

/*
 * A bank whose writes go to a direct handler first (the enable banks: no lock for a write that
 * changes nothing, none of the generic path's steps for one that does).
 */
#define VGIC_REG_DIRECT(off, length, bits, acc, rd, wr, direct)                                    \
	{                                                                                          \
		.offset = (off), .len = (length), .bits_per_irq = (bits), .access = (acc),         \
		.name = #off, .read = (rd), .write = (wr), .write_direct = (direct)                \
	}

/* A read-only register whose value never changes while the VM exists: read without the lock. */
#define VGIC_REG_CONST(off, length, acc, rd)                                                       \
	{                                                                                          \
		.offset = (off), .len = (length), .access = (acc), .constant = true, .name = #off, \
		.read = (rd)                                                                       \
	}

/**
 * The interrupt behind @intid in the frame @c describes, or NULL when its fields are RAZ/WI
 * there; *@foreign (if not NULL) is set for an SPI the VM does not own.
 */
struct vgic_irq *vgic_mmio_irq(struct vgic_mmio_ctx *c, u32 intid, bool *foreign);

/* After the group enables changed: every pending and enabled interrupt to vgic_irq_changed(). */
void vgic_mmio_kick_all(struct vm *vm);

/** A row whose state may be held in list registers (see vgic_reg.lr_state). */
#define VGIC_REG_LR(off, length, bits, acc, rd, wr)                                                \
	{                                                                                          \
		.offset = (off), .len = (length), .bits_per_irq = (bits), .access = (acc),         \
		.lr_state = true, .name = #off, .read = (rd), .write = (wr)                        \
	}

/* Bytes of a frame one index entry covers: the stride of the 1-bit-per-INTID banks. */
#define VGIC_INDEX_SHIFT 7

/*
 * The first VGIC_FINE_SIZE bytes of a frame, where its single registers (CTLR, TYPER, IIDR,
 * STATUSR, WAKER ...) and the 1-bit banks a guest writes most (IGROUPR, the enable, pending and
 * active banks) sit, are indexed per 32-bit word: no scan for them. The constant registers among
 * the first VGIC_CONST_SIZE bytes also have a copy per frame (vgic_mmio_const_read()).
 */
#define VGIC_FINE_SIZE	0x400
#define VGIC_CONST_SIZE (VGIC_CONST_WORDS * 4)

/**
 * A frame's register table with its offset indexes. Below VGIC_FINE_SIZE, fine[w] is 1 + the
 * row holding word w, or 0 for a reserved word (every row is word-aligned and whole words
 * long). Above, entry b of @index is the number of rows starting at or below byte
 * b << VGIC_INDEX_SHIFT, so the row holding an offset is at most a few rows on from there (the
 * rows of one 128-byte block). Both are built before the first VM with the frame runs; a VM
 * created later, on another pCPU, rewrites the same values, which a lookup meanwhile reads as
 * they were.
 */
struct vgic_regs {
	const struct vgic_reg *rows;
	u16 nr;
	/** Entries of @index: the frame's size >> VGIC_INDEX_SHIFT. */
	u16 nr_blocks;
	u8 *index;
	u8 *fine;
	/**
	 * The words a read may take from the frame's const_words (vgic_mmio_const_read()): bit
	 * w of @const32, a 32-bit read of word w of a constant row; of @const64, a 64-bit read at
	 * word w of a constant 64-bit row (words w and w + 1).
	 */
	u64 const32;
	u64 const64;
};

/* A frame's table @rows (an array) and its indexes in .bss, covering @frame_size bytes. */
#define VGIC_REGS_DEFINE(name, rows_, frame_size)                                                  \
	static u8 name##_index[(frame_size) >> VGIC_INDEX_SHIFT];                                  \
	static u8 name##_fine[VGIC_FINE_SIZE / 4];                                                 \
	struct vgic_regs name = { .rows = (rows_),                                                 \
				  .nr = ARRAY_SIZE(rows_),                                         \
				  .nr_blocks = (frame_size) >> VGIC_INDEX_SHIFT,                   \
				  .index = name##_index,                                           \
				  .fine = name##_fine }

/* The GICv3 frames' tables (virt/vgic_v3_dist.c, vgic_v3_redist.c): one frame pair per vCPU. */
extern struct vgic_regs vgic_v3_dist_table;
extern struct vgic_regs vgic_v3_redist_table;

/**
 * Check @t (rows sorted by offset and disjoint, fewer than 255, inside the frame, word-aligned
 * and whole words long, a direct write only on a 1-bit bank of 32-bit accesses) and build its
 * indexes; -TERN_EINVAL for a table that breaks those rules (a bug in Tern). Idempotent.
 */
int vgic_mmio_regs_init(struct vgic_regs *t);

_Static_assert(VGIC_CONST_WORDS == 64 && VGIC_CONST_SIZE <= VGIC_FINE_SIZE,
	       "const32/const64 have a bit per word with a copy");

/** The row holding @offset, or NULL (a reserved offset, or beyond the frame). */
static inline const struct vgic_reg *vgic_mmio_find(const struct vgic_regs *t, u64 offset)
{
	unsigned int i;

	if (offset < VGIC_FINE_SIZE) {
		i = READ_ONCE(t->fine[offset >> 2]);
		return i ? &t->rows[i - 1] : NULL;
	}
	if (offset >> VGIC_INDEX_SHIFT >= t->nr_blocks)
		return NULL;
	i = t->index[offset >> VGIC_INDEX_SHIFT];
	while (i < t->nr && t->rows[i].offset <= offset)
		i++;
	if (i && offset - t->rows[i - 1].offset < t->rows[i - 1].len)
		return &t->rows[i - 1];
	return NULL;
}

/*
 * The values of @t's constant rows in its first VGIC_CONST_SIZE bytes, read through the rows for
 * the frame
 * @c describes, into @vals (the frame's const_words): once, when the frame is set up (what they
 * depend on, the VM's vCPUs and their MPIDRs, never changes afterwards).
 */
void vgic_mmio_const_fill(const struct vgic_regs *t, struct vgic_mmio_ctx *c, u32 *vals);

/*
 * A read of a constant register among the frame's first VGIC_CONST_SIZE bytes, from @vals (filled
 * by vgic_mmio_const_fill()): no lookup, width check, lock or call. False for anything else, which
 * then takes vgic_mmio_access().
 */
static inline bool vgic_mmio_const_read(const struct vgic_regs *t, const u32 *vals, u64 offset,
					unsigned int size, u64 *val)
{
	u64 w = offset >> 2;

	if (offset >= VGIC_CONST_SIZE)
		return false;
	if (size == 4 && !(offset & 3) && ((t->const32 >> w) & 1)) {
		*val = vals[w];
		return true;
	}
	if (size == 8 && !(offset & 7) && ((t->const64 >> w) & 1)) {
		*val = vals[w] | (u64)vals[w + 1] << 32;
		return true;
	}
	return false;
}

/* The locked part of vgic_mmio_access(): row @r, width already checked. */
int vgic_mmio_access_locked(const struct vgic_reg *r, struct vgic_mmio_ctx *c, u64 offset,
			    unsigned int size, bool write, u64 *val);

/* A read of row @r; a 32-bit half of a 64-bit register reads the whole and takes its half. */
static inline u64 vgic_mmio_row_read(struct vgic_mmio_ctx *c, const struct vgic_reg *r, u64 offset,
				     unsigned int size)
{
	u64 base = ALIGN_DOWN(offset, 8);

	if (!r->read)
		return 0;
	if ((r->access & VGIC_ACCESS_64) && size == 4)
		return (u32)(r->read(c, r, base, 8) >> ((unsigned int)(offset - base) * 8));
	return r->read(c, r, offset, size);
}

/*
 * Access widths (IHI 0069 12.1.3 "GIC memory-mapped register access"): every register supports
 * 32-bit accesses; byte accesses are supported only by the byte-per-interrupt registers
 * (IPRIORITYR, ITARGETSR, CPENDSGIR, SPENDSGIR); 64-bit accesses only by the 64-bit registers
 * (GICD_IROUTER, GICR_TYPER, GICR_PROPBASER, GICR_PENDBASER), whose 32-bit halves can also be
 * accessed on their own. Halfword accesses are never supported. Anything else is not a defined
 * access: like QEMU's model we reject it (external abort) rather than RAZ/WI, so a guest bug shows
 * up at the faulting instruction instead of as a silently lost write. Misaligned accesses
 * likewise. Reserved offsets are RAZ/WI whatever the width (they hold no register to misuse).
 */
/**
 * One guest access to a frame described by @t: 0, with *val set on reads, or -TERN_EINVAL for a
 * width the register does not allow or a misaligned access. Takes c->vm->vgic->lock, except for
 * reads of constant rows and accesses no handler serves. Inline: each frame's MMIO handler has
 * the lookup and the unlocked reads in itself, the rest is vgic_mmio_access_locked().
 */
static inline int vgic_mmio_access(const struct vgic_regs *t, struct vgic_mmio_ctx *c, u64 offset,
				   unsigned int size, bool write, u64 *val)
{
	const struct vgic_reg *r = vgic_mmio_find(t, offset);

	if (!r) {
		if (!write)
			*val = 0;
		return 0;
	}
	if (!(r->access & size) || !IS_ALIGNED(offset, size) ||
	    offset + size > (u64)r->offset + r->len)
		return -TERN_EINVAL;
	/*
	 * Constant registers (IIDR, TYPER, the ID registers) need no lock: they hold nothing a
	 * guest or another vCPU can change.
	 */
	if (!write && r->constant) {
		*val = vgic_mmio_row_read(c, r, offset, size);
		return 0;
	}
	if (write && r->write_direct && r->write_direct(c, r, offset, size, *val))
		return 0;
	return vgic_mmio_access_locked(r, c, offset, size, write, val);
}

/*
 * Generic handlers of the per-interrupt banks. A field reads as zero and ignores writes when its
 * INTID is not accessible through this frame: INTIDs 0-31 in the distributor (affinity routing
 * is on, their banked copies are in each redistributor), INTIDs past the implemented ones, and
 * SPIs the VM does not own (those writes are counted in vgic_dist.ignored_spi_writes, once per
 * access). Every change of a field calls vgic_irq_changed().
 */
vgic_read_fn vgic_mmio_read_group;
vgic_write_fn vgic_mmio_write_group;
vgic_read_fn vgic_mmio_read_enable;
vgic_write_fn vgic_mmio_write_senable;
vgic_write_fn vgic_mmio_write_cenable;
/*
 * ISENABLER / ICENABLER, the direct writes (Linux masks and unmasks an interrupt with them). The
 * bits are looked at without the lock first, each on its own: a write that finds its interrupt in
 * the state it asks for is the same as that write done at the moment of the look, whatever
 * another vCPU changes just after (the bits of one register are independent interrupts); a
 * write that changes nothing takes no lock. The interrupts that change are then changed under the
 * lock (looked at again there), as the bank's write handler does, and the vCPUs to kick kicked
 * after it; so is a set bit for an SPI the VM does not own (counted there).
 */
vgic_write_direct_fn vgic_mmio_write_senable_direct;
vgic_write_direct_fn vgic_mmio_write_cenable_direct;
/*
 * What vgic_mmio_enable_spis() does under the lock for @bits from the first one whose SPI (@irq)
 * changes or is not the VM's: what the bank's write handler does for them (an SPI the VM does
 * not own is counted), then the kicks. Returns 0.
 */
int vgic_mmio_enable_spis_locked(struct vm *vm, struct vgic_irq *irq, u32 spi0, u32 bits,
				 bool enabled);

/*
 * Their SPI part, for a distributor's direct path too: @bits of the ISENABLER/ICENABLER word whose
 * first SPI is @spi0 (INTID - 32, a multiple of 32) set to @enabled, the whole write done (returns
 * 0). Inline: a write that changes nothing takes no lock, frame or call.
 */
static inline int vgic_mmio_enable_spis(struct vm *vm, u32 spi0, u32 bits, bool enabled)
{
	const struct vgic_dist *d = vm->vgic;

	for (; bits; bits &= bits - 1) {
		u32 spi = spi0 + (u32)__builtin_ctz(bits);
		struct vgic_irq *irq;

		if (spi >= d->nr_spis)
			break; /* this one and the ones above: past the implemented SPIs, RAZ/WI */
		irq = &vm->vgic->spis[spi];
		if (!READ_ONCE(irq->owned) || READ_ONCE(irq->enabled) != enabled)
			return vgic_mmio_enable_spis_locked(vm, irq, spi0, bits, enabled);
	}
	return 0;
}
vgic_read_fn vgic_mmio_read_pending;
vgic_write_fn vgic_mmio_write_spending;
vgic_write_fn vgic_mmio_write_cpending;
vgic_read_fn vgic_mmio_read_active;
vgic_write_fn vgic_mmio_write_sactive;
vgic_write_fn vgic_mmio_write_cactive;
vgic_read_fn vgic_mmio_read_priority;
vgic_write_fn vgic_mmio_write_priority;
/* ICFGR: bit 1 of each 2-bit field is "edge"; SGIs are always edge (writes ignored). */
vgic_read_fn vgic_mmio_read_config;
vgic_write_fn vgic_mmio_write_config;
/* GICD_IROUTER<n>, 64 bits per INTID. */
vgic_read_fn vgic_mmio_read_irouter;
vgic_write_fn vgic_mmio_write_irouter;

/*
 * The identification registers of a frame, for a constant row of VGIC_IDREGS_LEN bytes at the
 * block's base (GICD_PIDR4, GICR_PIDR4; the GICv2 distributor's GICD_V2_PIDR4): PIDR2 is
 * VGIC_PIDR2 (ArchRev 3).
 */
vgic_read_fn vgic_mmio_read_idreg;
/* The word at @off in the block, with PIDR2 = @pidr2 (the GICv2 distributor has its own). */
u64 vgic_mmio_idreg(u64 off, u8 pidr2);

/*
 * Reset state of one interrupt, which must be on no ap_list: everything cleared but owned, hw and
 * hwintid (set up by the VM's devices); priority 0, group 0, level-sensitive except SGIs (edge).
 */
void vgic_mmio_reset_irq(struct vgic_irq *irq, u32 intid);

/*
 * The distributor state both models share back to reset: CTLR 0 (forwarding off), every SPI
 * implemented and in its reset state (vgic_mmio_reset_irq), the ignored-write count cleared.
 */
void vgic_mmio_reset_dist(struct vgic_dist *d);

/*
 * Back to the reset state, keeping the registrations and SPI ownership (VM reset): every vCPU
 * stopped, no interrupt on any ap_list. vgic_v3_redist_reset() also needs vcpu->vgic.
 */
void vgic_v3_dist_reset(struct vm *vm);
void vgic_v3_redist_reset(struct vcpu *vcpu);

#endif
