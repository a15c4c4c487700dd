/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef VIRT_VGIC_CORE_H
#define VIRT_VGIC_CORE_H

#include <tern/compiler.h>
#include <tern/sched.h>
#include <tern/types.h>
#include <tern/vcpu.h>

struct vm;
struct vcpu;
struct platform_irqchip;

#ifdef CONFIG_VIRT_IRQCHIP
#include <tern/vm.h>
#include <virt/vgic.h>

/*
 * The calling pCPU's virtual CPU interface (the list-register layer of the host interrupt
 * controller @ic) and its maintenance interrupt.
 */
int vgic_init_cpu(const struct platform_irqchip *ic);
/* The VM's guest sees its GIC CPU interface as ICC_* system registers (a GICv3 model). */
bool vgic_sysreg_cpuif(const struct vm *vm);
/* Back to reset state (VM reset); no vCPU of the VM may be loaded. */
void vgic_reset(struct vm *vm);
/* A device's SPI belongs to this VM: only such SPIs are visible to it. */
void vgic_claim_spi(struct vm *vm, u32 intid);
/* The device is gone: its SPI is lowered and no longer visible (RAZ/WI) to the VM. */
void vgic_release_spi(struct vm *vm, u32 intid);
/*
 * Around each guest entry on the loaded vCPU: list registers from/to the pending set. Inline on
 * the exit path: the list registers are only read back when the last entry put something in
 * them, and only filled again when something changed since (vgic_cpu.dirty).
 */
void vgic_flush_lrs(struct vcpu *vcpu);
void vgic_flush_new(struct vcpu *vcpu);
void vgic_sync_lrs(struct vcpu *vcpu);
static inline void vgic_flush(struct vcpu *vcpu)
{
	if (!vcpu->vgic)
		return;
	if (READ_ONCE(vcpu->vgic->dirty))
		vgic_flush_lrs(vcpu);
	else if (vcpu->vgic->lr_new)
		vgic_flush_new(vcpu);
}
/*
 * The list registers the fast paths filled behind the vGIC's back (the hardware-linked PPI's,
 * vgic_ppi_fast_inject; self-SGIs, vgic_sgi_fast): the vGIC takes each over (its state into the
 * interrupt's, the list register freed) before it reads or writes list registers itself.
 */
void vgic_fast_takeover(struct vcpu *vcpu);
#ifdef CONFIG_VGIC_FAST_PPI
/*
 * The same on a GICv3 host (virt/vgic_v3_fast.c), where only the fast paths fill such list
 * registers: when the guest took and ended every one (the common case), they are only counted,
 * without the lock; else vgic_fast_takeover().
 */
void vgic_v3_fast_takeover(struct vcpu *vcpu);
#else
static inline void vgic_v3_fast_takeover(struct vcpu *vcpu)
{
	vgic_fast_takeover(vcpu);
}
#endif
static inline void vgic_sync(struct vcpu *vcpu)
{
	if (!vcpu->vgic)
		return;
	if (vcpu->vgic->fast_lrs)
		vgic_v3_fast_takeover(vcpu);
	if (vcpu->vgic->used_lrs)
		vgic_sync_lrs(vcpu);
}
/* The list registers hold something, get something at the entry, or must be filled again. */
static inline bool vgic_lrs_busy(const struct vcpu *vcpu)
{
	const struct vgic_cpu *c = vcpu->vgic;

	return c && (c->used_lrs || c->lr_new || c->fast_lrs || READ_ONCE(c->dirty));
}
/*
 * A fast path's list register is in place (self-SGI, timer) and the flush has nothing to do
 * (nothing dirty, nothing injected straight to write): the list registers need nothing before
 * the entry, and the entry-work word's LOCAL bit must stay set (exit.c, exit_fast_return()).
 */
static inline bool vgic_only_fast_lrs(const struct vcpu *vcpu)
{
	const struct vgic_cpu *c = vcpu->vgic;

	return c && c->fast_lrs && !c->lr_new && !READ_ONCE(c->dirty);
}
/* Switching the vCPU on/off the pCPU. */
void vgic_load(struct vcpu *vcpu);
void vgic_put(struct vcpu *vcpu);
/* Something pending and enabled for @vcpu (WFI must not sleep). */
bool vgic_vcpu_pending(struct vcpu *vcpu);
/*
 * Nothing at all queued for @vcpu, not even in a list register injected straight: a hint
 * without the lock, which sched_block_unqueued() reads again under the run-queue lock.
 */
static inline bool vgic_vcpu_unqueued(const struct vcpu *vcpu)
{
	return !vcpu->vgic || (!READ_ONCE(vcpu->vgic->ap_list) && !vcpu->vgic->lr_new);
}
/* Put @vcpu to sleep (sched_block) unless an interrupt is pending for it; true if it sleeps. */
bool vgic_block_if_idle(struct vcpu *vcpu);
/* Pend a private interrupt (PPI) of @vcpu, e.g. a timer; @hw links it to physical @hwintid. */
void vgic_inject_ppi(struct vcpu *vcpu, u32 intid, bool level, bool hw, u32 hwintid);
/*
 * The physical @hwintid linked to @vcpu's PPI @intid fired (the virtual timer): as
 * vgic_inject_ppi(), and @intid gets the fast path (virt/vgic_fast.c) from now on: while the
 * vGIC holds it idle, it goes straight into a free list register, also from the exit vector.
 */
void vgic_inject_ppi_fast(struct vcpu *vcpu, u32 intid, u32 hwintid);
/*
 * The fast path itself: @vcpu runs on this pCPU (its exit path); writes the armed list register
 * @lr into a free one; false (nothing done) if there is none or an active-state access waits.
 */
bool vgic_ppi_fast_inject(struct vcpu *vcpu, u64 lr);
/*
 * A hardware-linked PPI of @vcpu the physical interrupt pended and the guest has not taken:
 * vgic_ppi_hw_pending() is an unlocked hint (false without a vGIC; inline: every exit asks),
 * vgic_ppi_hw_withdraw() drops the pend (the line went low before the guest took it) and returns
 * whether it did.
 */
static inline bool vgic_ppi_hw_pending(struct vcpu *vcpu, u32 intid)
{
	const struct vgic_irq *irq;

	if (!vcpu->vgic)
		return false;
	irq = &vcpu->vgic->priv[intid % VGIC_NR_PRIVATE];
	return READ_ONCE(irq->hw) && READ_ONCE(irq->pending_latch) && !READ_ONCE(irq->active);
}
bool vgic_ppi_hw_withdraw(struct vcpu *vcpu, u32 intid);
/* Log @vcpu's queued interrupts (sched_dump). */
void vgic_dump(struct vcpu *vcpu);
/* A trapped ICC_SGI1R/ASGI1R/SGI0R write. */
void vgic_send_sgi(struct vcpu *vcpu, u64 val, bool group0);
/*
 * Before a fast path's first list register since the vCPU's were synced: as the flush claims
 * them (vgic_cpu.lrs_live, announced before active_halts is looked at; vgic_active_prepare()
 * does the reverse); false, nothing claimed, while an active-state access is in progress.
 */
static inline bool vgic_fast_lrs_claim(struct vcpu *vcpu)
{
	struct vgic_cpu *c = vcpu->vgic;

	if (c->lrs_live)
		return true;
	__atomic_store_n(&c->lrs_live, true, __ATOMIC_SEQ_CST);
	if (unlikely(__atomic_load_n(&vcpu->vm->vgic->active_halts, __ATOMIC_SEQ_CST))) {
		__atomic_store_n(&c->lrs_live, false, __ATOMIC_SEQ_CST);
		return false;
	}
	return true;
}
#ifdef CONFIG_VGIC_FAST_PPI
/*
 * The self-SGI fast path (virt/vgic_v3_fast.c): an ICC_SGI1R_EL1 write @val of @vcpu, in its
 * own exit path, to itself alone, of an armed SGI, is put into a free list register; false
 * (nothing done) for any other write, or with no list register free. Inline, the look at the
 * routing fields: a write to other vCPUs costs only that.
 */
bool vgic_v3_sgi_fast(struct vcpu *vcpu, u64 val);
static inline bool vgic_sgi_fast(struct vcpu *vcpu, u64 val)
{
	return (val & ICC_SGI1R_ROUTE) == vcpu->vgic->sgi_self && vgic_v3_sgi_fast(vcpu, val);
}
#else
static inline bool vgic_sgi_fast(struct vcpu *vcpu, u64 val)
{
	(void)vcpu;
	(void)val;
	return false;
}
#endif
#else
static inline int vgic_init_cpu(const struct platform_irqchip *ic)
{
	(void)ic;
	return 0;
}
static inline bool vgic_sysreg_cpuif(const struct vm *vm)
{
	(void)vm;
	return false;
}
static inline void vgic_reset(struct vm *vm)
{
	(void)vm;
}
static inline void vgic_claim_spi(struct vm *vm, u32 intid)
{
	(void)vm;
	(void)intid;
}
static inline void vgic_release_spi(struct vm *vm, u32 intid)
{
	(void)vm;
	(void)intid;
}
static inline void vgic_flush(struct vcpu *vcpu)
{
	(void)vcpu;
}
static inline void vgic_sync(struct vcpu *vcpu)
{
	(void)vcpu;
}
static inline bool vgic_lrs_busy(const struct vcpu *vcpu)
{
	(void)vcpu;
	return false;
}
static inline bool vgic_only_fast_lrs(const struct vcpu *vcpu)
{
	(void)vcpu;
	return false;
}
static inline void vgic_load(struct vcpu *vcpu)
{
	(void)vcpu;
}
static inline void vgic_put(struct vcpu *vcpu)
{
	(void)vcpu;
}
static inline bool vgic_vcpu_pending(struct vcpu *vcpu)
{
	(void)vcpu;
	return false;
}
static inline bool vgic_vcpu_unqueued(const struct vcpu *vcpu)
{
	(void)vcpu;
	return true;
}
static inline bool vgic_block_if_idle(struct vcpu *vcpu)
{
	/* Without a vGIC nothing can be pending: only a timer deadline wakes it. */
	return sched_block(vcpu);
}
static inline void vgic_inject_ppi(struct vcpu *vcpu, u32 intid, bool level, bool hw, u32 hwintid)
{
	(void)vcpu;
	(void)intid;
	(void)level;
	(void)hw;
	(void)hwintid;
}
static inline bool vgic_ppi_hw_pending(struct vcpu *vcpu, u32 intid)
{
	(void)vcpu;
	(void)intid;
	return false;
}
static inline void vgic_inject_ppi_fast(struct vcpu *vcpu, u32 intid, u32 hwintid)
{
	(void)vcpu;
	(void)intid;
	(void)hwintid;
}
static inline bool vgic_ppi_hw_withdraw(struct vcpu *vcpu, u32 intid)
{
	(void)vcpu;
	(void)intid;
	return false;
}
static inline void vgic_dump(struct vcpu *vcpu)
{
	(void)vcpu;
}
static inline void vgic_send_sgi(struct vcpu *vcpu, u64 val, bool group0)
{
	(void)vcpu;
	(void)val;
	(void)group0;
}
static inline bool vgic_sgi_fast(struct vcpu *vcpu, u64 val)
{
	(void)vcpu;
	(void)val;
	return false;
}
#endif

#endif
