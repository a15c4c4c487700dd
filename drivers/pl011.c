// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host PL011 (Arm DDI 0183) as Tern's console (the ops of tern/console_drv.h). Polled output;
 * the line settings are left as firmware set them.
 */
#include <drivers/pl011.h>
#include <tern/compiler.h>
#include <tern/console.h>
#include <tern/console_drv.h>
#include <tern/irq.h>
#include <tern/kconfig.h>
#include <tern/platform.h>
#include <tern/printk.h>

#define UARTDR	  0x000
#define UARTFR	  0x018
#define UARTCR	  0x030
#define UARTIMSC  0x038
#define UARTICR	  0x044
#define FR_RXFE	  (1U << 4)
#define INT_RX	  (1U << 4)
#define INT_RT	  (1U << 6)
#define FR_TXFF	  (1U << 5)
#define FR_BUSY	  (1U << 3)
#define CR_UARTEN (1U << 0)
#define CR_TXE	  (1U << 8)
#define CR_RXE	  (1U << 9)

struct pl011 {
	struct console con;
	paddr_t base;
};

static inline u32 pl011_read(const struct pl011 *u, unsigned int reg)
{
	return *(volatile u32 *)(u->base + reg);
}

static inline void pl011_write(const struct pl011 *u, unsigned int reg, u32 val)
{
	*(volatile u32 *)(u->base + reg) = val;
}

static void pl011_putc(const struct pl011 *u, char c)
{
	while (pl011_read(u, UARTFR) & FR_TXFF)
		;
	pl011_write(u, UARTDR, (u8)c);
}

static void pl011_console_write(struct console *con, const char *s, size_t len)
{
	const struct pl011 *u = container_of(con, struct pl011, con);

	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\n')
			pl011_putc(u, '\r');
		pl011_putc(u, s[i]);
	}
}

static struct pl011 pl011_early = { .con = { .write = pl011_console_write } };
static struct pl011 pl011_host = { .con = { .write = pl011_console_write } };

static void pl011_early_init(paddr_t base)
{
	pl011_early.base = base;
	console_register(&pl011_early.con);
}

static void pl011_console_init(const struct platform_console *con)
{
	pl011_host.base = con->base;
	/* Firmware may leave the UART disabled when it did not use it itself. */
	if ((pl011_read(&pl011_host, UARTCR) & (CR_UARTEN | CR_TXE)) != (CR_UARTEN | CR_TXE))
		pl011_write(&pl011_host, UARTCR, CR_UARTEN | CR_TXE | CR_RXE);
	console_register(&pl011_host.con);
}

static void (*pl011_rx_fn)(char c);

static void pl011_rx_irq(unsigned int intid, void *priv)
{
	struct pl011 *u = priv;

	(void)intid;
	/*
	 * Clear first, then drain: a character arriving after the last empty check raises the
	 * interrupt again. Clearing after the drain could swallow that edge, and a PL011 that
	 * raises RX only on reaching its FIFO level (QEMU's) would then never interrupt again.
	 */
	pl011_write(u, UARTICR, INT_RX | INT_RT);
	while (!(pl011_read(u, UARTFR) & FR_RXFE))
		pl011_rx_fn((char)(pl011_read(u, UARTDR) & 0xFF));
}

static void pl011_rx_enable(unsigned int intid, void (*rx)(char c))
{
	pl011_rx_fn = rx;
	if (irq_request(intid, pl011_rx_irq, &pl011_host)) {
		pr_warn("pl011: cannot use interrupt %u: no console input\n", intid);
		return;
	}
	pl011_write(&pl011_host, UARTIMSC, INT_RX | INT_RT);
}

const struct console_ops pl011_console_ops = {
	.early_init = pl011_early_init,
	.init = pl011_console_init,
	.rx_enable = pl011_rx_enable,
};
