// SPDX-License-Identifier: GPL-2.0-only
/*
 * Emulated GICv2 distributor (Arm IHI 0048B, 4.3): one frame at GUEST_GICD_BASE, as a GIC
 * without the Security Extensions shows it. The registers of INTIDs 0-31 are banked: an access
 * reaches the calling vCPU's copies. SPIs 32..VGIC_NR_INTIDS-1, those the VM does not own RAZ/WI.
 * Table-driven like the GICv3 one (virt/vgic_mmio.c). GICv2 specifics:
 * - ITARGETSR: a byte per interrupt (byte access allowed); for SGIs and PPIs it reads as the
 *   calling vCPU's own bit, for an SPI it is the set of vCPUs it may go to (the first one takes
 * it).
 * - SGIs are pending per sending vCPU: GICD_SGIR (target list, all-but-self or self) sets the
 *   sender's bit, CPENDSGIR/SPENDSGIR clear and set them (a byte per SGI, a bit per sender), and
 *   ISPENDR0/ICPENDR0 cannot change an SGI's pending state.
 * The CPU interface is not here: the guest gets the host's GICV frame (virt/vgic_v2.c).
 */
#include <tern/compiler.h>
#include <tern/errno.h>
#include <tern/mmio.h>
#include <tern/vcpu.h>
#include <tern/vm.h>
#include <virt/vgic.h>
#include <virt/vgic_mmio.h>
#include <virt/vgic_v2.h>

_Static_assert(VM_MAX_VCPUS <= 8, "GICv2 has 8 CPU interfaces");

static u64 v2_read_ctlr(struct vgic_mmio_ctx *c, const struct vgic_reg *r, u64 offset,
			unsigned int size)
{
	(void)r;
	(void)offset;
	(void)size;
	return c->vm->vgic->ctlr & VGIC_V2_CTLR_WRITABLE;
}

static void v2_write_ctlr(struct vgic_mmio_ctx *c, const struct vgic_reg *r, u64 offset,
			  unsigned int size, u64 val)
{
	struct vgic_dist *d = c->vm->vgic;
	u32 old = d->ctlr;

	(void)r;
	(void)offset;
	(void)size;
	d->ctlr = (u32)val & VGIC_V2_CTLR_WRITABLE;
	if (d->ctlr != old)
		vgic_mmio_kick_all(c->vm);
}

/* ITLinesNumber, CPUNumber; SecurityExtn = 0, LSPI = 0. */
static u64 v2_read_typer(struct vgic_mmio_ctx *c, const struct vgic_reg *r, u64 offset,
			 unsigned int size)
{
	unsigned int cpus = c->vm->nr_vcpus ? c->vm->nr_vcpus - 1 : 0;

	(void)r;
	(void)offset;
	(void)size;
	return (VGIC_NR_INTIDS / 32 - 1) | ((u64)cpus << VGIC_V2_TYPER_CPUS_SHIFT);
}

static u64 v2_read_iidr(struct vgic_mmio_ctx *c, const struct vgic_reg *r, u64 offset,
			unsigned int size)
{
	(void)c;
	(void)r;
	(void)offset;
	(void)size;
	return VGIC_IIDR;
}

/* ISPENDR0 / ICPENDR0: the SGI bits are read-only (SPENDSGIR/CPENDSGIR set and clear them). */
static void v2_write_spending(struct vgic_mmio_ctx *c, const struct vgic_reg *r, u64 offset,
			      unsigned int size, u64 val)
{
	if (offset == r->offset)
		val &= ~0xFFFFULL;
	vgic_mmio_write_spending(c, r, offset, size, val);
}

static void v2_write_cpending(struct vgic_mmio_ctx *c, const struct vgic_reg *r, u64 offset,
			      unsigned int size, u64 val)
{
	if (offset == r->offset)
		val &= ~0xFFFFULL;
	vgic_mmio_write_cpending(c, r, offset, size, val);
}

/* The vCPUs a target byte may name (bits of vCPUs that do not exist read as zero). */
static u8 v2_vcpu_bits(const struct vm *vm)
{
	return (u8)((1U << vm->nr_vcpus) - 1);
}

static u64 v2_read_targets(struct vgic_mmio_ctx *c, const struct vgic_reg *r, u64 offset,
			   unsigned int size)
{
	u32 intid = (u32)(offset - r->offset);
	u64 val = 0;

	for (unsigned int i = 0; i < size; i++) {
		const struct vgic_irq *irq = vgic_mmio_irq(c, intid + i, NULL);
		u8 t = 0;

		if (irq && irq->intid < VGIC_NR_PRIVATE)
			t = (u8)(1U << c->vcpu->id);
		else if (irq)
			t = irq->targets;
		val |= (u64)t << (8 * i);
	}
	return val;
}

static void v2_write_targets(struct vgic_mmio_ctx *c, const struct vgic_reg *r, u64 offset,
			     unsigned int size, u64 val)
{
	u32 intid = (u32)(offset - r->offset);
	bool ignored = false;

	for (unsigned int i = 0; i < size; i++) {
		bool foreign = false;
		struct vgic_irq *irq = vgic_mmio_irq(c, intid + i, &foreign);
		u8 t = (u8)(val >> (8 * i)) & v2_vcpu_bits(c->vm);

		ignored |= foreign;
		/* Read-only for SGIs and PPIs. */
		if (!irq || irq->intid < VGIC_NR_PRIVATE || irq->targets == t)
			continue;
		irq->targets = t;
		vgic_irq_changed(c->vm, irq);
	}
	if (ignored)
		c->vm->vgic->ignored_spi_writes++;
}

/* Pend SGI @sgi from vCPU @src on @t. */
static void v2_pend_sgi(struct vm *vm, struct vcpu *t, unsigned int sgi, unsigned int src)
{
	struct vgic_irq *irq = &t->vgic->priv[sgi];

	irq->sgi_source |= (u16)(1U << src);
	irq->pending_latch = true;
	vgic_irq_changed(vm, irq);
}

static void v2_write_sgir(struct vgic_mmio_ctx *c, const struct vgic_reg *r, u64 offset,
			  unsigned int size, u64 val)
{
	struct vm *vm = c->vm;
	unsigned int self = c->vcpu->id;
	unsigned int sgi = (unsigned int)(val & VGIC_V2_SGIR_INTID);
	u8 targets;

	(void)r;
	(void)offset;
	(void)size;
	switch ((val >> VGIC_V2_SGIR_FILTER_SHIFT) & 3) {
	case VGIC_V2_SGIR_LIST:
		targets = (u8)(val >> VGIC_V2_SGIR_LIST_SHIFT);
		break;
	case VGIC_V2_SGIR_OTHERS:
		targets = (u8) ~(1U << self);
		break;
	case VGIC_V2_SGIR_SELF:
		targets = (u8)(1U << self);
		break;
	default: /* reserved: no SGI */
		return;
	}
	targets &= v2_vcpu_bits(vm);
	for (unsigned int i = 0; i < vm->nr_vcpus; i++) {
		if ((targets & (1U << i)) && vm->vcpus[i]->vgic)
			v2_pend_sgi(vm, vm->vcpus[i], sgi, self);
	}
}

/* CPENDSGIR / SPENDSGIR: byte n is SGI n's pending senders, on the calling vCPU. */
static u64 v2_read_sgi_pending(struct vgic_mmio_ctx *c, const struct vgic_reg *r, u64 offset,
			       unsigned int size)
{
	unsigned int first = (unsigned int)(offset - r->offset);
	u64 val = 0;

	for (unsigned int i = 0; i < size; i++)
		val |= (u64)(u8)c->vcpu->vgic->priv[first + i].sgi_source << (8 * i);
	return val;
}

static void v2_write_sgi_pending(struct vgic_mmio_ctx *c, const struct vgic_reg *r, u64 offset,
				 unsigned int size, u64 val, bool set)
{
	unsigned int first = (unsigned int)(offset - r->offset);

	for (unsigned int i = 0; i < size; i++) {
		struct vgic_irq *irq = &c->vcpu->vgic->priv[first + i];
		u8 bits = (u8)(val >> (8 * i)) & v2_vcpu_bits(c->vm);
		u16 old = irq->sgi_source;

		if (set)
			irq->sgi_source |= bits;
		else
			irq->sgi_source &= (u16)~bits;
		if (irq->sgi_source == old)
			continue;
		irq->pending_latch = irq->sgi_source != 0;
		vgic_irq_changed(c->vm, irq);
	}
}

static void v2_write_cpendsgir(struct vgic_mmio_ctx *c, const struct vgic_reg *r, u64 offset,
			       unsigned int size, u64 val)
{
	v2_write_sgi_pending(c, r, offset, size, val, false);
}

static void v2_write_spendsgir(struct vgic_mmio_ctx *c, const struct vgic_reg *r, u64 offset,
			       unsigned int size, u64 val)
{
	v2_write_sgi_pending(c, r, offset, size, val, true);
}

/* At 0xFD0-0xFFC of this 4 KiB frame; ICPIDR2.ArchRev = 2, the rest as the GICv3 model's. */
static u64 v2_read_idreg(struct vgic_mmio_ctx *c, const struct vgic_reg *r, u64 offset,
			 unsigned int size)
{
	(void)c;
	(void)size;
	return vgic_mmio_idreg(offset - r->offset, VGIC_V2_PIDR2);
}

#define BANK(off, bits, acc, rd, wr) VGIC_REG(off, 1024 * (bits) / 8, bits, acc, rd, wr)
#define BANK_LR(off, rd, wr)	     VGIC_REG_LR(off, 1024 / 8, 1, VGIC_ACCESS_32, rd, wr)
#define REG32(off, rd, wr)	     VGIC_REG(off, 4, 0, VGIC_ACCESS_32, rd, wr)
#define B_W			     (VGIC_ACCESS_8 | VGIC_ACCESS_32)

/* Sorted by offset; reserved offsets are RAZ/WI. */
static const struct vgic_reg vgic_v2_dist_regs[] = {
	REG32(GICD_CTLR, v2_read_ctlr, v2_write_ctlr),
	VGIC_REG_CONST(GICD_TYPER, 4, VGIC_ACCESS_32, v2_read_typer),
	VGIC_REG_CONST(GICD_IIDR, 4, VGIC_ACCESS_32, v2_read_iidr),
	BANK(GICD_IGROUPR, 1, VGIC_ACCESS_32, vgic_mmio_read_group, vgic_mmio_write_group),
	VGIC_REG_DIRECT(GICD_ISENABLER, 1024 / 8, 1, VGIC_ACCESS_32, vgic_mmio_read_enable,
			vgic_mmio_write_senable, vgic_mmio_write_senable_direct),
	VGIC_REG_DIRECT(GICD_ICENABLER, 1024 / 8, 1, VGIC_ACCESS_32, vgic_mmio_read_enable,
			vgic_mmio_write_cenable, vgic_mmio_write_cenable_direct),
	BANK(GICD_ISPENDR, 1, VGIC_ACCESS_32, vgic_mmio_read_pending, v2_write_spending),
	BANK(GICD_ICPENDR, 1, VGIC_ACCESS_32, vgic_mmio_read_pending, v2_write_cpending),
	BANK_LR(GICD_ISACTIVER, vgic_mmio_read_active, vgic_mmio_write_sactive),
	BANK_LR(GICD_ICACTIVER, vgic_mmio_read_active, vgic_mmio_write_cactive),
	BANK(GICD_IPRIORITYR, 8, B_W, vgic_mmio_read_priority, vgic_mmio_write_priority),
	BANK(GICD_ITARGETSR, 8, B_W, v2_read_targets, v2_write_targets),
	BANK(GICD_ICFGR, 2, VGIC_ACCESS_32, vgic_mmio_read_config, vgic_mmio_write_config),
	/* No Security Extensions: NSACR RAZ/WI. */
	BANK(GICD_NSACR, 2, VGIC_ACCESS_32, NULL, NULL),
	/* Write-only. */
	REG32(GICD_SGIR, NULL, v2_write_sgir),
	VGIC_REG(GICD_CPENDSGIR, 16, 8, B_W, v2_read_sgi_pending, v2_write_cpendsgir),
	VGIC_REG(GICD_SPENDSGIR, 16, 8, B_W, v2_read_sgi_pending, v2_write_spendsgir),
	VGIC_REG_CONST(GICD_V2_PIDR4, VGIC_IDREGS_LEN, VGIC_ACCESS_32, v2_read_idreg),
};

VGIC_REGS_DEFINE(vgic_v2_dist_table, vgic_v2_dist_regs, VGIC_DIST_SIZE);

static VGIC_MMIO_HANDLER __noinline int v2_dist_read_table(struct vm *vm, struct vcpu *vcpu,
							   u64 offset, unsigned int size, u64 *val)
{
	struct vgic_mmio_ctx c = { .vm = vm, .vcpu = vcpu };

	return vgic_mmio_access(&vgic_v2_dist_table, &c, offset, size, false, val);
}

/*
 * The calling vCPU's view: its banked SGIs and PPIs. The constant registers (TYPER, IIDR) from
 * the VM's copy, the rest by the table.
 */
static int v2_dist_read(struct vcpu *vcpu, void *priv, u64 offset, unsigned int size, u64 *val)
{
	struct vm *vm = priv;

	if (!vcpu || !vcpu->vgic)
		return -TERN_ENODEV;
	if (vgic_mmio_const_read(&vgic_v2_dist_table, vm->vgic->const_words, offset, size, val))
		return 0;
	return v2_dist_read_table(vm, vcpu, offset, size, val);
}

static VGIC_MMIO_HANDLER int v2_dist_write(struct vcpu *vcpu, void *priv, u64 offset,
					   unsigned int size, u64 val)
{
	struct vgic_mmio_ctx c = { .vm = priv, .vcpu = vcpu };

	if (!vcpu || !vcpu->vgic)
		return -TERN_ENODEV;
	return vgic_mmio_access(&vgic_v2_dist_table, &c, offset, size, true, &val);
}

const struct mmio_ops vgic_v2_dist_ops = {
	.read = v2_dist_read,
	.write = v2_dist_write,
};

/* The model's part of the core: routing to the first vCPU ITARGETSR names, SGIs per sender. */
static struct vcpu *vgic_v2_spi_target(struct vm *vm, const struct vgic_irq *irq)
{
	for (unsigned int i = 0; i < vm->nr_vcpus; i++) {
		if (irq->targets & (1U << i))
			return vm->vcpus[i];
	}
	return NULL;
}

const struct vgic_model vgic_v2_model = {
	.name = "gicv2",
	.reset = vgic_v2_dist_reset,
	.spi_target = vgic_v2_spi_target,
	.sgi_per_source = true,
	.sysreg_cpuif = false,
};

/*
 * Reset values: CTLR 0 (forwarding off); every interrupt disabled, not pending or active, Group
 * 0, priority 0, SPIs level-sensitive and targeting no vCPU (Linux writes ITARGETSR), SGIs edge.
 */
void vgic_v2_dist_reset(struct vm *vm)
{
	vgic_mmio_reset_dist(vm->vgic);
	for (unsigned int v = 0; v < vm->nr_vcpus; v++) {
		struct vgic_cpu *vc = vm->vcpus[v]->vgic;

		for (unsigned int i = 0; i < VGIC_NR_PRIVATE; i++)
			vgic_mmio_reset_irq(&vc->priv[i], i);
	}
}
