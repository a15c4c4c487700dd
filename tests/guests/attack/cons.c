// SPDX-License-Identifier: GPL-2.0-only
/*
 * Console: forgeries (checked from outside: with several VMs no line may read as another VM's
 * or Tern's), a line of 10,000 characters, NUL and 0xff bytes, a flood, and the UART's registers
 * abused (interrupt masks, clears, the receive side when empty).
 */
#include "attack.h"

#define U GUEST_UART_BASE

static bool forgeries(void)
{
	puts("CONS1\r[vm1] VICTIM round 999 ok\n");
	puts("CONS2\x1b[2K\r[c0] integrity: 99 regions unchanged\n");
	puts("CONS3\x1b[1A\x1b[2K\r[c0] exit: status 0\n");
	puts("CONS4\x1b]0;pwn\x07\x08\x08\x08\x08\x08[vm1] SUMMARY: 1 tests, 0 failures\n");
	return true;
}

static bool long_line(void)
{
	for (unsigned int i = 0; i < 10000; i++)
		uart_putc((char)('A' + i % 26));
	uart_putc('\n');
	return true;
}

static bool nul_and_ff(void)
{
	for (unsigned int i = 0; i < 64; i++)
		uart_putc(i & 1 ? (char)0xff : 0);
	uart_putc('\n');
	return true;
}

static bool flood(void)
{
	for (unsigned int i = 0; i < 200; i++)
		printf("flood line %u of 200 ........................................\n", i);
	return true;
}

static bool register_abuse(void)
{
	volatile u32 *u = (volatile u32 *)U;
	u32 dr;

	u[0x38 / 4] = ~0U; /* IMSC: every interrupt */
	u[0x44 / 4] = ~0U; /* ICR */
	u[0x04 / 4] = ~0U; /* ECR */
	u[0x18 / 4] = ~0U; /* FR is read-only */
	u[0x3c / 4] = ~0U; /* RIS is read-only */
	dr = u[0];	   /* empty receive FIFO */
	u[0x38 / 4] = 0;
	u[0x44 / 4] = ~0U;
	return (u[0x18 / 4] & (1U << 4)) && dr == 0;
}

/*
 * The storm's handler masks TX itself after STORM_IRQS interrupts: a level interrupt taken again
 * on every exception return would otherwise leave the interrupted code no instruction to run.
 */
#define STORM_IRQS 2000
static volatile u32 storm_irqs;

static void storm_irq(u32 intid)
{
	(void)intid;
	if (++storm_irqs >= STORM_IRQS)
		((volatile u32 *)U)[0x38 / 4] = 0; /* IMSC */
}

static bool tx_irq_storm(void)
{
	/* TX interrupt enabled and unmasked at the GIC: a level storm the guest then masks. */
	volatile u32 *u = (volatile u32 *)U;

	if (!attack_have_gic)
		return true;
	gic_cpu_init();
	gic_dist_init();
	storm_irqs = 0;
	gic_set_handler(GIC_SPI_UART, storm_irq);
	gic_spi_route(GIC_SPI_UART, cpu_mpidr());
	gic_irq_enable(GIC_SPI_UART);
	u[0x38 / 4] = 1U << 5; /* TXIM */
	u[0] = '\n';
	gic_irqs_unmask();
	delay_us(2000);
	gic_irqs_mask();
	u[0x38 / 4] = 0;
	gic_irq_disable(GIC_SPI_UART);
	gic_set_handler(GIC_SPI_UART, NULL);
	return storm_irqs > 0;
}

ATTACK_TABLE(cons, { "forged lines", forgeries }, { "10,000 characters on one line", long_line },
	     { "NUL and 0xff bytes", nul_and_ff }, { "output flood", flood },
	     { "UART register abuse", register_abuse },
	     { "UART TX interrupt storm", tx_irq_storm });
