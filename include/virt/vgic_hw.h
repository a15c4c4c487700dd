/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef VIRT_VGIC_HW_H
#define VIRT_VGIC_HW_H

#include <tern/compiler.h>
#include <tern/types.h>

struct vgic_cpu;
struct platform_irqchip;

/*
 * The list-register layer: the hardware virtual CPU interface of the calling pCPU, one
 * implementation per host interrupt controller (GICv3: ICH_* system registers,
 * virt/vgic_hw_v3.c; GICv2: the GICH frame, virt/vgic_hw_v2.c), chosen at boot by the name of the
 * host driver discovery matched. The vGIC core speaks one list-register format, the GICv3 one
 * (ICH_LR<n>_EL2) below, and does not know which implementation turns it into hardware writes.
 */

/* List-register value (ICH_LR<n>_EL2 layout) */
#define ICH_LR_VINTID_MASK  0xFFFFFFFFUL
#define ICH_LR_PINTID_SHIFT 32
#define ICH_LR_EOI	    (1UL << 41)
/*
 * The sending vCPU of a GICv2 SGI (HW = 0; GICH_LR.CPUID). Bits [44:42] are RES0 in an ICH_LR
 * with HW = 0: the GICv3 implementation never writes them.
 */
#define VGIC_LR_SOURCE_SHIFT 42
#define VGIC_LR_SOURCE_MASK  (7UL << VGIC_LR_SOURCE_SHIFT)
#define ICH_LR_PRIO_SHIFT    48
#define ICH_LR_GROUP1	     (1UL << 60)
#define ICH_LR_HW	     (1UL << 61)
#define ICH_LR_STATE_SHIFT   62
#define ICH_LR_PENDING	     (1UL << 62)
#define ICH_LR_ACTIVE	     (1UL << 63)

/* Interface control (ICH_HCR_EL2; GICH_HCR has the same two bits) */
#define ICH_HCR_EN  (1UL << 0)
#define ICH_HCR_UIE (1UL << 1)
/* GICv3 only: traps of the guest's ICC_* accesses to EL2: common, Group 0 and Group 1 registers */
#define ICH_HCR_TC    (1UL << 10)
#define ICH_HCR_TALL0 (1UL << 11)
#define ICH_HCR_TALL1 (1UL << 12)

struct vgic_hw_ops {
	/** Name of the host interrupt-controller driver whose virtual interface this drives. */
	const char *irqchip;
	/** The calling pCPU's interface: find its list registers; 0 or a negative TERN_E*. */
	int (*init_cpu)(const struct platform_irqchip *ic);
	unsigned int (*nr_lrs)(void);
	u64 (*read_lr)(unsigned int n);
	void (*write_lr)(unsigned int n, u64 val);
	void (*write_hcr)(u64 val);
	/** VMCR and the active-priority registers, switched with the vCPU. */
	void (*save)(struct vgic_cpu *c);
	void (*restore)(const struct vgic_cpu *c);
	/**
	 * A vCPU without a vGIC is loaded (@on) or put: while it runs, the CPU interface must not
	 * be the guest's (GICv3: ICC_* accesses trap and are UNDEFINED). NULL when nothing is to
	 * be done (GICv2: the CPU interface is MMIO, which such a VM does not have mapped).
	 */
	void (*no_vgic)(bool on);
	/**
	 * The exit vector may take a hardware-linked PPI's interrupt itself (GICv3: the host's
	 * ICC_* registers, virt/vgic_v3_fast.c): the vGIC arms that fast path only then.
	 */
	bool fast_ppi;
};

/* Declare an implementation: "VGIC_HW(v3) = { ... };" (section vgic_hw_ops). */
#define VGIC_HW(id)                                                                                \
	static const struct vgic_hw_ops vgic_hw_##id;                                              \
	static const struct vgic_hw_ops *const vgic_hw_ptr_##id __used __section("vgic_hw_ops")    \
	    __aligned(sizeof(void *)) = &vgic_hw_##id;                                             \
	static const struct vgic_hw_ops vgic_hw_##id

extern const struct vgic_hw_ops *const __start_vgic_hw_ops[];
extern const struct vgic_hw_ops *const __stop_vgic_hw_ops[];

/** The implementation in use, NULL until vgic_hw_init_cpu() found one. */
extern const struct vgic_hw_ops *vgic_hw;

/**
 * The calling pCPU's virtual CPU interface: the implementation for the host interrupt controller
 * discovery found (@ic), set up. Every pCPU calls it, whether or not any VM has a vGIC.
 */
int vgic_hw_init_cpu(const struct platform_irqchip *ic);

static inline void vgic_hw_no_vgic(bool on)
{
	if (vgic_hw && vgic_hw->no_vgic)
		vgic_hw->no_vgic(on);
}

static inline unsigned int vgic_hw_nr_lrs(void)
{
	return vgic_hw->nr_lrs();
}

static inline u64 vgic_hw_read_lr(unsigned int n)
{
	return vgic_hw->read_lr(n);
}

static inline void vgic_hw_write_lr(unsigned int n, u64 val)
{
	vgic_hw->write_lr(n, val);
}

static inline void vgic_hw_write_hcr(u64 val)
{
	vgic_hw->write_hcr(val);
}

static inline void vgic_hw_save(struct vgic_cpu *c)
{
	vgic_hw->save(c);
}

static inline void vgic_hw_restore(const struct vgic_cpu *c)
{
	vgic_hw->restore(c);
}

#endif
