/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef DRIVERS_GICV3_H
#define DRIVERS_GICV3_H

#include <tern/platform.h>

/* Distributor set-up, once, on the boot pCPU. */
int gicv3_init(const struct platform_gic *gic);
/* This pCPU's redistributor and CPU interface; every pCPU calls it for itself. */
int gicv3_cpu_init(void);
/* Number of SPI INTIDs the distributor implements (GICD_TYPER.ITLinesNumber). */
unsigned int gicv3_nr_intids(void);

#endif
