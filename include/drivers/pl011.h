/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef DRIVERS_PL011_H
#define DRIVERS_PL011_H

#include <tern/types.h>

/* Make the PL011 at @base (found in the device tree) Tern's console, replacing the early one. */
void pl011_console_init(paddr_t base);

/* Deliver every received character to @rx, from the UART's receive interrupt. */
void pl011_rx_enable(unsigned int intid, void (*rx)(char c));

#endif
