/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef ASM_MMIO_EMULATE_H
#define ASM_MMIO_EMULATE_H

#include <asm/guest.h>

struct vcpu;

/* A stage-2 data abort: emulate it on the VM's MMIO bus, or inject an abort into the guest. */
enum vcpu_run_result mmio_emulate(struct vcpu *vcpu);
/*
 * A stage-2 translation fault (data or instruction abort, the access or its stage-1 walk) on RAM
 * of a VM with RAM on demand: the block is now zeroed and mapped and the instruction runs again
 * (true, counted as an "other" exit); false for anything else.
 */
bool mmio_ram_fault(struct vcpu *vcpu);

#endif
