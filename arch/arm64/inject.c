// SPDX-License-Identifier: GPL-2.0-only
/*
 * Exceptions Tern injects into the loaded vCPU, as the hardware would take them to EL1:
 * ELR_EL1/SPSR_EL1/ESR_EL1/FAR_EL1 written, PSTATE as the architecture sets it on exception
 * entry (exception_entry.h), PC to the right vector of VBAR_EL1. The vCPU's EL1 registers are
 * live in the hardware here. A guest that can only loop through the exceptions Tern injects
 * (inject_loop.h) is stopped with one message instead of spinning forever.
 */
#include <asm/cpuid.h>
#include <asm/exception_entry.h>
#include <asm/guest.h>
#include <asm/inject_loop.h>
#include <asm/sysreg.h>
#include <tern/format.h>
#include <tern/vcpu.h>
#include <tern/vm.h>

#define VECTOR_CUR_SP0	 0x000
#define VECTOR_CUR_SPX	 0x200
#define VECTOR_LOWER_A64 0x400
#define VECTOR_LOWER_A32 0x600

#define FSC_SYNC_EXTERNAL 0x10

static struct exception_entry_feats inject_feats;
static bool inject_ras;

void inject_init(void)
{
	u64 pfr0 = cpuid_read(CPUID_AA64PFR0), pfr1 = cpuid_read(CPUID_AA64PFR1);

	inject_feats.pan = (cpuid_read(CPUID_AA64MMFR1) >> 20) & 0xF;
	inject_feats.dit = (pfr0 >> 48) & 0xF;
	inject_feats.ssbs = (pfr1 >> 4) & 0xF;
	inject_feats.mte = (pfr1 >> 8) & 0xF;
	inject_ras = (pfr0 >> 28) & 0xF;
}

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

static const char *inject_kind(u64 esr)
{
	switch (ESR_ELx_EC(esr)) {
	case ESR_EC_UNKNOWN:
		return "UNDEFINED instruction";
	case ESR_EC_DABT_CUR:
	case ESR_EC_DABT_LOW:
		return "synchronous external abort on a data access";
	case ESR_EC_IABT_CUR:
	case ESR_EC_IABT_LOW:
		return "synchronous external abort on an instruction fetch";
	default:
		return "exception";
	}
}

static void inject_loop_stop(struct vcpu *vcpu, enum inject_loop_verdict v,
			     const struct inject_event *e)
{
	char what[224];

	fmt_snprintf(
	    what, sizeof(what),
	    "exception loop: %s (ESR 0x%llx, FAR 0x%llx) at pc 0x%llx, VBAR_EL1 0x%llx: %s",
	    inject_kind(e->esr), (unsigned long long)e->esr, (unsigned long long)e->far,
	    (unsigned long long)e->pc, (unsigned long long)read_sysreg(vbar_el1),
	    v == INJECT_LOOP_VECTOR
		? "taken at the vector Tern had just entered (the vector base is not "
		  "executable guest memory)"
		: "injected again and again with ELR_EL1 at the same pc (no progress)");
	vm_guest_crash(vcpu, what);
}

static void inject_sync(struct vcpu *vcpu, u64 esr, bool set_far, u64 far)
{
	struct vcpu_gpregs *r = &vcpu->arch.regs;
	struct inject_event e = {
		.esr = esr,
		.far = set_far ? far : 0,
		.pc = r->pc,
		.elr = read_sysreg(elr_el1),
		.target = read_sysreg(vbar_el1) + inject_vector_offset(r->pstate),
		.from_el1 = inject_from_el1(r->pstate),
	};
	enum inject_loop_verdict v = inject_loop_check(&vcpu->arch.inject, &e);

	if (v != INJECT_LOOP_NONE) {
		inject_loop_stop(vcpu, v, &e);
		return;
	}
	write_sysreg(r->pc, elr_el1);
	write_sysreg(r->pstate, spsr_el1);
	write_sysreg(esr, esr_el1);
	if (set_far)
		write_sysreg(far, far_el1);
	r->pc = e.target;
	r->pstate = exception_entry_pstate(r->pstate, read_sysreg(sctlr_el1), &inject_feats);
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

/*
 * A virtual SError, taken by the guest when it unmasks PSTATE.A (or consumed by an ESB). The
 * hardware clears HCR_EL2.VSE when it delivers it: vcpu_arch_serror_sync() reads it back, so
 * it is delivered once, not again on every later load of the vCPU.
 */
void inject_serror(struct vcpu *vcpu)
{
	vcpu_arch_serror_sync(vcpu);
	/* With RAS its syndrome comes from VSESR_EL2 (reset UNKNOWN): ISS 0, uncategorized. */
	if (inject_ras)
		write_sysreg(0, s3_4_c5_c2_3);
	vcpu->arch.hcr |= HCR_EL2_VSE;
	write_sysreg(vcpu->arch.hcr, hcr_el2);
}

void vcpu_skip_insn(struct vcpu *vcpu)
{
	vcpu_arch_skip_insn(&vcpu->arch);
}
