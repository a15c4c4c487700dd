/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef DRIVERS_PL011_H
#define DRIVERS_PL011_H

#include <tern/console_drv.h>

/* The host PL011 (drivers/pl011.c, matched by drivers/pl011_fdt.c). */
extern const struct console_ops pl011_console_ops;

#endif
