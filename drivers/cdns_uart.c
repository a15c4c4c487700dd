// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host Cadence UART (the Xilinx Zynq/ZynqMP "PS UART", Zynq UltraScale+ TRM UG1085 ch. 21) as
 * Tern's console: the ops of tern/console_drv.h. Polled output; the line settings (baud rate
 * generator, mode) are left as firmware set them. The transmitter and receiver are enabled here:
 * a UART firmware did not use may be off, and nothing leaves it then (QEMU's model sends only
 * with CR.TX_EN).
 */
#include <drivers/cdns_uart.h>
#include <tern/compiler.h>
#include <tern/console.h>
#include <tern/console_drv.h>
#include <tern/irq.h>
#include <tern/platform.h>
#include <tern/printk.h>

#define CDNS_CR	    0x00
#define CDNS_IER    0x08
#define CDNS_IDR    0x0C
#define CDNS_ISR    0x14
#define CDNS_RXTOUT 0x1C
#define CDNS_RXWM   0x20
#define CDNS_SR	    0x2C
#define CDNS_FIFO   0x30

#define CDNS_CR_RX_EN	(1U << 2)
#define CDNS_CR_RX_DIS	(1U << 3)
#define CDNS_CR_TX_EN	(1U << 4)
#define CDNS_CR_TX_DIS	(1U << 5)
#define CDNS_SR_RXEMPTY (1U << 1)
#define CDNS_SR_TXFULL	(1U << 4)
/* Interrupt bits, the same in IER, IDR, IMR and ISR. */
#define CDNS_INT_RTRIG	 (1U << 0) /* receive FIFO at the RXWM level */
#define CDNS_INT_TIMEOUT (1U << 8) /* receive timeout: fewer bytes, then a pause */
#define CDNS_INT_ALL	 0x3FFFU

struct cdns_uart {
	struct console con;
	paddr_t base;
};

static inline u32 cdns_read(const struct cdns_uart *u, unsigned int reg)
{
	return *(volatile u32 *)(u->base + reg);
}

static inline void cdns_write(const struct cdns_uart *u, unsigned int reg, u32 val)
{
	*(volatile u32 *)(u->base + reg) = val;
}

static void cdns_putc(const struct cdns_uart *u, char c)
{
	while (cdns_read(u, CDNS_SR) & CDNS_SR_TXFULL)
		;
	cdns_write(u, CDNS_FIFO, (u8)c);
}

static void cdns_console_write(struct console *con, const char *s, size_t len)
{
	const struct cdns_uart *u = container_of(con, struct cdns_uart, con);

	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\n')
			cdns_putc(u, '\r');
		cdns_putc(u, s[i]);
	}
}

/* Transmitter and receiver on (the disable bits win over the enable bits). */
static void cdns_enable(const struct cdns_uart *u)
{
	u32 cr = cdns_read(u, CDNS_CR);

	cr &= ~(CDNS_CR_TX_DIS | CDNS_CR_RX_DIS);
	cdns_write(u, CDNS_CR, cr | CDNS_CR_TX_EN | CDNS_CR_RX_EN);
}

static struct cdns_uart cdns_early = { .con = { .write = cdns_console_write } };
static struct cdns_uart cdns_host = { .con = { .write = cdns_console_write } };

static void cdns_early_init(paddr_t base)
{
	cdns_early.base = base;
	cdns_enable(&cdns_early);
	console_register(&cdns_early.con);
}

static void cdns_console_init(const struct platform_console *con)
{
	cdns_host.base = con->base;
	cdns_enable(&cdns_host);
	console_register(&cdns_host.con);
}

static void (*cdns_rx_fn)(char c);

static void cdns_rx_irq(unsigned int intid, void *priv)
{
	struct cdns_uart *u = priv;

	(void)intid;
	/* Clear first, then drain: a byte arriving after the last empty check raises it again. */
	cdns_write(u, CDNS_ISR, CDNS_INT_RTRIG | CDNS_INT_TIMEOUT);
	while (!(cdns_read(u, CDNS_SR) & CDNS_SR_RXEMPTY))
		cdns_rx_fn((char)(cdns_read(u, CDNS_FIFO) & 0xFF));
}

static void cdns_rx_enable(unsigned int intid, void (*rx)(char c))
{
	cdns_rx_fn = rx;
	if (irq_request(intid, cdns_rx_irq, &cdns_host)) {
		pr_warn("cdns_uart: cannot use interrupt %u: no console input\n", intid);
		return;
	}
	/* Every byte: a trigger level of 1, and the timeout for the rest of a burst. */
	cdns_write(&cdns_host, CDNS_RXWM, 1);
	cdns_write(&cdns_host, CDNS_RXTOUT, 10);
	cdns_write(&cdns_host, CDNS_IDR, CDNS_INT_ALL);
	cdns_write(&cdns_host, CDNS_ISR, CDNS_INT_ALL);
	cdns_write(&cdns_host, CDNS_IER, CDNS_INT_RTRIG | CDNS_INT_TIMEOUT);
}

const struct console_ops cdns_uart_console_ops = {
	.early_init = cdns_early_init,
	.init = cdns_console_init,
	.rx_enable = cdns_rx_enable,
};
