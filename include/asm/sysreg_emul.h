/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef ASM_SYSREG_EMUL_H
#define ASM_SYSREG_EMUL_H

#include <tern/types.h>

struct vcpu;

/* A trapped MSR/MRS (ESR_EL2.EC 0x18) as (op0, op1, CRn, CRm, op2). */
#define SYS_REG(op0, op1, crn, crm, op2)                                                           \
	(((op0) << 14) | ((op1) << 11) | ((crn) << 7) | ((crm) << 3) | (op2))

/*
 * ESR_EL2.ISS of a trapped MSR/MRS: the direction (1: read, MRS), the general register, and the
 * CRm and op2 that tell the registers of a bank apart.
 */
#define ISS_SYS_DIR_READ (1UL << 0)
#define ISS_SYS_RT(esr)	 (((esr) >> 5) & 0x1F)
#define ISS_SYS_CRM(esr) (((esr) >> 1) & 0xF)
#define ISS_SYS_OP2(esr) (((esr) >> 17) & 7)

/*
 * Boot, before any vCPU runs: index the handler rows by encoding (panics if a row cannot be
 * indexed: a bug in Tern). That they agree with sysreg_table.h is checked by a host unit test
 * (tests/unit/test_sysreg_emul.c), which fails the build's tests instead of the boot.
 */
void sysreg_emul_init(void);
/* For that test only: whether a handler row covers @key, and the key of handler row @i. */
bool sysreg_emul_handles(u32 key);
bool sysreg_emul_row_key(size_t i, u32 *key);
enum sysreg_result {
	SYSREG_UNDEF, /* Tern does not handle it: UNDEFINED for the guest */
	SYSREG_DONE,  /* emulated: step over the instruction */
	SYSREG_RETRY, /* the register is the guest's now: run the instruction again */
};
/*
 * What a register's handler answers, in two registers (AAPCS64 returns a 16-byte struct in x0
 * and x1, so nothing goes through memory): what became of the access and, for a read that is
 * SYSREG_DONE, the value read. Aligned to its size: with -mstrict-align GCC 12 otherwise gives
 * every function returning one a stack frame it never uses (sub/add sp).
 */
struct sysreg_ret {
	u64 val;
	u64 res; /* enum sysreg_result */
} __attribute__((aligned(16)));
#define SYSREG_RET(r, v) ((struct sysreg_ret){ .val = (v), .res = (r) })
/* A handler's answer: SYSREG_DONE with @val, or SYSREG_UNDEF. */
static inline struct sysreg_ret sysreg_ret_if(bool ok, u64 val)
{
	return SYSREG_RET(ok ? SYSREG_DONE : SYSREG_UNDEF, val);
}
/*
 * Emulate the access in @esr for @vcpu: for a read that is SYSREG_DONE, the caller writes the
 * value to the register the instruction names (ESR ISS Rt, [9:5]) and steps over it.
 */
struct sysreg_ret sysreg_emulate(struct vcpu *vcpu, u64 esr);

/*
 * A table row's handler (sysreg_emul.c): the vCPU, the syndrome (the direction in ISS[0], which
 * register of a bank in CRm/op2), the value of the register the instruction names (meaningful
 * for writes) and its row; it answers in registers, the read value included. A row names the
 * handler of its own register where there is one, so that no handler looks the register up again.
 */
struct sysreg_row;
#define SYSREG_HANDLER(name)                                                                       \
	struct sysreg_ret name(struct vcpu *vcpu, u64 esr, u64 val, const struct sysreg_row *row)
typedef SYSREG_HANDLER((*sysreg_fn));

static inline bool sysreg_read(u64 esr)
{
	return esr & ISS_SYS_DIR_READ;
}

/* ID registers (sysreg_id.c). */
struct vm;
/* Compute the hardware-dependent part of every guest's ID registers, once on the boot pCPU. */
void sysreg_id_init(unsigned int ipa_bits);
/* The VM's AArch64 ID registers CRm 4-7 x op2 0-7 (vm->id_fast, read by both paths). */
void sysreg_id_fill(const struct vm *vm, u64 out[32]);
/* A read of ID register @key (op0 3, op1 0, CRn 0; AIDR_EL1); false if @key is not one. */
bool sysreg_id_read(const struct vm *vm, u32 key, u64 *val);

#endif
