// SPDX-License-Identifier: GPL-2.0-only
/* Lock-free single-producer single-consumer byte ring between the host UART and a VM's UART. */
#include <tern/console_rx.h>

_Static_assert((CONSOLE_RX_RING_SIZE & (CONSOLE_RX_RING_SIZE - 1)) == 0,
	       "CONSOLE_RX_RING_SIZE must be a power of two");

#define CONSOLE_RX_MASK (CONSOLE_RX_RING_SIZE - 1)

void console_rx_init(struct console_rx_ring *ring)
{
	__atomic_store_n(&ring->head, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&ring->tail, 0, __ATOMIC_RELAXED);
	ring->dropped = 0;
}

bool console_rx_push(struct console_rx_ring *ring, u8 c)
{
	u32 head = __atomic_load_n(&ring->head, __ATOMIC_RELAXED);
	/* Acquire: the consumer's read of the slot we may reuse happened before. */
	u32 tail = __atomic_load_n(&ring->tail, __ATOMIC_ACQUIRE);

	if (head - tail >= CONSOLE_RX_RING_SIZE) {
		ring->dropped++;
		return false;
	}
	ring->buf[head & CONSOLE_RX_MASK] = c;
	/* Release: the byte is in place before the consumer can see the new head. */
	__atomic_store_n(&ring->head, head + 1, __ATOMIC_RELEASE);
	return true;
}

bool console_rx_pop(struct console_rx_ring *ring, u8 *c)
{
	u32 tail = __atomic_load_n(&ring->tail, __ATOMIC_RELAXED);
	/* Acquire: pairs with the producer's release, so the byte below is the one it wrote. */
	u32 head = __atomic_load_n(&ring->head, __ATOMIC_ACQUIRE);

	if (head == tail)
		return false;
	*c = ring->buf[tail & CONSOLE_RX_MASK];
	/* Release: our read of the slot is done before the producer may overwrite it. */
	__atomic_store_n(&ring->tail, tail + 1, __ATOMIC_RELEASE);
	return true;
}

u32 console_rx_count(const struct console_rx_ring *ring)
{
	u32 tail = __atomic_load_n(&ring->tail, __ATOMIC_ACQUIRE);
	u32 head = __atomic_load_n(&ring->head, __ATOMIC_ACQUIRE);

	return head - tail;
}
