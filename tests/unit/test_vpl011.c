// SPDX-License-Identifier: GPL-2.0-only
/*
 * The emulated PL011 and the console receive ring. The VM services the device calls
 * (mmio_register, vm_console_write, vm_irq_set_level_deferred, sched_kick_flush, page_zalloc)
 * are fakes that record what happened; guest accesses go through the ops the device registered.
 */
#include <libfdt.h>
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>
#include <tern/console_rx.h>
#include <tern/errno.h>
#include <tern/mmio.h>
#include <tern/page_alloc.h>
#include <tern/sched.h>
#include <tern/vm.h>
#include <virt/guest_map.h>
#include <virt/vpl011.h>
#include "stub_printk.h"
#include "unit_helpers.h"

/* ---- fakes ---- */

#define MAX_REGIONS 4
#define MAX_WRITES  64
#define MAX_EDGES   64

static struct {
	struct mmio_region regions[MAX_REGIONS];
	unsigned int nr_regions;
	int register_err;
	/* vm_console_write: every call, and everything written. */
	char writes[MAX_WRITES][256];
	unsigned int nr_writes;
	struct vm *write_vm[MAX_WRITES];
	/* vm_irq_set_level_deferred */
	u32 edge_intid[MAX_EDGES];
	bool edge_level[MAX_EDGES];
	struct vm *edge_vm[MAX_EDGES];
	unsigned int nr_edges;
	/* sched_kick_flush: a raised line's vCPU to kick, kicks sent, and those the woken vCPU
	 * could not get into the device meanwhile (the device lock still held). */
	bool kick_pending;
	unsigned int kicks;
	unsigned int kicks_under_lock;
	/* The woken vCPU's first access, from its own thread; still running after a timeout. */
	pthread_t woken;
	bool woken_live;
	int woken_done;
	/* test_reads_without_lock: vm_console_write (called under the device lock) probes. */
	bool probe;
	int probe_done;
	u64 probe_fr, probe_id;
	bool probe_blocked;
} fake;

/* The fixture of the running test: the kick's woken vCPU reads through its region. */
static struct fixture *cur;

static void woken_join(void)
{
	if (fake.woken_live)
		assert_int_equal(pthread_join(fake.woken, NULL), 0);
	fake.woken_live = false;
}

int mmio_register(struct mmio_bus *bus, ipa_t base, u64 size, const struct mmio_ops *ops,
		  void *priv, const char *name)
{
	(void)bus;
	if (fake.register_err)
		return fake.register_err;
	assert_true(fake.nr_regions < MAX_REGIONS);
	fake.regions[fake.nr_regions++] = (struct mmio_region){
		.base = base, .size = size, .ops = ops, .priv = priv, .name = name
	};
	return 0;
}

int mmio_unregister(struct mmio_bus *bus, ipa_t base)
{
	(void)bus;
	for (unsigned int i = 0; i < fake.nr_regions; i++) {
		if (fake.regions[i].base == base) {
			fake.regions[i] = fake.regions[--fake.nr_regions];
			return 0;
		}
	}
	return -TERN_ENOENT;
}

static void *probe_reads(void *arg);
static void probe_under_lock(void);

void vm_console_write(struct vm *vm, const char *s, size_t len)
{
	if (fake.probe)
		probe_under_lock();
	assert_true(fake.nr_writes < MAX_WRITES);
	assert_true(len < sizeof(fake.writes[0]));
	memcpy(fake.writes[fake.nr_writes], s, len);
	fake.writes[fake.nr_writes][len] = '\0';
	fake.write_vm[fake.nr_writes++] = vm;
}

/* The console's own partial-line flush is not the UART's business here. */
void vm_console_end_line(struct vm *vm)
{
	(void)vm;
}

void vm_console_flush(struct vm *vm)
{
	(void)vm;
}

void vm_irq_set_level_deferred(struct vm *vm, u32 intid, bool level)
{
	assert_true(fake.nr_edges < MAX_EDGES);
	fake.edge_vm[fake.nr_edges] = vm;
	fake.edge_intid[fake.nr_edges] = intid;
	fake.edge_level[fake.nr_edges++] = level;
	if (level)
		fake.kick_pending = true;
}

/* ---- helpers ---- */

struct fixture {
	struct vm vm;
	struct vpl011 *u;
	const struct mmio_region *region;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	memset(&fake, 0, sizeof(fake));
	stub_printk_reset();
	f->vm.id = 1;
	cur = f;
	f->u = vpl011_create(&f->vm);
	assert_non_null(f->u);
	assert_int_equal(fake.nr_regions, 1);
	f->region = &fake.regions[0];
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	woken_join();
	page_free((paddr_t)f->u, 0);
	assert_int_equal(unit_pages_live, 0);
	free(f);
	return 0;
}

static int rd_sz(struct fixture *f, u64 off, unsigned int size, u64 *val)
{
	return f->region->ops->read(NULL, f->region->priv, off, size, val);
}

static int wr_sz(struct fixture *f, u64 off, unsigned int size, u64 val)
{
	return f->region->ops->write(NULL, f->region->priv, off, size, val);
}

static u32 rd(struct fixture *f, u64 off)
{
	u64 v = ~0ULL;

	assert_int_equal(rd_sz(f, off, 4, &v), 0);
	assert_true(v <= 0xffffffffULL);
	return (u32)v;
}

static void wr(struct fixture *f, u64 off, u32 val)
{
	assert_int_equal(wr_sz(f, off, 4, val), 0);
}

/* What a vCPU woken by the PL011's interrupt does first: read MIS, under the device's lock. */
static void *woken_vcpu(void *arg)
{
	u64 v;

	(void)arg;
	assert_int_equal(rd_sz(cur, UARTMIS, 4, &v), 0);
	__atomic_store_n(&fake.woken_done, 1, __ATOMIC_RELEASE);
	return NULL;
}

/*
 * The kick (an SGI, slow on an emulator) wakes a vCPU that comes straight to the device: it must
 * find the lock free. Its access runs in a thread given 2 s; one that has not got in by then is
 * a kick sent under the lock (it gets in once the caller unlocks, and is joined later).
 */
void sched_kick_flush(void)
{
	struct timespec ts = { 0, 1000000 };

	if (!fake.kick_pending)
		return;
	fake.kick_pending = false;
	fake.kicks++;
	woken_join();
	fake.woken_done = 0;
	assert_int_equal(pthread_create(&fake.woken, NULL, woken_vcpu, NULL), 0);
	fake.woken_live = true;
	for (unsigned int i = 0; i < 2000 && !__atomic_load_n(&fake.woken_done, __ATOMIC_ACQUIRE);
	     i++)
		nanosleep(&ts, NULL);
	if (__atomic_load_n(&fake.woken_done, __ATOMIC_ACQUIRE))
		woken_join();
	else
		fake.kicks_under_lock++;
}

/* Another vCPU reading FR, then PeriphID0, while this one holds the device lock. */
static void *probe_reads(void *arg)
{
	(void)arg;
	assert_int_equal(rd_sz(cur, UARTFR, 4, &fake.probe_fr), 0);
	assert_int_equal(rd_sz(cur, UARTPERIPHID0, 4, &fake.probe_id), 0);
	__atomic_store_n(&fake.probe_done, 1, __ATOMIC_RELEASE);
	return NULL;
}

/*
 * Run probe_reads() in a thread, under the lock (from vm_console_write): given 2 s, it either
 * finishes (no read took the lock) or is still blocked (joined after the lock is dropped).
 */
static pthread_t probe_thread;

static void probe_under_lock(void)
{
	struct timespec ts = { 0, 1000000 };

	fake.probe = false;
	fake.probe_done = 0;
	assert_int_equal(pthread_create(&probe_thread, NULL, probe_reads, NULL), 0);
	for (unsigned int i = 0; i < 2000 && !__atomic_load_n(&fake.probe_done, __ATOMIC_ACQUIRE);
	     i++)
		nanosleep(&ts, NULL);
	fake.probe_blocked = !__atomic_load_n(&fake.probe_done, __ATOMIC_ACQUIRE);
}

static void push_str(struct fixture *f, const char *s)
{
	while (*s)
		assert_true(console_rx_push(vpl011_rx_ring(f->u), (u8)*s++));
}

/* ---- tests ---- */

static void test_region(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(f->region->base, GUEST_PL011_BASE);
	assert_int_equal(f->region->size, 0x1000);
	assert_ptr_equal(f->region->priv, f->u);
	assert_string_equal(f->region->name, "pl011");
	assert_int_equal(fake.nr_edges, 0);
	assert_int_equal(fake.nr_writes, 0);
}

static const struct {
	u32 off;
	u32 reset;
} reset_values[] = {
	{ UARTDR, 0 },	 { UARTRSR, 0 },   { UARTFR, 0x90 },  { UARTILPR, 0 },	  { UARTIBRD, 0 },
	{ UARTFBRD, 0 }, { UARTLCR_H, 0 }, { UARTCR, 0x300 }, { UARTIFLS, 0x12 }, { UARTIMSC, 0 },
	{ UARTRIS, 0 },	 { UARTMIS, 0 },   { UARTICR, 0 },    { UARTDMACR, 0 },
};

static void check_reset_values(struct fixture *f)
{
	for (size_t i = 0; i < ARRAY_SIZE(reset_values); i++) {
		u32 v = rd(f, reset_values[i].off);

		if (v != reset_values[i].reset)
			fail_msg("offset 0x%03x reads 0x%x, reset value 0x%x", reset_values[i].off,
				 v, reset_values[i].reset);
	}
}

static void test_reset_values(void **state)
{
	struct fixture *f = *state;

	check_reset_values(f);
	/* Program everything, queue input and a partial line, then reset. */
	wr(f, UARTILPR, 0x12);
	wr(f, UARTIBRD, 0x1a);
	wr(f, UARTFBRD, 0x3);
	wr(f, UARTLCR_H, 0x70);
	wr(f, UARTCR, 0x301);
	wr(f, UARTIFLS, 0x0);
	wr(f, UARTIMSC, UARTINT_RX | UARTINT_RT | UARTINT_TX);
	wr(f, UARTDMACR, 0x3);
	assert_int_equal(rd(f, UARTIBRD), 0x1a);
	assert_int_equal(rd(f, UARTLCR_H), 0x70);
	assert_int_equal(rd(f, UARTDMACR), 0x3);
	push_str(f, "ab");
	vpl011_poll(f->u);
	wr(f, UARTDR, 'x');
	assert_int_equal(fake.nr_edges, 1);
	assert_true(fake.edge_level[0]);

	vpl011_reset(f->u);
	/* The partial line is not lost, the line drops, the FIFO is empty. */
	assert_int_equal(fake.nr_writes, 1);
	assert_string_equal(fake.writes[0], "x");
	assert_int_equal(fake.nr_edges, 2);
	assert_false(fake.edge_level[1]);
	check_reset_values(f);
	assert_int_equal(fake.nr_edges, 2);
}

static void test_writable_bits(void **state)
{
	struct fixture *f = *state;

	wr(f, UARTIBRD, 0xffffffff);
	assert_int_equal(rd(f, UARTIBRD), 0xffff);
	wr(f, UARTFBRD, 0xffffffff);
	assert_int_equal(rd(f, UARTFBRD), 0x3f);
	wr(f, UARTIMSC, 0xffffffff);
	assert_int_equal(rd(f, UARTIMSC), 0x7ff);
	/* Read-only registers ignore writes. */
	wr(f, UARTFR, 0);
	assert_int_equal(rd(f, UARTFR), 0x90);
	wr(f, UARTRIS, 0x7ff);
	wr(f, UARTMIS, 0x7ff);
	assert_int_equal(rd(f, UARTRIS), 0);
	assert_int_equal(rd(f, UARTPERIPHID0), 0x11);
	wr(f, UARTPERIPHID0, 0);
	assert_int_equal(rd(f, UARTPERIPHID0), 0x11);
}

static void test_ids(void **state)
{
	struct fixture *f = *state;
	static const u8 periph[] = { 0x11, 0x10, 0x14, 0x00 };
	static const u8 pcell[] = { 0x0d, 0xf0, 0x05, 0xb1 };
	u64 v;

	for (unsigned int i = 0; i < 4; i++) {
		assert_int_equal(rd(f, 0xfe0 + 4 * i), periph[i]);
		assert_int_equal(rd(f, 0xff0 + 4 * i), pcell[i]);
	}
	/* Byte reads of each word work too. */
	assert_int_equal(rd_sz(f, 0xff4, 1, &v), 0);
	assert_int_equal(v, 0xf0);
}

static void test_unknown_offset(void **state)
{
	struct fixture *f = *state;
	struct vm vm2 = { .id = 2 };
	struct vpl011 *u2;
	const char *first;
	u64 v;

	assert_int_equal(rd(f, 0x100), 0);
	wr(f, 0x100, 0x1234);
	assert_int_equal(rd(f, 0x100), 0);
	wr(f, 0x04c, 1);
	assert_int_equal(rd(f, 0xffc - 0x20), 0);
	first = strstr(stub_printk_log(), "unimplemented");
	assert_non_null(first);
	assert_non_null(strstr(stub_printk_log(), "vm1"));
	assert_null(strstr(first + 1, "unimplemented"));
	assert_int_equal(fake.nr_writes, 0);
	assert_int_equal(fake.nr_edges, 0);

	/* Another VM's device logs its own first one: a gap between registers (0x008) is one. */
	u2 = vpl011_create(&vm2);
	assert_non_null(u2);
	assert_int_equal(fake.regions[1].ops->read(NULL, u2, 0x008, 4, &v), 0);
	assert_non_null(strstr(stub_printk_log(), "vm2"));
	page_free((paddr_t)u2, 0);
}

static void test_tx_lines(void **state)
{
	struct fixture *f = *state;
	const char *s = "hello\nworld\npartial";

	for (const char *p = s; *p; p++)
		wr(f, UARTDR, (u8)*p);
	assert_int_equal(fake.nr_writes, 2);
	assert_string_equal(fake.writes[0], "hello\n");
	assert_string_equal(fake.writes[1], "world\n");
	assert_ptr_equal(fake.write_vm[0], &f->vm);
	/* A partial line waits for its end, or a flush, or a poll. */
	vpl011_flush(f->u);
	assert_int_equal(fake.nr_writes, 3);
	assert_string_equal(fake.writes[2], "partial");
	vpl011_flush(f->u);
	vpl011_poll(f->u);
	assert_int_equal(fake.nr_writes, 3);
	wr(f, UARTDR, '$');
	vpl011_poll(f->u);
	assert_int_equal(fake.nr_writes, 4);
	assert_string_equal(fake.writes[3], "$");
}

static void test_tx_long_line(void **state)
{
	struct fixture *f = *state;

	for (unsigned int i = 0; i < 200; i++)
		wr(f, UARTDR, 'a' + i % 26);
	assert_int_equal(fake.nr_writes, 1);
	assert_int_equal(strlen(fake.writes[0]), VPL011_TX_LINE_SIZE);
	wr(f, UARTDR, '\n');
	assert_int_equal(fake.nr_writes, 2);
	assert_int_equal(strlen(fake.writes[1]), 200 - VPL011_TX_LINE_SIZE + 1);
	assert_int_equal(fake.writes[1][0], 'a' + VPL011_TX_LINE_SIZE % 26);
}

static void test_access_sizes(void **state)
{
	struct fixture *f = *state;
	u64 v;

	/* strb / strh to DR send the low byte. */
	assert_int_equal(wr_sz(f, UARTDR, 1, 'A'), 0);
	assert_int_equal(wr_sz(f, UARTDR, 2, 0x0142), 0);
	assert_int_equal(wr_sz(f, UARTDR, 4, 0xffffff0a), 0);
	assert_int_equal(fake.nr_writes, 1);
	assert_string_equal(fake.writes[0], "AB\n");
	/* ldrb / ldrh of FR and CR. */
	assert_int_equal(rd_sz(f, UARTFR, 1, &v), 0);
	assert_int_equal(v, 0x90);
	assert_int_equal(rd_sz(f, UARTFR, 2, &v), 0);
	assert_int_equal(v, 0x90);
	assert_int_equal(rd_sz(f, UARTCR, 2, &v), 0);
	assert_int_equal(v, 0x300);
	assert_int_equal(rd_sz(f, UARTCR, 1, &v), 0);
	assert_int_equal(v, 0x00);
	assert_int_equal(rd_sz(f, UARTCR + 1, 1, &v), 0);
	assert_int_equal(v, 0x03);
	assert_int_equal(rd_sz(f, UARTCR + 2, 2, &v), 0);
	assert_int_equal(v, 0);
	/* Narrow writes change only their bytes. */
	wr(f, UARTIBRD, 0x1234);
	assert_int_equal(wr_sz(f, UARTIBRD + 1, 1, 0xab), 0);
	assert_int_equal(rd(f, UARTIBRD), 0xab34);
	assert_int_equal(wr_sz(f, UARTIBRD, 1, 0xcd), 0);
	assert_int_equal(rd(f, UARTIBRD), 0xabcd);
	assert_int_equal(wr_sz(f, UARTIBRD, 2, 0x5678), 0);
	assert_int_equal(rd(f, UARTIBRD), 0x5678);
	assert_int_equal(wr_sz(f, UARTCR, 1, 0x01), 0);
	assert_int_equal(rd(f, UARTCR), 0x301);
}

static void test_bad_accesses(void **state)
{
	struct fixture *f = *state;
	u64 v = 0x5a;

	assert_int_equal(rd_sz(f, UARTDR, 8, &v), -TERN_EINVAL);
	assert_int_equal(wr_sz(f, UARTDR, 8, 'x'), -TERN_EINVAL);
	assert_int_equal(rd_sz(f, UARTCR + 2, 4, &v), -TERN_EINVAL);
	assert_int_equal(wr_sz(f, UARTCR + 1, 2, 0), -TERN_EINVAL);
	assert_int_equal(rd_sz(f, UARTFR + 3, 2, &v), -TERN_EINVAL);
	/* (A size of 3 never reaches a device: the bus refuses it, test_mmio.c.) */
	assert_int_equal(rd_sz(f, 0x1000, 4, &v), -TERN_EINVAL);
	assert_int_equal(rd(f, UARTCR), 0x300);
	vpl011_flush(f->u);
	assert_int_equal(fake.nr_writes, 0);
}

/*
 * FR with nothing received and the identification registers read without the device lock (the
 * console's polling of FR for transmit room must not wait behind another vCPU's output); FR
 * with input waiting takes it, to pull the input into the FIFO.
 */
static void test_reads_without_lock(void **state)
{
	struct fixture *f = *state;

	fake.probe = true;
	wr(f, UARTDR, '\n'); /* the line goes out under the lock */
	assert_false(fake.probe_blocked);
	assert_int_equal(pthread_join(probe_thread, NULL), 0);
	assert_int_equal(fake.probe_fr, UARTFR_TXFE | UARTFR_RXFE);
	assert_int_equal(fake.probe_id, 0x11);

	push_str(f, "k");
	fake.probe = true;
	wr(f, UARTDR, '\n');
	assert_true(fake.probe_blocked);
	assert_int_equal(pthread_join(probe_thread, NULL), 0);
	assert_int_equal(fake.probe_fr, UARTFR_TXFE); /* pulled once the lock was free */
	assert_int_equal(console_rx_count(vpl011_rx_ring(f->u)), 0);
	assert_int_equal(rd(f, UARTDR), 'k');
}

static void test_rx_order(void **state)
{
	struct fixture *f = *state;
	u64 v;

	assert_int_equal(rd(f, UARTFR) & UARTFR_RXFE, UARTFR_RXFE);
	push_str(f, "abc");
	/* Reading FR pulls from the ring. */
	assert_int_equal(rd(f, UARTFR), UARTFR_TXFE);
	assert_int_equal(console_rx_count(vpl011_rx_ring(f->u)), 0);
	assert_int_equal(rd(f, UARTDR), 'a');
	/* ldrb on DR, as compilers emit. */
	assert_int_equal(rd_sz(f, UARTDR, 1, &v), 0);
	assert_int_equal(v, 'b');
	assert_int_equal(rd(f, UARTFR) & UARTFR_RXFE, 0);
	assert_int_equal(rd(f, UARTDR), 'c');
	assert_int_equal(rd(f, UARTFR), UARTFR_TXFE | UARTFR_RXFE);
	assert_int_equal(rd(f, UARTDR), 0);
	/* DR alone pulls too. */
	push_str(f, "z");
	assert_int_equal(rd(f, UARTDR), 'z');
	assert_int_equal(fake.nr_edges, 0); /* masked */
}

static void test_rx_fifo_limit(void **state)
{
	struct fixture *f = *state;
	struct console_rx_ring *ring = vpl011_rx_ring(f->u);

	for (unsigned int i = 0; i < 100; i++)
		assert_true(console_rx_push(ring, (u8)i));
	vpl011_poll(f->u);
	assert_int_equal(console_rx_count(ring), 100 - VPL011_RX_FIFO_SIZE);
	assert_int_equal(rd(f, UARTFR), UARTFR_TXFE | UARTFR_RXFF);
	for (unsigned int i = 0; i < 100; i++) {
		assert_int_equal(rd(f, UARTFR) & UARTFR_RXFE, 0);
		assert_int_equal(rd(f, UARTDR), i);
		/* The FIFO refills from the ring as the guest drains it. */
		if (i < 100 - VPL011_RX_FIFO_SIZE)
			assert_int_equal(rd(f, UARTFR) & UARTFR_RXFF, UARTFR_RXFF);
	}
	assert_int_equal(rd(f, UARTFR), UARTFR_TXFE | UARTFR_RXFE);
	assert_int_equal(console_rx_count(ring), 0);
}

/* @n line changes so far, as @levels; each rise kicked once, after the lock was dropped. */
static void expect_edges(unsigned int n, const bool *levels)
{
	unsigned int rises = 0;

	assert_int_equal(fake.nr_edges, n);
	for (unsigned int i = 0; i < n; i++) {
		assert_int_equal(fake.edge_intid[i], 33);
		assert_int_equal(fake.edge_level[i], levels[i]);
		rises += levels[i];
	}
	assert_false(fake.kick_pending);
	assert_int_equal(fake.kicks, rises);
	assert_int_equal(fake.kicks_under_lock, 0);
}

static void test_rx_interrupts(void **state)
{
	struct fixture *f = *state;
	static const bool edges[] = { true, false, true, false, true, false };

	push_str(f, "x");
	vpl011_poll(f->u);
	/* Raised but masked: no line change. */
	assert_int_equal(rd(f, UARTRIS), UARTINT_RX | UARTINT_RT);
	assert_int_equal(rd(f, UARTMIS), 0);
	assert_int_equal(fake.nr_edges, 0);

	wr(f, UARTIMSC, UARTINT_RX | UARTINT_RT);
	expect_edges(1, edges);
	assert_ptr_equal(fake.edge_vm[0], &f->vm);
	assert_int_equal(rd(f, UARTMIS), UARTINT_RX | UARTINT_RT);
	vpl011_poll(f->u);
	wr(f, UARTIMSC, UARTINT_RX | UARTINT_RT);
	expect_edges(1, edges);

	/* ICR clears, one bit at a time: the line drops with the last one. */
	wr(f, UARTICR, UARTINT_RX);
	assert_int_equal(rd(f, UARTRIS), UARTINT_RT);
	expect_edges(1, edges);
	wr(f, UARTICR, UARTINT_RT);
	assert_int_equal(rd(f, UARTRIS), 0);
	assert_int_equal(rd(f, UARTMIS), 0);
	expect_edges(2, edges);

	/* A new character raises it again; emptying the FIFO lowers it. */
	push_str(f, "y");
	assert_int_equal(rd(f, UARTFR) & UARTFR_RXFE, 0);
	expect_edges(3, edges);
	assert_int_equal(rd(f, UARTDR), 'x');
	expect_edges(3, edges);
	assert_int_equal(rd(f, UARTDR), 'y');
	assert_int_equal(rd(f, UARTRIS), 0);
	expect_edges(4, edges);

	/* Data left in the FIFO after an ICR: the next poll raises the receive timeout again. */
	push_str(f, "pq");
	vpl011_poll(f->u);
	expect_edges(5, edges);
	wr(f, UARTICR, 0x7ff);
	expect_edges(6, edges);
	assert_int_equal(rd(f, UARTFR) & UARTFR_RXFE, 0);
	expect_edges(6, edges);
	vpl011_poll(f->u);
	assert_int_equal(rd(f, UARTRIS), UARTINT_RX | UARTINT_RT);
	assert_int_equal(fake.nr_edges, 7);
	assert_true(fake.edge_level[6]);
	/* Masking lowers the line without touching RIS. */
	wr(f, UARTIMSC, 0);
	assert_int_equal(fake.nr_edges, 8);
	assert_false(fake.edge_level[7]);
	assert_int_equal(rd(f, UARTRIS), UARTINT_RX | UARTINT_RT);
}

static void test_tx_interrupts(void **state)
{
	struct fixture *f = *state;
	static const bool edges[] = { true, false, true, false };

	wr(f, UARTIMSC, UARTINT_TX);
	expect_edges(0, edges);
	wr(f, UARTDR, 'a');
	assert_int_equal(rd(f, UARTRIS), UARTINT_TX);
	assert_int_equal(rd(f, UARTMIS), UARTINT_TX);
	expect_edges(1, edges);
	wr(f, UARTDR, 'b');
	expect_edges(1, edges);
	wr(f, UARTICR, UARTINT_TX);
	assert_int_equal(rd(f, UARTRIS), 0);
	expect_edges(2, edges);
	/* Enabling the transmitter: the empty FIFO is below its level. */
	wr(f, UARTCR, UARTCR_UARTEN | UARTCR_TXE | UARTCR_RXE);
	assert_int_equal(rd(f, UARTRIS), UARTINT_TX);
	expect_edges(3, edges);
	wr(f, UARTICR, 0xffff);
	expect_edges(4, edges);
	/* Without UARTEN it is not. */
	wr(f, UARTCR, UARTCR_TXE);
	assert_int_equal(rd(f, UARTRIS), 0);
}

static void test_create_fails(void **state)
{
	struct vm vm = { .id = 3 };

	(void)state;
	memset(&fake, 0, sizeof(fake));
	fake.register_err = -TERN_EEXIST;
	assert_null(vpl011_create(&vm));
	assert_int_equal(unit_pages_live, 0);
}

static void test_fdt_node(void **state)
{
	struct fixture *f = *state;
	static char buf[4096];
	static char small[128];
	const fdt32_t *cells;
	const char *str;
	int node, len;

	assert_int_equal(fdt_create(buf, sizeof(buf)), 0);
	assert_int_equal(fdt_finish_reservemap(buf), 0);
	assert_int_equal(fdt_begin_node(buf, ""), 0);
	assert_int_equal(fdt_property_u32(buf, "#address-cells", 2), 0);
	assert_int_equal(fdt_property_u32(buf, "#size-cells", 2), 0);
	assert_int_equal(fdt_begin_node(buf, "apb-pclk"), 0);
	assert_int_equal(fdt_property_u32(buf, "phandle", 0x8000), 0);
	assert_int_equal(fdt_end_node(buf), 0);
	assert_int_equal(vpl011_fdt_node(buf, f->u, 0x8000), 0);
	assert_int_equal(fdt_end_node(buf), 0);
	assert_int_equal(fdt_finish(buf), 0);
	assert_int_equal(fdt_check_header(buf), 0);

	node = fdt_path_offset(buf, "/pl011@9000000");
	assert_true(node >= 0);
	assert_int_equal(fdt_node_check_compatible(buf, node, "arm,pl011"), 0);
	assert_int_equal(fdt_node_check_compatible(buf, node, "arm,primecell"), 0);
	str = fdt_getprop(buf, node, "compatible", &len);
	assert_int_equal(len, sizeof("arm,pl011\0arm,primecell"));
	assert_memory_equal(str, "arm,pl011\0arm,primecell", len);

	cells = fdt_getprop(buf, node, "reg", &len);
	assert_int_equal(len, 16);
	assert_int_equal(fdt32_to_cpu(cells[0]), 0);
	assert_int_equal(fdt32_to_cpu(cells[1]), 0x09000000);
	assert_int_equal(fdt32_to_cpu(cells[2]), 0);
	assert_int_equal(fdt32_to_cpu(cells[3]), 0x1000);

	cells = fdt_getprop(buf, node, "interrupts", &len);
	assert_int_equal(len, 12);
	assert_int_equal(fdt32_to_cpu(cells[0]), 0);
	assert_int_equal(fdt32_to_cpu(cells[1]), 1);
	assert_int_equal(fdt32_to_cpu(cells[2]), 4);

	str = fdt_getprop(buf, node, "clock-names", &len);
	assert_int_equal(len, sizeof("uartclk\0apb_pclk"));
	assert_memory_equal(str, "uartclk\0apb_pclk", len);
	assert_int_equal(fdt_stringlist_count(buf, node, "clock-names"), 2);

	cells = fdt_getprop(buf, node, "clocks", &len);
	assert_int_equal(len, 8);
	assert_int_equal(fdt32_to_cpu(cells[0]), 0x8000);
	assert_int_equal(fdt32_to_cpu(cells[1]), 0x8000);
	assert_int_equal(fdt_node_offset_by_phandle(buf, 0x8000),
			 fdt_path_offset(buf, "/apb-pclk"));

	/* Too small a buffer: the libfdt error comes back. */
	assert_int_equal(fdt_create(small, sizeof(small)), 0);
	assert_int_equal(fdt_finish_reservemap(small), 0);
	assert_int_equal(fdt_begin_node(small, ""), 0);
	assert_int_equal(vpl011_fdt_node(small, f->u, 1), -FDT_ERR_NOSPACE);
}

/* ---- the ring ---- */

static void test_ring_basic(void **state)
{
	static struct console_rx_ring ring;
	u8 c;

	(void)state;
	console_rx_init(&ring);
	assert_false(console_rx_pop(&ring, &c));
	for (unsigned int i = 0; i < CONSOLE_RX_RING_SIZE; i++)
		assert_true(console_rx_push(&ring, (u8)i));
	assert_false(console_rx_push(&ring, 0xff));
	assert_int_equal(ring.dropped, 1);
	assert_int_equal(console_rx_count(&ring), CONSOLE_RX_RING_SIZE);
	for (unsigned int i = 0; i < CONSOLE_RX_RING_SIZE; i++) {
		assert_true(console_rx_pop(&ring, &c));
		assert_int_equal(c, (u8)i);
	}
	assert_false(console_rx_pop(&ring, &c));
	assert_int_equal(console_rx_count(&ring), 0);
}

#define STRESS_BYTES 1000000U

static u8 stress_byte(u32 i)
{
	return (u8)(i * 131 + (i >> 8));
}

static void *stress_producer(void *arg)
{
	struct console_rx_ring *ring = arg;

	for (u32 i = 0; i < STRESS_BYTES; i++)
		while (!console_rx_push(ring, stress_byte(i)))
			sched_yield();
	return NULL;
}

static void test_ring_stress(void **state)
{
	static struct console_rx_ring ring;
	pthread_t producer;
	u32 got = 0, bad = 0;
	u8 c;

	(void)state;
	console_rx_init(&ring);
	assert_int_equal(pthread_create(&producer, NULL, stress_producer, &ring), 0);
	while (got < STRESS_BYTES) {
		if (!console_rx_pop(&ring, &c)) {
			sched_yield();
			continue;
		}
		if (c != stress_byte(got))
			bad++;
		got++;
	}
	assert_int_equal(pthread_join(producer, NULL), 0);
	assert_int_equal(bad, 0);
	assert_false(console_rx_pop(&ring, &c));
	assert_int_equal(console_rx_count(&ring), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_region, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reset_values, setup, teardown),
		cmocka_unit_test_setup_teardown(test_writable_bits, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ids, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unknown_offset, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tx_lines, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tx_long_line, setup, teardown),
		cmocka_unit_test_setup_teardown(test_access_sizes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_accesses, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rx_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rx_fifo_limit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rx_interrupts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tx_interrupts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fdt_node, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reads_without_lock, setup, teardown),
		cmocka_unit_test(test_create_fails),
		cmocka_unit_test(test_ring_basic),
		cmocka_unit_test(test_ring_stress),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
