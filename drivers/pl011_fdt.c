// SPDX-License-Identifier: GPL-2.0-only
/* The PL011 as a console driver platform discovery can match (its ops are in drivers/pl011.c). */
#include <drivers/pl011.h>
#include <tern/console_drv.h>

static const char *const pl011_compatible[] = { "arm,pl011", NULL };

CONSOLE_DRIVER(pl011) = {
	.name = "pl011",
	.compatible = pl011_compatible,
	.ops = &pl011_console_ops,
};
