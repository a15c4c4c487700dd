/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef ASM_SETWAY_H
#define ASM_SETWAY_H

#include <tern/types.h>

struct vcpu;

/* Set/way cache maintenance by the loaded vCPU (setway.c). */
/* A trapped DC ISW, CSW or CISW (HCR_EL2.TSW). */
void setway_op(struct vcpu *vcpu);
/* A trapped write of a VM-control register (HCR_EL2.TVM, set after a set/way op); false if
 * @key is not one. */
bool setway_vm_reg_write(struct vcpu *vcpu, u32 key, u64 val);

#endif
