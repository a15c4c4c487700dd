/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef TERN_IRQCHIP_H
#define TERN_IRQCHIP_H

#include <tern/compiler.h>
#include <tern/types.h>

/*
 * The host interrupt controller, behind one small interface (Bao's and Xen's gic_hw_operations
 * are the model). A driver declares itself with IRQCHIP_DRIVER(): the compatible strings platform
 * discovery matches against the boot DT, a probe that turns the matched node into struct
 * platform_irqchip (pure DT parsing, host-testable), and its hardware ops. The generic layer in
 * drivers/irq.c (tern/irq.h) keeps the handlers and calls the ops; nothing else names a driver.
 */

struct platform_irqchip;

struct irqchip_ops {
	/** Distributor set-up, once, on the boot pCPU. */
	int (*init)(const struct platform_irqchip *ic);
	/** The calling pCPU's own part (redistributor, CPU interface); every pCPU, once. */
	int (*cpu_init)(void);
	/** Interrupt IDs the distributor implements (a bound for irq_request). */
	unsigned int (*nr_intids)(void);
	/** Enable @intid; an SPI is routed to the calling pCPU first. */
	void (*enable)(unsigned int intid);
	void (*disable)(unsigned int intid);
	/** Acknowledge the highest pending interrupt: its INTID, >= 1020 when none. */
	u32 (*ack)(void);
	/** Priority drop (EOImode 1: deactivation is separate). */
	void (*eoi)(u32 intid);
	void (*deactivate)(u32 intid);
	/** Active state of a private interrupt (SGI/PPI) of the calling pCPU. */
	bool (*get_active)(unsigned int intid);
	void (*set_active)(unsigned int intid, bool active);
	/** SGI @sgi to the pCPU with @mpidr (which has run cpu_init). */
	void (*send_sgi)(unsigned int sgi, u64 mpidr);
};

struct irqchip_driver {
	/** Short name for messages ("gicv3"); the list-register layer is matched by it. */
	const char *name;
	/** Compatible strings, NULL-terminated, best first. */
	const char *const *compatible;
	/**
	 * Fill @ic from the matched @node (regions, maintenance interrupt); log what is wrong
	 * (with @ic->path) and return a negative TERN_E* then.
	 */
	int (*probe)(const void *fdt, int node, struct platform_irqchip *ic);
	const struct irqchip_ops *ops;
};

/* Declare a driver: "IRQCHIP_DRIVER(gicv3) = { .name = ..., ... };" (section irqchip_drivers). */
#define IRQCHIP_DRIVER(id)                                                                         \
	static const struct irqchip_driver irqchip_driver_##id;                                    \
	static const struct irqchip_driver *const irqchip_driver_ptr_##id __used __section(        \
	    "irqchip_drivers") __aligned(sizeof(void *)) = &irqchip_driver_##id;                   \
	static const struct irqchip_driver irqchip_driver_##id

extern const struct irqchip_driver *const __start_irqchip_drivers[];
extern const struct irqchip_driver *const __stop_irqchip_drivers[];

#define irqchip_for_each_driver(d)                                                                 \
	for (const struct irqchip_driver *const *d = __start_irqchip_drivers;                      \
	     d != __start_irqchip_drivers +                                                        \
		      LINKER_TABLE_NR(__start_irqchip_drivers, __stop_irqchip_drivers);            \
	     d++)

/** Start the interrupt controller discovery found (boot pCPU); 0 or a negative TERN_E*. */
int irqchip_init(const struct platform_irqchip *ic);
/** The calling pCPU's part of it. */
int irqchip_cpu_init(void);

#endif
