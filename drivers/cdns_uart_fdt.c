// SPDX-License-Identifier: GPL-2.0-only
/* The Cadence UART as a console driver platform discovery can match (ops: drivers/cdns_uart.c).
 * Linux's cdns,uart binding; the ZynqMP's node lists "cdns,uart-r1p12" and "xlnx,xuartps". */
#include <drivers/cdns_uart.h>
#include <tern/console_drv.h>

static const char *const cdns_uart_compatible[] = { "cdns,uart-r1p12", "cdns,uart-r1p8",
						    "xlnx,xuartps", "xlnx,zynqmp-uart", NULL };

CONSOLE_DRIVER(cdns) = {
	.name = "cdns",
	.compatible = cdns_uart_compatible,
	.ops = &cdns_uart_console_ops,
};
