/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef VIRT_VGIC_H
#define VIRT_VGIC_H

#include <tern/spinlock.h>
#include <tern/vcpu.h>
#include <tern/types.h>

struct vm;
struct vcpu;

/* The guest's GIC: the QEMU-virt layout, whatever the host GIC is. */
#define VGIC_NR_PRIVATE	 32 /* SGIs 0-15, PPIs 16-31, banked per vCPU */
#define VGIC_NR_SPIS	 64 /* INTIDs 32-95: PL011 33, virtio-mmio slots 48-79 */
#define VGIC_NR_INTIDS	 (VGIC_NR_PRIVATE + VGIC_NR_SPIS)
#define VGIC_DIST_SIZE	 0x10000UL
#define VGIC_REDIST_SIZE 0x20000UL /* RD_base + SGI_base frames per vCPU */
#define VGIC_MAX_LRS	 16
#define VGIC_PRIO_BITS	 5 /* priority bits the virtual CPU interface implements (ICH_VTR) */
/* 32-bit words at the start of each frame whose constant registers have a copy (vgic_mmio.h). */
#define VGIC_CONST_WORDS 64
/* The maintenance PPI the guest DT names (QEMU virt's); the hardware's own comes from the DT. */
#define VGIC_GUEST_MAINT_INTID 25

/* ICC_SGI1R_EL1 (and ASGI1R/SGI0R): TargetList, Aff1, INTID, Aff2, IRM, RS, Aff3 (IHI 0069). */
#define ICC_SGI1R_TARGETS    0xFFFFUL
#define ICC_SGI1R_AFF1_SHIFT 16
#define ICC_SGI1R_INTID(val) (((val) >> 24) & 0xF)
#define ICC_SGI1R_AFF2_SHIFT 32
#define ICC_SGI1R_IRM	     (1UL << 40)
#define ICC_SGI1R_RS_SHIFT   44
#define ICC_SGI1R_AFF3_SHIFT 48
/* The fields that say who gets the SGI: everything but the INTID and the RES0 bits. */
#define ICC_SGI1R_ROUTE                                                                            \
	(0xFFUL << ICC_SGI1R_AFF3_SHIFT | 0xFUL << ICC_SGI1R_RS_SHIFT | ICC_SGI1R_IRM |            \
	 0xFFUL << ICC_SGI1R_AFF2_SHIFT | 0xFFUL << ICC_SGI1R_AFF1_SHIFT | ICC_SGI1R_TARGETS)

/*
 * One virtual interrupt. pending = pending_latch || (level-sensitive && line_level). While
 * pending or active it sits on its target vCPU's ap_list, sorted by priority, from where the
 * highest ones go into the list registers before each guest entry.
 */
struct vgic_irq {
	u32 intid;
	u8 priority;
	u8 group; /* 1 = Group 1 (all Linux uses); 0 = Group 0 */
	bool enabled;
	bool pending_latch; /* edge, or set through ISPENDR / an SGI */
	bool line_level;    /* the device's input line (level-sensitive interrupts) */
	bool active;
	bool edge;  /* ICFGR: edge-triggered (else level) */
	bool owned; /* an SPI of one of this VM's devices; others are RAZ/WI */
	bool hw;    /* linked to physical interrupt hwintid (deactivation goes through) */
	/*
	 * SGIs: armed for the self-SGI fast path, at priority fast_prio (virt/vgic.c,
	 * vgic_fast_arm_sgis(): set by the owner's pCPU, cleared by any change, under the lock).
	 */
	bool fast_armed;
	u8 fast_prio;
	u32 hwintid;
	u64 irouter;	     /* SPIs: GICD_IROUTER (Aff3.Aff2.Aff1.Aff0, IRM) */
	u8 targets;	     /* SPIs of a GICv2: GICD_ITARGETSR, one bit per vCPU */
	u8 active_source;    /* GICv2 SGIs: the sender whose instance is active */
	u16 sgi_source;	     /* SGIs: bitmap of sending vCPUs still to deliver */
	struct vcpu *target; /* vCPU whose ap_list holds it, or NULL */
	struct vgic_irq *ap_next;
	bool in_lr;
};

/*
 * What the vGIC core needs to know of the model a VM has (GICv2 or GICv3): how it resets, where
 * an SPI goes, how SGIs pend. The list registers underneath are another matter (virt/vgic_hw.h).
 */
struct vgic_model {
	const char *name;
	/** The distributor and every vCPU's banked interrupts to their reset state. */
	void (*reset)(struct vm *vm);
	/** The vCPU an SPI goes to now (see vgic_spi_target()). */
	struct vcpu *(*spi_target)(struct vm *vm, const struct vgic_irq *irq);
	/**
	 * SGIs pend once per sending vCPU and each is delivered with its sender (GICv2); else one
	 * pending state per SGI (GICv3 with affinity routing).
	 */
	bool sgi_per_source;
	/** The guest's CPU interface is the ICC_* system registers (GICv3). */
	bool sysreg_cpuif;
};

/* Distributor state of one VM, and the lock that covers the whole vGIC of that VM. */
struct vgic_dist {
	struct spinlock lock;
	const struct vgic_model *model;
	u32 ctlr;
	unsigned int nr_spis;
	struct vgic_irq spis[VGIC_NR_SPIS];
	/* Writes to SPIs the VM does not own: ignored silently, but counted. */
	u64 ignored_spi_writes;
	/* Active-state accesses in progress: no vCPU of the VM fills its list registers. */
	unsigned int active_halts;
	/* vCPU n has MPIDR affinity n (Aff0 n, Aff3-1 zero): SGI targets are vCPU indexes. */
	bool sgi_by_index;
	/* The distributor's constant registers among its first words (vgic_mmio_const_fill()). */
	u32 const_words[VGIC_CONST_WORDS];
};

/* Per-vCPU part: banked interrupts, the redistributor, and the saved virtual CPU interface. */
struct vgic_cpu {
	struct vgic_irq priv[VGIC_NR_PRIVATE];
	u32 gicr_ctlr;
	u32 waker;
	struct vgic_irq *ap_list;
	/* ICH_* state while the vCPU is not loaded. */
	u64 lr[VGIC_MAX_LRS];
	struct vgic_irq *lr_irq[VGIC_MAX_LRS];
	/*
	 * What a sync read back from the hardware before taking the lock (vgic_sync_lrs); here, not
	 * on the stack, which would cost that function its stack-protector canary at every sync.
	 */
	u64 lr_read[VGIC_MAX_LRS];
	unsigned int used_lrs;
	/* List registers that may be non-zero in the hardware (cleared lazily). */
	unsigned int hw_lrs;
	/*
	 * List registers filled in lr[] by an injection straight into a free one (vgic_lr_direct)
	 * and not yet written to the hardware: the next entry writes them, a sync before that
	 * takes them from lr[]. Only the vCPU's own pCPU touches it, with the vCPU loaded.
	 */
	u16 lr_new;
	u64 vmcr;
	u64 ap0r[4];
	u64 ap1r[4];
	u64 hcr;
	/* Physical active state of the host timer PPI linked to this vCPU's virtual timer. */
	bool vtimer_hw_active;
	/*
	 * That PPI may be active: it was active when the vCPU was loaded, or Tern acknowledged it
	 * since, the only way it becomes active: in vtimer_irq(), or in the IRQ exit's fast path,
	 * which leaves fast_lrs set until vgic_fast_takeover() sets this (or the lock-free
	 * vgic_v3_fast_takeover() finds the interrupt taken and ended: the guest's deactivation
	 * deactivated it). A put reads the active state through the redistributor only when this
	 * or fast_lrs is set (vtimer_put).
	 */
	bool vtimer_hw_maybe;
	/*
	 * The fast path of a hardware-linked PPI (the virtual timer's; virt/vgic.c,
	 * vgic_v3_fast.c): its INTID (0: none), the list register to write when its physical
	 * interrupt fires while the vCPU runs (0: disarmed; armed only while the vGIC holds that
	 * PPI idle, cleared under the lock by any change to it, from any pCPU), whether to look at
	 * arming it (or an SGI of fast_sgi_look) again (set by such a change), and the list
	 * registers holding injections of this fast path or the self-SGI one the vGIC has not
	 * taken over yet (a bit each; only the vCPU's own pCPU).
	 */
	u8 fast_ppi;
	bool fast_rearm;
	u64 fast_lr_val;
	u16 fast_lrs;
	/* The hardware list registers hold this vCPU's interrupts (from flush until sync). */
	bool lrs_live;
	/*
	 * What the list registers must hold may have changed since the last flush (an interrupt
	 * queued, changed or withdrawn, list registers synced, the interface turned off): set
	 * under the vGIC lock, from any pCPU, and cleared by the flush under it. The vCPU's own
	 * pCPU reads it without the lock before each entry: a change that races with that read
	 * kicks the vCPU (sched_kick), whose next entry sees it. Set through vgic_mark_dirty(),
	 * which also sets the vCPU's entry-work bit.
	 */
	bool dirty;
	/*
	 * The self-SGI fast path (vgic_sgi_fast; armed per SGI, vgic_irq.fast_armed): the SGIs the
	 * next sync or flush of the vCPU's own pCPU looks at arming (sent to itself through the
	 * slow path, or disarmed since; fast_rearm is set with them; vGIC lock), and the routing
	 * fields (ICC_SGI1R_ROUTE) of an ICC_SGI1R_EL1 write to this vCPU alone, set once its MPIDR
	 * is known.
	 */
	u16 fast_sgi_look;
	u64 sgi_self;
	/* The redistributor's constant registers among its first words (vgic_mmio_const_fill()). */
	u32 const_words[VGIC_CONST_WORDS];
};

/* The MMIO side (virt/vgic_v3_dist.c, virt/vgic_v3_redist.c): register the regions. */
int vgic_v3_dist_init(struct vm *vm);
int vgic_v3_redist_init(struct vm *vm);
/* Unregister the regions and free what the inits allocated (redistributors first). */
void vgic_v3_dist_destroy(struct vm *vm);
void vgic_v3_redist_destroy(struct vm *vm);

/* Lookup: an SPI of the VM or a private interrupt of @vcpu; NULL for an invalid INTID. */
struct vgic_irq *vgic_get_irq(struct vm *vm, struct vcpu *vcpu, u32 intid);

/*
 * After any change that can make @irq pending+enabled (or no longer), with the vGIC lock held:
 * put it on (or leave it for) the right vCPU's ap_list and kick that vCPU if needed.
 * Implemented by the vGIC core (virt/vgic.c).
 */
void vgic_irq_changed(struct vm *vm, struct vgic_irq *irq);

/*
 * Disarm @c's hardware-linked PPI fast path (vGIC lock held) and make its next entry look again
 * (a distributor-wide change, e.g. a group enabled or disabled).
 */
void vgic_fast_disarm(struct vcpu *vcpu);

/*
 * Around a guest access to the active state (the I[SC]ACTIVER banks), before the vGIC lock is
 * taken: every other vCPU of @vm syncs its list registers and stays out of the guest until
 * vgic_active_finish() (virt/vgic.c).
 */
void vgic_active_prepare(struct vm *vm);
void vgic_active_finish(struct vm *vm);

/*
 * The vCPU an SPI is routed to, as the VM's model says: GICv3, with GICD_IROUTER.IRM the VM's
 * first vCPU (every vCPU takes part in 1-of-N distribution), else the vCPU whose affinity
 * matches; GICv2, the first vCPU GICD_ITARGETSR names. NULL if none (the SPI then stays pending
 * and is delivered to nobody, as on hardware).
 */
struct vcpu *vgic_spi_target(struct vm *vm, const struct vgic_irq *irq);

/*
 * Whether every vCPU of @vm has MPIDR affinity equal to its index (vgic_dist.sgi_by_index), once
 * the vCPUs exist; their MPIDRs never change afterwards.
 */
void vgic_sgi_index_init(struct vm *vm);

/* The GICv3 model (virt/vgic_v3.c): the distributor and one redistributor per vCPU. */
int vgic_v3_create(struct vm *vm);
void vgic_v3_destroy(struct vm *vm);

static inline bool vgic_irq_pending(const struct vgic_irq *irq)
{
	return irq->pending_latch || (!irq->edge && irq->line_level);
}

/* @vcpu's list registers must be filled again before its next entry (vGIC lock held). */
static inline void vgic_mark_dirty(struct vcpu *vcpu)
{
	vcpu->vgic->dirty = true;
	vcpu_work_set(vcpu, VCPU_WORK_VGIC);
}

#endif
