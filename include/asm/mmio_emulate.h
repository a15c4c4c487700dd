/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef ASM_MMIO_EMULATE_H
#define ASM_MMIO_EMULATE_H

#include <asm/guest.h>

struct vcpu;

/* A stage-2 data abort: emulate it on the VM's MMIO bus, or inject an abort into the guest. */
enum vcpu_run_result mmio_emulate(struct vcpu *vcpu);

#endif
