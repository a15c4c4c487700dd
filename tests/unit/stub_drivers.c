// SPDX-License-Identifier: GPL-2.0-only
/*
 * The hardware ops of the host drivers whose DT side (drivers/ *_fdt.c: compatibles and probe) the
 * host tests link: platform discovery only stores the driver, it never calls these.
 */
#include <drivers/cdns_uart.h>
#include <drivers/gicv2.h>
#include <drivers/gicv3.h>
#include <drivers/pl011.h>

const struct irqchip_ops gicv2_ops;
const struct irqchip_ops gicv3_ops;
const struct console_ops pl011_console_ops;
const struct console_ops cdns_uart_console_ops;
