// SPDX-License-Identifier: GPL-2.0-only
/*
 * vGICv3 core: each vCPU keeps its pending and active interrupts on an ap_list sorted by
 * priority; before every entry the highest ones go into the hardware list registers, after
 * every exit the list registers are read back. When more is pending than there are list
 * registers, the underflow maintenance interrupt brings the vCPU back to refill them (the
 * original fixed 4 LRs and had no maintenance interrupt). EOI and deactivation need no exit,
 * except for level-triggered emulated interrupts, whose line may still be high.
 * The whole vGIC of a VM is covered by vm->vgic->lock.
 */
#include <string.h>
#include <tern/compiler.h>
#include <tern/errno.h>
#include <tern/irq.h>
#include <tern/irqchip.h>
#include <tern/page_alloc.h>
#include <tern/percpu.h>
#include <tern/platform.h>
#include <tern/printk.h>
#include <tern/sched.h>
#include <tern/vcpu.h>
#include <tern/vm.h>
#include <virt/vgic.h>
#include <virt/vgic_core.h>
#include <virt/vgic_hw.h>
#include <virt/vgic_mmio.h>

/*
 * The maintenance interrupt (list registers underflowing, a level interrupt deactivated) only
 * has to bring the vCPU out: the exit path syncs and refills the list registers. It stays
 * asserted while ICH_HCR_EL2.En is set, so the handler turns the interface off until then.
 */
static void vgic_maint_irq(unsigned int intid, void *priv)
{
	struct vcpu *v = this_pcpu()->current_vcpu;

	(void)intid;
	(void)priv;
	if (v) {
		v->exit_count[EXIT_MAINT]++;
		if (v->vgic) {
			v->vgic->hcr = 0;
			vgic_mark_dirty(v); /* the next flush turns the interface on again */
		}
	}
	vgic_hw_write_hcr(0);
}

int vgic_init_cpu(const struct platform_irqchip *ic)
{
	/* vgic_hw_init_cpu() found no list registers for this interrupt controller. */
	if (!vgic_hw)
		return -TERN_ENODEV;
	return irq_request(ic->maint_intid, vgic_maint_irq, NULL);
}

void vgic_claim_spi(struct vm *vm, u32 intid)
{
	struct vgic_irq *irq = vgic_get_irq(vm, NULL, intid);

	if (irq && intid >= VGIC_NR_PRIVATE)
		irq->owned = true;
}

void vgic_release_spi(struct vm *vm, u32 intid)
{
	struct vgic_irq *irq = vgic_get_irq(vm, NULL, intid);

	if (!irq || intid < VGIC_NR_PRIVATE)
		return;
	spin_lock(&vm->vgic->lock);
	irq->line_level = false;
	irq->pending_latch = false;
	vgic_irq_changed(vm, irq);
	irq->owned = false;
	spin_unlock(&vm->vgic->lock);
	sched_kick_flush();
}

/* The vCPU whose banked copy @irq is (private INTIDs). */
static struct vcpu *vgic_private_owner(struct vm *vm, const struct vgic_irq *irq)
{
	for (unsigned int i = 0; i < vm->nr_vcpus; i++) {
		const struct vgic_cpu *c = vm->vcpus[i]->vgic;

		if (irq >= c->priv && irq < c->priv + VGIC_NR_PRIVATE)
			return vm->vcpus[i];
	}
	return NULL;
}

struct vcpu *vgic_spi_target(struct vm *vm, const struct vgic_irq *irq)
{
	return vm->vgic->model->spi_target(vm, irq);
}

bool vgic_sysreg_cpuif(const struct vm *vm)
{
	return vm->vgic && vm->vgic->model->sysreg_cpuif;
}

/* A GICv2 SGI: pending once per sender, each instance delivered with its sender. */
static bool vgic_sgi_per_source(const struct vm *vm, const struct vgic_irq *irq)
{
	return irq->intid < 16 && vm->vgic->model->sgi_per_source;
}

static bool vgic_group_enabled(const struct vm *vm, const struct vgic_irq *irq)
{
	return vm->vgic->ctlr & (irq->group ? 2U : 1U);
}

/* Deliverable: would be signalled to the vCPU interface now. */
static bool vgic_irq_deliverable(const struct vm *vm, const struct vgic_irq *irq)
{
	return vgic_irq_pending(irq) && irq->enabled && vgic_group_enabled(vm, irq);
}

static void vgic_ap_remove(struct vcpu *v, struct vgic_irq *irq)
{
	for (struct vgic_irq **pp = &v->vgic->ap_list; *pp; pp = &(*pp)->ap_next) {
		if (*pp == irq) {
			*pp = irq->ap_next;
			irq->ap_next = NULL;
			irq->target = NULL;
			vgic_mark_dirty(v);
			return;
		}
	}
}

static void vgic_ap_insert(struct vcpu *v, struct vgic_irq *irq)
{
	struct vgic_irq **pp = &v->vgic->ap_list;

	/* Stable by priority: equal priorities keep arrival order. */
	while (*pp && (*pp)->priority <= irq->priority)
		pp = &(*pp)->ap_next;
	irq->ap_next = *pp;
	*pp = irq;
	irq->target = v;
	vgic_mark_dirty(v);
}

/*
 * A VM reset: every interrupt back to its reset state, nothing pending or active anywhere, the
 * saved CPU interfaces cleared. No vCPU of the VM may be loaded (vm_do_reset makes sure).
 */
__cold void vgic_reset(struct vm *vm)
{
	if (!vm->vgic)
		return;
	spin_lock(&vm->vgic->lock);
	for (unsigned int i = 0; i < vm->nr_vcpus; i++) {
		struct vgic_cpu *c = vm->vcpus[i]->vgic;

		while (c->ap_list)
			vgic_ap_remove(vm->vcpus[i], c->ap_list);
		for (unsigned int n = 0; n < VGIC_MAX_LRS; n++) {
			c->lr[n] = 0;
			c->lr_irq[n] = NULL;
		}
		c->used_lrs = c->hw_lrs = 0;
		c->lr_new = 0;
		c->vmcr = c->hcr = 0;
		for (unsigned int n = 0; n < 4; n++)
			c->ap0r[n] = c->ap1r[n] = 0;
		c->vtimer_hw_active = false;
		c->fast_lr_val = 0;
		c->fast_lrs = 0;
		c->fast_rearm = true;
		for (unsigned int n = 0; n < 16; n++)
			c->priv[n].fast_armed = false;
		c->fast_sgi_look = 0;
		c->lrs_live = false;
		vgic_mark_dirty(vm->vcpus[i]);
	}
	vm->vgic->model->reset(vm);
	spin_unlock(&vm->vgic->lock);
}

static u64 vgic_lr_value(const struct vgic_irq *irq);
static bool vgic_lr_direct(struct vm *vm, struct vcpu *v, struct vgic_irq *irq);
static __noinline void vgic_fast_arm_look(struct vm *vm, struct vgic_cpu *c);
static __noinline void vgic_fast_disarm_priv(struct vm *vm, struct vgic_irq *irq);

/* Inline: every sync and flush asks; nothing changed since it was armed, or found not armable
 * for a lasting reason, is the common answer. */
static inline void vgic_fast_arm(struct vm *vm, struct vgic_cpu *c)
{
	if (unlikely(c->fast_rearm))
		vgic_fast_arm_look(vm, c);
}

/*
 * An armed SGI changes (vGIC lock held): the self-SGI fast path must not inject it any more,
 * and the next sync or flush looks at arming it again. Its vgic_cpu is the one whose priv[]
 * holds it. Out of line: vgic_irq_changed() stays lean for every other interrupt.
 */
static __noinline void vgic_fast_sgi_disarm(struct vgic_irq *irq)
{
	struct vgic_cpu *c = container_of(irq - irq->intid, struct vgic_cpu, priv[0]);

	WRITE_ONCE(irq->fast_armed, false);
	c->fast_sgi_look |= (u16)(1U << irq->intid);
	c->fast_rearm = true;
}

/*
 * vgic_irq_changed() with the vCPU whose banked copy a private @irq is, when the caller knows it
 * (an SGI's sender names its target), instead of looking for it among the VM's vCPUs; NULL to
 * look.
 */
static __noinline void vgic_irq_update(struct vm *vm, struct vgic_irq *irq, struct vcpu *owner)
{
	bool deliverable = vgic_irq_deliverable(vm, irq);
	struct vcpu *dest = irq->target;

	/* First of all: the fast path must not inject what changes here (see vgic_fast_arm). */
	if (unlikely(irq->hw) && irq->intid < VGIC_NR_PRIVATE)
		vgic_fast_disarm_priv(vm, irq);
	else if (unlikely(irq->fast_armed))
		vgic_fast_sgi_disarm(irq);

	/* Routed elsewhere (GICD_IROUTER) while queued and not held by its vCPU: requeue it. */
	if (dest && irq->intid >= VGIC_NR_PRIVATE && !irq->active && !irq->in_lr &&
	    vgic_spi_target(vm, irq) != dest) {
		vgic_ap_remove(dest, irq);
		dest = NULL;
	}
	if (dest) {
		/* Already queued (e.g. still active): its list register may have to change. */
		vgic_mark_dirty(dest);
		/* It leaves the queue only when nothing keeps it. */
		if (!deliverable && !irq->active && !irq->in_lr)
			vgic_ap_remove(dest, irq);
	} else {
		if (!deliverable && !irq->active)
			return;
		if (irq->intid >= VGIC_NR_PRIVATE)
			dest = vgic_spi_target(vm, irq);
		else
			dest = owner ? owner : vgic_private_owner(vm, irq);
		if (!dest)
			return;
		bool clean = !dest->vgic->dirty;

		vgic_ap_insert(dest, irq);
		if (deliverable && clean && vgic_lr_direct(vm, dest, irq))
			return; /* running here, in its exit path: nothing to kick */
	}
	/*
	 * Pending again while queued (an SGI re-sent while the last one is still active) must
	 * wake a sleeping target just as a new interrupt does.
	 */
	if (deliverable)
		sched_kick(dest);
}

void vgic_irq_changed(struct vm *vm, struct vgic_irq *irq)
{
	vgic_irq_update(vm, irq, NULL);
}

static u64 vgic_lr_value(const struct vgic_irq *irq)
{
	u64 lr = irq->intid | ((u64)irq->priority << ICH_LR_PRIO_SHIFT);

	if (irq->group)
		lr |= ICH_LR_GROUP1;
	if (vgic_irq_pending(irq) && irq->enabled)
		lr |= ICH_LR_PENDING;
	if (irq->active)
		lr |= ICH_LR_ACTIVE;
	if (irq->hw)
		lr |= ICH_LR_HW | ((u64)irq->hwintid << ICH_LR_PINTID_SHIFT);
	else if (!irq->edge)
		lr |= ICH_LR_EOI; /* level: come back on deactivation, the line may be high */
	return lr;
}

/*
 * Inject @irq, just queued on @v's ap_list and deliverable, straight into a free list register
 * (vGIC lock held): when @v is the vCPU this pCPU runs, so Tern is in its exit path and the
 * guest is not running, and its list registers hold everything else it has queued (it was not
 * dirty before @irq, and no underflow interrupt is asked: nothing waits for a list register).
 * The list register is written to the hardware at the next entry (lr_new), outside the lock;
 * nothing else of the flush is needed. A full flush before that entry (another pCPU queued
 * something meanwhile) first takes such list registers back as a sync would. Returns false,
 * leaving the vCPU dirty for the full flush, in every other case.
 */
static bool vgic_lr_direct(struct vm *vm, struct vcpu *v, struct vgic_irq *irq)
{
	struct vgic_cpu *c = v->vgic;
	unsigned int n = c->used_lrs;

	if (v != this_pcpu()->current_vcpu || READ_ONCE(v->state) != VCPU_RUNNING ||
	    c->hcr != ICH_HCR_EN || n >= vgic_hw_nr_lrs() || vgic_sgi_per_source(vm, irq) ||
	    c->fast_lrs)
		return false;
	if (!n) {
		/* As vgic_lrs_claim(), but under the lock: back off to the full flush instead. */
		__atomic_store_n(&c->lrs_live, true, __ATOMIC_SEQ_CST);
		if (__atomic_load_n(&vm->vgic->active_halts, __ATOMIC_SEQ_CST)) {
			__atomic_store_n(&c->lrs_live, false, __ATOMIC_SEQ_CST);
			return false;
		}
	}
	c->lr[n] = vgic_lr_value(irq);
	c->lr_irq[n] = irq;
	irq->in_lr = true;
	if (irq->edge || irq->hw)
		irq->pending_latch =
		    false; /* as the flush: the pend moves into the list register */
	c->used_lrs = n + 1;
	c->hw_lrs = MAX(c->hw_lrs, n + 1);
	c->lr_new |= (u16)(1U << n);
	c->dirty = false;
	vcpu_work_set(v, VCPU_WORK_VGIC); /* the list register goes in at the entry */
	return true;
}

/*
 * A GICv2 SGI goes into a list register one sender at a time (the register names one, CPUID):
 * the active instance with its sender, else the lowest pending sender. While other senders wait,
 * the EOI maintenance interrupt brings the vCPU back when this instance is deactivated.
 */
static u64 vgic_lr_sgi(struct vgic_irq *irq)
{
	u64 lr = irq->intid | ((u64)irq->priority << ICH_LR_PRIO_SHIFT);
	unsigned int src;
	bool pend;

	if (irq->group)
		lr |= ICH_LR_GROUP1;
	if (irq->active) {
		src = irq->active_source;
		lr |= ICH_LR_ACTIVE;
		pend = irq->enabled && (irq->sgi_source & (1U << src));
	} else {
		src = irq->sgi_source ? (unsigned int)__builtin_ctz(irq->sgi_source) : 0;
		pend = true;
	}
	if (pend) {
		lr |= ICH_LR_PENDING;
		irq->sgi_source &= (u16) ~(1U << src);
	}
	irq->pending_latch = irq->sgi_source != 0;
	if (irq->sgi_source)
		lr |= ICH_LR_EOI;
	return lr | ((u64)src << VGIC_LR_SOURCE_SHIFT);
}

/*
 * Guest accesses to the active state (GICD/GICR_I[SC]ACTIVER) of interrupts another vCPU may
 * hold in its list registers: while that vCPU runs, the list register and not struct vgic_irq
 * has the truth, and its next sync would overwrite whatever the access changed. As KVM's
 * vgic_access_active_prepare() does, every other vCPU of the VM with live list registers is
 * made to exit and sync them, and none re-enters until vgic_active_finish().
 */
void vgic_active_prepare(struct vm *vm)
{
	struct vcpu *self = this_pcpu()->current_vcpu;

	__atomic_add_fetch(&vm->vgic->active_halts, 1, __ATOMIC_SEQ_CST);
	for (unsigned int i = 0; i < vm->nr_vcpus; i++) {
		struct vcpu *v = vm->vcpus[i];

		if (v != self && __atomic_load_n(&v->vgic->lrs_live, __ATOMIC_SEQ_CST))
			sched_exit_guest(v);
	}
	for (unsigned int i = 0; i < vm->nr_vcpus; i++) {
		struct vcpu *v = vm->vcpus[i];

		while (v != self && __atomic_load_n(&v->vgic->lrs_live, __ATOMIC_SEQ_CST))
			cpu_relax();
	}
}

void vgic_active_finish(struct vm *vm)
{
	__atomic_sub_fetch(&vm->vgic->active_halts, 1, __ATOMIC_RELEASE);
	cpu_kick();
}

/*
 * Before filling list registers: announce them live, then back off while an active-state access
 * is in progress (vgic_active_prepare checks lrs_live after raising active_halts; one of the two
 * sides always sees the other).
 */
static void vgic_lrs_claim(struct vm *vm, struct vgic_cpu *c)
{
	for (;;) {
		__atomic_store_n(&c->lrs_live, true, __ATOMIC_SEQ_CST);
		if (!__atomic_load_n(&vm->vgic->active_halts, __ATOMIC_SEQ_CST))
			return;
		__atomic_store_n(&c->lrs_live, false, __ATOMIC_SEQ_CST);
		while (__atomic_load_n(&vm->vgic->active_halts, __ATOMIC_ACQUIRE))
			cpu_relax();
	}
}

void vgic_flush_lrs(struct vcpu *vcpu)
{
	struct vm *vm = vcpu->vm;
	struct vgic_cpu *c = vcpu->vgic;
	unsigned int nr = vgic_hw_nr_lrs();
	unsigned int used = 0;
	bool overflow = false;
	u64 hcr;

	/*
	 * Interrupts injected straight into list registers since the last exit (vgic_lr_direct)
	 * are taken back first, so that this flush starts from the synced state as usual: their
	 * pend moved into a list register that is rewritten below.
	 */
	vgic_sync(vcpu);
	/*
	 * Nothing pending or active (an interrupt was just taken and ended, say): clear what the
	 * hardware still holds without the lock, as before the dirty flag; the flag itself is
	 * only cleared under the lock, once there is nothing left to write. A racing injection
	 * from another pCPU kicks this one, so the next entry sees it.
	 */
	if (!READ_ONCE(c->ap_list)) {
		bool empty;

		if (c->hw_lrs || c->hcr != ICH_HCR_EN) {
			for (unsigned int i = 0; i < c->hw_lrs; i++)
				vgic_hw_write_lr(i, 0);
			c->lr_new = 0;
			c->hw_lrs = 0;
			c->used_lrs = 0;
			if (c->hcr != ICH_HCR_EN) {
				c->hcr = ICH_HCR_EN;
				vgic_hw_write_hcr(c->hcr);
			}
			return;
		}
		spin_lock(&vm->vgic->lock);
		empty = !c->ap_list;
		if (empty)
			c->dirty = false;
		vgic_fast_arm(vm, c);
		spin_unlock(&vm->vgic->lock);
		if (empty)
			return;
	}
	vgic_lrs_claim(vm, c);
	spin_lock(&vm->vgic->lock);
	/* Whatever changes from here on sets it again, under this lock. */
	c->dirty = false;
	for (struct vgic_irq *irq = c->ap_list; irq; irq = irq->ap_next) {
		if (!vgic_irq_deliverable(vm, irq) && !irq->active)
			continue;
		if (used == nr) {
			overflow = true;
			break;
		}
		c->lr_irq[used] = irq;
		irq->in_lr = true;
		if (vgic_sgi_per_source(vm, irq)) {
			c->lr[used] = vgic_lr_sgi(irq);
		} else {
			c->lr[used] = vgic_lr_value(irq);
			/* An edge pend (or a hardware one) moves into the list register. */
			if (irq->edge || irq->hw)
				irq->pending_latch = false;
		}
		used++;
	}
	vgic_fast_arm(vm, c);
	spin_unlock(&vm->vgic->lock);
	if (!used)
		__atomic_store_n(&c->lrs_live, false, __ATOMIC_RELEASE);
	for (unsigned int i = 0; i < MAX(used, c->hw_lrs); i++)
		vgic_hw_write_lr(i, i < used ? c->lr[i] : 0);
	c->lr_new = 0;
	c->hw_lrs = used;
	c->used_lrs = used;
	hcr = ICH_HCR_EN | (overflow ? ICH_HCR_UIE : 0);
	if (hcr != c->hcr) {
		c->hcr = hcr;
		vgic_hw_write_hcr(hcr);
	}
}

/* The list registers injected straight (vgic_lr_direct) into the hardware, before an entry. */
void vgic_flush_new(struct vcpu *vcpu)
{
	struct vgic_cpu *c = vcpu->vgic;

	while (c->lr_new) {
		unsigned int n = (unsigned int)__builtin_ctz(c->lr_new);

		c->lr_new &= (u16)(c->lr_new - 1);
		vgic_hw_write_lr(n, c->lr[n]);
	}
}

void vgic_sync_lrs(struct vcpu *vcpu)
{
	struct vm *vm = vcpu->vm;
	struct vgic_cpu *c = vcpu->vgic;
	u64 *hw = c ? c->lr_read : NULL;
	bool dirty, live = false;

	if (!c || !c->used_lrs)
		return;
	/*
	 * The hardware is read outside the lock (on QEMU each access takes its global lock); a
	 * list register injected straight and not written yet still has its value in lr[].
	 */
	for (unsigned int i = 0; i < c->used_lrs; i++)
		hw[i] = (c->lr_new & (1U << i)) ? c->lr[i] : vgic_hw_read_lr(i);
	c->lr_new = 0;
	spin_lock(&vm->vgic->lock);
	/* Set before (a change from elsewhere): it stays. Removals below set it: see the end. */
	dirty = c->dirty;
	for (unsigned int i = 0; i < c->used_lrs; i++) {
		struct vgic_irq *irq = c->lr_irq[i];
		u64 lr = hw[i];

		/* Handed over pending, no longer pending: the guest acknowledged it. */
		vcpu->irqs_taken += (c->lr[i] & ~lr & ICH_LR_PENDING) != 0;
		irq->in_lr = false;
		irq->active = lr & ICH_LR_ACTIVE;
		if (vgic_sgi_per_source(vm, irq)) {
			unsigned int src = (unsigned int)((c->lr[i] & VGIC_LR_SOURCE_MASK) >>
							  VGIC_LR_SOURCE_SHIFT);

			/* Not acknowledged yet: this sender's instance is pending again. */
			if (lr & ICH_LR_PENDING)
				irq->sgi_source |= (u16)(1U << src);
			if (irq->active)
				irq->active_source = (u8)src;
			irq->pending_latch = irq->sgi_source != 0;
		} else if (lr & ICH_LR_PENDING) {
			/* Not acknowledged yet: an edge pend goes back to the pending set. */
			if (irq->edge || irq->hw)
				irq->pending_latch = true;
		} else if (!irq->edge) {
			/* Acknowledging a level interrupt clears a software pend (ISPENDR). */
			irq->pending_latch = false;
		}
		if (!vgic_irq_deliverable(vm, irq) && !irq->active && irq->target)
			vgic_ap_remove(irq->target, irq);
		live |= (lr & (ICH_LR_PENDING | ICH_LR_ACTIVE)) != 0;
		c->lr_irq[i] = NULL;
	}
	c->used_lrs = 0;
	/*
	 * The next entry fills the list registers again if anything is queued (still pending or
	 * active, or waiting for a list register), or if one still holds a live state the guest
	 * must not see twice. When every interrupt was taken and ended (the common case: the guest
	 * handled it between two exits), they hold only invalid entries and nothing is queued:
	 * no flush is needed.
	 */
	c->dirty = dirty || live || c->ap_list;
	vgic_fast_arm(vm, c);
	spin_unlock(&vm->vgic->lock);
	__atomic_store_n(&c->lrs_live, false, __ATOMIC_RELEASE);
}

/*
 * List registers of this pCPU that may still hold a value (not 0) of the vCPU put last: a put
 * leaves them, with the interface off (ICH_HCR_EL2.En clear: nothing in them is signalled, and
 * a VM without a vGIC has every ICC_* access trapped), and the next vCPU's first flush writes
 * them (hw_lrs), most often with its own interrupts rather than twice, 0 and then its own.
 */
static unsigned int vgic_stale_lrs[CONFIG_MAX_PCPUS];

void vgic_load(struct vcpu *vcpu)
{
	struct vgic_cpu *c = vcpu->vgic;

	if (!c)
		return;
	vgic_hw_restore(c);
	c->hw_lrs = vgic_stale_lrs[this_pcpu()->id];
	/*
	 * The interface is off (put, or never on): the first entry turns it on and fills it.
	 * The fast path stays as it was: armed, nothing changed the PPI while the vCPU was out.
	 */
	vgic_mark_dirty(vcpu);
}

void vgic_put(struct vcpu *vcpu)
{
	struct vgic_cpu *c = vcpu->vgic;

	if (!c)
		return;
	/* A fast injection is taken over here, with the rest: nothing of the vCPU stays behind. */
	vgic_sync(vcpu);
	vgic_hw_save(c);
	vgic_stale_lrs[this_pcpu()->id] = c->hw_lrs;
	c->hw_lrs = 0;
	c->hcr = 0;
	vgic_hw_write_hcr(0);
}

bool vgic_vcpu_pending(struct vcpu *vcpu)
{
	struct vm *vm = vcpu->vm;
	bool pending = false;

	/* Empty: nothing pending (an injection racing with this kicks the vCPU's pCPU). */
	if (!vcpu->vgic || !READ_ONCE(vcpu->vgic->ap_list))
		return false;
	/* Injected straight into a list register the guest has not seen yet: pending. */
	if (vcpu->vgic->lr_new)
		return true;
	spin_lock(&vm->vgic->lock);
	for (struct vgic_irq *irq = vcpu->vgic->ap_list; irq && !pending; irq = irq->ap_next)
		pending = vgic_irq_deliverable(vm, irq);
	spin_unlock(&vm->vgic->lock);
	return pending;
}

bool vgic_block_if_idle(struct vcpu *vcpu)
{
	struct vm *vm = vcpu->vm;
	bool pending = false, blocked = false;

	/*
	 * Nothing queued (most WFIs: the guest took and ended what it had): the run-queue lock
	 * alone decides, looking at the queue again under it (sched_block_unqueued).
	 */
	if (vgic_vcpu_unqueued(vcpu))
		return sched_block_unqueued(vcpu);
	spin_lock(&vm->vgic->lock);
	/* As in vgic_vcpu_pending(): a list register injected straight is still to be seen. */
	pending = vcpu->vgic->lr_new != 0;
	for (struct vgic_irq *irq = vcpu->vgic->ap_list; irq && !pending; irq = irq->ap_next)
		pending = vgic_irq_deliverable(vm, irq);
	if (!pending)
		blocked = sched_block(vcpu);
	spin_unlock(&vm->vgic->lock);
	return blocked;
}

static void vgic_ppi_pend(struct vcpu *vcpu, u32 intid, bool level, bool hw, u32 hwintid, bool fast)
{
	struct vm *vm = vcpu->vm;
	struct vgic_irq *irq;

	if (!vcpu->vgic || intid < 16 || intid >= VGIC_NR_PRIVATE)
		return;
	irq = &vcpu->vgic->priv[intid];
	spin_lock(&vm->vgic->lock);
	if (fast && vcpu->vgic->fast_ppi != intid) {
		vcpu->vgic->fast_ppi = (u8)intid;
		vcpu->vgic->fast_rearm = true;
	}
	irq->hw = hw;
	irq->hwintid = hwintid;
	if (hw)
		irq->pending_latch = level; /* the physical interrupt fired: one delivery */
	else
		irq->line_level = level;
	vgic_irq_changed(vm, irq);
	spin_unlock(&vm->vgic->lock);
	/* A hardware-linked pend is looked at after every exit until taken (vtimer/vpmu_sync). */
	if (hw)
		vcpu_work_set(vcpu, VCPU_WORK_LOCAL);
	sched_kick_flush();
}

void vgic_inject_ppi(struct vcpu *vcpu, u32 intid, bool level, bool hw, u32 hwintid)
{
	vgic_ppi_pend(vcpu, intid, level, hw, hwintid, false);
}

/*
 * The hardware-linked PPI fast path. The virtual timer's interrupt is the one a guest takes
 * most often, and it only ever goes one way: the physical PPI fires, its list register is
 * written (hardware-linked: the guest's deactivation deactivates the physical PPI, which cannot
 * fire again before that), the guest takes it. While the vGIC holds that PPI idle (not queued,
 * not pending, not active) and deliverable the moment it pends (enabled, its group enabled),
 * that list register is known in advance: vgic_fast_arm() stores it in fast_lr_val, under the
 * vGIC lock, after every sync and flush of the vCPU's own pCPU. When the PPI fires,
 * vgic_ppi_fast_inject() writes it into a list register the vGIC does not use (from the exit
 * vector, virt/vgic_v3_fast.c, or from the timer's handler in the full exit) and nothing else:
 * the vGIC's view stays "idle", and fast_lrs remembers the list register. Before the vGIC reads
 * or writes list registers itself (every sync and flush, vgic_put), vgic_fast_takeover() takes
 * it over: taken and ended, it is just counted; still pending or active, that state moves into
 * the PPI (queued as any other) and the list register is cleared.
 * Any change to the PPI from the vGIC side (enable, priority, group, pend, active, a group of
 * the distributor, reset) goes through vgic_irq_changed() or vgic_fast_disarm(), which disarm
 * it first, under the lock; the next sync or flush of its own pCPU arms it again if it may be.
 * A put takes an injection over as any list register and leaves the armed value, which stays
 * true while the vCPU is out (only the loaded vCPU's is ever used).
 * One that races with an injection already under way on the vCPU's pCPU is ordered after it,
 * as a disable reaching a GIC after the interrupt was forwarded to the CPU interface is.
 */
/* Idle: the vGIC holds nothing of it (not queued, not pending, not active). */
static bool vgic_irq_idle(const struct vgic_irq *irq)
{
	return !irq->target && !vgic_irq_pending(irq) && !irq->active;
}

/* The hardware-linked PPI's part of the look; true once it need not be looked at again. */
static bool vgic_fast_arm_ppi(struct vm *vm, struct vgic_cpu *c)
{
	const struct vgic_irq *irq = &c->priv[c->fast_ppi];

	if (!c->fast_ppi)
		return true;
	/* Queued (its list register not synced yet, say): the sync that ends that looks again. */
	if (!vgic_irq_idle(irq))
		return false;
	/* These change only through vgic_irq_changed() or a distributor-wide disarm. */
	if (vgic_hw->fast_ppi && vm->vgic->model->sysreg_cpuif && irq->hw && irq->enabled &&
	    vgic_group_enabled(vm, irq))
		WRITE_ONCE(c->fast_lr_val, vgic_lr_value(irq) | ICH_LR_PENDING);
	return true;
}

/*
 * The self-SGI fast path (vgic_sgi_fast(), virt/vgic_v3_fast.c). Linux sends SGIs to the CPU
 * it runs on (irq_work, a function call or a reschedule for the local CPU): an ICC_SGI1R_EL1
 * write of a vCPU to itself alone (IRM 0, its own Aff3.Aff2.Aff1, range and TargetList bit,
 * nothing else) of an SGI armed (vgic_irq.fast_armed) needs nothing of the vGIC but its list
 * register, which goes into one the vGIC does not use, from the vCPU's own exit path, as the
 * hardware-linked PPI's does; the vGIC takes it over (vgic_fast_takeover()) before it reads or
 * writes list registers itself, and any change to the SGI from the vGIC side disarms it first
 * (vgic_irq_changed(), a distributor-wide disarm). An SGI is looked at once the vCPU sent it to
 * itself the slow way (vgic_sgi_pend()), and after each disarm: the look arms each one of
 * fast_sgi_look the vGIC holds idle if an ICC_SGI1R_EL1 write would make it deliverable at once
 * (enabled, Group 1, Group 1 enabled in the distributor; a GICv3 model, one pending state per
 * SGI, on a host with the GICv3 fast paths) and drops it from the look either way; one still
 * queued stays in it.
 */
static void vgic_fast_arm_sgis(struct vm *vm, struct vgic_cpu *c)
{
	const struct vgic_model *model = vm->vgic->model;
	bool may =
	    vgic_hw->fast_ppi && model->sysreg_cpuif && !model->sgi_per_source && c->sgi_self;

	for (u32 look = c->fast_sgi_look; look; look &= look - 1) {
		unsigned int i = (unsigned int)__builtin_ctz(look);
		struct vgic_irq *irq = &c->priv[i];

		if (!vgic_irq_idle(irq))
			continue;
		c->fast_sgi_look &= (u16) ~(1U << i);
		if (may && irq->enabled && irq->group && vgic_group_enabled(vm, irq)) {
			irq->fast_prio = irq->priority;
			WRITE_ONCE(irq->fast_armed, true);
		}
	}
}

static __noinline void vgic_fast_arm_look(struct vm *vm, struct vgic_cpu *c)
{
	bool ppi_done = vgic_fast_arm_ppi(vm, c);

	vgic_fast_arm_sgis(vm, c);
	c->fast_rearm = !ppi_done || c->fast_sgi_look;
}

void vgic_fast_disarm(struct vcpu *vcpu)
{
	struct vgic_cpu *c = vcpu->vgic;

	c->fast_rearm = true;
	for (unsigned int i = 0; i < 16; i++) {
		if (c->priv[i].fast_armed) {
			WRITE_ONCE(c->priv[i].fast_armed, false);
			c->fast_sgi_look |= (u16)(1U << i);
		}
	}
	if (!c->fast_lr_val)
		return;
	WRITE_ONCE(c->fast_lr_val, 0);
	vgic_mark_dirty(vcpu); /* its next entry looks again (vgic_flush_lrs arms it if it may) */
}

/* Out of line: vgic_irq_changed() stays lean for every other interrupt. */
static __noinline void vgic_fast_disarm_priv(struct vm *vm, struct vgic_irq *irq)
{
	struct vcpu *v = vgic_private_owner(vm, irq);

	if (v)
		vgic_fast_disarm(v);
}

bool vgic_ppi_fast_inject(struct vcpu *vcpu, u64 lr)
{
	struct vgic_cpu *c = vcpu->vgic;
	unsigned int n;

	if (c->fast_lrs) {
		/*
		 * Injected before and not taken over since (no exit in between): the physical PPI
		 * fired again, so the guest deactivated that one. Reused.
		 */
		n = (unsigned int)__builtin_ctz(c->fast_lrs);
		if (vgic_hw_read_lr(n) & (ICH_LR_PENDING | ICH_LR_ACTIVE))
			return false;
		vcpu->irqs_taken++;
	} else {
		/* The vGIC's list registers are 0 .. hw_lrs - 1; from there on they are zero. */
		n = c->hw_lrs;
		if (n >= vgic_hw_nr_lrs() || c->hcr != ICH_HCR_EN || !vgic_fast_lrs_claim(vcpu))
			return false;
		c->fast_lrs = (u16)(1U << n);
	}
	vgic_hw_write_lr(n, lr);
	/* The next exit takes it over before anything else (vgic_sync, on the exit path). */
	vcpu_work_set(vcpu, VCPU_WORK_LOCAL);
	return true;
}

void vgic_fast_takeover(struct vcpu *vcpu)
{
	struct vm *vm = vcpu->vm;
	struct vgic_cpu *c = vcpu->vgic;
	u32 lrs = c->fast_lrs;

	c->fast_lrs = 0;
	c->vtimer_hw_maybe = true; /* the timer's physical twin may be acknowledged (vtimer_put) */
	for (; lrs; lrs &= lrs - 1) {
		unsigned int n = (unsigned int)__builtin_ctz(lrs);
		u64 lr = vgic_hw_read_lr(n);
		struct vgic_irq *irq;

		/* No longer pending: the guest took it. */
		vcpu->irqs_taken += !(lr & ICH_LR_PENDING);
		if (!(lr & (ICH_LR_PENDING | ICH_LR_ACTIVE)))
			continue;
		vgic_hw_write_lr(n, 0);
		irq = &c->priv[(lr & ICH_LR_VINTID_MASK) % VGIC_NR_PRIVATE];
		spin_lock(&vm->vgic->lock);
		if (lr & ICH_LR_PENDING)
			irq->pending_latch = true;
		if (lr & ICH_LR_ACTIVE)
			irq->active = true;
		vgic_irq_changed(vm, irq);
		spin_unlock(&vm->vgic->lock);
		sched_kick_flush();
	}
	/* As at the end of vgic_sync_lrs(): these list registers no longer hold anything live. */
	if (!c->used_lrs)
		__atomic_store_n(&c->lrs_live, false, __ATOMIC_RELEASE);
}

void vgic_inject_ppi_fast(struct vcpu *vcpu, u32 intid, u32 hwintid)
{
	struct vgic_cpu *c = vcpu->vgic;
	u64 lr = c ? READ_ONCE(c->fast_lr_val) : 0;

	/* Only in the vCPU's own exit path (as vgic_lr_direct): not for a vCPU asleep here. */
	if (lr && (lr & ICH_LR_VINTID_MASK) == intid && vcpu == this_pcpu()->current_vcpu &&
	    READ_ONCE(vcpu->state) == VCPU_RUNNING && vgic_ppi_fast_inject(vcpu, lr))
		return;
	vgic_ppi_pend(vcpu, intid, true, true, hwintid, true);
}

bool vgic_ppi_hw_withdraw(struct vcpu *vcpu, u32 intid)
{
	struct vm *vm = vcpu->vm;
	struct vgic_irq *irq;
	bool withdrawn = false;

	if (!vcpu->vgic || intid < 16 || intid >= VGIC_NR_PRIVATE)
		return false;
	irq = &vcpu->vgic->priv[intid];
	spin_lock(&vm->vgic->lock);
	if (irq->hw && irq->pending_latch && !irq->active && !irq->in_lr) {
		irq->pending_latch = false;
		vgic_irq_changed(vm, irq);
		withdrawn = true;
	}
	spin_unlock(&vm->vgic->lock);
	sched_kick_flush();
	return withdrawn;
}

__cold void vgic_sgi_index_init(struct vm *vm)
{
	bool by_index = true;

	for (unsigned int i = 0; i < vm->nr_vcpus; i++) {
		u64 mpidr = vm->vcpus[i]->arch.vmpidr & MPIDR_HWID_MASK;
		u64 aff0 = mpidr & 0xFF;

		by_index &= mpidr == i;
		/* The routing fields of an ICC_SGI1R_EL1 write to this vCPU alone. */
		vm->vcpus[i]->vgic->sgi_self = (mpidr >> 32 & 0xFF) << ICC_SGI1R_AFF3_SHIFT |
					       (aff0 >> 4) << ICC_SGI1R_RS_SHIFT |
					       (mpidr >> 16 & 0xFF) << ICC_SGI1R_AFF2_SHIFT |
					       (mpidr >> 8 & 0xFF) << ICC_SGI1R_AFF1_SHIFT |
					       1UL << (aff0 & 0xF);
	}
	vm->vgic->sgi_by_index = by_index;
}

/* SGI @intid from @src to @t, of the group the write generates (vGIC lock held). */
static inline __attribute__((always_inline)) void
vgic_sgi_pend(struct vm *vm, struct vcpu *src, struct vcpu *t, u32 intid, bool group0)
{
	struct vgic_irq *irq = &t->vgic->priv[intid];

	/* An SGI of the other group than the one the write generates is not sent. */
	if (irq->group == group0)
		return;
	irq->pending_latch = true;
	irq->sgi_source |= (u16)(1U << src->id);
	vgic_irq_update(vm, irq, t);
}

_Static_assert(VM_MAX_VCPUS < 64, "SGI targets: a u64 bitmap of vCPU indexes");

/*
 * The vCPUs an ICC_SGI1R_EL1 write @val of @vcpu names, as a bitmap of vCPU indexes: IRM 1 every
 * other vCPU, else those whose MPIDR has the write's Aff3.Aff2.Aff1, Aff0 / 16 = RS and its bit
 * in TargetList. Whatever the fields of a hostile write, only this VM's vCPUs are named. No lock:
 * a vCPU's MPIDR never changes.
 */
static u64 vgic_sgi_targets(const struct vm *vm, const struct vcpu *vcpu, u64 val)
{
	u64 all = (1ULL << vm->nr_vcpus) - 1, aff321, targets = 0;
	unsigned int rs = (val >> ICC_SGI1R_RS_SHIFT) & 0xF;

	if (val & ICC_SGI1R_IRM)
		return all & ~(1ULL << vcpu->id);
	if (vm->vgic->sgi_by_index) {
		/*
		 * vCPU n has MPIDR Aff0 n, Aff3-1 zero: the TargetList's bits (Aff0 RS * 16 + bit)
		 * are vCPU indexes, taken whole instead of comparing every vCPU.
		 */
		if (val & (ICC_SGI1R_ROUTE &
			   ~(ICC_SGI1R_TARGETS | ICC_SGI1R_IRM | 0xFUL << ICC_SGI1R_RS_SHIFT)) ||
		    rs * 16 >= vm->nr_vcpus)
			return 0;
		return ((val & ICC_SGI1R_TARGETS) << (rs * 16)) & all;
	}
	aff321 =
	    ((val >> 48) & 0xFF) << 32 | ((val >> 32) & 0xFF) << 16 | ((val >> 16) & 0xFF) << 8;
	for (unsigned int i = 0; i < vm->nr_vcpus; i++) {
		u64 mpidr = vm->vcpus[i]->arch.vmpidr & MPIDR_HWID_MASK;
		unsigned int aff0 = mpidr & 0xFF;

		if ((mpidr & ~0xFFUL) == aff321 && aff0 / 16 == rs && (val & (1UL << (aff0 % 16))))
			targets |= 1ULL << i;
	}
	return targets;
}

/*
 * The targets are found before the vGIC lock is taken, and each named vCPU is the owner of the
 * SGI's banked copy it gets (vgic_irq_update()): a send costs the vCPUs it names, not the VM's.
 */
void vgic_send_sgi(struct vcpu *vcpu, u64 val, bool group0)
{
	struct vm *vm = vcpu->vm;
	u32 intid = ICC_SGI1R_INTID(val);
	u64 targets;

	/* Only a model with a system-register CPU interface gets these. */
	if (!vgic_sysreg_cpuif(vm))
		return;
	targets = vgic_sgi_targets(vm, vcpu, val);
	if (!targets)
		return;
	spin_lock(&vm->vgic->lock);
	for (u64 left = targets; left; left &= left - 1)
		vgic_sgi_pend(vm, vcpu, vm->vcpus[__builtin_ctzll(left)], intid, group0);
	/* Sent to itself: it may well be again, the fast path looks at it once it is idle. */
	if (unlikely(targets & (1ULL << vcpu->id)) && !group0) {
		vcpu->vgic->fast_sgi_look |= (u16)(1U << intid);
		vcpu->vgic->fast_rearm = true;
	}
	spin_unlock(&vm->vgic->lock);
	sched_kick_flush();
}

/* Device models raise their SPI through these (virtio with the kick deferred, see vm.h). */
void vm_irq_set_level_deferred(struct vm *vm, u32 intid, bool level)
{
	struct vgic_irq *irq;

	if (!vm->vgic)
		return;
	irq = vgic_get_irq(vm, NULL, intid);
	if (!irq || !irq->owned)
		return;
	spin_lock(&vm->vgic->lock);
	if (irq->edge && level && !irq->line_level)
		irq->pending_latch = true;
	irq->line_level = level;
	vgic_irq_changed(vm, irq);
	spin_unlock(&vm->vgic->lock);
}

void vm_irq_set_level(struct vm *vm, u32 intid, bool level)
{
	vm_irq_set_level_deferred(vm, intid, level);
	sched_kick_flush();
}
