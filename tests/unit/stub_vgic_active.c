// SPDX-License-Identifier: GPL-2.0-only
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <tern/spinlock.h>
#include <tern/vm.h>
#include <virt/vgic.h>
#include "stub_vgic_active.h"

static unsigned int active_open;

void stub_vgic_active_reset(void)
{
	active_open = 0;
}

/* The active banks sync the other vCPUs' list registers first, outside the vGIC lock. */
void vgic_active_prepare(struct vm *vm)
{
	assert_false(spin_is_locked(&vm->vgic->lock));
	assert_int_equal(active_open, 0);
	active_open++;
}

void vgic_active_finish(struct vm *vm)
{
	assert_false(spin_is_locked(&vm->vgic->lock));
	assert_int_equal(active_open, 1);
	active_open--;
}

/* Kicks go out after the lock is dropped: nothing to check without a scheduler. */
void sched_kick_flush(void)
{
}

/* The core's fast-path disarm on a distributor-wide change: no core, nothing armed. */
void vgic_fast_disarm(struct vcpu *vcpu)
{
	(void)vcpu;
}
