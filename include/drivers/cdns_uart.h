/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef DRIVERS_CDNS_UART_H
#define DRIVERS_CDNS_UART_H

#include <tern/console_drv.h>

/* The host Cadence UART (drivers/cdns_uart.c, matched by drivers/cdns_uart_fdt.c). */
extern const struct console_ops cdns_uart_console_ops;

#endif
