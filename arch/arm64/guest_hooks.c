// SPDX-License-Identifier: GPL-2.0-only
/* Test hooks a guest calls through HVC (CONFIG_DEBUG_GUEST_HOOKS, include/tern/guest_hooks.h). */
#include <asm/guest.h>
#include <tern/guest_hooks.h>
#include <tern/vcpu.h>

#define SMCCC_RET_SUCCESS 0

bool guest_hook_call(struct vcpu *vcpu)
{
	switch ((u32)vcpu_reg(vcpu, 0)) {
	case GUEST_HOOK_INJECT_SERROR:
		inject_serror(vcpu);
		break;
	default:
		return false;
	}
	vcpu_set_reg(vcpu, 0, SMCCC_RET_SUCCESS);
	return true;
}
