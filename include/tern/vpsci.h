/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef TERN_VPSCI_H
#define TERN_VPSCI_H

#include <asm/guest.h>
#include <tern/types.h>

struct vcpu;

/* PSCI 1.1 and SMCCC 1.1 for guests: function ID in x0, result in x0. */
enum vcpu_run_result vpsci_call(struct vcpu *vcpu);

#endif
