/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef GUEST_GIC_H
#define GUEST_GIC_H

/*
 * GICv3 driver for the test guests: the QEMU virt map (distributor at 0x08000000, redistributor
 * frames from 0x080A0000), the system-register CPU interface, Group 1 only, EOImode 0. IRQs are
 * taken through gic_vectors, a table that handles "IRQ, current EL with SP_ELx" itself and branches
 * to crt0's el1_vectors for every other entry, so the library's exception handling is unchanged.
 */

#include "libguest.h"

#define GICD_BASE	    0x08000000UL
#define GICR_BASE	    0x080A0000UL
#define GICR_REGION_SIZE    0x00F60000UL /* QEMU virt's first redistributor region */
#define GICR_FRAME_SIZE	    0x20000UL	 /* RD_base + SGI_base */
#define GICR_SGI_OFFSET	    0x10000UL
#define GICR_VLPI_FRAME_EXT 0x20000UL /* VLPI_base + reserved, when GICR_TYPER.VLPIS */

/* Distributor */
#define GICD_CTLR		0x0000
#define GICD_TYPER		0x0004
#define GICD_IIDR		0x0008
#define GICD_IGROUPR(n)		(0x0080 + 4 * (n))
#define GICD_ISENABLER(n)	(0x0100 + 4 * (n))
#define GICD_ICENABLER(n)	(0x0180 + 4 * (n))
#define GICD_ISPENDR(n)		(0x0200 + 4 * (n))
#define GICD_ICPENDR(n)		(0x0280 + 4 * (n))
#define GICD_ISACTIVER(n)	(0x0300 + 4 * (n))
#define GICD_ICACTIVER(n)	(0x0380 + 4 * (n))
#define GICD_IPRIORITYR		0x0400 /* byte per INTID */
#define GICD_ICFGR(n)		(0x0C00 + 4 * (n))
#define GICD_IROUTER(n)		(0x6000 + 8 * (n))
#define GICD_PIDR2		0xFFE8
#define GICD_CTLR_ENABLE_G0_G1	(1U << 0) /* EnableGrp0 (DS=1) / EnableGrp1 (Non-secure view) */
#define GICD_CTLR_ENABLE_G1_G1A (1U << 1) /* EnableGrp1 (DS=1) / EnableGrp1A (Non-secure view) */
#define GICD_CTLR_ARE		(1U << 4)
#define GICD_CTLR_DS		(1U << 6)
#define GICD_CTLR_RWP		(1U << 31)
#define GICD_TYPER_ITLINES(t)	FIELD(t, 4, 0)
#define GICD_TYPER_CPUS(t)	FIELD(t, 7, 5)
#define GIC_PIDR2_ARCHREV(p)	FIELD(p, 7, 4)

/* GICv2 (gic_v2.c): the distributor's extra registers and the memory-mapped CPU interface */
#define GICD_ITARGETSR		0x0800 /* byte per INTID */
#define GICD_SGIR		0x0F00
#define GICD_SGIR_FILTER_OTHERS (1U << 24) /* TargetListFilter 1: all but the sender */
#define GICD_CPENDSGIR		0x0F10	   /* byte per SGI: a bit per sender */
#define GICD_SPENDSGIR		0x0F20
#define GICD_V2_PIDR4		0x0FD0 /* ICPIDR4-7, ICPIDR0-3, ICCIDR0-3: the 4 KiB frame's end */
#define GICD_V2_PIDR2		0x0FE8
#define GICD_V2_CIDR0		0x0FF0
#define GICC_BASE		0x08010000UL
#define GICC_CTLR		0x0000
#define GICC_PMR		0x0004
#define GICC_BPR		0x0008
#define GICC_IAR		0x000C
#define GICC_EOIR		0x0010
#define GICC_RPR		0x0014
#define GICC_HPPIR		0x0018
#define GICC_APR0		0x00D0
#define GICC_IIDR		0x00FC
#define GICC_CTLR_ENABLE_GRP0	(1U << 0)
#define GICC_IAR_INTID_MASK	0x3FFU
/** This vCPU's bit in the GICv2's target lists (what GICD_ITARGETSR0 reads). */
u8 gic_v2_cpu_mask(void);
/** The sender (CPUID of GICC_IAR) of the last acknowledged @sgi on this vCPU. */
u32 gic_v2_last_sgi_source(u32 sgi);

/* Redistributor, RD_base frame */
#define GICR_CTLR	   0x0000
#define GICR_IIDR	   0x0004
#define GICR_TYPER	   0x0008
#define GICR_WAKER	   0x0014
#define GICR_PIDR2	   0xFFE8
#define GICR_CTLR_RWP	   (1U << 3)
#define GICR_TYPER_VLPIS   (1UL << 1)
#define GICR_TYPER_LAST	   (1UL << 4)
#define GICR_TYPER_PROC(t) FIELD(t, 23, 8)
#define GICR_TYPER_AFF(t)  ((t) >> 32)
#define GICR_WAKER_PSLEEP  (1U << 1)
#define GICR_WAKER_CASLEEP (1U << 2)
/* Redistributor, SGI_base frame (offsets from SGI_base) */
#define GICR_IGROUPR0	0x0080
#define GICR_ISENABLER0 0x0100
#define GICR_ICENABLER0 0x0180
#define GICR_ISPENDR0	0x0200
#define GICR_ICPENDR0	0x0280
#define GICR_ISACTIVER0 0x0300
#define GICR_ICACTIVER0 0x0380
#define GICR_IPRIORITYR 0x0400
#define GICR_ICFGR0	0x0C00
#define GICR_ICFGR1	0x0C04

/* CPU interface */
#define ICC_SRE_EL1_SRE		(1UL << 0)
#define ICC_CTLR_EL1_EOIMODE	(1UL << 1)
#define ICC_CTLR_EL1_PRIBITS(c) (FIELD(c, 10, 8) + 1)
#define ICC_IAR_INTID(v)	((u32)(v)&0xffffff)
#define ICC_SGI1R_RS_SHIFT	44
#define ICC_SGI1R_AFF3_SHIFT	48
#define ICC_SGI1R_AFF2_SHIFT	32
#define ICC_SGI1R_INTID_SHIFT	24
#define ICC_SGI1R_AFF1_SHIFT	16
#define ICC_SGI1R_IRM		(1UL << 40)

#define GIC_NR_SGIS	   16
#define GIC_FIRST_PPI	   16
#define GIC_FIRST_SPI	   32
#define GIC_MAX_INTID	   1020
#define GIC_INTID_SPURIOUS 1023

/* Arm generic timer PPIs (QEMU virt) */
#define GIC_PPI_VTIMER 27
#define GIC_PPI_PTIMER 30
/* PL011 SPI (QEMU virt) */
#define GIC_SPI_UART 33

/** This vCPU's GICv3 state, filled by gic_cpu_init(). */
struct gic_cpu {
	u64 mpidr;
	/** RD_base of this vCPU's redistributor, 0 if the scan did not find it. */
	u64 rd_base;
	/** Index of this vCPU's frame in the scan, from 0. */
	unsigned int frame;
	/** Frames seen until (and including) the one with GICR_TYPER.Last, or the scan bound. */
	unsigned int nr_frames;
	/** The scan ended on a frame with GICR_TYPER.Last (not on the region bound). */
	bool last_seen;
	/** GICR_WAKER.ChildrenAsleep read 0 after ProcessorSleep was cleared. */
	bool awake;
};

typedef void (*gic_irq_handler_t)(u32 intid);

/* The drivers' shared per-vCPU state (gic_common.c) and IRQ vector table. */
struct gic_cpu_state {
	struct gic_cpu pub;
	u32 unhandled;
	u32 spurious;
};
struct gic_cpu_state *gic_state(void);
extern char gic_vectors[];

/** MMIO accessors (the MMU is off: Device memory, naturally aligned accesses only). */
static inline u32 gic_read32(u64 addr)
{
	return *(volatile u32 *)addr;
}

static inline void gic_write32(u64 addr, u32 v)
{
	*(volatile u32 *)addr = v;
}

static inline u64 gic_read64(u64 addr)
{
	return *(volatile u64 *)addr;
}

static inline void gic_write64(u64 addr, u64 v)
{
	*(volatile u64 *)addr = v;
}

static inline void gic_write8(u64 addr, u8 v)
{
	*(volatile u8 *)addr = v;
}

static inline u8 gic_read8(u64 addr)
{
	return *(volatile u8 *)addr;
}

/**
 * Distributor set-up, once per VM (vCPU 0): ARE, Group 1 enabled, every SPI Group 1 and disabled.
 * Returns false if GICD_CTLR.ARE does not read back as 1.
 */
bool gic_dist_init(void);
/**
 * Per-vCPU set-up: install gic_vectors, find this vCPU's redistributor, wake it, make SGIs/PPIs
 * Group 1 and disabled, enable the system-register interface, PMR 0xf0, BPR1 as low as allowed,
 * EOImode 0, ICC_IGRPEN1_EL1 = 1. PSTATE.I stays masked. Returns false if no redistributor.
 */
bool gic_cpu_init(void);
/**
 * The same with this vCPU's redistributor at @rd_base, found without a scan (as an RTOS built
 * for QEMU virt does: 0x080A0000 + Aff0 x 128 KiB). Always true.
 */
bool gic_cpu_init_at(u64 rd_base);
/** This vCPU's state after gic_cpu_init(). */
/**
 * This vCPU's CPU interface set up the way an RTOS built for the board finds it, from its Aff0
 * alone (GICv3: the redistributor at GICR_BASE + Aff0 x 128 KiB, no GICR_TYPER scan; GICv2: the
 * banked CPU interface). Returns what tells whose interface it is (GICv3: that GICR_TYPER;
 * GICv2: the GICD_ITARGETSR0 byte) for gic_cpu_is_own().
 */
u64 gic_cpu_init_by_aff0(void);
/** @id (from gic_cpu_init_by_aff0()) is the interface of the vCPU with @mpidr. */
bool gic_cpu_is_own(u64 id, u64 mpidr);
struct gic_cpu *gic_this_cpu(void);
/** SGI_base of this vCPU's redistributor. */
u64 gic_sgi_base(void);

void gic_irq_enable(u32 intid);
void gic_irq_disable(u32 intid);
void gic_irq_set_priority(u32 intid, u8 prio);
u8 gic_irq_priority(u32 intid);
/** Edge (true) or level: writes the Int_config bit, returns whether it reads back as written. */
bool gic_irq_set_edge(u32 intid, bool edge);
bool gic_irq_is_edge(u32 intid);
void gic_irq_set_pending(u32 intid);
void gic_irq_clear_pending(u32 intid);
bool gic_irq_is_pending(u32 intid);
bool gic_irq_is_active(u32 intid);
/** Route SPI @intid to the vCPU with @mpidr (IRM = 0). */
void gic_spi_route(u32 intid, u64 mpidr);

/** Call @fn (with PSTATE.I masked, before the EOI) when @intid is acknowledged; NULL: default. */
void gic_set_handler(u32 intid, gic_irq_handler_t fn);
/** Interrupts acknowledged without a handler, and spurious (1020-1023) acknowledges, per vCPU. */
u32 gic_unhandled_count(void);
u32 gic_spurious_count(void);

/** ICC_IAR1_EL1: acknowledge the highest-priority pending Group 1 interrupt, return its INTID. */
u32 gic_ack(void);
/** ICC_EOIR1_EL1: priority drop and deactivation (EOImode 0). */
void gic_eoi(u32 intid);
/** ICC_SGI1R_EL1: SGI @intid to the vCPU with @mpidr (IRM = 0, one target). */
void gic_send_sgi(u64 mpidr, u32 intid);
/**
 * One SGI @intid to the @n vCPUs of @mpidrs in a single write (GICv3: ICC_SGI1R_EL1 TargetList,
 * the vCPUs share Aff3-Aff1 and RS; GICv2: GICD_SGIR CPUTargetList).
 */
void gic_send_sgi_list(const u64 *mpidrs, unsigned int n, u32 intid);
/** SGI @intid to every vCPU but the sender (GICv3: IRM = 1; GICv2: TargetListFilter 1). */
void gic_send_sgi_others(u32 intid);

/*
 * This vCPU's GIC state a VM reset must clear, read without any set-up (gic_reset_view()): the
 * SGI/PPI enable, pending and active bits (GICv3: the first redistributor; GICv2: the banked
 * GICD registers), running priority, highest pending interrupt, priority mask, the CPU
 * interface's enable (GICv3: ICC_IGRPEN1_EL1; GICv2: GICC_CTLR bit 0) and the first
 * active-priorities register (ICC_AP1R0_EL1, GICC_APR0).
 */
struct gic_reset_view {
	u32 enabled0, pending0, active0;
	u32 rpr, hppir, pmr, enable, apr0;
};
void gic_reset_view(struct gic_reset_view *v);

void gic_set_pmr(u8 pmr);
u8 gic_pmr(void);
void gic_set_igrpen1(bool on);
/** Effective ICC_BPR1_EL1 (after the write of 0 in gic_cpu_init()). */
unsigned int gic_bpr1(void);
/** Number of implemented priority bits (ICC_CTLR_EL1.PRIbits + 1). */
unsigned int gic_pri_bits(void);

static inline void gic_irqs_unmask(void)
{
	asm volatile("msr daifclr, #2" ::: "memory");
}

static inline void gic_irqs_mask(void)
{
	asm volatile("msr daifset, #2" ::: "memory");
}

/*
 * Called with IRQs masked, in a loop that checks what an interrupt handler sets: sleep in WFI
 * (which still wakes on a pending interrupt), then take it and mask again. Checking with IRQs
 * unmasked and then WFI loses a wake-up when the interrupt is taken between the two and nothing
 * else comes (a one-shot timer, the last tick, a device interrupt the handler silenced).
 */
static inline void gic_wfi_take(void)
{
	asm volatile("wfi" ::: "memory");
	gic_irqs_unmask();
	asm volatile("isb" ::: "memory");
	gic_irqs_mask();
}

/* Time, from the virtual counter. */
static inline u64 gic_counter(void)
{
	isb();
	return read_sysreg(cntvct_el0);
}

static inline u64 gic_us_to_ticks(u64 us)
{
	return read_sysreg(cntfrq_el0) * us / 1000000;
}

/** Spin for @us microseconds (interrupts are taken if PSTATE.I allows). */
void gic_delay_us(u64 us);
/** Spin until *@count >= @want or @us microseconds passed; true if reached. */
bool gic_wait_count(const volatile u32 *count, u32 want, u64 us);
/** gic_wait_count() with IRQs unmasked, masked again after. */
bool gic_take_irqs(const volatile u32 *count, u32 want, u64 us);
/** Unmask IRQs for @us microseconds (anything pending is taken), then mask them again. */
void gic_irqs_open(u64 us);

/** A read of @size (1, 2, 4, 8) bytes that may abort: true and *@v if it did not, else *@esr. */
bool gic_try_read(u64 addr, unsigned int size, u64 *v, u64 *esr);
/** A 32-bit write that may abort: true if it did not. */
bool gic_try_write32(u64 addr, u32 v);
/** The read aborts with a synchronous external abort (no register takes it). */
bool gic_read_aborts(u64 addr, unsigned int size);

struct gic_live_range {
	u32 start, end; /* [start, end): words there may read non-zero */
};

/**
 * Words of [base, base + size) outside the @n ranges @l that read non-zero (reserved words must
 * read 0); the address of the first in *@first.
 */
unsigned int gic_sweep_reserved(u64 base, u32 size, const struct gic_live_range *l, unsigned int n,
				u64 *first);

#endif /* GUEST_GIC_H */
