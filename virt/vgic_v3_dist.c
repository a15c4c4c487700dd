// SPDX-License-Identifier: GPL-2.0-only
/*
 * Emulated GICv3 distributor (Arm IHI 0069, 12.9): one 64 KiB frame at GUEST_GICD_BASE, as seen
 * by a guest in a single Security state (GICD_CTLR.DS = 1) with affinity routing always on
 * (ARE = 1). SPIs 32..VGIC_NR_INTIDS-1; the registers of INTIDs 0-31 are RAZ/WI here (each
 * redistributor has them), and so are the SPIs the VM does not own. No LPIs, no message-based
 * SPIs, no extended SPI range.
 */
#include <tern/compiler.h>
#include <tern/errno.h>
#include <tern/mmio.h>
#include <tern/page_alloc.h>
#include <tern/spinlock.h>
#include <tern/vm.h>
#include <virt/guest_map.h>
#include <virt/vgic.h>
#include <virt/vgic_mmio.h>

#define VGIC_DIST_ORDER (sizeof(struct vgic_dist) <= PAGE_SIZE ? 0U : 1U)
_Static_assert(sizeof(struct vgic_dist) <= (PAGE_SIZE << VGIC_DIST_ORDER),
	       "struct vgic_dist must fit its pages");
_Static_assert(VGIC_NR_INTIDS % 32 == 0 && VGIC_NR_INTIDS <= 1020, "ITLinesNumber");
_Static_assert(VM_MAX_VCPUS <= 8, "GICD_TYPER.CPUNumber has 3 bits");

/* GICD_CTLR.EnableGrp0/EnableGrp1 are the only bits stored. */
#define DIST_CTLR_WRITABLE (GICD_CTLR_ENABLE_G0 | GICD_CTLR_ENABLE_G1)

static u64 dist_read_ctlr(struct vgic_mmio_ctx *c, const struct vgic_reg *r, u64 offset,
			  unsigned int size)
{
	(void)r;
	(void)offset;
	(void)size;
	/* RWP (bit 31) reads 0: register writes take effect at once. */
	return (c->vm->vgic->ctlr & DIST_CTLR_WRITABLE) | GICD_CTLR_ARE | GICD_CTLR_DS;
}

static void dist_write_ctlr(struct vgic_mmio_ctx *c, const struct vgic_reg *r, u64 offset,
			    unsigned int size, u64 val)
{
	(void)r;
	(void)offset;
	(void)size;
	struct vgic_dist *d = c->vm->vgic;
	u32 old = d->ctlr;

	/* ARE and DS are fixed at 1, E1NWF and the rest RAZ/WI. */
	d->ctlr = (u32)val & DIST_CTLR_WRITABLE;
	if (d->ctlr != old)
		vgic_mmio_kick_all(c->vm);
}

static u64 dist_read_typer(struct vgic_mmio_ctx *c, const struct vgic_reg *r, u64 offset,
			   unsigned int size)
{
	(void)r;
	(void)offset;
	(void)size;
	unsigned int cpus = c->vm->nr_vcpus ? c->vm->nr_vcpus - 1 : 0;

	/*
	 * ITLinesNumber; CPUNumber; IDbits = 10 bits (INTIDs < 1024); No1N. SecurityExtn = 0 (one
	 * Security state), MBIS = LPIS = 0, A3V = 0 (every vCPU has Aff3 = 0), RSS = 0, ESPI = 0.
	 */
	return (VGIC_NR_INTIDS / 32 - 1) | ((u64)cpus << GICD_TYPER_CPUS_SHIFT) |
	       (9ULL << GICD_TYPER_ID_SHIFT) | GICD_TYPER_NO1N;
}

static u64 dist_read_iidr(struct vgic_mmio_ctx *c, const struct vgic_reg *r, u64 offset,
			  unsigned int size)
{
	(void)c;
	(void)r;
	(void)offset;
	(void)size;
	return VGIC_IIDR;
}

#define BANK(off, bits, acc, rd, wr) VGIC_REG(off, 1024 * (bits) / 8, bits, acc, rd, wr)
#define BANK_LR(off, rd, wr)	     VGIC_REG_LR(off, 1024 / 8, 1, VGIC_ACCESS_32, rd, wr)
#define REG32(off, rd, wr)	     VGIC_REG(off, 4, 0, VGIC_ACCESS_32, rd, wr)
#define RAZWI32(off, len)	     VGIC_REG(off, len, 0, VGIC_ACCESS_32, NULL, NULL)
#define B_W			     (VGIC_ACCESS_8 | VGIC_ACCESS_32)

/*
 * Sorted by offset. Banks span the architectural array (INTIDs 0-1023) so every offset of it gets
 * the width rules of its register; the INTIDs that are not accessible read as zero.
 */
static const struct vgic_reg dist_regs[] = {
	REG32(GICD_CTLR, dist_read_ctlr, dist_write_ctlr),
	VGIC_REG_CONST(GICD_TYPER, 4, VGIC_ACCESS_32, dist_read_typer),
	VGIC_REG_CONST(GICD_IIDR, 4, VGIC_ACCESS_32, dist_read_iidr),
	RAZWI32(GICD_TYPER2, 4),
	RAZWI32(GICD_STATUSR, 4),
	/* No message-based SPIs (TYPER.MBIS = 0): RAZ/WI. */
	RAZWI32(GICD_SETSPI_NSR, 4),
	RAZWI32(GICD_CLRSPI_NSR, 4),
	RAZWI32(GICD_SETSPI_SR, 4),
	RAZWI32(GICD_CLRSPI_SR, 4),
	BANK(GICD_IGROUPR, 1, VGIC_ACCESS_32, vgic_mmio_read_group, vgic_mmio_write_group),
	VGIC_REG_DIRECT(GICD_ISENABLER, 1024 / 8, 1, VGIC_ACCESS_32, vgic_mmio_read_enable,
			vgic_mmio_write_senable, vgic_mmio_write_senable_direct),
	VGIC_REG_DIRECT(GICD_ICENABLER, 1024 / 8, 1, VGIC_ACCESS_32, vgic_mmio_read_enable,
			vgic_mmio_write_cenable, vgic_mmio_write_cenable_direct),
	BANK(GICD_ISPENDR, 1, VGIC_ACCESS_32, vgic_mmio_read_pending, vgic_mmio_write_spending),
	BANK(GICD_ICPENDR, 1, VGIC_ACCESS_32, vgic_mmio_read_pending, vgic_mmio_write_cpending),
	BANK_LR(GICD_ISACTIVER, vgic_mmio_read_active, vgic_mmio_write_sactive),
	BANK_LR(GICD_ICACTIVER, vgic_mmio_read_active, vgic_mmio_write_cactive),
	BANK(GICD_IPRIORITYR, 8, B_W, vgic_mmio_read_priority, vgic_mmio_write_priority),
	/* Only used when ARE = 0. */
	BANK(GICD_ITARGETSR, 8, B_W, NULL, NULL),
	BANK(GICD_ICFGR, 2, VGIC_ACCESS_32, vgic_mmio_read_config, vgic_mmio_write_config),
	/* Single Security state: group modifiers and non-secure access control RAZ/WI. */
	BANK(GICD_IGRPMODR, 1, VGIC_ACCESS_32, NULL, NULL),
	BANK(GICD_NSACR, 2, VGIC_ACCESS_32, NULL, NULL),
	/* Legacy SGI registers: RAZ/WI with ARE = 1 (SGIs come from ICC_SGI1R_EL1). */
	RAZWI32(GICD_SGIR, 4),
	VGIC_REG(GICD_CPENDSGIR, 16, 8, B_W, NULL, NULL),
	VGIC_REG(GICD_SPENDSGIR, 16, 8, B_W, NULL, NULL),
	VGIC_REG(GICD_IROUTER, 8 * 1020, 64, VGIC_ACCESS_32 | VGIC_ACCESS_64,
		 vgic_mmio_read_irouter, vgic_mmio_write_irouter),
	VGIC_REG_CONST(GICD_PIDR4, VGIC_IDREGS_LEN, VGIC_ACCESS_32, vgic_mmio_read_idreg),
};

VGIC_REGS_DEFINE(vgic_v3_dist_table, dist_regs, VGIC_DIST_SIZE);

static VGIC_MMIO_HANDLER __noinline int dist_read_table(struct vm *vm, u64 offset,
							unsigned int size, u64 *val)
{
	struct vgic_mmio_ctx c = { .vm = vm };

	return vgic_mmio_access(&vgic_v3_dist_table, &c, offset, size, false, val);
}

/* The constant registers (TYPER, IIDR) from the VM's copy, the rest by the table. */
static int dist_read(struct vcpu *vcpu, void *priv, u64 offset, unsigned int size, u64 *val)
{
	struct vm *vm = priv;

	(void)vcpu;
	if (vgic_mmio_const_read(&vgic_v3_dist_table, vm->vgic->const_words, offset, size, val))
		return 0;
	return dist_read_table(vm, offset, size, val);
}

static VGIC_MMIO_HANDLER __noinline int dist_write_table(struct vm *vm, u64 offset,
							 unsigned int size, u64 val)
{
	struct vgic_mmio_ctx c = { .vm = vm };

	return vgic_mmio_access(&vgic_v3_dist_table, &c, offset, size, true, &val);
}

/*
 * A 32-bit write of an SPI word of ISENABLER or ICENABLER (Linux masks and unmasks an interrupt
 * with them) goes to vgic_mmio_enable_spis() directly, without the table's lookup; the rest by the
 * table (word 0 of each bank is the private INTIDs': RAZ/WI here).
 */
static int dist_write(struct vcpu *vcpu, void *priv, u64 offset, unsigned int size, u64 val)
{
	struct vm *vm = priv;
	u64 w = offset - GICD_ISENABLER;

	(void)vcpu;
	_Static_assert(GICD_ICENABLER == GICD_ISENABLER + 0x80,
		       "the two banks, one after the other");
	if (size == 4 && w < 0x100 && !(w & 3) && (w & 0x7C))
		return vgic_mmio_enable_spis(vm, (u32)(w & 0x7C) * 8 - VGIC_NR_PRIVATE, (u32)val,
					     w < 0x80);
	return dist_write_table(vm, offset, size, val);
}

static const struct mmio_ops dist_ops = {
	.read = dist_read,
	.write = dist_write,
};

/*
 * Reset values: CTLR = ARE | DS (both groups disabled); every SPI disabled, not pending or active,
 * Group 0 (IGROUPR resets to an IMPLEMENTATION DEFINED value; Linux writes it), priority 0,
 * level-sensitive, IROUTER 0 (Aff 0.0.0.0, vCPU 0).
 */
void vgic_v3_dist_reset(struct vm *vm)
{
	vgic_mmio_reset_dist(vm->vgic);
}

int vgic_v3_dist_init(struct vm *vm)
{
	struct vgic_dist *d;
	int err;

	if (vm->vgic)
		return -TERN_EEXIST;
	if (vgic_mmio_regs_init(&vgic_v3_dist_table))
		return -TERN_EINVAL; /* a bug in the table */
	d = page_zalloc(VGIC_DIST_ORDER);
	if (!d)
		return -TERN_ENOMEM;
	spin_lock_init(&d->lock);
	vm->vgic = d;
	vgic_v3_dist_reset(vm);
	vgic_mmio_const_fill(&vgic_v3_dist_table, &(struct vgic_mmio_ctx){ .vm = vm },
			     d->const_words);
	err = mmio_register(&vm->mmio, GUEST_GICD_BASE, VGIC_DIST_SIZE, &dist_ops, vm, "gicd");
	if (err) {
		vm->vgic = NULL;
		page_free((paddr_t)d, VGIC_DIST_ORDER);
	}
	return err;
}

void vgic_v3_dist_destroy(struct vm *vm)
{
	if (!vm->vgic)
		return;
	mmio_unregister(&vm->mmio, GUEST_GICD_BASE);
	page_free((paddr_t)vm->vgic, VGIC_DIST_ORDER);
	vm->vgic = NULL;
}
