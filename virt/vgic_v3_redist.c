// SPDX-License-Identifier: GPL-2.0-only
/*
 * Emulated GICv3 redistributors (Arm IHI 0069, 12.10 and 12.11): one 128 KiB frame pair per vCPU,
 * RD_base then SGI_base, contiguous from GUEST_GICR_BASE in vCPU order, all in one MMIO region.
 * They hold the banked SGIs and PPIs (INTIDs 0-31) of their vCPU. No LPIs (GICR_TYPER.PLPIS = 0),
 * so the LPI registers are RAZ/WI; a single Security state, so IGRPMODR0 and NSACR are RAZ/WI.
 */
#include <tern/compiler.h>
#include <tern/errno.h>
#include <tern/mmio.h>
#include <tern/page_alloc.h>
#include <tern/spinlock.h>
#include <tern/vcpu.h>
#include <tern/vm.h>
#include <virt/guest_map.h>
#include <virt/vgic.h>
#include <virt/vgic_mmio.h>

#define VGIC_CPU_ORDER (sizeof(struct vgic_cpu) <= PAGE_SIZE ? 0U : 1U)
_Static_assert(sizeof(struct vgic_cpu) <= (PAGE_SIZE << VGIC_CPU_ORDER),
	       "struct vgic_cpu must fit its pages");
_Static_assert(VM_MAX_VCPUS <= 16, "GICR_TYPER affinity: vCPU ids are Aff0 0-15");

static u64 redist_read_iidr(struct vgic_mmio_ctx *c, const struct vgic_reg *r, u64 offset,
			    unsigned int size)
{
	(void)c;
	(void)r;
	(void)offset;
	(void)size;
	return VGIC_IIDR;
}

/*
 * Affinity [63:32] = Aff3.Aff2.Aff1.Aff0 of the vCPU's MPIDR, Processor_Number [23:8] = vCPU id,
 * Last on the final frame (Linux walks the frames until it sees it). PLPIS, VLPIS, Dirty,
 * DirectLPI, DPGS, VSGI, PPInum and CommonLPIAff are 0.
 */
static u64 redist_read_typer(struct vgic_mmio_ctx *c, const struct vgic_reg *r, u64 offset,
			     unsigned int size)
{
	(void)r;
	(void)offset;
	(void)size;
	struct vm *vm = c->vm;
	u64 mpidr = c->vcpu->arch.vmpidr;
	u64 aff = (mpidr & GENMASK(23, 0)) | (((mpidr >> 32) & 0xFF) << 24);
	u64 val = (aff << GICR_TYPER_AFF_SHIFT) | ((u64)c->vcpu->id << GICR_TYPER_PROC_SHIFT);

	if (c->vcpu == vm->vcpus[vm->nr_vcpus - 1])
		val |= GICR_TYPER_LAST;
	return val;
}

static u64 redist_read_waker(struct vgic_mmio_ctx *c, const struct vgic_reg *r, u64 offset,
			     unsigned int size)
{
	(void)r;
	(void)offset;
	(void)size;
	return c->vcpu->vgic->waker & (GICR_WAKER_PROC_SLEEP | GICR_WAKER_CHILD_ASLEEP);
}

/* ProcessorSleep is writable; ChildrenAsleep follows it at once (no interface to quiesce). */
static void redist_write_waker(struct vgic_mmio_ctx *c, const struct vgic_reg *r, u64 offset,
			       unsigned int size, u64 val)
{
	(void)r;
	(void)offset;
	(void)size;
	c->vcpu->vgic->waker =
	    (val & GICR_WAKER_PROC_SLEEP) ? GICR_WAKER_PROC_SLEEP | GICR_WAKER_CHILD_ASLEEP : 0;
}

#define REG32(off, rd, wr)    VGIC_REG(off, 4, 0, VGIC_ACCESS_32, rd, wr)
#define REG64(off, rd, wr)    VGIC_REG(off, 8, 0, VGIC_ACCESS_32 | VGIC_ACCESS_64, rd, wr)
#define BANK0(off, rd, wr)    VGIC_REG(off, 4, 1, VGIC_ACCESS_32, rd, wr)
#define BANK0_LR(off, rd, wr) VGIC_REG_LR(off, 4, 1, VGIC_ACCESS_32, rd, wr)

/* One frame pair, sorted by offset; unlisted offsets are reserved (RAZ/WI). */
static const struct vgic_reg redist_regs[] = {
	/* RD_base. CTLR: EnableLPIs RAZ/WI (no LPIs), RWP/UWP read 0; nothing else to store. */
	REG32(GICR_CTLR, NULL, NULL),
	VGIC_REG_CONST(GICR_IIDR, 4, VGIC_ACCESS_32, redist_read_iidr),
	VGIC_REG_CONST(GICR_TYPER, 8, VGIC_ACCESS_32 | VGIC_ACCESS_64, redist_read_typer),
	REG32(GICR_STATUSR, NULL, NULL),
	REG32(GICR_WAKER, redist_read_waker, redist_write_waker),
	REG64(GICR_PROPBASER, NULL, NULL),
	REG64(GICR_PENDBASER, NULL, NULL),
	VGIC_REG_CONST(GICR_PIDR4, VGIC_IDREGS_LEN, VGIC_ACCESS_32, vgic_mmio_read_idreg),
	/* SGI_base */
	BANK0(GICR_IGROUPR0, vgic_mmio_read_group, vgic_mmio_write_group),
	VGIC_REG_DIRECT(GICR_ISENABLER0, 4, 1, VGIC_ACCESS_32, vgic_mmio_read_enable,
			vgic_mmio_write_senable, vgic_mmio_write_senable_direct),
	VGIC_REG_DIRECT(GICR_ICENABLER0, 4, 1, VGIC_ACCESS_32, vgic_mmio_read_enable,
			vgic_mmio_write_cenable, vgic_mmio_write_cenable_direct),
	BANK0(GICR_ISPENDR0, vgic_mmio_read_pending, vgic_mmio_write_spending),
	BANK0(GICR_ICPENDR0, vgic_mmio_read_pending, vgic_mmio_write_cpending),
	BANK0_LR(GICR_ISACTIVER0, vgic_mmio_read_active, vgic_mmio_write_sactive),
	BANK0_LR(GICR_ICACTIVER0, vgic_mmio_read_active, vgic_mmio_write_cactive),
	VGIC_REG(GICR_IPRIORITYR, 32, 8, VGIC_ACCESS_8 | VGIC_ACCESS_32, vgic_mmio_read_priority,
		 vgic_mmio_write_priority),
	/* ICFGR0 (SGIs, read-only edge) and ICFGR1 (PPIs, configurable). */
	VGIC_REG(GICR_ICFGR0, 8, 2, VGIC_ACCESS_32, vgic_mmio_read_config, vgic_mmio_write_config),
	REG32(GICR_IGRPMODR0, NULL, NULL),
	REG32(GICR_NSACR, NULL, NULL),
};

VGIC_REGS_DEFINE(vgic_v3_redist_table, redist_regs, VGIC_REDIST_SIZE);

/* The vCPU whose frame pair holds @offset; @offset becomes the offset inside it. */
static struct vcpu *redist_vcpu(struct vm *vm, u64 *offset)
{
	u64 idx = *offset / VGIC_REDIST_SIZE;
	struct vcpu *vcpu = idx < vm->nr_vcpus ? vm->vcpus[idx] : NULL;

	*offset %= VGIC_REDIST_SIZE;
	return vcpu && vcpu->vgic ? vcpu : NULL;
}

static VGIC_MMIO_HANDLER __noinline int redist_read_table(struct vm *vm, struct vcpu *vcpu,
							  u64 offset, unsigned int size, u64 *val)
{
	struct vgic_mmio_ctx c = { .vm = vm, .vcpu = vcpu };

	return vgic_mmio_access(&vgic_v3_redist_table, &c, offset, size, false, val);
}

/* The constant registers (IIDR, TYPER) from the frame's vCPU's copy, the rest by the table. */
static int redist_read(struct vcpu *vcpu, void *priv, u64 offset, unsigned int size, u64 *val)
{
	struct vm *vm = priv;
	struct vcpu *rd = redist_vcpu(vm, &offset);

	(void)vcpu;
	if (!rd)
		return -TERN_ENODEV;
	if (vgic_mmio_const_read(&vgic_v3_redist_table, rd->vgic->const_words, offset, size, val))
		return 0;
	return redist_read_table(vm, rd, offset, size, val);
}

static VGIC_MMIO_HANDLER int redist_write(struct vcpu *vcpu, void *priv, u64 offset,
					  unsigned int size, u64 val)
{
	(void)vcpu;
	struct vgic_mmio_ctx c = { .vm = priv };

	c.vcpu = redist_vcpu(c.vm, &offset);
	if (!c.vcpu)
		return -TERN_ENODEV;
	return vgic_mmio_access(&vgic_v3_redist_table, &c, offset, size, true, &val);
}

static const struct mmio_ops redist_ops = {
	.read = redist_read,
	.write = redist_write,
};

/*
 * Reset values: the redistributor asleep (WAKER.ProcessorSleep = ChildrenAsleep = 1), GICR_CTLR
 * 0; SGIs and PPIs disabled, Group 0, priority 0, not pending or active; SGIs edge-triggered,
 * PPIs level-sensitive.
 */
void vgic_v3_redist_reset(struct vcpu *vcpu)
{
	struct vgic_cpu *vc = vcpu->vgic;

	vc->gicr_ctlr = 0;
	vc->waker = GICR_WAKER_PROC_SLEEP | GICR_WAKER_CHILD_ASLEEP;
	for (unsigned int i = 0; i < VGIC_NR_PRIVATE; i++)
		vgic_mmio_reset_irq(&vc->priv[i], i);
}

/* Needs vgic_v3_dist_init() first (its lock covers the redistributors too). */
__cold int vgic_v3_redist_init(struct vm *vm)
{
	bool allocated[VM_MAX_VCPUS] = { false };
	unsigned int i;
	int err;

	if (!vm->vgic || !vm->nr_vcpus || vm->nr_vcpus > VM_MAX_VCPUS ||
	    vgic_mmio_regs_init(&vgic_v3_redist_table))
		return -TERN_EINVAL;
	for (i = 0; i < vm->nr_vcpus; i++) {
		struct vcpu *vcpu = vm->vcpus[i];

		if (!vcpu) {
			err = -TERN_EINVAL;
			goto undo;
		}
		if (!vcpu->vgic) {
			vcpu->vgic = page_zalloc(VGIC_CPU_ORDER);
			if (!vcpu->vgic) {
				err = -TERN_ENOMEM;
				goto undo;
			}
			allocated[i] = true;
		}
		vgic_v3_redist_reset(vcpu);
	}
	/* The constant registers once every vCPU has its frame (TYPER.Last names the final one). */
	for (i = 0; i < vm->nr_vcpus; i++)
		vgic_mmio_const_fill(&vgic_v3_redist_table,
				     &(struct vgic_mmio_ctx){ .vm = vm, .vcpu = vm->vcpus[i] },
				     vm->vcpus[i]->vgic->const_words);
	err = mmio_register(&vm->mmio, GUEST_GICR_BASE, vm->nr_vcpus * VGIC_REDIST_SIZE,
			    &redist_ops, vm, "gicr");
	if (!err)
		return 0;
undo:
	for (i = 0; i < vm->nr_vcpus; i++) {
		if (allocated[i]) {
			page_free((paddr_t)vm->vcpus[i]->vgic, VGIC_CPU_ORDER);
			vm->vcpus[i]->vgic = NULL;
		}
	}
	return err;
}

void vgic_v3_redist_destroy(struct vm *vm)
{
	mmio_unregister(&vm->mmio, GUEST_GICR_BASE);
	for (unsigned int i = 0; i < vm->nr_vcpus; i++) {
		struct vcpu *vcpu = vm->vcpus[i];

		if (vcpu && vcpu->vgic) {
			page_free((paddr_t)vcpu->vgic, VGIC_CPU_ORDER);
			vcpu->vgic = NULL;
		}
	}
}
