/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef ASM_SYSREG_EMUL_H
#define ASM_SYSREG_EMUL_H

#include <tern/types.h>

struct vcpu;

/* A trapped MSR/MRS (ESR_EL2.EC 0x18) as (op0, op1, CRn, CRm, op2). */
#define SYS_REG(op0, op1, crn, crm, op2)                                                           \
	(((op0) << 14) | ((op1) << 11) | ((crn) << 7) | ((crm) << 3) | (op2))

/* Compute the sanitised ID register values once, on the boot pCPU. */
void sysreg_emul_init(unsigned int ipa_bits);
/* Emulate the access in @esr for @vcpu; false when Tern does not handle it (inject UNDEF). */
bool sysreg_emulate(struct vcpu *vcpu, u64 esr);
struct vm;
/* The VM's sanitised ID registers CRm 4-7 x op2 0-7, for the exit vector's fast path. */
void sysreg_id_fill(const struct vm *vm, u64 out[32]);
/* The sanitised value guests see for an ID register (for tests and the log). */
u64 sysreg_id_value(u32 key);

#endif
