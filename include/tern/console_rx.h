/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef TERN_CONSOLE_RX_H
#define TERN_CONSOLE_RX_H

#include <tern/types.h>

/** Bytes a ring holds; a power of two so indices wrap with a mask. */
#define CONSOLE_RX_RING_SIZE 1024U

/**
 * Lock-free single-producer single-consumer byte ring: the host UART's receive interrupt pushes
 * what the user types (producer), an emulated UART pulls it (consumer, serialized by the device's
 * lock). head and tail are free-running counters: head is written only by the producer, tail only
 * by the consumer, each published with a release store and read with an acquire load, so the byte
 * written before a head update is visible to the consumer that sees the update, and a slot is
 * reused only after the consumer has released it. They sit on separate cache lines.
 */
struct console_rx_ring {
	/** Next slot the producer fills. */
	u32 head __attribute__((aligned(64)));
	/** Next slot the consumer empties. */
	u32 tail __attribute__((aligned(64)));
	/** Bytes dropped because the ring was full (written by the producer only). */
	u32 dropped;
	u8 buf[CONSOLE_RX_RING_SIZE] __attribute__((aligned(64)));
};

/** Empty the ring; only while neither side runs. */
void console_rx_init(struct console_rx_ring *ring);
/** Producer: queue @c; false (and the byte counted as dropped) when the ring is full. */
bool console_rx_push(struct console_rx_ring *ring, u8 c);
/** Consumer: take the oldest byte into @c; false when the ring is empty. */
bool console_rx_pop(struct console_rx_ring *ring, u8 *c);
/** Bytes queued, as seen from either side (a snapshot: the other side may move on). */
u32 console_rx_count(const struct console_rx_ring *ring);
/**
 * Consumer: nothing to take (a snapshot: the producer may add a byte right after). Inline: an
 * emulated UART asks on every status read.
 */
static inline bool console_rx_empty(const struct console_rx_ring *ring)
{
	return __atomic_load_n(&ring->head, __ATOMIC_ACQUIRE) ==
	       __atomic_load_n(&ring->tail, __ATOMIC_RELAXED);
}

#endif
