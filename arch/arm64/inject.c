// SPDX-License-Identifier: GPL-2.0-only
/*
 * Exceptions Tern injects into the loaded vCPU, as the hardware would take them to EL1:
 * ELR_EL1/SPSR_EL1/ESR_EL1/FAR_EL1 written, PSTATE to EL1h with DAIF masked, PC to the
 * right vector of VBAR_EL1. The vCPU's EL1 registers are live in the hardware here.
 */
#include <asm/guest.h>
#include <asm/sysreg.h>
#include <tern/vcpu.h>
#include <tern/vm.h>

#define VECTOR_CUR_SP0	 0x000
#define VECTOR_CUR_SPX	 0x200
#define VECTOR_LOWER_A64 0x400
#define VECTOR_LOWER_A32 0x600

#define FSC_SYNC_EXTERNAL 0x10

static u64 inject_vector_offset(u64 pstate)
{
	if (pstate & PSR_MODE_32)
		return VECTOR_LOWER_A32;
	switch (pstate & SPSR_MODE_MASK) {
	case PSR_MODE_EL1h:
		return VECTOR_CUR_SPX;
	case PSR_MODE_EL1t:
		return VECTOR_CUR_SP0;
	default:
		return VECTOR_LOWER_A64;
	}
}

static bool inject_from_el1(u64 pstate)
{
	return !(pstate & PSR_MODE_32) && (pstate & SPSR_MODE_MASK) != PSR_MODE_EL0t;
}

static void inject_sync(struct vcpu *vcpu, u64 esr, bool set_far, u64 far)
{
	struct vcpu_gpregs *r = &vcpu->arch.regs;

	write_sysreg(r->pc, elr_el1);
	write_sysreg(r->pstate, spsr_el1);
	write_sysreg(esr, esr_el1);
	if (set_far)
		write_sysreg(far, far_el1);
	r->pc = read_sysreg(vbar_el1) + inject_vector_offset(r->pstate);
	r->pstate = PSR_MODE_EL1h | PSR_DAIF;
}

/* The trapped instruction's length: 2 only for a 16-bit T32 instruction (ESR.IL clear). */
static u64 trapped_insn_il(const struct vcpu *vcpu)
{
	return vcpu->arch.esr & ESR_ELx_IL;
}

void inject_undef(struct vcpu *vcpu)
{
	vcpu->undefs_injected++;
	inject_sync(vcpu, ((u64)ESR_EC_UNKNOWN << ESR_ELx_EC_SHIFT) | trapped_insn_il(vcpu), false,
		    0);
}

void inject_dabt(struct vcpu *vcpu, u64 far)
{
	u64 ec = inject_from_el1(vcpu->arch.regs.pstate) ? ESR_EC_DABT_CUR : ESR_EC_DABT_LOW;
	/* Keep the direction of the access that trapped, as hardware reports it. */
	u64 wnr =
	    ESR_ELx_EC(vcpu->arch.esr) == ESR_EC_DABT_LOW ? vcpu->arch.esr & ESR_ISS_DABT_WNR : 0;

	vcpu->aborts_injected++;
	inject_sync(vcpu, (ec << ESR_ELx_EC_SHIFT) | ESR_ELx_IL | wnr | FSC_SYNC_EXTERNAL, true,
		    far);
}

void inject_iabt(struct vcpu *vcpu, u64 far)
{
	u64 ec = inject_from_el1(vcpu->arch.regs.pstate) ? ESR_EC_IABT_CUR : ESR_EC_IABT_LOW;

	vcpu->aborts_injected++;
	inject_sync(vcpu, (ec << ESR_ELx_EC_SHIFT) | ESR_ELx_IL | FSC_SYNC_EXTERNAL, true, far);
}

void inject_serror(struct vcpu *vcpu)
{
	/* A virtual SError, taken by the guest when it unmasks PSTATE.A. */
	vcpu->arch.hcr |= HCR_EL2_VSE;
	write_sysreg(vcpu->arch.hcr, hcr_el2);
}

void vcpu_skip_insn(struct vcpu *vcpu)
{
	vcpu->arch.regs.pc += trapped_insn_il(vcpu) ? 4 : 2;
}
