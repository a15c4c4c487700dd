// SPDX-License-Identifier: GPL-2.0-only
/*
 * The emulated PL011's short paths (virt/vpl011.c): FR read without the row, the lock or a call
 * while nothing is received, and the DR data-byte write without the row. Each check fails if a
 * short path returns a wrong value or skips a side effect the register's row has:
 * - FR with nothing received, at every width and byte: TXFE | RXFE, never TXFF or BUSY;
 * - a DR write raises TXRIS, and with TXIM set the interrupt line (SPI 33 pending in the
 *   distributor, the interrupt taken by this vCPU), ICR lowers it again;
 * - the same line raised for vCPU 1 sleeping in WFI (on its own pCPU in the multi-pCPU run): it
 *   is woken at once, not at its next exit (the kick Tern must send after the write; a missed one
 *   leaves vCPU 1 asleep until vCPU 0 gives up and wakes it with an SGI);
 * - with key=1 (the integration test types a key after "pl011: waiting for a key"): FR shows the
 *   character (RXFE clear) at every width, RXRIS is raised, DR returns it, then FR is empty again.
 * DR's bytes in order: every line this program prints goes through 32-bit DR stores (lib/uart.c),
 * the ones below also through byte and halfword stores.
 */
#include "smp.h"

#define UART	      GUEST_UART_BASE
#define UART_DR	      0x000
#define UART_FR	      0x018
#define UART_IMSC     0x038
#define UART_RIS      0x03C
#define UART_MIS      0x040
#define UART_ICR      0x044
#define FR_BUSY	      (1U << 3)
#define FR_RXFE	      (1U << 4)
#define FR_TXFF	      (1U << 5)
#define FR_RXFF	      (1U << 6)
#define FR_TXFE	      (1U << 7)
#define INT_RX	      (1U << 4)
#define INT_TX	      (1U << 5)
#define WAIT_US	      1000000
#define KICK_LIMIT_US 200000
#define KEY_US	      60000000
#define SGI_WAKE      9
#define PRIO_UART     0x80

static volatile u32 uart_irqs, uart_irq_cpu;
static volatile u64 uart_irq_at;
static volatile u32 waiter_ready, waiter_done;

static u32 rd32(u64 off)
{
	return *(volatile u32 *)(UART + off);
}

static u16 rd16(u64 off)
{
	return *(volatile u16 *)(UART + off);
}

static u8 rd8(u64 off)
{
	return *(volatile u8 *)(UART + off);
}

static void wr32(u64 off, u32 v)
{
	*(volatile u32 *)(UART + off) = v;
}

/* Byte and halfword stores to DR: the data byte is the low one. */
static void put8(char c)
{
	while (rd32(UART_FR) & FR_TXFF)
		;
	*(volatile u8 *)(UART + UART_DR) = (u8)c;
}

static void put16(char c)
{
	while (rd16(UART_FR) & FR_TXFF)
		;
	*(volatile u16 *)(UART + UART_DR) = (u16)(0x5a00 | (u8)c);
}

static void uart_irq(u32 intid)
{
	(void)intid;
	/* Silence the line (it is level-sensitive), then say who took it and when. */
	wr32(UART_IMSC, 0);
	uart_irq_at = gic_counter();
	uart_irq_cpu = smp_this_cpu();
	uart_irqs = uart_irqs + 1;
}

static bool spi_pending(u32 intid)
{
	return gic_read32(GICD_BASE + GICD_ISPENDR(intid / 32)) & (1U << (intid % 32));
}

static void test_fr_empty(void)
{
	u32 want = FR_TXFE | FR_RXFE;
	bool ok = rd32(UART_FR) == want && rd16(UART_FR) == want && rd8(UART_FR) == want &&
		  rd8(UART_FR + 1) == 0 && rd16(UART_FR + 2) == 0 && rd8(UART_FR + 3) == 0;

	report(ok,
	       "FR with nothing received: TXFE|RXFE (0x%x), TXFF, BUSY, RXFF clear at every "
	       "width and byte",
	       rd32(UART_FR));
	report(!(rd32(UART_FR) & (FR_TXFF | FR_BUSY)), "FR: TXFF and BUSY never set");
}

/* DR writes of each width in one line, in order (the integration test reads it). */
static void test_dr_widths(void)
{
	static const char line[] = "pl011: DR by byte, halfword and word stores: 0123456789\n";

	for (unsigned int i = 0; line[i]; i++) {
		if (i % 3 == 0)
			put8(line[i]);
		else if (i % 3 == 1)
			put16(line[i]);
		else
			uart_putc(line[i]);
	}
	report(true, "DR stores of three widths printed a line (checked from outside)");
}

/* A DR write raises TXRIS and, with TXIM set, the line; ICR lowers it; the vCPU takes it. */
static void test_tx_interrupt(void)
{
	bool low, ris, high, cleared;

	gic_irqs_mask();
	gic_spi_route(GIC_SPI_UART, cpu_mpidr());
	gic_irq_set_priority(GIC_SPI_UART, PRIO_UART);
	gic_irq_disable(GIC_SPI_UART);
	wr32(UART_ICR, INT_TX);
	wr32(UART_IMSC, INT_TX);
	low = !(rd32(UART_RIS) & INT_TX) && !spi_pending(GIC_SPI_UART);
	put8('>');
	ris = (rd32(UART_RIS) & INT_TX) && (rd32(UART_MIS) & INT_TX);
	high = spi_pending(GIC_SPI_UART);
	wr32(UART_ICR, INT_TX);
	cleared = !spi_pending(GIC_SPI_UART);
	put8('\n');
	report(low && ris && high && cleared,
	       "DR write: TXRIS/TXMIS raised and SPI %u pending, ICR lowers it (%d %d %d %d)",
	       GIC_SPI_UART, low, ris, high, cleared);

	uart_irqs = 0;
	wr32(UART_ICR, INT_TX);
	gic_irq_enable(GIC_SPI_UART);
	put16('<');
	gic_take_irqs(&uart_irqs, 1, WAIT_US);
	put8('\n');
	report(uart_irqs == 1 && uart_irq_cpu == 0, "the DR write's TX interrupt taken (%u)",
	       uart_irqs);
	wr32(UART_IMSC, 0);
	gic_irq_disable(GIC_SPI_UART);
}

static void sgi_wake(u32 intid)
{
	(void)intid;
}

/* vCPU 1: sleep in WFI until the UART's interrupt (or vCPU 0's SGI) comes. */
static void waiter(unsigned int cpu, void *arg)
{
	(void)cpu;
	(void)arg;
	gic_irq_set_priority(SGI_WAKE, PRIO_UART);
	gic_irq_enable(SGI_WAKE);
	waiter_ready = 1;
	while (!uart_irqs && !waiter_done)
		gic_wfi_take();
	waiter_done = 1;
}

static void test_kick(void)
{
	u64 t0, lat;
	bool woke;

	if (smp_nr_cpus < 2) {
		report_skip("the kick of another vCPU: one vCPU only");
		return;
	}
	uart_irqs = 0;
	waiter_ready = waiter_done = 0;
	wr32(UART_IMSC, 0);
	wr32(UART_ICR, INT_TX);
	gic_spi_route(GIC_SPI_UART, smp_mpidr[1]);
	gic_irq_enable(GIC_SPI_UART);
	smp_run_on(1U << 1, waiter, NULL);
	while (!waiter_ready)
		;
	/* Let it fall asleep: a while with no exit from here. */
	gic_delay_us(20000);
	wr32(UART_IMSC, INT_TX);
	put8('!');
	t0 = gic_counter();
	woke = gic_wait_count(&uart_irqs, 1, KICK_LIMIT_US);
	lat = uart_irq_at - t0;
	if (!woke) {
		waiter_done = 1;
		gic_send_sgi(smp_mpidr[1], SGI_WAKE);
	}
	put8('\n');
	report(smp_wait_done(1U << 1, WAIT_US) == 0, "vCPU 1 finished");
	report(woke && uart_irq_cpu == 1,
	       "vCPU 1 asleep in WFI woken by the DR write's interrupt within %u us (%lu us, %u)",
	       KICK_LIMIT_US, woke ? lat * 1000000 / read_sysreg(cntfrq_el0) : 0, uart_irqs);
	wr32(UART_IMSC, 0);
	gic_irq_disable(GIC_SPI_UART);
	gic_spi_route(GIC_SPI_UART, cpu_mpidr());
}

/* key=1: a character typed on the VM's console, seen through FR and DR. */
static void test_receive(void)
{
	u64 end = gic_counter() + gic_us_to_ticks(KEY_US);
	bool got = false, fr_all, ris;
	u32 c;

	wr32(UART_ICR, INT_RX);
	puts("pl011: waiting for a key\n");
	while (!got && gic_counter() < end)
		got = !(rd8(UART_FR) & FR_RXFE);
	fr_all = got && !(rd32(UART_FR) & FR_RXFE) && !(rd16(UART_FR) & FR_RXFE) &&
		 (rd32(UART_FR) & FR_TXFE) && !(rd32(UART_FR) & (FR_RXFF | FR_TXFF | FR_BUSY));
	ris = rd32(UART_RIS) & INT_RX;
	c = rd32(UART_DR) & 0xff;
	report(got && fr_all && ris,
	       "a key typed: FR RXFE clear at every width, RXRIS raised (%d %d %d)", got, fr_all,
	       ris);
	report(c == 'k', "DR returns it ('%c')", (char)c);
	report((rd32(UART_FR) & FR_RXFE) && !(rd32(UART_RIS) & INT_RX),
	       "then FR is empty again and RXRIS clear (FR 0x%x)", rd32(UART_FR));
}

int main(void)
{
	report_prefix("pl011");
	if (!gic_dist_init() || !gic_cpu_init())
		report_abort("GIC set-up failed");
	smp_init();
	gic_set_handler(GIC_SPI_UART, uart_irq);
	gic_set_handler(SGI_WAKE, sgi_wake);
	if (smp_nr_cpus >= 2 &&
	    (smp_cpu_on(1, false, 0) != PSCI_RET_SUCCESS || !smp_wait_ready(1, 1, WAIT_US)))
		report_abort("vCPU 1 did not start");
	test_fr_empty();
	test_dr_widths();
	test_tx_interrupt();
	test_kick();
	if (smp_bootarg("key", 0))
		test_receive();
	test_fr_empty();
	return 0;
}
