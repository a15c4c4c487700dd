/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef TERN_SPINLOCK_H
#define TERN_SPINLOCK_H

#include <asm/processor.h>
#include <tern/types.h>

/*
 * Test-and-test-and-set lock, not a ticket lock. Tern's pCPUs may themselves be threads of a
 * busy host (QEMU's multi-threaded TCG on a loaded machine, or Tern nested): a ticket handed to a
 * waiter whose thread is descheduled stalls every other pCPU behind it until the host runs that
 * thread again. Measured: the flagship (4 vCPUs on 4 pCPUs) spent most of its boot with all four
 * pCPUs queued on one VM's vGIC lock, 10-30 times slower than with this lock. Here whichever
 * waiter runs takes the lock. Critical sections are short and pCPUs few, so no pCPU is starved in
 * practice; the locks a guest can make hot (its vGIC, its UART) are its own VM's.
 * Only valid once the MMU is on (exclusives need cacheable memory).
 */
struct spinlock {
	u32 locked;
};

#define SPINLOCK_INIT                                                                              \
	{                                                                                          \
		0                                                                                  \
	}

static inline void spin_lock_init(struct spinlock *l)
{
	l->locked = 0;
}

static inline bool spin_trylock(struct spinlock *l)
{
	return !__atomic_load_n(&l->locked, __ATOMIC_RELAXED) &&
	       !__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE);
}

static inline void spin_lock(struct spinlock *l)
{
	while (!spin_trylock(l)) {
		while (__atomic_load_n(&l->locked, __ATOMIC_RELAXED))
			cpu_relax();
	}
}

static inline void spin_unlock(struct spinlock *l)
{
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
	cpu_kick();
}

static inline bool spin_is_locked(struct spinlock *l)
{
	return __atomic_load_n(&l->locked, __ATOMIC_RELAXED) != 0;
}

#endif
