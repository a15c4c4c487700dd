/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef TERN_GUEST_HOOKS_H
#define TERN_GUEST_HOOKS_H

/*
 * Test hooks for guests (CONFIG_DEBUG_GUEST_HOOKS): SMCCC fast calls of the vendor-specific
 * hypervisor service (owner 6) that make Tern do what an emulator never makes it do, so the real
 * code paths can be tested. tests/guests/lib/libguest.h has the same numbers.
 */
#define GUEST_HOOK_OWNER 6
/* Inject a virtual SError into the calling vCPU (as for a physical SError it caused). */
#define GUEST_HOOK_INJECT_SERROR 0xC6000100U

#ifndef __ASSEMBLY__
#include <tern/kconfig.h>
#include <tern/types.h>

struct vcpu;

#ifdef CONFIG_DEBUG_GUEST_HOOKS
/* A hook call in x0 of @vcpu: true if it was one (x0 holds the result). */
bool guest_hook_call(struct vcpu *vcpu);
#else
static inline bool guest_hook_call(struct vcpu *vcpu)
{
	(void)vcpu;
	return false;
}
#endif
#endif

#endif
